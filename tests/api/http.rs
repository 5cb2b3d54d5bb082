//! HTTP behaviour shared by every read: ETags, caching, CORS, compression, request ids, HEAD.

use crate::helpers::TestApp;

#[tokio::test]
async fn reads_carry_a_strong_etag_and_revalidate_with_304() {
    let app = TestApp::spawn().await;
    crate::fixtures::insert_event(&app.db, "kcd-a", Some("2024-01-01")).await;

    let first = app.get("/api/v1/events/kcd-a").await;
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert!(
        etag.starts_with('"') && etag.ends_with('"'),
        "strong: {etag}"
    );
    assert_eq!(first.headers()["cache-control"], "public, max-age=60");

    let again = app
        .client
        .get(app.url("/api/v1/events/kcd-a"))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"], etag.as_str());
    assert!(again.bytes().await.unwrap().is_empty());

    let other = app
        .client
        .get(app.url("/api/v1/events/kcd-a"))
        .header("If-None-Match", "\"stale\"")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200);

    // A change in the data changes the tag.
    crate::fixtures::insert_event(&app.db, "kcd-b", Some("2024-02-01")).await;
    crate::fixtures::changed(&app.db).await;
    let list1 = app.get("/api/v1/events").await.headers()["etag"].clone();
    crate::fixtures::insert_event(&app.db, "kcd-c", Some("2024-03-01")).await;
    crate::fixtures::changed(&app.db).await;
    let list2 = app.get("/api/v1/events").await.headers()["etag"].clone();
    assert_ne!(list1, list2);
}

#[tokio::test]
async fn the_cache_lifetime_is_configurable() {
    let app = TestApp::spawn_with(|s| s.cache_max_age = 5).await;
    assert_eq!(
        app.get("/api/v1/events").await.headers()["cache-control"],
        "public, max-age=5"
    );
}

#[tokio::test]
async fn errors_are_not_cached_or_tagged() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/events/none").await;
    assert_eq!(response.status(), 404);
    assert!(!response.headers().contains_key("etag"));
    assert!(!response.headers().contains_key("cache-control"));
}

#[tokio::test]
async fn browsers_on_other_origins_may_read() {
    let app = TestApp::spawn().await;
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/events"))
        .header("Origin", "https://kcd.example.org")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "if-none-match")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "https://kcd.example.org"
    );
    let methods = preflight.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(methods.contains("GET"), "{methods}");

    let read = app
        .client
        .get(app.url("/api/v1/events"))
        .header("Origin", "https://kcd.example.org")
        .send()
        .await
        .unwrap();
    assert_eq!(
        read.headers()["access-control-allow-origin"],
        "https://kcd.example.org"
    );
    let exposed = read.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(
        exposed.contains("etag") && exposed.contains("link"),
        "{exposed}"
    );
}

#[tokio::test]
async fn allowed_origins_can_be_restricted() {
    let app =
        TestApp::spawn_with(|s| s.cors_origins = vec!["https://allowed.example".into()]).await;
    let ok = app
        .client
        .get(app.url("/api/v1/events"))
        .header("Origin", "https://allowed.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        ok.headers()["access-control-allow-origin"],
        "https://allowed.example"
    );
    let other = app
        .client
        .get(app.url("/api/v1/events"))
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(!other.headers().contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn responses_are_compressed_when_asked() {
    let app = TestApp::spawn().await;
    for i in 0..30 {
        crate::fixtures::insert_event(&app.db, &format!("kcd-{i}"), Some("2024-01-01")).await;
    }
    for encoding in ["gzip", "br"] {
        let response = app
            .client
            .get(app.url("/api/v1/events?limit=30"))
            .header("Accept-Encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-encoding"], encoding);
    }
}

#[tokio::test]
async fn request_ids_are_echoed_or_made() {
    let app = TestApp::spawn().await;
    let echoed = app
        .client
        .get(app.url("/healthz"))
        .header("X-Request-Id", "trace-42")
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.headers()["x-request-id"], "trace-42");
    let made = app.get("/api/v1/events/none").await;
    let id = made.headers()["x-request-id"].to_str().unwrap().to_owned();
    let again = app.get("/api/v1/events/none").await;
    let next = again.headers()["x-request-id"].to_str().unwrap();
    // A per-process random prefix and a counter: unique, and the same prefix in one process.
    let (prefix, _) = id.rsplit_once('-').expect("prefix-counter");
    assert_eq!(prefix.len(), 12, "{id}");
    assert_ne!(id, next);
    assert!(next.starts_with(prefix));
    let bogus = app
        .client
        .get(app.url("/healthz"))
        .header("X-Request-Id", "no spaces allowed")
        .send()
        .await
        .unwrap();
    assert_ne!(bogus.headers()["x-request-id"], "no spaces allowed");
}

#[tokio::test]
async fn head_answers_like_get_without_a_body() {
    let app = TestApp::spawn().await;
    crate::fixtures::insert_event(&app.db, "kcd-a", Some("2024-01-01")).await;
    for path in [
        "/api/v1/events",
        "/api/v1/events/kcd-a",
        "/api/v1/events/kcd-a/talks",
        "/healthz",
    ] {
        let get = app.get(path).await;
        let head = app.client.head(app.url(path)).send().await.unwrap();
        assert_eq!(head.status(), 200, "{path}");
        assert_eq!(
            head.headers().get("etag"),
            get.headers().get("etag"),
            "{path}"
        );
        assert_eq!(
            head.headers().get("content-type"),
            get.headers().get("content-type")
        );
        assert!(head.bytes().await.unwrap().is_empty());
    }
    let missing = app
        .client
        .head(app.url("/api/v1/events/none"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn a_known_path_with_another_method_is_405_with_allow() {
    let app = TestApp::spawn().await;
    for (method, path, allow) in [
        ("DELETE", "/api/v1/events", "GET, POST, HEAD, OPTIONS"),
        ("TRACE", "/healthz", "GET, HEAD, OPTIONS"),
        (
            "PUT",
            "/api/v1/events/kcd-a",
            "DELETE, GET, PATCH, HEAD, OPTIONS",
        ),
        ("POST", "/api/v1/changes", "GET, HEAD, OPTIONS"),
    ] {
        let response = app
            .client
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                app.url(path),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["allow"], allow, "{method} {path}");
        crate::helpers::assert_problem(response, 405).await;
    }
    crate::helpers::assert_problem(
        app.client
            .delete(app.url("/no/such/path"))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    for path in ["/healthz", "/api/v1/events", "/api/v1/events/none"] {
        let response = app.get(path).await;
        assert_eq!(
            response.headers()["x-content-type-options"],
            "nosniff",
            "{path}"
        );
        assert_eq!(
            response.headers()["referrer-policy"],
            "no-referrer",
            "{path}"
        );
        assert!(
            !response.headers().contains_key("server"),
            "no version banner"
        );
    }
}
