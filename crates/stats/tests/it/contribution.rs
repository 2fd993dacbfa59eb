//! A hand-worked concordance with whole and partial weights gives the hand-worked answer.

use rstest::rstest;
use stats::{contribution, Concordance, Contribution, Figure, ValueAddedTable, Weight};
use vocab::{IndustryComponent, NewIndustriesSubgroup};

use crate::{bn, year};

pub(crate) const LINES: &str = "\
code,name_en,name_zh,parent,source
hsic.C,Manufacturing,製造業,,synthetic
hsic.J,Information and communications,資訊及通訊,,synthetic
hsic.M,\"Research, design and testing\",研發、設計及測試,,synthetic
hsic.G,Import and export trade,進出口貿易,,synthetic
hsic.G.spa,Trade in sub-contract processing,外發加工貿易,hsic.G,synthetic
hsic.H,Transport and logistics,運輸及物流,,synthetic
";

pub(crate) const VALUES: &str = "\
line,year,value_hkd_bn,source
hsic.C,2023,30.0,synthetic
hsic.J,2023,100.0,synthetic
hsic.M,2023,12.5,synthetic
hsic.G,2023,400.0,synthetic
hsic.G.spa,2023,50.0,synthetic
hsic.H,2023,80.0,synthetic
";

pub(crate) const GDP: &str = "\
year,value_hkd_bn,source
2023,2000.0,synthetic
";

/// Information and communications counts partly: 14.2% in New Industries (computing and
/// data), half in producer services, the rest nowhere.
/// Import and export trade is not mapped; only its sub-contract processing part is counted.
const CONCORDANCE: &str = "\
line,component,subgroup,weight,note
hsic.C,manufacturing,,1,
hsic.J,new_industries,computing_data,0.142,14.2% counted as industry
hsic.J,producer_services,,0.5,
hsic.J,outside,,0.358,
hsic.M,new_industries,rd_design_testing_env,1,
hsic.G.spa,subcontract_processing,,1,
hsic.H,producer_services,,0.25,
";

/// Which figure of a contribution a case is about.
#[derive(Debug, Clone, Copy)]
enum Key {
    Component(IndustryComponent),
    Subgroup(NewIndustriesSubgroup),
    IndustryTotal,
}

fn hand_worked() -> Contribution {
    let table = ValueAddedTable::from_csv(LINES.as_bytes(), VALUES.as_bytes(), GDP.as_bytes())
        .expect("table");
    let concordance = Concordance::from_csv(CONCORDANCE.as_bytes(), &table).expect("concordance");
    contribution(&table, &concordance, year(2023)).expect("contribution")
}

#[track_caller]
fn check(key: Key, value_hkd_bn: &str, share_two_decimals: &str) {
    // Arrange and act
    let result = hand_worked();

    // Assert
    let figure: &Figure = match key {
        Key::Component(component) => result.component(component),
        Key::Subgroup(subgroup) => result.subgroup(subgroup).expect("a sub-group figure"),
        Key::IndustryTotal => &result.industry_total,
    };
    assert_eq!(figure.value.map(bn).as_deref(), Some(value_hkd_bn));
    assert_eq!(
        figure.share_percent_text(2).as_deref(),
        Some(share_two_decimals)
    );
}

// GDP is 2,000.0 bn.
// Manufacturing:           30.0 x 1                      =  30.0 -> 30.0 / 2000 = 1.50%
// Publishing, packaging:   nothing mapped                =   0   ->                0.00%
// Sub-contract processing: 50.0 x 1 (the child of trade) =  50.0 ->                2.50%
// New Industries:          100.0 x 0.142 + 12.5 x 1
//                          = 14.2 + 12.5                 =  26.7 -> 1.335%, half up 1.34%
//   computing and data:    100.0 x 0.142                 =  14.2 ->                0.71%
//   R&D, design, testing:  12.5 x 1                      =  12.5 -> 0.625%, half up 0.63%
// All industry:            30.0 + 0 + 50.0 + 26.7        = 106.7 -> 5.335%, half up 5.34%
// Producer services:       100.0 x 0.5 + 80.0 x 0.25
//                          = 50.0 + 20.0                 =  70.0 ->                3.50%
#[rstest]
#[case::manufacturing(Key::Component(IndustryComponent::Manufacturing), "30", "1.50")]
#[case::publishing_packaging(Key::Component(IndustryComponent::PublishingPackaging), "0", "0.00")]
#[case::subcontract_processing(
    Key::Component(IndustryComponent::SubcontractProcessing),
    "50",
    "2.50"
)]
#[case::new_industries(Key::Component(IndustryComponent::NewIndustries), "26.7", "1.34")]
#[case::computing_data(Key::Subgroup(NewIndustriesSubgroup::ComputingData), "14.2", "0.71")]
#[case::rd_design_testing(
    Key::Subgroup(NewIndustriesSubgroup::RdDesignTestingEnvironmental),
    "12.5",
    "0.63"
)]
#[case::all_industry(Key::IndustryTotal, "106.7", "5.34")]
#[case::producer_services(Key::Component(IndustryComponent::ProducerServices), "70", "3.50")]
fn hand_worked_concordance_gives_the_hand_worked_answer(
    #[case] key: Key,
    #[case] value_hkd_bn: &str,
    #[case] share_two_decimals: &str,
) {
    check(key, value_hkd_bn, share_two_decimals);
}

#[test]
fn the_trace_of_new_industries_shows_each_line_with_its_weight_value_and_result() {
    // Arrange and act
    let result = hand_worked();

    // Assert
    let trace: Vec<(String, String, String, String, u64)> = result
        .component(IndustryComponent::NewIndustries)
        .trace
        .iter()
        .map(|term| {
            (
                term.line.to_string(),
                term.weight.to_string(),
                bn(term.line_value),
                bn(term.contributed),
                term.concordance_line,
            )
        })
        .collect();
    assert_eq!(
        trace,
        [
            (
                "hsic.J".into(),
                "0.142".into(),
                "100".into(),
                "14.2".into(),
                3
            ),
            ("hsic.M".into(), "1".into(), "12.5".into(), "12.5".into(), 6),
        ]
    );
}

#[test]
fn the_industry_total_excludes_producer_services_and_shares_keep_one_decimal_when_asked() {
    // Arrange and act
    let result = hand_worked();

    // Assert
    let lines: Vec<&str> = result
        .industry_total
        .trace
        .iter()
        .map(|term| term.line.as_ref())
        .collect();
    assert_eq!(lines, ["hsic.C", "hsic.J", "hsic.M", "hsic.G.spa"]);
    assert_eq!(
        result.industry_total.share_percent_text(1).as_deref(),
        Some("5.3")
    );
    assert!(result.findings.is_empty());
}

#[rstest]
#[case::half_a_cent_down_to_even(25, "0.5", 12)]
#[case::half_a_cent_up_to_even(35, "0.5", 18)]
#[case::negative_half_a_cent_to_even(-25, "0.5", -12)]
#[case::below_half_a_cent(1_000_001, "0.142", 142_000)]
#[case::above_half_a_cent(1_000_004, "0.142", 142_001)]
#[case::whole_line(12_345, "1", 12_345)]
fn a_weight_applies_to_cents_rounding_half_to_even(
    #[case] cents: i64,
    #[case] weight: &str,
    #[case] expected: i64,
) {
    // Arrange
    let weight = Weight::parse(weight).expect("weight");

    // Act
    let result = weight.apply(cents).expect("fits");

    // Assert
    assert_eq!(result, expected);
}
