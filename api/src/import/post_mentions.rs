//! A post's mentions: what it names, resolved to events, people, organizations and series,
//! with the events it discovers.

use std::collections::BTreeMap;

use entity::sea_orm_active_enums::{EntityType, EventKind, EventStatus};
use entity::{event, mention};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

use super::mentions::{DiscoveredKind, Target};
use super::named::{Named, named_in};
use super::post_rows::insert_all;
use super::prepare::*;
use super::sync::*;
use super::write::*;
use crate::services::text::{now, search_text, slug_from, sort_name};
use crate::services::writes::events::Events;

/// What the post names, one entry per target with the first text that named it, creating
/// `unverified` events for editions the catalog lacks. Returns (targets, events discovered).
pub(super) async fn resolve_mentions(
    db: &impl ConnectionTrait,
    index: &CatalogIndex,
    caches: &mut Caches,
    post_id: i64,
    p: &Prepared,
) -> Result<(BTreeMap<Target, String>, usize), DbErr> {
    let mut targets: BTreeMap<Target, String> = BTreeMap::new();
    let mut discovered = 0;
    for link in named_in(index, p) {
        let target = match link.named {
            Named::Known(target) => target,
            Named::Edition { series, year, kind } => {
                let key = (series.clone(), year);
                let id = match caches.events.get(&key) {
                    Some(id) => *id,
                    None => {
                        let (id, created) = find_or_discover_event(
                            db,
                            (&series, kind, year),
                            &link.matched,
                            (post_id, &p.slug),
                        )
                        .await?;
                        discovered += usize::from(created);
                        caches.events.insert(key, id);
                        id
                    }
                };
                Target::Event(id)
            }
            Named::Series { series, .. } => {
                let slug = slug_from(&series);
                Target::Series(
                    crate::services::series::ensure(db, &slug, &series)
                        .await?
                        .id,
                )
            }
        };
        targets.entry(target).or_insert(link.matched);
    }
    // People and organizations found are not counted among the events discovered.
    let (named, _found) = super::post_people::resolve_people_and_organizations(
        db,
        index,
        (post_id, &p.slug),
        &p.people_orgs,
    )
    .await?;
    for (target, matched) in named {
        targets.entry(target).or_insert(matched);
    }
    Ok((targets, discovered))
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
    index: &CatalogIndex,
    caches: &mut Caches,
    post_id: i64,
    p: &Prepared,
) -> Result<(usize, usize), DbErr> {
    let (targets, discovered) = resolve_mentions(db, index, caches, post_id, p).await?;
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
    (series, kind, year): (&str, DiscoveredKind, i32),
    matched: &str,
    (post_id, post_slug): (i64, &str),
) -> Result<(i64, bool), DbErr> {
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
    let slug = super::post_people::free_slug(db, &name, |slug| {
        event::Entity::find().filter(event::Column::Slug.eq(slug))
    })
    .await?;
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
    let named = super::post_people::named_by(post_slug, matched, &["name", "year"]);
    crate::services::sources::replace(db, EntityType::Event, model.id, vec![named]).await?;
    track::<Events>(db, &model, None).await?;
    Ok((model.id, true))
}
