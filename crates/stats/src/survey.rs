//! Survey tabulation: responses read from CSV against a question specification, percentages
//! with 95% Wilson score intervals, and cross-tabs by a segment column.
//!
//! `responses.csv` has a row per respondent and a column per question (plus any segment
//! columns, such as company size).
//! A single-choice column holds one option; a multiple-choice column holds options separated
//! by `;`.
//! Percentages are exact ([`Share`]); interval bounds are floats, since the Wilson interval
//! involves a square root.

use std::collections::BTreeSet;
use std::io::Read;

use serde::Serialize;

use crate::csv_rows::CsvTable;
use crate::exact::Share;
use crate::StatsError;

/// The file role of survey responses, as named in errors.
pub const RESPONSES_FILE: &str = "responses.csv";

/// The z value of a two-sided 95% interval.
const Z_95: f64 = 1.959_963_984_540_054;

/// How many options a respondent may choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceKind {
    /// Exactly one option (or none, if the answer is optional).
    Single,
    /// Any number of options, separated by `;`.
    Multiple,
}

/// Whether a respondent may leave a question blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerRequirement {
    /// A blank answer is an error naming the line and column.
    Required,
    /// A blank answer leaves the respondent out of the question's base.
    Optional,
}

/// One question: its column, its kind, and optionally the options allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionSpec {
    /// The column of `responses.csv`.
    pub column: String,
    /// Single or multiple choice.
    pub kind: ChoiceKind,
    /// The options allowed, in the order to tabulate them; `None` accepts any text.
    pub options: Option<Vec<String>>,
    /// Whether a blank answer is an error.
    pub requirement: AnswerRequirement,
}

/// The questions of a survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SurveySpec {
    /// The questions, each a column of `responses.csv`.
    pub questions: Vec<QuestionSpec>,
}

/// Survey responses, checked against a [`SurveySpec`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Responses {
    columns: Vec<String>,
    questions: Vec<QuestionSpec>,
    respondents: Vec<Respondent>,
}

/// A 95% Wilson score interval for a proportion, as fractions in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WilsonInterval {
    /// The lower bound.
    pub lower: f64,
    /// The upper bound.
    pub upper: f64,
}

/// The answers to one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tabulation {
    /// The question's column.
    pub question: String,
    /// Single or multiple choice (the shares of a multiple-choice question add up to more than
    /// 100%).
    pub kind: ChoiceKind,
    /// Every respondent.
    pub respondents: u32,
    /// The respondents who answered: the base of every share.
    pub answered: u32,
    /// Each option, in the specification's order or else alphabetically.
    pub options: Vec<OptionCount>,
}

/// How many respondents chose one option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionCount {
    /// The option.
    pub option: String,
    /// How many chose it.
    pub count: u32,
    /// `count / answered`; `None` when nobody answered.
    pub share: Option<Share>,
    /// The 95% Wilson score interval of the share; `None` when nobody answered.
    pub wilson_95: Option<WilsonInterval>,
}

/// A question's answers by segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossTab {
    /// The question's column.
    pub question: String,
    /// The segment column.
    pub segment_column: String,
    /// The options, the columns of the table.
    pub options: Vec<String>,
    /// One row per segment value, alphabetically (a blank segment is `""`).
    pub rows: Vec<CrossTabRow>,
    /// All respondents together.
    pub total: CrossTabRow,
}

/// One segment of a cross-tab.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossTabRow {
    /// The segment value.
    pub segment: String,
    /// Respondents in the segment who answered the question: the base of the row.
    pub answered: u32,
    /// How many chose each option, in [`CrossTab::options`] order.
    pub counts: Vec<u32>,
    /// Row percentages: each count over `answered`; `None` when nobody answered.
    pub row_shares: Vec<Option<Share>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Respondent {
    cells: Vec<String>,
    /// The chosen options per question, in the order of the specification's questions.
    answers: Vec<Vec<String>>,
}

impl Responses {
    /// Reads `responses.csv` and checks every answer against the specification.
    ///
    /// Errors name the line and column: a question column missing from the header, a blank
    /// required answer, an option not in the question's list, several options in a
    /// single-choice column, an option given twice in one answer.
    pub fn from_csv(reader: impl Read, spec: &SurveySpec) -> Result<Responses, StatsError> {
        let required: Vec<&str> = spec.questions.iter().map(|q| q.column.as_str()).collect();
        let table = CsvTable::read(RESPONSES_FILE, reader, &required)?;
        let columns: Vec<String> = table.headers().map(str::to_owned).collect();
        let mut respondents = Vec::new();
        for row in table.rows() {
            let mut answers = Vec::new();
            for question in &spec.questions {
                let field = question.column.as_str();
                let text = row.text(field);
                if text.is_empty() {
                    if question.requirement == AnswerRequirement::Required {
                        return Err(row.error(field, "is empty but required"));
                    }
                    answers.push(Vec::new());
                    continue;
                }
                let chosen: Vec<String> = match question.kind {
                    ChoiceKind::Single if text.contains(';') => {
                        return Err(row.error(
                            field,
                            format!(
                                "{text:?} holds several options but the question is single choice"
                            ),
                        ))
                    }
                    ChoiceKind::Single => vec![text.to_owned()],
                    ChoiceKind::Multiple => text
                        .split(';')
                        .map(str::trim)
                        .filter(|option| !option.is_empty())
                        .map(str::to_owned)
                        .collect(),
                };
                for (idx, option) in chosen.iter().enumerate() {
                    if chosen[..idx].contains(option) {
                        return Err(row.error(field, format!("option {option:?} is given twice")));
                    }
                    if let Some(options) = &question.options {
                        if !options.contains(option) {
                            return Err(row.error(
                                field,
                                format!(
                                    "unknown option {option:?}: expected one of {}",
                                    options.join(", ")
                                ),
                            ));
                        }
                    }
                }
                if chosen.is_empty() && question.requirement == AnswerRequirement::Required {
                    return Err(row.error(field, "is empty but required"));
                }
                answers.push(chosen);
            }
            let cells = columns.iter().map(|c| row.text(c).to_owned()).collect();
            respondents.push(Respondent { cells, answers });
        }
        Ok(Responses {
            columns,
            questions: spec.questions.clone(),
            respondents,
        })
    }

    /// How many respondents there are.
    pub fn len(&self) -> usize {
        self.respondents.len()
    }

    /// Whether there are no respondents.
    pub fn is_empty(&self) -> bool {
        self.respondents.is_empty()
    }

    /// Counts the answers to one question, with shares and Wilson intervals.
    pub fn tabulate(&self, question: &str) -> Result<Tabulation, StatsError> {
        let question_idx = self.question_idx(question)?;
        let spec = &self.questions[question_idx];
        let options = self.options_of(question_idx);
        let answered = self.count(|r| !r.answers[question_idx].is_empty());
        let options = options
            .into_iter()
            .map(|option| {
                let count = self.count(|r| r.answers[question_idx].contains(&option));
                OptionCount {
                    share: Share::new(i64::from(count), i64::from(answered)).ok(),
                    wilson_95: wilson_interval_95(count, answered),
                    option,
                    count,
                }
            })
            .collect();
        Ok(Tabulation {
            question: spec.column.clone(),
            kind: spec.kind,
            respondents: self.count(|_| true),
            answered,
            options,
        })
    }

    /// Counts the answers to one question for each value of a segment column (any column of
    /// the responses), with row percentages.
    pub fn cross_tab(&self, question: &str, segment_column: &str) -> Result<CrossTab, StatsError> {
        let question_idx = self.question_idx(question)?;
        let Some(segment_idx) = self.columns.iter().position(|c| c == segment_column) else {
            return Err(StatsError::Unknown {
                what: "segment column",
                name: segment_column.to_owned(),
            });
        };
        let options = self.options_of(question_idx);
        let segments: BTreeSet<&str> = self
            .respondents
            .iter()
            .map(|r| r.cells[segment_idx].as_str())
            .collect();
        let row_of = |segment: Option<&str>| {
            let members: Vec<&Respondent> = self
                .respondents
                .iter()
                .filter(|r| segment.is_none_or(|s| r.cells[segment_idx] == s))
                .filter(|r| !r.answers[question_idx].is_empty())
                .collect();
            let answered = members.len() as u32;
            let counts: Vec<u32> = options
                .iter()
                .map(|option| {
                    members
                        .iter()
                        .filter(|r| r.answers[question_idx].contains(option))
                        .count() as u32
                })
                .collect();
            let row_shares = counts
                .iter()
                .map(|count| Share::new(i64::from(*count), i64::from(answered)).ok())
                .collect();
            CrossTabRow {
                segment: segment.unwrap_or("").to_owned(),
                answered,
                counts,
                row_shares,
            }
        };
        let rows = segments.iter().map(|s| row_of(Some(s))).collect();
        let total = row_of(None);
        Ok(CrossTab {
            question: question.to_owned(),
            segment_column: segment_column.to_owned(),
            options,
            rows,
            total,
        })
    }

    fn question_idx(&self, question: &str) -> Result<usize, StatsError> {
        match self.questions.iter().position(|q| q.column == question) {
            Some(idx) => Ok(idx),
            None => Err(StatsError::Unknown {
                what: "question",
                name: question.to_owned(),
            }),
        }
    }

    /// The specification's options, or else every option chosen, alphabetically.
    fn options_of(&self, question_idx: usize) -> Vec<String> {
        if let Some(options) = &self.questions[question_idx].options {
            return options.clone();
        }
        let chosen: BTreeSet<&String> = self
            .respondents
            .iter()
            .flat_map(|r| &r.answers[question_idx])
            .collect();
        chosen.into_iter().cloned().collect()
    }

    fn count(&self, keep: impl Fn(&Respondent) -> bool) -> u32 {
        self.respondents.iter().filter(|r| keep(r)).count() as u32
    }
}

/// The 95% Wilson score interval for `count` successes out of `base`; `None` when `base` is 0
/// or `count` exceeds it.
///
/// With `p = count / base`, `n = base` and `z = 1.959964`:
/// `(p + z^2/2n ± z sqrt(p(1 - p)/n + z^2/4n^2)) / (1 + z^2/n)`.
/// Unlike the normal approximation it stays within [0, 1] and behaves at small counts.
/// The bounds are floats (the formula has a square root); they are for display and charts.
pub fn wilson_interval_95(count: u32, base: u32) -> Option<WilsonInterval> {
    if base == 0 || count > base {
        return None;
    }
    let n = f64::from(base);
    let p = f64::from(count) / n;
    let z2 = Z_95 * Z_95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half_width = Z_95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    Some(WilsonInterval {
        lower: (centre - half_width).max(0.0),
        upper: (centre + half_width).min(1.0),
    })
}
