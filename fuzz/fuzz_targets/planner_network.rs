//! `planner`: a network model file (JSON, `docs/network-model.md`), each of its scenarios
//! applied, and the round trip: a model that reads writes JSON that reads back to it.

#![no_main]

use libfuzzer_sys::fuzz_target;
use planner::NetworkModel;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(model) = NetworkModel::from_json(text) else {
        return;
    };
    let _ = model.total_demand();
    for scenario in model.scenarios() {
        if let Ok(changed) = model.with_scenario(scenario) {
            let _ = changed.total_demand();
        }
    }
    let json = model.to_json();
    match NetworkModel::from_json(&json) {
        Ok(again) => assert_eq!(again, model, "{json}"),
        Err(err) => panic!("the model's own JSON does not read back: {err}\n{json}"),
    }
});
