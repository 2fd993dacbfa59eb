//! `cargo xtask`: the project's automation, in Rust instead of shell scripts.
//!
//! Run `cargo xtask help` for the commands. Everything here uses only the standard library, so
//! the tool builds in seconds on a fresh machine; the heavy lifting is done by the `cargo` and
//! `apt-get` processes it starts.

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
  ci             `test`, then `cargo fmt --all --check`, then clippy with -D warnings
  bench-registry [--rows N]
                 time madeby's registry tabulation against DuckDB on a synthetic CSV of N rows
                 (default 10,000,000); DuckDB is installed into target/bench-venv with pip
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
        Some("bench-registry") => bench_registry(&rest),
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

/// `cargo xtask ci`: what CI gates on.
fn ci() -> Result {
    test()?;
    run(cargo().args(["fmt", "--all", "--check"]))?;
    run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    eprintln!("xtask: ci passed");
    Ok(())
}

/// `cargo xtask bench-registry`: the four group-by tables of a synthetic registry, by madeby
/// (`registry::tabulate_csv`, through the `tabulate_bench` example) and by DuckDB, on the same
/// file in the same run; `compare_duckdb.py` prints both times and the ratio.
fn bench_registry(args: &[OsString]) -> Result {
    let rows = bench_rows(args)?;
    let root = workspace_root();
    run(cargo().args(["build", "--release", "-p", "registry", "--examples"]))?;
    let python = bench_python(&root)?;

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

/// The Python of `target/bench-venv`, created with DuckDB in it if missing.
fn bench_python(root: &Path) -> Result<PathBuf> {
    let venv = root.join("target").join("bench-venv");
    let python = venv.join("bin").join("python");
    if !python.is_file() {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    let has_duckdb = Command::new(&python)
        .args(["-c", "import duckdb"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !has_duckdb {
        run(Command::new(&python).args(["-m", "pip", "install", "--quiet", "duckdb"]))?;
    }
    Ok(python)
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
