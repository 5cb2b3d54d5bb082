//! The binary under operators' hands: SIGTERM with a request in flight, `kill -9` in the middle
//! of an import.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use entity::sea_orm_active_enums::TokenRole;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, TransactionTrait};

use crate::cli::{Server, eventdir};
use crate::helpers::TestDb;

#[tokio::test]
async fn sigterm_lets_the_request_in_flight_finish_then_exits_zero() {
    let test_db = TestDb::new().await;
    let db = test_db.connect().await;
    api::db::migrate(&db).await.unwrap();
    let (_, secret) = api::services::tokens::create(&db, "ops", TokenRole::Admin, &[], &[])
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = eventdir(dir.path());
    cmd.args(["serve", "--bind", "127.0.0.1:0", "--shutdown-grace", "20"])
        .env("DATABASE_URL", &test_db.url);
    let mut server = Server::start(cmd);
    let client = reqwest::Client::new();
    assert_eq!(
        client
            .get(server.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // Another writer holds the write lock: the server's write waits for it, in flight.
    let blocker = db.begin().await.unwrap();
    blocker
        .execute_unprepared("UPDATE data_version SET value = value + 1 WHERE id = 1")
        .await
        .unwrap();
    let write = tokio::spawn({
        let client = client.clone();
        let url = server.url("/api/v1/speakers");
        async move {
            client
                .post(url)
                .bearer_auth(secret)
                .json(&serde_json::json!({"name": "Late Writer"}))
                .send()
                .await
                .map(|r| r.status().as_u16())
        }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    let pid = server_pid(&server);
    // SAFETY: signalling our own child process.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    tokio::time::sleep(Duration::from_millis(500)).await;
    // It no longer accepts connections…
    let refused = client
        .get(server.url("/healthz"))
        .timeout(Duration::from_secs(2))
        .send()
        .await;
    assert!(
        refused.is_err(),
        "a new connection after SIGTERM: {refused:?}"
    );
    // …but the request in flight completes once the lock is released.
    blocker.rollback().await.unwrap();
    assert_eq!(write.await.unwrap().unwrap(), 201);
    let status = server.wait(Duration::from_secs(30));
    assert_eq!(status.code(), Some(0));
    let people = entity::person::Entity::find().count(&db).await.unwrap();
    assert_eq!(people, 1, "the write was committed");
}

fn server_pid(server: &Server) -> i32 {
    server.pid() as i32
}

/// Every post with its authors, terms and mentions, keyed by slug.
async fn posts_in(db: &DatabaseConnection) -> BTreeMap<String, (String, usize, usize, usize)> {
    use entity::{mention, post, post_author, post_term};
    use sea_orm::{ColumnTrait, QueryFilter};
    let mut out = BTreeMap::new();
    for p in post::Entity::find().all(db).await.unwrap() {
        let authors = post_author::Entity::find()
            .filter(post_author::Column::PostId.eq(p.id))
            .count(db)
            .await
            .unwrap() as usize;
        let terms = post_term::Entity::find()
            .filter(post_term::Column::PostId.eq(p.id))
            .count(db)
            .await
            .unwrap() as usize;
        let mentions = mention::Entity::find()
            .filter(mention::Column::PostId.eq(p.id))
            .count(db)
            .await
            .unwrap() as usize;
        out.insert(p.slug, (p.content_hash, authors, terms, mentions));
    }
    out
}

fn generate_corpus(dir: &Path, posts: usize) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/gen_corpus.py");
    let status = std::process::Command::new("python3")
        .arg(script)
        .arg(dir)
        .arg(posts.to_string())
        .stdout(Stdio::null())
        .status()
        .expect("python3 runs the corpus generator");
    assert!(status.success());
}

fn import(dir: &Path, corpus: &Path, url: &str) -> std::process::Command {
    let mut cmd = eventdir(dir);
    cmd.arg("import")
        .arg(corpus)
        .env("DATABASE_URL", url)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

#[tokio::test]
async fn kill_9_during_an_import_leaves_whole_posts_and_a_rerun_completes_it() {
    let work = tempfile::tempdir().unwrap();
    let corpus = work.path().join("corpus");
    generate_corpus(&corpus, 2500);

    // What a complete import gives.
    let reference_db = TestDb::new().await;
    let status = import(work.path(), &corpus, &reference_db.url)
        .status()
        .unwrap();
    assert!(status.success());
    let reference = reference_db.connect().await;
    let expected = posts_in(&reference).await;
    assert_eq!(expected.len(), 2500);

    // The same import, killed once some batches have committed.
    let test_db = TestDb::new().await;
    let db = test_db.connect().await;
    api::db::migrate(&db).await.unwrap();
    let mut child = import(work.path(), &corpus, &test_db.url).spawn().unwrap();
    let mut committed = 0;
    for _ in 0..2000 {
        committed = entity::post::Entity::find().count(&db).await.unwrap_or(0);
        if committed > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(committed > 0, "no batch committed before the kill");

    let partial = posts_in(&db).await;
    assert!(
        partial.len() < expected.len(),
        "the import finished before the kill; make the corpus larger"
    );
    for (slug, whole) in &partial {
        assert_eq!(Some(whole), expected.get(slug), "{slug} is not whole");
    }

    let status = import(work.path(), &corpus, &test_db.url).status().unwrap();
    assert!(status.success(), "the second import completes");
    assert_eq!(posts_in(&db).await, expected);
}
