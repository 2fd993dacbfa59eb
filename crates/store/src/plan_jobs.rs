//! Network planning runs as jobs: queued by a user, claimed by whichever server instance is
//! free (an atomic `UPDATE ... WHERE status = 'queued'`, so two instances never run the same
//! job), with progress while running and the result when done.
//!
//! A job belongs to its organisation; reads and lists take an [`Access`] and filter in SQL, so
//! another organisation's job is [`StoreError::NotFound`], never shown.

use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;
use vocab::{OrgId, UserId};

use crate::audit::{append, AuditContext};
use crate::{Access, Store, StoreError, Timestamp};

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanJobStatus {
    /// Waiting for a worker.
    Queued,
    /// Being solved.
    Running,
    /// Solved; the result is stored.
    Done,
    /// Stopped with an error; the message is stored.
    Failed,
}

impl PlanJobStatus {
    /// Every status, in the order a job passes through them.
    pub const ALL: [PlanJobStatus; 4] = [
        PlanJobStatus::Queued,
        PlanJobStatus::Running,
        PlanJobStatus::Done,
        PlanJobStatus::Failed,
    ];

    /// The stored and wire code.
    pub fn code(self) -> &'static str {
        match self {
            PlanJobStatus::Queued => "queued",
            PlanJobStatus::Running => "running",
            PlanJobStatus::Done => "done",
            PlanJobStatus::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Result<Self, StoreError> {
        Ok(match text {
            "queued" => PlanJobStatus::Queued,
            "running" => PlanJobStatus::Running,
            "done" => PlanJobStatus::Done,
            "failed" => PlanJobStatus::Failed,
            other => return Err(crate::error::corrupt("plan_jobs.status", other)),
        })
    }
}

/// A job to queue: the caller has already checked that the model parses.
#[derive(Debug, Clone)]
pub struct NewPlanJob {
    /// The owning organisation; `None` for an administrator's own run.
    pub org: Option<OrgId>,
    /// Who queued it.
    pub created_by: UserId,
    /// The model's name, for lists.
    pub name: String,
    /// The model as submitted (JSON).
    pub model_json: String,
    /// The scenario selection (JSON).
    pub scenarios_json: String,
    /// Time limit of each solve, in seconds.
    pub time_limit_seconds: i64,
    /// Solves to run: the base plus each scenario.
    pub total_steps: i64,
}

/// A stored job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanJobRecord {
    /// Id.
    pub id: i64,
    /// Owner.
    pub org: Option<OrgId>,
    /// The model's name.
    pub name: String,
    /// The model as submitted.
    pub model_json: String,
    /// The scenario selection.
    pub scenarios_json: String,
    /// Time limit of each solve, in seconds.
    pub time_limit_seconds: i64,
    /// Where it is.
    pub status: PlanJobStatus,
    /// Solves finished.
    pub done_steps: i64,
    /// Solves in all.
    pub total_steps: i64,
    /// The result (JSON) once done.
    pub result_json: Option<String>,
    /// The error once failed.
    pub error: Option<String>,
    /// Queued at (RFC 3339 UTC).
    pub created_at: String,
    /// Finished at, if finished.
    pub finished_at: Option<String>,
}

const COLUMNS: &str = "id, org_id, name, model_json, scenarios_json, time_limit_seconds, status, \
    done_steps, total_steps, result_json, error, created_at, finished_at";

fn job_from_row(row: &AnyRow) -> Result<PlanJobRecord, StoreError> {
    Ok(PlanJobRecord {
        id: row.try_get("id")?,
        org: row.try_get::<Option<i64>, _>("org_id")?.map(OrgId::new),
        name: row.try_get("name")?,
        model_json: row.try_get("model_json")?,
        scenarios_json: row.try_get("scenarios_json")?,
        time_limit_seconds: row.try_get("time_limit_seconds")?,
        status: PlanJobStatus::parse(&row.try_get::<String, _>("status")?)?,
        done_steps: row.try_get("done_steps")?,
        total_steps: row.try_get("total_steps")?,
        result_json: row.try_get("result_json")?,
        error: row.try_get("error")?,
        created_at: row.try_get("created_at")?,
        finished_at: row.try_get("finished_at")?,
    })
}

/// SQL condition on `plan_jobs` for `access`, with the organisation id to bind as `$1`.
fn job_filter(access: Access) -> (&'static str, i64) {
    match access {
        // Jobs are never public.
        Access::Anonymous => ("1 = 0 AND $1 = $1", 0),
        Access::Member { org } | Access::Officer { org: Some(org) } => ("org_id = $1", org.get()),
        // An officer reads the pipeline, not other organisations' plans.
        Access::Officer { org: None } => ("1 = 0 AND $1 = $1", 0),
        Access::Admin => ("$1 = $1", 0),
    }
}

impl Store {
    /// Queues a job and audits it.
    pub async fn queue_plan_job(
        &self,
        ctx: &AuditContext,
        job: &NewPlanJob,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO plan_jobs (org_id, created_by, name, model_json, scenarios_json, \
             time_limit_seconds, status, done_steps, total_steps, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'queued', 0, $7, $8) RETURNING id",
        )
        .bind(job.org.map(OrgId::get))
        .bind(job.created_by.get())
        .bind(&job.name)
        .bind(&job.model_json)
        .bind(&job.scenarios_json)
        .bind(job.time_limit_seconds)
        .bind(job.total_steps)
        .bind(Timestamp::now().to_text())
        .fetch_one(&mut *tx)
        .await?;
        let detail = json!({
            "name": job.name,
            "org_id": job.org.map(OrgId::get),
            "model_bytes": job.model_json.len(),
            "scenarios": job.scenarios_json,
        });
        append(
            &mut tx,
            &ctx.entry("plan_job.queue", "plan_job", id, detail),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One job, if `access` may see it.
    pub async fn plan_job(&self, access: Access, id: i64) -> Result<PlanJobRecord, StoreError> {
        let (filter, org) = job_filter(access);
        let sql = format!("SELECT {COLUMNS} FROM plan_jobs WHERE {filter} AND id = $2");
        let row = sqlx::query(&sql)
            .bind(org)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        job_from_row(&row)
    }

    /// The most recent jobs `access` may see, newest first.
    pub async fn plan_jobs(
        &self,
        access: Access,
        limit: i64,
    ) -> Result<Vec<PlanJobRecord>, StoreError> {
        let (filter, org) = job_filter(access);
        let sql =
            format!("SELECT {COLUMNS} FROM plan_jobs WHERE {filter} ORDER BY id DESC LIMIT $2");
        let rows = sqlx::query(&sql)
            .bind(org)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(job_from_row).collect()
    }

    /// Claims the oldest queued job for `worker`, or `None` when the queue is empty.
    ///
    /// The update only takes a row still `queued`, so when two instances race for one job the
    /// loser's update touches nothing and it looks again.
    pub async fn claim_plan_job(&self, worker: &str) -> Result<Option<PlanJobRecord>, StoreError> {
        loop {
            let next: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM plan_jobs WHERE status = 'queued' ORDER BY id LIMIT 1",
            )
            .fetch_optional(&self.pool)
            .await?;
            let Some(id) = next else {
                return Ok(None);
            };
            let claimed = sqlx::query(
                "UPDATE plan_jobs SET status = 'running', worker = $1, started_at = $2 \
                 WHERE id = $3 AND status = 'queued'",
            )
            .bind(worker)
            .bind(Timestamp::now().to_text())
            .bind(id)
            .execute(&self.pool)
            .await?
            .rows_affected();
            if claimed == 1 {
                return self.plan_job(Access::Admin, id).await.map(Some);
            }
        }
    }

    /// Records progress of a running job.
    pub async fn plan_job_progress(&self, id: i64, done_steps: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE plan_jobs SET done_steps = $1 WHERE id = $2 AND status = 'running' AND done_steps < $1",
        )
        .bind(done_steps)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Stores the outcome of a running job: its result, or the error that stopped it.
    pub async fn finish_plan_job(
        &self,
        id: i64,
        outcome: Result<&str, &str>,
    ) -> Result<(), StoreError> {
        let (status, result, error) = match outcome {
            Ok(result) => (PlanJobStatus::Done, Some(result), None),
            Err(error) => (PlanJobStatus::Failed, None, Some(error)),
        };
        sqlx::query(
            "UPDATE plan_jobs SET status = $1, result_json = $2, error = $3, finished_at = $4, \
             done_steps = CASE WHEN $1 = 'done' THEN total_steps ELSE done_steps END \
             WHERE id = $5 AND status = 'running'",
        )
        .bind(status.code())
        .bind(result)
        .bind(error)
        .bind(Timestamp::now().to_text())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Puts back in the queue the jobs a stopped instance left running (called at start-up
    /// by an instance for its own worker name, so it never takes another live instance's work).
    pub async fn requeue_plan_jobs_of(&self, worker: &str) -> Result<u64, StoreError> {
        let n = sqlx::query(
            "UPDATE plan_jobs SET status = 'queued', worker = NULL, started_at = NULL, done_steps = 0 \
             WHERE status = 'running' AND worker = $1",
        )
        .bind(worker)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n)
    }
}
