//! The page's own digits: a nearest-neighbour reader of printed digits, learnt from the
//! values of the same page that both models read alike and confidently.
//!
//! Tesseract's models know every font and so are unsure of a lone noisy or blurred digit
//! (a 7 read as 了, a 53 as 28 at 30 %). A report prints all its values in one font at
//! one size, and a page holds a hundred values read beyond doubt: their digits, cut out
//! one by one, are examples of exactly this print, this resolution and this noise. A
//! doubtful value's digits are compared with them (normalised cross-correlation on a
//! fixed grid, plus the width-to-height ratio that tells 1 from 7). The reading counts
//! only when every digit is clearly nearer one digit's examples than any other's; it is
//! evidence beside the models' readings, not a replacement for them
//! ([`super::cells::settle_by_glyphs`]).
//!
//! Written here: no maintained crate classifies glyphs against examples taken from the
//! page itself; the method is ~250 lines.

use image::GrayImage;

use super::engine::PxRect;
use super::raster;

/// The grid a glyph is sampled on.
const GRID_W: usize = 16;
const GRID_H: usize = 24;

/// At most this many examples of one digit are kept (the nearest-neighbour search
/// compares a glyph with every example).
const MAX_EXAMPLES: usize = 40;

/// A digit is read only when its nearest example is at most this far
/// (1 − correlation, plus the ratio term)…
pub const MAX_DISTANCE: f32 = 0.25;
/// …and the nearest example of any other digit is this much farther.
pub const MIN_MARGIN: f32 = 0.08;

/// Weight of the difference of the width-to-height ratios (as a log) in the distance.
const RATIO_WEIGHT: f32 = 0.5;

/// One glyph cut out of a value: its features.
#[derive(Debug, Clone)]
struct Glyph {
    /// Ink darkness on the grid, mean 0, length 1.
    pixels: Vec<f32>,
    /// Width over height.
    ratio: f32,
}

impl Glyph {
    fn distance(&self, other: &Glyph) -> f32 {
        let corr: f32 = self
            .pixels
            .iter()
            .zip(&other.pixels)
            .map(|(a, b)| a * b)
            .sum();
        1.0 - corr + RATIO_WEIGHT * (self.ratio / other.ratio).ln().abs()
    }
}

/// The digits learnt from one page.
#[derive(Debug, Default)]
pub struct Glyphs {
    /// Examples per digit 0–9.
    examples: [Vec<Glyph>; 10],
}

/// A value read by the page's digits.
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphReading {
    pub text: String,
    /// The smallest margin of any of its digits (second-nearest digit's distance minus
    /// the nearest's).
    pub margin: f32,
}

impl Glyphs {
    /// Learns from a value read beyond doubt (`text`, digits only) in the region `area`
    /// of `page`: its glyphs, when there are as many as digits.
    pub fn learn(&mut self, page: &GrayImage, area: PxRect, text: &str, dpi: u32) {
        let glyphs = segment(page, area, dpi);
        if glyphs.len() != text.chars().count() {
            return;
        }
        for (g, c) in glyphs.into_iter().zip(text.chars()) {
            if let Some(d) = c.to_digit(10) {
                let list = &mut self.examples[d as usize];
                if list.len() < MAX_EXAMPLES {
                    list.push(g);
                }
            }
        }
    }

    /// Reads the value in `area`: every glyph must be clearly one digit (see
    /// [`MAX_DISTANCE`], [`MIN_MARGIN`]); `None` otherwise.
    pub fn read(&self, page: &GrayImage, area: PxRect, dpi: u32) -> Option<GlyphReading> {
        let glyphs = segment(page, area, dpi);
        if glyphs.is_empty() {
            return None;
        }
        let mut text = String::new();
        let mut margin = f32::INFINITY;
        for g in &glyphs {
            let (digit, near, second) = self.nearest(g)?;
            if near > MAX_DISTANCE || second - near < MIN_MARGIN {
                return None;
            }
            margin = margin.min(second - near);
            text.push(char::from(b'0' + digit));
        }
        Some(GlyphReading { text, margin })
    }

    /// The nearest digit, its distance and the distance of the nearest other digit. A
    /// digit without examples is never the answer, and never the runner-up: a glyph is
    /// only read when the page shows at least two digits to tell it between.
    fn nearest(&self, g: &Glyph) -> Option<(u8, f32, f32)> {
        let mut best: Vec<(u8, f32)> = (0u8..10)
            .filter_map(|d| {
                self.examples[d as usize]
                    .iter()
                    .map(|e| g.distance(e))
                    .min_by(f32::total_cmp)
                    .map(|dist| (d, dist))
            })
            .collect();
        best.sort_by(|a, b| a.1.total_cmp(&b.1));
        match best.as_slice() {
            [first, second, ..] => Some((first.0, first.1, second.1)),
            _ => None,
        }
    }
}

/// The glyphs of a value in `area`, left to right: the crop cleaned of specks (a 3 × 3
/// median), thresholded by Otsu's method, its connected ink split into components;
/// components less than half as tall as the tallest are specks or punctuation and are
/// dropped, components over one another (a digit broken by noise) are one glyph.
fn segment(page: &GrayImage, area: PxRect, dpi: u32) -> Vec<Glyph> {
    let crop = raster::clean_crop(page, area, 0);
    let (w, h) = crop.dimensions();
    if w < 3 || h < 3 {
        return Vec::new();
    }
    // Halfway between Otsu's threshold and the crop's typical grey (its paper): the
    // hairlines of a serif 0 are light, and at Otsu's level a 0 falls in two halves.
    // On a seal's tinted fill the typical grey is the tint, and Otsu's level is capped
    // halfway between the darkest ink and the tint.
    let mut levels = crop.as_raw().clone();
    levels.sort_unstable();
    let (darkest, typical) = (levels[levels.len() / 50], levels[levels.len() / 2]);
    if typical.saturating_sub(darkest) < 40 {
        return Vec::new();
    }
    let otsu = raster::otsu(&crop).min(((darkest as u16 + typical as u16) / 2) as u8);
    let t = ((otsu as u16 + typical as u16) / 2) as u8;
    let (boxes, label) = components(&crop, t);
    // Specks: fewer pixels than a small dot. Ink touching the crop's edge is no digit
    // (the crop is the value's ink with paper around it): a seal's ring or a rule
    // crossing the cell — a digit it runs into goes with it, and the value is not read.
    let dot = ((dpi / 100).max(1).pow(2) * 4) as usize;
    let inside =
        |b: &([u32; 4], usize)| b.1 >= dot && b.0[0] > 0 && b.0[1] > 0 && b.0[2] < w && b.0[3] < h;
    let tallest = boxes
        .iter()
        .filter(|b| inside(b))
        .map(|b| b.0[3] - b.0[1])
        .max()
        .unwrap_or(0);
    let mut parts: Vec<[u32; 4]> = boxes
        .iter()
        .filter(|b| inside(b) && (b.0[3] - b.0[1]) * 2 > tallest)
        .map(|b| b.0)
        .collect();
    parts.sort_by_key(|b| b[0]);
    // Components over one another (overlapping by half the narrower's width): one glyph.
    let mut merged: Vec<[u32; 4]> = Vec::new();
    for b in parts {
        if let Some(last) = merged.last_mut() {
            let overlap = last[2].min(b[2]).saturating_sub(last[0].max(b[0]));
            let narrower = (last[2] - last[0]).min(b[2] - b[0]);
            if overlap * 2 >= narrower {
                *last = [
                    last[0].min(b[0]),
                    last[1].min(b[1]),
                    last[2].max(b[2]),
                    last[3].max(b[3]),
                ];
                continue;
            }
        }
        merged.push(b);
    }
    // Ink from the edge reaching into the value's line next to its digits may hide a
    // digit (a ring through “1220” leaves “12”): then the value has no reading here.
    if let (Some(first), Some(last)) = (merged.first(), merged.last()) {
        let width = (last[2] - first[0]) / merged.len() as u32;
        let (top, bottom) = (
            merged.iter().map(|b| b[1]).min().unwrap_or(0),
            merged.iter().map(|b| b[3]).max().unwrap_or(0),
        );
        let (left, right) = (first[0].saturating_sub(width), last[2] + width);
        let edge: Vec<bool> = boxes.iter().map(|b| b.1 >= dot && !inside(b)).collect();
        let hiding = (top..bottom.min(h)).any(|y| {
            (left..right.min(w)).any(|x| {
                let l = label[(y * w + x) as usize];
                l > 0 && edge[l as usize - 1]
            })
        });
        // A mark at the foot of the line between two digits — a decimal point or a
        // comma, smaller than a speck and lost to the median, so looked for in the crop
        // as it is — makes the value one this reader does not read (110.139 is not
        // 110139).
        let raw = image::imageops::crop_imm(
            page,
            area[0],
            area[1],
            area[2].saturating_sub(area[0]),
            area[3].saturating_sub(area[1]),
        )
        .to_image();
        // A point: a blob of at least a dot's pixels, no taller than a third of the
        // line, its foot on the line's foot (noise specks fall anywhere).
        let line = bottom - top;
        let min_point = (dpi / 100).max(1).pow(2) as usize;
        let between = components(&raw, t).0.iter().any(|b| {
            let cx = (b.0[0] + b.0[2]) / 2;
            b.1 >= min_point
                && (b.0[3] - b.0[1]) * 3 <= line
                && b.0[3] + line / 6 >= bottom
                && b.0[3] <= bottom + line / 6
                && merged.windows(2).any(|p| cx >= p[0][2] && cx < p[1][0])
        });
        if hiding || between {
            return Vec::new();
        }
    }
    merged.iter().map(|b| features(&crop, *b, t)).collect()
}

/// The connected components (8-neighbours) of the pixels of `img` at or below `t`: their
/// bounding boxes and sizes, and each pixel's component (1-based; 0 for paper).
fn components(img: &GrayImage, t: u8) -> (Vec<([u32; 4], usize)>, Vec<u32>) {
    let (w, h) = img.dimensions();
    let ink: Vec<bool> = img.as_raw().iter().map(|&p| p <= t).collect();
    let mut label = vec![0u32; ink.len()];
    let mut boxes: Vec<([u32; 4], usize)> = Vec::new();
    let mut stack = Vec::new();
    for start in 0..ink.len() {
        if !ink[start] || label[start] != 0 {
            continue;
        }
        let id = boxes.len() as u32 + 1;
        let (sx, sy) = ((start as u32) % w, (start as u32) / w);
        let mut b = ([sx, sy, sx + 1, sy + 1], 0usize);
        label[start] = id;
        stack.push(start);
        while let Some(i) = stack.pop() {
            let (x, y) = ((i as u32) % w, (i as u32) / w);
            b.1 += 1;
            b.0 = [
                b.0[0].min(x),
                b.0[1].min(y),
                b.0[2].max(x + 1),
                b.0[3].max(y + 1),
            ];
            for dy in [-1i64, 0, 1] {
                for dx in [-1i64, 0, 1] {
                    let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                    if nx < 0 || ny < 0 || nx >= w as i64 || ny >= h as i64 {
                        continue;
                    }
                    let j = (ny as u32 * w + nx as u32) as usize;
                    if ink[j] && label[j] == 0 {
                        label[j] = id;
                        stack.push(j);
                    }
                }
            }
        }
        boxes.push(b);
    }
    (boxes, label)
}

/// A glyph's features: the crop's ink darkness in box `b`, sampled (bilinear) on the grid
/// and normalised, and the box's width-to-height ratio.
fn features(crop: &GrayImage, b: [u32; 4], threshold: u8) -> Glyph {
    let (bw, bh) = ((b[2] - b[0]) as f32, (b[3] - b[1]) as f32);
    // Darkness: paper (at or above the paper's side of the threshold) is 0.
    let paper = 255.0f32;
    let dark = |x: u32, y: u32| -> f32 {
        let v = crop.get_pixel(x, y).0[0] as f32;
        ((paper - v) / (paper - threshold as f32).max(1.0)).clamp(0.0, 1.5)
    };
    let mut pixels = Vec::with_capacity(GRID_W * GRID_H);
    for gy in 0..GRID_H {
        for gx in 0..GRID_W {
            let fx = b[0] as f32 + (gx as f32 + 0.5) * bw / GRID_W as f32 - 0.5;
            let fy = b[1] as f32 + (gy as f32 + 0.5) * bh / GRID_H as f32 - 0.5;
            let (x0, y0) = (fx.floor().max(b[0] as f32), fy.floor().max(b[1] as f32));
            let (x0, y0) = (x0 as u32, y0 as u32);
            let (x1, y1) = ((x0 + 1).min(b[2] - 1), (y0 + 1).min(b[3] - 1));
            let (tx, ty) = (
                (fx - x0 as f32).clamp(0.0, 1.0),
                (fy - y0 as f32).clamp(0.0, 1.0),
            );
            let top = dark(x0, y0) * (1.0 - tx) + dark(x1, y0) * tx;
            let bottom = dark(x0, y1) * (1.0 - tx) + dark(x1, y1) * tx;
            pixels.push(top * (1.0 - ty) + bottom * ty);
        }
    }
    let mean = pixels.iter().sum::<f32>() / pixels.len() as f32;
    for p in &mut pixels {
        *p -= mean;
    }
    let norm = pixels.iter().map(|p| p * p).sum::<f32>().sqrt().max(1e-6);
    for p in &mut pixels {
        *p /= norm;
    }
    Glyph {
        pixels,
        ratio: (bw / bh).max(0.05),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    /// A page of "digits" drawn as blocky shapes: 1 a bar, 0 a ring, 7 a top bar and a
    /// diagonal, at (x, 10) each 14 × 24 pixels.
    fn draw(img: &mut GrayImage, digit: char, x0: u32) {
        for y in 0..24u32 {
            for x in 0..14u32 {
                let on = match digit {
                    '1' => (6..9).contains(&x),
                    '0' => !(3..11).contains(&x) || !(3..21).contains(&y),
                    '7' => y < 3 || (x as i32 - (13 - y as i32 * 13 / 24)).abs() <= 1,
                    _ => false,
                };
                if on {
                    img.put_pixel(x0 + x, 10 + y, Luma([20]));
                }
            }
        }
    }

    fn value(text: &str) -> (GrayImage, PxRect) {
        let mut img = GrayImage::from_pixel(200, 44, Luma([250]));
        for (i, c) in text.chars().enumerate() {
            draw(&mut img, c, 10 + i as u32 * 20);
        }
        (img, [4, 4, 196, 40])
    }

    /// Digits 0, 1 and 7 learnt from four values.
    fn trained() -> Glyphs {
        let mut g = Glyphs::default();
        for t in ["10", "71", "107", "7"] {
            let (img, area) = value(t);
            g.learn(&img, area, t, 100);
        }
        g
    }

    #[test]
    fn learns_the_page_digits_and_reads_them_back() {
        let g = trained();
        assert_eq!(g.examples.iter().filter(|e| !e.is_empty()).count(), 3);
        let (img, area) = value("701");
        assert_eq!(g.read(&img, area, 100).unwrap().text, "701");
    }

    #[test]
    fn a_digit_never_seen_is_not_read() {
        let mut g = Glyphs::default();
        let (img, area) = value("11");
        g.learn(&img, area, "11", 100);
        // Only one digit known: nothing to tell a glyph between.
        let (img, area) = value("1");
        assert_eq!(g.read(&img, area, 100), None);
        let (img, area) = value("0");
        g.learn(&img, area, "0", 100);
        // 7 was never seen: it is not read as 1 or 0 (too far from both).
        let (img, area) = value("7");
        assert_eq!(g.read(&img, area, 100), None);
    }

    #[test]
    fn a_decimal_point_between_digits_is_not_read_past() {
        let g = trained();
        // 1.0: a point of 2 × 2 pixels at the foot of the gap between the digits.
        let (mut img, area) = value("10");
        for (x, y) in [(26, 32), (27, 32), (26, 33), (27, 33)] {
            img.put_pixel(x, y, Luma([20]));
        }
        assert_eq!(g.read(&img, area, 100), None);
    }

    #[test]
    fn a_count_that_does_not_match_teaches_nothing() {
        let mut g = Glyphs::default();
        let (img, area) = value("10");
        g.learn(&img, area, "100", 100);
        assert!(g.examples.iter().all(Vec::is_empty));
    }
}
