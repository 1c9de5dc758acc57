//! The arena: the parsed tree flattened in document order, with tags, visibility and text counts.

use super::*;

/// What an element is, for this reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tag {
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

pub(super) fn tag_of(name: &str) -> Tag {
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

pub(super) struct Node<'a> {
    pub(super) tag: Tag,
    pub(super) el: Option<&'a Elem>,
    /// The text of a text node.
    pub(super) text: &'a str,
    /// One past the last node of this node's subtree (nodes are in document order).
    pub(super) end: usize,
    pub(super) parent: usize,
    /// Never read, with everything inside (a `Skip` tag or a hidden element).
    pub(super) skip: bool,
    /// A text node inside a link.
    pub(super) in_link: bool,
    /// Non-white-space characters of a text node.
    pub(super) chars: usize,
    /// The `id` and `class` attributes of an element (empty when absent).
    pub(super) id: &'a str,
    pub(super) class: &'a str,
}

/// Text counts of a subtree.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Stats {
    /// Non-white-space characters outside links.
    pub(super) chars: usize,
    /// Non-white-space characters inside links.
    pub(super) link_chars: usize,
    pub(super) links: usize,
    pub(super) tables: usize,
}

pub(super) struct Dom<'a> {
    pub(super) nodes: Vec<Node<'a>>,
    /// Some descendant of the node is a table (so a table with it is layout).
    pub(super) holds_table: Vec<bool>,
    /// A buffer for [`Dom::flat_text`], kept between calls (one per table cell).
    scratch: std::cell::Cell<String>,
}

impl<'a> Dom<'a> {
    pub(super) fn new(arena: &'a Arena) -> Self {
        let mut nodes: Vec<Node<'a>> = Vec::with_capacity(arena.nodes.len());
        let mut open: Vec<usize> = Vec::new();
        let mut links = 0usize;
        // Depth first in document order, without recursion: open a node, then its first
        // child; at a node without children close it and go on to the next sibling of the
        // nearest node (itself or an ancestor) that has one.
        let mut at = Some(0usize);
        while let Some(a) = at {
            let parent = open.last().copied().unwrap_or(0);
            let inherited = open.last().is_some_and(|&p| nodes[p].skip);
            let (tag, el, text) = match arena.nodes[a].kind {
                Kind::Element(e) => {
                    let e = &arena.elems[e as usize];
                    (tag_of(e.name()), Some(e), "")
                }
                Kind::Text(t) => (Tag::Inline, None, &*arena.texts[t as usize]),
                Kind::Document | Kind::Fragment => (Tag::Block, None, ""),
                Kind::Other => (Tag::Skip, None, ""),
            };
            let skip = inherited || tag == Tag::Skip || el.is_some_and(|e| e.hidden);
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
                id: el.and_then(|e| e.id.as_deref()).unwrap_or(""),
                class: el.and_then(|e| e.class.as_deref()).unwrap_or(""),
            });
            open.push(nodes.len() - 1);
            if let Some(c) = arena.first_child(a) {
                at = Some(c);
                continue;
            }
            // Close nodes up the tree until one has a next sibling.
            let mut up = Some(a);
            at = None;
            while let Some(u) = up {
                if let Some(i) = open.pop() {
                    nodes[i].end = nodes.len();
                    if nodes[i].tag == Tag::Link {
                        links = links.saturating_sub(1);
                    }
                }
                if u == 0 {
                    break;
                }
                if let Some(s) = arena.next_sibling(u) {
                    at = Some(s);
                    break;
                }
                up = arena.parent(u);
            }
        }
        let mut holds_table = vec![false; nodes.len()];
        for i in (1..nodes.len()).rev() {
            let n = &nodes[i];
            if holds_table[i] || (n.tag == Tag::Table && !n.skip) {
                holds_table[n.parent] = true;
            }
        }
        Dom {
            nodes,
            holds_table,
            scratch: Default::default(),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The element children of `i`.
    pub(super) fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
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
    pub(super) fn stats(&self, excluded: &[bool]) -> Vec<Stats> {
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
    pub(super) fn is_layout_table(&self, i: usize) -> bool {
        self.holds_table[i]
    }

    /// All text of a subtree, skipped or not (for `<title>`, which sits in `<head>`).
    pub(super) fn raw_text(&self, i: usize) -> (String, Option<&'a str>) {
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
    pub(super) fn flat_text(
        &self,
        i: usize,
        excluded: Option<&[bool]>,
    ) -> (String, Option<&'a str>) {
        let mut raw = self.scratch.take();
        raw.clear();
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
        let text = collapse(&raw);
        self.scratch.set(raw);
        (text, first)
    }

    /// The text of a subtree as lines (block boundaries and `<br>` break lines), with the
    /// first text node of each line (to locate it in the source).
    pub(super) fn lines(&self, i: usize, excluded: &[bool]) -> Vec<Line<'a>> {
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

/// True when a `style` attribute hides the element: `display: none`, `visibility:
/// hidden` or Word's `mso-hide: all` (ASCII case and spaces ignored).
pub(super) fn style_hides(style: &str) -> bool {
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
pub(super) const CHROME_WORDS: &[&str] = &[
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
pub(super) const ARTICLE_WORDS: &[&str] = &[
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

/// Words in ids and classes that name a title (`recover_title`).
pub(super) const TITLE_WORDS: &[&str] = &["title", "biaoti", "bt"];

/// The words of an id or class value: runs of ASCII letters, digits and `_`.
fn words(v: &str) -> impl Iterator<Item = &[u8]> {
    v.as_bytes()
        .split(|c| !c.is_ascii_alphanumeric() && *c != b'_')
        .filter(|w| !w.is_empty())
}

/// The words of an element's id and class attributes.
pub(super) fn name_words<'a>(n: &Node<'a>) -> impl Iterator<Item = &'a [u8]> {
    [n.id, n.class].into_iter().flat_map(words)
}

/// True when a word of an id or class names one of `list` (lower-case words): the same
/// word, a part between underscores, or, for words of five letters or more, contained.
pub(super) fn names_any(n: &Node<'_>, list: &[&str]) -> bool {
    let mut buf = [0u8; 64];
    name_words(n).any(|w| lower(w, &mut buf).is_some_and(|w| word_names(w, list)))
}

/// True when an id or class value has a word that some list of this reader names
/// (chrome, article or title words). A value without one changes no decision, so the
/// prepass leaves it out.
pub(super) fn may_name(value: &str) -> bool {
    let mut buf = [0u8; 64];
    words(value).any(|w| {
        lower(w, &mut buf).is_some_and(|w| {
            [CHROME_WORDS, ARTICLE_WORDS, TITLE_WORDS]
                .iter()
                .any(|list| word_names(w, list))
        })
    })
}

/// The word lower-cased in `buf`; `None` for words longer than 64 bytes (ids and classes
/// are ASCII words; longer ones are not names of chrome).
fn lower<'b>(w: &[u8], buf: &'b mut [u8; 64]) -> Option<&'b [u8]> {
    let lower = buf.get_mut(..w.len())?;
    lower.copy_from_slice(w);
    lower.make_ascii_lowercase();
    Some(lower)
}

/// True when the lower-case word `w` names one of `list` (see [`names_any`]).
fn word_names(w: &[u8], list: &[&str]) -> bool {
    // Parts between underscores differ from the word only when it has one.
    let parted = w.contains(&b'_');
    list.iter().map(|l| l.as_bytes()).any(|l| {
        w == l
            || (l.len() >= 5
                && w.len() > l.len()
                && w.windows(l.len()).any(|x| x[0] == l[0] && x == l))
            || (parted && w.split(|&c| c == b'_').any(|p| p == l))
    })
}

/// True when the id and class of an element name page chrome and not the article.
pub(super) fn names_chrome_words(n: &Node<'_>) -> bool {
    names_any(n, CHROME_WORDS) && !names_any(n, ARTICLE_WORDS)
}
