//! What a write of the API makes stale in the response caches of every replica, recorded in
//! its own transaction (`cache_invalidations`, under the data version it commits as).
//!
//! The vocabulary, shared with the cache (`crate::cache::Tags`):
//! - `slug:S` — every response that shows the record with slug `S` (or, for an event, its
//!   talks, sponsors and organizers);
//! - `page:S` — the event `S`'s own page (what only it shows: its attendees, its children);
//! - `events`, `people`, `organizations` — which records a list or a search holds, or in what
//!   order: what a create, a delete or a change of a filtered, sorted or searched field moves;
//! - `*` — everything.
//!
//! Every audit entry of a write notes what it touched ([`note`]); [`record`] writes them down
//! before the write commits. Writes outside [`collecting`] (the importer, the seed) record
//! nothing, and a data version with no row makes every replica drop its whole cache.

use std::cell::RefCell;
use std::collections::BTreeSet;

use entity::event;
use entity::sea_orm_active_enums::EntityType;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use serde_json::{Map, Value};

/// Fields of an event that only its own page shows.
pub const PAGE_ONLY: &[&str] = &["attendees"];

/// Fields of an event that responses showing it show, but that no list filters, sorts or
/// searches by: a change rewrites the responses that show the event, and moves no list.
pub const SHOWN_ONLY: &[&str] = &[
    "website",
    "registration_url",
    "cfp_opens_on",
    "cfp_closes_on",
    "image_url",
    "latitude",
    "longitude",
];

#[derive(Debug, Default)]
struct Stale {
    tags: BTreeSet<String>,
    /// Events whose pages show a changed child (their slugs are looked up when recorded).
    parents: BTreeSet<i64>,
}

tokio::task_local! {
    static STALE: RefCell<Stale>;
}

/// Runs a write of the API, collecting what it makes stale.
pub async fn collecting<F: std::future::Future>(write: F) -> F::Output {
    STALE.scope(RefCell::new(Stale::default()), write).await
}

/// What one audited change of a record touched: its type, slug (and former slug), the event
/// it belongs to, and the fields that changed (`None`: created or deleted).
pub(super) fn note(
    kind: EntityType,
    slug: &str,
    before: Option<&Map<String, Value>>,
    event_id: Option<i64>,
    changed: Option<Vec<&str>>,
) {
    let _ = STALE.try_with(|stale| {
        let mut stale = stale.borrow_mut();
        let mut slugs = vec![slug.to_owned()];
        if let Some(old) = before.and_then(|b| b.get("slug")).and_then(Value::as_str) {
            slugs.push(old.to_owned());
        }
        let fields = |set: &[&str]| {
            changed
                .as_ref()
                .is_some_and(|c| c.iter().all(|f| set.contains(f)))
        };
        let mut tags: Vec<String> = Vec::new();
        match kind {
            EntityType::Event if fields(PAGE_ONLY) => {
                tags.extend(slugs.iter().map(|s| format!("page:{s}")));
            }
            EntityType::Event => {
                tags.extend(slugs.iter().map(|s| format!("slug:{s}")));
                let shown: Vec<&str> = PAGE_ONLY.iter().chain(SHOWN_ONLY).copied().collect();
                if !fields(&shown) {
                    tags.push("events".to_owned());
                }
            }
            EntityType::Person => {
                tags.extend(slugs.iter().map(|s| format!("slug:{s}")));
                tags.push("people".to_owned());
            }
            EntityType::Organization => {
                tags.extend(slugs.iter().map(|s| format!("slug:{s}")));
                tags.push("organizations".to_owned());
            }
            EntityType::Talk
            | EntityType::Sponsorship
            | EntityType::Organizer
            | EntityType::Participation => {
                tags.extend(slugs.iter().map(|s| format!("slug:{s}")));
                match event_id {
                    Some(id) => {
                        stale.parents.insert(id);
                    }
                    None => tags.push("*".to_owned()),
                }
            }
            _ => tags.push("*".to_owned()),
        }
        stale.tags.extend(tags);
    });
}

/// Writes down what this write made stale, under the data version it commits as (one
/// statement, and one more to name the events whose children changed).
pub(super) async fn record(txn: &impl ConnectionTrait) -> Result<(), DbErr> {
    let Ok((mut tags, parents)) = STALE.try_with(|stale| {
        let mut stale = stale.borrow_mut();
        (
            std::mem::take(&mut stale.tags),
            std::mem::take(&mut stale.parents),
        )
    }) else {
        return Ok(());
    };
    if !parents.is_empty() {
        let slugs: Vec<String> = event::Entity::find()
            .select_only()
            .column(event::Column::Slug)
            .filter(event::Column::Id.is_in(parents))
            .into_tuple()
            .all(txn)
            .await?;
        tags.extend(slugs.into_iter().map(|s| format!("page:{s}")));
    }
    let tags = if tags.contains("*") {
        "*".to_owned()
    } else {
        tags.into_iter().collect::<Vec<_>>().join(" ")
    };
    let insert = Query::insert()
        .into_table("cache_invalidations")
        .columns(["version", "tags"])
        .select_from(
            Query::select()
                .expr(Expr::col("value"))
                .expr(Expr::val(tags))
                .from("data_version")
                .and_where(Expr::col("id").eq(1))
                .to_owned(),
        )
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .to_owned();
    txn.execute(&insert).await?;
    prune(txn).await
}

/// Versions kept: far more than a replica falls behind within its staleness bound; one that
/// finds its next version gone drops its whole cache, as after an import.
const KEPT: i64 = 10_000;

/// Every thousandth write of this process drops the rows older than [`KEPT`] versions.
async fn prune(txn: &impl ConnectionTrait) -> Result<(), DbErr> {
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    if WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 1000 != 999 {
        return Ok(());
    }
    let oldest = Query::select()
        .expr(Expr::col("value").sub(KEPT))
        .from("data_version")
        .and_where(Expr::col("id").eq(1))
        .to_owned();
    let delete = Query::delete()
        .from_table("cache_invalidations")
        .and_where(Expr::col("version").lt(Expr::SubQuery(None, Box::new(oldest.into()))))
        .to_owned();
    txn.execute(&delete).await?;
    Ok(())
}
