//! Preliminary screening of one application or a batch: rules, completeness and consistency,
//! duplicates, the risk score, and the route (fast track or officer queue, with reasons).

use serde::Serialize;
use time::Date;
use vocab::{Money, Percent, Provenance};

use crate::application::Application;
use crate::check::{check_consistency, check_rules, Finding, Outcome, RuleResult};
use crate::code::{DocumentKind, RuleId, SchemeId};
use crate::duplicate::{DuplicateHit, DuplicateIndex, Fingerprint};
use crate::model::{percent_of, RiskModel, RiskScore};
use crate::scheme::Scheme;

/// Hits below this exact similarity are left out of a report; hits at or above the scheme's
/// `max_duplicate_similarity_pct` send the application to an officer.
pub const REPORTED_SIMILARITY: f64 = 0.3;

/// What screening needs besides the scheme and the application.
#[derive(Debug, Clone, Copy)]
pub struct ScreeningContext<'a> {
    /// The screening date, used as the submission date of an application that has none.
    pub today: Date,
    /// The risk model.
    pub model: &'a RiskModel,
    /// Earlier applications (any scheme, funded or not) to look for duplicates among.
    pub earlier: &'a DuplicateIndex,
}

/// The result of screening one application: every rule, every finding, the duplicates, the
/// score and the route, all as data with stable codes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScreeningReport {
    /// The application's reference.
    pub reference: String,
    /// The scheme screened against.
    pub scheme: SchemeId,
    /// Whether the scheme's figures are examples; the UI must say so.
    pub scheme_is_example: bool,
    /// Where the scheme's figures come from.
    pub scheme_source: Provenance,
    /// Each eligibility rule, in the scheme's order.
    pub rules: Vec<RuleResult>,
    /// Completeness and consistency problems; empty when there are none.
    pub findings: Vec<Finding>,
    /// Earlier or batch applications at least [`REPORTED_SIMILARITY`] alike, most similar first.
    pub duplicates: Vec<DuplicateHit>,
    /// The risk score and what moved it.
    pub risk: RiskScore,
    /// Where the application goes.
    pub route: Route,
}

/// Where an application goes after screening.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "route", rename_all = "snake_case")]
pub enum Route {
    /// Every fast-track criterion is met.
    FastTrack,
    /// An officer must look at it, for these reasons (never empty).
    OfficerQueue {
        /// Why, in a stable order: rules, completeness, consistency, duplicates, risk, amount.
        reasons: Vec<RouteReason>,
    },
}

/// Why an application cannot take the fast track; serialised with its stable `code`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum RouteReason {
    /// An eligibility rule failed.
    RuleFailed {
        /// The rule.
        rule: RuleId,
    },
    /// An eligibility rule could not be decided because a value is missing.
    RuleUnknown {
        /// The rule.
        rule: RuleId,
    },
    /// Fields or documents are missing.
    Incomplete {
        /// The missing fields.
        fields: Vec<&'static str>,
        /// The missing documents.
        documents: Vec<DocumentKind>,
    },
    /// A consistency check failed (see the report's findings for the numbers).
    Inconsistent {
        /// The finding's code, e.g. `"budget_does_not_add_up"`.
        check: &'static str,
    },
    /// Another application is at least as similar as the scheme allows.
    PossibleDuplicate {
        /// The other application's key.
        other: String,
        /// The exact similarity, as a percentage rounded to 2 decimals.
        similarity: Percent,
        /// The scheme's threshold.
        threshold: Percent,
    },
    /// The risk score is at or above the scheme's fast-track threshold.
    RiskAbove {
        /// The score, rounded to 2 decimals.
        risk: Percent,
        /// The threshold (the score must be strictly below it).
        threshold: Percent,
    },
    /// The amount requested is above the fast-track amount.
    AmountAbove {
        /// The amount requested.
        amount: Money,
        /// The most the fast track takes.
        max: Money,
    },
}

impl RouteReason {
    /// The stable machine code, e.g. `"rule_failed"`.
    pub fn code(&self) -> &'static str {
        match self {
            RouteReason::RuleFailed { .. } => "rule_failed",
            RouteReason::RuleUnknown { .. } => "rule_unknown",
            RouteReason::Incomplete { .. } => "incomplete",
            RouteReason::Inconsistent { .. } => "inconsistent",
            RouteReason::PossibleDuplicate { .. } => "possible_duplicate",
            RouteReason::RiskAbove { .. } => "risk_above",
            RouteReason::AmountAbove { .. } => "amount_above",
        }
    }
}

impl Route {
    /// Whether this is the fast track.
    pub fn is_fast_track(&self) -> bool {
        matches!(self, Route::FastTrack)
    }

    /// The reasons for the officer queue; empty for the fast track.
    pub fn reasons(&self) -> &[RouteReason] {
        match self {
            Route::FastTrack => &[],
            Route::OfficerQueue { reasons } => reasons,
        }
    }
}

/// Screens one application against a scheme, looking for duplicates among the context's
/// earlier applications (other than entries under its own reference).
pub fn screen(
    scheme: &Scheme,
    application: &Application,
    context: &ScreeningContext<'_>,
) -> ScreeningReport {
    let hits = context.earlier.candidates(application);
    report(scheme, application, context, hits)
}

/// Screens a batch: each application as [`screen`] does, and also against every other
/// application of the batch (so both copies of a duplicated project are flagged).
///
/// Reports come in the order of the applications.
pub fn screen_batch(
    scheme: &Scheme,
    applications: &[Application],
    context: &ScreeningContext<'_>,
) -> Vec<ScreeningReport> {
    let fingerprints: Vec<Fingerprint> = applications.iter().map(Fingerprint::of).collect();
    let mut batch = DuplicateIndex::new();
    for (application, fingerprint) in applications.iter().zip(&fingerprints) {
        batch.insert_fingerprint(application.reference().to_owned(), fingerprint.clone());
    }
    applications
        .iter()
        .zip(&fingerprints)
        .map(|(application, fingerprint)| {
            let mut hits = context
                .earlier
                .candidates_by_fingerprint(application.reference(), fingerprint);
            hits.extend(batch.candidates_by_fingerprint(application.reference(), fingerprint));
            hits.sort_by(|a, b| {
                b.similarity
                    .total_cmp(&a.similarity)
                    .then_with(|| a.other.cmp(&b.other))
            });
            report(scheme, application, context, hits)
        })
        .collect()
}

fn report(
    scheme: &Scheme,
    application: &Application,
    context: &ScreeningContext<'_>,
    mut hits: Vec<DuplicateHit>,
) -> ScreeningReport {
    let rules = check_rules(scheme, application);
    let submitted = application.submitted_on().unwrap_or(context.today);
    let findings = check_consistency(scheme, application, submitted);
    hits.retain(|hit| hit.similarity >= REPORTED_SIMILARITY);
    let risk = context.model.score(application, scheme.funding_cap());
    let route = route(scheme, application, &rules, &findings, &hits, &risk);
    ScreeningReport {
        reference: application.reference().to_owned(),
        scheme: scheme.id().clone(),
        scheme_is_example: scheme.is_example(),
        scheme_source: scheme.source().clone(),
        rules,
        findings,
        duplicates: hits,
        risk,
        route,
    }
}

fn route(
    scheme: &Scheme,
    application: &Application,
    rules: &[RuleResult],
    findings: &[Finding],
    hits: &[DuplicateHit],
    risk: &RiskScore,
) -> Route {
    let mut reasons = Vec::new();
    for result in rules {
        match result.outcome {
            Outcome::Pass => {}
            Outcome::Fail => reasons.push(RouteReason::RuleFailed {
                rule: result.rule.clone(),
            }),
            Outcome::Unknown => reasons.push(RouteReason::RuleUnknown {
                rule: result.rule.clone(),
            }),
        }
    }
    let mut fields = Vec::new();
    let mut documents = Vec::new();
    for finding in findings {
        match finding {
            Finding::MissingField { field } => fields.push(*field),
            Finding::MissingDocument { document } => documents.push(document.clone()),
            _ => {}
        }
    }
    if !fields.is_empty() || !documents.is_empty() {
        reasons.push(RouteReason::Incomplete { fields, documents });
    }
    let mut checks: Vec<&'static str> = Vec::new();
    for finding in findings {
        if matches!(
            finding,
            Finding::MissingField { .. } | Finding::MissingDocument { .. }
        ) {
            continue;
        }
        if !checks.contains(&finding.code()) {
            checks.push(finding.code());
            reasons.push(RouteReason::Inconsistent {
                check: finding.code(),
            });
        }
    }
    let fast = scheme.fast_track();
    for hit in hits {
        let similarity = percent_of(hit.similarity);
        if similarity.millionths() >= fast.max_duplicate_similarity.millionths() {
            reasons.push(RouteReason::PossibleDuplicate {
                other: hit.other.clone(),
                similarity,
                threshold: fast.max_duplicate_similarity,
            });
        }
    }
    if risk.percent.millionths() >= fast.max_risk.millionths() {
        reasons.push(RouteReason::RiskAbove {
            risk: risk.percent,
            threshold: fast.max_risk,
        });
    }
    let amount = application.project().amount_requested();
    if amount.currency() == fast.max_amount.currency() && amount.cents() > fast.max_amount.cents() {
        reasons.push(RouteReason::AmountAbove {
            amount,
            max: fast.max_amount,
        });
    }
    if reasons.is_empty() {
        Route::FastTrack
    } else {
        Route::OfficerQueue { reasons }
    }
}
