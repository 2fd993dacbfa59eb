//! The industry statistics page: the study's measure of industry with the trace of every
//! figure, and the registry of Hong Kong-invested manufacturers, with charts.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use refdata::RegistryDimension;
use serde::Deserialize;

use crate::api::stats::{figure_rows, version_contribution, versions, FigureDto, VersionDto};
use crate::api::MoneyDto;
use crate::charts::{bar_chart, Bar};
use crate::context::PageContext;
use crate::pages::{error_page, hkd_billions, render, store_error_page};
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/stats", get(stats_page))
        .route("/stats/report", get(report))
}

/// A figure as shown, with its trace.
pub(crate) struct FigureView {
    pub label: String,
    pub indent: bool,
    pub value: String,
    pub share: String,
    pub trace: Vec<String>,
}

pub(crate) struct RegistryView {
    pub title: String,
    pub rows: Vec<(String, String, String)>,
    pub chart: String,
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage<'a> {
    ctx: &'a PageContext,
    year: i16,
    years: Vec<i16>,
    gdp: String,
    gdp_note: String,
    figures: Vec<FigureView>,
    component_chart: String,
    registry: Vec<RegistryView>,
    consistency: String,
    version: i64,
    versions: Vec<VersionDto>,
}

#[derive(Deserialize)]
pub(crate) struct StatsQuery {
    year: Option<i16>,
    version: Option<i64>,
}

fn label(ctx: &PageContext, figure: &FigureDto) -> String {
    let t = &ctx.t;
    match (figure.component.as_str(), figure.subgroup.as_deref()) {
        ("total", _) => t.s("reference.all_industry").to_owned(),
        (_, Some(sub)) => t.k("subgroup.", sub),
        (component, None) => t.k("component.", component),
    }
}

fn billions(ctx: &PageContext, money: &MoneyDto) -> String {
    hkd_billions(&ctx.t, vocab::Money::hkd(money.cents))
}

async fn stats_page(
    State(state): State<AppState>,
    ctx: PageContext,
    Query(query): Query<StatsQuery>,
) -> Response {
    let (result, years) = match version_contribution(&state, query.version, query.year).await {
        Ok(v) => v,
        Err(err) => {
            return error_page(
                &ctx,
                StatusCode::BAD_REQUEST,
                "stats.title",
                err.to_string(),
            )
        }
    };
    let rows = figure_rows(&result);
    let figures: Vec<FigureView> = rows
        .iter()
        .map(|f| FigureView {
            label: label(&ctx, f),
            indent: f.subgroup.is_some()
                || (f.component != "total" && f.component != "producer_services"),
            value: f
                .value
                .as_ref()
                .map(|v| billions(&ctx, v))
                .unwrap_or_else(|| "—".into()),
            share: f
                .share_pct
                .clone()
                .map(|s| format!("{s}%"))
                .unwrap_or_else(|| "—".into()),
            trace: f
                .trace
                .iter()
                .map(|t| {
                    let name = if ctx.t.is_zh() {
                        &t.name_zh
                    } else {
                        &t.name_en
                    };
                    format!(
                        "{name} ({}) × {} = {}",
                        billions(&ctx, &t.line_value),
                        t.weight,
                        billions(&ctx, &t.contributed)
                    )
                })
                .collect(),
        })
        .collect();
    let bars: Vec<Bar> = rows
        .iter()
        .filter(|f| {
            f.subgroup.is_none() && !matches!(f.component.as_str(), "total" | "producer_services")
        })
        .map(|f| Bar {
            label: label(&ctx, f),
            value: f.value.as_ref().map_or(0.0, |m| m.cents as f64),
            value_text: format!(
                "{}{}",
                f.value
                    .as_ref()
                    .map(|v| billions(&ctx, v))
                    .unwrap_or_default(),
                f.share_pct
                    .as_deref()
                    .map(|s| format!(" ({s}%)"))
                    .unwrap_or_default()
            ),
        })
        .collect();
    let component_chart = bar_chart("component-chart", ctx.t.s("stats.component_chart"), &bars);

    let data = match state.reference_data().await {
        Ok(data) => data,
        Err(err) => return store_error_page(&ctx, err),
    };
    let place_name = |code: &vocab::PlaceCode| {
        data.places
            .iter()
            .find(|p| p.place.code() == code)
            .map_or_else(
                || code.as_str().to_owned(),
                |p| p.name.get(ctx.t.is_zh()).to_owned(),
            )
    };
    let mut registry = Vec::new();
    for (dimension, title_key) in [
        ("province", "stats.by_province"),
        ("city", "stats.by_city"),
        ("sector", "stats.by_sector"),
    ] {
        let mut rows = Vec::new();
        let mut bars = Vec::new();
        for count in data
            .registry
            .iter()
            .filter(|r| r.dimension.code() == dimension)
        {
            let name = match &count.dimension {
                RegistryDimension::Province(c) | RegistryDimension::City(c) => place_name(c),
                RegistryDimension::Sector(s) => ctx.t.k("sector.", s.code()),
                RegistryDimension::Total => continue,
            };
            let share = count.share.map(|p| format!("{p}%")).unwrap_or_default();
            bars.push(Bar {
                label: name.clone(),
                value: f64::from(count.enterprises),
                value_text: count.enterprises.to_string(),
            });
            rows.push((name, count.enterprises.to_string(), share));
        }
        let title = ctx.t.s(title_key).to_owned();
        let chart = bar_chart(&format!("registry-{dimension}"), &title, &bars);
        registry.push(RegistryView { title, rows, chart });
    }
    let consistency = match crate::api::stats::published_consistency(&data) {
        Ok(report) => match (&report.implied_gdp, report.all_consistent) {
            (Some(interval), true) => ctx.t.f(
                "stats.consistent",
                &[
                    ("n", &report.figures.len().to_string()),
                    ("lower", &hkd_billions(&ctx.t, interval.lower)),
                    (
                        "upper",
                        &interval
                            .upper
                            .map(|u| hkd_billions(&ctx.t, u))
                            .unwrap_or_else(|| "∞".into()),
                    ),
                ],
            ),
            _ => {
                let flagged: Vec<String> = report
                    .figures
                    .iter()
                    .filter(|f| !f.consistent)
                    .map(|f| f.label.clone())
                    .collect();
                ctx.t
                    .f("stats.inconsistent", &[("figures", &flagged.join(", "))])
            }
        },
        Err(err) => err.to_string(),
    };
    let all_versions = match versions(&state).await {
        Ok(v) => v,
        Err(err) => {
            return error_page(
                &ctx,
                StatusCode::SERVICE_UNAVAILABLE,
                "error.unavailable",
                err.to_string(),
            )
        }
    };
    let gdp = result.gdp.as_ref();
    render(&StatsPage {
        version: query.version.unwrap_or(0),
        versions: all_versions,
        consistency,
        ctx: &ctx,
        year: result.year.get(),
        years,
        gdp: gdp
            .map(|g| hkd_billions(&ctx.t, g.value()))
            .unwrap_or_else(|| "—".into()),
        gdp_note: if gdp.is_some() {
            ctx.t.s("stats.gdp_note").to_owned()
        } else {
            ctx.t.s("stats.no_gdp").to_owned()
        },
        figures,
        component_chart,
        registry,
    })
}

/// The printable thematic report. It is self-contained (inline styles and charts), so it gets a
/// policy of its own that allows inline styles and nothing else.
async fn report(State(state): State<AppState>, ctx: PageContext) -> Response {
    let data = match state.reference_data().await {
        Ok(data) => data,
        Err(err) => return store_error_page(&ctx, err),
    };
    match crate::report::industry_report_with(ctx.t.clone(), &data) {
        Ok(html) => (
            [(
                axum::http::header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
            )],
            axum::response::Html(html),
        )
            .into_response(),
        Err(err) => {
            tracing::error!(error = %err, "report failed to render");
            error_page(&ctx, StatusCode::INTERNAL_SERVER_ERROR, "error.unavailable", ctx.t.s("error.unavailable_text").to_owned())
        }
    }
}
