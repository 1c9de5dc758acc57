//! Report checking for anyone: upload, see the findings on the cells, correct misread cells,
//! download JSON and CSV.
//!
//! | route | what |
//! |---|---|
//! | `GET /check` | the upload form, this visitor's recent uploads, the rules |
//! | `POST /check` | multipart upload of one or more files → the batch page (or the report, for one file) |
//! | `GET /check/batch/{batch}` · `…/summary.csv` | the files of one upload |
//! | `GET /check/r/{id}` | one report: findings, the three tables with marks, correction form, history |
//! | `POST /check/r/{id}/cells` | correct one cell (form: `csrf`, `cell`, `value`, `note`) |
//! | `GET /check/r/{id}/report.json` · `cells.csv` · `findings.csv` | downloads |
//!
//! Reading and checking run on the blocking pool (a large DOCX takes a few milliseconds of
//! CPU; a batch of hundreds must not stall other requests).

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use gongkai_check::{Finding, Severity};
use gongkai_format::CellKind;
use gongkai_report::{Report, Value, parse_number};
use serde::Deserialize;

use crate::error::PageError;
use crate::national::{self, CorrectLink, ReadOnly};
use crate::security::{self, CSRF_FIELD};
use crate::uploads::{Checked, Correction, Upload};
use crate::view::{self, Chrome};
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/check", get(home).post(upload))
        .route("/check/batch/{batch}", get(batch_page))
        .route("/check/batch/{batch}/summary.csv", get(batch_csv))
        .route("/check/batch/{batch}/dashboard", get(batch_dashboard))
        .route("/check/r/{id}", get(report_page))
        .route("/check/r/{id}/cells", post(correct))
        .route("/check/r/{id}/report.json", get(report_json))
        .route("/check/r/{id}/cells.csv", get(cells_csv))
        .route("/check/r/{id}/findings.csv", get(findings_csv))
}

/// A line of an upload list.
pub struct UploadRow {
    pub id: String,
    pub name: String,
    pub title: String,
    pub format: &'static str,
    pub errors: usize,
    pub warnings: usize,
    pub unreadable: bool,
    pub uploaded_at: String,
}

fn counts(findings: &[Finding]) -> (usize, usize) {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    (errors, findings.len() - errors)
}

fn report_title(r: &Report) -> String {
    gongkai_write::layout::title(r)
}

fn row(u: &Upload) -> UploadRow {
    let (title, format, errors, warnings, unreadable) = match &u.result {
        Ok(c) => {
            let (e, w) = counts(&gongkai_check::check(&c.current));
            (
                report_title(&c.current),
                c.current.format.as_str(),
                e,
                w,
                false,
            )
        }
        Err(msg) => (format!("无法读取：{msg}"), "", 0, 0, true),
    };
    UploadRow {
        id: u.id.clone(),
        name: u.name.clone(),
        title,
        format,
        errors,
        warnings,
        unreadable,
        uploaded_at: view::datetime(u.uploaded_at),
    }
}

/// A rule as the home page lists it.
pub struct RuleRow {
    pub code: &'static str,
    pub severity: &'static str,
    pub severity_class: &'static str,
    pub summary: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "check_home.html")]
struct HomePage {
    chrome: Chrome,
    recent: Vec<UploadRow>,
    rules: Vec<RuleRow>,
    max_mb: usize,
    max_total_mb: usize,
}

async fn home(State(st): State<AppState>, ctx: Ctx) -> Result<HomePage, PageError> {
    let recent = st.uploads().by_owner(&ctx.owner(), 20).await?;
    Ok(HomePage {
        chrome: Chrome::new(&ctx, "check"),
        recent: recent.iter().map(row).collect(),
        rules: gongkai_check::registry()
            .iter()
            .map(|r| RuleRow {
                code: r.code(),
                severity: severity_zh(r.severity()),
                severity_class: r.severity().as_str(),
                summary: r.summary(gongkai_check::Lang::Zh),
            })
            .collect(),
        max_mb: st.config().max_file_bytes / (1024 * 1024),
        max_total_mb: st.config().max_upload_bytes / (1024 * 1024),
    })
}

fn severity_zh(s: Severity) -> &'static str {
    match s {
        Severity::Error => "错误",
        Severity::Warning => "警告",
    }
}

/// Reads and checks one file (blocking).
fn read_one(bytes: &[u8]) -> Result<Checked, String> {
    match gongkai_read::read_report(bytes) {
        Ok(report) => Ok(Checked {
            read: report.clone(),
            current: report,
            corrections: Vec::new(),
        }),
        Err(e) => Err(e.to_string()),
    }
}

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

async fn upload(
    State(st): State<AppState>,
    ctx: Ctx,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let cfg = st.config().clone();
    let mut csrf = None;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| PageError::BadRequest(format!("上传的数据不完整或过大：{e}")))?
    {
        let name = field.name().unwrap_or("").to_string();
        if name == CSRF_FIELD {
            csrf = Some(
                field
                    .text()
                    .await
                    .map_err(|e| PageError::BadRequest(e.to_string()))?,
            );
            continue;
        }
        if name != "files" {
            continue;
        }
        // The token comes first in the form; refuse before reading any file without it.
        ctx.check_csrf(csrf.as_deref().unwrap_or(""))?;
        let file_name = clean_name(field.file_name());
        let bytes = field
            .bytes()
            .await
            .map_err(|e| PageError::BadRequest(format!("上传的数据不完整或过大：{e}")))?;
        if bytes.is_empty() && file_name == "未命名文件" {
            continue; // the empty part a browser sends when no file was chosen
        }
        if bytes.len() > cfg.max_file_bytes {
            return Err(PageError::BadRequest(format!(
                "文件“{file_name}”超过 {} MB",
                cfg.max_file_bytes / (1024 * 1024)
            )));
        }
        if files.len() >= cfg.max_files {
            return Err(PageError::BadRequest(format!(
                "一次最多上传 {} 个文件",
                cfg.max_files
            )));
        }
        files.push((file_name, bytes.to_vec()));
    }
    ctx.check_csrf(csrf.as_deref().unwrap_or(""))?;
    if files.is_empty() {
        return Err(PageError::BadRequest("没有选择文件".into()));
    }
    let batch = security::random_hex(8);
    let owner = ctx.owner();
    let now = Utc::now();
    let read = tokio::task::spawn_blocking(move || {
        files
            .into_iter()
            .map(|(name, bytes)| (name, bytes.len(), read_one(&bytes)))
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|e| PageError::Internal(e.to_string()))?;
    let uploads: Vec<Upload> = read
        .into_iter()
        .map(|(name, size, result)| Upload {
            id: security::random_hex(16),
            batch: batch.clone(),
            name,
            size,
            uploaded_at: now,
            owner: owner.clone(),
            result,
        })
        .collect();
    let target = if uploads.len() == 1 {
        format!("/check/r/{}", uploads[0].id)
    } else {
        format!("/check/batch/{batch}")
    };
    st.uploads().insert(uploads).await?;
    Ok(Redirect::to(&target).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "check_batch.html")]
struct BatchPage {
    chrome: Chrome,
    batch: String,
    rows: Vec<UploadRow>,
}

fn valid_id(id: &str) -> Result<(), PageError> {
    if security::is_token(id) || (id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit())) {
        Ok(())
    } else {
        Err(PageError::NotFound("找不到该报告".into()))
    }
}

async fn batch_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(batch): Path<String>,
) -> Result<BatchPage, PageError> {
    valid_id(&batch)?;
    let uploads = st.uploads().batch(&batch).await?;
    if uploads.is_empty() {
        return Err(PageError::NotFound(
            "找不到这批上传的文件（可能已过期）".into(),
        ));
    }
    Ok(BatchPage {
        chrome: Chrome::new(&ctx, "check"),
        rows: uploads.iter().map(row).collect(),
        batch,
    })
}

async fn get_upload(st: &AppState, id: &str) -> Result<Upload, PageError> {
    valid_id(id)?;
    st.uploads()
        .get(id)
        .await?
        .ok_or_else(|| PageError::NotFound("找不到该报告（可能已过期）".into()))
}

/// A finding as the list shows it.
pub struct FindingView {
    pub index: usize,
    pub code: &'static str,
    pub severity: &'static str,
    pub severity_class: &'static str,
    pub message: String,
    pub place: String,
    pub cells: Vec<CellLinkView>,
    /// Cells not listed.
    pub more: usize,
}

pub struct CellLinkView {
    pub id: String,
    pub label: String,
    pub short: String,
}

/// Findings for the list, each with links to (up to eight of) its cells.
pub fn finding_views(report: &Report, findings: &[Finding]) -> Vec<FindingView> {
    findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let cells: Vec<CellLinkView> = f
                .cells
                .iter()
                .take(8)
                .map(|c| {
                    let short = report
                        .format
                        .cell(&c.id)
                        .map(|idx| {
                            let d = report.def(idx);
                            format!("{} / {}", d.row_label, d.column_label)
                        })
                        .unwrap_or_else(|| c.id.clone());
                    CellLinkView {
                        id: c.id.clone(),
                        label: c.label.clone(),
                        short,
                    }
                })
                .collect();
            FindingView {
                index: i,
                code: f.code,
                severity: severity_zh(f.severity),
                severity_class: f.severity.as_str(),
                message: f.message_zh.clone(),
                place: view::location(f.loc),
                more: f.cells.len().saturating_sub(cells.len()),
                cells,
            }
        })
        .collect()
}

pub struct CellOption {
    pub id: String,
    pub label: String,
    pub selected: bool,
}

pub struct CellGroup {
    pub label: &'static str,
    pub options: Vec<CellOption>,
}

pub struct CorrectionView {
    pub at: String,
    pub who: String,
    pub cell: String,
    pub label: String,
    pub old: String,
    pub new: String,
    pub note: String,
}

pub struct SectionView {
    pub heading: String,
    pub paragraphs: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "check_report.html")]
struct ReportPage {
    chrome: Chrome,
    id: String,
    batch: String,
    name: String,
    size: String,
    title: String,
    format: &'static str,
    uploaded_at: String,
    errors: usize,
    warnings: usize,
    findings: Vec<FindingView>,
    tables: String,
    can_edit: bool,
    cell_groups: Vec<CellGroup>,
    selected_value: String,
    selected_input: String,
    corrections: Vec<CorrectionView>,
    sections: Vec<SectionView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "check_unreadable.html")]
struct UnreadablePage {
    chrome: Chrome,
    batch: String,
    name: String,
    error: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    /// The cell to preselect in the correction form.
    pub cell: Option<String>,
    /// A fixed status message key.
    pub msg: Option<String>,
}

fn can_edit(u: &Upload, ctx: &Ctx) -> bool {
    u.owner == ctx.owner() || ctx.user.is_some()
}

async fn report_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let u = get_upload(&st, &id).await?;
    let chrome = Chrome::new(&ctx, "check").flash(q.msg.as_deref());
    let checked = match &u.result {
        Ok(c) => c,
        Err(e) => {
            return Ok(UnreadablePage {
                chrome,
                batch: batch_link(&st, &u).await,
                name: u.name.clone(),
                error: e.clone(),
            }
            .into_response());
        }
    };
    let report = &checked.current;
    let findings = gongkai_check::check(report);
    let (errors, warnings) = counts(&findings);
    let editable = can_edit(&u, &ctx);
    let base = format!("/check/r/{}", u.id);
    let tables = if editable {
        national::tables(report, &findings, &CorrectLink(&base))
    } else {
        national::tables(report, &findings, &ReadOnly)
    };
    let selected = q
        .cell
        .filter(|c| report.format.cell(c).is_some())
        .or_else(|| {
            findings
                .iter()
                .flat_map(|f| f.cells.first())
                .map(|c| c.id.clone())
                .next()
        })
        .unwrap_or_else(|| "s3.new_received.total".to_string());
    let selected_v = report.get(&selected);
    let page = ReportPage {
        chrome,
        id: u.id.clone(),
        batch: batch_link(&st, &u).await,
        name: u.name.clone(),
        size: view::size(u.size),
        title: report_title(report),
        format: view::format_label(report.format),
        uploaded_at: view::datetime(u.uploaded_at),
        errors,
        warnings,
        findings: finding_views(report, &findings),
        tables,
        can_edit: editable,
        cell_groups: cell_groups(report, &selected),
        selected_value: view::value(selected_v),
        selected_input: selected_v.map(|v| v.to_string()).unwrap_or_default(),
        corrections: checked
            .corrections
            .iter()
            .rev()
            .map(|c| CorrectionView {
                at: view::datetime(c.at),
                who: c.who.clone(),
                label: report
                    .format
                    .cell(&c.cell)
                    .map(|i| report.def(i).label.clone())
                    .unwrap_or_else(|| c.cell.clone()),
                cell: c.cell.clone(),
                old: view::value(c.old),
                new: view::value(c.new),
                note: c.note.clone().unwrap_or_default(),
            })
            .collect(),
        sections: report
            .sections
            .iter()
            .map(|s| SectionView {
                heading: s.heading.clone(),
                paragraphs: gongkai_write::layout::paragraphs(&s.text),
            })
            .collect(),
    };
    Ok(page.into_response())
}

/// The batch link, only when the upload came with others.
async fn batch_link(st: &AppState, u: &Upload) -> String {
    match st.uploads().batch(&u.batch).await {
        Ok(b) if b.len() > 1 => u.batch.clone(),
        _ => String::new(),
    }
}

fn cell_groups(report: &Report, selected: &str) -> Vec<CellGroup> {
    let mut groups: Vec<CellGroup> = [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]
    .into_iter()
    .map(|label| CellGroup {
        label,
        options: Vec::new(),
    })
    .collect();
    for def in report.format.cells() {
        let g = usize::from(def.section.clamp(2, 4) - 2);
        groups[g].options.push(CellOption {
            id: def.id.clone(),
            label: def.label.clone(),
            selected: def.id == selected,
        });
    }
    groups
}

#[derive(Debug, Deserialize)]
struct CorrectForm {
    #[serde(default)]
    csrf: String,
    cell: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    note: String,
}

/// Parses a corrected value: empty or a blank marker → blank; otherwise a number.
pub fn parse_correction(text: &str, kind: CellKind) -> Result<Option<Value>, String> {
    let t = text.trim();
    if t.is_empty() || ["/", "／", "-", "—", "－", "无", "空", "空白"].contains(&t) {
        return Ok(None);
    }
    let v = parse_number(t).ok_or_else(|| format!("“{t}”不是数字"))?;
    if kind == CellKind::Count && !v.is_integer() {
        return Err(format!("“{t}”：件数应为整数"));
    }
    Ok(Some(v))
}

async fn correct(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<CorrectForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let u = get_upload(&st, &id).await?;
    if !can_edit(&u, &ctx) {
        return Err(PageError::Forbidden(
            "只有上传该报告的浏览器或已登录的工作人员可以更正单元格".into(),
        ));
    }
    let checked = u
        .result
        .as_ref()
        .map_err(|_| PageError::BadRequest("文件未能读取，不能更正单元格".into()))?;
    let idx =
        checked.current.format.cell(&form.cell).ok_or_else(|| {
            PageError::BadRequest(format!("单元格“{}”不属于该报告的格式", form.cell))
        })?;
    let def = checked.current.def(idx);
    let new = parse_correction(&form.value, def.kind)
        .map_err(|m| PageError::BadRequest(format!("{}：{m}", def.label)))?;
    let note = form.note.trim();
    let correction = Correction {
        cell: form.cell.clone(),
        old: checked.current.at(idx),
        new,
        who: ctx.who(),
        at: Utc::now(),
        note: (!note.is_empty()).then(|| note.chars().take(200).collect()),
    };
    st.uploads().correct(&id, correction).await?;
    Ok(Redirect::to(&format!(
        "/check/r/{id}?cell={}&msg=corrected#c-{}",
        form.cell, form.cell
    ))
    .into_response())
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

/// The name of downloads: the upload's name without its extension.
fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

fn checked_of(u: &Upload) -> Result<&Checked, PageError> {
    u.result
        .as_ref()
        .map_err(|e| PageError::BadRequest(format!("文件未能读取：{e}")))
}

async fn report_json(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let u = get_upload(&st, &id).await?;
    let c = checked_of(&u)?;
    let findings = gongkai_check::check(&c.current);
    let body = serde_json::json!({
        "file": { "name": u.name, "size": u.size, "uploaded_at": u.uploaded_at },
        "report": c.current,
        "findings": findings,
        "corrections": c.corrections,
        "cells_as_read": c.corrections.iter().map(|k| (k.cell.clone(), c.read.get(&k.cell))).collect::<HashMap<_, _>>(),
    });
    let bytes = serde_json::to_vec_pretty(&body).map_err(|e| PageError::Internal(e.to_string()))?;
    Ok(attachment_response(
        "application/json; charset=utf-8",
        &format!("{}.json", stem(&u.name)),
        bytes,
    ))
}

fn csv_bytes(rows: Vec<Vec<String>>) -> Result<Vec<u8>, PageError> {
    // A BOM, so that Excel reads the file as UTF-8 rather than GBK.
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    for r in rows {
        // Text that a spreadsheet would run as a formula (a file name or a printed label
        // beginning with `=`, `+`, `-`, `@`) is quoted by the batch writer's guard; numbers,
        // negative ones included, stay numbers.
        let guarded = r.iter().map(|f| {
            if f.parse::<f64>().is_ok() {
                f.clone()
            } else {
                gongkai_batch::output::formula_safe(f).into_owned()
            }
        });
        w.write_record(guarded)
            .map_err(|e| PageError::Internal(e.to_string()))?;
    }
    w.into_inner()
        .map_err(|e| PageError::Internal(e.to_string()))
}

/// One row per cell: id, section, label, value, value as read, corrected, uncertain, the
/// codes of the findings on it.
pub fn cells_table(c: &Checked, findings: &[Finding]) -> Vec<Vec<String>> {
    let mut codes: HashMap<&str, Vec<&str>> = HashMap::new();
    for f in findings {
        for cell in &f.cells {
            let v = codes.entry(cell.id.as_str()).or_default();
            if !v.contains(&f.code) {
                v.push(f.code);
            }
        }
    }
    let mut rows = vec![
        [
            "单元格编号",
            "部分",
            "名称",
            "值",
            "读取值",
            "已更正",
            "取值不确定",
            "问题",
        ]
        .map(String::from)
        .to_vec(),
    ];
    let corrected: std::collections::HashSet<&str> =
        c.corrections.iter().map(|k| k.cell.as_str()).collect();
    for (i, def) in c.current.format.cells().iter().enumerate() {
        let cur = c.current.cells[i];
        let read = c.read.cells.get(i).copied().flatten();
        rows.push(vec![
            def.id.clone(),
            def.section.to_string(),
            def.label.clone(),
            cur.map(|v| v.to_string()).unwrap_or_default(),
            read.map(|v| v.to_string()).unwrap_or_default(),
            if corrected.contains(def.id.as_str()) {
                "是"
            } else {
                ""
            }
            .to_string(),
            if c.current.is_uncertain(&def.id) {
                "是"
            } else {
                ""
            }
            .to_string(),
            codes
                .get(def.id.as_str())
                .map(|v| v.join(" "))
                .unwrap_or_default(),
        ]);
    }
    rows
}

async fn cells_csv(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let u = get_upload(&st, &id).await?;
    let c = checked_of(&u)?;
    let findings = gongkai_check::check(&c.current);
    Ok(attachment_response(
        "text/csv; charset=utf-8",
        &format!("{}-单元格.csv", stem(&u.name)),
        csv_bytes(cells_table(c, &findings))?,
    ))
}

/// One row per finding.
pub fn findings_table(findings: &[Finding]) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            "序号",
            "代码",
            "级别",
            "说明",
            "涉及单元格",
            "预期",
            "实际",
            "差额",
            "位置",
        ]
        .map(String::from)
        .to_vec(),
    ];
    let opt = |v: Option<Value>| v.map(|v| v.to_string()).unwrap_or_default();
    for (i, f) in findings.iter().enumerate() {
        rows.push(vec![
            (i + 1).to_string(),
            f.code.to_string(),
            severity_zh(f.severity).to_string(),
            f.message_zh.clone(),
            f.cells
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            opt(f.expected),
            opt(f.found),
            opt(f.difference),
            view::location(f.loc),
        ]);
    }
    rows
}

async fn findings_csv(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let u = get_upload(&st, &id).await?;
    let c = checked_of(&u)?;
    let findings = gongkai_check::check(&c.current);
    Ok(attachment_response(
        "text/csv; charset=utf-8",
        &format!("{}-问题清单.csv", stem(&u.name)),
        csv_bytes(findings_table(&findings))?,
    ))
}

/// The batch dashboard of `gongkai batch --html` over the files of one upload: outcomes,
/// applicant types, rates, the most frequent findings, the worst reports, year over year.
async fn batch_dashboard(
    State(st): State<AppState>,
    Path(batch): Path<String>,
) -> Result<Response, PageError> {
    valid_id(&batch)?;
    let uploads = st.uploads().batch(&batch).await?;
    if uploads.is_empty() {
        return Err(PageError::NotFound("找不到这批上传的文件".into()));
    }
    let items: Vec<gongkai_batch::Prepared> = uploads
        .iter()
        .map(|u| match &u.result {
            Ok(c) => gongkai_batch::Prepared::Read {
                file: u.name.clone(),
                report: Box::new(c.current.clone()),
            },
            Err(reason) => gongkai_batch::Prepared::Unreadable {
                file: u.name.clone(),
                reason: reason.clone(),
            },
        })
        .collect();
    let page = tokio::task::spawn_blocking(move || {
        gongkai_batch::run_reports(&items, &gongkai_batch::Options::default())
            .map(|b| gongkai_batch::dashboard::render_titled(&b, "上传报告的汇总"))
    })
    .await
    .map_err(|e| PageError::Internal(e.to_string()))?
    .map_err(|e| PageError::Internal(e.to_string()))?;
    let mut resp = page.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // The page is self-contained: inline CSS and SVG, no scripts.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
        ),
    );
    Ok(resp)
}

async fn batch_csv(
    State(st): State<AppState>,
    Path(batch): Path<String>,
) -> Result<Response, PageError> {
    valid_id(&batch)?;
    let uploads = st.uploads().batch(&batch).await?;
    if uploads.is_empty() {
        return Err(PageError::NotFound("找不到这批上传的文件".into()));
    }
    let mut rows = vec![
        [
            "文件",
            "报告标题",
            "机关",
            "年度",
            "报告格式（2021/2019版）",
            "错误",
            "警告",
            "问题代码",
            "读取错误",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for u in &uploads {
        match &u.result {
            Ok(c) => {
                let f = gongkai_check::check(&c.current);
                let (e, w) = counts(&f);
                let mut codes: Vec<&str> = f.iter().map(|f| f.code).collect();
                codes.dedup();
                rows.push(vec![
                    u.name.clone(),
                    report_title(&c.current),
                    c.current.meta.agency.clone().unwrap_or_default(),
                    c.current
                        .meta
                        .year
                        .map(|y| y.to_string())
                        .unwrap_or_default(),
                    c.current.format.as_str().to_string(),
                    e.to_string(),
                    w.to_string(),
                    codes.join(" "),
                    String::new(),
                ]);
            }
            Err(msg) => rows.push(vec![
                u.name.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                msg.clone(),
            ]),
        }
    }
    Ok(attachment_response(
        "text/csv; charset=utf-8",
        "检查汇总.csv",
        csv_bytes(rows)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_guards_formulas_but_keeps_numbers() {
        let bytes = csv_bytes(vec![vec![
            "=HYPERLINK(\"x\")".into(),
            "@SUM(A1)".into(),
            "-1".into(),
            "3.5".into(),
            "-2+3".into(),
            "某县政府.txt".into(),
        ]])
        .unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "\u{feff}\"'=HYPERLINK(\"\"x\"\")\",'@SUM(A1),-1,3.5,'-2+3,某县政府.txt\n"
        );
    }

    #[test]
    fn corrections_parse_numbers_and_blanks() {
        assert_eq!(
            parse_correction(" 12 ", CellKind::Count),
            Ok(Some(Value::int(12)))
        );
        assert_eq!(
            parse_correction("１２", CellKind::Count),
            Ok(Some(Value::int(12)))
        );
        assert_eq!(parse_correction("/", CellKind::Count), Ok(None));
        assert_eq!(parse_correction("", CellKind::Count), Ok(None));
        assert!(parse_correction("1.5", CellKind::Count).is_err());
        assert!(parse_correction("1.5", CellKind::Decimal).is_ok());
        assert!(parse_correction("abc", CellKind::Count).is_err());
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name(Some("C:\\a\\b\\报告.txt")), "报告.txt");
        assert_eq!(clean_name(Some("../../etc/passwd")), "passwd");
        assert_eq!(clean_name(Some("a\u{0}b")), "ab");
        assert_eq!(clean_name(None), "未命名文件");
    }

    #[test]
    fn percent_encoding() {
        assert_eq!(percent_encode("a b.csv"), "a%20b.csv");
        assert_eq!(percent_encode("汇"), "%E6%B1%87");
    }
}
