//! The PDF reader: a PDF with a text layer (exported from WPS, Word or LibreOffice, or
//! typeset) → [`Document`].
//!
//! Three stages, each in its own module:
//!
//! 1. [`extract`] — the only code that knows the PDF library (`lopdf`, which parses the
//!    file, its cross-reference data, object streams and filters). It interprets each
//!    page's content stream into a [`page::Page`]: glyphs with their boxes and Unicode
//!    text, stroked lines and filled rectangles. Fonts are decoded by [`font`] and
//!    [`cmap`]: ToUnicode maps, and the predefined CJK CMaps without ToUnicode
//!    (`UniGB-UCS2-H`, `GBK-EUC-H`, …) whose codes are decoded from the CMap's name.
//! 2. [`table`] — tables drawn with ruling lines → cells with row and column spans; a
//!    table continued on the next page is joined, and cells cut by the page break are put
//!    back together.
//! 3. [`layout`] — the remaining glyphs → lines → paragraphs (also across pages), and
//!    tables without ruling lines from text alignment; all in reading order.
//!
//! Provenance is [`Location::Pdf`](gongkai_report::Location::Pdf): the 1-based page and
//! the box in points, origin at the top left of the page (as `pdftotext -bbox` gives it).
//! A cell's box is the ruled cell (or the text of an unruled cell); a paragraph's box is
//! that of its lines on its first page.
//!
//! Cells of ruled tables are structured like those of HTML and DOCX tables: a cell that
//! spans rows appears only in its first row, and an empty cell is a cell printed blank at a
//! known column. Cells of unruled tables are like those of text exports: only the printed
//! chunks, no empty fields.
//!
//! Errors: a PDF without any text (a scan) is [`ReadError::NoTextLayer`]; text that no
//! font can decode is [`ReadError::PdfUndecodable`]; more than [`MAX_PAGES`] pages is
//! [`ReadError::TooManyPages`]; a damaged file is [`ReadError::BadPdf`]. No input panics.

mod cmap;
mod extract;
mod font;
mod layout;
pub mod page;
mod table;

use gongkai_report::Document;

use crate::ReadError;

/// Most pages read. Annual reports have 3 to 30.
pub const MAX_PAGES: usize = 500;

/// Largest PDF read, in bytes (the same limit as every input, see
/// [`crate::MAX_INPUT_BYTES`]).
pub const MAX_PDF_BYTES: usize = crate::MAX_INPUT_BYTES;

/// Reads a PDF into a document.
pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    let pages = pages(bytes)?;
    Ok(layout::document(&pages))
}

/// The interpreted pages of a PDF (glyphs, lines and rectangles), checked for a text
/// layer.
pub fn pages(bytes: &[u8]) -> Result<Vec<page::Page>, ReadError> {
    if bytes.len() > MAX_PDF_BYTES {
        return Err(ReadError::TooLarge {
            size: bytes.len(),
            limit: MAX_PDF_BYTES,
        });
    }
    let pages = extract::pages(bytes)?;
    let glyphs: usize = pages.iter().map(|p| p.chars.len()).sum();
    if glyphs == 0 {
        return Err(ReadError::NoTextLayer {
            pages: pages.len(),
            images: pages.iter().map(|p| p.images as usize).sum(),
        });
    }
    let unknown = pages
        .iter()
        .flat_map(|p| &p.chars)
        .filter(|c| c.ch == '\u{FFFD}')
        .count();
    if unknown * 2 > glyphs {
        return Err(ReadError::PdfUndecodable { glyphs, unknown });
    }
    Ok(pages)
}
