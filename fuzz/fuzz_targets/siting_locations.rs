//! `siting`: a user's own location data, two CSV files in one input (the names file, a NUL
//! byte, the indicators file), then a shipped profile ranked on it.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use siting::{rank, shipped_profile, LocationData, Profile, Weights};

static PROFILE: LazyLock<Profile> = LazyLock::new(|| {
    shipped_profile("electronics-assembly")
        .expect("shipped")
        .expect("valid")
});

fuzz_target!(|data: &[u8]| {
    let (names, indicators) = match data.iter().position(|b| *b == 0) {
        Some(pos) => (&data[..pos], &data[pos + 1..]),
        None => (data, &[][..]),
    };
    let Ok(locations) = LocationData::from_csv(names, indicators) else {
        return;
    };
    if locations.locations().is_empty() {
        return;
    }
    if let Ok(ranking) = rank(
        &locations,
        &PROFILE,
        &locations.all_candidates(),
        &Weights::cost_first(),
    ) {
        assert!(ranking.rows.iter().all(|row| !row.topsis.is_nan()));
    }
});
