//! 管理 → 用户 (`/admin/users`, administrators): the accounts with their roles, state,
//! lock and last sign-in; a new account (several roles, a chosen or a generated
//! temporary password); an account's roles; disable / enable; reset a password (the
//! temporary password is shown once on the answer page); unlock. The service checks that
//! the user is an administrator and audits every change; handlers only parse and render.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongkai_service::{Account, AccountDraft, ErrorKind, ServiceError, Via};
use gongkai_store::Role;

use crate::check::percent_encode;
use crate::error::PageError;
use crate::view::{self, Chrome};
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list).post(create))
        .route("/admin/users/{name}", get(edit))
        .route("/admin/users/{name}/roles", post(set_roles))
        .route("/admin/users/{name}/active", post(set_active))
        .route("/admin/users/{name}/reset", post(reset))
        .route("/admin/users/{name}/unlock", post(unlock))
}

/// One row of the list.
pub struct Row {
    pub name: String,
    pub name_url: String,
    pub display: String,
    pub roles: String,
    pub active: bool,
    pub locked: bool,
    pub locked_until: String,
    pub must_change: bool,
    pub last_login: String,
    pub is_me: bool,
}

fn row(a: &Account, me: &str) -> Row {
    let u = &a.user;
    Row {
        name: u.name.clone(),
        name_url: percent_encode(&u.name),
        display: u.display_name.clone().unwrap_or_default(),
        roles: u.roles_label(),
        active: u.active,
        locked: a.locked_until.is_some(),
        locked_until: a.locked_until.map(view::datetime).unwrap_or_default(),
        must_change: u.must_change_password,
        last_login: u
            .last_login_at
            .map_or_else(|| "从未登录".to_string(), view::datetime),
        is_me: u.name == me,
    }
}

/// A temporary password to show once.
pub struct Notice {
    pub what: &'static str,
    pub name: String,
    pub password: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_users.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    error: Option<String>,
    notice: Option<Notice>,
    all_roles: Vec<(&'static str, &'static str)>,
    form_name: String,
    form_display: String,
    min: usize,
}

async fn render(
    st: &AppState,
    ctx: &Ctx,
    error: Option<String>,
    notice: Option<Notice>,
    form: (String, String),
    flash: Option<&str>,
) -> Result<Response, PageError> {
    let user = ctx.user()?;
    let actor = user.actor(Via::Web);
    let accounts = st.service().accounts(&actor).await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        ListPage {
            chrome: Chrome::new(ctx, "admin").flash(flash),
            rows: accounts.iter().map(|a| row(a, &user.name)).collect(),
            error,
            notice,
            all_roles: Role::ALL
                .iter()
                .map(|r| (r.as_str(), r.label_zh()))
                .collect(),
            form_name: form.0,
            form_display: form.1,
            min: gongkai_store::password::MIN_CHARS,
        },
    )
        .into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct MsgQuery {
    msg: Option<String>,
}

async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<MsgQuery>,
) -> Result<Response, PageError> {
    render(&st, &ctx, None, None, Default::default(), q.msg.as_deref()).await
}

/// The fields of a posted form, with `role` repeated (checkboxes).
struct Posted(Vec<(String, String)>);

impl Posted {
    fn get(&self, key: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn roles(&self) -> Result<Vec<Role>, ServiceError> {
        self.0
            .iter()
            .filter(|(k, _)| k == "role")
            .map(|(_, v)| {
                v.parse::<Role>()
                    .map_err(|e| ServiceError::invalid("角色", e))
            })
            .collect()
    }
}

/// A refusal the page shows (not a failure of the storage).
fn shown(e: &ServiceError) -> bool {
    !matches!(e.kind(), ErrorKind::Internal)
}

async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Posted(pairs);
    ctx.check_csrf(&f.get("csrf"))?;
    let user = ctx.user()?;
    let form = (f.get("name"), f.get("display_name"));
    let draft = match f.roles() {
        Ok(roles) => AccountDraft {
            name: f.get("name"),
            display_name: Some(f.get("display_name")),
            roles,
            password: Some(f.get("password")).filter(|p| !p.is_empty()),
            must_change_password: f.get("must_change") == "1",
        },
        Err(e) => return render(&st, &ctx, Some(e.to_string()), None, form, None).await,
    };
    match st
        .service()
        .create_account(&user.actor(Via::Web), draft)
        .await
    {
        Ok(c) => match c.temporary_password {
            Some(password) => {
                let notice = Notice {
                    what: "已新建",
                    name: c.user.name,
                    password,
                };
                render(&st, &ctx, None, Some(notice), Default::default(), None).await
            }
            None => Ok(Redirect::to("/admin/users?msg=user_saved").into_response()),
        },
        Err(e) if e.kind() == ErrorKind::Forbidden => Err(e.into()),
        Err(e) if shown(&e) => render(&st, &ctx, Some(e.to_string()), None, form, None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_user.html")]
struct EditPage {
    chrome: Chrome,
    name: String,
    name_url: String,
    display: String,
    active: bool,
    locked: bool,
    locked_until: String,
    must_change: bool,
    last_login: String,
    roles: Vec<(&'static str, &'static str, bool)>,
    error: Option<String>,
}

async fn render_edit(
    st: &AppState,
    ctx: &Ctx,
    name: &str,
    error: Option<String>,
) -> Result<Response, PageError> {
    let user = ctx.user()?;
    let a = st.service().account(&user.actor(Via::Web), name).await?;
    let r = row(&a, &user.name);
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        EditPage {
            chrome: Chrome::new(ctx, "admin"),
            roles: Role::ALL
                .iter()
                .map(|role| (role.as_str(), role.label_zh(), a.user.has(*role)))
                .collect(),
            name: r.name,
            name_url: r.name_url,
            display: r.display,
            active: r.active,
            locked: r.locked,
            locked_until: r.locked_until,
            must_change: r.must_change,
            last_login: r.last_login,
            error,
        },
    )
        .into_response())
}

async fn edit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
) -> Result<Response, PageError> {
    render_edit(&st, &ctx, &name, None).await
}

async fn set_roles(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Posted(pairs);
    ctx.check_csrf(&f.get("csrf"))?;
    let user = ctx.user()?;
    let result = match f.roles() {
        Ok(roles) => {
            st.service()
                .set_roles(&user.actor(Via::Web), &name, &roles)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/admin/users?msg=user_saved").into_response()),
        Err(e) if e.kind() == ErrorKind::Invalid || e.kind() == ErrorKind::Forbidden => {
            if e.kind() == ErrorKind::Forbidden && !user.has(Role::Admin) {
                return Err(e.into());
            }
            render_edit(&st, &ctx, &name, Some(e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ActiveForm {
    csrf: String,
    active: String,
}

async fn set_active(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
    Form(form): Form<ActiveForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.user()?;
    let active = form.active == "true";
    match st
        .service()
        .set_account_active(&user.actor(Via::Web), &name, active)
        .await
    {
        Ok(()) => Ok(Redirect::to("/admin/users?msg=user_saved").into_response()),
        Err(e) if user.has(Role::Admin) && shown(&e) => {
            render(
                &st,
                &ctx,
                Some(e.to_string()),
                None,
                Default::default(),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct CsrfForm {
    csrf: String,
}

async fn reset(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.user()?;
    let password = st
        .service()
        .reset_password(&user.actor(Via::Web), &name)
        .await?;
    let notice = Notice {
        what: "已重置",
        name: name.trim().to_string(),
        password,
    };
    render(&st, &ctx, None, Some(notice), Default::default(), None).await
}

async fn unlock(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.user()?;
    st.service()
        .unlock_user(&user.actor(Via::Web), &name)
        .await?;
    Ok(Redirect::to("/admin/users?msg=user_saved").into_response())
}
