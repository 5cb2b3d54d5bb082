use actix_web::{HttpRequest, HttpResponse, get, web};
use entity::event;

use crate::error::{ApiResult, Problem};
use crate::services::event_page;
use crate::services::events;
use crate::state::AppState;
use crate::views::event::EventPage;

/// The event at `slug`, or the response for a slug that moved or never existed.
pub async fn resolve(
    state: &AppState,
    slug: &str,
    req: &HttpRequest,
) -> ApiResult<Result<event::Model, HttpResponse>> {
    crate::routes::found_or_moved(
        events::find_by_slug(&state.db, slug).await?,
        req,
        slug,
        "event",
    )
}

/// Get an event
///
/// One event with every field, its talks and their speakers in order, sponsors grouped by
/// tier, organizers, co-located events and the posts that mention it. An old slug answers
/// 301 with the current location.
#[utoipa::path(
    tag = "events",
    operation_id = "get_event",
    params(("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024")),
    responses(
        (status = 200, description = "The event page; a schema.org `Event` in JSON-LD when asked with `Accept: application/ld+json`",
            content((EventPage = "application/json"), (serde_json::Value = "application/ld+json"))),
        (status = 301, description = "An old slug: `Location` has the current one",
            headers(("Location" = String, description = "The event's current URL"))),
        (status = 404, description = "No event has this slug", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/events/{slug}")]
#[tracing::instrument(skip_all, fields(slug = %slug))]
pub async fn get_event(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let event = match resolve(&state, &slug, &req).await? {
        Ok(event) => event,
        Err(redirect) => return Ok(redirect),
    };
    if wants_json_ld(&req) {
        let page = event_page::page(&state.db, event).await?;
        return Ok(HttpResponse::Ok()
            .content_type(JSON_LD)
            .insert_header((actix_web::http::header::VARY, "Accept"))
            .json(super::json_ld::event(&page, &req)));
    }
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::VARY, "Accept"))
        .json(event_page::page(&state.db, event).await?))
}

const JSON_LD: &str = "application/ld+json";

/// Whether the client asked for JSON-LD over JSON.
fn wants_json_ld(req: &HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.split(',').any(|t| t.trim().starts_with(JSON_LD)))
}
