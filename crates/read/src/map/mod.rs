//! The mapper: [`Document`] → [`Report`], by meaning, not by position alone.
//!
//! * Sections are found by their headings (`一、` … `六、` followed by the words of the
//!   heading, spaces and widths folded).
//! * Tables are told apart by their content (`本年新收` → table 三, `行政复议` with
//!   `维持` → table 四, `第二十条` / `信息内容` → the section 二 tables), so a table split
//!   into pieces still lands in the right place.
//! * A row of table 三 is identified by the words of its label (`国家秘密`, `逾期不补正`,
//!   …), wherever the label sits in the row and however it was wrapped; the seven values
//!   are placed by position only when exactly seven are printed. Anything else is reported
//!   as uncertain, never guessed.
//! * Blank cells (`/`, `-`, `—`, `无`, empty) stay blank (`None`) and are listed.

mod labels;
mod mapper;
mod meta;
mod order;
mod tables;
#[cfg(test)]
mod tests;

use gongkai_report::{Document, Report};

use self::mapper::*;
use self::meta::*;
use self::tables::*;
use crate::ReadError;

pub use meta::{agency_and_year, heading_number};

/// Maps a document to a report.
pub fn map(doc: &Document) -> Result<Report, ReadError> {
    let headings = find_headings(doc);
    let tables = classify_tables(doc, &headings);
    let all_table_text: String = tables.iter().map(|(_, _, text)| text.as_str()).collect();
    if headings.is_empty() && tables.iter().all(|(k, _, _)| *k == TableKind::Unknown) {
        return Err(ReadError::NotAReport(
            "既没有找到“一、总体情况”等六个部分的标题，也没有找到统计表",
        ));
    }
    let format = detect_format(&all_table_text);
    let mut report = Report::new(format);
    report.meta = read_meta(doc, &headings);
    report.sections = read_sections(doc, &headings, &report.meta);
    report.meta.preamble = read_preamble(doc, &headings, &report.meta);

    let mut s2 = Vec::new();
    let mut s3 = Vec::new();
    let mut s4 = Vec::new();
    for (kind, table, _) in &tables {
        let rows = table.rows.iter().map(|r| r.as_slice());
        match kind {
            TableKind::S2 => s2.extend(rows),
            TableKind::S3 => s3.extend(rows),
            TableKind::S4 => s4.extend(rows),
            TableKind::Unknown => {}
        }
    }
    let mut m = Mapper { report };
    m.section2(&s2);
    m.section3(&s3);
    m.section4(&s4);
    Ok(m.report)
}
