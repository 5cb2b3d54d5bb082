//! `/api/v1/series`: the recurring events, each with its editions.

use actix_web::get;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::Problem;
use crate::routes::found::{SeriesAt, found_routes};
use crate::routes::pagination::{self, PageQuery, paged_routes};
use crate::services::series;
use crate::views::event::SeriesPage;
use crate::views::page::Page;
use crate::views::refs::SeriesRef;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_series).service(get_series);
}

paged_routes! {
    /// List series
    ///
    /// The recurring events (`KCD Mexico`, `KubeCon + CloudNativeCon Europe`), sorted by slug.
    /// Events name theirs in `series`; `GET /events?series=` takes the slug.
    list_series "/series" PageQuery, "series", "A page of series" SeriesRef, |db, query| {
        let (limit, after) = pagination::page(query.limit, query.cursor.as_deref(), None, "slug")?;
        let (rows, next) = series::list(db, limit, after.as_ref()).await?;
        let total = pagination::total(query.count.unwrap_or(false), series::count(db)).await?;
        (rows.iter().map(SeriesRef::from).collect(), limit, next, total)
    };
}

found_routes! {
    /// Get a series
    ///
    /// A series with its editions, newest first (unverified events left out, as in lists).
    get_series "/series/{slug}" SeriesAt, "series" ("slug" = String, Path, description = "The series' slug", example = "kcd-mexico"),
        "The series" SeriesPage, "No series has this slug", |db, found| series::page(db, found).await?;
}
