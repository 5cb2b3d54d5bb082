//! `/metrics` in the Prometheus text format (0.0.4): requests by route template, method and
//! status; latency histograms; the database pool; the response cache; the start-up import.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage as _, web};
use sea_orm::DatabaseConnection;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Debug, Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// One thread's counts: each worker writes its own, `/metrics` adds them up.
#[derive(Debug, Default)]
struct Shard {
    /// (route template, method label) → requests by status, and latency.
    series: HashMap<(Arc<str>, &'static str), Series>,
}

#[derive(Debug, Default)]
struct Series {
    /// Requests by status (a route answers with a handful of them).
    statuses: Vec<(u16, u64)>,
    latency: Histogram,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// This thread's shard of each `Metrics` (tests run several servers in one process).
    static SHARDS: std::cell::RefCell<HashMap<u64, Arc<Mutex<Shard>>>> = Default::default();
}

/// Everything counted since start.
#[derive(Debug)]
pub struct Metrics {
    id: u64,
    shards: Mutex<Vec<Arc<Mutex<Shard>>>>,
    pub cache_hits: AtomicU64,
    pub cache_misses: AtomicU64,
    pub import_posts_imported: AtomicU64,
    pub import_posts_unchanged: AtomicU64,
    pub import_posts_failed: AtomicU64,
}

impl Default for Metrics {
    fn default() -> Self {
        Self {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            shards: Mutex::default(),
            cache_hits: AtomicU64::default(),
            cache_misses: AtomicU64::default(),
            import_posts_imported: AtomicU64::default(),
            import_posts_unchanged: AtomicU64::default(),
            import_posts_failed: AtomicU64::default(),
        }
    }
}

impl Metrics {
    /// This thread's shard (made and registered on first use).
    fn shard(&self) -> Arc<Mutex<Shard>> {
        SHARDS.with(|shards| {
            shards
                .borrow_mut()
                .entry(self.id)
                .or_insert_with(|| {
                    let shard = Arc::new(Mutex::new(Shard::default()));
                    self.shards
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(shard.clone());
                    shard
                })
                .clone()
        })
    }
}

/// HTTP's standard methods (RFC 9110 and PATCH).
const STANDARD: [Method; 9] = [
    Method::GET,
    Method::HEAD,
    Method::POST,
    Method::PUT,
    Method::DELETE,
    Method::PATCH,
    Method::OPTIONS,
    Method::TRACE,
    Method::CONNECT,
];

/// Whether `method` is one of HTTP's standard methods.
pub fn is_standard(method: &Method) -> bool {
    STANDARD.contains(method)
}

/// The label of a request's method: one of the standard methods, or `OTHER` for any other
/// token a client sends, so that no client can grow the number of series.
fn method_label(method: &Method) -> &'static str {
    STANDARD
        .iter()
        .find(|m| *m == method)
        .map_or("OTHER", Method::as_str)
}

impl Metrics {
    fn observe(&self, route: Arc<str>, method: &Method, status: u16, seconds: f64) {
        let shard = self.shard();
        let mut shard = shard.lock().unwrap_or_else(|e| e.into_inner());
        let series = shard
            .series
            .entry((route, method_label(method)))
            .or_default();
        match series.statuses.iter_mut().find(|(s, _)| *s == status) {
            Some((_, n)) => *n += 1,
            None => series.statuses.push((status, 1)),
        }
        let h = &mut series.latency;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.counts[i] += 1;
            }
        }
        h.count += 1;
        h.sum += seconds;
    }

    /// The text exposition, with the pool and cache as they are now.
    pub fn render(
        &self,
        db: &DatabaseConnection,
        cache_bytes: usize,
        data_version: Option<i64>,
    ) -> String {
        let mut requests: BTreeMap<(String, String, u16), u64> = BTreeMap::new();
        let mut latency: BTreeMap<(String, String), Histogram> = BTreeMap::new();
        for shard in self.shards.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            let shard = shard.lock().unwrap_or_else(|e| e.into_inner());
            for ((route, method), series) in &shard.series {
                let (route, method) = (route.to_string(), method.to_string());
                for (status, n) in &series.statuses {
                    *requests
                        .entry((route.clone(), method.clone(), *status))
                        .or_default() += n;
                }
                let h = &series.latency;
                let total = latency.entry((route, method)).or_default();
                for (t, c) in total.counts.iter_mut().zip(h.counts) {
                    *t += c;
                }
                total.count += h.count;
                total.sum += h.sum;
            }
        }
        let mut out = String::new();
        out.push_str("# HELP eventdir_http_requests_total HTTP requests by route template, method and status.\n");
        out.push_str("# TYPE eventdir_http_requests_total counter\n");
        for ((route, method, status), n) in &requests {
            let _ = writeln!(
                out,
                "eventdir_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {n}",
                escape(route)
            );
        }
        out.push_str("# HELP eventdir_http_request_duration_seconds Time to answer, by route template and method.\n");
        out.push_str("# TYPE eventdir_http_request_duration_seconds histogram\n");
        for ((route, method), h) in &latency {
            let labels = format!("route=\"{}\",method=\"{method}\"", escape(route));
            for (bound, n) in BUCKETS.iter().zip(h.counts) {
                let _ = writeln!(
                    out,
                    "eventdir_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "eventdir_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "eventdir_http_request_duration_seconds_sum{{{labels}}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "eventdir_http_request_duration_seconds_count{{{labels}}} {}",
                h.count
            );
        }
        let (size, idle, max) = pool_state(db);
        out.push_str("# HELP eventdir_db_pool_connections Pooled database connections by state.\n");
        out.push_str("# TYPE eventdir_db_pool_connections gauge\n");
        let _ = writeln!(
            out,
            "eventdir_db_pool_connections{{state=\"in_use\"}} {}",
            size.saturating_sub(idle)
        );
        let _ = writeln!(out, "eventdir_db_pool_connections{{state=\"idle\"}} {idle}");
        let _ = writeln!(out, "eventdir_db_pool_connections{{state=\"max\"}} {max}");
        if let Some(waiting) = crate::telemetry::pool_waiting() {
            out.push_str("# HELP eventdir_db_pool_waiting Database operations of this process waiting for a pooled connection.\n");
            out.push_str("# TYPE eventdir_db_pool_waiting gauge\n");
            let _ = writeln!(out, "eventdir_db_pool_waiting {waiting}");
        }
        let counters = [
            (
                "eventdir_cache_hits_total",
                "Public reads answered from the response cache.",
                self.cache_hits.load(Ordering::Relaxed),
            ),
            (
                "eventdir_cache_misses_total",
                "Public reads the response cache did not have.",
                self.cache_misses.load(Ordering::Relaxed),
            ),
        ];
        for (name, help, value) in counters {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP eventdir_cache_bytes Bytes held by the response cache.\n# TYPE eventdir_cache_bytes gauge\neventdir_cache_bytes {cache_bytes}"
        );
        if let Some(version) = data_version {
            let _ = writeln!(
                out,
                "# HELP eventdir_data_version The data version this process last read.\n# TYPE eventdir_data_version gauge\neventdir_data_version {version}"
            );
        }
        out.push_str(
            "# HELP eventdir_import_posts_total Posts of the start-up import, by outcome.\n",
        );
        out.push_str("# TYPE eventdir_import_posts_total counter\n");
        for (outcome, counter) in [
            ("imported", &self.import_posts_imported),
            ("unchanged", &self.import_posts_unchanged),
            ("failed", &self.import_posts_failed),
        ] {
            let _ = writeln!(
                out,
                "eventdir_import_posts_total{{outcome=\"{outcome}\"}} {}",
                counter.load(Ordering::Relaxed)
            );
        }
        out
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"")
}

/// (connections open, idle, maximum) of the pool.
fn pool_state(db: &DatabaseConnection) -> (u32, u32, u32) {
    macro_rules! of {
        ($pool:expr) => {{
            let pool = $pool;
            (
                pool.size(),
                pool.num_idle() as u32,
                pool.options().get_max_connections(),
            )
        }};
    }
    match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => of!(db.get_sqlite_connection_pool()),
        sea_orm::DbBackend::Postgres => of!(db.get_postgres_connection_pool()),
        sea_orm::DbBackend::MySql => of!(db.get_mysql_connection_pool()),
        _ => (0, 0, 0),
    }
}

/// The route template of a response served without routing (from the cache).
#[derive(Debug, Clone)]
pub struct Route(pub Arc<str>);

/// Counts every request by the route template it matched (`unmatched` for none).
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let method = req.method().clone();
    let started = Instant::now();
    let result = next
        .call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body);
    if let Some(metrics) = metrics {
        let (route, status) = match &result {
            Ok(res) => {
                let known = res
                    .request()
                    .extensions()
                    .get::<Route>()
                    .map(|r| r.0.clone());
                let route = known
                    .or_else(|| res.request().match_pattern().map(Arc::from))
                    .unwrap_or_else(|| Arc::from("unmatched"));
                (route, res.status().as_u16())
            }
            Err(err) => (
                Arc::from("unmatched"),
                err.as_response_error().status_code().as_u16(),
            ),
        };
        metrics.observe(route, &method, status, started.elapsed().as_secs_f64());
    }
    result
}
