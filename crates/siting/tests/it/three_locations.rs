//! A three-location case worked out by hand from end to end: each location's yearly cost items
//! and net present cost, then the weighted-sum scores and ranks and the TOPSIS closeness and
//! ranks of the three.
//!
//! The profile: 10 operators, 5 technicians and 2 engineers, 1,000 m², 100,000 kWh a year,
//! HK$2m capex, HK$10m output a year (50% to Hong Kong, 30% to the Mainland, 20% to the US),
//! a 10% margin, 2 years at 10%.
//!
//! - `hk`: Hong Kong-like, paid in HK$, with a 1:2 matching grant capped at HK$1m.
//! - `sz`: Mainland-like, paid in yuan at HK$1.10 per yuan, no grant, 25% US tariff.
//! - `vn`: Vietnam-like, paid in dong at HK$0.0003 per dong, no grant, tariffs into the
//!   Mainland and the US.

use siting::{
    cost, rank, Costing, LocationData, Profile, RankedLocation, Ranking, Weights, YearlyCost,
};
use vocab::Money;

const NAMES: &str = "\
code,name_en,name_zh,country,lat,lon,kind
hk,Hong Kong-like,港,HK,22.3,114.2,test
sz,Shenzhen-like,深,CN,22.5,114.1,test
vn,Vietnam-like,越,VN,21.0,106.0,test
";

const INDICATORS: &str = "\
location,indicator,value,unit,year,source,note
hk,fx_hkd,1,HKD per HKD,2024,indicative,test
hk,wage_operator,12000,HKD/month,2024,indicative,test
hk,wage_technician,18000,HKD/month,2024,indicative,test
hk,wage_engineer,30000,HKD/month,2024,indicative,test
hk,rent,80,HKD/m2/month,2024,indicative,test
hk,electricity,1.2,HKD/kWh,2024,indicative,test
hk,profits_tax,16.5,%,2024,indicative,test
hk,grant_match,0.5,HKD per HKD,2024,indicative,test
hk,grant_cap,1000000,HKD,2024,indicative,test
hk,freight_hk,1,%,2024,indicative,test
hk,freight_mainland,2,%,2024,indicative,test
hk,freight_us,5,%,2024,indicative,test
hk,freight_eu,0,%,2024,indicative,test
hk,freight_sea,0,%,2024,indicative,test
hk,tariff_hk,0,%,2024,indicative,test
hk,tariff_mainland,0,%,2024,indicative,test
hk,tariff_us,10,%,2024,indicative,test
hk,tariff_eu,0,%,2024,indicative,test
hk,tariff_sea,0,%,2024,indicative,test
hk,skilled_labour,4,score,2024,indicative,test
hk,geopolitical_exposure,2,score,2024,indicative,test
hk,approval_months,6,months,2024,indicative,test
hk,ip_protection,5,score,2024,indicative,test
sz,fx_hkd,1.1,HKD per CNY,2024,indicative,test
sz,wage_operator,5000,CNY/month,2024,indicative,test
sz,wage_technician,8000,CNY/month,2024,indicative,test
sz,wage_engineer,15000,CNY/month,2024,indicative,test
sz,rent,40,HKD/m2/month,2024,indicative,test
sz,electricity,0.8,HKD/kWh,2024,indicative,test
sz,profits_tax,25,%,2024,indicative,test
sz,grant_match,0,HKD per HKD,2024,indicative,test
sz,grant_cap,0,HKD,2024,indicative,test
sz,freight_hk,1.5,%,2024,indicative,test
sz,freight_mainland,1,%,2024,indicative,test
sz,freight_us,4,%,2024,indicative,test
sz,freight_eu,0,%,2024,indicative,test
sz,freight_sea,0,%,2024,indicative,test
sz,tariff_hk,0,%,2024,indicative,test
sz,tariff_mainland,0,%,2024,indicative,test
sz,tariff_us,25,%,2024,indicative,test
sz,tariff_eu,0,%,2024,indicative,test
sz,tariff_sea,0,%,2024,indicative,test
sz,skilled_labour,5,score,2024,indicative,test
sz,geopolitical_exposure,4,score,2024,indicative,test
sz,approval_months,4,months,2024,indicative,test
sz,ip_protection,3,score,2024,indicative,test
vn,fx_hkd,0.0003,HKD per VND,2024,indicative,test
vn,wage_operator,8000000,VND/month,2024,indicative,test
vn,wage_technician,12000000,VND/month,2024,indicative,test
vn,wage_engineer,25000000,VND/month,2024,indicative,test
vn,rent,30,HKD/m2/month,2024,indicative,test
vn,electricity,0.6,HKD/kWh,2024,indicative,test
vn,profits_tax,20,%,2024,indicative,test
vn,grant_match,0,HKD per HKD,2024,indicative,test
vn,grant_cap,0,HKD,2024,indicative,test
vn,freight_hk,2,%,2024,indicative,test
vn,freight_mainland,2.5,%,2024,indicative,test
vn,freight_us,3,%,2024,indicative,test
vn,freight_eu,0,%,2024,indicative,test
vn,freight_sea,0,%,2024,indicative,test
vn,tariff_hk,0,%,2024,indicative,test
vn,tariff_mainland,5,%,2024,indicative,test
vn,tariff_us,20,%,2024,indicative,test
vn,tariff_eu,0,%,2024,indicative,test
vn,tariff_sea,0,%,2024,indicative,test
vn,skilled_labour,2,score,2024,indicative,test
vn,geopolitical_exposure,3,score,2024,indicative,test
vn,approval_months,8,months,2024,indicative,test
vn,ip_protection,2,score,2024,indicative,test
";

const PROFILE: &str = r#"
name = "Three-site line"
sector = "C39"
floor_area_m2 = 1000
power_kwh_per_year = 100000
capex = "2000000"
output_per_year = "10000000"
profit_margin = "0.1"
horizon_years = 2
discount_rate = "0.1"

[headcount]
operator = 10
technician = 5
engineer = 2

[markets]
hk = "0.5"
mainland = "0.3"
us = "0.2"
"#;

/// Cost counts 4, skilled labour and geopolitical exposure 2 each, approval lead time and IP
/// protection 1 each: over their sum of 10 that is 0.4, 0.2, 0.2, 0.1 and 0.1.
const WEIGHTS: Weights = Weights {
    cost: 4.0,
    skilled_labour: 2.0,
    geopolitical_exposure: 2.0,
    approval_lead_time: 1.0,
    ip_protection: 1.0,
};

fn data() -> LocationData {
    match LocationData::from_csv(NAMES.as_bytes(), INDICATORS.as_bytes()) {
        Ok(data) => data,
        Err(error) => panic!("the three-location dataset should load: {error}"),
    }
}

fn profile() -> Profile {
    match Profile::from_toml(PROFILE) {
        Ok(profile) => profile,
        Err(error) => panic!("the three-location profile should parse: {error}"),
    }
}

#[track_caller]
fn costing(code: &str) -> Costing {
    let data = data();
    let Some(location) = data.get(code) else {
        panic!("no location {code}")
    };
    match cost(&profile(), location) {
        Ok(costing) => costing,
        Err(error) => panic!("costing {code} failed: {error}"),
    }
}

fn ranking() -> Ranking {
    let data = data();
    match rank(&data, &profile(), &data.all_candidates(), &WEIGHTS) {
        Ok(ranking) => ranking,
        Err(error) => panic!("ranking should succeed: {error}"),
    }
}

#[track_caller]
fn row<'a>(ranking: &'a Ranking, code: &str) -> &'a RankedLocation {
    match ranking.rows.iter().find(|row| row.code == code) {
        Some(row) => row,
        None => panic!("no row for {code}"),
    }
}

fn hkd(units: i64) -> Money {
    Money::hkd(units * 100)
}

#[track_caller]
fn check_close(found: f64, expected: f64, tolerance: f64) {
    assert!(!found.is_nan(), "a score is NaN");
    assert!(
        (found - expected).abs() < tolerance,
        "{found} is not {expected}"
    );
}

#[test]
fn costs_the_hong_kong_like_site_with_its_capped_matching_grant_as_computed_by_hand() {
    // Arrange / Act
    let costing = costing("hk");

    // Assert
    // Labour: (10 x 12,000 + 5 x 18,000 + 2 x 30,000) x 12 = 270,000 x 12 = 3,240,000.
    // Occupancy: 1,000 m² x 80 x 12 = 960,000. Utilities: 100,000 kWh x 1.20 = 120,000.
    // Freight: 10m x (0.5 x 1% + 0.3 x 2% + 0.2 x 5%) = 10m x 2.1% = 210,000.
    // Tariffs: 10m x 0.2 x 10% (US only) = 200,000.
    // Profits tax: 10m x 10% margin x 16.5% = 165,000.
    // Before incentives Y = 4,895,000.
    // Grant: 2m x 0.5 / 1.5 = 666,666.666... -> rounded down to 66,666,666 cents, under the
    // HK$1m cap; spread over 2 years: 33,333,333 cents a year (exact, no rounding needed).
    // Total: 489,500,000 - 33,333,333 = 456,166,667 cents.
    assert_eq!(costing.monthly_wage_hkd.operator, hkd(12_000));
    assert_eq!(
        costing.yearly,
        YearlyCost {
            labour: hkd(3_240_000),
            occupancy: hkd(960_000),
            utilities: hkd(120_000),
            freight: hkd(210_000),
            tariffs: hkd(200_000),
            profits_tax: hkd(165_000),
            incentives: Money::hkd(33_333_333),
            total: Money::hkd(456_166_667),
        }
    );
    assert_eq!(costing.capex, hkd(2_000_000));
    assert_eq!(costing.grant, Money::hkd(66_666_666));
    // NPC = capex - grant + round(Y / 1.1) + round(Y / 1.21), each year's present value
    // rounded to the nearest cent (halves away from zero; no half occurs here):
    // 489,500,000 / 1.1 = 445,000,000 exactly; 489,500,000 / 1.21 = 404,545,454.545...
    // -> 404,545,455. So 200,000,000 - 66,666,666 + 445,000,000 + 404,545,455
    // = 982,878,789 cents.
    assert_eq!(costing.net_present_cost, Money::hkd(982_878_789));
    // Present output: 1,000,000,000 / 1.1 = 909,090,909.09 -> 909,090,909 and
    // / 1.21 = 826,446,280.99 -> 826,446,281; together 1,735,537,190 cents.
    assert_eq!(costing.present_output, Money::hkd(1_735_537_190));
    check_close(
        costing.cost_per_hkd_output,
        982_878_789.0 / 1_735_537_190.0,
        1e-12,
    );
}

#[test]
fn costs_the_mainland_like_site_converting_yuan_wages_as_computed_by_hand() {
    // Arrange / Act
    let costing = costing("sz");

    // Assert
    // Wages 5,000 / 8,000 / 15,000 yuan at HK$1.10: 5,500 / 8,800 / 16,500.
    assert_eq!(costing.monthly_wage_hkd.operator, hkd(5_500));
    assert_eq!(costing.monthly_wage_hkd.technician, hkd(8_800));
    assert_eq!(costing.monthly_wage_hkd.engineer, hkd(16_500));
    // Labour: (10 x 5,500 + 5 x 8,800 + 2 x 16,500) x 12 = 132,000 x 12 = 1,584,000.
    // Occupancy: 1,000 x 40 x 12 = 480,000. Utilities: 100,000 x 0.80 = 80,000.
    // Freight: 10m x (0.5 x 1.5% + 0.3 x 1% + 0.2 x 4%) = 10m x 1.85% = 185,000.
    // Tariffs: 10m x 0.2 x 25% = 500,000. Profits tax: 10m x 10% x 25% = 250,000.
    // No grant: Y = total = 3,079,000.
    assert_eq!(
        costing.yearly,
        YearlyCost {
            labour: hkd(1_584_000),
            occupancy: hkd(480_000),
            utilities: hkd(80_000),
            freight: hkd(185_000),
            tariffs: hkd(500_000),
            profits_tax: hkd(250_000),
            incentives: hkd(0),
            total: hkd(3_079_000),
        }
    );
    assert_eq!(costing.grant, hkd(0));
    // NPC: 200,000,000 + 307,900,000 / 1.1 (279,909,090.909... -> 279,909,091)
    //                  + 307,900,000 / 1.21 (254,462,809.917... -> 254,462,810)
    // = 734,371,901 cents.
    assert_eq!(costing.net_present_cost, Money::hkd(734_371_901));
}

#[test]
fn costs_the_vietnam_like_site_with_tariffs_into_two_markets_as_computed_by_hand() {
    // Arrange / Act
    let costing = costing("vn");

    // Assert
    // Wages 8,000,000 / 12,000,000 / 25,000,000 dong at HK$0.0003: 2,400 / 3,600 / 7,500.
    assert_eq!(costing.monthly_wage_hkd.operator, hkd(2_400));
    assert_eq!(costing.monthly_wage_hkd.technician, hkd(3_600));
    assert_eq!(costing.monthly_wage_hkd.engineer, hkd(7_500));
    // Labour: (10 x 2,400 + 5 x 3,600 + 2 x 7,500) x 12 = 57,000 x 12 = 684,000.
    // Occupancy: 1,000 x 30 x 12 = 360,000. Utilities: 100,000 x 0.60 = 60,000.
    // Freight: 10m x (0.5 x 2% + 0.3 x 2.5% + 0.2 x 3%) = 10m x 2.35% = 235,000.
    // Tariffs: 10m x (0.3 x 5% + 0.2 x 20%) = 10m x 5.5% = 550,000.
    // Profits tax: 10m x 10% x 20% = 200,000. No grant: Y = total = 2,089,000.
    assert_eq!(
        costing.yearly,
        YearlyCost {
            labour: hkd(684_000),
            occupancy: hkd(360_000),
            utilities: hkd(60_000),
            freight: hkd(235_000),
            tariffs: hkd(550_000),
            profits_tax: hkd(200_000),
            incentives: hkd(0),
            total: hkd(2_089_000),
        }
    );
    assert_eq!(costing.grant, hkd(0));
    // NPC: 200,000,000 + 208,900,000 / 1.1 (189,909,090.909... -> 189,909,091)
    //                  + 208,900,000 / 1.21 (172,644,628.099... -> 172,644,628)
    // = 562,553,719 cents.
    assert_eq!(costing.net_present_cost, Money::hkd(562_553_719));
}

#[test]
fn ranks_the_three_locations_by_weighted_sum_as_computed_by_hand() {
    // Arrange / Act
    let ranking = ranking();

    // Assert
    // The criteria (cost in HK$, then skilled labour, geopolitical exposure, approval months,
    // IP protection; exposure and approval are costs, lower is better):
    //   hk = (9,828,787.89, 4, 2, 6, 5)
    //   sz = (7,343,719.01, 5, 4, 4, 3)
    //   vn = (5,625,537.19, 2, 3, 8, 2)
    let hk = row(&ranking, "hk");
    let sz = row(&ranking, "sz");
    let vn = row(&ranking, "vn");
    assert_eq!(hk.criteria.as_array(), [9_828_787.89, 4.0, 2.0, 6.0, 5.0]);
    assert_eq!(sz.criteria.as_array(), [7_343_719.01, 5.0, 4.0, 4.0, 3.0]);
    assert_eq!(vn.criteria.as_array(), [5_625_537.19, 2.0, 3.0, 8.0, 2.0]);
    // Min-max normalised (1 best). Cost spans 9,828,787.89 - 5,625,537.19 = 4,203,250.70, so
    // sz gets (9,828,787.89 - 7,343,719.01) / 4,203,250.70 = 2,485,068.88 / 4,203,250.70
    // = 0.591225; skilled labour spans 3, exposure 2, approval 4, IP 3:
    //   hk = (0,        2/3, 1,   0.5, 1  )
    //   sz = (0.591225, 1,   0,   1,   1/3)
    //   vn = (1,        0,   0.5, 0,   0  )
    // With weights (0.4, 0.2, 0.2, 0.1, 0.1):
    //   hk = 0.2 x 2/3 + 0.2 + 0.05 + 0.1 = 0.483333
    //   sz = 0.4 x 0.591225 + 0.2 + 0.1 + 0.1 / 3 = 0.569824
    //   vn = 0.4 + 0.1 = 0.5
    let cost_sz = 2_485_068.88 / 4_203_250.70;
    check_close(hk.weighted_sum, 0.2 * 2.0 / 3.0 + 0.2 + 0.05 + 0.1, 1e-9);
    check_close(sz.weighted_sum, 0.4 * cost_sz + 0.2 + 0.1 + 0.1 / 3.0, 1e-9);
    check_close(vn.weighted_sum, 0.4 + 0.1, 1e-9);
    check_close(sz.weighted_sum, 0.569_824, 1e-6);
    // So sz first, vn second, hk last.
    assert_eq!(
        [
            sz.weighted_sum_rank,
            vn.weighted_sum_rank,
            hk.weighted_sum_rank
        ],
        [1, 2, 3]
    );
    let order: Vec<&str> = ranking.rows.iter().map(|row| row.code.as_str()).collect();
    assert_eq!(order, ["sz", "vn", "hk"]);
    // The tornado covers all three (the top three by weighted sum), in that order.
    let tornado: Vec<&str> = ranking
        .tornado
        .iter()
        .map(|tornado| tornado.location.as_str())
        .collect();
    assert_eq!(tornado, ["sz", "vn", "hk"]);
}

#[test]
fn gives_the_hand_computed_topsis_closeness_and_ranks_for_the_three_locations() {
    // Arrange / Act
    let ranking = ranking();

    // Assert
    // Column norms (vector normalisation):
    //   cost     sqrt(9,828,787.89² + 7,343,719.01² + 5,625,537.19²)
    //            = sqrt(182,181,948,960,519.1) = 13,497,479.356
    //   skilled  sqrt(16 + 25 + 4) = sqrt(45) = 6.708204
    //   exposure sqrt(4 + 16 + 9) = sqrt(29) = 5.385165
    //   approval sqrt(36 + 16 + 64) = sqrt(116) = 10.770330
    //   IP       sqrt(25 + 9 + 4) = sqrt(38) = 6.164414
    // Each value over its norm times its weight (0.4, 0.2, 0.2, 0.1, 0.1):
    //   hk = (0.291278, 0.119257, 0.074278, 0.055709, 0.081111)
    //   sz = (0.217632, 0.149071, 0.148556, 0.037139, 0.048666)
    //   vn = (0.166714, 0.059628, 0.111417, 0.074278, 0.032444)
    // Ideal (min of costs, max of benefits) and anti-ideal (the reverse):
    //   ideal = (0.166714, 0.149071, 0.074278, 0.037139, 0.081111)
    //   anti  = (0.291278, 0.059628, 0.148556, 0.074278, 0.032444)
    // Distances:
    //   hk: d+ = sqrt(0.124564² + 0.029814² + 0 + 0.018570² + 0)             = 0.129421
    //       d- = sqrt(0 + 0.059628² + 0.074278² + 0.018570² + 0.048666²)     = 0.108564
    //   sz: d+ = sqrt(0.050918² + 0 + 0.074278² + 0 + 0.032444²)             = 0.095721
    //       d- = sqrt(0.073646² + 0.089443² + 0 + 0.037139² + 0.016222²)     = 0.122744
    //   vn: d+ = sqrt(0 + 0.089443² + 0.037139² + 0.037139² + 0.048666²)     = 0.114573
    //       d- = sqrt(0.124564² + 0 + 0.037139² + 0 + 0)                     = 0.129983
    // Closeness d- / (d+ + d-):
    //   hk = 0.108564 / 0.237985 = 0.456178
    //   sz = 0.122744 / 0.218465 = 0.561847
    //   vn = 0.129983 / 0.244556 = 0.531505
    let hk = row(&ranking, "hk");
    let sz = row(&ranking, "sz");
    let vn = row(&ranking, "vn");
    check_close(hk.topsis, 0.456_178_14, 1e-6);
    check_close(sz.topsis, 0.561_846_76, 1e-6);
    check_close(vn.topsis, 0.531_504_87, 1e-6);
    assert_eq!([sz.topsis_rank, vn.topsis_rank, hk.topsis_rank], [1, 2, 3]);
    assert_eq!(ranking.topsis_order, ["sz", "vn", "hk"]);
}
