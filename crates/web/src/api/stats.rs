//! Industry statistics over the API: the study's contribution of industry with the trace of
//! every figure, and registry tables from an uploaded CSV.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::Json;
use registry::{BadRowPolicy, Dimension};
use serde::{Deserialize, Serialize};
use stats::{Contribution, Figure};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vocab::{Scale, Year};

use crate::api::reference::{MoneyDto, SourceDto};
use crate::api::ApiQuery;
use crate::error::ApiError;
use crate::AppState;

/// Registry uploads may be large (a row is about 100 bytes): allow 512 MB.
const REGISTRY_UPLOAD_LIMIT: usize = 512 * 1024 * 1024;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(contribution))
        .routes(routes!(registry_tables))
        .routes(routes!(consistency))
        .routes(routes!(list_versions, add_version))
        .routes(routes!(sample_sizes))
        .layer(DefaultBodyLimit::max(REGISTRY_UPLOAD_LIMIT))
}

/// Query of the contribution route.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContributionQuery {
    /// Reference year (default: the latest year with data).
    pub year: Option<i16>,
    /// Version of the tables: 0 (default) for the study's, or an uploaded version's number.
    pub version: Option<i64>,
}

/// One line's part in a figure.
#[derive(Debug, Serialize, ToSchema)]
pub struct TraceDto {
    /// Statistical line code.
    pub line: String,
    /// Line name in English.
    pub name_en: String,
    /// Line name in Traditional Chinese.
    pub name_zh: String,
    /// Allocation weight, exact decimal in [0, 1].
    pub weight: String,
    /// The line's value.
    pub line_value: MoneyDto,
    /// The line's value, HK$ billion.
    pub line_value_hkd_bn: String,
    /// What the line contributed (value × weight).
    pub contributed: MoneyDto,
    /// What the line contributed (value × weight), HK$ billion.
    pub contributed_hkd_bn: String,
    /// Source of the line's value.
    pub source: SourceDto,
    /// Line of the concordance file that maps it.
    pub concordance_line: u64,
}

/// One figure of the contribution table.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ContributionFigureDto)]
pub struct FigureDto {
    /// `total` (all industry), an industry component code, or `producer_services`.
    pub component: String,
    /// A New Industries sub-group code, for sub-group figures.
    pub subgroup: Option<String>,
    /// True for a memo item: part of a figure above, never added to a total.
    pub memo: bool,
    /// Value added (absent when a mapped line has no value for the year).
    pub value: Option<MoneyDto>,
    /// Value added in HK$ billion, exact.
    pub value_hkd_bn: Option<String>,
    /// Share of GDP, percent: one decimal as the study publishes, two for sub-groups (absent without GDP).
    pub share_pct: Option<String>,
    /// Every line and weight behind the figure.
    pub trace: Vec<TraceDto>,
}

/// Industry's contribution in one year.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContributionDto {
    /// Year.
    pub year: i16,
    /// GDP used for shares, HK$ billion, if known.
    pub gdp_hkd_bn: Option<String>,
    /// Source of GDP.
    pub gdp_source: Option<SourceDto>,
    /// Note on GDP (how an indicative value was derived).
    pub gdp_note: Option<String>,
    /// The figures: all industry, its components, sub-groups and memo items, producer services.
    pub figures: Vec<FigureDto>,
    /// What could not be computed, and why.
    #[schema(value_type = Vec<Object>)]
    pub findings: Vec<serde_json::Value>,
    /// Years with data.
    pub years: Vec<i16>,
}

fn figure_dto(component: &str, subgroup: Option<&str>, memo: bool, figure: &Figure) -> FigureDto {
    FigureDto {
        component: component.to_owned(),
        subgroup: subgroup.map(str::to_owned),
        memo,
        value: figure.value.map(MoneyDto::from),
        value_hkd_bn: figure.value.map(|m| m.format_scaled(Scale::Billion)),
        // The study publishes component shares to one decimal; sub-group shares (which it does
        // not publish) would all round to 0.0, so they get two.
        share_pct: figure.share_percent_text(if subgroup.is_some() { 2 } else { 1 }),
        trace: figure
            .trace
            .iter()
            .map(|t| TraceDto {
                line: t.line.to_string(),
                name_en: t.line_name_en.clone(),
                name_zh: t.line_name_zh.clone(),
                weight: t.weight.to_string(),
                line_value: t.line_value.into(),
                line_value_hkd_bn: t.line_value.format_scaled(Scale::Billion),
                contributed: t.contributed.into(),
                contributed_hkd_bn: t.contributed.format_scaled(Scale::Billion),
                source: (&t.value_source).into(),
                concordance_line: t.concordance_line,
            })
            .collect(),
    }
}

/// The shipped study's contribution for each of its years, computed once: the tables never
/// change, and parsing them and computing took most of a request's time.
struct StudyContributions {
    years: Vec<i16>,
    /// In the order of `years`.
    by_year: Vec<Result<Arc<Contribution>, String>>,
}

/// The shipped study's contribution for a year (the latest when none is given), with the
/// years it has data for.
pub(crate) fn study_contribution(
    year: Option<i16>,
) -> Result<(Arc<Contribution>, Vec<i16>), ApiError> {
    static STUDY: std::sync::LazyLock<StudyContributions> = std::sync::LazyLock::new(|| {
        let (table, concordance) = stats::study_2023();
        StudyContributions {
            years: table_years(&table),
            by_year: table
                .years()
                .iter()
                .map(|&year| {
                    stats::contribution(&table, &concordance, year)
                        .map(Arc::new)
                        .map_err(|e| e.to_string())
                })
                .collect(),
        }
    });
    let StudyContributions { years, by_year } = &*STUDY;
    let year = checked_year(years, year)?.get();
    let at = years
        .iter()
        .position(|&y| y == year)
        .expect("checked_year answers one of the years");
    match &by_year[at] {
        Ok(result) => Ok((Arc::clone(result), years.clone())),
        Err(reason) => Err(ApiError::Internal(anyhow::anyhow!(reason.clone()))),
    }
}

/// Parses the four files of an uploaded version; errors name the file and the line.
pub(crate) fn parse_version(
    files: &store::StatsFiles,
) -> Result<(stats::ValueAddedTable, stats::Concordance), stats::StatsError> {
    let table = stats::ValueAddedTable::from_csv(
        files.lines_csv.as_bytes(),
        files.values_csv.as_bytes(),
        files.gdp_csv.as_bytes(),
    )?;
    let concordance = stats::Concordance::from_csv(files.concordance_csv.as_bytes(), &table)?;
    Ok((table, concordance))
}

/// The contribution from a version: 0 (or none) is the shipped study, others were uploaded.
pub(crate) async fn version_contribution(
    state: &AppState,
    version: Option<i64>,
    year: Option<i16>,
) -> Result<(Arc<Contribution>, Vec<i16>), ApiError> {
    match version.unwrap_or(0) {
        0 => study_contribution(year),
        id => {
            let files = state
                .store()
                .stats_version_files(id)
                .await
                .map_err(|e| match e {
                    store::StoreError::NotFound => {
                        ApiError::NotFound(format!("no version {id} of the statistics tables"))
                    }
                    other => other.into(),
                })?;
            let (table, concordance) =
                parse_version(&files).map_err(|e| ApiError::Internal(e.into()))?;
            contribution_of(&table, &concordance, year)
        }
    }
}

fn contribution_of(
    table: &stats::ValueAddedTable,
    concordance: &stats::Concordance,
    year: Option<i16>,
) -> Result<(Arc<Contribution>, Vec<i16>), ApiError> {
    let years = table_years(table);
    let year = checked_year(&years, year)?;
    let result =
        stats::contribution(table, concordance, year).map_err(|e| ApiError::Internal(e.into()))?;
    Ok((Arc::new(result), years))
}

fn table_years(table: &stats::ValueAddedTable) -> Vec<i16> {
    table.years().iter().map(|y| y.get()).collect()
}

/// The year asked for, or the latest of `years` when none is; a year without data is the
/// caller's error, and names the years that have data.
fn checked_year(years: &[i16], year: Option<i16>) -> Result<Year, ApiError> {
    let year = match year {
        Some(y) => y,
        None => *years
            .iter()
            .max()
            .ok_or_else(|| ApiError::NotFound("the table holds no years".into()))?,
    };
    if !years.contains(&year) {
        let listed = years
            .iter()
            .map(i16::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        return Err(ApiError::field(
            "year",
            format!("no data for {year}; years with data: {listed}"),
        ));
    }
    Year::parse(&year.to_string()).map_err(|e| ApiError::field("year", e))
}

/// Flattens a contribution into the rows every table shows: all industry, the components
/// (each followed by its sub-groups and memo items), then producer services.
pub(crate) fn figure_rows(result: &Contribution) -> Vec<FigureDto> {
    let mut rows = vec![figure_dto("total", None, false, &result.industry_total)];
    for component in &result.components {
        if component.component == vocab::IndustryComponent::ProducerServices {
            continue;
        }
        rows.push(figure_dto(
            component.component.code(),
            None,
            false,
            &component.figure,
        ));
        for sub in result
            .subgroups
            .iter()
            .filter(|_| component.component == vocab::IndustryComponent::NewIndustries)
        {
            rows.push(figure_dto(
                component.component.code(),
                Some(sub.subgroup.code()),
                false,
                &sub.figure,
            ));
        }
        for memo in result
            .memo_items
            .iter()
            .filter(|m| m.target.component() == Some(component.component))
        {
            rows.push(figure_dto(
                component.component.code(),
                memo.target.subgroup().map(|s| s.code()),
                true,
                &memo.figure,
            ));
        }
    }
    rows.push(figure_dto(
        "producer_services",
        None,
        false,
        &result.producer_services,
    ));
    rows
}

/// Value added and share of GDP of industry and its components, with the trace of every
/// figure to its statistical lines and weights.
#[utoipa::path(get, path = "/stats/contribution", tag = "stats", params(ContributionQuery),
    responses((status = 200, body = ContributionDto), (status = 400, body = crate::error::ErrorBody),
        (status = 404, description = "No such version", body = crate::error::ErrorBody)))]
async fn contribution(
    axum::extract::State(state): axum::extract::State<AppState>,
    ApiQuery(query): ApiQuery<ContributionQuery>,
) -> Result<Json<ContributionDto>, ApiError> {
    let (result, years) = version_contribution(&state, query.version, query.year).await?;
    Ok(Json(ContributionDto {
        year: result.year.get(),
        gdp_hkd_bn: result
            .gdp
            .as_ref()
            .map(|g| g.value().format_scaled(Scale::Billion)),
        gdp_source: result.gdp.as_ref().map(|g| g.source().into()),
        gdp_note: result
            .gdp
            .as_ref()
            .and_then(|g| g.note().map(str::to_owned)),
        figures: figure_rows(&result),
        findings: result
            .findings
            .iter()
            .filter_map(|f| serde_json::to_value(f).ok())
            .collect(),
        years,
    }))
}

/// Query of the registry route.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegistryQuery {
    /// Dimensions, comma-separated: province, city, sector, province_sector, province_city, city_sector (default province,city,sector).
    pub by: Option<String>,
    /// Rows per table (default all).
    pub top: Option<usize>,
    /// `true` to tabulate the good rows and list the rejected ones; otherwise one bad row refuses the file.
    pub skip_bad_rows: Option<bool>,
}

/// One row of a registry table.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistryRowDto {
    /// Rank (ties share a rank).
    pub rank: u64,
    /// Key: place or sector code, or two codes joined by " / ".
    pub key: String,
    /// Enterprises in operation.
    pub count: u64,
    /// Share of enterprises in operation, percent, one decimal.
    pub share_pct: String,
}

/// One registry table.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistryTableDto {
    /// Dimension code.
    pub dimension: String,
    /// Rows, largest first.
    pub rows: Vec<RegistryRowDto>,
}

/// A rejected row.
#[derive(Debug, Serialize, ToSchema)]
pub struct RejectedRowDto {
    /// Line of the uploaded file.
    pub line: u64,
    /// Why.
    pub reason: String,
}

/// Registry tables.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistryDto {
    /// Rows in the file.
    pub total_rows: u64,
    /// Enterprises in operation (the study's filter).
    pub total_operating: u64,
    /// One table per dimension.
    pub tables: Vec<RegistryTableDto>,
    /// Rejected rows (only with `skip_bad_rows=true`).
    pub rejected: Vec<RejectedRowDto>,
}

fn parse_dimensions(text: Option<&str>) -> Result<Vec<Dimension>, ApiError> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(vec![
            Dimension::Province,
            Dimension::City,
            Dimension::Sector,
        ]);
    };
    text.split(',')
        .map(|code| {
            let code = code.trim();
            Dimension::ALL
                .into_iter()
                .find(|d| d.code() == code)
                .ok_or_else(|| {
                    let known: Vec<&str> = Dimension::ALL.iter().map(|d| d.code()).collect();
                    ApiError::field(
                        "by",
                        format!("unknown dimension \"{code}\"; use {}", known.join(", ")),
                    )
                })
        })
        .collect()
}

/// Tabulates an uploaded registry (CSV, one row per enterprise) as the study did: enterprises
/// in operation, counted by province, city, sector or any pair, with shares and ranks.
#[utoipa::path(post, path = "/stats/registry", tag = "stats", params(RegistryQuery),
    request_body(content = String, content_type = "text/csv", description = "id,name,province,city,sector,status,year_established[,registered_capital_cny][,employees]"),
    responses((status = 200, body = RegistryDto), (status = 400, body = crate::error::ErrorBody)))]
async fn registry_tables(
    ApiQuery(query): ApiQuery<RegistryQuery>,
    body: Bytes,
) -> Result<Json<RegistryDto>, ApiError> {
    let dims = parse_dimensions(query.by.as_deref())?;
    let skip = query.skip_bad_rows.unwrap_or(false);
    // Counting is CPU work over the whole body: keep it off the async workers.
    let outcome = tokio::task::spawn_blocking(move || {
        if skip {
            let import = registry::read_registry(body.as_ref(), BadRowPolicy::SkipBadRows)?;
            let rejected = import
                .rejected
                .iter()
                .map(|r| RejectedRowDto {
                    line: r.line,
                    reason: r.reason.clone(),
                })
                .collect();
            Ok::<_, registry::RegistryError>((
                registry::tabulate(&import.enterprises, &dims),
                rejected,
            ))
        } else {
            Ok((registry::tabulate_csv(body.as_ref(), &dims)?, Vec::new()))
        }
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))?;
    let (tables, rejected) = outcome.map_err(|e| {
        if e.is_user_error() {
            ApiError::BadRequest {
                code: "invalid_registry",
                message: format!("registry: {e}"),
            }
        } else {
            ApiError::Internal(e.into())
        }
    })?;
    let top = query.top.unwrap_or(usize::MAX);
    Ok(Json(RegistryDto {
        total_rows: tables.total_rows(),
        total_operating: tables.total_operating(),
        tables: tables
            .tables()
            .iter()
            .map(|t| RegistryTableDto {
                dimension: t.dimension().code().to_owned(),
                rows: t
                    .rows()
                    .iter()
                    .take(top)
                    .map(|r| RegistryRowDto {
                        rank: r.rank(),
                        key: r.key().to_string(),
                        count: r.count(),
                        share_pct: r.share().to_string(),
                    })
                    .collect(),
            })
            .collect(),
        rejected,
    }))
}

/// The published figures of the reference data (value and share of GDP), checked together.
pub(crate) fn published_consistency(
    data: &refdata::ReferenceData,
) -> Result<stats::ConsistencyReport, ApiError> {
    let mut figures = Vec::new();
    for f in data.value_added.iter().filter(|f| f.subgroup.is_none()) {
        let Some(share) = f.gdp_share else { continue };
        let label = f.component.map_or("total", |c| c.code());
        figures.push(stats::PublishedFigure::parse(
            label,
            &f.value.format_scaled(Scale::Billion),
            &share.to_string(),
        ));
    }
    for f in &data.producer_services {
        let Some(share) = f.gdp_share else { continue };
        figures.push(stats::PublishedFigure::parse(
            "producer_services",
            &f.value.format_scaled(Scale::Billion),
            &share.to_string(),
        ));
    }
    let figures: Vec<stats::PublishedFigure> = figures
        .into_iter()
        .collect::<Result<_, _>>()
        .map_err(|e| ApiError::Internal(e.into()))?;
    stats::check_published_figures(&figures).map_err(|e| ApiError::Internal(e.into()))
}

/// Checks the published figures against each other: the range of GDP each value and rounded
/// share imply, their intersection, and a flag on any figure that fits none of the others.
#[utoipa::path(get, path = "/stats/consistency", tag = "stats",
    responses((status = 200, description = "The consistency report", body = Object), (status = 503, body = crate::error::ErrorBody)))]
async fn consistency(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Result<Json<stats::ConsistencyReport>, ApiError> {
    let data = state.reference_data().await?;
    Ok(Json(published_consistency(&data)?))
}

/// Query of the sample-size check.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SampleSizeQuery {
    /// Published percentages, comma-separated, as printed (`67.3,63.6,36.4`).
    pub percentages: String,
    /// Largest sample size to try (default 500, at most 100000).
    pub max: Option<u32>,
}

/// Sample sizes that could give all the published percentages together.
#[derive(Debug, Serialize, ToSchema)]
pub struct SampleSizesDto {
    /// The percentages checked.
    pub percentages: Vec<String>,
    /// Every sample size from 1 to `max` for which whole counts round to every percentage.
    pub sample_sizes: Vec<u32>,
}

/// Which sample sizes could have produced these published percentages together (e.g. the
/// study's 67.3%, 63.6% and 36.4%)?
#[utoipa::path(get, path = "/stats/sample-sizes", tag = "stats", params(SampleSizeQuery),
    responses((status = 200, body = SampleSizesDto), (status = 400, body = crate::error::ErrorBody)))]
async fn sample_sizes(
    ApiQuery(query): ApiQuery<SampleSizeQuery>,
) -> Result<Json<SampleSizesDto>, ApiError> {
    let max = query.max.unwrap_or(500);
    if !(1..=100_000).contains(&max) {
        return Err(ApiError::field(
            "max",
            format!("{max} is not between 1 and 100000"),
        ));
    }
    let percentages: Vec<String> = query
        .percentages
        .split(',')
        .map(|p| p.trim().trim_end_matches('%').to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    if percentages.is_empty() {
        return Err(ApiError::field(
            "percentages",
            "give at least one percentage, e.g. 67.3,63.6,36.4",
        ));
    }
    let with_decimals: Vec<(&str, u8)> = percentages
        .iter()
        .map(|p| {
            (
                p.as_str(),
                p.split_once('.').map_or(0, |(_, f)| f.len().min(6) as u8),
            )
        })
        .collect();
    let sample_sizes = stats::sample_sizes_consistent(&with_decimals, 1..=max)
        .map_err(|e| ApiError::field("percentages", e))?;
    Ok(Json(SampleSizesDto {
        percentages,
        sample_sizes,
    }))
}

/// A new version of the value-added table and concordance.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionInput {
    /// What to call it, e.g. "2024 revision with HSIC lines".
    pub label: String,
    /// `lines.csv`: code,name_en,name_zh,parent,source.
    pub lines_csv: String,
    /// `values.csv`: line,year,value_hkd_bn,source.
    pub values_csv: String,
    /// `gdp.csv`: year,value_hkd_bn,source[,note].
    pub gdp_csv: String,
    /// `concordance.csv`: line,component,subgroup,weight[,role][,note].
    pub concordance_csv: String,
}

/// A stored version.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionDto {
    /// Version number; 0 is the study's shipped tables.
    pub version: i64,
    /// Label.
    pub label: String,
    /// When uploaded (empty for the shipped tables).
    pub uploaded_at: String,
    /// Who uploaded it.
    pub uploaded_by: Option<String>,
}

/// The versions of the statistics tables: the study's (0) and every uploaded one.
#[utoipa::path(get, path = "/stats/versions", tag = "stats", responses((status = 200, body = [VersionDto])))]
async fn list_versions(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Result<Json<Vec<VersionDto>>, ApiError> {
    Ok(Json(versions(&state).await?))
}

pub(crate) async fn versions(state: &AppState) -> Result<Vec<VersionDto>, ApiError> {
    let mut out = vec![VersionDto {
        version: 0,
        label: "Made by Hong Kong study, 2023 (published totals)".into(),
        uploaded_at: String::new(),
        uploaded_by: None,
    }];
    out.extend(state.stats_versions().await?.iter().map(|v| VersionDto {
        version: v.id,
        label: v.label.clone(),
        uploaded_at: v.uploaded_at.clone(),
        uploaded_by: v.uploaded_by.clone(),
    }));
    Ok(out)
}

/// Uploads a new version of the tables (analysts and administrators). The files are validated
/// together (every concordance line must name a known line, weights at most 1, nothing counted
/// twice) before anything is stored; earlier versions stay as they were.
#[utoipa::path(post, path = "/stats/versions", tag = "stats", security(("bearer" = [])), request_body = VersionInput,
    responses((status = 201, body = VersionDto), (status = 400, body = crate::error::ErrorBody),
              (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
async fn add_version(
    axum::extract::State(state): axum::extract::State<AppState>,
    caller: crate::api::SignedIn,
    crate::api::ApiJson(input): crate::api::ApiJson<VersionInput>,
) -> Result<(axum::http::StatusCode, Json<VersionDto>), ApiError> {
    let user = &caller.user;
    if !matches!(user.role, vocab::Role::Analyst | vocab::Role::Admin) {
        return Err(ApiError::Forbidden(
            "only analysts and administrators may upload statistics tables".into(),
        ));
    }
    let label = input.label.trim().to_owned();
    if label.is_empty() || label.chars().count() > 200 {
        return Err(ApiError::field("label", "must have 1 to 200 characters"));
    }
    let files = store::StatsFiles {
        lines_csv: input.lines_csv,
        values_csv: input.values_csv,
        gdp_csv: input.gdp_csv,
        concordance_csv: input.concordance_csv,
    };
    parse_version(&files).map_err(|e| ApiError::BadRequest {
        code: "invalid_tables",
        message: e.to_string(),
    })?;
    let id = state
        .store()
        .add_stats_version(&caller.audit(), &label, &files, Some(user.id))
        .await?;
    state.forget_stats_versions();
    let stored = versions(&state)
        .await?
        .into_iter()
        .find(|v| v.version == id)
        .ok_or_else(|| ApiError::NotFound("version".into()))?;
    Ok((axum::http::StatusCode::CREATED, Json(stored)))
}
