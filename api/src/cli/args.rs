//! The command line's arguments: what each command takes, with its environment variable.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{DEFAULT_BIND, DEFAULT_DATABASE_URL, DatabaseSettings};

/// The directory of cloud-native community events, served as a JSON REST API.
#[derive(Debug, Parser)]
#[command(name = "eventdir", version, about, propagate_version = true)]
pub struct Cli {
    /// Log format on stderr.
    #[arg(long, env = "EVENTDIR_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, import the corpus into an empty database, and serve the API.
    Serve(ServeArgs),
    /// Apply, roll back or inspect database migrations.
    Migrate(MigrateArgs),
    /// Import a Hugo blog corpus and the catalog; exits non-zero when any file failed.
    Import(ImportArgs),
    /// Create, list and revoke API tokens for the write API.
    Token(TokenArgs),
    /// Print the OpenAPI document to stdout.
    Openapi,
    /// Fill an empty database with a deterministic synthetic dataset (for benchmarks).
    Seed(SeedArgs),
    /// List every fact an event serves that no source backs; exits non-zero when there is one.
    Audit(AuditArgs),
    /// Print the events and series each post of a directory names; with `--expect`, score
    /// them (precision and recall per form of mention).
    Mentions(MentionsArgs),
}

#[derive(Debug, Args)]
pub struct MentionsArgs {
    /// A directory of Hugo posts.
    pub dir: PathBuf,
    /// What the posts name (YAML: post file → `editions: {name: class}`, `series: [name]`).
    #[arg(long)]
    pub expect: Option<PathBuf>,
    /// Exit non-zero when the editions' precision or recall is below this.
    #[arg(long)]
    pub min: Option<f64>,
    /// A catalog file instead of the one shipped with the binary.
    #[arg(long)]
    pub catalog: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// Number of events; about 3N people, N/2 organizations, 2N talks and 2N posts go with them.
    #[arg(long)]
    pub synthetic: u64,
    /// Seed of the generator: the same N, seed and as-of date give the same rows.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Events spread from five years before to five years after this date (default: today).
    #[arg(long)]
    pub as_of: Option<chrono::NaiveDate>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Where the database is.
#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// Database URL: `sqlite://FILE`, `postgres://…` or `mysql://…`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
    /// Largest number of pooled database connections.
    #[arg(long, env = "EVENTDIR_DB_MAX_CONNECTIONS", default_value_t = 16)]
    pub db_max_connections: u32,
    /// Seconds a request waits for a database connection before answering 503.
    #[arg(long, env = "EVENTDIR_DB_ACQUIRE_TIMEOUT", default_value_t = 2.0)]
    pub db_acquire_timeout: f64,
}

impl DatabaseArgs {
    pub(super) fn settings(&self) -> DatabaseSettings {
        DatabaseSettings {
            url: self.database_url.clone(),
            max_connections: self.db_max_connections.max(1),
            acquire_timeout: Duration::from_secs_f64(self.db_acquire_timeout.max(0.1)),
        }
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "EVENTDIR_BIND", default_value = DEFAULT_BIND)]
    pub bind: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Hugo blog corpus imported into an empty database before serving.
    #[arg(long, env = "EVENTDIR_CORPUS")]
    pub corpus: Option<PathBuf>,
    /// Catalog of events, people and organizations (default: the one built in).
    #[arg(long, env = "EVENTDIR_CATALOG")]
    pub catalog: Option<PathBuf>,
    /// Import the corpus even when the database already has posts.
    #[arg(long, env = "EVENTDIR_REIMPORT")]
    pub reimport: bool,
    /// HTTP worker threads (default: one per CPU core).
    #[arg(long, env = "EVENTDIR_WORKERS")]
    pub workers: Option<usize>,
    /// Seconds in-flight requests may take to finish after SIGTERM or Ctrl-C.
    #[arg(long, env = "EVENTDIR_SHUTDOWN_GRACE", default_value_t = 30)]
    pub shutdown_grace: u64,
    /// `Cache-Control: public, max-age=N` on API reads, in seconds.
    #[arg(long, env = "EVENTDIR_CACHE_MAX_AGE", default_value_t = 60)]
    pub cache_max_age: u32,
    /// Origins allowed to call from a browser, comma-separated; `*` allows any.
    #[arg(
        long,
        env = "EVENTDIR_CORS_ORIGINS",
        value_delimiter = ',',
        default_value = "*"
    )]
    pub cors_origins: Vec<String>,
    /// Megabytes of memory for cached responses of public reads (0: no cache).
    #[arg(long, env = "EVENTDIR_CACHE_SIZE_MB", default_value_t = 16)]
    pub cache_size_mb: usize,
    /// Milliseconds a read may lag a write made through another process (how long the data
    /// version read from the database is trusted; 0: read it on every request).
    #[arg(long, env = "EVENTDIR_CACHE_MAX_STALENESS_MS", default_value_t = 500)]
    pub cache_max_staleness_ms: u64,
    /// Requests one worker serves at once; more get 503 with Retry-After at once.
    #[arg(long, env = "EVENTDIR_MAX_IN_FLIGHT", default_value_t = 1024)]
    pub max_in_flight: usize,
    /// Seconds a request may take before it is cancelled with a 503.
    #[arg(long, env = "EVENTDIR_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout: u64,
    /// Writes one API token may make per minute (0: unlimited).
    #[arg(long, env = "EVENTDIR_WRITE_RATE_LIMIT", default_value_t = 120)]
    pub write_rate_limit: u32,
    /// A separate address for `/metrics` (e.g. `0.0.0.0:9090`), kept off the public port: the
    /// API's address then answers 404 on `/metrics`.
    #[arg(long, env = "EVENTDIR_METRICS_BIND")]
    pub metrics_bind: Option<String>,
    /// Public base URL of the absolute links in feeds and JSON-LD (`https://events.example`);
    /// without it they are root-relative (or built from a trusted proxy's forwarding headers).
    #[arg(long, env = "EVENTDIR_PUBLIC_URL", value_parser = crate::origin::public_url)]
    pub public_url: Option<String>,
    /// Where the corpus' posts are published (`https://blog.example/blog`): a post's page is
    /// `<URL>/<slug>/`, which the Atom feed links to as the entry's `text/html` alternate.
    #[arg(long, env = "EVENTDIR_CORPUS_SITE_URL", value_parser = crate::origin::public_url)]
    pub corpus_site_url: Option<String>,
    /// Proxies (addresses or CIDR blocks, comma-separated) whose `Forwarded` /
    /// `X-Forwarded-Proto` / `X-Forwarded-Host` headers are believed; no one's by default.
    #[arg(long, env = "EVENTDIR_TRUSTED_PROXIES", value_delimiter = ',', value_parser = crate::origin::proxy)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Directory of Hugo content files (searched recursively for .md).
    pub dir: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Catalog of events, people and organizations (default: the one built in).
    #[arg(long, env = "EVENTDIR_CATALOG")]
    pub catalog: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(subcommand)]
    pub action: TokenAction,
}

#[derive(Debug, Subcommand)]
pub enum TokenAction {
    /// Create a token and print its secret, once, alone on stdout.
    Create {
        /// A unique name for the token (who or what uses it).
        #[arg(long)]
        name: String,
        /// `admin` edits everything; `organizer` edits its events and creates in its series.
        #[arg(long, value_enum)]
        role: RoleArg,
        /// An event (slug) the organizer may edit; repeat for more.
        #[arg(long = "event")]
        events: Vec<String>,
        /// A series the organizer may create events in; repeat for more.
        #[arg(long = "series")]
        series: Vec<String>,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by name.
    Revoke {
        /// The token's name.
        name: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Admin,
    Organizer,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(subcommand)]
    pub action: MigrateAction,
}

#[derive(Debug, Subcommand)]
pub enum MigrateAction {
    /// Apply pending migrations.
    Up {
        /// Apply at most this many (default: all).
        #[arg(long)]
        steps: Option<u32>,
    },
    /// Roll back applied migrations.
    Down {
        /// Roll back this many (default: 1).
        #[arg(long, default_value_t = 1, conflicts_with = "all")]
        steps: u32,
        /// Roll back every migration.
        #[arg(long)]
        all: bool,
    },
    /// Drop every table and apply all migrations again.
    Fresh,
    /// List migrations and whether each is applied.
    Status,
}
