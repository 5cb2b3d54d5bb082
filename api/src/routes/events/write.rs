//! Creating, changing and deleting events, and their history.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post};

use crate::error::{ApiResult, Problem};
use crate::extract::Query;
use crate::routes::found::{EventAt, Found};
use crate::routes::pagination;
use crate::routes::resource::write_routes;
use crate::services::caller::Caller;
use crate::services::writes::events::{EventInput, Events};
use crate::services::writes::history;
use crate::views::event::EventPage;

write_routes! {
    Events, EventInput => EventPage, "events" ("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"),
        "/events" "/events/{slug}",
    /// Create an event
    ///
    /// Admins create any event; organizer tokens create events in their series. The slug is made
    /// from the name unless given. Answers with the new event page, its `Location` and `ETag`.
    create create_event "The new event's URL", "The new representation's tag, for `If-Match`", "Another event has this slug";
    /// Change an event
    ///
    /// A JSON Merge Patch (RFC 7396): members given replace the current values, `null` clears one,
    /// absent members stay. Needs `If-Match` with the event's current `ETag`. A new slug keeps the
    /// old one as a redirect.
    update update_event "The changed event", "No event has this slug", "Another event has the new slug";
    /// Delete an event
    ///
    /// A soft delete: the event, its talks, sponsorships and organizers disappear from reads and
    /// answer 404, and stay in the history and the change feed. Refused (409) while other events
    /// are co-located with it. Needs `If-Match`.
    delete delete_event "Other events are co-located with it";
}

/// Query of the history.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// Page size, 1 to 100.
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<u64>,
    /// `page.next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// An event's history
///
/// Every write to the event and to its talks, sponsorships and organizers, newest first: who
/// (the token's name), when, what, and the changed fields before and after. For admins and the
/// event's organizers.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"), HistoryQuery),
    responses(
        (status = 200, description = "One page of the history", body = crate::views::page::Page<history::AuditView>),
        (status = 400, description = "A bad `limit` or `cursor`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token may not see this event's history", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No event has this slug", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/events/{slug}/history")]
pub async fn get_event_history(
    caller: Caller,
    found: Found<EventAt>,
    Query(query): Query<HistoryQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let limit = pagination::limit(query.limit)?;
    let after = history::decode_cursor(query.cursor.as_deref())?;
    let (event, state) = (found.record, found.state);
    caller.check_event(&event)?;
    let (entries, next) = history::of_event(&state.db, event.id, limit, after).await?;
    let mut response = pagination::page_response(&req, entries, limit, next);
    // Only for the token's eyes: no shared cache may keep it.
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("private, no-cache"),
    );
    Ok(response)
}
