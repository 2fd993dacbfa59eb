//! Server-rendered pages for people, in the visitor's language.

pub(crate) mod account;
pub(crate) mod home;
mod origin;
mod projects;
mod reference;
mod sites;
mod stats;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::context::PageContext;
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/static/app.css", get(home::stylesheet))
        .route("/reference", get(reference::reference))
        .merge(account::router())
        .merge(projects::router())
        .merge(origin::router())
        .merge(stats::router())
        .merge(sites::router())
}

/// Renders a template, or a plain 500 if the template itself fails (a bug, logged).
pub(crate) fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "template failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    ctx: &'a PageContext,
    title_key: &'a str,
    message: String,
}

/// An error page in the visitor's language.
pub(crate) fn error_page(
    ctx: &PageContext,
    status: StatusCode,
    title_key: &str,
    message: String,
) -> Response {
    (
        status,
        render(&ErrorPage {
            ctx,
            title_key,
            message,
        }),
    )
        .into_response()
}

/// The answer to a form posted without the right anti-forgery token.
pub(crate) fn csrf_refused(ctx: &PageContext) -> Response {
    error_page(
        ctx,
        StatusCode::FORBIDDEN,
        "error.forbidden",
        ctx.t.s("error.csrf").to_owned(),
    )
}

/// A failure of the store, shown as a page: not found, forbidden, or unavailable.
pub(crate) fn store_error_page(ctx: &PageContext, err: store::StoreError) -> Response {
    match err {
        store::StoreError::NotFound => error_page(
            ctx,
            StatusCode::NOT_FOUND,
            "error.not_found",
            ctx.t.s("error.not_found_text").to_owned(),
        ),
        store::StoreError::Forbidden(_) => error_page(
            ctx,
            StatusCode::FORBIDDEN,
            "error.forbidden",
            ctx.t.s("error.forbidden_text").to_owned(),
        ),
        store::StoreError::Conflict(message) => {
            error_page(ctx, StatusCode::CONFLICT, "error.conflict", message)
        }
        other => {
            tracing::error!(error = ?other, "store failed while rendering a page");
            error_page(
                ctx,
                StatusCode::SERVICE_UNAVAILABLE,
                "error.unavailable",
                ctx.t.s("error.unavailable_text").to_owned(),
            )
        }
    }
}

/// The page for any unknown path (JSON for the API is handled by the API's own fallback).
pub(crate) async fn not_found(ctx: PageContext) -> Response {
    error_page(
        &ctx,
        StatusCode::NOT_FOUND,
        "error.not_found",
        ctx.t.s("error.not_found_text").to_owned(),
    )
}

/// A large amount as people write it: `HK$127.1bn` in English, `1271億港元` in Chinese.
pub(crate) fn hkd_billions(t: &crate::i18n::Tr, m: vocab::Money) -> String {
    t.f(
        "format.hkd_bn",
        &[
            ("bn", &m.format_scaled(vocab::Scale::Billion)),
            ("yi", &hundred_millions(m)),
        ],
    )
}

/// The amount in units of 億 (10^8), the way Chinese writes large sums: HK$127.1bn is 1271億.
fn hundred_millions(m: vocab::Money) -> String {
    // 10^8 dollars = 10^10 cents; exact integer arithmetic, trailing zeros trimmed.
    let cents = m.cents();
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let whole = abs / 10_000_000_000;
    let frac = abs % 10_000_000_000;
    if frac == 0 {
        return format!("{sign}{whole}");
    }
    let frac = format!("{frac:010}");
    format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
}
