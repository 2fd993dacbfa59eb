//! Server-rendered pages for people, in the visitor's language.

pub(crate) mod account;
mod admin;
mod directory;
mod directory_form;
mod funding;
mod funding_form;
mod funding_report;
mod funding_view;
pub(crate) mod home;
mod origin;
mod pipeline;
mod plan;
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
use crate::i18n::Tr;
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/static/app.css", get(home::stylesheet))
        .route("/reference", get(reference::reference))
        .route("/pipeline", get(pipeline::dashboard))
        .merge(account::router())
        .merge(admin::router())
        .merge(projects::router())
        .merge(origin::router())
        .merge(stats::router())
        .merge(sites::router())
        .merge(plan::router())
        .merge(directory_form::router())
        .merge(directory::router())
        .merge(funding::router())
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

/// The reason for a refusal in the reader's language when the catalogs word its code as
/// `{prefix}{code}` (a whole sentence, for the mistakes a form lets anyone make), else as the
/// engine wrote it.
pub(crate) fn coded_reason(t: &Tr, err: &crate::error::ApiError, prefix: &str) -> String {
    t.maybe(&format!("{prefix}{}", err.code()))
        .map_or_else(|| err.to_string(), str::to_owned)
}

/// A refused field's reason with the field's label in the reader's language in front of it,
/// when `label_key` names a key the catalogs have for that field. The field is the one an
/// engine names (``field `name_zh`: ...``) or, failing that, the one [`ApiError::field`] puts
/// first (`name_zh: ...`).
pub(crate) fn labelled_reason(
    t: &Tr,
    err: &crate::error::ApiError,
    label_key: impl Fn(&str) -> Option<String>,
) -> String {
    let message = err.to_string();
    let field = named_field(&message).or_else(|| message.split_once(':').map(|(field, _)| field));
    let label = field
        .and_then(&label_key)
        .and_then(|key| t.maybe(&key).map(str::to_owned));
    match label {
        Some(label) => format!("{label} — {message}"),
        None => message,
    }
}

/// The field an engine's message names: `name_zh` in ``line 3: field `name_zh`: ...``.
pub(crate) fn named_field(message: &str) -> Option<&str> {
    message
        .split_once("field `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(field, _)| field)
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

/// A yearly amount rounded for reading: `HK$36.7m` in English, `3,672萬港元` in Chinese. The
/// exact cents stay in the API and the CSV.
pub(crate) fn hkd_millions_rounded(t: &crate::i18n::Tr, m: vocab::Money) -> String {
    let cents = i128::from(m.cents());
    let rounded = |unit: i128| (cents.abs() + unit / 2) / unit * cents.signum();
    let tenths_of_millions = rounded(10_000_000);
    let millions = format!(
        "{}.{}",
        tenths_of_millions / 10,
        (tenths_of_millions % 10).abs()
    );
    let wan = rounded(1_000_000);
    let digits = wan.abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let wan = if wan < 0 {
        format!("-{grouped}")
    } else {
        grouped
    };
    t.f("format.hkd_m", &[("m", &millions), ("wan", &wan)])
}

/// A large amount rounded for reading: `HK$2.26bn`, `22.6億港元`.
pub(crate) fn hkd_billions_rounded(t: &crate::i18n::Tr, m: vocab::Money) -> String {
    let cents = i128::from(m.cents());
    let rounded = |unit: i128| (cents.abs() + unit / 2) / unit * cents.signum();
    let hundredths_bn = rounded(1_000_000_000);
    let tenths_yi = rounded(1_000_000_000);
    let bn = format!("{}.{:02}", hundredths_bn / 100, (hundredths_bn % 100).abs());
    let yi = format!("{}.{}", tenths_yi / 10, (tenths_yi % 10).abs());
    t.f("format.hkd_bn", &[("bn", &bn), ("yi", &yi)])
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::i18n::{Catalogs, Lang, Tr};

    #[test]
    fn rounded_amounts_read_naturally_in_both_languages() {
        let catalogs = Arc::new(Catalogs::load().unwrap());
        let en = Tr::new(Lang::En, catalogs.clone());
        let zh = Tr::new(Lang::ZhHk, catalogs);
        let yearly = vocab::Money::hkd(3_672_000_000); // HK$36,720,000
        assert_eq!(super::hkd_millions_rounded(&en, yearly), "HK$36.7m");
        assert_eq!(super::hkd_millions_rounded(&zh, yearly), "3,672萬港元");
        let npc = vocab::Money::hkd(226_200_458_302); // HK$2,262,004,583.02
        assert_eq!(super::hkd_billions_rounded(&en, npc), "HK$2.26bn");
        assert_eq!(super::hkd_billions_rounded(&zh, npc), "22.6億港元");
        assert_eq!(
            super::hkd_millions_rounded(&en, vocab::Money::hkd(-150_000_000)),
            "HK$-1.5m"
        );
    }
}
