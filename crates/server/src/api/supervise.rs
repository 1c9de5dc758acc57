//! The supervisor's view through the API: `GET /api/v1/supervise?node=CODE&year=YYYY&days=N`
//! gives the [`gongkai_service::supervision::Overview`] as JSON (the same as the page and
//! the JSON export). A user without `supervisor` over the node gets 403 `not_supervisor`.

use axum::Json;
use axum::extract::State;
use gongkai_service::Via;
use gongkai_service::supervision::Overview;

use super::{ApiQuery, ApiUser};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::pages::supervise::SuperviseQuery;

/// 监督概况：节点及其下级机关某年度的汇总（表三、表四合计，临期与逾期申请，按期答复率，年度报告及其与台账的差异）
#[utoipa::path(get, path = "/supervise", tag = "supervision",
    params(SuperviseQuery),
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, description = "监督概况", body = Object),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn supervise(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<SuperviseQuery>,
) -> Result<Json<Overview>, ApiError> {
    let (year, days) = q.parsed()?;
    let node = q.node.as_deref().map(str::trim).filter(|s| !s.is_empty());
    Ok(Json(
        st.service()
            .supervision(&user.actor(Via::Api), node, year, days)
            .await?,
    ))
}
