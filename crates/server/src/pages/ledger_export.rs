//! Downloads of the office's records as spreadsheets (the service's
//! [`gongkai_service::exports`]), and the saved column sets:
//!
//! * `GET /ledger/export/{xlsx|csv}?status=…&q=…&year=…&overdue=1&columns=SET` — the
//!   ledger with the list page's filters (its own query string, parsed by the list's
//!   [`ListQuery`]: the buttons on the list keep the filters shown), all rows, the columns
//!   of a set (default `标准`);
//! * `GET /ledger/columns` — the column sets (built-in and saved) and a form to save one;
//!   `POST /ledger/columns` saves, `POST /ledger/columns/delete` deletes (CSRF, audited);
//! * `GET /year-end/{year}/statistics.xlsx` — the year's three tables in the national
//!   layout;
//! * `GET /register/catalogue.csv`, `GET /register/catalogue.xlsx` (`?year=N`: first
//!   published in N) — the standard catalogue of the published items
//!   ([`gongkai_service::register::catalogue`]).
//!
//! Every download is audited by the service.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongkai_service::exports::{COLUMNS, DEFAULT_SET, Export, ExportFormat, SetView};
use gongkai_service::{ErrorKind, Via};
use serde::Deserialize;

use crate::check::{attachment_response, percent_encode};
use crate::error::PageError;
use crate::pages::ledger_list::ListQuery;
use crate::view::{self, Chrome};
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ledger/export/{format}", get(export))
        .route("/ledger/columns", get(page).post(save))
        .route("/ledger/columns/delete", post(delete))
        .route("/year-end/{year}/statistics.xlsx", get(statistics))
        .route("/register/catalogue.csv", get(catalogue_csv))
        .route("/register/catalogue.xlsx", get(catalogue_xlsx))
}

/// `?year=N` of the catalogue (empty: every year).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CatalogueQuery {
    pub year: String,
}

impl CatalogueQuery {
    fn year(&self) -> Result<Option<i32>, PageError> {
        let y = self.year.trim();
        if y.is_empty() {
            return Ok(None);
        }
        y.parse()
            .map(Some)
            .map_err(|_| PageError::BadRequest(format!("年度“{y}”无效")))
    }
}

async fn catalogue(
    st: AppState,
    ctx: Ctx,
    q: CatalogueQuery,
    format: ExportFormat,
) -> Result<Response, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let e = st
        .service()
        .catalogue_export(&actor, q.year()?, format)
        .await?;
    Ok(download(e))
}

async fn catalogue_csv(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<CatalogueQuery>,
) -> Result<Response, PageError> {
    catalogue(st, ctx, q, ExportFormat::Csv).await
}

async fn catalogue_xlsx(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<CatalogueQuery>,
) -> Result<Response, PageError> {
    catalogue(st, ctx, q, ExportFormat::Xlsx).await
}

/// `columns=SET` beside the list's query.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ColumnsQuery {
    pub columns: String,
}

fn download(e: Export) -> Response {
    attachment_response(e.content_type, &e.file_name, e.bytes)
}

async fn export(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(format): Path<String>,
    Query(q): Query<ListQuery>,
    Query(c): Query<ColumnsQuery>,
) -> Result<Response, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let format: ExportFormat = format
        .trim_end_matches(".xlsx")
        .trim_end_matches(".csv")
        .parse()
        .map_err(|_| PageError::NotFound("没有这种格式".into()))?;
    let filter = q.export_filter().map_err(PageError::BadRequest)?;
    let columns = Some(c.columns.trim()).filter(|s| !s.is_empty());
    let e = st
        .service()
        .export_ledger(&actor, &filter, columns, format)
        .await?;
    Ok(download(e))
}

async fn statistics(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(year): Path<i32>,
) -> Result<Response, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let e = st.service().statistics_xlsx(&actor, year).await?;
    Ok(download(e))
}

pub struct SetRow {
    pub name: String,
    pub headers: String,
    pub built_in: bool,
    pub saved: String,
    pub xlsx_url: String,
    pub csv_url: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "ledger_columns.html")]
struct ColumnsPage {
    chrome: Chrome,
    sets: Vec<SetRow>,
    /// `(key, header)` of every column.
    columns: Vec<(&'static str, &'static str)>,
    error: Option<String>,
    notice: Option<String>,
    name: String,
    list: String,
    can_save: bool,
}

fn set_row(s: SetView) -> SetRow {
    let q = format!("status=all&columns={}", percent_encode(&s.name));
    SetRow {
        headers: s.headers().join("、"),
        built_in: s.built_in,
        saved: match (&s.saved_by, s.saved_at) {
            (Some(by), Some(at)) => format!("{by} · {}", view::datetime(at)),
            _ => "内置".into(),
        },
        xlsx_url: format!("/ledger/export/xlsx?{q}"),
        csv_url: format!("/ledger/export/csv?{q}"),
        name: s.name,
    }
}

async fn render(
    st: &AppState,
    ctx: &Ctx,
    error: Option<String>,
    notice: Option<String>,
    form: Option<&SaveForm>,
) -> Result<ColumnsPage, PageError> {
    let user = ctx.user()?;
    let sets: Vec<SetRow> = st
        .service()
        .column_sets()
        .await?
        .into_iter()
        .map(set_row)
        .collect();
    let standard = sets
        .iter()
        .find(|s| s.name == DEFAULT_SET)
        .map(|s| s.headers.replace('、', ","))
        .unwrap_or_default();
    Ok(ColumnsPage {
        chrome: Chrome::new(ctx, "ledger"),
        sets,
        columns: COLUMNS.iter().map(|c| (c.key, c.header)).collect(),
        error,
        notice,
        name: form.map(|f| f.name.clone()).unwrap_or_default(),
        list: form.map_or(standard, |f| f.columns.clone()),
        can_save: user.can_record(),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MsgQuery {
    msg: String,
}

async fn page(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<MsgQuery>,
) -> Result<ColumnsPage, PageError> {
    let notice = match q.msg.as_str() {
        "saved" => Some("已保存导出列模板。".to_string()),
        "deleted" => Some("已删除导出列模板。".to_string()),
        _ => None,
    };
    render(&st, &ctx, None, notice, None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SaveForm {
    csrf: String,
    name: String,
    /// Keys or headers, separated by commas (or line breaks).
    columns: String,
}

async fn save(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SaveForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let actor = ctx.user()?.actor(Via::Web);
    let names: Vec<&str> = form.columns.split([',', '，', '、', '\n', '\r']).collect();
    match st
        .service()
        .save_column_set(&actor, &form.name, &names)
        .await
    {
        Ok(_) => Ok(Redirect::to("/ledger/columns?msg=saved").into_response()),
        Err(e) if matches!(e.kind(), ErrorKind::Invalid | ErrorKind::BadRequest) => {
            let page = render(&st, &ctx, Some(e.to_string()), None, Some(&form)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DeleteForm {
    csrf: String,
    name: String,
}

async fn delete(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(form): Form<DeleteForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let actor = ctx.user()?.actor(Via::Web);
    st.service().delete_column_set(&actor, &form.name).await?;
    Ok(Redirect::to("/ledger/columns?msg=deleted").into_response())
}
