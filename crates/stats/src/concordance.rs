//! The concordance: which part of each statistical line counts towards which component of
//! industry or producer services, read from `concordance.csv` and checked against a
//! [`ValueAddedTable`].
//!
//! Columns: `line,component,subgroup,weight,note`, plus an optional `role` column.
//!
//! - `component` is an [`IndustryComponent`] code or `outside` (the part of the line that
//!   counts nowhere; writing it down makes the allocation of the whole line explicit).
//! - `subgroup` is empty or a [`NewIndustriesSubgroup`] code, only under `new_industries`.
//! - `weight` is an exact decimal in [0, 1] with at most 6 decimals ([`Weight`]).
//! - `role` is `counted` (the default when the column is absent or empty) or `memo`.
//!
//! # Counted rows and memo rows
//!
//! A counted row adds `value x weight` to its target.
//! The rules that keep anything from being counted twice:
//!
//! 1. The weights of one statistical line (counted and `outside` rows together) add up to at
//!    most 1, so no line contributes more than its value across industry and producer services.
//! 2. A line is mapped to one target at most once.
//! 3. A line and one of its ancestors (its parent, the parent's parent, ...) are never both
//!    counted: the child's value is already part of the ancestor's.
//!
//! A memo row reports an "of which" figure without adding anything to a total.
//! The study, for instance, gives New Industries as a whole (HK$40.2bn) and separately says
//! that sewerage, waste management and remediation, which is part of it, was HK$1.4bn.
//! The parent line is counted in New Industries; the child line is a memo row for the
//! `sewerage_waste` sub-group.
//! A memo row's line must not be counted itself and must have an ancestor counted in the same
//! component, so a memo item is always a part of something already counted.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;

use serde::Serialize;
use vocab::{IndustryComponent, NewIndustriesSubgroup};

use crate::csv_rows::{CsvTable, Row};
use crate::exact::{format_scaled, Weight, WEIGHT_UNIT};
use crate::table::{LineCode, ValueAddedTable};
use crate::StatsError;

/// The file role of the concordance, as named in errors.
pub const CONCORDANCE_FILE: &str = "concordance.csv";

/// Where a part of a statistical line goes.
///
/// Serialized as `{"kind": "component", "component": "new_industries", "subgroup": null}` or
/// `{"kind": "outside"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// A component of industry, or producer services; a sub-group only under New Industries.
    Component {
        /// The component.
        component: IndustryComponent,
        /// The New Industries sub-group, if the line belongs to one.
        subgroup: Option<NewIndustriesSubgroup>,
    },
    /// Counted nowhere.
    Outside,
}

/// Whether a mapping adds to its target or only reports a part of something already counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MappingRole {
    /// Adds `value x weight` to the target.
    Counted,
    /// Reported as an "of which" figure; adds nothing (see the module docs).
    Memo,
}

/// One row of the concordance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mapping {
    csv_line: u64,
    line: LineCode,
    target: Target,
    weight: Weight,
    role: MappingRole,
    note: Option<String>,
}

/// A checked concordance: every rule in the module docs holds against the table it was read
/// with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concordance {
    mappings: Vec<Mapping>,
}

impl Target {
    /// The component, or `None` for [`Target::Outside`].
    pub fn component(self) -> Option<IndustryComponent> {
        match self {
            Target::Component { component, .. } => Some(component),
            Target::Outside => None,
        }
    }

    /// The New Industries sub-group, if any.
    pub fn subgroup(self) -> Option<NewIndustriesSubgroup> {
        match self {
            Target::Component { subgroup, .. } => subgroup,
            Target::Outside => None,
        }
    }
}

impl fmt::Display for Target {
    /// Writes `manufacturing`, `new_industries/computing_data` or `outside`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Component {
                component,
                subgroup: None,
            } => f.write_str(component.code()),
            Target::Component {
                component,
                subgroup: Some(subgroup),
            } => write!(f, "{}/{}", component.code(), subgroup.code()),
            Target::Outside => f.write_str("outside"),
        }
    }
}

impl Mapping {
    /// The 1-based line of `concordance.csv` this row was read from.
    pub fn csv_line(&self) -> u64 {
        self.csv_line
    }

    /// The statistical line.
    pub fn line(&self) -> &LineCode {
        &self.line
    }

    /// Where this part of the line goes.
    pub fn target(&self) -> Target {
        self.target
    }

    /// How much of the line goes there.
    pub fn weight(&self) -> Weight {
        self.weight
    }

    /// Whether the row adds to its target or is a memo item.
    pub fn role(&self) -> MappingRole {
        self.role
    }

    /// The `note` column, if given.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// Whether the row adds to a component (a counted row not mapped `outside`).
    pub fn is_counted(&self) -> bool {
        self.role == MappingRole::Counted && self.target != Target::Outside
    }
}

impl Concordance {
    /// Reads `concordance.csv` and checks it against the table's lines.
    ///
    /// Errors name the CSV line and the statistical line; the first broken rule, in file
    /// order, is returned.
    pub fn from_csv(reader: impl Read, table: &ValueAddedTable) -> Result<Concordance, StatsError> {
        let csv = CsvTable::read(
            CONCORDANCE_FILE,
            reader,
            &["line", "component", "subgroup", "weight"],
        )?;
        let mut mappings: Vec<Mapping> = Vec::new();
        let mut weight_sums: HashMap<LineCode, (i64, Vec<u64>)> = HashMap::new();
        for row in csv.rows() {
            let mapping = parse_mapping(&row, table)?;
            if let Some(first) = mappings.iter().find(|m| {
                m.line == mapping.line && m.target == mapping.target && m.role == mapping.role
            }) {
                return Err(row.rule(
                    mapping.line.as_ref(),
                    format!(
                        "is mapped to `{}` twice (first at line {})",
                        mapping.target, first.csv_line
                    ),
                ));
            }
            if mapping.role == MappingRole::Counted {
                let (sum, rows) = weight_sums.entry(mapping.line.clone()).or_default();
                *sum += i64::from(mapping.weight.millionths());
                rows.push(row.line);
                if *sum > WEIGHT_UNIT {
                    let total = format_scaled(i128::from(*sum), 6)
                        .trim_end_matches('0')
                        .to_owned();
                    let rows: Vec<String> = rows.iter().map(u64::to_string).collect();
                    return Err(row.rule(
                        mapping.line.as_ref(),
                        format!(
                            "weights add up to {total}, more than 1, so part of the line would be counted twice (lines {})",
                            rows.join(", ")
                        ),
                    ));
                }
            }
            mappings.push(mapping);
        }
        check_double_counting(&mappings, table)?;
        check_memo_rows(&mappings, table)?;
        Ok(Concordance { mappings })
    }

    /// Every row, in file order.
    pub fn mappings(&self) -> &[Mapping] {
        &self.mappings
    }

    /// The rows of one statistical line, in file order.
    pub fn mappings_of<'a>(&'a self, line: &'a LineCode) -> impl Iterator<Item = &'a Mapping> {
        self.mappings.iter().filter(move |m| &m.line == line)
    }
}

fn parse_mapping(row: &Row<'_>, table: &ValueAddedTable) -> Result<Mapping, StatsError> {
    let line = row.parse("line", LineCode::parse)?;
    if table.line(&line).is_none() {
        return Err(row.rule(line.as_ref(), "is not a line of the value-added table"));
    }
    let component_text = row.required("component")?;
    let component = if component_text.eq_ignore_ascii_case("outside") {
        None
    } else {
        Some(
            IndustryComponent::parse(component_text)
                .map_err(|e| row.error("component", format!("{e}, or outside")))?,
        )
    };
    let subgroup = row.optional("subgroup", NewIndustriesSubgroup::parse)?;
    let target = match (component, subgroup) {
        (None, None) => Target::Outside,
        (Some(component), None) => Target::Component {
            component,
            subgroup: None,
        },
        (Some(IndustryComponent::NewIndustries), Some(subgroup)) => Target::Component {
            component: IndustryComponent::NewIndustries,
            subgroup: Some(subgroup),
        },
        (component, Some(subgroup)) => {
            let under = component.map_or("outside", IndustryComponent::code);
            return Err(row.rule(
                line.as_ref(),
                format!(
                    "sub-group `{subgroup}` is only allowed under `new_industries`, not under `{under}`"
                ),
            ));
        }
    };
    let weight = row.parse("weight", Weight::parse)?;
    let role = match row.text("role") {
        "" => MappingRole::Counted,
        text if text.eq_ignore_ascii_case("counted") => MappingRole::Counted,
        text if text.eq_ignore_ascii_case("memo") => MappingRole::Memo,
        text => {
            return Err(row.error(
                "role",
                format!("unknown role {text:?}: expected counted or memo"),
            ))
        }
    };
    if role == MappingRole::Memo && target == Target::Outside {
        return Err(row.rule(
            line.as_ref(),
            "a memo row reports a part of a component, so it cannot be `outside`",
        ));
    }
    let note = Some(row.text("note").to_owned()).filter(|note| !note.is_empty());
    Ok(Mapping {
        csv_line: row.line,
        line,
        target,
        weight,
        role,
        note,
    })
}

/// Rule 3: a line and one of its ancestors are never both counted.
fn check_double_counting(mappings: &[Mapping], table: &ValueAddedTable) -> Result<(), StatsError> {
    let counted_at: HashMap<&LineCode, u64> =
        mappings
            .iter()
            .filter(|m| m.is_counted())
            .fold(HashMap::new(), |mut first, m| {
                first.entry(&m.line).or_insert(m.csv_line);
                first
            });
    for mapping in mappings.iter().filter(|m| m.is_counted()) {
        for ancestor in table.ancestors(&mapping.line) {
            if let Some(ancestor_line) = counted_at.get(ancestor) {
                return Err(StatsError::DoubleCounting {
                    file: CONCORDANCE_FILE.to_owned(),
                    line: mapping.csv_line,
                    statistical_line: mapping.line.to_string(),
                    ancestor: ancestor.to_string(),
                    ancestor_line: *ancestor_line,
                });
            }
        }
    }
    Ok(())
}

/// A memo row's line is not counted itself and has an ancestor counted in the same component.
fn check_memo_rows(mappings: &[Mapping], table: &ValueAddedTable) -> Result<(), StatsError> {
    let rule = |memo: &Mapping, reason: String| StatsError::Rule {
        file: CONCORDANCE_FILE.to_owned(),
        line: memo.csv_line,
        statistical_line: memo.line.to_string(),
        reason,
    };
    for memo in mappings.iter().filter(|m| m.role == MappingRole::Memo) {
        if let Some(counted) = mappings
            .iter()
            .find(|m| m.is_counted() && m.line == memo.line)
        {
            return Err(rule(
                memo,
                format!(
                    "is a memo row but is also counted at line {}; a line is either counted or reported as part of another",
                    counted.csv_line
                ),
            ));
        }
        let component = memo.target.component();
        let counted_ancestor = table.ancestors(&memo.line).into_iter().any(|ancestor| {
            mappings
                .iter()
                .any(|m| m.is_counted() && &m.line == ancestor && m.target.component() == component)
        });
        if !counted_ancestor {
            return Err(rule(
                memo,
                format!(
                    "is a memo row for `{}`, but none of its ancestors is counted in that component",
                    memo.target
                ),
            ));
        }
    }
    Ok(())
}
