//! Users over the API, for administrators: the list of users with their organisations and
//! schemes, and a new user with a generated one-time password. The admin page uses the same
//! parsing and creation, so both refuse the same input.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use store::{AuditContext, NewUser, UserListing};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vocab::{BilingualText, DisplayName, EmailAddress, OrgKind, Role, UserId};

use crate::api::{ApiJson, SignedIn};
use crate::error::ApiError;
use crate::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_users, create_user))
}

/// A user as administrators see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserDto {
    /// Id.
    pub id: i64,
    /// Sign-in email.
    pub email: String,
    /// Name shown on pages.
    pub display_name: String,
    /// Role: enterprise, investor, provider, officer, analyst or admin.
    pub role: String,
    /// Organisation id (none for administrators).
    pub org: Option<i64>,
    /// The organisation's English name.
    pub org_name_en: Option<String>,
    /// The organisation's Chinese name.
    pub org_name_zh: Option<String>,
    /// True until the user has replaced a generated one-time password.
    pub must_change_password: bool,
    /// For an officer, the schemes they are assigned to.
    pub schemes: Vec<String>,
}

impl From<&UserListing> for UserDto {
    fn from(listing: &UserListing) -> Self {
        let user = &listing.user;
        UserDto {
            id: user.id.get(),
            email: user.email.as_str().to_owned(),
            display_name: user.display_name.as_str().to_owned(),
            role: user.role.code().to_owned(),
            org: user.org.map(|o| o.get()),
            org_name_en: listing.org_name.as_ref().map(|n| n.en().to_owned()),
            org_name_zh: listing.org_name.as_ref().map(|n| n.zh().to_owned()),
            must_change_password: user.must_change_password,
            schemes: listing.schemes.clone(),
        }
    }
}

/// The organisation a new user joins, found by its English name or created.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationInput {
    /// English name; an organisation of this name is joined, else created.
    pub name_en: String,
    /// Chinese name of a new organisation (defaults to the English name).
    pub name_zh: Option<String>,
    /// Kind of a new organisation: enterprise (the default), investor, service_provider,
    /// site_operator, government or research.
    pub kind: Option<String>,
}

/// A user to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserInput {
    /// Sign-in email; must be unused.
    pub email: String,
    /// Name shown on pages.
    pub display_name: String,
    /// Role: enterprise, investor, provider, officer, analyst or admin.
    pub role: String,
    /// The organisation; required for every role but admin.
    pub organisation: Option<OrganisationInput>,
}

/// The new user and their one-time password: shown once, never again. They must replace it
/// at their first sign-in.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewUserDto {
    /// The new user's id.
    pub id: i64,
    /// The generated one-time password.
    pub one_time_password: String,
}

/// A new user's fields, checked.
pub(crate) struct CheckedNewUser {
    email: EmailAddress,
    display_name: DisplayName,
    role: Role,
    organisation: Option<(BilingualText, OrgKind)>,
}

/// Checks a new user's fields; each error names its field.
pub(crate) fn check_new_user(input: &NewUserInput) -> Result<CheckedNewUser, ApiError> {
    let email = EmailAddress::parse(&input.email).map_err(|e| ApiError::field("email", e))?;
    let display_name =
        DisplayName::parse(&input.display_name).map_err(|e| ApiError::field("display_name", e))?;
    let role = Role::parse(&input.role).map_err(|e| ApiError::field("role", e))?;
    let organisation = match &input.organisation {
        Some(org) => {
            let en = org.name_en.trim();
            let zh = org
                .name_zh
                .as_deref()
                .map(str::trim)
                .filter(|zh| !zh.is_empty())
                .unwrap_or(en);
            let name = BilingualText::new(en, zh)
                .map_err(|e| ApiError::field("organisation.name_en", e))?;
            let kind = match org.kind.as_deref().map(str::trim) {
                None | Some("") => OrgKind::Enterprise,
                Some(code) => {
                    OrgKind::parse(code).map_err(|e| ApiError::field("organisation.kind", e))?
                }
            };
            Some((name, kind))
        }
        None if role != Role::Admin => {
            return Err(ApiError::field(
                "organisation",
                format!(
                    "a user with role {} must belong to an organisation",
                    role.code()
                ),
            ))
        }
        None => None,
    };
    Ok(CheckedNewUser {
        email,
        display_name,
        role,
        organisation,
    })
}

/// Creates the user with a generated one-time password; returns the id and the password.
pub(crate) async fn create_checked_user(
    state: &AppState,
    ctx: &AuditContext,
    checked: CheckedNewUser,
) -> Result<(UserId, auth::NewPassword), ApiError> {
    let password = auth::NewPassword::generate();
    // argon2 takes tens of milliseconds of CPU: keep it off the async workers.
    let (password_hash, password) = tokio::task::spawn_blocking(move || {
        auth::hash_password(&password).map(|hash| (hash, password))
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))?
    .map_err(|e| ApiError::Internal(e.into()))?;
    let user = NewUser {
        email: checked.email,
        display_name: checked.display_name,
        role: checked.role,
        org: None,
        password_hash,
        must_change_password: true,
    };
    let id = match &checked.organisation {
        Some((name, kind)) => {
            state
                .store()
                .create_user_joining(ctx, &user, name, *kind)
                .await?
                .0
        }
        None => state.store().create_user(ctx, &user).await?,
    };
    Ok((id, password))
}

/// Refuses anyone but an administrator.
pub(crate) fn require_admin(user: &store::UserRecord, what: &str) -> Result<(), ApiError> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!("only administrators {what}")))
    }
}

/// Every user, by email (administrators only).
#[utoipa::path(get, path = "/users", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = [UserDto]), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
async fn list_users(
    State(state): State<AppState>,
    caller: SignedIn,
) -> Result<Json<Vec<UserDto>>, ApiError> {
    require_admin(&caller.user, "may list users")?;
    let users = state.store().users().await?;
    Ok(Json(users.iter().map(UserDto::from).collect()))
}

/// Creates a user with a one-time password (administrators only). The organisation is joined
/// by its English name, or created; a refused user creates no organisation.
#[utoipa::path(post, path = "/users", tag = "account", security(("bearer" = [])), request_body = NewUserInput,
    responses((status = 201, body = NewUserDto), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 409, description = "The email is taken", body = crate::error::ErrorBody)))]
async fn create_user(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiJson(input): ApiJson<NewUserInput>,
) -> Result<(StatusCode, Json<NewUserDto>), ApiError> {
    require_admin(&caller.user, "may create users")?;
    let checked = check_new_user(&input)?;
    let (id, password) = create_checked_user(&state, &caller.audit(), checked).await?;
    Ok((
        StatusCode::CREATED,
        Json(NewUserDto {
            id: id.get(),
            one_time_password: password.expose().to_owned(),
        }),
    ))
}
