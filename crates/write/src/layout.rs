//! The report as a format-neutral document: title, the six sections with their
//! paragraphs, and the three tables of the national format as grids with merged cells.
//!
//! This is the one place that knows the printed layout (`../shared/spec/regulations.md`
//! §1.3–1.5); the writers only turn it into their syntax. A [`Table`] lists, row by row,
//! the cells that *start* at each position (HTML's model); [`Table::grid`] gives the full
//! grid with the covered positions, which DOCX (`vMerge` continuation cells) and Markdown
//! (spelled-out merged cells) need.

use gongkai_format::{
    APPEAL_COLUMNS, APPEAL_GROUPS, APPLICANT_COLUMNS, CellIdx, OutcomeGroup, SECTION_HEADINGS,
    s2_cell_at, s3_cell_at, s4_cell_at,
};
use gongkai_report::{PrintedDate, Report, Value};

use crate::Options;

/// The text of the 3×3 corner cell of table 三.
pub const S3_CORNER: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

/// What a cell is, for header markup (`th scope`), fonts and alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The corner of table 三 (the 勾稽 note).
    Corner,
    /// A column heading (申请人情况, 自然人, 行政复议, 结果维持 …).
    ColumnHeader,
    /// A sub-table caption row of section 二 (第二十条第（一）项).
    Caption,
    /// A row label (规章, 一、本年新收…, 1.属于国家秘密 …).
    RowHeader,
    /// A label spanning a group of rows (三、本年度办理结果, （三）不予公开 …).
    GroupHeader,
    /// A value.
    Data,
}

/// A cell that starts at (its row, `col`).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The printed text: a label, a value, or the blank marker.
    pub text: String,
    /// First grid column.
    pub col: usize,
    pub col_span: usize,
    pub row_span: usize,
    pub role: Role,
    /// For a [`Role::GroupHeader`]: the numbering repeated where plain-text outputs spell
    /// the merged cell out (`三、`, `（三）`).
    pub short: &'static str,
    /// For a [`Role::Data`] cell: which report cell it shows.
    pub cell: Option<CellIdx>,
    /// For a [`Role::Data`] cell: true when the value is blank.
    pub blank: bool,
    /// Set in a narrow column, one character per line (三、本年度办理结果).
    pub vertical: bool,
}

impl Cell {
    fn label(text: impl Into<String>, col: usize, col_span: usize, role: Role) -> Cell {
        Cell {
            text: text.into(),
            col,
            col_span,
            row_span: 1,
            role,
            short: "",
            cell: None,
            blank: false,
            vertical: false,
        }
    }

    fn rows(mut self, n: usize) -> Cell {
        self.row_span = n;
        self
    }

    fn value(report: &Report, idx: CellIdx, col: usize, col_span: usize, opts: &Options) -> Cell {
        let v = report.cells.get(idx.0 as usize).copied().flatten();
        Cell {
            text: format_value(v, &opts.blank),
            col,
            col_span,
            row_span: 1,
            role: Role::Data,
            short: "",
            cell: Some(idx),
            blank: v.is_none(),
            vertical: false,
        }
    }

    /// True for any kind of heading cell (everything but values).
    pub fn is_header(&self) -> bool {
        self.role != Role::Data
    }
}

/// A row of a table: the cells that start in it, left to right.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// A column-heading row at the top of the table (repeated on every page).
    pub header: bool,
}

/// Which table of the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// 二、主动公开政府信息情况 (four sub-tables in one grid).
    S2,
    /// 三、收到和处理政府信息公开申请情况.
    S3,
    /// 四、政府信息公开行政复议、行政诉讼情况.
    S4,
}

/// One table with its merged cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub kind: TableKind,
    /// The table's name (HTML `title`); not printed: the section heading above the table
    /// names it.
    pub caption: &'static str,
    /// Relative column widths (per mille of the text width); their number is the number of
    /// grid columns.
    pub widths: Vec<u32>,
    pub rows: Vec<Row>,
}

/// What occupies one position of the grid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Slot<'a> {
    /// The cell starts here.
    Origin(&'a Cell),
    /// A merged cell that started above or to the left covers this position.
    Covered {
        cell: &'a Cell,
        /// The covered position is in the cell's first row (covered from the left).
        same_row: bool,
        /// The covered position is in the cell's first column (covered from above).
        same_col: bool,
    },
    /// Nothing: a malformed layout (never produced by this module).
    Empty,
}

impl Table {
    /// Number of grid columns.
    pub fn columns(&self) -> usize {
        self.widths.len()
    }

    /// Number of header rows at the top.
    pub fn header_rows(&self) -> usize {
        self.rows.iter().take_while(|r| r.header).count()
    }

    /// The full grid, `rows × columns`.
    pub fn grid(&self) -> Vec<Vec<Slot<'_>>> {
        let n = self.columns();
        let mut grid = vec![vec![Slot::Empty; n]; self.rows.len()];
        for (r, row) in self.rows.iter().enumerate() {
            for cell in &row.cells {
                for dr in 0..cell.row_span {
                    for dc in 0..cell.col_span {
                        let Some(slot) =
                            grid.get_mut(r + dr).and_then(|g| g.get_mut(cell.col + dc))
                        else {
                            continue;
                        };
                        *slot = if dr == 0 && dc == 0 {
                            Slot::Origin(cell)
                        } else {
                            Slot::Covered {
                                cell,
                                same_row: dr == 0,
                                same_col: dc == 0,
                            }
                        };
                    }
                }
            }
        }
        grid
    }
}

/// A section with its paragraphs and, for 二, 三 and 四, its table.
#[derive(Debug, Clone, PartialEq)]
pub struct DocSection {
    pub number: u8,
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub table: Option<Table>,
}

/// The whole report, ready for a writer.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub title: String,
    /// Dates printed under the title (all printed dates but the last).
    pub top_dates: Vec<String>,
    /// The lead-in paragraphs between the title and 一、总体情况.
    pub preamble: Vec<String>,
    /// Always the six sections, in order.
    pub sections: Vec<DocSection>,
    /// The signature (落款) and the last date, printed at the end.
    pub signature: Option<String>,
    pub date: Option<String>,
}

/// The printed form of a value: exact decimal text as given (`110.139`, `0.50`), or the
/// blank marker.
pub fn format_value(v: Option<Value>, blank: &str) -> String {
    match v {
        Some(v) => v.0.to_string(),
        None => blank.to_string(),
    }
}

/// The title: as printed, or composed from the agency and the year.
pub fn title(report: &Report) -> String {
    if let Some(t) = report
        .meta
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        return t.trim().to_string();
    }
    let agency = report.meta.agency.as_deref().unwrap_or("");
    match report.meta.year {
        Some(y) => format!("{agency}{y}年政府信息公开工作年度报告"),
        None => format!("{agency}政府信息公开工作年度报告"),
    }
}

/// Splits a section's text into paragraphs: one per line, blank lines dropped.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace()))
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn date_text(d: &PrintedDate) -> String {
    if !d.text.trim().is_empty() {
        return d.text.trim().to_string();
    }
    let mut parts = d.date.splitn(3, '-').map(|p| p.trim_start_matches('0'));
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(dd)) => format!("{y}年{m}月{dd}日"),
        _ => d.date.clone(),
    }
}

/// Lays the report out.
pub fn document(report: &Report, opts: &Options) -> Doc {
    let mut sections = Vec::with_capacity(6);
    for (i, (default_heading, _)) in SECTION_HEADINGS.iter().enumerate() {
        let number = i as u8 + 1;
        let found = report.section(number);
        let heading = found
            .map(|s| s.heading.trim())
            .filter(|h| !h.is_empty())
            .unwrap_or(default_heading)
            .to_string();
        let table = match number {
            2 => Some(table_s2(report, opts)),
            3 => Some(table_s3(report, opts)),
            4 => Some(table_s4(report, opts)),
            _ => None,
        };
        sections.push(DocSection {
            number,
            heading,
            paragraphs: found.map(|s| paragraphs(&s.text)).unwrap_or_default(),
            table,
        });
    }
    let mut dates: Vec<String> = report.meta.dates.iter().map(date_text).collect();
    let date = dates.pop();
    // The signature goes right above the last date; a reader finds it only there.
    let signature = report
        .meta
        .signed_by
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty() && date.as_deref().is_some_and(|d| !d.contains(s)))
        .map(str::to_string);
    Doc {
        title: title(report),
        top_dates: dates,
        preamble: report
            .meta
            .preamble
            .as_ref()
            .map(|p| paragraphs(&p.text))
            .unwrap_or_default(),
        sections,
        signature,
        date,
    }
}

/// Section 二: the four sub-tables (第二十条第（一）（五）（六）（八）项; the 2019 format
/// also （九）) in one grid of four columns: a caption row spanning the width, a
/// `信息内容` heading row, then the rows; the last value column of a sub-table spans
/// the remaining columns.
pub fn table_s2(report: &Report, opts: &Options) -> Table {
    let format = report.format;
    let rows_def = format.s2_rows();
    let width = 1 + rows_def.iter().map(|r| r.columns.len()).max().unwrap_or(1);
    let mut rows = Vec::new();
    let mut r = 0;
    while r < rows_def.len() {
        let caption = rows_def[r].caption;
        let group_end = rows_def[r..]
            .iter()
            .position(|d| d.caption != caption)
            .map_or(rows_def.len(), |k| r + k);
        let columns = rows_def[r].columns;
        let span = |c: usize| {
            if c + 1 == columns.len() {
                width - 1 - c
            } else {
                1
            }
        };
        rows.push(Row {
            cells: vec![Cell::label(caption, 0, width, Role::Caption)],
            header: false,
        });
        let mut head = vec![Cell::label("信息内容", 0, 1, Role::ColumnHeader)];
        for (c, (_, label, _)) in columns.iter().enumerate() {
            head.push(Cell::label(*label, 1 + c, span(c), Role::ColumnHeader));
        }
        rows.push(Row {
            cells: head,
            header: false,
        });
        for (k, def) in rows_def.iter().enumerate().take(group_end).skip(r) {
            let mut cells = vec![Cell::label(def.label, 0, 1, Role::RowHeader)];
            for c in 0..def.columns.len() {
                let idx = s2_cell_at(format, k, c);
                cells.push(Cell::value(report, idx, 1 + c, span(c), opts));
            }
            rows.push(Row {
                cells,
                header: false,
            });
        }
        r = group_end;
    }
    let label = 400;
    let rest = (1000 - label) / (width as u32 - 1).max(1);
    let mut widths = vec![label];
    widths.extend(std::iter::repeat_n(rest, width - 1));
    Table {
        kind: TableKind::S2,
        caption: "表一　主动公开政府信息情况",
        widths,
        rows,
    }
}

/// Section 三: three label columns and the seven applicant columns.
pub fn table_s3(report: &Report, opts: &Options) -> Table {
    let format = report.format;
    let defs = format.s3_rows();
    let n = APPLICANT_COLUMNS.len();
    let mut rows = vec![
        Row {
            cells: vec![
                Cell::label(S3_CORNER, 0, 3, Role::Corner).rows(3),
                Cell::label("申请人情况", 3, n, Role::ColumnHeader),
            ],
            header: true,
        },
        Row {
            cells: vec![
                Cell::label(APPLICANT_COLUMNS[0].short, 3, 1, Role::ColumnHeader).rows(2),
                Cell::label("法人或其他组织", 4, n - 2, Role::ColumnHeader),
                Cell::label(
                    APPLICANT_COLUMNS[n - 1].short,
                    3 + n - 1,
                    1,
                    Role::ColumnHeader,
                )
                .rows(2),
            ],
            header: true,
        },
        Row {
            cells: APPLICANT_COLUMNS[1..n - 1]
                .iter()
                .enumerate()
                .map(|(k, c)| Cell::label(c.short, 4 + k, 1, Role::ColumnHeader))
                .collect(),
            header: true,
        },
    ];
    let outcomes = defs
        .iter()
        .filter(|d| d.group != OutcomeGroup::None)
        .count();
    let mut outcome_seen = false;
    for (r, def) in defs.iter().enumerate() {
        let mut cells = Vec::new();
        if def.group == OutcomeGroup::None {
            cells.push(Cell::label(def.label, 0, 3, Role::RowHeader));
        } else {
            if !outcome_seen {
                outcome_seen = true;
                let mut c =
                    Cell::label("三、本年度办理结果", 0, 1, Role::GroupHeader).rows(outcomes);
                c.short = "三、";
                c.vertical = true;
                cells.push(c);
            }
            if def.item == 0 {
                cells.push(Cell::label(def.label, 1, 2, Role::RowHeader));
            } else {
                if def.item == 1 {
                    let size = defs.iter().filter(|d| d.group == def.group).count();
                    let mut g = Cell::label(def.group.label(), 1, 1, Role::GroupHeader).rows(size);
                    g.short = group_number(def.group);
                    cells.push(g);
                }
                cells.push(Cell::label(def.label, 2, 1, Role::RowHeader));
            }
        }
        for c in 0..n {
            cells.push(Cell::value(
                report,
                s3_cell_at(format, r, c),
                3 + c,
                1,
                opts,
            ));
        }
        rows.push(Row {
            cells,
            header: false,
        });
    }
    let mut widths = vec![50, 110, 280];
    widths.extend(std::iter::repeat_n(80, n));
    Table {
        kind: TableKind::S3,
        caption: "表二　收到和处理政府信息公开申请情况",
        widths,
        rows,
    }
}

/// `（三）` for `（三）不予公开`.
fn group_number(g: OutcomeGroup) -> &'static str {
    let label = g.label();
    match label.find('）') {
        Some(i) => &label[..i + '）'.len_utf8()],
        None => label,
    }
}

/// Section 四: 行政复议 (5 columns) and 行政诉讼 (10: 未经复议直接起诉 5, 复议后起诉 5),
/// three heading rows and one row of values.
pub fn table_s4(report: &Report, opts: &Options) -> Table {
    let format = report.format;
    let k = APPEAL_COLUMNS.len();
    let group = |g: usize| APPEAL_GROUPS[g].label.rsplit(" / ").next().unwrap_or("");
    let mut columns = Vec::new();
    let mut values = Vec::new();
    for g in 0..APPEAL_GROUPS.len() {
        for (c, col) in APPEAL_COLUMNS.iter().enumerate() {
            columns.push(Cell::label(col.short, g * k + c, 1, Role::ColumnHeader));
            values.push(Cell::value(
                report,
                s4_cell_at(format, g, c),
                g * k + c,
                1,
                opts,
            ));
        }
    }
    let rows = vec![
        Row {
            cells: vec![
                Cell::label(group(0), 0, k, Role::ColumnHeader).rows(2),
                Cell::label("行政诉讼", k, 2 * k, Role::ColumnHeader),
            ],
            header: true,
        },
        Row {
            cells: vec![
                Cell::label(group(1), k, k, Role::ColumnHeader),
                Cell::label(group(2), 2 * k, k, Role::ColumnHeader),
            ],
            header: true,
        },
        Row {
            cells: columns,
            header: true,
        },
        Row {
            cells: values,
            header: false,
        },
    ];
    Table {
        kind: TableKind::S4,
        caption: "表三　政府信息公开行政复议、行政诉讼情况",
        widths: vec![1000 / (3 * k as u32); 3 * k],
        rows,
    }
}

#[cfg(test)]
mod tests {
    use gongkai_format::FormatVersion;

    use super::*;

    fn grid_ok(t: &Table) {
        for (r, row) in t.grid().iter().enumerate() {
            for (c, slot) in row.iter().enumerate() {
                assert!(
                    !matches!(slot, Slot::Empty),
                    "{:?}: hole at row {r}, column {c}",
                    t.kind
                );
            }
        }
    }

    #[test]
    fn every_grid_position_is_filled_once() {
        for format in [FormatVersion::Revised2021, FormatVersion::Trial2019] {
            let r = Report::new(format);
            let o = Options::default();
            for t in [table_s2(&r, &o), table_s3(&r, &o), table_s4(&r, &o)] {
                grid_ok(&t);
                // No two cells claim one position.
                let claimed: usize = t
                    .rows
                    .iter()
                    .flat_map(|r| &r.cells)
                    .map(|c| c.row_span * c.col_span)
                    .sum();
                assert_eq!(claimed, t.rows.len() * t.columns(), "{:?}", t.kind);
            }
        }
    }

    #[test]
    fn every_cell_is_shown_once() {
        for format in [FormatVersion::Revised2021, FormatVersion::Trial2019] {
            let r = Report::new(format);
            let o = Options::default();
            let mut shown: Vec<u16> = [table_s2(&r, &o), table_s3(&r, &o), table_s4(&r, &o)]
                .iter()
                .flat_map(|t| t.rows.iter().flat_map(|r| &r.cells))
                .filter_map(|c| c.cell.map(|i| i.0))
                .collect();
            shown.sort();
            let all: Vec<u16> = (0..format.cells().len() as u16).collect();
            assert_eq!(shown, all, "{format}");
        }
    }

    #[test]
    fn official_spans() {
        let r = Report::new(FormatVersion::Revised2021);
        let t = table_s3(&r, &Options::default());
        let find = |text: &str| {
            t.rows
                .iter()
                .flat_map(|r| &r.cells)
                .find(|c| c.text == text)
                .map(|c| (c.row_span, c.col_span))
        };
        assert_eq!(find(S3_CORNER), Some((3, 3)));
        assert_eq!(find("申请人情况"), Some((1, 7)));
        assert_eq!(find("法人或其他组织"), Some((1, 5)));
        assert_eq!(find("自然人"), Some((2, 1)));
        assert_eq!(find("三、本年度办理结果"), Some((22, 1)));
        assert_eq!(find("（三）不予公开"), Some((8, 1)));
        assert_eq!(find("（四）无法提供"), Some((3, 1)));
        assert_eq!(find("（五）不予处理"), Some((5, 1)));
        assert_eq!(find("（六）其他处理"), Some((3, 1)));
        assert_eq!(find("（七）总计"), Some((1, 2)));
        let t = table_s3(&Report::new(FormatVersion::Trial2019), &Options::default());
        let trial = t
            .rows
            .iter()
            .flat_map(|r| &r.cells)
            .find(|c| c.text == "三、本年度办理结果")
            .map(|c| c.row_span);
        assert_eq!(trial, Some(20));
        let t = table_s4(&r, &Options::default());
        let spans: Vec<(&str, usize, usize)> = t.rows[..2]
            .iter()
            .flat_map(|r| &r.cells)
            .map(|c| (c.text.as_str(), c.row_span, c.col_span))
            .collect();
        assert_eq!(
            spans,
            [
                ("行政复议", 2, 5),
                ("行政诉讼", 1, 10),
                ("未经复议直接起诉", 1, 5),
                ("复议后起诉", 1, 5)
            ]
        );
    }

    #[test]
    fn values_keep_their_decimals_and_blanks_stay_blank() {
        let mut r = Report::new(FormatVersion::Revised2021);
        r.set(
            "s2.fees.amount_10k_yuan",
            gongkai_report::parse_number("110.130"),
        );
        let t = table_s2(&r, &Options::default());
        let texts: Vec<&str> = t
            .rows
            .iter()
            .flat_map(|r| &r.cells)
            .filter(|c| c.role == Role::Data)
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!(texts.last(), Some(&"110.130"));
        assert_eq!(texts[0], crate::DEFAULT_BLANK);
    }
}
