//! `screening`: an applications CSV, then every application it holds screened as a batch
//! against each example scheme (exact money arithmetic on whatever amounts the file gives).

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use screening::{
    default_model, example_schemes, read_applications_csv, screen_batch, DuplicateIndex, RiskModel,
    Scheme, ScreeningContext,
};

static MODEL: LazyLock<RiskModel> = LazyLock::new(default_model);
static SCHEMES: LazyLock<Vec<Scheme>> = LazyLock::new(example_schemes);

fuzz_target!(|data: &[u8]| {
    let Ok(applications) = read_applications_csv(data) else {
        return;
    };
    let mut earlier = DuplicateIndex::new();
    if let Some(first) = applications.first() {
        earlier.insert("earlier".to_owned(), first);
    }
    let context = ScreeningContext {
        today: time::macros::date!(2025 - 07 - 01),
        model: &MODEL,
        earlier: &earlier,
    };
    for scheme in SCHEMES.iter() {
        let reports = screen_batch(scheme, &applications, &context);
        assert_eq!(reports.len(), applications.len());
    }
});
