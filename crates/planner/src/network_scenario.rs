//! Scenarios side by side: the base model and each named change solved in turn, with the
//! difference in cost by item and in footprint (plants opened, closed or resized, units by
//! country of origin).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use vocab::{CountryCode, Money};

use crate::network::{NetworkModel, Scenario};
use crate::network_solve::{solve_network, NetworkOptions, NetworkPlan};
use crate::PlannerError;

/// How a scenario's plan differs from the base plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanDelta {
    /// Change in total landed cost (scenario minus base).
    pub total: Money,
    /// Change in fixed cost.
    pub fixed: Money,
    /// Change in production cost.
    pub production: Money,
    /// Change in freight.
    pub freight: Money,
    /// Change in tariffs.
    pub tariff: Money,
    /// Plants open in the scenario but not in the base.
    pub opened: Vec<String>,
    /// Plants open in the base but not in the scenario.
    pub closed: Vec<String>,
    /// Plants open in both at a different size: (plant, base option, scenario option).
    pub resized: Vec<(String, String, String)>,
    /// Units by country of origin: (country, base, scenario), for every country in either.
    pub units_by_country: Vec<(CountryCode, u64, u64)>,
}

/// One scenario's result: its plan and the difference from the base, or why it has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ScenarioOutcome {
    /// Solved.
    Solved {
        /// The scenario's plan (boxed: a plan is much larger than a failure).
        plan: Box<NetworkPlan>,
        /// How it differs from the base plan.
        delta: PlanDelta,
    },
    /// No plan (infeasible, or no solution in time), with the reason.
    Failed {
        /// The error, for people.
        error: String,
        /// Findings when the scenario is infeasible.
        findings: Vec<String>,
    },
}

/// One named scenario and its outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioResult {
    /// The scenario's name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// Its plan or failure.
    pub outcome: ScenarioOutcome,
}

/// The base plan and each requested scenario beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The model's name.
    pub model: String,
    /// Where its numbers come from.
    pub source: String,
    /// The base plan.
    pub base: NetworkPlan,
    /// The scenarios, in the order asked.
    pub scenarios: Vec<ScenarioResult>,
}

/// Which scenarios to solve beside the base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScenarioSelection {
    /// Only the base model.
    None,
    /// Every scenario of the model, in model order.
    All,
    /// These, by name, in this order.
    Named(Vec<String>),
}

/// Solves the base model and the selected scenarios one after another, calling `progress`
/// with (solved, total) after each.
///
/// # Errors
/// - [`PlannerError::InvalidModel`] naming a scenario the model does not have;
/// - any error of [`solve_network`] on the base model (a failing scenario is reported in its
///   [`ScenarioOutcome::Failed`] instead).
pub fn compare_scenarios(
    model: &NetworkModel,
    selection: &ScenarioSelection,
    options: &NetworkOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Comparison, PlannerError> {
    let scenarios: Vec<&Scenario> = match selection {
        ScenarioSelection::None => Vec::new(),
        ScenarioSelection::All => model.scenarios().iter().collect(),
        ScenarioSelection::Named(names) => names
            .iter()
            .map(|name| {
                model
                    .scenario(name)
                    .ok_or_else(|| PlannerError::InvalidModel {
                        path: "scenario".to_owned(),
                        message: format!(
                            "no scenario `{name}` (the model has: {})",
                            model
                                .scenarios()
                                .iter()
                                .map(|s| s.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    })
            })
            .collect::<Result<_, _>>()?,
    };
    let total = 1 + scenarios.len();
    let base = solve_network(model, options)?;
    progress(1, total);
    let mut results = Vec::with_capacity(scenarios.len());
    for (k, scenario) in scenarios.into_iter().enumerate() {
        let outcome = match model
            .with_scenario(scenario)
            .and_then(|changed| solve_network(&changed, options))
        {
            Ok(plan) => ScenarioOutcome::Solved {
                delta: delta(&base, &plan),
                plan: Box::new(plan),
            },
            Err(error) => ScenarioOutcome::Failed {
                findings: match &error {
                    PlannerError::NetworkInfeasible { findings } => findings.clone(),
                    _ => Vec::new(),
                },
                error: error.to_string(),
            },
        };
        results.push(ScenarioResult {
            name: scenario.name.clone(),
            description: scenario.description.clone(),
            outcome,
        });
        progress(k + 2, total);
    }
    Ok(Comparison {
        model: model.name().to_owned(),
        source: model.source().to_owned(),
        base,
        scenarios: results,
    })
}

/// How `scenario` differs from `base`.
pub fn delta(base: &NetworkPlan, scenario: &NetworkPlan) -> PlanDelta {
    let minus = |a: Money, b: Money| Money::hkd(a.cents().saturating_sub(b.cents()));
    let (b, s) = (&base.costs, &scenario.costs);
    let options = |plan: &NetworkPlan| -> BTreeMap<String, String> {
        plan.plants
            .iter()
            .filter_map(|p| p.option.clone().map(|o| (p.plant.clone(), o)))
            .collect()
    };
    let (before, after) = (options(base), options(scenario));
    // Model order, so the lists read like the plant table.
    let order: Vec<&str> = base.plants.iter().map(|p| p.plant.as_str()).collect();
    let mut opened = Vec::new();
    let mut closed = Vec::new();
    let mut resized = Vec::new();
    for plant in order {
        match (before.get(plant), after.get(plant)) {
            (None, Some(_)) => opened.push(plant.to_owned()),
            (Some(_), None) => closed.push(plant.to_owned()),
            (Some(x), Some(y)) if x != y => {
                resized.push((plant.to_owned(), x.clone(), y.clone()));
            }
            _ => {}
        }
    }
    let mut units: BTreeMap<CountryCode, (u64, u64)> = BTreeMap::new();
    for c in &base.countries {
        units.entry(c.country).or_default().0 = c.units;
    }
    for c in &scenario.countries {
        units.entry(c.country).or_default().1 = c.units;
    }
    PlanDelta {
        total: minus(s.total, b.total),
        fixed: minus(s.fixed, b.fixed),
        production: minus(s.production, b.production),
        freight: minus(s.freight, b.freight),
        tariff: minus(s.tariff, b.tariff),
        opened,
        closed,
        resized,
        units_by_country: units
            .into_iter()
            .map(|(country, (before, after))| (country, before, after))
            .collect(),
    }
}
