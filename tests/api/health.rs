use crate::helpers::{TestApp, assert_problem};

#[tokio::test]
async fn healthz_answers_200() {
    let app = TestApp::spawn().await;
    let body = app.get_json("/healthz", 200).await;
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn readyz_answers_200_when_the_database_answers() {
    let app = TestApp::spawn().await;
    let body = app.get_json("/readyz", 200).await;
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn readyz_and_reads_answer_503_when_the_database_is_gone() {
    let app = TestApp::spawn().await;
    // Closing the shared pool is what a lost database looks like to the handlers.
    app.db.close_by_ref().await.expect("close pool");

    let body = assert_problem(app.get("/readyz").await, 503).await;
    assert!(body["detail"].as_str().unwrap().contains("database"));
    let response = app.get("/api/v1/events").await;
    assert!(response.headers().contains_key("retry-after"));
    let body = assert_problem(response, 503).await;
    // Never the database's own message.
    assert!(!body.to_string().to_lowercase().contains("pool"));
}

#[tokio::test]
async fn unknown_paths_are_404_problems() {
    let app = TestApp::spawn().await;
    assert_problem(app.get("/no/such/path").await, 404).await;
}

/// With `metrics_bind`, `/metrics` lives on its own address (which a public Service need not
/// expose) and nowhere else; that address serves nothing but `/metrics`.
#[tokio::test]
async fn metrics_can_be_served_on_a_separate_address() {
    let app = TestApp::spawn_with(|s| s.metrics_bind = Some("127.0.0.1:0".to_owned())).await;
    let metrics = app.metrics_address.clone().expect("a metrics address");
    assert_problem(app.get("/metrics").await, 404).await;
    assert_eq!(app.get("/api/v1/events").await.status(), 200);

    let response = app
        .client
        .get(format!("{metrics}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(text.contains("eventdir_http_requests_total"), "{text}");
    for path in ["/api/v1/events", "/healthz", "/docs"] {
        let other = app
            .client
            .get(format!("{metrics}{path}"))
            .send()
            .await
            .unwrap();
        assert_problem(other, 404).await;
    }
}

#[tokio::test]
async fn without_a_metrics_address_metrics_are_on_the_api_address() {
    let app = TestApp::spawn().await;
    assert!(app.metrics_address.is_none());
    assert_eq!(app.get("/metrics").await.status(), 200);
}
