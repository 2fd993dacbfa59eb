//! The one error type of the crate, and the location (line and field or column) every input
//! error names.

use serde::Serialize;
use vocab::VocabError;

pub use tomltext::Location;

/// One bad cell of a CSV file: its line, its column and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CsvProblem {
    /// The 1-based line of the file (the header is line 1).
    pub line: usize,
    /// The column's header name (or `"record"` for a row with the wrong number of cells).
    pub column: String,
    /// The stable machine code of the problem, e.g. `"invalid_amount"`.
    pub code: String,
    /// What was wrong, quoting the value.
    pub reason: String,
}

/// Why a scheme, an application, a CSV file or a model was refused, or training could not run.
///
/// Every variant except [`ScreeningError::Internal`] is a user error (bad input); see
/// [`ScreeningError::is_user_error`].
/// Messages name the line and field and quote the value, and have no trailing period.
/// [`ScreeningError::code`] gives a stable machine code for API error bodies.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScreeningError {
    /// Text that is not TOML, or TOML of the wrong shape: a missing or unknown key, a value of
    /// the wrong type.
    #[error("{at}: {reason}")]
    Toml {
        /// Where.
        at: Location,
        /// What the TOML reader said.
        reason: String,
    },
    /// A value that does not parse as its vocabulary type: a malformed amount, an unknown
    /// country, currency or provenance.
    #[error("{at}: {problem}")]
    Vocab {
        /// Where.
        at: Location,
        /// What was wrong with the value.
        problem: VocabError,
    },
    /// A value that parses but is not acceptable here: an empty label, a ratio with a zero part,
    /// dates in the wrong order.
    #[error("{at}: {reason}")]
    Invalid {
        /// Where.
        at: Location,
        /// What was wrong.
        reason: String,
    },
    /// A rule whose `kind` is not one of the known kinds.
    #[error("{at}: unknown rule kind {kind:?}; known: {known}")]
    UnknownRuleKind {
        /// Where.
        at: Location,
        /// The kind as given.
        kind: String,
        /// The known kinds, comma-separated.
        known: String,
    },
    /// The same id twice (two rules with one id).
    #[error("{at}: duplicate id {id:?}")]
    DuplicateId {
        /// Where the second use is.
        at: Location,
        /// The id.
        id: String,
    },
    /// A CSV file with bad rows; the whole file is refused, so nothing changes.
    #[error("{} bad cell(s): {}", problems.len(), problems.iter().map(|problem| format!("line {}: column `{}`: {}", problem.line, problem.column, problem.reason)).collect::<Vec<_>>().join("; "))]
    Csv {
        /// Every bad cell, in file order.
        problems: Vec<CsvProblem>,
    },
    /// Training data the model cannot be fitted on: too few decisions, one outcome only.
    #[error("cannot train: {reason}")]
    Training {
        /// What was wrong.
        reason: String,
    },
    /// A serialised model that does not read back or does not fit together.
    #[error("invalid risk model: {reason}")]
    Model {
        /// What was wrong.
        reason: String,
    },
    /// A fault inside the engine, not caused by the input.
    #[error("internal error: {reason}")]
    Internal {
        /// What broke.
        reason: String,
    },
}

impl ScreeningError {
    /// A stable machine code for this kind of error, e.g. `"unknown_rule_kind"`; for a bad
    /// vocabulary value, the vocabulary's own code (`"invalid_amount"`).
    pub fn code(&self) -> &'static str {
        match self {
            ScreeningError::Toml { .. } => "invalid_toml",
            ScreeningError::Vocab { problem, .. } => problem.code(),
            ScreeningError::Invalid { .. } => "invalid_value",
            ScreeningError::UnknownRuleKind { .. } => "unknown_rule_kind",
            ScreeningError::DuplicateId { .. } => "duplicate_id",
            ScreeningError::Csv { .. } => "invalid_csv",
            ScreeningError::Training { .. } => "cannot_train",
            ScreeningError::Model { .. } => "invalid_model",
            ScreeningError::Internal { .. } => "internal",
        }
    }

    /// Whether the caller caused this (bad input) rather than a fault inside the engine.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, ScreeningError::Internal { .. })
    }

    /// Where the bad input is, for errors about one value.
    pub fn location(&self) -> Option<&Location> {
        match self {
            ScreeningError::Toml { at, .. }
            | ScreeningError::Vocab { at, .. }
            | ScreeningError::Invalid { at, .. }
            | ScreeningError::UnknownRuleKind { at, .. }
            | ScreeningError::DuplicateId { at, .. } => Some(at),
            ScreeningError::Csv { .. }
            | ScreeningError::Training { .. }
            | ScreeningError::Model { .. }
            | ScreeningError::Internal { .. } => None,
        }
    }

    /// The reason without the location, for CSV problems (which carry line and column apart).
    pub(crate) fn reason(&self) -> String {
        match self {
            ScreeningError::Toml { reason, .. } | ScreeningError::Invalid { reason, .. } => {
                reason.clone()
            }
            ScreeningError::Vocab { problem, .. } => problem.to_string(),
            ScreeningError::UnknownRuleKind { kind, known, .. } => {
                format!("unknown rule kind {kind:?}; known: {known}")
            }
            ScreeningError::DuplicateId { id, .. } => format!("duplicate id {id:?}"),
            other => other.to_string(),
        }
    }
}
