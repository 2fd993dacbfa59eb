//! Times `registry::tabulate_csv` on a registry CSV by province, city, sector and
//! province × sector, and prints `{"madeby_seconds": ...}` (the best of `runs`, default 3):
//! `tabulate_bench <path> [runs]`.
//!
//! `bench/compare_duckdb.py` runs DuckDB on the same file and prints the ratio.

use std::fs::File;
use std::time::Instant;

use registry::Dimension;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: tabulate_bench <path> [runs]")?;
    let runs: usize = match args.next() {
        Some(runs) => runs.parse()?,
        None => 3,
    };
    let dims = [
        Dimension::Province,
        Dimension::City,
        Dimension::Sector,
        Dimension::ProvinceSector,
    ];
    let mut best = f64::INFINITY;
    let mut all = Vec::new();
    let mut operating = 0;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let tables = registry::tabulate_csv(File::open(&path)?, &dims)?;
        let seconds = started.elapsed().as_secs_f64();
        operating = tables.total_operating();
        all.push(format!("{seconds:.4}"));
        best = best.min(seconds);
    }
    println!(
        "{{\"madeby_seconds\": {best:.4}, \"runs\": [{}], \"operating\": {operating}}}",
        all.join(", ")
    );
    Ok(())
}
