//! The OR-Library readers: both layouts agree, and malformed text is an error naming its line.

use planner::{orlib, PlannerError};
use rstest::rstest;

use crate::read;

#[track_caller]
fn check_error(result: Result<planner::Instance, PlannerError>, line: usize, fragment: &str) {
    match result {
        Err(PlannerError::Parse { line: got, message }) => {
            assert_eq!(got, line, "wrong line for `{message}`");
            assert!(
                message.contains(fragment),
                "`{message}` does not contain `{fragment}`"
            );
        }
        other => panic!("expected a parse error on line {line}, got {other:?}"),
    }
}

#[rstest]
#[case::bad_count(
    "x 2\n",
    1,
    "expected the number of facilities (a positive whole number), found `x`"
)]
#[case::zero_customers("2 0\n", 1, "the number of customers")]
#[case::bad_capacity(
    "2 1\n10 5\nten 5\n3\n1\n2\n",
    3,
    "expected the capacity of facility 2 (a number), found `ten`"
)]
#[case::placeholder("1 1\ncapacity 5\n3\n1\n", 2, "placeholder `capacity`")]
#[case::negative_demand(
    "1 2\n10 5\n3 -1\n1 1\n",
    3,
    "the demand of customer 2 must be a finite non-negative number"
)]
#[case::not_a_number(
    "1 1\n10 5\n3\nNaN\n",
    4,
    "the cost of serving customer 1 from facility 1"
)]
#[case::ends_early(
    "2 2\n10 5\n10 5\n4 4\n1 2\n\n",
    6,
    "the text ends where the cost of serving customer 1 from facility 2 was expected"
)]
#[case::trailing_value("1 1\n10 5\n3\n1\n\n7\n", 6, "unexpected value `7`")]
// Issue 9 (found by `fuzz/` target `planner_orlib`): a huge count was reserved up front and
// aborted the process on a failed allocation of terabytes.
#[case::huge_facility_count_issue_9(
    "201101111011 2\n10 100\n",
    2,
    "the text ends where the capacity of facility 2 was expected"
)]
#[case::huge_customer_count_issue_9(
    "1 999999999999\n10 100\n3\n",
    3,
    "the text ends where the demand of customer 2 was expected"
)]
fn rejects_malformed_text_naming_the_line(
    #[case] text: &str,
    #[case] line: usize,
    #[case] fragment: &str,
) {
    // Arrange / Act
    let result = orlib::parse(text);

    // Assert
    check_error(result, line, fragment);
}

#[rstest]
#[case::placeholder_without_value("1 1\n capacity 5.\n3 1\n", 2, "placeholder `capacity`")]
#[case::missing_cost(
    "2 2\n10 5\n10 5\n4 1 2\n4 1\n",
    5,
    "the cost of serving customer 2 from facility 2 was expected"
)]
#[case::huge_facility_count_issue_9(
    "201101111011 2\n10 100\n",
    2,
    "the text ends where the capacity of facility 2 was expected"
)]
#[case::huge_customer_count_issue_9(
    "1 999999999999\n10 100\n3 1\n",
    3,
    "the text ends where the demand of customer 2 was expected"
)]
fn rejects_malformed_original_layout_naming_the_line(
    #[case] text: &str,
    #[case] line: usize,
    #[case] fragment: &str,
) {
    // Arrange / Act
    let result = orlib::parse_original(text);

    // Assert
    check_error(result, line, fragment);
}

#[test]
fn reads_the_transposed_layout_by_facility_rows() {
    // Arrange: 2 facilities, 3 customers; row i holds facility i's costs.
    let text = "2 3\n100 10\n50 20.5\n1 2 3\n11 12 13\n21 22 23\n";

    // Act
    let instance = orlib::parse(text).expect("valid instance");

    // Assert
    assert_eq!(instance.facilities()[1].capacity, 50.0);
    assert_eq!(instance.facilities()[1].fixed_cost, 20.5);
    let customer = &instance.customers()[2];
    assert_eq!(customer.demand, 3.0);
    assert_eq!(customer.costs, vec![13.0, 23.0]);
}

#[rstest]
fn both_layouts_of_each_small_instance_agree(
    #[values(
        "cap61", "cap62", "cap63", "cap64", "cap71", "cap72", "cap73", "cap74", "cap91", "cap92",
        "cap93", "cap94", "cap101", "cap102", "cap103", "cap104", "cap121", "cap122", "cap123",
        "cap124", "cap131", "cap132", "cap133", "cap134"
    )]
    name: &str,
) {
    // Arrange
    let ours = read(&format!("{name}.txt"));
    let original = read(&format!("original/{name}.txt"));

    // Act
    let ours = orlib::parse(&ours).expect("project layout");
    let original = orlib::parse_original(&original).expect("original layout");

    // Assert
    assert_eq!(ours, original);
}

#[rstest]
#[case("capa", 8000.0, "capa1")]
#[case("capb", 6000.0, "capb2")]
#[case("capc", 7250.0, "capc4")]
fn the_capacity_placeholder_takes_the_variants_value(
    #[case] file: &str,
    #[case] capacity: f64,
    #[case] variant: &str,
) {
    // Arrange
    let original = read(&format!("original/{file}.txt"));
    let ours = read(&format!("{variant}.txt"));

    // Act
    let original =
        orlib::parse_original_with_capacity(&original, capacity).expect("original layout");
    let ours = orlib::parse(&ours).expect("project layout");

    // Assert
    assert_eq!(original, ours);
    assert_eq!(original.facilities().len(), 100);
    assert_eq!(original.customers().len(), 1000);
}
