//! Series: the recurring events (`KCD Mexico`) whose editions are events. Events hold the
//! series' slug; the series table holds its name.

use std::collections::HashMap;

use entity::sea_orm_active_enums::EventStatus;
use entity::{event, series};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use super::cursor::Cursor;
use super::text::now;
use crate::views::refs::SeriesRef;

/// The series with this slug.
pub async fn by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<series::Model>, DbErr> {
    series::Entity::find()
        .filter(series::Column::Slug.eq(slug))
        .one(db)
        .await
}

/// The series with this slug, made with `name` when there is none yet.
pub async fn ensure(
    db: &impl ConnectionTrait,
    slug: &str,
    name: &str,
) -> Result<series::Model, DbErr> {
    if let Some(found) = by_slug(db, slug).await? {
        return Ok(found);
    }
    let at = now();
    series::ActiveModel {
        slug: Set(slug.to_owned()),
        name: Set(name.to_owned()),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The series these events belong to, by slug: one query for any number of events.
pub async fn of_events<'a>(
    db: &impl ConnectionTrait,
    events: impl IntoIterator<Item = &'a event::Model>,
) -> Result<HashMap<String, SeriesRef>, DbErr> {
    let mut slugs: Vec<&str> = events
        .into_iter()
        .filter_map(|e| e.series.as_deref())
        .collect();
    slugs.sort_unstable();
    slugs.dedup();
    if slugs.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(series::Entity::find()
        .filter(series::Column::Slug.is_in(slugs))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.slug.clone(), SeriesRef::from(&s)))
        .collect())
}

/// Series by slug, a page at a time.
pub async fn list(
    db: &impl ConnectionTrait,
    limit: u64,
    after: Option<&Cursor>,
) -> Result<(Vec<series::Model>, Option<Cursor>), DbErr> {
    let mut select = series::Entity::find();
    if let Some(key) = after.and_then(|c| c.key.as_deref()) {
        select = select.filter(series::Column::Slug.gt(key));
    }
    let select = select.order_by_asc(series::Column::Slug);
    super::cursor::page_of(db, select, limit, "slug", |s| (Some(s.slug.clone()), s.id)).await
}

/// How many series there are.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    series::Entity::find().count(db).await
}

/// The editions of a series, newest first, an undated one counting as later than every date
/// (as in lists); unverified and deleted events left out.
pub async fn editions(db: &impl ConnectionTrait, slug: &str) -> Result<Vec<event::Model>, DbErr> {
    let mut rows = event::Entity::find()
        .filter(event::Column::Series.eq(slug))
        .filter(event::Column::DeletedAt.is_null())
        .filter(event::Column::Status.ne(EventStatus::Unverified))
        .all(db)
        .await?;
    rows.sort_by(|a, b| {
        (b.starts_on.is_none(), b.starts_on, b.year, b.id).cmp(&(
            a.starts_on.is_none(),
            a.starts_on,
            a.year,
            a.id,
        ))
    });
    Ok(rows)
}

/// The series at `slug`, as the routes resolve paths.
pub async fn lookup(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<super::events::Lookup<series::Model>, DbErr> {
    Ok(match by_slug(db, slug).await? {
        Some(found) => super::events::Lookup::Found(found),
        None => super::events::Lookup::Missing,
    })
}

/// A series' page, as `GET /series/{slug}` serves it.
pub async fn page(
    db: &impl ConnectionTrait,
    found: series::Model,
) -> Result<crate::views::event::SeriesPage, DbErr> {
    let series = SeriesRef::from(&found);
    let names = HashMap::from([(series.slug.clone(), series.clone())]);
    let events = editions(db, &found.slug).await?;
    let posts = super::directory::posts::posts_mentioning(
        db,
        super::directory::posts::Mentioned::Series(found.id),
    )
    .await?;
    Ok(crate::views::event::SeriesPage {
        posts: posts
            .iter()
            .map(crate::views::refs::PostRef::from)
            .collect(),
        series,
        events: events
            .into_iter()
            .map(|e| crate::views::event::EventSummary::new(e, &names))
            .collect(),
    })
}
