//! The spreadsheets through the API: the ledger as XLSX or CSV with the list's parameters
//! ([`super::ListParams`], paging ignored) and a column set, the saved column sets, and the
//! year's three tables as XLSX. The service audits every download.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use gongkai_service::Via;
use gongkai_service::exports::{ExportFormat, SetView};
use serde::Deserialize;

use super::{ApiQuery, ApiUser, ListParams};
use crate::AppState;
use crate::check::attachment_response;
use crate::error::{ApiError, ErrorBody};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ColumnsParam {
    /// 列模板：内置的“标准”（默认）、“全部”，已保存的模板名称，或用逗号分隔的列名/代码.
    #[serde(default)]
    pub columns: Option<String>,
}

/// 导出台账（XLSX 或 CSV；与列表相同的筛选参数，不分页；导出记入审计日志）
#[utoipa::path(get, path = "/applications/export/{format}", tag = "applications",
    params(("format" = String, Path, description = "xlsx 或 csv"), ListParams, ColumnsParam),
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, description = "XLSX 或 CSV 文件（CSV 为带 BOM 的 UTF-8）"),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn export_applications(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(format): Path<String>,
    ApiQuery(p): ApiQuery<ListParams>,
    ApiQuery(c): ApiQuery<ColumnsParam>,
) -> Result<Response, ApiError> {
    let format: ExportFormat = format.parse()?;
    let actor = user.actor(Via::Api);
    let e = st
        .service()
        .export_ledger(&actor, &p.filter()?, c.columns.as_deref(), format)
        .await?;
    Ok(attachment_response(e.content_type, &e.file_name, e.bytes))
}

/// 导出列模板（内置和已保存的）
#[utoipa::path(get, path = "/column-sets", tag = "applications",
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, description = "列模板的列表：name、columns（列代码，按顺序）、built_in", body = [Object])))]
pub(super) async fn column_sets(
    State(st): State<AppState>,
    _user: ApiUser,
) -> Result<Json<Vec<SetView>>, ApiError> {
    Ok(Json(st.service().column_sets().await?))
}

/// 年度统计表（第二、三、四部分的三张表，全国统一格式，XLSX；记入审计日志）
#[utoipa::path(get, path = "/reports/{year}/statistics.xlsx", tag = "reports",
    params(("year" = i32, Path, description = "报告年度")),
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, description = "XLSX 文件"), (status = 400, body = ErrorBody)))]
pub(super) async fn statistics(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(year): Path<i32>,
) -> Result<Response, ApiError> {
    let e = st
        .service()
        .statistics_xlsx(&user.actor(Via::Api), year)
        .await?;
    Ok(attachment_response(e.content_type, &e.file_name, e.bytes))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CatalogueParams {
    /// csv（默认）或 xlsx.
    #[serde(default)]
    pub format: Option<String>,
    /// 只列出该年度首次发布的信息；不填则列出全部已发布信息.
    #[serde(default)]
    pub year: Option<i32>,
}

/// 政府信息公开目录（已发布、未撤稿的信息：索引号、名称、内容概述、生成日期、发布机构、文号、主题分类、体裁、发布日期、发布渠道；CSV 或 XLSX；记入审计日志）
#[utoipa::path(get, path = "/register/catalogue", tag = "proactive",
    params(CatalogueParams),
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, description = "CSV（带 BOM 的 UTF-8）或 XLSX 文件"),
        (status = 400, body = ErrorBody)))]
pub(super) async fn catalogue(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<CatalogueParams>,
) -> Result<Response, ApiError> {
    let format: ExportFormat = p.format.as_deref().unwrap_or("csv").parse()?;
    let e = st
        .service()
        .catalogue_export(&user.actor(Via::Api), p.year, format)
        .await?;
    Ok(attachment_response(e.content_type, &e.file_name, e.bytes))
}
