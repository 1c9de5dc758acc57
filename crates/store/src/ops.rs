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

/// What validation needs besides the rows.
pub(crate) struct Env<'a> {
    pub calendar: &'a Calendar,
}

const META_AGENCY: &str = "agency";
const META_SETTINGS: &str = "settings";
const META_OFFICE: &str = "office";

pub(crate) async fn agency<C: Conn>(c: &mut C) -> Result<String> {
    c.meta(META_AGENCY).await?.ok_or(StoreError::NotInitialised)
}

pub(crate) async fn settings<C: Conn>(c: &mut C) -> Result<Settings> {
    match c.meta(META_SETTINGS).await? {
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

/// The acting user: must exist and be active.
pub(crate) async fn actor<C: Conn>(c: &mut C, stamp: &Stamp) -> Result<User> {
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

// ---- set-up and users -------------------------------------------------------------------

pub(crate) async fn office<C: Conn>(c: &mut C) -> Result<OfficeSettings> {
    match c.meta(META_OFFICE).await? {
        None => Ok(OfficeSettings::default()),
        Some(s) => serde_json::from_str(&s).map_err(|e| StoreError::Corrupt {
            what: "机关设置".into(),
            detail: e.to_string(),
        }),
    }
}

pub(crate) async fn set_office<C: Conn>(
    c: &mut C,
    new: &OfficeSettings,
    stamp: &Stamp,
) -> Result<()> {
    let me = actor(c, stamp).await?;
    require(
        &me,
        me.any(crate::model::Role::can_configure),
        "修改机关设置",
    )?;
    let old = office(c).await?;
    let new = new.clone().normalised();
    let text = serde_json::to_string(&new).unwrap_or_default();
    c.set_meta(META_OFFICE, &text).await?;
    audit(
        c,
        stamp,
        "office.set",
        "ledger",
        "office",
        json!({ "before": old, "after": new }),
    )
    .await
}

pub(crate) async fn init<C: Conn>(
    c: &mut C,
    agency: &str,
    admin: &NewUser,
    office: &OfficeSettings,
    at: DateTime<Utc>,
) -> Result<User> {
    if c.count_users().await? > 0 {
        return Err(StoreError::AlreadyInitialised);
    }
    if agency.trim().is_empty() {
        return Err(LedgerError::EmptyField {
            field: "机关名称"
        }
        .into());
    }
    let user = new_user_row(admin, at)?;
    let hash = auth::hash_password(&admin.password)?;
    c.set_meta(META_AGENCY, agency.trim()).await?;
    let settings = serde_json::to_string(&Settings::default()).unwrap_or_default();
    c.set_meta(META_SETTINGS, &settings).await?;
    let office = office.clone().normalised();
    c.set_meta(
        META_OFFICE,
        &serde_json::to_string(&office).unwrap_or_default(),
    )
    .await?;
    c.insert_user(&user, &hash).await?;
    let stamp = Stamp::new(&user.name, at);
    audit(
        c,
        &stamp,
        "ledger.init",
        "ledger",
        agency.trim(),
        json!({ "agency": agency.trim(), "admin": user.name, "settings": Settings::default(), "office": office }),
    )
    .await?;
    Ok(user)
}

pub(crate) fn new_user_row(u: &NewUser, at: DateTime<Utc>) -> Result<User> {
    let name = u.name.trim();
    if name.is_empty() || name.chars().any(char::is_whitespace) {
        return Err(LedgerError::EmptyField {
            field: "用户名（不能为空或含空格）",
        }
        .into());
    }
    Ok(User {
        name: name.to_string(),
        display_name: u
            .display_name
            .as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        role: u.role,
        other_roles: Vec::new(),
        active: true,
        created_at: at,
        last_login_at: None,
        must_change_password: false,
    })
}

pub(crate) async fn add_user<C: Conn>(c: &mut C, new: &NewUser, stamp: &Stamp) -> Result<User> {
    let me = actor(c, stamp).await?;
    require(
        &me,
        me.any(crate::model::Role::can_manage_users),
        "添加用户",
    )?;
    let user = new_user_row(new, stamp.at)?;
    if c.user(&user.name).await?.is_some() {
        return Err(StoreError::DuplicateUser { name: user.name });
    }
    let hash = auth::hash_password(&new.password)?;
    c.insert_user(&user, &hash).await?;
    audit(
        c,
        stamp,
        "user.add",
        "user",
        &user.name,
        json!({ "role": user.role, "display_name": user.display_name }),
    )
    .await?;
    Ok(user)
}

pub(crate) async fn set_password<C: Conn>(
    c: &mut C,
    name: &str,
    password: &str,
    stamp: &Stamp,
) -> Result<()> {
    let me = actor(c, stamp).await?;
    require(
        &me,
        me.name == name || me.any(crate::model::Role::can_manage_users),
        "修改他人的密码",
    )?;
    if c.user(name).await?.is_none() {
        return Err(StoreError::UnknownUser { name: name.into() });
    }
    let hash = auth::hash_password(password)?;
    c.set_password_hash(name, &hash).await?;
    let ended = c.delete_sessions_of(name).await?;
    audit(
        c,
        stamp,
        "user.password",
        "user",
        name,
        json!({ "sessions_ended": ended }),
    )
    .await
}

pub(crate) async fn set_active<C: Conn>(
    c: &mut C,
    name: &str,
    active: bool,
    stamp: &Stamp,
) -> Result<()> {
    let me = actor(c, stamp).await?;
    require(
        &me,
        me.any(crate::model::Role::can_manage_users),
        "启用或停用用户",
    )?;
    if me.name == name && !active {
        return Err(StoreError::Forbidden {
            user: me.name,
            role: me.role,
            action: "停用自己",
        });
    }
    let Some(row) = c.user(name).await? else {
        return Err(StoreError::UnknownUser { name: name.into() });
    };
    c.set_user_active(name, active).await?;
    if !active {
        c.delete_sessions_of(name).await?;
    }
    audit(
        c,
        stamp,
        if active {
            "user.enable"
        } else {
            "user.disable"
        },
        "user",
        name,
        json!({ "was_active": row.user.active }),
    )
    .await
}

/// Checks a password; the same error whether the name or the password is wrong.
pub(crate) async fn authenticate<C: Conn>(c: &mut C, name: &str, password: &str) -> Result<User> {
    match c.user(name).await? {
        Some(row) if auth::verify_password(password, &row.password_hash) && row.user.active => {
            Ok(row.user)
        }
        Some(_) => Err(StoreError::BadCredentials),
        None => {
            // Spend the same time as a real check.
            auth::verify_password(password, auth::dummy_hash());
            Err(StoreError::BadCredentials)
        }
    }
}

pub(crate) async fn session_user<C: Conn>(
    c: &mut C,
    token: &SessionToken,
    idle: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<Option<(Session, User)>> {
    let Some(session) = c.session(&auth::token_id(token)).await? else {
        return Ok(None);
    };
    if !session.is_live(idle, now) {
        return Ok(None);
    }
    match c.user(&session.user).await? {
        Some(row) if row.user.active => Ok(Some((session, row.user))),
        _ => Ok(None),
    }
}

pub(crate) async fn logout<C: Conn>(
    c: &mut C,
    token: &SessionToken,
    now: DateTime<Utc>,
) -> Result<bool> {
    let id = auth::token_id(token);
    let Some(session) = c.session(&id).await? else {
        return Ok(false);
    };
    c.delete_session(&id).await?;
    let stamp = Stamp::new(&session.user, now);
    audit(
        c,
        &stamp,
        "session.logout",
        "user",
        &session.user,
        json!({}),
    )
    .await?;
    Ok(true)
}

pub(crate) async fn set_settings<C: Conn>(c: &mut C, new: Settings, stamp: &Stamp) -> Result<()> {
    let me = actor(c, stamp).await?;
    require(
        &me,
        me.any(crate::model::Role::can_configure),
        "修改台账设置",
    )?;
    let old = settings(c).await?;
    let text = serde_json::to_string(&new).unwrap_or_default();
    c.set_meta(META_SETTINGS, &text).await?;
    audit(
        c,
        stamp,
        "settings.set",
        "ledger",
        "settings",
        json!({ "before": old, "after": new }),
    )
    .await
}

/// The settings page's save, in one transaction: the agency's name, the office's
/// particulars and the ledger's settings, each written (and audited) only if it changed.
pub(crate) async fn configure<C: Conn>(
    c: &mut C,
    agency_name: &str,
    new_office: &OfficeSettings,
    new_settings: Settings,
    stamp: &Stamp,
) -> Result<()> {
    let me = actor(c, stamp).await?;
    require(
        &me,
        me.any(crate::model::Role::can_configure),
        "修改机关设置",
    )?;
    let name = agency_name.trim();
    if name.is_empty() {
        return Err(LedgerError::EmptyField {
            field: "机关名称"
        }
        .into());
    }
    let old_name = agency(c).await?;
    if name != old_name {
        c.set_meta(META_AGENCY, name).await?;
        audit(
            c,
            stamp,
            "agency.set",
            "ledger",
            "agency",
            json!({ "before": old_name, "after": name }),
        )
        .await?;
    }
    if office(c).await? != new_office.clone().normalised() {
        set_office(c, new_office, stamp).await?;
    }
    if settings(c).await? != new_settings {
        set_settings(c, new_settings, stamp).await?;
    }
    Ok(())
}

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
    let agency = c.meta(META_AGENCY).await?.unwrap_or_default();
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

// ---- appeals and proactive records --------------------------------------------------------

pub(crate) async fn add_appeal<C: Conn>(
    c: &mut C,
    mut case: AppealCase,
    stamp: &Stamp,
) -> Result<AppealCase> {
    let me = actor(c, stamp).await?;
    require(
        &me,
        me.any(crate::model::Role::can_record),
        "登记复议诉讼案件",
    )?;
    case.id = case.id.trim().to_string();
    case.recorded_at = stamp.at;
    case.recorded_by = Some(stamp.user.clone());
    // The ledger's own check, on the records it looks at: the linked application and a
    // case with the same id.
    let mut applications = Vec::new();
    if let Some(a) = &case.application
        && let Some(app) = c.application(&a.0).await?
    {
        applications.push(app);
    }
    let appeals = c.appeal(&case.id).await?.into_iter().collect();
    let mut ledger = small_ledger(applications, appeals);
    ledger.add_appeal(case.clone(), stamp.today())?;
    c.insert_appeal(&case, stamp.at).await?;
    audit(c, stamp, "appeal.add", "appeal", &case.id, to_json(&case)).await?;
    Ok(case)
}

pub(crate) async fn update_appeal<C: Conn>(
    c: &mut C,
    mut case: AppealCase,
    stamp: &Stamp,
) -> Result<AppealCase> {
    let me = actor(c, stamp).await?;
    require(
        &me,
        me.any(crate::model::Role::can_record),
        "修改复议诉讼案件",
    )?;
    let Some(old) = c.appeal(&case.id).await? else {
        return Err(LedgerError::UnknownRecord { id: case.id }.into());
    };
    if let Some(a) = &case.application
        && c.application(&a.0).await?.is_none()
    {
        return Err(LedgerError::UnknownApplication { id: a.0.clone() }.into());
    }
    // When and by whom the case was first recorded stays; the audit log has the change.
    case.recorded_at = old.recorded_at;
    case.recorded_by = old.recorded_by.clone();
    case.supersedes = old.supersedes.clone();
    let mut ledger = small_ledger(Vec::new(), c.all_appeals().await?);
    ledger.update_appeal(case.clone(), stamp.today())?;
    c.update_appeal(&case, stamp.at).await?;
    audit(
        c,
        stamp,
        "appeal.update",
        "appeal",
        &case.id,
        json!({ "before": old, "after": case }),
    )
    .await?;
    Ok(case)
}

/// Adds a proactive record, or replaces the one with the same id. Returns the record and
/// whether it was new.
pub(crate) async fn set_proactive<C: Conn>(
    c: &mut C,
    id: &str,
    data: ProactiveData,
    stamp: &Stamp,
) -> Result<(ProactiveRecord, bool)> {
    let me = actor(c, stamp).await?;
    require(
        &me,
        me.any(crate::model::Role::can_record),
        "登记主动公开数据",
    )?;
    let id = id.trim();
    match c.proactive(id).await? {
        None => {
            let record = ProactiveRecord {
                id: id.to_string(),
                data,
                recorded_at: stamp.at,
                recorded_by: Some(stamp.user.clone()),
                supersedes: None,
            };
            // Against every record: the same figure entered twice is refused.
            let mut ledger = proactive_ledger(c).await?;
            ledger.add_proactive(record.clone(), stamp.today())?;
            c.insert_proactive(&record, stamp.at).await?;
            audit(c, stamp, "proactive.add", "proactive", id, to_json(&record)).await?;
            Ok((record, true))
        }
        Some(old) => {
            let ledger = proactive_ledger(c).await?;
            if let Some(by) = ledger.proactive_superseded_by(id) {
                return Err(LedgerError::Superseded {
                    id: id.to_string(),
                    by: by.to_string(),
                }
                .into());
            }
            let record = ProactiveRecord {
                id: id.to_string(),
                data,
                recorded_at: old.recorded_at,
                recorded_by: old.recorded_by.clone(),
                supersedes: old.supersedes.clone(),
            };
            record.validate(stamp.today())?;
            c.update_proactive(&record, stamp.at).await?;
            audit(
                c,
                stamp,
                "proactive.update",
                "proactive",
                id,
                json!({ "before": old, "after": record }),
            )
            .await?;
            Ok((record, false))
        }
    }
}

async fn proactive_ledger<C: Conn>(c: &mut C) -> Result<Ledger> {
    Ok(Ledger::from(LedgerData {
        agency: String::new(),
        applications: Vec::new(),
        appeals: Vec::new(),
        proactive: c.all_proactive().await?,
        opening: None,
    }))
}

/// Adds a proactive record that corrects (`data` given) or voids (`None`) record `old_id`
/// under the new id `new_id`; the old record stays, no longer counted.
pub(crate) async fn supersede_proactive<C: Conn>(
    c: &mut C,
    old_id: &str,
    new_id: &str,
    data: Option<ProactiveData>,
    reason: &str,
    stamp: &Stamp,
) -> Result<ProactiveRecord> {
    let me = actor(c, stamp).await?;
    require(
        &me,
        me.any(crate::model::Role::can_record),
        "更正或作废主动公开数据",
    )?;
    let Some(old) = c.proactive(old_id.trim()).await? else {
        return Err(LedgerError::UnknownRecord { id: old_id.into() }.into());
    };
    let void = data.is_none();
    let record = ProactiveRecord {
        id: new_id.trim().to_string(),
        data: data.unwrap_or_else(|| old.data.clone()),
        recorded_at: stamp.at,
        recorded_by: Some(stamp.user.clone()),
        supersedes: Some(Supersedes {
            id: old.id.clone(),
            reason: reason.trim().to_string(),
            void,
        }),
    };
    let mut ledger = proactive_ledger(c).await?;
    ledger.add_proactive(record.clone(), stamp.today())?;
    c.insert_proactive(&record, stamp.at).await?;
    audit(
        c,
        stamp,
        if void {
            "proactive.void"
        } else {
            "proactive.correct"
        },
        "proactive",
        &old.id,
        json!({ "before": old, "after": record, "reason": reason.trim() }),
    )
    .await?;
    Ok(record)
}

/// Adds a case record that corrects (`case` given) or voids (`None`) case `old_id`; the old
/// record stays, no longer counted.
pub(crate) async fn supersede_appeal<C: Conn>(
    c: &mut C,
    old_id: &str,
    new_id: &str,
    case: Option<AppealCase>,
    reason: &str,
    stamp: &Stamp,
) -> Result<AppealCase> {
    let me = actor(c, stamp).await?;
    require(
        &me,
        me.any(crate::model::Role::can_record),
        "更正或作废复议诉讼案件",
    )?;
    let Some(old) = c.appeal(old_id.trim()).await? else {
        return Err(LedgerError::UnknownRecord { id: old_id.into() }.into());
    };
    let void = case.is_none();
    let mut new = case.unwrap_or_else(|| old.clone());
    new.id = new_id.trim().to_string();
    new.recorded_at = stamp.at;
    new.recorded_by = Some(stamp.user.clone());
    new.supersedes = Some(Supersedes {
        id: old.id.clone(),
        reason: reason.trim().to_string(),
        void,
    });
    let mut applications = Vec::new();
    if let Some(a) = &new.application {
        match c.application(&a.0).await? {
            Some(app) => applications.push(app),
            None => return Err(LedgerError::UnknownApplication { id: a.0.clone() }.into()),
        }
    }
    let appeals = c.all_appeals().await?;
    let mut ledger = small_ledger(applications, appeals);
    ledger.add_appeal(new.clone(), stamp.today())?;
    c.insert_appeal(&new, stamp.at).await?;
    audit(
        c,
        stamp,
        if void {
            "appeal.void"
        } else {
            "appeal.correct"
        },
        "appeal",
        &old.id,
        json!({ "before": old, "after": new, "reason": reason.trim() }),
    )
    .await?;
    Ok(new)
}

// ---- templates and audit --------------------------------------------------------------------

pub(crate) async fn audit_log<C: Conn>(c: &mut C, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
    c.audit(q).await
}
