//! Measures screening throughput: 10,000 synthetic applications against the smart production
//! line scheme (rules, consistency, the duplicate check across the batch and 10,000 earlier
//! applications, and the risk score).
//!
//! Run with `cargo run -p screening --release --example bench_screen [N]`.

use std::time::Instant;

use screening::{
    default_model, example_scheme, screen_batch, synthetic_applications, DuplicateIndex,
    ScreeningContext,
};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(10_000);
    let Some(scheme) = example_scheme("smart-production-line") else {
        eprintln!("error: the example scheme is missing");
        std::process::exit(1);
    };
    let model = default_model();
    let applications = synthetic_applications(n, 1);

    let started = Instant::now();
    let mut earlier = DuplicateIndex::new();
    for application in synthetic_applications(n, 2) {
        earlier.insert(format!("earlier/{}", application.reference()), &application);
    }
    let indexed = started.elapsed();

    let context = ScreeningContext {
        today: time::macros::date!(2025 - 07 - 01),
        model: &model,
        earlier: &earlier,
    };
    let started = Instant::now();
    let cpu_before = thread_cpu_seconds();
    let reports = screen_batch(&scheme, &applications, &context);
    let cpu = thread_cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    let elapsed = started.elapsed();

    let fast = reports
        .iter()
        .filter(|report| report.route.is_fast_track())
        .count();
    let duplicates = reports
        .iter()
        .filter(|report| {
            report
                .route
                .reasons()
                .iter()
                .any(|reason| reason.code() == "possible_duplicate")
        })
        .count();
    println!(
        "indexed {n} earlier applications in {:.3} s",
        indexed.as_secs_f64()
    );
    println!(
        "screened {} applications in {:.3} s: {:.1} µs per application, {:.0} applications/s",
        reports.len(),
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / reports.len() as f64,
        reports.len() as f64 / elapsed.as_secs_f64()
    );
    if let Some(cpu) = cpu {
        println!("on-CPU time of the screening thread: {cpu:.3} s (wall time includes waiting for a core on a busy machine)");
    }
    println!("fast track: {fast}, flagged as possible duplicates: {duplicates}");
}

/// The time this thread has spent on a CPU, from Linux's `/proc/thread-self/schedstat`
/// (nanoseconds first); `None` elsewhere.
fn thread_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}
