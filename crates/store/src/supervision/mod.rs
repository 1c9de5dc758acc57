//! The supervisor's figures kept ready (issue 18 §2, migration 0015).
//!
//! A supervisor's page sums the figures of every agency of a subtree — hundreds on a
//! city's platform, a thousand on a province's. Computing each agency's year-end report
//! from its ledger on every page view would read every application of the subtree; so each
//! agency's figures are kept, computed by the ledger's own code (the service decides what
//! they hold and computes them), in `supervision_figures`, one row per agency and year.
//!
//! * **Invalidation in the writing transaction.** `supervision_versions` counts the
//!   changes to each agency's records: triggers on every table the figures come from
//!   (applications, events, appeals, proactive records, reviews, narratives, the agency's
//!   settings) bump the agency's counter in the same transaction as the change — whatever
//!   writes it (the store, an import, a bulk load). No write path can forget it.
//! * **Lazily recomputed.** A kept row is used only while its version is the agency's
//!   current one and its date is the date asked for. The caller reads the version *before*
//!   it reads the ledger to compute, and stores the figures under that version: a change
//!   committed meanwhile makes the row stale at once (its version is then behind), so a
//!   row never claims a newer ledger than it was computed from.
//! * **Several agencies in one query.** [`Store::figure_rows`] reads the versions and the
//!   kept rows of a whole subtree in one transaction (on PostgreSQL with the row-level
//!   security's `app.agency_ids` naming exactly those agencies).

pub mod lint;
pub mod shares;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::agencies::AgencyId;
use crate::error::{Result, StoreError};
use crate::{Pool, Store};

/// One agency's kept figures for a year, with the agency's current change counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureRow {
    pub agency_id: AgencyId,
    /// The agency's change counter now (0: never changed since migration 0015).
    pub current_version: i64,
    /// The kept row, if any: (version computed at, date computed for, the figures as the
    /// service serialised them).
    pub kept: Option<Kept>,
}

/// A kept row of `supervision_figures`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub version: i64,
    pub as_of: NaiveDate,
    pub computed_at: DateTime<Utc>,
    pub figures: String,
}

impl FigureRow {
    /// The kept figures if they are still those of the ledger on `as_of`.
    pub fn fresh(&self, as_of: NaiveDate) -> Option<&str> {
        self.kept
            .as_ref()
            .filter(|k| k.version == self.current_version && k.as_of == as_of)
            .map(|k| k.figures.as_str())
    }
}

type KeptTuple = (i64, i64, NaiveDate, DateTime<Utc>, String);

/// The ids as a JSON array (SQLite's `json_each`).
pub(crate) fn json_ids(ids: &[AgencyId]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

/// The ids comma-separated (PostgreSQL's `app.agency_ids`).
pub(crate) fn csv_ids(ids: &[AgencyId]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

impl Store {
    /// The store's working-day calendar, shared (for a computation off the async workers).
    pub fn shared_calendar(&self) -> std::sync::Arc<gongkai_ledger::Calendar> {
        self.calendar.clone()
    }

    /// The change counter of each of `agencies` and its kept figures for `year`, read in
    /// one transaction (one snapshot), in the order of `agencies`.
    pub async fn figure_rows(&self, agencies: &[AgencyId], year: i32) -> Result<Vec<FigureRow>> {
        let (versions, kept): (Vec<(i64, i64)>, Vec<KeptTuple>) = match &self.pool {
            Pool::Sqlite(p) => {
                let mut t = p.begin().await?;
                let ids = json_ids(agencies);
                let v = sqlx::query_as(
                    "SELECT agency_id, version FROM supervision_versions \
                     WHERE agency_id IN (SELECT value FROM json_each($1))",
                )
                .bind(&ids)
                .fetch_all(&mut *t)
                .await?;
                let k = sqlx::query_as(
                    "SELECT agency_id, version, as_of, computed_at, figures \
                     FROM supervision_figures \
                     WHERE year = $2 AND agency_id IN (SELECT value FROM json_each($1))",
                )
                .bind(&ids)
                .bind(year)
                .fetch_all(&mut *t)
                .await?;
                t.commit().await?;
                (v, k)
            }
            Pool::Postgres(p) => {
                let mut t = p
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?;
                sqlx::query("SELECT set_config('app.agency_ids', $1, true)")
                    .bind(csv_ids(agencies))
                    .execute(&mut *t)
                    .await?;
                let v = sqlx::query_as(
                    "SELECT agency_id, version FROM supervision_versions \
                     WHERE agency_id = ANY($1)",
                )
                .bind(agencies)
                .fetch_all(&mut *t)
                .await?;
                let k = sqlx::query_as(
                    "SELECT agency_id, version, as_of, computed_at, figures \
                     FROM supervision_figures WHERE year = $2 AND agency_id = ANY($1)",
                )
                .bind(agencies)
                .bind(year)
                .fetch_all(&mut *t)
                .await?;
                t.commit().await?;
                (v, k)
            }
        };
        let versions: HashMap<i64, i64> = versions.into_iter().collect();
        let mut kept: HashMap<i64, Kept> = kept
            .into_iter()
            .map(|(a, version, as_of, computed_at, figures)| {
                (
                    a,
                    Kept {
                        version,
                        as_of,
                        computed_at,
                        figures,
                    },
                )
            })
            .collect();
        Ok(agencies
            .iter()
            .map(|a| FigureRow {
                agency_id: *a,
                current_version: versions.get(a).copied().unwrap_or(0),
                kept: kept.remove(a),
            })
            .collect())
    }

    /// The store's agency's change counter (read it before reading the ledger to compute
    /// figures, and keep them under it: [`Store::keep_figures`]).
    pub async fn figure_version(&self) -> Result<i64> {
        let v: Option<i64> = tx!(self, read, |c| async {
            Ok::<_, StoreError>(
                sqlx::query_scalar("SELECT version FROM supervision_versions WHERE agency_id = $1")
                    .bind(c.agency)
                    .fetch_optional(&mut *c.t)
                    .await?,
            )
        })?;
        Ok(v.unwrap_or(0))
    }

    /// Keeps the store's agency's figures for `year` computed on `as_of` from the ledger
    /// at change counter `version`. A row computed at a later version (or the same version
    /// for a later date) is not replaced by an older computation.
    pub async fn keep_figures(
        &self,
        year: i32,
        as_of: NaiveDate,
        version: i64,
        figures: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        tx!(self, write, |c| async {
            sqlx::query(
                "INSERT INTO supervision_figures \
                 (agency_id, year, as_of, version, computed_at, figures) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (agency_id, year) DO UPDATE SET as_of = excluded.as_of, \
                 version = excluded.version, computed_at = excluded.computed_at, \
                 figures = excluded.figures \
                 WHERE excluded.version > supervision_figures.version \
                 OR (excluded.version = supervision_figures.version \
                     AND excluded.as_of >= supervision_figures.as_of)",
            )
            .bind(c.agency)
            .bind(year)
            .bind(as_of)
            .bind(version)
            .bind(at)
            .bind(figures)
            .execute(&mut *c.t)
            .await?;
            Ok::<_, StoreError>(())
        })
    }

    /// Forgets the kept figures of `agencies` (every year); they are computed again on the
    /// next read. Returns how many rows went.
    pub async fn forget_figures(&self, agencies: &[AgencyId]) -> Result<u64> {
        let mut n = 0;
        for a in agencies {
            let s = self.in_agency(*a);
            n += tx!(s, write, |c| async {
                Ok::<_, StoreError>(
                    sqlx::query("DELETE FROM supervision_figures WHERE agency_id = $1")
                        .bind(c.agency)
                        .execute(&mut *c.t)
                        .await?
                        .rows_affected(),
                )
            })?;
        }
        Ok(n)
    }
}
