//! The rows of an item's 保密审查 (`register_secrecy`) and 错敏排查 overrides
//! (`register_lint_overrides`), migration 0018: one implementation for both backends,
//! scoped to the transaction's agency like every record table.

use chrono::{DateTime, Utc};
use sqlx::types::Json;

use crate::backend_rows::seq_from;
use crate::error::{Result, StoreError};
use crate::model::Role;
use crate::review_item::{OverrideRecord, SecrecyEntry, SecrecyRecord};

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
        }
    };
}

impl_item_review_conn!(sqlx::Sqlite);
impl_item_review_conn!(sqlx::Postgres);
