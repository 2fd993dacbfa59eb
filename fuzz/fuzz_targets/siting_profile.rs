//! `siting`: a project profile (TOML), costed at every shipped location and ranked with the
//! default weights (wages, rents, tariffs, grants and discounting on whatever the file says).

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use siting::{cost, rank, LocationData, Profile, Weights};

static DATA: LazyLock<LocationData> = LazyLock::new(LocationData::shipped);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(profile) = Profile::from_toml(text) else {
        return;
    };
    for location in DATA.locations() {
        let _ = cost(&profile, location);
    }
    if let Ok(ranking) = rank(
        &DATA,
        &profile,
        &DATA.all_candidates(),
        &Weights::cost_first(),
    ) {
        assert!(ranking.rows.iter().all(|row| !row.topsis.is_nan()));
    }
});
