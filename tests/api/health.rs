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
