//! 文书模板: the reply letter templates in the browser (管理). The list of the decisions'
//! templates, the editor with the placeholders and a preview of the letter of a real
//! application, the history of a template, an old version, restoring it and restoring the
//! built-in text. The use cases and who may use them (办公室主任, 管理员) are the service's
//! (`gongkai_service::templates`); this module parses the forms and renders.
//!
//! The preview is composed by the code that composes every letter and rendered by the
//! letter page's own code ([`crate::letters::letter_body`]). Without script the 预览 button
//! posts the form and the page comes back with the preview; with `admin-templates.js` the
//! text is posted to `/admin/templates/{key}/preview` as it is typed (debounced) and the
//! fragment it answers replaces the preview.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongkai_ledger::{ApplicationId, Decision};
use gongkai_service::letters::Placeholder;
use gongkai_service::templates::{self, Preview, PreviewChoice};
use gongkai_service::{ErrorKind, ServiceError, Via};
use gongkai_store::TemplateVersion;
use gongkai_write::html::escape;
use serde::Deserialize;

use crate::check::percent_encode;
use crate::error::PageError;
use crate::view::{self, Chrome};
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/templates", get(list))
        .route("/admin/templates/{key}", get(edit).post(submit))
        .route("/admin/templates/{key}/preview", post(preview))
        .route("/admin/templates/{key}/history", get(history))
        .route("/admin/templates/{key}/v/{version}", get(version))
        .route("/admin/templates/{key}/v/{version}/restore", post(restore))
        .route("/admin/templates/{key}/default", post(restore_default))
}

/// The status messages of these pages (fixed texts: nothing from the URL is shown).
fn flash(key: Option<&str>) -> Option<String> {
    Some(
        match key? {
            "saved" => "已保存答复书模板（新版本），此后生成的答复书使用新文本。",
            "unchanged" => "模板内容没有变化，未保存新版本。",
            "restored" => "已恢复所选版本（作为新版本保存）。",
            "default" => "已恢复默认文本。",
            "default_unchanged" => "已在使用默认文本，未作改动。",
            _ => return None,
        }
        .to_string(),
    )
}

fn chrome(ctx: &Ctx, msg: Option<&str>) -> Chrome {
    let mut c = Chrome::new(ctx, "admin");
    c.flash = flash(msg);
    c
}

fn href(key: &str) -> String {
    format!("/admin/templates/{}", percent_encode(key))
}

// ---- list ------------------------------------------------------------------------------------

pub struct ListRow {
    pub key: &'static str,
    pub label: &'static str,
    pub group: &'static str,
    pub custom: bool,
    pub updated: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_templates.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<ListRow>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageQuery {
    msg: Option<String>,
    application: Option<String>,
}

async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let rows = st
        .service()
        .letter_templates(&actor)
        .await?
        .into_iter()
        .map(|t| ListRow {
            key: t.key,
            label: t.decision.label_zh(),
            group: t.decision.group_zh(),
            custom: t.custom.is_some(),
            updated: t
                .custom
                .map(|c| format!("{} {}", view::datetime(c.updated_at), c.updated_by))
                .unwrap_or_default(),
        })
        .collect();
    Ok(ListPage {
        chrome: chrome(&ctx, q.msg.as_deref()),
        rows,
    }
    .into_response())
}

// ---- editor ----------------------------------------------------------------------------------

pub struct ChoiceView {
    pub id: String,
    pub label: String,
    pub selected: bool,
}

pub struct PlaceholderView {
    pub braced: String,
    pub description: &'static str,
    pub required: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_template_edit.html")]
struct EditPage {
    chrome: Chrome,
    key: &'static str,
    href: String,
    label: &'static str,
    /// `本机关文本（… 修改）` or `默认文本`.
    in_force: String,
    custom: bool,
    versions: usize,
    title: String,
    body: String,
    note: String,
    choices: Vec<ChoiceView>,
    placeholders: Vec<PlaceholderView>,
    /// The service's refusal of a save.
    error: Option<String>,
    /// The preview (the server's escaped fragment).
    preview: String,
}

/// The draft as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DraftForm {
    csrf: String,
    title: String,
    body: String,
    note: String,
    application: String,
    /// `save` or `preview`.
    action: String,
}

fn choice_views(choices: &[PreviewChoice], selected: Option<&str>) -> Vec<ChoiceView> {
    choices
        .iter()
        .map(|c| ChoiceView {
            id: c.id.0.clone(),
            label: format!(
                "{} {}（{}，{}）",
                c.id.0,
                c.applicant,
                c.decision.label_zh(),
                view::date_zh(c.decided_on)
            ),
            selected: selected == Some(c.id.0.as_str()),
        })
        .collect()
}

/// The application chosen for the preview: the one asked for, else the first offered.
fn chosen(asked: Option<&str>, choices: &[PreviewChoice]) -> Option<ApplicationId> {
    asked
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(ApplicationId::from)
        .or_else(|| choices.first().map(|c| c.id.clone()))
}

/// The preview as an HTML fragment: the text's problems, a note when the application's
/// decision is another, and the letter. Every text escaped.
pub fn preview_fragment(preview: &Preview, template: Decision, chose: bool) -> String {
    let mut out = String::new();
    if !preview.problems.is_empty() {
        out.push_str("<ul class=\"field-error\" data-problems>\n");
        for p in &preview.problems {
            out.push_str(&format!("<li>{}</li>\n", escape(&p.to_string())));
        }
        out.push_str("</ul>\n");
    }
    if let Some(d) = preview.other_decision {
        out.push_str(&format!(
            "<p class=\"hint\">所选申请的答复结论为“{}”，不是本模板的“{}”：预览中的结论、依据和救济途径按该申请的结论填写。</p>\n",
            escape(d.label_zh()),
            escape(template.label_zh()),
        ));
    }
    match &preview.letter {
        Some(letter) => {
            out.push_str("<div class=\"letter-preview\"><article data-letter>\n");
            out.push_str(&crate::letters::letter_body(letter));
            out.push_str("</article></div>\n");
        }
        None if !chose => out.push_str(
            "<p class=\"muted\">台账中还没有已作出答复结论的申请，暂时无法预览答复书。</p>\n",
        ),
        None => {}
    }
    out
}

fn error_fragment(message: &str) -> String {
    format!(
        "<p class=\"field-error\" role=\"alert\">{}</p>\n",
        escape(message)
    )
}

/// The preview of `title` and `body` on `application`, as a fragment and whether it could
/// be made (an unknown application, a role that may not: the message instead).
async fn render_preview(
    st: &AppState,
    actor: &gongkai_service::Actor,
    key: &str,
    title: &str,
    body: &str,
    application: Option<&ApplicationId>,
) -> Result<String, ServiceError> {
    match st
        .service()
        .preview_letter_template(actor, key, title, body, application)
        .await
    {
        Ok(p) => {
            let template = templates::decision_of(key)?;
            Ok(preview_fragment(&p, template, application.is_some()))
        }
        Err(e) if matches!(e.kind(), ErrorKind::Internal | ErrorKind::Forbidden) => Err(e),
        Err(e) => Ok(error_fragment(&e.public_message())),
    }
}

struct Draft<'a> {
    title: &'a str,
    body: &'a str,
    note: &'a str,
    application: Option<&'a str>,
    error: Option<String>,
}

async fn edit_page(
    st: &AppState,
    ctx: &Ctx,
    key: &str,
    draft: Option<Draft<'_>>,
    msg: Option<&str>,
    asked: Option<&str>,
) -> Result<EditPage, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let view = st.service().letter_template(&actor, key).await?;
    let choices = st.service().preview_choices(&actor, key).await?;
    let asked = draft.as_ref().and_then(|d| d.application).or(asked);
    let app = chosen(asked, &choices);
    let (title, body, note, error) = match draft {
        Some(d) => (
            d.title.to_string(),
            d.body.to_string(),
            d.note.to_string(),
            d.error,
        ),
        None => (view.title.clone(), view.body.clone(), String::new(), None),
    };
    let preview = render_preview(st, &actor, key, &title, &body, app.as_ref()).await?;
    let required = templates::required(view.decision);
    Ok(EditPage {
        chrome: chrome(ctx, msg),
        key: view.key,
        href: href(view.key),
        label: view.decision.label_zh(),
        in_force: match &view.updated {
            Some((at, by)) => format!("本机关文本（{} 由 {by} 修改）", view::datetime(*at)),
            None => "默认文本".to_string(),
        },
        custom: view.custom,
        versions: view.versions.len(),
        title,
        body,
        note,
        choices: choice_views(&choices, app.as_ref().map(|a| a.0.as_str())),
        placeholders: Placeholder::ALL
            .into_iter()
            .map(|p| PlaceholderView {
                braced: p.braced(),
                description: p.description(),
                required: required.contains(&p),
            })
            .collect(),
        error,
        preview,
    })
}

async fn edit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    Ok(edit_page(
        &st,
        &ctx,
        &key,
        None,
        q.msg.as_deref(),
        q.application.as_deref(),
    )
    .await?
    .into_response())
}

/// The editor's form: 保存 saves a new version; 预览 (without script) shows the page again
/// with the draft and its preview.
async fn submit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    Form(form): Form<DraftForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let actor = ctx.user()?.actor(Via::Web);
    let draft = |error| Draft {
        title: &form.title,
        body: &form.body,
        note: &form.note,
        application: Some(form.application.as_str()),
        error,
    };
    if form.action == "preview" {
        return Ok(edit_page(&st, &ctx, &key, Some(draft(None)), None, None)
            .await?
            .into_response());
    }
    let note = Some(form.note.as_str()).filter(|n| !n.trim().is_empty());
    match st
        .service()
        .save_letter_template(&actor, &key, &form.title, &form.body, note)
        .await
    {
        Ok(saved) => {
            let msg = if saved.is_some() {
                "saved"
            } else {
                "unchanged"
            };
            Ok(Redirect::to(&format!("{}?msg={msg}", href(&key))).into_response())
        }
        Err(e) if e.kind() == ErrorKind::Invalid => {
            let page = edit_page(
                &st,
                &ctx,
                &key,
                Some(draft(Some(e.to_string()))),
                None,
                None,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The live preview: the fragment only (`text/html`), for `admin-templates.js`.
async fn preview(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    Form(form): Form<DraftForm>,
) -> Response {
    let fragment = |status: StatusCode, body: String| {
        let mut resp = (status, body).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        resp
    };
    let Some(user) = &ctx.user else {
        return fragment(
            StatusCode::UNAUTHORIZED,
            error_fragment("登录已失效，请重新登录后再预览。"),
        );
    };
    if !ctx.csrf_ok(&form.csrf) {
        return fragment(
            StatusCode::FORBIDDEN,
            error_fragment("表单已失效（CSRF 校验未通过），请刷新页面。"),
        );
    }
    let actor = user.actor(Via::Web);
    let app = Some(form.application.trim())
        .filter(|a| !a.is_empty())
        .map(ApplicationId::from);
    match render_preview(&st, &actor, &key, &form.title, &form.body, app.as_ref()).await {
        Ok(html) => fragment(StatusCode::OK, html),
        Err(e) => fragment(
            crate::error::status(e.kind()),
            error_fragment(&e.public_message()),
        ),
    }
}

// ---- history, versions, restore ----------------------------------------------------------------

pub struct VersionRow {
    pub version: u32,
    pub at: String,
    pub by: String,
    pub origin: &'static str,
    pub restored_from: Option<u32>,
    pub note: String,
    /// Its text is the one in force (the newest version).
    pub current: bool,
}

impl VersionRow {
    fn of(v: &TemplateVersion) -> Self {
        VersionRow {
            version: v.version,
            at: view::datetime(v.saved_at),
            by: v.saved_by.clone(),
            origin: v.origin.label_zh(),
            restored_from: v.restored_from,
            note: v.note.clone().unwrap_or_default(),
            current: false,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_template_history.html")]
struct HistoryPage {
    chrome: Chrome,
    href: String,
    label: &'static str,
    rows: Vec<VersionRow>,
}

async fn history(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let view = st.service().letter_template(&actor, &key).await?;
    Ok(HistoryPage {
        chrome: chrome(&ctx, None),
        href: href(view.key),
        label: view.decision.label_zh(),
        rows: view
            .versions
            .iter()
            .enumerate()
            .map(|(i, v)| VersionRow {
                current: i == 0,
                ..VersionRow::of(v)
            })
            .collect(),
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_template_version.html")]
struct VersionPage {
    chrome: Chrome,
    href: String,
    label: &'static str,
    row: VersionRow,
    title: String,
    body: String,
    newest: bool,
}

async fn version(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((key, version)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let n = parse_version(&key, &version)?;
    let v = st
        .service()
        .letter_template_version(&actor, &key, n)
        .await?;
    let all = st.store().template_versions(&v.key).await?;
    let decision = Decision::from_row_key(&v.key).unwrap_or(Decision::OtherOther);
    Ok(VersionPage {
        chrome: chrome(&ctx, None),
        href: href(&v.key),
        label: decision.label_zh(),
        newest: all.last().map(|l| l.version) == Some(v.version),
        row: VersionRow::of(&v),
        title: v.title,
        body: v.body,
    }
    .into_response())
}

fn parse_version(key: &str, s: &str) -> Result<u32, PageError> {
    s.trim()
        .parse()
        .map_err(|_| PageError::NotFound(format!("找不到模板版本“{key} 第 {} 版”", s.trim())))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RestoreForm {
    csrf: String,
    note: String,
}

async fn restore(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((key, version)): Path<(String, String)>,
    Form(form): Form<RestoreForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let actor = ctx.user()?.actor(Via::Web);
    let n = parse_version(&key, &version)?;
    let note = Some(form.note.as_str()).filter(|n| !n.trim().is_empty());
    let saved = st
        .service()
        .restore_letter_template(&actor, &key, n, note)
        .await?;
    let msg = if saved.is_some() {
        "restored"
    } else {
        "unchanged"
    };
    Ok(Redirect::to(&format!("{}?msg={msg}", href(&key))).into_response())
}

async fn restore_default(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    Form(form): Form<RestoreForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let actor = ctx.user()?.actor(Via::Web);
    let note = Some(form.note.as_str()).filter(|n| !n.trim().is_empty());
    let saved = st
        .service()
        .restore_default_letter_template(&actor, &key, note)
        .await?;
    let msg = if saved.is_some() {
        "default"
    } else {
        "default_unchanged"
    };
    Ok(Redirect::to(&format!("{}?msg={msg}", href(&key))).into_response())
}
