//! `cargo xtask load`: the release server on loopback under wrk, route by route (the main read
//! routes, the site ranking and the directory search), then a soak over all GET routes at once
//! with the server's resident memory sampled every few seconds. Prints requests per second, p99
//! latency and errors per route, and the memory at the start, end and peak of the soak.

use std::ffi::OsString;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::live::{self, Madeby, Scratch, TempPostgres};
use crate::{Failure, Result};

/// Routes under load: (group, method, path). The soak runs every GET route in turn.
const ROUTES: &[(&str, &str, &str)] = &[
    ("read", "GET", "/health"),
    ("read", "GET", "/"),
    ("read", "GET", "/reference"),
    ("read", "GET", "/api/v1/reference/datasets"),
    ("read", "GET", "/api/v1/reference/pledges"),
    ("read", "GET", "/stats"),
    ("read", "GET", "/api/v1/stats/contribution"),
    ("read", "GET", "/pipeline"),
    ("read", "GET", "/api/v1/pipeline"),
    ("ranking", "POST", "/api/v1/sites/rank"),
    ("ranking", "GET", "/sites?profile=ev-assembly"),
    (
        "search",
        "GET",
        "/api/v1/directory/search?q=testing+chongqing",
    ),
    ("search", "GET", "/directory?q=testing+chongqing"),
];

/// The body of the ranking POST.
const RANK_BODY: &str = r#"{"profile":"ev-assembly"}"#;

/// wrk's threads: one per core of the 2-core machine the goal is set for.
const WRK_THREADS: u32 = 2;

struct LoadArgs {
    postgres: bool,
    seconds: u64,
    soak_seconds: u64,
    connections: u32,
}

fn load_args(args: &[OsString]) -> Result<LoadArgs> {
    let mut parsed = LoadArgs {
        postgres: false,
        seconds: 10,
        soak_seconds: 300,
        connections: 32,
    };
    let mut args = args.iter().map(|arg| arg.to_string_lossy().into_owned());
    while let Some(arg) = args.next() {
        let (flag, value) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
            None => (arg, None),
        };
        let Some(value) = value.or_else(|| args.next()) else {
            return Err(Failure::Message(format!("{flag} needs a value")));
        };
        let number = |min: u64| {
            value
                .parse::<u64>()
                .ok()
                .filter(|n| *n >= min)
                .ok_or_else(|| {
                    Failure::Message(format!("{flag}: {value:?} is not a number >= {min}"))
                })
        };
        match flag.as_str() {
            "--database" => {
                parsed.postgres = match value.as_str() {
                    "sqlite" => false,
                    "postgres" | "postgresql" => true,
                    _ => {
                        return Err(Failure::Message(format!(
                            "--database: {value:?} is neither sqlite nor postgres"
                        )))
                    }
                }
            }
            "--seconds" => parsed.seconds = number(1)?,
            "--soak-seconds" => parsed.soak_seconds = number(0)?,
            "--connections" => {
                parsed.connections = u32::try_from(number(u64::from(WRK_THREADS))?)
                    .map_err(|_| Failure::Message(format!("--connections: {value} is too large")))?
            }
            _ => {
                return Err(Failure::Message(format!(
                    "load takes --database, --seconds, --soak-seconds and --connections, not {flag}"
                )))
            }
        }
    }
    Ok(parsed)
}

/// What one wrk run measured.
#[derive(Default)]
struct WrkResult {
    requests: u64,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    non_2xx: u64,
    socket_errors: u64,
}

impl WrkResult {
    fn errors(&self) -> u64 {
        self.non_2xx + self.socket_errors
    }
}

/// `cargo xtask load`.
pub(crate) fn load(args: &[OsString]) -> Result {
    let args = load_args(args)?;
    crate::deps(crate::BUILD_PACKAGES)?;
    crate::deps(&["wrk"])?;
    crate::run(crate::cargo().args(["build", "--release", "-p", "madeby"]))?;
    let binary = live::target_dir().join("release").join("madeby");

    let scratch = Scratch::new("load")?;
    let postgres = if args.postgres {
        Some(TempPostgres::start(&scratch.path().join("pg"))?)
    } else {
        None
    };
    let url = postgres.as_ref().map(TempPostgres::url);
    // The server logs as it would in production (INFO; requests themselves log at DEBUG).
    let mut server = Madeby::start(&binary, scratch.path(), url.as_deref(), "info")?;
    let backend = if args.postgres {
        "PostgreSQL"
    } else {
        "SQLite"
    };

    // Every route must answer 2xx before it is timed, so a typo cannot pass as a fast 404.
    for (_, method, path) in ROUTES {
        let body = (*method == "POST").then_some(RANK_BODY);
        match live::http(&server.addr, method, path, &[], body) {
            Ok((status, _)) if (200..300).contains(&status) => {}
            Ok((status, body)) => {
                return Err(Failure::Message(format!(
                    "{method} {path} answered {status}: {}",
                    body.chars().take(300).collect::<String>()
                )))
            }
            Err(err) => return Err(Failure::Message(format!("{method} {path}: {err}"))),
        }
    }
    let scripts = scratch.path();
    fs::write(scripts.join("post.lua"), post_script()).map_err(|e| script_failure(&e))?;
    fs::write(scripts.join("soak.lua"), soak_script()).map_err(|e| script_failure(&e))?;

    eprintln!(
        "xtask: warming up for 5 s, then {} s per route, wrk {WRK_THREADS} threads, {} connections",
        args.seconds, args.connections
    );
    wrk(&server.addr, "/", None, 5, args.connections)?;
    let mut rows = Vec::new();
    for (group, method, path) in ROUTES {
        let post = (*method == "POST").then(|| scripts.join("post.lua"));
        let result = wrk(
            &server.addr,
            path,
            post.as_deref(),
            args.seconds,
            args.connections,
        )?;
        eprintln!(
            "xtask: {method} {path}: {:.0} requests/s, p99 {:.2} ms, {} errors",
            result.rps,
            result.p99_ms,
            result.errors()
        );
        rows.push((*group, format!("{method} {path}"), result));
    }

    let soak = if args.soak_seconds > 0 {
        Some(soak(&mut server, &args, scripts)?)
    } else {
        None
    };
    if !server.is_running() {
        return Err(Failure::Message(format!(
            "the server stopped during the load:\n{}",
            server.log_tail()
        )));
    }

    println!();
    println!(
        "{backend}, wrk {WRK_THREADS} threads × {} connections, {} s per route, on loopback",
        args.connections, args.seconds
    );
    println!();
    println!("| group | route | requests/s | p50 | p99 | errors |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for (group, route, r) in &rows {
        println!(
            "| {group} | `{route}` | {:.0} | {:.2} ms | {:.2} ms | {} |",
            r.rps,
            r.p50_ms,
            r.p99_ms,
            r.errors()
        );
    }
    if let Some((result, samples)) = &soak {
        let mib = |kib: u64| kib as f64 / 1024.0;
        let first = samples.first().map_or(0, |s| s.1);
        let last = samples.last().map_or(0, |s| s.1);
        let max = samples.iter().map(|s| s.1).max().unwrap_or(0);
        println!();
        println!(
            "soak, {} s over all {} GET routes in turn: {:.0} requests/s, p99 {:.2} ms, {} errors \
             ({} requests)",
            args.soak_seconds,
            ROUTES.iter().filter(|r| r.1 == "GET").count(),
            result.rps,
            result.p99_ms,
            result.errors(),
            result.requests
        );
        println!(
            "server RSS: start {:.1} MiB, end {:.1} MiB, max {:.1} MiB",
            mib(first),
            mib(last),
            mib(max)
        );
        let mut shown: Vec<&(u64, u64)> = samples.iter().step_by(6).collect();
        if let Some(last) = samples.last() {
            if shown.last().map(|s| s.0) != Some(last.0) {
                shown.push(last);
            }
        }
        let trace: Vec<String> = shown
            .iter()
            .map(|(t, kib)| format!("{t}s {:.1}", mib(*kib)))
            .collect();
        println!("RSS every 30 s (MiB): {}", trace.join(", "));
    }
    let failed: Vec<&str> = rows
        .iter()
        .filter(|(_, _, r)| r.errors() > 0)
        .map(|(_, route, _)| route.as_str())
        .collect();
    if !failed.is_empty() || soak.as_ref().is_some_and(|(r, _)| r.errors() > 0) {
        return Err(Failure::Message(format!(
            "errors under load (non-2xx or socket errors): {failed:?}; server log:\n{}",
            server.log_tail()
        )));
    }
    Ok(())
}

fn script_failure(err: &std::io::Error) -> Failure {
    Failure::Message(format!("cannot write the wrk scripts: {err}"))
}

/// wrk script for the ranking POST.
fn post_script() -> String {
    format!(
        "wrk.method = \"POST\"\nwrk.body = '{RANK_BODY}'\n\
         wrk.headers[\"Content-Type\"] = \"application/json\"\n"
    )
}

/// wrk script that sends every GET route in turn.
fn soak_script() -> String {
    let paths: Vec<String> = ROUTES
        .iter()
        .filter(|(_, method, _)| *method == "GET")
        .map(|(_, _, path)| format!("\"{path}\""))
        .collect();
    format!(
        "local paths = {{{}}}\nlocal i = 0\n\
         request = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n",
        paths.join(", ")
    )
}

/// The soak: wrk over every GET route for `soak_seconds`, the server's RSS sampled every 5 s
/// (as seconds since the start and KiB).
fn soak(
    server: &mut Madeby,
    args: &LoadArgs,
    scripts: &Path,
) -> Result<(WrkResult, Vec<(u64, u64)>)> {
    eprintln!(
        "xtask: soak for {} s over every GET route, RSS every 5 s",
        args.soak_seconds
    );
    let out = scripts.join("soak.out");
    let mut child = wrk_command(
        &server.addr,
        "/",
        Some(&scripts.join("soak.lua")),
        args.soak_seconds,
        args.connections,
    )
    .stdout(fs::File::create(&out).map_err(|e| script_failure(&e))?)
    .spawn()
    .map_err(|err| Failure::Message(format!("cannot run wrk: {err}")))?;
    let start = Instant::now();
    let mut samples = Vec::new();
    let mut next_sample = Duration::ZERO;
    let status = loop {
        if start.elapsed() >= next_sample {
            if let Some(kib) = live::rss_kib(server.pid()) {
                samples.push((start.elapsed().as_secs(), kib));
            }
            next_sample += Duration::from_secs(5);
        }
        if let Some(status) = child
            .try_wait()
            .map_err(|err| Failure::Message(format!("wrk: {err}")))?
        {
            break status;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    if let Some(kib) = live::rss_kib(server.pid()) {
        samples.push((start.elapsed().as_secs(), kib));
    }
    let text = fs::read_to_string(&out).unwrap_or_default();
    if !status.success() {
        return Err(Failure::Message(format!("wrk failed ({status}):\n{text}")));
    }
    Ok((parse_wrk(&text)?, samples))
}

fn wrk_command(
    addr: &str,
    path: &str,
    script: Option<&Path>,
    seconds: u64,
    connections: u32,
) -> Command {
    let mut command = Command::new("wrk");
    command
        .arg(format!("-t{WRK_THREADS}"))
        .arg(format!("-c{connections}"))
        .arg(format!("-d{seconds}s"))
        .arg("--timeout")
        .arg("10s")
        .arg("--latency");
    if let Some(script) = script {
        command.arg("-s").arg(script);
    }
    command
        .arg(format!("http://{addr}{path}"))
        .stdin(Stdio::null());
    crate::announce(&command);
    command
}

/// One wrk run of `seconds` on `path`, parsed.
fn wrk(
    addr: &str,
    path: &str,
    script: Option<&Path>,
    seconds: u64,
    connections: u32,
) -> Result<WrkResult> {
    let output = wrk_command(addr, path, script, seconds, connections)
        .output()
        .map_err(|err| Failure::Message(format!("cannot run wrk: {err}")))?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(Failure::Message(format!(
            "wrk failed ({}):\n{text}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    parse_wrk(&text)
}

/// Reads requests/s, the 50th and 99th percentiles, non-2xx/3xx responses and socket errors
/// from wrk's `--latency` report.
fn parse_wrk(text: &str) -> Result<WrkResult> {
    let mut result = WrkResult::default();
    let mut in_distribution = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with("Latency Distribution") {
            in_distribution = true;
            continue;
        }
        if in_distribution {
            let mut words = line.split_whitespace();
            match (words.next(), words.next()) {
                (Some("50%"), Some(value)) => result.p50_ms = millis(value)?,
                (Some("99%"), Some(value)) => result.p99_ms = millis(value)?,
                (Some(p), Some(_)) if p.ends_with('%') => {}
                _ => in_distribution = false,
            }
        }
        if let Some(rest) = line.strip_prefix("Requests/sec:") {
            result.rps = rest.trim().parse().unwrap_or(0.0);
        } else if let Some(rest) = line.strip_prefix("Non-2xx or 3xx responses:") {
            result.non_2xx = rest.trim().parse().unwrap_or(0);
        } else if let Some(rest) = line.strip_prefix("Socket errors:") {
            // "connect 0, read 0, write 0, timeout 0"
            result.socket_errors = rest
                .split(',')
                .filter_map(|part| part.split_whitespace().nth(1)?.parse::<u64>().ok())
                .sum();
        } else if let Some((count, _)) = line.split_once(" requests in ") {
            result.requests = count.trim().parse().unwrap_or(0);
        }
    }
    if result.rps == 0.0 || result.p99_ms == 0.0 {
        return Err(Failure::Message(format!(
            "cannot read wrk's report:\n{text}"
        )));
    }
    Ok(result)
}

/// A wrk duration (`812.00us`, `3.21ms`, `1.02s`, `2.00m`) in milliseconds.
fn millis(value: &str) -> Result<f64> {
    let split = value
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| Failure::Message(format!("wrk latency {value:?} is not a number")))?;
    let factor = match unit {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        _ => {
            return Err(Failure::Message(format!(
                "wrk latency {value:?}: unknown unit"
            )))
        }
    };
    Ok(number * factor)
}
