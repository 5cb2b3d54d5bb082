//! HTTP routes. Every API route is registered through `utoipa_actix_web`, so none can be
//! missing from the OpenAPI document.

pub mod docs;
pub mod events;
pub mod feeds;
pub mod health;
pub mod pagination;
pub mod posts;
pub mod search;
pub mod speakers;
pub mod sponsors;

use actix_web::HttpResponse;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;

/// Registers every route.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(
            utoipa_actix_web::scope("/api/v1")
                .configure(docs::configure)
                // Before the events: `/events/{slug}.ics` would otherwise be read as a slug.
                .configure(feeds::configure)
                .configure(events::configure)
                .configure(speakers::configure)
                .configure(sponsors::configure)
                .configure(posts::configure)
                .configure(search::configure),
        );
}

/// 301 to the same path with the current slug in place of the old one.
pub fn moved(req: &actix_web::HttpRequest, old: &str, current: &str) -> HttpResponse {
    let path = req
        .path()
        .replacen(&format!("/{old}"), &format!("/{current}"), 1);
    let location = match req.query_string() {
        "" => path,
        q => format!("{path}?{q}"),
    };
    HttpResponse::MovedPermanently()
        .insert_header((actix_web::http::header::LOCATION, location))
        .finish()
}

/// Anything no route matched.
pub async fn not_found() -> HttpResponse {
    actix_web::ResponseError::error_response(&ApiError::NotFound("no such resource".to_owned()))
}
