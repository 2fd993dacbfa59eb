//! The shared vocabulary of madeby: the domain types every other crate speaks in.
//!
//! Raw input (a form field, a CSV cell, a URL segment) is parsed once, at the boundary, into one
//! of these types, whose constructor enforces its invariants; inner code never handles the raw
//! string again.
//! This crate is pure: no I/O, no SQL, no HTTP.
//!
//! - [`ids`]: typed ids over `i64` ([`UserId`], [`OrgId`], [`ProjectId`], ...), so one kind of
//!   id is never passed for another.
//! - [`money`]: [`Money`] in whole cents with an explicit [`Currency`], exact decimal parsing
//!   (including figures published at a [`Scale`], like "HK$127.1 billion"), and dated
//!   [`ExchangeRate`]s for explicit conversion.
//! - [`percent`]: [`Percent`], a published percentage kept exactly with its decimals.
//! - [`provenance`]: [`Provenance`], the source every shipped number carries.
//! - [`place`]: [`Place`]s with [`PlaceCode`]s, [`CountryCode`]s, [`PlaceLevel`]s and
//!   [`Coordinates`].
//! - [`sector`]: the study's taxonomies, [`IndustryComponent`] and [`NewIndustriesSubgroup`],
//!   and the [`ManufacturingSector`] divisions of GB/T 4754-2017.
//! - [`entity`]: [`Role`]s, [`Organisation`]s, [`Project`]s, [`Site`]s and the small values they
//!   are made of ([`EmailAddress`], [`DisplayName`], [`BilingualText`], [`Year`]).
//!
//! Every failure is a [`VocabError`] whose message names the value and what was wrong with it.
//!
//! This crate has no display labels.
//! Each vocabulary exposes a stable machine `code()` (`"in_talks"`, `"C39"`, `"HKD"`), and the
//! English and Traditional Chinese names live in the web crate's translation catalogs under
//! keys built from those codes (`stage.in_talks`, `sector.C39`, `currency.HKD`).
//!
//! # Example
//!
//! ```
//! use vocab::{Currency, ExchangeRate, Money, Percent, Provenance, Scale, VocabError};
//!
//! // The study's total for industry in 2023: HK$127.1 billion, 4.4% of GDP.
//! let industry = Money::parse_scaled("127.1", Scale::Billion, Currency::Hkd)?;
//! assert_eq!(industry.cents(), 12_710_000_000_000);
//! assert_eq!(industry.to_string(), "HK$127,100,000,000.00");
//! assert_eq!(industry.format_scaled(Scale::Billion), "127.1");
//!
//! let share = Percent::parse("4.4")?;
//! assert_eq!(share.millionths(), 4_400_000);
//!
//! let source = Provenance::parse("published: HKGCC study, 2025")?;
//! assert_eq!(source.kind(), "published");
//!
//! // Currencies never mix silently.
//! let usd = Money::parse_amount("1,000.00", Currency::Usd)?;
//! assert!(matches!(industry.checked_add(usd), Err(VocabError::CurrencyMismatch { .. })));
//!
//! // Conversion takes an explicit, dated rate.
//! let as_of = time::macros::date!(2024 - 12 - 31);
//! let rate = ExchangeRate::parse(Currency::Usd, Currency::Hkd, "7.8", as_of)?;
//! assert_eq!(usd.convert(&rate)?.to_string(), "HK$7,800.00");
//! # Ok::<(), VocabError>(())
//! ```

#![deny(missing_docs)]

mod codes;
mod decimal;
pub mod entity;
mod error;
pub mod ids;
pub mod money;
pub mod percent;
pub mod place;
pub mod provenance;
pub mod sector;

pub use entity::{
    BilingualText, DisplayName, EmailAddress, OrgKind, Organisation, Programme, Project,
    ProjectParts, ProjectStage, Role, Site, Visibility, Year,
};
pub use error::VocabError;
pub use ids::{ApiTokenId, AuditId, OrgId, PledgeId, ProjectId, SessionId, UserId};
pub use money::{Currency, ExchangeRate, Money, Scale};
pub use percent::Percent;
pub use place::{Coordinates, CountryCode, Place, PlaceCode, PlaceLevel};
pub use provenance::Provenance;
pub use sector::{IndustryComponent, ManufacturingSector, NewIndustriesSubgroup};
