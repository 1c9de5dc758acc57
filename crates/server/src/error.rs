//! Errors as responses: [`PageError`] as an HTML page, [`ApiError`] as JSON
//! (`{"error": {"code": "future_date", "message": "日期 … 晚于今天 …"}}`).
//!
//! Both map the store's and the ledger's errors the same way: the stable code of
//! `StoreError::code` / `LedgerError::code`, the Chinese message, and a status — 404 for
//! unknown records, 403 for a role that may not act, 409 for a conflict or a review step out
//! of turn, 422 for input the ledger refuses. Storage failures are 500 with a generic
//! message (the detail goes to the server's log, never to the client).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_ledger::LedgerError;
use gongkai_store::StoreError;
use serde::Serialize;

use crate::uploads::UploadError;
use crate::view::Chrome;

/// The status for a store error.
pub fn store_status(e: &StoreError) -> StatusCode {
    if !e.is_client_error() {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    match e.code() {
        "unknown_application" | "unknown_record" | "not_found" | "unknown_user" => {
            StatusCode::NOT_FOUND
        }
        "forbidden" => StatusCode::FORBIDDEN,
        "bad_credentials" => StatusCode::UNAUTHORIZED,
        "conflict"
        | "duplicate_application"
        | "duplicate_record"
        | "duplicate_user"
        | "review_out_of_turn"
        | "review_stale"
        | "already_initialised" => StatusCode::CONFLICT,
        "not_initialised" => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

fn store_message(e: &StoreError) -> String {
    if e.is_client_error() {
        e.to_string()
    } else {
        eprintln!("gongkai serve: 存储错误 / storage error: {e}");
        "服务器内部错误，请稍后重试".to_string()
    }
}

/// An error shown as a page.
#[derive(Debug)]
pub enum PageError {
    /// 404 with what was not found.
    NotFound(String),
    /// 403: the form's CSRF token is missing or wrong.
    Csrf,
    /// Not logged in: redirect to the login page.
    Login,
    /// 403 with the reason.
    Forbidden(String),
    /// 400 with the reason.
    BadRequest(String),
    /// What the store refused, or its failure.
    Store(StoreError),
    /// 500.
    Internal(String),
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        PageError::Store(e)
    }
}

impl From<LedgerError> for PageError {
    fn from(e: LedgerError) -> Self {
        PageError::Store(StoreError::Ledger(e))
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
            PageError::Login => return Redirect::to("/login").into_response(),
            PageError::NotFound(m) => (StatusCode::NOT_FOUND, "找不到页面", m),
            PageError::Csrf => (
                StatusCode::FORBIDDEN,
                "表单已失效",
                "表单已过期或来源不明（CSRF 校验未通过）。请返回上一页，刷新后重新提交。"
                    .to_string(),
            ),
            PageError::Forbidden(m) => (StatusCode::FORBIDDEN, "无权操作", m),
            PageError::BadRequest(m) => (StatusCode::BAD_REQUEST, "无法处理", m),
            PageError::Store(e) => {
                let status = store_status(&e);
                (status, "无法完成操作", store_message(&e))
            }
            PageError::Internal(m) => {
                eprintln!("gongkai serve: 内部错误 / internal error: {m}");
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

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError {
            status: store_status(&e),
            code: e.code().to_string(),
            message: store_message(&e),
        }
    }
}

impl From<LedgerError> for ApiError {
    fn from(e: LedgerError) -> Self {
        ApiError::from(StoreError::Ledger(e))
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
