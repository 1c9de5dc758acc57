//! The reply letter as DOCX: the official-document fonts, A4, and core properties that
//! name the office as author (`dc:creator`, `cp:lastModifiedBy`) with the letter's own
//! creation time — docx-rs writes `unknown` and 1970 there and offers no setter, so the
//! package is re-zipped with a `docProps/core.xml` of our own and every entry stamped
//! with the same time: the same letter gives the same bytes on every download.

use std::io::{Cursor, Read, Write};

use chrono::{Datelike, Timelike};
use docx_rs::{AlignmentType, Docx, LineSpacing, Paragraph, Run, RunFonts, SpecialIndentType};
use zip::write::SimpleFileOptions;

use crate::{DocxFonts, Letter, WriteError};

/// The letter as DOCX bytes.
pub(crate) fn docx(letter: &Letter, fonts: &DocxFonts) -> Result<Vec<u8>, WriteError> {
    let run = |text: &str, font: &str, size: usize| {
        Run::new().add_text(text).size(size).fonts(
            RunFonts::new()
                .east_asia(font)
                .ascii(&fonts.latin)
                .hi_ansi(&fonts.latin),
        )
    };
    let centred = |text: &str, font: &str, size: usize| {
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(run(text, font, size))
    };
    let spacing = LineSpacing::new().line(560);
    let mut doc = Docx::new();
    if letter.draft {
        doc = doc.add_paragraph(
            Paragraph::new().align(AlignmentType::Center).add_run(
                run(crate::DRAFT_MARK, &fonts.title, 36)
                    .bold()
                    .color("C00000"),
            ),
        );
    }
    let mut doc = doc
        .add_paragraph(centred(&letter.agency, &fonts.body, 32))
        .add_paragraph(centred(&letter.title, &fonts.title, 44))
        .add_paragraph(centred(&letter.number, &fonts.body, 32));
    for (i, p) in letter.paragraphs.iter().enumerate() {
        let mut para =
            Paragraph::new()
                .line_spacing(spacing.clone())
                .add_run(run(p, &fonts.body, 32));
        if i > 0 {
            para = para.indent(None, Some(SpecialIndentType::FirstLine(640)), None, None);
        }
        doc = doc.add_paragraph(para);
    }
    for s in [&letter.agency, &letter.date] {
        doc = doc.add_paragraph(Paragraph::new().align(AlignmentType::Right).add_run(run(
            s,
            &fonts.body,
            32,
        )));
    }
    let mut buf = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .map_err(|e| WriteError::Docx(e.to_string()))?;
    restamp(&buf.into_inner(), letter)
}

/// Escapes XML text.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `docProps/core.xml` for `letter`.
fn core_xml(letter: &Letter) -> String {
    let when = letter
        .created
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| "1980-01-01T00:00:00Z".to_string());
    let author = xml(letter.author.trim());
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title><dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified><dc:language>zh-CN</dc:language></cp:coreProperties>"#,
        title = xml(&letter.title),
    )
}

/// Re-zips `packed` with our core properties and one fixed time on every entry.
fn restamp(packed: &[u8], letter: &Letter) -> Result<Vec<u8>, WriteError> {
    let err = |e: &dyn std::fmt::Display| WriteError::Docx(e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(packed)).map_err(|e| err(&e))?;
    // Local time of Beijing (the office's clock) for the ZIP entries (DOS times have no
    // zone).
    let stamp = letter
        .created
        .map(|t| t + chrono::Duration::hours(8))
        .and_then(|t| {
            zip::DateTime::from_date_and_time(
                u16::try_from(t.year()).ok()?,
                t.month() as u8,
                t.day() as u8,
                t.hour() as u8,
                t.minute() as u8,
                t.second() as u8,
            )
            .ok()
        })
        .unwrap_or_default();
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(stamp);
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(|e| err(&e))?;
        let name = file.name().map_err(|e| err(&e))?.to_string();
        if file.is_dir() {
            out.add_directory(name, options).map_err(|e| err(&e))?;
            continue;
        }
        let mut data = Vec::new();
        file.read_to_end(&mut data).map_err(|e| err(&e))?;
        if name == "docProps/core.xml" {
            data = core_xml(letter).into_bytes();
        }
        out.start_file(name, options).map_err(|e| err(&e))?;
        out.write_all(&data).map_err(|e| err(&e))?;
    }
    let cursor = out.finish().map_err(|e| err(&e))?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter() -> Letter {
        Letter {
            agency: "某县<统计局>".into(),
            title: "政府信息公开申请答复告知书".into(),
            number: "编号：2025-0001".into(),
            paragraphs: vec!["张三：".into(), "正文。".into()],
            date: "2025年3月3日".into(),
            author: "某县<统计局>".into(),
            created: "2025-03-03T02:04:05Z".parse().ok(),
            draft: false,
        }
    }

    fn core(bytes: &[u8]) -> String {
        let mut a = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        a.by_name("docProps/core.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    }

    #[test]
    fn core_properties_name_the_office_and_the_creation_time() {
        let bytes = docx(&letter(), &DocxFonts::default()).unwrap();
        let core = core(&bytes);
        assert!(
            core.contains("<dc:creator>某县&lt;统计局&gt;</dc:creator>"),
            "{core}"
        );
        assert!(core.contains("<cp:lastModifiedBy>某县&lt;统计局&gt;</cp:lastModifiedBy>"));
        assert!(core.contains(">2025-03-03T02:04:05Z</dcterms:created>"));
        assert!(!core.contains("unknown") && !core.contains("1970"));
        // The same letter gives the same bytes.
        assert_eq!(bytes, docx(&letter(), &DocxFonts::default()).unwrap());
        // The document part is still there.
        let mut a = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
        let mut body = String::new();
        a.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut body)
            .unwrap();
        assert!(body.contains("正文。"));
    }
}
