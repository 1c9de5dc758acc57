//! Collected text: inline runs joined into lines, lines into paragraphs.

use super::*;

/// One line of collected text and the first text node in it.
#[derive(Debug, Default)]
pub(super) struct Line<'a> {
    pub(super) raw: String,
    pub(super) first: Option<&'a str>,
}

#[derive(Default)]
pub(super) struct Collector<'a> {
    pub(super) lines: Vec<Line<'a>>,
    pub(super) cur: Line<'a>,
}

impl<'a> Collector<'a> {
    pub(super) fn text(&mut self, t: &'a str) {
        if self.cur.first.is_none() && t.chars().any(|c| !is_space(c)) {
            self.cur.first = Some(t);
        }
        self.cur.raw.push_str(t);
    }

    /// Ends the current line (an empty line, from `<br><br>`, ends a paragraph).
    pub(super) fn brk(&mut self) {
        self.lines.push(std::mem::take(&mut self.cur));
    }

    pub(super) fn finish(mut self) -> Vec<Line<'a>> {
        if !self.cur.raw.is_empty() {
            self.brk();
        }
        self.lines
    }
}

/// White space for this reader: Unicode white space (with NBSP and the ideographic
/// space) and the zero-width characters.
pub(super) fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}')
}

/// A character of East Asian text (ideographs, kana, CJK and full-width punctuation,
/// Chinese quotation marks and dashes), between which line breaks are not spaces.
pub(crate) fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x2010..=0x2027 | 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE10..=0xFE1F
        | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Collapses white space in one line: runs become one space, none at the ends, and none
/// where a source line break fell between two CJK characters (Word wraps its HTML inside
/// words).
pub(crate) fn collapse(raw: &str) -> String {
    // Runs of characters kept as they are are copied whole; only the bytes that may start
    // white space or a zero-width character are looked at one by one.
    let b = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut pending: Option<bool> = None; // a run of space is pending; true if it had a newline
    let mut run = 0; // start of the characters not yet copied
    let mut i = 0;
    while i < b.len() {
        let special = crate::norm::MAY_BE_SPACE[usize::from(b[i])];
        let c = if special || pending.is_some() {
            // A character boundary: an ASCII byte, a lead byte, or the end of white space.
            raw[i..].chars().next().unwrap_or(' ')
        } else {
            i += 1;
            continue;
        };
        if special {
            if matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}') {
                out.push_str(&raw[run..i]);
                i += c.len_utf8();
                run = i;
                continue;
            }
            if c.is_whitespace() {
                out.push_str(&raw[run..i]);
                let nl = matches!(c, '\n' | '\r');
                pending = Some(pending.unwrap_or(false) || nl);
                i += c.len_utf8();
                run = i;
                continue;
            }
        }
        if let Some(nl) = pending.take()
            && let Some(prev) = out.chars().next_back()
            && !(nl && is_wide(prev) && is_wide(c))
        {
            out.push(' ');
        }
        i += c.len_utf8();
    }
    if pending.is_none() {
        out.push_str(&raw[run..]);
    }
    out
}

/// What to put between two pieces of one paragraph or cell: nothing between CJK text.
pub(crate) fn joiner(a: &str, b: &str) -> &'static str {
    match (a.chars().next_back(), b.chars().next()) {
        (Some(x), Some(y)) if is_wide(x) && is_wide(y) => "",
        (Some(_), Some(_)) => " ",
        _ => "",
    }
}

/// Joins the collapsed lines of a cell into one text.
pub(crate) fn join_all(lines: impl IntoIterator<Item = String>) -> String {
    let mut out = String::new();
    for l in lines {
        if l.is_empty() {
            continue;
        }
        if out.is_empty() {
            out = l; // the first (often the only) line: no copy
            continue;
        }
        let j = joiner(&out, &l);
        out.push_str(j);
        out.push_str(&l);
    }
    out
}

/// True when a soft line break after `prev`, before `next`, ends a paragraph: `prev` ends
/// a sentence, or is a unit of its own (a section heading, a short numbered heading, a
/// report title, a date), or `next` starts a numbered item (`一、`, `（二）`, `3.`), or
/// either is empty. Otherwise the break is a wrap inside a paragraph.
pub(crate) fn breaks_paragraph(prev: &str, next: &str) -> bool {
    if prev.is_empty() || next.is_empty() {
        return true;
    }
    if prev.ends_with(['。', '！', '？', '；', '：', '!', '?', ';', ':'])
        || starts_numbered(next)
        || heading_number(prev).is_some()
    {
        return true;
    }
    // `prev` may be a long paragraph joined so far: decide on its length in bytes first,
    // so that joining many lines stays linear.
    if prev.len() > 80 * 4 {
        return false;
    }
    let len = prev.chars().count();
    let phrase = !prev.contains(['，', '。', ',', '；', ';']);
    (phrase && len <= 30 && starts_numbered(prev))
        || (phrase && len <= 80 && prev.contains("报告"))
        || (len <= 40 && prev.ends_with('日') && prev.contains('年') && prev.contains('月'))
}

/// `一、`, `（一）`/`(一)`, `1.`/`1、`/`1．` at the start of a line.
pub(crate) fn starts_numbered(s: &str) -> bool {
    const CN: &str = "一二三四五六七八九十";
    let mut it = s.chars().peekable();
    match it.peek().copied() {
        Some('（' | '(') => {
            it.next();
            let mut n = 0;
            while it.peek().is_some_and(|c| CN.contains(*c)) {
                it.next();
                n += 1;
            }
            n > 0 && matches!(it.next(), Some('）' | ')'))
        }
        Some(c) if CN.contains(c) => {
            while it.peek().is_some_and(|c| CN.contains(*c)) {
                it.next();
            }
            it.next() == Some('、')
        }
        Some(c) if c.is_ascii_digit() => {
            let mut n = 0;
            while it.peek().is_some_and(char::is_ascii_digit) {
                it.next();
                n += 1;
            }
            n <= 2 && matches!(it.next(), Some('.' | '、' | '．'))
        }
        _ => false,
    }
}

/// Splits collapsed lines into paragraphs by the soft-break rule; returns each
/// paragraph's text and the index of its first line.
pub(crate) fn paragraphs(lines: Vec<String>) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    let mut open = false;
    for (i, l) in lines.into_iter().enumerate() {
        if l.is_empty() {
            open = false;
            continue;
        }
        match out.last_mut() {
            Some((text, _)) if open && !breaks_paragraph(text, &l) => {
                let j = joiner(text, &l);
                text.push_str(j);
                text.push_str(&l);
            }
            // A paragraph's first line becomes its text (no copy).
            _ => out.push((l, i)),
        }
        open = true;
    }
    out
}
