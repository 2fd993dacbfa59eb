//! Parsing raw profile input: good input round-trips, bad input names the field.

use directory::{DirectoryError, Kind, Profile, ProfileInput, Service, Stage};
use rstest::rstest;

fn provider_input() -> ProfileInput {
    ProfileInput {
        kind: "provider".to_owned(),
        name_en: "Chongqing Precision Testing Lab".to_owned(),
        name_zh: "重慶精密檢測實驗室".to_owned(),
        description_en: "Tests EV batteries.".to_owned(),
        description_zh: "電動車電池檢測。".to_owned(),
        sectors: vec!["ev_batteries".to_owned()],
        services: vec!["testing_certification".to_owned(), "rnd".to_owned()],
        regions: vec!["chongqing".to_owned(), "hk".to_owned()],
        languages: vec!["cmn".to_owned()],
        size: Some("small".to_owned()),
        certifications: vec!["ISO/IEC 17025".to_owned()],
        verified: true,
        provenance: "synthetic".to_owned(),
        ..ProfileInput::default()
    }
}

fn investor_input() -> ProfileInput {
    ProfileInput {
        kind: "investor".to_owned(),
        name_en: "Harbour EV Capital".to_owned(),
        name_zh: "海港新能源資本".to_owned(),
        description_en: "EV investor.".to_owned(),
        description_zh: "新能源投資者。".to_owned(),
        sectors: vec!["ev".to_owned()],
        regions: vec!["hk".to_owned(), "chongqing".to_owned()],
        stages: vec!["pilot".to_owned(), "scale_up".to_owned()],
        ticket_min: Some("50,000,000".to_owned()),
        ticket_max: Some("200,000,000".to_owned()),
        provenance: "indicative".to_owned(),
        ..ProfileInput::default()
    }
}

#[track_caller]
fn check_rejects(input: ProfileInput, field: &str, reason_contains: &str) {
    match Profile::try_from(input) {
        Err(DirectoryError::Invalid { field: got, reason }) => {
            assert_eq!(got, field, "reason: {reason}");
            assert!(reason.contains(reason_contains), "{got}: {reason}");
        }
        other => panic!("expected an invalid {field}, got {other:?}"),
    }
}

#[test]
fn parses_a_provider() {
    // Arrange / Act
    let profile = Profile::try_from(provider_input()).expect("valid");

    // Assert
    assert_eq!(profile.kind(), Kind::Provider);
    assert_eq!(
        profile.services(),
        [Service::TestingCertification, Service::Rnd]
    );
    assert_eq!(profile.certifications(), ["ISO/IEC 17025"]);
    assert_eq!(profile.name().zh(), "重慶精密檢測實驗室");
}

#[test]
fn parses_an_investor_ticket_in_hkd_cents() {
    // Arrange / Act
    let profile = Profile::try_from(investor_input()).expect("valid");

    // Assert
    let ticket = profile.ticket().expect("an investor has a ticket");
    assert_eq!(ticket.min().cents(), 5_000_000_000);
    assert_eq!(ticket.max().cents(), 20_000_000_000);
    assert_eq!(profile.stages(), [Stage::Pilot, Stage::ScaleUp]);
}

#[test]
fn a_profile_round_trips_through_json() {
    // Arrange
    let profile = Profile::try_from(investor_input()).expect("valid");

    // Act
    let json = serde_json::to_string(&profile).expect("serializes");
    let back: Profile = serde_json::from_str(&json).expect("deserializes");

    // Assert
    assert_eq!(back, profile);
}

#[test]
fn json_with_a_bad_code_does_not_deserialize() {
    // Arrange
    let mut input = provider_input();
    input.services[0] = "testng".to_owned();
    let json = serde_json::to_string(&input).expect("serializes");

    // Act
    let res = serde_json::from_str::<Profile>(&json);

    // Assert
    let message = res.expect_err("a bad service").to_string();
    assert!(message.contains("services[0]"), "{message}");
}

#[test]
fn an_unknown_service_names_its_position_and_the_codes() {
    // Arrange
    let mut input = provider_input();
    input.services.push("testng".to_owned());

    // Act
    let err = Profile::try_from(input).expect_err("a bad service");

    // Assert
    assert!(
        err.to_string().starts_with(
            r#"services[2]: "testng" is not a service (expected one of finance, insurance,"#
        ),
        "{err}"
    );
    assert!(err.is_user_error());
    assert_eq!(err.code(), "invalid_input");
}

#[rstest]
#[case::unknown_kind(|i: &mut ProfileInput| i.kind = "factory".to_owned(), "kind", "is not a kind")]
#[case::empty_chinese_name(|i: &mut ProfileInput| i.name_zh = " ".to_owned(), "name_zh", "must not be empty")]
#[case::empty_english_description(|i: &mut ProfileInput| i.description_en.clear(), "description_en", "must not be empty")]
#[case::unknown_region(|i: &mut ProfileInput| i.regions[1] = "hongkong".to_owned(), "regions[1]", "is not a region")]
#[case::region_twice(|i: &mut ProfileInput| i.regions[1] = "Chongqing".to_owned(), "regions[1]", "listed twice")]
#[case::unknown_sector(|i: &mut ProfileInput| i.sectors[0] = "cars".to_owned(), "sectors[0]", "is not a sector")]
#[case::unknown_language(|i: &mut ProfileInput| i.languages[0] = "fr".to_owned(), "languages[0]", "is not a language")]
#[case::unknown_size(|i: &mut ProfileInput| i.size = Some("huge".to_owned()), "size", "is not a size band")]
#[case::empty_certification(|i: &mut ProfileInput| i.certifications.push(String::new()), "certifications[1]", "must not be empty")]
#[case::bad_provenance(|i: &mut ProfileInput| i.provenance = "made up".to_owned(), "provenance", "invalid provenance")]
#[case::ticket_on_a_provider(|i: &mut ProfileInput| i.ticket_min = Some("1".to_owned()), "ticket_min", "only investors")]
#[case::stage_on_a_provider(|i: &mut ProfileInput| i.stage = Some("pilot".to_owned()), "stage", "only pilot projects")]
fn rejects_bad_provider_input(
    #[case] spoil: fn(&mut ProfileInput),
    #[case] field: &str,
    #[case] reason: &str,
) {
    let mut input = provider_input();
    spoil(&mut input);
    check_rejects(input, field, reason);
}

#[rstest]
#[case::ticket_upside_down(|i: &mut ProfileInput| i.ticket_max = Some("1,000".to_owned()), "ticket_max", "less than the ticket minimum")]
#[case::ticket_not_a_number(|i: &mut ProfileInput| i.ticket_min = Some("fifty million".to_owned()), "ticket_min", "invalid amount")]
#[case::ticket_missing(|i: &mut ProfileInput| i.ticket_max = None, "ticket_max", "is required")]
#[case::zero_ticket(|i: &mut ProfileInput| i.ticket_min = Some("0".to_owned()), "ticket_min", "more than zero")]
#[case::no_stages(|i: &mut ProfileInput| i.stages.clear(), "stages", "at least one stage")]
#[case::unknown_stage(|i: &mut ProfileInput| i.stages[1] = "series_a".to_owned(), "stages[1]", "is not a stage")]
fn rejects_bad_investor_input(
    #[case] spoil: fn(&mut ProfileInput),
    #[case] field: &str,
    #[case] reason: &str,
) {
    let mut input = investor_input();
    spoil(&mut input);
    check_rejects(input, field, reason);
}

#[test]
fn a_pilot_project_has_exactly_one_sector() {
    // Arrange
    let input = ProfileInput {
        kind: "project".to_owned(),
        name_en: "Chongqing EV Pilot Line".to_owned(),
        name_zh: "重慶新能源汽車中試線".to_owned(),
        description_en: "A pilot line.".to_owned(),
        description_zh: "中試線。".to_owned(),
        sectors: vec!["ev".to_owned(), "ev_batteries".to_owned()],
        regions: vec!["chongqing".to_owned()],
        stage: Some("pilot".to_owned()),
        funding_sought: Some("120,000,000".to_owned()),
        provenance: "synthetic".to_owned(),
        ..ProfileInput::default()
    };

    // Act / Assert
    check_rejects(input, "sectors", "exactly one sector");
}
