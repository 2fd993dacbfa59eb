//! Every concordance rule, broken, gives an error naming the CSV line and the statistical line.

use rstest::rstest;
use stats::{Concordance, StatsError, ValueAddedTable};

use crate::contribution::{GDP, LINES, VALUES};

#[track_caller]
fn check(concordance: &str, expected: &str) {
    // Arrange
    let table = ValueAddedTable::from_csv(LINES.as_bytes(), VALUES.as_bytes(), GDP.as_bytes())
        .expect("table");

    // Act
    let result = Concordance::from_csv(concordance.as_bytes(), &table);

    // Assert
    let error: StatsError = result.expect_err("the concordance breaks a rule");
    assert_eq!(error.to_string(), expected);
    assert!(error.is_user_error());
}

#[rstest]
#[case::unknown_line_code(
    "line,component,subgroup,weight,note\nhsic.C,manufacturing,,1,\nhsic.X,manufacturing,,1,\n",
    "concordance.csv: line 3: statistical line `hsic.X`: is not a line of the value-added table"
)]
#[case::weights_of_a_line_add_up_to_more_than_one(
    "line,component,subgroup,weight,note\nhsic.J,new_industries,computing_data,0.6,\nhsic.J,producer_services,,0.5,\n",
    "concordance.csv: line 3: statistical line `hsic.J`: weights add up to 1.1, more than 1, so part of the line would be counted twice (lines 2, 3)"
)]
#[case::outside_counts_towards_the_sum(
    "line,component,subgroup,weight,note\nhsic.J,producer_services,,0.5,\nhsic.J,outside,,0.500001,\n",
    "concordance.csv: line 3: statistical line `hsic.J`: weights add up to 1.000001, more than 1, so part of the line would be counted twice (lines 2, 3)"
)]
#[case::a_line_in_a_target_twice(
    "line,component,subgroup,weight,note\nhsic.J,producer_services,,0.2,\nhsic.J,producer_services,,0.3,\n",
    "concordance.csv: line 3: statistical line `hsic.J`: is mapped to `producer_services` twice (first at line 2)"
)]
#[case::a_subgroup_under_another_component(
    "line,component,subgroup,weight,note\nhsic.C,manufacturing,computing_data,1,\n",
    "concordance.csv: line 2: statistical line `hsic.C`: sub-group `computing_data` is only allowed under `new_industries`, not under `manufacturing`"
)]
#[case::a_subgroup_outside(
    "line,component,subgroup,weight,note\nhsic.C,outside,sewerage_waste,1,\n",
    "concordance.csv: line 2: statistical line `hsic.C`: sub-group `sewerage_waste` is only allowed under `new_industries`, not under `outside`"
)]
#[case::parent_and_child_in_the_same_component(
    "line,component,subgroup,weight,note\nhsic.G,subcontract_processing,,0.1,\nhsic.G.spa,subcontract_processing,,1,\n",
    "concordance.csv: line 3: statistical line `hsic.G.spa` is counted twice: it is part of `hsic.G`, which is counted at line 2"
)]
#[case::parent_in_producer_services_and_child_in_industry(
    "line,component,subgroup,weight,note\nhsic.G.spa,subcontract_processing,,1,\nhsic.G,producer_services,,0.5,\n",
    "concordance.csv: line 2: statistical line `hsic.G.spa` is counted twice: it is part of `hsic.G`, which is counted at line 3"
)]
#[case::a_memo_row_without_a_counted_ancestor(
    "line,component,subgroup,weight,role,note\nhsic.G.spa,new_industries,other_new,1,memo,\n",
    "concordance.csv: line 2: statistical line `hsic.G.spa`: is a memo row for `new_industries/other_new`, but none of its ancestors is counted in that component"
)]
#[case::a_memo_row_whose_line_is_also_counted(
    "line,component,subgroup,weight,role,note\nhsic.G.spa,manufacturing,,1,counted,\nhsic.G.spa,new_industries,other_new,1,memo,\n",
    "concordance.csv: line 3: statistical line `hsic.G.spa`: is a memo row but is also counted at line 2; a line is either counted or reported as part of another"
)]
#[case::a_memo_row_outside(
    "line,component,subgroup,weight,role,note\nhsic.G.spa,outside,,1,memo,\n",
    "concordance.csv: line 2: statistical line `hsic.G.spa`: a memo row reports a part of a component, so it cannot be `outside`"
)]
#[case::a_weight_above_one(
    "line,component,subgroup,weight,note\nhsic.C,manufacturing,,1.5,\n",
    "concordance.csv: line 2: field `weight`: invalid weight \"1.5\": above 1"
)]
#[case::a_weight_that_is_not_a_decimal(
    "line,component,subgroup,weight,note\nhsic.C,manufacturing,,14.2%,\n",
    "concordance.csv: line 2: field `weight`: invalid weight \"14.2%\": not a plain decimal number like 0.142"
)]
#[case::a_weight_with_seven_decimals(
    "line,component,subgroup,weight,note\nhsic.C,manufacturing,,0.1234567,\n",
    "concordance.csv: line 2: field `weight`: invalid weight \"0.1234567\": more than 6 decimal places"
)]
#[case::an_unknown_role(
    "line,component,subgroup,weight,role,note\nhsic.C,manufacturing,,1,maybe,\n",
    "concordance.csv: line 2: field `role`: unknown role \"maybe\": expected counted or memo"
)]
#[case::a_missing_column(
    "line,component,weight\nhsic.C,manufacturing,1\n",
    "concordance.csv: line 1: missing column `subgroup`"
)]
fn a_broken_concordance_rule_is_an_error_naming_its_line(
    #[case] concordance: &str,
    #[case] expected: &str,
) {
    check(concordance, expected);
}

#[test]
fn an_unknown_component_is_a_field_error_listing_the_components_and_outside() {
    // Arrange
    let table = ValueAddedTable::from_csv(LINES.as_bytes(), VALUES.as_bytes(), GDP.as_bytes())
        .expect("table");
    let concordance = "line,component,subgroup,weight,note\nhsic.C,mining,,1,\n";

    // Act
    let result = Concordance::from_csv(concordance.as_bytes(), &table);

    // Assert
    let message = result.expect_err("an unknown component").to_string();
    assert!(
        message.starts_with(
            "concordance.csv: line 2: field `component`: unknown industry component \"mining\""
        ),
        "{message}"
    );
    assert!(message.ends_with(", or outside"), "{message}");
}

#[test]
fn a_parent_mapped_outside_and_its_child_counted_is_not_double_counting() {
    // Arrange
    let table = ValueAddedTable::from_csv(LINES.as_bytes(), VALUES.as_bytes(), GDP.as_bytes())
        .expect("table");
    let concordance = "line,component,subgroup,weight,note\nhsic.G,outside,,1,\nhsic.G.spa,subcontract_processing,,1,\n";

    // Act
    let result = Concordance::from_csv(concordance.as_bytes(), &table);

    // Assert
    assert_eq!(result.expect("valid").mappings().len(), 2);
}
