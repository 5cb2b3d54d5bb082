//! Connecting to the database and running migrations.

use anyhow::Context as _;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend};

use crate::config::DatabaseSettings;

/// Opens a connection pool. SQLite files are created when missing and run in WAL mode, so
/// readers are never blocked by the writer.
pub async fn connect(settings: &DatabaseSettings) -> anyhow::Result<DatabaseConnection> {
    let url = normalize_url(&settings.url);
    let mut options = ConnectOptions::new(url.clone());
    options
        .max_connections(settings.max_connections)
        .min_connections(1)
        .acquire_timeout(settings.acquire_timeout)
        .connect_timeout(settings.acquire_timeout)
        .sqlx_logging(false)
        // sqlx then reports each connection it hands out, which is how the waiting
        // operations are counted (`telemetry::pool_waiting`).
        .map_sqlx_sqlite_pool_opts(|pool| {
            pool.acquire_time_level(log::LevelFilter::Trace)
                .after_connect(|conn, _| Box::pin(stable_plans(conn)))
        })
        .map_sqlx_postgres_pool_opts(|pool| pool.acquire_time_level(log::LevelFilter::Trace))
        .map_sqlx_mysql_pool_opts(|pool| pool.acquire_time_level(log::LevelFilter::Trace))
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(std::time::Duration::from_secs(5))
        });
    Database::connect(options)
        .await
        .with_context(|| format!("cannot connect to the database at {}", redact(&url)))
}

/// Makes a SQLite connection plan each statement once, whatever values get bound to it
/// (SQLite's query planner stability guarantee). Without it, SQLite re-prepares a cached
/// statement with `LIMIT ?` — every paginated read — on each run, because it plans with the
/// bound limit: a quarter of the CPU time of an uncached list request went to parsing and
/// planning again. The plans here come from the indexes and the ANALYZE statistics; none
/// depends on a bound value (search goes through FTS5, not `LIKE ?`).
async fn stable_plans(
    conn: &mut sea_orm::sqlx::SqliteConnection,
) -> Result<(), sea_orm::sqlx::Error> {
    use libsqlite3_sys::{SQLITE_DBCONFIG_ENABLE_QPSG, SQLITE_OK, sqlite3_db_config};
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is this connection's open handle, locked for the duration of the call;
    // this option takes an int (1: on) and an optional int* for the new state (none).
    let rc = unsafe {
        sqlite3_db_config(
            db,
            SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as std::ffi::c_int,
            std::ptr::null_mut::<std::ffi::c_int>(),
        )
    };
    if rc != SQLITE_OK {
        return Err(sea_orm::sqlx::Error::Configuration(
            format!("SQLite refused SQLITE_DBCONFIG_ENABLE_QPSG (code {rc})").into(),
        ));
    }
    Ok(())
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    if up_to_date(db).await {
        return Ok(());
    }
    Migrator::up(db, None).await.context("running migrations")
}

/// Whether the database has exactly this binary's migrations, read with one query. The
/// migrator finds out the same by inspecting the schema, with statements that on PostgreSQL
/// opened two more connections at every start (~90 ms each over TLS); a database that is new,
/// behind or ahead still goes through the migrator.
async fn up_to_date(db: &DatabaseConnection) -> bool {
    use sea_orm::{ConnectionTrait, Statement};
    let Ok(rows) = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT version FROM seaql_migrations",
        ))
        .await
    else {
        return false;
    };
    let mut applied: Vec<String> = rows
        .iter()
        .filter_map(|row| row.try_get::<String>("", "version").ok())
        .collect();
    let mut known: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    applied.sort();
    known.sort();
    applied == known
}

/// Refreshes the planner's statistics after a bulk load. Without them SQLite picks plans by
/// guesswork: the posts mentioning an event were found by scanning every post by date (120 ms
/// at 20,000 posts) instead of through the mentions index (0.4 ms).
pub async fn analyze(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    use sea_orm::ConnectionTrait;
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            // Sampled statistics: fast on large files, good enough for plans.
            db.execute_unprepared("PRAGMA analysis_limit = 1000")
                .await?;
            db.execute_unprepared("ANALYZE").await?;
        }
        DbBackend::Postgres => {
            db.execute_unprepared("ANALYZE").await?;
        }
        DbBackend::MySql => {
            db.execute_unprepared(
                "ANALYZE TABLE events, people, organizations, talks, talk_speakers, \
                 sponsorships, organizers, posts, post_authors, terms, post_terms, mentions, \
                 audit_entries, slug_aliases",
            )
            .await?;
        }
        _ => {}
    }
    Ok(())
}

/// Lets SQLite refresh statistics that have gone stale since the last analysis (cheap when
/// nothing changed); other backends keep their own.
pub async fn optimize(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    use sea_orm::ConnectionTrait;
    if db.get_database_backend() == DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA analysis_limit = 1000")
            .await?;
        db.execute_unprepared("PRAGMA optimize").await?;
    }
    Ok(())
}

/// `sqlite:` URLs without a `mode` get `mode=rwc`, so a missing file is created.
pub fn normalize_url(url: &str) -> String {
    if url.starts_with("sqlite:") && !url.contains("mode=") && !url.contains(":memory:") {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}mode=rwc")
    } else {
        url.to_owned()
    }
}

/// The URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// A short name for the backend, for logs and metrics.
pub fn backend_name(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Sqlite => "sqlite",
        DbBackend::Postgres => "postgres",
        DbBackend::MySql => "mysql",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_create_missing_files() {
        assert_eq!(normalize_url("sqlite://a.db"), "sqlite://a.db?mode=rwc");
        assert_eq!(
            normalize_url("sqlite://a.db?x=1"),
            "sqlite://a.db?x=1&mode=rwc"
        );
        assert_eq!(
            normalize_url("sqlite://a.db?mode=ro"),
            "sqlite://a.db?mode=ro"
        );
        assert_eq!(normalize_url("postgres://h/db"), "postgres://h/db");
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("mysql://root@h/db"), "mysql://root@h/db");
        assert_eq!(redact("sqlite://eventdir.db"), "sqlite://eventdir.db");
    }

    #[tokio::test]
    async fn sqlite_connections_plan_statements_once() {
        use libsqlite3_sys::{SQLITE_DBCONFIG_ENABLE_QPSG, sqlite3_db_config};
        let settings = DatabaseSettings::new("sqlite::memory:");
        let db = connect(&settings).await.unwrap();
        let mut conn = db.get_sqlite_connection_pool().acquire().await.unwrap();
        let mut handle = conn.lock_handle().await.unwrap();
        let mut on: std::ffi::c_int = -1;
        // SAFETY: an open, locked handle; -1 reads the setting into `on`.
        unsafe {
            sqlite3_db_config(
                handle.as_raw_handle().as_ptr(),
                SQLITE_DBCONFIG_ENABLE_QPSG,
                -1 as std::ffi::c_int,
                &mut on as *mut std::ffi::c_int,
            );
        }
        assert_eq!(
            on, 1,
            "a bound LIMIT would re-prepare statements on every run"
        );
    }
}
