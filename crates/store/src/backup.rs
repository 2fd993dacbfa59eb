//! `madeby backup` and `madeby restore`: every table, secrets included, copied exactly to a
//! folder and back, from either backend to either backend.
//!
//! A backup folder holds `manifest.json` and one JSON-lines file per table, `<table>.jsonl`.
//! The first line of a table file names the table and its columns with their types (`integer`,
//! `real`, `text`, `boolean`, `blob`); every further line is one row, a JSON array in column
//! order: integers as JSON integers (money is integer cents), reals as JSON numbers written so
//! they read back to the same bits, text (timestamps included) as JSON strings, blobs as hex
//! strings, SQL NULL as `null`. The manifest gives the format and its version, the migrations
//! the source database had, and for every table its file, row count, SHA-256 checksum and the
//! last id its generator handed out (which can exceed the largest id stored once rows are
//! deleted, as sessions are).
//!
//! The tables are read from the database catalog at run time, so a table a new migration adds
//! is backed up without a change here. sqlx's `_sqlx_migrations` is not copied but compared: a
//! backup restores only into a database with the same migrations. A backup reads one snapshot
//! (one read transaction), so it is consistent while the server keeps writing.
//!
//! A restore refuses a database at other migrations or holding anything a fresh migration did
//! not put there, checks every file against the manifest before it writes anything, and copies
//! everything in one transaction: tables in foreign-key order, then each id generator moved past
//! the last id the source handed out. Any failure rolls the whole restore back.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyConnection, Row, TypeInfo, ValueRef};

use crate::{Backend, Store, StoreError, Timestamp};

/// The `format` named in every backup manifest.
pub const BACKUP_FORMAT: &str = "madeby-backup";

/// The version of the backup format this build writes, and the only one it reads.
pub const BACKUP_FORMAT_VERSION: u32 = 1;

/// The manifest's file name inside a backup folder.
pub const BACKUP_MANIFEST: &str = "manifest.json";

const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// Bound values per INSERT when restoring: well below SQLite's and PostgreSQL's limits.
const VALUES_PER_INSERT: usize = 2_000;

/// Rows between two progress reports.
const PROGRESS_EVERY: u64 = 1_000;

/// What `manifest.json` says about a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupManifest {
    /// Always [`BACKUP_FORMAT`].
    pub format: String,
    /// The [`BACKUP_FORMAT_VERSION`] of the build that wrote it.
    pub format_version: u32,
    /// When the backup was taken (RFC 3339 UTC).
    pub created_at: String,
    /// The backend it was taken from (`sqlite` or `postgres`).
    pub backend: String,
    /// The latest migration the source database had.
    pub schema_version: i64,
    /// Every migration the source database had, in order.
    pub migrations: Vec<i64>,
    /// The tables, in an order where the rows a row refers to come first.
    pub tables: Vec<BackupTable>,
}

impl BackupManifest {
    /// Rows in all tables.
    pub fn total_rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

/// One table of a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupTable {
    /// The table's name.
    pub name: String,
    /// Its file in the backup folder, `<name>.jsonl`.
    pub file: String,
    /// Data rows (the file has one line more, the header).
    pub rows: u64,
    /// SHA-256 of the whole file, lower-case hex.
    pub sha256: String,
    /// The table's id generator, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<IdentityState>,
}

/// Where a table's id generator (SQLite `AUTOINCREMENT`, a PostgreSQL identity or serial column)
/// stood when the backup was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityState {
    /// The generated column.
    pub column: String,
    /// The last value handed out; 0 when none was.
    pub last_value: i64,
}

/// The step a backup or restore is at, for progress displays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupPhase {
    /// Checking a backup's files against its manifest (restore, before the database is touched).
    Verifying,
    /// Copying rows from the database to files (backup) or from files into the database.
    Copying,
}

/// How far a backup or restore has come in one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableProgress<'a> {
    /// The step.
    pub phase: BackupPhase,
    /// The table.
    pub table: &'a str,
    /// Its position, from 1.
    pub index: usize,
    /// Tables in all.
    pub tables: usize,
    /// Rows done in this table so far.
    pub rows: u64,
    /// Whether the table is done.
    pub finished: bool,
}

impl Store {
    /// Writes every table into `dir` (created if missing; it must hold no files) and returns
    /// the manifest, written last: a folder without `manifest.json` is not a backup.
    ///
    /// Nothing is redacted: the backup holds password hashes, token digests, sessions and the
    /// whole audit log, and must be kept as safely as the database.
    #[tracing::instrument(skip(self, progress), fields(backend = ?self.backend, dir = %dir.display()))]
    pub async fn backup(
        &self,
        dir: &Path,
        mut progress: impl FnMut(TableProgress<'_>),
    ) -> Result<BackupManifest, StoreError> {
        prepare_empty_dir(dir)?;
        let begin = match self.backend {
            // A deferred transaction reads one snapshot from its first statement on (WAL).
            Backend::Sqlite => "BEGIN",
            Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
        };
        let mut tx = self.pool.begin_with(begin).await?;
        let migrations = applied_migrations(&mut tx).await?;
        let tables = catalog(&mut tx, self.backend).await?;
        let mut entries = Vec::with_capacity(tables.len());
        for (position, table) in tables.iter().enumerate() {
            let mut report = |rows, finished| {
                progress(TableProgress {
                    phase: BackupPhase::Copying,
                    table: &table.name,
                    index: position + 1,
                    tables: tables.len(),
                    rows,
                    finished,
                })
            };
            let entry = write_table(&mut tx, self.backend, table, dir, &mut report).await?;
            entries.push(entry);
        }
        tx.commit().await?;
        let manifest = BackupManifest {
            format: BACKUP_FORMAT.to_owned(),
            format_version: BACKUP_FORMAT_VERSION,
            created_at: Timestamp::now().to_text(),
            backend: self.backend.code().to_owned(),
            schema_version: migrations.last().copied().unwrap_or(0),
            migrations,
            tables: entries,
        };
        write_manifest(dir, &manifest)?;
        Ok(manifest)
    }

    /// Restores the backup in `dir` into this database, which must be freshly migrated (to
    /// the backup's migrations) and hold nothing else. All or nothing.
    ///
    /// # Errors
    /// - [`StoreError::Io`] when a file cannot be read.
    /// - [`StoreError::Corrupt`] when a file does not match the manifest (its checksum or row
    ///   count) or a line cannot be restored; the message names the file and the line.
    /// - [`StoreError::Conflict`] when the backup's format or migrations differ from this
    ///   build's and this database's, or the database is not empty.
    #[tracing::instrument(skip(self, progress), fields(backend = ?self.backend, dir = %dir.display()))]
    pub async fn restore(
        &self,
        dir: &Path,
        mut progress: impl FnMut(TableProgress<'_>),
    ) -> Result<BackupManifest, StoreError> {
        let manifest = read_manifest(dir)?;
        let baseline = fresh_database_rows().await?;

        // The write lock at once (on SQLite), so nothing writes between the checks and the copy.
        let mut tx = self.begin_write().await?;
        let migrations = applied_migrations(&mut tx).await?;
        if migrations != manifest.migrations {
            return Err(StoreError::Conflict(format!(
                "the backup was taken at schema version {} (migrations {}) but the database is at \
                 schema version {} (migrations {}): restore with the madeby release that took it",
                manifest.schema_version,
                list(&manifest.migrations),
                migrations.last().copied().unwrap_or(0),
                list(&migrations),
            )));
        }
        let tables = catalog(&mut tx, self.backend).await?;
        if self.backend == Backend::Postgres {
            let names: Vec<String> = tables.iter().map(|t| quoted(&t.name)).collect();
            sqlx::query(&format!(
                "LOCK TABLE {} IN EXCLUSIVE MODE",
                names.join(", ")
            ))
            .execute(&mut *tx)
            .await?;
        }
        let seeded = check_empty(&mut tx, &tables, &baseline).await?;
        // Every file is read and checked before the first write.
        let headers = verify_files(dir, &manifest, &mut progress)?;
        let plans = plan_tables(dir, &manifest, &headers, &tables)?;

        match self.backend {
            // SQLite checks foreign keys at commit (PostgreSQL defers only constraints
            // declared deferrable); the table order satisfies them unless tables form a cycle.
            Backend::Sqlite => sqlx::query("PRAGMA defer_foreign_keys = ON"),
            Backend::Postgres => sqlx::query("SET CONSTRAINTS ALL DEFERRED"),
        }
        .execute(&mut *tx)
        .await?;
        for table in tables.iter().rev() {
            if seeded.contains(&table.name) {
                sqlx::query(&format!("DELETE FROM {}", quoted(&table.name)))
                    .execute(&mut *tx)
                    .await?;
            }
        }
        for (position, (table, plan)) in tables.iter().zip(&plans).enumerate() {
            let mut report = |rows, finished| {
                progress(TableProgress {
                    phase: BackupPhase::Copying,
                    table: &table.name,
                    index: position + 1,
                    tables: tables.len(),
                    rows,
                    finished,
                })
            };
            copy_table(&mut tx, self.backend, table, plan, &mut report).await?;
        }
        for (table, plan) in tables.iter().zip(&plans) {
            restore_identity(&mut tx, self.backend, table, plan.identity_last_value).await?;
        }
        tx.commit().await?;
        Ok(manifest)
    }
}

/// The type of a column as a backup records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum ColumnType {
    Integer,
    Real,
    Text,
    Boolean,
    Blob,
}

impl ColumnType {
    fn code(self) -> &'static str {
        match self {
            ColumnType::Integer => "integer",
            ColumnType::Real => "real",
            ColumnType::Text => "text",
            ColumnType::Boolean => "boolean",
            ColumnType::Blob => "blob",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Column {
    name: String,
    #[serde(rename = "type")]
    kind: ColumnType,
}

/// The first line of a table file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct TableHeader {
    table: String,
    columns: Vec<Column>,
}

/// A table as the database catalog describes it.
#[derive(Debug, Clone)]
struct TableInfo {
    name: String,
    columns: Vec<Column>,
    /// Primary-key columns, to write rows in a stable order.
    key: Vec<String>,
    identity: Option<Identity>,
    /// Tables its foreign keys refer to.
    references: BTreeSet<String>,
}

#[derive(Debug, Clone)]
struct Identity {
    column: String,
    /// A PostgreSQL `GENERATED ALWAYS` identity, which takes explicit values only when told.
    always: bool,
}

/// How one table is restored: from which file, and which backup column feeds each table column.
#[derive(Debug)]
struct TablePlan {
    path: std::path::PathBuf,
    rows: u64,
    /// For each column of the table (catalog order), its position in the file's rows.
    positions: Vec<usize>,
    /// Values in each row of the file.
    width: usize,
    identity_last_value: i64,
}

/// A value ready to bind, typed by its column (a NULL too: PostgreSQL wants typed NULLs).
#[derive(Debug)]
enum Cell {
    Integer(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
    Boolean(Option<bool>),
    Blob(Option<Vec<u8>>),
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn bad_line(path: &Path, line: u64, reason: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{}: line {line}: {reason}", path.display()))
}

fn list(versions: &[i64]) -> String {
    let parts: Vec<String> = versions.iter().map(i64::to_string).collect();
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

/// A name from the catalog (checked by [`check_identifier`]), double-quoted for SQL.
fn quoted(name: &str) -> String {
    format!("\"{name}\"")
}

fn check_identifier(name: &str) -> Result<(), StoreError> {
    let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        Ok(())
    } else {
        Err(StoreError::Corrupt(format!(
            "the name {name:?} in the database catalog is not a plain identifier; backup handles only letters, digits and _"
        )))
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

fn unhex(text: &str) -> Result<Vec<u8>, String> {
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("{text:?} is not hex"));
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).map_err(|e| e.to_string()))
        .collect()
}

/// Every migration applied to the database, in order.
async fn applied_migrations(conn: &mut AnyConnection) -> Result<Vec<i64>, StoreError> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT version FROM {MIGRATIONS_TABLE} ORDER BY version"
    ))
    .fetch_all(&mut *conn)
    .await?)
}

/// Every table but sqlx's own, with columns, key, id generator and references, in an order
/// where a table comes after the tables it refers to.
async fn catalog(conn: &mut AnyConnection, backend: Backend) -> Result<Vec<TableInfo>, StoreError> {
    let tables = match backend {
        Backend::Sqlite => sqlite_catalog(conn).await?,
        Backend::Postgres => postgres_catalog(conn).await?,
    };
    Ok(dependency_order(tables))
}

async fn sqlite_catalog(conn: &mut AnyConnection) -> Result<Vec<TableInfo>, StoreError> {
    let rows = sqlx::query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
         AND substr(name, 1, 7) <> 'sqlite_' AND name <> $1 ORDER BY name",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_all(&mut *conn)
    .await?;
    let mut tables = Vec::with_capacity(rows.len());
    for row in rows {
        let name: String = row.try_get("name")?;
        let sql: Option<String> = row.try_get("sql")?;
        check_identifier(&name)?;
        let mut columns = Vec::new();
        let mut key = Vec::new();
        for column in
            sqlx::query("SELECT name, type AS declared, pk FROM pragma_table_info($1) ORDER BY cid")
                .bind(&name)
                .fetch_all(&mut *conn)
                .await?
        {
            let column_name: String = column.try_get("name")?;
            check_identifier(&column_name)?;
            let declared: String = column.try_get("declared")?;
            let kind = sqlite_type(&declared).ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "{name}.{column_name} is declared {declared:?}, a type backup does not handle"
                ))
            })?;
            let pk: i64 = column.try_get("pk")?;
            if pk > 0 {
                key.push((pk, column_name.clone()));
            }
            columns.push(Column {
                name: column_name,
                kind,
            });
        }
        key.sort();
        let key: Vec<String> = key.into_iter().map(|(_, c)| c).collect();
        let autoincrement = sql
            .as_deref()
            .is_some_and(|s| s.to_ascii_uppercase().contains("AUTOINCREMENT"));
        let identity = match key.as_slice() {
            [only] if autoincrement => Some(Identity {
                column: only.clone(),
                always: false,
            }),
            _ => None,
        };
        let references =
            sqlx::query_scalar::<_, String>("SELECT \"table\" FROM pragma_foreign_key_list($1)")
                .bind(&name)
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .collect();
        tables.push(TableInfo {
            name,
            columns,
            key,
            identity,
            references,
        });
    }
    Ok(tables)
}

/// The type of a SQLite column from its declared type, by SQLite's affinity rules.
fn sqlite_type(declared: &str) -> Option<ColumnType> {
    let upper = declared.to_ascii_uppercase();
    if upper.contains("INT") {
        Some(ColumnType::Integer)
    } else if upper.contains("CHAR") || upper.contains("CLOB") || upper.contains("TEXT") {
        Some(ColumnType::Text)
    } else if upper.contains("BLOB") || upper.trim().is_empty() {
        Some(ColumnType::Blob)
    } else if upper.contains("REAL") || upper.contains("FLOA") || upper.contains("DOUB") {
        Some(ColumnType::Real)
    } else if upper.contains("BOOL") {
        Some(ColumnType::Boolean)
    } else {
        None
    }
}

async fn postgres_catalog(conn: &mut AnyConnection) -> Result<Vec<TableInfo>, StoreError> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> $1 \
         ORDER BY 1",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_all(&mut *conn)
    .await?;
    let mut tables = Vec::with_capacity(names.len());
    for name in names {
        check_identifier(&name)?;
        let mut columns = Vec::new();
        let mut identity = None;
        for column in sqlx::query(
            "SELECT CAST(column_name AS TEXT) AS name, CAST(data_type AS TEXT) AS declared, \
             CAST(is_identity AS TEXT) AS is_identity, \
             CAST(identity_generation AS TEXT) AS generation, \
             CAST(column_default AS TEXT) AS default_value \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' \
             ORDER BY ordinal_position",
        )
        .bind(&name)
        .fetch_all(&mut *conn)
        .await?
        {
            let column_name: String = column.try_get("name")?;
            check_identifier(&column_name)?;
            let declared: String = column.try_get("declared")?;
            let kind = postgres_type(&declared).ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "{name}.{column_name} has type {declared}, which backup does not handle"
                ))
            })?;
            let is_identity: Option<String> = column.try_get("is_identity")?;
            let generation: Option<String> = column.try_get("generation")?;
            let default_value: Option<String> = column.try_get("default_value")?;
            if is_identity.as_deref() == Some("YES") {
                identity = Some(Identity {
                    column: column_name.clone(),
                    always: generation.as_deref() == Some("ALWAYS"),
                });
            } else if default_value.is_some_and(|d| d.starts_with("nextval(")) {
                identity = Some(Identity {
                    column: column_name.clone(),
                    always: false,
                });
            }
            columns.push(Column {
                name: column_name,
                kind,
            });
        }
        let key: Vec<String> = sqlx::query_scalar(
            "SELECT CAST(k.column_name AS TEXT) FROM information_schema.table_constraints c \
             JOIN information_schema.key_column_usage k ON k.constraint_schema = c.constraint_schema \
             AND k.constraint_name = c.constraint_name AND k.table_name = c.table_name \
             WHERE c.table_schema = current_schema() AND c.table_name = $1 \
             AND c.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position",
        )
        .bind(&name)
        .fetch_all(&mut *conn)
        .await?;
        let references = sqlx::query_scalar::<_, String>(
            "SELECT CAST(r.relname AS TEXT) FROM pg_constraint c \
             JOIN pg_class t ON t.oid = c.conrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             JOIN pg_class r ON r.oid = c.confrelid \
             WHERE c.contype = 'f' AND n.nspname = current_schema() AND t.relname = $1",
        )
        .bind(&name)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect();
        tables.push(TableInfo {
            name,
            columns,
            key,
            identity,
            references,
        });
    }
    Ok(tables)
}

fn postgres_type(declared: &str) -> Option<ColumnType> {
    match declared {
        "bigint" | "integer" | "smallint" => Some(ColumnType::Integer),
        "double precision" | "real" => Some(ColumnType::Real),
        "text" | "character varying" | "character" => Some(ColumnType::Text),
        "boolean" => Some(ColumnType::Boolean),
        "bytea" => Some(ColumnType::Blob),
        _ => None,
    }
}

/// Orders tables so that each comes after those it refers to (ties by name). Tables in a
/// cycle keep name order: SQLite checks their references at commit, PostgreSQL names the row.
fn dependency_order(mut tables: Vec<TableInfo>) -> Vec<TableInfo> {
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    let known: BTreeSet<String> = tables.iter().map(|t| t.name.clone()).collect();
    let mut placed = BTreeSet::new();
    let mut ordered = Vec::with_capacity(tables.len());
    while !tables.is_empty() {
        let ready = tables.iter().position(|t| {
            t.references
                .iter()
                .all(|r| r == &t.name || placed.contains(r) || !known.contains(r))
        });
        let table = tables.remove(ready.unwrap_or(0));
        placed.insert(table.name.clone());
        ordered.push(table);
    }
    ordered
}

/// `SELECT` of a table's columns in catalog order, rows in key order (all columns without a key).
fn select_sql(table: &TableInfo) -> String {
    let columns: Vec<String> = table.columns.iter().map(|c| quoted(&c.name)).collect();
    let order: Vec<String> = if table.key.is_empty() {
        columns.clone()
    } else {
        table.key.iter().map(|c| quoted(c)).collect()
    };
    format!(
        "SELECT {} FROM {} ORDER BY {}",
        columns.join(", "),
        quoted(&table.name),
        order.join(", ")
    )
}

/// One stored value as the JSON a backup holds, read as its column's type.
fn cell_json(row: &AnyRow, i: usize, column: &Column) -> Result<Value, String> {
    let raw = row.try_get_raw(i).map_err(|e| e.to_string())?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let stored = raw.type_info().kind();
    let found = || format!("a {} value is stored", raw.type_info().name());
    let value = match column.kind {
        ColumnType::Integer if stored.is_integer() => {
            Value::from(row.try_get::<i64, _>(i).map_err(|e| e.to_string())?)
        }
        ColumnType::Real if stored.is_integer() => {
            let n: i64 = row.try_get(i).map_err(|e| e.to_string())?;
            exact_float(n).map(Value::from)?
        }
        ColumnType::Real => {
            let x: f64 = row.try_get(i).map_err(|_| found())?;
            Value::Number(
                serde_json::Number::from_f64(x).ok_or_else(|| {
                    format!("{x} is not a finite number, which a backup cannot hold")
                })?,
            )
        }
        ColumnType::Text => Value::from(row.try_get::<String, _>(i).map_err(|_| found())?),
        ColumnType::Boolean if stored.is_integer() => {
            Value::from(row.try_get::<i64, _>(i).map_err(|e| e.to_string())? != 0)
        }
        ColumnType::Boolean => Value::from(row.try_get::<bool, _>(i).map_err(|_| found())?),
        ColumnType::Blob => Value::from(hex(&row.try_get::<Vec<u8>, _>(i).map_err(|_| found())?)),
        ColumnType::Integer => return Err(found()),
    };
    Ok(value)
}

/// An integer as a float, when the float holds it exactly.
fn exact_float(n: i64) -> Result<f64, String> {
    const EXACT: i64 = 1 << 53;
    if (-EXACT..=EXACT).contains(&n) {
        Ok(n as f64)
    } else {
        Err(format!("{n} has no exact floating-point value"))
    }
}

/// A table's rows as sorted JSON objects (column name to value), for comparing contents
/// whatever the backend and the column order.
async fn table_contents(
    conn: &mut AnyConnection,
    table: &TableInfo,
) -> Result<Vec<String>, StoreError> {
    let rows = sqlx::query(&select_sql(table))
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut object = BTreeMap::new();
        for (i, column) in table.columns.iter().enumerate() {
            let value = cell_json(row, i, column).map_err(|reason| {
                StoreError::Corrupt(format!("{}.{}: {reason}", table.name, column.name))
            })?;
            object.insert(column.name.as_str(), value);
        }
        out.push(serde_json::to_string(&object).expect("JSON values serialise"));
    }
    out.sort();
    Ok(out)
}

/// Digests with SHA-256 what is written through it.
struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn prepare_empty_dir(dir: &Path) -> Result<(), StoreError> {
    let io = io_error(dir);
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(StoreError::Conflict(format!(
                    "{} already holds files: back up into a new or empty folder",
                    dir.display()
                )));
            }
            Ok(())
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(io)
        }
        Err(err) => Err(io(err)),
    }
}

async fn write_table(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &TableInfo,
    dir: &Path,
    progress: &mut impl FnMut(u64, bool),
) -> Result<BackupTable, StoreError> {
    let file_name = format!("{}.jsonl", table.name);
    let path = dir.join(&file_name);
    let io = io_error(&path);
    let file = File::create_new(&path).map_err(&io)?;
    let mut out = HashingWriter {
        inner: BufWriter::with_capacity(1 << 16, file),
        hasher: Sha256::new(),
    };
    let header = TableHeader {
        table: table.name.clone(),
        columns: table.columns.clone(),
    };
    serde_json::to_writer(&mut out, &header).map_err(|e| io(e.into()))?;
    out.write_all(b"\n").map_err(&io)?;
    let sql = select_sql(table);
    let mut rows = sqlx::query(&sql).fetch(&mut *conn);
    let mut count = 0u64;
    let mut values = Vec::with_capacity(table.columns.len());
    while let Some(row) = rows.try_next().await? {
        values.clear();
        for (i, column) in table.columns.iter().enumerate() {
            values.push(cell_json(&row, i, column).map_err(|reason| {
                StoreError::Corrupt(format!(
                    "{}.{} (row {}): {reason}",
                    table.name,
                    column.name,
                    count + 1
                ))
            })?);
        }
        serde_json::to_writer(&mut out, &values).map_err(|e| io(e.into()))?;
        out.write_all(b"\n").map_err(&io)?;
        count += 1;
        if count.is_multiple_of(PROGRESS_EVERY) {
            progress(count, false);
        }
    }
    drop(rows);
    out.flush().map_err(&io)?;
    let sha256 = hex(&out.hasher.finalize());
    let file = out.inner.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(&io)?;
    let identity = match &table.identity {
        Some(identity) => Some(IdentityState {
            column: identity.column.clone(),
            last_value: identity_last_value(conn, backend, table, identity).await?,
        }),
        None => None,
    };
    progress(count, true);
    Ok(BackupTable {
        name: table.name.clone(),
        file: file_name,
        rows: count,
        sha256,
        identity,
    })
}

/// The last value a table's id generator handed out (0 if none).
async fn identity_last_value(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &TableInfo,
    identity: &Identity,
) -> Result<i64, StoreError> {
    let last: Option<i64> = match backend {
        Backend::Sqlite => {
            sqlx::query_scalar("SELECT seq FROM sqlite_sequence WHERE name = $1")
                .bind(&table.name)
                .fetch_optional(&mut *conn)
                .await?
        }
        Backend::Postgres => sqlx::query_scalar(
            "SELECT CAST(pg_sequence_last_value(CAST(pg_get_serial_sequence($1, $2) AS regclass)) AS BIGINT)",
        )
        .bind(quoted(&table.name))
        .bind(&identity.column)
        .fetch_one(&mut *conn)
        .await?,
    };
    Ok(last.unwrap_or(0))
}

fn write_manifest(dir: &Path, manifest: &BackupManifest) -> Result<(), StoreError> {
    let path = dir.join(BACKUP_MANIFEST);
    let partial = dir.join(format!("{BACKUP_MANIFEST}.partial"));
    let io = io_error(&path);
    let mut text = serde_json::to_string_pretty(manifest).map_err(|e| io(e.into()))?;
    text.push('\n');
    let mut file = File::create_new(&partial).map_err(&io)?;
    file.write_all(text.as_bytes()).map_err(&io)?;
    file.sync_all().map_err(&io)?;
    std::fs::rename(&partial, &path).map_err(&io)?;
    // The rename is durable once the folder itself is synced.
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_error(dir))
}

fn read_manifest(dir: &Path) -> Result<BackupManifest, StoreError> {
    let path = dir.join(BACKUP_MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(io_error(&path))?;
    let manifest: BackupManifest = serde_json::from_str(&text).map_err(|e| {
        StoreError::Corrupt(format!("{}: not a backup manifest: {e}", path.display()))
    })?;
    if manifest.format != BACKUP_FORMAT {
        return Err(StoreError::Corrupt(format!(
            "{}: format is {:?}, not {BACKUP_FORMAT:?}",
            path.display(),
            manifest.format
        )));
    }
    if manifest.format_version != BACKUP_FORMAT_VERSION {
        return Err(StoreError::Conflict(format!(
            "{}: backup format version {}; this madeby reads version {BACKUP_FORMAT_VERSION}",
            path.display(),
            manifest.format_version
        )));
    }
    let mut seen = BTreeSet::new();
    for table in &manifest.tables {
        check_identifier(&table.name)?;
        if table.file != format!("{}.jsonl", table.name) || !seen.insert(&table.name) {
            return Err(StoreError::Corrupt(format!(
                "{}: table {} is listed twice or with the file {:?} instead of {}.jsonl",
                path.display(),
                table.name,
                table.file,
                table.name
            )));
        }
    }
    Ok(manifest)
}

/// Checks every file's checksum and row count against the manifest and reads its header,
/// before anything touches the database.
fn verify_files(
    dir: &Path,
    manifest: &BackupManifest,
    progress: &mut impl FnMut(TableProgress<'_>),
) -> Result<HashMap<String, TableHeader>, StoreError> {
    let mut headers = HashMap::with_capacity(manifest.tables.len());
    for (position, table) in manifest.tables.iter().enumerate() {
        let path = dir.join(&table.file);
        let io = io_error(&path);
        let mut reader = BufReader::with_capacity(1 << 16, File::open(&path).map_err(&io)?);
        let mut hasher = Sha256::new();
        let mut line = Vec::new();
        let mut lines = 0u64;
        let mut header = None;
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line).map_err(&io)? == 0 {
                break;
            }
            hasher.update(&line);
            lines += 1;
            if lines == 1 {
                header = Some(
                    serde_json::from_slice::<TableHeader>(&line)
                        .map_err(|e| bad_line(&path, 1, format!("not a table header: {e}")))?,
                );
            }
        }
        let sha256 = hex(&hasher.finalize());
        if !sha256.eq_ignore_ascii_case(&table.sha256) {
            return Err(StoreError::Corrupt(format!(
                "{}: SHA-256 is {sha256} but the manifest says {}: the file changed after the backup was taken",
                path.display(),
                table.sha256
            )));
        }
        let Some(header) = header else {
            return Err(bad_line(&path, 1, "the file is empty"));
        };
        if header.table != table.name {
            return Err(bad_line(
                &path,
                1,
                format!("the header names table {}", header.table),
            ));
        }
        if lines - 1 != table.rows {
            return Err(StoreError::Corrupt(format!(
                "{}: {} rows but the manifest says {}",
                path.display(),
                lines - 1,
                table.rows
            )));
        }
        progress(TableProgress {
            phase: BackupPhase::Verifying,
            table: &table.name,
            index: position + 1,
            tables: manifest.tables.len(),
            rows: table.rows,
            finished: true,
        });
        headers.insert(table.name.clone(), header);
    }
    Ok(headers)
}

/// Matches the backup's tables and columns to the database's, one plan per database table.
fn plan_tables(
    dir: &Path,
    manifest: &BackupManifest,
    headers: &HashMap<String, TableHeader>,
    tables: &[TableInfo],
) -> Result<Vec<TablePlan>, StoreError> {
    let in_database: BTreeSet<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    let in_backup: BTreeSet<&str> = manifest.tables.iter().map(|t| t.name.as_str()).collect();
    if in_database != in_backup {
        let only_backup: Vec<&str> = in_backup.difference(&in_database).copied().collect();
        let only_database: Vec<&str> = in_database.difference(&in_backup).copied().collect();
        return Err(StoreError::Conflict(format!(
            "the backup's tables differ from the database's: only in the backup: [{}]; only in the database: [{}]",
            only_backup.join(", "),
            only_database.join(", ")
        )));
    }
    let mut plans = Vec::with_capacity(tables.len());
    for table in tables {
        let entry = manifest
            .tables
            .iter()
            .find(|t| t.name == table.name)
            .expect("the table sets are equal");
        let header = &headers[&table.name];
        let path = dir.join(&entry.file);
        let file_columns: BTreeSet<&str> = header.columns.iter().map(|c| c.name.as_str()).collect();
        let db_columns: BTreeSet<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
        if file_columns != db_columns || file_columns.len() != header.columns.len() {
            return Err(StoreError::Conflict(format!(
                "{}: columns [{}] differ from those of table {} in the database: [{}]",
                path.display(),
                header
                    .columns
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                table.name,
                table
                    .columns
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let positions = table
            .columns
            .iter()
            .map(|c| {
                header
                    .columns
                    .iter()
                    .position(|h| h.name == c.name)
                    .expect("the column sets are equal")
            })
            .collect();
        let identity_last_value = match (&entry.identity, &table.identity) {
            (Some(saved), Some(identity)) if saved.column == identity.column => saved.last_value,
            _ => 0,
        };
        plans.push(TablePlan {
            path,
            rows: entry.rows,
            positions,
            width: header.columns.len(),
            identity_last_value,
        });
    }
    Ok(plans)
}

/// The rows a freshly migrated database holds (seed rows such as the directory's revision
/// counter), by table, from a throwaway in-memory SQLite database.
async fn fresh_database_rows() -> Result<HashMap<String, Vec<String>>, StoreError> {
    sqlx::any::install_default_drivers();
    // One connection that never closes: an in-memory database lives as long as it.
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .min_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .connect("sqlite::memory:")
        .await?;
    let scratch = Store {
        pool,
        backend: Backend::Sqlite,
    };
    scratch.migrate().await?;
    let mut conn = scratch.pool.acquire().await?;
    let mut rows = HashMap::new();
    for table in catalog(&mut conn, Backend::Sqlite).await? {
        let contents = table_contents(&mut conn, &table).await?;
        rows.insert(table.name, contents);
    }
    drop(conn);
    scratch.close().await;
    Ok(rows)
}

/// Refuses a database holding rows a fresh migration would not have put there; returns the
/// tables that hold only such seed rows, which the restore replaces.
async fn check_empty(
    conn: &mut AnyConnection,
    tables: &[TableInfo],
    fresh: &HashMap<String, Vec<String>>,
) -> Result<BTreeSet<String>, StoreError> {
    let mut seeded = BTreeSet::new();
    for table in tables {
        let count: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", quoted(&table.name)))
                .fetch_one(&mut *conn)
                .await?;
        if count == 0 {
            continue;
        }
        let seed = fresh.get(&table.name).filter(|rows| !rows.is_empty());
        if let Some(seed) = seed {
            if table_contents(conn, table).await? == *seed {
                seeded.insert(table.name.clone());
                continue;
            }
        }
        return Err(StoreError::Conflict(format!(
            "the database is not empty (table {} has {count} rows): restore into a new database, \
             a new SQLite file or an empty PostgreSQL database",
            table.name
        )));
    }
    Ok(seeded)
}

/// A backup value as a value of the database column's type.
fn cell(value: Value, kind: ColumnType) -> Result<Cell, String> {
    if value.is_null() {
        return Ok(match kind {
            ColumnType::Integer => Cell::Integer(None),
            ColumnType::Real => Cell::Real(None),
            ColumnType::Text => Cell::Text(None),
            ColumnType::Boolean => Cell::Boolean(None),
            ColumnType::Blob => Cell::Blob(None),
        });
    }
    let wrong = |value: &Value| format!("expected {}, found {value}", kind.code());
    Ok(match (kind, value) {
        (ColumnType::Integer, Value::Number(n)) if n.is_i64() => Cell::Integer(n.as_i64()),
        (ColumnType::Integer, Value::Bool(b)) => Cell::Integer(Some(i64::from(b))),
        (ColumnType::Real, Value::Number(n)) => match n.as_i64() {
            Some(i) if !n.is_f64() => Cell::Real(Some(exact_float(i)?)),
            _ => Cell::Real(Some(
                n.as_f64().ok_or_else(|| format!("{n} is not a number"))?,
            )),
        },
        (ColumnType::Text, Value::String(s)) => Cell::Text(Some(s)),
        (ColumnType::Boolean, Value::Bool(b)) => Cell::Boolean(Some(b)),
        (ColumnType::Boolean, Value::Number(n)) if n.as_i64() == Some(0) => {
            Cell::Boolean(Some(false))
        }
        (ColumnType::Boolean, Value::Number(n)) if n.as_i64() == Some(1) => {
            Cell::Boolean(Some(true))
        }
        (ColumnType::Blob, Value::String(s)) => Cell::Blob(Some(unhex(&s)?)),
        (_, other) => return Err(wrong(&other)),
    })
}

fn insert_sql(backend: Backend, table: &TableInfo, rows: usize) -> String {
    let columns: Vec<String> = table.columns.iter().map(|c| quoted(&c.name)).collect();
    let overriding = match (&table.identity, backend) {
        (Some(identity), Backend::Postgres) if identity.always => " OVERRIDING SYSTEM VALUE",
        _ => "",
    };
    let width = columns.len();
    let tuples: Vec<String> = (0..rows)
        .map(|r| {
            let params: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", params.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO {} ({}){overriding} VALUES {}",
        quoted(&table.name),
        columns.join(", "),
        tuples.join(", ")
    )
}

async fn insert_rows(
    conn: &mut AnyConnection,
    sql: &str,
    rows: &mut Vec<Vec<Cell>>,
) -> Result<(), sqlx::Error> {
    let mut query = sqlx::query(sql);
    for row in rows.drain(..) {
        for cell in row {
            query = match cell {
                Cell::Integer(v) => query.bind(v),
                Cell::Real(v) => query.bind(v),
                Cell::Text(v) => query.bind(v),
                Cell::Boolean(v) => query.bind(v),
                Cell::Blob(v) => query.bind(v),
            };
        }
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

async fn copy_table(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &TableInfo,
    plan: &TablePlan,
    progress: &mut impl FnMut(u64, bool),
) -> Result<(), StoreError> {
    let path = &plan.path;
    let io = io_error(path);
    let reader = BufReader::with_capacity(1 << 16, File::open(path).map_err(&io)?);
    let per_insert = (VALUES_PER_INSERT / table.columns.len().max(1)).clamp(1, 500);
    let full_sql = insert_sql(backend, table, per_insert);
    let mut batch: Vec<Vec<Cell>> = Vec::with_capacity(per_insert);
    // The file line of the batch's first row, for errors.
    let mut batch_start = 2u64;
    let mut count = 0u64;
    let mut lines = reader.lines();
    // The header was read and checked with the checksum.
    lines.next().transpose().map_err(&io)?;
    for (n, line) in lines.enumerate() {
        let line_no = n as u64 + 2;
        let line = line.map_err(&io)?;
        let values: Vec<Value> = serde_json::from_str(&line)
            .map_err(|e| bad_line(path, line_no, format!("not a row of JSON values: {e}")))?;
        if values.len() != plan.width {
            return Err(bad_line(
                path,
                line_no,
                format!("{} values for {} columns", values.len(), plan.width),
            ));
        }
        let mut values: Vec<Option<Value>> = values.into_iter().map(Some).collect();
        let mut row = Vec::with_capacity(table.columns.len());
        for (column, &position) in table.columns.iter().zip(&plan.positions) {
            let value = values[position].take().unwrap_or(Value::Null);
            row.push(cell(value, column.kind).map_err(|reason| {
                bad_line(path, line_no, format!("column {}: {reason}", column.name))
            })?);
        }
        if batch.is_empty() {
            batch_start = line_no;
        }
        batch.push(row);
        count += 1;
        if batch.len() == per_insert {
            insert_rows(conn, &full_sql, &mut batch)
                .await
                .map_err(|e| refused(path, batch_start, line_no, e))?;
        }
        if count.is_multiple_of(PROGRESS_EVERY) {
            progress(count, false);
        }
    }
    if !batch.is_empty() {
        let last = batch_start + batch.len() as u64 - 1;
        insert_rows(conn, &insert_sql(backend, table, batch.len()), &mut batch)
            .await
            .map_err(|e| refused(path, batch_start, last, e))?;
    }
    if count != plan.rows {
        return Err(StoreError::Corrupt(format!(
            "{}: {count} rows but the manifest says {}",
            path.display(),
            plan.rows
        )));
    }
    progress(count, true);
    Ok(())
}

fn refused(path: &Path, first: u64, last: u64, err: sqlx::Error) -> StoreError {
    let lines = if first == last {
        format!("line {first}")
    } else {
        format!("lines {first}-{last}")
    };
    StoreError::Corrupt(format!(
        "{}: {lines}: the database refused the rows: {err}",
        path.display()
    ))
}

/// Moves a table's id generator past both the largest id restored and the last id the source
/// had handed out, so new rows never take an id that was used.
async fn restore_identity(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &TableInfo,
    saved_last_value: i64,
) -> Result<(), StoreError> {
    let Some(identity) = &table.identity else {
        return Ok(());
    };
    let largest: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT MAX({}) FROM {}",
        quoted(&identity.column),
        quoted(&table.name)
    ))
    .fetch_one(&mut *conn)
    .await?;
    let last = largest.unwrap_or(0).max(saved_last_value);
    if last <= 0 {
        return Ok(());
    }
    match backend {
        Backend::Postgres => {
            sqlx::query(
                "SELECT setval(CAST(pg_get_serial_sequence($1, $2) AS regclass), $3, true)",
            )
            .bind(quoted(&table.name))
            .bind(&identity.column)
            .bind(last)
            .execute(&mut *conn)
            .await?;
        }
        Backend::Sqlite => {
            let updated = sqlx::query("UPDATE sqlite_sequence SET seq = $1 WHERE name = $2")
                .bind(last)
                .bind(&table.name)
                .execute(&mut *conn)
                .await?
                .rows_affected();
            if updated == 0 {
                sqlx::query("INSERT INTO sqlite_sequence (name, seq) VALUES ($1, $2)")
                    .bind(&table.name)
                    .bind(last)
                    .execute(&mut *conn)
                    .await?;
            }
        }
    }
    Ok(())
}
