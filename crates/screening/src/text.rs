//! Text helpers shared by the duplicate index and the risk model: splitting into lowercase
//! words, and a hash that is the same in every build (FNV-1a, then a SplitMix64 finaliser).

/// The lowercase words of a text: runs of letters and digits (any script); everything else
/// separates words.
pub(crate) fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
}

/// The words of a text as slices (not lowercased): runs of letters and digits.
pub(crate) fn raw_words(text: &str) -> impl Iterator<Item = &str> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
}

/// The same hash as `hash_str(&word.to_lowercase(), seed)`, without allocating for ASCII words.
pub(crate) fn hash_lowercase(word: &str, seed: u64) -> u64 {
    if !word.is_ascii() {
        return hash_str(&word.to_lowercase(), seed);
    }
    let mut hash = fnv_seed(seed);
    for byte in word.bytes() {
        hash ^= u64::from(byte.to_ascii_lowercase());
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    finish(hash)
}

/// The hash of a word pair from the hashes of its words.
pub(crate) fn pair_hash(first: u64, second: u64) -> u64 {
    finish(first.rotate_left(23) ^ second ^ 0x5041_4952)
}

const FNV_PRIME: u64 = 0x0000_0100_0000_01B3;

fn fnv_seed(seed: u64) -> u64 {
    let mut hash: u64 = 0xCBF2_9CE4_8422_2325;
    for byte in seed.to_le_bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    hash
}

/// A stable 64-bit hash of a string with a seed: FNV-1a over the seed's and the text's bytes,
/// finished with SplitMix64 so that nearby inputs spread over all bits.
pub(crate) fn hash_str(text: &str, seed: u64) -> u64 {
    let mut hash = fnv_seed(seed);
    for byte in text.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    finish(hash)
}

/// The SplitMix64 finaliser.
pub(crate) fn finish(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A small deterministic random stream (SplitMix64), so synthetic data and splits are the same
/// on every machine and with every version of every dependency.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix {
    state: u64,
}

impl SplitMix {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix { state: seed }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        finish(self.state)
    }

    /// A float in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1_u64 << 53) as f64
    }

    /// A whole number in `low..=high`.
    pub(crate) fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }

    /// A standard normal draw (Box-Muller).
    pub(crate) fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// One element of a non-empty slice.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }
}
