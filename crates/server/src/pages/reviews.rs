//! The three-level review (信息员 → 办公室主任 → 分管领导): the panel on an application's
//! and on the year-end page, and each role's queue.

use std::collections::HashSet;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use gongkai_store::{Review, ReviewStatus, ReviewSubject, Role};

use crate::check::percent_encode;
use crate::error::PageError;
use crate::pages::MsgQuery;
use crate::view::{self, Chrome};
use crate::{AppState, AuthUser, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/reviews", get(queue))
}

pub struct ReviewStepView {
    pub at: String,
    pub actor: String,
    pub role: &'static str,
    pub action: &'static str,
    pub note: String,
}

/// The review box of a page.
pub struct ReviewPanel {
    pub status: &'static str,
    /// `not_submitted`, `awaiting_review`, `awaiting_approval`, `approved`, `sent_back`.
    pub status_key: &'static str,
    pub steps: Vec<ReviewStepView>,
    pub can_submit: bool,
    pub can_approve: bool,
    /// `审核通过` or `批准`.
    pub approve_label: &'static str,
    /// 撤销批准、重新打开 (an approved annual report; the 分管领导, or the 办公室主任 where
    /// the office allows it).
    pub can_reopen: bool,
    /// What the last approval bound (a reply: decision, reason, letter sources, digest).
    pub approved: Vec<String>,
    /// The reply changed since it was submitted or approved.
    pub stale: bool,
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

/// The content an approval bound, in words (for a reply).
fn approved_lines(review: &Review) -> Vec<String> {
    let Some(step) = review.approved() else {
        return Vec::new();
    };
    let c = &step.snapshot;
    let text = |v: Option<&serde_json::Value>| {
        v.and_then(|v| v.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| "（无）".into())
    };
    if c.get("decision_label").is_none() {
        return Vec::new();
    }
    let letter = c.get("letter");
    let at = |k: &str| letter.and_then(|l| l.get(k));
    vec![
        format!(
            "{} {}（{}）批准的内容：",
            view::datetime(step.at),
            step.actor,
            step.actor_role.label_zh()
        ),
        format!("答复结论：{}", text(c.get("decision_label"))),
        format!("理由：{}", text(c.get("reason"))),
        format!("申请人：{}", text(at("applicant"))),
        format!("所需信息：{}", text(at("description"))),
        format!(
            "答复书模板：{}",
            at("template")
                .filter(|t| !t.is_null())
                .and_then(|t| t.get("title"))
                .and_then(|t| t.as_str())
                .unwrap_or("默认文本")
        ),
        format!(
            "内容摘要（SHA-256）：{}",
            text(c.get("digest")).chars().take(16).collect::<String>()
        ),
    ]
}

/// The panel for `user`; `ready`: there is something to submit (a decision, a report).
pub fn review_panel(review: &Review, user: &AuthUser, ready: bool) -> ReviewPanel {
    let allowed = gongkai_service::allowed(review, &user.actor(gongkai_service::Via::Web));
    ReviewPanel {
        status: review.status.label_zh(),
        status_key: status_key(review.status),
        steps: review
            .steps
            .iter()
            .map(|s| ReviewStepView {
                at: view::datetime(s.at),
                actor: s.actor.clone(),
                role: s.actor_role.label_zh(),
                action: s.action.label_zh(),
                note: s.note.clone().unwrap_or_default(),
            })
            .collect(),
        can_submit: allowed.submit && ready,
        can_approve: allowed.approve,
        approve_label: if review.status == ReviewStatus::AwaitingApproval
            || (review.status == ReviewStatus::AwaitingReview && review.rules.office_head_approves)
        {
            "批准"
        } else {
            "审核通过"
        },
        can_reopen: allowed.reopen,
        approved: approved_lines(review),
        stale: review.status == ReviewStatus::NeedsReReview,
    }
}

pub struct QueueRow {
    pub subject: String,
    pub href: String,
    pub status: &'static str,
    pub last: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reviews.html")]
struct QueuePage {
    chrome: Chrome,
    role: &'static str,
    waiting_label: &'static str,
    rows: Vec<QueueRow>,
    drafts: Vec<QueueRow>,
}

fn href(subject: &ReviewSubject) -> String {
    match subject {
        ReviewSubject::Reply { application } => {
            format!("/ledger/a/{}#review", percent_encode(&application.0))
        }
        ReviewSubject::AnnualReport { year } => format!("/year-end?year={year}#review"),
        ReviewSubject::Item { item } => format!("/register/{item}/review"),
    }
}

/// The statuses waiting for `role`.
pub fn waiting_for(role: Role) -> &'static [ReviewStatus] {
    match role {
        Role::Clerk => &[
            ReviewStatus::SentBack,
            ReviewStatus::NeedsReReview,
            ReviewStatus::Reopened,
        ],
        Role::OfficeHead => &[
            ReviewStatus::AwaitingReview,
            ReviewStatus::SentBack,
            ReviewStatus::NeedsReReview,
            ReviewStatus::Reopened,
        ],
        Role::Leader => &[ReviewStatus::AwaitingApproval],
        Role::Admin => &[
            ReviewStatus::AwaitingReview,
            ReviewStatus::AwaitingApproval,
            ReviewStatus::SentBack,
            ReviewStatus::NeedsReReview,
            ReviewStatus::Reopened,
        ],
    }
}

async fn queue(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<MsgQuery>,
) -> Result<QueuePage, PageError> {
    let user = ctx.user()?;
    let store = st.store();
    let reviews = store.reviews().await?;
    // A person with several roles sees what waits for any of them.
    let wanted: Vec<ReviewStatus> = user
        .roles
        .iter()
        .flat_map(|r| waiting_for(*r).iter().copied())
        .collect();
    let rows = reviews
        .iter()
        .filter(|r| wanted.contains(&r.status))
        .map(|r| QueueRow {
            subject: r.subject.to_string(),
            href: href(&r.subject),
            status: r.status.label_zh(),
            last: r
                .steps
                .last()
                .map(|s| {
                    format!(
                        "{} {}（{}）{}{}",
                        view::datetime(s.at),
                        s.actor,
                        s.actor_role.label_zh(),
                        s.action.label_zh(),
                        s.note
                            .as_deref()
                            .map(|n| format!("：{n}"))
                            .unwrap_or_default()
                    )
                })
                .unwrap_or_default(),
        })
        .collect();
    // Decided replies nobody has submitted yet: the drafts of clerks and office heads.
    let mut drafts = Vec::new();
    if user.has(Role::Clerk) || user.has(Role::OfficeHead) {
        let reviewed: HashSet<String> = reviews
            .iter()
            .filter_map(|r| match &r.subject {
                ReviewSubject::Reply { application } => Some(application.0.clone()),
                ReviewSubject::AnnualReport { .. } | ReviewSubject::Item { .. } => None,
            })
            .collect();
        let settings = store.settings().await?;
        let today = view::today();
        for a in store.applications().await? {
            if reviewed.contains(&a.id.0) {
                continue;
            }
            let s = a.state_at(today, store.calendar(), settings);
            if s.is_open()
                && let Some(d) = s.decision
            {
                drafts.push(QueueRow {
                    subject: format!("申请 {} 的答复", a.id),
                    href: format!("/ledger/a/{}#review", percent_encode(&a.id.0)),
                    status: ReviewStatus::NotSubmitted.label_zh(),
                    last: format!("结论：{}", d.label_zh()),
                });
            }
        }
    }
    Ok(QueuePage {
        chrome: Chrome::new(&ctx, "reviews").flash(q.msg.as_deref()),
        role: user.role.label_zh(),
        waiting_label: match user.role {
            Role::Clerk => "被退回、待重新提交",
            Role::OfficeHead => "待我审核（及被退回的稿件）",
            Role::Leader => "待我批准",
            Role::Admin => "所有进行中的审核",
        },
        rows,
        drafts,
    })
}
