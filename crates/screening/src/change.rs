//! Changes to an approved project (the tolerance mechanism): a new budget that moves money
//! between cost categories, or a milestone moved to another date. A change may never alter the
//! approved total or bring in a cost the scheme does not pay for; within those bounds it is
//! assessed against the scheme's [`Tolerance`] so the officer who decides it sees at once
//! whether it is routine.

use serde::{Deserialize, Serialize};
use time::Date;
use vocab::{Money, Percent};

use crate::application::{parse_date, ApplicationInput, BudgetLineInput, MilestoneInput};
use crate::code::CostCategory;
use crate::error::{Location, ScreeningError};
use crate::scheme::{Scheme, Tolerance};
use crate::Application;

/// A requested change, as given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ChangeInput {
    /// The whole budget, as it should become.
    Budget {
        /// The new budget lines.
        budget_lines: Vec<BudgetLineInput>,
    },
    /// One milestone moved (and perhaps renamed).
    Milestone {
        /// Which milestone, counting from 1.
        number: usize,
        /// The new due date, `YYYY-MM-DD`.
        due_on: String,
        /// A new title; empty keeps the old one.
        #[serde(default)]
        title: String,
    },
}

/// How a requested change compares with what was approved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeAssessment {
    /// Whether every part of the change is within the scheme's tolerance.
    pub within_tolerance: bool,
    /// The tolerance it was measured against.
    pub tolerance: Tolerance,
    /// What moves, one entry per cost category or milestone.
    pub moves: Vec<ChangeMove>,
}

/// One part of a change, with the numbers that show its size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ChangeMove {
    /// A cost category's total changes.
    Budget {
        /// The category.
        category: CostCategory,
        /// The approved amount.
        before: Money,
        /// The amount asked for.
        after: Money,
        /// The change as a share of the approved amount, rounded to 2 decimals; `None` for a
        /// category the approved budget did not have.
        change: Option<Percent>,
        /// Whether this move alone is within the tolerance.
        within: bool,
    },
    /// A milestone moves.
    Milestone {
        /// Which milestone, counting from 1.
        number: usize,
        /// Its title after the change.
        title: String,
        /// The approved due date.
        before: Date,
        /// The date asked for.
        after: Date,
        /// Days later (negative: earlier).
        days: i64,
        /// Whether the move is within the tolerance.
        within: bool,
    },
}

/// Checks a change against the approved application and the scheme, and returns the changed
/// application (as input, ready to store) with the assessment.
///
/// # Errors
/// A change that cannot be made at all, naming the field: a bad amount or date, a total that
/// differs from the approved one, a cost category the scheme does not pay for, a milestone that
/// does not exist, or a change that changes nothing.
pub fn assess_change(
    scheme: &Scheme,
    approved: &ApplicationInput,
    change: &ChangeInput,
) -> Result<(ApplicationInput, ChangeAssessment), ScreeningError> {
    let before = Application::parse(approved)?;
    let tolerance = scheme.tolerance();
    let mut changed = approved.clone();
    let moves = match change {
        ChangeInput::Budget { budget_lines } => {
            changed.budget_lines = budget_lines.clone();
            let after = Application::parse(&changed)?;
            budget_moves(scheme, &before, &after, tolerance)?
        }
        ChangeInput::Milestone {
            number,
            due_on,
            title,
        } => {
            let field = |name: &str| format!("milestones[{number}].{name}");
            let Some(slot) = number
                .checked_sub(1)
                .and_then(|idx| changed.milestones.get_mut(idx))
            else {
                return Err(invalid(
                    "number",
                    format!(
                        "milestone {number} does not exist; the project has {}",
                        approved.milestones.len()
                    ),
                ));
            };
            let after = parse_date(due_on).map_err(|reason| invalid(&field("due_on"), reason))?;
            let old_due =
                parse_date(&slot.due_on).map_err(|reason| invalid(&field("due_on"), reason))?;
            *slot = MilestoneInput {
                title: if title.trim().is_empty() {
                    slot.title.clone()
                } else {
                    title.trim().to_owned()
                },
                due_on: after.to_string(),
            };
            if after == old_due && slot.title == approved.milestones[number - 1].title {
                return Err(invalid(
                    "due_on",
                    "the milestone already has that date and title".into(),
                ));
            }
            let days = (after - old_due).whole_days();
            vec![ChangeMove::Milestone {
                number: *number,
                title: slot.title.clone(),
                before: old_due,
                after,
                days,
                within: days.unsigned_abs() <= u64::from(tolerance.milestone_days),
            }]
        }
    };
    let within_tolerance = moves.iter().all(|m| match m {
        ChangeMove::Budget { within, .. } | ChangeMove::Milestone { within, .. } => *within,
    });
    Ok((
        changed,
        ChangeAssessment {
            within_tolerance,
            tolerance,
            moves,
        },
    ))
}

fn budget_moves(
    scheme: &Scheme,
    before: &Application,
    after: &Application,
    tolerance: Tolerance,
) -> Result<Vec<ChangeMove>, ScreeningError> {
    let sum = |app: &Application| -> i64 {
        app.project()
            .budget_lines()
            .iter()
            .map(|line| line.amount().cents())
            .sum()
    };
    let (old_total, new_total) = (sum(before), sum(after));
    let currency = before.project().currency();
    if old_total != new_total {
        return Err(invalid(
            "budget_lines",
            format!(
                "the lines add up to {} but the approved budget is {}; a change moves money between lines and keeps the total",
                Money::from_cents(new_total, currency),
                Money::from_cents(old_total, currency)
            ),
        ));
    }
    for (idx, line) in after.project().budget_lines().iter().enumerate() {
        if !scheme.eligible_costs().contains(line.category()) {
            return Err(invalid(
                &format!("budget_lines[{}].category", idx + 1),
                format!("the scheme does not pay for {:?}", line.category().as_str()),
            ));
        }
    }
    let mut categories: Vec<&CostCategory> = Vec::new();
    for line in before
        .project()
        .budget_lines()
        .iter()
        .chain(after.project().budget_lines())
    {
        if !categories.contains(&line.category()) {
            categories.push(line.category());
        }
    }
    let by_category = |app: &Application, category: &CostCategory| -> i64 {
        app.project()
            .budget_lines()
            .iter()
            .filter(|line| line.category() == category)
            .map(|line| line.amount().cents())
            .sum()
    };
    let mut moves = Vec::new();
    for category in categories {
        let (old, new) = (by_category(before, category), by_category(after, category));
        if old == new {
            continue;
        }
        let delta = i128::from((new - old).abs());
        // Exact: |new - old| × 100,000,000 ≤ old × budget (in millionths of a point).
        let within = old > 0
            && delta * 100_000_000 <= i128::from(old) * i128::from(tolerance.budget.millionths());
        let change = (old > 0).then(|| {
            // Rounded half up to 2 decimals: units of 10,000 millionths.
            let units = (delta * 100 * 100 * 2 + i128::from(old)) / (2 * i128::from(old));
            let signed = if new < old { -units } else { units };
            Percent::new(
                i64::try_from(signed * 10_000).unwrap_or(i64::MAX / 10_000 * 10_000),
                2,
            )
            .expect("a multiple of 10,000 millionths has 2 decimals")
        });
        moves.push(ChangeMove::Budget {
            category: category.clone(),
            before: Money::from_cents(old, currency),
            after: Money::from_cents(new, currency),
            change,
            within,
        });
    }
    if moves.is_empty() {
        return Err(invalid(
            "budget_lines",
            "no cost category changes; nothing to ask for".into(),
        ));
    }
    Ok(moves)
}

fn invalid(field: &str, reason: String) -> ScreeningError {
    ScreeningError::Invalid {
        at: Location::field(field),
        reason,
    }
}
