//! The shipped rule book: it parses, is marked indicative, and has the three classes.

use origin::{default_rules, ClassCode};
use rstest::rstest;

#[test]
fn the_default_rule_book_is_indicative() {
    assert_eq!(default_rules().source().to_string(), "indicative");
}

#[rstest]
#[case::industrial_products_need_60_percent("industrial", "60", &["final-assembly"])]
#[case::foodstuffs_need_80_percent("food", "80", &["processing"])]
#[case::electronics_need_60_percent_and_local_assembly_and_testing("electronics", "60", &["final-assembly", "testing"])]
fn the_default_rule_book_follows_the_swiss_thresholds(
    #[case] code: &str,
    #[case] threshold: &str,
    #[case] essential_steps: &[&str],
) {
    // Arrange
    let rules = default_rules();

    // Act
    let class = rules
        .class(&ClassCode::parse(code).expect("code"))
        .expect("class in the default rules");

    // Assert
    assert_eq!(class.min_hk_share().to_string(), threshold);
    let steps: Vec<&str> = class
        .essential_steps()
        .iter()
        .map(|step| step.as_str())
        .collect();
    assert_eq!(steps, essential_steps);
}

#[test]
fn the_shipped_example_product_qualifies_with_a_hand_computed_share() {
    // Base: materials 420 + 180 + 60 (natural rubber, 15, excluded) + steps 150 + 40 + 300 + 80
    // = 1,230; in Hong Kong: 180 + 150 + 40 + 300 + 80 = 750; 750 / 1,230 = 60.97%.
    let rules = origin::default_rules();
    let product = origin::Product::parse(&rules, origin::EXAMPLE_PRODUCT_TOML).unwrap();
    let report = origin::check(&rules, &product).unwrap();
    assert!(report.qualifies);
    assert_eq!(
        report.share.map(|s| s.to_string()).as_deref(),
        Some("60.97")
    );
    assert_eq!(report.base_cost.cents(), 123_000);
    assert_eq!(report.hk_cost.cents(), 75_000);
    assert_eq!(report.excluded_cost.cents(), 1_500);
    // A report stored as JSON (a certificate) reads back as the same report.
    let json = serde_json::to_string(&report).unwrap();
    let back: origin::OriginReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
}
