//! The annual report's narrative through the API: read it with its drafts and history,
//! save a new version (all six sections at once, or one), through the same use cases as
//! the year-end page and `gongkai ledger narrative`.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use gongkai_service::{NarrativeView, section_number};
use gongkai_store::{Narrative, NarrativeText};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{ApiJson, ApiUser};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};

/// The narrative of a year: drafts, the text in the report, versions
#[utoipa::path(get, path = "/reports/{year}/narrative", tag = "reports",
    params(("year" = i32, Path, description = "报告年度")),
    security(("bearer" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "gongkai_service::NarrativeView：drafts（台账草稿）、sections（报告中的六部分正文）、written、signed_by、signed_on、current、history（最新在前）、editable", body = Object),
        (status = 400, body = ErrorBody)
    ))]
pub(super) async fn get_narrative(
    State(st): State<AppState>,
    _user: ApiUser,
    Path(year): Path<i32>,
) -> Result<Json<NarrativeView>, ApiError> {
    Ok(Json(st.service().narrative(year).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NarrativeIn {
    /// 部分 → 正文；部分写作 "1"…"6" 或 "一"…"六"。未列出或为空的部分沿用台账生成的草稿.
    #[serde(default)]
    #[schema(value_type = Object, example = json!({"一": "2025年，本局……", "五": "一是……；二是……", "六": "本年度未收取信息处理费。"}))]
    pub sections: BTreeMap<String, String>,
    /// 落款机关（默认为台账的机关名称）.
    #[serde(default)]
    pub signed_by: Option<String>,
    /// 落款日期，YYYY-MM-DD.
    #[serde(default)]
    pub signed_on: Option<NaiveDate>,
    /// 修改说明.
    #[serde(default)]
    pub note: Option<String>,
}

/// Saves a new version of the whole narrative (信息员、办公室主任；提交审核后不能修改)
#[utoipa::path(put, path = "/reports/{year}/narrative", tag = "reports",
    params(("year" = i32, Path, description = "报告年度")),
    request_body = NarrativeIn,
    security(("bearer" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "保存的版本（gongkai_store::Narrative）", body = Object),
        (status = 403, description = "角色不符", body = ErrorBody),
        (status = 409, description = "年度报告已提交审核或已批准", body = ErrorBody),
        (status = 422, description = "部分编号、落款日期等无效", body = ErrorBody)
    ))]
pub(super) async fn put_narrative(
    State(st): State<AppState>,
    user: ApiUser,
    Path(year): Path<i32>,
    ApiJson(body): ApiJson<NarrativeIn>,
) -> Result<(StatusCode, Json<Narrative>), ApiError> {
    let mut sections = BTreeMap::new();
    for (k, v) in body.sections {
        sections.insert(section_number(&k)?, v);
    }
    let text = NarrativeText {
        sections,
        signed_by: body.signed_by,
        signed_on: body.signed_on,
    };
    let n = st
        .service()
        .save_narrative(&user.actor(), year, text, body.note)
        .await?;
    Ok((StatusCode::OK, Json(n)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SectionIn {
    /// 正文；为空则恢复台账生成的草稿.
    pub text: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// Saves a new version with one section replaced (the others and the 落款 stay)
#[utoipa::path(put, path = "/reports/{year}/narrative/{section}", tag = "reports",
    params(("year" = i32, Path, description = "报告年度"), ("section" = String, Path, description = "部分：1…6 或 一…六")),
    request_body = SectionIn,
    security(("bearer" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "保存的版本（gongkai_store::Narrative）", body = Object),
        (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)
    ))]
pub(super) async fn put_section(
    State(st): State<AppState>,
    user: ApiUser,
    Path((year, section)): Path<(i32, String)>,
    ApiJson(body): ApiJson<SectionIn>,
) -> Result<(StatusCode, Json<Narrative>), ApiError> {
    let mut changes = NarrativeText::default();
    changes
        .sections
        .insert(section_number(&section)?, body.text);
    let n = st
        .service()
        .update_narrative(&user.actor(), year, changes, body.note)
        .await?;
    Ok((StatusCode::OK, Json(n)))
}
