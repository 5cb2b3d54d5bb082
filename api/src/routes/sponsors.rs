//! `/api/v1/sponsors`: the organizations of the directory.

use actix_web::{HttpRequest, HttpResponse, get, web};
use entity::sea_orm_active_enums::SponsorTier;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiResult, Problem};
use crate::extract::Query;
use crate::routes::{found_or_moved, pagination};
use crate::services::directory::{self, Mentioned, SponsorFilter};
use crate::startup::AppState;
use crate::views::directory::{OrganizationPage, OrganizationSummary, SponsorshipView};
use crate::views::page::Page;
use crate::views::refs::PostRef;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_sponsors).service(get_sponsor);
}

/// Query parameters of `GET /api/v1/sponsors`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListSponsorsQuery {
    /// Words to find in the name or description (accents and case ignored).
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
    let after = pagination::cursor(query.cursor.as_deref(), "name")?;
    pagination::check_q(query.q.as_deref())?;
    let filter = SponsorFilter {
        q: query.q,
        event: query.event,
        tier: query.tier,
    };
    let (rows, next) =
        directory::list_organizations(&state.db, &filter, limit, after.as_ref()).await?;
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
        directory::organization_by_slug(&state.db, &slug).await?,
        &req,
        &slug,
        "organization",
    )? {
        Ok(record) => record,
        Err(redirect) => return Ok(redirect),
    };
    let sponsorships = directory::sponsorships_of(&state.db, org.id).await?;
    let posts = directory::posts_mentioning(&state.db, Mentioned::Organization(org.id)).await?;
    Ok(HttpResponse::Ok().json(OrganizationPage {
        organization: OrganizationSummary::from(&org),
        sponsorships: sponsorships
            .iter()
            .map(|(s, e)| SponsorshipView {
                event: e.into(),
                tier: s.tier,
            })
            .collect(),
        posts: posts.iter().map(PostRef::from).collect(),
    }))
}
