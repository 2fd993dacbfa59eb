//! `screening`: a risk model file (JSON, trained or bare), then synthetic applications scored
//! with it; a model that reads must also read back from its own JSON.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use screening::{synthetic_applications, Application, RiskModel};
use vocab::Money;

static APPLICATIONS: LazyLock<Vec<Application>> = LazyLock::new(|| synthetic_applications(4, 3));

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(model) = RiskModel::from_json(text) else {
        return;
    };
    for application in APPLICATIONS.iter() {
        let score = model.score(application, Money::hkd(60_000_000));
        assert!((0.0..=1.0).contains(&score.probability), "{score:?}");
    }
    let json = serde_json::to_string(&model).expect("a model serialises");
    let again = RiskModel::from_json(&json).expect("a model reads back from its own JSON");
    assert_eq!(again.feature_names(), model.feature_names());
});
