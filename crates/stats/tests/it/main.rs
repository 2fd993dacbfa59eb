//! Integration tests of the `stats` crate at its public boundary, one module per feature.

mod concordance_rules;
mod consistency;
mod contribution;
mod properties;
mod study;
mod survey;
mod table_errors;

use vocab::{Money, Scale, Year};

/// A year the tests know to be valid.
#[track_caller]
fn year(year: i16) -> Year {
    Year::new(year).expect("a valid year")
}

/// Money as HK$ billion text, trailing zeros trimmed: `"127.1"`.
fn bn(money: Money) -> String {
    money.format_scaled(Scale::Billion)
}
