//! The one error type of the crate: which line, which field, and what was wrong.

use std::fmt;

use crate::record::Field;

/// Why a registry could not be read or tabulated.
///
/// [`RegistryError::is_user_error`] separates bad input (the caller's file) from faults
/// (a failing reader).
/// Messages have no trailing period.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The first line is not a registry header.
    #[error("line 1: header: {reason}")]
    Header {
        /// What was wrong, e.g. the expected and found columns.
        reason: String,
    },
    /// A data row that is not a valid enterprise.
    #[error("line {line}: {}{reason}", FieldPrefix(*field))]
    Row {
        /// The 1-based line number in the file (the header is line 1).
        line: u64,
        /// The column at fault, or `None` when the record as a whole is malformed
        /// (wrong number of fields, an unterminated quote).
        field: Option<Field>,
        /// What was wrong, quoting the value.
        reason: String,
    },
    /// Reading the input or writing the output failed.
    #[error("could not read or write the registry: {0}")]
    Io(#[from] std::io::Error),
}

/// Writes "field `sector`: " before a reason, or nothing for record-level problems.
struct FieldPrefix(Option<Field>);

impl fmt::Display for FieldPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(field) => write!(f, "field `{field}`: "),
            None => Ok(()),
        }
    }
}

impl RegistryError {
    /// Whether the caller's input caused the error (a bad header or row), as opposed to a
    /// failure of the reader or writer.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, RegistryError::Io(_))
    }
}
