//! What a kind of record the write API changes has to say for itself.

use entity::event;
use entity::sea_orm_active_enums::EntityType;
use sea_orm::DatabaseTransaction;
use serde::Serialize;

use crate::error::ApiResult;
use crate::services::caller::Caller;

/// A kind of record the write API changes.
#[allow(async_fn_in_trait)]
pub trait Resource {
    type Model: Clone;
    /// The writable state: what the audit log and the change feed carry.
    type Record: Serialize + Clone;
    /// A request body.
    type Input;
    const TYPE: EntityType;
    /// Its name in messages (`event`).
    const WHAT: &'static str;
    /// Whether it lives under an event (`/events/{slug}/…`).
    const CHILD: bool;

    fn id(model: &Self::Model) -> i64;
    /// The event it is or belongs to, for that event's history.
    fn event_id(model: &Self::Model) -> Option<i64>;
    /// The slug the audit log shows for it (for sponsorships and organizers, the
    /// organization's or the person's).
    async fn slug(db: &impl sea_orm::ConnectionTrait, model: &Self::Model) -> ApiResult<String>;
    /// Its URL.
    async fn location(
        db: &DatabaseTransaction,
        model: &Self::Model,
        parent: Option<&event::Model>,
    ) -> ApiResult<String>;

    /// The live record at `key` (in `parent` for children).
    async fn find(
        db: &impl sea_orm::ConnectionTrait,
        parent: Option<&event::Model>,
        key: &str,
    ) -> ApiResult<Option<Self::Model>>;
    async fn record(
        db: &impl sea_orm::ConnectionTrait,
        model: &Self::Model,
    ) -> ApiResult<Self::Record>;
    /// Applies `input` to `base` (the current record; `None` to create) and validates the
    /// result, reporting every problem at once.
    async fn build(
        db: &DatabaseTransaction,
        input: Self::Input,
        base: Option<(&Self::Model, Self::Record)>,
        parent: Option<&event::Model>,
    ) -> ApiResult<Self::Record>;
    /// Beyond the parent event's scope: may `caller` turn `existing` into `new`?
    fn authorize(
        caller: &Caller,
        existing: Option<&Self::Model>,
        new: Option<&Self::Record>,
    ) -> ApiResult<()>;
    /// Inserts (`existing` is `None`) or updates the row, bumping its version.
    async fn save(
        db: &DatabaseTransaction,
        existing: Option<&Self::Model>,
        record: &Self::Record,
    ) -> ApiResult<Self::Model>;
    /// Soft-deletes the row, after what depends on it (audited through `caller`).
    async fn remove(
        db: &DatabaseTransaction,
        caller: &Caller,
        model: &Self::Model,
    ) -> ApiResult<()>;
    /// The bytes `GET` serves for it.
    async fn representation(db: &DatabaseTransaction, model: &Self::Model) -> ApiResult<Vec<u8>>;
}
