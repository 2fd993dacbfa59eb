//! Integration tests of the planner crate: the OR-Library readers and the MIP against the
//! published optima in `../shared/data/orlib/`.

mod network;
mod parse;
mod solve;

/// The project's OR-Library folder, beside the repository.
const ORLIB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/orlib/");

fn read(relative: &str) -> String {
    let path = format!("{ORLIB}{relative}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}
