//! The HTML reader: a government web page (or a Word document saved as a web page) →
//! [`Document`].
//!
//! Four steps, each principled rather than tuned to one site:
//!
//! 1. **Decode** ([`decode`]): a byte-order mark wins, then the page's own `<meta charset>`
//!    or `http-equiv` content type, then `chardetng` (GBK/GB2312 pages are common). A
//!    declaration that the bytes contradict (a page labelled GB2312 that is valid UTF-8,
//!    a page labelled UTF-8 that is not) is overruled by the bytes.
//! 2. **Parse** with html5ever (the browsers' algorithm) into a small arena of its own
//!    (`sink.rs`: tag names, the five attributes read, text), then flatten the tree in
//!    document order so every later pass is a loop, never a recursion: deeply nested input
//!    cannot overflow the stack. The parser is given the page thinned to what is read
//!    (`prepass.rs`: no scripts, style sheets, comments, styling spans or attributes other
//!    than `rowspan`, `colspan`, hiding ones and an `id` or `class` that names chrome, the
//!    article or a title), which is a tenth to a half of a real page's bytes.
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

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};
use gongkai_report::{Block, Document, GridCell, Location, Paragraph, Table};

use crate::ReadError;
use crate::map::heading_number;
use crate::norm::norm;

mod decode;
mod dom;
mod emit;
mod lines;
mod locate;
mod prepass;
mod sink;
#[cfg(test)]
mod tests;
mod tokens;

#[cfg(test)]
use decode::*;
pub use decode::{decode, looks_like_html};
use dom::*;
use emit::*;
#[cfg(test)]
pub(crate) use lines::is_wide;
use lines::*;
pub(crate) use lines::{collapse, join_all, paragraphs};
use locate::*;
#[cfg(test)]
use prepass::*;
use sink::{Arena, Elem, Kind};

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

/// Reads decoded HTML into a document.
pub fn read_str(source: &str) -> Document {
    // The parser sees the page thinned (no scripts, style sheets, comments, styling
    // spans or unread attributes: often most of the bytes); paragraphs are still
    // located in `source`.
    let arena = tokens::parse(source);
    let dom = Dom::new(&arena);
    if dom.len() < 2 {
        return Document::default();
    }
    let mut excluded = vec![false; dom.len()];
    let first = dom.stats(&excluded);
    let body = (0..dom.len())
        .find(|&i| dom.nodes[i].tag == Tag::Body && !dom.nodes[i].skip)
        .unwrap_or(0);
    mark_chrome(&dom, &first, body, &mut excluded);
    // Counted again only when chrome was dropped.
    let stats = if excluded.contains(&true) {
        dom.stats(&excluded)
    } else {
        first
    };
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

/// Drops page chrome: elements named like chrome and link lists, when they hold no table
/// and little of the page's text.
fn mark_chrome<'a>(dom: &Dom<'a>, stats: &[Stats], body: usize, excluded: &mut [bool]) {
    let total = stats[body].chars as f64;
    // Pages repeat a few class names on every paragraph and cell: each is judged once.
    let mut named: std::collections::HashMap<(&'a str, &'a str), bool> = Default::default();
    let mut i = body + 1;
    while i < dom.nodes[body].end {
        let n = &dom.nodes[i];
        let s = stats[i];
        let candidate =
            n.el.is_some() && !n.skip && s.tables == 0 && (s.chars as f64) < CHROME_SHARE * total;
        let link_list = (n.tag == Tag::List && s.links >= 2 && s.link_chars >= s.chars)
            || (s.links >= 3 && s.link_chars >= 4 * s.chars);
        let names_chrome = |named: &mut std::collections::HashMap<_, _>| {
            n.el.is_some_and(|e| matches!(e.name(), "header" | "footer"))
                || (!(n.id.is_empty() && n.class.is_empty())
                    && *named
                        .entry((n.id, n.class))
                        .or_insert_with(|| names_chrome_words(n)))
        };
        if candidate && (link_list || (n.tag != Tag::Table && names_chrome(&mut named))) {
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
            let named = n.tag == Tag::Heading || names_any(n, TITLE_WORDS);
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
