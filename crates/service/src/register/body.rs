//! The body of an item imported from a file (DOCX, HTML, PDF with a text layer, Markdown or
//! plain text) through the readers of `gongkai_read`: the document's paragraphs in order,
//! separated by blank lines, and its tables row by row with the cells separated by tabs.
//! The kind of file is judged from its content, not its name.

use gongkai_report::{Block, Document};

use crate::actor::Actor;
use crate::error::ServiceError;
use crate::register::BODY_MAX_CHARS;
use crate::{Result, Service};

/// The plain text of a document (paragraphs, then table rows, in document order).
pub fn document_text(doc: &Document) -> String {
    let mut parts: Vec<String> = Vec::new();
    for b in &doc.blocks {
        match b {
            Block::Paragraph(p) => {
                let t = p.text.trim();
                if !t.is_empty() {
                    parts.push(t.to_string());
                }
            }
            Block::Table(t) => {
                let rows: Vec<String> = t
                    .rows
                    .iter()
                    .map(|r| {
                        r.iter()
                            .map(|c| c.text.trim().replace(['\t', '\n'], " "))
                            .collect::<Vec<_>>()
                            .join("\t")
                    })
                    .filter(|r| !r.trim().is_empty())
                    .collect();
                if !rows.is_empty() {
                    parts.push(rows.join("\n"));
                }
            }
        }
    }
    parts.join("\n\n")
}

impl Service {
    /// The text of an uploaded file for an item's 正文; a Chinese error naming the file when
    /// it cannot be read, has no text, or is longer than the body may be.
    pub fn body_from_file(name: &str, bytes: &[u8]) -> Result<String> {
        let field = "正文文件";
        if bytes.len() > gongkai_read::MAX_INPUT_BYTES {
            return Err(ServiceError::invalid(
                field,
                format!(
                    "“{name}”超过 {} MB",
                    gongkai_read::MAX_INPUT_BYTES / 1024 / 1024
                ),
            ));
        }
        let doc = gongkai_read::read_document(bytes)
            .map_err(|e| ServiceError::invalid(field, format!("“{name}”无法读取：{e}")))?;
        let text = document_text(&doc);
        if text.trim().is_empty() {
            return Err(ServiceError::invalid(
                field,
                format!("“{name}”中没有可读取的文字（扫描件请先识别文字）"),
            ));
        }
        let len = text.chars().count();
        if len > BODY_MAX_CHARS {
            return Err(ServiceError::TooLong {
                field: "正文",
                max: BODY_MAX_CHARS,
                len,
            });
        }
        Ok(text)
    }

    /// Replaces the 正文 of an unpublished item with the text of file `name` (a new
    /// version, as [`Service::edit_item`]; a published item is changed by a correction).
    pub async fn set_item_body_from_file(
        &self,
        actor: &Actor,
        id: i64,
        name: &str,
        bytes: &[u8],
    ) -> Result<gongkai_store::register::RegisterItem> {
        let body = Self::body_from_file(name, bytes)?;
        let mut draft = self.store_for(actor).item_record(id).await?.draft;
        draft.body = body;
        self.edit_item(actor, id, draft).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_and_text_become_paragraphs() {
        let html = "<html><body><h1>关于印发某办法的通知</h1><p>各单位：</p>\
            <table><tr><td>序号</td><td>事项</td></tr><tr><td>1</td><td>公开</td></tr></table>\
            </body></html>";
        let t = Service::body_from_file("a.html", html.as_bytes()).unwrap();
        assert!(t.starts_with("关于印发某办法的通知\n\n各单位："), "{t}");
        assert!(t.contains("序号\t事项\n1\t公开"), "{t}");
        let t = Service::body_from_file("a.txt", "第一段\n\n第二段".as_bytes()).unwrap();
        assert!(t.contains("第一段") && t.contains("第二段"), "{t}");
        let e = Service::body_from_file("空.txt", b"  ").unwrap_err();
        assert!(e.to_string().contains("空.txt"), "{e}");
        let e = Service::body_from_file("坏.pdf", b"%PDF-1.4 not really").unwrap_err();
        assert!(e.to_string().contains("坏.pdf"), "{e}");
    }
}
