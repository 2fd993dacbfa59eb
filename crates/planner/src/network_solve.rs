//! Solving a [`NetworkModel`]: which plants to open at which size and how to serve every
//! market at least landed cost, as a mixed-integer program solved with HiGHS.
//!
//! Variables: `y_po` in {0, 1} (plant `p` built with option `o`), whole units `x_lk` of
//! product `k` shipped on lane `l`, and, for the "at least N countries" rule, `z_c` in {0, 1}
//! (country `c` has an open plant). Minimise fixed costs plus, per unit shipped, production
//! cost, freight and the ad valorem tariff of the plant's country into the market, subject to
//!
//! - one option per plant: `sum_o y_po <= 1` (`= 1` when forced open; no columns when closed);
//! - demand: `sum_l x_lk = D_mk` for each market and product;
//! - capacity: `sum_lk x_lk <= sum_o s_o y_po` for each plant;
//! - linking: `x_lk <= D_mk sum_o y_po` (redundant with integer `y`, tighter LP bound);
//! - country share: `sum_{p in c} x <= floor(share * total demand)` for each country;
//! - countries: `z_c <= sum_{p in c, o} y_po` and `sum_c z_c >= N`;
//! - single sourcing: `x_lk = D_mk u_lk` with `u_lk` binary and `sum_l u_lk = 1`.
//!
//! Before solving, [`solve_network`] checks what makes a model infeasible in ways a person can
//! read (a market no plant reaches, demand above capacity, share caps that cannot add up to
//! the demand); if HiGHS still proves infeasibility, an elastic copy of the model (demand
//! shortfall and rule overruns allowed at a price) shows which demand and which rule bind.
//! Once a plan is found, its cost is recomputed exactly in cents from the whole-unit flows.

use std::collections::BTreeMap;
use std::time::Instant;

use highs::{Col, HighsModelStatus, HighsSolutionStatus, RowProblem, Sense};
use serde::{Deserialize, Serialize};
use vocab::{CountryCode, Money};

use crate::network::{round_half_even_div, NetworkModel, PlantStatus};
use crate::solve::{check_limits, ended, solver_error, Ended, HIGHS};
use crate::PlannerError;

/// How to solve a network model. No `Default`: callers say what they want.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkOptions {
    /// Wall-clock limit in seconds; `None` runs until the gap closes.
    pub time_limit: Option<f64>,
    /// Relative gap at which to stop; `None` asks for a proven optimum.
    pub mip_gap: Option<f64>,
}

/// The cost of a plan by item, exact in cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostBreakdown {
    /// Fixed yearly cost of the open plants at their chosen size.
    pub fixed: Money,
    /// Production cost of every unit made.
    pub production: Money,
    /// Freight of every unit shipped.
    pub freight: Money,
    /// Tariffs on every unit entering its market.
    pub tariff: Money,
    /// The sum of the four.
    pub total: Money,
}

/// What the plan does with one plant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlantPlan {
    /// Plant code.
    pub plant: String,
    /// Display name.
    pub name: String,
    /// Country of origin.
    pub country: CountryCode,
    /// The chosen capacity option, `None` when the plant stays closed.
    pub option: Option<String>,
    /// Capacity of the chosen option (0 when closed).
    pub capacity: u64,
    /// Units made a year.
    pub units: u64,
    /// Its fixed yearly cost (zero when closed).
    pub fixed_cost: Money,
}

/// Units of one product on one lane, with their cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flow {
    /// Plant code.
    pub plant: String,
    /// Market code.
    pub market: String,
    /// Product code.
    pub product: String,
    /// Units a year.
    pub units: u64,
    /// Production cost of these units.
    pub production: Money,
    /// Their freight.
    pub freight: Money,
    /// Their tariff.
    pub tariff: Money,
}

/// Units made in one country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryVolume {
    /// The country.
    pub country: CountryCode,
    /// Units a year made there.
    pub units: u64,
    /// Open plants there.
    pub open_plants: usize,
}

/// A solved network model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkPlan {
    /// `true` when HiGHS proved the plan optimal (within the requested gap); `false` when it
    /// stopped at the time limit with this, its best plan so far.
    pub optimal: bool,
    /// HiGHS's status, e.g. `Optimal` or `ReachedTimeLimit`.
    pub status: String,
    /// Relative gap between the plan's cost and the best bound.
    pub gap: f64,
    /// The best proven lower bound on the cost, in HK$ as the solver computes it (a float).
    pub bound_hkd: f64,
    /// The plan's cost by item, exact.
    pub costs: CostBreakdown,
    /// Every plant, open or not, in model order.
    pub plants: Vec<PlantPlan>,
    /// Every non-zero flow, by plant, market and product in model order.
    pub flows: Vec<Flow>,
    /// Units by country of origin, largest first.
    pub countries: Vec<CountryVolume>,
    /// Wall-clock seconds to build and solve.
    pub seconds: f64,
}

impl NetworkPlan {
    /// Codes of the open plants, in model order.
    pub fn open_plants(&self) -> Vec<&str> {
        self.plants
            .iter()
            .filter(|p| p.option.is_some())
            .map(|p| p.plant.as_str())
            .collect()
    }

    /// Units shipped from plants in `country` to `market`.
    pub fn units_from_country_to(&self, country: CountryCode, market: &str) -> u64 {
        self.flows
            .iter()
            .filter(|f| f.market == market)
            .filter(|f| {
                self.plants
                    .iter()
                    .any(|p| p.plant == f.plant && p.country == country)
            })
            .map(|f| f.units)
            .sum()
    }
}

/// Solves `model` (with any scenario already applied) to least landed cost.
///
/// # Errors
/// - [`PlannerError::InvalidOptions`] for a non-positive time limit or a negative gap;
/// - [`PlannerError::NetworkInfeasible`] with findings naming the demand that cannot be met
///   and the rule that binds;
/// - [`PlannerError::NoSolution`] when the time limit passes before any plan is found;
/// - [`PlannerError::Solver`] when HiGHS fails.
pub fn solve_network(
    model: &NetworkModel,
    options: &NetworkOptions,
) -> Result<NetworkPlan, PlannerError> {
    let start = Instant::now();
    check_limits(options.time_limit, options.mip_gap)?;
    let findings = precheck(model);
    if !findings.is_empty() {
        return Err(PlannerError::NetworkInfeasible { findings });
    }
    let mip = Mip::build(model, false);
    let solved = mip.run(options)?;
    let seconds = start.elapsed().as_secs_f64();
    match solved {
        Run::Infeasible => {
            let mut findings = diagnose(model, options)?;
            if findings.is_empty() {
                findings.push(
                    "HiGHS proved that no plan meets every demand under every rule".to_owned(),
                );
            }
            Err(PlannerError::NetworkInfeasible { findings })
        }
        Run::NoSolution { status } => Err(PlannerError::NoSolution { status, seconds }),
        Run::Feasible {
            columns,
            optimal,
            status,
            gap,
            bound,
        } => Ok(mip.plan(model, &columns, optimal, status, gap, bound, seconds)),
    }
}

/// The most a plant can make, 0 when it is closed or has no lane to ship on.
fn max_capacity(model: &NetworkModel, plant: usize) -> u64 {
    let ships = model.lanes().iter().any(|l| l.plant == plant);
    let plant = &model.plants()[plant];
    if plant.status == PlantStatus::ForcedClosed || !ships {
        return 0;
    }
    plant.options.iter().map(|o| o.capacity).max().unwrap_or(0)
}

/// The share cap as a whole number of units: `floor(share * total)`.
fn share_cap(model: &NetworkModel) -> Option<u64> {
    model.policy().max_country_share.map(|share| {
        let cap = i128::from(model.total_demand()) * i128::from(share.millionths()) / 100_000_000;
        u64::try_from(cap).unwrap_or(u64::MAX)
    })
}

/// Reasons a model is infeasible that need no solver, for people.
fn precheck(model: &NetworkModel) -> Vec<String> {
    let mut findings = Vec::new();
    let plants = model.plants();
    let open_able: Vec<bool> = plants
        .iter()
        .map(|p| p.status != PlantStatus::ForcedClosed)
        .collect();
    for (m, market) in model.markets().iter().enumerate() {
        let reaching: Vec<usize> = model
            .lanes()
            .iter()
            .filter(|l| l.market == m && open_able[l.plant])
            .map(|l| l.plant)
            .collect();
        let demand: u64 = market.demand.iter().sum();
        if demand == 0 {
            continue;
        }
        if reaching.is_empty() {
            for (k, units) in market.demand.iter().enumerate() {
                if *units > 0 {
                    findings.push(format!(
                        "market `{}`: {} units a year of `{}` cannot be served: no plant that may open has a lane to it",
                        market.code, units, model.products()[k].code
                    ));
                }
            }
            continue;
        }
        let reach_capacity: u64 = reaching.iter().map(|&p| max_capacity(model, p)).sum();
        if demand > reach_capacity {
            findings.push(format!(
                "market `{}`: demand of {demand} units a year exceeds the {reach_capacity} units the plants with a lane to it ({}) can make at their largest size",
                market.code,
                reaching.iter().map(|&p| plants[p].code.as_str()).collect::<Vec<_>>().join(", ")
            ));
        }
        if model.policy().single_sourcing {
            let largest = reaching
                .iter()
                .map(|&p| max_capacity(model, p))
                .max()
                .unwrap_or(0);
            for (k, units) in market.demand.iter().enumerate() {
                if *units > largest {
                    findings.push(format!(
                        "market `{}`: single sourcing needs one plant to make all {units} units of `{}`, but the largest plant that reaches it makes {largest}",
                        market.code, model.products()[k].code
                    ));
                }
            }
        }
    }
    let total = model.total_demand();
    let capacity: u64 = (0..plants.len()).map(|p| max_capacity(model, p)).sum();
    if total > capacity {
        findings.push(format!(
            "total demand of {total} units a year exceeds the {capacity} units the plants that may open and ship can make at their largest size"
        ));
    }
    let mut by_country: BTreeMap<CountryCode, u64> = BTreeMap::new();
    for (p, plant) in plants.iter().enumerate() {
        let capacity = max_capacity(model, p);
        if capacity > 0 {
            *by_country.entry(plant.country).or_default() += capacity;
        }
    }
    if let Some(min) = model.policy().min_countries {
        let countries = by_country.len();
        if (min as usize) > countries {
            findings.push(format!(
                "at least {min} countries must have an open plant, but plants may open in only {countries} ({})",
                by_country.keys().map(|c| c.to_string()).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    if let (Some(cap), Some(share)) = (share_cap(model), model.policy().max_country_share) {
        let reachable: u64 = by_country.values().map(|c| (*c).min(cap)).sum();
        if reachable < total {
            findings.push(format!(
                "at most {share}% of units from one country ({cap} units) with plants in {} countries allows at most {reachable} of the {total} units demanded",
                by_country.len()
            ));
        }
    }
    findings
}

/// Finds which demands and rules bind in an infeasible model by solving an elastic copy.
fn diagnose(model: &NetworkModel, options: &NetworkOptions) -> Result<Vec<String>, PlannerError> {
    let mip = Mip::build(model, true);
    let Run::Feasible { columns, .. } = mip.run(options)? else {
        return Ok(Vec::new());
    };
    let mut findings = Vec::new();
    for (&(m, k), col) in &mip.shortfall {
        let short = columns[col.index()].round() as u64;
        if short > 0 {
            findings.push(format!(
                "market `{}`: {short} of its {} units a year of `{}` cannot be served under the rules",
                model.markets()[m].code,
                model.markets()[m].demand[k],
                model.products()[k].code
            ));
        }
    }
    if let Some(share) = model.policy().max_country_share {
        for (country, col) in &mip.share_overrun {
            let over = columns[col.index()].round() as u64;
            if over > 0 {
                findings.push(format!(
                    "the rule of at most {share}% of units from one country binds: {country} would have to supply {over} units more"
                ));
            }
        }
    }
    if let (Some(col), Some(min)) = (mip.countries_missing, model.policy().min_countries) {
        let missing = columns[col.index()].round() as u64;
        if missing > 0 {
            findings.push(format!(
                "the rule of at least {min} countries with an open plant binds: {missing} too few can open"
            ));
        }
    }
    Ok(findings)
}

enum Run {
    Feasible {
        columns: Vec<f64>,
        optimal: bool,
        status: String,
        gap: f64,
        bound: f64,
    },
    Infeasible,
    NoSolution {
        status: String,
    },
}

/// The columns of one lane and product.
struct FlowColumn {
    lane: usize,
    product: usize,
    col: Col,
}

struct Mip {
    problem: RowProblem,
    /// `y[p][o]`, empty for a closed plant.
    y: Vec<Vec<Col>>,
    flows: Vec<FlowColumn>,
    shortfall: BTreeMap<(usize, usize), Col>,
    share_overrun: BTreeMap<CountryCode, Col>,
    countries_missing: Option<Col>,
}

fn hkd(money: Money) -> f64 {
    money.cents() as f64 / 100.0
}

/// The tariff on `units` of a product worth `value` at `millionths` of a percentage point.
fn tariff_on(units: u64, value: Money, millionths: i64) -> Money {
    let cents = round_half_even_div(
        i128::from(units) * i128::from(value.cents()) * i128::from(millionths),
        100_000_000,
    );
    Money::hkd(i64::try_from(cents).unwrap_or(i64::MAX))
}

impl Mip {
    /// The MIP of `model`; `elastic` adds priced slack on demand and rules and prices nothing
    /// else, for diagnosis.
    fn build(model: &NetworkModel, elastic: bool) -> Self {
        let cost = |x: f64| if elastic { 0.0 } else { x };
        let plants = model.plants();
        let markets = model.markets();
        let products = model.products();
        let single = model.policy().single_sourcing;
        let mut problem = RowProblem::new();

        let y: Vec<Vec<Col>> = plants
            .iter()
            .map(|plant| match plant.status {
                PlantStatus::ForcedClosed => Vec::new(),
                _ => plant
                    .options
                    .iter()
                    .map(|o| problem.add_integer_column(cost(hkd(o.fixed_cost)), 0.0..=1.0))
                    .collect(),
            })
            .collect();
        for (plant, yp) in plants.iter().zip(&y) {
            if yp.is_empty() {
                continue;
            }
            let ones = yp.iter().map(|&c| (c, 1.0));
            if plant.status == PlantStatus::ForcedOpen {
                problem.add_row(1.0..=1.0, ones);
            } else {
                problem.add_row(..=1.0, ones);
            }
        }

        let mut flows = Vec::new();
        let mut units_cols: Vec<Vec<(Col, f64)>> = vec![Vec::new(); plants.len()];
        let mut demand_cols: BTreeMap<(usize, usize), Vec<(Col, f64)>> = BTreeMap::new();
        for (l, lane) in model.lanes().iter().enumerate() {
            if y[lane.plant].is_empty() {
                continue;
            }
            let plant = &plants[lane.plant];
            let market = &markets[lane.market];
            for (k, product) in products.iter().enumerate() {
                let demand = market.demand[k];
                if demand == 0 {
                    continue;
                }
                let rate = model.tariff_rate(plant.country, lane.market, k);
                let per_unit = hkd(plant.production_cost[k])
                    + hkd(lane.freight)
                    + hkd(product.unit_value) * rate.millionths() as f64 / 100_000_000.0;
                let d = demand as f64;
                // With single sourcing the column is the binary choice of this lane, carrying
                // all `d` units; otherwise whole units.
                let (col, units_per_col) = if single {
                    (problem.add_integer_column(cost(per_unit * d), 0.0..=1.0), d)
                } else {
                    (problem.add_integer_column(cost(per_unit), 0.0..=d), 1.0)
                };
                let link = y[lane.plant].iter().map(|&c| (c, -d / units_per_col));
                problem.add_row(..=0.0, std::iter::once((col, 1.0)).chain(link));
                units_cols[lane.plant].push((col, units_per_col));
                demand_cols
                    .entry((lane.market, k))
                    .or_default()
                    .push((col, units_per_col));
                flows.push(FlowColumn {
                    lane: l,
                    product: k,
                    col,
                });
            }
        }

        // Capacity.
        for (p, plant) in plants.iter().enumerate() {
            if y[p].is_empty() || units_cols[p].is_empty() {
                continue;
            }
            let made = units_cols[p].iter().copied();
            let built = plant
                .options
                .iter()
                .zip(&y[p])
                .map(|(o, &c)| (c, -(o.capacity as f64)));
            problem.add_row(..=0.0, made.chain(built));
        }

        // Demand, with a priced shortfall when elastic.
        let mut shortfall = BTreeMap::new();
        for (m, market) in markets.iter().enumerate() {
            for (k, &demand) in market.demand.iter().enumerate() {
                if demand == 0 {
                    continue;
                }
                let d = demand as f64;
                let mut row = demand_cols.remove(&(m, k)).unwrap_or_default();
                if elastic {
                    let short = problem.add_column(1.0, 0.0..=d);
                    shortfall.insert((m, k), short);
                    row.push((short, 1.0));
                }
                problem.add_row(d..=d, row);
            }
        }

        // At most a share of units from one country.
        let mut share_overrun = BTreeMap::new();
        if let Some(cap) = share_cap(model) {
            let mut by_country: BTreeMap<CountryCode, Vec<(Col, f64)>> = BTreeMap::new();
            for (p, plant) in plants.iter().enumerate() {
                by_country
                    .entry(plant.country)
                    .or_default()
                    .extend(units_cols[p].iter().copied());
            }
            for (country, mut row) in by_country {
                if row.is_empty() {
                    continue;
                }
                if elastic {
                    let over = problem.add_column(1.0, 0.0..);
                    share_overrun.insert(country, over);
                    row.push((over, -1.0));
                }
                problem.add_row(..=cap as f64, row);
            }
        }

        // At least N countries with an open plant.
        let mut countries_missing = None;
        if let Some(min) = model.policy().min_countries.filter(|n| *n > 0) {
            let mut by_country: BTreeMap<CountryCode, Vec<Col>> = BTreeMap::new();
            for (plant, yp) in plants.iter().zip(&y) {
                by_country.entry(plant.country).or_default().extend(yp);
            }
            let mut z_row = Vec::new();
            for yc in by_country.values().filter(|yc| !yc.is_empty()) {
                let z = problem.add_integer_column(0.0, 0.0..=1.0);
                problem.add_row(
                    ..=0.0,
                    std::iter::once((z, 1.0)).chain(yc.iter().map(|&c| (c, -1.0))),
                );
                z_row.push((z, 1.0));
            }
            if elastic {
                let missing = problem.add_column(model.total_demand().max(1) as f64, 0.0..);
                countries_missing = Some(missing);
                z_row.push((missing, 1.0));
            }
            problem.add_row(f64::from(min).., z_row);
        }

        Mip {
            problem,
            y,
            flows,
            shortfall,
            share_overrun,
            countries_missing,
        }
    }

    fn run(&self, options: &NetworkOptions) -> Result<Run, PlannerError> {
        let guard = HIGHS
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut model = self
            .problem
            // The columns stay needed to read the solution; models are small next to a solve.
            .clone()
            .try_optimise(Sense::Minimise)
            .map_err(|s| solver_error("HiGHS rejected the model", &s))?;
        model.make_quiet();
        if let Some(limit) = options.time_limit {
            model
                .try_set_option("time_limit", limit)
                .map_err(|s| solver_error("HiGHS rejected time_limit", &s))?;
        }
        model
            .try_set_option("mip_rel_gap", options.mip_gap.unwrap_or(1e-9))
            .map_err(|s| solver_error("HiGHS rejected mip_rel_gap", &s))?;
        let solved = model
            .try_solve()
            .map_err(|s| solver_error("HiGHS failed", &s))?;
        let status = solved.status();
        let run = match ended(status)? {
            Ended::Infeasible => Run::Infeasible,
            Ended::Stopped if solved.primal_solution_status() == HighsSolutionStatus::Feasible => {
                Run::Feasible {
                    columns: solved.get_solution().columns().to_vec(),
                    optimal: status == HighsModelStatus::Optimal,
                    status: format!("{status:?}"),
                    gap: solved.mip_gap(),
                    bound: solved
                        .double_info_value(c"mip_dual_bound")
                        .unwrap_or(f64::NAN),
                }
            }
            Ended::Stopped => Run::NoSolution {
                status: format!("{status:?}"),
            },
        };
        drop(solved);
        drop(guard);
        Ok(run)
    }

    #[allow(clippy::too_many_arguments)]
    fn plan(
        &self,
        model: &NetworkModel,
        columns: &[f64],
        optimal: bool,
        status: String,
        gap: f64,
        bound: f64,
        seconds: f64,
    ) -> NetworkPlan {
        let plants = model.plants();
        let markets = model.markets();
        let products = model.products();
        let single = model.policy().single_sourcing;
        let zero = Money::hkd(0);
        let add = |a: Money, b: Money| a.checked_add(b).unwrap_or(a);

        let mut plant_plans: Vec<PlantPlan> = plants
            .iter()
            .zip(&self.y)
            .map(|(plant, yp)| {
                let chosen = yp.iter().position(|c| columns[c.index()] > 0.5);
                let option = chosen.map(|o| &plant.options[o]);
                PlantPlan {
                    plant: plant.code.clone(),
                    name: plant.name.clone(),
                    country: plant.country,
                    option: option.map(|o| o.code.clone()),
                    capacity: option.map_or(0, |o| o.capacity),
                    units: 0,
                    fixed_cost: option.map_or(zero, |o| o.fixed_cost),
                }
            })
            .collect();

        let mut flows = Vec::new();
        let (mut production, mut freight, mut tariff) = (zero, zero, zero);
        for flow in &self.flows {
            let value = columns[flow.col.index()];
            let lane = &model.lanes()[flow.lane];
            let units = if single {
                if value > 0.5 {
                    markets[lane.market].demand[flow.product]
                } else {
                    0
                }
            } else {
                value.round().max(0.0) as u64
            };
            if units == 0 {
                continue;
            }
            let plant = &plants[lane.plant];
            let times = |money: Money| {
                Money::hkd(
                    money
                        .cents()
                        .saturating_mul(i64::try_from(units).unwrap_or(i64::MAX)),
                )
            };
            let rate = model.tariff_rate(plant.country, lane.market, flow.product);
            let item = Flow {
                plant: plant.code.clone(),
                market: markets[lane.market].code.clone(),
                product: products[flow.product].code.clone(),
                units,
                production: times(plant.production_cost[flow.product]),
                freight: times(lane.freight),
                tariff: tariff_on(units, products[flow.product].unit_value, rate.millionths()),
            };
            production = add(production, item.production);
            freight = add(freight, item.freight);
            tariff = add(tariff, item.tariff);
            plant_plans[lane.plant].units += units;
            flows.push(item);
        }
        let fixed = plant_plans
            .iter()
            .fold(zero, |sum, p| add(sum, p.fixed_cost));
        let total = [production, freight, tariff].into_iter().fold(fixed, add);

        let mut by_country: BTreeMap<CountryCode, (u64, usize)> = BTreeMap::new();
        for plan in &plant_plans {
            if plan.option.is_some() {
                let entry = by_country.entry(plan.country).or_default();
                entry.0 += plan.units;
                entry.1 += 1;
            }
        }
        let mut countries: Vec<CountryVolume> = by_country
            .into_iter()
            .map(|(country, (units, open_plants))| CountryVolume {
                country,
                units,
                open_plants,
            })
            .collect();
        countries.sort_by(|a, b| b.units.cmp(&a.units).then(a.country.cmp(&b.country)));

        NetworkPlan {
            optimal,
            status,
            gap,
            bound_hkd: bound,
            costs: CostBreakdown {
                fixed,
                production,
                freight,
                tariff,
                total,
            },
            plants: plant_plans,
            flows,
            countries,
            seconds,
        }
    }
}
