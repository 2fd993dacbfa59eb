//! The location benchmark over the API: candidate locations with their indicators, and the
//! ranking of a project profile across them.

use axum::Json;
use serde::{Deserialize, Serialize};
use siting::{LocationData, Profile, Ranking, Weights};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::reference::SourceDto;
use crate::api::ApiJson;
use crate::error::ApiError;
use crate::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(locations))
        .routes(routes!(rank_sites))
}

/// One indicator of a location.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorDto {
    /// Indicator code, e.g. `wage_operator`.
    pub indicator: String,
    /// Value as given (exact decimal).
    pub value: String,
    /// Unit.
    pub unit: String,
    /// Year of the value.
    pub year: i32,
    /// Source: indicative values are shown as such.
    pub source: SourceDto,
    /// Note on how the value was set.
    pub note: String,
}

/// A candidate location.
#[derive(Debug, Serialize, ToSchema)]
pub struct LocationDto {
    /// Code used in rankings.
    pub code: String,
    /// English name.
    pub name_en: String,
    /// Traditional Chinese name.
    pub name_zh: String,
    /// Country code.
    pub country: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// True when any indicator is indicative rather than published.
    pub indicative: bool,
    /// Indicators.
    pub indicators: Vec<IndicatorDto>,
}

/// Every candidate location of the shipped dataset, with its indicators and their sources.
#[utoipa::path(get, path = "/locations", tag = "sites", responses((status = 200, body = [LocationDto])))]
async fn locations() -> Json<Vec<LocationDto>> {
    let data = shipped();
    Json(
        data.locations()
            .iter()
            .map(|l| LocationDto {
                code: l.code.clone(),
                name_en: l.name_en.clone(),
                name_zh: l.name_zh.clone(),
                country: l.country.clone(),
                lat: l.lat,
                lon: l.lon,
                indicative: l.is_indicative(),
                indicators: l
                    .rows
                    .iter()
                    .map(|r| IndicatorDto {
                        indicator: r.indicator.clone(),
                        value: r.value.clone(),
                        unit: r.unit.clone(),
                        year: r.year,
                        source: (&r.source).into(),
                        note: r.note.clone(),
                    })
                    .collect(),
            })
            .collect(),
    )
}

/// Weights of the criteria (any non-negative numbers, not all zero; normalised by the engine).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WeightsInput {
    /// Net present cost.
    pub cost: f64,
    /// Skilled-labour availability.
    pub skilled_labour: f64,
    /// Geopolitical exposure.
    pub geopolitical_exposure: f64,
    /// Approval lead time.
    pub approval_lead_time: f64,
    /// IP protection.
    pub ip_protection: f64,
}

/// What to rank.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RankRequest {
    /// A shipped profile: `ev-assembly`, `semiconductor-backend`, `electronics-assembly` or `food-technology`.
    pub profile: Option<String>,
    /// Or a profile of your own, as TOML (see the shipped ones for the format).
    pub profile_toml: Option<String>,
    /// Location codes to compare (default: all).
    pub candidates: Option<Vec<String>>,
    /// Criteria weights (default: cost 3, the others 1).
    pub weights: Option<WeightsInput>,
    /// Your own indicators instead of the shipped ones: a named dataset in the same two CSV
    /// formats as `crates/siting/data/` (errors name the file and the line).
    pub dataset: Option<DatasetInput>,
}

/// A user's own location indicators, ranked instead of the shipped ones.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DatasetInput {
    /// A name for the dataset, shown with the ranking.
    pub name: String,
    /// `location_names.csv`: code,name_en,name_zh,country,lat,lon,kind.
    pub names_csv: String,
    /// `locations.csv`: location,indicator,value,unit,year,source,note.
    pub indicators_csv: String,
}

/// Ranks a profile; errors name the field.
pub(crate) fn run_rank(
    profile: &Profile,
    candidates: Option<&[String]>,
    weights: Weights,
) -> Result<Ranking, ApiError> {
    rank_on(shipped(), profile, candidates, weights)
}

/// The shipped locations, read from their CSV files once: reading them took most of a
/// ranking's time.
fn shipped() -> &'static LocationData {
    static SHIPPED: std::sync::LazyLock<LocationData> =
        std::sync::LazyLock::new(LocationData::shipped);
    &SHIPPED
}

fn rank_on(
    data: &LocationData,
    profile: &Profile,
    candidates: Option<&[String]>,
    weights: Weights,
) -> Result<Ranking, ApiError> {
    let candidates = match candidates {
        Some(codes) if !codes.is_empty() => {
            let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
            data.candidates(&codes).map_err(siting_refusal)?
        }
        _ => data.all_candidates(),
    };
    siting::rank(data, profile, &candidates, &weights).map_err(siting_refusal)
}

/// A refusal of the siting engine with its own code (`all_zero_weights`, `bad_weight`, ...)
/// and its message, which names the field.
fn siting_refusal(err: siting::SitingError) -> ApiError {
    ApiError::BadRequest {
        code: err.code(),
        message: err.to_string(),
    }
}

pub(crate) fn profile_of(code: Option<&str>, toml: Option<&str>) -> Result<Profile, ApiError> {
    match (code, toml) {
        (_, Some(text)) => Profile::from_toml(text).map_err(|e| ApiError::field("profile_toml", e)),
        (Some(code), None) => match siting::shipped_profile(code) {
            Some(profile) => profile.map_err(|e| ApiError::Internal(e.into())),
            None => {
                let known: Vec<&str> = siting::SHIPPED_PROFILES.iter().map(|(c, _)| *c).collect();
                Err(ApiError::field(
                    "profile",
                    format!("unknown profile \"{code}\"; shipped: {}", known.join(", ")),
                ))
            }
        },
        (None, None) => Err(ApiError::field(
            "profile",
            "give a shipped `profile` code or a `profile_toml`",
        )),
    }
}

/// Costs a project profile at each candidate location and ranks them by weighted sum and by
/// TOPSIS, with the sensitivity of the top choice to each weight and tornado data for the top
/// three. Indicator values are indicative unless marked published.
#[utoipa::path(post, path = "/sites/rank", tag = "sites", request_body = RankRequest,
    responses((status = 200, description = "The ranking", body = Object), (status = 400, body = crate::error::ErrorBody)))]
async fn rank_sites(ApiJson(request): ApiJson<RankRequest>) -> Result<Json<Ranking>, ApiError> {
    let profile = profile_of(request.profile.as_deref(), request.profile_toml.as_deref())?;
    let weights = match request.weights {
        Some(w) => Weights {
            cost: w.cost,
            skilled_labour: w.skilled_labour,
            geopolitical_exposure: w.geopolitical_exposure,
            approval_lead_time: w.approval_lead_time,
            ip_protection: w.ip_protection,
        },
        None => Weights::cost_first(),
    };
    let uploaded;
    let data = match request.dataset {
        Some(dataset) => {
            let name = dataset.name.trim().to_owned();
            if name.is_empty() || name.chars().count() > 120 {
                return Err(ApiError::field(
                    "dataset.name",
                    "must have 1 to 120 characters",
                ));
            }
            uploaded = LocationData::from_csv(
                dataset.names_csv.as_bytes(),
                dataset.indicators_csv.as_bytes(),
            )
            .map_err(|e| ApiError::field("dataset", e))?
            .renamed(name);
            &uploaded
        }
        None => shipped(),
    };
    // Ranking a thousand locations takes about 2 ms (see the siting benchmark): no need to
    // leave the async worker.
    Ok(Json(rank_on(
        data,
        &profile,
        request.candidates.as_deref(),
        weights,
    )?))
}
