//! The site finder: choose a profile and weights, see the ranked candidates, their costs, the
//! sensitivity of the top choice and a map. Every setting is in the URL, so a study is shared
//! by sharing its link.

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use siting::Weights;

use crate::api::sites::{profile_of, run_rank};
use crate::charts::{bar_chart, symbol_map, Bar, Place};
use crate::context::PageContext;
use crate::pages::{error_page, hkd_billions, render};
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/sites", get(site_finder))
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
    let profile_code = query
        .profile
        .clone()
        .unwrap_or_else(|| "ev-assembly".to_owned());
    let defaults = Weights::cost_first();
    let weights = Weights {
        cost: query.w_cost.unwrap_or(defaults.cost),
        skilled_labour: query.w_skilled.unwrap_or(defaults.skilled_labour),
        geopolitical_exposure: query.w_geo.unwrap_or(defaults.geopolitical_exposure),
        approval_lead_time: query.w_approval.unwrap_or(defaults.approval_lead_time),
        ip_protection: query.w_ip.unwrap_or(defaults.ip_protection),
    };
    let candidates: Vec<String> = query
        .candidates
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    let ranking = match profile_of(Some(&profile_code), None)
        .and_then(|p| run_rank(&p, Some(&candidates), weights))
    {
        Ok(r) => r,
        Err(err) => {
            return error_page(
                &ctx,
                StatusCode::BAD_REQUEST,
                "sites.title",
                err.to_string(),
            )
        }
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
            rank: r.weighted_sum_rank,
            code: r.code.clone(),
            name: name(&r.name_en, &r.name_zh),
            npc: hkd_billions(&ctx.t, r.costing.net_present_cost),
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
            value_text: hkd_billions(&ctx.t, r.costing.net_present_cost),
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
                        hkd_billions(&ctx.t, b.low),
                        hkd_billions(&ctx.t, b.high)
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
