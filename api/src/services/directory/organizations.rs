//! Reading organizations: the list, one by slug, and their sponsorships.

use entity::sea_orm_active_enums::{EntityType, SponsorTier};
use entity::{event, organization, sponsorship};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::posts::{Mentioned, posts_mentioning};
use super::{Filter, among, search};
use crate::services::writes::links::{self, Sponsorships};
use crate::views::directory::{OrganizationPage, OrganizationSummary, SponsorshipView};
use crate::views::refs::PostRef;

/// Filters of the organizations list.
#[derive(Debug, Default, Clone)]
pub struct SponsorFilter {
    pub q: Option<String>,
    /// Slug of an event they sponsor.
    pub event: Option<String>,
    /// Only those with a sponsorship of this tier.
    pub tier: Option<SponsorTier>,
    /// Every organization, sponsor or not (employers, exhibitors).
    pub all: bool,
}

impl Filter for SponsorFilter {
    type Table = organization::Entity;
    /// The organizations the filter keeps.
    fn matching(&self, backend: sea_orm::DbBackend) -> sea_orm::Select<organization::Entity> {
        matching(backend, self)
    }
}

fn matching(
    backend: sea_orm::DbBackend,
    filter: &SponsorFilter,
) -> sea_orm::Select<organization::Entity> {
    let mut select = organization::Entity::find().filter(organization::Column::DeletedAt.is_null());
    select = search(select, backend, filter.q.as_deref());
    if filter.event.is_some() || filter.tier.is_some() || !filter.all {
        let mut sponsors = sponsorship::Entity::find()
            .inner_join(event::Entity)
            .filter(sponsorship::Column::DeletedAt.is_null());
        if let Some(slug) = &filter.event {
            sponsors = sponsors.filter(event::Column::Slug.eq(slug.as_str()));
        }
        if let Some(tier) = filter.tier {
            sponsors = sponsors.filter(
                Expr::col((sponsorship::Entity, sponsorship::Column::Tier)).eq(tier.as_str()),
            );
        }
        let id = organization::Column::Id;
        select = select.filter(among(id, sponsorship::Column::OrganizationId, sponsors));
    }
    select
}

/// An organization's page, as `GET /sponsors/{slug}` serves it.
pub async fn page(
    db: &impl ConnectionTrait,
    org: organization::Model,
) -> Result<OrganizationPage, DbErr> {
    let sponsorships = links::of_party::<Sponsorships>(db, org.id).await?;
    let posts = posts_mentioning(db, Mentioned::Organization(org.id)).await?;
    Ok(OrganizationPage {
        organization: OrganizationSummary::from(&org),
        sponsorships: sponsorships.iter().map(SponsorshipView::from).collect(),
        posts: posts.iter().map(PostRef::from).collect(),
        sources: crate::services::sources::of(db, EntityType::Organization, org.id).await?,
    })
}
