//! Tables: which table is which (by content), the format version, and a row's printed
//! label and value fields.

use gongkai_format::FormatVersion;
use gongkai_report::{Block, Document, GridCell, Location, Value, parse_number};

use super::meta::*;
use crate::norm::{norm, norm_into};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TableKind {
    S2,
    S3,
    S4,
    Unknown,
}

pub(super) fn table_text(t: &gongkai_report::Table) -> String {
    let mut s = String::new();
    for row in &t.rows {
        for c in row {
            norm_into(&c.text, &mut s);
            s.push('|');
        }
    }
    s
}

pub(super) fn classify_tables<'d>(
    doc: &'d Document,
    headings: &[Heading],
) -> Vec<(TableKind, &'d gongkai_report::Table, String)> {
    let mut out = Vec::new();
    for (i, block) in doc.blocks.iter().enumerate() {
        let Block::Table(t) = block else { continue };
        let text = table_text(t);
        // The section the table sits in, by the nearest heading above it (or on it).
        let section = headings
            .iter()
            .filter(|h| h.block <= i)
            .max_by_key(|h| h.block)
            .map(|h| h.number);
        // A 信息处理费 table (section 五 or 六, or wherever a report puts it) is not the
        // section 二 fee row, even when it says 收费.
        let fee_elsewhere = !text.contains("第二十条")
            && (text.contains("信息处理费") || matches!(section, Some(5 | 6)));
        let kind = if text.contains("行政复议") && (text.contains("维持") || text.contains("审结"))
        {
            TableKind::S4
        } else if ["本年新收", "上年结转", "办理结果", "予以公开", "申请人情况"]
            .iter()
            .any(|k| text.contains(k))
        {
            TableKind::S3
        } else if [
            "第二十条",
            "信息内容",
            "行政许可",
            "规范性文件",
            "行政事业性收费",
            "行政处罚",
        ]
        .iter()
        .any(|k| text.contains(k))
        {
            if fee_elsewhere {
                TableKind::Unknown
            } else {
                TableKind::S2
            }
        } else {
            // A piece without telling words continues the table of its section.
            match section {
                Some(2) => TableKind::S2,
                Some(3) => TableKind::S3,
                Some(4) => TableKind::S4,
                _ => TableKind::Unknown,
            }
        };
        out.push((kind, t, text));
    }
    out
}

/// The format, from the words of the tables (`../shared/spec/regulations.md` §1.7).
pub(super) fn detect_format(text: &str) -> FormatVersion {
    let old = [
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "政府集中采购",
    ];
    let new = [
        "本年制发件数",
        "现行有效件数",
        "本年收费金额",
        "逾期不补正",
        "收费通知",
        "本年处理决定数量",
    ];
    let score = |words: &[&str]| words.iter().filter(|w| text.contains(*w)).count();
    if score(&old) > score(&new) {
        FormatVersion::Trial2019
    } else {
        FormatVersion::Revised2021
    }
}

/// A printed value: a number (units `件`, `万元` … allowed), a blank marker, or neither.
pub(super) enum Printed {
    Number(Value),
    Blank,
    Other,
}

pub(super) fn printed(text: &str) -> Printed {
    // Fast path: most fields are plain ASCII counts or empty.
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Printed::Blank;
    }
    if trimmed.len() <= 18
        && trimmed.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = trimmed.parse::<i64>()
    {
        return Printed::Number(Value::int(n));
    }
    let t = norm(text);
    // `t` is normalised already: the blank markers as `is_blank_marker` sees them.
    if matches!(
        t.as_str(),
        "" | "/" | "-" | "—" | "——" | "–" | "无" | "\\" | "_" | "－"
    ) {
        return Printed::Blank;
    }
    let mut body = t.as_str();
    for unit in ["万元", "元", "件", "个", "项", "次"] {
        if let Some(b) = body.strip_suffix(unit) {
            body = b;
            break;
        }
    }
    match parse_number(body) {
        Some(v) => Printed::Number(v),
        None => Printed::Other,
    }
}

/// A field that is part of a row label: text that is neither a number nor a blank marker.
pub(super) fn is_label(text: &str) -> bool {
    matches!(printed(text), Printed::Other)
}

/// The printed row for messages: fields separated by spaces, empty fields as `[空]`.
pub(super) fn row_raw(row: &[GridCell]) -> String {
    let end = row.iter().rposition(|c| !c.is_empty()).map_or(0, |e| e + 1);
    row[..end]
        .iter()
        .map(|c| {
            if c.is_empty() {
                "[空]"
            } else {
                c.text.as_str()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The fields of a row after its label: leading and trailing empty fields removed.
pub(super) fn value_fields(row: &[GridCell]) -> (String, Vec<&GridCell>) {
    let last_label = row.iter().rposition(|c| is_label(&c.text));
    let label: String = match last_label {
        Some(l) => {
            let mut s = String::new();
            for c in &row[..=l] {
                norm_into(&c.text, &mut s);
            }
            s
        }
        None => String::new(),
    };
    let rest = &row[last_label.map_or(0, |l| l + 1)..];
    let start = rest
        .iter()
        .position(|c| !c.is_empty())
        .unwrap_or(rest.len());
    let end = rest
        .iter()
        .rposition(|c| !c.is_empty())
        .map_or(start, |e| e + 1);
    (label, rest[start..end].iter().collect())
}

/// The number of fields after a row's label (all fields when it has none).
pub(super) fn trailing_fields(row: &[GridCell]) -> usize {
    let last_label = row.iter().rposition(|c| is_label(&c.text));
    row.len() - last_label.map_or(0, |l| l + 1)
}

/// True when every field comes from the grid of a structured document (DOCX, HTML, or a
/// ruled PDF table): there a cell covered by a span is left out of its row, so an empty
/// field is a cell printed blank at a known column, not a gap left by merged cells as in
/// text exports. Such a row keeps its leading and trailing empty fields when that gives
/// exactly the columns of the format. (The PDF reader's unruled tables carry no empty
/// fields, so for them this changes nothing.)
pub(super) fn is_grid(fields: &[GridCell]) -> bool {
    !fields.is_empty()
        && fields
            .iter()
            .all(|c| matches!(c.loc, Location::Table { .. } | Location::Pdf { .. }))
}

/// The printed fields of a row whose empty fields are only gaps: in a text-like source (not
/// [`is_grid`]) an empty field is a gap between columns whose place is not known, so when
/// the row holds exactly `want` non-empty fields among more, those are its values in order
/// — no other assignment is possible (converter Markdown: `| 规章 | | 16 | 23 | | 19 |`).
/// `None` otherwise.
pub(super) fn without_gaps<'a>(fields: &[&'a GridCell], want: usize) -> Option<Vec<&'a GridCell>> {
    if fields.len() <= want
        || fields
            .iter()
            .any(|c| matches!(c.loc, Location::Table { .. } | Location::Pdf { .. }))
    {
        return None;
    }
    let filled: Vec<&GridCell> = fields.iter().copied().filter(|c| !c.is_empty()).collect();
    (filled.len() == want).then_some(filled)
}
