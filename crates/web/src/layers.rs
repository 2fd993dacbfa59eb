//! Middleware around every route: request ids, the request span, language and anti-forgery
//! cookies, security headers.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::context::{cookie, set_cookie, Preferences, CSRF_COOKIE, LANG_COOKIE};
use crate::i18n::Lang;
use crate::AppState;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The Content-Security-Policy of every response: our own scripts, styles and images only,
/// never framed (clickjacking), forms post only to us.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                   frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

pub(crate) fn wrap(router: Router, state: AppState) -> Router {
    router
        .layer(middleware::from_fn_with_state(state, preferences))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let route = req
                .extensions()
                .get::<MatchedPath>()
                .map(|p| p.as_str().to_owned());
            let request_id = req
                .headers()
                .get(REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let client = req
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string());
            tracing::info_span!(
                "request",
                method = %req.method(),
                route = route.as_deref().unwrap_or("unmatched"),
                request_id,
                client = client.as_deref().unwrap_or(""),
            )
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
}

/// Works out the language (query, then cookie, then Accept-Language) and the anonymous
/// anti-forgery token, and sets the cookies that remember them.
async fn preferences(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let headers = req.headers();
    let from_query = req.uri().query().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| Lang::parse(&v))
    });
    let from_cookie = cookie(headers, LANG_COOKIE).and_then(|v| Lang::parse(&v));
    let from_header = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .find_map(|part| Lang::parse(part.split(';').next().unwrap_or("")))
        });
    let lang = from_query
        .or(from_cookie)
        .or(from_header)
        .unwrap_or(Lang::En);
    let existing_csrf = cookie(headers, CSRF_COOKIE).filter(|v| v.len() >= 32);
    let csrf = existing_csrf.clone().unwrap_or_else(auth::random_token);
    req.extensions_mut().insert(Preferences {
        lang,
        anonymous_csrf: csrf.clone(),
    });

    let mut res = next.run(req).await;
    let secure = state.config().secure_cookies;
    if from_query.is_some() && from_query != from_cookie {
        set_cookie(
            &mut res,
            LANG_COOKIE,
            lang.code(),
            "Lax",
            false,
            secure,
            Some(365 * 24 * 3600),
        );
    }
    if existing_csrf.is_none() {
        set_cookie(&mut res, CSRF_COOKIE, &csrf, "Strict", true, secure, None);
    }
    res
}
