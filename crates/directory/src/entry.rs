//! Directory entries: the parsed [`Profile`] of an enterprise, investor, provider, site or pilot
//! project, the raw [`ProfileInput`] it is parsed from, and the [`Entry`] pairing a profile with
//! the [`EntryId`] the database gave it.

use std::fmt;

use serde::{Deserialize, Serialize};
use vocab::{BilingualText, Currency, Money, Provenance};

use crate::{DirectoryError, Kind, Language, Region, Sector, Service, SizeBand, Stage};

/// The id of a directory entry, assigned by the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntryId(u64);

/// A directory entry: a profile and its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    id: EntryId,
    profile: Profile,
}

/// An investor's ticket size: the least and most it puts into one deal, in Hong Kong dollars.
///
/// Invariant: `0 < min <= max`, both in HKD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ticket {
    min: Money,
    max: Money,
}

/// What only some kinds of entry have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Details {
    /// An enterprise.
    Enterprise,
    /// A producer-service provider.
    Provider,
    /// An industrial site or park.
    Site,
    /// An investor: the stages it funds and its ticket size (its sector focus is the
    /// profile's `sectors`).
    Investor {
        /// The project stages it funds, at least one.
        stages: Vec<Stage>,
        /// Its ticket size.
        ticket: Ticket,
    },
    /// A pilot project seeking investment (its one sector and one region are the profile's).
    Project {
        /// How mature it is.
        stage: Stage,
        /// The funding it seeks, in HKD, more than zero.
        funding_sought: Money,
    },
}

/// A checked directory profile.
///
/// Invariants: names and descriptions in both languages; no code listed twice; investors have
/// stages and a ticket, pilot projects a stage, funding sought, exactly one sector and exactly
/// one region; other kinds have none of these.
/// `services` are the services offered by providers and sites, and the services needed by
/// enterprises, projects and investors (see [`Kind::offers_services`]).
/// Serialized as its [`ProfileInput`], so stored JSON is parsed (and checked) again on reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ProfileInput", into = "ProfileInput")]
pub struct Profile {
    name: BilingualText,
    description: BilingualText,
    sectors: Vec<Sector>,
    services: Vec<Service>,
    regions: Vec<Region>,
    languages: Vec<Language>,
    size: Option<SizeBand>,
    certifications: Vec<String>,
    details: Details,
    verified: bool,
    provenance: Provenance,
}

/// A profile as typed into a form or sent as JSON: every value a string, parsed by
/// `Profile::try_from`, whose errors name the field (`services[2]`, `ticket_min`).
///
/// Amounts are Hong Kong dollars as decimal text, e.g. `"50,000,000"` or `"1500000.50"`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileInput {
    /// A [`Kind`] code, e.g. `"provider"`.
    pub kind: String,
    /// The English name.
    pub name_en: String,
    /// The Traditional Chinese name.
    pub name_zh: String,
    /// The English description.
    pub description_en: String,
    /// The Traditional Chinese description.
    pub description_zh: String,
    /// [`Sector`] codes.
    pub sectors: Vec<String>,
    /// [`Service`] codes.
    pub services: Vec<String>,
    /// [`Region`] codes.
    pub regions: Vec<String>,
    /// [`Language`] codes.
    pub languages: Vec<String>,
    /// A [`SizeBand`] code, if known.
    pub size: Option<String>,
    /// Certifications and accreditations as written, e.g. `"ISO/IEC 17025"`.
    pub certifications: Vec<String>,
    /// Investors: the [`Stage`] codes funded.
    pub stages: Vec<String>,
    /// Investors: the least ticket, HKD.
    pub ticket_min: Option<String>,
    /// Investors: the largest ticket, HKD.
    pub ticket_max: Option<String>,
    /// Pilot projects: the [`Stage`] code.
    pub stage: Option<String>,
    /// Pilot projects: the funding sought, HKD.
    pub funding_sought: Option<String>,
    /// Whether the platform has verified the entry.
    pub verified: bool,
    /// `"published: <document>"`, `"indicative"` or `"synthetic"`.
    pub provenance: String,
}

/// The longest certification accepted, in characters.
const MAX_CERTIFICATION_CHARS: usize = 80;
/// The most certifications one profile may list.
const MAX_CERTIFICATIONS: usize = 20;

impl EntryId {
    /// The id the database gave.
    pub const fn new(id: u64) -> Self {
        EntryId(id)
    }

    /// The number.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Entry {
    /// Pairs a profile with its id.
    pub fn new(id: EntryId, profile: Profile) -> Self {
        Entry { id, profile }
    }

    /// The id.
    pub fn id(&self) -> EntryId {
        self.id
    }

    /// The profile.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The profile, by value.
    pub fn into_profile(self) -> Profile {
        self.profile
    }
}

impl Ticket {
    /// A ticket from `min` to `max`; both must be HKD, `min` more than zero and at most `max`.
    pub fn new(min: Money, max: Money) -> Result<Self, DirectoryError> {
        for (field, amount) in [("ticket_min", min), ("ticket_max", max)] {
            if amount.currency() != Currency::Hkd {
                return Err(DirectoryError::invalid(
                    field,
                    format!("{amount} is not in Hong Kong dollars"),
                ));
            }
            if amount.cents() <= 0 {
                return Err(DirectoryError::invalid(
                    field,
                    format!("{amount} must be more than zero"),
                ));
            }
        }
        if min.cents() > max.cents() {
            return Err(DirectoryError::invalid(
                "ticket_max",
                format!("{max} is less than the ticket minimum {min}"),
            ));
        }
        Ok(Ticket { min, max })
    }

    /// The least ticket.
    pub fn min(&self) -> Money {
        self.min
    }

    /// The largest ticket.
    pub fn max(&self) -> Money {
        self.max
    }

    /// Whether an amount (in HKD) lies within the ticket, both ends included.
    pub fn contains(&self, amount: Money) -> bool {
        amount.currency() == Currency::Hkd
            && self.min.cents() <= amount.cents()
            && amount.cents() <= self.max.cents()
    }
}

impl Profile {
    /// What kind of entry this is.
    pub fn kind(&self) -> Kind {
        match self.details {
            Details::Enterprise => Kind::Enterprise,
            Details::Provider => Kind::Provider,
            Details::Site => Kind::Site,
            Details::Investor { .. } => Kind::Investor,
            Details::Project { .. } => Kind::Project,
        }
    }

    /// The name in both languages.
    pub fn name(&self) -> &BilingualText {
        &self.name
    }

    /// The description in both languages.
    pub fn description(&self) -> &BilingualText {
        &self.description
    }

    /// Sectors (an investor's sector focus; a project's one sector).
    pub fn sectors(&self) -> &[Sector] {
        &self.sectors
    }

    /// Services offered (providers, sites) or needed (the other kinds).
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// Regions served (a project's or site's location).
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// Working languages.
    pub fn languages(&self) -> &[Language] {
        &self.languages
    }

    /// Size by staff, if known.
    pub fn size(&self) -> Option<SizeBand> {
        self.size
    }

    /// Certifications and accreditations as written.
    pub fn certifications(&self) -> &[String] {
        &self.certifications
    }

    /// What only this kind has.
    pub fn details(&self) -> &Details {
        &self.details
    }

    /// An investor's stages or a project's stage; empty for the other kinds.
    pub fn stages(&self) -> &[Stage] {
        match &self.details {
            Details::Investor { stages, .. } => stages,
            Details::Project { stage, .. } => std::slice::from_ref(stage),
            Details::Enterprise | Details::Provider | Details::Site => &[],
        }
    }

    /// An investor's ticket.
    pub fn ticket(&self) -> Option<Ticket> {
        match &self.details {
            Details::Investor { ticket, .. } => Some(*ticket),
            _ => None,
        }
    }

    /// A project's funding sought.
    pub fn funding_sought(&self) -> Option<Money> {
        match &self.details {
            Details::Project { funding_sought, .. } => Some(*funding_sought),
            _ => None,
        }
    }

    /// Whether the platform has verified the entry.
    pub fn verified(&self) -> bool {
        self.verified
    }

    /// Where the entry comes from; generated entries are [`Provenance::Synthetic`].
    pub fn provenance(&self) -> &Provenance {
        &self.provenance
    }

    /// Builds a profile the synthetic generator knows to be valid, without re-parsing text.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_parts(
        name: BilingualText,
        description: BilingualText,
        sectors: Vec<Sector>,
        services: Vec<Service>,
        regions: Vec<Region>,
        languages: Vec<Language>,
        size: Option<SizeBand>,
        certifications: Vec<String>,
        details: Details,
        verified: bool,
        provenance: Provenance,
    ) -> Self {
        Profile {
            name,
            description,
            sectors,
            services,
            regions,
            languages,
            size,
            certifications,
            details,
            verified,
            provenance,
        }
    }
}

impl TryFrom<ProfileInput> for Profile {
    type Error = DirectoryError;

    fn try_from(input: ProfileInput) -> Result<Self, Self::Error> {
        let kind = Kind::parse(&input.kind).map_err(|e| DirectoryError::invalid("kind", e))?;
        let name = bilingual("name", &input.name_en, &input.name_zh)?;
        let description = bilingual("description", &input.description_en, &input.description_zh)?;
        let sectors = codes("sectors", &input.sectors, Sector::parse)?;
        let services = codes("services", &input.services, Service::parse)?;
        let regions = codes("regions", &input.regions, Region::parse)?;
        let languages = codes("languages", &input.languages, Language::parse)?;
        let size = match &input.size {
            Some(text) => {
                Some(SizeBand::parse(text).map_err(|e| DirectoryError::invalid("size", e))?)
            }
            None => None,
        };
        let certifications = certifications(&input.certifications)?;
        let provenance = vocab::Provenance::parse(&input.provenance)
            .map_err(|e| DirectoryError::invalid("provenance", e))?;

        let not_for = |field: &str, what: &str| {
            DirectoryError::invalid(field, format!("only {what} have this field, not a {kind}"))
        };
        if kind != Kind::Investor {
            if !input.stages.is_empty() {
                return Err(not_for("stages", "investors"));
            }
            if input.ticket_min.is_some() {
                return Err(not_for("ticket_min", "investors"));
            }
            if input.ticket_max.is_some() {
                return Err(not_for("ticket_max", "investors"));
            }
        }
        if kind != Kind::Project {
            if input.stage.is_some() {
                return Err(not_for("stage", "pilot projects"));
            }
            if input.funding_sought.is_some() {
                return Err(not_for("funding_sought", "pilot projects"));
            }
        }
        let details = match kind {
            Kind::Enterprise => Details::Enterprise,
            Kind::Provider => Details::Provider,
            Kind::Site => Details::Site,
            Kind::Investor => {
                let stages = codes("stages", &input.stages, Stage::parse)?;
                if stages.is_empty() {
                    return Err(DirectoryError::invalid(
                        "stages",
                        "an investor funds at least one stage",
                    ));
                }
                let min = hkd("ticket_min", input.ticket_min.as_deref())?;
                let max = hkd("ticket_max", input.ticket_max.as_deref())?;
                Details::Investor {
                    stages,
                    ticket: Ticket::new(min, max)?,
                }
            }
            Kind::Project => {
                let Some(stage_text) = &input.stage else {
                    return Err(DirectoryError::invalid(
                        "stage",
                        "a pilot project has a stage",
                    ));
                };
                let stage =
                    Stage::parse(stage_text).map_err(|e| DirectoryError::invalid("stage", e))?;
                let funding_sought = hkd("funding_sought", input.funding_sought.as_deref())?;
                if funding_sought.cents() <= 0 {
                    return Err(DirectoryError::invalid(
                        "funding_sought",
                        format!("{funding_sought} must be more than zero"),
                    ));
                }
                if sectors.len() != 1 {
                    return Err(DirectoryError::invalid(
                        "sectors",
                        format!(
                            "a pilot project has exactly one sector, not {}",
                            sectors.len()
                        ),
                    ));
                }
                if regions.len() != 1 {
                    return Err(DirectoryError::invalid(
                        "regions",
                        format!(
                            "a pilot project has exactly one region, not {}",
                            regions.len()
                        ),
                    ));
                }
                Details::Project {
                    stage,
                    funding_sought,
                }
            }
        };
        Ok(Profile {
            name,
            description,
            sectors,
            services,
            regions,
            languages,
            size,
            certifications,
            details,
            verified: input.verified,
            provenance,
        })
    }
}

impl From<Profile> for ProfileInput {
    fn from(profile: Profile) -> Self {
        let code_list = |codes: Vec<&'static str>| codes.into_iter().map(str::to_owned).collect();
        let kind = profile.kind();
        let (stages, ticket_min, ticket_max, stage, funding_sought) = match &profile.details {
            Details::Investor { stages, ticket } => (
                code_list(stages.iter().map(|s| s.code()).collect()),
                Some(amount_text(ticket.min)),
                Some(amount_text(ticket.max)),
                None,
                None,
            ),
            Details::Project {
                stage,
                funding_sought,
            } => (
                Vec::new(),
                None,
                None,
                Some(stage.code().to_owned()),
                Some(amount_text(*funding_sought)),
            ),
            Details::Enterprise | Details::Provider | Details::Site => {
                (Vec::new(), None, None, None, None)
            }
        };
        ProfileInput {
            kind: kind.code().to_owned(),
            name_en: profile.name.en().to_owned(),
            name_zh: profile.name.zh().to_owned(),
            description_en: profile.description.en().to_owned(),
            description_zh: profile.description.zh().to_owned(),
            sectors: code_list(profile.sectors.iter().map(|s| s.code()).collect()),
            services: code_list(profile.services.iter().map(|s| s.code()).collect()),
            regions: code_list(profile.regions.iter().map(|s| s.code()).collect()),
            languages: code_list(profile.languages.iter().map(|s| s.code()).collect()),
            size: profile.size.map(|s| s.code().to_owned()),
            certifications: profile.certifications,
            stages,
            ticket_min,
            ticket_max,
            stage,
            funding_sought,
            verified: profile.verified,
            provenance: profile.provenance.to_string(),
        }
    }
}

/// Writes HKD cents as plain decimal text that [`Money::parse_amount`] reads back.
fn amount_text(amount: Money) -> String {
    let cents = amount.cents();
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}

fn bilingual(field: &str, en: &str, zh: &str) -> Result<BilingualText, DirectoryError> {
    if en.trim().is_empty() {
        return Err(DirectoryError::invalid(
            format!("{field}_en"),
            "must not be empty",
        ));
    }
    if zh.trim().is_empty() {
        return Err(DirectoryError::invalid(
            format!("{field}_zh"),
            "must not be empty",
        ));
    }
    BilingualText::new(en, zh).map_err(|e| DirectoryError::invalid(field, e))
}

fn codes<T: PartialEq + Copy + fmt::Display>(
    field: &str,
    texts: &[String],
    parse: impl Fn(&str) -> Result<T, crate::UnknownCode>,
) -> Result<Vec<T>, DirectoryError> {
    let mut values: Vec<T> = Vec::with_capacity(texts.len());
    for (idx, text) in texts.iter().enumerate() {
        let value =
            parse(text).map_err(|e| DirectoryError::invalid(format!("{field}[{idx}]"), e))?;
        if values.contains(&value) {
            return Err(DirectoryError::invalid(
                format!("{field}[{idx}]"),
                format!("{value:?} is listed twice", value = value.to_string()),
            ));
        }
        values.push(value);
    }
    Ok(values)
}

fn certifications(texts: &[String]) -> Result<Vec<String>, DirectoryError> {
    if texts.len() > MAX_CERTIFICATIONS {
        return Err(DirectoryError::invalid(
            "certifications",
            format!(
                "at most {MAX_CERTIFICATIONS} certifications, not {}",
                texts.len()
            ),
        ));
    }
    let mut certifications: Vec<String> = Vec::with_capacity(texts.len());
    for (idx, text) in texts.iter().enumerate() {
        let field = format!("certifications[{idx}]");
        let trimmed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if trimmed.is_empty() {
            return Err(DirectoryError::invalid(field, "must not be empty"));
        }
        if trimmed.chars().count() > MAX_CERTIFICATION_CHARS {
            return Err(DirectoryError::invalid(
                field,
                format!("{text:?} is longer than {MAX_CERTIFICATION_CHARS} characters"),
            ));
        }
        if certifications
            .iter()
            .any(|c| c.eq_ignore_ascii_case(&trimmed))
        {
            return Err(DirectoryError::invalid(
                field,
                format!("{text:?} is listed twice"),
            ));
        }
        certifications.push(trimmed);
    }
    Ok(certifications)
}

fn hkd(field: &str, text: Option<&str>) -> Result<Money, DirectoryError> {
    let Some(text) = text else {
        return Err(DirectoryError::invalid(field, "is required"));
    };
    Money::parse_amount(text, Currency::Hkd).map_err(|e| DirectoryError::invalid(field, e))
}
