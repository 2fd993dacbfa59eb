//! Reading schemes: the shipped examples parse, and a malformed scheme gets an error naming the
//! line and the key.

use rstest::rstest;
use screening::{example_schemes, Requirement, Scheme, RULE_KINDS};

/// A valid scheme; each case below spoils one line of it.
const GOOD_SCHEME: &str = r#"id = "test-scheme"
name_en = "Test scheme"
name_zh = "測試計劃"
example = true
source = "synthetic"
opens = 2025-01-01
closes = "2025-12-31"
funding_cap = "1,000,000"
matching_ratio = "1:2"
eligible_costs = ["equipment"]
required_documents = ["quotations"]

[fast_track]
max_amount = 500000
max_risk_pct = "30"
max_duplicate_similarity_pct = "50"

[[rule]]
id = "sme"
kind = "max_employees"
max = 100

[[rule]]
id = "sectors"
kind = "sector_in"
sectors = ["electronics"]
"#;

#[track_caller]
fn check_error(from: &str, to: &str, message: &str, code: &str) {
    // Arrange
    assert!(GOOD_SCHEME.contains(from), "the good scheme has {from:?}");
    let text = GOOD_SCHEME.replacen(from, to, 1);

    // Act
    let result = Scheme::parse(&text);

    // Assert
    let error = result.expect_err("the scheme should be refused");
    assert_eq!(error.to_string(), message);
    assert_eq!(error.code(), code);
    assert!(error.is_user_error());
}

#[test]
fn the_good_scheme_parses() {
    // Act
    let scheme = Scheme::parse(GOOD_SCHEME).expect("valid");

    // Assert
    assert_eq!(scheme.id().as_str(), "test-scheme");
    assert_eq!(scheme.funding_cap().to_string(), "HK$1,000,000.00");
    assert_eq!(scheme.matching_ratio().to_string(), "1:2");
    assert_eq!(scheme.fast_track().max_amount.to_string(), "HK$500,000.00");
    assert_eq!(scheme.closes().to_string(), "2025-12-31");
    assert_eq!(
        scheme.rules()[0].requirement,
        Requirement::MaxEmployees { max: 100 }
    );
}

#[rstest]
#[case::syntax_error(
    "max = 100",
    "max = = 100",
    "line 21: field `max`: invalid string\nexpected `\"`, `'`",
    "invalid_toml"
)]
#[case::unknown_rule_kind(
    "kind = \"max_employees\"",
    "kind = \"max_staff\"",
    &format!("line 20: field `kind`: unknown rule kind \"max_staff\"; known: {}", RULE_KINDS.join(", ")),
    "unknown_rule_kind"
)]
#[case::bad_money(
    "funding_cap = \"1,000,000\"",
    "funding_cap = \"1,000,00\"",
    "line 8: field `funding_cap`: invalid amount \"1,000,00\": misplaced thousands separator",
    "invalid_amount"
)]
#[case::float_money(
    "max_amount = 500000",
    "max_amount = 500000.5",
    "line 14: field `max_amount`: 500000.5 is a float, which is not exact; write it as a string, e.g. \"15,000,000\"",
    "invalid_value"
)]
#[case::negative_money(
    "max_amount = 500000",
    "max_amount = -5",
    "line 14: field `max_amount`: \"-5\" must not be negative",
    "invalid_value"
)]
#[case::zero_ratio(
    "matching_ratio = \"1:2\"",
    "matching_ratio = \"0:2\"",
    "line 9: field `matching_ratio`: ratio 0:2 has a zero part; both parts must be at least 1",
    "invalid_value"
)]
#[case::ratio_not_a_ratio(
    "matching_ratio = \"1:2\"",
    "matching_ratio = \"half\"",
    "line 9: field `matching_ratio`: \"half\" is not a ratio such as \"1:2\" (government:company)",
    "invalid_value"
)]
#[case::rule_without_threshold(
    "max = 100",
    "",
    "line 20: field `max`: rule kind \"max_employees\" needs `max`",
    "invalid_value"
)]
#[case::threshold_the_rule_does_not_take(
    "sectors = [\"electronics\"]",
    "sectors = [\"electronics\"]\nmax = 3",
    "line 27: field `max`: rule kind \"sector_in\" takes no `max`",
    "invalid_value"
)]
#[case::unknown_key("example = true", "example = true\nexamples = 3", "line 5: field `examples`: unknown field `examples`, expected one of `id`, `name_en`, `name_zh`, `example`, `source`, `currency`, `opens`, `closes`, `funding_cap`, `matching_ratio`, `eligible_costs`, `required_documents`, `fast_track`, `tolerance`, `rule`", "invalid_toml")]
#[case::closes_before_opening(
    "closes = \"2025-12-31\"",
    "closes = \"2024-12-31\"",
    "line 7: field `closes`: the scheme closes on 2024-12-31 before it opens on 2025-01-01",
    "invalid_value"
)]
#[case::bad_date(
    "closes = \"2025-12-31\"",
    "closes = \"2025-13-31\"",
    "line 7: field `closes`: \"2025-13-31\" is not a date such as 2025-01-31",
    "invalid_value"
)]
#[case::risk_above_100(
    "max_risk_pct = \"30\"",
    "max_risk_pct = \"130\"",
    "line 15: field `max_risk_pct`: \"130\" is not between 0 and 100",
    "invalid_value"
)]
#[case::bad_code("id = \"sectors\"", "id = \"Sectors!\"", "line 24: field `id`: \"Sectors!\" is not a code: '!' is not allowed; use lowercase letters, digits, '-' and '_'", "invalid_value")]
#[case::duplicate_rule_id(
    "id = \"sectors\"",
    "id = \"sme\"",
    "line 24: field `id`: duplicate id \"sme\"",
    "duplicate_id"
)]
#[case::bad_provenance("source = \"synthetic\"", "source = \"made up\"", "line 5: field `source`: invalid provenance \"made up\": expected \"published: <document>\", \"indicative\" or \"synthetic\"", "invalid_provenance")]
fn a_malformed_scheme_is_refused_naming_the_line_and_key(
    #[case] from: &str,
    #[case] to: &str,
    #[case] message: &str,
    #[case] code: &str,
) {
    check_error(from, to, message, code);
}

#[test]
fn the_shipped_schemes_parse_and_are_labelled_as_examples() {
    // Act
    let schemes = example_schemes();

    // Assert
    let summary: Vec<String> = schemes
        .iter()
        .map(|scheme| {
            format!(
                "{} cap {} ratio {} fast-track {} example {} source {}",
                scheme.id(),
                scheme.funding_cap(),
                scheme.matching_ratio(),
                scheme.fast_track().max_amount,
                scheme.is_example(),
                scheme.source()
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            "smart-production-line cap HK$15,000,000.00 ratio 1:2 fast-track HK$3,000,000.00 example true source indicative",
            "rd-cash-rebate cap HK$10,000,000.00 ratio 2:3 fast-track HK$2,000,000.00 example true source indicative",
            "technology-voucher cap HK$600,000.00 ratio 3:1 fast-track HK$200,000.00 example true source indicative",
        ]
    );
}

#[test]
fn the_shipped_schemes_use_every_rule_kind() {
    // Act
    let mut kinds: Vec<&str> = example_schemes()
        .iter()
        .flat_map(|scheme| {
            scheme
                .rules()
                .iter()
                .map(|rule| rule.requirement.kind())
                .collect::<Vec<_>>()
        })
        .collect();
    kinds.sort();
    kinds.dedup();

    // Assert
    let mut all = RULE_KINDS.to_vec();
    all.sort();
    assert_eq!(kinds, all);
}
