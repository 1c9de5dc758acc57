//! Uploaded reports: what was read, the cells corrected by hand (with who, when, old → new),
//! and where they are kept.
//!
//! An upload keeps the report as read and the current report (after corrections); the
//! findings are not stored but computed again from the current report whenever they are
//! shown, so a correction re-runs the checker by construction.
//!
//! [`UploadStore`] is the seam to storage:
//!
//! * [`StoredUploads`] (the server's): the database (`gongkai_store::check_uploads`,
//!   migration 0007) with a byte-bounded cache in front ([`stored`]). A restart keeps every
//!   upload and hand correction; memory holds only the reports recently shown.
//! * [`MemoryUploads`]: the most recent uploads in memory, gone when the process ends (for
//!   tests and demonstrations without a database).
//!
//! What is kept of a file is the report as read, its section texts cut to
//! [`SECTION_EXCERPT_CHARS`] each ([`excerpt`]): the cells, their provenance, the findings'
//! inputs and a bounded text. The original bytes are not kept (their SHA-256 is).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use gongkai_report::{Blank, Report, Value};
use serde::Serialize;
use sha2::{Digest, Sha256};

mod memory;
pub mod stored;

pub use memory::MemoryUploads;
pub use stored::StoredUploads;

/// A boxed future, for the object-safe async trait.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Who owns an upload: the visitor (browser) that uploaded it, or a logged-in user.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Owner(pub String);

impl Owner {
    /// A visitor's uploads are keyed by a hash of the browser's id (the cookie is the
    /// permission to edit; the database and the audit log do not hold it).
    pub fn visitor(id: &str) -> Self {
        Owner(format!("visitor:{}", &sha256_hex(id.as_bytes())[..32]))
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
    /// SHA-256 of the file's bytes (hex).
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
    pub owner: Owner,
    /// The client's address at the upload (`-` when unknown).
    pub client: String,
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

impl From<gongkai_store::StoreError> for UploadError {
    fn from(e: gongkai_store::StoreError) -> Self {
        match e.kind() {
            gongkai_store::ErrorKind::NotFound => UploadError::NotFound,
            _ => UploadError::Storage(e.to_string()),
        }
    }
}

/// A line of an upload list: what the lists need, without the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub id: String,
    pub batch: String,
    pub name: String,
    /// The report's title, or `无法读取：…`.
    pub title: String,
    /// `2021`, `2019`, or empty when unreadable.
    pub format: String,
    pub errors: usize,
    pub warnings: usize,
    pub unreadable: bool,
    pub uploaded_at: DateTime<Utc>,
}

impl Summary {
    /// The summary of an upload (runs the checker on its current report).
    pub fn of(u: &Upload) -> Summary {
        let (title, format, errors, warnings) = match &u.result {
            Ok(c) => {
                let (e, w) = counts(&gongkai_check::check(&c.current));
                (
                    gongkai_write::layout::title(&c.current),
                    c.current.format.as_str().to_string(),
                    e,
                    w,
                )
            }
            Err(msg) => (format!("无法读取：{msg}"), String::new(), 0, 0),
        };
        Summary {
            id: u.id.clone(),
            batch: u.batch.clone(),
            name: u.name.clone(),
            title,
            format,
            errors,
            warnings,
            unreadable: u.result.is_err(),
            uploaded_at: u.uploaded_at,
        }
    }
}

/// Errors and warnings among `findings`.
pub fn counts(findings: &[gongkai_check::Finding]) -> (usize, usize) {
    let errors = findings
        .iter()
        .filter(|f| f.severity == gongkai_check::Severity::Error)
        .count();
    (errors, findings.len() - errors)
}

/// Files and bytes stored.
pub type Usage = gongkai_store::CheckUsage;

/// Who changes an upload, for the audit log: the owner key of the acting browser or user,
/// and the client's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acting {
    pub owner: Owner,
    pub client: String,
}

/// The most characters kept of each section's running text.
pub const SECTION_EXCERPT_CHARS: usize = 20_000;

/// Cuts each section's text to [`SECTION_EXCERPT_CHARS`] characters (at a character
/// boundary); true if anything was cut. A published report's sections are a few thousand
/// characters; only a padded or mis-read file loses text.
pub fn excerpt(report: &mut Report) -> bool {
    let mut cut = false;
    for s in &mut report.sections {
        if let Some((i, _)) = s.text.char_indices().nth(SECTION_EXCERPT_CHARS) {
            s.text.truncate(i);
            s.text.shrink_to_fit();
            cut = true;
        }
    }
    cut
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The image of one cell of a scanned upload: its cell id and a grey PNG.
pub type CellImage = (String, Vec<u8>);

/// Where uploads are kept.
pub trait UploadStore: Send + Sync {
    /// Keeps new uploads (audited `check.upload` by the store-backed implementation).
    fn insert(&self, uploads: Vec<Upload>) -> BoxFuture<'_, Result<(), UploadError>>;
    /// One upload by id.
    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<Arc<Upload>>, UploadError>>;
    /// The uploads of a batch, in upload order.
    fn batch<'a>(&'a self, batch: &'a str) -> BoxFuture<'a, Result<Vec<Arc<Upload>>, UploadError>>;
    /// The list of a batch, in upload order.
    fn batch_list<'a>(&'a self, batch: &'a str)
    -> BoxFuture<'a, Result<Vec<Summary>, UploadError>>;
    /// The owner's uploads, newest first, at most `limit`.
    fn by_owner<'a>(
        &'a self,
        owner: &'a Owner,
        limit: usize,
    ) -> BoxFuture<'a, Result<Vec<Summary>, UploadError>>;
    /// Applies a correction (see [`apply_correction`]) and keeps it (audited
    /// `check.correct`); returns the upload.
    fn correct<'a>(
        &'a self,
        id: &'a str,
        correction: Correction,
        by: &'a Acting,
    ) -> BoxFuture<'a, Result<Arc<Upload>, UploadError>>;
    /// Files and bytes uploaded since `since` by `owner`, or by everyone.
    fn usage<'a>(
        &'a self,
        owner: Option<&'a Owner>,
        since: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<Usage, UploadError>>;
    /// Forgets the uploads older than `before`; how many.
    fn purge(&self, before: DateTime<Utc>) -> BoxFuture<'_, Result<u64, UploadError>>;
    /// Keeps the images of an upload's uncertain cells (cell id, grey PNG), cut from a
    /// scan while it was read. Without a database (the default) they are not kept beyond
    /// the process's own memory (`check::crops::Crops`).
    fn put_crops<'a>(
        &'a self,
        _id: &'a str,
        _crops: Vec<CellImage>,
    ) -> BoxFuture<'a, Result<(), UploadError>> {
        Box::pin(async { Ok(()) })
    }
    /// The images kept of an upload's cells, in cell id order.
    fn crops<'a>(&'a self, _id: &'a str) -> BoxFuture<'a, Result<Vec<CellImage>, UploadError>> {
        Box::pin(async { Ok(Vec::new()) })
    }
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
