//! The test harness: fresh databases per test and a `TestApp` running the real server.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use actix_web::dev::ServerHandle;
use api::Application;
use api::config::{DatabaseSettings, Settings};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::Value;

/// Which database server the suite runs against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    /// Admin URL of a PostgreSQL server (any database on it).
    Postgres(String),
    /// Admin URL of a MySQL/MariaDB server.
    MySql(String),
}

impl Backend {
    pub fn from_env() -> Self {
        if let Some(url) = non_empty_env("EVENTDIR_TEST_POSTGRES_URL") {
            Backend::Postgres(url)
        } else if let Some(url) = non_empty_env("EVENTDIR_TEST_MYSQL_URL") {
            Backend::MySql(url)
        } else {
            Backend::Sqlite
        }
    }
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// A database created for one test and dropped when the test ends.
pub struct TestDb {
    pub url: String,
    backend: Backend,
    name: String,
    /// Holds the SQLite file's directory until the test ends.
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDb {
    pub async fn new() -> Self {
        let backend = Backend::from_env();
        let name = format!(
            "eventdir_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            chrono::Utc::now().timestamp_subsec_nanos()
        );
        match &backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().join("eventdir.db");
                let url = format!("sqlite://{}?mode=rwc", path.display());
                Self {
                    url,
                    backend,
                    name,
                    _dir: Some(dir),
                }
            }
            Backend::Postgres(admin) | Backend::MySql(admin) => {
                let create = if matches!(backend, Backend::Postgres(_)) {
                    format!("CREATE DATABASE \"{name}\"")
                } else {
                    format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
                };
                let conn = Database::connect(admin.as_str()).await.unwrap_or_else(|e| {
                    panic!("cannot reach the test database server {admin}: {e}")
                });
                conn.execute_unprepared(&create)
                    .await
                    .expect("create test database");
                conn.close().await.ok();
                let url = with_database(admin, &name);
                Self {
                    url,
                    backend,
                    name,
                    _dir: None,
                }
            }
        }
    }

    pub async fn connect(&self) -> DatabaseConnection {
        api::db::connect(&DatabaseSettings::new(&self.url))
            .await
            .expect("connect")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let (admin, drop) = match &self.backend {
            Backend::Sqlite => return,
            Backend::Postgres(admin) => (
                admin.clone(),
                format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name),
            ),
            Backend::MySql(admin) => (
                admin.clone(),
                format!("DROP DATABASE IF EXISTS `{}`", self.name),
            ),
        };
        // Drop runs inside the test's runtime: do the async work on a thread of its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let conn = Database::connect(admin.as_str()).await.ok()?;
                conn.execute_unprepared(&drop).await.ok()?;
                conn.close().await.ok()
            })
        })
        .join();
    }
}

/// `admin` with its database path replaced by `name`.
fn with_database(admin: &str, name: &str) -> String {
    let (base, query) = admin
        .split_once('?')
        .map_or((admin, None), |(b, q)| (b, Some(q)));
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[after_scheme..]
        .find('/')
        .map_or(base.len(), |i| after_scheme + i);
    let mut url = format!("{}/{name}", &base[..host_end]);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}

/// The real server, on a random port, over a fresh database.
pub struct TestApp {
    pub address: String,
    /// The separate metrics address (`settings.metrics_bind`), when there is one.
    pub metrics_address: Option<String>,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    handle: ServerHandle,
    database_url: String,
    /// Dropped after the server, which drops the database (none when the app was spawned on
    /// another test's database).
    _test_db: Option<TestDb>,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// Spawns with settings adjusted by `tweak`.
    pub async fn spawn_with(tweak: impl FnOnce(&mut Settings)) -> Self {
        Self::spawn_with_routes(tweak, |_| {}).await
    }

    /// Spawns with extra routes mounted beside the API (routes that misbehave on purpose).
    pub async fn spawn_with_routes(
        tweak: impl FnOnce(&mut Settings),
        extra: fn(&mut actix_web::web::ServiceConfig),
    ) -> Self {
        let test_db = TestDb::new().await;
        let url = test_db.url.clone();
        Self::spawn_inner(&url, Some(test_db), tweak, extra).await
    }

    /// Spawns a server on an existing database (another test app's, or through a proxy).
    pub async fn spawn_on(url: &str, tweak: impl FnOnce(&mut Settings)) -> Self {
        Self::spawn_inner(url, None, tweak, |_| {}).await
    }

    async fn spawn_inner(
        url: &str,
        test_db: Option<TestDb>,
        tweak: impl FnOnce(&mut Settings),
        extra: fn(&mut actix_web::web::ServiceConfig),
    ) -> Self {
        let mut settings = Settings::new(url.to_owned());
        settings.bind = "127.0.0.1:0".to_owned();
        settings.workers = Some(1);
        settings.handle_signals = false;
        settings.shutdown_grace = Duration::from_secs(1);
        settings.database.max_connections = 4;
        // Tests read right after writing: the data version is checked on every request.
        settings.cache_max_staleness = Duration::ZERO;
        tweak(&mut settings);
        let db = api::db::connect(&settings.database).await.expect("connect");
        api::db::migrate(&db).await.expect("migrate");
        if settings.corpus.is_some() {
            // The corpus import of `build`, then the extra routes.
            db.close().await.ok();
            let app = Application::build(settings)
                .await
                .expect("build the application");
            return Self::running(app, test_db, url.to_owned());
        }
        let app = Application::build_with_routes(settings, db, extra)
            .await
            .expect("build the application");
        Self::running(app, test_db, url.to_owned())
    }

    fn running(app: Application, test_db: Option<TestDb>, database_url: String) -> Self {
        let address = format!("http://127.0.0.1:{}", app.port());
        let metrics_address = app
            .metrics_port()
            .map(|port| format!("http://127.0.0.1:{port}"));
        let db = app.db().clone();
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self {
            address,
            metrics_address,
            client,
            db,
            handle,
            database_url,
            _test_db: test_db,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// The URL of the test's database, for a second server on it.
    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// GET and parse the JSON body, asserting the status.
    pub async fn get_json(&self, path: &str, status: u16) -> Value {
        let response = self.get(path).await;
        assert_eq!(response.status().as_u16(), status, "GET {path}");
        response.json().await.expect("JSON body")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        drop(handle.stop(false));
    }
}

/// Asserts a problem+json response with this status, returning its body.
pub async fn assert_problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.expect("problem body");
    assert_eq!(body["status"], status);
    assert!(body["type"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(body["detail"].as_str().is_some_and(|t| !t.is_empty()));
    body
}

/// The `field`s named in a problem's `errors`.
pub fn problem_fields(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn database_urls_are_rewritten() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("mysql://root@127.0.0.1:3306", "x"),
        "mysql://root@127.0.0.1:3306/x"
    );
    assert_eq!(
        with_database("mysql://root@h/db?ssl-mode=disabled", "x"),
        "mysql://root@h/x?ssl-mode=disabled"
    );
}

/// The id of the event with this slug.
pub async fn event_id(db: &DatabaseConnection, slug: &str) -> i64 {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    entity::event::Entity::find()
        .filter(entity::event::Column::Slug.eq(slug))
        .one(db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no event {slug}"))
        .id
}

/// A `TestApp` over the corpus whose database counts every statement it runs.
pub async fn spawn_counting() -> (TestApp, std::sync::Arc<AtomicU32>) {
    // Handlers' own cost: the response cache is off.
    spawn_counting_with(|s| s.cache_size = 0).await
}

/// [`spawn_counting`] with settings adjusted by `tweak`.
pub async fn spawn_counting_with(
    tweak: impl FnOnce(&mut Settings),
) -> (TestApp, std::sync::Arc<AtomicU32>) {
    let test_db = TestDb::new().await;
    let mut db = test_db.connect().await;
    let count = std::sync::Arc::new(AtomicU32::new(0));
    let counter = count.clone();
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    api::db::migrate(&db).await.expect("migrate");
    let catalog = api::import::load_catalog(None).unwrap();
    api::import::import_dir(
        &db,
        &crate::import::corpus_dir(),
        &catalog,
        api::import::Progress::Quiet,
    )
    .await
    .unwrap();
    let mut settings = Settings::new(test_db.url.clone());
    settings.bind = "127.0.0.1:0".to_owned();
    settings.workers = Some(1);
    settings.handle_signals = false;
    tweak(&mut settings);
    let app = Application::build_with_db(settings, db.clone())
        .await
        .expect("build");
    let address = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::new();
    (
        TestApp {
            address,
            metrics_address: None,
            client,
            db,
            handle,
            database_url: test_db.url.clone(),
            _test_db: Some(test_db),
        },
        count,
    )
}
