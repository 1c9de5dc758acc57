//! Report checking for anyone: upload, see the findings on the cells, correct misread cells,
//! download JSON and CSV.
//!
//! | route | what |
//! |---|---|
//! | `GET /check` | the upload form, this visitor's recent uploads, the rules |
//! | `POST /check` | multipart upload of one or more files → the batch page (or the report, for one file) |
//! | `GET /check/batch/{batch}` · `…/summary.csv` · `…/dashboard` | the files of one upload |
//! | `GET /check/r/{id}` | one report: findings, the three tables with marks, correction form, history |
//! | `POST /check/r/{id}/cells` | correct one cell (form: `csrf`, `cell`, `value`, `note`) |
//! | `GET /check/r/{id}/report.json` · `cells.csv` · `findings.csv` | downloads |
//! | `GET /check/r/{id}/crop/{cell}` | an uncertain cell's image on a scan (feature `ocr`) |
//!
//! The modules: [`intake`] (the upload: limits, reading, Chinese errors), [`pages`] (the
//! pages and the correction form), [`downloads`] (JSON, CSV, the dashboard), [`limits`]
//! (quotas, the budget for bodies in flight, parsing concurrency, the API's rate limit),
//! `crops` (feature `ocr`: the images of a scan's uncertain cells).
//! Uploads are kept by an [`crate::uploads::UploadStore`] (the database, with a bounded
//! cache in front).

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gongkai_report::Report;

use crate::AppState;
use crate::error::PageError;
use crate::security;
use crate::uploads::{Summary, Upload};
use crate::view;

#[cfg(feature = "ocr")]
pub mod crops;
pub mod downloads;
pub mod intake;
pub mod limits;
pub mod pages;

pub use limits::{Checker, Limits, Refusal};
pub use pages::{CropView, FindingView, SectionView, finding_views, parse_correction};

pub use crate::uploads::Usage;

pub fn router() -> Router<AppState> {
    scans(Router::new())
        .route("/check", get(pages::home).post(intake::upload))
        .route("/check/batch/{batch}", get(pages::batch_page))
        .route(
            "/check/batch/{batch}/summary.csv",
            get(downloads::batch_csv),
        )
        .route(
            "/check/batch/{batch}/dashboard",
            get(downloads::batch_dashboard),
        )
        .route("/check/r/{id}", get(pages::report_page))
        .route("/check/r/{id}/cells", post(pages::correct))
        .route("/check/r/{id}/report.json", get(downloads::report_json))
        .route("/check/r/{id}/cells.csv", get(downloads::cells_csv))
        .route("/check/r/{id}/findings.csv", get(downloads::findings_csv))
}

/// The route of the scans' cell images (feature `ocr`).
#[cfg(feature = "ocr")]
fn scans(router: Router<AppState>) -> Router<AppState> {
    router.route("/check/r/{id}/crop/{cell}", get(crops::crop))
}

#[cfg(not(feature = "ocr"))]
fn scans(router: Router<AppState>) -> Router<AppState> {
    router
}

/// A line of an upload list.
pub struct UploadRow {
    pub id: String,
    pub name: String,
    pub title: String,
    pub format: String,
    pub errors: usize,
    pub warnings: usize,
    pub unreadable: bool,
    pub uploaded_at: String,
}

impl From<Summary> for UploadRow {
    fn from(s: Summary) -> Self {
        UploadRow {
            id: s.id,
            name: s.name,
            title: s.title,
            format: s.format,
            errors: s.errors,
            warnings: s.warnings,
            unreadable: s.unreadable,
            uploaded_at: view::datetime(s.uploaded_at),
        }
    }
}

fn report_title(r: &Report) -> String {
    gongkai_write::layout::title(r)
}

fn valid_id(id: &str) -> Result<(), PageError> {
    if security::is_token(id) || (id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit())) {
        Ok(())
    } else {
        Err(PageError::NotFound("找不到该报告".into()))
    }
}

async fn get_upload(st: &AppState, id: &str) -> Result<std::sync::Arc<Upload>, PageError> {
    valid_id(id)?;
    st.uploads()
        .get(id)
        .await?
        .ok_or_else(|| PageError::NotFound("找不到该报告（可能已过期）".into()))
}

pub fn attachment_response(content_type: &'static str, file_name: &str, body: Vec<u8>) -> Response {
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // ASCII fallback plus the RFC 5987 UTF-8 name.
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        percent_encode(file_name)
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

/// Percent-encodes everything but unreserved ASCII (RFC 3986).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding() {
        assert_eq!(percent_encode("a b.csv"), "a%20b.csv");
        assert_eq!(percent_encode("汇"), "%E6%B1%87");
    }
}
