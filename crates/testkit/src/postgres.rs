//! One throwaway PostgreSQL server per test process, started from the machine's binaries and
//! torn down by a watchdog process after the test process exits.

use std::ffi::OsStr;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// A PostgreSQL server that lives as long as the test process.
///
/// Get it with [`TestPostgres::shared`]; every test then takes its own database with
/// [`TestPostgres::fresh_database`], so tests running on parallel threads never see each other's
/// rows. The superuser is `madeby` and every connection from 127.0.0.1 is trusted, so URLs carry
/// no password.
#[derive(Debug)]
pub struct TestPostgres {
    port: u16,
    bin_dir: PathBuf,
    root: PathBuf,
    as_root: bool,
}

/// Where Debian's `postgresql-15` package puts the server binaries.
const DEFAULT_BIN_DIR: &str = "/usr/lib/postgresql/15/bin";
/// The OS user the server runs as when the tests run as root (PostgreSQL refuses root).
const SERVER_OS_USER: &str = "postgres";
/// The database superuser created by `initdb`.
const DB_USER: &str = "madeby";
/// How many free ports to try before giving up on starting the server.
const START_ATTEMPTS: usize = 5;

static SHARED: OnceLock<TestPostgres> = OnceLock::new();

impl TestPostgres {
    /// Returns the server of this test process, starting it on the first call.
    ///
    /// The first call blocks for a second or two (`initdb` plus start-up); calls from other
    /// threads meanwhile wait for it. The server's files live in a fresh temporary directory and
    /// it listens only on 127.0.0.1 (its Unix socket is inside that directory). A detached
    /// watchdog process stops the server with `pg_ctl stop -m immediate` and deletes the directory
    /// within about half a second of the test process exiting, however it exits.
    ///
    /// The binaries come from `$PG_BIN` if set, otherwise from /usr/lib/postgresql/15/bin (or the
    /// newest /usr/lib/postgresql/*/bin). When the tests run as root the server runs as the
    /// `postgres` OS user through `runuser`.
    ///
    /// # Panics
    ///
    /// Panics with what to install when the binaries are missing, and with the server log when the
    /// server does not start.
    pub fn shared() -> &'static TestPostgres {
        SHARED.get_or_init(start)
    }

    /// Like [`TestPostgres::shared`], but returns `None` when this machine has no PostgreSQL
    /// server binaries, so the caller can skip its test.
    ///
    /// A skip is announced on stderr. When `MADEBY_REQUIRE_POSTGRES=1` is set (as `cargo xtask
    /// test` does) missing binaries panic instead, so CI never skips silently.
    pub fn try_shared() -> Option<&'static TestPostgres> {
        if let Some(pg) = SHARED.get() {
            return Some(pg);
        }
        if let Err(problem) = locate_binaries().and_then(|_| check_server_user()) {
            if crate::required("MADEBY_REQUIRE_POSTGRES") {
                panic!("{problem} (MADEBY_REQUIRE_POSTGRES is set, so this test may not skip)");
            }
            eprintln!("skipping: {problem}");
            return None;
        }
        Some(Self::shared())
    }

    /// Restarts the server on the same port (`pg_ctl restart -m fast`: every open connection is
    /// cut), for tests that prove a client reconnects. It restarts the server of the whole test
    /// process, so only a test binary whose other tests do not use PostgreSQL may call it.
    ///
    /// # Panics
    ///
    /// Panics with `pg_ctl`'s message if the server does not come back.
    pub fn restart(&self) {
        let restarted = run(
            server_command(&self.bin_dir.join("pg_ctl"), &self.root, self.as_root)
                .arg("-D")
                .arg(self.root.join("data"))
                .arg("-l")
                .arg(self.root.join("server.log"))
                .args(["-w", "-t", "60", "-m", "fast"])
                .args(["-o", &format!("-p {}", self.port), "restart"]),
        );
        if !restarted.status.success() {
            panic!(
                "PostgreSQL did not restart ({}): {}",
                restarted.status,
                output_text(&restarted)
            );
        }
    }

    /// The TCP port the server listens on (on 127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// URL of the `postgres` maintenance database, as the superuser `madeby`.
    ///
    /// Use it for server-wide statements; use [`TestPostgres::fresh_database`] for test data.
    pub fn admin_url(&self) -> String {
        format!("postgres://{DB_USER}@127.0.0.1:{}/postgres", self.port)
    }

    /// Creates a new empty database with a unique name and returns its URL,
    /// `postgres://madeby@127.0.0.1:PORT/t_<uuid>`.
    ///
    /// This is a blocking call (it runs `createdb`, a few tens of milliseconds), so it can be used
    /// from sync tests and from async tests alike. The database is never dropped: it disappears
    /// with the server when the test process exits.
    ///
    /// # Panics
    ///
    /// Panics with `createdb`'s message if the database cannot be created.
    pub fn fresh_database(&self) -> String {
        let name = format!("t_{}", uuid::Uuid::new_v4().simple());
        let port = self.port.to_string();
        let output = Command::new(self.bin_dir.join("createdb"))
            .args(["-h", "127.0.0.1", "-p", &port, "-U", DB_USER, "--", &name])
            .env("PGCONNECT_TIMEOUT", "10")
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|err| panic!("cannot run createdb: {err}"));
        if !output.status.success() {
            panic!(
                "createdb {name} failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        format!("postgres://{DB_USER}@127.0.0.1:{}/{name}", self.port)
    }
}

/// Initialises and starts the server; the body of [`TestPostgres::shared`].
fn start() -> TestPostgres {
    let bin_dir = locate_binaries().unwrap_or_else(|problem| panic!("{problem}"));
    let as_root = is_root();
    if as_root {
        check_server_user().unwrap_or_else(|problem| panic!("{problem}"));
    }

    let root = make_root_dir(as_root);
    // The watchdog goes first, so the directory is removed even if initdb or the start fail.
    spawn_watchdog(&root, &bin_dir, as_root);

    let data = root.join("data");
    let initdb = run(server_command(&bin_dir.join("initdb"), &root, as_root)
        .arg("-D")
        .arg(&data)
        .args([
            "-A",
            "trust",
            "-U",
            DB_USER,
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        ]));
    if !initdb.status.success() {
        panic!(
            "initdb failed ({}): {}",
            initdb.status,
            output_text(&initdb)
        );
    }
    configure(&data, &root.join("socket"));

    let log = root.join("server.log");
    for _ in 0..START_ATTEMPTS {
        let port = crate::free_port();
        let started = run(server_command(&bin_dir.join("pg_ctl"), &root, as_root)
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(&log)
            .args(["-w", "-t", "60", "-o", &format!("-p {port}"), "start"]));
        if started.status.success() {
            return TestPostgres {
                port,
                bin_dir,
                root,
                as_root,
            };
        }
        let server_log = fs::read_to_string(&log).unwrap_or_default();
        // Another process may have taken the port between free_port() and the bind: try another.
        if !server_log.contains("could not bind") && !server_log.contains("already in use") {
            panic!(
                "PostgreSQL did not start ({}): {}\nserver log {}:\n{server_log}",
                started.status,
                output_text(&started),
                log.display()
            );
        }
    }
    panic!("PostgreSQL did not start: no free port after {START_ATTEMPTS} attempts");
}

/// Finds the directory holding `initdb`, `pg_ctl` and `createdb`, or says what to install.
fn locate_binaries() -> Result<PathBuf, String> {
    let bin_dir = match std::env::var_os("PG_BIN") {
        Some(dir) => PathBuf::from(dir),
        None if Path::new(DEFAULT_BIN_DIR).join("initdb").exists() => {
            PathBuf::from(DEFAULT_BIN_DIR)
        }
        None => newest_installed_bin_dir().unwrap_or_else(|| PathBuf::from(DEFAULT_BIN_DIR)),
    };
    for tool in ["initdb", "pg_ctl", "postgres", "createdb"] {
        if !bin_dir.join(tool).exists() {
            return Err(format!(
                "PostgreSQL server binary {} is missing: install the PostgreSQL 15 server \
                 (`apt-get install postgresql-15`) or point PG_BIN at the directory holding \
                 initdb, pg_ctl, postgres and createdb",
                bin_dir.join(tool).display()
            ));
        }
    }
    Ok(bin_dir)
}

/// The `bin` directory of the newest /usr/lib/postgresql/<version> that has `initdb`.
fn newest_installed_bin_dir() -> Option<PathBuf> {
    fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin_dir = entry.path().join("bin");
            bin_dir
                .join("initdb")
                .exists()
                .then_some((version, bin_dir))
        })
        .max_by_key(|(version, _)| *version)
        .map(|(_, bin_dir)| bin_dir)
}

/// When running as root, checks that the unprivileged server user exists.
fn check_server_user() -> Result<(), String> {
    if !is_root() {
        return Ok(());
    }
    let found = Command::new("id")
        .arg("-u")
        .arg(SERVER_OS_USER)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        return Err(format!(
            "the tests run as root, and PostgreSQL refuses to run as root, but there is no \
             `{SERVER_OS_USER}` OS user to run it as: install postgresql-15 (which creates it) or \
             run the tests as an unprivileged user"
        ));
    }
    Ok(())
}

/// Whether this process runs with an effective uid of 0.
fn is_root() -> bool {
    static IS_ROOT: OnceLock<bool> = OnceLock::new();
    *IS_ROOT.get_or_init(|| {
        Command::new("id")
            .arg("-u")
            .output()
            .map(|output| output.stdout.trim_ascii() == b"0")
            .unwrap_or(false)
    })
}

/// Creates the private temporary directory holding the data directory, socket and log, owned by
/// the server's OS user.
fn make_root_dir(as_root: bool) -> PathBuf {
    let root = std::env::temp_dir().join(format!(
        "madeby-testpg-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    fs::create_dir_all(root.join("socket"))
        .unwrap_or_else(|err| panic!("cannot create {}: {err}", root.display()));
    fs::set_permissions(&root, fs::Permissions::from_mode(0o700))
        .unwrap_or_else(|err| panic!("cannot restrict {}: {err}", root.display()));
    if as_root {
        let chown = run(Command::new("chown")
            .arg("-R")
            .arg(format!("{SERVER_OS_USER}:"))
            .arg(&root));
        if !chown.status.success() {
            panic!(
                "cannot hand {} to the {SERVER_OS_USER} user: {}",
                root.display(),
                output_text(&chown)
            );
        }
    }
    root
}

/// Starts the watchdog that stops the server and deletes `root` once this process has exited.
fn spawn_watchdog(root: &Path, bin_dir: &Path, as_root: bool) {
    const CLEANUP: &str = r#"
        if [ -f "$2/data/postmaster.pid" ]; then
            if [ "$4" = 1 ]; then
                runuser -u postgres -- "$3" -D "$2/data" -m immediate -w stop
            else
                "$3" -D "$2/data" -m immediate -w stop
            fi
        fi
        rm -rf "$2"
    "#;
    crate::spawn_watchdog(
        "true",
        CLEANUP,
        &[
            root.as_os_str(),
            bin_dir.join("pg_ctl").as_os_str(),
            OsStr::new(if as_root { "1" } else { "0" }),
        ],
    );
}

/// Appends the test settings to `postgresql.conf`: local TCP only, a private socket directory,
/// and no durability (the data is thrown away anyway, and fsync dominates test time).
fn configure(data: &Path, socket_dir: &Path) {
    let conf = data.join("postgresql.conf");
    let settings = format!(
        "\n# added by testkit\n\
         listen_addresses = '127.0.0.1'\n\
         unix_socket_directories = '{}'\n\
         max_connections = 300\n\
         fsync = off\n\
         synchronous_commit = off\n\
         full_page_writes = off\n",
        socket_dir.display()
    );
    OpenOptions::new()
        .append(true)
        .open(&conf)
        .and_then(|mut file| file.write_all(settings.as_bytes()))
        .unwrap_or_else(|err| panic!("cannot write {}: {err}", conf.display()));
}

/// A command for a server binary, run as the `postgres` OS user when this process is root.
fn server_command(program: &Path, root: &Path, as_root: bool) -> Command {
    let mut command = if as_root {
        let mut command = Command::new("runuser");
        command.args(["-u", SERVER_OS_USER, "--"]).arg(program);
        command
    } else {
        Command::new(program)
    };
    // The server user may not be allowed into the test's working directory.
    command.current_dir(root).stdin(Stdio::null());
    command
}

/// Runs `command` to completion, capturing its output.
fn run(command: &mut Command) -> Output {
    command
        .output()
        .unwrap_or_else(|err| panic!("cannot run {command:?}: {err}"))
}

/// The trimmed stdout and stderr of a finished command, for panic messages.
fn output_text(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    format!("{}\n{}", stdout.trim(), stderr.trim())
        .trim()
        .to_owned()
}
