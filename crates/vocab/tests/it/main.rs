//! Integration tests for vocab, at the crate's public boundary: one binary, one module per area.

mod catalog;
mod entity;
mod ids;
mod money;
mod percent;
mod place;
mod provenance;
mod sector;
