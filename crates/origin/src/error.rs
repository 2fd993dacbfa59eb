//! The one error type of the crate, and the location (line and field) every input error names.

use vocab::{Currency, VocabError};

pub use tomltext::Location;

/// Why a rule book or a product was refused, or a check could not run.
///
/// Every variant is a user error (bad input), never an internal failure.
/// Messages name the line and field and quote the value, and have no trailing period.
/// A caller reading a file prefixes the file name:
/// ``product.toml: line 12: field `cost`: "-5" must not be negative``.
/// [`OriginError::code`] gives a stable machine code for API error bodies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OriginError {
    /// Text that is not TOML, or TOML of the wrong shape: a missing or unknown field, a value
    /// of the wrong type.
    #[error("{at}: {reason}")]
    Toml {
        /// Where.
        at: Location,
        /// What the TOML reader said.
        reason: String,
    },
    /// A value that does not parse as its vocabulary type: a malformed amount, an unknown
    /// country, a bad percentage, currency or provenance.
    #[error("{at}: {problem}")]
    Vocab {
        /// Where.
        at: Location,
        /// What was wrong with the value.
        problem: VocabError,
    },
    /// A value that parses but is not acceptable here, e.g. an empty label or a threshold above
    /// 100%.
    #[error("{at}: {reason}")]
    Invalid {
        /// Where.
        at: Location,
        /// What was wrong.
        reason: String,
    },
    /// A class, material or step code that is not a lowercase slug.
    #[error("{at}: {text:?} is not a code: {reason}")]
    InvalidCode {
        /// Where.
        at: Location,
        /// The text as given.
        text: String,
        /// What was wrong.
        reason: String,
    },
    /// A cost below zero.
    #[error("{at}: {text:?} must not be negative")]
    NegativeCost {
        /// Where.
        at: Location,
        /// The amount as given.
        text: String,
    },
    /// A product without a single material.
    #[error("{at}: the bill of materials is empty; add at least one [[material]]")]
    EmptyBillOfMaterials {
        /// Where (the `material` field, or line 1 when it is absent).
        at: Location,
    },
    /// The same code twice: two classes, or two of a product's materials and steps (which share
    /// one set of codes), or one code listed twice.
    #[error("{at}: duplicate code {code:?}{}", first_line.map(|line| format!(", first used on line {line}")).unwrap_or_default())]
    DuplicateCode {
        /// Where the second use is.
        at: Location,
        /// The code.
        code: String,
        /// The line of the first use, for TOML input.
        first_line: Option<usize>,
    },
    /// A product class the rule book does not have.
    #[error("{at}: unknown product class {code:?}; known: {known}")]
    UnknownClass {
        /// Where.
        at: Location,
        /// The class as given.
        code: String,
        /// The rule book's class codes, comma-separated.
        known: String,
    },
    /// Costs of one product in more than one currency.
    #[error("{at}: cost in {found} but the product is costed in {expected}")]
    MixedCurrency {
        /// Where.
        at: Location,
        /// The product's currency (that of its first material).
        expected: Currency,
        /// The other currency.
        found: Currency,
    },
    /// A product whose total cost does not fit in 64-bit cents.
    #[error("{at}: the total cost is too large for 64-bit cents")]
    Overflow {
        /// Where the sum first overflowed.
        at: Location,
    },
}

impl OriginError {
    /// A stable machine code for this kind of error, e.g. `"negative_cost"`; for a bad
    /// vocabulary value, the vocabulary's own code (`"invalid_amount"`, `"invalid_country_code"`).
    pub fn code(&self) -> &'static str {
        match self {
            OriginError::Toml { .. } => "invalid_toml",
            OriginError::Vocab { problem, .. } => problem.code(),
            OriginError::Invalid { .. } => "invalid_value",
            OriginError::InvalidCode { .. } => "invalid_code",
            OriginError::NegativeCost { .. } => "negative_cost",
            OriginError::EmptyBillOfMaterials { .. } => "empty_bill_of_materials",
            OriginError::DuplicateCode { .. } => "duplicate_code",
            OriginError::UnknownClass { .. } => "unknown_class",
            OriginError::MixedCurrency { .. } => "mixed_currency",
            OriginError::Overflow { .. } => "cost_overflow",
        }
    }

    /// Where the bad input is.
    pub fn location(&self) -> &Location {
        match self {
            OriginError::Toml { at, .. }
            | OriginError::Vocab { at, .. }
            | OriginError::Invalid { at, .. }
            | OriginError::InvalidCode { at, .. }
            | OriginError::NegativeCost { at, .. }
            | OriginError::EmptyBillOfMaterials { at }
            | OriginError::DuplicateCode { at, .. }
            | OriginError::UnknownClass { at, .. }
            | OriginError::MixedCurrency { at, .. }
            | OriginError::Overflow { at } => at,
        }
    }
}
