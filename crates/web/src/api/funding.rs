//! Funding over the API: the schemes, prefilled drafts, submission with preliminary screening,
//! supporting documents, officers' queue and decisions, and change requests to approved
//! projects (the tolerance mechanism).
//!
//! Applicants see their own organisation's applications only; officers the submitted
//! applications of the schemes they are assigned to; a stranger gets 404, never a hint.

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use screening::{assess_change, ApplicationInput, Attachment, ChangeInput, MAX_ATTACHMENT_BYTES};
use serde::{Deserialize, Serialize};
use store::{
    ApplicationFilter, ApplicationRecord, ApplicationStatus, AttachmentRecord, ChangeRequestRecord,
    Decision, DecisionRecord, FundingAccess, NewAttachment, NewChangeRequest,
};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vocab::{Percent, UserId};

use crate::api::users::require_admin;
use crate::api::{ApiJson, ApiPath, ApiQuery, SignedIn};
use crate::error::ApiError;
use crate::funding::{
    applicant_org, check_draft, funding_access, prefill_for, report_for, screen_submission,
    screening_error,
};
use crate::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_schemes))
        .routes(routes!(get_scheme))
        .routes(routes!(assign_officer))
        .routes(routes!(get_prefill))
        .routes(routes!(list_applications, create_application))
        .routes(routes!(get_application, save_application))
        .routes(routes!(submit_application))
        .routes(routes!(list_attachments, upload_attachment))
        .routes(routes!(download_attachment))
        .routes(routes!(decide_application))
        .routes(routes!(list_changes, request_change))
        .routes(routes!(decide_change))
        // Documents may be up to 10 MiB; the check names the limit for anything between.
        .layer(DefaultBodyLimit::max(MAX_ATTACHMENT_BYTES + 64 * 1024))
}

/// Every scheme on offer, with its rules, cap, ratio, documents, fast track and tolerance.
/// The shipped schemes are examples: `example` is true and `source` is `indicative`.
#[utoipa::path(get, path = "/funding/schemes", tag = "funding",
    responses((status = 200, description = "The schemes", body = [Object])))]
async fn list_schemes(State(state): State<AppState>) -> Json<Vec<serde_json::Value>> {
    Json(
        state
            .funding()
            .schemes()
            .iter()
            .map(|s| serde_json::to_value(s).unwrap_or_default())
            .collect(),
    )
}

/// One scheme.
#[utoipa::path(get, path = "/funding/schemes/{id}", tag = "funding",
    params(("id" = String, Path, description = "Scheme id, e.g. `smart-production-line`")),
    responses((status = 200, description = "The scheme", body = Object), (status = 404, body = crate::error::ErrorBody)))]
async fn get_scheme(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let scheme = state.funding().scheme(&id)?;
    Ok(Json(serde_json::to_value(scheme).unwrap_or_default()))
}

/// An officer to assign to a scheme.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficerInput {
    /// The officer's user id.
    pub user_id: i64,
}

/// Assigns an officer to a scheme (administrators only); officers see only their schemes.
#[utoipa::path(post, path = "/funding/schemes/{id}/officers", tag = "funding", security(("bearer" = [])),
    params(("id" = String, Path, description = "Scheme id")), request_body = OfficerInput,
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn assign_officer(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<OfficerInput>,
) -> Result<StatusCode, ApiError> {
    require_admin(&caller.user, "assign officers")?;
    let scheme = state.funding().scheme(&id)?;
    state
        .store()
        .assign_scheme_officer(
            &caller.audit(),
            scheme.id().as_str(),
            UserId::new(input.user_id),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What the platform would fill into a new application: the fields and where each came from.
#[derive(Debug, Serialize, ToSchema)]
pub struct PrefillDto {
    /// The application with the known fields filled.
    #[schema(value_type = Object)]
    pub input: ApplicationInput,
    /// The fields filled and their sources.
    #[schema(value_type = Vec<Object>)]
    pub filled: Vec<screening::FilledField>,
}

/// What a new application of the caller's organisation would start with.
#[utoipa::path(get, path = "/funding/prefill", tag = "funding", security(("bearer" = [])),
    responses((status = 200, body = PrefillDto), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
async fn get_prefill(
    State(state): State<AppState>,
    caller: SignedIn,
) -> Result<Json<PrefillDto>, ApiError> {
    let org = applicant_org(&caller.user)?;
    let prefill = prefill_for(&state, org).await?;
    Ok(Json(PrefillDto {
        input: prefill.input,
        filled: prefill.filled,
    }))
}

/// An application as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationDto {
    /// Id.
    pub id: i64,
    /// Reference, e.g. `SMART-PRODUCTION-LINE-000012`.
    pub reference: String,
    /// The applying organisation's id.
    pub org_id: i64,
    /// The scheme's id.
    pub scheme: String,
    /// `draft`, `submitted`, `information_requested`, `approved` or `rejected`.
    pub status: String,
    /// The project's title.
    pub title: String,
    /// The application as it stands.
    #[schema(value_type = Object)]
    pub input: ApplicationInput,
    /// The fields the platform filled in, and from where.
    #[schema(value_type = Vec<Object>)]
    pub prefilled: serde_json::Value,
    /// The amount requested in cents, once submitted.
    pub amount_cents: Option<i64>,
    /// Its currency.
    pub currency: String,
    /// `fast_track` or `officer_queue`, once screened.
    pub route: Option<String>,
    /// The risk score as a percentage, once screened.
    pub risk_pct: Option<String>,
    /// The screening report at the last submission, explained line by line.
    #[schema(value_type = Option<Object>)]
    pub report: Option<serde_json::Value>,
    /// Created (RFC 3339 UTC).
    pub created_at: String,
    /// Last changed.
    pub updated_at: String,
    /// Last submitted.
    pub submitted_at: Option<String>,
}

async fn application_dto(
    state: &AppState,
    access: FundingAccess,
    record: ApplicationRecord,
) -> Result<ApplicationDto, ApiError> {
    let report = report_for(state, access, &record).await?;
    Ok(ApplicationDto {
        id: record.id,
        reference: record.reference,
        org_id: record.org.get(),
        scheme: record.scheme,
        status: record.status.code().to_owned(),
        title: record.title,
        prefilled: serde_json::from_str(&record.prefilled_json).unwrap_or_default(),
        input: record.input,
        amount_cents: record.amount_cents,
        currency: record.currency,
        route: record.route,
        risk_pct: record
            .risk_millionths
            .and_then(|m| Percent::new(m, 2).ok())
            .map(|p| p.to_string()),
        report,
        created_at: record.created_at,
        updated_at: record.updated_at,
        submitted_at: record.submitted_at,
    })
}

/// Filters of the application list (the officer's queue).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApplicationParams {
    /// Only this scheme.
    pub scheme: Option<String>,
    /// Only this status.
    pub status: Option<String>,
    /// Only this route: `fast_track` or `officer_queue`.
    pub route: Option<String>,
    /// Only risk at or above this percentage, e.g. `30`.
    pub min_risk: Option<String>,
    /// Words in the title or reference.
    pub q: Option<String>,
}

impl ApplicationParams {
    /// The store's filter, naming the first bad parameter.
    pub fn to_filter(&self) -> Result<ApplicationFilter, ApiError> {
        fn given(value: &Option<String>) -> Option<&str> {
            value.as_deref().map(str::trim).filter(|t| !t.is_empty())
        }
        let status = match given(&self.status) {
            Some(code) => Some(ApplicationStatus::parse(code).ok_or_else(|| {
                ApiError::field(
                    "status",
                    format!("{code:?} is not draft, submitted, information_requested, approved or rejected"),
                )
            })?),
            None => None,
        };
        let route = match given(&self.route) {
            Some(code @ ("fast_track" | "officer_queue")) => Some(code.to_owned()),
            Some(other) => {
                return Err(ApiError::field(
                    "route",
                    format!("{other:?} is not fast_track or officer_queue"),
                ))
            }
            None => None,
        };
        let min_risk_millionths = match given(&self.min_risk) {
            Some(text) => {
                let percent = Percent::parse(text).map_err(|e| ApiError::field("min_risk", e))?;
                if !(0..=100_000_000).contains(&percent.millionths()) {
                    return Err(ApiError::field("min_risk", "must be from 0 to 100"));
                }
                Some(percent.millionths())
            }
            None => None,
        };
        let text = given(&self.q).map(str::to_owned);
        if text.as_ref().is_some_and(|t| t.chars().count() > 200) {
            return Err(ApiError::field("q", "longer than 200 characters"));
        }
        Ok(ApplicationFilter {
            scheme: given(&self.scheme).map(str::to_owned),
            status,
            route,
            min_risk_millionths,
            text,
        })
    }
}

/// Applications the caller may see, newest first: an applicant's own organisation's, an
/// officer's queue (the schemes assigned to them), or all for an administrator.
#[utoipa::path(get, path = "/funding/applications", tag = "funding", security(("bearer" = [])),
    params(ApplicationParams),
    responses((status = 200, body = [ApplicationDto]), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
async fn list_applications(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiQuery(params): ApiQuery<ApplicationParams>,
) -> Result<Json<Vec<ApplicationDto>>, ApiError> {
    let access = funding_access(&caller.user)?;
    let filter = params.to_filter()?;
    let mut out = Vec::new();
    for record in state.store().applications(access, &filter).await? {
        out.push(application_dto(&state, access, record).await?);
    }
    Ok(Json(out))
}

/// A new draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApplicationInput {
    /// The scheme's id.
    pub scheme: String,
    /// Values to start with; fields left empty are filled from what the platform knows.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub input: Option<ApplicationInput>,
}

/// Starts a draft for the caller's organisation, filled from its profile and earlier
/// applications; `prefilled` says which fields and from where.
#[utoipa::path(post, path = "/funding/applications", tag = "funding", security(("bearer" = [])),
    request_body = NewApplicationInput,
    responses((status = 201, body = ApplicationDto), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
async fn create_application(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiJson(new): ApiJson<NewApplicationInput>,
) -> Result<(StatusCode, Json<ApplicationDto>), ApiError> {
    let org = applicant_org(&caller.user)?;
    let scheme = state.funding().scheme(&new.scheme)?.id().to_string();
    let prefill = prefill_for(&state, org).await?;
    let mut input = prefill.input;
    let mut filled = prefill.filled;
    if let Some(given) = new.input {
        // What the caller sent wins; a field it sent is no longer "filled by the platform".
        filled.retain(|f| {
            given
                .text_field(f.field)
                .is_none_or(|v| v.trim().is_empty())
        });
        let mut merged = given;
        for f in &filled {
            if let (Some(slot), Some(known)) =
                (merged.text_field_mut(f.field), input.text_field(f.field))
            {
                *slot = known.to_owned();
            }
        }
        input = merged;
    }
    let prefilled_json = serde_json::to_string(&filled)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("prefill: {e}")))?;
    let record = state
        .store()
        .create_application(&caller.audit(), org, &scheme, &input, &prefilled_json)
        .await?;
    let dto = application_dto(&state, FundingAccess::Applicant { org }, record).await?;
    Ok((StatusCode::CREATED, Json(dto)))
}

/// One application, with its screening report once submitted.
#[utoipa::path(get, path = "/funding/applications/{id}", tag = "funding", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")),
    responses((status = 200, body = ApplicationDto), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn get_application(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ApplicationDto>, ApiError> {
    let access = funding_access(&caller.user)?;
    let record = state.store().application(access, id).await?;
    Ok(Json(application_dto(&state, access, record).await?))
}

/// A draft's new content.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveApplicationInput {
    /// The whole application.
    #[schema(value_type = Object)]
    pub input: ApplicationInput,
}

/// Saves a draft (or an application sent back for information). What is given must be
/// well-formed (a 400 names the field and nothing is saved); what is missing may stay missing
/// until submission.
#[utoipa::path(put, path = "/funding/applications/{id}", tag = "funding", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")), request_body = SaveApplicationInput,
    responses((status = 200, body = ApplicationDto), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn save_application(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SaveApplicationInput>,
) -> Result<Json<ApplicationDto>, ApiError> {
    let access = funding_access(&caller.user)?;
    let current = state.store().application(access, id).await?;
    check_draft(&current.reference, &body.input)?;
    let record = state
        .store()
        .update_application(&caller.audit(), access, id, &body.input)
        .await?;
    Ok(Json(application_dto(&state, access, record).await?))
}

/// Submits an application: it is screened at once (rules, completeness and consistency,
/// duplicates across applications and schemes, the risk score) and routed to the fast track
/// or the officer queue. A value that does not parse is a 400 naming the field, and nothing
/// changes.
#[utoipa::path(post, path = "/funding/applications/{id}/submit", tag = "funding", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")),
    responses((status = 200, body = ApplicationDto), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn submit_application(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ApplicationDto>, ApiError> {
    let access = funding_access(&caller.user)?;
    let record = state.store().application(access, id).await?;
    let (screened, _) = screen_submission(&state, &record, &record.input).await?;
    let record = state
        .store()
        .submit_application(&caller.audit(), access, id, &screened)
        .await?;
    Ok(Json(application_dto(&state, access, record).await?))
}

/// A stored document.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentDto {
    /// Id.
    pub id: i64,
    /// The document kind, e.g. `quotations`.
    pub document: String,
    /// The file name.
    pub file_name: String,
    /// The type its content showed.
    pub content_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// SHA-256, lowercase hex.
    pub sha256: String,
    /// Stored (RFC 3339 UTC).
    pub created_at: String,
}

impl From<AttachmentRecord> for AttachmentDto {
    fn from(r: AttachmentRecord) -> Self {
        AttachmentDto {
            id: r.id,
            document: r.document,
            file_name: r.file_name,
            content_type: r.content_type,
            size_bytes: r.size_bytes,
            sha256: r.sha256,
            created_at: r.created_at,
        }
    }
}

/// The documents of an application.
#[utoipa::path(get, path = "/funding/applications/{id}/attachments", tag = "funding", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")),
    responses((status = 200, body = [AttachmentDto]), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn list_attachments(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<AttachmentDto>>, ApiError> {
    let access = funding_access(&caller.user)?;
    let list = state.store().attachments(access, id).await?;
    Ok(Json(list.into_iter().map(AttachmentDto::from).collect()))
}

/// Which document an upload is.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadParams {
    /// The document kind, e.g. `quotations`.
    pub document: String,
    /// The file's name, e.g. `quote.pdf`; its extension must match the content.
    pub file_name: String,
}

/// Adds a document (the request body is the file). PDF, PNG and JPEG only, known by their
/// content, at most 10 MiB; a refused file changes nothing.
#[utoipa::path(post, path = "/funding/applications/{id}/attachments", tag = "funding", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id"), UploadParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = AttachmentDto), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
        (status = 413, body = crate::error::ErrorBody)))]
async fn upload_attachment(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<UploadParams>,
    body: Body,
) -> Result<(StatusCode, Json<AttachmentDto>), ApiError> {
    let access = funding_access(&caller.user)?;
    let bytes: Bytes = axum::body::to_bytes(body, MAX_ATTACHMENT_BYTES + 1)
        .await
        .map_err(|_| {
            ApiError::PayloadTooLarge(format!(
                "file: larger than the {MAX_ATTACHMENT_BYTES} bytes (10 MiB) accepted"
            ))
        })?;
    let checked = Attachment::check(&params.document, &params.file_name, bytes.to_vec())
        .map_err(screening_error)?;
    let record = state
        .store()
        .add_attachment(
            &caller.audit(),
            access,
            id,
            &NewAttachment {
                document: checked.document.to_string(),
                file_name: checked.file_name,
                content_type: checked.content_type.mime().to_owned(),
                sha256: checked.sha256,
                bytes: checked.bytes,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(record.into())))
}

/// A document's bytes, checked against its checksum before they are sent.
pub async fn attachment_response(
    state: &AppState,
    access: FundingAccess,
    id: i64,
    attachment: i64,
) -> Result<Response, ApiError> {
    let (record, bytes) = state
        .store()
        .attachment_content(access, id, attachment)
        .await?;
    if screening::sha256_hex(&bytes) != record.sha256 {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "attachment {attachment} of application {id} does not match its checksum"
        )));
    }
    let safe_name: String = record
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, record.content_type),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{safe_name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Downloads a document.
#[utoipa::path(get, path = "/funding/applications/{id}/attachments/{attachment}", tag = "funding", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id"), ("attachment" = i64, Path, description = "Document id")),
    responses((status = 200, description = "The file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
async fn download_attachment(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiPath((id, attachment)): ApiPath<(i64, i64)>,
) -> Result<Response, ApiError> {
    let access = funding_access(&caller.user)?;
    attachment_response(&state, access, id, attachment).await
}

/// An officer's decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// `approve`, `reject` or `request_information`.
    pub decision: String,
    /// Why; required, and shown to the applicant.
    pub reason: String,
}

/// A decision as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionDto {
    /// Id.
    pub id: i64,
    /// The officer's email.
    pub officer: String,
    /// The decision.
    pub decision: String,
    /// Why.
    pub reason: String,
    /// When.
    pub created_at: String,
}

impl From<DecisionRecord> for DecisionDto {
    fn from(r: DecisionRecord) -> Self {
        DecisionDto {
            id: r.id,
            officer: r.officer_email,
            decision: r.decision,
            reason: r.reason,
            created_at: r.created_at,
        }
    }
}

/// Checks a decision's reason: required, at most 2,000 characters.
pub fn decision_reason(field: &str, reason: &str) -> Result<String, ApiError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ApiError::field(field, "give the reason"));
    }
    if reason.chars().count() > 2_000 {
        return Err(ApiError::field(field, "longer than 2000 characters"));
    }
    Ok(reason.to_owned())
}

/// Approves, rejects or asks for more information (an officer assigned to the scheme).
#[utoipa::path(post, path = "/funding/applications/{id}/decision", tag = "funding", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")), request_body = DecisionInput,
    responses((status = 200, body = [DecisionDto]), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn decide_application(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<Json<Vec<DecisionDto>>, ApiError> {
    let access = funding_access(&caller.user)?;
    let decision = Decision::parse(&input.decision).ok_or_else(|| {
        ApiError::field(
            "decision",
            format!(
                "{:?} is not approve, reject or request_information",
                input.decision
            ),
        )
    })?;
    let reason = decision_reason("reason", &input.reason)?;
    state
        .store()
        .decide_application(&caller.audit(), access, id, decision, &reason)
        .await?;
    let list = state.store().application_decisions(access, id).await?;
    Ok(Json(list.into_iter().map(DecisionDto::from).collect()))
}

/// A requested change to an approved project.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeRequestInput {
    /// `{"kind": "budget", "budget_lines": [...]}` (the whole new budget, same total) or
    /// `{"kind": "milestone", "number": 1, "due_on": "2026-05-01", "title": ""}`.
    #[schema(value_type = Object)]
    pub change: ChangeInput,
    /// Why the project asks.
    pub reason: String,
}

/// A change request and its outcome.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeDto {
    /// Id.
    pub id: i64,
    /// The application.
    pub application_id: i64,
    /// `budget` or `milestone`.
    pub kind: String,
    /// The change as asked.
    #[schema(value_type = Object)]
    pub change: serde_json::Value,
    /// How it compares with what was approved, against the scheme's tolerance.
    #[schema(value_type = Object)]
    pub assessment: serde_json::Value,
    /// Whether every part is within the tolerance.
    pub within_tolerance: bool,
    /// Why the project asked.
    pub reason: String,
    /// `requested`, `approved` or `rejected`.
    pub status: String,
    /// The officer's note.
    pub decision_note: Option<String>,
    /// Asked (RFC 3339 UTC).
    pub created_at: String,
    /// Decided.
    pub decided_at: Option<String>,
}

impl From<ChangeRequestRecord> for ChangeDto {
    fn from(r: ChangeRequestRecord) -> Self {
        ChangeDto {
            id: r.id,
            application_id: r.application_id,
            kind: r.kind,
            change: serde_json::from_str(&r.change_json).unwrap_or_default(),
            assessment: serde_json::from_str(&r.assessment_json).unwrap_or_default(),
            within_tolerance: r.within_tolerance,
            reason: r.reason,
            status: r.status,
            decision_note: r.decision_note,
            created_at: r.created_at,
            decided_at: r.decided_at,
        }
    }
}

/// Checks a change against the approved project and records the request.
async fn ask_for_change(
    state: &AppState,
    caller: &SignedIn,
    id: i64,
    change: &ChangeInput,
    reason: &str,
) -> Result<ChangeRequestRecord, ApiError> {
    let user = &caller.user;
    let access = funding_access(user)?;
    let reason = decision_reason("reason", reason)?;
    let record = state.store().application(access, id).await?;
    let scheme = state.funding().scheme(&record.scheme)?;
    let (after, assessment) =
        assess_change(scheme, &record.input, change).map_err(screening_error)?;
    Ok(state
        .store()
        .request_change(
            &caller.audit(),
            access,
            user.id,
            id,
            &NewChangeRequest {
                kind: match change {
                    ChangeInput::Budget { .. } => "budget",
                    ChangeInput::Milestone { .. } => "milestone",
                },
                change_json: to_json(change)?,
                assessment_json: to_json(&assessment)?,
                within_tolerance: assessment.within_tolerance,
                after,
                reason,
            },
        )
        .await?)
}

fn to_json(value: &impl Serialize) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|e| ApiError::Internal(anyhow::anyhow!("change: {e}")))
}

/// The change history of an application.
#[utoipa::path(get, path = "/funding/applications/{id}/changes", tag = "funding", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")),
    responses((status = 200, body = [ChangeDto]), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn list_changes(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<ChangeDto>>, ApiError> {
    let access = funding_access(&caller.user)?;
    let list = state.store().change_requests(access, id).await?;
    Ok(Json(list.into_iter().map(ChangeDto::from).collect()))
}

/// Asks for a change to an approved project: a new budget (same total, eligible costs) or a
/// moved milestone. It is measured against the scheme's tolerance for the officer.
#[utoipa::path(post, path = "/funding/applications/{id}/changes", tag = "funding", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")), request_body = ChangeRequestInput,
    responses((status = 201, body = ChangeDto), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn request_change(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ChangeRequestInput>,
) -> Result<(StatusCode, Json<ChangeDto>), ApiError> {
    let record = ask_for_change(&state, &caller, id, &input.change, &input.reason).await?;
    Ok((StatusCode::CREATED, Json(record.into())))
}

/// An officer's decision on a change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeDecisionInput {
    /// True to approve (the project becomes what the change says), false to reject.
    pub approve: bool,
    /// The officer's note; required.
    pub note: String,
}

/// Approves or rejects a change request (an officer assigned to the scheme).
#[utoipa::path(post, path = "/funding/changes/{id}/decision", tag = "funding", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Change request id")), request_body = ChangeDecisionInput,
    responses((status = 200, body = ChangeDto), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn decide_change(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ChangeDecisionInput>,
) -> Result<Json<ChangeDto>, ApiError> {
    let access = funding_access(&caller.user)?;
    let note = decision_reason("note", &input.note)?;
    let record = state
        .store()
        .decide_change(&caller.audit(), access, id, input.approve, &note)
        .await?;
    Ok(Json(record.into()))
}
