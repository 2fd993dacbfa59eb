//! The small vocabularies of the engine: skill levels, markets, cost items and criteria.

use serde::{Deserialize, Serialize};

/// A skill level of the workforce; wages and headcounts are given per level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkillLevel {
    /// Production operators.
    Operator,
    /// Technicians (maintenance, quality, process).
    Technician,
    /// Engineers (process, automation, test).
    Engineer,
}

/// A sales market that output is shipped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Market {
    /// Hong Kong.
    Hk,
    /// The Mainland.
    Mainland,
    /// The United States.
    Us,
    /// The European Union.
    Eu,
    /// Southeast Asia.
    Sea,
}

/// One line of the yearly cost, and a driver of the tornado chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostItem {
    /// Wages times headcount.
    Labour,
    /// Rent times floor area.
    Occupancy,
    /// Electricity price times power use.
    Utilities,
    /// Freight to each market.
    Freight,
    /// Tariffs into each market.
    Tariffs,
    /// Profits tax on the assumed margin.
    ProfitsTax,
    /// Capital grants (subtracted).
    Incentives,
}

/// A ranking criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// Net present cost (lower is better).
    Cost,
    /// Skilled-labour availability, 1 to 5 (higher is better).
    SkilledLabour,
    /// Geopolitical exposure, 1 to 5 (lower is better).
    GeopoliticalExposure,
    /// Approval lead time in months (lower is better).
    ApprovalLeadTime,
    /// IP protection, 1 to 5 (higher is better).
    IpProtection,
}

impl SkillLevel {
    /// Every level, in order.
    pub const ALL: [SkillLevel; 3] = [
        SkillLevel::Operator,
        SkillLevel::Technician,
        SkillLevel::Engineer,
    ];

    /// The machine code, e.g. `"operator"`.
    pub fn code(self) -> &'static str {
        match self {
            SkillLevel::Operator => "operator",
            SkillLevel::Technician => "technician",
            SkillLevel::Engineer => "engineer",
        }
    }
}

impl Market {
    /// Every market, in order.
    pub const ALL: [Market; 5] = [
        Market::Hk,
        Market::Mainland,
        Market::Us,
        Market::Eu,
        Market::Sea,
    ];

    /// The machine code, e.g. `"mainland"`.
    pub fn code(self) -> &'static str {
        match self {
            Market::Hk => "hk",
            Market::Mainland => "mainland",
            Market::Us => "us",
            Market::Eu => "eu",
            Market::Sea => "sea",
        }
    }

    /// The market with this code, if any.
    pub fn parse(text: &str) -> Option<Market> {
        Market::ALL.into_iter().find(|market| market.code() == text)
    }
}

impl CostItem {
    /// Every item, in the order of the breakdown.
    pub const ALL: [CostItem; 7] = [
        CostItem::Labour,
        CostItem::Occupancy,
        CostItem::Utilities,
        CostItem::Freight,
        CostItem::Tariffs,
        CostItem::ProfitsTax,
        CostItem::Incentives,
    ];

    /// The machine code, e.g. `"profits_tax"`.
    pub fn code(self) -> &'static str {
        match self {
            CostItem::Labour => "labour",
            CostItem::Occupancy => "occupancy",
            CostItem::Utilities => "utilities",
            CostItem::Freight => "freight",
            CostItem::Tariffs => "tariffs",
            CostItem::ProfitsTax => "profits_tax",
            CostItem::Incentives => "incentives",
        }
    }
}

impl Criterion {
    /// Every criterion, in the order of [`crate::Weights`].
    pub const ALL: [Criterion; 5] = [
        Criterion::Cost,
        Criterion::SkilledLabour,
        Criterion::GeopoliticalExposure,
        Criterion::ApprovalLeadTime,
        Criterion::IpProtection,
    ];

    /// The machine code, e.g. `"ip_protection"`; also the field name in [`crate::Weights`].
    pub fn code(self) -> &'static str {
        match self {
            Criterion::Cost => "cost",
            Criterion::SkilledLabour => "skilled_labour",
            Criterion::GeopoliticalExposure => "geopolitical_exposure",
            Criterion::ApprovalLeadTime => "approval_lead_time",
            Criterion::IpProtection => "ip_protection",
        }
    }

    /// Whether more is better (a benefit) or less is better (a cost).
    pub fn direction(self) -> crate::Direction {
        match self {
            Criterion::SkilledLabour | Criterion::IpProtection => crate::Direction::Benefit,
            Criterion::Cost | Criterion::GeopoliticalExposure | Criterion::ApprovalLeadTime => {
                crate::Direction::Cost
            }
        }
    }
}
