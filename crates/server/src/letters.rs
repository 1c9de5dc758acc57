//! Reply letters (政府信息公开申请答复告知书): a default text per decision, which the office
//! may replace per decision through the store's letter templates (key = the decision's row
//! key, e.g. `granted`); placeholders in braces are filled from the application:
//!
//! | placeholder | value |
//! |---|---|
//! | `{机关}` | the office's name |
//! | `{申请人}` | the applicant's name |
//! | `{编号}` | the application id |
//! | `{收到日期}` | the legal receipt date |
//! | `{所需信息}` | the information asked for |
//! | `{结论}` | the decision in words |
//! | `{依据}` | the article the decision rests on |
//! | `{获取方式}` | how the applicant wants to obtain it |
//! | `{日期}` | the letter's date |
//!
//! Downloads: DOCX (official-document fonts, A4), PDF (typst with the Noto CJK fonts, when
//! built with the `pdf` feature) and a self-contained HTML page.

use std::io::Cursor;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use docx_rs::{AlignmentType, Docx, LineSpacing, Paragraph, Run, RunFonts, SpecialIndentType};
use gongkai_ledger::{Application, ApplicationState, Decision};
use gongkai_store::LetterTemplate;
use gongkai_write::html::escape;

use crate::check::percent_encode;
use crate::error::PageError;
use crate::view;

/// The remedy every reply states (行政复议法第二十条: 60 days; 行政诉讼法第四十六条: six
/// months).
pub const REMEDY: &str = "如对本答复不服，可以自收到本告知书之日起六十日内依法申请行政复议，或者自收到本告知书之日起六个月内依法向人民法院提起行政诉讼。";

/// The default body of the letter for `decision` (paragraphs separated by blank lines).
pub fn default_body(decision: Decision) -> String {
    use Decision as D;
    let finding = match decision {
        D::Granted => {
            "经审查，您申请获取的政府信息属于公开范围，本机关决定予以公开，现按您要求的方式（{获取方式}）提供。"
        }
        D::PartiallyGranted => {
            "经审查，您申请获取的政府信息中含有依法不应当公开的内容，但能够作区分处理。本机关对可以公开的部分予以提供，对不应当公开的部分不予提供。"
        }
        D::DeniedStateSecret => "经审查，您申请获取的政府信息属于国家秘密，依法不予公开。",
        D::DeniedProhibitedByLaw => {
            "经审查，您申请获取的政府信息属于法律、行政法规禁止公开的政府信息，依法不予公开。"
        }
        D::DeniedThreeSecurity => {
            "经审查，您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，依法不予公开。"
        }
        D::DeniedThirdParty => {
            "经审查，您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，本机关已征求第三方意见，依法不予公开。"
        }
        D::DeniedInternalAffairs => {
            "经审查，您申请获取的信息属于人事管理、后勤管理、内部工作流程等内部事务信息，依法可以不予公开。"
        }
        D::DeniedProcessInfo => {
            "经审查，您申请获取的信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息，依法可以不予公开。"
        }
        D::DeniedEnforcementFile => {
            "经审查，您申请获取的信息属于行政执法案卷信息，依法可以不予公开。"
        }
        D::DeniedQueryMatter => {
            "经审查，您申请获取的信息属于行政查询事项，请按照有关规定通过相应的查询渠道办理。"
        }
        D::UnableNotHeld => {
            "经检索查找，本机关未制作、获取您申请的政府信息，该政府信息本机关不掌握。"
        }
        D::UnableNeedsCreation => {
            "经审查，本机关没有您申请获取的现成信息，需要对现有政府信息进行加工、分析才能形成，本机关不予提供。"
        }
        D::UnableUnclearAfterCorrection => {
            "本机关已告知您补正申请，您补正后的申请内容仍不明确，本机关无法确定您所需要的政府信息，无法提供。"
        }
        D::RejectedPetition => {
            "您以政府信息公开申请的形式进行信访、投诉、举报等活动，本机关不作为政府信息公开申请处理，请您通过相应渠道提出。"
        }
        D::RejectedDuplicate => {
            "您提出的申请与此前已获答复的申请内容相同，属于重复申请，本机关不予重复处理。"
        }
        D::RejectedPublication => {
            "您要求提供的信息属于政府公报、报刊、书籍等公开出版物，请通过公开渠道获取，本机关不予处理。"
        }
        D::RejectedMassRepeated => {
            "您的申请数量、频次明显超过合理范围，本机关已要求说明理由而理由不合理，本机关不予处理。"
        }
        D::RejectedConfirmation => {
            "您要求本机关确认或者重新出具已获取的信息，不属于政府信息公开申请处理的范围，本机关不予处理。"
        }
        D::OtherNoCorrection => {
            "本机关已一次性告知您补正申请，您无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。"
        }
        D::OtherUnpaidFee => {
            "本机关已向您发出收费通知，您逾期未按通知要求缴纳信息处理费，视为放弃申请，本机关不再处理该政府信息公开申请。"
        }
        D::OtherOther => "本机关对您的申请作如下处理：{结论}。",
    };
    format!(
        "{{申请人}}：\n\n本机关于{{收到日期}}收到您（单位）提出的政府信息公开申请（编号 {{编号}}），申请获取“{{所需信息}}”。\n\n{finding}\n\n依据：{{依据}}。\n\n{REMEDY}"
    )
}

/// A letter ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub agency: String,
    pub title: String,
    pub number: String,
    /// The first paragraph is the salutation (`张三：`).
    pub paragraphs: Vec<String>,
    pub date: String,
    /// Download file stem.
    pub file_stem: String,
    /// The reply is not approved as it stands (三级审查): every format carries the
    /// visible mark [`gongkai_write::DRAFT_MARK`] 未经审核（草稿）.
    pub draft: bool,
}

impl Letter {
    /// The letter for `app` with `decision`, from `template` or the default text.
    pub fn new(
        app: &Application,
        state: &ApplicationState,
        decision: Decision,
        agency: &str,
        template: Option<&LetterTemplate>,
        date: NaiveDate,
    ) -> Letter {
        let body = template.map_or_else(|| default_body(decision), |t| t.body.clone());
        let title = template
            .map(|t| t.title.trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "政府信息公开申请答复告知书".to_string());
        let agency = if agency.trim().is_empty() {
            "（机关名称）".to_string()
        } else {
            agency.trim().to_string()
        };
        let fill = |text: &str| {
            text.replace("{机关}", &agency)
                .replace("{申请人}", &app.applicant.name)
                .replace("{编号}", &app.id.0)
                .replace(
                    "{收到日期}",
                    &state.received_on.map(view::date_zh).unwrap_or_default(),
                )
                .replace("{所需信息}", &app.request.description)
                .replace("{结论}", decision.label_zh())
                .replace("{依据}", decision.article())
                .replace("{获取方式}", app.request.delivery.label_zh())
                .replace("{日期}", &view::date_zh(date))
        };
        let paragraphs = body
            .split('\n')
            .map(|p| fill(p.trim()))
            .filter(|p| !p.is_empty())
            .collect();
        Letter {
            title: fill(&title),
            number: format!("编号：{}", app.id.0),
            paragraphs,
            date: view::date_zh(date),
            file_stem: format!("答复告知书-{}", app.id.0),
            agency,
            draft: false,
        }
    }

    /// Marks the letter as a draft (not approved) or not.
    pub fn draft(mut self, draft: bool) -> Letter {
        self.draft = draft;
        if draft {
            self.file_stem = format!("{}-草稿", self.file_stem);
        }
        self
    }

    /// A self-contained HTML page (styles inline, nothing fetched), A4 print layout.
    pub fn html(&self) -> String {
        let mut out = String::from(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        );
        out.push_str(&format!("<title>{}</title>\n", escape(&self.title)));
        out.push_str("<style>body{margin:0;background:#eceff1;font-family:\"仿宋_GB2312\",\"仿宋\",FangSong,\"Noto Serif CJK SC\",serif;color:#111}article{box-sizing:border-box;max-width:210mm;margin:1.5rem auto;padding:25mm 22mm;background:#fff}h1{font-family:\"方正小标宋简体\",\"Noto Serif CJK SC\",serif;font-weight:normal;font-size:22pt;text-align:center;margin:0 0 .5em}p{font-size:16pt;line-height:1.75;margin:0;text-indent:2em;text-align:justify}p.agency,p.number{text-align:center;text-indent:0}p.to{text-indent:0}p.sign{text-align:right;padding-right:2em;text-indent:0}p.sign.first{margin-top:2em}@page{size:A4;margin:37mm 26mm 35mm 28mm}@media print{body{background:none}article{margin:0;padding:0;max-width:none}}</style>\n</head>\n<body>\n<article>\n");
        if self.draft {
            out.push_str(&format!(
                "<p class=\"draft\" data-draft style=\"text-align:center;text-indent:0;color:#c00;border:2px solid #c00;font-weight:bold;margin-bottom:1em\">{}</p>\n",
                gongkai_write::DRAFT_MARK
            ));
        }
        out.push_str(&format!(
            "<p class=\"agency\">{}</p>\n",
            escape(&self.agency)
        ));
        out.push_str(&format!("<h1>{}</h1>\n", escape(&self.title)));
        out.push_str(&format!(
            "<p class=\"number\">{}</p>\n",
            escape(&self.number)
        ));
        for (i, p) in self.paragraphs.iter().enumerate() {
            let class = if i == 0 { " class=\"to\"" } else { "" };
            out.push_str(&format!("<p{class}>{}</p>\n", escape(p)));
        }
        out.push_str(&format!(
            "<p class=\"sign first\">{}</p>\n<p class=\"sign\">{}</p>\n</article>\n</body>\n</html>\n",
            escape(&self.agency),
            escape(&self.date)
        ));
        out
    }

    /// A PDF (A4, embedded Noto Serif CJK); an error when built without the `pdf` feature
    /// or when the fonts are missing.
    pub fn pdf(&self) -> Result<Vec<u8>, String> {
        let letter = gongkai_write::Letter {
            agency: self.agency.clone(),
            title: self.title.clone(),
            number: self.number.clone(),
            paragraphs: self.paragraphs.clone(),
            date: self.date.clone(),
            draft: self.draft,
        };
        gongkai_write::letter_pdf(&letter, &gongkai_write::Options::default().font_dir)
            .map_err(|e| e.to_string())
    }

    /// A DOCX in the official-document fonts.
    pub fn docx(&self) -> Result<Vec<u8>, String> {
        let fonts = gongkai_write::DocxFonts::default();
        let run = |text: &str, font: &str, size: usize| {
            Run::new().add_text(text).size(size).fonts(
                RunFonts::new()
                    .east_asia(font)
                    .ascii(&fonts.latin)
                    .hi_ansi(&fonts.latin),
            )
        };
        let spacing = LineSpacing::new().line(560);
        let mut doc = Docx::new();
        if self.draft {
            doc = doc.add_paragraph(
                Paragraph::new().align(AlignmentType::Center).add_run(
                    run(gongkai_write::DRAFT_MARK, &fonts.title, 36)
                        .bold()
                        .color("C00000"),
                ),
            );
        }
        let mut doc = doc
            .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(run(
                &self.agency,
                &fonts.body,
                32,
            )))
            .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(run(
                &self.title,
                &fonts.title,
                44,
            )))
            .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(run(
                &self.number,
                &fonts.body,
                32,
            )));
        for (i, p) in self.paragraphs.iter().enumerate() {
            let mut para =
                Paragraph::new()
                    .line_spacing(spacing.clone())
                    .add_run(run(p, &fonts.body, 32));
            if i > 0 {
                para = para.indent(None, Some(SpecialIndentType::FirstLine(640)), None, None);
            }
            doc = doc.add_paragraph(para);
        }
        for s in [&self.agency, &self.date] {
            doc = doc.add_paragraph(Paragraph::new().align(AlignmentType::Right).add_run(run(
                s,
                &fonts.body,
                32,
            )));
        }
        let mut buf = Cursor::new(Vec::new());
        doc.build().pack(&mut buf).map_err(|e| e.to_string())?;
        Ok(buf.into_inner())
    }
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
            let bytes = tokio::task::spawn_blocking(move || l.pdf())
                .await
                .map_err(|e| PageError::Internal(e.to_string()))?
                .map_err(PageError::Internal)?;
            (bytes, "application/pdf", "pdf", false)
        }
        "docx" => (
            letter.docx().map_err(PageError::Internal)?,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            false,
        ),
        "html" => (
            letter.html().into_bytes(),
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
    use gongkai_ledger::{
        Applicant, ApplicantKind, ApplicationId, Calendar, Contact, InformationRequest, Settings,
    };

    use super::*;

    fn app() -> Application {
        Application::new(
            ApplicationId::from("2025-0001"),
            Applicant {
                kind: ApplicantKind::NaturalPerson,
                name: "<张三>".into(),
                identity: None,
                contact: Contact::default(),
                representative: None,
            },
            InformationRequest {
                description: "某文件".into(),
                document_number: None,
                form: Default::default(),
                delivery: Default::default(),
                fee_units: 1,
            },
        )
        .unwrap()
    }

    #[test]
    fn every_decision_has_a_letter_citing_its_article() {
        let a = app();
        let d = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
        let s = a.state_at(d, &Calendar::embedded(), Settings::default());
        for decision in Decision::ALL {
            let l = Letter::new(&a, &s, decision, "某局", None, d);
            let text = l.paragraphs.join("\n");
            assert!(text.contains(decision.article()), "{decision:?}");
            assert!(text.contains(REMEDY));
            assert!(!text.contains('{'), "{text}");
            assert!(l.docx().unwrap().starts_with(b"PK"));
        }
    }

    #[test]
    fn a_draft_letter_is_marked_in_every_format() {
        let a = app();
        let d = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
        let s = a.state_at(d, &Calendar::embedded(), Settings::default());
        let draft = Letter::new(&a, &s, Decision::Granted, "某局", None, d).draft(true);
        assert!(draft.html().contains("未经审核（草稿）"));
        let docx = draft.docx().unwrap();
        let xml = gongkai_read::docx::document_xml(&docx).unwrap();
        assert!(String::from_utf8_lossy(&xml).contains("未经审核（草稿）"));
        let approved = Letter::new(&a, &s, Decision::Granted, "某局", None, d).draft(false);
        assert!(!approved.html().contains("未经审核"));
    }

    #[test]
    fn html_is_escaped() {
        let a = app();
        let d = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
        let s = a.state_at(d, &Calendar::embedded(), Settings::default());
        let html = Letter::new(&a, &s, Decision::Granted, "某局", None, d).html();
        assert!(html.contains("&lt;张三&gt;"));
        assert!(!html.contains("<张三>"));
    }
}
