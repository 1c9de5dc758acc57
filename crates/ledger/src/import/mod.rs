//! Bringing an office's existing records in (导入): the applications of its old ledger
//! sheet with their events, and its list of documents in force (规章、行政规范性文件).
//!
//! The crate stays pure: a front end reads the file (XLSX through `calamine`, CSV) into a
//! [`Sheet`] of [`Cell`]s; this module finds the header row ([`headers::columns`]: merged
//! header cells, a saved [`headers::Mapping`], the common Chinese headers), turns each
//! data row into a planned application or document ([`plan`]) — validated by the same
//! ledger rules as a typed entry — or a [`Refusal`] naming the row, the column and the
//! reason in Chinese. Nothing is written here; the store writes a plan in one
//! transaction.
//!
//! # Identity of an imported row
//!
//! A row's identity ([`PlannedApplication::key`]) is made of the fields that say which
//! application it is — the receipt date, the applicant's name and the request text, each
//! trimmed with runs of white space made one space — and not of the fields that change as
//! it is handled (reply, outcome) nor of the sheet's own numbering (sheets are renumbered,
//! export and re-import must match). A document's identity is its kind, title and issue
//! date. The store keeps the SHA-256 of each imported identity (table `import_keys`) and
//! compares against every application already in the ledger, so importing the same sheet
//! twice — or a sheet exported from gongkai — creates nothing twice; two rows of one sheet
//! with the same identity are a duplicate, and the second is refused.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod applications;
pub mod dates;
mod documents;
pub mod headers;

pub use applications::{Outcome, PlannedApplication, identity_of, parse_outcome};
pub use documents::{PlannedDocument, document_identity};
pub use headers::{Columns, Field, Mapping};

use crate::application::Context;

/// What a sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// 依申请公开台账: one application a row.
    Applications,
    /// 规章、行政规范性文件: one document a row.
    Documents,
}

impl ImportKind {
    pub fn name(self) -> &'static str {
        match self {
            ImportKind::Applications => "applications",
            ImportKind::Documents => "documents",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            ImportKind::Applications => "依申请公开台账",
            ImportKind::Documents => "规章和行政规范性文件",
        }
    }

    /// `applications`/`申请`/`台账`, `documents`/`文件`.
    pub fn parse(text: &str) -> Option<ImportKind> {
        match text.trim() {
            "applications" | "application" | "申请" | "台账" | "依申请公开台账" => {
                Some(ImportKind::Applications)
            }
            "documents" | "document" | "文件" | "规范性文件" | "规章和行政规范性文件" => {
                Some(ImportKind::Documents)
            }
            _ => None,
        }
    }
}

/// A cell as read from the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v", rename_all = "snake_case")]
pub enum Cell {
    Empty,
    Text(String),
    /// A number (an Excel date is a number formatted as a date: a serial).
    Number(f64),
    Date(NaiveDate),
}

impl Cell {
    /// The cell as text (a whole number without `.0`, a date as `YYYY-MM-DD`).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// A sheet: rows of cells, row 0 being the sheet's first row (merged cells already
/// filled with the value of their top-left cell by the reader).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    /// The widest row's length.
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// A CSV text as a sheet (every cell text; a UTF-8 BOM is dropped). Errors carry the
    /// csv crate's position-free message.
    pub fn from_rows<I, R, S>(rows: I) -> Sheet
    where
        I: IntoIterator<Item = R>,
        R: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Sheet {
            rows: rows
                .into_iter()
                .map(|r| {
                    r.into_iter()
                        .map(|s| {
                            let s: String = s.into();
                            let s = s.trim_start_matches('\u{feff}');
                            if s.trim().is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(s.to_string())
                            }
                        })
                        .collect()
                })
                .collect(),
        }
    }
}

/// A row that cannot be imported: its number in the sheet (1 = the first row, as the
/// spreadsheet program shows it), the column's header (if the reason is one cell's) and
/// the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub row: usize,
    #[serde(default)]
    pub column: Option<String>,
    pub reason: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "第 {} 行“{}”列：{}", self.row, c, self.reason),
            None => write!(f, "第 {} 行：{}", self.row, self.reason),
        }
    }
}

/// What a sheet would bring in: the planned records (not yet compared with the ledger),
/// the refused rows and how many rows were blank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub kind: ImportKind,
    pub columns: Columns,
    pub applications: Vec<PlannedApplication>,
    pub documents: Vec<PlannedDocument>,
    pub refused: Vec<Refusal>,
    pub blank_rows: usize,
}

/// Why a sheet cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error(
        "表格中找不到标题行：前 10 行中没有一行含有两个以上可识别的列标题（如 申请人、收到日期、申请内容）"
    )]
    NoHeaderRow,
    #[error("未指定“{}”列：请在列对应中选择该列（可识别的标题如 {}）", .0.label(), .0.label())]
    MissingColumn(Field),
}

/// Plans the import of `sheet` with `columns` (from [`headers::columns`], possibly
/// changed by the user): `source` (the file's name) goes into each record's note, `ctx`
/// validates each application as the ledger would (today: no future dates).
pub fn plan(
    kind: ImportKind,
    sheet: &Sheet,
    columns: Columns,
    source: &str,
    ctx: &Context<'_>,
) -> Result<Plan, PlanError> {
    for f in Field::of(kind) {
        if f.required() && !columns.fields.contains_key(f) {
            return Err(PlanError::MissingColumn(*f));
        }
    }
    let mut out = Plan {
        kind,
        columns,
        applications: Vec::new(),
        documents: Vec::new(),
        refused: Vec::new(),
        blank_rows: 0,
    };
    let mut seen = std::collections::HashMap::new();
    let number_col = out.columns.fields.get(&Field::Number).copied();
    for (i, row) in sheet
        .rows
        .iter()
        .enumerate()
        .skip(out.columns.header_row + 1)
    {
        let n = i + 1;
        let blank = row
            .iter()
            .enumerate()
            .all(|(c, cell)| cell.is_empty() || Some(c) == number_col);
        if blank {
            out.blank_rows += 1;
            continue;
        }
        let key = match kind {
            ImportKind::Applications => {
                match applications::plan_row(row, n, &out.columns, source, ctx) {
                    Ok(p) => {
                        let k = p.key.clone();
                        out.applications.push(p);
                        k
                    }
                    Err(r) => {
                        out.refused.push(r);
                        continue;
                    }
                }
            }
            ImportKind::Documents => match documents::plan_row(row, n, &out.columns, ctx) {
                Ok(p) => {
                    let k = p.key.clone();
                    out.documents.push(p);
                    k
                }
                Err(r) => {
                    out.refused.push(r);
                    continue;
                }
            },
        };
        if let Some(first) = seen.insert(key, n) {
            match kind {
                ImportKind::Applications => out.applications.pop(),
                ImportKind::Documents => {
                    out.documents.pop();
                    None
                }
            };
            let what = match kind {
                ImportKind::Applications => "同一申请人、收到日期与申请内容",
                ImportKind::Documents => "同一类别、文件名称与发布日期",
            };
            out.refused.push(Refusal {
                row: n,
                column: None,
                reason: format!("与第 {first} 行重复（{what}），不重复导入"),
            });
        }
    }
    out.refused.sort_by_key(|r| r.row);
    Ok(out)
}

/// Trimmed, runs of white space as one space: the form identities are made of.
pub(crate) fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
