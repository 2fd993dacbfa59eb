//! Writes a synthetic registry CSV for benchmarks: `synth <path> [rows] [seed]`
//! (defaults: the published 68,314 rows, seed 1).

use std::fs::File;
use std::io::BufWriter;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: synth <path> [rows] [seed]")?;
    let rows: u64 = match args.next() {
        Some(rows) => rows.parse()?,
        None => registry::PUBLISHED_TOTAL,
    };
    let seed: u64 = match args.next() {
        Some(seed) => seed.parse()?,
        None => 1,
    };
    let started = Instant::now();
    let file = BufWriter::with_capacity(1 << 20, File::create(&path)?);
    registry::write_synthetic(file, rows, seed)?;
    eprintln!(
        "wrote {rows} synthetic rows to {path} in {:.3} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
