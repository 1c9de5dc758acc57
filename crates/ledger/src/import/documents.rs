//! One row of a list of documents → a [`DocumentRecord`] (规章 or 行政规范性文件) with its
//! issue date and, if repealed, the date it was repealed; counted by the year-end like a
//! typed record (本年制发, 本年废止, 现行有效).

use serde::{Deserialize, Serialize};

use super::applications::{cell, date};
use super::headers::{Columns, Field};
use super::{Cell, Refusal, squash};
use crate::application::Context;
use crate::proactive::{DocumentKind, DocumentRecord};

/// A document a row would create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedDocument {
    pub row: usize,
    pub key: String,
    pub record: DocumentRecord,
}

/// The identity of a document (kind, title, issue date).
pub fn document_identity(d: &DocumentRecord) -> String {
    format!(
        "文件|{}|{}|{}",
        d.kind.label_zh(),
        squash(&d.title),
        d.issued_on
    )
}

fn kind(text: &str, number: Option<&str>) -> Option<DocumentKind> {
    if text.is_empty() {
        // 政府令 / 部令 numbers are rules; anything else is taken as a normative document.
        return Some(match number {
            Some(n) if n.contains('令') => DocumentKind::Regulation,
            _ => DocumentKind::NormativeDocument,
        });
    }
    if text.contains("规范性") || text == "normative_document" {
        Some(DocumentKind::NormativeDocument)
    } else if text.contains("规章") || text == "regulation" {
        Some(DocumentKind::Regulation)
    } else {
        None
    }
}

pub(super) fn plan_row(
    row: &[Cell],
    n: usize,
    cols: &Columns,
    ctx: &Context<'_>,
) -> Result<PlannedDocument, Refusal> {
    let refuse = |field: Field, reason: String| Refusal {
        row: n,
        column: Some(cols.header(field).to_string()),
        reason,
    };
    let title = squash(&cell(row, cols, Field::Title).text());
    if title.is_empty() {
        return Err(refuse(Field::Title, "文件名称为空".into()));
    }
    let number = Some(cell(row, cols, Field::DocumentNumber).text()).filter(|s| !s.is_empty());
    let kind_text = cell(row, cols, Field::DocKind).text();
    let kind = kind(&kind_text, number.as_deref()).ok_or_else(|| {
        refuse(
            Field::DocKind,
            format!("“{kind_text}”不是规章或行政规范性文件"),
        )
    })?;
    let Some(issued_on) = date(row, n, cols, Field::Issued, ctx.today)? else {
        return Err(refuse(Field::Issued, "发布日期为空".into()));
    };
    let repealed_on = date(row, n, cols, Field::Repealed, ctx.today)?;
    let status = cell(row, cols, Field::Status).text();
    if repealed_on.is_none() && ["废止", "失效", "无效"].iter().any(|w| status.contains(w)) {
        return Err(refuse(
            Field::Repealed,
            format!("效力状态为“{status}”，但废止日期为空"),
        ));
    }
    if let Some(r) = repealed_on
        && r < issued_on
    {
        return Err(refuse(Field::Repealed, "废止日期早于发布日期".into()));
    }
    let record = DocumentRecord {
        kind,
        title,
        number,
        issued_on,
        repealed_on,
    };
    Ok(PlannedDocument {
        row: n,
        key: document_identity(&record),
        record,
    })
}
