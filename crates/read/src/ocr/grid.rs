//! Ruled tables in a page image: the ruling lines, then the cell grid with spans.
//!
//! Projection profiles on the binary image, written here: no maintained Rust crate finds
//! table grids (imageproc has Hough lines, which give infinite lines without their extent
//! and cost a dozen crates to build). The method:
//!
//! 1. Horizontal rules: pixel rows holding a long run of ink (longer than any glyph).
//! 2. Vertical rules: between two neighbouring horizontal rules, the pixel columns that
//!    are ink over (nearly) the whole band. Glyph strokes never fill a band, so text
//!    between tables is not mistaken for a table, and the bands that have at least two
//!    such columns are the rows of a table.
//! 3. The elementary grid is every band × every gap between vertical rules; two
//!    neighbouring elementary cells belong to one (merged) cell when the rule between
//!    them is missing.

use super::engine::PxRect;
use super::raster::Ink;

/// One cell of a table found in an image, with its spans in elementary rows/columns.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageCell {
    pub row: usize,
    pub col: usize,
    pub row_span: usize,
    pub col_span: usize,
    /// The inside of the cell (the rules excluded), in pixels.
    pub rect: PxRect,
}

/// A table found in an image: its outer box and its cells in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageTable {
    pub rect: PxRect,
    pub rows: usize,
    pub cols: usize,
    pub cells: Vec<ImageCell>,
}

impl ImageTable {
    /// Scales every box by `k` (the page image was resized by `k`).
    pub fn scale(&mut self, k: f32) {
        let f = |r: PxRect| -> PxRect {
            [
                (r[0] as f32 * k).floor() as u32,
                (r[1] as f32 * k).floor() as u32,
                (r[2] as f32 * k).ceil() as u32,
                (r[3] as f32 * k).ceil() as u32,
            ]
        };
        self.rect = f(self.rect);
        for c in &mut self.cells {
            c.rect = f(c.rect);
        }
    }
}

/// Positions (first, last pixel) of runs of `true` in `flags`, bridging gaps of up
/// to `gap` pixels.
fn runs(flags: &[bool], gap: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, &f) in flags.iter().enumerate() {
        if !f {
            continue;
        }
        match out.last_mut() {
            Some(last) if i <= last.1 + gap + 1 => last.1 = i,
            _ => out.push((i, i)),
        }
    }
    out
}

/// The longest run of ink in a pixel row (bridging holes of up to `gap` pixels): its
/// first pixel and its length.
fn longest_run(row: &[bool], gap: usize) -> (usize, usize) {
    let (mut best, mut start, mut len, mut holes) = ((0, 0), 0, 0, 0);
    for (x, &b) in row.iter().enumerate() {
        if b {
            if len == 0 {
                start = x;
            }
            len += 1 + holes;
            holes = 0;
            if len > best.1 {
                best = (start, len);
            }
        } else if len > 0 {
            holes += 1;
            if holes > gap {
                len = 0;
                holes = 0;
            }
        }
    }
    best
}

/// The median vertical thickness of the ink along a run of row `y` (`run`: first pixel
/// and length): for each of its columns, the ink pixels above and below `y` unbroken.
fn stroke_thickness(ink: &Ink, y: usize, run: (usize, usize)) -> usize {
    let (w, h) = (ink.width as usize, ink.height as usize);
    let mut t: Vec<usize> = (run.0..(run.0 + run.1).min(w))
        .filter(|&x| ink.bits[y * w + x])
        .map(|x| {
            let up = (0..y).rev().take_while(|&yy| ink.bits[yy * w + x]).count();
            let down = (y + 1..h).take_while(|&yy| ink.bits[yy * w + x]).count();
            up + 1 + down
        })
        .collect();
    quantile(&mut t, 2)
}

/// The horizontal thickness of the ink through column `x` over the rows `top..bottom`,
/// its lower quartile: a rule's width, or a slanted ring's (whose upright columns are
/// few). Not the median: a blot over part of a rule must not make the rule thick.
fn stroke_width(ink: &Ink, x: usize, top: usize, bottom: usize) -> usize {
    let w = ink.width as usize;
    let mut t: Vec<usize> = (top..bottom)
        .filter(|&y| ink.bits[y * w + x])
        .map(|y| {
            let row = &ink.bits[y * w..(y + 1) * w];
            let left = row[..x].iter().rev().take_while(|&&b| b).count();
            let right = row[x + 1..].iter().take_while(|&&b| b).count();
            left + 1 + right
        })
        .collect();
    quantile(&mut t, 4)
}

/// The element a `1 / part` of the way up the values (2: the median, 4: the lower
/// quartile); 0 when there are none.
fn quantile(t: &mut [usize], part: usize) -> usize {
    if t.is_empty() {
        return 0;
    }
    let at = t.len() / part;
    *t.select_nth_unstable(at).1
}

/// Finds the ruled tables of a page image at `dpi`.
pub fn tables(ink: &Ink, dpi: u32) -> Vec<ImageTable> {
    let (w, h) = (ink.width as usize, ink.height as usize);
    // A rule is longer than 8 mm; glyphs are at most ~6 mm (a 16 pt character).
    let min_run = (dpi as usize * 8 / 25).max(20);
    let gap = (dpi as usize / 100).max(1);
    // The thickest stroke a rule is: 0.75 mm. A seal's ring is 1–1.5 mm wide, and where
    // it runs level (its bottom, its sides) its chord is longer than a glyph: the
    // thickness tells it from a rule.
    let max_rule = (dpi as usize * 3 / 100).max(3);
    // 1. Rows with a long horizontal run (bridging breaks of noise or JPEG).
    let longest: Vec<(usize, usize)> = (0..h)
        .map(|y| longest_run(&ink.bits[y * w..(y + 1) * w], gap))
        .collect();
    let rule_row: Vec<bool> = longest.iter().map(|r| r.1 >= min_run).collect();
    let hrules: Vec<(usize, usize)> = runs(&rule_row, gap)
        .into_iter()
        .filter(|&(y0, y1)| {
            // The row of the longest run, and the ink's thickness along it.
            let y = (y0..=y1).max_by_key(|&y| longest[y].1).unwrap_or(y0);
            stroke_thickness(ink, y, longest[y]) <= max_rule
        })
        .collect();
    if hrules.len() < 2 {
        return Vec::new();
    }
    // 2. Per band between neighbouring rules, the columns that are ink over the band.
    let mut bands: Vec<Vec<(usize, usize)>> = Vec::new();
    for pair in hrules.windows(2) {
        let (top, bottom) = (pair[0].1 + 1 + gap, pair[1].0.saturating_sub(1 + gap));
        if bottom <= top + 2 {
            bands.push(Vec::new());
            continue;
        }
        let need = ((bottom - top) as f32 * 0.9) as usize;
        let full: Vec<bool> = (0..w)
            .map(|x| (top..bottom).filter(|&y| ink.bits[y * w + x]).count() >= need)
            .collect();
        bands.push(
            runs(&full, gap)
                .into_iter()
                .filter(|r| {
                    r.1 - r.0 < max_rule
                        && stroke_width(ink, (r.0 + r.1) / 2, top, bottom) <= max_rule
                })
                .collect(),
        );
    }
    // 3. Consecutive bands with at least two vertical rules form a table.
    let mut out = Vec::new();
    let mut b = 0;
    while b < bands.len() {
        if bands[b].len() < 2 {
            b += 1;
            continue;
        }
        let start = b;
        while b < bands.len() && bands[b].len() >= 2 {
            b += 1;
        }
        if let Some(t) = table(ink, &hrules[start..=b], &bands[start..b], gap) {
            out.push(t);
        }
    }
    out
}

/// Builds one table from its horizontal rules (n + 1) and the vertical rules of its n
/// bands.
fn table(
    ink: &Ink,
    hrules: &[(usize, usize)],
    bands: &[Vec<(usize, usize)>],
    gap: usize,
) -> Option<ImageTable> {
    let tol = 3 * gap + 2;
    // The column rules of the whole table: every vertical rule of any band, merged.
    let mut xs: Vec<(usize, usize)> = Vec::new();
    let mut all: Vec<(usize, usize)> = bands.iter().flatten().copied().collect();
    all.sort_unstable();
    for r in all {
        match xs.last_mut() {
            Some(last) if r.0 <= last.1 + tol => last.1 = last.1.max(r.1),
            _ => xs.push(r),
        }
    }
    let (rows, cols) = (bands.len(), xs.len().checked_sub(1)?);
    if cols == 0 {
        return None;
    }
    let has_vrule = |band: usize, x: (usize, usize)| {
        bands[band]
            .iter()
            .any(|r| r.0 <= x.1 + tol && r.1 + tol >= x.0)
    };
    // A horizontal rule under row r across column c: ink near the rule's rows over most
    // of the column's width.
    let has_hrule = |r: usize, c: usize| {
        let rule = hrules[r + 1];
        let (x0, x1) = (xs[c].1 + 1 + tol, xs[c + 1].0.saturating_sub(1 + tol));
        if x1 <= x0 {
            return true;
        }
        let y0 = rule.0.saturating_sub(gap);
        let y1 = rule.1 + gap;
        let hit = (x0..x1)
            .filter(|&x| (y0..=y1).any(|y| ink.get(x as u32, y as u32)))
            .count();
        hit * 10 >= (x1 - x0) * 8
    };
    // Union-find over elementary cells joined where a rule is missing.
    let idx = |r: usize, c: usize| r * cols + c;
    let mut parent: Vec<usize> = (0..rows * cols).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for r in 0..rows {
        for c in 0..cols {
            if c + 1 < cols && !has_vrule(r, xs[c + 1]) {
                let (a, b) = (
                    find(&mut parent, idx(r, c)),
                    find(&mut parent, idx(r, c + 1)),
                );
                parent[a] = b;
            }
            if r + 1 < rows && !has_hrule(r, c) {
                let (a, b) = (
                    find(&mut parent, idx(r, c)),
                    find(&mut parent, idx(r + 1, c)),
                );
                parent[a] = b;
            }
        }
    }
    // Each group's bounding range of elementary rows and columns.
    let mut span: Vec<Option<[usize; 4]>> = vec![None; rows * cols];
    for r in 0..rows {
        for c in 0..cols {
            let g = find(&mut parent, idx(r, c));
            let s = span[g].get_or_insert([r, c, r, c]);
            s[0] = s[0].min(r);
            s[1] = s[1].min(c);
            s[2] = s[2].max(r);
            s[3] = s[3].max(c);
        }
    }
    let mut cells: Vec<ImageCell> = span
        .into_iter()
        .flatten()
        .map(|[r0, c0, r1, c1]| ImageCell {
            row: r0,
            col: c0,
            row_span: r1 - r0 + 1,
            col_span: c1 - c0 + 1,
            rect: [
                (xs[c0].1 + 1) as u32,
                (hrules[r0].1 + 1) as u32,
                xs[c1 + 1].0 as u32,
                hrules[r1 + 1].0 as u32,
            ],
        })
        .collect();
    cells.sort_by_key(|c| (c.row, c.col));
    Some(ImageTable {
        rect: [
            xs[0].0 as u32,
            hrules[0].0 as u32,
            (xs[cols].1 + 1) as u32,
            (hrules[rows].1 + 1) as u32,
        ],
        rows,
        cols,
        cells,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page with a 3 × 3 table whose top-left 2 × 2 cells are merged, and text-like
    /// short strokes in some cells.
    fn page() -> Ink {
        let (w, h) = (600u32, 400u32);
        let mut bits = vec![false; (w * h) as usize];
        let mut set = |x: u32, y: u32| bits[(y * w + x) as usize] = true;
        let ys = [50u32, 150, 250, 350];
        let xs = [40u32, 240, 400, 560];
        for &y in &ys {
            for x in 40..=560 {
                if !(y == 150 && x < 400) {
                    set(x, y);
                    set(x, y + 1);
                }
            }
        }
        for &x in &xs {
            for y in 50..=351 {
                if !(x == 240 && y < 250) {
                    set(x, y);
                    set(x + 1, y);
                }
            }
        }
        // A "glyph": a short vertical stroke inside a cell.
        for y in 280..310 {
            set(300, y);
        }
        Ink {
            width: w,
            height: h,
            bits,
        }
    }

    #[test]
    fn finds_the_grid_and_the_merged_cell() {
        let t = tables(&page(), 100);
        assert_eq!(t.len(), 1);
        let t = &t[0];
        assert_eq!((t.rows, t.cols), (3, 3));
        let spans: Vec<(usize, usize, usize, usize)> = t
            .cells
            .iter()
            .map(|c| (c.row, c.col, c.row_span, c.col_span))
            .collect();
        assert_eq!(
            spans,
            vec![
                (0, 0, 2, 2),
                (0, 2, 1, 1),
                (1, 2, 1, 1),
                (2, 0, 1, 1),
                (2, 1, 1, 1),
                (2, 2, 1, 1)
            ]
        );
        assert_eq!(t.cells[0].rect, [42, 52, 400, 250]);
    }

    #[test]
    fn a_seal_ring_across_the_table_is_no_rule() {
        // A ring 6 pixels wide (1.5 mm at 100 dpi) whose bottom runs level through the
        // last row, and whose sides run upright through the first: no row or column more.
        let mut ink = page();
        let (cx, cy, r) = (330.0f32, 230.0f32, 100.0f32);
        for y in 0..ink.height {
            for x in 0..ink.width {
                let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
                if (r - 6.0..r).contains(&d) {
                    ink.bits[(y * ink.width + x) as usize] = true;
                }
            }
        }
        let t = tables(&ink, 100);
        assert_eq!(t.len(), 1);
        assert_eq!((t[0].rows, t[0].cols), (3, 3));
        assert_eq!(t[0].cells.len(), 6);
    }

    #[test]
    fn text_without_rules_is_no_table() {
        let mut ink = page();
        for b in ink.bits.iter_mut() {
            *b = false;
        }
        assert!(tables(&ink, 100).is_empty());
    }
}
