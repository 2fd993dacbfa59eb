//! The cap and matching-ratio arithmetic is exact and never overflows or panics on any amount
//! within `Money`'s range.

use proptest::prelude::*;
use screening::{DuplicateIndex, EarlierFundingInput, Finding, MatchingRatio, Scheme};

use crate::{good_input, line, parse, screen_with};

fn scheme_with_ratio(government: u32, company: u32, cap_cents: i64) -> Scheme {
    let text = format!(
        r#"id = "prop"
name_en = "Property"
name_zh = "性質"
example = true
source = "synthetic"
opens = 2025-01-01
closes = 2026-12-31
funding_cap = "{}.{:02}"
matching_ratio = "{government}:{company}"
eligible_costs = ["equipment"]

[fast_track]
max_amount = "9,223,372,036,854,775.07"
max_risk_pct = "100"
max_duplicate_similarity_pct = "50"
"#,
        cap_cents / 100,
        cap_cents % 100
    );
    Scheme::parse(&text).expect("the property scheme parses")
}

fn amount(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

proptest! {
    #[test]
    fn cap_and_ratio_checks_are_exact_and_never_panic(
        requested in 1_i64..=i64::MAX,
        total in 0_i64..=i64::MAX,
        contribution in 0_i64..=i64::MAX,
        earlier in 0_i64..=i64::MAX,
        cap in 0_i64..=i64::MAX,
        line_a in 0_i64..=i64::MAX,
        line_b in 0_i64..=i64::MAX,
        government in 1_u32..=u32::MAX,
        company in 1_u32..=u32::MAX,
    ) {
        // Arrange
        let scheme = scheme_with_ratio(government, company, cap);
        let mut input = good_input("smart-production-line");
        input.amount_requested = amount(requested);
        input.total = amount(total);
        input.company_contribution = amount(contribution);
        input.budget_lines = vec![line("equipment", &amount(line_a)), line("equipment", &amount(line_b))];
        input.earlier_funding = vec![
            EarlierFundingInput { scheme: "prop".into(), amount: amount(earlier) },
            EarlierFundingInput { scheme: "prop".into(), amount: amount(earlier) },
        ];
        let application = parse(input);

        // Act
        let report = screen_with(&scheme, &application, &DuplicateIndex::new());

        // Assert: each verdict agrees with exact big-integer arithmetic.
        let ratio_exceeded = i128::from(requested) * (i128::from(government) + i128::from(company))
            > i128::from(total) * i128::from(government);
        let above_ratio = report.findings.iter().any(|f| matches!(f, Finding::AboveMatchingRatio { .. }));
        prop_assert_eq!(above_ratio, ratio_exceeded);
        let cap_exceeded = i128::from(requested) + 2 * i128::from(earlier) > i128::from(cap);
        let cap_finding = report.findings.iter().any(|f| matches!(f, Finding::AboveFundingCap { .. } | Finding::ArithmeticOverflow { check: "funding_cap" }));
        prop_assert_eq!(cap_finding, cap_exceeded);
        let budget_off = i128::from(line_a) + i128::from(line_b) != i128::from(total);
        let budget_finding = report.findings.iter().any(|f| matches!(f, Finding::BudgetDoesNotAddUp { .. } | Finding::ArithmeticOverflow { check: "budget_sum" }));
        prop_assert_eq!(budget_finding, budget_off);
        for finding in &report.findings {
            if let Finding::AboveMatchingRatio { max_fundable, .. } = finding {
                let parts = i128::from(government) + i128::from(company);
                let max = i128::from(max_fundable.cents());
                prop_assert!(max * parts <= i128::from(total) * i128::from(government));
                prop_assert!((max + 1) * parts > i128::from(total) * i128::from(government));
            }
        }
    }

    #[test]
    fn a_ratio_parses_back_from_its_text(government in 1_u32..=u32::MAX, company in 1_u32..=u32::MAX) {
        let ratio = MatchingRatio::new(government, company).expect("non-zero parts");
        prop_assert_eq!(MatchingRatio::parse(&ratio.to_string()), Ok(ratio));
    }
}

#[test]
fn a_ratio_with_a_zero_part_is_refused() {
    assert!(MatchingRatio::new(0, 2).is_err());
    assert!(MatchingRatio::new(1, 0).is_err());
}
