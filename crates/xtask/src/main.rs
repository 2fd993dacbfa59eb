//! `cargo xtask`: the project's automation, in Rust instead of shell scripts.
//!
//! Run `cargo xtask help` for the commands. Everything here uses only the standard library, so
//! the tool builds in seconds on a fresh machine; the heavy lifting is done by the `cargo` and
//! `apt-get` processes it starts.

mod fuzz;
mod live;
mod load;
mod schemathesis;

use std::env;
use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

const HELP: &str = "\
Usage: cargo xtask <command> [args...]

Commands:
  deps           install the system packages the build and tests need (apt), if missing
  serve [ARGS]   install build packages, then `cargo run --release -p madeby -- serve ARGS`
  test           install all packages, then run every test (no test may skip)
  ci             `cargo fmt --all --check`, `test`, clippy with -D warnings, `schemathesis`,
                 then `fuzz --seconds 5`
  schemathesis   schemathesis (pinned, from PyPI into target/schemathesis-venv) against the
                 debug server's /api/openapi.json, anonymously and with an admin token: no 5xx,
                 every answer as the schema says
  load [--database sqlite|postgres] [--seconds N] [--soak-seconds N] [--connections C]
                 the release server on loopback under wrk (2 threads, default 32 connections):
                 requests/s, p99 and errors on the read, ranking and search routes (N s each,
                 default 10), then a soak over all GET routes (default 300 s) with the server's
                 RSS sampled every 5 s; PostgreSQL is a throwaway server from the PostgreSQL 15
                 binaries
  fuzz [--seconds N]
                 build the parsers' fuzz targets (fuzz/; cargo-fuzz is installed if missing) and
                 run each for N s (default 20) from its seeds in fuzz/corpus: no panic
  bench-registry [--rows N]
                 time madeby's registry tabulation against DuckDB on a synthetic CSV of N rows
                 (default 10,000,000); DuckDB is installed into target/bench-venv with pip
  bench-planner [--instances capa1,capb2,...] [--time-limit S]
                 time the planner against HiGHS (highspy) and CBC (PuLP) on OR-Library's
                 capacitated facility location instances (default capa1..capc4, 600 s per
                 instance and tool); highspy and PuLP are installed into target/bench-venv
  help           show this text
";

/// Packages needed to build the workspace: `highs-sys` builds HiGHS with cmake and runs bindgen.
const BUILD_PACKAGES: &[&str] = &["cmake", "libclang-dev"];
/// Packages needed only by the tests: headless Chromium and its WebDriver for page tests.
const TEST_PACKAGES: &[&str] = &["chromium", "chromium-driver"];

/// Why a command stopped: a child's exit code to pass on, or a message of our own.
enum Failure {
    Exit(u8),
    Message(String),
}

type Result<T = ()> = std::result::Result<T, Failure>;

fn main() -> ExitCode {
    let mut args = env::args_os().skip(1);
    let command = args.next().map(|arg| arg.to_string_lossy().into_owned());
    let rest: Vec<OsString> = args.collect();
    let res = match command.as_deref() {
        Some("deps") if rest.is_empty() => deps(&all_packages()),
        Some("serve") => serve(&rest),
        Some("test") if rest.is_empty() => test(),
        Some("ci") if rest.is_empty() => ci(),
        Some("fuzz") => fuzz::fuzz(&rest),
        Some("bench-registry") => bench_registry(&rest),
        Some("bench-planner") => bench_planner(&rest),
        Some("schemathesis") if rest.is_empty() => schemathesis::schemathesis(),
        Some("load") => load::load(&rest),
        None | Some("help" | "-h" | "--help") => {
            print!("{HELP}");
            Ok(())
        }
        Some(other) => Err(Failure::Message(format!(
            "unknown command or arguments: {other} {rest:?}\n\n{HELP}"
        ))),
    };
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Exit(code)) => ExitCode::from(code),
        Err(Failure::Message(message)) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask serve`: build deps, then replace this process with the release server.
fn serve(args: &[OsString]) -> Result {
    deps(BUILD_PACKAGES)?;
    let mut command = cargo();
    command
        .args(["run", "--release", "-p", "madeby", "--", "serve"])
        .args(args);
    announce(&command);
    // exec only returns on failure; on success the server's exit code is ours.
    let err = command.exec();
    Err(Failure::Message(format!("cannot run cargo: {err}")))
}

/// `cargo xtask test`: every test in the workspace, with the fixtures required.
fn test() -> Result {
    deps(&all_packages())?;
    for args in [
        &["test", "--workspace", "--all-targets"][..],
        &["test", "--workspace", "--doc"][..],
    ] {
        let mut command = cargo();
        command
            .args(args)
            .env("MADEBY_REQUIRE_BROWSER", "1")
            .env("MADEBY_REQUIRE_POSTGRES", "1");
        run(&mut command)?;
    }
    Ok(())
}

/// Seconds each fuzz target runs in CI: a short run, since the build is most of the step.
const CI_FUZZ_SECONDS: u64 = 5;

/// `cargo xtask ci`: what CI gates on, the cheap checks first; each step's time is printed at
/// the end, since the whole must stay under 40 minutes on two cores.
fn ci() -> Result {
    let mut times: Vec<(&str, std::time::Duration)> = Vec::new();
    let mut step = |name: &'static str, action: &dyn Fn() -> Result| -> Result {
        let started = std::time::Instant::now();
        let res = action();
        times.push((name, started.elapsed()));
        for (name, took) in &times {
            eprintln!("xtask: ci step {name}: {:.0} s", took.as_secs_f64());
        }
        res
    };
    step("fmt", &|| run(cargo().args(["fmt", "--all", "--check"])))?;
    step("test", &test)?;
    step("clippy", &|| {
        run(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    step("schemathesis, with the fuzz build beside it", &|| {
        fuzz::prerequisites()?;
        // schemathesis leaves most of a core idle (its two workers share one Python), and
        // the fuzz build is most of the fuzz step: build the targets meanwhile.
        let build = std::thread::spawn(fuzz::build_in_background);
        let checked = schemathesis::schemathesis();
        let built = build
            .join()
            .unwrap_or_else(|_| Err(Failure::Message("the fuzz build's thread panicked".into())));
        checked.and(built)
    })?;
    step("fuzz", &|| fuzz::fuzz_for(CI_FUZZ_SECONDS))?;
    let total: std::time::Duration = times.iter().map(|(_, took)| *took).sum();
    eprintln!("xtask: ci passed in {:.0} s", total.as_secs_f64());
    Ok(())
}

/// `cargo xtask bench-registry`: the four group-by tables of a synthetic registry, by madeby
/// (`registry::tabulate_csv`, through the `tabulate_bench` example) and by DuckDB, on the same
/// file in the same run; `compare_duckdb.py` prints both times and the ratio.
fn bench_registry(args: &[OsString]) -> Result {
    let rows = bench_rows(args)?;
    let root = workspace_root();
    run(cargo().args(["build", "--release", "-p", "registry", "--examples"]))?;
    let python = bench_python(&root, &[("duckdb", "duckdb")])?;

    let dir = root.join("target").join("tmp").join("bench-registry");
    std::fs::create_dir_all(&dir)
        .map_err(|err| Failure::Message(format!("cannot create {}: {err}", dir.display())))?;
    let csv = dir.join(format!("registry-{rows}.csv"));
    let examples = root.join("target").join("release").join("examples");
    let res = run(Command::new(examples.join("synth"))
        .arg(&csv)
        .arg(rows.to_string()))
    .and_then(|()| {
        run(Command::new(&python)
            .arg(root.join("crates/registry/bench/compare_duckdb.py"))
            .arg(&csv)
            .arg(examples.join("tabulate_bench"))
            .args(["--runs", "3"]))
    });
    // The file is large (about 1 GB at 10 million rows): remove it whatever happened.
    if let Err(err) = std::fs::remove_file(&csv) {
        eprintln!("xtask: could not remove {}: {err}", csv.display());
    }
    res
}

/// `--rows N` (default 10,000,000).
fn bench_rows(args: &[OsString]) -> Result<u64> {
    let args: Vec<String> = args
        .iter()
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    match args.as_slice() {
        [] => Ok(10_000_000),
        [flag, n] if flag == "--rows" => n
            .replace('_', "")
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| Failure::Message(format!("--rows: {n:?} is not a positive number"))),
        [arg] if arg.starts_with("--rows=") => {
            bench_rows(&["--rows".into(), arg.trim_start_matches("--rows=").into()])
        }
        _ => Err(Failure::Message(format!(
            "bench-registry takes only --rows N, not {args:?}"
        ))),
    }
}

/// The Python of `target/bench-venv`, created if missing, with each `(module, requirement)`
/// of `modules` installed by pip unless the module already imports.
fn bench_python(root: &Path, modules: &[(&str, &str)]) -> Result<PathBuf> {
    venv_python(root, "bench-venv", modules)
}

/// The Python of `target/<name>`, created if missing, with each `(module, requirement)` of
/// `modules` installed by pip unless the module already imports.
fn venv_python(root: &Path, name: &str, modules: &[(&str, &str)]) -> Result<PathBuf> {
    let venv = root.join("target").join(name);
    let python = venv.join("bin").join("python");
    if !python.is_file() {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    for (module, requirement) in modules {
        let present = Command::new(&python)
            .args(["-c", &format!("import {module}")])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !present {
            run(Command::new(&python).args(["-m", "pip", "install", "--quiet", requirement]))?;
        }
    }
    Ok(python)
}

/// `cargo xtask bench-planner`: for each instance, in one run, the planner (the
/// `solve_orlib` example), HiGHS and CBC on the plain formulation; `compare_peers.py` prints
/// the table of seconds, proofs or gaps, and the ratios.
fn bench_planner(args: &[OsString]) -> Result {
    let (instances, time_limit) = bench_planner_args(args)?;
    let root = workspace_root();
    run(cargo().args(["build", "--release", "-p", "planner", "--examples"]))?;
    // HiGHS 1.15.0 is the version highs-sys 1.15 builds into the planner: the same engine on
    // both sides of the comparison. PuLP 3.3 bundles CBC 2.10.
    let python = bench_python(
        &root,
        &[("highspy", "highspy==1.15.0"), ("pulp", "pulp==3.3.2")],
    )?;
    let dir = root.join("target").join("tmp").join("bench-planner");
    std::fs::create_dir_all(&dir)
        .map_err(|err| Failure::Message(format!("cannot create {}: {err}", dir.display())))?;
    let examples = root.join("target").join("release").join("examples");
    run(Command::new(&python)
        .arg(root.join("crates/planner/bench/compare_peers.py"))
        .arg("--ours")
        .arg(examples.join("solve_orlib"))
        .args(["--instances", &instances])
        .args(["--time-limit", &time_limit.to_string()])
        .arg("--json")
        .arg(dir.join("results.json")))
}

/// `--instances a,b,...` (default capa1..capc4) and `--time-limit S` (default 600).
fn bench_planner_args(args: &[OsString]) -> Result<(String, f64)> {
    let mut instances = ["a", "b", "c"]
        .iter()
        .flat_map(|set| (1..=4).map(move |v| format!("cap{set}{v}")))
        .collect::<Vec<_>>()
        .join(",");
    let mut time_limit = 600.0;
    let mut args = args.iter().map(|arg| arg.to_string_lossy().into_owned());
    while let Some(arg) = args.next() {
        let (flag, value) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
            None => (arg, None),
        };
        let Some(value) = value.or_else(|| args.next()) else {
            return Err(Failure::Message(format!("{flag} needs a value")));
        };
        match flag.as_str() {
            "--instances" => {
                let valid = value.split(',').all(|name| {
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric())
                });
                if !valid {
                    return Err(Failure::Message(format!(
                        "--instances: {value:?} is not a comma-separated list of names such as capa1,capb2"
                    )));
                }
                instances = value;
            }
            "--time-limit" => {
                time_limit = value
                    .parse()
                    .ok()
                    .filter(|s: &f64| s.is_finite() && *s > 0.0)
                    .ok_or_else(|| {
                        Failure::Message(format!(
                            "--time-limit: {value:?} is not a positive number of seconds"
                        ))
                    })?;
            }
            _ => {
                return Err(Failure::Message(format!(
                    "bench-planner takes only --instances and --time-limit, not {flag}"
                )))
            }
        }
    }
    Ok((instances, time_limit))
}

/// `cargo xtask deps`: installs whichever of `packages` dpkg does not report as installed.
fn deps(packages: &[&str]) -> Result {
    if !program_exists("dpkg-query") {
        eprintln!(
            "xtask: no dpkg-query, so not a Debian-like system: make sure these are installed: {}",
            packages.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|package| !is_installed(package))
        .collect();
    if missing.is_empty() {
        eprintln!("xtask: system packages present: {}", packages.join(" "));
        return Ok(());
    }
    eprintln!(
        "xtask: installing missing system packages: {}",
        missing.join(" ")
    );

    let prefix: &[&str] = if is_root() {
        &[]
    } else if program_exists("sudo") {
        &["sudo"]
    } else {
        return Err(Failure::Message(format!(
            "missing system packages and no root or sudo to install them; as root run: \
             apt-get update && apt-get install -y --no-install-recommends {}",
            missing.join(" ")
        )));
    };
    let apt = |args: &[&str]| {
        let argv: Vec<&str> = prefix
            .iter()
            .copied()
            .chain(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"])
            .chain(args.iter().copied())
            .collect();
        let mut command = Command::new(argv[0]);
        command.args(&argv[1..]);
        command
    };
    run(&mut apt(&["update"]))?;
    let install: Vec<&str> = ["install", "-y", "--no-install-recommends"]
        .into_iter()
        .chain(missing.iter().copied())
        .collect();
    run(&mut apt(&install))
}

fn all_packages() -> Vec<&'static str> {
    BUILD_PACKAGES
        .iter()
        .chain(TEST_PACKAGES)
        .copied()
        .collect()
}

/// Whether dpkg reports `package` as "install ok installed".
fn is_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|output| output.status.success() && output.stdout == b"install ok installed")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.trim_ascii() == b"0")
}

/// Whether `program` is an executable file on `PATH`.
fn program_exists(program: &str) -> bool {
    env::var_os("PATH").is_some_and(|path| {
        env::split_paths(&path).any(|dir| {
            let candidate = dir.join(program);
            candidate.is_file()
        })
    })
}

/// A `cargo` command run from the workspace root, using the cargo that runs us.
fn cargo() -> Command {
    let mut command = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(workspace_root());
    command
}

/// The workspace root: this crate lives at `<root>/crates/xtask`.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("xtask lives two levels below the workspace root")
        .to_path_buf()
}

/// Runs `command` to completion, passing on a failing exit code.
fn run(command: &mut Command) -> Result {
    announce(command);
    let status = command.status().map_err(|err| {
        Failure::Message(format!(
            "cannot run {}: {err}",
            command.get_program().to_string_lossy()
        ))
    })?;
    if status.success() {
        return Ok(());
    }
    eprintln!("xtask: command failed ({status})");
    // A child killed by a signal has no code; report a plain failure then.
    let code = status
        .code()
        .and_then(|code| u8::try_from(code).ok())
        .unwrap_or(1);
    Err(Failure::Exit(code.max(1)))
}

/// Prints the command line about to run, so the log shows what happened.
fn announce(command: &Command) {
    let env: Vec<String> = command
        .get_envs()
        .filter_map(|(key, value)| Some(format!("{}={}", key.to_str()?, value?.to_str()?)))
        .collect();
    let argv: Vec<String> = std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    let program = Path::new(&argv[0]).file_name().map_or_else(
        || argv[0].clone(),
        |name| name.to_string_lossy().into_owned(),
    );
    let mut line = env;
    line.push(program);
    line.extend(argv[1..].iter().cloned());
    eprintln!("xtask: $ {}", line.join(" "));
}
