//! The routes every written resource has, in one shape: read one child of an event, create,
//! change (JSON Merge Patch under `If-Match`) and delete (under `If-Match`).
//!
//! The handlers' bodies are the generic functions below; [`write_routes!`] and
//! [`child_routes!`] declare each resource's handlers from its documentation and OpenAPI
//! annotations, so a resource differs from another only in what it says about itself.

use actix_web::{HttpRequest, HttpResponse};

use crate::error::{ApiError, ApiResult};
use crate::extract::Precondition;
use crate::routes::found::EventAt;
use crate::services::writes::{self, Resource};
use crate::state::AppState;

/// `GET` of one child of an event (`/events/{slug}/talks/{talk}`): its representation, the
/// same bytes a write answers with; 301 when the event's slug moved.
pub async fn get_child<R: Resource>(
    state: &AppState,
    req: &HttpRequest,
    slug: &str,
    key: &str,
) -> actix_web::Result<HttpResponse> {
    let event = super::found::find::<EventAt>(&state.db, req, slug).await?;
    let Some(found) = R::find(&state.db, Some(&event), key).await? else {
        return Err(
            ApiError::NotFound(format!("the event `{slug}` has no {} `{key}`", R::WHAT)).into(),
        );
    };
    let body = R::representation(&state.db, &found).await?;
    Ok(HttpResponse::Ok()
        .content_type(super::mime_json())
        .body(body))
}

/// `POST`: 201 with the new representation.
pub async fn create<R: Resource + 'static>(
    state: &AppState,
    caller: &crate::services::caller::Caller,
    parent: Option<&str>,
    input: R::Input,
) -> ApiResult<HttpResponse>
where
    R::Input: Send + 'static,
{
    let written = writes::create::<R>(&state.db, caller, parent, input).await?;
    Ok(super::created(written))
}

/// `PATCH`: 200 with the new representation, once `If-Match` holds.
pub async fn update<R: Resource + 'static>(
    state: &AppState,
    caller: &crate::services::caller::Caller,
    parent: Option<&str>,
    key: &str,
    precondition: Precondition,
    input: R::Input,
) -> ApiResult<HttpResponse>
where
    R::Input: Send + 'static,
{
    let at = at(parent, key, precondition)?;
    let written = writes::update::<R>(&state.db, caller, at, input).await?;
    Ok(super::updated(written))
}

/// The record a `PATCH` or `DELETE` names, with its required `If-Match`.
fn at(parent: Option<&str>, key: &str, precondition: Precondition) -> ApiResult<writes::At> {
    Ok(writes::At {
        parent: parent.map(str::to_owned),
        key: key.to_owned(),
        if_match: precondition.required()?,
    })
}

/// `DELETE`: 204, once `If-Match` holds.
pub async fn delete<R: Resource + 'static>(
    state: &AppState,
    caller: &crate::services::caller::Caller,
    parent: Option<&str>,
    key: &str,
    precondition: Precondition,
) -> ApiResult<HttpResponse> {
    let at = at(parent, key, precondition)?;
    writes::delete::<R>(&state.db, caller, at).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Declares `POST /{collection}`, `PATCH /{collection}/{slug}` and `DELETE …/{slug}` of a
/// top-level resource, with their OpenAPI operations, and `GET /{collection}/{slug}` when a
/// `get` is given (see [`found_routes!`](crate::routes::found::found_routes)). What differs
/// between resources is data: the service type, its input and page, the tag, the slug
/// parameter, the two paths, and for each handler its documentation, name and the sentences of
/// its responses. The invoking module brings `post`, `patch` and `delete` (actix-web's route
/// macros, which utoipa recognizes by name), `get` when it declares one, and `Problem` into
/// scope.
macro_rules! write_routes {
    ($R:ty, $Input:ty => $Page:ty, $tag:literal $slug:tt, $collection:literal $item:literal,
        $(#[$c:meta])* create $create:ident $location:literal, $etag:literal, $taken:literal;
        $(#[$u:meta])* update $update:ident $changed:literal, $missing:literal, $renamed:literal;
        $(#[$d:meta])* delete $delete:ident $in_use:literal;
        $($(#[$g:meta])* get $get:ident $At:ty, $found:literal, $gone:literal,
            |$db:ident, $record:ident| $make:expr;)?
    ) => {
        $($crate::routes::found::found_routes! {
            $(#[$g])*
            $get $item $At, $tag $slug, $found $Page, $gone, |$db, $record| $make;
        })?

        $(#[$c])*
        #[utoipa::path(
            tag = $tag,
            security(("bearer" = [])),
            request_body(content = $Input, content_type = "application/json"),
            responses(
                (status = 201, description = "Created", body = $Page,
                    headers(("Location" = String, description = $location),
                            ("ETag" = String, description = $etag))),
                (status = 409, description = $taken, body = Problem, content_type = "application/problem+json"),
            )
        )]
        #[post($collection)]
        pub async fn $create(
            state: actix_web::web::Data<$crate::state::AppState>,
            caller: $crate::auth::Writer,
            body: $crate::extract::JsonBody<$Input>,
        ) -> $crate::error::ApiResult<actix_web::HttpResponse> {
            $crate::routes::resource::create::<$R>(&state, &caller, None, body.0).await
        }

        $(#[$u])*
        #[utoipa::path(
            tag = $tag,
            security(("bearer" = [])),
            params($slug),
            request_body(content = $Input, content_type = "application/merge-patch+json",
                description = "A JSON Merge Patch (RFC 7396): members given replace, `null` clears, absent ones stay. `application/json` is accepted as the same."),
            responses(
                (status = 200, description = $changed, body = $Page,
                    headers(("ETag" = String, description = "The new representation's tag"))),
                (status = 404, description = $missing, body = Problem, content_type = "application/problem+json"),
                (status = 409, description = $renamed, body = Problem, content_type = "application/problem+json"),
            )
        )]
        #[patch($item)]
        pub async fn $update(
            state: actix_web::web::Data<$crate::state::AppState>,
            caller: $crate::auth::Writer,
            slug: actix_web::web::Path<String>,
            precondition: $crate::extract::Precondition,
            body: $crate::extract::JsonBody<$Input>,
        ) -> $crate::error::ApiResult<actix_web::HttpResponse> {
            $crate::routes::resource::update::<$R>(&state, &caller, None, &slug, precondition, body.0)
                .await
        }

        $(#[$d])*
        #[utoipa::path(
            tag = $tag,
            security(("bearer" = [])),
            params($slug),
            responses(
                (status = 204, description = "Deleted"),
                (status = 404, description = $missing, body = Problem, content_type = "application/problem+json"),
                (status = 409, description = $in_use, body = Problem, content_type = "application/problem+json"),
            )
        )]
        #[delete($item)]
        pub async fn $delete(
            state: actix_web::web::Data<$crate::state::AppState>,
            caller: $crate::auth::Writer,
            slug: actix_web::web::Path<String>,
            precondition: $crate::extract::Precondition,
        ) -> $crate::error::ApiResult<actix_web::HttpResponse> {
            $crate::routes::resource::delete::<$R>(&state, &caller, None, &slug, precondition).await
        }
    };
}

/// Declares `GET`, `POST`, `PATCH` and `DELETE` of a resource that belongs to an event
/// (`/events/{slug}/talks`, `/events/{slug}/talks/{talk}`), in the same form as
/// [`write_routes!`]: the service type, its input and view, its key parameter, the two paths,
/// then each handler's documentation, name and sentences (`update` may add responses). The
/// invoking module also brings `get` into scope.
macro_rules! child_routes {
    ($R:ty, $Input:ty, $View:ty, $key:tt, $collection:literal, $item:literal,
        $(#[$g:meta])* get $get:ident $found:literal, $missing:literal;
        $(#[$c:meta])* create $create:ident $location:literal, $taken:literal;
        $(#[$u:meta])* update $update:ident $changed:literal $(, $more:tt)*;
        $(#[$d:meta])* delete $delete:ident;
    ) => {
        $(#[$g])*
        #[utoipa::path(
            tag = "events",
            params(
                ("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"),
                $key,
            ),
            responses(
                (status = 200, description = $found, body = $View),
                (status = 301, description = "An old event slug", headers(("Location" = String, description = "The current URL"))),
                (status = 404, description = $missing, body = Problem, content_type = "application/problem+json"),
            )
        )]
        #[get($item)]
        pub async fn $get(
            state: actix_web::web::Data<$crate::state::AppState>,
            path: actix_web::web::Path<(String, String)>,
            req: actix_web::HttpRequest,
        ) -> actix_web::Result<actix_web::HttpResponse> {
            let (slug, key) = path.into_inner();
            $crate::routes::resource::get_child::<$R>(&state, &req, &slug, &key).await
        }

        $(#[$c])*
        #[utoipa::path(
            tag = "events",
            security(("bearer" = [])),
            params(("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024")),
            request_body(content = $Input, content_type = "application/json"),
            responses(
                (status = 201, description = "Created", body = $View,
                    headers(("Location" = String, description = $location),
                            ("ETag" = String, description = "The new representation's tag"))),
                (status = 404, description = "No event has this slug", body = Problem, content_type = "application/problem+json"),
                (status = 409, description = $taken, body = Problem, content_type = "application/problem+json"),
            )
        )]
        #[post($collection)]
        pub async fn $create(
            state: actix_web::web::Data<$crate::state::AppState>,
            caller: $crate::auth::Writer,
            slug: actix_web::web::Path<String>,
            body: $crate::extract::JsonBody<$Input>,
        ) -> $crate::error::ApiResult<actix_web::HttpResponse> {
            $crate::routes::resource::create::<$R>(&state, &caller, Some(&slug), body.0).await
        }

        $(#[$u])*
        #[utoipa::path(
            tag = "events",
            security(("bearer" = [])),
            params(
                ("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"),
                $key,
            ),
            request_body(content = $Input, content_type = "application/merge-patch+json",
                description = "A JSON Merge Patch (RFC 7396): members given replace, `null` clears, absent ones stay. `application/json` is accepted as the same."),
            responses(
                (status = 200, description = $changed, body = $View,
                    headers(("ETag" = String, description = "The new representation's tag"))),
                (status = 404, description = $missing, body = Problem, content_type = "application/problem+json"),
                $($more,)*
            )
        )]
        #[patch($item)]
        pub async fn $update(
            state: actix_web::web::Data<$crate::state::AppState>,
            caller: $crate::auth::Writer,
            path: actix_web::web::Path<(String, String)>,
            precondition: $crate::extract::Precondition,
            body: $crate::extract::JsonBody<$Input>,
        ) -> $crate::error::ApiResult<actix_web::HttpResponse> {
            let (slug, key) = path.into_inner();
            $crate::routes::resource::update::<$R>(
                &state, &caller, Some(&slug), &key, precondition, body.0,
            )
            .await
        }

        $(#[$d])*
        #[utoipa::path(
            tag = "events",
            security(("bearer" = [])),
            params(
                ("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"),
                $key,
            ),
            responses(
                (status = 204, description = "Deleted"),
                (status = 404, description = $missing, body = Problem, content_type = "application/problem+json"),
            )
        )]
        #[delete($item)]
        pub async fn $delete(
            state: actix_web::web::Data<$crate::state::AppState>,
            caller: $crate::auth::Writer,
            path: actix_web::web::Path<(String, String)>,
            precondition: $crate::extract::Precondition,
        ) -> $crate::error::ApiResult<actix_web::HttpResponse> {
            let (slug, key) = path.into_inner();
            $crate::routes::resource::delete::<$R>(&state, &caller, Some(&slug), &key, precondition)
                .await
        }
    };
}

pub(crate) use {child_routes, write_routes};
