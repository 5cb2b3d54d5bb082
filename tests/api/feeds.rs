//! Search, calendars, the Atom feed and JSON-LD, read back with real parsers.

use std::str::FromStr;

use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime, EventLike};
use serde_json::Value;

use crate::helpers::{TestApp, assert_problem, problem_fields};
use crate::import::corpus_dir;

/// The VEVENTs of an iCalendar document, which must parse.
fn vevents(text: &str) -> Vec<icalendar::Event> {
    let calendar = Calendar::from_str(text).expect("a valid iCalendar document");
    calendar
        .components
        .into_iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

async fn corpus_app() -> TestApp {
    TestApp::spawn_with(|s| s.corpus = Some(corpus_dir())).await
}

#[tokio::test]
async fn search_finds_typed_ranked_results() {
    let app = corpus_app().await;
    let hits = app
        .get_json("/api/v1/search?q=KCD%20M%C3%A9xico", 200)
        .await;
    // The series is named exactly; its edition's name holds the query as a phrase.
    let first = &hits["data"][0];
    assert_eq!(
        (first["type"].as_str(), first["slug"].as_str()),
        (Some("series"), Some("kcd-mexico"))
    );
    assert_eq!(first["url"], "/api/v1/series/kcd-mexico");
    let second = &hits["data"][1];
    assert_eq!(
        (second["type"].as_str(), second["slug"].as_str()),
        (Some("event"), Some("kcd-mexico-2024"))
    );
    assert_eq!(second["url"], "/api/v1/events/kcd-mexico-2024");
    let scores: Vec<u64> = hits["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["score"].as_u64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let kinds: Vec<&str> = hits["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["type"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"post"));

    let people = app
        .get_json("/api/v1/search?q=whitney&type=speaker", 200)
        .await;
    assert_eq!(people["data"][0]["slug"], "whitney-lee");
    assert_eq!(people["data"].as_array().unwrap().len(), 1);
    let sponsor = app.get_json("/api/v1/search?q=suse", 200).await;
    assert_eq!(sponsor["data"][0]["type"], "sponsor");
    let bogota = app.get_json("/api/v1/search?q=bogota", 200).await;
    let slugs: Vec<(&str, &str)> = bogota["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["type"].as_str().unwrap(), h["slug"].as_str().unwrap()))
        .collect();
    // The event held in Bogotá ranks as if its name held the city, above the post about it.
    assert_eq!(
        slugs,
        [
            ("event", "kcd-colombia-2025"),
            ("post", "kcd-colombia-2025")
        ],
        "the event, then the post"
    );

    for (query, field) in [
        ("", "q"),
        ("q=", "q"),
        ("q=x&type=venue", "type"),
        ("q=x&limit=0", "limit"),
    ] {
        let body = assert_problem(app.get(&format!("/api/v1/search?{query}")).await, 400).await;
        assert_eq!(problem_fields(&body), [field], "{query}");
    }
    assert_eq!(
        app.get("/api/v1/search?q=%27%3B%20DROP%20TABLE%20posts")
            .await
            .status(),
        200
    );
}

fn date_of(value: Option<DatePerhapsTime>) -> String {
    match value {
        Some(DatePerhapsTime::Date(d)) => d.to_string(),
        other => panic!("an all-day date, not {other:?}"),
    }
}

/// What the document accepts the server answers: a `q` of spaces alone (schema-valid, at
/// least one character) finds nothing; an empty one is a 400 (and so are control characters,
/// tabs included, as in every parameter).
#[tokio::test]
async fn search_text_without_a_word_finds_nothing() {
    let app = corpus_app().await;
    for q in ["%20", "%20%20", "+"] {
        let hits = app.get_json(&format!("/api/v1/search?q={q}"), 200).await;
        assert_eq!(hits["data"], serde_json::json!([]), "q={q}");
    }
    for q in ["", "%0B", "%09"] {
        let body = assert_problem(app.get(&format!("/api/v1/search?q={q}")).await, 400).await;
        assert_eq!(problem_fields(&body), ["q"], "q={q}");
    }
}

#[tokio::test]
async fn the_calendar_parses_with_all_day_events_and_exclusive_ends() {
    let app = corpus_app().await;
    let response = app
        .get("/api/v1/events.ics?kind=kcd&upcoming=true&as_of=2024-01-01")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let text = response.text().await.unwrap();
    assert!(text.lines().all(|l| l.len() <= 76), "folded at 75 octets");
    let calendar = Calendar::from_str(&text).expect("a valid iCalendar document");
    let events = vevents(&text);
    let summaries: Vec<&str> = events.iter().filter_map(|e| e.get_summary()).collect();
    assert_eq!(
        summaries,
        [
            // "KCD Norway in January 2024": the month.
            "KCD Norway 2024",
            "KCD Mexico 2024",
            "KCD Costa Rica 2024",
            "KCD Colombia 2025"
        ]
    );
    let mexico = &events[1];
    let id = crate::helpers::event_id(&app.db, "kcd-mexico-2024").await;
    let uid = format!("event-{id}@eventdir");
    assert_eq!(mexico.get_uid(), Some(uid.as_str()));
    assert_eq!(mexico.property_value("SEQUENCE"), Some("0"));
    assert_eq!(
        calendar.property_value("X-WR-CALNAME"),
        Some("eventdir: events: kcd, upcoming, as of 2024-01-01")
    );
    assert_eq!(date_of(mexico.get_start()), "2024-02-23");
    assert_eq!(
        date_of(mexico.get_end()),
        "2024-02-25",
        "DTEND is the day after the last day"
    );
    assert_eq!(
        mexico.get_location(),
        Some("CUCEA, Universidad de Guadalajara, Guadalajara, Mexico")
    );
    assert_eq!(
        mexico.get_url(),
        Some("https://community.cncf.io/kcd-mexico/")
    );
    assert_eq!(mexico.property_value("STATUS"), Some("CONFIRMED"));

    let one = app
        .get("/api/v1/events/ccoss-2024.ics")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(vevents(&one).len(), 1);
    assert_problem(app.get("/api/v1/events/nothing.ics").await, 404).await;
    let body = assert_problem(app.get("/api/v1/events.ics?kind=party").await, 400).await;
    assert_eq!(problem_fields(&body), ["kind"]);

    // Unchanged data, unchanged calendar: revalidation works.
    let tag = app.get("/api/v1/events.ics").await.headers()["etag"].clone();
    assert_eq!(app.get("/api/v1/events.ics").await.headers()["etag"], tag);
}

/// A calendar entry is the event's for good: renaming the event keeps its UID and raises its
/// SEQUENCE, so subscribed calendars update it instead of adding another.
#[tokio::test]
async fn a_renamed_event_stays_the_same_calendar_entry() {
    let app = corpus_app().await;
    let entry = |text: String| {
        let events = vevents(&text);
        let e = &events[0];
        (
            e.get_uid().unwrap().to_owned(),
            e.property_value("SEQUENCE").unwrap().to_owned(),
        )
    };
    let before = entry(
        app.get("/api/v1/events/ccoss-2024.ics")
            .await
            .text()
            .await
            .unwrap(),
    );
    let secret = crate::writes::admin(&app).await;
    let renamed = crate::writes::patch(
        &app,
        "/api/v1/events/ccoss-2024",
        &secret,
        serde_json::json!({"slug": "ccoss-gdl-2024"}),
    );
    assert_eq!(renamed.await.status(), 200);
    let after = entry(
        app.get("/api/v1/events/ccoss-gdl-2024.ics")
            .await
            .text()
            .await
            .unwrap(),
    );
    assert_eq!(after.0, before.0, "the UID stays");
    assert_eq!(after.1, "1", "the SEQUENCE rises (from {})", before.1);
}

/// A calendar cut by `limit` says so and links to the rest, which follows on exactly.
#[tokio::test]
async fn a_cut_calendar_says_so_and_links_to_the_rest() {
    let app = corpus_app().await;
    let uids = |text: &str| -> Vec<String> {
        let events = vevents(text);
        events
            .iter()
            .filter_map(|e| e.get_uid().map(str::to_owned))
            .collect()
    };
    let whole = uids(&app.get("/api/v1/events.ics").await.text().await.unwrap());
    // Two at a time, following each calendar's link to the next.
    let (mut got, mut next, mut calendars) =
        (Vec::new(), Some("/api/v1/events.ics?limit=2".to_owned()), 0);
    while let Some(path) = next.take() {
        let response = app.get(&path).await;
        next = response.headers().get("link").map(|link| {
            let link = link.to_str().unwrap();
            let target = link
                .strip_prefix('<')
                .and_then(|l| l.split_once(">; rel=\"next\""));
            target.unwrap().0.to_owned()
        });
        let text = response.text().await.unwrap();
        assert_eq!(
            text.contains("X-WR-CALDESC:The first 2 matching events"),
            next.is_some(),
            "{text}"
        );
        got.extend(uids(&text));
        calendars += 1;
    }
    assert_eq!(got, whole);
    assert!(calendars > 1);
    let all = app.get("/api/v1/events.ics").await;
    assert!(all.headers().get("link").is_none());
    assert!(!all.text().await.unwrap().contains("X-WR-CALDESC"));
}

/// Whatever a record holds — here a website and a name stored with line breaks, as no write
/// accepts any more — no calendar line can end early and start a forged component.
#[tokio::test]
async fn no_stored_value_can_end_a_calendar_line() {
    use entity::event;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

    let app = corpus_app().await;
    let forged = "\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:fake@eventdir\r\nSUMMARY:forged";
    event::Entity::update_many()
        .col_expr(
            event::Column::Website,
            Expr::value(format!("https://kcd.example/{forged}")),
        )
        .col_expr(
            event::Column::Name,
            Expr::value(format!("KCD Mexico{forged}")),
        )
        .filter(event::Column::Slug.eq("kcd-mexico-2024"))
        .exec(&app.db)
        .await
        .unwrap();
    for path in [
        "/api/v1/events.ics?as_of=2024-01-01",
        "/api/v1/events/kcd-mexico-2024.ics",
    ] {
        let text = app.get(path).await.text().await.unwrap();
        assert!(
            !text.lines().any(|l| l.starts_with("UID:fake")),
            "{path}: a forged UID line"
        );
        let events = vevents(&text);
        let uids: Vec<&str> = events.iter().filter_map(|e| e.get_uid()).collect();
        let id = crate::helpers::event_id(&app.db, "kcd-mexico-2024").await;
        assert!(
            uids.contains(&format!("event-{id}@eventdir").as_str()),
            "{path}"
        );
        assert!(
            !uids.iter().any(|u| u.starts_with("fake")),
            "{path}: {uids:?}"
        );
        assert!(
            !text.contains("URL:https://kcd.example"),
            "{path}: not a URL"
        );
    }
}

#[tokio::test]
async fn the_atom_feed_parses() {
    let app = corpus_app().await;
    let response = app.get("/api/v1/posts.atom").await;
    assert_eq!(
        response.headers()["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    let feed =
        atom_syndication::Feed::from_str(&response.text().await.unwrap()).expect("valid Atom");
    assert_eq!(feed.entries().len(), 5);
    let first = &feed.entries()[0];
    assert_eq!(
        first.title().as_str(),
        "Being part of KubeCon + CloudNativeCon NA 2025"
    );
    let ccoss = feed
        .entries()
        .iter()
        .find(|e| e.id() == "urn:eventdir:post:ccoss-kcd-gdl-2024")
        .unwrap();
    assert_eq!(
        ccoss.published().unwrap().to_rfc3339(),
        "2024-02-14T23:48:08-06:00"
    );
    assert!(ccoss.content().unwrap().value().unwrap().contains("<h3"));
    let takeaways = feed
        .entries()
        .iter()
        .find(|e| e.id().ends_with("takeaways"))
        .unwrap();
    assert_eq!(takeaways.authors()[0].name(), "Kristina D.");
}

/// JSON-LD goes inside `<script type="application/ld+json">`: no text of a record can close
/// the element.
#[tokio::test]
async fn json_ld_is_safe_to_embed_in_html() {
    let app = corpus_app().await;
    let secret = crate::writes::admin(&app).await;
    let name = "KCD </script><script>alert(1)</script> & <b>";
    let path = "/api/v1/events/kcd-mexico-2024";
    let changed = crate::writes::patch(&app, path, &secret, serde_json::json!({"name": name}));
    assert_eq!(changed.await.status(), 200);
    let response = app
        .client
        .get(app.url(path))
        .header("Accept", "application/ld+json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "application/ld+json");
    let text = response.text().await.unwrap();
    for c in ['<', '>', '&'] {
        assert!(!text.contains(c), "a raw {c:?} in {text}");
    }
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["name"], name, "the same text once parsed");
}

/// The response cache and the handler choose the variant the same way, q-values honoured: an
/// `Accept` that only looks like JSON-LD gets JSON without storing it as JSON-LD.
#[tokio::test]
async fn the_cache_and_the_handler_agree_on_accept() {
    let app = corpus_app().await;
    let path = "/api/v1/events/kcd-mexico-2024";
    let get = |accept: &'static str| {
        let app = &app;
        async move {
            let response = app
                .client
                .get(app.url(path))
                .header("Accept", accept)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "{accept}");
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .to_owned()
        }
    };
    assert_eq!(get("foo/application/ld+json").await, "application/json");
    assert_eq!(get("application/ld+json").await, "application/ld+json");
    assert_eq!(
        get("application/ld+json;q=0.1, application/json").await,
        "application/json"
    );
    assert_eq!(
        get("application/ld+json, */*;q=0.5").await,
        "application/ld+json"
    );
    // And again, now from the cache.
    assert_eq!(get("application/ld+json").await, "application/ld+json");
    assert_eq!(get("foo/application/ld+json").await, "application/json");
}

#[tokio::test]
async fn an_event_is_json_ld_when_asked() {
    let app = corpus_app().await;
    let response = app
        .client
        .get(app.url("/api/v1/events/kcd-mexico-2024"))
        .header("Accept", "application/ld+json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "application/ld+json");
    let doc: Value = response.json().await.unwrap();
    assert_eq!(doc["@context"], "https://schema.org");
    assert_eq!(doc["@type"], "Event");
    assert_eq!(doc["startDate"], "2024-02-23");
    assert_eq!(doc["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(
        doc["eventAttendanceMode"],
        "https://schema.org/OfflineEventAttendanceMode"
    );
    assert_eq!(doc["location"]["address"]["addressLocality"], "Guadalajara");
    assert_eq!(doc["superEvent"]["name"], "CCOSS 2024");
    assert!(
        doc["performer"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "Whitney Lee")
    );

    // The document describes it: every member is one of `EventJsonLd`'s, the required ones are
    // there, and the things it names are `JsonLdThing`s.
    let spec = serde_json::to_value(api::openapi::spec()).unwrap();
    let schemas = &spec["components"]["schemas"];
    let members = |name: &str, value: &Value| {
        let schema = &schemas[name];
        let known = schema["properties"].as_object().unwrap();
        for key in value.as_object().unwrap().keys() {
            assert!(known.contains_key(key), "{name} has no `{key}`");
        }
        for required in schema["required"].as_array().unwrap() {
            assert!(
                value.get(required.as_str().unwrap()).is_some(),
                "{name} lacks {required}"
            );
        }
    };
    members("EventJsonLd", &doc);
    members("JsonLdThing", &doc["superEvent"]);
    for key in ["performer", "sponsor"] {
        for thing in doc[key].as_array().unwrap() {
            members("JsonLdThing", thing);
        }
    }
    let ld = &spec["paths"]["/api/v1/events/{slug}"]["get"]["responses"]["200"]["content"]["application/ld+json"]
        ["schema"]["$ref"];
    assert_eq!(
        ld, "#/components/schemas/EventJsonLd",
        "a schema, not `{{}}`"
    );

    let plain = app.get("/api/v1/events/kcd-mexico-2024").await;
    assert_eq!(plain.headers()["content-type"], "application/json");
}

/// With the site the posts are published on configured, each entry links to its page there as
/// the `text/html` alternate, absolute; the API record stays the `application/json` one.
#[tokio::test]
async fn atom_entries_link_to_the_post_page() {
    let app = TestApp::spawn_with(|s| {
        s.corpus = Some(crate::import::corpus_dir());
        s.public_url = Some(api::origin::public_url("https://events.example").unwrap());
        s.corpus_site_url = Some(api::origin::public_url("https://blog.example/blog/").unwrap());
    })
    .await;
    let text = app.get("/api/v1/posts.atom").await.text().await.unwrap();
    let feed = atom_syndication::Feed::from_str(&text).expect("valid Atom");
    let ccoss = feed
        .entries()
        .iter()
        .find(|e| e.id() == "urn:eventdir:post:ccoss-kcd-gdl-2024")
        .unwrap();
    let link = |kind: &str| {
        ccoss
            .links()
            .iter()
            .find(|l| l.rel() == "alternate" && l.mime_type() == Some(kind))
            .map(|l| l.href().to_owned())
    };
    assert_eq!(
        link("text/html").as_deref(),
        Some("https://blog.example/blog/ccoss-kcd-gdl-2024/")
    );
    assert_eq!(
        link("application/json").as_deref(),
        Some("https://events.example/api/v1/posts/ccoss-kcd-gdl-2024")
    );
    // Without it, no page is made up.
    let plain = corpus_app().await;
    let text = plain.get("/api/v1/posts.atom").await.text().await.unwrap();
    assert!(!text.contains("text/html"), "{text}");
}
