//! Milestones of an investment project: what is due when, and when it was done.
//!
//! A milestone is seen by whoever may see its project and changed only by whoever may change
//! the project; both rules are the project's [`Access`] rules, applied by reading the project
//! first.

use serde_json::json;
use sqlx::Row;
use time::Date;
use vocab::{BilingualText, ProjectId};

use crate::audit::{append, AuditContext};
use crate::error::corrupt;
use crate::{Access, Store, StoreError, Timestamp};

/// A stored milestone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MilestoneRecord {
    /// Id.
    pub id: i64,
    /// The project it belongs to.
    pub project: ProjectId,
    /// What is to be done.
    pub title: BilingualText,
    /// When it is due.
    pub due_on: Date,
    /// When it was done, if it was.
    pub done_on: Option<Date>,
}

const DATE: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

fn date(column: &str, text: &str) -> Result<Date, StoreError> {
    Date::parse(text, DATE).map_err(|e| corrupt(column, e))
}

fn date_text(date: Date) -> String {
    // The format has only numeric components, which cannot fail to format.
    date.format(DATE).unwrap_or_default()
}

impl Store {
    /// A project's milestones by due date, if `access` may see the project.
    pub async fn milestones(
        &self,
        access: Access,
        project: ProjectId,
    ) -> Result<Vec<MilestoneRecord>, StoreError> {
        self.project(access, project).await?;
        let rows = sqlx::query(
            "SELECT id, title_en, title_zh, due_on, done_on FROM project_milestones \
             WHERE project_id = $1 ORDER BY due_on, id",
        )
        .bind(project.get())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(MilestoneRecord {
                    id: r.try_get("id")?,
                    project,
                    title: BilingualText::new(
                        r.try_get::<String, _>("title_en")?,
                        r.try_get::<String, _>("title_zh")?,
                    )
                    .map_err(|e| corrupt("project_milestones.title", e))?,
                    due_on: date("due_on", &r.try_get::<String, _>("due_on")?)?,
                    done_on: r
                        .try_get::<Option<String>, _>("done_on")?
                        .map(|t| date("done_on", &t))
                        .transpose()?,
                })
            })
            .collect()
    }

    /// Adds a milestone to a project `access` may change.
    pub async fn add_milestone(
        &self,
        ctx: &AuditContext,
        access: Access,
        project: ProjectId,
        title: &BilingualText,
        due_on: Date,
    ) -> Result<i64, StoreError> {
        self.check_may_change_project(access, project).await?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO project_milestones (project_id, title_en, title_zh, due_on, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(project.get())
        .bind(title.en())
        .bind(title.zh())
        .bind(date_text(due_on))
        .bind(Timestamp::now().to_text())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        append(
            &mut tx,
            &ctx.entry(
                "milestone.add",
                "project",
                project,
                json!({ "milestone": id, "title_en": title.en(), "due_on": date_text(due_on) }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Marks a milestone done on `done_on` (or not done, with `None`).
    pub async fn set_milestone_done(
        &self,
        ctx: &AuditContext,
        access: Access,
        project: ProjectId,
        milestone: i64,
        done_on: Option<Date>,
    ) -> Result<(), StoreError> {
        self.check_may_change_project(access, project).await?;
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE project_milestones SET done_on = $1 WHERE id = $2 AND project_id = $3",
        )
        .bind(done_on.map(date_text))
        .bind(milestone)
        .bind(project.get())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        append(
            &mut tx,
            &ctx.entry(
                "milestone.done",
                "project",
                project,
                json!({ "milestone": milestone, "done_on": done_on.map(date_text) }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
