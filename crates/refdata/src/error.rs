//! The one error type of this crate: what was wrong, and where.

/// A reference-data file could not be read, or one of its rows is wrong.
#[derive(Debug, thiserror::Error)]
pub enum RefDataError {
    /// The file could not be read at all.
    #[error("{file}: cannot read: {source}")]
    Io {
        /// Path of the file.
        file: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file is not well-formed CSV or lacks a column.
    #[error("{file}: line {line}: {reason}")]
    Malformed {
        /// File name.
        file: String,
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// One field of one row holds a bad value.
    #[error("{file}: line {line}: field `{field}`: {reason}")]
    Field {
        /// File name.
        file: String,
        /// 1-based line number.
        line: u64,
        /// Column name.
        field: String,
        /// What is wrong, quoting the value.
        reason: String,
    },
}

impl RefDataError {
    /// The file the error is about.
    pub fn file(&self) -> &str {
        match self {
            RefDataError::Io { file, .. }
            | RefDataError::Malformed { file, .. }
            | RefDataError::Field { file, .. } => file,
        }
    }

    /// The 1-based line the error is about, when it is about one row.
    pub fn line(&self) -> Option<u64> {
        match self {
            RefDataError::Io { .. } => None,
            RefDataError::Malformed { line, .. } | RefDataError::Field { line, .. } => Some(*line),
        }
    }
}
