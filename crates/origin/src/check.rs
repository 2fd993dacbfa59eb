//! The origin check: the exact Hong Kong share of the cost base against the class threshold,
//! the essential steps, and the cheapest fix.

use vocab::{CountryCode, Currency, Money, Percent};

use crate::code::ItemCode;
use crate::error::{Location, OriginError};
use crate::product::Product;
use crate::report::{
    EssentialStepCheck, Fix, Move, MoveReason, OriginReport, RequiredBy, Term, TermKind, TermNote,
};
use crate::rules::{ProductClass, RuleBook};

/// Hundred percent in millionths of a percentage point: a share `hk / base` is
/// `hk * HUNDRED_PERCENT / base` millionths.
const HUNDRED_PERCENT: i128 = 100_000_000;

/// Checks a product against the rule of its class.
///
/// The product qualifies when `hk_cost / base_cost >= threshold`, compared exactly in integers
/// (a share exactly at the threshold qualifies), and every essential step is present and done
/// in Hong Kong.
/// The only error is a class the rule book does not have, which can happen for a product
/// built with [`Product::new`] or read against another rule book.
pub fn check(rules: &RuleBook, product: &Product) -> Result<OriginReport, OriginError> {
    let Some(class) = rules.class(product.class()) else {
        return Err(OriginError::UnknownClass {
            at: Location::field("class"),
            code: product.class().to_string(),
            known: rules.known_classes(),
        });
    };
    let currency = product.currency();
    let terms = terms(class, product);
    let essential_steps = essential_steps(class, product);

    let sum = |keep: &dyn Fn(&Term) -> bool| -> i128 {
        terms
            .iter()
            .filter(|term| keep(term))
            .map(|term| i128::from(term.cost.cents()))
            .sum()
    };
    let hk = sum(&|term| term.in_base && term.in_hk);
    let base = sum(&|term| term.in_base);
    let excluded = sum(&|term| !term.in_base);
    let threshold = class.min_hk_share();
    let threshold_millionths = i128::from(threshold.millionths());

    let share = (base > 0).then(|| share_rounded_down(hk, base));
    let meets_share = base > 0 && hk * HUNDRED_PERCENT >= threshold_millionths * base;
    let essential_steps_ok = essential_steps.iter().all(|check| check.ok);
    let qualifies = meets_share && essential_steps_ok;
    let fix = (!qualifies).then(|| {
        let shortfall = if base > 0 {
            shortfall(hk, base, threshold_millionths)
        } else {
            0
        };
        fix(&terms, &essential_steps, shortfall, base > 0, currency)
    });

    Ok(OriginReport {
        product: product.name().to_owned(),
        class: class.code().clone(),
        class_name: class.name().clone(),
        rules_source: rules.source().clone(),
        threshold,
        qualifies,
        share,
        meets_share,
        essential_steps_ok,
        hk_cost: money(hk, currency),
        base_cost: money(base, currency),
        excluded_cost: money(excluded, currency),
        total_cost: money(base + excluded, currency),
        terms,
        essential_steps,
        fix,
    })
}

fn terms(class: &ProductClass, product: &Product) -> Vec<Term> {
    let materials = product.materials().iter().map(|material| {
        let excludable = class.excludable_materials().contains(material.code());
        let note = match (excludable, material.available_in_hk()) {
            (true, false) => Some(TermNote::ExcludedNotAvailableInHk),
            (false, false) => Some(TermNote::NotExcludableForClass),
            (true, true) => Some(TermNote::ExcludableButAvailableInHk),
            (false, true) => None,
        };
        Term {
            kind: TermKind::Material,
            code: material.code().clone(),
            label: material.item().to_owned(),
            cost: material.cost(),
            place: material.origin(),
            in_hk: is_hong_kong(material.origin()),
            in_base: note != Some(TermNote::ExcludedNotAvailableInHk),
            available_in_hk: material.available_in_hk(),
            note,
        }
    });
    let steps = product.steps().iter().map(|step| Term {
        kind: TermKind::Step,
        code: step.code().clone(),
        label: step.step().to_owned(),
        cost: step.cost(),
        place: step.place(),
        in_hk: is_hong_kong(step.place()),
        in_base: true,
        available_in_hk: true,
        note: None,
    });
    materials.chain(steps).collect()
}

fn essential_steps(class: &ProductClass, product: &Product) -> Vec<EssentialStepCheck> {
    let declared = product.steps().iter().filter(|step| step.essential());
    let from_product = declared
        .map(|step| step.code())
        .filter(|code| !class.essential_steps().contains(code));
    class
        .essential_steps()
        .iter()
        .chain(from_product)
        .map(|code| {
            let step = product.steps().iter().find(|step| step.code() == code);
            let by_class = class.essential_steps().contains(code);
            let by_product = step.is_some_and(|step| step.essential());
            let required_by = match (by_class, by_product) {
                (true, true) => RequiredBy::ClassAndProduct,
                (true, false) => RequiredBy::Class,
                (false, _) => RequiredBy::Product,
            };
            let place = step.map(|step| step.place());
            EssentialStepCheck {
                code: code.clone(),
                required_by,
                present: step.is_some(),
                place,
                ok: place.is_some_and(is_hong_kong),
            }
        })
        .collect()
}

/// The least cents `x` with `(hk + x) * 100% >= threshold * base`, or 0 if the share is met.
fn shortfall(hk: i128, base: i128, threshold_millionths: i128) -> i128 {
    let missing = threshold_millionths * base - hk * HUNDRED_PERCENT;
    if missing <= 0 {
        return 0;
    }
    (missing + HUNDRED_PERCENT - 1) / HUNDRED_PERCENT
}

fn fix(
    terms: &[Term],
    essential_steps: &[EssentialStepCheck],
    shortfall: i128,
    has_base: bool,
    currency: Currency,
) -> Fix {
    let misplaced_essential = |term: &Term| {
        term.kind == TermKind::Step
            && !term.in_hk
            && essential_steps.iter().any(|check| check.code == term.code)
    };
    let mut moves: Vec<Move> = terms
        .iter()
        .filter(|term| misplaced_essential(term))
        .map(|term| to_move(term, MoveReason::EssentialStep))
        .collect();
    let mut remaining = shortfall
        - moves
            .iter()
            .map(|step| i128::from(step.cost.cents()))
            .sum::<i128>();

    // Costs that would raise the share if done in Hong Kong, largest first; the stable sort
    // keeps the product's order among equal costs.
    let mut candidates: Vec<&Term> = terms
        .iter()
        .filter(|term| term.in_base && term.available_in_hk && !term.in_hk)
        .filter(|term| term.cost.cents() > 0)
        .filter(|term| !misplaced_essential(term))
        .collect();
    candidates.sort_by_key(|term| std::cmp::Reverse(term.cost.cents()));

    // Taking the largest cost each time gives the fewest moves; when one cost can close the
    // gap, the smallest such cost does it with the same number of moves and less moved.
    let mut reachable = has_base;
    while remaining > 0 {
        let closing = candidates
            .iter()
            .rposition(|term| i128::from(term.cost.cents()) >= remaining);
        let idx = match (closing, candidates.is_empty()) {
            (Some(idx), _) => idx,
            (None, false) => 0,
            (None, true) => {
                reachable = false;
                break;
            }
        };
        let term = candidates.remove(idx);
        remaining -= i128::from(term.cost.cents());
        moves.push(to_move(term, MoveReason::Share));
    }
    if !reachable {
        moves.extend(
            candidates
                .into_iter()
                .map(|term| to_move(term, MoveReason::Share)),
        );
    }

    let moved_cost = moves.iter().map(|step| i128::from(step.cost.cents())).sum();
    let missing_steps: Vec<ItemCode> = essential_steps
        .iter()
        .filter(|check| !check.present)
        .map(|check| check.code.clone())
        .collect();
    Fix {
        reachable,
        amount_to_move: money(shortfall, currency),
        moves,
        moved_cost: money(moved_cost, currency),
        missing_steps,
    }
}

fn to_move(term: &Term, reason: MoveReason) -> Move {
    Move {
        kind: term.kind,
        code: term.code.clone(),
        label: term.label.clone(),
        cost: term.cost,
        from: term.place,
        reason,
    }
}

/// The share `hk / base` in percent, rounded down to 2 decimals.
fn share_rounded_down(hk: i128, base: i128) -> Percent {
    let hundredths = hk * 100 * 100 / base;
    let millionths = i64::try_from(hundredths * 10_000)
        .expect("a share of non-negative costs is at most 100%, which fits");
    Percent::new(millionths, 2).expect("whole hundredths with 2 decimals are a valid percent")
}

/// Cents summed over a product's costs as money.
fn money(cents: i128, currency: Currency) -> Money {
    let cents = i64::try_from(cents)
        .expect("sums of a product's costs fit: Product::new checked the total");
    Money::from_cents(cents, currency)
}

fn is_hong_kong(place: CountryCode) -> bool {
    place.as_str() == "HK"
}
