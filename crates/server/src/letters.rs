//! Reply letters (政府信息公开申请答复告知书) as downloads. The letter itself — its text,
//! its date (the decision's), the remedy paragraph — is composed by the service
//! ([`gongkai_service::letters`]); this module only renders it: DOCX (official-document
//! fonts, A4, the office as author), PDF (typst with the Noto CJK fonts, when built with the
//! `pdf` feature) and a self-contained HTML page.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use gongkai_service::Letter;
use gongkai_write::html::escape;

use crate::check::percent_encode;
use crate::error::PageError;

/// The letter in the form the writers take. Fields the writers gain later (a draft mark …)
/// take their defaults until set here.
pub fn printable(letter: &Letter) -> gongkai_write::Letter {
    gongkai_write::Letter {
        agency: letter.agency.clone(),
        title: letter.title.clone(),
        number: letter.number.clone(),
        paragraphs: letter.paragraphs.clone(),
        date: letter.date_zh.clone(),
        author: letter.agency.clone(),
        created: Some(letter.created_at),
        draft: letter.draft,
    }
}

/// A self-contained HTML page (styles inline, nothing fetched), A4 print layout.
pub fn html(letter: &Letter) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
    );
    out.push_str(&format!("<title>{}</title>\n", escape(&letter.title)));
    out.push_str(&format!(
        "<meta name=\"author\" content=\"{}\">\n",
        escape(&letter.agency)
    ));
    out.push_str(STYLE);
    out.push_str(&letter_body(letter));
    out.push_str("</article>\n</body>\n</html>\n");
    out
}

/// The letter's content (draft mark, office, title, number, paragraphs, signature), every
/// text escaped: the inside of the HTML page's `<article>`, and of the template editor's
/// preview.
pub fn letter_body(letter: &Letter) -> String {
    let mut out = String::new();
    if letter.draft {
        out.push_str(&format!(
            "<p class=\"draft\" data-draft>{}</p>\n",
            gongkai_write::DRAFT_MARK
        ));
    }
    out.push_str(&format!(
        "<p class=\"agency\">{}</p>\n",
        escape(&letter.agency)
    ));
    out.push_str(&format!("<h1>{}</h1>\n", escape(&letter.title)));
    out.push_str(&format!(
        "<p class=\"number\">{}</p>\n",
        escape(&letter.number)
    ));
    for (i, p) in letter.paragraphs.iter().enumerate() {
        let class = if i == 0 { " class=\"to\"" } else { "" };
        out.push_str(&format!("<p{class}>{}</p>\n", escape(p)));
    }
    out.push_str(&format!(
        "<p class=\"sign first\">{}</p>\n<p class=\"sign\">{}</p>\n",
        escape(&letter.agency),
        escape(&letter.date_zh)
    ));
    out
}

const STYLE: &str = "<style>body{margin:0;background:#eceff1;font-family:\"仿宋_GB2312\",\"仿宋\",FangSong,\"Noto Serif CJK SC\",serif;color:#111}article{box-sizing:border-box;max-width:210mm;margin:1.5rem auto;padding:25mm 22mm;background:#fff}h1{font-family:\"方正小标宋简体\",\"Noto Serif CJK SC\",serif;font-weight:normal;font-size:22pt;text-align:center;margin:0 0 .5em}p{font-size:16pt;line-height:1.75;margin:0;text-indent:2em;text-align:justify}p.agency,p.number{text-align:center;text-indent:0}p.to{text-indent:0}p.sign{text-align:right;padding-right:2em;text-indent:0}p.sign.first{margin-top:2em}p.draft{text-align:center;text-indent:0;color:#c00;border:2px solid #c00;font-weight:bold;margin-bottom:1em}@page{size:A4;margin:37mm 26mm 35mm 28mm}@media print{body{background:none}article{margin:0;padding:0;max-width:none}}</style>\n</head>\n<body>\n<article>\n";

/// A PDF (A4, embedded Noto Serif CJK); an error when built without the `pdf` feature
/// or when the fonts are missing.
pub fn pdf(letter: &Letter) -> Result<Vec<u8>, String> {
    gongkai_write::letter_pdf(
        &printable(letter),
        &gongkai_write::Options::default().font_dir,
    )
    .map_err(|e| e.to_string())
}

/// A DOCX in the official-document fonts with the office as author.
pub fn docx(letter: &Letter) -> Result<Vec<u8>, String> {
    gongkai_write::letter_docx(&printable(letter), &gongkai_write::DocxFonts::default())
        .map_err(|e| e.to_string())
}

/// The letter as a download: `docx`, `pdf` or `html`.
pub async fn download(letter: Letter, format: &str) -> Result<Response, PageError> {
    let letter = &letter;
    let (body, ty, ext, inline) = match format {
        "pdf" => {
            if !gongkai_write::OutputFormat::Pdf.is_available() {
                return Err(PageError::BadRequest(
                    "本程序编译时未包含 PDF 输出（cargo 功能 pdf），请下载 DOCX".into(),
                ));
            }
            let l = letter.clone();
            let bytes = tokio::task::spawn_blocking(move || pdf(&l))
                .await
                .map_err(|e| PageError::Internal(e.to_string()))?
                .map_err(PageError::Internal)?;
            (bytes, "application/pdf", "pdf", false)
        }
        "docx" => (
            docx(letter).map_err(PageError::Internal)?,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            false,
        ),
        "html" => (
            html(letter).into_bytes(),
            "text/html; charset=utf-8",
            "html",
            true,
        ),
        _ => return Err(PageError::NotFound("没有这种格式的答复书".into())),
    };
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ty));
    let name = format!("{}.{ext}", letter.file_stem);
    let disposition = format!(
        "{}; filename=\"letter.{ext}\"; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        percent_encode(&name)
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    // The page carries its own inline style sheet and nothing else.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        ),
    );
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use gongkai_ledger::Decision;

    use super::*;

    fn letter() -> Letter {
        Letter {
            agency: "某局".into(),
            title: "政府信息公开申请答复告知书".into(),
            number: "编号：2025-0001".into(),
            paragraphs: vec!["<张三>：".into(), "正文".into()],
            date: NaiveDate::from_ymd_opt(2025, 3, 3).unwrap(),
            date_zh: "2025年3月3日".into(),
            created_at: "2025-03-03T02:00:00Z".parse().unwrap(),
            decision: Decision::Granted,
            file_stem: "答复告知书-2025-0001".into(),
            draft: false,
        }
    }

    #[test]
    fn a_draft_letter_is_marked_in_every_format() {
        let draft = Letter {
            draft: true,
            ..letter()
        };
        assert!(html(&draft).contains("未经审核（草稿）"));
        let xml = gongkai_read::docx::document_xml(&docx(&draft).unwrap()).unwrap();
        assert!(String::from_utf8_lossy(&xml).contains("未经审核（草稿）"));
        assert!(!html(&letter()).contains("未经审核"));
        let xml = gongkai_read::docx::document_xml(&docx(&letter()).unwrap()).unwrap();
        assert!(!String::from_utf8_lossy(&xml).contains("未经审核"));
    }

    #[test]
    fn html_is_escaped_and_dated_with_the_letter() {
        let html = html(&letter());
        assert!(html.contains("&lt;张三&gt;"));
        assert!(!html.contains("<张三>"));
        assert!(html.contains("2025年3月3日"));
        assert!(docx(&letter()).unwrap().starts_with(b"PK"));
    }
}
