//! The rows of [`crate::backend`]: the tuples the queries read and their conversions into
//! the model, and the columns the queries derive from the ledger's records. Split off so
//! that the SQL stays in one file of a readable size.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_ledger::{AppealCase, Event, EventKind, ProactiveData, ProactiveRecord};
use sqlx::types::Json;

use crate::backend::{StoredStep, UserRow};
use crate::error::{Result, StoreError};
use crate::model::{ApiToken, AuditEntry, ReviewAction, ReviewStep, Role, User};

pub(crate) type AuditTuple = (
    i64,
    DateTime<Utc>,
    String,
    String,
    String,
    String,
    Json<serde_json::Value>,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub(crate) fn audit_from(t: AuditTuple) -> AuditEntry {
    let (id, at, actor, action, subject_kind, subject_id, Json(detail), client, channel, os_user) =
        t;
    AuditEntry {
        id,
        at,
        actor,
        action,
        subject_kind,
        subject_id,
        detail,
        client,
        channel,
        os_user,
    }
}

pub(crate) type ApiTokenTuple = (
    String,
    String,
    String,
    String,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<i64>,
);

pub(crate) fn api_token_from(t: ApiTokenTuple) -> ApiToken {
    let (id, user, name, prefix, created_at, expires_at, last_used_at, revoked_at, agency_id) = t;
    ApiToken {
        id,
        user,
        name,
        prefix,
        created_at,
        expires_at,
        last_used_at,
        revoked_at,
        agency_id,
    }
}

pub(crate) type UserTuple = (
    String,
    Option<String>,
    String,
    String,
    bool,
    DateTime<Utc>,
    String,
    Option<DateTime<Utc>>,
    bool,
);

pub(crate) fn user_from(t: UserTuple) -> Result<UserRow> {
    let (name, display_name, role, password_hash, active, created_at, others, last, must) = t;
    let corrupt = |e: String| StoreError::Corrupt {
        what: format!("用户 {name}"),
        detail: e,
    };
    let role: Role = role.parse().map_err(corrupt)?;
    let other_roles = Role::parse_list(&others)
        .map_err(corrupt)?
        .into_iter()
        .filter(|r| *r != role)
        .collect();
    Ok(UserRow {
        user: User {
            name,
            display_name,
            role,
            other_roles,
            active,
            created_at,
            last_login_at: last,
            must_change_password: must,
        },
        password_hash,
    })
}

pub(crate) type ThrottleRow = (
    String,
    i64,
    DateTime<Utc>,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);

pub(crate) fn throttle_from(row: ThrottleRow) -> crate::signin::Throttle {
    let (key, failures, first_at, last_at, locked_until) = row;
    crate::signin::Throttle {
        key,
        failures: u32::try_from(failures).unwrap_or(u32::MAX),
        first_at,
        last_at,
        locked_until,
    }
}

pub(crate) fn seq_from(seq: i64, what: impl FnOnce() -> String) -> Result<u32> {
    u32::try_from(seq).map_err(|_| StoreError::Corrupt {
        what: what(),
        detail: format!("序号 {seq} 超出范围"),
    })
}

/// Checks an event read back: the seq column and the JSON agree.
pub(crate) fn event_from(app: &str, seq: i64, Json(e): Json<Event>) -> Result<Event> {
    let col = seq_from(seq, || format!("申请 {app} 的事项"))?;
    if col != e.seq {
        return Err(StoreError::Corrupt {
            what: format!("申请 {app} 的第 {col} 个事项"),
            detail: format!("记录中的序号为 {}", e.seq),
        });
    }
    Ok(e)
}

pub(crate) type StepTuple = (
    String,
    String,
    i64,
    String,
    String,
    String,
    DateTime<Utc>,
    Option<String>,
    Json<serde_json::Value>,
);

pub(crate) fn step_from(t: StepTuple) -> Result<StoredStep> {
    let (subject_kind, subject_id, seq, action, actor, role, at, note, Json(snapshot)) = t;
    let what = || format!("审核记录 {subject_kind}/{subject_id}");
    let action = ReviewAction::from_str_opt(&action).ok_or_else(|| StoreError::Corrupt {
        what: what(),
        detail: format!("未知的审核步骤“{action}”"),
    })?;
    let actor_role: Role = role.parse().map_err(|e: String| StoreError::Corrupt {
        what: what(),
        detail: e,
    })?;
    Ok(StoredStep {
        step: ReviewStep {
            seq: seq_from(seq, what)?,
            action,
            actor,
            actor_role,
            at,
            note,
            snapshot,
        },
        subject_kind,
        subject_id,
    })
}

pub(crate) fn decision_of(e: &Event) -> Option<&'static str> {
    match &e.kind {
        EventKind::Decided { decision } => Some(decision.row_key()),
        _ => None,
    }
}

pub(crate) fn event_type_of(e: &Event) -> String {
    // The serde name of the type, e.g. `correction_requested`.
    serde_json::to_value(e.kind.event_type())
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

pub(crate) fn proactive_type(r: &ProactiveRecord) -> &'static str {
    match r.data {
        ProactiveData::Document(_) => "document",
        ProactiveData::Decisions(_) => "decisions",
        ProactiveData::Fees(_) => "fees",
    }
}

pub(crate) fn appeal_kind(c: &AppealCase) -> String {
    serde_json::to_value(c.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

pub(crate) fn decided_on(c: &AppealCase) -> Option<NaiveDate> {
    c.conclusion.map(|c| c.decided_on)
}
