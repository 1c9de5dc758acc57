//! One page image → text lines and tables of recognised cells.

use image::{GrayImage, Luma};

use super::cells;
use super::engine::{Engines, PxRect, Word};
use super::grid;
use super::perspective;
use super::raster::{self, Ink};
use super::source::PageImage;
use crate::ReadError;

/// The resolution pages are recognised at.
pub const WORKING_DPI: f32 = 200.0;

/// Below this confidence (Tesseract's 0–100) a value is uncertain.
pub const MIN_VALUE_CONFIDENCE: f32 = 80.0;

/// One recognised table cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub row: usize,
    pub col: usize,
    pub row_span: usize,
    pub col_span: usize,
    pub rect: PxRect,
    /// What was read: for a value cell the digits, for a label its words.
    pub text: String,
    pub confidence: f32,
    /// Why the value cannot be trusted, when it cannot.
    pub doubt: Option<String>,
    /// Other readings of a doubtful value (digits only) that disagree with `text`: by the
    /// other model, or from a cleaned or enlarged crop. The table's sums may confirm one
    /// of them (`sums::confirm`); none is taken on its own.
    pub alternatives: Vec<String>,
    /// The digits model's reading of a doubtful value's cleaned crop (empty when there
    /// was none, or when it lifted the doubt).
    pub crop_digits: String,
    /// The Chinese model's reading of a value cell (its points and commas count).
    pub general: String,
}

/// A recognised table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub rect: PxRect,
    pub rows: usize,
    pub cells: Vec<Cell>,
}

/// A line of running text.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    pub rect: PxRect,
    pub confidence: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Line(Line),
    Table(Table),
}

/// A recognised page: its blocks in reading order (top to bottom).
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub dpi: f32,
    /// The skew found and undone, in degrees.
    pub skew: f32,
    /// True when the page was photographed at an angle and its perspective undone.
    pub perspective: bool,
    /// How the perspective was undone (for cutting a cell's image out of the page as
    /// stored, [`super::crop`]).
    pub rectify: Option<perspective::Rectify>,
    pub width: u32,
    pub height: u32,
    pub blocks: Vec<Block>,
}

/// Recognises one page.
pub fn recognise(page: &PageImage) -> Result<Page, ReadError> {
    let source_dpi = page.dpi.round().max(50.0) as u32;
    // White paper: uneven light taken out of a grey page. (A colour page keeps its grey
    // as it is: flattening lightened the print under a seal's fill too much.)
    let mut gray = raster::to_gray(&page.image);
    if raster::is_colour(&page.image) {
        gray = raster::unseal(&page.image, &gray);
    } else {
        gray = raster::flatten(&gray, source_dpi);
    }
    // Where coloured ink (a seal) lies, as a page of its own (coloured is dark), put
    // through the same geometry as the page: a value under a seal is checked again.
    let mut seal = raster::is_colour(&page.image).then(|| raster::colour_ink(&page.image));
    // A photographed page: its perspective undone first, from a table's border.
    let rectify = perspective::rectifier(&gray, &Ink::lenient(&gray), source_dpi);
    let perspective = rectify.is_some();
    if let Some(r) = &rectify {
        gray = r.apply(&gray);
        seal = seal.map(|s| r.apply(&s));
    }
    let skew = raster::skew_angle(&Ink::new(&gray));
    // Below a tenth of a degree the rules drift by under 3 pixels across a page: rotating
    // would only blur them.
    if skew.abs() >= 0.1 {
        gray = raster::rotate(&gray, skew);
        seal = seal.map(|s| raster::rotate(&s, skew));
    }
    // The rules are found at the resolution of the source, where they are sharpest.
    let mut found = grid::tables(&Ink::lenient(&gray), source_dpi);
    // The engine reads this report's print best at about 200 dpi (at 300 dpi it took 6
    // for 0 and lost lone digits in the tests): scale the page, and the grid, to it.
    let mut dpi_f = page.dpi;
    if (dpi_f / WORKING_DPI - 1.0).abs() > 0.1 {
        let k = WORKING_DPI / dpi_f;
        let (w, h) = (
            (gray.width() as f32 * k).round().max(1.0) as u32,
            (gray.height() as f32 * k).round().max(1.0) as u32,
        );
        gray = image::imageops::resize(&gray, w, h, image::imageops::FilterType::Triangle);
        seal =
            seal.map(|s| image::imageops::resize(&s, w, h, image::imageops::FilterType::Triangle));
        dpi_f = WORKING_DPI;
        for t in &mut found {
            t.scale(k);
        }
    }
    // A cell is blank only when even faint marks are absent: a value faded under a seal
    // must not pass for a blank.
    let ink = Ink::lenient(&gray);
    let dpi = dpi_f.round().max(50.0) as u32;
    let mut tables = Engines::with(&gray, dpi, |e| {
        found
            .iter()
            .map(|t| cells::read_table(e, &gray, &ink, t, dpi))
            .collect::<Result<Vec<_>, _>>()
    })?;
    cells::settle(&gray, seal.as_ref(), &ink, &mut tables, dpi);
    let mut blocks: Vec<(u32, Block)> = tables
        .into_iter()
        .map(|t| (t.rect[1], Block::Table(t)))
        .collect();
    // Running text: the page with the tables whited out.
    let mut rest = gray.clone();
    for t in &found {
        for y in t.rect[1]..t.rect[3].min(rest.height()) {
            for x in t.rect[0]..t.rect[2].min(rest.width()) {
                rest.put_pixel(x, y, Luma([255]));
            }
        }
    }
    let words = Engines::with(&rest, dpi, |e| e.words([0, 0, rest.width(), rest.height()]))?;
    for line in lines(&words) {
        blocks.push((line.rect[1], Block::Line(line)));
    }
    blocks.sort_by_key(|(top, _)| *top);
    Ok(Page {
        dpi: dpi_f,
        skew,
        perspective,
        rectify,
        width: gray.width(),
        height: gray.height(),
        blocks: blocks.into_iter().map(|(_, b)| b).collect(),
    })
}

/// Groups words into lines (Tesseract's block, paragraph and line numbers), joining CJK
/// without spaces and Latin words with one; then joins the lines of wrapped running text
/// into paragraphs.
fn lines(words: &[Word]) -> Vec<Line> {
    let mut out: Vec<(Line, (u32, u32, u32), f32)> = Vec::new();
    for w in words {
        if w.confidence < 10.0 && w.text.chars().all(|c| !c.is_alphanumeric()) {
            continue; // specks read as punctuation
        }
        match out.last_mut() {
            Some((line, key, n)) if *key == w.line => {
                join(&mut line.text, &w.text);
                line.rect = union(line.rect, w.rect);
                line.confidence += w.confidence;
                *n += 1.0;
            }
            _ => out.push((
                Line {
                    text: w.text.clone(),
                    rect: w.rect,
                    confidence: w.confidence,
                },
                w.line,
                1.0,
            )),
        }
    }
    let mut paragraphs: Vec<(Line, (u32, u32, u32), f32)> = Vec::new();
    for (line, key, n) in out {
        match paragraphs.last_mut() {
            Some((p, pkey, pn)) if continues(&p.text, *pkey, &line.text, key) => {
                join(&mut p.text, &line.text);
                p.rect = union(p.rect, line.rect);
                p.confidence += line.confidence;
                *pn += n;
                *pkey = key;
            }
            _ => paragraphs.push((line, key, n)),
        }
    }
    paragraphs
        .into_iter()
        .map(|(mut l, _, n)| {
            l.confidence /= n;
            l
        })
        .filter(|l| !l.text.trim().is_empty())
        .collect()
}

/// True when line `next` continues the paragraph `text`: the same Tesseract block and
/// paragraph, `text` does not end a sentence, and neither is a heading or an item.
fn continues(text: &str, key: (u32, u32, u32), next: &str, next_key: (u32, u32, u32)) -> bool {
    (key.0, key.1) == (next_key.0, next_key.1)
        && !text.ends_with(['。', '：', ':', '；', ';'])
        && !starts_heading(text)
        && !starts_heading(next)
}

/// 一、 / （一） / (一) / 1. at the start of a text.
fn starts_heading(text: &str) -> bool {
    let mut chars = text.chars();
    let first = chars.next();
    let second = chars.next();
    match (first, second) {
        (Some('（' | '(' | '《' | '〈'), Some(c)) => "一二三四五六七八九十".contains(c),
        (Some(c), Some('、' | '.' | '．')) => "一二三四五六七八九十0123456789".contains(c),
        _ => false,
    }
}

/// Appends a word: with a space only between two Latin letters or digits.
fn join(line: &mut String, word: &str) {
    let before = line.chars().last();
    let after = word.chars().next();
    if let (Some(a), Some(b)) = (before, after)
        && a.is_ascii_alphanumeric()
        && b.is_ascii_alphanumeric()
    {
        line.push(' ');
    }
    line.push_str(word);
}

fn union(a: PxRect, b: PxRect) -> PxRect {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

/// Removes the spaces Tesseract puts between CJK characters.
pub(super) fn tidy(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        join(&mut out, word);
    }
    out
}

/// Crops a region of a grey image (for showing a doubtful cell).
pub fn crop(img: &GrayImage, rect: PxRect) -> GrayImage {
    image::imageops::crop_imm(img, rect[0], rect[1], rect[2] - rect[0], rect[3] - rect[1])
        .to_image()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_joined_without_spaces_latin_with() {
        assert_eq!(tidy("总 体 情 况"), "总体情况");
        assert_eq!(tidy("2023 年 GB 18030"), "2023年GB 18030");
    }

    #[test]
    fn words_become_lines() {
        let w = |t: &str, x: u32, line: u32| Word {
            text: t.into(),
            rect: [x, line * 30, x + 20, line * 30 + 20],
            confidence: 90.0,
            line: (1, 1, line),
        };
        let ls = lines(&[
            w("一、", 0, 1),
            w("总体", 20, 1),
            w("情况", 40, 1),
            w("2023", 0, 2),
            w("年", 30, 2),
        ]);
        assert_eq!(ls.len(), 2);
        assert_eq!(ls[0].text, "一、总体情况");
        assert_eq!(ls[0].rect, [0, 30, 60, 50]);
        assert_eq!(ls[1].text, "2023年");
    }
}
