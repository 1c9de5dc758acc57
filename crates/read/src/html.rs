//! The HTML reader: a government web page (or a Word document saved as a web page) →
//! [`Document`].
//!
//! Four steps, each principled rather than tuned to one site:
//!
//! 1. **Decode** ([`decode`]): a byte-order mark wins, then the page's own `<meta charset>`
//!    or `http-equiv` content type, then `chardetng` (GBK/GB2312 pages are common). A
//!    declaration that the bytes contradict (a page labelled GB2312 that is valid UTF-8,
//!    a page labelled UTF-8 that is not) is overruled by the bytes.
//! 2. **Parse** with `scraper` (html5ever, the browsers' algorithm), then flatten the tree
//!    into an arena in document order so every later pass is a loop, never a recursion:
//!    deeply nested input cannot overflow the stack.
//! 3. **Pick the article body.** Scripts, styles, forms controls, `nav`, `aside` and hidden
//!    elements never count. Page chrome (elements named `header`, `footer`, `menu`,
//!    `breadcrumb`, … by tag, id or class, and link lists) is dropped when it holds no
//!    table and little text. The body is then the deepest element that still holds 90 % of
//!    the page's non-link text: the article container however the site names it (`zoom`,
//!    `content`, `TRS_Editor`, a layout-table cell). A title printed above that container
//!    (`<h1>` or `class="title"`, else `<title>`) is brought back when the body has none.
//! 4. **Emit blocks.** Block elements (`p`, `div`, `h1`–`h6`, `li`, …) end paragraphs;
//!    inline elements (`span`, `font`, `o:p`, …) and white space that Word wrapped inside a
//!    word are joined (no space between two CJK characters). A `<br>` is a soft break: it
//!    ends the paragraph only where the text evidently ends a unit (sentence punctuation,
//!    a section heading, or a numbered item after it), so a CMS page that separates all of
//!    its paragraphs with `<br>` reads like one that uses `<p>`.
//!
//! **Tables.** A table that contains another table is layout: its cells are containers.
//! Every other table becomes a grid by the HTML table model: `rowspan`/`colspan` are
//! expanded (clamped: at most 1000, `rowspan=0` to the end of its row group), and each row
//! lists the cells that *begin* in it, in grid order, with `row_span`/`col_span` set.
//! Positions covered by a span from an earlier row or column are left out, so a vertical
//! group label (`三、本年度办理结果`, `（三）不予公开`) appears once, in its first row,
//! and never as a value of the rows below; an empty cell is a printed blank. A grid column
//! in which no cell with text begins and that some span crosses is a split left by Word
//! (a column divided in two): its empty cells are dropped. A "table" with at most one
//! filled cell per row carries no grid and is read as paragraphs.
//!
//! **Provenance.** Cells get [`Location::Table`] (1-based table, grid row, grid column).
//! Paragraphs get [`Location::Text`]: the line and column in the decoded page where the
//! paragraph's first words are found, searching forward in document order (an
//! approximation when the text is written with character references); every paragraph's
//! location is distinct.

use ego_tree::iter::Edge;
use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};
use gongkai_report::{Block, Document, GridCell, Location, Paragraph, Table};
use scraper::{Html, Node as HtmlNode, node::Element};

use crate::ReadError;
use crate::map::heading_number;
use crate::norm::norm;

/// Largest HTML page accepted, in bytes. Real report pages, even Word exports with inline
/// styles, are a few MB at most.
pub const MAX_HTML_BYTES: usize = 32 * 1024 * 1024;

/// Largest `rowspan`/`colspan` honoured (the HTML limit for `colspan`).
const MAX_SPAN: usize = 1000;
/// Widest grid built; cells beyond it are dropped.
const MAX_COLUMNS: usize = 1000;
/// Grid slots that span expansion may mark in one document; beyond it spans shrink to 1.
const MAX_GRID_SLOTS: usize = 4_000_000;
/// A child holding this share of the page's non-link text replaces its parent as body.
const BODY_SHARE: f64 = 0.9;
/// Chrome (header, footer, menus) is dropped only below this share of the page's text.
const CHROME_SHARE: f64 = 0.2;
/// How far ahead of the previous paragraph a paragraph's words are searched for, in bytes.
const LOCATE_WINDOW: usize = 512 * 1024;

/// Reads an HTML page into a document.
pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    if bytes.len() > MAX_HTML_BYTES {
        return Err(ReadError::TooLarge {
            size: bytes.len(),
            limit: MAX_HTML_BYTES,
        });
    }
    let text = decode(bytes)?;
    Ok(read_str(&text))
}

// ---------------------------------------------------------------------------------------
// Detection and decoding
// ---------------------------------------------------------------------------------------

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

fn starts_with_markup(mut s: &[u8]) -> bool {
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
fn is_markup_fragment(head: &[u8]) -> bool {
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

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
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
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
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

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

// ---------------------------------------------------------------------------------------
// The arena
// ---------------------------------------------------------------------------------------

/// What an element is, for this reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Body,
    Title,
    Table,
    Section,
    Row,
    Cell,
    Caption,
    Br,
    /// Ends paragraphs: `p`, `div`, `li`, `h1` …
    Block,
    Heading,
    List,
    Link,
    /// Never read: scripts, styles, form controls, `nav`, `aside`, …
    Skip,
    /// Everything else: `span`, `font`, `o:p`, unknown tags.
    Inline,
}

fn tag_of(name: &str) -> Tag {
    match name {
        "body" => Tag::Body,
        "title" => Tag::Title,
        "table" => Tag::Table,
        "thead" | "tbody" | "tfoot" => Tag::Section,
        "tr" => Tag::Row,
        "td" | "th" => Tag::Cell,
        "caption" => Tag::Caption,
        "br" => Tag::Br,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Tag::Heading,
        "ul" | "ol" | "dl" | "menu" | "dir" => Tag::List,
        "a" => Tag::Link,
        "p" | "div" | "li" | "dt" | "dd" | "section" | "article" | "main" | "blockquote"
        | "pre" | "address" | "center" | "form" | "fieldset" | "figure" | "figcaption"
        | "header" | "footer" | "details" | "summary" | "legend" | "hr" | "html" => Tag::Block,
        "script" | "style" | "noscript" | "template" | "iframe" | "frame" | "frameset"
        | "object" | "embed" | "svg" | "math" | "canvas" | "select" | "option" | "optgroup"
        | "button" | "input" | "textarea" | "nav" | "aside" | "map" | "area" | "audio"
        | "video" | "source" | "track" | "datalist" | "head" | "xml" | "link" | "meta" | "base"
        | "col" | "colgroup" | "img" | "picture" => Tag::Skip,
        _ => Tag::Inline,
    }
}

struct Node<'a> {
    tag: Tag,
    el: Option<&'a Element>,
    /// The text of a text node.
    text: &'a str,
    /// One past the last node of this node's subtree (nodes are in document order).
    end: usize,
    parent: usize,
    /// Never read, with everything inside (a `Skip` tag or a hidden element).
    skip: bool,
    /// A text node inside a link.
    in_link: bool,
    /// Non-white-space characters of a text node.
    chars: usize,
    /// The `id` and `class` attributes of an element (empty when absent).
    id: &'a str,
    class: &'a str,
}

/// Text counts of a subtree.
#[derive(Debug, Clone, Copy, Default)]
struct Stats {
    /// Non-white-space characters outside links.
    chars: usize,
    /// Non-white-space characters inside links.
    link_chars: usize,
    links: usize,
    tables: usize,
}

struct Dom<'a> {
    nodes: Vec<Node<'a>>,
    /// Some descendant of the node is a table (so a table with it is layout).
    holds_table: Vec<bool>,
}

impl<'a> Dom<'a> {
    fn new(html: &'a Html) -> Self {
        let mut nodes: Vec<Node<'a>> = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        let mut links = 0usize;
        for edge in html.tree.root().traverse() {
            match edge {
                Edge::Open(n) => {
                    let parent = open.last().copied().unwrap_or(0);
                    let inherited = open.last().is_some_and(|&p| nodes[p].skip);
                    let (tag, el, text) = match n.value() {
                        HtmlNode::Element(e) => (tag_of(e.name()), Some(e), ""),
                        HtmlNode::Text(t) => (Tag::Inline, None, &*t.text),
                        HtmlNode::Document | HtmlNode::Fragment => (Tag::Block, None, ""),
                        _ => (Tag::Skip, None, ""),
                    };
                    let mut hidden = false;
                    let (mut id, mut class) = ("", "");
                    // One pass over the attributes (`Element::attr` interns each name).
                    for (name, value) in el.map_or(&[][..], |e| &e.attrs[..]) {
                        match &*name.local {
                            "hidden" => hidden = true,
                            "style" => hidden |= style_hides(value),
                            "id" => id = value,
                            "class" => class = value,
                            _ => {}
                        }
                    }
                    let skip = inherited || tag == Tag::Skip || hidden;
                    if tag == Tag::Link {
                        links += 1;
                    }
                    nodes.push(Node {
                        tag,
                        el,
                        text,
                        end: 0,
                        parent,
                        skip,
                        in_link: links > 0 && el.is_none(),
                        chars: text.chars().filter(|c| !c.is_whitespace()).count(),
                        id,
                        class,
                    });
                    open.push(nodes.len() - 1);
                }
                Edge::Close(_) => {
                    if let Some(i) = open.pop() {
                        nodes[i].end = nodes.len();
                        if nodes[i].tag == Tag::Link {
                            links = links.saturating_sub(1);
                        }
                    }
                }
            }
        }
        let mut holds_table = vec![false; nodes.len()];
        for i in (1..nodes.len()).rev() {
            let n = &nodes[i];
            if holds_table[i] || (n.tag == Tag::Table && !n.skip) {
                holds_table[n.parent] = true;
            }
        }
        Dom { nodes, holds_table }
    }

    fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The element children of `i`.
    fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let end = self.nodes[i].end;
        let mut k = i + 1;
        std::iter::from_fn(move || {
            while k < end {
                let c = k;
                k = self.nodes[c].end.max(c + 1);
                if self.nodes[c].el.is_some() {
                    return Some(c);
                }
            }
            None
        })
    }

    /// Text counts of every subtree, leaving out the nodes `excluded` says.
    fn stats(&self, excluded: &[bool]) -> Vec<Stats> {
        let mut s = vec![Stats::default(); self.len()];
        for i in (1..self.len()).rev() {
            if excluded[i] {
                continue;
            }
            let n = &self.nodes[i];
            if n.el.is_none() {
                if n.in_link {
                    s[i].link_chars += n.chars;
                } else {
                    s[i].chars += n.chars;
                }
            } else if n.tag == Tag::Link {
                s[i].links += 1;
            } else if n.tag == Tag::Table {
                s[i].tables += 1;
            }
            let (own, p) = (s[i], n.parent);
            if p != i {
                s[p].chars += own.chars;
                s[p].link_chars += own.link_chars;
                s[p].links += own.links;
                s[p].tables += own.tables;
            }
        }
        s
    }

    /// A table that holds another table (page layout, not data).
    fn is_layout_table(&self, i: usize) -> bool {
        self.holds_table[i]
    }

    /// All text of a subtree, skipped or not (for `<title>`, which sits in `<head>`).
    fn raw_text(&self, i: usize) -> (String, Option<&'a str>) {
        let mut acc = Collector::default();
        for n in &self.nodes[i + 1..self.nodes[i].end] {
            if n.el.is_none() {
                acc.text(n.text);
            }
        }
        let lines = acc.finish();
        let first = lines.iter().find_map(|l| l.first);
        (join_all(lines.iter().map(|l| collapse(&l.raw))), first)
    }

    /// The text of a subtree as one line (a table cell, a title): block boundaries and
    /// `<br>` join like a source line break, i.e. with nothing between CJK characters and
    /// a space otherwise. Also the first text node (to locate it in the source).
    fn flat_text(&self, i: usize, excluded: Option<&[bool]>) -> (String, Option<&'a str>) {
        let mut raw = String::new();
        let mut first = None;
        let end = self.nodes[i].end;
        let mut k = i + 1;
        while k < end {
            let n = &self.nodes[k];
            if n.skip || excluded.is_some_and(|e| e[k]) {
                k = n.end.max(k + 1);
                continue;
            }
            match (n.el, n.tag) {
                (None, _) => {
                    if first.is_none() && n.chars > 0 {
                        first = Some(n.text);
                    }
                    raw.push_str(n.text);
                }
                (Some(_), Tag::Inline | Tag::Link | Tag::Title | Tag::Body) => {}
                (Some(_), _) => raw.push('\n'),
            }
            k += 1;
        }
        (collapse(&raw), first)
    }

    /// The text of a subtree as lines (block boundaries and `<br>` break lines), with the
    /// first text node of each line (to locate it in the source).
    fn lines(&self, i: usize, excluded: &[bool]) -> Vec<Line<'a>> {
        let mut acc = Collector::default();
        let end = self.nodes[i].end;
        let mut closes: Vec<usize> = Vec::new();
        let mut k = i + 1;
        while k < end {
            while closes.last().is_some_and(|&e| e <= k) {
                closes.pop();
                acc.brk();
            }
            let n = &self.nodes[k];
            if n.skip || excluded[k] {
                k = n.end.max(k + 1);
                continue;
            }
            match (n.el, n.tag) {
                (None, _) => acc.text(n.text),
                (Some(_), Tag::Br) => acc.brk(),
                (Some(_), Tag::Inline | Tag::Link | Tag::Title | Tag::Body) => {}
                (Some(_), _) => {
                    acc.brk();
                    closes.push(n.end);
                }
            }
            k += 1;
        }
        acc.finish()
    }
}

/// An attribute's value. (A linear scan of the few attributes an element has is cheaper
/// than `Element::attr`, which interns the name first.)
fn attr<'e>(e: &'e Element, name: &str) -> Option<&'e str> {
    e.attrs
        .iter()
        .find(|(n, _)| &*n.local == name)
        .map(|(_, v)| &**v)
}

/// True when a `style` attribute hides the element: `display: none`, `visibility:
/// hidden` or Word's `mso-hide: all` (ASCII case and spaces ignored).
fn style_hides(style: &str) -> bool {
    style.split(';').any(|decl| {
        let Some((prop, value)) = decl.split_once(':') else {
            return false;
        };
        let (prop, value) = (prop.trim(), value.trim());
        let is = |p: &str, v: &str| {
            prop.eq_ignore_ascii_case(p)
                && value.len() >= v.len()
                && value.as_bytes()[..v.len()].eq_ignore_ascii_case(v.as_bytes())
        };
        is("display", "none") || is("visibility", "hidden") || is("mso-hide", "all")
    })
}

/// Words in ids and classes that name page chrome.
const CHROME_WORDS: &[&str] = &[
    "header",
    "footer",
    "nav",
    "menu",
    "breadcrumb",
    "crumb",
    "sidebar",
    "share",
    "copyright",
    "banner",
    "toolbar",
    "search",
    "login",
    "related",
    "pagination",
    "pager",
    "bottom",
    "foot",
    "top",
    "head",
    "side",
    "weizhi",
    "position",
    "location",
];
/// Words in ids and classes that name the article.
const ARTICLE_WORDS: &[&str] = &[
    "content",
    "article",
    "zoom",
    "trs_editor",
    "main",
    "text",
    "detail",
    "body",
    "view",
    "con",
    "wenzhang",
    "zhengwen",
];

/// The words of an element's id and class attributes.
fn name_words<'a>(n: &Node<'a>) -> impl Iterator<Item = &'a str> {
    [n.id, n.class]
        .into_iter()
        .flat_map(|v| v.split(|c: char| !c.is_ascii_alphanumeric() && c != '_'))
        .filter(|w| !w.is_empty())
}

/// True when a word of an id or class names one of `list` (lower-case words): the same
/// word, a part between underscores, or, for words of five letters or more, contained.
fn names_any(n: &Node<'_>, list: &[&str]) -> bool {
    let mut buf = [0u8; 64];
    name_words(n).any(|w| {
        // Lower-case the word once (ids and classes are ASCII words; longer ones are not
        // names of chrome).
        let Some(lower) = buf.get_mut(..w.len()) else {
            return false;
        };
        lower.copy_from_slice(w.as_bytes());
        lower.make_ascii_lowercase();
        let w = std::str::from_utf8(lower).unwrap_or_default();
        list.iter()
            .any(|l| w == *l || (l.len() >= 5 && w.contains(l)) || w.split('_').any(|p| p == *l))
    })
}

fn names_chrome(n: &Node<'_>) -> bool {
    n.el.is_some_and(|e| matches!(e.name(), "header" | "footer"))
        || (names_any(n, CHROME_WORDS) && !names_any(n, ARTICLE_WORDS))
}

// ---------------------------------------------------------------------------------------
// Collected text
// ---------------------------------------------------------------------------------------

/// One line of collected text and the first text node in it.
#[derive(Debug, Default)]
struct Line<'a> {
    raw: String,
    first: Option<&'a str>,
}

#[derive(Default)]
struct Collector<'a> {
    lines: Vec<Line<'a>>,
    cur: Line<'a>,
}

impl<'a> Collector<'a> {
    fn text(&mut self, t: &'a str) {
        if self.cur.first.is_none() && t.chars().any(|c| !is_space(c)) {
            self.cur.first = Some(t);
        }
        self.cur.raw.push_str(t);
    }

    /// Ends the current line (an empty line, from `<br><br>`, ends a paragraph).
    fn brk(&mut self) {
        self.lines.push(std::mem::take(&mut self.cur));
    }

    fn finish(mut self) -> Vec<Line<'a>> {
        if !self.cur.raw.is_empty() {
            self.brk();
        }
        self.lines
    }
}

/// White space for this reader: Unicode white space (with NBSP and the ideographic
/// space) and the zero-width characters.
fn is_space(c: char) -> bool {
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
    let mut out = String::with_capacity(raw.len());
    let mut pending: Option<bool> = None; // a run of space is pending; true if it had a newline
    for c in raw.chars() {
        if matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}') {
            continue;
        }
        if c.is_whitespace() {
            let nl = matches!(c, '\n' | '\r');
            pending = Some(pending.unwrap_or(false) || nl);
            continue;
        }
        if let Some(nl) = pending.take()
            && let Some(prev) = out.chars().next_back()
            && !(nl && is_wide(prev) && is_wide(c))
        {
            out.push(' ');
        }
        out.push(c);
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
pub(crate) fn paragraphs(lines: &[String]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    let mut open = false;
    for (i, l) in lines.iter().enumerate() {
        if l.is_empty() {
            open = false;
            continue;
        }
        match out.last_mut() {
            Some((text, _)) if open && !breaks_paragraph(text, l) => {
                let j = joiner(text, l);
                text.push_str(j);
                text.push_str(l);
            }
            _ => out.push((l.clone(), i)),
        }
        open = true;
    }
    out
}

// ---------------------------------------------------------------------------------------
// Locating paragraphs in the source
// ---------------------------------------------------------------------------------------

/// A forward-only position in the source.
struct Cursor<'s> {
    src: &'s str,
    byte: usize,
    line: u32,
    /// Characters between the start of the line and `byte`.
    column: usize,
}

impl<'s> Cursor<'s> {
    fn new(src: &'s str) -> Self {
        Cursor {
            src,
            byte: 0,
            line: 1,
            column: 0,
        }
    }

    /// Moves to `to`, a character boundary at or after the cursor.
    fn advance_to(&mut self, to: usize) {
        let seg = &self.src[self.byte..to];
        match seg.rfind('\n') {
            Some(last) => {
                let lines = seg.bytes().filter(|&b| b == b'\n').count();
                self.line = self
                    .line
                    .saturating_add(u32::try_from(lines).unwrap_or(u32::MAX));
                self.column = char_count(&seg[last + 1..]);
            }
            None => self.column += char_count(seg),
        }
        self.byte = to;
    }

    fn here(&self) -> Location {
        Location::Text {
            line: self.line,
            column: u32::try_from(self.column + 1).unwrap_or(u32::MAX),
        }
    }

    /// The location of the first words of a text node, searched forward; the cursor
    /// moves past them (or by one character when they are not found), so no two calls
    /// return the same location.
    fn locate(&mut self, first: Option<&str>) -> Location {
        let needle = first.map(needle).unwrap_or_default();
        let limit = floor_boundary(self.src, self.byte.saturating_add(LOCATE_WINDOW));
        let window = &self.src[self.byte..limit];
        if !needle.is_empty()
            && let Some(at) = window.find(needle.as_str())
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
fn char_count(s: &str) -> usize {
    s.bytes().filter(|&b| (b & 0xC0) != 0x80).count()
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
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
fn needle(text: &str) -> String {
    text.chars()
        .skip_while(|c| is_space(*c))
        .take_while(|c| !is_space(*c) && !matches!(c, '&' | '<' | '>' | '"' | '\''))
        .take(8)
        .collect()
}

// ---------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------

/// Reads decoded HTML into a document.
pub fn read_str(source: &str) -> Document {
    // The parser sees the page without scripts, style sheets and comments (often most of
    // a portal page or a Word export); paragraphs are still located in `source`.
    let html = Html::parse_document(&strip_inert(source));
    let dom = Dom::new(&html);
    if dom.len() < 2 {
        return Document::default();
    }
    let mut excluded = vec![false; dom.len()];
    let first = dom.stats(&excluded);
    let body = (0..dom.len())
        .find(|&i| dom.nodes[i].tag == Tag::Body && !dom.nodes[i].skip)
        .unwrap_or(0);
    mark_chrome(&dom, &first, body, &mut excluded);
    let stats = dom.stats(&excluded);
    let root = pick_body(&dom, &stats, &excluded, body);

    let mut r = Reader {
        dom: &dom,
        excluded: &excluded,
        cursor: Cursor::new(source),
        blocks: Vec::new(),
        tables: 0,
        budget: MAX_GRID_SLOTS,
    };
    let title = recover_title(&dom, root);
    if let Some((_, first)) = &title {
        // The title precedes the body in the page: locate it first.
        let loc = r.cursor.locate(*first);
        if let Some((text, _)) = &title {
            r.blocks.push(Block::Paragraph(Paragraph {
                text: text.clone(),
                loc,
            }));
        }
    }
    r.emit(root);
    let mut blocks = r.blocks;
    // The recovered title is dropped when the body prints it (or more) itself.
    if let Some((t, _)) = &title
        && body_has_title(&blocks[1..], t)
    {
        blocks.remove(0);
    }
    Document { blocks }
}

/// The page without the content of `<script>` and `<style>` elements and without comments
/// (Word's `<!--[if gte mso 9]><xml>…<![endif]-->` blocks included): nothing in them is
/// ever read (the tree walk skips scripts and styles, and comments are not text), but
/// they are often most of the bytes of a portal page or a Word export, and the HTML
/// tokenizer would walk them character by character. The elements themselves stay
/// (`<script></script>`), so the tree has the same shape. Ends are found as the
/// tokenizer finds them: the first `</script`, `</style` (any case) or `-->`; an
/// unterminated one runs to the end of the page, as in a browser.
fn strip_inert(source: &str) -> std::borrow::Cow<'_, str> {
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
fn thin_inline(source: &str) -> std::borrow::Cow<'_, str> {
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

fn starts_with_ci(hay: &[u8], word: &[u8]) -> bool {
    hay.len() >= word.len() && hay[..word.len()].eq_ignore_ascii_case(word)
}

/// True when the tag name of length `n` at the start of `rest` ends there.
fn ends_name(rest: &[u8], n: usize) -> bool {
    rest.get(n)
        .is_none_or(|b| matches!(b, b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n'))
}

/// Drops page chrome: elements named like chrome and link lists, when they hold no table
/// and little of the page's text.
fn mark_chrome(dom: &Dom<'_>, stats: &[Stats], body: usize, excluded: &mut [bool]) {
    let total = stats[body].chars as f64;
    let mut i = body + 1;
    while i < dom.nodes[body].end {
        let n = &dom.nodes[i];
        let s = stats[i];
        let candidate =
            n.el.is_some() && !n.skip && s.tables == 0 && (s.chars as f64) < CHROME_SHARE * total;
        let link_list = (n.tag == Tag::List && s.links >= 2 && s.link_chars >= s.chars)
            || (s.links >= 3 && s.link_chars >= 4 * s.chars);
        if candidate && (link_list || (n.tag != Tag::Table && names_chrome(n))) {
            excluded[i] = true;
            // Everything inside is gone with it.
            i = n.end.max(i + 1);
        } else {
            i += 1;
        }
    }
}

/// The deepest element that holds most of the page's non-link text.
fn pick_body(dom: &Dom<'_>, stats: &[Stats], excluded: &[bool], body: usize) -> usize {
    let total = stats[body].chars as f64;
    let mut cur = body;
    if total == 0.0 {
        return cur;
    }
    loop {
        if dom.nodes[cur].tag == Tag::Table && !dom.is_layout_table(cur) {
            return dom.nodes[cur].parent;
        }
        let next = dom.children(cur).find(|&c| {
            !excluded[c] && !dom.nodes[c].skip && stats[c].chars as f64 >= BODY_SHARE * total
        });
        match next {
            Some(c) => cur = c,
            None => return cur,
        }
    }
}

/// A report title printed outside the body: the nearest heading or `title`-named element
/// before it that names a report, else the page's `<title>`.
fn recover_title<'a>(dom: &Dom<'a>, root: usize) -> Option<(String, Option<&'a str>)> {
    let is_title = |t: &str| t.contains("报告") && (4..=80).contains(&t.chars().count());
    let text_of = |i: usize| dom.flat_text(i, None);
    let mut found = None;
    let mut i = 1;
    while i < root {
        let n = &dom.nodes[i];
        if n.end > root {
            // An ancestor of the body: look inside it.
            i += 1;
            continue;
        }
        if n.skip && n.tag != Tag::Title {
            i = n.end.max(i + 1);
            continue;
        }
        if n.el.is_some() {
            let named = n.tag == Tag::Heading || names_any(n, &["title", "biaoti", "bt"]);
            if named {
                let (t, first) = text_of(i);
                if is_title(&t) {
                    found = Some((t, first));
                }
                i = n.end.max(i + 1);
                continue;
            }
        }
        i += 1;
    }
    if found.is_some() {
        return found;
    }
    let t = (0..dom.len()).find(|&i| dom.nodes[i].tag == Tag::Title)?;
    let (text, first) = dom.raw_text(t);
    text.split(['_', '|', '—', '-'])
        .map(str::trim)
        .find(|p| is_title(p))
        .map(|p| (p.to_string(), first))
}

/// True when a paragraph before the first section heading contains `title`.
fn body_has_title(blocks: &[Block], title: &str) -> bool {
    let title = norm(title);
    for b in blocks {
        if let Block::Paragraph(p) = b {
            if heading_number(&p.text).is_some() {
                return false;
            }
            if p.text.len() <= 1000 && norm(&p.text).contains(&title) {
                return true;
            }
        }
    }
    false
}

struct Reader<'d, 'a, 's> {
    dom: &'d Dom<'a>,
    excluded: &'d [bool],
    cursor: Cursor<'s>,
    blocks: Vec<Block>,
    tables: u32,
    budget: usize,
}

impl<'a> Reader<'_, 'a, '_> {
    /// Emits the paragraphs and tables inside `root`.
    fn emit(&mut self, root: usize) {
        let dom = self.dom;
        let end = dom.nodes[root].end;
        let mut acc = Collector::default();
        let mut closes: Vec<usize> = Vec::new();
        let mut k = root + 1;
        while k < end {
            while closes.last().is_some_and(|&e| e <= k) {
                closes.pop();
                self.flush(&mut acc);
            }
            let n = &dom.nodes[k];
            if n.skip || self.excluded[k] {
                k = n.end.max(k + 1);
                continue;
            }
            match (n.el, n.tag) {
                (None, _) => acc.text(n.text),
                (Some(_), Tag::Br) => acc.brk(),
                (Some(_), Tag::Inline | Tag::Link | Tag::Title | Tag::Body) => {}
                (Some(_), Tag::Table) if !dom.is_layout_table(k) => {
                    self.flush(&mut acc);
                    self.table(k);
                    k = n.end.max(k + 1);
                    continue;
                }
                (Some(_), _) => {
                    self.flush(&mut acc);
                    closes.push(n.end);
                }
            }
            k += 1;
        }
        self.flush(&mut acc);
    }

    /// Turns collected lines into paragraphs.
    fn flush(&mut self, acc: &mut Collector<'a>) {
        let lines = std::mem::take(acc).finish();
        self.push_lines(&lines);
    }

    fn push_lines(&mut self, lines: &[Line<'a>]) {
        if lines.is_empty() {
            return;
        }
        let texts: Vec<String> = lines.iter().map(|l| collapse(&l.raw)).collect();
        for (text, first) in paragraphs(&texts) {
            let loc = self.cursor.locate(lines[first].first);
            self.blocks.push(Block::Paragraph(Paragraph { text, loc }));
        }
    }

    /// Reads a data table into a grid (or paragraphs, when it has no grid).
    fn table(&mut self, t: usize) {
        let dom = self.dom;
        struct RawCell<'a> {
            text: String,
            first: Option<&'a str>,
            rows: usize,
            cols: usize,
        }
        // Rows in document order with their row group (the parent of the `tr`).
        let mut rows: Vec<(usize, Vec<RawCell<'a>>)> = Vec::new();
        let mut k = t + 1;
        while k < dom.nodes[t].end {
            let n = &dom.nodes[k];
            if n.skip || self.excluded[k] {
                k = n.end.max(k + 1);
                continue;
            }
            match n.tag {
                Tag::Caption => {
                    let lines = dom.lines(k, self.excluded);
                    self.push_lines(&lines);
                    k = n.end.max(k + 1);
                }
                Tag::Row => {
                    let cells = dom
                        .children(k)
                        .filter(|&c| dom.nodes[c].tag == Tag::Cell && !dom.nodes[c].skip)
                        .map(|c| {
                            let el = dom.nodes[c].el;
                            let (text, first) = dom.flat_text(c, Some(self.excluded));
                            RawCell {
                                text,
                                first,
                                rows: span(el, "rowspan"),
                                cols: span(el, "colspan").max(1),
                            }
                        })
                        .collect();
                    rows.push((n.parent, cells));
                    k = n.end.max(k + 1);
                }
                _ => k += 1,
            }
        }

        // Rows left in each row's group, for `rowspan` clamping and `rowspan=0`.
        let mut left = vec![0usize; rows.len()];
        for r in (0..rows.len()).rev() {
            left[r] = 1 + if r + 1 < rows.len() && rows[r + 1].0 == rows[r].0 {
                left[r + 1]
            } else {
                0
            };
        }

        struct Placed<'a> {
            row: usize,
            col: usize,
            rows: usize,
            cols: usize,
            text: String,
            first: Option<&'a str>,
        }
        let mut occupied: Vec<Vec<bool>> = vec![Vec::new(); rows.len()];
        let mut placed: Vec<Placed<'a>> = Vec::new();
        for (r, (_, cells)) in rows.into_iter().enumerate() {
            let mut x = 0usize;
            for cell in cells {
                while occupied[r].get(x).copied().unwrap_or(false) {
                    x += 1;
                }
                if x >= MAX_COLUMNS {
                    break;
                }
                let mut cs = cell.cols.min(MAX_SPAN).min(MAX_COLUMNS - x);
                let mut rs = if cell.rows == 0 {
                    left[r]
                } else {
                    cell.rows.min(MAX_SPAN).min(left[r])
                };
                if rs * cs > self.budget {
                    rs = 1;
                    cs = 1;
                }
                self.budget = self.budget.saturating_sub(rs * cs);
                for row in &mut occupied[r..r + rs] {
                    if row.len() < x + cs {
                        row.resize(x + cs, false);
                    }
                    row[x..x + cs].fill(true);
                }
                let (text, first) = (cell.text, cell.first);
                placed.push(Placed {
                    row: r,
                    col: x,
                    rows: rs,
                    cols: cs,
                    text,
                    first,
                });
                x += cs;
            }
        }

        // No row with two filled cells: not a grid, just boxed text.
        let mut filled = vec![0usize; occupied.len()];
        for p in placed.iter().filter(|p| !p.text.is_empty()) {
            filled[p.row] += 1;
        }
        if filled.iter().all(|&f| f < 2) {
            let lines: Vec<Line<'a>> = placed
                .into_iter()
                .filter(|p| !p.text.is_empty())
                .map(|p| Line {
                    raw: p.text,
                    first: p.first,
                })
                .collect();
            // Each cell is its own paragraph.
            for l in lines {
                self.push_lines(std::slice::from_ref(&l));
            }
            return;
        }

        // Columns split by Word: no filled cell begins there, and a span crosses them.
        let width = occupied.iter().map(Vec::len).max().unwrap_or(0);
        let mut has_text = vec![false; width];
        let mut crossed = vec![false; width];
        for p in &placed {
            if !p.text.is_empty() {
                has_text[p.col] = true;
            }
            for c in &mut crossed[p.col + 1..p.col + p.cols] {
                *c = true;
            }
        }
        self.tables += 1;
        let table = self.tables;
        let mut grid: Vec<Vec<GridCell>> = vec![Vec::new(); occupied.len()];
        for p in placed {
            if p.text.is_empty() && crossed[p.col] && !has_text[p.col] {
                continue;
            }
            let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
            grid[p.row].push(GridCell {
                text: p.text,
                loc: Location::Table {
                    table,
                    row: n(p.row + 1),
                    column: n(p.col + 1),
                },
                row_span: n(p.rows),
                col_span: n(p.cols),
            });
        }
        grid.retain(|r| !r.is_empty());
        self.blocks.push(Block::Table(Table { rows: grid }));
    }
}

/// A `rowspan`/`colspan` value: leading digits, 1 when absent or unreadable (0 stays 0:
/// for `rowspan` it means "to the end of the row group").
fn span(el: Option<&Element>, name: &str) -> usize {
    let Some(v) = el.and_then(|e| attr(e, name)) else {
        return 1;
    };
    let digits: String = v
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .take(7)
        .collect();
    digits.parse().unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(html: &str) -> Document {
        read_str(html)
    }

    fn texts(t: &Table) -> Vec<Vec<&str>> {
        t.rows
            .iter()
            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }

    fn only_table(d: &Document) -> &Table {
        let t: Vec<_> = d.tables().collect();
        assert_eq!(t.len(), 1, "{d:#?}");
        t[0]
    }

    fn paras(d: &Document) -> Vec<&str> {
        d.paragraphs().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn spans_expand_into_origin_cells() {
        let d = doc("<table>\
            <tr><td rowspan=2 colspan=2>角</td><td colspan=2>申请人</td></tr>\
            <tr><td>甲</td><td>乙</td></tr>\
            <tr><td rowspan=3>三、结果</td><td>（一）</td><td>1</td><td>2</td></tr>\
            <tr><td>（二）</td><td>3</td><td>4</td></tr>\
            <tr><td>（三）</td><td>&nbsp;</td><td>6</td></tr>\
            </table>");
        let t = only_table(&d);
        assert_eq!(
            texts(t),
            [
                vec!["角", "申请人"],
                vec!["甲", "乙"],
                vec!["三、结果", "（一）", "1", "2"],
                vec!["（二）", "3", "4"],
                vec!["（三）", "", "6"],
            ]
        );
        assert_eq!((t.rows[0][0].row_span, t.rows[0][0].col_span), (2, 2));
        assert_eq!(t.rows[2][0].row_span, 3);
        assert_eq!(
            t.rows[3][1].loc,
            Location::Table {
                table: 1,
                row: 4,
                column: 3
            }
        );
        assert_eq!(
            t.rows[1][0].loc,
            Location::Table {
                table: 1,
                row: 2,
                column: 3
            }
        );
    }

    #[test]
    fn absurd_spans_are_clamped() {
        let d = doc("<table><tbody>\
            <tr><td rowspan=0>a</td><td colspan=99999999>b</td></tr>\
            <tr><td>c</td></tr></tbody>\
            <tbody><tr><td>d</td><td rowspan=5000>e</td></tr></tbody></table>");
        let t = only_table(&d);
        assert_eq!(texts(t), [vec!["a", "b"], vec!["c"], vec!["d", "e"]]);
        assert_eq!(
            t.rows[0][0].row_span, 2,
            "rowspan=0 runs to the end of its group"
        );
        assert_eq!(t.rows[0][1].col_span, 999);
        assert_eq!(t.rows[2][1].row_span, 1, "clamped to its row group");
        assert_eq!(
            t.rows[1][0].loc,
            Location::Table {
                table: 1,
                row: 2,
                column: 2
            }
        );
        let d = doc(
            "<table><tr><td colspan=0>x</td><td colspan=abc>y</td><td rowspan=-3>z</td></tr></table>",
        );
        assert_eq!(texts(only_table(&d)), [vec!["x", "y", "z"]]);
    }

    #[test]
    fn word_cells_join_and_blank() {
        let d = doc("<table><tr>\
            <td><p class=MsoNormal><span lang=EN-US>三</span><br>、<br>本年度<o:p></o:p></p><p>办理结果</p></td>\
            <td><p class=MsoNormal><span lang=EN-US>&nbsp;<o:p></o:p></span></p></td>\
            <td><p><span>1</span><span>2</span></p></td>\
            <td><o:p></o:p></td>\
            <td>Total\r\n count</td></tr></table>");
        assert_eq!(
            texts(only_table(&d)),
            [vec!["三、本年度办理结果", "", "12", "", "Total count"]]
        );
    }

    #[test]
    fn split_column_is_dropped_but_blank_columns_stay() {
        // 自然人 is split in two grid columns: the header spans both, one data row has a
        // stray empty cell in the second.
        let d = doc("<table>\
            <tr><td>名</td><td colspan=2>自然人</td><td>企业</td></tr>\
            <tr><td>新收</td><td>1</td><td>&nbsp;</td><td>2</td></tr>\
            <tr><td>结转</td><td colspan=2>3</td><td></td></tr>\
            </table>");
        assert_eq!(
            texts(only_table(&d)),
            [
                vec!["名", "自然人", "企业"],
                vec!["新收", "1", "2"],
                vec!["结转", "3", ""]
            ]
        );
        // A column that is blank all the way down, with no span across it, is data.
        let d = doc("<table><tr><td>新收</td><td>1</td><td></td><td>2</td></tr>\
            <tr><td>结转</td><td>3</td><td></td><td>4</td></tr></table>");
        assert_eq!(
            texts(only_table(&d)),
            [vec!["新收", "1", "", "2"], vec!["结转", "3", "", "4"]]
        );
    }

    #[test]
    fn paragraphs_from_blocks_and_soft_breaks() {
        let d = doc(
            "<div>XX镇2023年政府信息公开<br>工作年度报告<br>一、总体情况<br>\
            本年度，我镇做了很多\r\n工作。<br>二、主动公开政府信息情况</div>\
            <p><span>（一）</span><font>主动</font><b>公开</b></p><h2>三、收到和处理政府信息公开申请情况</h2>\
            <ul><li>第一项</li><li>第二项</li></ul>",
        );
        assert_eq!(
            paras(&d),
            [
                "XX镇2023年政府信息公开工作年度报告",
                "一、总体情况",
                "本年度，我镇做了很多工作。",
                "二、主动公开政府信息情况",
                "（一）主动公开",
                "三、收到和处理政府信息公开申请情况",
                "第一项",
                "第二项",
            ]
        );
    }

    #[test]
    fn chrome_is_dropped_and_title_recovered() {
        let body: String = (0..30)
            .map(|i| {
                format!("<p>第{i}段：本机关依法依规做好政府信息公开工作，进一步提升质量。</p>")
            })
            .collect();
        let html = format!(
            "<html><head><title>某县2023年政府信息公开工作年度报告_某县人民政府</title>\
             <script>var a = '<p>x</p>';</script><style>p{{}}</style></head><body>\
             <div class=header><a href=/>首页</a><a href=/a>政务公开</a><a href=/b>互动</a></div>\
             <ul class=nav><li><a href=1>机构</a></li><li><a href=2>政策</a></li></ul>\
             <div class=crumb>当前位置：首页 &gt; 政务公开</div>\
             <div class=main><h1 class=title>某县2023年政府信息公开工作年度报告</h1>\
             <div class=info>发布时间：2024-01-20</div>\
             <div id=zoom class=TRS_Editor><p>一、总体情况</p>{body}</div></div>\
             <div class=footer>主办单位：某县人民政府 版权所有</div></body></html>"
        );
        let d = doc(&html);
        let p = paras(&d);
        assert_eq!(p[0], "某县2023年政府信息公开工作年度报告");
        assert_eq!(p[1], "一、总体情况");
        assert_eq!(p.len(), 32, "{p:#?}");
        assert!(!p.iter().any(|t| t.contains("首页") || t.contains("主办")));
    }

    #[test]
    fn title_from_head_when_none_in_page() {
        let body: String = (0..10)
            .map(|i| format!("<p>第{i}段内容，本机关依法依规做好政府信息公开工作。</p>"))
            .collect();
        let html = format!(
            "<html><head><title>某局2023年政府信息公开工作年度报告 - 某市人民政府</title></head>\
             <body><div>{body}</div></body></html>"
        );
        assert_eq!(paras(&doc(&html))[0], "某局2023年政府信息公开工作年度报告");
        // A body title that says less (no agency) does not replace the page's.
        let html = format!(
            "<html><head><title>某县人民政府2023年政府信息公开工作年度报告</title></head>\
             <body><div><h1>2023年政府信息公开工作年度报告</h1>{body}</div></body></html>"
        );
        let d = doc(&html);
        assert_eq!(
            paras(&d)[..2],
            [
                "某县人民政府2023年政府信息公开工作年度报告",
                "2023年政府信息公开工作年度报告"
            ]
        );
        // One that says as much does.
        let html = format!(
            "<html><head><title>某县人民政府2023年政府信息公开工作年度报告</title></head>\
             <body><div><h1>某县人民政府 2023年政府信息公开工作年度报告</h1>{body}</div></body></html>"
        );
        assert_eq!(
            paras(&doc(&html))[..2],
            [
                "某县人民政府 2023年政府信息公开工作年度报告",
                "第0段内容，本机关依法依规做好政府信息公开工作。"
            ]
        );
    }

    #[test]
    fn many_soft_breaks_stay_linear() {
        let line = "本机关依法依规做好政府信息公开工作<br>";
        let d = doc(&format!("<div>{}</div>", line.repeat(20_000)));
        assert_eq!(d.paragraphs().count(), 1);
    }

    #[test]
    fn layout_tables_are_containers() {
        let html = "<table><tr><td><a href=1>首页</a></td></tr><tr><td>\
            <p>一、总体情况</p><table><tr><td>规章</td><td>1</td><td>2</td></tr></table>\
            </td></tr></table>";
        let d = doc(html);
        // The link row above the article is page chrome: the body is the inner cell.
        assert_eq!(paras(&d), ["一、总体情况"]);
        assert_eq!(texts(only_table(&d)), [vec!["规章", "1", "2"]]);
        // A one-column table is boxed text.
        let d = doc("<table><tr><td>某镇人民政府</td></tr><tr><td>2024年1月17日</td></tr></table>");
        assert_eq!(d.tables().count(), 0);
        assert_eq!(paras(&d), ["某镇人民政府", "2024年1月17日"]);
    }

    #[test]
    fn paragraph_locations_are_source_positions_and_distinct() {
        let src = "<html><body>\n<p>一、总体情况</p>\n<p>正文。</p><p>正文。</p>\n</body></html>";
        let d = doc(src);
        let locs: Vec<Location> = d.paragraphs().map(|p| p.loc).collect();
        assert_eq!(
            locs,
            [
                Location::Text { line: 2, column: 4 },
                Location::Text { line: 3, column: 4 },
                Location::Text {
                    line: 3,
                    column: 14
                },
            ]
        );
        // Text written with character references cannot be found; still distinct.
        let d = doc("<p>&#19968;</p><p>&#19968;</p>");
        let locs: Vec<Location> = d.paragraphs().map(|p| p.loc).collect();
        assert_eq!(locs.len(), 2);
        assert_ne!(locs[0], locs[1]);
    }

    #[test]
    fn hidden_and_scripts_are_ignored() {
        let d = doc(
            "<p>可见<span style='display: none'>隐藏</span><script>x()</script></p>\
                     <p hidden>不见</p><noscript>无脚本</noscript>",
        );
        assert_eq!(paras(&d), ["可见"]);
        assert!(style_hides("color:red; DISPLAY : None"));
        assert!(style_hides("display:none;mso-hide:all"));
        assert!(!style_hides(
            "border-top:none;mso-border-top-alt:solid windowtext .5pt"
        ));
        assert!(!style_hides("display:block"));
    }

    #[test]
    fn detection() {
        for s in [
            "<!DOCTYPE html><html>",
            "\u{feff}<html>",
            "  <!-- x --> <meta charset=gbk>",
            "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">",
            "<TABLE border=1><tr><td>1</td></tr></TABLE>",
            "<p>一、总体情况</p>\n<p>二、主动公开政府信息情况</p>",
            "<div class=x>\n<p>a</p>\n</div>",
        ] {
            assert!(looks_like_html(s.as_bytes()), "{s}");
        }
        // Plain text with a stray tag at the top (copied out of a page) is not HTML.
        for s in [
            "<script>var a = 1;</script>\n某局2023年政府信息公开工作年度报告\n一、总体情况\n本年度……\n二、主动公开政府信息情况\n",
            "<table>\n一、总体情况\n2023年，我局……\n二、主动公开政府信息情况\n规章\t0\t0\t0\n",
            "<TABLE border=1>",
        ] {
            assert!(!looks_like_html(s.as_bytes()), "{s}");
        }
        for s in [
            "一、总体情况\n<p>",
            "| a | b |",
            "<pre",
            "<!-- never closed",
            "<",
        ] {
            assert!(!looks_like_html(s.as_bytes()), "{s}");
        }
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "<html><body>".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        assert!(looks_like_html(&utf16));
    }

    #[test]
    fn inert_content_is_stripped_before_parsing() {
        let page = "<html><head><STYLE type=text/css>p{x:1}</style><script>var a = '<p>假</p>';</Script ></head>\n<body><!--[if gte mso 9]><xml><w:x/></xml><![endif]--><p>一、总体情况</p><!-- 未闭合";
        assert_eq!(
            strip_inert(page),
            "<html><head><STYLE type=text/css></style><script></Script ></head>\n<body><p>一、总体情况</p>"
        );
        // Styling spans go; a hiding one stays with its end tag.
        assert_eq!(
            strip_inert(
                "<p><span style='font-family:宋体;a:\"x>y\"'>2023</span><SPAN\r\nlang=EN-US>年</SPAN><o:p></o:p></p>"
            ),
            "<p>2023年</p>"
        );
        assert_eq!(
            strip_inert("<p><span style=\"display:none\">隐</span>显</p>"),
            "<p><span style=\"display:none\">隐</span>显</p>"
        );
        assert_eq!(
            strip_inert("<p><spanner>x</spanner></p>"),
            "<p><spanner>x</spanner></p>"
        );
        assert!(matches!(
            strip_inert("<p>无脚本</p>"),
            std::borrow::Cow::Borrowed(_)
        ));
        // `<scripts>` is not a script; an unterminated script runs to the end.
        assert_eq!(strip_inert("<scripts>x</scripts>"), "<scripts>x</scripts>");
        assert_eq!(strip_inert("<p>a</p><script>x"), "<p>a</p><script>");
        let doc = read_str(page);
        assert_eq!(doc.blocks.len(), 1, "{doc:?}");
    }

    #[test]
    fn charsets() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><p>年度报告</p></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(page);
        assert!(decode(&gbk).unwrap().contains("年度报告"));
        // Labelled GB2312 but really UTF-8.
        assert!(decode(page.as_bytes()).unwrap().contains("年度报告"));
        // No label at all: detected.
        let bare =
            "<html><body><p>政府信息公开工作年度报告，本年度收到申请三件。</p></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(bare);
        assert!(decode(&gbk).unwrap().contains("年度报告"));
        // Labelled UTF-8 but GBK bytes.
        let lying = format!("<meta charset=\"utf-8\">{bare}");
        let (gbk, _, _) = encoding_rs::GBK.encode(&lying);
        assert!(decode(&gbk).unwrap().contains("年度报告"));
        assert!(matches!(decode(b"  \n"), Err(ReadError::Empty)));
        assert_eq!(declared_charset(b"<META CHARSET='utf-16'>"), Some(UTF_8));
        assert_eq!(
            declared_charset(b"<meta content='text/html;charset=GBK' http-equiv=content-type>"),
            Some(encoding_rs::GBK)
        );
    }

    #[test]
    fn numbered_starts() {
        for s in ["一、总体情况", "（二）部分公开", "(十)x", "3.其他", "12、x"] {
            assert!(starts_numbered(s), "{s}");
        }
        for s in ["一是加强", "（a）", "2023年", "", "（一"] {
            assert!(!starts_numbered(s), "{s}");
        }
    }

    #[test]
    fn white_space() {
        assert_eq!(
            collapse("  红旗区\n洪门镇 2023 年\u{a0} "),
            "红旗区洪门镇 2023 年"
        );
        assert_eq!(collapse("a\nb\u{200b}c"), "a bc");
        assert_eq!(collapse("\u{3000}\u{3000}一、总体情况"), "一、总体情况");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let mut s = "<div>".repeat(5_000);
        s.push_str("一、总体情况");
        let d = doc(&s);
        assert_eq!(paras(&d), ["一、总体情况"]);
        let mut s = "<table><tr><td>".repeat(2_000);
        s.push('x');
        let _ = doc(&s);
    }
}
