//! No crash from a request, bounded work under overload, and metrics after traffic.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use actix_web::{HttpResponse, web};

use crate::helpers::{TestApp, assert_problem};

async fn panics() -> HttpResponse {
    panic!("a handler bug");
}

static SLOW_ENTERED: AtomicUsize = AtomicUsize::new(0);

async fn slow() -> HttpResponse {
    SLOW_ENTERED.fetch_add(1, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_secs(3)).await;
    HttpResponse::Ok().body("done")
}

async fn very_slow() -> HttpResponse {
    tokio::time::sleep(Duration::from_secs(60)).await;
    HttpResponse::Ok().body("never")
}

fn misbehaving(cfg: &mut web::ServiceConfig) {
    cfg.route("/test/panic", web::get().to(panics))
        .route("/test/slow", web::get().to(slow))
        .route("/test/very-slow", web::get().to(very_slow));
}

#[tokio::test]
async fn a_panic_is_a_500_problem_and_the_server_keeps_serving() {
    let app = TestApp::spawn_with_routes(|_| {}, misbehaving).await;
    for _ in 0..3 {
        let response = app
            .client
            .get(app.url("/test/panic"))
            .header("X-Request-Id", "panic-1")
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["x-request-id"], "panic-1");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        let problem = assert_problem(response, 500).await;
        assert!(
            !problem["detail"].as_str().unwrap().contains("handler bug"),
            "no internals"
        );
        assert_eq!(app.get("/healthz").await.status(), 200);
    }
    assert_eq!(app.get("/api/v1/events").await.status(), 200);
}

#[tokio::test]
async fn past_the_in_flight_bound_requests_get_503_at_once() {
    let app = TestApp::spawn_with_routes(|s| s.max_in_flight = 1, misbehaving).await;
    let before = SLOW_ENTERED.load(Ordering::SeqCst);
    let slow = tokio::spawn({
        let client = app.client.clone();
        let url = app.url("/test/slow");
        async move { client.get(url).send().await.unwrap().status().as_u16() }
    });
    while SLOW_ENTERED.load(Ordering::SeqCst) == before {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let refused = app.get("/healthz").await;
    assert_eq!(refused.headers()["retry-after"], "1");
    assert_problem(refused, 503).await;
    assert_eq!(slow.await.unwrap(), 200, "the request in flight finishes");
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn a_request_past_the_timeout_is_cancelled_with_503() {
    let app =
        TestApp::spawn_with_routes(|s| s.request_timeout = Duration::from_secs(1), misbehaving)
            .await;
    let response = app.get("/test/very-slow").await;
    assert!(response.headers().contains_key("retry-after"));
    assert!(response.headers().contains_key("x-request-id"));
    assert_problem(response, 503).await;
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_show_the_pool_and_cache() {
    let app = TestApp::spawn_with(|s| s.corpus = Some(crate::import::corpus_dir())).await;
    for _ in 0..3 {
        assert_eq!(
            app.get("/api/v1/events/kcd-mexico-2024").await.status(),
            200
        );
    }
    assert_eq!(app.get("/api/v1/events/no-such-event").await.status(), 404);
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = response.text().await.unwrap();
    let has = |line: &str| text.lines().any(|l| l.starts_with(line));
    assert!(
        has(
            r#"eventdir_http_requests_total{route="/api/v1/events/{slug}",method="GET",status="200"} 3"#
        ),
        "{text}"
    );
    assert!(has(
        r#"eventdir_http_requests_total{route="/api/v1/events/{slug}",method="GET",status="404"} 1"#
    ));
    assert!(has(
        r#"eventdir_http_request_duration_seconds_bucket{route="/api/v1/events/{slug}",method="GET",le="+Inf"} 4"#
    ));
    assert!(has(r#"eventdir_db_pool_connections{state="idle"}"#));
    assert!(has(r#"eventdir_db_pool_connections{state="in_use"}"#));
    assert!(
        has("eventdir_cache_hits_total 2"),
        "two of three reads from the cache"
    );
    assert!(has("eventdir_cache_misses_total"));
    let imported = text
        .lines()
        .find(|l| l.starts_with(r#"eventdir_import_posts_total{outcome="imported"}"#))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap();
    assert!(imported >= 5, "{imported} posts imported at start-up");
}

/// A client cannot grow `/metrics`: methods outside the standard ones count as one `OTHER`,
/// and are answered before routing: 405 with `Allow` on a known path, 404 elsewhere.
#[tokio::test]
async fn custom_methods_count_under_one_label() {
    let app = TestApp::spawn().await;
    for i in 0..30 {
        let method = reqwest::Method::from_bytes(format!("XMETHOD{i}").as_bytes()).unwrap();
        let path = ["/x", "/api/v1/events", "/metrics"][i % 3];
        let response = app
            .client
            .request(method, app.url(path))
            .send()
            .await
            .unwrap();
        if path == "/x" {
            crate::helpers::assert_problem(response, 404).await;
        } else {
            let allow = response.headers()["allow"].to_str().unwrap().to_owned();
            assert!(allow.contains("GET"), "{allow}");
            crate::helpers::assert_problem(response, 405).await;
        }
    }
    let text = app.get("/metrics").await.text().await.unwrap();
    assert!(
        !text.contains("XMETHOD"),
        "a client's method became a label"
    );
    let other: u64 = text
        .lines()
        .filter(|l| {
            l.starts_with("eventdir_http_requests_total") && l.contains(r#"method="OTHER""#)
        })
        .filter_map(|l| l.split_whitespace().last()?.parse::<u64>().ok())
        .sum();
    assert_eq!(other, 30);
}

/// The value of an unlabelled metric in `/metrics`.
async fn metric(app: &TestApp, name: &str) -> Option<u64> {
    let text = app.get("/metrics").await.text().await.ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

/// Polls `metric` until `ok` holds for its value (10 s at most); the last value.
async fn metric_until(app: &TestApp, name: &str, ok: impl Fn(u64) -> bool) -> Option<u64> {
    let mut last = None;
    for _ in 0..100 {
        last = metric(app, name).await;
        if last.is_some_and(&ok) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    last
}

#[tokio::test]
async fn metrics_count_operations_waiting_for_a_pooled_connection() {
    use sea_orm::TransactionTrait as _;
    // The count comes from the process's log subscriber (kept silent here).
    api::telemetry::init_with("off", false);
    let app = TestApp::spawn_with(|s| {
        s.database.max_connections = 1;
        s.database.acquire_timeout = Duration::from_secs(30);
    })
    .await;
    // The one connection is taken: every read now waits for it.
    let held = app.db.begin().await.unwrap();
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let request = app.client.get(app.url("/api/v1/events")).send();
            tokio::spawn(request)
        })
        .collect();
    // Other tests of this process may add waits of their own, never take these away.
    let waiting = metric_until(&app, "eventdir_db_pool_waiting", |n| n >= 3).await;
    assert!(waiting.is_some_and(|n| n >= 3), "waiting: {waiting:?}");
    held.rollback().await.unwrap();
    for reader in readers {
        assert_eq!(reader.await.unwrap().unwrap().status(), 200);
    }
    let waiting = metric_until(&app, "eventdir_db_pool_waiting", |n| n < 3).await;
    assert!(
        waiting.is_some_and(|n| n < 3),
        "the served reads stopped waiting: {waiting:?}"
    );
}
