//! The shipped locations and profiles: complete, labelled, and rankable without NaN.

use rstest::rstest;
use siting::{rank, LocationData, Profile, Weights};
use vocab::Provenance;

const PROFILES: [(&str, &str); 4] = [
    (
        "ev-assembly",
        include_str!("../../profiles/ev-assembly.toml"),
    ),
    (
        "semiconductor-backend",
        include_str!("../../profiles/semiconductor-backend.toml"),
    ),
    (
        "electronics-assembly",
        include_str!("../../profiles/electronics-assembly.toml"),
    ),
    (
        "food-technology",
        include_str!("../../profiles/food-technology.toml"),
    ),
];

#[test]
fn loads_the_shipped_data_with_at_least_25_locations() {
    // Arrange / Act
    let data = LocationData::shipped();

    // Assert
    assert!(data.locations().len() >= 25, "{}", data.locations().len());
    for code in [
        "hk-science-park",
        "hk-innopark-tai-po",
        "hk-innopark-tko",
        "hk-innopark-yuen-long",
        "hk-san-tin",
        "hk-new-territories",
        "cn-shenzhen",
        "cn-dongguan",
        "cn-huizhou",
        "cn-guangzhou",
        "cn-chongqing-liangjiang",
        "cn-suzhou",
        "cn-shanghai",
        "vn-bac-ninh",
        "vn-binh-duong",
        "vn-hai-phong",
        "my-penang",
        "th-eec",
        "id-batam",
        "sg-singapore",
    ] {
        assert!(data.get(code).is_some(), "missing {code}");
    }
}

#[test]
fn labels_every_shipped_row_indicative_with_a_note_or_published() {
    // Arrange
    let data = LocationData::shipped();

    // Act / Assert
    for location in data.locations() {
        for row in &location.rows {
            match &row.source {
                Provenance::Indicative => assert!(
                    !row.note.is_empty(),
                    "{} {} has no note",
                    location.code,
                    row.indicator
                ),
                Provenance::Published { .. } => {}
                Provenance::Synthetic => {
                    panic!("{} {} is synthetic", location.code, row.indicator)
                }
            }
        }
        assert!(location.is_indicative());
    }
}

#[rstest]
#[case::cost_only(Weights { cost: 1.0, skilled_labour: 0.0, geopolitical_exposure: 0.0, approval_lead_time: 0.0, ip_protection: 0.0 })]
#[case::balanced(Weights { cost: 3.0, skilled_labour: 1.0, geopolitical_exposure: 1.0, approval_lead_time: 1.0, ip_protection: 1.0 })]
fn ranks_every_shipped_profile_over_all_locations_without_nan(#[case] weights: Weights) {
    let data = LocationData::shipped();
    for (name, text) in PROFILES {
        // Arrange
        let profile = match Profile::from_toml(text) {
            Ok(profile) => profile,
            Err(error) => panic!("{name}: {error}"),
        };

        // Act
        let ranking = match rank(&data, &profile, &data.all_candidates(), &weights) {
            Ok(ranking) => ranking,
            Err(error) => panic!("{name}: {error}"),
        };

        // Assert
        assert_eq!(ranking.rows.len(), data.locations().len());
        assert_eq!(ranking.topsis_order.len(), data.locations().len());
        assert_eq!(ranking.tornado.len(), 3);
        for row in &ranking.rows {
            for value in [
                row.weighted_sum,
                row.topsis,
                row.costing.cost_per_hkd_output,
            ] {
                assert!(value.is_finite(), "{name}: {} has {value}", row.code);
            }
            assert!(row.costing.net_present_cost.cents() > 0);
        }
        for found in &ranking.sensitivity {
            for value in [Some(found.weight), found.increase, found.decrease]
                .into_iter()
                .flatten()
            {
                assert!(value.is_finite(), "{name}: sensitivity {value}");
            }
        }
        let ranks: Vec<usize> = ranking
            .rows
            .iter()
            .map(|row| row.weighted_sum_rank)
            .collect();
        assert_eq!(ranks, (1..=data.locations().len()).collect::<Vec<_>>());
        assert!(serde_json::to_string(&ranking).is_ok());
    }
}

#[test]
fn keeps_the_two_methods_side_by_side_for_the_ev_profile_on_three_candidates() {
    // Arrange
    let data = LocationData::shipped();
    let Ok(profile) = Profile::from_toml(PROFILES[0].1) else {
        panic!("the EV profile should parse")
    };
    let Ok(candidates) = data.candidates(&["hk-san-tin", "cn-shenzhen", "vn-hai-phong"]) else {
        panic!("the candidates exist")
    };
    let weights = Weights {
        cost: 1.0,
        skilled_labour: 0.0,
        geopolitical_exposure: 0.0,
        approval_lead_time: 0.0,
        ip_protection: 0.0,
    };

    // Act
    let Ok(ranking) = rank(&data, &profile, &candidates, &weights) else {
        panic!("ranking should succeed")
    };

    // Assert
    // On cost alone the cheapest net present cost wins both methods.
    let cheapest = ranking
        .rows
        .iter()
        .min_by_key(|row| row.costing.net_present_cost)
        .map(|row| row.code.clone());
    assert_eq!(Some(ranking.rows[0].code.clone()), cheapest);
    assert_eq!(Some(ranking.topsis_order[0].clone()), cheapest);
}

#[test]
fn flips_the_shipped_winner_just_past_each_reported_weight_change_and_not_before() {
    // Arrange
    let data = LocationData::shipped();
    let Ok(profile) = Profile::from_toml(PROFILES[0].1) else {
        panic!("the EV profile should parse")
    };
    let base = [3.0, 1.0, 1.0, 1.0, 1.0];
    let weights_of = |array: [f64; 5]| Weights {
        cost: array[0],
        skilled_labour: array[1],
        geopolitical_exposure: array[2],
        approval_lead_time: array[3],
        ip_protection: array[4],
    };
    let winner =
        |array: [f64; 5]| match rank(&data, &profile, &data.all_candidates(), &weights_of(array)) {
            Ok(ranking) => ranking.rows[0].code.clone(),
            Err(error) => panic!("{error}"),
        };
    let Ok(ranking) = rank(&data, &profile, &data.all_candidates(), &weights_of(base)) else {
        panic!("ranking should succeed")
    };
    let top = ranking.rows[0].code.clone();

    // Act / Assert
    for (j, found) in ranking.sensitivity.iter().enumerate() {
        let moves = [
            (found.increase, 1.0, &found.winner_if_increased),
            (found.decrease, -1.0, &found.winner_if_decreased),
        ];
        for (amount, sign, new_winner) in moves {
            let Some(amount) = amount else { continue };
            let mut before = base;
            before[j] += sign * amount * (1.0 - 1e-6);
            let mut after = base;
            after[j] += sign * amount * (1.0 + 1e-6);
            assert_eq!(winner(before), top, "{:?} before the move", found.criterion);
            assert_eq!(
                Some(winner(after)),
                new_winner.clone(),
                "{:?} past the move",
                found.criterion
            );
        }
    }
}
