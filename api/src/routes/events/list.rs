use actix_web::get;
use chrono::{NaiveDate, Utc};
use entity::sea_orm_active_enums::{EventFormat, EventKind, EventStatus, Region};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult};
use crate::routes::pagination::{self, paged_routes};
use crate::services::cursor::Cursor;
use crate::services::events::{self, EventFilter, EventSort, PageRequest, When};
use crate::services::series;
use crate::views::event::EventSummary;
use crate::views::page::Page;

/// The orders `GET /api/v1/events` can sort in.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
pub enum EventSortParam {
    /// Earliest start first.
    #[serde(rename = "starts_on")]
    StartsOn,
    /// Latest start first.
    #[serde(rename = "starts_on_desc")]
    StartsOnDesc,
    /// By name.
    #[serde(rename = "name")]
    Name,
}

/// Query parameters of `GET /api/v1/events`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListEventsQuery {
    /// Only events of this kind.
    #[param(inline)]
    pub kind: Option<EventKind>,
    /// Only events in this status. Without it, every status but `unverified` is listed.
    #[param(inline)]
    pub status: Option<EventStatus>,
    /// Only events of this series (its slug, as `GET /api/v1/series` lists them).
    #[param(example = "kcd-mexico")]
    pub series: Option<String>,
    /// Only events of this year.
    #[param(minimum = 1900, maximum = 2200, example = 2024)]
    pub year: Option<i32>,
    /// Only events in this country (ISO 3166-1 alpha-2).
    #[param(pattern = "^[A-Za-z]{2}$", example = "MX")]
    pub country: Option<String>,
    /// Only events in this region.
    #[param(inline)]
    pub region: Option<Region>,
    /// Only events in this city; case, accents and punctuation ignored (`bogota` finds
    /// Bogotá).
    #[param(example = "guadalajara")]
    pub city: Option<String>,
    /// Only events of this format.
    #[param(inline)]
    pub format: Option<EventFormat>,
    /// Only events starting on or after this day.
    #[param(value_type = Option<String>, format = Date, example = "2024-01-01")]
    pub from: Option<NaiveDate>,
    /// Only events starting on or before this day.
    #[param(value_type = Option<String>, format = Date, example = "2024-12-31")]
    pub to: Option<NaiveDate>,
    /// Only events ending today or later (UTC; see `as_of`). Undated events count by year.
    /// With `past=true` too, both are listed.
    pub upcoming: Option<bool>,
    /// Only events that ended before today (UTC; see `as_of`).
    pub past: Option<bool>,
    /// The day `upcoming` and `past` are measured from, instead of today.
    #[param(value_type = Option<String>, format = Date, example = "2024-01-01")]
    pub as_of: Option<NaiveDate>,
    /// Words to find in the name, series, venue, city, country or description: each must start
    /// a word there (`kube` finds "Kubernetes"); accents and case ignored.
    #[param(max_length = 200, example = "Mexico")]
    pub q: Option<String>,
    /// Only events where this person (slug) speaks.
    #[param(example = "whitney-lee")]
    pub speaker: Option<String>,
    /// Only events this organization (slug) sponsors.
    #[param(example = "suse")]
    pub sponsor: Option<String>,
    /// Sort order (default: `starts_on` with `upcoming=true`, else `starts_on_desc`). An event
    /// without dates counts as later than every date: last with `starts_on`, first with
    /// `starts_on_desc`.
    #[param(inline)]
    pub sort: Option<EventSortParam>,
    /// Page size.
    #[param(minimum = 1, maximum = 100, default = 20, example = 20)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count every matching event (`page.total`, exact); a count costs a read of every
    /// match, so ask for it once, not on every page.
    pub count: Option<bool>,
}

impl ListEventsQuery {
    /// Checks the parameters together and turns them into a filter and a page request.
    pub fn into_request(self) -> ApiResult<(EventFilter, PageRequest)> {
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(ApiError::bad_field(
                "from",
                format!("{from} is after `to` ({to})"),
            ));
        }
        if self.year.is_some_and(|y| !(1900..=2200).contains(&y)) {
            return Err(ApiError::bad_field("year", "must be between 1900 and 2200"));
        }
        let upcoming = self.upcoming.unwrap_or(false);
        let past = self.past.unwrap_or(false);
        if let Some(country) = &self.country
            && !(country.len() == 2 && country.bytes().all(|b| b.is_ascii_alphabetic()))
        {
            return Err(ApiError::bad_field(
                "country",
                "must be an ISO 3166-1 alpha-2 code",
            ));
        }
        pagination::check_q(self.q.as_deref())?;
        let day = self.as_of.unwrap_or_else(|| Utc::now().date_naive());
        // Both together select both: no time filter.
        let when = match (upcoming, past) {
            (true, false) => Some(When::Upcoming(day)),
            (false, true) => Some(When::Past(day)),
            _ => None,
        };
        let sort = match self.sort {
            Some(EventSortParam::StartsOn) => EventSort::StartsOn,
            Some(EventSortParam::StartsOnDesc) => EventSort::StartsOnDesc,
            Some(EventSortParam::Name) => EventSort::Name,
            None if upcoming && !past => EventSort::StartsOn,
            None => EventSort::StartsOnDesc,
        };
        let page = PageRequest {
            limit: pagination::limit(self.limit)?,
            after: Cursor::parse(self.cursor.as_deref(), sort.as_str())?,
            sort,
        };
        let filter = EventFilter {
            kind: self.kind,
            status: self.status,
            series: self.series,
            year: self.year,
            country: self.country,
            region: self.region,
            city: self.city,
            format: self.format,
            from: self.from,
            to: self.to,
            when,
            q: self.q,
            speaker: self.speaker,
            sponsor: self.sponsor,
        };
        Ok((filter, page))
    }
}

paged_routes! {
    /// List events
    ///
    /// Events in pages, filtered and sorted. Unverified events (discovered in posts, awaiting an
    /// organizer) are listed only with `status=unverified`; deleted events never.
    list_events "/events" ListEventsQuery, "events", "A page of events" EventSummary, |db, query| {
        let count = query.count.unwrap_or(false);
        let (filter, page) = query.into_request()?;
        let (rows, next) = events::list(db, &filter, &page).await?;
        let series = series::of_events(db, &rows).await?;
        let total = pagination::total(count, crate::services::directory::count(db, &filter)).await?;
        let items = rows.into_iter().map(|e| EventSummary::new(e, &series)).collect();
        (items, page.limit, next, total)
    };
}
