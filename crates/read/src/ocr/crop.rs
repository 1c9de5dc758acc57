//! Cells' images: the part of a scanned page that a cell's provenance points at, cut out
//! as a small grey PNG, so that a person can read what the recogniser could not (the web
//! checker shows it beside an uncertain value or a failing sum).
//!
//! The provenance of a scan's cell ([`Location::Pdf`]) is a box in points on the page
//! as it was recognised: deskewed, and scaled to the working resolution. The crop maps
//! every pixel of that box back through the same rotation and scale to the page image as
//! stored, and samples it there (bilinear), so it shows the page's own grey levels (a
//! seal stays visible) and not the recogniser's thresholded copy; a photographed page's
//! box is mapped on through the homography that undid its perspective. Only the pages
//! that hold a wanted cell are decoded again.

use image::{DynamicImage, GrayImage, ImageFormat, Luma};

use gongkai_report::Location;

use super::perspective::Rectify;
use super::{Scan, source};
use crate::ReadError;

/// Pixels of page around the cell's box (at the working resolution), so that the ruling
/// lines show where the cell ends.
const MARGIN: f32 = 6.0;

/// The largest crop, in pixels at the working resolution (a cell is far smaller; a
/// merged cell or a bad box is cut to this).
pub const MAX_CROP: (u32, u32) = (1200, 400);

/// Below this skew (degrees) the recogniser did not rotate the page (`page::recognise`).
const MIN_ROTATED_SKEW: f32 = 0.1;

/// The images of the cells at `locs` (provenance of a report read from `inputs`, the same
/// inputs that [`super::recognise`] gave `scan`), as grey PNGs; `None` where a location is
/// not a box on one of the scan's pages.
pub fn cell_pngs(
    inputs: &[&[u8]],
    scan: &Scan,
    locs: &[Location],
) -> Result<Vec<Option<Vec<u8>>>, ReadError> {
    Ok(cell_images(inputs, scan, locs)?
        .into_iter()
        .map(|img| img.and_then(|img| png(&img)))
        .collect())
}

/// The images of the cells at `locs`, as grey images (see [`cell_pngs`]).
pub fn cell_images(
    inputs: &[&[u8]],
    scan: &Scan,
    locs: &[Location],
) -> Result<Vec<Option<GrayImage>>, ReadError> {
    // 0-based page of the scan → the boxes wanted on it.
    let wanted = |p: usize| {
        locs.iter()
            .any(|l| matches!(l, Location::Pdf { page, .. } if *page as usize == p + 1))
    };
    let mut out: Vec<Option<GrayImage>> = vec![None; locs.len()];
    let mut first = 0; // the scan's index of the input's first page
    for bytes in inputs {
        let images = source::pages_where(bytes, &|i| wanted(first + i))?;
        for (i, image) in &images {
            let p = first + i;
            let Some(page) = scan.pages.get(p) else {
                continue;
            };
            let grey = image.image.to_luma8();
            let geometry = Geometry::new(&grey, image.dpi, page);
            for (slot, loc) in out.iter_mut().zip(locs) {
                if let Location::Pdf { page: n, bbox } = loc
                    && *n as usize == p + 1
                {
                    *slot = geometry.crop(&grey, *bbox);
                }
            }
        }
        first += page_count(bytes)?;
    }
    Ok(out)
}

/// How many page images an input gives (without decoding them).
fn page_count(bytes: &[u8]) -> Result<usize, ReadError> {
    let counted = std::cell::Cell::new(0usize);
    source::pages_where(bytes, &|i| {
        counted.set(counted.get().max(i + 1));
        false
    })?;
    Ok(counted.get())
}

/// The page as recognised (perspective undone, deskewed, at the working resolution) →
/// the page as stored.
struct Geometry {
    /// Points → working pixels.
    px_per_pt: f32,
    /// Working pixels → pixels of the rectified page (before the rotation).
    scale: (f32, f32),
    /// The rotation undone by the recogniser: sine and cosine, and its centre.
    sin: f32,
    cos: f32,
    centre: (f32, f32),
    /// The working page's size.
    size: (u32, u32),
    /// A photographed page's perspective, undone before the rest: rectified → stored.
    rectify: Option<Rectify>,
}

impl Geometry {
    fn new(stored: &GrayImage, _stored_dpi: f32, page: &super::page::Page) -> Self {
        // The page the rotation turned: the stored one, or the rectified photograph.
        let (w0, h0) = page.rectify.map_or(stored.dimensions(), |r| r.size());
        let (w, h) = (page.width.max(1), page.height.max(1));
        let skew = if page.skew.abs() >= MIN_ROTATED_SKEW {
            page.skew
        } else {
            0.0
        };
        let (sin, cos) = skew.to_radians().sin_cos();
        Geometry {
            px_per_pt: page.dpi / 72.0,
            scale: (w0 as f32 / w as f32, h0 as f32 / h as f32),
            sin,
            cos,
            centre: (w0 as f32 / 2.0, h0 as f32 / 2.0),
            size: (w, h),
            rectify: page.rectify,
        }
    }

    /// The stored page's pixel that the working pixel (x, y) was made from.
    fn source(&self, x: f32, y: f32) -> (f32, f32) {
        // Undo the scale, then the rotation (`raster::rotate`: destination → source is
        // a rotation by +skew about the centre).
        let (xs, ys) = (x * self.scale.0, y * self.scale.1);
        let (dx, dy) = (xs - self.centre.0, ys - self.centre.1);
        let (x, y) = (
            self.cos * dx - self.sin * dy + self.centre.0,
            self.sin * dx + self.cos * dy + self.centre.1,
        );
        match &self.rectify {
            // The warp samples pixel i of the rectified page at `to_page(i)` (pixel
            // indices); here a position is a pixel's centre at i + 0.5.
            Some(r) => {
                let (px, py) = r.to_page(x as f64 - 0.5, y as f64 - 0.5);
                (px as f32 + 0.5, py as f32 + 0.5)
            }
            None => (x, y),
        }
    }

    /// The crop of a box in points, with a margin, at the working resolution.
    fn crop(&self, stored: &GrayImage, bbox: [f32; 4]) -> Option<GrayImage> {
        if bbox.iter().any(|v| !v.is_finite()) {
            return None;
        }
        // Points → working pixels, to a hundredth of a pixel: the boxes were pixels
        // turned into points, and the float error of the way back must not add a pixel.
        let px = |v: f32| (v * self.px_per_pt * 100.0).round() / 100.0;
        let x0 = (px(bbox[0].min(bbox[2])) - MARGIN).max(0.0).floor() as u32;
        let y0 = (px(bbox[1].min(bbox[3])) - MARGIN).max(0.0).floor() as u32;
        let x1 = ((px(bbox[0].max(bbox[2])) + MARGIN).ceil() as u32).min(self.size.0);
        let y1 = ((px(bbox[1].max(bbox[3])) + MARGIN).ceil() as u32).min(self.size.1);
        if x1 <= x0 || y1 <= y0 {
            return None;
        }
        let (w, h) = ((x1 - x0).min(MAX_CROP.0), (y1 - y0).min(MAX_CROP.1));
        Some(GrayImage::from_fn(w, h, |x, y| {
            // The centre of the working pixel.
            let (sx, sy) = self.source((x0 + x) as f32 + 0.5, (y0 + y) as f32 + 0.5);
            Luma([bilinear(stored, sx - 0.5, sy - 0.5)])
        }))
    }
}

/// The grey level at (x, y) by bilinear interpolation; white outside the page.
fn bilinear(img: &GrayImage, x: f32, y: f32) -> u8 {
    let (w, h) = img.dimensions();
    if w == 0 || h == 0 || x < -0.5 || y < -0.5 || x > w as f32 - 0.5 || y > h as f32 - 0.5 {
        return 255;
    }
    let (x, y) = (x.clamp(0.0, (w - 1) as f32), y.clamp(0.0, (h - 1) as f32));
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let p = |x, y| img.get_pixel(x, y).0[0] as f32;
    let top = p(x0, y0) * (1.0 - fx) + p(x1, y0) * fx;
    let bottom = p(x0, y1) * (1.0 - fx) + p(x1, y1) * fx;
    (top * (1.0 - fy) + bottom * fy).round() as u8
}

/// A grey PNG.
fn png(img: &GrayImage) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    DynamicImage::ImageLuma8(img.clone())
        .write_to(&mut std::io::Cursor::new(&mut out), ImageFormat::Png)
        .ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::page::Page;

    fn page(skew: f32, w: u32, h: u32) -> Page {
        Page {
            dpi: 200.0,
            skew,
            perspective: false,
            rectify: None,
            width: w,
            height: h,
            blocks: Vec::new(),
        }
    }

    /// A page with a black square at (880..920, 680..720) of a 1000 × 800 image (far from
    /// the centre, where a rotation moves it most).
    fn square() -> GrayImage {
        GrayImage::from_fn(1000, 800, |x, y| {
            Luma([if (880..920).contains(&x) && (680..720).contains(&y) {
                0
            } else {
                255
            }])
        })
    }

    fn pt(px: f32) -> f32 {
        px * 72.0 / 200.0
    }

    fn dark(img: &GrayImage) -> usize {
        img.pixels().filter(|p| p.0[0] < 128).count()
    }

    #[test]
    fn a_box_on_an_upright_page_is_cut_out_with_its_margin() {
        let img = square();
        let g = Geometry::new(&img, 200.0, &page(0.0, 1000, 800));
        let c = g
            .crop(&img, [pt(880.0), pt(680.0), pt(920.0), pt(720.0)])
            .unwrap();
        assert_eq!(c.dimensions(), (52, 52));
        assert_eq!(dark(&c), 40 * 40);
        assert_eq!(c.get_pixel(6, 6).0[0], 0);
        assert_eq!(c.get_pixel(5, 5).0[0], 255);
    }

    #[test]
    fn a_scaled_page_maps_back_to_the_stored_pixels() {
        // Stored at 300 dpi (1500 × 1200), recognised at 200 dpi (1000 × 800).
        let img = GrayImage::from_fn(1500, 1200, |x, y| {
            Luma([if (1320..1380).contains(&x) && (1020..1080).contains(&y) {
                0
            } else {
                255
            }])
        });
        let g = Geometry::new(&img, 300.0, &page(0.0, 1000, 800));
        let c = g
            .crop(&img, [pt(880.0), pt(680.0), pt(920.0), pt(720.0)])
            .unwrap();
        assert_eq!(c.dimensions(), (52, 52));
        let d = dark(&c);
        assert!((1500..=1700).contains(&d), "{d} dark pixels");
    }

    #[test]
    fn a_deskewed_box_is_found_on_the_skewed_page() {
        // The stored page is the upright one turned by 2° (as a crooked scan); the
        // recogniser found the skew and undid it, so the box is where the square was.
        let upright = square();
        let skewed = crate::ocr::raster::rotate(&upright, -2.0);
        let g = Geometry::new(&skewed, 200.0, &page(2.0, 1000, 800));
        let c = g
            .crop(&skewed, [pt(880.0), pt(680.0), pt(920.0), pt(720.0)])
            .unwrap();
        let d = dark(&c);
        assert!((1450..=1750).contains(&d), "{d} dark pixels");
        // Without undoing the skew the square would be cut off.
        let wrong = Geometry::new(&skewed, 200.0, &page(0.0, 1000, 800));
        let c = wrong
            .crop(&skewed, [pt(880.0), pt(680.0), pt(920.0), pt(720.0)])
            .unwrap();
        assert!(dark(&c) < 1450);
    }

    #[test]
    fn boxes_off_the_page_or_empty_give_nothing() {
        let img = square();
        let g = Geometry::new(&img, 200.0, &page(0.0, 1000, 800));
        assert!(g.crop(&img, [pt(2000.0), 0.0, pt(2100.0), 10.0]).is_none());
        assert!(g.crop(&img, [f32::NAN, 0.0, 1.0, 1.0]).is_none());
        // The whole 1000 × 800 page: as wide as the page, as high as the largest crop.
        let big = g.crop(&img, [0.0, 0.0, pt(1000.0), pt(800.0)]).unwrap();
        assert_eq!(big.dimensions(), (1000, MAX_CROP.1));
        assert!(png(&big).is_some_and(|p| p.starts_with(b"\x89PNG")));
    }
}
