//! Lagrangian relaxation of the assignment rows (after Beasley, "An algorithm for solving large
//! capacitated warehouse location problems", EJOR 33 (1988)): lower bounds, candidate sets of
//! open facilities, and the bounds that let [`crate::solve`] fix facilities open or closed.
//!
//! With a multiplier `lambda_j` on each row `sum_i x_ij = 1`, the problem falls apart into one
//! continuous knapsack per facility (fill its capacity with the customers whose reduced cost
//! `c_ij - lambda_j` is negative, best per unit of demand first), and a covering problem over
//! the facilities: open a set whose capacity covers the total demand at the least sum of
//! knapsack values `v_i`. Every `lambda` gives a valid lower bound; subgradient optimisation
//! looks for a good one.
//!
//! The covering problem is a 0-1 knapsack. We do not solve it exactly: we bound it from below
//! by the larger of its LP relaxation and a cardinality bound (at least `k` more facilities are
//! needed, and no `k` facilities cost less than the `k` cheapest). With equal capacities, as in
//! OR-Library's large instances, the cardinality bound is exact, and it is what lifts the bound
//! above the LP relaxation of the plain formulation (which opens 6.36 facilities' worth on
//! `capa1`, where 7 are needed). Any lower bound keeps the method rigorous; only the bound's
//! strength depends on the choice.

use std::collections::HashMap;
use std::time::Instant;

use crate::primal;

/// A dense copy of the instance: facility-major costs, so a facility's knapsack reads one
/// contiguous row.
#[derive(Debug)]
pub(crate) struct Data {
    pub m: usize,
    pub n: usize,
    pub capacity: Vec<f64>,
    pub fixed_cost: Vec<f64>,
    pub demand: Vec<f64>,
    /// `cost[i * n + j]`: serving all of customer `j` from facility `i`.
    pub cost: Vec<f64>,
    pub total_demand: f64,
}

impl Data {
    pub fn new(instance: &crate::Instance) -> Self {
        let facilities = instance.facilities();
        let customers = instance.customers();
        let (m, n) = (facilities.len(), customers.len());
        let mut cost = vec![0.0; m * n];
        for (j, customer) in customers.iter().enumerate() {
            for (i, &c) in customer.costs.iter().enumerate() {
                cost[i * n + j] = c;
            }
        }
        Self {
            m,
            n,
            capacity: facilities.iter().map(|f| f.capacity).collect(),
            fixed_cost: facilities.iter().map(|f| f.fixed_cost).collect(),
            demand: customers.iter().map(|c| c.demand).collect(),
            cost,
            total_demand: instance.total_demand(),
        }
    }

    pub fn costs_of(&self, i: usize) -> &[f64] {
        &self.cost[i * self.n..(i + 1) * self.n]
    }
}

/// What is already decided about a facility.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fixed {
    Free,
    Open,
    Closed,
}

/// How long to optimise the multipliers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Schedule {
    /// At most this many subgradient steps.
    pub iterations: usize,
    /// Halve the step after this many steps without a better bound.
    pub patience: usize,
    /// The first step factor (of the distance to the target).
    pub initial_step: f64,
    /// Stop when the step factor falls below this.
    pub min_step: f64,
    /// Propose the relaxation's sets of open facilities (and aim at the best of their greedy
    /// costs when that is below the target).
    pub propose: bool,
}

/// The outcome of one subgradient run over the facilities that are not fixed.
#[derive(Debug)]
pub(crate) struct Relaxation {
    /// The best Lagrangian bound: a lower bound on every solution that respects `fixed`.
    pub bound: f64,
    /// The multipliers that gave it (a warm start for the next run).
    pub multipliers: Vec<f64>,
    /// For each free facility, a lower bound on every solution that opens it (and respects
    /// `fixed`): the best over all multipliers tried, infinite when no such solution exists,
    /// NaN for facilities already fixed.
    pub if_open: Vec<f64>,
    /// The same for the solutions that close it.
    pub if_closed: Vec<f64>,
    /// Distinct sets of open facilities the relaxation proposed (each covering the total
    /// demand), with their greedy cost, cheapest first.
    pub candidates: Vec<(f64, Vec<usize>)>,
}

/// Runs subgradient optimisation from `start` until `schedule` or `deadline` ends it, or
/// `done(bound, known)` says the bound is high enough (`known` is the least cost known: `target`
/// or the greedy cost of a proposal). Each step aims at `target` (Polyak's rule as Held, Wolfe
/// and Crowder use it): the best known cost, lowered to the greedy cost of a proposal when that
/// is cheaper, or a value above it when the point is to push a bound past it; infinite when
/// nothing is known yet.
pub(crate) fn relax(
    data: &Data,
    fixed: &[Fixed],
    start: &[f64],
    target: f64,
    done: &dyn Fn(f64, f64) -> bool,
    schedule: Schedule,
    deadline: Option<Instant>,
) -> Relaxation {
    let (m, n) = (data.m, data.n);
    let mut lambda = start.to_vec();
    let mut work = Work::new(data);
    let mut best = f64::NEG_INFINITY;
    let mut best_lambda = lambda.clone();
    let mut if_open = vec![f64::NEG_INFINITY; m];
    let mut if_closed = vec![f64::NEG_INFINITY; m];
    let mut seen: HashMap<Vec<usize>, f64> = HashMap::new();
    let mut target = target;
    let mut step = schedule.initial_step;
    let mut stall = 0;
    let mut served = vec![0.0; n];
    for _ in 0..schedule.iterations {
        let value = work.evaluate(data, fixed, &lambda);
        work.forced_bounds(data, fixed, &mut if_open, &mut if_closed);

        let open: Vec<usize> = (0..m).filter(|&i| work.y[i] > 0.0).collect();
        if schedule.propose && !seen.contains_key(&open) {
            // The relaxation's own choice of facilities, with its customers re-assigned
            // greedily, is a feasible solution (the covering row guarantees the capacity).
            let cost = primal::greedy(data, &open).unwrap_or(f64::INFINITY);
            target = target.min(cost);
            seen.insert(open, cost);
        }

        if value > best {
            best = value;
            best_lambda.copy_from_slice(&lambda);
            stall = 0;
        } else {
            stall += 1;
            if stall >= schedule.patience {
                step /= 2.0;
                stall = 0;
            }
        }
        if done(best, target)
            || step < schedule.min_step
            || deadline.is_some_and(|d| Instant::now() >= d)
        {
            break;
        }

        // Subgradient: how far each customer is from being served exactly once.
        served.iter_mut().for_each(|s| *s = 1.0);
        for (i, &yi) in work.y.iter().enumerate() {
            if yi > 0.0 {
                for &(j, x) in work.knapsack(i) {
                    served[j] -= yi * x;
                }
            }
        }
        let norm: f64 = served.iter().map(|g| g * g).sum();
        if norm < 1e-12 {
            // The relaxed solution serves everyone exactly once: no direction improves it.
            break;
        }
        let gap = if target.is_finite() && target > value {
            target - value
        } else {
            // No incumbent yet, or the target is already reached: aim a little higher.
            0.01 * value.abs().max(1.0)
        };
        let t = step * gap / norm;
        for (l, g) in lambda.iter_mut().zip(&served) {
            *l += t * g;
        }
    }

    let mut candidates: Vec<(f64, Vec<usize>)> = seen
        .into_iter()
        .filter(|(_, cost)| cost.is_finite())
        .map(|(open, cost)| (cost, open))
        .collect();
    candidates.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    for i in 0..m {
        if fixed[i] != Fixed::Free {
            if_open[i] = f64::NAN;
            if_closed[i] = f64::NAN;
        }
    }
    Relaxation {
        bound: best,
        multipliers: best_lambda,
        if_open,
        if_closed,
        candidates,
    }
}

/// The multipliers to start from: each customer's second-cheapest allocation cost, so that
/// at first every customer is attractive to its cheapest facility only.
pub(crate) fn initial_multipliers(data: &Data) -> Vec<f64> {
    (0..data.n)
        .map(|j| {
            let (mut first, mut second) = (f64::INFINITY, f64::INFINITY);
            for i in 0..data.m {
                let c = data.cost[i * data.n + j];
                if c < first {
                    second = first;
                    first = c;
                } else if c < second {
                    second = c;
                }
            }
            if second.is_finite() {
                second
            } else {
                first
            }
        })
        .collect()
}

/// Scratch space for one evaluation of the Lagrangian function, reused across iterations.
struct Work {
    /// Knapsack value `f_i + sum_j (c_ij - lambda_j) x_ij` of each facility.
    v: Vec<f64>,
    /// The relaxed opening decisions (fractional when the LP bound of the covering problem is
    /// the larger).
    y: Vec<f64>,
    /// Each facility's knapsack solution: `(customer, fraction)` pairs in `entries`, facility
    /// `i`'s from `starts[i]` to `starts[i + 1]`.
    entries: Vec<(usize, f64)>,
    starts: Vec<usize>,
    items: Vec<(f64, usize, f64)>,
    /// `sum_j lambda_j`.
    lambda_sum: f64,
    /// The covering problem's data for the current `v`.
    cover: Cover,
    /// Facilities by capacity, largest first (for the cardinality bound).
    by_capacity: Vec<usize>,
}

impl Work {
    fn new(data: &Data) -> Self {
        let mut by_capacity: Vec<usize> = (0..data.m).collect();
        by_capacity.sort_by(|&a, &b| data.capacity[b].total_cmp(&data.capacity[a]));
        Self {
            v: vec![0.0; data.m],
            y: vec![0.0; data.m],
            entries: Vec::new(),
            starts: vec![0; data.m + 1],
            items: Vec::new(),
            lambda_sum: 0.0,
            cover: Cover::default(),
            by_capacity,
        }
    }

    fn knapsack(&self, i: usize) -> &[(usize, f64)] {
        &self.entries[self.starts[i]..self.starts[i + 1]]
    }

    /// The Lagrangian lower bound at `lambda`; leaves the knapsacks and `y` behind.
    fn evaluate(&mut self, data: &Data, fixed: &[Fixed], lambda: &[f64]) -> f64 {
        self.entries.clear();
        for (i, &fixed_i) in fixed.iter().enumerate() {
            self.starts[i] = self.entries.len();
            if fixed_i == Fixed::Closed {
                self.v[i] = f64::INFINITY;
                continue;
            }
            self.items.clear();
            for (j, (&c, &l)) in data.costs_of(i).iter().zip(lambda).enumerate() {
                let r = c - l;
                if r < 0.0 {
                    let d = data.demand[j];
                    // A customer without demand takes no capacity: first in line.
                    let per_unit = if d > 0.0 { r / d } else { f64::NEG_INFINITY };
                    self.items.push((per_unit, j, r));
                }
            }
            // The continuous knapsack takes the cheapest customers per unit of demand until
            // the capacity is full, the last one in part; which ones those are needs only a
            // weighted selection, not a sort (this loop is most of the solver's time).
            let room = data.capacity[i];
            let (whole, left) = cheapest_within(&mut self.items, &data.demand, room);
            let mut value = data.fixed_cost[i];
            for &(_, j, r) in &self.items[..whole] {
                value += r;
                self.entries.push((j, 1.0));
            }
            if let Some(&(_, j, r)) = self.items.get(whole) {
                let x = left / data.demand[j];
                if x > 0.0 {
                    value += x * r;
                    self.entries.push((j, x));
                }
            }
            self.v[i] = value;
        }
        self.starts[data.m] = self.entries.len();
        self.lambda_sum = lambda.iter().sum();

        self.cover.prepare(data, fixed, &self.v, &self.by_capacity);
        let value = self
            .cover
            .bound(data, &self.v, Force::None, Some(&mut self.y));
        self.lambda_sum + value
    }

    /// Raises each free facility's opened and closed bounds to those at the current
    /// multipliers, where higher.
    fn forced_bounds(
        &self,
        data: &Data,
        fixed: &[Fixed],
        if_open: &mut [f64],
        if_closed: &mut [f64],
    ) {
        for i in 0..data.m {
            if fixed[i] != Fixed::Free {
                continue;
            }
            let open = self.lambda_sum + self.cover.bound(data, &self.v, Force::Open(i), None);
            let closed = self.lambda_sum + self.cover.bound(data, &self.v, Force::Closed(i), None);
            if_open[i] = if_open[i].max(open);
            if_closed[i] = if_closed[i].max(closed);
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Force {
    None,
    Open(usize),
    Closed(usize),
}

/// The covering problem `min sum_i v_i y_i` subject to `sum_i s_i y_i >= D`, `y` binary, for
/// one `v`: the facilities worth opening anyway (fixed open, or `v_i <= 0`) and the rest in
/// the orders the two bounds scan.
#[derive(Debug, Default)]
struct Cover {
    in_base: Vec<bool>,
    base_value: f64,
    base_capacity: f64,
    /// Free facilities with `v_i > 0` and some capacity, cheapest first.
    by_value: Vec<usize>,
    /// The same by `v_i / s_i`, cheapest per unit of capacity first.
    by_ratio: Vec<usize>,
    /// The same by capacity, largest first.
    by_capacity: Vec<usize>,
}

impl Cover {
    fn prepare(&mut self, data: &Data, fixed: &[Fixed], v: &[f64], by_capacity: &[usize]) {
        self.in_base.clear();
        self.in_base.resize(data.m, false);
        self.base_value = 0.0;
        self.base_capacity = 0.0;
        self.by_value.clear();
        for i in 0..data.m {
            match fixed[i] {
                Fixed::Closed => {}
                Fixed::Open => self.add_to_base(i, data, v),
                Fixed::Free if v[i] <= 0.0 => self.add_to_base(i, data, v),
                Fixed::Free => {
                    if data.capacity[i] > 0.0 {
                        self.by_value.push(i);
                    }
                }
            }
        }
        self.by_value.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
        self.by_ratio.clone_from(&self.by_value);
        self.by_ratio
            .sort_by(|&a, &b| (v[a] / data.capacity[a]).total_cmp(&(v[b] / data.capacity[b])));
        self.by_capacity.clear();
        self.by_capacity.extend(
            by_capacity
                .iter()
                .copied()
                .filter(|&i| fixed[i] == Fixed::Free && v[i] > 0.0 && data.capacity[i] > 0.0),
        );
    }

    fn add_to_base(&mut self, i: usize, data: &Data, v: &[f64]) {
        self.in_base[i] = true;
        self.base_value += v[i];
        self.base_capacity += data.capacity[i];
    }

    /// A lower bound on the covering problem with one facility forced; infinite when no cover
    /// exists. Fills `y` with the minimiser of the larger bound when asked.
    fn bound(&self, data: &Data, v: &[f64], force: Force, y: Option<&mut Vec<f64>>) -> f64 {
        let mut value = self.base_value;
        let mut covered = self.base_capacity;
        let mut skip = None;
        match force {
            Force::None => {}
            Force::Open(i) if self.in_base[i] => {}
            Force::Open(i) => {
                value += v[i];
                covered += data.capacity[i];
                skip = Some(i);
            }
            Force::Closed(i) if self.in_base[i] => {
                value -= v[i];
                covered -= data.capacity[i];
            }
            Force::Closed(i) => skip = Some(i),
        }
        let base = value;
        let mut y = y;
        if let Some(y) = y.as_deref_mut() {
            y.iter_mut().for_each(|yi| *yi = 0.0);
            for (i, yi) in y.iter_mut().enumerate() {
                if self.in_base[i] {
                    *yi = 1.0;
                }
            }
        }
        // Demand below a part in 10^12 of the total counts as covered: that errs towards a
        // lower value, which keeps the bound valid.
        let need = data.total_demand - covered;
        if need <= 1e-12 * data.total_demand {
            return base;
        }
        let slack = need * (1.0 - 1e-12);

        // Cardinality: the fewest further facilities whose capacity covers the need.
        let mut count = 0;
        let mut reached = 0.0;
        for i in skipping(&self.by_capacity, skip) {
            if reached >= slack {
                break;
            }
            reached += data.capacity[i];
            count += 1;
        }
        if reached < slack {
            return f64::INFINITY;
        }
        let card: f64 = base
            + skipping(&self.by_value, skip)
                .take(count)
                .map(|i| v[i])
                .sum::<f64>();

        // LP relaxation: the cheapest capacity per unit first, the last one fractional.
        let mut lp = base;
        let mut left = need;
        let mut last = None;
        for i in skipping(&self.by_ratio, skip) {
            let s = data.capacity[i];
            if s >= left {
                lp += v[i] * left / s;
                last = Some((i, left / s));
                break;
            }
            lp += v[i];
            left -= s;
        }

        if let Some(y) = y {
            if card >= lp {
                for i in skipping(&self.by_value, skip).take(count) {
                    y[i] = 1.0;
                }
            } else {
                for i in skipping(&self.by_ratio, skip) {
                    if Some(i) == last.map(|(l, _)| l) {
                        y[i] = last.map_or(1.0, |(_, f)| f);
                        break;
                    }
                    y[i] = 1.0;
                }
            }
            if let Force::Open(i) = force {
                y[i] = 1.0;
            }
        }
        card.max(lp)
    }
}

/// `order` without `skip`.
fn skipping(order: &[usize], skip: Option<usize>) -> impl Iterator<Item = usize> + '_ {
    order.iter().copied().filter(move |&i| Some(i) != skip)
}

/// Reorders `items` (per-unit cost, customer, cost) so that the first `k` are the cheapest per
/// unit whose demands add up to at most `room`, and `items[k]`, if any, is the cheapest of the
/// rest; returns `k` and the room they leave. Expected time linear in `items.len()`: each step
/// partitions what is left around its median and keeps the half where the capacity runs out.
fn cheapest_within(items: &mut [(f64, usize, f64)], demand: &[f64], room: f64) -> (usize, f64) {
    let by_cost = |a: &(f64, usize, f64), b: &(f64, usize, f64)| a.0.total_cmp(&b.0);
    let (mut lo, mut hi, mut room) = (0, items.len(), room);
    // items[..lo] are taken; items[hi] (when hi < len) is no dearer than anything after it and
    // no cheaper than anything before it.
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        items[lo..hi].select_nth_unstable_by(mid - lo, by_cost);
        let below: f64 = items[lo..mid].iter().map(|&(_, j, _)| demand[j]).sum();
        if below > room {
            hi = mid;
            continue;
        }
        room -= below;
        let pivot = demand[items[mid].1];
        if pivot > room {
            return (mid, room);
        }
        room -= pivot;
        lo = mid + 1;
    }
    (lo, room)
}
