//! `/api/v1/posts` and `/api/v1/tags`.

use actix_web::{HttpResponse, get, web};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, ApiResult, Problem};
use crate::routes::found::{PostAt, found_routes};
use crate::routes::pagination::{self, paged_routes};
use crate::services::cursor::Cursor;
use crate::services::directory::posts::{self, PostFilter};
use crate::services::directory::{self, tags};
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
    /// Only posts by this author: the name as written, or the slug of the person or
    /// organization that wrote it.
    #[param(example = "oss.lat")]
    pub author: Option<String>,
    /// Only posts that mention this event (slug).
    #[param(example = "kcd-colombia-2025")]
    pub event: Option<String>,
    /// Only posts published on or after this day (UTC).
    #[param(value_type = Option<String>, format = Date, example = "2025-01-01")]
    pub from: Option<NaiveDate>,
    /// Only posts published on or before this day (UTC).
    #[param(value_type = Option<String>, format = Date, example = "2025-12-31")]
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
    /// Also count the whole list (`page.total`, exact); it costs a read of every match, so ask
    /// once, not on every page.
    pub count: Option<bool>,
}

paged_routes! {
    /// List posts
    ///
    /// Published posts, newest first. Drafts are never listed.
    list_posts "/posts" ListPostsQuery, "posts", "A page of posts" PostSummary, |db, query| {
        let count = query.count.unwrap_or(false);
        let (filter, limit, after) = query.into_request()?;
        let (rows, next) = posts::list_posts(db, &filter, limit, after.as_ref()).await?;
        let total = pagination::total(count, directory::count(db, &filter)).await?;
        (rows.iter().map(PostSummary::from).collect(), limit, next, total)
    };
}

impl ListPostsQuery {
    fn into_request(self) -> ApiResult<(PostFilter, u64, Option<Cursor>)> {
        let (limit, after) = pagination::page(
            self.limit,
            self.cursor.as_deref(),
            self.q.as_deref(),
            "-published_at",
        )?;
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(ApiError::bad_field(
                "from",
                format!("{from} is after `to` ({to})"),
            ));
        }
        let filter = PostFilter {
            tag: self.tag,
            category: self.category,
            author: self.author,
            event: self.event,
            from: self.from,
            to: self.to,
            q: self.q,
        };
        Ok((filter, limit, after))
    }
}

found_routes! {
    /// Get a post
    ///
    /// A published post with its HTML and Markdown bodies, authors, tags, categories and what it
    /// mentions. An old slug (a Hugo alias) answers 301 with the current location.
    get_post "/posts/{slug}" PostAt, "posts" ("slug" = String, Path, description = "The post's slug", example = "ccoss-kcd-gdl-2024"),
        "The post" PostPage, "No published post has this slug", |db, post| posts::page(db, post).await?;
}

/// List tags
///
/// Every tag with the number of published posts that carry it, most used first.
#[utoipa::path(
    tag = "posts",
    responses(
        (status = 200, description = "The tags", body = List<TagView>),
    )
)]
#[get("/tags")]
pub async fn list_tags(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let tags = tags::tags(&state.db).await?;
    Ok(HttpResponse::Ok().json(List { data: tags }))
}
