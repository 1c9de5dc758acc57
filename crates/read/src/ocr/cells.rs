//! The cells of a table found on a page: each read on its own — a label by the Chinese
//! model, a value a second time by the digits-only model — with the reason to doubt a
//! value, and the readings that disagree kept as alternatives for the sums to choose
//! between ([`super::sums::confirm`]).

use image::GrayImage;

use super::engine::{Engines, PxRect, Reading};
use super::glyphs::Glyphs;
use super::grid::ImageTable;
use super::labels;
use super::page::{Cell, MIN_VALUE_CONFIDENCE, Table, tidy};
use super::raster::{self, Ink};
use crate::ReadError;

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

pub(super) fn read_table(
    e: &mut Engines,
    page: &GrayImage,
    ink: &Ink,
    t: &ImageTable,
    dpi: u32,
) -> Result<Table, ReadError> {
    let mut cells = Vec::with_capacity(t.cells.len());
    for c in &t.cells {
        let (text, confidence, doubt, alternatives, general) = read_cell(e, ink, c.rect, dpi)?;
        cells.push(Cell {
            row: c.row,
            col: c.col,
            row_span: c.row_span,
            col_span: c.col_span,
            rect: c.rect,
            text,
            confidence,
            doubt,
            alternatives,
            crop_digits: String::new(),
            general,
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

/// Settles the values of a page after its tables are read.
///
/// 1. A value under a seal (`seal`: the page's [`raster::colour_ink`], when it is a
///    colour page) is doubtful however sure the models were: the seal's ring can hide a
///    digit from both alike (600022 read as 60002 with confidence).
/// 2. The page's own digits ([`Glyphs`]) are learnt from the values read beyond doubt,
///    and a doubt is lifted when they read the value clearly and exactly as the digits
///    model did (two readers of different kinds agreeing); a clear reading that differs
///    is kept as an alternative for the sums. They do not read points: where the Chinese
///    model saw one, they settle nothing.
pub(super) fn settle(
    page: &GrayImage,
    seal: Option<&GrayImage>,
    ink: &Ink,
    tables: &mut [Table],
    dpi: u32,
) {
    if let Some(seal) = seal {
        for c in tables.iter_mut().flat_map(|t| &mut t.cells) {
            if c.doubt.is_none()
                && is_number(&c.text)
                && let Some(area) = ink_box(ink, c.rect, dpi)
                && under_seal(seal, area, dpi)
            {
                c.doubt = Some(format!("印章覆盖此格，读作“{}”，须经核对", c.text));
            }
        }
    }
    let mut glyphs = Glyphs::default();
    for c in tables.iter().flat_map(|t| &t.cells) {
        if c.doubt.is_none()
            && !c.text.is_empty()
            && c.text.chars().all(|d| d.is_ascii_digit())
            && let Some(area) = ink_box(ink, c.rect, dpi)
        {
            glyphs.learn(page, area, &c.text, dpi);
        }
    }
    for c in tables.iter_mut().flat_map(|t| &mut t.cells) {
        if c.doubt.is_none() || c.general.chars().any(|ch| ".,．，·".contains(ch)) {
            continue;
        }
        let Some(area) = ink_box(ink, c.rect, dpi) else {
            continue;
        };
        let Some(read) = glyphs.read(page, area, dpi) else {
            continue;
        };
        // The digits model's reading of the cell, or of its cleaned crop when it read
        // nothing in the cell.
        let model = if c.text.is_empty() {
            &c.crop_digits
        } else {
            &c.text
        };
        if read.text == *model {
            c.text = read.text;
            c.doubt = None;
            c.alternatives.clear();
        } else {
            add_alternative(&mut c.alternatives, &c.text, &read.text);
        }
    }
}

/// True when coloured ink lies over a value's box: more than a few dots' worth.
fn under_seal(seal: &GrayImage, area: PxRect, dpi: u32) -> bool {
    let dot = (dpi / 100).max(1).pow(2) * 4;
    let mut n = 0;
    for y in area[1]..area[3].min(seal.height()) {
        for x in area[0]..area[2].min(seal.width()) {
            if seal.get_pixel(x, y).0[0] <= raster::COLOURED {
                n += 1;
                if n > 2 * dot {
                    return true;
                }
            }
        }
    }
    false
}

/// True for a cell read as a number or a blank mark.
fn is_value(text: &str) -> bool {
    is_number(text) || matches!(text, "—" | "/" | "无")
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
        // A cell right of its row's label read as one or two characters that are no
        // label (行政强制 | 了): a lone digit misread.
        let lone = c.col > 0 && c.text.chars().count() <= 2;
        let in_values = (c.col_span == 1 && mostly_values(by_col[c.col]))
            || (mostly_values(by_row[c.row]) && first_value[c.row] < c.col)
            || lone;
        if !in_values || c.text.is_empty() || is_value(&c.text) || labels::is_known(&c.text) {
            continue;
        }
        if c.text.chars().count() > 4 {
            continue;
        }
        let Some(area) = ink_box(ink, c.rect, dpi) else {
            continue;
        };
        let digits = e.digits(area)?;
        let value = digits_of(&digits.text);
        let seen = std::mem::take(&mut c.text);
        c.general = seen.clone();
        c.doubt = Some(if value.is_empty() {
            format!("识别不出数字（原图为“{seen}”）")
        } else {
            format!("两种识别结果不一致（“{value}”与“{seen}”）")
        });
        c.confidence = digits.confidence;
        c.text = value;
    }
    // The label of a row of values that the engine could hardly read (“GE起计” for
    // “（七）总计”, 39 %) and that is no official label: left out rather than kept as a
    // name the mapper cannot find, so the row is placed by its order in the format if
    // that leaves no choice (and listed as such), or stays uncertain.
    for c in cells.iter_mut() {
        let label_of_values = mostly_values(by_row[c.row]) && c.col < first_value[c.row];
        if label_of_values
            && c.confidence < MIN_LABEL_CONFIDENCE
            && !c.text.is_empty()
            && !is_value(&c.text)
            && !labels::is_known(&c.text)
        {
            c.text.clear();
        }
    }
    Ok(())
}

/// Below this confidence a label that is no official one is not read at all.
const MIN_LABEL_CONFIDENCE: f32 = 50.0;

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
        if c.doubt.is_none() {
            continue;
        }
        let Some(area) = ink_box(ink, c.rect, dpi) else {
            continue;
        };
        let crop = raster::clean_crop(page, area, margin);
        let (general, digits) = e.both_of(&crop, dpi)?;
        moved = true;
        let seen = tidy(&general.text);
        let read = digits_of(&digits.text);
        if seen == read && read == c.text && digits.confidence >= MIN_VALUE_CONFIDENCE {
            c.confidence = digits.confidence;
            c.doubt = None;
            c.alternatives.clear();
        } else {
            add_alternative(&mut c.alternatives, &c.text, &read);
            add_alternative(&mut c.alternatives, &c.text, &seen);
            c.crop_digits = read;
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

/// What [`read_cell`] gives: the text, its confidence, the reason to doubt a value and
/// the other model's digits when they differ, and what the Chinese model saw.
type CellReading = (String, f32, Option<String>, Vec<String>, String);

/// Reads one cell: its text, confidence and, for a value, the reason to doubt it.
fn read_cell(e: &mut Engines, ink: &Ink, rect: PxRect, dpi: u32) -> Result<CellReading, ReadError> {
    let Some(area) = ink_box(ink, rect, dpi) else {
        return Ok((String::new(), 100.0, None, Vec::new(), String::new()));
    };
    let general = e.text(area)?;
    let seen = tidy(&general.text);
    if dash_like(&seen) || matches!(seen.as_str(), "/" | "无") {
        let mark = if seen == "/" || seen == "无" {
            seen
        } else {
            "—".to_string()
        };
        return Ok((mark, general.confidence, None, Vec::new(), String::new()));
    }
    let cjk = seen.chars().any(|c| c as u32 >= 0x2E80);
    let short = seen.chars().count() <= 3;
    // A value misread with a letter or two (TI220 for 1220) is still mostly digits; a
    // lone "1" is often read as 工 or 丨 by the Chinese model, with a low confidence.
    let digits_seen = seen.chars().filter(char::is_ascii_digit).count();
    let numeric = !seen.is_empty() && seen.chars().all(digit_like)
        || (!cjk && (seen.chars().count() <= 4 || digits_seen * 2 >= seen.chars().count()))
        || (short && general.confidence < 60.0);
    if !numeric {
        let label = labels::mend(&seen).map_or(seen, str::to_string);
        return Ok((label, general.confidence, None, Vec::new(), String::new()));
    }
    let digits: Reading = e.digits(area)?;
    let value = digits_of(&digits.text);
    let doubt = value_doubt(&seen, &value, digits.confidence);
    let mut alternatives = Vec::new();
    if doubt.is_some() {
        add_alternative(&mut alternatives, &value, &seen);
    }
    Ok((value, digits.confidence, doubt, alternatives, seen))
}

/// The digits model's text as a value: spaces out, and a point before the first digit
/// or after the last (a speck the model took for one) dropped.
fn digits_of(text: &str) -> String {
    tidy(text).replace(' ', "").trim_matches('.').to_string()
}

/// Keeps `reading` among a value's alternatives when it is digits only and differs from
/// the value `text` and from those kept.
fn add_alternative(alternatives: &mut Vec<String>, text: &str, reading: &str) {
    if !reading.is_empty()
        && is_number(reading)
        && reading != text
        && !alternatives.iter().any(|a| a == reading)
    {
        alternatives.push(reading.to_string());
    }
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
    let seen_number: String = seen
        .chars()
        .map(|c| if c == '．' { '.' } else { c })
        .collect();
    if is_number(&seen_number) && seen_number != value {
        return Some(format!("两种识别结果不一致（“{value}”与“{seen_number}”）"));
    }
    // A point or comma the Chinese model saw that the digits model did not read: the
    // value may be 110.139, not 110139.
    if !value.contains('.') && seen.chars().any(|c| ".,．，·".contains(c)) {
        return Some(format!("可能有小数点（原图为“{seen}”），读作“{value}”"));
    }
    None
}

/// Digits, with at most one decimal point between them (110.139).
pub(super) fn is_number(text: &str) -> bool {
    let mut parts = text.split('.');
    let whole = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    match (parts.next(), parts.next(), parts.next()) {
        (Some(a), None, _) => whole(a),
        (Some(a), Some(b), None) => whole(a) && whole(b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubts() {
        assert_eq!(value_doubt("12", "12", 95.0), None);
        assert!(value_doubt("12", "12", 60.0).unwrap().contains("置信度低"));
        assert!(value_doubt("17", "12", 95.0).unwrap().contains("不一致"));
        // A decimal point: both read it, or the doubt says it may be there.
        assert_eq!(value_doubt("110.139", "110.139", 95.0), None);
        assert!(
            value_doubt("110.139", "110139", 95.0)
                .unwrap()
                .contains("不一致")
        );
        assert!(
            value_doubt("110，139", "110139", 95.0)
                .unwrap()
                .contains("小数点")
        );
        assert!(value_doubt("13", "1.3", 95.0).unwrap().contains("不一致"));
        assert!(is_number("0.5") && !is_number(".5") && !is_number("1.2.3") && !is_number(""));
        assert!(value_doubt("l2", "", 95.0).is_some());
        // The general model's letters are no evidence against the digits model.
        assert_eq!(value_doubt("l2", "12", 95.0), None);
    }
}
