//! Markdown: `#` title, `##` section headings, one paragraph per line of text, and the
//! tables as pipe tables.
//!
//! Pipe tables have no merged cells, so they are spelled out: a column heading of tables 三
//! and 四 is repeated in every column and row it covers (`法人或其他组织` over each of its
//! five columns); a
//! label spanning a group of rows repeats its number in the covered rows (`三、`,
//! `（三）`), so each row reads on its own; the rest of a merged cell (the corner note, a
//! label or value spanning columns) is left empty.

use crate::Options;
use crate::layout::{self, Doc, Role, Slot, Table, TableKind};

/// Renders the report as Markdown.
pub fn render(report: &gongkai_report::Report, opts: &Options) -> String {
    write_doc(&layout::document(report, opts))
}

fn write_doc(doc: &Doc) -> String {
    let mut out = String::with_capacity(16 * 1024);
    out.push_str("# ");
    out.push_str(&inline(&doc.title));
    out.push_str("\n\n");
    for p in doc.top_dates.iter().chain(&doc.preamble) {
        paragraph(&mut out, p);
    }
    for s in &doc.sections {
        out.push_str("## ");
        out.push_str(&inline(&s.heading));
        out.push_str("\n\n");
        for p in &s.paragraphs {
            paragraph(&mut out, p);
        }
        if let Some(t) = &s.table {
            table(&mut out, t);
        }
    }
    for p in doc.signature.iter().chain(&doc.date) {
        paragraph(&mut out, p);
    }
    out
}

fn paragraph(out: &mut String, text: &str) {
    out.push_str(&block(text));
    out.push_str("\n\n");
}

/// Escapes the characters that Markdown would read as inline markup.
fn inline(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '<' | '[' | ']') {
            s.push('\\');
        }
        s.push(c);
    }
    s
}

/// [`inline`], and a line that would start a heading, quote, list, table or rule is
/// escaped at its start.
fn block(text: &str) -> String {
    let s = inline(text);
    let first = s.chars().next();
    let list_number = {
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        digits > 0
            && matches!(s.as_bytes().get(digits), Some(b'.' | b')'))
            && matches!(s.as_bytes().get(digits + 1), None | Some(b' ' | b'\t'))
    };
    let marker = matches!(first, Some('#' | '>' | '|' | '='))
        || (matches!(first, Some('-' | '+')) && s.chars().nth(1).is_none_or(char::is_whitespace))
        || s.chars().all(|c| c == '-');
    if list_number {
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        format!("{}\\{}", &s[..digits], &s[digits..])
    } else if marker {
        format!("\\{s}")
    } else {
        s
    }
}

fn cell_text(text: &str) -> String {
    inline(text).replace('|', "\\|").replace('\n', " ")
}

fn table(out: &mut String, t: &Table) {
    for (r, row) in t.grid().iter().enumerate() {
        out.push('|');
        for slot in row {
            let text = match slot {
                Slot::Origin(c) => cell_text(&c.text),
                Slot::Covered { cell, same_col, .. } => match cell.role {
                    Role::ColumnHeader if t.kind != TableKind::S2 => cell_text(&cell.text),
                    Role::GroupHeader if *same_col => cell_text(cell.short),
                    _ => String::new(),
                },
                Slot::Empty => String::new(),
            };
            out.push(' ');
            out.push_str(&text);
            out.push_str(" |");
        }
        out.push('\n');
        if r == 0 {
            out.push('|');
            for _ in 0..t.columns() {
                out.push_str(" --- |");
            }
            out.push('\n');
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_only_what_markdown_would_read() {
        assert_eq!(block("2023年，本机关……"), "2023年，本机关……");
        assert_eq!(block("1.属于国家秘密"), "1.属于国家秘密");
        assert_eq!(block("1. 加强领导"), "1\\. 加强领导");
        assert_eq!(block("# 不是标题"), "\\# 不是标题");
        assert_eq!(block("- 不是列表"), "\\- 不是列表");
        assert_eq!(block("-3"), "-3");
        assert_eq!(cell_text("a|b"), "a\\|b");
        assert_eq!(inline("仿宋_GB2312"), "仿宋\\_GB2312");
    }
}
