//! The one error type of the crate: what was wrong, in which file, on which line, in which field.

/// Why input could not be read or a computation could not be carried out.
///
/// Every variant except [`StatsError::Overflow`] is the caller's mistake (bad input); see
/// [`StatsError::is_user_error`].
/// Messages name the file (by its role, e.g. `concordance.csv`), the 1-based line and the field
/// or statistical line, and have no trailing period.
///
/// Findings about data that parsed fine (a published figure that does not fit the others, a
/// figure with no GDP to divide by) are not errors: they come back as data in the results.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatsError {
    /// The file is not well-formed CSV or lacks a required column.
    #[error("{file}: line {line}: {reason}")]
    Malformed {
        /// The file's role, e.g. `values.csv`.
        file: String,
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// One field of one row holds a bad value.
    #[error("{file}: line {line}: field `{field}`: {reason}")]
    Field {
        /// The file's role, e.g. `values.csv`.
        file: String,
        /// 1-based line number.
        line: u64,
        /// Column name.
        field: String,
        /// What is wrong, quoting the value.
        reason: String,
    },
    /// A row that parsed but breaks a rule about its statistical line (an unknown code, weights
    /// adding up to more than one, a target given twice, ...).
    #[error("{file}: line {line}: statistical line `{statistical_line}`: {reason}")]
    Rule {
        /// The file's role, e.g. `concordance.csv`.
        file: String,
        /// 1-based line number of the offending row.
        line: u64,
        /// The statistical line's code.
        statistical_line: String,
        /// Which rule is broken, with the numbers involved.
        reason: String,
    },
    /// A statistical line and one of its ancestors are both counted, so the child's value would
    /// be counted twice (it is already part of the ancestor's value).
    #[error(
        "{file}: line {line}: statistical line `{statistical_line}` is counted twice: it is part of `{ancestor}`, which is counted at line {ancestor_line}"
    )]
    DoubleCounting {
        /// The file's role, e.g. `concordance.csv`.
        file: String,
        /// 1-based line number of the later of the two rows.
        line: u64,
        /// The statistical line mapped on `line`.
        statistical_line: String,
        /// The ancestor (or descendant) line that is also counted.
        ancestor: String,
        /// 1-based line number of the ancestor's row.
        ancestor_line: u64,
    },
    /// A value given directly (not in a file) is invalid.
    #[error("invalid {what} {text:?}: {reason}")]
    InvalidValue {
        /// Which value, e.g. "published share of `total`".
        what: String,
        /// The value as given.
        text: String,
        /// What is wrong.
        reason: String,
    },
    /// A question or column that the responses or the survey specification do not have.
    #[error("unknown {what} `{name}`")]
    Unknown {
        /// What was looked up, e.g. "question" or "segment column".
        what: &'static str,
        /// The name as given.
        name: String,
    },
    /// Exact arithmetic that does not fit in 64-bit cents or 128-bit intermediates.
    #[error("arithmetic overflow: {operation}")]
    Overflow {
        /// The operation with its operands.
        operation: String,
    },
}

impl StatsError {
    /// Whether the caller caused the error (bad input) rather than a limit of the engine.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, StatsError::Overflow { .. })
    }

    /// The 1-based line of the file the error is about, if it is about a row of a file.
    pub fn line(&self) -> Option<u64> {
        match self {
            StatsError::Malformed { line, .. }
            | StatsError::Field { line, .. }
            | StatsError::Rule { line, .. }
            | StatsError::DoubleCounting { line, .. } => Some(*line),
            StatsError::InvalidValue { .. }
            | StatsError::Unknown { .. }
            | StatsError::Overflow { .. } => None,
        }
    }
}
