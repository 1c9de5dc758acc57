//! The page's tokens, found in one pass and handed straight to html5ever's tree builder.
//!
//! Why by hand: html5ever's tokenizer walks every character through its state machine
//! (a buffer queue, one tendril pop per character, an interned name per attribute); on a
//! real page most of those characters are scripts, style sheets, Word's comments, styling
//! `<span>`s and attributes the reader never looks at. This pass finds tag boundaries with
//! `memchr`, thins the page as [`super::prepass`] describes (the same rules, applied to
//! tokens instead of a rewritten string), decodes character references and line ends as
//! the tokenizer does, and gives the tree builder the tokens it would have had. The tree
//! (implied end tags, tables, foster parenting, quirks from the DOCTYPE) is still built by
//! html5ever. A test checks the tree against html5ever's own tokenizer on every fixture.
//!
//! What the tokenizer does and this pass follows: character references (named, longest
//! match, the attribute exception; numeric with the C1 and invalid-value replacements),
//! `\r\n` and `\r` as `\n`, NUL as U+FFFD (a null token in text), DOCTYPE names and
//! identifiers (they decide quirks mode), bogus comments (`<!…>`, `<?…>`, `</ …>`), `</>`
//! ignored, CDATA in foreign content, raw text after `<title>`, `<textarea>`, `<xmp>` … as
//! the tree builder asks, PLAINTEXT. Comment texts are not kept (the reader never reads
//! them), and no parse errors are reported.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    Doctype, EndTag, StartTag, Tag, TagKind, Token, TokenSink, TokenSinkResult,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, TreeSink};
use html5ever::{Attribute, LocalName, QualName, ns};
use memchr::{memchr, memmem};

use super::prepass::{
    AttrScan, INERT, Kept, Named, STYLING, find_end_tag, is_html_space, listed, scan_tag,
    starts_with_ci,
};
use super::sink::{Arena, Sink};

type Builder = TreeBuilder<u32, Sink>;

/// Parses a page into the reader's arena.
pub(super) fn parse(source: &str) -> Arena {
    let source = source.strip_prefix('\u{FEFF}').unwrap_or(source);
    let tb = TreeBuilder::new(Sink::for_page(source.len()), TreeBuilderOpts::default());
    Feed {
        tb: &tb,
        text: String::new(),
    }
    .run(source);
    let _ = tb.process_token(Token::EOFToken, 1);
    tb.end();
    tb.sink.finish()
}

struct Feed<'t> {
    tb: &'t Builder,
    /// Text not yet handed over (one token for a run of text).
    text: String,
}

impl Feed<'_> {
    fn token(&mut self, t: Token) -> TokenSinkResult<u32> {
        self.flush();
        self.tb.process_token(t, 1)
    }

    fn flush(&mut self) {
        if !self.text.is_empty() {
            // The tendril is a copy: the buffer is kept (grown once for the page).
            let t = StrTendril::from_slice(&self.text);
            self.text.clear();
            let _ = self.tb.process_token(Token::CharacterTokens(t), 1);
        }
    }

    fn comment(&mut self) {
        let _ = self.token(Token::CommentToken(StrTendril::new()));
    }

    /// The page, tag by tag: the loop of [`super::prepass::prepare`], emitting tokens.
    fn run(&mut self, source: &str) {
        let b = source.as_bytes();
        let mut copied = 0; // text before this is handed over
        let mut at = 0;
        let mut keep_ends = false;
        let mut named = Named::default();
        while let Some(k) = memchr(b'<', &b[at..]) {
            let i = at + k;
            let rest = &b[i + 1..];
            if rest.starts_with(b"!--") {
                let end = memmem::find(&b[i + 2..], b"-->").map_or(b.len(), |e| i + 2 + e + 3);
                self.data(&source[copied..i]);
                copied = end;
                at = end;
                continue;
            }
            let closing = rest.first() == Some(&b'/');
            let name_at = i + 1 + usize::from(closing);
            if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
                // Not a tag: a declaration, a bogus comment, `</>`, or a plain `<`.
                if let Some(end) = self.markup(source, copied, i) {
                    copied = end;
                    at = end;
                } else {
                    at = i + 1;
                }
                continue;
            }
            let name_end = b[name_at..]
                .iter()
                .position(|&c| is_html_space(c) || c == b'/' || c == b'>')
                .map_or(b.len(), |e| name_at + e);
            let name = &b[name_at..name_end];
            let is = |list: &[&[u8]]| listed(list, name);
            let kind = if closing { EndTag } else { StartTag };
            if is(STYLING) {
                let Some(tag) = scan_tag(b, name_end) else {
                    // Never closed: the tokenizer drops it.
                    self.data(&source[copied..i]);
                    copied = b.len();
                    break;
                };
                self.data(&source[copied..i]);
                copied = tag.end;
                at = tag.end;
                let hides = !closing && named.tag_mentions_hiding(&source[i..tag.end]);
                keep_ends |= hides;
                if hides || (closing && keep_ends) {
                    // Kept whole, every attribute.
                    let mut all = AttrScan::new(b, name_end);
                    let attrs = if closing {
                        Vec::new()
                    } else {
                        all.by_ref().map(|a| attribute(source, &a)).collect()
                    };
                    let self_closing = !closing && all.self_closing;
                    let _ = self.tag(kind, &source[name_at..name_end], attrs, self_closing);
                }
                continue;
            }
            let mut scan = AttrScan::new(b, name_end);
            let mut attrs = Vec::new();
            let mut kept = Kept::default();
            for a in scan.by_ref() {
                if !closing && kept.keeps(source, &a, &mut named) {
                    attrs.push(attribute(source, &a));
                }
            }
            if scan.j >= b.len() {
                // Never closed: the tokenizer drops it.
                self.data(&source[copied..i]);
                copied = b.len();
                break;
            }
            self.data(&source[copied..i]);
            let tag_end = scan.j + 1;
            copied = tag_end;
            at = tag_end;
            let self_closing = !closing && scan.self_closing;
            let answer = self.tag(kind, &source[name_at..name_end], attrs, self_closing);
            if closing {
                continue;
            }
            let inert = is(INERT);
            match answer {
                _ if inert => {
                    // Never read: dropped up to the end tag, which stays.
                    let end = find_end_tag(b, tag_end, name).unwrap_or(b.len());
                    copied = end;
                    at = end;
                }
                TokenSinkResult::RawData(raw) => {
                    let end = find_end_tag(b, tag_end, name).unwrap_or(b.len());
                    let content = &source[tag_end..end];
                    match raw {
                        RawKind::Rcdata => self.decoded(content, false),
                        _ => self.raw(content),
                    }
                    copied = end;
                    at = end;
                }
                TokenSinkResult::Plaintext => {
                    self.raw(&source[tag_end..]);
                    copied = b.len();
                    break;
                }
                _ => {}
            }
        }
        self.data(&source[copied.min(b.len())..]);
        self.flush();
    }

    fn tag(
        &mut self,
        kind: TagKind,
        name: &str,
        attrs: Vec<Attribute>,
        self_closing: bool,
    ) -> TokenSinkResult<u32> {
        self.token(Token::TagToken(Tag {
            kind,
            name: LocalName::from(&*lower(name)),
            self_closing,
            attrs,
            had_duplicate_attributes: false,
        }))
    }

    /// `<` at `i` that does not open a tag: a DOCTYPE, CDATA in foreign content, a bogus
    /// comment or `</>` (handed over; returns where the text goes on), or a plain `<`
    /// (`None`: it stays in the text).
    fn markup(&mut self, source: &str, copied: usize, i: usize) -> Option<usize> {
        enum Markup {
            Doctype,
            Cdata,
            Bogus(usize),
            Ignored,
        }
        let b = source.as_bytes();
        let m = match b.get(i + 1) {
            Some(b'!') if starts_with_ci(&b[i + 2..], b"doctype") => Markup::Doctype,
            Some(b'!') if b[i + 2..].starts_with(b"[CDATA[") => Markup::Cdata,
            Some(b'!') => Markup::Bogus(i + 2),
            Some(b'?') => Markup::Bogus(i + 1),
            Some(b'/') => match b.get(i + 2) {
                Some(b'>') => Markup::Ignored,
                None => return None,
                Some(_) => Markup::Bogus(i + 2),
            },
            _ => return None,
        };
        self.data(&source[copied..i]);
        let bogus = |from: usize| memchr(b'>', &b[from..]).map_or(b.len(), |e| from + e + 1);
        match m {
            Markup::Doctype => {
                let (doctype, end) = doctype(source, i + 9);
                let _ = self.token(Token::DoctypeToken(doctype));
                Some(end)
            }
            Markup::Ignored => Some(i + 3),
            Markup::Cdata => {
                self.flush();
                let foreign = self
                    .tb
                    .adjusted_current_node_present_but_not_in_html_namespace();
                if foreign {
                    let from = i + 9;
                    let end = memmem::find(&b[from..], b"]]>").map_or(b.len(), |e| from + e);
                    self.raw(&source[from..end]);
                    Some((end + 3).min(b.len()))
                } else {
                    self.comment();
                    Some(bogus(i + 2))
                }
            }
            Markup::Bogus(from) => {
                self.comment();
                Some(bogus(from))
            }
        }
    }

    /// Text in the data state: character references, line ends, NUL.
    fn data(&mut self, s: &str) {
        self.decoded(s, true);
    }

    /// Text with character references decoded (data and RCDATA); in data a NUL is a
    /// token of its own, in RCDATA U+FFFD.
    fn decoded(&mut self, s: &str, data: bool) {
        let b = s.as_bytes();
        let mut from = 0;
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if !matches!(c, b'&' | b'\r' | 0) {
                i += 1;
                continue;
            }
            self.text.push_str(&s[from..i]);
            match c {
                b'&' => i = char_ref(s, i, false, &mut self.text),
                b'\r' => {
                    self.text.push('\n');
                    i += if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                }
                _ if data => {
                    self.flush();
                    let _ = self.tb.process_token(Token::NullCharacterToken, 1);
                    i += 1;
                }
                _ => {
                    self.text.push('\u{FFFD}');
                    i += 1;
                }
            }
            from = i;
        }
        self.text.push_str(&s[from..]);
    }

    /// Raw text (RAWTEXT, script data, PLAINTEXT, CDATA): line ends and NUL only.
    fn raw(&mut self, s: &str) {
        push_normalised(&mut self.text, s);
    }
}

/// `s` with `\r\n` and `\r` as `\n` and NUL as U+FFFD, appended to `out`.
fn push_normalised(out: &mut String, s: &str) {
    if !s.contains(['\r', '\0']) {
        out.push_str(s);
        return;
    }
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                out.push('\n');
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
            }
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// A name as the tokenizer keeps it: ASCII lower case, NUL as U+FFFD.
fn lower(name: &str) -> std::borrow::Cow<'_, str> {
    if name.bytes().any(|c| c.is_ascii_uppercase() || c == 0) {
        name.to_ascii_lowercase().replace('\0', "\u{FFFD}").into()
    } else {
        name.into()
    }
}

/// An attribute as the tokenizer hands it over: lower-case name, value decoded.
fn attribute(source: &str, a: &super::prepass::Attr) -> Attribute {
    let raw = &source[a.value.0..a.value.1];
    let value = if raw.contains(['&', '\r', '\0']) {
        let mut v = String::with_capacity(raw.len());
        let b = raw.as_bytes();
        let mut from = 0;
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'&' {
                push_normalised(&mut v, &raw[from..i]);
                i = char_ref(raw, i, true, &mut v);
                from = i;
            } else {
                i += 1;
            }
        }
        push_normalised(&mut v, &raw[from..]);
        StrTendril::from(v)
    } else {
        StrTendril::from_slice(raw)
    };
    Attribute {
        name: QualName::new(
            None,
            ns!(),
            LocalName::from(&*lower(&source[a.name.0..a.name.1])),
        ),
        value,
    }
}

/// The character reference at `s[i]` (an `&`) decoded onto `out`; returns where the text
/// goes on. Not a reference: the `&` itself.
fn char_ref(s: &str, i: usize, in_attribute: bool, out: &mut String) -> usize {
    let b = s.as_bytes();
    match b.get(i + 1) {
        Some(b'#') => numeric(s, i, out),
        Some(c) if c.is_ascii_alphanumeric() => {
            // The longest name in the table: the table also holds every prefix of a name
            // (value 0), so the match goes on while the text so far is a prefix.
            let mut best = None;
            let mut end = i + 1;
            for c in s[i + 1..].chars() {
                end += c.len_utf8();
                match html5ever::data::NAMED_ENTITIES.get(&s[i + 1..end]) {
                    Some(&m) => {
                        if m.0 != 0 {
                            best = Some((m, end));
                        }
                    }
                    None => break,
                }
            }
            let Some(((c1, c2), end)) = best else {
                out.push('&');
                return i + 1;
            };
            let last = b[end - 1];
            let next = b.get(end).copied();
            if in_attribute
                && last != b';'
                && next.is_some_and(|n| n == b'=' || n.is_ascii_alphanumeric())
            {
                out.push('&');
                return i + 1;
            }
            for c in [c1, c2] {
                if let Some(ch) = char::from_u32(c).filter(|_| c != 0) {
                    out.push(ch);
                }
            }
            end
        }
        _ => {
            out.push('&');
            i + 1
        }
    }
}

/// `&#…;` and `&#x…;` at `s[i]`.
fn numeric(s: &str, i: usize, out: &mut String) -> usize {
    let b = s.as_bytes();
    let mut j = i + 2;
    let base = if matches!(b.get(j), Some(b'x' | b'X')) {
        j += 1;
        16
    } else {
        10
    };
    let digits_from = j;
    let mut n: u32 = 0;
    let mut too_big = false;
    while let Some(d) = b.get(j).and_then(|&c| (c as char).to_digit(base)) {
        n = n.wrapping_mul(base);
        if n > 0x10FFFF {
            too_big = true;
        }
        n = n.wrapping_add(d);
        j += 1;
    }
    if j == digits_from {
        out.push('&');
        return i + 1;
    }
    if b.get(j) == Some(&b';') {
        j += 1;
    }
    let c = match n {
        _ if too_big || n > 0x10FFFF => '\u{FFFD}',
        0 | 0xD800..=0xDFFF => '\u{FFFD}',
        0x80..=0x9F => html5ever::data::C1_REPLACEMENTS[(n - 0x80) as usize]
            .unwrap_or_else(|| char::from_u32(n).unwrap_or('\u{FFFD}')),
        _ => char::from_u32(n).unwrap_or('\u{FFFD}'),
    };
    out.push(c);
    j
}

/// A DOCTYPE whose keyword ends at `from`: its name and identifiers (they decide quirks
/// mode) and where it ends.
fn doctype(source: &str, from: usize) -> (Doctype, usize) {
    let b = source.as_bytes();
    let mut d = Doctype {
        name: None,
        public_id: None,
        system_id: None,
        force_quirks: false,
    };
    let skip = |mut j: usize| {
        while j < b.len() && is_html_space(b[j]) {
            j += 1;
        }
        j
    };
    // To the `>` (or the end) of a DOCTYPE the tokenizer gave up on.
    let bogus = |j: usize| memchr(b'>', &b[j..]).map_or(b.len(), |e| j + e + 1);
    let mut j = skip(from);
    match b.get(j) {
        None => {
            d.force_quirks = true;
            return (d, b.len());
        }
        Some(b'>') => {
            d.force_quirks = true;
            return (d, j + 1);
        }
        _ => {}
    }
    let name_end = b[j..]
        .iter()
        .position(|&c| is_html_space(c) || c == b'>')
        .map_or(b.len(), |e| j + e);
    d.name = Some(StrTendril::from(&*lower(&source[j..name_end])));
    j = skip(name_end);
    match b.get(j) {
        None => {
            d.force_quirks = true;
            return (d, b.len());
        }
        Some(b'>') => return (d, j + 1),
        _ => {}
    }
    let public = starts_with_ci(&b[j..], b"public");
    if !public && !starts_with_ci(&b[j..], b"system") {
        d.force_quirks = true;
        return (d, bogus(j));
    }
    j = skip(j + 6);
    // A quoted identifier at `j`: its text and the index after the closing quote, or
    // `None` (quirks) when it is missing or cut short by `>` or the end.
    let quoted = |j: usize| -> Option<(StrTendril, usize)> {
        let q = *b.get(j).filter(|&&q| q == b'"' || q == b'\'')?;
        let close = b[j + 1..].iter().position(|&c| c == q || c == b'>')?;
        let close = j + 1 + close;
        (b[close] == q).then(|| {
            let mut v = String::new();
            push_normalised(&mut v, &source[j + 1..close]);
            (StrTendril::from(v), close + 1)
        })
    };
    let Some((first, after)) = quoted(j) else {
        d.force_quirks = true;
        return (d, bogus(j));
    };
    if public {
        d.public_id = Some(first);
        j = skip(after);
        match b.get(j) {
            Some(b'>') => return (d, j + 1),
            Some(b'"' | b'\'') => {
                let Some((second, after)) = quoted(j) else {
                    d.force_quirks = true;
                    return (d, bogus(j));
                };
                d.system_id = Some(second);
                j = after;
            }
            None => {
                d.force_quirks = true;
                return (d, b.len());
            }
            Some(_) => {
                d.force_quirks = true;
                return (d, bogus(j));
            }
        }
    } else {
        d.system_id = Some(first);
        j = after;
    }
    // After the identifiers: anything but `>` is ignored up to it.
    if memchr(b'>', &b[j..]).is_none() {
        d.force_quirks = true;
    }
    (d, bogus(j))
}

#[cfg(test)]
mod tests {
    use super::super::prepass::prepare;
    use super::*;

    /// The tree from this pass equals html5ever's from its own tokenizer on the
    /// prepared page.
    fn same_tree(page: &str, what: &str) {
        let ours = parse(page).dump();
        let theirs = Arena::parse(&prepare(page)).dump();
        if ours != theirs {
            let line = ours
                .lines()
                .zip(theirs.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{what}: trees differ at line {line}:\nours:   {:?}\ntheirs: {:?}",
                ours.lines().nth(line),
                theirs.lines().nth(line)
            );
        }
    }

    #[test]
    fn the_tree_is_html5evers_on_every_fixture_and_its_truncations() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html");
        let mut n = 0;
        for entry in std::fs::read_dir(&dir).expect("fixtures") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|x| x != "html") {
                continue;
            }
            let bytes = std::fs::read(&path).expect("fixture");
            let Ok(page) = super::super::decode(&bytes) else {
                continue;
            };
            let name = path.display().to_string();
            same_tree(&page, &name);
            for k in 1..8 {
                let mut cut = page.len() * k / 8;
                while !page.is_char_boundary(cut) {
                    cut -= 1;
                }
                same_tree(&page[..cut], &format!("{name} cut at {cut}"));
            }
            n += 1;
        }
        assert!(n >= 14, "only {n} fixtures");
    }

    /// Windows of the fixtures starting and ending anywhere (inside a tag, a value, a
    /// reference, a comment), and two windows of different pages run together.
    #[test]
    fn the_tree_is_html5evers_on_windows_of_the_fixtures() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html");
        let mut pages = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("fixtures") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|x| x == "html")
                && let Ok(page) = super::super::decode(&std::fs::read(&path).expect("fixture"))
            {
                pages.push(page);
            }
        }
        // xorshift: a fixed sequence, so a failure can be replayed.
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |below: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % below.max(1) as u64) as usize
        };
        let window = |page: &str, next: &mut dyn FnMut(usize) -> usize| {
            let mut a = next(page.len());
            while !page.is_char_boundary(a) {
                a -= 1;
            }
            let mut b = (a + next(4096)).min(page.len());
            while !page.is_char_boundary(b) {
                b -= 1;
            }
            page[a..b].to_string()
        };
        for round in 0..400 {
            let p = &pages[next(pages.len())];
            let mut w = window(p, &mut next);
            if round % 2 == 1 {
                let q = &pages[next(pages.len())];
                w.push_str(&window(q, &mut next));
            }
            same_tree(&w, &format!("window {round}: {w:?}"));
        }
    }

    #[test]
    fn the_tree_is_html5evers_on_the_tokenizers_corner_cases() {
        for page in [
            "",
            "plain text",
            "<!DOCTYPE html><p>a",
            "<!doctype HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\"><table><p>x</table>",
            "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \
             \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\"><p><table><td>1</table>",
            "<!DOCTYPE html SYSTEM 'about:legacy-compat'><p>a",
            "<!DOCTYPE><p>a<table>",
            "<!DOCTYPE html PUBLIC \"-//W3O//DTD W3 HTML Strict 3.0//EN//\"><p><table>",
            "<!DOCTYPE html PUBLIC \"x>",
            "<!DOCTYPE html bogus><p><table>",
            "<!DOCTYPE",
            "<p>a &amp; b &lt;c&gt; &nbsp;&copy &notit; &notin; &#20013;&#x6587; &#X41 &#; &# &#x; &#0; &#128; &#xD800; &#1114112; &#99999999999;</p>",
            "<p>&unknown; &amp &ampx &AMP; &Aacute</p>",
            "<td class='a&amp;b' id=\"x&ampy\" rowspan=\"2&#x30;\" colspan=&notit>1</td>",
            "<p class=nav&ampx=1>a</p><p id=\"&amp=\">b</p>",
            "a\r\nb\rc\n\rd<p>e\r\n</p><td rowspan='1\r\n'>",
            "a\0b<p>\0</p><title>x\0y</title><textarea>\0</textarea>",
            "<title>a &amp; <b>b</b></title><p>c",
            "<textarea>\n<p>x</p>&lt;</textarea>",
            "<xmp><b>x</b>&amp;</xmp><iframe><p>y</iframe><noembed>a</noembed><noframes>b</noframes>",
            "<noscript><p>no</p></noscript><p>after",
            "<head><noscript><link></noscript></head><body>x",
            "<script>if (a<b) document.write('<p>x</p>')</script><p>after",
            "<style>p{display:none}</style><p>shown",
            "<svg><style>x</style><title>t<b>b</b></title><![CDATA[a<b]]></svg><p>c",
            "<math><mi><![CDATA[x]]></mi></math>",
            "<![CDATA[not foreign]]><p>x",
            "<p><![if !supportLists]>1.<![endif]>text</p>",
            "<?xml version=\"1.0\"?><p>x",
            "<p>a</ b>c</>d</p>",
            "<p>a <5 b < c <",
            "<p>a</",
            "<p>a<!",
            "<plaintext><p>x</p>&amp;",
            "<pre>\nline</pre><pre>\n\nline2</pre><listing>\nl</listing>",
            "<TABLE><TR><TD ROWSPAN=2 COLSPAN='3'>x</TD></TR></TABLE>",
            "<p id=a id=b class=c class=d>x</p>",
            "<br/><img src=x /><p/>x<div / >y",
            "<span style='display:none'>h</span><span>v</span><font color=red>f</font><o:p></o:p>",
            "<p><span class=x style=\"mso-hide:all\">h<span>i</span></span>after</p>",
            "<div hidden>h</div><p style='visibility:hidden'>v</p>",
            "<table><tr><td>1<p>2</table>",
            "<table>text<tr><td>x</td></tr></table>",
            "<html lang=zh><body class=main><div class=\"article content\">a</div></body></html>",
            "<template><p>t</p></template><p>x",
            "<p>a<!-- c --> b <!--> c <!---> d</p><!-- unterminated",
            "<p>a<script>x",
            "<p class=\"never closed",
            "<p>x<span class='x",
            "\u{FEFF}<p>bom</p>",
            "<p>中文&emsp;全角&ensp;空格</p>",
        ] {
            same_tree(page, &format!("{page:?}"));
        }
    }
}
