//! Location data: the candidate locations and their indicators, read from two CSV texts (the
//! shipped ones are embedded in the crate).

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use serde::Serialize;
use vocab::{Currency, Money, Percent, Provenance};

use crate::decimal::parse_fixed;
use crate::error::{Position, SitingError};
use crate::model::{Market, SkillLevel};

/// The file name errors in the names CSV carry.
pub const NAMES_FILE: &str = "location_names.csv";
/// The file name errors in the indicators CSV carry.
pub const INDICATORS_FILE: &str = "locations.csv";

const SHIPPED_NAMES: &str = include_str!("../data/location_names.csv");
const SHIPPED_INDICATORS: &str = include_str!("../data/locations.csv");

const NAMES_HEADER: [&str; 7] = [
    "code", "name_en", "name_zh", "country", "lat", "lon", "kind",
];
const INDICATORS_HEADER: [&str; 7] = [
    "location",
    "indicator",
    "value",
    "unit",
    "year",
    "source",
    "note",
];

/// A set of candidate locations with their indicators: the shipped dataset or one a user
/// imported.
#[derive(Debug, Clone, Serialize)]
pub struct LocationData {
    name: String,
    locations: Vec<Location>,
    #[serde(skip)]
    index: HashMap<String, usize>,
}

/// A candidate location: its names, place, and every indicator with its source.
#[derive(Debug, Clone, Serialize)]
pub struct Location {
    /// The code, a lowercase slug such as `"cn-shenzhen"`.
    pub code: String,
    /// The English name.
    pub name_en: String,
    /// The Traditional Chinese name.
    pub name_zh: String,
    /// The ISO 3166-1 alpha-2 country code, e.g. `"HK"`.
    pub country: String,
    /// Latitude in degrees (approximate).
    pub lat: f64,
    /// Longitude in degrees (approximate).
    pub lon: f64,
    /// A free grouping such as `"hk-site"`, `"gba-city"`, `"asean"`.
    pub kind: String,
    /// The indicators the costing and the ranking use, parsed exactly.
    pub indicators: Indicators,
    /// The indicator rows as read, with unit, year, source and note, in file order.
    pub rows: Vec<IndicatorRow>,
}

/// The parsed indicators of one location; every value is exact and not negative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indicators {
    /// HK$ per unit of the local currency, in billionths (7.8 is 7,800,000,000).
    pub fx_hkd_billionths: i64,
    /// Monthly wage in the local currency's cents, by [`SkillLevel`] in [`SkillLevel::ALL`] order.
    pub wage_local_cents: [i64; 3],
    /// Industrial rent in HK$ cents per m² per month.
    pub rent_cents: i64,
    /// Electricity in HK$ cents per kWh.
    pub electricity_cents: i64,
    /// Profits tax rate in millionths of a percentage point (16.5% is 16,500,000).
    pub profits_tax: i64,
    /// Capital grant: HK$ the government adds per HK$ the company spends, in millionths
    /// (the 1:2 matching grant is 500,000).
    pub grant_match: i64,
    /// The most the grant pays, in HK$ cents.
    pub grant_cap_cents: i64,
    /// Freight as millionths of a percentage point of the value shipped, by [`Market`].
    pub freight: [i64; 5],
    /// Tariff (ad valorem) in millionths of a percentage point, by [`Market`].
    pub tariff: [i64; 5],
    /// Skilled-labour availability, 1 to 5, in millionths.
    pub skilled_labour: i64,
    /// Geopolitical exposure, 1 to 5, in millionths.
    pub geopolitical_exposure: i64,
    /// Approval lead time in months, in millionths.
    pub approval_months: i64,
    /// IP protection, 1 to 5, in millionths.
    pub ip_protection: i64,
}

/// One indicator row as read, for showing the unit, year, source and note next to the number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorRow {
    /// The indicator, e.g. `"wage_operator"`.
    pub indicator: String,
    /// The value as written.
    pub value: String,
    /// The unit as written, e.g. `"CNY/month"`.
    pub unit: String,
    /// The year the value refers to.
    pub year: i32,
    /// Where the value comes from.
    pub source: Provenance,
    /// A note, e.g. why the value is indicative.
    pub note: String,
    /// The 1-based line in the indicators file.
    pub line: usize,
}

/// The candidates a ranking covers, checked against a dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidates {
    indices: Vec<usize>,
}

/// How an indicator's value is written.
#[derive(Clone, Copy)]
enum Kind {
    /// A rate with up to 9 decimals, above zero.
    Fx,
    /// An amount of money with up to 2 decimals (local currency or HK$).
    Amount,
    /// A percentage, 0 to 100.
    Percent,
    /// A plain decimal with up to 6 decimals.
    Ratio,
    /// A score from 1 to 5 with up to 6 decimals.
    Score,
}

/// Every indicator a location must have, and how it is written.
const INDICATORS: [(&str, Kind); 23] = [
    ("fx_hkd", Kind::Fx),
    ("wage_operator", Kind::Amount),
    ("wage_technician", Kind::Amount),
    ("wage_engineer", Kind::Amount),
    ("rent", Kind::Amount),
    ("electricity", Kind::Amount),
    ("profits_tax", Kind::Percent),
    ("grant_match", Kind::Ratio),
    ("grant_cap", Kind::Amount),
    ("freight_hk", Kind::Percent),
    ("freight_mainland", Kind::Percent),
    ("freight_us", Kind::Percent),
    ("freight_eu", Kind::Percent),
    ("freight_sea", Kind::Percent),
    ("tariff_hk", Kind::Percent),
    ("tariff_mainland", Kind::Percent),
    ("tariff_us", Kind::Percent),
    ("tariff_eu", Kind::Percent),
    ("tariff_sea", Kind::Percent),
    ("skilled_labour", Kind::Score),
    ("geopolitical_exposure", Kind::Score),
    ("approval_months", Kind::Ratio),
    ("ip_protection", Kind::Score),
];

impl LocationData {
    /// The shipped dataset, named `"shipped"`: every value is indicative (see the crate's
    /// `data/README.md`).
    pub fn shipped() -> LocationData {
        match LocationData::from_csv(SHIPPED_NAMES.as_bytes(), SHIPPED_INDICATORS.as_bytes()) {
            Ok(data) => data.renamed("shipped".to_owned()),
            // The shipped files are checked by the tests, so this cannot happen in a release.
            Err(error) => panic!("the shipped location data is invalid: {error}"),
        }
    }

    /// Reads a dataset, named `"imported"`, from the names CSV
    /// (`code,name_en,name_zh,country,lat,lon,kind`) and the indicators CSV in long format
    /// (`location,indicator,value,unit,year,source,note`).
    ///
    /// Reading is all or nothing: the first bad cell is an error naming the file, line and
    /// field. Every location needs every indicator once; an indicator for a location the names
    /// file lacks is [`SitingError::UnknownLocation`].
    pub fn from_csv(names: impl Read, indicators: impl Read) -> Result<LocationData, SitingError> {
        let mut locations = Vec::new();
        let mut index = HashMap::new();
        for record in read_records(names, NAMES_FILE, &NAMES_HEADER)? {
            let (line, cells) = record?;
            let at = |field: &str| Position::csv(NAMES_FILE, line, field);
            let code = cells[0].clone();
            check_code(&code, at("code"))?;
            for (field, text) in [("name_en", &cells[1]), ("name_zh", &cells[2])] {
                if text.is_empty() {
                    return Err(invalid_csv(at(field), "must not be empty"));
                }
            }
            let country = cells[3].clone();
            if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(invalid_csv(
                    at("country"),
                    &format!("{country:?} is not a two-letter country code like HK"),
                ));
            }
            let lat = parse_coordinate(&cells[4], 90.0, at("lat"))?;
            let lon = parse_coordinate(&cells[5], 180.0, at("lon"))?;
            if index.insert(code.clone(), locations.len()).is_some() {
                return Err(invalid_csv(
                    at("code"),
                    &format!("location {code:?} appears twice"),
                ));
            }
            locations.push(Location {
                code,
                name_en: cells[1].clone(),
                name_zh: cells[2].clone(),
                country,
                lat,
                lon,
                kind: cells[6].clone(),
                indicators: Indicators::zero(),
                rows: Vec::new(),
            });
        }
        let mut seen: Vec<BTreeMap<&'static str, usize>> = vec![BTreeMap::new(); locations.len()];
        for record in read_records(indicators, INDICATORS_FILE, &INDICATORS_HEADER)? {
            let (line, cells) = record?;
            let at = |field: &str| Position::csv(INDICATORS_FILE, line, field);
            let Some(&location_idx) = index.get(&cells[0]) else {
                return Err(SitingError::UnknownLocation {
                    at: at("location"),
                    code: cells[0].clone(),
                });
            };
            let Some(&(indicator, kind)) = INDICATORS.iter().find(|(name, _)| *name == cells[1])
            else {
                let known: Vec<&str> = INDICATORS.iter().map(|(name, _)| *name).collect();
                return Err(invalid_csv(
                    at("indicator"),
                    &format!(
                        "unknown indicator {:?}; known: {}",
                        cells[1],
                        known.join(", ")
                    ),
                ));
            };
            if let Some(first) = seen[location_idx].insert(indicator, line) {
                return Err(invalid_csv(
                    at("indicator"),
                    &format!(
                        "indicator {indicator:?} for {:?} appears twice (first on line {first})",
                        cells[0]
                    ),
                ));
            }
            let value = parse_value(&cells[2], kind, at("value"))?;
            let year = match cells[4].parse::<i32>() {
                Ok(year) if (1900..=2100).contains(&year) => year,
                _ => {
                    return Err(invalid_csv(
                        at("year"),
                        &format!("{:?} is not a year between 1900 and 2100", cells[4]),
                    ))
                }
            };
            let source = match Provenance::parse(&cells[5]) {
                Ok(source) => source,
                Err(problem) => return Err(invalid_csv(at("source"), &problem.to_string())),
            };
            let location = &mut locations[location_idx];
            location.indicators.set(indicator, value);
            location.rows.push(IndicatorRow {
                indicator: indicator.to_owned(),
                value: cells[2].clone(),
                unit: cells[3].clone(),
                year,
                source,
                note: cells[6].clone(),
                line,
            });
        }
        for (location, seen) in locations.iter().zip(&seen) {
            if let Some((missing, _)) = INDICATORS.iter().find(|(name, _)| !seen.contains_key(name))
            {
                return Err(SitingError::MissingIndicator {
                    at: Position {
                        file: Some(INDICATORS_FILE.to_owned()),
                        line: None,
                        field: "indicator".to_owned(),
                    },
                    code: location.code.clone(),
                    indicator: (*missing).to_owned(),
                });
            }
        }
        Ok(LocationData {
            name: "imported".to_owned(),
            locations,
            index,
        })
    }

    /// The same data under another name, e.g. the name a user gave an imported dataset.
    pub fn renamed(self, name: String) -> LocationData {
        LocationData { name, ..self }
    }

    /// The dataset's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Every location, in file order.
    pub fn locations(&self) -> &[Location] {
        &self.locations
    }

    /// The location with this code, if any.
    pub fn get(&self, code: &str) -> Option<&Location> {
        self.index.get(code).map(|idx| &self.locations[*idx])
    }

    /// Every location as candidates, in file order.
    pub fn all_candidates(&self) -> Candidates {
        Candidates {
            indices: (0..self.locations.len()).collect(),
        }
    }

    /// The named locations as candidates, in the order given; an unknown code is
    /// [`SitingError::UnknownLocation`] naming `candidates[i]`, and an empty list or a code
    /// given twice is [`SitingError::Invalid`].
    pub fn candidates(&self, codes: &[&str]) -> Result<Candidates, SitingError> {
        if codes.is_empty() {
            return Err(SitingError::Invalid {
                at: Position::field("candidates"),
                reason: "choose at least one location".to_owned(),
            });
        }
        let mut indices = Vec::with_capacity(codes.len());
        for (i, code) in codes.iter().enumerate() {
            let at = Position::field(&format!("candidates[{i}]"));
            let Some(&idx) = self.index.get(code.trim()) else {
                return Err(SitingError::UnknownLocation {
                    at,
                    code: (*code).to_owned(),
                });
            };
            if indices.contains(&idx) {
                return Err(SitingError::Invalid {
                    at,
                    reason: format!("location {code:?} is listed twice"),
                });
            }
            indices.push(idx);
        }
        Ok(Candidates { indices })
    }

    pub(crate) fn pick(&self, candidates: &Candidates) -> Vec<&Location> {
        candidates
            .indices
            .iter()
            .map(|idx| &self.locations[*idx])
            .collect()
    }
}

impl Location {
    /// Whether any of the location's values is indicative (or synthetic) rather than published.
    pub fn is_indicative(&self) -> bool {
        self.rows
            .iter()
            .any(|row| !matches!(row.source, Provenance::Published { .. }))
    }
}

impl Candidates {
    /// How many candidates there are.
    pub fn len(&self) -> usize {
        self.indices.len()
    }

    /// Whether there are none (never, for candidates built by [`LocationData`]).
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }
}

impl Indicators {
    fn zero() -> Indicators {
        Indicators {
            fx_hkd_billionths: 0,
            wage_local_cents: [0; 3],
            rent_cents: 0,
            electricity_cents: 0,
            profits_tax: 0,
            grant_match: 0,
            grant_cap_cents: 0,
            freight: [0; 5],
            tariff: [0; 5],
            skilled_labour: 0,
            geopolitical_exposure: 0,
            approval_months: 0,
            ip_protection: 0,
        }
    }

    /// The monthly wage at a skill level, in the local currency's cents.
    pub fn wage_local(&self, level: SkillLevel) -> i64 {
        self.wage_local_cents[level as usize]
    }

    fn set(&mut self, indicator: &str, value: i64) {
        let market = |prefix: &str| {
            indicator
                .strip_prefix(prefix)
                .and_then(Market::parse)
                .map(|market| market as usize)
        };
        match indicator {
            "fx_hkd" => self.fx_hkd_billionths = value,
            "wage_operator" => self.wage_local_cents[SkillLevel::Operator as usize] = value,
            "wage_technician" => self.wage_local_cents[SkillLevel::Technician as usize] = value,
            "wage_engineer" => self.wage_local_cents[SkillLevel::Engineer as usize] = value,
            "rent" => self.rent_cents = value,
            "electricity" => self.electricity_cents = value,
            "profits_tax" => self.profits_tax = value,
            "grant_match" => self.grant_match = value,
            "grant_cap" => self.grant_cap_cents = value,
            "skilled_labour" => self.skilled_labour = value,
            "geopolitical_exposure" => self.geopolitical_exposure = value,
            "approval_months" => self.approval_months = value,
            "ip_protection" => self.ip_protection = value,
            _ => {
                if let Some(idx) = market("freight_") {
                    self.freight[idx] = value;
                } else if let Some(idx) = market("tariff_") {
                    self.tariff[idx] = value;
                }
            }
        }
    }
}

type Record = Result<(usize, Vec<String>), SitingError>;

/// Reads a CSV text with exactly the expected header, yielding each record's 1-based line and
/// trimmed cells.
fn read_records(
    reader: impl Read,
    file: &'static str,
    header: &'static [&'static str],
) -> Result<impl Iterator<Item = Record>, SitingError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let found = match reader.headers() {
        Ok(found) => found.clone(),
        Err(error) => return Err(csv_error(file, &error)),
    };
    if found.iter().ne(header.iter().copied()) {
        return Err(invalid_csv(
            Position::csv(file, 1, "header"),
            &format!(
                "expected the header {:?}, found {:?}",
                header.join(","),
                found.iter().collect::<Vec<_>>().join(",")
            ),
        ));
    }
    Ok(reader.into_records().map(move |record| match record {
        Ok(record) => {
            let line = record
                .position()
                .map_or(0, |position| position.line() as usize);
            Ok((line, record.iter().map(str::to_owned).collect()))
        }
        Err(error) => Err(csv_error(file, &error)),
    }))
}

fn csv_error(file: &str, error: &csv::Error) -> SitingError {
    let line = error
        .position()
        .map_or(1, |position| position.line() as usize);
    let reason = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} cells, found {len}"),
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".to_owned(),
        _ => error.to_string(),
    };
    invalid_csv(Position::csv(file, line, "record"), &reason)
}

fn invalid_csv(at: Position, reason: &str) -> SitingError {
    SitingError::Csv {
        at,
        reason: reason.to_owned(),
    }
}

fn check_code(code: &str, at: Position) -> Result<(), SitingError> {
    let ok = !code.is_empty()
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !code.starts_with('-')
        && !code.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(invalid_csv(
            at,
            &format!("{code:?} is not a code (lowercase letters, digits and dashes)"),
        ))
    }
}

fn parse_coordinate(text: &str, limit: f64, at: Position) -> Result<f64, SitingError> {
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() && value.abs() <= limit => Ok(value),
        _ => Err(invalid_csv(
            at,
            &format!("{text:?} is not a coordinate between -{limit} and {limit}"),
        )),
    }
}

fn parse_value(text: &str, kind: Kind, at: Position) -> Result<i64, SitingError> {
    let result = match kind {
        Kind::Fx => parse_fixed(text, 9).and_then(|value| {
            if value == 0 {
                Err("an exchange rate must be above zero".to_owned())
            } else {
                Ok(value)
            }
        }),
        // Local currencies such as VND have no vocabulary type; the amount is parsed as exactly
        // as HK$ and its cents are taken as the local currency's hundredths.
        Kind::Amount => match Money::parse_amount(text, Currency::Hkd) {
            Ok(money) if money.is_negative() => Err(format!("{text:?} must not be negative")),
            Ok(money) => Ok(money.cents()),
            Err(problem) => Err(problem.to_string()),
        },
        Kind::Percent => match Percent::parse(text) {
            Ok(percent) if !(0..=100_000_000).contains(&percent.millionths()) => {
                Err(format!("{text:?} must be between 0 and 100"))
            }
            Ok(percent) => Ok(percent.millionths()),
            Err(problem) => Err(problem.to_string()),
        },
        Kind::Ratio => parse_fixed(text, 6),
        Kind::Score => parse_fixed(text, 6).and_then(|value| {
            if (1_000_000..=5_000_000).contains(&value) {
                Ok(value)
            } else {
                Err(format!("{text:?} must be a score from 1 to 5"))
            }
        }),
    };
    result.map_err(|reason| invalid_csv(at, &reason))
}
