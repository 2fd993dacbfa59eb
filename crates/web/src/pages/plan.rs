//! The network planner pages: write, paste or prefill a model (from the example or from the
//! site finder's locations and costs), run it with its scenarios as a background job, follow
//! its progress, and read the footprint on a map, the flows, and the scenarios side by side.
//! Runs are private to the organisation that queued them.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use planner::{Comparison, NetworkModel, NetworkPlan, ScenarioOutcome};
use serde::Deserialize;
use store::{PlanJobRecord, PlanJobStatus};

use crate::api::plan::{queue, DEFAULT_TIME_LIMIT_SECONDS};
use crate::charts::{bar_chart, flow_map, Bar, FlowLine, FlowNode};
use crate::context::PageContext;
use crate::error::ApiError;
use crate::pages::{csrf_refused, error_page, hkd_millions_rounded, render, store_error_page};
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/plan",
            get(planner_page)
                .post(run)
                .layer(DefaultBodyLimit::max(MAX_MODEL_BYTES + 64 * 1024)),
        )
        .route("/plan/{id}", get(job_page))
}

/// The site finder locations a prefilled model starts from: the worked example's four.
const DEFAULT_CANDIDATES: &str = "cn-dongguan,cn-chongqing-liangjiang,vn-bac-ninh,hk-san-tin";

#[derive(Debug, Deserialize, Default)]
pub(crate) struct PrefillQuery {
    /// A site finder profile to build the model from.
    profile: Option<String>,
    /// Site finder location codes, comma-separated.
    candidates: Option<String>,
}

struct JobRow {
    id: i64,
    name: String,
    status: String,
    progress: String,
    created_at: String,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlannerPage<'a> {
    ctx: &'a PageContext,
    model: String,
    scenarios: String,
    time_limit: i64,
    error: Option<String>,
    profiles: Vec<&'static str>,
    profile: String,
    candidates: String,
    jobs: Vec<JobRow>,
}

fn status_label(ctx: &PageContext, status: PlanJobStatus) -> String {
    ctx.t.k("plan.status.", status.code())
}

impl<'a> PlannerPage<'a> {
    async fn new(
        state: &AppState,
        ctx: &'a PageContext,
        model: String,
        prefill: &PrefillQuery,
    ) -> Result<PlannerPage<'a>, store::StoreError> {
        let jobs = match ctx.user {
            Some(_) => state.store().plan_jobs(ctx.access(), 20).await?,
            None => Vec::new(),
        };
        Ok(PlannerPage {
            ctx,
            model,
            scenarios: String::new(),
            time_limit: DEFAULT_TIME_LIMIT_SECONDS,
            error: None,
            profiles: siting::SHIPPED_PROFILES.iter().map(|(c, _)| *c).collect(),
            profile: prefill
                .profile
                .clone()
                .unwrap_or_else(|| "electronics-assembly".to_owned()),
            candidates: prefill
                .candidates
                .clone()
                .unwrap_or_else(|| DEFAULT_CANDIDATES.to_owned()),
            jobs: jobs
                .into_iter()
                .map(|job| JobRow {
                    id: job.id,
                    status: status_label(ctx, job.status),
                    progress: format!("{}/{}", job.done_steps, job.total_steps),
                    name: job.name,
                    created_at: job.created_at,
                })
                .collect(),
        })
    }
}

/// The model a prefill query asks for, as pretty JSON.
fn prefilled_model(prefill: &PrefillQuery) -> Result<String, String> {
    let Some(profile_code) = &prefill.profile else {
        return Ok(planner::EXAMPLE_MODEL.to_owned());
    };
    let profile = match siting::shipped_profile(profile_code) {
        Some(Ok(profile)) => profile,
        Some(Err(err)) => return Err(err.to_string()),
        None => return Err(format!("profile: no profile `{profile_code}`")),
    };
    let codes: Vec<&str> = prefill
        .candidates
        .as_deref()
        .unwrap_or(DEFAULT_CANDIDATES)
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let data = siting::LocationData::shipped();
    let model = planner::model_from_site_finder(&data, &profile, &codes, Some(2))
        .map_err(|e| e.to_string())?;
    Ok(model.to_json())
}

async fn planner_page(
    State(state): State<AppState>,
    ctx: PageContext,
    Query(prefill): Query<PrefillQuery>,
) -> Response {
    let (model, error) = match prefilled_model(&prefill) {
        Ok(model) => (model, None),
        Err(error) => (planner::EXAMPLE_MODEL.to_owned(), Some(error)),
    };
    match PlannerPage::new(&state, &ctx, model, &prefill).await {
        Ok(mut page) => {
            let status = if error.is_some() {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::OK
            };
            page.error = error;
            (status, render(&page)).into_response()
        }
        Err(err) => store_error_page(&ctx, err),
    }
}

/// The largest model file the form takes; the example is about 6 KB.
pub(crate) const MAX_MODEL_BYTES: usize = 2 * 1024 * 1024;

/// The planner form as posted (multipart, so a model file can be uploaded).
#[derive(Debug, Default)]
pub(crate) struct RunForm {
    csrf: String,
    model: String,
    scenarios: String,
    time_limit: String,
}

impl RunForm {
    /// Reads the form; an uploaded file, when one is chosen, replaces the text area.
    async fn read(mut multipart: Multipart) -> Result<RunForm, String> {
        let mut form = RunForm::default();
        let mut uploaded = None;
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| format!("form: {e}"))?
        {
            let name = field.name().unwrap_or("").to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let bytes = field.bytes().await.map_err(|e| format!("{name}: {e}"))?;
            if name == "model_file" {
                if bytes.is_empty() {
                    continue;
                }
                let file = file_name.unwrap_or_else(|| "the uploaded file".to_owned());
                if bytes.len() > MAX_MODEL_BYTES {
                    return Err(format!(
                        "{file}: {} bytes is more than the {MAX_MODEL_BYTES} a model may have",
                        bytes.len()
                    ));
                }
                let text = String::from_utf8(bytes.to_vec()).map_err(|e| {
                    format!(
                        "{file}: not UTF-8 text (byte {})",
                        e.utf8_error().valid_up_to()
                    )
                })?;
                uploaded = Some(text);
                continue;
            }
            let text = String::from_utf8_lossy(&bytes).into_owned();
            match name.as_str() {
                "csrf" => form.csrf = text,
                "model" => form.model = text,
                "scenarios" => form.scenarios = text,
                "time_limit" => form.time_limit = text,
                _ => {}
            }
        }
        if let Some(text) = uploaded {
            form.model = text;
        }
        Ok(form)
    }
}

/// Queues the posted model; a bad one comes back in the form with the reason.
async fn run(State(state): State<AppState>, ctx: PageContext, multipart: Multipart) -> Response {
    let form = match RunForm::read(multipart).await {
        Ok(form) => form,
        Err(message) => {
            return error_page(&ctx, StatusCode::BAD_REQUEST, "plan.title", message);
        }
    };
    if !ctx.csrf_ok(&form.csrf) {
        return csrf_refused(&ctx);
    }
    let Some(user) = ctx.user.as_ref() else {
        return Redirect::to("/sign-in").into_response();
    };
    let scenarios = match form.scenarios.trim() {
        "" | "all" => None,
        "none" => Some(Vec::new()),
        names => Some(
            names
                .split(',')
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())
                .collect(),
        ),
    };
    let time_limit = match form.time_limit.trim() {
        "" => Ok(None),
        text => text
            .parse::<i64>()
            .map(Some)
            .map_err(|_| ApiError::BadRequest {
                code: "invalid_field",
                message: format!("time_limit_seconds: `{text}` is not a whole number of seconds"),
            }),
    };
    let queued = match time_limit {
        Ok(limit) => {
            queue(
                &state,
                user,
                &ctx.audit("web"),
                Some(form.model.clone()),
                scenarios,
                limit,
            )
            .await
        }
        Err(err) => Err(err),
    };
    match queued {
        Ok(id) => Redirect::to(&format!("/plan/{id}")).into_response(),
        Err(ApiError::BadRequest { message, .. }) => {
            match PlannerPage::new(&state, &ctx, form.model, &PrefillQuery::default()).await {
                Ok(mut page) => {
                    page.error = Some(message);
                    page.scenarios = form.scenarios;
                    page.time_limit = form
                        .time_limit
                        .trim()
                        .parse()
                        .unwrap_or(DEFAULT_TIME_LIMIT_SECONDS);
                    (StatusCode::BAD_REQUEST, render(&page)).into_response()
                }
                Err(err) => store_error_page(&ctx, err),
            }
        }
        Err(other) => error_page(
            &ctx,
            StatusCode::SERVICE_UNAVAILABLE,
            "error.unavailable",
            other.to_string(),
        ),
    }
}

struct PlantRow {
    name: String,
    country: String,
    option: String,
    capacity: u64,
    units: u64,
    fixed: String,
}

struct FlowRow {
    plant: String,
    market: String,
    product: String,
    units: u64,
    production: String,
    freight: String,
    tariff: String,
}

struct PlanView {
    total: String,
    items: Vec<(String, String)>,
    proof: String,
    optimal: bool,
    plants: Vec<PlantRow>,
    flows: Vec<FlowRow>,
    map: String,
    chart: String,
}

struct ScenarioRow {
    name: String,
    description: String,
    total: String,
    change: String,
    opened: String,
    closed: String,
    resized: String,
    countries: String,
    failed: Option<String>,
    plan: Option<PlanView>,
}

#[derive(Template)]
#[template(path = "plan_job.html")]
struct JobPage<'a> {
    ctx: &'a PageContext,
    id: i64,
    name: String,
    status: String,
    running: bool,
    done_steps: i64,
    total_steps: i64,
    error: Option<String>,
    findings: Vec<String>,
    source: String,
    base: Option<PlanView>,
    scenarios: Vec<ScenarioRow>,
}

fn plan_view(
    ctx: &PageContext,
    model: Option<&NetworkModel>,
    plan: &NetworkPlan,
    id: &str,
) -> PlanView {
    let money = |m: vocab::Money| hkd_millions_rounded(&ctx.t, m);
    let c = &plan.costs;
    let proof = if plan.optimal {
        ctx.t.s("plan.proven").to_owned()
    } else {
        ctx.t.f(
            "plan.not_proven",
            &[
                ("status", &plan.status),
                ("gap", &format!("{:.2}", plan.gap * 100.0)),
            ],
        )
    };
    let mut nodes = Vec::new();
    let mut lines = Vec::new();
    if let Some(model) = model {
        let mut index = std::collections::HashMap::new();
        for (plant, result) in model.plants().iter().zip(&plan.plants) {
            if let (Some(c), true) = (plant.coordinates, result.option.is_some()) {
                index.insert(plant.code.as_str(), nodes.len());
                nodes.push(FlowNode {
                    name: plant.name.clone(),
                    lat: c.lat(),
                    lon: c.lon(),
                    is_plant: true,
                    units: result.units as f64,
                    value_text: result.units.to_string(),
                });
            }
        }
        let mut market_index = std::collections::HashMap::new();
        for market in model.markets() {
            if let Some(c) = market.coordinates {
                market_index.insert(market.code.as_str(), nodes.len());
                nodes.push(FlowNode {
                    name: market.name.clone(),
                    lat: c.lat(),
                    lon: c.lon(),
                    is_plant: false,
                    units: 0.0,
                    value_text: String::new(),
                });
            }
        }
        let mut by_lane: std::collections::BTreeMap<(usize, usize), u64> = Default::default();
        for flow in &plan.flows {
            if let (Some(&a), Some(&b)) = (
                index.get(flow.plant.as_str()),
                market_index.get(flow.market.as_str()),
            ) {
                *by_lane.entry((a, b)).or_default() += flow.units;
            }
        }
        for ((from, to), units) in by_lane {
            lines.push(FlowLine {
                from,
                to,
                units: units as f64,
                value_text: units.to_string(),
            });
        }
    }
    let map = if nodes.is_empty() {
        String::new()
    } else {
        flow_map(&format!("{id}-map"), ctx.t.s("plan.map"), &nodes, &lines)
    };
    let bars: Vec<Bar> = plan
        .countries
        .iter()
        .map(|c| Bar {
            label: c.country.to_string(),
            value: c.units as f64,
            value_text: ctx.t.f(
                "plan.units_from",
                &[
                    ("units", &c.units.to_string()),
                    ("plants", &c.open_plants.to_string()),
                ],
            ),
        })
        .collect();
    let plant_name = |code: &str| {
        model
            .and_then(|m| m.plants().iter().find(|p| p.code == code))
            .map_or(code.to_owned(), |p| p.name.clone())
    };
    let market_name = |code: &str| {
        model
            .and_then(|m| m.markets().iter().find(|p| p.code == code))
            .map_or(code.to_owned(), |p| p.name.clone())
    };
    PlanView {
        total: money(c.total),
        items: vec![
            (ctx.t.s("plan.item.fixed").to_owned(), money(c.fixed)),
            (
                ctx.t.s("plan.item.production").to_owned(),
                money(c.production),
            ),
            (ctx.t.s("plan.item.freight").to_owned(), money(c.freight)),
            (ctx.t.s("plan.item.tariff").to_owned(), money(c.tariff)),
        ],
        proof,
        optimal: plan.optimal,
        plants: plan
            .plants
            .iter()
            .map(|p| PlantRow {
                name: p.name.clone(),
                country: p.country.to_string(),
                option: p
                    .option
                    .clone()
                    .unwrap_or_else(|| ctx.t.s("plan.closed").to_owned()),
                capacity: p.capacity,
                units: p.units,
                fixed: money(p.fixed_cost),
            })
            .collect(),
        flows: plan
            .flows
            .iter()
            .map(|f| FlowRow {
                plant: plant_name(&f.plant),
                market: market_name(&f.market),
                product: f.product.clone(),
                units: f.units,
                production: money(f.production),
                freight: money(f.freight),
                tariff: money(f.tariff),
            })
            .collect(),
        map,
        chart: bar_chart(
            &format!("{id}-countries"),
            ctx.t.s("plan.by_country"),
            &bars,
        ),
    }
}

/// The findings of an infeasible model, one per line, from the stored error text.
fn findings_of(error: &str) -> Vec<String> {
    let infeasible = planner::PlannerError::NetworkInfeasible {
        findings: Vec::new(),
    }
    .to_string();
    match error.strip_prefix(infeasible.as_str()) {
        Some(rest) => rest.split("; ").map(str::to_owned).collect(),
        None => Vec::new(),
    }
}

fn job_view<'a>(ctx: &'a PageContext, job: PlanJobRecord) -> JobPage<'a> {
    let model = NetworkModel::from_json(&job.model_json).ok();
    let comparison: Option<Comparison> = job
        .result_json
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok());
    let money = |m: vocab::Money| hkd_millions_rounded(&ctx.t, m);
    let signed = |m: vocab::Money| {
        let text = money(m);
        if m.cents() > 0 {
            format!("+{text}")
        } else {
            text
        }
    };
    let list = |items: &[String]| {
        if items.is_empty() {
            "—".to_owned()
        } else {
            items.join(", ")
        }
    };
    let base = comparison
        .as_ref()
        .map(|c| plan_view(ctx, model.as_ref(), &c.base, "base"));
    let scenarios = comparison
        .as_ref()
        .map(|c| {
            c.scenarios
                .iter()
                .enumerate()
                .map(|(k, s)| match &s.outcome {
                    ScenarioOutcome::Solved { plan, delta } => {
                        let changed = model.as_ref().and_then(|m| {
                            m.scenario(&s.name).and_then(|sc| m.with_scenario(sc).ok())
                        });
                        ScenarioRow {
                            name: s.name.clone(),
                            description: s.description.clone(),
                            total: money(plan.costs.total),
                            change: signed(delta.total),
                            opened: list(&delta.opened),
                            closed: list(&delta.closed),
                            resized: list(
                                &delta
                                    .resized
                                    .iter()
                                    .map(|(p, a, b)| format!("{p}: {a} → {b}"))
                                    .collect::<Vec<_>>(),
                            ),
                            countries: delta
                                .units_by_country
                                .iter()
                                .map(|(c, a, b)| format!("{c} {a} → {b}"))
                                .collect::<Vec<_>>()
                                .join(", "),
                            failed: None,
                            plan: Some(plan_view(
                                ctx,
                                changed.as_ref(),
                                plan,
                                &format!("scenario-{k}"),
                            )),
                        }
                    }
                    ScenarioOutcome::Failed { error, .. } => ScenarioRow {
                        name: s.name.clone(),
                        description: s.description.clone(),
                        total: "—".to_owned(),
                        change: "—".to_owned(),
                        opened: "—".to_owned(),
                        closed: "—".to_owned(),
                        resized: "—".to_owned(),
                        countries: String::new(),
                        failed: Some(error.clone()),
                        plan: None,
                    },
                })
                .collect()
        })
        .unwrap_or_default();
    JobPage {
        ctx,
        id: job.id,
        running: matches!(job.status, PlanJobStatus::Queued | PlanJobStatus::Running),
        status: status_label(ctx, job.status),
        name: job.name,
        done_steps: job.done_steps,
        total_steps: job.total_steps,
        findings: job.error.as_deref().map(findings_of).unwrap_or_default(),
        error: job.error,
        source: comparison.map(|c| c.source).unwrap_or_default(),
        base,
        scenarios,
    }
}

async fn job_page(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return store_error_page(&ctx, store::StoreError::NotFound);
    };
    if ctx.user.is_none() {
        return Redirect::to("/sign-in").into_response();
    }
    match state.store().plan_job(ctx.access(), id).await {
        Ok(job) => render(&job_view(&ctx, job)),
        Err(err) => store_error_page(&ctx, err),
    }
}
