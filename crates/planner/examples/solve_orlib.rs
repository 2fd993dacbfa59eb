//! Solves one OR-Library instance (the project's layout, `../shared/data/orlib/cap*.txt`) with
//! the planner, multi-source, and prints `{"objective", "optimal", "gap", "bound", "seconds",
//! "status", "open"}` as one line of JSON: `solve_orlib <path> [time_limit_seconds]`.
//!
//! `bench/compare_peers.py` runs it beside HiGHS and CBC on the plain formulation;
//! `cargo xtask bench-planner` runs that.

use planner::{orlib, solve, SolveOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: solve_orlib <path> [time_limit_seconds]")?;
    let time_limit = args.next().map(|s| s.parse::<f64>()).transpose()?;
    let instance = orlib::parse(&std::fs::read_to_string(&path)?)?;
    let options = SolveOptions {
        single_source: false,
        time_limit,
        mip_gap: None,
    };
    let s = solve(&instance, &options)?;
    let open: Vec<String> = s.open.iter().map(|i| i.to_string()).collect();
    // The status is one of HiGHS's identifiers, so it needs no escaping.
    println!(
        "{{\"objective\": {}, \"optimal\": {}, \"gap\": {}, \"bound\": {}, \"seconds\": {:.3}, \"status\": \"{}\", \"open\": [{}]}}",
        number(s.objective),
        s.optimal,
        number(s.gap),
        number(s.bound),
        s.seconds,
        s.status,
        open.join(", ")
    );
    Ok(())
}

/// `x` as JSON: Debug formatting is the shortest exact representation of a finite `f64`; JSON
/// has no infinity.
fn number(x: f64) -> String {
    if x.is_finite() {
        format!("{x:?}")
    } else {
        "null".to_owned()
    }
}
