//! Match quality: how often introductions were accepted, by band of match score.

use serde::Serialize;
use vocab::Percent;

/// One band of match scores and what happened to the introductions in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Band {
    /// The lowest score in the band.
    pub from: u8,
    /// The highest score in the band (inclusive).
    pub to: u8,
    /// Introductions offered with a score in the band.
    pub offered: u64,
    /// Of those, how many were accepted.
    pub accepted: u64,
    /// `accepted / offered` as a percentage with one decimal, rounded half up; `None` when
    /// nothing was offered. The exact ratio is `accepted` over `offered`.
    pub rate: Option<Percent>,
}

/// Acceptance by score band: 0–9, 10–19, …, 80–89 and 90–100, all ten bands always present.
///
/// `outcomes` are (score, accepted) pairs; a score above 100 counts in the top band.
pub fn acceptance_by_score_band(outcomes: &[(u8, bool)]) -> Vec<Band> {
    let mut counts = [(0u64, 0u64); 10];
    for (score, accepted) in outcomes {
        let band = usize::from((*score).min(100) / 10).min(9);
        counts[band].0 += 1;
        if *accepted {
            counts[band].1 += 1;
        }
    }
    counts
        .iter()
        .enumerate()
        .map(|(idx, (offered, accepted))| {
            let from = (idx * 10) as u8;
            let to = if idx == 9 { 100 } else { from + 9 };
            Band {
                from,
                to,
                offered: *offered,
                accepted: *accepted,
                rate: rate(*accepted, *offered),
            }
        })
        .collect()
}

fn rate(accepted: u64, offered: u64) -> Option<Percent> {
    if offered == 0 {
        return None;
    }
    // Tenths of a percent, rounded half up: (accepted * 1000 / offered) + 1/2.
    let tenths = (u128::from(accepted) * 2000 + u128::from(offered)) / (2 * u128::from(offered));
    Percent::new(i64::try_from(tenths).ok()? * 100_000, 1).ok()
}
