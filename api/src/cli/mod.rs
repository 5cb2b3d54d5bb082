//! The `eventdir` command line: parsing ([`args`]) and running each command.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait as _, DbBackend};

use crate::config::Settings;
use crate::services::tokens;
use crate::{Application, db, import, openapi, telemetry};

mod args;
pub mod mentions;

pub use args::*;

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

/// Parses the command line, runs the command, and maps failure to one line on stderr.
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
        Command::Audit(args) => audit(args).await,
        Command::Mentions(args) => mentions::run(args).await,
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
        public_url: args.public_url,
        corpus_site_url: args.corpus_site_url,
        metrics_bind: args.metrics_bind,
        trusted_proxies: args.trusted_proxies,
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

/// Prints `slug: field, field` for each event with facts nothing backs.
async fn audit(args: AuditArgs) -> anyhow::Result<ExitCode> {
    let conn = db::connect(&args.database.settings()).await?;
    db::migrate(&conn).await?;
    let gaps = crate::services::sources::unsourced_events(&conn).await?;
    for (slug, fields) in &gaps {
        println!("{slug}: {}", fields.join(", "));
    }
    let facts: usize = gaps.iter().map(|(_, f)| f.len()).sum();
    eprintln!("{facts} facts without a source in {} events", gaps.len());
    Ok(if gaps.is_empty() {
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
