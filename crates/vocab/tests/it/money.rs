//! Money: exact parsing, scaled figures, arithmetic, conversion, display and serde.

use proptest::prelude::*;
use rstest::rstest;
use time::macros::date;
use vocab::{Currency, ExchangeRate, Money, Scale, VocabError};

#[track_caller]
fn check_amount(text: &str, currency: Currency, expected: Result<i64, &str>) {
    let res = Money::parse_amount(text, currency);
    let res = res
        .map(|money| {
            assert_eq!(money.currency(), currency);
            money.cents()
        })
        .map_err(|err| err.to_string());
    assert_eq!(res, expected.map_err(str::to_owned));
}

#[track_caller]
fn check_scaled(text: &str, scale: Scale, expected: Result<i64, &str>) {
    let res = Money::parse_scaled(text, scale, Currency::Hkd)
        .map(Money::cents)
        .map_err(|err| err.to_string());
    assert_eq!(res, expected.map_err(str::to_owned));
}

#[track_caller]
fn rate(from: Currency, to: Currency, text: &str) -> ExchangeRate {
    ExchangeRate::parse(from, to, text, date!(2024 - 12 - 31)).unwrap()
}

#[rstest]
#[case::whole_units("6900000000", 690_000_000_000)]
#[case::thousands_separators_and_one_decimal("6,900,000,000.5", 690_000_000_050)]
#[case::a_negative_amount_with_two_decimals("-12.30", -1_230)]
#[case::zero("0", 0)]
#[case::surrounding_whitespace(" 1.05 ", 105)]
#[case::the_currency_symbol("HK$1,234.56", 123_456)]
#[case::a_negative_amount_with_the_symbol("-HK$12.30", -1_230)]
#[case::the_smallest_amount("-92,233,720,368,547,758.08", i64::MIN)]
fn parses_an_exact_amount(#[case] text: &str, #[case] cents: i64) {
    check_amount(text, Currency::Hkd, Ok(cents));
}

#[rstest]
#[case::empty("", "invalid amount \"\": empty")]
#[case::only_whitespace("   ", "invalid amount \"   \": empty")]
#[case::two_decimal_points("12.3.4", "invalid amount \"12.3.4\": more than one decimal point")]
#[case::three_decimals("12.345", "invalid amount \"12.345\": more than 2 decimal places")]
#[case::letters("12a", "invalid amount \"12a\": unexpected character 'a'")]
#[case::an_exponent("1e5", "invalid amount \"1e5\": unexpected character 'e'")]
#[case::two_minus_signs("--5", "invalid amount \"--5\": unexpected character '-'")]
#[case::a_lone_minus_sign("-", "invalid amount \"-\": no digits")]
#[case::a_short_thousands_group("1,23", "invalid amount \"1,23\": misplaced thousands separator")]
#[case::a_long_leading_group(
    "1234,567",
    "invalid amount \"1234,567\": misplaced thousands separator"
)]
#[case::a_separator_after_the_point(
    "1.2,3",
    "invalid amount \"1.2,3\": thousands separator after the decimal point"
)]
#[case::no_integer_digits(".5", "invalid amount \".5\": no digits before the decimal point")]
#[case::no_fraction_digits("5.", "invalid amount \"5.\": no digits after the decimal point")]
#[case::one_cent_past_the_largest_amount(
    "92233720368547758.08",
    "invalid amount \"92233720368547758.08\": too large for 64-bit cents"
)]
#[case::far_too_many_digits(
    "1234567890123456789012345678901234567890",
    "invalid amount \"1234567890123456789012345678901234567890\": too many digits"
)]
#[case::another_currencys_symbol(
    "US$5",
    "invalid amount \"US$5\": currency symbol US$ does not match HKD"
)]
fn rejects_an_amount_that_is_not_exact_cents(#[case] text: &str, #[case] message: &str) {
    check_amount(text, Currency::Hkd, Err(message));
}

#[test]
fn rejects_an_amount_with_three_decimals() {
    // Arrange / Act
    let res = Money::parse_amount("1.005", Currency::Hkd);

    // Assert
    assert!(matches!(res, Err(VocabError::InvalidAmount { .. })));
}

#[test]
fn parses_an_amount_in_euro_with_its_symbol() {
    check_amount("€1,000.00", Currency::Eur, Ok(100_000));
}

#[rstest]
#[case::industry_2023("127.1", Scale::Billion, 12_710_000_000_000)]
#[case::six_point_nine_billion("6.9", Scale::Billion, 690_000_000_000)]
#[case::producer_services_2023("473.5", Scale::Billion, 47_350_000_000_000)]
#[case::a_negative_figure("-28.2", Scale::Billion, -2_820_000_000_000)]
#[case::one_cent_in_billions("0.00000000001", Scale::Billion, 1)]
#[case::thousands_with_decimals("12.345", Scale::Thousand, 1_234_500)]
#[case::millions_with_separators("1,250", Scale::Million, 125_000_000_000)]
#[case::one_cent_in_units("0.01", Scale::Unit, 1)]
#[case::trailing_zeros_beyond_cents("1.5000", Scale::Unit, 150)]
fn parses_a_figure_at_a_scale(#[case] text: &str, #[case] scale: Scale, #[case] cents: i64) {
    check_scaled(text, scale, Ok(cents));
}

#[rstest]
#[case::half_a_cent(
    "0.005",
    Scale::Unit,
    "invalid amount \"0.005\": does not land on whole cents at scale unit"
)]
#[case::a_tenth_of_a_cent_in_billions(
    "0.000000000001",
    Scale::Billion,
    "invalid amount \"0.000000000001\": does not land on whole cents at scale billion"
)]
#[case::too_many_billions(
    "100000000",
    Scale::Billion,
    "invalid amount \"100000000\": too large for 64-bit cents at scale billion"
)]
#[case::a_symbol(
    "HK$6.9",
    Scale::Billion,
    "invalid amount \"HK$6.9\": unexpected character 'H'"
)]
#[case::two_decimal_points(
    "6.9.1",
    Scale::Billion,
    "invalid amount \"6.9.1\": more than one decimal point"
)]
fn rejects_a_figure_that_does_not_land_on_cents(
    #[case] text: &str,
    #[case] scale: Scale,
    #[case] message: &str,
) {
    check_scaled(text, scale, Err(message));
}

#[rstest]
#[case::six_point_nine_billion(690_000_000_000, Scale::Billion, "6.9")]
#[case::industry_2023(12_710_000_000_000, Scale::Billion, "127.1")]
#[case::zero(0, Scale::Million, "0")]
#[case::one_cent(1, Scale::Unit, "0.01")]
#[case::a_negative_amount(-150, Scale::Unit, "-1.5")]
#[case::a_round_thousand(100_000, Scale::Thousand, "1")]
#[case::many_decimals(123_456_789, Scale::Million, "1.23456789")]
fn formats_an_amount_at_a_scale(#[case] cents: i64, #[case] scale: Scale, #[case] text: &str) {
    // Arrange
    let money = Money::hkd(cents);

    // Act / Assert
    assert_eq!(money.format_scaled(scale), text);
}

#[rstest]
#[case::hong_kong_dollars(Money::hkd(690_000_000_000), "HK$6,900,000,000.00")]
#[case::negative_us_dollars(Money::from_cents(-1_230, Currency::Usd), "-US$12.30")]
#[case::renminbi_cents(Money::from_cents(5, Currency::Cny), "CN¥0.05")]
#[case::euros(Money::from_cents(100_000, Currency::Eur), "€1,000.00")]
#[case::zero(Money::zero(Currency::Hkd), "HK$0.00")]
#[case::the_smallest_amount(Money::hkd(i64::MIN), "-HK$92,233,720,368,547,758.08")]
fn displays_money_with_symbol_separators_and_cents(#[case] money: Money, #[case] text: &str) {
    assert_eq!(money.to_string(), text);
}

#[test]
fn adds_and_subtracts_amounts_in_one_currency() {
    // Arrange
    let a = Money::hkd(2_820_000_000_000);
    let b = Money::hkd(530_000_000_000);

    // Act / Assert
    assert_eq!(a.checked_add(b), Ok(Money::hkd(3_350_000_000_000)));
    assert_eq!(a.checked_sub(b), Ok(Money::hkd(2_290_000_000_000)));
}

#[test]
fn rejects_adding_amounts_in_different_currencies() {
    // Arrange
    let hkd = Money::hkd(100);
    let usd = Money::from_cents(100, Currency::Usd);

    // Act
    let res = hkd.checked_add(usd);

    // Assert
    assert_eq!(
        res,
        Err(VocabError::CurrencyMismatch {
            expected: Currency::Hkd,
            found: Currency::Usd
        })
    );
    assert_eq!(
        res.unwrap_err().to_string(),
        "currency mismatch: expected HKD, found USD"
    );
    assert!(hkd.checked_sub(usd).is_err());
}

#[rstest]
#[case::adding_past_the_top(
    Money::hkd(i64::MAX).checked_add(Money::hkd(1)),
    "amount overflow: 9223372036854775807 + 1 cents (HKD)"
)]
#[case::subtracting_past_the_bottom(
    Money::hkd(i64::MIN).checked_sub(Money::hkd(1)),
    "amount overflow: -9223372036854775808 - 1 cents (HKD)"
)]
fn rejects_arithmetic_that_overflows(
    #[case] res: Result<Money, VocabError>,
    #[case] message: &str,
) {
    assert_eq!(res.map_err(|err| err.to_string()), Err(message.to_owned()));
}

#[rstest]
#[case::a_dollar_at_7_8(100, "7.8", 780)]
#[case::one_cent_at_7_8_rounds_up(1, "7.8", 8)]
#[case::three_cents_at_7_8_round_down(3, "7.8", 23)]
#[case::minus_three_cents_at_7_8(-3, "7.8", -23)]
#[case::a_tie_rounds_down_to_even(10, "7.85", 78)]
#[case::a_tie_rounds_up_to_even(30, "7.85", 236)]
#[case::a_negative_tie_rounds_to_even(-10, "7.85", -78)]
#[case::another_negative_tie_rounds_to_even(-30, "7.85", -236)]
#[case::half_a_cent_rounds_to_zero(1, "0.5", 0)]
#[case::two_and_a_half_cents_round_to_two(5, "0.5", 2)]
#[case::one_and_a_half_cents_round_to_two(3, "0.5", 2)]
fn converts_us_dollars_to_hong_kong_dollars_rounding_half_to_even(
    #[case] usd_cents: i64,
    #[case] rate_text: &str,
    #[case] hkd_cents: i64,
) {
    // Arrange
    let usd = Money::from_cents(usd_cents, Currency::Usd);
    let rate = rate(Currency::Usd, Currency::Hkd, rate_text);

    // Act
    let res = usd.convert(&rate);

    // Assert
    assert_eq!(res, Ok(Money::hkd(hkd_cents)));
}

#[test]
fn rejects_converting_with_a_rate_from_another_currency() {
    // Arrange
    let hkd = Money::hkd(100);
    let rate = rate(Currency::Usd, Currency::Hkd, "7.8");

    // Act
    let res = hkd.convert(&rate);

    // Assert
    assert_eq!(
        res.map_err(|err| err.to_string()),
        Err("cannot convert an amount in HKD with a rate from USD to HKD".to_owned())
    );
}

#[test]
fn rejects_a_conversion_that_overflows() {
    // Arrange
    let usd = Money::from_cents(i64::MAX, Currency::Usd);
    let rate = rate(Currency::Usd, Currency::Hkd, "7.8");

    // Act
    let res = usd.convert(&rate);

    // Assert
    assert!(matches!(res, Err(VocabError::Overflow { .. })));
}

#[rstest]
#[case::four_decimals("7.8125", "7.8125", 7_812_500)]
#[case::trailing_zeros("7.80", "7.8", 7_800_000)]
#[case::six_decimals("0.128205", "0.128205", 128_205)]
#[case::a_whole_number(" 8 ", "8", 8_000_000)]
fn parses_an_exchange_rate(#[case] text: &str, #[case] rate_text: &str, #[case] micros: i64) {
    // Arrange / Act
    let rate =
        ExchangeRate::parse(Currency::Usd, Currency::Hkd, text, date!(2024 - 12 - 31)).unwrap();

    // Assert
    assert_eq!(rate.rate_text(), rate_text);
    assert_eq!(rate.micros(), micros);
    assert_eq!(rate.from(), Currency::Usd);
    assert_eq!(rate.to(), Currency::Hkd);
    assert_eq!(rate.as_of(), date!(2024 - 12 - 31));
}

#[rstest]
#[case::zero(
    Currency::Usd,
    "0",
    "invalid exchange rate \"0\": must be greater than zero"
)]
#[case::negative(
    Currency::Usd,
    "-7.8",
    "invalid exchange rate \"-7.8\": must be greater than zero"
)]
#[case::seven_decimals(
    Currency::Usd,
    "7.8125001",
    "invalid exchange rate \"7.8125001\": more than 6 decimal places"
)]
#[case::empty(Currency::Usd, "", "invalid exchange rate \"\": empty")]
#[case::letters(
    Currency::Usd,
    "abc",
    "invalid exchange rate \"abc\": unexpected character 'a'"
)]
#[case::a_rate_to_itself_other_than_one(
    Currency::Hkd,
    "7.8",
    "invalid exchange rate \"7.8\": a rate from HKD to HKD must be 1"
)]
fn rejects_an_exchange_rate_that_is_not_a_positive_decimal(
    #[case] from: Currency,
    #[case] text: &str,
    #[case] message: &str,
) {
    // Arrange / Act
    let res = ExchangeRate::parse(from, Currency::Hkd, text, date!(2024 - 12 - 31));

    // Assert
    assert_eq!(res.map_err(|err| err.to_string()), Err(message.to_owned()));
}

#[test]
fn accepts_a_rate_of_one_from_a_currency_to_itself() {
    // Arrange / Act
    let rate = ExchangeRate::parse(Currency::Hkd, Currency::Hkd, "1.00", date!(2024 - 1 - 1));

    // Assert
    assert_eq!(rate.map(|rate| rate.rate_text()), Ok("1".to_owned()));
}

#[rstest]
#[case::hkd("HKD", Currency::Hkd, "HK$")]
#[case::lowercase_cny("cny", Currency::Cny, "CN¥")]
#[case::usd(" USD ", Currency::Usd, "US$")]
#[case::eur("EUR", Currency::Eur, "€")]
fn parses_a_currency_code(#[case] text: &str, #[case] currency: Currency, #[case] symbol: &str) {
    // Arrange / Act
    let res = Currency::parse(text);

    // Assert
    assert_eq!(res, Ok(currency));
    assert_eq!(currency.symbol(), symbol);
    assert_eq!(currency.code(), text.trim().to_uppercase());
}

#[test]
fn rejects_an_unknown_currency_listing_the_known_ones() {
    assert_eq!(
        Currency::parse("JPY").map_err(|err| err.to_string()),
        Err("unknown currency \"JPY\": expected one of HKD, CNY, USD, EUR".to_owned())
    );
}

#[test]
fn defaults_to_hong_kong_dollars() {
    assert_eq!(Currency::default(), Currency::Hkd);
}

#[rstest]
#[case::unit("unit", Scale::Unit, 1)]
#[case::thousand("thousand", Scale::Thousand, 1_000)]
#[case::million("million", Scale::Million, 1_000_000)]
#[case::billion("Billion", Scale::Billion, 1_000_000_000)]
fn parses_a_scale_code(#[case] text: &str, #[case] scale: Scale, #[case] multiplier: i64) {
    assert_eq!(Scale::parse(text), Ok(scale));
    assert_eq!(scale.code(), text.to_lowercase());
    assert_eq!(scale.multiplier(), multiplier);
}

#[test]
fn serializes_money_as_cents_and_a_currency_code() {
    // Arrange
    let money = Money::hkd(12_345);

    // Act
    let json = serde_json::to_string(&money).unwrap();

    // Assert
    assert_eq!(json, r#"{"cents":12345,"currency":"HKD"}"#);
    assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), money);
}

#[test]
fn rejects_money_with_an_unknown_currency_in_json() {
    let res = serde_json::from_str::<Money>(r#"{"cents":1,"currency":"JPY"}"#);
    assert!(res
        .unwrap_err()
        .to_string()
        .contains("unknown currency \"JPY\""));
}

#[test]
fn orders_money_by_currency_then_amount() {
    // Arrange
    let mut amounts = vec![
        Money::from_cents(1, Currency::Usd),
        Money::hkd(5),
        Money::hkd(-5),
    ];

    // Act
    amounts.sort();

    // Assert
    assert_eq!(
        amounts,
        vec![
            Money::hkd(-5),
            Money::hkd(5),
            Money::from_cents(1, Currency::Usd)
        ]
    );
}

fn any_scale() -> impl Strategy<Value = Scale> {
    proptest::sample::select(Scale::ALL.to_vec())
}

proptest! {
    #[test]
    fn hong_kong_dollars_round_trip_through_display(cents: i64) {
        let money = Money::hkd(cents);
        prop_assert_eq!(Money::parse_amount(&money.to_string(), Currency::Hkd), Ok(money));
    }

    #[test]
    fn a_scaled_figure_round_trips_through_format_scaled(cents: i64, scale in any_scale()) {
        let money = Money::hkd(cents);
        let text = money.format_scaled(scale);
        prop_assert_eq!(Money::parse_scaled(&text, scale, Currency::Hkd), Ok(money));
    }

    #[test]
    fn converting_at_a_rate_of_one_keeps_the_amount(cents: i64) {
        let money = Money::from_cents(cents, Currency::Usd);
        let rate = ExchangeRate::parse(Currency::Usd, Currency::Hkd, "1", time::macros::date!(2024 - 1 - 1)).unwrap();
        prop_assert_eq!(money.convert(&rate), Ok(Money::hkd(cents)));
    }
}
