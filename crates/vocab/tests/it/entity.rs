//! Entities and their small values: roles, kinds, stages, emails, names, bilingual text, years,
//! organisations, projects and sites.

use rstest::rstest;
use vocab::{
    BilingualText, Coordinates, CountryCode, Currency, DisplayName, EmailAddress,
    ManufacturingSector, Money, OrgId, OrgKind, Organisation, Place, PlaceCode, PlaceLevel,
    Project, ProjectParts, ProjectStage, Role, Site, Visibility, Year,
};

#[track_caller]
fn text(en: &str, zh: &str) -> BilingualText {
    BilingualText::new(en, zh).unwrap()
}

fn parts(stage: ProjectStage) -> ProjectParts {
    ProjectParts {
        title: text("EV assembly line", "電動車裝配線"),
        stage,
        sector: Some(ManufacturingSector::parse("C36").unwrap()),
        place: Some(PlaceCode::parse("hk-tko-ip").unwrap()),
        pledged: Some(Money::hkd(50_000_000_000)),
        realised: None,
        jobs_pledged: Some(300),
        jobs_realised: None,
        visibility: Visibility::Public,
        programme: None,
        announced: None,
        output_pledged: None,
        output_realised: None,
    }
}

#[rstest]
#[case::enterprise("enterprise", Role::Enterprise)]
#[case::investor("investor", Role::Investor)]
#[case::provider("provider", Role::Provider)]
#[case::officer("officer", Role::Officer)]
#[case::analyst("analyst", Role::Analyst)]
#[case::admin("admin", Role::Admin)]
fn parses_a_role(#[case] code: &str, #[case] role: Role) {
    assert_eq!(Role::parse(code), Ok(role));
    assert_eq!(role.code(), code);
}

#[rstest]
#[case::enterprise("enterprise", OrgKind::Enterprise)]
#[case::investor("investor", OrgKind::Investor)]
#[case::service_provider("service_provider", OrgKind::ServiceProvider)]
#[case::site_operator("site_operator", OrgKind::SiteOperator)]
#[case::government("government", OrgKind::Government)]
#[case::research("research", OrgKind::Research)]
fn parses_an_organisation_kind(#[case] code: &str, #[case] kind: OrgKind) {
    assert_eq!(OrgKind::parse(code), Ok(kind));
    assert_eq!(kind.code(), code);
}

#[rstest]
#[case::lead("lead", ProjectStage::Lead, Some(ProjectStage::InTalks))]
#[case::in_talks("in_talks", ProjectStage::InTalks, Some(ProjectStage::Pledged))]
#[case::pledged("pledged", ProjectStage::Pledged, Some(ProjectStage::Landed))]
#[case::landed("landed", ProjectStage::Landed, Some(ProjectStage::Operating))]
#[case::operating("operating", ProjectStage::Operating, None)]
fn parses_a_stage_and_knows_the_next(
    #[case] code: &str,
    #[case] stage: ProjectStage,
    #[case] next: Option<ProjectStage>,
) {
    assert_eq!(ProjectStage::parse(code), Ok(stage));
    assert_eq!(stage.code(), code);
    assert_eq!(stage.next(), next);
}

#[rstest]
#[case::private("private", Visibility::Private)]
#[case::public("public", Visibility::Public)]
fn parses_a_visibility(#[case] code: &str, #[case] visibility: Visibility) {
    assert_eq!(Visibility::parse(code), Ok(visibility));
    assert_eq!(visibility.code(), code);
}

#[test]
fn rejects_an_unknown_stage_listing_the_stages() {
    assert_eq!(
        ProjectStage::parse("signed").map_err(|err| err.to_string()),
        Err("unknown project stage \"signed\": expected one of lead, in_talks, pledged, landed, operating".to_owned())
    );
}

#[test]
fn serializes_a_role_as_its_code() {
    assert_eq!(
        serde_json::to_string(&Role::Officer).unwrap(),
        r#""officer""#
    );
    assert_eq!(
        serde_json::from_str::<ProjectStage>(r#""in_talks""#).unwrap(),
        ProjectStage::InTalks
    );
}

#[rstest]
#[case::plain("chan@example.com", "chan@example.com")]
#[case::trimmed_and_lowercased(" Chan.TaiMan@Example.COM.hk ", "chan.taiman@example.com.hk")]
#[case::plus_addressing("a+b@x.io", "a+b@x.io")]
fn parses_an_email_address(#[case] input: &str, #[case] address: &str) {
    assert_eq!(
        EmailAddress::parse(input).map(|email| email.as_str().to_owned()),
        Ok(address.to_owned())
    );
}

#[rstest]
#[case::empty("", "invalid email address \"\": empty")]
#[case::no_at(
    "chan.example.com",
    "invalid email address \"chan.example.com\": no '@'"
)]
#[case::two_ats("a@b@c.com", "invalid email address \"a@b@c.com\": more than one '@'")]
#[case::no_local_part(
    "@example.com",
    "invalid email address \"@example.com\": nothing before the '@'"
)]
#[case::an_undotted_domain(
    "chan@localhost",
    "invalid email address \"chan@localhost\": the domain is not a dotted name like example.com"
)]
#[case::an_empty_domain_label(
    "chan@example..com",
    "invalid email address \"chan@example..com\": the domain is not a dotted name like example.com"
)]
#[case::a_space(
    "chan tai@example.com",
    "invalid email address \"chan tai@example.com\": contains whitespace or control characters"
)]
fn rejects_an_email_address_that_cannot_be_delivered(#[case] input: &str, #[case] message: &str) {
    assert_eq!(
        EmailAddress::parse(input).map_err(|err| err.to_string()),
        Err(message.to_owned())
    );
}

#[test]
fn rejects_an_email_address_longer_than_254_characters() {
    // Arrange
    let long = format!("{}@example.com", "a".repeat(243));

    // Act / Assert
    assert!(EmailAddress::parse(&long).is_err());
    assert!(EmailAddress::parse(&long[1..]).is_ok());
}

#[rstest]
#[case::english(" Chan Tai Man ", Ok("Chan Tai Man"))]
#[case::chinese("陳大文", Ok("陳大文"))]
#[case::empty("  ", Err("invalid display name \"  \": empty"))]
#[case::a_newline(
    "Chan\nTai",
    Err("invalid display name \"Chan\\nTai\": contains control characters")
)]
fn parses_a_display_name(#[case] input: &str, #[case] expected: Result<&str, &str>) {
    assert_eq!(
        DisplayName::parse(input)
            .map(|name| name.as_str().to_owned())
            .map_err(|err| err.to_string()),
        expected.map(str::to_owned).map_err(str::to_owned)
    );
}

#[test]
fn rejects_a_display_name_longer_than_120_characters() {
    assert!(DisplayName::parse(&"名".repeat(121)).is_err());
    assert!(DisplayName::parse(&"名".repeat(120)).is_ok());
}

#[test]
fn gives_bilingual_text_in_the_asked_language() {
    // Arrange
    let name = text(" Manufacturing ", " 製造業 ");

    // Act / Assert
    assert_eq!(name.en(), "Manufacturing");
    assert_eq!(name.zh(), "製造業");
    assert_eq!(name.get(true), "製造業");
    assert_eq!(name.get(false), "Manufacturing");
}

#[rstest]
#[case::no_english(
    " ",
    "製造業",
    "invalid bilingual text (en \" \", zh \"製造業\"): the English text is empty"
)]
#[case::no_chinese(
    "Manufacturing",
    "",
    "invalid bilingual text (en \"Manufacturing\", zh \"\"): the Chinese text is empty"
)]
#[case::neither(
    "",
    "",
    "invalid bilingual text (en \"\", zh \"\"): both texts are empty"
)]
fn rejects_bilingual_text_missing_a_language(
    #[case] en: &str,
    #[case] zh: &str,
    #[case] message: &str,
) {
    assert_eq!(
        BilingualText::new(en, zh).map_err(|err| err.to_string()),
        Err(message.to_owned())
    );
}

#[rstest]
#[case::the_study_year("2023", Ok(2023))]
#[case::the_first_year("1900", Ok(1900))]
#[case::the_last_year(" 2100 ", Ok(2100))]
#[case::too_early("1899", Err("invalid year \"1899\": outside 1900..=2100"))]
#[case::too_late("2101", Err("invalid year \"2101\": outside 1900..=2100"))]
#[case::far_too_late("99999", Err("invalid year \"99999\": outside 1900..=2100"))]
#[case::not_a_number("FY23", Err("invalid year \"FY23\": not a whole number"))]
#[case::negative("-2023", Err("invalid year \"-2023\": not a whole number"))]
fn parses_a_year(#[case] input: &str, #[case] expected: Result<i16, &str>) {
    assert_eq!(
        Year::parse(input)
            .map(Year::get)
            .map_err(|err| err.to_string()),
        expected.map_err(str::to_owned)
    );
}

#[test]
fn builds_an_organisation() {
    // Arrange / Act
    let org = Organisation::new(
        OrgId::new(1),
        OrgKind::ServiceProvider,
        text("Lab", "實驗所"),
    );

    // Assert
    assert_eq!(org.id(), OrgId::new(1));
    assert_eq!(org.kind(), OrgKind::ServiceProvider);
    assert_eq!(org.name().zh(), "實驗所");
}

#[test]
fn builds_a_landed_project_with_realised_jobs() {
    // Arrange
    let mut parts = parts(ProjectStage::Landed);
    parts.realised = Some(Money::hkd(20_000_000_000));
    parts.jobs_realised = Some(120);

    // Act
    let project = Project::new(parts.clone()).unwrap();

    // Assert
    assert_eq!(project.stage(), ProjectStage::Landed);
    assert_eq!(project.sector().map(ManufacturingSector::code), Some("C36"));
    assert_eq!(project.place().map(PlaceCode::as_str), Some("hk-tko-ip"));
    assert_eq!(project.pledged(), Some(Money::hkd(50_000_000_000)));
    assert_eq!(project.realised(), Some(Money::hkd(20_000_000_000)));
    assert_eq!(project.jobs_pledged(), Some(300));
    assert_eq!(project.jobs_realised(), Some(120));
    assert_eq!(project.visibility(), Visibility::Public);
    assert_eq!(project.title().en(), "EV assembly line");
    assert_eq!(project.into_parts(), parts);
}

#[rstest]
#[case::realised_jobs_before_landing(
    ProjectParts { jobs_realised: Some(5), ..parts(ProjectStage::Pledged) },
    "invalid project: realised investment, jobs or output at stage pledged, before the project has landed"
)]
#[case::realised_money_before_landing(
    ProjectParts { realised: Some(Money::hkd(1)), ..parts(ProjectStage::InTalks) },
    "invalid project: realised investment, jobs or output at stage in_talks, before the project has landed"
)]
#[case::a_negative_pledge(
    ProjectParts { pledged: Some(Money::hkd(-100)), ..parts(ProjectStage::Pledged) },
    "invalid project: the pledged amount -HK$1.00 is negative"
)]
#[case::mixed_currencies(
    ProjectParts {
        realised: Some(Money::from_cents(100, Currency::Usd)),
        ..parts(ProjectStage::Operating)
    },
    "invalid project: the pledged amount is in HKD but the realised amount is in USD"
)]
#[case::realised_output_before_landing(
    ProjectParts { output_realised: Some(Money::hkd(1)), ..parts(ProjectStage::Pledged) },
    "invalid project: realised investment, jobs or output at stage pledged, before the project has landed"
)]
#[case::output_in_another_currency(
    ProjectParts {
        output_pledged: Some(Money::from_cents(100, Currency::Usd)),
        ..parts(ProjectStage::Pledged)
    },
    "invalid project: the pledged amount is in HKD but the pledged output is in USD"
)]
#[case::negative_output(
    ProjectParts { output_pledged: Some(Money::hkd(-1)), ..parts(ProjectStage::Pledged) },
    "invalid project: the pledged output amount -HK$0.01 is negative"
)]
fn rejects_a_project_whose_fields_contradict_each_other(
    #[case] parts: ProjectParts,
    #[case] message: &str,
) {
    assert_eq!(
        Project::new(parts).map_err(|err| err.to_string()),
        Err(message.to_owned())
    );
}

#[track_caller]
fn place(code: &str, level: PlaceLevel) -> Place {
    Place::new(
        PlaceCode::parse(code).unwrap(),
        level,
        CountryCode::parse("HK").unwrap(),
        Some(PlaceCode::parse("hk").unwrap()),
        Some(Coordinates::parse(22.29, 114.27).unwrap()),
    )
    .unwrap()
}

#[test]
fn builds_a_site_from_a_site_level_place() {
    // Arrange / Act
    let site = Site::new(
        place("hk-tko-ip", PlaceLevel::Site),
        text("Tseung Kwan O Industrial Estate", "將軍澳工業邨"),
        Some(75_000),
    )
    .unwrap();

    // Assert
    assert_eq!(site.code().as_str(), "hk-tko-ip");
    assert_eq!(site.place().level(), PlaceLevel::Site);
    assert_eq!(site.name().zh(), "將軍澳工業邨");
    assert_eq!(site.floor_area_m2(), Some(75_000));
}

#[rstest]
#[case::a_city(
    place("hk-kowloon", PlaceLevel::City),
    None,
    "invalid site \"hk-kowloon\": the place is a city, not a site"
)]
#[case::no_floor_area(
    place("hk-tko-ip", PlaceLevel::Site),
    Some(0),
    "invalid site \"hk-tko-ip\": the floor area is zero"
)]
fn rejects_a_site_that_is_not_a_site(
    #[case] place: Place,
    #[case] floor_area_m2: Option<u32>,
    #[case] message: &str,
) {
    assert_eq!(
        Site::new(place, text("Site", "場地"), floor_area_m2).map_err(|err| err.to_string()),
        Err(message.to_owned())
    );
}
