//! `/api/v1/sponsors`: the organizations of the directory.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use entity::sea_orm_active_enums::SponsorTier;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiResult, Problem};
use crate::extract::Query;
use crate::routes::resource::write_routes;
use crate::routes::{found_or_moved, pagination};
use crate::services::cursor::Cursor;
use crate::services::directory::organizations::{self, SponsorFilter};
use crate::services::writes::organizations::{OrganizationInput, Organizations};
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

write_routes! {
    Organizations,
    OrganizationInput,
    OrganizationPage,
    "sponsors",
    ("slug" = String, Path, description = "The organization's slug", example = "suse"),
    "/sponsors",
    "/sponsors/{slug}",
    /// Add a sponsor
    ///
    /// Any token may add an organization; the slug is made from the name unless given.
    create create_sponsor "The new URL", "The new representation's tag", "Another organization has this slug";
    /// Change a sponsor
    ///
    /// A JSON Merge Patch, for admin tokens. Needs `If-Match`; a new slug keeps the old one as a
    /// redirect.
    update update_sponsor "The changed organization", "No organization has this slug", "Another organization has the new slug";
    /// Delete a sponsor
    ///
    /// A soft delete, for admin tokens; refused (409) while the organization is still referenced by an
    /// event. Needs `If-Match`.
    delete delete_sponsor "Still referenced by an event";
}
