//! The capacitated facility location problem as a mixed-integer program, solved with HiGHS.
//!
//! Variables: `y_i` in {0, 1} (facility `i` open) and `x_ij` in [0, 1], the fraction of
//! customer `j`'s demand served by facility `i` (binary when single-sourcing). Minimise
//! `sum_i f_i y_i + sum_ij c_ij x_ij` subject to
//!
//! - assignment: `sum_i x_ij = 1` for every customer `j`;
//! - capacity: `sum_j d_j x_ij <= s_i y_i` for every facility `i`;
//! - linking: `x_ij <= y_i` for every pair (redundant for integer `y` but much tighter in the
//!   LP relaxation);
//! - aggregate capacity: `sum_i s_i y_i >= sum_j d_j` (a valid inequality the relaxation
//!   otherwise misses), and its integer rounding `sum_i y_i >= k`, where `k` is the fewest
//!   facilities whose capacities (largest first) reach the demand. On `capa1` the LP opens
//!   6.36 facilities' worth where 7 are needed: the rounding closes most of the LP's 2% gap.
//!
//! When demand may be split, [`solve`] first works on the Lagrangian relaxation of the
//! assignment rows ([`crate::lagrangian`]): it gives a lower bound, proposes sets of open
//! facilities (whose best assignment, a transportation LP, is an incumbent), and bounds what
//! opening or closing each facility would cost at best. A facility whose forced bound exceeds
//! the incumbent's cost is fixed, and the relaxation is run again on what is left (fixing
//! raises the bound, which fixes more). HiGHS then proves optimality on the reduced MIP,
//! started from the incumbent. Fixing is a proof, not a guess: a facility is fixed only when
//! every solution that decides it the other way costs more than the incumbent plus a safety
//! margin for rounding, so `optimal` keeps its meaning.
//!
//! Single-sourcing goes straight to HiGHS with the full formulation.

use std::collections::HashSet;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use highs::{Col, HighsModelStatus, HighsSolutionStatus, RowProblem, Sense};

use crate::lagrangian::{self, Data, Fixed, Schedule};
use crate::{primal, Instance, PlannerError};

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
    /// Relative gap between `objective` and `bound` as HiGHS reports it.
    pub gap: f64,
    /// The best proven lower bound on the optimal cost.
    pub bound: f64,
    /// Wall-clock seconds for building and solving the model.
    pub seconds: f64,
    /// The open facilities, as 0-based indices into [`Instance::facilities`], ascending.
    pub open: Vec<usize>,
    /// HiGHS's model status, e.g. `Optimal` or `ReachedTimeLimit`.
    pub status: String,
}

/// HiGHS's C API is not safe to use from several threads at once: `Highs_destroy` resets a
/// process-wide task scheduler that another thread may be running on (fixed upstream in HiGHS
/// PR #3141, after the version vendored by `highs-sys` 1.15). Every HiGHS object is created,
/// run and destroyed while holding this lock.
pub(crate) static HIGHS: Mutex<()> = Mutex::new(());

/// Proof that the caller holds [`HIGHS`]: functions that create HiGHS objects take one.
pub(crate) struct HighsLock {
    _guard: MutexGuard<'static, ()>,
}

fn lock_highs() -> HighsLock {
    HighsLock {
        _guard: HIGHS
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()),
    }
}

/// HiGHS's default absolute MIP gap: below it a solution counts as optimal whatever the
/// relative gap.
const ABSOLUTE_GAP: f64 = 1e-6;
/// A bound must exceed the incumbent's cost by this part of it before a facility is fixed:
/// far above the rounding error of the bound's sums (about 1e-13 of the cost here), far below
/// any difference between two solutions that matters.
const FIXING_MARGIN: f64 = 1e-9;
/// At most this many rounds of relaxation and fixing.
const ROUNDS: usize = 4;
/// How many of the relaxation's proposals (the cheapest by greedy cost) get the exact
/// transportation LP in each round.
const CANDIDATES: usize = 10;

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
        let everything = vec![Fixed::Free; instance.facilities().len()];
        return solve_mip(instance, options, start, &everything, None, f64::INFINITY);
    }

    let data = Data::new(instance);
    let deadline = options
        .time_limit
        .map(|limit| start + Duration::from_secs_f64(limit));
    let mut fixed = vec![Fixed::Free; data.m];
    let mut multipliers = lagrangian::initial_multipliers(&data);
    let mut incumbent: Option<Incumbent> = None;
    // A lower bound on every solution, and the least bound of the solutions fixing has set
    // aside (each costs more than the incumbent).
    let mut bound = f64::NEG_INFINITY;
    let mut set_aside = f64::INFINITY;
    let mut tried = HashSet::new();
    let mut last_if_open = vec![f64::NAN; data.m];
    let mut last_if_closed = vec![f64::NAN; data.m];
    for round in 0..ROUNDS {
        let best = incumbent.as_ref().map_or(f64::INFINITY, |inc| inc.cost);
        let schedule = Schedule {
            iterations: if round == 0 { 3000 } else { 1000 },
            patience: 30,
            initial_step: if round == 0 { 2.0 } else { 0.5 },
            min_step: 1e-5,
            propose: true,
        };
        let stop_at = best - allowed_gap(best, options);
        let relaxation = lagrangian::relax(
            &data,
            &fixed,
            &multipliers,
            best,
            stop_at,
            schedule,
            deadline,
        );
        bound = bound.max(relaxation.bound.min(set_aside));

        let fresh: Vec<&Vec<usize>> = relaxation
            .candidates
            .iter()
            .map(|(_, open)| open)
            .filter(|open| !tried.contains(*open))
            .take(CANDIDATES)
            .collect();
        let lock = lock_highs();
        for open in fresh {
            tried.insert(open.clone());
            if let Some((cost, x)) = primal::transport(&lock, &data, open)? {
                if incumbent.as_ref().is_none_or(|inc| cost < inc.cost) {
                    incumbent = Some(Incumbent {
                        cost,
                        open: open.clone(),
                        x,
                    });
                }
            }
        }
        drop(lock);
        if std::env::var_os("PLANNER_TRACE").is_some() {
            eprintln!("TRACE round {round} t={:.2} bound={:.2} relax={:.2} ub={:?} cands={} free={}", start.elapsed().as_secs_f64(), bound, relaxation.bound, incumbent.as_ref().map(|i| i.cost), relaxation.candidates.len(), fixed.iter().filter(|f| **f == Fixed::Free).count());
        }
        let Some(best) = incumbent.as_ref().map(|inc| inc.cost) else {
            break;
        };
        if bound >= best - allowed_gap(best, options) {
            break;
        }

        let limit = best + FIXING_MARGIN * best.abs().max(1.0);
        let mut changed = false;
        for i in 0..data.m {
            if fixed[i] != Fixed::Free {
                continue;
            }
            let (if_open, if_closed) = (relaxation.if_open[i], relaxation.if_closed[i]);
            if if_open > limit && if_closed > limit {
                // Whatever is decided about facility i costs more than the incumbent: nothing
                // left to search beats it.
                set_aside = set_aside.min(if_open.min(if_closed));
                bound = bound.max(set_aside);
                changed = false;
                break;
            } else if if_open > limit {
                fixed[i] = Fixed::Closed;
                set_aside = set_aside.min(if_open);
                changed = true;
            } else if if_closed > limit {
                fixed[i] = Fixed::Open;
                set_aside = set_aside.min(if_closed);
                changed = true;
            }
        }
        multipliers = relaxation.multipliers;
        last_if_open = relaxation.if_open;
        last_if_closed = relaxation.if_closed;
        if !changed
            || bound >= best - allowed_gap(best, options)
            || deadline.is_some_and(|d| Instant::now() >= d)
        {
            break;
        }
    }

    let env = |name: &str, default: f64| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    if let Some(inc) = incumbent.as_ref().filter(|inc| bound < inc.cost - allowed_gap(inc.cost, options)) {
        let limit = inc.cost + FIXING_MARGIN * inc.cost.abs().max(1.0);
        let probe = Schedule {
            iterations: env("PROBE_IT", 150.0) as usize,
            patience: env("PROBE_PAT", 10.0) as usize,
            initial_step: env("PROBE_STEP", 0.2),
            min_step: 1e-4,
            propose: false,
        };
        let aim = inc.cost + env("PROBE_AIM", 0.5) * (inc.cost - bound);
        let mut order: Vec<usize> = (0..data.m).filter(|&i| fixed[i] == Fixed::Free).collect();
        order.sort_by(|&a, &b| last_if_open[b].max(last_if_closed[b]).total_cmp(&last_if_open[a].max(last_if_closed[a])));
        let mut probes = 0;
        for pass in 0..(env("PROBE_PASSES", 2.0) as usize) {
        let before = fixed.iter().filter(|f| **f == Fixed::Free).count();
        for &i in &order {
            if fixed[i] != Fixed::Free { continue; }
            if deadline.is_some_and(|d| Instant::now() >= d) { break; }
            let (try_as, otherwise) = if last_if_open[i] >= last_if_closed[i] { (Fixed::Open, Fixed::Closed) } else { (Fixed::Closed, Fixed::Open) };
            let mut trial = fixed.clone();
            trial[i] = try_as;
            let r = lagrangian::relax(&data, &trial, &multipliers, aim, limit + FIXING_MARGIN * inc.cost.abs().max(1.0), probe, deadline);
            probes += 1;
            if std::env::var_os("PLANNER_TRACE").is_some() {
                eprintln!("TRACE probe {i} as {try_as:?}: before {:.1} after {:.1} limit {:.1}", last_if_open[i].max(last_if_closed[i]), r.bound, limit);
            }
            if r.bound > limit {
                fixed[i] = otherwise;
                set_aside = set_aside.min(r.bound);
            }
        }
        if fixed.iter().filter(|f| **f == Fixed::Free).count() == before { break; }
        let _ = pass;
        }
        if std::env::var_os("PLANNER_TRACE").is_some() {
            eprintln!("TRACE probed {probes} t={:.2} free={} open={}", start.elapsed().as_secs_f64(), fixed.iter().filter(|f| **f == Fixed::Free).count(), fixed.iter().filter(|f| **f == Fixed::Open).count());
        }
    }
    if let Some(inc) = &incumbent {
        let proven = bound >= inc.cost - allowed_gap(inc.cost, options);
        let out_of_time = deadline.is_some_and(|d| Instant::now() >= d);
        if proven || out_of_time {
            let status = if proven { "Optimal" } else { "ReachedTimeLimit" };
            return Ok(solution(inc.cost, proven, bound, start, inc.open.clone(), status));
        }
    } else if deadline.is_some_and(|d| Instant::now() >= d) {
        return Err(PlannerError::NoSolution {
            status: "ReachedTimeLimit".to_owned(),
            seconds: start.elapsed().as_secs_f64(),
        });
    }
    if std::env::var_os("PLANNER_TRACE").is_some() {
        eprintln!("TRACE mip t={:.2} free={} open={}", start.elapsed().as_secs_f64(), fixed.iter().filter(|f| **f == Fixed::Free).count(), fixed.iter().filter(|f| **f == Fixed::Open).count());
    }
    let mut solved = solve_mip(
        instance,
        options,
        start,
        &fixed,
        incumbent.as_ref(),
        set_aside,
    )?;
    if solved.bound < bound {
        // The relaxation's bound holds for every solution, so it may end a time-limited run
        // with a better bound than HiGHS's.
        solved.bound = bound.min(solved.objective);
        solved.gap = relative_gap(solved.objective, solved.bound);
    }
    Ok(solved)
}

/// A feasible solution: its cost, open facilities (ascending) and their assignment
/// (`x[a * n + j]` for `open[a]`).
#[derive(Debug)]
struct Incumbent {
    cost: f64,
    open: Vec<usize>,
    x: Vec<f64>,
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

/// The MIP over the facilities `fixed` leaves (closed ones have no variables, open ones a
/// fixed `y_i = 1` and no linking rows), solved by HiGHS from `incumbent` when given.
/// `set_aside` bounds the cost of every solution outside the MIP (infinite when none is).
fn solve_mip(
    instance: &Instance,
    options: &SolveOptions,
    start: Instant,
    fixed: &[Fixed],
    incumbent: Option<&Incumbent>,
    set_aside: f64,
) -> Result<Solution, PlannerError> {
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
    for xj in &x {
        for &a in &free {
            problem.add_row(..=0.0, [(xj[a], 1.0), (y[a], -1.0)]);
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
        let mut largest: Vec<f64> = free
            .iter()
            .map(|&a| facilities[kept[a]].capacity)
            .collect();
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
    let start_point = incumbent.and_then(|inc| {
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

    let solver_error = |what: &str, status: &dyn std::fmt::Debug| {
        PlannerError::Solver(format!("{what}: {status:?}"))
    };
    let lock = lock_highs();
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
    if std::env::var_os("PLANNER_TRACE").is_some() {
        let _ = model.try_set_option("output_flag", true);
        let _ = model.try_set_option("log_to_console", true);
    }
    if let Ok(v) = std::env::var("PLANNER_HEUR") {
        let _ = model.try_set_option("mip_heuristic_effort", v.parse::<f64>().unwrap());
    }
    if let Some(columns) = &start_point {
        model
            .try_set_solution(Some(columns), None, None, None)
            .map_err(|s| solver_error("HiGHS rejected the starting solution", &s))?;
    }
    let solved = model
        .try_solve()
        .map_err(|s| solver_error("HiGHS failed", &s))?;
    let status = solved.status();
    match status {
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
            return Err(PlannerError::Infeasible(
                "HiGHS proved that no assignment of customers to facilities respects the capacities"
                    .to_owned(),
            ))
        }
        HighsModelStatus::Optimal
        | HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedMemoryLimit
        | HighsModelStatus::ObjectiveBound
        | HighsModelStatus::ObjectiveTarget => {}
        other => return Err(solver_error("HiGHS stopped with status", &other)),
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
    drop(lock);
    let optimal = status == HighsModelStatus::Optimal;
    // With every facility decided the model is an LP, for which HiGHS reports no MIP bound:
    // its optimum is the bound.
    let integer = options.single_source || !free.is_empty();
    let mip_bound = if optimal && !integer { objective } else { mip_bound };
    let bound = mip_bound.min(set_aside);
    let status = format!("{status:?}");
    Ok(match incumbent {
        Some(inc) if inc.cost < objective => solution(
            inc.cost,
            optimal,
            bound,
            start,
            inc.open.clone(),
            &status,
        ),
        _ => solution(objective, optimal, bound, start, open, &status),
    })
}

fn check_options(options: &SolveOptions) -> Result<(), PlannerError> {
    if let Some(limit) = options.time_limit {
        if !(limit.is_finite() && limit > 0.0) {
            return Err(PlannerError::InvalidOptions(format!(
                "time limit {limit} s is not a positive number of seconds"
            )));
        }
    }
    if let Some(gap) = options.mip_gap {
        if !(gap.is_finite() && gap >= 0.0) {
            return Err(PlannerError::InvalidOptions(format!(
                "MIP gap {gap} is not a non-negative number"
            )));
        }
    }
    Ok(())
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
