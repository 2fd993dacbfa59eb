//! The capacitated facility location problem as a mixed-integer program, solved with HiGHS.
//!
//! Variables: `y_i` in {0, 1} (facility `i` open) and `x_ij` in [0, 1], the fraction of
//! customer `j`'s demand served by facility `i` (binary when single-sourcing). Minimise
//! `sum_i f_i y_i + sum_ij c_ij x_ij` subject to
//!
//! - assignment: `sum_i x_ij = 1` for every customer `j`;
//! - capacity: `sum_j d_j x_ij <= s_i y_i` for every facility `i`;
//! - linking: `x_ij <= y_i` (redundant for integer `y` when `d_j > 0`, but much tighter in the
//!   LP relaxation);
//! - aggregate capacity: `sum_i s_i y_i >= sum_j d_j`, and its integer rounding
//!   `sum_i y_i >= k`, `k` the fewest facilities whose capacities (largest first) reach the
//!   demand. Both are valid inequalities the LP relaxation misses: on `capa1` it opens 6.36
//!   facilities' worth where 7 are needed, and the rounding closes almost all of its 2% gap.
//!
//! When demand may be split, [`solve`] first shrinks the problem with the Lagrangian
//! relaxation of the assignment rows ([`crate::lagrangian`]), which gives a lower bound,
//! proposes sets of open facilities, and bounds the cost of opening or of closing each one:
//!
//! 1. the proposed sets, assigned optimally and improved by local search ([`crate::primal`]),
//!    give an incumbent;
//! 2. a facility whose bound when opened (or closed) exceeds the incumbent's cost is fixed
//!    closed (or open), and the relaxation runs again on what is left;
//! 3. probing: each facility still free is forced the likelier way and the multipliers are
//!    re-optimised for that alone, which raises its bound far above the one shared bound
//!    (on `capc1` it decides all 23 facilities the previous steps leave free);
//! 4. HiGHS proves optimality on the MIP over what is left, started from the incumbent.
//!
//! Fixing is a proof, not a guess: a facility is fixed only when a valid lower bound on every
//! solution that decides it the other way exceeds the incumbent's cost plus a margin far above
//! rounding error, so `optimal` keeps its meaning, and `bound` is the least of HiGHS's bound
//! and the bounds of what fixing set aside.
//!
//! Single-sourcing goes straight to HiGHS with the full formulation.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use highs::{Col, HighsModelStatus, HighsSolutionStatus, RowProblem, Sense};

use crate::lagrangian::{self, Data, Fixed, Relaxation, Schedule};
use crate::primal::{self, Assignment};
use crate::{Instance, PlannerError};

/// How to solve one instance. No `Default`: every caller says what it wants.
#[derive(Debug, Clone, PartialEq)]
pub struct SolveOptions {
    /// Serve every customer from exactly one facility (`x_ij` binary) instead of splitting
    /// its demand.
    pub single_source: bool,
    /// Wall-clock limit in seconds; `None` runs until the gap closes.
    pub time_limit: Option<f64>,
    /// Relative gap at which the solver stops and calls the solution optimal; `None` asks for
    /// a proven optimum (gap 0, up to HiGHS's absolute tolerance of 1e-6).
    pub mip_gap: Option<f64>,
}

/// The result of a solve that found at least one feasible solution.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// The cost of the best solution found.
    pub objective: f64,
    /// `true` when the solver proved the solution optimal (within the requested gap).
    pub optimal: bool,
    /// Relative gap between `objective` and `bound`, `(objective - bound) / |objective|` as
    /// HiGHS defines it.
    pub gap: f64,
    /// The best proven lower bound on the optimal cost.
    pub bound: f64,
    /// Wall-clock seconds for building and solving the model.
    pub seconds: f64,
    /// The open facilities, as 0-based indices into [`Instance::facilities`], ascending.
    pub open: Vec<usize>,
    /// HiGHS's model status, e.g. `Optimal` or `ReachedTimeLimit` (`Optimal` too when the
    /// Lagrangian bound alone proves the optimum and HiGHS is not needed).
    pub status: String,
}

/// HiGHS's C API is not safe to use from several threads at once: `Highs_destroy` resets a
/// process-wide task scheduler that another thread may be running on (fixed upstream in HiGHS
/// PR #3141, after the version vendored by `highs-sys` 1.15). Every HiGHS object is created,
/// run and destroyed while holding this lock.
pub(crate) static HIGHS: Mutex<()> = Mutex::new(());

/// HiGHS's default absolute MIP gap: below it a solution counts as optimal whatever the
/// relative gap.
const ABSOLUTE_GAP: f64 = 1e-6;
/// A bound must exceed the incumbent's cost by this part of it before a facility is fixed:
/// far above the rounding error of the bound's sums (about 1e-13 of the cost on OR-Library's
/// largest instances), far below any difference between two solutions that matters.
const FIXING_MARGIN: f64 = 1e-9;
/// At most this many rounds of relaxation and fixing before probing.
const ROUNDS: usize = 4;
/// How many of the relaxation's proposals, the cheapest by greedy cost, are assigned
/// optimally in each round.
const CANDIDATES: usize = 10;
/// Passes of probing over the free facilities (a second pass profits from the first's
/// fixings).
const PROBING_PASSES: usize = 2;

/// Probe only when the MIP would have at least this many assignment variables: below it
/// HiGHS solves the MIP faster than the probes would shrink it (the 50-customer instances).
const PROBE_FROM: usize = 10_000;

/// The first round's subgradient schedule, from the initial multipliers.
const FIRST_ROUND: Schedule = Schedule {
    iterations: 3000,
    patience: 30,
    initial_step: 2.0,
    min_step: 1e-3,
    propose: true,
};
/// Later rounds start from the previous round's best multipliers, so smaller steps.
const LATER_ROUND: Schedule = Schedule {
    iterations: 1000,
    patience: 30,
    initial_step: 0.5,
    min_step: 1e-5,
    propose: true,
};
/// One probe: short, from the best multipliers, aimed above the incumbent (aiming at it would
/// make the steps vanish just short of what fixing needs).
const PROBE: Schedule = Schedule {
    iterations: 500,
    patience: 10,
    initial_step: 0.2,
    min_step: 1e-4,
    propose: false,
};

/// Solves `instance` to optimality, or until the time limit, and returns the best solution.
///
/// # Errors
/// - [`PlannerError::InvalidOptions`] for a non-positive time limit or a negative gap;
/// - [`PlannerError::Infeasible`] when total demand exceeds total capacity, when (single
///   sourcing) a customer's demand exceeds every capacity, or when HiGHS proves infeasibility;
/// - [`PlannerError::NoSolution`] when the time limit passes before any feasible solution;
/// - [`PlannerError::Solver`] when HiGHS fails.
pub fn solve(instance: &Instance, options: &SolveOptions) -> Result<Solution, PlannerError> {
    let start = Instant::now();
    check_options(options)?;
    check_capacity(instance, options)?;
    if options.single_source {
        let reduced = Reduced {
            fixed: vec![Fixed::Free; instance.facilities().len()],
            incumbent: None,
            set_aside: f64::INFINITY,
            multipliers: None,
        };
        return solve_mip(instance, options, start, &reduced);
    }

    let data = Data::new(instance);
    let deadline = options
        .time_limit
        .map(|limit| start + Duration::from_secs_f64(limit));
    let mut search = Search::new(&data, options, deadline);
    search.relax_and_fix();
    search.probe();
    let out_of_time = deadline.is_some_and(|d| Instant::now() >= d);
    match &search.incumbent {
        Some(inc) if search.proven() || out_of_time => {
            let (optimal, status) = if search.proven() {
                (true, "Optimal")
            } else {
                (false, "ReachedTimeLimit")
            };
            return Ok(solution(
                inc.cost,
                optimal,
                search.bound,
                start,
                inc.open.clone(),
                status,
            ));
        }
        None if out_of_time => {
            return Err(PlannerError::NoSolution {
                status: "ReachedTimeLimit".to_owned(),
                seconds: start.elapsed().as_secs_f64(),
            })
        }
        _ => {}
    }
    let bound = search.bound;
    let reduced = Reduced {
        fixed: search.fixed,
        incumbent: search.incumbent,
        set_aside: search.set_aside,
        multipliers: Some(search.multipliers),
    };
    let mut solved = solve_mip(instance, options, start, &reduced)?;
    if solved.bound < bound {
        // The relaxation's bound holds for every solution: it may end a time-limited run with
        // a better bound than HiGHS's.
        solved.bound = bound.min(solved.objective);
        solved.gap = relative_gap(solved.objective, solved.bound);
    }
    Ok(solved)
}

/// The state of the search before HiGHS: what is fixed, the incumbent and the bounds.
struct Search<'a> {
    data: &'a Data,
    options: &'a SolveOptions,
    deadline: Option<Instant>,
    fixed: Vec<Fixed>,
    incumbent: Option<Assignment>,
    /// A lower bound on every solution.
    bound: f64,
    /// The least lower bound of the solutions fixing has set aside (each costs more than the
    /// incumbent); infinite while none are.
    set_aside: f64,
    /// The best multipliers of the last round, a warm start for the next run.
    multipliers: Vec<f64>,
    /// Each free facility's bounds when opened and when closed, from the last round.
    if_open: Vec<f64>,
    if_closed: Vec<f64>,
    /// The sets of open facilities already assigned optimally.
    tried: HashSet<Vec<usize>>,
}

impl<'a> Search<'a> {
    fn new(data: &'a Data, options: &'a SolveOptions, deadline: Option<Instant>) -> Self {
        Self {
            data,
            options,
            deadline,
            fixed: vec![Fixed::Free; data.m],
            incumbent: None,
            bound: f64::NEG_INFINITY,
            set_aside: f64::INFINITY,
            multipliers: lagrangian::initial_multipliers(data),
            if_open: vec![f64::NAN; data.m],
            if_closed: vec![f64::NAN; data.m],
            tried: HashSet::new(),
        }
    }

    fn best(&self) -> f64 {
        self.incumbent
            .as_ref()
            .map_or(f64::INFINITY, |inc| inc.cost)
    }

    /// Whether the bound proves the incumbent optimal (within the requested gap).
    fn proven(&self) -> bool {
        let best = self.best();
        best.is_finite() && self.bound >= best - allowed_gap(best, self.options)
    }

    fn out_of_time(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// A bound above this excludes what it bounds.
    fn fixing_limit(&self) -> f64 {
        let best = self.best();
        best + FIXING_MARGIN * best.abs().max(1.0)
    }

    /// Rounds of relaxation, incumbent and fixing, until a round fixes nothing.
    fn relax_and_fix(&mut self) {
        for round in 0..ROUNDS {
            let schedule = if round == 0 { FIRST_ROUND } else { LATER_ROUND };
            let options = self.options;
            let relaxation = lagrangian::relax(
                self.data,
                &self.fixed,
                &self.multipliers,
                self.best(),
                &|bound, known| bound >= known - allowed_gap(known, options),
                schedule,
                self.deadline,
            );
            self.bound = self.bound.max(relaxation.bound.min(self.set_aside));
            self.improve_incumbent(&relaxation);
            let changed = self.fix(&relaxation);
            self.multipliers = relaxation.multipliers;
            self.if_open = relaxation.if_open;
            self.if_closed = relaxation.if_closed;
            if !changed || self.proven() || self.out_of_time() {
                return;
            }
        }
    }

    /// Assigns the relaxation's cheapest new proposals optimally, then improves the best
    /// solution by local search.
    fn improve_incumbent(&mut self, relaxation: &Relaxation) {
        let fresh: Vec<&Vec<usize>> = relaxation
            .candidates
            .iter()
            .map(|(_, open)| open)
            .filter(|open| !self.tried.contains(*open))
            .take(CANDIDATES)
            .collect();
        for open in fresh {
            if let Some(a) = primal::assign(self.data, open) {
                if a.cost < self.best() {
                    self.incumbent = Some(a);
                }
            }
            self.tried.insert(open.clone());
        }
        if let Some(inc) = self.incumbent.take() {
            let improved =
                primal::local_search(self.data, &self.fixed, inc, &mut self.tried, self.deadline);
            self.incumbent = Some(improved);
        }
    }

    /// Fixes the free facilities whose bound when opened or closed exceeds the incumbent;
    /// returns whether any was.
    fn fix(&mut self, relaxation: &Relaxation) -> bool {
        if self.incumbent.is_none() {
            return false;
        }
        let limit = self.fixing_limit();
        let mut changed = false;
        for i in 0..self.data.m {
            if self.fixed[i] != Fixed::Free {
                continue;
            }
            let (if_open, if_closed) = (relaxation.if_open[i], relaxation.if_closed[i]);
            if if_open > limit && if_closed > limit {
                // Whatever is decided about facility i costs more than the incumbent: nothing
                // left to search beats it.
                self.set_aside = self.set_aside.min(if_open.min(if_closed));
                self.bound = self.bound.max(self.set_aside);
                return false;
            } else if if_open > limit {
                self.fixed[i] = Fixed::Closed;
                self.set_aside = self.set_aside.min(if_open);
                changed = true;
            } else if if_closed > limit {
                self.fixed[i] = Fixed::Open;
                self.set_aside = self.set_aside.min(if_closed);
                changed = true;
            }
        }
        changed
    }

    /// Probes each free facility: forces it the way its bound is higher (the likelier way to
    /// exceed the incumbent), re-optimises the multipliers for that alone, and fixes it the
    /// other way when the bound then exceeds the incumbent.
    fn probe(&mut self) {
        let kept = self.fixed.iter().filter(|&&f| f != Fixed::Closed).count();
        if self.incumbent.is_none() || self.proven() || kept * self.data.n < PROBE_FROM {
            return;
        }
        let best = self.best();
        let limit = self.fixing_limit();
        // Aim the steps half the gap above the incumbent, and stop once the bound clears the
        // limit by a margin.
        let aim = best + 0.5 * (best - self.bound);
        let stop_at = limit + FIXING_MARGIN * best.abs().max(1.0);
        let score = |i: usize| self.if_open[i].max(self.if_closed[i]);
        let mut order: Vec<usize> = (0..self.data.m)
            .filter(|&i| self.fixed[i] == Fixed::Free)
            .collect();
        order.sort_by(|&a, &b| score(b).total_cmp(&score(a)));
        for _ in 0..PROBING_PASSES {
            let mut changed = false;
            for &i in &order {
                if self.fixed[i] != Fixed::Free {
                    continue;
                }
                if self.out_of_time() {
                    return;
                }
                let (forced, otherwise) = if self.if_open[i] >= self.if_closed[i] {
                    (Fixed::Open, Fixed::Closed)
                } else {
                    (Fixed::Closed, Fixed::Open)
                };
                let mut trial = self.fixed.clone();
                trial[i] = forced;
                let probe = lagrangian::relax(
                    self.data,
                    &trial,
                    &self.multipliers,
                    aim,
                    &|bound, _| bound >= stop_at,
                    PROBE,
                    self.deadline,
                );
                if probe.bound > limit {
                    self.fixed[i] = otherwise;
                    self.set_aside = self.set_aside.min(probe.bound);
                    changed = true;
                }
            }
            if !changed {
                return;
            }
        }
    }
}

/// How far below `cost` a lower bound may stay for `cost` to count as optimal.
fn allowed_gap(cost: f64, options: &SolveOptions) -> f64 {
    if !cost.is_finite() {
        return 0.0;
    }
    ABSOLUTE_GAP.max(options.mip_gap.unwrap_or(0.0) * cost.abs())
}

/// `(objective - bound) / |objective|`, as HiGHS defines its gap.
fn relative_gap(objective: f64, bound: f64) -> f64 {
    if objective == bound {
        0.0
    } else {
        ((objective - bound) / objective.abs()).max(0.0)
    }
}

fn solution(
    objective: f64,
    optimal: bool,
    bound: f64,
    start: Instant,
    open: Vec<usize>,
    status: &str,
) -> Solution {
    let bound = bound.min(objective);
    Solution {
        objective,
        optimal,
        gap: relative_gap(objective, bound),
        bound,
        seconds: start.elapsed().as_secs_f64(),
        open,
        status: status.to_owned(),
    }
}

/// What the MIP is left with.
struct Reduced {
    fixed: Vec<Fixed>,
    /// HiGHS's starting point.
    incumbent: Option<Assignment>,
    /// A lower bound on every solution outside the MIP (infinite when none is).
    set_aside: f64,
    /// The relaxation's best multipliers, which choose the linking rows worth having.
    multipliers: Option<Vec<f64>>,
}

/// The MIP over the facilities `reduced.fixed` leaves (closed ones have no variables, open
/// ones a fixed `y_i = 1` and no linking rows), solved by HiGHS.
fn solve_mip(
    instance: &Instance,
    options: &SolveOptions,
    start: Instant,
    reduced: &Reduced,
) -> Result<Solution, PlannerError> {
    let fixed = &reduced.fixed;
    let facilities = instance.facilities();
    let customers = instance.customers();
    let kept: Vec<usize> = (0..facilities.len())
        .filter(|&i| fixed[i] != Fixed::Closed)
        .collect();
    let mut problem = RowProblem::new();
    let y: Vec<Col> = kept
        .iter()
        .map(|&i| match fixed[i] {
            Fixed::Open => problem.add_column(facilities[i].fixed_cost, 1.0..=1.0),
            _ => problem.add_integer_column(facilities[i].fixed_cost, 0.0..=1.0),
        })
        .collect();
    // x[j][a]: customer j from facility kept[a].
    let x: Vec<Vec<Col>> = customers
        .iter()
        .map(|c| {
            kept.iter()
                .map(|&i| {
                    problem.add_column_with_integrality(
                        c.costs[i],
                        0.0..=1.0,
                        options.single_source,
                    )
                })
                .collect()
        })
        .collect();
    for xj in &x {
        problem.add_row(1.0..=1.0, xj.iter().map(|&col| (col, 1.0)));
    }
    for (a, &i) in kept.iter().enumerate() {
        let served = x.iter().zip(customers).map(|(xj, c)| (xj[a], c.demand));
        problem.add_row(
            ..=0.0,
            served.chain(std::iter::once((y[a], -facilities[i].capacity))),
        );
    }
    let free: Vec<usize> = (0..kept.len())
        .filter(|&a| fixed[kept[a]] == Fixed::Free)
        .collect();
    for (j, (xj, c)) in x.iter().zip(customers).enumerate() {
        for &a in &free {
            // The LP needs the linking row only where it can bind: where the customer is
            // worth serving from the facility at the relaxation's prices (c_ij < lambda_j).
            // The others cost a tenth of the rows for a bound HiGHS's LP barely notices
            // (13324531 instead of 13324571 on capb2); leaving them out is safe because the
            // capacity row already closes x_ij with y_i, except for a customer without
            // demand, which keeps all its rows.
            let binds = reduced
                .multipliers
                .as_ref()
                .is_none_or(|lambda| c.demand <= 0.0 || c.costs[kept[a]] < lambda[j]);
            if binds {
                problem.add_row(..=0.0, [(xj[a], 1.0), (y[a], -1.0)]);
            }
        }
    }
    let opened: f64 = kept
        .iter()
        .filter(|&&i| fixed[i] == Fixed::Open)
        .map(|&i| facilities[i].capacity)
        .sum();
    let need = instance.total_demand() - opened;
    if need > 0.0 && !free.is_empty() {
        let capacities = free.iter().map(|&a| (y[a], facilities[kept[a]].capacity));
        problem.add_row(need.., capacities);
        let mut largest: Vec<f64> = free.iter().map(|&a| facilities[kept[a]].capacity).collect();
        largest.sort_by(|a, b| b.total_cmp(a));
        let mut reached = 0.0;
        let fewest = largest
            .iter()
            .take_while(|&&s| {
                let short = reached < need;
                reached += s;
                short
            })
            .count();
        problem.add_row(fewest as f64.., free.iter().map(|&a| (y[a], 1.0)));
    }

    // The incumbent as HiGHS's starting point, in the model's column order.
    let start_point = reduced.incumbent.as_ref().and_then(|inc| {
        let mut columns = vec![0.0; problem.num_cols()];
        for (position, &i) in inc.open.iter().enumerate() {
            let a = kept.binary_search(&i).ok()?;
            columns[y[a].index()] = 1.0;
            for (j, xj) in x.iter().enumerate() {
                columns[xj[a].index()] = inc.x[position * customers.len() + j];
            }
        }
        Some(columns)
    });

    let guard = HIGHS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut model = problem
        .try_optimise(Sense::Minimise)
        .map_err(|s| solver_error("HiGHS rejected the model", &s))?;
    if let Some(limit) = options.time_limit {
        let left = limit - start.elapsed().as_secs_f64();
        model
            .try_set_option("time_limit", left.max(1e-3))
            .map_err(|s| solver_error("HiGHS rejected time_limit", &s))?;
    }
    model
        .try_set_option("mip_rel_gap", options.mip_gap.unwrap_or(0.0))
        .map_err(|s| solver_error("HiGHS rejected mip_rel_gap", &s))?;
    if let Some(columns) = &start_point {
        // From a good start, HiGHS's sub-MIP heuristics (RINS, RENS and the like) spend most
        // of the root's time for nothing: without them capc2's MIP takes 14 s instead of 37.
        for heuristic in [
            "mip_heuristic_run_rins",
            "mip_heuristic_run_rens",
            "mip_heuristic_run_root_reduced_cost",
            "mip_heuristic_run_feasibility_jump",
        ] {
            model
                .try_set_option(heuristic, false)
                .map_err(|s| solver_error("HiGHS rejected a heuristic option", &s))?;
        }
        model
            .try_set_solution(Some(columns), None, None, None)
            .map_err(|s| solver_error("HiGHS rejected the starting solution", &s))?;
    }
    let solved = model
        .try_solve()
        .map_err(|s| solver_error("HiGHS failed", &s))?;
    let status = solved.status();
    if let Ended::Infeasible = ended(status)? {
        return Err(PlannerError::Infeasible(
            "HiGHS proved that no assignment of customers to facilities respects the capacities"
                .to_owned(),
        ));
    }
    if solved.primal_solution_status() != HighsSolutionStatus::Feasible {
        return Err(PlannerError::NoSolution {
            status: format!("{status:?}"),
            seconds: start.elapsed().as_secs_f64(),
        });
    }
    let columns = solved.get_solution();
    let columns = columns.columns();
    let open = kept
        .iter()
        .zip(&y)
        .filter(|(_, ya)| columns[ya.index()] > 0.5)
        .map(|(&i, _)| i)
        .collect();
    let objective = solved.objective_value();
    let mip_bound = solved
        .double_info_value(c"mip_dual_bound")
        .unwrap_or(f64::NAN);
    drop(solved);
    drop(guard);
    let optimal = status == HighsModelStatus::Optimal;
    // With every facility decided the model is an LP, for which HiGHS reports no MIP bound:
    // its optimum is the bound.
    let integer = options.single_source || !free.is_empty();
    let mip_bound = if optimal && !integer {
        objective
    } else {
        mip_bound
    };
    let bound = mip_bound.min(reduced.set_aside);
    let status = format!("{status:?}");
    Ok(match &reduced.incumbent {
        Some(inc) if inc.cost < objective => {
            solution(inc.cost, optimal, bound, start, inc.open.clone(), &status)
        }
        _ => solution(objective, optimal, bound, start, open, &status),
    })
}

fn check_options(options: &SolveOptions) -> Result<(), PlannerError> {
    check_limits(options.time_limit, options.mip_gap)
}

/// Checks a solve's time limit (positive seconds) and relative gap (non-negative); shared by
/// every model the crate solves.
pub(crate) fn check_limits(
    time_limit: Option<f64>,
    mip_gap: Option<f64>,
) -> Result<(), PlannerError> {
    if let Some(limit) = time_limit {
        if !(limit.is_finite() && limit > 0.0) {
            return Err(PlannerError::InvalidOptions(format!(
                "time limit {limit} s is not a positive number of seconds"
            )));
        }
    }
    if let Some(gap) = mip_gap {
        if !(gap.is_finite() && gap >= 0.0) {
            return Err(PlannerError::InvalidOptions(format!(
                "MIP gap {gap} is not a non-negative number"
            )));
        }
    }
    Ok(())
}

/// A failure inside HiGHS, with what was being done.
pub(crate) fn solver_error(what: &str, status: &dyn std::fmt::Debug) -> PlannerError {
    PlannerError::Solver(format!("{what}: {status:?}"))
}

/// How a HiGHS solve ended, for the caller to act on.
pub(crate) enum Ended {
    /// HiGHS proved the model infeasible.
    Infeasible,
    /// It stopped with whatever it found: optimal, or at a limit (time, iterations, ...).
    Stopped,
}

/// Reads HiGHS's model status; a status that is neither is a [`PlannerError::Solver`].
pub(crate) fn ended(status: HighsModelStatus) -> Result<Ended, PlannerError> {
    match status {
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
            Ok(Ended::Infeasible)
        }
        HighsModelStatus::Optimal
        | HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedMemoryLimit
        | HighsModelStatus::ObjectiveBound
        | HighsModelStatus::ObjectiveTarget => Ok(Ended::Stopped),
        other => Err(solver_error("HiGHS stopped with status", &other)),
    }
}

fn check_capacity(instance: &Instance, options: &SolveOptions) -> Result<(), PlannerError> {
    let demand = instance.total_demand();
    let capacity = instance.total_capacity();
    if demand > capacity {
        return Err(PlannerError::Infeasible(format!(
            "total demand {demand} exceeds the total capacity {capacity} of all facilities"
        )));
    }
    if options.single_source {
        let largest = instance
            .facilities()
            .iter()
            .map(|f| f.capacity)
            .fold(0.0, f64::max);
        if let Some((j, c)) = instance
            .customers()
            .iter()
            .enumerate()
            .find(|(_, c)| c.demand > largest)
        {
            return Err(PlannerError::Infeasible(format!(
                "customer {}: demand {} exceeds the largest capacity {largest}, so no single facility can serve it",
                j + 1,
                c.demand
            )));
        }
    }
    Ok(())
}
