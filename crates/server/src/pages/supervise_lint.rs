//! The supervisor's drill-down of one agency's 错敏 findings (issue 18 §2):
//! `GET /supervise/lint/{code}?year=YYYY` lists the agency's items of the year whose latest
//! kept 错敏排查 run found something (or left an attachment unread), each finding with its
//! place and the excerpt, the match highlighted. Read only; an agency outside the
//! supervised subtrees is “not found” (the service decides:
//! [`gongkai_service::Service::supervision_lint_agency`]).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use gongkai_service::Via;
use gongkai_service::supervision::parse_year;
use serde::Deserialize;

use crate::error::PageError;
use crate::pages::register_lint::{FindingView, finding_views};
use crate::view::{self, Chrome};
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/supervise/lint/{code}", get(page))
}

#[derive(Debug, Default, Deserialize)]
struct DrillQuery {
    #[serde(default)]
    year: Option<String>,
}

/// An item with its latest run as shown.
struct ItemView {
    index_number: String,
    title: String,
    stage: &'static str,
    checked: String,
    run_stage: &'static str,
    errors: u32,
    warnings: u32,
    overridden: u32,
    findings: Vec<FindingView>,
    unread: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "supervise_lint.html")]
struct DrillPage {
    chrome: Chrome,
    agency_name: String,
    year: i32,
    items: Vec<ItemView>,
    clean: usize,
}

async fn page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<DrillQuery>,
) -> Result<Response, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let year = match q.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(y) => Some(parse_year(y)?),
        None => None,
    };
    let d = st
        .service()
        .supervision_lint_agency(&actor, &code, year)
        .await?;
    let page = DrillPage {
        chrome: Chrome::new(&ctx, "supervise"),
        agency_name: d.agency.name.clone(),
        year: d.year,
        clean: d.clean,
        items: d
            .items
            .iter()
            .map(|i| ItemView {
                index_number: i.index_number.clone(),
                title: i.title.clone(),
                stage: i.stage.label_zh(),
                checked: view::datetime(i.run.at),
                run_stage: i.run.stage.label_zh(),
                errors: i.run.errors,
                warnings: i.run.warnings,
                overridden: i.run.overridden,
                findings: finding_views(&i.run.findings),
                unread: i.run.unread.iter().map(|u| u.label_zh()).collect(),
            })
            .collect(),
    };
    Ok(axum::response::IntoResponse::into_response(page))
}
