//! Funding applications, shared by the API and the pages: who may see what, the prefilled
//! draft, screening on submission (the duplicate check runs against every submitted
//! application on the platform), and what an applicant may see of the report.

use std::collections::HashSet;

use directory::Kind;
use screening::{
    prefill, Application, ApplicationInput, DuplicateIndex, KnownApplicant, Prefill, RiskModel,
    Scheme, ScreeningContext, ScreeningError, ScreeningReport,
};
use store::{ApplicationRecord, FundingAccess, Screened, UserRecord};
use vocab::{OrgId, Role};

use crate::error::ApiError;
use crate::AppState;

/// The schemes on offer and the risk model, parsed once at start.
pub struct FundingCatalog {
    schemes: Vec<Scheme>,
    model: RiskModel,
}

impl FundingCatalog {
    /// The shipped example schemes and model.
    pub fn shipped() -> FundingCatalog {
        FundingCatalog {
            schemes: screening::example_schemes(),
            model: screening::default_model(),
        }
    }

    /// Every scheme, in the shipped order.
    pub fn schemes(&self) -> &[Scheme] {
        &self.schemes
    }

    /// One scheme by id, or 404.
    pub fn scheme(&self, id: &str) -> Result<&Scheme, ApiError> {
        self.schemes
            .iter()
            .find(|s| s.id().as_str() == id)
            .ok_or_else(|| ApiError::NotFound(format!("no scheme {id:?}")))
    }

    /// The risk model.
    pub fn model(&self) -> &RiskModel {
        &self.model
    }
}

/// What a user may do with applications: applicants their organisation's, officers their
/// schemes', administrators all. Anyone else is refused.
pub fn funding_access(user: &UserRecord) -> Result<FundingAccess, ApiError> {
    match (user.role, user.org) {
        (Role::Admin, _) => Ok(FundingAccess::Admin),
        (Role::Officer, _) => Ok(FundingAccess::Officer { user: user.id }),
        (_, Some(org)) => Ok(FundingAccess::Applicant { org }),
        (_, None) => Err(ApiError::Forbidden(
            "applications belong to an organisation; this account has none".into(),
        )),
    }
}

/// The applying organisation of a user who may apply, or 403.
pub fn applicant_org(user: &UserRecord) -> Result<OrgId, ApiError> {
    match funding_access(user)? {
        FundingAccess::Applicant { org } => Ok(org),
        _ => Err(ApiError::Forbidden(
            "officers and administrators do not apply; sign in as the applying organisation".into(),
        )),
    }
}

/// A bad application or change, naming the field, as a 400.
pub fn screening_error(err: ScreeningError) -> ApiError {
    if err.is_user_error() {
        ApiError::BadRequest {
            code: err.code(),
            message: err.to_string(),
        }
    } else {
        ApiError::Internal(err.into())
    }
}

/// Checks a draft before it is saved: what is given must be well-formed (the error names the
/// field), what is still missing may be missing. Submission checks the rest.
pub fn check_draft(reference: &str, input: &ApplicationInput) -> Result<(), ApiError> {
    let mut probe = input.clone();
    probe.reference = reference.to_owned();
    // A parsed application must have these three; placeholders hold their place until given.
    for (value, stand_in) in [
        (&mut probe.organisation_name, "draft"),
        (&mut probe.project_title, "draft"),
        (&mut probe.amount_requested, "1"),
    ] {
        if value.trim().is_empty() {
            *value = stand_in.to_owned();
        }
    }
    Application::parse(&probe)
        .map(|_| ())
        .map_err(screening_error)
}

/// A new application for `org`, filled from its enterprise profile and earlier applications.
pub async fn prefill_for(state: &AppState, org: OrgId) -> Result<Prefill, ApiError> {
    let store = state.store();
    let profile = store
        .directory_entries_of(org)
        .await?
        .into_iter()
        .find(|entry| entry.profile.kind() == Kind::Enterprise)
        .map(|entry| KnownApplicant {
            organisation_name: entry.profile.name().en().to_owned(),
            sector: entry
                .profile
                .sectors()
                .first()
                .map(|sector| sector.code().to_owned())
                .unwrap_or_default(),
        });
    let earlier: Vec<ApplicationInput> = store
        .applications(
            FundingAccess::Applicant { org },
            &store::ApplicationFilter::default(),
        )
        .await?
        .into_iter()
        .map(|record| {
            let mut input = record.input;
            input.reference = record.reference;
            input
        })
        .collect();
    Ok(prefill(profile.as_ref(), &earlier))
}

/// Screens an application as it is submitted: the scheme's rules, the consistency checks,
/// the duplicate check against every other submitted application, and the risk model.
pub async fn screen_submission(
    state: &AppState,
    record: &ApplicationRecord,
    input: &ApplicationInput,
) -> Result<(Screened, ScreeningReport), ApiError> {
    let catalog = state.funding();
    let scheme = catalog.scheme(&record.scheme)?;
    let today = time::OffsetDateTime::now_utc().date();
    let mut input = input.clone();
    input.reference = record.reference.clone();
    // The submission date is the platform's, never the applicant's: a chosen date could move
    // the window check.
    input.submitted_on = today.to_string();
    let application = Application::parse(&input).map_err(screening_error)?;
    let mut earlier = DuplicateIndex::new();
    for (key, _, other) in state.store().screened_applications(record.id).await? {
        if let Ok(other) = Application::parse(&other) {
            earlier.insert(key, &other);
        }
    }
    let report = screening::screen(
        scheme,
        &application,
        &ScreeningContext {
            today,
            model: catalog.model(),
            earlier: &earlier,
        },
    );
    let report_json = serde_json::to_string(&report)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("screening report: {e}")))?;
    let amount = application.project().amount_requested();
    Ok((
        Screened {
            input,
            amount_cents: amount.cents(),
            currency: amount.currency().code().to_owned(),
            route: if report.route.is_fast_track() {
                "fast_track"
            } else {
                "officer_queue"
            },
            risk_millionths: report.risk.percent.millionths(),
            report_json,
        },
        report,
    ))
}

/// The stored report as the caller may see it. Applicants do not learn other organisations'
/// references: a possible duplicate of someone else's application is shown without its key.
pub async fn report_for(
    state: &AppState,
    access: FundingAccess,
    record: &ApplicationRecord,
) -> Result<Option<serde_json::Value>, ApiError> {
    let Some(text) = &record.report_json else {
        return Ok(None);
    };
    let mut report: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("stored report: {e}")))?;
    if let FundingAccess::Applicant { org } = access {
        // Every key that is not one of the organisation's own is someone else's.
        let own: HashSet<String> = state
            .store()
            .application_keys_of(org)
            .await?
            .into_iter()
            .collect();
        let hide = |value: &mut serde_json::Value, field: &str| {
            if let Some(key) = value.get(field).and_then(|k| k.as_str()) {
                if !own.contains(key) {
                    value[field] = serde_json::Value::String("another application".into());
                }
            }
        };
        if let Some(hits) = report.get_mut("duplicates").and_then(|d| d.as_array_mut()) {
            for hit in hits {
                hide(hit, "other");
            }
        }
        if let Some(reasons) = report
            .pointer_mut("/route/reasons")
            .and_then(|r| r.as_array_mut())
        {
            for reason in reasons {
                hide(reason, "other");
            }
        }
    }
    Ok(Some(report))
}
