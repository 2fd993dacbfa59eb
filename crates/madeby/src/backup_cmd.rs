//! `madeby backup DIR` and `madeby restore DIR`: the whole database to a folder and back, with
//! a progress bar on a terminal and a line per table otherwise.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use store::{BackupPhase, Store, TableProgress};

/// Writes every table of the database into `dir`.
pub async fn backup(store: &Store, dir: &Path) -> anyhow::Result<()> {
    let mut progress = Progress::new();
    let manifest = store
        .backup(dir, |step| progress.show(step))
        .await
        .with_context(|| format!("Failed to back up into {}", dir.display()))?;
    progress.finish();
    println!(
        "Backed up {} tables ({}, schema version {}) from {} into {}.",
        manifest.tables.len(),
        rows(manifest.total_rows()),
        manifest.schema_version,
        store.backend().code(),
        dir.display()
    );
    println!(
        "The backup holds password hashes, sessions and API token digests: keep it as safe as the database."
    );
    Ok(())
}

/// Restores the backup in `dir` into the (empty, migrated) database.
pub async fn restore(store: &Store, dir: &Path) -> anyhow::Result<()> {
    let mut progress = Progress::new();
    let manifest = store
        .restore(dir, |step| progress.show(step))
        .await
        .with_context(|| {
            format!(
                "Failed to restore {}; the database is unchanged",
                dir.display()
            )
        })?;
    progress.finish();
    println!(
        "Restored {} tables ({}) from {} (taken {} on {}) into {}.",
        manifest.tables.len(),
        rows(manifest.total_rows()),
        dir.display(),
        manifest.created_at,
        manifest.backend,
        store.backend().code()
    );
    Ok(())
}

fn rows(n: u64) -> String {
    if n == 1 {
        "1 row".to_owned()
    } else {
        format!("{n} rows")
    }
}

/// A bar over the tables on a terminal; otherwise a line on standard error per table done.
struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    fn new() -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} tables  {msg}")
                    .expect("valid progress template"),
            );
            bar
        });
        Progress { bar }
    }

    fn show(&mut self, step: TableProgress<'_>) {
        let verb = match step.phase {
            BackupPhase::Verifying => "checked",
            BackupPhase::Copying => "copied",
        };
        match &self.bar {
            Some(bar) => {
                bar.set_length(step.tables as u64);
                let done = if step.finished {
                    step.index
                } else {
                    step.index - 1
                };
                bar.set_position(done as u64);
                bar.set_message(format!("{verb} {}: {}", step.table, rows(step.rows)));
            }
            None if step.finished => eprintln!(
                "{verb} {:>3}/{} {}: {}",
                step.index,
                step.tables,
                step.table,
                rows(step.rows)
            ),
            None => {}
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
