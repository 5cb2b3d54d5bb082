//! Reading the directory: people, organizations, posts and tags, one module each, over the
//! helpers they share (text search, keyset pages by name, lookups by slug or old slug).

pub mod organizations;
pub mod people;
pub mod posts;
pub mod tags;

use entity::sea_orm_active_enums::EntityType;
use entity::slug_alias;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

use super::cursor::Cursor;
use super::events::Lookup;
use super::writes::row::{Row, column};

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
    if !super::cursor::trim(rows, limit) {
        return None;
    }
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
pub(crate) async fn by_slug<E: EntityTrait>(
    db: &impl ConnectionTrait,
    entity_type: EntityType,
    slug: &str,
) -> Result<Lookup<E::Model>, DbErr>
where
    E::Model: Sync,
{
    let col = column::<E>;
    if let Some(found) = E::find()
        .filter(col("slug").eq(slug))
        .filter(col("deleted_at").is_null())
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
            .column(col("slug"))
            .filter(col("id").eq(alias.target_id))
            .filter(col("deleted_at").is_null())
            .into_tuple()
            .one(db)
            .await?;
        if let Some((slug,)) = target {
            return Ok(Lookup::Moved(slug));
        }
    }
    Ok(Lookup::Missing)
}

/// Named records (people, organizations) that list by name.
pub(crate) trait Named: Row {
    fn sort_name(&self) -> &str;
}

impl Named for entity::person::Model {
    fn sort_name(&self) -> &str {
        &self.sort_name
    }
}

impl Named for entity::organization::Model {
    fn sort_name(&self) -> &str {
        &self.sort_name
    }
}

/// One page of `select` in name order (`sort_name`, then `id`) after `after`, with the cursor
/// of the next page.
pub(crate) async fn page_by_name<M: Named>(
    db: &impl ConnectionTrait,
    select: Select<M::Table>,
    limit: u64,
    after: Option<&Cursor>,
) -> Result<(Vec<M>, Option<Cursor>), DbErr> {
    let col = column::<M::Table>;
    let mut rows = after_name(select, col("sort_name"), col("id"), after)
        .order_by_asc(col("sort_name"))
        .order_by_asc(col("id"))
        .limit(limit + 1)
        .all(db)
        .await?;
    let next = next_cursor(&mut rows, limit, "name", |m| {
        (Some(m.sort_name().to_owned()), m.id())
    });
    Ok((rows, next))
}
