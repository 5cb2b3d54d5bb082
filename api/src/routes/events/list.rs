use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::{ApiResult, Problem};
use crate::extract::Query;
use crate::routes::pagination;
use crate::services::events::{self, EventFilter, EventSort};
use crate::startup::AppState;
use crate::views::event::EventSummary;
use crate::views::page::{Page, PageInfo};

/// Query parameters of `GET /api/v1/events`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListEventsQuery {
    /// Page size.
    #[param(minimum = 1, maximum = 100, default = 20, example = 20)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List events
///
/// Events, newest first, in pages. Unverified and deleted events are not listed.
#[utoipa::path(
    tag = "events",
    operation_id = "list_events",
    params(ListEventsQuery),
    responses(
        (status = 200, description = "A page of events", body = Page<EventSummary>,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))),
        (status = 400, description = "A malformed parameter", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/events")]
#[tracing::instrument(skip_all)]
pub async fn list_events(
    state: web::Data<AppState>,
    query: Query<ListEventsQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    let sort = EventSort::StartsOnDesc;
    let limit = pagination::limit(query.limit)?;
    let after = pagination::cursor(query.cursor.as_deref(), sort.as_str())?;
    let filter = EventFilter { limit, sort, after };
    let (rows, next) = events::list(&state.db, &filter).await?;
    let next_cursor = next.map(|c| c.encode());
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &next_cursor {
        response.insert_header((header::LINK, pagination::next_link(&req, cursor)));
    }
    Ok(response.json(Page {
        data: rows.into_iter().map(EventSummary::from).collect(),
        page: PageInfo { limit, next_cursor },
    }))
}
