//! Reading the directory: people, organizations, posts and tags, one module each, over the
//! helpers they share (text search, keyset pages by name, lookups by slug or old slug).

pub mod organizations;
pub mod people;
pub mod posts;
pub mod tags;

use entity::sea_orm_active_enums::EntityType;
use entity::slug_alias;
use sea_orm::sea_query::{Condition, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Select,
};

use super::cursor::{Cursor, page_of};
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

/// `id IN (SELECT column FROM rows)`: keeps the records that `rows` name by `column`.
pub(crate) fn among<E: EntityTrait>(
    id: impl ColumnTrait,
    column: E::Column,
    rows: Select<E>,
) -> SimpleExpr {
    id.in_subquery(rows.select_only().column(column).into_query())
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

/// A record that paths name by slug, and old slugs redirect to.
pub trait Slugged: Row {
    /// Its kind among the old slugs.
    const TYPE: EntityType;
}

macro_rules! slugged {
    ($($table:ident $kind:ident),*) => {$(
        impl Slugged for entity::$table::Model {
            const TYPE: EntityType = EntityType::$kind;
        }
    )*};
}

slugged!(event Event, person Person, organization Organization, post Post);

/// The record with this slug (unless deleted), or where an old slug of it points.
pub async fn by_slug<M: Slugged>(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Lookup<M>, DbErr> {
    let col = column::<M::Table>;
    if let Some(found) = M::Table::find()
        .filter(col("slug").eq(slug))
        .filter(col("deleted_at").is_null())
        .one(db)
        .await?
    {
        return Ok(Lookup::Found(found));
    }
    let alias = slug_alias::Entity::find()
        .filter(slug_alias::Column::EntityType.eq(M::TYPE))
        .filter(slug_alias::Column::Slug.eq(slug))
        .one(db)
        .await?;
    if let Some(alias) = alias {
        let target: Option<(String,)> = M::Table::find()
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
pub trait Named: Row {
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

/// What a list keeps, as the select of its records.
pub trait Filter {
    type Table: EntityTrait;
    fn matching(&self, backend: DbBackend) -> Select<Self::Table>;
}

/// How many records `filter` keeps (a list's `page.total`).
pub async fn count<F: Filter>(db: &impl ConnectionTrait, filter: &F) -> Result<u64, DbErr>
where
    <F::Table as EntityTrait>::Model: Sync,
{
    use sea_orm::PaginatorTrait;
    filter.matching(db.get_database_backend()).count(db).await
}

/// The records `filter` keeps by name, a page at a time.
pub async fn list_by_name<F, M>(
    db: &impl ConnectionTrait,
    filter: &F,
    limit: u64,
    after: Option<&Cursor>,
) -> Result<(Vec<M>, Option<Cursor>), DbErr>
where
    F: Filter<Table = M::Table>,
    M: Named,
{
    page_by_name(db, filter.matching(db.get_database_backend()), limit, after).await
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
    let select = after_name(select, col("sort_name"), col("id"), after)
        .order_by_asc(col("sort_name"))
        .order_by_asc(col("id"));
    page_of(db, select, limit, "name", |m| {
        (Some(m.sort_name().to_owned()), m.id())
    })
    .await
}
