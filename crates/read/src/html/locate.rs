//! Locating paragraphs in the source: line and column of a paragraph's first words.

use super::*;

/// A forward-only position in the source.
pub(super) struct Cursor<'s> {
    pub(super) src: &'s str,
    pub(super) byte: usize,
    pub(super) line: u32,
    /// Characters between the start of the line and `byte`.
    pub(super) column: usize,
}

impl<'s> Cursor<'s> {
    pub(super) fn new(src: &'s str) -> Self {
        Cursor {
            src,
            byte: 0,
            line: 1,
            column: 0,
        }
    }

    /// Moves to `to`, a character boundary at or after the cursor.
    pub(super) fn advance_to(&mut self, to: usize) {
        let seg = &self.src[self.byte..to];
        match memchr::memrchr(b'\n', seg.as_bytes()) {
            Some(last) => {
                let lines = memchr::memchr_iter(b'\n', seg.as_bytes()).count();
                self.line = self
                    .line
                    .saturating_add(u32::try_from(lines).unwrap_or(u32::MAX));
                self.column = char_count(&seg[last + 1..]);
            }
            None => self.column += char_count(seg),
        }
        self.byte = to;
    }

    pub(super) fn here(&self) -> Location {
        Location::Text {
            line: self.line,
            column: u32::try_from(self.column + 1).unwrap_or(u32::MAX),
        }
    }

    /// The location of the first words of a text node, searched forward; the cursor
    /// moves past them (or by one character when they are not found), so no two calls
    /// return the same location.
    pub(super) fn locate(&mut self, first: Option<&str>) -> Location {
        let needle = first.map(needle).unwrap_or_default();
        let limit = floor_boundary(self.src, self.byte.saturating_add(LOCATE_WINDOW));
        let window = &self.src[self.byte..limit];
        // A match of the needle's bytes starts on a character boundary (UTF-8).
        if !needle.is_empty()
            && let Some(at) = memchr::memmem::find(window.as_bytes(), needle.as_bytes())
        {
            self.advance_to(self.byte + at);
            let loc = self.here();
            self.advance_to(self.byte + needle.len());
            return loc;
        }
        let loc = self.here();
        if let Some(c) = self.src[self.byte..].chars().next() {
            self.advance_to(self.byte + c.len_utf8());
        }
        loc
    }
}

/// Characters in `s`, counted as the bytes that start one.
pub(super) fn char_count(s: &str) -> usize {
    // The standard library counts the bytes that start a character a word at a time.
    s.chars().count()
}

pub(super) fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Up to eight leading characters of a text node that the source surely spells as is
/// (no white space, no characters that pages write as references).
pub(super) fn needle(text: &str) -> String {
    text.chars()
        .skip_while(|c| is_space(*c))
        .take_while(|c| !is_space(*c) && !matches!(c, '&' | '<' | '>' | '"' | '\''))
        .take(8)
        .collect()
}
