//! Storage: the one crate that speaks SQL.
//!
//! [`Store`] wraps a connection pool on either embedded SQLite (the default, a file under the
//! data directory) or PostgreSQL (for multi-user deployments), chosen by the [`DatabaseUrl`].
//! Both backends run the same queries through sqlx's `Any` driver: the SQL is kept to the
//! common dialect (`$1` placeholders, `RETURNING`, text timestamps, integer cents), and each
//! backend has its own embedded migrations under `migrations/<backend>/`.
//! A single implementation over both backends, tested against both on every run, beats two
//! copies of every query drifting apart; a backend-specific fast path can still branch on
//! [`Store::backend`].
//!
//! Records come back as domain types from `vocab`; sqlx types never leave this crate.
//! Every change to stored data is written together with its [`AuditEntry`] in one transaction.
//!
//! ```no_run
//! # async fn demo() -> Result<(), store::StoreError> {
//! let url = store::DatabaseUrl::parse("sqlite://madeby-data/madeby.db")?;
//! let store = store::Store::connect(&url).await?;
//! store.migrate().await?;
//! store.ping().await?;
//! # Ok(()) }
//! ```

#![deny(missing_docs)]

mod accounts;
mod audit;
mod backup;
mod certificates;
mod directory;
mod error;
mod export;
mod funding;
mod milestones;
mod plan_jobs;
mod projects;
mod reference;
mod stats_versions;
mod timestamp;
mod url;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Connection};

pub use crate::accounts::{AuthenticatedSession, NewUser, SessionToken, UserListing, UserRecord};
pub use crate::audit::{Actor, AuditContext, AuditEntry, AuditRecord};
pub use crate::backup::{
    BackupManifest, BackupPhase, BackupTable, IdentityState, TableProgress, BACKUP_FORMAT,
    BACKUP_FORMAT_VERSION, BACKUP_MANIFEST,
};
pub use crate::certificates::{CertificateRecord, NewCertificate};
pub use crate::directory::{DirectoryRecord, IntroductionRecord, NewIntroduction};
pub use crate::error::StoreError;
pub use crate::export::ExportedTable;
pub use crate::funding::{
    ApplicationFilter, ApplicationRecord, ApplicationStatus, AttachmentRecord, ChangeRequestRecord,
    Decision, DecisionRecord, FundingAccess, NewAttachment, NewChangeRequest, Screened,
    MAX_ATTACHMENTS,
};
pub use crate::milestones::MilestoneRecord;
pub use crate::plan_jobs::{NewPlanJob, PlanJobRecord, PlanJobStatus};
pub use crate::projects::{Access, ProjectRecord};
pub use crate::reference::{DatasetSummary, ReferenceLoad};
pub use crate::stats_versions::{StatsFiles, StatsVersion};
pub use crate::timestamp::Timestamp;
pub use crate::url::{Backend, DatabaseUrl};

/// How long a pooled connection may sit unused before it is pinged on its way out (HikariCP
/// uses half a second).
const IDLE_BEFORE_PING: Duration = Duration::from_millis(500);

/// A handle on the database; cheap to clone (it shares one pool).
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Opens a pool on the database, creating the SQLite file (and its folder) if missing.
    pub async fn connect(url: &DatabaseUrl) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = url.backend();
        if backend == Backend::Sqlite {
            if let Some(dir) = url
                .sqlite_path()
                .and_then(|p| p.parent().map(|d| d.to_owned()))
            {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(&dir).map_err(|source| StoreError::Io {
                        path: dir.display().to_string(),
                        source,
                    })?;
                }
            }
        }
        let options = sqlx::any::AnyConnectOptions::from_str(url.expose()).map_err(|source| {
            StoreError::Connect {
                url: url.redacted(),
                source,
            }
        })?;
        let max_connections = match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            // sqlx pings every idle connection before lending it out, a second round trip
            // per query (and sqlx pings it again when it comes back). A connection that was
            // in use a moment ago is alive: ping only those idle for longer, as HikariCP's
            // "alive bypass window" does, so that a restarted PostgreSQL's dead connections
            // are still found and replaced before a request gets one.
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for > IDLE_BEFORE_PING {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            })
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the one writer; the busy timeout makes
                        // writers queue instead of failing with "database is locked".
                        sqlx::query("PRAGMA journal_mode = WAL")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA busy_timeout = 5000")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA foreign_keys = ON")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA synchronous = NORMAL")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Connect {
                url: url.redacted(),
                source,
            })?;
        Ok(Store { pool, backend })
    }

    /// Which database this store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a transaction that may write. On SQLite it takes the write lock at the start
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads and then writes cannot wait for
    /// a writer that went first (SQLite answers "database is locked" at once, busy timeout or
    /// not, since the rows it read may have changed), while one that begins immediate queues
    /// under the busy timeout. Readers still run beside it (WAL).
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Applies every pending migration of this backend.
    #[tracing::instrument(skip(self), fields(backend = ?self.backend))]
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("migrations/postgres"),
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    /// Answers when the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Checks the database file's structure (SQLite's `PRAGMA integrity_check`); on PostgreSQL,
    /// which checks its own pages, it only asks the server to answer.
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] with SQLite's findings when the check finds damage.
    pub async fn integrity_check(&self) -> Result<(), StoreError> {
        if self.backend() != Backend::Sqlite {
            return self.ping().await;
        }
        let findings: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await?;
        if findings == ["ok"] {
            Ok(())
        } else {
            Err(StoreError::Corrupt(format!(
                "integrity check: {}",
                findings.join("; ")
            )))
        }
    }
}

impl Store {
    /// Runs one raw statement. For tests that prove the schema's own guards (the audit log's
    /// triggers) hold against SQL that bypasses this crate's methods.
    #[doc(hidden)]
    pub async fn try_raw_sql_for_tests(&self, sql: &str) -> Result<u64, StoreError> {
        Ok(sqlx::query(sql).execute(&self.pool).await?.rows_affected())
    }
}
