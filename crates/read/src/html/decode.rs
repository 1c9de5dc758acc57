//! Detection and decoding: is it HTML, and which encoding (BOM, declaration, detection).

use super::*;

/// True when the input starts like an HTML document or fragment: after a byte-order
/// mark, white space, comments, an XML declaration and a doctype comes `<html`, `<head`,
/// `<body`, `<meta`, `<table`, `<div`, `<p`, … Works on GBK and UTF-8 bytes alike (markup
/// is ASCII); UTF-16 input is decoded first.
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if let Some(rest) = head.strip_prefix(b"\xEF\xBB\xBF") {
        return starts_with_markup(rest);
    }
    for (bom, enc) in [(&b"\xFF\xFE"[..], UTF_16LE), (&b"\xFE\xFF"[..], UTF_16BE)] {
        if let Some(rest) = head.strip_prefix(bom) {
            let (text, _) = enc.decode_without_bom_handling(rest);
            return starts_with_markup(text.as_bytes());
        }
    }
    starts_with_markup(head)
}

pub(super) fn starts_with_markup(mut s: &[u8]) -> bool {
    /// Tags that only an HTML document starts with.
    const DOCUMENT: &[&[u8]] = &[
        b"html", b"head", b"body", b"meta", b"title", b"link", b"style", b"base",
    ];
    /// Tags a fragment of a page may start with.
    const FRAGMENT: &[&[u8]] = &[
        b"table", b"div", b"p", b"span", b"h1", b"h2", b"h3", b"h4", b"h5", b"h6", b"script",
        b"center", b"font", b"section", b"article", b"header", b"main", b"form", b"br", b"ul",
        b"ol",
    ];
    let all = s;
    loop {
        s = s.trim_ascii_start();
        if s.starts_with(b"<!--") {
            match find(s, b"-->") {
                Some(i) => s = &s[i + 3..],
                None => return false,
            }
        } else if s.starts_with(b"<?") {
            match find(s, b">") {
                Some(i) => s = &s[i + 1..],
                None => return false,
            }
        } else if s.len() >= 9 && s[..9].eq_ignore_ascii_case(b"<!doctype") {
            return true;
        } else {
            break;
        }
    }
    let Some(rest) = s.strip_prefix(b"<") else {
        return false;
    };
    let is = |t: &&[u8]| {
        rest.len() > t.len()
            && rest[..t.len()].eq_ignore_ascii_case(t)
            && matches!(rest[t.len()], b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n')
    };
    if DOCUMENT.iter().any(is) {
        return true;
    }
    FRAGMENT.iter().any(is) && is_markup_fragment(all)
}

/// A page fragment (no `<html>`, no doctype) is taken as HTML only when it is written in
/// markup: closing tags, and most lines carrying tags. A plain-text report that starts with
/// a stray `<script>` or `<table>` (text copied out of a web page) stays text.
pub(super) fn is_markup_fragment(head: &[u8]) -> bool {
    let closing = head.windows(2).filter(|w| w == b"</").count();
    let (mut tagged, mut plain) = (0usize, 0usize);
    for line in head
        .split(|&b| b == b'\n')
        .map(<[u8]>::trim_ascii)
        .filter(|l| !l.is_empty())
        .take(50)
    {
        if line.contains(&b'<') {
            tagged += 1;
        } else {
            plain += 1;
        }
    }
    closing >= 2 && tagged >= plain
}

pub(super) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Decodes an HTML page: byte-order mark, then the declared charset, then detection.
/// Undecodable bytes become U+FFFD (a page with a few bad bytes is still a page).
pub fn decode(bytes: &[u8]) -> Result<String, ReadError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(text.into_owned());
    }
    let utf8 = std::str::from_utf8(bytes).ok();
    let declared = declared_charset(bytes);
    let enc = match (declared, utf8) {
        // Valid UTF-8 with non-ASCII text is UTF-8 whatever the page claims: GBK text is
        // practically never valid UTF-8, and re-encoded pages often keep a stale label.
        (_, Some(s)) => {
            let legacy = declared.filter(|&e| e != UTF_8 && s.is_ascii());
            return Ok(match legacy {
                Some(enc) => enc.decode_without_bom_handling(bytes).0.into_owned(),
                None => s.to_owned(),
            });
        }
        (Some(enc), None) if enc != UTF_8 => enc,
        // Undeclared (or wrongly declared UTF-8) and not UTF-8: GBK (GB18030) when it
        // decodes without error, as almost every such Chinese page does; otherwise ask
        // the detector.
        _ => {
            if let Some(text) = GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
                return Ok(text.into_owned());
            }
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow)
        }
    };
    let (text, _) = enc.decode_without_bom_handling(bytes);
    Ok(text.into_owned())
}

/// The charset a page declares in a `<meta>` tag within its first 4 KB (the HTML
/// prescan), as an encoding. UTF-16 labels mean UTF-8 there, as in browsers.
pub(super) fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let mut i = 0;
    while let Some(at) = find_ci(&head[i..], b"<meta") {
        let start = i + at + 5;
        let end = head[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(head.len(), |e| start + e);
        let tag = &head[start..end];
        if let Some(c) = find_ci(tag, b"charset") {
            let mut rest = &tag[c + 7..];
            rest = rest.trim_ascii_start();
            if let Some(r) = rest.strip_prefix(b"=") {
                let r = r.trim_ascii_start();
                let r = r
                    .strip_prefix(b"\"")
                    .or_else(|| r.strip_prefix(b"'"))
                    .unwrap_or(r);
                let len = r
                    .iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || b"-_:.".contains(b)))
                    .unwrap_or(r.len());
                if let Some(enc) = Encoding::for_label(&r[..len]) {
                    return Some(if enc == UTF_16LE || enc == UTF_16BE {
                        UTF_8
                    } else {
                        enc
                    });
                }
            }
        }
        i = end;
    }
    None
}

pub(super) fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}
