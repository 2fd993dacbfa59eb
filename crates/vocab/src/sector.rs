//! The study's taxonomies: components of industry, subgroups of new industries, and the
//! manufacturing divisions of China's national industry classification.
//!
//! Names of all of these live in the translation catalogs under `component.*`, `subgroup.*`
//! and `sector.C13` to `sector.C43`.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::codes::code_enum;
use crate::VocabError;

code_enum! {
    /// A component of "industry" as the study counts it, plus the producer services around it.
    pub enum IndustryComponent as "industry component" {
        /// Manufacturing.
        Manufacturing => "manufacturing",
        /// Publishing and packaging.
        PublishingPackaging => "publishing_packaging",
        /// Sub-contract processing: trading firms running processing arrangements with
        /// producers elsewhere, plus manufacturing-related technical support.
        SubcontractProcessing => "subcontract_processing",
        /// New industries (see [`NewIndustriesSubgroup`]).
        NewIndustries => "new_industries",
        /// Industry-related producer services, counted apart from industry itself.
        ProducerServices => "producer_services",
    }
}

code_enum! {
    /// A subgroup of [`IndustryComponent::NewIndustries`].
    pub enum NewIndustriesSubgroup as "new industries subgroup" {
        /// Computer programming, data-related services and industrial internet.
        ComputingData => "computing_data",
        /// R&D, design, testing and environmental engineering services.
        RdDesignTestingEnvironmental => "rd_design_testing_env",
        /// Sewerage, waste management and remediation.
        SewerageWaste => "sewerage_waste",
        /// Other new industries.
        Other => "other_new",
    }
}

/// A manufacturing division of GB/T 4754-2017, China's national industry classification:
/// divisions 13 to 43 of section C, written `"C39"`.
///
/// The registry of Hong Kong-invested manufacturers in the Mainland is classified by these.
/// Serialized as its code, e.g. `"C39"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ManufacturingSector(u8);

const FIRST_DIVISION: u8 = 13;
const LAST_DIVISION: u8 = 43;

/// The codes of divisions 13 to 43, so that `code()` can hand out a `&'static str`.
const CODES: [&str; 31] = [
    "C13", "C14", "C15", "C16", "C17", "C18", "C19", "C20", "C21", "C22", "C23", "C24", "C25",
    "C26", "C27", "C28", "C29", "C30", "C31", "C32", "C33", "C34", "C35", "C36", "C37", "C38",
    "C39", "C40", "C41", "C42", "C43",
];

impl IndustryComponent {
    /// Whether the component is part of industry proper; only producer services are not.
    pub fn is_industry(self) -> bool {
        self != IndustryComponent::ProducerServices
    }
}

impl ManufacturingSector {
    /// Parses a division as `"39"`, `"C39"` or `"c39"`; only divisions 13 to 43 exist.
    pub fn parse(text: &str) -> Result<Self, VocabError> {
        let invalid = |reason: String| VocabError::InvalidSector {
            text: text.to_owned(),
            reason,
        };
        let trimmed = text.trim();
        let digits = trimmed.strip_prefix(['C', 'c']).unwrap_or(trimmed);
        if digits.len() != 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("not a two-digit division code like C39".to_owned()));
        }
        let division: u8 = match digits.parse() {
            Ok(division) => division,
            Err(_) => return Err(invalid("not a two-digit division code like C39".to_owned())),
        };
        ManufacturingSector::from_division(division).ok_or_else(|| {
            invalid(format!(
                "not a manufacturing division (C{FIRST_DIVISION} to C{LAST_DIVISION})"
            ))
        })
    }

    /// The sector for a division number, if it is one of 13 to 43.
    pub fn from_division(division: u8) -> Option<Self> {
        if (FIRST_DIVISION..=LAST_DIVISION).contains(&division) {
            Some(ManufacturingSector(division))
        } else {
            None
        }
    }

    /// The division number, 13 to 43.
    pub fn division(self) -> u8 {
        self.0
    }

    /// The code, e.g. `"C39"`; the catalog key of its name is `sector.C39`.
    pub fn code(self) -> &'static str {
        CODES[usize::from(self.0 - FIRST_DIVISION)]
    }

    /// All 31 manufacturing divisions, C13 to C43, in order.
    pub fn all() -> impl Iterator<Item = ManufacturingSector> {
        (FIRST_DIVISION..=LAST_DIVISION).map(ManufacturingSector)
    }
}

impl fmt::Display for ManufacturingSector {
    /// Writes the code, e.g. `"C39"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for ManufacturingSector {
    type Error = VocabError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        ManufacturingSector::parse(&text)
    }
}

impl From<ManufacturingSector> for String {
    fn from(sector: ManufacturingSector) -> Self {
        sector.code().to_owned()
    }
}
