//! The site finder: choose a profile and weights, see the ranked candidates, their costs, the
//! sensitivity of the top choice and a map. Every setting is in the URL, so a study is shared
//! by sharing its link.

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use siting::Weights;

use crate::api::sites::{profile_of, run_rank};
use crate::charts::{bar_chart, symbol_map, Bar, Place};
use crate::context::PageContext;
use crate::error::ApiError;
use crate::pages::{coded_reason, error_page, hkd_billions_rounded, hkd_millions_rounded, render};
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/sites", get(site_finder))
        .route("/sites/ranking.csv", get(ranking_csv))
        .route("/sites/compare", get(compare))
}

/// The yearly cost items in display order, with their catalog codes.
fn yearly_items(y: &siting::YearlyCost) -> Vec<(&'static str, vocab::Money)> {
    vec![
        ("labour", y.labour),
        ("occupancy", y.occupancy),
        ("utilities", y.utilities),
        ("freight", y.freight),
        ("tariffs", y.tariffs),
        ("profits_tax", y.profits_tax),
        ("incentives", y.incentives),
    ]
}

/// The profile, weights and candidates of a query, with the defaults for what is missing.
fn settings(query: &SiteQuery) -> (String, Weights, Vec<String>) {
    let defaults = Weights::cost_first();
    let weights = Weights {
        cost: query.w_cost.unwrap_or(defaults.cost),
        skilled_labour: query.w_skilled.unwrap_or(defaults.skilled_labour),
        geopolitical_exposure: query.w_geo.unwrap_or(defaults.geopolitical_exposure),
        approval_lead_time: query.w_approval.unwrap_or(defaults.approval_lead_time),
        ip_protection: query.w_ip.unwrap_or(defaults.ip_protection),
    };
    let candidates = query
        .candidates
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    (
        query
            .profile
            .clone()
            .unwrap_or_else(|| "ev-assembly".to_owned()),
        weights,
        candidates,
    )
}

/// The page for settings the ranking refused, with the reason in the reader's language.
fn refused(ctx: &PageContext, err: &ApiError) -> Response {
    error_page(
        ctx,
        StatusCode::BAD_REQUEST,
        "sites.title",
        coded_reason(&ctx.t, err, "sites.error."),
    )
}

fn csv_text(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The ranking as CSV: one row per location with every yearly cost item in cents.
async fn ranking_csv(ctx: PageContext, Query(query): Query<SiteQuery>) -> Response {
    let (profile, weights, candidates) = settings(&query);
    let ranking = match profile_of(Some(&profile), None)
        .and_then(|p| run_rank(&p, Some(&candidates), weights))
    {
        Ok(r) => r,
        Err(err) => return refused(&ctx, &err),
    };
    let mut csv = String::from(
        "rank,code,name_en,name_zh,net_present_cost_hkd_cents,labour_cents,occupancy_cents,utilities_cents,freight_cents,tariffs_cents,profits_tax_cents,incentives_cents,cost_per_hkd_output,weighted_sum,topsis,topsis_rank,source\n",
    );
    for r in &ranking.rows {
        let items: Vec<String> = yearly_items(&r.costing.yearly)
            .into_iter()
            .map(|(_, m)| m.cents().to_string())
            .collect();
        csv.push_str(&format!(
            "{},{},{},{},{},{},{:.6},{:.6},{:.6},{},{}\n",
            r.weighted_sum_rank,
            r.code,
            csv_text(&r.name_en),
            csv_text(&r.name_zh),
            r.costing.net_present_cost.cents(),
            items.join(","),
            r.costing.cost_per_hkd_output,
            r.weighted_sum,
            r.topsis,
            r.topsis_rank,
            if r.indicative {
                "indicative"
            } else {
                "published"
            },
        ));
    }
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"site-ranking.csv\"",
            ),
        ],
        csv,
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
pub(crate) struct CompareQuery {
    profile: Option<String>,
    a: String,
    b: String,
}

#[derive(Template)]
#[template(path = "sites_compare.html")]
struct ComparePage<'a> {
    ctx: &'a PageContext,
    profile: String,
    names: [String; 2],
    lines: Vec<(String, String, String)>,
}

/// Two locations side by side: every cost item and criterion.
async fn compare(ctx: PageContext, Query(query): Query<CompareQuery>) -> Response {
    let profile_code = query
        .profile
        .clone()
        .unwrap_or_else(|| "ev-assembly".to_owned());
    let pair = vec![query.a.clone(), query.b.clone()];
    let ranking = match profile_of(Some(&profile_code), None)
        .and_then(|p| run_rank(&p, Some(&pair), Weights::cost_first()))
    {
        Ok(r) => r,
        Err(err) => return refused(&ctx, &err),
    };
    let find = |code: &str| ranking.rows.iter().find(|r| r.code == code);
    let (Some(a), Some(b)) = (find(&query.a), find(&query.b)) else {
        return error_page(
            &ctx,
            StatusCode::BAD_REQUEST,
            "sites.title",
            ctx.t.s("sites.compare_two").to_owned(),
        );
    };
    if a.code == b.code {
        return error_page(
            &ctx,
            StatusCode::BAD_REQUEST,
            "sites.title",
            ctx.t.s("sites.compare_two").to_owned(),
        );
    }
    let name = |r: &siting::RankedLocation| {
        if ctx.t.is_zh() {
            r.name_zh.clone()
        } else {
            r.name_en.clone()
        }
    };
    let money = |m: vocab::Money| hkd_millions_rounded(&ctx.t, m);
    let mut lines = Vec::new();
    for ((code, left), (_, right)) in yearly_items(&a.costing.yearly)
        .into_iter()
        .zip(yearly_items(&b.costing.yearly))
    {
        lines.push((ctx.t.k("sites.item.", code), money(left), money(right)));
    }
    lines.push((
        ctx.t.s("sites.yearly_total").to_owned(),
        money(a.costing.yearly.total),
        money(b.costing.yearly.total),
    ));
    lines.push((
        ctx.t.s("sites.npc").to_owned(),
        money(a.costing.net_present_cost),
        money(b.costing.net_present_cost),
    ));
    lines.push((
        ctx.t.s("sites.per_output").to_owned(),
        format!("{:.3}", a.costing.cost_per_hkd_output),
        format!("{:.3}", b.costing.cost_per_hkd_output),
    ));
    for (code, left, right) in [
        (
            "skilled_labour",
            a.criteria.skilled_labour,
            b.criteria.skilled_labour,
        ),
        (
            "geopolitical_exposure",
            a.criteria.geopolitical_exposure,
            b.criteria.geopolitical_exposure,
        ),
        (
            "approval_lead_time",
            a.criteria.approval_lead_time,
            b.criteria.approval_lead_time,
        ),
        (
            "ip_protection",
            a.criteria.ip_protection,
            b.criteria.ip_protection,
        ),
    ] {
        lines.push((
            ctx.t.k("sites.criterion.", code),
            format!("{left}"),
            format!("{right}"),
        ));
    }
    render(&ComparePage {
        ctx: &ctx,
        profile: profile_code,
        names: [name(a), name(b)],
        lines,
    })
}

/// The form's values, all optional so the bare page shows the defaults.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct SiteQuery {
    profile: Option<String>,
    w_cost: Option<f64>,
    w_skilled: Option<f64>,
    w_geo: Option<f64>,
    w_approval: Option<f64>,
    w_ip: Option<f64>,
    candidates: Option<String>,
}

pub(crate) struct RowView {
    pub items: Vec<String>,
    pub rank: usize,
    pub code: String,
    pub name: String,
    pub npc: String,
    pub per_output: String,
    pub score: String,
    pub topsis_rank: usize,
    pub indicative: bool,
}

#[derive(Template)]
#[template(path = "sites.html")]
struct SitesPage<'a> {
    ctx: &'a PageContext,
    profiles: Vec<&'static str>,
    profile: String,
    weights: Weights,
    candidates: String,
    rows: Vec<RowView>,
    sensitivity: Vec<String>,
    cost_chart: String,
    tornado_chart: String,
    map: String,
}

async fn site_finder(ctx: PageContext, Query(query): Query<SiteQuery>) -> Response {
    let (profile_code, weights, candidates) = settings(&query);
    let ranking = match profile_of(Some(&profile_code), None)
        .and_then(|p| run_rank(&p, Some(&candidates), weights))
    {
        Ok(r) => r,
        Err(err) => return refused(&ctx, &err),
    };
    let name = |en: &str, zh: &str| {
        if ctx.t.is_zh() {
            zh.to_owned()
        } else {
            en.to_owned()
        }
    };
    let rows: Vec<RowView> = ranking
        .rows
        .iter()
        .map(|r| RowView {
            items: yearly_items(&r.costing.yearly)
                .into_iter()
                .map(|(_, m)| hkd_millions_rounded(&ctx.t, m))
                .collect(),
            rank: r.weighted_sum_rank,
            code: r.code.clone(),
            name: name(&r.name_en, &r.name_zh),
            npc: hkd_billions_rounded(&ctx.t, r.costing.net_present_cost),
            per_output: format!("{:.3}", r.costing.cost_per_hkd_output),
            score: format!("{:.3}", r.weighted_sum),
            topsis_rank: r.topsis_rank,
            indicative: r.indicative,
        })
        .collect();
    let cost_bars: Vec<Bar> = ranking
        .rows
        .iter()
        .map(|r| Bar {
            label: name(&r.name_en, &r.name_zh),
            value: r.costing.net_present_cost.cents() as f64,
            value_text: hkd_billions_rounded(&ctx.t, r.costing.net_present_cost),
        })
        .collect();
    let cost_chart = bar_chart("sites-cost", ctx.t.s("sites.cost_chart"), &cost_bars);
    let tornado_chart = ranking
        .tornado
        .first()
        .map(|t| {
            let bars: Vec<Bar> = t
                .bars
                .iter()
                .map(|b| Bar {
                    label: ctx.t.k("sites.item.", b.driver.code()),
                    value: (b.high.cents() - b.low.cents()).unsigned_abs() as f64,
                    value_text: format!(
                        "{} … {}",
                        hkd_millions_rounded(&ctx.t, b.low),
                        hkd_millions_rounded(&ctx.t, b.high)
                    ),
                })
                .collect();
            bar_chart(
                "sites-tornado",
                &ctx.t.f("sites.tornado_chart", &[("place", &t.location)]),
                &bars,
            )
        })
        .unwrap_or_default();
    let map_places: Vec<Place> = ranking
        .rows
        .iter()
        .map(|r| Place {
            name: format!("{}. {}", r.weighted_sum_rank, name(&r.name_en, &r.name_zh)),
            lat: r.lat,
            lon: r.lon,
            value: r.weighted_sum.max(0.0),
            value_text: format!("{:.2}", r.weighted_sum),
        })
        .collect();
    let map = symbol_map("sites-map", ctx.t.s("sites.map"), &map_places);
    let sensitivity = ranking
        .sensitivity
        .iter()
        .map(|s| {
            let criterion = ctx.t.k("sites.criterion.", s.criterion.code());
            match (
                s.increase,
                &s.winner_if_increased,
                s.decrease,
                &s.winner_if_decreased,
            ) {
                (Some(up), Some(rival), _, _) => ctx.t.f(
                    "sites.flips_up",
                    &[
                        ("criterion", &criterion),
                        ("by", &format!("{up:.2}")),
                        ("rival", rival),
                    ],
                ),
                (_, _, Some(down), Some(rival)) => ctx.t.f(
                    "sites.flips_down",
                    &[
                        ("criterion", &criterion),
                        ("by", &format!("{down:.2}")),
                        ("rival", rival),
                    ],
                ),
                _ => ctx.t.f("sites.never_flips", &[("criterion", &criterion)]),
            }
        })
        .collect();
    render(&SitesPage {
        ctx: &ctx,
        profiles: siting::SHIPPED_PROFILES.iter().map(|(c, _)| *c).collect(),
        profile: profile_code,
        weights,
        candidates: candidates.join(","),
        rows,
        sensitivity,
        cost_chart,
        tornado_chart,
        map,
    })
}
