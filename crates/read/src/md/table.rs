//! Pipe-table rows: cells split on unescaped pipes, and the repairs for what PDF→Markdown
//! converters leave in them.
//!
//! * **Placeholder headers.** A converter that needs a GFM header row over a table without
//!   one invents it: pymupdf4llm writes `Col1`, `Col2` … for every column whose top cell is
//!   empty or spanned (`|二、主动公开政府信息情况|Col2|Col3|Col4|`), other pipelines
//!   `数据1` … `数据6`, `Column1`. In the header row (the row above `|---|`) such a cell is
//!   read as empty, so the real text beside it (a section heading, a label) stands alone.
//! * **Numbers run together.** A converter that finds columns by text position (markitdown
//!   through pdfminer) puts two or more values of neighbouring columns in one cell:
//!   `| 1144 1069 | 1243 1220 | 1265 | 920 6861 |`. A cell made only of numbers separated
//!   by spaces is split into one cell per number, in printed order, each at its own column;
//!   the mapper then counts the values of the row as printed. Whether they are the right
//!   number for the row is still the mapper's test (a wrong count stays uncertain).

use gongkai_report::{GridCell, Location};

use super::inline::inline;
use crate::html::{collapse, join_all};

/// The cells of one table line: a header row (above a separator) has its placeholder
/// cells emptied; cells of numbers run together are split.
pub(super) fn row_cells(line: &str, number: u32, header: bool) -> Vec<GridCell> {
    let mut row = Vec::new();
    for (offset, raw) in split_cells(line) {
        let pieces = inline(raw);
        let lead = raw.chars().take_while(|c| c.is_whitespace()).count();
        let text = join_all(pieces.into_iter().map(|p| collapse(&p.text)));
        let loc = |chars: usize| Location::Text {
            line: number,
            column: char_column(line, offset, chars),
        };
        if header && is_placeholder(&text) {
            row.push(GridCell::new(String::new(), loc(lead)));
            continue;
        }
        match run_of_numbers(&text) {
            Some(numbers) => {
                // Each number at its own column when it can be found in the raw text.
                let mut from = 0;
                for n in numbers {
                    let at = raw[from..].find(n).map(|i| from + i);
                    let chars = at.map_or(lead, |i| raw[..i].chars().count());
                    if let Some(i) = at {
                        from = i + n.len();
                    }
                    row.push(GridCell::new(n.to_string(), loc(chars)));
                }
            }
            None => row.push(GridCell::new(text, loc(lead))),
        }
    }
    row
}

/// The one text of a header row when it is running text (a sentence: `。` or `；`, 30
/// characters or more) and every other cell is empty or a placeholder: pymupdf4llm takes
/// the paragraph line above a table as the table's header row
/// (`|范、内容准确，杜绝失密泄密事件发生；三是…|Col2|Col3|Col4|`).
pub(super) fn narrative(row: &[GridCell]) -> Option<&GridCell> {
    let mut texts = row.iter().filter(|c| !c.is_empty());
    let first = texts.next()?;
    let sentence = first.text.contains(['。', '；']) && first.text.chars().count() >= 30;
    (sentence && texts.next().is_none()).then_some(first)
}

/// A header cell a converter made up: `Col3`, `Column3`, `数据3`.
pub(super) fn is_placeholder(text: &str) -> bool {
    ["Col", "Column", "数据"].iter().any(|p| {
        text.strip_prefix(p)
            .is_some_and(|n| (1..=3).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// Two or more plain numbers (`12`, `3.5`) separated by white space, and nothing else.
pub(super) fn run_of_numbers(text: &str) -> Option<Vec<&str>> {
    if !text.starts_with(|c: char| c.is_ascii_digit()) || !text.contains(char::is_whitespace) {
        return None;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let number = |w: &&str| {
        let mut parts = w.splitn(2, '.');
        let int = parts.next().unwrap_or("");
        let frac = parts.next();
        !int.is_empty()
            && int.len() <= 15
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
    };
    (words.len() >= 2 && words.iter().all(number)).then_some(words)
}

/// The 1-based character column of the character `chars` characters after byte `offset`
/// of `line`.
pub(super) fn char_column(line: &str, offset: usize, chars: usize) -> u32 {
    let before = line.get(..offset).map_or(0, |s| s.chars().count());
    u32::try_from(before + chars + 1).unwrap_or(u32::MAX)
}

pub(super) fn is_separator_bytes(t: &[u8]) -> bool {
    let t = t.strip_prefix(b"|").unwrap_or(t);
    let t = t.strip_suffix(b"|").unwrap_or(t);
    let mut cells = 0;
    for cell in t.split(|&c| c == b'|') {
        let c = cell.trim_ascii();
        let c = c.strip_prefix(b":").unwrap_or(c);
        let c = c.strip_suffix(b":").unwrap_or(c);
        if c.is_empty() || !c.iter().all(|&b| b == b'-') {
            return false;
        }
        cells += 1;
    }
    cells > 0
}

/// A separator row: `|---|:--:|`, `--- | ---`.
pub(super) fn is_separator(t: &str) -> bool {
    t.contains('|') && is_separator_bytes(t.as_bytes())
}

pub(super) fn has_pipe(t: &str) -> bool {
    let mut escaped = false;
    for c in t.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '|' => return true,
            _ => {}
        }
    }
    false
}

/// The cells of a table row: byte offset in the line and raw text. Unescaped pipes
/// separate cells; the leading and trailing pipe are not cells.
pub(super) fn split_cells(line: &str) -> Vec<(usize, &str)> {
    let lead = line.len() - line.trim_start().len();
    let body = line.trim();
    let mut cells = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '|' => {
                cells.push((lead + start, &body[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < body.len() {
        cells.push((lead + start, &body[start..]));
    }
    // The text before a leading pipe is not a cell.
    if body.starts_with('|') && !cells.is_empty() {
        cells.remove(0);
    }
    cells
}
