//! Test fixtures shared by the workspace's integration tests: a real PostgreSQL server and a real
//! headless Chromium, both started from the machine's binaries (there are no containers here).
//!
//! - [`TestPostgres::shared`] starts one PostgreSQL server per test process, the first time any
//!   test asks for it, and [`TestPostgres::fresh_database`] gives each test its own database.
//!   A watchdog process stops the server and deletes its files once the test process has exited.
//! - [`TestBrowser::start`] starts `chromedriver` and a headless Chromium with a throwaway profile,
//!   and hands out a [`fantoccini::Client`] to drive it.
//! - [`free_port`] finds a TCP port on 127.0.0.1 that nobody listens on.
//!
//! The `try_` constructors return `None` (and say so on stderr) when the machine lacks the
//! binaries, so a test can skip; setting `MADEBY_REQUIRE_POSTGRES=1` or `MADEBY_REQUIRE_BROWSER=1`
//! (as `cargo xtask test` does) turns that skip into a panic, so nothing is skipped silently.
//!
//! ```no_run
//! # async fn example() {
//! let pg = testkit::TestPostgres::shared();
//! let url = pg.fresh_database(); // postgres://madeby@127.0.0.1:PORT/t_<uuid>
//!
//! let browser = testkit::TestBrowser::start().await;
//! browser.client().goto("data:text/html,<h1>hi</h1>").await.unwrap();
//! browser.close().await;
//! # let _ = url;
//! # }
//! ```
#![deny(missing_docs)]

mod browser;
mod postgres;

use std::net::{Ipv4Addr, TcpListener};

pub use crate::browser::TestBrowser;
pub use crate::postgres::TestPostgres;

/// Returns a TCP port on 127.0.0.1 that was free a moment ago.
///
/// The port is found by binding port 0 and closing the listener again, so another process can
/// take it before the caller binds it; callers that start servers retry on a bind failure.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap_or_else(|err| panic!("cannot bind a TCP port on 127.0.0.1: {err}"));
    listener
        .local_addr()
        .unwrap_or_else(|err| panic!("cannot read the bound TCP port: {err}"))
        .port()
}

/// Whether the environment variable `name` asks for a fixture to be required (`1` or `true`).
fn required(name: &str) -> bool {
    matches!(
        std::env::var(name).as_deref().map(str::trim),
        Ok("1") | Ok("true") | Ok("yes")
    )
}
