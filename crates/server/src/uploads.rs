//! Uploaded reports: what was read, the cells corrected by hand (with who, when, old → new),
//! and where they are kept.
//!
//! An upload keeps the report as read and the current report (after corrections); the
//! findings are not stored but computed again from the current report whenever they are
//! shown, so a correction re-runs the checker by construction.
//!
//! [`UploadStore`] is the seam to storage. [`MemoryUploads`] keeps the most recent uploads
//! in memory (they are gone when the server stops); a store-backed implementation goes
//! behind the same trait.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use gongkai_report::{Blank, Report, Value};
use serde::Serialize;

/// A boxed future, for the object-safe async trait.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Who owns an upload: the visitor (browser) that uploaded it, or a logged-in user.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Owner(pub String);

impl Owner {
    pub fn visitor(id: &str) -> Self {
        Owner(format!("visitor:{id}"))
    }

    pub fn user(name: &str) -> Self {
        Owner(format!("user:{name}"))
    }
}

/// One correction of one cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correction {
    /// The cell id.
    pub cell: String,
    /// The value before (`None`: blank).
    pub old: Option<Value>,
    pub new: Option<Value>,
    /// Who made it (a user's display name, or `访客`).
    pub who: String,
    pub at: DateTime<Utc>,
    /// Why (optional).
    pub note: Option<String>,
}

/// A report read from an upload.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// As read from the file.
    pub read: Report,
    /// After the corrections.
    pub current: Report,
    /// Oldest first.
    pub corrections: Vec<Correction>,
}

/// One uploaded file.
#[derive(Debug, Clone, PartialEq)]
pub struct Upload {
    /// Random, unguessable: the link to the upload is the permission to see it.
    pub id: String,
    /// The files uploaded together share a batch id.
    pub batch: String,
    /// The file name as given by the browser (shown escaped, never used as a path).
    pub name: String,
    pub size: usize,
    pub uploaded_at: DateTime<Utc>,
    pub owner: Owner,
    /// The report, or why the file could not be read (Chinese).
    pub result: Result<Checked, String>,
}

/// A failed change of an upload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error("找不到该报告（可能已过期）")]
    NotFound,
    #[error("文件未能读取，不能更正单元格")]
    Unreadable,
    #[error("单元格“{0}”不属于该报告的格式")]
    UnknownCell(String),
    #[error("存储失败：{0}")]
    Storage(String),
}

/// Where uploads are kept.
pub trait UploadStore: Send + Sync {
    /// Keeps new uploads.
    fn insert(&self, uploads: Vec<Upload>) -> BoxFuture<'_, Result<(), UploadError>>;
    /// One upload by id.
    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<Upload>, UploadError>>;
    /// The uploads of a batch, in upload order.
    fn batch<'a>(&'a self, batch: &'a str) -> BoxFuture<'a, Result<Vec<Upload>, UploadError>>;
    /// The owner's uploads, newest first, at most `limit`.
    fn by_owner<'a>(
        &'a self,
        owner: &'a Owner,
        limit: usize,
    ) -> BoxFuture<'a, Result<Vec<Upload>, UploadError>>;
    /// Applies a correction (see [`apply_correction`]) and keeps it; returns the upload.
    fn correct<'a>(
        &'a self,
        id: &'a str,
        correction: Correction,
    ) -> BoxFuture<'a, Result<Upload, UploadError>>;
}

/// Sets the cell in the current report and records the correction. A cell confirmed or
/// corrected by a person is no longer uncertain; a cell given a value is no longer blank,
/// and a cell set blank by hand is listed as blank (printed `（人工更正为空白）`).
pub fn apply_correction(checked: &mut Checked, correction: Correction) -> Result<(), UploadError> {
    let report = &mut checked.current;
    if report.format.cell(&correction.cell).is_none() {
        return Err(UploadError::UnknownCell(correction.cell));
    }
    report.set(&correction.cell, correction.new);
    report.uncertain.retain(|u| u.cell != correction.cell);
    match correction.new {
        Some(_) => report.blanks.retain(|b| b.cell != correction.cell),
        None => {
            if !report.blanks.iter().any(|b| b.cell == correction.cell) {
                let loc = report
                    .format
                    .cell(&correction.cell)
                    .and_then(|i| report.location(i))
                    .unwrap_or(gongkai_report::Location::None);
                report.blanks.push(Blank {
                    cell: correction.cell.clone(),
                    raw: "（人工更正为空白）".to_string(),
                    loc,
                });
            }
        }
    }
    checked.corrections.push(correction);
    Ok(())
}

/// Uploads in memory: the most recent `capacity` files; older ones are dropped.
pub struct MemoryUploads {
    capacity: usize,
    items: Mutex<VecDeque<Upload>>,
}

impl MemoryUploads {
    pub fn new(capacity: usize) -> Self {
        MemoryUploads {
            capacity: capacity.max(1),
            items: Mutex::new(VecDeque::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Upload>> {
        // A panic while holding the lock leaves plain data behind; keep serving it.
        self.items.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for MemoryUploads {
    fn default() -> Self {
        MemoryUploads::new(2000)
    }
}

impl UploadStore for MemoryUploads {
    fn insert(&self, uploads: Vec<Upload>) -> BoxFuture<'_, Result<(), UploadError>> {
        let mut items = self.lock();
        for u in uploads {
            items.push_back(u);
        }
        while items.len() > self.capacity {
            items.pop_front();
        }
        Box::pin(std::future::ready(Ok(())))
    }

    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<Upload>, UploadError>> {
        let found = self.lock().iter().find(|u| u.id == id).cloned();
        Box::pin(std::future::ready(Ok(found)))
    }

    fn batch<'a>(&'a self, batch: &'a str) -> BoxFuture<'a, Result<Vec<Upload>, UploadError>> {
        let found = self
            .lock()
            .iter()
            .filter(|u| u.batch == batch)
            .cloned()
            .collect();
        Box::pin(std::future::ready(Ok(found)))
    }

    fn by_owner<'a>(
        &'a self,
        owner: &'a Owner,
        limit: usize,
    ) -> BoxFuture<'a, Result<Vec<Upload>, UploadError>> {
        let found = self
            .lock()
            .iter()
            .rev()
            .filter(|u| &u.owner == owner)
            .take(limit)
            .cloned()
            .collect();
        Box::pin(std::future::ready(Ok(found)))
    }

    fn correct<'a>(
        &'a self,
        id: &'a str,
        correction: Correction,
    ) -> BoxFuture<'a, Result<Upload, UploadError>> {
        let result = (|| {
            let mut items = self.lock();
            let u = items
                .iter_mut()
                .find(|u| u.id == id)
                .ok_or(UploadError::NotFound)?;
            let checked = u.result.as_mut().map_err(|_| UploadError::Unreadable)?;
            apply_correction(checked, correction)?;
            Ok(u.clone())
        })();
        Box::pin(std::future::ready(result))
    }
}

#[cfg(test)]
mod tests {
    use gongkai_format::FormatVersion;

    use super::*;

    fn upload(id: &str, owner: &Owner) -> Upload {
        let r = Report::new(FormatVersion::Revised2021);
        Upload {
            id: id.into(),
            batch: "b".into(),
            name: "a.txt".into(),
            size: 1,
            uploaded_at: Utc::now(),
            owner: owner.clone(),
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
        store.insert(vec![upload("u1", &me)]).await.unwrap();
        let u = store
            .correct("u1", fix("s3.new_received.total", Some(3)))
            .await
            .unwrap();
        let c = u.result.unwrap();
        assert_eq!(c.current.get("s3.new_received.total"), Some(Value::int(3)));
        assert_eq!(c.read.get("s3.new_received.total"), None);
        assert_eq!(c.corrections.len(), 1);
        assert_eq!(
            store.correct("u1", fix("s9.nothing", Some(1))).await,
            Err(UploadError::UnknownCell("s9.nothing".into()))
        );
        assert_eq!(
            store
                .correct("nope", fix("s3.new_received.total", None))
                .await,
            Err(UploadError::NotFound)
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
    }
}
