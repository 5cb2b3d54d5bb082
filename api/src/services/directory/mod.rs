//! Reading the directory: people, organizations, posts and tags, one module each, over the
//! helpers they share (text search, keyset pages by name, lookups by slug or old slug).

pub mod organizations;
pub mod people;
pub mod posts;
pub mod tags;

use entity::sea_orm_active_enums::EntityType;
use entity::slug_alias;
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QuerySelect, Select,
};

use super::cursor::Cursor;
use super::events::Lookup;

/// Keeps the records whose text matches `q` (see [`super::fulltext`]).
pub(crate) fn search<E: EntityTrait>(
    select: Select<E>,
    backend: DbBackend,
    q: Option<&str>,
) -> Select<E> {
    match q.and_then(|q| super::fulltext::matching::<E>(backend, q)) {
        Some(matching) => select.filter(matching),
        None => select,
    }
}

/// Keyset on (`sort_name`, `id`), ascending.
pub(crate) fn after_name<E: EntityTrait>(
    select: Select<E>,
    name: impl ColumnTrait + Copy,
    id: impl ColumnTrait + Copy,
    after: Option<&Cursor>,
) -> Select<E> {
    match after {
        Some(c) => {
            let key = c.key.clone().unwrap_or_default();
            select.filter(
                Condition::any()
                    .add(name.gt(key.as_str()))
                    .add(Condition::all().add(name.eq(key.as_str())).add(id.gt(c.id))),
            )
        }
        None => select,
    }
}

pub(crate) fn next_cursor<T>(
    rows: &mut Vec<T>,
    limit: u64,
    sort: &str,
    key: impl Fn(&T) -> (Option<String>, i64),
) -> Option<Cursor> {
    if rows.len() as u64 <= limit {
        return None;
    }
    rows.truncate(limit as usize);
    rows.last().map(|last| {
        let (key, id) = key(last);
        Cursor {
            sort: sort.to_owned(),
            key,
            id,
        }
    })
}
/// The record with this slug, or where an old slug points.
pub(crate) async fn by_slug<E>(
    db: &impl ConnectionTrait,
    entity_type: EntityType,
    slug: &str,
    slug_col: E::Column,
    deleted_col: E::Column,
) -> Result<Lookup<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: Sync,
{
    if let Some(found) = E::find()
        .filter(slug_col.eq(slug))
        .filter(deleted_col.is_null())
        .one(db)
        .await?
    {
        return Ok(Lookup::Found(found));
    }
    let alias = slug_alias::Entity::find()
        .filter(slug_alias::Column::EntityType.eq(entity_type))
        .filter(slug_alias::Column::Slug.eq(slug))
        .one(db)
        .await?;
    if let Some(alias) = alias {
        let target: Option<(String,)> = E::find()
            .select_only()
            .column(slug_col)
            .filter(Expr::col(E::default().into_iden_id()).eq(alias.target_id))
            .filter(deleted_col.is_null())
            .into_tuple()
            .one(db)
            .await?;
        if let Some((slug,)) = target {
            return Ok(Lookup::Moved(slug));
        }
    }
    Ok(Lookup::Missing)
}

/// Lets [`by_slug`] name the `id` column of any entity.
trait IdColumn {
    fn into_iden_id(self) -> sea_orm::sea_query::ColumnRef;
}

impl<E: EntityTrait> IdColumn for E {
    fn into_iden_id(self) -> sea_orm::sea_query::ColumnRef {
        use sea_orm::sea_query::IntoColumnRef;
        (self, sea_orm::sea_query::Alias::new("id")).into_column_ref()
    }
}
