//! `madeby backup` and `madeby restore` end to end: a round trip between two data folders and
//! through PostgreSQL, and the refusals (a tampered file, a database with rows, a used folder),
//! each naming what is wrong.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use super::{madeby, text};

fn madeby_on(database: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_madeby"))
        .arg("--database")
        .arg(database)
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("MADEBY_DATA")
        .output()
        .expect("run madeby")
}

#[track_caller]
fn succeeds(out: &Output) -> String {
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// Each table file of a backup: its header, then its rows sorted (PostgreSQL and SQLite may
/// order text keys differently).
fn tables(dir: &Path) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "jsonl") {
            let text = std::fs::read_to_string(&path).unwrap();
            let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
            lines[1..].sort();
            out.insert(
                path.file_stem().unwrap().to_string_lossy().into_owned(),
                lines,
            );
        }
    }
    out
}

#[test]
fn backup_and_restore_carry_every_table_between_databases_and_refuse_to_overwrite() {
    // Arrange: a database with reference data and a user.
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    succeeds(&madeby(&first, &["data", "load"]));
    succeeds(&madeby(
        &first,
        &[
            "user",
            "add",
            "--email",
            "ann@acme.hk",
            "--name",
            "Ann",
            "--role",
            "enterprise",
            "--org",
            "Acme",
        ],
    ));
    let backup = dir.path().join("backup");
    let backup_arg = backup.to_str().unwrap();

    // Act: back up, restore into a new data folder, back that up again.
    let out = madeby(&first, &["backup", backup_arg]);
    let restored = madeby(&second, &["restore", backup_arg]);
    let again = dir.path().join("again");
    let again_out = madeby(&second, &["backup", again.to_str().unwrap()]);

    // Assert
    let said = succeeds(&out);
    assert!(
        said.contains("Backed up") && said.contains("keep it as safe"),
        "{said}"
    );
    let progress = text(&out.stderr);
    assert!(
        progress.contains("copied") && progress.contains("users: 1 row\n"),
        "{progress}"
    );
    assert!(backup.join("manifest.json").is_file());
    assert!(succeeds(&restored).contains("Restored"));
    assert!(
        text(&restored.stderr).contains("checked"),
        "{}",
        text(&restored.stderr)
    );
    succeeds(&again_out);
    let original = tables(&backup);
    assert!(original.contains_key("users") && original.contains_key("ref_pledges"));
    assert_eq!(tables(&again), original);
    let users = std::fs::read_to_string(backup.join("users.jsonl")).unwrap();
    assert!(
        users.contains("$argon2id$"),
        "password hashes are kept: {users}"
    );

    // Restoring over the restored database is refused, and so is a used backup folder.
    let twice = madeby(&second, &["restore", backup_arg]);
    assert!(!twice.status.success());
    let stderr = text(&twice.stderr);
    assert!(
        stderr.contains("not empty") && stderr.contains("database is unchanged"),
        "{stderr}"
    );
    let used = madeby(&first, &["backup", backup_arg]);
    assert_eq!(used.status.code(), Some(2));
    assert!(text(&used.stderr).contains("not an empty folder"));
    let missing = madeby(&second, &["restore", dir.path().to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("manifest.json"));

    // The same backup restores into PostgreSQL, and comes back the same.
    let _shared = crate::POSTGRES.blocking_read();
    let url = testkit::TestPostgres::shared().fresh_database();
    succeeds(&madeby_on(&url, &["restore", backup_arg]));
    let from_postgres = dir.path().join("from-postgres");
    succeeds(&madeby_on(
        &url,
        &["backup", from_postgres.to_str().unwrap()],
    ));
    assert_eq!(tables(&from_postgres), original);
}

#[test]
fn a_tampered_backup_is_refused_naming_the_file_and_the_database_is_unchanged() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    succeeds(&madeby(&first, &["data", "load"]));
    let backup = dir.path().join("backup");
    succeeds(&madeby(&first, &["backup", backup.to_str().unwrap()]));
    let path = backup.join("ref_pledges.jsonl");
    let pledges = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, pledges.replacen("690000000000", "690000000001", 1)).unwrap();
    assert_ne!(std::fs::read_to_string(&path).unwrap(), pledges);

    // Act
    let out = madeby(&second, &["restore", backup.to_str().unwrap()]);

    // Assert
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("ref_pledges.jsonl: SHA-256") && stderr.contains("database is unchanged"),
        "{stderr}"
    );
    let check = dir.path().join("check");
    succeeds(&madeby(&second, &["backup", check.to_str().unwrap()]));
    for (table, lines) in tables(&check) {
        assert_eq!(
            lines.len(),
            usize::from(table == "directory_revision") + 1,
            "{table} has rows: {lines:?}"
        );
    }
}
