//! 期初数 (`/ledger/opening`): the opening balances of an office's first year on gongkai —
//! 四、结转下年度继续办理 (per applicant column) and 现行有效件数 of 规章 and 行政规范性文件 —
//! read from last year's published report (any format the readers read) or typed. The
//! year-end uses them where the ledger has no history (`gongkai_ledger::opening`).
//!
//! | route | what |
//! |---|---|
//! | `GET /ledger/opening` | the figures in force, the two forms |
//! | `POST /ledger/opening/report` | multipart: `csrf`, `file` (last year's report), `year` (optional) |
//! | `POST /ledger/opening` | typed: `csrf`, `year`, `c0`…`c6` (the seven columns, 总计 last), `regulations`, `normative` |
//! | `POST /ledger/opening/clear` | `csrf` |
//!
//! Saving is the service's (`set_opening`: those who record; the columns must add up to
//! 总计; audited); the handlers parse and render.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongkai_format::APPLICANT_COLUMNS;
use gongkai_ledger::Opening;
use gongkai_service::imports;
use gongkai_service::{ErrorKind, Via};
use serde::Deserialize;

use crate::error::PageError;
use crate::security::CSRF_FIELD;
use crate::view::Chrome;
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ledger/opening", get(page).post(typed))
        .route("/ledger/opening/report", post(from_report))
        .route("/ledger/opening/clear", post(clear))
}

/// The typed form's values, kept when it is shown again with an error.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct TypedForm {
    csrf: String,
    pub year: String,
    pub c0: String,
    pub c1: String,
    pub c2: String,
    pub c3: String,
    pub c4: String,
    pub c5: String,
    pub c6: String,
    pub regulations: String,
    pub normative: String,
}

impl TypedForm {
    fn columns(&self) -> [&str; 7] {
        [
            &self.c0, &self.c1, &self.c2, &self.c3, &self.c4, &self.c5, &self.c6,
        ]
    }

    /// The figures, or a Chinese error naming the field.
    fn opening(&self) -> Result<Opening, String> {
        let number = |label: &str, v: &str| -> Result<u64, String> {
            let v = v.trim();
            if v.is_empty() {
                return Ok(0);
            }
            v.parse::<u64>()
                .map_err(|_| format!("“{label}”须为非负整数（现为“{v}”）"))
        };
        let year = self.year.trim();
        let year = year
            .parse::<i32>()
            .map_err(|_| format!("“报告年度”须为四位年份（现为“{year}”）"))?;
        let mut carried = [0u64; 7];
        for (i, (col, v)) in APPLICANT_COLUMNS.iter().zip(self.columns()).enumerate() {
            carried[i] = number(&format!("结转下年度继续办理（{}）", col.short), v)?;
        }
        Ok(Opening {
            year,
            carried_forward: carried,
            in_force: [
                number("规章 现行有效件数", &self.regulations)?,
                number("行政规范性文件 现行有效件数", &self.normative)?,
            ],
            source: "手工录入".into(),
        })
    }
}

/// One applicant column: its header and the figure in force.
pub struct ColumnView {
    pub label: &'static str,
    pub name: String,
    pub value: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "ledger_opening.html")]
pub struct OpeningPage {
    pub chrome: Chrome,
    pub current: Option<Opening>,
    pub columns: Vec<ColumnView>,
    pub error: Option<String>,
    pub typed: TypedForm,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MsgQuery {
    msg: Option<String>,
}

async fn render(
    st: &AppState,
    ctx: &Ctx,
    error: Option<String>,
    typed: Option<TypedForm>,
    msg: Option<&str>,
) -> Result<Response, PageError> {
    ctx.recorder()?;
    let current = st.service().opening().await?;
    // The typed form starts from the figures in force.
    let typed = typed.unwrap_or_else(|| match &current {
        Some(o) => {
            let c = o.carried_forward.map(|n| n.to_string());
            TypedForm {
                year: o.year.to_string(),
                c0: c[0].clone(),
                c1: c[1].clone(),
                c2: c[2].clone(),
                c3: c[3].clone(),
                c4: c[4].clone(),
                c5: c[5].clone(),
                c6: c[6].clone(),
                regulations: o.in_force[0].to_string(),
                normative: o.in_force[1].to_string(),
                ..TypedForm::default()
            }
        }
        None => TypedForm::default(),
    });
    let columns = APPLICANT_COLUMNS
        .iter()
        .zip(typed.columns())
        .enumerate()
        .map(|(i, (c, v))| ColumnView {
            label: c.short,
            name: format!("c{i}"),
            value: v.to_string(),
        })
        .collect();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = OpeningPage {
        chrome: Chrome::new(ctx, "ledger").flash(msg),
        current,
        columns,
        error,
        typed,
    };
    Ok((status, page).into_response())
}

async fn page(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<MsgQuery>,
) -> Result<Response, PageError> {
    render(&st, &ctx, None, None, q.msg.as_deref()).await
}

/// Saves `opening` (or clears it); a refusal of the figures is shown on the page.
async fn save(
    st: &AppState,
    ctx: &Ctx,
    opening: Option<Opening>,
    typed: Option<TypedForm>,
) -> Result<Response, PageError> {
    let actor = ctx.recorder()?.actor(Via::Web);
    let done = if opening.is_some() {
        "opening_saved"
    } else {
        "opening_cleared"
    };
    match st.service().set_opening(&actor, opening.as_ref()).await {
        Ok(()) => Ok(Redirect::to(&format!("/ledger/opening?msg={done}")).into_response()),
        Err(e) if e.kind() == ErrorKind::Invalid => {
            render(st, ctx, Some(e.to_string()), typed, None).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn typed(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(form): Form<TypedForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    match form.opening() {
        Ok(o) => save(&st, &ctx, Some(o), Some(form)).await,
        Err(e) => render(&st, &ctx, Some(e), Some(form), None).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CsrfForm {
    csrf: String,
}

async fn clear(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    save(&st, &ctx, None, None).await
}

async fn from_report(
    State(st): State<AppState>,
    ctx: Ctx,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    use crate::check::intake::{multipart_error, not_multipart, read_field};
    let mut mp = multipart.map_err(not_multipart)?;
    ctx.recorder()?;
    let cfg = st.config().clone();
    let (mut csrf, mut file, mut year) = (None::<String>, None, String::new());
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| multipart_error(&e, &cfg))?
    {
        let name = field.name().unwrap_or("").to_string();
        if name == CSRF_FIELD {
            csrf = Some(field.text().await.map_err(|e| multipart_error(&e, &cfg))?);
            continue;
        }
        // The token comes first; nothing is read without it.
        ctx.check_csrf(csrf.as_deref().unwrap_or(""))?;
        match name.as_str() {
            "file" | "files" => {
                let file_name = field.file_name().unwrap_or("").to_string();
                let bytes = read_field(field, &file_name, cfg.max_file_bytes, &cfg).await?;
                if !bytes.is_empty() {
                    file = Some((file_name, bytes));
                }
            }
            "year" => {
                year = String::from_utf8_lossy(&read_field(field, "year", 16, &cfg).await?)
                    .trim()
                    .to_string();
            }
            _ => {}
        }
    }
    ctx.check_csrf(csrf.as_deref().unwrap_or(""))?;
    let Some((name, bytes)) = file else {
        let e = "请选择上一年度的政府信息公开工作年度报告文件".to_string();
        return render(&st, &ctx, Some(e), None, None).await;
    };
    let name = if name.trim().is_empty() {
        "上传的报告".to_string()
    } else {
        name
    };
    let year = match year.as_str() {
        "" => None,
        y => match y.parse::<i32>() {
            Ok(y) => Some(y),
            Err(_) => {
                let e = format!("“报告年度”须为四位年份（现为“{y}”）");
                return render(&st, &ctx, Some(e), None, None).await;
            }
        },
    };
    // Reading is CPU work: off the async runtime.
    let n = name.clone();
    let read = tokio::task::spawn_blocking(move || {
        gongkai_read::read_report(&bytes)
            .map_err(|e| format!("{n}：无法读取报告：{e}"))
            .and_then(|r| {
                imports::opening_from_report(&r, year, &n).map_err(|e| format!("{n}：{e}"))
            })
    })
    .await
    .map_err(|e| PageError::Internal(e.to_string()))?;
    match read {
        Ok(o) => save(&st, &ctx, Some(o), None).await,
        Err(e) => render(&st, &ctx, Some(e), None, None).await,
    }
}
