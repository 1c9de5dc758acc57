//! User administration (管理 → 用户) and passwords: list the accounts with their roles,
//! last sign-in and lock; create an account with one or more roles; set the roles;
//! disable and enable; reset a password to a temporary one shown once (to be changed at
//! the first sign-in); unlock an account locked by failed sign-ins; change one's own
//! password (with the current one). Only a 管理员 administers users — checked here, and
//! again by the store in the write's transaction, which audits every change.
//!
//! Every new password passes the rules of `gongkai_store::password` (at least 10
//! characters, not common, not derived from the user's names or the office's: zxcvbn
//! score ≥ 3), with a Chinese error naming the field. Argon2 hashing runs on a blocking
//! thread, before the write transaction opens.

use chrono::{DateTime, Utc};
use gongkai_ledger::OfficeSettings;
use gongkai_store::password::{self, Inputs};
use gongkai_store::{NewAccount, NewUser, Role, StoreError, User};

use crate::actor::Actor;
use crate::error::ServiceError;
use crate::{Result, Service};

/// An account as the administration page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub user: User,
    /// Locked by failed sign-ins until then (in the future), if locked.
    pub locked_until: Option<DateTime<Utc>>,
    /// Failed sign-ins counted now.
    pub failures: u32,
}

/// An account to create.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccountDraft {
    pub name: String,
    pub display_name: Option<String>,
    /// At least one; the first is the primary role.
    pub roles: Vec<Role>,
    /// The initial password; `None`: a temporary one is generated (and returned once).
    pub password: Option<String>,
    /// The password must be changed at the first sign-in (always so for a generated one).
    pub must_change_password: bool,
}

/// A created account, with the generated temporary password when there is one (shown
/// once, never stored in clear).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub user: User,
    pub temporary_password: Option<String>,
}

/// Hashes on a blocking thread (argon2 takes tens of milliseconds of CPU).
async fn hash(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || gongkai_store::auth::hash_password(&password))
        .await
        .map_err(|e| ServiceError::Store(StoreError::Password(e.to_string())))?
        .map_err(ServiceError::from)
}

/// Checks a password against `hash` on a blocking thread.
async fn verify(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || gongkai_store::auth::verify_password(&password, &hash))
        .await
        .unwrap_or(false)
}

/// Refuses `password` (for `field`, e.g. `新密码`) unless it passes the rules.
pub fn check_password(
    field: &'static str,
    password: &str,
    name: &str,
    display_name: Option<&str>,
    office: Option<&str>,
) -> Result<()> {
    password::check(
        password,
        &Inputs {
            name,
            display_name,
            office,
        },
    )
    .map_err(|weak| ServiceError::invalid(field, weak.to_string()))
}

impl Service {
    pub(crate) fn require_admin(actor: &Actor, what: &'static str) -> Result<()> {
        if actor.has(Role::Admin) {
            Ok(())
        } else {
            Err(ServiceError::Store(StoreError::Forbidden {
                user: actor.name().to_string(),
                role: actor.role(),
                action: what,
            }))
        }
    }

    /// The office's name, which a password must not be derived from.
    pub(crate) async fn office_name(&self) -> Option<String> {
        self.store.agency().await.ok()
    }

    /// The rules for `name`'s new password.
    async fn check_new_password(
        &self,
        field: &'static str,
        password: &str,
        name: &str,
        display_name: Option<&str>,
    ) -> Result<()> {
        let office = self.office_name().await;
        check_password(field, password, name, display_name, office.as_deref())
    }

    /// A temporary password that passes the rules for `name`.
    async fn temporary(&self, name: &str, display_name: Option<&str>) -> Result<String> {
        let office = self.office_name().await;
        Ok(password::temporary(&Inputs {
            name,
            display_name,
            office: office.as_deref(),
        })?)
    }

    /// Every account with its roles, last sign-in and lock (administrator).
    pub async fn accounts(&self, actor: &Actor) -> Result<Vec<Account>> {
        Service::require_admin(actor, "查看用户列表")?;
        let users = self.store_for(actor).users().await?;
        let throttles = self.store_for(actor).user_throttles().await?;
        let now = Utc::now();
        Ok(users
            .into_iter()
            .map(|user| {
                let t = throttles
                    .iter()
                    .find(|t| t.key.strip_prefix("user:") == Some(user.name.as_str()));
                Account {
                    locked_until: t.and_then(|t| t.locked_until).filter(|u| *u > now),
                    failures: t.map_or(0, |t| t.failures),
                    user,
                }
            })
            .collect())
    }

    /// One account (administrator).
    pub async fn account(&self, actor: &Actor, name: &str) -> Result<Account> {
        self.accounts(actor)
            .await?
            .into_iter()
            .find(|a| a.user.name == name.trim())
            .ok_or_else(|| ServiceError::NotFound {
                what: "用户",
                id: name.trim().to_string(),
            })
    }

    /// Creates an account (administrator): the password passes the rules, or a temporary
    /// one is generated (returned once; it must be changed at the first sign-in).
    pub async fn create_account(&self, actor: &Actor, draft: AccountDraft) -> Result<Created> {
        crate::limits::text("name", &draft.name)?;
        crate::limits::opt("display_name", draft.display_name.as_deref())?;
        crate::limits::opt("password", draft.password.as_deref())?;
        let subject = draft.name.trim().to_string();
        let r = async {
            Service::require_admin(actor, "添加用户")?;
            let name = draft.name.trim().to_string();
            if name.is_empty() || name.chars().any(char::is_whitespace) {
                return Err(ServiceError::invalid("用户名", "不能为空或含空格"));
            }
            if draft.roles.is_empty() {
                return Err(ServiceError::invalid("角色", "至少选择一个角色"));
            }
            let display = draft
                .display_name
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty());
            let (pw, generated) = match draft.password.filter(|p| !p.is_empty()) {
                Some(p) => {
                    self.check_new_password("初始密码", &p, &name, display)
                        .await?;
                    (p, false)
                }
                None => (self.temporary(&name, display).await?, true),
            };
            let account = NewAccount {
                name,
                display_name: display.map(str::to_string),
                roles: draft.roles,
                password_hash: hash(pw.clone()).await?,
                must_change_password: generated || draft.must_change_password,
            };
            let user = self
                .store_for(actor)
                .create_user(&account, &actor.stamp())
                .await?;
            tracing::info!(user = actor.name(), new = %user.name, "user created");
            Ok(Created {
                user,
                temporary_password: generated.then_some(pw),
            })
        }
        .await;
        self.refused(actor, "user.add", &subject, r).await
    }

    /// Sets `name`'s roles (administrator).
    pub async fn set_roles(&self, actor: &Actor, name: &str, roles: &[Role]) -> Result<User> {
        crate::limits::text("name", name)?;
        let r = async {
            Service::require_admin(actor, "设置用户角色")?;
            if roles.is_empty() {
                return Err(ServiceError::invalid("角色", "至少选择一个角色"));
            }
            Ok(self
                .store
                .set_user_roles(name.trim(), roles, &actor.stamp())
                .await?)
        }
        .await;
        self.refused(actor, "user.roles", name.trim(), r).await
    }

    /// Disables or enables `name` (administrator; not oneself).
    pub async fn set_account_active(&self, actor: &Actor, name: &str, active: bool) -> Result<()> {
        crate::limits::text("name", name)?;
        let r = async {
            Service::require_admin(actor, "启用或停用用户")?;
            Ok(self
                .store
                .set_user_active(name.trim(), active, &actor.stamp())
                .await?)
        }
        .await;
        self.refused(actor, "user.active", name.trim(), r).await
    }

    /// Resets `name`'s password to a temporary one (administrator), returned to be shown
    /// once; the user must change it at the next sign-in, and their sessions end.
    pub async fn reset_password(&self, actor: &Actor, name: &str) -> Result<String> {
        crate::limits::text("name", name)?;
        let r = async {
            Service::require_admin(actor, "重置他人的密码")?;
            let name = name.trim();
            let user = self
                .store
                .user(name)
                .await?
                .ok_or_else(|| StoreError::UnknownUser { name: name.into() })?;
            let pw = self
                .temporary(&user.name, user.display_name.as_deref())
                .await?;
            let h = hash(pw.clone()).await?;
            self.store_for(actor)
                .set_user_password_hash(name, &h, true, &actor.stamp())
                .await?;
            tracing::info!(user = actor.name(), target = name, "password reset");
            Ok(pw)
        }
        .await;
        self.refused(actor, "user.reset", name.trim(), r).await
    }

    /// Sets `name`'s password to `new` (administrator, or the user on the command line):
    /// the rules apply; the password must be changed at the next sign-in when an
    /// administrator set it for someone else and `temporary` says so.
    pub async fn set_password_checked(
        &self,
        actor: &Actor,
        name: &str,
        new: &str,
        temporary: bool,
    ) -> Result<()> {
        crate::limits::text("name", name)?;
        crate::limits::text("password", new)?;
        let r = async {
            let name = name.trim();
            if name != actor.name() {
                Service::require_admin(actor, "修改他人的密码")?;
            }
            let user = self
                .store
                .user(name)
                .await?
                .ok_or_else(|| StoreError::UnknownUser { name: name.into() })?;
            self.check_new_password("新密码", new, name, user.display_name.as_deref())
                .await?;
            let h = hash(new.to_string()).await?;
            let must = temporary && name != actor.name();
            Ok(self
                .store
                .set_user_password_hash(name, &h, must, &actor.stamp())
                .await?)
        }
        .await;
        self.refused(actor, "user.password", name.trim(), r).await
    }

    /// The actor changes their own password: the current one must be right, the new one
    /// pass the rules and differ from it. Ends the user's sessions (they sign in again).
    pub async fn change_own_password(&self, actor: &Actor, current: &str, new: &str) -> Result<()> {
        crate::limits::text("password", current)?;
        crate::limits::text("password", new)?;
        let (user, h) = self
            .store
            .user_with_hash(actor.name())
            .await?
            .ok_or_else(|| StoreError::UnknownUser {
                name: actor.name().into(),
            })?;
        if !verify(current.to_string(), h).await {
            return Err(ServiceError::invalid("当前密码", "不正确"));
        }
        if current == new {
            return Err(ServiceError::invalid("新密码", "不能与当前密码相同"));
        }
        self.check_new_password("新密码", new, &user.name, user.display_name.as_deref())
            .await?;
        let h = hash(new.to_string()).await?;
        self.store_for(actor)
            .set_user_password_hash(&user.name, &h, false, &actor.stamp())
            .await?;
        tracing::info!(user = actor.name(), "own password changed");
        Ok(())
    }

    /// First run: the office's name and settings and the first administrator, whose
    /// password passes the rules (`/setup`, `ledger init`).
    pub async fn initialise(
        &self,
        agency: &str,
        admin: &NewUser,
        office: &OfficeSettings,
    ) -> Result<User> {
        check_password(
            "密码",
            &admin.password,
            admin.name.trim(),
            admin.display_name.as_deref(),
            Some(agency.trim()).filter(|a| !a.is_empty()),
        )?;
        Ok(self
            .store
            .init_office(agency, admin, office, Utc::now())
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_errors_name_the_field_in_chinese() {
        let e = check_password("新密码", "short", "li", None, None).unwrap_err();
        assert_eq!(e.code(), "invalid_field");
        assert!(e.to_string().starts_with("新密码："), "{e}");
        assert!(e.to_string().contains("10"), "{e}");
        check_password("新密码", "Plum7-harbor-Quill", "li", None, None).unwrap();
    }
}
