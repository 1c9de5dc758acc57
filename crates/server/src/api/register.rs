//! The publication register through the API (`/api/v1/register…`): the list with filters,
//! register an item, one item with its timeline, record a publication, the art. 26 due
//! list — the same use cases as the pages and `gongkai ledger publish`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use gongkai_ledger::register::{ItemDraft, Publication};
use gongkai_service::register::{DueList, ItemFilter, ItemListing, ItemView};
use gongkai_store::register::RegisterItem;

use super::{ApiJson, ApiUser};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};

/// 主动公开登记：事项列表（搜索、筛选、分页）
#[utoipa::path(get, path = "/register", tag = "register",
    params(
        ("text" = Option<String>, Query, description = "名称、索引号、文号或内容概述中的词"),
        ("topic" = Option<String>, Query, description = "主题分类（含其子类）"),
        ("genre" = Option<String>, Query, description = "体裁"),
        ("organ" = Option<String>, Query, description = "发布机构"),
        ("year" = Option<i32>, Query, description = "生成日期所在年度"),
        ("stage" = Option<String>, Query, description = "draft、in_review、approved、published、withdrawn"),
        ("outlet" = Option<String>, Query, description = "website、new_media、gazette、notice_board、press_conference、media、other"),
        ("due" = Option<String>, Query, description = "pending、due_soon、overdue"),
        ("page" = Option<u64>, Query, description = "页码，从 1 起"),
        ("per_page" = Option<u64>, Query, description = "每页件数（默认 20，最多 500）")
    ),
    security(("bearer" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "gongkai_service::register::ItemListing：total、page、per_page、items（含 clock）", body = Object),
        (status = 422, body = ErrorBody)
    ))]
pub(super) async fn list_items(
    State(st): State<AppState>,
    user: ApiUser,
    Query(f): Query<ItemFilter>,
) -> Result<Json<ItemListing>, ApiError> {
    Ok(Json(st.service().list_items(&user.actor(), &f).await?))
}

/// 登记新事项（索引号按本机关规则生成）
#[utoipa::path(post, path = "/register", tag = "register",
    request_body(content = Object, description = "gongkai_ledger::register::ItemDraft", example = json!({
        "title": "关于印发某办法的通知", "organ": "", "formed_on": "2025-10-09", "number": "某政发〔2025〕3号",
        "topic": "综合政务\\政务公开", "genre": "通知", "summary": "印发办法。", "body": "……",
        "disclosure": {"kind": "proactive"}, "outlets": ["website"]
    })),
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 201, description = "gongkai_store::register::RegisterItem", body = Object),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn create_item(
    State(st): State<AppState>,
    user: ApiUser,
    ApiJson(draft): ApiJson<ItemDraft>,
) -> Result<(StatusCode, Json<RegisterItem>), ApiError> {
    let item = st.service().register_item(&user.actor(), draft).await?;
    Ok((StatusCode::CREATED, Json(item)))
}

/// 一个事项：现行版本、各版本、发布记录、办理记录、附件、发布时限
#[utoipa::path(get, path = "/register/{id}", tag = "register",
    params(("id" = i64, Path, description = "事项编号")),
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, description = "gongkai_service::register::ItemView", body = Object),
        (status = 404, body = ErrorBody)))]
pub(super) async fn get_item(
    State(st): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ItemView>, ApiError> {
    Ok(Json(st.service().item(&user.actor(), id).await?))
}

/// 登记在某一渠道发布
#[utoipa::path(post, path = "/register/{id}/publications", tag = "register",
    params(("id" = i64, Path, description = "事项编号")),
    request_body(content = Object, description = "gongkai_ledger::register::Publication", example = json!({
        "outlet": "new_media", "account": "某市发布", "published_on": "2025-10-10"
    })),
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 201, description = "发布后的事项", body = Object),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn publish_item(
    State(st): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(p): ApiJson<Publication>,
) -> Result<(StatusCode, Json<RegisterItem>), ApiError> {
    let item = st.service().publish_item(&user.actor(), id, p).await?;
    Ok((StatusCode::CREATED, Json(item)))
}

/// 到期与逾期未发布的事项和本年按时发布率（《条例》第二十六条）
#[utoipa::path(get, path = "/register/due", tag = "register",
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, description = "gongkai_service::register::DueList", body = Object)))]
pub(super) async fn due_items(
    State(st): State<AppState>,
    user: ApiUser,
) -> Result<Json<DueList>, ApiError> {
    Ok(Json(st.service().due_items(&user.actor()).await?))
}
