//! `registry`: the careful import and the streaming fast path read the same bytes and must
//! agree: the same rows accepted, the same first bad line, the same tables.
//! The rejected rows of a lenient import are then written back out.

#![no_main]

use libfuzzer_sys::fuzz_target;
use registry::{
    read_registry, tabulate, tabulate_csv, write_rejected, BadRowPolicy, Dimension, Field,
    RegistryError,
};

const DIMS: [Dimension; 2] = [Dimension::Province, Dimension::Sector];

fuzz_target!(|data: &[u8]| {
    let careful = read_registry(data, BadRowPolicy::RejectFile);
    let fast = tabulate_csv(data, &DIMS);
    match (&careful, &fast) {
        (Ok(import), Ok(tables)) => assert_eq!(&tabulate(&import.enterprises, &DIMS), tables),
        // The fast path does not check that ids are unique.
        (
            Err(RegistryError::Row {
                field: Some(Field::Id),
                line: careful_line,
                ..
            }),
            res,
        ) => {
            if let Err(RegistryError::Row {
                line: fast_line, ..
            }) = res
            {
                assert!(
                    careful_line <= fast_line,
                    "careful: {careful:?}, fast: {fast:?}"
                );
            }
        }
        (Err(RegistryError::Row { line: a, .. }), Err(RegistryError::Row { line: b, .. })) => {
            assert_eq!(a, b, "careful: {careful:?}, fast: {fast:?}");
        }
        (Err(RegistryError::Header { .. }), Err(RegistryError::Header { .. })) => {}
        _ => panic!("the two paths disagree: careful: {careful:?}, fast: {fast:?}"),
    }

    if let Ok(import) = read_registry(data, BadRowPolicy::SkipBadRows) {
        let mut out = Vec::new();
        write_rejected(&import.header, &import.rejected, &mut out).expect("writes to a Vec");
    }
});
