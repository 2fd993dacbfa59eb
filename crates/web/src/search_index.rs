//! The directory's search index inside a server instance, kept in step with the database.
//!
//! The index lives in memory and is built from `directory_entries` on first use. It follows the
//! table through the store's change feed (`directory_changes`: everything after the last
//! revision seen, tombstones included), which serves every instance alike: an edit made through
//! another instance, or the command line, reaches this one within [`STALE_AFTER`]; an edit made
//! through this one is applied before its request returns.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ::directory::{DirectoryError, DirectoryIndex, Entry, EntryId, IndexConfig};
use store::{Store, StoreError};

use crate::error::ApiError;

/// How old the index may be before a search first catches up with the database.
pub const STALE_AFTER: Duration = Duration::from_millis(250);

/// Rows read from the change feed at a time.
const PAGE: i64 = 5_000;

/// The index and how far it has read the change feed.
pub struct DirectorySearch {
    index: Arc<DirectoryIndex>,
    follow: tokio::sync::Mutex<Cursor>,
}

struct Cursor {
    after: (i64, i64),
    checked: Option<Instant>,
}

impl From<DirectoryError> for ApiError {
    fn from(err: DirectoryError) -> ApiError {
        if err.is_user_error() {
            ApiError::field("directory", err)
        } else {
            ApiError::Internal(err.into())
        }
    }
}

impl DirectorySearch {
    /// An empty in-memory index, filled on first use.
    pub fn new() -> Result<DirectorySearch, DirectoryError> {
        let config = IndexConfig {
            memory_budget_bytes: 64 << 20,
            threads: 1,
        };
        Ok(DirectorySearch {
            index: Arc::new(DirectoryIndex::create_in_ram(&config)?),
            follow: tokio::sync::Mutex::new(Cursor {
                after: (0, 0),
                checked: None,
            }),
        })
    }

    /// The index, caught up with the database if it was last checked more than
    /// [`STALE_AFTER`] ago.
    pub async fn fresh(&self, store: &Store) -> Result<Arc<DirectoryIndex>, ApiError> {
        let mut cursor = self.follow.lock().await;
        if cursor.checked.is_none_or(|at| at.elapsed() >= STALE_AFTER) {
            self.catch_up(store, &mut cursor).await?;
        }
        Ok(Arc::clone(&self.index))
    }

    /// Applies every change after the cursor, now (after this instance's own writes).
    pub async fn sync_now(&self, store: &Store) -> Result<(), ApiError> {
        let mut cursor = self.follow.lock().await;
        self.catch_up(store, &mut cursor).await
    }

    async fn catch_up(&self, store: &Store, cursor: &mut Cursor) -> Result<(), ApiError> {
        let started = Instant::now();
        loop {
            let changes = store
                .directory_changes(cursor.after, PAGE)
                .await
                .map_err(ApiError::from)?;
            let Some(last) = changes.last() else { break };
            cursor.after = (last.revision, to_sql(last.id)?);
            let full = changes.len() as i64 == PAGE;
            let (gone, live): (Vec<_>, Vec<_>) = changes.into_iter().partition(|r| r.deleted);
            let removed: Vec<EntryId> = gone.iter().map(|r| r.id).collect();
            let upserts: Vec<Entry> = live
                .into_iter()
                .map(|r| Entry::new(r.id, r.profile))
                .collect();
            let index = Arc::clone(&self.index);
            // Indexing is CPU work: off the async threads.
            tokio::task::spawn_blocking(move || {
                index.remove_batch(&removed)?;
                index.upsert_batch(&upserts)
            })
            .await
            .map_err(|e| ApiError::Internal(e.into()))??;
            if !full {
                break;
            }
        }
        cursor.checked = Some(Instant::now());
        if started.elapsed() > Duration::from_millis(500) {
            tracing::info!(
                entries = self.index.len(),
                elapsed_ms = started.elapsed().as_millis() as u64,
                "directory index caught up"
            );
        }
        Ok(())
    }
}

fn to_sql(id: EntryId) -> Result<i64, ApiError> {
    i64::try_from(id.get()).map_err(|_| ApiError::Internal(StoreError::NotFound.into()))
}
