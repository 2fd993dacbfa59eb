//! The pipeline dashboard: did the pledges turn into investment, jobs and output?

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use pipeline::{Group, ItemSource, Totals};

use crate::api::pipeline::{dashboard_of, pipeline_items};
use crate::charts::{bar_chart, Bar};
use crate::context::PageContext;
use crate::i18n::Tr;
use crate::pages::{error_page, hkd_billions, render, store_error_page};
use crate::AppState;

pub(crate) struct TotalsView {
    pub label: String,
    pub items: u32,
    pub pledged: String,
    pub realised: String,
    pub realised_share: String,
    pub jobs_pledged: String,
    pub jobs_realised: String,
    pub output_pledged: String,
    pub output_realised: String,
}

pub(crate) struct ItemView {
    pub key: String,
    pub title: String,
    pub organisation: String,
    pub stage: String,
    pub programme: String,
    pub year: String,
    pub pledged: String,
    pub realised: String,
    pub jobs_pledged: String,
    pub jobs_realised: String,
    pub source_kind: String,
    pub private: bool,
}

pub(crate) struct ViewSection {
    pub id: &'static str,
    pub title_key: &'static str,
    pub rows: Vec<TotalsView>,
}

#[derive(Template)]
#[template(path = "pipeline.html")]
struct PipelinePage<'a> {
    ctx: &'a PageContext,
    total: TotalsView,
    views: Vec<ViewSection>,
    chart: String,
    items: Vec<ItemView>,
}

fn dash(value: Option<String>) -> String {
    value.unwrap_or_else(|| "—".to_owned())
}

fn totals_view(t: &Tr, label: String, totals: &Totals) -> TotalsView {
    let money = |m: vocab::Money, any: bool| {
        if any {
            hkd_billions(t, m)
        } else {
            "—".to_owned()
        }
    };
    TotalsView {
        label,
        items: totals.items,
        pledged: money(totals.pledged, totals.with_pledged_amount > 0),
        realised: money(totals.realised, totals.with_realised_amount > 0),
        realised_share: dash(
            totals
                .realised_share()
                .ok()
                .flatten()
                .filter(|_| totals.with_realised_amount > 0)
                .map(|p| format!("{p}%")),
        ),
        jobs_pledged: totals.jobs_pledged.to_string(),
        jobs_realised: totals.jobs_realised.to_string(),
        output_pledged: money(totals.output_pledged, totals.output_pledged.cents() > 0),
        output_realised: money(totals.output_realised, totals.output_realised.cents() > 0),
    }
}

fn section<K>(
    t: &Tr,
    id: &'static str,
    title_key: &'static str,
    groups: &[Group<K>],
    label: impl Fn(&K) -> String,
) -> ViewSection {
    ViewSection {
        id,
        title_key,
        rows: groups
            .iter()
            .map(|g| {
                let name = g
                    .key
                    .as_ref()
                    .map_or_else(|| t.s("pipeline.not_stated").to_owned(), &label);
                totals_view(t, name, &g.totals)
            })
            .collect(),
    }
}

pub(crate) async fn dashboard(State(state): State<AppState>, ctx: PageContext) -> Response {
    let items = match pipeline_items(&state, ctx.access()).await {
        Ok(items) => items,
        Err(err) => return store_error_page(&ctx, err),
    };
    let d = match dashboard_of(&items) {
        Ok(d) => d,
        Err(err) => {
            tracing::error!(error = %err, "pipeline dashboard failed");
            return error_page(
                &ctx,
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "error.internal",
                ctx.t.s("error.internal_text").to_owned(),
            );
        }
    };
    let t = &ctx.t;
    let pick = |b: &vocab::BilingualText| b.get(t.is_zh()).to_owned();
    let programme_label = |p: &vocab::Programme| t.k("programme.", p.code());
    let views = vec![
        section(
            t,
            "by-programme",
            "pipeline.by_programme",
            &d.by_programme,
            programme_label,
        ),
        section(t, "by-sector", "pipeline.by_sector", &d.by_sector, |s| {
            t.k("sector.", s.code())
        }),
        section(t, "by-year", "pipeline.by_year", &d.by_year, |y| {
            y.get().to_string()
        }),
        section(t, "by-stage", "pipeline.by_stage", &d.by_stage, |s| {
            t.k("stage.", s.code())
        }),
    ];
    // Bars in HK$ billions for the picture only; the labels carry the exact amounts.
    let bars: Vec<Bar> = d
        .by_programme
        .iter()
        .filter(|g| g.totals.with_pledged_amount > 0)
        .map(|g| Bar {
            label: g
                .key
                .as_ref()
                .map_or_else(|| t.s("pipeline.not_stated").to_owned(), programme_label),
            value: g.totals.pledged.cents() as f64,
            // The pledged amount only: the realised figures are in the tables below.
            value_text: hkd_billions(t, g.totals.pledged),
        })
        .collect();
    let chart = bar_chart("pipeline-chart", t.s("pipeline.chart_title"), &bars);
    let money = |m: Option<vocab::Money>| dash(m.map(|m| hkd_billions(t, m)));
    let count = |n: Option<u32>| dash(n.map(|n| n.to_string()));
    let items = items
        .iter()
        .map(|i| ItemView {
            key: i.key.clone(),
            title: pick(&i.title),
            organisation: i.organisation.as_ref().map(&pick).unwrap_or_default(),
            stage: t.k("stage.", i.stage.code()),
            programme: i
                .programme
                .map(|p| t.k("programme.", p.code()))
                .unwrap_or_default(),
            year: i.year.map(|y| y.get().to_string()).unwrap_or_default(),
            pledged: money(i.pledged),
            realised: money(i.realised),
            jobs_pledged: count(i.jobs_pledged),
            jobs_realised: count(i.jobs_realised),
            source_kind: match &i.source {
                ItemSource::Reference { provenance } => provenance.kind().to_owned(),
                ItemSource::ReportedBy { .. } => "reported".to_owned(),
            },
            private: i.private,
        })
        .collect();
    render(&PipelinePage {
        total: totals_view(t, t.s("pipeline.total").to_owned(), &d.total),
        ctx: &ctx,
        views,
        chart,
        items,
    })
}
