//! The OpenAPI document and its docs UI (Swagger UI, served from the binary).

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;

/// The OpenAPI document, rendered once at start-up.
pub struct SpecJson(pub String);

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_openapi);
}

/// The OpenAPI document
///
/// This API's OpenAPI 3.1 document, as committed in `openapi/openapi.json`.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "The OpenAPI document", body = Object, content_type = "application/json"))
)]
#[get("/openapi.json")]
pub async fn get_openapi(spec: web::Data<SpecJson>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(spec.0.clone())
}

/// `/docs` → `/docs/`, where Swagger UI is served.
pub async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/docs/"))
        .finish()
}

/// Swagger UI, its assets compiled into the binary, reading `/api/v1/openapi.json`. The online
/// validator badge is off: it would send the document to swagger.io.
pub fn swagger_ui() -> utoipa_swagger_ui::SwaggerUi {
    utoipa_swagger_ui::SwaggerUi::new("/docs/{_:.*}")
        .config(utoipa_swagger_ui::Config::from("/api/v1/openapi.json").validator_url("none"))
}

/// Keeps the docs page to this server: no script, style, image or request from elsewhere.
pub const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
