//! `/check`: read and check a published annual report (no login).
//!
//! Anonymous callers are rate-limited per client address; every call waits for room in
//! the budget of bodies in flight and reads under the parsing bound (see
//! [`crate::check::limits`]). The body is read here, with its own limit, so that an
//! oversized or broken body is refused in the API's Chinese JSON shape rather than with the
//! framework's English text. Each check is audited (`check.api`: caller, client address,
//! size, SHA-256); nothing else is kept.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::*;
use crate::check::Refusal;
use crate::check::limits::mib;
use crate::uploads::{counts, sha256_hex};

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckOut {
    /// 读出的报告（与 gongkai read 相同的 JSON）.
    #[schema(value_type = Object)]
    pub report: gongkai_report::Report,
    /// 检查结果，每条注明涉及的单元格.
    #[schema(value_type = [Object])]
    pub findings: Vec<Finding>,
    pub errors: usize,
    pub warnings: usize,
}

fn refusal(r: Refusal) -> Response {
    let mut resp = ApiError::new(r.status, r.code, r.message).into_response();
    if let Some(secs) = r.retry_after
        && let Ok(v) = HeaderValue::from_str(&secs.to_string())
    {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

/// 读取并检查一份年度报告（请求体为文件本身：文本、HTML、Markdown 或 DOCX；无需登录，不保存报告，记入审计日志）。未登录时每个地址每分钟的次数有限（超出返回 429 及 Retry-After）
#[utoipa::path(post, path = "/check", tag = "check",
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "报告文件的字节"),
    responses((status = 200, body = CheckOut),
        (status = 400, description = "请求体为空或不完整", body = ErrorBody),
        (status = 413, description = "文件过大", body = ErrorBody),
        (status = 422, description = "无法读取", body = ErrorBody),
        (status = 429, description = "请求过于频繁", body = ErrorBody),
        (status = 503, description = "服务器正忙", body = ErrorBody)))]
pub(super) async fn check_report(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match check(&st, &ctx, &headers, body).await {
        Ok(out) => Json(out).into_response(),
        Err(resp) => resp,
    }
}

async fn check(
    st: &AppState,
    ctx: &Ctx,
    headers: &HeaderMap,
    body: Body,
) -> Result<CheckOut, Response> {
    let checker = st.checker();
    if ctx.user.is_none() {
        checker.api_rate(&ctx.client).await.map_err(refusal)?;
    }
    let max = st.config().max_file_bytes;
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("文件超过 {}", mib(max as u64)),
        )
        .into_response()
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(too_large());
    }
    let _room = checker.intake(headers, max).await.map_err(refusal)?;
    let bytes = axum::body::to_bytes(body, max).await.map_err(|e| {
        // The limit's error is a `LengthLimitError` inside axum's error.
        if format!("{e:?}").contains("LengthLimit") {
            too_large()
        } else {
            ApiError::bad_request("请求体不完整（连接中断），请重新上传").into_response()
        }
    })?;
    if bytes.is_empty() {
        return Err(ApiError::bad_request("文件是空的（请求体为 0 字节）").into_response());
    }
    let size = bytes.len();
    let sha256 = sha256_hex(&bytes);
    let result = checker
        .parse(size, move || {
            gongkai_read::read_report(&bytes).map(|report| {
                let findings = gongkai_check::check(&report);
                (report, findings)
            })
        })
        .await
        .map_err(|e| {
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e).into_response()
        })?;
    let owner = ctx.owner();
    if let Err(e) = st
        .store()
        .audit_check_api(&owner.0, &ctx.client, size as u64, &sha256, result.is_ok())
        .await
    {
        tracing::error!(error = %e, "audit of an API check failed");
        return Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "服务器内部错误，请稍后重试",
        )
        .into_response());
    }
    match result {
        Ok((report, findings)) => {
            let (errors, warnings) = counts(&findings);
            Ok(CheckOut {
                warnings,
                errors,
                report,
                findings,
            })
        }
        Err(e) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unreadable",
            e.to_string(),
        )
        .into_response()),
    }
}
