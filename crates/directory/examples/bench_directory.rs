//! Benchmark of the directory index at scale (a measurement, not a test).
//!
//! Generates synthetic entries (1,000,000 by default), rebuilds an index on disk in a temporary
//! directory (timed), merges it to one segment (timed), then runs two-word queries with a facet
//! filter and top-20 matching many times each, printing p50 and p95.
//! With `--tsv PATH` it also writes the entries and queries for the PostgreSQL peer,
//! `crates/store/examples/bench_directory_fts.rs`.
//!
//! ```text
//! cargo run --release -p directory --example bench_directory -- [--entries N] [--seed S] [--runs R] [--tsv PATH]
//! ```

use std::fs::File;
use std::io::{BufWriter, Write};
use std::time::{Duration, Instant};

use directory::{
    analyze_unstemmed, match_request, synth, DirectoryIndex, Entry, IndexConfig, Kind,
    MatchRequest, Region, SearchQuery, Sector, Service,
};

/// One benchmark query: text plus one filter.
struct BenchQuery {
    text: &'static str,
    filter: Filter,
}

#[derive(Clone, Copy)]
enum Filter {
    Kind(Kind),
    Service(Service),
    Region(Region),
    Sector(Sector),
}

const QUERIES: [BenchQuery; 8] = [
    BenchQuery {
        text: "testing Chongqing",
        filter: Filter::Region(Region::Chongqing),
    },
    BenchQuery {
        text: "檢測 深圳",
        filter: Filter::Service(Service::TestingCertification),
    },
    BenchQuery {
        text: "EV battery",
        filter: Filter::Kind(Kind::Enterprise),
    },
    BenchQuery {
        text: "legal Shenzhen",
        filter: Filter::Kind(Kind::Provider),
    },
    BenchQuery {
        text: "物流 香港",
        filter: Filter::Service(Service::Logistics),
    },
    BenchQuery {
        text: "precision engineering",
        filter: Filter::Region(Region::Dongguan),
    },
    BenchQuery {
        text: "pilot plant",
        filter: Filter::Kind(Kind::Site),
    },
    BenchQuery {
        text: "智能製造 東莞",
        filter: Filter::Sector(Sector::SmartManufacturing),
    },
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let n_entries: u64 = flag("--entries").map_or(Ok(1_000_000), |v| v.parse())?;
    let seed: u64 = flag("--seed").map_or(Ok(42), |v| v.parse())?;
    let runs: usize = flag("--runs").map_or(Ok(200), |v| v.parse())?;
    let tsv = flag("--tsv");

    let plan = synth::Plan::scaled(n_entries);
    println!("plan: {plan:?}");
    let dir = tempfile::tempdir()?;
    let index = DirectoryIndex::open_or_create(dir.path(), &IndexConfig::SERVER)?;

    let mut writer = match &tsv {
        Some(path) => Some(BufWriter::new(File::create(path)?)),
        None => None,
    };
    let started = Instant::now();
    let mut tsv_error = None;
    let entries = synth::generate(&plan, seed).inspect(|entry| {
        if let Some(w) = writer.as_mut() {
            if let Err(err) = write_entry(w, entry) {
                tsv_error.get_or_insert(err);
            }
        }
    });
    let n = index.rebuild(entries, |done| {
        if done % 200_000 == 0 {
            eprintln!("  {done} entries, {:.1} s", started.elapsed().as_secs_f64());
        }
    })?;
    let rebuild = started.elapsed();
    if let Some(err) = tsv_error {
        return Err(err.into());
    }
    println!(
        "rebuild: {n} entries in {:.1} s{} ({} segments)",
        rebuild.as_secs_f64(),
        if tsv.is_some() {
            " (including writing the TSV)"
        } else {
            ""
        },
        index.segment_count()
    );
    let started = Instant::now();
    index.merge_segments()?;
    println!(
        "merge to one segment: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    if let Some(mut w) = writer {
        for query in &QUERIES {
            write_query(&mut w, query)?;
        }
        w.flush()?;
        println!("wrote {}", tsv.as_deref().unwrap_or_default());
    }

    println!("\nsearch, {runs} runs each (text + one filter, top 20 + total + facets):");
    let mut all = Vec::new();
    for query in &QUERIES {
        let search = search_query(query);
        let first = index.search(&search)?;
        let times = time_runs(runs, || index.search(&search).map(|_| ()))?;
        all.extend_from_slice(&times);
        println!(
            "  {:<24} {:<32} total {:>7}  p50 {:>7.2} ms  p95 {:>7.2} ms",
            query.text,
            filter_label(query.filter),
            first.total,
            ms(percentile(&times, 50)),
            ms(percentile(&times, 95))
        );
    }
    println!(
        "  all queries: p50 {:.2} ms, p95 {:.2} ms",
        ms(percentile(&all, 50)),
        ms(percentile(&all, 95))
    );

    println!("\ntop-20 matching, for_profile of sampled entries:");
    let sample: Vec<Entry> = synth::generate(&plan, seed)
        .step_by(usize::try_from((n / 3000).max(1))?)
        .collect();
    for kind in [
        Kind::Investor,
        Kind::Enterprise,
        Kind::Project,
        Kind::Provider,
    ] {
        let requests: Vec<MatchRequest> = sample
            .iter()
            .filter(|e| e.profile().kind() == kind)
            .take(runs)
            .map(MatchRequest::for_profile)
            .collect();
        let mut times = Vec::with_capacity(requests.len());
        for request in &requests {
            let started = Instant::now();
            let matches = match_request(&index, request, 20)?;
            times.push(started.elapsed());
            assert!(!matches.is_empty());
        }
        println!(
            "  {:<12} {:>4} requests  p50 {:>7.2} ms  p95 {:>7.2} ms",
            kind.code(),
            times.len(),
            ms(percentile(&times, 50)),
            ms(percentile(&times, 95))
        );
    }
    Ok(())
}

fn search_query(query: &BenchQuery) -> SearchQuery {
    let mut search = SearchQuery::text(query.text, 20);
    match query.filter {
        Filter::Kind(k) => search.kinds = vec![k],
        Filter::Service(s) => search.services = vec![s],
        Filter::Region(r) => search.regions = vec![r],
        Filter::Sector(s) => search.sectors = vec![s],
    }
    search
}

fn filter_label(filter: Filter) -> String {
    let (column, code) = filter_parts(filter);
    format!("{column} = {code}")
}

fn filter_parts(filter: Filter) -> (&'static str, &'static str) {
    match filter {
        Filter::Kind(k) => ("kind", k.code()),
        Filter::Service(s) => ("services", s.code()),
        Filter::Region(r) => ("regions", r.code()),
        Filter::Sector(s) => ("sectors", s.code()),
    }
}

fn time_runs(
    runs: usize,
    mut run: impl FnMut() -> Result<(), directory::DirectoryError>,
) -> Result<Vec<Duration>, directory::DirectoryError> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        run()?;
        times.push(started.elapsed());
    }
    Ok(times)
}

fn percentile(times: &[Duration], pct: usize) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    let idx = ((sorted.len() * pct).div_ceil(100))
        .saturating_sub(1)
        .min(sorted.len().saturating_sub(1));
    sorted.get(idx).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// PostgreSQL's text-search parser drops CJK characters in the C locale, so every non-ASCII
/// token (a CJK bigram) is written as ASCII: `x` and the hex code points.
fn pg_token(token: &str) -> String {
    if token.is_ascii() {
        token.to_owned()
    } else {
        let mut out = String::from("x");
        for c in token.chars() {
            out.push_str(&format!("{:x}", u32::from(c)));
        }
        out
    }
}

fn pg_tokens(text: &str) -> String {
    analyze_unstemmed(text)
        .iter()
        .map(|t| pg_token(t))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `E id kind services regions sectors tokens`: the tokens are the same words the tantivy
/// index holds (names, descriptions, labels of kind, sectors, regions, stages, offered services,
/// certifications), unstemmed, CJK as bigrams.
fn write_entry(w: &mut impl Write, entry: &Entry) -> std::io::Result<()> {
    let p = entry.profile();
    let codes = |codes: Vec<&str>| codes.join(",");
    let mut text = format!(
        "{} {} {} {}",
        p.name().en(),
        p.name().zh(),
        p.description().en(),
        p.description().zh()
    );
    let mut push = |en: &str, zh: &str, words: &str| {
        text.push(' ');
        text.push_str(en);
        text.push(' ');
        text.push_str(zh);
        text.push(' ');
        text.push_str(words);
    };
    push(
        p.kind().label_en(),
        p.kind().label_zh(),
        p.kind().search_words(),
    );
    p.sectors()
        .iter()
        .for_each(|s| push(s.label_en(), s.label_zh(), s.search_words()));
    p.regions()
        .iter()
        .for_each(|r| push(r.label_en(), r.label_zh(), r.search_words()));
    p.stages()
        .iter()
        .for_each(|s| push(s.label_en(), s.label_zh(), s.search_words()));
    if p.kind().offers_services() {
        p.services()
            .iter()
            .for_each(|s| push(s.label_en(), s.label_zh(), s.search_words()));
    }
    p.certifications().iter().for_each(|c| push(c, "", ""));
    writeln!(
        w,
        "E\t{}\t{}\t{}\t{}\t{}\t{}",
        entry.id(),
        p.kind().code(),
        codes(p.services().iter().map(|s| s.code()).collect()),
        codes(p.regions().iter().map(|s| s.code()).collect()),
        codes(p.sectors().iter().map(|s| s.code()).collect()),
        pg_tokens(&text)
    )
}

/// `Q text tokens filter_column filter_code`.
fn write_query(w: &mut impl Write, query: &BenchQuery) -> std::io::Result<()> {
    let (column, code) = filter_parts(query.filter);
    writeln!(
        w,
        "Q\t{}\t{}\t{column}\t{code}",
        query.text,
        pg_tokens(query.text)
    )
}
