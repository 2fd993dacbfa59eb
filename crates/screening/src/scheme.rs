//! Funding schemes as data: a [`Scheme`] read from TOML (format in `docs/scheme-format.md`),
//! with its eligibility [`Rule`]s, [`MatchingRatio`], cost categories, documents,
//! [`FastTrack`] criteria and application window.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::Date;
use toml::Spanned;
use vocab::{BilingualText, Currency, Money, Percent, Provenance};

use crate::code::{CostCategory, DocumentKind, RuleId, SchemeId, Sector};
use crate::error::{Location, ScreeningError};
use crate::source::Source;

/// A funding scheme: who may apply, for what, how much, and which applications may skip the
/// officer queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scheme {
    id: SchemeId,
    name: BilingualText,
    example: bool,
    source: Provenance,
    currency: Currency,
    opens: Date,
    closes: Date,
    funding_cap: Money,
    matching_ratio: MatchingRatio,
    eligible_costs: Vec<CostCategory>,
    required_documents: Vec<DocumentKind>,
    fast_track: FastTrack,
    tolerance: Tolerance,
    rules: Vec<Rule>,
}

/// How far an approved project may move its budget and milestones before a change is more than
/// routine: changes within it are marked so for the officer, who still decides every one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tolerance {
    /// The most a cost category may grow or shrink, as a share of its approved amount.
    pub budget: Percent,
    /// The most a milestone may move, in days either way.
    pub milestone_days: u32,
}

impl Default for Tolerance {
    /// Used when a scheme file gives none: 10% of a cost category and 90 days (indicative).
    fn default() -> Self {
        Tolerance {
            budget: Percent::new(10_000_000, 0).expect("10% is a whole percentage"),
            milestone_days: 90,
        }
    }
}

/// How the government's part relates to the company's: `government` parts of funding for every
/// `company` parts the company puts in, both whole numbers above zero (1:2 means the government
/// funds at most a third of the project).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MatchingRatio {
    government: u32,
    company: u32,
}

/// The criteria for the fast track, on top of "every rule passes and nothing is inconsistent".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FastTrack {
    /// The largest amount requested that may be fast-tracked.
    pub max_amount: Money,
    /// The risk score must be strictly below this.
    pub max_risk: Percent,
    /// A possible duplicate at or above this similarity sends the application to an officer.
    pub max_duplicate_similarity: Percent,
}

/// One eligibility rule: an id (unique in the scheme) and what it requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// The rule's id, e.g. `"sme"`.
    pub id: RuleId,
    /// What the rule requires, with its threshold.
    pub requirement: Requirement,
}

/// What an eligibility rule requires, with its threshold; serialised with the `kind` code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Requirement {
    /// The applicant is registered in Hong Kong.
    RegisteredInHk,
    /// The project is located in Hong Kong.
    ProjectInHk,
    /// At most `max` employees.
    MaxEmployees {
        /// The most employees allowed.
        max: u32,
    },
    /// At least `min` employees.
    MinEmployees {
        /// The fewest employees allowed.
        min: u32,
    },
    /// At least `min` full years in operation.
    MinYearsInOperation {
        /// The fewest years allowed.
        min: u32,
    },
    /// The applicant's sector is one of these.
    SectorIn {
        /// The sectors allowed.
        sectors: Vec<Sector>,
    },
    /// The applicant's sector is none of these.
    SectorNotIn {
        /// The sectors excluded.
        sectors: Vec<Sector>,
    },
    /// The amount requested is at most `max`.
    MaxAmountRequested {
        /// The largest amount allowed.
        max: Money,
    },
    /// The amount requested is at least `min`.
    MinAmountRequested {
        /// The smallest amount allowed.
        min: Money,
    },
    /// The project lasts at most `max` whole months from start to end.
    MaxProjectMonths {
        /// The longest duration allowed, in months.
        max: u32,
    },
    /// No earlier funding declared from any of these schemes.
    NoEarlierFundingFrom {
        /// The schemes whose earlier funding disqualifies.
        schemes: Vec<SchemeId>,
    },
}

/// The stable codes of the rule kinds, as written in `kind = "..."`.
pub const RULE_KINDS: [&str; 11] = [
    "registered_in_hk",
    "project_in_hk",
    "max_employees",
    "min_employees",
    "min_years_in_operation",
    "sector_in",
    "sector_not_in",
    "max_amount_requested",
    "min_amount_requested",
    "max_project_months",
    "no_earlier_funding_from",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScheme {
    id: Spanned<String>,
    name_en: Spanned<String>,
    name_zh: Spanned<String>,
    example: bool,
    source: Spanned<String>,
    #[serde(default)]
    currency: Option<Spanned<String>>,
    opens: Spanned<toml::Value>,
    closes: Spanned<toml::Value>,
    funding_cap: Spanned<toml::Value>,
    matching_ratio: Spanned<String>,
    eligible_costs: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    required_documents: Vec<Spanned<String>>,
    fast_track: Spanned<RawFastTrack>,
    #[serde(default)]
    tolerance: Option<RawTolerance>,
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTolerance {
    budget_pct: Spanned<toml::Value>,
    milestone_days: Spanned<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFastTrack {
    max_amount: Spanned<toml::Value>,
    max_risk_pct: Spanned<toml::Value>,
    max_duplicate_similarity_pct: Spanned<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    kind: Spanned<String>,
    min: Option<Spanned<toml::Value>>,
    max: Option<Spanned<toml::Value>>,
    sectors: Option<Spanned<Vec<Spanned<String>>>>,
    schemes: Option<Spanned<Vec<Spanned<String>>>>,
}

impl Scheme {
    /// Reads a scheme from TOML text (the format is in `docs/scheme-format.md`).
    ///
    /// Errors name the line and the key: TOML syntax, a missing or unknown key, an unknown rule
    /// kind, a rule missing its threshold or given one it does not use, bad money, a ratio with a
    /// zero part, a window that closes before it opens, a code used twice.
    pub fn parse(text: &str) -> Result<Scheme, ScreeningError> {
        let source = Source::new(text);
        let raw: RawScheme = source.deserialize()?;
        let id = source.code(&raw.id, "id", SchemeId::parse)?;
        let name_en = source.label(&raw.name_en, "name_en")?;
        let name_zh = source.label(&raw.name_zh, "name_zh")?;
        let name = match BilingualText::new(name_en, name_zh) {
            Ok(name) => name,
            Err(problem) => {
                return Err(ScreeningError::Vocab {
                    at: source.at(&raw.name_en, "name_en"),
                    problem,
                })
            }
        };
        let provenance = source.provenance(&raw.source, "source")?;
        let currency = match &raw.currency {
            Some(currency) => source.currency(currency, "currency")?,
            None => Currency::Hkd,
        };
        let opens = source.date(&raw.opens, "opens")?;
        let closes = source.date(&raw.closes, "closes")?;
        if closes < opens {
            return Err(source.invalid(
                &raw.closes,
                "closes",
                format!("the scheme closes on {closes} before it opens on {opens}"),
            ));
        }
        let funding_cap = source.money(&raw.funding_cap, "funding_cap", currency)?;
        let matching_ratio = match MatchingRatio::parse(raw.matching_ratio.get_ref()) {
            Ok(ratio) => ratio,
            Err(reason) => {
                return Err(source.invalid(&raw.matching_ratio, "matching_ratio", reason))
            }
        };
        if raw.eligible_costs.get_ref().is_empty() {
            return Err(source.invalid(
                &raw.eligible_costs,
                "eligible_costs",
                "must list at least one cost category".to_owned(),
            ));
        }
        let eligible_costs = code_list(
            &source,
            raw.eligible_costs.get_ref(),
            "eligible_costs",
            CostCategory::parse,
        )?;
        let required_documents = code_list(
            &source,
            &raw.required_documents,
            "required_documents",
            DocumentKind::parse,
        )?;
        let fast = raw.fast_track.get_ref();
        let fast_track = FastTrack {
            max_amount: source.money(&fast.max_amount, "max_amount", currency)?,
            max_risk: source.percent(&fast.max_risk_pct, "max_risk_pct")?,
            max_duplicate_similarity: source.percent(
                &fast.max_duplicate_similarity_pct,
                "max_duplicate_similarity_pct",
            )?,
        };
        let tolerance = match &raw.tolerance {
            Some(raw) => Tolerance {
                budget: source.percent(&raw.budget_pct, "budget_pct")?,
                milestone_days: source.count(&raw.milestone_days, "milestone_days")?,
            },
            None => Tolerance::default(),
        };
        let mut rules: Vec<Rule> = Vec::with_capacity(raw.rule.len());
        for raw_rule in &raw.rule {
            let rule = parse_rule(&source, raw_rule, currency)?;
            if rules.iter().any(|other| other.id == rule.id) {
                return Err(ScreeningError::DuplicateId {
                    at: source.at(&raw_rule.id, "id"),
                    id: rule.id.to_string(),
                });
            }
            rules.push(rule);
        }
        Ok(Scheme {
            id,
            name,
            example: raw.example,
            source: provenance,
            currency,
            opens,
            closes,
            funding_cap,
            matching_ratio,
            eligible_costs,
            required_documents,
            fast_track,
            tolerance,
            rules,
        })
    }

    /// The scheme's id, e.g. `"smart-production-line"`.
    pub fn id(&self) -> &SchemeId {
        &self.id
    }

    /// The scheme's name in English and Traditional Chinese.
    pub fn name(&self) -> &BilingualText {
        &self.name
    }

    /// Whether the figures are examples, not a real scheme's; the UI must say so.
    pub fn is_example(&self) -> bool {
        self.example
    }

    /// Where the figures come from (`"indicative"` for the shipped examples).
    pub fn source(&self) -> &Provenance {
        &self.source
    }

    /// The currency every amount of the scheme is in.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The first day applications are accepted.
    pub fn opens(&self) -> Date {
        self.opens
    }

    /// The last day applications are accepted.
    pub fn closes(&self) -> Date {
        self.closes
    }

    /// The most the scheme funds per enterprise, counting earlier funding from this scheme.
    pub fn funding_cap(&self) -> Money {
        self.funding_cap
    }

    /// The government-to-company matching ratio.
    pub fn matching_ratio(&self) -> MatchingRatio {
        self.matching_ratio
    }

    /// The cost categories the scheme pays for.
    pub fn eligible_costs(&self) -> &[CostCategory] {
        &self.eligible_costs
    }

    /// The documents every application must include.
    pub fn required_documents(&self) -> &[DocumentKind] {
        &self.required_documents
    }

    /// The fast-track criteria.
    pub fn fast_track(&self) -> &FastTrack {
        &self.fast_track
    }

    /// How far an approved project's changes may go and still count as routine.
    pub fn tolerance(&self) -> Tolerance {
        self.tolerance
    }

    /// The eligibility rules, in the order of the file.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }
}

impl MatchingRatio {
    /// A ratio of whole parts, both above zero.
    pub fn new(government: u32, company: u32) -> Result<Self, String> {
        if government == 0 || company == 0 {
            return Err(format!(
                "ratio {government}:{company} has a zero part; both parts must be at least 1"
            ));
        }
        Ok(MatchingRatio {
            government,
            company,
        })
    }

    /// Parses `"1:2"` (government : company).
    pub fn parse(text: &str) -> Result<Self, String> {
        let Some((government, company)) = text.split_once(':') else {
            return Err(format!(
                "{text:?} is not a ratio such as \"1:2\" (government:company)"
            ));
        };
        let part = |part: &str| {
            part.trim().parse::<u32>().map_err(|_| {
                format!(
                    "{text:?} is not a ratio of whole numbers such as \"1:2\" (government:company)"
                )
            })
        };
        MatchingRatio::new(part(government)?, part(company)?)
    }

    /// The government's parts.
    pub fn government(self) -> u32 {
        self.government
    }

    /// The company's parts.
    pub fn company(self) -> u32 {
        self.company
    }
}

impl fmt::Display for MatchingRatio {
    /// Writes `"1:2"`, the form [`MatchingRatio::parse`] reads.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.government, self.company)
    }
}

impl Requirement {
    /// The kind's stable code, e.g. `"max_employees"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Requirement::RegisteredInHk => "registered_in_hk",
            Requirement::ProjectInHk => "project_in_hk",
            Requirement::MaxEmployees { .. } => "max_employees",
            Requirement::MinEmployees { .. } => "min_employees",
            Requirement::MinYearsInOperation { .. } => "min_years_in_operation",
            Requirement::SectorIn { .. } => "sector_in",
            Requirement::SectorNotIn { .. } => "sector_not_in",
            Requirement::MaxAmountRequested { .. } => "max_amount_requested",
            Requirement::MinAmountRequested { .. } => "min_amount_requested",
            Requirement::MaxProjectMonths { .. } => "max_project_months",
            Requirement::NoEarlierFundingFrom { .. } => "no_earlier_funding_from",
        }
    }
}

/// Which optional keys each kind takes.
fn keys_of(kind: &str) -> &'static [&'static str] {
    match kind {
        "max_employees" | "max_amount_requested" | "max_project_months" => &["max"],
        "min_employees" | "min_years_in_operation" | "min_amount_requested" => &["min"],
        "sector_in" | "sector_not_in" => &["sectors"],
        "no_earlier_funding_from" => &["schemes"],
        _ => &[],
    }
}

fn parse_rule(
    source: &Source<'_>,
    raw: &RawRule,
    currency: Currency,
) -> Result<Rule, ScreeningError> {
    let id = source.code(&raw.id, "id", RuleId::parse)?;
    let kind = raw.kind.get_ref().trim();
    if !RULE_KINDS.contains(&kind) {
        return Err(ScreeningError::UnknownRuleKind {
            at: source.at(&raw.kind, "kind"),
            kind: raw.kind.get_ref().clone(),
            known: RULE_KINDS.join(", "),
        });
    }
    let keys = keys_of(kind);
    let given: [(&str, Option<std::ops::Range<usize>>); 4] = [
        ("min", raw.min.as_ref().map(Spanned::span)),
        ("max", raw.max.as_ref().map(Spanned::span)),
        ("sectors", raw.sectors.as_ref().map(Spanned::span)),
        ("schemes", raw.schemes.as_ref().map(Spanned::span)),
    ];
    for (key, span) in &given {
        match span {
            Some(span) if !keys.contains(key) => {
                return Err(ScreeningError::Invalid {
                    at: Location::line(source.line_of(span), key),
                    reason: format!("rule kind {kind:?} takes no `{key}`"),
                })
            }
            None if keys.contains(key) => {
                return Err(ScreeningError::Invalid {
                    at: source.at(&raw.kind, key),
                    reason: format!("rule kind {kind:?} needs `{key}`"),
                })
            }
            _ => {}
        }
    }
    // The checks above guarantee that the keys a kind needs are present.
    let missing = || ScreeningError::Internal {
        reason: "a rule key checked present is absent".to_owned(),
    };
    let requirement = match kind {
        "registered_in_hk" => Requirement::RegisteredInHk,
        "project_in_hk" => Requirement::ProjectInHk,
        "max_employees" => Requirement::MaxEmployees {
            max: source.count(raw.max.as_ref().ok_or_else(missing)?, "max")?,
        },
        "min_employees" => Requirement::MinEmployees {
            min: source.count(raw.min.as_ref().ok_or_else(missing)?, "min")?,
        },
        "min_years_in_operation" => Requirement::MinYearsInOperation {
            min: source.count(raw.min.as_ref().ok_or_else(missing)?, "min")?,
        },
        "max_project_months" => Requirement::MaxProjectMonths {
            max: source.count(raw.max.as_ref().ok_or_else(missing)?, "max")?,
        },
        "max_amount_requested" => Requirement::MaxAmountRequested {
            max: source.money(raw.max.as_ref().ok_or_else(missing)?, "max", currency)?,
        },
        "min_amount_requested" => Requirement::MinAmountRequested {
            min: source.money(raw.min.as_ref().ok_or_else(missing)?, "min", currency)?,
        },
        "sector_in" | "sector_not_in" => {
            let list = raw.sectors.as_ref().ok_or_else(missing)?;
            if list.get_ref().is_empty() {
                return Err(source.invalid(
                    list,
                    "sectors",
                    "must list at least one sector".to_owned(),
                ));
            }
            let sectors = code_list(source, list.get_ref(), "sectors", Sector::parse)?;
            if kind == "sector_in" {
                Requirement::SectorIn { sectors }
            } else {
                Requirement::SectorNotIn { sectors }
            }
        }
        "no_earlier_funding_from" => {
            let list = raw.schemes.as_ref().ok_or_else(missing)?;
            if list.get_ref().is_empty() {
                return Err(source.invalid(
                    list,
                    "schemes",
                    "must list at least one scheme".to_owned(),
                ));
            }
            Requirement::NoEarlierFundingFrom {
                schemes: code_list(source, list.get_ref(), "schemes", SchemeId::parse)?,
            }
        }
        _ => return Err(missing()),
    };
    Ok(Rule { id, requirement })
}

fn code_list<T: PartialEq>(
    source: &Source<'_>,
    raw: &[Spanned<String>],
    field: &str,
    parse: fn(&str) -> Result<T, String>,
) -> Result<Vec<T>, ScreeningError> {
    let mut codes: Vec<T> = Vec::with_capacity(raw.len());
    for value in raw {
        let code = source.code(value, field, parse)?;
        if codes.contains(&code) {
            return Err(ScreeningError::DuplicateId {
                at: source.at(value, field),
                id: value.get_ref().trim().to_owned(),
            });
        }
        codes.push(code);
    }
    Ok(codes)
}
