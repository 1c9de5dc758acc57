//! Readers and the mapper.
//!
//! Data flows one way: bytes → [`Document`] (one reader per input format; readers know
//! nothing of cell ids) → [`Report`] (the [`map`] module; it knows nothing of file
//! formats). [`read_report`] does both and picks the reader from the content, not from
//! the file name.

pub mod decode;
pub mod docx;
mod error;
pub mod html;
pub mod map;
pub mod md;
pub mod norm;
#[cfg(feature = "ocr")]
pub mod ocr;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod text;

pub use error::ReadError;
use gongkai_report::{Document, Report};

/// Largest input accepted, in bytes. Real reports are a few hundred KB at most.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// What kind of file the bytes are, judged from the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Text,
    Pdf,
    /// A ZIP container (DOCX, XLSX, …).
    Zip,
    /// An old binary Word document (OLE compound file).
    Ole,
    /// An HTML page (`<html`, `<!doctype html`, `<table`, … after white space and comments).
    Html,
    /// Markdown: pipe tables with a `|---|` row or `#` headings, and no tab grid.
    Markdown,
}

/// Judges the kind of input from its first bytes.
pub fn sniff(bytes: &[u8]) -> InputKind {
    if bytes.starts_with(b"%PDF-") {
        InputKind::Pdf
    } else if bytes.starts_with(b"PK\x03\x04") {
        InputKind::Zip
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        InputKind::Ole
    } else if html::looks_like_html(bytes) {
        InputKind::Html
    } else if md::looks_like_markdown(bytes) {
        InputKind::Markdown
    } else {
        InputKind::Text
    }
}

/// Reads any supported input into a [`Document`]. With the `ocr` feature, image files
/// and PDFs without a text layer are read by [`ocr`] (scans).
pub fn read_document(bytes: &[u8]) -> Result<Document, ReadError> {
    let doc = read_unscanned(bytes);
    #[cfg(feature = "ocr")]
    if is_scan(bytes, &doc) {
        return ocr::read(bytes);
    }
    doc
}

/// True for an input the `ocr` feature reads: an image file, or a PDF without text.
#[cfg(feature = "ocr")]
fn is_scan(bytes: &[u8], read: &Result<Document, ReadError>) -> bool {
    match read {
        Err(ReadError::NoTextLayer { .. }) => true,
        Err(ReadError::Binary { .. } | ReadError::Encoding { .. }) => ocr::is_image(bytes),
        _ => false,
    }
}

/// Reads an input with a text layer (every format but scans).
fn read_unscanned(bytes: &[u8]) -> Result<Document, ReadError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge {
            size: bytes.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    match sniff(bytes) {
        InputKind::Text => {
            let text = decode::decode(bytes)?;
            Ok(text::read(&text))
        }
        InputKind::Html => html::read(bytes),
        InputKind::Markdown => {
            let text = decode::decode(bytes)?;
            Ok(md::read(&text))
        }
        #[cfg(feature = "pdf")]
        InputKind::Pdf => pdf::read(bytes),
        #[cfg(not(feature = "pdf"))]
        InputKind::Pdf => Err(ReadError::Unsupported("PDF")),
        InputKind::Zip => docx::read(bytes),
        InputKind::Ole => Err(ReadError::OldWordDoc),
    }
}

/// [`read_report`], and for a scan also what was recognised: the pages' geometry that
/// [`ocr::crop`] needs to cut a cell's image out of its page.
#[cfg(feature = "ocr")]
pub fn read_report_keeping_scan(bytes: &[u8]) -> Result<(Report, Option<ocr::Scan>), ReadError> {
    let doc = read_unscanned(bytes);
    if is_scan(bytes, &doc) {
        let scan = ocr::recognise(&[bytes])?;
        return Ok((ocr::report(&scan)?, Some(scan)));
    }
    Ok((map::map(&doc?)?, None))
}

/// Reads any supported input into a [`Report`].
pub fn read_report(bytes: &[u8]) -> Result<Report, ReadError> {
    let doc = read_unscanned(bytes);
    #[cfg(feature = "ocr")]
    if is_scan(bytes, &doc) {
        return ocr::read_report(bytes);
    }
    map::map(&doc?)
}
