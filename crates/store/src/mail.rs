//! E-mail to online applicants (issue 17 §3, migration 0027): the office's SMTP server
//! ([`MailSettings`]) and the outbox of notices ([`MailNotice`]).
//!
//! A notice is written in the transaction that records its event (the receipt, a request
//! to correct, an extension, the reply) — only for an application submitted online whose
//! applicant gave an e-mail address, and only while the office has a mail server — and is
//! sent later, outside any transaction, by `gongkai serve` (`gongkai_service::portal::notify`).
//! A sender claims a notice before sending it ([`Store::claim_mail`]), so two processes on
//! one database never send it twice; a failure is recorded on the row and retried later.

use chrono::{DateTime, Utc};
use gongkai_ledger::{Application, Event, EventKind};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::agencies::AgencyId;
use crate::backend::Conn;
use crate::error::{Result, StoreError};
use crate::model::{Role, Stamp};
use crate::search_feed::SEE_EVERY_AGENCY;
use crate::{Pool, Store, ops};

/// How the connection to the mail server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MailSecurity {
    /// Plain SMTP (a relay on the office's own network).
    None,
    /// STARTTLS on the submission port (587), required.
    #[default]
    StartTls,
    /// Implicit TLS (SMTPS, port 465).
    Tls,
}

impl MailSecurity {
    pub fn as_str(self) -> &'static str {
        match self {
            MailSecurity::None => "none",
            MailSecurity::StartTls => "starttls",
            MailSecurity::Tls => "tls",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "none" => Some(MailSecurity::None),
            "starttls" => Some(MailSecurity::StartTls),
            "tls" => Some(MailSecurity::Tls),
            _ => None,
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            MailSecurity::None => "不加密",
            MailSecurity::StartTls => "STARTTLS",
            MailSecurity::Tls => "SSL/TLS",
        }
    }
}

/// The office's mail server. `password` is never shown back or logged ([`fmt::Debug`]
/// hides it).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct MailSettings {
    pub host: String,
    pub port: u16,
    pub security: MailSecurity,
    /// Empty: no sign-in.
    pub username: String,
    pub password: String,
    pub from_address: String,
    pub from_name: String,
}

impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &"<hidden>")
            .field("from_address", &self.from_address)
            .field("from_name", &self.from_name)
            .finish()
    }
}

/// What a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    Received,
    Correction,
    Extended,
    Replied,
}

impl NoticeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Received => "received",
            NoticeKind::Correction => "correction",
            NoticeKind::Extended => "extended",
            NoticeKind::Replied => "replied",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "received" => Some(NoticeKind::Received),
            "correction" => Some(NoticeKind::Correction),
            "extended" => Some(NoticeKind::Extended),
            "replied" => Some(NoticeKind::Replied),
            _ => None,
        }
    }

    /// The notice an event calls for, if any.
    pub fn of(kind: &EventKind) -> Option<Self> {
        match kind {
            EventKind::Received { .. } => Some(NoticeKind::Received),
            EventKind::CorrectionRequested { .. } => Some(NoticeKind::Correction),
            EventKind::Extended { .. } => Some(NoticeKind::Extended),
            EventKind::ReplySent { .. } => Some(NoticeKind::Replied),
            _ => None,
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            NoticeKind::Received => "收到申请",
            NoticeKind::Correction => "告知补正",
            NoticeKind::Extended => "延长答复期限",
            NoticeKind::Replied => "已答复",
        }
    }
}

/// One notice of the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MailNotice {
    pub id: i64,
    pub agency: AgencyId,
    pub application_id: String,
    pub event_seq: i64,
    pub kind: NoticeKind,
    pub recipient: String,
    pub created_at: DateTime<Utc>,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// Given up after too many failures.
    pub failed_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// The subject as sent.
    pub subject: Option<String>,
}

impl MailNotice {
    /// `已发送`, `发送失败（已停止重试）`, `待发送` or `待重试`.
    pub fn state_zh(&self) -> &'static str {
        if self.sent_at.is_some() {
            "已发送"
        } else if self.failed_at.is_some() {
            "发送失败（已停止重试）"
        } else if self.attempts > 0 {
            "待重试"
        } else {
            "待发送"
        }
    }
}

type NoticeRow = (
    i64,
    i64,
    String,
    i64,
    String,
    String,
    DateTime<Utc>,
    i32,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<String>,
    Option<String>,
);

const NOTICE_COLUMNS: &str = "id, agency_id, application_id, event_seq, kind, recipient, \
     created_at, attempts, next_attempt_at, sent_at, failed_at, last_error, subject";

fn notice(r: NoticeRow) -> MailNotice {
    MailNotice {
        id: r.0,
        agency: r.1,
        application_id: r.2,
        event_seq: r.3,
        kind: NoticeKind::parse(&r.4).unwrap_or(NoticeKind::Received),
        recipient: r.5,
        created_at: r.6,
        attempts: r.7,
        next_attempt_at: r.8,
        sent_at: r.9,
        failed_at: r.10,
        last_error: r.11,
        subject: r.12,
    }
}

type SettingsRow = (String, i32, String, String, String, String, String);

/// The rows read and written inside a transaction (a supertrait of `Conn`).
pub(crate) trait MailConn: Send {
    async fn mail_settings_row(&mut self) -> Result<Option<MailSettings>>;
    async fn put_mail_settings(&mut self, s: &MailSettings, stamp: &Stamp) -> Result<()>;
    async fn delete_mail_settings(&mut self) -> Result<()>;
    async fn is_online(&mut self, application: &str) -> Result<bool>;
    async fn insert_notice(
        &mut self,
        application: &str,
        event_seq: i64,
        kind: NoticeKind,
        recipient: &str,
        at: DateTime<Utc>,
    ) -> Result<()>;
}

macro_rules! impl_mail_conn {
    ($db:ty) => {
        impl MailConn for crate::Tx<'_, $db> {
            async fn mail_settings_row(&mut self) -> Result<Option<MailSettings>> {
                let row: Option<SettingsRow> = sqlx::query_as(
                    "SELECT host, port, security, username, password, from_address, from_name \
                     FROM mail_settings WHERE agency_id = $1",
                )
                .bind(self.agency)
                .fetch_optional(&mut *self.t)
                .await?;
                Ok(row.map(|r| MailSettings {
                    host: r.0,
                    port: u16::try_from(r.1).unwrap_or(25),
                    security: MailSecurity::parse(&r.2).unwrap_or_default(),
                    username: r.3,
                    password: r.4,
                    from_address: r.5,
                    from_name: r.6,
                }))
            }

            async fn put_mail_settings(&mut self, s: &MailSettings, stamp: &Stamp) -> Result<()> {
                sqlx::query(
                    "INSERT INTO mail_settings (agency_id, host, port, security, username, \
                     password, from_address, from_name, updated_at, updated_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                     ON CONFLICT (agency_id) DO UPDATE SET host = excluded.host, \
                     port = excluded.port, security = excluded.security, \
                     username = excluded.username, password = excluded.password, \
                     from_address = excluded.from_address, from_name = excluded.from_name, \
                     updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                )
                .bind(self.agency)
                .bind(&s.host)
                .bind(i32::from(s.port))
                .bind(s.security.as_str())
                .bind(&s.username)
                .bind(&s.password)
                .bind(&s.from_address)
                .bind(&s.from_name)
                .bind(stamp.at)
                .bind(&stamp.user)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn delete_mail_settings(&mut self) -> Result<()> {
                sqlx::query("DELETE FROM mail_settings WHERE agency_id = $1")
                    .bind(self.agency)
                    .execute(&mut *self.t)
                    .await?;
                Ok(())
            }

            async fn is_online(&mut self, application: &str) -> Result<bool> {
                let n: Option<String> = sqlx::query_scalar(
                    "SELECT application_id FROM online_applications \
                     WHERE agency_id = $1 AND application_id = $2",
                )
                .bind(self.agency)
                .bind(application)
                .fetch_optional(&mut *self.t)
                .await?;
                Ok(n.is_some())
            }

            async fn insert_notice(
                &mut self,
                application: &str,
                event_seq: i64,
                kind: NoticeKind,
                recipient: &str,
                at: DateTime<Utc>,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO mail_outbox (agency_id, application_id, event_seq, kind, \
                     recipient, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
                )
                .bind(self.agency)
                .bind(application)
                .bind(event_seq)
                .bind(kind.as_str())
                .bind(recipient)
                .bind(at)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }
        }
    };
}

impl_mail_conn!(sqlx::Sqlite);
impl_mail_conn!(sqlx::Postgres);

/// Writes the notice `event` of `app` calls for, in the event's transaction: only for an
/// application submitted online, with an e-mail address, while the office has a mail
/// server.
pub(crate) async fn enqueue<C: Conn>(
    c: &mut C,
    app: &Application,
    event: &Event,
    at: DateTime<Utc>,
) -> Result<()> {
    let Some(kind) = NoticeKind::of(&event.kind) else {
        return Ok(());
    };
    let Some(to) = app
        .applicant
        .contact
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    else {
        return Ok(());
    };
    if !c.is_online(&app.id.0).await? || c.mail_settings_row().await?.is_none() {
        return Ok(());
    }
    c.insert_notice(&app.id.0, i64::from(event.seq), kind, to, at)
        .await
}

impl Store {
    /// The agency's mail server, if it has one.
    pub async fn mail_settings(&self) -> Result<Option<MailSettings>> {
        tx!(self, read, |c| async { c.mail_settings_row().await })
    }

    /// Sets (or with `None` removes) the agency's mail server (管理员), audited as
    /// `mail.set` without the password (only whether it changed).
    pub async fn set_mail_settings(
        &self,
        settings: Option<&MailSettings>,
        stamp: &Stamp,
    ) -> Result<()> {
        tx!(self, write, |c| async {
            let me = ops::actor(c, stamp).await?;
            ops::require(&me, me.has(Role::Admin), "设置邮件服务器")?;
            let old = c.mail_settings_row().await?;
            let password_changed = match (&old, settings) {
                (Some(o), Some(n)) => o.password != n.password,
                (None, Some(n)) => !n.password.is_empty(),
                _ => false,
            };
            let detail = match settings {
                None => {
                    c.delete_mail_settings().await?;
                    json!({ "removed": true })
                }
                Some(s) => {
                    c.put_mail_settings(s, stamp).await?;
                    json!({
                        "host": s.host, "port": s.port, "security": s.security.as_str(),
                        "username": s.username, "from_address": s.from_address,
                        "from_name": s.from_name, "password_changed": password_changed,
                    })
                }
            };
            ops::audit(c, stamp, "mail.set", "office", "mail", detail).await
        })
    }

    /// The agency's latest notices, newest first (the mail page).
    pub async fn mail_notices(&self, limit: i64) -> Result<Vec<MailNotice>> {
        let sql = format!(
            "SELECT {NOTICE_COLUMNS} FROM mail_outbox WHERE agency_id = $1 ORDER BY id DESC LIMIT $2"
        );
        let agency = self.agency;
        tx!(self, read, |c| async {
            let rows: Vec<NoticeRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(agency)
                .bind(limit)
                .fetch_all(&mut *c.t)
                .await?;
            Ok(rows.into_iter().map(notice).collect())
        })
    }

    /// The notices of one application, in the order written (its page).
    pub async fn mail_notices_of(&self, application: &str) -> Result<Vec<MailNotice>> {
        let sql = format!(
            "SELECT {NOTICE_COLUMNS} FROM mail_outbox WHERE agency_id = $1 \
             AND application_id = $2 ORDER BY id"
        );
        let agency = self.agency;
        tx!(self, read, |c| async {
            let rows: Vec<NoticeRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(agency)
                .bind(application)
                .fetch_all(&mut *c.t)
                .await?;
            Ok(rows.into_iter().map(notice).collect())
        })
    }

    /// The notices due at `now` in every agency (pending, not claimed by a sender), oldest
    /// first, at most `limit`.
    pub async fn due_mail(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<MailNotice>> {
        let sql = format!(
            "SELECT {NOTICE_COLUMNS} FROM mail_outbox WHERE sent_at IS NULL \
             AND failed_at IS NULL AND next_attempt_at <= $1 \
             AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY id LIMIT $2"
        );
        let rows: Vec<NoticeRow> = match &self.pool {
            Pool::Sqlite(p) => {
                sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(now)
                    .bind(limit)
                    .fetch_all(p)
                    .await?
            }
            Pool::Postgres(p) => {
                let mut t = p.begin().await?;
                sqlx::query(SEE_EVERY_AGENCY).execute(&mut *t).await?;
                let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(now)
                    .bind(limit)
                    .fetch_all(&mut *t)
                    .await?;
                t.commit().await?;
                rows
            }
        };
        Ok(rows.into_iter().map(notice).collect())
    }

    /// Claims notice `id` (of any agency) for sending until `until`: `true` if this caller
    /// has it (no other sender holds it and it is still pending); counts the attempt.
    pub async fn claim_mail(
        &self,
        id: i64,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool> {
        const SQL: &str = "UPDATE mail_outbox SET claimed_until = $2, attempts = attempts + 1 \
             WHERE id = $1 AND sent_at IS NULL AND failed_at IS NULL \
             AND (claimed_until IS NULL OR claimed_until < $3)";
        let n = match &self.pool {
            Pool::Sqlite(p) => sqlx::query(SQL)
                .bind(id)
                .bind(until)
                .bind(now)
                .execute(p)
                .await?
                .rows_affected(),
            Pool::Postgres(p) => {
                let mut t = p.begin().await?;
                sqlx::query(SEE_EVERY_AGENCY).execute(&mut *t).await?;
                let n = sqlx::query(SQL)
                    .bind(id)
                    .bind(until)
                    .bind(now)
                    .execute(&mut *t)
                    .await?
                    .rows_affected();
                t.commit().await?;
                n
            }
        };
        Ok(n == 1)
    }

    /// Notice `id` was sent at `at` with `subject`.
    pub async fn mail_sent(&self, id: i64, at: DateTime<Utc>, subject: &str) -> Result<()> {
        self.outbox_update(
            "UPDATE mail_outbox SET sent_at = $2, claimed_until = NULL, last_error = NULL, \
             subject = $3 WHERE id = $1",
            id,
            at,
            subject,
        )
        .await
    }

    /// Notice `id` failed with `error`: to be tried again at `retry`, or given up at `now`
    /// (`retry` `None`).
    pub async fn mail_failed(
        &self,
        id: i64,
        now: DateTime<Utc>,
        error: &str,
        retry: Option<DateTime<Utc>>,
    ) -> Result<()> {
        match retry {
            Some(next) => self.outbox_update(
                "UPDATE mail_outbox SET next_attempt_at = $2, claimed_until = NULL, \
                 last_error = $3 WHERE id = $1",
                id,
                next,
                error,
            ),
            None => self.outbox_update(
                "UPDATE mail_outbox SET failed_at = $2, claimed_until = NULL, \
                 last_error = $3 WHERE id = $1",
                id,
                now,
                error,
            ),
        }
        .await
    }

    /// Puts a notice given up back in the queue (管理员, the mail page), audited.
    pub async fn retry_mail(&self, id: i64, stamp: &Stamp) -> Result<()> {
        let agency = self.agency;
        tx!(self, write, |c| async {
            let me = ops::actor(c, stamp).await?;
            ops::require(&me, me.has(Role::Admin), "重新发送邮件")?;
            let n = sqlx::query(
                "UPDATE mail_outbox SET failed_at = NULL, next_attempt_at = $3, attempts = 0 \
                 WHERE agency_id = $1 AND id = $2 AND sent_at IS NULL",
            )
            .bind(agency)
            .bind(id)
            .bind(stamp.at)
            .execute(&mut *c.t)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound {
                    what: "待重新发送的邮件",
                    id: id.to_string(),
                });
            }
            ops::audit(c, stamp, "mail.retry", "mail", &id.to_string(), json!({})).await
        })
    }

    /// One update of the outbox (any agency): `$1` the id, `$2` a time, `$3` a text.
    async fn outbox_update(
        &self,
        sql: &'static str,
        id: i64,
        at: DateTime<Utc>,
        text: &str,
    ) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(p) => {
                sqlx::query(sql)
                    .bind(id)
                    .bind(at)
                    .bind(text)
                    .execute(p)
                    .await?;
            }
            Pool::Postgres(p) => {
                let mut t = p.begin().await?;
                sqlx::query(SEE_EVERY_AGENCY).execute(&mut *t).await?;
                sqlx::query(sql)
                    .bind(id)
                    .bind(at)
                    .bind(text)
                    .execute(&mut *t)
                    .await?;
                t.commit().await?;
            }
        }
        Ok(())
    }
}
