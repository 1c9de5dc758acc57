//! Reading and checking one file, and what the batch keeps of it.
//!
//! [`process`] reads the bytes, runs the reader and the checker, and returns a
//! [`ReportSummary`] plus the findings as table rows. The bytes and the [`Report`] are
//! dropped before it returns: the summary keeps only what the later stages need — the
//! identity, the printed dates, the cells ([`CellValues`]), the narrative fingerprint and
//! the finding counts and codes. That is what keeps a batch of tens of thousands of reports
//! in bounded memory (about 2 KB per report).

use std::fs;
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use gongkai_check::Severity;
use gongkai_format::FormatVersion;
use gongkai_report::Report;
use serde::Serialize;

use crate::cells::CellValues;
use crate::identity::agency_key;
use crate::input::{InputFormat, io_zh};
use crate::rules::{BAT001, BAT002, FindingRow};
use crate::text::{Fingerprint, Fnv, fingerprint};

/// Whether a file could be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "reason", rename_all = "lowercase")]
pub enum ReadStatus {
    /// Read as an annual report (it may still have findings).
    Ok,
    /// Not read, with the reason (Chinese / English).
    Unreadable(String),
}

impl ReadStatus {
    pub fn is_ok(&self) -> bool {
        matches!(self, ReadStatus::Ok)
    }

    /// `已读取` or `无法读取`.
    pub fn label_zh(&self) -> &'static str {
        match self {
            ReadStatus::Ok => "已读取",
            ReadStatus::Unreadable(_) => "无法读取",
        }
    }

    /// The reason a file was not read.
    pub fn reason(&self) -> Option<&str> {
        match self {
            ReadStatus::Ok => None,
            ReadStatus::Unreadable(r) => Some(r),
        }
    }
}

/// What a batch keeps of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportSummary {
    /// The path as given or found.
    pub file: String,
    pub input: InputFormat,
    pub status: ReadStatus,
    /// The edition of the national format (`None` when unreadable).
    pub format: Option<FormatVersion>,
    /// The agency as printed (title, or signature when the title names none).
    pub agency: Option<String>,
    /// The normalised agency ([`crate::identity`]).
    pub agency_key: Option<String>,
    pub year: Option<i32>,
    /// Every printed date, ISO `YYYY-MM-DD`, in order.
    pub dates: Vec<String>,
    pub cells: Option<CellValues>,
    pub fingerprint: Fingerprint,
    /// Hash of the format, the cells and the narrative: equal for identical content.
    pub content_hash: u64,
    /// Errors and warnings: the checker's plus the batch's.
    pub errors: u32,
    pub warnings: u32,
    /// Distinct finding codes, sorted.
    pub codes: Vec<&'static str>,
    /// False for a duplicate or a superseded version: left out of pairing and roll-up.
    pub selected: bool,
}

impl ReportSummary {
    /// The publication date: the latest printed date (a report printed with a date after
    /// the deadline was published after it).
    pub fn published(&self) -> Option<&str> {
        self.dates.iter().map(String::as_str).max()
    }

    /// True when read and both agency and year are known.
    pub fn has_identity(&self) -> bool {
        self.status.is_ok() && self.agency_key.is_some() && self.year.is_some()
    }

    /// Counts a finding and remembers its code.
    pub(crate) fn count(&mut self, severity: Severity, code: &'static str) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            // No report or batch rule reports at info level; a hint is not a problem.
            Severity::Info => {}
        }
        if let Err(i) = self.codes.binary_search(&code) {
            self.codes.insert(i, code);
        }
    }

    fn unreadable(file: String, input: InputFormat, reason: String) -> Self {
        ReportSummary {
            file,
            input,
            status: ReadStatus::Unreadable(reason),
            format: None,
            agency: None,
            agency_key: None,
            year: None,
            dates: Vec::new(),
            cells: None,
            fingerprint: Fingerprint::default(),
            content_hash: 0,
            errors: 0,
            warnings: 0,
            codes: Vec::new(),
            selected: false,
        }
    }
}

/// One file, processed.
#[derive(Debug)]
pub struct Processed {
    pub summary: ReportSummary,
    pub findings: Vec<FindingRow>,
}

/// Reads and checks the file at `path`; never fails: a file that cannot be read becomes an
/// unreadable summary with a BAT001 finding.
pub fn process(path: &Path) -> Processed {
    let file = path.display().to_string();
    let bytes = match load(path) {
        Ok(b) => b,
        Err(reason) => return unreadable(file, InputFormat::Other, reason),
    };
    process_bytes(file, &bytes)
}

/// Processes bytes already read, under the display name `file`.
pub fn process_bytes(file: String, bytes: &[u8]) -> Processed {
    let input = InputFormat::sniff(bytes);
    // The reader and checker are written not to panic; a batch of tens of thousands of
    // files found on the web must not stop if one of them finds a way.
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        gongkai_read::read_report(bytes).map(|r| {
            let findings = gongkai_check::check(&r);
            (r, findings)
        })
    }));
    match outcome {
        Ok(Ok((report, findings))) => summarise(file, input, &report, &findings),
        Ok(Err(e)) => unreadable(file, input, e.to_string()),
        Err(_) => unreadable(
            file,
            input,
            "读取时发生内部错误（请报告此文件）/ internal error while reading (please report this file)"
                .to_string(),
        ),
    }
}

/// Pass an unreadable file's summary with its BAT001 finding.
pub(crate) fn unreadable(file: String, input: InputFormat, reason: String) -> Processed {
    let mut summary = ReportSummary::unreadable(file, input, reason.clone());
    let f = FindingRow::batch(
        &BAT001,
        &summary.file,
        None,
        None,
        format!("无法读取：{}", zh_part(&reason)),
        format!("cannot read: {}", en_part(&reason)),
    );
    summary.count(f.severity, f.code);
    Processed {
        summary,
        findings: vec![f],
    }
}

/// The Chinese half of a `中文 / English` message.
fn zh_part(s: &str) -> &str {
    s.split_once(" / ").map_or(s, |(zh, _)| zh)
}

/// The English half of a `中文 / English` message.
fn en_part(s: &str) -> &str {
    s.split_once(" / ").map_or(s, |(_, en)| en)
}

fn load(path: &Path) -> Result<Vec<u8>, String> {
    let limit = gongkai_read::MAX_INPUT_BYTES as u64;
    let describe = |e: std::io::Error| format!("无法读取：{} / cannot read: {e}", io_zh(&e));
    let meta = fs::metadata(path).map_err(describe)?;
    if meta.is_dir() {
        return Err("是目录，不是文件 / is a directory".to_string());
    }
    if meta.len() > limit {
        return Err(format!(
            "文件过大（{} 字节，上限 {limit} 字节）/ the file is too large ({} bytes, limit {limit})",
            meta.len(),
            meta.len()
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(describe)?;
    Ok(bytes)
}

pub(crate) fn summarise(
    file: String,
    input: InputFormat,
    report: &Report,
    findings: &[gongkai_check::Finding],
) -> Processed {
    let agency = report
        .meta
        .agency
        .clone()
        .or_else(|| report.meta.signed_by.clone());
    let key = agency.as_deref().and_then(agency_key);
    let year = report.meta.year;
    let cells = CellValues::from_report(report);
    let fingerprint = fingerprint(report);
    let mut h = Fnv::default();
    h.str(report.format.as_str());
    for v in cells.values() {
        match v {
            Some(v) => h.str(&v.to_string()),
            None => h.str(""),
        }
    }
    h.u64(fingerprint.text_hash);
    let mut summary = ReportSummary {
        file,
        input,
        status: ReadStatus::Ok,
        format: Some(report.format),
        agency,
        agency_key: key,
        year,
        dates: report.meta.dates.iter().map(|d| d.date.clone()).collect(),
        cells: Some(cells),
        fingerprint,
        content_hash: h.finish(),
        errors: 0,
        warnings: 0,
        codes: Vec::new(),
        selected: true,
    };
    let mut rows: Vec<FindingRow> = findings
        .iter()
        .map(|f| FindingRow::from_check(f, &summary.file, summary.agency.as_deref(), year))
        .collect();
    if !summary.has_identity() {
        let (zh, en) = match (&summary.agency_key, year) {
            (None, None) => ("机关名称和年度", "the agency and the year"),
            (None, Some(_)) => ("机关名称", "the agency"),
            _ => ("年度", "the year"),
        };
        rows.push(FindingRow::batch(
            &BAT002,
            &summary.file,
            summary.agency.as_deref(),
            year,
            format!("报告标题和落款中找不到{zh}，本报告不参与逐年对比、查重和汇总"),
            format!(
                "{en} cannot be found in the title or signature; the report is left out of pairing, duplicates and roll-up"
            ),
        ));
        summary.selected = false;
    }
    for r in &rows {
        summary.count(r.severity, r.code);
    }
    Processed {
        summary,
        findings: rows,
    }
}
