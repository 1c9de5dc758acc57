//! 邮件通知 (`/admin/mail`, 管理员): the office's SMTP server for the e-mail notices to
//! online applicants (issue 17 §3) — host, port, security, sign-in, sender — and the
//! latest notices with their state and last error. The password is never shown back: an
//! empty password field keeps the saved one. Saved through the service (checked, audited
//! without the password).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongkai_service::Via;
use gongkai_service::portal::notify::{MailInput, MailView};
use serde::Deserialize;

use crate::error::PageError;
use crate::view::{Chrome, datetime};
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/mail", get(page).post(save))
        .route("/admin/mail/retry", post(retry))
        .route("/admin/mail/test", post(test))
}

/// The form as entered (the password is never filled in).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct MailForm {
    csrf: String,
    /// `save` or `remove`.
    action: String,
    host: String,
    port: String,
    security: String,
    username: String,
    password: String,
    from_address: String,
    from_name: String,
}

/// One notice as listed.
struct NoticeRow {
    id: i64,
    application: String,
    kind: &'static str,
    recipient: String,
    created: String,
    state: &'static str,
    attempts: i32,
    error: String,
    given_up: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_mail.html")]
struct MailPage {
    chrome: Chrome,
    form: MailForm,
    configured: bool,
    password_set: bool,
    error: Option<String>,
    notices: Vec<NoticeRow>,
    securities: [(&'static str, &'static str); 3],
    /// The last test message: (sent, what happened).
    tested: Option<(bool, String)>,
    test_to: String,
}

const SECURITIES: [(&str, &str); 3] = [
    ("starttls", "STARTTLS（端口 587）"),
    ("tls", "SSL/TLS（端口 465）"),
    ("none", "不加密（仅限本机关内网的邮件服务器，端口 25）"),
];

fn page_of(
    chrome: Chrome,
    view: &MailView,
    form: Option<MailForm>,
    error: Option<String>,
) -> MailPage {
    let form = form.unwrap_or_else(|| MailForm {
        host: view.host.clone(),
        port: if view.configured {
            view.port.to_string()
        } else {
            String::new()
        },
        security: view.security.as_str().to_string(),
        username: view.username.clone(),
        from_address: view.from_address.clone(),
        from_name: view.from_name.clone(),
        ..MailForm::default()
    });
    MailPage {
        chrome,
        form: MailForm {
            password: String::new(),
            ..form
        },
        configured: view.configured,
        password_set: view.password_set,
        error,
        notices: view
            .notices
            .iter()
            .map(|n| NoticeRow {
                id: n.id,
                application: n.application_id.clone(),
                kind: n.kind.label_zh(),
                recipient: n.recipient.clone(),
                created: datetime(n.created_at),
                state: n.state_zh(),
                attempts: n.attempts,
                error: n.last_error.clone().unwrap_or_default(),
                given_up: n.failed_at.is_some(),
            })
            .collect(),
        securities: SECURITIES,
        tested: None,
        test_to: String::new(),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Msg {
    msg: Option<String>,
}

async fn page(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<Msg>,
) -> Result<Response, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let view = st.service().mail_view(&actor).await?;
    let chrome = Chrome::new(&ctx, "admin").flash(q.msg.as_deref());
    Ok(page_of(chrome, &view, None, None).into_response())
}

async fn save(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(form): Form<MailForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let actor = ctx.user()?.actor(Via::Web);
    let service = st.service();
    if form.action == "remove" {
        service.set_mail(&actor, None).await?;
        return Ok(Redirect::to("/admin/mail?msg=mail_removed").into_response());
    }
    let input = MailInput {
        host: form.host.clone(),
        port: form.port.clone(),
        security: form.security.clone(),
        username: form.username.clone(),
        password: form.password.clone(),
        from_address: form.from_address.clone(),
        from_name: form.from_name.clone(),
    };
    match service.set_mail(&actor, Some(&input)).await {
        Ok(()) => Ok(Redirect::to("/admin/mail?msg=mail_saved").into_response()),
        Err(e) if e.kind() == gongkai_service::ErrorKind::Invalid => {
            let view = service.mail_view(&actor).await?;
            let page = page_of(
                Chrome::new(&ctx, "admin"),
                &view,
                Some(form),
                Some(e.to_string()),
            );
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RetryForm {
    csrf: String,
    id: i64,
}

async fn retry(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(form): Form<RetryForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let actor = ctx.user()?.actor(Via::Web);
    st.service().retry_mail(&actor, form.id).await?;
    Ok(Redirect::to("/admin/mail?msg=mail_retry").into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TestForm {
    csrf: String,
    to: String,
}

/// Sends a test message with the saved settings and shows what happened on the page.
async fn test(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(form): Form<TestForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let actor = ctx.user()?.actor(Via::Web);
    let service = st.service();
    let (status, tested, error) = match service.test_mail(&actor, &form.to).await {
        Ok(t) => (StatusCode::OK, Some((t.sent, t.message)), None),
        Err(e) if e.kind() == gongkai_service::ErrorKind::Invalid => {
            (StatusCode::UNPROCESSABLE_ENTITY, None, Some(e.to_string()))
        }
        Err(e) => return Err(e.into()),
    };
    let view = service.mail_view(&actor).await?;
    let mut page = page_of(Chrome::new(&ctx, "admin"), &view, None, error);
    page.tested = tested;
    page.test_to = form.to.trim().to_string();
    Ok((status, page).into_response())
}
