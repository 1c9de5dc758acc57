//! `/check`: read and check a published annual report (no login).

use super::*;

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

/// 读取并检查一份年度报告（请求体为文件本身：文本、HTML、Markdown 或 DOCX；无需登录，不保存）
#[utoipa::path(post, path = "/check", tag = "check",
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "报告文件的字节"),
    responses((status = 200, body = CheckOut), (status = 422, description = "无法读取", body = ErrorBody)))]
pub(super) async fn check_report(body: axum::body::Bytes) -> Result<Json<CheckOut>, ApiError> {
    let result = tokio::task::spawn_blocking(move || {
        gongkai_read::read_report(&body).map(|report| {
            let findings = gongkai_check::check(&report);
            (report, findings)
        })
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    match result {
        Ok((report, findings)) => {
            let errors = findings
                .iter()
                .filter(|f| f.severity == gongkai_check::Severity::Error)
                .count();
            Ok(Json(CheckOut {
                warnings: findings.len() - errors,
                errors,
                report,
                findings,
            }))
        }
        Err(e) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unreadable",
            e.to_string(),
        )),
    }
}
