//! Reading applications and history from CSV: good files parse, a file with bad rows is
//! refused whole with every bad row's line and column.

use screening::{read_applications_csv, read_history_csv, CsvProblem, Decision, ScreeningError};

const HEADER: &str = "reference,organisation_name,registered_in_hk,employees,sector,years_in_operation,project_title,project_description,project_location,start_date,end_date,budget_lines,total,amount_requested,company_contribution,documents,earlier_funding,submitted_on";

const GOOD_ROW: &str = "A-1,Wah Hing Ltd,yes,40,electronics,8,Vision cell,Install a vision cell,HK,2025-09-01,2026-08-31,\"equipment:1,200,000.00:Camera cell;software:300000\",\"1,500,000\",500000,1000000,business_registration;quotations,technology-voucher:200000,2025-07-01";

#[track_caller]
fn check_problems(text: &str, expected: &[(usize, &str, &str)]) {
    // Act
    let result = read_applications_csv(text.as_bytes());

    // Assert
    let Err(ScreeningError::Csv { problems }) = result else {
        panic!("expected a CSV error, got {result:?}");
    };
    let got: Vec<(usize, &str, &str)> = problems
        .iter()
        .map(
            |CsvProblem {
                 line, column, code, ..
             }| (*line, column.as_str(), code.as_str()),
        )
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn a_good_file_parses_with_its_compact_columns() {
    // Arrange
    let text = format!("{HEADER}\n{GOOD_ROW}\n");

    // Act
    let applications = read_applications_csv(text.as_bytes()).expect("valid");

    // Assert
    assert_eq!(applications.len(), 1);
    let project = applications[0].project();
    let lines: Vec<String> = project
        .budget_lines()
        .iter()
        .map(|line| {
            format!(
                "{} {} {:?}",
                line.category(),
                line.amount(),
                line.description()
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            "equipment HK$1,200,000.00 \"Camera cell\"",
            "software HK$300,000.00 \"\""
        ]
    );
    assert_eq!(
        project.total().map(|total| total.to_string()).as_deref(),
        Some("HK$1,500,000.00")
    );
    assert_eq!(applications[0].documents().len(), 2);
    assert_eq!(
        applications[0].earlier_funding()[0].scheme().as_str(),
        "technology-voucher"
    );
}

#[test]
fn a_file_with_bad_rows_is_refused_whole_naming_each_line_and_column() {
    // Arrange: line 2 is good, 3 has bad employees, 4 a bad budget amount, 5 a malformed
    // budget item, 6 repeats a reference, 7 a bad date.
    let text = [
        HEADER.to_owned(),
        GOOD_ROW.to_owned(),
        GOOD_ROW.replace("A-1", "A-2").replace(",40,", ",forty,"),
        GOOD_ROW
            .replace("A-1", "A-3")
            .replace("software:300000", "software:3x0"),
        GOOD_ROW
            .replace("A-1", "A-4")
            .replace("software:300000", "software"),
        GOOD_ROW.to_owned(),
        GOOD_ROW
            .replace("A-1", "A-6")
            .replace("2025-07-01", "2025-02-30"),
    ]
    .join("\n");

    check_problems(
        &text,
        &[
            (3, "employees", "invalid_value"),
            (4, "budget_lines", "invalid_amount"),
            (5, "budget_lines", "invalid_value"),
            (6, "reference", "duplicate_id"),
            (7, "submitted_on", "invalid_value"),
        ],
    );
}

#[test]
fn the_error_message_names_line_and_column() {
    // Arrange
    let text = format!("{HEADER}\n{}\n", GOOD_ROW.replace(",40,", ",-3,"));

    // Act
    let error = read_applications_csv(text.as_bytes()).expect_err("refused");

    // Assert
    assert_eq!(
        error.to_string(),
        "1 bad cell(s): line 2: column `employees`: \"-3\" is not a whole number from 0 to 4294967295"
    );
}

#[test]
fn unknown_and_missing_columns_are_named_on_line_1() {
    check_problems(
        "reference,organisation_name,colour\nA,B,red\n",
        &[
            (1, "colour", "invalid_header"),
            (1, "project_title", "invalid_header"),
            (1, "amount_requested", "invalid_header"),
        ],
    );
}

#[test]
fn a_row_with_the_wrong_number_of_cells_is_named() {
    check_problems(
        &format!("{HEADER}\n{GOOD_ROW}\nA-9,too,short\n"),
        &[(3, "record", "invalid_csv")],
    );
}

#[test]
fn history_reads_the_cap_and_the_decision() {
    // Arrange
    let text = format!(
        "{HEADER},funding_cap,decision\n{GOOD_ROW},600000,rejected\n{},\"600,000\",approved\n",
        GOOD_ROW.replace("A-1", "A-2")
    );

    // Act
    let history = read_history_csv(text.as_bytes()).expect("valid");

    // Assert
    let decisions: Vec<(Decision, String)> = history
        .iter()
        .map(|past| (past.decision, past.funding_cap.to_string()))
        .collect();
    assert_eq!(
        decisions,
        [
            (Decision::Rejected, "HK$600,000.00".to_owned()),
            (Decision::Approved, "HK$600,000.00".to_owned())
        ]
    );
}

#[test]
fn history_with_a_bad_decision_names_the_line_and_column() {
    // Arrange
    let text = format!("{HEADER},funding_cap,decision\n{GOOD_ROW},600000,maybe\n");

    // Act
    let error = read_history_csv(text.as_bytes()).expect_err("refused");

    // Assert
    assert_eq!(
        error.to_string(),
        "1 bad cell(s): line 2: column `decision`: \"maybe\" is not approved or rejected"
    );
}
