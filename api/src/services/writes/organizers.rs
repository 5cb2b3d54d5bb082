//! Writing organizers: a person organizing an event, in a role.

use entity::sea_orm_active_enums::{EntityType, OrganizerRole};
use entity::{event, organizer, person};
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

/// The body of `POST /events/{slug}/organizers` and `PATCH /events/{slug}/organizers/{person}`.
/// `person` (a speaker's slug) and `role` are required on create; `person` cannot change.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct OrganizerInput {
    #[schema(value_type = String, required = false, example = "whitney-lee")]
    #[serde(default)]
    pub person: Field<String>,
    #[schema(value_type = OrganizerRole, required = false)]
    #[serde(default)]
    pub role: Field<OrganizerRole>,
    #[serde(flatten)]
    #[schema(ignore)]
    pub unknown: Unknown,
}

impl OrganizerInput {
    /// The members a create must have (the schema `NewOrganizer`).
    pub const REQUIRED_ON_CREATE: &'static [&'static str] = &["person", "role"];
}

/// An organizer's writable state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OrganizerRecord {
    pub event_id: i64,
    pub person_id: i64,
    pub role: OrganizerRole,
}

/// The live organizers of an event.
pub async fn live_of(db: &DatabaseTransaction, event_id: i64) -> ApiResult<Vec<organizer::Model>> {
    Ok(organizer::Entity::find()
        .filter(organizer::Column::EventId.eq(event_id))
        .filter(organizer::Column::DeletedAt.is_null())
        .order_by_asc(organizer::Column::Id)
        .all(db)
        .await?)
}

pub async fn person_of(
    db: &impl sea_orm::ConnectionTrait,
    model: &organizer::Model,
) -> ApiResult<person::Model> {
    person::Entity::find_by_id(model.person_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("organizer without person")))
}

pub struct Organizers;

impl Resource for Organizers {
    type Model = organizer::Model;
    type Record = OrganizerRecord;
    type Input = OrganizerInput;
    const TYPE: EntityType = EntityType::Organizer;
    const WHAT: &'static str = "organizer";
    const CHILD: bool = true;

    fn id(model: &organizer::Model) -> i64 {
        model.id
    }

    async fn slug(
        db: &impl sea_orm::ConnectionTrait,
        model: &organizer::Model,
    ) -> ApiResult<String> {
        Ok(person_of(db, model).await?.slug)
    }

    fn event_id(model: &organizer::Model) -> Option<i64> {
        Some(model.event_id)
    }

    async fn location(
        db: &DatabaseTransaction,
        model: &organizer::Model,
        parent: Option<&event::Model>,
    ) -> ApiResult<String> {
        let event = parent.map(|p| p.slug.as_str()).unwrap_or_default();
        let org = person_of(db, model).await?;
        Ok(format!("/api/v1/events/{event}/organizers/{}", org.slug))
    }

    async fn find(
        db: &impl sea_orm::ConnectionTrait,
        parent: Option<&event::Model>,
        key: &str,
    ) -> ApiResult<Option<organizer::Model>> {
        let Some(parent) = parent else {
            return Ok(None);
        };
        Ok(organizer::Entity::find()
            .inner_join(person::Entity)
            .filter(organizer::Column::EventId.eq(parent.id))
            .filter(person::Column::Slug.eq(key))
            .filter(organizer::Column::DeletedAt.is_null())
            .one(db)
            .await?)
    }

    async fn record(
        _: &impl sea_orm::ConnectionTrait,
        m: &organizer::Model,
    ) -> ApiResult<OrganizerRecord> {
        Ok(OrganizerRecord {
            event_id: m.event_id,
            person_id: m.person_id,
            role: m.role,
        })
    }

    async fn build(
        db: &DatabaseTransaction,
        input: OrganizerInput,
        base: Option<(&organizer::Model, OrganizerRecord)>,
        parent: Option<&event::Model>,
    ) -> ApiResult<OrganizerRecord> {
        let mut b = Builder::new(base.is_none(), &input.unknown);
        let creating = b.creating();
        let mut r = base.map(|(_, r)| r).unwrap_or(OrganizerRecord {
            event_id: parent.map_or(0, |p| p.id),
            person_id: 0,
            role: OrganizerRole::CoOrganizer,
        });
        match input.person {
            Field::Value(slug) => {
                let found = person::Entity::find()
                    .filter(person::Column::Slug.eq(slug.as_str()))
                    .filter(person::Column::DeletedAt.is_null())
                    .one(db)
                    .await?;
                match found {
                    Some(found) if creating => r.person_id = found.id,
                    // Naming the current one again changes nothing (merge patch).
                    Some(found) if found.id == r.person_id => {}
                    Some(_) => b.error("person", "cannot be changed; delete and create instead"),
                    None => b.error("person", format!("no person has the slug `{slug}`")),
                }
            }
            other => {
                b.fixed("person", other);
            }
        }
        b.required("role", input.role, &mut r.role);
        b.finish(r)
    }

    fn authorize(
        _: &Caller,
        _: Option<&organizer::Model>,
        _: Option<&OrganizerRecord>,
    ) -> ApiResult<()> {
        Ok(())
    }

    async fn save(
        db: &DatabaseTransaction,
        existing: Option<&organizer::Model>,
        r: &OrganizerRecord,
    ) -> ApiResult<organizer::Model> {
        let at = now();
        let existing = match existing {
            Some(e) => Some(e.clone()),
            None => {
                // One row per event and person: a deleted one comes back to life.
                let row = organizer::Entity::find()
                    .filter(organizer::Column::EventId.eq(r.event_id))
                    .filter(organizer::Column::PersonId.eq(r.person_id))
                    .one(db)
                    .await?;
                if row.as_ref().is_some_and(|s| s.deleted_at.is_none()) {
                    return Err(ApiError::Conflict {
                        detail: "this person already organizes this event".to_owned(),
                        field: Some("/person".to_owned()),
                    });
                }
                row
            }
        };
        let model = match existing {
            Some(e) => {
                let version = e.version + 1;
                let mut am = e.into_active_model();
                am.role = Set(r.role);
                am.deleted_at = Set(None);
                am.updated_at = Set(at);
                am.version = Set(version);
                am.update(db).await?
            }
            None => {
                organizer::ActiveModel {
                    event_id: Set(r.event_id),
                    person_id: Set(r.person_id),
                    role: Set(r.role),
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
        model: &organizer::Model,
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
        model: &organizer::Model,
    ) -> ApiResult<Vec<u8>> {
        let org = person_of(db, model).await?;
        serde_json::to_vec(&view(model, &org)).map_err(|e| ApiError::Internal(e.into()))
    }
}

/// What `GET /events/{slug}/organizers/{person}` serves.
pub fn view(model: &organizer::Model, person: &person::Model) -> crate::views::refs::OrganizerView {
    crate::views::refs::OrganizerView {
        person: person.into(),
        role: model.role,
    }
}
