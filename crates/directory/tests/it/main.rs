//! Integration tests of the directory, one binary: tokenizer, input parsing, search, facets,
//! index maintenance, matching, match quality and the synthetic data, all through the public
//! API and, where data is needed, on the demo directory built once in memory.

mod facets;
mod index_ops;
mod input;
mod matching;
mod quality;
mod search;
mod synth;
mod tokenizer;

use std::collections::HashMap;
use std::sync::OnceLock;

use directory::{synth as generator, DirectoryIndex, Entry, EntryId, IndexConfig};

/// The demo seed every shared test uses.
const SEED: u64 = 2024;

/// The demo directory, its entries by id and its index, built once for all tests.
struct Demo {
    entries: HashMap<EntryId, Entry>,
    index: DirectoryIndex,
}

fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let index = DirectoryIndex::create_in_ram(&IndexConfig::SMALL).expect("an index in memory");
        let entries: Vec<Entry> = generator::demo(SEED).collect();
        index
            .rebuild(entries.iter().cloned(), |_| {})
            .expect("the demo indexes");
        Demo {
            entries: entries.into_iter().map(|e| (e.id(), e)).collect(),
            index,
        }
    })
}

impl Demo {
    #[track_caller]
    fn entry(&self, id: EntryId) -> &Entry {
        self.entries.get(&id).expect("every hit is a demo entry")
    }
}
