//! Page images before recognition: grey levels (dropping coloured ink such as a red
//! stamp), a global threshold, and deskewing.
//!
//! Written here rather than taken from `imageproc`: the three operations are ~150 lines,
//! and `imageproc` would add `nalgebra` and a dozen crates to a cold build for them.

use image::{DynamicImage, GrayImage, Luma};

/// True for a colour page (not a grey one).
pub fn is_colour(img: &DynamicImage) -> bool {
    !matches!(
        img,
        DynamicImage::ImageLuma8(_) | DynamicImage::ImageLuma16(_) | DynamicImage::ImageLumaA8(_)
    )
}

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

/// Where a colour page has coloured ink (a red seal, a blue signature), as a grey image:
/// each pixel 255 less its colourfulness (its brightest channel less its darkest), so
/// black print and white paper are white and a seal is dark. Read with
/// [`COLOURED`].
pub fn colour_ink(img: &DynamicImage) -> GrayImage {
    let rgb = img.to_rgb8();
    let (w, h) = rgb.dimensions();
    GrayImage::from_fn(w, h, |x, y| {
        let p = rgb.get_pixel(x, y).0;
        let (hi, lo) = (p[0].max(p[1]).max(p[2]), p[0].min(p[1]).min(p[2]));
        Luma([255 - (hi - lo)])
    })
}

/// The grey page `gray` (from [`to_gray`]) with the print under a seal brought back.
///
/// Seal paste is not a transparent dye: where a seal lies over print, the print shows
/// through only in part (an opaque ring passes a tenth of it). Each layer of the seal
/// has one colourfulness wherever it lies (its own), and its brightness there varies
/// only with what is under it: from the layer over paper (the brightest of its pixels)
/// to the layer over black print (the darkest, where it crosses a rule or a digit). So
/// the seal's pixels are grouped by colourfulness, and in each group that spans such a
/// range the brightness is stretched back from [darkest, brightest] to [0, 255]: the
/// print under the seal turns black again and the seal over paper white. A group
/// without print under it (a narrow range) is left as it is.
pub fn unseal(img: &DynamicImage, gray: &GrayImage) -> GrayImage {
    let rgb = img.to_rgb8();
    if rgb.dimensions() != gray.dimensions() {
        return gray.clone();
    }
    let group = |p: [u8; 3]| -> Option<usize> {
        let (hi, lo) = (p[0].max(p[1]).max(p[2]), p[0].min(p[1]).min(p[2]));
        (hi - lo >= SEAL_CHROMA).then_some(((hi - lo) / 8) as usize)
    };
    // Per group, the histogram of the brightest channel.
    let mut hist = vec![[0u32; 256]; 32];
    for (p, g) in rgb.pixels().zip(gray.pixels()) {
        if let Some(k) = group(p.0) {
            hist[k][g.0[0] as usize] += 1;
        }
    }
    let total = (rgb.width() as u64 * rgb.height() as u64).max(1);
    let ranges: Vec<Option<(f32, f32)>> = hist
        .iter()
        .map(|h| {
            let n: u32 = h.iter().sum();
            // A layer worth the name: a thousandth of the page.
            if (n as u64) * 1000 < total {
                return None;
            }
            let at = |share: f32| {
                let want = (n as f32 * share) as u32;
                let mut seen = 0;
                h.iter()
                    .position(|&c| {
                        seen += c;
                        seen > want
                    })
                    .unwrap_or(255) as f32
            };
            let (dark, bright) = (at(0.01), at(0.9));
            (bright - dark >= 20.0).then_some((dark, bright))
        })
        .collect();
    let mut out = gray.clone();
    for (p, o) in rgb.pixels().zip(out.pixels_mut()) {
        if let Some((dark, bright)) = group(p.0).and_then(|k| ranges[k]) {
            let v = (o.0[0] as f32 - dark) / (bright - dark) * 255.0;
            o.0[0] = v.round().clamp(0.0, 255.0) as u8;
        }
    }
    out
}

/// Colourfulness (brightest channel less darkest) from which a pixel is a seal's.
const SEAL_CHROMA: u8 = 64;

/// A pixel of [`colour_ink`] at or below this is coloured ink (its channels differ by 80
/// or more: a seal's red, not the grey of paper or print, nor a photo's tint).
pub const COLOURED: u8 = 175;

/// The page with its paper made white: each pixel divided by the paper's local
/// brightness. Uneven light (a photo darker at one end) and a seal's tint over the
/// paper are taken out, so the print under them keeps its contrast to the paper around
/// it. The paper's brightness is the local maximum (print strokes are thin: within a
/// millimetre or two of any ink there is paper), taken on blocks of `dpi / 50` pixels
/// and interpolated between them.
pub fn flatten(img: &GrayImage, dpi: u32) -> GrayImage {
    let (w, h) = (img.width() as usize, img.height() as usize);
    if w == 0 || h == 0 {
        return img.clone();
    }
    let b = (dpi as usize / 50).max(2);
    let (sw, sh) = (w.div_ceil(b), h.div_ceil(b));
    let raw = img.as_raw();
    // Block maxima.
    let mut small = vec![0u8; sw * sh];
    for y in 0..h {
        let row = &raw[y * w..(y + 1) * w];
        let out = &mut small[(y / b) * sw..(y / b + 1) * sw];
        for (bx, chunk) in row.chunks(b).enumerate() {
            let m = chunk.iter().copied().max().unwrap_or(0);
            if m > out[bx] {
                out[bx] = m;
            }
        }
    }
    // Maxima over 5 × 5 blocks (two blocks either way), rows then columns.
    let r = 2usize;
    let mut across = vec![0u8; sw * sh];
    for y in 0..sh {
        for x in 0..sw {
            let (lo, hi) = (x.saturating_sub(r), (x + r).min(sw - 1));
            across[y * sw + x] = small[y * sw + lo..=y * sw + hi]
                .iter()
                .copied()
                .max()
                .unwrap_or(0);
        }
    }
    for y in 0..sh {
        let (lo, hi) = (y.saturating_sub(r), (y + r).min(sh - 1));
        for x in 0..sw {
            small[y * sw + x] = (lo..=hi).map(|yy| across[yy * sw + x]).max().unwrap_or(0);
        }
    }
    // Each pixel over the paper's brightness there (bilinear between block centres).
    let at = |v: usize, n: usize| -> (usize, usize, f32) {
        let f = ((v as f32 + 0.5) / b as f32 - 0.5).clamp(0.0, (n - 1) as f32);
        let i = f.floor() as usize;
        (i, (i + 1).min(n - 1), f - i as f32)
    };
    let columns: Vec<(usize, usize, f32)> = (0..w).map(|x| at(x, sw)).collect();
    let mut out = vec![0u8; w * h];
    let mut paper = vec![0f32; sw];
    for y in 0..h {
        let (y0, y1, fy) = at(y, sh);
        for (x, p) in paper.iter_mut().enumerate() {
            *p = small[y0 * sw + x] as f32 * (1.0 - fy) + small[y1 * sw + x] as f32 * fy;
        }
        let src = &raw[y * w..(y + 1) * w];
        let dst = &mut out[y * w..(y + 1) * w];
        for (x, (d, &s)) in dst.iter_mut().zip(src).enumerate() {
            let (x0, x1, fx) = columns[x];
            let bg = (paper[x0] * (1.0 - fx) + paper[x1] * fx)
                .max(s as f32)
                .max(1.0);
            *d = (s as f32 * 255.0 / bg).round().min(255.0) as u8;
        }
    }
    GrayImage::from_raw(w as u32, h as u32, out).unwrap_or_else(|| img.clone())
}

/// A cell's crop for a third reading: the region `rect` of `img` with a 3 × 3 median
/// taken (specks of noise and JPEG artefacts gone, strokes kept), in a white margin of
/// `margin` pixels (the engine reads a line best with paper around it).
pub fn clean_crop(img: &GrayImage, rect: [u32; 4], margin: u32) -> GrayImage {
    let (x0, y0) = (rect[0].min(img.width()), rect[1].min(img.height()));
    let (x1, y1) = (rect[2].min(img.width()), rect[3].min(img.height()));
    let (w, h) = (x1.saturating_sub(x0), y1.saturating_sub(y0));
    let mut out = GrayImage::from_pixel(w + 2 * margin, h + 2 * margin, Luma([255]));
    for y in 0..h {
        for x in 0..w {
            let mut v = [255u8; 9];
            let mut n = 0;
            for dy in [-1i64, 0, 1] {
                for dx in [-1i64, 0, 1] {
                    let (sx, sy) = (x as i64 + dx, y as i64 + dy);
                    if sx >= 0 && sy >= 0 && sx < w as i64 && sy < h as i64 {
                        v[n] = img.get_pixel(x0 + sx as u32, y0 + sy as u32).0[0];
                        n += 1;
                    }
                }
            }
            let v = &mut v[..n];
            v.sort_unstable();
            out.put_pixel(x + margin, y + margin, Luma([v[n / 2]]));
        }
    }
    out
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

    #[test]
    fn a_clean_crop_loses_specks_keeps_strokes_and_has_paper_around() {
        // A 3-pixel stroke and a lone dark speck.
        let img = GrayImage::from_fn(40, 20, |x, y| {
            Luma([if (10..13).contains(&x) || (x, y) == (30, 10) {
                0
            } else {
                255
            }])
        });
        let crop = clean_crop(&img, [5, 2, 35, 18], 6);
        assert_eq!(crop.dimensions(), (30 + 12, 16 + 12));
        let px = |x: u32, y: u32| crop.get_pixel(x + 6 - 5, y + 6 - 2).0[0];
        assert_eq!(px(11, 10), 0);
        assert_eq!(px(30, 10), 255);
        assert_eq!(crop.get_pixel(0, 0).0[0], 255);
    }

    #[test]
    fn flattening_whitens_the_paper_and_keeps_the_print() {
        // Paper darkening from 250 at the top to 180 at the bottom, a dark bar on it, and
        // a tinted patch (a seal's fill) with print under it.
        let img = GrayImage::from_fn(200, 200, |x, y| {
            let paper = 250.0 - 70.0 * y as f32 / 199.0;
            let tint = if (120..180).contains(&x) && (20..80).contains(&y) {
                0.6
            } else {
                1.0
            };
            let ink = (x % 40 < 2) as u8 as f32;
            Luma([(paper * tint * (1.0 - 0.9 * ink)).round() as u8])
        });
        let flat = flatten(&img, 200);
        let px = |x, y| flat.get_pixel(x, y).0[0];
        assert!(
            px(20, 10) > 245 && px(20, 190) > 245,
            "{} {}",
            px(20, 10),
            px(20, 190)
        );
        assert!(px(150, 50) > 245, "tinted paper: {}", px(150, 50));
        assert!(
            px(160, 50) < 40 && px(40, 190) < 40,
            "{} {}",
            px(160, 50),
            px(40, 190)
        );
    }

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
    fn print_under_an_opaque_seal_comes_back() {
        // Paper with a black bar (x 20..24); a red band (y 10..20), 90 % opaque, over
        // both: over paper (205, 43, 43), over the bar (180, 18, 18).
        let over = |under: u8| {
            let mix = |seal: f32| (0.9 * seal + 0.1 * under as f32).round() as u8;
            image::Rgb([mix(200.0), mix(20.0), mix(20.0)])
        };
        let img = image::RgbImage::from_fn(60, 40, |x, y| {
            let under = if (20..24).contains(&x) { 0 } else { 255 };
            if (10..20).contains(&y) {
                over(under)
            } else {
                image::Rgb([under; 3])
            }
        });
        let img = DynamicImage::ImageRgb8(img);
        let gray = to_gray(&img);
        // The brightest channel alone leaves the bar faint under the band.
        assert!(gray.get_pixel(21, 15).0[0] > 170);
        let g = unseal(&img, &gray);
        assert!(g.get_pixel(21, 15).0[0] < 40, "the bar under the seal");
        assert!(g.get_pixel(40, 15).0[0] > 230, "the seal over paper");
        assert_eq!(g.get_pixel(21, 30).0[0], 0, "the bar outside the seal");
        assert_eq!(g.get_pixel(40, 30).0[0], 255, "paper");
    }

    #[test]
    fn otsu_splits_two_levels() {
        let img = GrayImage::from_fn(10, 10, |x, _| Luma([if x < 3 { 30 } else { 220 }]));
        let t = otsu(&img);
        assert!((30..220).contains(&t));
    }
}
