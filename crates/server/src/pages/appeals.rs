//! Reconsideration and litigation cases (section 四): the list with each case's status,
//! a form to add a case and one to record its conclusion.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongkai_ledger::{AppealConclusion, AppealResult, AppealStatus, ApplicationId, CaseRole};
use gongkai_service::records::AppealDraft;
use gongkai_service::{ErrorKind, Via};
use serde::{Deserialize, Serialize};

use crate::check::percent_encode;
use crate::error::PageError;
use crate::forms::{FieldError, Refusal, at};
use crate::pages::MsgQuery;
use crate::view::{self, Chrome};
use crate::{AppState, Ctx, forms};

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
    /// The key of its conclusion form (`conclude-<id>`) for a refused form's values.
    pub form_key: String,
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
    /// A refused form: what was entered and the message beside its field.
    f: Refusal,
}

async fn build(
    st: &AppState,
    ctx: &Ctx,
    error: Option<String>,
    refusal: Refusal,
    msg: Option<&str>,
) -> Result<ListPage, PageError> {
    let user = ctx.user()?;
    let today = view::today();
    let mut cases = st.store().appeals().await?;
    let mut refusal = refusal
        .today(today)
        .default_value("appeal", "filed_on", today)
        .default_value("appeal", "kind", "reconsideration")
        .default_value("appeal", "role", "original_actor");
    for c in &cases {
        refusal = refusal.default_value(&format!("conclude-{}", c.id), "decided_on", today);
    }
    cases.sort_by(|a, b| b.filed_on.cmp(&a.filed_on).then_with(|| a.id.cmp(&b.id)));
    // Corrected or voided case records (更正 / 作废) are kept but not counted.
    let superseded: std::collections::HashSet<String> = cases
        .iter()
        .filter_map(|c| c.supersedes.as_ref().map(|s| s.id.clone()))
        .collect();
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
                    counted: c.role == CaseRole::OriginalActor
                        && !superseded.contains(&c.id)
                        && !c.supersedes.as_ref().is_some_and(|s| s.void),
                    status: status_zh(status),
                    pending: status == AppealStatus::Pending,
                    form_key: format!("conclude-{}", c.id),
                }
            })
            .collect(),
        can_record: user.can_record(),
        today: today.to_string(),
        error,
        f: refusal,
    })
}

async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<MsgQuery>,
) -> Result<ListPage, PageError> {
    build(&st, &ctx, None, Refusal::default(), q.msg.as_deref()).await
}

#[derive(Debug, Default, Deserialize, Serialize)]
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

/// Re-renders the page with the refused form as entered, the message beside its field.
async fn refused<T: Serialize>(
    st: &AppState,
    ctx: &Ctx,
    form: &str,
    entered: &T,
    error: FieldError,
) -> Result<Response, PageError> {
    let refusal = Refusal::new(form, entered, &error);
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        build(st, ctx, Some(error.message), refusal, None).await?,
    )
        .into_response())
}

/// The field of the case forms a refusal of the service is about.
fn appeal_field(code: &str, conclude: bool) -> &'static str {
    match code {
        "future_date" if conclude => "decided_on",
        "future_date" => "filed_on",
        "decided_before_filed" => "decided_on",
        "unknown_application" => "application",
        "duplicate_record" => "id",
        _ => "",
    }
}

async fn add(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<CaseForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&f.csrf)?;
    let actor = ctx.recorder()?.actor(Via::Web);
    let draft = (|| -> Result<AppealDraft, FieldError> {
        Ok(AppealDraft {
            id: forms::optional(&f.id),
            kind: forms::pick(&f.kind).map_err(at("kind"))?,
            filed_on: forms::date("立案（申请）日期", &f.filed_on).map_err(at("filed_on"))?,
            application: forms::optional(&f.application).map(ApplicationId),
            role: match f.role.trim() {
                "reconsideration_organ" => CaseRole::ReconsiderationOrgan,
                "original_actor" | "" => CaseRole::OriginalActor,
                other => return Err(at("role")(format!("“本机关角色”无效：{other}"))),
            },
            body: forms::optional(&f.body),
            case_number: forms::optional(&f.case_number),
            conclusion: None,
        })
    })();
    let draft = match draft {
        Ok(c) => c,
        Err(e) => return refused(&st, &ctx, "appeal", &f, e).await,
    };
    match st.service().add_appeal(&actor, draft).await {
        Ok(_) => Ok(Redirect::to("/appeals?msg=appeal").into_response()),
        Err(e) if e.kind() != ErrorKind::Internal => {
            let error = FieldError {
                field: appeal_field(e.code(), false),
                message: e.to_string(),
            };
            refused(&st, &ctx, "appeal", &f, error).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
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
    let actor = ctx.recorder()?.actor(Via::Web);
    let key = format!("conclude-{id}");
    let conclusion = match (
        forms::pick::<AppealResult>(&f.result).map_err(at("result")),
        forms::date("审结日期", &f.decided_on).map_err(at("decided_on")),
    ) {
        (Ok(result), Ok(decided_on)) => AppealConclusion { result, decided_on },
        (Err(e), _) | (_, Err(e)) => return refused(&st, &ctx, &key, &f, e).await,
    };
    match st.service().conclude_appeal(&actor, &id, conclusion).await {
        Ok(_) => Ok(Redirect::to("/appeals?msg=appeal").into_response()),
        Err(e) if e.kind() == ErrorKind::NotFound => Err(e.into()),
        Err(e) if e.kind() != ErrorKind::Internal => {
            let error = FieldError {
                field: appeal_field(e.code(), true),
                message: e.to_string(),
            };
            refused(&st, &ctx, &key, &f, error).await
        }
        Err(e) => Err(e.into()),
    }
}
