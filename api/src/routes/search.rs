//! `/api/v1/search`.

use actix_web::{HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, ApiResult};
use crate::extract::Query;
use crate::routes::pagination;
use crate::services::search::{self, HitKind};
use crate::state::AppState;
use crate::views::refs::List;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(search_directory);
}

/// Query parameters of `GET /api/v1/search`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// What to look for: each word must start a word of the record (`kube` finds
    /// "Kubernetes"); accents, case and punctuation are ignored.
    #[param(min_length = 1, max_length = 200, example = "kcd mexico")]
    pub q: String,
    /// Only results of this kind.
    #[param(inline)]
    pub r#type: Option<HitKind>,
    /// Most results to return.
    #[param(minimum = 1, maximum = 100, default = 20, example = 20)]
    pub limit: Option<u64>,
}

/// A search result.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    pub r#type: HitKind,
    #[schema(example = "kcd-mexico-2024")]
    pub slug: String,
    /// Name or title.
    #[schema(example = "KCD Mexico 2024")]
    pub title: String,
    pub summary: Option<String>,
    /// Where the record is served.
    #[schema(example = "/api/v1/events/kcd-mexico-2024")]
    pub url: String,
    /// Relevance; higher is better.
    #[schema(example = 80)]
    pub score: u32,
}

/// Search the directory
///
/// Events, speakers, sponsors, posts and series whose text contains every word of `q`, best matches
/// first: an exact name, then the query as a phrase of the name, then all its words in the
/// name, then matches elsewhere in the text.
#[utoipa::path(
    tag = "search",
    params(SearchQuery),
    responses(
        (status = 200, description = "Ranked results", body = List<SearchHit>),
    )
)]
#[get("/search")]
pub async fn search_directory(
    state: web::Data<AppState>,
    Query(query): Query<SearchQuery>,
) -> ApiResult<HttpResponse> {
    if query.q.is_empty() {
        return Err(ApiError::bad_field("q", "must not be empty"));
    }
    pagination::check_q(Some(&query.q))?;
    let limit = pagination::limit(query.limit)? as usize;
    // Text without a word (`%20`, `%0B`) is a valid `q`, as the document says: it finds nothing.
    if query.q.trim().is_empty() {
        return Ok(HttpResponse::Ok().json(List::<SearchHit> { data: Vec::new() }));
    }
    let hits = search::search(&state.db, &query.q, query.r#type, limit).await?;
    let data: Vec<SearchHit> = hits
        .into_iter()
        .map(|h| {
            let base = match h.kind {
                HitKind::Event => "events",
                HitKind::Speaker => "speakers",
                HitKind::Sponsor => "sponsors",
                HitKind::Post => "posts",
                HitKind::Series => "series",
            };
            SearchHit {
                url: format!("/api/v1/{base}/{}", h.slug),
                r#type: h.kind,
                slug: h.slug,
                title: h.title,
                summary: h.summary,
                score: h.score,
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(List { data }))
}
