//! The only code that knows the OCR engine: Tesseract (Debian's `libtesseract5` with the
//! `chi_sim` and `eng` models of `tesseract-ocr-chi-sim` / `tesseract-ocr-eng`) through the
//! `tesseract-plumbing` binding. Two engines are kept per thread (loading a model takes a
//! few hundred milliseconds): one for Chinese text, one for digits only (and the decimal point: fees are in 万元 with decimals).

use std::cell::RefCell;
use std::ffi::CString;

use image::GrayImage;
use tesseract_plumbing::TessBaseApi;
use tesseract_plumbing::tesseract_sys::{
    TessPageSegMode, TessPageSegMode_PSM_SINGLE_BLOCK, TessPageSegMode_PSM_SINGLE_COLUMN,
    TessPageSegMode_PSM_SINGLE_LINE,
};

use crate::ReadError;

/// A rectangle in pixels of the page image: left, top, right, bottom (exclusive).
pub type PxRect = [u32; 4];

/// What the engine read in a region.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub text: String,
    /// Mean word confidence, 0–100 (Tesseract's own scale); 0 when nothing was read.
    pub confidence: f32,
}

/// One recognised word with its box (pixels of the page image).
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    pub rect: PxRect,
    pub confidence: f32,
    /// Tesseract's block, paragraph and line numbers: words sharing them form a line.
    pub line: (u32, u32, u32),
}

fn ocr_error(what: &str) -> ReadError {
    ReadError::Ocr {
        detail: what.to_string(),
    }
}

struct Api {
    api: TessBaseApi,
}

impl Api {
    fn new(lang: &str, whitelist: Option<&str>) -> Result<Self, ReadError> {
        let mut api = TessBaseApi::create();
        let lang_c = CString::new(lang).map_err(|_| ocr_error("language"))?;
        api.init_2(None, Some(&lang_c)).map_err(|_| {
            ocr_error(&format!(
                "无法加载 Tesseract 语言数据 {lang}（请安装 Debian 软件包 tesseract-ocr-chi-sim、tesseract-ocr-eng，见 scripts/install-ocr）/ cannot load the Tesseract model {lang}"
            ))
        })?;
        let mut set = |name: &str, value: &str| -> Result<(), ReadError> {
            let (n, v) = (CString::new(name), CString::new(value));
            match (n, v) {
                (Ok(n), Ok(v)) => api
                    .set_variable(&n, &v)
                    .map_err(|_| ocr_error(&format!("variable {name}"))),
                _ => Err(ocr_error(name)),
            }
        };
        // Keep the engine quiet and its output deterministic.
        set("debug_file", "/dev/null")?;
        if let Some(w) = whitelist {
            set("tessedit_char_whitelist", w)?;
        }
        Ok(Api { api })
    }

    fn set_image(&mut self, img: &GrayImage, dpi: u32) -> Result<(), ReadError> {
        let (w, h) = (img.width() as i32, img.height() as i32);
        self.api
            .set_image(img.as_raw(), w, h, 1, w)
            .map_err(|_| ocr_error("image"))?;
        self.api.set_source_resolution(dpi as i32);
        Ok(())
    }

    fn read(&mut self, rect: PxRect, mode: TessPageSegMode) -> Result<Reading, ReadError> {
        self.api.set_page_seg_mode(mode);
        self.api.set_rectangle(
            rect[0] as i32,
            rect[1] as i32,
            (rect[2] - rect[0]) as i32,
            (rect[3] - rect[1]) as i32,
        );
        let text = self
            .api
            .get_utf8_text()
            .map_err(|_| ocr_error("recognition"))?;
        let text = text.as_ref().to_string_lossy().trim().to_string();
        let confidence = if text.is_empty() {
            0.0
        } else {
            self.api.mean_text_conf() as f32
        };
        Ok(Reading { text, confidence })
    }

    fn words(&mut self, rect: PxRect) -> Result<Vec<Word>, ReadError> {
        self.api
            .set_page_seg_mode(TessPageSegMode_PSM_SINGLE_COLUMN);
        self.api.set_rectangle(
            rect[0] as i32,
            rect[1] as i32,
            (rect[2] - rect[0]) as i32,
            (rect[3] - rect[1]) as i32,
        );
        self.api.recognize().map_err(|_| ocr_error("recognition"))?;
        let tsv = self.api.get_tsv_text(0).map_err(|_| ocr_error("tsv"))?;
        Ok(parse_tsv(&tsv.as_ref().to_string_lossy()))
    }
}

/// Parses Tesseract's TSV output (level, page, block, par, line, word, left, top, width,
/// height, conf, text) into words.
fn parse_tsv(tsv: &str) -> Vec<Word> {
    let mut words = Vec::new();
    for line in tsv.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        let n = |i: usize| f[i].parse::<u32>().unwrap_or(0);
        let text = f[11].trim();
        if text.is_empty() {
            continue;
        }
        let (l, t) = (n(6), n(7));
        words.push(Word {
            text: text.to_string(),
            rect: [l, t, l + n(8), t + n(9)],
            confidence: f[10].parse().unwrap_or(0.0),
            line: (n(2), n(3), n(4)),
        });
    }
    words
}

/// The engines of this thread, set to one page image.
pub struct Engines {
    chinese: Api,
    digits: Api,
}

thread_local! {
    static ENGINES: RefCell<Option<Engines>> = const { RefCell::new(None) };
}

impl Engines {
    /// Runs `f` with this thread's engines (loaded on first use) set to `img`.
    pub fn with<T>(
        img: &GrayImage,
        dpi: u32,
        f: impl FnOnce(&mut Engines) -> Result<T, ReadError>,
    ) -> Result<T, ReadError> {
        ENGINES.with(|cell| {
            let mut slot = cell.borrow_mut();
            if slot.is_none() {
                *slot = Some(Engines {
                    chinese: Api::new("chi_sim", None)?,
                    digits: Api::new("eng", Some("0123456789."))?,
                });
            }
            let engines = slot.as_mut().ok_or_else(|| ocr_error("engine"))?;
            engines.chinese.set_image(img, dpi)?;
            engines.digits.set_image(img, dpi)?;
            f(engines)
        })
    }

    /// Chinese (and Latin) text of a block, e.g. a table cell.
    pub fn text(&mut self, rect: PxRect) -> Result<Reading, ReadError> {
        self.chinese.read(rect, TessPageSegMode_PSM_SINGLE_BLOCK)
    }

    /// Digits only, read as one line.
    pub fn digits(&mut self, rect: PxRect) -> Result<Reading, ReadError> {
        self.digits.read(rect, TessPageSegMode_PSM_SINGLE_LINE)
    }

    /// Both models' readings of a separate image (a cell's cleaned crop): the Chinese
    /// model's text and the digits. The engines are left set to `img`: set the page
    /// again ([`Engines::set_page`]) before reading regions of it.
    pub fn both_of(&mut self, img: &GrayImage, dpi: u32) -> Result<(Reading, Reading), ReadError> {
        self.set_page(img, dpi)?;
        let whole = [0, 0, img.width(), img.height()];
        Ok((self.text(whole)?, self.digits(whole)?))
    }

    /// Sets both engines to a page image.
    pub fn set_page(&mut self, img: &GrayImage, dpi: u32) -> Result<(), ReadError> {
        self.chinese.set_image(img, dpi)?;
        self.digits.set_image(img, dpi)
    }

    /// The words of a region of running text, with their boxes and lines.
    pub fn words(&mut self, rect: PxRect) -> Result<Vec<Word>, ReadError> {
        self.chinese.words(rect)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_keep_boxes_lines_and_confidence() {
        let tsv = "1\t1\t0\t0\t0\t0\t0\t0\t100\t50\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t10\t20\t30\t15\t96.5\t总体\n\
                   5\t1\t1\t1\t1\t2\t45\t20\t30\t15\t91\t情况\n\
                   5\t1\t1\t1\t2\t1\t10\t40\t30\t15\t-1\t \n";
        let words = parse_tsv(tsv);
        assert_eq!(words.len(), 2);
        assert_eq!(words[0].text, "总体");
        assert_eq!(words[0].rect, [10, 20, 40, 35]);
        assert_eq!(words[1].line, (1, 1, 1));
        assert!((words[1].confidence - 91.0).abs() < 1e-6);
    }
}
