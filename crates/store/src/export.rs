//! `madeby data export`: every table to one CSV file, secrets left out.

use std::path::Path;

use sqlx::{Column, Row, ValueRef};

use crate::{Store, StoreError};

/// Every table of the schema, in an order where a row's references come before it.
const TABLES: [&str; 23] = [
    "organisations",
    "users",
    "sessions",
    "api_tokens",
    "login_attempts",
    "audit_log",
    "projects",
    "reference_loads",
    "ref_documents",
    "ref_places",
    "ref_industry_value_added",
    "ref_producer_services",
    "ref_producer_services_overlap",
    "ref_mainland_manufacturers",
    "ref_pledges",
    "origin_certificates",
    "stats_versions",
    "plan_jobs",
    "project_milestones",
    "directory_entries",
    "directory_revision",
    "introductions",
    "_sqlx_migrations",
];

/// Columns whose values would let someone sign in; exported as `[redacted]`.
const SECRET_COLUMNS: [&str; 3] = ["password_hash", "token_hash", "csrf_token"];

/// One exported table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedTable {
    /// Table name (also the file stem).
    pub table: String,
    /// Data rows written.
    pub rows: u64,
}

impl Store {
    /// Names of the tables `export` writes, in order.
    pub fn exported_tables() -> &'static [&'static str] {
        &TABLES
    }

    /// Writes `DIR/<table>.csv` for one table, with a header row.
    pub async fn export_table(&self, table: &str, dir: &Path) -> Result<ExportedTable, StoreError> {
        if !TABLES.contains(&table) {
            return Err(StoreError::NotFound);
        }
        let path = dir.join(format!("{table}.csv"));
        let io = |source: std::io::Error| StoreError::Io {
            path: path.display().to_string(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let mut writer = csv::Writer::from_path(&path).map_err(|e| io(e.into()))?;
        // _sqlx_migrations has a binary checksum column the Any driver cannot read; list the rest.
        let sql = if table == "_sqlx_migrations" {
            "SELECT version, description, CAST(installed_on AS TEXT) AS installed_on FROM _sqlx_migrations ORDER BY version".to_owned()
        } else {
            format!("SELECT * FROM {table} ORDER BY 1")
        };
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        let mut count = 0;
        let mut header_written = false;
        for row in &rows {
            if !header_written {
                writer
                    .write_record(row.columns().iter().map(|c| c.name()))
                    .map_err(|e| io(e.into()))?;
                header_written = true;
            }
            let mut record = Vec::with_capacity(row.len());
            for (i, column) in row.columns().iter().enumerate() {
                if SECRET_COLUMNS.contains(&column.name()) {
                    record.push("[redacted]".to_owned());
                    continue;
                }
                record.push(cell_text(row, i)?);
            }
            writer.write_record(&record).map_err(|e| io(e.into()))?;
            count += 1;
        }
        writer.flush().map_err(io)?;
        Ok(ExportedTable {
            table: table.to_owned(),
            rows: count,
        })
    }
}

/// Renders one cell as text whatever its type: integers, floats, booleans and text.
fn cell_text(row: &sqlx::any::AnyRow, i: usize) -> Result<String, StoreError> {
    if row.try_get_raw(i)?.is_null() {
        return Ok(String::new());
    }
    if let Ok(v) = row.try_get::<i64, _>(i) {
        return Ok(v.to_string());
    }
    if let Ok(v) = row.try_get::<f64, _>(i) {
        return Ok(v.to_string());
    }
    if let Ok(v) = row.try_get::<bool, _>(i) {
        return Ok(v.to_string());
    }
    Ok(row.try_get::<String, _>(i)?)
}
