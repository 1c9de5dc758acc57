//! Proactive-disclosure records for section 二: rules and normative documents (issued,
//! repealed), licensing, penalty and coercion decision counts per period, administrative
//! fees per period.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongkai_ledger::{
    DecisionArea, DecisionCount, DocumentKind, DocumentRecord, FeeIncome, ProactiveData,
};
use gongkai_service::{ErrorKind, Via};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::PageError;
use crate::forms::{FieldError, Refusal, at};
use crate::pages::MsgQuery;
use crate::view::{self, Chrome};
use crate::{AppState, Ctx, forms};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/proactive", get(list).post(add))
        .route("/proactive/repeal", post(repeal))
        .route("/proactive/void", post(void))
}

pub struct RecordRow {
    pub id: String,
    pub kind: &'static str,
    pub what: String,
    pub period: String,
    pub value: String,
    /// A document in force: may be repealed.
    pub repealable: bool,
    /// The key of its repeal form (`repeal-<id>`) for a refused form's values.
    pub form_key: String,
    /// The key of its void form (`void-<id>`).
    pub void_key: String,
}

pub fn area_zh(a: DecisionArea) -> &'static str {
    match a {
        DecisionArea::Licensing => "行政许可",
        DecisionArea::Penalty => "行政处罚",
        DecisionArea::Coercion => "行政强制",
    }
}

pub fn row(id: &str, data: &ProactiveData) -> RecordRow {
    match data {
        ProactiveData::Document(d) => RecordRow {
            id: id.to_string(),
            kind: match d.kind {
                DocumentKind::Regulation => "规章",
                DocumentKind::NormativeDocument => "行政规范性文件",
            },
            what: match &d.number {
                Some(n) => format!("{}（{n}）", d.title),
                None => d.title.clone(),
            },
            period: format!(
                "{} 制发{}",
                view::date_zh(d.issued_on),
                d.repealed_on
                    .map(|r| format!("，{} 废止", view::date_zh(r)))
                    .unwrap_or_default()
            ),
            value: if d.repealed_on.is_some() {
                "已废止"
            } else {
                "现行有效"
            }
            .into(),
            repealable: d.repealed_on.is_none(),
            form_key: format!("repeal-{id}"),
            void_key: format!("void-{id}"),
        },
        ProactiveData::Decisions(c) => RecordRow {
            id: id.to_string(),
            kind: area_zh(c.area),
            what: "处理决定数量".into(),
            period: format!("{} 至 {}", view::date_zh(c.from), view::date_zh(c.to)),
            value: format!("{} 件", c.count),
            repealable: false,
            form_key: String::new(),
            void_key: format!("void-{id}"),
        },
        ProactiveData::Fees(f) => RecordRow {
            id: id.to_string(),
            kind: "行政事业性收费",
            what: "收费金额".into(),
            period: format!("{} 至 {}", view::date_zh(f.from), view::date_zh(f.to)),
            value: format!("{} 元", f.amount_yuan),
            repealable: false,
            form_key: String::new(),
            void_key: format!("void-{id}"),
        },
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "proactive.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<RecordRow>,
    can_record: bool,
    today: String,
    error: Option<String>,
    /// A refused form: what was entered and the message beside its field.
    f: Refusal,
}

async fn build(
    st: &AppState,
    ctx: &Ctx,
    error: Option<String>,
    refusal: Refusal,
    msg: Option<&str>,
) -> Result<ListPage, PageError> {
    let user = ctx.user()?;
    let records = st.store().proactive_records().await?;
    let today = view::today();
    let mut refusal = refusal
        .today(today)
        .default_value("document", "doc_kind", "normative_document")
        .default_value("decisions", "area", "licensing");
    for r in &records {
        refusal = refusal.default_value(&format!("repeal-{}", r.id), "repealed_on", today);
    }
    // A voided or corrected record is kept (store, audit log) and no longer counted; the
    // reason is required (更正 without losing history).
    // The current version of each figure (a corrected or voided record is kept in the
    // store and the audit log, and no longer counted).
    let superseded: std::collections::HashSet<&str> = records
        .iter()
        .filter_map(|r| r.supersedes.as_ref().map(|s| s.id.as_str()))
        .collect();
    Ok(ListPage {
        f: refusal,
        chrome: Chrome::new(ctx, "proactive").flash(msg),
        rows: records
            .iter()
            .filter(|r| {
                !superseded.contains(r.id.as_str())
                    && !r.supersedes.as_ref().is_some_and(|s| s.void)
            })
            .map(|r| row(&r.id, &r.data))
            .collect(),
        can_record: user.can_record(),
        today: view::today().to_string(),
        error,
    })
}

async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<MsgQuery>,
) -> Result<ListPage, PageError> {
    build(&st, &ctx, None, Refusal::default(), q.msg.as_deref()).await
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct RecordForm {
    csrf: String,
    /// `document`, `decisions`, `fees`.
    record: String,
    id: String,
    doc_kind: String,
    title: String,
    number: String,
    issued_on: String,
    area: String,
    from: String,
    to: String,
    count: String,
    amount: String,
}

fn data(f: &RecordForm) -> Result<ProactiveData, FieldError> {
    Ok(match f.record.as_str() {
        "document" => ProactiveData::Document(DocumentRecord {
            kind: forms::pick::<DocumentKind>(&f.doc_kind).map_err(at("doc_kind"))?,
            title: f.title.trim().to_string(),
            number: Some(f.number.trim().to_string()).filter(|n| !n.is_empty()),
            issued_on: forms::date("制发日期", &f.issued_on).map_err(at("issued_on"))?,
            repealed_on: None,
        }),
        "decisions" => ProactiveData::Decisions(DecisionCount {
            area: forms::pick::<DecisionArea>(&f.area).map_err(at("area"))?,
            from: forms::date("起始日期", &f.from).map_err(at("from"))?,
            to: forms::date("截止日期", &f.to).map_err(at("to"))?,
            count: f
                .count
                .trim()
                .parse()
                .map_err(|_| at("count")(format!("“数量”应为非负整数：{}", f.count)))?,
        }),
        "fees" => ProactiveData::Fees(FeeIncome {
            from: forms::date("起始日期", &f.from).map_err(at("from"))?,
            to: forms::date("截止日期", &f.to).map_err(at("to"))?,
            amount_yuan: f
                .amount
                .trim()
                .parse::<Decimal>()
                .map_err(|_| at("amount")(format!("“金额”应为数字（元）：{}", f.amount)))?,
        }),
        _ => return Err(at("record")("请选择记录类型".into())),
    })
}

/// The field of a record form a refusal of the service is about.
fn record_field(code: &str) -> &'static str {
    match code {
        "future_date" | "bad_period" => "to",
        "repealed_before_issued" => "repealed_on",
        "negative_amount" => "amount",
        "empty_field" => "title",
        _ => "",
    }
}

/// Re-renders the page with the refused form as entered, the message beside its field.
async fn refused<T: Serialize>(
    st: &AppState,
    ctx: &Ctx,
    form: &str,
    entered: &T,
    error: FieldError,
) -> Result<Response, PageError> {
    let refusal = Refusal::new(form, entered, &error);
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        build(st, ctx, Some(error.message), refusal, None).await?,
    )
        .into_response())
}

async fn add(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<RecordForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&f.csrf)?;
    let actor = ctx.recorder()?.actor(Via::Web);
    let d = match data(&f) {
        Ok(d) => d,
        Err(e) => return refused(&st, &ctx, &f.record, &f, e).await,
    };
    match st.service().set_proactive(&actor, Some(&f.id), d).await {
        Ok(_) => Ok(Redirect::to("/proactive?msg=proactive").into_response()),
        Err(e) if e.kind() != ErrorKind::Internal => {
            let error = FieldError {
                field: record_field(e.code()),
                message: e.to_string(),
            };
            refused(&st, &ctx, &f.record, &f, error).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct RepealForm {
    csrf: String,
    id: String,
    repealed_on: String,
}

async fn repeal(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<RepealForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&f.csrf)?;
    let actor = ctx.recorder()?.actor(Via::Web);
    let records = st.service().proactive_records().await?;
    let Some(rec) = records.into_iter().find(|r| r.id == f.id) else {
        return Err(PageError::NotFound(format!("找不到记录“{}”", f.id)));
    };
    let key = format!("repeal-{}", rec.id);
    let ProactiveData::Document(mut doc) = rec.data else {
        let e = at("")("只有规章和规范性文件可以登记废止".into());
        return refused(&st, &ctx, &key, &f, e).await;
    };
    doc.repealed_on = match forms::date("废止日期", &f.repealed_on) {
        Ok(d) => Some(d),
        Err(m) => return refused(&st, &ctx, &key, &f, at("repealed_on")(m)).await,
    };
    match st
        .service()
        .set_proactive(&actor, Some(&rec.id), ProactiveData::Document(doc))
        .await
    {
        Ok(_) => Ok(Redirect::to("/proactive?msg=proactive").into_response()),
        Err(e) if e.kind() != ErrorKind::Internal => {
            let error = FieldError {
                field: match e.code() {
                    "empty_field" => "",
                    _ => "repealed_on",
                },
                message: e.to_string(),
            };
            refused(&st, &ctx, &key, &f, error).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct VoidForm {
    csrf: String,
    id: String,
    reason: String,
}

/// 作废 a record entered by mistake (counted twice, wrong period …): a superseding void
/// record with the reason; the year-end no longer counts it. A wrong figure is corrected by
/// voiding it and entering the right one.
async fn void(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<VoidForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&f.csrf)?;
    let actor = ctx.recorder()?.actor(Via::Web);
    let key = format!("void-{}", f.id);
    if f.reason.trim().is_empty() {
        let e = at("reason")("请说明作废的理由".into());
        return refused(&st, &ctx, &key, &f, e).await;
    }
    match st
        .service()
        .void_proactive(&actor, &f.id, f.reason.trim())
        .await
    {
        Ok(_) => Ok(Redirect::to("/proactive?msg=voided").into_response()),
        Err(e) if e.kind() == ErrorKind::NotFound => Err(e.into()),
        Err(e) if e.kind() != ErrorKind::Internal => {
            let error = FieldError {
                field: "reason",
                message: e.to_string(),
            };
            refused(&st, &ctx, &key, &f, error).await
        }
        Err(e) => Err(e.into()),
    }
}
