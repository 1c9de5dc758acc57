//! XLSX: the year's three tables in the national layout, and plain tables (the ledger's
//! export).
//!
//! [`statistics`] writes the tables of sections 二, 三 and 四 as [`crate::layout`] lays them
//! out for every other writer — the same rows, labels and merged cells (申请人情况 over
//! 自然人 / 法人或其他组织 / 总计, 法人或其他组织 over its five columns, 三、本年度办理结果
//! down its rows, 行政复议 / 行政诉讼 over their groups) — one sheet per table, values as
//! numbers and never formulas, a blank cell as the blank marker. A fourth sheet,
//! `单元格`, lists every cell id of the format (`template-2021-cells.tsv`) with the sheet and
//! address where its value stands.
//!
//! [`table`] writes one sheet of columns: a bold header row with a filter and frozen panes,
//! text as text (a cell starting with `=`, `+`, `-` or `@` stays a string: nothing is
//! written as a formula), dates as dates (`yyyy-mm-dd`), numbers as numbers.
//!
//! [`inspect`] reads back what these write (cell texts and values, merged ranges, formulas):
//! the tests' reader, and a check a caller can run on a file it received.

use chrono::{Datelike, NaiveDate};
use gongkai_format::CellIdx;
use gongkai_report::Report;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::layout::{self, Role, Table};
use crate::{Options, WriteError};

pub mod inspect;

/// Characters in one cell (Excel's limit).
const MAX_CHARS: usize = 32_767;

/// The sheet names of the three tables.
pub const SHEET_NAMES: [&str; 3] = ["二、主动公开", "三、依申请公开", "四、复议诉讼"];
/// The sheet that lists where each cell id stands.
pub const CELL_SHEET: &str = "单元格";

fn err(e: XlsxError) -> WriteError {
    WriteError::Xlsx(e.to_string())
}

/// Text cut to Excel's limit.
fn cell_text(s: &str) -> &str {
    match s.char_indices().nth(MAX_CHARS) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// `A1`-style address of (row, col), both from 0.
pub fn address(row: u32, col: u16) -> String {
    let mut c = u32::from(col) + 1;
    let mut letters = Vec::new();
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

/// Where a report cell was written: sheet, row, column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub cell: CellIdx,
    pub sheet: &'static str,
    pub row: u32,
    pub col: u16,
}

/// The report's tables 二, 三, 四 as a workbook (module docs).
pub fn statistics(report: &Report, opts: &Options) -> Result<Vec<u8>, WriteError> {
    let mut book = Workbook::new();
    let title = layout::title(report);
    let tables = [
        layout::table_s2(report, opts),
        layout::table_s3(report, opts),
        layout::table_s4(report, opts),
    ];
    let headings = layout::document(report, opts);
    let mut placed = Vec::new();
    for (i, table) in tables.iter().enumerate() {
        let heading = headings
            .sections
            .get(i + 1)
            .map(|s| s.heading.clone())
            .unwrap_or_default();
        let sheet = book.add_worksheet();
        sheet.set_name(SHEET_NAMES[i]).map_err(err)?;
        write_table(
            sheet,
            SHEET_NAMES[i],
            &title,
            &heading,
            table,
            report,
            &mut placed,
        )
        .map_err(err)?;
    }
    let sheet = book.add_worksheet();
    sheet.set_name(CELL_SHEET).map_err(err)?;
    write_cell_list(sheet, report, &placed).map_err(err)?;
    book.save_to_buffer().map_err(err)
}

/// Rows above a table: the report's title and the section heading.
pub const TABLE_TOP: u32 = 2;

fn write_table(
    sheet: &mut Worksheet,
    name: &'static str,
    title: &str,
    heading: &str,
    table: &Table,
    report: &Report,
    placed: &mut Vec<Placed>,
) -> Result<(), XlsxError> {
    let border = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let header = border.clone().set_bold().set_align(FormatAlign::Center);
    let label = border.clone().set_align(FormatAlign::Left);
    let vertical = header.clone().set_rotation(270);
    let data = border.clone().set_align(FormatAlign::Center);
    let columns = u16::try_from(table.columns().max(1)).unwrap_or(u16::MAX);
    let last = columns - 1;
    let big = Format::new().set_bold().set_align(FormatAlign::Center);
    if last > 0 {
        sheet.merge_range(0, 0, 0, last, cell_text(title), &big)?;
        sheet.merge_range(1, 0, 1, last, cell_text(heading), &Format::new().set_bold())?;
    } else {
        sheet.write_string_with_format(0, 0, cell_text(title), &big)?;
        sheet.write_string(1, 0, cell_text(heading))?;
    }
    for (c, w) in table.widths.iter().enumerate() {
        let chars = (f64::from(*w) * 0.11).clamp(6.0, 60.0);
        sheet.set_column_width(u16::try_from(c).unwrap_or(u16::MAX), chars)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r0 = TABLE_TOP + u32::try_from(r).unwrap_or(u32::MAX - TABLE_TOP);
        for cell in &row.cells {
            let c0 = u16::try_from(cell.col).unwrap_or(u16::MAX);
            let r1 = r0 + u32::try_from(cell.row_span.max(1) - 1).unwrap_or(0);
            let c1 = c0 + u16::try_from(cell.col_span.max(1) - 1).unwrap_or(0);
            let format = match cell.role {
                Role::Data => &data,
                Role::RowHeader | Role::Caption if !cell.vertical => &label,
                _ if cell.vertical => &vertical,
                _ => &header,
            };
            let text = cell_text(&cell.text);
            if r1 > r0 || c1 > c0 {
                sheet.merge_range(r0, c0, r1, c1, text, format)?;
            } else {
                sheet.write_string_with_format(r0, c0, text, format)?;
            }
            if let Some(idx) = cell.cell {
                let value = report.cells.get(idx.0 as usize).copied().flatten();
                if let Some(v) = value.and_then(|v| v.0.to_f64()) {
                    sheet.write_number_with_format(r0, c0, v, format)?;
                }
                placed.push(Placed {
                    cell: idx,
                    sheet: name,
                    row: r0,
                    col: c0,
                });
            }
        }
    }
    Ok(())
}

fn write_cell_list(
    sheet: &mut Worksheet,
    report: &Report,
    placed: &[Placed],
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (c, h) in ["单元格", "标签", "工作表", "位置", "数值"]
        .iter()
        .enumerate()
    {
        sheet.write_string_with_format(0, u16::try_from(c).unwrap_or(0), *h, &bold)?;
    }
    sheet.set_column_width(0, 44)?;
    sheet.set_column_width(1, 60)?;
    sheet.set_column_width(2, 16)?;
    let mut r = 1;
    for p in placed {
        let def = report.format.def(p.cell);
        sheet.write_string(r, 0, &def.id)?;
        sheet.write_string(r, 1, cell_text(&def.label))?;
        sheet.write_string(r, 2, p.sheet)?;
        sheet.write_string(r, 3, address(p.row, p.col))?;
        if let Some(v) = report
            .cells
            .get(p.cell.0 as usize)
            .copied()
            .flatten()
            .and_then(|v| v.0.to_f64())
        {
            sheet.write_number(r, 4, v)?;
        }
        r += 1;
    }
    sheet.autofilter(0, 0, r.saturating_sub(1).max(1), 4)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// One value of a plain table.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetValue {
    Empty,
    /// Written as a string, whatever it starts with.
    Text(String),
    Date(NaiveDate),
    Number(f64),
}

/// One sheet named `name`: the header row, then the rows (module docs). `widths`: column
/// widths in characters (missing ones: 12).
pub fn table(
    name: &str,
    headers: &[&str],
    widths: &[f64],
    rows: &[Vec<SheetValue>],
) -> Result<Vec<u8>, WriteError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(name).map_err(err)?;
    write_plain(sheet, headers, widths, rows).map_err(err)?;
    book.save_to_buffer().map_err(err)
}

/// One sheet of a workbook of plain tables ([`tables`]).
pub struct PlainSheet<'a> {
    pub name: &'a str,
    pub headers: &'a [&'a str],
    /// Column widths in characters (missing ones: 12).
    pub widths: &'a [f64],
    pub rows: &'a [Vec<SheetValue>],
}

/// A workbook of several plain tables, one sheet each, in order.
pub fn tables(sheets: &[PlainSheet<'_>]) -> Result<Vec<u8>, WriteError> {
    let mut book = Workbook::new();
    for s in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(s.name).map_err(err)?;
        write_plain(sheet, s.headers, s.widths, s.rows).map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}

fn write_plain(
    sheet: &mut Worksheet,
    headers: &[&str],
    widths: &[f64],
    rows: &[Vec<SheetValue>],
) -> Result<(), XlsxError> {
    let bold = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_text_wrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in headers.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, c, cell_text(h), &bold)?;
        let w = widths.get(usize::from(c)).copied().unwrap_or(12.0);
        sheet.set_column_width(c, w)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, v) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            match v {
                SheetValue::Empty => {}
                SheetValue::Text(s) => {
                    sheet.write_string(r, c, cell_text(s))?;
                }
                SheetValue::Number(n) => {
                    sheet.write_number(r, c, *n)?;
                }
                SheetValue::Date(d) => match excel_date(*d) {
                    Some(x) => {
                        sheet.write_datetime_with_format(r, c, &x, &date)?;
                    }
                    None => {
                        sheet.write_string(r, c, d.to_string())?;
                    }
                },
            }
        }
    }
    if !headers.is_empty() {
        let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX).max(1);
        let last_col = u16::try_from(headers.len() - 1).unwrap_or(u16::MAX);
        sheet.autofilter(0, 0, last_row, last_col)?;
        sheet.set_freeze_panes(1, 0)?;
    }
    Ok(())
}

/// A date Excel can hold (1900–9999), else `None` (written as text).
fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok()?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(address(0, 0), "A1");
        assert_eq!(address(9, 25), "Z10");
        assert_eq!(address(0, 26), "AA1");
        assert_eq!(address(2, 27), "AB3");
    }

    #[test]
    fn text_is_cut_at_excel_limit() {
        let long = "字".repeat(MAX_CHARS + 5);
        assert_eq!(cell_text(&long).chars().count(), MAX_CHARS);
        assert_eq!(cell_text("短"), "短");
    }
}
