//! The response cache drops exactly enough: for random sequences of writes — through this
//! server and through another replica on the same database — and reads, every read a caching
//! server answers equals the answer of a server that caches nothing: at once on the server
//! that wrote, and within the staleness bound on the other.
//!
//! `EVENTDIR_PROPERTY_SEED` replays a sequence; the seed is in every failure message.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::import::corpus_dir;
use crate::writes::{admin, send};

/// splitmix64: the same sequence for the same seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const EVENTS: &[&str] = &[
    "kcd-mexico-2024",
    "kcd-colombia-2025",
    "kcd-costa-rica-2024",
    "kcd-norway-2024",
];
const PEOPLE: &[&str] = &["whitney-lee", "rich-bowen", "ramiro-berrelleza"];
const ORGANIZATIONS: &[&str] = &["suse", "civo", "oracle"];

/// What is read after every write: lists (each holding the events it shows, or moved by a
/// write), pages, searches, and responses that depend on everything.
fn reads() -> Vec<String> {
    let mut paths: Vec<String> = [
        "/api/v1/events?kind=kcd&upcoming=true&as_of=2024-01-01&limit=3",
        "/api/v1/events?kind=kcd&limit=50",
        "/api/v1/events?region=latam&sort=name&limit=5",
        "/api/v1/events?q=kcd&limit=20",
        "/api/v1/events?speaker=whitney-lee",
        "/api/v1/events?sponsor=suse",
        "/api/v1/search?q=kcd&limit=20",
        "/api/v1/search?q=whitney",
        "/api/v1/search?q=suse",
        "/api/v1/speakers/whitney-lee",
        "/api/v1/sponsors/suse",
        "/api/v1/speakers?limit=10",
        "/api/v1/series",
        "/api/v1/changes?limit=5",
    ]
    .map(str::to_owned)
    .to_vec();
    for slug in EVENTS {
        paths.push(format!("/api/v1/events/{slug}"));
        paths.push(format!("/api/v1/events/{slug}/talks"));
    }
    paths
}

/// A body with the server's own address taken out (links are written for the origin asked).
async fn read(app: &TestApp, path: &str) -> (u16, String) {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    (status, body.replace(&app.address, "ORIGIN"))
}

/// One random write through `app`; returns what it did, for failure messages.
async fn write(app: &TestApp, secret: &str, rng: &mut Rng, step: usize) -> String {
    let event = rng.pick(EVENTS);
    let page = format!("/api/v1/events/{event}");
    let (method, path, body) = match rng.below(11) {
        0 => (Method::PATCH, page, json!({"attendees": 100 + step})),
        1 => (
            Method::PATCH,
            page,
            json!({"website": format!("https://kcd.example/{step}")}),
        ),
        2 => (
            Method::PATCH,
            page,
            json!({"description": format!("Edition {step}")}),
        ),
        3 => {
            let day = 1 + rng.below(27);
            (
                Method::PATCH,
                page,
                json!({"starts_on": format!("2024-02-{day:02}"), "ends_on": format!("2024-02-{day:02}")}),
            )
        }
        4 => (
            Method::PATCH,
            page,
            json!({"name": format!("KCD Step {step}")}),
        ),
        5 => (
            Method::POST,
            format!("{page}/talks"),
            json!({"title": format!("Talk {step}"), "speakers": [rng.pick(PEOPLE)]}),
        ),
        6 => (
            Method::POST,
            format!("{page}/sponsors"),
            json!({"organization": rng.pick(ORGANIZATIONS), "tier": "gold"}),
        ),
        7 => {
            let person = rng.pick(PEOPLE);
            (
                Method::PATCH,
                format!("/api/v1/speakers/{person}"),
                json!({"company": format!("Company {step}")}),
            )
        }
        8 => {
            let org = rng.pick(ORGANIZATIONS);
            (
                Method::PATCH,
                format!("/api/v1/sponsors/{org}"),
                json!({"name": format!("Org {step}")}),
            )
        }
        9 => {
            let other = rng.pick(EVENTS);
            let link = if other == event {
                Value::Null
            } else {
                json!({"slug": other})
            };
            (Method::PATCH, page, json!({"co_located_with": link}))
        }
        _ => {
            // A talk of the event goes, if it has one.
            let talks = app.get_json(&format!("{page}/talks"), 200).await;
            match talks["data"].as_array().and_then(|t| t.first()) {
                Some(talk) => (
                    Method::DELETE,
                    format!("{page}/talks/{}", talk["slug"].as_str().unwrap()),
                    Value::Null,
                ),
                None => (Method::PATCH, page, json!({"attendees": step})),
            }
        }
    };
    let body = (!body.is_null()).then_some(body);
    let described = format!("{method} {path} {body:?}");
    let response = send(app, method, &path, Some(secret), Some("*"), body).await;
    let status = response.status().as_u16();
    // A sponsor already on the event, say, is refused: a write that changes nothing.
    assert!(
        status < 500,
        "{described}: {status} {}",
        response.text().await.unwrap_or_default()
    );
    format!("{described} → {status}")
}

/// Every path reads the same on `app` as on `truth`.
async fn same(truth: &TestApp, app: &TestApp, paths: &[String], context: impl Fn() -> String) {
    for path in paths {
        let expected = read(truth, path).await;
        let got = read(app, path).await;
        assert_eq!(got, expected, "{path}: {}", context());
    }
}

#[tokio::test]
async fn every_cached_read_equals_an_uncached_one_after_the_bound() {
    let seed: u64 = std::env::var("EVENTDIR_PROPERTY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed);
    let bound = Duration::from_millis(150);
    let one = TestApp::spawn_with(|s| {
        s.corpus = Some(corpus_dir());
        s.cache_max_staleness = bound;
    })
    .await;
    let two = TestApp::spawn_on(one.database_url(), |s| s.cache_max_staleness = bound).await;
    let truth = TestApp::spawn_on(one.database_url(), |s| s.cache_size = 0).await;
    let secret = admin(&one).await;
    let paths = reads();
    let mut rng = Rng(seed);
    let mut done = Vec::new();
    let mut compared = 0;
    for step in 0..40 {
        // Both replicas hold responses made before the write.
        for path in &paths {
            read(&one, path).await;
            read(&two, path).await;
        }
        let (writer, other) = if rng.below(2) == 0 {
            (&one, &two)
        } else {
            (&two, &one)
        };
        done.push(write(writer, &secret, &mut rng, step).await);
        same(&truth, writer, &paths, || {
            format!("seed {seed}, on the replica that wrote, after {done:#?}")
        })
        .await;
        tokio::time::sleep(bound + Duration::from_millis(50)).await;
        same(&truth, other, &paths, || {
            format!("seed {seed}, on the other replica, after {done:#?}")
        })
        .await;
        compared += 2 * paths.len();
    }
    assert!(compared > 1000);
}
