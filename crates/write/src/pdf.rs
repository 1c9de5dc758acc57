//! PDF (typst, cargo feature `pdf`): A4 with the margins of GB/T 9704, Noto Serif CJK SC
//! for text and Noto Sans CJK SC for headings (loaded at run time from a font directory,
//! Debian's `fonts-noto-cjk` by default, embedded as subsets), page numbers, table heading
//! rows repeated on every page and no row split across pages.
//!
//! The typst source (`report.typ`) is fixed; the report comes in as `sys.inputs` built from
//! [`layout`], so text in the report is never read as typst markup.

use std::path::{Path, PathBuf};

use typst::foundations::{Array, Dict, IntoValue, Value};
use typst_as_lib::TypstEngine;
use typst_layout::PagedDocument;

use crate::layout::{self, Doc, Role, Table};
use crate::{Options, WriteError};

const SOURCE: &str = include_str!("report.typ");
const LETTER: &str = include_str!("letter.typ");

/// A typst engine with the fonts loaded: build once, render many reports.
pub struct PdfWriter {
    engine: TypstEngine<typst_as_lib::TypstTemplateMainFile>,
}

/// The font files of `dir` that the writer loads: Noto Serif/Sans CJK collections or
/// single fonts.
pub fn font_files(dir: &Path) -> Result<Vec<PathBuf>, WriteError> {
    let missing = || WriteError::FontsMissing {
        dir: dir.to_path_buf(),
    };
    let entries = std::fs::read_dir(dir).map_err(|_| missing())?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            (name.starts_with("NotoSerifCJK") || name.starts_with("NotoSansCJK"))
                && [".ttc", ".otf", ".ttf"].iter().any(|x| name.ends_with(x))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(missing());
    }
    Ok(files)
}

/// The bytes of the font files of `font_dir`.
fn load_fonts(font_dir: &Path) -> Result<Vec<Vec<u8>>, WriteError> {
    let mut fonts = Vec::new();
    for path in font_files(font_dir)? {
        let bytes = std::fs::read(&path).map_err(|source| WriteError::FontRead {
            path: path.clone(),
            source,
        })?;
        fonts.push(bytes);
    }
    Ok(fonts)
}

/// Compiles a paged typst document to PDF bytes.
fn to_pdf(doc: &PagedDocument) -> Result<Vec<u8>, WriteError> {
    typst_pdf::pdf(doc, &typst_pdf::PdfOptions::default()).map_err(|errors| {
        WriteError::Pdf(
            errors
                .iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}

/// A reply letter as PDF (A4, Noto Serif CJK from `font_dir`, page numbers).
pub fn letter_pdf(letter: &crate::Letter, font_dir: &Path) -> Result<Vec<u8>, WriteError> {
    let engine = TypstEngine::builder()
        .main_file(LETTER)
        .fonts(load_fonts(font_dir)?)
        .build();
    let mut d = Dict::new();
    d.insert("agency".into(), letter.agency.as_str().into_value());
    d.insert("title".into(), letter.title.as_str().into_value());
    d.insert("number".into(), letter.number.as_str().into_value());
    d.insert("paragraphs".into(), strs(&letter.paragraphs));
    d.insert("date".into(), letter.date.as_str().into_value());
    d.insert("author".into(), letter.author.as_str().into_value());
    if let Some(t) = letter.created {
        use chrono::Datelike;
        let ymd = [
            i64::from(t.year()),
            i64::from(t.month()),
            i64::from(t.day()),
        ];
        d.insert(
            "created".into(),
            Array::from_iter(ymd.map(IntoValue::into_value)).into_value(),
        );
    }
    d.insert(
        "draft".into(),
        (if letter.draft { crate::DRAFT_MARK } else { "" }).into_value(),
    );
    let doc: PagedDocument = engine
        .compile_with_input(d)
        .output
        .map_err(|e| WriteError::Pdf(e.to_string()))?;
    to_pdf(&doc)
}

impl PdfWriter {
    /// Loads the Noto CJK fonts of `font_dir` and prepares the engine.
    pub fn new(font_dir: &Path) -> Result<PdfWriter, WriteError> {
        let fonts = load_fonts(font_dir)?;
        let engine = TypstEngine::builder()
            .main_file(SOURCE)
            .fonts(fonts)
            .build();
        Ok(PdfWriter { engine })
    }

    /// Renders one report.
    pub fn render(
        &self,
        report: &gongkai_report::Report,
        opts: &Options,
    ) -> Result<Vec<u8>, WriteError> {
        let inputs = inputs(&layout::document(report, opts));
        let doc: PagedDocument = self
            .engine
            .compile_with_input(inputs)
            .output
            .map_err(|e| WriteError::Pdf(e.to_string()))?;
        to_pdf(&doc)
    }
}

fn strs(items: &[String]) -> Value {
    Value::Array(
        items
            .iter()
            .map(|s| s.as_str().into_value())
            .collect::<Array>(),
    )
}

fn opt(s: Option<&String>) -> Value {
    s.map_or(Value::None, |s| s.as_str().into_value())
}

fn inputs(doc: &Doc) -> Dict {
    let mut d = Dict::new();
    d.insert("title".into(), doc.title.as_str().into_value());
    d.insert("top_dates".into(), strs(&doc.top_dates));
    d.insert("preamble".into(), strs(&doc.preamble));
    let sections: Array = doc
        .sections
        .iter()
        .map(|s| {
            let mut sd = Dict::new();
            sd.insert("heading".into(), s.heading.as_str().into_value());
            sd.insert("paragraphs".into(), strs(&s.paragraphs));
            sd.insert(
                "table".into(),
                s.table.as_ref().map_or(Value::None, table_value),
            );
            Value::Dict(sd)
        })
        .collect();
    d.insert("sections".into(), Value::Array(sections));
    d.insert("signature".into(), opt(doc.signature.as_ref()));
    d.insert("date".into(), opt(doc.date.as_ref()));
    d
}

fn table_value(t: &Table) -> Value {
    let mut d = Dict::new();
    d.insert(
        "widths".into(),
        Value::Array(
            t.widths
                .iter()
                .map(|w| i64::from(*w).into_value())
                .collect(),
        ),
    );
    let cells: Array = t
        .rows
        .iter()
        .flat_map(|row| row.cells.iter().map(move |c| (row.header, c)))
        .map(|(header, c)| {
            let role = match c.role {
                Role::Corner => "corner",
                Role::ColumnHeader => "column",
                Role::Caption => "caption",
                Role::RowHeader => "row",
                Role::GroupHeader => "group",
                Role::Data => "data",
            };
            let mut cd = Dict::new();
            cd.insert("text".into(), c.text.as_str().into_value());
            cd.insert("colspan".into(), Value::Int(c.col_span as i64));
            cd.insert("rowspan".into(), Value::Int(c.row_span as i64));
            cd.insert("role".into(), role.into_value());
            cd.insert("header".into(), Value::Bool(header));
            Value::Dict(cd)
        })
        .collect();
    d.insert("cells".into(), Value::Array(cells));
    Value::Dict(d)
}
