//! Integration tests of screening, one binary: schemes, routing, CSV, duplicates, the risk
//! model and the exact arithmetic, all through the public API.

mod aftercare;
mod arithmetic;
mod csv;
mod duplicates;
mod model;
mod routing;
mod schemes;

use screening::{
    default_model, screen, Application, ApplicationInput, BudgetLineInput, DuplicateIndex,
    RouteReason, Scheme, ScreeningContext, ScreeningReport, EXAMPLE_SCHEMES,
};

/// The screening date of every test.
const TODAY: time::Date = time::macros::date!(2025 - 07 - 01);

/// The TOML text of a shipped scheme.
fn scheme_text(id: &str) -> &'static str {
    EXAMPLE_SCHEMES
        .iter()
        .find(|(file, _)| file.trim_end_matches(".toml") == id)
        .map(|(_, text)| *text)
        .expect("a shipped scheme")
}

/// A shipped scheme.
fn scheme(id: &str) -> Scheme {
    Scheme::parse(scheme_text(id)).expect("the shipped scheme parses")
}

/// A shipped scheme with one `key = value` line of its TOML replaced.
fn scheme_with(id: &str, key: &str, value: &str) -> Scheme {
    let text: String = scheme_text(id)
        .lines()
        .map(|line| {
            if line.starts_with(&format!("{key} =")) {
                format!("{key} = {value}")
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    Scheme::parse(&text).expect("the edited scheme parses")
}

fn line(category: &str, amount: &str) -> BudgetLineInput {
    BudgetLineInput {
        category: category.to_owned(),
        description: format!("{category} costs"),
        amount: amount.to_owned(),
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

/// An application that meets every rule and fast-track criterion of the shipped scheme `id`.
fn good_input(id: &str) -> ApplicationInput {
    let common = ApplicationInput {
        reference: format!("{id}-0001"),
        organisation_name: "Wah Hing Precision Ltd".to_owned(),
        registered_in_hk: "yes".to_owned(),
        business_registration_number: "12345678".to_owned(),
        employees: "40".to_owned(),
        sector: "electronics".to_owned(),
        years_in_operation: "8".to_owned(),
        project_title: "Robotic vision inspection cell for connectors".to_owned(),
        project_description:
            "Install robotic automation with sensor traceability on the moulding floor, \
            validated in a pilot with a university partner"
                .to_owned(),
        project_location: "HK".to_owned(),
        start_date: "2025-09-01".to_owned(),
        end_date: "2026-08-31".to_owned(),
        currency: "HKD".to_owned(),
        submitted_on: "2025-07-01".to_owned(),
        ..ApplicationInput::default()
    };
    match id {
        "smart-production-line" => ApplicationInput {
            budget_lines: vec![
                line("equipment", "2,000,000"),
                line("software", "600,000"),
                line("installation", "400,000"),
            ],
            total: "3,000,000".to_owned(),
            amount_requested: "1,000,000".to_owned(),
            company_contribution: "2,000,000".to_owned(),
            documents: strings(&[
                "business_registration",
                "audited_accounts",
                "project_plan",
                "quotations",
            ]),
            ..common
        },
        "rd-cash-rebate" => ApplicationInput {
            sector: "biotech".to_owned(),
            budget_lines: vec![
                line("research-staff", "600,000"),
                line("equipment", "400,000"),
            ],
            total: "1,000,000".to_owned(),
            amount_requested: "400,000".to_owned(),
            company_contribution: "600,000".to_owned(),
            documents: strings(&["business_registration", "audited_accounts", "project_plan"]),
            ..common
        },
        "technology-voucher" => ApplicationInput {
            end_date: "2026-02-28".to_owned(),
            budget_lines: vec![line("equipment", "120,000"), line("software", "80,000")],
            total: "200,000".to_owned(),
            amount_requested: "150,000".to_owned(),
            company_contribution: "50,000".to_owned(),
            documents: strings(&["business_registration", "quotations"]),
            ..common
        },
        other => panic!("no good input for {other}"),
    }
}

fn parse(input: ApplicationInput) -> Application {
    Application::try_from(input).expect("the test input parses")
}

/// Screens one application with the shipped model against `earlier`.
fn screen_with(
    scheme: &Scheme,
    application: &Application,
    earlier: &DuplicateIndex,
) -> ScreeningReport {
    let model = default_model();
    let context = ScreeningContext {
        today: TODAY,
        model: &model,
        earlier,
    };
    screen(scheme, application, &context)
}

/// A reason as short text for table assertions: `rule_failed:sme`, `incomplete:employees|`,
/// `inconsistent:budget_does_not_add_up`, `possible_duplicate:APP-1`, `risk_above`, `amount_above`.
fn describe(reason: &RouteReason) -> String {
    match reason {
        RouteReason::RuleFailed { rule } => format!("rule_failed:{rule}"),
        RouteReason::RuleUnknown { rule } => format!("rule_unknown:{rule}"),
        RouteReason::Incomplete { fields, documents } => format!(
            "incomplete:{}|{}",
            fields.join(","),
            documents
                .iter()
                .map(|d| d.as_str())
                .collect::<Vec<_>>()
                .join(",")
        ),
        RouteReason::Inconsistent { check } => format!("inconsistent:{check}"),
        RouteReason::PossibleDuplicate { other, .. } => format!("possible_duplicate:{other}"),
        other => other.code().to_owned(),
    }
}

fn described(report: &ScreeningReport) -> Vec<String> {
    report.route.reasons().iter().map(describe).collect()
}
