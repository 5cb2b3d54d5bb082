//! Full-text indexes over the folded `search_text` of events, people, organizations and posts,
//! so that search costs what it finds, not what is stored. Each backend keeps its index in step
//! with the table by itself: SQLite an FTS5 table fed by triggers, PostgreSQL a generated
//! `tsvector` column under a GIN index, MySQL/MariaDB an InnoDB FULLTEXT index.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

/// The tables whose `search_text` is indexed.
const TABLES: [&str; 4] = ["events", "people", "organizations", "posts"];

#[derive(DeriveMigrationName)]
pub struct Migration;

fn up_sql(backend: DbBackend, t: &str) -> Vec<String> {
    match backend {
        // External content: the FTS table stores only the index (no copy of the text, no
        // positions: `detail=none` answers the AND-of-prefixes queries search makes).
        DbBackend::Sqlite => vec![
            format!(
                "CREATE VIRTUAL TABLE \"{t}_fts\" USING fts5(search_text, content='{t}', \
                 content_rowid='id', tokenize='unicode61', detail='none', columnsize=0)"
            ),
            format!(
                "CREATE TRIGGER \"{t}_fts_insert\" AFTER INSERT ON \"{t}\" BEGIN \
                 INSERT INTO \"{t}_fts\"(rowid, search_text) VALUES (new.id, new.search_text); END"
            ),
            format!(
                "CREATE TRIGGER \"{t}_fts_delete\" AFTER DELETE ON \"{t}\" BEGIN \
                 INSERT INTO \"{t}_fts\"(\"{t}_fts\", rowid, search_text) \
                 VALUES ('delete', old.id, old.search_text); END"
            ),
            format!(
                "CREATE TRIGGER \"{t}_fts_update\" AFTER UPDATE OF search_text ON \"{t}\" BEGIN \
                 INSERT INTO \"{t}_fts\"(\"{t}_fts\", rowid, search_text) \
                 VALUES ('delete', old.id, old.search_text); \
                 INSERT INTO \"{t}_fts\"(rowid, search_text) VALUES (new.id, new.search_text); END"
            ),
            format!("INSERT INTO \"{t}_fts\"(\"{t}_fts\") VALUES ('rebuild')"),
        ],
        // `simple`: lowercase words, no stemming, no stop words; `strip` drops positions, which
        // search never uses and which would bring long posts near tsvector's 1 MB limit.
        DbBackend::Postgres => vec![
            format!(
                "ALTER TABLE \"{t}\" ADD COLUMN search_vector tsvector GENERATED ALWAYS AS \
                 (strip(to_tsvector('simple'::regconfig, search_text))) STORED"
            ),
            format!("CREATE INDEX \"idx_{t}_search_vector\" ON \"{t}\" USING gin (search_vector)"),
        ],
        // Stop words off for this session, so the index keeps every word ("the", "about", …)
        // as the other backends do; words shorter than `innodb_ft_min_token_size` (3) are
        // still left out, and search matches those with `LIKE`.
        DbBackend::MySql => vec![
            "SET SESSION innodb_ft_enable_stopword = OFF".to_owned(),
            format!("ALTER TABLE `{t}` ADD FULLTEXT INDEX `ft_{t}_search_text` (search_text)"),
        ],
        _ => vec![],
    }
}

fn down_sql(backend: DbBackend, t: &str) -> Vec<String> {
    match backend {
        DbBackend::Sqlite => vec![
            format!("DROP TRIGGER IF EXISTS \"{t}_fts_insert\""),
            format!("DROP TRIGGER IF EXISTS \"{t}_fts_delete\""),
            format!("DROP TRIGGER IF EXISTS \"{t}_fts_update\""),
            format!("DROP TABLE IF EXISTS \"{t}_fts\""),
        ],
        DbBackend::Postgres => vec![
            format!("DROP INDEX IF EXISTS \"idx_{t}_search_vector\""),
            format!("ALTER TABLE \"{t}\" DROP COLUMN IF EXISTS search_vector"),
        ],
        DbBackend::MySql => vec![format!("ALTER TABLE `{t}` DROP INDEX `ft_{t}_search_text`")],
        _ => vec![],
    }
}

/// Runs the statements `sql` gives for each table, in order.
async fn run(
    manager: &SchemaManager<'_>,
    sql: fn(DbBackend, &str) -> Vec<String>,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    for t in TABLES {
        for statement in sql(manager.get_database_backend(), t) {
            db.execute_unprepared(&statement).await?;
        }
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One connection for every statement: MySQL's stop-word setting is per session.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, up_sql).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, down_sql).await
    }
}
