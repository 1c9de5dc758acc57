//! The storage primitives, one trait implemented by a transaction of each backend.
//!
//! Both schemas (`migrations/sqlite`, `migrations/postgres`) have the same tables and
//! columns, and the queries below are written once in SQL both accept (`$1` parameters,
//! `RETURNING`, `ON CONFLICT`), with JSON bound through `sqlx::types::Json` (TEXT on SQLite,
//! JSONB on PostgreSQL) and times through chrono. The macro `impl_conn!` stamps the same
//! implementation out for `Transaction<Sqlite>` and `Transaction<Postgres>`; the only
//! difference is how an application is locked for an append (`FOR UPDATE` on PostgreSQL;
//! on SQLite a write transaction is `BEGIN IMMEDIATE`, which already excludes other writers).
//!
//! Everything the ledger decides is in `ops`; this layer only reads and writes rows.

mod accounts;
pub(crate) mod rows;

use chrono::{DateTime, Utc};
use gongkai_ledger::Event;
use gongkai_ledger::{AppealCase, Application, ProactiveRecord};
use sqlx::types::Json;

use crate::error::Result;
use crate::list::like_escape;
use crate::model::{AuditEntry, AuditQuery, LetterTemplate, ReviewStep, Stamp};
pub(crate) use accounts::{AccountConn, UserRow};
use rows::*;

/// One review step with its subject as stored.
pub(crate) struct StoredStep {
    pub subject_kind: String,
    pub subject_id: String,
    pub step: ReviewStep,
}

/// The primitives of one transaction. Not public: callers use [`crate::Store`].
pub(crate) trait Conn:
    crate::agencies::AgencyConn
    + accounts::AccountConn
    + crate::mail::MailConn
    + crate::online_files::OnlineFileConn
    + Send
{
    async fn meta(&mut self, key: &str) -> Result<Option<String>>;
    async fn set_meta(&mut self, key: &str, value: &str) -> Result<()>;
    /// Sets `key` only if it has no value yet (several processes starting at once agree).
    async fn insert_meta_absent(&mut self, key: &str, value: &str) -> Result<()>;

    /// True if the application exists; on PostgreSQL its row stays locked until commit.
    async fn lock_application(&mut self, id: &str) -> Result<bool>;
    /// Serialises the writes of this agency that number something from what is stored
    /// (`YYYY-NNNN` ids, review steps, template and narrative versions) until the
    /// transaction ends: on PostgreSQL a transaction-level advisory lock keyed by the
    /// agency (two connections — or two server processes — read the same largest number
    /// under READ COMMITTED otherwise, and the second insert fails); on SQLite nothing, a
    /// write transaction (`BEGIN IMMEDIATE`) already excludes every other writer.
    async fn lock_numbering(&mut self) -> Result<()>;
    /// Serialises the writes of one key (e.g. a sign-in throttle's `user:NAME`) until the
    /// transaction ends: on PostgreSQL an advisory lock on the key's hash, so that two
    /// processes counting a failure of the same account at once count two, not one; on
    /// SQLite nothing (one writer at a time).
    async fn lock_key(&mut self, key: &str) -> Result<()>;
    /// The application without its events.
    async fn application(&mut self, id: &str) -> Result<Option<Application>>;
    async fn applications_of_applicant(&mut self, key: &str) -> Result<Vec<Application>>;
    async fn all_applications(&mut self) -> Result<Vec<Application>>;
    /// A page of the list, with the events of its applications (`crate::list`).
    async fn list_applications(
        &mut self,
        q: &crate::list::ApplicationQuery,
    ) -> Result<crate::list::ApplicationPage>;
    async fn application_ids_with_prefix(&mut self, prefix: &str) -> Result<Vec<String>>;
    async fn insert_application(
        &mut self,
        app: &Application,
        at: DateTime<Utc>,
        by: &str,
    ) -> Result<()>;
    /// Sets the query columns (applicant type, name, key) to the corrected values; `data`
    /// keeps the application as registered (the log has the corrections).
    async fn update_application_index(&mut self, app: &Application) -> Result<()>;
    async fn events(&mut self, id: &str) -> Result<Vec<Event>>;
    /// Every event, ordered by application id and seq.
    async fn all_events(&mut self) -> Result<Vec<(String, Event)>>;
    async fn insert_event(&mut self, id: &str, e: &Event) -> Result<()>;

    async fn appeal(&mut self, id: &str) -> Result<Option<AppealCase>>;
    async fn all_appeals(&mut self) -> Result<Vec<AppealCase>>;
    async fn insert_appeal(&mut self, case: &AppealCase, at: DateTime<Utc>) -> Result<()>;
    async fn update_appeal(&mut self, case: &AppealCase, at: DateTime<Utc>) -> Result<()>;

    async fn proactive(&mut self, id: &str) -> Result<Option<ProactiveRecord>>;
    async fn all_proactive(&mut self) -> Result<Vec<ProactiveRecord>>;
    async fn insert_proactive(&mut self, r: &ProactiveRecord, at: DateTime<Utc>) -> Result<()>;
    async fn update_proactive(&mut self, r: &ProactiveRecord, at: DateTime<Utc>) -> Result<()>;

    async fn review_steps(&mut self, kind: &str, id: &str) -> Result<Vec<ReviewStep>>;
    async fn all_review_steps(&mut self) -> Result<Vec<StoredStep>>;
    /// The subjects of one kind that have at least one review step.
    async fn reviewed_subjects(&mut self, kind: &str) -> Result<Vec<String>>;
    async fn insert_review_step(&mut self, kind: &str, id: &str, s: &ReviewStep) -> Result<()>;

    async fn template(&mut self, key: &str) -> Result<Option<LetterTemplate>>;
    async fn templates(&mut self) -> Result<Vec<LetterTemplate>>;
    async fn upsert_template(&mut self, t: &LetterTemplate) -> Result<()>;

    /// One audit row: who and when (and the client, channel and OS user) from the stamp.
    async fn insert_audit(
        &mut self,
        stamp: &Stamp,
        action: &str,
        subject_kind: &str,
        subject_id: &str,
        detail: &serde_json::Value,
    ) -> Result<()>;
    async fn audit(&mut self, q: &AuditQuery) -> Result<Vec<AuditEntry>>;
}

/// The advisory lock key of an agency's numbering: `gk` in the high bytes, the agency id
/// in the low ones (no other advisory lock of this program shares the range; sqlx's
/// migrator uses its own key).
const NUMBERING_LOCK: i64 = 0x676b_0000_0000_0000;

/// Binds a list query's parameters in order.
macro_rules! bind_all {
    ($q:expr, $params:expr) => {{
        let mut q = $q;
        for p in $params {
            q = match p {
                crate::list::Param::Text(t) => q.bind(t.clone()),
                crate::list::Param::Date(d) => q.bind(*d),
                crate::list::Param::Int(i) => q.bind(*i),
            };
        }
        q
    }};
}

macro_rules! impl_conn {
    (
        $db:ty,
        lock = $lock:literal,
        numbering = $numbering:literal,
        key_lock = $key_lock:literal,
        description = $description:literal
    ) => {
        impl Conn for crate::Tx<'_, $db> {
            async fn meta(&mut self, key: &str) -> Result<Option<String>> {
                Ok(sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
                    .bind(key)
                    .fetch_optional(&mut *self.t)
                    .await?)
            }

            async fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
                sqlx::query(
                    "INSERT INTO meta (key, value) VALUES ($1, $2) \
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                )
                .bind(key)
                .bind(value)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn insert_meta_absent(&mut self, key: &str, value: &str) -> Result<()> {
                sqlx::query(
                    "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
                )
                .bind(key)
                .bind(value)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn lock_application(&mut self, id: &str) -> Result<bool> {
                let row: Option<String> = sqlx::query_scalar($lock)
                    .bind(id)
                    .bind(self.agency)
                    .fetch_optional(&mut *self.t)
                    .await?;
                Ok(row.is_some())
            }

            async fn lock_numbering(&mut self) -> Result<()> {
                if !$numbering.is_empty() {
                    sqlx::query($numbering)
                        .bind(NUMBERING_LOCK | self.agency)
                        .execute(&mut *self.t)
                        .await?;
                }
                Ok(())
            }

            async fn lock_key(&mut self, key: &str) -> Result<()> {
                if !$key_lock.is_empty() {
                    sqlx::query($key_lock)
                        .bind(key)
                        .execute(&mut *self.t)
                        .await?;
                }
                Ok(())
            }

            async fn application(&mut self, id: &str) -> Result<Option<Application>> {
                let row: Option<Json<Application>> =
                    sqlx::query_scalar("SELECT data FROM applications WHERE id = $1 AND agency_id = $2")
                        .bind(id)
                        .bind(self.agency)
                        .fetch_optional(&mut *self.t)
                        .await?;
                Ok(row.map(|j| j.0))
            }

            async fn applications_of_applicant(&mut self, key: &str) -> Result<Vec<Application>> {
                let rows: Vec<Json<Application>> = sqlx::query_scalar(
                    "SELECT data FROM applications WHERE applicant_key = $1 AND agency_id = $2 \
                     ORDER BY id",
                )
                .bind(key)
                .bind(self.agency)
                .fetch_all(&mut *self.t)
                .await?;
                Ok(rows.into_iter().map(|j| j.0).collect())
            }

            async fn all_applications(&mut self) -> Result<Vec<Application>> {
                let rows: Vec<Json<Application>> =
                    sqlx::query_scalar("SELECT data FROM applications WHERE agency_id = $1 ORDER BY id")
                        .bind(self.agency)
                        .fetch_all(&mut *self.t)
                        .await?;
                Ok(rows.into_iter().map(|j| j.0).collect())
            }

            async fn list_applications(
                &mut self,
                q: &crate::list::ApplicationQuery,
            ) -> Result<crate::list::ApplicationPage> {
                let (count, rows, events, params) = crate::list::sql(q, $description, self.agency);
                // The SQL is built from fixed fragments only; every value is bound.
                let total: i64 = bind_all!(
                    sqlx::query_scalar::<$db, i64>(sqlx::AssertSqlSafe(count)),
                    &params
                )
                .fetch_one(&mut *self.t)
                .await?;
                let apps: Vec<Json<Application>> = bind_all!(
                    sqlx::query_scalar::<$db, Json<Application>>(sqlx::AssertSqlSafe(rows)),
                    &params
                )
                .fetch_all(&mut *self.t)
                .await?;
                let evs: Vec<(String, i64, Json<Event>)> = bind_all!(
                    sqlx::query_as::<$db, (String, i64, Json<Event>)>(sqlx::AssertSqlSafe(events)),
                    &params
                )
                .fetch_all(&mut *self.t)
                .await?;
                let mut by_app: std::collections::HashMap<String, Vec<Event>> =
                    std::collections::HashMap::new();
                for (app, seq, e) in evs {
                    let e = event_from(&app, seq, e)?;
                    by_app.entry(app).or_default().push(e);
                }
                let applications = apps
                    .into_iter()
                    .map(|Json(mut a)| {
                        a.events = by_app.remove(&a.id.0).unwrap_or_default();
                        a
                    })
                    .collect();
                Ok(crate::list::ApplicationPage {
                    total: u64::try_from(total).unwrap_or(0),
                    applications,
                })
            }

            async fn application_ids_with_prefix(&mut self, prefix: &str) -> Result<Vec<String>> {
                let pattern = format!("{}%", like_escape(prefix));
                let ids: Vec<String> = sqlx::query_scalar(
                    "SELECT id FROM applications WHERE id LIKE $1 ESCAPE '\\' AND agency_id = $2",
                )
                .bind(pattern)
                .bind(self.agency)
                .fetch_all(&mut *self.t)
                .await?;
                // LIKE is case-insensitive on SQLite: keep exact prefixes only.
                Ok(ids.into_iter().filter(|id| id.starts_with(prefix)).collect())
            }

            async fn insert_application(
                &mut self,
                app: &Application,
                at: DateTime<Utc>,
                by: &str,
            ) -> Result<()> {
                let bare = Application {
                    events: Vec::new(),
                    ..app.clone()
                };
                sqlx::query(
                    "INSERT INTO applications \
                     (id, applicant_kind, applicant_name, applicant_key, data, created_at, created_by, \
                     agency_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(&app.id.0)
                .bind(app.applicant.kind.column_key())
                .bind(&app.applicant.name)
                .bind(app.applicant.key())
                .bind(Json(&bare))
                .bind(at)
                .bind(by)
                .bind(self.agency)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn update_application_index(&mut self, app: &Application) -> Result<()> {
                sqlx::query(
                    "UPDATE applications SET applicant_kind = $2, applicant_name = $3, \
                     applicant_key = $4 WHERE id = $1 AND agency_id = $5",
                )
                .bind(&app.id.0)
                .bind(app.applicant.kind.column_key())
                .bind(&app.applicant.name)
                .bind(app.applicant.key())
                .bind(self.agency)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn events(&mut self, id: &str) -> Result<Vec<Event>> {
                let rows: Vec<(i64, Json<Event>)> = sqlx::query_as(
                    "SELECT seq, data FROM events WHERE application_id = $1 AND agency_id = $2 \
                     ORDER BY seq",
                )
                .bind(id)
                .bind(self.agency)
                .fetch_all(&mut *self.t)
                .await?;
                rows.into_iter()
                    .map(|(seq, e)| event_from(id, seq, e))
                    .collect()
            }

            async fn all_events(&mut self) -> Result<Vec<(String, Event)>> {
                let rows: Vec<(String, i64, Json<Event>)> = sqlx::query_as(
                    "SELECT application_id, seq, data FROM events WHERE agency_id = $1 \
                     ORDER BY application_id, seq",
                )
                .bind(self.agency)
                .fetch_all(&mut *self.t)
                .await?;
                rows.into_iter()
                    .map(|(app, seq, e)| event_from(&app, seq, e).map(|e| (app, e)))
                    .collect()
            }

            async fn insert_event(&mut self, id: &str, e: &Event) -> Result<()> {
                sqlx::query(
                    "INSERT INTO events \
                     (application_id, seq, event_type, event_date, decision, recorded_at, recorded_by, data, \
                     agency_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(id)
                .bind(i64::from(e.seq))
                .bind(event_type_of(e))
                .bind(e.date)
                .bind(decision_of(e))
                .bind(e.recorded_at)
                .bind(&e.recorded_by)
                .bind(Json(e))
                .bind(self.agency)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn appeal(&mut self, id: &str) -> Result<Option<AppealCase>> {
                let row: Option<Json<AppealCase>> =
                    sqlx::query_scalar("SELECT data FROM appeals WHERE id = $1 AND agency_id = $2")
                        .bind(id)
                        .bind(self.agency)
                        .fetch_optional(&mut *self.t)
                        .await?;
                Ok(row.map(|j| j.0))
            }

            async fn all_appeals(&mut self) -> Result<Vec<AppealCase>> {
                let rows: Vec<Json<AppealCase>> =
                    sqlx::query_scalar(
                    "SELECT data FROM appeals WHERE agency_id = $1 ORDER BY filed_on, id",
                )
                .bind(self.agency)
                .fetch_all(&mut *self.t)
                        .await?;
                Ok(rows.into_iter().map(|j| j.0).collect())
            }

            async fn insert_appeal(&mut self, c: &AppealCase, at: DateTime<Utc>) -> Result<()> {
                sqlx::query(
                    "INSERT INTO appeals \
                     (id, application_id, kind, filed_on, decided_on, data, recorded_at, recorded_by, updated_at, \
                     agency_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(&c.id)
                .bind(c.application.as_ref().map(|a| a.0.as_str()))
                .bind(appeal_kind(c))
                .bind(c.filed_on)
                .bind(decided_on(c))
                .bind(Json(c))
                .bind(c.recorded_at)
                .bind(&c.recorded_by)
                .bind(at)
                .bind(self.agency)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn update_appeal(&mut self, c: &AppealCase, at: DateTime<Utc>) -> Result<()> {
                sqlx::query(
                    "UPDATE appeals SET application_id = $2, kind = $3, filed_on = $4, \
                     decided_on = $5, data = $6, updated_at = $7 WHERE id = $1 AND agency_id = $8",
                )
                .bind(&c.id)
                .bind(c.application.as_ref().map(|a| a.0.as_str()))
                .bind(appeal_kind(c))
                .bind(c.filed_on)
                .bind(decided_on(c))
                .bind(Json(c))
                .bind(at)
                .bind(self.agency)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn proactive(&mut self, id: &str) -> Result<Option<ProactiveRecord>> {
                let row: Option<Json<ProactiveRecord>> =
                    sqlx::query_scalar(
                    "SELECT data FROM proactive_records WHERE id = $1 AND agency_id = $2",
                )
                .bind(id)
                .bind(self.agency)
                        .fetch_optional(&mut *self.t)
                        .await?;
                Ok(row.map(|j| j.0))
            }

            async fn all_proactive(&mut self) -> Result<Vec<ProactiveRecord>> {
                let rows: Vec<Json<ProactiveRecord>> =
                    sqlx::query_scalar(
                    "SELECT data FROM proactive_records WHERE agency_id = $1 ORDER BY id",
                )
                .bind(self.agency)
                .fetch_all(&mut *self.t)
                        .await?;
                Ok(rows.into_iter().map(|j| j.0).collect())
            }

            async fn insert_proactive(
                &mut self,
                r: &ProactiveRecord,
                at: DateTime<Utc>,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO proactive_records \
                     (id, record_type, data, recorded_at, recorded_by, updated_at, agency_id) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(&r.id)
                .bind(proactive_type(r))
                .bind(Json(r))
                .bind(r.recorded_at)
                .bind(&r.recorded_by)
                .bind(at)
                .bind(self.agency)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn update_proactive(
                &mut self,
                r: &ProactiveRecord,
                at: DateTime<Utc>,
            ) -> Result<()> {
                sqlx::query(
                    "UPDATE proactive_records SET record_type = $2, data = $3, updated_at = $4 \
                     WHERE id = $1 AND agency_id = $5",
                )
                .bind(&r.id)
                .bind(proactive_type(r))
                .bind(Json(r))
                .bind(at)
                .bind(self.agency)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn review_steps(&mut self, kind: &str, id: &str) -> Result<Vec<ReviewStep>> {
                let rows: Vec<StepTuple> = sqlx::query_as(
                    "SELECT subject_kind, subject_id, seq, action, actor, actor_role, at, note, snapshot \
                     FROM reviews WHERE subject_kind = $1 AND subject_id = $2 AND agency_id = $3 \
                     ORDER BY seq",
                )
                .bind(kind)
                .bind(id)
                .bind(self.agency)
                .fetch_all(&mut *self.t)
                .await?;
                rows.into_iter().map(|t| step_from(t).map(|s| s.step)).collect()
            }

            async fn all_review_steps(&mut self) -> Result<Vec<StoredStep>> {
                let rows: Vec<StepTuple> = sqlx::query_as(
                    "SELECT subject_kind, subject_id, seq, action, actor, actor_role, at, note, snapshot \
                     FROM reviews WHERE agency_id = $1 ORDER BY subject_kind, subject_id, seq",
                )
                .bind(self.agency)
                .fetch_all(&mut *self.t)
                .await?;
                rows.into_iter().map(step_from).collect()
            }

            async fn reviewed_subjects(&mut self, kind: &str) -> Result<Vec<String>> {
                Ok(sqlx::query_scalar(
                    "SELECT DISTINCT subject_id FROM reviews \
                     WHERE agency_id = $1 AND subject_kind = $2 ORDER BY subject_id",
                )
                .bind(self.agency)
                .bind(kind)
                .fetch_all(&mut *self.t)
                .await?)
            }

            async fn insert_review_step(
                &mut self,
                kind: &str,
                id: &str,
                s: &ReviewStep,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO reviews \
                     (subject_kind, subject_id, seq, action, actor, actor_role, at, note, snapshot, \
                     agency_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(kind)
                .bind(id)
                .bind(i64::from(s.seq))
                .bind(s.action.as_str())
                .bind(&s.actor)
                .bind(s.actor_role.as_str())
                .bind(s.at)
                .bind(&s.note)
                .bind(Json(&s.snapshot))
                .bind(self.agency)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn template(&mut self, key: &str) -> Result<Option<LetterTemplate>> {
                let row: Option<(String, String, String, DateTime<Utc>, String)> = sqlx::query_as(
                    "SELECT key, title, body, updated_at, updated_by FROM letter_templates \
                     WHERE key = $1 AND agency_id = $2",
                )
                .bind(key)
                .bind(self.agency)
                .fetch_optional(&mut *self.t)
                .await?;
                Ok(row.map(|(key, title, body, updated_at, updated_by)| LetterTemplate {
                    key,
                    title,
                    body,
                    updated_at,
                    updated_by,
                }))
            }

            async fn templates(&mut self) -> Result<Vec<LetterTemplate>> {
                let rows: Vec<(String, String, String, DateTime<Utc>, String)> = sqlx::query_as(
                    "SELECT key, title, body, updated_at, updated_by FROM letter_templates \
                     WHERE agency_id = $1 ORDER BY key",
                )
                .bind(self.agency)
                .fetch_all(&mut *self.t)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(key, title, body, updated_at, updated_by)| LetterTemplate {
                        key,
                        title,
                        body,
                        updated_at,
                        updated_by,
                    })
                    .collect())
            }

            async fn upsert_template(&mut self, t: &LetterTemplate) -> Result<()> {
                sqlx::query(
                    "INSERT INTO letter_templates (key, title, body, updated_at, updated_by, agency_id) \
                     VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (agency_id, key) DO UPDATE SET title = excluded.title, body = excluded.body, \
                     updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                )
                .bind(&t.key)
                .bind(&t.title)
                .bind(&t.body)
                .bind(t.updated_at)
                .bind(&t.updated_by)
                .bind(self.agency)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn insert_audit(
                &mut self,
                stamp: &Stamp,
                action: &str,
                subject_kind: &str,
                subject_id: &str,
                detail: &serde_json::Value,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO audit_log \
                     (at, actor, action, subject_kind, subject_id, detail, client, channel, os_user, \
                     agency_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(stamp.at)
                .bind(&stamp.user)
                .bind(action)
                .bind(subject_kind)
                .bind(subject_id)
                .bind(Json(detail))
                .bind(&stamp.client)
                .bind(&stamp.via)
                .bind(&stamp.os_user)
                .bind(self.agency)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn audit(&mut self, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
                let limit = i64::from(q.limit.unwrap_or(100));
                let offset = i64::from(q.offset.unwrap_or(0));
                let rows: Vec<AuditTuple> = sqlx::query_as(
                    "SELECT id, at, actor, action, subject_kind, subject_id, detail, \
                     client, channel, os_user FROM audit_log \
                     WHERE ($1 IS NULL OR subject_kind = $1) AND ($2 IS NULL OR subject_id = $2) \
                     AND ($3 IS NULL OR actor = $3) \
                     AND ($4 IS NULL OR action = $4 OR substr(action, 1, length($4) + 1) = $4 || '.') \
                     AND ($5 IS NULL OR at >= $5) AND ($6 IS NULL OR at < $6) AND agency_id = $9 \
                     ORDER BY id DESC LIMIT $7 OFFSET $8",
                )
                .bind(&q.subject_kind)
                .bind(&q.subject_id)
                .bind(&q.actor)
                .bind(&q.action)
                .bind(q.from)
                .bind(q.until)
                .bind(limit)
                .bind(offset)
                .bind(self.agency)
                .fetch_all(&mut *self.t)
                .await?;
                Ok(rows.into_iter().map(audit_from).collect())
            }
        }
    };
}

impl_conn!(
    sqlx::Sqlite,
    lock = "SELECT id FROM applications WHERE id = $1 AND agency_id = $2",
    numbering = "",
    key_lock = "",
    description = "json_extract(a.data, '$.request.description')"
);
impl_conn!(
    sqlx::Postgres,
    lock = "SELECT id FROM applications WHERE id = $1 AND agency_id = $2 FOR UPDATE",
    numbering = "SELECT pg_advisory_xact_lock($1)",
    key_lock = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
    description = "(a.data->'request'->>'description')"
);
