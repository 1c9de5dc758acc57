//! The register's lists for the office (`/register/due`: art. 26 overdue and due-soon
//! items and the year's on-time rate; `/register/withheld`: art. 18 withheld items and
//! those due for re-assessment) and its settings (`/admin/register`: the 索引号 template,
//! the 主题分类 and 体裁 lists, review levels by 体裁, periods).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use gongkai_service::register::SettingsForm;
use gongkai_service::{ErrorKind, Via};
use serde::Deserialize;

use crate::error::PageError;
use crate::pages::MsgQuery;
use crate::pages::register::{Row, row};
use crate::view::{self, Chrome};
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/register/due", get(due))
        .route("/register/withheld", get(withheld))
        .route("/admin/register", get(settings_page).post(save_settings))
}

#[derive(Template, WebTemplate)]
#[template(path = "register_due.html")]
struct DuePage {
    chrome: Chrome,
    today: String,
    window: u32,
    overdue: Vec<Row>,
    due_soon: Vec<Row>,
    year: i32,
    on_time: u64,
    published: u64,
    rate: String,
}

async fn due(State(st): State<AppState>, ctx: Ctx) -> Result<DuePage, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let d = st.service().due_items(&actor).await?;
    Ok(DuePage {
        chrome: Chrome::new(&ctx, "register"),
        today: view::date_zh(d.today),
        window: d.due_soon_working_days,
        overdue: d
            .overdue
            .iter()
            .map(|i| row(&i.item, i.clock.as_ref()))
            .collect(),
        due_soon: d
            .due_soon
            .iter()
            .map(|i| row(&i.item, i.clock.as_ref()))
            .collect(),
        year: d.rate.year,
        on_time: d.rate.on_time,
        published: d.rate.published,
        rate: d.rate.percent(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "register_withheld.html")]
struct WithheldPage {
    chrome: Chrome,
    /// `(row, basis, next re-assessment, due now)`.
    rows: Vec<(Row, &'static str, String, bool)>,
    due_count: usize,
}

async fn withheld(State(st): State<AppState>, ctx: Ctx) -> Result<WithheldPage, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let svc = st.service();
    let items = svc.withheld_items(&actor, false).await?;
    let today = svc.current_date();
    let rows: Vec<_> = items
        .iter()
        .map(|i| {
            let basis = match &i.disclosure {
                gongkai_ledger::register::Disclosure::Withheld { basis } => basis.label_zh(),
                _ => "",
            };
            (
                row(i, None),
                basis,
                i.reassess_on.map(view::date_zh).unwrap_or_default(),
                i.reassess_on.is_some_and(|d| d <= today),
            )
        })
        .collect();
    Ok(WithheldPage {
        chrome: Chrome::new(&ctx, "register"),
        due_count: rows.iter().filter(|r| r.3).count(),
        rows,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_register.html")]
struct SettingsPage {
    chrome: Chrome,
    f: SettingsForm,
    error: Option<String>,
}

async fn settings_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<MsgQuery>,
) -> Result<SettingsPage, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let s = st.service().register_settings(&actor).await?;
    Ok(SettingsPage {
        chrome: Chrome::new(&ctx, "admin").flash(q.msg.as_deref()),
        f: SettingsForm::from_settings(&s),
        error: None,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SettingsPost {
    csrf: String,
    #[serde(flatten)]
    form: SettingsForm,
}

async fn save_settings(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<SettingsPost>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&f.csrf)?;
    let actor = ctx.user()?.actor(Via::Web);
    match st.service().set_register_settings(&actor, &f.form).await {
        Ok(_) => Ok(Redirect::to("/admin/register?msg=register_settings").into_response()),
        Err(e) if matches!(e.kind(), ErrorKind::Invalid) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            SettingsPage {
                chrome: Chrome::new(&ctx, "admin"),
                error: Some(e.to_string()),
                f: f.form,
            },
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
