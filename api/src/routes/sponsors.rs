//! `/api/v1/sponsors`: the organizations of the directory.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use entity::sea_orm_active_enums::SponsorTier;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiResult, Problem};
use crate::extract::{Precondition, Query};
use crate::routes::{found_or_moved, pagination};
use crate::services::cursor::Cursor;
use crate::services::directory::organizations::{self, SponsorFilter};
use crate::state::AppState;
use crate::views::directory::{OrganizationPage, OrganizationSummary};
use crate::views::page::Page;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_sponsors)
        .service(get_sponsor)
        .service(create_sponsor)
        .service(update_sponsor)
        .service(delete_sponsor);
}

/// Query parameters of `GET /api/v1/sponsors`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListSponsorsQuery {
    /// Words to find in the name or description: each must start a word there (`kube` finds
    /// "Kubernetes"); accents and case ignored.
    #[param(max_length = 200, example = "suse")]
    pub q: Option<String>,
    /// Only sponsors of this event (slug).
    #[param(example = "kcd-mexico-2024")]
    pub event: Option<String>,
    /// Only organizations with a sponsorship of this tier.
    #[param(inline)]
    pub tier: Option<SponsorTier>,
    /// Page size.
    #[param(minimum = 1, maximum = 100, default = 20, example = 20)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List sponsors
///
/// The organizations of the directory — sponsors, exhibitors, employers — sorted by name.
#[utoipa::path(
    tag = "sponsors",
    operation_id = "list_sponsors",
    params(ListSponsorsQuery),
    responses(
        (status = 200, description = "A page of organizations", body = Page<OrganizationSummary>,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))),
        (status = 400, description = "A malformed parameter", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/sponsors")]
pub async fn list_sponsors(
    state: web::Data<AppState>,
    query: Query<ListSponsorsQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    let limit = pagination::limit(query.limit)?;
    let after = Cursor::parse(query.cursor.as_deref(), "name")?;
    pagination::check_q(query.q.as_deref())?;
    let filter = SponsorFilter {
        q: query.q,
        event: query.event,
        tier: query.tier,
    };
    let (rows, next) =
        organizations::list_organizations(&state.db, &filter, limit, after.as_ref()).await?;
    Ok(pagination::page_response(
        &req,
        rows.iter()
            .map(OrganizationSummary::from)
            .collect::<Vec<_>>(),
        limit,
        next,
    ))
}

/// Get a sponsor
///
/// An organization with its sponsorships by event and tier, and the posts that mention it.
#[utoipa::path(
    tag = "sponsors",
    operation_id = "get_sponsor",
    params(("slug" = String, Path, description = "The organization's slug", example = "suse")),
    responses(
        (status = 200, description = "The organization", body = OrganizationPage),
        (status = 301, description = "An old slug", headers(("Location" = String, description = "The current URL"))),
        (status = 404, description = "No organization has this slug", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/sponsors/{slug}")]
pub async fn get_sponsor(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let org = match found_or_moved(
        organizations::organization_by_slug(&state.db, &slug).await?,
        &req,
        &slug,
        "organization",
    )? {
        Ok(record) => record,
        Err(redirect) => return Ok(redirect),
    };
    Ok(HttpResponse::Ok().json(organizations::page(&state.db, org).await?))
}

/// Add a sponsor
///
/// Any token may add an organization; the slug is made from the name unless given.
#[utoipa::path(
    tag = "sponsors",
    operation_id = "create_sponsor",
    security(("bearer" = [])),
    request_body(content = crate::services::writes::organizations::OrganizationInput, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = OrganizationPage,
            headers(("Location" = String, description = "The new URL"),
                    ("ETag" = String, description = "The new representation's tag"))),
        (status = 409, description = "Another organization has this slug", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/sponsors")]
pub async fn create_sponsor(
    state: web::Data<AppState>,
    caller: crate::auth::Writer,
    body: crate::extract::JsonBody<crate::services::writes::organizations::OrganizationInput>,
) -> ApiResult<HttpResponse> {
    let written = crate::services::writes::create::<
        crate::services::writes::organizations::Organizations,
    >(&state.db, &caller, None, body.0)
    .await?;
    Ok(crate::routes::created(written))
}

/// Change a sponsor
///
/// A JSON Merge Patch, for admin tokens. Needs `If-Match`; a new slug keeps the old one as a
/// redirect.
#[utoipa::path(
    tag = "sponsors",
    operation_id = "update_sponsor",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organization's slug", example = "suse")),
    request_body(content((crate::services::writes::organizations::OrganizationInput = "application/merge-patch+json"), (crate::services::writes::organizations::OrganizationInput = "application/json"))),
    responses(
        (status = 200, description = "The changed organization", body = OrganizationPage,
            headers(("ETag" = String, description = "The new representation's tag"))),
        (status = 404, description = "No organization has this slug", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another organization has the new slug", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/sponsors/{slug}")]
pub async fn update_sponsor(
    state: web::Data<AppState>,
    caller: crate::auth::Writer,
    slug: web::Path<String>,
    precondition: Precondition,
    body: crate::extract::JsonBody<crate::services::writes::organizations::OrganizationInput>,
) -> ApiResult<HttpResponse> {
    let if_match = precondition.required()?;
    let written = crate::services::writes::update::<
        crate::services::writes::organizations::Organizations,
    >(&state.db, &caller, None, &slug, &if_match, body.0)
    .await?;
    Ok(crate::routes::updated(written))
}

/// Delete a sponsor
///
/// A soft delete, for admin tokens; refused (409) while the organization is still referenced by an
/// event. Needs `If-Match`.
#[utoipa::path(
    tag = "sponsors",
    operation_id = "delete_sponsor",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The organization's slug", example = "suse")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No organization has this slug", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Still referenced by an event", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/sponsors/{slug}")]
pub async fn delete_sponsor(
    state: web::Data<AppState>,
    caller: crate::auth::Writer,
    slug: web::Path<String>,
    precondition: Precondition,
) -> ApiResult<HttpResponse> {
    let if_match = precondition.required()?;
    crate::services::writes::delete::<crate::services::writes::organizations::Organizations>(
        &state.db, &caller, None, &slug, &if_match,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
