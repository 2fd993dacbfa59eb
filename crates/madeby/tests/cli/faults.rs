//! Faults and secrets: the server killed with SIGKILL in the middle of a stream of writes keeps
//! every write it acknowledged, and its database passes the integrity check after a restart;
//! a PostgreSQL restarted under a running server is reconnected to without restarting the
//! server; passwords and tokens never reach a log line.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const PASSWORD: &str = "a long enough password 123";

/// Starts `madeby serve` on a free port and returns it with its base URL.
fn start_server(data_dir: &Path) -> (Child, String) {
    start_server_logging(data_dir, Stdio::null())
}

/// As [`start_server`], with its log (standard error, at debug level) sent to `log`.
fn start_server_logging(data_dir: &Path, log: Stdio) -> (Child, String) {
    start_server_on(&["--data-dir", data_dir.to_str().expect("UTF-8 path")], log)
}

/// Starts `madeby <global options> serve` and returns it with its base URL.
fn start_server_on(global: &[&str], log: Stdio) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_madeby"))
        .args(global)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env_remove("DATABASE_URL")
        .env_remove("MADEBY_DATA")
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("start madeby serve");
    let lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    for line in lines {
        let line = line.expect("a line of output");
        if let Some(url) = line.split("serving on ").nth(1) {
            let url = url
                .split_whitespace()
                .next()
                .expect("URL")
                .trim_end_matches('/');
            return (child, url.to_owned());
        }
    }
    let status = child.wait();
    panic!("madeby serve ended without serving: {status:?}");
}

/// Adds ann@acme.example, an enterprise user of Acme, with [`PASSWORD`].
fn add_member(data_dir: &Path) {
    let mut add = Command::new(env!("CARGO_BIN_EXE_madeby"))
        .arg("--data-dir")
        .arg(data_dir)
        .args([
            "user",
            "add",
            "--email",
            "ann@acme.example",
            "--name",
            "Ann",
        ])
        .args(["--role", "enterprise", "--org", "Acme", "--password-stdin"])
        .env_remove("DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(PASSWORD.as_bytes())
        .unwrap();
    assert!(add.wait().unwrap().success());
}

/// An API token for ann@acme.example, through the API.
async fn api_token(client: &reqwest::Client, base: &str) -> String {
    let token: Value = client
        .post(format!("{base}/api/v1/tokens"))
        .json(&json!({"email": "ann@acme.example", "password": PASSWORD, "name": "writer"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    token["token"].as_str().expect("a token").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_write_survives_a_kill_and_the_database_stays_sound() {
    // Arrange: a member of Acme, a running server and an API token.
    let dir = tempfile::tempdir().unwrap();
    add_member(dir.path());
    let (mut server, base) = start_server(dir.path());
    let client = reqwest::Client::new();
    let token = api_token(&client, &base).await;

    // Act: two writers create projects as fast as the server acknowledges them; the server
    // is killed (SIGKILL, no shutdown) once 40 have been acknowledged.
    let acknowledged = Arc::new(Mutex::new(Vec::<i64>::new()));
    let mut writers = Vec::new();
    for writer in 0..2 {
        let (client, base, token, acknowledged) = (
            client.clone(),
            base.clone(),
            token.clone(),
            acknowledged.clone(),
        );
        writers.push(tokio::spawn(async move {
            for k in 0.. {
                let body = json!({"title_en": format!("Line {writer}-{k}"), "title_zh": "生產線",
                                  "stage": "lead", "visibility": "private"});
                let sent = client
                    .post(format!("{base}/api/v1/projects"))
                    .bearer_auth(&token)
                    .json(&body)
                    .timeout(Duration::from_secs(5))
                    .send()
                    .await;
                let Ok(res) = sent else { break };
                if res.status() != reqwest::StatusCode::CREATED {
                    break;
                }
                let Ok(project) = res.json::<Value>().await else {
                    break;
                };
                acknowledged
                    .lock()
                    .unwrap()
                    .push(project["id"].as_i64().expect("id"));
            }
        }));
    }
    let started = Instant::now();
    while acknowledged.lock().unwrap().len() < 40 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "writes too slow to test"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    for writer in writers {
        writer.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    let (mut server, base) = start_server(dir.path());
    let listed: Vec<Value> = client
        .get(format!("{base}/api/v1/projects"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    server.kill().unwrap();
    server.wait().unwrap();

    // Assert
    let stored: Vec<i64> = listed.iter().map(|p| p["id"].as_i64().unwrap()).collect();
    let lost: Vec<&i64> = acknowledged
        .iter()
        .filter(|id| !stored.contains(id))
        .collect();
    assert!(acknowledged.len() >= 40);
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    let url = store::DatabaseUrl::sqlite_in(dir.path());
    let store = store::Store::connect(&url).await.unwrap();
    store
        .integrity_check()
        .await
        .expect("the database is sound");
}

#[tokio::test]
async fn no_password_or_token_reaches_the_log_even_at_debug_level() {
    // Arrange: the server logs at debug level to a file.
    let dir = tempfile::tempdir().unwrap();
    add_member(dir.path());
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let (mut server, base) = start_server_logging(dir.path(), Stdio::from(log));
    let client = reqwest::Client::new();

    // Act: a failed and a good sign-in through the API, then requests with the token.
    let wrong = "the wrong password 999";
    client
        .post(format!("{base}/api/v1/tokens"))
        .json(&json!({"email": "ann@acme.example", "password": wrong, "name": "x"}))
        .send()
        .await
        .unwrap();
    let token = api_token(&client, &base).await;
    for path in ["/api/v1/me", "/api/v1/projects", "/api/v1/plan"] {
        let res = client
            .get(format!("{base}{path}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{path}: {}", res.status());
    }
    server.kill().unwrap();
    server.wait().unwrap();

    // Assert: the log has request lines, and none of the secrets.
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        log.contains("/api/v1/projects"),
        "the log records requests: {log}"
    );
    for secret in [PASSWORD, wrong, token.as_str()] {
        assert!(!log.contains(secret), "a secret reached the log");
    }
}

#[tokio::test]
async fn the_server_reconnects_to_a_restarted_postgresql_without_a_restart_of_its_own() {
    // Arrange: the server on this test binary's own PostgreSQL, which no other test uses
    // while this one holds the lock.
    let _exclusive = crate::POSTGRES.write().await;
    let pg = testkit::TestPostgres::shared();
    let url = pg.fresh_database();
    let (mut server, base) = start_server_on(&["--database", &url], Stdio::null());
    let client = reqwest::Client::new();
    let health = |client: reqwest::Client, base: String| async move {
        client
            .get(format!("{base}/health"))
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .map(|r| r.status())
    };
    assert_eq!(health(client.clone(), base.clone()).await.unwrap(), 200);

    // Act: restart PostgreSQL under it; every pooled connection is cut.
    pg.restart();

    // Assert: within 30 s it answers again from the database, reads and writes.
    let started = Instant::now();
    loop {
        if let Ok(status) = health(client.clone(), base.clone()).await {
            if status == 200 {
                break;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no reconnection in 30 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let locations = client
        .get(format!("{base}/api/v1/locations"))
        .send()
        .await
        .unwrap();
    assert_eq!(locations.status(), 200);
    let refused = client
        .post(format!("{base}/api/v1/tokens"))
        .json(&json!({"email": "nobody@acme.example", "password": PASSWORD, "name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        refused.status(),
        401,
        "a sign-in attempt is checked and recorded again"
    );
    server.kill().unwrap();
    server.wait().unwrap();
}
