//! The rows `seed` writes, table by table: each made from its index and the seed alone, so
//! that any N gives the same rows on every backend.

use chrono::{Datelike, Duration};
use entity::sea_orm_active_enums::{
    EventFormat, EventKind, EventStatus, FrontMatterFormat, OrganizerRole, Region, SponsorTier,
    TalkKind, TermKind,
};
use entity::{
    event, mention, organization, organizer, person, post, post_author, post_term, sponsorship,
    talk, talk_speaker, term,
};
use sea_orm::{DatabaseConnection, DbErr, Set};
use serde_json::json;

use super::data::*;
use super::{Plan, insert_rows};
use crate::services::text::{normalize, search_text, slug_from, sort_name};
use crate::services::writes::row;

/// Organizations, then people.
pub(super) async fn directory(db: &DatabaseConnection, plan: &Plan) -> Result<u64, DbErr> {
    let (seed, people, orgs, stamp) = (plan.seed, plan.people, plan.orgs, plan.stamp);
    let mut rows = 0;
    rows += insert_rows(db, orgs, 12, |i| {
        let mut rng = Rng::new(seed, 1_000_000_000 + i);
        let name = format!("{} {} {}", rng.pick(WORDS), rng.pick(WORDS), i + 1);
        vec![organization::ActiveModel {
            id: Set(i as i64 + 1),
            slug: Set(format!("org-{}", i + 1)),
            sort_name: Set(sort_name(&name)),
            search_text: Set(search_text(&[Some(name.as_str())])),
            name: Set(name),
            website: Set(Some(format!("https://org-{}.example.org", i + 1))),
            logo_url: Set(None),
            description: Set(None),
            ..row::start::<organization::Model>(None, stamp)
        }]
    })
    .await?;

    rows += insert_rows(db, people, 20, |i| {
        let mut rng = Rng::new(seed, 2_000_000_000 + i);
        let name = format!("{} {} {}", rng.pick(FIRST), rng.pick(LAST), i + 1);
        let place = rng.pick(PLACES);
        let company = format!("{} {}", rng.pick(WORDS), rng.pick(WORDS));
        vec![person::ActiveModel {
            id: Set(i as i64 + 1),
            slug: Set(format!("person-{}", i + 1)),
            sort_name: Set(sort_name(&name)),
            search_text: Set(search_text(&[Some(name.as_str()), Some(company.as_str())])),
            name: Set(name),
            bio: Set(None),
            company_key: Set(Some(normalize(&company))),
            company: Set(Some(company)),
            country: Set(Some(place.0.to_owned())),
            website: Set(None),
            github: Set(None),
            linkedin: Set(None),
            x: Set(None),
            bluesky: Set(None),
            mastodon: Set(None),
            badges: Set(if i % 10 == 0 {
                json!(["cncf_ambassador"])
            } else {
                json!([])
            }),
            ..row::start::<person::Model>(None, stamp)
        }]
    })
    .await?;
    Ok(rows)
}

/// Events, of every kind, in every region, around the as-of date.
pub(super) async fn events(db: &DatabaseConnection, plan: &Plan) -> Result<u64, DbErr> {
    let (n, seed, stamp, span, as_of) = (plan.n, plan.seed, plan.stamp, plan.span, plan.as_of);
    let mut rows = 0;
    // Every series an event below can be in: a kind's prefix in a place.
    for kind in EventKind::ALL {
        for place in PLACES {
            let name = format!("{} {}", prefix(*kind), place.1);
            let slug = format!("{}-{}", slug_from(prefix(*kind)), slug_from(place.1));
            crate::services::series::ensure(db, &slug, &name).await?;
            rows += 1;
        }
    }
    rows += insert_rows(db, n, 32, |i| {
        let mut rng = Rng::new(seed, 3_000_000_000 + i);
        let kind = kind_of(&mut rng);
        let place = rng.pick(PLACES);
        let offset = rng.below(2 * span) as i64 - span as i64;
        let starts = as_of + Duration::days(offset);
        let ends = starts + Duration::days(rng.below(3) as i64);
        let year = starts.year();
        let name = format!("{} {} {year} #{}", prefix(kind), place.1, i + 1);
        let city_slug = slug_from(place.1);
        let status = if offset < 0 {
            if rng.below(25) == 0 {
                EventStatus::Cancelled
            } else {
                EventStatus::Completed
            }
        } else if rng.below(3) == 0 {
            EventStatus::Announced
        } else {
            EventStatus::Scheduled
        };
        let format = match rng.below(10) {
            0 => EventFormat::Virtual,
            1 => EventFormat::Hybrid,
            _ => EventFormat::InPerson,
        };
        let region = if format == EventFormat::Virtual {
            Region::Online
        } else {
            place.2
        };
        let series = format!("{}-{city_slug}", slug_from(prefix(kind)));
        vec![event::ActiveModel {
            id: Set(i as i64 + 1),
            slug: Set(format!("{series}-{year}-{}", i + 1)),
            sort_name: Set(sort_name(&name)),
            search_text: Set(search_text(&[
                Some(name.as_str()),
                Some(prefix(kind)),
                Some(place.1),
            ])),
            name: Set(name),
            kind: Set(kind),
            series: Set(Some(series)),
            year: Set(Some(year)),
            starts_on: Set(Some(starts)),
            ends_on: Set(Some(ends)),
            timezone: Set(Some(place.3.to_owned())),
            venue: Set(Some(format!("{} Convention Center", place.1))),
            city: Set(Some(place.1.to_owned())),
            city_key: Set(Some(normalize(place.1))),
            country: Set(Some(place.0.to_owned())),
            region: Set(Some(region)),
            format: Set(Some(format)),
            status: Set(status),
            status_stated: Set(true),
            date_precision: Set(entity::sea_orm_active_enums::DatePrecision::Day),
            website: Set(Some(format!("https://events.example.org/{}", i + 1))),
            registration_url: Set(None),
            cfp_opens_on: Set(Some(starts - Duration::days(120))),
            cfp_closes_on: Set(Some(starts - Duration::days(60))),
            attendees: Set(Some(100 + rng.below(2000) as i32)),
            description: Set(None),
            co_located_with_id: Set(None),
            discovered_in_post_id: Set(None),
            ..row::start::<event::Model>(None, stamp)
        }]
    })
    .await?;
    Ok(rows)
}

/// Two talks an event with their speakers, three sponsors and two organizers.
pub(super) async fn programme(db: &DatabaseConnection, plan: &Plan) -> Result<u64, DbErr> {
    let (n, seed, people, orgs, stamp) = (plan.n, plan.seed, plan.people, plan.orgs, plan.stamp);
    let mut rows = 0;
    // Two talks an event.
    rows += insert_rows(db, 2 * n, 12, |i| {
        let mut rng = Rng::new(seed, 4_000_000_000 + i);
        let title = format!("{} #{}", rng.pick(TOPICS), i + 1);
        vec![talk::ActiveModel {
            id: Set(i as i64 + 1),
            event_id: Set((i / 2) as i64 + 1),
            slug: Set(format!("talk-{}", i + 1)),
            title: Set(Some(title)),
            kind: Set(if i % 2 == 0 {
                TalkKind::Keynote
            } else {
                TalkKind::Talk
            }),
            r#abstract: Set(None),
            starts_at: Set(None),
            recording_url: Set(None),
            slides_url: Set(None),
            ..row::start::<talk::Model>(None, stamp)
        }]
    })
    .await?;

    rows += insert_rows(db, 2 * n, 3, |i| {
        let mut rng = Rng::new(seed, 5_000_000_000 + i);
        let count = 1 + rng.below(3);
        let first = rng.below(people);
        (0..count)
            .map(|k| talk_speaker::ActiveModel {
                talk_id: Set(i as i64 + 1),
                person_id: Set(((first + k * 7919) % people) as i64 + 1),
                position: Set(k as i32),
            })
            .collect()
    })
    .await?;

    let tiers = [
        SponsorTier::Platinum,
        SponsorTier::Gold,
        SponsorTier::Silver,
        SponsorTier::Community,
    ];
    rows += insert_rows(db, n, 9, |i| {
        let mut rng = Rng::new(seed, 6_000_000_000 + i);
        let first = rng.below(orgs);
        (0..3)
            .map(|k| sponsorship::ActiveModel {
                id: Set((3 * i + k) as i64 + 1),
                event_id: Set(i as i64 + 1),
                organization_id: Set(((first + k) % orgs) as i64 + 1),
                tier: Set(Some(tiers[rng.below(tiers.len() as u64) as usize])),
                ..row::start::<sponsorship::Model>(None, stamp)
            })
            .collect()
    })
    .await?;

    rows += insert_rows(db, n, 9, |i| {
        let mut rng = Rng::new(seed, 7_000_000_000 + i);
        let first = rng.below(people);
        (0..2)
            .map(|k| organizer::ActiveModel {
                id: Set((2 * i + k) as i64 + 1),
                event_id: Set(i as i64 + 1),
                person_id: Set(((first + k * 104_729) % people) as i64 + 1),
                role: Set(if k == 0 {
                    OrganizerRole::Lead
                } else {
                    OrganizerRole::CoOrganizer
                }),
                ..row::start::<organizer::Model>(None, stamp)
            })
            .collect()
    })
    .await?;
    Ok(rows)
}

/// Tags, then posts with their authors, tags and mentions.
pub(super) async fn posts(db: &DatabaseConnection, plan: &Plan) -> Result<u64, DbErr> {
    let (n, seed, people, orgs, posts, stamp, span) = (
        plan.n,
        plan.seed,
        plan.people,
        plan.orgs,
        plan.posts,
        plan.stamp,
        plan.span,
    );
    let mut rows = 0;
    rows += insert_rows(db, TAGS.len() as u64, 4, |i| {
        vec![term::ActiveModel {
            id: Set(i as i64 + 1),
            kind: Set(TermKind::Tag),
            slug: Set(TAGS[i as usize].to_owned()),
            name: Set(TAGS[i as usize].to_owned()),
        }]
    })
    .await?;

    rows += insert_rows(db, posts, 20, |i| {
        let mut rng = Rng::new(seed, 8_000_000_000 + i);
        let event = rng.below(n) + 1;
        let title = format!("Report from event {event}: {}", rng.pick(TOPICS));
        let body = format!(
            "We met at event {event} to talk about {}. Thanks to every speaker and sponsor.",
            rng.pick(TOPICS)
        );
        let published = stamp - Duration::days(rng.below(2 * span) as i64 - span as i64)
            + Duration::minutes(rng.below(1440) as i64);
        vec![post::ActiveModel {
            id: Set(i as i64 + 1),
            slug: Set(format!("post-{}", i + 1)),
            search_text: Set(search_text(&[Some(title.as_str()), Some(body.as_str())])),
            title: Set(title),
            published_at: Set(published),
            published_offset_minutes: Set(Some(0)),
            summary: Set(None),
            body_html: Set(format!("<p>{body}</p>")),
            body_markdown: Set(body),
            images: Set(json!([])),
            draft: Set(false),
            source_path: Set(format!("synthetic/post-{}.md", i + 1)),
            front_matter_format: Set(FrontMatterFormat::Yaml),
            content_hash: Set(format!("synthetic-{seed}-{i}")),
            reading_minutes: Set(1),
            ..row::start::<post::Model>(None, stamp)
        }]
    })
    .await?;

    rows += insert_rows(db, posts, 5, |i| {
        let mut rng = Rng::new(seed, 9_000_000_000 + i);
        let person = rng.below(people) + 1;
        vec![post_author::ActiveModel {
            post_id: Set(i as i64 + 1),
            position: Set(0),
            name: Set(format!("Person {person}")),
            person_id: Set(Some(person as i64)),
            organization_id: Set(None),
        }]
    })
    .await?;

    rows += insert_rows(db, posts, 2, |i| {
        let mut rng = Rng::new(seed, 10_000_000_000 + i);
        let first = rng.below(TAGS.len() as u64);
        (0..2)
            .map(|k| post_term::ActiveModel {
                post_id: Set(i as i64 + 1),
                term_id: Set(((first + k) % TAGS.len() as u64) as i64 + 1),
            })
            .collect()
    })
    .await?;

    // Each post mentions the event its title names, another event, a person and a sponsor.
    rows += insert_rows(db, posts, 6, |i| {
        let mut rng = Rng::new(seed, 8_000_000_000 + i);
        let event = rng.below(n) + 1;
        let mut more = Rng::new(seed, 11_000_000_000 + i);
        let other = more.below(n) + 1;
        let id = 4 * i as i64;
        let mention = |k: i64, event: Option<u64>, person: Option<u64>, org: Option<u64>, text| {
            mention::ActiveModel {
                id: Set(id + k),
                post_id: Set(i as i64 + 1),
                event_id: Set(event.map(|e| e as i64)),
                person_id: Set(person.map(|p| p as i64)),
                organization_id: Set(org.map(|o| o as i64)),
                series_id: Set(None),
                matched_text: Set(text),
            }
        };
        let mut rows = vec![mention(
            1,
            Some(event),
            None,
            None,
            format!("event {event}"),
        )];
        if other != event {
            rows.push(mention(
                2,
                Some(other),
                None,
                None,
                format!("event {other}"),
            ));
        }
        let person = more.below(people) + 1;
        rows.push(mention(3, None, Some(person), None, "a speaker".to_owned()));
        let org = more.below(orgs) + 1;
        rows.push(mention(4, None, None, Some(org), "a sponsor".to_owned()));
        rows
    })
    .await?;
    Ok(rows)
}
