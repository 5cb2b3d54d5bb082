//! The `eventdir` command line.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait as _, DbBackend};

use crate::config::{DEFAULT_BIND, DEFAULT_DATABASE_URL, DatabaseSettings, Settings};
use crate::services::tokens;
use crate::{Application, db, import, openapi, telemetry};

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
    fn settings(&self) -> DatabaseSettings {
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

/// Parses the command line, runs the command, and maps failure to one line on stderr.
/// Every environment variable the command line reads, for checking deployment files.
pub fn environment_variables() -> Vec<String> {
    use clap::CommandFactory;
    fn collect(cmd: &clap::Command, out: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            if let Some(env) = arg.get_env() {
                out.push(env.to_string_lossy().into_owned());
            }
        }
        for sub in cmd.get_subcommands() {
            collect(sub, out);
        }
    }
    let mut out = Vec::new();
    collect(&Cli::command(), &mut out);
    // Read by the log filter rather than by a flag.
    out.push("RUST_LOG".to_owned());
    out.sort();
    out.dedup();
    out
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(cli.log_format == LogFormat::Json);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("eventdir: error: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("eventdir: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve(args) => serve(args).await,
        Command::Migrate(args) => migrate(args).await,
        Command::Import(args) => import_corpus(args).await,
        Command::Token(args) => token(args).await,
        Command::Seed(args) => seed(args).await,
        Command::Openapi => {
            print!("{}", openapi::spec_json());
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let settings = Settings {
        bind: args.bind,
        database: args.database.settings(),
        corpus: args.corpus,
        catalog: args.catalog,
        reimport: args.reimport,
        workers: args.workers,
        shutdown_grace: Duration::from_secs(args.shutdown_grace),
        cache_max_age: args.cache_max_age,
        cors_origins: args.cors_origins,
        write_rate_limit: args.write_rate_limit,
        cache_size: args.cache_size_mb << 20,
        max_in_flight: args.max_in_flight,
        request_timeout: Duration::from_secs(args.request_timeout),
        cache_max_staleness: Duration::from_millis(args.cache_max_staleness_ms),
        handle_signals: true,
    };
    let app = Application::build(settings).await?;
    app.run_until_stopped().await?;
    Ok(ExitCode::SUCCESS)
}

async fn import_corpus(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let catalog = import::load_catalog(args.catalog.as_deref())?;
    let conn = db::connect(&args.database.settings()).await?;
    db::migrate(&conn).await?;
    let report = import::import_dir(&conn, &args.dir, &catalog, import::Progress::Auto).await?;
    for (path, n) in &report.repairs {
        eprintln!("{}: {n} mojibake repairs", path.display());
    }
    eprintln!("{}", report.summary());
    Ok(if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

async fn seed(args: SeedArgs) -> anyhow::Result<ExitCode> {
    let mut settings = args.database.settings();
    // Batches are written one after another, so one connection; on SQLite its page cache is
    // made large enough (256 MB) to keep the indexes being filled in memory, instead of
    // evicting and re-reading their pages on every batch of a million-event load.
    settings.max_connections = 1;
    let conn = db::connect(&settings).await?;
    if conn.get_database_backend() == DbBackend::Sqlite {
        conn.execute_unprepared("PRAGMA cache_size = -262144")
            .await?;
    }
    db::migrate(&conn).await?;
    let as_of = args
        .as_of
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let report = crate::seed::synthetic(&conn, args.synthetic, args.seed, as_of).await?;
    println!(
        "seeded {} events ({} rows) in {:.2} s: {:.0} rows/s",
        report.events,
        report.rows,
        report.seconds,
        report.rows_per_second()
    );
    conn.close().await?;
    Ok(ExitCode::SUCCESS)
}

async fn token(args: TokenArgs) -> anyhow::Result<ExitCode> {
    use entity::sea_orm_active_enums::TokenRole;
    let conn = db::connect(&args.database.settings()).await?;
    db::migrate(&conn).await?;
    match args.action {
        TokenAction::Create {
            name,
            role,
            events,
            series,
        } => {
            let role = match role {
                RoleArg::Admin => TokenRole::Admin,
                RoleArg::Organizer => TokenRole::Organizer,
            };
            let (_, secret) = tokens::create(&conn, &name, role, &events, &series).await?;
            println!("{secret}");
        }
        TokenAction::List => {
            println!(
                "{:<24} {:<10} {:<20} {:<20} {:<20} scope",
                "name", "role", "created", "last used", "revoked"
            );
            let day = |t: Option<chrono::DateTime<chrono::Utc>>| {
                t.map_or_else(
                    || "-".to_owned(),
                    |t| t.format("%Y-%m-%d %H:%M").to_string(),
                )
            };
            for t in tokens::list(&conn).await? {
                println!(
                    "{:<24} {:<10} {:<20} {:<20} {:<20} events {} series {}",
                    t.name,
                    t.role,
                    day(Some(t.created_at)),
                    day(t.last_used_at),
                    day(t.revoked_at),
                    t.event_ids,
                    t.series
                );
            }
        }
        TokenAction::Revoke { name } => {
            if !tokens::revoke(&conn, &name).await? {
                anyhow::bail!("no token is named {name:?}");
            }
            eprintln!("revoked {name:?}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn migrate(args: MigrateArgs) -> anyhow::Result<ExitCode> {
    let mut settings = args.database.settings();
    // One connection: SQLite's foreign-key switch below is per connection.
    settings.max_connections = 1;
    let conn = db::connect(&settings).await?;
    match args.action {
        MigrateAction::Up { steps } => Migrator::up(&conn, steps).await?,
        MigrateAction::Down { steps, all } => {
            Migrator::down(&conn, if all { None } else { Some(steps) }).await?
        }
        MigrateAction::Fresh => {
            // SQLite checks foreign keys while dropping tables one by one; the schema is
            // rebuilt whole right after, so the check is off for the duration.
            let sqlite = conn.get_database_backend() == DbBackend::Sqlite;
            if sqlite {
                conn.execute_unprepared("PRAGMA foreign_keys = OFF").await?;
            }
            Migrator::fresh(&conn).await?;
            if sqlite {
                conn.execute_unprepared("PRAGMA foreign_keys = ON").await?;
            }
        }
        MigrateAction::Status => {
            for m in Migrator::get_migration_with_status(&conn).await? {
                let status = match m.status() {
                    migration::MigrationStatus::Applied => "applied",
                    _ => "pending",
                };
                println!("{status:8} {}", m.name());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
