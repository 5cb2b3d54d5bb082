//! The record a path names by slug, resolved before the handler runs: found, moved (301 to the
//! same path with the current slug) or missing (404 naming what was looked for). A handler that
//! takes [`Found`] sees only a record that exists; [`found_routes!`] declares the many `GET`s
//! whose whole work is to render it.

use std::future::Future;
use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::error::InternalError;
use actix_web::{FromRequest, HttpRequest, web};
use entity::{event, organization, person, post, series};
use futures_util::future::LocalBoxFuture;
use sea_orm::{DatabaseConnection, DbErr};
use serde::Deserialize;

use crate::error::ApiError;
use crate::services::directory::{by_slug, posts};
use crate::services::events::Lookup;
use crate::services::series as series_of;
use crate::state::AppState;

/// A kind of record found by slug.
pub trait BySlug: 'static {
    type Model: 'static;
    /// Its name in the 404 (`no person has the slug …`).
    const WHAT: &'static str;
    fn lookup(
        db: &DatabaseConnection,
        slug: &str,
    ) -> impl Future<Output = Result<Lookup<Self::Model>, DbErr>>;
}

macro_rules! by_slug {
    ($($kind:ident $model:ty, $what:literal, $lookup:path;)*) => {$(
        pub struct $kind;
        impl BySlug for $kind {
            type Model = $model;
            const WHAT: &'static str = $what;
            fn lookup(
                db: &DatabaseConnection,
                slug: &str,
            ) -> impl Future<Output = Result<Lookup<$model>, DbErr>> {
                $lookup(db, slug)
            }
        }
    )*};
}

by_slug! {
    EventAt event::Model, "event", by_slug::<event::Model>;
    PersonAt person::Model, "person", by_slug::<person::Model>;
    OrganizationAt organization::Model, "organization", by_slug::<organization::Model>;
    PostAt post::Model, "post", posts::post_by_slug;
    SeriesAt series::Model, "series", series_of::lookup;
}

/// The record at the path's `{slug}`, with the state to read more.
pub struct Found<K: BySlug> {
    pub record: K::Model,
    pub state: web::Data<AppState>,
    kind: PhantomData<K>,
}

#[derive(Deserialize)]
struct SlugParam {
    slug: String,
}

impl<K: BySlug> FromRequest for Found<K> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = web::Data::<AppState>::extract(&req).await?;
            // Decoded as `web::Path` decodes it.
            let slug = req
                .match_info()
                .load::<SlugParam>()
                .map_err(|e| ApiError::NotFound(e.to_string()))?
                .slug;
            let record = find::<K>(&state.db, &req, &slug).await?;
            Ok(Found {
                record,
                state,
                kind: PhantomData,
            })
        })
    }
}

/// The record of kind `K` at `slug`, or the error that answers for it: 301 to the same path
/// with the current slug when it moved, 404 when it never existed.
pub async fn find<K: BySlug>(
    db: &DatabaseConnection,
    req: &HttpRequest,
    slug: &str,
) -> Result<K::Model, actix_web::Error> {
    match K::lookup(db, slug).await.map_err(ApiError::from)? {
        Lookup::Found(record) => Ok(record),
        Lookup::Moved(current) => Err(InternalError::from_response(
            "an old slug",
            super::moved(req, slug, &current),
        )
        .into()),
        Lookup::Missing => {
            Err(ApiError::NotFound(format!("no {} has the slug `{slug}`", K::WHAT)).into())
        }
    }
}

/// Declares `GET` handlers that render the record at `{slug}`: for each, its documentation,
/// name, path, kind of record, OpenAPI tag and slug parameter, the 200's sentence and type,
/// the 404's sentence, and the expression that makes the body from the database and the record
/// (bound to the two names given). 301 and 503 are stated by `openapi::add_read_behaviour`.
/// The invoking module brings `get` and `Problem` into scope.
macro_rules! found_routes {
    ($(
        $(#[$doc:meta])*
        $name:ident $path:literal $kind:ty, $tag:literal $slug:tt,
            $what:literal $body:ty, $missing:literal, |$db:ident, $record:ident| $make:expr;
    )*) => {$(
        $(#[$doc])*
        #[utoipa::path(
            tag = $tag,
            params($slug),
            responses(
                (status = 200, description = $what, body = $body),
                (status = 404, description = $missing, body = Problem, content_type = "application/problem+json"),
            )
        )]
        #[get($path)]
        pub async fn $name(
            found: $crate::routes::found::Found<$kind>,
        ) -> $crate::error::ApiResult<actix_web::HttpResponse> {
            let $crate::routes::found::Found { record: $record, state, .. } = found;
            let $db = &state.db;
            Ok(actix_web::HttpResponse::Ok().json($make))
        }
    )*};
}

pub(crate) use found_routes;
