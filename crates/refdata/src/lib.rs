//! Reference data: the CSV files in the repository's `data/` folder, read into domain records.
//!
//! Every shipped number comes from one of these files, and every row names its source
//! ([`vocab::Provenance`]): a published document, an indicative value, or synthetic data.
//! [`ReferenceData::embedded`] reads the copies compiled into the binary;
//! [`ReferenceData::from_dir`] reads a folder of the same files, so that an analyst can correct a
//! figure and reload it.
//! Reading is all-or-nothing: the first bad row stops it with a [`RefDataError`] that names the
//! file, the line, the field and the reason, and no partial result escapes.
//!
//! This crate knows nothing about SQL or HTTP; `store` writes what it returns.
//!
//! ```
//! let data = refdata::ReferenceData::embedded().unwrap();
//! let total = data.value_added.iter().find(|f| f.component.is_none()).unwrap();
//! assert_eq!(total.value.format_scaled(vocab::Scale::Billion), "127.1");
//! ```

#![deny(missing_docs)]

mod dataset;
mod error;
mod parse;
mod records;

use std::path::Path;

pub use crate::dataset::Dataset;
pub use crate::error::RefDataError;
pub use crate::records::{
    Document, NamedPlace, OverlapItem, Pledge, ProducerServicesFigure, RegistryCount,
    RegistryDimension, ValueAddedFigure,
};

/// All reference datasets, parsed and cross-checked.
#[derive(Debug, Clone)]
pub struct ReferenceData {
    /// Source documents that `published: <code>` provenance refers to.
    pub documents: Vec<Document>,
    /// Countries, regions, cities and sites with bilingual names.
    pub places: Vec<NamedPlace>,
    /// Value added by industry component (the study's broader measure of industry).
    pub value_added: Vec<ValueAddedFigure>,
    /// Industry-related producer services, by year.
    pub producer_services: Vec<ProducerServicesFigure>,
    /// Producer services already counted as industry, excluded to avoid double counting.
    pub overlap: Vec<OverlapItem>,
    /// Counts of Hong Kong-invested manufacturing enterprises in the Mainland.
    pub registry: Vec<RegistryCount>,
    /// Investment pledges named in the news.
    pub pledges: Vec<Pledge>,
}

impl ReferenceData {
    /// Reads the reference data compiled into the binary from the repository's `data/` folder.
    pub fn embedded() -> Result<ReferenceData, RefDataError> {
        parse::parse_all(|dataset| Ok(dataset.embedded_text().to_owned()))
    }

    /// Reads the reference data files from `dir` (the same file names as `data/`).
    pub fn from_dir(dir: &Path) -> Result<ReferenceData, RefDataError> {
        parse::parse_all(|dataset| {
            let path = dir.join(dataset.file_name());
            std::fs::read_to_string(&path).map_err(|source| RefDataError::Io {
                file: path.display().to_string(),
                source,
            })
        })
    }

    /// Reads the reference data from the text of each dataset's file, as [`from_dir`] does
    /// from a folder (say, the embedded files with one of them replaced by an upload).
    ///
    /// [`from_dir`]: ReferenceData::from_dir
    pub fn from_texts(
        mut text: impl FnMut(Dataset) -> String,
    ) -> Result<ReferenceData, RefDataError> {
        parse::parse_all(|dataset| Ok(text(dataset)))
    }

    /// Number of rows in one dataset.
    pub fn row_count(&self, dataset: Dataset) -> usize {
        match dataset {
            Dataset::Documents => self.documents.len(),
            Dataset::Places => self.places.len(),
            Dataset::ValueAdded => self.value_added.len(),
            Dataset::ProducerServices => self.producer_services.len(),
            Dataset::ProducerServicesOverlap => self.overlap.len(),
            Dataset::MainlandManufacturers => self.registry.len(),
            Dataset::Pledges => self.pledges.len(),
        }
    }
}
