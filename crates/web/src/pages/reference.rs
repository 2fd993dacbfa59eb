//! The reference-data page: every dataset with its rows and sources, and the figures.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use refdata::{ReferenceData, RegistryDimension};
use store::DatasetSummary;

use crate::context::PageContext;
use crate::pages::{hkd_billions, render, store_error_page};
use crate::AppState;

/// A source as shown: its kind (for the label) and the document title, if published.
pub(crate) struct SourceView {
    pub kind: String,
    pub document: Option<String>,
    pub rows: i64,
}

pub(crate) struct DatasetView {
    pub code: &'static str,
    pub file: &'static str,
    pub rows: i64,
    pub sources: Vec<SourceView>,
}

/// One figure row: label, value, share, source kind.
pub(crate) struct FigureView {
    pub label: String,
    pub value: String,
    pub share: String,
    pub source_kind: String,
}

pub(crate) struct PledgeView {
    pub organisation: String,
    pub title: String,
    pub amount: String,
    pub jobs: String,
    pub announced: String,
    pub stage: String,
    pub source_kind: String,
}

#[derive(Template)]
#[template(path = "reference.html")]
struct ReferencePage<'a> {
    ctx: &'a PageContext,
    datasets: Vec<DatasetView>,
    loaded_at: String,
    industry: Vec<FigureView>,
    producer_services: Vec<FigureView>,
    registry: Vec<FigureView>,
    pledges: Vec<PledgeView>,
}

fn source_views(summary: &DatasetSummary, data: &ReferenceData) -> Vec<SourceView> {
    summary
        .sources
        .iter()
        .map(|(source, rows)| match vocab::Provenance::parse(source) {
            Ok(p) => SourceView {
                kind: p.kind().to_owned(),
                document: p.document().map(|code| {
                    data.documents
                        .iter()
                        .find(|d| d.code == code)
                        .map_or_else(|| code.to_owned(), |d| d.title.clone())
                }),
                rows: *rows,
            },
            Err(_) => SourceView {
                kind: "unknown".to_owned(),
                document: Some(source.clone()),
                rows: *rows,
            },
        })
        .collect()
}

pub(crate) async fn reference(State(state): State<AppState>, ctx: PageContext) -> Response {
    let loaded = async {
        Ok::<_, store::StoreError>((
            state.reference_summary().await?,
            state.reference_data().await?,
            state.last_reference_load().await?,
        ))
    };
    let (summary, data, last_load) = match loaded.await {
        Ok(v) => v,
        Err(err) => return store_error_page(&ctx, err),
    };
    let t = &ctx.t;
    let pick = |en: &str, zh: &str| {
        if t.is_zh() {
            zh.to_owned()
        } else {
            en.to_owned()
        }
    };
    let billions = |m: vocab::Money| hkd_billions(t, m);
    let share = |p: Option<vocab::Percent>| p.map(|p| format!("{p}%")).unwrap_or_default();

    let datasets = summary
        .iter()
        .map(|s| DatasetView {
            code: s.dataset.code(),
            file: s.dataset.file_name(),
            rows: s.rows,
            sources: source_views(s, &data),
        })
        .collect();
    // The study's order: all industry, then its components, each sub-group under its component.
    let mut value_added: Vec<&refdata::ValueAddedFigure> = data.value_added.iter().collect();
    value_added.sort_by_key(|f| {
        let component = f.component.map_or(0, |c| {
            1 + vocab::IndustryComponent::ALL
                .iter()
                .position(|x| *x == c)
                .unwrap_or(0)
        });
        (f.year.get(), component, f.subgroup.is_some())
    });
    let industry = value_added
        .into_iter()
        .map(|f| FigureView {
            label: match (f.component, f.subgroup) {
                (None, _) => t.s("reference.all_industry").to_owned(),
                (Some(_), Some(sub)) => format!("— {}", t.k("subgroup.", sub.code())),
                (Some(c), None) => t.k("component.", c.code()),
            },
            value: billions(f.value),
            share: share(f.gdp_share),
            source_kind: f.source.kind().to_owned(),
        })
        .collect();
    let producer_services = data
        .producer_services
        .iter()
        .map(|f| FigureView {
            label: f.year.get().to_string(),
            value: billions(f.value),
            share: share(f.gdp_share),
            source_kind: f.source.kind().to_owned(),
        })
        .collect();
    let place_name = |code: &vocab::PlaceCode| {
        data.places
            .iter()
            .find(|p| p.place.code() == code)
            .map_or_else(
                || code.as_str().to_owned(),
                |p| pick(p.name.en(), p.name.zh()),
            )
    };
    let registry = data
        .registry
        .iter()
        .map(|r| FigureView {
            label: match &r.dimension {
                RegistryDimension::Total => t.s("reference.registry_total").to_owned(),
                RegistryDimension::Province(c) => {
                    format!("{} · {}", t.s("reference.province"), place_name(c))
                }
                RegistryDimension::City(c) => {
                    format!("{} · {}", t.s("reference.city"), place_name(c))
                }
                RegistryDimension::Sector(s) => {
                    format!("{} · {}", t.s("reference.sector"), t.k("sector.", s.code()))
                }
            },
            value: r.enterprises.to_string(),
            share: share(r.share),
            source_kind: r.source.kind().to_owned(),
        })
        .collect();
    let pledges = data
        .pledges
        .iter()
        .map(|p| PledgeView {
            organisation: pick(p.organisation.en(), p.organisation.zh()),
            title: pick(p.title.en(), p.title.zh()),
            amount: p.pledged.map(billions).unwrap_or_default(),
            jobs: p.jobs.map(|j| j.to_string()).unwrap_or_default(),
            announced: p.announced.clone(),
            stage: t.k("stage.", p.stage.code()),
            source_kind: p.source.kind().to_owned(),
        })
        .collect();
    render(&ReferencePage {
        ctx: &ctx,
        datasets,
        loaded_at: last_load.map(|l| l.loaded_at).unwrap_or_default(),
        industry,
        producer_services,
        registry,
        pledges,
    })
}
