//! `origin`: a product (TOML) read against the default rule book and checked; the report's parts
//! agree (a product that qualifies needs no fix, the base and the excluded costs add up).

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use origin::{check, default_rules, Product, RuleBook};

static RULES: LazyLock<RuleBook> = LazyLock::new(default_rules);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(product) = Product::parse(&RULES, text) else {
        return;
    };
    let Ok(report) = check(&RULES, &product) else {
        return;
    };
    let parts = product.clone().into_parts();
    assert_eq!(Product::new(parts).ok().as_ref(), Some(&product));
    assert_eq!(
        report.qualifies,
        report.meets_share && report.essential_steps_ok
    );
    assert!(!report.qualifies || report.fix.is_none(), "{report:?}");
    assert!(
        report.hk_cost.cents() <= report.base_cost.cents(),
        "{report:?}"
    );
    assert_eq!(
        i128::from(report.total_cost.cents()),
        i128::from(report.base_cost.cents()) + i128::from(report.excluded_cost.cents()),
    );
});
