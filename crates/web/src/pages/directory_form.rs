//! The profile form: an organisation adds or edits its own directory entry on the web.
//!
//! Lists (services, regions, sectors, languages, stages) come as repeated checkbox fields, so
//! the body is read as ordered pairs rather than through a struct.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use directory::{EntryId, Kind, Language, ProfileInput, Region, Sector, Service, SizeBand, Stage};

use crate::api::directory::parse_profile;
use crate::context::{access_of, PageContext};
use crate::error::ApiError;
use crate::i18n::Tr;
use crate::pages::{csrf_refused, error_page, labelled_reason, render, store_error_page};
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/directory/new", get(new_form).post(create))
        .route("/directory/{id}/edit", get(edit_form).post(update))
}

/// One checkbox or option.
pub(crate) struct Tick {
    pub code: &'static str,
    pub label: String,
    pub on: bool,
}

fn ticks<T: Copy>(
    t: &Tr,
    prefix: &str,
    all: &[T],
    code: impl Fn(T) -> &'static str,
    on: &[String],
) -> Vec<Tick> {
    all.iter()
        .map(|v| Tick {
            code: code(*v),
            label: t.k(prefix, code(*v)),
            on: on.iter().any(|c| c == code(*v)),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "directory_form.html")]
struct FormPage<'a> {
    ctx: &'a PageContext,
    action: String,
    input: ProfileInput,
    certifications: String,
    kinds: Vec<Tick>,
    services: Vec<Tick>,
    regions: Vec<Tick>,
    sectors: Vec<Tick>,
    languages: Vec<Tick>,
    sizes: Vec<Tick>,
    stages: Vec<Tick>,
    project_stages: Vec<Tick>,
    error: Option<String>,
}

fn one(value: &Option<String>) -> Vec<String> {
    value.iter().cloned().collect()
}

fn form_page(
    ctx: &PageContext,
    action: String,
    input: ProfileInput,
    error: Option<String>,
) -> FormPage<'_> {
    let t = &ctx.t;
    FormPage {
        kinds: ticks(
            t,
            "dir.kind.",
            &Kind::ALL,
            Kind::code,
            std::slice::from_ref(&input.kind),
        ),
        services: ticks(
            t,
            "dir.service.",
            &Service::ALL,
            Service::code,
            &input.services,
        ),
        regions: ticks(t, "dir.region.", &Region::ALL, Region::code, &input.regions),
        sectors: ticks(t, "dir.sector.", &Sector::ALL, Sector::code, &input.sectors),
        languages: ticks(
            t,
            "dir.language.",
            &Language::ALL,
            Language::code,
            &input.languages,
        ),
        sizes: ticks(
            t,
            "dir.size.",
            &SizeBand::ALL,
            SizeBand::code,
            &one(&input.size),
        ),
        stages: ticks(t, "dir.stage.", &Stage::ALL, Stage::code, &input.stages),
        project_stages: ticks(
            t,
            "dir.stage.",
            &Stage::ALL,
            Stage::code,
            &one(&input.stage),
        ),
        certifications: input.certifications.join(", "),
        ctx,
        action,
        input,
        error,
    }
}

/// The posted form as a profile input, plus its anti-forgery token.
fn read_form(body: &[u8]) -> (ProfileInput, String) {
    let mut input = ProfileInput::default();
    let mut csrf = String::new();
    let opt = |v: String| Some(v).filter(|v| !v.trim().is_empty());
    for (key, value) in url::form_urlencoded::parse(body) {
        let value = value.into_owned();
        match key.as_ref() {
            "csrf" => csrf = value,
            "kind" => input.kind = value,
            "name_en" => input.name_en = value,
            "name_zh" => input.name_zh = value,
            "description_en" => input.description_en = value,
            "description_zh" => input.description_zh = value,
            "services" => input.services.push(value),
            "regions" => input.regions.push(value),
            "sectors" => input.sectors.push(value),
            "languages" => input.languages.push(value),
            "stages" => input.stages.push(value),
            "size" => input.size = opt(value),
            "stage" => input.stage = opt(value),
            "ticket_min" => input.ticket_min = opt(value),
            "ticket_max" => input.ticket_max = opt(value),
            "funding_sought" => input.funding_sought = opt(value),
            "certifications" => {
                input.certifications = value
                    .split([',', '，'])
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_owned)
                    .collect()
            }
            _ => {}
        }
    }
    (input, csrf)
}

async fn new_form(ctx: PageContext) -> Response {
    if ctx.user.is_none() {
        return Redirect::to("/sign-in").into_response();
    }
    let input = ProfileInput {
        kind: "enterprise".into(),
        ..ProfileInput::default()
    };
    render(&form_page(&ctx, "/directory/new".into(), input, None))
}

async fn create(State(state): State<AppState>, ctx: PageContext, body: Bytes) -> Response {
    let Some(user) = ctx.user.clone() else {
        return Redirect::to("/sign-in").into_response();
    };
    let (input, csrf) = read_form(&body);
    if !ctx.csrf_ok(&csrf) {
        return csrf_refused(&ctx);
    }
    let Some(org) = user.org else {
        return error_page(
            &ctx,
            StatusCode::FORBIDDEN,
            "error.forbidden",
            ctx.t.s("dir.members_only").to_owned(),
        );
    };
    let profile = match parse_profile(&user, input.clone(), false) {
        Ok(p) => p,
        Err(err) => return refused(&ctx, "/directory/new".into(), input, err),
    };
    match state
        .store()
        .create_directory_entry(&ctx.audit(""), Some(org), &profile)
        .await
    {
        Ok(id) => {
            if let Err(err) = state.directory().sync_now(state.store()).await {
                tracing::warn!(error = %err, "directory index did not catch up after a create");
            }
            Redirect::to(&format!("/directory/{}", id.get())).into_response()
        }
        Err(err) => store_error_page(&ctx, err),
    }
}

fn refused(ctx: &PageContext, action: String, input: ProfileInput, err: ApiError) -> Response {
    (
        StatusCode::BAD_REQUEST,
        render(&form_page(
            ctx,
            action,
            input,
            Some(labelled_reason(&ctx.t, &err, |field| {
                Some(format!("dir.{field}"))
            })),
        )),
    )
        .into_response()
}

async fn edit_form(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(id): Path<u64>,
) -> Response {
    let Some(user) = ctx.user.as_ref() else {
        return Redirect::to("/sign-in").into_response();
    };
    let record = match state.store().directory_entry(EntryId::new(id)).await {
        Ok(r) => r,
        Err(err) => return store_error_page(&ctx, err),
    };
    let mine = user.role == vocab::Role::Admin || (user.org.is_some() && record.org == user.org);
    if !mine {
        return store_error_page(
            &ctx,
            store::StoreError::Forbidden("another organisation's entry".into()),
        );
    }
    render(&form_page(
        &ctx,
        format!("/directory/{id}/edit"),
        ProfileInput::from(record.profile),
        None,
    ))
}

async fn update(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(id): Path<u64>,
    body: Bytes,
) -> Response {
    let Some(user) = ctx.user.clone() else {
        return Redirect::to("/sign-in").into_response();
    };
    let (input, csrf) = read_form(&body);
    if !ctx.csrf_ok(&csrf) {
        return csrf_refused(&ctx);
    }
    let entry = EntryId::new(id);
    let existing = match state.store().directory_entry(entry).await {
        Ok(r) => r,
        Err(err) => return store_error_page(&ctx, err),
    };
    let action = format!("/directory/{id}/edit");
    let profile = match parse_profile(&user, input.clone(), existing.profile.verified()) {
        Ok(p) => p,
        Err(err) => return refused(&ctx, action, input, err),
    };
    match state
        .store()
        .update_directory_entry(&ctx.audit(""), access_of(Some(&user)), entry, &profile)
        .await
    {
        Ok(()) => {
            if let Err(err) = state.directory().sync_now(state.store()).await {
                tracing::warn!(error = %err, "directory index did not catch up after an update");
            }
            Redirect::to(&format!("/directory/{id}")).into_response()
        }
        Err(err) => store_error_page(&ctx, err),
    }
}
