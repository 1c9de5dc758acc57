//! The text of an item's attachment, extracted once when it is attached and kept with it
//! (migration 0023): what the 错敏排查 checks at submission and before publication, and
//! what search may index. One function, [`extract`]:
//!
//! * DOCX, PDF with a text layer, HTML, Markdown and plain text through the readers of
//!   `gongkai_read` (the kind judged from the content), as the 正文 is read
//!   ([`crate::register::body::document_text`]: paragraphs separated by blank lines,
//!   table rows with their cells separated by tabs);
//! * XLSX, XLS, ODS: every sheet, row by row (cells separated by tabs), each sheet headed
//!   by its name; CSV: its rows;
//! * anything else — an image, a scan without a text layer, an old `.doc`, a damaged
//!   file, or a file with no text at all — is [`AttachmentText::None`] with the reason
//!   (未能提取文字), shown to the reviewer, never silently skipped.

use std::io::Cursor;

use calamine::Reader;
use gongkai_store::register::AttachmentText;

/// The longest text kept for an attachment (characters); a longer one is cut there and
/// the cut said in the text.
pub const MAX_TEXT_CHARS: usize = 2_000_000;

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default()
}

fn none(note: impl Into<String>) -> AttachmentText {
    AttachmentText::None { note: note.into() }
}

/// Every sheet of a workbook, row by row.
fn workbook_text(bytes: &[u8]) -> Result<String, String> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| format!("无法读取电子表格（{e}）"))?;
    let mut parts = Vec::new();
    for name in book.sheet_names().to_vec() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| format!("无法读取工作表“{name}”（{e}）"))?;
        let rows: Vec<String> = range
            .rows()
            .map(|r| {
                r.iter()
                    .map(|d| {
                        crate::imports::cell(d)
                            .text()
                            .replace(['\t', '\n', '\r'], " ")
                    })
                    .collect::<Vec<_>>()
                    .join("\t")
            })
            .filter(|r| !r.trim().is_empty())
            .collect();
        if !rows.is_empty() {
            parts.push(format!("{name}\n{}", rows.join("\n")));
        }
    }
    Ok(parts.join("\n\n"))
}

fn csv_text(name: &str, bytes: &[u8]) -> Result<String, String> {
    let sheet = crate::imports::read_sheet(name, bytes).map_err(|e| e.to_string())?;
    Ok(sheet
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| c.text().replace(['\t', '\n', '\r'], " "))
                .collect::<Vec<_>>()
                .join("\t")
        })
        .filter(|r| !r.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n"))
}

/// The text of attachment `name` (`bytes`), or why there is none.
pub fn extract(name: &str, bytes: &[u8]) -> AttachmentText {
    let ext = extension(name);
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    let is_book = matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods")
        || (zip && bytes.windows(14).any(|w| w == b"xl/workbook.xm"));
    let read = if is_book && (zip || ole) {
        workbook_text(bytes)
    } else if ext == "csv" && !zip && !ole {
        csv_text(name, bytes)
    } else if matches!(
        ext.as_str(),
        "jpg" | "jpeg" | "png" | "gif" | "bmp" | "tif" | "tiff" | "webp"
    ) {
        return none("图片文件，未进行文字识别");
    } else if bytes.len() > gongkai_read::MAX_INPUT_BYTES {
        Err(format!(
            "超过 {} MB，未读取",
            gongkai_read::MAX_INPUT_BYTES / 1024 / 1024
        ))
    } else {
        gongkai_read::read_document(bytes)
            .map(|doc| super::body::document_text(&doc))
            .map_err(|e| e.to_string())
    };
    match read {
        Err(e) => none(e),
        Ok(t) if t.trim().is_empty() => none("文件中没有可读取的文字（扫描件或图片）"),
        Ok(t) => {
            if t.chars().count() > MAX_TEXT_CHARS {
                let cut: String = t.chars().take(MAX_TEXT_CHARS).collect();
                AttachmentText::Text {
                    text: format!("{cut}\n（以下超过 {MAX_TEXT_CHARS} 字，未提取）"),
                }
            } else {
                AttachmentText::Text { text: t }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &AttachmentText) -> &str {
        t.text().unwrap_or_else(|| panic!("no text: {t:?}"))
    }

    #[test]
    fn text_html_csv_and_workbooks_are_read() {
        let t = extract(
            "名单.txt",
            "第一段\n\n身份证号11010519491231002X".as_bytes(),
        );
        assert!(text(&t).contains("11010519491231002X"));
        let t = extract(
            "a.html",
            "<html><body><p>甲</p><table><tr><td>乙</td><td>丙</td></tr></table></body></html>"
                .as_bytes(),
        );
        assert!(text(&t).contains("乙\t丙"), "{t:?}");
        let t = extract("名单.csv", "序号,姓名\n1,张三\n".as_bytes());
        assert_eq!(text(&t), "序号\t姓名\n1\t张三");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("名单").unwrap();
        ws.write_string(0, 0, "序号").unwrap();
        ws.write_string(0, 1, "身份证号").unwrap();
        ws.write_number(1, 0, 1).unwrap();
        ws.write_string(1, 1, "11010519491231002X").unwrap();
        wb.add_worksheet().write_string(0, 0, "第二张表").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let t = extract("表.xlsx", &bytes);
        assert_eq!(
            text(&t),
            "名单\n序号\t身份证号\n1\t11010519491231002X\n\nSheet2\n第二张表"
        );
    }

    #[test]
    fn docx_and_pdf_are_read() {
        let docx = include_bytes!("../../../read/tests/fixtures/docx/wps_handmade.docx");
        assert!(!text(&extract("附件.docx", docx)).trim().is_empty());
        let pdf = include_bytes!("../../../read/tests/fixtures/pdf/lo_seed000_national.pdf");
        assert!(text(&extract("年报.pdf", pdf)).contains("公开"));
    }

    #[test]
    fn unreadable_files_say_why() {
        for (name, bytes) in [
            ("扫描.png", b"\x89PNG\r\n\x1a\n....".as_slice()),
            ("坏.pdf", b"%PDF-1.4 not really".as_slice()),
            ("空.txt", b"   \n ".as_slice()),
            (
                "旧.doc",
                b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 old word".as_slice(),
            ),
        ] {
            match extract(name, bytes) {
                AttachmentText::None { note } => assert!(!note.is_empty(), "{name}"),
                t => panic!("{name}: {t:?}"),
            }
        }
    }
}
