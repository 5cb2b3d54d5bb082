//! The `Application`: the one seam shared by `main` and the tests.

use std::net::TcpListener;

use actix_cors::Cors;
use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpServer, web};
use anyhow::Context as _;
use sea_orm::DatabaseConnection;
use utoipa_actix_web::AppExt as _;

use crate::config::Settings;
use crate::middleware::{self, CachePolicy};
use crate::state::AppState;
use crate::{db, extract, import, routes};

/// A migrated database and a bound, not yet running, HTTP server.
pub struct Application {
    port: u16,
    metrics_port: Option<u16>,
    server: Server,
    db: DatabaseConnection,
    metrics: web::Data<crate::metrics::Metrics>,
}

impl Application {
    /// Connects, migrates, imports the corpus into an empty database, and binds.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let db = db::connect(&settings.database).await?;
        db::migrate(&db).await?;
        if let Err(err) = db::optimize(&db).await {
            tracing::warn!(error = %err, "could not refresh the planner's statistics");
        }
        let report = match &settings.corpus {
            Some(corpus) => {
                import_at_startup(&db, corpus, settings.catalog.as_deref(), settings.reimport)
                    .await?
            }
            None => None,
        };
        let app = Self::build_with_db(settings, db).await?;
        if let Some(report) = report {
            use std::sync::atomic::Ordering::Relaxed;
            let m = &app.metrics;
            m.import_posts_imported
                .store((report.created + report.updated) as u64, Relaxed);
            m.import_posts_unchanged
                .store(report.unchanged as u64, Relaxed);
            m.import_posts_failed.store(report.failed() as u64, Relaxed);
        }
        Ok(app)
    }

    /// Binds a server over an existing, migrated connection, with extra routes (tests mount
    /// ones that misbehave on purpose).
    pub async fn build_with_routes(
        settings: Settings,
        db: DatabaseConnection,
        extra: fn(&mut web::ServiceConfig),
    ) -> anyhow::Result<Self> {
        Self::assemble(settings, db, extra).await
    }

    /// Binds a server over an existing, migrated connection.
    pub async fn build_with_db(settings: Settings, db: DatabaseConnection) -> anyhow::Result<Self> {
        Self::assemble(settings, db, |_| {}).await
    }

    async fn assemble(
        settings: Settings,
        db: DatabaseConnection,
        extra: fn(&mut web::ServiceConfig),
    ) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let metrics_listener = match &settings.metrics_bind {
            Some(bind) => Some(
                TcpListener::bind(bind)
                    .with_context(|| format!("cannot listen on {bind} for metrics"))?,
            ),
            None => None,
        };
        let metrics_address = match &metrics_listener {
            Some(l) => Some(l.local_addr()?),
            None => None,
        };
        let separate =
            metrics_address.map(|a| web::Data::new(crate::admission::MetricsListener(a)));
        let state = web::Data::new(AppState {
            db: db.clone(),
            origin: crate::origin::Origin::new(
                settings.public_url.clone(),
                settings.trusted_proxies.clone(),
            ),
            corpus_site: settings.corpus_site_url.clone(),
        });
        let policy = web::Data::new(CachePolicy {
            max_age: settings.cache_max_age,
        });
        let limiter = web::Data::new(crate::auth::WriteLimiter::new(settings.write_rate_limit));
        let response_cache = web::Data::new(crate::cache::ResponseCache::new(settings.cache_size));
        let data_version =
            web::Data::new(crate::cache::DataVersion::new(settings.cache_max_staleness));
        let metrics = web::Data::new(crate::metrics::Metrics::default());
        let bounds = web::Data::new(crate::resilience::Bounds {
            max_in_flight: settings.max_in_flight,
            request_timeout: settings.request_timeout,
        });
        let cors_origins = settings.cors_origins.clone();
        let document = crate::openapi::spec();
        let routes_table = web::Data::new(routes::RouteTable::from_spec(&document));
        let spec = web::Data::new(routes::docs::SpecJson(crate::openapi::to_json(&document)));
        let metrics_handle = metrics.clone();
        let mut server = HttpServer::new(move || {
            let mut app = App::new();
            if let Some(separate) = &separate {
                app = app.app_data(separate.clone());
            }
            app.app_data(state.clone())
                .app_data(policy.clone())
                .app_data(spec.clone())
                .app_data(routes_table.clone())
                .app_data(limiter.clone())
                .app_data(response_cache.clone())
                .app_data(data_version.clone())
                .app_data(metrics.clone())
                .app_data(bounds.clone())
                // One count a worker: each worker thread bounds its own requests.
                .app_data(web::Data::new(crate::resilience::InFlight::default()))
                .configure(extra)
                .configure(extract::configure)
                .service(routes::docs::swagger_ui())
                .route("/docs", web::get().to(routes::docs::docs_redirect))
                .into_utoipa_app()
                .configure(routes::configure)
                .into_app()
                .default_service(web::to(routes::not_found))
                .wrap(from_fn(crate::admission::refuse_malformed))
                .wrap(from_fn(middleware::conditional_get))
                .wrap(from_fn(crate::admission::separate_metrics))
                .wrap(from_fn(crate::resilience::catch_panic))
                .wrap(from_fn(crate::resilience::bound))
                .wrap(cors(&cors_origins))
                .wrap(Compress::default())
                .wrap(from_fn(crate::metrics::record))
                .wrap(from_fn(middleware::request_id))
        })
        .listen(listener)?;
        if let Some(metrics_listener) = metrics_listener {
            server = server.listen(metrics_listener)?;
        }
        let mut server = server
            .shutdown_timeout(settings.shutdown_grace.as_secs())
            .disable_signals();
        if let Some(workers) = settings.workers {
            server = server.workers(workers);
        }
        if settings.handle_signals {
            server = server.shutdown_signal(shutdown_signal());
        }
        let server = server.run();
        tracing::info!(address = %format!("{}:{port}", host_of(&settings.bind)), "listening");
        if let Some(address) = metrics_address {
            tracing::info!(address = %address, "serving /metrics");
        }
        Ok(Self {
            port,
            metrics_port: metrics_address.map(|a| a.port()),
            server,
            db,
            metrics: metrics_handle,
        })
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port of the separate metrics address, when there is one.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics_port
    }

    /// A handle to stop the server.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// The database the server uses.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Serves until stopped; in-flight requests finish, then the pool is closed.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await?;
        let _ = self.db.close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// Imports the corpus before serving, when the database has no posts yet (or when asked).
async fn import_at_startup(
    db: &DatabaseConnection,
    corpus: &std::path::Path,
    catalog: Option<&std::path::Path>,
    reimport: bool,
) -> anyhow::Result<Option<import::Report>> {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let has_posts = entity::post::Entity::find().count(db).await? > 0;
    if has_posts && !reimport {
        tracing::info!("the database has posts; not importing the corpus (use --reimport)");
        return Ok(None);
    }
    let catalog = import::load_catalog(catalog)?;
    let report = import::import_dir(db, corpus, &catalog, import::Progress::Quiet).await?;
    for failure in &report.failures {
        tracing::warn!(path = %failure.path.display(), reason = %failure.reason, "file not imported");
    }
    tracing::info!(corpus = %corpus.display(), "{}", report.summary());
    Ok(Some(report))
}

/// CORS: reads from the configured origins (`*`: any), writes with the headers they need.
fn cors(origins: &[String]) -> Cors {
    use actix_web::http::header;
    let mut cors = Cors::default()
        .allowed_methods(["GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            header::ACCEPT,
            middleware::X_REQUEST_ID,
        ])
        .expose_headers([
            header::ETAG,
            header::LINK,
            header::LOCATION,
            header::RETRY_AFTER,
            middleware::X_REQUEST_ID,
        ])
        .max_age(3600);
    if origins.is_empty() || origins.iter().any(|o| o == "*") {
        cors = cors.allow_any_origin();
    } else {
        for origin in origins {
            cors = cors.allowed_origin(origin);
        }
    }
    cors
}

fn host_of(bind: &str) -> &str {
    bind.rsplit_once(':').map_or(bind, |(host, _)| host)
}

/// Resolves on SIGTERM or Ctrl-C (SIGINT): both shut down gracefully.
async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(err) => {
                    tracing::warn!(error = %err, "cannot listen for SIGTERM");
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => tracing::info!("interrupt received; shutting down gracefully"),
            _ = term.recv() => tracing::info!("SIGTERM received; shutting down gracefully"),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
