//! What [`crate::check`] finds: the verdict, every term of the share, the essential steps and
//! the cheapest fix, serializable for JSON output and printable as plain English text.

use std::fmt;

use serde::{Deserialize, Serialize};
use vocab::{BilingualText, CountryCode, Money, Percent, Provenance};

use crate::code::{ClassCode, ItemCode};

/// The outcome of an origin check, with every number it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginReport {
    /// The product's name.
    pub product: String,
    /// The product class.
    pub class: ClassCode,
    /// The class name in English and Traditional Chinese.
    pub class_name: BilingualText,
    /// Where the rule book's thresholds come from.
    pub rules_source: Provenance,
    /// The least share of the cost base that must be incurred in Hong Kong.
    pub threshold: Percent,
    /// Whether the product may carry the Hong Kong origin mark: the share meets the threshold
    /// and every essential step is done in Hong Kong.
    pub qualifies: bool,
    /// The share of the cost base incurred in Hong Kong, rounded down to 2 decimals
    /// (`"57.14"`); `None` when the cost base is zero.
    ///
    /// Rounding down means the shown share never looks better than it is; the verdict compares
    /// the exact fraction `hk_cost / base_cost`.
    pub share: Option<Percent>,
    /// Whether the exact share is at least the threshold.
    pub meets_share: bool,
    /// Whether every essential step is present and done in Hong Kong.
    pub essential_steps_ok: bool,
    /// The costs in the base that are incurred in Hong Kong.
    pub hk_cost: Money,
    /// The cost base: every cost except excluded materials.
    pub base_cost: Money,
    /// The costs of the materials left out of the base.
    pub excluded_cost: Money,
    /// Every cost of the product: `base_cost + excluded_cost`.
    pub total_cost: Money,
    /// Every material and step, in the product's order (materials first).
    pub terms: Vec<Term>,
    /// The essential steps: the class's, then those the product itself declares.
    pub essential_steps: Vec<EssentialStepCheck>,
    /// The cheapest change that would make the product qualify; `None` when it qualifies.
    pub fix: Option<Fix>,
}

/// Whether a term is a material or a process step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TermKind {
    /// A line of the bill of materials.
    Material,
    /// A process step.
    Step,
}

/// One cost of the product and how it counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    /// Material or step.
    pub kind: TermKind,
    /// The material's or step's code.
    pub code: ItemCode,
    /// What it is.
    pub label: String,
    /// Its cost.
    pub cost: Money,
    /// Where it comes from (a material) or is done (a step).
    pub place: CountryCode,
    /// Whether `place` is Hong Kong.
    pub in_hk: bool,
    /// Whether the cost is in the base (everything but excluded materials).
    pub in_base: bool,
    /// Whether it could be had in (a material) or moved to (a step) Hong Kong; only such
    /// costs can be part of a [`Fix`].
    pub available_in_hk: bool,
    /// Why the term counts as it does, when that is not plain.
    pub note: Option<TermNote>,
}

/// Why a material counts as it does.
///
/// Serialized as a machine code (`"excluded_not_available_in_hk"`), so the web tier can show
/// it in either language; `Display` gives the English wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TermNote {
    /// Left out of the base: not available in Hong Kong, and the class lists it as excludable.
    ExcludedNotAvailableInHk,
    /// Not available in Hong Kong, but the class does not list it as excludable, so it stays
    /// in the base.
    NotExcludableForClass,
    /// The class lists it as excludable, but it is available in Hong Kong, so it stays in the
    /// base.
    ExcludableButAvailableInHk,
}

/// Whether one essential step is done in Hong Kong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EssentialStepCheck {
    /// The step's code.
    pub code: ItemCode,
    /// Who makes the step essential: the class, the product, or both.
    pub required_by: RequiredBy,
    /// Whether the product has the step.
    pub present: bool,
    /// Where the step is done, when present.
    pub place: Option<CountryCode>,
    /// Whether the step is present and done in Hong Kong.
    pub ok: bool,
}

/// Who makes a step essential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequiredBy {
    /// The class's rule lists it.
    Class,
    /// The product marks it `essential = true`.
    Product,
    /// Both.
    ClassAndProduct,
}

/// The cheapest change that makes a product qualify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// Whether the moves below make the product qualify (after adding any missing steps in
    /// Hong Kong).
    ///
    /// `false` when even moving every cost that can move falls short: when most of the base
    /// is materials not available in Hong Kong (which cannot move), or when the cost base is
    /// zero, so there is no share to raise.
    /// The moves then list every cost that could move.
    pub reachable: bool,
    /// The least cost that must additionally be incurred in Hong Kong for the share to reach
    /// the threshold: the smallest `x` with `(hk_cost + x) / base_cost >= threshold`, exact to
    /// the cent; zero when only essential steps are wrong.
    pub amount_to_move: Money,
    /// The costs to move to Hong Kong: first essential steps done elsewhere, then the fewest
    /// other costs in the base that are available in Hong Kong, largest first, that cover what
    /// remains of `amount_to_move` (the last one the smallest that suffices).
    pub moves: Vec<Move>,
    /// The sum of the moves' costs, at least `amount_to_move` when reachable.
    pub moved_cost: Money,
    /// Essential steps the product lacks: they must be added, done in Hong Kong.
    ///
    /// Adding a step in Hong Kong never lowers the share, so the moves stay sufficient.
    pub missing_steps: Vec<ItemCode>,
}

/// One cost to move to Hong Kong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    /// Material or step.
    pub kind: TermKind,
    /// The material's or step's code.
    pub code: ItemCode,
    /// What it is.
    pub label: String,
    /// Its cost, which the move adds to the Hong Kong cost.
    pub cost: Money,
    /// Where it is now.
    pub from: CountryCode,
    /// Why it must move.
    pub reason: MoveReason,
}

/// Why a cost must move to Hong Kong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveReason {
    /// It is an essential step, which must be done in Hong Kong.
    EssentialStep,
    /// It raises the share to the threshold.
    Share,
}

impl TermNote {
    /// The stable machine code, as serialized.
    pub fn code(self) -> &'static str {
        match self {
            TermNote::ExcludedNotAvailableInHk => "excluded_not_available_in_hk",
            TermNote::NotExcludableForClass => "not_excludable_for_class",
            TermNote::ExcludableButAvailableInHk => "excludable_but_available_in_hk",
        }
    }
}

impl fmt::Display for TermNote {
    /// The English wording.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TermNote::ExcludedNotAvailableInHk => {
                "left out of the base: not available in Hong Kong and excludable for this class"
            }
            TermNote::NotExcludableForClass => {
                "in the base: not available in Hong Kong, but this class does not allow leaving it out"
            }
            TermNote::ExcludableButAvailableInHk => {
                "in the base: excludable for this class only when not available in Hong Kong"
            }
        })
    }
}

impl fmt::Display for TermKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TermKind::Material => "material",
            TermKind::Step => "step",
        })
    }
}

impl fmt::Display for OriginReport {
    /// A plain English account for the command line: verdict, share with its terms, essential
    /// steps and fix.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = if self.qualifies {
            "qualifies"
        } else {
            "does not qualify"
        };
        writeln!(f, "{}: {verdict}", self.product)?;
        writeln!(
            f,
            "class {} ({}), threshold {}% of the cost base made in Hong Kong ({})",
            self.class,
            self.class_name.en(),
            self.threshold,
            self.rules_source
        )?;
        let share = match self.share {
            Some(share) => format!("{share}%"),
            None => "none (the cost base is zero)".to_owned(),
        };
        writeln!(
            f,
            "share {share} = {} in Hong Kong / {} base (total {}, excluded {})",
            self.hk_cost, self.base_cost, self.total_cost, self.excluded_cost
        )?;
        writeln!(f, "terms:")?;
        for term in &self.terms {
            let where_ = if term.in_hk { "in HK" } else { "outside HK" };
            let base = if term.in_base { "" } else { ", not in base" };
            write!(
                f,
                "  {} {} ({}): {} from {} [{where_}{base}]",
                term.kind, term.code, term.label, term.cost, term.place
            )?;
            match term.note {
                Some(note) => writeln!(f, "; {note}")?,
                None => writeln!(f)?,
            }
        }
        if !self.essential_steps.is_empty() {
            writeln!(f, "essential steps:")?;
            for check in &self.essential_steps {
                let status = match (check.present, check.place) {
                    (true, Some(place)) if check.ok => format!("done in {place}: ok"),
                    (true, Some(place)) => format!("done in {place}: must be done in HK"),
                    _ => "missing: must be added, done in HK".to_owned(),
                };
                writeln!(f, "  {}: {status}", check.code)?;
            }
        }
        if let Some(fix) = &self.fix {
            if fix.reachable {
                writeln!(
                    f,
                    "fix: incur at least {} more in Hong Kong; move {} ({} moves):",
                    fix.amount_to_move,
                    fix.moved_cost,
                    fix.moves.len()
                )?;
            } else {
                writeln!(
                    f,
                    "fix: none reaches the threshold; moving everything below still falls short:"
                )?;
            }
            for step in &fix.moves {
                let why = match step.reason {
                    MoveReason::EssentialStep => "essential step",
                    MoveReason::Share => "share",
                };
                writeln!(
                    f,
                    "  move {} {} ({}) {} from {} to HK ({why})",
                    step.kind, step.code, step.label, step.cost, step.from
                )?;
            }
            for code in &fix.missing_steps {
                writeln!(f, "  add step {code}, done in HK")?;
            }
        }
        Ok(())
    }
}
