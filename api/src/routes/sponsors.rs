//! `/api/v1/sponsors`: the organizations of the directory.

use actix_web::{delete, get, patch, post};
use entity::sea_orm_active_enums::SponsorTier;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::Problem;
use crate::routes::found::OrganizationAt;
use crate::routes::pagination::{self, paged_routes};
use crate::routes::resource::write_routes;
use crate::services::directory;
use crate::services::directory::organizations::{self, SponsorFilter};
use crate::services::writes::organizations::{OrganizationInput, Organizations};
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
    /// Every organization of the directory, sponsor or not (employers, exhibitors), instead of
    /// only those with a sponsorship.
    pub all: Option<bool>,
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
    /// List sponsors
    ///
    /// The organizations that sponsor an event, sorted by name; with `all=true`, every
    /// organization of the directory (employers, exhibitors) too.
    list_sponsors "/sponsors" ListSponsorsQuery, "sponsors", "A page of organizations" OrganizationSummary,
        |db, query| {
            let (limit, after) =
                pagination::page(query.limit, query.cursor.as_deref(), query.q.as_deref(), "name")?;
            let filter = SponsorFilter {
                q: query.q,
                event: query.event,
                tier: query.tier,
                all: query.all.unwrap_or(false),
            };
            let (rows, next) = directory::list_by_name(db, &filter, limit, after.as_ref()).await?;
            let count = directory::count(db, &filter);
            let total = pagination::total(query.count.unwrap_or(false), count).await?;
            (rows.iter().map(OrganizationSummary::from).collect(), limit, next, total)
        };
}

write_routes! {
    Organizations, OrganizationInput => OrganizationPage, "sponsors" ("slug" = String, Path, description = "The organization's slug", example = "suse"),
        "/sponsors" "/sponsors/{slug}",
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
    /// Get a sponsor
    ///
    /// An organization with its sponsorships by event and tier, and the posts that mention it.
    get get_sponsor OrganizationAt, "The organization", "No organization has this slug",
        |db, org| organizations::page(db, org).await?;
}
