//! Photographed pages: a page shot at an angle is a perspective view of a flat sheet, so
//! its ruled tables are quadrilaterals rather than rectangles, their rules slanting by
//! different angles. The outer border of the largest ruled table gives the quadrilateral;
//! the homography that maps it to a rectangle, applied to the whole page, makes every rule
//! of the page straight and upright again, and the grid code then runs as on a scan.
//!
//! Written here: `imageproc` (its `Projection::from_control_points` and `warp`) is not in
//! the workspace and would bring `nalgebra` and a dozen crates for a 3 × 3 matrix.
//!
//! 1. The ink's connected components, by runs; the largest one that spans a third of the
//!    page's width and an inch of its height is a table's ruling (its rules all touch).
//! 2. Its four corners are its extreme points (smallest and largest x + y and x − y);
//!    each border is then fitted as a straight line through the outer rule between two
//!    corners, and the corners are the lines' intersections.
//! 3. When the borders are straight and parallel in pairs (a scan, or a page turned on
//!    the glass) nothing is done: deskewing handles a turn. Otherwise the page is warped
//!    (bilinear) so that the quadrilateral becomes a rectangle of its mean side lengths.

use image::{GrayImage, Luma};

use super::raster::Ink;

/// A point in pixels.
type Pt = (f64, f64);

/// The quadrilateral of a table's outer border: top left, top right, bottom right,
/// bottom left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quad(pub [Pt; 4]);

/// Below this many pixels of departure from a (possibly turned) rectangle, a border is
/// left to deskewing.
pub const MIN_DEPARTURE_PX: f64 = 2.5;

/// The transform that undoes a page's perspective: [`Rectify::apply`] it to the page's
/// images.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rectify {
    /// Rectified pixel → page pixel.
    back: Homography,
    width: u32,
    height: u32,
}

impl Rectify {
    pub fn apply(&self, img: &GrayImage) -> GrayImage {
        warp(img, &self.back, self.width, self.height)
    }

    /// The point of the photographed page that the point `(x, y)` of the rectified page
    /// was taken from (pixel coordinates, as [`Rectify::apply`] samples them).
    pub fn to_page(&self, x: f64, y: f64) -> (f64, f64) {
        apply(&self.back, (x, y))
    }

    /// The rectified page's width and height.
    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }
}

/// The page with its perspective undone, or `None` when it has no table whose border
/// shows a perspective (see the module's notes).
#[cfg(test)]
fn rectify(gray: &GrayImage, ink: &Ink, dpi: u32) -> Option<GrayImage> {
    Some(rectifier(gray, ink, dpi)?.apply(gray))
}

/// The transform undoing the perspective of the page `gray` (with its ink), or `None`
/// when it has no table whose border shows a perspective.
pub fn rectifier(gray: &GrayImage, ink: &Ink, dpi: u32) -> Option<Rectify> {
    let quad = table_quad(ink, dpi)?;
    if departure(&quad) < MIN_DEPARTURE_PX {
        return None;
    }
    let [tl, tr, br, bl] = quad.0;
    let width = (dist(tl, tr) + dist(bl, br)) / 2.0;
    let height = (dist(tl, bl) + dist(tr, br)) / 2.0;
    // The rectangle where the quadrilateral's mean position is.
    let left = (tl.0 + bl.0) / 2.0;
    let top = (tl.1 + tr.1) / 2.0;
    let rect = [
        (left, top),
        (left + width, top),
        (left + width, top + height),
        (left, top + height),
    ];
    // Page → rectified; the page's corners say how large the result must be.
    let forward = homography(&quad.0, &rect)?;
    let (w, h) = (gray.width() as f64, gray.height() as f64);
    let corners = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)].map(|p| apply(&forward, p));
    let min_x = corners
        .iter()
        .map(|p| p.0)
        .fold(f64::MAX, f64::min)
        .max(-w * 0.25);
    let min_y = corners
        .iter()
        .map(|p| p.1)
        .fold(f64::MAX, f64::min)
        .max(-h * 0.25);
    let max_x = corners
        .iter()
        .map(|p| p.0)
        .fold(f64::MIN, f64::max)
        .min(w * 1.25);
    let max_y = corners
        .iter()
        .map(|p| p.1)
        .fold(f64::MIN, f64::max)
        .min(h * 1.25);
    let out_w = (max_x - min_x).ceil().max(1.0) as u32;
    let out_h = (max_y - min_y).ceil().max(1.0) as u32;
    // Rectified (shifted by the minimum) → page, for each pixel of the result.
    let shifted = rect.map(|p| (p.0 - min_x, p.1 - min_y));
    let back = homography(&shifted, &quad.0)?;
    Some(Rectify {
        back,
        width: out_w,
        height: out_h,
    })
}

fn dist(a: Pt, b: Pt) -> f64 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

/// How far, in pixels, the quadrilateral is from a turned rectangle: the spread of the
/// slopes of its opposite sides, and of the two directions from perpendicular, times the
/// sides' lengths.
pub fn departure(q: &Quad) -> f64 {
    let [tl, tr, br, bl] = q.0;
    // Horizontal sides: dy/dx; vertical sides: dx/dy (a turn by θ gives tan θ and −tan θ).
    let slope_h = |a: Pt, b: Pt| (b.1 - a.1) / (b.0 - a.0);
    let slope_v = |a: Pt, b: Pt| (b.0 - a.0) / (b.1 - a.1);
    let (top, bottom) = (slope_h(tl, tr), slope_h(bl, br));
    let (left, right) = (slope_v(tl, bl), slope_v(tr, br));
    let width = dist(tl, tr).max(dist(bl, br));
    let height = dist(tl, bl).max(dist(tr, br));
    let square = ((top + bottom) / 2.0 + (left + right) / 2.0).abs() * width.max(height);
    ((top - bottom).abs() * width)
        .max((left - right).abs() * height)
        .max(square)
}

/// A connected component's extremes: for each of the corners, the point with the
/// extreme x + y or x − y, and the bounding box.
#[derive(Debug, Clone, Copy)]
struct Extremes {
    tl: (i64, Pt),
    tr: (i64, Pt),
    br: (i64, Pt),
    bl: (i64, Pt),
    bbox: [u32; 4],
}

impl Extremes {
    fn new(y: u32, x0: u32, x1: u32) -> Extremes {
        let (y, a, b) = (y as i64, x0 as i64, x1 as i64);
        let p = |x: i64| (x as f64, y as f64);
        Extremes {
            tl: (a + y, p(a)),
            tr: (b - y, p(b)),
            br: (b + y, p(b)),
            bl: (a - y, p(a)),
            bbox: [x0, y as u32, x1 + 1, y as u32 + 1],
        }
    }

    fn merge(&mut self, o: &Extremes) {
        if o.tl.0 < self.tl.0 {
            self.tl = o.tl;
        }
        if o.tr.0 > self.tr.0 {
            self.tr = o.tr;
        }
        if o.br.0 > self.br.0 {
            self.br = o.br;
        }
        if o.bl.0 < self.bl.0 {
            self.bl = o.bl;
        }
        self.bbox = [
            self.bbox[0].min(o.bbox[0]),
            self.bbox[1].min(o.bbox[1]),
            self.bbox[2].max(o.bbox[2]),
            self.bbox[3].max(o.bbox[3]),
        ];
    }
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The extremes of the largest connected component of ink (8-connected) that is as
/// large as a table: a third of the width, an inch high.
fn largest_table(ink: &Ink, dpi: u32) -> Option<Extremes> {
    let (w, h) = (ink.width, ink.height);
    // Runs of ink per row: (x0, x1) inclusive, with the index of their first run.
    let mut runs: Vec<(u32, u32, u32)> = Vec::new();
    let mut row_start: Vec<usize> = Vec::with_capacity(h as usize + 1);
    for y in 0..h {
        row_start.push(runs.len());
        let row = &ink.bits[(y * w) as usize..((y + 1) * w) as usize];
        let mut x = 0usize;
        while x < row.len() {
            if row[x] {
                let s = x;
                while x < row.len() && row[x] {
                    x += 1;
                }
                runs.push((y, s as u32, x as u32 - 1));
            } else {
                x += 1;
            }
        }
    }
    row_start.push(runs.len());
    let mut parent: Vec<usize> = (0..runs.len()).collect();
    for y in 1..h as usize {
        let (prev, cur) = (
            row_start[y - 1]..row_start[y],
            row_start[y]..row_start[y + 1],
        );
        let mut p = prev.start;
        for c in cur {
            let (_, c0, c1) = runs[c];
            // Skip the previous row's runs that end before this one can touch them.
            while p < prev.end && runs[p].2 + 1 < c0 {
                p += 1;
            }
            let mut q = p;
            while q < prev.end && runs[q].1 <= c1 + 1 {
                let (a, b) = (find(&mut parent, c), find(&mut parent, q));
                if a != b {
                    parent[a] = b;
                }
                q += 1;
            }
        }
    }
    // Each root's component, numbered in order of appearance.
    let mut number = vec![u32::MAX; runs.len()];
    let mut comps: Vec<Extremes> = Vec::new();
    for (i, &(y, x0, x1)) in runs.iter().enumerate() {
        let root = find(&mut parent, i);
        let e = Extremes::new(y, x0, x1);
        match number[root] {
            u32::MAX => {
                number[root] = comps.len() as u32;
                comps.push(e);
            }
            n => comps[n as usize].merge(&e),
        }
    }
    comps
        .into_iter()
        .filter(|c| c.bbox[2] - c.bbox[0] >= w / 3 && c.bbox[3] - c.bbox[1] >= dpi)
        .max_by_key(|c| (c.bbox[2] - c.bbox[0]) as u64 * (c.bbox[3] - c.bbox[1]) as u64)
}

/// A straight line through points, fitted by least squares as `v = a + b·u` (for a
/// horizontal border u = x, v = y; for a vertical one u = y, v = x), dropping the points
/// far from a first fit (text touching the rule).
fn fit(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let ls = |pts: &[(f64, f64)]| -> Option<(f64, f64)> {
        let n = pts.len() as f64;
        if pts.len() < 4 {
            return None;
        }
        let (su, sv) = pts.iter().fold((0.0, 0.0), |s, p| (s.0 + p.0, s.1 + p.1));
        let (mu, mv) = (su / n, sv / n);
        let (mut suu, mut suv) = (0.0, 0.0);
        for p in pts {
            suu += (p.0 - mu) * (p.0 - mu);
            suv += (p.0 - mu) * (p.1 - mv);
        }
        if suu <= 0.0 {
            return None;
        }
        let b = suv / suu;
        Some((mv - b * mu, b))
    };
    let (a, b) = ls(points)?;
    let kept: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|p| (p.1 - (a + b * p.0)).abs() <= 2.0)
        .collect();
    if kept.len() * 2 < points.len() {
        return None;
    }
    ls(&kept)
}

/// Points on the outer rule between corners `from` and `to`: at evenly spaced places
/// along the side, the middle of the run of ink nearest the side, searched across it
/// within `reach` pixels. `vertical`: the side runs top to bottom.
fn border_points(ink: &Ink, from: Pt, to: Pt, vertical: bool, reach: i64) -> Vec<(f64, f64)> {
    const SAMPLES: usize = 60;
    let mut out = Vec::with_capacity(SAMPLES);
    for i in 0..SAMPLES {
        let t = 0.05 + 0.9 * i as f64 / (SAMPLES - 1) as f64;
        let (x, y) = (from.0 + t * (to.0 - from.0), from.1 + t * (to.1 - from.1));
        // Along the side: u; across it: v.
        let (u, v) = if vertical { (y, x) } else { (x, y) };
        let at = |v: i64| -> bool {
            let (x, y) = if vertical {
                (v, u as i64)
            } else {
                (u as i64, v)
            };
            x >= 0 && y >= 0 && ink.get(x as u32, y as u32)
        };
        let c = v.round() as i64;
        // The nearest ink within reach, then the run it is in.
        let Some(hit) = (0..=reach).find_map(|d| {
            if at(c - d) {
                Some(c - d)
            } else if at(c + d) {
                Some(c + d)
            } else {
                None
            }
        }) else {
            continue;
        };
        let (mut lo, mut hi) = (hit, hit);
        while at(lo - 1) && hit - lo < reach {
            lo -= 1;
        }
        while at(hi + 1) && hi - hit < reach {
            hi += 1;
        }
        out.push((u, (lo + hi) as f64 / 2.0));
    }
    out
}

/// The outer border of the page's largest ruled table, from fitted lines.
pub fn table_quad(ink: &Ink, dpi: u32) -> Option<Quad> {
    let e = largest_table(ink, dpi)?;
    let (tl, tr, br, bl) = (e.tl.1, e.tr.1, e.br.1, e.bl.1);
    let reach = (dpi / 40).max(3) as i64;
    let top = fit(&border_points(ink, tl, tr, false, reach))?;
    let bottom = fit(&border_points(ink, bl, br, false, reach))?;
    let left = fit(&border_points(ink, tl, bl, true, reach))?;
    let right = fit(&border_points(ink, tr, br, true, reach))?;
    // y = a + b·x meets x = c + d·y.
    let meet = |(a, b): (f64, f64), (c, d): (f64, f64)| -> Option<Pt> {
        let den = 1.0 - d * b;
        if den.abs() < 1e-9 {
            return None;
        }
        let x = (c + d * a) / den;
        Some((x, a + b * x))
    };
    Some(Quad([
        meet(top, left)?,
        meet(top, right)?,
        meet(bottom, right)?,
        meet(bottom, left)?,
    ]))
}

/// A 3 × 3 projective transform, row major, the last entry 1.
type Homography = [f64; 9];

/// The homography mapping each of `from` onto the matching point of `to`.
fn homography(from: &[Pt; 4], to: &[Pt; 4]) -> Option<Homography> {
    // x' = (h0 x + h1 y + h2) / (h6 x + h7 y + 1), y' likewise with h3, h4, h5.
    let mut m = [[0.0f64; 9]; 8];
    for i in 0..4 {
        let ((x, y), (u, v)) = (from[i], to[i]);
        m[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -x * u, -y * u, u];
        m[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -x * v, -y * v, v];
    }
    // Gaussian elimination with partial pivoting.
    for col in 0..8 {
        let pivot = (col..8).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))?;
        if m[pivot][col].abs() < 1e-12 {
            return None;
        }
        m.swap(col, pivot);
        let lead = m[col];
        for (row, r) in m.iter_mut().enumerate() {
            if row != col {
                let f = r[col] / lead[col];
                for (x, l) in r.iter_mut().zip(lead).skip(col) {
                    *x -= f * l;
                }
            }
        }
    }
    let mut h = [0.0; 9];
    for (i, hi) in h.iter_mut().take(8).enumerate() {
        *hi = m[i][8] / m[i][i];
    }
    h[8] = 1.0;
    Some(h)
}

fn apply(h: &Homography, (x, y): Pt) -> Pt {
    let d = h[6] * x + h[7] * y + h[8];
    (
        (h[0] * x + h[1] * y + h[2]) / d,
        (h[3] * x + h[4] * y + h[5]) / d,
    )
}

/// The image of size `w` × `h` whose pixel p is the source's pixel `back(p)` (bilinear;
/// outside the source is white).
fn warp(src: &GrayImage, back: &Homography, w: u32, h: u32) -> GrayImage {
    let (sw, sh) = (src.width() as f64, src.height() as f64);
    let raw = src.as_raw();
    let stride = src.width() as usize;
    let mut out = GrayImage::new(w, h);
    for (x, y, px) in out.enumerate_pixels_mut() {
        let (sx, sy) = apply(back, (x as f64, y as f64));
        *px = Luma([if sx < 0.0 || sy < 0.0 || sx > sw - 1.0 || sy > sh - 1.0 {
            255
        } else {
            let (x0, y0) = (sx.floor() as usize, sy.floor() as usize);
            let (x1, y1) = (
                (x0 + 1).min(stride - 1),
                (y0 + 1).min(src.height() as usize - 1),
            );
            let (fx, fy) = (sx - x0 as f64, sy - y0 as f64);
            let p = |x: usize, y: usize| raw[y * stride + x] as f64;
            let top = p(x0, y0) * (1.0 - fx) + p(x1, y0) * fx;
            let bottom = p(x0, y1) * (1.0 - fx) + p(x1, y1) * fx;
            (top * (1.0 - fy) + bottom * fy).round() as u8
        }]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white page with a ruled 4 × 3 table, seen through `h` (page → photo).
    fn photographed(h: Option<&Homography>) -> GrayImage {
        let table = GrayImage::from_fn(800, 600, |x, y| {
            let rule = |v: u32, lo: u32, hi: u32, every: u32| {
                (lo..=hi).contains(&v) && (v - lo) % every < 3
            };
            let inside = (100..=703).contains(&x) && (100..=503).contains(&y);
            Luma([
                if inside && (rule(x, 100, 703, 150) || rule(y, 100, 503, 100)) {
                    0
                } else {
                    255
                },
            ])
        });
        match h {
            // The photo's pixel p shows the page's pixel back(p).
            Some(h) => warp(&table, h, 800, 600),
            None => table,
        }
    }

    fn ink(img: &GrayImage) -> Ink {
        Ink::new(img)
    }

    #[test]
    fn a_straight_table_is_left_alone() {
        let page = photographed(None);
        let q = table_quad(&ink(&page), 100).unwrap();
        assert!(departure(&q) < 1.0, "{q:?}");
        assert!(rectify(&page, &ink(&page), 100).is_none());
    }

    #[test]
    fn a_perspective_is_undone() {
        // Where the corners of the page's table are in the photo.
        // (The border's rules are 3 pixels wide: their middle lines.)
        let page_quad = [
            (101.0, 101.0),
            (701.0, 101.0),
            (701.0, 501.0),
            (101.0, 501.0),
        ];
        let photo_quad = [
            (130.0, 120.0),
            (690.0, 95.0),
            (670.0, 520.0),
            (110.0, 490.0),
        ];
        let back = homography(&photo_quad, &page_quad).unwrap();
        let photo = photographed(Some(&back));
        let q = table_quad(&ink(&photo), 100).unwrap();
        for (found, want) in q.0.iter().zip(photo_quad) {
            assert!(dist(*found, want) < 2.5, "{q:?}");
        }
        assert!(departure(&q) > 10.0);
        let straight = rectify(&photo, &ink(&photo), 100).unwrap();
        let q = table_quad(&ink(&straight), 100).unwrap();
        assert!(departure(&q) < 1.5, "{q:?}");
        // Each rule is one straight pixel row again: the table's rows are found.
        let tables = super::super::grid::tables(&Ink::new(&straight), 100);
        assert_eq!(tables.len(), 1);
        assert_eq!((tables[0].rows, tables[0].cols), (4, 4));
    }

    #[test]
    fn homography_maps_the_corners() {
        let a = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let b = [(1.0, 2.0), (12.0, 1.0), (11.0, 13.0), (0.0, 11.0)];
        let h = homography(&a, &b).unwrap();
        for (p, q) in a.iter().zip(b) {
            assert!(dist(apply(&h, *p), q) < 1e-9);
        }
    }
}
