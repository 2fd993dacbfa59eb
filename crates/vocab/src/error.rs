//! The one error type of the crate: what was wrong with which value.

use crate::money::Currency;

/// Why a value could not become a vocabulary type.
///
/// Every variant is a user error (bad input), never an internal failure.
/// Messages quote the offending value and have no trailing period.
/// [`VocabError::code`] gives a stable machine code for API error bodies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VocabError {
    /// A typed id that is not a whole number.
    #[error("invalid {what} {text:?}: {reason}")]
    InvalidId {
        /// Which id, e.g. "user id".
        what: &'static str,
        /// The text as given.
        text: String,
        /// What was wrong.
        reason: String,
    },
    /// A machine code that is not one of the known codes.
    #[error("unknown {what} {text:?}: expected one of {expected}")]
    UnknownCode {
        /// Which vocabulary, e.g. "currency".
        what: &'static str,
        /// The text as given.
        text: String,
        /// The accepted codes, comma-separated.
        expected: String,
    },
    /// A money amount that is not an exact decimal number of cents.
    #[error("invalid amount {text:?}: {reason}")]
    InvalidAmount {
        /// The text as given.
        text: String,
        /// What was wrong.
        reason: String,
    },
    /// Arithmetic on money that does not fit in 64-bit cents.
    #[error("amount overflow: {operation}")]
    Overflow {
        /// The operation with its operands, e.g. "9223372036854775807 + 1 cents (HKD)".
        operation: String,
    },
    /// Adding or subtracting amounts in different currencies.
    #[error("currency mismatch: expected {expected}, found {found}")]
    CurrencyMismatch {
        /// The currency of the left-hand amount.
        expected: Currency,
        /// The currency of the right-hand amount.
        found: Currency,
    },
    /// Converting an amount with a rate that converts from another currency.
    #[error("cannot convert an amount in {amount} with a rate from {rate_from} to {rate_to}")]
    RateMismatch {
        /// The currency of the amount.
        amount: Currency,
        /// The currency the rate converts from.
        rate_from: Currency,
        /// The currency the rate converts to.
        rate_to: Currency,
    },
    /// An exchange rate that is not a positive decimal with at most 6 decimals.
    #[error("invalid exchange rate {text:?}: {reason}")]
    InvalidRate {
        /// The text as given.
        text: String,
        /// What was wrong.
        reason: String,
    },
    /// A percentage that is not a decimal with at most 6 decimals.
    #[error("invalid percentage {text:?}: {reason}")]
    InvalidPercent {
        /// The text as given.
        text: String,
        /// What was wrong.
        reason: String,
    },
    /// A provenance that is none of the three accepted forms.
    #[error(
        "invalid provenance {text:?}: expected \"published: <document>\", \"indicative\" or \"synthetic\""
    )]
    InvalidProvenance {
        /// The text as given.
        text: String,
    },
    /// Coordinates out of range or not finite.
    #[error("invalid coordinates ({lat}, {lon}): {reason}")]
    InvalidCoordinates {
        /// The latitude as given, formatted.
        lat: String,
        /// The longitude as given, formatted.
        lon: String,
        /// What was wrong.
        reason: String,
    },
    /// A country code that is not an ISO 3166-1 alpha-2 code.
    #[error("invalid country code {text:?}: {reason}")]
    InvalidCountryCode {
        /// The text as given.
        text: String,
        /// What was wrong.
        reason: String,
    },
    /// A place code that is not a lowercase slug.
    #[error("invalid place code {text:?}: {reason}")]
    InvalidPlaceCode {
        /// The text as given.
        text: String,
        /// What was wrong.
        reason: String,
    },
    /// A place whose fields contradict each other.
    #[error("invalid place {code:?}: {reason}")]
    InvalidPlace {
        /// The code of the place.
        code: String,
        /// What was wrong.
        reason: String,
    },
    /// A manufacturing sector that is not a GB/T 4754-2017 manufacturing division.
    #[error("invalid manufacturing sector {text:?}: {reason}")]
    InvalidSector {
        /// The text as given.
        text: String,
        /// What was wrong.
        reason: String,
    },
    /// An email address that is not plausibly deliverable.
    #[error("invalid email address {text:?}: {reason}")]
    InvalidEmail {
        /// The text as given.
        text: String,
        /// What was wrong.
        reason: String,
    },
    /// A display name that is empty, too long or has control characters.
    #[error("invalid display name {text:?}: {reason}")]
    InvalidDisplayName {
        /// The text as given.
        text: String,
        /// What was wrong.
        reason: String,
    },
    /// A bilingual text missing one of its languages.
    #[error("invalid bilingual text (en {en:?}, zh {zh:?}): {reason}")]
    InvalidBilingualText {
        /// The English text as given.
        en: String,
        /// The Chinese text as given.
        zh: String,
        /// What was wrong.
        reason: String,
    },
    /// A year that is not a whole number in 1900..=2100.
    #[error("invalid year {text:?}: {reason}")]
    InvalidYear {
        /// The text as given.
        text: String,
        /// What was wrong.
        reason: String,
    },
    /// A project whose fields contradict each other.
    #[error("invalid project: {reason}")]
    InvalidProject {
        /// What was wrong.
        reason: String,
    },
    /// A site whose fields contradict each other.
    #[error("invalid site {code:?}: {reason}")]
    InvalidSite {
        /// The code of the site.
        code: String,
        /// What was wrong.
        reason: String,
    },
}

impl VocabError {
    /// A stable machine code for this kind of error, e.g. `"invalid_amount"`.
    ///
    /// API error bodies carry it next to the message, so clients can branch on it.
    pub fn code(&self) -> &'static str {
        match self {
            VocabError::InvalidId { .. } => "invalid_id",
            VocabError::UnknownCode { .. } => "unknown_code",
            VocabError::InvalidAmount { .. } => "invalid_amount",
            VocabError::Overflow { .. } => "amount_overflow",
            VocabError::CurrencyMismatch { .. } => "currency_mismatch",
            VocabError::RateMismatch { .. } => "rate_mismatch",
            VocabError::InvalidRate { .. } => "invalid_rate",
            VocabError::InvalidPercent { .. } => "invalid_percent",
            VocabError::InvalidProvenance { .. } => "invalid_provenance",
            VocabError::InvalidCoordinates { .. } => "invalid_coordinates",
            VocabError::InvalidCountryCode { .. } => "invalid_country_code",
            VocabError::InvalidPlaceCode { .. } => "invalid_place_code",
            VocabError::InvalidPlace { .. } => "invalid_place",
            VocabError::InvalidSector { .. } => "invalid_sector",
            VocabError::InvalidEmail { .. } => "invalid_email",
            VocabError::InvalidDisplayName { .. } => "invalid_display_name",
            VocabError::InvalidBilingualText { .. } => "invalid_bilingual_text",
            VocabError::InvalidYear { .. } => "invalid_year",
            VocabError::InvalidProject { .. } => "invalid_project",
            VocabError::InvalidSite { .. } => "invalid_site",
        }
    }
}
