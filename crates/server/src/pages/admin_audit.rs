//! 审计日志 (`/admin/audit`): the audit log filtered by user, action, subject and date, 50
//! rows a page, and its CSV export (`/admin/audit.csv`, guarded against formulas). Who may
//! read it (管理员, 办公室主任) is the service's rule (`gongkai_service::audit`).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use gongkai_service::{AuditFilter, Via};
use gongkai_store::AuditEntry;
use serde::Deserialize;

use crate::check::{attachment_response, percent_encode};
use crate::error::PageError;
use crate::view::{self, Chrome};
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/audit", get(page))
        .route("/admin/audit.csv", get(export))
}

/// The filter as the form sends it (every field text, dates `YYYY-MM-DD`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuditForm {
    user: String,
    action: String,
    subject: String,
    from: String,
    to: String,
    page: String,
}

fn date(field: &str, v: &str) -> Result<Option<NaiveDate>, PageError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| PageError::BadRequest(format!("{field}“{v}”不是日期（格式如 2026-01-31）")))
}

impl AuditForm {
    fn filter(&self) -> Result<AuditFilter, PageError> {
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Ok(AuditFilter {
            user: text(&self.user),
            action: text(&self.action),
            subject: text(&self.subject),
            from: date("起始日期", &self.from)?,
            to: date("截止日期", &self.to)?,
        })
    }

    /// The filter as a query string (for the paging and export links).
    fn query(&self) -> String {
        [
            ("user", &self.user),
            ("action", &self.action),
            ("subject", &self.subject),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", percent_encode(v.trim())))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// One row as shown.
pub struct Row {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub channel: String,
    pub client: String,
    pub action: String,
    pub action_label: &'static str,
    pub subject: String,
    pub detail: String,
    pub refused: bool,
}

/// The Chinese name of the common actions (the code is shown beside it).
fn action_label(action: &str) -> &'static str {
    match action {
        "refused" => "被拒绝的操作",
        "download" => "下载文书",
        "audit.export" => "导出审计日志",
        "application.register" => "登记申请",
        "event.append" => "登记办理事项",
        "session.login" => "登录",
        "session.logout" => "退出登录",
        "session.login_failed" => "登录失败",
        "session.login_refused" => "登录被拒绝",
        "session.locked" => "账户锁定",
        "user.add" => "添加用户",
        "user.unlock" => "解除锁定",
        "office.set" => "修改机关设置",
        "settings.set" => "修改台账设置",
        "agency.set" => "修改机关名称",
        "narrative.save" => "保存年度报告正文",
        "ledger.init" => "创建台账",
        a if a.starts_with("review.") => "审核",
        a if a.starts_with("appeal") => "复议诉讼",
        a if a.starts_with("proactive") => "主动公开",
        _ => "",
    }
}

fn row(e: AuditEntry) -> Row {
    let mut detail = e.detail.to_string();
    if detail.chars().count() > 300 {
        detail = detail.chars().take(300).collect::<String>() + "…";
    }
    Row {
        id: e.id,
        at: view::datetime(e.at),
        actor: e.actor,
        channel: match e.channel.as_deref() {
            Some("web") => "网页".into(),
            Some("api") => "接口".into(),
            Some("cli") => match e.os_user {
                Some(u) => format!("命令行（{u}）"),
                None => "命令行".into(),
            },
            Some(other) => other.to_string(),
            None => String::new(),
        },
        client: e.client.unwrap_or_default(),
        action_label: action_label(&e.action),
        refused: e.action == "refused",
        action: e.action,
        subject: if e.subject_kind.is_empty() {
            e.subject_id
        } else {
            format!("{} {}", e.subject_kind, e.subject_id)
        },
        detail,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    chrome: Chrome,
    form: AuditForm,
    rows: Vec<Row>,
    page: u32,
    prev: Option<String>,
    next: Option<String>,
    export: String,
}

async fn page(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(form): Query<AuditForm>,
) -> Result<Response, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let filter = form.filter()?;
    let page_no = form.page.trim().parse::<u32>().unwrap_or(1).max(1);
    let p = st.service().audit_log(&actor, &filter, page_no).await?;
    let q = form.query();
    let link = |n: u32| {
        if q.is_empty() {
            format!("/admin/audit?page={n}")
        } else {
            format!("/admin/audit?{q}&page={n}")
        }
    };
    Ok(AuditPage {
        chrome: Chrome::new(&ctx, "admin"),
        prev: (p.page > 1).then(|| link(p.page - 1)),
        next: p.has_next.then(|| link(p.page + 1)),
        export: if q.is_empty() {
            "/admin/audit.csv".into()
        } else {
            format!("/admin/audit.csv?{q}")
        },
        page: p.page,
        rows: p.entries.into_iter().map(row).collect(),
        form,
    }
    .into_response())
}

async fn export(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(form): Query<AuditForm>,
) -> Result<Response, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let bytes = st.service().audit_csv(&actor, &form.filter()?).await?;
    let name = format!("审计日志-{}.csv", view::today());
    Ok(attachment_response("text/csv; charset=utf-8", &name, bytes))
}
