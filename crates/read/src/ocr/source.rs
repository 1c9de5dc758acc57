//! The page images of a scan: image files (PNG, JPEG, TIFF) and the embedded images of
//! PDFs whose pages are pictures. The images are taken out of the PDF as they are stored
//! (JPEG, JPEG 2000, Flate/LZW rasters, CCITT fax, JBIG2 with its global segments), not
//! rendered again. JPEG 2000 and JBIG2 are decoded by `hayro-jpeg2000` and `hayro-jbig2`
//! (the decoders of the `hayro` PDF renderer, already in the build).

use image::{DynamicImage, GrayImage, ImageFormat, Luma, Rgb, RgbImage};
use lopdf::{Dictionary, Object, ObjectId};

use crate::ReadError;

/// One page to recognise.
#[derive(Debug, Clone)]
pub struct PageImage {
    pub image: DynamicImage,
    /// Pixels per inch (from the PDF page size, or assuming an A4 page for image files).
    pub dpi: f32,
}

/// Largest page image, in pixels (an A3 page at 600 dpi is ~70 million).
pub const MAX_PIXELS: u64 = 80_000_000;

/// True when the bytes are an image file this reader takes.
pub fn is_image(bytes: &[u8]) -> bool {
    matches!(
        image::guess_format(bytes),
        Ok(ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Tiff)
    )
}

fn bad_image(detail: impl std::fmt::Display) -> ReadError {
    ReadError::BadImage {
        detail: detail.to_string(),
    }
}

/// Pixels per inch of an image file: assumes an A4 page (210 × 297 mm), portrait or
/// landscape, which is what annual reports are printed on.
fn a4_dpi(w: u32, h: u32) -> f32 {
    if w <= h {
        w as f32 / (210.0 / 25.4)
    } else {
        w as f32 / (297.0 / 25.4)
    }
}

/// Decodes an image file: a PNG or JPEG is one page, a TIFF one page per image in it.
pub fn image_file(bytes: &[u8]) -> Result<Vec<PageImage>, ReadError> {
    Ok(image_file_pages(bytes, &|_| true)?
        .into_iter()
        .map(|(_, p)| p)
        .collect())
}

/// The pages of an image file that `keep` takes (by 0-based index), with their index.
fn image_file_pages(
    bytes: &[u8],
    keep: &dyn Fn(usize) -> bool,
) -> Result<Vec<(usize, PageImage)>, ReadError> {
    let format = image::guess_format(bytes).map_err(bad_image)?;
    let images = if format == ImageFormat::Tiff {
        tiff_images_where(bytes, keep).map_err(bad_image)?
    } else if keep(0) {
        let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
        let mut limits = image::Limits::default();
        limits.max_alloc = Some(MAX_PIXELS * 4);
        reader.limits(limits);
        vec![(0, reader.decode().map_err(bad_image)?)]
    } else {
        Vec::new()
    };
    Ok(images
        .into_iter()
        .map(|(i, image)| {
            let dpi = a4_dpi(image.width(), image.height());
            (i, PageImage { image, dpi })
        })
        .collect())
}

/// The page images of one input (a PDF, or an image file) that `keep` takes by their
/// 0-based index among the input's page images, with that index; the others are not
/// decoded. The indices are those of [`super::page_images`].
pub fn pages_where(
    bytes: &[u8],
    keep: &dyn Fn(usize) -> bool,
) -> Result<Vec<(usize, PageImage)>, ReadError> {
    if bytes.starts_with(b"%PDF-") {
        pdf_pages_where(bytes, keep)
    } else {
        image_file_pages(bytes, keep)
    }
}

/// The images of a TIFF file (8-bit grey, RGB, RGBA, CMYK, or bilevel; uncompressed, LZW,
/// Deflate, JPEG or CCITT fax), read with the `tiff` crate (the `image` crate would read
/// only the first).
fn tiff_images(bytes: &[u8]) -> Result<Vec<DynamicImage>, String> {
    Ok(tiff_images_where(bytes, &|_| true)?
        .into_iter()
        .map(|(_, i)| i)
        .collect())
}

/// The images of a TIFF file that `keep` takes (by 0-based index), with their index.
fn tiff_images_where(
    bytes: &[u8],
    keep: &dyn Fn(usize) -> bool,
) -> Result<Vec<(usize, DynamicImage)>, String> {
    use tiff::ColorType;
    use tiff::decoder::{Decoder, DecodingResult};
    let mut d = Decoder::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut index = 0;
    loop {
        if !keep(index) {
            index += 1;
            if !d.more_images() || index >= crate::pdf::MAX_PAGES {
                break;
            }
            d.next_image().map_err(|e| e.to_string())?;
            continue;
        }
        let (w, h) = d.dimensions().map_err(|e| e.to_string())?;
        if w == 0 || h == 0 || w as u64 * h as u64 > MAX_PIXELS {
            return Err(format!("图像尺寸无效 / bad image size {w}×{h}"));
        }
        let colour = d.colortype().map_err(|e| e.to_string())?;
        let white_is_zero = d
            .get_tag_u32(tiff::tags::Tag::PhotometricInterpretation)
            .is_ok_and(|p| p == 0);
        // The crate's fax decoder already gives 1 for white (checked on ImageMagick's
        // min-is-white Group 4 files); other bilevel data follows the photometric tag.
        let fax = d
            .get_tag_u32(tiff::tags::Tag::Compression)
            .is_ok_and(|c| (2..=4).contains(&c));
        let DecodingResult::U8(data) = d.read_image().map_err(|e| e.to_string())? else {
            return Err("只支持 8 位和 1 位图像 / only 8-bit and 1-bit images".into());
        };
        let short = || "图像数据不完整 / truncated image data".to_string();
        let grey = |v: u8| if white_is_zero { 255 - v } else { v };
        let image = match colour {
            ColorType::Gray(8) => {
                let g: Vec<u8> = data.iter().map(|&v| grey(v)).collect();
                DynamicImage::ImageLuma8(GrayImage::from_raw(w, h, g).ok_or_else(short)?)
            }
            ColorType::Gray(1) => {
                let row = w.div_ceil(8) as usize;
                if data.len() < row * h as usize {
                    return Err(short());
                }
                DynamicImage::ImageLuma8(GrayImage::from_fn(w, h, |x, y| {
                    let byte = data[y as usize * row + x as usize / 8];
                    let bit = (byte >> (7 - x % 8)) & 1;
                    Luma([if fax { bit * 255 } else { grey(bit * 255) }])
                }))
            }
            ColorType::RGB(8) => {
                DynamicImage::ImageRgb8(RgbImage::from_raw(w, h, data).ok_or_else(short)?)
            }
            ColorType::RGBA(8) => {
                DynamicImage::ImageRgba8(image::RgbaImage::from_raw(w, h, data).ok_or_else(short)?)
            }
            ColorType::CMYK(8) => {
                if data.len() < (w * h * 4) as usize {
                    return Err(short());
                }
                DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
                    let i = ((y * w + x) * 4) as usize;
                    let k = data[i + 3] as u16;
                    Rgb([0, 1, 2].map(|c| ((255 - data[i + c] as u16) * (255 - k) / 255) as u8))
                }))
            }
            other => return Err(format!("TIFF colour type {other:?}")),
        };
        out.push((index, image));
        index += 1;
        if !d.more_images() || index >= crate::pdf::MAX_PAGES {
            break;
        }
        d.next_image().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// The page images of a PDF: on each page, its largest embedded image.
pub fn pdf_pages(bytes: &[u8]) -> Result<Vec<PageImage>, ReadError> {
    Ok(pdf_pages_where(bytes, &|_| true)?
        .into_iter()
        .map(|(_, p)| p)
        .collect())
}

/// The page images of a PDF that `keep` takes, by their 0-based index among the pages
/// that have an image.
fn pdf_pages_where(
    bytes: &[u8],
    keep: &dyn Fn(usize) -> bool,
) -> Result<Vec<(usize, PageImage)>, ReadError> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| match e {
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) => ReadError::EncryptedPdf,
        e => ReadError::BadPdf {
            detail: e.to_string(),
        },
    })?;
    let pages = doc.get_pages();
    if pages.len() > crate::pdf::MAX_PAGES {
        return Err(ReadError::TooManyPages {
            pages: pages.len(),
            limit: crate::pdf::MAX_PAGES,
        });
    }
    let mut out = Vec::new();
    let mut index = 0;
    for (&number, &id) in &pages {
        let images = doc.get_page_images(id).map_err(|e| ReadError::BadPdf {
            detail: format!("page {number}: {e}"),
        })?;
        let Some(largest) = images.iter().max_by_key(|i| i.width * i.height) else {
            continue;
        };
        index += 1;
        if !keep(index - 1) {
            continue;
        }
        let image = pdf_image(&doc, largest.id).map_err(|e| ReadError::BadImage {
            detail: format!("第 {number} 页 / page {number}: {e}"),
        })?;
        let page_width_pt = media_width(&doc, id).unwrap_or(595.0);
        let dpi = image.width() as f32 / (page_width_pt / 72.0);
        out.push((index - 1, PageImage { image, dpi }));
    }
    if index == 0 {
        return Err(ReadError::NoTextLayer {
            pages: pages.len(),
            images: 0,
        });
    }
    Ok(out)
}

/// The width of a page's MediaBox in points (inherited from the page tree).
fn media_width(doc: &lopdf::Document, page: ObjectId) -> Option<f32> {
    let mut dict = doc.get_dictionary(page).ok()?;
    for _ in 0..32 {
        if let Ok(Object::Array(a)) = dict.get(b"MediaBox").map(|o| deref(doc, o)) {
            let v: Vec<f32> = a.iter().filter_map(|o| number(deref(doc, o))).collect();
            if let [x0, _, x1, _] = v[..] {
                return Some((x1 - x0).abs()).filter(|w| *w > 1.0);
            }
        }
        dict = doc
            .get_dictionary(dict.get(b"Parent").ok()?.as_reference().ok()?)
            .ok()?;
    }
    None
}

fn deref<'a>(doc: &'a lopdf::Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map_or(o, |(_, o)| o)
}

fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

/// Decodes one image XObject.
fn pdf_image(doc: &lopdf::Document, id: ObjectId) -> Result<DynamicImage, String> {
    let stream = doc
        .get_object(id)
        .and_then(Object::as_stream)
        .map_err(|e| e.to_string())?;
    let dict = &stream.dict;
    let int = |key: &[u8]| dict.get(key).ok().and_then(|o| number(deref(doc, o)));
    let width = int(b"Width").unwrap_or(0.0) as u32;
    let height = int(b"Height").unwrap_or(0.0) as u32;
    if width == 0 || height == 0 || width as u64 * height as u64 > MAX_PIXELS {
        return Err(format!("图像尺寸无效 / bad image size {width}×{height}"));
    }
    let filters: Vec<String> = match dict.get(b"Filter").map(|o| deref(doc, o)) {
        Ok(Object::Name(n)) => vec![String::from_utf8_lossy(n).into_owned()],
        Ok(Object::Array(a)) => a
            .iter()
            .filter_map(|o| deref(doc, o).as_name().ok())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect(),
        _ => Vec::new(),
    };
    let last = filters.last().map(String::as_str).unwrap_or("");
    let limit = (MAX_PIXELS * 4) as usize;
    // The image codec's data: the stream with every filter but the last one undone (e.g.
    // [/FlateDecode /DCTDecode]: lopdf undoes the first, not the image codec).
    let coded = || -> Result<Vec<u8>, String> {
        if filters.len() > 1 {
            let mut s = stream.clone();
            let outer: Vec<Object> = filters[..filters.len() - 1]
                .iter()
                .map(|f| Object::Name(f.clone().into_bytes()))
                .collect();
            s.dict.set("Filter", Object::Array(outer));
            // The parameters of the outer filters, if any (one entry per filter).
            match s.dict.get(b"DecodeParms").map(|o| deref(doc, o)) {
                Ok(Object::Array(a)) if !a.is_empty() => {
                    let outer = a[..a.len() - 1].to_vec();
                    s.dict.set("DecodeParms", Object::Array(outer));
                }
                _ => {
                    s.dict.remove(b"DecodeParms");
                }
            }
            s.decompressed_content_with_limit(limit)
                .map_err(|e| e.to_string())
        } else {
            Ok(stream.content.clone())
        }
    };
    match last {
        "DCTDecode" | "DCT" => image::load_from_memory_with_format(&coded()?, ImageFormat::Jpeg)
            .map_err(|e| e.to_string()),
        "JPXDecode" => jpx(&coded()?),
        "JBIG2Decode" => jbig2(doc, dict, &coded()?, width, height),
        "CCITTFaxDecode" | "CCF" => ccitt(doc, dict, &stream.content, width, height),
        "" | "FlateDecode" | "Fl" | "LZWDecode" | "LZW" | "RunLengthDecode" | "RL" => {
            let data = if filters.is_empty() {
                stream.content.clone()
            } else {
                stream
                    .decompressed_content_with_limit(limit)
                    .map_err(|e| e.to_string())?
            };
            raster(doc, dict, &data, width, height)
        }
        other => Err(format!(
            "暂不支持 {other} 编码的图像 / images encoded with {other} are not supported"
        )),
    }
}

/// A JPEG 2000 image (`JPXDecode`: a JP2 file or a bare codestream), decoded by
/// `hayro-jpeg2000` to 8 bits a sample; grey, RGB and CMYK (also through an ICC profile,
/// by its number of channels); an alpha channel is dropped (the page is on white paper).
fn jpx(data: &[u8]) -> Result<DynamicImage, String> {
    use hayro_jpeg2000::{ColorSpace, DecodeSettings, Image};
    let jpx =
        Image::new(data, &DecodeSettings::default()).map_err(|e| format!("JPEG 2000: {e}"))?;
    let (w, h) = (jpx.width(), jpx.height());
    if w == 0 || h == 0 || w as u64 * h as u64 > MAX_PIXELS {
        return Err(format!("图像尺寸无效 / bad image size {w}×{h}"));
    }
    let channels = jpx.color_space().num_channels() as usize;
    let stride = channels + usize::from(jpx.has_alpha());
    let colour = match jpx.color_space() {
        ColorSpace::Gray => 1,
        ColorSpace::RGB => 3,
        ColorSpace::CMYK => 4,
        ColorSpace::Icc { num_channels, .. } | ColorSpace::Unknown { num_channels } => {
            *num_channels as usize
        }
    };
    let data = jpx.decode().map_err(|e| format!("JPEG 2000: {e}"))?;
    if data.len() < w as usize * h as usize * stride {
        return Err("图像数据不完整 / truncated image data".into());
    }
    let px = |x: u32, y: u32| (y as usize * w as usize + x as usize) * stride;
    Ok(match colour {
        1 => DynamicImage::ImageLuma8(GrayImage::from_fn(w, h, |x, y| Luma([data[px(x, y)]]))),
        3 => DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
            let i = px(x, y);
            Rgb([data[i], data[i + 1], data[i + 2]])
        })),
        4 => DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
            let i = px(x, y);
            let k = data[i + 3] as u16;
            Rgb([0, 1, 2].map(|c| ((255 - data[i + c] as u16) * (255 - k) / 255) as u8))
        })),
        n => return Err(format!("JPEG 2000: {n} colour channels")),
    })
}

/// A JBIG2 image (`JBIG2Decode`: the embedded organisation of T.88 Annex D.3, with the
/// segments shared by several pages in the stream named by `/JBIG2Globals`), decoded by
/// `hayro-jbig2`: black 0, white 255 (a `/Decode [1 0]` swaps them).
fn jbig2(
    doc: &lopdf::Document,
    dict: &Dictionary,
    data: &[u8],
    w: u32,
    h: u32,
) -> Result<DynamicImage, String> {
    let globals = match decode_parms(doc, dict).and_then(|d| d.get(b"JBIG2Globals").ok()) {
        Some(o) => Some(
            deref(doc, o)
                .as_stream()
                .map_err(|_| "JBIG2Globals is not a stream".to_string())?
                .decompressed_content_with_limit(MAX_PIXELS as usize / 8)
                .map_err(|e| format!("JBIG2Globals: {e}"))?,
        ),
        None => None,
    };
    let image = hayro_jbig2::Image::new_embedded(data, globals.as_deref())
        .map_err(|e| format!("JBIG2: {e}"))?;
    let (iw, ih) = (image.width(), image.height());
    if iw as u64 * ih as u64 > MAX_PIXELS {
        return Err(format!("图像尺寸无效 / bad image size {iw}×{ih}"));
    }
    let inverted = matches!(dict.get(b"Decode").map(|o| deref(doc, o)),
        Ok(Object::Array(a)) if a.first().and_then(number) == Some(1.0));
    let (black, white) = if inverted { (255, 0) } else { (0, 255) };
    let mut out = Bilevel {
        pixels: Vec::with_capacity(iw as usize * ih as usize),
        black,
        white,
    };
    image.decode(&mut out).map_err(|e| format!("JBIG2: {e}"))?;
    // The page may declare fewer rows than the dictionary's /Height (striped pages end
    // early): the rest is white paper, and pixels past the image's size are dropped.
    let mut pixels = out.pixels;
    pixels.resize(iw as usize * ih as usize, white);
    let page = GrayImage::from_raw(iw, ih, pixels)
        .ok_or_else(|| "图像数据不完整 / truncated image data".to_string())?;
    Ok(DynamicImage::ImageLuma8(if (iw, ih) == (w, h) {
        page
    } else {
        GrayImage::from_fn(w, h, |x, y| {
            if x < iw && y < ih {
                *page.get_pixel(x, y)
            } else {
                Luma([white])
            }
        })
    }))
}

/// Collects the pixels `hayro-jbig2` decodes, row after row.
struct Bilevel {
    pixels: Vec<u8>,
    black: u8,
    white: u8,
}

impl hayro_jbig2::Decoder for Bilevel {
    fn push_pixel(&mut self, black: bool) {
        self.pixels
            .push(if black { self.black } else { self.white });
    }

    fn push_pixel_chunk(&mut self, black: bool, chunk_count: u32) {
        let v = if black { self.black } else { self.white };
        let n = self.pixels.len() + chunk_count as usize * 8;
        self.pixels.resize(n, v);
    }

    fn next_line(&mut self) {}
}

/// The `/DecodeParms` dictionary of an image's last filter (the codec's).
fn decode_parms<'a>(doc: &'a lopdf::Document, dict: &'a Dictionary) -> Option<&'a Dictionary> {
    match dict.get(b"DecodeParms").map(|o| deref(doc, o)) {
        Ok(Object::Dictionary(d)) => Some(d),
        Ok(Object::Array(a)) => a.last().and_then(|o| deref(doc, o).as_dict().ok()),
        _ => None,
    }
}

/// A raw raster (after Flate/LZW): gray, RGB, CMYK or indexed, 1 to 8 bits per
/// component.
fn raster(
    doc: &lopdf::Document,
    dict: &Dictionary,
    data: &[u8],
    w: u32,
    h: u32,
) -> Result<DynamicImage, String> {
    let bpc = dict
        .get(b"BitsPerComponent")
        .ok()
        .and_then(|o| number(deref(doc, o)))
        .unwrap_or(8.0) as u32;
    if matches!(dict.get(b"ImageMask").and_then(Object::as_bool), Ok(true)) {
        return Err("image mask".into());
    }
    let cs = dict.get(b"ColorSpace").map(|o| deref(doc, o)).ok();
    // (components, palette of RGB entries for Indexed)
    let (comps, palette) = colour_space(doc, cs)?;
    if ![1, 2, 4, 8].contains(&bpc) {
        return Err(format!("{bpc} bits per component"));
    }
    let row_bytes = (w * comps * bpc).div_ceil(8) as usize;
    if data.len() < row_bytes * h as usize {
        return Err("图像数据不完整 / truncated image data".into());
    }
    let invert = matches!(dict.get(b"Decode").map(|o| deref(doc, o)),
        Ok(Object::Array(a)) if a.first().and_then(number) == Some(1.0) && palette.is_none());
    let sample = |row: &[u8], i: u32| -> u8 {
        let bit = (i * bpc) as usize;
        match bpc {
            8 => row[bit / 8],
            _ => (row[bit / 8] >> (8 - bpc as usize - bit % 8)) & ((1u8 << bpc) - 1),
        }
    };
    let scale = |v: u8| -> u8 {
        let max = (1u16 << bpc) - 1;
        let s = (v as u16 * 255 / max) as u8;
        if invert { 255 - s } else { s }
    };
    let rows = |y: u32| &data[y as usize * row_bytes..(y as usize + 1) * row_bytes];
    Ok(match (comps, &palette) {
        (1, Some(p)) => DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
            let i = sample(rows(y), x) as usize;
            Rgb(p.get(i).copied().unwrap_or([255, 255, 255]))
        })),
        (1, None) => DynamicImage::ImageLuma8(GrayImage::from_fn(w, h, |x, y| {
            Luma([scale(sample(rows(y), x))])
        })),
        (3, _) => DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
            let r = rows(y);
            Rgb([0, 1, 2].map(|k| scale(sample(r, x * 3 + k))))
        })),
        (4, _) => DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
            let r = rows(y);
            let [c, m, ye, k] = [0, 1, 2, 3].map(|i| scale(sample(r, x * 4 + i)) as u16);
            Rgb([c, m, ye].map(|v| ((255 - v) * (255 - k) / 255) as u8))
        })),
        _ => return Err(format!("{comps} colour components")),
    })
}

/// The number of components of a colour space, and the RGB palette of an Indexed one.
#[allow(clippy::type_complexity)]
fn colour_space(
    doc: &lopdf::Document,
    cs: Option<&Object>,
) -> Result<(u32, Option<Vec<[u8; 3]>>), String> {
    let name = |o: &Object| deref(doc, o).as_name().ok().map(|n| n.to_vec());
    match cs {
        None => Ok((1, None)),
        Some(Object::Name(n)) => match n.as_slice() {
            b"DeviceGray" | b"CalGray" | b"G" => Ok((1, None)),
            b"DeviceRGB" | b"CalRGB" | b"RGB" => Ok((3, None)),
            b"DeviceCMYK" | b"CMYK" => Ok((4, None)),
            other => Err(format!("colour space {}", String::from_utf8_lossy(other))),
        },
        Some(Object::Array(a)) => match a.first().and_then(name).as_deref() {
            Some(b"ICCBased") => {
                let n = a
                    .get(1)
                    .map(|o| deref(doc, o))
                    .and_then(|o| o.as_stream().ok())
                    .and_then(|s| s.dict.get(b"N").ok().and_then(number))
                    .unwrap_or(3.0);
                Ok((n as u32, None))
            }
            Some(b"CalGray") => Ok((1, None)),
            Some(b"CalRGB") => Ok((3, None)),
            Some(b"Indexed" | b"I") => {
                let (base, _) = colour_space(doc, a.get(1).map(|o| deref(doc, o)))?;
                let table: Vec<u8> = match a.get(3).map(|o| deref(doc, o)) {
                    Some(Object::String(s, _)) => s.clone(),
                    Some(Object::Stream(s)) => {
                        s.decompressed_content().map_err(|e| e.to_string())?
                    }
                    _ => return Err("indexed colour space without a table".into()),
                };
                let palette = table
                    .chunks_exact(base as usize)
                    .map(|c| match c {
                        [g] => [*g, *g, *g],
                        [r, g, b] => [*r, *g, *b],
                        [c, m, y, k] => {
                            [*c, *m, *y].map(|v| ((255 - v as u16) * (255 - *k as u16) / 255) as u8)
                        }
                        _ => [255, 255, 255],
                    })
                    .collect();
                Ok((1, Some(palette)))
            }
            _ => Err("colour space".into()),
        },
        Some(_) => Err("colour space".into()),
    }
}

/// A CCITT fax image (Group 3 or 4): wrapped in a one-strip TIFF and decoded by the
/// `tiff` crate's fax decoder.
fn ccitt(
    doc: &lopdf::Document,
    dict: &Dictionary,
    data: &[u8],
    w: u32,
    h: u32,
) -> Result<DynamicImage, String> {
    let parms = match dict.get(b"DecodeParms").map(|o| deref(doc, o)) {
        Ok(Object::Dictionary(d)) => Some(d),
        Ok(Object::Array(a)) => a.first().and_then(|o| deref(doc, o).as_dict().ok()),
        _ => None,
    };
    let p = |key: &[u8]| {
        parms
            .and_then(|d| d.get(key).ok())
            .and_then(|o| number(deref(doc, o)))
    };
    let k = p(b"K").unwrap_or(0.0);
    let black_is_1 = parms
        .and_then(|d| d.get(b"BlackIs1").ok())
        .and_then(|o| o.as_bool().ok())
        .unwrap_or(false);
    let (compression, t4_options) = if k < 0.0 {
        (4u16, 0u32)
    } else if k > 0.0 {
        (3, 1)
    } else {
        (3, 0)
    };
    let tiff = tiff_wrapper(w, h, compression, t4_options, black_is_1, data);
    tiff_images(&tiff)
        .map_err(|e| format!("CCITT: {e}"))?
        .pop()
        .ok_or_else(|| "CCITT: no image".to_string())
}

/// A little-endian TIFF holding one bilevel strip of compressed fax data.
fn tiff_wrapper(
    w: u32,
    h: u32,
    compression: u16,
    t4: u32,
    black_is_1: bool,
    data: &[u8],
) -> Vec<u8> {
    let entries: Vec<(u16, u16, u32)> = {
        let mut e = vec![
            (256, 4, w),                              // ImageWidth
            (257, 4, h),                              // ImageLength
            (258, 3, 1),                              // BitsPerSample
            (259, 3, compression as u32),             // Compression
            (262, 3, if black_is_1 { 1 } else { 0 }), // Photometric: WhiteIsZero unless BlackIs1
            (273, 4, 0),                              // StripOffsets (patched below)
            (277, 3, 1),                              // SamplesPerPixel
            (278, 4, h),                              // RowsPerStrip
            (279, 4, data.len() as u32),              // StripByteCounts
        ];
        if compression == 3 {
            e.push((292, 4, t4));
        }
        e
    };
    let ifd_len = 2 + entries.len() * 12 + 4;
    let data_offset = 8 + ifd_len as u32;
    let mut out = Vec::with_capacity(data_offset as usize + data.len());
    out.extend_from_slice(b"II*\0");
    out.extend_from_slice(&8u32.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, kind, value) in entries {
        let value = if tag == 273 { data_offset } else { value };
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        if kind == 3 {
            out.extend_from_slice(&(value as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
        } else {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(data);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a4_resolution_from_the_page_width() {
        assert!((a4_dpi(1654, 2339) - 200.0).abs() < 0.5);
        assert!((a4_dpi(2339, 1654) - 200.0).abs() < 0.5);
    }

    #[test]
    fn png_and_garbage() {
        let img = GrayImage::from_fn(8, 8, |x, _| Luma([x as u8 * 30]));
        let mut png = Vec::new();
        DynamicImage::ImageLuma8(img)
            .write_to(&mut std::io::Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        assert!(is_image(&png));
        let page = image_file(&png).unwrap();
        assert_eq!(page.len(), 1);
        assert_eq!(page[0].image.width(), 8);
        assert!(!is_image(b"%PDF-1.7"));
        let mut broken = png.clone();
        broken.truncate(40);
        assert!(matches!(
            image_file(&broken),
            Err(ReadError::BadImage { .. })
        ));
    }
}
