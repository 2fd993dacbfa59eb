//! Integration tests of the web tier: the real server on a random port, on a real SQLite file
//! and on a real PostgreSQL started by the tests, plus one real headless Chromium.

mod access;
mod admin;
mod api;
mod browser;
mod directory;
mod funding;
mod funding_pages;
mod helpers;
mod i18n;
mod origin;
mod pages;
mod pipeline;
mod plan;
mod route_table;
mod sites;
mod stats;
