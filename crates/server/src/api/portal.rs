//! `GET /api/v1/portal/search`: the public search over the register's published items (no
//! login; anonymous callers rate-limited per address). Only 主动公开 items that are
//! published and not withdrawn are ever returned.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_service::portal::search::{PortalQuery, PortalResults, SortOrder};
use serde::Deserialize;
use utoipa::IntoParams;

use super::ApiQuery;
use crate::error::{ApiError, ErrorBody};
use crate::{AppState, Ctx};

/// The query parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// 检索词（可含文号，〔2023〕[2023](2023)（2023）【2023】均可）
    q: Option<String>,
    /// 第几页（从 1 起）
    page: Option<usize>,
    /// 每页条数（默认 20，最多 100）
    per_page: Option<usize>,
    /// 只查某机关的专栏（机关代码）
    agency: Option<String>,
    /// 只查某机关及其下级机关（机关代码）
    within: Option<String>,
    /// 主题分类（上级分类含其下级）
    topic: Option<String>,
    /// 体裁
    genre: Option<String>,
    /// 发布机构
    organ: Option<String>,
    /// 年度（生成日期所在年份）
    year: Option<i32>,
    /// 文号
    number: Option<String>,
    /// 排序：relevance（相关度，默认）、newest（最新）、oldest（最早）
    order: Option<String>,
}

impl SearchParams {
    fn query(self) -> Result<PortalQuery, ApiError> {
        let order = match self.order.as_deref().map(str::trim).unwrap_or("") {
            "" | "relevance" | "相关度" => SortOrder::Relevance,
            "newest" | "date" | "最新" => SortOrder::Newest,
            "oldest" | "最早" => SortOrder::Oldest,
            other => {
                return Err(ApiError::bad_request(format!(
                    "排序“{other}”无法识别：可用 relevance、newest、oldest"
                )));
            }
        };
        Ok(PortalQuery {
            q: self.q.unwrap_or_default(),
            agency: self.agency,
            within: self.within,
            topic: self.topic,
            genre: self.genre,
            organ: self.organ,
            year: self.year,
            number: self.number,
            order,
            page: self.page,
            per_page: self.per_page,
        })
    }
}

/// 全文检索：已发布、未撤稿的主动公开信息（无需登录；未登录时每个地址每分钟次数有限，超出返回 429 及 Retry-After）。命中词以 <mark> 标出（HTML 已转义）；检索词含文号时按文号查找并在 note 中说明匹配的文号
#[utoipa::path(get, path = "/portal/search", tag = "portal",
    params(SearchParams),
    responses((status = 200, description = "一页检索结果", body = Object),
        (status = 400, body = ErrorBody), (status = 404, description = "机关不存在", body = ErrorBody),
        (status = 422, description = "检索词过长", body = ErrorBody),
        (status = 429, description = "请求过于频繁", body = ErrorBody),
        (status = 503, description = "检索暂不可用", body = ErrorBody)))]
pub(super) async fn search(
    State(st): State<AppState>,
    ctx: Ctx,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<PortalResults>, Response> {
    let limited = ctx.user.is_none();
    answer(&st, &ctx, params, limited).await
}

/// The same search in the public process: every caller is rate-limited.
pub(super) async fn public_search(
    State(st): State<AppState>,
    ctx: Ctx,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<PortalResults>, Response> {
    answer(&st, &ctx, params, true).await
}

async fn answer(
    st: &AppState,
    ctx: &Ctx,
    params: SearchParams,
    limited: bool,
) -> Result<Json<PortalResults>, Response> {
    if limited && let Err(wait) = st.portal().rate(&ctx.client) {
        let mut resp = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("请求过于频繁，请 {wait} 秒后再试"),
        )
        .into_response();
        if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Err(resp);
    }
    let Some(search) = st.portal().search() else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "search_unavailable",
            "检索暂不可用（本进程未开启检索索引）".to_string(),
        )
        .into_response());
    };
    let query = params.query().map_err(IntoResponse::into_response)?;
    search
        .search(&query)
        .await
        .map(Json)
        .map_err(|e| ApiError::from(e).into_response())
}
