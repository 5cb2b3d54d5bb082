//! The write API: tokens and scopes, merge patches with preconditions, soft deletes, audit.

use entity::sea_orm_active_enums::TokenRole;
use reqwest::{Method, Response};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::fixtures;
use crate::helpers::{TestApp, assert_problem, problem_fields};

/// A token made the way `eventdir token create` makes it; returns its secret.
pub async fn token(
    app: &TestApp,
    name: &str,
    role: TokenRole,
    events: &[&str],
    series: &[&str],
) -> String {
    let events: Vec<String> = events.iter().map(|s| (*s).to_owned()).collect();
    let series: Vec<String> = series.iter().map(|s| (*s).to_owned()).collect();
    api::services::tokens::create(&app.db, name, role, &events, &series)
        .await
        .expect("create token")
        .1
}

pub async fn admin(app: &TestApp) -> String {
    token(app, "admin", TokenRole::Admin, &[], &[]).await
}

/// Sends a write with a bearer token, an optional `If-Match` and a JSON body.
pub async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    secret: Option<&str>,
    if_match: Option<&str>,
    body: Option<Value>,
) -> Response {
    let mut request = app.client.request(method, app.url(path));
    if let Some(secret) = secret {
        request = request.bearer_auth(secret);
    }
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    if let Some(body) = body {
        request = request
            .header("Content-Type", "application/merge-patch+json")
            .body(body.to_string());
    }
    request.send().await.expect("request")
}

pub async fn post(app: &TestApp, path: &str, secret: &str, body: Value) -> Response {
    send(app, Method::POST, path, Some(secret), None, Some(body)).await
}

/// The current `ETag` of a resource, from a GET.
pub async fn etag(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "GET {path}");
    response.headers()["etag"].to_str().unwrap().to_owned()
}

/// PATCHes with the resource's current ETag.
pub async fn patch(app: &TestApp, path: &str, secret: &str, body: Value) -> Response {
    let tag = etag(app, path).await;
    send(
        app,
        Method::PATCH,
        path,
        Some(secret),
        Some(&tag),
        Some(body),
    )
    .await
}

/// DELETEs with the resource's current ETag.
pub async fn delete(app: &TestApp, path: &str, secret: &str) -> Response {
    let tag = etag(app, path).await;
    send(app, Method::DELETE, path, Some(secret), Some(&tag), None).await
}

pub async fn audit_count(app: &TestApp) -> u64 {
    entity::audit_entry::Entity::find()
        .count(&app.db)
        .await
        .unwrap()
}

async fn event_count(app: &TestApp) -> u64 {
    entity::event::Entity::find().count(&app.db).await.unwrap()
}

fn new_event() -> Value {
    json!({
        "name": "KCD Mexico 2025",
        "kind": "kcd",
        "series": {"slug": "kcd-mexico", "name": "KCD Mexico"},
        "starts_on": "2025-05-16",
        "ends_on": "2025-05-17",
        "timezone": "America/Mexico_City",
        "city": "Mexico City",
        "country": "MX",
        "region": "latam",
        "format": "in_person",
        "website": "https://community.cncf.io/kcd-mexico/",
        "cfp_opens_on": "2025-01-10",
        "cfp_closes_on": "2025-03-01",
        "attendees": 600
    })
}

#[tokio::test]
async fn writes_without_a_valid_token_are_401_with_a_challenge() {
    let app = TestApp::spawn().await;
    let secret = token(&app, "gone", TokenRole::Admin, &[], &[]).await;
    api::services::tokens::revoke(&app.db, "gone")
        .await
        .unwrap();

    let missing = send(
        &app,
        Method::POST,
        "/api/v1/events",
        None,
        None,
        Some(new_event()),
    )
    .await;
    assert_eq!(
        missing.headers()["www-authenticate"],
        r#"Bearer realm="eventdir""#
    );
    assert_problem(missing, 401).await;

    for secret in ["edt_not-a-token", secret.as_str()] {
        let response = post(&app, "/api/v1/events", secret, new_event()).await;
        assert!(
            response.headers()["www-authenticate"]
                .to_str()
                .unwrap()
                .contains("invalid_token")
        );
        assert_problem(response, 401).await;
    }
    let basic = app
        .client
        .post(app.url("/api/v1/events"))
        .header("Authorization", "Basic YWRtaW46YWRtaW4=")
        .json(&new_event())
        .send()
        .await
        .unwrap();
    assert_problem(basic, 401).await;
    assert_eq!(event_count(&app).await, 0);
    assert_eq!(audit_count(&app).await, 0);
}

#[tokio::test]
async fn an_admin_creates_changes_and_deletes_an_event() {
    let app = TestApp::spawn().await;
    let secret = admin(&app).await;

    let created = post(&app, "/api/v1/events", &secret, new_event()).await;
    assert_eq!(created.status(), 201);
    assert_eq!(
        created.headers()["location"],
        "/api/v1/events/kcd-mexico-2025"
    );
    let tag = created.headers()["etag"].to_str().unwrap().to_owned();
    let body: Value = created.json().await.unwrap();
    assert_eq!(body["slug"], "kcd-mexico-2025", "slug made from the name");
    // No status given: the dates (in the past) give it.
    assert_eq!(body["status"], "completed");
    assert_eq!(body["status_basis"], "dates");
    assert_eq!(body["year"], 2025);
    // The ETag of the write is the ETag a GET gives.
    assert_eq!(etag(&app, "/api/v1/events/kcd-mexico-2025").await, tag);

    let changed = send(
        &app,
        Method::PATCH,
        "/api/v1/events/kcd-mexico-2025",
        Some(&secret),
        Some(&tag),
        Some(json!({"status": "scheduled", "venue": "WTC Mexico", "attendees": null})),
    )
    .await;
    assert_eq!(changed.status(), 200);
    let new_tag = changed.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(new_tag, tag);
    let body: Value = changed.json().await.unwrap();
    assert_eq!(body["status"], "scheduled");
    assert_eq!(body["venue"], "WTC Mexico");
    assert_eq!(body["attendees"], Value::Null, "null clears a field");
    assert_eq!(body["city"], "Mexico City", "absent members stay");
    assert_eq!(etag(&app, "/api/v1/events/kcd-mexico-2025").await, new_tag);

    // Plain JSON is accepted for a patch too.
    let plain = app
        .client
        .patch(app.url("/api/v1/events/kcd-mexico-2025"))
        .bearer_auth(&secret)
        .header("If-Match", &new_tag)
        .json(&json!({"attendees": 650}))
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 200);

    let deleted = delete(&app, "/api/v1/events/kcd-mexico-2025", &secret).await;
    assert_eq!(deleted.status(), 204);
    assert_problem(app.get("/api/v1/events/kcd-mexico-2025").await, 404).await;
    let list = app.get_json("/api/v1/events", 200).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 0, "gone from lists");
    // The row stays, marked deleted, and the history keeps every step.
    let row = entity::event::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(row.deleted_at.is_some());
    let actions: Vec<String> = entity::audit_entry::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|e| e.action.to_string())
        .collect();
    assert_eq!(actions, ["create", "update", "update", "delete"]);
}

/// `co_located_with` changes the event it names (its page, JSON-LD, ETag, whether it can be
/// deleted): an organizer may set it only to an event it may edit as well.
#[tokio::test]
async fn co_location_needs_the_right_to_edit_the_other_event() {
    let app = TestApp::spawn().await;
    fixtures::insert_event(&app.db, "kcd-lima-2024", Some("2024-06-01")).await;
    fixtures::insert_event(&app.db, "kcd-quito-2024", Some("2024-06-01")).await;
    fixtures::insert_event(&app.db, "kubecon-na-2024", Some("2024-06-01")).await;
    let lima = token(
        &app,
        "lima",
        TokenRole::Organizer,
        &["kcd-lima-2024", "kcd-quito-2024"],
        &["kcd-lima"],
    )
    .await;
    let target = "/api/v1/events/kubecon-na-2024";
    let target_tag = etag(&app, target).await;
    let audited = audit_count(&app).await;

    let link = json!({"co_located_with": {"slug": "kubecon-na-2024"}});
    let refused = patch(&app, "/api/v1/events/kcd-lima-2024", &lima, link.clone()).await;
    let problem = assert_problem(refused, 403).await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("co_located_with") && detail.contains("kubecon-na-2024"),
        "{detail}"
    );
    let created = json!({"name": "KCD Lima 2025", "kind": "kcd",
        "series": {"slug": "kcd-lima", "name": "KCD Lima"},
        "co_located_with": {"slug": "kubecon-na-2024"}});
    assert_problem(post(&app, "/api/v1/events", &lima, created).await, 403).await;
    // Nothing changed: not the other event's representation, not the audit log.
    assert_eq!(etag(&app, target).await, target_tag);
    assert_eq!(audit_count(&app).await, audited);
    let page = app.get_json(target, 200).await;
    assert_eq!(page["co_located_events"], json!([]));

    // An event the token may edit is fine; so is anything for an admin.
    let own = json!({"co_located_with": {"slug": "kcd-quito-2024"}});
    let linked = patch(&app, "/api/v1/events/kcd-lima-2024", &lima, own).await;
    assert_eq!(linked.status(), 200);
    let admin = admin(&app).await;
    let by_admin = patch(&app, "/api/v1/events/kcd-lima-2024", &admin, link).await;
    assert_eq!(by_admin.status(), 200);
    // A link the token did not make stays while it edits other fields, and it may remove it.
    let edit = patch(
        &app,
        "/api/v1/events/kcd-lima-2024",
        &lima,
        json!({"city": "Lima"}),
    )
    .await;
    assert_eq!(edit.status(), 200);
    let unlink = json!({"co_located_with": null});
    let removed = patch(&app, "/api/v1/events/kcd-lima-2024", &lima, unlink).await;
    assert_eq!(removed.status(), 200);
}

#[tokio::test]
async fn organizers_edit_their_events_and_create_in_their_series() {
    let app = TestApp::spawn().await;
    fixtures::insert_event(&app.db, "kcd-lima-2024", Some("2024-06-01")).await;
    fixtures::insert_event(&app.db, "kcd-sao-paulo-2024", Some("2024-07-01")).await;
    let lima = token(
        &app,
        "lima",
        TokenRole::Organizer,
        &["kcd-lima-2024"],
        &["kcd-lima"],
    )
    .await;

    let own = patch(
        &app,
        "/api/v1/events/kcd-lima-2024",
        &lima,
        json!({"city": "Lima"}),
    )
    .await;
    assert_eq!(own.status(), 200);

    let other = patch(
        &app,
        "/api/v1/events/kcd-sao-paulo-2024",
        &lima,
        json!({"city": "x"}),
    )
    .await;
    let problem = assert_problem(other, 403).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("kcd-sao-paulo-2024")
    );

    let next = json!({"name": "KCD Lima 2025", "kind": "kcd",
        "series": {"slug": "kcd-lima", "name": "KCD Lima"}});
    let created = post(&app, "/api/v1/events", &lima, next).await;
    assert_eq!(created.status(), 201);
    // An event of their series is theirs to edit, too.
    let edit = patch(
        &app,
        "/api/v1/events/kcd-lima-2025",
        &lima,
        json!({"country": "PE"}),
    )
    .await;
    assert_eq!(edit.status(), 200);
    // …but not to move out of their series.
    let moved = patch(
        &app,
        "/api/v1/events/kcd-lima-2025",
        &lima,
        json!({"series": {"slug": "kcd-quito", "name": "KCD Quito"}}),
    )
    .await;
    assert_problem(moved, 403).await;

    for body in [
        json!({"name": "KCD Quito 2025", "kind": "kcd",
            "series": {"slug": "kcd-quito", "name": "KCD Quito"}}),
        json!({"name": "KCD Nowhere 2025", "kind": "kcd"}),
    ] {
        assert_problem(post(&app, "/api/v1/events", &lima, body).await, 403).await;
    }
    // The children of another event are out of scope too.
    let talk = post(
        &app,
        "/api/v1/events/kcd-sao-paulo-2024/talks",
        &lima,
        json!({"title": "Hello"}),
    )
    .await;
    assert_problem(talk, 403).await;
    // People can be added by organizers, but only admins change them.
    let person = post(
        &app,
        "/api/v1/speakers",
        &lima,
        json!({"name": "Ana Torres"}),
    )
    .await;
    assert_eq!(person.status(), 201);
    let rename = patch(
        &app,
        "/api/v1/speakers/ana-torres",
        &lima,
        json!({"company": "ACME"}),
    )
    .await;
    assert_problem(rename, 403).await;
    let admin = admin(&app).await;
    let rename = patch(
        &app,
        "/api/v1/speakers/ana-torres",
        &admin,
        json!({"company": "ACME"}),
    )
    .await;
    assert_eq!(rename.status(), 200);
    // Only what succeeded is audited: 2 event updates, 1 event create, 1 person create, 1 person update.
    assert_eq!(audit_count(&app).await, 5);
}

#[tokio::test]
async fn the_token_records_when_it_was_last_used() {
    let app = TestApp::spawn().await;
    let secret = admin(&app).await;
    let before = entity::api_token::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(before.last_used_at.is_none());
    let response = post(&app, "/api/v1/speakers", &secret, json!({"name": "Ana"})).await;
    assert_eq!(response.status(), 201);
    let after = entity::api_token::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(after.last_used_at.is_some());
}

#[tokio::test]
async fn patch_and_delete_need_a_current_if_match() {
    let app = TestApp::spawn().await;
    fixtures::insert_event(&app.db, "kcd-lima-2024", Some("2024-06-01")).await;
    let secret = admin(&app).await;
    let path = "/api/v1/events/kcd-lima-2024";
    let body = Some(json!({"city": "Lima"}));

    let missing = send(&app, Method::PATCH, path, Some(&secret), None, body.clone()).await;
    assert_problem(missing, 428).await;
    let missing = send(&app, Method::DELETE, path, Some(&secret), None, None).await;
    assert_problem(missing, 428).await;

    let current = etag(&app, path).await;
    let weak = format!("W/{current}");
    for stale in [r#""0123""#, weak.as_str()] {
        let response = send(
            &app,
            Method::PATCH,
            path,
            Some(&secret),
            Some(stale),
            body.clone(),
        )
        .await;
        assert_problem(response, 412).await;
        let response = send(&app, Method::DELETE, path, Some(&secret), Some(stale), None).await;
        assert_problem(response, 412).await;
    }
    assert_eq!(audit_count(&app).await, 0);
    assert_eq!(etag(&app, path).await, current, "nothing changed");

    // A list of tags matches if one is current.
    let list = format!(r#""0123", {current}"#);
    let ok = send(&app, Method::PATCH, path, Some(&secret), Some(&list), body).await;
    assert_eq!(ok.status(), 200);
}

#[tokio::test]
async fn fifty_concurrent_patches_with_one_etag_make_one_change() {
    let app = TestApp::spawn().await;
    fixtures::insert_event(&app.db, "kcd-lima-2024", Some("2024-06-01")).await;
    let secret = admin(&app).await;
    let path = "/api/v1/events/kcd-lima-2024";
    let tag = etag(&app, path).await;

    let requests = (0..50).map(|i| {
        let app = &app;
        let secret = secret.clone();
        let tag = tag.clone();
        async move {
            let response = send(
                app,
                Method::PATCH,
                path,
                Some(&secret),
                Some(&tag),
                Some(json!({"venue": format!("Venue {i}")})),
            )
            .await;
            (i, response.status().as_u16())
        }
    });
    let results = futures_util::future::join_all(requests).await;
    let winners: Vec<usize> = results
        .iter()
        .filter(|(_, s)| *s == 200)
        .map(|(i, _)| *i)
        .collect();
    let lost = results.iter().filter(|(_, s)| *s == 412).count();
    assert_eq!(winners.len(), 1, "{results:?}");
    assert_eq!(lost, 49, "{results:?}");

    let event = app.get_json(path, 200).await;
    assert_eq!(event["venue"], format!("Venue {}", winners[0]));
    let entries = entity::audit_entry::Entity::find()
        .filter(
            entity::audit_entry::Column::Action
                .eq(entity::sea_orm_active_enums::AuditAction::Update),
        )
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0].after.as_ref().unwrap()["venue"],
        format!("Venue {}", winners[0])
    );
}

#[tokio::test]
async fn a_new_slug_keeps_the_old_one_as_a_redirect() {
    let app = TestApp::spawn().await;
    fixtures::insert_event(&app.db, "kcd-lima-2024", Some("2024-06-01")).await;
    let secret = admin(&app).await;
    let response = patch(
        &app,
        "/api/v1/events/kcd-lima-2024",
        &secret,
        json!({"slug": "kcd-peru-2024"}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let old = app.get("/api/v1/events/kcd-lima-2024").await;
    assert_eq!(old.status(), 301);
    assert_eq!(old.headers()["location"], "/api/v1/events/kcd-peru-2024");
    app.get_json("/api/v1/events/kcd-peru-2024", 200).await;
    // And back again: the alias moves with it.
    let back = patch(
        &app,
        "/api/v1/events/kcd-peru-2024",
        &secret,
        json!({"slug": "kcd-lima-2024"}),
    )
    .await;
    assert_eq!(back.status(), 200);
    app.get_json("/api/v1/events/kcd-lima-2024", 200).await;
    assert_eq!(app.get("/api/v1/events/kcd-peru-2024").await.status(), 301);
}

/// An old slug keeps redirecting to its record: another record cannot take it over.
#[tokio::test]
async fn another_records_old_slug_is_taken() {
    let app = TestApp::spawn().await;
    fixtures::insert_event(&app.db, "kcd-lima-2024", Some("2024-06-01")).await;
    fixtures::insert_event(&app.db, "kcd-quito-2024", Some("2024-07-01")).await;
    let secret = admin(&app).await;
    let renamed = patch(
        &app,
        "/api/v1/events/kcd-lima-2024",
        &secret,
        json!({"slug": "kcd-peru-2024"}),
    )
    .await;
    assert_eq!(renamed.status(), 200);
    let taken = patch(
        &app,
        "/api/v1/events/kcd-quito-2024",
        &secret,
        json!({"slug": "kcd-lima-2024"}),
    )
    .await;
    let body = assert_problem(taken, 409).await;
    assert_eq!(problem_fields(&body), ["/slug"]);
    let old = app.get("/api/v1/events/kcd-lima-2024").await;
    assert_eq!(old.status(), 301, "still the old slug of kcd-peru-2024");
    assert_eq!(old.headers()["location"], "/api/v1/events/kcd-peru-2024");
    app.get_json("/api/v1/events/kcd-quito-2024", 200).await;
}

#[tokio::test]
async fn a_duplicate_slug_is_409_naming_it_and_writes_nothing() {
    let app = TestApp::spawn().await;
    fixtures::insert_event(&app.db, "kcd-mexico-2025", Some("2025-05-16")).await;
    fixtures::insert_event(&app.db, "kcd-lima-2024", Some("2024-06-01")).await;
    let secret = admin(&app).await;
    let response = post(&app, "/api/v1/events", &secret, new_event()).await;
    let problem = assert_problem(response, 409).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("kcd-mexico-2025")
    );
    assert_eq!(problem_fields(&problem), ["/slug"]);
    let response = patch(
        &app,
        "/api/v1/events/kcd-lima-2024",
        &secret,
        json!({"slug": "kcd-mexico-2025"}),
    )
    .await;
    assert_problem(response, 409).await;
    assert_eq!(event_count(&app).await, 2);
    assert_eq!(audit_count(&app).await, 0);
}

#[tokio::test]
async fn a_database_error_mid_transaction_leaves_no_partial_write() {
    let app = TestApp::spawn().await;
    fixtures::insert_event(&app.db, "kcd-lima-2024", Some("2024-06-01")).await;
    let secret = admin(&app).await;
    let path = "/api/v1/events/kcd-lima-2024";
    let before = app.get_json(path, 200).await;
    // The audit entry is written after the event row, in the same transaction: without its
    // table the write fails after the event was updated.
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared("DROP TABLE audit_entries")
        .await
        .unwrap();
    let response = patch(
        &app,
        path,
        &secret,
        json!({"city": "Lima", "slug": "kcd-peru-2024"}),
    )
    .await;
    assert_problem(response, 500).await;
    assert_eq!(
        app.get_json(path, 200).await,
        before,
        "the event is unchanged"
    );
    assert_eq!(
        app.get("/api/v1/events/kcd-peru-2024").await.status(),
        404,
        "no alias left behind"
    );
    let created = post(&app, "/api/v1/events", &secret, new_event()).await;
    assert_problem(created, 500).await;
    assert_eq!(event_count(&app).await, 1, "no event created");
}

#[tokio::test]
async fn the_history_lists_an_events_writes_newest_first_for_its_organizers() {
    let app = TestApp::spawn().await;
    fixtures::insert_event(&app.db, "kcd-lima-2024", Some("2024-06-01")).await;
    fixtures::insert_event(&app.db, "kcd-quito-2024", Some("2024-08-01")).await;
    let lima = token(
        &app,
        "lima-team",
        TokenRole::Organizer,
        &["kcd-lima-2024"],
        &[],
    )
    .await;
    let quito = token(
        &app,
        "quito-team",
        TokenRole::Organizer,
        &["kcd-quito-2024"],
        &[],
    )
    .await;
    let path = "/api/v1/events/kcd-lima-2024";
    for city in ["Lima", "Callao", "Cusco"] {
        assert_eq!(
            patch(&app, path, &lima, json!({"city": city}))
                .await
                .status(),
            200
        );
    }
    let talk = post(
        &app,
        "/api/v1/events/kcd-lima-2024/talks",
        &lima,
        json!({"title": "GitOps"}),
    )
    .await;
    assert_eq!(talk.status(), 201);
    assert_eq!(
        patch(
            &app,
            "/api/v1/events/kcd-quito-2024",
            &quito,
            json!({"city": "Quito"})
        )
        .await
        .status(),
        200
    );

    let history = |secret: String, query: &'static str| {
        let app = &app;
        async move {
            app.client
                .get(app.url(&format!("/api/v1/events/kcd-lima-2024/history{query}")))
                .bearer_auth(secret)
                .send()
                .await
                .unwrap()
        }
    };
    assert_problem(app.get("/api/v1/events/kcd-lima-2024/history").await, 401).await;
    assert_problem(history(quito.clone(), "").await, 403).await;

    let response = history(lima.clone(), "?limit=3").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("private")
    );
    let page: Value = response.json().await.unwrap();
    let entries = page["data"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0]["entity_type"], "talk");
    assert_eq!(entries[0]["action"], "create");
    assert_eq!(entries[1]["before"], json!({"city": "Callao"}));
    assert_eq!(entries[1]["after"], json!({"city": "Cusco"}));
    assert_eq!(entries[1]["token"], "lima-team");
    let cursor = page["page"]["next_cursor"].as_str().unwrap().to_owned();
    let next: Value = app
        .client
        .get(app.url(&format!(
            "/api/v1/events/kcd-lima-2024/history?limit=3&cursor={cursor}"
        )))
        .bearer_auth(&lima)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let rest = next["data"].as_array().unwrap();
    assert_eq!(rest.len(), 1, "Quito's change is not in Lima's history");
    assert_eq!(rest[0]["after"], json!({"city": "Lima"}));
    assert_eq!(next["page"]["next_cursor"], Value::Null);
}

#[tokio::test]
async fn bodies_that_are_too_large_not_json_or_malformed_are_refused() {
    let app = TestApp::spawn().await;
    let secret = admin(&app).await;
    let url = app.url("/api/v1/events");
    let big = json!({"name": "x".repeat(70 * 1024), "kind": "kcd"});
    let response = app
        .client
        .post(&url)
        .bearer_auth(&secret)
        .json(&big)
        .send()
        .await
        .unwrap();
    assert_problem(response, 413).await;
    let response = app
        .client
        .post(&url)
        .bearer_auth(&secret)
        .header("Content-Type", "text/plain")
        .body("name=x")
        .send()
        .await
        .unwrap();
    assert_problem(response, 415).await;
    let response = app
        .client
        .post(&url)
        .bearer_auth(&secret)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_problem(response, 415).await;
    let response = app
        .client
        .post(&url)
        .bearer_auth(&secret)
        .header("Content-Type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_problem(response, 400).await;
    let response = app
        .client
        .post(&url)
        .bearer_auth(&secret)
        .json(&json!([1, 2]))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(response, 422).await;
    assert_eq!(problem_fields(&problem), [""]);
    assert_eq!(event_count(&app).await, 0);
}

#[tokio::test]
async fn writes_are_rate_limited_per_token_and_reads_are_not() {
    let app = TestApp::spawn_with(|s| s.write_rate_limit = 2).await;
    let one = admin(&app).await;
    let two = token(&app, "second", TokenRole::Admin, &[], &[]).await;
    for name in ["A", "B"] {
        let response = post(&app, "/api/v1/speakers", &one, json!({"name": name})).await;
        assert_eq!(response.status(), 201);
    }
    let limited = post(&app, "/api/v1/speakers", &one, json!({"name": "C"})).await;
    let retry: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));
    assert_problem(limited, 429).await;
    // Another token has its own budget; reads are not limited.
    let other = post(&app, "/api/v1/speakers", &two, json!({"name": "D"})).await;
    assert_eq!(other.status(), 201);
    for _ in 0..10 {
        assert_eq!(app.get("/api/v1/speakers").await.status(), 200);
    }
    let people = entity::person::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(people, 3);
}

/// The full-text index follows every write: the next search sees a new record, a changed text
/// and a deletion, through the search endpoint and the list's `q`.
#[tokio::test]
async fn search_follows_creates_updates_and_deletes() {
    let app = TestApp::spawn().await;
    let secret = admin(&app).await;
    fn slugs(body: &Value) -> Vec<String> {
        let data = body["data"].as_array().unwrap();
        data.iter()
            .map(|h| h["slug"].as_str().unwrap().to_owned())
            .collect()
    }
    let found = |q: &'static str| {
        let app = &app;
        async move {
            let hits = slugs(
                &app.get_json(&format!("/api/v1/search?q={q}&type=event"), 200)
                    .await,
            );
            let listed = slugs(&app.get_json(&format!("/api/v1/events?q={q}"), 200).await);
            assert_eq!(hits, listed, "search and list agree for {q}");
            hits
        }
    };
    assert!(found("mexico").await.is_empty());

    let created = post(&app, "/api/v1/events", &secret, new_event()).await;
    assert_eq!(created.status(), 201);
    assert_eq!(found("mexico%20cit").await, ["kcd-mexico-2025"]);

    let path = "/api/v1/events/kcd-mexico-2025";
    let changed = patch(
        &app,
        path,
        &secret,
        json!({"description": "Quetzalcoatl stage"}),
    )
    .await;
    assert_eq!(changed.status(), 200);
    assert_eq!(found("quetzal").await, ["kcd-mexico-2025"]);
    let changed = patch(&app, path, &secret, json!({"description": "Jaguar stage"})).await;
    assert_eq!(changed.status(), 200);
    assert!(found("quetzal").await.is_empty(), "the old words are gone");
    assert_eq!(found("jaguar%20stage").await, ["kcd-mexico-2025"]);

    assert_eq!(delete(&app, path, &secret).await.status(), 204);
    assert!(found("jaguar").await.is_empty());
}
