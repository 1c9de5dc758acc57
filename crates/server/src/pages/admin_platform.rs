//! 管理 → 机关 (`/admin/platform`, the platform administrator: 管理员 of the root agency):
//! the agencies' tree, indented; an agency added under any node; an agency's code, name,
//! kind, 复议机关 and court (named in the remedy paragraph of its letters) changed; a
//! user's roles in each agency (`/admin/platform/users/{name}`, linked from the user's
//! page). The service checks the platform administrator and audits every change
//! (`agency.add`, `agency.edit`, `agency.roles`); handlers only parse and render.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use gongkai_service::{AgencyForm, ErrorKind, ServiceError, Via};
use gongkai_store::{Agency, AgencyKind, Role};
use serde::Deserialize;

use crate::check::percent_encode;
use crate::error::PageError;
use crate::view::Chrome;
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/platform", get(tree).post(add))
        .route("/admin/platform/a/{code}", get(agency).post(save))
        .route("/admin/platform/users/{name}", get(roles).post(grant))
}

/// One agency of the tree.
struct Row {
    code: String,
    code_url: String,
    name: String,
    kind: &'static str,
    /// Indentation by depth (full-width spaces: the style sheet allows no inline style).
    pad: String,
    organ: String,
    court: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_platform.html")]
struct TreePage {
    chrome: Chrome,
    rows: Vec<Row>,
    kinds: Vec<(&'static str, &'static str)>,
    error: Option<String>,
    form: AddForm,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct AddForm {
    csrf: String,
    parent: String,
    code: String,
    name: String,
    kind: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MsgQuery {
    msg: Option<String>,
}

/// Two full-width spaces a level (and a corner below the root).
fn pad(depth: usize) -> String {
    if depth == 0 {
        String::new()
    } else {
        format!("{}└ ", "\u{3000}\u{3000}".repeat(depth - 1))
    }
}

fn kinds() -> Vec<(&'static str, &'static str)> {
    AgencyKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.label_zh()))
        .collect()
}

/// A refusal the page shows (not a failure of the storage; 403 stays a 403 page).
fn shown(e: &ServiceError) -> bool {
    !matches!(e.kind(), ErrorKind::Internal | ErrorKind::Forbidden)
}

async fn render_tree(
    st: &AppState,
    ctx: &Ctx,
    error: Option<String>,
    form: AddForm,
    flash: Option<&str>,
) -> Result<Response, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let rows = st
        .service()
        .agency_tree(&actor)
        .await?
        .into_iter()
        .map(|r| Row {
            code_url: percent_encode(&r.agency.code),
            code: r.agency.code,
            name: r.agency.name,
            kind: r.agency.kind.label_zh(),
            pad: pad(r.depth),
            organ: r.agency.reconsideration_organ,
            court: r.agency.court,
        })
        .collect();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        TreePage {
            chrome: Chrome::new(ctx, "admin").flash(flash),
            rows,
            kinds: kinds(),
            error,
            form,
        },
    )
        .into_response())
}

async fn tree(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<MsgQuery>,
) -> Result<Response, PageError> {
    render_tree(&st, &ctx, None, AddForm::default(), q.msg.as_deref()).await
}

async fn add(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(form): Form<AddForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let actor = ctx.user()?.actor(Via::Web);
    match st
        .service()
        .add_agency(&actor, &form.parent, &form.code, &form.name, &form.kind)
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/platform?msg=agency_saved").into_response()),
        Err(e) if shown(&e) => render_tree(&st, &ctx, Some(e.to_string()), form, None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_platform_agency.html")]
struct AgencyPage {
    chrome: Chrome,
    /// The code in the address (the agency as it is stored).
    code_url: String,
    form: EditForm,
    kinds: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct EditForm {
    csrf: String,
    code: String,
    name: String,
    kind: String,
    organ: String,
    court: String,
}

impl EditForm {
    fn of(a: &Agency) -> Self {
        EditForm {
            csrf: String::new(),
            code: a.code.clone(),
            name: a.name.clone(),
            kind: a.kind.as_str().to_string(),
            organ: a.reconsideration_organ.clone(),
            court: a.court.clone(),
        }
    }
}

async fn find(st: &AppState, ctx: &Ctx, code: &str) -> Result<Agency, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    st.service()
        .agency_tree(&actor)
        .await?
        .into_iter()
        .map(|r| r.agency)
        .find(|a| a.code == code)
        .ok_or_else(|| PageError::NotFound(format!("没有代码为“{code}”的机关。")))
}

async fn agency(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let a = find(&st, &ctx, &code).await?;
    Ok(AgencyPage {
        chrome: Chrome::new(&ctx, "admin"),
        code_url: percent_encode(&a.code),
        form: EditForm::of(&a),
        kinds: kinds(),
        error: None,
    }
    .into_response())
}

async fn save(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(form): Form<EditForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let actor = ctx.user()?.actor(Via::Web);
    let new = AgencyForm {
        code: form.code.clone(),
        name: form.name.clone(),
        kind: form.kind.clone(),
        reconsideration_organ: form.organ.clone(),
        court: form.court.clone(),
    };
    match st.service().edit_agency(&actor, &code, &new).await {
        Ok(_) => Ok(Redirect::to("/admin/platform?msg=agency_saved").into_response()),
        Err(e) if e.kind() == ErrorKind::NotFound && e.to_string().contains(&code) => Err(e.into()),
        Err(e) if shown(&e) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            AgencyPage {
                chrome: Chrome::new(&ctx, "admin"),
                code_url: percent_encode(&code),
                form,
                kinds: kinds(),
                error: Some(e.to_string()),
            },
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// A user's roles in one agency.
struct Held {
    code: String,
    name: String,
    pad: String,
    /// (key, label, held) for each ledger role and `supervisor`.
    roles: Vec<(&'static str, &'static str, bool)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_platform_user.html")]
struct RolesPage {
    chrome: Chrome,
    name: String,
    name_url: String,
    rows: Vec<Held>,
}

/// The roles offered per agency: the ledger's and 监督 (read access to the subtree).
fn role_keys() -> Vec<(&'static str, &'static str)> {
    Role::ALL
        .iter()
        .map(|r| (r.as_str(), r.label_zh()))
        .chain(std::iter::once((
            gongkai_store::agencies::SUPERVISOR,
            "监督",
        )))
        .collect()
}

async fn roles(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
    Query(q): Query<MsgQuery>,
) -> Result<Response, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let svc = st.service();
    if svc.store().user(name.trim()).await?.is_none() {
        return Err(PageError::NotFound(format!("没有用户“{}”。", name.trim())));
    }
    let held = svc.roles_by_agency(&actor, &name).await?;
    let rows = svc
        .agency_tree(&actor)
        .await?
        .into_iter()
        .map(|r| {
            let keys = held
                .iter()
                .find(|(a, _)| a.id == r.agency.id)
                .map(|(_, k)| k.clone())
                .unwrap_or_default();
            Held {
                code: r.agency.code,
                name: r.agency.name,
                pad: pad(r.depth),
                roles: role_keys()
                    .into_iter()
                    .map(|(k, l)| (k, l, keys.iter().any(|h| h == k)))
                    .collect(),
            }
        })
        .collect();
    Ok(RolesPage {
        chrome: Chrome::new(&ctx, "admin").flash(q.msg.as_deref()),
        name_url: percent_encode(name.trim()),
        name: name.trim().to_string(),
        rows,
    }
    .into_response())
}

async fn grant(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    ctx.check_csrf(&get("csrf"))?;
    let actor = ctx.user()?.actor(Via::Web);
    let roles: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "role")
        .map(|(_, v)| v.clone())
        .collect();
    st.service()
        .grant_roles(&actor, &name, &get("agency"), &roles)
        .await?;
    Ok(Redirect::to(&format!(
        "/admin/platform/users/{}?msg=roles_saved",
        percent_encode(name.trim())
    ))
    .into_response())
}
