//! The audit log as the office reads it: filtered by user, action, subject and date, a page
//! at a time, and exported as CSV (guarded against formula injection); for the
//! 管理员 and the 办公室主任 only. Reading and exporting are themselves audited
//! (`audit.export`).
//!
//! Beside the rows every write leaves, two kinds are written here on their own:
//! * `refused` — an action refused for the role (403), a form whose CSRF check failed, a
//!   write refused as out of turn or conflicting (409); the refused write left nothing
//!   else behind. [`Service::record_refusal`].
//! * `download` — a document with personal data taken out of the ledger (a reply letter,
//!   the year-end report). [`Service::record_download`].

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use gongkai_report::spreadsheet::csv_cell;
use gongkai_store::model::china_offset;
use gongkai_store::{AuditEntry, AuditQuery, Role, Stamp, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::actor::Actor;
use crate::{ErrorKind, Result, Service, ServiceError, limits};

/// Rows on one page of the viewer.
pub const PAGE_SIZE: u32 = 50;
/// Most rows in one export.
pub const EXPORT_MAX: u32 = 100_000;

/// Who may read the audit log: the 管理员 and the 办公室主任.
pub fn may_read(role: Role) -> bool {
    matches!(role, Role::Admin | Role::OfficeHead)
}

/// What to show: every field optional; dates are the office's calendar days (Beijing
/// time), both included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// The acting user's login.
    pub user: Option<String>,
    /// An action (`review.approve`) or a family (`review`, `refused`, `download`).
    pub action: Option<String>,
    /// The subject's id (an application's number, a year, a user's login).
    pub subject: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl AuditFilter {
    fn query(&self, limit: u32, offset: u32) -> Result<AuditQuery> {
        let clean = |v: &Option<String>, key: &str| -> Result<Option<String>> {
            let v = v.as_deref().map(str::trim).filter(|v| !v.is_empty());
            limits::opt(key, v)?;
            Ok(v.map(str::to_string))
        };
        if let (Some(f), Some(t)) = (self.from, self.to)
            && f > t
        {
            return Err(ServiceError::invalid("日期", "起始日期晚于截止日期"));
        }
        Ok(AuditQuery {
            actor: clean(&self.user, "name")?,
            action: clean(&self.action, "action")?,
            subject_id: clean(&self.subject, "id")?,
            from: self.from.map(start_of),
            until: self.to.and_then(|d| d.succ_opt()).map(start_of),
            limit: Some(limit),
            offset: Some(offset),
            ..AuditQuery::default()
        })
    }
}

/// 00:00 Beijing time of `d`, in UTC.
fn start_of(d: NaiveDate) -> DateTime<Utc> {
    let local = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    china_offset()
        .from_local_datetime(&local)
        .single()
        .map_or_else(
            || Utc.from_utc_datetime(&local) - Duration::hours(8),
            |t| t.to_utc(),
        )
}

/// One page of the log, newest first.
#[derive(Debug, Clone, Serialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// 1, 2, …
    pub page: u32,
    pub has_next: bool,
}

fn require_reader(actor: &Actor) -> Result<()> {
    if actor.roles().iter().any(|r| may_read(*r)) {
        Ok(())
    } else {
        Err(StoreError::Forbidden {
            user: actor.name().to_string(),
            role: actor.role(),
            action: "查看审计日志",
        }
        .into())
    }
}

impl Service {
    /// Page `page` (1, 2, …) of the audit rows that pass `filter`.
    pub async fn audit_log(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
        page: u32,
    ) -> Result<AuditPage> {
        self.refused(actor, "audit.read", "audit_log", require_reader(actor))
            .await?;
        let page = page.max(1);
        let offset = (page - 1).saturating_mul(PAGE_SIZE);
        let mut entries = self
            .store
            .audit(&filter.query(PAGE_SIZE + 1, offset)?)
            .await?;
        let has_next = entries.len() > PAGE_SIZE as usize;
        entries.truncate(PAGE_SIZE as usize);
        Ok(AuditPage {
            entries,
            page,
            has_next,
        })
    }

    /// Audit rows by a raw store query (the JSON API; at most 1000 rows).
    pub async fn audit_entries(&self, actor: &Actor, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
        self.refused(actor, "audit.read", "audit_log", require_reader(actor))
            .await?;
        limits::opt("id", q.subject_id.as_deref())?;
        let q = AuditQuery {
            limit: Some(q.limit.unwrap_or(100).min(1000)),
            ..q.clone()
        };
        Ok(self.store_for(actor).audit(&q).await?)
    }

    /// The rows that pass `filter` (at most [`EXPORT_MAX`]) as CSV: UTF-8 with a BOM (so
    /// that Excel reads it), every text cell guarded against formulas. The export is
    /// audited (`audit.export`, with the filter).
    pub async fn audit_csv(&self, actor: &Actor, filter: &AuditFilter) -> Result<Vec<u8>> {
        self.refused(actor, "audit.export", "audit_log", require_reader(actor))
            .await?;
        let rows = self
            .store_for(actor)
            .audit(&filter.query(EXPORT_MAX, 0)?)
            .await?;
        let bytes = audit_csv_bytes(&rows)
            .map_err(|e| ServiceError::BadRequest(format!("无法生成 CSV：{e}")))?;
        self.store_for(actor)
            .record_audit(
                &actor.stamp(),
                "audit.export",
                "audit_log",
                "csv",
                json!({ "filter": filter, "rows": rows.len() }),
            )
            .await?;
        Ok(bytes)
    }

    /// Writes a `refused` audit row: the stamp's user (a login, or `访客` for a visitor)
    /// tried `action` on `subject` and was refused for `reason` (a stable code and the
    /// message). Texts are cut short, so a refused oversized input is not copied here.
    pub async fn record_refusal(
        &self,
        stamp: &Stamp,
        action: &str,
        subject: &str,
        code: &str,
        reason: &str,
    ) -> Result<()> {
        let mut stamp = stamp.clone();
        stamp.user = cut(&stamp.user, 64);
        let stamp = &stamp;
        self.store
            .record_audit(
                stamp,
                "refused",
                "request",
                &cut(subject, 200),
                json!({ "action": cut(action, 200), "code": cut(code, 64), "reason": cut(reason, 500) }),
            )
            .await?;
        tracing::info!(who = %stamp.user, action, subject, code, "refused action audited");
        Ok(())
    }

    /// Passes `r` through; a refusal for the role (403) or a conflict such as a review out
    /// of turn (409) is first written to the audit log as `refused`, with the actor's
    /// channel and address — one place for every use case and every front end. A failure
    /// to write that row is logged, and the refusal still returned.
    pub(crate) async fn refused<T>(
        &self,
        actor: &Actor,
        action: &str,
        subject: &str,
        r: Result<T>,
    ) -> Result<T> {
        if let Err(e) = &r
            && matches!(e.kind(), ErrorKind::Forbidden | ErrorKind::Conflict)
            && let Err(a) = self
                .for_actor(actor)
                .record_refusal(&actor.stamp(), action, subject, e.code(), &e.to_string())
                .await
        {
            tracing::warn!(error = %a, "the refusal could not be audited");
        }
        r
    }

    /// Writes a `download` audit row: `actor` took `subject_kind` `subject_id` out as
    /// `format` (`docx`, `pdf`, `html`, `xlsx` …).
    pub async fn record_download(
        &self,
        actor: &Actor,
        subject_kind: &str,
        subject_id: &str,
        format: &str,
    ) -> Result<()> {
        self.store_for(actor)
            .record_audit(
                &actor.stamp(),
                "download",
                subject_kind,
                &cut(subject_id, 200),
                json!({ "format": format }),
            )
            .await?;
        Ok(())
    }
}

/// The first `max` characters of `s` (with `…` when cut).
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut c: String = s.chars().take(max).collect();
        c.push('…');
        c
    }
}

/// The CSV of audit rows: 编号, 时间 (Beijing time), 用户, 渠道, 客户端地址, 系统用户, 操作,
/// 对象类型, 对象, 详情 (JSON).
pub fn audit_csv_bytes(rows: &[AuditEntry]) -> std::result::Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record([
        "编号",
        "时间",
        "用户",
        "渠道",
        "客户端地址",
        "系统用户",
        "操作",
        "对象类型",
        "对象",
        "详情",
    ])?;
    for e in rows {
        let at =
            e.at.with_timezone(&china_offset())
                .format("%Y-%m-%d %H:%M:%S")
                .to_string();
        let detail = e.detail.to_string();
        let cells = [
            e.id.to_string(),
            at,
            e.actor.clone(),
            e.channel.clone().unwrap_or_default(),
            e.client.clone().unwrap_or_default(),
            e.os_user.clone().unwrap_or_default(),
            e.action.clone(),
            e.subject_kind.clone(),
            e.subject_id.clone(),
            detail,
        ];
        w.write_record(cells.iter().map(|c| csv_cell(c).into_owned()))?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(actor: &str, subject: &str) -> AuditEntry {
        AuditEntry {
            id: 7,
            at: Utc::now(),
            actor: actor.into(),
            action: "application.register".into(),
            subject_kind: "application".into(),
            subject_id: subject.into(),
            detail: json!({ "applicant": "=cmd" }),
            client: Some("127.0.0.1".into()),
            channel: Some("web".into()),
            os_user: None,
        }
    }

    #[test]
    fn the_export_guards_formulas() {
        let bytes = audit_csv_bytes(&[entry("@evil", "=HYPERLINK(\"x\")")]).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("'@evil"), "{text}");
        assert!(text.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{text}");
        assert!(!text.contains(",=") && !text.contains(",@"), "{text}");
        // The id stays a number.
        assert!(text.lines().nth(1).unwrap().starts_with("7,"), "{text}");
    }

    #[test]
    fn dates_are_beijing_days() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(start_of(d).to_rfc3339(), "2026-02-28T16:00:00+00:00");
        let f = AuditFilter {
            from: Some(d),
            to: NaiveDate::from_ymd_opt(2026, 2, 1),
            ..AuditFilter::default()
        };
        assert!(f.query(10, 0).is_err());
    }

    #[test]
    fn cut_keeps_short_texts() {
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("abcd", 3), "abc…");
    }
}
