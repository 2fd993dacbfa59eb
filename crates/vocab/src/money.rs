//! Money as whole cents with an explicit currency, exact decimal parsing, and dated exchange rates.
//!
//! There are no floats: amounts are `i64` cents, rates are `i64` millionths, and conversion
//! rounds half to even to the cent.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::codes::code_enum;
use crate::decimal::{format_fixed, group_thousands, parse_unsigned, pow10, split_sign};
use crate::VocabError;

code_enum! {
    /// An ISO 4217 currency the platform deals in; serialized as its code, e.g. `"HKD"`.
    pub enum Currency as "currency" {
        /// Hong Kong dollar.
        Hkd => "HKD",
        /// Renminbi.
        Cny => "CNY",
        /// United States dollar.
        Usd => "USD",
        /// Euro.
        Eur => "EUR",
    }
}

code_enum! {
    /// The unit a figure is published in, e.g. "HK$ billion".
    pub enum Scale as "scale" {
        /// Single units of currency.
        Unit => "unit",
        /// Thousands.
        Thousand => "thousand",
        /// Millions.
        Million => "million",
        /// Billions (thousand millions).
        Billion => "billion",
    }
}

/// An amount of money: whole cents in one currency.
///
/// Amounts in different currencies never mix silently: adding them is an error, and converting
/// takes an explicit, dated [`ExchangeRate`].
/// Serialized as `{"cents": 123, "currency": "HKD"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    cents: i64,
    currency: Currency,
}

/// A dated rate converting one currency into another, kept exactly in millionths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExchangeRate {
    from: Currency,
    to: Currency,
    micros: i64,
    as_of: time::Date,
}

impl Currency {
    /// The currency symbol used before amounts: `"HK$"`, `"CN¥"`, `"US$"`, `"€"`.
    ///
    /// Symbols are the same in every language, so they live here rather than in the catalogs.
    pub fn symbol(self) -> &'static str {
        match self {
            Currency::Hkd => "HK$",
            Currency::Cny => "CN¥",
            Currency::Usd => "US$",
            Currency::Eur => "€",
        }
    }
}

impl Default for Currency {
    /// Hong Kong dollars.
    fn default() -> Self {
        Currency::Hkd
    }
}

impl Scale {
    /// How many units one of this scale is: 1, 1,000, 1,000,000 or 1,000,000,000.
    pub fn multiplier(self) -> i64 {
        match self {
            Scale::Unit => 1,
            Scale::Thousand => 1_000,
            Scale::Million => 1_000_000,
            Scale::Billion => 1_000_000_000,
        }
    }

    /// The power of ten of [`Scale::multiplier`].
    fn exponent(self) -> u32 {
        match self {
            Scale::Unit => 0,
            Scale::Thousand => 3,
            Scale::Million => 6,
            Scale::Billion => 9,
        }
    }
}

impl Money {
    /// An amount of whole cents.
    pub const fn from_cents(cents: i64, currency: Currency) -> Self {
        Money { cents, currency }
    }

    /// An amount of Hong Kong cents.
    pub const fn hkd(cents: i64) -> Self {
        Money::from_cents(cents, Currency::Hkd)
    }

    /// Nothing, in the given currency.
    pub const fn zero(currency: Currency) -> Self {
        Money::from_cents(0, currency)
    }

    /// The amount in cents.
    pub fn cents(self) -> i64 {
        self.cents
    }

    /// The currency.
    pub fn currency(self) -> Currency {
        self.currency
    }

    /// Whether the amount is below zero.
    pub fn is_negative(self) -> bool {
        self.cents < 0
    }

    /// Parses an exact decimal amount of units: `"6900000000"`, `"6,900,000,000.5"`, `"-12.30"`.
    ///
    /// Surrounding whitespace is ignored, thousands separators must group by three, and at most
    /// two decimals are allowed.
    /// The currency's own symbol may follow the sign (`"-HK$12.30"`), so [`Money`]'s `Display`
    /// output parses back; another currency's symbol is an error.
    pub fn parse_amount(text: &str, currency: Currency) -> Result<Self, VocabError> {
        let invalid = |reason: String| VocabError::InvalidAmount {
            text: text.to_owned(),
            reason,
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(invalid("empty".to_owned()));
        }
        let (negative, body) = split_sign(trimmed);
        let body = body.strip_prefix(currency.symbol()).unwrap_or(body);
        if let Some(other) = Currency::ALL
            .into_iter()
            .find(|other| *other != currency && body.starts_with(other.symbol()))
        {
            return Err(invalid(format!(
                "currency symbol {} does not match {currency}",
                other.symbol()
            )));
        }
        let decimal = parse_unsigned(body).map_err(invalid)?;
        if decimal.decimals > 2 {
            return Err(invalid("more than 2 decimal places".to_owned()));
        }
        let too_large = || invalid("too large for 64-bit cents".to_owned());
        let Some(magnitude) = decimal.mantissa.checked_mul(pow10(2 - decimal.decimals)) else {
            return Err(too_large());
        };
        let signed = if negative { -magnitude } else { magnitude };
        match i64::try_from(signed) {
            Ok(cents) => Ok(Money::from_cents(cents, currency)),
            Err(_) => Err(too_large()),
        }
    }

    /// Parses a number of units at a scale exactly:
    /// `"6.9"` at [`Scale::Billion`] is 690,000,000,000 cents.
    ///
    /// The text is a plain decimal (optional minus sign and thousands separators, no symbol).
    /// It is an error if the value does not land on whole cents or does not fit.
    pub fn parse_scaled(text: &str, scale: Scale, currency: Currency) -> Result<Self, VocabError> {
        let invalid = |reason: String| VocabError::InvalidAmount {
            text: text.to_owned(),
            reason,
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(invalid("empty".to_owned()));
        }
        let (negative, body) = split_sign(trimmed);
        let decimal = parse_unsigned(body).map_err(invalid)?;
        let too_large = || invalid(format!("too large for 64-bit cents at scale {scale}"));
        let Some(numerator) = decimal.mantissa.checked_mul(pow10(2 + scale.exponent())) else {
            return Err(too_large());
        };
        let denominator = pow10(decimal.decimals);
        if numerator % denominator != 0 {
            return Err(invalid(format!(
                "does not land on whole cents at scale {scale}"
            )));
        }
        let magnitude = numerator / denominator;
        let signed = if negative { -magnitude } else { magnitude };
        match i64::try_from(signed) {
            Ok(cents) => Ok(Money::from_cents(cents, currency)),
            Err(_) => Err(too_large()),
        }
    }

    /// Adds two amounts in the same currency.
    pub fn checked_add(self, other: Money) -> Result<Money, VocabError> {
        self.same_currency(other)?;
        match self.cents.checked_add(other.cents) {
            Some(cents) => Ok(Money::from_cents(cents, self.currency)),
            None => Err(VocabError::Overflow {
                operation: format!("{} + {} cents ({})", self.cents, other.cents, self.currency),
            }),
        }
    }

    /// Subtracts an amount in the same currency.
    pub fn checked_sub(self, other: Money) -> Result<Money, VocabError> {
        self.same_currency(other)?;
        match self.cents.checked_sub(other.cents) {
            Some(cents) => Ok(Money::from_cents(cents, self.currency)),
            None => Err(VocabError::Overflow {
                operation: format!("{} - {} cents ({})", self.cents, other.cents, self.currency),
            }),
        }
    }

    /// Converts into the rate's target currency, rounding half to even to the cent.
    ///
    /// It is an error if the rate does not convert from this amount's currency.
    pub fn convert(self, rate: &ExchangeRate) -> Result<Money, VocabError> {
        if rate.from != self.currency {
            return Err(VocabError::RateMismatch {
                amount: self.currency,
                rate_from: rate.from,
                rate_to: rate.to,
            });
        }
        let product = i128::from(self.cents) * i128::from(rate.micros);
        let unit = pow10(6);
        let quotient = product.div_euclid(unit);
        let remainder = product.rem_euclid(unit);
        let rounded = match (2 * remainder).cmp(&unit) {
            Ordering::Less => quotient,
            Ordering::Greater => quotient + 1,
            Ordering::Equal => quotient + quotient.rem_euclid(2),
        };
        match i64::try_from(rounded) {
            Ok(cents) => Ok(Money::from_cents(cents, rate.to)),
            Err(_) => Err(VocabError::Overflow {
                operation: format!(
                    "{} cents ({}) x {} ({})",
                    self.cents,
                    self.currency,
                    rate.rate_text(),
                    rate.to
                ),
            }),
        }
    }

    /// The amount as a plain decimal number of units at a scale, trailing zeros trimmed:
    /// 690,000,000,000 cents at [`Scale::Billion`] is `"6.9"`.
    ///
    /// No symbol and no thousands separators; the text parses back with [`Money::parse_scaled`].
    pub fn format_scaled(self, scale: Scale) -> String {
        let digits = format_fixed(
            u128::from(self.cents.unsigned_abs()),
            2 + scale.exponent(),
            true,
        );
        if self.cents < 0 {
            format!("-{digits}")
        } else {
            digits
        }
    }

    fn same_currency(self, other: Money) -> Result<(), VocabError> {
        if self.currency != other.currency {
            return Err(VocabError::CurrencyMismatch {
                expected: self.currency,
                found: other.currency,
            });
        }
        Ok(())
    }
}

impl PartialOrd for Money {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Money {
    /// Orders by currency, then by amount; only the order within one currency means anything.
    fn cmp(&self, other: &Self) -> Ordering {
        (self.currency, self.cents).cmp(&(other.currency, other.cents))
    }
}

impl fmt::Display for Money {
    /// Writes the symbol, thousands separators and two decimals: `"HK$6,900,000,000.00"`,
    /// `"-US$12.30"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let magnitude = self.cents.unsigned_abs();
        let sign = if self.cents < 0 { "-" } else { "" };
        write!(
            f,
            "{sign}{}{}.{:02}",
            self.currency.symbol(),
            group_thousands(magnitude / 100),
            magnitude % 100
        )
    }
}

impl ExchangeRate {
    /// Parses a rate such as `"7.8125"`: units of `to` per unit of `from`, greater than zero,
    /// at most 6 decimals, as published on `as_of`.
    ///
    /// A rate from a currency to itself must be exactly 1.
    pub fn parse(
        from: Currency,
        to: Currency,
        rate: &str,
        as_of: time::Date,
    ) -> Result<Self, VocabError> {
        let invalid = |reason: String| VocabError::InvalidRate {
            text: rate.to_owned(),
            reason,
        };
        let trimmed = rate.trim();
        if trimmed.is_empty() {
            return Err(invalid("empty".to_owned()));
        }
        if trimmed.starts_with('-') {
            return Err(invalid("must be greater than zero".to_owned()));
        }
        let decimal = parse_unsigned(trimmed).map_err(invalid)?;
        if decimal.decimals > 6 {
            return Err(invalid("more than 6 decimal places".to_owned()));
        }
        let micros = decimal
            .mantissa
            .checked_mul(pow10(6 - decimal.decimals))
            .and_then(|micros| i64::try_from(micros).ok());
        let Some(micros) = micros else {
            return Err(invalid("too large".to_owned()));
        };
        if micros == 0 {
            return Err(invalid("must be greater than zero".to_owned()));
        }
        if from == to && micros != 1_000_000 {
            return Err(invalid(format!("a rate from {from} to {to} must be 1")));
        }
        Ok(ExchangeRate {
            from,
            to,
            micros,
            as_of,
        })
    }

    /// The currency converted from.
    pub fn from(&self) -> Currency {
        self.from
    }

    /// The currency converted to.
    pub fn to(&self) -> Currency {
        self.to
    }

    /// The day the rate applies to.
    pub fn as_of(&self) -> time::Date {
        self.as_of
    }

    /// The rate in millionths: 7.8125 is 7,812,500.
    pub fn micros(&self) -> i64 {
        self.micros
    }

    /// The rate as an exact decimal with trailing zeros trimmed, e.g. `"7.8125"`, `"7.8"`.
    pub fn rate_text(&self) -> String {
        format_fixed(u128::from(self.micros.unsigned_abs()), 6, true)
    }
}
