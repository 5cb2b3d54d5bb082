//! `eventdir seed --synthetic N`: a deterministic dataset for benchmarks.
//!
//! The same N, seed and as-of date give the same rows on every backend: N events spread from
//! five years before to five years after the as-of date, of every kind, in every region and
//! many countries; 3N people, N/2 organizations; two talks an event with one to three speakers,
//! three sponsors and two organizers an event; 2N posts, each by one person, tagged, and
//! mentioning events, a person and an organization. Rows go in with multi-row inserts, a
//! transaction per chunk.

use std::time::Instant;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use entity::event;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    PaginatorTrait,
};

/// What `seed` made and how fast.
#[derive(Debug, Clone, Copy)]
pub struct SeedReport {
    pub events: u64,
    pub rows: u64,
    pub seconds: f64,
}

impl SeedReport {
    pub fn rows_per_second(&self) -> f64 {
        self.rows as f64 / self.seconds.max(1e-9)
    }
}

mod data;
mod tables;

/// What every table's rows are made from.
#[derive(Debug, Clone, Copy)]
struct Plan {
    n: u64,
    seed: u64,
    people: u64,
    orgs: u64,
    posts: u64,
    stamp: DateTime<Utc>,
    span: u64,
    as_of: NaiveDate,
}

/// Rows per multi-row statement: within every backend's limit of bound parameters.
fn rows_per_statement(columns: usize) -> usize {
    (30_000 / columns.max(1)).clamp(1, 1000)
}

/// Inserts `count` rows made by `make`, in chunks of one transaction each.
pub(super) async fn insert_rows<A, F>(
    db: &DatabaseConnection,
    count: u64,
    columns: usize,
    mut make: F,
) -> Result<u64, DbErr>
where
    A: ActiveModelTrait + Send,
    F: FnMut(u64) -> Vec<A>,
{
    let per_statement = rows_per_statement(columns);
    let mut inserted = 0;
    let mut next = 0;
    let mut pending: Vec<A> = Vec::new();
    while next < count || !pending.is_empty() {
        let txn = crate::services::writes::begin(db).await?;
        let mut in_txn = 0;
        while in_txn < 20_000 && (next < count || !pending.is_empty()) {
            while pending.len() < per_statement && next < count {
                pending.extend(make(next));
                next += 1;
            }
            let take = pending.len().min(per_statement);
            let chunk: Vec<A> = pending.drain(..take).collect();
            in_txn += chunk.len();
            inserted += chunk.len() as u64;
            A::Entity::insert_many(chunk)
                .exec_without_returning(&txn)
                .await?;
        }
        txn.commit().await?;
    }
    Ok(inserted)
}

/// Seeds `n` events and what goes with them into an empty database.
pub async fn synthetic(
    db: &DatabaseConnection,
    n: u64,
    seed: u64,
    as_of: NaiveDate,
) -> anyhow::Result<SeedReport> {
    anyhow::ensure!(n > 0, "N must be at least 1");
    let existing = event::Entity::find().count(db).await?;
    anyhow::ensure!(
        existing == 0,
        "the database already has {existing} events; seed an empty database"
    );
    let started = Instant::now();
    let people = 3 * n;
    let orgs = (n / 2).max(3);
    let posts = 2 * n;
    let stamp: DateTime<Utc> = Utc
        .from_utc_datetime(&as_of.and_hms_opt(0, 0, 0).unwrap_or_default())
        .with_timezone(&Utc);
    let plan = Plan {
        n,
        seed,
        people,
        orgs,
        posts,
        stamp,
        span: 5 * 365 + 1,
        as_of,
    };
    let mut rows = tables::directory(db, &plan).await?;
    rows += tables::events(db, &plan).await?;
    rows += tables::programme(db, &plan).await?;
    rows += tables::posts(db, &plan).await?;

    reset_sequences(db).await?;
    crate::db::analyze(db).await?;
    Ok(SeedReport {
        events: n,
        rows,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// PostgreSQL sequences do not follow explicit ids: move them past the seeded rows.
async fn reset_sequences(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for table in [
        "organizations",
        "people",
        "events",
        "talks",
        "sponsorships",
        "organizers",
        "terms",
        "posts",
        "mentions",
    ] {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        ))
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::data::Rng;

    #[test]
    fn the_generator_is_deterministic() {
        let a: Vec<u64> = (0..5).map(|_| Rng::new(7, 3).next()).collect();
        let b: Vec<u64> = (0..5).map(|_| Rng::new(7, 3).next()).collect();
        assert_eq!(a, b);
        assert_ne!(Rng::new(7, 3).next(), Rng::new(7, 4).next());
        assert_ne!(Rng::new(7, 3).next(), Rng::new(8, 3).next());
    }

    #[test]
    fn statements_stay_within_parameter_limits() {
        for columns in [2, 12, 30] {
            assert!(rows_per_statement(columns) * columns <= 30_000);
        }
    }
}
