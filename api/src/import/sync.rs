//! Writing the catalog: organizations, people, events and what belongs to an event, created
//! when missing and updated while nobody has edited them through the API (still at version 1),
//! each change in the change feed.

use std::collections::HashMap;

use chrono::Datelike;
use entity::event;
use entity::sea_orm_active_enums::{DatePrecision, EntityType, EventStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};
use serde_json::json;

use super::catalog::{Catalog, EventEntry, OrganizationEntry, PersonEntry, SourceEntry};
use super::mentions::{Matcher, Target};
use crate::services::text::{country_name, normalize, now, search_text, slug_from, sort_name};
use crate::services::writes::events::Events;
use crate::services::writes::organizations::Organizations;
use crate::services::writes::people::People;
use crate::services::writes::row::{self, Row, column};
use crate::services::writes::{self, Actor, Resource};
use crate::views::sources::{PostSource, PublicRecord, SourceView};

/// What the catalog contributes to reading posts: names to find and who the authors are.
#[derive(Debug, Default)]
pub struct CatalogIndex {
    pub(super) matcher: Matcher,
    /// Names that count only in a given post (by post slug).
    pub(super) source_aliases: HashMap<String, Vec<(String, Target)>>,
    /// Normalized person name or alias → person id.
    pub(super) people_by_name: HashMap<String, i64>,
    /// Normalized organization name or alias → organization id (an organization can write).
    pub(super) organizations_by_name: HashMap<String, i64>,
    /// The catalog's editions and places, which mentions resolve against.
    pub(super) gazetteer: super::gazetteer::Gazetteer,
    /// The catalog's events by id.
    pub(super) events: HashMap<i64, CatalogEvent>,
}

/// What reading posts needs to know of a catalog event.
#[derive(Debug, Clone)]
pub struct CatalogEvent {
    pub name: String,
    pub series: Option<String>,
    pub year: Option<i32>,
}

impl CatalogEvent {
    /// "KubeCon + CloudNativeCon Europe 2024": the series and year, or the name.
    pub fn edition_name(&self) -> String {
        match (&self.series, self.year) {
            (Some(series), Some(year)) => format!("{series} {year}"),
            _ => self.name.clone(),
        }
    }
}

/// Writes the catalog (creating what is missing; updating records nobody has edited through
/// the API, i.e. still at version 1) and builds the index used to read posts.
pub async fn sync_catalog(
    db: &DatabaseConnection,
    catalog: &Catalog,
) -> Result<CatalogIndex, DbErr> {
    let txn = crate::services::writes::begin(db).await?;
    let mut index = CatalogIndex {
        gazetteer: super::gazetteer::Gazetteer::from_catalog(catalog),
        ..Default::default()
    };
    let mut org_ids = HashMap::new();
    for entry in &catalog.organizations {
        let id = upsert_organization(&txn, entry).await?;
        org_ids.insert(entry.slug.clone(), id);
        index.add_author(&entry.name, &entry.aliases, Target::Organization(id));
    }
    let mut person_ids = HashMap::new();
    for entry in &catalog.people {
        let id = upsert_person(&txn, entry).await?;
        person_ids.insert(entry.slug.clone(), id);
        index.add_author(&entry.name, &entry.aliases, Target::Person(id));
    }
    let mut event_ids = HashMap::new();
    for entry in &catalog.events {
        let id = upsert_event(&txn, entry).await?;
        event_ids.insert(entry.slug.clone(), id);
        let event = CatalogEvent {
            name: entry.name.clone(),
            series: entry.series.clone(),
            year: entry.year,
        };
        index.events.insert(id, event);
        index.add_names(&entry.name, &entry.aliases, Target::Event(id));
        let posts: Vec<String> = entry
            .sources
            .iter()
            .filter_map(|s| s.post().map(str::to_owned))
            .collect();
        index.add_source_aliases(&posts, &entry.source_aliases, Target::Event(id));
    }
    for entry in &catalog.events {
        let event_id = event_ids[&entry.slug];
        let co_located = entry.co_located_with.as_ref().map(|slug| event_ids[slug]);
        if let Some(existing) = event::Entity::find_by_id(event_id).one(&txn).await?
            && existing.version == 1
            && existing.co_located_with_id != co_located
        {
            let before = record_of::<Events>(&txn, &existing).await?;
            let mut am = existing.into_active_model();
            am.co_located_with_id = Set(co_located);
            let model = am.update(&txn).await?;
            track::<Events>(&txn, &model, Some(before)).await?;
        }
        super::sync_children::sync_event_children(&txn, entry, event_id, &person_ids, &org_ids)
            .await?;
    }
    txn.commit().await?;
    Ok(index)
}

impl CatalogIndex {
    /// Posts name `target` by `name` or any of `aliases`.
    fn add_names(&mut self, name: &str, aliases: &[String], target: Target) {
        for name in std::iter::once(name).chain(aliases.iter().map(String::as_str)) {
            self.matcher.add(name, target);
        }
    }

    /// Posts name the person or organization `target` by `name` or any of `aliases`, and
    /// may be written by it under one of them.
    fn add_author(&mut self, name: &str, aliases: &[String], target: Target) {
        self.add_names(name, aliases, target);
        let (by_name, id) = match target {
            Target::Person(id) => (&mut self.people_by_name, id),
            Target::Organization(id) => (&mut self.organizations_by_name, id),
            _ => return,
        };
        for name in std::iter::once(name).chain(aliases.iter().map(String::as_str)) {
            by_name.insert(normalize(name), id);
        }
    }

    /// The posts in `sources` (and only they) also name `target` by `source_aliases`.
    fn add_source_aliases(
        &mut self,
        sources: &[String],
        source_aliases: &[String],
        target: Target,
    ) {
        if source_aliases.is_empty() {
            return;
        }
        for source in sources {
            let names = self.source_aliases.entry(source.clone()).or_default();
            names.extend(source_aliases.iter().map(|a| (a.clone(), target)));
        }
    }
}

/// Writes where the facts of the record come from, as the catalog says.
async fn cite(
    db: &impl ConnectionTrait,
    entity_type: EntityType,
    id: i64,
    sources: &[SourceEntry],
) -> Result<(), DbErr> {
    let cited = sources
        .iter()
        .map(|s| SourceView {
            fields: s.fields().to_vec(),
            post: s.post().map(|slug| PostSource {
                slug: slug.to_owned(),
                quote: match s {
                    SourceEntry::Quote(q) => Some(q.quote.clone()),
                    _ => None,
                },
            }),
            record: match s {
                SourceEntry::Record(r) => Some(PublicRecord {
                    url: r.url.clone(),
                    retrieved_on: r.retrieved_on,
                }),
                _ => None,
            },
        })
        .collect();
    crate::services::sources::replace(db, entity_type, id, cited).await
}

/// The search text of a catalog entry: its name, the other names it goes by, then `more`.
fn known_as(name: &str, aliases: &[String], more: &[Option<&str>]) -> String {
    let aliases = aliases.join(" ");
    let mut parts = vec![Some(name), Some(aliases.as_str())];
    parts.extend_from_slice(more);
    search_text(&parts)
}

pub(super) async fn upsert_organization(
    db: &impl ConnectionTrait,
    e: &OrganizationEntry,
) -> Result<i64, DbErr> {
    let id = upsert::<Organizations>(db, &e.slug, |am, _| {
        row::set_changed!(am, e; name, website, logo_url, description);
        am.sort_name.set_if_not_equals(sort_name(&e.name));
        let search = known_as(&e.name, &e.aliases, &[e.description.as_deref()]);
        am.search_text.set_if_not_equals(search);
    })
    .await?;
    cite(db, EntityType::Organization, id, &e.sources).await?;
    Ok(id)
}

pub(super) async fn upsert_person(
    db: &impl ConnectionTrait,
    e: &PersonEntry,
) -> Result<i64, DbErr> {
    let search = known_as(
        &e.name,
        &e.aliases,
        &[e.company.as_deref(), e.bio.as_deref()],
    );
    let id = upsert::<People>(db, &e.slug, |am, _| {
        row::set_changed!(
            am, e;
            name, bio, company, country, website, github, linkedin, x, bluesky, mastodon
        );
        am.sort_name.set_if_not_equals(sort_name(&e.name));
        am.company_key
            .set_if_not_equals(e.company.as_deref().map(normalize));
        am.badges.set_if_not_equals(json!(e.badges));
        am.search_text.set_if_not_equals(search);
    })
    .await?;
    cite(db, EntityType::Person, id, &e.sources).await?;
    Ok(id)
}

pub(super) async fn upsert_event(db: &impl ConnectionTrait, e: &EventEntry) -> Result<i64, DbErr> {
    let search = search_text(&[
        Some(&e.name),
        e.series.as_deref(),
        e.venue.as_deref(),
        e.city.as_deref(),
        e.country.as_deref().and_then(country_name),
        e.description.as_deref(),
    ]);
    // The catalog names the series; events hold its slug.
    let series = match &e.series {
        Some(name) => Some(
            crate::services::series::ensure(db, &slug_from(name), name)
                .await?
                .slug,
        ),
        None => None,
    };
    let id = upsert::<Events>(db, &e.slug, |am, existing| {
        row::set_changed!(
            am, e;
            name, kind, starts_on, ends_on, timezone, venue, city, country, format,
            website, registration_url, cfp_opens_on, cfp_closes_on, attendees, description,
            image_url, latitude, longitude
        );
        am.date_precision
            .set_if_not_equals(e.date_precision.unwrap_or(DatePrecision::Day));
        am.status
            .set_if_not_equals(e.status.unwrap_or(EventStatus::Announced));
        am.status_stated.set_if_not_equals(e.status.is_some());
        am.series.set_if_not_equals(series);
        am.region.set_if_not_equals(e.region.or_else(|| {
            e.country
                .as_deref()
                .and_then(crate::services::regions::of_country)
        }));
        am.city_key
            .set_if_not_equals(e.city.as_deref().map(normalize));
        am.sort_name.set_if_not_equals(sort_name(&e.name));
        am.year
            .set_if_not_equals(e.year.or(e.starts_on.map(|d| d.year())));
        am.search_text.set_if_not_equals(search);
        // A catalog entry wins over an event discovered in a post.
        if existing.is_some_and(|m| m.discovered_in_post_id.is_some()) {
            am.discovered_in_post_id = Set(None);
        }
    })
    .await?;
    cite(db, EntityType::Event, id, &e.sources).await?;
    Ok(id)
}

/// Writes the row of a catalog entry (found by `slug`, live or deleted) through `fill`, which
/// sets each column where it differs, unless the row was edited through the API (its version
/// is no longer 1); puts the change in the change feed. Returns the row's id.
async fn upsert<R: Resource>(
    db: &impl ConnectionTrait,
    slug: &str,
    fill: impl FnOnce(&mut <R::Model as Row>::Active, Option<&R::Model>),
) -> Result<i64, DbErr> {
    let col = column::<<R::Model as Row>::Table>;
    let existing = <R::Model as Row>::Table::find()
        .filter(col("slug").eq(slug))
        .one(db)
        .await?;
    let mut am = match &existing {
        Some(m) if m.version() != 1 => return Ok(m.id()),
        Some(m) => m.clone().into_active_model(),
        None => {
            let mut am = row::start::<R::Model>(None, now());
            am.set(col("slug"), slug.into());
            am
        }
    };
    fill(&mut am, existing.as_ref());
    let before = match &existing {
        Some(m) => Some(record_of::<R>(db, m).await?),
        None => None,
    };
    let model = save(db, am, existing.is_some()).await?;
    track::<R>(db, &model, before).await?;
    Ok(model.id())
}

/// Puts a record the import created or changed into the audit log, and so the change feed.
pub(super) async fn track<R: Resource>(
    db: &impl ConnectionTrait,
    model: &R::Model,
    before: Option<R::Record>,
) -> Result<(), DbErr> {
    writes::record_change::<R>(db, &Actor::import(), model, before)
        .await
        .map_err(|e| DbErr::Custom(format!("recording an import change: {e}")))
}

/// A record's writable state, as the audit log keeps it.
pub(super) async fn record_of<R: Resource>(
    db: &impl ConnectionTrait,
    model: &R::Model,
) -> Result<R::Record, DbErr> {
    R::record(db, model)
        .await
        .map_err(|e| DbErr::Custom(format!("reading a record: {e}")))
}

/// Inserts a new record, or updates an existing one when a field changed.
pub(super) async fn save<A>(
    db: &impl ConnectionTrait,
    mut am: A,
    exists: bool,
) -> Result<<A::Entity as EntityTrait>::Model, DbErr>
where
    A: ActiveModelTrait
        + sea_orm::ActiveModelBehavior
        + Send
        + sea_orm::TryIntoModel<<A::Entity as EntityTrait>::Model>,
    <A::Entity as EntityTrait>::Model: sea_orm::IntoActiveModel<A>,
{
    if exists && !am.is_changed() {
        return am.try_into_model();
    }
    am.set(column::<A::Entity>("updated_at"), now().into());
    if exists {
        am.update(db).await
    } else {
        am.insert(db).await
    }
}
