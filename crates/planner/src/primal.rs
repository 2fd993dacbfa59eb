//! Feasible solutions for a chosen set of open facilities: a greedy assignment that costs
//! microseconds (to rank the many sets the Lagrangian relaxation proposes) and the exact
//! transportation LP (for the few best, solved with HiGHS).

use highs::{HighsModelStatus, RowProblem, Sense};

use crate::lagrangian::Data;
use crate::solve::HighsLock;
use crate::PlannerError;

/// The cost of serving every customer from `open` greedily: customers with the most to lose
/// (the largest gap between their cheapest and second-cheapest open facility) choose first,
/// taking what they can from their cheapest facility with room left. `None` when the capacity
/// of `open` falls short of the demand.
pub(crate) fn greedy(data: &Data, open: &[usize]) -> Option<f64> {
    let n = data.n;
    if open.is_empty() {
        return None;
    }
    let mut room: Vec<f64> = open.iter().map(|&i| data.capacity[i]).collect();
    let mut regret: Vec<(f64, usize)> = (0..n)
        .map(|j| {
            let (mut first, mut second) = (f64::INFINITY, f64::INFINITY);
            for &i in open {
                let c = data.cost[i * n + j];
                if c < first {
                    second = first;
                    first = c;
                } else if c < second {
                    second = c;
                }
            }
            let regret = if second.is_finite() { second - first } else { 0.0 };
            (regret, j)
        })
        .collect();
    regret.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
    let mut total: f64 = open.iter().map(|&i| data.fixed_cost[i]).sum();
    let mut order: Vec<usize> = (0..open.len()).collect();
    for &(_, j) in &regret {
        let d = data.demand[j];
        order.sort_unstable_by(|&a, &b| {
            data.cost[open[a] * n + j].total_cmp(&data.cost[open[b] * n + j])
        });
        if d <= 0.0 {
            total += data.cost[open[order[0]] * n + j];
            continue;
        }
        let mut need = d;
        for &a in &order {
            let take = need.min(room[a]);
            if take > 0.0 {
                room[a] -= take;
                need -= take;
                total += data.cost[open[a] * n + j] * take / d;
            }
            if need <= 0.0 {
                break;
            }
        }
        if need > 1e-9 * d {
            return None;
        }
    }
    Some(total)
}

/// The best assignment of customers to the facilities in `open`: its cost (fixed costs
/// included) and the fractions `x[a * n + j]` of customer `j` served by `open[a]`. `None` when
/// HiGHS finds no feasible assignment.
///
/// # Errors
/// [`PlannerError::Solver`] when HiGHS fails.
pub(crate) fn transport(
    _lock: &HighsLock,
    data: &Data,
    open: &[usize],
) -> Result<Option<(f64, Vec<f64>)>, PlannerError> {
    let n = data.n;
    let mut problem = RowProblem::new();
    let columns: Vec<_> = open
        .iter()
        .flat_map(|&i| data.costs_of(i).iter())
        .map(|&c| problem.add_column(c, 0.0..=1.0))
        .collect();
    for j in 0..n {
        problem.add_row(1.0..=1.0, (0..open.len()).map(|a| (columns[a * n + j], 1.0)));
    }
    for (a, &i) in open.iter().enumerate() {
        let served = (0..n).map(|j| (columns[a * n + j], data.demand[j]));
        problem.add_row(..=data.capacity[i], served);
    }
    let model = problem
        .try_optimise(Sense::Minimise)
        .map_err(|s| PlannerError::Solver(format!("HiGHS rejected the transportation LP: {s:?}")))?;
    let solved = model
        .try_solve()
        .map_err(|s| PlannerError::Solver(format!("HiGHS failed on the transportation LP: {s:?}")))?;
    match solved.status() {
        HighsModelStatus::Optimal => {}
        HighsModelStatus::Infeasible => return Ok(None),
        other => {
            return Err(PlannerError::Solver(format!(
                "HiGHS stopped on the transportation LP with status {other:?}"
            )))
        }
    }
    let fixed: f64 = open.iter().map(|&i| data.fixed_cost[i]).sum();
    let x = solved.get_solution().columns().to_vec();
    Ok(Some((solved.objective_value() + fixed, x)))
}
