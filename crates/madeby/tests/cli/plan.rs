//! `madeby plan solve` and `madeby plan orlib` end to end.

use crate::{json, madeby_without_data, text};

#[test]
fn plan_solve_prints_the_example_and_its_tariff_shock_as_json() {
    // Arrange / Act
    let out = madeby_without_data(&[
        "plan",
        "solve",
        "example",
        "--scenario",
        "us-tariff-shock",
        "--format",
        "json",
    ]);

    // Assert
    let comparison = json(&out);
    assert_eq!(comparison["base"]["optimal"], true);
    assert_eq!(comparison["scenarios"][0]["name"], "us-tariff-shock");
    let delta = &comparison["scenarios"][0]["outcome"]["delta"];
    assert!(delta["total"]["cents"].as_i64().unwrap() > 0, "{delta}");
}

#[test]
fn plan_solve_prints_tables_with_the_comparison() {
    // Arrange / Act
    let out = madeby_without_data(&["plan", "solve", "example", "--all-scenarios"]);

    // Assert
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("(figures: indicative)"), "{stdout}");
    assert!(stdout.contains("base: total HK$"), "{stdout}");
    assert!(stdout.contains("proven optimal"), "{stdout}");
    for name in [
        "us-tariff-shock",
        "us-border-closed",
        "asean-demand-surge",
        "dongguan-lost",
    ] {
        assert!(
            stdout.contains(&format!("scenario {name}")),
            "{name} missing: {stdout}"
        );
    }
    assert!(
        stdout.contains("against the base (HK$ million): total +"),
        "{stdout}"
    );
}

#[test]
fn plan_solve_names_the_field_of_a_bad_model_and_an_unknown_scenario() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    let text_model = planner::EXAMPLE_MODEL.replacen("\"capacity\": 500000", "\"capacity\": -1", 1);
    std::fs::write(&bad, text_model).unwrap();

    // Act
    let refused = madeby_without_data(&["plan", "solve", bad.to_str().unwrap()]);
    let unknown = madeby_without_data(&["plan", "solve", "example", "--scenario", "meteor"]);
    let missing = madeby_without_data(&["plan", "solve", "/no/such/model.json"]);

    // Assert
    assert!(!refused.status.success());
    let stderr = text(&refused.stderr);
    assert!(
        stderr.contains(
            "bad.json: plants[0].options[0].capacity: -1 is not a positive number of units"
        ),
        "{stderr}"
    );
    assert!(
        text(&unknown.stderr).contains("no scenario `meteor`"),
        "{}",
        text(&unknown.stderr)
    );
    assert!(text(&missing.stderr).contains("/no/such/model.json: no such file"));
}

#[test]
fn plan_orlib_solves_an_instance_to_its_published_optimum() {
    // Arrange
    let file = testkit::shared_data(env!("CARGO_MANIFEST_DIR")).join("orlib/cap71.txt");
    let file = file.to_str().expect("UTF-8 path");

    // Act
    let out = madeby_without_data(&["plan", "orlib", file, "--format", "json"]);

    // Assert
    let solution = json(&out);
    assert_eq!(solution["optimal"], true);
    let objective = solution["objective"].as_f64().unwrap();
    assert!(
        (objective - 932_615.75).abs() / 932_615.75 < 1e-6,
        "{objective}"
    );
    assert!(solution["gap"].as_f64().unwrap() <= 1e-6);
    assert!(solution["seconds"].as_f64().unwrap() >= 0.0);
}

#[test]
fn plan_orlib_names_the_line_of_a_malformed_instance() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.txt");
    std::fs::write(&file, "2 2\n10 5\nten 5\n").unwrap();

    // Act
    let out = madeby_without_data(&["plan", "orlib", file.to_str().unwrap()]);

    // Assert
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("broken.txt: line 3: expected the capacity of facility 2"),
        "{stderr}"
    );
}
