//! Pages → [`Document`]: glyphs → text lines → paragraphs, tables from ruling lines
//! ([`super::table`]) or from text alignment, in reading order, joined across pages.
//!
//! * **Glyphs** printed twice at almost the same place (simulated bold) are kept once.
//! * **Lines**: glyphs whose vertical centres lie within 0.3 em of each other, left to
//!   right. A gap of more than a quarter em between Latin letters is a space.
//! * **Chunks**: a gap wider than [`CHUNK_GAP`] ems splits a line into chunks. A number
//!   printed as several text runs has no such gap and stays one chunk; numbers in
//!   neighbouring columns are always further apart.
//! * **Tables without ruling lines**: a run of lines that have several chunks (with short
//!   wrapped label fragments between them), one at least with a number. The numbers make
//!   the rows, and label text joins the row whose numbers are nearest (see
//!   [`aligned_rows`]); like the text reader's rows, they carry no empty cells.
//! * **Paragraphs**: a line continues the paragraph above when it has the same size, sits
//!   at the usual line pitch, is not indented, and the line above reaches the right
//!   margin; a paragraph may continue on the next page. Page numbers (`- 2 -`, `第 2 页`)
//!   in the top and bottom margins are dropped.
//! * **Across pages**: a ruled table at the top of a page continues a ruled table that
//!   ends the page before when their edges line up ([`super::table::continues`]).

use gongkai_report::{Block, Document, GridCell, Location, Paragraph, Table};

use super::page::{Char, Page};
use super::table::{self, RawTable};

/// A gap wider than this many ems splits a line into chunks (table cells). A space
/// between words is about a quarter em; the digits of one number have no gap at all.
const CHUNK_GAP: f32 = 0.6;

#[derive(Debug, Clone)]
struct TextLine {
    chars: Vec<Char>,
    x0: f32,
    x1: f32,
    top: f32,
    bottom: f32,
    size: f32,
}

impl TextLine {
    fn new(mut chars: Vec<Char>) -> TextLine {
        chars.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let x0 = chars.iter().map(|c| c.x0).fold(f32::MAX, f32::min);
        let x1 = chars.iter().map(|c| c.x1).fold(f32::MIN, f32::max);
        let top = chars.iter().map(|c| c.top).fold(f32::MAX, f32::min);
        let bottom = chars.iter().map(|c| c.bottom).fold(f32::MIN, f32::max);
        let mut sizes: Vec<f32> = chars.iter().map(|c| c.size).collect();
        sizes.sort_by(f32::total_cmp);
        let size = sizes.get(sizes.len() / 2).copied().unwrap_or(10.0).max(1.0);
        TextLine {
            chars,
            x0,
            x1,
            top,
            bottom,
            size,
        }
    }

    fn text(&self) -> String {
        join_chars(&self.chars)
    }

    fn chunks(&self) -> Vec<TextLine> {
        let mut out: Vec<Vec<Char>> = Vec::new();
        let mut last: Option<Char> = None;
        for c in &self.chars {
            let split = last.is_none_or(|p| {
                let (gap, em) = (c.x0 - p.x1, c.size.max(p.size));
                // Two numbers a space apart are two cells; a number's digits touch.
                let digits = |x: char| x.is_ascii_digit() || x == '.' || x == '/';
                gap > CHUNK_GAP * em || (digits(p.ch) && digits(c.ch) && gap > 0.2 * em)
            });
            if split {
                out.push(Vec::new());
            }
            if let Some(chunk) = out.last_mut() {
                chunk.push(*c);
            }
            last = Some(*c);
        }
        // A number at the end of a chunk, a little apart from the label before it, is a
        // cell of its own (`行政许可 26` in a narrow unruled table); a number inside text
        // (`收到 5 件`) is not.
        let mut split: Vec<Vec<Char>> = Vec::with_capacity(out.len());
        for chunk in out {
            let digits = |x: char| x.is_ascii_digit() || x == '.';
            let tail = chunk.iter().rev().take_while(|c| digits(c.ch)).count();
            let k = chunk.len() - tail;
            if tail > 0
                && k > 0
                && chunk[k - 1].ch != '.'
                && !digits(chunk[k - 1].ch)
                && chunk[k].x0 - chunk[k - 1].x1 > 0.2 * chunk[k].size.max(chunk[k - 1].size)
            {
                let (a, b) = chunk.split_at(k);
                split.push(a.to_vec());
                split.push(b.to_vec());
            } else {
                split.push(chunk);
            }
        }
        split.into_iter().map(TextLine::new).collect()
    }

    fn bbox(&self) -> [f32; 4] {
        [self.x0, self.top, self.x1, self.bottom]
    }
}

/// Text of glyphs in a row: a space where Latin words are apart.
fn join_chars(chars: &[Char]) -> String {
    let mut s = String::with_capacity(chars.len() * 3);
    let mut last: Option<&Char> = None;
    for c in chars {
        if let Some(p) = last {
            let gap = c.x0 - p.x1;
            let em = c.size.max(p.size);
            let latin = p.ch.is_ascii_alphanumeric() || c.ch.is_ascii_alphanumeric();
            if (latin && gap > 0.25 * em) || gap > 1.2 * em {
                s.push(' ');
            }
        }
        s.push(c.ch);
        last = Some(c);
    }
    s
}

/// Removes glyphs printed again at (almost) the same place.
fn dedupe(chars: &[Char]) -> Vec<Char> {
    let mut idx: Vec<usize> = (0..chars.len()).collect();
    idx.sort_by(|&a, &b| {
        let (p, q) = (&chars[a], &chars[b]);
        p.ch.cmp(&q.ch)
            .then(p.cy().total_cmp(&q.cy()))
            .then(p.cx().total_cmp(&q.cx()))
    });
    let mut drop = vec![false; chars.len()];
    for k in 0..idx.len() {
        let c = &chars[idx[k]];
        let tol = 0.3 * c.size;
        // Printed twice means next to each other in this order; eight neighbours suffice.
        for &j in idx[..k].iter().rev().take(8) {
            let p = &chars[j];
            if p.ch != c.ch || c.cy() - p.cy() > tol {
                break;
            }
            if !drop[j] && (c.cx() - p.cx()).abs() <= tol {
                drop[idx[k]] = true;
                break;
            }
        }
    }
    chars
        .iter()
        .zip(drop)
        .filter(|(_, d)| !d)
        .map(|(c, _)| *c)
        .collect()
}

fn lines_of(chars: Vec<Char>) -> Vec<TextLine> {
    let mut chars = chars;
    chars.sort_by(|a, b| a.cy().total_cmp(&b.cy()));
    let mut groups: Vec<(f32, f32, Vec<Char>)> = Vec::new(); // (sum cy, max size, chars)
    for c in chars {
        if let Some((sum, size, g)) = groups.last_mut() {
            let cy = *sum / g.len() as f32;
            if (c.cy() - cy).abs() <= 0.3 * size.max(c.size) {
                *sum += c.cy();
                *size = size.max(c.size);
                g.push(c);
                continue;
            }
        }
        groups.push((c.cy(), c.size, vec![c]));
    }
    groups
        .into_iter()
        .map(|(_, _, g)| TextLine::new(g))
        .collect()
}

fn is_numeric(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%' | '-'))
}

fn is_blank_marker(text: &str) -> bool {
    matches!(text.trim(), "/" | "-" | "—" | "——" | "－" | "／" | "无")
}

/// A page number alone on a line: `3`, `- 3 -`, `— 3 —`, `第 3 页`, `第3页 共9页`, `3/9`.
fn is_page_number(text: &str) -> bool {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !"-—–－第页共/·".contains(*c))
        .collect();
    !t.is_empty() && t.len() <= 8 && t.chars().all(|c| c.is_ascii_digit())
}

#[derive(Debug)]
enum Item {
    Line(TextLine),
    Ruled(RawTable),
    Aligned(Vec<TextLine>),
}

impl Item {
    fn top(&self) -> f32 {
        match self {
            Item::Line(l) => l.top,
            Item::Ruled(t) => t.top,
            Item::Aligned(ls) => ls.first().map_or(0.0, |l| l.top),
        }
    }
}

struct PageItems {
    number: u32,
    items: Vec<Item>,
    /// Left margin and right edge of the body text.
    left: f32,
    right: f32,
    /// The usual distance between the baselines of two lines of a paragraph.
    pitch: Option<f32>,
    /// The usual font size of the body text (the pitch is for this size).
    body_size: f32,
}

fn page_items(page: &Page) -> PageItems {
    let chars = dedupe(&page.chars);
    let page = Page {
        chars,
        ..page.clone()
    };
    let (tables, taken) = table::find(&page);
    let free: Vec<Char> = page
        .chars
        .iter()
        .zip(&taken)
        .filter(|(_, t)| !**t)
        .map(|(c, _)| *c)
        .collect();
    let mut lines = lines_of(free);
    lines.retain(|l| {
        let margin = l.bottom > page.height * 0.88 || l.top < page.height * 0.08;
        !(margin && is_page_number(&l.text()))
    });

    // Margins and pitch from the body lines.
    let long: Vec<&TextLine> = lines.iter().filter(|l| l.chars.len() >= 10).collect();
    let left = mode(long.iter().map(|l| l.x0))
        .unwrap_or_else(|| lines.iter().map(|l| l.x0).fold(f32::MAX, f32::min));
    let right = long.iter().map(|l| l.x1).fold(f32::MIN, f32::max).max(left);
    let pitches = lines.windows(2).filter_map(|w| {
        let d = w[1].bottom - w[0].bottom;
        ((w[0].size - w[1].size).abs() < 0.5 && d > 0.0 && d < 2.5 * w[0].size).then_some(d)
    });
    let pitch = mode(pitches);
    let body_size = mode(lines.iter().map(|l| l.size)).unwrap_or(0.0);

    let mut items: Vec<Item> = Vec::new();
    // Tables without ruling lines.
    let lead = leading_labels(&lines);
    let mut i = 0;
    while i < lines.len() {
        if i == 0
            && lead > 0
            && let Some(end) = aligned_table(&lines, lead)
        {
            items.push(Item::Aligned(lines[..end].to_vec()));
            i = end;
        } else if let Some(end) = aligned_table(&lines, i) {
            items.push(Item::Aligned(lines[i..end].to_vec()));
            i = end;
        } else {
            items.push(Item::Line(lines[i].clone()));
            i += 1;
        }
    }
    items.extend(tables.into_iter().map(Item::Ruled));
    items.sort_by(|a, b| a.top().total_cmp(&b.top()));
    PageItems {
        number: page.number,
        items,
        left,
        right,
        pitch,
        body_size,
    }
}

/// The most common value, in steps of half a point.
fn mode(values: impl Iterator<Item = f32>) -> Option<f32> {
    let mut v: Vec<i64> = values
        .filter(|x| x.is_finite())
        .map(|x| (x * 2.0).round() as i64)
        .collect();
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let mut best = (v[0], 0usize);
    let mut run = (v[0], 0usize);
    for x in v {
        if x == run.0 {
            run.1 += 1;
        } else {
            run = (x, 1);
        }
        if run.1 > best.1 {
            best = run;
        }
    }
    Some(best.0 as f32 / 2.0)
}

fn is_tabular(line: &TextLine) -> (bool, usize) {
    let chunks = line.chunks();
    let numbers = chunks
        .iter()
        .filter(|c| {
            let t = c.text();
            is_numeric(&t) || is_blank_marker(&t)
        })
        .count();
    (
        chunks.len() >= 3 || (chunks.len() >= 2 && numbers >= 1),
        numbers,
    )
}

/// The end of a table without ruling lines that starts at `lines[start]`, if one does:
/// tabular lines, and the lines of wrapped labels between them, up to a section heading or
/// a wide vertical gap.
fn aligned_table(lines: &[TextLine], start: usize) -> Option<usize> {
    let (tab, numbers) = is_tabular(&lines[start]);
    if !tab || numbers == 0 {
        return None;
    }
    let mut end = start + 1;
    let mut j = start + 1;
    while j < lines.len() && j - end < 6 {
        let (prev, l) = (&lines[j - 1], &lines[j]);
        if l.top - prev.bottom > 1.5 * l.size.max(prev.size) {
            break;
        }
        let (tab, _) = is_tabular(l);
        if tab {
            j += 1;
            end = j;
        } else if crate::map::heading_number(&l.text()).is_some() {
            break;
        } else {
            j += 1;
        }
    }
    // A table that runs to the foot of the page keeps the label lines below its last row
    // of numbers: they continue on the next page.
    if end < lines.len()
        && lines.len() - end <= 3
        && lines[end..]
            .iter()
            .all(|l| crate::map::heading_number(&l.text()).is_none())
        && lines[end - 1..]
            .windows(2)
            .all(|w| w[1].top - w[0].bottom <= 1.5 * w[1].size.max(w[0].size))
    {
        end = lines.len();
    }
    Some(end)
}

/// The first line of a table without ruling lines that starts a page, when the lines
/// above its first row of numbers continue a table of the page before.
fn leading_labels(lines: &[TextLine]) -> usize {
    let first = lines.iter().take(4).position(|l| is_tabular(l).1 > 0);
    match first {
        Some(k)
            if lines[..k]
                .iter()
                .all(|l| crate::map::heading_number(&l.text()).is_none())
                && lines[..=k]
                    .windows(2)
                    .all(|w| w[1].top - w[0].bottom <= 1.5 * w[1].size.max(w[0].size)) =>
        {
            k
        }
        _ => 0,
    }
}

fn pdf_loc(page: u32, bbox: [f32; 4]) -> Location {
    let r = |v: f32| (v * 10.0).round() / 10.0;
    Location::Pdf {
        page,
        bbox: [r(bbox[0]), r(bbox[1]), r(bbox[2]), r(bbox[3])],
    }
}

fn union(a: [f32; 4], b: [f32; 4]) -> [f32; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

/// A paragraph being built.
struct Para {
    text: String,
    page: u32,
    bbox: [f32; 4],
    last: TextLine,
    last_right: f32,
}

fn starts_item(text: &str) -> bool {
    table::starts_numbered(text)
}

/// Whether `next` continues the paragraph whose last line is `prev`.
fn continues(
    prev: &TextLine,
    prev_right: f32,
    next: &TextLine,
    left: f32,
    pitch: Option<(f32, f32)>,
    same_page: bool,
) -> bool {
    let em = prev.size.max(next.size);
    if (prev.size - next.size).abs() > 0.6 {
        return false;
    }
    if same_page {
        let d = next.bottom - prev.bottom;
        if d <= 0.0 || next.top - prev.bottom > 0.9 * em {
            return false;
        }
        match pitch {
            Some((p, body)) if (next.size - body).abs() < 0.5 => {
                if d > p + 0.15 * em {
                    return false;
                }
            }
            _ => {
                if d > 1.6 * em {
                    return false;
                }
            }
        }
    }
    let full = prev.x1 >= prev_right - 2.5 * em;
    let indented = next.x0 > left + 1.0 * em || next.x0 < left - 1.0 * em;
    let prev_text = prev.text();
    let ends_sentence = prev_text
        .trim_end()
        .ends_with(['。', '：', ':', '；', ';', '！', '？']);
    full && !indented && !(ends_sentence && starts_item(&next.text()))
}

fn join_line_text(text: &mut String, next: &str) {
    if let (Some(p), Some(n)) = (text.chars().last(), next.chars().next())
        && p.is_ascii_alphabetic()
        && n.is_ascii_alphabetic()
    {
        text.push(' ');
    }
    text.push_str(next);
}

enum Pending {
    Para(Para),
    Ruled(RawTable),
    Aligned(Vec<(u32, TextLine)>),
}

/// Builds the document from interpreted pages.
pub fn document(pages: &[Page]) -> Document {
    let mut out: Vec<Pending> = Vec::new();
    for page in pages {
        let pi = page_items(page);
        let mut first_on_page = true;
        for item in pi.items {
            match item {
                Item::Line(line) => {
                    let text = line.text();
                    if let Some(Pending::Para(p)) = out.last_mut() {
                        let same_page = p.page == pi.number;
                        let ok = if same_page {
                            continues(
                                &p.last,
                                pi.right,
                                &line,
                                pi.left,
                                pi.pitch.map(|x| (x, pi.body_size)),
                                true,
                            )
                        } else {
                            first_on_page
                                && p.page + 1 == pi.number
                                && continues(&p.last, p.last_right, &line, pi.left, None, false)
                        };
                        if ok {
                            join_line_text(&mut p.text, &text);
                            if same_page {
                                p.bbox = union(p.bbox, line.bbox());
                            }
                            p.last = line;
                            p.last_right = pi.right;
                            first_on_page = false;
                            continue;
                        }
                    }
                    out.push(Pending::Para(Para {
                        text,
                        page: pi.number,
                        bbox: line.bbox(),
                        last_right: pi.right,
                        last: line,
                    }));
                }
                Item::Ruled(t) => {
                    if first_on_page
                        && let Some(Pending::Ruled(prev)) = out.last_mut()
                        && table::continues(prev, &t)
                    {
                        table::join(prev, t);
                    } else {
                        out.push(Pending::Ruled(t));
                    }
                }
                Item::Aligned(lines) => {
                    let rows: Vec<(u32, TextLine)> =
                        lines.into_iter().map(|l| (pi.number, l)).collect();
                    if first_on_page && let Some(Pending::Aligned(prev)) = out.last_mut() {
                        prev.extend(rows);
                    } else {
                        out.push(Pending::Aligned(rows));
                    }
                }
            }
            first_on_page = false;
        }
    }
    let blocks = out
        .into_iter()
        .map(|p| match p {
            Pending::Para(p) => Block::Paragraph(Paragraph {
                text: p.text.trim().to_string(),
                loc: pdf_loc(p.page, p.bbox),
            }),
            Pending::Ruled(t) => Block::Table(ruled_table(t)),
            Pending::Aligned(lines) => Block::Table(aligned_rows(&lines)),
        })
        .collect();
    Document { blocks }
}

fn ruled_table(t: RawTable) -> Table {
    let mut rows: Vec<Vec<GridCell>> = vec![Vec::new(); t.rows];
    for c in t.cells {
        let Some(row) = rows.get_mut(c.r0) else {
            continue;
        };
        row.push(GridCell {
            text: c.text,
            loc: pdf_loc(c.page, c.bbox),
            row_span: u32::try_from(c.r1.saturating_sub(c.r0).max(1)).unwrap_or(1),
            col_span: u32::try_from(c.c1.saturating_sub(c.c0).max(1)).unwrap_or(1),
        });
    }
    Table { rows }
}

/// Rows of a table without ruling lines.
///
/// The printed numbers (and blank markers) make the rows: numbers whose vertical centres
/// are within 0.3 em of each other are one row. Label text belongs to the row whose
/// numbers are nearest vertically (a label wrapped over three lines has its numbers
/// centred on the middle one); label chunks stacked in one column are joined top to
/// bottom. Text far from every row of numbers (headers) stays a row of its own.
fn aligned_rows(lines: &[(u32, TextLine)]) -> Table {
    struct Row {
        page: u32,
        cy: f32,
        size: f32,
        values: Vec<TextLine>,
        labels: Vec<TextLine>,
    }
    let mut values: Vec<(u32, TextLine)> = Vec::new();
    let mut labels: Vec<(u32, usize, TextLine)> = Vec::new();
    for (k, (page, line)) in lines.iter().enumerate() {
        for c in line.chunks() {
            let t = c.text();
            if is_numeric(&t) || is_blank_marker(&t) {
                values.push((*page, c));
            } else {
                labels.push((*page, k, c));
            }
        }
    }
    // Label columns start where at least two label chunks start. A chunk that runs from
    // one label column into the next, a little apart (`不予处 4.无正当理由…`), is two
    // cells.
    let mut starts: Vec<f32> = labels.iter().map(|(_, _, l)| l.x0).collect();
    starts.sort_by(f32::total_cmp);
    let columns: Vec<f32> = starts
        .windows(2)
        .filter(|w| w[1] - w[0] < 1.0)
        .map(|w| w[0])
        .collect();
    let labels: Vec<(u32, usize, TextLine)> = labels
        .into_iter()
        .flat_map(|(page, k, l)| {
            let mut parts: Vec<Vec<Char>> = vec![Vec::new()];
            let mut last: Option<Char> = None;
            for c in &l.chars {
                let at_column = columns.iter().any(|x| (c.x0 - x).abs() < 0.3 * c.size);
                if let Some(p) = last
                    && at_column
                    && c.x0 - p.x1 > 0.15 * c.size
                {
                    parts.push(Vec::new());
                }
                if let Some(part) = parts.last_mut() {
                    part.push(*c);
                }
                last = Some(*c);
            }
            parts
                .into_iter()
                .filter(|p| !p.is_empty())
                .map(move |p| (page, k, TextLine::new(p)))
        })
        .collect();
    let cy = |l: &TextLine| (l.top + l.bottom) / 2.0;
    values.sort_by(|a, b| a.0.cmp(&b.0).then(cy(&a.1).total_cmp(&cy(&b.1))));
    let mut rows: Vec<Row> = Vec::new();
    for (page, v) in values {
        if let Some(r) = rows.last_mut()
            && r.page == page
            && (cy(&v) - r.cy).abs() <= 0.3 * r.size.max(v.size)
        {
            r.values.push(v);
            continue;
        }
        rows.push(Row {
            page,
            cy: cy(&v),
            size: v.size,
            values: vec![v],
            labels: Vec::new(),
        });
    }
    // Labels far from any row of numbers: rows of their own, one per source line.
    let mut own: Vec<(u32, usize, Vec<TextLine>)> = Vec::new();
    for (page, k, l) in labels {
        // Rows are sorted by page and centre: the nearest is next to the insertion point.
        let at = rows.partition_point(|r| (r.page, r.cy) < (page, cy(&l)));
        let nearest = [at.checked_sub(1), Some(at)]
            .into_iter()
            .flatten()
            .filter(|&i| rows.get(i).is_some_and(|r| r.page == page))
            .min_by(|&a, &b| {
                (rows[a].cy - cy(&l))
                    .abs()
                    .total_cmp(&(rows[b].cy - cy(&l)).abs())
            })
            .map(|i| &mut rows[i]);
        match nearest {
            Some(r) if (r.cy - cy(&l)).abs() <= 1.6 * r.size.max(l.size) => r.labels.push(l),
            _ => match own.last_mut() {
                Some((p, kk, ls)) if *p == page && *kk == k => ls.push(l),
                _ => own.push((page, k, vec![l])),
            },
        }
    }
    for (page, _, ls) in own {
        let cy = ls.iter().map(cy).sum::<f32>() / ls.len() as f32;
        rows.push(Row {
            page,
            cy,
            size: ls[0].size,
            values: Vec::new(),
            labels: ls,
        });
    }
    rows.sort_by(|a, b| a.page.cmp(&b.page).then(a.cy.total_cmp(&b.cy)));
    let rows = rows
        .into_iter()
        .map(|mut r| {
            // Label chunks overlapping horizontally are one cell, read top to bottom.
            r.labels.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            let mut columns: Vec<Vec<TextLine>> = Vec::new();
            for l in r.labels {
                match columns.last_mut() {
                    Some(col) if col.iter().any(|c| l.x0 < c.x1 && c.x0 < l.x1) => col.push(l),
                    _ => columns.push(vec![l]),
                }
            }
            let mut cells: Vec<GridCell> = columns
                .into_iter()
                .map(|mut col| {
                    col.sort_by(|a, b| a.top.total_cmp(&b.top));
                    let mut text = String::new();
                    let mut bbox = col[0].bbox();
                    for c in &col {
                        join_line_text(&mut text, &c.text());
                        bbox = union(bbox, c.bbox());
                    }
                    GridCell::new(text, pdf_loc(r.page, bbox))
                })
                .collect();
            r.values.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            cells.extend(
                r.values
                    .iter()
                    .map(|v| GridCell::new(v.text(), pdf_loc(r.page, v.bbox()))),
            );
            cells
        })
        .collect();
    Table { rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, x: f32, y: f32, size: f32) -> Vec<Char> {
        text.chars()
            .enumerate()
            .map(|(i, c)| {
                let w = if c.is_ascii() { size / 2.0 } else { size };
                Char {
                    ch: c,
                    x0: x + i as f32 * w,
                    x1: x + (i as f32 + 1.0) * w,
                    top: y,
                    bottom: y + size,
                    size,
                }
            })
            .collect()
    }

    #[test]
    fn chunks_keep_numbers_whole() {
        // "110" and ".139" as two runs touching; the next column 40 pt away.
        let mut chars = run("110", 100.0, 10.0, 10.0);
        chars.extend(run(".139", 115.0, 10.0, 10.0));
        chars.extend(run("7", 170.0, 10.0, 10.0));
        let line = TextLine::new(chars);
        let chunks: Vec<String> = line.chunks().iter().map(|c| c.text()).collect();
        assert_eq!(chunks, vec!["110.139", "7"]);
    }

    #[test]
    fn fake_bold_is_read_once() {
        let mut chars = run("总体情况", 10.0, 10.0, 12.0);
        chars.extend(run("总体情况", 10.3, 10.0, 12.0));
        let lines = lines_of(dedupe(&chars));
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].text(), "总体情况");
    }

    #[test]
    fn page_numbers() {
        for t in ["3", "- 3 -", "— 3 —", "第 3 页", "第3页 共9页", "3/9"] {
            assert!(is_page_number(t), "{t}");
        }
        assert!(!is_page_number("2023年"));
        assert!(!is_page_number("—"));
    }
}
