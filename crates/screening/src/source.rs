//! Reading TOML text: turning byte spans into line numbers and raw values into domain types,
//! with errors that name the line and the key.

use std::ops::Range;

use time::Date;
use toml::Spanned;
use vocab::{Currency, Money, Percent, Provenance};

use crate::error::{Location, ScreeningError};

/// A TOML text being read, for locating spans.
pub(crate) struct Source<'a> {
    text: &'a str,
}

impl<'a> Source<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Source { text }
    }

    /// Deserializes the raw shape, mapping TOML errors to a line and key.
    pub(crate) fn deserialize<T: serde::de::DeserializeOwned>(&self) -> Result<T, ScreeningError> {
        match toml::from_str(self.text) {
            Ok(raw) => Ok(raw),
            Err(error) => Err(self.toml_error(&error)),
        }
    }

    /// The 1-based line a byte offset falls on.
    pub(crate) fn line_of(&self, span: &Range<usize>) -> usize {
        tomltext::TomlText::new(self.text).line_of(span)
    }

    /// The location of a spanned value.
    pub(crate) fn at<T>(&self, value: &Spanned<T>, field: &str) -> Location {
        Location::line(self.line_of(&value.span()), field)
    }

    /// An "invalid value" error at a spanned value.
    pub(crate) fn invalid<T>(
        &self,
        value: &Spanned<T>,
        field: &str,
        reason: String,
    ) -> ScreeningError {
        ScreeningError::Invalid {
            at: self.at(value, field),
            reason,
        }
    }

    fn toml_error(&self, error: &toml::de::Error) -> ScreeningError {
        let problem = tomltext::TomlText::new(self.text).problem(error);
        ScreeningError::Toml {
            at: Location {
                line: Some(problem.line),
                field: problem.field,
            },
            reason: problem.reason,
        }
    }

    /// A trimmed, non-empty text.
    pub(crate) fn label(
        &self,
        value: &Spanned<String>,
        field: &str,
    ) -> Result<String, ScreeningError> {
        let trimmed = value.get_ref().trim();
        if trimmed.is_empty() {
            return Err(self.invalid(value, field, "must not be empty".to_owned()));
        }
        Ok(trimmed.to_owned())
    }

    /// A slug code of any of the crate's code types.
    pub(crate) fn code<T>(
        &self,
        value: &Spanned<String>,
        field: &str,
        parse: fn(&str) -> Result<T, String>,
    ) -> Result<T, ScreeningError> {
        match parse(value.get_ref()) {
            Ok(code) => Ok(code),
            Err(reason) => Err(self.invalid(
                value,
                field,
                format!("{:?} is not a code: {reason}", value.get_ref()),
            )),
        }
    }

    pub(crate) fn currency(
        &self,
        value: &Spanned<String>,
        field: &str,
    ) -> Result<Currency, ScreeningError> {
        Currency::parse(value.get_ref()).map_err(|problem| ScreeningError::Vocab {
            at: self.at(value, field),
            problem,
        })
    }

    pub(crate) fn provenance(
        &self,
        value: &Spanned<String>,
        field: &str,
    ) -> Result<Provenance, ScreeningError> {
        Provenance::parse(value.get_ref()).map_err(|problem| ScreeningError::Vocab {
            at: self.at(value, field),
            problem,
        })
    }

    /// A date, as a TOML local date (`2025-01-01`) or a string `"2025-01-01"`.
    pub(crate) fn date(
        &self,
        value: &Spanned<toml::Value>,
        field: &str,
    ) -> Result<Date, ScreeningError> {
        let text = match value.get_ref() {
            toml::Value::String(text) => text.clone(),
            toml::Value::Datetime(datetime)
                if datetime.time.is_none() && datetime.offset.is_none() =>
            {
                datetime.to_string()
            }
            other => {
                return Err(self.invalid(
                    value,
                    field,
                    format!(
                        "expected a date such as 2025-01-31, found a {}",
                        other.type_str()
                    ),
                ))
            }
        };
        match crate::application::parse_date(&text) {
            Ok(date) => Ok(date),
            Err(reason) => Err(self.invalid(value, field, reason)),
        }
    }

    /// An amount of money: a string (`"15,000,000"`) or a whole number, never a float, never
    /// negative.
    pub(crate) fn money(
        &self,
        value: &Spanned<toml::Value>,
        field: &str,
        currency: Currency,
    ) -> Result<Money, ScreeningError> {
        let text = self.exact_number_text(value, field, "\"15,000,000\"")?;
        let money = match Money::parse_amount(&text, currency) {
            Ok(money) => money,
            Err(problem) => {
                return Err(ScreeningError::Vocab {
                    at: self.at(value, field),
                    problem,
                })
            }
        };
        if money.is_negative() {
            return Err(self.invalid(value, field, format!("{text:?} must not be negative")));
        }
        Ok(money)
    }

    /// A percentage between 0 and 100: a string (`"30"`, `"62.5"`) or a whole number.
    pub(crate) fn percent(
        &self,
        value: &Spanned<toml::Value>,
        field: &str,
    ) -> Result<Percent, ScreeningError> {
        let text = self.exact_number_text(value, field, "\"30\"")?;
        let percent = match Percent::parse(&text) {
            Ok(percent) => percent,
            Err(problem) => {
                return Err(ScreeningError::Vocab {
                    at: self.at(value, field),
                    problem,
                })
            }
        };
        if !(0..=100_000_000).contains(&percent.millionths()) {
            return Err(self.invalid(value, field, format!("{text:?} is not between 0 and 100")));
        }
        Ok(percent)
    }

    /// A whole number from 0 to `u32::MAX`.
    pub(crate) fn count(
        &self,
        value: &Spanned<toml::Value>,
        field: &str,
    ) -> Result<u32, ScreeningError> {
        match value.get_ref() {
            toml::Value::Integer(number) => match u32::try_from(*number) {
                Ok(count) => Ok(count),
                Err(_) => Err(self.invalid(
                    value,
                    field,
                    format!("{number} is not a whole number from 0 to {}", u32::MAX),
                )),
            },
            other => Err(self.invalid(
                value,
                field,
                format!("expected a whole number, found a {}", other.type_str()),
            )),
        }
    }

    /// The text of a number given as a string or an integer; floats are refused because they
    /// are not exact.
    fn exact_number_text(
        &self,
        value: &Spanned<toml::Value>,
        field: &str,
        example: &str,
    ) -> Result<String, ScreeningError> {
        tomltext::exact_number_text(value.get_ref(), example)
            .map_err(|reason| self.invalid(value, field, reason))
    }
}
