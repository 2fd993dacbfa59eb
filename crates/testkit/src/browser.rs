//! A headless Chromium driven through `chromedriver` and fantoccini, for page tests.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use tokio::process::{Child, Command};

/// Where Debian's `chromium-driver` package installs chromedriver.
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Where Debian's `chromium` package installs the browser.
const CHROMIUM: &str = "/usr/bin/chromium";
/// What to tell someone whose machine lacks the browser.
const INSTALL_HINT: &str = "install chromium and chromium-driver: cargo xtask test does it";
/// How many free ports to try before giving up on starting chromedriver.
const START_ATTEMPTS: usize = 3;
/// How long chromedriver gets to start listening.
const DRIVER_START_TIMEOUT: Duration = Duration::from_secs(20);

/// A `chromedriver` process with one headless Chromium session, and the throwaway profile
/// directory it uses.
///
/// Drive the page with [`TestBrowser::client`]. Finish with [`TestBrowser::close`], which ends
/// the session cleanly; dropping a `TestBrowser` (for instance when a test panics) kills
/// chromedriver and the browser processes it started.
#[derive(Debug)]
pub struct TestBrowser {
    client: Client,
    driver: Child,
    /// The process group of chromedriver, which Chromium's processes share.
    driver_group: Option<u32>,
    /// Chromium's `--user-data-dir`, deleted on drop.
    _profile: tempfile::TempDir,
}

impl TestBrowser {
    /// Starts `chromedriver --port=<free port>` and opens a session of headless Chromium
    /// (/usr/bin/chromium) with a fresh profile and a 1280x900 window.
    ///
    /// # Panics
    ///
    /// Panics when /usr/bin/chromedriver is missing (saying to install `chromium` and
    /// `chromium-driver`), or when chromedriver or Chromium fails to start.
    pub async fn start() -> TestBrowser {
        if let Err(problem) = check_binaries() {
            panic!("{problem}");
        }
        let profile = tempfile::Builder::new()
            .prefix("madeby-chromium-")
            .tempdir()
            .unwrap_or_else(|err| panic!("cannot create a Chromium profile directory: {err}"));

        for _ in 0..START_ATTEMPTS {
            let port = crate::free_port();
            let mut driver = spawn_driver(port);
            let driver_group = driver.id();
            spawn_watchdog(driver_group, profile.path());
            if !wait_until_listening(&mut driver, port).await {
                // Most likely another process took the port first: try another one.
                continue;
            }
            let client = ClientBuilder::rustls()
                .unwrap_or_else(|err| panic!("cannot set up the WebDriver HTTP client: {err}"))
                .capabilities(capabilities(profile.path()))
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
                .unwrap_or_else(|err| {
                    kill_group(driver_group);
                    panic!("chromedriver could not start headless Chromium ({CHROMIUM}): {err}")
                });
            return TestBrowser {
                client,
                driver,
                driver_group,
                _profile: profile,
            };
        }
        panic!("chromedriver did not start listening after {START_ATTEMPTS} attempts");
    }

    /// Like [`TestBrowser::start`], but returns `None` when this machine has no chromedriver or
    /// Chromium, so the caller can skip its test.
    ///
    /// A skip is announced on stderr. When `MADEBY_REQUIRE_BROWSER=1` is set (as `cargo xtask
    /// test` does) a missing browser panics instead, so CI never skips silently.
    pub async fn try_start() -> Option<TestBrowser> {
        if let Err(problem) = check_binaries() {
            if crate::required("MADEBY_REQUIRE_BROWSER") {
                panic!("{problem} (MADEBY_REQUIRE_BROWSER is set, so this test may not skip)");
            }
            eprintln!("skipping: {problem}");
            return None;
        }
        Some(Self::start().await)
    }

    /// The WebDriver client of the browser session.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Ends the browser session, then stops chromedriver.
    pub async fn close(mut self) {
        // A failure here only means the session was already gone; Drop cleans up either way.
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill().await;
    }
}

impl Drop for TestBrowser {
    fn drop(&mut self) {
        // `kill_on_drop` only reaches chromedriver itself; the browser's processes share its
        // process group, so kill the group to leave no Chromium behind.
        kill_group(self.driver_group);
    }
}

/// Checks that chromedriver and Chromium are installed, or says what to install.
fn check_binaries() -> Result<(), String> {
    for binary in [CHROMEDRIVER, CHROMIUM] {
        if !Path::new(binary).exists() {
            return Err(format!("{binary} is missing: {INSTALL_HINT}"));
        }
    }
    Ok(())
}

/// Starts chromedriver on `port` in a process group of its own.
fn spawn_driver(port: u16) -> Child {
    Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|err| panic!("cannot start {CHROMEDRIVER} ({INSTALL_HINT}): {err}"))
}

/// Waits until chromedriver accepts connections on `port`; false if it exited first.
async fn wait_until_listening(driver: &mut Child, port: u16) -> bool {
    let deadline = Instant::now() + DRIVER_START_TIMEOUT;
    loop {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return true;
        }
        match driver.try_wait() {
            Ok(Some(_)) => return false,
            Ok(None) => {}
            Err(err) => panic!("cannot check on chromedriver: {err}"),
        }
        if Instant::now() > deadline {
            let _ = driver.start_kill();
            panic!("chromedriver did not listen on port {port} within {DRIVER_START_TIMEOUT:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// WebDriver capabilities for headless Chromium with the profile at `profile`.
fn capabilities(profile: &Path) -> serde_json::Map<String, serde_json::Value> {
    let args = [
        "--headless=new".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        "--disable-quic".to_owned(),
        "--no-first-run".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        format!("--user-data-dir={}", profile.display()),
        "--window-size=1280,900".to_owned(),
    ];
    let capabilities = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
    });
    match capabilities {
        serde_json::Value::Object(map) => map,
        _ => unreachable!("the capabilities literal is an object"),
    }
}

/// Starts the watchdog that kills the browser's process group and deletes its profile if this
/// process exits while the browser runs (a Ctrl-C, a kill, an abort), when no destructor runs.
///
/// The watchdog ends by itself once the group is gone, so it can never hit a recycled group id.
fn spawn_watchdog(driver_group: Option<u32>, profile: &Path) {
    let Some(group) = driver_group else {
        return;
    };
    crate::spawn_watchdog(
        r#"kill -0 "-$2" 2>/dev/null"#,
        r#"kill -9 "-$2" 2>/dev/null; rm -rf "$3""#,
        &[OsStr::new(&group.to_string()), profile.as_os_str()],
    );
}

/// Sends SIGKILL to the process group `group`, if any; errors mean it is already gone.
fn kill_group(group: Option<u32>) {
    if let Some(group) = group {
        let _ = std::process::Command::new("kill")
            .args(["-KILL", "--", &format!("-{group}")])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}
