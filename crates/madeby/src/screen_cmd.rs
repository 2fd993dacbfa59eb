//! `madeby screen FILE.csv --scheme ID` and `madeby screen train HISTORY.csv`: preliminary
//! screening of a batch of applications, and training the risk model, from the command line.

use std::path::{Path, PathBuf};

use anyhow::Context;
use screening::{
    default_model, example_scheme, read_applications_csv, read_history_csv, screen_batch, train,
    DuplicateIndex, Outcome, Scheme, ScreeningContext, TrainOptions,
};

use crate::cli::OutputFormat;

/// A checked `madeby screen`.
#[derive(Debug)]
pub struct ScreenRequest {
    /// The applications, one a row.
    pub file: PathBuf,
    /// A shipped scheme's id, or a scheme file (`.toml`).
    pub scheme: String,
    /// Output format.
    pub format: OutputFormat,
}

/// A checked `madeby screen train`.
#[derive(Debug)]
pub struct TrainRequest {
    /// Past applications with their decisions.
    pub history: PathBuf,
    /// Where to write the trained model (JSON), if anywhere.
    pub out: Option<PathBuf>,
}

fn load_scheme(id_or_file: &str) -> anyhow::Result<Scheme> {
    if id_or_file.ends_with(".toml") {
        let text = std::fs::read_to_string(id_or_file)
            .with_context(|| format!("Failed to read {id_or_file}"))?;
        return Scheme::parse(&text).map_err(|e| anyhow::anyhow!("{id_or_file}: {e}"));
    }
    example_scheme(id_or_file).with_context(|| {
        let ids: Vec<String> = screening::example_schemes()
            .iter()
            .map(|s| s.id().as_str().to_owned())
            .collect();
        format!(
            "--scheme: no scheme \"{id_or_file}\"; the shipped ones are {}, or give a .toml file",
            ids.join(", ")
        )
    })
}

fn open(path: &Path) -> anyhow::Result<std::fs::File> {
    std::fs::File::open(path).with_context(|| format!("Failed to open {}", path.display()))
}

/// Screens every row and prints one report per application.
pub fn screen(request: &ScreenRequest) -> anyhow::Result<()> {
    let scheme = load_scheme(&request.scheme)?;
    let applications = read_applications_csv(open(&request.file)?)
        .map_err(|e| anyhow::anyhow!("{}: {e}", request.file.display()))?;
    let model = default_model();
    let earlier = DuplicateIndex::new();
    let today = time::OffsetDateTime::now_utc().date();
    let context = ScreeningContext {
        today,
        model: &model,
        earlier: &earlier,
    };
    let reports = screen_batch(&scheme, &applications, &context);
    match request.format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&reports)?),
        OutputFormat::Text => {
            if scheme.is_example() {
                println!(
                    "Scheme {} (figures are examples, {}).",
                    scheme.id().as_str(),
                    scheme.source()
                );
            }
            println!(
                "{:<16} {:<13} {:>5} {:>6} {:>8}  reasons",
                "reference", "route", "rules", "risk%", "findings"
            );
            for r in &reports {
                let passed = r
                    .rules
                    .iter()
                    .filter(|x| x.outcome == Outcome::Pass)
                    .count();
                let reasons: Vec<&str> = r.route.reasons().iter().map(|x| x.code()).collect();
                println!(
                    "{:<16} {:<13} {:>2}/{:<2} {:>6} {:>8}  {}",
                    r.reference,
                    if r.route.is_fast_track() {
                        "fast_track"
                    } else {
                        "officer_queue"
                    },
                    passed,
                    r.rules.len(),
                    r.risk.percent.to_string(),
                    r.findings.len(),
                    reasons.join(", ")
                );
            }
            let fast = reports.iter().filter(|r| r.route.is_fast_track()).count();
            println!(
                "{} applications: {fast} to the fast track, {} to the officer queue.",
                reports.len(),
                reports.len() - fast
            );
        }
    }
    Ok(())
}

/// Trains the risk model on a history and reports its AUC on held-out decisions.
pub fn train_model(request: &TrainRequest) -> anyhow::Result<()> {
    let history = read_history_csv(open(&request.history)?)
        .map_err(|e| anyhow::anyhow!("{}: {e}", request.history.display()))?;
    let trained = train(&history, &TrainOptions::SHIPPED)
        .map_err(|e| anyhow::anyhow!("{}: {e}", request.history.display()))?;
    println!(
        "Trained on {} decisions ({} Newton iterations); held out {} ({} rejected): AUC {:.4}, log loss {:.4}.",
        trained.n_train,
        trained.iterations,
        trained.held_out.n,
        trained.held_out.n_rejected,
        trained.held_out.auc,
        trained.held_out.log_loss
    );
    if let Some(out) = &request.out {
        std::fs::write(out, serde_json::to_string_pretty(&trained.model)?)
            .with_context(|| format!("Failed to write {}", out.display()))?;
        println!("Model written to {}.", out.display());
    }
    Ok(())
}
