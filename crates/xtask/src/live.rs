//! A real madeby server for the checks that need one (`load`, `schemathesis`): started from a
//! built binary on 127.0.0.1 with a throwaway data directory, optionally on a throwaway
//! PostgreSQL 15 started from the machine's binaries, and a minimal HTTP/1.1 client to talk to it.
//! Everything is stopped and deleted when its guard is dropped.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::{Failure, Result};

/// The directory cargo builds into: `$CARGO_TARGET_DIR` if set, else `<root>/target`.
pub(crate) fn target_dir() -> PathBuf {
    let root = crate::workspace_root();
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

fn io_failure(what: impl std::fmt::Display, err: std::io::Error) -> Failure {
    Failure::Message(format!("{what}: {err}"))
}

/// A fresh directory under the system's temporary directory, deleted on drop.
pub(crate) struct Scratch(PathBuf);

impl Scratch {
    pub(crate) fn new(name: &str) -> Result<Scratch> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("madeby-{name}-{}-{nanos}", std::process::id()));
        fs::create_dir_all(&dir).map_err(|err| io_failure(dir.display(), err))?;
        // The PostgreSQL server user must be able to reach its directory inside this one.
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755))
            .map_err(|err| io_failure(dir.display(), err))?;
        Ok(Scratch(dir))
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Err(err) = fs::remove_dir_all(&self.0) {
            eprintln!("xtask: could not remove {}: {err}", self.0.display());
        }
    }
}

/// A port on 127.0.0.1 that was free a moment ago.
fn free_port() -> Result<u16> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|err| io_failure("cannot bind a port on 127.0.0.1", err))
}

/// A throwaway PostgreSQL server (the same recipe as `testkit::TestPostgres`, which xtask cannot
/// depend on: it builds with the standard library only). Run as the `postgres` OS user when we
/// are root, since PostgreSQL refuses to run as root. Stopped on drop.
pub(crate) struct TempPostgres {
    pg_ctl: PathBuf,
    root: PathBuf,
    as_root: bool,
    port: u16,
}

impl TempPostgres {
    /// Initialises a cluster in `root` (created here), starts it on a free port and creates the
    /// database `madeby`, owned by the trusted superuser `madeby`.
    pub(crate) fn start(root: &Path) -> Result<TempPostgres> {
        let bin = std::env::var_os("PG_BIN").map_or_else(
            || PathBuf::from("/usr/lib/postgresql/15/bin"),
            PathBuf::from,
        );
        if !bin.join("initdb").is_file() {
            return Err(Failure::Message(format!(
                "no PostgreSQL server binaries in {} (install postgresql-15 or set PG_BIN)",
                bin.display()
            )));
        }
        let as_root = crate::is_root();
        fs::create_dir_all(root.join("socket")).map_err(|err| io_failure(root.display(), err))?;
        fs::set_permissions(root, fs::Permissions::from_mode(0o700))
            .map_err(|err| io_failure(root.display(), err))?;
        if as_root {
            checked(Command::new("chown").arg("-R").arg("postgres:").arg(root))?;
        }
        let data = root.join("data");
        checked(
            server_command(&bin.join("initdb"), root, as_root)
                .arg("-D")
                .arg(&data)
                .args([
                    "-A",
                    "trust",
                    "-U",
                    "madeby",
                    "--encoding=UTF8",
                    "--locale=C",
                ]),
        )?;
        let settings = format!(
            "\n# added by cargo xtask\nlisten_addresses = '127.0.0.1'\n\
             unix_socket_directories = '{}'\nmax_connections = 100\n",
            root.join("socket").display()
        );
        OpenOptions::new()
            .append(true)
            .open(data.join("postgresql.conf"))
            .and_then(|mut conf| conf.write_all(settings.as_bytes()))
            .map_err(|err| io_failure("cannot write postgresql.conf", err))?;
        let pg_ctl = bin.join("pg_ctl");
        let mut last = String::new();
        for _ in 0..5 {
            let port = free_port()?;
            let output = server_command(&pg_ctl, root, as_root)
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(root.join("server.log"))
                .args(["-w", "-t", "60", "-o", &format!("-p {port}"), "start"])
                .output()
                .map_err(|err| io_failure("cannot run pg_ctl", err))?;
            if output.status.success() {
                let pg = TempPostgres {
                    pg_ctl,
                    root: root.to_owned(),
                    as_root,
                    port,
                };
                checked(
                    Command::new(bin.join("createdb"))
                        .args(["-h", "127.0.0.1", "-p", &port.to_string()])
                        .args(["-U", "madeby", "madeby"]),
                )?;
                eprintln!(
                    "xtask: PostgreSQL 15 on 127.0.0.1:{port} (data in {})",
                    data.display()
                );
                return Ok(pg);
            }
            // Someone may have taken the port between free_port() and the bind: try another.
            last = fs::read_to_string(root.join("server.log")).unwrap_or_default();
            if !last.contains("could not bind") && !last.contains("already in use") {
                break;
            }
        }
        Err(Failure::Message(format!(
            "PostgreSQL did not start; server log:\n{last}"
        )))
    }

    /// The URL of the `madeby` database.
    pub(crate) fn url(&self) -> String {
        format!("postgres://madeby@127.0.0.1:{}/madeby", self.port)
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        let stopped = server_command(&self.pg_ctl, &self.root, self.as_root)
            .arg("-D")
            .arg(self.root.join("data"))
            .args(["-m", "fast", "-w", "stop"])
            .output();
        if !stopped.is_ok_and(|output| output.status.success()) {
            eprintln!("xtask: PostgreSQL in {} did not stop", self.root.display());
        }
    }
}

/// A PostgreSQL server binary, run as `postgres` through `runuser` when we are root.
fn server_command(program: &Path, root: &Path, as_root: bool) -> Command {
    let mut command = if as_root {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    };
    command.current_dir(root).stdin(Stdio::null());
    command
}

/// Runs `command` capturing its output; a failure carries that output.
pub(crate) fn checked(command: &mut Command) -> Result<Output> {
    let output = command.output().map_err(|err| {
        io_failure(
            format!("cannot run {}", command.get_program().to_string_lossy()),
            err,
        )
    })?;
    if output.status.success() {
        return Ok(output);
    }
    Err(Failure::Message(format!(
        "{} failed ({}): {}{}",
        command.get_program().to_string_lossy(),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )))
}

/// A running `madeby serve`, stopped with SIGTERM (then SIGKILL) on drop.
pub(crate) struct Madeby {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub(crate) addr: String,
    stdout: PathBuf,
    /// The server's log (its stderr).
    pub(crate) log: PathBuf,
}

impl Madeby {
    /// Starts `binary serve` on a port the OS picks, with its data (and its stdout and stderr,
    /// as `stdout.log` and `server.log`) in `dir` and the database at `database` (default: SQLite
    /// in `dir/data`); returns once `/health` answers 200. `log_filter` is its `RUST_LOG`.
    pub(crate) fn start(
        binary: &Path,
        dir: &Path,
        database: Option<&str>,
        log_filter: &str,
    ) -> Result<Madeby> {
        let stdout = dir.join("stdout.log");
        let log = dir.join("server.log");
        let create =
            |path: &Path| File::create(path).map_err(|err| io_failure(path.display(), err));
        let mut command = Command::new(binary);
        command.arg("--data-dir").arg(dir.join("data"));
        if let Some(url) = database {
            command.arg("--database").arg(url);
        }
        command
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("RUST_LOG", log_filter)
            .stdin(Stdio::null())
            .stdout(create(&stdout)?)
            .stderr(create(&log)?);
        crate::announce(&command);
        let child = command
            .spawn()
            .map_err(|err| io_failure(format!("cannot start {}", binary.display()), err))?;
        let mut server = Madeby {
            child,
            addr: String::new(),
            stdout,
            log,
        };
        // The first start loads the reference data and the synthetic directory: give it time.
        let deadline = Instant::now() + Duration::from_secs(900);
        const MARK: &str = "madeby is serving on http://";
        loop {
            if let Some(line) = server.stdout_text().lines().find(|l| l.contains(MARK)) {
                let rest = &line[line.find(MARK).unwrap_or(0) + MARK.len()..];
                server.addr = rest.split('/').next().unwrap_or_default().to_owned();
                break;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(Failure::Message(format!(
                    "madeby exited ({status}) before serving:\n{}",
                    server.log_tail()
                )));
            }
            if Instant::now() > deadline {
                return Err(Failure::Message(format!(
                    "madeby did not start serving in 15 minutes:\n{}",
                    server.log_tail()
                )));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        for _ in 0..100 {
            if matches!(
                http(&server.addr, "GET", "/health", &[], None),
                Ok((200, _))
            ) {
                eprintln!("xtask: madeby serving on http://{}/", server.addr);
                return Ok(server);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(Failure::Message(format!(
            "madeby on {} does not answer /health with 200:\n{}",
            server.addr,
            server.log_tail()
        )))
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the server printed on stdout so far.
    pub(crate) fn stdout_text(&self) -> String {
        fs::read_to_string(&self.stdout).unwrap_or_default()
    }

    /// The last lines of the server's log, for error messages.
    pub(crate) fn log_tail(&self) -> String {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// Whether the server is still running.
    pub(crate) fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Madeby {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`); returns the status and
/// the body (not de-chunked: callers only read bodies of fixed length).
pub(crate) fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    json_body: Option<&str>,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    let body = json_body.unwrap_or("");
    if json_body.is_some() {
        request.push_str("Content-Type: application/json\r\n");
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(request.as_bytes())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let response = String::from_utf8_lossy(&response);
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other("not an HTTP response"))?;
    let body = response
        .split_once("\r\n\r\n")
        .map_or("", |(_, body)| body)
        .to_owned();
    Ok((status, body))
}

/// The resident set size of process `pid` in KiB (`VmRSS` of /proc/PID/status).
pub(crate) fn rss_kib(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}
