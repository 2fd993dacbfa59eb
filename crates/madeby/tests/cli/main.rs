//! The `madeby` binary end to end: first start, user management, reference data loads that
//! refuse bad files without touching the database, exports, backups; and the repository's tidy
//! rules.

mod backup;
mod directory;
mod faults;
mod imports;
mod plan;
mod stats;
mod survey;
mod tidy;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// This binary's PostgreSQL (one server per test process) is restarted by a fault test: the
/// tests that use it hold this lock for reading, that test holds it for writing.
static POSTGRES: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

fn madeby(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_madeby"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("MADEBY_DATA")
        .output()
        .expect("run madeby")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs the binary for a command that needs no database.
fn madeby_without_data(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_madeby"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("MADEBY_DATA")
        .output()
        .expect("run madeby")
}

/// The JSON a successful run printed.
fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

#[test]
fn serve_creates_the_database_loads_reference_data_and_prints_a_one_time_password() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_madeby"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Act: read stdout until the URL is printed.
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut password = None;
    let mut url = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(p) = line.split("one-time password:").nth(1) {
            password = Some(p.trim().to_owned());
        }
        if let Some(u) = line.split("serving on ").nth(1) {
            url = Some(u.split_whitespace().next().unwrap().to_owned());
            break;
        }
    }
    let url = url.expect("serve printed its URL");
    let health =
        std::net::TcpStream::connect(url.trim_start_matches("http://").trim_end_matches('/'));
    child.kill().unwrap();
    child.wait().unwrap();
    // Assert
    let password = password.expect("a one-time password was printed");
    assert!(password.len() >= 20, "{password}");
    assert!(health.is_ok());
    assert!(dir.path().join("madeby.db").exists());
    // A second start prints no password: it is shown once.
    let mut again = Command::new(env!("CARGO_BIN_EXE_madeby"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut seen = Vec::new();
    for line in BufReader::new(again.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        let done = line.contains("serving on");
        seen.push(line);
        if done {
            break;
        }
    }
    again.kill().unwrap();
    again.wait().unwrap();
    assert!(
        !seen.iter().any(|l| l.contains("one-time password")),
        "{seen:?}"
    );
}

#[test]
fn a_bad_reference_file_is_refused_with_file_and_line_and_the_database_is_unchanged() {
    // Arrange: a loaded database, and a copy of data/ with one bad row.
    let dir = tempfile::tempdir().unwrap();
    let out = madeby(dir.path(), &["data", "load"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let before = dir.path().join("before");
    assert!(
        madeby(dir.path(), &["data", "export", before.to_str().unwrap()])
            .status
            .success()
    );
    let bad = dir.path().join("bad");
    std::fs::create_dir(&bad).unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            std::fs::copy(&path, bad.join(path.file_name().unwrap())).unwrap();
        }
    }
    let pledges = std::fs::read_to_string(bad.join("pledges.csv"))
        .unwrap()
        .replacen(",6.9,", ",six point nine,", 1);
    std::fs::write(bad.join("pledges.csv"), pledges).unwrap();

    // Act
    let out = madeby(
        dir.path(),
        &["data", "load", "--from", bad.to_str().unwrap()],
    );

    // Assert
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("pledges.csv: line 2: field `pledged_hkd_bn`"),
        "{stderr}"
    );
    assert!(stderr.contains("database is unchanged"), "{stderr}");
    let after = dir.path().join("after");
    assert!(
        madeby(dir.path(), &["data", "export", after.to_str().unwrap()])
            .status
            .success()
    );
    for table in ["ref_pledges", "ref_industry_value_added", "reference_loads"] {
        let a = std::fs::read_to_string(before.join(format!("{table}.csv"))).unwrap();
        let b = std::fs::read_to_string(after.join(format!("{table}.csv"))).unwrap();
        assert_eq!(a, b, "{table} changed");
    }
}

#[test]
fn user_add_checks_its_arguments_and_prints_a_one_time_password() {
    let dir = tempfile::tempdir().unwrap();
    let bad = madeby(
        dir.path(),
        &[
            "user",
            "add",
            "--email",
            "not-an-email",
            "--name",
            "X",
            "--role",
            "enterprise",
            "--org",
            "Acme",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("--email"),
        "{}",
        text(&bad.stderr)
    );
    let no_org = madeby(
        dir.path(),
        &[
            "user",
            "add",
            "--email",
            "a@acme.hk",
            "--name",
            "A",
            "--role",
            "enterprise",
        ],
    );
    assert!(
        text(&no_org.stderr).contains("--org"),
        "{}",
        text(&no_org.stderr)
    );
    let ok = madeby(
        dir.path(),
        &[
            "user",
            "add",
            "--email",
            "a@acme.hk",
            "--name",
            "A",
            "--role",
            "enterprise",
            "--org",
            "Acme",
        ],
    );
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).contains("One-time password"));
    let twice = madeby(
        dir.path(),
        &[
            "user",
            "add",
            "--email",
            "a@acme.hk",
            "--name",
            "A",
            "--role",
            "enterprise",
            "--org",
            "Acme",
        ],
    );
    assert!(!twice.status.success());
    assert!(text(&twice.stderr).contains("already exists"));
}

#[test]
fn help_explains_every_command() {
    let out = Command::new(env!("CARGO_BIN_EXE_madeby"))
        .arg("--help")
        .output()
        .unwrap();
    let help = text(&out.stdout);
    for command in ["serve", "migrate", "user", "data"] {
        assert!(help.contains(command), "{help}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_madeby"))
        .args(["data", "--help"])
        .output()
        .unwrap();
    assert!(text(&out.stdout).contains("export"));
}

#[test]
fn origin_check_prints_the_computation_and_json_and_names_the_line_of_a_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let example =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../origin/products/smart-battery-pack.toml");
    let text_out = madeby(dir.path(), &["origin", "check", example.to_str().unwrap()]);
    assert!(text_out.status.success(), "{}", text(&text_out.stderr));
    assert!(
        text(&text_out.stdout).contains("share 60.97%"),
        "{}",
        text(&text_out.stdout)
    );
    let json_out = madeby(
        dir.path(),
        &[
            "origin",
            "check",
            example.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&json_out.stdout).expect("JSON report");
    assert_eq!(report["qualifies"], true);
    assert_eq!(report["base_cost"]["cents"], 123_000);

    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "name = \"x\"\nclass = \"industrial\"\n[[material]]\ncode = \"a\"\nitem = \"A\"\ncost = \"1\"\norigin = \"ZZ\"\n").unwrap();
    let out = madeby(dir.path(), &["origin", "check", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("bad.toml: line 7") && stderr.contains("origin"),
        "{stderr}"
    );
    // The check needs no database: nothing was created.
    assert!(!dir.path().join("madeby.db").exists());
}

#[test]
fn report_industry_writes_a_self_contained_html_file_in_either_language() {
    let dir = tempfile::tempdir().unwrap();
    for (lang, title) in [
        ("en", "Made by Hong Kong: industry&#39;s contribution, 2023"),
        ("zh-HK", "港製：工業的貢獻（2023年）"),
    ] {
        let out = dir.path().join(format!("report-{lang}.html"));
        let run = madeby(
            dir.path(),
            &[
                "report",
                "industry",
                "--lang",
                lang,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(run.status.success(), "{}", text(&run.stderr));
        let html = std::fs::read_to_string(&out).unwrap();
        assert!(html.contains(&format!("<html lang=\"{lang}\">")));
        assert!(
            html.contains(title) || html.contains(&title.replace("&#39;", "'")),
            "{lang}"
        );
        assert!(html.contains("<svg") && html.contains("data:text/csv"));
    }
    let bad = madeby(
        dir.path(),
        &["report", "industry", "--lang", "fr", "--out", "x.html"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("--lang"));
}

#[test]
fn sites_rank_ranks_a_shipped_profile_and_names_an_unknown_candidate() {
    let dir = tempfile::tempdir().unwrap();
    let profile = Path::new(env!("CARGO_MANIFEST_DIR")).join("../siting/profiles/ev-assembly.toml");
    let out = madeby(
        dir.path(),
        &[
            "sites",
            "rank",
            "--profile",
            profile.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let ranking: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(ranking["rows"].as_array().unwrap().len() >= 25);
    let two = madeby(
        dir.path(),
        &[
            "sites",
            "rank",
            "--profile",
            profile.to_str().unwrap(),
            "--candidates",
            "hk-science-park,sg-singapore",
        ],
    );
    let table = text(&two.stdout);
    assert!(
        table.contains("hk-science-park")
            && table.contains("sg-singapore")
            && table.contains("indicative"),
        "{table}"
    );
    let bad = madeby(
        dir.path(),
        &[
            "sites",
            "rank",
            "--profile",
            profile.to_str().unwrap(),
            "--candidates",
            "atlantis",
        ],
    );
    assert!(!bad.status.success());
    assert!(text(&bad.stderr).contains("atlantis"));
}
