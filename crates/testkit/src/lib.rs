//! Test fixtures shared by the workspace's integration tests: a real PostgreSQL server and a real
//! headless Chromium, both started from the machine's binaries (there are no containers here).
//!
//! - [`TestPostgres::shared`] starts one PostgreSQL server per test process, the first time any
//!   test asks for it, and [`TestPostgres::fresh_database`] gives each test its own database.
//!   A watchdog process stops the server and deletes its files once the test process has exited.
//! - [`TestBrowser::start`] starts `chromedriver` and a headless Chromium with a throwaway profile,
//!   and hands out a [`fantoccini::Client`] to drive it.
//! - [`free_port`] finds a TCP port on 127.0.0.1 that nobody listens on.
//! - [`shared_data`] finds the project's reference and benchmark data (`shared/data/`) beside
//!   the repository.
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

use std::ffi::OsStr;
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

pub use crate::browser::TestBrowser;
pub use crate::postgres::TestPostgres;

/// The project's shared data folder (`shared/data/`, holding the OR-Library instances), which
/// lives beside the repository rather than in it: `$MADEBY_SHARED_DATA` if set, else the first
/// `shared/data` next to `start` or one of its ancestors, else `/work/shared/data`.
///
/// # Panics
///
/// Panics saying where it looked when none of them exists.
pub fn shared_data(start: &str) -> std::path::PathBuf {
    if let Some(dir) = std::env::var_os("MADEBY_SHARED_DATA") {
        return dir.into();
    }
    let start = std::path::Path::new(start);
    let found = start
        .ancestors()
        .map(|dir| dir.join("shared").join("data"))
        .chain(std::iter::once("/work/shared/data".into()))
        .find(|dir| dir.join("orlib").is_dir());
    found.unwrap_or_else(|| {
        panic!(
            "no shared/data/orlib beside {} or its ancestors, nor /work/shared/data: \
             set MADEBY_SHARED_DATA to the folder holding orlib/",
            start.display()
        )
    })
}

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

/// Starts a detached shell that runs the shell code `cleanup` once this process has exited, or
/// earlier once the shell condition `still_needed` fails.
///
/// The fixtures use it because a test process ends without running the destructors of statics,
/// and a killed one runs none at all. In both scripts `$1` is this process's id and `$2`, `$3`…
/// are `args`.
///
/// The shell runs as the test's own user, so `kill -0` can see the test process, and in its own
/// process group, so a Ctrl-C aimed at the tests does not kill it before it has cleaned up. The
/// shell started here backgrounds the loop and exits at once, so the loop is adopted by init and
/// nothing is left for this process to reap.
fn spawn_watchdog(still_needed: &str, cleanup: &str, args: &[&OsStr]) {
    // A killed test process may linger as a zombie, which `kill -0` still finds.
    let script = format!(
        r#"(
        while kill -0 "$1" 2>/dev/null &&
            [ "$(sed -n 's/.*) \(.\) .*/\1/p' "/proc/$1/stat" 2>/dev/null)" != Z ] &&
            {still_needed}; do
            sleep 0.5
        done
        {cleanup}
    ) </dev/null >/dev/null 2>&1 &"#
    );
    Command::new("sh")
        .args(["-c", &script, "testkit-watchdog"])
        .arg(std::process::id().to_string())
        .args(args)
        .current_dir("/")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .status()
        .unwrap_or_else(|err| panic!("cannot start a testkit watchdog shell: {err}"));
}
