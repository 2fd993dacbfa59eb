//! The background worker that runs queued network planning jobs.
//!
//! Each server instance runs one worker: it claims the oldest queued job from the store (so
//! any instance can pick up a job any other instance queued), solves the base model and its
//! scenarios on a blocking thread, writes progress after each solve and stores the result.
//! A new job wakes the local worker at once; jobs queued elsewhere are found by polling.

use std::time::Duration;

use planner::{NetworkModel, NetworkOptions, ScenarioSelection};
use tokio::sync::mpsc;
use tracing::Instrument;

use crate::AppState;

/// How often an idle worker looks for jobs queued by other instances.
const POLL: Duration = Duration::from_secs(2);

/// The scenario selection as stored with a job: `"all"`, `"none"` or a list of names.
pub(crate) fn selection_to_json(selection: &ScenarioSelection) -> String {
    match selection {
        ScenarioSelection::None => "\"none\"".to_owned(),
        ScenarioSelection::All => "\"all\"".to_owned(),
        ScenarioSelection::Named(names) => serde_json::to_string(names).unwrap_or_default(),
    }
}

fn selection_from_json(text: &str) -> Result<ScenarioSelection, String> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::String(s)) if s == "all" => Ok(ScenarioSelection::All),
        Ok(serde_json::Value::String(s)) if s == "none" => Ok(ScenarioSelection::None),
        _ => serde_json::from_str::<Vec<String>>(text)
            .map(ScenarioSelection::Named)
            .map_err(|e| format!("stored scenario selection is invalid: {e}")),
    }
}

/// Starts the worker on the current runtime; it runs until the runtime stops.
pub(crate) fn spawn_worker(state: AppState) {
    tokio::spawn(
        async move {
            let worker = state.config().worker_name.clone();
            match state.store().requeue_plan_jobs_of(&worker).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(jobs = n, "requeued plan jobs left running by this worker"),
                Err(err) => tracing::error!(error = %err, "cannot requeue plan jobs"),
            }
            loop {
                match state.store().claim_plan_job(&worker).await {
                    Ok(Some(job)) => run_job(&state, job).await,
                    Ok(None) => {
                        let _ = tokio::time::timeout(POLL, state.job_queued().notified()).await;
                    }
                    Err(err) => {
                        tracing::error!(error = %err, "cannot claim a plan job");
                        tokio::time::sleep(POLL).await;
                    }
                }
            }
        }
        .instrument(tracing::info_span!("plan_worker")),
    );
}

async fn run_job(state: &AppState, job: store::PlanJobRecord) {
    let id = job.id;
    let span = tracing::info_span!("plan_job", job = id);
    async {
        tracing::info!(name = %job.name, steps = job.total_steps, "solving");
        let (progress_tx, mut progress_rx) = mpsc::unbounded_channel::<usize>();
        let time_limit = job.time_limit_seconds as f64;
        let model_json = job.model_json.clone();
        let scenarios_json = job.scenarios_json.clone();
        let span = tracing::Span::current();
        let solve = tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            let model = NetworkModel::from_json(&model_json).map_err(|e| e.to_string())?;
            let selection = selection_from_json(&scenarios_json)?;
            let options = NetworkOptions {
                time_limit: Some(time_limit),
                mip_gap: None,
            };
            let comparison =
                planner::compare_scenarios(&model, &selection, &options, &mut |done, _| {
                    let _ = progress_tx.send(done);
                })
                .map_err(|e| e.to_string())?;
            serde_json::to_string(&comparison).map_err(|e| e.to_string())
        });
        let store = state.store().clone();
        let progress = async move {
            while let Some(done) = progress_rx.recv().await {
                if let Err(err) = store.plan_job_progress(id, done as i64).await {
                    tracing::warn!(error = %err, "cannot record progress");
                }
            }
        };
        let (outcome, ()) = tokio::join!(solve, progress);
        let outcome = match outcome {
            Ok(result) => result,
            Err(join) => Err(format!("the solver thread stopped: {join}")),
        };
        match &outcome {
            Ok(_) => tracing::info!("solved"),
            Err(error) => tracing::info!(%error, "failed"),
        }
        let stored = state
            .store()
            .finish_plan_job(id, outcome.as_deref().map_err(String::as_str))
            .await;
        if let Err(err) = stored {
            tracing::error!(error = %err, "cannot store the job's outcome");
        }
    }
    .instrument(span)
    .await;
}
