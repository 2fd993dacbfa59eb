//! Duplicate detection: a reworded copy is found, an unrelated application is not, and the
//! batch check flags both copies.

use screening::{
    default_model, screen_batch, synthetic_applications, DuplicateIndex, MatchedPart,
    ScreeningContext,
};

use crate::{good_input, parse, scheme, TODAY};

fn reworded() -> screening::ApplicationInput {
    let mut input = good_input("smart-production-line");
    input.reference = "COPY-1".to_owned();
    input.organisation_name = "Another Name Ltd".to_owned();
    input.project_title = "Robotic vision inspection cell for electrical connectors".to_owned();
    input.project_description =
        "We will install robotic automation with sensor traceability on our moulding floor, \
        validated through a pilot run with a university partner"
            .to_owned();
    input
}

#[test]
fn a_reworded_copy_is_found_with_its_parts() {
    // Arrange
    let mut index = DuplicateIndex::new();
    index.insert(
        "ORIGINAL".to_owned(),
        &parse(good_input("smart-production-line")),
    );
    for (idx, application) in synthetic_applications(500, 3).iter().enumerate() {
        index.insert(format!("OTHER-{idx}"), application);
    }

    // Act
    let hits = index.candidates(&parse(reworded()));

    // Assert
    let hit = &hits[0];
    assert_eq!(hit.other, "ORIGINAL");
    assert!(hit.similarity >= 0.5, "similarity {}", hit.similarity);
    assert!(hit.similarity < 1.0);
    assert_eq!(
        hit.parts,
        [
            MatchedPart::Title,
            MatchedPart::Description,
            MatchedPart::BudgetLines
        ]
    );
    assert!(
        hits[1..].iter().all(|hit| hit.similarity < 0.5),
        "{:?}",
        &hits[1..]
    );
}

#[test]
fn an_unrelated_application_is_not_a_candidate() {
    // Arrange
    let mut index = DuplicateIndex::new();
    index.insert(
        "ORIGINAL".to_owned(),
        &parse(good_input("smart-production-line")),
    );
    let mut unrelated = good_input("technology-voucher");
    unrelated.reference = "OTHER".to_owned();
    unrelated.project_title = "Cold chain temperature logging for seafood exports".to_owned();
    unrelated.project_description =
        "Fit refrigerated trucks with wireless loggers and a dashboard".to_owned();

    // Act
    let hits = index.candidates(&parse(unrelated));

    // Assert
    assert!(
        hits.iter()
            .all(|hit| hit.other != "ORIGINAL" || hit.similarity < 0.3),
        "{hits:?}"
    );
}

#[test]
fn synthetic_applications_are_not_flagged_as_duplicates_of_each_other() {
    // Arrange
    let applications = synthetic_applications(2_000, 11);
    let mut index = DuplicateIndex::new();
    for application in &applications {
        index.insert(application.reference().to_owned(), application);
    }

    // Act
    let flagged = applications
        .iter()
        .filter(|application| {
            index
                .candidates(application)
                .iter()
                .any(|hit| hit.similarity >= 0.5)
        })
        .count();

    // Assert
    assert_eq!(flagged, 0);
}

#[test]
fn the_batch_check_flags_both_copies_and_only_them() {
    // Arrange
    let scheme = scheme("smart-production-line");
    let mut batch = vec![
        parse(good_input("smart-production-line")),
        parse(reworded()),
    ];
    batch.extend(synthetic_applications(50, 5));
    let model = default_model();
    let earlier = DuplicateIndex::new();
    let context = ScreeningContext {
        today: TODAY,
        model: &model,
        earlier: &earlier,
    };

    // Act
    let reports = screen_batch(&scheme, &batch, &context);

    // Assert
    let flagged: Vec<(&str, Vec<&str>)> = reports
        .iter()
        .filter(|report| {
            report
                .route
                .reasons()
                .iter()
                .any(|reason| reason.code() == "possible_duplicate")
        })
        .map(|report| {
            (
                report.reference.as_str(),
                report
                    .duplicates
                    .iter()
                    .map(|hit| hit.other.as_str())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        flagged,
        [
            ("smart-production-line-0001", vec!["COPY-1"]),
            ("COPY-1", vec!["smart-production-line-0001"])
        ]
    );
}
