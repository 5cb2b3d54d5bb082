//! The response cache: repeated reads cost no statement, and no read is stale after a write —
//! through this server, or through another process on the same database.

use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::json;

use crate::cli::{Server, eventdir};
use crate::fixtures;
use crate::helpers::{TestApp, spawn_counting_with};
use crate::writes::{admin, patch};

#[tokio::test]
async fn a_repeated_read_is_served_from_memory() {
    let (app, count) =
        spawn_counting_with(|s| s.cache_max_staleness = Duration::from_secs(3600)).await;
    let first = app.get("/api/v1/events?kind=kcd&limit=5").await;
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].clone();
    let body = first.text().await.unwrap();
    let before = count.load(Ordering::SeqCst);
    // The same request, its parameters in another order.
    let again = app.get("/api/v1/events?limit=5&kind=kcd").await;
    assert_eq!(again.headers()["etag"], etag);
    assert_eq!(again.text().await.unwrap(), body);
    let revalidated = app
        .client
        .get(app.url("/api/v1/events?kind=kcd&limit=5"))
        .header("If-None-Match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(revalidated.status(), 304);
    assert_eq!(
        count.load(Ordering::SeqCst),
        before,
        "no statement for a cached read"
    );
    // Another representation of the same path is its own entry.
    let ld = app
        .client
        .get(app.url("/api/v1/events/kcd-mexico-2024"))
        .header("Accept", "application/ld+json")
        .send()
        .await
        .unwrap();
    assert!(
        ld.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("ld+json")
    );
    let json = app.get("/api/v1/events/kcd-mexico-2024").await;
    assert!(
        json.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
}

#[tokio::test]
async fn a_write_is_visible_on_the_next_read_from_this_server() {
    // Trusting its data version for an hour, the server still sees its own writes at once.
    let app = TestApp::spawn_with(|s| s.cache_max_staleness = Duration::from_secs(3600)).await;
    fixtures::insert_event(&app.db, "kcd-lima-2024", Some("2024-06-01")).await;
    fixtures::changed(&app.db).await;
    let secret = admin(&app).await;
    let path = "/api/v1/events/kcd-lima-2024";
    assert_eq!(
        app.get_json(path, 200).await["city"],
        serde_json::Value::Null
    );
    assert_eq!(
        app.get_json("/api/v1/events?city=Lima", 200).await["data"],
        json!([])
    );
    let response = patch(&app, path, &secret, json!({"city": "Lima"})).await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.get_json(path, 200).await["city"], "Lima");
    let list = app.get_json("/api/v1/events?city=Lima", 200).await;
    assert_eq!(list["data"][0]["slug"], "kcd-lima-2024");
}

#[tokio::test]
async fn writes_through_another_process_are_visible_to_this_one() {
    let app = TestApp::spawn().await;
    fixtures::insert_event(&app.db, "kcd-lima-2024", Some("2024-06-01")).await;
    fixtures::changed(&app.db).await;
    let secret = admin(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = eventdir(dir.path());
    cmd.args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", app.database_url())
        .env("EVENTDIR_CACHE_MAX_STALENESS_MS", "0");
    let other = Server::start(cmd);
    let client = reqwest::Client::new();
    let read_other = |path: &'static str| {
        let client = client.clone();
        let url = other.url(path);
        async move {
            let response = client.get(url).send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.json::<serde_json::Value>().await.unwrap()
        }
    };
    let path = "/api/v1/events/kcd-lima-2024";
    assert_eq!(read_other(path).await["city"], serde_json::Value::Null);
    assert_eq!(
        read_other(path).await["city"],
        serde_json::Value::Null,
        "now cached"
    );

    // Written through this server, read from the other process.
    assert_eq!(
        patch(&app, path, &secret, json!({"city": "Lima"}))
            .await
            .status(),
        200
    );
    assert_eq!(read_other(path).await["city"], "Lima");

    // Written through the other process, read from this one.
    let tag = client.get(other.url(path)).send().await.unwrap().headers()["etag"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.get_json(path, 200).await["venue"],
        serde_json::Value::Null
    );
    let response = client
        .patch(other.url(path))
        .bearer_auth(&secret)
        .header("If-Match", tag)
        .json(&json!({"venue": "Centro de Convenciones"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        app.get_json(path, 200).await["venue"],
        "Centro de Convenciones"
    );
}
