//! Funding pages: the schemes on offer, starting an application from what the platform knows,
//! and the lists (an organisation's own applications, an officer's queue, everything for an
//! administrator). The form, the application with its screening report and the follow-up
//! forms live in `funding_form` and `funding_view`.
//!
//! Access follows the store: an application is seen by its organisation, by the officers of
//! its scheme once submitted, and by administrators; anyone else gets the same 404 as for any
//! private page, so a stranger cannot tell whether an application exists.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use store::{ApplicationFilter, ApplicationRecord, ApplicationStatus, FundingAccess, UserRecord};
use vocab::{Currency, Money};

use crate::context::PageContext;
use crate::error::ApiError;
use crate::funding::{applicant_org, funding_access, prefill_for, FundingCatalog};
use crate::i18n::{Catalogs, Tr};
use crate::pages::{
    csrf_refused, error_page, funding_form, funding_report, funding_view, hkd_millions_rounded,
    named_field, render, store_error_page,
};
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/funding", get(schemes))
        .route("/funding/{scheme}/apply", post(apply))
        .route("/funding/applications", get(list))
        .route("/funding/applications/{id}", get(funding_view::show))
        .route(
            "/funding/applications/{id}/edit",
            get(funding_form::edit).post(funding_form::save),
        )
        .route(
            "/funding/applications/{id}/attachments",
            post(funding_view::upload).layer(DefaultBodyLimit::max(
                screening::MAX_ATTACHMENT_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/funding/applications/{id}/attachments/{attachment}",
            get(funding_view::download),
        )
        .route(
            "/funding/applications/{id}/decision",
            post(funding_view::decide),
        )
        .route(
            "/funding/applications/{id}/changes",
            post(funding_view::request_change),
        )
        .route(
            "/funding/changes/{change}/decision",
            post(funding_view::decide_change),
        )
}

/// Why a funding page is not shown to the visitor.
pub(crate) enum Refusal {
    /// Nobody is signed in.
    SignIn,
    /// The user has no part in funding, or may not see this.
    Hidden,
}

impl Refusal {
    /// The response: the sign-in page, or the 404 page.
    pub(crate) fn page(self, ctx: &PageContext) -> Response {
        match self {
            Refusal::SignIn => Redirect::to("/sign-in").into_response(),
            Refusal::Hidden => hidden(ctx),
        }
    }
}

/// The signed-in user and what they may do with applications; a visitor is sent to sign in,
/// a user with no part in funding gets the 404 page.
pub(crate) fn who(ctx: &PageContext) -> Result<(UserRecord, FundingAccess), Refusal> {
    let Some(user) = ctx.user.clone() else {
        return Err(Refusal::SignIn);
    };
    match funding_access(&user) {
        Ok(access) => Ok((user, access)),
        Err(_) => Err(Refusal::Hidden),
    }
}

/// The page for what the visitor may not see: the same 404 as for a path that does not exist.
pub(crate) fn hidden(ctx: &PageContext) -> Response {
    error_page(
        ctx,
        StatusCode::NOT_FOUND,
        "error.not_found",
        ctx.t.s("error.not_found_text").to_owned(),
    )
}

/// A failure of the shared funding service, shown as a page.
pub(crate) fn api_failure(ctx: &PageContext, err: ApiError) -> Response {
    match err {
        ApiError::NotFound(_) | ApiError::Forbidden(_) | ApiError::Unauthorized(_) => hidden(ctx),
        ApiError::BadRequest { message, .. } => {
            error_page(ctx, StatusCode::BAD_REQUEST, "funding.bad_input", message)
        }
        ApiError::Conflict(message) => {
            error_page(ctx, StatusCode::CONFLICT, "error.conflict", message)
        }
        ApiError::Internal(err) => {
            tracing::error!(error = ?err, "funding page failed");
            error_page(
                ctx,
                StatusCode::INTERNAL_SERVER_ERROR,
                "error.internal",
                ctx.t.s("error.internal_text").to_owned(),
            )
        }
        ApiError::Unavailable => error_page(
            ctx,
            StatusCode::SERVICE_UNAVAILABLE,
            "error.unavailable",
            ctx.t.s("error.unavailable_text").to_owned(),
        ),
        other => error_page(ctx, other.status(), "funding.bad_input", other.to_string()),
    }
}

/// An application id from the path; anything else is no application.
pub(crate) fn application_id(text: &str) -> Result<i64, Refusal> {
    text.parse::<i64>().map_err(|_| Refusal::Hidden)
}

/// Names for the codes funding pages show, from the catalogs by code; a code the catalogs do
/// not name (a scheme file may bring new ones) is shown as it is.
pub(crate) struct Labels<'a> {
    pub t: &'a Tr,
    catalogs: &'a Catalogs,
    schemes: &'a FundingCatalog,
}

impl<'a> Labels<'a> {
    pub(crate) fn new(state: &'a AppState, ctx: &'a PageContext) -> Labels<'a> {
        Labels {
            t: &ctx.t,
            catalogs: state.catalogs(),
            schemes: state.funding(),
        }
    }

    /// Whether the catalogs hold a key.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.catalogs.contains(key)
    }

    /// The catalog's name for `prefix` + `code`, or the code.
    pub(crate) fn named(&self, prefix: &str, code: &str) -> String {
        self.t
            .maybe(&format!("{prefix}{code}"))
            .map_or_else(|| code.to_owned(), str::to_owned)
    }

    /// The label of an application field, e.g. `employees` or `budget_lines[2].amount`.
    pub(crate) fn field(&self, name: &str) -> String {
        match name.split_once('[') {
            Some((base, rest)) => format!("{} [{rest}", self.named("funding.field.", base)),
            None => self.named("funding.field.", name),
        }
    }

    /// A scheme's name in the reader's language, or its id when it is not offered.
    pub(crate) fn scheme_name(&self, id: &str) -> String {
        match self.schemes.scheme(id) {
            Ok(scheme) => scheme.name().get(self.t.is_zh()).to_owned(),
            Err(_) => id.to_owned(),
        }
    }

    /// A list of names joined the way the reader's language joins them.
    pub(crate) fn list(&self, names: impl IntoIterator<Item = String>) -> String {
        let names: Vec<String> = names.into_iter().collect();
        if names.is_empty() {
            return self.t.s("funding.value.none").to_owned();
        }
        names.join(self.t.s("dir.list_separator"))
    }

    /// A scheme-level amount, rounded for reading when it is in Hong Kong dollars.
    pub(crate) fn rounded(&self, money: Money) -> String {
        if money.currency() == Currency::Hkd {
            hkd_millions_rounded(self.t, money)
        } else {
            money.to_string()
        }
    }

    /// A bad-input message with the field's name in the reader's language in front of it.
    pub(crate) fn input_error(&self, err: &ApiError) -> String {
        let message = err.to_string();
        match named_field(&message) {
            Some(field) => format!("{} — {message}", self.field(field)),
            None => message,
        }
    }
}

/// A risk score in millionths of a percentage point, as `12.34%`.
pub(crate) fn risk_text(millionths: i64) -> String {
    let hundredths = (millionths + 5_000).div_euclid(10_000);
    format!("{}.{:02}%", hundredths / 100, hundredths % 100)
}

/// The amount an application asks for: the screened amount, else what the draft says.
pub(crate) fn amount_text(record: &ApplicationRecord) -> String {
    match (record.amount_cents, Currency::parse(&record.currency)) {
        (Some(cents), Ok(currency)) => Money::from_cents(cents, currency).to_string(),
        _ => record.input.amount_requested.trim().to_owned(),
    }
}

/// The date part of a stored RFC 3339 timestamp.
pub(crate) fn day_of(timestamp: &str) -> String {
    timestamp.chars().take(10).collect()
}

/// One scheme as the schemes page shows it.
struct SchemeView {
    id: String,
    name: String,
    example: bool,
    source_kind: &'static str,
    window: String,
    /// Whether today is inside the window.
    open: bool,
    cap: String,
    ratio: String,
    costs: String,
    documents: String,
    fast_track: String,
    tolerance: String,
    /// (rule id, what it requires).
    rules: Vec<(String, String)>,
}

fn scheme_view(labels: &Labels, scheme: &screening::Scheme) -> SchemeView {
    let t = labels.t;
    let ratio = scheme.matching_ratio();
    let (government, company) = (ratio.government(), ratio.company());
    let whole = government + company;
    let divisor = gcd(government, whole);
    let fast = scheme.fast_track();
    let tolerance = scheme.tolerance();
    SchemeView {
        id: scheme.id().as_str().to_owned(),
        name: scheme.name().get(t.is_zh()).to_owned(),
        example: scheme.is_example(),
        source_kind: scheme.source().kind(),
        window: t.f(
            "funding.window_dates",
            &[
                ("opens", &scheme.opens().to_string()),
                ("closes", &scheme.closes().to_string()),
            ],
        ),
        open: (scheme.opens()..=scheme.closes()).contains(&time::OffsetDateTime::now_utc().date()),
        cap: labels.rounded(scheme.funding_cap()),
        ratio: t.f(
            "funding.ratio_text",
            &[
                ("government", &government.to_string()),
                ("company", &company.to_string()),
                (
                    "share",
                    &format!("{}/{}", government / divisor, whole / divisor),
                ),
            ],
        ),
        costs: labels.list(
            scheme
                .eligible_costs()
                .iter()
                .map(|c| labels.named("funding.cost.", c.as_str())),
        ),
        documents: labels.list(
            scheme
                .required_documents()
                .iter()
                .map(|d| labels.named("funding.document.", d.as_str())),
        ),
        fast_track: t.f(
            "funding.fast_track_text",
            &[
                ("amount", &labels.rounded(fast.max_amount)),
                ("risk", &fast.max_risk.to_string()),
                ("similarity", &fast.max_duplicate_similarity.to_string()),
            ],
        ),
        tolerance: t.f(
            "funding.tolerance_text",
            &[
                ("budget", &tolerance.budget.to_string()),
                ("days", &tolerance.milestone_days.to_string()),
            ],
        ),
        rules: scheme
            .rules()
            .iter()
            .map(|rule| {
                let requirement = serde_json::to_value(&rule.requirement).unwrap_or_default();
                (
                    rule.id.as_str().to_owned(),
                    funding_report::requirement_text(labels, &requirement),
                )
            })
            .collect(),
    }
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 {
        a.max(1)
    } else {
        gcd(b, a % b)
    }
}

/// Where the list of applications is for this user, and what it is called.
fn list_link(access: FundingAccess) -> (&'static str, &'static str) {
    match access {
        FundingAccess::Applicant { .. } => ("/funding/applications", "funding.my_applications"),
        FundingAccess::Officer { .. } => ("/funding/applications", "funding.queue"),
        FundingAccess::Admin => ("/funding/applications", "funding.all_applications"),
    }
}

#[derive(Template)]
#[template(path = "funding.html")]
struct SchemesPage<'a> {
    ctx: &'a PageContext,
    schemes: Vec<SchemeView>,
    can_apply: bool,
    signed_in: bool,
    list_href: &'static str,
    list_key: &'static str,
}

async fn schemes(State(state): State<AppState>, ctx: PageContext) -> Response {
    let labels = Labels::new(&state, &ctx);
    let access = ctx.user.as_ref().and_then(|user| funding_access(user).ok());
    let (list_href, list_key) = access.map(list_link).unwrap_or(("", ""));
    render(&SchemesPage {
        schemes: state
            .funding()
            .schemes()
            .iter()
            .map(|scheme| scheme_view(&labels, scheme))
            .collect(),
        can_apply: matches!(access, Some(FundingAccess::Applicant { .. })),
        signed_in: ctx.user.is_some(),
        list_href,
        list_key,
        ctx: &ctx,
    })
}

/// A form that carries nothing but its anti-forgery token.
#[derive(Deserialize, Default)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

/// Starts a draft filled in from the organisation's profile and earlier applications.
async fn apply(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(scheme): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let Some(user) = ctx.user.clone() else {
        return Redirect::to("/sign-in").into_response();
    };
    if !ctx.csrf_ok(&form.csrf) {
        return csrf_refused(&ctx);
    }
    let scheme = match state.funding().scheme(&scheme) {
        Ok(scheme) => scheme.id().as_str().to_owned(),
        Err(_) => return hidden(&ctx),
    };
    let Ok(org) = applicant_org(&user) else {
        return error_page(
            &ctx,
            StatusCode::FORBIDDEN,
            "error.forbidden",
            ctx.t.s("funding.applicants_only").to_owned(),
        );
    };
    let prefill = match prefill_for(&state, org).await {
        Ok(prefill) => prefill,
        Err(err) => return api_failure(&ctx, err),
    };
    let filled = match serde_json::to_string(&prefill.filled) {
        Ok(json) => json,
        Err(err) => return api_failure(&ctx, ApiError::Internal(err.into())),
    };
    match state
        .store()
        .create_application(&ctx.audit(""), org, &scheme, &prefill.input, &filled)
        .await
    {
        Ok(record) => {
            Redirect::to(&format!("/funding/applications/{}/edit", record.id)).into_response()
        }
        Err(err) => store_error_page(&ctx, err),
    }
}

/// The list's filters, as the GET form sends them.
#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    scheme: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    route: String,
    #[serde(default)]
    min_risk: String,
    #[serde(default)]
    text: String,
}

/// One option of a select.
pub(crate) struct Choice {
    pub code: String,
    pub label: String,
    pub on: bool,
}

/// One application in a list.
struct Row {
    id: i64,
    reference: String,
    title: String,
    scheme: String,
    status: String,
    route: String,
    risk: String,
    amount: String,
    submitted: String,
}

#[derive(Template)]
#[template(path = "funding_list.html")]
struct ListPage<'a> {
    ctx: &'a PageContext,
    lead_key: &'static str,
    title_key: &'static str,
    filters: bool,
    query: ListQuery,
    schemes: Vec<Choice>,
    statuses: Vec<Choice>,
    routes: Vec<Choice>,
    rows: Vec<Row>,
    error: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    ctx: PageContext,
    Query(query): Query<ListQuery>,
) -> Response {
    let (user, access) = match who(&ctx) {
        Ok(found) => found,
        Err(refusal) => return refusal.page(&ctx),
    };
    let labels = Labels::new(&state, &ctx);
    let t = &ctx.t;
    let (title_key, lead_key, filters) = match access {
        FundingAccess::Applicant { .. } => (
            "funding.my_applications",
            "funding.list_lead_applicant",
            false,
        ),
        FundingAccess::Officer { .. } => ("funding.queue", "funding.list_lead_officer", true),
        FundingAccess::Admin => ("funding.all_applications", "funding.list_lead_admin", true),
    };
    let nonempty = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
    let mut error = None;
    let min_risk_millionths = match nonempty(&query.min_risk) {
        Some(text) => match vocab::Percent::parse(&text) {
            Ok(percent) => Some(percent.millionths()),
            Err(_) => {
                error = Some(t.f("funding.bad_min_risk", &[("text", &text)]));
                None
            }
        },
        None => None,
    };
    let status = nonempty(&query.status).and_then(|code| ApplicationStatus::parse(&code));
    let filter = ApplicationFilter {
        scheme: nonempty(&query.scheme),
        status,
        route: nonempty(&query.route),
        min_risk_millionths,
        text: nonempty(&query.text),
    };
    let scheme_ids: Vec<String> = match access {
        FundingAccess::Officer { .. } => match state.store().officer_schemes(user.id).await {
            Ok(ids) => ids,
            Err(err) => return store_error_page(&ctx, err),
        },
        _ => state
            .funding()
            .schemes()
            .iter()
            .map(|s| s.id().as_str().to_owned())
            .collect(),
    };
    let records = if error.is_some() {
        Vec::new()
    } else {
        match state.store().applications(access, &filter).await {
            Ok(records) => records,
            Err(err) => return store_error_page(&ctx, err),
        }
    };
    let rows = records
        .iter()
        .map(|record| Row {
            id: record.id,
            reference: record.reference.clone(),
            title: record.title.clone(),
            scheme: labels.scheme_name(&record.scheme),
            status: t.k("funding.status.", record.status.code()),
            route: record
                .route
                .as_deref()
                .map(|route| t.k("funding.route.", route))
                .unwrap_or_default(),
            risk: record.risk_millionths.map(risk_text).unwrap_or_default(),
            amount: amount_text(record),
            submitted: record
                .submitted_at
                .as_deref()
                .map(day_of)
                .unwrap_or_default(),
        })
        .collect();
    let choice = |code: &str, label: String, chosen: &str| Choice {
        code: code.to_owned(),
        label,
        on: code == chosen.trim(),
    };
    let page = ListPage {
        lead_key,
        title_key,
        filters,
        schemes: scheme_ids
            .iter()
            .map(|id| choice(id, labels.scheme_name(id), &query.scheme))
            .collect(),
        statuses: ApplicationStatus::ALL
            .iter()
            .filter(|s| {
                !matches!(access, FundingAccess::Officer { .. }) || **s != ApplicationStatus::Draft
            })
            .map(|s| choice(s.code(), t.k("funding.status.", s.code()), &query.status))
            .collect(),
        routes: ["fast_track", "officer_queue"]
            .iter()
            .map(|r| choice(r, t.k("funding.route.", r), &query.route))
            .collect(),
        rows,
        query,
        error,
        ctx: &ctx,
    };
    let status = if page.error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    (status, render(&page)).into_response()
}
