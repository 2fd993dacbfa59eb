//! Preliminary screening of applications to funding schemes, with a fast track.
//!
//! A [`Scheme`] is data: eligibility [`Rule`]s, a funding cap and [`MatchingRatio`], eligible
//! cost categories, required documents, [`FastTrack`] criteria and an application window, read
//! from TOML (`docs/scheme-format.md`) with errors that name the line and the key.
//! [`EXAMPLE_SCHEMES`] ships three, all labelled as examples with indicative figures.
//!
//! An [`Application`] is parsed once from raw [`ApplicationInput`] (a form, a JSON body) or from
//! CSV rows ([`read_applications_csv`]); errors name the field, or the line and column.
//!
//! [`screen`] returns a [`ScreeningReport`], explained line by line:
//!
//! - each rule's [`RuleResult`]: Pass, Fail or Unknown, with the value that decided it;
//! - completeness and consistency [`Finding`]s: missing fields and documents, budget lines
//!   against the total, the cap and the matching ratio (exact integer arithmetic:
//!   `requested × (government + company) ≤ total × government`), dates and window, cost
//!   categories;
//! - [`DuplicateHit`]s from a MinHash/LSH [`DuplicateIndex`] of earlier applications;
//! - a [`RiskScore`] from a logistic regression ([`RiskModel`], trained with [`train`] on
//!   [`PastDecision`]s and evaluated by AUC with [`evaluate`]), with the features that moved it;
//! - the [`Route`]: the fast track, or the officer queue with structured [`RouteReason`]s.
//!
//! [`screen_batch`] screens many applications and also compares them with each other.
//! Reports carry stable codes, never sentences: the web layer renders them in English and
//! Traditional Chinese.
//!
//! The shipped model ([`default_model`], `models/risk-model.json`) is trained on
//! [`synthetic_history`] data and labelled `synthetic`.
//!
//! # Example
//!
//! ```
//! use screening::{
//!     default_model, example_scheme, screen, Application, ApplicationInput, BudgetLineInput,
//!     DuplicateIndex, RouteReason, ScreeningContext, ScreeningError,
//! };
//!
//! let scheme = example_scheme("technology-voucher").expect("shipped");
//! let application = Application::try_from(ApplicationInput {
//!     reference: "TVP-0001".to_owned(),
//!     organisation_name: "Wah Hing Precision Ltd".to_owned(),
//!     registered_in_hk: "yes".to_owned(),
//!     business_registration_number: "12345678".to_owned(),
//!     employees: "250".to_owned(),
//!     sector: "electronics".to_owned(),
//!     years_in_operation: "12".to_owned(),
//!     project_title: "Vision inspection for connectors".to_owned(),
//!     project_description: "Install a camera inspection cell on the moulding line".to_owned(),
//!     project_location: "HK".to_owned(),
//!     start_date: "2025-09-01".to_owned(),
//!     end_date: "2026-02-28".to_owned(),
//!     budget_lines: vec![BudgetLineInput {
//!         category: "equipment".to_owned(),
//!         description: "Camera cell".to_owned(),
//!         amount: "400,000".to_owned(),
//!     }],
//!     total: "400,000".to_owned(),
//!     amount_requested: "300,000".to_owned(),
//!     company_contribution: "100,000".to_owned(),
//!     documents: vec!["business_registration".to_owned(), "quotations".to_owned()],
//!     submitted_on: "2025-07-01".to_owned(),
//!     ..ApplicationInput::default()
//! })?;
//!
//! let model = default_model();
//! let earlier = DuplicateIndex::new();
//! let today = time::macros::date!(2025 - 07 - 01);
//! let context = ScreeningContext { today, model: &model, earlier: &earlier };
//! let report = screen(&scheme, &application, &context);
//!
//! // 250 employees is above the voucher's 100, and HK$300,000 is above the fast-track amount.
//! let reasons = report.route.reasons();
//! assert!(matches!(&reasons[0], RouteReason::RuleFailed { rule } if rule.as_str() == "small-enterprise"));
//! assert!(reasons.iter().any(|reason| reason.code() == "amount_above"));
//! # Ok::<(), ScreeningError>(())
//! ```

#![deny(missing_docs)]

mod application;
mod attachment;
mod change;
mod check;
mod code;
mod csv_input;
mod duplicate;
mod error;
mod model;
mod prefill;
mod scheme;
mod screen;
mod source;
mod synthetic;
mod text;

pub use application::{
    Applicant, Application, ApplicationInput, BudgetLine, BudgetLineInput,
    BusinessRegistrationNumber, EarlierFunding, EarlierFundingInput, Milestone, MilestoneInput,
    Project,
};
pub use attachment::{sha256_hex, Attachment, AttachmentType, MAX_ATTACHMENT_BYTES};
pub use change::{assess_change, ChangeAssessment, ChangeInput, ChangeMove};
pub use check::{check_consistency, check_rules, Finding, Outcome, RuleResult, RuleValue};
pub use code::{CostCategory, DocumentKind, RuleId, SchemeId, Sector};
pub use csv_input::{
    read_applications_csv, read_history_csv, APPLICATION_COLUMNS, HISTORY_COLUMNS, REQUIRED_COLUMNS,
};
pub use duplicate::{
    DuplicateHit, DuplicateIndex, MatchedPart, BANDS, PART_MATCH_SIMILARITY, ROWS_PER_BAND,
    SIGNATURE_LEN,
};
pub use error::{CsvProblem, Location, ScreeningError};
pub use model::{
    auc, evaluate, train, Decision, Evaluation, FeatureContribution, PastDecision, RiskModel,
    RiskScore, TrainOptions, TrainedModel, STRUCTURED_FEATURES,
};
pub use prefill::{prefill, FilledField, FilledFrom, KnownApplicant, Prefill};
pub use scheme::{FastTrack, MatchingRatio, Requirement, Rule, Scheme, Tolerance, RULE_KINDS};
pub use screen::{
    screen, screen_batch, Route, RouteReason, ScreeningContext, ScreeningReport,
    REPORTED_SIMILARITY,
};
pub use synthetic::{synthetic_applications, synthetic_history, SYNTHETIC_PREFIX};

/// The three example schemes, `(file name, TOML text)`: a smart production line matching scheme
/// (1:2, cap HK$15m), an R&D cash rebate (2:3, cap HK$10m) and a technology voucher (3:1, cap
/// HK$600,000). All figures are indicative examples (`example = true`).
pub const EXAMPLE_SCHEMES: [(&str, &str); 3] = [
    (
        "smart-production-line.toml",
        include_str!("../schemes/smart-production-line.toml"),
    ),
    (
        "rd-cash-rebate.toml",
        include_str!("../schemes/rd-cash-rebate.toml"),
    ),
    (
        "technology-voucher.toml",
        include_str!("../schemes/technology-voucher.toml"),
    ),
];

/// The shipped risk model, `models/risk-model.json`, as a serialised [`TrainedModel`].
pub const RISK_MODEL_JSON: &str = include_str!("../models/risk-model.json");

/// The size of the synthetic history the shipped model is trained on.
pub const SHIPPED_HISTORY_SIZE: usize = 2_000;

/// The seed of the synthetic history the shipped model is trained on.
pub const SHIPPED_HISTORY_SEED: u64 = 2025;

/// The example schemes, parsed, in the order of [`EXAMPLE_SCHEMES`].
pub fn example_schemes() -> Vec<Scheme> {
    EXAMPLE_SCHEMES
        .iter()
        .map(|(_, text)| Scheme::parse(text).expect("the shipped schemes are valid (tested)"))
        .collect()
}

/// The example scheme with this id, if one is shipped.
pub fn example_scheme(id: &str) -> Option<Scheme> {
    example_schemes()
        .into_iter()
        .find(|scheme| scheme.id().as_str() == id)
}

/// The shipped risk model (trained on synthetic data; its source says so).
pub fn default_model() -> RiskModel {
    RiskModel::from_json(RISK_MODEL_JSON).expect("the shipped model is valid (tested)")
}

/// The shipped model as it was trained, with its held-out evaluation.
pub fn default_trained_model() -> TrainedModel {
    serde_json::from_str(RISK_MODEL_JSON).expect("the shipped model is valid (tested)")
}

/// Trains the shipped model from scratch: [`SHIPPED_HISTORY_SIZE`] synthetic decisions from
/// [`SHIPPED_HISTORY_SEED`], with [`TrainOptions::SHIPPED`].
pub fn train_shipped_model() -> Result<TrainedModel, ScreeningError> {
    train(
        &synthetic_history(SHIPPED_HISTORY_SIZE, SHIPPED_HISTORY_SEED),
        &TrainOptions::SHIPPED,
    )
}
