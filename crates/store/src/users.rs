//! User administration with hashes made by the caller (off the async runtime and outside
//! any write transaction, like the sign-in): a new account with several roles, the roles
//! of an account, a password (a reset by an administrator or one's own change, with the
//! flag that it must be changed at the next sign-in), and what the administration page
//! lists (accounts with their sign-in throttles). Every write checks the acting user (an
//! administrator, or the user for their own password) and is audited in its transaction.

use serde_json::json;

use crate::Store;
use crate::backend::{AccountConn as _, Conn};
use crate::error::{Result, StoreError};
use crate::model::{NewUser, Role, Stamp, User};
use crate::ops::{actor, audit, new_user_row, require};
use crate::signin::Throttle;

/// An account to create: the password is already hashed (argon2id PHC string).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub name: String,
    pub display_name: Option<String>,
    /// At least one; the first is the primary role.
    pub roles: Vec<Role>,
    pub password_hash: String,
    /// The password is temporary: it must be changed at the first sign-in.
    pub must_change_password: bool,
}

/// The primary role and the others of a non-empty list (repeats dropped).
fn split_roles(roles: &[Role]) -> Result<(Role, Vec<Role>)> {
    let Some(&primary) = roles.first() else {
        return Err(StoreError::Ledger(
            gongkai_ledger::LedgerError::EmptyField {
                field: "角色（至少选择一个）",
            },
        ));
    };
    let others = Role::ALL
        .into_iter()
        .filter(|r| *r != primary && roles.contains(r))
        .collect();
    Ok((primary, others))
}

async fn create<C: Conn>(c: &mut C, new: &NewAccount, stamp: &Stamp) -> Result<User> {
    let me = actor(c, stamp).await?;
    require(&me, me.any(Role::can_manage_users), "添加用户")?;
    let (role, other_roles) = split_roles(&new.roles)?;
    let mut user = new_user_row(
        &NewUser {
            name: new.name.clone(),
            display_name: new.display_name.clone(),
            role,
            password: String::new(),
        },
        stamp.at,
    )?;
    user.other_roles = other_roles;
    user.must_change_password = new.must_change_password;
    if c.user(&user.name).await?.is_some() {
        return Err(StoreError::DuplicateUser { name: user.name });
    }
    c.insert_user(&user, &new.password_hash).await?;
    crate::agencies::grant_here(c, &user).await?;
    audit(
        c,
        stamp,
        "user.add",
        "user",
        &user.name,
        json!({
            "role": user.role,
            "roles": user.roles(),
            "display_name": user.display_name,
            "must_change_password": user.must_change_password,
        }),
    )
    .await?;
    Ok(user)
}

async fn set_roles<C: Conn>(c: &mut C, name: &str, roles: &[Role], stamp: &Stamp) -> Result<User> {
    let me = actor(c, stamp).await?;
    require(&me, me.any(Role::can_manage_users), "设置用户角色")?;
    let Some(row) = crate::agencies::member_row(c, name).await? else {
        return Err(StoreError::UnknownUser { name: name.into() });
    };
    // The roles held here (none if the user does not serve this agency yet).
    let old = crate::agencies::member(c, row.user.clone())
        .await?
        .unwrap_or(User {
            other_roles: Vec::new(),
            ..row.user
        });
    // Keep the primary role when it is still held: stamps and messages keep naming it.
    let mut ordered: Vec<Role> = roles.to_vec();
    if let Some(i) = ordered.iter().position(|r| *r == old.role) {
        ordered.swap(0, i);
    }
    let (role, others) = split_roles(&ordered)?;
    if me.name == name && !(role == Role::Admin || others.contains(&Role::Admin)) {
        return Err(StoreError::Forbidden {
            user: me.name,
            role: me.role,
            action: "取消自己的管理员角色",
        });
    }
    c.set_user_roles(name, role, &others).await?;
    let user = User {
        role,
        other_roles: others,
        ..old.clone()
    };
    crate::agencies::grant_here(c, &user).await?;
    audit(
        c,
        stamp,
        "user.roles",
        "user",
        name,
        json!({ "before": old.roles(), "after": user.roles() }),
    )
    .await?;
    Ok(user)
}

async fn set_hash<C: Conn>(
    c: &mut C,
    name: &str,
    hash: &str,
    must_change: bool,
    stamp: &Stamp,
) -> Result<()> {
    let me = actor(c, stamp).await?;
    let own = me.name == name;
    require(&me, own || me.any(Role::can_manage_users), "修改他人的密码")?;
    if crate::agencies::member_row(c, name).await?.is_none() {
        return Err(StoreError::UnknownUser { name: name.into() });
    }
    c.set_password_hash(name, hash).await?;
    c.set_must_change_password(name, must_change).await?;
    let ended = c.delete_sessions_of(name).await?;
    audit(
        c,
        stamp,
        if own { "user.password" } else { "user.reset" },
        "user",
        name,
        json!({ "sessions_ended": ended, "must_change_password": must_change }),
    )
    .await
}

async fn hash_of<C: Conn>(c: &mut C, name: &str) -> Result<Option<(User, String)>> {
    Ok(c.user(name).await?.map(|r| (r.user, r.password_hash)))
}

impl Store {
    /// An administrator adds an account with several roles and a password hashed by the
    /// caller (audited `user.add`).
    pub async fn create_user(&self, new: &NewAccount, stamp: &Stamp) -> Result<User> {
        tx!(self, write, |t| create(t, new, stamp))
    }

    /// An administrator sets `name`'s roles (at least one; the primary role is kept when
    /// still held, else the first of `roles`); audited `user.roles`. An administrator
    /// cannot take the administrator role from themselves.
    pub async fn set_user_roles(&self, name: &str, roles: &[Role], stamp: &Stamp) -> Result<User> {
        tx!(self, write, |t| set_roles(t, name, roles, stamp))
    }

    /// Sets `name`'s password hash (one's own: audited `user.password`; an administrator's
    /// reset of another's: `user.reset`) and whether it must be changed at the next
    /// sign-in; ends the user's sessions.
    pub async fn set_user_password_hash(
        &self,
        name: &str,
        hash: &str,
        must_change: bool,
        stamp: &Stamp,
    ) -> Result<()> {
        tx!(self, write, |t| set_hash(t, name, hash, must_change, stamp))
    }

    /// The user and their password hash (for checking the current password off the
    /// runtime).
    pub async fn user_with_hash(&self, name: &str) -> Result<Option<(User, String)>> {
        tx!(self, read, |t| hash_of(t, name))
    }

    /// The sign-in throttles of every account (`user:NAME`), for the administration page.
    pub async fn user_throttles(&self) -> Result<Vec<Throttle>> {
        tx!(self, read, |t| t.user_throttles())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_role_is_the_primary_one() {
        let (p, o) = split_roles(&[Role::Leader, Role::Clerk, Role::Leader]).unwrap();
        assert_eq!(p, Role::Leader);
        assert_eq!(o, vec![Role::Clerk]);
        assert!(split_roles(&[]).is_err());
    }
}
