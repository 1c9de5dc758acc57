//! Before parsing: the inert parts (scripts, styles, comments) and styling-only inline tags dropped.

use super::*;

/// The page without the content of `<script>` and `<style>` elements and without comments
/// (Word's `<!--[if gte mso 9]><xml>…<![endif]-->` blocks included): nothing in them is
/// ever read (the tree walk skips scripts and styles, and comments are not text), but
/// they are often most of the bytes of a portal page or a Word export, and the HTML
/// tokenizer would walk them character by character. The elements themselves stay
/// (`<script></script>`), so the tree has the same shape. Ends are found as the
/// tokenizer finds them: the first `</script`, `</style` (any case) or `-->`; an
/// unterminated one runs to the end of the page, as in a browser.
pub(super) fn strip_inert(source: &str) -> std::borrow::Cow<'_, str> {
    let bytes = source.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut at = 0;
    while let Some(k) = source[at..].find('<') {
        let i = at + k;
        let rest = &bytes[i + 1..];
        let (open_end, close): (usize, &[u8]) = if rest.starts_with(b"!--") {
            (i + 4, b"-->")
        } else if starts_with_ci(rest, b"script") && ends_name(rest, 6) {
            match source[i..].find('>') {
                Some(g) => (i + g + 1, b"</script"),
                None => break,
            }
        } else if starts_with_ci(rest, b"style") && ends_name(rest, 5) {
            match source[i..].find('>') {
                Some(g) => (i + g + 1, b"</style"),
                None => break,
            }
        } else {
            at = i + 1;
            continue;
        };
        let end = if close == b"-->" {
            find(&bytes[open_end..], close).map_or(bytes.len(), |e| open_end + e + close.len())
        } else {
            find_ci(&bytes[open_end..], close).map_or(bytes.len(), |e| open_end + e)
        };
        if close == b"-->" {
            // Drop the whole comment.
            out.push_str(&source[copied..i]);
        } else {
            // Keep the tags, drop what is between them.
            out.push_str(&source[copied..open_end]);
        }
        copied = end;
        at = end;
        if at >= bytes.len() {
            break;
        }
    }
    if copied == 0 {
        return thin_inline(source);
    }
    out.push_str(&source[copied..]);
    std::borrow::Cow::Owned(thin_inline(&out).into_owned())
}

/// Drops the tags of the inline elements that only style text (`<span …>`, `</span>`,
/// `<font …>`, `<o:p>`): the reader joins inline text the same with or without them, and
/// Word, UEditor and TRS pages wrap every run of text in one with a long `style`
/// attribute, so they are a large part of what the tokenizer would otherwise walk. A tag
/// whose attributes could hide its text (`display:none`, `visibility:hidden`,
/// `mso-hide`, `hidden`) is kept, and so is its end tag (ends are kept whenever any such
/// tag was seen, so the nesting stays right).
pub(super) fn thin_inline(source: &str) -> std::borrow::Cow<'_, str> {
    let bytes = source.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut at = 0;
    let mut keep_ends = false;
    while let Some(k) = source[at..].find('<') {
        let i = at + k;
        let rest = &bytes[i + 1..];
        let closing = rest.first() == Some(&b'/');
        let name_at = usize::from(closing);
        let name = &rest[name_at..];
        let Some(n) = [&b"span"[..], b"font", b"o:p"]
            .iter()
            .find(|t| starts_with_ci(name, t) && ends_name(name, t.len()))
            .map(|t| t.len())
        else {
            at = i + 1;
            continue;
        };
        // The end of the tag, past quoted attribute values.
        let mut j = i + 1 + name_at + n;
        let mut quote = None;
        while j < bytes.len() {
            match (quote, bytes[j]) {
                (None, b'>') => break,
                (None, q @ (b'"' | b'\'')) => quote = Some(q),
                (Some(q), c) if c == q => quote = None,
                _ => {}
            }
            j += 1;
        }
        if j >= bytes.len() {
            break;
        }
        let tag = &bytes[i..=j];
        let hides = !closing
            && [&b"none"[..], b"hidden", b"hide"]
                .iter()
                .any(|w| find_ci(tag, w).is_some());
        if hides {
            keep_ends = true;
        }
        if hides || (closing && keep_ends) {
            at = j + 1;
            continue;
        }
        out.push_str(&source[copied..i]);
        copied = j + 1;
        at = j + 1;
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(source);
    }
    out.push_str(&source[copied..]);
    std::borrow::Cow::Owned(out)
}

pub(super) fn starts_with_ci(hay: &[u8], word: &[u8]) -> bool {
    hay.len() >= word.len() && hay[..word.len()].eq_ignore_ascii_case(word)
}

/// True when the tag name of length `n` at the start of `rest` ends there.
pub(super) fn ends_name(rest: &[u8], n: usize) -> bool {
    rest.get(n)
        .is_none_or(|b| matches!(b, b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n'))
}
