//! `refdata`: one reference CSV file replaced by the input, the others as shipped, read with
//! every check that spans files. The first byte picks the file.

#![no_main]

use libfuzzer_sys::fuzz_target;
use refdata::{Dataset, ReferenceData};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let replaced = Dataset::ALL[usize::from(pick) % Dataset::ALL.len()];
    let res = ReferenceData::from_texts(|dataset| {
        if dataset == replaced {
            text.to_owned()
        } else {
            shipped(dataset).to_owned()
        }
    });
    if let Ok(data) = res {
        for dataset in Dataset::ALL {
            let _ = data.row_count(dataset);
        }
    }
});

fn shipped(dataset: Dataset) -> &'static str {
    match dataset {
        Dataset::Documents => include_str!("../../data/documents.csv"),
        Dataset::Places => include_str!("../../data/places.csv"),
        Dataset::ValueAdded => include_str!("../../data/industry_value_added.csv"),
        Dataset::ProducerServices => include_str!("../../data/producer_services.csv"),
        Dataset::ProducerServicesOverlap => {
            include_str!("../../data/producer_services_overlap.csv")
        }
        Dataset::MainlandManufacturers => {
            include_str!("../../data/mainland_manufacturers_2024.csv")
        }
        Dataset::Pledges => include_str!("../../data/pledges.csv"),
    }
}
