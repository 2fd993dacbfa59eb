//! Typed ids: display, parsing and serde.

use rstest::rstest;
use vocab::{OrgId, ProjectId, UserId, VocabError};

#[rstest]
#[case::a_plain_number("42", 42)]
#[case::a_negative_number("-7", -7)]
#[case::surrounding_whitespace(" 9 ", 9)]
#[case::the_largest_id("9223372036854775807", i64::MAX)]
fn parses_an_id(#[case] text: &str, #[case] expected: i64) {
    // Arrange / Act
    let res: Result<UserId, VocabError> = text.parse();

    // Assert
    assert_eq!(res, Ok(UserId::new(expected)));
}

#[rstest]
#[case::empty("", "invalid user id \"\": empty")]
#[case::letters("abc", "invalid user id \"abc\": not a whole number")]
#[case::a_decimal("1.5", "invalid user id \"1.5\": not a whole number")]
#[case::a_lone_sign("-", "invalid user id \"-\": not a whole number")]
#[case::too_large(
    "9223372036854775808",
    "invalid user id \"9223372036854775808\": out of range for a 64-bit id"
)]
fn rejects_an_id_that_is_not_a_whole_number(#[case] text: &str, #[case] message: &str) {
    // Arrange / Act
    let res = text.parse::<UserId>();

    // Assert
    assert_eq!(res.map_err(|err| err.to_string()), Err(message.to_owned()));
}

#[test]
fn displays_an_id_as_just_the_number() {
    // Arrange
    let id = ProjectId::new(1234);

    // Act / Assert
    assert_eq!(id.to_string(), "1234");
    assert_eq!(id.get(), 1234);
}

#[test]
fn serializes_an_id_as_a_bare_number() {
    // Arrange
    let id = OrgId::new(17);

    // Act
    let json = serde_json::to_string(&id).unwrap();

    // Assert
    assert_eq!(json, "17");
    assert_eq!(serde_json::from_str::<OrgId>(&json).unwrap(), id);
}

proptest::proptest! {
    #[test]
    fn an_id_round_trips_through_its_text(raw: i64) {
        let id = UserId::new(raw);
        proptest::prop_assert_eq!(id.to_string().parse::<UserId>(), Ok(id));
    }
}
