//! Timestamps stored as fixed-width RFC 3339 UTC text, which sorts correctly on both backends.

use time::format_description::FormatItem;
use time::macros::format_description;
use time::OffsetDateTime;

const FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// An instant in UTC, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// Now.
    pub fn now() -> Timestamp {
        Timestamp(OffsetDateTime::now_utc())
    }

    /// This instant moved by a duration (negative to go back).
    pub fn plus(self, duration: time::Duration) -> Timestamp {
        Timestamp(self.0 + duration)
    }

    /// The stored text form.
    pub fn to_text(self) -> String {
        self.0
            .format(FORMAT)
            .expect("a UTC timestamp always formats")
    }

    /// Parses the stored text form.
    pub fn parse(text: &str) -> Option<Timestamp> {
        time::PrimitiveDateTime::parse(text, FORMAT)
            .ok()
            .map(|t| Timestamp(t.assume_utc()))
    }

    /// The underlying date and time.
    pub fn get(self) -> OffsetDateTime {
        self.0
    }
}
