//! Project pages: the list a visitor may see, one project, and the create and edit forms.
//! Another organisation's private project is a 404 here exactly as in the API.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use store::ProjectRecord;
use vocab::{ProjectId, ProjectStage, Scale};

use crate::api::projects_page_support::{owner_org, parse_project, MoneyInput, ProjectInput};
use crate::context::PageContext;
use crate::error::ApiError;
use crate::pages::{csrf_refused, error_page, labelled_reason, render, store_error_page};
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/projects", get(list).post(create))
        .route("/projects/new", get(new_form))
        .route("/projects/{id}", get(show).post(update))
        .route("/projects/{id}/edit", get(edit_form))
}

/// A project as shown in tables and on its page.
pub(crate) struct ProjectView {
    pub id: i64,
    pub title: String,
    pub stage: String,
    pub pledged: String,
    pub realised: String,
    pub jobs_pledged: String,
    pub jobs_realised: String,
    pub visibility: String,
    pub mine: bool,
}

fn view(ctx: &PageContext, p: &ProjectRecord) -> ProjectView {
    let t = &ctx.t;
    let f = &p.project;
    let money = |m: Option<vocab::Money>| {
        m.map(|m| format!("{} {}", m.currency().symbol(), m.format_scaled(Scale::Unit)))
            .unwrap_or_default()
    };
    let count = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    ProjectView {
        id: p.id.get(),
        title: f.title().get(t.is_zh()).to_owned(),
        stage: t.k("stage.", f.stage().code()),
        pledged: money(f.pledged()),
        realised: money(f.realised()),
        jobs_pledged: count(f.jobs_pledged()),
        jobs_realised: count(f.jobs_realised()),
        visibility: t.k("visibility.", f.visibility().code()),
        mine: ctx
            .user
            .as_ref()
            .is_some_and(|u| u.org == Some(p.org) || u.role == vocab::Role::Admin),
    }
}

#[derive(Template)]
#[template(path = "projects.html")]
struct ListPage<'a> {
    ctx: &'a PageContext,
    projects: Vec<ProjectView>,
    can_create: bool,
}

async fn list(State(state): State<AppState>, ctx: PageContext) -> Response {
    match state.store().projects(ctx.access()).await {
        Ok(projects) => {
            let projects = projects.iter().map(|p| view(&ctx, p)).collect();
            let can_create = ctx.user.as_ref().is_some_and(|u| u.org.is_some());
            render(&ListPage {
                ctx: &ctx,
                projects,
                can_create,
            })
        }
        Err(err) => store_error_page(&ctx, err),
    }
}

#[derive(Template)]
#[template(path = "project.html")]
struct ShowPage<'a> {
    ctx: &'a PageContext,
    project: ProjectView,
    /// (title, due, done) in the reader's language.
    milestones: Vec<(String, String, String)>,
}

async fn show(State(state): State<AppState>, ctx: PageContext, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return super::not_found(ctx).await;
    };
    let store = state.store();
    let loaded = async {
        let project = store.project(ctx.access(), ProjectId::new(id)).await?;
        let milestones = store.milestones(ctx.access(), ProjectId::new(id)).await?;
        Ok::<_, store::StoreError>((project, milestones))
    };
    match loaded.await {
        Ok((p, milestones)) => render(&ShowPage {
            milestones: milestones
                .into_iter()
                .map(|m| {
                    (
                        m.title.get(ctx.t.is_zh()).to_owned(),
                        m.due_on.to_string(),
                        m.done_on.map(|d| d.to_string()).unwrap_or_default(),
                    )
                })
                .collect(),
            ctx: &ctx,
            project: view(&ctx, &p),
        }),
        Err(err) => store_error_page(&ctx, err),
    }
}

/// The form's values, kept as typed so a refused form comes back filled in.
#[derive(Deserialize, Default, Clone)]
pub(crate) struct ProjectForm {
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub stage: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub pledged: String,
    #[serde(default)]
    pub realised: String,
    #[serde(default)]
    pub jobs_pledged: String,
    #[serde(default)]
    pub jobs_realised: String,
    #[serde(default)]
    pub visibility: String,
    #[serde(default)]
    pub programme: String,
    #[serde(default)]
    pub announced_year: String,
    #[serde(default)]
    pub output_pledged: String,
    #[serde(default)]
    pub output_realised: String,
    #[serde(default)]
    pub csrf: String,
}

impl ProjectForm {
    fn from_record(p: &ProjectRecord) -> ProjectForm {
        let f = &p.project;
        let amount =
            |m: Option<vocab::Money>| m.map(|m| m.format_scaled(Scale::Unit)).unwrap_or_default();
        ProjectForm {
            title_en: f.title().en().to_owned(),
            title_zh: f.title().zh().to_owned(),
            stage: f.stage().code().to_owned(),
            place: f.place().map(|p| p.as_str().to_owned()).unwrap_or_default(),
            pledged: amount(f.pledged()),
            realised: amount(f.realised()),
            jobs_pledged: f.jobs_pledged().map(|n| n.to_string()).unwrap_or_default(),
            jobs_realised: f.jobs_realised().map(|n| n.to_string()).unwrap_or_default(),
            visibility: f.visibility().code().to_owned(),
            programme: f
                .programme()
                .map(|p| p.code().to_owned())
                .unwrap_or_default(),
            announced_year: f
                .announced()
                .map(|y| y.get().to_string())
                .unwrap_or_default(),
            output_pledged: amount(f.output_pledged()),
            output_realised: amount(f.output_realised()),
            csrf: String::new(),
        }
    }

    fn to_input(&self) -> Result<ProjectInput, ApiError> {
        let count = |field: &str, text: &str| -> Result<Option<u32>, ApiError> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            text.parse::<u32>().map(Some).map_err(|_| {
                ApiError::field(field, format!("\"{text}\" is not a whole number of jobs"))
            })
        };
        let money = |text: &str| {
            Some(text.trim())
                .filter(|t| !t.is_empty())
                .map(|t| MoneyInput {
                    amount: t.to_owned(),
                    currency: None,
                })
        };
        Ok(ProjectInput {
            title_en: self.title_en.clone(),
            title_zh: self.title_zh.clone(),
            stage: self.stage.clone(),
            sector: None,
            place: Some(self.place.clone()),
            pledged: money(&self.pledged),
            realised: money(&self.realised),
            jobs_pledged: count("jobs_pledged", &self.jobs_pledged)?,
            jobs_realised: count("jobs_realised", &self.jobs_realised)?,
            visibility: Some(self.visibility.clone()).filter(|v| !v.is_empty()),
            programme: Some(self.programme.clone()).filter(|v| !v.is_empty()),
            announced_year: match self.announced_year.trim() {
                "" => None,
                text => Some(text.parse::<i16>().map_err(|_| {
                    ApiError::field("announced_year", format!("\"{text}\" is not a year"))
                })?),
            },
            output_pledged: money(&self.output_pledged),
            output_realised: money(&self.output_realised),
        })
    }
}

#[derive(Template)]
#[template(path = "project_form.html")]
struct FormPage<'a> {
    ctx: &'a PageContext,
    action: String,
    form: ProjectForm,
    stages: Vec<&'static str>,
    programmes: Vec<&'static str>,
    error: Option<String>,
}

fn form_page(
    ctx: &PageContext,
    action: String,
    form: ProjectForm,
    error: Option<String>,
) -> FormPage<'_> {
    FormPage {
        ctx,
        action,
        form,
        stages: ProjectStage::ALL.iter().map(|s| s.code()).collect(),
        programmes: vocab::Programme::ALL.iter().map(|p| p.code()).collect(),
        error,
    }
}

async fn new_form(ctx: PageContext) -> Response {
    if ctx.user.as_ref().and_then(|u| u.org).is_none() {
        return Redirect::to("/sign-in").into_response();
    }
    let form = ProjectForm {
        stage: "lead".into(),
        visibility: "private".into(),
        ..ProjectForm::default()
    };
    render(&form_page(&ctx, "/projects".into(), form, None))
}

async fn create(
    State(state): State<AppState>,
    ctx: PageContext,
    Form(form): Form<ProjectForm>,
) -> Response {
    let Some(user) = ctx.user.clone() else {
        return Redirect::to("/sign-in").into_response();
    };
    if !ctx.csrf_ok(&form.csrf) {
        return csrf_refused(&ctx);
    }
    let refused = |err: ApiError| {
        (
            StatusCode::BAD_REQUEST,
            render(&form_page(
                &ctx,
                "/projects".into(),
                form.clone(),
                Some(labelled_reason(&ctx.t, &err, |field| {
                    Some(format!("projects.{field}"))
                })),
            )),
        )
            .into_response()
    };
    let org = match owner_org(&user) {
        Ok(org) => org,
        Err(err) => {
            return error_page(
                &ctx,
                StatusCode::FORBIDDEN,
                "error.forbidden",
                err.to_string(),
            )
        }
    };
    let project = match form.to_input() {
        Ok(input) => match parse_project(&state, input).await {
            Ok(p) => p,
            Err(err) => return refused(err),
        },
        Err(err) => return refused(err),
    };
    match state
        .store()
        .create_project(&ctx.audit(""), org, &project)
        .await
    {
        Ok(id) => Redirect::to(&format!("/projects/{id}")).into_response(),
        Err(err) => store_error_page(&ctx, err),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return super::not_found(ctx).await;
    };
    match state
        .store()
        .project(ctx.access(), ProjectId::new(id))
        .await
    {
        Ok(p) if view(&ctx, &p).mine => render(&form_page(
            &ctx,
            format!("/projects/{id}"),
            ProjectForm::from_record(&p),
            None,
        )),
        Ok(_) => error_page(
            &ctx,
            StatusCode::FORBIDDEN,
            "error.forbidden",
            ctx.t.s("error.forbidden_text").to_owned(),
        ),
        Err(err) => store_error_page(&ctx, err),
    }
}

async fn update(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(id): Path<String>,
    Form(form): Form<ProjectForm>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return super::not_found(ctx).await;
    };
    if ctx.user.is_none() {
        return Redirect::to("/sign-in").into_response();
    }
    if !ctx.csrf_ok(&form.csrf) {
        return csrf_refused(&ctx);
    }
    let id = ProjectId::new(id);
    if let Err(err) = state.store().project(ctx.access(), id).await {
        return store_error_page(&ctx, err);
    }
    let action = format!("/projects/{id}");
    let refused = |err: ApiError| {
        (
            StatusCode::BAD_REQUEST,
            render(&form_page(
                &ctx,
                action.clone(),
                form.clone(),
                Some(labelled_reason(&ctx.t, &err, |field| {
                    Some(format!("projects.{field}"))
                })),
            )),
        )
            .into_response()
    };
    let project = match form.to_input() {
        Ok(input) => match parse_project(&state, input).await {
            Ok(p) => p,
            Err(err) => return refused(err),
        },
        Err(err) => return refused(err),
    };
    match state
        .store()
        .update_project(&ctx.audit(""), ctx.access(), id, &project)
        .await
    {
        Ok(()) => Redirect::to(&action).into_response(),
        Err(err) => store_error_page(&ctx, err),
    }
}
