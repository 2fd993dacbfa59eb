//! Exact numbers: allocation weights in millionths, shares as ratios of integers, and the
//! integer rounding rules every figure goes through.
//!
//! No published figure is ever computed with a float.
//! Floats appear only where the result is irrational or meant for a chart: `as_f64` methods,
//! compound growth rates and Wilson score intervals.

use std::cmp::Ordering;
use std::fmt;

use serde::{Serialize, Serializer};
use vocab::Percent;

use crate::StatsError;

/// One million: weights are kept in millionths.
pub(crate) const WEIGHT_UNIT: i64 = 1_000_000;

/// The most decimals a share can be displayed with.
pub const MAX_SHARE_DECIMALS: u8 = 12;

/// How much of a statistical line's value counts towards a target: an exact decimal in [0, 1]
/// with at most 6 decimals, kept in millionths (`0.142` is 142,000).
///
/// Serialized as its decimal text, e.g. `"0.142"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Weight(u32);

/// A part of a whole as an exact ratio of integers: a value of GDP (both in cents), or the
/// respondents choosing an option out of those who answered.
///
/// The denominator is always above zero.
/// Displayed as a percentage with a chosen number of decimals, rounded half up (away from
/// zero) on the exact ratio; [`Share::as_f64_percent`] is for charts only.
/// Serialized as `{"numerator", "denominator", "percent"}`, the last a float for charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Share {
    numerator: i64,
    denominator: i64,
}

impl Weight {
    /// The whole line: 1.
    pub const ONE: Weight = Weight(1_000_000);

    /// Nothing: 0.
    pub const ZERO: Weight = Weight(0);

    /// Parses a weight such as `"1"`, `"0.142"` or `"0.333333"`: a plain decimal in [0, 1]
    /// with at most 6 decimals.
    pub fn parse(text: &str) -> Result<Weight, StatsError> {
        let invalid = |reason: &str| StatsError::InvalidValue {
            what: "weight".to_owned(),
            text: text.to_owned(),
            reason: reason.to_owned(),
        };
        let trimmed = text.trim();
        let (whole, fraction) = trimmed.split_once('.').unwrap_or((trimmed, ""));
        let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
            return Err(invalid("not a plain decimal number like 0.142"));
        }
        if trimmed.ends_with('.') {
            return Err(invalid("not a plain decimal number like 0.142"));
        }
        if fraction.len() > 6 {
            return Err(invalid("more than 6 decimal places"));
        }
        let whole: u64 = match whole.trim_start_matches('0') {
            "" => 0,
            digits if digits.len() > 1 => return Err(invalid("above 1")),
            digits => u64::from(digits.as_bytes()[0] - b'0'),
        };
        let mut millionths = whole * 1_000_000;
        let mut scale = 100_000;
        for digit in fraction.bytes() {
            millionths += u64::from(digit - b'0') * scale;
            scale /= 10;
        }
        if millionths > 1_000_000 {
            return Err(invalid("above 1"));
        }
        // At most 1,000,000, checked above.
        Ok(Weight(millionths as u32))
    }

    /// A weight from millionths, 0 to 1,000,000.
    pub fn from_millionths(millionths: u32) -> Result<Weight, StatsError> {
        if millionths > 1_000_000 {
            return Err(StatsError::InvalidValue {
                what: "weight".to_owned(),
                text: format!("{millionths} millionths"),
                reason: "above 1".to_owned(),
            });
        }
        Ok(Weight(millionths))
    }

    /// The weight in millionths: `0.142` is 142,000.
    pub fn millionths(self) -> u32 {
        self.0
    }

    /// Whether the weight is exactly one (the whole line).
    pub fn is_whole(self) -> bool {
        self == Weight::ONE
    }

    /// `cents x weight`, rounded half to even to the cent.
    ///
    /// This is the one place a weight meets money: `value_cents * millionths / 1,000,000`,
    /// computed in 128-bit integers, with an exact half cent going to the even cent.
    pub fn apply(self, cents: i64) -> Result<i64, StatsError> {
        let rounded = div_round_half_even(
            i128::from(cents) * i128::from(self.0),
            i128::from(WEIGHT_UNIT),
        );
        match i64::try_from(rounded) {
            Ok(cents) => Ok(cents),
            Err(_) => Err(StatsError::Overflow {
                operation: format!("{cents} cents x {self}"),
            }),
        }
    }
}

impl fmt::Display for Weight {
    /// Writes the shortest exact decimal: `"1"`, `"0.142"`, `"0"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / 1_000_000;
        let fraction = self.0 % 1_000_000;
        if fraction == 0 {
            return write!(f, "{whole}");
        }
        let digits = format!("{fraction:06}");
        write!(f, "{whole}.{}", digits.trim_end_matches('0'))
    }
}

impl Serialize for Weight {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Share {
    /// `numerator / denominator`; the denominator must be above zero.
    pub fn new(numerator: i64, denominator: i64) -> Result<Share, StatsError> {
        if denominator <= 0 {
            return Err(StatsError::InvalidValue {
                what: "share denominator".to_owned(),
                text: denominator.to_string(),
                reason: "must be above zero".to_owned(),
            });
        }
        Ok(Share {
            numerator,
            denominator,
        })
    }

    /// The part (cents of value added, or respondents).
    pub fn numerator(self) -> i64 {
        self.numerator
    }

    /// The whole (cents of GDP, or respondents who answered); above zero.
    pub fn denominator(self) -> i64 {
        self.denominator
    }

    /// The percentage with `decimals` decimals (at most [`MAX_SHARE_DECIMALS`]; more are
    /// treated as that many), rounded half up (away from zero) on the exact ratio, without a
    /// `%` sign: 28.2 of 2,917.84 is `"1.0"` at one decimal.
    pub fn percent_text(self, decimals: u8) -> String {
        let decimals = decimals.min(MAX_SHARE_DECIMALS);
        let scaled = self.percent_scaled(decimals);
        format_scaled(scaled, decimals)
    }

    /// The percentage rounded half up to `decimals` decimals (at most 6), as a [`Percent`]
    /// that compares equal to a published one with the same decimals.
    pub fn to_percent(self, decimals: u8) -> Result<Percent, StatsError> {
        let overflow = || StatsError::Overflow {
            operation: format!(
                "{} / {} as a percentage with {decimals} decimals",
                self.numerator, self.denominator
            ),
        };
        if decimals > 6 {
            return Err(StatsError::InvalidValue {
                what: "number of decimals".to_owned(),
                text: decimals.to_string(),
                reason: "a percentage keeps at most 6".to_owned(),
            });
        }
        let scaled = self.percent_scaled(decimals);
        let Some(millionths) = scaled.checked_mul(pow10(6 - u32::from(decimals))) else {
            return Err(overflow());
        };
        let Ok(millionths) = i64::try_from(millionths) else {
            return Err(overflow());
        };
        match Percent::new(millionths, decimals) {
            Ok(percent) => Ok(percent),
            Err(_) => Err(overflow()),
        }
    }

    /// Whether this share, rounded half up to the published decimals, is the published
    /// percentage.
    pub fn rounds_to(self, published: Percent) -> bool {
        let decimals = published.decimals();
        let step = pow10(6 - u32::from(decimals));
        self.percent_scaled(decimals) * step == i128::from(published.millionths())
    }

    /// The percentage as a float, for charts only.
    pub fn as_f64_percent(self) -> f64 {
        self.numerator as f64 * 100.0 / self.denominator as f64
    }

    /// The percentage times `10^decimals`, rounded half up.
    fn percent_scaled(self, decimals: u8) -> i128 {
        div_round_half_up(
            i128::from(self.numerator) * 100 * pow10(u32::from(decimals)),
            i128::from(self.denominator),
        )
    }
}

impl Serialize for Share {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut state = serializer.serialize_struct("Share", 3)?;
        state.serialize_field("numerator", &self.numerator)?;
        state.serialize_field("denominator", &self.denominator)?;
        state.serialize_field("percent", &self.as_f64_percent())?;
        state.end()
    }
}

/// `10^exponent`.
pub(crate) fn pow10(exponent: u32) -> i128 {
    10_i128.pow(exponent)
}

/// `numerator / denominator` (denominator above zero), rounded half to even.
pub(crate) fn div_round_half_even(numerator: i128, denominator: i128) -> i128 {
    let quotient = numerator.div_euclid(denominator);
    let remainder = numerator.rem_euclid(denominator);
    match (2 * remainder).cmp(&denominator) {
        Ordering::Less => quotient,
        Ordering::Greater => quotient + 1,
        Ordering::Equal => quotient + quotient.rem_euclid(2),
    }
}

/// `numerator / denominator` (denominator above zero), rounded half away from zero.
pub(crate) fn div_round_half_up(numerator: i128, denominator: i128) -> i128 {
    let magnitude = (2 * numerator.abs() + denominator) / (2 * denominator);
    if numerator < 0 {
        -magnitude
    } else {
        magnitude
    }
}

/// `numerator / denominator` (denominator above zero), rounded down.
pub(crate) fn div_floor(numerator: i128, denominator: i128) -> i128 {
    numerator.div_euclid(denominator)
}

/// `numerator / denominator` (denominator above zero), rounded up.
pub(crate) fn div_ceil(numerator: i128, denominator: i128) -> i128 {
    -(-numerator).div_euclid(denominator)
}

/// Writes an integer that stands for `scaled / 10^decimals` with exactly `decimals` decimals.
pub(crate) fn format_scaled(scaled: i128, decimals: u8) -> String {
    let sign = if scaled < 0 { "-" } else { "" };
    let magnitude = scaled.unsigned_abs();
    if decimals == 0 {
        return format!("{sign}{magnitude}");
    }
    let unit = 10_u128.pow(u32::from(decimals));
    let width = usize::from(decimals);
    format!(
        "{sign}{}.{:0width$}",
        magnitude / unit,
        magnitude % unit,
        width = width
    )
}
