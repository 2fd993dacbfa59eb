//! Where a shipped number comes from: a published document, an indicative value or synthetic data.
//!
//! Every row of reference data carries one, and the UI shows it wherever the number appears.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::VocabError;

/// The source of a number.
///
/// Written and parsed as `"published: <document>"`, `"indicative"` or `"synthetic"`,
/// and serialized as that text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Provenance {
    /// Taken from a published document (a study, a statistical release, a news report).
    Published {
        /// The document, non-empty and trimmed, e.g. "HKGCC study 2025, table 3".
        document: String,
    },
    /// A value no document gives, chosen to be plausible and labelled as such.
    Indicative,
    /// Generated data, for scale tests and demonstrations only.
    Synthetic,
}

impl Provenance {
    /// Parses `"published: <document>"` (non-empty document), `"indicative"` or `"synthetic"`.
    ///
    /// Keywords ignore ASCII case and surrounding whitespace; anything else is an error that
    /// quotes the value and lists the three forms.
    pub fn parse(text: &str) -> Result<Self, VocabError> {
        let trimmed = text.trim();
        if trimmed.eq_ignore_ascii_case("indicative") {
            return Ok(Provenance::Indicative);
        }
        if trimmed.eq_ignore_ascii_case("synthetic") {
            return Ok(Provenance::Synthetic);
        }
        if let Some((keyword, document)) = trimmed.split_once(':') {
            let document = document.trim();
            if keyword.trim().eq_ignore_ascii_case("published") && !document.is_empty() {
                return Ok(Provenance::Published {
                    document: document.to_owned(),
                });
            }
        }
        Err(VocabError::InvalidProvenance {
            text: text.to_owned(),
        })
    }

    /// A published source; the document is trimmed and must not be empty.
    pub fn published(document: &str) -> Result<Self, VocabError> {
        let trimmed = document.trim();
        if trimmed.is_empty() {
            return Err(VocabError::InvalidProvenance {
                text: format!("published: {document}"),
            });
        }
        Ok(Provenance::Published {
            document: trimmed.to_owned(),
        })
    }

    /// The kind as a machine code: `"published"`, `"indicative"` or `"synthetic"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Provenance::Published { .. } => "published",
            Provenance::Indicative => "indicative",
            Provenance::Synthetic => "synthetic",
        }
    }

    /// The document of a published source.
    pub fn document(&self) -> Option<&str> {
        match self {
            Provenance::Published { document } => Some(document),
            Provenance::Indicative | Provenance::Synthetic => None,
        }
    }
}

impl fmt::Display for Provenance {
    /// Writes the form [`Provenance::parse`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Provenance::Published { document } => write!(f, "published: {document}"),
            Provenance::Indicative | Provenance::Synthetic => f.write_str(self.kind()),
        }
    }
}

impl TryFrom<String> for Provenance {
    type Error = VocabError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Provenance::parse(&text)
    }
}

impl From<Provenance> for String {
    fn from(provenance: Provenance) -> Self {
        provenance.to_string()
    }
}
