//! Bad input gets an error naming the file, line and field.

use rstest::rstest;
use siting::{rank, LocationData, Position, Profile, SitingError, Weights};

use crate::{tiny_data, tiny_profile, TINY_INDICATORS, TINY_NAMES, TINY_PROFILE};

#[track_caller]
fn check_profile(text: &str, expected_code: &str, expected_message: &str) {
    match Profile::from_toml(text) {
        Ok(_) => panic!("the profile should be refused"),
        Err(error) => {
            assert_eq!(error.code(), expected_code);
            assert_eq!(error.to_string(), expected_message);
        }
    }
}

#[track_caller]
fn check_csv(names: &str, indicators: &str, expected_code: &str, expected_message: &str) {
    match LocationData::from_csv(names.as_bytes(), indicators.as_bytes()) {
        Ok(_) => panic!("the data should be refused"),
        Err(error) => {
            assert_eq!(error.code(), expected_code);
            assert_eq!(error.to_string(), expected_message);
        }
    }
}

fn weights(cost: f64, rest: f64) -> Weights {
    Weights {
        cost,
        skilled_labour: rest,
        geopolitical_exposure: rest,
        approval_lead_time: rest,
        ip_protection: rest,
    }
}

#[test]
fn refuses_a_negative_headcount_naming_its_line() {
    // Arrange
    let text = TINY_PROFILE.replace("technician = 2", "technician = -2");

    // Act / Assert
    check_profile(
        &text,
        "negative_headcount",
        "line 14: field `headcount.technician`: headcount -2 must not be negative",
    );
}

#[test]
fn refuses_market_shares_that_do_not_add_up_to_one_exactly() {
    // Arrange
    let text = TINY_PROFILE.replace("mainland = \"0.5\"", "mainland = \"0.4\"");

    // Act / Assert
    check_profile(
        &text,
        "shares_not_one",
        "line 17: field `markets`: market shares add up to 0.9, not exactly 1",
    );
}

#[test]
fn refuses_an_unknown_market_and_a_missing_key_with_their_lines() {
    // Arrange
    let unknown = TINY_PROFILE.replace("hk = \"0.5\"", "mars = \"0.5\"");
    let missing = TINY_PROFILE.replace("capex = \"3000000\"\n", "");

    // Act / Assert
    check_profile(
        &unknown,
        "invalid_value",
        "line 18: field `markets.mars`: unknown market \"mars\"; known: hk, mainland, us, eu, sea",
    );
    match Profile::from_toml(&missing) {
        Err(SitingError::Toml { at, .. }) => assert_eq!(at.field, "capex"),
        other => panic!("expected a TOML error, got {other:?}"),
    }
}

#[test]
fn refuses_an_unknown_location_among_the_candidates() {
    // Arrange
    let data = tiny_data();

    // Act
    let found = data.candidates(&["alpha", "atlantis"]);

    // Assert
    assert_eq!(
        found,
        Err(SitingError::UnknownLocation {
            at: Position::field("candidates[1]"),
            code: "atlantis".to_owned(),
        })
    );
}

#[rstest]
#[case::all_zero(
    weights(0.0, 0.0),
    "all_zero_weights",
    "field `weights`: all weights are zero; give at least one criterion a weight above zero"
)]
#[case::negative(weights(-1.0, 1.0), "bad_weight", "field `weights.cost`: weight -1 must be a finite number not below zero")]
#[case::not_a_number(
    weights(f64::NAN, 1.0),
    "bad_weight",
    "field `weights.cost`: weight NaN must be a finite number not below zero"
)]
fn refuses_weights_that_cannot_rank(
    #[case] weights: Weights,
    #[case] expected_code: &str,
    #[case] expected_message: &str,
) {
    // Arrange
    let data = tiny_data();
    let profile = tiny_profile();

    // Act
    let found = rank(&data, &profile, &data.all_candidates(), &weights);

    // Assert
    match found {
        Ok(_) => panic!("the weights should be refused"),
        Err(error) => {
            assert_eq!(error.code(), expected_code);
            assert_eq!(error.to_string(), expected_message);
        }
    }
}

#[rstest]
#[case::a_value_that_is_not_a_number(
    TINY_INDICATORS.replace("alpha,rent,100,", "alpha,rent,lots,"),
    "invalid_csv",
    "locations.csv: line 6: field `value`: invalid amount \"lots\": unexpected character 'l'"
)]
#[case::a_row_with_a_missing_cell(
    TINY_INDICATORS.replace("alpha,electricity,1.5,HKD/kWh,2024,indicative,test", "alpha,electricity,1.5"),
    "invalid_csv",
    "locations.csv: line 7: field `record`: expected 7 cells, found 3"
)]
#[case::an_unknown_source(
    TINY_INDICATORS.replace("beta,rent,30,HKD/m2/month,2024,indicative", "beta,rent,30,HKD/m2/month,2024,guesswork"),
    "invalid_csv",
    "locations.csv: line 29: field `source`: invalid provenance \"guesswork\": expected \"published: <document>\", \"indicative\" or \"synthetic\""
)]
#[case::a_location_the_names_file_lacks(
    TINY_INDICATORS.replace("beta,tariff_eu", "gamma,tariff_eu"),
    "unknown_location",
    "locations.csv: line 42: field `location`: unknown location \"gamma\""
)]
#[case::a_missing_indicator(
    TINY_INDICATORS.replace("beta,ip_protection,2,score,2024,indicative,test\n", ""),
    "missing_indicator",
    "locations.csv: field `indicator`: location \"beta\" has no indicator \"ip_protection\""
)]
#[case::an_indicator_given_twice(
    TINY_INDICATORS.replace("beta,tariff_sea", "beta,tariff_eu"),
    "invalid_csv",
    "locations.csv: line 43: field `indicator`: indicator \"tariff_eu\" for \"beta\" appears twice (first on line 42)"
)]
#[case::a_score_out_of_range(
    TINY_INDICATORS.replace("beta,ip_protection,2,", "beta,ip_protection,7,"),
    "invalid_csv",
    "locations.csv: line 47: field `value`: \"7\" must be a score from 1 to 5"
)]
fn refuses_a_malformed_indicator_csv_naming_file_line_and_field(
    #[case] indicators: String,
    #[case] expected_code: &str,
    #[case] expected_message: &str,
) {
    check_csv(TINY_NAMES, &indicators, expected_code, expected_message);
}

#[test]
fn refuses_a_names_csv_with_the_wrong_header() {
    check_csv(
        &TINY_NAMES.replace("name_zh", "chinese"),
        TINY_INDICATORS,
        "invalid_csv",
        "location_names.csv: line 1: field `header`: expected the header \"code,name_en,name_zh,country,lat,lon,kind\", found \"code,name_en,chinese,country,lat,lon,kind\"",
    );
}
