//! 政府信息公开年报 (`/portal/{code}/reports`): every approved annual report, read in the
//! page as the writer's accessible HTML (`/portal/{code}/reports/{year}`) and downloaded
//! as DOCX or PDF (`/portal/{code}/reports/{year}/{docx|pdf}`).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gongkai_service::portal::reports::PublicReport;
use gongkai_write::OutputFormat;
use sha2::{Digest, Sha256};

use super::{PortalChrome, agency};
use crate::AppState;
use crate::error::PageError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/portal/{code}/reports", get(list))
        .route("/portal/{code}/reports/{year}", get(html))
        .route("/portal/{code}/reports/{year}/{format}", get(download))
}

/// A report in a list.
pub struct Row {
    pub year: i32,
    pub approved_on: String,
}

pub fn row(r: &PublicReport) -> Row {
    Row {
        year: r.year,
        approved_on: r.approved_on.map(crate::view::date_zh).unwrap_or_default(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "portal_reports.html")]
struct ListPage {
    chrome: PortalChrome,
    rows: Vec<Row>,
    pdf: bool,
}

async fn list(State(st): State<AppState>, Path(code): Path<String>) -> Result<Response, PageError> {
    let agency = agency(&st, &code).await?;
    let reports = st.service().portal_reports(&agency).await?;
    Ok(ListPage {
        chrome: PortalChrome::new(&agency, "reports"),
        rows: reports.iter().map(row).collect(),
        pdf: OutputFormat::Pdf.is_available(),
    }
    .into_response())
}

fn year_of(year: &str) -> Result<i32, PageError> {
    year.trim()
        .parse()
        .map_err(|_| PageError::NotFound("没有这一年度的报告".into()))
}

/// The report as the writer's self-contained HTML. Its one inline style sheet is allowed
/// by its hash (the page's own Content-Security-Policy; no script, nothing fetched).
async fn html(
    State(st): State<AppState>,
    Path((code, year)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let agency = agency(&st, &code).await?;
    let report = st.service().portal_report(&agency, year_of(&year)?).await?;
    let bytes = crate::pages::year_end::render(report, OutputFormat::Html)
        .await
        .map_err(PageError::Internal)?;
    let text = String::from_utf8(bytes).map_err(|e| PageError::Internal(e.to_string()))?;
    let csp = format!(
        "default-src 'none'; style-src {}; img-src 'self' data:; frame-ancestors 'none'; \
         base-uri 'none'; form-action 'none'",
        style_hashes(&text)
    );
    let mut resp = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], text).into_response();
    if let Ok(v) = HeaderValue::from_str(&csp) {
        resp.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, v);
    }
    Ok(resp)
}

/// `'sha256-…'` of every `<style>` element of `html` (`'none'` if there is none).
fn style_hashes(html: &str) -> String {
    use base64::Engine as _;
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<style>") {
        let body = &rest[start + "<style>".len()..];
        let Some(end) = body.find("</style>") else {
            break;
        };
        let digest = Sha256::digest(&body.as_bytes()[..end]);
        out.push(format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        ));
        rest = &body[end..];
    }
    if out.is_empty() {
        "'none'".into()
    } else {
        out.join(" ")
    }
}

async fn download(
    State(st): State<AppState>,
    Path((code, year, format)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let agency = agency(&st, &code).await?;
    let year = year_of(&year)?;
    let (of, ty) = match format.as_str() {
        "docx" => (
            OutputFormat::Docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        "pdf" => (OutputFormat::Pdf, "application/pdf"),
        _ => {
            return Err(PageError::NotFound(
                "没有这种格式（可用：docx、pdf）".into(),
            ));
        }
    };
    if !of.is_available() {
        return Err(PageError::NotFound(
            "本站未提供 PDF 版本，请下载 DOCX 版本".into(),
        ));
    }
    let report = st.service().portal_report(&agency, year).await?;
    let bytes = crate::pages::year_end::render(report, of)
        .await
        .map_err(PageError::Internal)?;
    Ok(crate::check::attachment_response(
        ty,
        &format!(
            "{}{year}年政府信息公开工作年度报告.{}",
            agency.name,
            of.as_str()
        ),
        bytes,
    ))
}
