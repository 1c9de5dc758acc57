//! 更正 through the API: an application's registered facts (old → new, with a reason),
//! and superseding records that correct or void a proactive record or an appeal case.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use gongkai_ledger::{AppealCase, ApplicationId, ProactiveData, ProactiveRecord};
use gongkai_service::corrections::amend_from_json;
use gongkai_service::records::AppealDraft;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{ApiJson, ApiUser, EventOut, out};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};

/// 更正申请的登记信息（追加一项“更正”事项，原值保留）
#[utoipa::path(post, path = "/applications/{id}/corrections", tag = "applications",
    params(("id" = String, Path, description = "申请编号")),
    request_body(content = Object, description = "要更正的字段（applicant_name、applicant_kind、contact、received_on、channel、description、document_number、form、delivery，未给出的不变）、reason（必填）、date（可选，默认今天）", example = json!({
        "applicant_kind": "commercial", "description": "2024年度某建设项目环境影响评价批复文件（补正后）", "reason": "登记时申请人类型录错"
    })),
    security(("bearer" = []), ("session_cookie" = [])),
    responses(
        (status = 201, description = "已更正：返回“更正”事项（含原值 → 新值）和更正后的状态", body = EventOut),
        (status = 404, body = ErrorBody),
        (status = 422, description = "未说明理由、没有改变任何内容、原值已被他人更正等", body = ErrorBody)
    ))]
pub(super) async fn correct_application(
    State(st): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<(StatusCode, Json<EventOut>), ApiError> {
    let (draft, reason, date) = amend_from_json(body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_json",
            format!("更正字段不符：{e}"),
        )
    })?;
    let r = st
        .service()
        .correct_application(&user.actor(), &ApplicationId(id), &draft, &reason, date)
        .await?;
    let names = st.service().display_names().await?;
    Ok((
        StatusCode::CREATED,
        Json(EventOut {
            event: r.event,
            application: out(&st, r.application, r.state, &names),
        }),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VoidRequest {
    /// 作废理由（必填）.
    pub reason: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct ProactiveCorrection {
    reason: String,
    data: ProactiveData,
}

/// 更正一条主动公开记录（新记录取代原记录；原记录保留、不再统计）
#[utoipa::path(post, path = "/proactive/{id}/correction", tag = "proactive",
    params(("id" = String, Path, description = "被更正的记录编号")),
    request_body(content = Object, description = "reason（必填）与 data（gongkai_ledger::ProactiveData，类型须与原记录相同）", example = json!({
        "reason": "许可决定数录入有误", "data": {"type": "decisions", "area": "licensing", "from": "2025-01-01", "to": "2025-03-31", "count": 120}
    })),
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 201, description = "新的现行记录（supersedes 指向原记录）", body = Object), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn correct_proactive(
    State(st): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ProactiveCorrection>,
) -> Result<(StatusCode, Json<ProactiveRecord>), ApiError> {
    let r = st
        .service()
        .correct_proactive(&user.actor(), &id, body.data, &body.reason)
        .await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// 作废一条主动公开记录（如重复录入；不再统计）
#[utoipa::path(post, path = "/proactive/{id}/void", tag = "proactive",
    params(("id" = String, Path, description = "被作废的记录编号")),
    request_body = VoidRequest,
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 201, description = "作废记录", body = Object), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn void_proactive(
    State(st): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<VoidRequest>,
) -> Result<(StatusCode, Json<ProactiveRecord>), ApiError> {
    let r = st
        .service()
        .void_proactive(&user.actor(), &id, &body.reason)
        .await?;
    Ok((StatusCode::CREATED, Json(r)))
}

#[derive(Debug, Deserialize)]
pub(super) struct AppealCorrection {
    reason: String,
    #[serde(flatten)]
    case: AppealDraft,
}

/// 更正一件复议诉讼案件的登记（新记录取代原记录；原记录保留、不再统计）
#[utoipa::path(post, path = "/appeals/{id}/correction", tag = "appeals",
    params(("id" = String, Path, description = "被更正的案件编号")),
    request_body(content = Object, description = "reason（必填）与案件字段（同登记）", example = json!({
        "reason": "案件类型录错", "kind": "litigation_direct", "filed_on": "2025-04-01"
    })),
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 201, body = Object), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn correct_appeal(
    State(st): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AppealCorrection>,
) -> Result<(StatusCode, Json<AppealCase>), ApiError> {
    let c = st
        .service()
        .correct_appeal(&user.actor(), &id, body.case, &body.reason)
        .await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// 作废一件复议诉讼案件（如重复登记；不再统计）
#[utoipa::path(post, path = "/appeals/{id}/void", tag = "appeals",
    params(("id" = String, Path, description = "被作废的案件编号")),
    request_body = VoidRequest,
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 201, body = Object), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn void_appeal(
    State(st): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<VoidRequest>,
) -> Result<(StatusCode, Json<AppealCase>), ApiError> {
    let c = st
        .service()
        .void_appeal(&user.actor(), &id, &body.reason)
        .await?;
    Ok((StatusCode::CREATED, Json(c)))
}
