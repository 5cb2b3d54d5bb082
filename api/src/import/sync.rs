//! Writing the catalog: organizations, people, events and what belongs to an event, created
//! when missing and updated while nobody has edited them through the API (still at version 1),
//! each change in the change feed.

use std::collections::HashMap;

use chrono::Datelike;
use entity::sea_orm_active_enums::{DatePrecision, EntityType, EventStatus};
use entity::{event, talk, talk_speaker};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use super::catalog::{Catalog, EventEntry, OrganizationEntry, PersonEntry, SourceEntry};
use super::mentions::{Matcher, Target};
use crate::services::text::{country_name, normalize, now, search_text, slug_from, sort_name};
use crate::services::writes::events::Events;
use crate::services::writes::links::{self, Link, Organizers, Sponsorships};
use crate::services::writes::organizations::Organizations;
use crate::services::writes::participations::Participations;
use crate::services::writes::people::People;
use crate::services::writes::row::{self, Row, column};
use crate::services::writes::talks::Talks;
use crate::services::writes::{self, Actor, Resource};

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
}

/// Writes the catalog (creating what is missing; updating records nobody has edited through
/// the API, i.e. still at version 1) and builds the index used to read posts.
pub async fn sync_catalog(
    db: &DatabaseConnection,
    catalog: &Catalog,
) -> Result<CatalogIndex, DbErr> {
    let txn = crate::services::writes::begin(db).await?;
    let mut index = CatalogIndex::default();
    let mut org_ids = HashMap::new();
    for entry in &catalog.organizations {
        let id = upsert_organization(&txn, entry).await?;
        cite(&txn, EntityType::Organization, id, &entry.sources).await?;
        org_ids.insert(entry.slug.clone(), id);
        index.add_names(&entry.name, &entry.aliases, Target::Organization(id));
        for name in std::iter::once(&entry.name).chain(&entry.aliases) {
            index.organizations_by_name.insert(normalize(name), id);
        }
    }
    let mut person_ids = HashMap::new();
    for entry in &catalog.people {
        let id = upsert_person(&txn, entry).await?;
        cite(&txn, EntityType::Person, id, &entry.sources).await?;
        person_ids.insert(entry.slug.clone(), id);
        index.add_names(&entry.name, &entry.aliases, Target::Person(id));
        for name in std::iter::once(&entry.name).chain(&entry.aliases) {
            index.people_by_name.insert(normalize(name), id);
        }
    }
    let mut event_ids = HashMap::new();
    for entry in &catalog.events {
        let id = upsert_event(&txn, entry).await?;
        event_ids.insert(entry.slug.clone(), id);
        index.add_names(&entry.name, &entry.aliases, Target::Event(id));
        let posts: Vec<String> = entry
            .sources
            .iter()
            .filter_map(|s| s.post().map(str::to_owned))
            .collect();
        index.add_source_aliases(&posts, &entry.source_aliases, Target::Event(id));
        cite(&txn, EntityType::Event, id, &entry.sources).await?;
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
        sync_event_children(&txn, entry, event_id, &person_ids, &org_ids).await?;
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
        .map(|s| {
            let (quote, url, retrieved_on) = match s {
                SourceEntry::Post(_) => (None, None, None),
                SourceEntry::Quote(q) => (Some(q.quote.clone()), None, None),
                SourceEntry::Record(r) => (None, Some(r.url.clone()), Some(r.retrieved_on)),
            };
            crate::services::sources::Cited {
                fields: s.fields().to_vec(),
                post_slug: s.post().map(str::to_owned),
                quote,
                url,
                retrieved_on,
            }
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
    upsert::<Organizations>(db, &e.slug, |am, _| {
        row::set_changed!(am, e; name, website, logo_url, description);
        am.sort_name.set_if_not_equals(sort_name(&e.name));
        let search = known_as(&e.name, &e.aliases, &[e.description.as_deref()]);
        am.search_text.set_if_not_equals(search);
    })
    .await
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
    upsert::<People>(db, &e.slug, |am, _| {
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
    .await
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
    upsert::<Events>(db, &e.slug, |am, existing| {
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
    .await
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

pub(super) async fn sync_event_children(
    db: &impl ConnectionTrait,
    entry: &EventEntry,
    event_id: i64,
    person_ids: &HashMap<String, i64>,
    org_ids: &HashMap<String, i64>,
) -> Result<(), DbErr> {
    for t in &entry.talks {
        let existing = talk::Entity::find()
            .filter(talk::Column::EventId.eq(event_id))
            .filter(talk::Column::Slug.eq(&t.slug))
            .one(db)
            .await?;
        let mut am = match &existing {
            Some(m) if m.version != 1 => continue,
            Some(m) => m.clone().into_active_model(),
            None => talk::ActiveModel {
                event_id: Set(event_id),
                slug: Set(t.slug.clone()),
                starts_at: Set(None),
                created_at: Set(now()),
                version: Set(1),
                deleted_at: Set(None),
                ..Default::default()
            },
        };
        let before = match &existing {
            Some(m) => Some(record_of::<Talks>(db, m).await?),
            None => None,
        };
        row::set_changed!(am, t; title, summary, kind, r#abstract, recording_url, slides_url);
        let saved = save(db, am, existing.is_some()).await?;
        let wanted: Vec<i64> = t.speakers.iter().map(|s| person_ids[s]).collect();
        let current: Vec<i64> = talk_speaker::Entity::find()
            .filter(talk_speaker::Column::TalkId.eq(saved.id))
            .order_by_asc(talk_speaker::Column::Position)
            .all(db)
            .await?
            .into_iter()
            .map(|s| s.person_id)
            .collect();
        if current != wanted {
            talk_speaker::Entity::delete_many()
                .filter(talk_speaker::Column::TalkId.eq(saved.id))
                .exec(db)
                .await?;
            for (position, person_id) in wanted.into_iter().enumerate() {
                talk_speaker::ActiveModel {
                    talk_id: Set(saved.id),
                    person_id: Set(person_id),
                    position: Set(position as i32),
                }
                .insert(db)
                .await?;
            }
        }
        track::<Talks>(db, &saved, before).await?;
    }
    for s in &entry.sponsors {
        sync_link::<Sponsorships>(db, event_id, org_ids[&s.organization], s.tier).await?;
    }
    for o in &entry.organizers {
        sync_link::<Organizers>(db, event_id, person_ids[&o.person], o.role).await?;
    }
    for p in &entry.participants {
        sync_link::<Participations>(db, event_id, person_ids[&p.person], p.role).await?;
    }
    Ok(())
}

/// Links the event to a party the catalog names (a sponsor at a tier, an organizer in a role),
/// unless the link was edited through the API.
async fn sync_link<L: Link>(
    db: &impl ConnectionTrait,
    event_id: i64,
    party_id: i64,
    attr: L::Attr,
) -> Result<(), DbErr> {
    let existing = links::row_of::<L>(db, event_id, party_id).await?;
    let mut am = match &existing {
        Some(m) if m.version() != 1 => return Ok(()),
        Some(m) => m.clone().into_active_model(),
        None => {
            let col = column::<<L::Model as Row>::Table>;
            let mut am = row::start::<L::Model>(None, now());
            am.set(col("event_id"), event_id.into());
            am.set(col(L::PARTY_ID), party_id.into());
            am
        }
    };
    if existing.as_ref().is_none_or(|m| L::record(m).attr != attr) {
        am.set(column::<<L::Model as Row>::Table>(L::ATTR), attr.into());
    }
    let before = existing.as_ref().map(L::record);
    let saved = save(db, am, existing.is_some()).await?;
    track::<L>(db, &saved, before).await
}
