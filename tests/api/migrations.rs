use migration::{MigrationStatus, Migrator, MigratorTrait, SchemaManager};

use crate::helpers::TestDb;

const TABLES: &[&str] = &[
    "events",
    "people",
    "organizations",
    "talks",
    "talk_speakers",
    "sponsorships",
    "organizers",
    "posts",
    "post_authors",
    "terms",
    "post_terms",
    "mentions",
    "api_tokens",
    "audit_entries",
    "slug_aliases",
    "series",
];

async fn tables_present(manager: &SchemaManager<'_>) -> Vec<&'static str> {
    let mut present = Vec::new();
    for table in TABLES {
        if manager.has_table(*table).await.expect("has_table") {
            present.push(*table);
        }
    }
    present
}

#[tokio::test]
async fn migrations_run_up_down_and_up_again() {
    let test_db = TestDb::new().await;
    let db = test_db.connect().await;
    let manager = SchemaManager::new(&db);
    let total = Migrator::migrations().len();

    Migrator::up(&db, None).await.expect("up");
    assert_eq!(tables_present(&manager).await, TABLES);
    assert_eq!(
        Migrator::get_pending_migrations(&db).await.unwrap().len(),
        0
    );

    Migrator::down(&db, None).await.expect("down");
    assert!(tables_present(&manager).await.is_empty());
    assert_eq!(
        Migrator::get_pending_migrations(&db).await.unwrap().len(),
        total
    );

    Migrator::up(&db, None).await.expect("up again");
    assert_eq!(tables_present(&manager).await, TABLES);
    let statuses = Migrator::get_migration_with_status(&db).await.unwrap();
    assert!(
        statuses
            .iter()
            .all(|m| m.status() == MigrationStatus::Applied)
    );
}

#[tokio::test]
async fn each_migration_rolls_back_one_step_at_a_time() {
    let test_db = TestDb::new().await;
    let db = test_db.connect().await;
    let total = Migrator::migrations().len();
    Migrator::up(&db, None).await.expect("up");
    for remaining in (0..total).rev() {
        Migrator::down(&db, Some(1)).await.expect("one step down");
        assert_eq!(
            Migrator::get_applied_migrations(&db).await.unwrap().len(),
            remaining
        );
    }
    Migrator::up(&db, None).await.expect("up again");
}

/// Rows written before series were records come out in the shape v1 serves: events hold their
/// series' slug (and the series its name), tokens name series by slug, regions are snake_case,
/// and the folded city is there for the city filter.
#[tokio::test]
async fn the_v1_migration_carries_old_rows_over() {
    use sea_orm::{ConnectionTrait, EntityTrait, Statement};
    let test_db = TestDb::new().await;
    let db = test_db.connect().await;
    let v1 = Migrator::migrations()
        .iter()
        .position(|m| m.name() == "m20240101_000017_contract_v1")
        .expect("the v1 migration");
    Migrator::up(&db, Some(v1 as u32)).await.expect("up to v0");
    let backend = db.get_database_backend();
    let q = |sql: &str| Statement::from_string(backend, sql.to_owned());
    let now = "2024-01-01 00:00:00";
    for (slug, series, region, city) in [
        ("kcd-mexico-2024", "KCD México", "latam", "Guadalajara"),
        (
            "kubecon-na-2025",
            "KubeCon + CloudNativeCon North America",
            "north-america",
            "Atlanta",
        ),
    ] {
        db.execute_raw(q(&format!(
            "INSERT INTO events (slug, name, sort_name, kind, series, city, region, status, \
             search_text, created_at, updated_at, version) VALUES ('{slug}', '{slug}', '{slug}', \
             'kcd', '{series}', '{city}', '{region}', 'scheduled', '', '{now}', '{now}', 1)"
        )))
        .await
        .unwrap();
    }
    db.execute_raw(q(&format!(
        "INSERT INTO api_tokens (name, secret_hash, role, event_ids, series, created_at) VALUES \
         ('team', 'x', 'organizer', '[]', '[\"KCD México\"]', '{now}')"
    )))
    .await
    .unwrap();

    Migrator::up(&db, None).await.expect("up to v1");

    let events = entity::event::Entity::find().all(&db).await.unwrap();
    let mexico = events.iter().find(|e| e.slug == "kcd-mexico-2024").unwrap();
    assert_eq!(mexico.series.as_deref(), Some("kcd-mexico"));
    assert_eq!(mexico.city_key.as_deref(), Some("guadalajara"));
    let na = events.iter().find(|e| e.slug == "kubecon-na-2025").unwrap();
    assert_eq!(
        na.series.as_deref(),
        Some("kubecon-cloudnativecon-north-america")
    );
    assert_eq!(
        na.region,
        Some(entity::sea_orm_active_enums::Region::NorthAmerica)
    );
    let series = entity::series::Entity::find().all(&db).await.unwrap();
    assert!(
        series
            .iter()
            .any(|s| s.slug == "kcd-mexico" && s.name == "KCD México")
    );
    let token = entity::api_token::Entity::find()
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(token.series, serde_json::json!(["kcd-mexico"]));

    // And back: names and old region values again.
    let after = Migrator::migrations().len() - v1;
    Migrator::down(&db, Some(after as u32))
        .await
        .expect("down to v0");
    let rows = db
        .query_all_raw(q("SELECT series, region FROM events ORDER BY slug"))
        .await
        .unwrap();
    let got: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                r.try_get("", "series").unwrap(),
                r.try_get("", "region").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("KCD México".to_owned(), "latam".to_owned()),
            (
                "KubeCon + CloudNativeCon North America".to_owned(),
                "north-america".to_owned()
            ),
        ]
    );
}
