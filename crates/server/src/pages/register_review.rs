//! 三审, 保密审查 and 错敏排查 of a register item on the web (issue 16 §2): the item's review
//! page (`/register/{id}/review`: the chain with its steps, the 保密审查 checklist at 初审,
//! the findings on the text with their place and the override form, the authority's
//! determination of a referred item, what still blocks publication) and the queue of
//! items awaiting the user's level with batch approval (`/register/review-queue`). Thin:
//! the service checks roles, turns and the content; a refusal re-renders the page with
//! its Chinese message.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use gongkai_ledger::Vocabulary;
use gongkai_ledger::register::secrecy::{
    SecrecyAnswer, SecrecyChecklist, SecrecyConclusion, SecrecyDetermination, SecrecyQuestion,
    SecrecyReview,
};
use gongkai_service::register::review::{allowed, may_decide};
use gongkai_service::{ServiceError, Via};
use gongkai_store::ReviewStatus;
use gongkai_store::review_item::{ItemReview, SecrecyEntry};
use serde::Deserialize;

use crate::error::PageError;
use crate::pages::MsgQuery;
use crate::pages::ledger::refusable;
use crate::view::{self, Chrome};
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/register/{id}/review", get(page).post(step))
        .route("/register/review-queue", get(queue).post(batch))
}

pub struct StepView {
    pub at: String,
    pub actor: String,
    pub role: &'static str,
    pub action: &'static str,
    pub note: String,
}

pub struct FindingView {
    pub code: String,
    pub error: bool,
    pub message: String,
    pub place: String,
    pub before: String,
    pub matched: String,
    pub after: String,
    pub suggestion: String,
    pub fingerprint: String,
    /// The override's reason and who gave it, when overridden.
    pub overridden: String,
}

pub struct QuestionView {
    pub key: &'static str,
    pub question: &'static str,
}

pub struct SecrecyView {
    pub at: String,
    pub actor: String,
    pub kind: &'static str,
    pub conclusion: &'static str,
    pub lines: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "register_review.html")]
struct ReviewPage {
    chrome: Chrome,
    id: i64,
    title: String,
    levels: u8,
    status: &'static str,
    status_key: &'static str,
    level_due: &'static str,
    steps: Vec<StepView>,
    secrecy: &'static str,
    secrecy_records: Vec<SecrecyView>,
    findings: Vec<FindingView>,
    /// Attachments whose text could not be extracted (未能提取文字).
    unread: Vec<String>,
    lint_run: Option<crate::pages::register_lint::RunView>,
    obstacles: Vec<String>,
    can_submit: bool,
    can_approve: bool,
    approve_label: &'static str,
    can_decide: bool,
    awaiting_determination: bool,
    questions: Vec<QuestionView>,
    answers: Vec<(&'static str, &'static str)>,
    conclusions: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

fn question_key(q: SecrecyQuestion) -> &'static str {
    match q {
        SecrecyQuestion::StateSecret => "state_secret",
        SecrecyQuestion::WorkSecret => "work_secret",
        SecrecyQuestion::TradeSecret => "trade_secret",
        SecrecyQuestion::Privacy => "privacy",
        SecrecyQuestion::Security => "security",
    }
}

fn status_key(s: ReviewStatus) -> &'static str {
    match s {
        ReviewStatus::NotSubmitted => "not_submitted",
        ReviewStatus::AwaitingReview => "awaiting_review",
        ReviewStatus::AwaitingApproval => "awaiting_approval",
        ReviewStatus::Approved => "approved",
        ReviewStatus::SentBack => "sent_back",
        ReviewStatus::NeedsReReview => "needs_re_review",
        ReviewStatus::Reopened => "reopened",
    }
}

fn secrecy_view(r: &gongkai_store::review_item::SecrecyRecord) -> SecrecyView {
    let (kind, lines) = match &r.entry {
        SecrecyEntry::Review(v) => (
            "初审保密审查",
            SecrecyQuestion::ALL
                .iter()
                .map(|q| format!("{}：{}", q.label_zh(), v.checklist.answer(*q).label_zh()))
                .chain(v.note.iter().map(|n| format!("说明：{n}")))
                .collect(),
        ),
        SecrecyEntry::Determination(d) => (
            "保密行政管理部门确定意见",
            vec![
                format!("确定机关：{}", d.authority),
                format!("文号：{}", d.reference.as_deref().unwrap_or("（无）")),
                format!("确定日期：{}", d.decided_on),
            ],
        ),
    };
    SecrecyView {
        at: view::datetime(r.at),
        actor: format!("{}（{}）", r.actor, r.actor_role.label_zh()),
        kind,
        conclusion: r.entry.conclusion().label_zh(),
        lines,
    }
}

async fn build(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    error: Option<String>,
    flash: Option<&str>,
) -> Result<ReviewPage, PageError> {
    let user = ctx.user()?;
    let actor = user.actor(Via::Web);
    let svc = st.service();
    let r: ItemReview = svc.item_review(&actor, id).await?;
    let item = st.store().register_item_row(id).await?;
    let may = allowed(&r, &actor);
    let mut findings = crate::pages::register_lint::finding_views(&r.findings);
    for f in &mut findings {
        if let Some(o) = r
            .overrides
            .iter()
            .find(|o| o.finding.fingerprint() == f.fingerprint)
        {
            f.overridden = format!(
                "{}（{}）放行：{}",
                o.actor,
                o.actor_role.label_zh(),
                o.reason
            );
        }
    }
    Ok(ReviewPage {
        chrome: Chrome::new(ctx, "register").flash(flash),
        id,
        title: item.title,
        levels: r.levels,
        status: r.review.status.label_zh(),
        status_key: status_key(r.review.status),
        level_due: r.level_due_zh().unwrap_or(""),
        steps: r
            .review
            .steps
            .iter()
            .map(|s| StepView {
                at: view::datetime(s.at),
                actor: s.actor.clone(),
                role: s.actor_role.label_zh(),
                action: s.action.label_zh(),
                note: s.note.clone().unwrap_or_default(),
            })
            .collect(),
        secrecy: r.secrecy.label_zh(),
        secrecy_records: r.secrecy_records.iter().map(secrecy_view).collect(),
        findings,
        unread: r.unread.iter().map(|u| u.label_zh()).collect(),
        lint_run: r
            .last_run
            .as_ref()
            .map(crate::pages::register_lint::run_view),
        obstacles: r.obstacles.clone(),
        can_submit: may.submit,
        can_approve: may.approve,
        approve_label: if r.review.status == ReviewStatus::AwaitingApproval
            || r.review.rules.office_head_approves
        {
            "审核通过（批准发布）"
        } else {
            "复审通过"
        },
        can_decide: may_decide(&actor),
        awaiting_determination: r.secrecy
            == gongkai_ledger::register::secrecy::SecrecyStatus::AwaitingDetermination,
        questions: SecrecyQuestion::ALL
            .iter()
            .map(|q| QuestionView {
                key: question_key(*q),
                question: q.question_zh(),
            })
            .collect(),
        answers: SecrecyAnswer::options(),
        conclusions: SecrecyConclusion::options(),
        error,
    })
}

async fn page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<MsgQuery>,
) -> Result<ReviewPage, PageError> {
    build(&st, &ctx, id, None, q.msg.as_deref()).await
}

#[derive(Debug, Deserialize)]
pub struct StepForm {
    pub csrf: String,
    pub action: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub state_secret: String,
    #[serde(default)]
    pub work_secret: String,
    #[serde(default)]
    pub trade_secret: String,
    #[serde(default)]
    pub privacy: String,
    #[serde(default)]
    pub security: String,
    #[serde(default)]
    pub conclusion: String,
    #[serde(default)]
    pub fingerprint: String,
    #[serde(default)]
    pub authority: String,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub decided_on: String,
}

fn invalid(field: &'static str, msg: impl Into<String>) -> ServiceError {
    ServiceError::invalid(field, msg.into())
}

fn secrecy_of(form: &StepForm) -> Result<SecrecyReview, ServiceError> {
    let mut answers = Vec::new();
    for (q, v) in [
        (SecrecyQuestion::StateSecret, &form.state_secret),
        (SecrecyQuestion::WorkSecret, &form.work_secret),
        (SecrecyQuestion::TradeSecret, &form.trade_secret),
        (SecrecyQuestion::Privacy, &form.privacy),
        (SecrecyQuestion::Security, &form.security),
    ] {
        if v.trim().is_empty() {
            continue;
        }
        let a = SecrecyAnswer::parse(v).map_err(|e| invalid("保密审查", e.to_string()))?;
        answers.push((q, a));
    }
    let checklist =
        SecrecyChecklist::from_answers(answers).map_err(|e| invalid("保密审查", e.to_string()))?;
    if form.conclusion.trim().is_empty() {
        return Err(invalid("保密审查结论", "请选择保密审查结论"));
    }
    let conclusion = SecrecyConclusion::parse(&form.conclusion)
        .map_err(|e| invalid("保密审查结论", e.to_string()))?;
    Ok(SecrecyReview {
        checklist,
        conclusion,
        note: Some(form.note.clone()),
    })
}

async fn take(st: &AppState, ctx: &Ctx, id: i64, form: &StepForm) -> Result<(), ServiceError> {
    let user = ctx.user().map_err(|_| invalid("用户", "请先登录"))?;
    let actor = user.actor(Via::Web);
    let svc = st.service();
    let note = Some(form.note.clone());
    match form.action.as_str() {
        "submit" => svc.submit_item(&actor, id, secrecy_of(form)?, None).await,
        "approve" => svc.approve_item(&actor, id, note).await,
        "send_back" => svc.send_back_item(&actor, id, &form.note).await,
        "override" => {
            svc.override_item_finding(&actor, id, &form.fingerprint, &form.note)
                .await
        }
        "determine" => {
            let decided_on = gongkai_ledger::parse_date(&form.decided_on)
                .ok_or_else(|| invalid("确定日期", "请填写确定日期，如 2025-10-15"))?;
            let result = SecrecyConclusion::parse(&form.conclusion)
                .map_err(|e| invalid("确定意见", e.to_string()))?;
            let reference = Some(form.reference.clone());
            svc.record_item_determination(
                &actor,
                id,
                SecrecyDetermination {
                    authority: form.authority.clone(),
                    reference,
                    decided_on,
                    result,
                },
            )
            .await
        }
        other => Err(invalid("审核操作", format!("未知的审核操作“{other}”"))),
    }
    .map(|_| ())
}

async fn step(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<StepForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    ctx.user()?;
    match take(&st, &ctx, id, &form).await {
        Ok(()) => Ok(Redirect::to(&format!("/register/{id}/review?msg=review")).into_response()),
        Err(e) if refusable(&e) => {
            let page = build(&st, &ctx, id, Some(e.to_string()), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub struct QueueRow {
    pub id: i64,
    pub title: String,
    pub index_number: String,
    pub genre: String,
    pub status: &'static str,
    pub level_due: &'static str,
    /// Error findings not overridden (shown so nobody approves blind).
    pub blocking: usize,
    pub secrecy: &'static str,
}

pub struct BatchRow {
    pub id: i64,
    pub outcome: String,
    pub ok: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "register_review_queue.html")]
struct QueuePage {
    chrome: Chrome,
    rows: Vec<QueueRow>,
    results: Vec<BatchRow>,
}

async fn queue_page(
    st: &AppState,
    ctx: &Ctx,
    results: Vec<BatchRow>,
    flash: Option<&str>,
) -> Result<QueuePage, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let svc = st.service();
    let mut rows = Vec::new();
    for r in svc.item_review_queue(&actor).await? {
        let item = st.store().register_item_row(r.item).await?;
        rows.push(QueueRow {
            id: r.item,
            title: item.title,
            index_number: item.index_number,
            genre: item.genre,
            status: r.review.status.label_zh(),
            level_due: r.level_due_zh().unwrap_or(""),
            blocking: r.blocking.len(),
            secrecy: r.secrecy.label_zh(),
        });
    }
    Ok(QueuePage {
        chrome: Chrome::new(ctx, "register").flash(flash),
        rows,
        results,
    })
}

async fn queue(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<MsgQuery>,
) -> Result<QueuePage, PageError> {
    queue_page(&st, &ctx, Vec::new(), q.msg.as_deref()).await
}

/// 批量审核: every checked item approved at the level due, one by one.
async fn batch(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    ctx.check_csrf(&csrf)?;
    let actor = ctx.user()?.actor(Via::Web);
    let mut ids = Vec::new();
    for (k, v) in &pairs {
        if k == "item" {
            let id: i64 = v
                .trim()
                .parse()
                .map_err(|_| invalid("事项", format!("“{v}”不是登记事项编号")))?;
            ids.push(id);
        }
    }
    let note = pairs
        .iter()
        .find(|(k, _)| k == "note")
        .map(|(_, v)| v.clone())
        .filter(|n| !n.trim().is_empty());
    let out = st.service().approve_items(&actor, &ids, note).await?;
    let results = out
        .into_iter()
        .map(|o| BatchRow {
            id: o.item,
            ok: o.error.is_none(),
            outcome: match (o.status, o.error) {
                (_, Some(e)) => e,
                (Some(s), None) => format!("已通过，现为“{}”", s.label_zh()),
                (None, None) => String::new(),
            },
        })
        .collect();
    let page = queue_page(&st, &ctx, results, None).await?;
    Ok(page.into_response())
}
