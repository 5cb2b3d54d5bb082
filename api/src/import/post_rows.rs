//! The rows that hang off a post: authors, tags and categories, aliases, and mentions (with
//! the events a post discovers).

use std::collections::BTreeMap;

use entity::sea_orm_active_enums::{EntityType, EventKind, EventStatus, TermKind};
use entity::{event, mention, post_author, post_term, slug_alias, term};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

use super::mentions::{DiscoveredKind, Target};
use super::prepare::*;
use super::sync::*;
use super::write::*;
use crate::services::text::{normalize, now, search_text, sort_name};
use crate::services::writes::events::Events;

pub(super) async fn clear_children(db: &impl ConnectionTrait, post_id: i64) -> Result<(), DbErr> {
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
pub(super) fn post_slug(raw: &str) -> String {
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

pub(super) fn author_rows(
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

pub(super) async fn insert_authors(
    db: &impl ConnectionTrait,
    index: &CatalogIndex,
    post_id: i64,
    authors: &[String],
) -> Result<(), DbErr> {
    insert_all(db, author_rows(index, post_id, authors)).await
}

/// Inserts `rows` in one statement; none, when there are none.
async fn insert_all<A>(
    db: &impl ConnectionTrait,
    rows: impl IntoIterator<Item = A>,
) -> Result<(), DbErr>
where
    A: ActiveModelTrait,
{
    let mut rows = rows.into_iter().peekable();
    if rows.peek().is_some() {
        A::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// The ids of a post's tags and categories, creating the terms that do not exist yet.
pub(super) async fn term_ids(
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

pub(super) async fn insert_terms(
    db: &impl ConnectionTrait,
    caches: &mut Caches,
    post_id: i64,
    tags: &[String],
    categories: &[String],
) -> Result<(), DbErr> {
    let ids = term_ids(db, caches, tags, categories).await?;
    let rows = ids.into_iter().map(|term_id| post_term::ActiveModel {
        post_id: Set(post_id),
        term_id: Set(term_id),
    });
    insert_all(db, rows).await
}

/// Hugo `aliases` (old paths) and a lowercase form of a mixed-case slug redirect to the post.
pub(super) async fn replace_aliases(
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
pub(super) async fn resolve_mentions(
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
    // A series named without a year names the series, unless the post also names one of its
    // editions (the event it is about): then it is that edition, already linked.
    let mut yearless = Vec::new();
    for d in &p.discovered {
        let Some(year) = d.year else {
            yearless.push(d);
            continue;
        };
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
    let linked: Vec<i64> = targets
        .keys()
        .filter_map(|t| match t {
            Target::Event(id) => Some(*id),
            _ => None,
        })
        .collect();
    let linked_series: Vec<String> = event::Entity::find()
        .filter(event::Column::Id.is_in(linked))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|e| e.series)
        .collect();
    for d in yearless {
        let slug = slug::slugify(&d.series);
        if linked_series.contains(&slug) {
            continue;
        }
        // A post written while an edition ran, or in the weeks around it, is about that
        // edition ("KubeCon North America took place this November").
        if let Some(edition) = edition_around(db, &slug, p.post_day).await? {
            targets
                .entry(Target::Event(edition))
                .or_insert_with(|| d.matched.clone());
            continue;
        }
        let series = crate::services::series::ensure(db, &slug, &d.series).await?;
        targets
            .entry(Target::Series(series.id))
            .or_insert_with(|| d.matched.clone());
    }
    Ok((targets, discovered))
}

/// How far from an edition a post may be written and still be about it, in days.
const AROUND_DAYS: i64 = 45;

/// The one dated, verified edition of the series `slug` that `day` falls within
/// [`AROUND_DAYS`] of.
async fn edition_around(
    db: &impl ConnectionTrait,
    slug: &str,
    day: chrono::NaiveDate,
) -> Result<Option<i64>, DbErr> {
    let window = chrono::Duration::days(AROUND_DAYS);
    let near: Vec<event::Model> = event::Entity::find()
        .filter(event::Column::Series.eq(slug))
        .filter(event::Column::DeletedAt.is_null())
        .filter(event::Column::Status.ne(EventStatus::Unverified))
        .filter(event::Column::StartsOn.lte(day + window))
        .filter(event::Column::StartsOn.gte(day - window - chrono::Duration::days(31)))
        .all(db)
        .await?
        .into_iter()
        .filter(|e| {
            e.ends_on
                .or(e.starts_on)
                .is_some_and(|end| end + window >= day)
        })
        .collect();
    Ok(match near.as_slice() {
        [one] => Some(one.id),
        _ => None,
    })
}

pub(super) fn mention_row(post_id: i64, target: Target, matched: String) -> mention::ActiveModel {
    let mut row = mention::ActiveModel {
        post_id: Set(post_id),
        event_id: Set(None),
        person_id: Set(None),
        organization_id: Set(None),
        series_id: Set(None),
        matched_text: Set(matched.chars().take(255).collect()),
        ..Default::default()
    };
    match target {
        Target::Event(id) => row.event_id = Set(Some(id)),
        Target::Person(id) => row.person_id = Set(Some(id)),
        Target::Organization(id) => row.organization_id = Set(Some(id)),
        Target::Series(id) => row.series_id = Set(Some(id)),
    }
    row
}

/// Links the post to what it names. Returns (mentions, events discovered).
pub(super) async fn insert_mentions(
    db: &impl ConnectionTrait,
    caches: &mut Caches,
    post_id: i64,
    p: &Prepared,
) -> Result<(usize, usize), DbErr> {
    let (targets, discovered) = resolve_mentions(db, caches, post_id, p).await?;
    let count = targets.len();
    let rows = targets
        .into_iter()
        .map(|(target, matched)| mention_row(post_id, target, matched));
    insert_all(db, rows).await?;
    Ok((count, discovered))
}

/// The event of this series and year, or a new `unverified` one discovered in `post_id`.
pub(super) async fn find_or_discover_event(
    db: &impl ConnectionTrait,
    series: &str,
    kind: DiscoveredKind,
    year: i32,
    post_id: i64,
) -> Result<(i64, bool), DbErr> {
    let series_slug = slug::slugify(series);
    if let Some(e) = event::Entity::find()
        .filter(event::Column::Year.eq(year))
        .filter(event::Column::DeletedAt.is_null())
        .filter(event::Column::Series.eq(series_slug.as_str()))
        .one(db)
        .await?
    {
        return Ok((e.id, false));
    }
    crate::services::series::ensure(db, &series_slug, series).await?;
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
        series: Set(Some(series_slug)),
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
