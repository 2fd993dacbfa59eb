//! The industry statistics page: the study's measure of industry with the trace of every
//! figure, and the registry of Hong Kong-invested manufacturers, with charts.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use refdata::{ReferenceData, RegistryDimension};
use serde::Deserialize;
use stats::Contribution;

use crate::api::stats::{figure_rows, version_contribution, versions, FigureDto, VersionDto};
use crate::api::MoneyDto;
use crate::charts::{bar_chart, Bar};
use crate::context::PageContext;
use crate::i18n::Tr;
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
    years: &'a [i16],
    gdp: &'a str,
    gdp_note: &'a str,
    figures: &'a [FigureView],
    component_chart: &'a str,
    registry: &'a [RegistryView],
    consistency: &'a str,
    version: i64,
    versions: Vec<VersionDto>,
}

/// The page but for the version list: it depends only on the tables, the language and the
/// year, so for the shipped study it is made once per reference load (formatting it was most
/// of a request's time).
struct StatsBody {
    year: i16,
    years: Vec<i16>,
    gdp: String,
    gdp_note: String,
    figures: Vec<FigureView>,
    component_chart: String,
    registry: Vec<RegistryView>,
    consistency: String,
}

#[derive(Deserialize)]
pub(crate) struct StatsQuery {
    year: Option<i16>,
    version: Option<i64>,
}

fn label(t: &Tr, figure: &FigureDto) -> String {
    match (figure.component.as_str(), figure.subgroup.as_deref()) {
        ("total", _) => t.s("reference.all_industry").to_owned(),
        (_, Some(sub)) => t.k("subgroup.", sub),
        (component, None) => t.k("component.", component),
    }
}

fn billions(t: &Tr, money: &MoneyDto) -> String {
    hkd_billions(t, vocab::Money::hkd(money.cents))
}

async fn stats_page(
    State(state): State<AppState>,
    ctx: PageContext,
    Query(query): Query<StatsQuery>,
) -> Response {
    let version = query.version.unwrap_or(0);
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
    let body = if version == 0 {
        // The year is one of the study's: `version_contribution` refused any other.
        let key = format!("stats-page:{}:{}", ctx.t.lang().code(), result.year.get());
        let t = ctx.t.clone();
        state
            .reference_view(key, move |data| stats_body(&t, data, &result, years))
            .await
    } else {
        state
            .reference_data()
            .await
            .map(|data| Arc::new(stats_body(&ctx.t, &data, &result, years)))
    };
    let body = match body {
        Ok(body) => body,
        Err(err) => return store_error_page(&ctx, err),
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
    render(&StatsPage {
        version,
        versions: all_versions,
        ctx: &ctx,
        year: body.year,
        years: &body.years,
        gdp: &body.gdp,
        gdp_note: &body.gdp_note,
        figures: &body.figures,
        component_chart: &body.component_chart,
        registry: &body.registry,
        consistency: &body.consistency,
    })
}

fn stats_body(t: &Tr, data: &ReferenceData, result: &Contribution, years: Vec<i16>) -> StatsBody {
    let rows = figure_rows(result);
    let figures: Vec<FigureView> = rows
        .iter()
        .map(|f| FigureView {
            label: label(t, f),
            indent: f.subgroup.is_some()
                || (f.component != "total" && f.component != "producer_services"),
            value: f
                .value
                .as_ref()
                .map(|v| billions(t, v))
                .unwrap_or_else(|| "—".into()),
            share: f
                .share_pct
                .clone()
                .map(|s| format!("{s}%"))
                .unwrap_or_else(|| "—".into()),
            trace: f
                .trace
                .iter()
                .map(|line| {
                    let name = if t.is_zh() {
                        &line.name_zh
                    } else {
                        &line.name_en
                    };
                    format!(
                        "{name} ({}) × {} = {}",
                        billions(t, &line.line_value),
                        line.weight,
                        billions(t, &line.contributed)
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
            label: label(t, f),
            value: f.value.as_ref().map_or(0.0, |m| m.cents as f64),
            value_text: format!(
                "{}{}",
                f.value.as_ref().map(|v| billions(t, v)).unwrap_or_default(),
                f.share_pct
                    .as_deref()
                    .map(|s| format!(" ({s}%)"))
                    .unwrap_or_default()
            ),
        })
        .collect();
    let component_chart = bar_chart("component-chart", t.s("stats.component_chart"), &bars);

    let place_name = |code: &vocab::PlaceCode| {
        data.places
            .iter()
            .find(|p| p.place.code() == code)
            .map_or_else(
                || code.as_str().to_owned(),
                |p| p.name.get(t.is_zh()).to_owned(),
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
                RegistryDimension::Sector(s) => t.k("sector.", s.code()),
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
        let title = t.s(title_key).to_owned();
        let chart = bar_chart(&format!("registry-{dimension}"), &title, &bars);
        registry.push(RegistryView { title, rows, chart });
    }
    let consistency = match crate::api::stats::published_consistency(data) {
        Ok(report) => match (&report.implied_gdp, report.all_consistent) {
            (Some(interval), true) => t.f(
                "stats.consistent",
                &[
                    ("n", &report.figures.len().to_string()),
                    ("lower", &hkd_billions(t, interval.lower)),
                    (
                        "upper",
                        &interval
                            .upper
                            .map(|u| hkd_billions(t, u))
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
                t.f("stats.inconsistent", &[("figures", &flagged.join(", "))])
            }
        },
        Err(err) => err.to_string(),
    };
    let gdp = result.gdp.as_ref();
    StatsBody {
        year: result.year.get(),
        years,
        gdp: gdp
            .map(|g| hkd_billions(t, g.value()))
            .unwrap_or_else(|| "—".into()),
        gdp_note: if gdp.is_some() {
            t.s("stats.gdp_note").to_owned()
        } else {
            t.s("stats.no_gdp").to_owned()
        },
        figures,
        component_chart,
        registry,
        consistency,
    }
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
