//! The report checker's uploads and their hand corrections (tables `check_uploads` and
//! `check_corrections`, migration 0007), so that a restart keeps them.
//!
//! Each upload belongs to the agency of the store that wrote it (the signed-in user's
//! agency; the root agency for visitors): every read and correction goes through the
//! store's agency, so an upload of one agency is "not found" in another, and on PostgreSQL
//! the row-level security of migration 0021 is the second wall. The retention purge and
//! the usage quotas are platform-wide.
//!
//! The store treats the report as opaque JSON text (the server reads and checks it; this
//! crate does not depend on the reader). Every upload and every correction is written in
//! one transaction with its audit row (`check.upload`, `check.correct`); the actor is the
//! user's login name or, for an anonymous visitor, `visitor:` and the first 8 characters of
//! the owner's hash (the audit log's `actor` is free text without a reference to `users`;
//! the full visitor key is an ownership credential and stays out of the log). Uploads
//! older than the retention are deleted with their corrections ([`Store::purge_check_uploads`],
//! one audit row `check.purge` with the count).

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::backend::Conn;
use crate::error::{Result, StoreError};
use crate::{Stamp, Store};

/// One uploaded file as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckUpload {
    /// Random, unguessable.
    pub id: String,
    /// The files uploaded together share it.
    pub batch: String,
    /// `visitor:<hash>` or `user:NAME`.
    pub owner: String,
    /// The client's address (`-` when unknown).
    pub client: String,
    /// The file name as given (cleaned by the server).
    pub name: String,
    pub size: u64,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
    /// The report as read (JSON), or why the file could not be read.
    pub report: std::result::Result<String, String>,
    /// What the lists show: the report's title, its format (`2021`, `2019`, empty when
    /// unreadable), the findings' counts after the corrections.
    pub title: String,
    pub format: String,
    pub errors: u32,
    pub warnings: u32,
}

/// One cell corrected by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckCorrection {
    /// 1, 2, … in the order made.
    pub seq: u32,
    pub cell: String,
    /// Decimal text; `None`: blank.
    pub old: Option<String>,
    pub new: Option<String>,
    /// As shown in the history (a user's name and role, or `访客`).
    pub who: String,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

/// How much is stored: files and the sum of their sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CheckUsage {
    pub files: u64,
    pub bytes: u64,
}

const UPLOAD_COLUMNS: &str = "id, batch, owner, client, name, size, sha256, uploaded_at, \
                              report, error, title, format, errors, warnings";
/// The same without the report's text (an empty one for a readable file).
const LIST_COLUMNS: &str = "id, batch, owner, client, name, size, sha256, uploaded_at, \
                            CASE WHEN report IS NULL THEN NULL ELSE '' END, error, title, \
                            format, errors, warnings";

type UploadRow = (
    String,
    String,
    String,
    String,
    String,
    i64,
    String,
    DateTime<Utc>,
    Option<String>,
    Option<String>,
    String,
    String,
    i64,
    i64,
);

fn upload_from(r: UploadRow) -> Result<CheckUpload> {
    let (id, batch, owner, client, name, size, sha256, uploaded_at, report, error) =
        (r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9);
    let corrupt = |detail: &str| StoreError::Corrupt {
        what: format!("上传的报告 {id}"),
        detail: detail.to_string(),
    };
    let report = match (report, error) {
        (Some(r), None) => Ok(r),
        (None, Some(e)) => Err(e),
        _ => return Err(corrupt("报告与读取错误应有且只有一项")),
    };
    Ok(CheckUpload {
        size: u64::try_from(size).map_err(|_| corrupt("大小为负"))?,
        errors: u32::try_from(r.12).map_err(|_| corrupt("错误数超出范围"))?,
        warnings: u32::try_from(r.13).map_err(|_| corrupt("警告数超出范围"))?,
        id,
        batch,
        owner,
        client,
        name,
        sha256,
        uploaded_at,
        report,
        title: r.10,
        format: r.11,
    })
}

type CorrectionRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    String,
    DateTime<Utc>,
    Option<String>,
);

fn correction_from(r: CorrectionRow) -> Result<CheckCorrection> {
    let (seq, cell, old, new, who, at, note) = r;
    Ok(CheckCorrection {
        seq: u32::try_from(seq).map_err(|_| StoreError::Corrupt {
            what: "报告的更正".into(),
            detail: format!("序号 {seq} 超出范围"),
        })?,
        cell,
        old,
        new,
        who,
        at,
        note,
    })
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The SQL of these tables, once for both backends (as in `backend`).
pub(crate) trait CheckConn: Conn {
    async fn insert_check_upload(&mut self, u: &CheckUpload) -> Result<()>;
    async fn check_uploads_where(
        &mut self,
        with_reports: bool,
        clause: &'static str,
        arg: &str,
        limit: i64,
    ) -> Result<Vec<CheckUpload>>;
    async fn check_corrections(&mut self, id: &str) -> Result<Vec<CheckCorrection>>;
    async fn check_upload_version(&mut self, id: &str) -> Result<Option<u32>>;
    async fn insert_check_correction(&mut self, id: &str, c: &CheckCorrection) -> Result<()>;
    async fn set_check_counts(&mut self, id: &str, errors: u32, warnings: u32) -> Result<u64>;
    async fn check_usage(
        &mut self,
        owner: Option<&str>,
        since: DateTime<Utc>,
    ) -> Result<CheckUsage>;
    async fn delete_check_uploads_before(&mut self, before: DateTime<Utc>) -> Result<u64>;
    async fn insert_check_crops(&mut self, id: &str, crops: &[(String, Vec<u8>)]) -> Result<()>;
    async fn check_crops(&mut self, id: &str) -> Result<Vec<(String, Vec<u8>)>>;
}

macro_rules! impl_check_conn {
    ($db:ty) => {
        impl CheckConn for crate::Tx<'_, $db> {
            async fn insert_check_upload(&mut self, u: &CheckUpload) -> Result<()> {
                let (report, error) = match &u.report {
                    Ok(r) => (Some(r.as_str()), None),
                    Err(e) => (None, Some(e.as_str())),
                };
                sqlx::query(
                    "INSERT INTO check_uploads (id, batch, owner, client, name, size, sha256, \
                     uploaded_at, report, error, title, format, errors, warnings, agency_id) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                )
                .bind(&u.id)
                .bind(&u.batch)
                .bind(&u.owner)
                .bind(&u.client)
                .bind(&u.name)
                .bind(to_i64(u.size))
                .bind(&u.sha256)
                .bind(u.uploaded_at)
                .bind(report)
                .bind(error)
                .bind(&u.title)
                .bind(&u.format)
                .bind(i64::from(u.errors))
                .bind(i64::from(u.warnings))
                .bind(self.agency)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn check_uploads_where(
                &mut self,
                with_reports: bool,
                clause: &'static str,
                arg: &str,
                limit: i64,
            ) -> Result<Vec<CheckUpload>> {
                let columns = if with_reports {
                    UPLOAD_COLUMNS
                } else {
                    LIST_COLUMNS
                };
                let sql = format!(
                    "SELECT {columns} FROM check_uploads WHERE agency_id = $3 AND {clause} \
                     LIMIT $2"
                );
                // Columns and clause are constants of this file; the values are bound.
                let rows: Vec<UploadRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(arg)
                    .bind(limit)
                    .bind(self.agency)
                    .fetch_all(&mut *self.t)
                    .await?;
                rows.into_iter().map(upload_from).collect()
            }

            async fn check_corrections(&mut self, id: &str) -> Result<Vec<CheckCorrection>> {
                let rows: Vec<CorrectionRow> = sqlx::query_as(
                    "SELECT seq, cell, old_value, new_value, who, at, note \
                     FROM check_corrections WHERE upload_id = $1 AND agency_id = $2 \
                     ORDER BY seq",
                )
                .bind(id)
                .bind(self.agency)
                .fetch_all(&mut *self.t)
                .await?;
                rows.into_iter().map(correction_from).collect()
            }

            async fn check_upload_version(&mut self, id: &str) -> Result<Option<u32>> {
                let v: Option<i64> = sqlx::query_scalar(
                    "SELECT (SELECT COALESCE(MAX(seq), 0) FROM check_corrections \
                     WHERE upload_id = $1) FROM check_uploads WHERE id = $1 AND agency_id = $2",
                )
                .bind(id)
                .bind(self.agency)
                .fetch_optional(&mut *self.t)
                .await?;
                Ok(v.map(|v| u32::try_from(v).unwrap_or(u32::MAX)))
            }

            async fn insert_check_correction(
                &mut self,
                id: &str,
                c: &CheckCorrection,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO check_corrections \
                     (upload_id, seq, cell, old_value, new_value, who, at, note, agency_id) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(id)
                .bind(i64::from(c.seq))
                .bind(&c.cell)
                .bind(&c.old)
                .bind(&c.new)
                .bind(&c.who)
                .bind(c.at)
                .bind(&c.note)
                .bind(self.agency)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn set_check_counts(
                &mut self,
                id: &str,
                errors: u32,
                warnings: u32,
            ) -> Result<u64> {
                let done = sqlx::query(
                    "UPDATE check_uploads SET errors = $2, warnings = $3 \
                     WHERE id = $1 AND agency_id = $4",
                )
                .bind(id)
                .bind(i64::from(errors))
                .bind(i64::from(warnings))
                .bind(self.agency)
                .execute(&mut *self.t)
                .await?;
                Ok(done.rows_affected())
            }

            async fn check_usage(
                &mut self,
                owner: Option<&str>,
                since: DateTime<Utc>,
            ) -> Result<CheckUsage> {
                self.see_every_agency().await?;
                let (files, bytes): (i64, Option<i64>) = match owner {
                    Some(o) => {
                        sqlx::query_as(
                            "SELECT COUNT(*), CAST(SUM(size) AS BIGINT) FROM check_uploads \
                             WHERE owner = $1 AND uploaded_at >= $2",
                        )
                        .bind(o)
                        .bind(since)
                        .fetch_one(&mut *self.t)
                        .await?
                    }
                    None => {
                        sqlx::query_as(
                            "SELECT COUNT(*), CAST(SUM(size) AS BIGINT) FROM check_uploads \
                             WHERE uploaded_at >= $1",
                        )
                        .bind(since)
                        .fetch_one(&mut *self.t)
                        .await?
                    }
                };
                Ok(CheckUsage {
                    files: u64::try_from(files).unwrap_or(0),
                    bytes: u64::try_from(bytes.unwrap_or(0)).unwrap_or(0),
                })
            }

            async fn delete_check_uploads_before(&mut self, before: DateTime<Utc>) -> Result<u64> {
                self.see_every_agency().await?;
                // Corrections and cell images first: SQLite enforces the cascade only with
                // foreign keys on.
                for table in ["check_corrections", "check_crops"] {
                    let sql = format!(
                        "DELETE FROM {table} WHERE upload_id IN \
                         (SELECT id FROM check_uploads WHERE uploaded_at < $1)"
                    );
                    // The table names are the two constants above; the value is bound.
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(before)
                        .execute(&mut *self.t)
                        .await?;
                }
                let done = sqlx::query("DELETE FROM check_uploads WHERE uploaded_at < $1")
                    .bind(before)
                    .execute(&mut *self.t)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn insert_check_crops(
                &mut self,
                id: &str,
                crops: &[(String, Vec<u8>)],
            ) -> Result<()> {
                for (cell, png) in crops {
                    sqlx::query(
                        "INSERT INTO check_crops (upload_id, cell, png, agency_id) \
                         VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (upload_id, cell) DO UPDATE SET png = excluded.png",
                    )
                    .bind(id)
                    .bind(cell)
                    .bind(png.as_slice())
                    .bind(self.agency)
                    .execute(&mut *self.t)
                    .await?;
                }
                Ok(())
            }

            async fn check_crops(&mut self, id: &str) -> Result<Vec<(String, Vec<u8>)>> {
                Ok(sqlx::query_as(
                    "SELECT cell, png FROM check_crops WHERE upload_id = $1 AND agency_id = $2 \
                     ORDER BY cell",
                )
                .bind(id)
                .bind(self.agency)
                .fetch_all(&mut *self.t)
                .await?)
            }
        }
    };
}

impl_check_conn!(sqlx::Sqlite);
impl_check_conn!(sqlx::Postgres);

/// Platform-wide work on the uploads (the retention purge, the usage quotas) sees every
/// agency's rows: on PostgreSQL the transaction's `app.agency_ids` names them all, so the
/// row-level security (migration 0021) lets a non-owner role through; SQLite has no wall.
trait EveryAgency {
    async fn see_every_agency(&mut self) -> Result<()>;
}

impl EveryAgency for crate::Tx<'_, sqlx::Sqlite> {
    async fn see_every_agency(&mut self) -> Result<()> {
        Ok(())
    }
}

impl EveryAgency for crate::Tx<'_, sqlx::Postgres> {
    async fn see_every_agency(&mut self) -> Result<()> {
        sqlx::query(
            "SELECT set_config('app.agency_ids', \
             (SELECT COALESCE(string_agg(id::TEXT, ','), '') FROM agencies), true)",
        )
        .execute(&mut *self.t)
        .await?;
        Ok(())
    }
}

/// The audit actor of an upload's owner: the user's login name, or `visitor:` and the
/// first 8 characters of the visitor's key.
pub fn audit_actor(owner: &str) -> String {
    match owner.strip_prefix("user:") {
        Some(name) => name.to_string(),
        None => {
            let key = owner.strip_prefix("visitor:").unwrap_or(owner);
            format!("visitor:{}", key.chars().take(8).collect::<String>())
        }
    }
}

async fn insert<C: CheckConn>(c: &mut C, uploads: &[CheckUpload]) -> Result<()> {
    for u in uploads {
        c.insert_check_upload(u).await?;
        c.insert_audit(
            &Stamp::new(audit_actor(&u.owner), u.uploaded_at).client(u.client.as_str()),
            "check.upload",
            "check_upload",
            &u.id,
            &json!({
                "client": u.client,
                "batch": u.batch,
                "name": u.name,
                "size": u.size,
                "sha256": u.sha256,
                "readable": u.report.is_ok(),
                "errors": u.errors,
                "warnings": u.warnings,
            }),
        )
        .await?;
    }
    Ok(())
}

async fn load<C: CheckConn>(
    c: &mut C,
    clause: &'static str,
    arg: &str,
    limit: i64,
) -> Result<Vec<(CheckUpload, Vec<CheckCorrection>)>> {
    let uploads = c.check_uploads_where(true, clause, arg, limit).await?;
    let mut out = Vec::with_capacity(uploads.len());
    for u in uploads {
        let corrections = c.check_corrections(&u.id).await?;
        out.push((u, corrections));
    }
    Ok(out)
}

/// A correction to write: the upload, the correction (its `seq` is given here), the
/// counts after it, who made it (owner key) and from where.
struct NewCorrection<'a> {
    id: &'a str,
    correction: CheckCorrection,
    errors: u32,
    warnings: u32,
    owner: &'a str,
    client: &'a str,
}

async fn correct<C: CheckConn>(c: &mut C, n: NewCorrection<'_>) -> Result<CheckCorrection> {
    // The upload's row first: on PostgreSQL the update locks it until commit, so a
    // correction of the same report by another process waits, and the next statement
    // (READ COMMITTED) sees its row and numbers after it.
    if c.set_check_counts(n.id, n.errors, n.warnings).await? == 0 {
        return Err(StoreError::NotFound {
            what: "上传的报告",
            id: n.id.to_string(),
        });
    }
    let before = c.check_corrections(n.id).await?;
    let correction = CheckCorrection {
        seq: before.last().map_or(1, |k| k.seq + 1),
        ..n.correction
    };
    c.insert_check_correction(n.id, &correction).await?;
    c.insert_audit(
        &Stamp::new(audit_actor(n.owner), correction.at).client(n.client),
        "check.correct",
        "check_upload",
        n.id,
        &json!({
            "client": n.client,
            "seq": correction.seq,
            "cell": correction.cell,
            "old": correction.old,
            "new": correction.new,
            "note": correction.note,
            "errors": n.errors,
            "warnings": n.warnings,
        }),
    )
    .await?;
    Ok(correction)
}

async fn purge<C: CheckConn>(c: &mut C, before: DateTime<Utc>, now: DateTime<Utc>) -> Result<u64> {
    let n = c.delete_check_uploads_before(before).await?;
    if n > 0 {
        c.insert_audit(
            &Stamp::new("system", now),
            "check.purge",
            "check_upload",
            "*",
            &json!({ "deleted": n, "uploaded_before": before }),
        )
        .await?;
    }
    Ok(n)
}

impl Store {
    /// Keeps new uploads, each with its audit row (`check.upload`), in one transaction.
    pub async fn insert_check_uploads(&self, uploads: &[CheckUpload]) -> Result<()> {
        tx!(self, write, |t| insert(t, uploads))
    }

    /// One upload with its corrections (oldest first).
    pub async fn check_upload(
        &self,
        id: &str,
    ) -> Result<Option<(CheckUpload, Vec<CheckCorrection>)>> {
        let mut found = tx!(self, read, |t| load(t, "id = $1", id, 1))?;
        Ok(found.pop())
    }

    /// The version of upload `id`: the number of its last correction (0: none), `None`
    /// when it is gone. One indexed lookup: a server process compares it with the copy it
    /// caches, so a correction made by another process is never shown stale.
    pub async fn check_upload_version(&self, id: &str) -> Result<Option<u32>> {
        tx!(self, read, |t| t.check_upload_version(id))
    }

    /// The uploads of a batch, in upload order, with their corrections.
    pub async fn check_batch(
        &self,
        batch: &str,
        limit: usize,
    ) -> Result<Vec<(CheckUpload, Vec<CheckCorrection>)>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        tx!(self, read, |t| load(
            t,
            "batch = $1 ORDER BY uploaded_at, id",
            batch,
            limit
        ))
    }

    /// The list of a batch, in upload order, without the reports (`report` is `Ok("")`
    /// for a readable one).
    pub async fn check_batch_list(&self, batch: &str, limit: usize) -> Result<Vec<CheckUpload>> {
        self.listing("batch = $1 ORDER BY uploaded_at, id", batch, limit)
            .await
    }

    /// The owner's uploads, newest first, at most `limit`, without the reports (`report`
    /// is `Ok("")` for a readable one): what the upload list shows.
    pub async fn check_uploads_of(&self, owner: &str, limit: usize) -> Result<Vec<CheckUpload>> {
        self.listing("owner = $1 ORDER BY uploaded_at DESC, id", owner, limit)
            .await
    }

    async fn listing(
        &self,
        clause: &'static str,
        arg: &str,
        limit: usize,
    ) -> Result<Vec<CheckUpload>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        tx!(self, read, |t| t
            .check_uploads_where(false, clause, arg, limit))
    }

    /// Records a correction of upload `id` (its `seq` is assigned here) with the findings'
    /// counts after it, audited (`check.correct`) with the acting owner and client address.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_check_correction(
        &self,
        id: &str,
        correction: CheckCorrection,
        errors: u32,
        warnings: u32,
        owner: &str,
        client: &str,
    ) -> Result<CheckCorrection> {
        let n = NewCorrection {
            id,
            correction,
            errors,
            warnings,
            owner,
            client,
        };
        tx!(self, write, |t| correct(t, n))
    }

    /// Audits a check through the API (`check.api`; the report is not kept): the caller's
    /// owner key, client address, the body's size and SHA-256, whether it could be read.
    pub async fn audit_check_api(
        &self,
        owner: &str,
        client: &str,
        size: u64,
        sha256: &str,
        readable: bool,
    ) -> Result<()> {
        let detail = json!({
            "client": client,
            "size": size,
            "sha256": sha256,
            "readable": readable,
        });
        let stamp = Stamp::new(audit_actor(owner), Utc::now()).client(client);
        tx!(self, write, |t| t.insert_audit(
            &stamp,
            "check.api",
            "check_api",
            sha256,
            &detail
        ))
    }

    /// Files and bytes uploaded since `since`, by one owner or (`None`) by everyone.
    pub async fn check_usage(
        &self,
        owner: Option<&str>,
        since: DateTime<Utc>,
    ) -> Result<CheckUsage> {
        tx!(self, read, |t| t.check_usage(owner, since))
    }

    /// Keeps the images of upload `id`'s uncertain cells (cell id → grey PNG): cut from
    /// a scan while the file was read, right after the upload was kept (its audit row,
    /// `check.upload`, covers them: they are the file's own pixels, not a new record).
    /// An image kept again for the same cell replaces the old one.
    pub async fn put_check_crops(&self, id: &str, crops: &[(String, Vec<u8>)]) -> Result<()> {
        tx!(self, write, |t| t.insert_check_crops(id, crops))
    }

    /// The images kept of upload `id`'s cells, in cell id order.
    pub async fn check_crops(&self, id: &str) -> Result<Vec<(String, Vec<u8>)>> {
        tx!(self, read, |t| t.check_crops(id))
    }

    /// Deletes the uploads older than `before` with their corrections and cell images;
    /// the count.
    pub async fn purge_check_uploads(
        &self,
        before: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        tx!(self, write, |t| purge(t, before, now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visitors_are_audited_by_a_short_prefix_users_by_name() {
        assert_eq!(audit_actor("user:li"), "li");
        assert_eq!(audit_actor("visitor:0123456789abcdef"), "visitor:01234567");
    }
}
