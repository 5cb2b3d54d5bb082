//! Writing sponsorships: an organization sponsoring an event, at a tier.

use entity::sea_orm_active_enums::{EntityType, SponsorTier};
use entity::{event, organization, sponsorship};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Resource;
use super::input::{Builder, Field, Unknown};
use crate::error::{ApiError, ApiResult};
use crate::services::caller::Caller;
use crate::services::text::now;

/// The body of `POST /events/{slug}/sponsors` and `PATCH /events/{slug}/sponsors/{organization}`.
/// `organization` (a sponsor's slug) is required on create and cannot change.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SponsorshipInput {
    #[schema(value_type = String, required = false, example = "suse")]
    #[serde(default)]
    pub organization: Field<String>,
    /// `null` when the tier is not known.
    #[schema(value_type = Option<SponsorTier>)]
    #[serde(default)]
    pub tier: Field<SponsorTier>,
    #[serde(flatten)]
    #[schema(ignore)]
    pub unknown: Unknown,
}

impl SponsorshipInput {
    /// The members a create must have (the schema `NewSponsorship`).
    pub const REQUIRED_ON_CREATE: &'static [&'static str] = &["organization"];
}

/// A sponsorship's writable state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SponsorshipRecord {
    pub event_id: i64,
    pub organization_id: i64,
    pub tier: Option<SponsorTier>,
}

/// The live sponsorships of an event.
pub async fn live_of(
    db: &DatabaseTransaction,
    event_id: i64,
) -> ApiResult<Vec<sponsorship::Model>> {
    Ok(sponsorship::Entity::find()
        .filter(sponsorship::Column::EventId.eq(event_id))
        .filter(sponsorship::Column::DeletedAt.is_null())
        .order_by_asc(sponsorship::Column::Id)
        .all(db)
        .await?)
}

pub async fn organization_of(
    db: &impl sea_orm::ConnectionTrait,
    model: &sponsorship::Model,
) -> ApiResult<organization::Model> {
    organization::Entity::find_by_id(model.organization_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("sponsorship without organization")))
}

pub struct Sponsorships;

impl Resource for Sponsorships {
    type Model = sponsorship::Model;
    type Record = SponsorshipRecord;
    type Input = SponsorshipInput;
    const TYPE: EntityType = EntityType::Sponsorship;
    const WHAT: &'static str = "sponsor";
    const CHILD: bool = true;

    fn id(model: &sponsorship::Model) -> i64 {
        model.id
    }

    async fn slug(
        db: &impl sea_orm::ConnectionTrait,
        model: &sponsorship::Model,
    ) -> ApiResult<String> {
        Ok(organization_of(db, model).await?.slug)
    }

    fn event_id(model: &sponsorship::Model) -> Option<i64> {
        Some(model.event_id)
    }

    async fn location(
        db: &DatabaseTransaction,
        model: &sponsorship::Model,
        parent: Option<&event::Model>,
    ) -> ApiResult<String> {
        let event = parent.map(|p| p.slug.as_str()).unwrap_or_default();
        let org = organization_of(db, model).await?;
        Ok(format!("/api/v1/events/{event}/sponsors/{}", org.slug))
    }

    async fn find(
        db: &impl sea_orm::ConnectionTrait,
        parent: Option<&event::Model>,
        key: &str,
    ) -> ApiResult<Option<sponsorship::Model>> {
        let Some(parent) = parent else {
            return Ok(None);
        };
        Ok(sponsorship::Entity::find()
            .inner_join(organization::Entity)
            .filter(sponsorship::Column::EventId.eq(parent.id))
            .filter(organization::Column::Slug.eq(key))
            .filter(sponsorship::Column::DeletedAt.is_null())
            .one(db)
            .await?)
    }

    async fn record(
        _: &impl sea_orm::ConnectionTrait,
        m: &sponsorship::Model,
    ) -> ApiResult<SponsorshipRecord> {
        Ok(SponsorshipRecord {
            event_id: m.event_id,
            organization_id: m.organization_id,
            tier: m.tier,
        })
    }

    async fn build(
        db: &DatabaseTransaction,
        input: SponsorshipInput,
        base: Option<(&sponsorship::Model, SponsorshipRecord)>,
        parent: Option<&event::Model>,
    ) -> ApiResult<SponsorshipRecord> {
        let mut b = Builder::new(base.is_none(), &input.unknown);
        let creating = b.creating();
        let mut r = base.map(|(_, r)| r).unwrap_or(SponsorshipRecord {
            event_id: parent.map_or(0, |p| p.id),
            organization_id: 0,
            tier: None,
        });
        match input.organization {
            Field::Value(slug) => {
                let found = organization::Entity::find()
                    .filter(organization::Column::Slug.eq(slug.as_str()))
                    .filter(organization::Column::DeletedAt.is_null())
                    .one(db)
                    .await?;
                match found {
                    Some(found) if creating => r.organization_id = found.id,
                    // Naming the current one again changes nothing (merge patch).
                    Some(found) if found.id == r.organization_id => {}
                    Some(_) => b.error(
                        "organization",
                        "cannot be changed; delete and create instead",
                    ),
                    None => b.error(
                        "organization",
                        format!("no organization has the slug `{slug}`"),
                    ),
                }
            }
            other => {
                b.fixed("organization", other);
            }
        }
        b.optional("tier", input.tier, &mut r.tier);
        b.finish(r)
    }

    fn authorize(
        _: &Caller,
        _: Option<&sponsorship::Model>,
        _: Option<&SponsorshipRecord>,
    ) -> ApiResult<()> {
        Ok(())
    }

    async fn save(
        db: &DatabaseTransaction,
        existing: Option<&sponsorship::Model>,
        r: &SponsorshipRecord,
    ) -> ApiResult<sponsorship::Model> {
        let at = now();
        let existing = match existing {
            Some(e) => Some(e.clone()),
            None => {
                // One row per event and organization: a deleted one comes back to life.
                let row = sponsorship::Entity::find()
                    .filter(sponsorship::Column::EventId.eq(r.event_id))
                    .filter(sponsorship::Column::OrganizationId.eq(r.organization_id))
                    .one(db)
                    .await?;
                if row.as_ref().is_some_and(|s| s.deleted_at.is_none()) {
                    return Err(ApiError::Conflict {
                        detail: "this organization already sponsors this event".to_owned(),
                        field: Some("/organization".to_owned()),
                    });
                }
                row
            }
        };
        let model = match existing {
            Some(e) => {
                let version = e.version + 1;
                let mut am = e.into_active_model();
                am.tier = Set(r.tier);
                am.deleted_at = Set(None);
                am.updated_at = Set(at);
                am.version = Set(version);
                am.update(db).await?
            }
            None => {
                sponsorship::ActiveModel {
                    event_id: Set(r.event_id),
                    organization_id: Set(r.organization_id),
                    tier: Set(r.tier),
                    created_at: Set(at),
                    updated_at: Set(at),
                    version: Set(1),
                    deleted_at: Set(None),
                    ..Default::default()
                }
                .insert(db)
                .await?
            }
        };
        Ok(model)
    }

    async fn remove(
        db: &DatabaseTransaction,
        _: &Caller,
        model: &sponsorship::Model,
    ) -> ApiResult<()> {
        let mut am = model.clone().into_active_model();
        am.deleted_at = Set(Some(now()));
        am.updated_at = Set(now());
        am.version = Set(model.version + 1);
        am.update(db).await?;
        Ok(())
    }

    async fn representation(
        db: &DatabaseTransaction,
        model: &sponsorship::Model,
    ) -> ApiResult<Vec<u8>> {
        let org = organization_of(db, model).await?;
        serde_json::to_vec(&view(model, &org)).map_err(|e| ApiError::Internal(e.into()))
    }
}

/// What `GET /events/{slug}/sponsors/{organization}` serves.
pub fn view(
    model: &sponsorship::Model,
    org: &organization::Model,
) -> crate::views::refs::EventSponsorView {
    crate::views::refs::EventSponsorView {
        organization: org.into(),
        tier: model.tier,
    }
}
