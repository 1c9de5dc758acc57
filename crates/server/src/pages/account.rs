//! One's own account: `/account/password` changes one's password (the current one, a new
//! one that passes the rules, twice). While a user's password must be changed (a
//! temporary password from an administrator, or one that fails today's rules at sign-in),
//! [`forced_change`] sends every page to `/account/password` and the API answers 403
//! `password_change_required`, until a new password is set.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::error::{ApiError, PageError};
use crate::security::{self, SESSION_COOKIE};
use crate::view::Chrome;
use crate::{AppState, Ctx};

pub const PASSWORD_PAGE: &str = "/account/password";

pub fn router() -> Router<AppState> {
    Router::new().route(PASSWORD_PAGE, get(page).post(change))
}

/// Paths a user who must change their password may still reach.
fn allowed_while_forced(path: &str) -> bool {
    path == PASSWORD_PAGE
        || path == "/logout"
        || path == "/login"
        || path == "/healthz"
        || path.starts_with("/assets/")
        || path == "/api/v1/session"
}

/// The middleware: a user whose password must be changed reaches only the password page
/// (and logout, assets); pages redirect there, the API answers 403.
pub async fn forced_change(req: Request, next: Next) -> Response {
    let forced = req
        .extensions()
        .get::<Ctx>()
        .and_then(|c| c.user.as_ref())
        .is_some_and(|u| u.must_change_password);
    let path = req.uri().path();
    if !forced || allowed_while_forced(path) {
        return next.run(req).await;
    }
    if path.starts_with("/api/") {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "password_change_required",
            "须先修改密码（临时密码或不符合现行规则的密码）：请在网页“修改密码”（/account/password）中设置新密码",
        )
        .into_response();
    }
    Redirect::to(&format!("{PASSWORD_PAGE}?msg=password_required")).into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "account_password.html")]
struct PasswordPage {
    chrome: Chrome,
    forced: bool,
    error: Option<String>,
    min: usize,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MsgQuery {
    msg: Option<String>,
}

async fn page(
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<MsgQuery>,
) -> Result<Response, PageError> {
    let user = ctx.user()?;
    Ok(PasswordPage {
        forced: user.must_change_password,
        chrome: Chrome::new(&ctx, "").flash(q.msg.as_deref()),
        error: None,
        min: gongkai_store::password::MIN_CHARS,
    }
    .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PasswordForm {
    csrf: String,
    current: String,
    password: String,
    password2: String,
}

async fn change(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.user()?;
    let refuse = |error: String| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            PasswordPage {
                chrome: Chrome::new(&ctx, ""),
                forced: user.must_change_password,
                error: Some(error),
                min: gongkai_store::password::MIN_CHARS,
            },
        )
            .into_response()
    };
    if form.password != form.password2 {
        return Ok(refuse("新密码：两次输入不一致".into()));
    }
    let actor = user.actor(gongkai_service::Via::Web);
    match st
        .service()
        .change_own_password(&actor, &form.current, &form.password)
        .await
    {
        Ok(()) => {
            // The change ended every session of the user: sign in again.
            let mut resp = Redirect::to("/login?msg=password_changed").into_response();
            let c = security::set_cookie(SESSION_COOKIE, "", Some(0), st.config().secure_cookies);
            if let Ok(v) = axum::http::HeaderValue::from_str(&c) {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
            Ok(resp)
        }
        Err(e) if e.kind() != gongkai_service::ErrorKind::Internal => Ok(refuse(e.to_string())),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::allowed_while_forced;

    #[test]
    fn only_the_password_page_and_logout_stay_open() {
        assert!(allowed_while_forced("/account/password"));
        assert!(allowed_while_forced("/logout"));
        assert!(allowed_while_forced("/assets/style.css"));
        assert!(!allowed_while_forced("/ledger"));
        assert!(!allowed_while_forced("/admin/users"));
        assert!(!allowed_while_forced("/api/v1/applications"));
    }
}
