//! A value read from the database that requests may share while it is young, so that a busy
//! route does not ask the database the same question thousands of times a second.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// The latest reading of a value, and when it was taken.
pub(crate) struct Recent<T> {
    /// Held only to look at or replace the pointer, never across an `await`.
    current: RwLock<Option<(Instant, Arc<T>)>>,
    /// Held by the one request that reads the value again, so that the others wait for its
    /// reading instead of each making their own.
    refreshing: tokio::sync::Mutex<()>,
    /// Counts [`Recent::forget`]s: a reading begun before one is returned but not kept.
    forgotten: AtomicU64,
}

impl<T> Recent<T> {
    pub(crate) fn new() -> Recent<T> {
        Recent {
            current: RwLock::new(None),
            refreshing: tokio::sync::Mutex::new(()),
            forgotten: AtomicU64::new(0),
        }
    }

    /// Drops the reading, so that the next request reads the value again: for this
    /// instance's own writes, which its users expect to see at once.
    pub(crate) fn forget(&self) {
        self.forgotten.fetch_add(1, Ordering::SeqCst);
        *self
            .current
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    }

    fn latest(&self) -> Option<(Instant, Arc<T>)> {
        let current = self
            .current
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        current
            .as_ref()
            .map(|(read_at, value)| (*read_at, Arc::clone(value)))
    }

    fn younger_than(&self, max_age: Duration) -> Option<Arc<T>> {
        self.latest()
            .filter(|(read_at, _)| read_at.elapsed() < max_age)
            .map(|(_, value)| value)
    }

    /// The value if it was read less than `max_age` ago, else what `read` makes of the
    /// previous reading (if any). One request reads while the others wait for it; a failed
    /// read keeps nothing, so the next request tries again.
    pub(crate) async fn get<E, Fut>(
        &self,
        max_age: Duration,
        read: impl FnOnce(Option<Arc<T>>) -> Fut,
    ) -> Result<Arc<T>, E>
    where
        Fut: Future<Output = Result<T, E>>,
    {
        if let Some(value) = self.younger_than(max_age) {
            return Ok(value);
        }
        let _refreshing = self.refreshing.lock().await;
        // Another request may have read it while this one waited.
        if let Some(value) = self.younger_than(max_age) {
            return Ok(value);
        }
        let previous = self.latest().map(|(_, value)| value);
        let read_at = Instant::now();
        let forgotten = self.forgotten.load(Ordering::SeqCst);
        let value = Arc::new(read(previous).await?);
        let mut current = self
            .current
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if self.forgotten.load(Ordering::SeqCst) == forgotten {
            *current = Some((read_at, Arc::clone(&value)));
        }
        Ok(value)
    }
}
