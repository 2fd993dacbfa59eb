//! Accounts over the API: who am I, API tokens for programs, and the audit log for admins.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use store::{AuditContext, SessionToken};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vocab::EmailAddress;

use crate::api::users::require_admin;
use crate::api::{ApiJson, Caller, SignedIn};
use crate::error::ApiError;
use crate::pages::account::{check_credentials, SignInOutcome};
use crate::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(create_token))
        .routes(routes!(audit_log))
}

/// The calling user.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeDto {
    /// Id.
    pub id: i64,
    /// Email.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: String,
    /// Organisation id.
    pub org: Option<i64>,
}

/// Who the caller is.
#[utoipa::path(get, path = "/me", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = MeDto), (status = 401, body = crate::error::ErrorBody)))]
async fn me(caller: SignedIn) -> Result<Json<MeDto>, ApiError> {
    let user = &caller.user;
    Ok(Json(MeDto {
        id: user.id.get(),
        email: user.email.as_str().to_owned(),
        display_name: user.display_name.as_str().to_owned(),
        role: user.role.code().to_owned(),
        org: user.org.map(|o| o.get()),
    }))
}

/// Credentials exchanged for an API token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// Sign-in email.
    pub email: String,
    /// Password.
    pub password: String,
    /// A name for the token, to recognise it later.
    pub name: String,
}

/// A new API token; shown once, never again.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenDto {
    /// Token id.
    pub id: i64,
    /// The token: send it as `Authorization: Bearer <token>`.
    pub token: String,
}

/// Issues an API token for a program (rate-limited like sign-in).
#[utoipa::path(post, path = "/tokens", tag = "account", request_body = TokenRequest,
    responses((status = 201, body = TokenDto), (status = 400, body = crate::error::ErrorBody),
              (status = 401, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<TokenRequest>,
) -> Result<(StatusCode, Json<TokenDto>), ApiError> {
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(ApiError::field("name", "must have 1 to 80 characters"));
    }
    let email = EmailAddress::parse(&request.email).map_err(|e| ApiError::field("email", e))?;
    let user = match check_credentials(&state, &email, &request.password, "api", &caller.request_id)
        .await?
    {
        SignInOutcome::Success(user) => user,
        SignInOutcome::WrongCredentials => {
            return Err(ApiError::Unauthorized("wrong email or password".into()))
        }
        SignInOutcome::RateLimited => {
            return Err(ApiError::TooManyRequests(
                "too many failed attempts; wait 15 minutes and try again".into(),
            ))
        }
    };
    let token = auth::random_token();
    let ctx = AuditContext {
        actor: store::Actor::User {
            id: user.id,
            email: user.email.as_str().to_owned(),
        },
        request_id: caller.request_id.clone(),
    };
    let id = state
        .store()
        .create_api_token(
            &ctx,
            user.id,
            name,
            &SessionToken {
                hash: auth::token_digest(&token),
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(TokenDto { id, token })))
}

/// The latest audit entries (administrators only).
#[utoipa::path(get, path = "/audit", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = [Object]), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
async fn audit_log(
    State(state): State<AppState>,
    caller: SignedIn,
) -> Result<Json<Vec<store::AuditRecord>>, ApiError> {
    require_admin(&caller.user, "may read the audit log")?;
    Ok(Json(state.store().audit_log(200).await?))
}
