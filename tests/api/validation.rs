//! Every validation rule of the write API, one test each: 422 naming the field by JSON pointer,
//! and nothing written.

use serde_json::{Value, json};

use crate::fixtures;
use crate::helpers::{TestApp, assert_problem, problem_fields};
use crate::writes::{admin, audit_count, patch, post};

/// A valid event body with `change` merged over it.
fn event_with(change: Value) -> Value {
    let mut body = json!({
        "name": "KCD Lima 2025",
        "kind": "kcd",
        "starts_on": "2025-06-01",
        "ends_on": "2025-06-02",
        "cfp_opens_on": "2025-01-01",
        "cfp_closes_on": "2025-03-01",
    });
    for (key, value) in change.as_object().unwrap() {
        if value.is_null() && key != "kind" {
            body.as_object_mut().unwrap().remove(key);
        } else {
            body[key] = value.clone();
        }
    }
    body
}

/// POSTs `body` to `path` and asserts a 422 that names exactly `fields`, with nothing written.
async fn rejected(app: &TestApp, secret: &str, path: &str, body: Value, fields: &[&str]) -> Value {
    let audit_before = audit_count(app).await;
    let problem = assert_problem(post(app, path, secret, body).await, 422).await;
    let mut named = problem_fields(&problem);
    named.sort();
    let mut expected: Vec<&str> = fields.to_vec();
    expected.sort_unstable();
    assert_eq!(named, expected, "{problem}");
    for error in problem["errors"].as_array().unwrap() {
        assert!(!error["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(audit_count(app).await, audit_before, "nothing audited");
    problem
}

async fn rejected_event(change: Value, field: &str) {
    let app = TestApp::spawn().await;
    let secret = admin(&app).await;
    rejected(
        &app,
        &secret,
        "/api/v1/events",
        event_with(change),
        &[field],
    )
    .await;
    let list = app.get_json("/api/v1/events", 200).await;
    assert!(
        list["data"].as_array().unwrap().is_empty(),
        "no event created"
    );
}

macro_rules! event_rule {
    ($name:ident, $change:tt, $field:literal) => {
        #[tokio::test]
        async fn $name() {
            rejected_event(json!($change), $field).await;
        }
    };
}

event_rule!(name_is_required, {"name": null}, "/name");
event_rule!(kind_is_required, {"kind": null}, "/kind");
event_rule!(name_is_at_most_200_characters, {"name": "x".repeat(201)}, "/name");
event_rule!(name_is_not_empty, {"name": ""}, "/name");
event_rule!(slug_is_lowercase_words_and_hyphens, {"slug": "KCD Lima!"}, "/slug");
event_rule!(website_is_an_http_url, {"website": "ftp://example.org/"}, "/website");
event_rule!(registration_url_is_a_url, {"registration_url": "not a url"}, "/registration_url");
event_rule!(
    website_holds_no_line_break,
    {"website": "https://kcd.example/\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:fake@eventdir"},
    "/website"
);
event_rule!(website_holds_no_tab, {"website": "https://kcd.example/\tx"}, "/website");
event_rule!(registration_url_holds_no_space, {"registration_url": "https://kcd.example/a b"}, "/registration_url");
event_rule!(country_is_iso_3166_alpha_2, {"country": "XX"}, "/country");
event_rule!(kind_is_an_event_kind, {"kind": "festival"}, "/kind");
event_rule!(status_is_an_event_status, {"status": "maybe"}, "/status");
event_rule!(region_is_a_region, {"region": "atlantis"}, "/region");
event_rule!(format_is_a_format, {"format": "telepathic"}, "/format");
event_rule!(timezone_is_an_iana_name, {"timezone": "Mars/Olympus_Mons"}, "/timezone");
event_rule!(ends_on_is_not_before_starts_on, {"ends_on": "2025-05-31"}, "/ends_on");
event_rule!(an_event_lasts_at_most_31_days, {"ends_on": "2025-07-03"}, "/ends_on");
event_rule!(cfp_closes_on_is_not_after_starts_on, {"cfp_closes_on": "2025-06-02"}, "/cfp_closes_on");
event_rule!(cfp_opens_on_is_not_after_cfp_closes_on, {"cfp_opens_on": "2025-03-02"}, "/cfp_opens_on");
event_rule!(attendees_are_not_negative, {"attendees": -1}, "/attendees");
event_rule!(dates_are_dates, {"starts_on": "June 1st"}, "/starts_on");
event_rule!(numbers_are_numbers, {"attendees": "many"}, "/attendees");
event_rule!(co_located_with_is_an_existing_event, {"co_located_with": {"slug": "kubecon-nowhere-2025"}}, "/co_located_with/slug");
event_rule!(unknown_fields_are_rejected, {"venue_name": "WTC"}, "/venue_name");

#[tokio::test]
async fn an_event_is_not_co_located_with_itself() {
    let app = TestApp::spawn().await;
    fixtures::insert_event(&app.db, "kcd-lima-2024", Some("2024-06-01")).await;
    let secret = admin(&app).await;
    let response = patch(
        &app,
        "/api/v1/events/kcd-lima-2024",
        &secret,
        json!({"co_located_with": {"slug": "kcd-lima-2024"}}),
    )
    .await;
    let problem = assert_problem(response, 422).await;
    assert_eq!(problem_fields(&problem), ["/co_located_with"]);
}

#[tokio::test]
async fn a_patch_is_validated_against_the_stored_fields() {
    // The rule holds between a patched field and one already stored.
    let app = TestApp::spawn().await;
    fixtures::insert_event(&app.db, "kcd-lima-2024", Some("2024-06-01")).await;
    let secret = admin(&app).await;
    let path = "/api/v1/events/kcd-lima-2024";
    let response = patch(&app, path, &secret, json!({"ends_on": "2024-05-01"})).await;
    let problem = assert_problem(response, 422).await;
    assert_eq!(problem_fields(&problem), ["/ends_on"]);
    let response = patch(&app, path, &secret, json!({"name": null})).await;
    let problem = assert_problem(response, 422).await;
    assert_eq!(problem_fields(&problem), ["/name"]);
    assert_eq!(audit_count(&app).await, 0);
}

#[tokio::test]
async fn every_wrong_field_is_reported_at_once() {
    let app = TestApp::spawn().await;
    let body = json!({
        "kind": "festival",
        "slug": "Bad Slug",
        "country": "Mexico",
        "timezone": "Nowhere/City",
        "website": "javascript:alert(1)",
        "starts_on": "2025-06-01",
        "ends_on": "2025-05-01",
        "attendees": -5,
        "colour": "blue",
    });
    let secret = admin(&app).await;
    let problem = rejected(
        &app,
        &secret,
        "/api/v1/events",
        body,
        &[
            "/colour",
            "/name",
            "/kind",
            "/country",
            "/slug",
            "/timezone",
            "/website",
            "/attendees",
            "/ends_on",
        ],
    )
    .await;
    assert_eq!(problem["type"], "urn:eventdir:problem:validation");
}

#[tokio::test]
async fn talks_sponsorships_and_organizers_validate_their_fields() {
    let app = TestApp::spawn().await;
    fixtures::insert_event(&app.db, "kcd-lima-2024", Some("2024-06-01")).await;
    let secret = admin(&app).await;
    rejected(
        &app,
        &secret,
        "/api/v1/events/kcd-lima-2024/talks",
        json!({"title": "", "kind": "sermon", "slides_url": "file:///etc/passwd", "speakers": ["nobody"]}),
        &["/title", "/kind", "/slides_url", "/speakers/0"],
    )
    .await;
    rejected(
        &app,
        &secret,
        "/api/v1/events/kcd-lima-2024/sponsors",
        json!({"organization": "nobody", "tier": "unobtainium"}),
        &["/organization", "/tier"],
    )
    .await;
    rejected(
        &app,
        &secret,
        "/api/v1/events/kcd-lima-2024/organizers",
        json!({"person": "nobody", "role": "emperor"}),
        &["/person", "/role"],
    )
    .await;
    rejected(
        &app,
        &secret,
        "/api/v1/speakers",
        json!({"name": "Ana", "github": "github.com/ana", "badges": ["Not A Badge"]}),
        &["/badges", "/github"],
    )
    .await;
    rejected(
        &app,
        &secret,
        "/api/v1/sponsors",
        json!({"logo_url": "data:image/png;base64,AAAA"}),
        &["/name", "/logo_url"],
    )
    .await;
}

/// NUL (which PostgreSQL cannot store in text) and the other control characters are refused
/// where they come in, before any query: a path (404: nothing can be there), a query parameter
/// (400 naming it), a body member (422 naming it); a line break in a description stays welcome.
#[tokio::test]
async fn control_characters_are_refused_where_they_come_in() {
    let app = TestApp::spawn().await;
    fixtures::insert_event(&app.db, "kcd-lima-2024", Some("2024-06-01")).await;
    for path in [
        "/api/v1/events/%00",
        "/api/v1/events/kcd-lima-2024%01/talks",
        "/api/v1/speakers/a%00b",
    ] {
        assert_problem(app.get(path).await, 404).await;
    }
    for (path, field) in [
        ("/api/v1/events?series=%00", "series"),
        ("/api/v1/events?city=Lima%00", "city"),
        ("/api/v1/posts?tag=%1F", "tag"),
        ("/api/v1/search?q=kcd%00", "q"),
    ] {
        let body = assert_problem(app.get(path).await, 400).await;
        assert_eq!(problem_fields(&body), [field], "{path}");
    }
    let secret = admin(&app).await;
    rejected(
        &app,
        &secret,
        "/api/v1/events",
        event_with(json!({"name": "KCD\u{0}Lima"})),
        &["/name"],
    )
    .await;
    let path = "/api/v1/events/kcd-lima-2024";
    let response = patch(&app, path, &secret, json!({"venue": "Centro\u{7}"})).await;
    let body = assert_problem(response, 422).await;
    assert_eq!(problem_fields(&body), ["/venue"]);
    let response = patch(
        &app,
        path,
        &secret,
        json!({"description": "Two days.\nIn Lima."}),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        app.get_json(path, 200).await["description"],
        "Two days.\nIn Lima."
    );
}

/// A URL is kept as the parser that checked it writes it, so no stored text differs from the
/// URL that passed (and every reader sees one spelling).
#[tokio::test]
async fn urls_are_stored_normalized() {
    let app = TestApp::spawn().await;
    fixtures::insert_event(&app.db, "kcd-lima-2024", Some("2024-06-01")).await;
    let secret = admin(&app).await;
    let body = json!({"website": "HTTPS://KCD.Example:443/Lima/../2024", "registration_url": "http://kcd.example"});
    let response = patch(&app, "/api/v1/events/kcd-lima-2024", &secret, body).await;
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.unwrap();
    assert_eq!(page["website"], "https://kcd.example/2024");
    let stored = app.get_json("/api/v1/events/kcd-lima-2024", 200).await;
    assert_eq!(stored["registration_url"], "http://kcd.example/");
}
