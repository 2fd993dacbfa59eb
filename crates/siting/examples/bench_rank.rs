//! Benchmark for issue 4: ranking 1,000 locations on 30 criteria, with weight sensitivity,
//! for one profile, through the generic `siting::mcda` engine.
//!
//! Builds a synthetic 1,000 x 30 decision matrix (fixed-seed xorshift, a mix of benefit and
//! cost criteria, random positive weights), warms up, then times the whole job per iteration:
//! weighted sum + ranks, TOPSIS + ranks, and the sensitivity of all 30 weights.
//!
//! Run with `cargo run --release -p siting --example bench_rank`. Prints one JSON line:
//! `{"locations":..,"criteria":..,"iterations":..,"median_ms":..,"p95_ms":..,"min_ms":..}`,
//! then a second line with the same job timed including `Matrix::new` (matrix rebuilt from a
//! copy of the rows each iteration, as a page would if it rebuilt the matrix per request).

use std::hint::black_box;
use std::time::Instant;

use siting::mcda::{self, Direction, Matrix};

const LOCATIONS: usize = 1_000;
const CRITERIA: usize = 30;
const WARMUP: usize = 20;
const ITERATIONS: usize = 200;
const SEED: u64 = 0x9E37_79B9_7F4A_7C15;

/// A tiny xorshift64 generator: deterministic, no dependency.
struct XorShift(u64);

impl XorShift {
    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// Uniform in [0, 1).
    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

struct Job {
    weighted_sum: Vec<f64>,
    weighted_sum_ranks: Vec<usize>,
    topsis: Vec<f64>,
    topsis_ranks: Vec<usize>,
    sensitivity: Vec<mcda::WeightSensitivity>,
}

fn run(matrix: &Matrix, weights: &[f64]) -> Job {
    let weighted_sum = mcda::weighted_sum(matrix, weights).expect("weighted sum");
    let weighted_sum_ranks = mcda::ranks(&weighted_sum);
    let topsis = mcda::topsis(matrix, weights).expect("topsis");
    let topsis_ranks = mcda::ranks(&topsis);
    let sensitivity = mcda::weight_sensitivity(matrix, weights).expect("sensitivity");
    Job {
        weighted_sum,
        weighted_sum_ranks,
        topsis,
        topsis_ranks,
        sensitivity,
    }
}

fn check(job: &Job) {
    assert_eq!(job.weighted_sum.len(), LOCATIONS);
    assert_eq!(job.topsis.len(), LOCATIONS);
    assert_eq!(job.sensitivity.len(), CRITERIA);
    assert_eq!(job.weighted_sum_ranks.len(), LOCATIONS);
    assert_eq!(job.topsis_ranks.len(), LOCATIONS);
    for (i, score) in job.weighted_sum.iter().enumerate() {
        assert!(!score.is_nan(), "weighted sum of row {i} is NaN");
        assert!(
            (0.0..=1.0).contains(score),
            "weighted sum {score} of row {i} outside 0..=1"
        );
    }
    for (i, score) in job.topsis.iter().enumerate() {
        assert!(!score.is_nan(), "TOPSIS closeness of row {i} is NaN");
        assert!(
            (0.0..=1.0).contains(score),
            "TOPSIS {score} of row {i} outside 0..=1"
        );
    }
    for s in &job.sensitivity {
        for d in [s.increase, s.decrease].into_iter().flatten() {
            assert!(!d.is_nan(), "sensitivity of {} is NaN", s.criterion);
        }
    }
}

/// (median, p95, min) in milliseconds.
fn stats(mut samples: Vec<f64>) -> (f64, f64, f64) {
    samples.sort_by(f64::total_cmp);
    let n = samples.len();
    let median = if n % 2 == 1 {
        samples[n / 2]
    } else {
        (samples[n / 2 - 1] + samples[n / 2]) / 2.0
    };
    let p95 = samples[((n as f64 * 0.95).ceil() as usize).clamp(1, n) - 1];
    (median, p95, samples[0])
}

fn time(mut job: impl FnMut() -> Job) -> Vec<f64> {
    for _ in 0..WARMUP {
        check(&black_box(job()));
    }
    let mut samples = Vec::with_capacity(ITERATIONS);
    for _ in 0..ITERATIONS {
        let start = Instant::now();
        let result = black_box(job());
        samples.push(start.elapsed().as_secs_f64() * 1e3);
        check(&result);
    }
    samples
}

fn print(label: Option<&str>, samples: Vec<f64>) {
    let (median, p95, min) = stats(samples);
    let extra = label.map_or(String::new(), |l| format!(",\"timed\":\"{l}\""));
    println!(
        "{{\"locations\":{LOCATIONS},\"criteria\":{CRITERIA},\"iterations\":{ITERATIONS},\
         \"median_ms\":{median:.4},\"p95_ms\":{p95:.4},\"min_ms\":{min:.4}{extra}}}"
    );
}

fn main() {
    let mut rng = XorShift(SEED);
    // Every third criterion is a cost (less is better), the rest benefits.
    let criteria: Vec<(String, Direction)> = (0..CRITERIA)
        .map(|j| {
            let direction = if j % 3 == 0 {
                Direction::Cost
            } else {
                Direction::Benefit
            };
            (format!("c{j:02}"), direction)
        })
        .collect();
    // Per-criterion scale so columns differ in magnitude (1 .. 1e6), like cost vs 1-5 scores.
    let scales: Vec<f64> = (0..CRITERIA).map(|j| 10f64.powi((j % 7) as i32)).collect();
    let rows: Vec<Vec<f64>> = (0..LOCATIONS)
        .map(|_| {
            scales
                .iter()
                .map(|scale| (0.05 + rng.next_f64()) * scale)
                .collect()
        })
        .collect();
    let weights: Vec<f64> = (0..CRITERIA).map(|_| 0.1 + rng.next_f64() * 4.9).collect();

    let matrix = Matrix::new(criteria.clone(), rows.clone()).expect("valid matrix");
    assert_eq!(matrix.alternatives(), LOCATIONS);

    // The whole job on a built matrix: what a slider move costs once the profile is costed.
    print(None, time(|| run(&matrix, &weights)));

    // The same, rebuilding (and validating) the matrix each time from a copy of the rows.
    print(
        Some("including Matrix::new and row copy"),
        time(|| {
            let m = Matrix::new(criteria.clone(), rows.clone()).expect("valid matrix");
            run(&m, &weights)
        }),
    );
}
