//! The upload (`POST /check`): room for the body in the budget of bodies in flight, the
//! files read from the multipart form chunk by chunk (a file over the limit is refused as
//! soon as it passes it), the quotas, then reading on the blocking pool under the parsing
//! bound. Every refusal is a Chinese page with its status (400, 413, 429, 503), never the
//! framework's English text.

use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;

use super::limits::{Refusal, mib};
use crate::error::PageError;
use crate::security::{self, CSRF_FIELD};
use crate::uploads::{Checked, Upload, excerpt, sha256_hex};
use crate::{AppState, Config, Ctx};

/// A file name fit for display: no path, no control characters, at most 120 characters.
fn clean_name(name: Option<&str>) -> String {
    let base = name
        .unwrap_or("")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(120)
        .collect::<String>();
    if base.trim().is_empty() {
        "未命名文件".to_string()
    } else {
        base
    }
}

/// A refusal of the limits as a page.
pub(crate) fn refused(r: Refusal) -> PageError {
    PageError::Refused(r.status, r.message)
}

/// The Chinese error of a broken or oversized multipart body.
pub(crate) fn multipart_error(e: &MultipartError, cfg: &Config) -> PageError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        PageError::Refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "上传的文件合计超过 {}，请分几次上传",
                mib(cfg.max_upload_bytes as u64)
            ),
        )
    } else {
        PageError::BadRequest("上传的数据不完整或格式有误（连接中断或表单损坏），请重新上传".into())
    }
}

/// The Chinese error of a request that is not a multipart form at all.
pub(crate) fn not_multipart(_: MultipartRejection) -> PageError {
    PageError::BadRequest(
        "上传的数据不是文件表单（multipart/form-data），请在页面上选择文件后上传".into(),
    )
}

/// Reads one file field, refusing it as soon as it exceeds `max` bytes.
pub(crate) async fn read_field(
    mut field: Field<'_>,
    name: &str,
    max: usize,
    cfg: &Config,
) -> Result<Vec<u8>, PageError> {
    let mut out = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(&e, cfg))? {
        if out.len() + chunk.len() > max {
            return Err(PageError::Refused(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("文件“{name}”超过 {}", mib(max as u64)),
            ));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// Reads and checks one file (blocking): the report with its section texts cut to the
/// excerpt that is kept.
fn checked(
    read: Result<gongkai_report::Report, gongkai_read::ReadError>,
) -> Result<Checked, String> {
    match read {
        Ok(mut report) => {
            excerpt(&mut report);
            Ok(Checked {
                read: report.clone(),
                current: report,
                corrections: Vec::new(),
            })
        }
        Err(e) => Err(e.to_string()),
    }
}

/// What reading one file gives besides its report: the images of a scan's uncertain cells.
#[cfg(feature = "ocr")]
type Extra = super::crops::CellCrops;
#[cfg(not(feature = "ocr"))]
type Extra = ();

#[cfg(not(feature = "ocr"))]
fn read_one(bytes: &[u8]) -> (Result<Checked, String>, Extra) {
    (checked(gongkai_read::read_report(bytes)), ())
}

/// A scan's uncertain cells are cut out of its pages while the file is at hand (it is not
/// kept).
#[cfg(feature = "ocr")]
fn read_one(bytes: &[u8]) -> (Result<Checked, String>, Extra) {
    match gongkai_read::read_report_keeping_scan(bytes) {
        Ok((report, scan)) => {
            let crops = scan
                .map(|scan| super::crops::cut(bytes, &scan, &report))
                .unwrap_or_default();
            (checked(Ok(report)), crops)
        }
        Err(e) => (checked(Err(e)), Extra::default()),
    }
}

pub(super) async fn upload(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let mut multipart = multipart.map_err(not_multipart)?;
    let cfg = st.config().clone();
    let checker = st.checker();
    // Held until the answer: the files are in memory until their reports are read.
    let _room = checker
        .intake(&headers, cfg.max_upload_bytes)
        .await
        .map_err(refused)?;
    let mut csrf = None;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(&e, &cfg))?
    {
        let name = field.name().unwrap_or("").to_string();
        if name == CSRF_FIELD {
            csrf = Some(field.text().await.map_err(|e| multipart_error(&e, &cfg))?);
            continue;
        }
        if name != "files" {
            continue;
        }
        // The token comes first in the form; refuse before reading any file without it.
        ctx.check_csrf(csrf.as_deref().unwrap_or(""))?;
        let chosen = field.file_name().is_some_and(|n| !n.is_empty());
        let file_name = clean_name(field.file_name());
        let bytes = read_field(field, &file_name, cfg.max_file_bytes, &cfg).await?;
        if bytes.is_empty() {
            if !chosen {
                continue; // the empty part a browser sends when no file was chosen
            }
            return Err(PageError::BadRequest(format!(
                "文件“{file_name}”是空的（0 字节）"
            )));
        }
        if files.len() >= cfg.max_files {
            return Err(PageError::BadRequest(format!(
                "一次最多上传 {} 个文件",
                cfg.max_files
            )));
        }
        files.push((file_name, bytes));
    }
    ctx.check_csrf(csrf.as_deref().unwrap_or(""))?;
    if files.is_empty() {
        return Err(PageError::BadRequest("没有选择文件".into()));
    }
    let owner = ctx.owner();
    let now = Utc::now();
    let since = now - checker.limits.retention;
    let mine = st.uploads().usage(Some(&owner), since).await?;
    let all = st.uploads().usage(None, since).await?;
    let bytes: u64 = files.iter().map(|(_, b)| b.len() as u64).sum();
    checker
        .quota(mine, all, files.len() as u64, bytes)
        .map_err(refused)?;
    let largest = files.iter().map(|(_, b)| b.len()).max().unwrap_or(0);
    let read = checker
        .parse(largest, move || {
            files
                .into_iter()
                .map(|(name, bytes)| {
                    let (result, extra) = read_one(&bytes);
                    (name, bytes.len(), sha256_hex(&bytes), result, extra)
                })
                .collect::<Vec<_>>()
        })
        .await
        .map_err(PageError::Internal)?;
    let batch = security::random_hex(8);
    let mut extras = Vec::new();
    let uploads: Vec<Upload> = read
        .into_iter()
        .map(|(name, size, sha256, result, extra)| {
            let id = security::random_hex(16);
            extras.push((id.clone(), extra));
            Upload {
                id,
                batch: batch.clone(),
                name,
                size,
                sha256,
                uploaded_at: now,
                owner: owner.clone(),
                client: ctx.client.clone(),
                result,
            }
        })
        .collect();
    let target = if uploads.len() == 1 {
        format!("/check/r/{}", uploads[0].id)
    } else {
        format!("/check/batch/{batch}")
    };
    st.uploads().insert(uploads).await?;
    keep(&st, extras).await;
    purge_if_due(&st);
    Ok(Redirect::to(&target).into_response())
}

/// Keeps what reading gave besides the reports (the scans' cell images).
#[cfg(feature = "ocr")]
async fn keep(st: &AppState, extras: Vec<(String, Extra)>) {
    for (id, crops) in extras {
        super::crops::keep(st, &id, crops).await;
    }
}

#[cfg(not(feature = "ocr"))]
async fn keep(_: &AppState, _: Vec<(String, Extra)>) {}

/// Deletes the expired uploads in the background, at most every ten minutes.
pub(crate) fn purge_if_due(st: &AppState) {
    if !st.checker().purge_due() {
        return;
    }
    let st = st.clone();
    tokio::spawn(async move {
        let before = Utc::now() - st.checker().limits.retention;
        match st.uploads().purge(before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, "expired report-checker uploads deleted"),
            Err(e) => tracing::warn!(error = %e, "deleting expired uploads failed"),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name(Some("C:\\a\\b\\报告.txt")), "报告.txt");
        assert_eq!(clean_name(Some("../../etc/passwd")), "passwd");
        assert_eq!(clean_name(Some("a\u{0}b")), "ab");
        assert_eq!(clean_name(None), "未命名文件");
    }
}
