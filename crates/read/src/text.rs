//! The plain-text reader: text exported from PDF or Word → [`Document`].
//!
//! Text exports keep tables in one of two shapes, both seen in the seeds:
//!
//! * **grid**: one table row per line, cells separated by tabs; merged cells leave empty
//!   fields or none at all, so positions are not reliable (seeds 000, 001, 003, 004);
//! * **one cell per line**: every line is a tab followed by one cell's text, and a blank
//!   line ends a row (seed 002). A header split over lines (`总` / blank / `计`) shows up
//!   as a short line without a tab, which continues the previous cell.
//!
//! A table region is a run of lines with tabs, together with the blank lines and short
//! tab-less fragments between them. Everything else is a paragraph, one per line. The
//! reader does not know what a cell id is; the mapper ([`crate::map`]) does.

use gongkai_report::{Block, Document, GridCell, Location, Paragraph, Table};

/// A tab-less line of at most this many characters inside a table region is a fragment of
/// a wrapped cell, not a paragraph.
const FRAGMENT_MAX_CHARS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Blank,
    Tabbed,
    Plain,
}

struct Line<'a> {
    /// 1-based line number.
    number: u32,
    text: &'a str,
    kind: Kind,
}

fn classify(text: &str) -> Kind {
    if text.contains('\t') {
        Kind::Tabbed
    } else if text.trim().is_empty() {
        Kind::Blank
    } else {
        Kind::Plain
    }
}

fn is_fragment(line: &Line<'_>) -> bool {
    line.kind == Kind::Plain && line.text.trim().chars().count() <= FRAGMENT_MAX_CHARS
}

/// Reads decoded text into a document.
pub fn read(text: &str) -> Document {
    let lines: Vec<Line<'_>> = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| {
            let l = l.strip_suffix('\r').unwrap_or(l);
            Line {
                number: u32::try_from(i + 1).unwrap_or(u32::MAX),
                text: l,
                kind: classify(l),
            }
        })
        .collect();

    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        match line.kind {
            Kind::Blank => i += 1,
            Kind::Plain => {
                blocks.push(paragraph(line));
                i += 1;
            }
            Kind::Tabbed => {
                let end = region_end(&lines, i);
                let region = &lines[i..end];
                let table = if region
                    .iter()
                    .all(|l| is_single_cell(l) || l.kind != Kind::Tabbed)
                {
                    single_cell_table(region)
                } else {
                    grid_table(region)
                };
                if is_prose(&table) {
                    // A stray tab inside running text: keep it as a paragraph.
                    for l in region.iter().filter(|l| l.kind != Kind::Blank) {
                        blocks.push(paragraph(l));
                    }
                } else {
                    blocks.push(Block::Table(table));
                }
                i = end;
            }
        }
    }
    Document { blocks }
}

fn paragraph(line: &Line<'_>) -> Block {
    let lead = line.text.chars().take_while(|c| c.is_whitespace()).count();
    Block::Paragraph(Paragraph {
        text: line.text.trim().to_string(),
        loc: Location::Text {
            line: line.number,
            column: u32::try_from(lead + 1).unwrap_or(u32::MAX),
        },
    })
}

/// The index one past the last line of the table region that starts at `start`.
fn region_end(lines: &[Line<'_>], start: usize) -> usize {
    let mut end = start + 1;
    let mut j = start + 1;
    while j < lines.len() {
        match lines[j].kind {
            Kind::Tabbed => {
                j += 1;
                end = j;
            }
            Kind::Blank => j += 1,
            Kind::Plain if is_fragment(&lines[j]) => {
                // A fragment belongs to the table only if more table follows.
                let mut k = j + 1;
                while k < lines.len() && lines[k].kind == Kind::Blank {
                    k += 1;
                }
                if k < lines.len() && lines[k].kind == Kind::Tabbed {
                    j = k;
                } else {
                    break;
                }
            }
            Kind::Plain => break,
        }
    }
    end
}

/// A line that is one tab followed by a single cell's text.
fn is_single_cell(line: &Line<'_>) -> bool {
    line.kind == Kind::Tabbed && line.text.starts_with('\t') && !line.text[1..].contains('\t')
}

/// One table row per line, fields split at tabs.
fn grid_table(region: &[Line<'_>]) -> Table {
    let mut rows = Vec::new();
    for line in region {
        match line.kind {
            Kind::Blank => {}
            Kind::Plain => {
                rows.push(vec![cell(line.text, line.number, 0)]);
            }
            Kind::Tabbed => {
                let mut row = Vec::new();
                let mut column = 0usize;
                for field in line.text.split('\t') {
                    row.push(cell(field, line.number, column));
                    column += field.chars().count() + 1;
                }
                rows.push(row);
            }
        }
    }
    Table { rows }
}

/// One cell per line, rows separated by blank lines.
fn single_cell_table(region: &[Line<'_>]) -> Table {
    let mut rows: Vec<Vec<GridCell>> = Vec::new();
    let mut open = false;
    for line in region {
        match line.kind {
            Kind::Blank => open = false,
            Kind::Tabbed => {
                let c = cell(&line.text[1..], line.number, 1);
                if open {
                    if let Some(row) = rows.last_mut() {
                        row.push(c);
                    }
                } else {
                    rows.push(vec![c]);
                    open = true;
                }
            }
            Kind::Plain => {
                // A fragment continues the last cell (`总` / blank / `计`) and reopens its row.
                match rows.last_mut().and_then(|r| r.last_mut()) {
                    Some(last) => {
                        last.text.push_str(line.text.trim());
                        open = true;
                    }
                    None => {
                        rows.push(vec![cell(line.text, line.number, 0)]);
                        open = true;
                    }
                }
            }
        }
    }
    Table { rows }
}

fn cell(field: &str, line: u32, column: usize) -> GridCell {
    let lead = field.chars().take_while(|c| c.is_whitespace()).count();
    GridCell::new(
        field.trim(),
        Location::Text {
            line,
            column: u32::try_from(column + lead + 1).unwrap_or(u32::MAX),
        },
    )
}

/// A "table" of one row with at most two non-empty cells is running text with a tab in it.
fn is_prose(table: &Table) -> bool {
    table.rows.len() == 1 && table.rows[0].iter().filter(|c| !c.is_empty()).count() <= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &Table) -> Vec<Vec<&str>> {
        t.rows
            .iter()
            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }

    fn only_table(doc: &Document) -> &Table {
        let tables: Vec<_> = doc.tables().collect();
        assert_eq!(tables.len(), 1, "{doc:#?}");
        tables[0]
    }

    #[test]
    fn grid_rows_and_positions() {
        let doc = read("标题\n\n规章\t0\t0\t0\n行政许可\t5\t\t\n\n正文");
        let t = only_table(&doc);
        assert_eq!(
            texts(t),
            [vec!["规章", "0", "0", "0"], vec!["行政许可", "5", "", ""]]
        );
        assert_eq!(t.rows[1][1].loc, Location::Text { line: 4, column: 6 });
        assert_eq!(doc.paragraphs().count(), 2);
    }

    #[test]
    fn one_cell_per_line_with_split_header() {
        let doc = read(
            "\t行政复议\n\t行政诉讼\n\n\t结果维持\n\t总\n\n计\n\t未经复议直接起诉\n\n\t0\n\t0\n",
        );
        let t = only_table(&doc);
        assert_eq!(
            texts(t),
            [
                vec!["行政复议", "行政诉讼"],
                vec!["结果维持", "总计", "未经复议直接起诉"],
                vec!["0", "0"]
            ]
        );
        assert_eq!(
            t.rows[2][1].loc,
            Location::Text {
                line: 11,
                column: 2
            }
        );
    }

    #[test]
    fn long_plain_line_ends_the_table() {
        let doc = read("a\t1\t2\n\n四、政府信息公开行政复议、行政诉讼情况\nb\t1\t2\n");
        assert_eq!(doc.tables().count(), 2);
        assert_eq!(doc.paragraphs().count(), 1);
    }

    #[test]
    fn stray_tab_in_prose_is_a_paragraph() {
        let doc = read("本年度\t共收到申请 3 件。\n");
        assert_eq!(doc.tables().count(), 0);
        assert_eq!(doc.paragraphs().count(), 1);
    }

    #[test]
    fn crlf_and_empty() {
        assert!(read("").blocks.is_empty());
        let doc = read("规章\t0\t0\t0\r\n规范性文件\t1\t0\t2\r\n");
        assert_eq!(texts(only_table(&doc))[1], ["规范性文件", "1", "0", "2"]);
    }
}
