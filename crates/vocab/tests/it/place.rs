//! Places: coordinates, levels, country codes, place codes and the place hierarchy rules.

use rstest::rstest;
use vocab::{Coordinates, CountryCode, Place, PlaceCode, PlaceLevel, VocabError};

#[track_caller]
fn place_code(text: &str) -> PlaceCode {
    PlaceCode::parse(text).unwrap()
}

#[track_caller]
fn country(text: &str) -> CountryCode {
    CountryCode::parse(text).unwrap()
}

#[rstest]
#[case::hong_kong(22.3193, 114.1694)]
#[case::the_poles_and_the_date_line(-90.0, 180.0)]
#[case::null_island(0.0, -180.0)]
fn accepts_coordinates_on_the_globe(#[case] lat: f64, #[case] lon: f64) {
    // Arrange / Act
    let coordinates = Coordinates::parse(lat, lon).unwrap();

    // Assert
    assert_eq!((coordinates.lat(), coordinates.lon()), (lat, lon));
}

#[rstest]
#[case::latitude_too_far_north(
    90.5,
    0.0,
    "invalid coordinates (90.5, 0): latitude outside -90..=90"
)]
#[case::longitude_too_far_west(
    0.0,
    -181.0,
    "invalid coordinates (0, -181): longitude outside -180..=180"
)]
#[case::not_a_number(f64::NAN, 0.0, "invalid coordinates (NaN, 0): not a finite number")]
#[case::infinite(
    0.0,
    f64::INFINITY,
    "invalid coordinates (0, inf): not a finite number"
)]
fn rejects_coordinates_off_the_globe(#[case] lat: f64, #[case] lon: f64, #[case] message: &str) {
    assert_eq!(
        Coordinates::parse(lat, lon).map_err(|err| err.to_string()),
        Err(message.to_owned())
    );
}

#[test]
fn rejects_out_of_range_coordinates_in_json() {
    let res = serde_json::from_str::<Coordinates>(r#"{"lat":91.0,"lon":0.0}"#);
    assert!(res.is_err());
}

#[rstest]
#[case::lowercase("hk", "HK")]
#[case::uppercase("CN", "CN")]
#[case::whitespace(" vn ", "VN")]
#[case::macao("mo", "MO")]
fn parses_a_country_code(#[case] text: &str, #[case] code: &str) {
    assert_eq!(
        CountryCode::parse(text).map(|c| c.as_str().to_owned()),
        Ok(code.to_owned())
    );
}

#[rstest]
#[case::three_letters("HKG", "invalid country code \"HKG\": not two letters")]
#[case::digits("12", "invalid country code \"12\": not two letters")]
#[case::empty("", "invalid country code \"\": not two letters")]
#[case::unassigned(
    "XX",
    "invalid country code \"XX\": not an assigned ISO 3166-1 alpha-2 code"
)]
fn rejects_a_country_code_that_is_not_iso_3166(#[case] text: &str, #[case] message: &str) {
    assert_eq!(
        CountryCode::parse(text).map_err(|err| err.to_string()),
        Err(message.to_owned())
    );
}

#[rstest]
#[case::a_city("cn-gd-shenzhen", "cn-gd-shenzhen")]
#[case::uppercase_is_lowered("CN-GD-Dongguan", "cn-gd-dongguan")]
#[case::dots_and_digits("hk.tko-ip.2", "hk.tko-ip.2")]
#[case::one_character("x", "x")]
fn parses_a_place_code(#[case] text: &str, #[case] code: &str) {
    // Arrange / Act
    let res = PlaceCode::parse(text);

    // Assert
    assert_eq!(res.as_ref().map(AsRef::as_ref), Ok(code));
}

#[rstest]
#[case::empty("", "invalid place code \"\": empty")]
#[case::a_space(
    "cn gd",
    "invalid place code \"cn gd\": unexpected character ' ' (allowed: a-z, 0-9, '-', '.')"
)]
#[case::an_underscore(
    "cn_gd",
    "invalid place code \"cn_gd\": unexpected character '_' (allowed: a-z, 0-9, '-', '.')"
)]
#[case::chinese(
    "深圳",
    "invalid place code \"深圳\": unexpected character '深' (allowed: a-z, 0-9, '-', '.')"
)]
fn rejects_a_place_code_that_is_not_a_slug(#[case] text: &str, #[case] message: &str) {
    assert_eq!(
        PlaceCode::parse(text).map_err(|err| err.to_string()),
        Err(message.to_owned())
    );
}

#[test]
fn rejects_a_place_code_longer_than_64_characters() {
    // Arrange
    let text = "a".repeat(65);

    // Act
    let res = PlaceCode::parse(&text);

    // Assert
    assert!(matches!(res, Err(VocabError::InvalidPlaceCode { .. })));
    assert!(PlaceCode::parse(&"a".repeat(64)).is_ok());
}

#[rstest]
#[case::country("country", PlaceLevel::Country)]
#[case::region("region", PlaceLevel::Region)]
#[case::city("city", PlaceLevel::City)]
#[case::site("SITE", PlaceLevel::Site)]
fn parses_a_place_level(#[case] text: &str, #[case] level: PlaceLevel) {
    assert_eq!(PlaceLevel::parse(text), Ok(level));
    assert_eq!(level.code(), text.to_lowercase());
}

#[test]
fn builds_a_city_under_its_region() {
    // Arrange
    let coordinates = Coordinates::parse(22.5431, 114.0579).unwrap();

    // Act
    let place = Place::new(
        place_code("cn-gd-shenzhen"),
        PlaceLevel::City,
        country("CN"),
        Some(place_code("cn-gd")),
        Some(coordinates),
    )
    .unwrap();

    // Assert
    assert_eq!(place.code().as_str(), "cn-gd-shenzhen");
    assert_eq!(place.level(), PlaceLevel::City);
    assert_eq!(place.country().as_str(), "CN");
    assert_eq!(place.parent().map(PlaceCode::as_str), Some("cn-gd"));
    assert_eq!(place.coordinates(), Some(coordinates));
}

#[rstest]
#[case::a_country_with_a_parent(
    "hk",
    PlaceLevel::Country,
    Some("asia"),
    "invalid place \"hk\": a country has no parent"
)]
#[case::its_own_parent(
    "cn-gd",
    PlaceLevel::Region,
    Some("cn-gd"),
    "invalid place \"cn-gd\": a place cannot be its own parent"
)]
fn rejects_a_place_with_an_impossible_parent(
    #[case] code: &str,
    #[case] level: PlaceLevel,
    #[case] parent: Option<&str>,
    #[case] message: &str,
) {
    // Arrange / Act
    let res = Place::new(
        place_code(code),
        level,
        country("HK"),
        parent.map(place_code),
        None,
    );

    // Assert
    assert_eq!(res.map_err(|err| err.to_string()), Err(message.to_owned()));
}

#[test]
fn serializes_codes_as_strings() {
    assert_eq!(serde_json::to_string(&country("hk")).unwrap(), r#""HK""#);
    assert_eq!(
        serde_json::to_string(&place_code("cn-gd")).unwrap(),
        r#""cn-gd""#
    );
    assert!(serde_json::from_str::<PlaceCode>(r#""CN GD""#).is_err());
    assert_eq!(
        serde_json::from_str::<CountryCode>(r#""mo""#).unwrap(),
        country("MO")
    );
}
