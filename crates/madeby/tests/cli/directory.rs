//! `madeby directory synth|search`, `madeby match` and `madeby screen` end to end.

use crate::{json, madeby, text};

#[test]
fn the_synthetic_directory_is_searched_and_matched_from_the_command_line() {
    // Arrange: a small synthetic directory in a fresh database.
    let dir = tempfile::tempdir().unwrap();
    let out = madeby(
        dir.path(),
        &[
            "directory",
            "synth",
            "--providers",
            "400",
            "--enterprises",
            "300",
            "--seed",
            "5",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("synthetic"));

    // Act / Assert: Chinese words find Chongqing testing labs first.
    let found = json(&madeby(
        dir.path(),
        &[
            "directory",
            "search",
            "檢測 重慶",
            "--limit",
            "5",
            "--format",
            "json",
        ],
    ));
    let hits = found["hits"].as_array().unwrap();
    assert!(!hits.is_empty(), "{found}");
    for hit in hits {
        assert!(
            hit["services"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s == "testing_certification"),
            "{hit}"
        );
        assert_eq!(hit["provenance"], "synthetic");
    }
    // A bad filter names itself.
    let out = madeby(
        dir.path(),
        &["directory", "search", "testing", "--service", "testng"],
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("service[0]"),
        "{}",
        text(&out.stderr)
    );

    // Matching from a request file, and a bad file named with its field.
    let request = dir.path().join("request.json");
    std::fs::write(&request, r#"{"text": "battery testing", "services": ["testing_certification"], "regions": ["chongqing"], "kinds": ["provider"]}"#).unwrap();
    let matches = json(&madeby(
        dir.path(),
        &[
            "match",
            "--request",
            request.to_str().unwrap(),
            "--limit",
            "5",
            "--format",
            "json",
        ],
    ));
    let first = &matches[0];
    assert!(first["score"].as_u64().unwrap() > 0);
    assert!(
        first["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["serves_region"] == "chongqing"),
        "{first}"
    );
    std::fs::write(&request, r#"{"services": ["testing", "law"]}"#).unwrap();
    let out = madeby(
        dir.path(),
        &["match", "--request", request.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("services[0]"),
        "{}",
        text(&out.stderr)
    );

    // Writing a file for scale work leaves the database alone.
    let file = dir.path().join("entries.jsonl");
    let out = madeby(
        dir.path(),
        &[
            "directory",
            "synth",
            "--providers",
            "30",
            "--enterprises",
            "20",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines = std::fs::read_to_string(&file).unwrap().lines().count();
    assert!(lines >= 50, "{lines}");
    let again = json(&madeby(
        dir.path(),
        &[
            "directory",
            "search",
            "檢測 重慶",
            "--limit",
            "5",
            "--format",
            "json",
        ],
    ));
    assert_eq!(again["total"], found["total"]);
}

const HEADER: &str = "reference,organisation_name,registered_in_hk,employees,sector,years_in_operation,project_title,project_description,project_location,start_date,end_date,budget_lines,total,amount_requested,company_contribution,documents,earlier_funding,submitted_on";

fn row(reference: &str, employees: u32, location: &str, requested: u64, title: &str) -> String {
    let total = requested * 4;
    format!(
        "{reference},Wah Hing Ltd,yes,{employees},electronics,8,{title},Install a {title} for inspection,{location},2026-09-01,2027-08-31,\"equipment:{total}\",{total},{requested},{},business_registration;quotations,,2026-07-01",
        total - requested
    )
}

#[test]
fn screen_routes_a_batch_and_refuses_a_bad_file_naming_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("applications.csv");
    std::fs::write(
        &csv,
        format!(
            "{HEADER}\n{}\n{}\n",
            row("A-1", 40, "HK", 100000, "vision cell"),
            row("A-2", 40, "CN", 100000, "paint line")
        ),
    )
    .unwrap();
    let out = madeby(
        dir.path(),
        &[
            "screen",
            csv.to_str().unwrap(),
            "--scheme",
            "technology-voucher",
            "--format",
            "json",
        ],
    );
    let reports = json(&out);
    let reports = reports.as_array().unwrap();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["reference"], "A-1");
    // A project outside Hong Kong fails the location rule and goes to an officer.
    let second = &reports[1];
    assert!(
        second["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["outcome"] == "fail"),
        "{second}"
    );
    assert!(
        !second["route"].to_string().contains("fast_track"),
        "{second}"
    );
    // The table (the default, or `--format table`) names the routes.
    let out = madeby(
        dir.path(),
        &[
            "screen",
            csv.to_str().unwrap(),
            "--scheme",
            "technology-voucher",
            "--format",
            "table",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("officer_queue"),
        "{}",
        text(&out.stdout)
    );

    // A bad row: the whole file is refused with its line and column.
    std::fs::write(
        &csv,
        format!(
            "{HEADER}\n{}\n{}\n",
            row("A-1", 40, "HK", 100000, "x"),
            row("A-2", 40, "HK", 100000, "y").replace(",40,", ",-3,")
        ),
    )
    .unwrap();
    let out = madeby(
        dir.path(),
        &[
            "screen",
            csv.to_str().unwrap(),
            "--scheme",
            "technology-voucher",
        ],
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("line 3") && err.contains("employees"), "{err}");
    // An unknown scheme lists the shipped ones.
    let out = madeby(
        dir.path(),
        &["screen", csv.to_str().unwrap(), "--scheme", "nope"],
    );
    assert!(
        text(&out.stderr).contains("smart-production-line"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn screen_train_reports_the_auc_on_held_out_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history.csv");
    let mut text_rows = vec![format!("{HEADER},funding_cap,decision")];
    for i in 0..240u64 {
        // Larger asks from smaller firms were rejected more often: a signal to learn.
        let employees = 5 + (i * 37 % 200) as u32;
        let requested = 50_000 + (i * 7919 % 500_000);
        let rejected = (requested > 300_000) ^ (i % 7 == 0);
        text_rows.push(format!(
            "{},600000,{}",
            row(
                &format!("H-{i}"),
                employees,
                "HK",
                requested,
                if rejected {
                    "trading office"
                } else {
                    "vision cell"
                }
            ),
            if rejected { "rejected" } else { "approved" }
        ));
    }
    std::fs::write(&history, text_rows.join("\n") + "\n").unwrap();
    let model = dir.path().join("model.json");
    let out = madeby(
        dir.path(),
        &[
            "screen",
            "train",
            history.to_str().unwrap(),
            "--out",
            model.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let auc: f64 = stdout
        .split("AUC ")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(auc > 0.6 && auc <= 1.0, "{stdout}");
    assert!(std::fs::read_to_string(&model)
        .unwrap()
        .contains("coefficients"));
}
