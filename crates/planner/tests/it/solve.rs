//! The MIP against OR-Library's published optima (multi-source and single-source).

use planner::{orlib, solve, Instance, PlannerError, Solution, SolveOptions};
use rstest::rstest;

use crate::read;

/// The published optima of `instance` from `optima.csv`: (multi-source, single-source).
fn published(instance: &str) -> (f64, f64) {
    let csv = read("optima.csv");
    let row = csv
        .lines()
        .map(|line| line.split(',').collect::<Vec<_>>())
        .find(|fields| fields[0] == instance)
        .unwrap_or_else(|| panic!("{instance} is not in optima.csv"));
    (
        row[3].parse().expect("multi-source optimum"),
        row[4].parse().expect("single-source optimum"),
    )
}

/// OR-Library's `capopt.txt` value for one of the small instances only in `original/`.
fn capopt(instance: &str) -> f64 {
    let text = read("original/capopt.txt");
    let line = text
        .lines()
        .find(|line| line.split_whitespace().next() == Some(instance))
        .unwrap_or_else(|| panic!("{instance} is not in capopt.txt"));
    line.split_whitespace()
        .nth(1)
        .expect("value")
        .parse()
        .expect("number")
}

fn exact(single_source: bool) -> SolveOptions {
    SolveOptions {
        single_source,
        time_limit: Some(120.0),
        mip_gap: None,
    }
}

#[track_caller]
fn check_optimum(instance: &Instance, options: &SolveOptions, expected: f64) -> Solution {
    let solution = solve(instance, options).expect("a solution");
    let difference = (solution.objective - expected).abs() / expected;
    assert!(
        difference < 1e-6,
        "objective {} differs from the published {expected} by {difference:e} ({solution:?})",
        solution.objective
    );
    assert!(solution.optimal, "not proven optimal: {solution:?}");
    assert!(
        solution.bound <= solution.objective * (1.0 + 1e-9),
        "bound above objective: {solution:?}"
    );
    assert!(!solution.open.is_empty());
    let capacity: f64 = solution
        .open
        .iter()
        .map(|&i| instance.facilities()[i].capacity)
        .sum();
    assert!(
        capacity >= instance.total_demand(),
        "open capacity {capacity} below demand"
    );
    solution
}

#[rstest]
fn solves_each_fifty_customer_instance_to_its_published_multi_source_optimum(
    #[values(
        "cap61", "cap62", "cap63", "cap64", "cap71", "cap72", "cap73", "cap74", "cap91", "cap92",
        "cap93", "cap94", "cap101", "cap102", "cap103", "cap104", "cap121", "cap122", "cap123",
        "cap124", "cap131", "cap132", "cap133", "cap134"
    )]
    name: &str,
) {
    // Arrange
    let instance = orlib::parse(&read(&format!("{name}.txt"))).expect("instance");
    let (multi, _) = published(name);

    // Act / Assert
    check_optimum(&instance, &exact(false), multi);
}

#[rstest]
fn solves_the_original_only_instances_to_their_capopt_optimum(
    #[values(
        "cap41", "cap42", "cap43", "cap44", "cap51", "cap81", "cap82", "cap83", "cap84", "cap111",
        "cap112", "cap113", "cap114"
    )]
    name: &str,
) {
    // Arrange
    let instance = orlib::parse_original(&read(&format!("original/{name}.txt"))).expect("instance");
    let expected = capopt(name);

    // Act / Assert
    check_optimum(&instance, &exact(false), expected);
}

#[rstest]
#[case("cap64")]
#[case("cap92")]
#[case("cap123")]
fn solves_instances_to_their_published_single_source_optimum(#[case] name: &str) {
    // Arrange
    let instance = orlib::parse(&read(&format!("{name}.txt"))).expect("instance");
    let (multi, single) = published(name);

    // Act
    let solution = check_optimum(&instance, &exact(true), single);

    // Assert: single sourcing costs more here than splitting demand.
    assert!(solution.objective > multi * (1.0 + 1e-6));
}

#[test]
fn explains_why_total_demand_cannot_be_met() {
    // Arrange: 2 facilities of 10 for 25 units of demand.
    let instance = orlib::parse("2 2\n10 1\n10 1\n15 10\n1 1\n1 1\n").expect("instance");

    // Act
    let result = solve(&instance, &exact(false));

    // Assert
    match result {
        Err(PlannerError::Infeasible(message)) => {
            assert_eq!(
                message,
                "total demand 25 exceeds the total capacity 20 of all facilities"
            )
        }
        other => panic!("expected infeasible, got {other:?}"),
    }
}

#[test]
fn names_the_customer_no_single_facility_can_serve() {
    // Arrange: capacities 10 and 10, a customer of 12 units.
    let instance = orlib::parse("2 2\n10 1\n10 1\n12 1\n1 1\n1 1\n").expect("instance");

    // Act
    let single = solve(&instance, &exact(true));
    let split = solve(&instance, &exact(false)).expect("multi-source is feasible");

    // Assert
    match single {
        Err(PlannerError::Infeasible(message)) => {
            assert!(message.starts_with("customer 1: demand 12"), "{message}")
        }
        other => panic!("expected infeasible, got {other:?}"),
    }
    assert_eq!(split.open, vec![0, 1]);
    assert!((split.objective - 4.0).abs() < 1e-9, "{split:?}");
}

#[test]
fn rejects_a_non_positive_time_limit() {
    // Arrange
    let instance = orlib::parse("1 1\n10 1\n1\n1\n").expect("instance");
    let options = SolveOptions {
        single_source: false,
        time_limit: Some(0.0),
        mip_gap: None,
    };

    // Act
    let result = solve(&instance, &options);

    // Assert
    assert!(
        matches!(result, Err(PlannerError::InvalidOptions(_))),
        "{result:?}"
    );
}

#[test]
fn solves_a_large_instance_to_its_published_multi_source_optimum() {
    // Arrange: 100 facilities and 1000 customers, a few seconds in a debug build (no need for
    // MADEBY_SLOW_TESTS).
    let instance = orlib::parse(&read("capa4.txt")).expect("instance");
    let (multi, _) = published("capa4");

    // Act
    let solution = check_optimum(&instance, &exact(false), multi);

    // Assert: the published optimum opens these four.
    assert_eq!(solution.open, vec![33, 58, 69, 78]);
}

#[test]
fn stops_at_the_time_limit_with_its_best_solution_and_a_bound_below_the_optimum() {
    // Arrange: capb2 takes seconds even in a release build; half a second is not enough.
    let instance = orlib::parse(&read("capb2.txt")).expect("instance");
    let (multi, _) = published("capb2");
    let options = SolveOptions {
        single_source: false,
        time_limit: Some(0.5),
        mip_gap: None,
    };

    // Act
    let solution = solve(&instance, &options).expect("a solution within the time limit");

    // Assert
    assert!(!solution.optimal, "{solution:?}");
    assert_eq!(solution.status, "ReachedTimeLimit");
    assert!(solution.objective >= multi * (1.0 - 1e-9), "{solution:?}");
    assert!(solution.bound <= multi * (1.0 + 1e-9), "{solution:?}");
    assert!(solution.gap > 0.0, "{solution:?}");
    let capacity: f64 = solution
        .open
        .iter()
        .map(|&i| instance.facilities()[i].capacity)
        .sum();
    assert!(capacity >= instance.total_demand());
}

#[test]
fn a_requested_gap_is_met_and_reported() {
    // Arrange: the Lagrangian bound is within 0.5% of the optimum on cap94.
    let instance = orlib::parse(&read("cap94.txt")).expect("instance");
    let (multi, _) = published("cap94");
    let options = SolveOptions {
        single_source: false,
        time_limit: Some(120.0),
        mip_gap: Some(0.01),
    };

    // Act
    let solution = solve(&instance, &options).expect("a solution");

    // Assert
    assert!(solution.optimal, "{solution:?}");
    assert!(solution.gap <= 0.01, "{solution:?}");
    assert!(solution.bound <= multi * (1.0 + 1e-9), "{solution:?}");
    assert!(solution.objective <= multi * 1.01, "{solution:?}");
}

#[test]
fn a_customer_without_demand_is_served_from_an_open_facility() {
    // Arrange: facility 2 serves customer 2 (no demand) for free but costs 100 to open;
    // facility 1 costs 1 to open and 50 to serve customer 2. Serving customer 2 from a closed
    // facility would cost 2 in all.
    let instance = orlib::parse("2 2\n10 1\n10 100\n5 0\n1 50\n1 0\n").expect("instance");

    // Act
    let solution = solve(&instance, &exact(false)).expect("a solution");

    // Assert
    assert_eq!(solution.open, vec![0]);
    assert!((solution.objective - 52.0).abs() < 1e-9, "{solution:?}");
    assert!(solution.optimal);
}
