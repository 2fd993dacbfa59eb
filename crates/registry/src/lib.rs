//! Registry analytics of Hong Kong-invested manufacturing enterprises in the Mainland.
//!
//! A registry is a CSV with one row per enterprise:
//! `id,name,province,city,sector,status,year_established[,registered_capital_cny][,employees]`.
//! Provinces and cities are place codes (`cn-gd`, `cn-gd-shenzhen`), sectors are GB/T 4754-2017
//! manufacturing divisions (`C39`), and the status is `operating`, `suspended`, `cancelled` or
//! `revoked`; the study counts only operating enterprises.
//!
//! - [`read_registry`] is the careful import: every row becomes an [`Enterprise`] or, under
//!   [`BadRowPolicy::SkipBadRows`], a [`RejectedRow`] that [`write_rejected`] writes back out.
//! - [`tabulate`] counts imported rows into [`Tables`]; [`tabulate_csv`] counts a CSV directly,
//!   streaming, without a value per row and on all cores, for files of tens of millions of rows.
//!   Both accept and reject exactly the same rows.
//! - A [`Table`] per [`Dimension`] (province, city, sector and their pairs) has rows with a
//!   count, an exact [`Share`] of the operating total (displayed to one decimal percent) and a
//!   rank in which ties share a place.
//! - [`write_synthetic`] writes a clearly labelled synthetic registry whose province, city and
//!   sector counts are exactly the study's published ones.
//!
//! Every failure is a [`RegistryError`] naming the line, the field and the reason.
//! The crate is pure: no HTTP, no SQL, no command line.
//!
//! # Example
//!
//! ```
//! use registry::{tabulate, tabulate_csv, read_registry, write_synthetic, BadRowPolicy, Dimension, Key};
//!
//! // The synthetic registry at the published size reproduces the published counts.
//! let mut csv = Vec::new();
//! write_synthetic(&mut csv, registry::PUBLISHED_TOTAL, 1)?;
//! let dims = [Dimension::Province, Dimension::Sector];
//! let tables = tabulate_csv(csv.as_slice(), &dims)?;
//! assert_eq!(tables.total_operating(), 68_314);
//!
//! let sectors = tables.table(Dimension::Sector).unwrap();
//! let top = &sectors.top(1)[0];
//! assert_eq!(top.key(), &Key::Sector(vocab::ManufacturingSector::parse("C39")?));
//! assert_eq!(top.count(), 9_177);
//! assert_eq!(top.share().to_string(), "13.4");
//! assert_eq!(top.rank(), 1);
//!
//! // The careful import gives the same tables.
//! let import = read_registry(csv.as_slice(), BadRowPolicy::RejectFile)?;
//! assert_eq!(tabulate(&import.enterprises, &dims), tables);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![deny(missing_docs)]

mod error;
mod fast;
mod import;
mod record;
mod synthetic;
mod tables;

pub use error::RegistryError;
pub use fast::tabulate_csv;
pub use import::{read_registry, write_rejected, BadRowPolicy, Import, RejectedRow};
pub use record::{Enterprise, Field, Header, Status};
pub use synthetic::{write_synthetic, PUBLISHED_TOTAL};
pub use tables::{tabulate, Dimension, Key, Share, Table, TableRow, Tables};
