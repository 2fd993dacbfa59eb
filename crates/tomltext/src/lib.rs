//! TOML text with line numbers, shared by the crates that read TOML files (origin rule books
//! and products, funding schemes): the 1-based line of a span, the key a line assigns, a syntax
//! error as line, key and reason, and numbers taken only in exact forms (a string or an
//! integer, never a float), so money and percentages never pass through binary floating point.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

/// Where a bad value is: the 1-based line of the text, when it came from one, and the field.
///
/// Displays as ``line 12: field `cost` `` or, for input built in code, ``field `cost` ``.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The 1-based line in the text; `None` for input built in code.
    pub line: Option<usize>,
    /// The field: a TOML key, a CSV column or an input struct's field.
    pub field: String,
}

impl Location {
    /// A field of a text, at a 1-based line.
    pub fn line(line: usize, field: &str) -> Self {
        Location {
            line: Some(line),
            field: field.to_owned(),
        }
    }

    /// A field of input built in code, which has no lines.
    pub fn field(field: &str) -> Self {
        Location {
            line: None,
            field: field.to_owned(),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        write!(f, "field `{}`", self.field)
    }
}

/// A TOML document's text, for locating spans in it.
#[derive(Debug, Clone, Copy)]
pub struct TomlText<'a> {
    text: &'a str,
}

/// Where a TOML syntax or shape error is and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TomlProblem {
    /// The 1-based line (1 when the reader gives no position).
    pub line: usize,
    /// The key it names or that its line assigns; `document` when neither is known.
    pub field: String,
    /// The reader's message, without a trailing period.
    pub reason: String,
}

impl<'a> TomlText<'a> {
    /// The text of one document.
    pub fn new(text: &'a str) -> Self {
        TomlText { text }
    }

    /// The text itself.
    pub fn as_str(&self) -> &'a str {
        self.text
    }

    /// The 1-based line a span starts on.
    pub fn line_of(&self, span: &Range<usize>) -> usize {
        let end = span.start.min(self.text.len());
        1 + self.text.as_bytes()[..end]
            .iter()
            .filter(|byte| **byte == b'\n')
            .count()
    }

    /// The key assigned on a line (`max = 5` gives `max`) or the table it opens.
    pub fn key_on_line(&self, line: usize) -> Option<String> {
        let text = self.text.lines().nth(line.checked_sub(1)?)?.trim();
        if let Some((key, _)) = text.split_once('=') {
            let key = key.trim().trim_matches('"').trim_matches('\'');
            return (!key.is_empty()).then(|| key.to_owned());
        }
        let header = text.trim_start_matches('[').split(']').next()?.trim();
        (!header.is_empty()).then(|| header.to_owned())
    }

    /// A reader error as line, key and reason.
    pub fn problem(&self, error: &toml::de::Error) -> TomlProblem {
        let reason = error.message().trim_end_matches('\n').trim_end_matches('.');
        let line = error.span().map(|span| self.line_of(&span));
        let field = field_named_in(reason)
            .or_else(|| line.and_then(|line| self.key_on_line(line)))
            .unwrap_or_else(|| "document".to_owned());
        TomlProblem {
            line: line.unwrap_or(1),
            field,
            reason: reason.to_owned(),
        }
    }
}

/// The text of a number given as a string or an integer; a float is refused because it is not
/// exact. `example` shows the string form in the reason, e.g. `"420.50"`.
pub fn exact_number_text(value: &toml::Value, example: &str) -> Result<String, String> {
    match value {
        toml::Value::String(text) => Ok(text.clone()),
        toml::Value::Integer(number) => Ok(number.to_string()),
        toml::Value::Float(number) => Err(format!(
            "{number} is a float, which is not exact; write it as a string, e.g. {example}"
        )),
        other => Err(format!(
            "expected a number as a string, e.g. {example}, found a {}",
            other.type_str()
        )),
    }
}

/// The field a TOML reader message names, as in "missing field `cost`".
fn field_named_in(message: &str) -> Option<String> {
    let (_, rest) = message.split_once("field `")?;
    let (field, _) = rest.split_once('`')?;
    Some(field.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_line_and_key_of_a_syntax_error() {
        let text = "a = 1\n[scheme]\nmax = = 3\n";
        let error = toml::from_str::<toml::Value>(text).unwrap_err();
        let problem = TomlText::new(text).problem(&error);
        assert_eq!((problem.line, problem.field.as_str()), (3, "max"));
    }

    #[test]
    fn takes_numbers_only_in_exact_forms() {
        assert_eq!(
            exact_number_text(&toml::Value::Integer(7), "\"7\""),
            Ok("7".to_owned())
        );
        assert!(exact_number_text(&toml::Value::Float(0.1), "\"0.10\"")
            .unwrap_err()
            .contains("float"));
    }
}
