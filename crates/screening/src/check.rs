//! Eligibility ([`RuleResult`] per rule) and completeness and consistency ([`Finding`]s): the
//! deterministic half of screening, in exact integer arithmetic.

use serde::Serialize;
use time::Date;
use vocab::{CountryCode, Currency, Money};

use crate::application::Application;
use crate::code::{CostCategory, DocumentKind, RuleId, SchemeId, Sector};
use crate::scheme::{MatchingRatio, Requirement, Rule, Scheme};

/// The outcome of one eligibility rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The application meets the rule.
    Pass,
    /// The application does not meet the rule.
    Fail,
    /// The value the rule needs was not given.
    Unknown,
}

/// One rule's verdict, with the value that decided it and the rule (whose requirement carries
/// the threshold).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleResult {
    /// The rule's id.
    pub rule: RuleId,
    /// What the rule requires, with its threshold.
    pub requirement: Requirement,
    /// Pass, Fail or Unknown.
    pub outcome: Outcome,
    /// The application's value the rule looked at; `None` when it was not given.
    pub value: Option<RuleValue>,
}

/// The application's value a rule looked at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum RuleValue {
    /// A yes/no declaration.
    Flag(bool),
    /// A count (employees, years).
    Count(u32),
    /// A sector.
    Sector(Sector),
    /// A country.
    Place(CountryCode),
    /// An amount.
    Money(Money),
    /// A duration in whole months.
    Months(u32),
    /// The schemes among the earlier funding that the rule names (empty: none).
    Schemes(Vec<SchemeId>),
}

/// A completeness or consistency problem, with the numbers that show it; serialised with its
/// stable `code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Finding {
    /// A field the screening needs was not given.
    MissingField {
        /// The [`crate::ApplicationInput`] field, e.g. `"employees"`.
        field: &'static str,
    },
    /// A document the scheme requires was not provided.
    MissingDocument {
        /// The document kind.
        document: DocumentKind,
    },
    /// The application's amounts are in another currency than the scheme's; no amount check
    /// could run.
    CurrencyMismatch {
        /// The scheme's currency.
        expected: Currency,
        /// The application's.
        found: Currency,
    },
    /// The budget lines do not sum to the declared total.
    BudgetDoesNotAddUp {
        /// The sum of the budget lines.
        lines_sum: Money,
        /// The declared total.
        total: Money,
    },
    /// The amount requested and the company's contribution do not sum to the total.
    FundingDoesNotAddUp {
        /// The amount requested.
        requested: Money,
        /// The company's contribution.
        contribution: Money,
        /// The declared total.
        total: Money,
    },
    /// The amount requested plus earlier funding from this scheme is above the cap per
    /// enterprise.
    AboveFundingCap {
        /// The amount requested.
        requested: Money,
        /// Earlier funding declared from this scheme.
        earlier: Money,
        /// The scheme's cap.
        cap: Money,
    },
    /// The amount requested is more than the matching ratio allows of the total:
    /// `requested × (government + company) > total × government`.
    AboveMatchingRatio {
        /// The amount requested.
        requested: Money,
        /// The declared total.
        total: Money,
        /// The most the ratio allows, rounded down to the cent.
        max_fundable: Money,
        /// The scheme's ratio.
        ratio: MatchingRatio,
    },
    /// The company's contribution is below its share under the matching ratio:
    /// `contribution × government < requested × company`.
    ContributionBelowRatio {
        /// The company's contribution.
        contribution: Money,
        /// The least contribution the ratio asks for, rounded up to the cent.
        required: Money,
        /// The scheme's ratio.
        ratio: MatchingRatio,
    },
    /// The project ends before it starts.
    DatesOutOfOrder {
        /// The start date.
        start: Date,
        /// The end date.
        end: Date,
    },
    /// The application was submitted outside the scheme's window.
    SubmittedOutsideWindow {
        /// The submission date.
        submitted: Date,
        /// The scheme's opening date.
        opens: Date,
        /// The scheme's closing date.
        closes: Date,
    },
    /// A budget line in a category the scheme does not fund.
    IneligibleCost {
        /// The 1-based budget line.
        line: usize,
        /// Its category.
        category: CostCategory,
    },
    /// A sum that does not fit in 64-bit cents; the check could not run.
    ArithmeticOverflow {
        /// The check, e.g. `"budget_sum"`.
        check: &'static str,
    },
}

impl Finding {
    /// The stable machine code, e.g. `"budget_does_not_add_up"`.
    pub fn code(&self) -> &'static str {
        match self {
            Finding::MissingField { .. } => "missing_field",
            Finding::MissingDocument { .. } => "missing_document",
            Finding::CurrencyMismatch { .. } => "currency_mismatch",
            Finding::BudgetDoesNotAddUp { .. } => "budget_does_not_add_up",
            Finding::FundingDoesNotAddUp { .. } => "funding_does_not_add_up",
            Finding::AboveFundingCap { .. } => "above_funding_cap",
            Finding::AboveMatchingRatio { .. } => "above_matching_ratio",
            Finding::ContributionBelowRatio { .. } => "contribution_below_ratio",
            Finding::DatesOutOfOrder { .. } => "dates_out_of_order",
            Finding::SubmittedOutsideWindow { .. } => "submitted_outside_window",
            Finding::IneligibleCost { .. } => "ineligible_cost",
            Finding::ArithmeticOverflow { .. } => "arithmetic_overflow",
        }
    }
}

/// Evaluates every rule of the scheme, in the scheme's order.
pub fn check_rules(scheme: &Scheme, application: &Application) -> Vec<RuleResult> {
    scheme
        .rules()
        .iter()
        .map(|rule| check_rule(rule, application))
        .collect()
}

fn check_rule(rule: &Rule, application: &Application) -> RuleResult {
    let applicant = application.applicant();
    let project = application.project();
    let decide = |pass: bool| if pass { Outcome::Pass } else { Outcome::Fail };
    let (outcome, value) = match &rule.requirement {
        Requirement::RegisteredInHk => match applicant.registered_in_hk() {
            Some(flag) => (decide(flag), Some(RuleValue::Flag(flag))),
            None => (Outcome::Unknown, None),
        },
        Requirement::ProjectInHk => match project.location() {
            Some(place) => (
                decide(place.as_str() == "HK"),
                Some(RuleValue::Place(*place)),
            ),
            None => (Outcome::Unknown, None),
        },
        Requirement::MaxEmployees { max } => match applicant.employees() {
            Some(n) => (decide(n <= *max), Some(RuleValue::Count(n))),
            None => (Outcome::Unknown, None),
        },
        Requirement::MinEmployees { min } => match applicant.employees() {
            Some(n) => (decide(n >= *min), Some(RuleValue::Count(n))),
            None => (Outcome::Unknown, None),
        },
        Requirement::MinYearsInOperation { min } => match applicant.years_in_operation() {
            Some(n) => (decide(n >= *min), Some(RuleValue::Count(n))),
            None => (Outcome::Unknown, None),
        },
        Requirement::SectorIn { sectors } => match applicant.sector() {
            Some(sector) => (
                decide(sectors.contains(sector)),
                Some(RuleValue::Sector(sector.clone())),
            ),
            None => (Outcome::Unknown, None),
        },
        Requirement::SectorNotIn { sectors } => match applicant.sector() {
            Some(sector) => (
                decide(!sectors.contains(sector)),
                Some(RuleValue::Sector(sector.clone())),
            ),
            None => (Outcome::Unknown, None),
        },
        Requirement::MaxAmountRequested { max } => {
            let amount = project.amount_requested();
            let outcome = if amount.currency() == max.currency() {
                decide(amount.cents() <= max.cents())
            } else {
                Outcome::Unknown
            };
            (outcome, Some(RuleValue::Money(amount)))
        }
        Requirement::MinAmountRequested { min } => {
            let amount = project.amount_requested();
            let outcome = if amount.currency() == min.currency() {
                decide(amount.cents() >= min.cents())
            } else {
                Outcome::Unknown
            };
            (outcome, Some(RuleValue::Money(amount)))
        }
        Requirement::MaxProjectMonths { max } => match (project.start(), project.end()) {
            (Some(start), Some(end)) if start <= end => {
                let months = whole_months(start, end);
                (decide(months <= *max), Some(RuleValue::Months(months)))
            }
            (Some(_), Some(_)) => (Outcome::Fail, Some(RuleValue::Months(0))),
            _ => (Outcome::Unknown, None),
        },
        Requirement::NoEarlierFundingFrom { schemes } => {
            let mut found: Vec<SchemeId> = Vec::new();
            for funding in application.earlier_funding() {
                if schemes.contains(funding.scheme()) && !found.contains(funding.scheme()) {
                    found.push(funding.scheme().clone());
                }
            }
            (decide(found.is_empty()), Some(RuleValue::Schemes(found)))
        }
    };
    RuleResult {
        rule: rule.id.clone(),
        requirement: rule.requirement.clone(),
        outcome,
        value,
    }
}

/// Whole months from the first day to the last day inclusive: 2025-01-01 to 2025-12-31 is 12.
fn whole_months(start: Date, end: Date) -> u32 {
    let after = end.next_day().unwrap_or(end);
    let months = (i64::from(after.year()) - i64::from(start.year())) * 12
        + i64::from(u8::from(after.month()))
        - i64::from(u8::from(start.month()))
        - i64::from(after.day() < start.day());
    u32::try_from(months.max(0)).unwrap_or(u32::MAX)
}

/// Completeness and consistency: missing fields and documents, budget and funding sums, cap
/// and matching ratio, dates and window, cost categories.
///
/// `submitted` is the application's submission date, or the screening date when it has none.
pub fn check_consistency(
    scheme: &Scheme,
    application: &Application,
    submitted: Date,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let applicant = application.applicant();
    let project = application.project();
    let mut missing = |present: bool, field: &'static str| {
        if !present {
            findings.push(Finding::MissingField { field });
        }
    };
    missing(applicant.registered_in_hk().is_some(), "registered_in_hk");
    missing(
        applicant.business_registration_number().is_some(),
        "business_registration_number",
    );
    missing(applicant.employees().is_some(), "employees");
    missing(applicant.sector().is_some(), "sector");
    missing(
        applicant.years_in_operation().is_some(),
        "years_in_operation",
    );
    missing(project.description().is_some(), "project_description");
    missing(project.location().is_some(), "project_location");
    missing(project.start().is_some(), "start_date");
    missing(project.end().is_some(), "end_date");
    missing(!project.budget_lines().is_empty(), "budget_lines");
    missing(project.total().is_some(), "total");
    missing(
        project.company_contribution().is_some(),
        "company_contribution",
    );
    for document in scheme.required_documents() {
        if !application.documents().contains(document) {
            findings.push(Finding::MissingDocument {
                document: document.clone(),
            });
        }
    }
    money_checks(scheme, application, &mut findings);
    if let (Some(start), Some(end)) = (project.start(), project.end()) {
        if end < start {
            findings.push(Finding::DatesOutOfOrder { start, end });
        }
    }
    if submitted < scheme.opens() || submitted > scheme.closes() {
        findings.push(Finding::SubmittedOutsideWindow {
            submitted,
            opens: scheme.opens(),
            closes: scheme.closes(),
        });
    }
    for (idx, line) in project.budget_lines().iter().enumerate() {
        if !scheme.eligible_costs().contains(line.category()) {
            findings.push(Finding::IneligibleCost {
                line: idx + 1,
                category: line.category().clone(),
            });
        }
    }
    findings
}

fn money_checks(scheme: &Scheme, application: &Application, findings: &mut Vec<Finding>) {
    let project = application.project();
    let currency = scheme.currency();
    if project.currency() != currency {
        findings.push(Finding::CurrencyMismatch {
            expected: currency,
            found: project.currency(),
        });
        return;
    }
    let requested = project.amount_requested();
    let total = project.total();
    if !project.budget_lines().is_empty() {
        match sum_cents(
            project
                .budget_lines()
                .iter()
                .map(|line| line.amount().cents()),
        ) {
            Some(lines_sum) => {
                if let Some(total) = total {
                    if i128::from(total.cents()) != lines_sum {
                        match money(lines_sum, currency) {
                            Some(lines_sum) => {
                                findings.push(Finding::BudgetDoesNotAddUp { lines_sum, total })
                            }
                            None => findings.push(Finding::ArithmeticOverflow {
                                check: "budget_sum",
                            }),
                        }
                    }
                }
            }
            None => findings.push(Finding::ArithmeticOverflow {
                check: "budget_sum",
            }),
        }
    }
    if let (Some(total), Some(contribution)) = (total, project.company_contribution()) {
        let sum = i128::from(requested.cents()) + i128::from(contribution.cents());
        if sum != i128::from(total.cents()) {
            findings.push(Finding::FundingDoesNotAddUp {
                requested,
                contribution,
                total,
            });
        }
    }
    let earlier_cents = sum_cents(
        application
            .earlier_funding()
            .iter()
            .filter(|funding| funding.scheme() == scheme.id())
            .map(|funding| funding.amount().cents()),
    );
    match cap_excess(
        requested.cents(),
        earlier_cents,
        scheme.funding_cap().cents(),
    ) {
        Some(false) => {}
        Some(true) => match earlier_cents.and_then(|cents| money(cents, currency)) {
            Some(earlier) => findings.push(Finding::AboveFundingCap {
                requested,
                earlier,
                cap: scheme.funding_cap(),
            }),
            None => findings.push(Finding::ArithmeticOverflow {
                check: "funding_cap",
            }),
        },
        None => findings.push(Finding::ArithmeticOverflow {
            check: "funding_cap",
        }),
    }
    let ratio = scheme.matching_ratio();
    if let Some(total) = total {
        match matching_check(requested.cents(), total.cents(), ratio) {
            Some(Ok(())) => {}
            Some(Err(max_fundable)) => match money(max_fundable, currency) {
                Some(max_fundable) => findings.push(Finding::AboveMatchingRatio {
                    requested,
                    total,
                    max_fundable,
                    ratio,
                }),
                None => findings.push(Finding::ArithmeticOverflow {
                    check: "matching_ratio",
                }),
            },
            None => findings.push(Finding::ArithmeticOverflow {
                check: "matching_ratio",
            }),
        }
    }
    if let Some(contribution) = project.company_contribution() {
        match contribution_check(requested.cents(), contribution.cents(), ratio) {
            Some(Ok(())) => {}
            Some(Err(required)) => match money(required, currency) {
                Some(required) => findings.push(Finding::ContributionBelowRatio {
                    contribution,
                    required,
                    ratio,
                }),
                None => findings.push(Finding::ArithmeticOverflow {
                    check: "company_contribution",
                }),
            },
            None => findings.push(Finding::ArithmeticOverflow {
                check: "company_contribution",
            }),
        }
    }
}

/// Whether `requested + earlier > cap`, or `None` when a sum does not fit.
fn cap_excess(requested: i64, earlier: Option<i128>, cap: i64) -> Option<bool> {
    let sum = i128::from(requested).checked_add(earlier?)?;
    Some(sum > i128::from(cap))
}

/// `Ok` when `requested × (government + company) ≤ total × government`, else the most the
/// ratio allows (`⌊total × government / (government + company)⌋`); `None` on overflow.
pub(crate) fn matching_check(
    requested: i64,
    total: i64,
    ratio: MatchingRatio,
) -> Option<Result<(), i128>> {
    let parts = i128::from(ratio.government()).checked_add(i128::from(ratio.company()))?;
    let lhs = i128::from(requested).checked_mul(parts)?;
    let rhs = i128::from(total).checked_mul(i128::from(ratio.government()))?;
    if lhs <= rhs {
        return Some(Ok(()));
    }
    Some(Err(rhs.checked_div_euclid(parts)?))
}

/// `Ok` when `contribution × government ≥ requested × company`, else the least contribution
/// (`⌈requested × company / government⌉`); `None` on overflow.
pub(crate) fn contribution_check(
    requested: i64,
    contribution: i64,
    ratio: MatchingRatio,
) -> Option<Result<(), i128>> {
    let government = i128::from(ratio.government());
    let lhs = i128::from(contribution).checked_mul(government)?;
    let rhs = i128::from(requested).checked_mul(i128::from(ratio.company()))?;
    if lhs >= rhs {
        return Some(Ok(()));
    }
    let quotient = rhs.checked_div_euclid(government)?;
    let rounded_up = if rhs.checked_rem_euclid(government)? == 0 {
        quotient
    } else {
        quotient.checked_add(1)?
    };
    Some(Err(rounded_up))
}

fn sum_cents(mut amounts: impl Iterator<Item = i64>) -> Option<i128> {
    amounts.try_fold(0_i128, |sum, cents| sum.checked_add(i128::from(cents)))
}

fn money(cents: i128, currency: Currency) -> Option<Money> {
    i64::try_from(cents)
        .ok()
        .map(|cents| Money::from_cents(cents, currency))
}
