//! The rows of an item's 保密审查 (`register_secrecy`) and 错敏排查 overrides
//! (`register_lint_overrides`), migration 0018, and its kept 错敏排查 runs
//! (`register_lint_runs` with `register_lint_codes`), migration 0023: one implementation
//! for both backends, scoped to the transaction's agency like every record table.

use chrono::{DateTime, Utc};
use sqlx::types::Json;

use crate::backend::rows::seq_from;
use crate::error::{Result, StoreError};
use crate::model::Role;
use crate::review_item::{LintRun, LintStage, OverrideRecord, SecrecyEntry, SecrecyRecord};

type SecrecyTuple = (
    i64,
    String,
    Json<SecrecyEntry>,
    String,
    String,
    DateTime<Utc>,
);
type OverrideTuple = (
    i64,
    String,
    Json<gongkai_ledger::register::lint::ItemFinding>,
    String,
    String,
    String,
    DateTime<Utc>,
);

type RunTuple = (
    i64,
    i64,
    String,
    String,
    DateTime<Utc>,
    String,
    i64,
    i64,
    i64,
    Json<Vec<gongkai_ledger::register::lint::ItemFinding>>,
    Json<Vec<crate::review_item::UnreadAttachment>>,
);

const RUN_COLUMNS: &str = "seq, version, content_hash, stage, at, actor, errors, warnings, \
    overridden, findings, unread";

fn run_from(item: i64, r: RunTuple) -> Result<LintRun> {
    let (seq, version, content_hash, stage, at, actor, e, w, o, Json(findings), Json(unread)) = r;
    let n = |v: i64| u32::try_from(v).unwrap_or(0);
    Ok(LintRun {
        seq: seq_from(seq, || format!("登记事项 {item} 的错敏排查记录"))?,
        version,
        content_hash,
        stage: LintStage::parse(&stage).ok_or_else(|| StoreError::Corrupt {
            what: format!("登记事项 {item} 的错敏排查记录"),
            detail: format!("阶段“{stage}”"),
        })?,
        at,
        actor,
        errors: n(e),
        warnings: n(w),
        overridden: n(o),
        findings,
        unread,
    })
}

fn role(item: i64, r: &str) -> Result<Role> {
    r.parse().map_err(|e: String| StoreError::Corrupt {
        what: format!("登记事项 {item} 的审查记录"),
        detail: e,
    })
}

/// Reads and appends the rows (inside the store's transactions).
pub(crate) trait ItemReviewConn {
    async fn secrecy_records(&mut self, item: i64) -> Result<Vec<SecrecyRecord>>;
    async fn insert_secrecy(&mut self, item: i64, r: &SecrecyRecord) -> Result<()>;
    async fn lint_overrides(&mut self, item: i64) -> Result<Vec<OverrideRecord>>;
    async fn insert_lint_override(&mut self, item: i64, o: &OverrideRecord) -> Result<()>;
    async fn insert_lint_run(&mut self, item: i64, r: &LintRun) -> Result<()>;
    async fn last_lint_run(&mut self, item: i64) -> Result<Option<LintRun>>;
    async fn lint_runs(&mut self, item: i64) -> Result<Vec<LintRun>>;
    async fn linted_items(&mut self, year: i32) -> Result<Vec<crate::review_item::LintedItem>>;
}

macro_rules! impl_item_review_conn {
    ($db:ty) => {
        impl ItemReviewConn for crate::Tx<'_, $db> {
            async fn secrecy_records(&mut self, item: i64) -> Result<Vec<SecrecyRecord>> {
                let rows: Vec<SecrecyTuple> = sqlx::query_as(
                    "SELECT seq, content_hash, data, actor, actor_role, at FROM register_secrecy \
                     WHERE agency_id = $1 AND item_id = $2 ORDER BY seq",
                )
                .bind(self.agency)
                .bind(item)
                .fetch_all(&mut *self.t)
                .await?;
                rows.into_iter()
                    .map(|(seq, content_hash, Json(entry), actor, r, at)| {
                        Ok(SecrecyRecord {
                            seq: seq_from(seq, || format!("登记事项 {item} 的保密审查"))?,
                            content_hash,
                            entry,
                            actor,
                            actor_role: role(item, &r)?,
                            at,
                        })
                    })
                    .collect()
            }

            async fn insert_secrecy(&mut self, item: i64, r: &SecrecyRecord) -> Result<()> {
                sqlx::query(
                    "INSERT INTO register_secrecy (agency_id, item_id, seq, kind, content_hash, \
                     conclusion, data, actor, actor_role, at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(self.agency)
                .bind(item)
                .bind(i64::from(r.seq))
                .bind(r.entry.kind_str())
                .bind(&r.content_hash)
                .bind(gongkai_ledger::vocab::Vocabulary::name(
                    r.entry.conclusion(),
                ))
                .bind(Json(&r.entry))
                .bind(&r.actor)
                .bind(r.actor_role.as_str())
                .bind(r.at)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn lint_overrides(&mut self, item: i64) -> Result<Vec<OverrideRecord>> {
                let rows: Vec<OverrideTuple> = sqlx::query_as(
                    "SELECT seq, content_hash, finding, reason, actor, actor_role, at \
                     FROM register_lint_overrides WHERE agency_id = $1 AND item_id = $2 \
                     ORDER BY seq",
                )
                .bind(self.agency)
                .bind(item)
                .fetch_all(&mut *self.t)
                .await?;
                rows.into_iter()
                    .map(|(seq, content_hash, Json(finding), reason, actor, r, at)| {
                        Ok(OverrideRecord {
                            seq: seq_from(seq, || format!("登记事项 {item} 的错敏排查放行"))?,
                            content_hash,
                            finding,
                            reason,
                            actor,
                            actor_role: role(item, &r)?,
                            at,
                        })
                    })
                    .collect()
            }

            async fn insert_lint_override(&mut self, item: i64, o: &OverrideRecord) -> Result<()> {
                sqlx::query(
                    "INSERT INTO register_lint_overrides (agency_id, item_id, seq, content_hash, \
                     fingerprint, finding, reason, actor, actor_role, at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(self.agency)
                .bind(item)
                .bind(i64::from(o.seq))
                .bind(&o.content_hash)
                .bind(o.finding.fingerprint())
                .bind(Json(&o.finding))
                .bind(&o.reason)
                .bind(&o.actor)
                .bind(o.actor_role.as_str())
                .bind(o.at)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn insert_lint_run(&mut self, item: i64, r: &LintRun) -> Result<()> {
                sqlx::query(
                    "INSERT INTO register_lint_runs (agency_id, item_id, seq, version, \
                     content_hash, stage, at, actor, errors, warnings, overridden, findings, \
                     unread) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                )
                .bind(self.agency)
                .bind(item)
                .bind(i64::from(r.seq))
                .bind(r.version)
                .bind(&r.content_hash)
                .bind(r.stage.as_str())
                .bind(r.at)
                .bind(&r.actor)
                .bind(i64::from(r.errors))
                .bind(i64::from(r.warnings))
                .bind(i64::from(r.overridden))
                .bind(Json(&r.findings))
                .bind(Json(&r.unread))
                .execute(&mut *self.t)
                .await?;
                for (code, severity, n) in r.codes() {
                    if severity != "error" && severity != "warning" {
                        continue;
                    }
                    sqlx::query(
                        "INSERT INTO register_lint_codes (agency_id, item_id, run_seq, code, \
                         severity, n) VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(self.agency)
                    .bind(item)
                    .bind(i64::from(r.seq))
                    .bind(&code)
                    .bind(&severity)
                    .bind(i64::from(n))
                    .execute(&mut *self.t)
                    .await?;
                }
                Ok(())
            }

            async fn last_lint_run(&mut self, item: i64) -> Result<Option<LintRun>> {
                let sql = format!(
                    "SELECT {RUN_COLUMNS} FROM register_lint_runs \
                     WHERE agency_id = $1 AND item_id = $2 ORDER BY seq DESC LIMIT 1"
                );
                let row: Option<RunTuple> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(self.agency)
                    .bind(item)
                    .fetch_optional(&mut *self.t)
                    .await?;
                row.map(|r| run_from(item, r)).transpose()
            }

            async fn lint_runs(&mut self, item: i64) -> Result<Vec<LintRun>> {
                let sql = format!(
                    "SELECT {RUN_COLUMNS} FROM register_lint_runs \
                     WHERE agency_id = $1 AND item_id = $2 ORDER BY seq"
                );
                let rows: Vec<RunTuple> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(self.agency)
                    .bind(item)
                    .fetch_all(&mut *self.t)
                    .await?;
                rows.into_iter().map(|r| run_from(item, r)).collect()
            }

            async fn linted_items(
                &mut self,
                year: i32,
            ) -> Result<Vec<crate::review_item::LintedItem>> {
                let sql = format!(
                    "SELECT i.id, i.index_number, i.title, i.stage, i.first_published_on, \
                     r.seq, r.version, r.content_hash, r.stage, r.at, r.actor, r.errors, \
                     r.warnings, r.overridden, r.findings, r.unread \
                     FROM register_lint_runs r JOIN register_items i \
                     ON i.agency_id = r.agency_id AND i.id = r.item_id \
                     WHERE r.agency_id = $1 AND i.year = $2 AND r.seq = (SELECT MAX(r2.seq) \
                     FROM register_lint_runs r2 WHERE r2.agency_id = r.agency_id \
                     AND r2.item_id = r.item_id) ORDER BY i.index_number"
                );
                type Row = (
                    i64,
                    String,
                    String,
                    String,
                    Option<chrono::NaiveDate>,
                    i64,
                    i64,
                    String,
                    String,
                    DateTime<Utc>,
                    String,
                    i64,
                    i64,
                    i64,
                    Json<Vec<gongkai_ledger::register::lint::ItemFinding>>,
                    Json<Vec<crate::review_item::UnreadAttachment>>,
                );
                let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(self.agency)
                    .bind(year)
                    .fetch_all(&mut *self.t)
                    .await?;
                rows.into_iter()
                    .map(|(id, index_number, title, stage, fp, s, v, h, st, at, a, e, w, o, f, u)| {
                        Ok(crate::review_item::LintedItem {
                            item: id,
                            index_number,
                            title,
                            stage: gongkai_ledger::Vocabulary::parse(&stage).map_err(|e| {
                                StoreError::Corrupt {
                                    what: format!("登记事项 {id}"),
                                    detail: e.to_string(),
                                }
                            })?,
                            first_published_on: fp,
                            run: run_from(id, (s, v, h, st, at, a, e, w, o, f, u))?,
                        })
                    })
                    .collect()
            }
        }
    };
}

impl_item_review_conn!(sqlx::Sqlite);
impl_item_review_conn!(sqlx::Postgres);
