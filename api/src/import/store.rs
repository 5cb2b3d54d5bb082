//! The database side of the importer.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{DateTime, Datelike, FixedOffset, Utc};
use entity::sea_orm_active_enums::{EntityType, EventKind, EventStatus, TermKind};
use entity::{
    event, mention, organization, organizer, person, post, post_author, post_term, slug_alias,
    sponsorship, talk, talk_speaker, term,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};

use super::catalog::{Catalog, EventEntry, OrganizationEntry, PersonEntry};
use super::mentions::{self, DiscoveredKind, Matcher, Target};
use super::{IMPORTER_VERSION, Report, frontmatter, markdown, mojibake};
use crate::services::text::{country_name, normalize, now, search_text, sort_name};
use crate::services::writes::events::{EventRecord, Events};
use crate::services::writes::links::{Organizers, Sponsorships};
use crate::services::writes::organizations::{OrganizationRecord, Organizations};
use crate::services::writes::people::{People, PersonRecord};
use crate::services::writes::talks::Talks;
use crate::services::writes::{self, Actor, Resource};

/// What the catalog contributes to reading posts: names to find and who the authors are.
#[derive(Debug, Default)]
pub struct CatalogIndex {
    matcher: Matcher,
    /// Names that count only in a given post (by post slug).
    source_aliases: HashMap<String, Vec<(String, Target)>>,
    /// Normalized person name or alias → person id.
    people_by_name: HashMap<String, i64>,
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
        org_ids.insert(entry.slug.clone(), id);
        index.add_names(
            &entry.name,
            &entry.aliases,
            &[],
            &entry.sources,
            Target::Organization(id),
        );
    }
    let mut person_ids = HashMap::new();
    for entry in &catalog.people {
        let id = upsert_person(&txn, entry).await?;
        person_ids.insert(entry.slug.clone(), id);
        index.add_names(
            &entry.name,
            &entry.aliases,
            &[],
            &entry.sources,
            Target::Person(id),
        );
        for name in std::iter::once(&entry.name).chain(&entry.aliases) {
            index.people_by_name.insert(normalize(name), id);
        }
    }
    let mut event_ids = HashMap::new();
    for entry in &catalog.events {
        let id = upsert_event(&txn, entry).await?;
        event_ids.insert(entry.slug.clone(), id);
        index.add_names(
            &entry.name,
            &entry.aliases,
            &entry.source_aliases,
            &entry.sources,
            Target::Event(id),
        );
    }
    for entry in &catalog.events {
        let event_id = event_ids[&entry.slug];
        let co_located = entry.co_located_with.as_ref().map(|slug| event_ids[slug]);
        if let Some(existing) = event::Entity::find_by_id(event_id).one(&txn).await?
            && existing.version == 1
            && existing.co_located_with_id != co_located
        {
            let before = EventRecord::from(&existing);
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
    fn add_names(
        &mut self,
        name: &str,
        aliases: &[String],
        source_aliases: &[String],
        sources: &[String],
        target: Target,
    ) {
        self.matcher.add(name, target);
        for alias in aliases {
            self.matcher.add(alias, target);
        }
        for source in sources {
            let names = self.source_aliases.entry(source.clone()).or_default();
            names.extend(source_aliases.iter().map(|a| (a.clone(), target)));
        }
    }
}

async fn upsert_organization(
    db: &impl ConnectionTrait,
    e: &OrganizationEntry,
) -> Result<i64, DbErr> {
    let existing = organization::Entity::find()
        .filter(organization::Column::Slug.eq(&e.slug))
        .one(db)
        .await?;
    let search = search_text(&[
        Some(&e.name),
        Some(&e.aliases.join(" ")),
        e.description.as_deref(),
    ]);
    let mut am = match &existing {
        Some(m) if m.version != 1 => return Ok(m.id),
        Some(m) => m.clone().into_active_model(),
        None => organization::ActiveModel {
            slug: Set(e.slug.clone()),
            created_at: Set(now()),
            version: Set(1),
            deleted_at: Set(None),
            ..Default::default()
        },
    };
    am.name.set_if_not_equals(e.name.clone());
    am.sort_name.set_if_not_equals(sort_name(&e.name));
    am.website.set_if_not_equals(e.website.clone());
    am.logo_url.set_if_not_equals(e.logo_url.clone());
    am.description.set_if_not_equals(e.description.clone());
    am.search_text.set_if_not_equals(search);
    let before = existing.as_ref().map(OrganizationRecord::from);
    let model = save(db, am, existing.is_some(), |am| &mut am.updated_at).await?;
    track::<Organizations>(db, &model, before).await?;
    Ok(model.id)
}

async fn upsert_person(db: &impl ConnectionTrait, e: &PersonEntry) -> Result<i64, DbErr> {
    let existing = person::Entity::find()
        .filter(person::Column::Slug.eq(&e.slug))
        .one(db)
        .await?;
    let search = search_text(&[
        Some(&e.name),
        Some(&e.aliases.join(" ")),
        e.company.as_deref(),
        e.bio.as_deref(),
    ]);
    let mut am = match &existing {
        Some(m) if m.version != 1 => return Ok(m.id),
        Some(m) => m.clone().into_active_model(),
        None => person::ActiveModel {
            slug: Set(e.slug.clone()),
            created_at: Set(now()),
            version: Set(1),
            deleted_at: Set(None),
            ..Default::default()
        },
    };
    am.name.set_if_not_equals(e.name.clone());
    am.sort_name.set_if_not_equals(sort_name(&e.name));
    am.bio.set_if_not_equals(e.bio.clone());
    am.company.set_if_not_equals(e.company.clone());
    am.country.set_if_not_equals(e.country.clone());
    am.website.set_if_not_equals(e.website.clone());
    am.github.set_if_not_equals(e.github.clone());
    am.linkedin.set_if_not_equals(e.linkedin.clone());
    am.x.set_if_not_equals(e.x.clone());
    am.bluesky.set_if_not_equals(e.bluesky.clone());
    am.mastodon.set_if_not_equals(e.mastodon.clone());
    am.badges.set_if_not_equals(json!(e.badges));
    am.search_text.set_if_not_equals(search);
    let before = existing.as_ref().map(PersonRecord::from);
    let model = save(db, am, existing.is_some(), |am| &mut am.updated_at).await?;
    track::<People>(db, &model, before).await?;
    Ok(model.id)
}

async fn upsert_event(db: &impl ConnectionTrait, e: &EventEntry) -> Result<i64, DbErr> {
    let existing = event::Entity::find()
        .filter(event::Column::Slug.eq(&e.slug))
        .one(db)
        .await?;
    let search = search_text(&[
        Some(&e.name),
        e.series.as_deref(),
        e.venue.as_deref(),
        e.city.as_deref(),
        e.country.as_deref().and_then(country_name),
        e.description.as_deref(),
    ]);
    let mut am = match &existing {
        Some(m) if m.version != 1 => return Ok(m.id),
        Some(m) => m.clone().into_active_model(),
        None => event::ActiveModel {
            slug: Set(e.slug.clone()),
            co_located_with_id: Set(None),
            discovered_in_post_id: Set(None),
            created_at: Set(now()),
            version: Set(1),
            deleted_at: Set(None),
            ..Default::default()
        },
    };
    am.name.set_if_not_equals(e.name.clone());
    am.sort_name.set_if_not_equals(sort_name(&e.name));
    am.kind.set_if_not_equals(e.kind);
    am.series.set_if_not_equals(e.series.clone());
    am.year
        .set_if_not_equals(e.year.or(e.starts_on.map(|d| d.year())));
    am.starts_on.set_if_not_equals(e.starts_on);
    am.ends_on.set_if_not_equals(e.ends_on);
    am.timezone.set_if_not_equals(e.timezone.clone());
    am.venue.set_if_not_equals(e.venue.clone());
    am.city.set_if_not_equals(e.city.clone());
    am.country.set_if_not_equals(e.country.clone());
    am.region.set_if_not_equals(e.region);
    am.format.set_if_not_equals(e.format);
    am.status.set_if_not_equals(e.status);
    am.website.set_if_not_equals(e.website.clone());
    am.registration_url
        .set_if_not_equals(e.registration_url.clone());
    am.cfp_opens_on.set_if_not_equals(e.cfp_opens_on);
    am.cfp_closes_on.set_if_not_equals(e.cfp_closes_on);
    am.attendees.set_if_not_equals(e.attendees);
    am.description.set_if_not_equals(e.description.clone());
    am.search_text.set_if_not_equals(search);
    // A catalog entry wins over an event discovered in a post.
    if existing
        .as_ref()
        .is_some_and(|m| m.discovered_in_post_id.is_some())
    {
        am.discovered_in_post_id = Set(None);
    }
    let before = existing.as_ref().map(EventRecord::from);
    let model = save(db, am, existing.is_some(), |am| &mut am.updated_at).await?;
    track::<Events>(db, &model, before).await?;
    Ok(model.id)
}

/// Puts a record the import created or changed into the audit log, and so the change feed.
async fn track<R: Resource>(
    db: &impl ConnectionTrait,
    model: &R::Model,
    before: Option<R::Record>,
) -> Result<(), DbErr> {
    writes::record_change::<R>(db, &Actor::import(), model, before)
        .await
        .map_err(|e| DbErr::Custom(format!("recording an import change: {e}")))
}

/// A record's writable state, as the audit log keeps it.
async fn record_of<R: Resource>(
    db: &impl ConnectionTrait,
    model: &R::Model,
) -> Result<R::Record, DbErr> {
    R::record(db, model)
        .await
        .map_err(|e| DbErr::Custom(format!("reading a record: {e}")))
}

/// Inserts a new record, or updates an existing one when a field changed.
async fn save<A>(
    db: &impl ConnectionTrait,
    mut am: A,
    exists: bool,
    updated_at: impl Fn(&mut A) -> &mut ActiveValue<DateTime<Utc>>,
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
    *updated_at(&mut am) = Set(now());
    if exists {
        am.update(db).await
    } else {
        am.insert(db).await
    }
}

async fn sync_event_children(
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
        am.title.set_if_not_equals(t.title.clone());
        am.kind.set_if_not_equals(t.kind);
        am.r#abstract.set_if_not_equals(t.r#abstract.clone());
        am.recording_url.set_if_not_equals(t.recording_url.clone());
        am.slides_url.set_if_not_equals(t.slides_url.clone());
        let saved = save(db, am, existing.is_some(), |am| &mut am.updated_at).await?;
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
        let organization_id = org_ids[&s.organization];
        let existing = sponsorship::Entity::find()
            .filter(sponsorship::Column::EventId.eq(event_id))
            .filter(sponsorship::Column::OrganizationId.eq(organization_id))
            .one(db)
            .await?;
        let mut am = match &existing {
            Some(m) if m.version != 1 => continue,
            Some(m) => m.clone().into_active_model(),
            None => sponsorship::ActiveModel {
                event_id: Set(event_id),
                organization_id: Set(organization_id),
                created_at: Set(now()),
                version: Set(1),
                deleted_at: Set(None),
                ..Default::default()
            },
        };
        am.tier.set_if_not_equals(s.tier);
        let before = match &existing {
            Some(m) => Some(record_of::<Sponsorships>(db, m).await?),
            None => None,
        };
        let saved = save(db, am, existing.is_some(), |am| &mut am.updated_at).await?;
        track::<Sponsorships>(db, &saved, before).await?;
    }
    for o in &entry.organizers {
        let person_id = person_ids[&o.person];
        let existing = organizer::Entity::find()
            .filter(organizer::Column::EventId.eq(event_id))
            .filter(organizer::Column::PersonId.eq(person_id))
            .one(db)
            .await?;
        let mut am = match &existing {
            Some(m) if m.version != 1 => continue,
            Some(m) => m.clone().into_active_model(),
            None => organizer::ActiveModel {
                event_id: Set(event_id),
                person_id: Set(person_id),
                created_at: Set(now()),
                version: Set(1),
                deleted_at: Set(None),
                ..Default::default()
            },
        };
        am.role.set_if_not_equals(o.role);
        let before = match &existing {
            Some(m) => Some(record_of::<Organizers>(db, m).await?),
            None => None,
        };
        let saved = save(db, am, existing.is_some(), |am| &mut am.updated_at).await?;
        track::<Organizers>(db, &saved, before).await?;
    }
    Ok(())
}

/// How one file went.
pub enum Outcome {
    Created {
        mentions: usize,
        discovered: usize,
        repairs: usize,
    },
    Updated {
        mentions: usize,
        discovered: usize,
        repairs: usize,
    },
    Unchanged,
}

impl Outcome {
    pub fn add_to(self, report: &mut Report, path: &Path) {
        let (mentions, discovered, repairs) = match self {
            Outcome::Created {
                mentions,
                discovered,
                repairs,
            } => {
                report.created += 1;
                (mentions, discovered, repairs)
            }
            Outcome::Updated {
                mentions,
                discovered,
                repairs,
            } => {
                report.updated += 1;
                (mentions, discovered, repairs)
            }
            Outcome::Unchanged => {
                report.unchanged += 1;
                return;
            }
        };
        report.mentions += mentions;
        report.events_discovered += discovered;
        if repairs > 0 {
            report.repairs.push((path.to_path_buf(), repairs));
        }
    }
}

/// Repairs every string in a JSON value, counting repairs.
fn repair_value(value: &mut Value) -> usize {
    match value {
        Value::String(s) => {
            let (fixed, n) = mojibake::repair(s);
            *s = fixed;
            n
        }
        Value::Array(items) => items.iter_mut().map(repair_value).sum(),
        Value::Object(map) => map.values_mut().map(repair_value).sum(),
        _ => 0,
    }
}

/// A post already in the database, as the importer needs to know it.
#[derive(Debug, Clone)]
pub struct KnownPost {
    pub id: i64,
    pub slug: String,
    pub source_path: String,
    pub content_hash: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

/// The posts already in the database, by slug and by source path.
#[derive(Debug, Default)]
pub struct Known {
    by_slug: HashMap<String, KnownPost>,
    hash_by_path: HashMap<String, String>,
}

impl Known {
    pub async fn load(db: &impl ConnectionTrait) -> Result<Self, DbErr> {
        use sea_orm::QuerySelect as _;
        let rows: Vec<(i64, String, String, String, i32, DateTime<Utc>)> = post::Entity::find()
            .select_only()
            .columns([
                post::Column::Id,
                post::Column::Slug,
                post::Column::SourcePath,
                post::Column::ContentHash,
                post::Column::Version,
                post::Column::CreatedAt,
            ])
            .into_tuple()
            .all(db)
            .await?;
        let mut known = Known::default();
        for (id, slug, source_path, content_hash, version, created_at) in rows {
            known
                .hash_by_path
                .insert(source_path.clone(), content_hash.clone());
            known.by_slug.insert(
                slug.clone(),
                KnownPost {
                    id,
                    slug,
                    source_path,
                    content_hash,
                    version,
                    created_at,
                },
            );
        }
        Ok(known)
    }

    /// Records a post just written, so later files of the import see it.
    pub fn add(&mut self, post: KnownPost) {
        self.hash_by_path
            .insert(post.source_path.clone(), post.content_hash.clone());
        self.by_slug.insert(post.slug.clone(), post);
    }
}

/// A file read, parsed and rendered, ready to be written.
pub struct Prepared {
    slug: String,
    source_path: String,
    hash: String,
    meta: frontmatter::PostMeta,
    format: entity::sea_orm_active_enums::FrontMatterFormat,
    body: String,
    html: String,
    summary: Option<String>,
    reading_minutes: i32,
    search_text: String,
    post_year: i32,
    found: Vec<mentions::Found>,
    discovered: Vec<mentions::Discovered>,
    repairs: usize,
}

/// The file's content hash (which changes with the importer's version).
pub fn content_hash(bytes: &[u8]) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(IMPORTER_VERSION.as_bytes());
    hasher.update(bytes);
    hasher.finalize().to_hex().to_string()
}

/// Reads, parses, repairs and renders one file: everything but the database. `Ok(None)` when
/// the file is unchanged since the last import.
pub fn prepare(
    index: &CatalogIndex,
    path: &Path,
    relative: &Path,
    known_hash: Option<&str>,
) -> Result<Option<Prepared>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the file: {e}"))?;
    let hash = content_hash(&bytes);
    if known_hash == Some(hash.as_str()) {
        return Ok(None);
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
        format!("line {line}: not UTF-8 (invalid byte at offset {at})")
    })?;
    let source_path = relative.to_string_lossy().replace('\\', "/");
    let text = frontmatter::normalize(&text);
    let mut doc = frontmatter::parse(&text).map_err(|e| e.to_string())?;
    let mut repairs = repair_value(&mut doc.front_matter);
    let (body, body_repairs) = mojibake::repair(&doc.body);
    repairs += body_repairs;
    let meta = frontmatter::post_meta(&doc.front_matter).map_err(|e| e.to_string())?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = post_slug(meta.slug.as_deref().unwrap_or(&stem));
    if slug.is_empty() {
        return Err("no usable slug: set `slug` in the front matter".to_owned());
    }
    let rendered = markdown::render(&body);
    let summary = meta.summary.clone().or_else(|| {
        rendered
            .first_paragraph
            .as_deref()
            .map(|p| markdown::truncate_words(p, 300))
    });
    let plain = format!("{}\n\n{}", meta.title, rendered.text);
    let post_year = meta
        .offset_minutes
        .and_then(|m| FixedOffset::east_opt(m * 60))
        .map_or(meta.published_at.year(), |o| {
            meta.published_at.with_timezone(&o).year()
        });

    let tokens = mentions::tokenize(&plain);
    let mut used = vec![false; tokens.len()];
    let mut found = index.matcher.find(&plain, &tokens, &mut used);
    if let Some(local) = index.source_aliases.get(&slug) {
        let mut matcher = Matcher::default();
        for (name, target) in local {
            matcher.add(name, *target);
        }
        found.extend(matcher.find(&plain, &tokens, &mut used));
    }
    let discovered = mentions::discover(&plain, &tokens, &used);

    Ok(Some(Prepared {
        search_text: search_text(&[Some(&meta.title), summary.as_deref(), Some(&rendered.text)]),
        reading_minutes: markdown::reading_minutes(&rendered.text),
        html: rendered.html,
        slug,
        source_path,
        hash,
        format: doc.format,
        body,
        summary,
        post_year,
        found,
        discovered,
        repairs,
        meta,
    }))
}

/// Ids looked up or created during one import, so each is looked up once. Cleared whenever
/// a savepoint rolls back, since what it created is gone.
#[derive(Debug, Default)]
pub struct Caches {
    /// Term ids by (kind, slug).
    terms: HashMap<(TermKind, String), i64>,
    /// Event ids by (series, year), for discovered event names.
    events: HashMap<(String, i32), i64>,
}

impl Caches {
    pub fn clear(&mut self) {
        self.terms.clear();
        self.events.clear();
    }
}

/// Writes one prepared file inside `db` (a savepoint of the batch's transaction).
pub async fn write(
    db: &impl ConnectionTrait,
    index: &CatalogIndex,
    known: &Known,
    caches: &mut Caches,
    p: &Prepared,
) -> Result<(Outcome, KnownPost), WriteError> {
    let existing = known.by_slug.get(&p.slug);
    if let Some(existing) = existing
        && existing.source_path != p.source_path
    {
        return Err(WriteError::Invalid(format!(
            "the slug {:?} is already used by {}",
            p.slug, existing.source_path
        )));
    }
    let now = now();
    let am = post::ActiveModel {
        id: existing.map_or(ActiveValue::NotSet, |m| ActiveValue::Unchanged(m.id)),
        slug: Set(p.slug.clone()),
        title: Set(p.meta.title.clone()),
        published_at: Set(p.meta.published_at),
        published_offset_minutes: Set(p.meta.offset_minutes),
        summary: Set(p.summary.clone()),
        body_markdown: Set(p.body.clone()),
        body_html: Set(p.html.clone()),
        images: Set(json!(p.meta.images)),
        draft: Set(p.meta.draft),
        source_path: Set(p.source_path.clone()),
        front_matter_format: Set(p.format),
        content_hash: Set(p.hash.clone()),
        reading_minutes: Set(p.reading_minutes),
        search_text: Set(p.search_text.clone()),
        created_at: Set(existing.map_or(now, |m| m.created_at)),
        updated_at: Set(now),
        version: Set(existing.map_or(1, |m| m.version + 1)),
        deleted_at: Set(None),
    };
    let post_id = match existing {
        Some(m) => {
            post::Entity::update(am).exec(db).await?;
            clear_children(db, m.id).await?;
            m.id
        }
        None => post::Entity::insert(am).exec(db).await?.last_insert_id,
    };
    insert_authors(db, index, post_id, &p.meta.authors).await?;
    insert_terms(db, caches, post_id, &p.meta.tags, &p.meta.categories).await?;
    replace_aliases(db, post_id, &p.slug, &p.meta.aliases, existing.is_some()).await?;
    let (mentions, discovered) = insert_mentions(db, caches, post_id, p).await?;
    let outcome = if existing.is_some() {
        Outcome::Updated {
            mentions,
            discovered,
            repairs: p.repairs,
        }
    } else {
        Outcome::Created {
            mentions,
            discovered,
            repairs: p.repairs,
        }
    };
    let known_post = KnownPost {
        id: post_id,
        slug: p.slug.clone(),
        source_path: p.source_path.clone(),
        content_hash: p.hash.clone(),
        version: existing.map_or(1, |m| m.version + 1),
        created_at: existing.map_or(now, |m| m.created_at),
    };
    Ok((outcome, known_post))
}

/// Whether `p` is a post the database does not have yet (the batch path's only case).
pub fn is_new(known: &Known, p: &Prepared) -> bool {
    !known.by_slug.contains_key(&p.slug)
}

/// Writes new posts with a few multi-row statements for the whole batch. All or nothing: the
/// caller runs it in a savepoint and, on error, writes the files one by one instead.
pub async fn write_new_batch(
    db: &impl ConnectionTrait,
    index: &CatalogIndex,
    caches: &mut Caches,
    batch: &[&Prepared],
) -> Result<Vec<(Outcome, KnownPost)>, DbErr> {
    use sea_orm::QuerySelect as _;
    if batch.is_empty() {
        return Ok(Vec::new());
    }
    let now = now();
    // Keep each statement well within every backend's limit on bound parameters.
    for chunk in batch.chunks(64) {
        let rows = chunk.iter().map(|p| post::ActiveModel {
            slug: Set(p.slug.clone()),
            title: Set(p.meta.title.clone()),
            published_at: Set(p.meta.published_at),
            published_offset_minutes: Set(p.meta.offset_minutes),
            summary: Set(p.summary.clone()),
            body_markdown: Set(p.body.clone()),
            body_html: Set(p.html.clone()),
            images: Set(json!(p.meta.images)),
            draft: Set(p.meta.draft),
            source_path: Set(p.source_path.clone()),
            front_matter_format: Set(p.format),
            content_hash: Set(p.hash.clone()),
            reading_minutes: Set(p.reading_minutes),
            search_text: Set(p.search_text.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            deleted_at: Set(None),
            ..Default::default()
        });
        post::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    let mut ids: HashMap<String, i64> = HashMap::new();
    for chunk in batch.chunks(500) {
        let rows: Vec<(i64, String)> = post::Entity::find()
            .select_only()
            .columns([post::Column::Id, post::Column::Slug])
            .filter(post::Column::Slug.is_in(chunk.iter().map(|p| p.slug.clone())))
            .into_tuple()
            .all(db)
            .await?;
        ids.extend(rows.into_iter().map(|(id, slug)| (slug, id)));
    }

    let mut authors = Vec::new();
    let mut post_terms = Vec::new();
    let mut mention_rows = Vec::new();
    let mut results = Vec::with_capacity(batch.len());
    for p in batch {
        let post_id = *ids
            .get(&p.slug)
            .ok_or_else(|| DbErr::RecordNotFound(format!("post {} after insert", p.slug)))?;
        authors.extend(author_rows(index, post_id, &p.meta.authors));
        for term_id in term_ids(db, caches, &p.meta.tags, &p.meta.categories).await? {
            post_terms.push(post_term::ActiveModel {
                post_id: Set(post_id),
                term_id: Set(term_id),
            });
        }
        replace_aliases(db, post_id, &p.slug, &p.meta.aliases, false).await?;
        let (targets, discovered) = resolve_mentions(db, caches, post_id, p).await?;
        let mentions = targets.len();
        mention_rows.extend(
            targets
                .into_iter()
                .map(|(target, matched)| mention_row(post_id, target, matched)),
        );
        results.push((
            Outcome::Created {
                mentions,
                discovered,
                repairs: p.repairs,
            },
            KnownPost {
                id: post_id,
                slug: p.slug.clone(),
                source_path: p.source_path.clone(),
                content_hash: p.hash.clone(),
                version: 1,
                created_at: now,
            },
        ));
    }
    for chunk in authors.chunks(1000) {
        post_author::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    for chunk in post_terms.chunks(1000) {
        post_term::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    for chunk in mention_rows.chunks(1000) {
        mention::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(results)
}

/// Why a prepared file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{0}")]
    Invalid(String),
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

impl Known {
    /// Content hash by source path, for the parsers to skip unchanged files.
    pub fn hashes(&self) -> HashMap<String, String> {
        self.hash_by_path.clone()
    }
}

async fn clear_children(db: &impl ConnectionTrait, post_id: i64) -> Result<(), DbErr> {
    post_author::Entity::delete_many()
        .filter(post_author::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    post_term::Entity::delete_many()
        .filter(post_term::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    mention::Entity::delete_many()
        .filter(mention::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A post slug as written (Hugo keeps case), trailing slashes gone; anything not URL-safe
/// is slugified.
fn post_slug(raw: &str) -> String {
    let trimmed = raw.trim().trim_matches('/');
    let safe = !trimmed.is_empty()
        && trimmed
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if safe {
        trimmed.to_owned()
    } else {
        slug::slugify(trimmed)
    }
}

fn author_rows(
    index: &CatalogIndex,
    post_id: i64,
    authors: &[String],
) -> Vec<post_author::ActiveModel> {
    authors
        .iter()
        .enumerate()
        .map(|(position, name)| post_author::ActiveModel {
            post_id: Set(post_id),
            position: Set(position as i32),
            name: Set(name.clone()),
            person_id: Set(index.people_by_name.get(&normalize(name)).copied()),
        })
        .collect()
}

async fn insert_authors(
    db: &impl ConnectionTrait,
    index: &CatalogIndex,
    post_id: i64,
    authors: &[String],
) -> Result<(), DbErr> {
    let rows = author_rows(index, post_id, authors);
    if !rows.is_empty() {
        post_author::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// The ids of a post's tags and categories, creating the terms that do not exist yet.
async fn term_ids(
    db: &impl ConnectionTrait,
    caches: &mut Caches,
    tags: &[String],
    categories: &[String],
) -> Result<Vec<i64>, DbErr> {
    let mut ids = Vec::new();
    for (kind, names) in [(TermKind::Tag, tags), (TermKind::Category, categories)] {
        for name in names {
            let slug = slug::slugify(name);
            if slug.is_empty() {
                continue;
            }
            let id = match caches.terms.get(&(kind, slug.clone())) {
                Some(id) => *id,
                None => {
                    let existing = term::Entity::find()
                        .filter(term::Column::Kind.eq(kind))
                        .filter(term::Column::Slug.eq(&slug))
                        .one(db)
                        .await?;
                    let id = match existing {
                        Some(t) => t.id,
                        None => {
                            let am = term::ActiveModel {
                                kind: Set(kind),
                                slug: Set(slug.clone()),
                                name: Set(name.clone()),
                                ..Default::default()
                            };
                            term::Entity::insert(am).exec(db).await?.last_insert_id
                        }
                    };
                    caches.terms.insert((kind, slug), id);
                    id
                }
            };
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    Ok(ids)
}

async fn insert_terms(
    db: &impl ConnectionTrait,
    caches: &mut Caches,
    post_id: i64,
    tags: &[String],
    categories: &[String],
) -> Result<(), DbErr> {
    let ids = term_ids(db, caches, tags, categories).await?;
    if !ids.is_empty() {
        let rows = ids.into_iter().map(|term_id| post_term::ActiveModel {
            post_id: Set(post_id),
            term_id: Set(term_id),
        });
        post_term::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Hugo `aliases` (old paths) and a lowercase form of a mixed-case slug redirect to the post.
async fn replace_aliases(
    db: &impl ConnectionTrait,
    post_id: i64,
    slug: &str,
    aliases: &[String],
    existed: bool,
) -> Result<(), DbErr> {
    let mut wanted: Vec<String> = aliases
        .iter()
        .filter_map(|a| a.trim().trim_matches('/').rsplit('/').next().map(post_slug))
        .filter(|a| !a.is_empty() && a != slug)
        .collect();
    if slug.to_lowercase() != slug {
        wanted.push(slug.to_lowercase());
    }
    wanted.sort();
    wanted.dedup();
    if wanted.is_empty() && !existed {
        return Ok(());
    }
    let current: Vec<slug_alias::Model> = slug_alias::Entity::find()
        .filter(slug_alias::Column::EntityType.eq(EntityType::Post))
        .filter(slug_alias::Column::TargetId.eq(post_id))
        .all(db)
        .await?;
    for alias in &current {
        if !wanted.contains(&alias.slug) {
            slug_alias::Entity::delete_by_id(alias.id).exec(db).await?;
        }
    }
    for alias in wanted {
        if current.iter().any(|c| c.slug == alias) {
            continue;
        }
        let taken = slug_alias::Entity::find()
            .filter(slug_alias::Column::EntityType.eq(EntityType::Post))
            .filter(slug_alias::Column::Slug.eq(&alias))
            .one(db)
            .await?;
        if taken.is_none() {
            slug_alias::ActiveModel {
                entity_type: Set(EntityType::Post),
                slug: Set(alias),
                target_id: Set(post_id),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// What the post names, one entry per target with the first text that named it, creating
/// `unverified` events for event names the catalog lacks. Returns (targets, events discovered).
async fn resolve_mentions(
    db: &impl ConnectionTrait,
    caches: &mut Caches,
    post_id: i64,
    p: &Prepared,
) -> Result<(BTreeMap<Target, String>, usize), DbErr> {
    let mut targets: BTreeMap<Target, String> = BTreeMap::new();
    for f in &p.found {
        targets.entry(f.target).or_insert_with(|| f.matched.clone());
    }
    let mut discovered = 0;
    for d in &p.discovered {
        let year = d.year.unwrap_or(p.post_year);
        let key = (d.series.clone(), year);
        let id = match caches.events.get(&key) {
            Some(id) => *id,
            None => {
                let (id, created) =
                    find_or_discover_event(db, &d.series, d.kind, year, post_id).await?;
                discovered += usize::from(created);
                caches.events.insert(key, id);
                id
            }
        };
        targets
            .entry(Target::Event(id))
            .or_insert_with(|| d.matched.clone());
    }
    Ok((targets, discovered))
}

fn mention_row(post_id: i64, target: Target, matched: String) -> mention::ActiveModel {
    let (event_id, person_id, organization_id) = match target {
        Target::Event(id) => (Some(id), None, None),
        Target::Person(id) => (None, Some(id), None),
        Target::Organization(id) => (None, None, Some(id)),
    };
    mention::ActiveModel {
        post_id: Set(post_id),
        event_id: Set(event_id),
        person_id: Set(person_id),
        organization_id: Set(organization_id),
        matched_text: Set(matched.chars().take(255).collect()),
        ..Default::default()
    }
}

/// Links the post to what it names. Returns (mentions, events discovered).
async fn insert_mentions(
    db: &impl ConnectionTrait,
    caches: &mut Caches,
    post_id: i64,
    p: &Prepared,
) -> Result<(usize, usize), DbErr> {
    let (targets, discovered) = resolve_mentions(db, caches, post_id, p).await?;
    let count = targets.len();
    if count > 0 {
        let rows = targets
            .into_iter()
            .map(|(target, matched)| mention_row(post_id, target, matched));
        mention::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok((count, discovered))
}

/// The event of this series and year, or a new `unverified` one discovered in `post_id`.
async fn find_or_discover_event(
    db: &impl ConnectionTrait,
    series: &str,
    kind: DiscoveredKind,
    year: i32,
    post_id: i64,
) -> Result<(i64, bool), DbErr> {
    let candidates = event::Entity::find()
        .filter(event::Column::Year.eq(year))
        .filter(event::Column::DeletedAt.is_null())
        .filter(event::Column::Series.is_not_null())
        .all(db)
        .await?;
    let wanted = normalize(series);
    if let Some(e) = candidates
        .iter()
        .find(|e| e.series.as_deref().is_some_and(|s| normalize(s) == wanted))
    {
        return Ok((e.id, false));
    }
    let name = format!("{series} {year}");
    let base = slug::slugify(&name);
    let mut slug = base.clone();
    let mut n = 2;
    while event::Entity::find()
        .filter(event::Column::Slug.eq(&slug))
        .one(db)
        .await?
        .is_some()
    {
        slug = format!("{base}-{n}");
        n += 1;
    }
    let model = event::ActiveModel {
        slug: Set(slug),
        name: Set(name.clone()),
        sort_name: Set(sort_name(&name)),
        kind: Set(match kind {
            DiscoveredKind::Kcd => EventKind::Kcd,
            DiscoveredKind::Kubecon => EventKind::Kubecon,
        }),
        series: Set(Some(series.to_owned())),
        year: Set(Some(year)),
        starts_on: Set(None),
        ends_on: Set(None),
        timezone: Set(None),
        venue: Set(None),
        city: Set(None),
        country: Set(None),
        region: Set(None),
        format: Set(None),
        status: Set(EventStatus::Unverified),
        website: Set(None),
        registration_url: Set(None),
        cfp_opens_on: Set(None),
        cfp_closes_on: Set(None),
        attendees: Set(None),
        description: Set(None),
        co_located_with_id: Set(None),
        discovered_in_post_id: Set(Some(post_id)),
        search_text: Set(search_text(&[Some(&name), Some(series)])),
        created_at: Set(now()),
        updated_at: Set(now()),
        version: Set(1),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    track::<Events>(db, &model, None).await?;
    Ok((model.id, true))
}

impl Prepared {
    pub fn slug(&self) -> &str {
        &self.slug
    }
}
