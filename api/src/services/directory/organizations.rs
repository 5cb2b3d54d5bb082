//! Reading organizations: the list, one by slug, and their sponsorships.

use entity::sea_orm_active_enums::{EntityType, SponsorTier};
use entity::{event, organization, sponsorship};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, QueryTrait,
};

use super::posts::{Mentioned, posts_mentioning};
use super::{by_slug, page_by_name, search};
use crate::services::cursor::Cursor;
use crate::services::events::Lookup;
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

/// Organizations by name, a page at a time.
pub async fn list_organizations(
    db: &impl ConnectionTrait,
    filter: &SponsorFilter,
    limit: u64,
    after: Option<&Cursor>,
) -> Result<(Vec<organization::Model>, Option<Cursor>), DbErr> {
    let select = matching(db.get_database_backend(), filter);
    page_by_name(db, select, limit, after).await
}

/// How many organizations `filter` matches.
pub async fn count_organizations(
    db: &impl ConnectionTrait,
    filter: &SponsorFilter,
) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    matching(db.get_database_backend(), filter).count(db).await
}

/// The organizations `filter` matches.
fn matching(
    backend: sea_orm::DbBackend,
    filter: &SponsorFilter,
) -> sea_orm::Select<organization::Entity> {
    let mut select = organization::Entity::find().filter(organization::Column::DeletedAt.is_null());
    select = search(select, backend, filter.q.as_deref());
    if filter.event.is_some() || filter.tier.is_some() || !filter.all {
        let mut sponsors = sponsorship::Entity::find()
            .select_only()
            .column(sponsorship::Column::OrganizationId)
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
        select = select.filter(organization::Column::Id.in_subquery(sponsors.into_query()));
    }
    select
}

pub async fn organization_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Lookup<organization::Model>, DbErr> {
    by_slug::<organization::Entity>(db, EntityType::Organization, slug).await
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
        sponsorships: sponsorships
            .iter()
            .map(|(s, e)| SponsorshipView {
                event: e.into(),
                tier: s.tier,
            })
            .collect(),
        posts: posts.iter().map(PostRef::from).collect(),
    })
}
