//! Tables drawn with ruling lines: edges → grid → cells with spans; and the joining of a
//! table that continues on the next page.
//!
//! * **Edges** are the axis-aligned stroked lines of a page and its thin filled
//!   rectangles (Word and WPS draw borders as 0.5 pt rectangles; LibreOffice strokes
//!   lines). Collinear pieces are merged.
//! * **Tables** are the connected groups of horizontal and vertical edges with at least
//!   two of each. The grid is every distinct edge position (plus the outer extent, for
//!   tables open at the sides); two neighbouring grid positions belong to one cell when no
//!   edge is drawn between them, so merged cells come out with their row and column spans.
//! * **Text**: every glyph goes to the cell that holds its centre; the lines of a cell
//!   are joined with nothing between CJK characters or digits (a vertical label printed
//!   one character per line reads `三、本年度办理结果`; a number wrapped in a narrow cell
//!   stays one number) and a space between Latin words.
//! * **Joining** ([`join`]): a table at the top of a page that has the outer edges of the
//!   table at the bottom of the previous page continues it. A cell that spans rows and was
//!   cut by the page break (`（四）无` above, `法提供` below) is put back together, and so
//!   is a row cut in two; see [`join`] for when.

use super::page::{Char, Page};

/// Positions closer than this are one grid line (double borders, rounding).
const SNAP: f32 = 3.0;
/// A filled rectangle thinner than this is a ruling line.
const THIN: f32 = 2.5;
/// Most edges of one direction looked at on a page (a report page has a few hundred);
/// a page with more is read as text.
const MAX_EDGES: usize = 2_000;
/// Largest grid of one table.
const MAX_ROWS: usize = 1_000;
const MAX_COLUMNS: usize = 100;

/// An axis-aligned edge: `pos` is the y of a horizontal edge or the x of a vertical one;
/// it runs from `lo` to `hi` along the other axis.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Edge {
    pos: f32,
    lo: f32,
    hi: f32,
}

/// A cell of a ruled table before it becomes a [`gongkai_report::GridCell`].
#[derive(Debug, Clone, PartialEq)]
pub struct RawCell {
    /// First and one-past-last grid row and column.
    pub r0: usize,
    pub r1: usize,
    pub c0: usize,
    pub c1: usize,
    pub text: String,
    pub page: u32,
    /// The cell's box on its page.
    pub bbox: [f32; 4],
}

/// A ruled table on one page (or joined over several).
#[derive(Debug, Clone, PartialEq)]
pub struct RawTable {
    /// Grid column boundaries (x) of the first part, ascending.
    pub xs: Vec<f32>,
    /// Number of grid rows.
    pub rows: usize,
    pub cells: Vec<RawCell>,
    /// The page and box of the last part (where a continuation would attach).
    pub last_page: u32,
    pub last_bottom: f32,
    /// The page and top of the first part.
    pub first_page: u32,
    pub top: f32,
    pub x0: f32,
    pub x1: f32,
}

/// The ruled tables of a page, and for each glyph whether a table took it.
pub fn find(page: &Page) -> (Vec<RawTable>, Vec<bool>) {
    let (h, v) = edges(page);
    let mut taken = vec![false; page.chars.len()];
    if h.len() < 2 || v.len() < 2 || h.len() > MAX_EDGES || v.len() > MAX_EDGES {
        return (Vec::new(), taken);
    }
    let mut tables = Vec::new();
    for (hs, vs) in components(&h, &v) {
        if let Some(t) = grid(page, &hs, &vs, &mut taken) {
            tables.push(t);
        }
    }
    tables.sort_by(|a, b| a.top.total_cmp(&b.top));
    (tables, taken)
}

fn edges(page: &Page) -> (Vec<Edge>, Vec<Edge>) {
    let mut h = Vec::new();
    let mut v = Vec::new();
    for l in &page.lines {
        let (w, ht) = (l.x1 - l.x0, l.bottom - l.top);
        if ht <= 1.0 && w > 1.0 {
            h.push(Edge {
                pos: (l.top + l.bottom) / 2.0,
                lo: l.x0,
                hi: l.x1,
            });
        } else if w <= 1.0 && ht > 1.0 {
            v.push(Edge {
                pos: (l.x0 + l.x1) / 2.0,
                lo: l.top,
                hi: l.bottom,
            });
        }
    }
    let page_area = page.width * page.height;
    for r in &page.rects {
        let (w, ht) = (r.x1 - r.x0, r.bottom - r.top);
        if ht <= THIN && w > ht {
            h.push(Edge {
                pos: (r.top + r.bottom) / 2.0,
                lo: r.x0,
                hi: r.x1,
            });
        } else if w <= THIN && ht > w {
            v.push(Edge {
                pos: (r.x0 + r.x1) / 2.0,
                lo: r.top,
                hi: r.bottom,
            });
        } else if w > THIN && ht > THIN && w * ht < page_area * 0.5 {
            // A shaded cell: its sides are cell borders.
            h.push(Edge {
                pos: r.top,
                lo: r.x0,
                hi: r.x1,
            });
            h.push(Edge {
                pos: r.bottom,
                lo: r.x0,
                hi: r.x1,
            });
            v.push(Edge {
                pos: r.x0,
                lo: r.top,
                hi: r.bottom,
            });
            v.push(Edge {
                pos: r.x1,
                lo: r.top,
                hi: r.bottom,
            });
        }
    }
    (merge(h), merge(v))
}

/// Merges collinear edges that touch or overlap.
fn merge(mut e: Vec<Edge>) -> Vec<Edge> {
    e.retain(|x| x.pos.is_finite() && x.lo.is_finite() && x.hi.is_finite());
    e.sort_by(|a, b| a.pos.total_cmp(&b.pos).then(a.lo.total_cmp(&b.lo)));
    // Group by position (within 1 pt), then merge along the line.
    let mut out: Vec<Edge> = Vec::new();
    let mut i = 0;
    while i < e.len() {
        let mut j = i + 1;
        while j < e.len() && e[j].pos - e[j - 1].pos <= 1.0 {
            j += 1;
        }
        let mut group: Vec<Edge> = e[i..j].to_vec();
        let pos = group.iter().map(|x| x.pos).sum::<f32>() / group.len() as f32;
        group.sort_by(|a, b| a.lo.total_cmp(&b.lo));
        let mut cur = group[0];
        cur.pos = pos;
        for g in &group[1..] {
            if g.lo <= cur.hi + 1.5 {
                cur.hi = cur.hi.max(g.hi);
            } else {
                out.push(cur);
                cur = Edge { pos, ..*g };
            }
        }
        out.push(cur);
        i = j;
    }
    out
}

fn touches(h: &Edge, v: &Edge) -> bool {
    let t = SNAP;
    v.pos >= h.lo - t && v.pos <= h.hi + t && h.pos >= v.lo - t && h.pos <= v.hi + t
}

fn find_root(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// Groups of edges that touch one another.
fn components(h: &[Edge], v: &[Edge]) -> Vec<(Vec<Edge>, Vec<Edge>)> {
    let n = h.len() + v.len();
    let mut parent: Vec<usize> = (0..n).collect();
    // Bounded: a page has at most a few thousand edges (MAX_SHAPES_PER_PAGE caps it).
    for (i, a) in h.iter().enumerate() {
        for (j, b) in v.iter().enumerate() {
            if touches(a, b) {
                let (ra, rb) = (
                    find_root(&mut parent, i),
                    find_root(&mut parent, h.len() + j),
                );
                if ra != rb {
                    parent[ra] = rb;
                }
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<Edge>, Vec<Edge>)> =
        std::collections::BTreeMap::new();
    for (i, e) in h.iter().enumerate() {
        let r = find_root(&mut parent, i);
        groups.entry(r).or_default().0.push(*e);
    }
    for (j, e) in v.iter().enumerate() {
        let r = find_root(&mut parent, h.len() + j);
        groups.entry(r).or_default().1.push(*e);
    }
    groups
        .into_values()
        .filter(|(hs, vs)| hs.len() >= 2 && vs.len() >= 2)
        .collect()
}

/// Sorted positions, with positions closer than [`SNAP`] merged.
fn cluster(mut p: Vec<f32>) -> Vec<f32> {
    p.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    let mut group: Vec<f32> = Vec::new();
    for x in p {
        if let Some(&first) = group.first()
            && x - first > SNAP
        {
            out.push(group.iter().sum::<f32>() / group.len() as f32);
            group.clear();
        }
        group.push(x);
    }
    if !group.is_empty() {
        out.push(group.iter().sum::<f32>() / group.len() as f32);
    }
    out
}

/// True when an edge at `pos` covers `lo..hi` (its middle part at least). `edges` are
/// sorted by position.
fn drawn(edges: &[Edge], pos: f32, lo: f32, hi: f32) -> bool {
    let mid = (lo + hi) / 2.0;
    let first = edges.partition_point(|e| e.pos < pos - SNAP);
    edges[first..]
        .iter()
        .take_while(|e| e.pos <= pos + SNAP)
        .any(|e| {
            e.lo <= lo.max(mid - (hi - lo) * 0.3) + SNAP
                && e.hi >= hi.min(mid + (hi - lo) * 0.3) - SNAP
        })
}

fn grid(page: &Page, hs: &[Edge], vs: &[Edge], taken: &mut [bool]) -> Option<RawTable> {
    let x_lo = hs.iter().map(|e| e.lo).fold(f32::MAX, f32::min);
    let x_hi = hs.iter().map(|e| e.hi).fold(f32::MIN, f32::max);
    let y_lo = vs.iter().map(|e| e.lo).fold(f32::MAX, f32::min);
    let y_hi = vs.iter().map(|e| e.hi).fold(f32::MIN, f32::max);
    let mut xp: Vec<f32> = vs.iter().map(|e| e.pos).collect();
    xp.extend([x_lo, x_hi]);
    let mut yp: Vec<f32> = hs.iter().map(|e| e.pos).collect();
    yp.extend([y_lo, y_hi]);
    let xs = cluster(xp);
    let ys = cluster(yp);
    let (nc, nr) = (xs.len().checked_sub(1)?, ys.len().checked_sub(1)?);
    if nc < 2 || nr < 1 || nc > MAX_COLUMNS || nr > MAX_ROWS {
        return None;
    }
    let mut hs = hs.to_vec();
    let mut vs = vs.to_vec();
    hs.sort_by(|a, b| a.pos.total_cmp(&b.pos));
    vs.sort_by(|a, b| a.pos.total_cmp(&b.pos));
    let (hs, vs) = (&hs[..], &vs[..]);
    // Union of neighbouring grid positions with no edge between them.
    let idx = |r: usize, c: usize| r * nc + c;
    let mut parent: Vec<usize> = (0..nr * nc).collect();
    for r in 0..nr {
        for c in 0..nc {
            if c + 1 < nc && !drawn(vs, xs[c + 1], ys[r], ys[r + 1]) {
                let (a, b) = (
                    find_root(&mut parent, idx(r, c)),
                    find_root(&mut parent, idx(r, c + 1)),
                );
                parent[a] = b;
            }
            if r + 1 < nr && !drawn(hs, ys[r + 1], xs[c], xs[c + 1]) {
                let (a, b) = (
                    find_root(&mut parent, idx(r, c)),
                    find_root(&mut parent, idx(r + 1, c)),
                );
                parent[a] = b;
            }
        }
    }
    let mut spans: std::collections::BTreeMap<usize, (usize, usize, usize, usize, usize)> =
        std::collections::BTreeMap::new();
    for r in 0..nr {
        for c in 0..nc {
            let root = find_root(&mut parent, idx(r, c));
            let e = spans.entry(root).or_insert((r, r + 1, c, c + 1, 0));
            e.0 = e.0.min(r);
            e.1 = e.1.max(r + 1);
            e.2 = e.2.min(c);
            e.3 = e.3.max(c + 1);
            e.4 += 1;
        }
    }
    let mut boxes: Vec<(usize, usize, usize, usize)> = Vec::new();
    for (_, (r0, r1, c0, c1, count)) in spans {
        if count == (r1 - r0) * (c1 - c0) {
            boxes.push((r0, r1, c0, c1));
        } else {
            // Not a rectangle: keep its grid positions as cells of their own.
            for r in r0..r1 {
                for c in c0..c1 {
                    if find_root(&mut parent, idx(r, c)) == find_root(&mut parent, idx(r0, c0))
                        || boxes
                            .iter()
                            .all(|b| !(b.0 <= r && r < b.1 && b.2 <= c && c < b.3))
                    {
                        boxes.push((r, r + 1, c, c + 1));
                    }
                }
            }
        }
    }
    boxes.sort_by_key(|b| (b.0, b.2, b.1, b.3));
    boxes.dedup();
    // A single box around text is a frame, not a table.
    if boxes.len() < 2 {
        return None;
    }
    let (tx0, tx1, ty0, ty1) = (xs[0], xs[nc], ys[0], ys[nr]);
    let mut owner = vec![usize::MAX; nr * nc];
    for (k, b) in boxes.iter().enumerate() {
        for r in b.0..b.1 {
            for c in b.2..b.3 {
                if owner[idx(r, c)] == usize::MAX {
                    owner[idx(r, c)] = k;
                }
            }
        }
    }
    let mut per_cell: Vec<Vec<Char>> = vec![Vec::new(); boxes.len()];
    let mut any_text = false;
    for (i, ch) in page.chars.iter().enumerate() {
        let (cx, cy) = (ch.cx(), ch.cy());
        if cx < tx0 || cx > tx1 || cy < ty0 || cy > ty1 || taken[i] {
            continue;
        }
        let col = xs.partition_point(|x| *x <= cx).clamp(1, nc) - 1;
        let row = ys.partition_point(|y| *y <= cy).clamp(1, nr) - 1;
        if let Some(&k) = owner.get(idx(row, col))
            && k != usize::MAX
        {
            per_cell[k].push(*ch);
            taken[i] = true;
            any_text = true;
        }
    }
    if !any_text {
        return None;
    }
    let cells = boxes
        .iter()
        .zip(per_cell)
        .map(|(&(r0, r1, c0, c1), chars)| RawCell {
            r0,
            r1,
            c0,
            c1,
            text: cell_text(chars),
            page: page.number,
            bbox: [xs[c0], ys[r0], xs[c1], ys[r1]],
        })
        .collect();
    Some(RawTable {
        xs,
        rows: nr,
        cells,
        last_page: page.number,
        last_bottom: ty1,
        first_page: page.number,
        top: ty0,
        x0: tx0,
        x1: tx1,
    })
}

/// Joins the glyphs of one cell into text: lines top to bottom, glyphs left to right.
pub fn cell_text(mut chars: Vec<Char>) -> String {
    if chars.is_empty() {
        return String::new();
    }
    chars.sort_by(|a, b| a.cy().total_cmp(&b.cy()));
    // (sum of centres, largest size, glyphs)
    let mut lines: Vec<(f32, f32, Vec<Char>)> = Vec::new();
    for ch in chars {
        if let Some((sum, size, line)) = lines.last_mut() {
            let cy = *sum / line.len() as f32;
            if (ch.cy() - cy).abs() <= size.max(ch.size) * 0.4 {
                *sum += ch.cy();
                *size = size.max(ch.size);
                line.push(ch);
                continue;
            }
        }
        lines.push((ch.cy(), ch.size, vec![ch]));
    }
    let mut out = String::new();
    for (_, _, mut line) in lines {
        line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        if let (Some(prev), Some(first)) = (out.chars().last(), line.first())
            && prev.is_ascii_alphabetic()
            && first.ch.is_ascii_alphabetic()
        {
            out.push(' ');
        }
        let mut last: Option<Char> = None;
        for ch in line {
            if let Some(p) = last
                && ch.x0 - p.x1 > 0.25 * ch.size.max(p.size)
                && p.ch.is_ascii_alphabetic()
                && ch.ch.is_ascii_alphabetic()
            {
                out.push(' ');
            }
            out.push(ch.ch);
            last = Some(ch);
        }
    }
    out
}

/// True when a label starts with a numbering (`（四）`, `四、`, `2.`): it begins a row of
/// its own and does not continue a cell from the page before.
pub fn starts_numbered(text: &str) -> bool {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(8)
        .collect();
    let numeral = |c: char| "一二三四五六七八九十".contains(c);
    let mut it = t.chars().peekable();
    match it.next() {
        Some('（' | '(') => {
            let mut n = 0;
            while it.peek().is_some_and(|c| numeral(*c)) {
                it.next();
                n += 1;
            }
            n > 0 && matches!(it.next(), Some('）' | ')'))
        }
        Some(c) if numeral(c) => {
            while it.peek().is_some_and(|c| numeral(*c)) {
                it.next();
            }
            matches!(it.next(), Some('、' | '.' | '．'))
        }
        Some(c) if c.is_ascii_digit() => {
            while it.peek().is_some_and(|c| c.is_ascii_digit()) {
                it.next();
            }
            matches!(it.next(), Some('.' | '．' | '、'))
        }
        _ => false,
    }
}

fn is_value(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '/' | '-' | '—' | '－' | '／'))
}

/// Whether table `b` (at the top of a page) continues table `a` (at the bottom of the
/// page before): same left and right edges, and most column lines of the part with fewer
/// columns are column lines of the other (a part may lack the lines of merged cells).
pub fn continues(a: &RawTable, b: &RawTable) -> bool {
    if b.first_page != a.last_page + 1 {
        return false;
    }
    if (a.x0 - b.x0).abs() > SNAP * 2.0 || (a.x1 - b.x1).abs() > SNAP * 2.0 {
        return false;
    }
    let shared =
        b.xs.iter()
            .filter(|x| a.xs.iter().any(|y| (*x - y).abs() <= SNAP))
            .count();
    shared >= 2 && shared * 2 > a.xs.len().min(b.xs.len())
}

/// Appends table `b` (the continuation on the next page) to `a`.
///
/// Columns are put on the union of both parts' column lines. At the page break:
///
/// * `a`'s last row and `b`'s first row are **one row cut by the break** when they have
///   the same columns and every column holds text in at most one part, or label text in
///   both (never a number in one part and anything in the other), and no part below
///   starts with a numbering of its own;
/// * a cell of `a`'s last row and a cell of `b`'s first row with the same columns are
///   **one cell cut by the break** when one of them spans rows (a group label such as
///   `（四）无法提供`, the vertical `三、本年度办理结果`) and the lower part neither starts
///   with a numbering nor is a number.
pub fn join(a: &mut RawTable, mut b: RawTable) {
    drop_repeated_header(a, &mut b);
    let mut all = a.xs.clone();
    for x in &b.xs {
        if all.iter().all(|y| (x - y).abs() > SNAP) {
            all.push(*x);
        }
    }
    all.sort_by(f32::total_cmp);
    let remap = |xs: &[f32], c: usize| -> usize {
        let x = xs[c.min(xs.len().saturating_sub(1))];
        all.iter()
            .enumerate()
            .min_by(|p, q| (p.1 - x).abs().total_cmp(&(q.1 - x).abs()))
            .map_or(0, |(i, _)| i)
    };
    if !a.xs.is_empty() && all.len() != a.xs.len() {
        let old = a.xs.clone();
        for c in &mut a.cells {
            c.c0 = remap(&old, c.c0);
            c.c1 = remap(&old, c.c1);
        }
    }
    if !b.xs.is_empty() {
        for c in &mut b.cells {
            c.c0 = remap(&b.xs, c.c0);
            c.c1 = remap(&b.xs, c.c1);
        }
    }
    a.xs = all;

    let last = a.rows.saturating_sub(1);
    let rows = a.rows;
    // The cell of `a` ending at the break with the same columns as `cb`.
    let pair = |cells: &[RawCell], cb: &RawCell| {
        cells
            .iter()
            .position(|ca| ca.r1 == rows && ca.c0 == cb.c0 && ca.c1 == cb.c1)
    };

    // One row cut in two? Every single-row cell of `b`'s first row continues a cell of
    // `a` without a clash, and every cell of `a`'s last row goes on in `b`.
    let lower_row: Vec<&RawCell> = b.cells.iter().filter(|c| c.r0 == 0 && c.r1 == 1).collect();
    let row_cut = a.rows > 0
        && !lower_row.is_empty()
        && lower_row.iter().all(|cb| {
            pair(&a.cells, cb).is_some_and(|ai| {
                let ca = &a.cells[ai];
                let (ea, eb) = (ca.text.trim().is_empty(), cb.text.trim().is_empty());
                let compatible = ea || eb || (!is_value(&ca.text) && !is_value(&cb.text));
                compatible && !starts_numbered(&cb.text)
            })
        })
        && a.cells
            .iter()
            .filter(|ca| ca.r0 == last && ca.r1 == rows)
            .all(|ca| {
                b.cells
                    .iter()
                    .any(|cb| cb.r0 == 0 && cb.c0 == ca.c0 && cb.c1 == ca.c1)
            });
    let shift = if row_cut { last } else { a.rows };

    let mut keep = Vec::with_capacity(b.cells.len());
    for mut cb in std::mem::take(&mut b.cells) {
        if cb.r0 == 0
            && let Some(ai) = pair(&a.cells, &cb)
        {
            let ca = &a.cells[ai];
            let spanning = ca.r1 - ca.r0 > 1 || cb.r1 - cb.r0 > 1;
            let same_row = row_cut && ca.r0 == last;
            if same_row || (spanning && !starts_numbered(&cb.text) && !is_value(&cb.text)) {
                let ca = &mut a.cells[ai];
                join_text(&mut ca.text, &cb.text);
                ca.r1 = shift + cb.r1;
                continue;
            }
        }
        cb.r0 += shift;
        cb.r1 += shift;
        keep.push(cb);
    }
    a.cells.extend(keep);
    a.rows = shift + b.rows;
    a.last_page = b.last_page;
    a.last_bottom = b.last_bottom;
    a.cells.sort_by_key(|c| (c.r0, c.c0));
}

/// Removes from `b` the header rows that repeat `a`'s first rows (Word's "repeat as header
/// row", typst's table headers): the first `k` rows of both hold the same cells, none of
/// them reaching below row `k`.
fn drop_repeated_header(a: &RawTable, b: &mut RawTable) {
    let cells_of = |t: &RawTable, k: usize| -> Option<Vec<(usize, usize, String)>> {
        let mut v: Vec<(usize, usize, String)> = Vec::new();
        for c in t.cells.iter().filter(|c| c.r0 < k) {
            if c.r1 > k {
                return None;
            }
            let x = |i: usize| t.xs.get(i).copied().unwrap_or(0.0).round() as usize;
            v.push((
                c.r0 * 100_000 + x(c.c0),
                c.r1 * 100_000 + x(c.c1),
                c.text.clone(),
            ));
        }
        v.sort();
        Some(v)
    };
    let mut best = 0;
    for k in 1..a.rows.min(b.rows) {
        match (cells_of(a, k), cells_of(b, k)) {
            (Some(x), Some(y)) if !x.is_empty() && x == y => best = k,
            _ => {}
        }
        if k >= 8 {
            break;
        }
    }
    if best > 0 {
        b.cells.retain(|c| c.r0 >= best);
        for c in &mut b.cells {
            c.r0 -= best;
            c.r1 -= best;
        }
        b.rows -= best;
    }
}

fn join_text(upper: &mut String, lower: &str) {
    if let (Some(p), Some(n)) = (upper.chars().last(), lower.chars().next())
        && p.is_ascii_alphabetic()
        && n.is_ascii_alphabetic()
    {
        upper.push(' ');
    }
    upper.push_str(lower);
}

#[cfg(test)]
mod tests;
