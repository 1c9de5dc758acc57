//! 站内检索 on the 专栏 (`/portal/{code}/search?q=…`): the full-text search of this
//! process's index (`gongkai_service::portal::search`), one agency's items or, with `scope=all`,
//! every agency of the platform; relevance or date order, highlighted snippets (already
//! HTML-escaped by the search, `<mark>` around the matches), pages.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gongkai_service::portal::search::{PortalQuery, PortalResults, SortOrder};
use serde::Deserialize;

use super::{PortalChrome, agency};
use crate::error::PageError;
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/portal/{code}/search", get(page))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SearchForm {
    q: String,
    /// `all`: every agency of the platform.
    scope: String,
    /// `date`: newest first.
    order: String,
    page: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal_search.html")]
struct SearchPage {
    chrome: PortalChrome,
    q: String,
    all: bool,
    by_date: bool,
    results: Option<PortalResults>,
    error: Option<String>,
    prev: Option<String>,
    next: Option<String>,
}

async fn page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(f): Query<SearchForm>,
) -> Result<Response, PageError> {
    let agency = agency(&st, &code).await?;
    let chrome = PortalChrome::new(&agency, "search");
    let q = f.q.trim().to_string();
    let all = f.scope == "all";
    let by_date = f.order == "date";
    let page: usize = f.page.trim().parse().unwrap_or(1).max(1);
    let mut view = SearchPage {
        chrome,
        q: q.clone(),
        all,
        by_date,
        results: None,
        error: None,
        prev: None,
        next: None,
    };
    if q.is_empty() {
        return Ok(view.into_response());
    }
    let Some(search) = st.portal().search() else {
        view.error = Some("站内检索暂不可用（本进程没有检索索引），请稍后再试".into());
        return Ok((StatusCode::SERVICE_UNAVAILABLE, view).into_response());
    };
    if let Err(wait) = st.portal().rate(&ctx.client) {
        return Err(PageError::Refused(
            StatusCode::TOO_MANY_REQUESTS,
            format!("检索过于频繁，请 {wait} 秒后再试"),
        ));
    }
    let query = PortalQuery {
        q: q.clone(),
        agency: (!all).then(|| agency.code.clone()),
        order: if by_date {
            SortOrder::Newest
        } else {
            SortOrder::default()
        },
        page: Some(page),
        ..PortalQuery::default()
    };
    match search.search(&query).await {
        Ok(r) => {
            let base = view.chrome.base();
            let href = |p: usize| {
                format!(
                    "{base}/search?q={}{}{}&page={p}",
                    crate::check::percent_encode(&q),
                    if all { "&scope=all" } else { "" },
                    if by_date { "&order=date" } else { "" }
                )
            };
            let pages = r.total.div_ceil(r.per_page.max(1)).max(1);
            view.prev = (r.page > 1).then(|| href(r.page - 1));
            view.next = (r.page < pages).then(|| href(r.page + 1));
            view.results = Some(r);
            Ok(view.into_response())
        }
        Err(e) if e.kind() == gongkai_service::ErrorKind::Invalid => {
            view.error = Some(e.to_string());
            Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
