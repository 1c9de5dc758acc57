//! The office's records as the spreadsheets people exchange: the ledger (依申请公开台账) as
//! XLSX or CSV, one row per application, and the year's three tables as XLSX in the
//! national layout.
//!
//! * The ledger's rows are the list's ([`Service::list`] with a [`ListFilter`]: the same
//!   status, search, year and overdue filters as the list page, the command line and the
//!   API, in the same order), all of them (no paging), with their state today.
//! * The columns are [`COLUMNS`]; which and in what order is a column set: a built-in one
//!   ([`BUILT_IN`]: `标准`, the layout a supervisor expects, and `全部`) or one the office
//!   saved (`gongkai_store::column_sets`, migration 0012). A set is named by its name, or
//!   given as a list of column keys or headers separated by commas.
//! * The headers are the words an office's own sheet uses (申请人, 收到日期, 申请内容,
//!   答复日期, 办理结果, 延期, 补正 …) with the values the ledger import reads back: 补正 is
//!   the date the correction was asked for, 补正后收到日期 the date it came, 延期 the date of
//!   the extension; 办理结果 is the outcome of a closed application (the decision of a reply,
//!   申请人撤回, 逾期不补正, 逾期未缴费) and 答复日期 the date it was closed (the reply sent, or
//!   the withdrawal or lapse); no other header reads as one of these.
//! * Every CSV cell goes through `gongkai_report::spreadsheet::csv_cell` (a text starting
//!   with `=`, `+`, `-`, `@` gets a leading `'`); XLSX text is written as strings, never as
//!   formulas (`gongkai_write::xlsx`).
//! * An export carries personal data: each one is audited (`download`, subject `ledger`,
//!   with the format, the filter, the columns and the number of rows), as the year's
//!   tables are (`download`, `annual_report`, `xlsx`). Identity numbers are masked
//!   (`410702********1234`) for roles that may not see them in full.

use chrono::NaiveDate;
use gongkai_ledger::text::mask_id_number;
use gongkai_ledger::{Application, ApplicationState, Closure, EventKind};
use gongkai_report::spreadsheet::csv_cell;
use gongkai_store::ColumnSet;
use gongkai_write::xlsx::{self, SheetValue};
use serde::Serialize;
use serde_json::json;

use crate::actor::Actor;
use crate::applications::{ListFilter, Listed};
use crate::{Result, Service, ServiceError, limits};

/// CSV or XLSX.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    /// `csv`, `xlsx` (the file extension).
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }
}

impl std::str::FromStr for ExportFormat {
    type Err = ServiceError;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(ExportFormat::Csv),
            "xlsx" => Ok(ExportFormat::Xlsx),
            other => Err(ServiceError::invalid(
                "格式",
                format!("导出格式“{other}”无效，可用：xlsx、csv"),
            )),
        }
    }
}

/// One column of the ledger's export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The key in a saved set (`received`).
    pub key: &'static str,
    /// The header (`收到日期`).
    pub header: &'static str,
    /// Width in characters (XLSX).
    pub width: u8,
}

const fn c(key: &'static str, header: &'static str, width: u8) -> Column {
    Column { key, header, width }
}

/// Every column, in the order of the `全部` set.
pub const COLUMNS: &[Column] = &[
    c("number", "编号", 14),
    c("applicant", "申请人", 16),
    c("applicant_kind", "申请人类型", 12),
    c("id_number", "证件号码", 20),
    c("representative", "联系人/代理人", 12),
    c("phone", "联系电话", 14),
    c("description", "申请内容", 40),
    c("document_number", "文号", 16),
    c("channel", "提交方式", 12),
    c("received", "收到日期", 12),
    c("correction_requested", "补正", 12),
    c("correction_due", "补正期限", 12),
    c("corrected", "补正后收到日期", 12),
    c("extended", "延期", 12),
    c("extension_days", "延长工作日数", 8),
    c("statutory_deadline", "法定答复期限", 12),
    c("deadline", "答复期限", 12),
    c("decided", "决定日期", 12),
    c("decision", "办理结果", 24),
    c("replied", "答复日期", 12),
    c("reply_method", "答复方式", 10),
    c("stage", "办理阶段", 12),
    c("closure", "办结方式", 12),
    c("overdue", "是否超期", 8),
    c("replied_late", "逾期答复", 8),
    c("fee", "信息处理费（元）", 10),
];

/// The built-in sets: `标准` (what a supervisor asks for) and `全部` (every column).
pub const BUILT_IN: [(&str, &[&str]); 2] = [
    (
        "标准",
        &[
            "number",
            "applicant",
            "applicant_kind",
            "description",
            "channel",
            "received",
            "correction_requested",
            "corrected",
            "extended",
            "extension_days",
            "statutory_deadline",
            "deadline",
            "decided",
            "decision",
            "replied",
            "reply_method",
            "stage",
            "overdue",
            "replied_late",
        ],
    ),
    ("全部", &[]),
];

/// The set used when none is named.
pub const DEFAULT_SET: &str = "标准";

/// The column with key or header `name`.
pub fn column(name: &str) -> Option<&'static Column> {
    let n = name.trim();
    COLUMNS.iter().find(|c| c.key == n || c.header == n)
}

/// A column set as the front ends show it: built-in or saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetView {
    pub name: String,
    /// Column keys, in order.
    pub columns: Vec<&'static str>,
    pub built_in: bool,
    /// Who saved it, when (saved sets).
    pub saved_by: Option<String>,
    pub saved_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl SetView {
    /// The headers, in order.
    pub fn headers(&self) -> Vec<&'static str> {
        self.columns
            .iter()
            .filter_map(|k| column(k).map(|c| c.header))
            .collect()
    }
}

fn built_in(name: &str) -> Option<SetView> {
    BUILT_IN
        .iter()
        .find(|(n, _)| *n == name.trim())
        .map(|(n, keys)| SetView {
            name: (*n).to_string(),
            columns: if keys.is_empty() {
                COLUMNS.iter().map(|c| c.key).collect()
            } else {
                keys.to_vec()
            },
            built_in: true,
            saved_by: None,
            saved_at: None,
        })
}

/// Column keys from a list of keys or headers (`编号,申请人,received`): every name known,
/// none twice, at least one.
pub fn parse_columns<S: AsRef<str>>(names: &[S]) -> Result<Vec<&'static str>> {
    let mut out: Vec<&'static str> = Vec::new();
    for n in names {
        let n = n.as_ref().trim();
        if n.is_empty() {
            continue;
        }
        let col = column(n).ok_or_else(|| {
            ServiceError::invalid(
                "导出列",
                format!(
                    "没有“{n}”这一列；可用：{}",
                    COLUMNS
                        .iter()
                        .map(|c| format!("{}（{}）", c.key, c.header))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            )
        })?;
        if out.contains(&col.key) {
            return Err(ServiceError::invalid(
                "导出列",
                format!("“{}”列出现了两次", col.header),
            ));
        }
        out.push(col.key);
    }
    if out.is_empty() {
        return Err(ServiceError::invalid("导出列", "至少选择一列"));
    }
    Ok(out)
}

fn saved_view(s: ColumnSet) -> SetView {
    SetView {
        columns: s
            .columns
            .iter()
            .filter_map(|k| column(k).map(|c| c.key))
            .collect(),
        name: s.name,
        built_in: false,
        saved_by: Some(s.saved_by),
        saved_at: Some(s.saved_at),
    }
}

/// A file to hand over.
#[derive(Debug, Clone)]
pub struct Export {
    pub bytes: Vec<u8>,
    /// `依申请公开台账-2026-12-06.xlsx`.
    pub file_name: String,
    pub content_type: &'static str,
    /// Applications in the file (ledger exports).
    pub rows: usize,
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    Date(NaiveDate),
    Number(i64),
    Decimal(String, f64),
}

impl From<Option<NaiveDate>> for Cell {
    fn from(d: Option<NaiveDate>) -> Self {
        d.map_or(Cell::Empty, Cell::Date)
    }
}

fn text(s: impl Into<String>) -> Cell {
    let s = s.into();
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s)
    }
}

fn yes_no(b: bool) -> Cell {
    text(if b { "是" } else { "否" })
}

/// The value of column `key` for one application.
fn value(key: &str, a: &Application, s: &ApplicationState, full_identity: bool) -> Cell {
    let extension = s.clock.as_ref().and_then(|c| c.extension.as_ref());
    match key {
        "number" => text(a.id.0.clone()),
        "applicant" => text(a.applicant.name.clone()),
        "applicant_kind" => text(a.applicant.kind.label_zh()),
        "id_number" => a.applicant.identity.as_ref().map_or(Cell::Empty, |i| {
            text(if full_identity {
                i.number.clone()
            } else {
                mask_id_number(&i.number)
            })
        }),
        "representative" => text(a.applicant.representative.clone().unwrap_or_default()),
        "phone" => text(a.applicant.contact.phone.clone().unwrap_or_default()),
        "description" => text(a.request.description.clone()),
        "document_number" => text(a.request.document_number.clone().unwrap_or_default()),
        "channel" => s
            .channel
            .as_ref()
            .map_or(Cell::Empty, |c| text(c.label_zh())),
        "received" => s.received_on.into(),
        "correction_requested" => s.correction.as_ref().map(|c| c.requested_on).into(),
        "correction_due" => s.correction.as_ref().map(|c| c.due).into(),
        "corrected" => s.correction.as_ref().and_then(|c| c.corrected_on).into(),
        "extended" => extension.map(|e| e.date).into(),
        "extension_days" => extension.map_or(Cell::Empty, |e| Cell::Number(i64::from(e.days))),
        "statutory_deadline" => s.clock.as_ref().map(|c| c.statutory_deadline).into(),
        "deadline" => s.deadline().into(),
        "decided" => s.decided_on.into(),
        "decision" => match s.closure {
            Some(Closure::Replied) => s.decision.map_or(Cell::Empty, |d| text(d.label_zh())),
            Some(Closure::Withdrawn) => text("申请人撤回"),
            Some(Closure::NotCorrected) => text("逾期不补正"),
            Some(Closure::FeeNotPaid) => text("逾期未缴费"),
            None => Cell::Empty,
        },
        "replied" => s.closed_on.into(),
        "reply_method" => a
            .events
            .iter()
            .rev()
            .find_map(|e| match &e.kind {
                EventKind::ReplySent { method } => Some(text(method.label_zh())),
                _ => None,
            })
            .unwrap_or(Cell::Empty),
        "stage" => text(s.stage.label_zh()),
        "closure" => s.closure.map_or(Cell::Empty, |c| text(c.to_string())),
        "overdue" => {
            if s.received_on.is_some() {
                yes_no(s.is_overdue())
            } else {
                Cell::Empty
            }
        }
        "replied_late" => {
            if s.closure == Some(Closure::Replied) {
                yes_no(s.replied_late)
            } else {
                Cell::Empty
            }
        }
        "fee" => s.fee.as_ref().map_or(Cell::Empty, |f| {
            use rust_decimal::prelude::ToPrimitive;
            Cell::Decimal(f.amount.to_string(), f.amount.to_f64().unwrap_or(0.0))
        }),
        _ => Cell::Empty,
    }
}

/// The ledger's rows as CSV: UTF-8 with a BOM (Excel reads it), dates `YYYY-MM-DD`,
/// every cell through [`csv_cell`].
fn csv_bytes(
    columns: &[&'static Column],
    rows: &[Vec<Cell>],
) -> std::result::Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(columns.iter().map(|c| csv_cell(c.header).into_owned()))?;
    for row in rows {
        w.write_record(row.iter().map(|v| match v {
            Cell::Empty => String::new(),
            Cell::Text(s) => csv_cell(s).into_owned(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Number(n) => n.to_string(),
            Cell::Decimal(s, _) => csv_cell(s).into_owned(),
        }))?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

fn xlsx_bytes(columns: &[&'static Column], rows: Vec<Vec<Cell>>) -> Result<Vec<u8>> {
    let headers: Vec<&str> = columns.iter().map(|c| c.header).collect();
    let widths: Vec<f64> = columns.iter().map(|c| f64::from(c.width)).collect();
    let rows: Vec<Vec<SheetValue>> = rows
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(|v| match v {
                    Cell::Empty => SheetValue::Empty,
                    Cell::Text(s) => SheetValue::Text(s),
                    Cell::Date(d) => SheetValue::Date(d),
                    Cell::Number(n) => SheetValue::Number(n as f64),
                    Cell::Decimal(_, f) => SheetValue::Number(f),
                })
                .collect()
        })
        .collect();
    xlsx::table("依申请公开台账", &headers, &widths, &rows)
        .map_err(|e| ServiceError::BadRequest(e.to_string()))
}

/// The filter as the audit row records it.
fn filter_json(f: &ListFilter) -> serde_json::Value {
    json!({
        "status": f.status.name(),
        "search": f.search,
        "year": f.year,
        "overdue": f.overdue,
        "due_within": f.due_within,
    })
}

impl Service {
    /// The column sets: the built-in ones, then the saved ones by name.
    pub async fn column_sets(&self) -> Result<Vec<SetView>> {
        let mut out: Vec<SetView> = BUILT_IN.iter().filter_map(|(n, _)| built_in(n)).collect();
        out.extend(self.store.column_sets().await?.into_iter().map(saved_view));
        Ok(out)
    }

    /// The column set `spec`: a built-in or saved set's name, or a list of column keys or
    /// headers separated by commas (`编号,申请人,收到日期`); `None`: [`DEFAULT_SET`].
    pub async fn resolve_columns(&self, spec: Option<&str>) -> Result<SetView> {
        let spec = spec
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or(DEFAULT_SET);
        limits::text("name", spec)?;
        if let Some(b) = built_in(spec) {
            return Ok(b);
        }
        if let Some(s) = self.store.column_set(spec).await? {
            return Ok(saved_view(s));
        }
        if spec.contains([',', '，']) || column(spec).is_some() {
            let names: Vec<&str> = spec.split([',', '，']).collect();
            return Ok(SetView {
                name: spec.to_string(),
                columns: parse_columns(&names)?,
                built_in: false,
                saved_by: None,
                saved_at: None,
            });
        }
        Err(ServiceError::NotFound {
            what: "导出列模板",
            id: spec.to_string(),
        })
    }

    /// Saves the column set `name` (keys or headers, in order); refused for a built-in
    /// name, an unknown or repeated column. Audited (`column_set.save`).
    pub async fn save_column_set<S: AsRef<str>>(
        &self,
        actor: &Actor,
        name: &str,
        columns: &[S],
    ) -> Result<SetView> {
        let name = name.trim();
        limits::text("name", name)?;
        if name.is_empty() {
            return Err(ServiceError::invalid("模板名称", "模板名称不能为空"));
        }
        if built_in(name).is_some() || name.contains([',', '，']) {
            return Err(ServiceError::invalid(
                "模板名称",
                format!("“{name}”是内置模板的名称或含有逗号，请换一个名称"),
            ));
        }
        let keys = parse_columns(columns)?;
        let r = self
            .store
            .save_column_set(
                name,
                keys.iter().map(|k| (*k).to_string()).collect(),
                &actor.stamp(),
            )
            .await;
        let set = self
            .refused(actor, "column_set.save", name, r.map_err(Into::into))
            .await?;
        tracing::info!(name, user = actor.name(), "column set saved");
        Ok(saved_view(set))
    }

    /// Deletes the saved column set `name`. Audited (`column_set.delete`).
    pub async fn delete_column_set(&self, actor: &Actor, name: &str) -> Result<()> {
        limits::text("name", name)?;
        let r = self
            .store_for(actor)
            .delete_column_set(name, &actor.stamp())
            .await;
        self.refused(actor, "column_set.delete", name, r.map_err(Into::into))
            .await
    }

    /// The ledger as `format`: every application the filter selects (paging ignored), in
    /// the list's order, with the columns of `columns` ([`Service::resolve_columns`]).
    /// Audited as a download.
    pub async fn export_ledger(
        &self,
        actor: &Actor,
        filter: &ListFilter,
        columns: Option<&str>,
        format: ExportFormat,
    ) -> Result<Export> {
        let set = self.for_actor(actor).resolve_columns(columns).await?;
        let cols: Vec<&'static Column> = set.columns.iter().filter_map(|k| column(k)).collect();
        let filter = ListFilter {
            offset: 0,
            limit: None,
            ..filter.clone()
        };
        let listing = self.for_actor(actor).list(&filter).await?;
        let full_identity = actor.roles().iter().any(|r| r.can_see_identity());
        let rows: Vec<Vec<Cell>> = listing
            .rows
            .iter()
            .map(|Listed { application, state }| {
                cols.iter()
                    .map(|c| value(c.key, application, state, full_identity))
                    .collect()
            })
            .collect();
        let n = rows.len();
        let bytes = match format {
            ExportFormat::Csv => csv_bytes(&cols, &rows)
                .map_err(|e| ServiceError::BadRequest(format!("无法生成 CSV：{e}")))?,
            ExportFormat::Xlsx => xlsx_bytes(&cols, rows)?,
        };
        self.store_for(actor)
            .record_audit(
                &actor.stamp(),
                "download",
                "ledger",
                "export",
                json!({
                    "format": format.as_str(),
                    "filter": filter_json(&filter),
                    "column_set": set.name,
                    "columns": set.columns,
                    "rows": n,
                }),
            )
            .await?;
        tracing::info!(
            rows = n,
            format = format.as_str(),
            user = actor.name(),
            "ledger exported"
        );
        Ok(Export {
            bytes,
            file_name: format!(
                "依申请公开台账-{}.{}",
                Service::today().format("%Y-%m-%d"),
                format.as_str()
            ),
            content_type: format.content_type(),
            rows: n,
        })
    }

    /// The official report of `year` ([`Service::official_year_end`]) as the three tables
    /// in the national layout (`gongkai_write::xlsx::statistics`). Audited as a download
    /// (`annual_report`, `xlsx`).
    pub async fn statistics_xlsx(&self, actor: &Actor, year: i32) -> Result<Export> {
        let official = self.for_actor(actor).official_year_end(year, None).await?;
        let bytes = xlsx::statistics(
            &official.year_end.report,
            &gongkai_write::Options::default(),
        )
        .map_err(|e| ServiceError::BadRequest(e.to_string()))?;
        self.record_download(actor, "annual_report", &year.to_string(), "xlsx")
            .await?;
        Ok(Export {
            bytes,
            file_name: format!("{year}年政府信息公开工作年度报告统计表.xlsx"),
            content_type: ExportFormat::Xlsx.content_type(),
            rows: 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_key_is_a_column_and_headers_are_unique() {
        for (name, keys) in BUILT_IN {
            for k in keys {
                assert!(column(k).is_some(), "{name}: {k}");
            }
        }
        let mut headers: Vec<&str> = COLUMNS.iter().map(|c| c.header).collect();
        headers.sort_unstable();
        headers.dedup();
        assert_eq!(headers.len(), COLUMNS.len());
        let standard = built_in("标准").unwrap().headers();
        for h in [
            "申请人",
            "收到日期",
            "申请内容",
            "答复日期",
            "办理结果",
            "延期",
            "补正",
        ] {
            assert!(standard.contains(&h), "{h}");
        }
    }

    #[test]
    fn columns_parse_by_key_or_header() {
        assert_eq!(
            parse_columns(&["编号", "received", " 办理结果 "]).unwrap(),
            ["number", "received", "decision"]
        );
        let e = parse_columns(&["编号", "number"]).unwrap_err();
        assert!(e.to_string().contains("两次"), "{e}");
        let e = parse_columns(&["身高"]).unwrap_err();
        assert!(e.to_string().contains("没有“身高”这一列"), "{e}");
        assert!(parse_columns::<&str>(&[]).is_err());
        assert_eq!("XLSX".parse::<ExportFormat>().unwrap(), ExportFormat::Xlsx);
        assert!("pdf".parse::<ExportFormat>().is_err());
    }

    #[test]
    fn csv_cells_are_guarded() {
        let cols: Vec<&Column> = ["number", "applicant", "received", "extension_days"]
            .iter()
            .map(|k| column(k).unwrap())
            .collect();
        let rows = vec![vec![
            Cell::Text("-2025-1".into()),
            Cell::Text("=HYPERLINK(\"http://x\",\"点我\")".into()),
            Cell::Date(NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()),
            Cell::Number(20),
        ]];
        let text = String::from_utf8(csv_bytes(&cols, &rows).unwrap()).unwrap();
        assert!(
            text.starts_with("\u{feff}编号,申请人,收到日期,延长工作日数\n"),
            "{text}"
        );
        let line = text.lines().nth(1).unwrap();
        assert_eq!(
            line,
            "'-2025-1,\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",2025-03-01,20"
        );
    }
}
