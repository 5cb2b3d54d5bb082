use actix_web::{HttpResponse, get, web};

use crate::error::{ApiError, ApiResult, Problem};
use crate::services::events;
use crate::startup::AppState;
use crate::views::event::EventDetail;

/// Get an event
///
/// One event with every field.
#[utoipa::path(
    tag = "events",
    operation_id = "get_event",
    params(("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024")),
    responses(
        (status = 200, description = "The event", body = EventDetail),
        (status = 404, description = "No event has this slug", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/events/{slug}")]
#[tracing::instrument(skip_all, fields(slug = %slug))]
pub async fn get_event(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let event = events::find_by_slug(&state.db, &slug)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no event has the slug `{slug}`")))?;
    Ok(HttpResponse::Ok().json(EventDetail::from(event)))
}
