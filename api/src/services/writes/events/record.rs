//! The event's request body, its writable state and the rules between its fields.

use chrono::{Datelike, NaiveDate};
use entity::event;
use entity::sea_orm_active_enums::{DatePrecision, EventFormat, EventKind, EventStatus, Region};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::convert::from_row;
use crate::services::writes::input::{self, Builder, Field, Unknown};
use crate::views::refs::SeriesRef;

/// The body of `POST /events` and `PATCH /events/{slug}`. On create `name` and `kind` are
/// required; `slug` defaults to one made from the name, `status` to `announced` and `year` to
/// the year of `starts_on`. On update every member is optional and `null` clears it (JSON Merge
/// Patch).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct EventInput {
    #[schema(value_type = String, required = false, max_length = 200, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", example = "kcd-mexico-2025")]
    #[serde(default)]
    pub slug: Field<String>,
    #[schema(value_type = String, required = false, min_length = 1, max_length = 200, example = "KCD Mexico 2025")]
    #[serde(default)]
    pub name: Field<String>,
    #[schema(value_type = EventKind, required = false)]
    #[serde(default)]
    pub kind: Field<EventKind>,
    /// The series the event is an edition of, by slug (`GET /api/v1/series`); a new series
    /// also needs its `name`.
    #[schema(value_type = Option<SeriesInput>)]
    #[serde(default)]
    pub series: Field<SeriesInput>,
    #[schema(value_type = Option<i32>, minimum = 1900, maximum = 2200, example = 2025)]
    #[serde(default)]
    pub year: Field<i32>,
    #[schema(value_type = Option<NaiveDate>, example = "2025-05-16")]
    #[serde(default)]
    pub starts_on: Field<NaiveDate>,
    /// On or after `starts_on`, and at most 31 days after it.
    #[schema(value_type = Option<NaiveDate>, example = "2025-05-17")]
    #[serde(default)]
    pub ends_on: Field<NaiveDate>,
    /// An IANA time zone name.
    #[schema(value_type = Option<String>, example = "America/Mexico_City")]
    #[serde(default)]
    pub timezone: Field<String>,
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    #[serde(default)]
    pub venue: Field<String>,
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200, example = "Mexico City")]
    #[serde(default)]
    pub city: Field<String>,
    /// ISO 3166-1 alpha-2, upper case.
    #[schema(value_type = Option<String>, pattern = "^[A-Z]{2}$", example = "MX")]
    #[serde(default)]
    pub country: Field<String>,
    #[schema(value_type = Option<Region>)]
    #[serde(default)]
    pub region: Field<Region>,
    #[schema(value_type = Option<EventFormat>)]
    #[serde(default)]
    pub format: Field<EventFormat>,
    /// As a source states it; `null` (or absent on create): read from the dates and the day.
    #[schema(value_type = Option<EventStatus>)]
    #[serde(default)]
    pub status: Field<EventStatus>,
    /// `month` when the dates stand for a month a source names without days: `starts_on` its
    /// first day, `ends_on` its last. Defaults to `day`.
    #[schema(value_type = DatePrecision, required = false)]
    #[serde(default)]
    pub date_precision: Field<DatePrecision>,
    /// An http(s) URL.
    #[schema(value_type = Option<String>, format = "uri", pattern = "^https?://[^\\s/?#]+([/?#][^\\s]*)?$")]
    #[serde(default)]
    pub website: Field<String>,
    #[schema(value_type = Option<String>, format = "uri", pattern = "^https?://[^\\s/?#]+([/?#][^\\s]*)?$")]
    #[serde(default)]
    pub registration_url: Field<String>,
    /// On or before `cfp_closes_on`.
    #[schema(value_type = Option<NaiveDate>)]
    #[serde(default)]
    pub cfp_opens_on: Field<NaiveDate>,
    /// On or before `starts_on`.
    #[schema(value_type = Option<NaiveDate>)]
    #[serde(default)]
    pub cfp_closes_on: Field<NaiveDate>,
    #[schema(value_type = Option<i32>, minimum = 0)]
    #[serde(default)]
    pub attendees: Field<i32>,
    #[schema(value_type = Option<String>, max_length = 20000)]
    #[serde(default)]
    pub description: Field<String>,
    /// The event this one is co-located with (not itself), by slug.
    #[schema(value_type = Option<EventLinkInput>)]
    #[serde(default)]
    pub co_located_with: Field<EventLinkInput>,
    /// An image of the event (its logo or banner): an http(s) URL.
    #[schema(value_type = Option<String>, format = "uri", pattern = "^https?://[^\\s/?#]+([/?#][^\\s]*)?$")]
    #[serde(default)]
    pub image_url: Field<String>,
    /// The venue's latitude in decimal degrees (WGS 84); given with `longitude`.
    #[schema(value_type = Option<f64>, minimum = -90, maximum = 90, example = 20.6736)]
    #[serde(default)]
    pub latitude: Field<f64>,
    /// The venue's longitude in decimal degrees (WGS 84); given with `latitude`.
    #[schema(value_type = Option<f64>, minimum = -180, maximum = 180, example = -103.3927)]
    #[serde(default)]
    pub longitude: Field<f64>,
    #[serde(flatten)]
    #[schema(ignore)]
    pub unknown: Unknown,
}

/// The series an event is written into: the `series` an event reads with (`name` may be left
/// out for a series that exists).
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"slug": "kcd-mexico", "name": "KCD Mexico"}))]
pub struct SeriesInput {
    #[schema(
        max_length = 200,
        pattern = "^[a-z0-9]+(-[a-z0-9]+)*$",
        example = "kcd-mexico"
    )]
    pub slug: String,
    /// Needed only when no series has the slug yet: it starts one with this name.
    #[schema(min_length = 1, max_length = 200, example = "KCD Mexico")]
    pub name: Option<String>,
}

/// Another event, named by slug: the shape an event reads and the change feed carries its
/// `co_located_with` in, with only the slug.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"slug": "ccoss-2024"}))]
pub struct EventLinkInput {
    #[schema(example = "kubecon-cloudnativecon-europe-2025")]
    pub slug: String,
}

/// A reference from one event to another, as the change feed carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EventLink {
    /// The event's id in the change feed (`entity_id`): the key to keep a copy by.
    pub id: i64,
    /// Its slug at the time of the change; an old slug keeps redirecting.
    pub slug: String,
}

impl EventInput {
    /// The members a create must have (the schema `NewEvent`).
    pub const REQUIRED_ON_CREATE: &'static [&'static str] = &["name", "kind"];
}

/// An event's writable state, as the audit log and the change feed carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Validate, ToSchema)]
pub struct EventRecord {
    #[validate(custom(function = "input::slug"))]
    pub slug: String,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub name: String,
    pub kind: EventKind,
    /// The series, with its name at the time of the change.
    pub series: Option<SeriesRef>,
    #[validate(range(min = 1900, max = 2200, message = "must be between 1900 and 2200"))]
    pub year: Option<i32>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    #[validate(custom(function = "input::timezone"))]
    pub timezone: Option<String>,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub venue: Option<String>,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub city: Option<String>,
    #[validate(custom(function = "input::country"))]
    pub country: Option<String>,
    pub region: Option<Region>,
    pub format: Option<EventFormat>,
    /// As a source states it; `None` when it is read from the dates.
    pub status: Option<EventStatus>,
    pub date_precision: DatePrecision,
    #[validate(custom(function = "input::http_url"))]
    pub website: Option<String>,
    #[validate(custom(function = "input::http_url"))]
    pub registration_url: Option<String>,
    pub cfp_opens_on: Option<NaiveDate>,
    pub cfp_closes_on: Option<NaiveDate>,
    #[validate(range(min = 0, message = "must be 0 or more"))]
    pub attendees: Option<i32>,
    #[validate(length(max = 20000, message = "must be at most 20000 characters"))]
    pub description: Option<String>,
    /// The event this one is co-located with.
    pub co_located_with: Option<EventLink>,
    #[validate(custom(function = "input::http_url"))]
    pub image_url: Option<String>,
    #[validate(range(min = -90.0, max = 90.0, message = "must be between -90 and 90"))]
    pub latitude: Option<f64>,
    #[validate(range(min = -180.0, max = 180.0, message = "must be between -180 and 180"))]
    pub longitude: Option<f64>,
}

// The event's own columns; the names of what it references (the series' name, the
// co-located event's slug) are left empty here and filled by `Events`' `record`.
from_row!(event::Model => EventRecord {
    slug, name, kind, year, starts_on, ends_on, timezone, venue, city, country, region, format,
    date_precision, website, registration_url, cfp_opens_on, cfp_closes_on, attendees,
    description, image_url, latitude, longitude,
} |e| status: e.status_stated.then_some(e.status),
    series: e.series.clone().map(|slug| SeriesRef { slug, name: String::new() }),
    co_located_with: e.co_located_with_id.map(|id| EventLink { id, slug: String::new() }));

/// The rules between fields, each reported on the field that has to change.
pub(super) fn check_dates(b: &mut Builder, r: &EventRecord) {
    if let (Some(start), Some(end)) = (r.starts_on, r.ends_on) {
        let max = crate::services::events::MAX_EVENT_DAYS;
        if end < start {
            b.error("ends_on", "must be on or after starts_on");
        } else if (end - start).num_days() > max {
            b.error(
                "ends_on",
                format!("must be at most {max} days after starts_on"),
            );
        }
    }
    if let (Some(start), Some(closes)) = (r.starts_on, r.cfp_closes_on)
        && closes > start
    {
        b.error("cfp_closes_on", "must be on or before starts_on");
    }
    if let (Some(opens), Some(closes)) = (r.cfp_opens_on, r.cfp_closes_on)
        && opens > closes
    {
        b.error("cfp_opens_on", "must be on or before cfp_closes_on");
    }
    if let (Some(year), Some(start)) = (r.year, r.starts_on)
        && year != start.year()
    {
        b.error("year", "must be the year of starts_on");
    }
    if r.date_precision == DatePrecision::Month {
        let month = r.starts_on.filter(|d| d.day() == 1).and_then(|first| {
            let last = first
                .checked_add_months(chrono::Months::new(1))?
                .pred_opt()?;
            Some(last)
        });
        if month.is_none() || r.ends_on != month {
            b.error(
                "date_precision",
                "`month` needs starts_on on a month's first day and ends_on on its last",
            );
        }
    }
    if r.ends_on.is_some() && r.starts_on.is_none() {
        b.error("starts_on", "is required when ends_on is given");
    }
    if r.latitude.is_some() != r.longitude.is_some() {
        let missing = if r.latitude.is_none() {
            "latitude"
        } else {
            "longitude"
        };
        b.error(missing, "latitude and longitude are given together");
    }
}

impl EventRecord {
    /// What a new event starts from before its body is applied.
    pub(super) fn blank() -> Self {
        Self {
            slug: String::new(),
            name: String::new(),
            kind: EventKind::Other,
            series: None,
            year: None,
            starts_on: None,
            ends_on: None,
            timezone: None,
            venue: None,
            city: None,
            country: None,
            region: None,
            format: None,
            status: None,
            date_precision: DatePrecision::Day,
            website: None,
            registration_url: None,
            cfp_opens_on: None,
            cfp_closes_on: None,
            attendees: None,
            description: None,
            co_located_with: None,
            image_url: None,
            latitude: None,
            longitude: None,
        }
    }
}
