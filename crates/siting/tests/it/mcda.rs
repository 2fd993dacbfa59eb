//! Weighted sum, TOPSIS and weight sensitivity on a 3 x 3 example computed by hand.
//!
//! Alternatives A, B, C on price (cost), quality (benefit) and risk (cost):
//! A = (100, 3, 2), B = (80, 2, 3), C = (120, 5, 1), weights (3, 1, 1).
//! Min-max normalised: A = (0.5, 1/3, 0.5), B = (1, 0, 0), C = (0, 1, 1).

use rstest::rstest;
use siting::mcda::{order, ranks, topsis, weight_sensitivity, weighted_sum};
use siting::{Direction, Matrix, WeightSensitivity};

fn matrix() -> Matrix {
    let criteria = vec![
        ("price".to_owned(), Direction::Cost),
        ("quality".to_owned(), Direction::Benefit),
        ("risk".to_owned(), Direction::Cost),
    ];
    let rows = vec![
        vec![100.0, 3.0, 2.0],
        vec![80.0, 2.0, 3.0],
        vec![120.0, 5.0, 1.0],
    ];
    match Matrix::new(criteria, rows) {
        Ok(matrix) => matrix,
        Err(error) => panic!("{error}"),
    }
}

#[track_caller]
fn check_close(found: &[f64], expected: &[f64], tolerance: f64) {
    assert_eq!(found.len(), expected.len());
    for (found, expected) in found.iter().zip(expected) {
        assert!(!found.is_nan(), "a score is NaN");
        assert!(
            (found - expected).abs() < tolerance,
            "{found} is not {expected}"
        );
    }
}

#[test]
fn scores_the_weighted_sum_as_computed_by_hand() {
    // Arrange / Act
    let scores = weighted_sum(&matrix(), &[3.0, 1.0, 1.0]).unwrap_or_default();

    // Assert
    // A = 0.6 x 0.5 + 0.2 / 3 + 0.2 x 0.5; B = 0.6; C = 0.2 + 0.2.
    check_close(&scores, &[0.3 + 0.2 / 3.0 + 0.1, 0.6, 0.4], 1e-12);
    assert_eq!(ranks(&scores), vec![2, 1, 3]);
}

#[test]
fn gives_the_hand_checked_topsis_closeness_and_a_different_order_than_the_weighted_sum() {
    // Arrange / Act
    let closeness = topsis(&matrix(), &[3.0, 1.0, 1.0]).unwrap_or_default();

    // Assert
    // Column norms sqrt(30800), sqrt(38), sqrt(14); weighted values
    // A = (0.341882, 0.097333, 0.106904), B = (0.273505, 0.064889, 0.160357),
    // C = (0.410258, 0.162221, 0.053452); ideal (0.273505, 0.162221, 0.053452).
    // A: d+ 0.108365, d- 0.092656 -> 0.46093; B: d+ 0.144576, d- 0.136753 -> 0.48610;
    // C mirrors B (d+ and d- swap) -> 0.51390.
    check_close(&closeness, &[0.46093, 0.48610, 0.51390], 1e-5);
    assert!((closeness[1] + closeness[2] - 1.0).abs() < 1e-12);
    assert_eq!(order(&closeness), vec![2, 1, 0]);
}

#[test]
fn finds_the_exact_weight_moves_that_flip_the_winner() {
    // Arrange / Act
    let found = weight_sensitivity(&matrix(), &[3.0, 1.0, 1.0]).unwrap_or_default();

    // Assert
    // Unnormalised totals A = 7/3, B = 3, C = 2; B wins.
    // Price: C catches up when it falls by (3 - 2) / (1 - 0) = 1; rising only helps B.
    // Quality and risk: C catches up when either rises by (3 - 2) / (1 - 0) = 1.
    let expected = |criterion: &str, weight, increase, decrease| WeightSensitivity {
        criterion: criterion.to_owned(),
        weight,
        increase,
        winner_if_increased: increase.map(|_| 2),
        decrease,
        winner_if_decreased: decrease.map(|_| 2),
    };
    assert_eq!(
        found,
        vec![
            expected("price", 3.0, None, Some(1.0)),
            expected("quality", 1.0, Some(1.0), None),
            expected("risk", 1.0, Some(1.0), None),
        ]
    );
}

#[rstest]
#[case::just_before_the_price_threshold(&[2.001, 1.0, 1.0], 1)]
#[case::just_past_the_price_threshold(&[1.999, 1.0, 1.0], 2)]
#[case::just_before_the_quality_threshold(&[3.0, 1.999, 1.0], 1)]
#[case::just_past_the_quality_threshold(&[3.0, 2.001, 1.0], 2)]
fn flips_the_winner_exactly_where_the_hand_computation_says(
    #[case] weights: &[f64],
    #[case] winner: usize,
) {
    // Arrange / Act
    let scores = weighted_sum(&matrix(), weights).unwrap_or_default();

    // Assert
    assert_eq!(order(&scores)[0], winner);
}

#[test]
fn never_gives_nan_when_every_alternative_is_alike() {
    // Arrange
    let criteria = vec![
        ("a".to_owned(), Direction::Cost),
        ("b".to_owned(), Direction::Benefit),
    ];
    let Ok(alike) = Matrix::new(criteria, vec![vec![0.0, 0.0], vec![0.0, 0.0]]) else {
        panic!("the matrix should be accepted")
    };

    // Act
    let sums = weighted_sum(&alike, &[1.0, 1.0]).unwrap_or_default();
    let closeness = topsis(&alike, &[1.0, 1.0]).unwrap_or_default();

    // Assert
    check_close(&sums, &[1.0, 1.0], 1e-12);
    check_close(&closeness, &[0.5, 0.5], 1e-12);
}
