//! Uploaded versions of the value-added table and concordance, kept whole as uploaded.

use serde_json::json;
use sqlx::Row;
use vocab::UserId;

use crate::audit::{append, AuditContext};
use crate::{Store, StoreError, Timestamp};

/// The four files of one version, as uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsFiles {
    /// `lines.csv`.
    pub lines_csv: String,
    /// `values.csv`.
    pub values_csv: String,
    /// `gdp.csv`.
    pub gdp_csv: String,
    /// `concordance.csv`.
    pub concordance_csv: String,
}

/// A stored version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsVersion {
    /// Version number (1, 2, ...; the shipped study tables are version 0 and not stored).
    pub id: i64,
    /// What the analyst called it.
    pub label: String,
    /// When uploaded (RFC 3339 UTC).
    pub uploaded_at: String,
    /// Who uploaded it (their email), if known.
    pub uploaded_by: Option<String>,
}

impl Store {
    /// Stores a new version (the caller has parsed and validated the files).
    pub async fn add_stats_version(
        &self,
        ctx: &AuditContext,
        label: &str,
        files: &StatsFiles,
        uploaded_by: Option<UserId>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO stats_versions (label, lines_csv, values_csv, gdp_csv, concordance_csv, uploaded_at, uploaded_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(label)
        .bind(&files.lines_csv)
        .bind(&files.values_csv)
        .bind(&files.gdp_csv)
        .bind(&files.concordance_csv)
        .bind(Timestamp::now().to_text())
        .bind(uploaded_by.map(UserId::get))
        .fetch_one(&mut *tx)
        .await?;
        let sizes = json!({
            "label": label,
            "bytes": files.lines_csv.len() + files.values_csv.len() + files.gdp_csv.len() + files.concordance_csv.len(),
        });
        append(
            &mut tx,
            &ctx.entry("stats_version.add", "stats_version", id, sizes),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every stored version, oldest first.
    pub async fn stats_versions(&self) -> Result<Vec<StatsVersion>, StoreError> {
        let rows = sqlx::query(
            "SELECT v.id, v.label, v.uploaded_at, u.email FROM stats_versions v \
             LEFT JOIN users u ON u.id = v.uploaded_by ORDER BY v.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StatsVersion {
                    id: r.try_get("id")?,
                    label: r.try_get("label")?,
                    uploaded_at: r.try_get("uploaded_at")?,
                    uploaded_by: r.try_get("email")?,
                })
            })
            .collect()
    }

    /// The files of one version.
    pub async fn stats_version_files(&self, id: i64) -> Result<StatsFiles, StoreError> {
        let row = sqlx::query("SELECT lines_csv, values_csv, gdp_csv, concordance_csv FROM stats_versions WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(StatsFiles {
            lines_csv: row.try_get("lines_csv")?,
            values_csv: row.try_get("values_csv")?,
            gdp_csv: row.try_get("gdp_csv")?,
            concordance_csv: row.try_get("concordance_csv")?,
        })
    }
}
