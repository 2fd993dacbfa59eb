//! Bad value-added tables are refused with the file, line and field.

use rstest::rstest;
use stats::ValueAddedTable;

const LINES: &str = "code,name_en,name_zh,parent,source\nhsic.C,Manufacturing,製造業,,indicative\nhsic.C.1,Food,食品,hsic.C,indicative\n";
const VALUES: &str = "line,year,value_hkd_bn,source\nhsic.C,2023,30,indicative\n";
const GDP: &str = "year,value_hkd_bn,source\n2023,2000,indicative\n";

#[track_caller]
fn check(lines: &str, values: &str, gdp: &str, expected: &str) {
    // Act
    let result = ValueAddedTable::from_csv(lines.as_bytes(), values.as_bytes(), gdp.as_bytes());

    // Assert
    let error = result.expect_err("the table is bad");
    let message = error.to_string();
    assert!(message.starts_with(expected), "{message}");
    assert!(!message.ends_with('.'), "{message}");
}

#[rstest]
#[case::a_line_code_twice(
    "code,name_en,name_zh,parent,source\nhsic.C,Manufacturing,製造業,,indicative\nhsic.C,Again,再次,,indicative\n",
    VALUES,
    GDP,
    "lines.csv: line 3: statistical line `hsic.C`: appears twice"
)]
#[case::an_unknown_parent(
    "code,name_en,name_zh,parent,source\nhsic.C,Manufacturing,製造業,hsic.X,indicative\n",
    VALUES,
    GDP,
    "lines.csv: line 2: statistical line `hsic.C`: parent `hsic.X` is not a known line"
)]
#[case::a_parent_cycle(
    "code,name_en,name_zh,parent,source\nhsic.A,A,甲,hsic.B,indicative\nhsic.B,B,乙,hsic.A,indicative\nhsic.C,Manufacturing,製造業,,indicative\n",
    VALUES,
    GDP,
    "lines.csv: line 2: statistical line `hsic.A`: its parent chain loops back to itself"
)]
#[case::a_missing_chinese_name(
    "code,name_en,name_zh,parent,source\nhsic.C,Manufacturing,,,indicative\n",
    VALUES,
    GDP,
    "lines.csv: line 2: field `name_en`: "
)]
#[case::a_bad_source(
    "code,name_en,name_zh,parent,source\nhsic.C,Manufacturing,製造業,,guessed\n",
    VALUES,
    GDP,
    "lines.csv: line 2: field `source`: "
)]
#[case::a_value_for_an_unknown_line(
    LINES,
    "line,year,value_hkd_bn,source\nhsic.C,2023,30,indicative\nhsic.X,2023,1,indicative\n",
    GDP,
    "values.csv: line 3: statistical line `hsic.X`: is not a line of lines.csv"
)]
#[case::two_values_for_one_line_and_year(
    LINES,
    "line,year,value_hkd_bn,source\nhsic.C,2023,30,indicative\nhsic.C,2023,31,indicative\n",
    GDP,
    "values.csv: line 3: statistical line `hsic.C`: has a second value for 2023"
)]
#[case::a_value_that_is_not_a_decimal(
    LINES,
    "line,year,value_hkd_bn,source\nhsic.C,2023,thirty,indicative\n",
    GDP,
    "values.csv: line 2: field `value_hkd_bn`: invalid amount \"thirty\""
)]
#[case::a_value_finer_than_a_cent(
    LINES,
    "line,year,value_hkd_bn,source\nhsic.C,2023,0.000000000001,indicative\n",
    GDP,
    "values.csv: line 2: field `value_hkd_bn`: invalid amount \"0.000000000001\": does not land on whole cents"
)]
#[case::a_bad_year(
    LINES,
    "line,year,value_hkd_bn,source\nhsic.C,23,30,indicative\n",
    GDP,
    "values.csv: line 2: field `year`: "
)]
#[case::an_empty_source(
    LINES,
    "line,year,value_hkd_bn,source\nhsic.C,2023,30,\n",
    GDP,
    "values.csv: line 2: field `source`: is empty but required"
)]
#[case::gdp_of_zero(
    LINES,
    VALUES,
    "year,value_hkd_bn,source\n2023,0,indicative\n",
    "gdp.csv: line 2: field `value_hkd_bn`: GDP must be above zero"
)]
#[case::gdp_twice(
    LINES,
    VALUES,
    "year,value_hkd_bn,source\n2023,2000,indicative\n2023,2001,indicative\n",
    "gdp.csv: line 3: field `year`: a second GDP figure for 2023"
)]
#[case::a_missing_column(
    LINES,
    "line,year,value,source\nhsic.C,2023,30,indicative\n",
    GDP,
    "values.csv: line 1: missing column `value_hkd_bn`"
)]
#[case::a_short_row(
    LINES,
    "line,year,value_hkd_bn,source\nhsic.C,2023,30\n",
    GDP,
    "values.csv: line 2: "
)]
fn a_bad_table_is_refused_naming_file_line_and_field(
    #[case] lines: &str,
    #[case] values: &str,
    #[case] gdp: &str,
    #[case] expected: &str,
) {
    check(lines, values, gdp, expected);
}

#[test]
fn a_good_table_knows_its_lines_ancestors_values_and_years() {
    // Act
    let table = ValueAddedTable::from_csv(LINES.as_bytes(), VALUES.as_bytes(), GDP.as_bytes())
        .expect("table");

    // Assert
    let child = stats::LineCode::parse("hsic.C.1").expect("code");
    let ancestors: Vec<&str> = table
        .ancestors(&child)
        .into_iter()
        .map(|c| c.as_ref())
        .collect();
    assert_eq!(ancestors, ["hsic.C"]);
    assert_eq!(table.lines().len(), 2);
    assert_eq!(table.years(), [crate::year(2023)]);
    let parent = stats::LineCode::parse("hsic.C").expect("code");
    let value = table.value(&parent, crate::year(2023)).expect("a value");
    assert_eq!(crate::bn(value.value()), "30");
    assert_eq!(value.csv_line(), 2);
}
