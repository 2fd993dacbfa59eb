//! Reading TOML text: turning byte spans into line numbers and raw values into domain types,
//! with errors that name the line and field.

use std::ops::Range;

use toml::Spanned;
use vocab::{CountryCode, Currency, Money, Percent, Provenance};

use crate::code::{ClassCode, ItemCode};
use crate::error::{Location, OriginError};

/// A TOML text being read, for locating spans.
pub(crate) struct Source<'a> {
    text: &'a str,
}

impl<'a> Source<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Source { text }
    }

    /// Deserializes the raw shape, mapping TOML errors to a line and field.
    pub(crate) fn deserialize<T: serde::de::DeserializeOwned>(&self) -> Result<T, OriginError> {
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

    /// Line 1, for things that are missing altogether and so have no line of their own.
    pub(crate) fn first_line(&self, field: &str) -> Location {
        Location::line(1, field)
    }

    fn toml_error(&self, error: &toml::de::Error) -> OriginError {
        let problem = tomltext::TomlText::new(self.text).problem(error);
        OriginError::Toml {
            at: Location {
                line: Some(problem.line),
                field: problem.field,
            },
            reason: problem.reason,
        }
    }

    pub(crate) fn label(
        &self,
        value: &Spanned<String>,
        field: &str,
    ) -> Result<String, OriginError> {
        let trimmed = value.get_ref().trim();
        if trimmed.is_empty() {
            return Err(OriginError::Invalid {
                at: self.at(value, field),
                reason: "must not be empty".to_owned(),
            });
        }
        Ok(trimmed.to_owned())
    }

    pub(crate) fn class_code(
        &self,
        value: &Spanned<String>,
        field: &str,
    ) -> Result<ClassCode, OriginError> {
        ClassCode::parse(value.get_ref()).map_err(|reason| OriginError::InvalidCode {
            at: self.at(value, field),
            text: value.get_ref().clone(),
            reason,
        })
    }

    pub(crate) fn item_code(
        &self,
        value: &Spanned<String>,
        field: &str,
    ) -> Result<ItemCode, OriginError> {
        ItemCode::parse(value.get_ref()).map_err(|reason| OriginError::InvalidCode {
            at: self.at(value, field),
            text: value.get_ref().clone(),
            reason,
        })
    }

    pub(crate) fn country(
        &self,
        value: &Spanned<String>,
        field: &str,
    ) -> Result<CountryCode, OriginError> {
        CountryCode::parse(value.get_ref()).map_err(|problem| OriginError::Vocab {
            at: self.at(value, field),
            problem,
        })
    }

    pub(crate) fn currency(
        &self,
        value: &Spanned<String>,
        field: &str,
    ) -> Result<Currency, OriginError> {
        Currency::parse(value.get_ref()).map_err(|problem| OriginError::Vocab {
            at: self.at(value, field),
            problem,
        })
    }

    pub(crate) fn provenance(
        &self,
        value: &Spanned<String>,
        field: &str,
    ) -> Result<Provenance, OriginError> {
        Provenance::parse(value.get_ref()).map_err(|problem| OriginError::Vocab {
            at: self.at(value, field),
            problem,
        })
    }

    /// A cost: a string (`"420.00"`, `"1,200"`) or a whole number, never a float, never
    /// negative.
    pub(crate) fn cost(
        &self,
        value: &Spanned<toml::Value>,
        field: &str,
        currency: Currency,
    ) -> Result<Money, OriginError> {
        let at = || self.at(value, field);
        let text = self.exact_number_text(value, field, "\"420.50\"")?;
        let cost = match Money::parse_amount(&text, currency) {
            Ok(cost) => cost,
            Err(problem) => return Err(OriginError::Vocab { at: at(), problem }),
        };
        if cost.is_negative() {
            return Err(OriginError::NegativeCost { at: at(), text });
        }
        Ok(cost)
    }

    /// A percentage between 0 and 100: a string (`"60"`, `"62.5"`) or a whole number.
    pub(crate) fn share_threshold(
        &self,
        value: &Spanned<toml::Value>,
        field: &str,
    ) -> Result<Percent, OriginError> {
        let at = || self.at(value, field);
        let text = self.exact_number_text(value, field, "\"60\"")?;
        let percent = match Percent::parse(&text) {
            Ok(percent) => percent,
            Err(problem) => return Err(OriginError::Vocab { at: at(), problem }),
        };
        if !(0..=100_000_000).contains(&percent.millionths()) {
            return Err(OriginError::Invalid {
                at: at(),
                reason: format!("{text:?} is not between 0 and 100"),
            });
        }
        Ok(percent)
    }

    /// The text of a number given as a string or an integer; floats are refused because they
    /// are not exact.
    fn exact_number_text(
        &self,
        value: &Spanned<toml::Value>,
        field: &str,
        example: &str,
    ) -> Result<String, OriginError> {
        tomltext::exact_number_text(value.get_ref(), example).map_err(|reason| {
            OriginError::Invalid {
                at: self.at(value, field),
                reason,
            }
        })
    }
}
