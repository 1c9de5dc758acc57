//! The publication register's pages (主动公开登记): the list with search and filters
//! (`/register`), a new item (`/register/new`), an item with its timeline, publications,
//! versions and attachments (`/register/{id}`) with its actions (edit, publish on a
//! channel, correct, withdraw, re-assess), the art. 26 due list (`/register/due`), the
//! art. 18 withheld list (`/register/withheld`) and the settings (`/admin/register`,
//! [`super::register_admin`]). Thin: forms parsed here, everything else in
//! `gongkai_service::register`.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongkai_ledger::Vocabulary;
use gongkai_ledger::proactive::DocumentKind;
use gongkai_ledger::register::{
    Disclosure, ItemDraft, ItemStage, Outlet, Publication, ReassessOutcome, Validity,
    ValidityStatus, WithholdBasis,
};
use gongkai_service::register::{DueState, ItemFilter, ItemListing, ItemView};
use gongkai_service::{ErrorKind, ServiceError, Via};
use gongkai_store::register::Reassessment;
use serde::{Deserialize, Serialize};

use crate::error::PageError;
use crate::pages::MsgQuery;
use crate::pages::register_files::{Upload, read_form_or_multipart};
use crate::view::{self, Chrome};
use crate::{AppState, Ctx, forms};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/register", get(list))
        .route("/register/new", get(new_page).post(create))
        .route("/register/{id}", get(show))
        .route("/register/{id}/edit", get(edit_page).post(edit))
        .route("/register/{id}/publish", post(publish))
        .route("/register/{id}/correct", post(correct))
        .route("/register/{id}/withdraw", post(withdraw))
        .route("/register/{id}/reassess", post(reassess))
}

/// The status message of a redirect after a write.
pub const SAVED: &str = "register_saved";

/// One row of a list.
pub struct Row {
    pub id: i64,
    pub index_number: String,
    pub title: String,
    pub organ: String,
    pub formed_on: String,
    pub topic: String,
    pub genre: String,
    pub stage: &'static str,
    pub disclosure: &'static str,
    pub clock: String,
    pub due_on: String,
}

pub fn row(
    item: &gongkai_store::register::RegisterItem,
    clock: Option<&gongkai_ledger::register::PublicationClock>,
) -> Row {
    use gongkai_ledger::register::PublicationStatus as S;
    Row {
        id: item.id,
        index_number: item.index_number.clone(),
        title: item.title.clone(),
        organ: item.organ.clone(),
        formed_on: view::date_zh(item.formed_on),
        topic: item.topic.clone(),
        genre: item.genre.clone(),
        stage: item.stage.label_zh(),
        disclosure: item.disclosure.label_zh(),
        clock: match clock.map(|c| c.status) {
            None => String::new(),
            Some(S::OnTime { .. }) => "按时发布".into(),
            Some(S::Late {
                working_days_late, ..
            }) => format!("逾期 {working_days_late} 个工作日发布"),
            Some(S::Open { working_days_left }) => format!("还剩 {working_days_left} 个工作日"),
            Some(S::DueSoon { working_days_left }) => {
                format!("即将到期：还剩 {working_days_left} 个工作日")
            }
            Some(S::Overdue { working_days_over }) => {
                format!("已逾期 {working_days_over} 个工作日")
            }
        },
        due_on: item.due_on.map(view::date_zh).unwrap_or_default(),
    }
}

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
struct ListQuery {
    q: String,
    topic: String,
    genre: String,
    organ: String,
    year: String,
    stage: String,
    outlet: String,
    due: String,
    page: String,
    msg: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "register_list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    total: u64,
    page: u64,
    pages: u64,
    q: ListQuery,
    /// The query string without the page, for the page links.
    base: String,
    topics: Vec<String>,
    genres: Vec<String>,
    stages: Vec<(&'static str, &'static str)>,
    outlets: Vec<(&'static str, &'static str)>,
    dues: Vec<(&'static str, &'static str)>,
    can_record: bool,
    error: Option<String>,
}

fn opt(s: &str) -> Option<String> {
    forms::optional(s)
}

fn filter(q: &ListQuery) -> Result<ItemFilter, String> {
    Ok(ItemFilter {
        text: opt(&q.q),
        topic: opt(&q.topic),
        genre: opt(&q.genre),
        organ: opt(&q.organ),
        year: match q.year.trim() {
            "" => None,
            y => Some(y.parse().map_err(|_| format!("年度“{y}”无效"))?),
        },
        stage: match q.stage.trim() {
            "" => None,
            s => Some(forms::pick::<ItemStage>(s)?),
        },
        outlet: match q.outlet.trim() {
            "" => None,
            s => Some(forms::pick::<Outlet>(s)?),
        },
        disclosure: None,
        due: match q.due.trim() {
            "" => None,
            s => Some(DueState::parse(s).map_err(|e| e.to_string())?),
        },
        page: q.page.trim().parse().unwrap_or(1),
        per_page: 0,
    })
}

async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let user = ctx.user()?;
    let actor = user.actor(Via::Web);
    let svc = st.service();
    let settings = svc.register_settings(&actor).await?;
    let (listing, error) = match filter(&q) {
        Ok(f) => match svc.list_items(&actor, &f).await {
            Ok(l) => (l, None),
            Err(e) if e.kind() == ErrorKind::Invalid => (empty(), Some(e.to_string())),
            Err(e) => return Err(e.into()),
        },
        Err(e) => (empty(), Some(e)),
    };
    let base = [
        ("q", &q.q),
        ("topic", &q.topic),
        ("genre", &q.genre),
        ("organ", &q.organ),
        ("year", &q.year),
        ("stage", &q.stage),
        ("outlet", &q.outlet),
        ("due", &q.due),
    ]
    .iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .map(|(k, v)| format!("{k}={}&", crate::check::percent_encode(v.trim())))
    .collect::<String>();
    let page = ListPage {
        chrome: Chrome::new(&ctx, "register").flash(q.msg.as_deref()),
        rows: listing
            .items
            .iter()
            .map(|i| row(&i.item, i.clock.as_ref()))
            .collect(),
        total: listing.total,
        page: listing.page,
        pages: listing.pages(),
        base,
        topics: settings.topics.entries().to_vec(),
        genres: settings.genres.entries().to_vec(),
        stages: ItemStage::options(),
        outlets: Outlet::options(),
        dues: DueState::ALL
            .iter()
            .map(|d| (d.name(), d.label_zh()))
            .collect(),
        can_record: user.can_record(),
        error,
        q,
    };
    let status = if page.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, page).into_response())
}

fn empty() -> ItemListing {
    ItemListing {
        total: 0,
        page: 1,
        per_page: 20,
        items: Vec::new(),
    }
}

/// The item form (new, edit, correct): every field as text; the channels as check boxes.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct ItemForm {
    csrf: String,
    title: String,
    organ: String,
    formed_on: String,
    number: String,
    topic: String,
    genre: String,
    summary: String,
    body: String,
    /// `proactive`, `on_request`, `withheld`.
    disclosure: String,
    basis: String,
    /// Empty, `regulation`, `normative_document`.
    doc_kind: String,
    validity: String,
    effective_on: String,
    ended_on: String,
    out_website: String,
    out_new_media: String,
    out_gazette: String,
    out_notice_board: String,
    out_press_conference: String,
    out_media: String,
    out_other: String,
    /// For a correction.
    reason: String,
}

impl ItemForm {
    fn outlet_fields(&self) -> [(&String, Outlet); 7] {
        [
            (&self.out_website, Outlet::Website),
            (&self.out_new_media, Outlet::NewMedia),
            (&self.out_gazette, Outlet::Gazette),
            (&self.out_notice_board, Outlet::NoticeBoard),
            (&self.out_press_conference, Outlet::PressConference),
            (&self.out_media, Outlet::Media),
            (&self.out_other, Outlet::Other),
        ]
    }

    /// Whether channel `name` is ticked.
    pub fn has(&self, name: &str) -> bool {
        self.outlet_fields()
            .iter()
            .any(|(v, o)| o.name() == name && !v.is_empty())
    }

    fn from_draft(d: &ItemDraft) -> Self {
        let mut f = ItemForm {
            title: d.title.clone(),
            organ: d.organ.clone(),
            formed_on: d.formed_on.to_string(),
            number: d.number.clone().unwrap_or_default(),
            topic: d.topic.clone(),
            genre: d.genre.clone(),
            summary: d.summary.clone(),
            body: d.body.clone(),
            disclosure: match &d.disclosure {
                Disclosure::Proactive => "proactive",
                Disclosure::OnRequest => "on_request",
                Disclosure::Withheld { .. } => "withheld",
            }
            .into(),
            basis: match &d.disclosure {
                Disclosure::Withheld { basis } => basis.name().into(),
                _ => String::new(),
            },
            ..Default::default()
        };
        if let Some(v) = &d.validity {
            f.doc_kind = v.kind.name().into();
            f.validity = v.status.name().into();
            f.effective_on = v.effective_on.map(|d| d.to_string()).unwrap_or_default();
            f.ended_on = v.ended_on.map(|d| d.to_string()).unwrap_or_default();
        }
        for o in &d.outlets {
            let v = "on".to_string();
            match o {
                Outlet::Website => f.out_website = v,
                Outlet::NewMedia => f.out_new_media = v,
                Outlet::Gazette => f.out_gazette = v,
                Outlet::NoticeBoard => f.out_notice_board = v,
                Outlet::PressConference => f.out_press_conference = v,
                Outlet::Media => f.out_media = v,
                Outlet::Other => f.out_other = v,
            }
        }
        f
    }

    fn to_draft(&self) -> Result<ItemDraft, String> {
        let date = |field: &str, s: &str| -> Result<Option<chrono::NaiveDate>, String> {
            match s.trim() {
                "" => Ok(None),
                t => forms::date(field, t).map(Some),
            }
        };
        Ok(ItemDraft {
            title: self.title.clone(),
            organ: self.organ.clone(),
            formed_on: forms::date("生成日期", &self.formed_on)?,
            number: opt(&self.number),
            topic: self.topic.clone(),
            genre: self.genre.clone(),
            summary: self.summary.clone(),
            body: self.body.replace("\r\n", "\n"),
            disclosure: match self.disclosure.trim() {
                "" | "proactive" => Disclosure::Proactive,
                "on_request" => Disclosure::OnRequest,
                "withheld" => Disclosure::Withheld {
                    basis: forms::pick::<WithholdBasis>(&self.basis)
                        .map_err(|_| "不予公开须选择所依据的条款".to_string())?,
                },
                other => return Err(format!("公开属性“{other}”无效")),
            },
            validity: match self.doc_kind.trim() {
                "" => None,
                k => Some(Validity {
                    kind: forms::pick::<DocumentKind>(k)?,
                    status: match self.validity.trim() {
                        "" => ValidityStatus::Effective,
                        s => forms::pick::<ValidityStatus>(s)?,
                    },
                    effective_on: date("施行日期", &self.effective_on)?,
                    ended_on: date("失效或废止日期", &self.ended_on)?,
                }),
            },
            outlets: self
                .outlet_fields()
                .iter()
                .filter(|(v, _)| !v.is_empty())
                .map(|(_, o)| *o)
                .collect(),
        })
    }
}

/// What the item form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormMode {
    New,
    Edit,
    Correct,
}

#[derive(Template, WebTemplate)]
#[template(path = "register_form.html")]
struct FormPage {
    chrome: Chrome,
    /// `new`, `edit`, `correct`.
    mode: &'static str,
    action: String,
    item: Option<(i64, String)>,
    f: ItemForm,
    topics: Vec<String>,
    genres: Vec<String>,
    bases: Vec<(&'static str, &'static str)>,
    outlets: Vec<(&'static str, &'static str)>,
    today: String,
    error: Option<String>,
}

async fn form_page(
    st: &AppState,
    ctx: &Ctx,
    mode: FormMode,
    id: Option<(i64, String)>,
    f: ItemForm,
    error: Option<String>,
) -> Result<Response, PageError> {
    let actor = ctx.recorder()?.actor(Via::Web);
    let settings = st.service().register_settings(&actor).await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (mode_name, action) = match (mode, &id) {
        (FormMode::New, _) | (_, None) => ("new", "/register/new".to_string()),
        (FormMode::Edit, Some((i, _))) => ("edit", format!("/register/{i}/edit")),
        (FormMode::Correct, Some((i, _))) => ("correct", format!("/register/{i}/correct")),
    };
    Ok((
        status,
        FormPage {
            chrome: Chrome::new(ctx, "register"),
            mode: mode_name,
            action,
            item: id,
            f,
            topics: settings.topics.entries().to_vec(),
            genres: settings.genres.entries().to_vec(),
            bases: WithholdBasis::options(),
            outlets: Outlet::options(),
            today: view::today().to_string(),
            error,
        },
    )
        .into_response())
}

async fn new_page(State(st): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let f = ItemForm {
        formed_on: view::today().to_string(),
        disclosure: "proactive".into(),
        out_website: "on".into(),
        ..Default::default()
    };
    form_page(&st, &ctx, FormMode::New, None, f, None).await
}

/// The message of a refusal to show on the form, or the error to pass on.
fn shown(e: ServiceError) -> Result<String, PageError> {
    if matches!(
        e.kind(),
        ErrorKind::Internal | ErrorKind::NotFound | ErrorKind::Forbidden
    ) {
        Err(e.into())
    } else {
        Ok(e.to_string())
    }
}

/// The posted form with the 正文 read from the body file, if one was chosen (its
/// refusal, in Chinese, to show on the form).
fn with_body_file(up: &Upload) -> Result<(ItemForm, Result<(), String>), PageError> {
    let mut f: ItemForm = up.form()?;
    let r = match &up.body_file {
        Some((name, bytes)) => gongkai_service::Service::body_from_file(name, bytes)
            .map(|text| f.body = text)
            .map_err(|e| e.to_string()),
        None => Ok(()),
    };
    Ok((f, r))
}

async fn create(State(st): State<AppState>, ctx: Ctx, req: Request) -> Result<Response, PageError> {
    let actor = ctx.recorder()?.actor(Via::Web);
    let up = read_form_or_multipart(&st, &ctx, req).await?;
    let (f, body) = with_body_file(&up)?;
    if let Err(m) = body {
        return form_page(&st, &ctx, FormMode::New, None, f, Some(m)).await;
    }
    let draft = match f.to_draft() {
        Ok(d) => d,
        Err(m) => return form_page(&st, &ctx, FormMode::New, None, f, Some(m)).await,
    };
    match st
        .service()
        .register_item_with_files(&actor, draft, up.files)
        .await
    {
        Ok(item) => Ok(Redirect::to(&format!("/register/{}?msg={SAVED}", item.id)).into_response()),
        Err(e) => {
            let m = shown(e)?;
            form_page(&st, &ctx, FormMode::New, None, f, Some(m)).await
        }
    }
}

async fn edit_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let actor = ctx.recorder()?.actor(Via::Web);
    let v = st.service().item(&actor, id).await?;
    let mode = if v.record.item.stage == ItemStage::Published {
        FormMode::Correct
    } else {
        FormMode::Edit
    };
    let f = ItemForm::from_draft(&v.record.draft);
    let it = (id, v.record.item.index_number.clone());
    form_page(&st, &ctx, mode, Some(it), f, None).await
}

async fn edit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    req: Request,
) -> Result<Response, PageError> {
    save(st, ctx, id, req, FormMode::Edit).await
}

async fn correct(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    req: Request,
) -> Result<Response, PageError> {
    save(st, ctx, id, req, FormMode::Correct).await
}

/// Saves an edit or a correction, then adds the attachments chosen with it (each on its
/// own, audited; a refused one is shown on the item page, the edit kept).
async fn save(
    st: AppState,
    ctx: Ctx,
    id: i64,
    req: Request,
    mode: FormMode,
) -> Result<Response, PageError> {
    let actor = ctx.recorder()?.actor(Via::Web);
    let up = read_form_or_multipart(&st, &ctx, req).await?;
    let (f, body) = with_body_file(&up)?;
    let svc = st.service();
    let current = svc.item(&actor, id).await?;
    let it = Some((id, current.record.item.index_number.clone()));
    if let Err(m) = body {
        return form_page(&st, &ctx, mode, it, f, Some(m)).await;
    }
    let draft = match f.to_draft() {
        Ok(d) => d,
        Err(m) => return form_page(&st, &ctx, mode, it, f, Some(m)).await,
    };
    let r = match mode {
        FormMode::Correct => svc.correct_item(&actor, id, draft, &f.reason).await,
        _ => svc.edit_item(&actor, id, draft).await,
    };
    if let Err(e) = r {
        let m = shown(e)?;
        return form_page(&st, &ctx, mode, it, f, Some(m)).await;
    }
    for file in up.files {
        let name = file.name.clone();
        if let Err(e) = svc.attach_to_item(&actor, id, file).await {
            let e = ServiceError::invalid("附件", format!("已保存修改；附件“{name}”未添加：{e}"));
            return done(&st, &ctx, id, Err::<(), _>(e)).await;
        }
    }
    Ok(Redirect::to(&format!("/register/{id}?msg={SAVED}")).into_response())
}

/// An item's page.
#[derive(Template, WebTemplate)]
#[template(path = "register_item.html")]
struct ItemPage {
    chrome: Chrome,
    v: ItemView,
    row: Row,
    body: Vec<String>,
    timeline: Vec<(String, &'static str, String, String, String)>,
    publications: Vec<(u32, &'static str, String, String, String, u32)>,
    versions: Vec<(u32, &'static str, String, String, String)>,
    attachments: Vec<(u32, String, String, String)>,
    lint_run: Option<super::register_lint::RunView>,
    outlets: Vec<(&'static str, &'static str)>,
    outcomes: Vec<(&'static str, &'static str)>,
    bases: Vec<(&'static str, &'static str)>,
    published: bool,
    withdrawn: bool,
    withheld: bool,
    proactive: bool,
    can_record: bool,
    can_withdraw: bool,
    today: String,
    error: Option<String>,
}

async fn item_page(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    msg: Option<&str>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let user = ctx.user()?;
    let actor = user.actor(Via::Web);
    let v = st.service().item(&actor, id).await?;
    let it = &v.record.item;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = ItemPage {
        chrome: Chrome::new(ctx, "register").flash(msg),
        row: row(it, v.clock.as_ref()),
        body: v
            .record
            .draft
            .body
            .split("\n\n")
            .map(str::to_string)
            .filter(|p| !p.trim().is_empty())
            .collect(),
        timeline: v
            .record
            .timeline
            .iter()
            .map(|e| {
                (
                    view::datetime(e.at),
                    e.kind.label_zh(),
                    e.by.clone(),
                    e.reason.clone().unwrap_or_default(),
                    timeline_detail(&e.detail),
                )
            })
            .collect(),
        publications: v
            .record
            .publications
            .iter()
            .map(|p| {
                (
                    p.seq,
                    p.publication.outlet.label_zh(),
                    p.publication.account.clone(),
                    view::date_zh(p.publication.published_on),
                    p.publication.url.clone().unwrap_or_default(),
                    p.version,
                )
            })
            .collect(),
        versions: v
            .record
            .versions
            .iter()
            .map(|x| {
                (
                    x.version,
                    x.kind.label_zh(),
                    view::datetime(x.recorded_at),
                    x.recorded_by.clone(),
                    x.reason.clone().unwrap_or_default(),
                )
            })
            .collect(),
        attachments: v
            .record
            .attachments
            .iter()
            .filter(|a| a.removed.is_none())
            .map(|a| {
                (
                    a.seq,
                    a.name.clone(),
                    view::size(a.size as usize),
                    a.sha256.clone(),
                )
            })
            .collect(),
        lint_run: (st.service().item_lint_runs(&actor, id).await?.last())
            .map(super::register_lint::run_view),
        outlets: Outlet::options(),
        outcomes: ReassessOutcome::options(),
        bases: WithholdBasis::options(),
        published: it.stage == ItemStage::Published,
        withdrawn: it.stage == ItemStage::Withdrawn,
        withheld: matches!(it.disclosure, Disclosure::Withheld { .. }),
        proactive: it.disclosure == Disclosure::Proactive,
        can_record: user.can_record(),
        can_withdraw: user.has(gongkai_store::Role::OfficeHead)
            || user.has(gongkai_store::Role::Leader)
            || user.has(gongkai_store::Role::Admin),
        today: view::today().to_string(),
        error,
        v,
    };
    Ok((status, page).into_response())
}

/// The detail of a timeline entry in words (channel, outcome, fields changed, file).
fn timeline_detail(d: &serde_json::Value) -> String {
    let s = |k: &str| d.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
    let mut parts = Vec::new();
    for k in [
        "outlet",
        "account",
        "published_on",
        "outcome",
        "disclosure",
        "basis",
        "name",
    ] {
        let v = s(k);
        if !v.is_empty() {
            parts.push(v);
        }
    }
    if let Some(f) = d.get("fields").and_then(|f| f.as_array())
        && !f.is_empty()
    {
        let names: Vec<&str> = f.iter().filter_map(|x| x.as_str()).collect();
        parts.push(format!("改动：{}", names.join("、")));
    }
    parts.join("，")
}

async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<MsgQuery>,
) -> Result<Response, PageError> {
    item_page(&st, &ctx, id, q.msg.as_deref(), None).await
}

/// After an action on the item: back to its page, or the page again with the refusal.
pub(super) async fn done(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    r: Result<impl Sized, ServiceError>,
) -> Result<Response, PageError> {
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/register/{id}?msg={SAVED}")).into_response()),
        Err(e) => {
            let m = shown(e)?;
            item_page(st, ctx, id, None, Some(m)).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PublishForm {
    csrf: String,
    outlet: String,
    account: String,
    published_on: String,
    url: String,
}

async fn publish(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<PublishForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&f.csrf)?;
    let actor = ctx.recorder()?.actor(Via::Web);
    let p = (|| -> Result<Publication, String> {
        Ok(Publication {
            outlet: forms::pick::<Outlet>(&f.outlet)?,
            account: f.account.clone(),
            published_on: forms::date("发布日期", &f.published_on)?,
            url: opt(&f.url),
        })
    })();
    let r = match p {
        Ok(p) => st.service().publish_item(&actor, id, p).await,
        Err(m) => return item_page(&st, &ctx, id, None, Some(m)).await,
    };
    done(&st, &ctx, id, r).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReasonForm {
    csrf: String,
    reason: String,
    outcome: String,
    basis: String,
}

async fn withdraw(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ReasonForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&f.csrf)?;
    let actor = ctx.user()?.actor(Via::Web);
    let r = st.service().withdraw_item(&actor, id, &f.reason).await;
    done(&st, &ctx, id, r).await
}

async fn reassess(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ReasonForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&f.csrf)?;
    let actor = ctx.recorder()?.actor(Via::Web);
    let outcome = match forms::pick::<ReassessOutcome>(&f.outcome) {
        Ok(o) => o,
        Err(m) => return item_page(&st, &ctx, id, None, Some(m)).await,
    };
    let basis = match f.basis.trim() {
        "" => None,
        b => match forms::pick::<WithholdBasis>(b) {
            Ok(b) => Some(b),
            Err(m) => return item_page(&st, &ctx, id, None, Some(m)).await,
        },
    };
    let r = st
        .service()
        .reassess_item(
            &actor,
            id,
            Reassessment {
                outcome,
                basis,
                reason: f.reason,
            },
        )
        .await;
    done(&st, &ctx, id, r).await
}
