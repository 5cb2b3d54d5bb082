//! A post's mentions: what it names, resolved to events, people, organizations and series,
//! with the events it discovers.

use std::collections::BTreeMap;

use entity::sea_orm_active_enums::{EntityType, EventKind, EventStatus};
use entity::{event, mention};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

use super::mentions::{Discovered, DiscoveredKind, Target};
use super::post_rows::insert_all;
use super::prepare::*;
use super::sync::*;
use super::write::*;
use crate::services::text::{now, search_text, slug_from, sort_name};
use crate::services::writes::events::Events;
use crate::views::sources::{PostSource, SourceView};

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
                let (id, created) = find_or_discover_event(db, d, year, (post_id, &p.slug)).await?;
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
        let slug = slug_from(&d.series);
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

/// The event of this series and year, or a new `unverified` one discovered in the post (its
/// id and slug), which the words that named it back.
pub(super) async fn find_or_discover_event(
    db: &impl ConnectionTrait,
    d: &Discovered,
    year: i32,
    (post_id, post_slug): (i64, &str),
) -> Result<(i64, bool), DbErr> {
    let (series, kind) = (d.series.as_str(), d.kind);
    let series_slug = slug_from(series);
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
        status_stated: Set(true),
        date_precision: Set(entity::sea_orm_active_enums::DatePrecision::Day),
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
    let named = SourceView {
        fields: vec!["name".to_owned(), "year".to_owned()],
        post: Some(PostSource {
            slug: post_slug.to_owned(),
            quote: Some(d.matched.clone()),
        }),
        record: None,
    };
    crate::services::sources::replace(db, EntityType::Event, model.id, vec![named]).await?;
    track::<Events>(db, &model, None).await?;
    Ok((model.id, true))
}
