//! Settings, from flags and `EVENTDIR_*` / `DATABASE_URL` environment variables (see `cli`).

use std::path::PathBuf;
use std::time::Duration;

/// The default database: a SQLite file in the working directory, created when missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://eventdir.db?mode=rwc";
/// The default address to listen on.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// How to reach the database and how many connections to hold.
#[derive(Clone, Debug)]
pub struct DatabaseSettings {
    /// `sqlite://…`, `postgres://…` or `mysql://…`.
    pub url: String,
    /// Largest number of pooled connections.
    pub max_connections: u32,
    /// How long a request waits for a pooled connection before it gets a 503.
    pub acquire_timeout: Duration,
}

impl DatabaseSettings {
    /// Settings for `url` with the default pool.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: 16,
            acquire_timeout: Duration::from_secs(2),
        }
    }
}

/// Everything `eventdir serve` needs.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Address to listen on; port 0 picks a free port.
    pub bind: String,
    pub database: DatabaseSettings,
    /// Corpus imported into an empty database at start-up.
    pub corpus: Option<PathBuf>,
    /// Catalog file; the one built into the binary when `None`.
    pub catalog: Option<PathBuf>,
    /// Import the corpus even when the database already has posts.
    pub reimport: bool,
    /// HTTP worker threads (default: one per core).
    pub workers: Option<usize>,
    /// How long in-flight requests may run after a shutdown signal.
    pub shutdown_grace: Duration,
    /// `max-age` of public API reads, in seconds.
    pub cache_max_age: u32,
    /// Origins allowed to call from a browser; `*` allows any.
    pub cors_origins: Vec<String>,
    /// Memory for cached responses of public reads, in bytes (0: no cache).
    pub cache_size: usize,
    /// How long this process may use the data version it last read before reading it again:
    /// the bound on how stale a read can be after a write through another process.
    pub cache_max_staleness: Duration,
    /// Requests one worker serves at once; more are answered 503 at once.
    pub max_in_flight: usize,
    /// How long a request may take before it is cancelled with a 503.
    pub request_timeout: Duration,
    /// Writes one token may make per minute (a token bucket of this size, refilled evenly);
    /// 0 turns the limit off.
    pub write_rate_limit: u32,
    /// The public base URL (`https://events.example`) of the absolute links responses carry;
    /// without it they are root-relative, or built from what a trusted proxy forwarded.
    pub public_url: Option<String>,
    /// Where the corpus' posts are published: a post's page is `<URL>/<slug>/`.
    pub corpus_site_url: Option<String>,
    /// A separate address for `/metrics` (which the API's address then answers 404 for).
    pub metrics_bind: Option<String>,
    /// Peers whose `Forwarded` / `X-Forwarded-*` headers are believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Whether the server listens for SIGTERM/SIGINT itself (off in tests, which stop it by handle).
    pub handle_signals: bool,
}

impl Settings {
    /// Settings with every default, on the given database.
    pub fn new(database_url: impl Into<String>) -> Self {
        Self {
            bind: DEFAULT_BIND.to_owned(),
            database: DatabaseSettings::new(database_url),
            corpus: None,
            catalog: None,
            reimport: false,
            workers: None,
            shutdown_grace: Duration::from_secs(30),
            cache_max_age: 60,
            cors_origins: vec!["*".to_owned()],
            write_rate_limit: 120,
            cache_size: 16 << 20,
            max_in_flight: 1024,
            request_timeout: Duration::from_secs(30),
            cache_max_staleness: Duration::from_millis(500),
            public_url: None,
            corpus_site_url: None,
            metrics_bind: None,
            trusted_proxies: Vec::new(),
            handle_signals: true,
        }
    }
}
