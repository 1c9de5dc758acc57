//! A small HTML rewriter for the pages this server renders: it walks text nodes and the
//! attributes a reader sees, and replaces those a callback translates. Everything else is
//! copied byte for byte.
//!
//! It reads only our own askama output (and, for the coverage test, the templates with
//! their askama tags masked): values are escaped there, so a `<` in text is always a tag.
//! It skips comments, the raw text of `<script>`, `<style>` and `<textarea>` (what a user
//! typed stays as typed), and every element marked `translate="no"` with all it contains
//! (the HTML attribute for exactly this: letter previews, the language switch).

use std::borrow::Cow;

/// What the walker offers the callback: raw source text, entities not decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// A text node (between two tags).
    Text(&'a str),
    /// An attribute value a reader sees (`title`, `placeholder`, `aria-label`, `alt`,
    /// `data-label`, `data-confirm`; `value` of a button or a submit input).
    Attr {
        tag: &'a str,
        name: &'a str,
        value: &'a str,
    },
}

/// Attributes shown to a reader (tooltips, placeholders, screen readers, the table labels
/// of the phone layout, the confirmation dialogs of `app.js`).
const SHOWN_ATTRIBUTES: &[&str] = &[
    "title",
    "placeholder",
    "aria-label",
    "alt",
    "data-label",
    "data-confirm",
];

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// `html` with each piece that `f` answers replaced by the answer (which must be HTML,
/// i.e. escaped).
pub fn rewrite(html: &str, mut f: impl FnMut(Piece<'_>) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 2);
    let bytes = html.as_bytes();
    let mut i = 0;
    // Inside an element marked translate="no": its name and how deep.
    let mut skip: Option<(String, usize)> = None;
    while i < html.len() {
        if bytes[i] != b'<' {
            let end = html[i..].find('<').map_or(html.len(), |n| i + n);
            let text = &html[i..end];
            match (&skip, f_text(&mut f, text, skip.is_some())) {
                (None, Some(en)) => out.push_str(&en),
                _ => out.push_str(text),
            }
            i = end;
            continue;
        }
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(html.len(), |n| i + n + 3);
            out.push_str(&html[i..end]);
            i = end;
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            let end = rest.find('>').map_or(html.len(), |n| i + n + 1);
            out.push_str(&html[i..end]);
            i = end;
            continue;
        }
        if let Some(after) = rest.strip_prefix("</")
            && after.starts_with(|c: char| c.is_ascii_alphabetic())
        {
            let end = rest.find('>').map_or(html.len(), |n| i + n + 1);
            let name = tag_name(after).to_ascii_lowercase();
            if let Some((skip_name, depth)) = &mut skip
                && *skip_name == name
            {
                *depth -= 1;
                if *depth == 0 {
                    skip = None;
                }
            }
            out.push_str(&html[i..end]);
            i = end;
            continue;
        }
        let Some(tag) = parse_start_tag(html, i) else {
            // A lone `<`: text.
            out.push('<');
            i += 1;
            continue;
        };
        let name = tag.name.to_ascii_lowercase();
        let no_translate = tag
            .attrs
            .iter()
            .any(|a| a.name.eq_ignore_ascii_case("translate") && a.value(html) == "no");
        match &mut skip {
            Some((skip_name, depth)) => {
                if *skip_name == name && !tag.self_closing {
                    *depth += 1;
                }
                out.push_str(&html[i..tag.end]);
            }
            None if no_translate => {
                if !VOID.contains(&name.as_str()) && !tag.self_closing {
                    skip = Some((name.clone(), 1));
                }
                out.push_str(&html[i..tag.end]);
            }
            None => write_tag(&mut out, html, i, &tag, &name, &mut f),
        }
        i = tag.end;
        if matches!(name.as_str(), "script" | "style" | "textarea") && !tag.self_closing {
            let close = format!("</{name}");
            let end = find_ascii_ci(&html[i..], &close).map_or(html.len(), |n| i + n);
            out.push_str(&html[i..end]);
            i = end;
        }
    }
    out
}

fn f_text(
    f: &mut impl FnMut(Piece<'_>) -> Option<String>,
    text: &str,
    skipping: bool,
) -> Option<String> {
    if skipping || text.trim().is_empty() {
        None
    } else {
        f(Piece::Text(text))
    }
}

fn write_tag(
    out: &mut String,
    html: &str,
    start: usize,
    tag: &StartTag<'_>,
    name: &str,
    f: &mut impl FnMut(Piece<'_>) -> Option<String>,
) {
    let button_like = name == "button"
        || (name == "input"
            && tag.attrs.iter().any(|a| {
                a.name.eq_ignore_ascii_case("type")
                    && matches!(
                        a.value(html).to_ascii_lowercase().as_str(),
                        "submit" | "button" | "reset"
                    )
            }));
    let mut at = start;
    for a in &tag.attrs {
        let Some((vs, ve, quoted)) = a.value_span else {
            continue;
        };
        let attr = a.name.to_ascii_lowercase();
        let shown = SHOWN_ATTRIBUTES.contains(&attr.as_str()) || (attr == "value" && button_like);
        if !shown {
            continue;
        }
        if let Some(en) = f(Piece::Attr {
            tag: tag.name,
            name: a.name,
            value: &html[vs..ve],
        }) {
            out.push_str(&html[at..vs]);
            if quoted {
                out.push_str(&en);
            } else {
                out.push('"');
                out.push_str(&en);
                out.push('"');
            }
            at = ve;
        }
    }
    out.push_str(&html[at..tag.end]);
}

struct StartTag<'a> {
    name: &'a str,
    attrs: Vec<Attribute<'a>>,
    /// Just past the `>`.
    end: usize,
    self_closing: bool,
}

struct Attribute<'a> {
    name: &'a str,
    /// Where the value is (without its quotes) and whether it was quoted.
    value_span: Option<(usize, usize, bool)>,
}

impl Attribute<'_> {
    fn value<'h>(&self, html: &'h str) -> &'h str {
        self.value_span.map_or("", |(s, e, _)| &html[s..e])
    }
}

fn tag_name(s: &str) -> &str {
    let n = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(s.len());
    &s[..n]
}

/// The start tag at `start` (a `<` followed by a letter), `None` if there is none.
fn parse_start_tag(html: &str, start: usize) -> Option<StartTag<'_>> {
    let b = html.as_bytes();
    let after = &html[start + 1..];
    if !after.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name = tag_name(after);
    let mut i = start + 1 + name.len();
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            return Some(StartTag {
                name,
                attrs,
                end: html.len(),
                self_closing: false,
            });
        }
        match b[i] {
            b'>' => {
                return Some(StartTag {
                    name,
                    attrs,
                    end: i + 1,
                    self_closing: false,
                });
            }
            b'/' if b.get(i + 1) == Some(&b'>') => {
                return Some(StartTag {
                    name,
                    attrs,
                    end: i + 2,
                    self_closing: true,
                });
            }
            b'/' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        if i == name_start {
            // A stray `=`.
            i += 1;
            continue;
        }
        let attr_name = &html[name_start..i];
        let mut j = i;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if b.get(j) != Some(&b'=') {
            attrs.push(Attribute {
                name: attr_name,
                value_span: None,
            });
            continue;
        }
        j += 1;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        match b.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let vs = j + 1;
                let ve = html[vs..].find(q as char).map_or(html.len(), |n| vs + n);
                attrs.push(Attribute {
                    name: attr_name,
                    value_span: Some((vs, ve, true)),
                });
                i = (ve + 1).min(html.len());
            }
            _ => {
                let vs = j;
                let mut ve = j;
                while ve < b.len() && !b[ve].is_ascii_whitespace() && b[ve] != b'>' {
                    ve += 1;
                }
                attrs.push(Attribute {
                    name: attr_name,
                    value_span: Some((vs, ve, false)),
                });
                i = ve;
            }
        }
    }
}

fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// The text of HTML source with the entities askama writes (and `&nbsp;`) decoded.
pub fn decode(raw: &str) -> Cow<'_, str> {
    if !raw.contains('&') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let entities = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#34;", '"'),
            ("&#39;", '\''),
            ("&#x27;", '\''),
            ("&apos;", '\''),
            ("&nbsp;", '\u{a0}'),
        ];
        match entities.iter().find(|(e, _)| tail.starts_with(e)) {
            Some((e, c)) => {
                out.push(*c);
                rest = &tail[e.len()..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Text escaped for HTML (text nodes and quoted attribute values).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
