//! Event views.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::event;
use entity::sea_orm_active_enums::{DatePrecision, EventFormat, EventKind, EventStatus, Region};
use serde::Serialize;
use utoipa::ToSchema;

use super::refs::{EventRef, OrganizerView, PostRef, SeriesRef, SponsorTierGroup, TalkView};

/// What an event's status rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusBasis {
    /// A source states it: a post that reports how the event went, an organizer, or (for
    /// `unverified`) the post that named an event nobody has confirmed.
    Stated,
    /// No source states it: `scheduled` until the event's last day, `completed` after it.
    Dates,
    /// No source states it and the event has no dates: `announced`, nothing more known.
    Undated,
}

/// The status an event is served with on `today`: the stated one, or else the one its dates
/// give.
/// The list filter `status=` asks the same in SQL (`services::events::status_is`): the two
/// change together.
pub fn served_status(e: &event::Model, today: NaiveDate) -> (EventStatus, StatusBasis) {
    if e.status_stated {
        return (e.status, StatusBasis::Stated);
    }
    match (e.starts_on, e.ends_on.or(e.starts_on)) {
        (Some(_), Some(last)) if last < today => (EventStatus::Completed, StatusBasis::Dates),
        (Some(_), _) => (EventStatus::Scheduled, StatusBasis::Dates),
        (None, _) => (EventStatus::Announced, StatusBasis::Undated),
    }
}

/// An event as listed: what a card in a list shows (dates, place, links, the call for
/// proposals), without a second request.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventSummary {
    /// Stable, URL-safe identifier.
    #[schema(example = "kcd-mexico-2024")]
    pub slug: String,
    #[schema(example = "KCD Mexico 2024")]
    pub name: String,
    pub kind: EventKind,
    /// The recurring series the event belongs to (`GET /api/v1/series/{slug}`).
    pub series: Option<SeriesRef>,
    #[schema(example = 2024)]
    pub year: Option<i32>,
    /// First day, in the event's local calendar.
    #[schema(example = "2024-02-23")]
    pub starts_on: Option<NaiveDate>,
    /// Last day (inclusive).
    #[schema(example = "2024-02-24")]
    pub ends_on: Option<NaiveDate>,
    #[schema(example = "Guadalajara")]
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    #[schema(example = "MX")]
    pub country: Option<String>,
    pub region: Option<Region>,
    pub format: Option<EventFormat>,
    /// Where the event stands: as a source states it, or else as its dates and today say
    /// (`status_basis`).
    pub status: EventStatus,
    pub status_basis: StatusBasis,
    /// `month` when the dates stand for a month a source names without days (the month's
    /// first and last days).
    pub date_precision: DatePrecision,
    #[schema(example = "https://community.cncf.io/kcd-mexico/")]
    pub website: Option<String>,
    /// IANA time zone of the venue.
    #[schema(example = "America/Mexico_City")]
    pub timezone: Option<String>,
    #[schema(example = "CUCEA, Universidad de Guadalajara")]
    pub venue: Option<String>,
    pub registration_url: Option<String>,
    /// When the call for proposals opens and closes.
    pub cfp_opens_on: Option<NaiveDate>,
    pub cfp_closes_on: Option<NaiveDate>,
    /// An image of the event (its logo or banner): an absolute URL.
    pub image_url: Option<String>,
    /// The venue's latitude in decimal degrees (WGS 84).
    #[schema(example = 20.6736, minimum = -90, maximum = 90)]
    pub latitude: Option<f64>,
    /// The venue's longitude in decimal degrees (WGS 84).
    #[schema(example = -103.3927, minimum = -180, maximum = 180)]
    pub longitude: Option<f64>,
}

impl EventSummary {
    /// The summary of `e`, with its series from `series` (keyed by slug, as
    /// `services::series::of_events` gives them).
    pub fn new(e: event::Model, series: &HashMap<String, SeriesRef>) -> Self {
        let status = served_status(&e, Utc::now().date_naive());
        Self {
            series: e.series.as_ref().and_then(|s| series.get(s)).cloned(),
            slug: e.slug,
            name: e.name,
            kind: e.kind,
            year: e.year,
            starts_on: e.starts_on,
            ends_on: e.ends_on,
            city: e.city,
            country: e.country,
            region: e.region,
            format: e.format,
            status: status.0,
            status_basis: status.1,
            date_precision: e.date_precision,
            website: e.website,
            timezone: e.timezone,
            venue: e.venue,
            registration_url: e.registration_url,
            cfp_opens_on: e.cfp_opens_on,
            cfp_closes_on: e.cfp_closes_on,
            image_url: e.image_url,
            latitude: e.latitude,
            longitude: e.longitude,
        }
    }
}

/// An event with every field.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventDetail {
    #[serde(flatten)]
    pub summary: EventSummary,
    /// Reported attendance.
    #[schema(example = 300)]
    pub attendees: Option<i32>,
    /// The description as its organizers wrote it, in Markdown.
    pub description: Option<String>,
    /// The description rendered to sanitized HTML (as post bodies are), ready to show.
    pub description_html: Option<String>,
    /// Bumped on every change; the ETag derives from it.
    #[schema(example = 1)]
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl EventDetail {
    /// The detail of `e`, with its series from `series` (see [`EventSummary::new`]).
    pub fn new(e: event::Model, series: &HashMap<String, SeriesRef>) -> Self {
        Self {
            attendees: e.attendees,
            description: e.description.clone(),
            description_html: None,
            version: e.version,
            created_at: e.created_at,
            updated_at: e.updated_at,
            summary: EventSummary::new(e, series),
        }
    }
}

/// An event page: every field and the records around it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    #[serde(flatten)]
    pub event: EventDetail,
    /// The event this one is co-located with.
    pub co_located_with: Option<EventRef>,
    /// Events co-located with this one.
    pub co_located_events: Vec<EventRef>,
    /// Talks in schedule order, with speakers in billing order.
    pub talks: Vec<TalkView>,
    /// Sponsors grouped by tier, highest first.
    pub sponsors: Vec<SponsorTierGroup>,
    pub organizers: Vec<OrganizerView>,
    /// Published posts that mention the event, newest first.
    pub posts: Vec<PostRef>,
    /// Where its facts come from (field by field: `GET /api/v1/events/{slug}/sources`).
    pub sources: Vec<super::sources::SourceView>,
}

/// A series with its editions.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesPage {
    #[serde(flatten)]
    pub series: SeriesRef,
    /// Its events, newest first; an undated one counts as later than every date.
    pub events: Vec<EventSummary>,
    /// Published posts that name the series without naming one of its editions, newest first.
    pub posts: Vec<PostRef>,
}
