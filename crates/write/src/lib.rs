//! Writers: a [`Report`] as the complete annual report in the national format.
//!
//! Data flows one way: `Report` → [`layout`] (the document and its three tables as
//! format-neutral grids with the official rows, columns, labels and merged cells) → one
//! writer per output format:
//!
//! * [`md`]: Markdown with pipe tables, merged cells spelled out;
//! * [`html`]: one self-contained HTML file (no external assets), accessible tables, print CSS;
//! * [`docx`]: Word (docx-rs): A4, official-document fonts, borders, `gridSpan`/`vMerge`,
//!   repeated header rows;
//! * `pdf` (cargo feature `pdf`, off by default): typst, A4, Noto CJK fonts loaded at run
//!   time, page numbers, rows never split across pages.
//!
//! Every writer takes its tables from [`layout`], so the four outputs cannot disagree about
//! the layout; every writer is tested by reading its output back with the project's own
//! readers (`tests/roundtrip.rs`).
//!
//! [`xlsx`] writes the three tables as a workbook in the national layout (merged headers,
//! values, no formulas) and plain tables (the ledger's export).
//!
//! [`data`] reads the data files a person writes (TOML or JSON, and the JSON that
//! `gongkai read` prints) and writes the fill-in template.
//!
//! ```
//! use gongkai_format::FormatVersion;
//! use gongkai_report::{Report, Value};
//! use gongkai_write::{Options, OutputFormat, render};
//!
//! let mut report = Report::new(FormatVersion::Revised2021);
//! report.set("s3.new_received.total", Some(Value::int(2)));
//! let html = render(&report, OutputFormat::Html, &Options::default())?;
//! assert!(html.starts_with(b"<!DOCTYPE html>"));
//! # Ok::<(), gongkai_write::WriteError>(())
//! ```

use std::path::PathBuf;
use std::str::FromStr;

use gongkai_report::Report;

pub mod data;
pub mod docx;
mod error;
pub mod html;
pub mod layout;
mod letter;
pub mod md;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod xlsx;

pub use error::WriteError;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    Markdown,
    Html,
    Docx,
    Pdf,
}

impl OutputFormat {
    /// All formats, in the order of the CLI's `--to` values.
    pub const ALL: [OutputFormat; 4] = [
        OutputFormat::Markdown,
        OutputFormat::Html,
        OutputFormat::Docx,
        OutputFormat::Pdf,
    ];

    /// The name used on the command line: `md`, `html`, `docx`, `pdf`.
    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Markdown => "md",
            OutputFormat::Html => "html",
            OutputFormat::Docx => "docx",
            OutputFormat::Pdf => "pdf",
        }
    }

    /// True when this build can write the format (PDF needs the `pdf` feature).
    pub fn is_available(self) -> bool {
        !matches!(self, OutputFormat::Pdf) || cfg!(feature = "pdf")
    }
}

impl FromStr for OutputFormat {
    type Err = WriteError;

    fn from_str(s: &str) -> Result<Self, WriteError> {
        match s.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(OutputFormat::Markdown),
            "html" | "htm" => Ok(OutputFormat::Html),
            "docx" => Ok(OutputFormat::Docx),
            "pdf" => Ok(OutputFormat::Pdf),
            _ => Err(WriteError::UnknownFormat(s.to_string())),
        }
    }
}

/// East-Asian font names for DOCX. Word and WPS fall back to an installed font when a
/// named one is missing, so the official names are the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocxFonts {
    /// Running text and tables (公文正文：仿宋_GB2312).
    pub body: String,
    /// Section headings (一级标题：黑体).
    pub heading: String,
    /// The title (标题：方正小标宋简体).
    pub title: String,
    /// Latin letters and digits.
    pub latin: String,
}

impl Default for DocxFonts {
    fn default() -> Self {
        DocxFonts {
            body: "仿宋_GB2312".to_string(),
            heading: "黑体".to_string(),
            title: "方正小标宋简体".to_string(),
            latin: "Times New Roman".to_string(),
        }
    }
}

/// Where the PDF writer looks for Noto Serif / Sans CJK (Debian's `fonts-noto-cjk`).
pub const DEFAULT_FONT_DIR: &str = "/usr/share/fonts/opentype/noto";

/// What a blank cell prints by default: a dash, which every reader of the project reads
/// back as blank (`null`), wherever the cell stands in its row.
pub const DEFAULT_BLANK: &str = "—";

/// Rendering options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The text printed for a blank cell (`None`). Never `0`: a blank stays blank.
    pub blank: String,
    /// Font names written into the DOCX.
    pub docx_fonts: DocxFonts,
    /// Directory with the Noto CJK font files for PDF output.
    pub font_dir: PathBuf,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            blank: DEFAULT_BLANK.to_string(),
            docx_fonts: DocxFonts::default(),
            font_dir: PathBuf::from(DEFAULT_FONT_DIR),
        }
    }
}

/// A one-page letter in the official-document layout (a reply to an application): the
/// agency, the title, the number, paragraphs (the first is the salutation), the signature.
/// Build it with `..Letter::default()` so that new fields (a draft mark …) stay optional.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Letter {
    pub agency: String,
    pub title: String,
    pub number: String,
    pub paragraphs: Vec<String>,
    /// The date under the signature, in words (`2025年3月3日`).
    pub date: String,
    /// The document's author (DOCX `dc:creator` and `cp:lastModifiedBy`, PDF author): the
    /// office.
    pub author: String,
    /// The document's creation time (DOCX `dcterms:created`/`modified`, the ZIP entries'
    /// times, the PDF date). Fixed by the caller so that the same letter gives the same
    /// bytes on every download; `None`: 1980-01-01.
    pub created: Option<chrono::DateTime<chrono::Utc>>,
    /// Not yet approved (三级审查): the letter carries a visible 未经审核（草稿） mark.
    pub draft: bool,
}

/// The letter as DOCX (official-document fonts, A4) with its core properties.
pub fn letter_docx(letter: &Letter, fonts: &DocxFonts) -> Result<Vec<u8>, WriteError> {
    letter::docx(letter, fonts)
}

/// The mark a letter carries before its reply is approved.
pub const DRAFT_MARK: &str = "未经审核（草稿）";

/// The letter as PDF; [`WriteError::PdfDisabled`] when built without the `pdf` feature.
pub fn letter_pdf(letter: &Letter, font_dir: &std::path::Path) -> Result<Vec<u8>, WriteError> {
    #[cfg(feature = "pdf")]
    {
        pdf::letter_pdf(letter, font_dir)
    }
    #[cfg(not(feature = "pdf"))]
    {
        let _ = (letter, font_dir);
        Err(WriteError::PdfDisabled)
    }
}

/// Renders `report` as `format`.
///
/// PDF output builds a typst engine and loads the fonts on every call; to render many
/// reports, keep a `pdf::PdfWriter` instead.
pub fn render(
    report: &Report,
    format: OutputFormat,
    opts: &Options,
) -> Result<Vec<u8>, WriteError> {
    match format {
        OutputFormat::Markdown => Ok(md::render(report, opts).into_bytes()),
        OutputFormat::Html => Ok(html::render(report, opts).into_bytes()),
        OutputFormat::Docx => docx::render(report, opts),
        #[cfg(feature = "pdf")]
        OutputFormat::Pdf => pdf::PdfWriter::new(&opts.font_dir)?.render(report, opts),
        #[cfg(not(feature = "pdf"))]
        OutputFormat::Pdf => Err(WriteError::PdfDisabled),
    }
}
