//! The cheapest fix: exact amounts to move, the fewest moves, and (as a property) that the moves
//! always make the product qualify when the report says they can.

use origin::{
    check, ClassCode, ItemCode, Material, MaterialParts, MoveReason, OriginReport, ProcessStep,
    Product, ProductParts, RuleBook, StepParts,
};
use proptest::prelude::*;
use rstest::rstest;
use vocab::{CountryCode, Money};

use crate::{product_toml, test_rules};

#[track_caller]
fn check_fix(class: &str, lines: &str, amount_to_move: &str, moves: &[&str], moved: &str) {
    // Arrange
    let rules = test_rules();
    let product = Product::parse(&rules, &product_toml(class, lines)).expect("valid product");

    // Act
    let report = check(&rules, &product).expect("known class");

    // Assert
    let fix = report.fix.as_ref().expect("does not qualify, so has a fix");
    assert!(fix.reachable, "{report}");
    assert_eq!(fix.amount_to_move.to_string(), amount_to_move, "{report}");
    let codes: Vec<&str> = fix.moves.iter().map(|step| step.code.as_str()).collect();
    assert_eq!(codes, moves, "{report}");
    assert_eq!(fix.moved_cost.to_string(), moved, "{report}");
}

#[rstest]
// 59.99 of 100: one cent more makes 60%.
#[case::one_cent_short_needs_one_cent_moved("plain", "m a 59.99 HK\nm b 40.01 CN", "HK$0.01", &["b"], "HK$40.01")]
// 10 of 100: 50 more; b alone is exactly 50.
#[case::one_cost_that_exactly_covers_the_gap("plain", "m a 10 HK\nm b 50 CN\nm c 30 CN\nm d 10 VN", "HK$50.00", &["b"], "HK$50.00")]
// 10 of 100: 50 more; no single cost covers it, so b (30) then the smallest that closes the
// remaining 20, d (20), rather than c (25).
#[case::the_fewest_moves_and_the_smallest_last_move("plain", "m a 10 HK\nm b 30 CN\nm c 25 CN\nm d 20 VN\nm e 15 US", "HK$50.00", &["b", "d"], "HK$50.00")]
// 100 of 333 cents: 60% of 333 is 199.8, so 100 more cents (200 of 333 is 60.06%).
#[case::the_amount_rounds_up_to_the_next_cent("plain", "m a 1.00 HK\nm b 2.33 CN", "HK$1.00", &["b"], "HK$2.33")]
// 3 of 8: 62.5% of 8 is 5, so 2 more.
#[case::a_fractional_threshold("five-eighths", "m a 3 HK\nm b 1 CN\nm c 4 CN", "HK$2.00", &["c"], "HK$4.00")]
// Final assembly abroad must move whatever the share; its 20 counts toward the 50 needed
// (frame 10 HK, cells 70 CN, assembly 20 CN: 60% of 100 is 60, 10 in HK, so 50 more).
#[case::an_essential_step_abroad_moves_first_and_counts_toward_the_amount("industrial", "m frame 10 HK\nm cells 70 CN\ns final-assembly 20 CN", "HK$50.00", &["final-assembly", "cells"], "HK$90.00")]
// An unavailable material cannot move: steel 50 (unavailable, not excludable) stays; cells 30
// (CN) moves. 20 of 100 needs 40 more, but only cells can move: unreachable is tested below.
#[case::a_material_not_available_in_hong_kong_is_never_moved("plain", "m frame 40 HK\nm steel 35 MY unavailable\nm cells 25 CN", "HK$20.00", &["cells"], "HK$25.00")]
fn the_fix_moves_the_least_cost_in_the_fewest_moves(
    #[case] class: &str,
    #[case] lines: &str,
    #[case] amount_to_move: &str,
    #[case] moves: &[&str],
    #[case] moved: &str,
) {
    check_fix(class, lines, amount_to_move, moves, moved);
}

#[test]
fn a_fix_that_cannot_reach_the_threshold_says_so() {
    // Arrange: steel 80 is not available in Hong Kong and cannot move; 60% of 100 needs 60 in
    // Hong Kong, but at most 20 can be.
    let rules = test_rules();
    let text = product_toml("plain", "m steel 80 MY unavailable\nm cells 20 CN");
    let product = Product::parse(&rules, &text).expect("valid product");

    // Act
    let report = check(&rules, &product).expect("known class");

    // Assert
    let fix = report.fix.expect("a fix");
    assert!(!fix.reachable);
    assert_eq!(fix.amount_to_move.to_string(), "HK$60.00");
    assert_eq!(fix.moves.len(), 1);
    assert_eq!(fix.moves[0].code.as_str(), "cells");
}

const PLACES: [&str; 5] = ["HK", "CN", "VN", "US", "MY"];

#[derive(Debug, Clone)]
struct Line {
    is_step: bool,
    cents: i64,
    place: usize,
    available: bool,
    essential: bool,
}

fn line() -> impl Strategy<Value = Line> {
    (
        any::<bool>(),
        prop_oneof![0_i64..=100, 0_i64..=10_000_000],
        0..PLACES.len(),
        prop::bool::weighted(0.8),
        prop::bool::weighted(0.15),
    )
        .prop_map(|(is_step, cents, place, available, essential)| Line {
            is_step,
            cents,
            place,
            available,
            essential,
        })
}

/// A rule book with one class: a random threshold with 0 to 6 decimals, the essential step `s1`
/// or none, and the excludable material `m0` or none.
fn rules(millionths: i64, essential: bool, excludable: bool) -> RuleBook {
    let threshold = format!("{}.{:06}", millionths / 1_000_000, millionths % 1_000_000);
    let essential = if essential { "\"s1\"" } else { "" };
    let excludable = if excludable { "\"m0\"" } else { "" };
    RuleBook::parse(&format!(
        "source = \"synthetic\"\n[[class]]\ncode = \"c\"\nname_en = \"C\"\nname_zh = \"丙\"\n\
         min_hk_share_pct = \"{threshold}\"\nessential_steps = [{essential}]\n\
         excludable_materials = [{excludable}]\n"
    ))
    .expect("valid generated rules")
}

/// Builds the product, with the costs in `moved` placed in Hong Kong and the `added` steps
/// added, done in Hong Kong at no cost.
fn product(lines: &[Line], moved: &[ItemCode], added: &[ItemCode]) -> Product {
    let hk = CountryCode::parse("HK").expect("HK");
    let mut materials = Vec::new();
    let mut steps = Vec::new();
    for (idx, line) in lines.iter().enumerate() {
        // Materials are `m<n>` and steps `s<n>`, so an added essential step never takes a
        // material's code.
        let is_step = line.is_step && idx > 0;
        let prefix = if is_step { "s" } else { "m" };
        let code = ItemCode::parse(&format!("{prefix}{idx}")).expect("code");
        let mut place = CountryCode::parse(PLACES[line.place]).expect("place");
        if moved.contains(&code) {
            place = hk;
        }
        let cost = Money::hkd(line.cents);
        // The first line is always a material, so the bill of materials is never empty.
        if is_step {
            steps.push(
                ProcessStep::new(StepParts {
                    code,
                    step: format!("Step {idx}"),
                    cost,
                    place,
                    essential: line.essential,
                })
                .expect("valid step"),
            );
        } else {
            materials.push(
                Material::new(MaterialParts {
                    code,
                    item: format!("Material {idx}"),
                    cost,
                    origin: place,
                    available_in_hk: line.available || place == hk,
                })
                .expect("valid material"),
            );
        }
    }
    for code in added {
        steps.push(
            ProcessStep::new(StepParts {
                code: code.clone(),
                step: "Added step".to_owned(),
                cost: Money::hkd(0),
                place: hk,
                essential: false,
            })
            .expect("valid step"),
        );
    }
    Product::new(ProductParts {
        name: "Generated".to_owned(),
        class: ClassCode::parse("c").expect("code"),
        materials,
        steps,
    })
    .expect("valid generated product")
}

/// Whether `hk + extra` cents meet the threshold of the report exactly.
fn meets(report: &OriginReport, extra: i64) -> bool {
    let hk = i128::from(report.hk_cost.cents()) + i128::from(extra);
    let base = i128::from(report.base_cost.cents());
    base > 0 && hk * 100_000_000 >= i128::from(report.threshold.millionths()) * base
}

proptest! {
    #[test]
    fn applying_the_fix_always_makes_the_product_qualify_unless_it_says_it_cannot(
        lines in prop::collection::vec(line(), 1..8),
        millionths in prop_oneof![0_i64..=100_000_000, (0_i64..=100).prop_map(|pct| pct * 1_000_000)],
        essential in any::<bool>(),
        excludable in any::<bool>(),
    ) {
        // Arrange
        let rules = rules(millionths, essential, excludable);
        let before = check(&rules, &product(&lines, &[], &[])).expect("known class");
        let Some(fix) = before.fix.clone() else {
            prop_assert!(before.qualifies);
            return Ok(());
        };

        // Act
        let moved: Vec<ItemCode> = fix.moves.iter().map(|step| step.code.clone()).collect();
        let after = check(&rules, &product(&lines, &moved, &fix.missing_steps))
            .expect("known class");

        // Assert
        if fix.reachable {
            prop_assert!(after.qualifies, "before:\n{before}\nafter:\n{after}");
            prop_assert!(fix.moved_cost.cents() >= fix.amount_to_move.cents());
        } else {
            prop_assert!(!after.meets_share, "before:\n{before}\nafter:\n{after}");
        }
        // The amount is exact: it meets the share, and one cent less does not.
        let amount = fix.amount_to_move.cents();
        if before.base_cost.cents() > 0 {
            prop_assert!(meets(&before, amount));
            prop_assert!(amount == 0 || !meets(&before, amount - 1));
        } else {
            prop_assert_eq!(amount, 0);
        }
        // The share moves are the fewest: the largest movable costs, one fewer, fall short.
        let essential_moved: i64 = fix.moves.iter()
            .filter(|step| step.reason == MoveReason::EssentialStep)
            .map(|step| step.cost.cents())
            .sum();
        let n_share_moves = fix.moves.iter().filter(|step| step.reason == MoveReason::Share).count();
        if fix.reachable && n_share_moves > 0 {
            let mut movable: Vec<i64> = before.terms.iter()
                .filter(|term| term.in_base && term.available_in_hk && !term.in_hk)
                .filter(|term| !fix.moves.iter().any(|step| {
                    step.code == term.code && step.reason == MoveReason::EssentialStep
                }))
                .map(|term| term.cost.cents())
                .collect();
            movable.sort_unstable_by(|a, b| b.cmp(a));
            let best_with_one_fewer: i64 = movable.iter().take(n_share_moves - 1).sum();
            prop_assert!(best_with_one_fewer + essential_moved < fix.amount_to_move.cents());
        }
    }
}
