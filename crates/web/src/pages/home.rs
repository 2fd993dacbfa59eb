//! The home page, the health check and the stylesheet.

use askama::Template;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::context::PageContext;
use crate::pages::render;
use crate::AppState;

/// One capability on the home page.
pub(crate) struct Capability {
    pub key: &'static str,
    pub href: &'static str,
    pub available: bool,
}

/// The six capabilities of the platform; those not yet built say so.
const CAPABILITIES: [Capability; 6] = [
    Capability {
        key: "statistics",
        href: "/stats",
        available: true,
    },
    Capability {
        key: "sites",
        href: "/sites",
        available: true,
    },
    Capability {
        key: "network",
        href: "/plan",
        available: true,
    },
    Capability {
        key: "directory",
        href: "/directory",
        available: true,
    },
    Capability {
        key: "funding",
        href: "/funding",
        available: true,
    },
    Capability {
        key: "origin",
        href: "/origin",
        available: true,
    },
];

#[derive(Template)]
#[template(path = "home.html")]
struct Home<'a> {
    ctx: &'a PageContext,
    capabilities: &'a [Capability],
}

pub(crate) async fn home(ctx: PageContext) -> Response {
    render(&Home {
        ctx: &ctx,
        capabilities: &CAPABILITIES,
    })
}

/// 200 only when the database answers.
pub(crate) async fn health(State(state): State<AppState>) -> Response {
    match state.store().ping().await {
        Ok(()) => {
            tracing::debug!("health check: ok");
            (StatusCode::OK, "ok").into_response()
        }
        Err(err) => {
            tracing::warn!(error = %err, "health check: database does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

pub(crate) async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.css"),
    )
        .into_response()
}
