//! The JSON API under `/api/v1`, described by the OpenAPI document at `/api/openapi.json`.
//!
//! Handlers are collected with `utoipa-axum`, so a route cannot exist without its entry in the
//! document. Extractors here wrap axum's so that every rejection becomes an [`ApiError`].

mod account;
pub mod directory;
pub(crate) mod funding;
pub(crate) mod origin;
pub(crate) mod pipeline;
pub(crate) mod plan;
mod projects;
mod reference;
pub(crate) mod sites;
pub(crate) mod stats;
pub(crate) mod users;

use axum::extract::{FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum::http::Method;
use store::{AuditContext, SessionToken, UserRecord};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::context::{actor_of, cookie, request_id, SESSION_COOKIE};
use crate::error::ApiError;
use crate::AppState;

pub use crate::api::projects::{ProjectDto, ProjectInput};

/// What the project pages reuse from the API: the same parsing, so both refuse the same input.
pub(crate) mod projects_page_support {
    pub(crate) use crate::api::projects::{owner_org, parse_project, MoneyInput, ProjectInput};
}
pub use crate::api::reference::MoneyDto;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "madeby API",
        description = "Industry statistics, siting, planning, matchmaking, funding and origin checks for Hong Kong's new industrialisation. Errors share one shape: {\"error\": {\"code\", \"message\"}}.",
        version = "1"
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API routes with their OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .merge(reference::router())
        .merge(projects::router())
        .merge(account::router())
        .merge(users::router())
        .merge(origin::router())
        .merge(stats::router())
        .merge(sites::router())
        .merge(plan::router())
        .merge(pipeline::router())
        .merge(directory::router())
        .merge(funding::router())
        .fallback(|| async { ApiError::NotFound("no such API route".into()) });
    let mut api = OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", v1);
    document_input_errors(api.get_openapi_mut());
    api
}

/// Every operation that reads a path, a query string or a body answers 400 with the error body
/// when one does not parse ([`ApiPath`], [`ApiQuery`], [`ApiJson`]): documented here once, for
/// the operations whose annotations do not list a 400 themselves.
fn document_input_errors(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    for item in openapi.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            let reads_input = operation.request_body.is_some()
                || operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
            if !reads_input {
                continue;
            }
            operation
                .responses
                .responses
                .entry("400".to_owned())
                .or_insert_with(|| {
                    RefOr::T(
                        ResponseBuilder::new()
                            .description(
                                "The path, query or body does not parse, or a field is invalid",
                            )
                            .content(
                                "application/json",
                                ContentBuilder::new()
                                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                                    .build(),
                            )
                            .build(),
                    )
                });
        }
    }
}

/// JSON body extractor whose rejections are [`ApiError`]s.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// Path extractor whose rejections are [`ApiError`]s.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// Query-string extractor whose rejections are [`ApiError`]s.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// Who is calling the API: a bearer token's owner, a signed-in browser, or nobody.
pub struct Caller {
    /// The user, if any.
    pub user: Option<UserRecord>,
    /// The request id, for the audit log.
    pub request_id: String,
}

impl Caller {
    /// Audit context for a change by this caller.
    pub fn audit(&self) -> AuditContext {
        AuditContext {
            actor: actor_of(self.user.as_ref(), "api"),
            request_id: self.request_id.clone(),
        }
    }
}

/// A caller who must be signed in. As an extractor it answers 401 to anyone else before the
/// request's body is read, so an anonymous caller learns nothing from a 400 about the body.
pub struct SignedIn {
    /// The user.
    pub user: UserRecord,
    /// The request id, for the audit log.
    pub request_id: String,
}

impl SignedIn {
    /// Audit context for a change by this user.
    pub fn audit(&self) -> AuditContext {
        AuditContext {
            actor: actor_of(Some(&self.user), "api"),
            request_id: self.request_id.clone(),
        }
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Caller { user, request_id } = Caller::from_request_parts(parts, state).await?;
        let user = user.ok_or_else(|| {
            ApiError::Unauthorized(
                "sign in, or send an API token as `Authorization: Bearer <token>`".into(),
            )
        })?;
        Ok(SignedIn { user, request_id })
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let request_id = request_id(parts);
        if let Some(value) = parts.headers.get(axum::http::header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .ok_or_else(|| {
                    ApiError::Unauthorized("Authorization header must be `Bearer <token>`".into())
                })?;
            let user = state
                .store()
                .user_for_api_token(&SessionToken {
                    hash: auth::token_digest(token),
                })
                .await?
                .ok_or_else(|| ApiError::Unauthorized("API token is invalid or revoked".into()))?;
            return Ok(Caller {
                user: Some(user),
                request_id,
            });
        }
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Ok(Caller {
                user: None,
                request_id,
            });
        };
        let Some(session) = state
            .store()
            .session(&SessionToken {
                hash: auth::token_digest(&token),
            })
            .await?
        else {
            return Ok(Caller {
                user: None,
                request_id,
            });
        };
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !auth::constant_time_eq(sent, &session.csrf_token) {
                return Err(ApiError::Forbidden(
                    "a browser session must send its anti-forgery token in the X-CSRF-Token header"
                        .into(),
                ));
            }
        }
        Ok(Caller {
            user: Some(session.user),
            request_id,
        })
    }
}
