//! The supervisor's live view (issue 18 §2): `GET /supervise?node=CODE&year=YYYY&days=N`
//! shows a node's subtree for a report year — tables 三 and 四 summed from the ledgers,
//! the applications at risk across the agencies, each agency's on-time rate of replies,
//! the annual reports (drafted, approved by 31 January, the late list) and, for every
//! approved report, its cells that differ from the ledger now, and the 错敏 findings by
//! agency (the drill-down: [`super::supervise_lint`]). `GET
//! /supervise/export.xlsx|.html|.json` with the same parameters downloads it (audited).
//!
//! Read only: the page has no form that writes. Who may see what is the service's
//! decision ([`gongkai_service::supervision`]): a user without `supervisor` over the node
//! gets 403.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use gongkai_service::Via;
use gongkai_service::supervision::export::SupervisionFormat;
use gongkai_service::supervision::{
    AgencyLine, AtRisk, LateLine, Overview, ReportDifferences, ReportTally, TableRow, Unavailable,
    parse_year,
};
use serde::Deserialize;

use crate::error::PageError;
use crate::view::{self, Chrome};
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/supervise", get(page))
        .route("/supervise/{file}", get(export))
}

/// The view's query: the node's code, the year, the working days of “due soon”.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuperviseQuery {
    /// 节点机关的代码（默认：本人监督的第一个节点）.
    #[serde(default)]
    pub node: Option<String>,
    /// 报告年度（默认：当前统计的年度）.
    #[serde(default)]
    pub year: Option<String>,
    /// 临近期限的工作日数（默认 5，至多 30）.
    #[serde(default)]
    pub days: Option<String>,
}

impl SuperviseQuery {
    /// The year and days parsed (a bad value is a Chinese error naming the field).
    pub fn parsed(&self) -> Result<(Option<i32>, Option<u32>), gongkai_service::ServiceError> {
        let year = match self
            .year
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(y) => Some(parse_year(y)?),
            None => None,
        };
        let days = match self
            .days
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(d) => Some(d.parse::<u32>().map_err(|_| {
                gongkai_service::ServiceError::invalid("工作日数", format!("“{d}”不是非负整数"))
            })?),
            None => None,
        };
        Ok((year, days))
    }

    fn node(&self) -> Option<&str> {
        self.node
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

/// An agency line with its figures as text.
pub struct LineView {
    pub line: AgencyLine,
    pub indent: String,
    pub rate: String,
    /// The art. 26 on-time rate of the agency's publication register.
    pub publication_rate: String,
    pub approved_on: String,
    /// The query of this agency's own view.
    pub link: String,
}

/// An agency's 错敏 figures as shown.
pub struct LintLineView {
    pub line: gongkai_service::supervision::lint::AgencyLint,
    pub indent: String,
    /// The agency's code for the drill-down's address.
    pub code_path: String,
    pub codes: String,
}

/// An application at risk as shown.
pub struct RiskView {
    pub risk: AtRisk,
    pub deadline: String,
    pub remaining: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "supervise.html")]
struct SupervisePage {
    chrome: Chrome,
    node_name: String,
    node_code: String,
    nodes: Vec<(String, String)>,
    /// The node is one of `nodes` (else it is shown as an extra option).
    node_listed: bool,
    year: i32,
    years: Vec<i32>,
    days: u32,
    as_of: String,
    deadline: String,
    agencies: Vec<LineView>,
    t3_columns: Vec<&'static str>,
    table3: Vec<TableRow>,
    t4_columns: Vec<&'static str>,
    table4: Vec<TableRow>,
    at_risk: Vec<RiskView>,
    /// At-risk applications not listed on the page (the downloads have them all).
    at_risk_hidden: usize,
    at_risk_shown: usize,
    overdue: usize,
    due_soon: usize,
    reports: ReportTally,
    late: Vec<LateLine>,
    differences: Vec<ReportDifferences>,
    unavailable: Vec<Unavailable>,
    lint: Vec<LintLineView>,
    kept: usize,
    computed: usize,
    query: String,
}

/// The most at-risk applications the page lists (most overdue first): a province's list
/// can run to thousands, which a page cannot usefully show; the downloads have them all.
const AT_RISK_SHOWN: usize = 300;

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |r| format!("{:.1}%", r * 100.0))
}

/// The page's query string for the export links.
fn query_of(o: &Overview) -> String {
    format!(
        "node={}&year={}&days={}",
        crate::check::percent_encode(&o.node.code),
        o.year,
        o.days
    )
}

async fn page(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<SuperviseQuery>,
) -> Result<Response, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let (year, days) = q.parsed()?;
    let o = st
        .service()
        .supervision(&actor, q.node(), year, days)
        .await?;
    let this_year = chrono::Datelike::year(&st.service().current_date());
    let years: Vec<i32> = (2008..=this_year).rev().take(10).collect();
    let at_risk: Vec<RiskView> = o
        .at_risk
        .iter()
        .take(AT_RISK_SHOWN)
        .map(|r| RiskView {
            deadline: view::date_zh(r.case.deadline),
            remaining: if r.overdue {
                format!("已逾期 {} 个工作日", -r.case.days_left)
            } else if r.case.days_left == 0 {
                "今日到期".to_string()
            } else {
                format!("剩 {} 个工作日", r.case.days_left)
            },
            risk: r.clone(),
        })
        .collect();
    let page = SupervisePage {
        chrome: Chrome::new(&ctx, "supervise"),
        node_name: o.node.name.clone(),
        node_code: o.node.code.clone(),
        nodes: o
            .nodes
            .iter()
            .map(|n| (n.code.clone(), n.name.clone()))
            .collect(),
        node_listed: o.nodes.iter().any(|n| n.id == o.node.id),
        year: o.year,
        years,
        days: o.days,
        as_of: view::date_zh(o.as_of),
        deadline: view::date_zh(o.deadline),
        agencies: o
            .agencies
            .iter()
            .map(|a| LineView {
                indent: "　".repeat(a.depth),
                rate: pct(a.on_time_rate),
                publication_rate: pct(a.publication_on_time_rate),
                approved_on: a.approved_on.map(view::date_zh).unwrap_or_default(),
                link: format!(
                    "node={}&year={}&days={}",
                    crate::check::percent_encode(&a.code),
                    o.year,
                    o.days
                ),
                line: a.clone(),
            })
            .collect(),
        t3_columns: Overview::table3_columns(),
        table3: o.table3.clone(),
        t4_columns: Overview::table4_columns(),
        table4: o.table4.clone(),
        overdue: o.at_risk.iter().filter(|r| r.overdue).count(),
        due_soon: o.at_risk.iter().filter(|r| !r.overdue).count(),
        at_risk_hidden: o.at_risk.len().saturating_sub(AT_RISK_SHOWN),
        at_risk_shown: AT_RISK_SHOWN,
        at_risk,
        reports: o.reports.clone(),
        late: o.late.clone(),
        differences: o.differences.clone(),
        unavailable: o.unavailable.clone(),
        lint: o
            .lint
            .iter()
            .map(|l| LintLineView {
                indent: "　".repeat(l.depth),
                code_path: crate::check::percent_encode(&l.code),
                codes: l.top_codes_text(),
                line: l.clone(),
            })
            .collect(),
        kept: o.cache.kept,
        computed: o.cache.computed,
        query: query_of(&o),
    };
    Ok(axum::response::IntoResponse::into_response(page))
}

async fn export(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(file): Path<String>,
    Query(q): Query<SuperviseQuery>,
) -> Result<Response, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let format: SupervisionFormat = match file.strip_prefix("export.") {
        Some(ext) => ext.parse()?,
        None => return Err(PageError::NotFound("没有这个页面".into())),
    };
    let (year, days) = q.parsed()?;
    let e = st
        .service()
        .export_supervision(&actor, q.node(), year, days, format)
        .await?;
    Ok(crate::check::attachment_response(
        e.content_type,
        &e.file_name,
        e.bytes,
    ))
}
