//! `origin`: a rule book (TOML), then the example product read and checked against it.

#![no_main]

use libfuzzer_sys::fuzz_target;
use origin::{check, Product, RuleBook, EXAMPLE_PRODUCT_TOML};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(rules) = RuleBook::parse(text) else {
        return;
    };
    if let Ok(product) = Product::parse(&rules, EXAMPLE_PRODUCT_TOML) {
        let _ = check(&rules, &product);
    }
});
