//! The year-end report (the service's official one: frozen once submitted, live before):
//! sections 二, 三 and 四 computed from the ledger, shown in the
//! national layout with the checker's findings on the cells, its review (submitting it
//! “closes the year”: the figures are frozen at that moment), and downloads (DOCX, PDF,
//! HTML, JSON).
//!
//! The office writes the narrative here: the six sections' running text over the
//! ledger's drafts, and the 落款 (agency, date), saved in versions (`POST
//! /year-end/{year}/narrative`). Submission is refused before the year is over and while
//! the checker finds an error (a placeholder left from the drafts, …); the refusal and its
//! list of errors show above the report.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Datelike;
use gongkai_service::Official;
use gongkai_service::year_end::check_year;
use gongkai_service::{ServiceError, Via};
use gongkai_store::{NarrativeText, ReviewSubject, Role};
use gongkai_write::{Options, OutputFormat};
use serde::Deserialize;

use crate::check::{FindingView, finding_views, percent_encode};
use crate::error::PageError;
use crate::national::{self, ReadOnly};
use crate::pages::ledger::{ReviewForm, review_step};
use crate::pages::reviews::{ReviewPanel, review_panel};
use crate::view::{self, Chrome};
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/year-end", get(page))
        .route("/year-end/{year}/review", post(review))
        .route("/year-end/{year}/narrative", post(save_narrative))
        .route("/year-end/{year}/report/{format}", get(download))
}

/// One section in the narrative form.
pub struct NarrativeSection {
    pub field: String,
    pub heading: String,
    pub text: String,
    pub draft: Vec<String>,
    pub written: bool,
}

/// One saved version in the history.
pub struct NarrativeVersion {
    pub version: u32,
    pub at: String,
    pub by: String,
    pub note: String,
    pub signed: String,
}

/// The narrative form as posted (kept when a save is refused).
#[derive(Debug, Default, Deserialize)]
pub struct NarrativeForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub s1: String,
    #[serde(default)]
    pub s2: String,
    #[serde(default)]
    pub s3: String,
    #[serde(default)]
    pub s4: String,
    #[serde(default)]
    pub s5: String,
    #[serde(default)]
    pub s6: String,
    #[serde(default)]
    pub signed_by: String,
    #[serde(default)]
    pub signed_on: String,
    #[serde(default)]
    pub note: String,
}

impl NarrativeForm {
    fn texts(&self) -> [&String; 6] {
        [&self.s1, &self.s2, &self.s3, &self.s4, &self.s5, &self.s6]
    }
}

pub struct IdLink {
    pub id: String,
    pub url: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "year_end.html")]
struct YearPage {
    chrome: Chrome,
    year: i32,
    years: Vec<i32>,
    title: String,
    period_end: String,
    frozen: String,
    errors: usize,
    warnings: usize,
    findings: Vec<FindingView>,
    tables: String,
    notes: Vec<String>,
    carried_forward: Vec<IdLink>,
    sections: Vec<crate::check::SectionView>,
    review: ReviewPanel,
    review_title: &'static str,
    review_url: String,
    error: Option<String>,
    figures: Vec<(&'static str, String)>,
    narrative: Vec<NarrativeSection>,
    signed_by: String,
    signed_on: String,
    note: String,
    editable: bool,
    can_write: bool,
    history: Vec<NarrativeVersion>,
    year_over: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    pub year: Option<i32>,
    pub msg: Option<String>,
}

async fn build(
    st: &AppState,
    ctx: &Ctx,
    year: i32,
    error: Option<String>,
    msg: Option<&str>,
    posted: Option<&NarrativeForm>,
) -> Result<YearPage, PageError> {
    let user = ctx.user()?;
    let svc = st.service();
    let nv = svc.narrative(year).await?;
    let Official {
        year,
        year_end: ye,
        review,
        frozen_at,
        ..
    } = svc.official_year_end(year, None).await?;
    let report = &ye.report;
    let findings = gongkai_check::check(report);
    let errors = findings
        .iter()
        .filter(|f| f.severity == gongkai_check::Severity::Error)
        .count();
    let today = svc.current_date();
    let this_year = today.year();
    let f = &ye.figures;
    Ok(YearPage {
        chrome: Chrome::new(ctx, "year_end").flash(msg),
        year,
        years: (this_year - 4..=this_year).rev().collect(),
        title: gongkai_write::layout::title(report),
        period_end: view::date_zh(ye.period_end),
        frozen: frozen_at.map(view::datetime).unwrap_or_default(),
        errors,
        warnings: findings.len() - errors,
        tables: national::tables(report, &findings, &ReadOnly),
        findings: finding_views(report, &findings),
        notes: ye.warnings.clone(),
        carried_forward: ye
            .carried_forward
            .iter()
            .map(|id| IdLink {
                id: id.0.clone(),
                url: percent_encode(&id.0),
            })
            .collect(),
        sections: report
            .sections
            .iter()
            .map(|s| crate::check::SectionView {
                heading: s.heading.clone(),
                paragraphs: gongkai_write::layout::paragraphs(&s.text),
            })
            .collect(),
        narrative: report
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| NarrativeSection {
                field: format!("s{}", i + 1),
                heading: s.heading.clone(),
                text: match posted {
                    Some(p) => p.texts()[i].clone(),
                    None => nv.sections.get(i).cloned().unwrap_or_default(),
                },
                draft: gongkai_write::layout::paragraphs(
                    nv.drafts.get(i).map(String::as_str).unwrap_or_default(),
                ),
                written: nv.written.get(i).copied().unwrap_or(false),
            })
            .collect(),
        signed_by: posted.map_or_else(|| nv.signed_by.clone(), |p| p.signed_by.clone()),
        signed_on: posted.map_or_else(
            || nv.signed_on.map(|d| d.to_string()).unwrap_or_default(),
            |p| p.signed_on.clone(),
        ),
        note: posted.map(|p| p.note.clone()).unwrap_or_default(),
        editable: nv.editable,
        can_write: user.has(Role::Clerk) || user.has(Role::OfficeHead),
        history: nv
            .history
            .iter()
            .map(|v| NarrativeVersion {
                version: v.version,
                at: view::datetime(v.saved_at),
                by: v.saved_by.clone(),
                note: v.note.clone().unwrap_or_default(),
                signed: format!(
                    "{} {}",
                    v.text.signed_by.as_deref().unwrap_or("（机关名称）"),
                    v.text.signed_on.map(view::date_zh).unwrap_or_default()
                ),
            })
            .collect(),
        year_over: today.year() > year,
        review: review_panel(&review, user, true),
        review_title: "年度报告审核（提交即结束年度、冻结数据）",
        review_url: format!("/year-end/{year}/review"),
        error,
        figures: vec![
            ("本期答复", f.replied.to_string()),
            ("其中逾期答复", f.replied_late.to_string()),
            ("期末在办且已逾期", f.overdue_open.to_string()),
            ("告知补正", f.corrections_requested.to_string()),
            ("征求意见", f.consultations.to_string()),
            ("延期答复", f.extensions.to_string()),
            (
                "收取信息处理费",
                format!(
                    "{} 元（{} 件）",
                    f.processing_fees_yuan, f.processing_fees_paid
                ),
            ),
        ],
    })
}

async fn page(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<YearQuery>,
) -> Result<YearPage, PageError> {
    let year = q
        .year
        .unwrap_or_else(|| gongkai_service::year_end::default_year(st.service().current_date()));
    build(&st, &ctx, year, None, q.msg.as_deref(), None).await
}

async fn review(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(year): Path<i32>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.user()?.clone();
    let year = check_year(year)?;
    match review_step(&st, &user, &ReviewSubject::AnnualReport { year }, &form).await {
        Ok(_) => {
            let msg = if form.action == "reopen" {
                "reopened"
            } else {
                "review"
            };
            Ok(Redirect::to(&format!("/year-end?year={year}&msg={msg}#review")).into_response())
        }
        Err(e) if e.kind() != gongkai_service::ErrorKind::Internal => {
            let page = build(&st, &ctx, year, Some(e.to_string()), None, None).await?;
            // A role that may not take the step (a 信息员 reopening the report …): 403.
            let status = if e.kind() == gongkai_service::ErrorKind::Forbidden {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok((status, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Saves the narrative: the six texts (a blank one, or one left as the draft, follows the
/// draft), the 落款. A refusal shows the page again with what was typed.
async fn save_narrative(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(year): Path<i32>,
    Form(form): Form<NarrativeForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.user()?.clone();
    let year = check_year(year)?;
    let result = async {
        let signed_on = match form.signed_on.trim() {
            "" => None,
            t => Some(gongkai_ledger::vocab::parse_date(t).ok_or_else(|| {
                ServiceError::invalid("落款日期", format!("“{t}”不是日期（应为 2026-01-20）"))
            })?),
        };
        let sections = form
            .texts()
            .iter()
            .enumerate()
            .map(|(i, t)| (i as u8 + 1, (*t).clone()))
            .collect();
        let text = NarrativeText {
            sections,
            signed_by: Some(form.signed_by.clone()),
            signed_on,
        };
        let note = Some(form.note.clone());
        st.service()
            .save_narrative(&user.actor(Via::Web), year, text, note)
            .await
    }
    .await;
    match result {
        Ok(_) => Ok(
            Redirect::to(&format!("/year-end?year={year}&msg=narrative#narrative")).into_response(),
        ),
        Err(e) if e.kind() != gongkai_service::ErrorKind::Internal => {
            let page = build(&st, &ctx, year, Some(e.to_string()), None, Some(&form)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Renders the report (PDF on the blocking pool: typst takes tens of milliseconds).
pub async fn render(
    report: gongkai_report::Report,
    format: OutputFormat,
) -> Result<Vec<u8>, String> {
    tokio::task::spawn_blocking(move || {
        gongkai_write::render(&report, format, &Options::default()).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

async fn download(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((year, format)): Path<(i32, String)>,
) -> Result<Response, PageError> {
    let actor = ctx.user()?.actor(gongkai_service::Via::Web);
    let ye = st.service().official_year_end(year, None).await?.year_end;
    let name = format!("{year}年政府信息公开工作年度报告");
    if format == "json" {
        let findings = gongkai_check::check(&ye.report);
        let body = serde_json::to_vec_pretty(&serde_json::json!({
            "year_end": ye,
            "findings": findings,
        }))
        .map_err(|e| PageError::Internal(e.to_string()))?;
        st.service()
            .record_download(&actor, "annual_report", &year.to_string(), "json")
            .await?;
        return Ok(crate::check::attachment_response(
            "application/json; charset=utf-8",
            &format!("{name}.json"),
            body,
        ));
    }
    let (of, ty) = match format.as_str() {
        "docx" => (
            OutputFormat::Docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        "pdf" => (OutputFormat::Pdf, "application/pdf"),
        "html" => (OutputFormat::Html, "text/html; charset=utf-8"),
        _ => return Err(PageError::NotFound("没有这种格式".into())),
    };
    if !of.is_available() {
        return Err(PageError::BadRequest(
            "本程序编译时未包含 PDF 输出（cargo 功能 pdf），请下载 DOCX 或 HTML 后另存为 PDF"
                .into(),
        ));
    }
    let bytes = render(ye.report, of).await.map_err(PageError::Internal)?;
    st.service()
        .record_download(&actor, "annual_report", &year.to_string(), of.as_str())
        .await?;
    Ok(crate::check::attachment_response(
        ty,
        &format!("{name}.{}", of.as_str()),
        bytes,
    ))
}
