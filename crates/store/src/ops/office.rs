//! Inside the transaction: the office's set-up and settings, users, passwords, sign-in and
//! sessions (see the parent module for the pattern: check the actor, validate, write, audit).

use super::*;
/// The office settings, with the 复议机关 and court of the agency's row (migration 0014).
pub(crate) async fn office<C: Conn>(c: &mut C) -> Result<OfficeSettings> {
    let office = match c.setting(META_OFFICE).await? {
        None => OfficeSettings::default(),
        Some(s) => serde_json::from_str(&s).map_err(|e| StoreError::Corrupt {
            what: "机关设置".into(),
            detail: e.to_string(),
        })?,
    };
    crate::agency_edit::overlay_remedy(c, office).await
}

pub(crate) async fn set_office<C: Conn>(
    c: &mut C,
    new: &OfficeSettings,
    stamp: &Stamp,
) -> Result<()> {
    let old = office(c).await?;
    let new = new.clone().normalised();
    set_json_setting(c, stamp, META_OFFICE, "修改机关设置", "office", &old, &new).await?;
    crate::agency_edit::store_remedy(c, &new).await
}

/// Writes one setting as JSON after checking that the actor may configure, audited as
/// `{subject}.set` with the value before and after.
async fn set_json_setting<C: Conn, T: serde::Serialize>(
    c: &mut C,
    stamp: &Stamp,
    key: &str,
    action_zh: &'static str,
    subject: &str,
    old: &T,
    new: &T,
) -> Result<()> {
    let me = actor(c, stamp).await?;
    require(&me, me.any(crate::model::Role::can_configure), action_zh)?;
    let text = serde_json::to_string(new).unwrap_or_default();
    c.set_setting(key, &text).await?;
    audit(
        c,
        stamp,
        &format!("{subject}.set"),
        "ledger",
        subject,
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
    if c.this_agency().await?.is_none() {
        return Err(StoreError::NotFound {
            what: "机关",
            id: String::new(),
        });
    }
    c.set_agency_name(agency.trim()).await?;
    let settings = serde_json::to_string(&Settings::default()).unwrap_or_default();
    c.set_setting(META_SETTINGS, &settings).await?;
    let office = office.clone().normalised();
    c.set_setting(
        META_OFFICE,
        &serde_json::to_string(&office).unwrap_or_default(),
    )
    .await?;
    crate::agency_edit::store_remedy(c, &office).await?;
    c.insert_user(&user, &hash).await?;
    crate::agencies::grant_here(c, &user).await?;
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
    crate::agencies::grant_here(c, &user).await?;
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
    if crate::agencies::member_row(c, name).await?.is_none() {
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
    let Some(row) = crate::agencies::member_row(c, name).await? else {
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
    let old = settings(c).await?;
    set_json_setting(
        c,
        stamp,
        META_SETTINGS,
        "修改台账设置",
        "settings",
        &old,
        &new,
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
        c.set_agency_name(name).await?;
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
