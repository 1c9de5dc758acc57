//! The JSON API under `/api/v1`, described by the OpenAPI document served at
//! `/api/v1/openapi.json` (utoipa; no Swagger UI is bundled).
//!
//! Authentication: `POST /api/v1/session` with a name and password returns a token for the
//! `Authorization: Bearer` header; a browser that is logged in may call the API with its
//! session cookie, and must then send the page's CSRF token in `X-CSRF-Token` on every
//! change. Writes go through the use cases of `gongkai_service` (the same as the pages
//! and the command line: defaults, ordering, the official year-end report) and then
//! `gongkai_store` (role checks, the ledger's validation, audit log, one transaction).
//! Errors are `{"error": {"code", "message"}}` with stable codes and Chinese messages;
//! the HTTP status follows the error's kind.
//!
//! Request and response bodies are the ledger's serde types (`gongkai_ledger::Application`,
//! `EventKind`, …); the document describes their envelopes and gives examples.

use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::{Json, Router};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_check::Finding;
use gongkai_ledger::Vocabulary;
use gongkai_ledger::text::{Lang, event_detail, event_label, event_summary, mask_id_number};
use gongkai_ledger::{
    AppealCase, Application, ApplicationId, ApplicationState, Event, ProactiveData,
    ProactiveRecord, YearEnd,
};
use gongkai_service::records::AppealDraft;
use gongkai_service::records::Names;
use gongkai_service::{Actor, EventDraft, ListFilter, ListStatus, Listed, Via};
use gongkai_store::{
    AuditEntry, AuditQuery, NewApplication, Review, ReviewAction, ReviewSubject, SessionToken,
};
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

mod check;
mod corrections;
mod exports;
mod session;
mod supervise;

use crate::error::{ApiError, ErrorBody};

mod narrative;
mod portal;
mod register;
mod register_review;
use crate::pages::ledger::deadline_view;
use crate::security::{CSRF_HEADER, SESSION_COOKIE};
use crate::view;
use crate::{AppState, AuthUser, Ctx};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "gongkai 依申请公开台账 API",
        description = "政府信息公开申请台账、复议诉讼、主动公开记录、年度报告与审核的 JSON 接口。错误统一为 {\"error\": {\"code\", \"message\"}}，code 为稳定的英文代码，message 为中文说明。",
        version = "1"
    ),
    modifiers(&SecurityAddon),
    tags(
        (name = "session", description = "登录与会话"),
        (name = "applications", description = "依申请公开：申请与办理事项"),
        (name = "appeals", description = "行政复议、行政诉讼"),
        (name = "proactive", description = "主动公开记录"),
        (name = "reports", description = "年度报告"),
        (name = "reviews", description = "三级审核"),
        (name = "register_review", description = "主动公开登记事项的三审、保密审查与错敏排查"),
        (name = "audit", description = "审计日志"),
        (name = "check", description = "检查已发布的年度报告"),
        (name = "supervision", description = "监督：下级机关的汇总与年度报告"),
        (name = "portal", description = "政府信息公开专栏：全文检索（公开，无需登录）")
    )
)]
struct ApiDoc;

struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION_COOKIE,
                "浏览器登录后的会话 Cookie；修改数据时须同时提供 X-CSRF-Token 头",
            ))),
        );
    }
}

/// The API's routes and its OpenAPI document.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(session::login, session::logout))
        .routes(routes!(session::me))
        .routes(routes!(session::switch_agency))
        .routes(routes!(list_applications, create_application))
        .routes(routes!(get_application))
        .routes(routes!(append_event))
        .routes(routes!(corrections::correct_application))
        .routes(routes!(corrections::correct_proactive))
        .routes(routes!(corrections::void_proactive))
        .routes(routes!(corrections::correct_appeal))
        .routes(routes!(corrections::void_appeal))
        .routes(routes!(list_appeals, create_appeal))
        .routes(routes!(update_appeal))
        .routes(routes!(list_proactive))
        .routes(routes!(set_proactive))
        .routes(routes!(year_report))
        .routes(routes!(exports::export_applications))
        .routes(routes!(exports::column_sets))
        .routes(routes!(exports::statistics))
        .routes(routes!(exports::catalogue))
        .routes(routes!(narrative::get_narrative, narrative::put_narrative))
        .routes(routes!(narrative::put_section))
        .routes(routes!(list_reviews))
        .routes(routes!(get_review, review_step))
        .routes(routes!(audit))
        .routes(routes!(
            register_review::get_item_review,
            register_review::item_review_step
        ))
        .routes(routes!(register_review::item_review_queue))
        .routes(routes!(register_review::item_review_batch))
        .routes(routes!(check::check_report))
        .routes(routes!(supervise::supervise))
        .routes(routes!(register::list_items, register::create_item))
        .routes(routes!(register::due_items))
        .routes(routes!(register::get_item))
        .routes(routes!(register::publish_item))
        .routes(routes!(portal::search))
        .split_for_parts();
    // The router is nested under `/api/v1` by the application; the document names the
    // full paths.
    doc.paths.paths = std::mem::take(&mut doc.paths.paths)
        .into_iter()
        .map(|(path, item)| (format!("{API_PREFIX}{path}"), item))
        .collect();
    (router, doc)
}

/// Where the application mounts [`router`].
pub const API_PREFIX: &str = "/api/v1";

pub fn router() -> Router<AppState> {
    let (router, doc) = api();
    let json = std::sync::Arc::new(doc.to_pretty_json().unwrap_or_else(|_| "{}".into()));
    router
        .route(
            "/openapi.json",
            axum::routing::get(move || {
                let json = json.clone();
                async move {
                    (
                        [(
                            axum::http::header::CONTENT_TYPE,
                            "application/json; charset=utf-8",
                        )],
                        json.as_ref().clone(),
                    )
                }
            }),
        )
        .fallback(|| async { ApiError::not_found("没有这个接口") })
}

/// The API of the public process (`gongkai serve --public`, [`crate::public_app`]): only
/// `GET /portal/search`, every caller rate-limited (a session or token of the workbench
/// counts for nothing there); any other path under `/api/v1` answers 404 in JSON.
pub fn public_router() -> Router<AppState> {
    Router::new()
        .route("/portal/search", axum::routing::get(portal::public_search))
        .fallback(|| async { ApiError::not_found("没有这个接口") })
}

/// The OpenAPI document as JSON text.
pub fn openapi_json() -> String {
    api().1.to_pretty_json().unwrap_or_default()
}

/// A JSON body whose rejection is an [`ApiError`].
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(r) => Err(ApiError::new(
                if r.status() == StatusCode::UNSUPPORTED_MEDIA_TYPE {
                    StatusCode::UNSUPPORTED_MEDIA_TYPE
                } else {
                    StatusCode::BAD_REQUEST
                },
                "bad_json",
                format!("请求体不是有效的 JSON 或字段不符：{}", r.body_text()),
            )),
        }
    }
}

/// Query parameters whose rejection is an [`ApiError`] in the API's JSON shape, in Chinese
/// (axum's own rejection is English plain text).
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(ApiQuery(v)),
            Err(r) => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_query",
                format!("查询参数无效：{}", r.body_text()),
            )),
        }
    }
}

/// The authenticated caller. Refuses with 401 without a valid session; refuses a change
/// made with the session cookie but without the CSRF header.
pub struct ApiUser(pub AuthUser);

impl<S: Send + Sync> FromRequestParts<S> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let ctx = parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(ApiError::unauthenticated)?;
        let user = ctx.user.clone().ok_or_else(ApiError::unauthenticated)?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe && !ctx.via_bearer {
            let token = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !ctx.csrf_ok(token) {
                return Err(ApiError::csrf());
            }
        }
        Ok(ApiUser(user))
    }
}

impl ApiUser {
    /// The service's actor for this user.
    fn actor(&self) -> Actor {
        self.0.actor(Via::Api)
    }
}

// ---- applications ------------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationSummary {
    pub id: String,
    pub applicant: String,
    /// 表格三的列：natural_person、commercial …
    pub applicant_kind: String,
    pub description: String,
    /// `processing`, `awaiting_correction`, `closed` …
    pub stage: String,
    pub stage_label: String,
    pub received_on: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
    pub overdue: bool,
    /// 5 个工作日内到期.
    pub due_soon: bool,
    /// `剩 3 个工作日` …
    pub remaining: String,
    /// 证件号码（部分隐藏，如 410702********1234）.
    pub id_number: Option<String>,
    /// 办结日期（送达答复、撤回等）.
    pub closed_on: Option<NaiveDate>,
}

/// 办理事项的一行文字（与命令行 `ledger show`、申请页面相同的措辞）.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntry {
    pub seq: u32,
    pub date: NaiveDate,
    /// 事项类型（中文）.
    pub label: String,
    /// 事项内容（中文）.
    pub detail: String,
    /// 类型与内容（英文）.
    pub text_en: String,
    /// 登记人的姓名（无姓名时为用户名）.
    pub recorded_by: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExplainStep {
    /// 引起这一步的办理事项序号.
    pub seq: Option<u32>,
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationOut {
    /// gongkai_ledger::Application：申请人、所需信息、办理事项（events）.
    #[schema(value_type = Object)]
    pub application: Application,
    /// gongkai_ledger::ApplicationState：由办理事项推导的状态（含答复期限 clock）.
    #[schema(value_type = Object)]
    pub state: ApplicationState,
    pub deadline: Option<NaiveDate>,
    pub overdue: bool,
    pub due_soon: bool,
    /// 答复期限的计算过程，每一步注明依据的办理事项.
    pub deadline_explanation: Vec<ExplainStep>,
    /// 办理事项的文字说明（按日期排列）.
    pub timeline: Vec<TimelineEntry>,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// 为 true 时包括已办结的申请（同 status=all）.
    #[serde(default)]
    pub all: bool,
    /// open（在办，默认）| closed（已办结，按办结日期由近及远）| all（全部）.
    #[serde(default)]
    pub status: Option<String>,
    /// 查找：申请人、编号或所需信息中的字词（多个字词以空格分隔，须都出现）.
    #[serde(default)]
    pub q: Option<String>,
    /// 收到申请的年份.
    #[serde(default)]
    pub year: Option<i32>,
    /// 为 true 时只列已逾期的在办申请.
    #[serde(default)]
    pub overdue: bool,
    /// 跳过的条数.
    #[serde(default)]
    pub offset: Option<usize>,
    /// 最多返回的条数（默认全部）；总数见响应头 X-Total-Count.
    #[serde(default)]
    pub limit: Option<usize>,
}

impl ListParams {
    fn filter(&self) -> Result<ListFilter, ApiError> {
        let status = match self.status.as_deref().map(str::trim) {
            None | Some("") if self.all => ListStatus::All,
            None | Some("") => ListStatus::Open,
            Some(s) => s.parse::<ListStatus>()?,
        };
        Ok(ListFilter {
            status,
            search: self.q.clone().filter(|q| !q.trim().is_empty()),
            year: self.year,
            overdue: self.overdue,
            due_within: None,
            offset: self.offset.unwrap_or(0),
            limit: self.limit,
        })
    }
}

/// The application as a user may see it: the identity number masked for those who do not
/// handle cases.
fn visible(mut application: Application, user: &AuthUser) -> Application {
    if !user.can_see_identity()
        && let Some(i) = &mut application.applicant.identity
    {
        i.number = mask_id_number(&i.number);
    }
    application
}

/// The response for an application and its state (from the service).
fn out(
    st: &AppState,
    application: Application,
    state: ApplicationState,
    names: &Names,
) -> ApplicationOut {
    let dv = deadline_view(&state, view::today(), st.store().calendar());
    let mut timeline: Vec<TimelineEntry> = application
        .events
        .iter()
        .map(|e| TimelineEntry {
            seq: e.seq,
            date: e.date,
            label: event_label(e.kind.event_type(), Lang::Zh).to_string(),
            detail: event_detail(&e.kind, Lang::Zh),
            text_en: event_summary(&e.kind, Lang::En),
            recorded_by: e.recorded_by.as_deref().map(|n| names.of(n).to_string()),
        })
        .collect();
    timeline.sort_by_key(|t| (t.date, t.seq));
    ApplicationOut {
        timeline,
        deadline: state.deadline(),
        overdue: state.is_overdue(),
        due_soon: dv.mark == "due-soon",
        deadline_explanation: state
            .clock
            .as_ref()
            .map(|c| {
                c.steps()
                    .into_iter()
                    .map(|s| ExplainStep {
                        seq: s.seq,
                        text: s.text,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        application,
        state,
    }
}

fn snake<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// 申请列表（默认只列在办申请，按答复期限排序）
#[utoipa::path(get, path = "/applications", tag = "applications",
    params(ListParams),
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, body = [ApplicationSummary]), (status = 401, body = ErrorBody)))]
async fn list_applications(
    State(st): State<AppState>,
    _user: ApiUser,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<([(&'static str, String); 1], Json<Vec<ApplicationSummary>>), ApiError> {
    let listing = st.service().list(&p.filter()?).await?;
    let today = view::today();
    let store = st.store();
    let cal = store.calendar();
    let total = listing.total;
    let out = listing
        .rows
        .into_iter()
        .map(
            |Listed {
                 application: a,
                 state: s,
             }| {
                let dv = deadline_view(&s, today, cal);
                ApplicationSummary {
                    id: a.id.0.clone(),
                    applicant: a.applicant.name.clone(),
                    applicant_kind: a.applicant.kind.name().to_string(),
                    description: a.request.description.clone(),
                    stage: snake(&s.stage),
                    stage_label: s.stage.label_zh().to_string(),
                    received_on: s.received_on,
                    deadline: s.deadline(),
                    overdue: s.is_overdue(),
                    due_soon: dv.mark == "due-soon",
                    remaining: dv.remaining,
                    id_number: a
                        .applicant
                        .identity
                        .as_ref()
                        .map(|i| mask_id_number(&i.number)),
                    closed_on: s.closed_on,
                }
            },
        )
        .collect();
    Ok(([("x-total-count", total.to_string())], Json(out)))
}

/// 登记申请（可同时登记收到）
#[utoipa::path(post, path = "/applications", tag = "applications",
    request_body(content = Object, description = "gongkai_store::NewApplication", example = json!({
        "applicant": {"kind": "natural_person", "name": "张三", "identity": null, "contact": {"phone": "13800000000"}},
        "request": {"description": "2024年某项目环评批复", "form": "electronic", "delivery": "email"},
        "received": {"date": "2025-03-03", "type": "received", "channel": {"kind": "in_person", "oral": false}}
    })),
    security(("bearer" = []), ("session_cookie" = [])),
    responses(
        (status = 201, body = ApplicationOut),
        (status = 403, description = "角色无权登记", body = ErrorBody),
        (status = 409, description = "编号已存在", body = ErrorBody),
        (status = 422, description = "台账拒绝（如日期晚于今天）", body = ErrorBody)
    ))]
async fn create_application(
    State(st): State<AppState>,
    user: ApiUser,
    ApiJson(new): ApiJson<NewApplication>,
) -> Result<(StatusCode, Json<ApplicationOut>), ApiError> {
    let r = st.service().register(&user.actor(), new).await?;
    let names = st.service().display_names().await?;
    let application = visible(r.application, &user.0);
    Ok((
        StatusCode::CREATED,
        Json(out(&st, application, r.state, &names)),
    ))
}

/// 一件申请：办理事项、状态和答复期限的计算过程
#[utoipa::path(get, path = "/applications/{id}", tag = "applications",
    params(("id" = String, Path, description = "申请编号")),
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, body = ApplicationOut), (status = 404, body = ErrorBody)))]
async fn get_application(
    State(st): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ApplicationOut>, ApiError> {
    let d = st.service().application(&ApplicationId(id), None).await?;
    let names = st.service().display_names().await?;
    let application = visible(d.application, &user.0);
    Ok(Json(out(&st, application, d.state, &names)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventOut {
    /// gongkai_ledger::Event.
    #[schema(value_type = Object)]
    pub event: Event,
    pub application: ApplicationOut,
}

/// 登记办理事项（追加，不可修改）
#[utoipa::path(post, path = "/applications/{id}/events", tag = "applications",
    params(("id" = String, Path, description = "申请编号")),
    request_body(content = Object, description = "gongkai_store::EventInput：date、type 及该类事项的字段、note", example = json!({
        "date": "2025-03-10", "type": "extended", "days": 20, "approved_by": "李主任", "applicant_notified_on": "2025-03-10"
    })),
    security(("bearer" = []), ("session_cookie" = [])),
    responses(
        (status = 201, body = EventOut),
        (status = 404, body = ErrorBody),
        (status = 422, description = "台账拒绝（如第二次延期、答复早于收到）", body = ErrorBody)
    ))]
async fn append_event(
    State(st): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<(StatusCode, Json<EventOut>), ApiError> {
    let draft = EventDraft::from_json(body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_json",
            format!("办理事项字段不符：{e}"),
        )
    })?;
    let r = st
        .service()
        .append_event(&user.actor(), &ApplicationId(id), draft)
        .await?;
    let names = st.service().display_names().await?;
    let application = visible(r.application, &user.0);
    Ok((
        StatusCode::CREATED,
        Json(EventOut {
            event: r.event,
            application: out(&st, application, r.state, &names),
        }),
    ))
}

// ---- appeals ---------------------------------------------------------------------------------

/// 复议诉讼案件
#[utoipa::path(get, path = "/appeals", tag = "appeals",
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, description = "gongkai_ledger::AppealCase 的列表", body = [Object])))]
async fn list_appeals(
    State(st): State<AppState>,
    _user: ApiUser,
) -> Result<Json<Vec<AppealCase>>, ApiError> {
    Ok(Json(st.service().appeals().await?))
}

/// 登记复议诉讼案件
#[utoipa::path(post, path = "/appeals", tag = "appeals",
    request_body(content = Object, description = "gongkai_ledger::AppealCase（不含 recorded_at、recorded_by）", example = json!({
        "id": "复-2025-01", "kind": "reconsideration", "filed_on": "2025-04-01", "application": "2025-0001", "body": "某市人民政府"
    })),
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 201, body = Object), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_appeal(
    State(st): State<AppState>,
    user: ApiUser,
    ApiJson(draft): ApiJson<AppealDraft>,
) -> Result<(StatusCode, Json<AppealCase>), ApiError> {
    let case = st.service().add_appeal(&user.actor(), draft).await?;
    Ok((StatusCode::CREATED, Json(case)))
}

/// 更新复议诉讼案件（如登记审结结果）
#[utoipa::path(put, path = "/appeals/{id}", tag = "appeals",
    params(("id" = String, Path, description = "案件编号")),
    request_body(content = Object, example = json!({
        "kind": "reconsideration", "filed_on": "2025-04-01", "conclusion": {"result": "upheld", "decided_on": "2025-06-01"}
    })),
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_appeal(
    State(st): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(draft): ApiJson<AppealDraft>,
) -> Result<Json<AppealCase>, ApiError> {
    Ok(Json(
        st.service()
            .update_appeal(&user.actor(), &id, draft)
            .await?,
    ))
}

// ---- proactive -------------------------------------------------------------------------------

/// 主动公开记录
#[utoipa::path(get, path = "/proactive", tag = "proactive",
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, description = "gongkai_ledger::ProactiveRecord 的列表", body = [Object])))]
async fn list_proactive(
    State(st): State<AppState>,
    _user: ApiUser,
) -> Result<Json<Vec<ProactiveRecord>>, ApiError> {
    Ok(Json(st.service().proactive_records().await?))
}

/// 新增或替换一条主动公开记录
#[utoipa::path(put, path = "/proactive/{id}", tag = "proactive",
    params(("id" = String, Path, description = "记录编号")),
    request_body(content = Object, description = "gongkai_ledger::ProactiveData", example = json!({
        "type": "document", "kind": "normative_document", "title": "某某管理办法", "number": "某府规〔2025〕1号", "issued_on": "2025-02-01"
    })),
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, description = "已替换", body = Object), (status = 201, description = "已新增", body = Object), (status = 422, body = ErrorBody)))]
async fn set_proactive(
    State(st): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(data): ApiJson<ProactiveData>,
) -> Result<(StatusCode, Json<ProactiveRecord>), ApiError> {
    let (rec, new) = st
        .service()
        .set_proactive(&user.actor(), Some(&id), data)
        .await?;
    Ok((
        if new {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
        Json(rec),
    ))
}

// ---- year-end report -------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct YearReportOut {
    pub year: i32,
    /// 审核状态：not_submitted、awaiting_review、awaiting_approval、approved、sent_back.
    pub review_status: String,
    /// 提交审核时冻结数据的时刻（未提交时为空，数据按今日实时计算）.
    pub frozen_at: Option<DateTime<Utc>>,
    /// gongkai_ledger::YearEnd：report（与 gongkai read 相同的 JSON）、figures、结转名单、warnings.
    #[schema(value_type = Object)]
    pub year_end: YearEnd,
    /// gongkai_check::Finding 的列表：每条问题注明涉及的单元格.
    #[schema(value_type = [Object])]
    pub findings: Vec<Finding>,
}

/// 年度报告（由台账计算，并经检查）
#[utoipa::path(get, path = "/reports/{year}", tag = "reports",
    params(("year" = i32, Path, description = "报告年度")),
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, body = YearReportOut), (status = 400, body = ErrorBody)))]
async fn year_report(
    State(st): State<AppState>,
    _user: ApiUser,
    Path(year): Path<i32>,
) -> Result<Json<YearReportOut>, ApiError> {
    let o = st.service().official_year_end(year, None).await?;
    let findings = gongkai_check::check(&o.year_end.report);
    Ok(Json(YearReportOut {
        year: o.year,
        review_status: snake(&o.review.status),
        frozen_at: o.frozen_at,
        year_end: o.year_end,
        findings,
    }))
}

// ---- reviews ---------------------------------------------------------------------------------

fn subject(kind: &str, id: &str) -> Result<ReviewSubject, ApiError> {
    ReviewSubject::from_parts(kind, id).ok_or_else(|| {
        ApiError::bad_request(format!(
            "审核对象应为 reply/申请编号、annual_report/年度 或 item/登记事项编号，而不是 {kind}/{id}"
        ))
    })
}

/// 所有已开始的审核
#[utoipa::path(get, path = "/reviews", tag = "reviews",
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, description = "gongkai_store::Review 的列表", body = [Object])))]
async fn list_reviews(
    State(st): State<AppState>,
    _user: ApiUser,
) -> Result<Json<Vec<Review>>, ApiError> {
    Ok(Json(st.service().reviews().await?))
}

/// 一项审核及其步骤
#[utoipa::path(get, path = "/reviews/{kind}/{id}", tag = "reviews",
    params(("kind" = String, Path, description = "reply 或 annual_report"), ("id" = String, Path, description = "申请编号或年度")),
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, body = Object), (status = 400, body = ErrorBody)))]
async fn get_review(
    State(st): State<AppState>,
    _user: ApiUser,
    Path((kind, id)): Path<(String, String)>,
) -> Result<Json<Review>, ApiError> {
    Ok(Json(st.service().review(&subject(&kind, &id)?).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewRequest {
    /// `submit`（信息员、办公室主任提交）、`review`（办公室主任审核通过）、`approve`（分管领导批准）、`send_back`（退回，须说明理由）、`reopen`（撤销已批准年度报告的批准、重新打开：分管领导或设置允许的办公室主任，须说明理由）.
    /// 答复的审核绑定提交时的内容摘要：内容改变后状态为 needs_re_review（需重新审核）.
    pub action: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// 审核的一步：提交、审核通过、批准、退回或撤销批准（重新打开年度报告）
#[utoipa::path(post, path = "/reviews/{kind}/{id}", tag = "reviews",
    params(("kind" = String, Path, description = "reply 或 annual_report"), ("id" = String, Path, description = "申请编号或年度")),
    request_body = ReviewRequest,
    security(("bearer" = []), ("session_cookie" = [])),
    responses(
        (status = 201, body = Object),
        (status = 403, description = "角色不符", body = ErrorBody),
        (status = 409, description = "不是该角色的审核环节", body = ErrorBody),
        (status = 422, description = "如退回未说明理由", body = ErrorBody)
    ))]
async fn review_step(
    State(st): State<AppState>,
    user: ApiUser,
    Path((kind, id)): Path<(String, String)>,
    ApiJson(req): ApiJson<ReviewRequest>,
) -> Result<(StatusCode, Json<Review>), ApiError> {
    let subject = subject(&kind, &id)?;
    let action = ReviewAction::from_str_opt(req.action.trim()).ok_or_else(|| {
        ApiError::bad_request("action 应为 submit、review、approve、send_back 或 reopen")
    })?;
    let review = st
        .service()
        .review_step(&user.actor(), &subject, action, req.note)
        .await?;
    Ok((StatusCode::CREATED, Json(review)))
}

// ---- audit -----------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// application、user、review …
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    /// 最多返回条数（默认 100）.
    pub limit: Option<u32>,
}

/// 审计日志（最新在前；办公室主任、管理员可查看）
#[utoipa::path(get, path = "/audit", tag = "audit",
    params(AuditParams),
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, description = "gongkai_store::AuditEntry 的列表", body = [Object]), (status = 403, body = ErrorBody)))]
async fn audit(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<AuditParams>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let q = AuditQuery {
        subject_kind: p.subject_kind,
        subject_id: p.subject_id,
        limit: p.limit,
        ..AuditQuery::default()
    };
    Ok(Json(
        st.service()
            .audit_entries(&user.actor(Via::Api), &q)
            .await?,
    ))
}
