//! `cargo xtask schemathesis`: schemathesis (from PyPI, pinned) generates requests from the
//! server's own `/api/openapi.json` and checks that no answer is a 5xx and that every answer
//! matches the schema; once anonymously and once with an administrator's API token, against the
//! debug server on a throwaway SQLite database.

use std::fs;

use crate::live::{self, Madeby, Scratch};
use crate::{Failure, Result};

/// The schemathesis release the checks are pinned to.
const SCHEMATHESIS: &str = "schemathesis==4.32.5";

/// Test cases per operation and phase: enough to find the bad inputs, few enough to keep the
/// step at a few minutes on two cores.
const MAX_EXAMPLES: &str = "25";

/// Checks: all of schemathesis's but one that judges the API's design rather than failures or
/// conformance: `positive_data_acceptance` wants every schema-valid request accepted (the
/// schema cannot say "a shipped profile code" or "not empty").
const EXCLUDED_CHECKS: &str = "positive_data_acceptance";

/// `cargo xtask schemathesis`.
pub(crate) fn schemathesis() -> Result {
    crate::deps(crate::BUILD_PACKAGES)?;
    // The debug binary as `cargo xtask test` builds it: a plain `cargo build -p madeby`
    // resolves features differently and would build most of the tree again (3 minutes).
    crate::run(crate::cargo().args(["test", "--workspace", "--all-targets", "--no-run"]))?;
    let binary = live::target_dir().join("debug").join("madeby");
    let root = crate::workspace_root();
    let python = crate::venv_python(
        &root,
        "schemathesis-venv",
        &[("schemathesis", SCHEMATHESIS)],
    )?;
    install_serial_ast(&python)?;
    let st = python.with_file_name("st");

    let scratch = Scratch::new("schemathesis")?;
    let server = Madeby::start(&binary, scratch.path(), None, "info")?;
    let token = admin_token(&server)?;
    // The token goes into a config file, not onto the command line that xtask prints; not
    // named schemathesis.toml, which schemathesis would read by itself in the anonymous run.
    let config = scratch.path().join("with-token.toml");
    fs::write(
        &config,
        format!("[headers]\nAuthorization = \"Bearer {token}\"\n"),
    )
    .map_err(|err| Failure::Message(format!("cannot write {}: {err}", config.display())))?;

    let schema = format!("http://{}/api/openapi.json", server.addr);
    let started = std::time::Instant::now();
    for (who, config) in [("anonymous", None), ("administrator token", Some(&config))] {
        eprintln!("xtask: schemathesis, {who}");
        let mut command = std::process::Command::new(&st);
        if let Some(config) = config {
            command.arg("--config-file").arg(config);
        }
        command
            .args(["run", &schema])
            .args(["--checks", "all", "--exclude-checks", EXCLUDED_CHECKS])
            .args(["--max-examples", MAX_EXAMPLES])
            .args(["--seed", "1", "--workers", "2"])
            .args(["--generation-database", "none", "--no-color"])
            .current_dir(scratch.path());
        let res = crate::run(&mut command);
        if res.is_err() {
            eprintln!("xtask: server log (last lines):\n{}", server.log_tail());
            return res;
        }
    }
    eprintln!(
        "xtask: schemathesis passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Puts `python/madeby_serial_ast.py` into the venv with a `.pth` line that imports it at
/// start-up, so schemathesis's two workers never parse Python source at the same moment (the
/// module says why).
fn install_serial_ast(python: &std::path::Path) -> Result {
    let output = live::checked(std::process::Command::new(python).args([
        "-c",
        "import sysconfig; print(sysconfig.get_paths()['purelib'])",
    ]))?;
    let site_packages = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if site_packages.is_empty() {
        return Err(Failure::Message(format!(
            "{} did not name its site-packages",
            python.display()
        )));
    }
    let site_packages = std::path::Path::new(&site_packages);
    let files = [
        (
            "madeby_serial_ast.py",
            include_str!("../python/madeby_serial_ast.py"),
        ),
        ("madeby_serial_ast.pth", "import madeby_serial_ast\n"),
    ];
    for (name, text) in files {
        let path = site_packages.join(name);
        fs::write(&path, text)
            .map_err(|err| Failure::Message(format!("cannot write {}: {err}", path.display())))?;
    }
    Ok(())
}

/// Signs in as the first administrator (its one-time password is on the server's stdout) and
/// returns a new API token.
fn admin_token(server: &Madeby) -> Result<String> {
    let stdout = server.stdout_text();
    let password = stdout
        .lines()
        .find_map(|line| line.trim().strip_prefix("one-time password:"))
        .map(str::trim)
        .ok_or_else(|| Failure::Message("the server printed no administrator password".into()))?;
    let body = format!(
        r#"{{"email":"admin@madeby.local","password":"{password}","name":"schemathesis"}}"#
    );
    let (status, answer) = live::http(&server.addr, "POST", "/api/v1/tokens", &[], Some(&body))
        .map_err(|err| Failure::Message(format!("POST /api/v1/tokens: {err}")))?;
    const KEY: &str = r#""token":""#;
    let token = answer
        .find(KEY)
        .map(|at| &answer[at + KEY.len()..])
        .and_then(|rest| rest.split('"').next())
        .filter(|token| status == 201 && !token.is_empty());
    token
        .map(str::to_owned)
        .ok_or_else(|| Failure::Message(format!("POST /api/v1/tokens answered {status}: {answer}")))
}
