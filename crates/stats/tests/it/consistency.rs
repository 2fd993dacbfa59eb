//! Published figures checked against the GDP they imply, sums of components, and sample sizes
//! that fit rounded survey percentages.

use rstest::rstest;
use stats::{check_published_figures, check_sum, sample_sizes_consistent, PublishedFigure};
use vocab::Money;

/// The study's 2023 figures: label, HK$ billion, share of GDP as published.
const STUDY_2023: [(&str, &str, &str); 6] = [
    ("total", "127.1", "4.4"),
    ("manufacturing", "28.2", "1.0"),
    ("publishing_packaging", "5.3", "0.2"),
    ("subcontract_processing", "53.4", "1.8"),
    ("new_industries", "40.2", "1.4"),
    ("producer_services", "473.5", "16.2"),
];

fn figures(rows: &[(&str, &str, &str)]) -> Vec<PublishedFigure> {
    rows.iter()
        .map(|(label, value, share)| PublishedFigure::parse(label, value, share).expect("figure"))
        .collect()
}

#[test]
fn the_study_2023_figures_imply_gdp_between_2913_85_and_2921_84_billion_and_all_fit() {
    // Arrange
    let figures = figures(&STUDY_2023);

    // Act
    let report = check_published_figures(&figures).expect("report");

    // Assert
    // Lower bound from producer services: 473.5 / 16.25% = 2,913.846153846153...bn, rounded down.
    // Upper bound from the total: 127.1 / 4.35% = 2,921.839080459770...bn, rounded up.
    let implied = report.implied_gdp.expect("an interval");
    assert_eq!(implied.lower, Money::hkd(291_384_615_384_615));
    assert_eq!(implied.upper, Some(Money::hkd(292_183_908_045_978)));
    assert!(report.all_consistent);
    assert!(report
        .figures
        .iter()
        .all(|f| f.consistent && f.conflicts_with.is_empty()));
    // Each figure's own interval, e.g. the total: 127.1 / 4.45% to 127.1 / 4.35%.
    let total = &report.figures[0];
    assert_eq!(total.implied_gdp.lower, Money::hkd(285_617_977_528_089));
    assert_eq!(
        total.implied_gdp.upper,
        Some(Money::hkd(292_183_908_045_978))
    );
}

#[test]
fn a_share_that_does_not_fit_the_others_is_flagged_with_what_it_conflicts_with() {
    // Arrange
    // Manufacturing at 1.2% implies GDP of 2,256.0bn to 2,452.2bn, below every other interval
    // except publishing and packaging's wide 2,120bn to 3,533.3bn.
    let mut rows = STUDY_2023;
    rows[1] = ("manufacturing", "28.2", "1.2");
    let figures = figures(&rows);

    // Act
    let report = check_published_figures(&figures).expect("report");

    // Assert
    assert!(!report.all_consistent);
    assert_eq!(report.implied_gdp, None);
    let flagged: Vec<&str> = report
        .figures
        .iter()
        .filter(|f| !f.consistent)
        .map(|f| f.label.as_str())
        .collect();
    assert_eq!(flagged, ["manufacturing"]);
    assert_eq!(
        report.figures[1].conflicts_with,
        [
            "total",
            "subcontract_processing",
            "new_industries",
            "producer_services"
        ]
    );
}

#[test]
fn a_share_published_as_zero_leaves_gdp_unbounded_above() {
    // Arrange
    let figures = figures(&[("tiny", "0.1", "0.0")]);

    // Act
    let report = check_published_figures(&figures).expect("report");

    // Assert
    // 0.1bn below 0.05% of GDP: GDP above 0.1 / 0.05% = 200bn.
    let implied = report.implied_gdp.expect("an interval");
    assert_eq!(implied.lower, Money::hkd(20_000_000_000_000));
    assert_eq!(implied.upper, None);
    assert_eq!(implied.midpoint(), None);
}

#[rstest]
#[case::a_value_that_is_not_a_decimal("x", "4.4", "invalid published value of `total` \"x\"")]
#[case::a_value_of_zero(
    "0",
    "4.4",
    "invalid published value of `total` \"0\": must be above zero"
)]
#[case::a_share_that_is_not_a_decimal(
    "127.1",
    "four",
    "invalid published share of `total` \"four\""
)]
#[case::a_negative_share(
    "127.1",
    "-4.4",
    "invalid published share of `total` \"-4.4\": must not be below zero"
)]
fn a_bad_published_figure_is_an_error_naming_it(
    #[case] value: &str,
    #[case] share: &str,
    #[case] expected: &str,
) {
    // Act
    let result = PublishedFigure::parse("total", value, share);

    // Assert
    let message = result.expect_err("bad figure").to_string();
    assert!(message.starts_with(expected), "{message}");
}

#[rstest]
// 28.2 + 5.3 + 53.4 + 40.2 = 127.1 exactly.
#[case::the_study_components_add_up_to_127_1("127.1", "0", true, true)]
// Off by 0.1bn; each of five figures may be off by 0.05bn, so up to 0.25bn is rounding.
#[case::a_total_off_by_a_rounding_unit("127.0", "0.1", false, true)]
// Off by 0.9bn against a tolerance of 0.5 (a whole number) + 4 x 0.05 = 0.7bn.
#[case::a_total_off_by_more_than_rounding("128", "-0.9", false, false)]
fn published_components_are_checked_against_their_total(
    #[case] total: &str,
    #[case] difference_hkd_bn: &str,
    #[case] exact: bool,
    #[case] within_rounding: bool,
) {
    // Act
    let result = check_sum(total, &["28.2", "5.3", "53.4", "40.2"]).expect("sum check");

    // Assert
    assert_eq!(crate::bn(result.components_sum), "127.1");
    assert_eq!(crate::bn(result.difference), difference_hkd_bn);
    assert_eq!(result.adds_up_exactly, exact);
    assert_eq!(result.within_rounding, within_rounding);
}

#[rstest]
// 37/55 = 67.27%, 35/55 = 63.64%, 20/55 = 36.36%.
#[case::southeast_asia_reasons(&[("67.3", 1), ("63.6", 1), ("36.4", 1)], 1..=200, &[55, 107, 110, 162, 165])]
// 33/54 = 61.11%, 31/54 = 57.41%, 19/54 = 35.19%, 18/54 = 33.33%, 15/54 = 27.78%.
#[case::southeast_asia_challenges(
    &[("61.1", 1), ("57.4", 1), ("35.2", 1), ("33.3", 1), ("27.8", 1)],
    1..=120,
    &[54, 108]
)]
// 13/28 = 46.43%.
#[case::rd_spending_alone(&[("46.4", 1)], 1..=60, &[28, 56])]
// No sample of 150 or fewer gives both 46.4% and 67.5%, so they cannot come from one sample
// that small.
#[case::rd_spending_with_an_unrelated_share(&[("46.4", 1), ("67.5", 1)], 1..=200, &[151, 166, 194])]
// 15% with no decimals: 2/13 = 15.38% rounds to 15, 3/20 = 15% exactly; 1/7 = 14.29% does not fit.
#[case::a_whole_percentage(&[("15", 0)], 1..=20, &[13, 20])]
// The text may have fewer decimals than published: "15" with one decimal is 15.0.
#[case::a_whole_percentage_published_with_one_decimal(&[("15", 1)], 1..=20, &[20])]
#[case::zero_and_a_hundred_fit_everything(&[("0.0", 1), ("100.0", 1)], 1..=5, &[1, 2, 3, 4, 5])]
fn sample_sizes_are_those_whose_counts_round_to_every_percentage(
    #[case] percentages: &[(&str, u8)],
    #[case] range: std::ops::RangeInclusive<u32>,
    #[case] expected: &[u32],
) {
    // Act
    let result = sample_sizes_consistent(percentages, range).expect("valid percentages");

    // Assert
    assert_eq!(result, expected);
}

#[test]
fn a_percentage_with_more_decimals_than_stated_is_an_error() {
    // Act
    let result = sample_sizes_consistent(&[("67.35", 1)], 1..=100);

    // Assert
    let message = result.expect_err("too precise").to_string();
    assert_eq!(
        message,
        "invalid published percentage \"67.35\": has 2 decimals, more than the 1 it is said to be published with"
    );
}
