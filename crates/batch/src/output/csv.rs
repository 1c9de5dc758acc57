//! CSV: a directory with one UTF-8 (BOM) file per table.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::{
    Field, TableDef, coverage_rows, coverage_table, finding_row, findings_table, pair_row,
    pairs_table, report_row, reports_table, rollup_row, rollup_table, write_err,
};
use crate::rules::FindingRow;
use crate::{Batch, BatchError};

/// The UTF-8 byte-order mark: Excel reads a CSV as GBK without it.
const BOM: &[u8] = b"\xEF\xBB\xBF";

pub struct CsvOut {
    dir: PathBuf,
    findings: Table,
}

struct Table {
    path: PathBuf,
    w: csv::Writer<BufWriter<File>>,
    buf: Vec<String>,
}

impl Table {
    fn create(dir: &Path, def: &TableDef) -> Result<Table, BatchError> {
        let path = dir.join(format!("{}.csv", def.file));
        let mut file = BufWriter::new(File::create(&path).map_err(write_err(&path))?);
        file.write_all(BOM).map_err(write_err(&path))?;
        let mut w = csv::Writer::from_writer(file);
        w.write_record(&def.headers)
            .map_err(|source| BatchError::Csv {
                path: path.clone(),
                source,
            })?;
        Ok(Table {
            path,
            w,
            buf: Vec::new(),
        })
    }

    fn row(&mut self, fields: Vec<Field>) -> Result<(), BatchError> {
        self.buf.clear();
        self.buf.extend(fields.into_iter().map(field_text));
        self.w
            .write_record(&self.buf)
            .map_err(|source| BatchError::Csv {
                path: self.path.clone(),
                source,
            })
    }

    fn finish(mut self) -> Result<PathBuf, BatchError> {
        // Flushes the CSV buffer and the file buffer under it.
        self.w.flush().map_err(write_err(&self.path))?;
        Ok(self.path)
    }
}

/// Text for a CSV cell: the product's one formula guard
/// ([`gongkai_report::spreadsheet::formula_safe`]), re-exported here for the batch's callers.
pub use gongkai_report::spreadsheet::formula_safe;

/// A field as CSV text, guarded by [`formula_safe`].
fn field_text(f: Field) -> String {
    match f {
        Field::Empty => String::new(),
        Field::Text(s) => formula_safe(&s).into_owned(),
        Field::Int(n) => n.to_string(),
        Field::Num(v) => v.to_string(),
        Field::Ratio(r) => format!("{r:.4}"),
    }
}

impl CsvOut {
    pub fn create(dir: &Path) -> Result<Self, BatchError> {
        fs::create_dir_all(dir).map_err(write_err(dir))?;
        Ok(CsvOut {
            dir: dir.to_path_buf(),
            findings: Table::create(dir, &findings_table())?,
        })
    }

    pub fn finding(&mut self, f: &FindingRow) -> Result<(), BatchError> {
        self.findings.row(finding_row(f))
    }

    pub fn finish(self, batch: &Batch) -> Result<Vec<PathBuf>, BatchError> {
        let mut written = Vec::new();
        let mut t = Table::create(&self.dir, &reports_table())?;
        for r in &batch.reports {
            t.row(report_row(r))?;
        }
        written.push(t.finish()?);
        written.push(self.findings.finish()?);
        let mut t = Table::create(&self.dir, &pairs_table())?;
        for p in &batch.pairs {
            t.row(pair_row(p))?;
        }
        written.push(t.finish()?);
        if let Some(r) = &batch.rollup {
            let mut t = Table::create(&self.dir, &rollup_table())?;
            for n in &r.totals {
                t.row(rollup_row(r, n))?;
            }
            written.push(t.finish()?);
            let mut t = Table::create(&self.dir, &coverage_table())?;
            for row in coverage_rows(r) {
                t.row(row)?;
            }
            written.push(t.finish()?);
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        assert_eq!(field_text(Field::text("=1+1")), "'=1+1");
        assert_eq!(field_text(Field::text("红旗区")), "红旗区");
        assert_eq!(field_text(Field::Int(-3)), "-3");
        assert_eq!(field_text(Field::Ratio(0.5)), "0.5000");
        assert_eq!(field_text(Field::Empty), "");
    }
}
