//! Projects over the API: an organisation's investment projects, private unless made public.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use store::ProjectRecord;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vocab::{
    BilingualText, Currency, ManufacturingSector, Money, OrgId, PlaceCode, Programme, Project,
    ProjectId, ProjectParts, ProjectStage, Visibility, Year,
};

use crate::api::reference::MoneyDto;
use crate::api::{ApiJson, ApiPath, Caller, SignedIn};
use crate::context::access_of;
use crate::error::ApiError;
use crate::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_projects, create_project))
        .routes(routes!(get_project, update_project))
}

/// An amount as typed: a decimal string and a currency (HKD when omitted).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoneyInput {
    /// Exact decimal amount, at most two decimals, e.g. "6900000000" or "1250.50".
    pub amount: String,
    /// ISO 4217 code; HKD when omitted.
    pub currency: Option<String>,
}

/// The fields of a project, as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectInput {
    /// Title in English.
    pub title_en: String,
    /// Title in Traditional Chinese.
    pub title_zh: String,
    /// `lead`, `in_talks`, `pledged`, `landed` or `operating`.
    pub stage: String,
    /// Manufacturing sector code (`C39`).
    pub sector: Option<String>,
    /// Place code (see `/api/v1/reference/places`).
    pub place: Option<String>,
    /// Pledged investment.
    pub pledged: Option<MoneyInput>,
    /// Realised investment.
    pub realised: Option<MoneyInput>,
    /// Jobs pledged.
    pub jobs_pledged: Option<u32>,
    /// Jobs realised.
    pub jobs_realised: Option<u32>,
    /// `private` (default) or `public`.
    pub visibility: Option<String>,
    /// Programme code (`strategic_enterprises`, `emerging_industries_fund`, `ev_assembly`,
    /// `hk_chongqing_pathway`, `other`).
    #[serde(default)]
    pub programme: Option<String>,
    /// Year announced or pledged.
    #[serde(default)]
    pub announced_year: Option<i16>,
    /// Output a year pledged.
    #[serde(default)]
    pub output_pledged: Option<MoneyInput>,
    /// Output a year realised.
    #[serde(default)]
    pub output_realised: Option<MoneyInput>,
}

/// A project as returned.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectDto {
    /// Id.
    pub id: i64,
    /// Owning organisation.
    pub org: i64,
    /// Title in English.
    pub title_en: String,
    /// Title in Traditional Chinese.
    pub title_zh: String,
    /// Stage.
    pub stage: String,
    /// Sector code.
    pub sector: Option<String>,
    /// Place code.
    pub place: Option<String>,
    /// Pledged investment.
    pub pledged: Option<MoneyDto>,
    /// Realised investment.
    pub realised: Option<MoneyDto>,
    /// Jobs pledged.
    pub jobs_pledged: Option<u32>,
    /// Jobs realised.
    pub jobs_realised: Option<u32>,
    /// `private` or `public`.
    pub visibility: String,
    /// Programme code.
    pub programme: Option<String>,
    /// Year announced.
    pub announced_year: Option<i16>,
    /// Output a year pledged.
    pub output_pledged: Option<MoneyDto>,
    /// Output a year realised.
    pub output_realised: Option<MoneyDto>,
    /// Created (RFC 3339 UTC).
    pub created_at: String,
    /// Last changed (RFC 3339 UTC).
    pub updated_at: String,
}

impl From<ProjectRecord> for ProjectDto {
    fn from(p: ProjectRecord) -> ProjectDto {
        let f = &p.project;
        ProjectDto {
            id: p.id.get(),
            org: p.org.get(),
            title_en: f.title().en().to_owned(),
            title_zh: f.title().zh().to_owned(),
            stage: f.stage().code().to_owned(),
            sector: f.sector().map(|s| s.code().to_owned()),
            place: f.place().map(|p| p.as_str().to_owned()),
            pledged: f.pledged().map(MoneyDto::from),
            realised: f.realised().map(MoneyDto::from),
            jobs_pledged: f.jobs_pledged(),
            jobs_realised: f.jobs_realised(),
            visibility: f.visibility().code().to_owned(),
            programme: f.programme().map(|p| p.code().to_owned()),
            announced_year: f.announced().map(|y| y.get()),
            output_pledged: f.output_pledged().map(MoneyDto::from),
            output_realised: f.output_realised().map(MoneyDto::from),
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

fn parse_money(field: &str, input: Option<MoneyInput>) -> Result<Option<Money>, ApiError> {
    let Some(input) = input else { return Ok(None) };
    let currency = match input.currency.as_deref() {
        None => Currency::Hkd,
        Some(code) => {
            Currency::parse(code).map_err(|e| ApiError::field(&format!("{field}.currency"), e))?
        }
    };
    let money = Money::parse_amount(&input.amount, currency)
        .map_err(|e| ApiError::field(&format!("{field}.amount"), e))?;
    if money.cents() < 0 {
        return Err(ApiError::field(
            &format!("{field}.amount"),
            "must not be negative",
        ));
    }
    Ok(Some(money))
}

/// Parses the wire input into the domain type, naming the first bad field.
pub(crate) async fn parse_project(
    state: &AppState,
    input: ProjectInput,
) -> Result<Project, ApiError> {
    let title = BilingualText::new(input.title_en, input.title_zh)
        .map_err(|e| ApiError::field("title_en/title_zh", e))?;
    let stage = ProjectStage::parse(&input.stage).map_err(|e| ApiError::field("stage", e))?;
    let sector = input
        .sector
        .filter(|s| !s.trim().is_empty())
        .map(|s| ManufacturingSector::parse(&s).map_err(|e| ApiError::field("sector", e)))
        .transpose()?;
    let place = match input.place.filter(|s| !s.trim().is_empty()) {
        Some(text) => {
            let code = PlaceCode::parse(&text).map_err(|e| ApiError::field("place", e))?;
            if !state.store().place_exists(&code).await? {
                return Err(ApiError::field(
                    "place",
                    format!("unknown place \"{code}\"; see /api/v1/reference/places"),
                ));
            }
            Some(code)
        }
        None => None,
    };
    let visibility = match input.visibility.as_deref() {
        None => Visibility::Private,
        Some(v) => Visibility::parse(v).map_err(|e| ApiError::field("visibility", e))?,
    };
    let pledged = parse_money("pledged", input.pledged)?;
    let realised = parse_money("realised", input.realised)?;
    let output_pledged = parse_money("output_pledged", input.output_pledged)?;
    let output_realised = parse_money("output_realised", input.output_realised)?;
    let programme = input
        .programme
        .filter(|s| !s.trim().is_empty())
        .map(|s| Programme::parse(&s).map_err(|e| ApiError::field("programme", e)))
        .transpose()?;
    let announced = input
        .announced_year
        .map(|y| Year::new(y).map_err(|e| ApiError::field("announced_year", e)))
        .transpose()?;
    // Cross-field rules (one currency, nothing realised before landing) are the domain type's.
    Project::new(ProjectParts {
        title,
        stage,
        sector,
        place,
        pledged,
        realised,
        jobs_pledged: input.jobs_pledged,
        jobs_realised: input.jobs_realised,
        visibility,
        programme,
        announced,
        output_pledged,
        output_realised,
    })
    .map_err(|e| ApiError::field("project", e))
}

pub(crate) fn owner_org(user: &store::UserRecord) -> Result<OrgId, ApiError> {
    user.org.ok_or_else(|| {
        ApiError::Forbidden(
            "only a member of an organisation can create projects; administrators act for none"
                .into(),
        )
    })
}

/// Projects the caller may see: public ones, and the caller's organisation's own.
#[utoipa::path(get, path = "/projects", tag = "projects", security((), ("bearer" = [])),
    responses((status = 200, body = [ProjectDto]), (status = 401, body = crate::error::ErrorBody)))]
async fn list_projects(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<ProjectDto>>, ApiError> {
    let projects = state
        .store()
        .projects(access_of(caller.user.as_ref()))
        .await?;
    Ok(Json(projects.into_iter().map(ProjectDto::from).collect()))
}

/// Creates a project owned by the caller's organisation (private unless `visibility` is `public`).
#[utoipa::path(post, path = "/projects", tag = "projects", security(("bearer" = [])), request_body = ProjectInput,
    responses((status = 201, body = ProjectDto), (status = 400, body = crate::error::ErrorBody),
              (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
async fn create_project(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiJson(input): ApiJson<ProjectInput>,
) -> Result<(StatusCode, Json<ProjectDto>), ApiError> {
    let user = &caller.user;
    let org = owner_org(user)?;
    let project = parse_project(&state, input).await?;
    let id = state
        .store()
        .create_project(&caller.audit(), org, &project)
        .await?;
    let stored = state.store().project(access_of(Some(user)), id).await?;
    Ok((StatusCode::CREATED, Json(stored.into())))
}

/// One project, if the caller may see it (otherwise 404, whether or not it exists).
#[utoipa::path(get, path = "/projects/{id}", tag = "projects", security((), ("bearer" = [])),
    params(("id" = i64, Path, description = "Project id")),
    responses((status = 200, body = ProjectDto), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn get_project(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProjectDto>, ApiError> {
    let project = state
        .store()
        .project(access_of(caller.user.as_ref()), ProjectId::new(id))
        .await?;
    Ok(Json(project.into()))
}

/// Replaces a project's fields; only its organisation (or an administrator) may.
#[utoipa::path(put, path = "/projects/{id}", tag = "projects", security(("bearer" = [])), request_body = ProjectInput,
    params(("id" = i64, Path, description = "Project id")),
    responses((status = 200, body = ProjectDto), (status = 400, body = crate::error::ErrorBody),
              (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
async fn update_project(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ProjectInput>,
) -> Result<Json<ProjectDto>, ApiError> {
    let user = &caller.user;
    let access = access_of(Some(user));
    let id = ProjectId::new(id);
    // Look first, so that a project the caller cannot see is a 404 before any field is judged.
    state.store().project(access, id).await?;
    let update = parse_project(&state, input).await?;
    state
        .store()
        .update_project(&caller.audit(), access, id, &update)
        .await?;
    Ok(Json(state.store().project(access, id).await?.into()))
}
