//! Codes: lowercase slugs naming schemes, rules, sectors, cost categories and document kinds.
//!
//! Each is its own type, so a sector is never passed where a document kind is meant.
//! The web layer looks display names up in the catalogs by these codes.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! slug {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        ///
        /// A lowercase slug: ASCII letters, digits, `-` and `_`, starting with a letter or digit,
        /// at most 64 characters.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Parses a slug; surrounding whitespace is ignored and ASCII capitals are lowered.
            pub fn parse(text: &str) -> Result<Self, String> {
                parse_slug(text).map($name)
            }

            /// The code.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;

            fn try_from(text: String) -> Result<Self, Self::Error> {
                $name::parse(&text)
            }
        }

        impl From<$name> for String {
            fn from(code: $name) -> Self {
                code.0
            }
        }
    };
}

slug! {
    /// The id of a funding scheme, e.g. `"smart-production-line"`.
    SchemeId
}

slug! {
    /// The id of an eligibility rule within its scheme, e.g. `"sme"`.
    RuleId
}

slug! {
    /// An applicant's business sector, e.g. `"electronics"`.
    Sector
}

slug! {
    /// A category of project cost, e.g. `"equipment"`.
    CostCategory
}

slug! {
    /// A kind of supporting document, e.g. `"business_registration"`.
    DocumentKind
}

const MAX_SLUG_CHARS: usize = 64;

fn parse_slug(text: &str) -> Result<String, String> {
    let trimmed = text.trim().to_ascii_lowercase();
    if trimmed.is_empty() {
        return Err("empty".to_owned());
    }
    if trimmed.len() > MAX_SLUG_CHARS {
        return Err(format!("longer than {MAX_SLUG_CHARS} characters"));
    }
    if !trimmed.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err("must start with a letter or digit".to_owned());
    }
    if let Some(bad) = trimmed
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "{bad:?} is not allowed; use lowercase letters, digits, '-' and '_'"
        ));
    }
    Ok(trimmed)
}
