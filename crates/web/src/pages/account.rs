//! Sign-in, sign-out and changing the password, with rate limiting and session renewal.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use serde_json::json;
use store::{AuditEntry, SessionToken, StoreError, Timestamp, UserRecord};
use vocab::EmailAddress;

use crate::context::{cookie, set_cookie, PageContext, SESSION_COOKIE};
use crate::pages::{csrf_refused, render, store_error_page};
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/sign-in", get(sign_in_form).post(sign_in))
        .route("/sign-out", post(sign_out))
        .route(
            "/account/password",
            get(password_form).post(change_password),
        )
}

/// What a credential check concluded.
pub(crate) enum SignInOutcome {
    /// The email and password match.
    Success(UserRecord),
    /// They do not (or the email is unknown: the two are not told apart).
    WrongCredentials,
    /// Too many recent failures for this email or address.
    RateLimited,
}

/// Checks an email and password, with the rate limit, and records the attempt.
pub(crate) async fn check_credentials(
    state: &AppState,
    email: &EmailAddress,
    password: &str,
    client_ip: &str,
    request_id: &str,
) -> Result<SignInOutcome, StoreError> {
    let store = state.store();
    let config = state.config();
    let since = Timestamp::now().plus(-config.sign_in_window);
    let (by_email, by_address) = store
        .failed_sign_ins_since(email.as_str(), client_ip, since)
        .await?;
    let audit = |action: &'static str, detail: serde_json::Value| AuditEntry {
        actor: store::Actor::Anonymous {
            label: email.as_str().to_owned(),
        },
        action,
        entity: "session",
        entity_id: email.as_str().to_owned(),
        detail,
        request_id: request_id.to_owned(),
    };
    if by_email >= config.max_failed_sign_ins_per_email
        || by_address >= config.max_failed_sign_ins_per_address
    {
        store
            .audit(&audit(
                "session.sign_in_refused",
                json!({"reason": "rate_limited", "client": client_ip}),
            ))
            .await?;
        return Ok(SignInOutcome::RateLimited);
    }
    let found = store.user_for_sign_in(email).await?;
    let hash = found
        .as_ref()
        .map_or_else(|| auth::dummy_hash().to_owned(), |(_, h)| h.clone());
    let typed = password.to_owned();
    // argon2 takes tens of milliseconds of CPU: keep it off the async workers.
    let span = tracing::Span::current();
    let matches =
        tokio::task::spawn_blocking(move || span.in_scope(|| auth::verify_password(&typed, &hash)))
            .await
            .unwrap_or(false);
    let outcome = match found {
        Some((user, _)) if matches => SignInOutcome::Success(user),
        _ => SignInOutcome::WrongCredentials,
    };
    let succeeded = matches!(outcome, SignInOutcome::Success(_));
    store
        .record_sign_in_attempt(email.as_str(), client_ip, succeeded)
        .await?;
    let action = if succeeded {
        "session.sign_in"
    } else {
        "session.sign_in_failed"
    };
    store
        .audit(&audit(action, json!({"client": client_ip})))
        .await?;
    Ok(outcome)
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage<'a> {
    ctx: &'a PageContext,
    email: String,
    error: Option<String>,
}

async fn sign_in_form(ctx: PageContext) -> Response {
    render(&SignInPage {
        ctx: &ctx,
        email: String::new(),
        error: None,
    })
}

#[derive(Deserialize)]
struct SignInForm {
    email: String,
    password: String,
    csrf: String,
}

/// Starts a fresh session for the user (a new token every time: no session fixation).
async fn start_session(state: &AppState, user: &UserRecord) -> Result<String, StoreError> {
    let token = auth::random_token();
    let expires = Timestamp::now().plus(state.config().session_lifetime);
    state
        .store()
        .create_session(
            user.id,
            &SessionToken {
                hash: auth::token_digest(&token),
            },
            &auth::random_token(),
            expires,
        )
        .await?;
    Ok(token)
}

fn with_session_cookie(state: &AppState, mut res: Response, token: &str) -> Response {
    let max_age = state.config().session_lifetime.whole_seconds();
    set_cookie(
        &mut res,
        SESSION_COOKIE,
        token,
        "Lax",
        true,
        state.config().secure_cookies,
        Some(max_age),
    );
    res
}

async fn sign_in(
    State(state): State<AppState>,
    ctx: PageContext,
    headers: axum::http::HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    if !ctx.csrf_ok(&form.csrf) {
        return csrf_refused(&ctx);
    }
    let retry = |status: StatusCode, key: &str| {
        (
            status,
            render(&SignInPage {
                ctx: &ctx,
                email: form.email.clone(),
                error: Some(ctx.t.s(key).to_owned()),
            }),
        )
            .into_response()
    };
    let Ok(email) = EmailAddress::parse(&form.email) else {
        return retry(StatusCode::BAD_REQUEST, "sign_in.bad_email");
    };
    let outcome = match check_credentials(
        &state,
        &email,
        &form.password,
        &ctx.client_ip,
        &ctx.request_id,
    )
    .await
    {
        Ok(outcome) => outcome,
        Err(err) => return store_error_page(&ctx, err),
    };
    let user = match outcome {
        SignInOutcome::Success(user) => user,
        SignInOutcome::WrongCredentials => return retry(StatusCode::UNAUTHORIZED, "sign_in.wrong"),
        SignInOutcome::RateLimited => {
            return retry(StatusCode::TOO_MANY_REQUESTS, "sign_in.rate_limited")
        }
    };
    // End any session the browser already had before starting the new one.
    if let Some(old) = cookie(&headers, SESSION_COOKIE) {
        if let Err(err) = state
            .store()
            .delete_session(&SessionToken {
                hash: auth::token_digest(&old),
            })
            .await
        {
            return store_error_page(&ctx, err);
        }
    }
    let token = match start_session(&state, &user).await {
        Ok(token) => token,
        Err(err) => return store_error_page(&ctx, err),
    };
    let next = if user.must_change_password {
        "/account/password"
    } else {
        "/"
    };
    with_session_cookie(&state, Redirect::to(next).into_response(), &token)
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn sign_out(
    State(state): State<AppState>,
    ctx: PageContext,
    headers: axum::http::HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !ctx.csrf_ok(&form.csrf) {
        return csrf_refused(&ctx);
    }
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        if let Err(err) = state
            .store()
            .delete_session(&SessionToken {
                hash: auth::token_digest(&token),
            })
            .await
        {
            return store_error_page(&ctx, err);
        }
        if let Some(user) = &ctx.user {
            let entry =
                ctx.audit("")
                    .entry("session.sign_out", "session", user.id.get(), json!({}));
            if let Err(err) = state.store().audit(&entry).await {
                return store_error_page(&ctx, err);
            }
        }
    }
    let mut res = Redirect::to("/").into_response();
    set_cookie(
        &mut res,
        SESSION_COOKIE,
        "",
        "Lax",
        true,
        state.config().secure_cookies,
        Some(0),
    );
    res
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage<'a> {
    ctx: &'a PageContext,
    error: Option<String>,
}

async fn password_form(ctx: PageContext) -> Response {
    if ctx.user.is_none() {
        return Redirect::to("/sign-in").into_response();
    }
    render(&PasswordPage {
        ctx: &ctx,
        error: None,
    })
}

#[derive(Deserialize)]
struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
    csrf: String,
}

async fn change_password(
    State(state): State<AppState>,
    ctx: PageContext,
    Form(form): Form<PasswordForm>,
) -> Response {
    let Some(user) = ctx.user.clone() else {
        return Redirect::to("/sign-in").into_response();
    };
    if !ctx.csrf_ok(&form.csrf) {
        return csrf_refused(&ctx);
    }
    let fail = |status: StatusCode, message: String| {
        (
            status,
            render(&PasswordPage {
                ctx: &ctx,
                error: Some(message),
            }),
        )
            .into_response()
    };
    if form.new != form.confirm {
        return fail(
            StatusCode::BAD_REQUEST,
            ctx.t.s("password.mismatch").to_owned(),
        );
    }
    let new = match auth::NewPassword::parse(form.new.clone()) {
        Ok(p) => p,
        Err(err) => return fail(StatusCode::BAD_REQUEST, err.to_string()),
    };
    match check_credentials(
        &state,
        &user.email,
        &form.current,
        &ctx.client_ip,
        &ctx.request_id,
    )
    .await
    {
        Ok(SignInOutcome::Success(_)) => {}
        Ok(SignInOutcome::WrongCredentials) => {
            return fail(
                StatusCode::UNAUTHORIZED,
                ctx.t.s("password.wrong_current").to_owned(),
            )
        }
        Ok(SignInOutcome::RateLimited) => {
            return fail(
                StatusCode::TOO_MANY_REQUESTS,
                ctx.t.s("sign_in.rate_limited").to_owned(),
            )
        }
        Err(err) => return store_error_page(&ctx, err),
    }
    let hash = match tokio::task::spawn_blocking(move || auth::hash_password(&new)).await {
        Ok(Ok(hash)) => hash,
        _ => {
            return fail(
                StatusCode::INTERNAL_SERVER_ERROR,
                ctx.t.s("error.unavailable_text").to_owned(),
            )
        }
    };
    if let Err(err) = state
        .store()
        .set_password(&ctx.audit(""), user.id, &hash, false)
        .await
    {
        return store_error_page(&ctx, err);
    }
    // Setting the password ended every session; start a fresh one for this browser.
    let mut fresh = user.clone();
    fresh.must_change_password = false;
    match start_session(&state, &fresh).await {
        Ok(token) => with_session_cookie(&state, Redirect::to("/").into_response(), &token),
        Err(err) => store_error_page(&ctx, err),
    }
}
