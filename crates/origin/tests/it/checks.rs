//! The verdict and the share: hand-computed cases at and around the threshold, exclusions and
//! essential steps.

use origin::{check, OriginReport, Product};
use rstest::rstest;

use crate::{product_toml, test_rules};

/// What a check should find, with amounts as displayed.
struct Expect<'a> {
    qualifies: bool,
    share: Option<&'a str>,
    hk: &'a str,
    base: &'a str,
    excluded: &'a str,
}

#[track_caller]
fn check_product(class: &str, lines: &str, expect: Expect<'_>) -> OriginReport {
    // Arrange
    let rules = test_rules();
    let product = Product::parse(&rules, &product_toml(class, lines)).expect("valid product");

    // Act
    let report = check(&rules, &product).expect("known class");

    // Assert
    assert_eq!(report.qualifies, expect.qualifies, "verdict of\n{report}");
    assert_eq!(
        report.share.map(|share| share.to_string()).as_deref(),
        expect.share,
        "share of\n{report}"
    );
    assert_eq!(
        report.hk_cost.to_string(),
        expect.hk,
        "HK cost of\n{report}"
    );
    assert_eq!(
        report.base_cost.to_string(),
        expect.base,
        "base of\n{report}"
    );
    assert_eq!(
        report.excluded_cost.to_string(),
        expect.excluded,
        "excluded cost of\n{report}"
    );
    assert_eq!(report.fix.is_none(), report.qualifies);
    report
}

#[rstest]
// 60.00 of 100.00 is exactly 60%.
#[case::a_share_exactly_at_the_threshold_qualifies(
    "plain",
    "m a 60 HK\nm b 40 CN",
    true,
    Some("60.00"),
    "HK$60.00",
    "HK$100.00"
)]
// 59.99 of 100.00 is one cent short.
#[case::a_share_one_cent_below_the_threshold_does_not_qualify(
    "plain",
    "m a 59.99 HK\nm b 40.01 CN",
    false,
    Some("59.99"),
    "HK$59.99",
    "HK$100.00"
)]
// 5 of 8 is exactly 62.5%.
#[case::a_share_exactly_at_a_fractional_threshold_qualifies(
    "five-eighths",
    "m a 5 HK\nm b 3 CN",
    true,
    Some("62.50"),
    "HK$5.00",
    "HK$8.00"
)]
// 4.99 of 7.99 is 62.4530...%.
#[case::a_share_just_below_a_fractional_threshold_does_not_qualify(
    "five-eighths",
    "m a 4.99 HK\nm b 3 CN",
    false,
    Some("62.45"),
    "HK$4.99",
    "HK$7.99"
)]
// 1 of 3 is 33.3333...%, above 33.333333% although it shows as 33.33.
#[case::a_third_meets_a_threshold_of_33_333333_percent(
    "one-third",
    "m a 1 HK\nm b 2 CN",
    true,
    Some("33.33"),
    "HK$1.00",
    "HK$3.00"
)]
// 2 of 3 is 66.666...%, shown rounded down.
#[case::the_share_shown_is_rounded_down(
    "plain",
    "m a 2 HK\nm b 1 CN",
    true,
    Some("66.66"),
    "HK$2.00",
    "HK$3.00"
)]
// Steps count: 300 of 700 (cells 400 CN, assembly 300 HK) is 42.857%.
#[case::process_steps_count_in_the_base_and_the_hong_kong_cost(
    "plain",
    "m cells 400 CN\ns assembly 300 HK",
    false,
    Some("42.85"),
    "HK$300.00",
    "HK$700.00"
)]
// Nothing in Hong Kong.
#[case::a_product_made_entirely_abroad_has_a_zero_share(
    "plain",
    "m a 10 CN\ns b 5 VN",
    false,
    Some("0.00"),
    "HK$0.00",
    "HK$15.00"
)]
fn the_verdict_compares_the_exact_share_with_the_threshold(
    #[case] class: &str,
    #[case] lines: &str,
    #[case] qualifies: bool,
    #[case] share: Option<&str>,
    #[case] hk: &str,
    #[case] base: &str,
) {
    check_product(
        class,
        lines,
        Expect {
            qualifies,
            share,
            hk,
            base,
            excluded: "HK$0.00",
        },
    );
}

#[test]
fn an_excludable_material_not_available_in_hong_kong_leaves_the_base() {
    // frame 60 HK, rubber 50 MY (excluded), cells 40 CN, assembly 20 HK: 80 of 120 is 66.66%.
    let report = check_product(
        "industrial",
        "m frame 60 HK\nm natural-rubber 50 MY unavailable\nm cells 40 CN\ns final-assembly 20 HK",
        Expect {
            qualifies: true,
            share: Some("66.66"),
            hk: "HK$80.00",
            base: "HK$120.00",
            excluded: "HK$50.00",
        },
    );
    let rubber = &report.terms[1];
    assert!(!rubber.in_base);
    assert_eq!(
        rubber.note,
        Some(origin::TermNote::ExcludedNotAvailableInHk)
    );
    assert_eq!(report.total_cost.to_string(), "HK$170.00");
}

#[test]
fn an_excludable_material_available_in_hong_kong_stays_in_the_base() {
    // The same product with the rubber available: 80 of 170 is 47.05%.
    let report = check_product(
        "industrial",
        "m frame 60 HK\nm natural-rubber 50 MY\nm cells 40 CN\ns final-assembly 20 HK",
        Expect {
            qualifies: false,
            share: Some("47.05"),
            hk: "HK$80.00",
            base: "HK$170.00",
            excluded: "HK$0.00",
        },
    );
    assert_eq!(
        report.terms[1].note,
        Some(origin::TermNote::ExcludableButAvailableInHk)
    );
}

#[test]
fn a_material_the_class_does_not_list_stays_in_the_base_even_when_unavailable() {
    // steel 50 MY is unavailable but not excludable: 80 of 170 is 47.05%.
    let report = check_product(
        "industrial",
        "m frame 60 HK\nm steel 50 MY unavailable\nm cells 40 CN\ns final-assembly 20 HK",
        Expect {
            qualifies: false,
            share: Some("47.05"),
            hk: "HK$80.00",
            base: "HK$170.00",
            excluded: "HK$0.00",
        },
    );
    assert!(report.terms[1].in_base);
    assert_eq!(
        report.terms[1].note,
        Some(origin::TermNote::NotExcludableForClass)
    );
}

#[test]
fn a_missing_essential_step_fails_even_at_a_full_share() {
    let report = check_product(
        "industrial",
        "m frame 100 HK",
        Expect {
            qualifies: false,
            share: Some("100.00"),
            hk: "HK$100.00",
            base: "HK$100.00",
            excluded: "HK$0.00",
        },
    );
    assert!(report.meets_share);
    assert!(!report.essential_steps_ok);
    let step = &report.essential_steps[0];
    assert_eq!(step.code.as_str(), "final-assembly");
    assert!(!step.present);
    assert!(!step.ok);
    let fix = report.fix.expect("a fix");
    assert_eq!(fix.amount_to_move.to_string(), "HK$0.00");
    assert!(fix.moves.is_empty());
    assert_eq!(fix.missing_steps[0].as_str(), "final-assembly");
}

#[test]
fn an_essential_step_done_abroad_fails_although_the_share_is_met() {
    // 100 of 110 is 90.90%, but final assembly is in CN.
    let report = check_product(
        "industrial",
        "m frame 100 HK\ns final-assembly 10 CN",
        Expect {
            qualifies: false,
            share: Some("90.90"),
            hk: "HK$100.00",
            base: "HK$110.00",
            excluded: "HK$0.00",
        },
    );
    assert!(report.meets_share);
    assert_eq!(
        report.essential_steps[0]
            .place
            .map(|p| p.to_string())
            .as_deref(),
        Some("CN")
    );
    let fix = report.fix.expect("a fix");
    assert_eq!(fix.moves.len(), 1);
    assert_eq!(fix.moves[0].code.as_str(), "final-assembly");
    assert_eq!(fix.moves[0].reason, origin::MoveReason::EssentialStep);
}

#[test]
fn a_step_the_product_declares_essential_must_be_done_in_hong_kong() {
    // 100 of 105 meets 60%, but the maker's own essential design step is in US.
    let report = check_product(
        "plain",
        "m frame 100 HK\ns design 5 US essential",
        Expect {
            qualifies: false,
            share: Some("95.23"),
            hk: "HK$100.00",
            base: "HK$105.00",
            excluded: "HK$0.00",
        },
    );
    assert_eq!(
        report.essential_steps[0].required_by,
        origin::RequiredBy::Product
    );
}

#[test]
fn a_product_whose_whole_cost_is_excluded_has_no_share_and_cannot_qualify() {
    let report = check_product(
        "industrial",
        "m natural-rubber 50 MY unavailable\ns final-assembly 0 HK",
        Expect {
            qualifies: false,
            share: None,
            hk: "HK$0.00",
            base: "HK$0.00",
            excluded: "HK$50.00",
        },
    );
    assert!(!report.fix.expect("a fix").reachable);
}

#[test]
fn a_product_of_a_class_the_rule_book_lacks_is_an_error_of_the_check() {
    // Arrange: a product read against the default rules, checked against the test rules.
    let default = origin::default_rules();
    let product =
        Product::parse(&default, &product_toml("food", "m rice 10 HK")).expect("valid product");

    // Act
    let error = check(&test_rules(), &product).expect_err("food is not a test class");

    // Assert
    assert_eq!(
        error.to_string(),
        "field `class`: unknown product class \"food\"; known: plain, five-eighths, one-third, industrial"
    );
    assert_eq!(error.code(), "unknown_class");
}

#[test]
fn the_report_reads_as_plain_text() {
    // Arrange
    let rules = test_rules();
    let text = product_toml(
        "industrial",
        "m cells 420 CN\nm natural-rubber 15 MY unavailable\nm casing 80 HK\ns final-assembly 300 VN\ns testing 60 HK",
    );
    let product = Product::parse(&rules, &text).expect("valid product");

    // Act
    let report = check(&rules, &product).expect("known class");

    // Assert
    insta::assert_snapshot!(report.to_string());
}

#[test]
fn the_report_serializes_to_json() {
    // Arrange
    let rules = test_rules();
    let text = product_toml("plain", "m cells 40.01 CN\nm frame 59.99 HK");
    let product = Product::parse(&rules, &text).expect("valid product");

    // Act
    let report = check(&rules, &product).expect("known class");

    // Assert
    insta::assert_json_snapshot!(report);
}
