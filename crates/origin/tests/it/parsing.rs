//! Reading rule books and products: bad input names the line and the field.

use origin::{Product, RuleBook};
use rstest::rstest;

use crate::test_rules;

/// A valid product; each case below spoils one line of it.
const GOOD_PRODUCT: &str = r#"name = "Smart battery pack"
class = "industrial"
currency = "HKD"

[[material]]
code = "cells"
item = "Li-ion cells"
cost = "420.00"
origin = "CN"

[[step]]
code = "final-assembly"
step = "Final assembly and calibration"
cost = 300
place = "HK"
essential = true
"#;

#[track_caller]
fn check_product_error(text: &str, message: &str, code: &str) {
    // Arrange
    let rules = test_rules();

    // Act
    let result = Product::parse(&rules, text);

    // Assert
    let error = result.expect_err("the product should be refused");
    assert_eq!(error.to_string(), message);
    assert_eq!(error.code(), code);
}

#[track_caller]
fn check_rules_error(text: &str, message: &str, code: &str) {
    // Act
    let result = RuleBook::parse(text);

    // Assert
    let error = result.expect_err("the rule book should be refused");
    assert_eq!(error.to_string(), message);
    assert_eq!(error.code(), code);
}

#[test]
fn the_good_product_parses() {
    // Act
    let product = Product::parse(&test_rules(), GOOD_PRODUCT).expect("valid");

    // Assert
    assert_eq!(product.name(), "Smart battery pack");
    assert_eq!(product.materials()[0].cost().to_string(), "HK$420.00");
    assert_eq!(product.steps()[0].cost().to_string(), "HK$300.00");
    assert!(product.steps()[0].essential());
    assert!(product.materials()[0].available_in_hk());
}

#[rstest]
#[case::a_negative_cost(
    "cost = \"420.00\"",
    "cost = \"-5\"",
    "line 8: field `cost`: \"-5\" must not be negative",
    "negative_cost"
)]
#[case::a_negative_whole_number_cost(
    "cost = 300",
    "cost = -5",
    "line 14: field `cost`: \"-5\" must not be negative",
    "negative_cost"
)]
#[case::an_unknown_country(
    "origin = \"CN\"",
    "origin = \"XX\"",
    "line 9: field `origin`: invalid country code \"XX\": not an assigned ISO 3166-1 alpha-2 code",
    "invalid_country_code"
)]
#[case::a_place_that_is_not_a_country_code(
    "place = \"HK\"",
    "place = \"Hong Kong\"",
    "line 15: field `place`: invalid country code \"Hong Kong\": not two letters",
    "invalid_country_code"
)]
#[case::an_unknown_class(
    "class = \"industrial\"", "class = \"toys\"",
    "line 2: field `class`: unknown product class \"toys\"; known: plain, five-eighths, one-third, industrial",
    "unknown_class"
)]
#[case::a_malformed_amount(
    "cost = \"420.00\"",
    "cost = \"420.001\"",
    "line 8: field `cost`: invalid amount \"420.001\": more than 2 decimal places",
    "invalid_amount"
)]
#[case::an_amount_that_is_not_a_number(
    "cost = \"420.00\"",
    "cost = \"lots\"",
    "line 8: field `cost`: invalid amount \"lots\": unexpected character 'l'",
    "invalid_amount"
)]
#[case::a_float_amount(
    "cost = \"420.00\"", "cost = 420.5",
    "line 8: field `cost`: 420.5 is a float, which is not exact; write it as a string, e.g. \"420.50\"",
    "invalid_value"
)]
#[case::an_amount_in_another_currency(
    "cost = \"420.00\"",
    "cost = \"US$420\"",
    "line 8: field `cost`: invalid amount \"US$420\": currency symbol US$ does not match HKD",
    "invalid_amount"
)]
#[case::an_unknown_currency(
    "currency = \"HKD\"",
    "currency = \"XYZ\"",
    "line 3: field `currency`: unknown currency \"XYZ\": expected one of HKD, CNY, USD, EUR",
    "unknown_code"
)]
#[case::a_misspelt_field(
    "origin = \"CN\"", "orign = \"CN\"",
    "line 9: field `orign`: unknown field `orign`, expected one of `code`, `item`, `cost`, `origin`, `available_in_hk`",
    "invalid_toml"
)]
#[case::a_code_with_spaces(
    "code = \"cells\"", "code = \"Li cells\"",
    "line 6: field `code`: \"Li cells\" is not a code: ' ' is not allowed; use lowercase letters, digits and '-'",
    "invalid_code"
)]
#[case::a_code_used_by_a_material_and_a_step(
    "code = \"final-assembly\"",
    "code = \"cells\"",
    "line 12: field `code`: duplicate code \"cells\", first used on line 6",
    "duplicate_code"
)]
#[case::a_material_of_hong_kong_origin_marked_unavailable_in_hong_kong(
    "origin = \"CN\"", "origin = \"HK\"\navailable_in_hk = false",
    "line 10: field `available_in_hk`: a material of Hong Kong origin cannot be unavailable in Hong Kong",
    "invalid_value"
)]
#[case::an_empty_label(
    "item = \"Li-ion cells\"",
    "item = \"  \"",
    "line 7: field `item`: must not be empty",
    "invalid_value"
)]
fn a_bad_product_line_is_refused_with_its_line_and_field(
    #[case] good: &str,
    #[case] bad: &str,
    #[case] message: &str,
    #[case] code: &str,
) {
    assert!(
        GOOD_PRODUCT.contains(good),
        "{good:?} is not in the good product"
    );
    check_product_error(&GOOD_PRODUCT.replacen(good, bad, 1), message, code);
}

#[test]
fn a_product_without_materials_is_refused() {
    check_product_error(
        "name = \"Empty\"\nclass = \"plain\"\n",
        "line 1: field `material`: the bill of materials is empty; add at least one [[material]]",
        "empty_bill_of_materials",
    );
}

#[test]
fn a_product_with_an_empty_material_list_is_refused_at_that_line() {
    check_product_error(
        "name = \"Empty\"\nclass = \"plain\"\nmaterial = []\n",
        "line 3: field `material`: the bill of materials is empty; add at least one [[material]]",
        "empty_bill_of_materials",
    );
}

#[test]
fn a_product_missing_a_cost_is_refused_naming_the_field() {
    // Arrange
    let text = GOOD_PRODUCT.replacen("cost = \"420.00\"\n", "", 1);

    // Act
    let error = Product::parse(&test_rules(), &text).expect_err("no cost");

    // Assert
    assert_eq!(error.location().field, "cost");
    assert_eq!(error.location().line, Some(5));
    assert!(
        error.to_string().contains("missing field `cost`"),
        "{error}"
    );
}

#[test]
fn text_that_is_not_toml_is_refused_at_its_line() {
    // Arrange
    let text = GOOD_PRODUCT.replacen("origin = \"CN\"", "origin = CN", 1);

    // Act
    let error = Product::parse(&test_rules(), &text).expect_err("not TOML");

    // Assert
    assert_eq!(error.location().line, Some(9));
    assert_eq!(error.code(), "invalid_toml");
}

const GOOD_RULES: &str = r#"source = "indicative"

[[class]]
code = "industrial"
name_en = "Industrial products"
name_zh = "工業產品"
min_hk_share_pct = "60"
essential_steps = ["final-assembly"]
excludable_materials = ["natural-rubber"]
"#;

#[rstest]
#[case::a_threshold_above_100_percent(
    "min_hk_share_pct = \"60\"",
    "min_hk_share_pct = \"120\"",
    "line 7: field `min_hk_share_pct`: \"120\" is not between 0 and 100",
    "invalid_value"
)]
#[case::a_malformed_threshold(
    "min_hk_share_pct = \"60\"",
    "min_hk_share_pct = \"sixty\"",
    "line 7: field `min_hk_share_pct`: invalid percentage \"sixty\": unexpected character 's'",
    "invalid_percent"
)]
#[case::a_bad_provenance(
    "source = \"indicative\"", "source = \"made up\"",
    "line 1: field `source`: invalid provenance \"made up\": expected \"published: <document>\", \"indicative\" or \"synthetic\"",
    "invalid_provenance"
)]
#[case::a_step_listed_twice(
    "essential_steps = [\"final-assembly\"]",
    "essential_steps = [\"final-assembly\", \"final-assembly\"]",
    "line 8: field `essential_steps`: duplicate code \"final-assembly\"",
    "duplicate_code"
)]
#[case::a_missing_chinese_name(
    "name_zh = \"工業產品\"\n",
    "",
    "line 3: field `name_zh`: missing field `name_zh`",
    "invalid_toml"
)]
fn a_bad_rule_book_line_is_refused_with_its_line_and_field(
    #[case] good: &str,
    #[case] bad: &str,
    #[case] message: &str,
    #[case] code: &str,
) {
    assert!(
        GOOD_RULES.contains(good),
        "{good:?} is not in the good rules"
    );
    check_rules_error(&GOOD_RULES.replacen(good, bad, 1), message, code);
}

#[test]
fn a_rule_book_with_a_class_twice_is_refused() {
    // Arrange
    let text = format!(
        "{GOOD_RULES}\n{}",
        GOOD_RULES.replacen("source = \"indicative\"\n", "", 1)
    );

    // Act / Assert
    check_rules_error(
        &text,
        "line 13: field `code`: duplicate code \"industrial\", first used on line 4",
        "duplicate_code",
    );
}

#[test]
fn a_rule_book_without_classes_is_refused() {
    check_rules_error(
        "source = \"indicative\"\n",
        "line 1: field `class`: the rule book has no classes; add at least one [[class]]",
        "invalid_value",
    );
}

#[test]
fn a_product_built_in_code_with_a_negative_cost_names_the_field_without_a_line() {
    // Arrange
    let parts = origin::MaterialParts {
        code: origin::ItemCode::parse("cells").expect("code"),
        item: "Cells".to_owned(),
        cost: vocab::Money::hkd(-500),
        origin: vocab::CountryCode::parse("CN").expect("country"),
        available_in_hk: true,
    };

    // Act
    let error = origin::Material::new(parts).expect_err("negative");

    // Assert
    assert_eq!(
        error.to_string(),
        "field `cost`: \"-5\" must not be negative"
    );
}

#[test]
fn a_product_built_in_code_in_two_currencies_is_refused() {
    // Arrange
    let material = |code: &str, cost: vocab::Money| {
        origin::Material::new(origin::MaterialParts {
            code: origin::ItemCode::parse(code).expect("code"),
            item: code.to_owned(),
            cost,
            origin: vocab::CountryCode::parse("CN").expect("country"),
            available_in_hk: true,
        })
        .expect("valid material")
    };
    let parts = origin::ProductParts {
        name: "Mixed".to_owned(),
        class: origin::ClassCode::parse("plain").expect("code"),
        materials: vec![
            material("a", vocab::Money::hkd(100)),
            material("b", vocab::Money::from_cents(100, vocab::Currency::Usd)),
        ],
        steps: Vec::new(),
    };

    // Act
    let error = Product::new(parts).expect_err("two currencies");

    // Assert
    assert_eq!(
        error.to_string(),
        "field `cost`: cost in USD but the product is costed in HKD"
    );
}
