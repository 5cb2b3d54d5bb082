//! Logging: human-readable by default, JSON with `EVENTDIR_LOG_FORMAT=json`; `RUST_LOG` filters.
//! Logs go to stderr so that stdout carries only a command's output.
//!
//! Beside the log, a small layer counts the database operations waiting for a pooled
//! connection (the pool itself does not say): see [`pool_waiting`].

use std::io::IsTerminal as _;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use tracing::span::{Attributes, Id};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{EnvFilter, fmt};

/// Installs the global subscriber once; later calls do nothing.
pub fn init(json: bool) {
    init_with("info,sqlx=warn,sea_orm=warn", json);
}

/// [`init`] with the filter used when `RUST_LOG` is not set.
pub fn init_with(default_filter: &str, json: bool) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let log = fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let log = if json {
        log.json().flatten_event(true).boxed()
    } else {
        log.boxed()
    };
    let installed = tracing_subscriber::registry()
        .with(log.with_filter(filter))
        .with(PoolWaits.with_filter(PoolWaits::targets()))
        .try_init()
        .is_ok();
    if installed {
        POOL_WAITS_COUNTED.store(true, Ordering::Relaxed);
    }
}

/// Database operations of this process waiting for a pooled connection now; `None` when
/// nothing counts them (the subscriber of [`init`] is not installed).
pub fn pool_waiting() -> Option<u64> {
    POOL_WAITS_COUNTED
        .load(Ordering::Relaxed)
        .then(|| POOL_WAITING.load(Ordering::Relaxed).max(0).unsigned_abs())
}

static POOL_WAITING: AtomicI64 = AtomicI64::new(0);
static POOL_WAITS_COUNTED: AtomicBool = AtomicBool::new(false);

/// The span sea-orm opens around each operation on a `DatabaseConnection` (a statement, a
/// stream, a `begin`), which takes a connection from the pool first.
const OPERATION_TARGET: &str = "sea_orm::database::db_connection";
/// The event sqlx emits once a connection is taken from the pool (with
/// `PoolOptions::acquire_time_level`, set in [`crate::db::connect`]).
const ACQUIRED_TARGET: &str = "sqlx::pool::acquire";

/// Counts operations from the moment sea-orm starts one until sqlx hands it a connection (or
/// the operation ends without one: a timeout, a dropped request).
struct PoolWaits;

/// Marks an operation span that has not got its connection yet.
struct Waiting;

impl PoolWaits {
    fn targets() -> Targets {
        Targets::new()
            .with_target(OPERATION_TARGET, Level::TRACE)
            .with_target(ACQUIRED_TARGET, Level::TRACE)
    }
}

impl<S> Layer<S> for PoolWaits
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, _attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        if span.metadata().target() != OPERATION_TARGET {
            return;
        }
        // An operation inside another that is still waiting (`transaction` → `begin`) is the
        // same wait: count it once.
        if span
            .scope()
            .skip(1)
            .any(|outer| outer.extensions().get::<Waiting>().is_some())
        {
            return;
        }
        span.extensions_mut().insert(Waiting);
        POOL_WAITING.fetch_add(1, Ordering::Relaxed);
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if event.metadata().target() != ACQUIRED_TARGET {
            return;
        }
        let Some(scope) = ctx.event_scope(event) else {
            return;
        };
        for span in scope {
            if span.extensions_mut().remove::<Waiting>().is_some() {
                POOL_WAITING.fetch_sub(1, Ordering::Relaxed);
                return;
            }
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(&id)
            && span.extensions_mut().remove::<Waiting>().is_some()
        {
            POOL_WAITING.fetch_sub(1, Ordering::Relaxed);
        }
    }
}
