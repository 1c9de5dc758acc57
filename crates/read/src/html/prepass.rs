//! What the parser is not given: the page thinned to what the reader looks at.
//!
//! Scripts, style sheets, Word's XML comments, styling `<span>`/`<font>` tags and
//! `style`/`width`/`lang` attributes on every cell and paragraph are about half of a Word,
//! LibreOffice or UEditor export, and none of it is read. The rules are here, with the
//! scanners that find tag boundaries and attribute values by the tokenizer's rules (quotes
//! included) with `memchr`; [`super::tokens`] applies them while it hands the tokens to
//! html5ever's tree builder. [`prepare`] (tests only) writes the thinned page as a string:
//! html5ever's own tokenizer parsing it is the reference the token pass is compared with.
//! A streaming rewriter such as `lol_html` would run a second full tokenizer over the page
//! and pull in another `cssparser`/`selectors` pair.

use memchr::memchr;
#[cfg(test)]
use memchr::memmem;

use super::*;

/// Elements whose content the tokenizer takes as text: copied untouched.
#[cfg(test)]
const RAW_TEXT: &[&[u8]] = &[
    b"title",
    b"textarea",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
    b"noscript",
];
/// Elements whose content is never read: dropped (the tags stay).
pub(super) const INERT: &[&[u8]] = &[b"script", b"style"];
/// Inline elements that only style text: their tags are dropped.
pub(super) const STYLING: &[&[u8]] = &[b"span", b"font", b"o:p"];
/// The attributes the reader uses (`style` only when it hides the element).
pub(super) const KEPT: &[&[u8]] = &[b"id", b"class", b"rowspan", b"colspan", b"hidden"];

/// The page as the parser needs it:
///
/// * the content of `<script>` and `<style>` elements and all comments (Word's
///   `<!--[if gte mso 9]><xml>…<![endif]-->` blocks included) dropped: nothing in them is
///   ever read, but they are often most of the bytes of a portal page or a Word export.
///   The script and style elements themselves stay (`<script></script>`), so the tree has
///   the same shape. Ends are found as the tokenizer finds them: the first `</script`,
///   `</style` (any case) or `-->`; an unterminated one runs to the end of the page.
/// * the tags of inline elements that only style text (`<span …>`, `</span>`, `<font …>`,
///   `<o:p>`) dropped: the reader joins inline text the same with or without them. A tag
///   whose attributes could hide its text (`none`, `hidden`, `hide` anywhere in it) is kept
///   whole, and so are all end tags of those elements after it (the nesting stays right).
/// * every other tag with only the attributes the reader looks at: `id`, `class` (page
///   chrome, when a word of it names chrome, the article or a title), `rowspan`,
///   `colspan` (the grid), `hidden`, and `style` when it hides the element (or is written
///   with character references). End tags lose their attributes.
/// * the text of `<title>`, `<textarea>` and the other raw-text elements copied as is;
///   a tag that is not closed before the end of the page ends the pass (the rest is
///   copied, and the tokenizer drops it as browsers do).
#[cfg(test)]
pub(super) fn prepare(source: &str) -> String {
    let b = source.as_bytes();
    let mut out = String::with_capacity(source.len() / 2);
    let mut copied = 0;
    let mut at = 0;
    let mut keep_ends = false;
    let mut named = Named::default();
    while let Some(k) = memchr(b'<', &b[at..]) {
        let i = at + k;
        let rest = &b[i + 1..];
        if rest.starts_with(b"!--") {
            // `<!-->` and `<!--->` are whole (empty) comments.
            let end = memmem::find(&b[i + 2..], b"-->").map_or(b.len(), |e| i + 2 + e + 3);
            out.push_str(&source[copied..i]);
            copied = end;
            at = end;
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_at = i + 1 + usize::from(closing);
        if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            at = i + 1;
            continue;
        }
        let name_end = b[name_at..]
            .iter()
            .position(|&c| is_html_space(c) || c == b'/' || c == b'>')
            .map_or(b.len(), |e| name_at + e);
        let name = &b[name_at..name_end];
        let is = |list: &[&[u8]]| listed(list, name);
        if is(STYLING) {
            let Some(tag) = scan_tag(b, name_end) else {
                // Never closed: the tokenizer drops it.
                break;
            };
            out.push_str(&source[copied..i]);
            copied = tag.end;
            at = tag.end;
            let hides = !closing && named.tag_mentions_hiding(&source[i..tag.end]);
            keep_ends |= hides;
            if hides || (closing && keep_ends) {
                out.push_str(&source[i..tag.end]);
            }
            continue;
        }
        // The tag with its kept attributes, written as it is scanned.
        let mark = out.len();
        out.push_str(&source[copied..i]);
        out.push('<');
        if closing {
            out.push('/');
        }
        out.push_str(&source[name_at..name_end]);
        let mut attrs = AttrScan::new(b, name_end);
        let mut kept = Kept::default();
        for a in attrs.by_ref() {
            let keep = !closing && kept.keeps(source, &a, &mut named);
            if keep {
                out.push(' ');
                out.push_str(&source[a.name.0..a.end]);
            }
        }
        if attrs.j >= b.len() {
            // Never closed: the tokenizer drops it.
            out.truncate(mark);
            break;
        }
        if !closing && attrs.self_closing {
            out.push('/');
        }
        out.push('>');
        let tag_end = attrs.j + 1;
        copied = tag_end;
        at = tag_end;
        if closing {
            continue;
        }
        let inert = is(INERT);
        if inert || is(RAW_TEXT) {
            let end = find_end_tag(b, tag_end, name).unwrap_or(b.len());
            if !inert {
                out.push_str(&source[tag_end..end]);
            }
            copied = end;
            at = end;
        } else if name.eq_ignore_ascii_case(b"plaintext") {
            break;
        }
    }
    out.push_str(&source[copied..]);
    out
}

/// Judgements of attribute values, remembered for one page: [`dom::may_name`] for id and
/// class values (a page repeats a few class names on every paragraph and cell
/// (`MsoNormal`, `p1`), and LibreOffice names every cell style (`Table2_D28`), so a page
/// has tens to hundreds of distinct values), whether a `style` value hides, and whether a
/// styling tag's attributes mention hiding (Word and UEditor repeat the same few `style`
/// values and `<span …>` tags hundreds of times a page).
#[derive(Default)]
pub(super) struct Named<'s> {
    seen: Memo<'s>,
    styles: Memo<'s>,
    styling: Memo<'s>,
}

/// Answers by value; the hasher is seeded per process (a page cannot choose collisions).
type Memo<'s> = std::collections::HashMap<&'s str, bool, foldhash::fast::RandomState>;

impl<'s> Named<'s> {
    pub(super) fn get(&mut self, value: &'s str) -> bool {
        memo(&mut self.seen, value, dom::may_name)
    }

    /// True when a `style` value hides the element (or is written with character
    /// references, which only the tree's own reading can judge).
    fn style_kept(&mut self, value: &'s str) -> bool {
        memo(&mut self.styles, value, |v| {
            names_hiding_property(v.as_bytes()) && (v.contains('&') || dom::style_hides(v))
        })
    }

    /// [`mentions_hiding`] for a styling tag, `tag` from its `<` to its `>`.
    pub(super) fn tag_mentions_hiding(&mut self, tag: &'s str) -> bool {
        memo(&mut self.styling, tag, |t| mentions_hiding(t.as_bytes()))
    }
}

/// `judge(value)`, remembered in `seen` (looked up first: most values are seen again).
fn memo<'s>(seen: &mut Memo<'s>, value: &'s str, judge: impl Fn(&str) -> bool) -> bool {
    if let Some(&known) = seen.get(value) {
        return known;
    }
    let answer = judge(value);
    seen.insert(value, answer);
    answer
}

/// Which attributes of one start tag the reader keeps: `rowspan`, `colspan`, `hidden`;
/// the first `id` and the first `class` (the tokenizer ignores repeats) when the value may
/// name chrome, the article or a title (most are styling names such as `MsoNormal`) or is
/// written with character references; `style` when it hides the element.
#[derive(Default)]
pub(super) struct Kept {
    had_id: bool,
    had_class: bool,
}

impl Kept {
    pub(super) fn keeps<'s>(&mut self, source: &'s str, a: &Attr, named: &mut Named<'s>) -> bool {
        let an = &source.as_bytes()[a.name.0..a.name.1];
        let v = &source[a.value.0..a.value.1];
        let mut names = || memchr(b'&', v.as_bytes()).is_some() || named.get(v);
        match an.len() {
            2 if an.eq_ignore_ascii_case(b"id") => {
                !std::mem::replace(&mut self.had_id, true) && names()
            }
            5 if an.eq_ignore_ascii_case(b"class") => {
                !std::mem::replace(&mut self.had_class, true) && names()
            }
            6 | 7 => KEPT.iter().any(|k| k.eq_ignore_ascii_case(an)),
            5 if an.eq_ignore_ascii_case(b"style") => named.style_kept(v),
            _ => false,
        }
    }
}

/// A tag scanned up to its `>`.
pub(super) struct ScannedTag {
    /// One past the `>`.
    pub(super) end: usize,
}

/// An attribute: its name, its value (without quotes) and where it ends, as byte offsets.
pub(super) struct Attr {
    pub(super) name: (usize, usize),
    pub(super) value: (usize, usize),
    #[cfg_attr(
        not(test),
        allow(dead_code, reason = "read by `prepare`, the tests' reference")
    )]
    pub(super) end: usize,
}

/// True when `s` has `none` or `hid` in it (any case): what every hiding style or tag
/// (`display:none`, `visibility:hidden`, `mso-hide:all`, `hidden`) has.
pub(super) fn mentions_hiding(s: &[u8]) -> bool {
    memchr::memchr2_iter(b'n', b'N', s).any(|i| starts_with_ci(&s[i..], b"none"))
        || memchr::memchr2_iter(b'h', b'H', s).any(|i| starts_with_ci(&s[i..], b"hid"))
}

/// True when a style value has a property that can hide (`display`, `visibility`,
/// `mso-hide`, any case) or a character reference that could spell one.
pub(super) fn names_hiding_property(s: &[u8]) -> bool {
    memchr::memchr3_iter(b'd', b'D', b'&', s)
        .any(|i| s[i] == b'&' || starts_with_ci(&s[i..], b"display"))
        || memchr::memchr2_iter(b'v', b'V', s).any(|i| starts_with_ci(&s[i..], b"visibility"))
        || memchr::memchr2_iter(b'h', b'H', s).any(|i| starts_with_ci(&s[i..], b"hide"))
}

pub(super) fn is_html_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C')
}

/// Scans a tag from just after its name to its `>` by the tokenizer's attribute rules;
/// `None` when the page ends inside it.
pub(super) fn scan_tag(b: &[u8], from: usize) -> Option<ScannedTag> {
    let mut it = AttrScan::new(b, from);
    for _ in it.by_ref() {}
    (it.j < b.len()).then_some(ScannedTag { end: it.j + 1 })
}

/// The attributes of a tag, in order; afterwards `j` is the index of the tag's `>` (or
/// the end of the input).
pub(super) struct AttrScan<'b> {
    b: &'b [u8],
    pub(super) j: usize,
    /// A `/` outside any value stood right before the `>`.
    pub(super) self_closing: bool,
}

impl<'b> AttrScan<'b> {
    pub(super) fn new(b: &'b [u8], j: usize) -> Self {
        AttrScan {
            b,
            j,
            self_closing: false,
        }
    }
}

impl Iterator for AttrScan<'_> {
    type Item = Attr;

    fn next(&mut self) -> Option<Attr> {
        let b = self.b;
        // Before the attribute name: white space and stray slashes.
        while self.j < b.len() && BEFORE_NAME[usize::from(b[self.j])] {
            self.self_closing = b[self.j] == b'/' && b.get(self.j + 1) == Some(&b'>');
            self.j += 1;
        }
        if self.j >= b.len() || b[self.j] == b'>' {
            return None;
        }
        let start = self.j;
        // A name runs to white space, `/`, `>` or `=` (an `=` first belongs to it).
        self.j += 1;
        while self.j < b.len() && !ENDS_NAME[usize::from(b[self.j])] {
            self.j += 1;
        }
        let name = (start, self.j);
        let mut k = self.j;
        while k < b.len() && is_html_space(b[k]) {
            k += 1;
        }
        if k >= b.len() || b[k] != b'=' {
            // No value.
            return Some(Attr {
                name,
                value: (name.1, name.1),
                end: name.1,
            });
        }
        k += 1;
        while k < b.len() && is_html_space(b[k]) {
            k += 1;
        }
        let (value, end) = match b.get(k) {
            Some(&q @ (b'"' | b'\'')) => match memchr(q, &b[k + 1..]) {
                Some(e) => ((k + 1, k + 1 + e), k + 2 + e),
                None => ((k + 1, b.len()), b.len()),
            },
            Some(b'>') | None => ((k, k), k),
            Some(_) => {
                let e = b[k..]
                    .iter()
                    .position(|&c| ENDS_UNQUOTED[usize::from(c)])
                    .map_or(b.len(), |e| k + e);
                ((k, e), e)
            }
        };
        self.j = end;
        Some(Attr { name, value, end })
    }
}

/// Bytes skipped before an attribute name: white space, `/`.
static BEFORE_NAME: [bool; 256] = byte_set(b" \t\n\r\x0C/");
/// Bytes that end an attribute name: white space, `/`, `>`, `=`.
static ENDS_NAME: [bool; 256] = byte_set(b" \t\n\r\x0C/>=");
/// Bytes that end an unquoted attribute value: white space, `>`.
static ENDS_UNQUOTED: [bool; 256] = byte_set(b" \t\n\r\x0C>");

/// A lookup table of the bytes in `set`.
const fn byte_set(set: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < set.len() {
        t[set[i] as usize] = true;
        i += 1;
    }
    t
}

/// The start of the first `</name` (any case) at or after `from`.
pub(super) fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut at = from;
    while let Some(k) = memchr(b'<', &b[at..]) {
        let i = at + k;
        if b.get(i + 1) == Some(&b'/')
            && starts_with_ci(&b[i + 2..], name)
            && b.get(i + 2 + name.len())
                .is_none_or(|&c| is_html_space(c) || c == b'/' || c == b'>')
        {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

/// True when `name` is in `list` (ASCII case ignored); most tag names are ruled out by
/// their length alone.
pub(super) fn listed(list: &[&[u8]], name: &[u8]) -> bool {
    list.iter()
        .any(|t| t.len() == name.len() && t.eq_ignore_ascii_case(name))
}

pub(super) fn starts_with_ci(hay: &[u8], word: &[u8]) -> bool {
    hay.len() >= word.len() && hay[..word.len()].eq_ignore_ascii_case(word)
}
