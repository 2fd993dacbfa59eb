//! Screening the shipped schemes: every rule kind and every routing path gets the outcome the
//! rules imply, with its reasons.

use rstest::rstest;
use screening::{
    DuplicateIndex, EarlierFundingInput, Finding, Outcome, RouteReason, RuleValue, ScreeningReport,
};
use vocab::Money;

type In = screening::ApplicationInput;

use crate::{described, good_input, line, parse, scheme, scheme_with, screen_with};

/// Screens the good application of `scheme_id`, changed by `change`, against the scheme with
/// its risk gate open (`max_risk_pct = "100"`), so the reasons are the rules' and checks' alone.
#[track_caller]
fn check(
    scheme_id: &str,
    change: fn(&mut screening::ApplicationInput),
    expected: &[&str],
) -> ScreeningReport {
    // Arrange
    let scheme = scheme_with(scheme_id, "max_risk_pct", "\"100\"");
    let mut input = good_input(scheme_id);
    change(&mut input);
    let application = parse(input);

    // Act
    let report = screen_with(&scheme, &application, &DuplicateIndex::new());

    // Assert
    assert_eq!(described(&report), expected, "reasons for {scheme_id}");
    assert_eq!(report.route.is_fast_track(), expected.is_empty());
    report
}

fn unchanged(_: &mut screening::ApplicationInput) {}

#[rstest]
#[case::smart_line_good("smart-production-line", unchanged, &[])]
#[case::smart_line_not_registered("smart-production-line", |i: &mut In| i.registered_in_hk = "no".into(), &["rule_failed:registered-in-hk"])]
#[case::smart_line_outside_hk("smart-production-line", |i: &mut In| i.project_location = "CN".into(), &["rule_failed:line-in-hk"])]
#[case::smart_line_wrong_sector("smart-production-line", |i: &mut In| i.sector = "logistics".into(), &["rule_failed:manufacturing-sector"])]
#[case::smart_line_sector_missing("smart-production-line", |i: &mut In| i.sector = String::new(), &["rule_unknown:manufacturing-sector", "incomplete:sector|"])]
#[case::smart_line_too_young("smart-production-line", |i: &mut In| i.years_in_operation = "0".into(), &["rule_failed:track-record"])]
#[case::smart_line_too_long("smart-production-line", |i: &mut In| i.end_date = "2027-09-30".into(), &["rule_failed:project-length"])]
#[case::smart_line_employees_missing("smart-production-line", |i: &mut In| i.employees = String::new(), &["incomplete:employees|"])]
#[case::smart_line_document_missing("smart-production-line", |i: &mut In| i.documents.retain(|d| d != "audited_accounts"), &["incomplete:|audited_accounts"])]
#[case::smart_line_budget_off("smart-production-line", |i: &mut In| i.budget_lines[0].amount = "1,900,000".into(), &["inconsistent:budget_does_not_add_up"])]
#[case::smart_line_funding_off("smart-production-line", |i: &mut In| i.company_contribution = "2,100,000".into(), &["inconsistent:funding_does_not_add_up"])]
#[case::smart_line_one_cent_over_ratio("smart-production-line", |i: &mut In| { i.amount_requested = "1,000,000.01".into(); i.company_contribution = "1,999,999.99".into(); }, &["inconsistent:above_matching_ratio", "inconsistent:contribution_below_ratio"])]
#[case::smart_line_above_cap("smart-production-line", |i: &mut In| {
    i.budget_lines = vec![line("equipment", "48,000,000")];
    i.total = "48,000,000".into();
    i.amount_requested = "16,000,000".into();
    i.company_contribution = "32,000,000".into();
}, &["rule_failed:within-cap", "inconsistent:above_funding_cap", "amount_above"])]
#[case::smart_line_cap_used_earlier("smart-production-line", |i: &mut In| i.earlier_funding = vec![EarlierFundingInput { scheme: "smart-production-line".into(), amount: "14,500,000".into() }], &["inconsistent:above_funding_cap"])]
#[case::smart_line_dates_reversed("smart-production-line", |i: &mut In| { i.start_date = "2026-08-31".into(); i.end_date = "2025-09-01".into(); }, &["rule_failed:project-length", "inconsistent:dates_out_of_order"])]
#[case::smart_line_after_closing("smart-production-line", |i: &mut In| i.submitted_on = "2027-01-04".into(), &["inconsistent:submitted_outside_window"])]
#[case::smart_line_ineligible_cost("smart-production-line", |i: &mut In| { i.budget_lines[2].category = "marketing".into(); }, &["inconsistent:ineligible_cost"])]
#[case::smart_line_in_dollars("smart-production-line", |i: &mut In| i.currency = "USD".into(), &["rule_unknown:within-cap", "inconsistent:currency_mismatch"])]
#[case::smart_line_above_fast_track_amount("smart-production-line", |i: &mut In| {
    i.budget_lines = vec![line("equipment", "9,300,000")];
    i.total = "9,300,000".into();
    i.amount_requested = "3,100,000".into();
    i.company_contribution = "6,200,000".into();
}, &["amount_above"])]
#[case::rebate_good("rd-cash-rebate", unchanged, &[])]
#[case::rebate_logistics("rd-cash-rebate", |i: &mut In| i.sector = "logistics".into(), &["rule_failed:not-a-logistics-firm"])]
#[case::rebate_small_claim("rd-cash-rebate", |i: &mut In| {
    i.budget_lines = vec![line("research-staff", "100,000")];
    i.total = "100,000".into();
    i.amount_requested = "40,000".into();
    i.company_contribution = "60,000".into();
}, &["rule_failed:minimum-claim"])]
#[case::rebate_one_year("rd-cash-rebate", |i: &mut In| i.years_in_operation = "1".into(), &["rule_failed:two-years-trading"])]
#[case::rebate_years_missing("rd-cash-rebate", |i: &mut In| i.years_in_operation = String::new(), &["rule_unknown:two-years-trading", "incomplete:years_in_operation|"])]
#[case::rebate_before_opening("rd-cash-rebate", |i: &mut In| i.submitted_on = "2025-03-31".into(), &["inconsistent:submitted_outside_window"])]
#[case::voucher_good("technology-voucher", unchanged, &[])]
#[case::voucher_too_big("technology-voucher", |i: &mut In| i.employees = "101".into(), &["rule_failed:small-enterprise"])]
#[case::voucher_no_staff("technology-voucher", |i: &mut In| i.employees = "0".into(), &["rule_failed:at-least-one-employee"])]
#[case::voucher_employees_missing("technology-voucher", |i: &mut In| i.employees = String::new(), &["rule_unknown:small-enterprise", "rule_unknown:at-least-one-employee", "incomplete:employees|"])]
#[case::voucher_location_missing("technology-voucher", |i: &mut In| i.project_location = String::new(), &["rule_unknown:used-in-hk", "incomplete:project_location|"])]
#[case::voucher_double_dipping("technology-voucher", |i: &mut In| i.earlier_funding = vec![EarlierFundingInput { scheme: "smart-production-line".into(), amount: "500,000".into() }], &["rule_failed:no-double-dipping"])]
#[case::voucher_too_long("technology-voucher", |i: &mut In| i.end_date = "2027-03-31".into(), &["rule_failed:project-length"])]
#[case::voucher_above_cap("technology-voucher", |i: &mut In| {
    i.budget_lines = vec![line("equipment", "1,000,000")];
    i.total = "1,000,000".into();
    i.amount_requested = "700,000".into();
    i.company_contribution = "300,000".into();
}, &["rule_failed:within-cap", "inconsistent:above_funding_cap", "amount_above"])]
#[case::voucher_everything_missing("technology-voucher", |i: &mut In| {
    *i = screening::ApplicationInput {
        reference: "bare".into(),
        organisation_name: "Bare Ltd".into(),
        project_title: "Something".into(),
        amount_requested: "1000".into(),
        submitted_on: "2025-07-01".into(),
        ..screening::ApplicationInput::default()
    };
}, &[
    "rule_unknown:registered-in-hk", "rule_unknown:small-enterprise", "rule_unknown:at-least-one-employee",
    "rule_unknown:used-in-hk", "rule_unknown:project-length",
    "incomplete:registered_in_hk,business_registration_number,employees,sector,years_in_operation,project_description,project_location,start_date,end_date,budget_lines,total,company_contribution|business_registration,quotations",
])]
fn routes_follow_the_rules(
    #[case] scheme_id: &str,
    #[case] change: fn(&mut screening::ApplicationInput),
    #[case] expected: &[&str],
) {
    check(scheme_id, change, expected);
}

#[rstest]
#[case::smart_line("smart-production-line")]
#[case::rebate("rd-cash-rebate")]
#[case::voucher("technology-voucher")]
fn the_good_application_takes_the_fast_track_with_the_shipped_model(#[case] scheme_id: &str) {
    // Arrange
    let scheme = scheme(scheme_id);
    let application = parse(good_input(scheme_id));

    // Act
    let report = screen_with(&scheme, &application, &DuplicateIndex::new());

    // Assert
    assert!(report.route.is_fast_track(), "{:?}", report.route);
    assert!(report
        .rules
        .iter()
        .all(|rule| rule.outcome == Outcome::Pass));
    assert!(report.findings.is_empty());
    assert!(report.risk.percent.millionths() < scheme.fast_track().max_risk.millionths());
    assert!(report.scheme_is_example);
    assert_eq!(report.scheme_source.kind(), "indicative");
    assert_eq!(report.risk.model_source.kind(), "synthetic");
}

#[test]
fn a_risk_at_the_threshold_sends_an_otherwise_perfect_application_to_an_officer() {
    // Arrange: a threshold of 0% which no score is below.
    let scheme = scheme_with("smart-production-line", "max_risk_pct", "\"0\"");
    let application = parse(good_input("smart-production-line"));

    // Act
    let report = screen_with(&scheme, &application, &DuplicateIndex::new());

    // Assert
    let reasons = report.route.reasons();
    assert_eq!(reasons.len(), 1);
    let RouteReason::RiskAbove { risk, threshold } = &reasons[0] else {
        panic!("expected RiskAbove, got {reasons:?}");
    };
    assert_eq!(*risk, report.risk.percent);
    assert_eq!(threshold.to_string(), "0");
}

#[test]
fn a_copy_of_an_earlier_application_goes_to_an_officer_as_a_possible_duplicate() {
    // Arrange
    let scheme = scheme("smart-production-line");
    let earlier_application = parse(good_input("smart-production-line"));
    let mut earlier = DuplicateIndex::new();
    earlier.insert("tvp/OLD-7".to_owned(), &earlier_application);
    let mut input = good_input("smart-production-line");
    input.reference = "NEW-1".to_owned();
    let application = parse(input);

    // Act
    let report = screen_with(&scheme, &application, &earlier);

    // Assert
    assert_eq!(described(&report), ["possible_duplicate:tvp/OLD-7"]);
    assert_eq!(report.duplicates.len(), 1);
    assert_eq!(report.duplicates[0].similarity, 1.0);
}

#[test]
fn the_report_shows_the_value_that_decided_each_rule_and_the_numbers_of_each_finding() {
    // Arrange
    let scheme = scheme_with("technology-voucher", "max_risk_pct", "\"100\"");
    let mut input = good_input("technology-voucher");
    input.employees = "250".to_owned();
    input.amount_requested = "160,000".to_owned();
    input.company_contribution = "40,000".to_owned();
    let application = parse(input);

    // Act
    let report = screen_with(&scheme, &application, &DuplicateIndex::new());

    // Assert
    let small = &report.rules[1];
    assert_eq!(small.rule.as_str(), "small-enterprise");
    assert_eq!(small.outcome, Outcome::Fail);
    assert_eq!(small.value, Some(RuleValue::Count(250)));
    assert_eq!(
        small.requirement,
        screening::Requirement::MaxEmployees { max: 100 }
    );
    assert!(report.findings.contains(&Finding::AboveMatchingRatio {
        requested: Money::hkd(16_000_000),
        total: Money::hkd(20_000_000),
        max_fundable: Money::hkd(15_000_000),
        ratio: screening::MatchingRatio::new(3, 1).expect("valid"),
    }));
    assert!(report.findings.contains(&Finding::ContributionBelowRatio {
        contribution: Money::hkd(4_000_000),
        required: Money::hkd(5_333_334),
        ratio: screening::MatchingRatio::new(3, 1).expect("valid"),
    }));
    let json = serde_json::to_value(&report).expect("serialises");
    assert_eq!(json["route"]["route"], "officer_queue");
    assert_eq!(json["route"]["reasons"][0]["code"], "rule_failed");
    assert_eq!(json["findings"][0]["code"], "above_matching_ratio");
}
