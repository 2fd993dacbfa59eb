//! Ranking candidate locations for a profile: costing, the criteria matrix, weighted sum and
//! TOPSIS side by side, weight sensitivity and the tornado data for the top three.

use serde::{Deserialize, Serialize};
use vocab::Money;

use crate::costing::{cost, npc_change, Costing};
use crate::data::{Candidates, LocationData};
use crate::error::SitingError;
use crate::mcda::{self, Matrix};
use crate::model::{CostItem, Criterion};
use crate::profile::Profile;

/// The weight of each criterion: finite, not below zero, not all zero.
///
/// Only the ratios matter; the weights are divided by their sum before scoring.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// Net present cost.
    pub cost: f64,
    /// Skilled-labour availability.
    pub skilled_labour: f64,
    /// Geopolitical exposure.
    pub geopolitical_exposure: f64,
    /// Approval lead time.
    pub approval_lead_time: f64,
    /// IP protection.
    pub ip_protection: f64,
}

/// The full result of ranking: one row per candidate in weighted-sum order, the TOPSIS order
/// beside it, the sensitivity of the weighted-sum winner to each weight, and the tornado data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranking {
    /// The dataset's name.
    pub dataset: String,
    /// The profile's name.
    pub profile: String,
    /// The weights as given.
    pub weights: Weights,
    /// The candidates, best weighted-sum score first.
    pub rows: Vec<RankedLocation>,
    /// The candidates' codes, best TOPSIS closeness first.
    pub topsis_order: Vec<String>,
    /// For each criterion, how far its weight must move before the weighted-sum winner changes.
    pub sensitivity: Vec<Sensitivity>,
    /// For the top three by weighted sum, each cost driver moved by ±20%.
    pub tornado: Vec<Tornado>,
}

/// One candidate's costing, criteria and scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedLocation {
    /// The location's code.
    pub code: String,
    /// The English name.
    pub name_en: String,
    /// The Traditional Chinese name.
    pub name_zh: String,
    /// The country code.
    pub country: String,
    /// Latitude, for the map.
    pub lat: f64,
    /// Longitude, for the map.
    pub lon: f64,
    /// Whether any of its numbers is indicative rather than published.
    pub indicative: bool,
    /// The cost breakdown.
    pub costing: Costing,
    /// The criterion values the ranking used.
    pub criteria: CriterionValues,
    /// The weighted-sum score, 0 to 1.
    pub weighted_sum: f64,
    /// The weighted-sum rank, 1 = best.
    pub weighted_sum_rank: usize,
    /// The TOPSIS closeness, 0 to 1.
    pub topsis: f64,
    /// The TOPSIS rank, 1 = best.
    pub topsis_rank: usize,
}

/// A candidate's value on each criterion.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CriterionValues {
    /// Net present cost in HK$.
    pub cost: f64,
    /// Skilled-labour availability, 1 to 5.
    pub skilled_labour: f64,
    /// Geopolitical exposure, 1 to 5.
    pub geopolitical_exposure: f64,
    /// Approval lead time in months.
    pub approval_lead_time: f64,
    /// IP protection, 1 to 5.
    pub ip_protection: f64,
}

/// How far one weight must move before the weighted-sum winner changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// The criterion.
    pub criterion: Criterion,
    /// The weight as given.
    pub weight: f64,
    /// The increase at which another candidate ties the winner; `None` if none ever does.
    pub increase: Option<f64>,
    /// The candidate that wins past that increase.
    pub winner_if_increased: Option<String>,
    /// The decrease at which another candidate ties the winner; `None` if even zero keeps it.
    pub decrease: Option<f64>,
    /// The candidate that wins past that decrease.
    pub winner_if_decreased: Option<String>,
}

/// The tornado data of one candidate: each driver moved by -20% and +20%.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tornado {
    /// The location's code.
    pub location: String,
    /// Its net present cost unmoved.
    pub net_present_cost: Money,
    /// One bar per driver, widest swing first.
    pub bars: Vec<TornadoBar>,
}

/// One bar of a tornado chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TornadoBar {
    /// The cost driver.
    pub driver: CostItem,
    /// The change in net present cost when the driver is 20% lower.
    pub low: Money,
    /// The change in net present cost when the driver is 20% higher.
    pub high: Money,
}

impl Weights {
    /// The default weighting of the platform: cost counts three times as much as each of the
    /// four qualitative criteria.
    pub fn cost_first() -> Weights {
        Weights {
            cost: 3.0,
            skilled_labour: 1.0,
            geopolitical_exposure: 1.0,
            approval_lead_time: 1.0,
            ip_protection: 1.0,
        }
    }

    /// The weights in the order of [`Criterion::ALL`].
    pub fn as_array(&self) -> [f64; 5] {
        [
            self.cost,
            self.skilled_labour,
            self.geopolitical_exposure,
            self.approval_lead_time,
            self.ip_protection,
        ]
    }

    /// Checks that every weight is finite and not below zero, and that not all are zero.
    pub fn check(&self) -> Result<(), SitingError> {
        let names = Criterion::ALL.map(Criterion::code);
        mcda::check_weights(&names, &self.as_array()).map(|_| ())
    }
}

/// How far each driver moves in the tornado chart, in percent.
pub const TORNADO_PERCENT: i64 = 20;

/// Costs the profile at every candidate and ranks them by weighted sum and by TOPSIS.
pub fn rank(
    data: &LocationData,
    profile: &Profile,
    candidates: &Candidates,
    weights: &Weights,
) -> Result<Ranking, SitingError> {
    weights.check()?;
    let locations = data.pick(candidates);
    let mut costings = Vec::with_capacity(locations.len());
    let mut values = Vec::with_capacity(locations.len());
    for location in &locations {
        let costing = cost(profile, location)?;
        let indicators = &location.indicators;
        let score = |millionths: i64| millionths as f64 / 1_000_000.0;
        values.push(CriterionValues {
            cost: costing.net_present_cost.cents() as f64 / 100.0,
            skilled_labour: score(indicators.skilled_labour),
            geopolitical_exposure: score(indicators.geopolitical_exposure),
            approval_lead_time: score(indicators.approval_months),
            ip_protection: score(indicators.ip_protection),
        });
        costings.push(costing);
    }
    let matrix = Matrix::new(
        Criterion::ALL
            .iter()
            .map(|criterion| (criterion.code().to_owned(), criterion.direction()))
            .collect(),
        values
            .iter()
            .map(|value| value.as_array().to_vec())
            .collect(),
    )?;
    let weight_array = weights.as_array();
    let sums = mcda::weighted_sum(&matrix, &weight_array)?;
    let closeness = mcda::topsis(&matrix, &weight_array)?;
    let sum_ranks = mcda::ranks(&sums);
    let topsis_ranks = mcda::ranks(&closeness);
    let code_of = |idx: usize| locations[idx].code.clone();
    let sensitivity = mcda::weight_sensitivity(&matrix, &weight_array)?
        .into_iter()
        .zip(Criterion::ALL)
        .map(|(found, criterion)| Sensitivity {
            criterion,
            weight: found.weight,
            increase: found.increase,
            winner_if_increased: found.winner_if_increased.map(code_of),
            decrease: found.decrease,
            winner_if_decreased: found.winner_if_decreased.map(code_of),
        })
        .collect();
    let sum_order = mcda::order(&sums);
    let mut tornado = Vec::new();
    for idx in sum_order.iter().take(3) {
        tornado.push(tornado_of(
            profile,
            locations[*idx],
            costings[*idx].net_present_cost,
        )?);
    }
    let rows = sum_order
        .iter()
        .map(|idx| {
            let location = locations[*idx];
            RankedLocation {
                code: location.code.clone(),
                name_en: location.name_en.clone(),
                name_zh: location.name_zh.clone(),
                country: location.country.clone(),
                lat: location.lat,
                lon: location.lon,
                indicative: location.is_indicative(),
                costing: costings[*idx].clone(),
                criteria: values[*idx],
                weighted_sum: sums[*idx],
                weighted_sum_rank: sum_ranks[*idx],
                topsis: closeness[*idx],
                topsis_rank: topsis_ranks[*idx],
            }
        })
        .collect();
    Ok(Ranking {
        dataset: data.name().to_owned(),
        profile: profile.name().to_owned(),
        weights: *weights,
        rows,
        topsis_order: mcda::order(&closeness).into_iter().map(code_of).collect(),
        sensitivity,
        tornado,
    })
}

fn tornado_of(
    profile: &Profile,
    location: &crate::data::Location,
    net_present_cost: Money,
) -> Result<Tornado, SitingError> {
    let mut bars = Vec::with_capacity(CostItem::ALL.len());
    for driver in CostItem::ALL {
        bars.push(TornadoBar {
            driver,
            low: npc_change(profile, location, driver, -TORNADO_PERCENT)?,
            high: npc_change(profile, location, driver, TORNADO_PERCENT)?,
        });
    }
    bars.sort_by_key(|bar| std::cmp::Reverse((bar.high.cents() - bar.low.cents()).unsigned_abs()));
    Ok(Tornado {
        location: location.code.clone(),
        net_present_cost,
        bars,
    })
}

impl CriterionValues {
    /// The values in the order of [`Criterion::ALL`].
    pub fn as_array(&self) -> [f64; 5] {
        [
            self.cost,
            self.skilled_labour,
            self.geopolitical_exposure,
            self.approval_lead_time,
            self.ip_protection,
        ]
    }
}
