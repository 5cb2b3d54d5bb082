//! `/api/v1/changes`: every write, in commit order, for clients that keep a copy.

use actix_web::{HttpResponse, get, web};

use crate::error::{ApiResult, Problem};
use crate::extract::Query;
use crate::routes::pagination;
use crate::services::writes::history::{self, ChangesPage};
use crate::state::AppState;

/// Query of the change feed.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// `next_since` of the previous page, an opaque string; omit it (or send `0`) to start from
    /// the first change.
    pub since: Option<String>,
    /// Page size, 1 to 100.
    #[param(minimum = 1, maximum = 100, example = 100)]
    pub limit: Option<u64>,
}

/// The change feed
///
/// Records created, updated and deleted through the API, in commit order. Replaying the feed
/// from the start — put on `create`, merge on `update`, drop on `delete` (a tombstone) — gives
/// the current writable state of every record, keyed by `entity_type` and `entity_id`. Keep
/// `next_since` and ask again with it: nothing is skipped and nothing repeats.
#[utoipa::path(
    tag = "changes",
    params(ChangesQuery),
    responses(
        (status = 200, description = "The changes after `since`", body = ChangesPage),
        (status = 400, description = "A bad `since` or `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/changes")]
pub async fn list_changes(
    state: web::Data<AppState>,
    Query(query): Query<ChangesQuery>,
) -> ApiResult<HttpResponse> {
    let limit = pagination::limit(query.limit)?;
    let since = history::decode_since(query.since.as_deref())?;
    let page = history::changes(&state.db, since, limit).await?;
    // A feed is polled for what is new: never from a cache.
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-cache"))
        .json(page))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_changes);
}
