//! HTTP routes. Every API route is registered through `utoipa_actix_web`, so none can be
//! missing from the OpenAPI document.

pub mod events;
pub mod health;
pub mod pagination;

use actix_web::HttpResponse;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;

/// Registers every route.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(utoipa_actix_web::scope("/api/v1").configure(events::configure));
}

/// Anything no route matched.
pub async fn not_found() -> HttpResponse {
    actix_web::ResponseError::error_response(&ApiError::NotFound("no such resource".to_owned()))
}
