//! Provenance: the three forms, their round trip and the error for anything else.

use proptest::prelude::*;
use rstest::rstest;
use vocab::Provenance;

#[rstest]
#[case::published(
    "published: HKGCC study 2025, table 3",
    "published",
    Some("HKGCC study 2025, table 3"),
    "published: HKGCC study 2025, table 3"
)]
#[case::published_in_capitals_without_a_space(
    "PUBLISHED:Census and Statistics Department",
    "published",
    Some("Census and Statistics Department"),
    "published: Census and Statistics Department"
)]
#[case::published_with_a_colon_in_the_document(
    "published: Table 2: value added",
    "published",
    Some("Table 2: value added"),
    "published: Table 2: value added"
)]
#[case::indicative("indicative", "indicative", None, "indicative")]
#[case::indicative_with_whitespace_and_case(" Indicative ", "indicative", None, "indicative")]
#[case::synthetic("synthetic", "synthetic", None, "synthetic")]
fn parses_a_provenance(
    #[case] text: &str,
    #[case] kind: &str,
    #[case] document: Option<&str>,
    #[case] shown: &str,
) {
    // Arrange / Act
    let provenance = Provenance::parse(text).unwrap();

    // Assert
    assert_eq!(provenance.kind(), kind);
    assert_eq!(provenance.document(), document);
    assert_eq!(provenance.to_string(), shown);
}

#[rstest]
#[case::empty("")]
#[case::published_without_a_document("published:")]
#[case::published_with_a_blank_document("published:   ")]
#[case::published_without_a_colon("published")]
#[case::indicative_with_a_document("indicative: guess")]
#[case::an_unknown_word("estimated")]
fn rejects_a_provenance_that_is_none_of_the_three_forms(#[case] text: &str) {
    // Arrange / Act
    let res = Provenance::parse(text);

    // Assert
    assert_eq!(
        res.map_err(|err| err.to_string()),
        Err(format!(
            "invalid provenance {text:?}: expected \"published: <document>\", \"indicative\" or \"synthetic\""
        ))
    );
}

#[test]
fn builds_a_published_provenance_from_a_document() {
    assert_eq!(
        Provenance::published(" HKTDC news, 2024 "),
        Provenance::parse("published: HKTDC news, 2024")
    );
    assert!(Provenance::published(" ").is_err());
}

#[test]
fn serializes_a_provenance_as_its_text() {
    // Arrange
    let provenance = Provenance::parse("published: study").unwrap();

    // Act
    let json = serde_json::to_string(&provenance).unwrap();

    // Assert
    assert_eq!(json, r#""published: study""#);
    assert_eq!(
        serde_json::from_str::<Provenance>(&json).unwrap(),
        provenance
    );
}

fn any_provenance() -> impl Strategy<Value = Provenance> {
    prop_oneof![
        Just(Provenance::Indicative),
        Just(Provenance::Synthetic),
        "\\PC{1,40}".prop_filter_map("blank document", |document| {
            Provenance::published(&document).ok()
        }),
    ]
}

proptest! {
    #[test]
    fn a_provenance_round_trips_through_display(provenance in any_provenance()) {
        prop_assert_eq!(Provenance::parse(&provenance.to_string()), Ok(provenance));
    }
}
