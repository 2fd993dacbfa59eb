//! The costing of the tiny two-location dataset, computed by hand.

use siting::{cost, npc_change, CostItem, Costing};
use vocab::Money;

use crate::{tiny_data, tiny_profile};

#[track_caller]
fn check(code: &str) -> Costing {
    let data = tiny_data();
    let profile = tiny_profile();
    let Some(location) = data.get(code) else {
        panic!("no location {code}")
    };
    match cost(&profile, location) {
        Ok(costing) => costing,
        Err(error) => panic!("costing {code} failed: {error}"),
    }
}

fn hkd(units: i64) -> Money {
    Money::hkd(units * 100)
}

#[test]
fn costs_the_hong_kong_like_site_item_by_item_as_computed_by_hand() {
    // Arrange / Act
    let costing = check("alpha");

    // Assert
    // Labour: (10 x 10,000 + 2 x 20,000 + 1 x 30,000) x 12 = 2,040,000.
    assert_eq!(costing.yearly.labour, hkd(2_040_000));
    // Occupancy: 1,000 m² x 100 x 12; utilities: 100,000 kWh x 1.50.
    assert_eq!(costing.yearly.occupancy, hkd(1_200_000));
    assert_eq!(costing.yearly.utilities, hkd(150_000));
    // Freight: 10m x (0.5 x 1% + 0.5 x 2%); no tariffs.
    assert_eq!(costing.yearly.freight, hkd(150_000));
    assert_eq!(costing.yearly.tariffs, hkd(0));
    // Profits tax: 10m x 10% margin x 16.5%.
    assert_eq!(costing.yearly.profits_tax, hkd(165_000));
    // Grant: 3m x 0.5 / 1.5 = 1m, capped at 800,000; shown as 400,000 a year over 2 years.
    assert_eq!(costing.grant, hkd(800_000));
    assert_eq!(costing.yearly.incentives, hkd(400_000));
    assert_eq!(costing.yearly.total, hkd(3_305_000));
    // NPC: 3m - 0.8m + 3,705,000 / 1.1 (336,818,181.82 cents -> ...182)
    //                 + 3,705,000 / 1.21 (306,198,347.11 cents -> ...347).
    assert_eq!(costing.net_present_cost, Money::hkd(863_016_529));
    // Present output: 909,090,909 + 826,446,281 cents.
    assert_eq!(costing.present_output, Money::hkd(1_735_537_190));
    let expected = 863_016_529.0 / 1_735_537_190.0;
    assert!((costing.cost_per_hkd_output - expected).abs() < 1e-12);
}

#[test]
fn converts_local_wages_at_the_stated_rate_and_costs_the_vietnam_like_site_by_hand() {
    // Arrange / Act
    let costing = check("beta");

    // Assert
    // 10,000,000 / 15,000,000 / 30,000,000 dong at HK$0.0003.
    assert_eq!(costing.monthly_wage_hkd.operator, hkd(3_000));
    assert_eq!(costing.monthly_wage_hkd.technician, hkd(4_500));
    assert_eq!(costing.monthly_wage_hkd.engineer, hkd(9_000));
    assert_eq!(costing.yearly.labour, hkd(576_000));
    assert_eq!(costing.yearly.occupancy, hkd(360_000));
    assert_eq!(costing.yearly.utilities, hkd(60_000));
    // Freight 10m x 2.25%; tariff 10m x 0.5 x 5%; tax 10m x 10% x 20%.
    assert_eq!(costing.yearly.freight, hkd(225_000));
    assert_eq!(costing.yearly.tariffs, hkd(250_000));
    assert_eq!(costing.yearly.profits_tax, hkd(200_000));
    assert_eq!(costing.grant, hkd(0));
    assert_eq!(costing.yearly.total, hkd(1_671_000));
    // NPC: 3m + 151,909,090.91 (-> ...091) + 138,099,173.55 (-> ...174) cents.
    assert_eq!(costing.net_present_cost, Money::hkd(590_008_265));
}

#[test]
fn moves_the_net_present_cost_by_the_hand_computed_amount_when_a_driver_moves_20_percent() {
    // Arrange
    let data = tiny_data();
    let profile = tiny_profile();
    let Some(alpha) = data.get("alpha") else {
        panic!("no alpha")
    };

    // Act
    let labour_up = npc_change(&profile, alpha, CostItem::Labour, 20);
    let grant_up = npc_change(&profile, alpha, CostItem::Incentives, 20);

    // Assert
    // Labour 2,448,000: yearly 4,113,000 -> 373,909,091 + 339,917,355 = 713,826,446 cents,
    // against 643,016,529 before.
    assert_eq!(labour_up, Ok(Money::hkd(70_809_917)));
    // The grant rises from 800,000 to 960,000 at the start.
    assert_eq!(grant_up, Ok(hkd(-160_000)));
}
