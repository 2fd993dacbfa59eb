//! `madeby stats` end to end: the published contribution figures, the synthetic registry's
//! published counts, and bad input refused with its file and line.

use std::path::Path;

use serde_json::Value;

use crate::{json, madeby_without_data as madeby, text};

/// (value in HK$ bn, share of GDP in %) of the figure of a kind and component.
fn figure(report: &Value, kind: &str, component: &str) -> (String, Option<String>) {
    let found = report["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == kind && f["component"] == component)
        .unwrap_or_else(|| panic!("no {kind} figure for {component}: {report:#}"));
    (
        found["value_hkd_bn"].as_str().unwrap().to_owned(),
        found["share_pct"].as_str().map(str::to_owned),
    )
}

/// The count and share of a key in a table of the registry report.
fn count(report: &Value, dimension: &str, key: &str) -> (u64, String) {
    let table = report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["dimension"] == dimension)
        .unwrap_or_else(|| panic!("no {dimension} table"));
    let row = table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("no {key} in the {dimension} table"));
    (
        row["count"].as_u64().unwrap(),
        row["share_pct"].as_str().unwrap().to_owned(),
    )
}

const HEADER: &str =
    "id,name,province,city,sector,status,year_established,registered_capital_cny,employees\n";

#[test]
fn stats_contribution_for_2023_gives_the_published_figures_and_their_trace() {
    // Act
    let report = json(&madeby(&[
        "stats",
        "contribution",
        "--year",
        "2023",
        "--format",
        "json",
    ]));

    // Assert
    let published = [
        ("total", "all_industry", "127.1", "4.4"),
        ("component", "manufacturing", "28.2", "1.0"),
        ("component", "publishing_packaging", "5.3", "0.2"),
        ("component", "subcontract_processing", "53.4", "1.8"),
        ("component", "new_industries", "40.2", "1.4"),
        ("producer_services", "producer_services", "473.5", "16.2"),
    ];
    for (kind, component, value, share) in published {
        assert_eq!(
            figure(&report, kind, component),
            (value.to_owned(), Some(share.to_owned())),
            "{component}"
        );
    }
    let total = report["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "total")
        .unwrap();
    assert_eq!(total["value_cents"], 12_710_000_000_000_i64);
    assert_eq!(total["trace"].as_array().unwrap().len(), 4);
    assert_eq!(total["trace"][0]["weight"], "1");
    assert_eq!(total["trace"][0]["line"], "study.manufacturing");
}

#[test]
fn stats_contribution_for_2000_has_producer_services_and_a_note_instead_of_shares() {
    // Act
    let report = json(&madeby(&[
        "stats",
        "contribution",
        "--year",
        "2000",
        "--format",
        "json",
    ]));

    // Assert
    assert_eq!(
        figure(&report, "producer_services", "producer_services"),
        ("230".to_owned(), None)
    );
    let notes = report["notes"].to_string();
    assert!(notes.contains("no GDP for 2000"), "{notes}");
}

#[test]
fn stats_contribution_for_a_year_without_data_fails_listing_the_years_available() {
    // Act
    let out = madeby(&["stats", "contribution", "--year", "2019"]);

    // Assert
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("years available: 2000, 2023"), "{stderr}");
}

#[test]
fn synthetic_registry_at_the_published_size_gives_the_study_counts() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("registry.csv");
    let synth = madeby(&["stats", "synth-registry", "--out", file.to_str().unwrap()]);
    assert!(synth.status.success(), "{}", text(&synth.stderr));
    assert!(text(&synth.stdout).contains("synthetic"));

    // Act
    let report = json(&madeby(&[
        "stats",
        "registry",
        file.to_str().unwrap(),
        "--format",
        "json",
    ]));

    // Assert
    assert_eq!(report["operating"], 68_314);
    for (key, expected) in [
        ("cn-gd", 30_971),
        ("cn-js", 9_557),
        ("cn-fj", 6_913),
        ("cn-zj", 5_300),
    ] {
        assert_eq!(count(&report, "province", key).0, expected, "{key}");
    }
    for (key, expected) in [
        ("cn-gd-shenzhen", 6_862),
        ("cn-gd-dongguan", 5_906),
        ("cn-gd-huizhou", 4_628),
        ("cn-js-suzhou", 3_567),
        ("cn-fj-quanzhou", 3_002),
        ("cn-sh-shanghai", 2_638),
    ] {
        assert_eq!(count(&report, "city", key).0, expected, "{key}");
    }
    assert_eq!(count(&report, "sector", "C39"), (9_177, "13.4".to_owned()));
    for (key, expected) in [("C18", 5_630), ("C29", 4_879), ("C33", 4_710)] {
        assert_eq!(count(&report, "sector", key).0, expected, "{key}");
    }
}

#[test]
fn a_registry_with_a_bad_row_fails_naming_the_line_unless_bad_rows_are_skipped() {
    // Arrange: line 3 has a sector outside manufacturing.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("registry.csv");
    std::fs::write(
        &file,
        format!(
            "{HEADER}\
             E1,Alpha,cn-gd,cn-gd-shenzhen,C39,operating,2001,,\n\
             E2,Beta,cn-gd,cn-gd-shenzhen,C99,operating,2002,,\n\
             E3,Gamma,cn-js,cn-js-suzhou,C18,operating,2003,,\n"
        ),
    )
    .unwrap();
    let rejected = dir.path().join("rejected.csv");

    // Act
    let strict = madeby(&["stats", "registry", file.to_str().unwrap()]);
    let lenient = madeby(&[
        "stats",
        "registry",
        file.to_str().unwrap(),
        "--format",
        "json",
        "--skip-bad-rows",
        "--rejected",
        rejected.to_str().unwrap(),
    ]);

    // Assert
    assert!(!strict.status.success());
    let stderr = text(&strict.stderr);
    assert!(
        stderr.contains("registry.csv: line 3: field `sector`"),
        "{stderr}"
    );
    assert!(strict.stdout.is_empty(), "{}", text(&strict.stdout));

    let report = json(&lenient);
    assert_eq!(report["operating"], 2);
    assert_eq!(report["rejected"], 1);
    assert!(text(&lenient.stderr).contains("Skipped 1 bad row"));
    let written = std::fs::read_to_string(&rejected).unwrap();
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(lines.len(), 2, "{written}");
    assert!(lines[0].ends_with(",line,reason"), "{written}");
    assert!(
        lines[1].starts_with("E2,Beta,cn-gd,cn-gd-shenzhen,C99,operating,2002,,,3,"),
        "{written}"
    );
}

#[test]
fn skipping_bad_rows_without_a_file_for_them_is_refused() {
    // Act
    let out = madeby(&["stats", "registry", "x.csv", "--skip-bad-rows"]);

    // Assert
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--rejected"));
}

#[test]
fn stats_contribution_from_a_folder_names_the_file_and_line_of_a_bad_weight() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "lines.csv",
            "code,name_en,name_zh,parent,source\n\
             hsic.C,Manufacturing,製造業,,indicative\n\
             hsic.J,Information and communications,資訊及通訊,,indicative\n",
        ),
        (
            "values.csv",
            "line,year,value_hkd_bn,source\n\
             hsic.C,2023,30,indicative\n\
             hsic.J,2023,100,indicative\n",
        ),
        (
            "gdp.csv",
            "year,value_hkd_bn,source\n2023,2000,indicative\n",
        ),
        (
            "concordance.csv",
            "line,component,subgroup,weight,note\n\
             hsic.C,manufacturing,,1,\n\
             hsic.J,new_industries,computing_data,0.142,\n\
             hsic.J,outside,,0.858,\n",
        ),
    ];
    for (name, contents) in files {
        std::fs::write(dir.path().join(name), contents).unwrap();
    }
    let good = json(&madeby(&[
        "stats",
        "contribution",
        "--year",
        "2023",
        "--format",
        "json",
        "--data",
        dir.path().to_str().unwrap(),
    ]));
    assert_eq!(
        figure(&good, "total", "all_industry"),
        ("44.2".to_owned(), Some("2.2".to_owned()))
    );
    let concordance = Path::new(dir.path()).join("concordance.csv");
    let bad = std::fs::read_to_string(&concordance)
        .unwrap()
        .replace("0.142", "a lot");
    std::fs::write(&concordance, bad).unwrap();

    // Act
    let out = madeby(&[
        "stats",
        "contribution",
        "--year",
        "2023",
        "--data",
        dir.path().to_str().unwrap(),
    ]);

    // Assert
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("concordance.csv: line 3: field `weight`"),
        "{stderr}"
    );
}
