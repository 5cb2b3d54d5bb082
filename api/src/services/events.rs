//! Reading events: filtered, sorted, keyset-paginated lists and the embeds of an event page.

use chrono::{Datelike, NaiveDate};
use entity::sea_orm_active_enums::{EventFormat, EventKind, EventStatus, Region};
use entity::{event, organization, person, sponsorship, talk, talk_speaker};
use sea_orm::sea_query::Condition;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, Select,
};

use super::cursor::Cursor;
use super::directory::among;
use super::fulltext;

/// The orders an event list can be sorted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventSort {
    /// Earliest first; events without dates last.
    StartsOn,
    /// Latest first; events without dates first (they count as later than every date).
    StartsOnDesc,
    /// By name, A to Z.
    Name,
}

impl EventSort {
    pub fn as_str(self) -> &'static str {
        match self {
            EventSort::StartsOn => "starts_on",
            EventSort::StartsOnDesc => "-starts_on",
            EventSort::Name => "name",
        }
    }
}

/// The longest an event may last, in days: what lets "upcoming" and "past" seek a date range
/// instead of scanning every earlier event (the write API refuses longer events).
pub const MAX_EVENT_DAYS: i64 = 31;

/// When an event happens relative to a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Ending on or after the day (undated events: in its year or later).
    Upcoming(NaiveDate),
    /// Ended before the day.
    Past(NaiveDate),
}

/// Events still running or to come on `day` (`upcoming`), or over before it: by the end date,
/// else the start date, else the year.
fn timing(day: NaiveDate, upcoming: bool) -> Condition {
    let compare = |column: event::Column, value: sea_orm::Value| {
        if upcoming {
            column.gte(value)
        } else {
            column.lt(value)
        }
    };
    Condition::any()
        .add(compare(event::Column::EndsOn, day.into()))
        .add(
            Condition::all()
                .add(event::Column::EndsOn.is_null())
                .add(compare(event::Column::StartsOn, day.into())),
        )
        .add(
            Condition::all()
                .add(event::Column::StartsOn.is_null())
                .add(compare(event::Column::Year, day.year().into())),
        )
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub kind: Option<EventKind>,
    /// `None`: every status but `unverified`.
    pub status: Option<EventStatus>,
    pub series: Option<String>,
    pub year: Option<i32>,
    pub country: Option<String>,
    pub region: Option<Region>,
    pub city: Option<String>,
    pub format: Option<EventFormat>,
    /// Starting on or after.
    pub from: Option<NaiveDate>,
    /// Starting on or before.
    pub to: Option<NaiveDate>,
    pub when: Option<When>,
    /// Words that must all appear (accent- and case-insensitive).
    pub q: Option<String>,
    /// Slug of a person speaking at the event.
    pub speaker: Option<String>,
    /// Slug of an organization sponsoring the event.
    pub sponsor: Option<String>,
}

/// A page request.
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub limit: u64,
    pub sort: EventSort,
    pub after: Option<Cursor>,
}

impl EventFilter {
    /// A start-date range implied by `when` for dated events, which the index on start dates
    /// can seek: an upcoming event started at most [`MAX_EVENT_DAYS`] before the day, a past
    /// one before it.
    fn dated_range(&self) -> Condition {
        let col = event::Column::StartsOn;
        match self.when {
            Some(When::Upcoming(day)) => {
                Condition::all().add(col.gte(day - chrono::Duration::days(MAX_EVENT_DAYS)))
            }
            Some(When::Past(day)) => Condition::all().add(col.lt(day)),
            None => Condition::all(),
        }
    }

    fn apply(
        &self,
        backend: DbBackend,
        mut select: Select<event::Entity>,
    ) -> Select<event::Entity> {
        select = select.filter(event::Column::DeletedAt.is_null());
        select = match self.status {
            Some(status) => select.filter(status_is(status, chrono::Utc::now().date_naive())),
            // `unverified` is always stated; the column keeps a placeholder for the others.
            None => select.filter(event::Column::Status.ne(EventStatus::Unverified)),
        };
        use event::Column as C;
        let fields = Condition::all()
            .add_option(self.kind.map(|kind| C::Kind.eq(kind)))
            .add_option(self.series.as_deref().map(|series| C::Series.eq(series)))
            .add_option(self.year.map(|year| C::Year.eq(year)))
            .add_option(
                self.country
                    .as_ref()
                    .map(|c| C::Country.eq(c.to_ascii_uppercase())),
            )
            .add_option(self.region.map(|region| C::Region.eq(region)))
            .add_option(
                self.city
                    .as_deref()
                    .map(|city| C::CityKey.eq(super::text::normalize(city))),
            )
            .add_option(self.format.map(|format| C::Format.eq(format)))
            .add_option(self.from.map(|from| C::StartsOn.gte(from)))
            .add_option(self.to.map(|to| C::StartsOn.lte(to)));
        select = select.filter(fields);
        match self.when {
            Some(When::Upcoming(day)) => select = select.filter(timing(day, true)),
            Some(When::Past(day)) => select = select.filter(timing(day, false)),
            None => {}
        }
        if let Some(matching) = self
            .q
            .as_deref()
            .and_then(|q| fulltext::matching::<event::Entity>(backend, q))
        {
            select = select.filter(matching);
        }
        let id = event::Column::Id;
        if let Some(speaker) = &self.speaker {
            let speaking = talk::Entity::find()
                .join(JoinType::InnerJoin, talk::Relation::TalkSpeaker.def())
                .join(JoinType::InnerJoin, talk_speaker::Relation::Person.def())
                .filter(person::Column::Slug.eq(speaker.as_str()))
                .filter(talk::Column::DeletedAt.is_null());
            select = select.filter(among(id, talk::Column::EventId, speaking));
        }
        if let Some(sponsor) = &self.sponsor {
            let sponsored = sponsorship::Entity::find()
                .inner_join(organization::Entity)
                .filter(organization::Column::Slug.eq(sponsor.as_str()))
                .filter(sponsorship::Column::DeletedAt.is_null());
            select = select.filter(among(id, sponsorship::Column::EventId, sponsored));
        }
        select
    }
}

/// The events served with `status` on `today`: stated so, or (when no source states one) with
/// dates that give it (see `views::event::served_status`).
fn status_is(status: EventStatus, today: NaiveDate) -> Condition {
    use event::Column as C;
    let stated = Condition::all()
        .add(C::StatusStated.eq(true))
        .add(C::Status.eq(status));
    // The last day: `ends_on`, or `starts_on` for a one-day event.
    let ended = Condition::any().add(C::EndsOn.lt(today)).add(
        Condition::all()
            .add(C::EndsOn.is_null())
            .add(C::StartsOn.lt(today)),
    );
    let from_dates = match status {
        EventStatus::Completed => Some(Condition::all().add(C::StartsOn.is_not_null()).add(ended)),
        EventStatus::Scheduled => Some(
            Condition::all()
                .add(C::StartsOn.is_not_null())
                .add(ended.not()),
        ),
        EventStatus::Announced => Some(Condition::all().add(C::StartsOn.is_null())),
        _ => None,
    };
    match from_dates {
        Some(dates) => Condition::any()
            .add(stated)
            .add(Condition::all().add(C::StatusStated.eq(false)).add(dates)),
        None => stated,
    }
}

/// Records joined to their events, keeping the live events, newest first (then by id).
pub(crate) fn at_live_events<E: EntityTrait>(
    select: sea_orm::SelectTwo<E, event::Entity>,
) -> sea_orm::SelectTwo<E, event::Entity> {
    select
        .filter(event::Column::DeletedAt.is_null())
        .order_by_desc(event::Column::StartsOn)
        .order_by_asc(event::Column::Id)
}

/// The pairs whose second half was found.
pub(crate) fn paired<A, B>(rows: Vec<(A, Option<B>)>) -> Vec<(A, B)> {
    rows.into_iter()
        .filter_map(|(a, b)| b.map(|b| (a, b)))
        .collect()
}

impl super::directory::Filter for EventFilter {
    type Table = event::Entity;
    fn matching(&self, backend: DbBackend) -> Select<event::Entity> {
        self.apply(backend, event::Entity::find())
    }
}

/// One page of events and the cursor of the next page, if there is one.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &EventFilter,
    page: &PageRequest,
) -> Result<(Vec<event::Model>, Option<Cursor>), DbErr> {
    let base = filter.apply(db.get_database_backend(), event::Entity::find());
    let fetch = page.limit + 1;
    let mut rows = match page.sort {
        EventSort::Name => {
            let mut select = base;
            if let Some(c) = &page.after {
                let key = c.key.clone().unwrap_or_default();
                select = select.filter(
                    Condition::any()
                        .add(event::Column::SortName.gt(key.as_str()))
                        .add(
                            Condition::all()
                                .add(event::Column::SortName.eq(key.as_str()))
                                .add(event::Column::Id.gt(c.id)),
                        ),
                );
            }
            select
                .order_by_asc(event::Column::SortName)
                .order_by_asc(event::Column::Id)
                .limit(fetch)
                .all(db)
                .await?
        }
        sort => {
            dated_then_undated(
                db,
                base,
                filter.dated_range(),
                sort,
                page.after.as_ref(),
                fetch,
            )
            .await?
        }
    };
    let next = if rows.len() as u64 > page.limit {
        rows.truncate(page.limit as usize);
        rows.last().map(|last| Cursor {
            sort: page.sort.as_str().to_owned(),
            key: match page.sort {
                EventSort::Name => Some(last.sort_name.clone()),
                _ => last.starts_on.map(|d| d.to_string()),
            },
            id: last.id,
        })
    } else {
        None
    };
    Ok((rows, next))
}

/// Events with a start date in date order and those without one in id order, in two index
/// range scans instead of an ORDER BY over NULLs, which the backends sort differently. An
/// undated event counts as later than every date: last earliest-first, first latest-first.
async fn dated_then_undated(
    db: &impl ConnectionTrait,
    base: Select<event::Entity>,
    range: Condition,
    sort: EventSort,
    after: Option<&Cursor>,
    fetch: u64,
) -> Result<Vec<event::Model>, DbErr> {
    let after = after.map(|c| {
        (
            c.key.as_deref().and_then(|k| k.parse::<NaiveDate>().ok()),
            c.id,
        )
    });
    let undated_first = sort == EventSort::StartsOnDesc;
    // Where the previous page stopped: among the dated events (with the last date) or the
    // undated ones.
    let after_dated = after.and_then(|(date, id)| date.map(|d| (d, id)));
    let after_undated = after.and_then(|(date, id)| date.is_none().then_some(id));
    let mut rows = Vec::new();
    if undated_first {
        if after_dated.is_none() {
            rows = undated(db, base.clone(), after_undated, fetch).await?;
        }
        if (rows.len() as u64) < fetch {
            let n = fetch - rows.len() as u64;
            rows.extend(dated(db, base, range, sort, after_dated, n).await?);
        }
    } else {
        if after_undated.is_none() {
            rows = dated(db, base.clone(), range, sort, after_dated, fetch).await?;
        }
        if (rows.len() as u64) < fetch {
            let n = fetch - rows.len() as u64;
            rows.extend(undated(db, base, after_undated, n).await?);
        }
    }
    Ok(rows)
}

/// Up to `n` dated events of `base` in `sort`'s date order, after `after` (date and id).
async fn dated(
    db: &impl ConnectionTrait,
    base: Select<event::Entity>,
    range: Condition,
    sort: EventSort,
    after: Option<(NaiveDate, i64)>,
    n: u64,
) -> Result<Vec<event::Model>, DbErr> {
    let col = event::Column::StartsOn;
    let mut dated = base.filter(col.is_not_null()).filter(range);
    if let Some((date, id)) = after {
        let (past_date, past_id) = match sort {
            EventSort::StartsOnDesc => (col.lt(date), event::Column::Id.lt(id)),
            _ => (col.gt(date), event::Column::Id.gt(id)),
        };
        dated = dated.filter(
            Condition::any()
                .add(past_date)
                .add(Condition::all().add(col.eq(date)).add(past_id)),
        );
    }
    dated = match sort {
        EventSort::StartsOnDesc => dated.order_by_desc(col).order_by_desc(event::Column::Id),
        _ => dated.order_by_asc(col).order_by_asc(event::Column::Id),
    };
    dated.limit(n).all(db).await
}

/// Up to `n` undated events of `base` in id order, after the id `after`.
async fn undated(
    db: &impl ConnectionTrait,
    base: Select<event::Entity>,
    after: Option<i64>,
    n: u64,
) -> Result<Vec<event::Model>, DbErr> {
    let mut undated = base.filter(event::Column::StartsOn.is_null());
    if let Some(id) = after {
        undated = undated.filter(event::Column::Id.gt(id));
    }
    undated
        .order_by_asc(event::Column::Id)
        .limit(n)
        .all(db)
        .await
}

/// Where a slug leads.
#[derive(Debug)]
pub enum Lookup<T> {
    Found(T),
    /// An old slug: the record is now at this slug.
    Moved(String),
    Missing,
}
