//! The reference tables as the pages and the API read them: a copy in memory, read again from
//! the database when it is older than [`STALE_AFTER`].
//!
//! Most read routes show reference data, and reading it takes seven queries (the dataset summary
//! fourteen more); paid on every request, that held those routes to a few hundred requests a
//! second. The tables change only through `madeby data load`, perhaps on another instance or
//! from the command line, and every instance sees such a load within [`STALE_AFTER`].

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use refdata::ReferenceData;
use store::{DatasetSummary, ReferenceLoad, Store, StoreError};

use crate::recent::Recent;

/// How old the copy may be before a request reads the tables again.
pub(crate) const STALE_AFTER: Duration = Duration::from_secs(1);

/// What pages derived from one reading of the tables, by key.
type Views = Mutex<HashMap<String, Arc<dyn Any + Send + Sync>>>;

/// One reading of the reference tables. Requests share it rather than copy it: a copy of every
/// table on each request was most of a busy read route's time.
struct Snapshot {
    data: Arc<ReferenceData>,
    summary: Arc<Vec<DatasetSummary>>,
    last_load: Option<ReferenceLoad>,
    /// Shared by the snapshots of the same load.
    views: Arc<Views>,
}

/// The copy, shared by the requests of one instance.
pub(crate) struct ReferenceCache {
    current: Recent<Snapshot>,
}

impl ReferenceCache {
    pub(crate) fn new() -> ReferenceCache {
        ReferenceCache {
            current: Recent::new(),
        }
    }

    /// The copy, read again first if it is stale.
    async fn fresh(&self, store: &Store) -> Result<Arc<Snapshot>, StoreError> {
        self.current
            .get(STALE_AFTER, |old| async move {
                // The load's number before the tables: a load that lands in between is read
                // with the older number, so the next refresh reads the tables again rather
                // than miss it.
                let last_load = store.last_reference_load().await?;
                let load_id = |load: &Option<ReferenceLoad>| load.as_ref().map(|l| l.id);
                Ok(match old {
                    Some(old) if load_id(&old.last_load) == load_id(&last_load) => Snapshot {
                        data: Arc::clone(&old.data),
                        summary: Arc::clone(&old.summary),
                        views: Arc::clone(&old.views),
                        last_load,
                    },
                    _ => Snapshot {
                        summary: Arc::new(store.reference_summary().await?),
                        data: Arc::new(store.reference_data().await?),
                        views: Arc::default(),
                        last_load,
                    },
                })
            })
            .await
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

    /// What `build` makes of the tables, made once per load and `key`: the key must name
    /// everything besides the tables that the view depends on (the language, the year).
    pub(crate) async fn view<T: Any + Send + Sync>(
        &self,
        store: &Store,
        key: String,
        build: impl FnOnce(&ReferenceData) -> T,
    ) -> Result<Arc<T>, StoreError> {
        let snapshot = self.fresh(store).await?;
        let cached = |views: &Views| {
            let found = views
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .get(&key)
                .cloned();
            found.and_then(|view| view.downcast::<T>().ok())
        };
        if let Some(view) = cached(&snapshot.views) {
            return Ok(view);
        }
        // Built outside the lock; two requests may both build it, and the later one's is kept.
        let view = Arc::new(build(&snapshot.data));
        snapshot
            .views
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(key, Arc::clone(&view) as Arc<dyn Any + Send + Sync>);
        Ok(view)
    }
}
