//! `screening`: a history CSV of past decisions, evaluated with the shipped model and used to
//! train a new one with the shipped options (as `madeby screen train` does).

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use screening::{default_model, evaluate, read_history_csv, train, RiskModel, TrainOptions};

static MODEL: LazyLock<RiskModel> = LazyLock::new(default_model);

fuzz_target!(|data: &[u8]| {
    let Ok(history) = read_history_csv(data) else {
        return;
    };
    let _ = evaluate(&MODEL, &history);
    if let Ok(trained) = train(&history, &TrainOptions::SHIPPED) {
        let _ = evaluate(&trained.model, &history);
    }
});
