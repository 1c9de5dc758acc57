//! Uploads in memory (tests, demonstrations): gone when the process ends.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use super::{
    Acting, BoxFuture, Correction, Owner, Summary, Upload, UploadError, UploadStore, Usage,
    apply_correction,
};

/// The most recent `capacity` files; older ones are dropped.
pub struct MemoryUploads {
    capacity: usize,
    items: Mutex<VecDeque<Arc<Upload>>>,
}

impl MemoryUploads {
    pub fn new(capacity: usize) -> Self {
        MemoryUploads {
            capacity: capacity.max(1),
            items: Mutex::new(VecDeque::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Arc<Upload>>> {
        // A panic while holding the lock leaves plain data behind; keep serving it.
        self.items.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for MemoryUploads {
    fn default() -> Self {
        MemoryUploads::new(2000)
    }
}

fn ready<'a, T: Send + 'a>(v: T) -> BoxFuture<'a, T> {
    Box::pin(std::future::ready(v))
}

impl UploadStore for MemoryUploads {
    fn insert(&self, uploads: Vec<Upload>) -> BoxFuture<'_, Result<(), UploadError>> {
        let mut items = self.lock();
        for u in uploads {
            items.push_back(Arc::new(u));
        }
        while items.len() > self.capacity {
            items.pop_front();
        }
        ready(Ok(()))
    }

    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<Arc<Upload>>, UploadError>> {
        let found = self.lock().iter().find(|u| u.id == id).cloned();
        ready(Ok(found))
    }

    fn batch<'a>(&'a self, batch: &'a str) -> BoxFuture<'a, Result<Vec<Arc<Upload>>, UploadError>> {
        let found = self
            .lock()
            .iter()
            .filter(|u| u.batch == batch)
            .cloned()
            .collect();
        ready(Ok(found))
    }

    fn batch_list<'a>(
        &'a self,
        batch: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Summary>, UploadError>> {
        let found: Vec<Arc<Upload>> = self
            .lock()
            .iter()
            .filter(|u| u.batch == batch)
            .cloned()
            .collect();
        ready(Ok(found.iter().map(|u| Summary::of(u)).collect()))
    }

    fn by_owner<'a>(
        &'a self,
        owner: &'a Owner,
        limit: usize,
    ) -> BoxFuture<'a, Result<Vec<Summary>, UploadError>> {
        let found: Vec<Arc<Upload>> = self
            .lock()
            .iter()
            .rev()
            .filter(|u| &u.owner == owner)
            .take(limit)
            .cloned()
            .collect();
        ready(Ok(found.iter().map(|u| Summary::of(u)).collect()))
    }

    fn correct<'a>(
        &'a self,
        id: &'a str,
        correction: Correction,
        _by: &'a Acting,
    ) -> BoxFuture<'a, Result<Arc<Upload>, UploadError>> {
        let result = (|| {
            let mut items = self.lock();
            let slot = items
                .iter_mut()
                .find(|u| u.id == id)
                .ok_or(UploadError::NotFound)?;
            let mut u = Upload::clone(slot);
            let checked = u.result.as_mut().map_err(|_| UploadError::Unreadable)?;
            apply_correction(checked, correction)?;
            *slot = Arc::new(u);
            Ok(slot.clone())
        })();
        ready(result)
    }

    fn usage<'a>(
        &'a self,
        owner: Option<&'a Owner>,
        since: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<Usage, UploadError>> {
        let mut usage = Usage::default();
        for u in self.lock().iter() {
            if u.uploaded_at >= since && owner.is_none_or(|o| &u.owner == o) {
                usage.files += 1;
                usage.bytes += u.size as u64;
            }
        }
        ready(Ok(usage))
    }

    fn purge(&self, before: DateTime<Utc>) -> BoxFuture<'_, Result<u64, UploadError>> {
        let mut items = self.lock();
        let n = items.len();
        items.retain(|u| u.uploaded_at >= before);
        ready(Ok((n - items.len()) as u64))
    }
}

#[cfg(test)]
mod tests {
    use gongkai_format::FormatVersion;
    use gongkai_report::{Report, Value};

    use super::super::Checked;
    use super::*;

    pub(crate) fn upload(id: &str, owner: &Owner) -> Upload {
        let r = Report::new(FormatVersion::Revised2021);
        Upload {
            id: id.into(),
            batch: "b".into(),
            name: "a.txt".into(),
            size: 1,
            sha256: String::new(),
            uploaded_at: Utc::now(),
            owner: owner.clone(),
            client: "-".into(),
            result: Ok(Checked {
                read: r.clone(),
                current: r,
                corrections: vec![],
            }),
        }
    }

    fn fix(cell: &str, new: Option<i64>) -> Correction {
        Correction {
            cell: cell.into(),
            old: None,
            new: new.map(Value::int),
            who: "访客".into(),
            at: Utc::now(),
            note: None,
        }
    }

    #[tokio::test]
    async fn corrections_are_kept_with_history_and_clear_uncertainty() {
        let store = MemoryUploads::new(10);
        let me = Owner::visitor("v1");
        let by = Acting {
            owner: me.clone(),
            client: "-".into(),
        };
        store.insert(vec![upload("u1", &me)]).await.unwrap();
        let u = store
            .correct("u1", fix("s3.new_received.total", Some(3)), &by)
            .await
            .unwrap();
        let c = u.result.as_ref().unwrap();
        assert_eq!(c.current.get("s3.new_received.total"), Some(Value::int(3)));
        assert_eq!(c.read.get("s3.new_received.total"), None);
        assert_eq!(c.corrections.len(), 1);
        assert_eq!(
            store
                .correct("u1", fix("s9.nothing", Some(1)), &by)
                .await
                .unwrap_err(),
            UploadError::UnknownCell("s9.nothing".into())
        );
        assert_eq!(
            store
                .correct("nope", fix("s3.new_received.total", None), &by)
                .await
                .unwrap_err(),
            UploadError::NotFound
        );
    }

    #[tokio::test]
    async fn capacity_drops_the_oldest() {
        let store = MemoryUploads::new(2);
        let me = Owner::visitor("v1");
        for id in ["a", "b", "c"] {
            store.insert(vec![upload(id, &me)]).await.unwrap();
        }
        assert!(store.get("a").await.unwrap().is_none());
        let mine: Vec<_> = store
            .by_owner(&me, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.id)
            .collect();
        assert_eq!(mine, ["c", "b"]);
        let usage = store.usage(Some(&me), Utc::now() - chrono::Duration::hours(1));
        assert_eq!(usage.await.unwrap().files, 2);
    }
}
