//! The study's published 2023 figures as a shipped value-added table and concordance.
//!
//! The CSV files in `crates/stats/data/study_2023/` are compiled in; their README says what
//! each holds and why GDP is `indicative`.

use crate::concordance::Concordance;
use crate::table::ValueAddedTable;

const LINES: &str = include_str!("../data/study_2023/lines.csv");
const VALUES: &str = include_str!("../data/study_2023/values.csv");
const GDP: &str = include_str!("../data/study_2023/gdp.csv");
const CONCORDANCE: &str = include_str!("../data/study_2023/concordance.csv");

/// The study's totals: value added by component in 2023 (manufacturing 28.2, publishing and
/// packaging 5.3, sub-contract processing 53.4, new industries 40.2, of which sewerage, waste
/// management and remediation 1.4), producer services in 2000 (230) and 2023 (473.5), all
/// HK$ billion, and an indicative GDP for 2023 from which every published share is reproduced.
///
/// Only totals the study gives; no line item is invented.
/// Sewerage is a child line of New Industries, reported through a memo row so it is not
/// counted twice.
/// There is no GDP for 2000, so 2000 has values but no shares.
pub fn study_2023() -> (ValueAddedTable, Concordance) {
    // The embedded files are fixed at compile time and read in the tests, so a failure here
    // is a bug in the shipped data, not a condition callers can handle.
    let table = ValueAddedTable::from_csv(LINES.as_bytes(), VALUES.as_bytes(), GDP.as_bytes())
        .unwrap_or_else(|error| panic!("shipped study table is invalid: {error}"));
    let concordance = Concordance::from_csv(CONCORDANCE.as_bytes(), &table)
        .unwrap_or_else(|error| panic!("shipped study concordance is invalid: {error}"));
    (table, concordance)
}
