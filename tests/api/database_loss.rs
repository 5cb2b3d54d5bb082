//! Losing the database: 503s within the acquire timeout, `/readyz` 503, and recovery without a
//! restart when it returns. The server reaches PostgreSQL/MariaDB through a TCP proxy of the
//! test's own, which the test cuts and restores. On SQLite: a locked or read-only file.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sea_orm::{ConnectionTrait, TransactionTrait};
use tokio::io::copy_bidirectional;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::fixtures;
use crate::helpers::{Backend, TestApp, assert_problem};
use crate::writes::{admin, post};

/// A TCP proxy to `target` that can be cut (every connection closed, new ones refused) and
/// restored.
struct Proxy {
    port: u16,
    up: Arc<AtomicBool>,
    cut: watch::Sender<u64>,
}

impl Proxy {
    async fn start(target: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let (cut, cuts) = watch::channel(0u64);
        let accepting = up.clone();
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !accepting.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let target = target.clone();
                let mut cuts = cuts.clone();
                // Only cuts after this connection was made end it.
                cuts.borrow_and_update();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(&target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = copy_bidirectional(&mut client, &mut server) => {}
                        _ = cuts.changed() => {}
                    }
                });
            }
        });
        Proxy { port, up, cut }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.cut.send_modify(|n| *n += 1);
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

/// `url` with its host and port replaced by the proxy's.
fn through(url: &str, port: u16) -> (String, String) {
    let scheme_end = url.find("://").unwrap() + 3;
    let at = url[scheme_end..]
        .find('@')
        .map_or(scheme_end, |i| scheme_end + i + 1);
    let host_end = url[at..].find('/').map_or(url.len(), |i| at + i);
    let target = url[at..host_end].to_owned();
    let proxied = format!("{}127.0.0.1:{port}{}", &url[..at], &url[host_end..]);
    (proxied, target)
}

#[tokio::test]
async fn a_lost_database_is_503_and_the_server_recovers_without_a_restart() {
    if Backend::from_env() == Backend::Sqlite {
        return; // A file cannot be cut off; see the SQLite tests below.
    }
    // The database the test owns (created directly), reached by the server through the proxy.
    let direct = TestApp::spawn().await;
    fixtures::insert_event(&direct.db, "kcd-lima-2024", Some("2024-06-01")).await;
    fixtures::changed(&direct.db).await;
    let (_, target) = through(direct.database_url(), 0);
    let proxy = Proxy::start(target).await;
    let (proxied, _) = through(direct.database_url(), proxy.port);
    let app = TestApp::spawn_on(&proxied, |s| {
        s.database.acquire_timeout = Duration::from_secs(1);
    })
    .await;
    let path = "/api/v1/events/kcd-lima-2024";
    assert_eq!(app.get_json(path, 200).await["slug"], "kcd-lima-2024");
    assert_eq!(app.get("/readyz").await.status(), 200);

    proxy.cut();
    for probe in [path, "/api/v1/events", "/readyz"] {
        let response = app
            .client
            .get(app.url(probe))
            .timeout(Duration::from_secs(15))
            .send()
            .await
            .expect("an answer within the bound, not a hang");
        assert_eq!(response.headers()["retry-after"], "2");
        assert_problem(response, 503).await;
    }
    assert_eq!(app.get("/healthz").await.status(), 200, "the process lives");

    proxy.restore();
    let mut recovered = false;
    for _ in 0..100 {
        if app.get(path).await.status() == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(recovered, "the server did not recover");
    assert_eq!(app.get_json(path, 200).await["slug"], "kcd-lima-2024");
    assert_eq!(app.get("/readyz").await.status(), 200);
}

#[tokio::test]
async fn a_locked_sqlite_file_refuses_writes_with_503_and_keeps_serving_reads() {
    if Backend::from_env() != Backend::Sqlite {
        return;
    }
    let app = TestApp::spawn().await;
    fixtures::insert_event(&app.db, "kcd-lima-2024", Some("2024-06-01")).await;
    fixtures::changed(&app.db).await;
    let secret = admin(&app).await;
    // Another process's long write transaction.
    let other = api::db::connect(&api::config::DatabaseSettings::new(app.database_url()))
        .await
        .unwrap();
    let lock = other.begin().await.unwrap();
    lock.execute_unprepared("UPDATE data_version SET value = value + 1 WHERE id = 1")
        .await
        .unwrap();
    let refused = post(
        &app,
        "/api/v1/speakers",
        &secret,
        serde_json::json!({"name": "Ana"}),
    )
    .await;
    assert_problem(refused, 503).await;
    assert_eq!(
        app.get_json("/api/v1/events/kcd-lima-2024", 200).await["slug"],
        "kcd-lima-2024"
    );
    lock.rollback().await.unwrap();
    let accepted = post(
        &app,
        "/api/v1/speakers",
        &secret,
        serde_json::json!({"name": "Ana"}),
    )
    .await;
    assert_eq!(accepted.status(), 201);
}

#[tokio::test]
async fn a_read_only_sqlite_file_refuses_writes_with_503_and_serves_reads() {
    if Backend::from_env() != Backend::Sqlite {
        return;
    }
    let writable = TestApp::spawn().await;
    fixtures::insert_event(&writable.db, "kcd-lima-2024", Some("2024-06-01")).await;
    fixtures::changed(&writable.db).await;
    let secret = admin(&writable).await;
    let read_only = writable.database_url().replace("mode=rwc", "mode=ro");
    let app = TestApp::spawn_on(&read_only, |_| {}).await;
    assert_eq!(
        app.get_json("/api/v1/events/kcd-lima-2024", 200).await["slug"],
        "kcd-lima-2024"
    );
    let refused = post(
        &app,
        "/api/v1/speakers",
        &secret,
        serde_json::json!({"name": "Ana"}),
    )
    .await;
    assert_problem(refused, 503).await;
    assert_eq!(app.get("/api/v1/speakers").await.status(), 200);
}
