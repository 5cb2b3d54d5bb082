//! `/api/v1/posts` and `/api/v1/tags`.

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Query;
use crate::routes::{found_or_moved, pagination};
use crate::services::cursor::Cursor;
use crate::services::directory::posts::{self, PostFilter};
use crate::services::directory::tags;
use crate::state::AppState;
use crate::views::directory::{PostPage, PostSummary, TagView};
use crate::views::page::Page;
use crate::views::refs::List;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_posts).service(get_post).service(list_tags);
}

/// Query parameters of `GET /api/v1/posts`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListPostsQuery {
    /// Only posts with this tag (slug).
    #[param(example = "kcd")]
    pub tag: Option<String>,
    /// Only posts in this category (slug).
    #[param(example = "blog")]
    pub category: Option<String>,
    /// Only posts by this author: the name as written, or the person's slug.
    #[param(example = "Teyza Ponce")]
    pub author: Option<String>,
    /// Only posts that mention this event (slug).
    #[param(example = "kcd-mexico-2024")]
    pub event: Option<String>,
    /// Only posts published on or after this day (UTC).
    #[param(value_type = Option<String>, format = Date, example = "2024-01-01")]
    pub from: Option<NaiveDate>,
    /// Only posts published on or before this day (UTC).
    #[param(value_type = Option<String>, format = Date, example = "2024-12-31")]
    pub to: Option<NaiveDate>,
    /// Words to find in the title, summary or text: each must start a word there (`kube` finds
    /// "Kubernetes"); accents and case ignored.
    #[param(max_length = 200, example = "Bogota")]
    pub q: Option<String>,
    /// Page size.
    #[param(minimum = 1, maximum = 100, default = 20, example = 20)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List posts
///
/// Published posts, newest first. Drafts are never listed.
#[utoipa::path(
    tag = "posts",
    operation_id = "list_posts",
    params(ListPostsQuery),
    responses(
        (status = 200, description = "A page of posts", body = Page<PostSummary>,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))),
        (status = 400, description = "A malformed parameter", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/posts")]
pub async fn list_posts(
    state: web::Data<AppState>,
    query: Query<ListPostsQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    let limit = pagination::limit(query.limit)?;
    let after = Cursor::parse(query.cursor.as_deref(), "-published_at")?;
    pagination::check_q(query.q.as_deref())?;
    if let (Some(from), Some(to)) = (query.from, query.to)
        && from > to
    {
        return Err(ApiError::bad_field(
            "from",
            format!("{from} is after `to` ({to})"),
        ));
    }
    let filter = PostFilter {
        tag: query.tag,
        category: query.category,
        author: query.author,
        event: query.event,
        from: query.from,
        to: query.to,
        q: query.q,
    };
    let (rows, next) = posts::list_posts(&state.db, &filter, limit, after.as_ref()).await?;
    Ok(pagination::page_response(
        &req,
        rows.iter().map(PostSummary::from).collect::<Vec<_>>(),
        limit,
        next,
    ))
}

/// Get a post
///
/// A published post with its HTML and Markdown bodies, authors, tags, categories and what it
/// mentions. An old slug (a Hugo alias) answers 301 with the current location.
#[utoipa::path(
    tag = "posts",
    operation_id = "get_post",
    params(("slug" = String, Path, description = "The post's slug", example = "ccoss-kcd-gdl-2024")),
    responses(
        (status = 200, description = "The post", body = PostPage),
        (status = 301, description = "An old slug", headers(("Location" = String, description = "The current URL"))),
        (status = 404, description = "No published post has this slug", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/posts/{slug}")]
pub async fn get_post(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let post = match found_or_moved(
        posts::post_by_slug(&state.db, &slug).await?,
        &req,
        &slug,
        "post",
    )? {
        Ok(record) => record,
        Err(redirect) => return Ok(redirect),
    };
    Ok(HttpResponse::Ok().json(posts::page(&state.db, post).await?))
}

/// List tags
///
/// Every tag with the number of published posts that carry it, most used first.
#[utoipa::path(
    tag = "posts",
    operation_id = "list_tags",
    responses(
        (status = 200, description = "The tags", body = List<TagView>),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tags")]
pub async fn list_tags(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let tags = tags::tags(&state.db).await?;
    Ok(HttpResponse::Ok().json(List { data: tags }))
}
