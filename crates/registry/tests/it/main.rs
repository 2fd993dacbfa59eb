//! Integration tests of the registry crate at its public boundary: published counts from the
//! synthetic registry, agreement of the fast and careful paths, bad rows, quoting and ranks.

mod import;
mod synthetic;
mod tables;

use registry::{Dimension, Key, Tables};
use vocab::{ManufacturingSector, PlaceCode};

/// Counts of a table as `(key, count)` in table order.
#[track_caller]
pub fn counts(tables: &Tables, dimension: Dimension) -> Vec<(String, u64)> {
    tables
        .table(dimension)
        .expect("the dimension was requested")
        .rows()
        .iter()
        .map(|row| (row.key().to_string(), row.count()))
        .collect()
}

/// A place code that is known to be valid.
pub fn place(code: &str) -> PlaceCode {
    PlaceCode::parse(code).expect("a valid place code")
}

/// A sector code that is known to be valid.
pub fn sector(code: &str) -> ManufacturingSector {
    ManufacturingSector::parse(code).expect("a valid sector")
}

/// The table key of a province.
pub fn province_key(code: &str) -> Key {
    Key::Province(place(code))
}
