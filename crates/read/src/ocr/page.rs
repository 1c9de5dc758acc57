//! One page image → text lines and tables of recognised cells.

use image::{GrayImage, Luma};

use super::engine::{Engines, PxRect, Reading, Word};
use super::grid::{self, ImageTable};
use super::labels;
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
    if !raster::is_colour(&page.image) {
        gray = raster::flatten(&gray, source_dpi);
    }
    // A photographed page: its perspective undone first, from a table's border.
    let rectify = perspective::rectifier(&gray, &Ink::lenient(&gray), source_dpi);
    let perspective = rectify.is_some();
    if let Some(r) = rectify {
        gray = r.apply(&gray);
    }
    let skew = raster::skew_angle(&Ink::new(&gray));
    // Below a tenth of a degree the rules drift by under 3 pixels across a page: rotating
    // would only blur them.
    if skew.abs() >= 0.1 {
        gray = raster::rotate(&gray, skew);
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
        dpi_f = WORKING_DPI;
        for t in &mut found {
            t.scale(k);
        }
    }
    // A cell is blank only when even faint marks are absent: a value faded under a seal
    // must not pass for a blank.
    let ink = Ink::lenient(&gray);
    let dpi = dpi_f.round().max(50.0) as u32;
    let mut blocks: Vec<(u32, Block)> = Vec::new();
    Engines::with(&gray, dpi, |e| {
        for t in &found {
            blocks.push((t.rect[1], Block::Table(read_table(e, &gray, &ink, t, dpi)?)));
        }
        Ok(())
    })?;
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
fn tidy(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        join(&mut out, word);
    }
    out
}

/// Characters a value cell may be read as by the Chinese model.
fn digit_like(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c) || "OoDQlI|!〇]".contains(c)
}

/// A single dash-like mark: printed for an empty value.
fn dash_like(s: &str) -> bool {
    matches!(
        s,
        "-" | "—" | "一" | "–" | "―" | "－" | "_" | "~" | "——" | "--"
    )
}

fn read_table(
    e: &mut Engines,
    page: &GrayImage,
    ink: &Ink,
    t: &ImageTable,
    dpi: u32,
) -> Result<Table, ReadError> {
    let mut cells = Vec::with_capacity(t.cells.len());
    for c in &t.cells {
        let (text, confidence, doubt) = read_cell(e, ink, c.rect, dpi)?;
        cells.push(Cell {
            row: c.row,
            col: c.col,
            row_span: c.row_span,
            col_span: c.col_span,
            rect: c.rect,
            text,
            confidence,
            doubt,
        });
    }
    reread_value_columns(e, ink, &mut cells, dpi)?;
    third_readings(e, page, ink, &mut cells, dpi)?;
    Ok(Table {
        rect: t.rect,
        rows: t.rows,
        cells,
    })
}

/// True for a cell read as a number or a blank mark.
fn is_value(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) || matches!(text, "—" | "/" | "无")
}

/// In a column of values (at least three, and twice as many as texts), or right of a
/// value in a row of values (the same), a short text is a value the Chinese model misread
/// (`了` for 7): read it again with the digits model, and keep it doubtful, since the two
/// models disagree. A value is never left as a text, which would make the mapper lose the
/// whole row.
fn reread_value_columns(
    e: &mut Engines,
    ink: &Ink,
    cells: &mut [Cell],
    dpi: u32,
) -> Result<(), ReadError> {
    let cols = cells.iter().map(|c| c.col + 1).max().unwrap_or(0);
    let rows = cells.iter().map(|c| c.row + 1).max().unwrap_or(0);
    // (values, texts) per column and per row.
    let mut by_col = vec![(0usize, 0usize); cols];
    let mut by_row = vec![(0usize, 0usize); rows];
    // The leftmost value of each row.
    let mut first_value = vec![usize::MAX; rows];
    for c in cells.iter().filter(|c| !c.text.is_empty()) {
        let value = is_value(&c.text);
        if c.col_span == 1 {
            let n = &mut by_col[c.col];
            if value { n.0 += 1 } else { n.1 += 1 }
        }
        let n = &mut by_row[c.row];
        if value {
            n.0 += 1;
            first_value[c.row] = first_value[c.row].min(c.col);
        } else {
            n.1 += 1;
        }
    }
    let mostly_values = |(v, t): (usize, usize)| v >= 3 && v >= 2 * t;
    for c in cells.iter_mut() {
        let in_values = (c.col_span == 1 && mostly_values(by_col[c.col]))
            || (mostly_values(by_row[c.row]) && first_value[c.row] < c.col);
        if !in_values || c.text.is_empty() || is_value(&c.text) {
            continue;
        }
        if c.text.chars().count() > 4 {
            continue;
        }
        let Some(area) = ink_box(ink, c.rect, dpi) else {
            continue;
        };
        let digits = e.digits(area)?;
        let value = tidy(&digits.text).replace(' ', "");
        let seen = std::mem::take(&mut c.text);
        c.doubt = Some(if value.is_empty() {
            format!("识别不出数字（原图为“{seen}”）")
        } else {
            format!("两种识别结果不一致（“{value}”与“{seen}”）")
        });
        c.confidence = digits.confidence;
        c.text = value;
    }
    Ok(())
}

/// Reads every doubtful value again, from a cleaned crop ([`raster::clean_crop`]: a
/// median against noise and JPEG artefacts, paper around it), with both models. The doubt
/// is lifted only when the evidence agrees: both models read the crop as the digits the
/// digits model first read, the digits model confidently. (A median can close a blurred
/// 3 into an 8 that both models then read alike: agreeing with the first reading is what
/// keeps such a value doubtful.)
fn third_readings(
    e: &mut Engines,
    page: &GrayImage,
    ink: &Ink,
    cells: &mut [Cell],
    dpi: u32,
) -> Result<(), ReadError> {
    let margin = (dpi / 20).max(4);
    let mut moved = false;
    for c in cells.iter_mut() {
        if c.doubt.is_none() || c.text.is_empty() {
            continue;
        }
        let Some(area) = ink_box(ink, c.rect, dpi) else {
            continue;
        };
        let crop = raster::clean_crop(page, area, margin);
        let (general, digits) = e.both_of(&crop, dpi)?;
        moved = true;
        let seen = tidy(&general.text);
        let read = tidy(&digits.text).replace(' ', "");
        if seen == read && read == c.text && digits.confidence >= MIN_VALUE_CONFIDENCE {
            c.confidence = digits.confidence;
            c.doubt = None;
        }
    }
    if moved {
        e.set_page(page, dpi)?;
    }
    Ok(())
}

/// The box of the ink inside `rect` (rules at its edges left out), with a margin; `None`
/// when the cell is blank.
fn ink_box(ink: &Ink, rect: PxRect, dpi: u32) -> Option<PxRect> {
    let pad = (dpi / 50).max(2);
    let [x0, y0, x1, y1] = [
        rect[0] + pad,
        rect[1] + pad,
        rect[2].saturating_sub(pad),
        rect[3].saturating_sub(pad),
    ];
    if x1 <= x0 + 2 || y1 <= y0 + 2 {
        return None;
    }
    let (mut bx0, mut by0, mut bx1, mut by1, mut n) = (u32::MAX, u32::MAX, 0, 0, 0u32);
    for y in y0..y1 {
        for x in x0..x1 {
            if ink.get(x, y) {
                n += 1;
                bx0 = bx0.min(x);
                by0 = by0.min(y);
                bx1 = bx1.max(x + 1);
                by1 = by1.max(y + 1);
            }
        }
    }
    // Less ink than a small dot (a quarter of a millimetre square, times four): blank.
    let dot = (dpi / 100).max(1).pow(2) * 4;
    if n < dot {
        return None;
    }
    let m = (dpi / 25).max(3);
    Some([
        bx0.saturating_sub(m).max(rect[0] + 1),
        by0.saturating_sub(m).max(rect[1] + 1),
        (bx1 + m).min(rect[2].saturating_sub(1)),
        (by1 + m).min(rect[3].saturating_sub(1)),
    ])
}

/// Reads one cell: its text, confidence and, for a value, the reason to doubt it.
fn read_cell(
    e: &mut Engines,
    ink: &Ink,
    rect: PxRect,
    dpi: u32,
) -> Result<(String, f32, Option<String>), ReadError> {
    let Some(area) = ink_box(ink, rect, dpi) else {
        return Ok((String::new(), 100.0, None));
    };
    let general = e.text(area)?;
    let seen = tidy(&general.text);
    if dash_like(&seen) || matches!(seen.as_str(), "/" | "无") {
        let mark = if seen == "/" || seen == "无" {
            seen
        } else {
            "—".to_string()
        };
        return Ok((mark, general.confidence, None));
    }
    let cjk = seen.chars().any(|c| c as u32 >= 0x2E80);
    let short = seen.chars().count() <= 3;
    // A lone "1" is often read as 工 or 丨 by the Chinese model, with a low confidence.
    let numeric = !seen.is_empty() && seen.chars().all(digit_like)
        || (!cjk && seen.chars().count() <= 4)
        || (short && general.confidence < 60.0);
    if !numeric {
        let label = labels::mend(&seen).map_or(seen, str::to_string);
        return Ok((label, general.confidence, None));
    }
    let digits: Reading = e.digits(area)?;
    let value = tidy(&digits.text).replace(' ', "");
    let doubt = value_doubt(&seen, &value, digits.confidence);
    Ok((value, digits.confidence, doubt))
}

/// Why a value read by the digits model (`value`, confidence `conf`) is doubtful, given
/// what the general model saw (`seen`).
fn value_doubt(seen: &str, value: &str, conf: f32) -> Option<String> {
    if value.is_empty() {
        return Some(format!("识别不出数字（原图为“{seen}”）"));
    }
    if conf < MIN_VALUE_CONFIDENCE {
        return Some(format!("文字识别置信度低（{conf:.0}%），读作“{value}”"));
    }
    let ascii: String = seen.chars().filter(|c| c.is_ascii_digit()).collect();
    if ascii.len() == seen.chars().count() && ascii != value {
        return Some(format!("两种识别结果不一致（“{value}”与“{ascii}”）"));
    }
    None
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
    fn doubts() {
        assert_eq!(value_doubt("12", "12", 95.0), None);
        assert!(value_doubt("12", "12", 60.0).unwrap().contains("置信度低"));
        assert!(value_doubt("17", "12", 95.0).unwrap().contains("不一致"));
        assert!(value_doubt("l2", "", 95.0).is_some());
        // The general model's letters are no evidence against the digits model.
        assert_eq!(value_doubt("l2", "12", 95.0), None);
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
