//! The ledger's pages (login required): home, login and logout here; applications in
//! [`ledger`], review queues in [`reviews`], appeals in [`appeals`], proactive records in
//! [`proactive`], the year-end report in [`year_end`], the letter templates (管理 · 文书模板)
//! in [`admin_templates`].
//!
//! Every form posts a CSRF token; every change goes through `gongkai_store`, which checks
//! the user's role, lets the ledger validate, writes the audit log and commits in one
//! transaction. A refused change re-renders the page with the ledger's Chinese message.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use gongkai_store::{NewUser, Role, SessionToken};
use serde::Deserialize;

use crate::error::PageError;
use crate::security::{self, SESSION_COOKIE};
use crate::view::Chrome;
use crate::{AppState, Ctx};

pub mod account;
pub mod account_agency;
pub mod account_tokens;
pub mod admin_audit;
pub mod admin_mail;
pub mod admin_platform;
pub mod admin_settings;
pub mod admin_templates;
pub mod admin_users;
pub mod appeals;
pub mod corrections;
pub mod ledger;
pub mod ledger_export;
pub mod ledger_import;
pub mod ledger_list;
pub mod ledger_opening;
pub mod online_case;
pub mod proactive;
pub mod register;
pub mod register_admin;
pub mod register_files;
pub mod register_import;
pub mod register_lint;
pub mod register_review;
pub mod reviews;
pub mod supervise;
pub mod supervise_lint;
pub mod year_end;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_page).post(login))
        .route("/setup", get(setup_page).post(setup))
        .route("/logout", post(logout))
        .route("/healthz", get(|| async { "ok" }))
        .merge(account_tokens::router())
        .merge(account_agency::router())
        .merge(admin_platform::router())
        .merge(ledger::router())
        .merge(account::router())
        .merge(admin_users::router())
        .merge(ledger_export::router())
        .merge(ledger_import::router())
        .merge(ledger_opening::router())
        .merge(corrections::router())
        .merge(reviews::router())
        .merge(appeals::router())
        .merge(proactive::router())
        .merge(register::router())
        .merge(register_admin::router())
        .merge(register_files::router())
        .merge(register_import::router())
        .merge(register_review::router())
        .merge(year_end::router())
        .merge(supervise::router())
        .merge(supervise_lint::router())
        .merge(admin_templates::router())
        .merge(admin_audit::router())
        .merge(admin_settings::router())
        .merge(admin_mail::router())
        .merge(online_case::router())
}

async fn home(ctx: Ctx) -> Redirect {
    if ctx.user.is_some() {
        Redirect::to("/ledger")
    } else {
        Redirect::to("/check")
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    name: String,
    error: Option<String>,
    /// Where the login returns to (a safe local path, or empty).
    next: String,
    /// How long a 记住我 login lasts, in days.
    remember_days: i64,
}

#[derive(Debug, Default, Deserialize)]
pub struct MsgQuery {
    pub msg: Option<String>,
    /// The page that asked for the login.
    pub next: Option<String>,
}

/// Where to go after the login: `next` when it is a safe local path, else the ledger.
fn after_login(next: Option<&str>) -> String {
    next.and_then(security::safe_next)
        .unwrap_or("/ledger")
        .to_string()
}

async fn login_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<MsgQuery>,
) -> Result<Response, PageError> {
    if ctx.user.is_some() {
        return Ok(Redirect::to(&after_login(q.next.as_deref())).into_response());
    }
    if !st.store().is_initialised().await? {
        return Ok(Redirect::to("/setup").into_response());
    }
    Ok(LoginPage {
        remember_days: st.config().session.remember.num_days(),
        chrome: Chrome::new(&ctx, "").flash(q.msg.as_deref()),
        name: String::new(),
        error: None,
        next: q
            .next
            .as_deref()
            .and_then(security::safe_next)
            .unwrap_or_default()
            .to_string(),
    }
    .into_response())
}

/// First run: a new database has no users. The setup page sets the office's name and
/// creates the first administrator (`gongkai ledger init` does the same from a terminal);
/// once done it only redirects to the login page. It needs the one-time setup code the
/// server printed on its console and in its log at start (`Store::issue_setup_code`), so
/// the first visitor on the network cannot make themselves administrator; a wrong code is
/// refused and audited (`setup.refused`).
#[derive(Template, WebTemplate)]
#[template(path = "setup.html")]
struct SetupPage {
    chrome: Chrome,
    code: String,
    agency: String,
    name: String,
    organ: String,
    court: String,
    error: Option<String>,
}

async fn setup_page(State(st): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    if st.store().is_initialised().await? {
        return Ok(Redirect::to("/login").into_response());
    }
    Ok(SetupPage {
        chrome: Chrome::new(&ctx, ""),
        code: String::new(),
        agency: String::new(),
        name: "admin".to_string(),
        organ: String::new(),
        court: String::new(),
        error: None,
    }
    .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SetupForm {
    csrf: String,
    /// The one-time setup code printed by the server at start.
    code: String,
    agency: String,
    name: String,
    password: String,
    password2: String,
    /// 行政复议机关 named in reply letters.
    organ: String,
    /// 人民法院 named in reply letters.
    court: String,
}

async fn setup(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SetupForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    if st.store().is_initialised().await? {
        return Ok(Redirect::to("/login").into_response());
    }
    let refuse = |error: String| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            SetupPage {
                chrome: Chrome::new(&ctx, ""),
                code: form.code.clone(),
                agency: form.agency.clone(),
                name: form.name.clone(),
                organ: form.organ.clone(),
                court: form.court.clone(),
                error: Some(error),
            },
        )
            .into_response()
    };
    // The code first: without it, nothing about the form is answered.
    match st
        .store()
        .check_setup_code(&form.code, &ctx.client, Utc::now())
        .await
    {
        Ok(()) => {}
        Err(e) if e.is_client_error() => {
            let mut resp = refuse(e.to_string());
            *resp.status_mut() = crate::error::store_status(&e);
            return Ok(resp);
        }
        Err(e) => return Err(e.into()),
    }
    if form.agency.trim().is_empty() {
        return Ok(refuse(
            "请填写机关名称（用于年度报告标题和答复书）。".into(),
        ));
    }
    if form.password != form.password2 {
        return Ok(refuse("两次输入的密码不一致。".into()));
    }
    let admin = NewUser {
        name: form.name.trim().to_string(),
        display_name: None,
        role: Role::Admin,
        password: form.password.clone(),
    };
    let office = gongkai_ledger::OfficeSettings {
        reconsideration_organ: form.organ.clone(),
        court: form.court.clone(),
        ..Default::default()
    };
    match st
        .service()
        .initialise(form.agency.trim(), &admin, &office)
        .await
    {
        Ok(_) => Ok(Redirect::to("/login?msg=initialised").into_response()),
        Err(e) if e.kind() != gongkai_service::ErrorKind::Internal => Ok(refuse(e.to_string())),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LoginForm {
    csrf: String,
    name: String,
    password: String,
    next: String,
    /// 记住我: a cookie that outlives the browser (the 记住我 lifetime, no idle timeout).
    remember: Option<String>,
}

async fn login(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let policy = st.config().session;
    let remember = form.remember.is_some();
    let ttl = if remember {
        policy.remember
    } else {
        policy.absolute
    };
    match st
        .store()
        .sign_in_for(
            form.name.trim(),
            &form.password,
            &ctx.client,
            &st.config().throttle,
            ttl,
            remember,
            Utc::now(),
        )
        .await
    {
        Ok((token, _, _)) => {
            let mut resp = Redirect::to(&after_login(Some(&form.next))).into_response();
            // Without 记住我 the cookie ends with the browser (no Max-Age); the session
            // itself ends by the idle timeout or its lifetime, whichever comes first.
            let max_age = remember.then(|| u64::try_from(ttl.num_seconds()).unwrap_or(0));
            let c = security::set_cookie(SESSION_COOKIE, &token.0, max_age, ctx.secure);
            if let Ok(v) = HeaderValue::from_str(&c) {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
            Ok(resp)
        }
        Err(e) if e.is_client_error() => Ok((
            // 401 for a wrong name or password, 429 while locked or throttled.
            crate::error::store_status(&e),
            LoginPage {
                remember_days: policy.remember.num_days(),
                chrome: Chrome::new(&ctx, ""),
                name: form.name,
                error: Some(e.to_string()),
                next: security::safe_next(&form.next)
                    .unwrap_or_default()
                    .to_string(),
            },
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CsrfForm {
    csrf: String,
}

async fn logout(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    if let Some(t) = &ctx.session {
        st.store()
            .logout(&SessionToken(t.clone()), Utc::now())
            .await?;
    }
    let mut resp = Redirect::to("/login?msg=logged_out").into_response();
    let c = security::set_cookie(SESSION_COOKIE, "", Some(0), ctx.secure);
    if let Ok(v) = HeaderValue::from_str(&c) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}
