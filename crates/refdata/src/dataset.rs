//! The list of reference datasets, their file names and their embedded copies.

/// One reference dataset, stored as one CSV file in `data/` and one table in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dataset {
    /// `documents.csv`: the documents that published figures cite.
    Documents,
    /// `places.csv`: places with names and coordinates.
    Places,
    /// `industry_value_added.csv`: value added by industry component.
    ValueAdded,
    /// `producer_services.csv`: industry-related producer services.
    ProducerServices,
    /// `producer_services_overlap.csv`: producer services already counted as industry.
    ProducerServicesOverlap,
    /// `mainland_manufacturers_2024.csv`: the study's registry counts.
    MainlandManufacturers,
    /// `pledges.csv`: investment pledges from the news.
    Pledges,
}

impl Dataset {
    /// Every dataset, in load order (documents and places first: others refer to them).
    pub const ALL: [Dataset; 7] = [
        Dataset::Documents,
        Dataset::Places,
        Dataset::ValueAdded,
        Dataset::ProducerServices,
        Dataset::ProducerServicesOverlap,
        Dataset::MainlandManufacturers,
        Dataset::Pledges,
    ];

    /// Stable machine code, also the translation-catalog key suffix (`dataset.<code>.title`).
    pub fn code(self) -> &'static str {
        match self {
            Dataset::Documents => "documents",
            Dataset::Places => "places",
            Dataset::ValueAdded => "industry_value_added",
            Dataset::ProducerServices => "producer_services",
            Dataset::ProducerServicesOverlap => "producer_services_overlap",
            Dataset::MainlandManufacturers => "mainland_manufacturers_2024",
            Dataset::Pledges => "pledges",
        }
    }

    /// The CSV file name inside `data/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Dataset::Documents => "documents.csv",
            Dataset::Places => "places.csv",
            Dataset::ValueAdded => "industry_value_added.csv",
            Dataset::ProducerServices => "producer_services.csv",
            Dataset::ProducerServicesOverlap => "producer_services_overlap.csv",
            Dataset::MainlandManufacturers => "mainland_manufacturers_2024.csv",
            Dataset::Pledges => "pledges.csv",
        }
    }

    /// Parses a dataset code.
    pub fn parse(code: &str) -> Option<Dataset> {
        Dataset::ALL.into_iter().find(|d| d.code() == code)
    }

    pub(crate) fn embedded_text(self) -> &'static str {
        match self {
            Dataset::Documents => include_str!("../../../data/documents.csv"),
            Dataset::Places => include_str!("../../../data/places.csv"),
            Dataset::ValueAdded => include_str!("../../../data/industry_value_added.csv"),
            Dataset::ProducerServices => include_str!("../../../data/producer_services.csv"),
            Dataset::ProducerServicesOverlap => {
                include_str!("../../../data/producer_services_overlap.csv")
            }
            Dataset::MainlandManufacturers => {
                include_str!("../../../data/mainland_manufacturers_2024.csv")
            }
            Dataset::Pledges => include_str!("../../../data/pledges.csv"),
        }
    }
}
