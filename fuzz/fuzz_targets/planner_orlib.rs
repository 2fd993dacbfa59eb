//! `planner`: an OR-Library capacitated facility location instance, read by the reader the
//! first byte picks (the project's layout, OR-Library's own, or its own with a `capacity`
//! placeholder value). An instance that reads keeps the invariants `Instance::new` promises.

#![no_main]

use libfuzzer_sys::fuzz_target;
use planner::orlib;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let res = match pick % 3 {
        0 => orlib::parse(text),
        1 => orlib::parse_original(text),
        _ => orlib::parse_original_with_capacity(text, 5000.0),
    };
    let Ok(instance) = res else {
        return;
    };
    let m = instance.facilities().len();
    assert!(m > 0 && !instance.customers().is_empty());
    assert!(instance.customers().iter().all(|c| c.costs.len() == m));
    assert!(instance.total_demand() >= 0.0 && instance.total_capacity() >= 0.0);
});
