//! Errors as responses: [`PageError`] as an HTML page, [`ApiError`] as JSON
//! (`{"error": {"code": "future_date", "message": "日期 … 晚于今天 …"}}`).
//!
//! Both map the service's errors the same way: the status from the typed
//! [`ErrorKind`] ([`status`]: 404 for unknown records, 403 for a role that may not act, 409
//! for a conflict or a review step out of turn, 422 for input refused), never from a string
//! code; the stable code and the Chinese message go in the body. Storage failures are 500
//! with a generic message (the detail goes to the server's log through `tracing`, never to
//! the client).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_ledger::LedgerError;
use gongkai_service::{ErrorKind, ServiceError};
use gongkai_store::StoreError;
use serde::Serialize;

use crate::uploads::UploadError;
use crate::view::Chrome;

/// The HTTP status of an error kind: the one mapping, for pages and the API.
pub fn status(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// The status for a store error.
pub fn store_status(e: &StoreError) -> StatusCode {
    status(e.kind())
}

/// Marks a response that refused a request in the handler itself (a CSRF check, a role
/// check before the service): [`audit_refusals`] writes its `refused` audit row. Refusals
/// of the service are audited by the service.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub code: &'static str,
    pub message: String,
}

/// The middleware that audits the refusals marked with [`Refusal`]: who (the user, or
/// 访客), through which channel, from which address, what (`POST /path`) and why.
pub async fn audit_refusals(
    axum::extract::State(st): axum::extract::State<crate::AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let ctx = req.extensions().get::<crate::Ctx>().cloned();
    let action = format!("{} {}", req.method(), req.uri().path());
    let path = req.uri().path().to_string();
    let resp = next.run(req).await;
    if let Some(r) = resp.extensions().get::<Refusal>() {
        let via = if path.starts_with("/api/") {
            gongkai_service::Via::Api
        } else {
            gongkai_service::Via::Web
        };
        let (who, client) = match &ctx {
            Some(c) => (
                c.user.as_ref().map_or("访客", |u| u.name.as_str()),
                c.client.as_str(),
            ),
            None => ("访客", "-"),
        };
        let stamp = gongkai_store::Stamp::now(who)
            .via(via.name())
            .client(client);
        if let Err(e) = st
            .service()
            .record_refusal(&stamp, &action, &path, r.code, &r.message)
            .await
        {
            tracing::warn!(error = %e, "the refusal could not be audited");
        }
    }
    resp
}

/// Unknown routes: a Chinese 404 page, or the API's JSON error under `/api/`.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::not_found("没有这个接口").into_response()
    } else {
        PageError::NotFound("您访问的页面不存在，可能是地址有误或页面已被移除。".into())
            .into_response()
    }
}

/// The layer that turns a handler's panic into [`panic_response`] (tower-http's).
pub type PanicLayer<T> = tower_http::catch_panic::CatchPanicLayer<T>;

/// Marks the answer to a handler that panicked (see [`panic_response`]).
#[derive(Debug, Clone, Copy)]
pub struct Panicked;

/// The answer to a handler that panicked: the Chinese 500 page (the API's JSON error
/// under `/api/`, by [`json_for_api`]); the panic's message goes to the log only.
pub fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("?");
    tracing::error!(panic = what, "a handler panicked");
    let mut resp = PageError::Internal(format!("panic: {what}")).into_response();
    resp.extensions_mut().insert(Panicked);
    resp
}

/// Under `/api/`, a 500 page becomes the API's JSON error.
pub async fn json_for_api(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let resp = next.run(req).await;
    if is_api && resp.extensions().get::<Panicked>().is_some() {
        return ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "服务器内部错误，请稍后重试",
        )
        .into_response();
    }
    resp
}

/// An error shown as a page.
#[derive(Debug)]
pub enum PageError {
    /// 404 with what was not found.
    NotFound(String),
    /// 403: the form's CSRF token is missing or wrong.
    Csrf,
    /// Not logged in: redirect to the login page, which returns to the page (a safe local
    /// path) after the login.
    Login(Option<String>),
    /// 403 with the reason.
    Forbidden(String),
    /// 400 with the reason.
    BadRequest(String),
    /// A refusal with its own status (413 too large, 429 quota, 503 busy) and the reason.
    Refused(StatusCode, String),
    /// What the service refused, or a failure of the storage.
    Service(ServiceError),
    /// 500.
    Internal(String),
}

impl From<ServiceError> for PageError {
    fn from(e: ServiceError) -> Self {
        PageError::Service(e)
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        PageError::Service(e.into())
    }
}

impl From<LedgerError> for PageError {
    fn from(e: LedgerError) -> Self {
        PageError::Service(e.into())
    }
}

impl From<UploadError> for PageError {
    fn from(e: UploadError) -> Self {
        match e {
            UploadError::NotFound => PageError::NotFound(e.to_string()),
            UploadError::Storage(_) => PageError::Internal(e.to_string()),
            _ => PageError::BadRequest(e.to_string()),
        }
    }
}

#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    title: String,
    message: String,
    back: &'static str,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let refusal = match &self {
            PageError::Csrf => Some(Refusal {
                code: "csrf",
                message: "CSRF 校验未通过".into(),
            }),
            PageError::Forbidden(m) => Some(Refusal {
                code: "forbidden",
                message: m.clone(),
            }),
            _ => None,
        };
        let (status, title, message) = match self {
            PageError::Login(next) => {
                let to = match next.as_deref().and_then(crate::security::safe_next) {
                    Some(n) => format!("/login?next={}", crate::check::percent_encode(n)),
                    None => "/login".to_string(),
                };
                return Redirect::to(&to).into_response();
            }
            PageError::NotFound(m) => (StatusCode::NOT_FOUND, "找不到页面", m),
            PageError::Csrf => (
                StatusCode::FORBIDDEN,
                "表单已失效",
                "表单已过期或来源不明（CSRF 校验未通过）。请返回上一页，刷新后重新提交。"
                    .to_string(),
            ),
            PageError::Forbidden(m) => (StatusCode::FORBIDDEN, "无权操作", m),
            PageError::BadRequest(m) => (StatusCode::BAD_REQUEST, "无法处理", m),
            PageError::Refused(status, m) => (status, "无法处理", m),
            PageError::Service(e) => (status(e.kind()), "无法完成操作", e.public_message()),
            PageError::Internal(m) => {
                tracing::error!(error = %m, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "服务器内部错误",
                    "服务器内部错误，请稍后重试".to_string(),
                )
            }
        };
        let page = ErrorPage {
            chrome: Chrome::bare(),
            title: title.to_string(),
            message,
            back: "/",
        };
        let mut resp = (status, page).into_response();
        if let Some(r) = refusal {
            resp.extensions_mut().insert(r);
        }
        resp
    }
}

/// The JSON body of an API error.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// A stable code and a Chinese message.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// e.g. `future_date`, `forbidden`, `unauthenticated`.
    pub code: String,
    /// 中文说明.
    pub message: String,
}

/// An error of the JSON API.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    /// Refused by the handler (role, CSRF): audited by [`audit_refusals`].
    refusal: bool,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.to_string(),
            message: message.into(),
            refusal: false,
        }
    }

    pub fn unauthenticated() -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "请先登录（会话 Cookie 或 Authorization: Bearer 令牌）",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError {
            refusal: true,
            ..ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
        }
    }

    pub fn csrf() -> Self {
        ApiError {
            refusal: true,
            ..ApiError::new(
                StatusCode::FORBIDDEN,
                "csrf",
                "使用会话 Cookie 调用接口时须在 X-CSRF-Token 头中提供页面的 CSRF 令牌",
            )
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        ApiError::new(status(e.kind()), e.code(), e.public_message())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::from(ServiceError::from(e))
    }
}

impl From<LedgerError> for ApiError {
    fn from(e: LedgerError) -> Self {
        ApiError::from(ServiceError::from(e))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let refusal = self.refusal.then(|| Refusal {
            code: if self.code == "csrf" {
                "csrf"
            } else {
                "forbidden"
            },
            message: self.message.clone(),
        });
        let mut resp = (
            self.status,
            Json(ErrorBody {
                error: ErrorDetail {
                    code: self.code,
                    message: self.message,
                },
            }),
        )
            .into_response();
        if let Some(r) = refusal {
            resp.extensions_mut().insert(r);
        }
        resp
    }
}
