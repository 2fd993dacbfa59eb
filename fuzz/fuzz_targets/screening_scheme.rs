//! `screening`: a scheme file (TOML, `docs/scheme-format.md`), then a batch of synthetic
//! applications screened against whatever scheme it parsed to.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use screening::{
    default_model, screen_batch, synthetic_applications, Application, DuplicateIndex, RiskModel,
    Scheme, ScreeningContext,
};

static MODEL: LazyLock<RiskModel> = LazyLock::new(default_model);
static APPLICATIONS: LazyLock<Vec<Application>> = LazyLock::new(|| synthetic_applications(6, 9));

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(scheme) = Scheme::parse(text) else {
        return;
    };
    let earlier = DuplicateIndex::new();
    let context = ScreeningContext {
        today: time::macros::date!(2025 - 07 - 01),
        model: &MODEL,
        earlier: &earlier,
    };
    let reports = screen_batch(&scheme, &APPLICATIONS, &context);
    assert_eq!(reports.len(), APPLICATIONS.len());
});
