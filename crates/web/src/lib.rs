//! The web tier: one axum router serving the JSON API under `/api/v1`, its OpenAPI document,
//! and server-rendered pages in English and Traditional Chinese.
//!
//! Requests flow: [`app`] adds the request id, the request span, the language and anti-forgery
//! cookies and the security headers; a handler extracts who is asking ([`context::PageContext`]
//! for pages, [`api::Caller`] for the API), calls [`store::Store`], and renders a template or a
//! JSON body. Every API failure leaves as one JSON shape, `{"error": {"code", "message"}}`
//! ([`error::ApiError`]); nothing the caller sends can produce a 500.
//!
//! The tier keeps no state of its own beyond the pool: sessions and rate limits live in the
//! database, so several instances can run behind a load balancer.
//!
//! ```no_run
//! # async fn demo(store: store::Store) -> anyhow::Result<()> {
//! let state = web::AppState::new(store, web::WebConfig::local())?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! web::serve(listener, state, std::future::pending()).await?;
//! # Ok(()) }
//! ```

#![deny(missing_docs)]

pub mod api;
pub mod charts;
pub mod context;
pub mod error;
pub mod funding;
pub mod i18n;
mod jobs;
mod layers;
mod pages;
mod recent;
mod reference_cache;
pub mod report;
pub mod search_index;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;

use crate::i18n::Catalogs;

/// Settings of the web tier.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when served over HTTPS behind a proxy).
    pub secure_cookies: bool,
    /// How long a session lasts.
    pub session_lifetime: time::Duration,
    /// Failed sign-ins allowed per email within the window before refusing.
    pub max_failed_sign_ins_per_email: i64,
    /// Failed sign-ins allowed per client address within the window before refusing.
    pub max_failed_sign_ins_per_address: i64,
    /// The rate-limit window.
    pub sign_in_window: time::Duration,
    /// This instance's name in the planning job queue: at start-up it requeues the jobs it
    /// left running, so it must differ between instances that share one database.
    pub worker_name: String,
}

impl WebConfig {
    /// Settings for a server on this machine over plain HTTP.
    pub fn local() -> WebConfig {
        WebConfig {
            secure_cookies: false,
            session_lifetime: time::Duration::hours(12),
            max_failed_sign_ins_per_email: 5,
            max_failed_sign_ins_per_address: 30,
            sign_in_window: time::Duration::minutes(15),
            worker_name: "local".to_owned(),
        }
    }
}

/// How old the public project list that visitors share may be.
const PUBLIC_PROJECTS_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(1);

/// How old the list of statistics versions may be; an upload through this instance drops it.
const STATS_VERSIONS_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(1);

/// What every handler shares: the store, the catalogs and the settings.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<StateInner>,
}

struct StateInner {
    store: store::Store,
    catalogs: Arc<Catalogs>,
    config: WebConfig,
    job_queued: tokio::sync::Notify,
    directory: search_index::DirectorySearch,
    reference: reference_cache::ReferenceCache,
    /// The projects anyone may see, as the public pipeline shows them.
    public_projects: recent::Recent<Vec<store::ProjectRecord>>,
    /// The uploaded versions of the statistics tables, which every statistics page lists.
    stats_versions: recent::Recent<Vec<store::StatsVersion>>,
    funding: funding::FundingCatalog,
}

impl AppState {
    /// Builds the state, loading the translation catalogs.
    pub fn new(store: store::Store, config: WebConfig) -> anyhow::Result<AppState> {
        let catalogs = Arc::new(Catalogs::load()?);
        Ok(AppState {
            inner: Arc::new(StateInner {
                store,
                catalogs,
                config,
                job_queued: tokio::sync::Notify::new(),
                directory: search_index::DirectorySearch::new()?,
                reference: reference_cache::ReferenceCache::new(),
                public_projects: recent::Recent::new(),
                stats_versions: recent::Recent::new(),
                funding: funding::FundingCatalog::shipped(),
            }),
        })
    }

    pub(crate) fn store(&self) -> &store::Store {
        &self.inner.store
    }

    pub(crate) fn funding(&self) -> &funding::FundingCatalog {
        &self.inner.funding
    }

    pub(crate) fn catalogs(&self) -> &Arc<Catalogs> {
        &self.inner.catalogs
    }

    pub(crate) fn config(&self) -> &WebConfig {
        &self.inner.config
    }

    /// The directory's search index, following the database.
    pub(crate) fn directory(&self) -> &search_index::DirectorySearch {
        &self.inner.directory
    }

    /// The reference tables, from this instance's copy (read again when older than
    /// [`reference_cache::STALE_AFTER`]).
    pub(crate) async fn reference_data(
        &self,
    ) -> Result<std::sync::Arc<refdata::ReferenceData>, store::StoreError> {
        self.inner.reference.data(&self.inner.store).await
    }

    /// What `build` derives from the reference tables alone, kept until they are loaded again;
    /// `key` names whatever else it depends on (see [`reference_cache::ReferenceCache::view`]).
    pub(crate) async fn reference_view<T: std::any::Any + Send + Sync>(
        &self,
        key: String,
        build: impl FnOnce(&refdata::ReferenceData) -> T,
    ) -> Result<std::sync::Arc<T>, store::StoreError> {
        self.inner
            .reference
            .view(&self.inner.store, key, build)
            .await
    }

    /// The projects `access` may see. A visitor's are the public ones, shared by every
    /// visitor's request for up to [`PUBLIC_PROJECTS_MAX_AGE`]: the public pipeline is the
    /// busiest route that reads them, and a member sees their own changes at once anyway.
    pub(crate) async fn projects(
        &self,
        access: store::Access,
    ) -> Result<Arc<Vec<store::ProjectRecord>>, store::StoreError> {
        if access != store::Access::Anonymous {
            return Ok(Arc::new(self.inner.store.projects(access).await?));
        }
        self.inner
            .public_projects
            .get(PUBLIC_PROJECTS_MAX_AGE, |_| {
                self.inner.store.projects(access)
            })
            .await
    }

    /// The uploaded versions of the statistics tables, shared by requests for up to
    /// [`STATS_VERSIONS_MAX_AGE`].
    pub(crate) async fn stats_versions(
        &self,
    ) -> Result<Arc<Vec<store::StatsVersion>>, store::StoreError> {
        self.inner
            .stats_versions
            .get(STATS_VERSIONS_MAX_AGE, |_| {
                self.inner.store.stats_versions()
            })
            .await
    }

    /// After an upload through this instance: the next request lists the versions afresh.
    pub(crate) fn forget_stats_versions(&self) {
        self.inner.stats_versions.forget();
    }

    /// Row counts and sources of the reference datasets, from this instance's copy.
    pub(crate) async fn reference_summary(
        &self,
    ) -> Result<std::sync::Arc<Vec<store::DatasetSummary>>, store::StoreError> {
        self.inner.reference.summary(&self.inner.store).await
    }

    /// The latest reference-data load, from this instance's copy.
    pub(crate) async fn last_reference_load(
        &self,
    ) -> Result<Option<store::ReferenceLoad>, store::StoreError> {
        self.inner.reference.last_load(&self.inner.store).await
    }

    /// Signalled when this instance queues a planning job, to wake its worker.
    pub(crate) fn job_queued(&self) -> &tokio::sync::Notify {
        &self.inner.job_queued
    }
}

/// The whole application: pages, API, OpenAPI document and middleware.
pub fn app(state: AppState) -> Router {
    let (api_router, openapi) = api::router().split_for_parts();
    let openapi = Arc::new(openapi);
    let router = Router::new()
        .merge(pages::router())
        .merge(api_router)
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let openapi = Arc::clone(&openapi);
                async move { axum::Json(openapi.as_ref().clone()) }
            }),
        )
        .fallback(pages::not_found)
        .with_state(state.clone());
    // The health probe sits outside the request span and its INFO logs: load balancers call it
    // every few seconds, and it logs at DEBUG itself.
    layers::wrap(router, state.clone()).route(
        "/health",
        axum::routing::get(pages::home::health).with_state(state),
    )
}

/// Serves the application on a bound listener until `shutdown` completes, with the planning
/// job worker running beside it.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    jobs::spawn_worker(state.clone());
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
