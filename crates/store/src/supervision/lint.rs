//! The supervisor's 错敏 figures by agency (issue 18 §2), from the kept runs of the
//! register's 错敏排查 (migration 0023), never by linting again: for every agency of a
//! subtree and the items of a year (生成日期), the latest run of each item — items with
//! error findings, errors and warnings, published items whose run had errors let through
//! by an override and how many — in one grouped query, and the findings counted by code
//! in a second. Both read one snapshot; on PostgreSQL the row-level security's
//! `app.agency_ids` names exactly the subtree's agencies.
//!
//! The drill-down (one agency's items with their latest run) is
//! [`Store::linted_items`], in the agency's scope.

use serde::Serialize;

use crate::agencies::AgencyId;
use crate::error::Result;
use crate::supervision::{csv_ids, json_ids};
use crate::{Pool, Store};

/// One agency's 错敏 figures for a year (the latest run of each item).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LintFigures {
    pub agency_id: AgencyId,
    /// Items of the year with at least one run.
    pub checked: i64,
    /// Items whose latest run has error-severity findings (overridden or not).
    pub with_errors: i64,
    /// Error and warning findings in the latest runs.
    pub errors: i64,
    pub warnings: i64,
    /// Published items whose latest run had errors let through by an override, and the
    /// overrides counted.
    pub published_overridden: i64,
    pub overrides: i64,
}

/// Findings of one code in an agency's latest runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeCount {
    pub agency_id: AgencyId,
    pub code: String,
    pub severity: String,
    pub count: i64,
}

/// The latest run of each item (`r`), items of year `$2`.
const LATEST: &str = "r.seq = (SELECT MAX(r2.seq) FROM register_lint_runs r2 \
    WHERE r2.agency_id = r.agency_id AND r2.item_id = r.item_id)";

type FigureTuple = (i64, i64, i64, i64, i64, i64, i64);
type CodeTuple = (i64, String, String, i64);

fn figures_sql(agencies: &str) -> String {
    format!(
        "SELECT r.agency_id, COUNT(*), \
         CAST(COALESCE(SUM(CASE WHEN r.errors > 0 THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(r.errors), 0) AS BIGINT), CAST(COALESCE(SUM(r.warnings), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN i.first_published_on IS NOT NULL AND r.overridden > 0 \
             THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN i.first_published_on IS NOT NULL THEN r.overridden \
             ELSE 0 END), 0) AS BIGINT) \
         FROM register_lint_runs r JOIN register_items i \
         ON i.agency_id = r.agency_id AND i.id = r.item_id \
         WHERE {agencies} AND i.year = $2 AND {LATEST} GROUP BY r.agency_id"
    )
}

fn codes_sql(agencies: &str) -> String {
    format!(
        "SELECT c.agency_id, c.code, c.severity, CAST(SUM(c.n) AS BIGINT) \
         FROM register_lint_codes c \
         JOIN register_lint_runs r ON r.agency_id = c.agency_id AND r.item_id = c.item_id \
             AND r.seq = c.run_seq \
         JOIN register_items i ON i.agency_id = r.agency_id AND i.id = r.item_id \
         WHERE {agencies} AND i.year = $2 AND {LATEST} \
         GROUP BY c.agency_id, c.code, c.severity"
    )
}

fn figures_from(rows: Vec<FigureTuple>) -> Vec<LintFigures> {
    rows.into_iter()
        .map(
            |(agency_id, checked, with_errors, errors, warnings, po, o)| LintFigures {
                agency_id,
                checked,
                with_errors,
                errors,
                warnings,
                published_overridden: po,
                overrides: o,
            },
        )
        .collect()
}

impl Store {
    /// The 错敏 figures of each of `agencies` for the items of `year` (agencies without a
    /// run are left out), and their findings counted by code — two grouped queries over
    /// the kept runs, one snapshot.
    pub async fn lint_figures(
        &self,
        agencies: &[AgencyId],
        year: i32,
    ) -> Result<(Vec<LintFigures>, Vec<CodeCount>)> {
        let (figures, codes): (Vec<FigureTuple>, Vec<CodeTuple>) = match &self.pool {
            Pool::Sqlite(p) => {
                let mut t = p.begin().await?;
                let scope = "r.agency_id IN (SELECT value FROM json_each($1))";
                let ids = json_ids(agencies);
                let f = sqlx::query_as(sqlx::AssertSqlSafe(figures_sql(scope)))
                    .bind(&ids)
                    .bind(year)
                    .fetch_all(&mut *t)
                    .await?;
                let c = sqlx::query_as(sqlx::AssertSqlSafe(codes_sql(scope)))
                    .bind(&ids)
                    .bind(year)
                    .fetch_all(&mut *t)
                    .await?;
                t.commit().await?;
                (f, c)
            }
            Pool::Postgres(p) => {
                let mut t = p
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?;
                sqlx::query("SELECT set_config('app.agency_ids', $1, true)")
                    .bind(csv_ids(agencies))
                    .execute(&mut *t)
                    .await?;
                let scope = "r.agency_id = ANY($1)";
                let f = sqlx::query_as(sqlx::AssertSqlSafe(figures_sql(scope)))
                    .bind(agencies)
                    .bind(year)
                    .fetch_all(&mut *t)
                    .await?;
                let c = sqlx::query_as(sqlx::AssertSqlSafe(codes_sql(scope)))
                    .bind(agencies)
                    .bind(year)
                    .fetch_all(&mut *t)
                    .await?;
                t.commit().await?;
                (f, c)
            }
        };
        Ok((
            figures_from(figures),
            codes
                .into_iter()
                .map(|(agency_id, code, severity, count)| CodeCount {
                    agency_id,
                    code,
                    severity,
                    count,
                })
                .collect(),
        ))
    }

    /// The agency's items of `year` that have a kept run, each with its latest run, by
    /// 索引号 (the supervisor's drill-down; reads only).
    pub async fn linted_items(&self, year: i32) -> Result<Vec<crate::review_item::LintedItem>> {
        tx!(self, read, |c| {
            crate::review_item_db::ItemReviewConn::linted_items(c, year)
        })
    }
}
