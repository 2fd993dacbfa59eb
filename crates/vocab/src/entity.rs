//! The platform's actors and records: roles, organisations, projects, sites, and the small
//! validated values they are made of (email addresses, names, bilingual text, years).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::codes::code_enum;
use crate::ids::OrgId;
use crate::money::Money;
use crate::place::{Place, PlaceCode, PlaceLevel};
use crate::sector::ManufacturingSector;
use crate::VocabError;

code_enum! {
    /// What a signed-in user may do; anonymous visitors have no role.
    pub enum Role as "role" {
        /// An enterprise looking for sites, services, funding or partners.
        Enterprise => "enterprise",
        /// An investor looking for projects.
        Investor => "investor",
        /// A provider of producer services (legal, IP, testing, logistics, finance).
        Provider => "provider",
        /// A scheme or investment-promotion officer.
        Officer => "officer",
        /// A policy analyst working with statistics and reports.
        Analyst => "analyst",
        /// An administrator of the platform.
        Admin => "admin",
    }
}

code_enum! {
    /// What kind of organisation a directory entry is.
    pub enum OrgKind as "organisation kind" {
        /// A manufacturer or other enterprise.
        Enterprise => "enterprise",
        /// A fund or other investor.
        Investor => "investor",
        /// A producer-service provider.
        ServiceProvider => "service_provider",
        /// An operator of industrial sites or parks.
        SiteOperator => "site_operator",
        /// A government body.
        Government => "government",
        /// A university or research institute.
        Research => "research",
    }
}

code_enum! {
    /// Where an investment project is in the pipeline, from first contact to operation.
    pub enum ProjectStage as "project stage" {
        /// First contact.
        Lead => "lead",
        /// Under discussion.
        InTalks => "in_talks",
        /// Investment, jobs or output pledged.
        Pledged => "pledged",
        /// Set up in Hong Kong.
        Landed => "landed",
        /// Producing.
        Operating => "operating",
    }
}

code_enum! {
    /// The promotion programme or fund an investment project belongs to, for the pipeline's
    /// "pledged versus realised by programme" view.
    pub enum Programme as "programme" {
        /// Strategic enterprises attracted to Hong Kong (the "25+ companies, HK$17bn" drive).
        StrategicEnterprises => "strategic_enterprises",
        /// Government funds for emerging and advanced manufacturing industries.
        EmergingIndustriesFund => "emerging_industries_fund",
        /// New energy vehicle assembly and supply chain in Hong Kong.
        EvAssembly => "ev_assembly",
        /// The Hong Kong–Chongqing investment pathway.
        HkChongqingPathway => "hk_chongqing_pathway",
        /// Anything else.
        Other => "other",
    }
}

code_enum! {
    /// Who may see a record: its owners and officers only, or everyone.
    pub enum Visibility as "visibility" {
        /// Only the owning organisation and authorised officers.
        Private => "private",
        /// Everyone, including anonymous visitors.
        Public => "public",
    }
}

/// An email address: trimmed, lowercased, one `@`, a non-empty local part, a dotted domain,
/// no whitespace, at most 254 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

/// A person's or organisation's name as shown: trimmed, 1 to 120 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

/// Text given in both English and Traditional Chinese, neither empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawBilingualText")]
pub struct BilingualText {
    en: String,
    zh: String,
}

/// A calendar year of a statistic or record, 1900 to 2100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i16", into = "i16")]
pub struct Year(i16);

/// An organisation in the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    id: OrgId,
    kind: OrgKind,
    name: BilingualText,
}

/// An investment project in the pipeline, with what was pledged and what was realised.
/// Its id and owner are the store's business; this is what the project is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    title: BilingualText,
    stage: ProjectStage,
    sector: Option<ManufacturingSector>,
    place: Option<PlaceCode>,
    pledged: Option<Money>,
    realised: Option<Money>,
    jobs_pledged: Option<u32>,
    jobs_realised: Option<u32>,
    visibility: Visibility,
    programme: Option<Programme>,
    announced: Option<Year>,
    output_pledged: Option<Money>,
    output_realised: Option<Money>,
}

/// The fields of a [`Project`] before the cross-field rules are checked by [`Project::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectParts {
    /// The project's title.
    pub title: BilingualText,
    /// Where the project is in the pipeline.
    pub stage: ProjectStage,
    /// The manufacturing division, if it is a manufacturing project.
    pub sector: Option<ManufacturingSector>,
    /// Where the project is (to be) located.
    pub place: Option<PlaceCode>,
    /// The investment pledged.
    pub pledged: Option<Money>,
    /// The investment realised so far.
    pub realised: Option<Money>,
    /// The jobs pledged.
    pub jobs_pledged: Option<u32>,
    /// The jobs created so far.
    pub jobs_realised: Option<u32>,
    /// Who may see the project.
    pub visibility: Visibility,
    /// The programme or fund it belongs to.
    pub programme: Option<Programme>,
    /// The year it was announced or pledged.
    pub announced: Option<Year>,
    /// The output a year pledged once operating.
    pub output_pledged: Option<Money>,
    /// The output a year achieved.
    pub output_realised: Option<Money>,
}

/// An industrial site: a place at [`PlaceLevel::Site`] with a name and a floor area.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    place: Place,
    name: BilingualText,
    floor_area_m2: Option<u32>,
}

#[derive(Deserialize)]
struct RawBilingualText {
    en: String,
    zh: String,
}

const MAX_EMAIL_LEN: usize = 254;
const MAX_DISPLAY_NAME_CHARS: usize = 120;
const FIRST_YEAR: i16 = 1900;
const LAST_YEAR: i16 = 2100;

impl ProjectStage {
    /// The stage after this one, or `None` for [`ProjectStage::Operating`].
    pub fn next(self) -> Option<Self> {
        match self {
            ProjectStage::Lead => Some(ProjectStage::InTalks),
            ProjectStage::InTalks => Some(ProjectStage::Pledged),
            ProjectStage::Pledged => Some(ProjectStage::Landed),
            ProjectStage::Landed => Some(ProjectStage::Operating),
            ProjectStage::Operating => None,
        }
    }
}

impl EmailAddress {
    /// Parses an address, trimming it and lowercasing it.
    pub fn parse(text: &str) -> Result<Self, VocabError> {
        let invalid = |reason: &str| VocabError::InvalidEmail {
            text: text.to_owned(),
            reason: reason.to_owned(),
        };
        let address = text.trim().to_lowercase();
        if address.is_empty() {
            return Err(invalid("empty"));
        }
        if address.chars().count() > MAX_EMAIL_LEN {
            return Err(invalid("longer than 254 characters"));
        }
        if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid("contains whitespace or control characters"));
        }
        let Some((local, domain)) = address.split_once('@') else {
            return Err(invalid("no '@'"));
        };
        if domain.contains('@') {
            return Err(invalid("more than one '@'"));
        }
        if local.is_empty() {
            return Err(invalid("nothing before the '@'"));
        }
        if !domain.contains('.') || domain.split('.').any(str::is_empty) {
            return Err(invalid("the domain is not a dotted name like example.com"));
        }
        Ok(EmailAddress(address))
    }

    /// The address, e.g. `"chan@example.com.hk"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for EmailAddress {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = VocabError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        EmailAddress::parse(&text)
    }
}

impl From<EmailAddress> for String {
    fn from(email: EmailAddress) -> Self {
        email.0
    }
}

impl DisplayName {
    /// Parses a name, trimming it.
    pub fn parse(text: &str) -> Result<Self, VocabError> {
        let invalid = |reason: &str| VocabError::InvalidDisplayName {
            text: text.to_owned(),
            reason: reason.to_owned(),
        };
        let name = text.trim();
        if name.is_empty() {
            return Err(invalid("empty"));
        }
        if name.chars().count() > MAX_DISPLAY_NAME_CHARS {
            return Err(invalid("longer than 120 characters"));
        }
        if name.chars().any(char::is_control) {
            return Err(invalid("contains control characters"));
        }
        Ok(DisplayName(name.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DisplayName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for DisplayName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DisplayName {
    type Error = VocabError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        DisplayName::parse(&text)
    }
}

impl From<DisplayName> for String {
    fn from(name: DisplayName) -> Self {
        name.0
    }
}

impl BilingualText {
    /// English and Traditional Chinese text, both trimmed and non-empty.
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Result<Self, VocabError> {
        let (en, zh) = (en.into(), zh.into());
        let (en_trimmed, zh_trimmed) = (en.trim(), zh.trim());
        let reason = match (en_trimmed.is_empty(), zh_trimmed.is_empty()) {
            (false, false) => {
                return Ok(BilingualText {
                    en: en_trimmed.to_owned(),
                    zh: zh_trimmed.to_owned(),
                })
            }
            (true, false) => "the English text is empty",
            (false, true) => "the Chinese text is empty",
            (true, true) => "both texts are empty",
        };
        Err(VocabError::InvalidBilingualText {
            en,
            zh,
            reason: reason.to_owned(),
        })
    }

    /// The English text.
    pub fn en(&self) -> &str {
        &self.en
    }

    /// The Traditional Chinese text.
    pub fn zh(&self) -> &str {
        &self.zh
    }

    /// The Chinese text when `lang_is_zh`, else the English.
    pub fn get(&self, lang_is_zh: bool) -> &str {
        if lang_is_zh {
            &self.zh
        } else {
            &self.en
        }
    }
}

impl TryFrom<RawBilingualText> for BilingualText {
    type Error = VocabError;

    fn try_from(raw: RawBilingualText) -> Result<Self, Self::Error> {
        BilingualText::new(raw.en, raw.zh)
    }
}

impl Year {
    /// A year in 1900 to 2100.
    pub fn new(year: i16) -> Result<Self, VocabError> {
        Year::check(year, &year.to_string())
    }

    /// Parses a year such as `"2023"`.
    pub fn parse(text: &str) -> Result<Self, VocabError> {
        let trimmed = text.trim();
        if trimmed.is_empty() || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
            return Err(VocabError::InvalidYear {
                text: text.to_owned(),
                reason: "not a whole number".to_owned(),
            });
        }
        match trimmed.parse::<i16>() {
            Ok(year) => Year::check(year, text),
            Err(_) => Err(VocabError::InvalidYear {
                text: text.to_owned(),
                reason: format!("outside {FIRST_YEAR}..={LAST_YEAR}"),
            }),
        }
    }

    /// The year as a number.
    pub fn get(self) -> i16 {
        self.0
    }

    fn check(year: i16, text: &str) -> Result<Self, VocabError> {
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            return Err(VocabError::InvalidYear {
                text: text.to_owned(),
                reason: format!("outside {FIRST_YEAR}..={LAST_YEAR}"),
            });
        }
        Ok(Year(year))
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::str::FromStr for Year {
    type Err = VocabError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Year::parse(text)
    }
}

impl TryFrom<i16> for Year {
    type Error = VocabError;

    fn try_from(year: i16) -> Result<Self, Self::Error> {
        Year::new(year)
    }
}

impl From<Year> for i16 {
    fn from(year: Year) -> Self {
        year.0
    }
}

impl Organisation {
    /// An organisation; every combination of fields is valid.
    pub fn new(id: OrgId, kind: OrgKind, name: BilingualText) -> Self {
        Organisation { id, kind, name }
    }

    /// The organisation's id.
    pub fn id(&self) -> OrgId {
        self.id
    }

    /// What kind of organisation it is.
    pub fn kind(&self) -> OrgKind {
        self.kind
    }

    /// The organisation's name.
    pub fn name(&self) -> &BilingualText {
        &self.name
    }
}

impl Project {
    /// Checks the cross-field rules and builds the project:
    /// amounts are not negative, the pledged and realised amounts share a currency,
    /// and realised investment or jobs appear only once the project has landed.
    pub fn new(parts: ProjectParts) -> Result<Self, VocabError> {
        let invalid = |reason: String| VocabError::InvalidProject { reason };
        for (what, amount) in [
            ("pledged", parts.pledged),
            ("realised", parts.realised),
            ("pledged output", parts.output_pledged),
            ("realised output", parts.output_realised),
        ] {
            if let Some(amount) = amount.filter(|amount| amount.is_negative()) {
                return Err(invalid(format!("the {what} amount {amount} is negative")));
            }
        }
        let amounts = [
            ("pledged amount", parts.pledged),
            ("realised amount", parts.realised),
            ("pledged output", parts.output_pledged),
            ("realised output", parts.output_realised),
        ];
        let mut named = amounts.iter().filter_map(|(what, m)| m.map(|m| (what, m)));
        if let Some((first_what, first)) = named.next() {
            if let Some((what, other)) = named.find(|(_, m)| m.currency() != first.currency()) {
                return Err(invalid(format!(
                    "the {first_what} is in {} but the {what} is in {}",
                    first.currency(),
                    other.currency()
                )));
            }
        }
        let has_landed = matches!(parts.stage, ProjectStage::Landed | ProjectStage::Operating);
        if !has_landed
            && (parts.realised.is_some()
                || parts.jobs_realised.is_some()
                || parts.output_realised.is_some())
        {
            return Err(invalid(format!(
                "realised investment, jobs or output at stage {}, before the project has landed",
                parts.stage
            )));
        }
        Ok(Project {
            title: parts.title,
            stage: parts.stage,
            sector: parts.sector,
            place: parts.place,
            pledged: parts.pledged,
            realised: parts.realised,
            jobs_pledged: parts.jobs_pledged,
            jobs_realised: parts.jobs_realised,
            visibility: parts.visibility,
            programme: parts.programme,
            announced: parts.announced,
            output_pledged: parts.output_pledged,
            output_realised: parts.output_realised,
        })
    }

    /// Gives the fields back, e.g. to change some and call [`Project::new`] again.
    pub fn into_parts(self) -> ProjectParts {
        ProjectParts {
            title: self.title,
            stage: self.stage,
            sector: self.sector,
            place: self.place,
            pledged: self.pledged,
            realised: self.realised,
            jobs_pledged: self.jobs_pledged,
            jobs_realised: self.jobs_realised,
            visibility: self.visibility,
            programme: self.programme,
            announced: self.announced,
            output_pledged: self.output_pledged,
            output_realised: self.output_realised,
        }
    }

    /// The project's title.
    pub fn title(&self) -> &BilingualText {
        &self.title
    }

    /// Where the project is in the pipeline.
    pub fn stage(&self) -> ProjectStage {
        self.stage
    }

    /// The manufacturing division, if any.
    pub fn sector(&self) -> Option<ManufacturingSector> {
        self.sector
    }

    /// Where the project is (to be) located, if known.
    pub fn place(&self) -> Option<&PlaceCode> {
        self.place.as_ref()
    }

    /// The investment pledged.
    pub fn pledged(&self) -> Option<Money> {
        self.pledged
    }

    /// The investment realised so far.
    pub fn realised(&self) -> Option<Money> {
        self.realised
    }

    /// The jobs pledged.
    pub fn jobs_pledged(&self) -> Option<u32> {
        self.jobs_pledged
    }

    /// The jobs created so far.
    pub fn jobs_realised(&self) -> Option<u32> {
        self.jobs_realised
    }

    /// Who may see the project.
    pub fn visibility(&self) -> Visibility {
        self.visibility
    }

    /// The programme or fund it belongs to, if any.
    pub fn programme(&self) -> Option<Programme> {
        self.programme
    }

    /// The year it was announced, if known.
    pub fn announced(&self) -> Option<Year> {
        self.announced
    }

    /// The output a year pledged.
    pub fn output_pledged(&self) -> Option<Money> {
        self.output_pledged
    }

    /// The output a year achieved.
    pub fn output_realised(&self) -> Option<Money> {
        self.output_realised
    }
}

impl Site {
    /// A site; the place must be at [`PlaceLevel::Site`] and a floor area, if given, above zero.
    pub fn new(
        place: Place,
        name: BilingualText,
        floor_area_m2: Option<u32>,
    ) -> Result<Self, VocabError> {
        let invalid = |reason: String| VocabError::InvalidSite {
            code: place.code().as_str().to_owned(),
            reason,
        };
        if place.level() != PlaceLevel::Site {
            return Err(invalid(format!(
                "the place is a {}, not a site",
                place.level()
            )));
        }
        if floor_area_m2 == Some(0) {
            return Err(invalid("the floor area is zero".to_owned()));
        }
        Ok(Site {
            place,
            name,
            floor_area_m2,
        })
    }

    /// The site's code (its place's code).
    pub fn code(&self) -> &PlaceCode {
        self.place.code()
    }

    /// The site as a place: parent, country and coordinates.
    pub fn place(&self) -> &Place {
        &self.place
    }

    /// The site's name.
    pub fn name(&self) -> &BilingualText {
        &self.name
    }

    /// The floor area in square metres, if known.
    pub fn floor_area_m2(&self) -> Option<u32> {
        self.floor_area_m2
    }
}
