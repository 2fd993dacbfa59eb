//! Feasible solutions for a chosen set of open facilities: a greedy assignment that costs
//! microseconds (to rank the many sets the Lagrangian relaxation and the local search
//! propose), and the optimal assignment (the transportation problem), reached from the greedy
//! one by cancelling negative cycles, in about a millisecond where HiGHS takes 20.

use std::collections::HashSet;
use std::time::Instant;

use crate::lagrangian::{Data, Fixed};

/// An assignment of every customer to the open facilities `open` (ascending): its cost, fixed
/// costs included, and the fractions `x[a * n + j]` of customer `j` served by `open[a]`.
#[derive(Debug, Clone)]
pub(crate) struct Assignment {
    pub open: Vec<usize>,
    pub cost: f64,
    pub x: Vec<f64>,
}

/// The cost of serving every customer from `open` greedily; `None` when the capacity of `open`
/// falls short of the demand.
pub(crate) fn greedy(data: &Data, open: &[usize]) -> Option<f64> {
    let amounts = greedy_amounts(data, open)?;
    Some(cost_of(data, open, &amounts))
}

/// The optimal assignment to `open` (the best reached, should cycle cancelling hit its cap);
/// `None` when the capacity of `open` falls short of the demand.
pub(crate) fn assign(data: &Data, open: &[usize]) -> Option<Assignment> {
    let mut amounts = greedy_amounts(data, open)?;
    cancel_cycles(data, open, &mut amounts);
    let n = data.n;
    let x = amounts
        .iter()
        .enumerate()
        .map(|(k, &q)| {
            let d = data.demand[k % n];
            if d > 0.0 {
                q / d
            } else {
                q
            }
        })
        .collect();
    Some(Assignment {
        open: open.to_vec(),
        cost: cost_of(data, open, &amounts),
        x,
    })
}

/// The greedy assignment as amounts of demand `q[a * n + j]` (a customer without demand has
/// amount 1 at its cheapest facility): customers with the most to lose (the largest gap
/// between their cheapest and second-cheapest open facility) choose first, taking what they
/// can from their cheapest facility with room left.
fn greedy_amounts(data: &Data, open: &[usize]) -> Option<Vec<f64>> {
    let n = data.n;
    let p = open.len();
    let capacity: f64 = open.iter().map(|&i| data.capacity[i]).sum();
    if p == 0 || capacity < data.total_demand {
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
            let regret = if second.is_finite() {
                second - first
            } else {
                0.0
            };
            (regret, j)
        })
        .collect();
    regret.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
    let mut amounts = vec![0.0; p * n];
    let cheapest_with_room = |j: usize, room: &[f64]| {
        (0..p)
            .filter(|&a| room[a] > 0.0)
            .min_by(|&a, &b| data.cost[open[a] * n + j].total_cmp(&data.cost[open[b] * n + j]))
    };
    for &(_, j) in &regret {
        let d = data.demand[j];
        if d <= 0.0 {
            let free = vec![1.0; p];
            let a = cheapest_with_room(j, &free)?;
            amounts[a * n + j] = 1.0;
            continue;
        }
        let mut need = d;
        while need > 1e-9 * d {
            let a = cheapest_with_room(j, &room)?;
            let take = need.min(room[a]);
            room[a] -= take;
            need -= take;
            amounts[a * n + j] += take;
        }
    }
    Some(amounts)
}

fn cost_of(data: &Data, open: &[usize], amounts: &[f64]) -> f64 {
    let n = data.n;
    let mut total: f64 = open.iter().map(|&i| data.fixed_cost[i]).sum();
    for (a, &i) in open.iter().enumerate() {
        for j in 0..n {
            let q = amounts[a * n + j];
            if q > 0.0 {
                let d = data.demand[j];
                let share = if d > 0.0 { q / d } else { q };
                total += data.cost[i * n + j] * share;
            }
        }
    }
    total
}

/// Improves `amounts` to an optimal assignment by cancelling negative cycles in the graph of
/// moves between facilities. Node `a` is `open[a]`; an arc `a -> b` moves demand of one
/// customer from `a` to `b` at the least cost per unit over the customers `a` serves, and a
/// slack node links every facility with room left (`b -> slack`, where moved demand may end)
/// to every facility (`slack -> a`, where it may start). An assignment is optimal exactly when
/// this graph has no negative cycle (the optimality condition of min-cost flow, with the
/// customers contracted out). Stops after a bounded number of cycles, feasible either way.
fn cancel_cycles(data: &Data, open: &[usize], amounts: &mut [f64]) {
    let n = data.n;
    let p = open.len();
    let nodes = p + 1;
    let slack = p;
    let mut load = vec![0.0; p];
    for a in 0..p {
        load[a] = amounts[a * n..(a + 1) * n]
            .iter()
            .zip(&data.demand)
            .filter(|(_, &d)| d > 0.0)
            .map(|(q, _)| q)
            .sum();
    }
    let mut weight = vec![f64::INFINITY; nodes * nodes];
    let mut via = vec![usize::MAX; nodes * nodes];
    let mut distance = vec![0.0; nodes];
    let mut previous = vec![usize::MAX; nodes];
    for _ in 0..10 * n.max(p) {
        weight.fill(f64::INFINITY);
        for j in 0..n {
            let d = data.demand[j];
            if d <= 0.0 {
                continue;
            }
            for a in 0..p {
                if amounts[a * n + j] <= 1e-12 * d {
                    continue;
                }
                let from = data.cost[open[a] * n + j];
                for b in 0..p {
                    let per_unit = (data.cost[open[b] * n + j] - from) / d;
                    if b != a && per_unit < weight[a * nodes + b] {
                        weight[a * nodes + b] = per_unit;
                        via[a * nodes + b] = j;
                    }
                }
            }
        }
        for b in 0..p {
            if data.capacity[open[b]] - load[b] > 1e-9 * data.capacity[open[b]] {
                weight[b * nodes + slack] = 0.0;
            }
            weight[slack * nodes + b] = 0.0;
        }

        // Bellman-Ford from a virtual source next to every node; an update in the last pass
        // lies on or leads back to a negative cycle.
        distance.fill(0.0);
        previous.fill(usize::MAX);
        let mut updated = usize::MAX;
        for _ in 0..nodes {
            updated = usize::MAX;
            for u in 0..nodes {
                for v in 0..nodes {
                    let w = weight[u * nodes + v];
                    if w.is_finite() && distance[u] + w < distance[v] - 1e-9 {
                        distance[v] = distance[u] + w;
                        previous[v] = u;
                        updated = v;
                    }
                }
            }
            if updated == usize::MAX {
                break;
            }
        }
        if updated == usize::MAX {
            return;
        }
        let mut v = updated;
        for _ in 0..nodes {
            v = previous[v];
        }
        let mut cycle = vec![v];
        let mut u = previous[v];
        while u != v {
            cycle.push(u);
            u = previous[u];
        }
        cycle.reverse();
        // Arcs (cycle[k], cycle[k + 1]); the amount is what the tightest arc allows.
        let arcs: Vec<(usize, usize)> = (0..cycle.len())
            .map(|k| (cycle[k], cycle[(k + 1) % cycle.len()]))
            .collect();
        let cost: f64 = arcs.iter().map(|&(a, b)| weight[a * nodes + b]).sum();
        if cost >= -1e-9 {
            return;
        }
        let mut delta = f64::INFINITY;
        for &(a, b) in &arcs {
            if b == slack {
                delta = delta.min(data.capacity[open[a]] - load[a]);
            } else if a != slack {
                delta = delta.min(amounts[a * n + via[a * nodes + b]]);
            }
        }
        if !(delta > 0.0 && delta.is_finite()) {
            return;
        }
        for &(a, b) in &arcs {
            if a == slack || b == slack {
                continue;
            }
            let j = via[a * nodes + b];
            let moved = delta.min(amounts[a * n + j]);
            amounts[a * n + j] -= moved;
            amounts[b * n + j] += moved;
            load[a] -= moved;
            load[b] += moved;
        }
    }
}

/// At most this many moves of local search.
const MOVES: usize = 20;
/// How many of the neighbours, cheapest by greedy cost, are assigned optimally before each
/// move. The greedy cost is within about 0.5% of the optimal one, which is more than the
/// differences between neighbours: on `capb3` the optimum is found with 20, not with 5.
const EXACT_PER_MOVE: usize = 20;

/// A local search from `start`: the moves that open, close or swap one facility (never
/// against `fixed`) are ranked by greedy cost, the best few solved exactly, and the best
/// improving one taken, until none improves or `deadline` passes. `tried` holds the sets
/// already solved exactly, which are not solved again.
pub(crate) fn local_search(
    data: &Data,
    fixed: &[Fixed],
    start: Assignment,
    tried: &mut HashSet<Vec<usize>>,
    deadline: Option<Instant>,
) -> Assignment {
    let mut best = start;
    for _ in 0..MOVES {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let open = &best.open;
        let closed: Vec<usize> = (0..data.m)
            .filter(|&i| fixed[i] != Fixed::Closed && open.binary_search(&i).is_err())
            .collect();
        let removable: Vec<usize> = open
            .iter()
            .copied()
            .filter(|&i| fixed[i] != Fixed::Open)
            .collect();
        let mut moves: Vec<Vec<usize>> = Vec::new();
        for &i in &closed {
            moves.push(with(open, Some(i), None));
        }
        for &r in &removable {
            moves.push(with(open, None, Some(r)));
            for &i in &closed {
                moves.push(with(open, Some(i), Some(r)));
            }
        }
        let mut ranked: Vec<(f64, Vec<usize>)> = moves
            .into_iter()
            .filter(|set| !tried.contains(set))
            .filter_map(|set| greedy(data, &set).map(|c| (c, set)))
            .collect();
        ranked.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut improved = None;
        for (_, set) in ranked.into_iter().take(EXACT_PER_MOVE) {
            if let Some(a) = assign(data, &set) {
                if a.cost < improved.as_ref().map_or(best.cost, |b: &Assignment| b.cost) {
                    improved = Some(a);
                }
            }
            tried.insert(set);
        }
        match improved {
            Some(a) => best = a,
            None => break,
        }
    }
    best
}

/// `open` (ascending) with `add` opened and `remove` closed, ascending.
fn with(open: &[usize], add: Option<usize>, remove: Option<usize>) -> Vec<usize> {
    let mut set: Vec<usize> = open
        .iter()
        .copied()
        .filter(|&i| Some(i) != remove)
        .collect();
    if let Some(i) = add {
        let at = set.binary_search(&i).unwrap_or_else(|at| at);
        set.insert(at, i);
    }
    set
}
