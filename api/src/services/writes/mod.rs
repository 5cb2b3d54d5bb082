//! Writes: one transaction each, serialized by the data version, checked against `If-Match`,
//! validated as a whole and audited in the same transaction.
//!
//! Every resource implements [`Resource`]; [`create`], [`update`] and [`delete`] hold the
//! steps they share. A write transaction begins by incrementing the one-row data version,
//! which takes its lock until commit: writes run one at a time, so a precondition checked in
//! the transaction cannot go stale before the write, and audit entries are numbered in commit
//! order (the change feed's cursor).

pub mod events;
pub mod history;
pub mod input;
pub mod organizations;
pub mod organizers;
pub mod people;
pub mod sponsorships;
pub mod talks;
mod writer;

use chrono::{DateTime, SubsecRound, Utc};
use entity::sea_orm_active_enums::{AuditAction, EntityType};
use entity::{audit_entry, data_version, event};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, QueryFilter, Set, TransactionTrait,
};
use serde::Serialize;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::services::events::Lookup;

/// Writers of this process take turns here before they take a database connection: a write
/// waits for the database's write lock anyway, and waiting here keeps the pool's connections
/// for readers instead of parking them behind that lock.
static WRITE_GATE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The current time as stored (microseconds).
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Begins a write transaction and takes the write lock (see the module documentation). Every
/// transaction that changes data begins here, the importer's too.
pub async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let txn = db.begin().await?;
    data_version::Entity::update_many()
        .col_expr(
            data_version::Column::Value,
            Expr::col(data_version::Column::Value).add(1),
        )
        .filter(data_version::Column::Id.eq(1))
        .exec(&txn)
        .await?;
    Ok(txn)
}

/// The strong entity tag of a representation: the same hash `GET` sends as `ETag`.
pub fn etag_of(body: &[u8]) -> String {
    format!("\"{}\"", &blake3::hash(body).to_hex()[..32])
}

/// What a successful create or update sends back.
#[derive(Debug)]
pub struct Written {
    /// The representation `GET` would serve now.
    pub body: Vec<u8>,
    pub etag: String,
    /// The resource's URL.
    pub location: String,
}

/// The `If-Match` of a request, which `PATCH` and `DELETE` require.
#[derive(Debug, Clone)]
pub enum IfMatch {
    Any,
    Tags(Vec<String>),
}

impl IfMatch {
    /// Reads the header; 428 when it is missing.
    pub fn from_request(req: &actix_web::HttpRequest) -> ApiResult<Self> {
        let Some(value) = req.headers().get(actix_web::http::header::IF_MATCH) else {
            return Err(ApiError::PreconditionRequired(
                "this write needs `If-Match` with the resource's current ETag (GET it first)"
                    .to_owned(),
            ));
        };
        let text = value.to_str().unwrap_or_default().trim();
        if text == "*" {
            return Ok(IfMatch::Any);
        }
        Ok(IfMatch::Tags(
            text.split(',')
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect(),
        ))
    }

    /// 412 unless the current representation of `model` is listed (`*`: any representation,
    /// so none is rendered).
    async fn check_against<R: Resource>(
        &self,
        txn: &DatabaseTransaction,
        model: &R::Model,
    ) -> ApiResult<()> {
        match self {
            IfMatch::Any => Ok(()),
            IfMatch::Tags(_) => self.check(&etag_of(&R::representation(txn, model).await?)),
        }
    }

    /// 412 unless `etag` is listed. The comparison is strong: weak tags never match.
    pub fn check(&self, etag: &str) -> ApiResult<()> {
        let ok = match self {
            IfMatch::Any => true,
            IfMatch::Tags(tags) => tags.iter().any(|t| t == etag),
        };
        if ok {
            Ok(())
        } else {
            Err(ApiError::PreconditionFailed(format!(
                "the resource has changed: its current ETag is {etag}; GET it again and \
                 reapply your change"
            )))
        }
    }
}

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

/// The live event at `slug`, for a child resource's path.
pub async fn parent_event(db: &impl ConnectionTrait, slug: &str) -> ApiResult<event::Model> {
    match crate::services::events::find_by_slug(db, slug).await? {
        Lookup::Found(event) => Ok(event),
        Lookup::Moved(current) => Err(ApiError::NotFound(format!(
            "no event has the slug `{slug}`; it is now `{current}`"
        ))),
        Lookup::Missing => Err(ApiError::NotFound(format!(
            "no event has the slug `{slug}`"
        ))),
    }
}

async fn scope<R: Resource>(
    txn: &DatabaseTransaction,
    caller: &Caller,
    parent_slug: Option<&str>,
) -> ApiResult<Option<event::Model>> {
    let parent = match parent_slug {
        Some(slug) if R::CHILD => Some(parent_event(txn, slug).await?),
        _ => None,
    };
    if let Some(parent) = &parent {
        caller.check_event(parent)?;
    }
    Ok(parent)
}

async fn existing<R: Resource>(
    txn: &DatabaseTransaction,
    parent: Option<&event::Model>,
    key: &str,
) -> ApiResult<R::Model> {
    R::find(txn, parent, key).await?.ok_or_else(|| {
        ApiError::NotFound(match parent {
            Some(p) => format!("the event `{}` has no {} `{key}`", p.slug, R::WHAT),
            None => format!("no {} has the slug `{key}`", R::WHAT),
        })
    })
}

/// Runs a write on the writer thread (see [`writer`]) with owned copies of what every write
/// takes.
async fn on_writer<T, Fut>(
    db: &DatabaseConnection,
    caller: &Caller,
    parent_slug: Option<&str>,
    write: impl FnOnce(DatabaseConnection, Caller, Option<String>) -> Fut + Send + 'static,
) -> ApiResult<T>
where
    T: Send + 'static,
    Fut: std::future::Future<Output = ApiResult<T>> + 'static,
{
    let (db, caller, parent) = (db.clone(), caller.clone(), parent_slug.map(str::to_owned));
    writer::run(move || write(db, caller, parent)).await
}

/// `POST`: creates the record; 201 with its representation.
pub async fn create<R: Resource + 'static>(
    db: &DatabaseConnection,
    caller: &Caller,
    parent_slug: Option<&str>,
    input: R::Input,
) -> ApiResult<Written>
where
    R::Input: Send + 'static,
{
    on_writer(
        db,
        caller,
        parent_slug,
        move |db, caller, parent| async move {
            create_here::<R>(&db, &caller, parent.as_deref(), input).await
        },
    )
    .await
}

/// `PATCH`: applies a merge patch if `If-Match` holds; 200 with the new representation.
pub async fn update<R: Resource + 'static>(
    db: &DatabaseConnection,
    caller: &Caller,
    parent_slug: Option<&str>,
    key: &str,
    if_match: &IfMatch,
    input: R::Input,
) -> ApiResult<Written>
where
    R::Input: Send + 'static,
{
    let (key, if_match) = (key.to_owned(), if_match.clone());
    on_writer(
        db,
        caller,
        parent_slug,
        move |db, caller, parent| async move {
            update_here::<R>(&db, &caller, parent.as_deref(), &key, &if_match, input).await
        },
    )
    .await
}

/// `DELETE`: soft-deletes the record if `If-Match` holds.
pub async fn delete<R: Resource + 'static>(
    db: &DatabaseConnection,
    caller: &Caller,
    parent_slug: Option<&str>,
    key: &str,
    if_match: &IfMatch,
) -> ApiResult<()> {
    let (key, if_match) = (key.to_owned(), if_match.clone());
    on_writer(
        db,
        caller,
        parent_slug,
        move |db, caller, parent| async move {
            delete_here::<R>(&db, &caller, parent.as_deref(), &key, &if_match).await
        },
    )
    .await
}

async fn create_here<R: Resource>(
    db: &DatabaseConnection,
    caller: &Caller,
    parent_slug: Option<&str>,
    input: R::Input,
) -> ApiResult<Written> {
    let _turn = WRITE_GATE.lock().await;
    let txn = begin(db).await?;
    let parent = scope::<R>(&txn, caller, parent_slug).await?;
    let record = R::build(&txn, input, None, parent.as_ref()).await?;
    R::authorize(caller, None, Some(&record))?;
    let model = R::save(&txn, None, &record).await?;
    let after = serde_json::to_value(&record).map_err(anyhow::Error::from)?;
    audit::<R>(
        &txn,
        &caller.into(),
        AuditAction::Create,
        &model,
        None,
        Some(after),
    )
    .await?;
    finish::<R>(txn, &model, parent.as_ref()).await
}

async fn update_here<R: Resource>(
    db: &DatabaseConnection,
    caller: &Caller,
    parent_slug: Option<&str>,
    key: &str,
    if_match: &IfMatch,
    input: R::Input,
) -> ApiResult<Written> {
    let _turn = WRITE_GATE.lock().await;
    let txn = begin(db).await?;
    let parent = scope::<R>(&txn, caller, parent_slug).await?;
    let current = existing::<R>(&txn, parent.as_ref(), key).await?;
    R::authorize(caller, Some(&current), None)?;
    if_match.check_against::<R>(&txn, &current).await?;
    let before = R::record(&txn, &current).await?;
    let after = R::build(
        &txn,
        input,
        Some((&current, before.clone())),
        parent.as_ref(),
    )
    .await?;
    R::authorize(caller, Some(&current), Some(&after))?;
    let (old, new) = input::changed(&before, &after);
    if new.is_empty() {
        // Nothing changes: no new version, no audit entry.
        return finish::<R>(txn, &current, parent.as_ref()).await;
    }
    let model = R::save(&txn, Some(&current), &after).await?;
    audit::<R>(
        &txn,
        &caller.into(),
        AuditAction::Update,
        &model,
        Some(old.into()),
        Some(new.into()),
    )
    .await?;
    finish::<R>(txn, &model, parent.as_ref()).await
}

async fn delete_here<R: Resource>(
    db: &DatabaseConnection,
    caller: &Caller,
    parent_slug: Option<&str>,
    key: &str,
    if_match: &IfMatch,
) -> ApiResult<()> {
    let _turn = WRITE_GATE.lock().await;
    let txn = begin(db).await?;
    let parent = scope::<R>(&txn, caller, parent_slug).await?;
    let current = existing::<R>(&txn, parent.as_ref(), key).await?;
    R::authorize(caller, Some(&current), None)?;
    if_match.check_against::<R>(&txn, &current).await?;
    let before =
        serde_json::to_value(R::record(&txn, &current).await?).map_err(anyhow::Error::from)?;
    R::remove(&txn, caller, &current).await?;
    audit::<R>(
        &txn,
        &caller.into(),
        AuditAction::Delete,
        &current,
        Some(before),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn finish<R: Resource>(
    txn: DatabaseTransaction,
    model: &R::Model,
    parent: Option<&event::Model>,
) -> ApiResult<Written> {
    let body = R::representation(&txn, model).await?;
    let location = R::location(&txn, model, parent).await?;
    txn.commit().await?;
    Ok(Written {
        etag: etag_of(&body),
        body,
        location,
    })
}

/// Who wrote: a token, or the importer.
#[derive(Debug, Clone)]
pub struct Actor {
    pub token_id: Option<i64>,
    pub name: String,
}

impl Actor {
    /// The corpus and catalog importer.
    pub fn import() -> Self {
        Self {
            token_id: None,
            name: "import".to_owned(),
        }
    }
}

impl From<&Caller> for Actor {
    fn from(caller: &Caller) -> Self {
        Self {
            token_id: Some(caller.token_id),
            name: caller.name.clone(),
        }
    }
}

/// Records one write of `model` in the audit log.
pub async fn audit<R: Resource>(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    action: AuditAction,
    model: &R::Model,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> ApiResult<()> {
    audit_entry::ActiveModel {
        token_id: Set(actor.token_id),
        token_name: Set(actor.name.clone()),
        at: Set(now()),
        action: Set(action),
        entity_type: Set(R::TYPE),
        entity_id: Set(R::id(model)),
        entity_slug: Set(R::slug(txn, model).await?),
        event_id: Set(R::event_id(model)),
        before: Set(before),
        after: Set(after),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Audits a create (`before` is `None`) or an update of `model` made outside the write API
/// (by the importer), so the change feed has it; nothing when no writable field changed.
pub async fn record_change<R: Resource>(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    model: &R::Model,
    before: Option<R::Record>,
) -> ApiResult<()> {
    let after = R::record(txn, model).await?;
    let to_json = |r: &R::Record| serde_json::to_value(r).map_err(anyhow::Error::from);
    match before {
        None => {
            audit::<R>(
                txn,
                actor,
                AuditAction::Create,
                model,
                None,
                Some(to_json(&after)?),
            )
            .await
        }
        Some(before) => {
            let (old, new) = input::changed(&before, &after);
            if new.is_empty() {
                return Ok(());
            }
            let action = AuditAction::Update;
            audit::<R>(
                txn,
                actor,
                action,
                model,
                Some(old.into()),
                Some(new.into()),
            )
            .await
        }
    }
}

/// Deletes `model` through the same steps as `DELETE` (for cascades), without a precondition.
pub async fn delete_dependent<R: Resource>(
    txn: &DatabaseTransaction,
    caller: &Caller,
    model: &R::Model,
) -> ApiResult<()> {
    let before = serde_json::to_value(R::record(txn, model).await?).map_err(anyhow::Error::from)?;
    R::remove(txn, caller, model).await?;
    audit::<R>(
        txn,
        &caller.into(),
        AuditAction::Delete,
        model,
        Some(before),
        None,
    )
    .await
}

/// 409 naming the slug when another live or deleted record of this kind holds it.
pub fn slug_taken(what: &str, slug: &str) -> ApiError {
    ApiError::Conflict {
        detail: format!("another {what} already has the slug `{slug}`"),
        field: Some("/slug".to_owned()),
    }
}

/// Keeps `old` as an alias of the record `id` after a slug change.
pub async fn keep_alias(
    txn: &DatabaseTransaction,
    entity_type: EntityType,
    old: &str,
    new: &str,
    id: i64,
) -> ApiResult<()> {
    use entity::slug_alias;
    if old == new {
        return Ok(());
    }
    // The new slug is now a record's own; an alias with it would only shadow nothing.
    slug_alias::Entity::delete_many()
        .filter(slug_alias::Column::EntityType.eq(entity_type))
        .filter(slug_alias::Column::Slug.is_in([old, new]))
        .exec(txn)
        .await?;
    slug_alias::ActiveModel {
        entity_type: Set(entity_type),
        slug: Set(old.to_owned()),
        target_id: Set(id),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The slug made from a name (`KCD México 2025` → `kcd-mexico-2025`).
pub fn slug_from(name: &str) -> String {
    let mut slug = slug::slugify(name);
    slug.truncate(200);
    slug.trim_end_matches('-').to_owned()
}
