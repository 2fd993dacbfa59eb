//! Acceptance of introductions by score band.

use directory::acceptance_by_score_band;

#[test]
fn counts_offers_and_acceptances_per_band() {
    // Arrange
    let outcomes = [
        (95, true),
        (100, false),
        (91, true),
        (55, true),
        (50, false),
        (59, false),
        (3, false),
    ];

    // Act
    let bands = acceptance_by_score_band(&outcomes);

    // Assert
    assert_eq!(bands.len(), 10);
    let top = &bands[9];
    assert_eq!(
        (top.from, top.to, top.offered, top.accepted),
        (90, 100, 3, 2)
    );
    assert_eq!(top.rate.expect("offers were made").to_string(), "66.7");
    let middle = &bands[5];
    assert_eq!(
        (middle.from, middle.to, middle.offered, middle.accepted),
        (50, 59, 3, 1)
    );
    assert_eq!(middle.rate.expect("offers were made").to_string(), "33.3");
    assert_eq!(bands[0].rate.expect("one offer").to_string(), "0.0");
    assert_eq!(bands[1].offered, 0);
    assert_eq!(bands[1].rate, None);
}

#[test]
fn no_outcomes_give_empty_bands() {
    let bands = acceptance_by_score_band(&[]);
    assert!(bands.iter().all(|b| b.offered == 0 && b.rate.is_none()));
    assert_eq!(bands.first().map(|b| b.from), Some(0));
    assert_eq!(bands.last().map(|b| b.to), Some(100));
}
