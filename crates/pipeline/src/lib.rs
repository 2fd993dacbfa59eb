//! The investment pipeline's dashboard: did the pledges turn into investment, jobs and output?
//!
//! [`dashboard`] takes every item the caller may see (published pledges and organisations'
//! projects alike, each a [`PipelineItem`]) and adds them up by stage, sector, year and
//! programme. Each view partitions the same items, so every view's groups sum to the same
//! [`Totals`]; [`Dashboard::check_views_add_up`] says so or names the view that does not.
//! Money is exact (integer cents, checked sums); shares are exact [`Percent`]s.

use std::collections::BTreeMap;

use serde::Serialize;
use vocab::{
    BilingualText, Currency, ManufacturingSector, Money, OrgId, Percent, Programme, ProjectStage,
    Provenance, VocabError, Year,
};

/// What can go wrong adding up the pipeline.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PipelineError {
    /// A sum left the range of [`Money`].
    #[error("the {what} total does not fit in a 64-bit number of cents")]
    Overflow {
        /// Which total.
        what: &'static str,
    },
    /// A view's groups do not add up to the grand total (a bug, reported rather than shown).
    #[error("the {view} view adds up to {got} but the grand total is {expected}")]
    ViewsDisagree {
        /// The view.
        view: &'static str,
        /// Its sum.
        got: String,
        /// The grand total.
        expected: String,
    },
    /// A share could not be expressed.
    #[error("share: {0}")]
    Share(#[from] VocabError),
}

/// One investment in the pipeline, whatever it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PipelineItem {
    /// A stable key: the pledge's code or `project-<id>`.
    pub key: String,
    /// What it is.
    pub title: BilingualText,
    /// Who is investing, when known.
    pub organisation: Option<BilingualText>,
    /// Where it is in the pipeline.
    pub stage: ProjectStage,
    /// The manufacturing division, when known.
    pub sector: Option<ManufacturingSector>,
    /// The programme or fund.
    pub programme: Option<Programme>,
    /// The year announced or pledged.
    pub year: Option<Year>,
    /// Investment pledged.
    pub pledged: Option<Money>,
    /// Investment realised so far.
    pub realised: Option<Money>,
    /// Jobs pledged.
    pub jobs_pledged: Option<u32>,
    /// Jobs created so far.
    pub jobs_realised: Option<u32>,
    /// Output a year pledged.
    pub output_pledged: Option<Money>,
    /// Output a year achieved.
    pub output_realised: Option<Money>,
    /// Where the figures come from.
    pub source: ItemSource,
    /// Whether only its organisation and officers may see it.
    pub private: bool,
}

/// Where an item's figures come from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ItemSource {
    /// Shipped reference data, with its provenance (published pledges carry their document).
    Reference {
        /// Published, indicative or synthetic.
        provenance: Provenance,
    },
    /// A project an organisation keeps on the platform, as it reports it.
    ReportedBy {
        /// The organisation.
        org: OrgId,
    },
}

/// Sums over a set of items. Amounts are in Hong Kong dollars; an item in another currency is
/// left out of the sums and counted in `other_currency` so the gap is visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Items counted.
    pub items: u32,
    /// Items whose amounts are not in HKD (counted, not summed).
    pub other_currency: u32,
    /// Investment pledged.
    pub pledged: Money,
    /// Investment realised.
    pub realised: Money,
    /// Items with a pledged amount.
    pub with_pledged_amount: u32,
    /// Items with a realised amount reported.
    pub with_realised_amount: u32,
    /// Jobs pledged.
    pub jobs_pledged: u64,
    /// Jobs created.
    pub jobs_realised: u64,
    /// Output a year pledged.
    pub output_pledged: Money,
    /// Output a year achieved.
    pub output_realised: Money,
}

impl Default for Totals {
    fn default() -> Self {
        Totals {
            items: 0,
            other_currency: 0,
            pledged: Money::hkd(0),
            realised: Money::hkd(0),
            with_pledged_amount: 0,
            with_realised_amount: 0,
            jobs_pledged: 0,
            jobs_realised: 0,
            output_pledged: Money::hkd(0),
            output_realised: Money::hkd(0),
        }
    }
}

impl Totals {
    fn add(&mut self, item: &PipelineItem) -> Result<(), PipelineError> {
        self.items += 1;
        let amounts = [
            item.pledged,
            item.realised,
            item.output_pledged,
            item.output_realised,
        ];
        if amounts
            .iter()
            .flatten()
            .any(|m| m.currency() != Currency::Hkd)
        {
            self.other_currency += 1;
        } else {
            let add = |total: &mut Money,
                       amount: Option<Money>,
                       what: &'static str|
             -> Result<(), PipelineError> {
                if let Some(amount) = amount {
                    *total = total
                        .checked_add(amount)
                        .map_err(|_| PipelineError::Overflow { what })?;
                }
                Ok(())
            };
            add(&mut self.pledged, item.pledged, "pledged")?;
            add(&mut self.realised, item.realised, "realised")?;
            add(
                &mut self.output_pledged,
                item.output_pledged,
                "output pledged",
            )?;
            add(
                &mut self.output_realised,
                item.output_realised,
                "output realised",
            )?;
            self.with_pledged_amount += u32::from(item.pledged.is_some());
            self.with_realised_amount += u32::from(item.realised.is_some());
        }
        self.jobs_pledged += item.jobs_pledged.map_or(0, u64::from);
        self.jobs_realised += item.jobs_realised.map_or(0, u64::from);
        Ok(())
    }

    fn merge(&mut self, other: &Totals) -> Result<(), PipelineError> {
        let sum = |a: Money, b: Money, what: &'static str| -> Result<Money, PipelineError> {
            a.checked_add(b)
                .map_err(|_| PipelineError::Overflow { what })
        };
        self.items += other.items;
        self.other_currency += other.other_currency;
        self.pledged = sum(self.pledged, other.pledged, "pledged")?;
        self.realised = sum(self.realised, other.realised, "realised")?;
        self.with_pledged_amount += other.with_pledged_amount;
        self.with_realised_amount += other.with_realised_amount;
        self.jobs_pledged += other.jobs_pledged;
        self.jobs_realised += other.jobs_realised;
        self.output_pledged = sum(self.output_pledged, other.output_pledged, "output pledged")?;
        self.output_realised = sum(
            self.output_realised,
            other.output_realised,
            "output realised",
        )?;
        Ok(())
    }

    /// Realised investment as a share of pledged, to one decimal; `None` when nothing is pledged.
    pub fn realised_share(&self) -> Result<Option<Percent>, PipelineError> {
        share(self.realised.cents(), self.pledged.cents())
    }

    /// Jobs created as a share of jobs pledged, to one decimal; `None` when no jobs are pledged.
    pub fn jobs_share(&self) -> Result<Option<Percent>, PipelineError> {
        let (Ok(done), Ok(promised)) = (
            i64::try_from(self.jobs_realised),
            i64::try_from(self.jobs_pledged),
        ) else {
            return Err(PipelineError::Overflow { what: "jobs" });
        };
        share(done, promised)
    }
}

/// `part / whole` as a percentage to one decimal, rounded half to even, exactly.
fn share(part: i64, whole: i64) -> Result<Option<Percent>, PipelineError> {
    if whole <= 0 {
        return Ok(None);
    }
    // In tenths of a percentage point: part × 1000 / whole, rounded half to even.
    let numerator = i128::from(part) * 1000;
    let whole = i128::from(whole);
    let (quotient, remainder) = (numerator / whole, numerator % whole);
    let tenths = match (remainder * 2).cmp(&whole) {
        std::cmp::Ordering::Less => quotient,
        std::cmp::Ordering::Greater => quotient + 1,
        std::cmp::Ordering::Equal => quotient + (quotient % 2),
    };
    let millionths =
        i64::try_from(tenths * 100_000).map_err(|_| PipelineError::Overflow { what: "share" })?;
    Ok(Some(Percent::new(millionths, 1)?))
}

/// One group of a view: its key (`None` for items that do not say) and its sums.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group<K> {
    /// The group's key; `None` gathers the items that leave it unknown.
    pub key: Option<K>,
    /// Its sums.
    pub totals: Totals,
}

/// The pipeline added up four ways.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dashboard {
    /// Everything.
    pub total: Totals,
    /// By stage, lead to operating.
    pub by_stage: Vec<Group<ProjectStage>>,
    /// By manufacturing division.
    pub by_sector: Vec<Group<ManufacturingSector>>,
    /// By year announced.
    pub by_year: Vec<Group<Year>>,
    /// By programme or fund.
    pub by_programme: Vec<Group<Programme>>,
}

fn view<K: Ord + Copy>(
    items: &[PipelineItem],
    key: impl Fn(&PipelineItem) -> Option<K>,
) -> Result<Vec<Group<K>>, PipelineError> {
    let mut groups: BTreeMap<Option<K>, Totals> = BTreeMap::new();
    for item in items {
        groups.entry(key(item)).or_default().add(item)?;
    }
    // Known keys first in their order, the unknown group last.
    let mut out: Vec<Group<K>> = groups
        .into_iter()
        .map(|(key, totals)| Group { key, totals })
        .collect();
    let unknown_first = out.first().is_some_and(|g| g.key.is_none());
    out.rotate_left(usize::from(unknown_first));
    Ok(out)
}

/// Adds up `items` by stage, sector, year and programme.
pub fn dashboard(items: &[PipelineItem]) -> Result<Dashboard, PipelineError> {
    let mut total = Totals::default();
    for item in items {
        total.add(item)?;
    }
    let dashboard = Dashboard {
        total,
        by_stage: view(items, |i| Some(i.stage))?,
        by_sector: view(items, |i| i.sector)?,
        by_year: view(items, |i| i.year)?,
        by_programme: view(items, |i| i.programme)?,
    };
    dashboard.check_views_add_up()?;
    Ok(dashboard)
}

impl Dashboard {
    /// Checks that each view's groups add up to the grand total.
    pub fn check_views_add_up(&self) -> Result<(), PipelineError> {
        fn sum<K>(groups: &[Group<K>]) -> Result<Totals, PipelineError> {
            let mut total = Totals::default();
            for g in groups {
                total.merge(&g.totals)?;
            }
            Ok(total)
        }
        for (view, got) in [
            ("stage", sum(&self.by_stage)?),
            ("sector", sum(&self.by_sector)?),
            ("year", sum(&self.by_year)?),
            ("programme", sum(&self.by_programme)?),
        ] {
            if got != self.total {
                return Err(PipelineError::ViewsDisagree {
                    view,
                    got: format!("{got:?}"),
                    expected: format!("{:?}", self.total),
                });
            }
        }
        Ok(())
    }
}

/// The year in an announcement date such as `2023` or `2023-10`.
pub fn year_of_announcement(announced: &str) -> Option<Year> {
    Year::parse(announced.get(..4)?).ok()
}
