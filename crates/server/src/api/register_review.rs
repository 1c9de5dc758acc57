//! 三审, 保密审查 and 错敏排查 of register items through the API: the review of an item
//! (chain, 保密审查, findings with their place, what blocks publication), a step (初审
//! with the 保密审查 checklist, the level due, 退回), the authority's determination, an
//! override of a finding with its reason, the queue and batch approval.

use axum::Json;
use axum::extract::{Path, State};
use gongkai_ledger::register::secrecy::{SecrecyDetermination, SecrecyReview};
use gongkai_service::ServiceError;
use gongkai_service::register::review::BatchOutcome;
use gongkai_store::review_item::ItemReview;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{ApiJson, ApiUser};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};

/// 登记事项的审核：三审步骤、保密审查、错敏排查问题（含位置）与发布条件
#[utoipa::path(get, path = "/register/{id}/review", tag = "register_review",
    params(("id" = i64, Path, description = "登记事项编号")),
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, description = "gongkai_store::review_item::ItemReview", body = Object),
        (status = 404, body = ErrorBody)))]
pub(super) async fn get_item_review(
    State(st): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ItemReview>, ApiError> {
    Ok(Json(st.service().item_review(&user.actor(), id).await?))
}

/// A step on an item's review.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ItemStepRequest {
    /// `submit`（初审，须附 secrecy）、`approve`（复审或审核，按当前级别）、`send_back`（须附 note）、
    /// `override`（放行错敏排查问题，须附 fingerprint 和 note）、`determine`（登记确定意见，须附 determination）.
    pub action: String,
    #[serde(default)]
    pub note: Option<String>,
    /// 保密审查：{"checklist": {"state_secret": "no", "work_secret": "no", "trade_secret": "no",
    /// "privacy": "no", "security": "no"}, "conclusion": "publishable", "note": null}.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub secrecy: Option<SecrecyReview>,
    /// The finding's fingerprint (from `findings[]`: code|part|matched).
    #[serde(default)]
    pub fingerprint: Option<String>,
    /// {"authority": "…", "reference": "…", "decided_on": "2025-10-15", "result": "publishable"}.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub determination: Option<SecrecyDetermination>,
}

fn missing(field: &'static str) -> ApiError {
    ServiceError::invalid(field, format!("缺少“{field}”")).into()
}

/// 办理登记事项的一步审核
#[utoipa::path(post, path = "/register/{id}/review", tag = "register_review",
    params(("id" = i64, Path, description = "登记事项编号")),
    request_body = ItemStepRequest,
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, body = Object),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "不是该级审核的时候、没有可放行的问题等", body = ErrorBody),
        (status = 422, description = "保密审查结论与答复不符、缺少理由等", body = ErrorBody)))]
pub(super) async fn item_review_step(
    State(st): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ItemStepRequest>,
) -> Result<Json<ItemReview>, ApiError> {
    let svc = st.service();
    let actor = user.actor();
    let r = match body.action.as_str() {
        "submit" => {
            let s = body.secrecy.ok_or_else(|| missing("secrecy"))?;
            svc.submit_item(&actor, id, s, body.note).await?
        }
        "approve" => svc.approve_item(&actor, id, body.note).await?,
        "send_back" => {
            svc.send_back_item(&actor, id, body.note.as_deref().unwrap_or(""))
                .await?
        }
        "override" => {
            let fp = body.fingerprint.ok_or_else(|| missing("fingerprint"))?;
            svc.override_item_finding(&actor, id, &fp, body.note.as_deref().unwrap_or(""))
                .await?
        }
        "determine" => {
            let d = body.determination.ok_or_else(|| missing("determination"))?;
            svc.record_item_determination(&actor, id, d).await?
        }
        other => {
            return Err(ServiceError::invalid("action", format!("未知的审核操作“{other}”")).into());
        }
    };
    Ok(Json(r))
}

/// 待我审核的登记事项
#[utoipa::path(get, path = "/register/review-queue", tag = "register_review",
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, description = "ItemReview 的列表", body = [Object])))]
pub(super) async fn item_review_queue(
    State(st): State<AppState>,
    user: ApiUser,
) -> Result<Json<Vec<ItemReview>>, ApiError> {
    Ok(Json(st.service().item_review_queue(&user.actor()).await?))
}

/// A batch approval.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BatchRequest {
    /// 登记事项编号（至多 500 项）.
    pub items: Vec<i64>,
    #[serde(default)]
    pub note: Option<String>,
}

/// 批量审核：逐项按当前级别审核通过，每项单独检查、单独记入审计日志
#[utoipa::path(post, path = "/register/review-batch", tag = "register_review",
    request_body = BatchRequest,
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, description = "每项的结果（status 或 error/code）", body = [Object])))]
pub(super) async fn item_review_batch(
    State(st): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<BatchRequest>,
) -> Result<Json<Vec<BatchOutcome>>, ApiError> {
    Ok(Json(
        st.service()
            .approve_items(&user.actor(), &body.items, body.note)
            .await?,
    ))
}
