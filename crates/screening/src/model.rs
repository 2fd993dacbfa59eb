//! The risk and quality score: L2-regularised logistic regression over structured and hashed
//! text features, fitted by Newton's method (IRLS) on past decisions, with a rank-based AUC on
//! a held-out split and a per-application explanation.
//!
//! The score is the model's probability that an officer would reject the application.
//! Features are standardised with the training set's means and standard deviations, so a
//! coefficient times a standardised value says how far that feature moved the log-odds; the
//! five largest moves are the explanation.
//! Everything is deterministic: the split comes from a seeded SplitMix64 stream, text hashing
//! from a fixed FNV-1a seed, and Newton's method has no randomness.

use serde::{Deserialize, Serialize};
use vocab::{Money, Percent, Provenance};

use crate::application::Application;
use crate::code::Sector;
use crate::error::ScreeningError;
use crate::text::SplitMix;

/// A decision taken earlier on an application, to learn from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastDecision {
    /// The application as it was filed.
    pub application: Application,
    /// The funding cap of the scheme it was filed under.
    pub funding_cap: Money,
    /// What the officers decided.
    pub decision: Decision,
}

/// An officer's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Funded.
    Approved,
    /// Not funded.
    Rejected,
}

/// How to train: the penalty, the held-out share and the seeds.
///
/// There is no `Default`; [`TrainOptions::SHIPPED`] is what the shipped model was trained
/// with.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrainOptions {
    /// The L2 penalty on the (standardised) coefficients; the intercept is not penalised.
    pub l2: f64,
    /// The share of decisions held out for evaluation, in whole percent (1 to 90).
    pub holdout_pct: u32,
    /// The seed of the train/held-out split.
    pub split_seed: u64,
    /// The number of buckets text words and word pairs are hashed into.
    pub text_buckets: u32,
    /// The seed of the text hash.
    pub text_seed: u64,
}

/// A fitted model: what it needs to score an application, and nothing else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskModel {
    source: Provenance,
    feature_names: Vec<String>,
    sectors: Vec<Sector>,
    text_buckets: u32,
    text_seed: u64,
    means: Vec<f64>,
    scales: Vec<f64>,
    intercept: f64,
    coefficients: Vec<f64>,
}

/// A model with how it was trained and how it did on the held-out decisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainedModel {
    /// The model.
    pub model: RiskModel,
    /// The options it was trained with.
    pub options: TrainOptions,
    /// The number of decisions it was fitted on.
    pub n_train: usize,
    /// Newton iterations until convergence.
    pub iterations: u32,
    /// The evaluation on the held-out decisions.
    pub held_out: Evaluation,
}

/// How well a model ranks decisions it was not fitted on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The number of decisions.
    pub n: usize,
    /// How many of them were rejections.
    pub n_rejected: usize,
    /// The area under the ROC curve: the chance that a rejected application scores above an
    /// approved one, ties counting one half.
    pub auc: f64,
    /// The mean log loss.
    pub log_loss: f64,
}

/// An application's risk score and what moved it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskScore {
    /// The probability of rejection, 0 to 1.
    pub probability: f64,
    /// The same as a percentage rounded to 2 decimals; this is what thresholds compare.
    pub percent: Percent,
    /// The model's provenance (`"synthetic"` for the shipped model).
    pub model_source: Provenance,
    /// The features that moved the log-odds most, largest move first (at most 5).
    pub top_features: Vec<FeatureContribution>,
}

/// One feature's part in a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureContribution {
    /// The feature's name: a structured feature (`"requested_to_cap"`), `"sector:<code>"`, or
    /// `"text:<words>"` with this application's words in that hash bucket.
    pub feature: String,
    /// The raw value.
    pub value: f64,
    /// The standardised value.
    pub standardised: f64,
    /// Coefficient × standardised value: the move in log-odds (positive raises the risk).
    pub contribution: f64,
}

/// The structured features, in vector order.
pub const STRUCTURED_FEATURES: [&str; 13] = [
    "log_amount_requested",
    "requested_to_cap",
    "requested_share_of_total",
    "log_employees",
    "employees_missing",
    "years_in_operation",
    "years_missing",
    "budget_lines",
    "largest_line_share",
    "documents_provided",
    "missing_fields",
    "earlier_fundings",
    "project_months",
];

const TOP_FEATURES: usize = 5;
const MAX_NEWTON_ITERATIONS: u32 = 100;
const NEWTON_TOLERANCE: f64 = 1e-10;
const MIN_DECISIONS: usize = 20;

impl TrainOptions {
    /// The options of the shipped model, `models/risk-model.json`.
    pub const SHIPPED: TrainOptions = TrainOptions {
        l2: 1.0,
        holdout_pct: 25,
        split_seed: 7,
        text_buckets: 128,
        text_seed: 0x7465_7874,
    };
}

impl RiskModel {
    /// Reads a model serialised with `serde_json` (as [`TrainedModel`] or bare), checking that
    /// its parts fit together.
    pub fn from_json(text: &str) -> Result<RiskModel, ScreeningError> {
        let model: RiskModel = match serde_json::from_str::<TrainedModel>(text) {
            Ok(trained) => trained.model,
            Err(_) => match serde_json::from_str::<RiskModel>(text) {
                Ok(model) => model,
                Err(error) => {
                    return Err(ScreeningError::Model {
                        reason: error.to_string(),
                    })
                }
            },
        };
        let n = STRUCTURED_FEATURES.len() + model.sectors.len() + model.text_buckets as usize;
        let lengths = [
            model.feature_names.len(),
            model.means.len(),
            model.scales.len(),
            model.coefficients.len(),
        ];
        if lengths.iter().any(|len| *len != n) {
            return Err(ScreeningError::Model {
                reason: format!("expected {n} features, found lengths {lengths:?}"),
            });
        }
        let finite = model.intercept.is_finite()
            && model
                .means
                .iter()
                .chain(&model.coefficients)
                .all(|x| x.is_finite())
            && model.scales.iter().all(|x| x.is_finite() && *x > 0.0);
        if !finite {
            return Err(ScreeningError::Model {
                reason: "a coefficient, mean or scale is not finite (or a scale is not positive)"
                    .to_owned(),
            });
        }
        Ok(model)
    }

    /// Where the training data came from.
    pub fn source(&self) -> &Provenance {
        &self.source
    }

    /// The feature names, in vector order.
    pub fn feature_names(&self) -> &[String] {
        &self.feature_names
    }

    /// The intercept (log-odds of rejection at the average application).
    pub fn intercept(&self) -> f64 {
        self.intercept
    }

    /// The coefficients on the standardised features, in vector order.
    pub fn coefficients(&self) -> &[f64] {
        &self.coefficients
    }

    /// Scores an application filed under a scheme with this funding cap.
    pub fn score(&self, application: &Application, funding_cap: Money) -> RiskScore {
        let raw = self.features(application, funding_cap);
        let mut logit = self.intercept;
        let mut contributions: Vec<(usize, f64, f64)> = Vec::with_capacity(raw.len());
        for (idx, value) in raw.iter().enumerate() {
            let z = (value - self.means[idx]) / self.scales[idx];
            let contribution = self.coefficients[idx] * z;
            logit += contribution;
            contributions.push((idx, z, contribution));
        }
        contributions.sort_by(|a, b| b.2.abs().total_cmp(&a.2.abs()).then(a.0.cmp(&b.0)));
        let top_features = contributions
            .into_iter()
            .take(TOP_FEATURES)
            .map(|(idx, standardised, contribution)| FeatureContribution {
                feature: self.name_for(idx, application),
                value: raw[idx],
                standardised,
                contribution,
            })
            .collect();
        let probability = sigmoid(logit);
        RiskScore {
            probability,
            percent: percent_of(probability),
            model_source: self.source.clone(),
            top_features,
        }
    }

    /// The probability of rejection alone.
    pub fn probability(&self, application: &Application, funding_cap: Money) -> f64 {
        let raw = self.features(application, funding_cap);
        let logit = raw
            .iter()
            .enumerate()
            .fold(self.intercept, |sum, (idx, value)| {
                sum + self.coefficients[idx] * (value - self.means[idx]) / self.scales[idx]
            });
        sigmoid(logit)
    }

    fn features(&self, application: &Application, funding_cap: Money) -> Vec<f64> {
        features(
            application,
            funding_cap,
            &self.sectors,
            self.text_buckets,
            self.text_seed,
        )
    }

    /// The name of a feature in an explanation; for a text bucket, this application's words
    /// that fall in it.
    fn name_for(&self, idx: usize, application: &Application) -> String {
        let text_start = STRUCTURED_FEATURES.len() + self.sectors.len();
        if idx < text_start {
            return self.feature_names[idx].clone();
        }
        let bucket = (idx - text_start) as u64;
        let mut words: Vec<String> = text_tokens(application, self.text_seed)
            .into_iter()
            .filter(|(_, hash)| hash % u64::from(self.text_buckets) == bucket)
            .map(|(token, _)| token)
            .collect();
        words.sort();
        words.dedup();
        if words.is_empty() {
            return format!("{} (absent)", self.feature_names[idx]);
        }
        words.truncate(3);
        format!("text:{}", words.join("|"))
    }
}

/// Fits a model on past decisions: a seeded split holds out `holdout_pct` percent, the rest is
/// standardised and fitted by Newton's method, and the held-out part is evaluated.
///
/// Errors when there are fewer than 20 decisions, or either part lacks an approval or a
/// rejection.
pub fn train(
    decisions: &[PastDecision],
    options: &TrainOptions,
) -> Result<TrainedModel, ScreeningError> {
    if decisions.len() < MIN_DECISIONS {
        return Err(ScreeningError::Training {
            reason: format!(
                "{} decisions; at least {MIN_DECISIONS} are needed",
                decisions.len()
            ),
        });
    }
    if !(1..=90).contains(&options.holdout_pct) {
        return Err(ScreeningError::Training {
            reason: format!(
                "holdout_pct {} is not between 1 and 90",
                options.holdout_pct
            ),
        });
    }
    if !(1..=4096).contains(&options.text_buckets) {
        return Err(ScreeningError::Training {
            reason: format!(
                "text_buckets {} is not between 1 and 4096",
                options.text_buckets
            ),
        });
    }
    if !(options.l2.is_finite() && options.l2 > 0.0) {
        return Err(ScreeningError::Training {
            reason: format!("l2 {} must be a positive number", options.l2),
        });
    }
    let mut order: Vec<usize> = (0..decisions.len()).collect();
    let mut rng = SplitMix::new(options.split_seed);
    for i in (1..order.len()).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    let n_test = (decisions.len() * options.holdout_pct as usize).div_ceil(100);
    let (test_idx, train_idx) = order.split_at(n_test);
    let train_set: Vec<&PastDecision> = train_idx.iter().map(|idx| &decisions[*idx]).collect();
    let test_set: Vec<&PastDecision> = test_idx.iter().map(|idx| &decisions[*idx]).collect();
    for (name, part) in [("training", &train_set), ("held-out", &test_set)] {
        let rejected = part
            .iter()
            .filter(|d| d.decision == Decision::Rejected)
            .count();
        if rejected == 0 || rejected == part.len() {
            return Err(ScreeningError::Training {
                reason: format!("the {name} part has only one kind of decision"),
            });
        }
    }

    let mut sectors: Vec<Sector> = train_set
        .iter()
        .filter_map(|d| d.application.applicant().sector().cloned())
        .collect();
    sectors.sort();
    sectors.dedup();
    let mut feature_names: Vec<String> = STRUCTURED_FEATURES
        .iter()
        .map(|name| (*name).to_owned())
        .collect();
    feature_names.extend(sectors.iter().map(|sector| format!("sector:{sector}")));
    feature_names.extend((0..options.text_buckets).map(|bucket| format!("text_bucket:{bucket}")));
    let n_features = feature_names.len();

    let rows: Vec<Vec<f64>> = train_set
        .iter()
        .map(|d| {
            features(
                &d.application,
                d.funding_cap,
                &sectors,
                options.text_buckets,
                options.text_seed,
            )
        })
        .collect();
    let labels: Vec<f64> = train_set
        .iter()
        .map(|d| {
            if d.decision == Decision::Rejected {
                1.0
            } else {
                0.0
            }
        })
        .collect();
    let n = rows.len() as f64;
    let mut means = vec![0.0; n_features];
    for row in &rows {
        for (mean, value) in means.iter_mut().zip(row) {
            *mean += value / n;
        }
    }
    let mut scales = vec![0.0; n_features];
    for row in &rows {
        for ((scale, value), mean) in scales.iter_mut().zip(row).zip(&means) {
            *scale += (value - mean) * (value - mean) / n;
        }
    }
    for scale in &mut scales {
        *scale = if *scale > 1e-12 { scale.sqrt() } else { 1.0 };
    }
    // The design matrix with a leading column of ones for the intercept.
    let dim = n_features + 1;
    let design: Vec<Vec<f64>> = rows
        .iter()
        .map(|row| {
            let mut z = Vec::with_capacity(dim);
            z.push(1.0);
            z.extend(
                row.iter()
                    .zip(&means)
                    .zip(&scales)
                    .map(|((x, m), s)| (x - m) / s),
            );
            z
        })
        .collect();
    let (theta, iterations) = newton(&design, &labels, options.l2)?;
    let model = RiskModel {
        source: common_source(decisions),
        feature_names,
        sectors,
        text_buckets: options.text_buckets,
        text_seed: options.text_seed,
        means,
        scales,
        intercept: theta[0],
        coefficients: theta[1..].to_vec(),
    };
    let test_decisions: Vec<PastDecision> = test_set.into_iter().cloned().collect();
    let held_out = evaluate(&model, &test_decisions);
    Ok(TrainedModel {
        model,
        options: *options,
        n_train: rows.len(),
        iterations,
        held_out,
    })
}

/// How well the model ranks these decisions: AUC (ties count one half) and mean log loss.
///
/// With no approvals or no rejections the AUC is undefined and reported as 0.5.
pub fn evaluate(model: &RiskModel, decisions: &[PastDecision]) -> Evaluation {
    let scored: Vec<(f64, bool)> = decisions
        .iter()
        .map(|d| {
            (
                model.probability(&d.application, d.funding_cap),
                d.decision == Decision::Rejected,
            )
        })
        .collect();
    let log_loss = if scored.is_empty() {
        0.0
    } else {
        scored
            .iter()
            .map(|(p, rejected)| {
                let p = p.clamp(1e-15, 1.0 - 1e-15);
                if *rejected {
                    -p.ln()
                } else {
                    -(1.0 - p).ln()
                }
            })
            .sum::<f64>()
            / scored.len() as f64
    };
    Evaluation {
        n: scored.len(),
        n_rejected: scored.iter().filter(|(_, rejected)| *rejected).count(),
        auc: auc(&scored),
        log_loss,
    }
}

/// The rank-based AUC (Mann-Whitney U over average ranks, so ties count one half).
pub fn auc(scored: &[(f64, bool)]) -> f64 {
    let n_pos = scored.iter().filter(|(_, positive)| *positive).count();
    let n_neg = scored.len() - n_pos;
    if n_pos == 0 || n_neg == 0 {
        return 0.5;
    }
    let mut sorted: Vec<&(f64, bool)> = scored.iter().collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut rank_sum_pos = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j + 1].0 == sorted[i].0 {
            j += 1;
        }
        // Ranks i+1 ..= j+1 share their average.
        let average_rank = (i + j + 2) as f64 / 2.0;
        rank_sum_pos += average_rank
            * sorted[i..=j]
                .iter()
                .filter(|(_, positive)| *positive)
                .count() as f64;
        i = j + 1;
    }
    let u = rank_sum_pos - (n_pos * (n_pos + 1)) as f64 / 2.0;
    u / (n_pos as f64 * n_neg as f64)
}

/// The provenance of the training data: the decisions' common label when the generator made
/// them all, else "indicative" (a user's own history).
fn common_source(decisions: &[PastDecision]) -> Provenance {
    if decisions.iter().all(|d| {
        d.application
            .reference()
            .starts_with(crate::synthetic::SYNTHETIC_PREFIX)
    }) {
        Provenance::Synthetic
    } else {
        Provenance::Indicative
    }
}

/// Newton's method on the penalised log-likelihood; the first coordinate (the intercept) is not
/// penalised.
fn newton(design: &[Vec<f64>], labels: &[f64], l2: f64) -> Result<(Vec<f64>, u32), ScreeningError> {
    let dim = design[0].len();
    let mut theta = vec![0.0; dim];
    for iteration in 1..=MAX_NEWTON_ITERATIONS {
        let mut gradient = vec![0.0; dim];
        let mut hessian = vec![0.0; dim * dim];
        for (row, y) in design.iter().zip(labels) {
            let logit: f64 = row.iter().zip(&theta).map(|(x, t)| x * t).sum();
            let p = sigmoid(logit);
            let weight = (p * (1.0 - p)).max(1e-12);
            let residual = p - y;
            for a in 0..dim {
                gradient[a] += residual * row[a];
                let wa = weight * row[a];
                let hrow = &mut hessian[a * dim..a * dim + a + 1];
                for (b, h) in hrow.iter_mut().enumerate() {
                    *h += wa * row[b];
                }
            }
        }
        for a in 1..dim {
            gradient[a] += l2 * theta[a];
            hessian[a * dim + a] += l2;
        }
        // Fill the upper triangle from the lower.
        for a in 0..dim {
            for b in a + 1..dim {
                hessian[a * dim + b] = hessian[b * dim + a];
            }
        }
        let step = cholesky_solve(&mut hessian, &gradient, dim)?;
        let mut largest = 0.0_f64;
        for (t, s) in theta.iter_mut().zip(&step) {
            *t -= s;
            largest = largest.max(s.abs());
        }
        if largest < NEWTON_TOLERANCE {
            return Ok((theta, iteration));
        }
    }
    Ok((theta, MAX_NEWTON_ITERATIONS))
}

/// Solves `H x = g` for a symmetric positive definite `H` (row-major, overwritten).
fn cholesky_solve(h: &mut [f64], g: &[f64], dim: usize) -> Result<Vec<f64>, ScreeningError> {
    for j in 0..dim {
        let mut diagonal = h[j * dim + j];
        for k in 0..j {
            diagonal -= h[j * dim + k] * h[j * dim + k];
        }
        if !(diagonal > 0.0 && diagonal.is_finite()) {
            return Err(ScreeningError::Internal {
                reason: "the Hessian is not positive definite".to_owned(),
            });
        }
        let root = diagonal.sqrt();
        h[j * dim + j] = root;
        for i in j + 1..dim {
            let mut value = h[i * dim + j];
            for k in 0..j {
                value -= h[i * dim + k] * h[j * dim + k];
            }
            h[i * dim + j] = value / root;
        }
    }
    let mut y = vec![0.0; dim];
    for i in 0..dim {
        let mut value = g[i];
        for k in 0..i {
            value -= h[i * dim + k] * y[k];
        }
        y[i] = value / h[i * dim + i];
    }
    let mut x = vec![0.0; dim];
    for i in (0..dim).rev() {
        let mut value = y[i];
        for k in i + 1..dim {
            value -= h[k * dim + i] * x[k];
        }
        x[i] = value / h[i * dim + i];
    }
    Ok(x)
}

fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// A probability as a percentage rounded to 2 decimals.
pub(crate) fn percent_of(probability: f64) -> Percent {
    let hundredths = (probability.clamp(0.0, 1.0) * 10_000.0).round() as i64;
    Percent::new(hundredths * 10_000, 2).unwrap_or(Percent::ZERO)
}

/// The hashes of the words and word pairs of the title and description, as put in text
/// buckets.
fn token_hashes(application: &Application, seed: u64) -> Vec<u64> {
    let project = application.project();
    let words: Vec<u64> = crate::text::raw_words(project.title())
        .chain(crate::text::raw_words(project.description().unwrap_or("")))
        .map(|word| crate::text::hash_lowercase(word, seed))
        .collect();
    let mut hashes: Vec<u64> = Vec::with_capacity(words.len() * 2);
    hashes.extend(
        words
            .windows(2)
            .map(|pair| crate::text::pair_hash(pair[0], pair[1])),
    );
    hashes.extend_from_slice(&words);
    hashes
}

/// The words and word pairs of the title and description with their hashes, for naming text
/// features in explanations.
fn text_tokens(application: &Application, seed: u64) -> Vec<(String, u64)> {
    let project = application.project();
    let words: Vec<(String, u64)> = crate::text::words(project.title())
        .chain(crate::text::words(project.description().unwrap_or("")))
        .map(|word| {
            let hash = crate::text::hash_str(&word, seed);
            (word, hash)
        })
        .collect();
    let mut tokens: Vec<(String, u64)> = Vec::with_capacity(words.len() * 2);
    for pair in words.windows(2) {
        tokens.push((
            format!("{} {}", pair[0].0, pair[1].0),
            crate::text::pair_hash(pair[0].1, pair[1].1),
        ));
    }
    tokens.extend(words);
    tokens
}

/// The raw feature vector: structured features, sector one-hot, then hashed text (each word
/// and word pair adds +1 or -1 to its bucket, the sign taken from the hash's top bit).
fn features(
    application: &Application,
    funding_cap: Money,
    sectors: &[Sector],
    text_buckets: u32,
    text_seed: u64,
) -> Vec<f64> {
    let applicant = application.applicant();
    let project = application.project();
    let requested = project.amount_requested().cents() as f64 / 100.0;
    let cap = (funding_cap.cents().max(1)) as f64 / 100.0;
    let total = project.total().map(|total| total.cents() as f64 / 100.0);
    let lines_sum: f64 = project
        .budget_lines()
        .iter()
        .map(|line| line.amount().cents() as f64)
        .sum();
    let largest = project
        .budget_lines()
        .iter()
        .map(|line| line.amount().cents() as f64)
        .fold(0.0, f64::max);
    let missing_fields = [
        applicant.registered_in_hk().is_none(),
        applicant.business_registration_number().is_none(),
        applicant.employees().is_none(),
        applicant.sector().is_none(),
        applicant.years_in_operation().is_none(),
        project.description().is_none(),
        project.location().is_none(),
        project.start().is_none(),
        project.end().is_none(),
        project.total().is_none(),
        project.company_contribution().is_none(),
    ]
    .iter()
    .filter(|missing| **missing)
    .count();
    let months = match (project.start(), project.end()) {
        (Some(start), Some(end)) if start <= end => {
            ((end - start).whole_days() as f64 / 30.44).min(120.0)
        }
        _ => 0.0,
    };
    let mut x =
        Vec::with_capacity(STRUCTURED_FEATURES.len() + sectors.len() + text_buckets as usize);
    x.push((1.0 + requested.max(0.0)).ln());
    x.push((requested / cap).min(10.0));
    x.push(match total {
        Some(total) if total > 0.0 => (requested / total).min(10.0),
        _ => 0.0,
    });
    x.push(
        applicant
            .employees()
            .map_or(0.0, |n| (1.0 + f64::from(n)).ln()),
    );
    x.push(if applicant.employees().is_none() {
        1.0
    } else {
        0.0
    });
    x.push(
        applicant
            .years_in_operation()
            .map_or(0.0, |n| f64::from(n.min(50))),
    );
    x.push(if applicant.years_in_operation().is_none() {
        1.0
    } else {
        0.0
    });
    x.push(project.budget_lines().len().min(50) as f64);
    x.push(if lines_sum > 0.0 {
        largest / lines_sum
    } else {
        0.0
    });
    x.push(application.documents().len().min(20) as f64);
    x.push(missing_fields as f64);
    x.push(application.earlier_funding().len().min(20) as f64);
    x.push(months);
    for sector in sectors {
        x.push(if applicant.sector() == Some(sector) {
            1.0
        } else {
            0.0
        });
    }
    let text_start = x.len();
    x.resize(text_start + text_buckets as usize, 0.0);
    for hash in token_hashes(application, text_seed) {
        let bucket = (hash % u64::from(text_buckets)) as usize;
        x[text_start + bucket] += if hash >> 63 == 1 { 1.0 } else { -1.0 };
    }
    x
}
