//! Reading events.

use chrono::NaiveDate;
use entity::event;
use entity::sea_orm_active_enums::EventStatus;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

use super::cursor::Cursor;

/// The orders an event list can be sorted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventSort {
    /// Earliest first.
    StartsOn,
    /// Latest first.
    StartsOnDesc,
}

impl EventSort {
    pub fn as_str(self) -> &'static str {
        match self {
            EventSort::StartsOn => "starts_on",
            EventSort::StartsOnDesc => "-starts_on",
        }
    }
}

/// What to list.
#[derive(Debug, Clone)]
pub struct EventFilter {
    pub limit: u64,
    pub sort: EventSort,
    pub after: Option<Cursor>,
}

/// One page of events and the cursor of the next page, if there is one.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &EventFilter,
) -> Result<(Vec<event::Model>, Option<Cursor>), DbErr> {
    let base = event::Entity::find()
        .filter(event::Column::DeletedAt.is_null())
        .filter(event::Column::Status.ne(EventStatus::Unverified));
    // Events with a start date come first, then those without one, in id order: two index
    // range scans instead of an ORDER BY over NULLs, which the backends sort differently.
    let after_date = filter.after.as_ref().map(|c| {
        let date = c.key.as_deref().and_then(|k| k.parse::<NaiveDate>().ok());
        (date, c.id)
    });
    let fetch = filter.limit + 1;
    let mut rows = Vec::new();
    if !matches!(after_date, Some((None, _))) {
        let mut dated = base.clone().filter(event::Column::StartsOn.is_not_null());
        if let Some((Some(date), id)) = after_date {
            dated = dated.filter(keyset_after(filter.sort, date, id));
        }
        rows = ordered(dated, filter.sort).limit(fetch).all(db).await?;
    }
    if (rows.len() as u64) < fetch {
        let mut undated = base.filter(event::Column::StartsOn.is_null());
        if let Some((None, id)) = after_date {
            undated = undated.filter(event::Column::Id.gt(id));
        }
        let more = undated
            .order_by_asc(event::Column::Id)
            .limit(fetch - rows.len() as u64)
            .all(db)
            .await?;
        rows.extend(more);
    }
    let next = if rows.len() as u64 > filter.limit {
        rows.truncate(filter.limit as usize);
        rows.last().map(|last| Cursor {
            sort: filter.sort.as_str().to_owned(),
            key: last.starts_on.map(|d| d.to_string()),
            id: last.id,
        })
    } else {
        None
    };
    Ok((rows, next))
}

fn ordered(select: Select<event::Entity>, sort: EventSort) -> Select<event::Entity> {
    match sort {
        EventSort::StartsOn => select
            .order_by_asc(event::Column::StartsOn)
            .order_by_asc(event::Column::Id),
        EventSort::StartsOnDesc => select
            .order_by_desc(event::Column::StartsOn)
            .order_by_desc(event::Column::Id),
    }
}

/// Rows strictly after (`date`, `id`) in the given order.
fn keyset_after(sort: EventSort, date: NaiveDate, id: i64) -> Condition {
    let col = event::Column::StartsOn;
    match sort {
        EventSort::StartsOn => Condition::any().add(col.gt(date)).add(
            Condition::all()
                .add(col.eq(date))
                .add(event::Column::Id.gt(id)),
        ),
        EventSort::StartsOnDesc => Condition::any().add(col.lt(date)).add(
            Condition::all()
                .add(col.eq(date))
                .add(event::Column::Id.lt(id)),
        ),
    }
}

/// The event with this slug, unless deleted.
pub async fn find_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<event::Model>, DbErr> {
    event::Entity::find()
        .filter(event::Column::Slug.eq(slug))
        .filter(event::Column::DeletedAt.is_null())
        .one(db)
        .await
}
