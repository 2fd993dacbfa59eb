//! The administrators' users page: every user with their organisation and schemes, a form
//! that adds a user with a one-time password (shown once, on the answer), and a form that
//! assigns an officer to a funding scheme. The same checks as `POST /api/v1/users` and
//! `POST /api/v1/funding/schemes/{id}/officers`.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use store::UserListing;
use vocab::{OrgKind, Role, UserId};

use crate::api::users::{check_new_user, create_checked_user, NewUserInput, OrganisationInput};
use crate::context::PageContext;
use crate::error::ApiError;
use crate::pages::funding::Labels;
use crate::pages::{csrf_refused, error_page, labelled_reason, render, store_error_page};
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users_page).post(add_user))
        .route("/admin/officers", post(assign_officer))
}

/// A row of the users table, in the page's language.
struct UserRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    organisation: String,
    schemes: String,
}

/// A choice of a `<select>`: the code sent and the label shown.
struct Choice {
    code: String,
    label: String,
}

/// The add-user form's fields, shown again after a refusal.
#[derive(Default, Deserialize)]
struct UserFormValues {
    email: String,
    display_name: String,
    role: String,
    org_en: String,
    org_zh: String,
    org_kind: String,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage<'a> {
    ctx: &'a PageContext,
    users: Vec<UserRow>,
    roles: Vec<Choice>,
    org_kinds: Vec<Choice>,
    officers: Vec<Choice>,
    schemes: Vec<Choice>,
    form: UserFormValues,
    /// The user just created and their one-time password.
    created: Option<(String, String)>,
    error: Option<String>,
}

/// The answer for anyone but an administrator: the sign-in page for a visitor, 403 for
/// other users; and for a form posted without this session's anti-forgery token. None when
/// the request may go on.
fn turned_away(ctx: &PageContext, posted_csrf: Option<&str>) -> Option<Response> {
    if ctx.user.is_none() {
        return Some(Redirect::to("/sign-in").into_response());
    }
    if !ctx.is_admin() {
        return Some(error_page(
            ctx,
            StatusCode::FORBIDDEN,
            "error.forbidden",
            ctx.t.s("admin.only").to_owned(),
        ));
    }
    match posted_csrf {
        Some(posted) if !ctx.csrf_ok(posted) => Some(csrf_refused(ctx)),
        _ => None,
    }
}

async fn users_page(State(state): State<AppState>, ctx: PageContext) -> Response {
    if let Some(refused) = turned_away(&ctx, None) {
        return refused;
    }
    page(
        &state,
        &ctx,
        StatusCode::OK,
        UserFormValues::default(),
        None,
        None,
    )
    .await
}

/// The page with its tables read afresh, answered with `status`.
async fn page(
    state: &AppState,
    ctx: &PageContext,
    status: StatusCode,
    form: UserFormValues,
    created: Option<(String, String)>,
    error: Option<String>,
) -> Response {
    let listings = match state.store().users().await {
        Ok(listings) => listings,
        Err(err) => return store_error_page(ctx, err),
    };
    let t = &ctx.t;
    let zh = t.is_zh();
    let labels = Labels::new(state, ctx);
    let users = listings
        .iter()
        .map(
            |UserListing {
                 user,
                 org_name,
                 schemes,
             }| UserRow {
                id: user.id.get(),
                email: user.email.as_str().to_owned(),
                name: user.display_name.as_str().to_owned(),
                role: t.k("role.", user.role.code()),
                organisation: org_name
                    .as_ref()
                    .map(|n| n.get(zh).to_owned())
                    .unwrap_or_default(),
                schemes: schemes
                    .iter()
                    .map(|id| labels.scheme_name(id))
                    .collect::<Vec<_>>()
                    .join(t.s("admin.list_separator")),
            },
        )
        .collect();
    let officers = listings
        .iter()
        .filter(|l| l.user.role == Role::Officer)
        .map(|l| Choice {
            code: l.user.id.get().to_string(),
            label: format!(
                "{} <{}>",
                l.user.display_name.as_str(),
                l.user.email.as_str()
            ),
        })
        .collect();
    let schemes = state
        .funding()
        .schemes()
        .iter()
        .map(|s| Choice {
            code: s.id().as_str().to_owned(),
            label: s.name().get(zh).to_owned(),
        })
        .collect();
    let roles = Role::ALL
        .iter()
        .map(|r| Choice {
            code: r.code().to_owned(),
            label: t.k("role.", r.code()),
        })
        .collect();
    let org_kinds = OrgKind::ALL
        .iter()
        .map(|k| Choice {
            code: k.code().to_owned(),
            label: t.k("org_kind.", k.code()),
        })
        .collect();
    (
        status,
        render(&UsersPage {
            ctx,
            users,
            roles,
            org_kinds,
            officers,
            schemes,
            form,
            created,
            error,
        }),
    )
        .into_response()
}

#[derive(Deserialize)]
struct AddUserForm {
    #[serde(flatten)]
    values: UserFormValues,
    csrf: String,
}

async fn add_user(
    State(state): State<AppState>,
    ctx: PageContext,
    Form(form): Form<AddUserForm>,
) -> Response {
    if let Some(refused) = turned_away(&ctx, Some(&form.csrf)) {
        return refused;
    }
    let values = form.values;
    let input = NewUserInput {
        email: values.email.clone(),
        display_name: values.display_name.clone(),
        role: values.role.clone(),
        organisation: (!values.org_en.trim().is_empty()).then(|| OrganisationInput {
            name_en: values.org_en.clone(),
            name_zh: Some(values.org_zh.clone()),
            kind: Some(values.org_kind.clone()),
        }),
    };
    let created = match check_new_user(&input) {
        Ok(checked) => create_checked_user(&state, &ctx.audit(""), checked).await,
        Err(err) => Err(err),
    };
    match created {
        Ok((_, password)) => {
            let created = (values.email.trim().to_owned(), password.expose().to_owned());
            page(
                &state,
                &ctx,
                StatusCode::CREATED,
                UserFormValues::default(),
                Some(created),
                None,
            )
            .await
        }
        Err(err) => refusal(&state, &ctx, values, err).await,
    }
}

#[derive(Deserialize)]
struct AssignOfficerForm {
    scheme: String,
    user_id: String,
    csrf: String,
}

async fn assign_officer(
    State(state): State<AppState>,
    ctx: PageContext,
    Form(form): Form<AssignOfficerForm>,
) -> Response {
    if let Some(refused) = turned_away(&ctx, Some(&form.csrf)) {
        return refused;
    }
    let assigned = async {
        let scheme = state.funding().scheme(&form.scheme)?;
        let user = form
            .user_id
            .trim()
            .parse::<i64>()
            .map_err(|_| ApiError::field("user_id", "choose an officer"))?;
        state
            .store()
            .assign_scheme_officer(&ctx.audit(""), scheme.id().as_str(), UserId::new(user))
            .await
            .map_err(|err| match err {
                store::StoreError::NotFound => ApiError::field("user_id", "no such user"),
                other => other.into(),
            })
    }
    .await;
    match assigned {
        Ok(()) => Redirect::to("/admin/users").into_response(),
        Err(err) => refusal(&state, &ctx, UserFormValues::default(), err).await,
    }
}

/// The page again with the reason for a refusal, answered with the API's status for it.
async fn refusal(
    state: &AppState,
    ctx: &PageContext,
    values: UserFormValues,
    err: ApiError,
) -> Response {
    let status = err.status();
    if status.is_server_error() {
        tracing::error!(error = %err, "admin form failed");
        return error_page(
            ctx,
            status,
            "error.internal",
            ctx.t.s("error.internal_text").to_owned(),
        );
    }
    let reason = labelled_reason(&ctx.t, &err, label_key);
    page(state, ctx, status, values, None, Some(reason)).await
}

/// The key of a form field's label, by the name its errors give it.
fn label_key(field: &str) -> Option<String> {
    let key = match field {
        "email" => "admin.email",
        "display_name" => "admin.name",
        "role" => "admin.role",
        "organisation" | "organisation.name_en" => "admin.org_en",
        "organisation.kind" => "admin.org_kind",
        "user_id" => "admin.officer",
        _ => return None,
    };
    Some(key.to_owned())
}
