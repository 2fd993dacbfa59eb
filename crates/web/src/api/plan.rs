//! The network planner over the API: queue a model and its scenarios as a job, follow its
//! progress, read the plans side by side. Jobs belong to the caller's organisation and are
//! private to it (another organisation gets 404).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use planner::{NetworkModel, ScenarioSelection};
use serde::{Deserialize, Serialize};
use store::{NewPlanJob, PlanJobRecord};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::{ApiJson, ApiPath, SignedIn};
use crate::context::access_of;
use crate::error::ApiError;
use crate::jobs::selection_to_json;
use crate::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(queue_plan, list_plans))
        .routes(routes!(get_plan))
        .routes(routes!(example_model))
}

/// The longest a single solve may run, in seconds.
pub(crate) const MAX_TIME_LIMIT_SECONDS: i64 = 600;
/// The time limit of each solve when the request gives none.
pub(crate) const DEFAULT_TIME_LIMIT_SECONDS: i64 = 60;

/// A planning run to queue.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    /// The network model (see docs/network-model.md), as a JSON object or as the text of a
    /// JSON file (then errors name its lines). Absent: the shipped example.
    pub model: Option<serde_json::Value>,
    /// Scenario names to solve beside the base; absent: all of the model's scenarios; `[]`:
    /// the base only.
    pub scenarios: Option<Vec<String>>,
    /// Time limit of each solve in seconds (1 to 600, default 60); a solve that reaches it
    /// returns its best plan, marked not proven optimal.
    pub time_limit_seconds: Option<i64>,
}

/// A planning job.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanJobDto {
    /// Job id.
    pub id: i64,
    /// The model's name.
    pub name: String,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    /// Solves finished (the base, then each scenario).
    pub done_steps: i64,
    /// Solves in all.
    pub total_steps: i64,
    /// Time limit of each solve, in seconds.
    pub time_limit_seconds: i64,
    /// Queued at (RFC 3339 UTC).
    pub created_at: String,
    /// Finished at.
    pub finished_at: Option<String>,
    /// Why it failed (for an infeasible model: which demand cannot be met, which rule binds).
    pub error: Option<String>,
    /// Once done: the base plan and each scenario's plan with its difference from the base
    /// (money as `{"cents", "currency"}`); null until then.
    pub result: Option<serde_json::Value>,
}

impl PlanJobDto {
    pub(crate) fn from_record(job: PlanJobRecord, with_result: bool) -> Result<Self, ApiError> {
        let result = match (&job.result_json, with_result) {
            (Some(text), true) => Some(
                serde_json::from_str(text)
                    .map_err(|e| ApiError::Internal(anyhow::anyhow!("stored plan result: {e}")))?,
            ),
            _ => None,
        };
        Ok(PlanJobDto {
            id: job.id,
            name: job.name,
            status: job.status.code().to_owned(),
            done_steps: job.done_steps,
            total_steps: job.total_steps,
            time_limit_seconds: job.time_limit_seconds,
            created_at: job.created_at,
            finished_at: job.finished_at,
            error: job.error,
            result,
        })
    }
}

/// Checks a planning request and queues it for the caller's organisation; shared by the API
/// and the page, so both refuse the same input.
pub(crate) async fn queue(
    state: &AppState,
    user: &store::UserRecord,
    audit: &store::AuditContext,
    model_text: Option<String>,
    scenarios: Option<Vec<String>>,
    time_limit_seconds: Option<i64>,
) -> Result<i64, ApiError> {
    let bad = |code: &'static str, message: String| ApiError::BadRequest { code, message };
    let time_limit = time_limit_seconds.unwrap_or(DEFAULT_TIME_LIMIT_SECONDS);
    if !(1..=MAX_TIME_LIMIT_SECONDS).contains(&time_limit) {
        return Err(bad(
            "invalid_field",
            format!(
                "time_limit_seconds: {time_limit} is not between 1 and {MAX_TIME_LIMIT_SECONDS}"
            ),
        ));
    }
    let model_text = model_text.unwrap_or_else(|| planner::EXAMPLE_MODEL.to_owned());
    let model = NetworkModel::from_json(&model_text)
        .map_err(|e| bad("invalid_model", format!("model: {e}")))?;
    let selection = match scenarios {
        None => ScenarioSelection::All,
        Some(names) if names.is_empty() => ScenarioSelection::None,
        Some(names) => {
            if let Some(unknown) = names.iter().find(|n| model.scenario(n).is_none()) {
                return Err(bad(
                    "invalid_field",
                    format!("scenarios: the model has no scenario `{unknown}`"),
                ));
            }
            ScenarioSelection::Named(names)
        }
    };
    let total_steps = 1 + match &selection {
        ScenarioSelection::None => 0,
        ScenarioSelection::All => model.scenarios().len(),
        ScenarioSelection::Named(names) => names.len(),
    };
    let job = NewPlanJob {
        org: user.org,
        created_by: user.id,
        name: model.name().to_owned(),
        model_json: model_text,
        scenarios_json: selection_to_json(&selection),
        time_limit_seconds: time_limit,
        total_steps: total_steps as i64,
    };
    let id = state.store().queue_plan_job(audit, &job).await?;
    state.job_queued().notify_one();
    Ok(id)
}

/// Queues a planning run (the base model and its scenarios) as a background job.
#[utoipa::path(post, path = "/plan", tag = "plan", security(("bearer" = [])), request_body = PlanRequest,
    responses((status = 202, body = PlanJobDto), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody)))]
async fn queue_plan(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiJson(request): ApiJson<PlanRequest>,
) -> Result<(StatusCode, Json<PlanJobDto>), ApiError> {
    let user = &caller.user;
    let model_text = match request.model {
        None => None,
        Some(serde_json::Value::String(text)) => Some(text),
        Some(value @ serde_json::Value::Object(_)) => Some(
            serde_json::to_string_pretty(&value)
                .map_err(|e| ApiError::Internal(anyhow::anyhow!("re-encoding the model: {e}")))?,
        ),
        Some(_) => {
            return Err(ApiError::BadRequest {
                code: "invalid_field",
                message: "model: expected a JSON object or the text of one".into(),
            })
        }
    };
    let id = queue(
        &state,
        user,
        &caller.audit(),
        model_text,
        request.scenarios,
        request.time_limit_seconds,
    )
    .await?;
    let job = state.store().plan_job(access_of(Some(user)), id).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(PlanJobDto::from_record(job, false)?),
    ))
}

/// The caller's organisation's recent planning jobs, newest first (without results).
#[utoipa::path(get, path = "/plan", tag = "plan", security(("bearer" = [])),
    responses((status = 200, body = [PlanJobDto]), (status = 401, body = crate::error::ErrorBody)))]
async fn list_plans(
    State(state): State<AppState>,
    caller: SignedIn,
) -> Result<Json<Vec<PlanJobDto>>, ApiError> {
    let user = &caller.user;
    let jobs = state.store().plan_jobs(access_of(Some(user)), 50).await?;
    let dtos = jobs
        .into_iter()
        .map(|job| PlanJobDto::from_record(job, false))
        .collect::<Result<_, _>>()?;
    Ok(Json(dtos))
}

/// One planning job: its progress, and once done its result.
#[utoipa::path(get, path = "/plan/{id}", tag = "plan", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Job id")),
    responses((status = 200, body = PlanJobDto), (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
async fn get_plan(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PlanJobDto>, ApiError> {
    let user = &caller.user;
    let job = state.store().plan_job(access_of(Some(user)), id).await?;
    Ok(Json(PlanJobDto::from_record(job, true)?))
}

/// The shipped example model (a Hong Kong electronics maker; indicative figures), to start from.
#[utoipa::path(get, path = "/plan/example", tag = "plan",
    responses((status = 200, description = "The example network model", body = Object)))]
async fn example_model() -> Result<Json<serde_json::Value>, ApiError> {
    serde_json::from_str(planner::EXAMPLE_MODEL)
        .map(Json)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("the example model: {e}")))
}
