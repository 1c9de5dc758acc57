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
        (status, page).into_response()
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
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.to_string(),
            message: message.into(),
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
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn csrf() -> Self {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "csrf",
            "使用会话 Cookie 调用接口时须在 X-CSRF-Token 头中提供页面的 CSRF 令牌",
        )
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
        ApiError {
            status: status(e.kind()),
            code: e.code().to_string(),
            message: e.public_message(),
        }
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
        (
            self.status,
            Json(ErrorBody {
                error: ErrorDetail {
                    code: self.code,
                    message: self.message,
                },
            }),
        )
            .into_response()
    }
}
