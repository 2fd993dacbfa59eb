//! The location benchmark (site finder): where should a production line go?
//!
//! A [`Profile`] (sector, headcount by [`SkillLevel`], floor area, yearly power use, capex,
//! yearly output and its split by [`Market`], horizon, discount rate, assumed margin) is
//! costed at each candidate [`Location`] of a [`LocationData`] set by [`cost`], giving a
//! [`Costing`]: the [`YearlyCost`] by [`CostItem`], the capital grant, the net present cost
//! and the cost per HK$ of output.
//! [`rank`] then scores the candidates on five [`Criterion`]s (cost and four qualitative
//! ones) with [`Weights`], by weighted sum and by TOPSIS side by side, and adds the
//! [`Sensitivity`] of the winner to each weight and the [`Tornado`] data of the top three.
//! The general methods are in [`mcda`] and work on any [`Matrix`].
//!
//! This is a pure library: callers pass text and readers; there is no file, network or
//! database access. Every result type derives `Serialize`, so callers can emit JSON.
//!
//! # Data
//!
//! [`LocationData::shipped`] holds 26 candidates (Hong Kong sites, Greater Bay Area and other
//! Mainland cities, Southeast Asia, India and Mexico), embedded from `data/location_names.csv`
//! and `data/locations.csv` (long format, one indicator per row:
//! `location,indicator,value,unit,year,source,note`).
//! No source document gives these numbers, so every shipped value is `indicative`, with a note;
//! the user replaces them with their own through [`LocationData::from_csv`].
//! Hong Kong sites carry an indicative 1:2 matching grant for new smart production lines
//! (the government adds HK$1 for every HK$2 the company spends), capped at an assumed
//! HK$15 million.
//!
//! # How a location is costed
//!
//! Money is integer cents, shares and rates exact integers (millionths); nothing about money is
//! a float until discounting.
//!
//! - Wages: the local monthly wage times the stated rate (`fx_hkd`, HK$ per local unit),
//!   rounded half to even to the cent; labour is headcount times that times 12.
//! - Occupancy: floor area times rent per m² per month times 12. Utilities: kWh times price.
//! - Freight and tariffs: output times each market's share times that market's rate (a
//!   percentage of the value shipped), summed over markets and rounded half to even once.
//! - Profits tax: output times the profile's assumed margin (taxable profit as a share of
//!   output, which the profile states) times the rate, rounded half to even.
//! - Grant: of a capex `C`, a matching ratio `g` pays `C * g / (1 + g)`, rounded down and
//!   capped. It is received once at the start; the yearly breakdown shows it spread evenly over
//!   the horizon (`incentives`, rounded half to even) and subtracts it from `total`.
//! - Net present cost: `capex - grant + sum over years t = 1..=H of round(Y * (1 + r)^-t)`,
//!   where `Y` is the yearly cost before incentives; the discount factors are `f64` and each
//!   year's present value is rounded to the nearest cent (halves away from zero).
//! - Cost per HK$ of output: net present cost over the present value of output (discounted the
//!   same way).
//!
//! # How candidates are ranked
//!
//! - Weighted sum: each criterion min-max normalised to 0..=1 (1 best; all equal gives 1),
//!   weighted by the weights over their sum.
//! - TOPSIS: vector normalisation, weighted, distances to the ideal and anti-ideal, closeness
//!   `d- / (d+ + d-)` (0.5 when every candidate is alike).
//! - Sensitivity: for the linear weighted sum the exact move of each weight at which another
//!   candidate ties the winner ([`mcda::weight_sensitivity`]).
//! - Tornado: for the top three by weighted sum, each [`CostItem`] moved by ±20% and the change
//!   in net present cost ([`npc_change`]).
//!
//! No score is ever NaN: every division that can be by zero is guarded.
//!
//! # Example
//!
//! ```
//! use siting::{rank, LocationData, Profile, Weights};
//!
//! let data = LocationData::shipped();
//! let profile = Profile::from_toml(include_str!("../profiles/ev-assembly.toml"))?;
//! let candidates = data.candidates(&["hk-san-tin", "cn-shenzhen", "vn-hai-phong"])?;
//! let weights = Weights {
//!     cost: 3.0,
//!     skilled_labour: 1.0,
//!     geopolitical_exposure: 1.0,
//!     approval_lead_time: 1.0,
//!     ip_protection: 1.0,
//! };
//! let ranking = rank(&data, &profile, &candidates, &weights)?;
//! assert_eq!(ranking.rows.len(), 3);
//! assert_eq!(ranking.rows[0].weighted_sum_rank, 1);
//! assert!(ranking.rows.iter().all(|row| !row.topsis.is_nan()));
//! # Ok::<(), siting::SitingError>(())
//! ```
#![deny(missing_docs)]

mod costing;
mod data;
mod decimal;
mod error;
pub mod mcda;
mod model;
mod profile;
mod rank;

pub use crate::costing::{cost, npc_change, Costing, MonthlyWages, YearlyCost};
pub use crate::data::{
    Candidates, IndicatorRow, Indicators, Location, LocationData, INDICATORS_FILE, NAMES_FILE,
};
pub use crate::error::{Position, SitingError};
pub use crate::mcda::{Direction, Matrix, WeightSensitivity};
pub use crate::model::{CostItem, Criterion, Market, SkillLevel};
pub use crate::profile::Profile;
pub use crate::rank::{
    rank, CriterionValues, RankedLocation, Ranking, Sensitivity, Tornado, TornadoBar, Weights,
    TORNADO_PERCENT,
};

/// The documented ready-made project profiles (indicative figures), as `(code, TOML text)`.
pub const SHIPPED_PROFILES: [(&str, &str); 4] = [
    ("ev-assembly", include_str!("../profiles/ev-assembly.toml")),
    (
        "semiconductor-backend",
        include_str!("../profiles/semiconductor-backend.toml"),
    ),
    (
        "electronics-assembly",
        include_str!("../profiles/electronics-assembly.toml"),
    ),
    (
        "food-technology",
        include_str!("../profiles/food-technology.toml"),
    ),
];

/// A shipped profile by code.
pub fn shipped_profile(code: &str) -> Option<Result<Profile, SitingError>> {
    SHIPPED_PROFILES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, text)| Profile::from_toml(text))
}
