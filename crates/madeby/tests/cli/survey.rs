//! `madeby stats survey` and `madeby stats sample-sizes` end to end: the shipped example
//! reproduces the study's published percentages, cross-tabs add up, and bad responses or a bad
//! specification are refused with their file and line.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::{json, madeby_without_data as madeby, text};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../stats/data/survey_example")
        .join(name)
}

fn example_str(name: &str) -> String {
    example(name).to_str().unwrap().to_owned()
}

/// Runs `stats survey` on a responses file and a specification with extra arguments.
fn survey(responses: &str, spec: &str, extra: &[&str]) -> Output {
    let mut args = vec!["stats", "survey", responses, "--spec", spec];
    args.extend_from_slice(extra);
    madeby(&args)
}

fn question<'a>(report: &'a Value, column: &str) -> &'a Value {
    report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["question"] == column)
        .unwrap_or_else(|| panic!("no question {column}: {report:#}"))
}

#[test]
fn the_example_survey_reproduces_the_published_reasons_for_southeast_asia() {
    // Act
    let report = json(&survey(
        &example_str("responses.csv"),
        &example_str("spec.toml"),
        &["--format", "json"],
    ));

    // Assert
    assert_eq!(report["respondents"], 55);
    let reasons = question(&report, "sea_reasons");
    assert_eq!(reasons["kind"], "multiple");
    assert_eq!(reasons["base"], 55);
    let options = reasons["options"].as_array().unwrap();
    let got: Vec<(&str, u64, &str)> = options
        .iter()
        .map(|o| {
            (
                o["option"].as_str().unwrap(),
                o["count"].as_u64().unwrap(),
                o["share_pct"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("geopolitical diversification", 37, "67.3"),
            ("overseas markets", 35, "63.6"),
            ("production costs", 20, "36.4"),
        ]
    );
    // Wilson by hand for 37/55: p = 0.672727, z = 1.959964, z^2/n = 0.069844;
    // centre (p + z^2/2n) / (1 + z^2/n) = 0.661451,
    // half width z sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n) = 0.120419.
    let wilson = &options[0]["wilson_95"];
    assert!(
        (wilson["lower"].as_f64().unwrap() - 0.541032).abs() < 1e-6,
        "{wilson}"
    );
    assert!(
        (wilson["upper"].as_f64().unwrap() - 0.781869).abs() < 1e-6,
        "{wilson}"
    );
    assert_eq!(wilson["lower_pct"], "54.1");
    assert_eq!(wilson["upper_pct"], "78.2");
    // The optional question's base leaves out the three blank answers.
    assert_eq!(question(&report, "rd_share")["base"], 52);
}

#[test]
fn the_table_shows_count_percentage_interval_and_base_for_one_question() {
    // Act
    let out = survey(
        &example_str("responses.csv"),
        &example_str("spec.toml"),
        &["--question", "sea_reasons"],
    );

    // Assert
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    let line = table
        .lines()
        .find(|l| l.starts_with("geopolitical diversification"))
        .unwrap_or_else(|| panic!("{table}"));
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        cells[2..],
        ["37", "67.3", "54.1", "to", "78.2", "55"],
        "{table}"
    );
    assert!(table.contains("55 of 55 respondents answered"), "{table}");
    assert!(!table.contains("rd_share"), "{table}");
}

#[test]
fn a_cross_tab_by_revenue_band_has_segment_bases_that_add_up_to_the_base() {
    // Act
    let report = json(&survey(
        &example_str("responses.csv"),
        &example_str("spec.toml"),
        &["--by", "revenue_band", "--format", "json"],
    ));

    // Assert
    for column in ["sea_reasons", "rd_share"] {
        let question = question(&report, column);
        let cross = &question["cross_tab"];
        assert_eq!(cross["segment_column"], "revenue_band");
        let rows = cross["rows"].as_array().unwrap();
        let segments: Vec<&str> = rows
            .iter()
            .map(|r| r["segment"].as_str().unwrap())
            .collect();
        assert_eq!(segments, ["50m_to_500m", "over_500m", "under_50m"]);
        let bases: u64 = rows.iter().map(|r| r["base"].as_u64().unwrap()).sum();
        assert_eq!(bases, question["base"].as_u64().unwrap(), "{column}");
        assert_eq!(cross["total"]["base"], question["base"], "{column}");
        // Each option's counts over the segments add up to its count in the whole sample.
        for (idx, option) in question["options"].as_array().unwrap().iter().enumerate() {
            let counts: u64 = rows
                .iter()
                .map(|r| r["counts"][idx].as_u64().unwrap())
                .sum();
            assert_eq!(counts, option["count"].as_u64().unwrap(), "{column} {idx}");
        }
    }
    // A single-choice row's counts add up to the row's base.
    for row in question(&report, "rd_share")["cross_tab"]["rows"]
        .as_array()
        .unwrap()
    {
        let counts: u64 = row["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_u64().unwrap())
            .sum();
        assert_eq!(counts, row["base"].as_u64().unwrap(), "{row}");
    }
}

#[test]
fn csv_output_has_a_row_per_question_segment_and_option() {
    // Act
    let out = survey(
        &example_str("responses.csv"),
        &example_str("spec.toml"),
        &["--by", "revenue_band", "--format", "csv"],
    );

    // Assert
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "question,kind,segment_column,segment,option,count,base,share_pct,wilson_lower_pct,wilson_upper_pct"
    );
    assert_eq!(
        lines[1],
        "sea_reasons,multiple,,,geopolitical diversification,37,55,67.3,54.1,78.2"
    );
    // 3 options x (1 + 3 segments) and 4 options x (1 + 3 segments), plus the header.
    assert_eq!(lines.len(), 1 + 12 + 16, "{csv}");
}

#[test]
fn a_response_with_an_option_not_in_the_list_fails_naming_the_file_line_and_column() {
    // Arrange: line 3 (the second respondent) gives a reason the specification does not list.
    let dir = tempfile::tempdir().unwrap();
    let responses = std::fs::read_to_string(example("responses.csv")).unwrap();
    let mut lines: Vec<String> = responses.lines().map(str::to_owned).collect();
    lines[2] = lines[2].replacen(
        "geopolitical diversification",
        "geopolitical diversificaton",
        1,
    );
    assert_ne!(lines[2], responses.lines().nth(2).unwrap());
    let bad = dir.path().join("bad-responses.csv");
    std::fs::write(&bad, lines.join("\n") + "\n").unwrap();

    // Act
    let out = survey(bad.to_str().unwrap(), &example_str("spec.toml"), &[]);

    // Assert
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("bad-responses.csv: line 3: column `sea_reasons`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("unknown option \"geopolitical diversificaton\""),
        "{stderr}"
    );
}

#[test]
fn a_malformed_spec_fails_naming_the_file_and_line() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "bad-kind.toml",
            "[[question]]\ncolumn = \"sea_reasons\"\nkind = \"several\"\n",
            "bad-kind.toml: line 3",
            "unknown variant `several`",
        ),
        (
            "unknown-key.toml",
            "[[question]]\ncolumn = \"sea_reasons\"\nkind = \"multiple\"\nrequried = false\n",
            "unknown-key.toml: line 4",
            "unknown field `requried`",
        ),
        (
            "twice.toml",
            "[[question]]\ncolumn = \"rd_share\"\nkind = \"single\"\n\n\
             [[question]]\ncolumn = \"rd_share\"\nkind = \"single\"\n",
            "twice.toml: line 6",
            "given twice (first at line 2)",
        ),
        (
            "bad-option.toml",
            "[[question]]\ncolumn = \"sea_reasons\"\nkind = \"multiple\"\n\
             options = [\"a;b\"]\n",
            "bad-option.toml: line 4",
            "holds `;`",
        ),
    ];
    for (name, contents, location, reason) in cases {
        let spec = dir.path().join(name);
        std::fs::write(&spec, contents).unwrap();

        // Act
        let out = survey(&example_str("responses.csv"), spec.to_str().unwrap(), &[]);

        // Assert
        assert!(!out.status.success(), "{name}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(location) && stderr.contains(reason),
            "{name}: {stderr}"
        );
    }
}

#[test]
fn sample_sizes_lists_every_size_consistent_with_the_published_percentages() {
    // Act
    let out = madeby(&[
        "stats",
        "sample-sizes",
        "67.3",
        "63.6",
        "36.4",
        "--max",
        "120",
    ]);

    // Assert
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "55\n107\n110\n");
}

#[test]
fn sample_sizes_refuses_a_percentage_that_is_not_a_number() {
    // Act
    let out = madeby(&["stats", "sample-sizes", "67.3", "sixty"]);

    // Assert
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("\"sixty\""),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn survey_help_documents_the_specification_format() {
    // Act
    let out = madeby(&["stats", "survey", "--help"]);

    // Assert
    let help = text(&out.stdout);
    for needle in ["[[question]]", "kind = \"multiple\"", "required", "Wilson"] {
        assert!(help.contains(needle), "{needle}: {help}");
    }
}
