//! A published percentage, kept exactly with the number of decimals it was published with.
//!
//! "1.0%" and "1%" are the same quantity but not the same publication; [`Percent`] keeps both
//! the value (in millionths of a percentage point) and the decimals, so it prints as published.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::decimal::{format_fixed, parse_unsigned, pow10, split_sign};
use crate::VocabError;

/// A percentage as published: `16.2` means 16.2%.
///
/// Equality compares value and decimals, so `"1.0"` and `"1"` are different publications.
/// Serialized as its text, e.g. `"16.2"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Percent {
    millionths: i64,
    decimals: u8,
}

/// The most decimals a percentage can carry.
const MAX_DECIMALS: u8 = 6;

impl Percent {
    /// 0%, written `"0"`.
    pub const ZERO: Percent = Percent {
        millionths: 0,
        decimals: 0,
    };

    /// Parses a percentage such as `"16.2"`, `"1.83"`, `"0"`, `"100"` or `"-3.5%"`.
    ///
    /// A trailing `%` is allowed, surrounding whitespace is ignored, and at most 6 decimals
    /// are kept.
    pub fn parse(text: &str) -> Result<Self, VocabError> {
        let invalid = |reason: String| VocabError::InvalidPercent {
            text: text.to_owned(),
            reason,
        };
        let trimmed = text.trim();
        let trimmed = trimmed.strip_suffix('%').unwrap_or(trimmed).trim_end();
        if trimmed.is_empty() {
            return Err(invalid("empty".to_owned()));
        }
        let (negative, body) = split_sign(trimmed);
        let decimal = parse_unsigned(body).map_err(invalid)?;
        if decimal.decimals > u32::from(MAX_DECIMALS) {
            return Err(invalid(format!("more than {MAX_DECIMALS} decimal places")));
        }
        let millionths = decimal
            .mantissa
            .checked_mul(pow10(u32::from(MAX_DECIMALS) - decimal.decimals))
            .map(|magnitude| if negative { -magnitude } else { magnitude })
            .and_then(|signed| i64::try_from(signed).ok());
        let Some(millionths) = millionths else {
            return Err(invalid("too large".to_owned()));
        };
        Ok(Percent {
            millionths,
            // At most MAX_DECIMALS, checked above.
            decimals: decimal.decimals as u8,
        })
    }

    /// A percentage from millionths of a percentage point, shown with `decimals` decimals.
    ///
    /// It is an error if `decimals` is above 6 or the value has more precision than `decimals`.
    pub fn new(millionths: i64, decimals: u8) -> Result<Self, VocabError> {
        let invalid = |reason: String| VocabError::InvalidPercent {
            text: format!("{millionths} millionths with {decimals} decimals"),
            reason,
        };
        if decimals > MAX_DECIMALS {
            return Err(invalid(format!("more than {MAX_DECIMALS} decimal places")));
        }
        let step = pow10(u32::from(MAX_DECIMALS - decimals));
        if i128::from(millionths) % step != 0 {
            return Err(invalid(format!(
                "more precise than {decimals} decimal places"
            )));
        }
        Ok(Percent {
            millionths,
            decimals,
        })
    }

    /// The number of decimals it was published with.
    pub fn decimals(self) -> u8 {
        self.decimals
    }

    /// The value as a float, for charts only; never compute published figures with it.
    pub fn as_f64(self) -> f64 {
        self.millionths as f64 / 1_000_000.0
    }

    /// The exact value in millionths of a percentage point: 1.83% is 1,830,000.
    pub fn millionths(self) -> i64 {
        self.millionths
    }
}

impl fmt::Display for Percent {
    /// Writes the number as published, without a `%` sign: `"16.2"`, `"1.0"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let step = 10_u64.pow(u32::from(MAX_DECIMALS - self.decimals));
        let magnitude = self.millionths.unsigned_abs() / step;
        let sign = if self.millionths < 0 { "-" } else { "" };
        let digits = format_fixed(u128::from(magnitude), u32::from(self.decimals), false);
        write!(f, "{sign}{digits}")
    }
}

impl TryFrom<String> for Percent {
    type Error = VocabError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Percent::parse(&text)
    }
}

impl From<Percent> for String {
    fn from(percent: Percent) -> Self {
        percent.to_string()
    }
}
