//! The screening report and change assessments as lines a person reads, in either language:
//! worded from the catalogs by the report's stable codes (rule kinds, finding codes, route
//! reason codes), with the numbers from the report's JSON filled in.

use serde_json::Value;
use time::Date;
use vocab::{Currency, Money};

use crate::pages::funding::Labels;

/// One eligibility rule's line.
pub(crate) struct RuleLine {
    pub rule: String,
    pub requirement: String,
    pub outcome_code: String,
    pub outcome: String,
    pub value: String,
}

/// One possible duplicate.
pub(crate) struct DuplicateLine {
    pub other: String,
    pub similarity: String,
    pub parts: String,
}

/// One feature that moved the risk score.
pub(crate) struct FeatureLine {
    pub feature: String,
    pub contribution: String,
    pub direction: String,
}

/// The whole report, line by line.
pub(crate) struct ReportView {
    pub example: bool,
    pub source_kind: String,
    pub rules: Vec<RuleLine>,
    pub findings: Vec<String>,
    pub duplicates: Vec<DuplicateLine>,
    pub risk: String,
    pub model_kind: String,
    pub synthetic_model: bool,
    pub features: Vec<FeatureLine>,
    pub fast_track: bool,
    pub route: String,
    pub reasons: Vec<String>,
}

/// One move of a change request: a cost category or a milestone, before and after.
pub(crate) struct MoveLine {
    pub what: String,
    pub before: String,
    pub after: String,
    pub change: String,
    pub within: bool,
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn str_of<'v>(value: &'v Value, key: &str) -> &'v str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn money_of(value: &Value) -> Option<Money> {
    let cents = value.get("cents")?.as_i64()?;
    let currency = Currency::parse(value.get("currency")?.as_str()?).ok()?;
    Some(Money::from_cents(cents, currency))
}

/// A date as the report serialises it: `"2025-07-01"`, or `[year, ordinal]`.
fn date_of(value: &Value) -> Option<Date> {
    match value {
        Value::String(text) => Date::parse(
            text,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .ok(),
        Value::Array(parts) if parts.len() == 2 => {
            let year = i32::try_from(parts[0].as_i64()?).ok()?;
            let ordinal = u16::try_from(parts[1].as_i64()?).ok()?;
            Date::from_ordinal_date(year, ordinal).ok()
        }
        _ => None,
    }
}

const DATE_KEYS: [&str; 9] = [
    "start",
    "end",
    "submitted",
    "opens",
    "closes",
    "before",
    "after",
    "due",
    "due_on",
];

/// One value of a finding, reason or rule, worded by what its key means.
pub(crate) fn value_text(labels: &Labels, key: &str, value: &Value) -> String {
    if let Some(money) = money_of(value) {
        return money.to_string();
    }
    if let (Some(government), Some(company)) = (value.get("government"), value.get("company")) {
        return format!("{}:{}", text_of(government), text_of(company));
    }
    if DATE_KEYS.contains(&key) {
        if let Some(date) = date_of(value) {
            return date.to_string();
        }
    }
    match value {
        Value::Array(items) => labels.list(items.iter().map(|item| {
            let one = match key {
                "fields" => "field",
                "documents" => "document",
                "sectors" => "sector",
                "schemes" => "scheme",
                other => other,
            };
            value_text(labels, one, item)
        })),
        Value::String(code) => match key {
            "field" => labels.field(code),
            "document" => labels.named("funding.document.", code),
            "category" => labels.named("funding.cost.", code),
            "sector" => labels.named("funding.sector.", code),
            "scheme" => labels.scheme_name(code),
            "check" => labels.named("funding.check.", code),
            _ => code.clone(),
        },
        Value::Bool(flag) => labels
            .t
            .s(if *flag {
                "funding.value.yes"
            } else {
                "funding.value.no"
            })
            .to_owned(),
        Value::Null => "—".to_owned(),
        other => other.to_string(),
    }
}

/// A sentence from the catalog family `prefix` for the object's code, its other fields as the
/// placeholders; a code the catalog does not know is shown with its raw fields.
pub(crate) fn sentence(labels: &Labels, prefix: &str, code_key: &str, object: &Value) -> String {
    let code = str_of(object, code_key);
    let key = format!("{prefix}{code}");
    let args: Vec<(String, String)> = object
        .as_object()
        .map(|fields| {
            fields
                .iter()
                .filter(|(name, _)| name.as_str() != code_key)
                .map(|(name, value)| (name.clone(), value_text(labels, name, value)))
                .collect()
        })
        .unwrap_or_default();
    if !labels.has(&key) {
        let raw: Vec<String> = args.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        return format!("{code} ({})", raw.join("; "));
    }
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    labels.t.f(&key, &args)
}

/// What a rule requires, e.g. "At most 100 employees".
pub(crate) fn requirement_text(labels: &Labels, requirement: &Value) -> String {
    sentence(labels, "funding.rule.", "kind", requirement)
}

/// The application's value a rule looked at.
fn rule_value_text(labels: &Labels, value: &Value) -> String {
    let inner = value.get("value").unwrap_or(&Value::Null);
    match str_of(value, "type") {
        "" => labels.t.s("funding.value.not_given").to_owned(),
        "flag" => value_text(labels, "flag", inner),
        "sector" => value_text(labels, "sector", inner),
        "schemes" => value_text(labels, "schemes", inner),
        "months" => labels
            .t
            .f("funding.value.months", &[("n", &text_of(inner))]),
        _ => value_text(labels, "value", inner),
    }
}

fn feature_text(labels: &Labels, feature: &str) -> String {
    if let Some(sector) = feature.strip_prefix("sector:") {
        let sector = labels.named("funding.sector.", sector);
        return labels.t.f("funding.feature_sector", &[("sector", &sector)]);
    }
    if let Some(words) = feature.strip_prefix("text:") {
        return labels.t.f("funding.feature_text", &[("words", words)]);
    }
    labels.named("funding.feature.", feature)
}

fn array<'v>(value: &'v Value, pointer: &str) -> &'v [Value] {
    value
        .pointer(pointer)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// The report, as [`crate::funding::report_for`] gives it, line by line.
pub(crate) fn report_view(labels: &Labels, report: &Value) -> ReportView {
    let t = labels.t;
    let rules = array(report, "/rules")
        .iter()
        .map(|rule| {
            let outcome = str_of(rule, "outcome").to_owned();
            RuleLine {
                rule: str_of(rule, "rule").to_owned(),
                requirement: requirement_text(labels, rule.get("requirement").unwrap_or(rule)),
                outcome: t.k("funding.outcome.", &outcome),
                outcome_code: outcome,
                value: rule_value_text(labels, rule.get("value").unwrap_or(&Value::Null)),
            }
        })
        .collect();
    let findings = array(report, "/findings")
        .iter()
        .map(|finding| sentence(labels, "funding.finding.", "code", finding))
        .collect();
    let duplicates = array(report, "/duplicates")
        .iter()
        .map(|hit| DuplicateLine {
            other: str_of(hit, "other").to_owned(),
            similarity: format!(
                "{:.1}%",
                hit.get("similarity").and_then(Value::as_f64).unwrap_or(0.0) * 100.0
            ),
            parts: labels.list(
                array(hit, "/parts")
                    .iter()
                    .map(|part| t.k("funding.part.", part.as_str().unwrap_or_default())),
            ),
        })
        .collect();
    let features = array(report, "/risk/top_features")
        .iter()
        .map(|feature| {
            let contribution = feature
                .get("contribution")
                .and_then(Value::as_f64)
                .unwrap_or(0.0);
            FeatureLine {
                feature: feature_text(labels, str_of(feature, "feature")),
                contribution: format!("{contribution:+.2}"),
                direction: t
                    .s(if contribution > 0.0 {
                        "funding.raises"
                    } else {
                        "funding.lowers"
                    })
                    .to_owned(),
            }
        })
        .collect();
    let model_kind = report
        .pointer("/risk/model_source")
        .and_then(Value::as_str)
        .and_then(|source| vocab::Provenance::parse(source).ok())
        .map(|source| source.kind())
        .unwrap_or_default()
        .to_owned();
    let route = report
        .pointer("/route/route")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let source_kind = vocab::Provenance::parse(str_of(report, "scheme_source"))
        .map(|p| p.kind())
        .unwrap_or("indicative")
        .to_owned();
    ReportView {
        example: report
            .get("scheme_is_example")
            .and_then(Value::as_bool)
            .unwrap_or(true),
        source_kind,
        rules,
        findings,
        duplicates,
        risk: format!(
            "{}%",
            report
                .pointer("/risk/percent")
                .map(text_of)
                .unwrap_or_default()
        ),
        synthetic_model: model_kind == "synthetic",
        model_kind,
        features,
        fast_track: route == "fast_track",
        route: t.k("funding.route.", route),
        reasons: array(report, "/route/reasons")
            .iter()
            .map(|reason| sentence(labels, "funding.reason.", "code", reason))
            .collect(),
    }
}

/// The moves of a change assessment (`screening::ChangeAssessment` as JSON).
pub(crate) fn moves(labels: &Labels, assessment: &Value) -> Vec<MoveLine> {
    let t = labels.t;
    array(assessment, "/moves")
        .iter()
        .map(|one| {
            let within = one.get("within").and_then(Value::as_bool).unwrap_or(false);
            let before = value_text(labels, "before", one.get("before").unwrap_or(&Value::Null));
            let after = value_text(labels, "after", one.get("after").unwrap_or(&Value::Null));
            match str_of(one, "code") {
                "milestone" => MoveLine {
                    what: t.f(
                        "funding.move_milestone",
                        &[
                            (
                                "number",
                                &text_of(one.get("number").unwrap_or(&Value::Null)),
                            ),
                            ("title", str_of(one, "title")),
                        ],
                    ),
                    before,
                    after,
                    change: t.f(
                        "funding.days",
                        &[(
                            "n",
                            &one.get("days")
                                .and_then(Value::as_i64)
                                .map(|days| format!("{days:+}"))
                                .unwrap_or_default(),
                        )],
                    ),
                    within,
                },
                _ => MoveLine {
                    what: labels.named("funding.cost.", str_of(one, "category")),
                    before,
                    after,
                    change: match one.get("change").and_then(Value::as_str) {
                        Some(percent) if percent.starts_with('-') => format!("{percent}%"),
                        Some(percent) => format!("+{percent}%"),
                        None => t.s("funding.new_category").to_owned(),
                    },
                    within,
                },
            }
        })
        .collect()
}
