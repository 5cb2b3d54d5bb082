//! What every table the write API changes has in common — an id, a version, `created_at`,
//! `updated_at` and a soft delete (`deleted_at`), and for most a slug — so that one function
//! serves every table. Columns are reached by their name in the schema.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Select,
};

use crate::error::ApiResult;
use crate::services::text::now;

/// A row of a table with a version and a soft delete.
pub trait Row:
    sea_orm::ModelTrait + Clone + Send + Sync + IntoActiveModel<Self::Active> + 'static
{
    type Table: EntityTrait<Model = Self>;
    type Active: ActiveModelTrait<Entity = Self::Table>
        + ActiveModelBehavior
        + sea_orm::TryIntoModel<Self>
        + Send;
    fn id(&self) -> i64;
    fn version(&self) -> i32;
    fn deleted(&self) -> bool;
    /// Its own slug; a link (an organizer, a sponsorship) has none.
    fn slug(&self) -> Option<&str>;
}

/// Sets each named column of the active model `am` to the record `r`'s field of the same
/// name: `set!(am, r; slug, name, city)`.
macro_rules! set {
    ($am:ident, $r:ident; $($field:ident),+ $(,)?) => {
        $( $am.$field = sea_orm::Set(Clone::clone(&$r.$field)); )+
    };
}
pub(crate) use set;

/// Like [`set!`], but leaves a column unchanged (not `Set`) when the value is the one it holds,
/// so an update writes only what differs: `set_changed!(am, e; name, website)`.
macro_rules! set_changed {
    ($am:ident, $r:ident; $($field:ident),+ $(,)?) => {
        $( $am.$field.set_if_not_equals(Clone::clone(&$r.$field)); )+
    };
}
pub(crate) use set_changed;

macro_rules! rows {
    ($($table:ident $(.$slug:ident)?),* $(,)?) => {$(
        impl Row for entity::$table::Model {
            type Table = entity::$table::Entity;
            type Active = entity::$table::ActiveModel;
            fn id(&self) -> i64 {
                self.id
            }
            fn version(&self) -> i32 {
                self.version
            }
            fn deleted(&self) -> bool {
                self.deleted_at.is_some()
            }
            fn slug(&self) -> Option<&str> {
                Option::<&str>::None $(.or(Some(self.$slug.as_str())))?
            }
        }
    )*};
}

rows!(
    event.slug,
    person.slug,
    organization.slug,
    post.slug,
    talk.slug,
    organizer,
    participation,
    sponsorship
);

/// The column of `T` named `name` in the schema.
pub fn column<T: EntityTrait>(name: &str) -> T::Column {
    T::Column::from_str(name).unwrap_or_else(|_| {
        panic!(
            "the table `{}` has no column `{name}`",
            T::default().table_name()
        )
    })
}

/// The rows of `M` with `slug` (within the event `event_id`, for a talk), live or deleted.
fn with_slug<M: Row>(slug: &str, event_id: Option<i64>) -> Select<M::Table> {
    let query = M::Table::find();
    let query = match event_id {
        Some(id) => query.filter(column::<M::Table>("event_id").eq(id)),
        None => query,
    };
    query.filter(column::<M::Table>("slug").eq(slug))
}

/// The live row of `M` at `slug` (within the event `event_id`, for a talk).
pub async fn live<M: Row>(
    db: &impl ConnectionTrait,
    slug: &str,
    event_id: Option<i64>,
) -> ApiResult<Option<M>> {
    Ok(with_slug::<M>(slug, event_id)
        .filter(column::<M::Table>("deleted_at").is_null())
        .one(db)
        .await?)
}

/// Whether a row of `M` other than `except` holds `slug`, live or deleted (a deleted one keeps
/// its slug: its URL answers 410 and it may come back).
pub async fn slug_held<M: Row>(
    db: &DatabaseTransaction,
    slug: &str,
    except: Option<&M>,
    event_id: Option<i64>,
) -> ApiResult<bool> {
    let other = with_slug::<M>(slug, event_id)
        .filter(column::<M::Table>("id").ne(except.map_or(0, Row::id)))
        .one(db)
        .await?;
    Ok(other.is_some())
}

/// The active model a write starts from: `existing` with its version bumped, or a new row at
/// version 1 created `at`; updated `at` either way.
pub fn start<M: Row>(existing: Option<&M>, at: DateTime<Utc>) -> M::Active {
    let col = column::<M::Table>;
    let mut am = match existing {
        Some(row) => {
            let mut am = row.clone().into_active_model();
            am.set(col("version"), (row.version() + 1).into());
            am
        }
        None => {
            let mut am = <M::Active as ActiveModelTrait>::default();
            am.set(col("created_at"), at.into());
            am.set(col("version"), 1_i32.into());
            am.set(col("deleted_at"), Option::<DateTime<Utc>>::None.into());
            am
        }
    };
    am.set(col("updated_at"), at.into());
    am
}

/// Writes what [`start`] began: an update of `existing`, or an insert.
pub async fn store<M: Row>(
    db: &DatabaseTransaction,
    am: M::Active,
    existing: Option<&M>,
) -> ApiResult<M> {
    Ok(match existing {
        Some(_) => am.update(db).await?,
        None => am.insert(db).await?,
    })
}

/// Soft-deletes `row`: deleted and updated now, its version bumped.
pub async fn soft_delete<M: Row>(db: &DatabaseTransaction, row: &M) -> ApiResult<()> {
    let at = now();
    let mut am = start(Some(row), at);
    am.set(column::<M::Table>("deleted_at"), Some(at).into());
    am.update(db).await?;
    Ok(())
}

/// The live rows of `M` that belong to the event `event_id`, oldest first.
pub async fn live_in<M: Row>(db: &DatabaseTransaction, event_id: i64) -> ApiResult<Vec<M>> {
    Ok(M::Table::find()
        .filter(column::<M::Table>("event_id").eq(event_id))
        .filter(column::<M::Table>("deleted_at").is_null())
        .order_by_asc(column::<M::Table>("id"))
        .all(db)
        .await?)
}
