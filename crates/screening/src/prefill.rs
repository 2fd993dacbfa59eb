//! What the platform already knows about an applicant, put into a new application so the form
//! asks only for the rest: the organisation's directory profile, then its earlier applications
//! (the newest first), which know the registration, size and track record it declared.

use serde::Serialize;

use crate::application::ApplicationInput;

/// What an enterprise's directory profile tells about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownApplicant {
    /// The organisation's name.
    pub organisation_name: String,
    /// Its sector code, if the profile names one.
    pub sector: String,
}

/// A new application with what the platform knew filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prefill {
    /// The application, with the known fields filled and the rest empty.
    pub input: ApplicationInput,
    /// The fields filled in and where each came from, in form order.
    pub filled: Vec<FilledField>,
}

/// One field the platform filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilledField {
    /// The [`ApplicationInput`] field, e.g. `"employees"`.
    pub field: &'static str,
    /// Where the value came from (flattened: `"source"`, and `"reference"` for an earlier
    /// application).
    #[serde(flatten)]
    pub from: FilledFrom,
}

/// Where a filled-in value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum FilledFrom {
    /// The organisation's directory profile.
    Profile,
    /// An earlier application of the organisation.
    EarlierApplication {
        /// Its reference.
        reference: String,
    },
}

/// Fills a new application from the profile (first) and earlier applications, newest first;
/// a field takes the first non-empty value found. Project fields are never copied: each
/// application is about its own project.
pub fn prefill(profile: Option<&KnownApplicant>, earlier: &[ApplicationInput]) -> Prefill {
    let mut input = ApplicationInput::default();
    let mut filled = Vec::new();
    if let Some(profile) = profile {
        for (field, value) in [
            ("organisation_name", &profile.organisation_name),
            ("sector", &profile.sector),
        ] {
            if let Some(slot) = input
                .text_field_mut(field)
                .filter(|_| !value.trim().is_empty())
            {
                *slot = value.trim().to_owned();
                filled.push(FilledField {
                    field,
                    from: FilledFrom::Profile,
                });
            }
        }
    }
    for field in ApplicationInput::APPLICANT_FIELDS {
        if input.text_field(field).is_some_and(|v| !v.is_empty()) {
            continue;
        }
        let found = earlier.iter().find_map(|app| {
            let value = app.text_field(field).unwrap_or_default().trim();
            (!value.is_empty()).then(|| (value.to_owned(), app.reference.clone()))
        });
        if let (Some((value, reference)), Some(slot)) = (found, input.text_field_mut(field)) {
            *slot = value;
            filled.push(FilledField {
                field,
                from: FilledFrom::EarlierApplication { reference },
            });
        }
    }
    filled.sort_by_key(|f| {
        ApplicationInput::APPLICANT_FIELDS
            .iter()
            .position(|name| *name == f.field)
    });
    Prefill { input, filled }
}
