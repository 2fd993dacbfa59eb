//! Directory pages: search with facets, a profile with its matches, the matching form, and the
//! organisation's introductions with match quality.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use directory::{EntryId, Kind, Match, Region, Sector, Service};
use serde::Deserialize;
use store::DirectoryRecord;

use crate::api::directory::{
    band_dto, introduce, quality_bands, reason_text, request_for_entry, run_match, run_search,
    BandDto, IntroductionInput, MatchInput, SearchParams,
};
use crate::context::PageContext;
use crate::error::ApiError;
use crate::i18n::Tr;
use crate::pages::{csrf_refused, error_page, hkd_millions_rounded, render, store_error_page};
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/directory", get(search_page))
        .route("/directory/{id}", get(entry_page))
        .route("/match", get(match_page))
        .route(
            "/introductions",
            get(introductions_page).post(create_introduction),
        )
        .route("/introductions/{id}/decision", post(decide))
}

/// An entry as a result row.
pub(crate) struct EntryView {
    pub id: u64,
    pub kind: String,
    pub name: String,
    pub other_name: String,
    pub description: String,
    pub services: String,
    pub regions: String,
    pub sectors: String,
    pub certifications: String,
    pub verified: bool,
    pub provenance_kind: String,
}

/// The text in the reader's language, and in the other.
fn pick(t: &Tr, text: &vocab::BilingualText) -> (String, String) {
    (
        text.get(t.is_zh()).to_owned(),
        text.get(!t.is_zh()).to_owned(),
    )
}

fn labels<T: Copy>(t: &Tr, prefix: &str, items: &[T], code: impl Fn(T) -> &'static str) -> String {
    items
        .iter()
        .map(|i| t.k(prefix, code(*i)))
        .collect::<Vec<_>>()
        .join(t.s("dir.list_separator"))
}

fn entry_view(t: &Tr, r: &DirectoryRecord) -> EntryView {
    let p = &r.profile;
    let (name, other_name) = pick(t, p.name());
    EntryView {
        id: r.id.get(),
        kind: t.k("dir.kind.", p.kind().code()),
        name,
        other_name,
        description: pick(t, p.description()).0,
        services: labels(t, "dir.service.", p.services(), Service::code),
        regions: labels(t, "dir.region.", p.regions(), Region::code),
        sectors: labels(t, "dir.sector.", p.sectors(), Sector::code),
        certifications: p.certifications().join(", "),
        verified: p.verified(),
        provenance_kind: p.provenance().kind().to_owned(),
    }
}

/// A facet value as a link that adds it to the filters.
pub(crate) struct FacetLink {
    pub label: String,
    pub count: u64,
    pub href: String,
    pub active: bool,
}

/// A select's options: code, label, selected.
pub(crate) struct Choice {
    pub code: &'static str,
    pub label: String,
    pub selected: bool,
}

fn choices<T: Copy>(
    t: &Tr,
    prefix: &str,
    all: &[T],
    code: impl Fn(T) -> &'static str,
    selected: &str,
) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice {
            code: code(*v),
            label: t.k(prefix, code(*v)),
            selected: selected.split(',').any(|s| s == code(*v)),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "directory.html")]
struct SearchPage<'a> {
    ctx: &'a PageContext,
    q: String,
    kinds: Vec<Choice>,
    services: Vec<Choice>,
    regions: Vec<Choice>,
    sectors: Vec<Choice>,
    error: Option<String>,
    searched: bool,
    total: u64,
    relaxed: bool,
    hits: Vec<EntryView>,
    facet_groups: Vec<(String, Vec<FacetLink>)>,
}

fn href_with(params: &SearchParams, key: &str, code: &str) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    let current = |k: &str| match k {
        "kind" => params.kind.clone(),
        "service" => params.service.clone(),
        "region" => params.region.clone(),
        "sector" => params.sector.clone(),
        _ => None,
    };
    if let Some(q) = params.q.as_ref().filter(|q| !q.is_empty()) {
        pairs.push(("q", q.clone()));
    }
    for k in ["kind", "service", "region", "sector"] {
        let value = if k == key {
            Some(code.to_owned())
        } else {
            current(k)
        };
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            pairs.push((k, v));
        }
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect();
    format!("/directory?{}", query.join("&"))
}

fn url_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

async fn search_page(
    State(state): State<AppState>,
    ctx: PageContext,
    Query(params): Query<SearchParams>,
) -> Response {
    let t = &ctx.t;
    let searched = params.q.is_some()
        || params.kind.is_some()
        || params.service.is_some()
        || params.region.is_some()
        || params.sector.is_some();
    let mut page = SearchPage {
        ctx: &ctx,
        q: params.q.clone().unwrap_or_default(),
        kinds: choices(
            t,
            "dir.kind.",
            &Kind::ALL,
            Kind::code,
            params.kind.as_deref().unwrap_or(""),
        ),
        services: choices(
            t,
            "dir.service.",
            &Service::ALL,
            Service::code,
            params.service.as_deref().unwrap_or(""),
        ),
        regions: choices(
            t,
            "dir.region.",
            &Region::ALL,
            Region::code,
            params.region.as_deref().unwrap_or(""),
        ),
        sectors: choices(
            t,
            "dir.sector.",
            &Sector::ALL,
            Sector::code,
            params.sector.as_deref().unwrap_or(""),
        ),
        error: None,
        searched,
        total: 0,
        relaxed: false,
        hits: Vec::new(),
        facet_groups: Vec::new(),
    };
    let query = match params.to_query() {
        Ok(q) => q,
        Err(err) => {
            page.error = Some(err.to_string());
            return (StatusCode::BAD_REQUEST, render(&page)).into_response();
        }
    };
    let found = match run_search(&state, query).await {
        Ok(f) => f,
        Err(err) => {
            page.error = Some(err.to_string());
            return (err.status(), render(&page)).into_response();
        }
    };
    let f = &found.results.facets;
    let link =
        |key: &str, prefix: &str, code: &'static str, count: u64, active: &Option<String>| {
            FacetLink {
                label: t.k(prefix, code),
                count,
                href: href_with(&params, key, code),
                active: active.as_deref() == Some(code),
            }
        };
    page.facet_groups = vec![
        (
            t.s("dir.facet.kind").to_owned(),
            f.kinds
                .iter()
                .map(|(k, n)| link("kind", "dir.kind.", k.code(), *n, &params.kind))
                .collect(),
        ),
        (
            t.s("dir.facet.service").to_owned(),
            f.services
                .iter()
                .map(|(k, n)| link("service", "dir.service.", k.code(), *n, &params.service))
                .collect(),
        ),
        (
            t.s("dir.facet.region").to_owned(),
            f.regions
                .iter()
                .map(|(k, n)| link("region", "dir.region.", k.code(), *n, &params.region))
                .collect(),
        ),
        (
            t.s("dir.facet.sector").to_owned(),
            f.sectors
                .iter()
                .map(|(k, n)| link("sector", "dir.sector.", k.code(), *n, &params.sector))
                .collect(),
        ),
    ];
    page.total = found.results.total;
    page.relaxed = found.results.relaxed;
    page.hits = found.records.iter().map(|r| entry_view(t, r)).collect();
    render(&page)
}

/// A match as shown: the entry, its score, its reasons in words.
pub(crate) struct MatchView {
    pub id: u64,
    pub kind: String,
    pub name: String,
    pub score: u8,
    pub reasons: Vec<String>,
}

fn match_views(t: &Tr, matches: &[Match]) -> Vec<MatchView> {
    matches
        .iter()
        .map(|m| MatchView {
            id: m.id.get(),
            kind: t.k("dir.kind.", m.kind.code()),
            name: pick(t, &m.name).0,
            score: m.score,
            reasons: m.reasons.iter().map(|r| reason_text(t, r)).collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "directory_entry.html")]
struct EntryPage<'a> {
    ctx: &'a PageContext,
    entry: EntryView,
    ticket: Option<String>,
    funding_sought: Option<String>,
    own: bool,
    may_ask: bool,
    own_entries: Vec<(u64, String)>,
    matches: Vec<MatchView>,
}

async fn entry_page(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(id): Path<u64>,
) -> Response {
    let t = &ctx.t;
    let record = match state.store().directory_entry(EntryId::new(id)).await {
        Ok(r) => r,
        Err(err) => return store_error_page(&ctx, err),
    };
    let org = ctx.user.as_ref().and_then(|u| u.org);
    let own = org.is_some() && record.org == org;
    let own_entries = match org {
        Some(org) if !own => match state.store().directory_entries_of(org).await {
            Ok(list) => list
                .iter()
                .map(|r| (r.id.get(), pick(t, r.profile.name()).0))
                .collect(),
            Err(err) => return store_error_page(&ctx, err),
        },
        _ => Vec::new(),
    };
    // Everyone sees who would suit this entry: its needs matched against the directory.
    let matches = match request_for_entry(&state, record.id).await {
        Ok(mut request) => {
            request.exclude = Some(record.id);
            match run_match(&state, request, 10).await {
                Ok(m) => match_views(t, &m),
                Err(err) => return api_error_page(&ctx, err),
            }
        }
        Err(err) => return api_error_page(&ctx, err),
    };
    render(&EntryPage {
        ticket: record.profile.ticket().map(|tk| {
            format!(
                "{} – {}",
                hkd_millions_rounded(t, tk.min()),
                hkd_millions_rounded(t, tk.max())
            )
        }),
        funding_sought: record
            .profile
            .funding_sought()
            .map(|m| hkd_millions_rounded(t, m)),
        entry: entry_view(t, &record),
        may_ask: org.is_some() && !own,
        own,
        own_entries,
        matches,
        ctx: &ctx,
    })
}

fn api_error_page(ctx: &PageContext, err: ApiError) -> Response {
    let status = err.status();
    error_page(ctx, status, "error.unavailable", err.to_string())
}

/// The matching form's values, kept as typed.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct MatchForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    service: String,
    #[serde(default)]
    sector: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    budget: String,
    #[serde(default)]
    ticket_min: String,
    #[serde(default)]
    ticket_max: String,
}

impl MatchForm {
    fn is_empty(&self) -> bool {
        [
            &self.text,
            &self.kind,
            &self.service,
            &self.sector,
            &self.region,
            &self.budget,
            &self.ticket_min,
            &self.ticket_max,
        ]
        .iter()
        .all(|v| v.trim().is_empty())
    }

    fn to_input(&self) -> MatchInput {
        let one = |v: &str| -> Vec<String> {
            Some(v.trim())
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
                .into_iter()
                .collect()
        };
        let opt = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        MatchInput {
            text: self.text.clone(),
            kinds: one(&self.kind),
            services: one(&self.service),
            sectors: one(&self.sector),
            regions: one(&self.region),
            budget: opt(&self.budget),
            ticket_min: opt(&self.ticket_min),
            ticket_max: opt(&self.ticket_max),
            ..MatchInput::default()
        }
    }
}

#[derive(Template)]
#[template(path = "match.html")]
struct MatchPage<'a> {
    ctx: &'a PageContext,
    form: MatchForm,
    kinds: Vec<Choice>,
    services: Vec<Choice>,
    regions: Vec<Choice>,
    sectors: Vec<Choice>,
    error: Option<String>,
    searched: bool,
    matches: Vec<MatchView>,
}

async fn match_page(
    State(state): State<AppState>,
    ctx: PageContext,
    Query(form): Query<MatchForm>,
) -> Response {
    let t = &ctx.t;
    let mut page = MatchPage {
        ctx: &ctx,
        kinds: choices(t, "dir.kind.", &Kind::ALL, Kind::code, &form.kind),
        services: choices(
            t,
            "dir.service.",
            &Service::ALL,
            Service::code,
            &form.service,
        ),
        regions: choices(t, "dir.region.", &Region::ALL, Region::code, &form.region),
        sectors: choices(t, "dir.sector.", &Sector::ALL, Sector::code, &form.sector),
        searched: !form.is_empty(),
        form,
        error: None,
        matches: Vec::new(),
    };
    if page.searched {
        let outcome = match page.form.to_input().to_request() {
            Ok(request) => run_match(&state, request, 20).await,
            Err(err) => Err(err),
        };
        match outcome {
            Ok(m) => page.matches = match_views(t, &m),
            Err(err) => {
                page.error = Some(err.to_string());
                return (err.status(), render(&page)).into_response();
            }
        }
    }
    render(&page)
}

/// An introduction as listed.
pub(crate) struct IntroductionView {
    pub id: i64,
    pub entry_id: u64,
    pub entry_name: String,
    pub incoming: bool,
    pub score: u8,
    pub message: String,
    pub status: String,
    pub created_at: String,
    pub may_decide: bool,
}

#[derive(Template)]
#[template(path = "introductions.html")]
struct IntroductionsPage<'a> {
    ctx: &'a PageContext,
    introductions: Vec<IntroductionView>,
    bands: Vec<BandDto>,
}

async fn introductions_page(State(state): State<AppState>, ctx: PageContext) -> Response {
    let Some(user) = ctx.user.clone() else {
        return Redirect::to("/sign-in").into_response();
    };
    let t = &ctx.t;
    let list = match state.store().introductions(ctx.access()).await {
        Ok(l) => l,
        Err(err) => return store_error_page(&ctx, err),
    };
    let ids: Vec<EntryId> = list.iter().map(|i| i.to_entry).collect();
    let names = match state.store().directory_entries_by_ids(&ids).await {
        Ok(r) => r,
        Err(err) => return store_error_page(&ctx, err),
    };
    let introductions = list
        .into_iter()
        .map(|i| {
            let incoming = user.org.is_some() && i.to_org == user.org;
            IntroductionView {
                id: i.id,
                entry_id: i.to_entry.get(),
                entry_name: names
                    .iter()
                    .find(|r| r.id == i.to_entry)
                    .map(|r| pick(t, r.profile.name()).0)
                    .unwrap_or_default(),
                incoming,
                score: i.score,
                may_decide: incoming && i.status == "requested",
                status: t.k("dir.intro_status.", &i.status),
                message: i.message,
                created_at: i.created_at,
            }
        })
        .collect();
    let bands = match quality_bands(&state).await {
        Ok(b) => b.iter().map(band_dto).collect(),
        Err(err) => return api_error_page(&ctx, err),
    };
    render(&IntroductionsPage {
        ctx: &ctx,
        introductions,
        bands,
    })
}

#[derive(Debug, Deserialize)]
pub(crate) struct IntroductionForm {
    to_entry: u64,
    #[serde(default)]
    from_entry: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    csrf: String,
}

async fn create_introduction(
    State(state): State<AppState>,
    ctx: PageContext,
    Form(form): Form<IntroductionForm>,
) -> Response {
    let Some(user) = ctx.user.clone() else {
        return Redirect::to("/sign-in").into_response();
    };
    if !ctx.csrf_ok(&form.csrf) {
        return csrf_refused(&ctx);
    }
    let from_entry = match form.from_entry.trim() {
        "" => None,
        text => match text.parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => {
                return api_error_page(&ctx, ApiError::field("from_entry", "not an entry id"))
            }
        },
    };
    let input = IntroductionInput {
        to_entry: form.to_entry,
        from_entry,
        message: form.message,
    };
    match introduce(&state, &ctx.audit(""), &user, input).await {
        Ok(_) => Redirect::to("/introductions").into_response(),
        Err(err) => api_error_page(&ctx, err),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct DecisionForm {
    decision: String,
    #[serde(default)]
    csrf: String,
}

async fn decide(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Response {
    if ctx.user.is_none() {
        return Redirect::to("/sign-in").into_response();
    }
    if !ctx.csrf_ok(&form.csrf) {
        return csrf_refused(&ctx);
    }
    let accept = form.decision == "accept";
    match state
        .store()
        .decide_introduction(&ctx.audit(""), ctx.access(), id, accept)
        .await
    {
        Ok(()) => Redirect::to("/introductions").into_response(),
        Err(err) => store_error_page(&ctx, err),
    }
}
