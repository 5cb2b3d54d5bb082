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
