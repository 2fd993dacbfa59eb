//! The directory over the API: search with facets, profiles (organisations edit their own,
//! administrators verify), matching with reasons, introductions and match quality.
//!
//! Profiles are public. Introductions (and their messages) are seen only by the two
//! organisations, officers and administrators.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use directory::{
    match_request, Entry, EntryId, Kind, Match, MatchRequest, Profile, ProfileInput, Reason,
    Region, SearchQuery, Sector, Service, Stage, Ticket,
};
use serde::{Deserialize, Serialize};
use store::{DirectoryRecord, IntroductionRecord, NewIntroduction};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vocab::{Currency, Money, Role};

use crate::api::{ApiJson, ApiPath, ApiQuery, SignedIn};
use crate::context::access_of;
use crate::error::ApiError;
use crate::i18n::{Lang, Tr};
use crate::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(create_entry))
        .routes(routes!(get_entry, update_entry, delete_entry))
        .routes(routes!(verify_entry))
        .routes(routes!(match_candidates))
        .routes(routes!(match_quality))
        .routes(routes!(list_introductions, request_introduction))
        .routes(routes!(decide_introduction))
}

/// The most hits a page of search results holds.
pub(crate) const MAX_PAGE: usize = 100;

/// Splits a comma-separated list of codes, parsing each, naming the parameter and position.
fn codes<T>(
    field: &str,
    text: Option<&str>,
    parse: impl Fn(&str) -> Result<T, directory::UnknownCode>,
) -> Result<Vec<T>, ApiError> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(Vec::new());
    };
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .enumerate()
        .map(|(i, code)| parse(code).map_err(|e| ApiError::field(&format!("{field}[{i}]"), e)))
        .collect()
}

/// The query string of a search.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words in English and/or Chinese, e.g. `testing Chongqing` or `檢測 重慶`; typos in
    /// English are tolerated.
    pub q: Option<String>,
    /// Kinds, comma-separated: `enterprise`, `investor`, `provider`, `site`, `project`.
    pub kind: Option<String>,
    /// Service codes, comma-separated (e.g. `testing_certification`).
    pub service: Option<String>,
    /// Region codes, comma-separated (e.g. `chongqing`).
    pub region: Option<String>,
    /// Sector codes, comma-separated (e.g. `ev_batteries`).
    pub sector: Option<String>,
    /// Hits per page, 1 to 100 (default 20).
    pub limit: Option<usize>,
    /// Hits to skip (default 0).
    pub offset: Option<usize>,
}

impl SearchParams {
    /// The engine's query, naming the first bad parameter.
    pub fn to_query(&self) -> Result<SearchQuery, ApiError> {
        let limit = self.limit.unwrap_or(20);
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(ApiError::field(
                "limit",
                format!("{limit} is not from 1 to {MAX_PAGE}"),
            ));
        }
        let offset = self.offset.unwrap_or(0);
        if offset > 10_000 {
            return Err(ApiError::field("offset", "at most 10000"));
        }
        let text = self.q.clone().unwrap_or_default();
        if text.chars().count() > 200 {
            return Err(ApiError::field("q", "longer than 200 characters"));
        }
        Ok(SearchQuery {
            text,
            kinds: codes("kind", self.kind.as_deref(), Kind::parse)?,
            services: codes("service", self.service.as_deref(), Service::parse)?,
            regions: codes("region", self.region.as_deref(), Region::parse)?,
            sectors: codes("sector", self.sector.as_deref(), Sector::parse)?,
            limit,
            offset,
        })
    }
}

/// A value and how many matching entries have it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetDto {
    /// The code.
    pub code: String,
    /// Matching entries with it.
    pub count: u64,
}

/// Facet counts over all matching entries.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetsDto {
    /// By kind.
    pub kinds: Vec<FacetDto>,
    /// By service.
    pub services: Vec<FacetDto>,
    /// By region.
    pub regions: Vec<FacetDto>,
    /// By sector.
    pub sectors: Vec<FacetDto>,
}

/// A directory entry in a list: enough to show and link it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntrySummaryDto {
    /// Id.
    pub id: u64,
    /// Kind code.
    pub kind: String,
    /// Name in English.
    pub name_en: String,
    /// Name in Traditional Chinese.
    pub name_zh: String,
    /// Description in English.
    pub description_en: String,
    /// Description in Traditional Chinese.
    pub description_zh: String,
    /// Service codes.
    pub services: Vec<String>,
    /// Region codes.
    pub regions: Vec<String>,
    /// Sector codes.
    pub sectors: Vec<String>,
    /// Certifications.
    pub certifications: Vec<String>,
    /// Verified by the platform.
    pub verified: bool,
    /// `published: …`, `indicative` or `synthetic`.
    pub provenance: String,
}

impl From<&DirectoryRecord> for EntrySummaryDto {
    fn from(r: &DirectoryRecord) -> Self {
        let p = &r.profile;
        EntrySummaryDto {
            id: r.id.get(),
            kind: p.kind().code().to_owned(),
            name_en: p.name().en().to_owned(),
            name_zh: p.name().zh().to_owned(),
            description_en: p.description().en().to_owned(),
            description_zh: p.description().zh().to_owned(),
            services: p.services().iter().map(|s| s.code().to_owned()).collect(),
            regions: p.regions().iter().map(|s| s.code().to_owned()).collect(),
            sectors: p.sectors().iter().map(|s| s.code().to_owned()).collect(),
            certifications: p.certifications().to_vec(),
            verified: p.verified(),
            provenance: p.provenance().to_string(),
        }
    }
}

/// What a search found.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchDto {
    /// Matching entries.
    pub total: u64,
    /// True when no entry matched every word, so entries matching any word are shown.
    pub relaxed: bool,
    /// This page, best first.
    pub hits: Vec<EntrySummaryDto>,
    /// Counts by facet.
    pub facets: FacetsDto,
}

/// A search and its hits' records, as both the API and the page show them.
pub(crate) struct Found {
    pub results: directory::SearchResults,
    pub records: Vec<DirectoryRecord>,
}

pub(crate) async fn run_search(state: &AppState, query: SearchQuery) -> Result<Found, ApiError> {
    let index = state.directory().fresh(state.store()).await?;
    let results = tokio::task::spawn_blocking(move || index.search(&query))
        .await
        .map_err(|e| ApiError::Internal(e.into()))??;
    let ids: Vec<EntryId> = results.hits.iter().map(|h| h.id).collect();
    let records = state.store().directory_entries_by_ids(&ids).await?;
    Ok(Found { results, records })
}

/// Searches the directory in English and Chinese, with filters and facet counts.
#[utoipa::path(get, path = "/directory/search", tag = "directory", params(SearchParams),
    responses((status = 200, body = SearchDto), (status = 400, body = crate::error::ErrorBody)))]
async fn search(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<SearchDto>, ApiError> {
    let found = run_search(&state, params.to_query()?).await?;
    let facet = |code: &str, count: u64| FacetDto {
        code: code.to_owned(),
        count,
    };
    let f = &found.results.facets;
    Ok(Json(SearchDto {
        total: found.results.total,
        relaxed: found.results.relaxed,
        hits: found.records.iter().map(EntrySummaryDto::from).collect(),
        facets: FacetsDto {
            kinds: f.kinds.iter().map(|(k, n)| facet(k.code(), *n)).collect(),
            services: f
                .services
                .iter()
                .map(|(k, n)| facet(k.code(), *n))
                .collect(),
            regions: f.regions.iter().map(|(k, n)| facet(k.code(), *n)).collect(),
            sectors: f.sectors.iter().map(|(k, n)| facet(k.code(), *n)).collect(),
        },
    }))
}

/// A whole entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryDto {
    /// Id.
    pub id: u64,
    /// The owning organisation; null for synthetic and imported entries.
    pub org: Option<i64>,
    /// The profile, in the form it is sent in.
    #[schema(value_type = Object)]
    pub profile: ProfileInput,
    /// Last changed (RFC 3339 UTC).
    pub updated_at: String,
}

impl From<DirectoryRecord> for EntryDto {
    fn from(r: DirectoryRecord) -> Self {
        EntryDto {
            id: r.id.get(),
            org: r.org.map(|o| o.get()),
            profile: ProfileInput::from(r.profile),
            updated_at: r.updated_at,
        }
    }
}

/// Parses a profile as sent. Only administrators set `verified` or a provenance other than
/// `indicative` (an organisation's own description of itself).
pub(crate) fn parse_profile(
    user: &store::UserRecord,
    mut input: ProfileInput,
    verified_now: bool,
) -> Result<Profile, ApiError> {
    if user.role != Role::Admin {
        input.verified = verified_now;
        input.provenance = "indicative".to_owned();
    } else if input.provenance.trim().is_empty() {
        input.provenance = "indicative".to_owned();
    }
    Profile::try_from(input).map_err(|e| ApiError::BadRequest {
        code: "invalid_field",
        message: e.to_string(),
    })
}

/// One entry.
#[utoipa::path(get, path = "/directory/{id}", tag = "directory",
    params(("id" = u64, Path, description = "Entry id")),
    responses((status = 200, body = EntryDto), (status = 404, body = crate::error::ErrorBody)))]
async fn get_entry(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<u64>,
) -> Result<Json<EntryDto>, ApiError> {
    Ok(Json(
        state
            .store()
            .directory_entry(EntryId::new(id))
            .await?
            .into(),
    ))
}

/// Adds a profile for the caller's organisation.
#[utoipa::path(post, path = "/directory", tag = "directory", security(("bearer" = [])),
    request_body(content = Object, description = "A profile: kind, name_en, name_zh, description_en, description_zh, sectors, services, regions, languages, size, certifications; investors: stages, ticket_min, ticket_max; projects: stage, funding_sought"),
    responses((status = 201, body = EntryDto), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
async fn create_entry(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiJson(input): ApiJson<ProfileInput>,
) -> Result<(StatusCode, Json<EntryDto>), ApiError> {
    let user = &caller.user;
    let org = match (user.org, user.role) {
        (Some(org), _) => Some(org),
        (None, Role::Admin) => None,
        (None, _) => {
            return Err(ApiError::Forbidden(
                "only a member of an organisation adds its profile".into(),
            ))
        }
    };
    let profile = parse_profile(user, input, false)?;
    let id = state
        .store()
        .create_directory_entry(&caller.audit(), org, &profile)
        .await?;
    state.directory().sync_now(state.store()).await?;
    let record = state.store().directory_entry(id).await?;
    Ok((StatusCode::CREATED, Json(record.into())))
}

/// Replaces a profile: its own organisation or an administrator.
#[utoipa::path(put, path = "/directory/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = u64, Path, description = "Entry id")), request_body = Object,
    responses((status = 200, body = EntryDto), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
async fn update_entry(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiPath(id): ApiPath<u64>,
    ApiJson(input): ApiJson<ProfileInput>,
) -> Result<Json<EntryDto>, ApiError> {
    let user = &caller.user;
    let existing = state.store().directory_entry(EntryId::new(id)).await?;
    let profile = parse_profile(user, input, existing.profile.verified())?;
    state
        .store()
        .update_directory_entry(
            &caller.audit(),
            access_of(Some(user)),
            EntryId::new(id),
            &profile,
        )
        .await?;
    state.directory().sync_now(state.store()).await?;
    Ok(Json(
        state
            .store()
            .directory_entry(EntryId::new(id))
            .await?
            .into(),
    ))
}

/// Deletes a profile: its own organisation or an administrator.
#[utoipa::path(delete, path = "/directory/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = u64, Path, description = "Entry id")),
    responses((status = 204), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn delete_entry(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiPath(id): ApiPath<u64>,
) -> Result<StatusCode, ApiError> {
    let user = &caller.user;
    state
        .store()
        .delete_directory_entry(&caller.audit(), access_of(Some(user)), EntryId::new(id))
        .await?;
    state.directory().sync_now(state.store()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The verified mark.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyInput {
    /// Whether the platform has verified the entry.
    pub verified: bool,
}

/// Sets or clears the verified mark: administrators only.
#[utoipa::path(post, path = "/directory/{id}/verify", tag = "directory", security(("bearer" = [])),
    params(("id" = u64, Path, description = "Entry id")), request_body = VerifyInput,
    responses((status = 204), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn verify_entry(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiPath(id): ApiPath<u64>,
    ApiJson(input): ApiJson<VerifyInput>,
) -> Result<StatusCode, ApiError> {
    let user = &caller.user;
    state
        .store()
        .verify_directory_entry(
            &caller.audit(),
            access_of(Some(user)),
            EntryId::new(id),
            input.verified,
        )
        .await?;
    state.directory().sync_now(state.store()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A matching request: free text and structured needs, or an entry to match for.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct MatchInput {
    /// Match for this entry's profile (its needs, or an investor's focus and ticket); when
    /// given, the other fields must be empty.
    pub entry: Option<u64>,
    /// Free text, e.g. "testing and certification for EV batteries in Chongqing".
    pub text: String,
    /// Kinds of candidate wanted.
    pub kinds: Vec<String>,
    /// Services wanted.
    pub services: Vec<String>,
    /// Sectors.
    pub sectors: Vec<String>,
    /// Regions.
    pub regions: Vec<String>,
    /// Stages.
    pub stages: Vec<String>,
    /// Certifications wanted, as written.
    pub certifications: Vec<String>,
    /// An investor's least ticket, HKD (with `ticket_max`).
    pub ticket_min: Option<String>,
    /// An investor's largest ticket, HKD.
    pub ticket_max: Option<String>,
    /// The funding sought or the budget, HKD.
    pub budget: Option<String>,
    /// Candidates to return, 1 to 100 (default 20).
    pub limit: Option<usize>,
}

fn list<T>(
    field: &str,
    items: &[String],
    parse: impl Fn(&str) -> Result<T, directory::UnknownCode>,
) -> Result<Vec<T>, ApiError> {
    items
        .iter()
        .enumerate()
        .map(|(i, code)| {
            parse(code.trim()).map_err(|e| ApiError::field(&format!("{field}[{i}]"), e))
        })
        .collect()
}

fn hkd(field: &str, text: Option<&str>) -> Result<Option<Money>, ApiError> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    let money = Money::parse_amount(&text.replace(',', ""), Currency::Hkd)
        .map_err(|e| ApiError::field(field, e))?;
    if money.cents() <= 0 {
        return Err(ApiError::field(field, "must be more than zero"));
    }
    Ok(Some(money))
}

impl MatchInput {
    /// The engine's request; `entry` is resolved by the caller.
    pub fn to_request(&self) -> Result<MatchRequest, ApiError> {
        if self.text.chars().count() > 500 {
            return Err(ApiError::field("text", "longer than 500 characters"));
        }
        let ticket = match (
            hkd("ticket_min", self.ticket_min.as_deref())?,
            hkd("ticket_max", self.ticket_max.as_deref())?,
        ) {
            (None, None) => None,
            (Some(min), Some(max)) => {
                Some(Ticket::new(min, max).map_err(|e| ApiError::field("ticket_min", e))?)
            }
            _ => {
                return Err(ApiError::field(
                    "ticket_min/ticket_max",
                    "give both ends of the ticket, or neither",
                ))
            }
        };
        Ok(MatchRequest {
            text: self.text.trim().to_owned(),
            kinds: list("kinds", &self.kinds, Kind::parse)?,
            services: list("services", &self.services, Service::parse)?,
            sectors: list("sectors", &self.sectors, Sector::parse)?,
            regions: list("regions", &self.regions, Region::parse)?,
            stages: list("stages", &self.stages, Stage::parse)?,
            certifications: self
                .certifications
                .iter()
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty())
                .collect(),
            ticket,
            funding_sought: hkd("budget", self.budget.as_deref())?,
            exclude: None,
        })
    }

    fn is_structured(&self) -> bool {
        !(self.text.is_empty()
            && self.kinds.is_empty()
            && self.services.is_empty()
            && self.sectors.is_empty()
            && self.regions.is_empty()
            && self.stages.is_empty()
            && self.certifications.is_empty()
            && self.ticket_min.is_none()
            && self.ticket_max.is_none()
            && self.budget.is_none())
    }
}

/// One reason, as data and in both languages.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReasonDto {
    /// The reason's code, e.g. `serves_region`.
    pub code: String,
    /// Its data, e.g. `"chongqing"`, or `{"sought", "min", "max"}` for a ticket; null when
    /// the code says it all.
    pub detail: serde_json::Value,
    /// In English.
    pub text_en: String,
    /// In Traditional Chinese.
    pub text_zh: String,
}

/// A candidate with its score and reasons.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchDto {
    /// Entry id.
    pub id: u64,
    /// Kind code.
    pub kind: String,
    /// Name in English.
    pub name_en: String,
    /// Name in Traditional Chinese.
    pub name_zh: String,
    /// 0 to 100.
    pub score: u8,
    /// Why it matches.
    pub reasons: Vec<ReasonDto>,
}

/// A reason in words: "Serves Chongqing", "ISO/IEC 17025 certified", "Ticket HK$50m–HK$200m
/// fits HK$120m".
pub(crate) fn reason_text(t: &Tr, reason: &Reason) -> String {
    let money = |m: &Money| crate::pages::hkd_millions_rounded(t, *m);
    match reason {
        Reason::InSector(s) => t.f(
            "dir.reason.in_sector",
            &[("sector", &t.k("dir.sector.", s.code()))],
        ),
        Reason::OffersService(s) => t.f(
            "dir.reason.offers_service",
            &[("service", &t.k("dir.service.", s.code()))],
        ),
        Reason::NeedsService(s) => t.f(
            "dir.reason.needs_service",
            &[("service", &t.k("dir.service.", s.code()))],
        ),
        Reason::ServesRegion(r) => t.f(
            "dir.reason.serves_region",
            &[("region", &t.k("dir.region.", r.code()))],
        ),
        Reason::TicketFits { sought, min, max } => t.f(
            "dir.reason.ticket_fits",
            &[
                ("sought", &money(sought)),
                ("min", &money(min)),
                ("max", &money(max)),
            ],
        ),
        Reason::StageFits(s) => t.f(
            "dir.reason.stage_fits",
            &[("stage", &t.k("dir.stage.", s.code()))],
        ),
        Reason::Certified(c) => t.f("dir.reason.certified", &[("certification", c)]),
        Reason::TextMatch => t.s("dir.reason.text_match").to_owned(),
        Reason::Verified => t.s("dir.reason.verified").to_owned(),
    }
}

fn reason_code(reason: &Reason) -> (&'static str, serde_json::Value) {
    let detail = match serde_json::to_value(reason) {
        Ok(serde_json::Value::Object(map)) => map.into_iter().next().map(|(_, v)| v),
        _ => None,
    }
    .unwrap_or(serde_json::Value::Null);
    let code = match reason {
        Reason::InSector(_) => "in_sector",
        Reason::OffersService(_) => "offers_service",
        Reason::NeedsService(_) => "needs_service",
        Reason::ServesRegion(_) => "serves_region",
        Reason::TicketFits { .. } => "ticket_fits",
        Reason::StageFits(_) => "stage_fits",
        Reason::Certified(_) => "certified",
        Reason::TextMatch => "text_match",
        Reason::Verified => "verified",
    };
    (code, detail)
}

pub(crate) fn match_dto(state: &AppState, m: &Match) -> MatchDto {
    let en = Tr::new(Lang::En, state.catalogs().clone());
    let zh = Tr::new(Lang::ZhHk, state.catalogs().clone());
    MatchDto {
        id: m.id.get(),
        kind: m.kind.code().to_owned(),
        name_en: m.name.en().to_owned(),
        name_zh: m.name.zh().to_owned(),
        score: m.score,
        reasons: m
            .reasons
            .iter()
            .map(|r| {
                let (code, detail) = reason_code(r);
                ReasonDto {
                    code: code.to_owned(),
                    detail,
                    text_en: reason_text(&en, r),
                    text_zh: reason_text(&zh, r),
                }
            })
            .collect(),
    }
}

/// Runs a match on the blocking pool.
pub(crate) async fn run_match(
    state: &AppState,
    request: MatchRequest,
    limit: usize,
) -> Result<Vec<Match>, ApiError> {
    let index = state.directory().fresh(state.store()).await?;
    Ok(
        tokio::task::spawn_blocking(move || match_request(&index, &request, limit))
            .await
            .map_err(|e| ApiError::Internal(e.into()))??,
    )
}

/// The request an entry makes: its profile's needs, or an investor's focus and ticket.
pub(crate) async fn request_for_entry(
    state: &AppState,
    id: EntryId,
) -> Result<MatchRequest, ApiError> {
    let record = state.store().directory_entry(id).await?;
    Ok(MatchRequest::for_profile(&Entry::new(
        record.id,
        record.profile,
    )))
}

/// Ranked candidates for a request or an entry, each with a score and its reasons.
#[utoipa::path(post, path = "/match", tag = "directory", request_body = MatchInput,
    responses((status = 200, body = [MatchDto]), (status = 400, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
async fn match_candidates(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<MatchInput>,
) -> Result<Json<Vec<MatchDto>>, ApiError> {
    let limit = input.limit.unwrap_or(20);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::field(
            "limit",
            format!("{limit} is not from 1 to {MAX_PAGE}"),
        ));
    }
    let request = match input.entry {
        Some(_) if input.is_structured() => {
            return Err(ApiError::field(
                "entry",
                "give an entry or a request, not both",
            ))
        }
        Some(id) => request_for_entry(&state, EntryId::new(id)).await?,
        None => input.to_request()?,
    };
    let matches = run_match(&state, request, limit).await?;
    Ok(Json(matches.iter().map(|m| match_dto(&state, m)).collect()))
}

/// Acceptance of introductions by score band.
#[derive(Debug, Serialize, ToSchema)]
pub struct BandDto {
    /// Lowest score in the band.
    pub from: u8,
    /// Highest score in the band.
    pub to: u8,
    /// Introductions decided.
    pub decided: u64,
    /// Of which accepted.
    pub accepted: u64,
    /// Accepted share in percent, when any were decided.
    pub acceptance_pct: Option<String>,
}

pub(crate) async fn quality_bands(state: &AppState) -> Result<Vec<directory::Band>, ApiError> {
    let outcomes = state.store().introduction_outcomes().await?;
    Ok(directory::acceptance_by_score_band(&outcomes))
}

/// Match quality: how often introductions were accepted, by the score the match gave.
#[utoipa::path(get, path = "/match/quality", tag = "directory",
    responses((status = 200, body = [BandDto])))]
async fn match_quality(State(state): State<AppState>) -> Result<Json<Vec<BandDto>>, ApiError> {
    let bands = quality_bands(&state).await?;
    Ok(Json(bands.iter().map(band_dto).collect()))
}

pub(crate) fn band_dto(b: &directory::Band) -> BandDto {
    BandDto {
        from: b.from,
        to: b.to,
        decided: b.offered,
        accepted: b.accepted,
        acceptance_pct: b.rate.map(|p| p.to_string()),
    }
}

/// An introduction as returned.
#[derive(Debug, Serialize, ToSchema)]
pub struct IntroductionDto {
    /// Id.
    pub id: i64,
    /// The asking organisation.
    pub from_org: i64,
    /// The asker's entry, if named.
    pub from_entry: Option<u64>,
    /// The entry asked for.
    pub to_entry: u64,
    /// Its organisation.
    pub to_org: Option<i64>,
    /// The match score when asked (0 when no entry of the asker's was matched).
    pub score: u8,
    /// The reasons, as when asked (a list).
    pub reasons: serde_json::Value,
    /// The message.
    pub message: String,
    /// `requested`, `accepted` or `declined`.
    pub status: String,
    /// Asked (RFC 3339 UTC).
    pub created_at: String,
    /// Decided.
    pub decided_at: Option<String>,
}

impl From<IntroductionRecord> for IntroductionDto {
    fn from(r: IntroductionRecord) -> Self {
        IntroductionDto {
            id: r.id,
            from_org: r.from_org.get(),
            from_entry: r.from_entry.map(EntryId::get),
            to_entry: r.to_entry.get(),
            to_org: r.to_org.map(|o| o.get()),
            score: r.score,
            reasons: serde_json::from_str(&r.reasons_json).unwrap_or(serde_json::Value::Null),
            message: r.message,
            status: r.status,
            created_at: r.created_at,
            decided_at: r.decided_at,
        }
    }
}

/// Asks for an introduction.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntroductionInput {
    /// The entry to be introduced to.
    pub to_entry: u64,
    /// The asker's own entry the match was made for, if any (scores the introduction).
    pub from_entry: Option<u64>,
    /// A message for the other side, up to 2,000 characters.
    pub message: String,
}

/// Scores an introduction by matching the asker's entry against the target's kind.
async fn score_introduction(
    state: &AppState,
    from_entry: Option<EntryId>,
    to_entry: EntryId,
) -> Result<(u8, String), ApiError> {
    let Some(from) = from_entry else {
        return Ok((0, "[]".to_owned()));
    };
    let target = state.store().directory_entry(to_entry).await?;
    let mut request = request_for_entry(state, from).await?;
    request.kinds = vec![target.profile.kind()];
    let matches = run_match(state, request, directory::MAX_MATCHES).await?;
    Ok(matches
        .iter()
        .find(|m| m.id == to_entry)
        .map(|m| {
            let reasons: Vec<serde_json::Value> = m
                .reasons
                .iter()
                .map(|r| {
                    let (code, detail) = reason_code(r);
                    serde_json::json!({ "code": code, "detail": detail })
                })
                .collect();
            (m.score, serde_json::Value::Array(reasons).to_string())
        })
        .unwrap_or((0, "[]".to_owned())))
}

/// Asks the organisation behind an entry for an introduction.
pub(crate) async fn introduce(
    state: &AppState,
    ctx: &store::AuditContext,
    user: &store::UserRecord,
    input: IntroductionInput,
) -> Result<i64, ApiError> {
    let Some(org) = user.org else {
        return Err(ApiError::Forbidden(
            "only a member of an organisation asks for introductions".into(),
        ));
    };
    let message = input.message.trim().to_owned();
    if message.is_empty() || message.chars().count() > 2000 {
        return Err(ApiError::field(
            "message",
            "say who you are and what you need, in 1 to 2,000 characters",
        ));
    }
    let from_entry = input.from_entry.map(EntryId::new);
    if let Some(from) = from_entry {
        if state.store().directory_entry(from).await?.org != Some(org) {
            return Err(ApiError::field(
                "from_entry",
                "is not your organisation's entry",
            ));
        }
    }
    let to_entry = EntryId::new(input.to_entry);
    let (score, reasons_json) = score_introduction(state, from_entry, to_entry).await?;
    Ok(state
        .store()
        .request_introduction(
            ctx,
            &NewIntroduction {
                from_org: org,
                from_entry,
                to_entry,
                score,
                reasons_json,
                message,
            },
        )
        .await?)
}

/// Introductions the caller's organisation asked for or was asked for.
#[utoipa::path(get, path = "/introductions", tag = "directory", security(("bearer" = [])),
    responses((status = 200, body = [IntroductionDto]), (status = 401, body = crate::error::ErrorBody)))]
async fn list_introductions(
    State(state): State<AppState>,
    caller: SignedIn,
) -> Result<Json<Vec<IntroductionDto>>, ApiError> {
    let user = &caller.user;
    let list = state.store().introductions(access_of(Some(user))).await?;
    Ok(Json(list.into_iter().map(IntroductionDto::from).collect()))
}

/// Asks for an introduction to an entry's organisation.
#[utoipa::path(post, path = "/introductions", tag = "directory", security(("bearer" = [])),
    request_body = IntroductionInput,
    responses((status = 201, body = IntroductionDto), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn request_introduction(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiJson(input): ApiJson<IntroductionInput>,
) -> Result<(StatusCode, Json<IntroductionDto>), ApiError> {
    let user = &caller.user;
    let id = introduce(&state, &caller.audit(), user, input).await?;
    let record = state
        .store()
        .introduction(access_of(Some(user)), id)
        .await?;
    Ok((StatusCode::CREATED, Json(record.into())))
}

/// Accepts or declines.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// True to accept, false to decline.
    pub accept: bool,
}

/// Accepts or declines an introduction the caller's organisation was asked for.
#[utoipa::path(post, path = "/introductions/{id}/decision", tag = "directory", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Introduction id")), request_body = DecisionInput,
    responses((status = 204), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody)))]
async fn decide_introduction(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<StatusCode, ApiError> {
    let user = &caller.user;
    state
        .store()
        .decide_introduction(&caller.audit(), access_of(Some(user)), id, input.accept)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
