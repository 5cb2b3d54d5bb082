//! What a kind of record the write API changes has to say for itself.

use entity::event;
use entity::sea_orm_active_enums::EntityType;
use sea_orm::DatabaseTransaction;
use serde::Serialize;

use super::row::{self, Row};
use crate::error::{ApiError, ApiResult};
use crate::services::caller::Caller;

/// A kind of record the write API changes.
#[allow(async_fn_in_trait)]
pub trait Resource {
    type Model: Row;
    /// The writable state: what the audit log and the change feed carry.
    type Record: Serialize + Clone + for<'a> From<&'a Self::Model>;
    /// A request body.
    type Input;
    /// What `GET` serves for it.
    type View: Serialize;
    const TYPE: EntityType;
    /// Its name in messages (`event`).
    const WHAT: &'static str;
    /// The last segment of its collection's path (`speakers` in `/api/v1/speakers`).
    const COLLECTION: &'static str;
    /// Whether it lives under an event (`/events/{slug}/…`).
    const CHILD: bool = false;
    /// For records many events share (people, organizations): anyone with a token may add
    /// one, only admins change or delete them, and this says so in the 403.
    const ADMIN_CHANGES: Option<&'static str> = None;

    /// The event it is or belongs to, for that event's history.
    fn event_id(_: &Self::Model) -> Option<i64> {
        None
    }
    /// The slug the audit log shows for it and its URL ends with (for sponsorships and
    /// organizers, the organization's or the person's).
    async fn slug(_: &impl sea_orm::ConnectionTrait, model: &Self::Model) -> ApiResult<String> {
        Ok(model.slug().unwrap_or_default().to_owned())
    }
    /// Its URL.
    async fn location(
        db: &DatabaseTransaction,
        model: &Self::Model,
        parent: Option<&event::Model>,
    ) -> ApiResult<String> {
        let slug = Self::slug(db, model).await?;
        Ok(match parent {
            Some(event) => format!("/api/v1/events/{}/{}/{slug}", event.slug, Self::COLLECTION),
            None => format!("/api/v1/{}/{slug}", Self::COLLECTION),
        })
    }

    /// The live record at `key` (in `parent` for children).
    async fn find(
        db: &impl sea_orm::ConnectionTrait,
        parent: Option<&event::Model>,
        key: &str,
    ) -> ApiResult<Option<Self::Model>> {
        row::live(db, key, parent.map(|p| p.id)).await
    }
    async fn record(
        _db: &impl sea_orm::ConnectionTrait,
        model: &Self::Model,
    ) -> ApiResult<Self::Record> {
        Ok(model.into())
    }
    /// Applies `input` to `base` (the current record; `None` to create) and validates the
    /// result, reporting every problem at once.
    async fn build(
        db: &DatabaseTransaction,
        input: Self::Input,
        base: Option<(&Self::Model, Self::Record)>,
        parent: Option<&event::Model>,
    ) -> ApiResult<Self::Record>;
    /// Beyond the parent event's scope (checked for every child): may `caller` turn
    /// `existing` into `new`? (`db` is the write's transaction, for what `new` links to.)
    async fn authorize(
        _db: &DatabaseTransaction,
        caller: &Caller,
        existing: Option<&Self::Model>,
        _new: Option<&Self::Record>,
    ) -> ApiResult<()> {
        match (existing, Self::ADMIN_CHANGES) {
            (Some(_), Some(what)) => caller.check_admin(what),
            _ => Ok(()),
        }
    }
    /// Inserts (`existing` is `None`) or updates the row, bumping its version.
    async fn save(
        db: &DatabaseTransaction,
        existing: Option<&Self::Model>,
        record: &Self::Record,
    ) -> ApiResult<Self::Model>;
    /// Soft-deletes the row, after what depends on it (audited through `caller`).
    async fn remove(
        db: &DatabaseTransaction,
        _caller: &Caller,
        model: &Self::Model,
    ) -> ApiResult<()> {
        row::soft_delete(db, model).await
    }
    /// What `GET` serves for it.
    async fn view(db: &impl sea_orm::ConnectionTrait, model: &Self::Model)
    -> ApiResult<Self::View>;
    /// The bytes `GET` serves for it.
    async fn representation(
        db: &impl sea_orm::ConnectionTrait,
        model: &Self::Model,
    ) -> ApiResult<Vec<u8>> {
        serde_json::to_vec(&Self::view(db, model).await?).map_err(|e| ApiError::Internal(e.into()))
    }
}
