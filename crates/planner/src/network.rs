//! The production network model: products, candidate plants with capacity options, markets
//! with demand, lanes with freight, tariffs by origin country and market, policy constraints
//! and named scenarios. [`NetworkModel::from_json`] reads the documented JSON format (see
//! `docs/network-model.md`) and checks every cross-reference, naming the field at fault.
//!
//! Money is [`Money`] in HK$ (integer cents), rates are exact [`Percent`]s and volumes whole
//! units a year, so the landed cost of a plan is computed exactly after the solver has chosen it.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use vocab::{Coordinates, CountryCode, Currency, Money, Percent};

use crate::PlannerError;

/// A product the network makes; its value is the base of ad valorem tariffs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Product {
    /// Stable code, e.g. `"controller"`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Customs value of one unit (HK$), on which ad valorem tariffs are charged.
    pub unit_value: Money,
}

/// Whether the planner may decide a plant's fate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlantStatus {
    /// The planner opens it (with one of its options) or not.
    Candidate,
    /// It must be open with one of its options.
    ForcedOpen,
    /// It must stay closed (for example a plant lost in a scenario).
    ForcedClosed,
}

/// One way to build a plant: a yearly capacity for a fixed yearly cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapacityOption {
    /// Stable code within the plant, e.g. `"small"`.
    pub code: String,
    /// Units a year, over all products.
    pub capacity: u64,
    /// Fixed cost a year of running the plant at this size (HK$).
    pub fixed_cost: Money,
}

/// A candidate plant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plant {
    /// Stable code, e.g. `"dongguan"`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// The country of origin of what it makes (tariffs follow it).
    pub country: CountryCode,
    /// The site finder's location code, when the plant is one of its candidates.
    pub location: Option<String>,
    /// Where it is, for the map.
    pub coordinates: Option<Coordinates>,
    /// The sizes it can be built at; at most one is chosen.
    pub options: Vec<CapacityOption>,
    /// Production cost of one unit of each product (HK$), in the model's product order.
    pub production_cost: Vec<Money>,
    /// Whether the planner decides, or the plant is forced open or closed.
    pub status: PlantStatus,
}

/// A market and its yearly demand.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Market {
    /// Stable code, e.g. `"us"`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Where it is, for the map.
    pub coordinates: Option<Coordinates>,
    /// Units a year of each product, in the model's product order.
    pub demand: Vec<u64>,
}

/// A plant can ship to a market at this freight cost per unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lane {
    /// Index into [`NetworkModel::plants`].
    pub plant: usize,
    /// Index into [`NetworkModel::markets`].
    pub market: usize,
    /// Freight, insurance and handling of one unit (HK$).
    pub freight: Money,
}

/// An ad valorem tariff on goods of one origin entering one market.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tariff {
    /// Country of origin of the goods.
    pub origin: CountryCode,
    /// Index into [`NetworkModel::markets`].
    pub market: usize,
    /// Index into [`NetworkModel::products`]; `None` applies to every product without a
    /// product-specific rate.
    pub product: Option<usize>,
    /// Percentage of the unit value.
    pub rate: Percent,
}

/// The "China+N" rules a plan must respect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    /// At most this share of all units may come from plants in any one country.
    pub max_country_share: Option<Percent>,
    /// At least this many countries must have an open plant.
    pub min_countries: Option<u32>,
    /// Each market's demand for a product comes from exactly one plant.
    pub single_sourcing: bool,
}

/// One named change to the base model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// Tariff on goods of `origin` into `market` up (or down) by `add_points` percentage points.
    Tariff {
        /// Country of origin.
        origin: CountryCode,
        /// Market code.
        market: String,
        /// Product code; all products when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        product: Option<String>,
        /// Percentage points added to the current rate (may be negative; the rate stays >= 0).
        add_points: Percent,
    },
    /// No goods of `origin` may enter `market` (every lane from its plants to it is removed).
    CloseBorder {
        /// Country of origin.
        origin: CountryCode,
        /// Market code.
        market: String,
    },
    /// A market's demand changes by `percent` (30 means up 30%), rounded half to even.
    Demand {
        /// Market code.
        market: String,
        /// Product code; all products when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        product: Option<String>,
        /// Change in percent; -100 removes the demand.
        percent: Percent,
    },
    /// A plant is lost: it must stay closed.
    LosePlant {
        /// Plant code.
        plant: String,
    },
    /// A plant must be open.
    ForceOpen {
        /// Plant code.
        plant: String,
    },
    /// Replace the largest share of units any one country may supply (`None` lifts the cap).
    MaxCountryShare {
        /// The new cap.
        share: Option<Percent>,
    },
    /// Replace the least number of countries with an open plant (`None` lifts the rule).
    MinCountries {
        /// The new minimum.
        count: Option<u32>,
    },
}

/// A named set of changes, applied in order to the base model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Stable name, e.g. `"us-tariff-shock"`.
    pub name: String,
    /// What it is about, for people.
    #[serde(default)]
    pub description: String,
    /// The changes.
    pub changes: Vec<Change>,
}

/// A validated production network. Fields are read through getters; scenarios are applied
/// with [`NetworkModel::with_scenario`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkModel {
    name: String,
    source: String,
    products: Vec<Product>,
    plants: Vec<Plant>,
    markets: Vec<Market>,
    lanes: Vec<Lane>,
    tariffs: Vec<Tariff>,
    policy: Policy,
    scenarios: Vec<Scenario>,
}

impl NetworkModel {
    /// Reads a model from its JSON form (`docs/network-model.md`).
    ///
    /// # Errors
    /// - [`PlannerError::Parse`] for malformed JSON, with its line;
    /// - [`PlannerError::InvalidModel`] naming the field (e.g. `markets[2].demand.controller`)
    ///   for a negative or missing number, an unknown code, a duplicate, or a scenario change
    ///   that refers to nothing.
    pub fn from_json(text: &str) -> Result<Self, PlannerError> {
        let raw: RawModel = serde_json::from_str(text).map_err(|e| PlannerError::Parse {
            line: e.line(),
            message: e.to_string(),
        })?;
        raw.validate()
    }

    /// The model in its JSON file format (pretty-printed), so a model built here (say from
    /// the site finder) can be saved, edited and read back by [`NetworkModel::from_json`].
    pub fn to_json(&self) -> String {
        let money = |m: vocab::Money| {
            serde_json::Value::String(format!("{}.{:02}", m.cents() / 100, m.cents() % 100))
        };
        let products = self.products();
        let value = serde_json::json!({
            "name": self.name(),
            "source": self.source(),
            "currency": "HKD",
            "products": products.iter().map(|p| serde_json::json!({
                "code": p.code, "name": p.name, "unit_value": money(p.unit_value),
            })).collect::<Vec<_>>(),
            "plants": self.plants().iter().map(|p| {
                let mut plant = serde_json::json!({
                    "code": p.code, "name": p.name, "country": p.country.to_string(),
                    "options": p.options.iter().map(|o| serde_json::json!({
                        "code": o.code, "capacity": o.capacity, "fixed_cost": money(o.fixed_cost),
                    })).collect::<Vec<_>>(),
                    "production_cost": products.iter().zip(&p.production_cost)
                        .map(|(product, cost)| (product.code.clone(), money(*cost)))
                        .collect::<serde_json::Map<_, _>>(),
                });
                if let Some(location) = &p.location {
                    plant["location"] = location.clone().into();
                }
                if let Some(c) = p.coordinates {
                    plant["lat"] = c.lat().into();
                    plant["lon"] = c.lon().into();
                }
                plant
            }).collect::<Vec<_>>(),
            "markets": self.markets().iter().map(|m| {
                let mut market = serde_json::json!({
                    "code": m.code, "name": m.name,
                    "demand": products.iter().zip(&m.demand)
                        .map(|(product, units)| (product.code.clone(), serde_json::Value::from(*units)))
                        .collect::<serde_json::Map<_, _>>(),
                });
                if let Some(c) = m.coordinates {
                    market["lat"] = c.lat().into();
                    market["lon"] = c.lon().into();
                }
                market
            }).collect::<Vec<_>>(),
            "lanes": self.lanes().iter().map(|l| serde_json::json!({
                "from": self.plants()[l.plant].code, "to": self.markets()[l.market].code,
                "freight": money(l.freight),
            })).collect::<Vec<_>>(),
            "tariffs": self.tariffs().iter().map(|t| {
                let mut tariff = serde_json::json!({
                    "origin": t.origin.to_string(), "market": self.markets()[t.market].code,
                    "rate": t.rate.to_string(),
                });
                if let Some(k) = t.product {
                    tariff["product"] = products[k].code.clone().into();
                }
                tariff
            }).collect::<Vec<_>>(),
            "policy": {
                "max_country_share": self.policy().max_country_share.map(|s| s.to_string()),
                "min_countries": self.policy().min_countries,
                "single_sourcing": self.policy().single_sourcing,
            },
            "scenarios": self.scenarios(),
        });
        // Serialising a `Value` cannot fail.
        serde_json::to_string_pretty(&value).unwrap_or_default()
    }

    /// The model's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where its numbers come from: `published: ...`, `indicative` or `synthetic`.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The products, in model order.
    pub fn products(&self) -> &[Product] {
        &self.products
    }

    /// The candidate plants, in model order.
    pub fn plants(&self) -> &[Plant] {
        &self.plants
    }

    /// The markets, in model order.
    pub fn markets(&self) -> &[Market] {
        &self.markets
    }

    /// The lanes plants can ship on.
    pub fn lanes(&self) -> &[Lane] {
        &self.lanes
    }

    /// The tariffs (origin, market, optional product, rate).
    pub fn tariffs(&self) -> &[Tariff] {
        &self.tariffs
    }

    /// The policy rules.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The named scenarios.
    pub fn scenarios(&self) -> &[Scenario] {
        &self.scenarios
    }

    /// Finds a scenario by name.
    pub fn scenario(&self, name: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.name == name)
    }

    /// The tariff rate on `product` from `origin` into `market`: the product's own rate if one
    /// is given, else the all-products rate, else zero.
    pub fn tariff_rate(&self, origin: CountryCode, market: usize, product: usize) -> Percent {
        let matching = |p: Option<usize>| {
            self.tariffs
                .iter()
                .find(|t| t.origin == origin && t.market == market && t.product == p)
                .map(|t| t.rate)
        };
        matching(Some(product))
            .or_else(|| matching(None))
            .unwrap_or(Percent::ZERO)
    }

    /// Total demand over all markets and products, in units.
    pub fn total_demand(&self) -> u64 {
        self.markets.iter().flat_map(|m| &m.demand).sum()
    }

    /// The model with `scenario`'s changes applied in order (the scenario list is kept).
    ///
    /// # Errors
    /// [`PlannerError::InvalidModel`] when a change names a market, product or plant the model
    /// does not have, or makes a demand or rate negative.
    pub fn with_scenario(&self, scenario: &Scenario) -> Result<Self, PlannerError> {
        let mut model = self.clone();
        for (k, change) in scenario.changes.iter().enumerate() {
            let path = format!("scenarios[{}].changes[{k}]", scenario.name);
            model.apply(change, &path)?;
        }
        Ok(model)
    }

    fn market_index(&self, code: &str, path: &str) -> Result<usize, PlannerError> {
        self.markets
            .iter()
            .position(|m| m.code == code)
            .ok_or_else(|| invalid(path, format!("no market `{code}`")))
    }

    fn product_index(&self, code: &str, path: &str) -> Result<usize, PlannerError> {
        self.products
            .iter()
            .position(|p| p.code == code)
            .ok_or_else(|| invalid(path, format!("no product `{code}`")))
    }

    fn plant_index(&self, code: &str, path: &str) -> Result<usize, PlannerError> {
        self.plants
            .iter()
            .position(|p| p.code == code)
            .ok_or_else(|| invalid(path, format!("no plant `{code}`")))
    }

    fn apply(&mut self, change: &Change, path: &str) -> Result<(), PlannerError> {
        match change {
            Change::Tariff {
                origin,
                market,
                product,
                add_points,
            } => {
                let market = self.market_index(market, &format!("{path}.market"))?;
                let products: Vec<usize> = match product {
                    Some(code) => vec![self.product_index(code, &format!("{path}.product"))?],
                    None => (0..self.products.len()).collect(),
                };
                for product in products {
                    let old = self.tariff_rate(*origin, market, product);
                    let new = old.millionths() + add_points.millionths();
                    if new < 0 {
                        return Err(invalid(
                            &format!("{path}.add_points"),
                            format!("the rate would fall below zero (from {old}%)"),
                        ));
                    }
                    let decimals = old.decimals().max(add_points.decimals());
                    let rate = Percent::new(new, decimals)
                        .map_err(|e| invalid(&format!("{path}.add_points"), e.to_string()))?;
                    self.tariffs.retain(|t| {
                        !(t.origin == *origin && t.market == market && t.product == Some(product))
                    });
                    self.tariffs.push(Tariff {
                        origin: *origin,
                        market,
                        product: Some(product),
                        rate,
                    });
                }
            }
            Change::CloseBorder { origin, market } => {
                let market = self.market_index(market, &format!("{path}.market"))?;
                let plants = &self.plants;
                self.lanes
                    .retain(|l| !(l.market == market && plants[l.plant].country == *origin));
            }
            Change::Demand {
                market,
                product,
                percent,
            } => {
                let market = self.market_index(market, &format!("{path}.market"))?;
                let products: Vec<usize> = match product {
                    Some(code) => vec![self.product_index(code, &format!("{path}.product"))?],
                    None => (0..self.products.len()).collect(),
                };
                let factor = i128::from(percent.millionths()) + 100_000_000;
                if factor < 0 {
                    return Err(invalid(
                        &format!("{path}.percent"),
                        format!("{percent}% would make demand negative"),
                    ));
                }
                for product in products {
                    let demand = &mut self.markets[market].demand[product];
                    let scaled = round_half_even_div(i128::from(*demand) * factor, 100_000_000);
                    *demand = u64::try_from(scaled)
                        .map_err(|_| invalid(&format!("{path}.percent"), "too large".into()))?;
                }
            }
            Change::LosePlant { plant } => {
                let plant = self.plant_index(plant, &format!("{path}.plant"))?;
                self.plants[plant].status = PlantStatus::ForcedClosed;
            }
            Change::ForceOpen { plant } => {
                let plant = self.plant_index(plant, &format!("{path}.plant"))?;
                self.plants[plant].status = PlantStatus::ForcedOpen;
            }
            Change::MaxCountryShare { share } => {
                if let Some(share) = share {
                    check_share(*share, &format!("{path}.share"))?;
                }
                self.policy.max_country_share = *share;
            }
            Change::MinCountries { count } => self.policy.min_countries = *count,
        }
        Ok(())
    }
}

/// `numerator / denominator` rounded half to even; `denominator` is positive.
pub(crate) fn round_half_even_div(numerator: i128, denominator: i128) -> i128 {
    let quotient = numerator.div_euclid(denominator);
    let remainder = numerator.rem_euclid(denominator);
    match (2 * remainder).cmp(&denominator) {
        std::cmp::Ordering::Less => quotient,
        std::cmp::Ordering::Greater => quotient + 1,
        std::cmp::Ordering::Equal => quotient + (quotient & 1),
    }
}

fn invalid(path: &str, message: String) -> PlannerError {
    PlannerError::InvalidModel {
        path: path.to_owned(),
        message,
    }
}

fn check_share(share: Percent, path: &str) -> Result<(), PlannerError> {
    if share.millionths() <= 0 || share.millionths() > 100_000_000 {
        return Err(invalid(
            path,
            format!("{share}% is not a share above 0 and at most 100"),
        ));
    }
    Ok(())
}

// The wire form, checked into the model above by `validate`.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    name: String,
    #[serde(default = "indicative")]
    source: String,
    #[serde(default = "hkd")]
    currency: String,
    products: Vec<RawProduct>,
    plants: Vec<RawPlant>,
    markets: Vec<RawMarket>,
    lanes: Vec<RawLane>,
    #[serde(default)]
    tariffs: Vec<RawTariff>,
    #[serde(default)]
    policy: RawPolicy,
    #[serde(default)]
    scenarios: Vec<Scenario>,
}

fn indicative() -> String {
    "indicative".to_owned()
}

fn hkd() -> String {
    "HKD".to_owned()
}

/// A number written as JSON text or a JSON number; kept as text so it parses exactly.
#[derive(Deserialize)]
#[serde(untagged)]
enum Decimal {
    Text(String),
    Number(serde_json::Number),
}

impl Decimal {
    fn text(&self) -> String {
        match self {
            Decimal::Text(text) => text.clone(),
            Decimal::Number(number) => number.to_string(),
        }
    }

    fn money(&self, path: &str) -> Result<Money, PlannerError> {
        let money = Money::parse_amount(&self.text(), Currency::Hkd)
            .map_err(|e| invalid(path, e.to_string()))?;
        if money.is_negative() {
            return Err(invalid(path, format!("{money} is negative")));
        }
        Ok(money)
    }

    fn percent(&self, path: &str) -> Result<Percent, PlannerError> {
        let percent = Percent::parse(&self.text()).map_err(|e| invalid(path, e.to_string()))?;
        if percent.millionths() < 0 {
            return Err(invalid(path, format!("{percent}% is negative")));
        }
        Ok(percent)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProduct {
    code: String,
    #[serde(default)]
    name: Option<String>,
    unit_value: Decimal,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlant {
    code: String,
    #[serde(default)]
    name: Option<String>,
    country: String,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    lat: Option<f64>,
    #[serde(default)]
    lon: Option<f64>,
    options: Vec<RawOption>,
    production_cost: BTreeMap<String, Decimal>,
    #[serde(default = "candidate")]
    status: PlantStatus,
}

fn candidate() -> PlantStatus {
    PlantStatus::Candidate
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOption {
    code: String,
    capacity: i64,
    fixed_cost: Decimal,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarket {
    code: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    lat: Option<f64>,
    #[serde(default)]
    lon: Option<f64>,
    demand: BTreeMap<String, i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLane {
    from: String,
    to: String,
    freight: Decimal,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTariff {
    origin: String,
    market: String,
    #[serde(default)]
    product: Option<String>,
    rate: Decimal,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    #[serde(default)]
    max_country_share: Option<Decimal>,
    #[serde(default)]
    min_countries: Option<u32>,
    #[serde(default)]
    single_sourcing: bool,
}

fn check_code(code: &str, path: &str, seen: &mut HashSet<String>) -> Result<(), PlannerError> {
    let valid = !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if !valid {
        return Err(invalid(
            path,
            format!("`{code}` is not a code (1 to 64 of a-z, 0-9, - and _)"),
        ));
    }
    if !seen.insert(code.to_owned()) {
        return Err(invalid(path, format!("`{code}` appears twice")));
    }
    Ok(())
}

fn country(text: &str, path: &str) -> Result<CountryCode, PlannerError> {
    CountryCode::parse(text).map_err(|e| invalid(path, e.to_string()))
}

fn coordinates(
    lat: Option<f64>,
    lon: Option<f64>,
    path: &str,
) -> Result<Option<Coordinates>, PlannerError> {
    match (lat, lon) {
        (None, None) => Ok(None),
        (Some(lat), Some(lon)) => Coordinates::parse(lat, lon)
            .map(Some)
            .map_err(|e| invalid(path, e.to_string())),
        _ => Err(invalid(
            path,
            "give both lat and lon, or neither".to_owned(),
        )),
    }
}

impl RawModel {
    fn validate(self) -> Result<NetworkModel, PlannerError> {
        if self.currency != "HKD" {
            return Err(invalid(
                "currency",
                format!("`{}`: models are in HKD (convert first)", self.currency),
            ));
        }
        if self.products.is_empty() {
            return Err(invalid("products", "no products".to_owned()));
        }
        if self.plants.is_empty() {
            return Err(invalid("plants", "no plants".to_owned()));
        }
        if self.markets.is_empty() {
            return Err(invalid("markets", "no markets".to_owned()));
        }
        let mut seen = HashSet::new();
        let mut products = Vec::with_capacity(self.products.len());
        for (k, raw) in self.products.into_iter().enumerate() {
            let path = format!("products[{k}]");
            check_code(&raw.code, &format!("{path}.code"), &mut seen)?;
            products.push(Product {
                unit_value: raw.unit_value.money(&format!("{path}.unit_value"))?,
                name: raw.name.unwrap_or_else(|| raw.code.clone()),
                code: raw.code,
            });
        }
        let product_codes: Vec<&str> = products.iter().map(|p| p.code.as_str()).collect();
        let per_product = |map: &BTreeMap<String, Decimal>, path: &str| {
            if let Some(unknown) = map.keys().find(|k| !product_codes.contains(&k.as_str())) {
                return Err(invalid(
                    &format!("{path}.{unknown}"),
                    format!("no product `{unknown}`"),
                ));
            }
            product_codes
                .iter()
                .map(|code| match map.get(*code) {
                    Some(value) => value.money(&format!("{path}.{code}")),
                    None => Err(invalid(
                        &format!("{path}.{code}"),
                        "missing: every plant needs a production cost for every product".to_owned(),
                    )),
                })
                .collect::<Result<Vec<Money>, PlannerError>>()
        };

        let mut seen = HashSet::new();
        let mut plants = Vec::with_capacity(self.plants.len());
        for (k, raw) in self.plants.into_iter().enumerate() {
            let path = format!("plants[{k}]");
            check_code(&raw.code, &format!("{path}.code"), &mut seen)?;
            if raw.options.is_empty() {
                return Err(invalid(
                    &format!("{path}.options"),
                    "a plant needs at least one capacity option".to_owned(),
                ));
            }
            let mut option_codes = HashSet::new();
            let mut options = Vec::with_capacity(raw.options.len());
            for (o, option) in raw.options.into_iter().enumerate() {
                let path = format!("{path}.options[{o}]");
                check_code(&option.code, &format!("{path}.code"), &mut option_codes)?;
                let capacity = u64::try_from(option.capacity)
                    .ok()
                    .filter(|c| *c > 0)
                    .ok_or_else(|| {
                        invalid(
                            &format!("{path}.capacity"),
                            format!("{} is not a positive number of units", option.capacity),
                        )
                    })?;
                options.push(CapacityOption {
                    fixed_cost: option.fixed_cost.money(&format!("{path}.fixed_cost"))?,
                    code: option.code,
                    capacity,
                });
            }
            plants.push(Plant {
                country: country(&raw.country, &format!("{path}.country"))?,
                coordinates: coordinates(raw.lat, raw.lon, &path)?,
                production_cost: per_product(
                    &raw.production_cost,
                    &format!("{path}.production_cost"),
                )?,
                name: raw.name.unwrap_or_else(|| raw.code.clone()),
                code: raw.code,
                location: raw.location,
                options,
                status: raw.status,
            });
        }

        let mut seen = HashSet::new();
        let mut markets = Vec::with_capacity(self.markets.len());
        for (k, raw) in self.markets.into_iter().enumerate() {
            let path = format!("markets[{k}]");
            check_code(&raw.code, &format!("{path}.code"), &mut seen)?;
            if let Some(unknown) = raw
                .demand
                .keys()
                .find(|k| !product_codes.contains(&k.as_str()))
            {
                return Err(invalid(
                    &format!("{path}.demand.{unknown}"),
                    format!("no product `{unknown}`"),
                ));
            }
            let mut demand = Vec::with_capacity(products.len());
            for code in &product_codes {
                let units = raw.demand.get(*code).copied().unwrap_or(0);
                let units = u64::try_from(units).map_err(|_| {
                    invalid(
                        &format!("{path}.demand.{code}"),
                        format!("{units} is negative: demand is a number of units a year"),
                    )
                })?;
                demand.push(units);
            }
            markets.push(Market {
                coordinates: coordinates(raw.lat, raw.lon, &path)?,
                name: raw.name.unwrap_or_else(|| raw.code.clone()),
                code: raw.code,
                demand,
            });
        }

        let mut lanes = Vec::with_capacity(self.lanes.len());
        let mut seen_lanes = HashSet::new();
        for (k, raw) in self.lanes.into_iter().enumerate() {
            let path = format!("lanes[{k}]");
            let plant = plants
                .iter()
                .position(|p| p.code == raw.from)
                .ok_or_else(|| {
                    invalid(&format!("{path}.from"), format!("no plant `{}`", raw.from))
                })?;
            let market = markets
                .iter()
                .position(|m| m.code == raw.to)
                .ok_or_else(|| invalid(&format!("{path}.to"), format!("no market `{}`", raw.to)))?;
            if !seen_lanes.insert((plant, market)) {
                return Err(invalid(
                    &path,
                    format!("the lane {} -> {} appears twice", raw.from, raw.to),
                ));
            }
            lanes.push(Lane {
                plant,
                market,
                freight: raw.freight.money(&format!("{path}.freight"))?,
            });
        }

        let mut tariffs = Vec::with_capacity(self.tariffs.len());
        let mut seen_tariffs = HashSet::new();
        for (k, raw) in self.tariffs.into_iter().enumerate() {
            let path = format!("tariffs[{k}]");
            let origin = country(&raw.origin, &format!("{path}.origin"))?;
            let market = markets
                .iter()
                .position(|m| m.code == raw.market)
                .ok_or_else(|| {
                    invalid(
                        &format!("{path}.market"),
                        format!("no market `{}`", raw.market),
                    )
                })?;
            let product = match &raw.product {
                None => None,
                Some(code) => Some(product_codes.iter().position(|p| p == code).ok_or_else(
                    || invalid(&format!("{path}.product"), format!("no product `{code}`")),
                )?),
            };
            if !seen_tariffs.insert((origin, market, product)) {
                return Err(invalid(&path, "the same tariff appears twice".to_owned()));
            }
            tariffs.push(Tariff {
                origin,
                market,
                product,
                rate: raw.rate.percent(&format!("{path}.rate"))?,
            });
        }

        let max_country_share = match &self.policy.max_country_share {
            None => None,
            Some(share) => {
                let share = share.percent("policy.max_country_share")?;
                check_share(share, "policy.max_country_share")?;
                Some(share)
            }
        };
        let policy = Policy {
            max_country_share,
            min_countries: self.policy.min_countries,
            single_sourcing: self.policy.single_sourcing,
        };

        let model = NetworkModel {
            name: self.name,
            source: self.source,
            products,
            plants,
            markets,
            lanes,
            tariffs,
            policy,
            scenarios: Vec::new(),
        };
        let mut names = HashSet::new();
        for (k, scenario) in self.scenarios.iter().enumerate() {
            if !names.insert(scenario.name.clone()) {
                return Err(invalid(
                    &format!("scenarios[{k}].name"),
                    format!("`{}` appears twice", scenario.name),
                ));
            }
            // Apply once now so a change naming nothing is an error at load time.
            model.with_scenario(scenario)?;
        }
        Ok(NetworkModel {
            scenarios: self.scenarios,
            ..model
        })
    }
}
