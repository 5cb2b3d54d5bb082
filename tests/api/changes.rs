//! Talks, sponsorships and organizers through the API, and the change feed that replays every
//! write into an exact copy.

use std::collections::BTreeMap;

use entity::{event, organization, organizer, participation, person, sponsorship, talk};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::{Value, json};

use api::services::writes::Resource;
use api::services::writes::events::Events;
use api::services::writes::links::{Organizers, Sponsorships};
use api::services::writes::organizations::Organizations;
use api::services::writes::participations::Participations;
use api::services::writes::people::People;
use api::services::writes::talks::Talks;

use crate::helpers::{TestApp, assert_problem};
use crate::writes::{admin, delete, patch, post};

type State = BTreeMap<(String, i64), Value>;

/// Every live record's writable state, read from the database.
async fn current_state(app: &TestApp) -> State {
    let txn = app.db.begin().await.unwrap();
    let mut state = State::new();
    macro_rules! add {
        ($entity:ident, $resource:ty, $kind:literal) => {
            for m in $entity::Entity::find()
                .filter($entity::Column::DeletedAt.is_null())
                .all(&txn)
                .await
                .unwrap()
            {
                let record = <$resource>::record(&txn, &m).await.unwrap();
                state.insert(
                    ($kind.to_owned(), m.id),
                    serde_json::to_value(record).unwrap(),
                );
            }
        };
    }
    add!(event, Events, "event");
    add!(person, People, "person");
    add!(organization, Organizations, "organization");
    add!(talk, Talks, "talk");
    add!(sponsorship, Sponsorships, "sponsorship");
    add!(organizer, Organizers, "organizer");
    add!(participation, Participations, "participation");
    txn.commit().await.unwrap();
    state
}

/// Reads the feed from `since` in pages of 4, applying each change to `copy`; returns the
/// cursor to resume from.
async fn replay(app: &TestApp, copy: &mut State, mut since: Option<String>) -> String {
    loop {
        let query = since
            .as_ref()
            .map_or(String::new(), |s| format!("&since={s}"));
        let page = app
            .get_json(&format!("/api/v1/changes?limit=4{query}"), 200)
            .await;
        for change in page["data"].as_array().unwrap() {
            let key = (
                change["entity_type"].as_str().unwrap().to_owned(),
                change["entity_id"].as_i64().unwrap(),
            );
            match change["action"].as_str().unwrap() {
                "create" => {
                    copy.insert(key, change["data"].clone());
                }
                "update" => {
                    let record = copy.get_mut(&key).expect("an update of a known record");
                    for (field, value) in change["data"].as_object().unwrap() {
                        record[field] = value.clone();
                    }
                }
                "delete" => {
                    assert!(copy.remove(&key).is_some(), "a delete of a known record");
                }
                other => panic!("unknown action {other}"),
            }
        }
        since = Some(page["next_since"].as_str().unwrap().to_owned());
        if !page["more"].as_bool().unwrap() {
            return since.unwrap();
        }
    }
}

async fn ok(response: reqwest::Response, status: u16) -> Value {
    let got = response.status().as_u16();
    let body = response.text().await.unwrap();
    assert_eq!(got, status, "{body}");
    serde_json::from_str(&body).unwrap_or(Value::Null)
}

#[tokio::test]
async fn the_change_feed_replays_into_the_current_state() {
    let app = TestApp::spawn().await;
    let secret = admin(&app).await;
    let s = secret.as_str();

    ok(
        post(
            &app,
            "/api/v1/events",
            s,
            json!({"name": "KubeCon Europe 2026", "kind": "kubecon", "starts_on": "2026-03-23"}),
        )
        .await,
        201,
    )
    .await;
    ok(
        post(
            &app,
            "/api/v1/events",
            s,
            json!({"name": "Platform Summit 2026", "kind": "summit",
        "starts_on": "2026-03-23", "co_located_with": {"slug": "kubecon-europe-2026"}}),
        )
        .await,
        201,
    )
    .await;
    for name in ["Ana Torres", "Bo Chen", "Cy Diaz"] {
        ok(
            post(&app, "/api/v1/speakers", s, json!({"name": name})).await,
            201,
        )
        .await;
    }
    for name in ["SUSE", "Acme Cloud"] {
        ok(
            post(&app, "/api/v1/sponsors", s, json!({"name": name})).await,
            201,
        )
        .await;
    }
    let summit = "/api/v1/events/platform-summit-2026";

    // A talk with speakers in billing order.
    let talk = ok(post(&app, &format!("{summit}/talks"), s,
        json!({"title": "Golden paths", "kind": "keynote", "speakers": ["bo-chen", "ana-torres"]})).await, 201).await;
    let speakers: Vec<&str> = talk["speakers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap())
        .collect();
    assert_eq!(speakers, ["bo-chen", "ana-torres"]);
    let talk_path = format!("{summit}/talks/golden-paths");
    ok(
        patch(
            &app,
            &talk_path,
            s,
            json!({"speakers": ["cy-diaz"], "slug": "paved-roads"}),
        )
        .await,
        200,
    )
    .await;
    let talk = app
        .get_json(&format!("{summit}/talks/paved-roads"), 200)
        .await;
    assert_eq!(talk["speakers"][0]["slug"], "cy-diaz");

    // Sponsorships: create, change tier, remove, add again.
    ok(
        post(
            &app,
            &format!("{summit}/sponsors"),
            s,
            json!({"organization": "suse", "tier": "gold"}),
        )
        .await,
        201,
    )
    .await;
    ok(
        patch(
            &app,
            &format!("{summit}/sponsors/suse"),
            s,
            json!({"tier": "platinum"}),
        )
        .await,
        200,
    )
    .await;
    let again = post(
        &app,
        &format!("{summit}/sponsors"),
        s,
        json!({"organization": "suse"}),
    )
    .await;
    assert_problem(again, 409).await;
    ok(
        post(
            &app,
            &format!("{summit}/sponsors"),
            s,
            json!({"organization": "acme-cloud"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(
        delete(&app, &format!("{summit}/sponsors/acme-cloud"), s)
            .await
            .status(),
        204
    );
    assert_eq!(
        app.get(&format!("{summit}/sponsors/acme-cloud"))
            .await
            .status(),
        404
    );
    ok(
        post(
            &app,
            &format!("{summit}/sponsors"),
            s,
            json!({"organization": "acme-cloud", "tier": "community"}),
        )
        .await,
        201,
    )
    .await;
    let page = app.get_json(summit, 200).await;
    assert_eq!(page["sponsors"][0]["tier"], "platinum");
    assert_eq!(page["sponsors"][0]["sponsors"][0]["slug"], "suse");

    // Organizers.
    ok(
        post(
            &app,
            &format!("{summit}/organizers"),
            s,
            json!({"person": "ana-torres", "role": "lead"}),
        )
        .await,
        201,
    )
    .await;
    ok(
        patch(
            &app,
            &format!("{summit}/organizers/ana-torres"),
            s,
            json!({"role": "co_organizer"}),
        )
        .await,
        200,
    )
    .await;
    let organizers = app.get_json(&format!("{summit}/organizers"), 200).await;
    assert_eq!(organizers["data"][0]["role"], "co_organizer");

    // People and organizations still referenced cannot go.
    assert_problem(delete(&app, "/api/v1/speakers/ana-torres", s).await, 409).await;
    assert_problem(delete(&app, "/api/v1/sponsors/suse", s).await, 409).await;
    ok(
        patch(
            &app,
            "/api/v1/speakers/bo-chen",
            s,
            json!({"bio": "SRE", "country": "SG"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        delete(&app, "/api/v1/speakers/bo-chen", s).await.status(),
        204
    );

    // The event moves and changes; another is made and deleted with what it had.
    ok(
        patch(
            &app,
            summit,
            s,
            json!({"slug": "platform-engineering-day-2026", "ends_on": "2026-03-24"}),
        )
        .await,
        200,
    )
    .await;
    ok(
        post(
            &app,
            "/api/v1/events",
            s,
            json!({"name": "KCD Gone 2026", "kind": "kcd"}),
        )
        .await,
        201,
    )
    .await;
    ok(
        post(
            &app,
            "/api/v1/events/kcd-gone-2026/talks",
            s,
            json!({"title": "Soon gone", "speakers": ["ana-torres"]}),
        )
        .await,
        201,
    )
    .await;
    ok(
        post(
            &app,
            "/api/v1/events/kcd-gone-2026/sponsors",
            s,
            json!({"organization": "suse"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(
        delete(&app, "/api/v1/events/kcd-gone-2026", s)
            .await
            .status(),
        204
    );
    assert_problem(
        app.get("/api/v1/events/kcd-gone-2026/talks/soon-gone")
            .await,
        404,
    )
    .await;
    // An event others are co-located with cannot be deleted.
    assert_problem(
        delete(&app, "/api/v1/events/kubecon-europe-2026", s).await,
        409,
    )
    .await;

    let mut copy = State::new();
    let since = replay(&app, &mut copy, None).await;
    assert_eq!(copy, current_state(&app).await);
    assert!(copy.keys().any(|(t, _)| t == "talk"));
    assert!(copy.keys().any(|(t, _)| t == "sponsorship"));

    // Resuming from the cursor brings exactly what happened since.
    let empty = app
        .get_json(&format!("/api/v1/changes?since={since}"), 200)
        .await;
    assert_eq!(empty["data"], json!([]));
    assert_eq!(empty["next_since"], since.as_str());
    ok(
        patch(
            &app,
            "/api/v1/sponsors/acme-cloud",
            s,
            json!({"website": "https://acme.example"}),
        )
        .await,
        200,
    )
    .await;
    let since = replay(&app, &mut copy, Some(since)).await;
    assert_eq!(copy, current_state(&app).await);
    let after = app
        .get_json(&format!("/api/v1/changes?since={since}"), 200)
        .await;
    assert_eq!(after["data"], json!([]));

    assert_eq!(
        app.get("/api/v1/changes?since=garbage").await.status(),
        400,
        "a cursor this feed did not issue"
    );
    // `since=0` is the start, as no `since` is.
    assert_eq!(
        app.get_json("/api/v1/changes?since=0&limit=5", 200).await,
        app.get_json("/api/v1/changes?limit=5", 200).await
    );
}

#[tokio::test]
async fn what_the_import_writes_is_in_the_change_feed_too() {
    let app = TestApp::spawn_with(|s| s.corpus = Some(crate::import::corpus_dir())).await;
    let mut copy = State::new();
    let since = replay(&app, &mut copy, None).await;
    let state = current_state(&app).await;
    assert_eq!(copy, state);
    assert!(state.keys().any(|(t, _)| t == "event"));
    assert!(state.keys().any(|(t, _)| t == "talk"));
    let first = app.get_json("/api/v1/changes?limit=1", 200).await;
    assert_eq!(first["data"][0]["action"], "create");

    // Importing the same corpus again changes nothing, so it adds nothing to the feed.
    let catalog = api::import::load_catalog(None).unwrap();
    api::import::import_dir(
        &app.db,
        &crate::import::corpus_dir(),
        &catalog,
        api::import::Progress::Quiet,
    )
    .await
    .unwrap();
    let after = app
        .get_json(&format!("/api/v1/changes?since={since}"), 200)
        .await;
    assert_eq!(after["data"], json!([]));
}
