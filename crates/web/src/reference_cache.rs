//! The reference tables as the pages and the API read them: a copy in memory, read again from
//! the database when it is older than [`STALE_AFTER`].
//!
//! Most read routes show reference data, and reading it takes seven queries (the dataset summary
//! fourteen more); paid on every request, that held those routes to a few hundred requests a
//! second. The tables change only through `madeby data load`, perhaps on another instance or
//! from the command line, and every instance sees such a load within [`STALE_AFTER`].

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use refdata::ReferenceData;
use store::{DatasetSummary, ReferenceLoad, Store, StoreError};

/// How old the copy may be before a request reads the tables again.
pub(crate) const STALE_AFTER: Duration = Duration::from_secs(1);

/// One reading of the reference tables. Requests share it rather than copy it: a copy of every
/// table on each request was most of a busy read route's time.
struct Snapshot {
    data: Arc<ReferenceData>,
    summary: Arc<Vec<DatasetSummary>>,
    last_load: Option<ReferenceLoad>,
    read_at: Instant,
}

/// The copy, shared by the requests of one instance.
pub(crate) struct ReferenceCache {
    /// Held only to look at or replace the pointer, never across an `await`.
    current: RwLock<Option<Arc<Snapshot>>>,
    /// Held by the one request that reads the tables again, so that the others wait for its
    /// reading instead of each making their own.
    refreshing: tokio::sync::Mutex<()>,
}

impl ReferenceCache {
    pub(crate) fn new() -> ReferenceCache {
        ReferenceCache {
            current: RwLock::new(None),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// The copy if it is fresh.
    fn fresh_copy(&self) -> Option<Arc<Snapshot>> {
        let current = self
            .current
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        current
            .as_ref()
            .filter(|snapshot| snapshot.read_at.elapsed() < STALE_AFTER)
            .map(Arc::clone)
    }

    /// The copy, read again first if it is stale. One request reads while the others wait for
    /// it; a failed read keeps nothing, so the next request tries again.
    async fn fresh(&self, store: &Store) -> Result<Arc<Snapshot>, StoreError> {
        if let Some(snapshot) = self.fresh_copy() {
            return Ok(snapshot);
        }
        let _refreshing = self.refreshing.lock().await;
        // Another request may have read the tables while this one waited.
        if let Some(snapshot) = self.fresh_copy() {
            return Ok(snapshot);
        }
        let snapshot = Arc::new(Snapshot {
            read_at: Instant::now(),
            summary: Arc::new(store.reference_summary().await?),
            data: Arc::new(store.reference_data().await?),
            last_load: store.last_reference_load().await?,
        });
        *self
            .current
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Arc::clone(&snapshot));
        Ok(snapshot)
    }

    /// What [`Store::reference_data`] returns, from the copy.
    pub(crate) async fn data(&self, store: &Store) -> Result<Arc<ReferenceData>, StoreError> {
        Ok(Arc::clone(&self.fresh(store).await?.data))
    }

    /// What [`Store::reference_summary`] returns, from the copy.
    pub(crate) async fn summary(
        &self,
        store: &Store,
    ) -> Result<Arc<Vec<DatasetSummary>>, StoreError> {
        Ok(Arc::clone(&self.fresh(store).await?.summary))
    }

    /// What [`Store::last_reference_load`] returns, from the copy.
    pub(crate) async fn last_load(
        &self,
        store: &Store,
    ) -> Result<Option<ReferenceLoad>, StoreError> {
        Ok(self.fresh(store).await?.last_load.clone())
    }
}
