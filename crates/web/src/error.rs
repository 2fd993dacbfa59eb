//! The one mapping from failures to HTTP for the API: a status, a stable machine code and a
//! message that says what was wrong. Internal failures are logged with their cause chain and
//! reach the client as a generic message.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use store::StoreError;
use utoipa::ToSchema;

/// An API failure.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed or a value is invalid; the message names the field.
    #[error("{message}")]
    BadRequest {
        /// Machine code, e.g. `invalid_field`.
        code: &'static str,
        /// What was wrong.
        message: String,
    },
    /// No valid credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// Credentials are valid but do not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// No such resource (or not visible to the caller).
    #[error("{0}")]
    NotFound(String),
    /// Conflicts with stored data.
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts.
    #[error("{0}")]
    TooManyRequests(String),
    /// The body is larger than the route accepts; the message names the field and the limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The database does not answer.
    #[error("service unavailable")]
    Unavailable,
    /// Something broke inside; details go to the log only.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

/// The JSON body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// Code and message of an API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code.
    pub code: String,
    /// Human-readable explanation naming what was wrong.
    pub message: String,
}

impl ApiError {
    /// A bad value in a named field.
    pub fn field(field: &str, reason: impl std::fmt::Display) -> ApiError {
        ApiError::BadRequest {
            code: "invalid_field",
            message: format!("{field}: {reason}"),
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> StatusCode {
        self.parts().0
    }

    /// The stable machine code of the error body, e.g. `"all_zero_weights"`.
    pub fn code(&self) -> &'static str {
        self.parts().1
    }

    fn parts(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest { code, .. } => (StatusCode::BAD_REQUEST, code),
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::TooManyRequests(_) => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
            ApiError::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApiError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.parts();
        if let ApiError::Internal(err) = &self {
            tracing::error!(error = ?err, "internal error");
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: code.to_owned(),
                message: self.to_string(),
            },
        };
        (status, Json(body)).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> ApiError {
        match err {
            StoreError::NotFound => ApiError::NotFound("not found".into()),
            StoreError::Conflict(m) => ApiError::Conflict(m),
            StoreError::Forbidden(m) => ApiError::Forbidden(m),
            StoreError::BadUrl(m) => ApiError::BadRequest {
                code: "bad_request",
                message: m,
            },
            StoreError::Connect { .. } => ApiError::Unavailable,
            StoreError::Database(sqlx_err) if is_unavailable(&sqlx_err) => ApiError::Unavailable,
            other => ApiError::Internal(other.into()),
        }
    }
}

fn is_unavailable(err: &impl std::error::Error) -> bool {
    let text = err.to_string();
    text.contains("pool timed out") || text.contains("connection") || text.contains("closed")
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        let code = match rejection {
            JsonRejection::MissingJsonContentType(_) => "unsupported_media_type",
            JsonRejection::JsonSyntaxError(_) => "malformed_json",
            _ => "invalid_body",
        };
        ApiError::BadRequest {
            code,
            message: format!("request body: {}", rejection.body_text()),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> ApiError {
        ApiError::BadRequest {
            code: "invalid_path",
            message: format!("path: {}", rejection.body_text()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> ApiError {
        ApiError::BadRequest {
            code: "invalid_query",
            message: format!("query: {}", rejection.body_text()),
        }
    }
}
