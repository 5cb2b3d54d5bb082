//! `eventdir seed --synthetic N`: a deterministic dataset for benchmarks.
//!
//! The same N, seed and as-of date give the same rows on every backend: N events spread from
//! five years before to five years after the as-of date, of every kind, in every region and
//! many countries; 3N people, N/2 organizations; two talks an event with one to three speakers,
//! three sponsors and two organizers an event; 2N posts, each by one person, tagged, and
//! mentioning events, a person and an organization. Rows go in with multi-row inserts, a
//! transaction per chunk.

use std::time::Instant;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use entity::sea_orm_active_enums::{
    EventFormat, EventKind, EventStatus, FrontMatterFormat, OrganizerRole, Region, SponsorTier,
    TalkKind, TermKind,
};
use entity::{
    event, mention, organization, organizer, person, post, post_author, post_term, sponsorship,
    talk, talk_speaker, term,
};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    PaginatorTrait, Set,
};
use serde_json::json;

use crate::services::text::{search_text, slug_from, sort_name};

/// What `seed` made and how fast.
#[derive(Debug, Clone, Copy)]
pub struct SeedReport {
    pub events: u64,
    pub rows: u64,
    pub seconds: f64,
}

impl SeedReport {
    pub fn rows_per_second(&self) -> f64 {
        self.rows as f64 / self.seconds.max(1e-9)
    }
}

/// splitmix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Self {
        Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// (ISO code, city, region, time zone)
const PLACES: &[(&str, &str, Region, &str)] = &[
    ("MX", "Mexico City", Region::Latam, "America/Mexico_City"),
    ("BR", "Sao Paulo", Region::Latam, "America/Sao_Paulo"),
    ("CO", "Bogota", Region::Latam, "America/Bogota"),
    ("PE", "Lima", Region::Latam, "America/Lima"),
    (
        "AR",
        "Buenos Aires",
        Region::Latam,
        "America/Argentina/Buenos_Aires",
    ),
    ("GT", "Guatemala City", Region::Latam, "America/Guatemala"),
    ("US", "Austin", Region::NorthAmerica, "America/Chicago"),
    ("US", "Seattle", Region::NorthAmerica, "America/Los_Angeles"),
    ("CA", "Toronto", Region::NorthAmerica, "America/Toronto"),
    ("GB", "London", Region::Europe, "Europe/London"),
    ("DE", "Munich", Region::Europe, "Europe/Berlin"),
    ("FR", "Paris", Region::Europe, "Europe/Paris"),
    ("ES", "Madrid", Region::Europe, "Europe/Madrid"),
    ("IT", "Milan", Region::Europe, "Europe/Rome"),
    ("NL", "Amsterdam", Region::Europe, "Europe/Amsterdam"),
    ("NO", "Oslo", Region::Europe, "Europe/Oslo"),
    ("PL", "Warsaw", Region::Europe, "Europe/Warsaw"),
    ("RO", "Bucharest", Region::Europe, "Europe/Bucharest"),
    ("IN", "Bengaluru", Region::AsiaPacific, "Asia/Kolkata"),
    ("JP", "Tokyo", Region::AsiaPacific, "Asia/Tokyo"),
    ("KR", "Seoul", Region::AsiaPacific, "Asia/Seoul"),
    ("ID", "Jakarta", Region::AsiaPacific, "Asia/Jakarta"),
    ("AU", "Sydney", Region::AsiaPacific, "Australia/Sydney"),
    ("SG", "Singapore", Region::AsiaPacific, "Asia/Singapore"),
    ("CN", "Shanghai", Region::AsiaPacific, "Asia/Shanghai"),
    ("NG", "Lagos", Region::Africa, "Africa/Lagos"),
    ("KE", "Nairobi", Region::Africa, "Africa/Nairobi"),
    ("ZA", "Cape Town", Region::Africa, "Africa/Johannesburg"),
    ("GH", "Accra", Region::Africa, "Africa/Accra"),
    ("AE", "Dubai", Region::MiddleEast, "Asia/Dubai"),
    ("IL", "Tel Aviv", Region::MiddleEast, "Asia/Jerusalem"),
    ("TR", "Istanbul", Region::MiddleEast, "Europe/Istanbul"),
];

const FIRST: &[&str] = &[
    "Ana", "Bruno", "Chen", "Dana", "Emeka", "Fatima", "Goran", "Hana", "Ivan", "Julia", "Kofi",
    "Lucia", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tomoko",
];
const LAST: &[&str] = &[
    "Alvarez",
    "Brown",
    "Castro",
    "Diallo",
    "Eriksen",
    "Fernandes",
    "Garcia",
    "Hoffmann",
    "Ito",
    "Johansson",
    "Kim",
    "Lopez",
    "Mensah",
    "Novak",
    "Okafor",
    "Patel",
    "Rossi",
    "Silva",
    "Tanaka",
    "Weber",
];
const WORDS: &[&str] = &[
    "Cloud", "Native", "Platform", "Mesh", "Edge", "Data", "Secure", "Ops", "Stack", "Flow",
    "Grid", "Forge", "Scale", "Kube", "Signal", "Harbor",
];
const TOPICS: &[&str] = &[
    "GitOps at scale",
    "Securing the supply chain",
    "eBPF in production",
    "Platform engineering",
    "Observability with OpenTelemetry",
    "Multi-cluster networking",
    "WebAssembly on Kubernetes",
    "Cost-aware autoscaling",
    "Policy as code",
    "Running AI workloads",
];
const TAGS: &[&str] = &[
    "kcd",
    "kubecon",
    "community",
    "security",
    "platform",
    "observability",
    "gitops",
    "ai",
];

fn kind_of(rng: &mut Rng) -> EventKind {
    match rng.below(20) {
        0..=9 => EventKind::Kcd,
        10 => EventKind::Kubecon,
        11..=13 => EventKind::Summit,
        14..=17 => EventKind::Meetup,
        _ => EventKind::Other,
    }
}

fn prefix(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Kcd => "KCD",
        EventKind::Kubecon => "KubeCon + CloudNativeCon",
        EventKind::Summit => "Cloud Native Summit",
        EventKind::Meetup => "Cloud Native Meetup",
        EventKind::Other => "Cloud Native Day",
    }
}

/// Rows per multi-row statement: within every backend's limit of bound parameters.
fn rows_per_statement(columns: usize) -> usize {
    (30_000 / columns.max(1)).clamp(1, 1000)
}

/// Inserts `count` rows made by `make`, in chunks of one transaction each.
async fn insert_rows<A, F>(
    db: &DatabaseConnection,
    count: u64,
    columns: usize,
    mut make: F,
) -> Result<u64, DbErr>
where
    A: ActiveModelTrait + Send,
    F: FnMut(u64) -> Vec<A>,
{
    let per_statement = rows_per_statement(columns);
    let mut inserted = 0;
    let mut next = 0;
    let mut pending: Vec<A> = Vec::new();
    while next < count || !pending.is_empty() {
        let txn = crate::services::writes::begin(db).await?;
        let mut in_txn = 0;
        while in_txn < 20_000 && (next < count || !pending.is_empty()) {
            while pending.len() < per_statement && next < count {
                pending.extend(make(next));
                next += 1;
            }
            let take = pending.len().min(per_statement);
            let chunk: Vec<A> = pending.drain(..take).collect();
            in_txn += chunk.len();
            inserted += chunk.len() as u64;
            A::Entity::insert_many(chunk)
                .exec_without_returning(&txn)
                .await?;
        }
        txn.commit().await?;
    }
    Ok(inserted)
}

/// Seeds `n` events and what goes with them into an empty database.
pub async fn synthetic(
    db: &DatabaseConnection,
    n: u64,
    seed: u64,
    as_of: NaiveDate,
) -> anyhow::Result<SeedReport> {
    anyhow::ensure!(n > 0, "N must be at least 1");
    let existing = event::Entity::find().count(db).await?;
    anyhow::ensure!(
        existing == 0,
        "the database already has {existing} events; seed an empty database"
    );
    let started = Instant::now();
    let people = 3 * n;
    let orgs = (n / 2).max(3);
    let posts = 2 * n;
    let stamp: DateTime<Utc> = Utc
        .from_utc_datetime(&as_of.and_hms_opt(0, 0, 0).unwrap_or_default())
        .with_timezone(&Utc);
    let span = 5 * 365 + 1;
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
            created_at: Set(stamp),
            updated_at: Set(stamp),
            version: Set(1),
            deleted_at: Set(None),
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
            created_at: Set(stamp),
            updated_at: Set(stamp),
            version: Set(1),
            deleted_at: Set(None),
        }]
    })
    .await?;

    rows += insert_rows(db, n, 30, |i| {
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
                Some(series.as_str()),
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
            country: Set(Some(place.0.to_owned())),
            region: Set(Some(region)),
            format: Set(Some(format)),
            status: Set(status),
            website: Set(Some(format!("https://events.example.org/{}", i + 1))),
            registration_url: Set(None),
            cfp_opens_on: Set(Some(starts - Duration::days(120))),
            cfp_closes_on: Set(Some(starts - Duration::days(60))),
            attendees: Set(Some(100 + rng.below(2000) as i32)),
            description: Set(None),
            co_located_with_id: Set(None),
            discovered_in_post_id: Set(None),
            created_at: Set(stamp),
            updated_at: Set(stamp),
            version: Set(1),
            deleted_at: Set(None),
        }]
    })
    .await?;

    // Two talks an event.
    rows += insert_rows(db, 2 * n, 12, |i| {
        let mut rng = Rng::new(seed, 4_000_000_000 + i);
        let title = format!("{} #{}", rng.pick(TOPICS), i + 1);
        vec![talk::ActiveModel {
            id: Set(i as i64 + 1),
            event_id: Set((i / 2) as i64 + 1),
            slug: Set(format!("talk-{}", i + 1)),
            title: Set(title),
            kind: Set(if i % 2 == 0 {
                TalkKind::Keynote
            } else {
                TalkKind::Talk
            }),
            r#abstract: Set(None),
            starts_at: Set(None),
            recording_url: Set(None),
            slides_url: Set(None),
            created_at: Set(stamp),
            updated_at: Set(stamp),
            version: Set(1),
            deleted_at: Set(None),
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
                created_at: Set(stamp),
                updated_at: Set(stamp),
                version: Set(1),
                deleted_at: Set(None),
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
                created_at: Set(stamp),
                updated_at: Set(stamp),
                version: Set(1),
                deleted_at: Set(None),
            })
            .collect()
    })
    .await?;

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
            created_at: Set(stamp),
            updated_at: Set(stamp),
            version: Set(1),
            deleted_at: Set(None),
        }]
    })
    .await?;

    rows += insert_rows(db, posts, 4, |i| {
        let mut rng = Rng::new(seed, 9_000_000_000 + i);
        let person = rng.below(people) + 1;
        vec![post_author::ActiveModel {
            post_id: Set(i as i64 + 1),
            position: Set(0),
            name: Set(format!("Person {person}")),
            person_id: Set(Some(person as i64)),
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
        let mut rows = vec![mention::ActiveModel {
            id: Set(id + 1),
            post_id: Set(i as i64 + 1),
            event_id: Set(Some(event as i64)),
            person_id: Set(None),
            organization_id: Set(None),
            matched_text: Set(format!("event {event}")),
        }];
        if other != event {
            rows.push(mention::ActiveModel {
                id: Set(id + 2),
                post_id: Set(i as i64 + 1),
                event_id: Set(Some(other as i64)),
                person_id: Set(None),
                organization_id: Set(None),
                matched_text: Set(format!("event {other}")),
            });
        }
        rows.push(mention::ActiveModel {
            id: Set(id + 3),
            post_id: Set(i as i64 + 1),
            event_id: Set(None),
            person_id: Set(Some(more.below(people) as i64 + 1)),
            organization_id: Set(None),
            matched_text: Set("a speaker".to_owned()),
        });
        rows.push(mention::ActiveModel {
            id: Set(id + 4),
            post_id: Set(i as i64 + 1),
            event_id: Set(None),
            person_id: Set(None),
            organization_id: Set(Some(more.below(orgs) as i64 + 1)),
            matched_text: Set("a sponsor".to_owned()),
        });
        rows
    })
    .await?;

    reset_sequences(db).await?;
    crate::db::analyze(db).await?;
    Ok(SeedReport {
        events: n,
        rows,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// PostgreSQL sequences do not follow explicit ids: move them past the seeded rows.
async fn reset_sequences(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for table in [
        "organizations",
        "people",
        "events",
        "talks",
        "sponsorships",
        "organizers",
        "terms",
        "posts",
        "mentions",
    ] {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        ))
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_deterministic() {
        let a: Vec<u64> = (0..5).map(|_| Rng::new(7, 3).next()).collect();
        let b: Vec<u64> = (0..5).map(|_| Rng::new(7, 3).next()).collect();
        assert_eq!(a, b);
        assert_ne!(Rng::new(7, 3).next(), Rng::new(7, 4).next());
        assert_ne!(Rng::new(7, 3).next(), Rng::new(8, 3).next());
    }

    #[test]
    fn statements_stay_within_parameter_limits() {
        for columns in [2, 12, 30] {
            assert!(rows_per_statement(columns) * columns <= 30_000);
        }
    }
}
