//! Origin-check pages: the product form, the result with every term shown, certificates and
//! their public look-up.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use origin::{OriginError, OriginReport, Product};
use serde::Deserialize;
use vocab::{Money, Scale};

use crate::api::origin::issue;
use crate::context::PageContext;
use crate::i18n::Tr;
use crate::pages::{csrf_refused, error_page, render, store_error_page};
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/origin", get(form))
        .route("/origin/check", post(check))
        .route("/origin/certificates", post(issue_certificate))
        .route("/origin/certificates/{code}", get(certificate))
        .route("/origin/verify", get(verify))
}

/// One term of the computation, as shown.
pub(crate) struct TermView {
    pub kind: &'static str,
    pub label: String,
    pub cost: String,
    pub place: String,
    pub in_hk: bool,
    pub in_base: bool,
    pub note: Option<&'static str>,
}

pub(crate) struct StepView {
    pub code: String,
    pub place: String,
    pub ok: bool,
}

pub(crate) struct MoveView {
    pub label: String,
    pub cost: String,
    pub from: String,
    pub reason: &'static str,
}

/// The report prepared for a template.
pub(crate) struct ReportView {
    pub product: String,
    pub class_name: String,
    pub qualifies: bool,
    pub share: String,
    pub threshold: String,
    pub hk_cost: String,
    pub base_cost: String,
    pub excluded_cost: String,
    pub rules_indicative: bool,
    pub terms: Vec<TermView>,
    pub steps: Vec<StepView>,
    pub fix_amount: Option<String>,
    pub fix_reachable: bool,
    pub moves: Vec<MoveView>,
    pub missing_steps: Vec<String>,
}

fn money(m: Money) -> String {
    format!("{} {}", m.currency().symbol(), m.format_scaled(Scale::Unit))
}

fn report_view(ctx: &PageContext, report: &OriginReport) -> ReportView {
    let fix = report.fix.as_ref();
    ReportView {
        product: report.product.clone(),
        class_name: report.class_name.get(ctx.t.is_zh()).to_owned(),
        qualifies: report.qualifies,
        share: report
            .share
            .map(|s| format!("{s}%"))
            .unwrap_or_else(|| "—".into()),
        threshold: format!("{}%", report.threshold),
        hk_cost: money(report.hk_cost),
        base_cost: money(report.base_cost),
        excluded_cost: money(report.excluded_cost),
        rules_indicative: report.rules_source.kind() == "indicative",
        terms: report
            .terms
            .iter()
            .map(|t| TermView {
                kind: match t.kind {
                    origin::TermKind::Material => "material",
                    origin::TermKind::Step => "step",
                },
                label: t.label.clone(),
                cost: money(t.cost),
                place: t.place.as_str().to_owned(),
                in_hk: t.in_hk,
                in_base: t.in_base,
                note: t.note.map(|n| n.code()),
            })
            .collect(),
        steps: report
            .essential_steps
            .iter()
            .map(|s| StepView {
                code: s.code.as_str().to_owned(),
                place: s
                    .place
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_else(|| "—".into()),
                ok: s.ok,
            })
            .collect(),
        fix_amount: fix.map(|f| money(f.amount_to_move)),
        fix_reachable: fix.is_none_or(|f| f.reachable),
        moves: fix
            .map(|f| {
                f.moves
                    .iter()
                    .map(|m| MoveView {
                        label: m.label.clone(),
                        cost: money(m.cost),
                        from: m.from.as_str().to_owned(),
                        reason: match m.reason {
                            origin::MoveReason::EssentialStep => "essential_step",
                            origin::MoveReason::Share => "share",
                        },
                    })
                    .collect()
            })
            .unwrap_or_default(),
        missing_steps: fix
            .map(|f| {
                f.missing_steps
                    .iter()
                    .map(|c| c.as_str().to_owned())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "origin.html")]
struct FormPage<'a> {
    ctx: &'a PageContext,
    product_toml: String,
    error: Option<String>,
    classes: Vec<(String, String, String)>,
}

fn form_page(ctx: &PageContext, product_toml: String, error: Option<String>) -> Response {
    let rules = origin::default_rules();
    let classes = rules
        .classes()
        .iter()
        .map(|c| {
            (
                c.code().as_str().to_owned(),
                c.name().get(ctx.t.is_zh()).to_owned(),
                format!("{}%", c.min_hk_share()),
            )
        })
        .collect();
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    (
        status,
        render(&FormPage {
            ctx,
            product_toml,
            error,
            classes,
        }),
    )
        .into_response()
}

async fn form(ctx: PageContext) -> Response {
    form_page(&ctx, origin::EXAMPLE_PRODUCT_TOML.to_owned(), None)
}

#[derive(Deserialize)]
struct ProductForm {
    product_toml: String,
    csrf: String,
}

/// Parses and checks the posted product; a bad file comes back to the form with the line,
/// worded in the reader's language.
fn parse_and_check(t: &Tr, text: &str) -> Result<(Product, OriginReport), String> {
    let rules = origin::default_rules();
    let product = Product::parse(&rules, text).map_err(|e| worded(t, &e))?;
    let report = origin::check(&rules, &product).map_err(|e| worded(t, &e))?;
    Ok((product, report))
}

/// An origin error in the reader's language: where it is, then what is wrong. What the TOML
/// reader or a vocabulary type said comes through as it was written, in English.
fn worded(t: &Tr, err: &OriginError) -> String {
    let at = |at: &origin::Location| match at.line {
        Some(line) => t.f(
            "origin.error.at_line",
            &[("line", &line.to_string()), ("field", &at.field)],
        ),
        None => t.f("origin.error.at_field", &[("field", &at.field)]),
    };
    let (location, what) = match err {
        OriginError::Toml { at: l, reason } => (l, t.f("origin.error.toml", &[("reason", reason)])),
        OriginError::Vocab { at: l, problem } => (
            l,
            t.f("origin.error.value", &[("reason", &problem.to_string())]),
        ),
        OriginError::Invalid { at: l, reason } => {
            (l, t.f("origin.error.invalid", &[("reason", reason)]))
        }
        OriginError::InvalidCode {
            at: l,
            text,
            reason,
        } => (
            l,
            t.f("origin.error.code", &[("text", text), ("reason", reason)]),
        ),
        OriginError::NegativeCost { at: l, text } => {
            (l, t.f("origin.error.negative", &[("text", text)]))
        }
        OriginError::EmptyBillOfMaterials { at: l } => (l, t.s("origin.error.empty").to_owned()),
        OriginError::DuplicateCode {
            at: l,
            code,
            first_line,
        } => (
            l,
            match first_line {
                Some(first) => t.f(
                    "origin.error.duplicate_at",
                    &[("code", code), ("line", &first.to_string())],
                ),
                None => t.f("origin.error.duplicate", &[("code", code)]),
            },
        ),
        OriginError::UnknownClass { at: l, code, known } => (
            l,
            t.f("origin.error.class", &[("code", code), ("known", known)]),
        ),
        OriginError::MixedCurrency {
            at: l,
            expected,
            found,
        } => (
            l,
            t.f(
                "origin.error.currency",
                &[("found", found.code()), ("expected", expected.code())],
            ),
        ),
        OriginError::Overflow { at: l } => (l, t.s("origin.error.overflow").to_owned()),
    };
    format!("{}{what}", at(location))
}

#[derive(Template)]
#[template(path = "origin_result.html")]
struct ResultPage<'a> {
    ctx: &'a PageContext,
    report: ReportView,
    product_toml: String,
}

async fn check(ctx: PageContext, Form(form): Form<ProductForm>) -> Response {
    if !ctx.csrf_ok(&form.csrf) {
        return csrf_refused(&ctx);
    }
    match parse_and_check(&ctx.t, &form.product_toml) {
        Ok((_, report)) => render(&ResultPage {
            ctx: &ctx,
            report: report_view(&ctx, &report),
            product_toml: form.product_toml,
        }),
        Err(message) => form_page(&ctx, form.product_toml, Some(message)),
    }
}

async fn issue_certificate(
    State(state): State<AppState>,
    ctx: PageContext,
    Form(form): Form<ProductForm>,
) -> Response {
    let Some(user) = ctx.user.clone() else {
        return Redirect::to("/sign-in").into_response();
    };
    if !ctx.csrf_ok(&form.csrf) {
        return csrf_refused(&ctx);
    }
    // Check again: the certificate rests on this computation, not on what the form claimed.
    let report = match parse_and_check(&ctx.t, &form.product_toml) {
        Ok((_, report)) => report,
        Err(message) => return form_page(&ctx, form.product_toml, Some(message)),
    };
    match issue(&state, &ctx.audit(""), &user, &report).await {
        Ok(code) => Redirect::to(&format!("/origin/certificates/{code}")).into_response(),
        Err(err) => error_page(
            &ctx,
            StatusCode::BAD_REQUEST,
            "origin.not_issued",
            err.to_string(),
        ),
    }
}

#[derive(Template)]
#[template(path = "certificate.html")]
struct CertificatePage<'a> {
    ctx: &'a PageContext,
    code: String,
    issued_at: String,
    report: ReportView,
}

async fn certificate(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(code): Path<String>,
) -> Response {
    let code = code.trim().to_ascii_uppercase();
    let record = match state.store().certificate(&code).await {
        Ok(record) => record,
        Err(err) => return store_error_page(&ctx, err),
    };
    // The certificate shows the computation frozen when it was issued, not a fresh one.
    let Ok(report) = serde_json::from_str::<OriginReport>(&record.report_json) else {
        return store_error_page(
            &ctx,
            store::StoreError::Corrupt("certificate report".into()),
        );
    };
    render(&CertificatePage {
        ctx: &ctx,
        code: record.code,
        issued_at: record.issued_at,
        report: report_view(&ctx, &report),
    })
}

#[derive(Deserialize)]
struct VerifyQuery {
    code: String,
}

async fn verify(ctx: PageContext, Query(query): Query<VerifyQuery>) -> Response {
    let code = query.code.trim().to_ascii_uppercase();
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return error_page(
            &ctx,
            StatusCode::BAD_REQUEST,
            "origin.verify_title",
            ctx.t.s("origin.bad_code").to_owned(),
        );
    }
    Redirect::to(&format!("/origin/certificates/{code}")).into_response()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use origin::{Location, OriginError};
    use vocab::{Currency, VocabError};

    use crate::i18n::{Catalogs, Lang, Tr};

    #[test]
    fn origin_errors_read_in_english_as_the_engine_words_them_and_in_chinese_too() {
        let catalogs = Arc::new(Catalogs::load().unwrap());
        let en = Tr::new(Lang::En, catalogs.clone());
        let zh = Tr::new(Lang::ZhHk, catalogs);
        let at = Location::line(7, "cost");
        let errors = [
            OriginError::Toml {
                at: at.clone(),
                reason: "expected a string".into(),
            },
            OriginError::Vocab {
                at: at.clone(),
                problem: VocabError::InvalidId {
                    what: "user id",
                    text: "x".into(),
                    reason: "not a number".into(),
                },
            },
            OriginError::Invalid {
                at: at.clone(),
                reason: "must not be empty".into(),
            },
            OriginError::InvalidCode {
                at: at.clone(),
                text: "A B".into(),
                reason: "lowercase".into(),
            },
            OriginError::NegativeCost {
                at: at.clone(),
                text: "-1".into(),
            },
            OriginError::EmptyBillOfMaterials {
                at: Location {
                    line: None,
                    field: "material".into(),
                },
            },
            OriginError::DuplicateCode {
                at: at.clone(),
                code: "cells".into(),
                first_line: Some(3),
            },
            OriginError::DuplicateCode {
                at: at.clone(),
                code: "cells".into(),
                first_line: None,
            },
            OriginError::UnknownClass {
                at: at.clone(),
                code: "toys".into(),
                known: "industrial, food".into(),
            },
            OriginError::MixedCurrency {
                at: at.clone(),
                expected: Currency::Hkd,
                found: Currency::Usd,
            },
            OriginError::Overflow { at },
        ];
        for err in &errors {
            assert_eq!(super::worded(&en, err), err.to_string());
            let chinese = super::worded(&zh, err);
            assert!(
                chinese.starts_with("第 7 行") || chinese.starts_with("欄位「material」"),
                "{chinese}"
            );
            assert_ne!(chinese, err.to_string());
        }
    }
}
