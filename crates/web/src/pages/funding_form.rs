//! The application form: it asks only what the platform does not already know. Fields filled
//! in from the organisation's profile and earlier applications are listed in a banner with
//! their source and tucked into a collapsed section (still editable); the rest are ordinary
//! fields, with budget lines, milestones and earlier funding as fixed rows (empty rows are
//! ignored). Saving keeps a draft; submitting screens it and sends it on.
//!
//! Rows and checkboxes come as repeated and indexed fields (`budget_lines[2].amount`, the
//! names the screening errors use), so the body is read as ordered pairs.

use std::collections::BTreeMap;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use screening::{ApplicationInput, BudgetLineInput, EarlierFundingInput, MilestoneInput};
use store::{ApplicationRecord, FundingAccess};

use crate::context::PageContext;
use crate::error::ApiError;
use crate::funding::{check_draft, screen_submission};
use crate::pages::funding::{api_failure, application_id, hidden, who, Choice, Labels};
use crate::pages::{csrf_refused, render, store_error_page};
use crate::AppState;

/// Rows the form always offers (more when the application already has more).
const BUDGET_ROWS: usize = 6;
const MILESTONE_ROWS: usize = 4;
const EARLIER_ROWS: usize = 3;
/// The highest row number read from a posted form.
pub(crate) const MAX_ROW: usize = 100;

/// How the form asks for a text field: `text`, `yes_no`, `number`, `sector`, `date`, `long`,
/// `money` or `currency`.
fn kind_of(field: &str) -> &'static str {
    match field {
        "registered_in_hk" => "yes_no",
        "employees" | "years_in_operation" => "number",
        "sector" => "sector",
        "start_date" | "end_date" => "date",
        "project_description" => "long",
        "total" | "amount_requested" | "company_contribution" => "money",
        "currency" => "currency",
        _ => "text",
    }
}

/// Whether the form asks for a text field: all but the submission date, which is the day the
/// application is submitted (an applicant does not choose it).
pub(crate) fn asked(field: &str) -> bool {
    field != "submitted_on"
}

/// The fields the platform filled in, with where each came from, in the reader's language.
fn filled_fields(labels: &Labels, record: &ApplicationRecord) -> Vec<(String, String)> {
    // `screening::FilledField`s: `{"field", "source", "reference"?}` (older rows nested the
    // source under `from`).
    let filled: Vec<serde_json::Value> = match serde_json::from_str(&record.prefilled_json) {
        Ok(filled) => filled,
        Err(err) => {
            tracing::warn!(error = %err, application = record.id, "prefilled fields do not read back");
            Vec::new()
        }
    };
    filled
        .iter()
        .filter_map(|f| {
            let field = f.get("field")?.as_str()?.to_owned();
            let text = |key: &str| f.get(key).and_then(|v| v.as_str()).unwrap_or_default();
            let source = match text("source") {
                "earlier_application" => labels.t.f(
                    "funding.from_application",
                    &[("reference", text("reference"))],
                ),
                _ => labels.t.s("funding.from_profile").to_owned(),
            };
            Some((field, source))
        })
        .collect()
}

/// One field of the form.
struct FieldView {
    name: &'static str,
    label: String,
    value: String,
    kind: &'static str,
    /// Where the platform took the value from; empty when the applicant gave it.
    from: String,
}

struct BudgetRow {
    n: usize,
    categories: Vec<Choice>,
    description: String,
    amount: String,
}

struct MilestoneRow {
    n: usize,
    title: String,
    due_on: String,
}

struct EarlierRow {
    n: usize,
    schemes: Vec<Choice>,
    amount: String,
}

#[derive(Template)]
#[template(path = "funding_form.html")]
struct FormPage<'a> {
    ctx: &'a PageContext,
    id: i64,
    heading: String,
    scheme_name: String,
    example: bool,
    banner: String,
    /// (field label, where it came from).
    sources: Vec<(String, String)>,
    prefilled: Vec<FieldView>,
    applicant: Vec<FieldView>,
    project: Vec<FieldView>,
    sectors: Vec<Choice>,
    currencies: Vec<Choice>,
    yes_no: Vec<(&'static str, String)>,
    budget: Vec<BudgetRow>,
    milestones: Vec<MilestoneRow>,
    earlier: Vec<EarlierRow>,
    documents: Vec<Choice>,
    /// Documents the application lists that the scheme does not require (kept as they are).
    other_documents: Vec<String>,
    error: Option<String>,
}

/// Options for a select, with the current value kept even when it is not one of them.
pub(crate) fn choices(options: Vec<(String, String)>, current: &str) -> Vec<Choice> {
    let current = current.trim();
    let mut out: Vec<Choice> = options
        .into_iter()
        .map(|(code, label)| Choice {
            on: code == current,
            code,
            label,
        })
        .collect();
    if !current.is_empty() && !out.iter().any(|c| c.on) {
        out.push(Choice {
            code: current.to_owned(),
            label: current.to_owned(),
            on: true,
        });
    }
    out
}

/// The budget rows of a form: the lines given, then empty rows up to `rows`.
pub(crate) fn budget_rows(
    labels: &Labels,
    scheme: Option<&screening::Scheme>,
    lines: &[BudgetLineInput],
    rows: usize,
) -> Vec<(usize, Vec<Choice>, String, String)> {
    let costs: Vec<(String, String)> = scheme
        .map(|s| {
            s.eligible_costs()
                .iter()
                .map(|c| {
                    (
                        c.as_str().to_owned(),
                        labels.named("funding.cost.", c.as_str()),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let empty = BudgetLineInput::default();
    (0..rows.max(lines.len()))
        .map(|idx| {
            let line = lines.get(idx).unwrap_or(&empty);
            (
                idx + 1,
                choices(costs.clone(), &line.category),
                line.description.clone(),
                line.amount.clone(),
            )
        })
        .collect()
}

fn form_page<'a>(
    state: &AppState,
    ctx: &'a PageContext,
    record: &ApplicationRecord,
    input: &ApplicationInput,
    error: Option<String>,
) -> FormPage<'a> {
    let labels = Labels::new(state, ctx);
    let t = &ctx.t;
    let scheme = state.funding().scheme(&record.scheme).ok();
    let sources = filled_fields(&labels, record);
    let field = |name: &&'static str| FieldView {
        name,
        label: labels.field(name),
        value: input.text_field(name).unwrap_or_default().to_owned(),
        kind: kind_of(name),
        from: sources
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, from)| from.clone())
            .unwrap_or_default(),
    };
    let (prefilled, applicant): (Vec<FieldView>, Vec<FieldView>) =
        ApplicationInput::APPLICANT_FIELDS
            .iter()
            .map(field)
            .partition(|f| !f.from.is_empty());
    let project = ApplicationInput::TEXT_FIELDS
        .iter()
        .filter(|name| asked(name) && !ApplicationInput::APPLICANT_FIELDS.contains(name))
        .map(field)
        .collect();
    let mut sector_codes: Vec<String> = Vec::new();
    for s in state.funding().schemes() {
        for rule in s.rules() {
            if let screening::Requirement::SectorIn { sectors }
            | screening::Requirement::SectorNotIn { sectors } = &rule.requirement
            {
                for sector in sectors {
                    if !sector_codes.iter().any(|c| c == sector.as_str()) {
                        sector_codes.push(sector.as_str().to_owned());
                    }
                }
            }
        }
    }
    let sectors = choices(
        sector_codes
            .into_iter()
            .map(|code| {
                let label = labels.named("funding.sector.", &code);
                (code, label)
            })
            .collect(),
        &input.sector,
    );
    let currency = if input.currency.trim().is_empty() {
        "HKD"
    } else {
        input.currency.as_str()
    };
    let currencies = choices(
        vocab::Currency::ALL
            .iter()
            .map(|c| (c.code().to_owned(), t.k("currency.", c.code())))
            .collect(),
        currency,
    );
    let budget = budget_rows(&labels, scheme, &input.budget_lines, BUDGET_ROWS)
        .into_iter()
        .map(|(n, categories, description, amount)| BudgetRow {
            n,
            categories,
            description,
            amount,
        })
        .collect();
    let empty_milestone = MilestoneInput::default();
    let milestones = (0..MILESTONE_ROWS.max(input.milestones.len()))
        .map(|idx| {
            let m = input.milestones.get(idx).unwrap_or(&empty_milestone);
            MilestoneRow {
                n: idx + 1,
                title: m.title.clone(),
                due_on: m.due_on.clone(),
            }
        })
        .collect();
    let scheme_options: Vec<(String, String)> = state
        .funding()
        .schemes()
        .iter()
        .map(|s| {
            (
                s.id().as_str().to_owned(),
                s.name().get(t.is_zh()).to_owned(),
            )
        })
        .collect();
    let empty_earlier = EarlierFundingInput::default();
    let earlier = (0..EARLIER_ROWS.max(input.earlier_funding.len()))
        .map(|idx| {
            let e = input.earlier_funding.get(idx).unwrap_or(&empty_earlier);
            EarlierRow {
                n: idx + 1,
                schemes: choices(scheme_options.clone(), &e.scheme),
                amount: e.amount.clone(),
            }
        })
        .collect();
    let required: Vec<String> = scheme
        .map(|s| {
            s.required_documents()
                .iter()
                .map(|d| d.as_str().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let documents = required
        .iter()
        .map(|code| Choice {
            code: code.clone(),
            label: labels.named("funding.document.", code),
            on: input.documents.iter().any(|d| d.trim() == code),
        })
        .collect();
    let other_documents = input
        .documents
        .iter()
        .filter(|d| !required.iter().any(|r| r == d.trim()))
        .cloned()
        .collect();
    FormPage {
        id: record.id,
        heading: t.f("funding.form_title", &[("reference", &record.reference)]),
        scheme_name: labels.scheme_name(&record.scheme),
        example: scheme.is_none_or(|s| s.is_example()),
        banner: t.f("funding.prefilled", &[("n", &sources.len().to_string())]),
        sources: sources
            .iter()
            .map(|(name, from)| (labels.field(name), from.clone()))
            .collect(),
        prefilled,
        applicant,
        project,
        sectors,
        currencies,
        yes_no: vec![
            ("", t.s("funding.value.not_given").to_owned()),
            ("yes", t.s("funding.value.yes").to_owned()),
            ("no", t.s("funding.value.no").to_owned()),
        ],
        budget,
        milestones,
        earlier,
        documents,
        other_documents,
        error,
        ctx,
    }
}

/// The form as posted.
struct Posted {
    input: ApplicationInput,
    csrf: String,
    action: String,
}

/// The row number and sub-field of an indexed name such as `budget_lines[2].amount`.
pub(crate) fn row_field<'k>(key: &'k str, list: &str) -> Option<(usize, &'k str)> {
    let rest = key.strip_prefix(list)?.strip_prefix('[')?;
    let (number, rest) = rest.split_once(']')?;
    let sub = rest.strip_prefix('.')?;
    let number: usize = number.parse().ok()?;
    (1..=MAX_ROW).contains(&number).then_some((number, sub))
}

/// Budget lines from posted rows, empty rows dropped, in row order.
pub(crate) fn budget_lines(pairs: &[(String, String)]) -> Vec<BudgetLineInput> {
    let mut rows: BTreeMap<usize, BudgetLineInput> = BTreeMap::new();
    for (key, value) in pairs {
        if let Some((n, sub)) = row_field(key, "budget_lines") {
            let row = rows.entry(n).or_default();
            match sub {
                "category" => row.category = value.trim().to_owned(),
                "description" => row.description = value.trim().to_owned(),
                "amount" => row.amount = value.trim().to_owned(),
                _ => {}
            }
        }
    }
    rows.into_values()
        .filter(|r| !(r.category.is_empty() && r.description.is_empty() && r.amount.is_empty()))
        .collect()
}

fn read_form(body: &[u8]) -> Posted {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut input = ApplicationInput::default();
    let mut csrf = String::new();
    let mut action = String::new();
    let mut milestones: BTreeMap<usize, MilestoneInput> = BTreeMap::new();
    let mut earlier: BTreeMap<usize, EarlierFundingInput> = BTreeMap::new();
    for (key, value) in &pairs {
        match key.as_str() {
            "csrf" => csrf = value.clone(),
            "action" => action = value.clone(),
            "documents" => {
                let code = value.trim().to_owned();
                if !code.is_empty() && !input.documents.contains(&code) {
                    input.documents.push(code);
                }
            }
            other => {
                if let Some(slot) = input.text_field_mut(other).filter(|_| asked(other)) {
                    *slot = value.trim().to_owned();
                } else if let Some((n, sub)) = row_field(other, "milestones") {
                    let row = milestones.entry(n).or_default();
                    match sub {
                        "title" => row.title = value.trim().to_owned(),
                        "due_on" => row.due_on = value.trim().to_owned(),
                        _ => {}
                    }
                } else if let Some((n, sub)) = row_field(other, "earlier_funding") {
                    let row = earlier.entry(n).or_default();
                    match sub {
                        "scheme" => row.scheme = value.trim().to_owned(),
                        "amount" => row.amount = value.trim().to_owned(),
                        _ => {}
                    }
                }
            }
        }
    }
    input.budget_lines = budget_lines(&pairs);
    input.milestones = milestones
        .into_values()
        .filter(|m| !(m.title.is_empty() && m.due_on.is_empty()))
        .collect();
    input.earlier_funding = earlier
        .into_values()
        .filter(|e| !(e.scheme.is_empty() && e.amount.is_empty()))
        .collect();
    Posted {
        input,
        csrf,
        action,
    }
}

/// The application, if the user is of the applying organisation; the response to send if not.
async fn own_application(
    state: &AppState,
    ctx: &PageContext,
    id: &str,
) -> Result<(FundingAccess, ApplicationRecord), Response> {
    let (_, access) = who(ctx).map_err(|refusal| refusal.page(ctx))?;
    let id = application_id(id).map_err(|refusal| refusal.page(ctx))?;
    if !matches!(access, FundingAccess::Applicant { .. }) {
        return Err(hidden(ctx));
    }
    match state.store().application(access, id).await {
        Ok(record) => Ok((access, record)),
        Err(err) => Err(store_error_page(ctx, err)),
    }
}

pub(crate) async fn edit(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(id): Path<String>,
) -> Response {
    let (_, record) = match own_application(&state, &ctx, &id).await {
        Ok(found) => found,
        Err(res) => return res,
    };
    if !record.status.is_editable() {
        return Redirect::to(&format!("/funding/applications/{}", record.id)).into_response();
    }
    render(&form_page(&state, &ctx, &record, &record.input, None))
}

pub(crate) async fn save(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (access, record) = match own_application(&state, &ctx, &id).await {
        Ok(found) => found,
        Err(res) => return res,
    };
    let Posted {
        mut input,
        csrf,
        action,
    } = read_form(&body);
    if !ctx.csrf_ok(&csrf) {
        return csrf_refused(&ctx);
    }
    input.reference = record.reference.clone();
    let refused = |err: ApiError| match err {
        ApiError::BadRequest { .. } => {
            let labels = Labels::new(&state, &ctx);
            let message = labels.input_error(&err);
            (
                StatusCode::BAD_REQUEST,
                render(&form_page(&state, &ctx, &record, &input, Some(message))),
            )
                .into_response()
        }
        other => api_failure(&ctx, other),
    };
    let view = format!("/funding/applications/{}", record.id);
    let audit = ctx.audit("");
    if action == "submit" {
        let screened = match screen_submission(&state, &record, &input).await {
            Ok((screened, _)) => screened,
            Err(err) => return refused(err),
        };
        return match state
            .store()
            .submit_application(&audit, access, record.id, &screened)
            .await
        {
            Ok(_) => Redirect::to(&view).into_response(),
            Err(err) => store_error_page(&ctx, err),
        };
    }
    if let Err(err) = check_draft(&record.reference, &input) {
        return refused(err);
    }
    match state
        .store()
        .update_application(&audit, access, record.id, &input)
        .await
    {
        Ok(_) => Redirect::to(&view).into_response(),
        Err(err) => store_error_page(&ctx, err),
    }
}
