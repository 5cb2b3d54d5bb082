//! Writes: one transaction each, serialized by the data version, checked against `If-Match`,
//! validated as a whole and audited in the same transaction.
//!
//! Every resource implements [`Resource`]; [`create`], [`update`] and [`delete`] hold the
//! steps they share. A write transaction begins by incrementing the one-row data version,
//! which takes its lock until commit: writes run one at a time, so a precondition checked in
//! the transaction cannot go stale before the write, and audit entries are numbered in commit
//! order (the change feed's cursor).

mod audit;
pub mod events;
pub mod history;
pub mod input;
pub mod links;
pub mod organizations;
pub mod participations;
pub mod people;
mod precondition;
mod resource;
pub mod row;
mod rules;
pub mod slugs;
pub mod stale;
pub mod talks;
mod writer;

pub use audit::{Actor, Change, audit, record_change, record_removal};
pub use precondition::IfMatch;
pub use resource::Resource;
pub use slugs::{claim, keep_alias, slug_taken, store_renamed};

use entity::{data_version, event};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, TransactionTrait,
};

use crate::error::{ApiError, ApiResult};
use crate::services::caller::Caller;
use crate::services::events::Lookup;

/// Writers of this process take turns here before they take a database connection: a write
/// waits for the database's write lock anyway, and waiting here keeps the pool's connections
/// for readers instead of parking them behind that lock.
static WRITE_GATE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

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

/// The live event at `slug`, for a child resource's path.
pub async fn parent_event(db: &impl ConnectionTrait, slug: &str) -> ApiResult<event::Model> {
    match crate::services::directory::by_slug::<entity::event::Model>(db, slug).await? {
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
    write: impl FnOnce(DatabaseConnection, Caller) -> Fut + Send + 'static,
) -> ApiResult<T>
where
    T: Send + 'static,
    Fut: std::future::Future<Output = ApiResult<T>> + 'static,
{
    let (db, caller) = (db.clone(), caller.clone());
    writer::run(move || stale::collecting(write(db, caller))).await
}

/// The record a change or a delete is for, and the representation it was made from.
#[derive(Clone, Debug)]
pub struct At {
    /// The event the record belongs to, for an event's talks, sponsors and organizers.
    pub parent: Option<String>,
    /// Its slug (or, for a child, its key within the event).
    pub key: String,
    pub if_match: IfMatch,
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
    let parent = parent_slug.map(str::to_owned);
    on_writer(db, caller, move |db, caller| async move {
        create_here::<R>(&db, &caller, parent.as_deref(), input).await
    })
    .await
}

/// `PATCH`: applies a merge patch if `If-Match` holds; 200 with the new representation.
pub async fn update<R: Resource + 'static>(
    db: &DatabaseConnection,
    caller: &Caller,
    at: At,
    input: R::Input,
) -> ApiResult<Written>
where
    R::Input: Send + 'static,
{
    on_writer(db, caller, move |db, caller| async move {
        update_here::<R>(&db, &caller, &at, input).await
    })
    .await
}

/// `DELETE`: soft-deletes the record if `If-Match` holds.
pub async fn delete<R: Resource + 'static>(
    db: &DatabaseConnection,
    caller: &Caller,
    at: At,
) -> ApiResult<()> {
    on_writer(db, caller, move |db, caller| async move {
        delete_here::<R>(&db, &caller, &at).await
    })
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
    R::authorize(&txn, caller, None, Some(&record)).await?;
    let model = R::save(&txn, None, &record).await?;
    audit::<R>(
        &txn,
        &caller.into(),
        &model,
        Change::Create(Change::json(&record)?),
    )
    .await?;
    finish::<R>(txn, &model, parent.as_ref()).await
}

/// Begins the write of the record `at`: the transaction, the parent event and the record,
/// once the caller may touch it and `If-Match` holds.
async fn current<R: Resource>(
    db: &DatabaseConnection,
    caller: &Caller,
    at: &At,
) -> ApiResult<(DatabaseTransaction, Option<event::Model>, R::Model)> {
    let txn = begin(db).await?;
    let parent = scope::<R>(&txn, caller, at.parent.as_deref()).await?;
    let current = existing::<R>(&txn, parent.as_ref(), &at.key).await?;
    R::authorize(&txn, caller, Some(&current), None).await?;
    at.if_match.check_against::<R>(&txn, &current).await?;
    Ok((txn, parent, current))
}

async fn update_here<R: Resource>(
    db: &DatabaseConnection,
    caller: &Caller,
    at: &At,
    input: R::Input,
) -> ApiResult<Written> {
    let _turn = WRITE_GATE.lock().await;
    let (txn, parent, current) = current::<R>(db, caller, at).await?;
    let before = R::record(&txn, &current).await?;
    let after = R::build(
        &txn,
        input,
        Some((&current, before.clone())),
        parent.as_ref(),
    )
    .await?;
    R::authorize(&txn, caller, Some(&current), Some(&after)).await?;
    let (old, new) = input::changed(&before, &after);
    if new.is_empty() {
        // Nothing changes: no new version, no audit entry.
        return finish::<R>(txn, &current, parent.as_ref()).await;
    }
    let model = R::save(&txn, Some(&current), &after).await?;
    audit::<R>(&txn, &caller.into(), &model, Change::Update(old, new)).await?;
    finish::<R>(txn, &model, parent.as_ref()).await
}

async fn delete_here<R: Resource>(
    db: &DatabaseConnection,
    caller: &Caller,
    at: &At,
) -> ApiResult<()> {
    let _turn = WRITE_GATE.lock().await;
    let (txn, _, current) = current::<R>(db, caller, at).await?;
    delete_dependent::<R>(&txn, caller, &current).await?;
    stale::record(&txn).await?;
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
    stale::record(&txn).await?;
    txn.commit().await?;
    Ok(Written {
        etag: etag_of(&body),
        body,
        location,
    })
}

/// Deletes `model` through the same steps as `DELETE` (for cascades), without a precondition.
pub async fn delete_dependent<R: Resource>(
    txn: &DatabaseTransaction,
    caller: &Caller,
    model: &R::Model,
) -> ApiResult<()> {
    let before = Change::json(&R::record(txn, model).await?)?;
    R::remove(txn, caller, model).await?;
    audit::<R>(txn, &caller.into(), model, Change::Delete(before)).await
}
