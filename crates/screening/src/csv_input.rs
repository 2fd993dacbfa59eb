//! Reading applications and past decisions from CSV (columns in `docs/scheme-format.md`): a
//! file with any bad cell is refused whole, with every bad row's line and column.

use std::io::Read;

use vocab::{Currency, Money};

use crate::application::{Application, ApplicationInput, BudgetLineInput, EarlierFundingInput};
use crate::error::{CsvProblem, ScreeningError};
use crate::model::{Decision, PastDecision};

/// The columns of an applications file, in the documented order; only
/// [`REQUIRED_COLUMNS`] must be present.
pub const APPLICATION_COLUMNS: [&str; 20] = [
    "reference",
    "organisation_name",
    "registered_in_hk",
    "business_registration_number",
    "employees",
    "sector",
    "years_in_operation",
    "project_title",
    "project_description",
    "project_location",
    "start_date",
    "end_date",
    "currency",
    "budget_lines",
    "total",
    "amount_requested",
    "company_contribution",
    "documents",
    "earlier_funding",
    "submitted_on",
];

/// The columns every applications file must have.
pub const REQUIRED_COLUMNS: [&str; 4] = [
    "reference",
    "organisation_name",
    "project_title",
    "amount_requested",
];

/// The extra columns of a history file, both required.
pub const HISTORY_COLUMNS: [&str; 2] = ["funding_cap", "decision"];

/// Reads applications, one per row; a file with any bad row is refused whole, listing every
/// bad row (its first bad cell) with its line and column.
pub fn read_applications_csv(reader: impl Read) -> Result<Vec<Application>, ScreeningError> {
    let rows = read_rows(reader, &[])?;
    Ok(rows.into_iter().map(|row| row.application).collect())
}

/// Reads past decisions: the application columns plus `funding_cap` (the scheme's cap, in the
/// row's currency) and `decision` (`approved` or `rejected`).
pub fn read_history_csv(reader: impl Read) -> Result<Vec<PastDecision>, ScreeningError> {
    let rows = read_rows(reader, &HISTORY_COLUMNS)?;
    Ok(rows
        .into_iter()
        .map(|row| PastDecision {
            application: row.application,
            funding_cap: row.funding_cap,
            decision: row.decision,
        })
        .collect())
}

struct Row {
    application: Application,
    funding_cap: Money,
    decision: Decision,
}

fn read_rows(reader: impl Read, extra: &[&str]) -> Result<Vec<Row>, ScreeningError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let mut problems: Vec<CsvProblem> = Vec::new();
    let headers = match csv.headers() {
        Ok(headers) => headers.clone(),
        Err(error) => {
            return Err(ScreeningError::Csv {
                problems: vec![CsvProblem {
                    line: 1,
                    column: "header".to_owned(),
                    code: "invalid_csv".to_owned(),
                    reason: error.to_string(),
                }],
            })
        }
    };
    let mut index: Vec<Option<usize>> = vec![None; APPLICATION_COLUMNS.len() + extra.len()];
    let known: Vec<&str> = APPLICATION_COLUMNS.iter().chain(extra).copied().collect();
    for (position, header) in headers.iter().enumerate() {
        match known.iter().position(|name| *name == header) {
            Some(slot) if index[slot].is_none() => index[slot] = Some(position),
            Some(_) => problems.push(header_problem(header, "column appears twice")),
            None => problems.push(header_problem(
                header,
                &format!("unknown column; known: {}", known.join(", ")),
            )),
        }
    }
    for required in REQUIRED_COLUMNS.iter().chain(extra) {
        let slot = known.iter().position(|name| name == required).unwrap_or(0);
        if index[slot].is_none() {
            problems.push(header_problem(required, "required column is missing"));
        }
    }
    if !problems.is_empty() {
        return Err(ScreeningError::Csv { problems });
    }

    let mut rows: Vec<Row> = Vec::new();
    let mut references: rustc_hash::FxHashMap<String, usize> = rustc_hash::FxHashMap::default();
    for record in csv.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error
                    .position()
                    .map_or(0, |position| position.line() as usize);
                problems.push(CsvProblem {
                    line,
                    column: "record".to_owned(),
                    code: "invalid_csv".to_owned(),
                    reason: error.to_string(),
                });
                continue;
            }
        };
        let line = record
            .position()
            .map_or(0, |position| position.line() as usize);
        let cell = |name: &str| -> &str {
            known
                .iter()
                .position(|known| *known == name)
                .and_then(|slot| index[slot])
                .and_then(|position| record.get(position))
                .unwrap_or("")
        };
        let mut problem = |column: &str, code: &str, reason: String| {
            problems.push(CsvProblem {
                line,
                column: column.to_owned(),
                code: code.to_owned(),
                reason,
            })
        };
        let input = match input_of(&cell) {
            Ok(input) => input,
            Err((column, reason)) => {
                problem(column, "invalid_value", reason);
                continue;
            }
        };
        let application = match Application::parse(&input) {
            Ok(application) => application,
            Err(error) => {
                let field = error.location().map_or("record", |at| at.field.as_str());
                let column = field.split(['[', '.']).next().unwrap_or(field).to_owned();
                problem(&column, error.code(), error.reason());
                continue;
            }
        };
        if let Some(first) = references.get(application.reference()) {
            problem(
                "reference",
                "duplicate_id",
                format!(
                    "{:?} was already used on line {first}",
                    application.reference()
                ),
            );
            continue;
        }
        references.insert(application.reference().to_owned(), line);
        let currency: Currency = application.project().currency();
        let (funding_cap, decision) = if extra.is_empty() {
            (Money::zero(currency), Decision::Approved)
        } else {
            let cap = match Money::parse_amount(cell("funding_cap"), currency) {
                Ok(cap) if !cap.is_negative() => cap,
                Ok(_) => {
                    problem(
                        "funding_cap",
                        "invalid_value",
                        "must not be negative".to_owned(),
                    );
                    continue;
                }
                Err(error) => {
                    problem("funding_cap", error.code(), error.to_string());
                    continue;
                }
            };
            let decision = match cell("decision").to_ascii_lowercase().as_str() {
                "approved" => Decision::Approved,
                "rejected" => Decision::Rejected,
                other => {
                    problem(
                        "decision",
                        "invalid_value",
                        format!("{other:?} is not approved or rejected"),
                    );
                    continue;
                }
            };
            (cap, decision)
        };
        rows.push(Row {
            application,
            funding_cap,
            decision,
        });
    }
    if !problems.is_empty() {
        return Err(ScreeningError::Csv { problems });
    }
    Ok(rows)
}

fn header_problem(column: &str, reason: &str) -> CsvProblem {
    CsvProblem {
        line: 1,
        column: column.to_owned(),
        code: "invalid_header".to_owned(),
        reason: reason.to_owned(),
    }
}

/// The raw input of a row; the compact list columns are split here, their items parsed by
/// [`Application::parse`].
fn input_of<'a>(
    cell: &impl Fn(&str) -> &'a str,
) -> Result<ApplicationInput, (&'static str, String)> {
    let mut budget_lines = Vec::new();
    for (idx, item) in items(cell("budget_lines")).enumerate() {
        let mut parts = item.splitn(3, ':');
        let (Some(category), Some(amount)) = (parts.next(), parts.next()) else {
            return Err((
                "budget_lines",
                format!(
                    "item {} {item:?} is not category:amount[:description]",
                    idx + 1
                ),
            ));
        };
        budget_lines.push(BudgetLineInput {
            category: category.trim().to_owned(),
            description: parts.next().unwrap_or("").trim().to_owned(),
            amount: amount.trim().to_owned(),
        });
    }
    let mut earlier_funding = Vec::new();
    for (idx, item) in items(cell("earlier_funding")).enumerate() {
        let Some((scheme, amount)) = item.split_once(':') else {
            return Err((
                "earlier_funding",
                format!("item {} {item:?} is not scheme:amount", idx + 1),
            ));
        };
        earlier_funding.push(EarlierFundingInput {
            scheme: scheme.trim().to_owned(),
            amount: amount.trim().to_owned(),
        });
    }
    Ok(ApplicationInput {
        reference: cell("reference").to_owned(),
        organisation_name: cell("organisation_name").to_owned(),
        registered_in_hk: cell("registered_in_hk").to_owned(),
        business_registration_number: cell("business_registration_number").to_owned(),
        employees: cell("employees").to_owned(),
        sector: cell("sector").to_owned(),
        years_in_operation: cell("years_in_operation").to_owned(),
        project_title: cell("project_title").to_owned(),
        project_description: cell("project_description").to_owned(),
        project_location: cell("project_location").to_owned(),
        start_date: cell("start_date").to_owned(),
        end_date: cell("end_date").to_owned(),
        currency: cell("currency").to_owned(),
        budget_lines,
        total: cell("total").to_owned(),
        amount_requested: cell("amount_requested").to_owned(),
        company_contribution: cell("company_contribution").to_owned(),
        documents: items(cell("documents")).map(str::to_owned).collect(),
        earlier_funding,
        submitted_on: cell("submitted_on").to_owned(),
        milestones: Vec::new(),
    })
}

/// The `;`-separated items of a list cell, trimmed, empty items dropped.
fn items(text: &str) -> impl Iterator<Item = &str> {
    text.split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
}
