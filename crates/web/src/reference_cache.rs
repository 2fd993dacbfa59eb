//! The reference tables as the pages and the API read them: a copy in memory, read again from
//! the database when it is older than [`STALE_AFTER`].
//!
//! Most read routes show reference data, and reading it takes seven queries (the dataset summary
//! fourteen more); paid on every request, that held those routes to a few hundred requests a
//! second. The tables change only through `madeby data load`, perhaps on another instance or
//! from the command line, and every instance sees such a load within [`STALE_AFTER`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use refdata::ReferenceData;
use store::{DatasetSummary, ReferenceLoad, Store, StoreError};

/// How old the copy may be before a request reads the tables again.
pub(crate) const STALE_AFTER: Duration = Duration::from_secs(1);

/// One reading of the reference tables.
struct Snapshot {
    data: ReferenceData,
    summary: Vec<DatasetSummary>,
    last_load: Option<ReferenceLoad>,
    read_at: Instant,
}

/// The copy, shared by the requests of one instance.
pub(crate) struct ReferenceCache {
    current: tokio::sync::Mutex<Option<Arc<Snapshot>>>,
}

impl ReferenceCache {
    pub(crate) fn new() -> ReferenceCache {
        ReferenceCache {
            current: tokio::sync::Mutex::new(None),
        }
    }

    /// The copy, read again first if it is stale. One request reads while the others wait for
    /// it; a failed read keeps nothing, so the next request tries again.
    async fn fresh(&self, store: &Store) -> Result<Arc<Snapshot>, StoreError> {
        let mut current = self.current.lock().await;
        if let Some(snapshot) = current.as_ref() {
            if snapshot.read_at.elapsed() < STALE_AFTER {
                return Ok(Arc::clone(snapshot));
            }
        }
        let snapshot = Arc::new(Snapshot {
            read_at: Instant::now(),
            summary: store.reference_summary().await?,
            data: store.reference_data().await?,
            last_load: store.last_reference_load().await?,
        });
        *current = Some(Arc::clone(&snapshot));
        Ok(snapshot)
    }

    /// What [`Store::reference_data`] returns, from the copy.
    pub(crate) async fn data(&self, store: &Store) -> Result<ReferenceData, StoreError> {
        Ok(self.fresh(store).await?.data.clone())
    }

    /// What [`Store::reference_summary`] returns, from the copy.
    pub(crate) async fn summary(&self, store: &Store) -> Result<Vec<DatasetSummary>, StoreError> {
        Ok(self.fresh(store).await?.summary.clone())
    }

    /// What [`Store::last_reference_load`] returns, from the copy.
    pub(crate) async fn last_load(
        &self,
        store: &Store,
    ) -> Result<Option<ReferenceLoad>, StoreError> {
        Ok(self.fresh(store).await?.last_load.clone())
    }
}
