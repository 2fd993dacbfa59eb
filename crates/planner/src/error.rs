//! The crate's one error type, [`PlannerError`].

/// Everything that can go wrong while reading or solving a facility location instance.
///
/// The first variants are caused by the input (a malformed file, an instance that cannot be
/// served); [`PlannerError::Solver`] is a failure inside HiGHS.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum PlannerError {
    /// The instance text is malformed; `line` is 1-based.
    #[error("line {line}: {message}")]
    Parse {
        /// The 1-based line of the offending value (the last line when the text ends early).
        line: usize,
        /// What is wrong there.
        message: String,
    },
    /// The instance is well formed but inconsistent (for example a customer with the wrong
    /// number of allocation costs, or a negative demand).
    #[error("invalid instance: {0}")]
    InvalidInstance(String),
    /// A network model is well-formed JSON but wrong at `path` (e.g. `plants[1].options[0].capacity`).
    #[error("{path}: {message}")]
    InvalidModel {
        /// Where in the model, as a JSON path.
        path: String,
        /// What is wrong there.
        message: String,
    },
    /// A solve option is out of range (a non-positive time limit, a negative gap).
    #[error("invalid solve options: {0}")]
    InvalidOptions(String),
    /// No assignment of customers to facilities satisfies the capacities.
    #[error("infeasible: {0}")]
    Infeasible(String),
    /// No plan of a network model meets every demand under every rule; each finding says which
    /// demand cannot be met or which rule binds.
    #[error("no plan meets every demand and rule: {}", findings.join("; "))]
    NetworkInfeasible {
        /// What makes it infeasible, for people, most specific first.
        findings: Vec<String>,
    },
    /// The solver stopped (time limit, interruption) before finding any feasible solution.
    #[error("no feasible solution found (solver status {status}) after {seconds:.1} s")]
    NoSolution {
        /// The solver's final status.
        status: String,
        /// Wall-clock seconds spent.
        seconds: f64,
    },
    /// HiGHS reported an error of its own.
    #[error("solver error: {0}")]
    Solver(String),
}
