//! The supervisor's live view (issue 18 §2): a node of the agencies' tree and its subtree,
//! for one report year, read from the ledgers.
//!
//! Who: a user holding `supervisor` on a node reads that node's subtree — never writes to
//! an agency's ledger through it (the role is not a ledger role: the store refuses its
//! writes as `not_member`). Anyone else is refused (`not_supervisor`, 403), as is a node
//! outside the supervised subtrees.
//!
//! What ([`Overview`]):
//! * tables 三 and 四 summed over the subtree, from each agency's year-end report computed
//!   by the ledger's own code, summed by the batch roll-up ([`gongkai_batch::rollup`]);
//! * the applications at risk across the agencies: open and past their deadline, or due
//!   within N working days (the working-day calendar of the platform);
//! * each agency's on-time rate of replies (replies sent in the year, of them late);
//! * the annual reports: drafted, submitted, approved — an approved report is the
//!   published one until the publication register (issue 16) records publication — by 31
//!   January of the next year, coverage by the batch roll-up, and the late list;
//! * for every approved report, its frozen (published) cells against the cells the agency's
//!   ledger gives now, the differences by cell ([`gongkai_batch::compare`]);
//! * 错敏 findings by agency, from the register's kept runs ([`crate::supervision::lint`]).
//!
//! Speed: each agency's figures ([`AgencyFigures`]) are kept in the store
//! ([`gongkai_store::supervision`]) under the agency's change counter, which the database
//! bumps in every transaction that changes the agency's records; a view uses the kept
//! figures that are current and computes the others (in parallel, off the async workers),
//! then sums. [`Service::rebuild_figures`] computes every agency's at once (after a bulk
//! load).

pub mod export;
pub mod lint;
pub mod shares;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_batch::cells::CellValues;
use gongkai_batch::compare::{CellDifference, differences};
use gongkai_batch::rollup::{Coverage, Jurisdiction, Node, Rollup, roll_up};
use gongkai_batch::summary::{ReadStatus, ReportSummary};
use gongkai_format::{APPEAL_COLUMNS, APPEAL_GROUPS, APPLICANT_COLUMNS, FormatVersion};
use gongkai_report::Value;
use gongkai_store::agencies::{ROOT, SUPERVISOR, subtree_of};
use gongkai_store::model::china_offset;
use gongkai_store::supervision::shares::{Compute, Refreshed};
use gongkai_store::{Agency, AgencyId, ReviewStatus, Store};
use serde::{Deserialize, Serialize};

use crate::error::ServiceError;
use crate::year_end::check_year;
use crate::{Actor, Result, Service};

/// Working days before its deadline from which an open application is at risk, by
/// default (the ledger list's “due soon”).
pub const AT_RISK_DAYS: u32 = 5;
/// The most working days a view may ask for (the kept figures list the open applications
/// due within this many).
pub const AT_RISK_MAX_DAYS: u32 = 30;
/// Agencies computed at once when figures are stale.
const WORKERS: usize = 4;

/// An open application of an agency, with its deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenCase {
    pub id: String,
    pub received_on: Option<NaiveDate>,
    pub deadline: NaiveDate,
    /// Working days left to the deadline; negative: working days past it.
    pub days_left: i64,
    /// 办理中, 征求意见中 …
    pub stage: String,
}

/// Where an agency's annual report of the year stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportState {
    pub status: ReviewStatus,
    /// A narrative was saved or the report was submitted at least once.
    pub drafted: bool,
    /// The submission in force (the figures frozen then).
    pub submitted_at: Option<DateTime<Utc>>,
    /// The approval in force (status 已批准).
    pub approved_at: Option<DateTime<Utc>>,
    /// The ledger date of the frozen figures.
    pub frozen_as_of: Option<NaiveDate>,
    /// The approved report's cells (2021 format), as frozen at its submission.
    pub published_cells: Option<Vec<Option<Value>>>,
}

/// One agency's figures for a year as of a date: what is kept per agency and summed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgencyFigures {
    pub year: i32,
    /// The date the figures were computed on (the view's today).
    pub as_of: NaiveDate,
    /// `min(as_of, 31 December)`: the year-end report's period end.
    pub period_end: NaiveDate,
    /// The year-end report's cells (2021 format) computed from the ledger now.
    pub cells: Vec<Option<Value>>,
    /// Replies sent in the period, of them after the deadline.
    pub replied: u64,
    pub replied_late: u64,
    /// Open applications past their deadline at the period end.
    pub overdue_open: u64,
    /// Open applications due within [`AT_RISK_MAX_DAYS`] working days or overdue today.
    pub open: Vec<OpenCase>,
    pub report: ReportState,
    /// Warnings of the ledger's computation (invalid stored events, calendar years).
    pub warnings: Vec<String>,
    /// The applications' shares summed (what a change moves by difference:
    /// [`crate::supervision::shares`]).
    #[serde(default)]
    pub sum: Option<gongkai_ledger::ApplicationsSum>,
    /// The publication register's 主动公开 figures for the period (`None`: no items).
    #[serde(default)]
    pub publication: Option<gongkai_ledger::register::ProactiveFigures>,
}

impl AgencyFigures {
    /// Replies on time, of replies sent (`None`: none sent).
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.replied > 0).then(|| (self.replied - self.replied_late) as f64 / self.replied as f64)
    }
}

/// One agency of the view.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyLine {
    pub id: AgencyId,
    pub code: String,
    pub name: String,
    /// 省, 市 …
    pub kind: &'static str,
    /// Depth below the view's node.
    pub depth: usize,
    pub replied: u64,
    pub replied_late: u64,
    pub on_time_rate: Option<f64>,
    /// Items published in the period (the publication register), and of those first
    /// published with the art. 26 clock, the share within 20 working days (`None`: none).
    pub published: u64,
    pub publication_on_time_rate: Option<f64>,
    /// Proactive items past their art. 26 deadline and not yet published.
    pub publication_overdue: u64,
    /// Open applications overdue now, and due within the view's N working days.
    pub overdue: usize,
    pub due_soon: usize,
    /// The annual report's review status (中文).
    pub report_status: &'static str,
    pub drafted: bool,
    pub approved_on: Option<NaiveDate>,
    /// 按期发布, 逾期发布, 未发布 (the batch roll-up's coverage).
    pub coverage: &'static str,
    /// Cells where the approved report differs from the ledger now.
    pub differences: usize,
}

/// An application at risk, with its agency.
#[derive(Debug, Clone, Serialize)]
pub struct AtRisk {
    pub agency_code: String,
    pub agency_name: String,
    #[serde(flatten)]
    pub case: OpenCase,
    pub overdue: bool,
}

/// One row of a summed table: its label and the values by column.
#[derive(Debug, Clone, Serialize)]
pub struct TableRow {
    pub label: String,
    pub values: Vec<i64>,
}

/// The annual reports of the subtree, counted.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReportTally {
    pub agencies: usize,
    pub drafted: usize,
    pub submitted: usize,
    pub approved: usize,
    /// Approved by 31 January of the next year.
    pub on_time: usize,
    /// Approved after it, or not approved when it has passed.
    pub late: usize,
}

/// An agency whose report is late.
#[derive(Debug, Clone, Serialize)]
pub struct LateLine {
    pub agency_code: String,
    pub agency_name: String,
    pub status: &'static str,
    pub approved_on: Option<NaiveDate>,
}

/// An approved report's cells that differ from the ledger now.
#[derive(Debug, Clone, Serialize)]
pub struct ReportDifferences {
    pub agency_code: String,
    pub agency_name: String,
    pub approved_on: Option<NaiveDate>,
    pub cells: Vec<CellDifference>,
}

/// A figure the view cannot give yet, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Unavailable {
    pub what: &'static str,
    pub reason: &'static str,
}

/// How the figures were obtained.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct CacheUse {
    /// Agencies whose kept figures were current.
    pub kept: usize,
    /// Agencies brought up to date for this view (computed from their ledger, or moved by
    /// the difference of their changed applications' shares).
    pub computed: usize,
    /// Of those, the agencies moved by the difference only (no whole ledger read).
    pub updated: usize,
}

/// The supervisor's view of a node for a year.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub node: Agency,
    /// The nodes the user supervises (for a selector).
    pub nodes: Vec<Agency>,
    pub year: i32,
    pub as_of: NaiveDate,
    /// 31 January of the next year.
    pub deadline: NaiveDate,
    /// N: working days before a deadline from which an application is at risk.
    pub days: u32,
    pub agencies: Vec<AgencyLine>,
    /// Table 三 summed: the rows of the format, the seven applicant columns.
    pub table3: Vec<TableRow>,
    /// Table 四 summed: the three groups, the five columns each.
    pub table4: Vec<TableRow>,
    pub at_risk: Vec<AtRisk>,
    pub reports: ReportTally,
    pub late: Vec<LateLine>,
    pub differences: Vec<ReportDifferences>,
    pub unavailable: Vec<Unavailable>,
    /// 错敏 findings by agency (the register's kept runs: [`crate::supervision::lint`]).
    pub lint: Vec<crate::supervision::lint::AgencyLint>,
    pub cache: CacheUse,
    /// The roll-up of the ledgers' cells over the subtree (each agency a node).
    #[serde(skip)]
    pub rollup: Rollup,
    /// Each agency's year-end as the batch keeps a report (for the dashboard).
    #[serde(skip)]
    pub summaries: Vec<ReportSummary>,
}

impl Overview {
    /// The column labels of table 三.
    pub fn table3_columns() -> Vec<&'static str> {
        APPLICANT_COLUMNS.iter().map(|c| c.short).collect()
    }

    /// The column labels of table 四.
    pub fn table4_columns() -> Vec<&'static str> {
        APPEAL_COLUMNS.iter().map(|c| c.short).collect()
    }
}

/// What a rebuild did.
#[derive(Debug, Clone, Serialize)]
pub struct Rebuilt {
    pub agencies: usize,
    pub year: i32,
    pub seconds: f64,
}

/// Brings the figures of `agencies` up to date (and keeps them), [`WORKERS`] at a time:
/// each by the difference of its changed applications' shares, or whole when it must
/// ([`crate::supervision::shares`]; `whole`: always — a rebuild).
async fn refresh_many(
    store: &Store,
    agencies: Vec<AgencyId>,
    year: i32,
    as_of: NaiveDate,
    whole: bool,
) -> Result<(HashMap<AgencyId, AgencyFigures>, CacheUse)> {
    let queue = Arc::new(Mutex::new(agencies));
    let compute: Compute = Arc::new(crate::supervision::shares::compute);
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..WORKERS {
        let queue = queue.clone();
        let store = store.clone();
        let compute = compute.clone();
        set.spawn(async move {
            let mut done = Vec::new();
            loop {
                let next = queue.lock().map(|mut q| q.pop()).unwrap_or(None);
                let Some(id) = next else { break };
                let (json, how) = store
                    .in_agency(id)
                    .refresh_figures(year, as_of, whole, compute.clone())
                    .await?;
                let f: AgencyFigures = serde_json::from_str(&json)
                    .map_err(|e| ServiceError::BadRequest(format!("读取机关数据时出错：{e}")))?;
                done.push((id, f, how));
            }
            Ok::<_, ServiceError>(done)
        });
    }
    let mut out = HashMap::new();
    let mut cache = CacheUse::default();
    while let Some(r) = set.join_next().await {
        let done =
            r.map_err(|e| ServiceError::BadRequest(format!("计算机关数据时出错：{e}")))??;
        for (id, f, how) in done {
            match how {
                Refreshed::Current => cache.kept += 1,
                Refreshed::Unchanged | Refreshed::Delta(_) => {
                    cache.computed += 1;
                    cache.updated += 1;
                }
                Refreshed::Full => cache.computed += 1,
            }
            out.insert(id, f);
        }
    }
    Ok((out, cache))
}

impl Service {
    /// The nodes where the actor holds `supervisor`, by number.
    pub async fn supervised_nodes(&self, actor: &Actor) -> Result<Vec<Agency>> {
        let held = self.store.memberships(actor.name()).await?;
        let all = self.store.agencies().await?;
        Ok(all
            .into_iter()
            .filter(|a| {
                held.iter()
                    .any(|(id, roles)| *id == a.id && roles.iter().any(|r| r == SUPERVISOR))
            })
            .collect())
    }

    /// The node with code `code` (None: the first node supervised) and its subtree, if the
    /// actor supervises it; else `not_supervisor`.
    async fn supervised_subtree(
        &self,
        actor: &Actor,
        code: Option<&str>,
    ) -> Result<(Vec<Agency>, Vec<(Agency, usize)>)> {
        let refused = |node: &str| ServiceError::NotSupervisor {
            user: actor.name().to_string(),
            node: node.to_string(),
        };
        let nodes = self.supervised_nodes(actor).await?;
        let code = code.map(str::trim).filter(|c| !c.is_empty());
        if let Some(c) = code {
            crate::limits::text("agency", c)?;
        }
        let Some(first) = nodes.first() else {
            return Err(refused(code.unwrap_or("")));
        };
        let all = self.store.agencies().await?;
        let target = match code {
            None => first.clone(),
            // An unknown code is refused like a node outside the subtree: the view does
            // not tell which codes exist elsewhere.
            Some(c) => all
                .iter()
                .find(|a| a.code == c)
                .cloned()
                .ok_or_else(|| refused(c))?,
        };
        let inside = nodes.iter().any(|n| {
            subtree_of(&all, n.id)
                .iter()
                .any(|(a, _)| a.id == target.id)
        });
        if !inside {
            return Err(refused(&target.code));
        }
        Ok((nodes, subtree_of(&all, target.id)))
    }

    /// The figures of every agency of `ids` for `year` on `as_of`: kept ones when current,
    /// the others computed (and kept).
    async fn figures_of(
        &self,
        ids: &[AgencyId],
        year: i32,
        as_of: NaiveDate,
    ) -> Result<(HashMap<AgencyId, AgencyFigures>, CacheUse)> {
        let rows = self.store.figure_rows(ids, year).await?;
        let mut out = HashMap::new();
        let mut stale = Vec::new();
        for row in rows {
            match row
                .fresh(as_of)
                .and_then(|json| serde_json::from_str::<AgencyFigures>(json).ok())
            {
                Some(f) => {
                    out.insert(row.agency_id, f);
                }
                None => stale.push(row.agency_id),
            }
        }
        let mut cache = CacheUse {
            kept: out.len(),
            ..CacheUse::default()
        };
        if !stale.is_empty() {
            let (more, c) = refresh_many(&self.store, stale, year, as_of, false).await?;
            out.extend(more);
            cache.kept += c.kept;
            cache.computed += c.computed;
            cache.updated += c.updated;
        }
        Ok((out, cache))
    }

    /// The supervisor's view of node `node` (its code; None: the first supervised node) for
    /// `year` (None: the year a year selector starts on), applications at risk within
    /// `days` working days (None: [`AT_RISK_DAYS`]).
    pub async fn supervision(
        &self,
        actor: &Actor,
        node: Option<&str>,
        year: Option<i32>,
        days: Option<u32>,
    ) -> Result<Overview> {
        let today = self.current_date();
        let year = check_year(year.unwrap_or_else(|| crate::year_end::default_year(today)))?;
        let days = days.unwrap_or(AT_RISK_DAYS);
        if days > AT_RISK_MAX_DAYS {
            return Err(ServiceError::invalid(
                "工作日数",
                format!("不能超过 {AT_RISK_MAX_DAYS}"),
            ));
        }
        let (nodes, subtree) = self.supervised_subtree(actor, node).await?;
        let ids: Vec<AgencyId> = subtree.iter().map(|(a, _)| a.id).collect();
        let (figures, cache) = self.figures_of(&ids, year, today).await?;
        let lint = self.lint_lines(&subtree, year).await?;
        let mut overview = assemble(nodes, &subtree, &figures, year, today, days, cache);
        overview.lint = lint;
        Ok(overview)
    }

    /// Computes and keeps the figures of every agency for `year` (None: the year a year
    /// selector starts on) as of today (platform administrator): after a bulk load, so
    /// that the first views read kept figures.
    pub async fn rebuild_figures(&self, actor: &Actor, year: Option<i32>) -> Result<Rebuilt> {
        if !self.is_platform_admin(actor).await? {
            return Err(gongkai_store::StoreError::Forbidden {
                user: actor.name().to_string(),
                role: actor.role(),
                action: "重新计算各机关的监督数据（须为根机关的管理员）",
            }
            .into());
        }
        let today = self.current_date();
        let year = check_year(year.unwrap_or_else(|| crate::year_end::default_year(today)))?;
        let started = Instant::now();
        let ids: Vec<AgencyId> = self
            .store
            .in_agency(ROOT)
            .subtree(ROOT)
            .await?
            .into_iter()
            .map(|(a, _)| a.id)
            .collect();
        let n = refresh_many(&self.store, ids, year, today, true)
            .await?
            .0
            .len();
        Ok(Rebuilt {
            agencies: n,
            year,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}

/// The Beijing date of a moment.
fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&china_offset()).date_naive()
}

/// The batch's summary of one agency's year-end: what the roll-up sums.
fn summary(
    agency: &Agency,
    year: i32,
    cells: &[Option<Value>],
    dates: Vec<String>,
) -> ReportSummary {
    ReportSummary {
        file: agency.code.clone(),
        input: gongkai_batch::InputFormat::Other,
        status: ReadStatus::Ok,
        format: Some(FormatVersion::Revised2021),
        agency: Some(agency.name.clone()),
        agency_key: Some(agency_key(agency.id)),
        year: Some(year),
        dates,
        cells: Some(CellValues::new(FormatVersion::Revised2021, cells)),
        fingerprint: Default::default(),
        content_hash: 0,
        errors: 0,
        warnings: 0,
        codes: Vec::new(),
        selected: true,
    }
}

/// An agency as the roll-up lists it: its name and (unique) code.
fn listed(a: &Agency) -> String {
    format!("{}（{}）", a.name, a.code)
}

fn agency_key(id: AgencyId) -> String {
    format!("agency:{id}")
}

/// The subtree as a batch jurisdiction: one node per agency, covering that agency.
fn jurisdiction(subtree: &[(Agency, usize)], year: i32) -> Jurisdiction {
    let mut nodes: Vec<Node> = Vec::with_capacity(subtree.len());
    let mut stack: Vec<usize> = Vec::new(); // indices of the current path
    for (a, depth) in subtree {
        stack.truncate(*depth);
        let parent = stack.last().copied();
        let path = match parent {
            Some(p) => format!("{}/{}", nodes[p].path, a.name),
            None => a.name.clone(),
        };
        let i = nodes.len();
        nodes.push(Node {
            name: a.name.clone(),
            path,
            depth: *depth,
            parent,
            children: Vec::new(),
            agencies: vec![(listed(a), agency_key(a.id))],
        });
        if let Some(p) = parent {
            nodes[p].children.push(i);
        }
        stack.push(i);
    }
    Jurisdiction {
        nodes,
        years: vec![year],
    }
}

fn int(v: Option<Value>) -> i64 {
    v.and_then(|v| v.as_i64()).unwrap_or(0)
}

/// The view from every agency's figures.
fn assemble(
    nodes: Vec<Agency>,
    subtree: &[(Agency, usize)],
    figures: &HashMap<AgencyId, AgencyFigures>,
    year: i32,
    today: NaiveDate,
    days: u32,
    cache: CacheUse,
) -> Overview {
    let deadline = NaiveDate::from_ymd_opt(year + 1, 1, 31).unwrap_or(NaiveDate::MAX);
    let j = jurisdiction(subtree, year);
    // The ledgers' cells, rolled up over the subtree.
    let summaries: Vec<ReportSummary> = subtree
        .iter()
        .filter_map(|(a, _)| {
            figures
                .get(&a.id)
                .map(|f| summary(a, year, &f.cells, Vec::new()))
        })
        .collect();
    let rollup = roll_up(&j, &summaries);
    // The approved reports, dated by their approval: the roll-up's coverage says which
    // were on time.
    let published: Vec<ReportSummary> = subtree
        .iter()
        .filter_map(|(a, _)| {
            let f = figures.get(&a.id)?;
            let cells = f.report.published_cells.as_ref()?;
            let on = f.report.approved_at.map(local_date)?;
            Some(summary(
                a,
                year,
                cells,
                vec![on.format("%Y-%m-%d").to_string()],
            ))
        })
        .collect();
    let coverage = roll_up(&j, &published).coverage;
    let status_of = |a: &Agency| {
        coverage
            .iter()
            .find(|c| c.agency == listed(a))
            .map(|c| c.status)
    };

    let f = FormatVersion::Revised2021;
    let sums = rollup
        .get(0, year)
        .map(|t| t.cells.clone())
        .unwrap_or_default();
    let cell = |i: gongkai_format::CellIdx| int(sums.get(usize::from(i.0)).copied().flatten());
    let table3 = f
        .s3_rows()
        .iter()
        .enumerate()
        .map(|(r, row)| TableRow {
            label: row.label.to_string(),
            values: (0..APPLICANT_COLUMNS.len())
                .map(|c| cell(gongkai_format::s3_cell_at(f, r, c)))
                .collect(),
        })
        .collect();
    let table4 = APPEAL_GROUPS
        .iter()
        .enumerate()
        .map(|(g, group)| TableRow {
            label: group.label.to_string(),
            values: (0..APPEAL_COLUMNS.len())
                .map(|c| cell(gongkai_format::s4_cell_at(f, g, c)))
                .collect(),
        })
        .collect();

    let mut agencies = Vec::new();
    let mut at_risk = Vec::new();
    let mut reports = ReportTally::default();
    let mut late = Vec::new();
    let mut diffs = Vec::new();
    for (a, depth) in subtree {
        let Some(fig) = figures.get(&a.id) else {
            continue;
        };
        let rep = &fig.report;
        reports.agencies += 1;
        reports.drafted += usize::from(rep.drafted);
        reports.submitted += usize::from(rep.submitted_at.is_some());
        reports.approved += usize::from(rep.approved_at.is_some());
        let approved_on = rep.approved_at.map(local_date);
        let status = status_of(a);
        let coverage = match status {
            Some(Coverage::OnTime) => {
                reports.on_time += 1;
                Coverage::OnTime.label_zh()
            }
            Some(Coverage::Late) => Coverage::Late.label_zh(),
            _ => Coverage::Missing.label_zh(),
        };
        let is_late = match status {
            Some(Coverage::Late) => true,
            Some(Coverage::OnTime) => false,
            _ => today > deadline,
        };
        if is_late {
            reports.late += 1;
            late.push(LateLine {
                agency_code: a.code.clone(),
                agency_name: a.name.clone(),
                status: rep.status.label_zh(),
                approved_on,
            });
        }
        let mut n_diff = 0;
        if let Some(cells) = &rep.published_cells {
            let d = differences(&CellValues::new(f, cells), &CellValues::new(f, &fig.cells));
            n_diff = d.len();
            if !d.is_empty() {
                diffs.push(ReportDifferences {
                    agency_code: a.code.clone(),
                    agency_name: a.name.clone(),
                    approved_on,
                    cells: d,
                });
            }
        }
        let mut overdue = 0;
        let mut due_soon = 0;
        for c in &fig.open {
            let is_overdue = c.days_left < 0;
            if !is_overdue && c.days_left > i64::from(days) {
                continue;
            }
            if is_overdue {
                overdue += 1;
            } else {
                due_soon += 1;
            }
            at_risk.push(AtRisk {
                agency_code: a.code.clone(),
                agency_name: a.name.clone(),
                case: c.clone(),
                overdue: is_overdue,
            });
        }
        agencies.push(AgencyLine {
            id: a.id,
            code: a.code.clone(),
            name: a.name.clone(),
            kind: a.kind.label_zh(),
            depth: *depth,
            replied: fig.replied,
            replied_late: fig.replied_late,
            on_time_rate: fig.on_time_rate(),
            published: fig.publication.as_ref().map_or(0, |p| p.published),
            publication_on_time_rate: fig.publication.as_ref().and_then(|p| p.on_time_rate()),
            publication_overdue: fig.publication.as_ref().map_or(0, |p| p.overdue_open),
            overdue,
            due_soon,
            report_status: rep.status.label_zh(),
            drafted: rep.drafted,
            approved_on,
            coverage,
            differences: n_diff,
        });
    }
    at_risk.sort_by(|a, b| {
        (a.case.days_left, &a.agency_code, &a.case.id).cmp(&(
            b.case.days_left,
            &b.agency_code,
            &b.case.id,
        ))
    });
    Overview {
        node: subtree[0].0.clone(),
        nodes,
        year,
        as_of: today,
        deadline,
        days,
        agencies,
        table3,
        table4,
        at_risk,
        reports,
        late,
        differences: diffs,
        unavailable: Vec::new(),
        lint: Vec::new(),
        cache,
        rollup,
        summaries,
    }
}

/// `s` parsed as a report year (for the front ends' query strings).
pub fn parse_year(s: &str) -> Result<i32> {
    s.trim()
        .parse::<i32>()
        .map_err(|_| ServiceError::invalid("年度", format!("“{}”不是年份", s.trim())))
        .and_then(check_year)
}

/// The year a view starts on for `today`.
pub fn default_year(today: NaiveDate) -> i32 {
    crate::year_end::default_year(today)
}
