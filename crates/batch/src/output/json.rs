//! JSON: one object, findings streamed first.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use gongkai_format::FormatVersion;
use gongkai_report::Value;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::write_err;
use crate::cells::CellValues;
use crate::rollup::{Node, Rollup};
use crate::rules::FindingRow;
use crate::summary::ReportSummary;
use crate::{Batch, BatchError};

pub struct JsonOut {
    path: PathBuf,
    w: BufWriter<File>,
    first: bool,
}

impl JsonOut {
    pub fn create(path: &Path) -> Result<Self, BatchError> {
        let mut w = BufWriter::new(File::create(path).map_err(write_err(path))?);
        w.write_all(b"{\"findings\":[").map_err(write_err(path))?;
        Ok(JsonOut {
            path: path.to_path_buf(),
            w,
            first: true,
        })
    }

    fn json(&self) -> impl FnOnce(serde_json::Error) -> BatchError + '_ {
        |source| BatchError::Json {
            path: self.path.clone(),
            source,
        }
    }

    pub fn finding(&mut self, f: &FindingRow) -> Result<(), BatchError> {
        if !self.first {
            self.w.write_all(b",\n").map_err(write_err(&self.path))?;
        }
        self.first = false;
        serde_json::to_writer(&mut self.w, f).map_err(|source| BatchError::Json {
            path: self.path.clone(),
            source,
        })
    }

    pub fn finish(mut self, batch: &Batch) -> Result<Vec<PathBuf>, BatchError> {
        let path = self.path.clone();
        let io = write_err(&path);
        self.w.write_all(b"],\n\"reports\":[").map_err(io)?;
        for (i, r) in batch.reports.iter().enumerate() {
            if i > 0 {
                self.w.write_all(b",\n").map_err(write_err(&path))?;
            }
            serde_json::to_writer(&mut self.w, &ReportJson(r)).map_err(self.json())?;
        }
        self.w
            .write_all(b"],\n\"year_over_year\":")
            .map_err(write_err(&path))?;
        serde_json::to_writer(&mut self.w, &batch.pairs).map_err(self.json())?;
        self.w
            .write_all(b",\n\"rollup\":")
            .map_err(write_err(&path))?;
        serde_json::to_writer(&mut self.w, &batch.rollup.as_ref().map(RollupJson))
            .map_err(self.json())?;
        self.w
            .write_all(b",\n\"coverage\":")
            .map_err(write_err(&path))?;
        serde_json::to_writer(&mut self.w, &batch.rollup.as_ref().map(|r| &r.coverage))
            .map_err(self.json())?;
        self.w
            .write_all(b",\n\"summary\":")
            .map_err(write_err(&path))?;
        serde_json::to_writer(&mut self.w, &batch.stats).map_err(self.json())?;
        self.w.write_all(b"}\n").map_err(write_err(&path))?;
        self.w.flush().map_err(write_err(&path))?;
        Ok(vec![path])
    }
}

/// A report row with its cells by id.
struct ReportJson<'a>(&'a ReportSummary);

impl Serialize for ReportJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("file", &r.file)?;
        m.serialize_entry("input_format", r.input.as_str())?;
        m.serialize_entry("format", &r.format.map(|f| f.as_str()))?;
        m.serialize_entry("status", if r.status.is_ok() { "ok" } else { "unreadable" })?;
        m.serialize_entry("reason", &r.status.reason())?;
        m.serialize_entry("agency", &r.agency)?;
        m.serialize_entry("agency_key", &r.agency_key)?;
        m.serialize_entry("year", &r.year)?;
        m.serialize_entry("published", &r.published())?;
        m.serialize_entry("dates", &r.dates)?;
        m.serialize_entry("errors", &r.errors)?;
        m.serialize_entry("warnings", &r.warnings)?;
        m.serialize_entry("codes", &r.codes)?;
        m.serialize_entry("selected", &r.selected)?;
        m.serialize_entry("cells", &r.cells.as_ref().map(Cells))?;
        m.end()
    }
}

/// The cells of a report by the ids of its own format.
struct Cells<'a>(&'a CellValues);

impl Serialize for Cells<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (def, v) in self.0.format().cells().iter().zip(self.0.values()) {
            m.serialize_entry(&def.id, &v)?;
        }
        m.end()
    }
}

/// Sums by 2021 id.
struct Sums<'a>(&'a [Option<Value>]);

impl Serialize for Sums<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (def, v) in FormatVersion::Revised2021.cells().iter().zip(self.0) {
            m.serialize_entry(&def.id, v)?;
        }
        m.end()
    }
}

struct RollupJson<'a>(&'a Rollup);

impl Serialize for RollupJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Total<'a> {
            path: &'a str,
            node: usize,
            year: i32,
            expected: usize,
            reporting: usize,
            missing: usize,
            late: usize,
            cells: Sums<'a>,
        }
        let r = self.0;
        let nodes: &[Node] = &r.jurisdiction.nodes;
        let totals: Vec<Total> = r
            .totals
            .iter()
            .map(|t| Total {
                path: &nodes[t.node].path,
                node: t.node,
                year: t.year,
                expected: t.expected,
                reporting: t.reporting,
                missing: t.missing(),
                late: t.late,
                cells: Sums(&t.cells),
            })
            .collect();
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("years", &r.years)?;
        m.serialize_entry("nodes", nodes)?;
        m.serialize_entry("totals", &totals)?;
        m.end()
    }
}
