//! Survey responses tabulated with Wilson intervals and cross-tabs, and bad responses refused.

use rstest::rstest;
use stats::{
    wilson_interval_95, AnswerRequirement, ChoiceKind, QuestionSpec, Responses, SurveySpec,
};

fn spec() -> SurveySpec {
    SurveySpec {
        questions: vec![
            QuestionSpec {
                column: "reasons".to_owned(),
                kind: ChoiceKind::Multiple,
                options: Some(vec![
                    "geopolitics".to_owned(),
                    "markets".to_owned(),
                    "cost".to_owned(),
                ]),
                requirement: AnswerRequirement::Required,
            },
            QuestionSpec {
                column: "rd_share".to_owned(),
                kind: ChoiceKind::Single,
                options: None,
                requirement: AnswerRequirement::Optional,
            },
        ],
    }
}

/// 55 respondents numbered from 0: 0 to 36 (37) cite geopolitics, 18 to 52 (35) cite
/// markets, 35 to 54 (20) cite cost; 0 to 29 are small firms, the rest large.
fn survey_of_55() -> String {
    let mut csv = String::from("id,size,reasons,rd_share\n");
    for idx in 0..55 {
        let mut reasons = Vec::new();
        if idx < 37 {
            reasons.push("geopolitics");
        }
        if (18..53).contains(&idx) {
            reasons.push("markets");
        }
        if idx >= 35 {
            reasons.push("cost");
        }
        let size = if idx < 30 { "small" } else { "large" };
        let rd_share = if idx % 2 == 0 { "5% or more" } else { "" };
        csv.push_str(&format!("{idx},{size},{},{rd_share}\n", reasons.join(";")));
    }
    csv
}

#[test]
fn tabulating_55_responses_reproduces_the_studys_southeast_asia_percentages() {
    // Arrange
    let responses = Responses::from_csv(survey_of_55().as_bytes(), &spec()).expect("responses");

    // Act
    let result = responses.tabulate("reasons").expect("tabulation");

    // Assert
    assert_eq!(result.answered, 55);
    let rows: Vec<(&str, u32, String)> = result
        .options
        .iter()
        .map(|o| {
            let share = o.share.expect("a share").percent_text(1);
            (o.option.as_str(), o.count, share)
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("geopolitics", 37, "67.3".to_owned()),
            ("markets", 35, "63.6".to_owned()),
            ("cost", 20, "36.4".to_owned()),
        ]
    );
}

#[test]
fn the_wilson_interval_for_37_of_55_is_54_1_to_78_2_percent() {
    // Hand check, z = 1.959964, z^2 = 3.841459, n = 55, p = 37/55 = 0.672727:
    //   denominator = 1 + z^2/n = 1.069845
    //   centre      = (p + z^2/2n) / denominator = (0.672727 + 0.034922) / 1.069845 = 0.661451
    //   half width  = z sqrt(p(1-p)/n + z^2/4n^2) / denominator
    //               = 1.959964 x sqrt(0.004003 + 0.000317) / 1.069845 = 0.120419
    //   interval    = 0.541032 to 0.781869

    // Act
    let result = wilson_interval_95(37, 55).expect("an interval");

    // Assert
    assert!((result.lower - 0.541_032).abs() < 1e-6, "{result:?}");
    assert!((result.upper - 0.781_869).abs() < 1e-6, "{result:?}");
}

#[rstest]
#[case::nobody_answered(0, 0, None)]
#[case::more_successes_than_answers(3, 2, None)]
#[case::none_of_ten(0, 10, Some((0.0, 0.277_532)))]
#[case::all_of_ten(10, 10, Some((0.722_468, 1.0)))]
fn wilson_intervals_stay_within_zero_and_one(
    #[case] count: u32,
    #[case] base: u32,
    #[case] expected: Option<(f64, f64)>,
) {
    // Act
    let result = wilson_interval_95(count, base);

    // Assert
    match (result, expected) {
        (None, None) => {}
        (Some(found), Some((lower, upper))) => {
            assert!((found.lower - lower).abs() < 1e-6, "{found:?}");
            assert!((found.upper - upper).abs() < 1e-6, "{found:?}");
        }
        (found, expected) => panic!("expected {expected:?}, found {found:?}"),
    }
}

#[test]
fn an_optional_question_is_tabulated_over_those_who_answered() {
    // Arrange
    let responses = Responses::from_csv(survey_of_55().as_bytes(), &spec()).expect("responses");

    // Act
    let result = responses.tabulate("rd_share").expect("tabulation");

    // Assert
    assert_eq!(result.respondents, 55);
    assert_eq!(result.answered, 28);
    assert_eq!(result.options.len(), 1);
    assert_eq!(result.options[0].option, "5% or more");
    assert_eq!(
        result.options[0]
            .share
            .map(|s| s.percent_text(1))
            .as_deref(),
        Some("100.0")
    );
}

#[test]
fn a_cross_tab_by_company_size_gives_counts_and_row_percentages() {
    // Arrange
    let responses = Responses::from_csv(survey_of_55().as_bytes(), &spec()).expect("responses");

    // Act
    let result = responses.cross_tab("reasons", "size").expect("cross-tab");

    // Assert
    // Small firms are respondents 0 to 29: all 30 cite geopolitics, 12 (18 to 29) markets,
    // none cost. Large firms are 30 to 54: 7 (30 to 36) geopolitics, 23 (30 to 52) markets,
    // 20 (35 to 54) cost.
    assert_eq!(result.options, ["geopolitics", "markets", "cost"]);
    let rows: Vec<(&str, u32, &[u32], Vec<String>)> = result
        .rows
        .iter()
        .map(|row| {
            let shares = row
                .row_shares
                .iter()
                .map(|s| s.expect("a share").percent_text(1))
                .collect();
            (
                row.segment.as_str(),
                row.answered,
                row.counts.as_slice(),
                shares,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "large",
                25,
                &[7, 23, 20][..],
                vec!["28.0".to_owned(), "92.0".to_owned(), "80.0".to_owned()]
            ),
            (
                "small",
                30,
                &[30, 12, 0][..],
                vec!["100.0".to_owned(), "40.0".to_owned(), "0.0".to_owned()]
            ),
        ]
    );
    assert_eq!(result.total.counts, [37, 35, 20]);
}

#[rstest]
#[case::an_unknown_option(
    "id,size,reasons,rd_share\n1,small,geopolitics;weather,\n",
    "responses.csv: line 2: field `reasons`: unknown option \"weather\": expected one of geopolitics, markets, cost"
)]
#[case::an_empty_required_answer(
    "id,size,reasons,rd_share\n1,small,geopolitics,\n2,large,,\n",
    "responses.csv: line 3: field `reasons`: is empty but required"
)]
#[case::only_separators_in_a_required_answer(
    "id,size,reasons,rd_share\n1,small, ; ,\n",
    "responses.csv: line 2: field `reasons`: is empty but required"
)]
#[case::an_option_given_twice(
    "id,size,reasons,rd_share\n1,small,cost;cost,\n",
    "responses.csv: line 2: field `reasons`: option \"cost\" is given twice"
)]
#[case::several_options_in_a_single_choice_column(
    "id,size,reasons,rd_share\n1,small,cost,a;b\n",
    "responses.csv: line 2: field `rd_share`: \"a;b\" holds several options but the question is single choice"
)]
#[case::a_missing_question_column(
    "id,size,reasons\n1,small,cost\n",
    "responses.csv: line 1: missing column `rd_share`"
)]
fn bad_responses_are_refused_naming_line_and_field(#[case] csv: &str, #[case] expected: &str) {
    // Act
    let result = Responses::from_csv(csv.as_bytes(), &spec());

    // Assert
    assert_eq!(result.expect_err("bad responses").to_string(), expected);
}

#[rstest]
#[case::an_unknown_question("income", "size", "unknown question `income`")]
#[case::an_unknown_segment_column("reasons", "region", "unknown segment column `region`")]
fn asking_about_an_unknown_column_is_an_error(
    #[case] question: &str,
    #[case] segment: &str,
    #[case] expected: &str,
) {
    // Arrange
    let responses = Responses::from_csv(survey_of_55().as_bytes(), &spec()).expect("responses");

    // Act
    let result = responses.cross_tab(question, segment);

    // Assert
    assert_eq!(result.expect_err("unknown").to_string(), expected);
}
