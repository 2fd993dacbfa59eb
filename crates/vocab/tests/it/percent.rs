//! Percentages: exact parsing, display as published, and serde.

use proptest::prelude::*;
use rstest::rstest;
use vocab::Percent;

#[track_caller]
fn check(text: &str, expected: Result<(i64, u8, &str), &str>) {
    let res = Percent::parse(text)
        .map(|percent| {
            (
                percent.millionths(),
                percent.decimals(),
                percent.to_string(),
            )
        })
        .map_err(|err| err.to_string());
    let expected = expected
        .map(|(millionths, decimals, shown)| (millionths, decimals, shown.to_owned()))
        .map_err(str::to_owned);
    assert_eq!(res, expected);
}

#[rstest]
#[case::producer_services_share("16.2", 16_200_000, 1, "16.2")]
#[case::two_decimals("1.83", 1_830_000, 2, "1.83")]
#[case::zero("0", 0, 0, "0")]
#[case::a_hundred("100", 100_000_000, 0, "100")]
#[case::a_trailing_zero_is_kept("1.0", 1_000_000, 1, "1.0")]
#[case::a_percent_sign("4.4%", 4_400_000, 1, "4.4")]
#[case::a_spaced_percent_sign(" 46.4 % ", 46_400_000, 1, "46.4")]
#[case::a_negative_growth_rate("-3.25", -3_250_000, 2, "-3.25")]
#[case::six_decimals("0.000001", 1, 6, "0.000001")]
#[case::a_small_share("0.18", 180_000, 2, "0.18")]
fn parses_a_published_percentage(
    #[case] text: &str,
    #[case] millionths: i64,
    #[case] decimals: u8,
    #[case] shown: &str,
) {
    check(text, Ok((millionths, decimals, shown)));
}

#[rstest]
#[case::empty("", "invalid percentage \"\": empty")]
#[case::only_a_sign("%", "invalid percentage \"%\": empty")]
#[case::seven_decimals(
    "1.0000001",
    "invalid percentage \"1.0000001\": more than 6 decimal places"
)]
#[case::letters("abc", "invalid percentage \"abc\": unexpected character 'a'")]
#[case::two_points("1.2.3", "invalid percentage \"1.2.3\": more than one decimal point")]
#[case::too_large("10000000000000", "invalid percentage \"10000000000000\": too large")]
fn rejects_a_percentage_that_is_not_an_exact_decimal(#[case] text: &str, #[case] message: &str) {
    check(text, Err(message));
}

#[test]
fn displays_one_point_zero_as_published() {
    // Arrange
    let percent = Percent::parse("1.0").unwrap();

    // Act / Assert
    assert_eq!(percent.to_string(), "1.0");
    assert_ne!(percent, Percent::parse("1").unwrap());
}

#[test]
fn gives_a_float_for_charts() {
    assert_eq!(Percent::parse("1.83").unwrap().as_f64(), 1.83);
}

#[rstest]
#[case::one_decimal(1_800_000, 1, Ok("1.8"))]
#[case::no_decimals(5_000_000, 0, Ok("5"))]
#[case::too_precise(
    1_830_000,
    1,
    Err("invalid percentage \"1830000 millionths with 1 decimals\": more precise than 1 decimal places")
)]
#[case::too_many_decimals(
    1,
    7,
    Err("invalid percentage \"1 millionths with 7 decimals\": more than 6 decimal places")
)]
fn builds_a_percentage_from_millionths(
    #[case] millionths: i64,
    #[case] decimals: u8,
    #[case] expected: Result<&str, &str>,
) {
    let res = Percent::new(millionths, decimals)
        .map(|percent| percent.to_string())
        .map_err(|err| err.to_string());
    assert_eq!(res, expected.map(str::to_owned).map_err(str::to_owned));
}

#[test]
fn serializes_a_percentage_as_its_published_text() {
    // Arrange
    let percent = Percent::parse("13.40").unwrap();

    // Act
    let json = serde_json::to_string(&percent).unwrap();

    // Assert
    assert_eq!(json, r#""13.40""#);
    assert_eq!(serde_json::from_str::<Percent>(&json).unwrap(), percent);
    assert!(serde_json::from_str::<Percent>(r#""1.2.3""#).is_err());
}

fn any_percent() -> impl Strategy<Value = Percent> {
    (0_u8..=6, -1_000_000_000_i64..=1_000_000_000).prop_map(|(decimals, units)| {
        let step = 10_i64.pow(u32::from(6 - decimals));
        Percent::new(units * step, decimals).unwrap()
    })
}

proptest! {
    #[test]
    fn a_percentage_round_trips_through_display(percent in any_percent()) {
        prop_assert_eq!(Percent::parse(&percent.to_string()), Ok(percent));
    }

    #[test]
    fn a_percentage_keeps_the_text_it_was_parsed_from(
        text in "-?(0|[1-9][0-9]{0,5})(\\.[0-9]{1,6})?"
    ) {
        let percent = Percent::parse(&text).unwrap();
        // A negative zero is zero, and prints without its sign.
        prop_assume!(percent.millionths() != 0 || !text.starts_with('-'));
        prop_assert_eq!(percent.to_string(), text);
    }
}
