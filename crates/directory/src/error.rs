//! The one error type of the crate: bad input (naming the field) or a failure of the index.

/// Why a directory operation failed.
///
/// [`DirectoryError::Invalid`] is the user's doing (bad input, naming the field); the other
/// variants are internal failures of the search index.
/// Messages have no trailing period.
#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    /// An input value that is not acceptable, e.g. `services[2]: "testng" is not a service
    /// (expected one of ...)`.
    #[error("{field}: {reason}")]
    Invalid {
        /// The field, with its position in a list, e.g. `"services[2]"`.
        field: String,
        /// What was wrong, quoting the value.
        reason: String,
    },
    /// The search index failed (I/O, corruption, a lock held by another writer).
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The index directory could not be opened.
    #[error("search index directory: {0}")]
    OpenDirectory(#[from] tantivy::directory::error::OpenDirectoryError),
    /// A writer thread panicked while holding the index writer.
    #[error("search index writer is unusable after a panic")]
    WriterPoisoned,
}

impl DirectoryError {
    /// A stable machine code for API error bodies: `"invalid_input"` or `"index_failure"`.
    pub fn code(&self) -> &'static str {
        match self {
            DirectoryError::Invalid { .. } => "invalid_input",
            DirectoryError::Index(_)
            | DirectoryError::OpenDirectory(_)
            | DirectoryError::WriterPoisoned => "index_failure",
        }
    }

    /// Whether the caller caused the error (bad input) rather than the index failing.
    pub fn is_user_error(&self) -> bool {
        matches!(self, DirectoryError::Invalid { .. })
    }

    pub(crate) fn invalid(field: impl Into<String>, reason: impl ToString) -> Self {
        DirectoryError::Invalid {
            field: field.into(),
            reason: reason.to_string(),
        }
    }
}
