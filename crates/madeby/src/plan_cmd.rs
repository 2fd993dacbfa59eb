//! `madeby plan solve` and `madeby plan orlib`: read a network model or an OR-Library instance,
//! call the `planner` engine and print its plan (tables or JSON). Scenarios are solved one
//! after another behind a progress bar on a terminal.

use std::io::IsTerminal;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use planner::{Comparison, NetworkModel, NetworkPlan, ScenarioOutcome};
use serde_json::json;
use vocab::Money;

use crate::cli::{PlanFormat, PlanOrlibRequest, PlanSolveFormat, PlanSolveRequest};
use crate::stats_cmd::{aligned, emit, json_text};

/// Solves a network model and the requested scenarios; needs no database.
pub fn solve(request: &PlanSolveRequest) -> anyhow::Result<()> {
    let model = match &request.model {
        None => {
            NetworkModel::from_json(planner::EXAMPLE_MODEL).context("the shipped example model")?
        }
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("Failed to read {}", path.display()))?;
            NetworkModel::from_json(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        }
    };
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} solves")
                .expect("valid progress template"),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let comparison = planner::compare_scenarios(
        &model,
        &request.scenarios,
        &request.options,
        &mut |done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        },
    )?;
    bar.finish_and_clear();
    match request.format {
        PlanSolveFormat::Json => emit(&json_text(&serde_json::to_value(&comparison)?)?),
        PlanSolveFormat::Table => emit(&tables(&comparison)),
    }
}

/// HK$ million with one decimal, rounded half up on the integer cents (never via a float).
pub(crate) fn millions(money: Money) -> String {
    let cents = i128::from(money.cents());
    let tenths = (cents.abs() + 5_000_000) / 10_000_000 * cents.signum();
    let sign = if tenths < 0 { "-" } else { "" };
    format!("{sign}{}.{}", tenths.abs() / 10, tenths.abs() % 10)
}

fn signed_millions(money: Money) -> String {
    let text = millions(money);
    if text.starts_with('-') {
        text
    } else {
        format!("+{text}")
    }
}

fn plan_tables(title: &str, plan: &NetworkPlan, out: &mut String) {
    let proof = if plan.optimal {
        "proven optimal".to_owned()
    } else {
        format!(
            "NOT proven optimal: stopped ({}) with gap {:.2}%",
            plan.status,
            plan.gap * 100.0
        )
    };
    let c = &plan.costs;
    out.push_str(&format!(
        "{title}: total HK${}m a year ({proof})\n  fixed {}  production {}  freight {}  tariffs {}  (HK$ million)\n\n",
        millions(c.total),
        millions(c.fixed),
        millions(c.production),
        millions(c.freight),
        millions(c.tariff)
    ));
    let mut rows = vec![vec![
        "plant".to_owned(),
        "country".to_owned(),
        "size".to_owned(),
        "capacity".to_owned(),
        "units".to_owned(),
        "fixed HK$m".to_owned(),
    ]];
    for p in &plan.plants {
        rows.push(vec![
            p.plant.clone(),
            p.country.to_string(),
            p.option.clone().unwrap_or_else(|| "closed".to_owned()),
            p.capacity.to_string(),
            p.units.to_string(),
            millions(p.fixed_cost),
        ]);
    }
    out.push_str(&aligned(&rows, &[false, false, false, true, true, true]));
    out.push('\n');
    let mut rows = vec![vec![
        "from".to_owned(),
        "to".to_owned(),
        "product".to_owned(),
        "units".to_owned(),
        "production HK$m".to_owned(),
        "freight HK$m".to_owned(),
        "tariff HK$m".to_owned(),
    ]];
    for f in &plan.flows {
        rows.push(vec![
            f.plant.clone(),
            f.market.clone(),
            f.product.clone(),
            f.units.to_string(),
            millions(f.production),
            millions(f.freight),
            millions(f.tariff),
        ]);
    }
    out.push_str(&aligned(
        &rows,
        &[false, false, false, true, true, true, true],
    ));
    out.push('\n');
}

fn tables(comparison: &Comparison) -> String {
    let mut out = format!("{} (figures: {})\n\n", comparison.model, comparison.source);
    plan_tables("base", &comparison.base, &mut out);
    for scenario in &comparison.scenarios {
        let title = format!("scenario {} ({})", scenario.name, scenario.description);
        match &scenario.outcome {
            ScenarioOutcome::Solved { plan, delta } => {
                plan_tables(&title, plan, &mut out);
                let list = |plants: &[String]| {
                    if plants.is_empty() {
                        "none".to_owned()
                    } else {
                        plants.join(", ")
                    }
                };
                out.push_str(&format!(
                    "  against the base (HK$ million): total {} (tariffs {}, freight {}, production {}, fixed {}); opened: {}; closed: {}; resized: {}\n",
                    signed_millions(delta.total),
                    signed_millions(delta.tariff),
                    signed_millions(delta.freight),
                    signed_millions(delta.production),
                    signed_millions(delta.fixed),
                    list(&delta.opened),
                    list(&delta.closed),
                    if delta.resized.is_empty() {
                        "none".to_owned()
                    } else {
                        delta
                            .resized
                            .iter()
                            .map(|(p, a, b)| format!("{p} {a} -> {b}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                ));
                let shifts: Vec<String> = delta
                    .units_by_country
                    .iter()
                    .map(|(country, before, after)| format!("{country} {before} -> {after}"))
                    .collect();
                out.push_str(&format!("  units by country: {}\n\n", shifts.join(", ")));
            }
            ScenarioOutcome::Failed { error, .. } => {
                out.push_str(&format!("{title}: no plan: {error}\n\n"));
            }
        }
    }
    out
}

/// Solves an OR-Library instance; needs no database.
pub fn orlib(request: &PlanOrlibRequest) -> anyhow::Result<()> {
    let file = &request.file;
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("Failed to read {}", file.display()))?;
    let parsed = if request.original {
        planner::orlib::parse_original(&text)
    } else {
        planner::orlib::parse(&text)
    };
    let instance = parsed.map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let solution = planner::solve(&instance, &request.options)?;
    let text = match request.format {
        PlanFormat::Json => json_text(&json!({
            "file": file.display().to_string(),
            "single_source": request.options.single_source,
            "objective": solution.objective,
            "optimal": solution.optimal,
            "gap": solution.gap,
            "bound": solution.bound,
            "seconds": solution.seconds,
            "open": solution.open,
            "status": solution.status,
        }))?,
        PlanFormat::Text => format!(
            "{}: objective {:.3} ({}), gap {:.2e}, {} facilities open, {:.2} s\n",
            file.display(),
            solution.objective,
            if solution.optimal {
                "proven optimal"
            } else {
                "not proven optimal"
            },
            solution.gap,
            solution.open.len(),
            solution.seconds
        ),
    };
    emit(&text)
}
