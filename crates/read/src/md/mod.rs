//! The Markdown reader: reports converted to Markdown (pandoc, markitdown, web-page
//! "readers", hand edits) → [`Document`].
//!
//! Block structure is read line by line, as CommonMark does, but tables are read
//! leniently. A GFM parser (e.g. `pulldown-cmark`) fits every row to the header row: it
//! drops the cells beyond the header's count and refuses a table whose separator row does
//! not match. Converters often leave exactly that: a junk header `| | | |` over nine-column
//! rows, the first data row used as header, a table cut into several small tables. So here
//! a table is any run of lines starting with `|` (or, GFM style, a line with a pipe
//! followed by a `|---|` row and more lines with pipes); separator rows are dropped
//! wherever they stand, every row keeps all of its cells, `\|` is a literal pipe, and rows
//! with no text at all (the junk header) are dropped. The mapper then finds rows by the
//! words of their labels, as for text input. A raw HTML `<table>` block (pandoc writes one
//! for merged cells) is read by the HTML reader.
//!
//! PDF→Markdown converters (pymupdf4llm, markitdown, docling, OCR pipelines) leave more:
//! placeholder header cells (`Col2`, `数据1`), several values in one cell, running text
//! taken as a header row, headings in simulated bold doubled (`三三、、…`). The `table`
//! module repairs the rows (see there); the mapper places rows that lost their labels by
//! order (`crate::map::order`), only where that is unambiguous. Fixtures made with the
//! real tools: `tests/fixtures/md/README.md`.
//!
//! Paragraphs: `#` headings, lines of a paragraph (joined by the soft-break rule of
//! [`crate::html`], so a line that ends a sentence or a heading, or a numbered line, stays
//! its own paragraph), list items (bullets dropped, numbers kept: `1.属于国家秘密` is a
//! label), block quotes. Inline markup is removed: emphasis, links (their text is kept),
//! images, code-span backticks, HTML tags (`<br>` is a soft break), character references
//! and backslash escapes.
//!
//! Every paragraph and cell has [`Location::Text`]: its 1-based line and character column in
//! the file.

use gongkai_report::{Block, Document, Location, Paragraph, Table};

use crate::html::{collapse, paragraphs};

use self::inline::inline;
use self::table::*;

mod inline;
mod table;
#[cfg(test)]
mod tests;

/// True when the text looks like Markdown: a pipe table with a `|---|` separator row, or
/// at least two `#` headings, and no tab-separated grid (a text export's table).
pub fn looks_like_markdown(bytes: &[u8]) -> bool {
    let decoded;
    let b: &[u8] = match bytes {
        [0xFF, 0xFE, rest @ ..] => {
            decoded = encoding_rs::UTF_16LE.decode_without_bom_handling(rest).0;
            decoded.as_bytes()
        }
        [0xFE, 0xFF, rest @ ..] => {
            decoded = encoding_rs::UTF_16BE.decode_without_bom_handling(rest).0;
            decoded.as_bytes()
        }
        _ => bytes,
    };
    let mut prev_pipe = false;
    let mut table = false;
    let mut headings = 0usize;
    let mut tab_rows = 0usize;
    for line in b.split(|&c| c == b'\n') {
        if line.iter().filter(|&&c| c == b'\t').count() >= 2 {
            tab_rows += 1;
        }
        let t = line.trim_ascii();
        if prev_pipe && t.contains(&b'|') && is_separator_bytes(t) {
            table = true;
        }
        prev_pipe = t.contains(&b'|');
        let hashes = t.iter().take_while(|&&c| c == b'#').count();
        if (1..=6).contains(&hashes) && t.get(hashes).is_some_and(|&c| c == b' ' || c == b'\t') {
            headings += 1;
        }
    }
    (table || headings >= 2) && tab_rows < 3
}

/// Reads Markdown text into a document.
pub fn read(text: &str) -> Document {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut r = Reader::default();
    let mut fence: Option<(char, usize)> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let t = line.trim();
        if let Some((ch, n)) = fence {
            if t.chars().take_while(|&c| c == ch).count() >= n && t.chars().all(|c| c == ch) {
                fence = None;
                r.flush();
            } else {
                r.line(line, 0, line, number);
            }
            i += 1;
            continue;
        }
        if t.is_empty() {
            r.flush();
            i += 1;
            continue;
        }
        if let Some(f) = fence_open(t) {
            r.flush();
            fence = Some(f);
            i += 1;
            continue;
        }
        let gfm_header = has_pipe(t) && lines.get(i + 1).is_some_and(|n| is_separator(n.trim()));
        if t.starts_with('|') || gfm_header {
            r.flush();
            let start = i;
            while i < lines.len() {
                let t = lines[i].trim();
                let more = if gfm_header {
                    has_pipe(t)
                } else {
                    t.starts_with('|')
                };
                if !more {
                    break;
                }
                i += 1;
            }
            r.table(&lines[start..i], start);
            continue;
        }
        if starts_with_ci(t, "<table") {
            r.flush();
            let start = i;
            while i < lines.len() && find_ci(lines[i], "</table").is_none() {
                i += 1;
            }
            let end = (i + 1).min(lines.len());
            r.html_table(&lines[start..end].join("\n"), start);
            i = end;
            continue;
        }
        if let Some((offset, heading)) = atx_heading(line) {
            r.flush();
            r.line(line, offset, heading, number);
            r.flush();
            i += 1;
            continue;
        }
        if is_rule(t) || is_reference_definition(t) {
            // A setext underline ends its paragraph as a thematic break does.
            r.flush();
            i += 1;
            continue;
        }
        let (offset, content, new_block) = strip_container(line);
        if new_block {
            r.flush();
        }
        r.line(line, offset, content, number);
        i += 1;
    }
    r.flush();
    Document { blocks: r.blocks }
}

#[derive(Default)]
struct Reader {
    blocks: Vec<Block>,
    /// The lines of the open paragraph: collapsed text and location.
    para: Vec<(String, Location)>,
    tables: u32,
}

impl Reader {
    /// Adds the `content` of a source line, `offset` bytes into it, to the open paragraph.
    fn line(&mut self, line: &str, offset: usize, content: &str, number: u32) {
        for piece in inline(content) {
            let lead = piece.text.chars().take_while(|c| c.is_whitespace()).count();
            let column = char_column(line, offset, piece.start + lead);
            self.para.push((
                undouble(collapse(&piece.text)),
                Location::Text {
                    line: number,
                    column,
                },
            ));
        }
    }

    fn flush(&mut self) {
        if self.para.is_empty() {
            return;
        }
        let texts: Vec<String> = self.para.iter().map(|(t, _)| t.clone()).collect();
        for (text, first) in paragraphs(texts) {
            self.blocks.push(Block::Paragraph(Paragraph {
                text,
                loc: self.para[first].1,
            }));
        }
        self.para.clear();
    }

    fn table(&mut self, lines: &[&str], start: usize) {
        let mut rows = Vec::new();
        for (k, line) in lines.iter().enumerate() {
            if is_separator(line.trim()) {
                continue;
            }
            let number = u32::try_from(start + k + 1).unwrap_or(u32::MAX);
            let header = lines
                .get(k + 1)
                .is_some_and(|next| is_separator(next.trim()));
            let row = row_cells(line, number, header);
            if header
                && rows.is_empty()
                && let Some(text) = narrative(&row)
            {
                // Running text a converter took into the header row: a paragraph before
                // the table, so that the table's real first row is its first row.
                self.blocks.push(Block::Paragraph(Paragraph {
                    text: text.text.clone(),
                    loc: text.loc,
                }));
                continue;
            }
            if row.iter().any(|c| !c.is_empty()) {
                rows.push(row);
            }
        }
        if !rows.is_empty() {
            self.tables += 1;
            self.blocks.push(Block::Table(Table { rows }));
        }
    }

    /// A raw HTML table: read by the HTML reader, locations moved to this file.
    fn html_table(&mut self, fragment: &str, start: usize) {
        let shift = u32::try_from(start).unwrap_or(u32::MAX);
        for mut block in crate::html::read_str(fragment).blocks {
            match &mut block {
                Block::Paragraph(p) => {
                    if let Location::Text { line, .. } = &mut p.loc {
                        *line = line.saturating_add(shift);
                    }
                }
                Block::Table(t) => {
                    self.tables += 1;
                    for cell in t.rows.iter_mut().flatten() {
                        if let Location::Table { table, .. } = &mut cell.loc {
                            *table = self.tables;
                        }
                    }
                }
            }
            self.blocks.push(block);
        }
    }
}

/// A fence opening line: three or more backticks or tildes.
fn fence_open(t: &str) -> Option<(char, usize)> {
    let ch = t.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let n = t.chars().take_while(|&c| c == ch).count();
    (n >= 3).then_some((ch, n))
}

/// An ATX heading: the byte offset of its text in the line and the text, closing `#`s
/// removed.
fn atx_heading(line: &str) -> Option<(usize, &str)> {
    let lead = line.len() - line.trim_start().len();
    if lead > 3 {
        return None;
    }
    let t = &line[lead..];
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &t[hashes..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let text_start = lead + hashes + (rest.len() - rest.trim_start().len());
    let mut text = rest.trim();
    let closing = text.trim_end_matches('#');
    if closing.is_empty() || closing.ends_with([' ', '\t']) {
        text = closing.trim_end();
    }
    Some((text_start, text))
}

/// A thematic break or a setext underline: `---`, `***`, `___`, `===`.
fn is_rule(t: &str) -> bool {
    let s: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(first) = s.chars().next() else {
        return false;
    };
    matches!(first, '-' | '*' | '_' | '=')
        && s.chars().all(|c| c == first)
        && (s.len() >= 3 || first == '=' || first == '-')
}

/// `[label]: url`.
fn is_reference_definition(t: &str) -> bool {
    t.starts_with('[')
        && t.find("]:")
            .is_some_and(|i| i > 1 && !t[1..i].contains(']'))
}

/// Strips list markers (bullets; numbers are kept as text) and block-quote markers:
/// returns the byte offset of the content, the content, and whether it starts a block.
fn strip_container(line: &str) -> (usize, &str, bool) {
    let mut offset = line.len() - line.trim_start().len();
    let mut rest = &line[offset..];
    let mut new_block = false;
    loop {
        if let Some(r) = rest.strip_prefix('>') {
            let r2 = r.strip_prefix(' ').unwrap_or(r);
            offset += rest.len() - r2.len();
            rest = r2;
            continue;
        }
        break;
    }
    if let Some(r) = rest
        .strip_prefix("- ")
        .or_else(|| rest.strip_prefix("* "))
        .or_else(|| rest.strip_prefix("+ "))
    {
        let r = r.trim_start();
        offset += rest.len() - r.len();
        rest = r;
        new_block = true;
    } else {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if (1..=9).contains(&digits)
            && rest[digits..].starts_with(['.', ')'])
            && rest[digits + 1..].starts_with([' ', '\t'])
        {
            new_block = true;
        }
    }
    (offset, rest.trim_end(), new_block)
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

fn find_ci(s: &str, needle: &str) -> Option<usize> {
    s.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// A line whose every character is printed twice (`三三、、收收到到…`): a PDF heading in
/// simulated bold (the text drawn twice with a small offset) that the converter did not
/// merge. Taken once; anything shorter than eight characters or not doubled throughout is
/// kept as it is.
fn undouble(text: String) -> String {
    // Cheap rejection first: most lines do not start with a doubled character.
    let mut it = text.chars().filter(|c| !c.is_whitespace());
    if it.next() != it.next() {
        return text;
    }
    let cs: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let doubled = cs.len() >= 8
        && cs.len().is_multiple_of(2)
        && cs.chunks(2).all(|p| p[0] == p[1])
        && cs.chunks(2).any(|p| p[0] != cs[0]);
    if doubled {
        cs.chunks(2).map(|p| p[0]).collect()
    } else {
        text
    }
}
