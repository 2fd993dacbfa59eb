//! The one error type of the store, split into what the caller asked wrongly and what broke.

/// A storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is not one we can use.
    #[error("{0}")]
    BadUrl(String),
    /// The database could not be reached or opened.
    #[error("cannot open database {url}: {source}")]
    Connect {
        /// The URL, password redacted.
        url: String,
        /// The driver's reason.
        source: sqlx::Error,
    },
    /// A migration failed to apply.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The change conflicts with stored data (a duplicate email, say); the message says which.
    #[error("{0}")]
    Conflict(String),
    /// The record does not exist, or the caller may not see it (the two are not told apart).
    #[error("not found")]
    NotFound,
    /// The caller may see the record but not change it.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// A stored value failed to parse into its domain type: the data was changed outside madeby.
    #[error("stored value is invalid: {0}")]
    Corrupt(String),
    /// A file could not be written (exports).
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

impl StoreError {
    /// Whether the caller caused the error (as opposed to a fault in the system).
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            StoreError::BadUrl(_)
                | StoreError::Conflict(_)
                | StoreError::NotFound
                | StoreError::Forbidden(_)
        )
    }
}

pub(crate) fn corrupt(what: &str, err: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {err}"))
}
