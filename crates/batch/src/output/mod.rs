//! The tables of a batch and the three files they are written to.
//!
//! Five tables, the same in every format:
//!
//! | table | CSV file | XLSX sheet | JSON key | one row per |
//! |---|---|---|---|---|
//! | reports | `reports.csv` | 报告 | `reports` | file: identity, format, read status and reason, error and warning counts, finding codes, whether it counts in totals, the 200 cells |
//! | findings | `findings.csv` | 问题 | `findings` | finding: the checker's and the batch's, with file, agency, year, code, severity, message, cells |
//! | year over year | `year_over_year.csv` | 逐年对比 | `year_over_year` | agency and pair of consecutive years |
//! | roll-up | `rollup.csv` | 汇总 | `rollup` | jurisdiction node and year: agencies expected, reporting, missing, late, the 200 cell sums |
//! | coverage | `coverage.csv` | 覆盖情况 | `coverage` | agency and year: on time, late, undated, missing, unlisted |
//!
//! The last two exist only with a jurisdiction file.
//!
//! * **CSV**: `-o OUT` is a *directory*; one UTF-8 file with a byte-order mark per table
//!   (so that Excel detects the encoding), Chinese headers. Separate files rather than one
//!   file with a `kind` column, because the tables have different columns and each opens
//!   as a clean sheet. A text field that starts with `=`, `+`, `-` or `@` gets a leading
//!   `'` so that a spreadsheet does not run it as a formula.
//! * **XLSX**: `-o OUT` is the workbook; one sheet per table, written in
//!   `rust_xlsxwriter`'s constant-memory mode (rows go to a temporary file as they are
//!   written). A table longer than Excel's 1,048,576 rows continues on a sheet `问题 (2)`.
//! * **JSON**: `-o OUT` is one object `{"findings": […], "reports": […],
//!   "year_over_year": […], "rollup": {…} | null, "coverage": […] | null, "summary": {…}}`
//!   with English keys; findings come first because they are streamed while the batch runs.
//!
//! Findings are written while the batch runs ([`FindingSink`]); the other tables at
//! [`OutputWriter::finish`].

use std::path::{Path, PathBuf};

use gongkai_format::FormatVersion;
use gongkai_report::Value;

use crate::rollup::{NodeYear, Rollup};
use crate::rules::FindingRow;
use crate::summary::ReportSummary;
use crate::yoy::YearPair;
use crate::{Batch, BatchError, FindingSink};

mod csv;
mod json;
mod xlsx;

pub use self::csv::formula_safe;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    /// A directory of CSV files.
    Csv,
    /// One workbook.
    Xlsx,
    /// One JSON file.
    Json,
}

impl OutputFormat {
    /// `xlsx` for `*.xlsx`, `json` for `*.json`, otherwise CSV (a directory).
    pub fn from_path(path: &Path) -> OutputFormat {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("xlsx") => OutputFormat::Xlsx,
            Some("json") => OutputFormat::Json,
            _ => OutputFormat::Csv,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Csv => "csv",
            OutputFormat::Xlsx => "xlsx",
            OutputFormat::Json => "json",
        }
    }
}

/// A writer of one output: created before the batch runs (findings stream into it),
/// finished after.
pub enum OutputWriter {
    Csv(Box<csv::CsvOut>),
    Xlsx(Box<xlsx::XlsxOut>),
    Json(json::JsonOut),
}

impl OutputWriter {
    /// Creates the output at `path` (a directory for CSV, a file otherwise).
    pub fn create(format: OutputFormat, path: &Path) -> Result<Self, BatchError> {
        Ok(match format {
            OutputFormat::Csv => OutputWriter::Csv(Box::new(csv::CsvOut::create(path)?)),
            OutputFormat::Xlsx => OutputWriter::Xlsx(Box::new(xlsx::XlsxOut::create(path)?)),
            OutputFormat::Json => OutputWriter::Json(json::JsonOut::create(path)?),
        })
    }

    /// Writes the remaining tables; returns the files written.
    pub fn finish(self, batch: &Batch) -> Result<Vec<PathBuf>, BatchError> {
        match self {
            OutputWriter::Csv(w) => w.finish(batch),
            OutputWriter::Xlsx(w) => w.finish(batch),
            OutputWriter::Json(w) => w.finish(batch),
        }
    }
}

impl FindingSink for OutputWriter {
    fn finding(&mut self, row: &FindingRow) -> Result<(), BatchError> {
        match self {
            OutputWriter::Csv(w) => w.finding(row),
            OutputWriter::Xlsx(w) => w.finding(row),
            OutputWriter::Json(w) => w.finding(row),
        }
    }
}

/// One field of a table row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Field {
    Empty,
    Text(String),
    Int(i64),
    Num(Value),
    /// A share 0..=1, shown as a percentage in XLSX and with four decimals in CSV.
    Ratio(f64),
}

impl Field {
    fn text(s: impl Into<String>) -> Field {
        Field::Text(s.into())
    }

    fn opt_text(s: Option<&str>) -> Field {
        s.map_or(Field::Empty, Field::text)
    }

    fn opt_int(n: Option<i64>) -> Field {
        n.map_or(Field::Empty, Field::Int)
    }

    fn opt_num(v: Option<Value>) -> Field {
        v.map_or(Field::Empty, Field::Num)
    }
}

/// A table: its names and header.
pub(crate) struct TableDef {
    /// CSV file stem.
    pub file: &'static str,
    /// XLSX sheet name.
    pub sheet: &'static str,
    pub headers: Vec<String>,
}

/// The 2021 cell ids, the cell columns of the reports and roll-up tables.
fn cell_ids() -> impl Iterator<Item = &'static str> {
    FormatVersion::Revised2021
        .cells()
        .iter()
        .map(|c| c.id.as_str())
}

fn headers(fixed: &[&str], cells: bool) -> Vec<String> {
    let mut h: Vec<String> = fixed.iter().map(|s| (*s).to_string()).collect();
    if cells {
        h.extend(cell_ids().map(str::to_string));
    }
    h
}

pub(crate) fn reports_table() -> TableDef {
    TableDef {
        file: "reports",
        sheet: "报告",
        headers: headers(
            &[
                "文件",
                "文件类型",
                "报告格式",
                "读取状态",
                "原因",
                "机关",
                "机关（规范化）",
                "年度",
                "发布日期",
                "错误",
                "警告",
                "问题代码",
                "计入汇总",
            ],
            true,
        ),
    }
}

pub(crate) fn report_row(r: &ReportSummary) -> Vec<Field> {
    let mut row = vec![
        Field::text(&r.file),
        Field::text(r.input.as_str()),
        Field::opt_text(r.format.map(|f| f.as_str())),
        Field::text(r.status.label_zh()),
        Field::opt_text(r.status.reason()),
        Field::opt_text(r.agency.as_deref()),
        Field::opt_text(r.agency_key.as_deref()),
        Field::opt_int(r.year.map(i64::from)),
        Field::opt_text(r.published()),
        Field::Int(i64::from(r.errors)),
        Field::Int(i64::from(r.warnings)),
        Field::text(r.codes.join(" ")),
        Field::text(if r.selected { "是" } else { "否" }),
    ];
    let mut sums = vec![None; FormatVersion::Revised2021.cells().len()];
    crate::rollup::add_cells(&mut sums, r);
    row.extend(sums.into_iter().map(Field::opt_num));
    row
}

pub(crate) fn findings_table() -> TableDef {
    TableDef {
        file: "findings",
        sheet: "问题",
        headers: headers(
            &[
                "文件",
                "机关",
                "年度",
                "代码",
                "级别",
                "部分",
                "说明",
                "单元格",
                "预期",
                "实际",
                "相差",
                "位置",
                "message_en",
            ],
            false,
        ),
    }
}

pub(crate) fn finding_row(f: &FindingRow) -> Vec<Field> {
    vec![
        Field::text(&f.file),
        Field::opt_text(f.agency.as_deref()),
        Field::opt_int(f.year.map(i64::from)),
        Field::text(f.code),
        Field::text(f.severity.zh()),
        Field::opt_int(f.section.map(i64::from)),
        Field::text(&f.message_zh),
        Field::text(f.cells.join(" ")),
        Field::opt_num(f.expected),
        Field::opt_num(f.found),
        Field::opt_num(f.difference),
        Field::opt_text(f.location.as_deref()),
        Field::text(&f.message_en),
    ]
}

pub(crate) fn pairs_table() -> TableDef {
    TableDef {
        file: "year_over_year",
        sheet: "逐年对比",
        headers: headers(
            &[
                "机关（规范化）",
                "上一年度",
                "年度",
                "上一年度文件",
                "本年度文件",
                "结转不符的列",
                "现行有效件数不符的行",
                "异常变化的数据",
                "相同句子",
                "可比句子",
                "正文雷同比例",
                "上年新收申请",
                "本年新收申请",
            ],
            false,
        ),
    }
}

pub(crate) fn pair_row(p: &YearPair) -> Vec<Field> {
    vec![
        Field::text(&p.agency),
        Field::Int(i64::from(p.previous_year)),
        Field::Int(i64::from(p.year)),
        Field::text(&p.previous_file),
        Field::text(&p.file),
        Field::Int(i64::from(p.carry_over_mismatches)),
        Field::Int(i64::from(p.in_force_mismatches)),
        Field::Int(i64::from(p.jumps)),
        Field::Int(p.copied_sentences as i64),
        Field::Int(p.sentences as i64),
        p.copied_share.map_or(Field::Empty, Field::Ratio),
        Field::opt_int(p.new_received_previous),
        Field::opt_int(p.new_received),
    ]
}

pub(crate) fn rollup_table() -> TableDef {
    TableDef {
        file: "rollup",
        sheet: "汇总",
        headers: headers(
            &[
                "节点路径",
                "节点",
                "层级",
                "年度",
                "应发布机关",
                "已发布",
                "未发布",
                "逾期发布",
            ],
            true,
        ),
    }
}

pub(crate) fn rollup_row(r: &Rollup, t: &NodeYear) -> Vec<Field> {
    let node = &r.jurisdiction.nodes[t.node];
    let mut row = vec![
        Field::text(&node.path),
        Field::text(&node.name),
        Field::Int(node.depth as i64),
        Field::Int(i64::from(t.year)),
        Field::Int(t.expected as i64),
        Field::Int(t.reporting as i64),
        Field::Int(t.missing() as i64),
        Field::Int(t.late as i64),
    ];
    row.extend(t.cells.iter().copied().map(Field::opt_num));
    row
}

pub(crate) fn coverage_table() -> TableDef {
    TableDef {
        file: "coverage",
        sheet: "覆盖情况",
        headers: headers(
            &[
                "年度",
                "节点路径",
                "机关",
                "状态",
                "发布日期",
                "发布期限",
                "文件",
            ],
            false,
        ),
    }
}

pub(crate) fn coverage_rows(r: &Rollup) -> impl Iterator<Item = Vec<Field>> + '_ {
    r.coverage.iter().map(|c| {
        vec![
            Field::Int(i64::from(c.year)),
            Field::text(&c.node_path),
            Field::text(&c.agency),
            Field::text(c.status.label_zh()),
            Field::opt_text(c.published.as_deref()),
            Field::text(&c.deadline),
            Field::opt_text(c.file.as_deref()),
        ]
    })
}

/// Maps an I/O error on `path` to a [`BatchError`].
pub(crate) fn write_err(path: &Path) -> impl FnOnce(std::io::Error) -> BatchError + '_ {
    move |source| BatchError::Write {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_extension() {
        assert_eq!(
            OutputFormat::from_path("a.XLSX".as_ref()),
            OutputFormat::Xlsx
        );
        assert_eq!(
            OutputFormat::from_path("a.json".as_ref()),
            OutputFormat::Json
        );
        assert_eq!(OutputFormat::from_path("out".as_ref()), OutputFormat::Csv);
        assert_eq!(
            OutputFormat::from_path("out.csv".as_ref()),
            OutputFormat::Csv
        );
    }

    #[test]
    fn tables_have_as_many_fields_as_headers() {
        let cells = FormatVersion::Revised2021.cells().len();
        assert_eq!(reports_table().headers.len(), 13 + cells);
        assert_eq!(rollup_table().headers.len(), 8 + cells);
        assert_eq!(findings_table().headers.len(), 13);
        assert_eq!(pairs_table().headers.len(), 13);
        assert_eq!(coverage_table().headers.len(), 7);
    }
}
