//! The thematic report on industry: one self-contained, printable HTML file (styles and SVG
//! charts inline, every table also downloadable as CSV through a `data:` link), in English or
//! Traditional Chinese. The command line writes it to a file; the web serves it at
//! `/stats/report`.

use std::sync::Arc;

use askama::Template;
use refdata::{ReferenceData, RegistryDimension};

use crate::api::stats::{figure_rows, study_contribution};
use crate::charts::{bar_chart, line_chart, symbol_map, Bar, Place, Point};
use crate::i18n::{Catalogs, Lang, Tr};
use crate::pages::hkd_billions;

/// One table of the report, with its CSV.
pub struct ReportTable {
    /// Anchor id.
    pub id: String,
    /// Heading.
    pub title: String,
    /// Column headings.
    pub columns: Vec<String>,
    /// Cells.
    pub rows: Vec<Vec<String>>,
    /// The table as CSV in a `data:` URL.
    pub csv_href: String,
    /// File name offered for the CSV.
    pub csv_name: String,
}

impl ReportTable {
    fn new(id: &str, title: String, columns: Vec<String>, rows: Vec<Vec<String>>) -> ReportTable {
        let mut csv = String::new();
        for line in std::iter::once(&columns).chain(rows.iter()) {
            let cells: Vec<String> = line
                .iter()
                .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
                .collect();
            csv.push_str(&cells.join(","));
            csv.push_str("\r\n");
        }
        let encoded: String = url::form_urlencoded::byte_serialize(csv.as_bytes())
            .collect::<String>()
            .replace('+', "%20");
        ReportTable {
            id: id.to_owned(),
            title,
            columns,
            rows,
            csv_href: format!("data:text/csv;charset=utf-8,%EF%BB%BF{encoded}"),
            csv_name: format!("{id}.csv"),
        }
    }
}

#[derive(Template)]
#[template(path = "report_industry.html")]
struct IndustryReport {
    t: Tr,
    lang: &'static str,
    tables: Vec<ReportTable>,
    component_chart: String,
    series_chart: String,
    registry_chart: String,
    province_map: String,
    gdp_note: String,
    sources: Vec<(String, String)>,
}

/// Why the report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The catalogs or the study tables failed to load (a bug in what was shipped).
    #[error("report data: {0}")]
    Data(String),
    /// The template failed to render.
    #[error("report template: {0}")]
    Render(#[from] askama::Error),
}

/// Renders the industry report in a language from the reference data.
pub fn industry_report(lang: Lang, data: &ReferenceData) -> Result<String, ReportError> {
    let catalogs = Arc::new(Catalogs::load().map_err(|e| ReportError::Data(e.to_string()))?);
    industry_report_with(Tr::new(lang, catalogs), data)
}

pub(crate) fn industry_report_with(t: Tr, data: &ReferenceData) -> Result<String, ReportError> {
    let (result, _) =
        study_contribution(Some(2023)).map_err(|e| ReportError::Data(e.to_string()))?;
    let rows = figure_rows(&result);
    let label = |component: &str, subgroup: Option<&str>| match (component, subgroup) {
        ("total", _) => t.s("reference.all_industry").to_owned(),
        (_, Some(sub)) => t.k("subgroup.", sub),
        (c, None) => t.k("component.", c),
    };
    let money = |cents: i64| hkd_billions(&t, vocab::Money::hkd(cents));
    let contribution_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|f| {
            vec![
                label(&f.component, f.subgroup.as_deref()),
                f.value.as_ref().map(|m| money(m.cents)).unwrap_or_default(),
                f.share_pct
                    .clone()
                    .map(|s| format!("{s}%"))
                    .unwrap_or_default(),
                f.trace
                    .iter()
                    .map(|tr| format!("{} × {}", tr.line, tr.weight))
                    .collect::<Vec<_>>()
                    .join("; "),
            ]
        })
        .collect();
    let contribution = ReportTable::new(
        "contribution-2023",
        t.s("report.contribution_table").to_owned(),
        vec![
            t.s("reference.component").into(),
            t.s("reference.value_added").into(),
            t.s("reference.gdp_share").into(),
            t.s("stats.trace").into(),
        ],
        contribution_rows,
    );
    let component_bars: Vec<Bar> = rows
        .iter()
        .filter(|f| {
            f.subgroup.is_none() && !matches!(f.component.as_str(), "total" | "producer_services")
        })
        .map(|f| Bar {
            label: label(&f.component, None),
            value: f.value.as_ref().map_or(0.0, |m| m.cents as f64),
            value_text: format!(
                "{} ({}%)",
                f.value.as_ref().map(|m| money(m.cents)).unwrap_or_default(),
                f.share_pct.clone().unwrap_or_default()
            ),
        })
        .collect();
    let component_chart = bar_chart(
        "report-components",
        t.s("stats.component_chart"),
        &component_bars,
    );

    let series: Vec<Point> = data
        .producer_services
        .iter()
        .map(|f| Point {
            x: f64::from(f.year.get()),
            y: f.value.cents() as f64,
            label: money(f.value.cents()),
        })
        .collect();
    let series_chart = line_chart(
        "report-producer-services",
        t.s("report.series_chart"),
        &series,
    );
    let series_table = ReportTable::new(
        "producer-services",
        t.s("reference.producer_services_title").to_owned(),
        vec![
            t.s("reference.year").into(),
            t.s("reference.value_added").into(),
            t.s("reference.gdp_share").into(),
        ],
        data.producer_services
            .iter()
            .map(|f| {
                vec![
                    f.year.get().to_string(),
                    money(f.value.cents()),
                    f.gdp_share.map(|p| format!("{p}%")).unwrap_or_default(),
                ]
            })
            .collect(),
    );

    let place = |code: &vocab::PlaceCode| data.places.iter().find(|p| p.place.code() == code);
    let name = |code: &vocab::PlaceCode| {
        place(code).map_or_else(
            || code.as_str().to_owned(),
            |p| p.name.get(t.is_zh()).to_owned(),
        )
    };
    let mut registry_tables = Vec::new();
    let mut registry_bars = Vec::new();
    let mut map_places = Vec::new();
    for (dimension, title_key) in [
        ("province", "stats.by_province"),
        ("city", "stats.by_city"),
        ("sector", "stats.by_sector"),
    ] {
        let mut table_rows = Vec::new();
        for count in data
            .registry
            .iter()
            .filter(|r| r.dimension.code() == dimension)
        {
            let label = match &count.dimension {
                RegistryDimension::Province(c) | RegistryDimension::City(c) => name(c),
                RegistryDimension::Sector(s) => t.k("sector.", s.code()),
                RegistryDimension::Total => continue,
            };
            if let RegistryDimension::Province(code) = &count.dimension {
                if let Some(coordinates) = place(code).and_then(|p| p.place.coordinates()) {
                    map_places.push(Place {
                        name: label.clone(),
                        lat: coordinates.lat(),
                        lon: coordinates.lon(),
                        value: f64::from(count.enterprises),
                        value_text: count.enterprises.to_string(),
                    });
                }
            }
            if dimension == "sector" {
                registry_bars.push(Bar {
                    label: label.clone(),
                    value: f64::from(count.enterprises),
                    value_text: count.enterprises.to_string(),
                });
            }
            table_rows.push(vec![
                label,
                count.enterprises.to_string(),
                count.share.map(|p| format!("{p}%")).unwrap_or_default(),
            ]);
        }
        registry_tables.push(ReportTable::new(
            &format!("registry-{dimension}"),
            format!("{} · {}", t.s("reference.registry_title"), t.s(title_key)),
            vec![
                String::new(),
                t.s("reference.enterprises").into(),
                t.s("reference.share").into(),
            ],
            table_rows,
        ));
    }
    let registry_chart = bar_chart("report-sectors", t.s("report.sector_chart"), &registry_bars);
    let province_map = symbol_map("report-map", t.s("report.map"), &map_places);

    let mut tables = vec![contribution, series_table];
    tables.extend(registry_tables);
    let gdp_note = t.s("stats.gdp_note").to_owned();
    let sources = data
        .documents
        .iter()
        .map(|d| (d.title.clone(), d.publisher.clone()))
        .collect();
    let report = IndustryReport {
        lang: t.lang().code(),
        t,
        tables,
        component_chart,
        series_chart,
        registry_chart,
        province_map,
        gdp_note,
        sources,
    };
    Ok(report.render()?)
}
