//! 内容检查 (错敏排查) for anyone: paste text or upload a file, see every finding of
//! `gongkai_lint` marked in the text, with the rule, the message and the suggestion.
//!
//! | route | what |
//! |---|---|
//! | `GET /content-check` | the form and the list of rules |
//! | `POST /content-check` | multipart: `csrf`, `text` (pasted) and/or `file` → the marked text and the findings |
//!
//! Nothing is stored: the text is checked and shown, then dropped. Office lists are not
//! used here (they belong to an office's configuration); the shipped rules all run.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Multipart, State};
use axum::routing::get;
use gongkai_lint::{Finding, Linter, OfficeLists, Options, Severity};
use gongkai_report::{Block, Document};

use crate::error::PageError;
use crate::security::CSRF_FIELD;
use crate::view::Chrome;
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/content-check", get(home).post(check))
}

/// A rule as the page lists it.
pub struct RuleRow {
    pub code: &'static str,
    pub severity: &'static str,
    pub severity_class: &'static str,
    pub summary: &'static str,
}

fn rule_rows() -> Vec<RuleRow> {
    gongkai_lint::rules()
        .into_iter()
        .map(|r| RuleRow {
            code: r.meta.code,
            severity: r.meta.severity.zh(),
            severity_class: r.meta.severity.as_str(),
            summary: if crate::i18n::current().is_en() {
                r.meta.summary_en
            } else {
                r.meta.summary_zh
            },
        })
        .collect()
}

/// A piece of a paragraph: plain, or marked by a finding.
pub struct Segment {
    pub text: String,
    /// (finding number, code, severity class) when marked.
    pub mark: Option<(usize, &'static str, &'static str)>,
}

/// A finding as the page lists it.
pub struct FindingRow {
    pub n: usize,
    pub code: &'static str,
    pub severity: &'static str,
    pub severity_class: &'static str,
    pub message: String,
    pub excerpt: String,
    pub suggestion: String,
    pub place: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "content_check.html")]
struct Page {
    chrome: Chrome,
    text: String,
    checked: bool,
    name: String,
    paragraphs: Vec<Vec<Segment>>,
    findings: Vec<FindingRow>,
    errors: usize,
    warnings: usize,
    rules: Vec<RuleRow>,
}

async fn home(ctx: Ctx) -> Page {
    Page {
        chrome: Chrome::new(&ctx, "content_check"),
        text: String::new(),
        checked: false,
        name: String::new(),
        paragraphs: Vec::new(),
        findings: Vec::new(),
        errors: 0,
        warnings: 0,
        rules: rule_rows(),
    }
}

/// The texts of the paragraphs and table cells, in the engine's numbering.
fn paragraph_texts(doc: &Document) -> Vec<&str> {
    let mut out = Vec::new();
    for b in &doc.blocks {
        match b {
            Block::Paragraph(p) => out.push(p.text.as_str()),
            Block::Table(t) => out.extend(t.rows.iter().flatten().map(|c| c.text.as_str())),
        }
    }
    out
}

/// Splits each paragraph at its findings (numbered from 1 in `findings` order); a finding
/// overlapping an earlier mark in the same paragraph is listed but not marked again.
fn mark(doc: &Document, findings: &[Finding]) -> Vec<Vec<Segment>> {
    paragraph_texts(doc)
        .into_iter()
        .enumerate()
        .filter(|(_, t)| !t.trim().is_empty())
        .map(|(i, text)| {
            let chars: Vec<char> = text.chars().collect();
            let mut spans: Vec<(usize, usize, usize, &Finding)> = findings
                .iter()
                .enumerate()
                .filter(|(_, f)| f.place.paragraph as usize == i + 1)
                .map(|(n, f)| {
                    let s = f.place.offset as usize;
                    (s, s + f.matched.chars().count(), n + 1, f)
                })
                .collect();
            spans.sort_by_key(|s| (s.0, s.1));
            let mut segs = Vec::new();
            let mut at = 0;
            for (s, e, n, f) in spans {
                if s < at || e > chars.len() {
                    continue;
                }
                if s > at {
                    segs.push(Segment {
                        text: chars[at..s].iter().collect(),
                        mark: None,
                    });
                }
                segs.push(Segment {
                    text: chars[s..e].iter().collect(),
                    mark: Some((n, f.code, f.severity.as_str())),
                });
                at = e;
            }
            if at < chars.len() {
                segs.push(Segment {
                    text: chars[at..].iter().collect(),
                    mark: None,
                });
            }
            segs
        })
        .collect()
}

fn rows(findings: &[Finding]) -> Vec<FindingRow> {
    findings
        .iter()
        .enumerate()
        .map(|(i, f)| FindingRow {
            n: i + 1,
            code: f.code,
            severity: f.severity.zh(),
            severity_class: f.severity.as_str(),
            // The lint's own English on English pages.
            message: if crate::i18n::current().is_en() {
                f.message_en.clone()
            } else {
                f.message_zh.clone()
            },
            excerpt: f.excerpt_marked(),
            suggestion: f.suggestion.clone().unwrap_or_default(),
            place: f.place.loc.to_string(),
        })
        .collect()
}

async fn check(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Page, PageError> {
    use crate::check::intake::{multipart_error, not_multipart, read_field, refused};
    let mut multipart = multipart.map_err(not_multipart)?;
    let cfg = st.config().clone();
    let max = cfg.max_file_bytes;
    // The same budget of bodies in flight and parsing bound as the report checker.
    let _room = st
        .checker()
        .intake(&headers, cfg.max_upload_bytes)
        .await
        .map_err(refused)?;
    let mut csrf = None;
    let mut text = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(&e, &cfg))?
    {
        let name = field.name().unwrap_or("").to_string();
        if name == CSRF_FIELD {
            csrf = Some(field.text().await.map_err(|e| multipart_error(&e, &cfg))?);
            continue;
        }
        // The token comes first in the form; refuse before reading any content without it.
        ctx.check_csrf(csrf.as_deref().unwrap_or(""))?;
        match name.as_str() {
            "text" => {
                text = field.text().await.map_err(|e| multipart_error(&e, &cfg))?;
            }
            "file" => {
                let file_name = field.file_name().unwrap_or("").to_string();
                let bytes = read_field(field, &file_name, max, &cfg).await?;
                if !bytes.is_empty() {
                    file = Some((file_name, bytes));
                }
            }
            _ => {}
        }
    }
    ctx.check_csrf(csrf.as_deref().unwrap_or(""))?;
    if text.len() > max {
        return Err(PageError::BadRequest(format!(
            "文本超过 {} MB",
            max / (1024 * 1024)
        )));
    }
    let (name, doc) = match file {
        Some((name, bytes)) => {
            let doc = st
                .checker()
                .parse(bytes.len(), move || gongkai_read::read_document(&bytes))
                .await
                .map_err(PageError::Internal)?
                .map_err(|e| PageError::BadRequest(format!("文件“{name}”无法读取：{e}")))?;
            (name, doc)
        }
        None if text.trim().is_empty() => {
            return Err(PageError::BadRequest("请粘贴文本或选择文件".into()));
        }
        None => ("粘贴的文本".to_string(), gongkai_lint::text_document(&text)),
    };
    let linter = Linter::new(
        OfficeLists::default(),
        Options {
            today: Some(chrono::Local::now().date_naive()),
            ..Options::default()
        },
    )
    .map_err(|e| PageError::Internal(e.to_string()))?;
    let (doc, findings) = tokio::task::spawn_blocking(move || {
        let f = linter.lint_document(&doc, "");
        (doc, f)
    })
    .await
    .map_err(|e| PageError::Internal(e.to_string()))?;
    Ok(Page {
        chrome: Chrome::new(&ctx, "content_check"),
        text,
        checked: true,
        name,
        paragraphs: mark(&doc, &findings),
        errors: gongkai_lint::count(&findings, Severity::Error),
        warnings: gongkai_lint::count(&findings, Severity::Warning),
        findings: rows(&findings),
        rules: rule_rows(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_split_paragraphs_at_findings() {
        let doc = gongkai_lint::text_document("标题\n联系电话13812345678，请县国土资源局办理。");
        let l = Linter::new(OfficeLists::default(), Options::default()).unwrap();
        let f = l.lint_document(&doc, "");
        assert_eq!(f.len(), 2);
        let p = mark(&doc, &f);
        assert_eq!(p.len(), 2);
        let texts: Vec<&str> = p[1].iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            vec!["联系电话", "13812345678", "，请县", "国土资源局", "办理。"]
        );
        assert_eq!(p[1][1].mark.map(|m| m.1), Some("PII003"));
        assert_eq!(p[1][3].mark.map(|m| m.1), Some("ORG001"));
    }
}
