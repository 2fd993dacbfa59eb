//! The directory of enterprises, investors, producer-service providers, industrial sites and
//! pilot projects: bilingual search and matching.
//!
//! - [`Profile`] is a checked directory profile, parsed from a [`ProfileInput`] of strings
//!   (errors name the field: `services[2]: "testng" is not a service (expected one of ...)`);
//!   an [`Entry`] pairs it with the [`EntryId`] the database gave it.
//!   Its vocabularies are [`Kind`], [`Sector`], [`Service`], [`Region`], [`Language`],
//!   [`SizeBand`] and [`Stage`]; investors have a [`Ticket`], pilot projects a funding sought,
//!   both [`vocab::Money`] in HKD cents.
//! - [`DirectoryIndex`] is the tantivy index: [`rebuild`](DirectoryIndex::rebuild) from the
//!   database, [`upsert`](DirectoryIndex::upsert) and [`remove`](DirectoryIndex::remove) on every
//!   edit, and [`search`](DirectoryIndex::search) with a [`SearchQuery`] → [`SearchResults`]
//!   (hits and [`Facets`]).
//!   Text is analysed by [`analysis`]: Latin words stemmed, Chinese as character bigrams;
//!   English typos are tolerated.
//! - [`match_request`] ranks candidates for a [`MatchRequest`] (or for a whole profile, with
//!   [`MatchRequest::for_profile`]) and returns [`Match`]es with a 0–100 score and structured
//!   [`Reason`]s.
//! - [`acceptance_by_score_band`] measures how well scores predict accepted introductions.
//! - [`synth`] streams deterministic synthetic entries, labelled synthetic.
//!
//! This crate is pure: no HTTP, no SQL, no command line; its only I/O is the index directory.
//!
//! # Example
//!
//! ```
//! use directory::{match_request, synth, DirectoryIndex, IndexConfig, Kind, MatchRequest, SearchQuery, Service};
//!
//! let index = DirectoryIndex::create_in_ram(&IndexConfig::SMALL)?;
//! index.rebuild(synth::generate(&synth::Plan::scaled(500), 7), |_| {})?;
//!
//! let mut query = SearchQuery::text("檢測 重慶", 5);
//! query.kinds = vec![Kind::Provider];
//! let results = index.search(&query)?;
//! assert!(results.total > 0);
//!
//! let mut request = MatchRequest::for_kinds(&[Kind::Provider]);
//! request.services = vec![Service::TestingCertification];
//! let matches = match_request(&index, &request, 10)?;
//! assert!(matches[0].score >= matches[matches.len() - 1].score);
//! # Ok::<(), directory::DirectoryError>(())
//! ```

#![deny(missing_docs)]

pub mod analysis;
mod codes;
mod entry;
mod error;
mod index;
mod matching;
mod quality;
mod search;
pub mod synth;
mod vocabulary;

pub use analysis::{analyze, analyze_unstemmed};
pub use codes::UnknownCode;
pub use entry::{Details, Entry, EntryId, Profile, ProfileInput, Ticket};
pub use error::DirectoryError;
pub use index::{DirectoryIndex, IndexConfig};
pub use matching::{match_request, Match, MatchRequest, Reason, CANDIDATES, MAX_MATCHES};
pub use quality::{acceptance_by_score_band, Band};
pub use search::{Facets, Hit, SearchQuery, SearchResults, MAX_LIMIT};
pub use vocabulary::{Kind, Language, Region, Sector, Service, SizeBand, Stage};
