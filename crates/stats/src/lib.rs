//! The study's statistical method, made reusable and auditable: what industry contributes to
//! Hong Kong's GDP, by component, over time, and whether published figures hang together.
//!
//! This crate is pure: callers pass CSV text or readers; there is no file I/O, SQL or HTTP.
//! Money is integer cents ([`vocab::Money`]) and weights are integer millionths; no published
//! figure is computed with a float.
//!
//! - [`ValueAddedTable`]: statistical lines ([`StatisticalLine`], with an optional parent
//!   whose value includes theirs), their values by year and GDP by year, read from
//!   `lines.csv`, `values.csv` and `gdp.csv` ([`table`]).
//! - [`Concordance`]: which part ([`Weight`]) of each line counts towards which [`Target`]
//!   (a component of industry, a New Industries sub-group, producer services, or outside),
//!   read from `concordance.csv` and checked so that nothing is counted twice
//!   ([`concordance`]).
//! - [`contribution`](fn@contribution): value added and share of GDP per component and
//!   sub-group, the industry total (producer services apart), memo items, and a [`TraceTerm`]
//!   for every row behind every figure; [`growth`] between two years
//!   ([`contribution`](mod@contribution)).
//! - [`check_published_figures`], [`check_sum`] and [`sample_sizes_consistent`]: whether
//!   published values, rounded shares and survey percentages are consistent
//!   ([`consistency`]).
//! - [`Responses`]: survey tabulation with Wilson intervals and cross-tabs ([`survey`]).
//! - [`study_2023`]: the study's own published totals, shipped as a table and concordance.
//!
//! Bad input is a [`StatsError`] naming the file, line and field; findings about good input
//! (a figure without GDP, an inconsistent published share) come back as data.
//!
//! # Example
//!
//! ```
//! use stats::{contribution, Concordance, StatsError, ValueAddedTable};
//! use vocab::{IndustryComponent, Year};
//!
//! let lines = "code,name_en,name_zh,parent,source
//! hsic.C,Manufacturing,製造業,,indicative
//! hsic.J,Information and communications,資訊及通訊,,indicative
//! ";
//! let values = "line,year,value_hkd_bn,source
//! hsic.C,2023,30,indicative
//! hsic.J,2023,100,indicative
//! ";
//! let gdp = "year,value_hkd_bn,source
//! 2023,2000,indicative
//! ";
//! let concordance = "line,component,subgroup,weight,note
//! hsic.C,manufacturing,,1,
//! hsic.J,new_industries,computing_data,0.142,14.2% of information and communications
//! hsic.J,outside,,0.858,
//! ";
//! let table = ValueAddedTable::from_csv(lines.as_bytes(), values.as_bytes(), gdp.as_bytes())?;
//! let concordance = Concordance::from_csv(concordance.as_bytes(), &table)?;
//!
//! let year = Year::new(2023).expect("a valid year");
//! let result = contribution(&table, &concordance, year)?;
//!
//! // 30 + 100 x 0.142 = 44.2 billion, 2.21% of 2,000 billion.
//! let total = &result.industry_total;
//! assert_eq!(total.value.map(|v| v.format_scaled(vocab::Scale::Billion)).as_deref(), Some("44.2"));
//! assert_eq!(total.share_percent_text(2).as_deref(), Some("2.21"));
//! let new_industries = result.component(IndustryComponent::NewIndustries);
//! assert_eq!(new_industries.trace[0].weight.to_string(), "0.142");
//! # Ok::<(), StatsError>(())
//! ```

#![deny(missing_docs)]

pub mod concordance;
pub mod consistency;
pub mod contribution;
mod csv_rows;
mod error;
pub mod exact;
mod study;
pub mod survey;
pub mod table;

pub use concordance::{Concordance, Mapping, MappingRole, Target};
pub use consistency::{
    check_published_figures, check_sum, sample_sizes_consistent, ConsistencyReport, FigureCheck,
    GdpInterval, PublishedFigure, SumCheck,
};
pub use contribution::{
    contribution, growth, ComponentFigure, Contribution, ContributionFinding, Figure, Growth,
    MemoFigure, SubgroupFigure, TraceTerm,
};
pub use error::StatsError;
pub use exact::{Share, Weight};
pub use study::study_2023;
pub use survey::{
    wilson_interval_95, AnswerRequirement, ChoiceKind, CrossTab, CrossTabRow, OptionCount,
    QuestionSpec, Responses, SurveySpec, Tabulation, WilsonInterval,
};
pub use table::{GdpFigure, LineCode, LineValue, StatisticalLine, ValueAddedTable};
