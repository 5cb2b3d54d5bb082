//! Rows inserted straight through the entities, for tests that need data.

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use entity::sea_orm_active_enums::{EventKind, EventStatus};
use entity::{event, organization, person};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

/// Now, to the microsecond (what every backend keeps).
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

pub fn date(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

/// An event with the given slug and start date, other fields plain.
pub fn event(slug: &str, starts_on: Option<&str>) -> event::ActiveModel {
    let starts = starts_on.map(date);
    event::ActiveModel {
        slug: Set(slug.to_owned()),
        name: Set(slug.replace('-', " ")),
        sort_name: Set(slug.replace('-', " ").to_lowercase()),
        kind: Set(EventKind::Kcd),
        series: Set(None),
        year: Set(None),
        starts_on: Set(starts),
        ends_on: Set(starts),
        timezone: Set(None),
        venue: Set(None),
        city: Set(None),
        country: Set(None),
        region: Set(None),
        format: Set(None),
        status: Set(EventStatus::Scheduled),
        status_stated: Set(true),
        date_precision: Set(entity::sea_orm_active_enums::DatePrecision::Day),
        website: Set(None),
        registration_url: Set(None),
        cfp_opens_on: Set(None),
        cfp_closes_on: Set(None),
        attendees: Set(None),
        description: Set(None),
        co_located_with_id: Set(None),
        discovered_in_post_id: Set(None),
        search_text: Set(slug.to_owned()),
        created_at: Set(now()),
        updated_at: Set(now()),
        version: Set(1),
        deleted_at: Set(None),
        ..Default::default()
    }
}

pub async fn insert_event(
    db: &impl ConnectionTrait,
    slug: &str,
    starts_on: Option<&str>,
) -> event::Model {
    event(slug, starts_on)
        .insert(db)
        .await
        .expect("insert event")
}

pub fn person(slug: &str, name: &str) -> person::ActiveModel {
    person::ActiveModel {
        slug: Set(slug.to_owned()),
        name: Set(name.to_owned()),
        sort_name: Set(name.to_lowercase()),
        bio: Set(None),
        company: Set(None),
        country: Set(None),
        website: Set(None),
        github: Set(None),
        linkedin: Set(None),
        x: Set(None),
        bluesky: Set(None),
        mastodon: Set(None),
        badges: Set(serde_json::json!([])),
        search_text: Set(name.to_lowercase()),
        created_at: Set(now()),
        updated_at: Set(now()),
        version: Set(1),
        deleted_at: Set(None),
        ..Default::default()
    }
}

pub fn organization(slug: &str, name: &str) -> organization::ActiveModel {
    organization::ActiveModel {
        slug: Set(slug.to_owned()),
        name: Set(name.to_owned()),
        sort_name: Set(name.to_lowercase()),
        website: Set(None),
        logo_url: Set(None),
        description: Set(None),
        search_text: Set(name.to_lowercase()),
        created_at: Set(now()),
        updated_at: Set(now()),
        version: Set(1),
        deleted_at: Set(None),
        ..Default::default()
    }
}

/// What every writer does after changing rows: increments the data version, which tells the
/// servers' response caches that the data changed.
pub async fn changed(db: &impl ConnectionTrait) {
    db.execute_unprepared("UPDATE data_version SET value = value + 1 WHERE id = 1")
        .await
        .expect("bump the data version");
}
