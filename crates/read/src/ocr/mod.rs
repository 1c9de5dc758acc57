//! The scan reader (cargo feature `ocr`): photographed or scanned report pages — image
//! files (PNG, JPEG, TIFF) and PDFs whose pages are images — → [`Document`], through
//! Tesseract (Debian's `tesseract-ocr` with the `chi_sim` and `eng` models; nothing is
//! downloaded at run time).
//!
//! Stages, each in its own module:
//!
//! 1. [`source`] — the page images: image files decoded by the `image` crate; PDF pages'
//!    embedded images taken out as stored (JPEG, JPEG 2000, Flate/LZW rasters, CCITT fax,
//!    JBIG2), not rendered again.
//! 2. `raster` — grey levels (coloured ink such as a red seal dropped, the print under an
//!    opaque seal brought back), a threshold, and deskewing by the sharpest projection
//!    profile; [`perspective`] undoes a photographed page's perspective.
//! 3. `grid` — ruled tables: the ruling lines (no thicker than a rule: a seal's ring is
//!    none) and the cell grid with row and column spans.
//! 4. `page` and `cells` — each cell recognised on its own (a value cell a second time
//!    with a digits-only model, a doubtful one a third time from a cleaned crop), the
//!    text outside the tables as lines; then `glyphs`, the page's own digits learnt from
//!    its values read beyond doubt, as a reader of a different kind.
//! 5. `sums` — the format's sums as a check on the recognised values, and as the
//!    confirmation of a doubtful value's reading.
//!
//! The document has the same shape as the PDF reader's: tables whose cells carry spans,
//! paragraphs (one per printed line), provenance [`Location::Pdf`] with the 1-based page
//! and the box in points (1/72 inch) from the top left, so the mapper and the checker
//! serve scans unchanged.
//!
//! [`crop`] cuts a cell's image out of its page by the cell's provenance (the web checker
//! shows it beside an uncertain value or a failing sum).
//!
//! Honesty: a value is doubtful when its recognition confidence is low, when the two
//! models read different digits, when a seal lies over it, or when it is the one cell
//! that explains why its row and column do not add up. A doubt is lifted only by more
//! evidence: both models reading the cleaned crop as the digits model first did, a
//! reader of another kind agreeing (the page's digits read it as the digits model did),
//! or the table's sums confirming one of its readings — never by the sums alone. [`read_report`] lists doubtful values as uncertain (no value, never a guess);
//! [`read`] leaves the reading in the document followed by `?`.

mod cells;
pub mod crop;
mod engine;
mod glyphs;
mod grid;
mod labels;
pub mod page;
pub mod perspective;
mod raster;
pub mod source;
mod sums;

use gongkai_format::CellIdx;
use gongkai_report::{
    Block, Document, GridCell, Location, Paragraph, Report, Table, Uncertain, Value, parse_number,
};

use crate::ReadError;
pub use source::PageImage;

/// A recognised scan: its pages in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Scan {
    pub pages: Vec<page::Page>,
}

/// True when the bytes are an image file this reader takes (PNG, JPEG or TIFF).
pub fn is_image(bytes: &[u8]) -> bool {
    source::is_image(bytes)
}

/// The page images of one input: a PNG or JPEG is one page, a TIFF one page per image, a
/// PDF gives the image of each of its pages.
pub fn page_images(bytes: &[u8]) -> Result<Vec<PageImage>, ReadError> {
    if bytes.starts_with(b"%PDF-") {
        source::pdf_pages(bytes)
    } else {
        source::image_file(bytes)
    }
}

/// Recognises the pages of several inputs as one report (their pages in order).
pub fn recognise(inputs: &[&[u8]]) -> Result<Scan, ReadError> {
    let mut pages = Vec::new();
    for bytes in inputs {
        for image in page_images(bytes)? {
            pages.push(page::recognise(&image)?);
        }
    }
    Ok(Scan { pages })
}

/// Reads a scan into a document; a doubtful value keeps its reading followed by `?`.
pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    Ok(document(&recognise(&[bytes])?, true))
}

/// Reads one scan into a report (see [`report`]).
pub fn read_report(bytes: &[u8]) -> Result<Report, ReadError> {
    report(&recognise(&[bytes])?)
}

fn pdf_loc(page: usize, dpi: f32, r: engine::PxRect) -> Location {
    let k = 72.0 / dpi;
    let round = |v: u32| (v as f32 * k * 10.0).round() / 10.0;
    Location::Pdf {
        page: u32::try_from(page + 1).unwrap_or(u32::MAX),
        bbox: [round(r[0]), round(r[1]), round(r[2]), round(r[3])],
    }
}

/// The document of a recognised scan. With `mark`, a doubtful value's text is its
/// reading followed by `?` (so it is not a number); without, the bare reading (for
/// [`report`], which then lists the cell as uncertain).
pub fn document(scan: &Scan, mark: bool) -> Document {
    let mut blocks = Vec::new();
    for (p, page) in scan.pages.iter().enumerate() {
        for block in &page.blocks {
            match block {
                page::Block::Line(l) => blocks.push(Block::Paragraph(Paragraph {
                    text: l.text.clone(),
                    loc: pdf_loc(p, page.dpi, l.rect),
                })),
                page::Block::Table(t) => {
                    let mut rows: Vec<Vec<GridCell>> = vec![Vec::new(); t.rows];
                    for c in &t.cells {
                        let text = match (&c.doubt, mark) {
                            (Some(_), true) => format!("{}?", c.text),
                            _ => c.text.clone(),
                        };
                        rows[c.row].push(GridCell {
                            text,
                            loc: pdf_loc(p, page.dpi, c.rect),
                            row_span: c.row_span as u32,
                            col_span: c.col_span as u32,
                        });
                    }
                    blocks.push(Block::Table(Table { rows }));
                }
            }
        }
    }
    Document { blocks }
}

/// The report of a recognised scan: mapped like any document, then every doubtful value
/// (low confidence, models disagreeing, or the one cell that explains a failing sum) made
/// uncertain.
pub fn report(scan: &Scan) -> Result<Report, ReadError> {
    let mut report = crate::map::map(&document(scan, false))?;
    // Recognised value cells by location, with their doubts.
    let mut cells: Vec<(Location, &page::Cell)> = Vec::new();
    for (p, page) in scan.pages.iter().enumerate() {
        for block in &page.blocks {
            if let page::Block::Table(t) = block {
                cells.extend(t.cells.iter().map(|c| (pdf_loc(p, page.dpi, c.rect), c)));
            }
        }
    }
    let cell_at = |loc: &Location| cells.iter().find(|(l, _)| l == loc).map(|(_, c)| *c);
    let mut doubtful: Vec<(usize, String)> = Vec::new();
    let mut recognised = Vec::new();
    for (i, loc) in report.provenance.iter().enumerate() {
        let Some(cell) = loc.as_ref().and_then(cell_at) else {
            continue;
        };
        match &cell.doubt {
            Some(why) => doubtful.push((i, why.clone())),
            None if report.cells[i].is_some() => {
                recognised.push(CellIdx(i as u16));
            }
            None => {}
        }
    }
    // The suspects among the recognised values, by sums in which the doubtful values
    // count as unknown (their readings, likely wrong, would make a right value look
    // like the culprit).
    let mut without_doubtful = report.clone();
    for (i, _) in &doubtful {
        without_doubtful.cells[*i] = None;
    }
    for (idx, fixed) in sums::suspects(&without_doubtful, &recognised) {
        doubtful.push((
            idx.0 as usize,
            format!("所在行、列的合计不符，恰好可由此格识别错误解释（若为 {fixed} 则相符）"),
        ));
    }
    // A doubtful value whose reading (by either model, or from a cleaned crop) the
    // table's sums confirm is read: the engine saw it and the arithmetic agrees.
    let readings: Vec<(CellIdx, Vec<Value>)> = doubtful
        .iter()
        .filter_map(|(i, _)| {
            let cell = report.provenance[*i].as_ref().and_then(cell_at)?;
            let values = std::iter::once(&cell.text)
                .chain(&cell.alternatives)
                .filter_map(|t| parse_number(t))
                .collect();
            Some((CellIdx(*i as u16), values))
        })
        .collect();
    for (idx, value) in sums::confirm(&report, &readings) {
        let i = idx.0 as usize;
        doubtful.retain(|(d, _)| *d != i);
        let id = &report.format.cells()[i].id;
        report.uncertain.retain(|u| &u.cell != id);
        report.blanks.retain(|b| &b.cell != id);
        report.cells[i] = Some(value);
    }
    mark_uncertain(&mut report, &doubtful);
    // A scan so poor that a quarter of the cells could not be read: its other readings
    // are no better than the ones that failed, so only values whose row or column sum
    // holds are kept.
    let doubted: Vec<usize> = doubtful.iter().map(|(i, _)| *i).collect();
    let (unreadable, shown) = unreadable_share(&report);
    if unreadable as f32 > POOR_SCAN_SHARE * shown as f32 {
        let verified = sums::verified(&report);
        let why = format!(
            "本扫描件读到的 {shown} 格中有 {unreadable} 格无法识别，质量差，未经表内合计验证的数值不予采信"
        );
        let unverified: Vec<(usize, String)> = recognised
            .iter()
            .map(|c| c.0 as usize)
            .filter(|i| !doubted.contains(i) && !verified.contains(&CellIdx(*i as u16)))
            .map(|i| (i, why.clone()))
            .collect();
        mark_uncertain(&mut report, &unverified);
    }
    Ok(report)
}

/// Share of uncertain cells above which a scan is poor (see [`report`]).
pub const POOR_SCAN_SHARE: f32 = 0.25;

/// The cells of the report that the scan shows (a box on one of its pages), and how many
/// of them are uncertain. The cells of a table or of rows on pages not given (one page
/// of a report read alone) are uncertain too — “not found” — but they were not read badly,
/// they were not there: counting them would call a clean page poor and throw away its
/// good readings.
fn unreadable_share(report: &Report) -> (usize, usize) {
    let on_scan = |i: usize| report.provenance[i].is_some();
    let shown = (0..report.cells.len()).filter(|&i| on_scan(i)).count();
    let unreadable = report
        .uncertain
        .iter()
        .filter_map(|u| report.format.cell(&u.cell))
        .filter(|i| on_scan(i.0 as usize))
        .count();
    (unreadable, shown)
}

/// Makes cells uncertain, with the reason.
fn mark_uncertain(report: &mut Report, cells: &[(usize, String)]) {
    for (i, why) in cells {
        let i = *i;
        let id = report.format.cells()[i].id.clone();
        let raw = report.cells[i].map(|v| v.to_string()).unwrap_or_default();
        let loc = report.provenance[i].unwrap_or(Location::None);
        report.cells[i] = None;
        report.uncertain.retain(|u| u.cell != id);
        report.blanks.retain(|b| b.cell != id);
        report.uncertain.push(Uncertain {
            cell: id,
            reason: format!("扫描件文字识别：{why}"),
            raw,
            loc,
        });
    }
}
