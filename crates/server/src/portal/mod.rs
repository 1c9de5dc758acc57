//! The public 政府信息公开专栏 (issue 17 §1): no login, one 专栏 per agency of the
//! platform at `/portal/{agency code}`, with the columns of 国办公开办函〔2019〕61号 as
//! local notices describe them — 政府信息公开指南 ([`guide`]), 政府信息公开制度 and
//! 法定主动公开内容 ([`items`]), 政府信息公开年报 ([`reports`]) and the 政府信息公开目录
//! ([`items`]). What is public is decided in `gongkai_service::portal`; these handlers
//! parse the address, call it and render.
//!
//! The pages have their own layout (`portal_base.html`): no workbench navigation, the
//! 47号 page tags (`SiteName`, `ColumnName`, `ColumnType`, `ArticleTitle`, `PubDate`,
//! `ContentSource`), a skip link, landmarks, and the 适老化 switches (larger text, high
//! contrast; `assets/portal.js`, kept in the browser, the page works without it).

pub mod apply;
pub mod apply_upload;
pub mod guide;
pub mod items;
pub mod mail_sender;
pub mod reports;
pub mod search;
pub mod search_page;

pub use search::{PortalState, follow};

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use gongkai_store::Agency;

use crate::AppState;
use crate::error::PageError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/portal", get(index))
        .route("/portal/{code}", get(home))
        .merge(apply::router())
        .merge(guide::router())
        .merge(items::router())
        .merge(reports::router())
        .merge(search_page::router())
}

/// What every portal page shows around its content.
pub struct PortalChrome {
    /// The agency's code (addresses) and name (the site's name).
    pub code: String,
    pub agency: String,
    /// The column shown: `home`, `guide`, `rules`, `items`, `reports`, `catalogue`, `apply`,
    /// `track`, or empty.
    pub column: &'static str,
    /// The column's name for the 47号 `ColumnName` tag and the breadcrumb.
    pub column_name: &'static str,
    /// The 47号 `ColumnType` (信息公开指南, 信息公开目录, 信息公开年报 …), if any.
    pub column_type: &'static str,
    /// Today (the footer's 更新 date is the page's date: the pages are made on request).
    pub today: String,
}

impl PortalChrome {
    pub fn new(agency: &Agency, column: &'static str) -> Self {
        let (column_name, column_type) = match column {
            "guide" => ("政府信息公开指南", "信息公开指南"),
            "rules" => ("政府信息公开制度", "信息公开制度"),
            "items" => ("法定主动公开内容", "信息公开"),
            "reports" => ("政府信息公开年报", "信息公开年报"),
            "catalogue" => ("政府信息公开目录", "信息公开目录"),
            "apply" => ("依申请公开", "依法申请公开"),
            "track" => ("申请办理查询", "依法申请公开"),
            "search" => ("站内检索", ""),
            _ => ("政府信息公开", ""),
        };
        PortalChrome {
            code: agency.code.clone(),
            agency: agency.name.clone(),
            column,
            column_name,
            column_type,
            today: crate::view::date_zh(crate::view::today()),
        }
    }

    /// The 专栏's address.
    pub fn base(&self) -> String {
        format!("/portal/{}", self.code)
    }
}

/// The agency of the address (`NotFound` for an unknown code).
pub async fn agency(st: &AppState, code: &str) -> Result<Agency, PageError> {
    Ok(st.service().portal_agency(code).await?)
}

#[derive(Template, WebTemplate)]
#[template(path = "portal_index.html")]
struct IndexPage {
    /// (code, name, depth).
    agencies: Vec<(String, String, usize)>,
}

/// `/portal`: the platform's 专栏, one per agency, as a tree; a single office goes
/// straight to its own.
async fn index(State(st): State<AppState>) -> Result<Response, PageError> {
    let agencies = st.service().portal_agencies().await?;
    if let [(only, _)] = agencies.as_slice() {
        return Ok(Redirect::to(&format!("/portal/{}", only.code)).into_response());
    }
    Ok(IndexPage {
        agencies: agencies
            .into_iter()
            .map(|(a, depth)| (a.code, a.name, depth))
            .collect(),
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal_home.html")]
struct HomePage {
    chrome: PortalChrome,
    latest: Vec<items::Row>,
    rules: Vec<items::Row>,
    reports: Vec<reports::Row>,
}

/// `/portal/{code}`: the 专栏's home: the four columns with their latest entries.
async fn home(State(st): State<AppState>, Path(code): Path<String>) -> Result<Response, PageError> {
    let agency = agency(&st, &code).await?;
    let service = st.service();
    let chrome = PortalChrome::new(&agency, "home");
    let latest = items::index(&st)?
        .items(
            &agency,
            &gongkai_service::portal::PublicFilter {
                per_page: 10,
                ..Default::default()
            },
        )
        .await?;
    let rules = items::rules_listing(&st, &agency, 1, 5).await?;
    let reports = service.portal_reports(&agency).await?;
    Ok(HomePage {
        latest: latest.items.iter().map(items::row).collect(),
        rules: rules.items.iter().map(items::row).collect(),
        reports: reports.iter().take(5).map(reports::row).collect(),
        chrome,
    }
    .into_response())
}
