//! The `eventdir` binary as operators run it.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::helpers::TestDb;

const BIN: &str = env!("CARGO_BIN_EXE_eventdir");

/// `eventdir` with a clean environment (only PATH kept), in `dir`.
pub(crate) fn eventdir(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .stdin(Stdio::null());
    cmd
}

/// A running `eventdir serve` and the address it logged.
pub(crate) struct Server {
    child: Child,
    pub(crate) address: String,
    /// Every line the server wrote to stderr so far.
    pub(crate) log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    pub(crate) fn start(mut cmd: Command) -> Server {
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn eventdir");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line.clone());
                // `address=…` in text logs, `"address":"…"` in JSON ones.
                let found = line
                    .split("address=")
                    .nth(1)
                    .or_else(|| line.split("\"address\":\"").nth(1));
                if let Some(rest) = found {
                    let _ = tx.send(
                        rest.split(|c: char| c.is_whitespace() || c == '"')
                            .next()
                            .unwrap_or_default()
                            .to_owned(),
                    );
                }
            }
        });
        let address = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server logs its address");
        Server {
            child,
            address,
            log,
        }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the process to exit by itself.
    pub(crate) fn wait(&mut self, limit: Duration) -> std::process::ExitStatus {
        wait_timeout(&mut self.child, limit).expect("the server exits")
    }

    fn terminate(&mut self) -> std::process::ExitStatus {
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        wait_timeout(&mut self.child, Duration::from_secs(30)).expect("exits after SIGTERM")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_timeout(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if let Some(status) = child.try_wait().ok().flatten() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[tokio::test]
async fn serve_with_no_flags_creates_the_sqlite_file_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = eventdir(dir.path());
    cmd.arg("serve");
    let mut server = Server::start(cmd);
    assert_eq!(server.address, "127.0.0.1:8080");
    assert!(dir.path().join("eventdir.db").exists());

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
    assert_eq!(
        client
            .get(server.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let missing = client
        .get(server.url("/api/v1/events/no-such-event"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing.headers()["content-type"],
        "application/problem+json"
    );

    assert!(server.terminate().success());
}

#[tokio::test]
async fn sigterm_stops_the_server_with_status_zero_on_the_test_backend() {
    let test_db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = eventdir(dir.path());
    cmd.args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", &test_db.url);
    let mut server = Server::start(cmd);
    let client = reqwest::Client::new();
    let body: serde_json::Value = client
        .get(server.url("/api/v1/events"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"], serde_json::json!([]));

    let status = server.terminate();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn an_unreachable_database_is_one_clear_line_and_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let output = eventdir(dir.path())
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--db-acquire-timeout",
            "1",
        ])
        .env("DATABASE_URL", "postgres://postgres@127.0.0.1:1/eventdir")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].starts_with("eventdir: error: cannot connect to the database"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
    assert!(!stderr.contains("backtrace"));
}

#[test]
fn migrate_status_down_and_up_work_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = eventdir(dir.path())
            .arg("migrate")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let total = <migration::Migrator as migration::MigratorTrait>::migrations().len();
    let status = run(&["status"]);
    assert_eq!(
        status.lines().filter(|l| l.starts_with("pending")).count(),
        total
    );
    run(&["up"]);
    assert_eq!(
        run(&["status"])
            .lines()
            .filter(|l| l.starts_with("applied"))
            .count(),
        total
    );
    run(&["down", "--steps", "2"]);
    assert_eq!(
        run(&["status"])
            .lines()
            .filter(|l| l.starts_with("pending"))
            .count(),
        2
    );
    run(&["fresh"]);
    assert_eq!(
        run(&["status"])
            .lines()
            .filter(|l| l.starts_with("applied"))
            .count(),
        total
    );
    run(&["down", "--all"]);
    assert_eq!(
        run(&["status"])
            .lines()
            .filter(|l| l.starts_with("pending"))
            .count(),
        total
    );
}

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["migrate", "up", "--help"],
        vec!["migrate", "down", "--help"],
        vec!["migrate", "fresh", "--help"],
        vec!["migrate", "status", "--help"],
        vec!["import", "--help"],
        vec!["token", "create", "--help"],
        vec!["token", "list", "--help"],
        vec!["token", "revoke", "--help"],
        vec!["openapi", "--help"],
    ] {
        let out = eventdir(dir.path()).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage:"),
            "{args:?}"
        );
    }
}

#[test]
fn import_reports_bad_files_by_path_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(
        corpus.join("good.md"),
        "---\ntitle: Good\ndate: 2024-01-01\n---\nFine.\n",
    )
    .unwrap();
    std::fs::write(corpus.join("broken.md"), "---\ntitle: Broken\n").unwrap();

    let out = eventdir(dir.path())
        .args(["import", "corpus"])
        .output()
        .unwrap();

    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken.md: line 1, column 1: unterminated YAML front matter"),
        "{stderr}"
    );
    assert!(
        stderr.contains("posts created 1") && stderr.contains("failed 1"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn import_of_the_blog_corpus_succeeds_and_summarizes() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = crate::import::corpus_dir();
    let out = eventdir(dir.path())
        .arg("import")
        .arg(&corpus)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("files read 5, posts created 5"), "{stderr}");
    assert!(
        stderr.contains("kcd-colombia-2025.md: 7 mojibake repairs"),
        "{stderr}"
    );
}

#[tokio::test]
async fn tokens_are_created_listed_and_revoked_without_their_secrets_being_kept() {
    use entity::api_token;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let test_db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        eventdir(dir.path())
            .arg("token")
            .args(args)
            .env("DATABASE_URL", &test_db.url)
            .output()
            .unwrap()
    };
    // The catalog's events exist once the corpus is imported.
    let corpus = crate::import::corpus_dir();
    let imported = eventdir(dir.path())
        .arg("import")
        .arg(&corpus)
        .env("DATABASE_URL", &test_db.url)
        .output()
        .unwrap();
    assert!(imported.status.success());

    let created = run(&[
        "create",
        "--name",
        "mexico-team",
        "--role",
        "organizer",
        "--event",
        "kcd-mexico-2024",
        "--series",
        "kcd-mexico",
    ]);
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let stdout = String::from_utf8(created.stdout).unwrap();
    assert_eq!(
        stdout.lines().count(),
        1,
        "the secret alone on stdout: {stdout:?}"
    );
    let secret = stdout.trim();
    assert!(secret.starts_with("edt_") && secret.len() == 68, "{secret}");

    let db = test_db.connect().await;
    let stored = api_token::Entity::find()
        .filter(api_token::Column::Name.eq("mexico-team"))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.secret_hash,
        api::services::tokens::hash_secret(secret)
    );
    assert_ne!(stored.secret_hash, secret);
    assert_eq!(stored.series, serde_json::json!(["kcd-mexico"]));
    // A series is named by its slug: a name is refused with the slug to use.
    let named = run(&[
        "create",
        "--name",
        "named",
        "--role",
        "organizer",
        "--series",
        "KCD Mexico",
    ]);
    assert!(!named.status.success());
    assert!(String::from_utf8_lossy(&named.stderr).contains("`kcd-mexico`"));

    let admin = run(&["create", "--name", "ops", "--role", "admin"]);
    assert!(admin.status.success());
    let listed = String::from_utf8(run(&["list"]).stdout).unwrap();
    assert!(
        listed.contains("mexico-team") && listed.contains("ops"),
        "{listed}"
    );
    assert!(!listed.contains(secret), "list never shows secrets");

    let duplicate = run(&["create", "--name", "ops", "--role", "admin"]);
    assert!(!duplicate.status.success());
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("already exists"));
    let unknown = run(&[
        "create",
        "--name",
        "x",
        "--role",
        "organizer",
        "--event",
        "no-such-event",
    ]);
    assert!(
        String::from_utf8_lossy(&unknown.stderr)
            .contains("no event has the slug \"no-such-event\"")
    );
    let unscoped = run(&["create", "--name", "y", "--role", "organizer"]);
    assert!(!unscoped.status.success());

    assert!(run(&["revoke", "ops"]).status.success());
    let revoked = api_token::Entity::find()
        .filter(api_token::Column::Name.eq("ops"))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(revoked.revoked_at.is_some());
    assert!(!run(&["revoke", "nobody"]).status.success());
}

#[tokio::test]
async fn json_logs_carry_the_request_id_on_every_line_of_a_request() {
    let test_db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = eventdir(dir.path());
    cmd.args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", &test_db.url)
        .env("EVENTDIR_LOG_FORMAT", "json")
        .env("RUST_LOG", "info,api=debug");
    let server = Server::start(cmd);
    let response = reqwest::Client::new()
        .get(server.url("/api/v1/events/none"))
        .header("X-Request-Id", "log-check-7")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let mut mine = Vec::new();
    for _ in 0..100 {
        mine = server
            .log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains("log-check-7"))
            .cloned()
            .collect();
        if !mine.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!mine.is_empty(), "no log line of the request");
    for line in &mine {
        let json: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        assert!(json["level"].is_string() && json["timestamp"].is_string());
        assert!(line.contains("\"request_id\":\"log-check-7\""), "{line}");
    }
    for line in server.log.lock().unwrap().iter() {
        serde_json::from_str::<serde_json::Value>(line)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    }
}
