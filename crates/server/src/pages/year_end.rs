//! The year-end report (the service's official one: frozen once submitted, live before):
//! sections 二, 三 and 四 computed from the ledger, shown in the
//! national layout with the checker's findings on the cells, its review (submitting it
//! “closes the year”: the figures are frozen at that moment), and downloads (DOCX, PDF,
//! HTML, JSON).

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
use gongkai_store::ReviewSubject;
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
        .route("/year-end/{year}/report/{format}", get(download))
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
) -> Result<YearPage, PageError> {
    let user = ctx.user()?;
    let Official {
        year,
        year_end: ye,
        review,
        frozen_at,
        ..
    } = st.service().official_year_end(year, None).await?;
    let report = &ye.report;
    let findings = gongkai_check::check(report);
    let errors = findings
        .iter()
        .filter(|f| f.severity == gongkai_check::Severity::Error)
        .count();
    let this_year = view::today().year();
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
        .unwrap_or_else(|| gongkai_service::year_end::default_year(view::today()));
    build(&st, &ctx, year, None, q.msg.as_deref()).await
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
            let page = build(&st, &ctx, year, Some(e.to_string()), None).await?;
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
    ctx.user()?;
    let ye = st.service().official_year_end(year, None).await?.year_end;
    let name = format!("{year}年政府信息公开工作年度报告");
    if format == "json" {
        let findings = gongkai_check::check(&ye.report);
        let body = serde_json::to_vec_pretty(&serde_json::json!({
            "year_end": ye,
            "findings": findings,
        }))
        .map_err(|e| PageError::Internal(e.to_string()))?;
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
    Ok(crate::check::attachment_response(
        ty,
        &format!("{name}.{}", of.as_str()),
        bytes,
    ))
}
