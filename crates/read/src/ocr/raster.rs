//! Page images before recognition: grey levels (dropping coloured ink such as a red
//! stamp), a global threshold, and deskewing.
//!
//! Written here rather than taken from `imageproc`: the three operations are ~150 lines,
//! and `imageproc` would add `nalgebra` and a dozen crates to a cold build for them.

use image::{DynamicImage, GrayImage, Luma};

/// The grey image of a page. Colour pages take the brightest channel of each pixel, so
/// black print stays black while coloured ink (a red seal, a blue signature) turns light
/// and does not hide the digits under it.
pub fn to_gray(img: &DynamicImage) -> GrayImage {
    match img {
        DynamicImage::ImageLuma8(g) => g.clone(),
        DynamicImage::ImageLuma16(_) | DynamicImage::ImageLumaA8(_) => img.to_luma8(),
        _ => {
            let rgb = img.to_rgb8();
            let (w, h) = rgb.dimensions();
            GrayImage::from_fn(w, h, |x, y| {
                let p = rgb.get_pixel(x, y).0;
                Luma([p[0].max(p[1]).max(p[2])])
            })
        }
    }
}

/// Otsu's threshold of a grey image: pixels at or below it are ink.
pub fn otsu(img: &GrayImage) -> u8 {
    let mut hist = [0u64; 256];
    for p in img.as_raw() {
        hist[*p as usize] += 1;
    }
    let total: u64 = hist.iter().sum();
    let sum_all: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &n)| i as f64 * n as f64)
        .sum();
    let (mut w0, mut sum0, mut best, mut best_t) = (0u64, 0f64, -1f64, 127u8);
    for (t, &n) in hist.iter().enumerate() {
        w0 += n;
        if w0 == 0 || w0 == total {
            continue;
        }
        sum0 += t as f64 * n as f64;
        let w1 = total - w0;
        let m0 = sum0 / w0 as f64;
        let m1 = (sum_all - sum0) / w1 as f64;
        let between = w0 as f64 * w1 as f64 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            best_t = t as u8;
        }
    }
    best_t
}

/// A binary image: `true` is ink.
#[derive(Debug, Clone)]
pub struct Ink {
    pub width: u32,
    pub height: u32,
    pub bits: Vec<bool>,
}

impl Ink {
    /// Ink by Otsu's threshold: what recognition and blank-cell tests use.
    pub fn new(img: &GrayImage) -> Ink {
        Ink::below(img, otsu(img))
    }

    /// Ink for finding rules: a threshold halfway between Otsu's and the paper (the
    /// median grey), so thin anti-aliased rules that fall between two pixel rows count.
    pub fn lenient(img: &GrayImage) -> Ink {
        let t = otsu(img) as u32;
        let paper = median(img) as u32;
        Ink::below(img, ((t + paper.max(t)) / 2) as u8)
    }

    fn below(img: &GrayImage, t: u8) -> Ink {
        Ink {
            width: img.width(),
            height: img.height(),
            bits: img.as_raw().iter().map(|&p| p <= t).collect(),
        }
    }

    pub fn get(&self, x: u32, y: u32) -> bool {
        x < self.width && y < self.height && self.bits[(y * self.width + x) as usize]
    }
}

/// The median grey level.
fn median(img: &GrayImage) -> u8 {
    let mut hist = [0u64; 256];
    for p in img.as_raw() {
        hist[*p as usize] += 1;
    }
    let half = img.as_raw().len() as u64 / 2;
    let mut seen = 0;
    for (v, n) in hist.iter().enumerate() {
        seen += n;
        if seen > half {
            return v as u8;
        }
    }
    255
}

/// The skew of the page in degrees (positive: text lines fall to the right), found by
/// the angle whose horizontal projection profile is sharpest (ruling lines and text lines
/// then fall into few rows). Searched within ±`MAX_SKEW` degrees.
pub fn skew_angle(ink: &Ink) -> f32 {
    // Sample every `step`-th pixel: the profile needs shape, not every pixel.
    let step = (ink.width / 800).max(1);
    let points: Vec<(f32, f32)> = (0..ink.height)
        .step_by(step as usize)
        .flat_map(|y| {
            (0..ink.width)
                .step_by(step as usize)
                .filter(move |&x| ink.get(x, y))
                .map(move |x| (x as f32, y as f32))
        })
        .collect();
    if points.is_empty() {
        return 0.0;
    }
    let score = |deg: f32| -> f64 {
        let t = deg.to_radians().tan();
        let bins = (ink.height / step + ink.width / step + 2) as usize;
        let mut hist = vec![0u32; bins * 2];
        let off = bins as f32;
        for &(x, y) in &points {
            let r = ((y - x * t) / step as f32 + off) as usize;
            if r < hist.len() {
                hist[r] += 1;
            }
        }
        hist.iter().map(|&n| (n as f64) * (n as f64)).sum()
    };
    let search = |lo: f32, hi: f32, step_deg: f32| -> f32 {
        let mut best = (f64::MIN, 0.0f32);
        let mut a = lo;
        while a <= hi + 1e-6 {
            let s = score(a);
            if s > best.0 {
                best = (s, a);
            }
            a += step_deg;
        }
        best.1
    };
    let coarse = search(-MAX_SKEW, MAX_SKEW, 0.5);
    let fine = search(coarse - 0.5, coarse + 0.5, 0.1);
    search(fine - 0.1, fine + 0.1, 0.02)
}

/// Largest skew corrected, in degrees.
pub const MAX_SKEW: f32 = 6.0;

/// Rotates by `-deg` around the centre (bilinear; outside the page is white), undoing a
/// skew of `deg`.
pub fn rotate(img: &GrayImage, deg: f32) -> GrayImage {
    let (w, h) = img.dimensions();
    let (s, c) = deg.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    GrayImage::from_fn(w, h, |x, y| {
        // Destination pixel → source pixel: rotate by +deg.
        let (dx, dy) = (x as f32 - cx, y as f32 - cy);
        let sx = c * dx - s * dy + cx;
        let sy = s * dx + c * dy + cy;
        Luma([bilinear(img, sx, sy)])
    })
}

fn bilinear(img: &GrayImage, x: f32, y: f32) -> u8 {
    let (w, h) = img.dimensions();
    if x < 0.0 || y < 0.0 || x > (w - 1) as f32 || y > (h - 1) as f32 {
        return 255;
    }
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let p = |x, y| img.get_pixel(x, y).0[0] as f32;
    let top = p(x0, y0) * (1.0 - fx) + p(x1, y0) * fx;
    let bottom = p(x0, y1) * (1.0 - fx) + p(x1, y1) * fx;
    (top * (1.0 - fy) + bottom * fy).round() as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white page with horizontal bars, rotated by `deg`.
    fn bars(deg: f32) -> GrayImage {
        let img = GrayImage::from_fn(600, 400, |_, y| {
            Luma([if y % 40 < 3 && y > 40 && y < 360 {
                0
            } else {
                255
            }])
        });
        rotate(&img, -deg)
    }

    #[test]
    fn finds_and_undoes_a_skew() {
        for deg in [-3.0f32, -0.8, 0.0, 1.5, 4.0] {
            let skewed = bars(deg);
            let found = skew_angle(&Ink::new(&skewed));
            assert!((found - deg).abs() < 0.15, "skew {deg}: found {found}");
            let straight = rotate(&skewed, found);
            assert!(skew_angle(&Ink::new(&straight)).abs() < 0.15);
        }
    }

    #[test]
    fn red_ink_turns_light_black_stays_black() {
        let img = image::RgbImage::from_fn(2, 1, |x, _| {
            image::Rgb(if x == 0 { [220, 30, 40] } else { [20, 20, 20] })
        });
        let g = to_gray(&DynamicImage::ImageRgb8(img));
        assert!(g.get_pixel(0, 0).0[0] > 200);
        assert!(g.get_pixel(1, 0).0[0] < 30);
    }

    #[test]
    fn otsu_splits_two_levels() {
        let img = GrayImage::from_fn(10, 10, |x, _| Luma([if x < 3 { 30 } else { 220 }]));
        let t = otsu(&img);
        assert!((30..220).contains(&t));
    }
}
