//! One application: its facts beside its screening report line by line, its documents, the
//! officers' decisions and the changes asked for after approval; and the forms that act on it
//! (upload a document, decide, ask for a change, decide a change), each of which comes back to
//! this page with the problem named when the input is refused.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use screening::{assess_change, Attachment, BudgetLineInput, ChangeInput};
use serde::Deserialize;
use store::{
    ApplicationRecord, ApplicationStatus, Decision, FundingAccess, NewAttachment, NewChangeRequest,
    StoreError,
};

use crate::context::PageContext;
use crate::error::ApiError;
use crate::funding::{report_for, screening_error};
use crate::pages::funding::{api_failure, application_id, day_of, hidden, who, Choice, Labels};
use crate::pages::funding_form::{asked, budget_lines, budget_rows, choices};
use crate::pages::funding_report::{moves, report_view, MoveLine, ReportView};
use crate::pages::{csrf_refused, error_page, render, store_error_page};
use crate::AppState;

/// The rows the change form offers for a new budget (more when the budget has more lines).
const CHANGE_BUDGET_ROWS: usize = 6;

/// What a refused form on this page said was wrong, shown beside that form.
#[derive(Default)]
pub(crate) struct Problems {
    upload: Option<String>,
    decision: Option<String>,
    change: Option<String>,
    /// The budget lines of a refused budget change, as posted.
    change_lines: Option<Vec<BudgetLineInput>>,
    change_decision: Option<String>,
}

impl Problems {
    fn any(&self) -> bool {
        self.upload.is_some()
            || self.decision.is_some()
            || self.change.is_some()
            || self.change_decision.is_some()
    }
}

struct AttachmentView {
    id: i64,
    document: String,
    file_name: String,
    size: String,
    created: String,
}

struct DecisionView {
    when: String,
    officer: String,
    decision: String,
    reason: String,
}

struct BudgetRow {
    n: usize,
    categories: Vec<Choice>,
    description: String,
    amount: String,
}

struct ChangeView {
    id: i64,
    kind: String,
    status_code: String,
    status: String,
    asked: String,
    reason: String,
    within: bool,
    moves: Vec<MoveLine>,
    note: String,
    decided: String,
    open: bool,
}

#[derive(Template)]
#[template(path = "funding_application.html")]
struct ViewPage<'a> {
    ctx: &'a PageContext,
    id: i64,
    reference: String,
    title: String,
    scheme_name: String,
    example: bool,
    status_code: &'static str,
    status: String,
    /// (label, value) of every scalar field.
    facts: Vec<(String, String)>,
    /// (category, description, amount).
    budget: Vec<(String, String, String)>,
    /// (number, title, due).
    milestones: Vec<(usize, String, String)>,
    /// (scheme, amount).
    earlier: Vec<(String, String)>,
    documents_declared: String,
    report: Option<ReportView>,
    attachments: Vec<AttachmentView>,
    can_edit: bool,
    document_options: Vec<Choice>,
    decisions: Vec<DecisionView>,
    can_decide: bool,
    decision_options: Vec<(&'static str, String)>,
    can_request_change: bool,
    change_rows: Vec<BudgetRow>,
    milestone_choices: Vec<Choice>,
    changes: Vec<ChangeView>,
    officer: bool,
    problems: Problems,
}

fn fact(labels: &Labels, input: &screening::ApplicationInput, field: &str) -> String {
    let value = input.text_field(field).unwrap_or_default();
    let value = value.trim();
    match (field, value) {
        (_, "") => "—".to_owned(),
        ("registered_in_hk", "yes" | "true") => labels.t.s("funding.value.yes").to_owned(),
        ("registered_in_hk", "no" | "false") => labels.t.s("funding.value.no").to_owned(),
        ("sector", code) => labels.named("funding.sector.", code),
        (_, text) => text.to_owned(),
    }
}

/// Renders the page for `record` as `access` may see it, with the problems of a refused form.
async fn view_response(
    state: &AppState,
    ctx: &PageContext,
    access: FundingAccess,
    record: &ApplicationRecord,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let store = state.store();
    let loaded = async {
        let report = report_for(state, access, record).await?;
        let attachments = store.attachments(access, record.id).await?;
        let decisions = store.application_decisions(access, record.id).await?;
        let changes = store.change_requests(access, record.id).await?;
        Ok::<_, ApiError>((report, attachments, decisions, changes))
    };
    let (report, attachments, decisions, changes) = match loaded.await {
        Ok(loaded) => loaded,
        Err(err) => return api_failure(ctx, err),
    };
    let labels = Labels::new(state, ctx);
    let t = &ctx.t;
    let scheme = state.funding().scheme(&record.scheme).ok();
    let input = &record.input;
    let applicant = matches!(access, FundingAccess::Applicant { .. });
    let officer = matches!(access, FundingAccess::Officer { .. });
    let documents: Vec<(String, String)> = scheme
        .map(|s| {
            s.required_documents()
                .iter()
                .map(|d| {
                    (
                        d.as_str().to_owned(),
                        labels.named("funding.document.", d.as_str()),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let change_lines = problems
        .change_lines
        .clone()
        .unwrap_or_else(|| input.budget_lines.clone());
    let page = ViewPage {
        id: record.id,
        reference: record.reference.clone(),
        title: record.title.clone(),
        scheme_name: labels.scheme_name(&record.scheme),
        example: scheme.is_none_or(|s| s.is_example()),
        status_code: record.status.code(),
        status: t.k("funding.status.", record.status.code()),
        facts: screening::ApplicationInput::TEXT_FIELDS
            .iter()
            .filter(|field| asked(field) || !input.text_field(field).unwrap_or_default().is_empty())
            .map(|field| (labels.field(field), fact(&labels, input, field)))
            .collect(),
        budget: input
            .budget_lines
            .iter()
            .map(|line| {
                (
                    labels.named("funding.cost.", &line.category),
                    line.description.clone(),
                    line.amount.clone(),
                )
            })
            .collect(),
        milestones: input
            .milestones
            .iter()
            .enumerate()
            .map(|(idx, m)| (idx + 1, m.title.clone(), m.due_on.clone()))
            .collect(),
        earlier: input
            .earlier_funding
            .iter()
            .map(|e| (labels.scheme_name(&e.scheme), e.amount.clone()))
            .collect(),
        documents_declared: labels.list(
            input
                .documents
                .iter()
                .map(|d| labels.named("funding.document.", d)),
        ),
        report: report.as_ref().map(|report| report_view(&labels, report)),
        attachments: attachments
            .iter()
            .map(|a| AttachmentView {
                id: a.id,
                document: labels.named("funding.document.", &a.document),
                file_name: a.file_name.clone(),
                size: t.f("funding.bytes", &[("n", &a.size_bytes.to_string())]),
                created: day_of(&a.created_at),
            })
            .collect(),
        can_edit: applicant && record.status.is_editable(),
        document_options: choices(documents, ""),
        decisions: decisions
            .iter()
            .map(|d| DecisionView {
                when: day_of(&d.created_at),
                officer: d.officer_email.clone(),
                decision: t.k("funding.decided.", &d.decision),
                reason: d.reason.clone(),
            })
            .collect(),
        can_decide: officer && record.status == ApplicationStatus::Submitted,
        decision_options: Decision::ALL
            .iter()
            .map(|d| (d.code(), t.k("funding.decision.", d.code())))
            .collect(),
        can_request_change: applicant
            && record.status == ApplicationStatus::Approved
            && !changes.iter().any(|c| c.status == "requested"),
        change_rows: budget_rows(&labels, scheme, &change_lines, CHANGE_BUDGET_ROWS)
            .into_iter()
            .map(|(n, categories, description, amount)| BudgetRow {
                n,
                categories,
                description,
                amount,
            })
            .collect(),
        milestone_choices: input
            .milestones
            .iter()
            .enumerate()
            .map(|(idx, m)| Choice {
                code: (idx + 1).to_string(),
                label: format!("{}. {} ({})", idx + 1, m.title, m.due_on),
                on: idx == 0,
            })
            .collect(),
        changes: changes
            .iter()
            .map(|c| {
                let assessment: serde_json::Value =
                    serde_json::from_str(&c.assessment_json).unwrap_or_default();
                ChangeView {
                    id: c.id,
                    kind: t.k("funding.change_kind.", &c.kind),
                    status_code: c.status.clone(),
                    status: t.k("funding.change_status.", &c.status),
                    asked: day_of(&c.created_at),
                    reason: c.reason.clone(),
                    within: c.within_tolerance,
                    moves: moves(&labels, &assessment),
                    note: c.decision_note.clone().unwrap_or_default(),
                    decided: c.decided_at.as_deref().map(day_of).unwrap_or_default(),
                    open: c.status == "requested",
                }
            })
            .collect(),
        officer,
        problems,
        ctx,
    };
    let status = if page.problems.any() && status == StatusCode::OK {
        StatusCode::BAD_REQUEST
    } else {
        status
    };
    (status, render(&page)).into_response()
}

/// The application `id` as the signed-in user may see it, or the response to send.
async fn visible(
    state: &AppState,
    ctx: &PageContext,
    id: &str,
) -> Result<(store::UserRecord, FundingAccess, ApplicationRecord), Response> {
    let (user, access) = who(ctx).map_err(|refusal| refusal.page(ctx))?;
    let id = application_id(id).map_err(|refusal| refusal.page(ctx))?;
    match state.store().application(access, id).await {
        Ok(record) => Ok((user, access, record)),
        Err(err) => Err(store_error_page(ctx, err)),
    }
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(id): Path<String>,
) -> Response {
    match visible(&state, &ctx, &id).await {
        Ok((_, access, record)) => {
            view_response(
                &state,
                &ctx,
                access,
                &record,
                Problems::default(),
                StatusCode::OK,
            )
            .await
        }
        Err(res) => res,
    }
}

/// A conflict the store reported (the application moved on meanwhile), or another failure.
fn conflict_text(err: StoreError) -> Result<String, StoreError> {
    match err {
        StoreError::Conflict(message) => Ok(message),
        other => Err(other),
    }
}

/// An upload as posted.
#[derive(Default)]
struct Upload {
    csrf: String,
    document: String,
    file_name: String,
    bytes: Vec<u8>,
}

async fn read_upload(mut multipart: Multipart) -> Result<Upload, String> {
    let mut upload = Upload::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) => return Err(format!("field `file`: {}", err.body_text())),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            upload.file_name = field.file_name().unwrap_or_default().to_owned();
        }
        let bytes = field
            .bytes()
            .await
            .map_err(|err| format!("field `{name}`: {}", err.body_text()))?;
        match name.as_str() {
            "csrf" => upload.csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "document" => upload.document = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => upload.bytes = bytes.to_vec(),
            _ => {}
        }
    }
    Ok(upload)
}

/// Stores a supporting document once its content shows it is what its name says.
pub(crate) async fn upload(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Response {
    let (_, access, record) = match visible(&state, &ctx, &id).await {
        Ok(found) => found,
        Err(res) => return res,
    };
    if !matches!(access, FundingAccess::Applicant { .. }) {
        return hidden(&ctx);
    }
    let refused = |message: String, status: StatusCode| {
        let problems = Problems {
            upload: Some(message),
            ..Problems::default()
        };
        view_response(&state, &ctx, access, &record, problems, status)
    };
    let labels = Labels::new(&state, &ctx);
    let posted = match read_upload(multipart).await {
        Ok(posted) => posted,
        Err(message) => {
            let err = ApiError::BadRequest {
                code: "invalid_field",
                message,
            };
            return refused(labels.input_error(&err), StatusCode::BAD_REQUEST).await;
        }
    };
    if !ctx.csrf_ok(&posted.csrf) {
        return csrf_refused(&ctx);
    }
    let attachment = match Attachment::check(&posted.document, &posted.file_name, posted.bytes) {
        Ok(attachment) => attachment,
        Err(err) => {
            let message = labels.input_error(&screening_error(err));
            return refused(message, StatusCode::BAD_REQUEST).await;
        }
    };
    let new = NewAttachment {
        document: attachment.document.as_str().to_owned(),
        file_name: attachment.file_name,
        content_type: attachment.content_type.mime().to_owned(),
        sha256: attachment.sha256,
        bytes: attachment.bytes,
    };
    match state
        .store()
        .add_attachment(&ctx.audit(""), access, record.id, &new)
        .await
    {
        Ok(_) => Redirect::to(&format!("/funding/applications/{}", record.id)).into_response(),
        Err(err) => match conflict_text(err) {
            Ok(message) => refused(message, StatusCode::CONFLICT).await,
            Err(err) => store_error_page(&ctx, err),
        },
    }
}

/// A file name that is safe inside a quoted `Content-Disposition` value.
fn disposition_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .take(150)
        .collect();
    let trimmed = cleaned.trim_matches(|c| c == '.' || c == ' ');
    if trimmed.is_empty() {
        "document".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Serves a stored document, after checking it is still what was stored.
pub(crate) async fn download(
    State(state): State<AppState>,
    ctx: PageContext,
    Path((id, attachment)): Path<(String, String)>,
) -> Response {
    let (_, access) = match who(&ctx) {
        Ok(found) => found,
        Err(refusal) => return refusal.page(&ctx),
    };
    let (Ok(id), Ok(attachment)) = (id.parse::<i64>(), attachment.parse::<i64>()) else {
        return hidden(&ctx);
    };
    let (record, bytes) = match state
        .store()
        .attachment_content(access, id, attachment)
        .await
    {
        Ok(found) => found,
        Err(err) => return store_error_page(&ctx, err),
    };
    if screening::sha256_hex(&bytes) != record.sha256 {
        tracing::error!(
            application = id,
            attachment,
            "stored document does not match its checksum"
        );
        return error_page(
            &ctx,
            StatusCode::INTERNAL_SERVER_ERROR,
            "error.internal",
            ctx.t.s("error.internal_text").to_owned(),
        );
    }
    let content_type = screening::AttachmentType::from_mime(&record.content_type)
        .map(|kind| kind.mime())
        .unwrap_or("application/octet-stream");
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}\"",
                    disposition_name(&record.file_name)
                ),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// An officer's decision as posted.
#[derive(Deserialize)]
pub(crate) struct DecisionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

/// Records an officer's decision on a submitted application of their scheme.
pub(crate) async fn decide(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let (_, access, record) = match visible(&state, &ctx, &id).await {
        Ok(found) => found,
        Err(res) => return res,
    };
    if !matches!(access, FundingAccess::Officer { .. }) {
        return hidden(&ctx);
    }
    if !ctx.csrf_ok(&form.csrf) {
        return csrf_refused(&ctx);
    }
    let refused = |message: String, status: StatusCode| {
        let problems = Problems {
            decision: Some(message),
            ..Problems::default()
        };
        view_response(&state, &ctx, access, &record, problems, status)
    };
    let Some(decision) = Decision::parse(form.decision.trim()) else {
        return refused(
            ctx.t.s("funding.decision_required").to_owned(),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let reason = form.reason.trim();
    if reason.is_empty() {
        return refused(
            ctx.t.s("funding.reason_required").to_owned(),
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    match state
        .store()
        .decide_application(&ctx.audit(""), access, record.id, decision, reason)
        .await
    {
        Ok(_) => Redirect::to(&format!("/funding/applications/{}", record.id)).into_response(),
        Err(err) => match conflict_text(err) {
            Ok(message) => refused(message, StatusCode::CONFLICT).await,
            Err(err) => store_error_page(&ctx, err),
        },
    }
}

/// Asks for a change to an approved project: a new budget, or a milestone moved.
pub(crate) async fn request_change(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (user, access, record) = match visible(&state, &ctx, &id).await {
        Ok(found) => found,
        Err(res) => return res,
    };
    if !matches!(access, FundingAccess::Applicant { .. }) {
        return hidden(&ctx);
    }
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    if !ctx.csrf_ok(&value("csrf")) {
        return csrf_refused(&ctx);
    }
    let kind = value("kind");
    let posted_lines = (kind == "budget").then(|| budget_lines(&pairs));
    let refused = |message: String, status: StatusCode| {
        let problems = Problems {
            change: Some(message),
            change_lines: posted_lines.clone(),
            ..Problems::default()
        };
        view_response(&state, &ctx, access, &record, problems, status)
    };
    let labels = Labels::new(&state, &ctx);
    let (kind, change) = match kind.as_str() {
        "budget" => (
            "budget",
            ChangeInput::Budget {
                budget_lines: posted_lines.clone().unwrap_or_default(),
            },
        ),
        "milestone" => {
            let Ok(number) = value("number").parse::<usize>() else {
                let err = ApiError::field("field `milestones`", ctx.t.s("funding.pick_milestone"));
                return refused(labels.input_error(&err), StatusCode::BAD_REQUEST).await;
            };
            (
                "milestone",
                ChangeInput::Milestone {
                    number,
                    due_on: value("due_on"),
                    title: value("title"),
                },
            )
        }
        _ => {
            return refused(
                ctx.t.s("funding.change_kind_required").to_owned(),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
    };
    let reason = value("reason");
    if reason.is_empty() {
        return refused(
            ctx.t.s("funding.change_reason_required").to_owned(),
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    let scheme = match state.funding().scheme(&record.scheme) {
        Ok(scheme) => scheme,
        Err(err) => return api_failure(&ctx, err),
    };
    let (after, assessment) = match assess_change(scheme, &record.input, &change) {
        Ok(assessed) => assessed,
        Err(err) => {
            let message = labels.input_error(&screening_error(err));
            return refused(message, StatusCode::BAD_REQUEST).await;
        }
    };
    let (change_json, assessment_json) = match (
        serde_json::to_string(&change),
        serde_json::to_string(&assessment),
    ) {
        (Ok(change), Ok(assessment)) => (change, assessment),
        (Err(err), _) | (_, Err(err)) => return api_failure(&ctx, ApiError::Internal(err.into())),
    };
    let new = NewChangeRequest {
        kind,
        change_json,
        assessment_json,
        within_tolerance: assessment.within_tolerance,
        after,
        reason,
    };
    match state
        .store()
        .request_change(&ctx.audit(""), access, user.id, record.id, &new)
        .await
    {
        Ok(_) => Redirect::to(&format!("/funding/applications/{}", record.id)).into_response(),
        Err(err) => match conflict_text(err) {
            Ok(message) => refused(message, StatusCode::CONFLICT).await,
            Err(err) => store_error_page(&ctx, err),
        },
    }
}

/// An officer's decision on a change request, as posted.
#[derive(Deserialize)]
pub(crate) struct ChangeDecisionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
}

/// Approves or rejects a change request of a scheme the officer is assigned to.
pub(crate) async fn decide_change(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(change): Path<String>,
    Form(form): Form<ChangeDecisionForm>,
) -> Response {
    let (_, access) = match who(&ctx) {
        Ok(found) => found,
        Err(refusal) => return refusal.page(&ctx),
    };
    let Ok(change) = change.parse::<i64>() else {
        return hidden(&ctx);
    };
    if !matches!(access, FundingAccess::Officer { .. }) {
        return hidden(&ctx);
    }
    let request = match state.store().change_request(access, change).await {
        Ok(request) => request,
        Err(err) => return store_error_page(&ctx, err),
    };
    if !ctx.csrf_ok(&form.csrf) {
        return csrf_refused(&ctx);
    }
    let record = match state
        .store()
        .application(access, request.application_id)
        .await
    {
        Ok(record) => record,
        Err(err) => return store_error_page(&ctx, err),
    };
    let refused = |message: String, status: StatusCode| {
        let problems = Problems {
            change_decision: Some(message),
            ..Problems::default()
        };
        view_response(&state, &ctx, access, &record, problems, status)
    };
    let approve = match form.decision.trim() {
        "approve" => true,
        "reject" => false,
        _ => {
            return refused(
                ctx.t.s("funding.decision_required").to_owned(),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
    };
    match state
        .store()
        .decide_change(&ctx.audit(""), access, change, approve, form.note.trim())
        .await
    {
        Ok(_) => Redirect::to(&format!("/funding/applications/{}", record.id)).into_response(),
        Err(err) => match conflict_text(err) {
            Ok(message) => refused(message, StatusCode::CONFLICT).await,
            Err(err) => store_error_page(&ctx, err),
        },
    }
}
