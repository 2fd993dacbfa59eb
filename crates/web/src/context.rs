//! Who is asking and in which language: cookies, sessions and the per-request context that
//! page handlers and templates share.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use store::{Access, Actor, AuditContext, SessionToken, UserRecord};
use vocab::Role;

use crate::i18n::{Lang, Tr};
use crate::AppState;

/// The session cookie: an opaque random token; the database keeps only its digest.
pub const SESSION_COOKIE: &str = "madeby_session";
/// The remembered language.
pub const LANG_COOKIE: &str = "madeby_lang";
/// The anti-forgery token of visitors who are not signed in (double-submit cookie).
pub const CSRF_COOKIE: &str = "madeby_csrf";

/// Language and anonymous anti-forgery token, worked out by middleware for every request.
#[derive(Debug, Clone)]
pub struct Preferences {
    /// The language of the response.
    pub lang: Lang,
    /// The visitor's anti-forgery cookie value.
    pub anonymous_csrf: String,
}

/// Reads one cookie from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// Appends a `Set-Cookie` header. `max_age` of `None` makes a session cookie; `Some(0)` deletes.
pub fn set_cookie(
    res: &mut Response,
    name: &str,
    value: &str,
    same_site: &str,
    http_only: bool,
    secure: bool,
    max_age: Option<i64>,
) {
    let mut text = format!("{name}={value}; Path=/; SameSite={same_site}");
    if http_only {
        text.push_str("; HttpOnly");
    }
    if secure {
        text.push_str("; Secure");
    }
    if let Some(age) = max_age {
        text.push_str(&format!("; Max-Age={age}"));
    }
    if let Ok(value) = HeaderValue::from_str(&text) {
        res.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// The confidentiality scope of a user.
pub fn access_of(user: Option<&UserRecord>) -> Access {
    match user {
        Some(u) if u.role == Role::Admin => Access::Admin,
        Some(u) if u.role == Role::Officer => Access::Officer { org: u.org },
        Some(UserRecord { org: Some(org), .. }) => Access::Member { org: *org },
        _ => Access::Anonymous,
    }
}

/// The audit actor of a user.
pub fn actor_of(user: Option<&UserRecord>, anonymous_label: &str) -> Actor {
    match user {
        Some(u) => Actor::User {
            id: u.id,
            email: u.email.as_str().to_owned(),
        },
        None => Actor::Anonymous {
            label: anonymous_label.to_owned(),
        },
    }
}

pub(crate) fn request_id(parts: &Parts) -> String {
    parts
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

pub(crate) fn client_ip(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default()
}

/// Everything a page handler and its template need about the request.
#[derive(Clone, Debug)]
pub struct PageContext {
    /// The translator.
    pub t: Tr,
    /// The signed-in user, if any.
    pub user: Option<UserRecord>,
    /// The anti-forgery token forms must carry.
    pub csrf: String,
    /// The path and query of this page without `lang`, for the language switch.
    pub path: String,
    /// The request id.
    pub request_id: String,
    /// The client address.
    pub client_ip: String,
}

impl PageContext {
    /// Link to this page in the other language.
    pub fn switch_href(&self) -> String {
        let sep = if self.path.contains('?') { '&' } else { '?' };
        format!("{}{sep}lang={}", self.path, self.t.lang().other().code())
    }

    /// The name of the other language, in that language.
    pub fn switch_label(&self) -> &'static str {
        match self.t.lang() {
            Lang::En => "繁體中文",
            Lang::ZhHk => "English",
        }
    }

    /// `<html lang>` value.
    pub fn html_lang(&self) -> &'static str {
        self.t.lang().code()
    }

    /// Whether the page should show the one-time password reminder.
    pub fn must_change_password(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.must_change_password)
    }

    /// Whether the signed-in user is an administrator (who sees the users page).
    pub fn is_admin(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.role == vocab::Role::Admin)
    }

    /// Confidentiality scope.
    pub fn access(&self) -> Access {
        access_of(self.user.as_ref())
    }

    /// The audit context of a change made in this request.
    pub fn audit(&self, anonymous_label: &str) -> AuditContext {
        AuditContext {
            actor: actor_of(self.user.as_ref(), anonymous_label),
            request_id: self.request_id.clone(),
        }
    }

    /// Whether a posted anti-forgery token is the right one.
    pub fn csrf_ok(&self, posted: &str) -> bool {
        auth::constant_time_eq(&self.csrf, posted)
    }
}

impl FromRequestParts<AppState> for PageContext {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let prefs = parts
            .extensions
            .get::<Preferences>()
            .cloned()
            .unwrap_or(Preferences {
                lang: Lang::En,
                anonymous_csrf: auth::random_token(),
            });
        let session = match cookie(&parts.headers, SESSION_COOKIE) {
            Some(token) => state
                .store()
                .session(&SessionToken {
                    hash: auth::token_digest(&token),
                })
                .await
                .map_err(|err| {
                    tracing::error!(error = %err, "session lookup failed");
                    (
                        StatusCode::SERVICE_UNAVAILABLE,
                        "service unavailable: the database does not answer",
                    )
                        .into_response()
                })?,
            None => None,
        };
        let (user, csrf) = match session {
            Some(s) => (Some(s.user), s.csrf_token),
            None => (None, prefs.anonymous_csrf.clone()),
        };
        let path = strip_lang(parts.uri.path(), parts.uri.query());
        Ok(PageContext {
            t: Tr::new(prefs.lang, state.catalogs().clone()),
            user,
            csrf,
            path,
            request_id: request_id(parts),
            client_ip: client_ip(parts),
        })
    }
}

fn strip_lang(path: &str, query: Option<&str>) -> String {
    let Some(query) = query else {
        return path.to_owned();
    };
    let kept: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k != "lang")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        return path.to_owned();
    }
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kept)
        .finish();
    format!("{path}?{query}")
}
