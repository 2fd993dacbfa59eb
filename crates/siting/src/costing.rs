//! Costing a profile at one location: the yearly cost by item, the capital grant, the net
//! present cost over the horizon and the cost per HK$ of output.

use serde::Serialize;
use vocab::Money;

use crate::data::{Indicators, Location};
use crate::decimal::div_round_half_even;
use crate::error::{Position, SitingError};
use crate::model::{CostItem, Market, SkillLevel};
use crate::profile::Profile;

/// The cost of a profile at one location.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Costing {
    /// The location's code.
    pub location: String,
    /// The monthly wage in HK$ at each skill level, after conversion.
    pub monthly_wage_hkd: MonthlyWages,
    /// The yearly cost by item.
    pub yearly: YearlyCost,
    /// The capital expenditure, spent at the start (the same everywhere).
    pub capex: Money,
    /// The one-off capital grant received at the start.
    pub grant: Money,
    /// Capex minus grant plus the present value of the yearly cost before incentives over
    /// the horizon.
    pub net_present_cost: Money,
    /// The present value of the output over the horizon.
    pub present_output: Money,
    /// Net present cost per HK$ of present output.
    pub cost_per_hkd_output: f64,
}

/// The monthly wage in HK$ per skill level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MonthlyWages {
    /// Operators.
    pub operator: Money,
    /// Technicians.
    pub technician: Money,
    /// Engineers.
    pub engineer: Money,
}

/// The yearly cost by item, in HK$; `total` is the items minus `incentives`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct YearlyCost {
    /// Headcount times monthly wage in HK$ times 12.
    pub labour: Money,
    /// Floor area times rent per m² per month times 12.
    pub occupancy: Money,
    /// Power use times electricity price.
    pub utilities: Money,
    /// Output times each market's share times that market's freight rate.
    pub freight: Money,
    /// Output times each market's share times the tariff into that market.
    pub tariffs: Money,
    /// Output times the assumed margin times the profits tax rate.
    pub profits_tax: Money,
    /// The capital grant spread evenly over the horizon (subtracted from the total).
    pub incentives: Money,
    /// The six cost items minus incentives.
    pub total: Money,
}

impl YearlyCost {
    /// One item; [`CostItem::Incentives`] is the amount subtracted, shown positive.
    pub fn item(&self, item: CostItem) -> Money {
        match item {
            CostItem::Labour => self.labour,
            CostItem::Occupancy => self.occupancy,
            CostItem::Utilities => self.utilities,
            CostItem::Freight => self.freight,
            CostItem::Tariffs => self.tariffs,
            CostItem::ProfitsTax => self.profits_tax,
            CostItem::Incentives => self.incentives,
        }
    }
}

/// Costs a profile at a location; see the crate documentation for every formula and rounding.
///
/// Fails only with [`SitingError::Overflow`], for amounts beyond 64-bit cents.
pub fn cost(profile: &Profile, location: &Location) -> Result<Costing, SitingError> {
    let parts = Parts::new(profile, &location.indicators);
    let fits = |value: i128, field: &str| -> Result<Money, SitingError> {
        match i64::try_from(value) {
            Ok(cents) => Ok(Money::hkd(cents)),
            Err(_) => Err(SitingError::Overflow {
                at: Position::field(field),
            }),
        }
    };
    let horizon = i128::from(profile.horizon_years());
    let incentives = div_round_half_even(parts.grant, horizon);
    let before_incentives: i128 = parts.items.iter().sum();
    let npc = net_present_cost(profile, &parts.items, parts.grant)?;
    let present_output = present_value(profile, i128::from(profile.output_per_year().cents()));
    let cost_per_hkd_output = if present_output > 0.0 {
        npc as f64 / present_output
    } else {
        0.0
    };
    let [labour, occupancy, utilities, freight, tariffs, profits_tax] = parts.items;
    Ok(Costing {
        location: location.code.clone(),
        monthly_wage_hkd: MonthlyWages {
            operator: fits(parts.wages[0], "wage_operator")?,
            technician: fits(parts.wages[1], "wage_technician")?,
            engineer: fits(parts.wages[2], "wage_engineer")?,
        },
        yearly: YearlyCost {
            labour: fits(labour, "labour")?,
            occupancy: fits(occupancy, "occupancy")?,
            utilities: fits(utilities, "utilities")?,
            freight: fits(freight, "freight")?,
            tariffs: fits(tariffs, "tariffs")?,
            profits_tax: fits(profits_tax, "profits_tax")?,
            incentives: fits(incentives, "incentives")?,
            total: fits(before_incentives - incentives, "total")?,
        },
        capex: profile.capex(),
        grant: fits(parts.grant, "grant")?,
        net_present_cost: fits(npc, "net_present_cost")?,
        present_output: fits(present_output as i128, "present_output")?,
        cost_per_hkd_output,
    })
}

/// The change in net present cost when one cost driver moves by `percent` (e.g. `20` or
/// `-20`): the item's yearly amount (or the grant, for [`CostItem::Incentives`]) is scaled by
/// `(100 + percent) / 100`, rounded half to even to the cent, and the net present cost
/// recomputed.
pub fn npc_change(
    profile: &Profile,
    location: &Location,
    driver: CostItem,
    percent: i64,
) -> Result<Money, SitingError> {
    let parts = Parts::new(profile, &location.indicators);
    let base = net_present_cost(profile, &parts.items, parts.grant)?;
    let scale = |value: i128| div_round_half_even(value * i128::from(100 + percent), 100);
    let mut items = parts.items;
    let mut grant = parts.grant;
    match driver {
        CostItem::Incentives => grant = scale(grant),
        other => {
            let idx = CostItem::ALL
                .iter()
                .position(|item| *item == other)
                .unwrap_or(0);
            items[idx] = scale(items[idx]);
        }
    }
    let moved = net_present_cost(profile, &items, grant)?;
    match i64::try_from(moved - base) {
        Ok(cents) => Ok(Money::hkd(cents)),
        Err(_) => Err(SitingError::Overflow {
            at: Position::field(driver.code()),
        }),
    }
}

/// The exact yearly items (in the order of [`CostItem::ALL`] without incentives), the grant
/// and the converted wages, all in cents.
struct Parts {
    items: [i128; 6],
    grant: i128,
    wages: [i128; 3],
}

impl Parts {
    fn new(profile: &Profile, indicators: &Indicators) -> Parts {
        let output = i128::from(profile.output_per_year().cents());
        let fx = i128::from(indicators.fx_hkd_billionths);
        let wages = SkillLevel::ALL.map(|level| {
            div_round_half_even(i128::from(indicators.wage_local(level)) * fx, 1_000_000_000)
        });
        let labour: i128 = SkillLevel::ALL
            .iter()
            .map(|level| i128::from(profile.headcount(*level)) * wages[*level as usize] * 12)
            .sum();
        let occupancy =
            i128::from(profile.floor_area_m2()) * i128::from(indicators.rent_cents) * 12;
        let utilities =
            i128::from(profile.power_kwh_per_year()) * i128::from(indicators.electricity_cents);
        // Shares are millionths and rates millionths of a percentage point: 10^6 * 10^8.
        let by_market = |rates: &[i64; 5]| {
            let numerator: i128 = Market::ALL
                .iter()
                .map(|market| {
                    output
                        * i128::from(profile.market_share_millionths(*market))
                        * i128::from(rates[*market as usize])
                })
                .sum();
            div_round_half_even(numerator, 100_000_000_000_000)
        };
        let freight = by_market(&indicators.freight);
        let tariffs = by_market(&indicators.tariff);
        let profits_tax = div_round_half_even(
            output
                * i128::from(profile.profit_margin_millionths())
                * i128::from(indicators.profits_tax),
            100_000_000_000_000,
        );
        // The government adds `g` for every 1 the company spends, so of a capex C it pays
        // C * g / (1 + g); rounded down so the grant is never overstated, then capped.
        let match_ratio = i128::from(indicators.grant_match);
        let grant = (i128::from(profile.capex().cents()) * match_ratio / (1_000_000 + match_ratio))
            .min(i128::from(indicators.grant_cap_cents));
        Parts {
            items: [labour, occupancy, utilities, freight, tariffs, profits_tax],
            grant,
            wages,
        }
    }
}

/// The discount factor of year `year`: `(1 + r)^-year`.
fn discount_factor(profile: &Profile, year: u32) -> f64 {
    let rate = profile.discount_rate_millionths() as f64 / 1_000_000.0;
    (1.0 + rate).powi(-(year as i32))
}

/// The present value of `cents` a year over the horizon, each year rounded to the cent.
fn present_value(profile: &Profile, cents: i128) -> f64 {
    (1..=profile.horizon_years())
        .map(|year| (cents as f64 * discount_factor(profile, year)).round())
        .sum()
}

fn net_present_cost(
    profile: &Profile,
    items: &[i128; 6],
    grant: i128,
) -> Result<i128, SitingError> {
    let yearly: i128 = items.iter().sum();
    let present = present_value(profile, yearly);
    if !present.is_finite() || present.abs() >= 9.0e18 {
        return Err(SitingError::Overflow {
            at: Position::field("net_present_cost"),
        });
    }
    Ok(i128::from(profile.capex().cents()) - grant + present as i128)
}
