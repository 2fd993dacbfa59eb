//! What industry contributes in one year: value added and share of GDP per component and
//! sub-group, the industry total, producer services apart, and a trace for every figure; and
//! growth between two years.
//!
//! # Arithmetic
//!
//! Each concordance row contributes `value_cents x weight_millionths / 1,000,000`, rounded half
//! to even to the cent ([`Weight::apply`]).
//! A figure is the sum of its rows' rounded contributions, so the terms of its trace add up to
//! it exactly.
//! The industry total is the sum of the four industry components (producer services excluded).
//! A share of GDP is the exact ratio of the figure's cents to GDP's cents ([`Share`]).

use serde::Serialize;
use vocab::{Currency, IndustryComponent, Money, NewIndustriesSubgroup, Provenance, Year};

use crate::concordance::{Concordance, Mapping, MappingRole, Target};
use crate::exact::{Share, Weight};
use crate::table::{GdpFigure, LineCode, ValueAddedTable};
use crate::StatsError;

/// Value added by component in one year, with shares of GDP and a trace for every figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// The year.
    pub year: Year,
    /// GDP in that year, if the table has it; without it no share is computed.
    pub gdp: Option<GdpFigure>,
    /// The four components of industry, in [`IndustryComponent::ALL`] order.
    pub components: Vec<ComponentFigure>,
    /// The New Industries sub-groups that counted rows map to, in
    /// [`NewIndustriesSubgroup::ALL`] order.
    pub subgroups: Vec<SubgroupFigure>,
    /// All industry: the sum of the four components, excluding producer services.
    pub industry_total: Figure,
    /// Industry-related producer services, counted apart from industry.
    pub producer_services: Figure,
    /// "Of which" figures from memo rows, in concordance order; they add to no total.
    pub memo_items: Vec<MemoFigure>,
    /// What could not be computed, and why.
    pub findings: Vec<ContributionFinding>,
}

/// One figure: its value, its share of GDP and the rows it is made of.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// Value added; `None` when a line it needs has no value for the year.
    pub value: Option<Money>,
    /// Share of GDP; `None` without a value or without GDP for the year.
    pub share_of_gdp: Option<Share>,
    /// Every concordance row that contributed, in concordance order, with its line, weight,
    /// value and result.
    pub trace: Vec<TraceTerm>,
    /// Lines the figure needs that have no value for the year.
    pub missing_values: Vec<LineCode>,
}

/// One term of a figure's trace: a line's value times a weight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraceTerm {
    /// The statistical line.
    pub line: LineCode,
    /// The line's English name.
    pub line_name_en: String,
    /// The line's Traditional Chinese name.
    pub line_name_zh: String,
    /// The concordance row's target.
    pub target: Target,
    /// The concordance row's weight.
    pub weight: Weight,
    /// The 1-based line of `concordance.csv`.
    pub concordance_line: u64,
    /// The line's value in the year.
    pub line_value: Money,
    /// Where the line's value comes from.
    pub value_source: Provenance,
    /// `line_value x weight`, rounded half to even to the cent.
    pub contributed: Money,
}

/// A component of industry and its figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentFigure {
    /// The component.
    pub component: IndustryComponent,
    /// Its figure.
    pub figure: Figure,
}

/// A New Industries sub-group and its figure from counted rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubgroupFigure {
    /// The sub-group.
    pub subgroup: NewIndustriesSubgroup,
    /// Its figure.
    pub figure: Figure,
}

/// An "of which" figure from a memo row: part of a line counted elsewhere.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemoFigure {
    /// What the figure is reported as, e.g. New Industries, sub-group sewerage and waste.
    pub target: Target,
    /// The memo row's line.
    pub line: LineCode,
    /// The nearest ancestor counted in the same component: the figure is part of it.
    pub part_of: LineCode,
    /// The figure (one trace term).
    pub figure: Figure,
}

/// Something [`contribution`] could not compute, returned as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ContributionFinding {
    /// The table has no GDP for the year, so no share of GDP is computed.
    NoGdp {
        /// The year.
        year: Year,
    },
    /// A line the concordance maps has no value for the year, so the figures it feeds have no
    /// value.
    MissingValue {
        /// The line.
        line: LineCode,
        /// The 1-based line of `concordance.csv` mapping it.
        concordance_line: u64,
        /// Where it is mapped.
        target: Target,
    },
}

/// Growth of a value between two years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Growth {
    /// The first year.
    pub from_year: Year,
    /// The value in the first year.
    pub from_value: Money,
    /// The last year, after the first.
    pub to_year: Year,
    /// The value in the last year.
    pub to_value: Money,
    /// `to_value - from_value`, exact.
    pub change: Money,
    /// Compound annual growth rate as a fraction (`0.0319` is 3.19% a year); `None` when either
    /// value is zero or below, where it has no meaning.
    ///
    /// It is irrational in general, so it is a float: `(to_cents / from_cents)^(1 / years) - 1`,
    /// where the ratio is taken of the exact integer cents.
    pub cagr: Option<f64>,
    /// [`Growth::cagr`] as a percentage with one decimal, e.g. `"3.2"`.
    pub cagr_percent_text: Option<String>,
}

impl Contribution {
    /// The figure of a component, producer services included.
    pub fn component(&self, component: IndustryComponent) -> &Figure {
        if component == IndustryComponent::ProducerServices {
            return &self.producer_services;
        }
        match self.components.iter().find(|c| c.component == component) {
            Some(found) => &found.figure,
            // `components` holds every industry component by construction.
            None => &self.industry_total,
        }
    }

    /// The figure of a sub-group from counted rows, if any row maps to it.
    pub fn subgroup(&self, subgroup: NewIndustriesSubgroup) -> Option<&Figure> {
        self.subgroups
            .iter()
            .find(|s| s.subgroup == subgroup)
            .map(|s| &s.figure)
    }

    /// The memo figure reported for a target, if a memo row maps to it (the first one, when
    /// several do).
    pub fn memo(&self, target: Target) -> Option<&MemoFigure> {
        self.memo_items.iter().find(|m| m.target == target)
    }
}

impl Figure {
    /// The share of GDP as a percentage with `decimals` decimals, rounded half up on the exact
    /// ratio; `None` when there is no share.
    pub fn share_percent_text(&self, decimals: u8) -> Option<String> {
        self.share_of_gdp.map(|share| share.percent_text(decimals))
    }
}

/// Computes every figure for one year from the table and a concordance checked against it.
///
/// Never fails for missing data: a line without a value leaves the figures it feeds without a
/// value, and a year without GDP leaves every share out; both are reported in
/// [`Contribution::findings`].
/// The only error is arithmetic overflow of 64-bit cents.
pub fn contribution(
    table: &ValueAddedTable,
    concordance: &Concordance,
    year: Year,
) -> Result<Contribution, StatsError> {
    let gdp = table.gdp(year).cloned();
    let gdp_cents = gdp.as_ref().map(|g| g.value().cents());
    let mut findings = Vec::new();
    if gdp.is_none() {
        findings.push(ContributionFinding::NoGdp { year });
    }
    for mapping in concordance.mappings() {
        if mapping.target() != Target::Outside && table.value(mapping.line(), year).is_none() {
            findings.push(ContributionFinding::MissingValue {
                line: mapping.line().clone(),
                concordance_line: mapping.csv_line(),
                target: mapping.target(),
            });
        }
    }

    let counted = |keep: &dyn Fn(Target) -> bool| -> Result<Figure, StatsError> {
        let rows = concordance
            .mappings()
            .iter()
            .filter(|m| m.is_counted() && keep(m.target()));
        figure(table, rows, year, gdp_cents)
    };

    let mut components = Vec::new();
    for component in IndustryComponent::ALL
        .into_iter()
        .filter(|c| c.is_industry())
    {
        let figure = counted(&|target| target.component() == Some(component))?;
        components.push(ComponentFigure { component, figure });
    }
    let producer_services =
        counted(&|target| target.component() == Some(IndustryComponent::ProducerServices))?;
    let industry_total = counted(&|target| target.component().is_some_and(|c| c.is_industry()))?;

    let mut subgroups = Vec::new();
    for subgroup in NewIndustriesSubgroup::ALL {
        let maps_to_it = concordance
            .mappings()
            .iter()
            .any(|m| m.is_counted() && m.target().subgroup() == Some(subgroup));
        if maps_to_it {
            let figure = counted(&|target| target.subgroup() == Some(subgroup))?;
            subgroups.push(SubgroupFigure { subgroup, figure });
        }
    }

    let mut memo_items = Vec::new();
    for memo in concordance
        .mappings()
        .iter()
        .filter(|m| m.role() == MappingRole::Memo)
    {
        let component = memo.target().component();
        let part_of = table.ancestors(memo.line()).into_iter().find(|ancestor| {
            concordance
                .mappings_of(ancestor)
                .any(|m| m.is_counted() && m.target().component() == component)
        });
        // The concordance guarantees a counted ancestor; fall back to the line itself.
        let part_of = part_of.unwrap_or(memo.line()).clone();
        memo_items.push(MemoFigure {
            target: memo.target(),
            line: memo.line().clone(),
            part_of,
            figure: figure(table, std::iter::once(memo), year, gdp_cents)?,
        });
    }

    Ok(Contribution {
        year,
        gdp,
        components,
        subgroups,
        industry_total,
        producer_services,
        memo_items,
        findings,
    })
}

/// Growth from one year's value to a later year's.
///
/// It is an error if `to_year` is not after `from_year` or the currencies differ.
pub fn growth(
    from_year: Year,
    from_value: Money,
    to_year: Year,
    to_value: Money,
) -> Result<Growth, StatsError> {
    if to_year <= from_year {
        return Err(StatsError::InvalidValue {
            what: "growth period".to_owned(),
            text: format!("{from_year}..{to_year}"),
            reason: "the last year must be after the first".to_owned(),
        });
    }
    let change = match to_value.checked_sub(from_value) {
        Ok(change) => change,
        Err(error) => {
            return Err(StatsError::InvalidValue {
                what: "growth values".to_owned(),
                text: format!("{from_value} to {to_value}"),
                reason: error.to_string(),
            })
        }
    };
    let years = f64::from(to_year.get() - from_year.get());
    let cagr = if from_value.cents() > 0 && to_value.cents() > 0 {
        let ratio = to_value.cents() as f64 / from_value.cents() as f64;
        Some(ratio.powf(1.0 / years) - 1.0)
    } else {
        None
    };
    Ok(Growth {
        from_year,
        from_value,
        to_year,
        to_value,
        change,
        cagr,
        cagr_percent_text: cagr.map(|rate| format!("{:.1}", rate * 100.0)),
    })
}

/// Sums the rows' contributions into a figure with its trace.
fn figure<'a>(
    table: &ValueAddedTable,
    rows: impl Iterator<Item = &'a Mapping>,
    year: Year,
    gdp_cents: Option<i64>,
) -> Result<Figure, StatsError> {
    let mut total: i64 = 0;
    let mut trace = Vec::new();
    let mut missing_values = Vec::new();
    for mapping in rows {
        let Some(line_value) = table.value(mapping.line(), year) else {
            if !missing_values.contains(mapping.line()) {
                missing_values.push(mapping.line().clone());
            }
            continue;
        };
        let contributed = mapping.weight().apply(line_value.value().cents())?;
        total = match total.checked_add(contributed) {
            Some(sum) => sum,
            None => {
                return Err(StatsError::Overflow {
                    operation: format!("{total} + {contributed} cents"),
                })
            }
        };
        let name = table.line(mapping.line()).map(|line| line.name());
        trace.push(TraceTerm {
            line: mapping.line().clone(),
            line_name_en: name.map_or_else(String::new, |n| n.en().to_owned()),
            line_name_zh: name.map_or_else(String::new, |n| n.zh().to_owned()),
            target: mapping.target(),
            weight: mapping.weight(),
            concordance_line: mapping.csv_line(),
            line_value: line_value.value(),
            value_source: line_value.source().clone(),
            contributed: Money::from_cents(contributed, Currency::Hkd),
        });
    }
    let value = missing_values
        .is_empty()
        .then(|| Money::from_cents(total, Currency::Hkd));
    let share_of_gdp = match (value, gdp_cents) {
        (Some(value), Some(gdp)) => Some(Share::new(value.cents(), gdp)?),
        _ => None,
    };
    Ok(Figure {
        value,
        share_of_gdp,
        trace,
        missing_values,
    })
}
