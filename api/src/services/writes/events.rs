//! Writing events.

use chrono::{Datelike, NaiveDate};
use entity::event;
use entity::sea_orm_active_enums::{EntityType, EventFormat, EventKind, EventStatus, Region};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::input::{self, Builder, Field, Unknown};
use super::row;
use super::{Resource, keep_alias, slug_taken};
use crate::error::{ApiError, ApiResult};
use crate::services::caller::Caller;
use crate::services::text::{country_name, search_text, sort_name};
use crate::services::text::{now, slug_from};

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
    /// Editions of one event share a series (`kcd-mexico`).
    #[schema(value_type = Option<String>, min_length = 1, max_length = 100, example = "kcd-mexico")]
    #[serde(default)]
    pub series: Field<String>,
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
    #[schema(value_type = EventStatus, required = false)]
    #[serde(default)]
    pub status: Field<EventStatus>,
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
    /// The slug of the event this one is co-located with (not itself).
    #[schema(value_type = Option<String>, example = "kubecon-cloudnativecon-europe-2025")]
    #[serde(default)]
    pub co_located_with: Field<String>,
    #[serde(flatten)]
    #[schema(ignore)]
    pub unknown: Unknown,
}

impl EventInput {
    /// The members a create must have (the schema `NewEvent`).
    pub const REQUIRED_ON_CREATE: &'static [&'static str] = &["name", "kind"];
}

/// An event's writable state, as the audit log and the change feed carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
pub struct EventRecord {
    #[validate(custom(function = "input::slug"))]
    pub slug: String,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub name: String,
    pub kind: EventKind,
    #[validate(length(min = 1, max = 100, message = "must be 1 to 100 characters"))]
    pub series: Option<String>,
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
    pub status: EventStatus,
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
    /// The id of the event this one is co-located with.
    pub co_located_with_id: Option<i64>,
}

impl From<&event::Model> for EventRecord {
    fn from(m: &event::Model) -> Self {
        Self {
            slug: m.slug.clone(),
            name: m.name.clone(),
            kind: m.kind,
            series: m.series.clone(),
            year: m.year,
            starts_on: m.starts_on,
            ends_on: m.ends_on,
            timezone: m.timezone.clone(),
            venue: m.venue.clone(),
            city: m.city.clone(),
            country: m.country.clone(),
            region: m.region,
            format: m.format,
            status: m.status,
            website: m.website.clone(),
            registration_url: m.registration_url.clone(),
            cfp_opens_on: m.cfp_opens_on,
            cfp_closes_on: m.cfp_closes_on,
            attendees: m.attendees,
            description: m.description.clone(),
            co_located_with_id: m.co_located_with_id,
        }
    }
}

/// The rules between fields, each reported on the field that has to change.
fn check_dates(b: &mut Builder, r: &EventRecord) {
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
    if r.ends_on.is_some() && r.starts_on.is_none() {
        b.error("starts_on", "is required when ends_on is given");
    }
}

pub struct Events;

impl Resource for Events {
    type Model = event::Model;
    type Record = EventRecord;
    type Input = EventInput;
    const TYPE: EntityType = EntityType::Event;
    const WHAT: &'static str = "event";
    const COLLECTION: &'static str = "events";

    fn event_id(model: &event::Model) -> Option<i64> {
        Some(model.id)
    }

    async fn record(
        _: &impl sea_orm::ConnectionTrait,
        model: &event::Model,
    ) -> ApiResult<EventRecord> {
        Ok(model.into())
    }

    async fn build(
        db: &DatabaseTransaction,
        input: EventInput,
        base: Option<(&event::Model, EventRecord)>,
        _: Option<&event::Model>,
    ) -> ApiResult<EventRecord> {
        let self_id = base.as_ref().map(|(m, _)| m.id);
        let mut b = Builder::new(base.is_none(), &input.unknown);
        let mut r = base.map(|(_, r)| r).unwrap_or_else(|| EventRecord {
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
            status: EventStatus::Announced,
            website: None,
            registration_url: None,
            cfp_opens_on: None,
            cfp_closes_on: None,
            attendees: None,
            description: None,
            co_located_with_id: None,
        });
        let creating = b.creating();
        b.required("name", input.name, &mut r.name);
        b.required("kind", input.kind, &mut r.kind);
        let derived = matches!(input.slug, Field::Absent) && creating;
        match input.slug {
            Field::Absent if creating => r.slug = slug_from(&r.name),
            slug => b.required("slug", slug, &mut r.slug),
        }
        b.optional("series", input.series, &mut r.series);
        let year_given = !matches!(input.year, Field::Absent);
        b.optional("year", input.year, &mut r.year);
        let start_given = matches!(input.starts_on, Field::Value(_));
        b.optional("starts_on", input.starts_on, &mut r.starts_on);
        // The year follows a new start date unless the request sets it too.
        if !year_given
            && start_given
            && let Some(start) = r.starts_on
        {
            r.year = Some(start.year());
        }
        b.optional("ends_on", input.ends_on, &mut r.ends_on);
        b.optional("timezone", input.timezone, &mut r.timezone);
        b.optional("venue", input.venue, &mut r.venue);
        b.optional("city", input.city, &mut r.city);
        b.optional("country", input.country, &mut r.country);
        b.optional("region", input.region, &mut r.region);
        b.optional("format", input.format, &mut r.format);
        b.defaulted("status", input.status, &mut r.status);
        b.optional("website", input.website, &mut r.website);
        b.optional(
            "registration_url",
            input.registration_url,
            &mut r.registration_url,
        );
        b.optional("cfp_opens_on", input.cfp_opens_on, &mut r.cfp_opens_on);
        b.optional("cfp_closes_on", input.cfp_closes_on, &mut r.cfp_closes_on);
        b.optional("attendees", input.attendees, &mut r.attendees);
        b.optional("description", input.description, &mut r.description);
        match input.co_located_with {
            Field::Absent => {}
            Field::Null => r.co_located_with_id = None,
            Field::Invalid(message) => b.error("co_located_with", message),
            Field::Value(slug) => {
                let target = event::Entity::find()
                    .filter(event::Column::Slug.eq(slug.as_str()))
                    .filter(event::Column::DeletedAt.is_null())
                    .one(db)
                    .await?;
                match target {
                    None => b.error("co_located_with", format!("no event has the slug `{slug}`")),
                    Some(t) if Some(t.id) == self_id || slug == r.slug => b.error(
                        "co_located_with",
                        "an event cannot be co-located with itself",
                    ),
                    Some(t) => r.co_located_with_id = Some(t.id),
                }
            }
        }
        if derived {
            b.derived_slug("name", &r.name, &r.slug);
        }
        b.validated(r.validate());
        check_dates(&mut b, &r);
        b.finish(r)
    }

    fn authorize(
        caller: &Caller,
        existing: Option<&event::Model>,
        new: Option<&EventRecord>,
    ) -> ApiResult<()> {
        if let Some(existing) = existing {
            caller.check_event(existing)?;
        }
        let Some(new) = new else { return Ok(()) };
        let series_changes = existing.is_none_or(|e| e.series != new.series);
        if series_changes && !caller.may_create_in(new.series.as_deref()) {
            return Err(ApiError::Forbidden(match &new.series {
                Some(series) => format!(
                    "the token `{}` may not create events in the series `{series}`",
                    caller.name
                ),
                None => format!(
                    "the token `{}` may only create events in its series; set `series`",
                    caller.name
                ),
            }));
        }
        Ok(())
    }

    async fn save(
        db: &DatabaseTransaction,
        existing: Option<&event::Model>,
        r: &EventRecord,
    ) -> ApiResult<event::Model> {
        if row::slug_held(db, &r.slug, existing, None).await? {
            return Err(slug_taken("event", &r.slug));
        }
        let mut am = row::start(existing, now());
        am.slug = Set(r.slug.clone());
        am.name = Set(r.name.clone());
        am.sort_name = Set(sort_name(&r.name));
        am.kind = Set(r.kind);
        am.series = Set(r.series.clone());
        am.year = Set(r.year);
        am.starts_on = Set(r.starts_on);
        am.ends_on = Set(r.ends_on);
        am.timezone = Set(r.timezone.clone());
        am.venue = Set(r.venue.clone());
        am.city = Set(r.city.clone());
        am.country = Set(r.country.clone());
        am.region = Set(r.region);
        am.format = Set(r.format);
        am.status = Set(r.status);
        am.website = Set(r.website.clone());
        am.registration_url = Set(r.registration_url.clone());
        am.cfp_opens_on = Set(r.cfp_opens_on);
        am.cfp_closes_on = Set(r.cfp_closes_on);
        am.attendees = Set(r.attendees);
        am.description = Set(r.description.clone());
        am.co_located_with_id = Set(r.co_located_with_id);
        am.search_text = Set(search_text(&[
            Some(r.name.as_str()),
            r.series.as_deref(),
            r.venue.as_deref(),
            r.city.as_deref(),
            r.country.as_deref().and_then(country_name),
            r.description.as_deref(),
        ]));
        let model = row::store(db, am, existing).await?;
        if let Some(e) = existing {
            keep_alias(db, EntityType::Event, &e.slug, &model.slug, model.id).await?;
        }
        Ok(model)
    }

    async fn remove(
        db: &DatabaseTransaction,
        caller: &Caller,
        model: &event::Model,
    ) -> ApiResult<()> {
        let co_located = event::Entity::find()
            .filter(event::Column::CoLocatedWithId.eq(model.id))
            .filter(event::Column::DeletedAt.is_null())
            .all(db)
            .await?;
        if !co_located.is_empty() {
            let slugs: Vec<_> = co_located.iter().map(|e| format!("`{}`", e.slug)).collect();
            return Err(ApiError::Conflict {
                detail: format!(
                    "events are co-located with this one ({}); move or delete them first",
                    slugs.join(", ")
                ),
                field: None,
            });
        }
        // What belongs to the event goes with it, each with its own tombstone.
        for talk in super::row::live_in(db, model.id).await? {
            super::delete_dependent::<super::talks::Talks>(db, caller, &talk).await?;
        }
        for s in super::row::live_in(db, model.id).await? {
            super::delete_dependent::<super::links::Sponsorships>(db, caller, &s).await?;
        }
        for o in super::row::live_in(db, model.id).await? {
            super::delete_dependent::<super::links::Organizers>(db, caller, &o).await?;
        }
        row::soft_delete(db, model).await
    }

    async fn representation(
        db: &impl sea_orm::ConnectionTrait,
        model: &event::Model,
    ) -> ApiResult<Vec<u8>> {
        let page = crate::services::event_page::page(db, model.clone()).await?;
        serde_json::to_vec(&page).map_err(|e| ApiError::Internal(e.into()))
    }
}
