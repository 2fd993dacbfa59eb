//! The typed records each reference file is read into.

use vocab::{
    BilingualText, IndustryComponent, ManufacturingSector, Money, NewIndustriesSubgroup, Percent,
    Place, PlaceCode, Programme, ProjectStage, Provenance, Year,
};

/// A document that published figures cite as `published: <code>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Short stable code, e.g. `made-by-hk-study`.
    pub code: String,
    /// Title as published.
    pub title: String,
    /// Publisher or outlet.
    pub publisher: String,
    /// Publication date as precise as known (`2025`, `2025-09-13`), if known.
    pub date: Option<String>,
    /// File name of the copy in the project's seed documents, if there is one.
    pub seed_file: Option<String>,
}

/// A place with its bilingual name.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedPlace {
    /// The place itself.
    pub place: Place,
    /// Names in English and Chinese.
    pub name: BilingualText,
    /// Where the coordinates come from.
    pub source: Provenance,
}

/// Value added by one industry component (or by all industry when `component` is `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct ValueAddedFigure {
    /// Reference year.
    pub year: Year,
    /// The component; `None` for the total of all industry.
    pub component: Option<IndustryComponent>,
    /// A sub-group of New Industries, when the figure is for one.
    pub subgroup: Option<NewIndustriesSubgroup>,
    /// Value added.
    pub value: Money,
    /// Share of GDP as published, if published.
    pub gdp_share: Option<Percent>,
    /// Source of the figure.
    pub source: Provenance,
}

/// Value added by industry-related producer services in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct ProducerServicesFigure {
    /// Reference year.
    pub year: Year,
    /// Value added.
    pub value: Money,
    /// Share of GDP as published, if published.
    pub gdp_share: Option<Percent>,
    /// Source of the figure.
    pub source: Provenance,
}

/// A producer-service line already counted as industry, excluded from producer services.
#[derive(Debug, Clone, PartialEq)]
pub struct OverlapItem {
    /// Reference year.
    pub year: Year,
    /// Stable code of the line, e.g. `information_communications`.
    pub item: String,
    /// Part of the line counted as industry (100 for all of it).
    pub allocation: Percent,
    /// Share of GDP of the part counted as industry.
    pub gdp_share: Percent,
    /// Source of the figure.
    pub source: Provenance,
}

/// What a registry count is a count of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryDimension {
    /// All enterprises in the study's sample.
    Total,
    /// Enterprises in one province (or provincial-level municipality).
    Province(PlaceCode),
    /// Enterprises in one city.
    City(PlaceCode),
    /// Enterprises in one manufacturing sector.
    Sector(ManufacturingSector),
}

impl RegistryDimension {
    /// `total`, `province`, `city` or `sector`.
    pub fn code(&self) -> &'static str {
        match self {
            RegistryDimension::Total => "total",
            RegistryDimension::Province(_) => "province",
            RegistryDimension::City(_) => "city",
            RegistryDimension::Sector(_) => "sector",
        }
    }

    /// The place or sector code, empty for the total.
    pub fn key(&self) -> String {
        match self {
            RegistryDimension::Total => String::new(),
            RegistryDimension::Province(code) | RegistryDimension::City(code) => {
                code.as_str().to_owned()
            }
            RegistryDimension::Sector(sector) => sector.code().to_owned(),
        }
    }
}

/// A published count of Hong Kong-invested manufacturing enterprises in the Mainland.
#[derive(Debug, Clone, PartialEq)]
pub struct RegistryCount {
    /// Reference year of the registry.
    pub year: Year,
    /// What is counted.
    pub dimension: RegistryDimension,
    /// Number of enterprises in operation.
    pub enterprises: u32,
    /// Share of the sample as published, if published.
    pub share: Option<Percent>,
    /// Source of the figure.
    pub source: Provenance,
}

/// An investment pledge (or a lead still in talks) named in the news.
#[derive(Debug, Clone, PartialEq)]
pub struct Pledge {
    /// Stable code, e.g. `j2-semiconductor`.
    pub code: String,
    /// What is pledged.
    pub title: BilingualText,
    /// Who pledged it.
    pub organisation: BilingualText,
    /// Where.
    pub place: PlaceCode,
    /// Stage in the investment pipeline.
    pub stage: ProjectStage,
    /// Pledged investment, when an amount was announced.
    pub pledged: Option<Money>,
    /// Jobs promised, when announced.
    pub jobs: Option<u32>,
    /// Years over which the investment is spread, when announced.
    pub period_years: Option<u8>,
    /// When it was announced (`2023` or `2023-10`).
    pub announced: String,
    /// The manufacturing division, where the news names one.
    pub sector: Option<ManufacturingSector>,
    /// The promotion programme or fund it belongs to.
    pub programme: Option<Programme>,
    /// Source of the figures.
    pub source: Provenance,
}
