//! `madeby stats survey` and `madeby stats sample-sizes`: reads the survey specification (TOML)
//! and the responses (CSV), calls the `stats` survey engine and prints its tabulations and
//! cross-tabs as a table, JSON or CSV. The counts, shares and intervals are the engine's; this
//! module only reads files, reports where they are wrong and lays out the output.

use std::collections::HashMap;
use std::fs::File;
use std::ops::Range;
use std::path::Path;

use anyhow::{bail, Context};
use serde::Deserialize;
use serde_json::{json, Value};
use stats::{
    AnswerRequirement, ChoiceKind, CrossTab, CrossTabRow, QuestionSpec, Responses, StatsError,
    SurveySpec, Tabulation, WilsonInterval,
};
use toml::Spanned;

use crate::cli::{SampleSizesRequest, StatsFormat, SurveyRequest};
use crate::stats_cmd::{aligned, emit, json_text, write_csv};

/// The format of the specification file, shown by `madeby stats survey --help`.
pub const SPEC_HELP: &str = "\
The specification (--spec) is a TOML file with one [[question]] table per question:

  [[question]]
  column = \"sea_reasons\"    # the column of the responses CSV
  kind = \"multiple\"         # \"single\" (one option) or \"multiple\" (options separated by ;)
  options = [\"geopolitical diversification\", \"overseas markets\", \"production costs\"]
  required = true           # false: a blank answer leaves the respondent out of the base

`options` is optional: without it any answer is accepted and options are listed
alphabetically; with it an answer outside the list is an error naming the line and column,
and options are listed in the order given. `required` defaults to true. Other keys are
refused.

Every share is count / base, where the base is the respondents who answered the question;
the interval is the 95% Wilson score interval. An example is in
crates/stats/data/survey_example/.";

/// `stats survey`: tabulate every question (or one), with cross-tabs when asked.
pub fn survey(request: &SurveyRequest) -> anyhow::Result<()> {
    let spec = read_spec(&request.spec)?;
    let questions: Vec<&str> = match &request.question {
        Some(question) => {
            if !spec.questions.iter().any(|q| &q.column == question) {
                let known: Vec<&str> = spec.questions.iter().map(|q| q.column.as_str()).collect();
                bail!(
                    "--question: {} has no question {question:?}; its questions are {}",
                    request.spec.display(),
                    known.join(", ")
                );
            }
            vec![question.as_str()]
        }
        None => spec.questions.iter().map(|q| q.column.as_str()).collect(),
    };
    let responses = read_responses(&request.file, &spec)?;
    let mut results = Vec::new();
    for question in questions {
        let tabulation = responses.tabulate(question)?;
        let cross_tab = match &request.by {
            Some(segment) => Some(
                responses
                    .cross_tab(question, segment)
                    .with_context(|| format!("--by: {}", request.file.display()))?,
            ),
            None => None,
        };
        results.push(QuestionResult {
            tabulation,
            cross_tab,
        });
    }
    let report = SurveyReport {
        file: &request.file,
        spec: &request.spec,
        respondents: responses.len(),
        results,
    };
    match request.format {
        StatsFormat::Table => emit(&survey_table(&report)),
        StatsFormat::Json => emit(&json_text(&survey_json(&report))?),
        StatsFormat::Csv => write_csv(&survey_csv(&report)),
    }
}

/// `stats sample-sizes`: every sample size up to `--max` consistent with all the percentages,
/// one per line.
pub fn sample_sizes(request: &SampleSizesRequest) -> anyhow::Result<()> {
    let percentages: Vec<(&str, u8)> = request
        .percentages
        .iter()
        .map(|(text, decimals)| (text.as_str(), *decimals))
        .collect();
    let sizes = stats::sample_sizes_consistent(&percentages, 1..=request.max)?;
    if sizes.is_empty() {
        eprintln!(
            "No sample size from 1 to {} gives all of these percentages.",
            request.max
        );
    }
    let mut out = String::new();
    for size in sizes {
        out.push_str(&format!("{size}\n"));
    }
    emit(&out)
}

// ---- Reading ---------------------------------------------------------------------------

/// The specification as written; checked and turned into a [`SurveySpec`] by [`read_spec`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    #[serde(default)]
    question: Vec<RawQuestion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    column: Spanned<String>,
    kind: RawKind,
    options: Option<Spanned<Vec<String>>>,
    #[serde(default = "required_by_default")]
    required: bool,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawKind {
    Single,
    Multiple,
}

fn required_by_default() -> bool {
    true
}

/// Reads and checks the specification; errors name the file and line.
fn read_spec(path: &Path) -> anyhow::Result<SurveySpec> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("Failed to read {}", path.display()))?;
    let at = |span: Range<usize>, reason: String| {
        anyhow::anyhow!(
            "{}: line {}: {reason}",
            path.display(),
            line_of(&text, span)
        )
    };
    let raw: RawSpec = match toml::from_str(&text) {
        Ok(raw) => raw,
        Err(err) => {
            let reason = err.message().trim_end().trim_end_matches('.').to_owned();
            return Err(at(err.span().unwrap_or(0..0), reason));
        }
    };
    if raw.question.is_empty() {
        return Err(at(
            0..0,
            "no [[question]] table; give one per question (see madeby stats survey --help)"
                .to_owned(),
        ));
    }
    let mut first_line_of: HashMap<String, usize> = HashMap::new();
    let mut questions = Vec::new();
    for raw_question in raw.question {
        let span = raw_question.column.span();
        let column = raw_question.column.into_inner();
        if column.trim().is_empty() {
            return Err(at(span, "`column` must not be empty".to_owned()));
        }
        if let Some(first) = first_line_of.get(&column) {
            return Err(at(
                span,
                format!("question `{column}` is given twice (first at line {first})"),
            ));
        }
        first_line_of.insert(column.clone(), line_of(&text, span.clone()));
        let options = match raw_question.options {
            Some(options) => {
                let span = options.span();
                let options = options.into_inner();
                if let Err(reason) = check_options(&options) {
                    return Err(at(span, format!("question `{column}`: `options` {reason}")));
                }
                Some(options)
            }
            None => None,
        };
        questions.push(QuestionSpec {
            column,
            kind: match raw_question.kind {
                RawKind::Single => ChoiceKind::Single,
                RawKind::Multiple => ChoiceKind::Multiple,
            },
            options,
            requirement: if raw_question.required {
                AnswerRequirement::Required
            } else {
                AnswerRequirement::Optional
            },
        });
    }
    Ok(SurveySpec { questions })
}

/// Options must be answerable: not empty, no `;` (it separates options), each once.
fn check_options(options: &[String]) -> Result<(), String> {
    if options.is_empty() {
        return Err("is empty; leave it out to accept any answer".to_owned());
    }
    for (idx, option) in options.iter().enumerate() {
        if option.trim().is_empty() {
            return Err("holds an empty option".to_owned());
        }
        if option.trim() != option {
            return Err(format!("option {option:?} has spaces at either end"));
        }
        if option.contains(';') {
            return Err(format!(
                "option {option:?} holds `;`, which separates the options of an answer"
            ));
        }
        if options[..idx].contains(option) {
            return Err(format!("option {option:?} is given twice"));
        }
    }
    Ok(())
}

/// The 1-based line a byte offset of `text` falls on.
fn line_of(text: &str, span: Range<usize>) -> usize {
    let end = span.start.min(text.len());
    1 + text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
}

/// Reads the responses; errors about a row name the file as given, the line and the column.
fn read_responses(path: &Path, spec: &SurveySpec) -> anyhow::Result<Responses> {
    let file = File::open(path).with_context(|| format!("Failed to open {}", path.display()))?;
    match Responses::from_csv(file, spec) {
        Ok(responses) => Ok(responses),
        Err(StatsError::Field {
            line,
            field,
            reason,
            ..
        }) => bail!(
            "{}: line {line}: column `{field}`: {reason}",
            path.display()
        ),
        Err(StatsError::Malformed { line, reason, .. }) => {
            bail!("{}: line {line}: {reason}", path.display())
        }
        Err(err) => Err(err).with_context(|| path.display().to_string()),
    }
}

// ---- Output ----------------------------------------------------------------------------

struct SurveyReport<'a> {
    file: &'a Path,
    spec: &'a Path,
    respondents: usize,
    results: Vec<QuestionResult>,
}

struct QuestionResult {
    tabulation: Tabulation,
    cross_tab: Option<CrossTab>,
}

fn kind_code(kind: ChoiceKind) -> &'static str {
    match kind {
        ChoiceKind::Single => "single",
        ChoiceKind::Multiple => "multiple",
    }
}

/// A share as a percentage with one decimal; `None` when nobody answered.
fn pct(share: Option<stats::Share>) -> Option<String> {
    share.map(|share| share.percent_text(1))
}

/// A fraction in [0, 1] as a percentage with one decimal.
fn bound_pct(fraction: f64) -> String {
    format!("{:.1}", fraction * 100.0)
}

fn wilson_text(wilson: Option<WilsonInterval>) -> String {
    match wilson {
        Some(w) => format!("{} to {}", bound_pct(w.lower), bound_pct(w.upper)),
        None => "n/a".to_owned(),
    }
}

fn segment_label(segment: &str) -> String {
    if segment.is_empty() {
        "(blank)".to_owned()
    } else {
        segment.to_owned()
    }
}

fn survey_table(report: &SurveyReport) -> String {
    let mut out = format!(
        "{}: {} respondents; questions from {}\n",
        report.file.display(),
        report.respondents,
        report.spec.display()
    );
    for result in &report.results {
        let tab = &result.tabulation;
        let note = match tab.kind {
            ChoiceKind::Single => "single choice",
            ChoiceKind::Multiple => "multiple choice, so the shares add up to more than 100%",
        };
        out.push_str(&format!(
            "\n{} ({note}): {} of {} respondents answered\n",
            tab.question, tab.answered, tab.respondents
        ));
        let mut cells = vec![["Option", "Count", "%", "95% Wilson interval", "Base"]
            .map(str::to_owned)
            .to_vec()];
        for option in &tab.options {
            cells.push(vec![
                option.option.clone(),
                option.count.to_string(),
                pct(option.share).unwrap_or_else(|| "n/a".to_owned()),
                wilson_text(option.wilson_95),
                tab.answered.to_string(),
            ]);
        }
        out.push_str(&aligned(&cells, &[false, true, true, true, true]));
        if let Some(cross) = &result.cross_tab {
            out.push_str(&format!(
                "\n{} by {}: count (row %); the base is the segment's respondents who answered\n",
                cross.question, cross.segment_column
            ));
            let mut header = vec![cross.segment_column.clone(), "Base".to_owned()];
            header.extend(cross.options.iter().cloned());
            let mut cells = vec![header];
            let row_cells = |label: String, row: &CrossTabRow| {
                let mut line = vec![label, row.answered.to_string()];
                for (count, share) in row.counts.iter().zip(&row.row_shares) {
                    line.push(match pct(*share) {
                        Some(p) => format!("{count} ({p}%)"),
                        None => format!("{count} (n/a)"),
                    });
                }
                line
            };
            for row in &cross.rows {
                cells.push(row_cells(segment_label(&row.segment), row));
            }
            cells.push(row_cells("Total".to_owned(), &cross.total));
            let mut right = vec![false];
            right.resize(cells[0].len(), true);
            out.push_str(&aligned(&cells, &right));
        }
    }
    out
}

fn wilson_json(wilson: Option<WilsonInterval>) -> Value {
    match wilson {
        Some(w) => json!({
            "lower": w.lower,
            "upper": w.upper,
            "lower_pct": bound_pct(w.lower),
            "upper_pct": bound_pct(w.upper),
        }),
        None => Value::Null,
    }
}

fn cross_row_json(row: &CrossTabRow) -> Value {
    json!({
        "segment": row.segment,
        "base": row.answered,
        "counts": row.counts,
        "row_pct": row.row_shares.iter().map(|s| pct(*s)).collect::<Vec<_>>(),
    })
}

fn survey_json(report: &SurveyReport) -> Value {
    let questions: Vec<Value> = report
        .results
        .iter()
        .map(|result| {
            let tab = &result.tabulation;
            let options: Vec<Value> = tab
                .options
                .iter()
                .map(|option| {
                    json!({
                        "option": option.option,
                        "count": option.count,
                        "share_pct": pct(option.share),
                        "wilson_95": wilson_json(option.wilson_95),
                    })
                })
                .collect();
            let cross_tab = result.cross_tab.as_ref().map(|cross| {
                json!({
                    "segment_column": cross.segment_column,
                    "options": cross.options,
                    "rows": cross.rows.iter().map(cross_row_json).collect::<Vec<_>>(),
                    "total": cross_row_json(&cross.total),
                })
            });
            json!({
                "question": tab.question,
                "kind": kind_code(tab.kind),
                "respondents": tab.respondents,
                "base": tab.answered,
                "options": options,
                "cross_tab": cross_tab,
            })
        })
        .collect();
    json!({
        "file": report.file.display().to_string(),
        "spec": report.spec.display().to_string(),
        "respondents": report.respondents,
        "questions": questions,
    })
}

/// One row per question, segment and option; the whole sample has an empty `segment_column`.
fn survey_csv(report: &SurveyReport) -> Vec<Vec<String>> {
    let mut records = vec![[
        "question",
        "kind",
        "segment_column",
        "segment",
        "option",
        "count",
        "base",
        "share_pct",
        "wilson_lower_pct",
        "wilson_upper_pct",
    ]
    .map(str::to_owned)
    .to_vec()];
    let record =
        |tab: &Tabulation, segment: Option<(&str, &str)>, option: &str, count: u32, base: u32| {
            let wilson = stats::wilson_interval_95(count, base);
            let share = stats::Share::new(i64::from(count), i64::from(base)).ok();
            let (segment_column, segment) = segment.unwrap_or(("", ""));
            vec![
                tab.question.clone(),
                kind_code(tab.kind).to_owned(),
                segment_column.to_owned(),
                segment.to_owned(),
                option.to_owned(),
                count.to_string(),
                base.to_string(),
                pct(share).unwrap_or_default(),
                wilson.map(|w| bound_pct(w.lower)).unwrap_or_default(),
                wilson.map(|w| bound_pct(w.upper)).unwrap_or_default(),
            ]
        };
    for result in &report.results {
        let tab = &result.tabulation;
        for option in &tab.options {
            records.push(record(
                tab,
                None,
                &option.option,
                option.count,
                tab.answered,
            ));
        }
        if let Some(cross) = &result.cross_tab {
            for row in &cross.rows {
                for (option, count) in cross.options.iter().zip(&row.counts) {
                    records.push(record(
                        tab,
                        Some((&cross.segment_column, &row.segment)),
                        option,
                        *count,
                        row.answered,
                    ));
                }
            }
        }
    }
    records
}
