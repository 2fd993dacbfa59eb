//! The risk model: the shipped model is what retraining gives, its held-out AUC is in a sane
//! band, and scores are explained by named features.

use screening::{
    auc, default_model, default_trained_model, evaluate, read_history_csv, synthetic_history,
    train, train_shipped_model, RiskModel, ScreeningError, TrainOptions, RISK_MODEL_JSON,
};
use vocab::Money;

use crate::{good_input, parse};

#[test]
fn retraining_from_the_same_seed_reproduces_the_shipped_model() {
    // Act
    let retrained = train_shipped_model().expect("trains");

    // Assert
    let shipped = default_trained_model();
    assert!((retrained.held_out.auc - shipped.held_out.auc).abs() < 1e-9);
    assert_eq!(
        retrained.model.feature_names(),
        shipped.model.feature_names()
    );
    assert!((retrained.model.intercept() - shipped.model.intercept()).abs() < 1e-9);
    for (a, b) in retrained
        .model
        .coefficients()
        .iter()
        .zip(shipped.model.coefficients())
    {
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }
}

#[test]
fn the_held_out_auc_is_meaningful_but_not_perfect() {
    // Act
    let shipped = default_trained_model();

    // Assert
    assert!(
        shipped.held_out.auc > 0.7 && shipped.held_out.auc < 0.99,
        "AUC {}",
        shipped.held_out.auc
    );
    assert_eq!(shipped.held_out.n, 500);
    assert_eq!(shipped.model.source().kind(), "synthetic");
}

#[test]
fn the_model_ranks_fresh_synthetic_decisions_as_well() {
    // Arrange
    let fresh = synthetic_history(1_000, 99);

    // Act
    let evaluation = evaluate(&default_model(), &fresh);

    // Assert
    assert!(
        evaluation.auc > 0.7 && evaluation.auc < 0.99,
        "AUC {}",
        evaluation.auc
    );
}

#[test]
fn the_model_survives_a_json_round_trip() {
    // Act
    let model = RiskModel::from_json(RISK_MODEL_JSON).expect("valid");
    let json = serde_json::to_string(&model).expect("serialises");
    let back = RiskModel::from_json(&json).expect("reads back");

    // Assert
    let application = parse(good_input("smart-production-line"));
    let cap = Money::hkd(1_500_000_000);
    assert!(
        (model.probability(&application, cap) - back.probability(&application, cap)).abs() < 1e-12
    );
}

#[test]
fn a_model_with_missing_coefficients_is_refused() {
    // Arrange
    let mut value: serde_json::Value = serde_json::from_str(RISK_MODEL_JSON).expect("json");
    value["model"]["coefficients"]
        .as_array_mut()
        .expect("array")
        .pop();

    // Act
    let result = RiskModel::from_json(&value.to_string());

    // Assert
    assert!(
        matches!(result, Err(ScreeningError::Model { .. })),
        "{result:?}"
    );
}

#[test]
fn a_score_names_the_five_features_that_moved_it_most() {
    // Arrange
    let mut input = good_input("smart-production-line");
    input.project_description =
        "General trading and overseas marketing expansion with a showroom".to_owned();
    let application = parse(input);

    // Act
    let score = default_model().score(&application, Money::hkd(1_500_000_000));

    // Assert
    assert_eq!(score.top_features.len(), 5);
    let moves: Vec<f64> = score
        .top_features
        .iter()
        .map(|f| f.contribution.abs())
        .collect();
    assert!(moves.windows(2).all(|pair| pair[0] >= pair[1]), "{moves:?}");
    assert!(score.top_features.iter().all(|f| !f.feature.is_empty()));
    assert!(
        score
            .top_features
            .iter()
            .any(|f| f.feature.starts_with("text:")),
        "{:?}",
        score.top_features
    );
    let careful = default_model().probability(
        &parse(good_input("smart-production-line")),
        Money::hkd(1_500_000_000),
    );
    assert!(
        score.probability > careful,
        "{} <= {careful}",
        score.probability
    );
}

#[test]
fn auc_counts_ties_as_one_half() {
    assert_eq!(auc(&[(0.1, false), (0.9, true)]), 1.0);
    assert_eq!(auc(&[(0.9, false), (0.1, true)]), 0.0);
    assert_eq!(auc(&[(0.5, false), (0.5, true)]), 0.5);
    assert_eq!(
        auc(&[(0.2, false), (0.5, false), (0.5, true), (0.7, true)]),
        0.875
    );
}

#[test]
fn training_needs_both_kinds_of_decision() {
    // Arrange
    let mut history = synthetic_history(100, 1);
    for past in &mut history {
        past.decision = screening::Decision::Approved;
    }

    // Act
    let result = train(&history, &TrainOptions::SHIPPED);

    // Assert
    assert!(
        matches!(result, Err(ScreeningError::Training { .. })),
        "{result:?}"
    );
}

#[test]
fn a_users_own_history_from_csv_trains_a_model() {
    // Arrange
    let header = "reference,organisation_name,employees,sector,years_in_operation,project_title,project_description,budget_lines,total,amount_requested,company_contribution,documents,funding_cap,decision";
    let mut text = header.to_owned();
    for past in synthetic_history(200, 8) {
        let application = &past.application;
        let project = application.project();
        let lines: Vec<String> = project
            .budget_lines()
            .iter()
            .map(|line| format!("{}:{}", line.category(), line.amount().cents() / 100))
            .collect();
        text.push_str(&format!(
            "\nOWN-{},{},{},{},{},\"{}\",\"{}\",{},{},{},{},{},{},{}",
            &application.reference()[4..],
            application.applicant().name(),
            application
                .applicant()
                .employees()
                .map(|n| n.to_string())
                .unwrap_or_default(),
            application
                .applicant()
                .sector()
                .map(|s| s.to_string())
                .unwrap_or_default(),
            application
                .applicant()
                .years_in_operation()
                .map(|n| n.to_string())
                .unwrap_or_default(),
            project.title(),
            project.description().unwrap_or(""),
            lines.join(";"),
            project.total().map(|t| t.cents() / 100).unwrap_or_default(),
            project.amount_requested().cents() / 100,
            project
                .company_contribution()
                .map(|t| t.cents() / 100)
                .unwrap_or_default(),
            application
                .documents()
                .iter()
                .map(|d| d.as_str())
                .collect::<Vec<_>>()
                .join(";"),
            past.funding_cap.cents() / 100,
            if past.decision == screening::Decision::Rejected {
                "rejected"
            } else {
                "approved"
            },
        ));
    }

    // Act
    let history = read_history_csv(text.as_bytes()).expect("valid");
    let trained = train(&history, &TrainOptions::SHIPPED).expect("trains");

    // Assert
    assert_eq!(history.len(), 200);
    assert_eq!(trained.n_train, 150);
    assert_eq!(trained.model.source().kind(), "indicative");
    assert!(trained.held_out.auc > 0.5, "AUC {}", trained.held_out.auc);
}
