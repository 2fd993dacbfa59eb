//! The shipped study table reproduces every figure the study publishes.

use rstest::rstest;
use stats::{
    check_published_figures, contribution, growth, study_2023, ContributionFinding, Figure,
    PublishedFigure, Target,
};
use vocab::{IndustryComponent, NewIndustriesSubgroup, Provenance};

use crate::{bn, year};

/// Which figure of a contribution a case is about.
#[derive(Debug, Clone, Copy)]
enum Published {
    Component(IndustryComponent),
    IndustryTotal,
}

#[track_caller]
fn check(figure: Published, value_hkd_bn: &str, share_percent: &str) {
    // Arrange
    let (table, concordance) = study_2023();

    // Act
    let result = contribution(&table, &concordance, year(2023)).expect("contribution");

    // Assert
    let found: &Figure = match figure {
        Published::Component(component) => result.component(component),
        Published::IndustryTotal => &result.industry_total,
    };
    assert_eq!(found.value.map(bn).as_deref(), Some(value_hkd_bn));
    let decimals = share_percent.split_once('.').map_or(0, |(_, f)| f.len()) as u8;
    assert_eq!(
        found.share_percent_text(decimals).as_deref(),
        Some(share_percent)
    );
}

#[rstest]
#[case::all_industry(Published::IndustryTotal, "127.1", "4.4")]
#[case::manufacturing(Published::Component(IndustryComponent::Manufacturing), "28.2", "1.0")]
#[case::publishing_packaging(
    Published::Component(IndustryComponent::PublishingPackaging),
    "5.3",
    "0.2"
)]
#[case::subcontract_processing(
    Published::Component(IndustryComponent::SubcontractProcessing),
    "53.4",
    "1.8"
)]
#[case::new_industries(Published::Component(IndustryComponent::NewIndustries), "40.2", "1.4")]
#[case::producer_services(
    Published::Component(IndustryComponent::ProducerServices),
    "473.5",
    "16.2"
)]
fn study_2023_reproduces_every_published_2023_figure(
    #[case] figure: Published,
    #[case] value_hkd_bn: &str,
    #[case] share_percent: &str,
) {
    check(figure, value_hkd_bn, share_percent);
}

#[test]
fn sewerage_is_reported_as_part_of_new_industries_without_being_counted_again() {
    // Arrange
    let (table, concordance) = study_2023();
    let sewerage = Target::Component {
        component: IndustryComponent::NewIndustries,
        subgroup: Some(NewIndustriesSubgroup::SewerageWaste),
    };

    // Act
    let result = contribution(&table, &concordance, year(2023)).expect("contribution");

    // Assert
    let memo = result.memo(sewerage).expect("a memo item for sewerage");
    assert_eq!(memo.figure.value.map(bn).as_deref(), Some("1.4"));
    assert_eq!(memo.part_of.as_ref(), "study.new_industries");
    assert_eq!(memo.figure.share_percent_text(2).as_deref(), Some("0.05"));
    // New Industries is still 40.2, not 41.6, and has no counted sub-group.
    let new_industries = result.component(IndustryComponent::NewIndustries);
    assert_eq!(new_industries.value.map(bn).as_deref(), Some("40.2"));
    assert_eq!(new_industries.trace.len(), 1);
    assert!(result.subgroups.is_empty());
}

#[test]
fn study_2000_has_producer_services_230_and_says_that_shares_need_gdp() {
    // Arrange
    let (table, concordance) = study_2023();

    // Act
    let result = contribution(&table, &concordance, year(2000)).expect("contribution");

    // Assert
    assert_eq!(
        result.producer_services.value.map(bn).as_deref(),
        Some("230")
    );
    assert_eq!(result.producer_services.share_of_gdp, None);
    assert!(result.gdp.is_none());
    assert!(result
        .findings
        .contains(&ContributionFinding::NoGdp { year: year(2000) }));
    // The study gives no industry figures for 2000: they have no value, and say which line is
    // missing.
    let manufacturing = result.component(IndustryComponent::Manufacturing);
    assert_eq!(manufacturing.value, None);
    assert_eq!(
        manufacturing.missing_values[0].as_ref(),
        "study.manufacturing"
    );
    assert_eq!(result.industry_total.value, None);
}

#[test]
fn producer_services_grew_3_2_percent_a_year_from_2000_to_2023() {
    // Arrange
    let (table, concordance) = study_2023();
    let start = contribution(&table, &concordance, year(2000)).expect("2000");
    let end = contribution(&table, &concordance, year(2023)).expect("2023");
    let start_value = start.producer_services.value.expect("2000 value");
    let end_value = end.producer_services.value.expect("2023 value");

    // Act
    let result = growth(year(2000), start_value, year(2023), end_value).expect("growth");

    // Assert
    // (473.5 / 230)^(1/23) - 1 = 2.058696^(0.043478) - 1 = 0.031892, so 3.2% a year.
    assert_eq!(bn(result.change), "243.5");
    assert_eq!(result.cagr_percent_text.as_deref(), Some("3.2"));
    let cagr = result.cagr.expect("a rate");
    assert!((cagr - 0.031_892).abs() < 1e-6, "{cagr}");
}

#[test]
fn study_gdp_is_the_indicative_midpoint_of_the_interval_the_published_figures_imply() {
    // Arrange
    let (table, _) = study_2023();
    let figures: Vec<PublishedFigure> = [
        ("total", "127.1", "4.4"),
        ("manufacturing", "28.2", "1.0"),
        ("publishing_packaging", "5.3", "0.2"),
        ("subcontract_processing", "53.4", "1.8"),
        ("new_industries", "40.2", "1.4"),
        ("producer_services", "473.5", "16.2"),
    ]
    .into_iter()
    .map(|(label, value, share)| PublishedFigure::parse(label, value, share).expect("figure"))
    .collect();

    // Act
    let report = check_published_figures(&figures).expect("report");

    // Assert
    let implied = report.implied_gdp.expect("an interval");
    let gdp = table.gdp(year(2023)).expect("2023 GDP");
    assert_eq!(Some(gdp.value()), implied.midpoint());
    assert_eq!(gdp.source(), &Provenance::Indicative);
    assert!(gdp.note().expect("a note").contains("midpoint"));
    assert!(table.gdp(year(2000)).is_none());
}

#[test]
fn every_study_figure_traces_back_to_a_published_line() {
    // Arrange
    let (table, concordance) = study_2023();

    // Act
    let result = contribution(&table, &concordance, year(2023)).expect("contribution");

    // Assert
    let published = Provenance::published("made-by-hk-study").expect("provenance");
    assert_eq!(result.industry_total.trace.len(), 4);
    for term in result
        .industry_total
        .trace
        .iter()
        .chain(&result.producer_services.trace)
    {
        assert_eq!(term.value_source, published);
        assert!(term.weight.is_whole());
        assert_eq!(term.contributed, term.line_value);
    }
}
