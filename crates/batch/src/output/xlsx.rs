//! XLSX: one workbook, one sheet per table, in constant-memory mode.

use std::path::{Path, PathBuf};

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::{
    Field, TableDef, coverage_rows, coverage_table, finding_row, findings_table, pair_row,
    pairs_table, report_row, reports_table, rollup_row, rollup_table,
};
use crate::rules::FindingRow;
use crate::{Batch, BatchError};

/// Rows per sheet, header included (Excel's limit).
const MAX_ROWS: u32 = 1_048_576;
/// Characters per cell (Excel's limit).
const MAX_CHARS: usize = 32_767;

pub struct XlsxOut {
    path: PathBuf,
    book: Workbook,
    header: Format,
    percent: Format,
    /// The findings sheet, written while the batch runs.
    findings: Option<Sheets>,
}

/// A table written over one or more sheets.
struct Sheets {
    def: TableDef,
    done: Vec<Worksheet>,
    current: Worksheet,
    /// The next row to write on `current`.
    row: u32,
}

impl XlsxOut {
    pub fn create(path: &Path) -> Result<Self, BatchError> {
        let book = Workbook::new();
        let header = Format::new().set_bold();
        let percent = Format::new().set_num_format("0.0%");
        let mut out = XlsxOut {
            path: path.to_path_buf(),
            findings: None,
            book,
            header,
            percent,
        };
        out.findings = Some(out.new_table(findings_table()).map_err(|e| err(path, e))?);
        Ok(out)
    }

    pub fn finding(&mut self, f: &FindingRow) -> Result<(), BatchError> {
        let Some(sheets) = &mut self.findings else {
            return Ok(());
        };
        sheets
            .row(&mut self.book, &finding_row(f), &self.header, &self.percent)
            .map_err(|e| err(&self.path, e))
    }

    pub fn finish(mut self, batch: &Batch) -> Result<Vec<PathBuf>, BatchError> {
        let path = self.path.clone();
        let e = |x: XlsxError| err(&path, x);
        let mut reports = self.new_table(reports_table()).map_err(e)?;
        for r in &batch.reports {
            reports
                .row(&mut self.book, &report_row(r), &self.header, &self.percent)
                .map_err(e)?;
        }
        let mut pairs = self.new_table(pairs_table()).map_err(e)?;
        for p in &batch.pairs {
            pairs
                .row(&mut self.book, &pair_row(p), &self.header, &self.percent)
                .map_err(e)?;
        }
        let mut tables = vec![reports];
        tables.extend(self.findings.take());
        tables.push(pairs);
        if let Some(r) = &batch.rollup {
            let mut t = self.new_table(rollup_table()).map_err(e)?;
            for n in &r.totals {
                t.row(
                    &mut self.book,
                    &rollup_row(r, n),
                    &self.header,
                    &self.percent,
                )
                .map_err(e)?;
            }
            tables.push(t);
            let mut t = self.new_table(coverage_table()).map_err(e)?;
            for row in coverage_rows(r) {
                t.row(&mut self.book, &row, &self.header, &self.percent)
                    .map_err(e)?;
            }
            tables.push(t);
        }
        for t in tables {
            for sheet in t.into_sheets() {
                self.book.push_worksheet(sheet);
            }
        }
        self.book.save(&self.path).map_err(e)?;
        Ok(vec![self.path])
    }

    fn new_table(&mut self, def: TableDef) -> Result<Sheets, XlsxError> {
        let mut s = Sheets {
            def,
            done: Vec::new(),
            current: self.book.new_worksheet_with_constant_memory()?,
            row: 0,
        };
        s.start(1, &self.header)?;
        Ok(s)
    }
}

impl Sheets {
    /// Names the current sheet (part `n` of the table) and writes the header.
    fn start(&mut self, n: usize, header: &Format) -> Result<(), XlsxError> {
        let name = if n == 1 {
            self.def.sheet.to_string()
        } else {
            format!("{} ({n})", self.def.sheet)
        };
        self.current.set_name(name)?;
        for (c, h) in self.def.headers.iter().enumerate() {
            self.current
                .write_string_with_format(0, c as u16, h, header)?;
        }
        self.current.set_freeze_panes(1, 0)?;
        self.current.set_column_width(0, 40)?;
        self.row = 1;
        Ok(())
    }

    fn row(
        &mut self,
        book: &mut Workbook,
        fields: &[Field],
        header: &Format,
        percent: &Format,
    ) -> Result<(), XlsxError> {
        if self.row >= MAX_ROWS {
            let next = book.new_worksheet_with_constant_memory()?;
            self.done.push(std::mem::replace(&mut self.current, next));
            self.start(self.done.len() + 1, header)?;
        }
        let r = self.row;
        for (c, f) in fields.iter().enumerate() {
            let c = c as u16;
            match f {
                Field::Empty => {}
                Field::Text(s) => {
                    if s.chars().count() > MAX_CHARS {
                        let cut: String = s.chars().take(MAX_CHARS).collect();
                        self.current.write_string(r, c, cut)?;
                    } else {
                        self.current.write_string(r, c, s)?;
                    }
                }
                Field::Int(n) => {
                    self.current.write_number(r, c, *n as f64)?;
                }
                Field::Num(v) => {
                    match v.0.to_f64() {
                        Some(x) => self.current.write_number(r, c, x)?,
                        None => self.current.write_string(r, c, v.to_string())?,
                    };
                }
                Field::Ratio(x) => {
                    self.current.write_number_with_format(r, c, *x, percent)?;
                }
            }
        }
        self.row += 1;
        Ok(())
    }

    fn into_sheets(mut self) -> Vec<Worksheet> {
        self.done.push(self.current);
        self.done
    }
}

fn err(path: &Path, source: XlsxError) -> BatchError {
    BatchError::Xlsx {
        path: path.to_path_buf(),
        source,
    }
}
