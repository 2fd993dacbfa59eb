//! Multi-criteria decision analysis on a plain matrix: weighted sum on min-max normalised
//! values, TOPSIS on vector-normalised values, and the exact weight changes that flip the
//! weighted-sum winner.
//!
//! No result is ever NaN: every division by a range, a norm or a distance sum that can be
//! zero is guarded, and the matrix and weights are checked to be finite.

use serde::Serialize;

use crate::error::{Position, SitingError};

/// Whether more of a criterion is better or worse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More is better.
    Benefit,
    /// Less is better.
    Cost,
}

/// A decision matrix: one row per alternative, one column per criterion, every value finite.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    criteria: Vec<(String, Direction)>,
    rows: Vec<Vec<f64>>,
}

/// How far one weight must move, with the others held where they are, before the
/// weighted-sum winner changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightSensitivity {
    /// The criterion's name.
    pub criterion: String,
    /// The weight as given.
    pub weight: f64,
    /// The smallest increase at which another alternative ties the winner (and beyond which
    /// it wins); `None` when no increase changes the winner.
    pub increase: Option<f64>,
    /// The alternative (row index) that takes over when the weight rises past `increase`.
    pub winner_if_increased: Option<usize>,
    /// The smallest decrease (a positive amount, at most the weight itself) at which another
    /// alternative ties the winner; `None` when even a weight of zero keeps the winner.
    pub decrease: Option<f64>,
    /// The alternative (row index) that takes over when the weight falls past `decrease`.
    pub winner_if_decreased: Option<usize>,
}

impl Matrix {
    /// A matrix with named criteria and rows of values; every row has one value per
    /// criterion, and every value is finite.
    pub fn new(
        criteria: Vec<(String, Direction)>,
        rows: Vec<Vec<f64>>,
    ) -> Result<Matrix, SitingError> {
        if criteria.is_empty() || rows.is_empty() {
            return Err(SitingError::Invalid {
                at: Position::field("matrix"),
                reason: "needs at least one criterion and one alternative".to_owned(),
            });
        }
        for (i, row) in rows.iter().enumerate() {
            if row.len() != criteria.len() {
                return Err(SitingError::Invalid {
                    at: Position::field(&format!("rows[{i}]")),
                    reason: format!("has {} values for {} criteria", row.len(), criteria.len()),
                });
            }
            if let Some(j) = row.iter().position(|value| !value.is_finite()) {
                return Err(SitingError::Invalid {
                    at: Position::field(&format!("rows[{i}][{j}]")),
                    reason: "is not a finite number".to_owned(),
                });
            }
        }
        Ok(Matrix { criteria, rows })
    }

    /// How many alternatives (rows) there are.
    pub fn alternatives(&self) -> usize {
        self.rows.len()
    }

    /// The values min-max normalised to 0..=1 with 1 best: `(x - min) / (max - min)` for a
    /// benefit and `(max - x) / (max - min)` for a cost; a criterion on which every
    /// alternative is equal gives 1 to all.
    pub fn min_max_normalised(&self) -> Vec<Vec<f64>> {
        let ranges: Vec<(f64, f64)> = (0..self.criteria.len())
            .map(|j| {
                self.rows
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), row| {
                        (lo.min(row[j]), hi.max(row[j]))
                    })
            })
            .collect();
        self.rows
            .iter()
            .map(|row| {
                row.iter()
                    .enumerate()
                    .map(|(j, value)| {
                        let (lo, hi) = ranges[j];
                        let span = hi - lo;
                        if span <= 0.0 || !span.is_finite() {
                            return 1.0;
                        }
                        match self.criteria[j].1 {
                            Direction::Benefit => (value - lo) / span,
                            Direction::Cost => (hi - value) / span,
                        }
                    })
                    .collect()
            })
            .collect()
    }

    fn check_weights(&self, weights: &[f64]) -> Result<f64, SitingError> {
        if weights.len() != self.criteria.len() {
            return Err(SitingError::Invalid {
                at: Position::field("weights"),
                reason: format!(
                    "{} weights for {} criteria",
                    weights.len(),
                    self.criteria.len()
                ),
            });
        }
        check_weights(
            &self
                .criteria
                .iter()
                .map(|(name, _)| name.as_str())
                .collect::<Vec<_>>(),
            weights,
        )
    }
}

/// Checks weights (finite, not below zero, not all zero, a finite sum) and returns their sum.
pub(crate) fn check_weights(names: &[&str], weights: &[f64]) -> Result<f64, SitingError> {
    for (name, weight) in names.iter().zip(weights) {
        if !weight.is_finite() || *weight < 0.0 {
            return Err(SitingError::BadWeight {
                at: Position::field(&format!("weights.{name}")),
                value: weight.to_string(),
            });
        }
    }
    let sum: f64 = weights.iter().sum();
    if !sum.is_finite() {
        return Err(SitingError::BadWeight {
            at: Position::field("weights"),
            value: sum.to_string(),
        });
    }
    if sum <= 0.0 {
        return Err(SitingError::AllZeroWeights {
            at: Position::field("weights"),
        });
    }
    Ok(sum)
}

/// The weighted-sum score of each alternative, 0 to 1: the weights are divided by their sum
/// and applied to the [`Matrix::min_max_normalised`] values.
pub fn weighted_sum(matrix: &Matrix, weights: &[f64]) -> Result<Vec<f64>, SitingError> {
    let sum = matrix.check_weights(weights)?;
    Ok(matrix
        .min_max_normalised()
        .iter()
        .map(|row| {
            row.iter()
                .zip(weights)
                .map(|(value, weight)| value * weight / sum)
                .sum()
        })
        .collect())
}

/// The TOPSIS closeness of each alternative, 0 to 1 (higher is better).
///
/// Each column is divided by its Euclidean norm (a zero column stays zero) and multiplied by
/// its weight over the sum of weights; the ideal takes the best value of each column and the
/// anti-ideal the worst; closeness is `d- / (d+ + d-)` with `d+`, `d-` the Euclidean distances
/// to the ideal and the anti-ideal, and 0.5 when both are zero (every alternative alike).
pub fn topsis(matrix: &Matrix, weights: &[f64]) -> Result<Vec<f64>, SitingError> {
    let sum = matrix.check_weights(weights)?;
    let columns = matrix.criteria.len();
    let norms: Vec<f64> = (0..columns)
        .map(|j| {
            matrix
                .rows
                .iter()
                .map(|row| row[j] * row[j])
                .sum::<f64>()
                .sqrt()
        })
        .collect();
    let weighted: Vec<Vec<f64>> = matrix
        .rows
        .iter()
        .map(|row| {
            (0..columns)
                .map(|j| {
                    if norms[j] > 0.0 && norms[j].is_finite() {
                        row[j] / norms[j] * weights[j] / sum
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect();
    let (ideal, anti): (Vec<f64>, Vec<f64>) = (0..columns)
        .map(|j| {
            let column = weighted.iter().map(|row| row[j]);
            let lo = column.clone().fold(f64::INFINITY, f64::min);
            let hi = column.fold(f64::NEG_INFINITY, f64::max);
            match matrix.criteria[j].1 {
                Direction::Benefit => (hi, lo),
                Direction::Cost => (lo, hi),
            }
        })
        .unzip();
    let distance = |row: &[f64], target: &[f64]| -> f64 {
        row.iter()
            .zip(target)
            .map(|(value, best)| (value - best) * (value - best))
            .sum::<f64>()
            .sqrt()
    };
    Ok(weighted
        .iter()
        .map(|row| {
            let to_ideal = distance(row, &ideal);
            let to_anti = distance(row, &anti);
            let both = to_ideal + to_anti;
            if both > 0.0 && both.is_finite() {
                to_anti / both
            } else {
                0.5
            }
        })
        .collect())
}

/// The ranks (1 = best) of the scores: higher is better, ties go to the earlier alternative.
pub fn ranks(scores: &[f64]) -> Vec<usize> {
    let order = order(scores);
    let mut ranks = vec![0; scores.len()];
    for (position, idx) in order.into_iter().enumerate() {
        ranks[idx] = position + 1;
    }
    ranks
}

/// The alternatives from best to worst: higher score first, ties to the earlier alternative.
pub fn order(scores: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|a, b| scores[*b].total_cmp(&scores[*a]).then(a.cmp(b)));
    order
}

/// For each weight, how far it must rise or fall (the other weights held where they are)
/// before another alternative ties the weighted-sum winner.
///
/// Dividing by the sum of weights scales every score alike, so the winner is the argmax of
/// `U_i = sum_k w_k n_ik` over the min-max normalised values `n`. Moving `w_j` by `d` moves
/// `U_i` by `d * n_ij`, so alternative `i` ties the winner `t` at
/// `d = (U_t - U_i) / (n_ij - n_tj)`; the smallest such `d` on each side is exact.
/// A decrease is only reported when it keeps the weight at or above zero.
pub fn weight_sensitivity(
    matrix: &Matrix,
    weights: &[f64],
) -> Result<Vec<WeightSensitivity>, SitingError> {
    matrix.check_weights(weights)?;
    let normalised = matrix.min_max_normalised();
    let totals: Vec<f64> = normalised
        .iter()
        .map(|row| row.iter().zip(weights).map(|(n, w)| n * w).sum())
        .collect();
    let top = order(&totals)[0];
    Ok(matrix
        .criteria
        .iter()
        .enumerate()
        .map(|(j, (name, _))| {
            let mut increase: Option<(f64, usize)> = None;
            let mut decrease: Option<(f64, usize)> = None;
            for (i, row) in normalised.iter().enumerate() {
                if i == top {
                    continue;
                }
                let gap = totals[top] - totals[i];
                let slope = row[j] - normalised[top][j];
                if slope > 0.0 {
                    let d = gap / slope;
                    if increase.is_none_or(|(best, _)| d < best) {
                        increase = Some((d, i));
                    }
                } else if slope < 0.0 {
                    let d = gap / -slope;
                    if d <= weights[j] && decrease.is_none_or(|(best, _)| d < best) {
                        decrease = Some((d, i));
                    }
                }
            }
            WeightSensitivity {
                criterion: name.clone(),
                weight: weights[j],
                increase: increase.map(|(d, _)| d),
                winner_if_increased: increase.map(|(_, i)| i),
                decrease: decrease.map(|(d, _)| d),
                winner_if_decreased: decrease.map(|(_, i)| i),
            }
        })
        .collect())
}
