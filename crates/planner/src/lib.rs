//! The network planner's engine ("China+N"): which plants to open, at which size, and how to
//! serve each market at least landed cost, as mixed-integer programs solved with
//! [HiGHS](https://highs.dev) through the `highs` crate.
//!
//! Two models share the solver:
//!
//! - The production network. A [`NetworkModel`] (read from JSON by
//!   [`NetworkModel::from_json`], every field checked and named on error; format in
//!   `docs/network-model.md`) holds [`Product`]s, candidate [`Plant`]s with
//!   [`CapacityOption`]s, [`Market`]s with demand, [`Lane`]s with freight, [`Tariff`]s by
//!   origin country and market, a [`Policy`] (at most a share from one country, at least N
//!   countries, single sourcing) and named [`Scenario`]s of [`Change`]s.
//!   [`solve_network`] returns a [`NetworkPlan`] (open plants, flows, exact
//!   [`CostBreakdown`], units by country, the solver's status, bound and gap) or, when no plan
//!   exists, [`PlannerError::NetworkInfeasible`] with findings that name the demand and the
//!   rule at fault. [`compare_scenarios`] solves the base and its scenarios side by side with
//!   a [`PlanDelta`] for each. [`model_from_site_finder`] prefills a model from the site
//!   finder's locations and cost model. [`EXAMPLE_MODEL`] is the worked example.
//! - The capacitated facility location problem of OR-Library. [`orlib`] reads both layouts of
//!   its instances into an [`Instance`]; [`solve`] returns a [`Solution`] with cost, proven
//!   bound, gap and open facilities. The crate's tests check it against the published optima.
//!
//! Money is integer cents ([`vocab::Money`]) and volumes whole units; the solver works in
//! floats, and a plan's cost is then recomputed exactly from its whole-unit flows.
//!
//! ```
//! use planner::{compare_scenarios, NetworkModel, NetworkOptions, ScenarioSelection};
//!
//! let model = NetworkModel::from_json(planner::EXAMPLE_MODEL)?;
//! let options = NetworkOptions { time_limit: Some(60.0), mip_gap: None };
//! let selection = ScenarioSelection::Named(vec!["us-tariff-shock".to_owned()]);
//! let comparison = compare_scenarios(&model, &selection, &options, &mut |_, _| {})?;
//! assert!(comparison.base.optimal);
//! println!("base: {} a year, open {:?}", comparison.base.costs.total, comparison.base.open_plants());
//! # Ok::<(), planner::PlannerError>(())
//! ```
#![deny(missing_docs)]

mod error;
mod instance;
mod lagrangian;
mod network;
mod network_scenario;
mod network_solve;
pub mod orlib;
mod primal;
mod site_finder;
mod solve;

pub use error::PlannerError;
pub use instance::{Customer, Facility, Instance};
pub use network::{
    CapacityOption, Change, Lane, Market, NetworkModel, Plant, PlantStatus, Policy, Product,
    Scenario, Tariff,
};
pub use network_scenario::{
    compare_scenarios, delta, Comparison, PlanDelta, ScenarioOutcome, ScenarioResult,
    ScenarioSelection,
};
pub use network_solve::{
    solve_network, CostBreakdown, CountryVolume, Flow, NetworkOptions, NetworkPlan, PlantPlan,
};
pub use site_finder::model_from_site_finder;
pub use solve::{solve, Solution, SolveOptions};

/// The worked example: a Hong Kong electronics maker choosing plants in Dongguan, Chongqing,
/// Vietnam and Hong Kong for Hong Kong, the Mainland, the US, the EU and ASEAN, with a US
/// tariff shock and other scenarios (indicative numbers).
pub const EXAMPLE_MODEL: &str = include_str!("../models/hk-electronics.json");
