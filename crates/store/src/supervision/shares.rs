//! The supervisor's figures kept incrementally (issue 18 §3, migration 0020).
//!
//! Migration 0015 kept each agency's figures whole, and any write to an agency made the
//! next view compute that agency's whole year-end again — every application of its ledger.
//! Under clerks' writes a supervisor's view of a province recomputed dozens of ledgers.
//! Now each application's share of its agency's figures is kept (`supervision_shares`,
//! computed by the ledger's own code for that one application) and the agency's row holds
//! their sum; the database marks, in the writing transaction, what changed
//! (`supervision_marks`: the application, `''` for the agency's other records, `'*'` for
//! its settings). [`Store::refresh_figures`] brings one agency's row up to date in one
//! transaction under a per-agency lock: it takes the marks, reads only the marked
//! applications (and the agency's appeals, proactive records and opening balances, small),
//! and lets the caller move the sum by the difference of the shares. The caller (the
//! service) decides what a share and the figures hold; the store reads, locks and writes.
//!
//! Why the marks are taken at read time rather than the sums moved inside every writing
//! transaction: the shares are computed by Rust code (the ledger's fold), which no trigger
//! can run, and every write path — the store's, an import, a bulk load, psql — is covered
//! by the triggers without remembering to call anything; a write pays one insert of a
//! mark. The cost of a view is then proportional to what changed since the last view, not
//! to the size of the ledgers.
//!
//! Consistency. Marks are written in the change's own transaction, so a committed change
//! always has its mark (or its effect is already in the sum). A refresh reads the change
//! counter first, then takes the marks with `DELETE … RETURNING` and reads the marked
//! applications in later statements (PostgreSQL: read committed, so they see at least
//! what the marks stand for); a change committed meanwhile leaves its own mark and a
//! higher counter, so the row is refreshed again next time (recomputing a share is
//! idempotent). Two refreshes of one agency queue on the lock (PostgreSQL: an advisory
//! transaction lock; SQLite: the write transaction).

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_ledger::{Application, ApplicationId, Calendar, Ledger, LedgerData, Settings};

use crate::Store;
use crate::backend::Conn;
use crate::error::{Result, StoreError};
use crate::model::{Review, ReviewSubject};
use crate::narrative::NarrativeConn;
use crate::ops;
use crate::supervision::Kept;

/// More marked applications than this: the agency's figures are computed whole.
pub const MAX_DELTA: usize = 400;

/// The annual report's review and whether a narrative was saved (the report's state).
#[derive(Debug, Clone)]
pub struct ReportInput {
    pub review: Review,
    pub narrated: bool,
}

/// What a refresh computes from.
#[derive(Debug, Clone)]
pub enum Work {
    /// Some applications changed (each now — `None`: deleted — with its kept share), and
    /// the ledger without applications (its appeals, proactive records, opening balances);
    /// `report` when the annual report's review or narrative (or an appeal, a proactive
    /// record) changed.
    Delta {
        applications: Vec<(ApplicationId, Option<Application>, Option<String>)>,
        rest: Ledger,
        report: Option<ReportInput>,
    },
    /// Everything: the whole ledger.
    Full { ledger: Ledger, report: ReportInput },
}

/// The input of a refresh, read in its transaction.
#[derive(Debug, Clone)]
pub struct RefreshInput {
    pub year: i32,
    pub as_of: NaiveDate,
    /// The kept row (of the same date and year) the delta applies to; `None` with `Full`.
    pub kept: Option<Kept>,
    pub settings: Settings,
    pub calendar: Arc<Calendar>,
    pub work: Work,
}

/// What a refresh writes: the agency's figures and the shares — with `Delta` the changed
/// ones (`None`: no share any more), with `Full` all of them.
#[derive(Debug, Clone, Default)]
pub struct RefreshOutput {
    pub figures: String,
    pub shares: Vec<(ApplicationId, Option<String>)>,
}

/// How a refresh went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refreshed {
    /// The kept row was current (another view had just refreshed it).
    Current,
    /// Nothing the figures come from had changed (e.g. a reply's review): only the
    /// counter was brought forward.
    Unchanged,
    /// Moved by the difference of `n` applications' shares.
    Delta(usize),
    /// Computed from the whole ledger.
    Full,
}

/// The computation a refresh runs (off the async workers): `None` asks for `Full`.
pub type Compute =
    Arc<dyn Fn(RefreshInput) -> std::result::Result<Option<RefreshOutput>, String> + Send + Sync>;

/// The SQL of the shares and marks, once for both backends (as in `backend`).
pub(crate) trait ShareConn: Conn {
    async fn figure_counter(&mut self) -> Result<i64>;
    async fn kept_row(&mut self, year: i32) -> Result<Option<Kept>>;
    async fn take_marks(&mut self) -> Result<Vec<String>>;
    async fn share(&mut self, year: i32, id: &str) -> Result<Option<String>>;
    async fn put_share(&mut self, year: i32, id: &str, share: Option<&str>) -> Result<()>;
    async fn replace_shares(&mut self, year: i32, shares: &[(&str, &str)]) -> Result<()>;
    async fn put_figures(
        &mut self,
        year: i32,
        as_of: NaiveDate,
        version: i64,
        figures: &str,
        at: DateTime<Utc>,
    ) -> Result<()>;
    async fn bump_kept_version(&mut self, year: i32, version: i64) -> Result<()>;
}

type KeptRow = (i64, NaiveDate, DateTime<Utc>, String);

macro_rules! impl_share_conn {
    ($db:ty, insert_many = $insert_many:literal) => {
        impl ShareConn for crate::Tx<'_, $db> {
            async fn figure_counter(&mut self) -> Result<i64> {
                let v: Option<i64> = sqlx::query_scalar(
                    "SELECT version FROM supervision_versions WHERE agency_id = $1",
                )
                .bind(self.agency)
                .fetch_optional(&mut *self.t)
                .await?;
                Ok(v.unwrap_or(0))
            }

            async fn kept_row(&mut self, year: i32) -> Result<Option<Kept>> {
                let r: Option<KeptRow> = sqlx::query_as(
                    "SELECT version, as_of, computed_at, figures FROM supervision_figures \
                     WHERE agency_id = $1 AND year = $2",
                )
                .bind(self.agency)
                .bind(year)
                .fetch_optional(&mut *self.t)
                .await?;
                Ok(r.map(|(version, as_of, computed_at, figures)| Kept {
                    version,
                    as_of,
                    computed_at,
                    figures,
                }))
            }

            async fn take_marks(&mut self) -> Result<Vec<String>> {
                Ok(sqlx::query_scalar(
                    "DELETE FROM supervision_marks WHERE agency_id = $1 RETURNING application_id",
                )
                .bind(self.agency)
                .fetch_all(&mut *self.t)
                .await?)
            }

            async fn share(&mut self, year: i32, id: &str) -> Result<Option<String>> {
                Ok(sqlx::query_scalar(
                    "SELECT share FROM supervision_shares \
                     WHERE agency_id = $1 AND year = $2 AND application_id = $3",
                )
                .bind(self.agency)
                .bind(year)
                .bind(id)
                .fetch_optional(&mut *self.t)
                .await?)
            }

            async fn put_share(&mut self, year: i32, id: &str, share: Option<&str>) -> Result<()> {
                match share {
                    Some(s) => sqlx::query(
                        "INSERT INTO supervision_shares (agency_id, year, application_id, share) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT (agency_id, year, application_id) \
                         DO UPDATE SET share = excluded.share",
                    )
                    .bind(self.agency)
                    .bind(year)
                    .bind(id)
                    .bind(s),
                    None => sqlx::query(
                        "DELETE FROM supervision_shares \
                         WHERE agency_id = $1 AND year = $2 AND application_id = $3",
                    )
                    .bind(self.agency)
                    .bind(year)
                    .bind(id),
                }
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn replace_shares(&mut self, year: i32, shares: &[(&str, &str)]) -> Result<()> {
                sqlx::query("DELETE FROM supervision_shares WHERE agency_id = $1 AND year = $2")
                    .bind(self.agency)
                    .bind(year)
                    .execute(&mut *self.t)
                    .await?;
                for chunk in shares.chunks(2_000) {
                    let json = serde_json::to_string(chunk).map_err(|e| StoreError::Corrupt {
                        what: "监督数据".into(),
                        detail: e.to_string(),
                    })?;
                    sqlx::query($insert_many)
                        .bind(self.agency)
                        .bind(year)
                        .bind(json)
                        .execute(&mut *self.t)
                        .await?;
                }
                Ok(())
            }

            async fn put_figures(
                &mut self,
                year: i32,
                as_of: NaiveDate,
                version: i64,
                figures: &str,
                at: DateTime<Utc>,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO supervision_figures \
                     (agency_id, year, as_of, version, computed_at, figures) \
                     VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (agency_id, year) DO UPDATE SET as_of = excluded.as_of, \
                     version = excluded.version, computed_at = excluded.computed_at, \
                     figures = excluded.figures",
                )
                .bind(self.agency)
                .bind(year)
                .bind(as_of)
                .bind(version)
                .bind(at)
                .bind(figures)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn bump_kept_version(&mut self, year: i32, version: i64) -> Result<()> {
                sqlx::query(
                    "UPDATE supervision_figures SET version = $3 \
                     WHERE agency_id = $1 AND year = $2",
                )
                .bind(self.agency)
                .bind(year)
                .bind(version)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }
        }
    };
}

impl_share_conn!(
    sqlx::Sqlite,
    insert_many = "INSERT INTO supervision_shares (agency_id, year, application_id, share) \
                   SELECT $1, $2, json_extract(value, '$[0]'), json_extract(value, '$[1]') \
                   FROM json_each($3)"
);
impl_share_conn!(
    sqlx::Postgres,
    insert_many = "INSERT INTO supervision_shares (agency_id, year, application_id, share) \
                   SELECT $1, $2, x->>0, x->>1 FROM jsonb_array_elements($3::jsonb) AS x"
);

/// The ledger without its applications: the agency's name, appeals, proactive records,
/// opening balances (as `ops::ledger` orders them) and the publication register's items
/// (section 一's 主动公开 figures and section 二's documents, as `Store::ledger`).
async fn rest_of_ledger<C: Conn + crate::register::FactsConn>(c: &mut C) -> Result<Ledger> {
    let agency = ops::agency(c).await.unwrap_or_default();
    let mut appeals = c.all_appeals().await?;
    appeals.sort_by(|a, b| (a.filed_on, &a.id).cmp(&(b.filed_on, &b.id)));
    let mut proactive = c.all_proactive().await?;
    proactive.sort_by(|a, b| a.id.cmp(&b.id));
    let opening = crate::imports::opening(c).await?;
    let mut ledger = Ledger::from(LedgerData {
        agency,
        applications: Vec::new(),
        appeals,
        proactive,
        opening,
    });
    ledger.set_register(crate::register::register_facts(c).await?);
    Ok(ledger)
}

async fn report_input<C: Conn + NarrativeConn>(
    c: &mut C,
    env: &ops::Env<'_>,
    year: i32,
    today: NaiveDate,
) -> Result<ReportInput> {
    let review =
        crate::reviewing::review(c, env, &ReviewSubject::AnnualReport { year }, today).await?;
    let narrated = !c.narratives(year).await?.is_empty();
    Ok(ReportInput { review, narrated })
}

async fn run(compute: &Compute, input: RefreshInput) -> Result<Option<RefreshOutput>> {
    let f = compute.clone();
    tokio::task::spawn_blocking(move || f(input))
        .await
        .map_err(|e| StoreError::Corrupt {
            what: "监督数据".into(),
            detail: e.to_string(),
        })?
        .map_err(|detail| StoreError::Corrupt {
            what: "监督数据".into(),
            detail,
        })
}

/// The refresh of the store's agency, in its transaction.
#[allow(clippy::too_many_arguments)]
async fn refresh<C: ShareConn + NarrativeConn + crate::register::FactsConn>(
    c: &mut C,
    env: &ops::Env<'_>,
    calendar: &Arc<Calendar>,
    agency: crate::AgencyId,
    year: i32,
    as_of: NaiveDate,
    today: NaiveDate,
    compute: &Compute,
) -> Result<(String, Refreshed)> {
    c.lock_key(&format!("supervision:{agency}:{year}")).await?;
    let version = c.figure_counter().await?;
    let kept = c.kept_row(year).await?.filter(|k| k.as_of == as_of);
    if let Some(k) = &kept
        && k.version == version
    {
        return Ok((k.figures.clone(), Refreshed::Current));
    }
    let marks = c.take_marks().await?;
    let settings = ops::settings(c).await?;
    let everything = marks.iter().any(|m| m == "*");
    let at = Utc::now();
    if let Some(k) = &kept
        && marks.is_empty()
    {
        c.bump_kept_version(year, version).await?;
        return Ok((k.figures.clone(), Refreshed::Unchanged));
    }
    let ids: Vec<&String> = marks.iter().filter(|m| !m.is_empty()).collect();
    if let Some(k) = kept
        .clone()
        .filter(|_| !everything && ids.len() <= MAX_DELTA)
    {
        let mut applications = Vec::with_capacity(ids.len());
        for id in &ids {
            let app = match c.application(id).await? {
                Some(mut a) => {
                    a.events = c.events(id).await?;
                    a.replay_amendments();
                    Some(a)
                }
                None => None,
            };
            let share = c.share(year, id).await?;
            applications.push((ApplicationId((*id).clone()), app, share));
        }
        let rest = rest_of_ledger(c).await?;
        let report = if marks.iter().any(String::is_empty) {
            Some(report_input(c, env, year, today).await?)
        } else {
            None
        };
        let n = applications.len();
        let input = RefreshInput {
            year,
            as_of,
            kept: Some(k),
            settings,
            calendar: calendar.clone(),
            work: Work::Delta {
                applications,
                rest,
                report,
            },
        };
        if let Some(out) = run(compute, input).await? {
            for (id, share) in &out.shares {
                c.put_share(year, &id.0, share.as_deref()).await?;
            }
            c.put_figures(year, as_of, version, &out.figures, at)
                .await?;
            return Ok((out.figures, Refreshed::Delta(n)));
        }
    }
    let mut ledger = ops::ledger(c).await?;
    ledger.set_register(crate::register::register_facts(c).await?);
    let report = report_input(c, env, year, today).await?;
    let input = RefreshInput {
        year,
        as_of,
        kept: None,
        settings,
        calendar: calendar.clone(),
        work: Work::Full { ledger, report },
    };
    let out = run(compute, input)
        .await?
        .ok_or_else(|| StoreError::Corrupt {
            what: "监督数据".into(),
            detail: "无法由台账计算机关数据".into(),
        })?;
    let shares: Vec<(&str, &str)> = out
        .shares
        .iter()
        .filter_map(|(id, s)| s.as_deref().map(|s| (id.0.as_str(), s)))
        .collect();
    c.replace_shares(year, &shares).await?;
    c.put_figures(year, as_of, version, &out.figures, at)
        .await?;
    Ok((out.figures, Refreshed::Full))
}

impl Store {
    /// Brings the store's agency's kept figures for `year` on `as_of` up to date and
    /// returns them (as `compute` serialised them): by the difference of the changed
    /// applications' shares when a row of that date is kept, else computed from the whole
    /// ledger (`full`: always so — a rebuild). One transaction, under the agency's lock.
    pub async fn refresh_figures(
        &self,
        year: i32,
        as_of: NaiveDate,
        full: bool,
        compute: Compute,
    ) -> Result<(String, Refreshed)> {
        let env = self.env();
        let today = crate::today();
        if full {
            self.forget_figures(&[self.agency]).await?;
        }
        let calendar = self.shared_calendar();
        let agency = self.agency;
        tx!(self, write, |c| refresh(
            c, &env, &calendar, agency, year, as_of, today, &compute
        ))
    }
}
