//! An import interrupted half-way leaves nothing behind (issue 9): `madeby data load` of a
//! large generated folder, killed with SIGKILL while it writes its rows, leaves every table as
//! it was and the SQLite file sound, on both backends.

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::text;

/// Documents added to the reference data: enough that the load is far from its commit when
/// it has written [`KILL_AFTER_BYTES`].
const EXTRA_DOCUMENTS: usize = 200_000;

/// The load is killed once it has written this much (to the SQLite WAL, or into PostgreSQL's
/// file of the documents table), so rows are certainly on their way.
const KILL_AFTER_BYTES: u64 = 4 << 20;

fn madeby(global: &[&str], args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_madeby"))
        .args(global)
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("MADEBY_DATA")
        .output()
        .expect("run madeby")
}

/// A copy of data/ whose documents.csv has [`EXTRA_DOCUMENTS`] more rows.
fn large_reference_folder(dir: &Path) -> PathBuf {
    let out = dir.join("large");
    std::fs::create_dir(&out).unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            std::fs::copy(&path, out.join(path.file_name().unwrap())).unwrap();
        }
    }
    let mut documents = std::fs::read_to_string(out.join("documents.csv")).unwrap();
    for i in 0..EXTRA_DOCUMENTS {
        documents.push_str(&format!(
            "synthetic-doc-{i:06},Synthetic document {i} for the interruption test,madeby tests,2025-01-01,\n"
        ));
    }
    std::fs::write(out.join("documents.csv"), documents).unwrap();
    out
}

/// Bytes a process has written to files so far, from /proc.
fn written(pid: u32) -> Option<u64> {
    let io = std::fs::read_to_string(format!("/proc/{pid}/io")).ok()?;
    io.lines()
        .find_map(|line| line.strip_prefix("wchar: "))
        .and_then(|n| n.trim().parse().ok())
}

/// Whether the load has written [`KILL_AFTER_BYTES`] of rows it has not committed: on SQLite
/// to the WAL (the process's file writes), on PostgreSQL into the table's file, which grows
/// with uncommitted rows (asked on a second connection; the query returns a row when it has).
async fn load_is_writing(pid: u32, postgres: Option<&store::Store>) -> bool {
    match postgres {
        None => written(pid).is_some_and(|n| n >= KILL_AFTER_BYTES),
        Some(store) => {
            store
                .try_raw_sql_for_tests(&format!(
                    "SELECT 1 WHERE pg_relation_size('ref_documents') >= {KILL_AFTER_BYTES}"
                ))
                .await
                .unwrap()
                == 1
        }
    }
}

/// Every table as `madeby data export` writes it.
fn exported(global: &[&str], dir: &Path) -> Vec<(String, String)> {
    let out = madeby(global, &["data", "export", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

async fn a_data_load_killed_half_way_leaves_every_table_as_it_was(global: &[&str]) {
    // Arrange: a loaded database, its tables, and a large corrected copy of the data.
    let dir = tempfile::tempdir().unwrap();
    let out = madeby(global, &["data", "load"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let before = exported(global, &dir.path().join("before"));
    let large = large_reference_folder(dir.path());
    let url = match global {
        ["--data-dir", data] => store::DatabaseUrl::sqlite_in(Path::new(data)),
        ["--database", url] => store::DatabaseUrl::parse(url).unwrap(),
        other => panic!("{other:?}"),
    };
    let watcher = match url.backend() {
        store::Backend::Sqlite => None,
        store::Backend::Postgres => Some(store::Store::connect(&url).await.unwrap()),
    };

    // Act: load it, and kill the process (SIGKILL: no rollback of its own) while it writes.
    let mut load = Command::new(env!("CARGO_BIN_EXE_madeby"))
        .args(global)
        .args(["data", "load", "--from", large.to_str().unwrap()])
        .env_remove("DATABASE_URL")
        .env_remove("MADEBY_DATA")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = load.try_wait().unwrap() {
            panic!("the load ended ({status}) before it could be interrupted: add documents");
        }
        if load_is_writing(load.id(), watcher.as_ref()).await {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the load wrote too little to interrupt"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    load.kill().unwrap();
    let status = load.wait().unwrap();

    // Assert: it was killed, and no row of the load is left.
    assert_eq!(status.signal(), Some(9), "{status}");
    let after = exported(global, &dir.path().join("after"));
    assert_eq!(after.len(), before.len());
    for ((name, a), (_, b)) in before.iter().zip(&after) {
        assert!(a == b, "{name} changed");
    }
    let store = store::Store::connect(&url).await.unwrap();
    store
        .integrity_check()
        .await
        .expect("the database is sound");
    let summary = store.reference_summary().await.unwrap();
    let documents = &summary[0];
    assert_eq!(documents.dataset, refdata::Dataset::Documents);
    assert!(documents.rows < 100, "{} documents", documents.rows);
    store.close().await;
}

#[tokio::test]
async fn a_data_load_killed_half_way_leaves_every_table_as_it_was_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    a_data_load_killed_half_way_leaves_every_table_as_it_was(&[
        "--data-dir",
        data.to_str().unwrap(),
    ])
    .await;
}

#[tokio::test]
async fn a_data_load_killed_half_way_leaves_every_table_as_it_was_on_postgres() {
    let _shared = crate::POSTGRES.read().await;
    let url = testkit::TestPostgres::shared().fresh_database();
    a_data_load_killed_half_way_leaves_every_table_as_it_was(&["--database", &url]).await;
}
