//! Writing events.

use chrono::Datelike;
use entity::event;
use entity::sea_orm_active_enums::{EntityType, EventStatus};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};
use validator::Validate;

mod record;

use record::check_dates;
pub use record::{EventInput, EventLink, EventLinkInput, EventRecord, SeriesInput};

use super::input::{Builder, Field};
use super::row;
use super::{Resource, claim, store_renamed};
use crate::error::{ApiError, ApiResult};
use crate::services::caller::Caller;
use crate::services::regions;
use crate::services::text::now;
use crate::services::text::{country_name, normalize, search_text, sort_name};
use crate::views::refs::SeriesRef;

pub struct Events;

impl Resource for Events {
    type Model = event::Model;
    type Record = EventRecord;
    type Input = EventInput;
    type View = crate::views::event::EventPage;
    const TYPE: EntityType = EntityType::Event;
    const WHAT: &'static str = "event";
    const COLLECTION: &'static str = "events";

    fn event_id(model: &event::Model) -> Option<i64> {
        Some(model.id)
    }

    /// The row's fields, with the name of its series and the slug of the event it is
    /// co-located with.
    async fn record(
        db: &impl sea_orm::ConnectionTrait,
        model: &event::Model,
    ) -> ApiResult<EventRecord> {
        let mut r = EventRecord::from(model);
        if let Some(series) = &mut r.series
            && let Some(found) = crate::services::series::by_slug(db, &series.slug).await?
        {
            series.name = found.name;
        }
        if let Some(link) = &mut r.co_located_with
            && let Some(target) = event::Entity::find_by_id(link.id).one(db).await?
        {
            link.slug = target.slug;
        }
        Ok(r)
    }

    async fn build(
        db: &DatabaseTransaction,
        input: EventInput,
        base: Option<(&event::Model, EventRecord)>,
        _: Option<&event::Model>,
    ) -> ApiResult<EventRecord> {
        let self_id = base.as_ref().map(|(m, _)| m.id);
        let mut b = Builder::new(base.is_none(), &input.unknown);
        let mut r = base.map(|(_, r)| r).unwrap_or_else(EventRecord::blank);
        b.required("name", input.name, &mut r.name);
        b.required("kind", input.kind, &mut r.kind);
        let derived = b.slug(input.slug, &mut r.slug, &r.name);
        match input.series {
            Field::Absent => {}
            Field::Null => r.series = None,
            Field::Invalid(message) => b.error("series", message),
            Field::Value(given) => match series_of(db, given).await? {
                Ok(series) => r.series = Some(series),
                Err((field, message)) => b.error(field, message),
            },
        }
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
        let country_given = matches!(input.country, Field::Value(_));
        let region_given = !matches!(input.region, Field::Absent);
        b.optional("country", input.country, &mut r.country);
        b.optional("region", input.region, &mut r.region);
        // A new country brings its region unless the request sets one (an online event).
        if country_given
            && !region_given
            && let Some(region) = r.country.as_deref().and_then(regions::of_country)
        {
            r.region = Some(region);
        }
        b.optional("format", input.format, &mut r.format);
        b.optional("status", input.status, &mut r.status);
        b.defaulted(
            "date_precision",
            input.date_precision,
            &mut r.date_precision,
        );
        b.url("website", input.website, &mut r.website);
        b.url(
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
            Field::Null => r.co_located_with = None,
            Field::Invalid(message) => b.error("co_located_with", message),
            Field::Value(EventLinkInput { slug }) => {
                match row::live::<event::Model>(db, &slug, None).await? {
                    None => b.error(
                        "/co_located_with/slug",
                        format!("no event has the slug `{slug}`"),
                    ),
                    Some(t) if Some(t.id) == self_id || slug == r.slug => b.error(
                        "co_located_with",
                        "an event cannot be co-located with itself",
                    ),
                    Some(t) => {
                        r.co_located_with = Some(EventLink {
                            id: t.id,
                            slug: t.slug,
                        })
                    }
                }
            }
        }
        b.url("image_url", input.image_url, &mut r.image_url);
        b.optional("latitude", input.latitude, &mut r.latitude);
        b.optional("longitude", input.longitude, &mut r.longitude);
        if derived {
            b.derived_slug("name", &r.name, &r.slug);
        }
        b.validated(r.validate());
        check_dates(&mut b, &r);
        b.finish(r)
    }

    /// Besides the event itself, a new `co_located_with` link changes the event it names (its
    /// page, its JSON-LD `subEvent`, its ETag, whether it can be deleted): the caller must be
    /// allowed to edit that event too.
    async fn authorize(
        db: &DatabaseTransaction,
        caller: &Caller,
        existing: Option<&event::Model>,
        new: Option<&EventRecord>,
    ) -> ApiResult<()> {
        if let Some(existing) = existing {
            caller.check_event(existing)?;
        }
        let Some(new) = new else { return Ok(()) };
        let slug = new.series.as_ref().map(|s| s.slug.as_str());
        let series_changes = existing.is_none_or(|e| e.series.as_deref() != slug);
        if series_changes && !caller.may_create_in(slug) {
            return Err(ApiError::Forbidden(match slug {
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
        let linked = new.co_located_with.as_ref().map(|l| l.id);
        if let Some(target) =
            linked.filter(|_| existing.is_none_or(|e| e.co_located_with_id != linked))
        {
            let target = event::Entity::find_by_id(target)
                .one(db)
                .await?
                .ok_or_else(|| {
                    ApiError::Internal(anyhow::anyhow!("co-located event {target} vanished"))
                })?;
            if !caller.may_edit(&target) {
                return Err(ApiError::Forbidden(format!(
                    "co_located_with: the token `{}` may not change the event `{}`, so it may not co-locate an event with it; ask its editors or an admin",
                    caller.name, target.slug
                )));
            }
        }
        Ok(())
    }

    async fn save(
        db: &DatabaseTransaction,
        existing: Option<&event::Model>,
        r: &EventRecord,
    ) -> ApiResult<event::Model> {
        claim::<Self>(db, &r.slug, existing).await?;
        if let Some(s) = &r.series {
            crate::services::series::ensure(db, &s.slug, &s.name).await?;
        }
        let mut am = row::start(existing, now());
        row::set!(
            am, r;
            slug, name, kind, year, starts_on, ends_on, timezone, venue, city, country, region,
            format, date_precision, website, registration_url, cfp_opens_on, cfp_closes_on,
            attendees, description, image_url, latitude, longitude
        );
        // A status nobody states is read from the dates; the column keeps a placeholder.
        am.status = Set(r.status.unwrap_or(EventStatus::Announced));
        am.status_stated = Set(r.status.is_some());
        am.series = Set(r.series.as_ref().map(|s| s.slug.clone()));
        am.co_located_with_id = Set(r.co_located_with.as_ref().map(|l| l.id));
        am.city_key = Set(r.city.as_deref().map(normalize));
        am.sort_name = Set(sort_name(&r.name));
        am.search_text = Set(search_text(&[
            Some(r.name.as_str()),
            r.series.as_ref().map(|s| s.name.as_str()),
            r.venue.as_deref(),
            r.city.as_deref(),
            r.country.as_deref().and_then(country_name),
            r.description.as_deref(),
        ]));
        store_renamed::<Self>(db, am, existing).await
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
        for p in super::row::live_in(db, model.id).await? {
            super::delete_dependent::<super::participations::Participations>(db, caller, &p)
                .await?;
        }
        row::soft_delete(db, model).await
    }

    async fn view(
        db: &impl sea_orm::ConnectionTrait,
        model: &event::Model,
    ) -> ApiResult<crate::views::event::EventPage> {
        Ok(crate::services::event_page::page(db, model.clone()).await?)
    }
}

/// The series a write names: found by slug, or new with the name given.
async fn series_of(
    db: &DatabaseTransaction,
    given: SeriesInput,
) -> ApiResult<Result<SeriesRef, (&'static str, String)>> {
    if let Err(e) = super::rules::slug(&given.slug) {
        let message = e
            .message
            .map_or_else(|| "is not a slug".to_owned(), |m| m.to_string());
        return Ok(Err(("/series/slug", message)));
    }
    let name = given.name.map(|n| n.trim().to_owned());
    if name
        .as_ref()
        .is_some_and(|n| !(1..=200).contains(&n.chars().count()))
    {
        return Ok(Err((
            "/series/name",
            "must be 1 to 200 characters".to_owned(),
        )));
    }
    // The name starts a series; an existing one keeps its own.
    if let Some(found) = crate::services::series::by_slug(db, &given.slug).await? {
        return Ok(Ok(SeriesRef::from(&found)));
    }
    Ok(match name {
        Some(name) => Ok(SeriesRef {
            slug: given.slug,
            name,
        }),
        None => Err((
            "/series/name",
            format!(
                "no series has the slug `{}`; give its name as well to start it",
                given.slug
            ),
        )),
    })
}
