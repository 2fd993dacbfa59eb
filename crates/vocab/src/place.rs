//! Places: countries, regions, cities and sites, with codes, a hierarchy and coordinates.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::codes::code_enum;
use crate::VocabError;

/// A point on the globe in decimal degrees (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawCoordinates")]
pub struct Coordinates {
    lat: f64,
    lon: f64,
}

code_enum! {
    /// How big a place is, from a whole country down to one site.
    pub enum PlaceLevel as "place level" {
        /// A country or territory, e.g. Hong Kong, Viet Nam.
        Country => "country",
        /// A province or state, e.g. Guangdong.
        Region => "region",
        /// A city or district, e.g. Shenzhen.
        City => "city",
        /// One industrial site, park or building.
        Site => "site",
    }
}

/// An ISO 3166-1 alpha-2 country code, uppercase: `"HK"`, `"CN"`, `"VN"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode([u8; 2]);

/// A place's stable code: a lowercase slug of `a-z`, `0-9`, `-` and `.`, 1 to 64 characters,
/// e.g. `"cn-gd-shenzhen"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PlaceCode(String);

/// A place in the hierarchy: its code, level, country, parent and optional coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    code: PlaceCode,
    level: PlaceLevel,
    country: CountryCode,
    parent: Option<PlaceCode>,
    coordinates: Option<Coordinates>,
}

#[derive(Deserialize)]
struct RawCoordinates {
    lat: f64,
    lon: f64,
}

/// Officially assigned ISO 3166-1 alpha-2 codes, concatenated in alphabetical order.
const ISO_3166_ALPHA_2: &str = "\
ADAEAFAGAIALAMAOAQARASATAUAWAXAZ\
BABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZ\
CACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZ\
DEDJDKDMDODZ\
ECEEEGEHERESET\
FIFJFKFMFOFR\
GAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGY\
HKHMHNHRHTHU\
IDIEILIMINIOIQIRISIT\
JEJMJOJP\
KEKGKHKIKMKNKPKRKWKYKZ\
LALBLCLILKLRLSLTLULVLY\
MAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZ\
NANCNENFNGNINLNONPNRNUNZ\
OM\
PAPEPFPGPHPKPLPMPNPRPSPTPWPY\
QA\
RERORSRURW\
SASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZ\
TCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZ\
UAUGUMUSUYUZ\
VAVCVEVGVIVNVU\
WFWS\
YEYT\
ZAZMZW";

// 249 codes of two letters each; a typo in the table above would shift every later code.
const _: () = assert!(ISO_3166_ALPHA_2.len() == 2 * 249);

const MAX_PLACE_CODE_LEN: usize = 64;

impl Coordinates {
    /// Checks that both values are finite, latitude is in -90..=90 and longitude in -180..=180.
    pub fn parse(lat: f64, lon: f64) -> Result<Self, VocabError> {
        let invalid = |reason: &str| VocabError::InvalidCoordinates {
            lat: lat.to_string(),
            lon: lon.to_string(),
            reason: reason.to_owned(),
        };
        if !lat.is_finite() || !lon.is_finite() {
            return Err(invalid("not a finite number"));
        }
        if !(-90.0..=90.0).contains(&lat) {
            return Err(invalid("latitude outside -90..=90"));
        }
        if !(-180.0..=180.0).contains(&lon) {
            return Err(invalid("longitude outside -180..=180"));
        }
        Ok(Coordinates { lat, lon })
    }

    /// Latitude in degrees, north positive.
    pub fn lat(self) -> f64 {
        self.lat
    }

    /// Longitude in degrees, east positive.
    pub fn lon(self) -> f64 {
        self.lon
    }
}

impl TryFrom<RawCoordinates> for Coordinates {
    type Error = VocabError;

    fn try_from(raw: RawCoordinates) -> Result<Self, Self::Error> {
        Coordinates::parse(raw.lat, raw.lon)
    }
}

impl CountryCode {
    /// Parses an ISO 3166-1 alpha-2 code in either case: `"hk"` becomes `"HK"`.
    pub fn parse(text: &str) -> Result<Self, VocabError> {
        let invalid = |reason: &str| VocabError::InvalidCountryCode {
            text: text.to_owned(),
            reason: reason.to_owned(),
        };
        let trimmed = text.trim();
        let &[first, second] = trimmed.as_bytes() else {
            return Err(invalid("not two letters"));
        };
        if !first.is_ascii_alphabetic() || !second.is_ascii_alphabetic() {
            return Err(invalid("not two letters"));
        }
        let code = [first.to_ascii_uppercase(), second.to_ascii_uppercase()];
        let assigned = ISO_3166_ALPHA_2
            .as_bytes()
            .chunks_exact(2)
            .any(|chunk| chunk == code);
        if !assigned {
            return Err(invalid("not an assigned ISO 3166-1 alpha-2 code"));
        }
        Ok(CountryCode(code))
    }

    /// The code, e.g. `"HK"`.
    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for CountryCode {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl TryFrom<String> for CountryCode {
    type Error = VocabError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        CountryCode::parse(&text)
    }
}

impl From<CountryCode> for String {
    fn from(code: CountryCode) -> Self {
        code.as_str().to_owned()
    }
}

impl PlaceCode {
    /// Parses a slug of `a-z`, `0-9`, `-` and `.`, 1 to 64 characters.
    ///
    /// Surrounding whitespace is ignored and ASCII letters are lowercased.
    pub fn parse(text: &str) -> Result<Self, VocabError> {
        let invalid = |reason: String| VocabError::InvalidPlaceCode {
            text: text.to_owned(),
            reason,
        };
        let code = text.trim().to_ascii_lowercase();
        if code.is_empty() {
            return Err(invalid("empty".to_owned()));
        }
        if code.len() > MAX_PLACE_CODE_LEN {
            return Err(invalid(format!(
                "longer than {MAX_PLACE_CODE_LEN} characters"
            )));
        }
        if let Some(c) = code
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '.'))
        {
            return Err(invalid(format!(
                "unexpected character {c:?} (allowed: a-z, 0-9, '-', '.')"
            )));
        }
        Ok(PlaceCode(code))
    }

    /// The code, e.g. `"cn-gd-shenzhen"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PlaceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for PlaceCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PlaceCode {
    type Error = VocabError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        PlaceCode::parse(&text)
    }
}

impl From<PlaceCode> for String {
    fn from(code: PlaceCode) -> Self {
        code.0
    }
}

impl Place {
    /// A place; a country has no parent, and no place is its own parent.
    pub fn new(
        code: PlaceCode,
        level: PlaceLevel,
        country: CountryCode,
        parent: Option<PlaceCode>,
        coordinates: Option<Coordinates>,
    ) -> Result<Self, VocabError> {
        let invalid = |reason: &str| VocabError::InvalidPlace {
            code: code.as_str().to_owned(),
            reason: reason.to_owned(),
        };
        if level == PlaceLevel::Country && parent.is_some() {
            return Err(invalid("a country has no parent"));
        }
        if parent.as_ref() == Some(&code) {
            return Err(invalid("a place cannot be its own parent"));
        }
        Ok(Place {
            code,
            level,
            country,
            parent,
            coordinates,
        })
    }

    /// The place's code.
    pub fn code(&self) -> &PlaceCode {
        &self.code
    }

    /// The place's level.
    pub fn level(&self) -> PlaceLevel {
        self.level
    }

    /// The country the place is in (a country's own code for a country).
    pub fn country(&self) -> CountryCode {
        self.country
    }

    /// The enclosing place, if any.
    pub fn parent(&self) -> Option<&PlaceCode> {
        self.parent.as_ref()
    }

    /// Where the place is, if known.
    pub fn coordinates(&self) -> Option<Coordinates> {
        self.coordinates
    }
}
