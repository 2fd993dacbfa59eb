//! Reference data over the API: datasets with their sources, and the published figures.

use axum::extract::State;
use axum::Json;
use refdata::RegistryDimension;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vocab::{Money, Percent, Provenance, Scale};

use crate::error::ApiError;
use crate::i18n::Lang;
use crate::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(datasets))
        .routes(routes!(industry))
        .routes(routes!(mainland_manufacturers))
        .routes(routes!(pledges))
        .routes(routes!(places))
}

/// An amount of money: integer cents with an explicit currency, never a float.
#[derive(Debug, Serialize, ToSchema)]
pub struct MoneyDto {
    /// Amount in cents (hundredths of the currency unit).
    pub cents: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// The exact amount as a decimal string, e.g. "6900000000".
    pub amount: String,
}

impl From<Money> for MoneyDto {
    fn from(m: Money) -> MoneyDto {
        MoneyDto {
            cents: m.cents(),
            currency: m.currency().code().to_owned(),
            amount: m.format_scaled(Scale::Unit),
        }
    }
}

/// Where a number comes from.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceDto {
    /// `published`, `indicative` or `synthetic`.
    pub kind: String,
    /// The cited document's code, for published figures.
    pub document: Option<String>,
}

impl From<&Provenance> for SourceDto {
    fn from(p: &Provenance) -> SourceDto {
        SourceDto {
            kind: p.kind().to_owned(),
            document: p.document().map(str::to_owned),
        }
    }
}

fn pct(p: Option<Percent>) -> Option<String> {
    p.map(|p| p.to_string())
}

/// Source count within a dataset.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceCountDto {
    /// The source as stored (`published: <document>`, `indicative`, `synthetic`).
    pub source: String,
    /// Rows with this source.
    pub rows: i64,
}

/// A reference dataset.
#[derive(Debug, Serialize, ToSchema)]
pub struct DatasetDto {
    /// Stable code.
    pub code: String,
    /// CSV file in `data/`.
    pub file: String,
    /// Title in English.
    pub title_en: String,
    /// Title in Traditional Chinese.
    pub title_zh: String,
    /// Rows loaded.
    pub rows: i64,
    /// Rows per source.
    pub sources: Vec<SourceCountDto>,
}

/// Every reference dataset with its row count and sources.
#[utoipa::path(get, path = "/reference/datasets", tag = "reference",
    responses((status = 200, body = [DatasetDto]), (status = 503, body = crate::error::ErrorBody)))]
async fn datasets(State(state): State<AppState>) -> Result<Json<Vec<DatasetDto>>, ApiError> {
    let summary = state.reference_summary().await?;
    let catalogs = state.catalogs();
    Ok(Json(
        summary
            .iter()
            .map(|s| {
                let key = format!("dataset.{}", s.dataset.code());
                DatasetDto {
                    code: s.dataset.code().to_owned(),
                    file: s.dataset.file_name().to_owned(),
                    title_en: catalogs.get(Lang::En, &key).to_owned(),
                    title_zh: catalogs.get(Lang::ZhHk, &key).to_owned(),
                    rows: s.rows,
                    sources: s
                        .sources
                        .iter()
                        .map(|(source, rows)| SourceCountDto {
                            source: source.clone(),
                            rows: *rows,
                        })
                        .collect(),
                }
            })
            .collect(),
    ))
}

/// A value-added figure.
#[derive(Debug, Serialize, ToSchema)]
pub struct FigureDto {
    /// Reference year.
    pub year: i16,
    /// `total`, an industry component code, or `producer_services`.
    pub component: String,
    /// A New Industries sub-group code, if the figure is for one.
    pub subgroup: Option<String>,
    /// Value added.
    pub value: MoneyDto,
    /// Value added in HK$ billion, exactly as published.
    pub value_hkd_bn: String,
    /// Share of GDP in percent, as published.
    pub gdp_share_pct: Option<String>,
    /// Source.
    pub source: SourceDto,
}

/// A producer-service line already counted as industry.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverlapDto {
    /// Year.
    pub year: i16,
    /// Line code.
    pub item: String,
    /// Part of the line counted as industry, percent.
    pub allocation_pct: String,
    /// Share of GDP, percent.
    pub gdp_share_pct: String,
    /// Source.
    pub source: SourceDto,
}

/// Industry and producer services figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndustryDto {
    /// Value added by industry component.
    pub industry: Vec<FigureDto>,
    /// Industry-related producer services.
    pub producer_services: Vec<FigureDto>,
    /// Producer services excluded because already counted as industry.
    pub overlap: Vec<OverlapDto>,
}

/// The study's published value added of industry and of industry-related producer services.
#[utoipa::path(get, path = "/reference/industry", tag = "reference",
    responses((status = 200, body = IndustryDto), (status = 503, body = crate::error::ErrorBody)))]
async fn industry(State(state): State<AppState>) -> Result<Json<IndustryDto>, ApiError> {
    let data = state.reference_data().await?;
    let industry = data
        .value_added
        .iter()
        .map(|f| FigureDto {
            year: f.year.get(),
            component: f.component.map_or("total", |c| c.code()).to_owned(),
            subgroup: f.subgroup.map(|s| s.code().to_owned()),
            value: f.value.into(),
            value_hkd_bn: f.value.format_scaled(Scale::Billion),
            gdp_share_pct: pct(f.gdp_share),
            source: (&f.source).into(),
        })
        .collect();
    let producer_services = data
        .producer_services
        .iter()
        .map(|f| FigureDto {
            year: f.year.get(),
            component: "producer_services".to_owned(),
            subgroup: None,
            value: f.value.into(),
            value_hkd_bn: f.value.format_scaled(Scale::Billion),
            gdp_share_pct: pct(f.gdp_share),
            source: (&f.source).into(),
        })
        .collect();
    let overlap = data
        .overlap
        .iter()
        .map(|o| OverlapDto {
            year: o.year.get(),
            item: o.item.clone(),
            allocation_pct: o.allocation.to_string(),
            gdp_share_pct: o.gdp_share.to_string(),
            source: (&o.source).into(),
        })
        .collect();
    Ok(Json(IndustryDto {
        industry,
        producer_services,
        overlap,
    }))
}

/// A count of Hong Kong-invested manufacturing enterprises in the Mainland.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistryCountDto {
    /// Year of the registry.
    pub year: i16,
    /// `total`, `province`, `city` or `sector`.
    pub dimension: String,
    /// Place code or sector code (empty for the total).
    pub key: String,
    /// Name in English.
    pub name_en: String,
    /// Name in Traditional Chinese.
    pub name_zh: String,
    /// Enterprises in operation.
    pub enterprises: u32,
    /// Published share of the sample, percent.
    pub share_pct: Option<String>,
    /// Source.
    pub source: SourceDto,
}

/// The study's counts of Hong Kong-invested manufacturers in the Mainland, 2024.
#[utoipa::path(get, path = "/reference/mainland-manufacturers", tag = "reference",
    responses((status = 200, body = [RegistryCountDto]), (status = 503, body = crate::error::ErrorBody)))]
async fn mainland_manufacturers(
    State(state): State<AppState>,
) -> Result<Json<Vec<RegistryCountDto>>, ApiError> {
    let data = state.reference_data().await?;
    let catalogs = state.catalogs();
    let out = data
        .registry
        .iter()
        .map(|r| {
            let (name_en, name_zh) = match &r.dimension {
                RegistryDimension::Total => (
                    catalogs
                        .get(Lang::En, "reference.registry_total")
                        .to_owned(),
                    catalogs
                        .get(Lang::ZhHk, "reference.registry_total")
                        .to_owned(),
                ),
                RegistryDimension::Province(code) | RegistryDimension::City(code) => data
                    .places
                    .iter()
                    .find(|p| p.place.code() == code)
                    .map(|p| (p.name.en().to_owned(), p.name.zh().to_owned()))
                    .unwrap_or_else(|| (code.as_str().to_owned(), code.as_str().to_owned())),
                RegistryDimension::Sector(sector) => {
                    let key = format!("sector.{}", sector.code());
                    (
                        catalogs.get(Lang::En, &key).to_owned(),
                        catalogs.get(Lang::ZhHk, &key).to_owned(),
                    )
                }
            };
            RegistryCountDto {
                year: r.year.get(),
                dimension: r.dimension.code().to_owned(),
                key: r.dimension.key(),
                name_en,
                name_zh,
                enterprises: r.enterprises,
                share_pct: pct(r.share),
                source: (&r.source).into(),
            }
        })
        .collect();
    Ok(Json(out))
}

/// An investment pledge from the news.
#[derive(Debug, Serialize, ToSchema)]
pub struct PledgeDto {
    /// Stable code.
    pub code: String,
    /// What, in English.
    pub title_en: String,
    /// What, in Traditional Chinese.
    pub title_zh: String,
    /// Who, in English.
    pub organisation_en: String,
    /// Who, in Traditional Chinese.
    pub organisation_zh: String,
    /// Place code.
    pub place: String,
    /// Pipeline stage.
    pub stage: String,
    /// Pledged amount, if announced.
    pub pledged: Option<MoneyDto>,
    /// Jobs promised, if announced.
    pub jobs: Option<u32>,
    /// Years over which it is spread, if announced.
    pub period_years: Option<u8>,
    /// When announced (`2023` or `2023-10`).
    pub announced: String,
    /// Source.
    pub source: SourceDto,
}

/// Investment pledges named in the news (published facts, not outcomes).
#[utoipa::path(get, path = "/reference/pledges", tag = "reference",
    responses((status = 200, body = [PledgeDto]), (status = 503, body = crate::error::ErrorBody)))]
async fn pledges(State(state): State<AppState>) -> Result<Json<Vec<PledgeDto>>, ApiError> {
    let data = state.reference_data().await?;
    Ok(Json(
        data.pledges
            .iter()
            .map(|p| PledgeDto {
                code: p.code.clone(),
                title_en: p.title.en().to_owned(),
                title_zh: p.title.zh().to_owned(),
                organisation_en: p.organisation.en().to_owned(),
                organisation_zh: p.organisation.zh().to_owned(),
                place: p.place.as_str().to_owned(),
                stage: p.stage.code().to_owned(),
                pledged: p.pledged.map(MoneyDto::from),
                jobs: p.jobs,
                period_years: p.period_years,
                announced: p.announced.clone(),
                source: (&p.source).into(),
            })
            .collect(),
    ))
}

/// A place.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaceDto {
    /// Code.
    pub code: String,
    /// `country`, `region`, `city` or `site`.
    pub level: String,
    /// ISO country code.
    pub country: String,
    /// Parent place code.
    pub parent: Option<String>,
    /// English name.
    pub name_en: String,
    /// Traditional Chinese name.
    pub name_zh: String,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Source of the coordinates.
    pub source: SourceDto,
}

/// Places with names and coordinates.
#[utoipa::path(get, path = "/reference/places", tag = "reference",
    responses((status = 200, body = [PlaceDto]), (status = 503, body = crate::error::ErrorBody)))]
async fn places(State(state): State<AppState>) -> Result<Json<Vec<PlaceDto>>, ApiError> {
    let data = state.reference_data().await?;
    Ok(Json(
        data.places
            .iter()
            .map(|p| PlaceDto {
                code: p.place.code().as_str().to_owned(),
                level: p.place.level().code().to_owned(),
                country: p.place.country().as_str().to_owned(),
                parent: p.place.parent().map(|c| c.as_str().to_owned()),
                name_en: p.name.en().to_owned(),
                name_zh: p.name.zh().to_owned(),
                lat: p.place.coordinates().map(|c| c.lat()),
                lon: p.place.coordinates().map(|c| c.lon()),
                source: (&p.source).into(),
            })
            .collect(),
    ))
}
