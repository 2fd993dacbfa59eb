//! The project profile: what is to be built and sold, read from TOML with errors that name the
//! line and key.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use toml::Spanned;
use vocab::{Currency, ManufacturingSector, Money};

use crate::decimal::{format_fixed, parse_fixed};
use crate::error::{Position, SitingError};
use crate::model::{Market, SkillLevel};

/// A project to be sited: sector, workforce, space, power, money and markets.
///
/// Built only by [`Profile::from_toml`], which checks every invariant: headcounts, area and
/// power are not negative, capex is not negative, output is above zero, the margin and the
/// discount rate are between 0 and 1, the horizon is 1 to 50 years, and the market shares add
/// up to exactly 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    name: String,
    sector: ManufacturingSector,
    headcount: [u32; 3],
    floor_area_m2: u64,
    power_kwh_per_year: u64,
    capex: Money,
    output_per_year: Money,
    profit_margin: i64,
    horizon_years: u32,
    discount_rate: i64,
    market_shares: [i64; 5],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    name: Spanned<String>,
    sector: Spanned<String>,
    headcount: Spanned<RawHeadcount>,
    floor_area_m2: Spanned<i64>,
    power_kwh_per_year: Spanned<i64>,
    capex: Spanned<String>,
    output_per_year: Spanned<String>,
    profit_margin: Spanned<String>,
    horizon_years: Spanned<i64>,
    discount_rate: Spanned<String>,
    markets: Spanned<BTreeMap<String, Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeadcount {
    operator: Spanned<i64>,
    technician: Spanned<i64>,
    engineer: Spanned<i64>,
}

impl Profile {
    /// Reads a profile from TOML:
    ///
    /// ```toml
    /// name = "EV assembly line"
    /// sector = "C36"                  # GB/T 4754 division
    /// floor_area_m2 = 30000
    /// power_kwh_per_year = 12000000
    /// capex = "800000000"             # HK$, exact decimal text
    /// output_per_year = "3000000000"  # HK$ a year
    /// profit_margin = "0.06"          # taxable profit as a share of output
    /// horizon_years = 10
    /// discount_rate = "0.08"
    ///
    /// [headcount]
    /// operator = 300
    /// technician = 80
    /// engineer = 40
    ///
    /// [markets]                       # shares of output; must add up to exactly 1
    /// hk = "0.1"
    /// mainland = "0.6"
    /// sea = "0.3"
    /// ```
    ///
    /// Markets not listed get a share of zero; the known markets are `hk`, `mainland`, `us`,
    /// `eu` and `sea`.
    pub fn from_toml(text: &str) -> Result<Profile, SitingError> {
        let source = Source { text };
        let raw: RawProfile = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(error) => return Err(source.toml_error(&error)),
        };
        let name = raw.name.get_ref().trim().to_owned();
        if name.is_empty() {
            return Err(SitingError::Invalid {
                at: source.at(&raw.name, "name"),
                reason: "must not be empty".to_owned(),
            });
        }
        let sector = match ManufacturingSector::parse(raw.sector.get_ref()) {
            Ok(sector) => sector,
            Err(problem) => {
                return Err(SitingError::Invalid {
                    at: source.at(&raw.sector, "sector"),
                    reason: problem.to_string(),
                })
            }
        };
        let mut headcount = [0_u32; 3];
        let counts = raw.headcount.get_ref();
        for (level, count) in SkillLevel::ALL.into_iter().zip([
            &counts.operator,
            &counts.technician,
            &counts.engineer,
        ]) {
            let at = source.at(count, &format!("headcount.{}", level.code()));
            let value = *count.get_ref();
            if value < 0 {
                return Err(SitingError::NegativeHeadcount { at, value });
            }
            headcount[level as usize] = match u32::try_from(value) {
                Ok(value) => value,
                Err(_) => return Err(too_large(at)),
            };
        }
        let floor_area_m2 = source.non_negative(&raw.floor_area_m2, "floor_area_m2")?;
        let power_kwh_per_year =
            source.non_negative(&raw.power_kwh_per_year, "power_kwh_per_year")?;
        let capex = source.money(&raw.capex, "capex")?;
        let output_per_year = source.money(&raw.output_per_year, "output_per_year")?;
        if output_per_year.cents() == 0 {
            return Err(SitingError::Invalid {
                at: source.at(&raw.output_per_year, "output_per_year"),
                reason: "must be above zero".to_owned(),
            });
        }
        let profit_margin = source.fraction(&raw.profit_margin, "profit_margin")?;
        let discount_rate = source.fraction(&raw.discount_rate, "discount_rate")?;
        let horizon_years = match u32::try_from(*raw.horizon_years.get_ref()) {
            Ok(years) if (1..=50).contains(&years) => years,
            _ => {
                return Err(SitingError::Invalid {
                    at: source.at(&raw.horizon_years, "horizon_years"),
                    reason: format!("{} is not 1 to 50 years", raw.horizon_years.get_ref()),
                })
            }
        };
        let mut market_shares = [0_i64; 5];
        for (key, share) in raw.markets.get_ref() {
            let field = format!("markets.{key}");
            let Some(market) = Market::parse(key) else {
                return Err(SitingError::Invalid {
                    at: source.at(share, &field),
                    reason: format!("unknown market {key:?}; known: hk, mainland, us, eu, sea"),
                });
            };
            market_shares[market as usize] = source.fraction(share, &field)?;
        }
        let sum: i64 = market_shares.iter().sum();
        if sum != 1_000_000 {
            return Err(SitingError::SharesNotOne {
                at: source.at(&raw.markets, "markets"),
                sum: format_fixed(i128::from(sum), 6),
            });
        }
        Ok(Profile {
            name,
            sector,
            headcount,
            floor_area_m2,
            power_kwh_per_year,
            capex,
            output_per_year,
            profit_margin,
            horizon_years,
            discount_rate,
            market_shares,
        })
    }

    /// The profile's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The sector (GB/T 4754 division).
    pub fn sector(&self) -> ManufacturingSector {
        self.sector
    }

    /// The headcount at a skill level.
    pub fn headcount(&self, level: SkillLevel) -> u32 {
        self.headcount[level as usize]
    }

    /// Floor area in m².
    pub fn floor_area_m2(&self) -> u64 {
        self.floor_area_m2
    }

    /// Yearly power use in kWh.
    pub fn power_kwh_per_year(&self) -> u64 {
        self.power_kwh_per_year
    }

    /// Capital expenditure, spent at the start, in HK$.
    pub fn capex(&self) -> Money {
        self.capex
    }

    /// Yearly output value, in HK$.
    pub fn output_per_year(&self) -> Money {
        self.output_per_year
    }

    /// Taxable profit as a share of output, in millionths.
    pub fn profit_margin_millionths(&self) -> i64 {
        self.profit_margin
    }

    /// The horizon in years.
    pub fn horizon_years(&self) -> u32 {
        self.horizon_years
    }

    /// The yearly discount rate, in millionths.
    pub fn discount_rate_millionths(&self) -> i64 {
        self.discount_rate
    }

    /// The share of output sold in a market, in millionths; the shares add up to 1,000,000.
    pub fn market_share_millionths(&self, market: Market) -> i64 {
        self.market_shares[market as usize]
    }
}

fn too_large(at: Position) -> SitingError {
    SitingError::Invalid {
        at,
        reason: "too large".to_owned(),
    }
}

/// A TOML text being read, for turning spans into lines.
struct Source<'a> {
    text: &'a str,
}

impl Source<'_> {
    fn line_of(&self, span: &Range<usize>) -> usize {
        let end = span.start.min(self.text.len());
        1 + self.text.as_bytes()[..end]
            .iter()
            .filter(|byte| **byte == b'\n')
            .count()
    }

    fn at<T>(&self, value: &Spanned<T>, field: &str) -> Position {
        Position::line(self.line_of(&value.span()), field)
    }

    fn non_negative(&self, value: &Spanned<i64>, field: &str) -> Result<u64, SitingError> {
        match u64::try_from(*value.get_ref()) {
            Ok(value) => Ok(value),
            Err(_) => Err(SitingError::Invalid {
                at: self.at(value, field),
                reason: format!("{} must not be negative", value.get_ref()),
            }),
        }
    }

    fn money(&self, value: &Spanned<String>, field: &str) -> Result<Money, SitingError> {
        let at = self.at(value, field);
        match Money::parse_amount(value.get_ref(), Currency::Hkd) {
            Ok(money) if money.is_negative() => Err(SitingError::Invalid {
                at,
                reason: format!("{:?} must not be negative", value.get_ref()),
            }),
            Ok(money) => Ok(money),
            Err(problem) => Err(SitingError::Invalid {
                at,
                reason: problem.to_string(),
            }),
        }
    }

    /// An exact decimal from 0 to 1 with up to 6 decimals, in millionths.
    fn fraction(&self, value: &Spanned<String>, field: &str) -> Result<i64, SitingError> {
        let at = self.at(value, field);
        match parse_fixed(value.get_ref(), 6) {
            Ok(millionths) if millionths <= 1_000_000 => Ok(millionths),
            Ok(_) => Err(SitingError::Invalid {
                at,
                reason: format!("{:?} must be between 0 and 1", value.get_ref()),
            }),
            Err(reason) => Err(SitingError::Invalid { at, reason }),
        }
    }

    fn toml_error(&self, error: &toml::de::Error) -> SitingError {
        let message = error.message().trim_end().trim_end_matches('.');
        let line = error.span().map_or(1, |span| self.line_of(&span));
        let field = field_named_in(message)
            .or_else(|| self.key_on_line(line))
            .unwrap_or_else(|| "document".to_owned());
        SitingError::Toml {
            at: Position::line(line, &field),
            reason: message.to_owned(),
        }
    }

    /// The key assigned on a line, e.g. `operator` in `operator = -3`.
    fn key_on_line(&self, line: usize) -> Option<String> {
        let text = self.text.lines().nth(line.checked_sub(1)?)?;
        let (key, _) = text.split_once('=')?;
        let key = key.trim().trim_matches('"');
        (!key.is_empty() && !key.starts_with('[')).then(|| key.to_owned())
    }
}

/// The field a serde message names: "missing field `capex`", "unknown field `foo`".
fn field_named_in(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_owned())
}
