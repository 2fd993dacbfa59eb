//! Integration tests of the planner crate: the OR-Library readers and the MIP against the
//! published optima in `../shared/data/orlib/`.

mod network;
mod parse;
mod solve;

/// A file of the project's OR-Library folder, beside the repository.
fn read(relative: &str) -> String {
    let path = testkit::shared_data(env!("CARGO_MANIFEST_DIR"))
        .join("orlib")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}
