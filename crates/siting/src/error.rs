//! The one error type of the crate: every variant names the file or field, and the line when
//! the input was text.

use std::fmt;

use serde::Serialize;

/// Where a bad value sits: the file (for CSV input) or `None` (for a TOML profile or values
/// built in code), the 1-based line when the input was text, and the field.
///
/// Displays as ``locations.csv: line 12: field `value` `` or ``line 3: field `headcount.operator` ``.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Position {
    /// The file, for CSV input: `"location_names.csv"` or `"locations.csv"`.
    pub file: Option<String>,
    /// The 1-based line in the text; `None` for input built in code.
    pub line: Option<usize>,
    /// The field (CSV column or TOML key), e.g. `"value"`, `"markets"`.
    pub field: String,
}

/// Why location data, a profile, a candidate list or a set of weights was refused.
///
/// Every variant is the caller's mistake (bad input); the engine has no internal failures
/// other than [`SitingError::Overflow`], which only absurd inputs reach.
/// Messages name the file, line and field, and have no trailing period.
/// [`SitingError::code`] gives a stable machine code for API error bodies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SitingError {
    /// Text that is not TOML, or TOML of the wrong shape (a missing or unknown key, a value
    /// of the wrong type).
    #[error("{at}: {reason}")]
    Toml {
        /// Where.
        at: Position,
        /// What the TOML reader said.
        reason: String,
    },
    /// A CSV file that cannot be read: a bad header, a wrong number of cells, bad UTF-8, or a
    /// value that does not parse.
    #[error("{at}: {reason}")]
    Csv {
        /// Where.
        at: Position,
        /// What was wrong.
        reason: String,
    },
    /// A value that parses but is not acceptable here, e.g. a zero horizon.
    #[error("{at}: {reason}")]
    Invalid {
        /// Where.
        at: Position,
        /// What was wrong.
        reason: String,
    },
    /// A headcount below zero.
    #[error("{at}: headcount {value} must not be negative")]
    NegativeHeadcount {
        /// Where.
        at: Position,
        /// The headcount as given.
        value: i64,
    },
    /// Market shares that do not add up to exactly 1.
    #[error("{at}: market shares add up to {sum}, not exactly 1")]
    SharesNotOne {
        /// Where (the `markets` table).
        at: Position,
        /// The exact sum, as a decimal.
        sum: String,
    },
    /// A location code the dataset does not have.
    #[error("{at}: unknown location {code:?}")]
    UnknownLocation {
        /// Where.
        at: Position,
        /// The code as given.
        code: String,
    },
    /// A location without one of the indicators the costing needs.
    #[error("{at}: location {code:?} has no indicator {indicator:?}")]
    MissingIndicator {
        /// Where (the indicators file).
        at: Position,
        /// The location.
        code: String,
        /// The indicator that is missing.
        indicator: String,
    },
    /// Weights that are all zero, so nothing can be ranked.
    #[error("{at}: all weights are zero; give at least one criterion a weight above zero")]
    AllZeroWeights {
        /// Where (the `weights` field).
        at: Position,
    },
    /// A weight below zero, or not a finite number.
    #[error("{at}: weight {value} must be a finite number not below zero")]
    BadWeight {
        /// Where (the criterion's field).
        at: Position,
        /// The weight as given, formatted.
        value: String,
    },
    /// A computed amount too large for 64-bit cents.
    #[error("{at}: the amount is too large for 64-bit cents")]
    Overflow {
        /// Where (the cost item).
        at: Position,
    },
}

impl Position {
    /// A field of a CSV file, at a 1-based line.
    pub fn csv(file: &str, line: usize, field: &str) -> Self {
        Position {
            file: Some(file.to_owned()),
            line: Some(line),
            field: field.to_owned(),
        }
    }

    /// A field of a TOML text, at a 1-based line.
    pub fn line(line: usize, field: &str) -> Self {
        Position {
            file: None,
            line: Some(line),
            field: field.to_owned(),
        }
    }

    /// A field of input built in code, which has no lines.
    pub fn field(field: &str) -> Self {
        Position {
            file: None,
            line: None,
            field: field.to_owned(),
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}: ")?;
        }
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        write!(f, "field `{}`", self.field)
    }
}

impl SitingError {
    /// A stable machine code for this kind of error, e.g. `"negative_headcount"`.
    pub fn code(&self) -> &'static str {
        match self {
            SitingError::Toml { .. } => "invalid_toml",
            SitingError::Csv { .. } => "invalid_csv",
            SitingError::Invalid { .. } => "invalid_value",
            SitingError::NegativeHeadcount { .. } => "negative_headcount",
            SitingError::SharesNotOne { .. } => "shares_not_one",
            SitingError::UnknownLocation { .. } => "unknown_location",
            SitingError::MissingIndicator { .. } => "missing_indicator",
            SitingError::AllZeroWeights { .. } => "all_zero_weights",
            SitingError::BadWeight { .. } => "bad_weight",
            SitingError::Overflow { .. } => "cost_overflow",
        }
    }

    /// Where the bad input is.
    pub fn location(&self) -> &Position {
        match self {
            SitingError::Toml { at, .. }
            | SitingError::Csv { at, .. }
            | SitingError::Invalid { at, .. }
            | SitingError::NegativeHeadcount { at, .. }
            | SitingError::SharesNotOne { at, .. }
            | SitingError::UnknownLocation { at, .. }
            | SitingError::MissingIndicator { at, .. }
            | SitingError::AllZeroWeights { at }
            | SitingError::BadWeight { at, .. }
            | SitingError::Overflow { at } => at,
        }
    }
}
