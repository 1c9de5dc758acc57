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
//! Paragraphs: `#` headings, lines of a paragraph (joined by the soft-break rule of
//! [`crate::html`], so a line that ends a sentence or a heading, or a numbered line, stays
//! its own paragraph), list items (bullets dropped, numbers kept: `1.属于国家秘密` is a
//! label), block quotes. Inline markup is removed: emphasis, links (their text is kept),
//! images, code-span backticks, HTML tags (`<br>` is a soft break), character references
//! and backslash escapes.
//!
//! Every paragraph and cell has [`Location::Text`]: its 1-based line and character column in
//! the file.

use gongkai_report::{Block, Document, GridCell, Location, Paragraph, Table};

use crate::html::{collapse, join_all, paragraphs};

/// How far inline constructs (links, code spans, tags) are looked for, in characters.
const INLINE_REACH: usize = 1000;

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

fn is_separator_bytes(t: &[u8]) -> bool {
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
fn is_separator(t: &str) -> bool {
    t.contains('|') && is_separator_bytes(t.as_bytes())
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
                collapse(&piece.text),
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
        for (text, first) in paragraphs(&texts) {
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
            let row: Vec<GridCell> = split_cells(line)
                .into_iter()
                .map(|(offset, raw)| {
                    let pieces = inline(raw);
                    let lead = raw.chars().take_while(|c| c.is_whitespace()).count();
                    let text = join_all(pieces.into_iter().map(|p| collapse(&p.text)));
                    GridCell::new(
                        text,
                        Location::Text {
                            line: number,
                            column: char_column(line, offset, lead),
                        },
                    )
                })
                .collect();
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

/// The 1-based character column of the character `chars` characters after byte `offset`
/// of `line`.
fn char_column(line: &str, offset: usize, chars: usize) -> u32 {
    let before = line.get(..offset).map_or(0, |s| s.chars().count());
    u32::try_from(before + chars + 1).unwrap_or(u32::MAX)
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

fn has_pipe(t: &str) -> bool {
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
fn split_cells(line: &str) -> Vec<(usize, &str)> {
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

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

fn find_ci(s: &str, needle: &str) -> Option<usize> {
    s.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

// ---------------------------------------------------------------------------------------
// Inline markup
// ---------------------------------------------------------------------------------------

/// A piece of rendered inline text; `<br>` starts a new piece. `start` is the character
/// offset in the source where the piece begins.
#[derive(Debug, PartialEq)]
struct Piece {
    start: usize,
    text: String,
}

/// Renders inline Markdown to plain text pieces.
fn inline(s: &str) -> Vec<Piece> {
    let cs: Vec<char> = s.chars().collect();
    let mut out = vec![Piece {
        start: 0,
        text: String::new(),
    }];
    render(&cs, 0, cs.len(), 0, &mut out);
    out
}

fn push(out: &mut [Piece], c: char) {
    if let Some(p) = out.last_mut() {
        p.text.push(c);
    }
}

fn render(cs: &[char], from: usize, to: usize, depth: u8, out: &mut Vec<Piece>) {
    let run = |i: usize, c: char| cs[i..to].iter().take_while(|&&x| x == c).count();
    let mut i = from;
    while i < to {
        let c = cs[i];
        match c {
            '\\' if i + 1 < to && cs[i + 1].is_ascii_punctuation() => {
                push(out, cs[i + 1]);
                i += 2;
            }
            '`' => {
                let n = run(i, '`');
                let close = (i + n..to.min(i + n + INLINE_REACH))
                    .find(|&j| run(j, '`') == n && (j == 0 || cs[j - 1] != '`'));
                match close {
                    Some(j) => {
                        for &x in &cs[i + n..j] {
                            push(out, x);
                        }
                        i = j + n;
                    }
                    None => {
                        for _ in 0..n {
                            push(out, '`');
                        }
                        i += n;
                    }
                }
            }
            '*' => i += run(i, '*'),
            '~' => {
                let n = run(i, '~');
                if n == 1 {
                    push(out, '~');
                }
                i += n;
            }
            '_' => {
                let n = run(i, '_');
                let before = i.checked_sub(1).map(|k| cs[k]);
                let after = cs.get(i + n).copied().filter(|_| i + n < to);
                let inner = before.is_some_and(|b| b.is_ascii_alphanumeric())
                    && after.is_some_and(|a| a.is_ascii_alphanumeric());
                if inner {
                    for _ in 0..n {
                        push(out, '_');
                    }
                }
                i += n;
            }
            '!' if cs.get(i + 1) == Some(&'[') && i + 1 < to => match link_at(cs, i + 1, to) {
                Some((_, after)) => i = after,
                None => {
                    push(out, '!');
                    i += 1;
                }
            },
            '[' => match link_at(cs, i, to) {
                Some((close, after)) if depth < 4 => {
                    render(cs, i + 1, close, depth + 1, out);
                    i = after;
                }
                _ => {
                    push(out, '[');
                    i += 1;
                }
            },
            '<' => match tag_at(cs, i, to) {
                Some((Tag::Break, end)) => {
                    out.push(Piece {
                        start: end,
                        text: String::new(),
                    });
                    i = end;
                }
                Some((Tag::Autolink(a, b), end)) => {
                    for &x in &cs[a..b] {
                        push(out, x);
                    }
                    i = end;
                }
                Some((Tag::Other, end)) => i = end,
                None => {
                    push(out, '<');
                    i += 1;
                }
            },
            '&' => match entity_at(cs, i, to) {
                Some((ch, end)) => {
                    push(out, ch);
                    i = end;
                }
                None => {
                    push(out, '&');
                    i += 1;
                }
            },
            _ => {
                push(out, c);
                i += 1;
            }
        }
    }
}

/// `[text](url)`, `[text][ref]` or `[text][]` at `i`: the index of the closing `]` and
/// of the character after the construct.
fn link_at(cs: &[char], i: usize, to: usize) -> Option<(usize, usize)> {
    let limit = to.min(i + INLINE_REACH);
    let mut depth = 0usize;
    let mut j = i;
    let close = loop {
        j += 1;
        if j >= limit {
            return None;
        }
        match cs[j] {
            '\\' => j += 1,
            '[' => depth += 1,
            ']' if depth == 0 => break j,
            ']' => depth -= 1,
            _ => {}
        }
    };
    let (open, shut) = match cs.get(close + 1) {
        Some('(') => ('(', ')'),
        Some('[') => ('[', ']'),
        _ => return None,
    };
    let mut depth = 0usize;
    let mut k = close + 1;
    loop {
        k += 1;
        if k >= limit {
            return None;
        }
        match cs[k] {
            '\\' => k += 1,
            c if c == open && open == '(' => depth += 1,
            c if c == shut && depth == 0 => return Some((close, k + 1)),
            c if c == shut => depth -= 1,
            _ => {}
        }
    }
}

enum Tag {
    Break,
    Autolink(usize, usize),
    Other,
}

/// An HTML tag, comment or autolink at `i`, and the index after it.
fn tag_at(cs: &[char], i: usize, to: usize) -> Option<(Tag, usize)> {
    let limit = to.min(i + INLINE_REACH);
    let starts = |s: &str| {
        s.chars()
            .enumerate()
            .all(|(k, c)| cs.get(i + k).is_some_and(|x| x.eq_ignore_ascii_case(&c)))
    };
    if starts("<!--") {
        let end = (i + 4..limit.saturating_sub(2))
            .find(|&j| cs[j] == '-' && cs[j + 1] == '-' && cs[j + 2] == '>')?;
        return Some((Tag::Other, end + 3));
    }
    let next = *cs.get(i + 1)?;
    if !(next.is_ascii_alphabetic() || next == '/') {
        return None;
    }
    let close = (i + 1..limit).find(|&j| cs[j] == '>' || cs[j] == '<')?;
    if cs[close] != '>' {
        return None;
    }
    let inner: String = cs[i + 1..close].iter().collect();
    if inner.contains("://") || inner.starts_with("mailto:") {
        return Some((Tag::Autolink(i + 1, close), close + 1));
    }
    let name: String = inner
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    if name.is_empty() {
        return None;
    }
    let tag = if name.eq_ignore_ascii_case("br") {
        Tag::Break
    } else {
        Tag::Other
    };
    Some((tag, close + 1))
}

/// A character reference at `i`: the character and the index after it.
fn entity_at(cs: &[char], i: usize, to: usize) -> Option<(char, usize)> {
    let limit = to.min(i + 12);
    let semi = (i + 1..limit).find(|&j| cs[j] == ';')?;
    let name: String = cs[i + 1..semi].iter().collect();
    let ch = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code).filter(|&c| c != '\0')?
    } else {
        match name.as_str() {
            "nbsp" => '\u{a0}',
            "ensp" | "emsp" | "thinsp" => ' ',
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "ldquo" => '“',
            "rdquo" => '”',
            "lsquo" => '‘',
            "rsquo" => '’',
            "mdash" => '—',
            "ndash" => '–',
            "hellip" => '…',
            "middot" => '·',
            "times" => '×',
            "yen" => '¥',
            _ => return None,
        }
    };
    Some((ch, semi + 1))
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

    fn paras(d: &Document) -> Vec<&str> {
        d.paragraphs().map(|p| p.text.as_str()).collect()
    }

    fn render(s: &str) -> String {
        inline(s)
            .into_iter()
            .map(|p| p.text)
            .collect::<Vec<_>>()
            .join("|")
    }

    #[test]
    fn junk_header_keeps_all_cells() {
        let d = read("| | | |\n|---|---|---|\n| 一、本年新收 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 |\n");
        let t: Vec<_> = d.tables().collect();
        assert_eq!(t.len(), 1);
        assert_eq!(
            texts(t[0]),
            [vec!["一、本年新收", "1", "2", "3", "4", "5", "6", "7", "8"]]
        );
        assert_eq!(
            t[0].rows[0][1].loc,
            Location::Text {
                line: 3,
                column: 12
            }
        );
    }

    #[test]
    fn escaped_pipes_alignment_and_gfm_without_edges() {
        let d = read("a \\| b | c\n:---|---:\n1 | `x|y`\n\n|一|二|\n|:-:|-|\n|三||\n");
        let t: Vec<_> = d.tables().collect();
        assert_eq!(t.len(), 2);
        assert_eq!(texts(t[0]), [vec!["a | b", "c"], vec!["1", "`x", "y`"]]);
        assert_eq!(texts(t[1]), [vec!["一", "二"], vec!["三", ""]]);
    }

    #[test]
    fn split_tables_and_headings() {
        let d = read(
            "# 某镇2023年政府信息公开工作年度报告\n\n## 一、总体情况 ##\n本年度，我镇\n做了工作。\n\
             （一）主动公开\n\n| 规章 | 0 |\n\n| 行政许可 | 5 |\n",
        );
        assert_eq!(
            paras(&d),
            [
                "某镇2023年政府信息公开工作年度报告",
                "一、总体情况",
                "本年度，我镇做了工作。",
                "（一）主动公开"
            ]
        );
        assert_eq!(d.tables().count(), 2);
        let locs: Vec<Location> = d.paragraphs().map(|p| p.loc).collect();
        assert_eq!(locs[1], Location::Text { line: 3, column: 4 });
        assert_eq!(locs[3], Location::Text { line: 6, column: 1 });
    }

    #[test]
    fn inline_markup() {
        assert_eq!(render("**一、总体情况**"), "一、总体情况");
        assert_eq!(render("[附件](http://x/a.pdf) ![图](i.png)"), "附件 ");
        assert_eq!(
            render("1\\. 属于&nbsp;国家秘密&#x4E00;"),
            "1. 属于\u{a0}国家秘密一"
        );
        assert_eq!(
            render("三、<br>本年度<br/>办理结果"),
            "三、|本年度|办理结果"
        );
        assert_eq!(
            render("<span style='x'>a</span> <!-- c --> snake_case"),
            "a  snake_case"
        );
        assert_eq!(render("a < b & c [d] ~e"), "a < b & c [d] ~e");
        assert_eq!(render("<http://gov.cn>"), "http://gov.cn");
    }

    #[test]
    fn cells_join_breaks() {
        let d = read("| 三、<br>本年度<br>办理结果 | **0** |\n");
        assert_eq!(
            texts(d.tables().next().unwrap()),
            [vec!["三、本年度办理结果", "0"]]
        );
    }

    #[test]
    fn lists_quotes_and_rules() {
        let d = read(
            "- 第一项\n- 第二项\n\n1. 属于国家秘密\n2. 其他\n\n> 引用\n---\n***\n[a]: http://x\n",
        );
        assert_eq!(
            paras(&d),
            ["第一项", "第二项", "1. 属于国家秘密", "2. 其他", "引用"]
        );
    }

    #[test]
    fn html_table_block() {
        let d = read(
            "# 标题\n\n<table>\n<tr><td rowspan=2>三</td><td>1</td></tr>\n<tr><td>2</td></tr>\n</table>\n\n后文\n",
        );
        let t: Vec<_> = d.tables().collect();
        assert_eq!(texts(t[0]), [vec!["三", "1"], vec!["2"]]);
        assert_eq!(paras(&d), ["标题", "后文"]);
    }

    #[test]
    fn detection() {
        assert!(looks_like_markdown("# a\n\n## b\n".as_bytes()));
        assert!(looks_like_markdown("x\n| a | b |\n|---|---|\n".as_bytes()));
        assert!(looks_like_markdown("a | b\n--- | ---\n".as_bytes()));
        assert!(!looks_like_markdown("# only one\ntext\n".as_bytes()));
        assert!(!looks_like_markdown(
            "a\tb\tc\n| a | b |\n|---|---|\nx\ty\tz\n1\t2\t3\n".as_bytes()
        ));
        assert!(!looks_like_markdown("---\n".as_bytes()));
        assert!(!looks_like_markdown("#hashtag\n#another\n".as_bytes()));
    }

    #[test]
    fn pathological_inline_is_bounded() {
        let s = "[".repeat(20_000) + &"`".repeat(10_000) + &"<a".repeat(10_000);
        let d = read(&s);
        assert_eq!(d.paragraphs().count(), 1);
    }
}
