use sea_orm::{ActiveModelTrait, Set};
use serde_json::Value;

use crate::fixtures::{insert_event, now};
use crate::helpers::{TestApp, assert_problem, problem_fields};
use entity::sea_orm_active_enums::EventStatus;

fn slugs(body: &Value) -> Vec<String> {
    body["data"]
        .as_array()
        .expect("data array")
        .iter()
        .map(|e| e["slug"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn an_empty_directory_lists_no_events() {
    let app = TestApp::spawn().await;
    let body = app.get_json("/api/v1/events", 200).await;
    assert_eq!(body["data"], serde_json::json!([]));
    assert_eq!(body["page"]["limit"], 20);
    assert_eq!(body["page"]["next_cursor"], Value::Null);
}

#[tokio::test]
async fn events_are_listed_newest_first_without_unverified_or_deleted_ones() {
    let app = TestApp::spawn().await;
    insert_event(&app.db, "kcd-a-2023", Some("2023-05-01")).await;
    insert_event(&app.db, "kcd-b-2025", Some("2025-05-01")).await;
    insert_event(&app.db, "kcd-c-2024", Some("2024-05-01")).await;
    insert_event(&app.db, "kcd-undated", None).await;
    let mut hidden = crate::fixtures::event("kcd-unverified", Some("2024-06-01"));
    hidden.status = Set(EventStatus::Unverified);
    hidden.insert(&app.db).await.unwrap();
    let mut deleted = crate::fixtures::event("kcd-deleted", Some("2024-07-01"));
    deleted.deleted_at = Set(Some(now()));
    deleted.insert(&app.db).await.unwrap();

    let body = app.get_json("/api/v1/events", 200).await;

    // An undated event counts as later than every date: first, newest first…
    assert_eq!(
        slugs(&body),
        ["kcd-undated", "kcd-b-2025", "kcd-c-2024", "kcd-a-2023"]
    );
    // …and last, earliest first.
    let ascending = app.get_json("/api/v1/events?sort=starts_on", 200).await;
    assert_eq!(
        slugs(&ascending),
        ["kcd-a-2023", "kcd-c-2024", "kcd-b-2025", "kcd-undated"]
    );
    let first = &body["data"][1];
    assert_eq!(first["starts_on"], "2025-05-01");
    assert_eq!(first["kind"], "kcd");
    assert_eq!(first["status"], "scheduled");
}

#[tokio::test]
async fn walking_pages_of_one_returns_every_event_once() {
    let app = TestApp::spawn().await;
    // Two events share a start date: the id breaks the tie.
    for (slug, date) in [
        ("e1", Some("2024-01-01")),
        ("e2", Some("2024-01-01")),
        ("e3", Some("2023-01-01")),
        ("e4", None),
        ("e5", None),
    ] {
        insert_event(&app.db, slug, date).await;
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/events?limit=1".to_owned();
    for _ in 0..10 {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 200);
        let link = response
            .headers()
            .get("link")
            .map(|v| v.to_str().unwrap().to_owned());
        let body: Value = response.json().await.unwrap();
        seen.extend(slugs(&body));
        match body["page"]["next_cursor"].as_str() {
            Some(cursor) => {
                let link = link.expect("a Link header when there is a next page");
                assert!(link.ends_with("rel=\"next\""), "{link}");
                assert!(link.contains(cursor));
                let target = link
                    .trim_start_matches('<')
                    .split('>')
                    .next()
                    .unwrap()
                    .to_owned();
                assert!(
                    target.starts_with("/api/v1/events?limit=1&cursor="),
                    "{target}"
                );
                path = target;
            }
            None => {
                assert!(link.is_none());
                break;
            }
        }
    }
    assert_eq!(seen, ["e4", "e5", "e2", "e1", "e3"]);
}

#[tokio::test]
async fn an_event_is_served_by_slug() {
    let app = TestApp::spawn().await;
    let mut event = crate::fixtures::event("kcd-mexico-2024", Some("2024-02-23"));
    event.name = Set("KCD Mexico 2024".into());
    event.city = Set(Some("Guadalajara".into()));
    event.country = Set(Some("MX".into()));
    event.attendees = Set(Some(300));
    event.ends_on = Set(Some(crate::fixtures::date("2024-02-24")));
    event.insert(&app.db).await.unwrap();

    let body = app.get_json("/api/v1/events/kcd-mexico-2024", 200).await;

    assert_eq!(body["slug"], "kcd-mexico-2024");
    assert_eq!(body["name"], "KCD Mexico 2024");
    assert_eq!(body["starts_on"], "2024-02-23");
    assert_eq!(body["ends_on"], "2024-02-24");
    assert_eq!(body["city"], "Guadalajara");
    assert_eq!(body["country"], "MX");
    assert_eq!(body["attendees"], 300);
    assert_eq!(body["version"], 1);
}

#[tokio::test]
async fn an_unknown_slug_is_a_404_problem() {
    let app = TestApp::spawn().await;
    let body = assert_problem(app.get("/api/v1/events/no-such-event").await, 404).await;
    assert!(body["detail"].as_str().unwrap().contains("no-such-event"));
}

#[tokio::test]
async fn a_deleted_event_is_a_404() {
    let app = TestApp::spawn().await;
    let mut deleted = crate::fixtures::event("gone", Some("2024-07-01"));
    deleted.deleted_at = Set(Some(now()));
    deleted.insert(&app.db).await.unwrap();
    assert_problem(app.get("/api/v1/events/gone").await, 404).await;
}

#[tokio::test]
async fn bad_query_values_are_400_problems_naming_the_parameter() {
    let app = TestApp::spawn().await;
    for (query, field) in [
        ("limit=abc", "limit"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=-1", "limit"),
        ("cursor=not-a-cursor", "cursor"),
        ("colour=red", "colour"),
    ] {
        let body = assert_problem(app.get(&format!("/api/v1/events?{query}")).await, 400).await;
        assert_eq!(problem_fields(&body), [field], "{query}");
    }
}
