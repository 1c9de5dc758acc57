//! What each store operation does inside its transaction, written once for both backends
//! over [`Conn`]: check the acting user and role, load what the ledger needs, let
//! `gongkai_ledger` validate the change, write the rows and the audit row. The caller
//! commits only if everything here succeeded.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use gongkai_ledger::{
    AppealCase, Application, ApplicationId, Calendar, Context, Event, EventKind, FeeBasis, Ledger,
    LedgerData, LedgerError, NewEvent, OfficeSettings, ProactiveData, ProactiveRecord, Settings,
    Supersedes,
};
use serde_json::json;

use crate::auth;
use crate::backend::Conn;
use crate::error::{Result, StoreError};
use crate::model::{AuditEntry, AuditQuery, NewUser, Session, SessionToken, Stamp, User};

mod office;
mod records;
pub(crate) use office::*;
pub(crate) use records::*;

/// What validation needs besides the rows.
pub(crate) struct Env<'a> {
    pub calendar: &'a Calendar,
}

const META_SETTINGS: &str = "settings";
const META_OFFICE: &str = "office";

/// The name of the transaction's agency (`NotInitialised` before `init` named it).
pub(crate) async fn agency<C: Conn>(c: &mut C) -> Result<String> {
    c.this_agency()
        .await?
        .map(|a| a.name)
        .filter(|n| !n.is_empty())
        .ok_or(StoreError::NotInitialised)
}

pub(crate) async fn settings<C: Conn>(c: &mut C) -> Result<Settings> {
    match c.setting(META_SETTINGS).await? {
        None => Ok(Settings::default()),
        Some(s) => serde_json::from_str(&s).map_err(|e| StoreError::Corrupt {
            what: "设置".into(),
            detail: e.to_string(),
        }),
    }
}

pub(crate) async fn audit<C: Conn>(
    c: &mut C,
    stamp: &Stamp,
    action: &str,
    subject_kind: &str,
    subject_id: &str,
    detail: serde_json::Value,
) -> Result<()> {
    let detail = with_auth(detail, stamp.auth.as_deref());
    c.insert_audit(stamp, action, subject_kind, subject_id, &detail)
        .await
}

/// The audit detail with how the user was authenticated under `"auth"` (`password`,
/// `session`, `token:<prefix>`). Channel, client address and operating-system user have
/// columns of their own (migration 0008); this is the one place that adds the rest.
pub(crate) fn with_auth(mut detail: serde_json::Value, auth: Option<&str>) -> serde_json::Value {
    if let Some(a) = auth {
        match &mut detail {
            serde_json::Value::Object(map) => {
                map.insert("auth".into(), a.into());
            }
            _ => detail = json!({ "value": detail, "auth": a }),
        }
    }
    detail
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

/// The acting user in the transaction's agency: must exist, be active and hold a role
/// there; the roles are those held there.
pub(crate) async fn actor<C: Conn>(c: &mut C, stamp: &Stamp) -> Result<User> {
    let user = actor_anywhere(c, stamp).await?;
    crate::agencies::member(c, user)
        .await?
        .ok_or_else(|| StoreError::NotMember {
            name: stamp.user.clone(),
        })
}

/// The acting user, wherever it holds roles: must exist and be active.
pub(crate) async fn actor_anywhere<C: Conn>(c: &mut C, stamp: &Stamp) -> Result<User> {
    match c.user(&stamp.user).await? {
        Some(row) if row.user.active => Ok(row.user),
        Some(_) | None => {
            if c.count_users().await? == 0 {
                Err(StoreError::NotInitialised)
            } else {
                Err(StoreError::UnknownUser {
                    name: stamp.user.clone(),
                })
            }
        }
    }
}

pub(crate) fn require(user: &User, allowed: bool, action: &'static str) -> Result<()> {
    if allowed {
        Ok(())
    } else {
        Err(StoreError::Forbidden {
            user: user.name.clone(),
            role: user.role,
            action,
        })
    }
}

// ---- set-up and users: `office.rs`; appeals and proactive records: `records.rs` -----------

// ---- applications and events ------------------------------------------------------------

/// An application with its log, or `UnknownApplication`.
pub(crate) async fn application<C: Conn>(c: &mut C, id: &str) -> Result<Application> {
    let Some(mut app) = c.application(id).await? else {
        return Err(LedgerError::UnknownApplication { id: id.into() }.into());
    };
    app.events = c.events(id).await?;
    app.replay_amendments();
    Ok(app)
}

pub(crate) async fn applications<C: Conn>(c: &mut C) -> Result<Vec<Application>> {
    let mut apps = c.all_applications().await?;
    let mut by_id: HashMap<String, Vec<Event>> = HashMap::new();
    for (id, e) in c.all_events().await? {
        by_id.entry(id).or_default().push(e);
    }
    for a in &mut apps {
        if let Some(mut evs) = by_id.remove(&a.id.0) {
            evs.sort_by_key(|e| e.seq);
            a.events = evs;
            a.replay_amendments();
        }
    }
    // The same order on both backends (PostgreSQL collations sort text differently).
    apps.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(apps)
}

pub(crate) async fn ledger<C: Conn>(c: &mut C) -> Result<Ledger> {
    let agency = agency(c).await.unwrap_or_default();
    let applications = applications(c).await?;
    let mut appeals = c.all_appeals().await?;
    appeals.sort_by(|a, b| (a.filed_on, &a.id).cmp(&(b.filed_on, &b.id)));
    let mut proactive = c.all_proactive().await?;
    proactive.sort_by(|a, b| a.id.cmp(&b.id));
    let opening = crate::imports::opening(c).await?;
    Ok(Ledger::from(LedgerData {
        agency,
        applications,
        appeals,
        proactive,
        opening,
    }))
}

/// The other applications of the same applicant as `app`, with their logs: what the
/// ledger needs for the monthly count of a per-application fee.
async fn same_applicant<C: Conn>(c: &mut C, app: &Application) -> Result<Vec<Application>> {
    let mut apps = Vec::new();
    for mut other in c.applications_of_applicant(&app.applicant.key()).await? {
        if other.id == app.id {
            continue;
        }
        other.events = c.events(&other.id.0).await?;
        other.replay_amendments();
        apps.push(other);
    }
    Ok(apps)
}

fn small_ledger(applications: Vec<Application>, appeals: Vec<AppealCase>) -> Ledger {
    Ledger::from(LedgerData {
        agency: String::new(),
        applications,
        appeals,
        proactive: Vec::new(),
        opening: None,
    })
}

/// `app` with the other applications of its applicant.
async fn applicant_ledger<C: Conn>(c: &mut C, app: &Application) -> Result<Ledger> {
    let mut apps = same_applicant(c, app).await?;
    apps.push(app.clone());
    Ok(small_ledger(apps, Vec::new()))
}

/// An application to register.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NewApplication {
    /// The registration number; `None`: the store gives the next `YYYY-NNNN` of the year
    /// of receipt.
    #[serde(default)]
    pub id: Option<ApplicationId>,
    pub applicant: gongkai_ledger::Applicant,
    pub request: gongkai_ledger::InformationRequest,
    /// The receipt (an [`EventKind::Received`] event), if the application is received on
    /// registration (the usual case).
    #[serde(default)]
    pub received: Option<crate::model::EventInput>,
}

fn stamp_event(input: crate::model::EventInput, stamp: &Stamp) -> NewEvent {
    NewEvent {
        date: input.date,
        kind: input.kind,
        note: input.note,
        recorded_at: stamp.at,
        recorded_by: Some(stamp.user.clone()),
    }
}

/// The next free `YYYY-NNNN` id.
async fn next_id<C: Conn>(c: &mut C, year: i32) -> Result<ApplicationId> {
    let prefix = format!("{year}-");
    let max = c
        .application_ids_with_prefix(&prefix)
        .await?
        .iter()
        .filter_map(|id| id[prefix.len()..].parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    Ok(ApplicationId(format!("{prefix}{:04}", max + 1)))
}

pub(crate) async fn register<C: Conn>(
    c: &mut C,
    env: &Env<'_>,
    new: NewApplication,
    stamp: &Stamp,
) -> Result<Application> {
    let me = actor(c, stamp).await?;
    require(&me, me.any(crate::model::Role::can_record), "登记申请")?;
    register_as(c, env, new, stamp).await
}

/// [`register`] without the actor's check: for an application the public submits online
/// (`crate::online`), stamped with the public's name and audited like any other.
pub(crate) async fn register_as<C: Conn>(
    c: &mut C,
    env: &Env<'_>,
    new: NewApplication,
    stamp: &Stamp,
) -> Result<Application> {
    // The next number and the duplicate check read what is stored: one registration of
    // this agency at a time (another process may be registering too).
    c.lock_numbering().await?;
    let settings = settings(c).await?;
    let ctx = Context::new(env.calendar, settings, stamp.today());
    if let Some(r) = &new.received
        && !matches!(r.kind, EventKind::Received { .. })
    {
        return Err(LedgerError::NotReceived {
            event: r.kind.event_type(),
        }
        .into());
    }
    let id = match new.id {
        Some(id) => ApplicationId(id.0.trim().to_string()),
        None => {
            let year = new
                .received
                .as_ref()
                .map_or(ctx.today.year(), |r| r.date.year());
            next_id(c, year).await?
        }
    };
    let app = Application::new(id.clone(), new.applicant, new.request)?;
    if c.application(&id.0).await?.is_some() {
        return Err(LedgerError::DuplicateApplication { id: id.0 }.into());
    }
    let mut ledger = small_ledger(same_applicant(c, &app).await?, Vec::new());
    ledger.add_application(app.clone(), &ctx)?;
    if let Some(r) = new.received {
        ledger.append(&id, stamp_event(r, stamp), &ctx)?;
    }
    let stored = ledger
        .application(&id)
        .cloned()
        .ok_or_else(|| LedgerError::UnknownApplication { id: id.0.clone() })?;
    c.insert_application(&stored, stamp.at, &stamp.user).await?;
    audit(
        c,
        stamp,
        "application.register",
        "application",
        &id.0,
        json!({ "applicant": stored.applicant, "request": stored.request }),
    )
    .await?;
    for e in &stored.events {
        c.insert_event(&id.0, e).await?;
        audit(c, stamp, "event.append", "application", &id.0, to_json(e)).await?;
    }
    Ok(stored)
}

pub(crate) async fn append<C: Conn>(
    c: &mut C,
    env: &Env<'_>,
    id: &ApplicationId,
    input: crate::model::EventInput,
    stamp: &Stamp,
) -> Result<Event> {
    let me = actor(c, stamp).await?;
    require(&me, me.any(crate::model::Role::can_record), "登记办理事项")?;
    append_as(c, env, id, input, stamp).await
}

/// [`append`] without the actor's check: the applicant's own online correction
/// (`crate::online`), stamped with the public's name and audited like any other event.
pub(crate) async fn append_as<C: Conn>(
    c: &mut C,
    env: &Env<'_>,
    id: &ApplicationId,
    input: crate::model::EventInput,
    stamp: &Stamp,
) -> Result<Event> {
    if !c.lock_application(&id.0).await? {
        return Err(LedgerError::UnknownApplication { id: id.0.clone() }.into());
    }
    let settings = settings(c).await?;
    let ctx = Context::new(env.calendar, settings, stamp.today());
    let app = application(c, &id.0).await?;
    let per_application_fee = matches!(
        input.kind,
        EventKind::FeeNoticeSent {
            basis: FeeBasis::PerApplication { .. },
            ..
        }
    );
    let sending = matches!(input.kind, EventKind::ReplySent { .. }).then(|| app.clone());
    let amended = matches!(input.kind, EventKind::Amended { .. });
    let mut app = app;
    let event = if per_application_fee {
        let mut ledger = applicant_ledger(c, &app).await?;
        ledger.append(id, stamp_event(input, stamp), &ctx)?.clone()
    } else {
        app.append(stamp_event(input, stamp), &ctx)?.clone()
    };
    if let Some(before) = &sending {
        // 送达 only what was approved, as it stands now (after the ledger's own checks, so
        // a reply without a decision is told so).
        crate::reviewing::require_approved(c, env, before, stamp).await?;
    }
    c.insert_event(&id.0, &event).await?;
    // The applicant's e-mail notice, if one is due (written here, sent after the commit).
    crate::mail::enqueue(c, &app, &event, stamp.at).await?;
    if amended {
        c.update_application_index(&app).await?;
    }
    audit(
        c,
        stamp,
        "event.append",
        "application",
        &id.0,
        to_json(&event),
    )
    .await?;
    Ok(event)
}

pub(crate) async fn earlier_units_in_month<C: Conn>(c: &mut C, id: &ApplicationId) -> Result<u32> {
    let app = application(c, &id.0).await?;
    let ledger = applicant_ledger(c, &app).await?;
    Ok(ledger.earlier_units_in_month(id))
}

// ---- templates and audit --------------------------------------------------------------------

pub(crate) async fn audit_log<C: Conn>(c: &mut C, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
    c.audit(q).await
}
