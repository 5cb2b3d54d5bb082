use actix_web::{HttpRequest, HttpResponse, get};

use crate::error::{ApiResult, Problem};
use crate::routes::found::{EventAt, Found, found_routes};
use crate::services::event_page;
use crate::views::event::EventPage;

/// Get an event
///
/// One event with every field, its talks and their speakers in order, sponsors grouped by
/// tier, organizers, co-located events and the posts that mention it. An old slug answers
/// 301 with the current location.
#[utoipa::path(
    tag = "events",
    params(("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024")),
    responses(
        (status = 200, description = "The event page; a schema.org `Event` in JSON-LD when asked with `Accept: application/ld+json`",
            content((EventPage = "application/json"), (super::json_ld::EventJsonLd = "application/ld+json"))),
        (status = 301, description = "An old slug: `Location` has the current one",
            headers(("Location" = String, description = "The event's current URL"))),
        (status = 404, description = "No event has this slug", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/events/{slug}")]
#[tracing::instrument(skip_all, fields(slug = %found.record.slug))]
pub async fn get_event(found: Found<EventAt>, req: HttpRequest) -> ApiResult<HttpResponse> {
    let Found {
        record: event,
        state,
        ..
    } = found;
    if wants_json_ld(&req) {
        let page = event_page::page(&state.db, event).await?;
        return Ok(HttpResponse::Ok()
            .content_type(JSON_LD)
            .insert_header((actix_web::http::header::VARY, "Accept"))
            .body(super::json_ld::embeddable(&super::json_ld::event(
                &page,
                &state.origin.base(&req),
            ))));
    }
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::VARY, "Accept"))
        .json(event_page::page(&state.db, event).await?))
}

const JSON_LD: &str = "application/ld+json";

/// Whether the client asked for JSON-LD over JSON (see [`crate::extract::prefers_json_ld`]).
fn wants_json_ld(req: &HttpRequest) -> bool {
    let accept = req.headers().get(actix_web::http::header::ACCEPT);
    crate::extract::prefers_json_ld(accept.and_then(|v| v.to_str().ok()))
}

found_routes! {
    /// Where an event's facts come from
    ///
    /// Every field the event serves with a value, each with the sources that state it — a post
    /// and its words, or a public record — or the facts it follows from (the year from the start
    /// date, the region from the country); `unsourced` lists what nothing backs yet.
    get_event_sources "/events/{slug}/sources" EventAt, "events" ("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"),
        "Each fact and its sources" crate::views::sources::EventSources, "No event has this slug",
        |db, event| crate::services::sources::of_event(db, &event).await?;
}
