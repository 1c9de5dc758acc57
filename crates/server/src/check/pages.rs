//! The report checker's pages: the upload form with the visitor's recent uploads and the
//! rules, a batch, one report with its findings on the cells and the correction form.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use gongkai_check::Finding;
use gongkai_format::CellKind;
use gongkai_report::{Report, Value, parse_number};
use serde::Deserialize;

use super::{UploadRow, get_upload, limits, report_title, valid_id};
use crate::error::PageError;
use crate::national::{self, CorrectLink, ReadOnly};
use crate::uploads::{Acting, Correction, Upload, counts};
use crate::view::{self, Chrome};
use crate::{AppState, Ctx};

pub struct RuleRow {
    pub code: &'static str,
    pub severity: &'static str,
    pub severity_class: &'static str,
    pub summary: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "check_home.html")]
pub(super) struct HomePage {
    chrome: Chrome,
    recent: Vec<UploadRow>,
    rules: Vec<RuleRow>,
    max_mb: usize,
    max_total_mb: usize,
    visitor_files: u64,
    visitor_mb: String,
    retention_days: i64,
}

pub(super) async fn home(State(st): State<AppState>, ctx: Ctx) -> Result<HomePage, PageError> {
    let recent = st.uploads().by_owner(&ctx.owner(), 20).await?;
    let limits = &st.checker().limits;
    Ok(HomePage {
        chrome: Chrome::new(&ctx, "check"),
        recent: recent.into_iter().map(UploadRow::from).collect(),
        visitor_files: limits.visitor_files,
        visitor_mb: limits::mib(limits.visitor_bytes),
        retention_days: limits.retention.num_days(),
        rules: gongkai_check::registry()
            .iter()
            .map(|r| RuleRow {
                code: r.code(),
                severity: r.severity().zh(),
                severity_class: r.severity().as_str(),
                summary: r.summary(check_lang()),
            })
            .collect(),
        max_mb: st.config().max_file_bytes / (1024 * 1024),
        max_total_mb: st.config().max_upload_bytes / (1024 * 1024),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "check_batch.html")]
pub(super) struct BatchPage {
    chrome: Chrome,
    batch: String,
    rows: Vec<UploadRow>,
}

pub(super) async fn batch_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(batch): Path<String>,
) -> Result<BatchPage, PageError> {
    valid_id(&batch)?;
    let uploads = st.uploads().batch_list(&batch).await?;
    if uploads.is_empty() {
        return Err(PageError::NotFound(
            "找不到这批上传的文件（可能已过期）".into(),
        ));
    }
    Ok(BatchPage {
        chrome: Chrome::new(&ctx, "check"),
        rows: uploads.into_iter().map(UploadRow::from).collect(),
        batch,
    })
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
    /// The scan's images of the cells (uncertain cells of a scan read with the `ocr`
    /// feature; empty otherwise).
    pub crops: Vec<CropView>,
}

/// A cell's image as a finding shows it: the image's address and alt text, or why there
/// is none.
pub struct CropView {
    /// `/check/r/{id}/crop/{cell}`; empty when there is no image.
    pub src: String,
    /// The Chinese alt text (or, without an image, the cell's name).
    pub alt: String,
    /// Why there is no image (empty with one).
    pub note: String,
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
                severity: f.severity.zh(),
                severity_class: f.severity.as_str(),
                message: f.message(check_lang()).to_string(),
                place: view::location(f.loc),
                more: f.cells.len().saturating_sub(cells.len()),
                cells,
                crops: Vec::new(),
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

pub(super) async fn report_page(
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
    #[allow(unused_mut)] // only the `ocr` feature adds the cells' images
    let mut finding_list = finding_views(report, &findings);
    #[cfg(feature = "ocr")]
    {
        let crops = super::crops::of(&st, &u.id).await;
        if !crops.is_empty() {
            super::crops::attach(&mut finding_list, &findings, &u.id, &crops);
        }
    }
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
        findings: finding_list,
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
    match st.uploads().batch_list(&u.batch).await {
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
pub(super) struct CorrectForm {
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

pub(super) async fn correct(
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
    let by = Acting {
        owner: ctx.owner(),
        client: ctx.client.clone(),
    };
    st.uploads().correct(&id, correction, &by).await?;
    Ok(Redirect::to(&format!(
        "/check/r/{id}?cell={}&msg=corrected#c-{}",
        form.cell, form.cell
    ))
    .into_response())
}

/// The checker's own language for the page's: its rules and findings carry English
/// (`message_en`, `summary_en`), shown on English pages instead of the catalogue's.
fn check_lang() -> gongkai_check::Lang {
    if crate::i18n::current().is_en() {
        gongkai_check::Lang::En
    } else {
        gongkai_check::Lang::Zh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
