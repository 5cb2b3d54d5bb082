//! `eventdir seed --synthetic N`: the same parameters give the same rows, on every backend.

use chrono::NaiveDate;
use entity::{event, organization, person, post, talk};
use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};
use serde_json::json;

use crate::helpers::{TestApp, TestDb};
use crate::writes::{admin, post as post_json};

async fn events_of(db: &sea_orm::DatabaseConnection) -> Vec<(String, Option<NaiveDate>)> {
    event::Entity::find()
        .order_by_asc(event::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.slug, e.starts_on))
        .collect()
}

#[tokio::test]
async fn the_same_parameters_give_the_same_rows() {
    let as_of = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    let mut seeded = Vec::new();
    for seed in [7, 7, 8] {
        let test_db = TestDb::new().await;
        let db = test_db.connect().await;
        api::db::migrate(&db).await.unwrap();
        let report = api::seed::synthetic(&db, 40, seed, as_of).await.unwrap();
        assert_eq!(report.events, 40);
        assert_eq!(event::Entity::find().count(&db).await.unwrap(), 40);
        assert_eq!(person::Entity::find().count(&db).await.unwrap(), 120);
        assert_eq!(organization::Entity::find().count(&db).await.unwrap(), 20);
        assert_eq!(talk::Entity::find().count(&db).await.unwrap(), 80);
        assert_eq!(post::Entity::find().count(&db).await.unwrap(), 80);
        seeded.push(events_of(&db).await);
        // Seeding twice is refused.
        assert!(api::seed::synthetic(&db, 40, seed, as_of).await.is_err());
        db.close().await.unwrap();
    }
    assert_eq!(seeded[0], seeded[1]);
    assert_ne!(seeded[0], seeded[2]);
    // Spread over ten years around the as-of date: some past, some upcoming.
    let upcoming = seeded[0]
        .iter()
        .filter(|(_, d)| d.is_some_and(|d| d >= as_of))
        .count();
    assert!((5..=35).contains(&upcoming), "{upcoming} of 40 upcoming");
}

#[tokio::test]
async fn a_seeded_database_serves_and_takes_writes() {
    let app = TestApp::spawn().await;
    let as_of = chrono::Utc::now().date_naive();
    api::seed::synthetic(&app.db, 60, 1, as_of).await.unwrap();
    let page = app
        .get_json("/api/v1/events?kind=kcd&upcoming=true&limit=20", 200)
        .await;
    let first = page["data"][0]["slug"].as_str().unwrap().to_owned();
    let event = app.get_json(&format!("/api/v1/events/{first}"), 200).await;
    assert_eq!(event["talks"].as_array().unwrap().len(), 2);
    assert_eq!(event["organizers"].as_array().unwrap().len(), 2);
    // New rows get ids after the seeded ones (PostgreSQL sequences were moved on).
    let secret = admin(&app).await;
    let created = post_json(
        &app,
        "/api/v1/events",
        &secret,
        json!({"name": "KCD After Seed 2027", "kind": "kcd"}),
    )
    .await;
    assert_eq!(created.status(), 201);
    let talk = post_json(
        &app,
        &format!("/api/v1/events/{first}/talks"),
        &secret,
        json!({"title": "Fresh talk", "speakers": ["person-1"]}),
    )
    .await;
    assert_eq!(talk.status(), 201);
}
