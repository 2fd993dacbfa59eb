//! `directory`: a profile as JSON (`ProfileInput`, as the API and the store send it), parsed into
//! a `Profile`; a profile that parses serialises to JSON that parses back to it.

#![no_main]

use directory::{Profile, ProfileInput};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = serde_json::from_slice::<ProfileInput>(data) else {
        return;
    };
    let Ok(profile) = Profile::try_from(input) else {
        return;
    };
    let json = serde_json::to_string(&profile).expect("a profile serialises");
    match serde_json::from_str::<Profile>(&json) {
        Ok(again) => assert_eq!(again, profile, "{json}"),
        Err(err) => panic!("the profile's own JSON does not parse back: {err}\n{json}"),
    }
});
