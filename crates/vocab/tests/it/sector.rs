//! Sector taxonomies: industry components, new-industry subgroups and manufacturing divisions.

use rstest::rstest;
use vocab::{IndustryComponent, ManufacturingSector, NewIndustriesSubgroup};

#[rstest]
#[case::manufacturing("manufacturing", IndustryComponent::Manufacturing, true)]
#[case::publishing("publishing_packaging", IndustryComponent::PublishingPackaging, true)]
#[case::subcontract(
    "subcontract_processing",
    IndustryComponent::SubcontractProcessing,
    true
)]
#[case::new_industries("new_industries", IndustryComponent::NewIndustries, true)]
#[case::producer_services("producer_services", IndustryComponent::ProducerServices, false)]
fn parses_an_industry_component(
    #[case] code: &str,
    #[case] component: IndustryComponent,
    #[case] is_industry: bool,
) {
    assert_eq!(IndustryComponent::parse(code), Ok(component));
    assert_eq!(component.code(), code);
    assert_eq!(component.is_industry(), is_industry);
}

#[test]
fn rejects_an_unknown_industry_component_listing_the_codes() {
    assert_eq!(
        IndustryComponent::parse("mining").map_err(|err| err.to_string()),
        Err(
            "unknown industry component \"mining\": expected one of manufacturing, \
             publishing_packaging, subcontract_processing, new_industries, producer_services"
                .to_owned()
        )
    );
}

#[rstest]
#[case::computing("computing_data", NewIndustriesSubgroup::ComputingData)]
#[case::rd(
    "rd_design_testing_env",
    NewIndustriesSubgroup::RdDesignTestingEnvironmental
)]
#[case::sewerage("sewerage_waste", NewIndustriesSubgroup::SewerageWaste)]
#[case::other("other_new", NewIndustriesSubgroup::Other)]
fn parses_a_new_industries_subgroup(#[case] code: &str, #[case] subgroup: NewIndustriesSubgroup) {
    assert_eq!(NewIndustriesSubgroup::parse(code), Ok(subgroup));
    assert_eq!(subgroup.code(), code);
}

#[test]
fn lists_every_component_and_subgroup_once() {
    assert_eq!(IndustryComponent::ALL.len(), 5);
    assert_eq!(NewIndustriesSubgroup::ALL.len(), 4);
}

#[rstest]
#[case::bare_digits("39", "C39")]
#[case::with_the_section_letter("C39", "C39")]
#[case::lowercase_letter("c13", "C13")]
#[case::the_last_division(" C43 ", "C43")]
fn parses_a_manufacturing_division(#[case] text: &str, #[case] code: &str) {
    // Arrange / Act
    let res = ManufacturingSector::parse(text);

    // Assert
    assert_eq!(res.map(ManufacturingSector::code), Ok(code));
}

#[rstest]
#[case::mining(
    "C12",
    "invalid manufacturing sector \"C12\": not a manufacturing division (C13 to C43)"
)]
#[case::utilities(
    "44",
    "invalid manufacturing sector \"44\": not a manufacturing division (C13 to C43)"
)]
#[case::a_group_code(
    "C391",
    "invalid manufacturing sector \"C391\": not a two-digit division code like C39"
)]
#[case::another_section(
    "D44",
    "invalid manufacturing sector \"D44\": not a two-digit division code like C39"
)]
#[case::empty(
    "",
    "invalid manufacturing sector \"\": not a two-digit division code like C39"
)]
fn rejects_a_code_outside_the_manufacturing_divisions(#[case] text: &str, #[case] message: &str) {
    assert_eq!(
        ManufacturingSector::parse(text).map_err(|err| err.to_string()),
        Err(message.to_owned())
    );
}

#[test]
fn lists_the_31_manufacturing_divisions_in_order() {
    // Arrange / Act
    let codes: Vec<&str> = ManufacturingSector::all()
        .map(ManufacturingSector::code)
        .collect();

    // Assert
    assert_eq!(codes.len(), 31);
    assert_eq!(codes.first(), Some(&"C13"));
    assert_eq!(codes.last(), Some(&"C43"));
    for sector in ManufacturingSector::all() {
        assert_eq!(ManufacturingSector::parse(sector.code()), Ok(sector));
        assert_eq!(sector.to_string(), sector.code());
    }
}

#[test]
fn serializes_a_sector_and_a_component_as_codes() {
    let sector = ManufacturingSector::parse("39").unwrap();
    assert_eq!(serde_json::to_string(&sector).unwrap(), r#""C39""#);
    assert_eq!(
        serde_json::from_str::<ManufacturingSector>(r#""c39""#).unwrap(),
        sector
    );
    assert_eq!(
        serde_json::to_string(&IndustryComponent::NewIndustries).unwrap(),
        r#""new_industries""#
    );
    assert!(serde_json::from_str::<IndustryComponent>(r#""mining""#).is_err());
}
