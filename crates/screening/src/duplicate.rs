//! Finding the same project (or the same costs) applied for twice, without comparing every
//! pair: MinHash signatures over word shingles, banded into a locality-sensitive hash index.
//!
//! Each application becomes a set of shingles: the words and word pairs of its title and
//! description (lowercased, punctuation and a few stop words dropped) and one shingle per
//! budget line (category and amount).
//! Its signature holds, for each of [`SIGNATURE_LEN`] hash functions, the least hash over the
//! set; two signatures agree in a position with probability equal to the sets' Jaccard
//! similarity.
//! The signature is cut into [`BANDS`] bands of [`ROWS_PER_BAND`] rows; applications that agree
//! on a whole band land in the same bucket and become candidates.
//! With 24 bands of 4 rows, a pair at similarity 0.6 becomes a candidate with probability 0.96,
//! at 0.5 with 0.79, at 0.3 with 0.18 and at 0.2 with 0.04.
//! Each candidate's similarity is then computed exactly on the stored sets, so the estimate
//! only decides whom to look at, never the verdict.

use std::hash::Hasher;

use rustc_hash::{FxHashMap, FxHasher};
use serde::Serialize;

use crate::application::Application;

/// The number of hash functions in a signature.
pub const SIGNATURE_LEN: usize = BANDS * ROWS_PER_BAND;
/// The number of bands the signature is cut into.
pub const BANDS: usize = 24;
/// The rows (signature positions) per band.
pub const ROWS_PER_BAND: usize = 4;
/// The exact Jaccard similarity at which a part (title, description, budget) counts as
/// matched in [`DuplicateHit::parts`].
pub const PART_MATCH_SIMILARITY: f64 = 0.5;

/// Earlier applications (of any scheme, funded or not) to look for duplicates among.
#[derive(Debug, Clone, Default)]
pub struct DuplicateIndex {
    entries: Vec<Entry>,
    /// The last entry put in each bucket (keyed by band and band hash).
    heads: FxHashMap<u64, u32>,
    /// For entry `i` and band `b`, at `i * BANDS + b`: the entry put in the same bucket before
    /// it, or `u32::MAX`. Chaining through one flat vector avoids a vector per bucket (nearly
    /// every bucket holds one entry).
    next: Vec<u32>,
}

/// An earlier application that looks like the one screened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DuplicateHit {
    /// The other application's key.
    pub other: String,
    /// The exact Jaccard similarity of the two shingle sets, 0 to 1.
    pub similarity: f64,
    /// The MinHash estimate that made it a candidate, 0 to 1.
    pub estimate: f64,
    /// The parts whose own similarity is at least [`PART_MATCH_SIMILARITY`].
    pub parts: Vec<MatchedPart>,
}

/// A part of an application that matched another's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedPart {
    /// The project titles.
    Title,
    /// The project descriptions.
    Description,
    /// The budget lines (same categories and amounts).
    BudgetLines,
}

/// An application's shingles and MinHash signature.
#[derive(Debug, Clone)]
pub(crate) struct Fingerprint {
    shingles: Shingles,
    signature: [u64; SIGNATURE_LEN],
}

impl Fingerprint {
    pub(crate) fn of(application: &Application) -> Self {
        let shingles = shingles_of(application);
        let signature = signature_of(&shingles.all);
        Fingerprint {
            shingles,
            signature,
        }
    }
}

#[derive(Debug, Clone)]
struct Entry {
    key: String,
    shingles: Shingles,
    signature: [u64; SIGNATURE_LEN],
}

/// Sorted, deduplicated shingle hashes of each part, and of all parts together.
#[derive(Debug, Clone)]
struct Shingles {
    all: Vec<u64>,
    title: Vec<u64>,
    description: Vec<u64>,
    budget: Vec<u64>,
}

const STOP_WORDS: [&str; 16] = [
    "a", "an", "and", "the", "of", "to", "for", "in", "on", "with", "by", "our", "we", "its", "at",
    "is",
];

impl DuplicateIndex {
    /// An empty index.
    pub fn new() -> Self {
        DuplicateIndex::default()
    }

    /// The number of applications in the index.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the index holds no application.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds an application under a key (its reference, or `scheme/reference` across schemes).
    pub fn insert(&mut self, key: String, application: &Application) {
        self.insert_fingerprint(key, Fingerprint::of(application));
    }

    /// The indexed applications that share a band with this one, other than entries under
    /// the application's own reference, most similar first (ties by key).
    ///
    /// Every candidate is returned with its exact similarity, however low; callers compare it
    /// with their threshold (a scheme's `max_duplicate_similarity_pct`).
    pub fn candidates(&self, application: &Application) -> Vec<DuplicateHit> {
        let fingerprint = Fingerprint::of(application);
        self.candidates_of(
            application.reference(),
            &fingerprint.shingles,
            &fingerprint.signature,
        )
    }

    /// The candidates of an application already fingerprinted (so a batch hashes each
    /// application once for several indexes).
    pub(crate) fn candidates_by_fingerprint(
        &self,
        own_key: &str,
        fingerprint: &Fingerprint,
    ) -> Vec<DuplicateHit> {
        self.candidates_of(own_key, &fingerprint.shingles, &fingerprint.signature)
    }

    /// Adds an application already fingerprinted.
    pub(crate) fn insert_fingerprint(&mut self, key: String, fingerprint: Fingerprint) {
        let idx = u32::try_from(self.entries.len()).unwrap_or(u32::MAX - 1);
        for band in 0..BANDS {
            let previous = self
                .heads
                .insert(band_hash(&fingerprint.signature, band), idx)
                .unwrap_or(u32::MAX);
            self.next.push(previous);
        }
        self.entries.push(Entry {
            key,
            shingles: fingerprint.shingles,
            signature: fingerprint.signature,
        });
    }

    fn candidates_of(
        &self,
        own_key: &str,
        shingles: &Shingles,
        signature: &[u64; SIGNATURE_LEN],
    ) -> Vec<DuplicateHit> {
        let mut found: Vec<u32> = Vec::new();
        for band in 0..BANDS {
            let mut idx = self
                .heads
                .get(&band_hash(signature, band))
                .copied()
                .unwrap_or(u32::MAX);
            while idx != u32::MAX {
                found.push(idx);
                idx = self
                    .next
                    .get(idx as usize * BANDS + band)
                    .copied()
                    .unwrap_or(u32::MAX);
            }
        }
        found.sort_unstable();
        found.dedup();
        let mut hits: Vec<DuplicateHit> = found
            .into_iter()
            .filter_map(|idx| self.entries.get(idx as usize))
            .filter(|entry| entry.key != own_key)
            .map(|entry| {
                let agree = entry
                    .signature
                    .iter()
                    .zip(signature.iter())
                    .filter(|(a, b)| a == b)
                    .count();
                let mut parts = Vec::new();
                let pairs = [
                    (MatchedPart::Title, &entry.shingles.title, &shingles.title),
                    (
                        MatchedPart::Description,
                        &entry.shingles.description,
                        &shingles.description,
                    ),
                    (
                        MatchedPart::BudgetLines,
                        &entry.shingles.budget,
                        &shingles.budget,
                    ),
                ];
                for (part, theirs, ours) in pairs {
                    if jaccard(theirs, ours) >= PART_MATCH_SIMILARITY {
                        parts.push(part);
                    }
                }
                DuplicateHit {
                    other: entry.key.clone(),
                    similarity: jaccard(&entry.shingles.all, &shingles.all),
                    estimate: agree as f64 / SIGNATURE_LEN as f64,
                    parts,
                }
            })
            .collect();
        hits.sort_by(|a, b| {
            b.similarity
                .total_cmp(&a.similarity)
                .then_with(|| a.other.cmp(&b.other))
        });
        hits
    }
}

/// The exact Jaccard similarity of two sorted, deduplicated sets; 0 when both are empty.
fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0_usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / (a.len() + b.len() - common) as f64
}

fn shingles_of(application: &Application) -> Shingles {
    let project = application.project();
    let title = text_shingles(project.title());
    let description = text_shingles(project.description().unwrap_or(""));
    let mut budget: Vec<u64> = project
        .budget_lines()
        .iter()
        .map(|line| {
            let mut hasher = FxHasher::default();
            hasher.write_u8(0xB0);
            hasher.write(line.category().as_str().as_bytes());
            hasher.write_i64(line.amount().cents());
            mix(hasher.finish())
        })
        .collect();
    budget.sort_unstable();
    budget.dedup();
    let mut all: Vec<u64> = Vec::with_capacity(title.len() + description.len() + budget.len());
    all.extend_from_slice(&title);
    all.extend_from_slice(&description);
    all.extend_from_slice(&budget);
    all.sort_unstable();
    all.dedup();
    Shingles {
        all,
        title,
        description,
        budget,
    }
}

/// Word unigrams and bigrams of a text, hashed, sorted and deduplicated.
fn text_shingles(text: &str) -> Vec<u64> {
    let words = crate::text::raw_words(text)
        .filter(|word| {
            !STOP_WORDS
                .iter()
                .any(|stop| stop.eq_ignore_ascii_case(word))
        })
        .map(|word| crate::text::hash_lowercase(word, 0x5348_494E))
        .collect::<Vec<u64>>();
    let mut shingles: Vec<u64> = Vec::with_capacity(words.len() * 2);
    shingles.extend_from_slice(&words);
    for pair in words.windows(2) {
        shingles.push(crate::text::pair_hash(pair[0], pair[1]));
    }
    shingles.sort_unstable();
    shingles.dedup();
    shingles
}

/// The MinHash signature: for each position, the least of `a_i × x + b_i` (wrapping) over the
/// set, with odd multipliers from a fixed seed.
fn signature_of(set: &[u64]) -> [u64; SIGNATURE_LEN] {
    let mut signature = [u64::MAX; SIGNATURE_LEN];
    for &x in set {
        for (slot, (a, b)) in signature.iter_mut().zip(HASH_PARAMS.iter()) {
            let h = a.wrapping_mul(x).wrapping_add(*b);
            if h < *slot {
                *slot = h;
            }
        }
    }
    signature
}

static HASH_PARAMS: [(u64, u64); SIGNATURE_LEN] = hash_params();

/// Fixed multipliers and offsets from a SplitMix64 stream, so signatures are the same in every
/// build and every run.
const fn hash_params() -> [(u64, u64); SIGNATURE_LEN] {
    let mut params = [(0_u64, 0_u64); SIGNATURE_LEN];
    let mut state: u64 = 0x6D61_6465_6279_0001;
    let mut i = 0;
    while i < SIGNATURE_LEN {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let a = splitmix(state) | 1;
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let b = splitmix(state);
        params[i] = (a, b);
        i += 1;
    }
    params
}

const fn splitmix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn mix(x: u64) -> u64 {
    splitmix(x)
}

/// The bucket key of a band: its rows hashed together with the band's number.
fn band_hash(signature: &[u64; SIGNATURE_LEN], band: usize) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write_usize(band);
    for value in &signature[band * ROWS_PER_BAND..(band + 1) * ROWS_PER_BAND] {
        hasher.write_u64(*value);
    }
    hasher.finish()
}
