//! Reconsideration and litigation cases (section 四): the list with each case's status,
//! a form to add a case and one to record its conclusion.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{NaiveDate, Utc};
use gongkai_ledger::{
    AppealCase, AppealConclusion, AppealKind, AppealResult, AppealStatus, ApplicationId, CaseRole,
};
use gongkai_store::Stamp;
use serde::Deserialize;

use crate::check::percent_encode;
use crate::error::PageError;
use crate::pages::MsgQuery;
use crate::view::{self, Chrome};
use crate::{AppState, Ctx, security};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/appeals", get(list).post(add))
        .route("/appeals/{id}/conclude", post(conclude))
}

pub struct CaseRow {
    pub id: String,
    pub id_url: String,
    pub kind: &'static str,
    pub filed_on: String,
    pub application: String,
    pub application_url: String,
    pub body: String,
    pub case_number: String,
    pub counted: bool,
    pub status: &'static str,
    pub pending: bool,
}

pub fn status_zh(s: AppealStatus) -> &'static str {
    match s {
        AppealStatus::Upheld => "结果维持",
        AppealStatus::Corrected => "结果纠正",
        AppealStatus::Other => "其他结果",
        AppealStatus::Pending => "尚未审结",
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "appeals.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<CaseRow>,
    can_record: bool,
    today: String,
    error: Option<String>,
}

async fn build(
    st: &AppState,
    ctx: &Ctx,
    error: Option<String>,
    msg: Option<&str>,
) -> Result<ListPage, PageError> {
    let user = ctx.user()?;
    let today = view::today();
    let mut cases = st.store().appeals().await?;
    cases.sort_by(|a, b| b.filed_on.cmp(&a.filed_on).then_with(|| a.id.cmp(&b.id)));
    Ok(ListPage {
        chrome: Chrome::new(ctx, "appeals").flash(msg),
        rows: cases
            .iter()
            .map(|c| {
                let status = c.status_at(today);
                CaseRow {
                    id: c.id.clone(),
                    id_url: percent_encode(&c.id),
                    kind: c.kind.label_zh(),
                    filed_on: view::date_zh(c.filed_on),
                    application: c
                        .application
                        .as_ref()
                        .map(|a| a.0.clone())
                        .unwrap_or_default(),
                    application_url: c
                        .application
                        .as_ref()
                        .map(|a| percent_encode(&a.0))
                        .unwrap_or_default(),
                    body: c.body.clone().unwrap_or_default(),
                    case_number: c.case_number.clone().unwrap_or_default(),
                    counted: c.role == CaseRole::OriginalActor,
                    status: status_zh(status),
                    pending: status == AppealStatus::Pending,
                }
            })
            .collect(),
        can_record: user.role.can_record(),
        today: today.to_string(),
        error,
    })
}

async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<MsgQuery>,
) -> Result<ListPage, PageError> {
    build(&st, &ctx, None, q.msg.as_deref()).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CaseForm {
    csrf: String,
    id: String,
    kind: String,
    filed_on: String,
    application: String,
    role: String,
    body: String,
    case_number: String,
}

fn parse_date(field: &str, s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("“{field}”不是有效日期：{s}"))
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Parses an appeal kind (`reconsideration`, `litigation_direct`,
/// `litigation_after_reconsideration`).
pub fn kind(s: &str) -> Result<AppealKind, String> {
    match s {
        "reconsideration" => Ok(AppealKind::Reconsideration),
        "litigation_direct" => Ok(AppealKind::LitigationDirect),
        "litigation_after_reconsideration" => Ok(AppealKind::LitigationAfterReconsideration),
        _ => Err("请选择案件类型".into()),
    }
}

/// Parses a result (`upheld`, `corrected`, `other`).
pub fn result(s: &str) -> Result<AppealResult, String> {
    match s {
        "upheld" => Ok(AppealResult::Upheld),
        "corrected" => Ok(AppealResult::Corrected),
        "other" => Ok(AppealResult::Other),
        _ => Err("请选择审结结果".into()),
    }
}

async fn refused(st: &AppState, ctx: &Ctx, message: String) -> Result<Response, PageError> {
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        build(st, ctx, Some(message), None).await?,
    )
        .into_response())
}

async fn add(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<CaseForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&f.csrf)?;
    let user = ctx.recorder()?;
    let case = (|| -> Result<AppealCase, String> {
        Ok(AppealCase {
            id: opt(&f.id).unwrap_or_else(|| format!("案-{}", security::random_hex(4))),
            kind: kind(&f.kind)?,
            filed_on: parse_date("立案（申请）日期", &f.filed_on)?,
            application: opt(&f.application).map(ApplicationId),
            role: if f.role == "reconsideration_organ" {
                CaseRole::ReconsiderationOrgan
            } else {
                CaseRole::OriginalActor
            },
            body: opt(&f.body),
            case_number: opt(&f.case_number),
            conclusion: None,
            recorded_at: Utc::now(),
            recorded_by: Some(user.name.clone()),
        })
    })();
    let case = match case {
        Ok(c) => c,
        Err(m) => return refused(&st, &ctx, m).await,
    };
    match st.store().add_appeal(case, &Stamp::now(&user.name)).await {
        Ok(_) => Ok(Redirect::to("/appeals?msg=appeal").into_response()),
        Err(e) if e.is_client_error() => refused(&st, &ctx, e.to_string()).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ConcludeForm {
    csrf: String,
    result: String,
    decided_on: String,
}

async fn conclude(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<ConcludeForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&f.csrf)?;
    let user = ctx.recorder()?;
    let Some(mut case) = st.store().appeal(&id).await? else {
        return Err(PageError::NotFound(format!("找不到案件“{id}”")));
    };
    let conclusion = match (result(&f.result), parse_date("审结日期", &f.decided_on)) {
        (Ok(result), Ok(decided_on)) => AppealConclusion { result, decided_on },
        (Err(m), _) | (_, Err(m)) => return refused(&st, &ctx, m).await,
    };
    case.conclusion = Some(conclusion);
    match st
        .store()
        .update_appeal(case, &Stamp::now(&user.name))
        .await
    {
        Ok(_) => Ok(Redirect::to("/appeals?msg=appeal").into_response()),
        Err(e) if e.is_client_error() => refused(&st, &ctx, e.to_string()).await,
        Err(e) => Err(e.into()),
    }
}
