//! Uploads kept in the database, with a byte-bounded cache in front.
//!
//! # Why the database, and why the report rather than the file
//!
//! The uploads and their hand corrections go in the ledger's own database (tables
//! `check_uploads` and `check_corrections`, migration 0007; a scan's cell images in
//! `check_crops`, migration 0030) rather than in a disk cache
//! under the data directory: the server then has one place to back up and one thing to
//! configure, PostgreSQL deployments with several server processes share the uploads, an
//! upload and its audit row are written in one transaction, and a correction is a row with
//! its own history instead of a file rewritten in place.
//!
//! What is stored is the report as read (JSON, section texts cut to
//! [`super::SECTION_EXCERPT_CHARS`] characters each), not the original bytes: it is what
//! every page and download needs, it is small (a published report reads to 20–60 KB of
//! JSON whatever the size of the file, a padded 14 MB text to at most ~150 KB), and
//! showing an upload again never re-runs the reader (the expensive part). The file's
//! SHA-256 is kept to identify it.
//!
//! # Several processes
//!
//! Each process has its own cache; a copy is served only after one indexed query finds
//! its version (the number of its last correction) unchanged in the database
//! ([`Store::check_upload_version`]), so a correction made through another process —
//! or an upload purged by it — is never shown stale. The query costs far less than what
//! the cache saves (reading the report's JSON and applying the corrections again).
//!
//! # Memory
//!
//! Memory holds at most `cache_bytes` of reports (an estimate: twice the JSON's length, for
//! the report as read and as corrected), least recently used evicted first; a miss loads
//! from the database. Upload lists come from the table's summary columns (title, format,
//! counts) without loading reports.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use gongkai_report::{Report, Value};
use gongkai_store::{CheckCorrection, CheckUpload, Store};

use super::{
    Acting, BoxFuture, Checked, Correction, Owner, Summary, Upload, UploadError, UploadStore,
    Usage, apply_correction, counts,
};

/// The most files of one batch loaded at once.
const BATCH_LIMIT: usize = 1000;

/// Uploads in the database behind an LRU cache of at most `cache_bytes`.
pub struct StoredUploads {
    store: Store,
    cache: Mutex<Cache>,
}

impl StoredUploads {
    pub fn new(store: Store, cache_bytes: usize) -> Self {
        StoredUploads {
            store,
            cache: Mutex::new(Cache::new(cache_bytes)),
        }
    }

    /// The store of the request's agency ([`crate::context::agency`]: the signed-in
    /// user's, the root agency for visitors): uploads are kept, listed and corrected in
    /// it, so an upload of another agency is not found. The cache is shared, but a copy is
    /// served only after the scoped version query finds it.
    fn scoped(&self) -> Store {
        self.store.in_agency(crate::context::agency())
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Bytes of reports held in memory now (an estimate).
    pub fn cached_bytes(&self) -> usize {
        self.cache().used
    }

    async fn load(&self, id: &str) -> Result<Option<Arc<Upload>>, UploadError> {
        let cached = self.cache().get(id);
        if let Some(u) = cached {
            // Another process on the database may have corrected (or purged) it: the
            // copy is served only while its version is the stored one.
            // The version query runs in the request's agency: an upload of another agency
            // is not found (and stays cached for its own).
            match self.scoped().check_upload_version(id).await? {
                Some(v) if v as usize == version(&u) => return Ok(Some(u)),
                None => return Ok(None),
                Some(_) => self.cache().remove(id),
            }
        }
        let Some((row, corrections)) = self.scoped().check_upload(id).await? else {
            return Ok(None);
        };
        let weight = weight(&row);
        let u = Arc::new(from_row(row, corrections)?);
        self.cache().put(u.clone(), weight);
        Ok(Some(u))
    }
}

/// An upload's version as the database counts it: its corrections (numbered 1, 2, …).
fn version(u: &Upload) -> usize {
    u.result.as_ref().map_or(0, |c| c.corrections.len())
}

/// The cache's estimate of an upload's memory.
fn weight(row: &CheckUpload) -> usize {
    let report = row.report.as_ref().map_or_else(String::len, String::len);
    2 * report + row.name.len() + 512
}

fn value_text(v: Option<Value>) -> Option<String> {
    v.map(|v| v.0.normalize().to_string())
}

fn value_of(text: Option<String>, id: &str) -> Result<Option<Value>, UploadError> {
    text.map(|t| {
        rust_decimal::Decimal::from_str(&t)
            .map(Value)
            .map_err(|_| UploadError::Storage(format!("报告 {id} 的更正值“{t}”不是数字")))
    })
    .transpose()
}

fn to_row(u: &Upload) -> Result<CheckUpload, UploadError> {
    let s = Summary::of(u);
    let report = match &u.result {
        Ok(c) => {
            Ok(serde_json::to_string(&c.read).map_err(|e| UploadError::Storage(e.to_string()))?)
        }
        Err(e) => Err(e.clone()),
    };
    Ok(CheckUpload {
        id: u.id.clone(),
        batch: u.batch.clone(),
        owner: u.owner.0.clone(),
        client: u.client.clone(),
        name: u.name.clone(),
        size: u.size as u64,
        sha256: u.sha256.clone(),
        uploaded_at: u.uploaded_at,
        report,
        title: s.title,
        format: s.format,
        errors: u32::try_from(s.errors).unwrap_or(u32::MAX),
        warnings: u32::try_from(s.warnings).unwrap_or(u32::MAX),
    })
}

fn from_row(row: CheckUpload, corrections: Vec<CheckCorrection>) -> Result<Upload, UploadError> {
    let result = match row.report {
        Err(e) => Err(e),
        Ok(json) => {
            let read: Report = serde_json::from_str(&json)
                .map_err(|e| UploadError::Storage(format!("报告 {} 无法读回：{e}", row.id)))?;
            let mut checked = Checked {
                current: read.clone(),
                read,
                corrections: Vec::with_capacity(corrections.len()),
            };
            for k in corrections {
                let c = Correction {
                    old: value_of(k.old, &row.id)?,
                    new: value_of(k.new, &row.id)?,
                    cell: k.cell,
                    who: k.who,
                    at: k.at,
                    note: k.note,
                };
                apply_correction(&mut checked, c)?;
            }
            Ok(checked)
        }
    };
    Ok(Upload {
        id: row.id,
        batch: row.batch,
        name: row.name,
        size: usize::try_from(row.size).unwrap_or(usize::MAX),
        sha256: row.sha256,
        uploaded_at: row.uploaded_at,
        owner: Owner(row.owner),
        client: row.client,
        result,
    })
}

fn summary_of(row: CheckUpload) -> Summary {
    Summary {
        unreadable: row.report.is_err(),
        id: row.id,
        batch: row.batch,
        name: row.name,
        title: row.title,
        format: row.format,
        errors: row.errors as usize,
        warnings: row.warnings as usize,
        uploaded_at: row.uploaded_at,
    }
}

impl UploadStore for StoredUploads {
    fn insert(&self, uploads: Vec<Upload>) -> BoxFuture<'_, Result<(), UploadError>> {
        Box::pin(async move {
            // The summaries run the checker and the reports are serialised: CPU work, off
            // the runtime's threads.
            let (uploads, rows) = tokio::task::spawn_blocking(move || {
                let rows = uploads.iter().map(to_row).collect::<Result<Vec<_>, _>>();
                (uploads, rows)
            })
            .await
            .map_err(|e| UploadError::Storage(e.to_string()))?;
            let rows = rows?;
            self.scoped().insert_check_uploads(&rows).await?;
            let mut cache = self.cache();
            for (u, row) in uploads.into_iter().zip(&rows) {
                cache.put(Arc::new(u), weight(row));
            }
            Ok(())
        })
    }

    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<Arc<Upload>>, UploadError>> {
        Box::pin(self.load(id))
    }

    fn batch<'a>(&'a self, batch: &'a str) -> BoxFuture<'a, Result<Vec<Arc<Upload>>, UploadError>> {
        Box::pin(async move {
            // Whole batches are read for downloads only: not worth caching.
            let rows = self.scoped().check_batch(batch, BATCH_LIMIT).await?;
            rows.into_iter()
                .map(|(row, k)| from_row(row, k).map(Arc::new))
                .collect()
        })
    }

    fn batch_list<'a>(
        &'a self,
        batch: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Summary>, UploadError>> {
        Box::pin(async move {
            let rows = self.scoped().check_batch_list(batch, BATCH_LIMIT).await?;
            Ok(rows.into_iter().map(summary_of).collect())
        })
    }

    fn by_owner<'a>(
        &'a self,
        owner: &'a Owner,
        limit: usize,
    ) -> BoxFuture<'a, Result<Vec<Summary>, UploadError>> {
        Box::pin(async move {
            let rows = self.scoped().check_uploads_of(&owner.0, limit).await?;
            Ok(rows.into_iter().map(summary_of).collect())
        })
    }

    fn correct<'a>(
        &'a self,
        id: &'a str,
        correction: Correction,
        by: &'a Acting,
    ) -> BoxFuture<'a, Result<Arc<Upload>, UploadError>> {
        Box::pin(async move {
            let u = self.load(id).await?.ok_or(UploadError::NotFound)?;
            let mut next = Upload::clone(&u);
            let checked = next.result.as_mut().map_err(|_| UploadError::Unreadable)?;
            apply_correction(checked, correction.clone())?;
            let (errors, warnings) = counts(&gongkai_check::check(&checked.current));
            let row = CheckCorrection {
                seq: 0,
                cell: correction.cell,
                old: value_text(correction.old),
                new: value_text(correction.new),
                who: correction.who,
                at: correction.at,
                note: correction.note,
            };
            self.scoped()
                .add_check_correction(
                    id,
                    row,
                    u32::try_from(errors).unwrap_or(u32::MAX),
                    u32::try_from(warnings).unwrap_or(u32::MAX),
                    &by.owner.0,
                    &by.client,
                )
                .await?;
            // Another process may have corrected it too: read it back rather than trust
            // the copy (the cache is per process).
            self.cache().remove(id);
            Ok(self.load(id).await?.unwrap_or_else(|| Arc::new(next)))
        })
    }

    fn usage<'a>(
        &'a self,
        owner: Option<&'a Owner>,
        since: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<Usage, UploadError>> {
        Box::pin(async move {
            Ok(self
                .store
                .check_usage(owner.map(|o| o.0.as_str()), since)
                .await?)
        })
    }

    fn purge(&self, before: DateTime<Utc>) -> BoxFuture<'_, Result<u64, UploadError>> {
        Box::pin(async move {
            let n = self.store.purge_check_uploads(before, Utc::now()).await?;
            if n > 0 {
                self.cache().retain(|u| u.uploaded_at >= before);
            }
            Ok(n)
        })
    }

    fn put_crops<'a>(
        &'a self,
        id: &'a str,
        crops: Vec<super::CellImage>,
    ) -> BoxFuture<'a, Result<(), UploadError>> {
        Box::pin(async move { Ok(self.scoped().put_check_crops(id, &crops).await?) })
    }

    fn crops<'a>(
        &'a self,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<super::CellImage>, UploadError>> {
        Box::pin(async move { Ok(self.scoped().check_crops(id).await?) })
    }
}

/// A least-recently-used cache bounded by the sum of its entries' weights.
struct Cache {
    budget: usize,
    used: usize,
    tick: u64,
    entries: HashMap<String, (Arc<Upload>, usize, u64)>,
    /// Last use → id, oldest first.
    order: BTreeMap<u64, String>,
}

impl Cache {
    fn new(budget: usize) -> Self {
        Cache {
            budget,
            used: 0,
            tick: 0,
            entries: HashMap::new(),
            order: BTreeMap::new(),
        }
    }

    fn get(&mut self, id: &str) -> Option<Arc<Upload>> {
        self.tick += 1;
        let tick = self.tick;
        let (u, _, last) = self.entries.get_mut(id)?;
        self.order.remove(last);
        *last = tick;
        self.order.insert(tick, id.to_string());
        Some(u.clone())
    }

    fn put(&mut self, u: Arc<Upload>, weight: usize) {
        self.remove(&u.id);
        if weight > self.budget {
            return; // larger than the whole cache: served from the database each time
        }
        self.tick += 1;
        self.used += weight;
        self.order.insert(self.tick, u.id.clone());
        self.entries.insert(u.id.clone(), (u, weight, self.tick));
        while self.used > self.budget {
            let Some((_, id)) = self.order.pop_first() else {
                break;
            };
            if let Some((_, w, _)) = self.entries.remove(&id) {
                self.used -= w;
            }
        }
    }

    fn remove(&mut self, id: &str) {
        if let Some((_, w, last)) = self.entries.remove(id) {
            self.used -= w;
            self.order.remove(&last);
        }
    }

    fn retain(&mut self, keep: impl Fn(&Upload) -> bool) {
        let gone: Vec<String> = self
            .entries
            .iter()
            .filter(|(_, (u, _, _))| !keep(u))
            .map(|(id, _)| id.clone())
            .collect();
        for id in gone {
            self.remove(&id);
        }
    }
}

#[cfg(test)]
mod tests {
    use gongkai_format::FormatVersion;

    use super::*;

    fn upload(id: &str) -> Arc<Upload> {
        let r = Report::new(FormatVersion::Revised2021);
        Arc::new(Upload {
            id: id.into(),
            batch: "b".into(),
            name: "a.txt".into(),
            size: 1,
            sha256: String::new(),
            uploaded_at: Utc::now(),
            owner: Owner::visitor("v"),
            client: "-".into(),
            result: Ok(Checked {
                read: r.clone(),
                current: r,
                corrections: vec![],
            }),
        })
    }

    #[test]
    fn the_cache_stays_within_its_budget_and_evicts_the_least_recently_used() {
        let mut c = Cache::new(300);
        c.put(upload("a"), 100);
        c.put(upload("b"), 100);
        c.put(upload("c"), 100);
        assert!(c.get("a").is_some()); // a is now the most recent
        c.put(upload("d"), 100);
        assert_eq!(c.used, 300);
        assert!(c.get("b").is_none(), "b was the least recently used");
        assert!(c.get("a").is_some() && c.get("c").is_some() && c.get("d").is_some());
        c.put(upload("huge"), 301);
        assert!(c.get("huge").is_none());
        assert_eq!(c.used, 300);
        c.remove("a");
        assert_eq!(c.used, 200);
    }

    #[test]
    fn values_round_trip_as_decimal_text() {
        let v = Some(Value(rust_decimal::Decimal::from_str("110.139").unwrap()));
        assert_eq!(value_of(value_text(v), "x").unwrap(), v);
        assert_eq!(
            value_of(value_text(Some(Value::int(12))), "x").unwrap(),
            Some(Value::int(12))
        );
        assert_eq!(value_of(None, "x").unwrap(), None);
    }
}
