//! `madeby directory synth|search` and `madeby match`: the directory from the command line.
//!
//! Search and matching build the same in-memory index the server builds, from the database,
//! so the command line answers exactly as the API does.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use std::sync::Arc;

use directory::{DirectoryIndex, Entry};
use indicatif::{ProgressBar, ProgressStyle};
use store::{AuditContext, Store};
use web::api::directory::{MatchInput, SearchParams};

use crate::cli::OutputFormat;

/// A checked `madeby directory synth`.
#[derive(Debug)]
pub struct DirectorySynthRequest {
    /// How many of each kind.
    pub plan: directory::synth::Plan,
    /// The seed.
    pub seed: u64,
    /// Write JSON lines here instead of loading the database.
    pub out: Option<PathBuf>,
}

fn progress(total: u64, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{bar:30}} {{human_pos}}/{{human_len}} {what} ({{per_sec}}, eta {{eta}})"
        ))
        .expect("valid progress template"),
    );
    bar
}

/// Generates the synthetic directory into the database, or into a JSON-lines file.
pub async fn synth(
    store: Option<&Store>,
    ctx: &AuditContext,
    request: &DirectorySynthRequest,
) -> anyhow::Result<()> {
    let total = request.plan.total();
    let bar = progress(total, "entries");
    let entries = directory::synth::generate(&request.plan, request.seed);
    match (&request.out, store) {
        (Some(path), _) => {
            let file = File::create(path)
                .with_context(|| format!("Failed to create {}", path.display()))?;
            let mut out = BufWriter::with_capacity(1 << 20, file);
            for (n, entry) in entries.enumerate() {
                serde_json::to_writer(&mut out, &entry)?;
                out.write_all(b"\n")?;
                if n % 10_000 == 0 {
                    bar.set_position(n as u64);
                }
            }
            out.flush()
                .with_context(|| format!("Failed to write {}", path.display()))?;
            bar.finish_and_clear();
            println!(
                "Wrote {total} synthetic directory entries to {} (labelled synthetic).",
                path.display()
            );
        }
        (None, Some(store)) => {
            let loaded = store
                .load_directory_entries(
                    ctx,
                    entries.map(Entry::into_profile),
                    &format!("synth seed {}", request.seed),
                    |n| bar.set_position(n),
                )
                .await
                .context("Failed to load the synthetic directory")?;
            bar.finish_and_clear();
            println!("Loaded {loaded} synthetic directory entries (labelled synthetic).");
        }
        (None, None) => anyhow::bail!("no database to load into"),
    }
    Ok(())
}

/// The in-memory index of every entry in the database, built as a server instance builds it.
async fn index_of(store: &Store) -> anyhow::Result<Arc<DirectoryIndex>> {
    web::search_index::DirectorySearch::new()?
        .fresh(store)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// `madeby directory search`.
pub async fn search(
    store: &Store,
    params: &SearchParams,
    format: OutputFormat,
) -> anyhow::Result<()> {
    let query = params.to_query().map_err(|e| anyhow::anyhow!("{e}"))?;
    let index = index_of(store).await?;
    let results = index.search(&query)?;
    let ids: Vec<_> = results.hits.iter().map(|h| h.id).collect();
    let records = store.directory_entries_by_ids(&ids).await?;
    match format {
        OutputFormat::Json => {
            let hits: Vec<_> = records
                .iter()
                .map(web::api::directory::EntrySummaryDto::from)
                .collect();
            let facets = |list: Vec<(&str, u64)>| {
                list.into_iter()
                    .map(|(code, count)| serde_json::json!({ "code": code, "count": count }))
                    .collect::<Vec<_>>()
            };
            let f = &results.facets;
            let out = serde_json::json!({
                "total": results.total,
                "relaxed": results.relaxed,
                "hits": hits,
                "facets": {
                    "kinds": facets(f.kinds.iter().map(|(k, n)| (k.code(), *n)).collect()),
                    "services": facets(f.services.iter().map(|(k, n)| (k.code(), *n)).collect()),
                    "regions": facets(f.regions.iter().map(|(k, n)| (k.code(), *n)).collect()),
                    "sectors": facets(f.sectors.iter().map(|(k, n)| (k.code(), *n)).collect()),
                },
            });
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
        OutputFormat::Text => {
            println!(
                "{} entries match{}",
                results.total,
                if results.relaxed {
                    " (no entry has every word; entries with some are shown)"
                } else {
                    ""
                }
            );
            for r in &records {
                let p = &r.profile;
                let codes = |list: Vec<&str>| list.join(", ");
                println!(
                    "{:>8}  {:<10} {} / {}  [{}]  services: {}; regions: {}",
                    r.id.get(),
                    p.kind().code(),
                    p.name().en(),
                    p.name().zh(),
                    p.provenance().kind(),
                    codes(p.services().iter().map(|s| s.code()).collect()),
                    codes(p.regions().iter().map(|s| s.code()).collect()),
                );
            }
        }
    }
    Ok(())
}

/// `madeby match --request FILE.json`.
pub async fn match_file(
    store: &Store,
    file: &Path,
    limit: usize,
    format: OutputFormat,
) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("Failed to read {}", file.display()))?;
    let input: MatchInput = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}: line {}, column {}: {e}",
            file.display(),
            e.line(),
            e.column()
        )
    })?;
    let index = index_of(store).await?;
    let request = match input.entry {
        Some(id) => {
            let record = store
                .directory_entry(directory::EntryId::new(id))
                .await
                .with_context(|| format!("{}: entry {id}", file.display()))?;
            directory::MatchRequest::for_profile(&Entry::new(record.id, record.profile))
        }
        None => input
            .to_request()
            .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?,
    };
    let matches = directory::match_request(&index, &request, limit)?;
    match format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&matches)?),
        OutputFormat::Text => {
            for m in &matches {
                let reasons: Vec<String> = m
                    .reasons
                    .iter()
                    .map(|r| serde_json::to_string(r).unwrap_or_default())
                    .collect();
                println!(
                    "{:>3}  {:>8}  {:<10} {}  {}",
                    m.score,
                    m.id.get(),
                    m.kind.code(),
                    m.name.en(),
                    reasons.join("; ")
                );
            }
        }
    }
    Ok(())
}
