//! Consistency checks for published figures: the GDP that each (value, rounded share) pair
//! implies, whether components add up to their total, and which sample sizes fit a set of
//! rounded survey percentages.
//!
//! All of it is exact integer arithmetic (`i128`); the results are findings, not errors.
//!
//! # The GDP a figure implies
//!
//! A value `V` published with a share `s` rounded to `d` decimals means the true share lies in
//! `[s - h, s + h]` with `h` half a unit of the last decimal, so GDP lies in
//! `[V / (s + h), V / (s - h)]` (unbounded above when `s - h` is zero or less).
//! By Helly's theorem in one dimension, a set of such intervals has a common point exactly
//! when every pair of them overlaps, so the pairwise conflicts explain any empty intersection.

use std::ops::RangeInclusive;

use serde::Serialize;
use vocab::{Currency, Money, Percent};

use crate::exact::{div_ceil, div_floor, div_round_half_even, pow10};
use crate::table::parse_hkd_bn;
use crate::StatsError;

/// A published figure: a value in HK$ and its share of GDP as published (rounded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedFigure {
    label: String,
    value: Money,
    share: Percent,
}

/// An interval of GDP, its bounds rounded outward to the cent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GdpInterval {
    /// The lowest GDP, rounded down to the cent.
    pub lower: Money,
    /// The highest GDP, rounded up to the cent; `None` when unbounded (the share rounds to 0).
    pub upper: Option<Money>,
}

/// One published figure, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FigureCheck {
    /// The figure's label as given.
    pub label: String,
    /// The published value.
    pub value: Money,
    /// The published share.
    pub share: Percent,
    /// The GDP this figure alone implies.
    pub implied_gdp: GdpInterval,
    /// Whether its interval overlaps the intersection of the others' intervals (true when the
    /// others do not intersect among themselves: the conflict is theirs, see `conflicts_with`).
    pub consistent: bool,
    /// The labels of the figures whose intervals do not overlap this one's.
    pub conflicts_with: Vec<String>,
}

/// What a set of published figures implies about GDP, and which figures do not fit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsistencyReport {
    /// Every figure, in the order given.
    pub figures: Vec<FigureCheck>,
    /// The GDP every figure allows (the intersection, rounded outward); `None` when the
    /// intervals have no common point.
    pub implied_gdp: Option<GdpInterval>,
    /// Whether all intervals have a common point.
    pub all_consistent: bool,
}

/// Whether published components add up to their published total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SumCheck {
    /// The published total.
    pub total: Money,
    /// The sum of the published components.
    pub components_sum: Money,
    /// `components_sum - total`, exact.
    pub difference: Money,
    /// Whether the difference is zero.
    pub adds_up_exactly: bool,
    /// The most the difference can be from rounding alone: half a unit of the last decimal of
    /// every component and of the total, rounded down to the cent.
    pub rounding_tolerance: Money,
    /// Whether the difference is within that tolerance.
    pub within_rounding: bool,
}

impl PublishedFigure {
    /// A figure from its label, its value in HK$ billion as exact decimal text (`"127.1"`) and
    /// its share of GDP as published (`"4.4"`; the decimals given are the precision).
    ///
    /// The value must be above zero and the share zero or above.
    pub fn parse(
        label: &str,
        value_hkd_bn: &str,
        share_percent: &str,
    ) -> Result<PublishedFigure, StatsError> {
        let invalid = |what: &str, text: &str, reason: String| StatsError::InvalidValue {
            what: format!("published {what} of `{label}`"),
            text: text.to_owned(),
            reason,
        };
        let value = parse_hkd_bn(value_hkd_bn)
            .map_err(|e| invalid("value", value_hkd_bn, e.to_string()))?;
        if value.cents() <= 0 {
            return Err(invalid(
                "value",
                value_hkd_bn,
                "must be above zero".to_owned(),
            ));
        }
        let share = Percent::parse(share_percent)
            .map_err(|e| invalid("share", share_percent, e.to_string()))?;
        if share.millionths() < 0 {
            return Err(invalid(
                "share",
                share_percent,
                "must not be below zero".to_owned(),
            ));
        }
        Ok(PublishedFigure {
            label: label.to_owned(),
            value,
            share,
        })
    }

    /// The label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The value, in HK$.
    pub fn value(&self) -> Money {
        self.value
    }

    /// The share as published.
    pub fn share(&self) -> Percent {
        self.share
    }
}

impl GdpInterval {
    /// The midpoint of the bounds, rounded half to even to the cent; `None` when unbounded.
    pub fn midpoint(&self) -> Option<Money> {
        let upper = self.upper?;
        let sum = i128::from(self.lower.cents()) + i128::from(upper.cents());
        let mid = div_round_half_even(sum, 2);
        // Between two i64 values, so it fits.
        Some(Money::from_cents(mid as i64, Currency::Hkd))
    }

    /// Whether an amount lies within the bounds.
    pub fn contains(&self, gdp: Money) -> bool {
        gdp >= self.lower && self.upper.is_none_or(|upper| gdp <= upper)
    }
}

/// Checks published figures against one another through the GDP each implies.
///
/// An empty list gives an empty report with no interval.
pub fn check_published_figures(
    figures: &[PublishedFigure],
) -> Result<ConsistencyReport, StatsError> {
    let exact: Vec<ExactInterval> = figures
        .iter()
        .map(ExactInterval::implied_by)
        .collect::<Result<_, _>>()?;
    let mut checks = Vec::new();
    for (idx, figure) in figures.iter().enumerate() {
        let mut conflicts_with = Vec::new();
        for (other_idx, other) in figures.iter().enumerate() {
            if other_idx != idx && !exact[idx].overlaps(&exact[other_idx])? {
                conflicts_with.push(other.label.clone());
            }
        }
        let others: Vec<ExactInterval> = exact
            .iter()
            .enumerate()
            .filter(|(other_idx, _)| *other_idx != idx)
            .map(|(_, interval)| *interval)
            .collect();
        let consistent = match intersect(&others)? {
            Intersection::Interval(others) => exact[idx].overlaps(&others)?,
            // No others, or the others conflict among themselves.
            Intersection::Empty | Intersection::NoIntervals => true,
        };
        checks.push(FigureCheck {
            label: figure.label.clone(),
            value: figure.value,
            share: figure.share,
            implied_gdp: exact[idx].rounded_outward()?,
            consistent,
            conflicts_with,
        });
    }
    let implied_gdp = match intersect(&exact)? {
        Intersection::Interval(interval) => Some(interval.rounded_outward()?),
        Intersection::Empty | Intersection::NoIntervals => None,
    };
    let all_consistent = figures.is_empty() || implied_gdp.is_some();
    Ok(ConsistencyReport {
        figures: checks,
        implied_gdp,
        all_consistent,
    })
}

/// Checks that published components (HK$ billion, exact decimal text) add up to their
/// published total.
pub fn check_sum(total_hkd_bn: &str, components_hkd_bn: &[&str]) -> Result<SumCheck, StatsError> {
    let parse = |what: &str, text: &str| {
        parse_hkd_bn(text).map_err(|e| StatsError::InvalidValue {
            what: what.to_owned(),
            text: text.to_owned(),
            reason: e.to_string(),
        })
    };
    // Half a unit of the last decimal, in half-cents: 10^(11 - decimals), since one billion
    // is 10^11 cents.
    let half_unit_in_half_cents = |text: &str| {
        let decimals = text.trim().split_once('.').map_or(0, |(_, f)| f.len()) as u32;
        pow10(11_u32.saturating_sub(decimals))
    };
    let total = parse("published total", total_hkd_bn)?;
    let mut sum: i128 = 0;
    let mut tolerance_half_cents = half_unit_in_half_cents(total_hkd_bn);
    for text in components_hkd_bn {
        sum += i128::from(parse("published component", text)?.cents());
        tolerance_half_cents += half_unit_in_half_cents(text);
    }
    let overflow = || StatsError::Overflow {
        operation: format!("sum of {} components", components_hkd_bn.len()),
    };
    let Ok(sum_cents) = i64::try_from(sum) else {
        return Err(overflow());
    };
    let difference = sum - i128::from(total.cents());
    let Ok(difference_cents) = i64::try_from(difference) else {
        return Err(overflow());
    };
    let tolerance_cents = i64::try_from(tolerance_half_cents / 2).unwrap_or(i64::MAX);
    Ok(SumCheck {
        total,
        components_sum: Money::from_cents(sum_cents, Currency::Hkd),
        difference: Money::from_cents(difference_cents, Currency::Hkd),
        adds_up_exactly: difference == 0,
        rounding_tolerance: Money::from_cents(tolerance_cents, Currency::Hkd),
        within_rounding: 2 * difference.abs() <= tolerance_half_cents,
    })
}

/// Every sample size `n` in `range` for which whole counts `k` (0 to `n`) exist with `k / n`
/// rounding (half up) to each published percentage.
///
/// Each percentage is given as text (`"67.3"`) with the number of decimals it was published
/// with (`1`); the text may have fewer decimals than that (`"15"` with 1 decimal is 15.0), not
/// more.
/// The percentages may come from one question or from several asked of the same respondents.
///
/// For `"67.3"`, `"63.6"` and `"36.4"` the answer starts with 55 (37/55 = 67.27%,
/// 35/55 = 63.64%, 20/55 = 36.36%).
pub fn sample_sizes_consistent(
    percentages: &[(&str, u8)],
    range: RangeInclusive<u32>,
) -> Result<Vec<u32>, StatsError> {
    let mut targets = Vec::new();
    for (text, decimals) in percentages {
        let invalid = |reason: String| StatsError::InvalidValue {
            what: "published percentage".to_owned(),
            text: (*text).to_owned(),
            reason,
        };
        let percent = Percent::parse(text).map_err(|e| invalid(e.to_string()))?;
        if percent.decimals() > *decimals {
            return Err(invalid(format!(
                "has {} decimals, more than the {decimals} it is said to be published with",
                percent.decimals()
            )));
        }
        if percent.millionths() < 0 || percent.millionths() > 100_000_000 {
            return Err(invalid("is not between 0 and 100".to_owned()));
        }
        // The percentage times 10^decimals, a whole number: 67.3 with 1 decimal is 673.
        let scaled = i128::from(percent.millionths()) / pow10(6 - u32::from(percent.decimals()))
            * pow10(u32::from(*decimals - percent.decimals()));
        targets.push((scaled, u32::from(*decimals)));
    }
    let sizes = range
        .filter(|n| *n > 0)
        .filter(|n| {
            targets
                .iter()
                .all(|(scaled, decimals)| count_rounds_to(*n, *scaled, *decimals))
        })
        .collect();
    Ok(sizes)
}

/// Whether some `k` in `0..=n` has `k / n` as a percentage rounding half up to
/// `scaled / 10^decimals`, i.e. `(2 scaled - 1) n <= 2 k 10^(decimals + 2) < (2 scaled + 1) n`.
fn count_rounds_to(n: u32, scaled: i128, decimals: u32) -> bool {
    let n = i128::from(n);
    let unit = 2 * pow10(decimals + 2);
    let smallest = div_ceil((2 * scaled - 1) * n, unit).max(0);
    smallest <= n && smallest * unit < (2 * scaled + 1) * n
}

/// An exact interval of GDP in cents: `lower` and `upper` are `(numerator, denominator)` with
/// the denominator above zero; `upper` is `None` when unbounded.
#[derive(Debug, Clone, Copy)]
struct ExactInterval {
    lower: (i128, i128),
    upper: Option<(i128, i128)>,
}

impl ExactInterval {
    /// `[V / (s + h), V / (s - h)]` in cents, for share `s = S / 10^d` percent:
    /// `V x 2 x 10^(d + 2) / (2S + 1)` to `V x 2 x 10^(d + 2) / (2S - 1)`.
    fn implied_by(figure: &PublishedFigure) -> Result<ExactInterval, StatsError> {
        let decimals = u32::from(figure.share.decimals());
        let scaled = i128::from(figure.share.millionths()) / pow10(6 - decimals);
        let numerator = i128::from(figure.value.cents()) * 2 * pow10(decimals + 2);
        let upper_denominator = 2 * scaled - 1;
        Ok(ExactInterval {
            lower: (numerator, 2 * scaled + 1),
            upper: (upper_denominator > 0).then_some((numerator, upper_denominator)),
        })
    }

    /// Whether the two intervals share a point (bounds included).
    fn overlaps(&self, other: &ExactInterval) -> Result<bool, StatsError> {
        let below = |lower: (i128, i128), upper: Option<(i128, i128)>| match upper {
            None => Ok(true),
            Some(upper) => compare(lower, upper).map(|order| order.is_le()),
        };
        Ok(below(self.lower, other.upper)? && below(other.lower, self.upper)?)
    }

    /// The bounds rounded outward to the cent.
    fn rounded_outward(&self) -> Result<GdpInterval, StatsError> {
        let to_money = |cents: i128| match i64::try_from(cents) {
            Ok(cents) => Ok(Money::from_cents(cents, Currency::Hkd)),
            Err(_) => Err(StatsError::Overflow {
                operation: format!("implied GDP of {cents} cents"),
            }),
        };
        let lower = to_money(div_floor(self.lower.0, self.lower.1))?;
        let upper = match self.upper {
            Some((numerator, denominator)) => Some(to_money(div_ceil(numerator, denominator))?),
            None => None,
        };
        Ok(GdpInterval { lower, upper })
    }
}

/// The intersection of a list of intervals.
enum Intersection {
    /// The list is empty.
    NoIntervals,
    /// The intervals have no common point.
    Empty,
    /// The common points.
    Interval(ExactInterval),
}

fn intersect(intervals: &[ExactInterval]) -> Result<Intersection, StatsError> {
    let Some((first, rest)) = intervals.split_first() else {
        return Ok(Intersection::NoIntervals);
    };
    let mut current = *first;
    for interval in rest {
        if compare(interval.lower, current.lower)?.is_gt() {
            current.lower = interval.lower;
        }
        current.upper = match (current.upper, interval.upper) {
            (None, upper) | (upper, None) => upper,
            (Some(a), Some(b)) => Some(if compare(b, a)?.is_lt() { b } else { a }),
        };
    }
    let empty = match current.upper {
        Some(upper) => compare(current.lower, upper)?.is_gt(),
        None => false,
    };
    if empty {
        return Ok(Intersection::Empty);
    }
    Ok(Intersection::Interval(current))
}

/// Compares two fractions with positive denominators by cross-multiplying.
fn compare(a: (i128, i128), b: (i128, i128)) -> Result<std::cmp::Ordering, StatsError> {
    match (a.0.checked_mul(b.1), b.0.checked_mul(a.1)) {
        (Some(left), Some(right)) => Ok(left.cmp(&right)),
        _ => Err(StatsError::Overflow {
            operation: format!("comparing {}/{} with {}/{}", a.0, a.1, b.0, b.1),
        }),
    }
}
