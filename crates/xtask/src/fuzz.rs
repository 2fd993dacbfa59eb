//! `cargo xtask fuzz`: the parsers' fuzz targets (`fuzz/`, cargo-fuzz and libFuzzer), each run
//! for a few seconds from its seed corpus in `fuzz/corpus/<target>`; a panic in any fails.
//!
//! cargo-fuzz is installed from crates.io when missing. The targets are built once, without a
//! sanitizer (the code under test is safe Rust: what is looked for is a panic, and the build
//! keeps overflow checks on) and with 16 codegen units, so that the build stays at a few minutes
//! on two cores. They then run as many at a time as there are cores, each with its log in
//! `fuzz/target/logs/<target>.log`. New inputs that libFuzzer finds go to
//! `fuzz/target/corpus/<target>`, not into the committed seeds; the input of a crash goes to
//! `fuzz/artifacts/<target>/`.

use std::env;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use crate::{Failure, Result};

/// The cargo-fuzz release installed when none is: the flags below are its.
const CARGO_FUZZ: &str = "cargo-fuzz@0.13.2";

/// Seconds per target when none are given.
const DEFAULT_SECONDS: u64 = 20;

/// `cargo xtask fuzz [--seconds N]`.
pub(crate) fn fuzz(args: &[OsString]) -> Result {
    let seconds = seconds(args)?;
    fuzz_for(seconds)
}

/// The system package the fuzz build needs: pkg-config finds the HiGHS the workspace's build
/// made (see `built_highs`). Apart from [`build_in_background`], since two apt runs at once
/// would fight over its lock.
pub(crate) fn prerequisites() -> Result {
    crate::deps(&["pkgconf"])
}

/// Installs cargo-fuzz if missing and builds every target, the build's output going to
/// `fuzz/target/logs/build.log` (its end is printed on failure), so that it can run beside
/// another step. [`fuzz_for`] then finds the targets built.
pub(crate) fn build_in_background() -> Result {
    let fuzz_dir = crate::workspace_root().join("fuzz");
    install_cargo_fuzz()?;
    let logs = fuzz_dir.join("target").join("logs");
    fs::create_dir_all(&logs).map_err(|err| io_failure(&logs, err))?;
    let log = logs.join("build.log");
    let (out, err) = log_file(&log)?;
    let mut command = cargo_fuzz(&fuzz_dir, "build");
    command.stdin(Stdio::null()).stdout(out).stderr(err);
    crate::announce(&command);
    eprintln!(
        "xtask: fuzz build in the background, output in {}",
        log.display()
    );
    let status = command
        .status()
        .map_err(|err| Failure::Message(format!("cannot run cargo fuzz: {err}")))?;
    if status.success() {
        eprintln!("xtask: fuzz build done");
        return Ok(());
    }
    let text = fs::read_to_string(&log).unwrap_or_default();
    let tail: Vec<&str> = text.lines().rev().take(40).collect();
    for line in tail.into_iter().rev() {
        eprintln!("  {line}");
    }
    Err(Failure::Message(format!(
        "the fuzz build failed ({status}); its output is in {}",
        log.display()
    )))
}

/// Builds every target, then runs each for `seconds`; fails when any target fails.
pub(crate) fn fuzz_for(seconds: u64) -> Result {
    let root = crate::workspace_root();
    let fuzz_dir = root.join("fuzz");
    prerequisites()?;
    install_cargo_fuzz()?;
    let targets = targets(&fuzz_dir)?;
    crate::run(&mut cargo_fuzz(&fuzz_dir, "build"))?;

    let logs = fuzz_dir.join("target").join("logs");
    fs::create_dir_all(&logs).map_err(|err| io_failure(&logs, err))?;
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    eprintln!(
        "xtask: fuzzing {} targets for {seconds} s each, {jobs} at a time",
        targets.len()
    );
    let mut queue = targets.iter();
    let mut running: Vec<Running> = Vec::new();
    let mut failed: Vec<String> = Vec::new();
    loop {
        while running.len() < jobs {
            let Some(target) = queue.next() else { break };
            running.push(start(&fuzz_dir, &logs, target, seconds)?);
        }
        if running.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
        let mut idx = 0;
        while idx < running.len() {
            let status = running[idx].child.try_wait().map_err(|err| {
                Failure::Message(format!("cannot wait for {}: {err}", running[idx].target))
            })?;
            let Some(status) = status else {
                idx += 1;
                continue;
            };
            let done = running.swap_remove(idx);
            let log = fs::read_to_string(&done.log).unwrap_or_default();
            let elapsed = done.started.elapsed().as_secs();
            if status.success() {
                eprintln!(
                    "xtask: fuzz {}: ok, {} ({elapsed} s)",
                    done.target,
                    runs(&log)
                );
            } else {
                eprintln!(
                    "xtask: fuzz {}: FAILED ({status}); the end of {}:",
                    done.target,
                    done.log.display()
                );
                for line in failure_lines(&log) {
                    eprintln!("  {line}");
                }
                failed.push(done.target);
            }
        }
    }
    if !failed.is_empty() {
        return Err(Failure::Message(format!(
            "fuzz targets failed: {}; reproduce with `cargo fuzz run --fuzz-dir fuzz --sanitizer \
             none <target> fuzz/artifacts/<target>/<file>`",
            failed.join(", ")
        )));
    }
    eprintln!("xtask: fuzz: no target failed");
    Ok(())
}

/// A target running in the background.
struct Running {
    target: String,
    child: Child,
    log: PathBuf,
    started: Instant,
}

/// A new log file, as the standard output and the standard error of a child.
fn log_file(path: &Path) -> Result<(fs::File, fs::File)> {
    let out = fs::File::create(path).map_err(|err| io_failure(path, err))?;
    let err = out.try_clone().map_err(|err| io_failure(path, err))?;
    Ok((out, err))
}

/// Starts `cargo fuzz run` for one target, its output going to its log.
fn start(fuzz_dir: &Path, logs: &Path, target: &str, seconds: u64) -> Result<Running> {
    let work = fuzz_dir.join("target").join("corpus").join(target);
    fs::create_dir_all(&work).map_err(|err| io_failure(&work, err))?;
    let log = logs.join(format!("{target}.log"));
    let (out, err) = log_file(&log)?;
    let mut command = cargo_fuzz(fuzz_dir, "run");
    command
        .arg(target)
        // libFuzzer writes what it finds to the first folder and only reads the seeds.
        .arg(&work)
        .arg(fuzz_dir.join("corpus").join(target))
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        // An input that takes more than 10 s, or 2 GB, is a failure too.
        .arg("-timeout=10")
        .arg("-rss_limit_mb=2048")
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err);
    crate::announce(&command);
    let child = command
        .spawn()
        .map_err(|err| Failure::Message(format!("cannot run cargo fuzz: {err}")))?;
    Ok(Running {
        target: target.to_owned(),
        child,
        log,
        started: Instant::now(),
    })
}

/// `cargo fuzz <subcommand>` with the build settings every subcommand must share (a `run` with
/// other settings would rebuild everything).
fn cargo_fuzz(fuzz_dir: &Path, subcommand: &str) -> Command {
    let mut command = crate::cargo();
    if let Some(dir) = built_highs() {
        let mut path = dir.into_os_string();
        if let Some(old) = env::var_os("PKG_CONFIG_PATH").filter(|old| !old.is_empty()) {
            path.push(":");
            path.push(old);
        }
        command.env("PKG_CONFIG_PATH", path);
    }
    command
        .arg("fuzz")
        .arg(subcommand)
        .arg("--fuzz-dir")
        .arg(fuzz_dir)
        .arg("--target-dir")
        .arg(fuzz_dir.join("target"))
        .args(["--sanitizer", "none", "--codegen-units", "16"]);
    command
}

/// The `lib/pkgconfig` folder of the HiGHS that the workspace's own build (`cargo xtask test`)
/// has built, the newest if there are several.
///
/// On `PKG_CONFIG_PATH`, it lets highs-sys's `discover` feature (turned on in
/// `fuzz/Cargo.toml`) link that library instead of building HiGHS again, which is most of a
/// cold fuzz build; no target calls the solver. Without it, highs-sys builds HiGHS as usual.
fn built_highs() -> Option<PathBuf> {
    let root = crate::workspace_root();
    let target =
        env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), |dir| root.join(dir));
    let mut newest: Option<(SystemTime, PathBuf)> = None;
    for profile in ["debug", "release"] {
        let Ok(entries) = fs::read_dir(target.join(profile).join("build")) else {
            continue;
        };
        for entry in entries.flatten() {
            if !entry
                .file_name()
                .to_string_lossy()
                .starts_with("highs-sys-")
            {
                continue;
            }
            let out = entry.path().join("out").join("lib");
            let dir = out.join("pkgconfig");
            let Ok(pc) = fs::metadata(dir.join("highs.pc")) else {
                continue;
            };
            if !out.join("libhighs.a").is_file() {
                continue;
            }
            let Ok(modified) = pc.modified() else {
                continue;
            };
            if newest.as_ref().is_none_or(|(time, _)| modified > *time) {
                newest = Some((modified, dir));
            }
        }
    }
    newest.map(|(_, dir)| dir)
}

/// Installs cargo-fuzz from crates.io unless `cargo fuzz` already runs.
fn install_cargo_fuzz() -> Result {
    let present = crate::cargo()
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if present {
        return Ok(());
    }
    crate::run(crate::cargo().args(["install", "--locked", CARGO_FUZZ]))
}

/// The targets: the file stems of `fuzz/fuzz_targets/*.rs`, sorted.
fn targets(fuzz_dir: &Path) -> Result<Vec<String>> {
    let dir = fuzz_dir.join("fuzz_targets");
    let entries = fs::read_dir(&dir).map_err(|err| io_failure(&dir, err))?;
    let mut targets: Vec<String> = entries
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            if path.extension()? != "rs" {
                return None;
            }
            Some(path.file_stem()?.to_string_lossy().into_owned())
        })
        .collect();
    targets.sort();
    if targets.is_empty() {
        return Err(Failure::Message(format!(
            "no fuzz targets in {}",
            dir.display()
        )));
    }
    Ok(targets)
}

/// The part of a failed target's log worth reading: from the panic (or libFuzzer's own error)
/// through the saved input and the command that reproduces it, without the backtraces of
/// cargo-fuzz itself; the last 60 lines when there is no such part.
fn failure_lines(log: &str) -> Vec<&str> {
    let lines: Vec<&str> = log.lines().collect();
    let markers = [
        "panicked at",
        "memory allocation of",
        "ERROR: libFuzzer",
        "==ERROR",
    ];
    let first = lines
        .iter()
        .position(|line| markers.iter().any(|marker| line.contains(marker)));
    let Some(first) = first else {
        return lines[lines.len().saturating_sub(60)..].to_vec();
    };
    let last = lines
        .iter()
        .rposition(|line| line.contains("Reproduce with"))
        .map_or(lines.len(), |idx| (idx + 3).min(lines.len()));
    let mut out: Vec<&str> = lines[first..last.max(first)].to_vec();
    if out.len() > 120 {
        out.drain(20..out.len() - 40);
    }
    out
}

/// libFuzzer's closing `Done 123 runs in 20 second(s)`, or a note that it is missing.
fn runs(log: &str) -> String {
    log.lines()
        .rev()
        .find_map(|line| line.strip_prefix("Done "))
        .map_or_else(|| "no run count in the log".to_owned(), str::to_owned)
}

/// `--seconds N` (default [`DEFAULT_SECONDS`]).
fn seconds(args: &[OsString]) -> Result<u64> {
    let args: Vec<String> = args
        .iter()
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    let text = match args.as_slice() {
        [] => return Ok(DEFAULT_SECONDS),
        [flag, n] if flag == "--seconds" => n.as_str(),
        [arg] if arg.starts_with("--seconds=") => arg.trim_start_matches("--seconds="),
        _ => {
            return Err(Failure::Message(format!(
                "fuzz takes only --seconds N, not {args:?}"
            )))
        }
    };
    text.parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| Failure::Message(format!("--seconds: {text:?} is not a positive number")))
}

fn io_failure(path: &Path, err: std::io::Error) -> Failure {
    Failure::Message(format!("{}: {err}", path.display()))
}
