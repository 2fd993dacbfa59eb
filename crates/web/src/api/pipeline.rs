//! The investment pipeline over the API: the dashboard of pledged against realised investment,
//! jobs and output, the items behind it, and projects' milestones.
//!
//! The items are the published pledges (public) and the projects the caller may see: an
//! organisation's private projects count only in its own and officers' dashboards.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use pipeline::{Dashboard, Group, ItemSource, PipelineItem, Totals};
use serde::{Deserialize, Serialize};
use store::{Access, MilestoneRecord, StoreError};
use time::Date;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vocab::{BilingualText, ProjectId, Visibility};

use crate::api::{ApiJson, ApiPath, Caller, MoneyDto, SignedIn};
use crate::context::access_of;
use crate::error::ApiError;
use crate::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_dashboard))
        .routes(routes!(list_milestones, add_milestone))
        .routes(routes!(set_milestone_done))
}

/// Every pipeline item `access` may see: published pledges first, then projects.
pub(crate) async fn pipeline_items(
    state: &AppState,
    access: Access,
) -> Result<Vec<PipelineItem>, StoreError> {
    let data = state.reference_data().await?;
    let mut items: Vec<PipelineItem> = data
        .pledges
        .iter()
        .map(|p| PipelineItem {
            year: pipeline::year_of_announcement(&p.announced),
            key: p.code.clone(),
            title: p.title.clone(),
            organisation: Some(p.organisation.clone()),
            stage: p.stage,
            sector: p.sector,
            programme: p.programme,
            pledged: p.pledged,
            realised: None,
            jobs_pledged: p.jobs,
            jobs_realised: None,
            output_pledged: None,
            output_realised: None,
            source: ItemSource::Reference {
                provenance: p.source.clone(),
            },
            private: false,
        })
        .collect();
    for record in state.projects(access).await?.iter() {
        let p = &record.project;
        items.push(PipelineItem {
            key: format!("project-{}", record.id),
            title: p.title().clone(),
            organisation: None,
            stage: p.stage(),
            sector: p.sector(),
            programme: p.programme(),
            year: p.announced(),
            pledged: p.pledged(),
            realised: p.realised(),
            jobs_pledged: p.jobs_pledged(),
            jobs_realised: p.jobs_realised(),
            output_pledged: p.output_pledged(),
            output_realised: p.output_realised(),
            source: ItemSource::ReportedBy { org: record.org },
            private: p.visibility() == Visibility::Private,
        });
    }
    Ok(items)
}

/// The dashboard over `items`; a failure to add up is a fault, not the caller's.
pub(crate) fn dashboard_of(items: &[PipelineItem]) -> Result<Dashboard, ApiError> {
    pipeline::dashboard(items).map_err(|e| ApiError::Internal(anyhow::anyhow!("pipeline: {e}")))
}

/// Sums over a set of items (amounts in HKD).
#[derive(Debug, Serialize, ToSchema)]
pub struct TotalsDto {
    /// Items counted.
    pub items: u32,
    /// Items in another currency: counted, not summed.
    pub other_currency: u32,
    /// Investment pledged.
    pub pledged: MoneyDto,
    /// Investment realised.
    pub realised: MoneyDto,
    /// Items with a pledged amount.
    pub with_pledged_amount: u32,
    /// Items with a realised amount reported.
    pub with_realised_amount: u32,
    /// Realised as a share of pledged, in percent to one decimal.
    pub realised_share_pct: Option<String>,
    /// Jobs pledged.
    pub jobs_pledged: u64,
    /// Jobs created.
    pub jobs_realised: u64,
    /// Jobs created as a share of jobs pledged, in percent to one decimal.
    pub jobs_share_pct: Option<String>,
    /// Output a year pledged.
    pub output_pledged: MoneyDto,
    /// Output a year achieved.
    pub output_realised: MoneyDto,
}

impl TotalsDto {
    fn new(t: &Totals) -> Result<TotalsDto, ApiError> {
        let pct = |p: Result<Option<vocab::Percent>, pipeline::PipelineError>| {
            p.map(|p| p.map(|p| p.to_string()))
                .map_err(|e| ApiError::Internal(anyhow::anyhow!("pipeline: {e}")))
        };
        Ok(TotalsDto {
            items: t.items,
            other_currency: t.other_currency,
            pledged: t.pledged.into(),
            realised: t.realised.into(),
            with_pledged_amount: t.with_pledged_amount,
            with_realised_amount: t.with_realised_amount,
            realised_share_pct: pct(t.realised_share())?,
            jobs_pledged: t.jobs_pledged,
            jobs_realised: t.jobs_realised,
            jobs_share_pct: pct(t.jobs_share())?,
            output_pledged: t.output_pledged.into(),
            output_realised: t.output_realised.into(),
        })
    }
}

/// One group of a view.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupDto {
    /// The group's code (stage, sector, year or programme); null for "not stated".
    pub key: Option<String>,
    /// Its sums.
    pub totals: TotalsDto,
}

fn groups<K>(groups: &[Group<K>], code: impl Fn(&K) -> String) -> Result<Vec<GroupDto>, ApiError> {
    groups
        .iter()
        .map(|g| {
            Ok(GroupDto {
                key: g.key.as_ref().map(&code),
                totals: TotalsDto::new(&g.totals)?,
            })
        })
        .collect()
}

/// One item in the pipeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct PipelineItemDto {
    /// The pledge's code or `project-<id>`.
    pub key: String,
    /// Title in English.
    pub title_en: String,
    /// Title in Traditional Chinese.
    pub title_zh: String,
    /// Investor in English, for published pledges.
    pub organisation_en: Option<String>,
    /// Investor in Traditional Chinese.
    pub organisation_zh: Option<String>,
    /// Stage code.
    pub stage: String,
    /// Sector code.
    pub sector: Option<String>,
    /// Programme code.
    pub programme: Option<String>,
    /// Year announced.
    pub year: Option<i16>,
    /// Investment pledged.
    pub pledged: Option<MoneyDto>,
    /// Investment realised.
    pub realised: Option<MoneyDto>,
    /// Jobs pledged.
    pub jobs_pledged: Option<u32>,
    /// Jobs created.
    pub jobs_realised: Option<u32>,
    /// Output a year pledged.
    pub output_pledged: Option<MoneyDto>,
    /// Output a year achieved.
    pub output_realised: Option<MoneyDto>,
    /// `published: <document>`, `indicative`, `synthetic`, or `reported: <org id>`.
    pub source: String,
    /// Whether only its organisation and officers see it.
    pub private: bool,
}

impl From<&PipelineItem> for PipelineItemDto {
    fn from(i: &PipelineItem) -> Self {
        PipelineItemDto {
            key: i.key.clone(),
            title_en: i.title.en().to_owned(),
            title_zh: i.title.zh().to_owned(),
            organisation_en: i.organisation.as_ref().map(|o| o.en().to_owned()),
            organisation_zh: i.organisation.as_ref().map(|o| o.zh().to_owned()),
            stage: i.stage.code().to_owned(),
            sector: i.sector.map(|s| s.code().to_owned()),
            programme: i.programme.map(|p| p.code().to_owned()),
            year: i.year.map(|y| y.get()),
            pledged: i.pledged.map(MoneyDto::from),
            realised: i.realised.map(MoneyDto::from),
            jobs_pledged: i.jobs_pledged,
            jobs_realised: i.jobs_realised,
            output_pledged: i.output_pledged.map(MoneyDto::from),
            output_realised: i.output_realised.map(MoneyDto::from),
            source: match &i.source {
                ItemSource::Reference { provenance } => provenance.to_string(),
                ItemSource::ReportedBy { org } => format!("reported: {org}"),
            },
            private: i.private,
        }
    }
}

/// The dashboard: totals, four views that each add up to them, and the items.
#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardDto {
    /// Everything the caller may see.
    pub total: TotalsDto,
    /// By stage.
    pub by_stage: Vec<GroupDto>,
    /// By manufacturing division.
    pub by_sector: Vec<GroupDto>,
    /// By year announced.
    pub by_year: Vec<GroupDto>,
    /// By programme or fund.
    pub by_programme: Vec<GroupDto>,
    /// The items.
    pub items: Vec<PipelineItemDto>,
}

/// Pledged against realised investment, jobs and output, by stage, sector, year and programme.
/// Published pledges count for everyone; private projects only for their organisation and
/// officers.
#[utoipa::path(get, path = "/pipeline", tag = "pipeline", security((), ("bearer" = [])),
    responses((status = 200, body = DashboardDto)))]
async fn get_dashboard(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<DashboardDto>, ApiError> {
    let items = pipeline_items(&state, access_of(caller.user.as_ref())).await?;
    let d = dashboard_of(&items)?;
    Ok(Json(DashboardDto {
        total: TotalsDto::new(&d.total)?,
        by_stage: groups(&d.by_stage, |s| s.code().to_owned())?,
        by_sector: groups(&d.by_sector, |s| s.code().to_owned())?,
        by_year: groups(&d.by_year, |y| y.get().to_string())?,
        by_programme: groups(&d.by_programme, |p| p.code().to_owned())?,
        items: items.iter().map(PipelineItemDto::from).collect(),
    }))
}

/// A milestone as returned.
#[derive(Debug, Serialize, ToSchema)]
pub struct MilestoneDto {
    /// Id.
    pub id: i64,
    /// Title in English.
    pub title_en: String,
    /// Title in Traditional Chinese.
    pub title_zh: String,
    /// Due date (YYYY-MM-DD).
    pub due_on: String,
    /// Date done, if done.
    pub done_on: Option<String>,
}

impl From<MilestoneRecord> for MilestoneDto {
    fn from(m: MilestoneRecord) -> Self {
        MilestoneDto {
            id: m.id,
            title_en: m.title.en().to_owned(),
            title_zh: m.title.zh().to_owned(),
            due_on: m.due_on.to_string(),
            done_on: m.done_on.map(|d| d.to_string()),
        }
    }
}

/// A new milestone.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneInput {
    /// Title in English.
    pub title_en: String,
    /// Title in Traditional Chinese.
    pub title_zh: String,
    /// Due date, YYYY-MM-DD.
    pub due_on: String,
}

/// Marks a milestone done (a date) or not done (null).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneDoneInput {
    /// Date done, YYYY-MM-DD, or null.
    pub done_on: Option<String>,
}

pub(crate) fn parse_date(field: &str, text: &str) -> Result<Date, ApiError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), format).map_err(|e| {
        ApiError::field(
            field,
            format!("\"{text}\" is not a date as YYYY-MM-DD: {e}"),
        )
    })
}

/// A project's milestones, by due date.
#[utoipa::path(get, path = "/pipeline/projects/{id}/milestones", tag = "pipeline",
    security((), ("bearer" = [])), params(("id" = i64, Path, description = "Project id")),
    responses((status = 200, body = [MilestoneDto]), (status = 404, body = crate::error::ErrorBody)))]
async fn list_milestones(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<MilestoneDto>>, ApiError> {
    let access = access_of(caller.user.as_ref());
    let list = state.store().milestones(access, ProjectId::new(id)).await?;
    Ok(Json(list.into_iter().map(MilestoneDto::from).collect()))
}

/// Adds a milestone to one of the caller's organisation's projects.
#[utoipa::path(post, path = "/pipeline/projects/{id}/milestones", tag = "pipeline",
    security(("bearer" = [])), params(("id" = i64, Path, description = "Project id")),
    request_body = MilestoneInput,
    responses((status = 201, body = MilestoneDto), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
async fn add_milestone(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<MilestoneInput>,
) -> Result<(StatusCode, Json<MilestoneDto>), ApiError> {
    let user = &caller.user;
    let title = BilingualText::new(input.title_en, input.title_zh)
        .map_err(|e| ApiError::field("title_en/title_zh", e))?;
    let due_on = parse_date("due_on", &input.due_on)?;
    let project = ProjectId::new(id);
    let access = access_of(Some(user));
    let milestone = state
        .store()
        .add_milestone(&caller.audit(), access, project, &title, due_on)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(MilestoneDto {
            id: milestone,
            title_en: title.en().to_owned(),
            title_zh: title.zh().to_owned(),
            due_on: due_on.to_string(),
            done_on: None,
        }),
    ))
}

/// Marks a milestone done or not done.
#[utoipa::path(put, path = "/pipeline/projects/{id}/milestones/{milestone}", tag = "pipeline",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Project id"), ("milestone" = i64, Path, description = "Milestone id")),
    request_body = MilestoneDoneInput,
    responses((status = 204), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
async fn set_milestone_done(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiPath((id, milestone)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<MilestoneDoneInput>,
) -> Result<StatusCode, ApiError> {
    let user = &caller.user;
    let done_on = input
        .done_on
        .as_deref()
        .map(|t| parse_date("done_on", t))
        .transpose()?;
    state
        .store()
        .set_milestone_done(
            &caller.audit(),
            access_of(Some(user)),
            ProjectId::new(id),
            milestone,
            done_on,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
