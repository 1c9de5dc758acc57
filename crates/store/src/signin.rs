//! Signing in with a password, throttled per account and per client address.
//!
//! Every failed login counts against the account (`user:NAME`, also for names that do not
//! exist, so probing names is throttled the same way) and against the client address
//! (`addr:ADDRESS`, when the address is known). One failure costs nothing (a typo is retyped at once); after the
//! second the next attempt on that key waits an exponentially growing delay (1 s, 2 s,
//! 4 s … up to [`ThrottlePolicy::max_delay`]); `max_failures`
//! failures within `window` lock the key for `lock`. A lock ends by itself or, for an
//! account, when an administrator unlocks it ([`Store::unlock_user`]). A successful login
//! clears the account's count (not the address's: one known password must not wash out a
//! guessing run from the same address). Failures, locks, refusals and unlocks are audited
//! with the client address.
//!
//! The password check (argon2, about 50 ms of CPU) runs on a blocking thread and outside
//! any write transaction: the throttle is read first, the hash checked, then one short write
//! records the outcome, so a burst of logins never holds the database's write lock.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use crate::auth;
use crate::backend::Conn;
use crate::error::{Result, StoreError};
use crate::model::{Session, SessionToken, Stamp, User};
use crate::{Store, ops, password};

/// How logins are throttled. The defaults suit an office: 5 failures within 15 minutes
/// lock for 15 minutes; delays double from 1 s up to 60 s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures within `window` that lock the key.
    pub max_failures: u32,
    /// The period failures are counted in; an older first failure starts a new count.
    pub window: Duration,
    /// How long a lock lasts.
    pub lock: Duration,
    /// The longest delay between two attempts on a key.
    pub max_delay: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            max_failures: 5,
            window: Duration::minutes(15),
            lock: Duration::minutes(15),
            max_delay: Duration::seconds(60),
        }
    }
}

/// The failed logins of one key (`user:NAME` or `addr:ADDRESS`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Throttle {
    pub key: String,
    /// Failures since `first_at`.
    pub failures: u32,
    pub first_at: DateTime<Utc>,
    pub last_at: DateTime<Utc>,
    /// Locked until then, if locked.
    pub locked_until: Option<DateTime<Utc>>,
}

impl Throttle {
    /// Why an attempt at `now` is refused before the password is looked at, if it is.
    fn refusal(&self, policy: &ThrottlePolicy, now: DateTime<Utc>) -> Option<StoreError> {
        if let Some(until) = self.locked_until
            && until > now
        {
            return Some(StoreError::LoginLocked { until });
        }
        if self.failures == 0 || now - self.first_at > policy.window {
            return None;
        }
        let ready = self.last_at + delay(policy, self.failures);
        (ready > now).then(|| StoreError::LoginThrottled {
            retry_after: u64::try_from((ready - now).num_seconds().max(1)).unwrap_or(1),
        })
    }

    /// This key after one more failure at `now`.
    fn failed(self, policy: &ThrottlePolicy, now: DateTime<Utc>) -> Throttle {
        let fresh = self.failures == 0
            || now - self.first_at > policy.window
            || self.locked_until.is_some_and(|u| u <= now);
        let (failures, first_at) = if fresh {
            (1, now)
        } else {
            (self.failures.saturating_add(1), self.first_at)
        };
        let locked_until = (failures >= policy.max_failures).then(|| now + policy.lock);
        Throttle {
            key: self.key,
            failures,
            first_at,
            last_at: now,
            locked_until,
        }
    }
}

/// The delay after `failures` failures: none after one, then 1 s, 2 s, 4 s …, at most
/// `max_delay`.
fn delay(policy: &ThrottlePolicy, failures: u32) -> Duration {
    if failures < 2 {
        return Duration::zero();
    }
    let secs = 1i64 << (failures - 2).min(20);
    Duration::seconds(secs).min(policy.max_delay)
}

fn user_key(name: &str) -> String {
    format!("user:{name}")
}

/// The address's key; none for an unknown address (`-`), which must not make every
/// unknown client share one count.
fn addr_key(client: &str) -> Option<String> {
    (client != "-" && !client.is_empty()).then(|| format!("addr:{client}"))
}

fn empty(key: String, now: DateTime<Utc>) -> Throttle {
    Throttle {
        key,
        failures: 0,
        first_at: now,
        last_at: now,
        locked_until: None,
    }
}

/// Read: the throttles of the account and the address, and the user row.
type Before = (
    Option<Throttle>,
    Option<Throttle>,
    Option<(User, String)>,
    Option<String>,
);

/// Read: the throttles of the account and the address, the user row and the office's
/// name (which a password must not be derived from).
async fn before<C: Conn>(c: &mut C, name: &str, client: &str) -> Result<Before> {
    let user = c.throttle(&user_key(name)).await?;
    let addr = match addr_key(client) {
        Some(k) => c.throttle(&k).await?,
        None => None,
    };
    let row = c.user(name).await?.map(|r| (r.user, r.password_hash));
    let office = crate::ops::agency(c).await.ok();
    Ok((user, addr, row, office))
}

/// Write: a refusal before the check, audited.
async fn refused<C: Conn>(
    c: &mut C,
    name: &str,
    client: &str,
    why: &StoreError,
    now: DateTime<Utc>,
) -> Result<()> {
    let stamp = Stamp::new(name, now).client(client);
    ops::audit(
        c,
        &stamp,
        "session.login_refused",
        "user",
        name,
        json!({ "client": client, "reason": why.code() }),
    )
    .await
}

/// Write: a failed check counted on both keys, audited (and the lock, when it comes).
async fn failed<C: Conn>(
    c: &mut C,
    name: &str,
    client: &str,
    policy: &ThrottlePolicy,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    let mut locked = None;
    for key in std::iter::once(user_key(name)).chain(addr_key(client)) {
        // Read, count, write back: one process at a time per key (always the account
        // first, then the address, so two failures cannot wait for each other).
        c.lock_key(&key).await?;
        let t = c.throttle(&key).await?.unwrap_or_else(|| empty(key, now));
        let was_locked = t.locked_until.is_some_and(|u| u > now);
        let t = t.failed(policy, now);
        c.put_throttle(&t).await?;
        if let Some(until) = t.locked_until
            && !was_locked
        {
            locked = Some(until);
            let stamp = Stamp::new(name, now).client(client);
            ops::audit(
                c,
                &stamp,
                "session.locked",
                "user",
                name,
                json!({ "client": client, "key": t.key, "until": until, "failures": t.failures }),
            )
            .await?;
        }
    }
    let stamp = Stamp::new(name, now).client(client);
    ops::audit(
        c,
        &stamp,
        "session.login_failed",
        "user",
        name,
        json!({ "client": client }),
    )
    .await?;
    Ok(locked)
}

/// Write: the session of a good login; the account's count cleared, the time of the
/// login kept, and a password that fails today's rules (`weak`) flagged to be changed.
async fn succeeded<C: Conn>(
    c: &mut C,
    user: &User,
    client: &str,
    ttl: Duration,
    persistent: bool,
    now: DateTime<Utc>,
    weak: bool,
) -> Result<(SessionToken, Session)> {
    c.clear_throttle(&user_key(&user.name)).await?;
    c.set_last_login(&user.name, now).await?;
    if weak && !user.must_change_password {
        c.set_must_change_password(&user.name, true).await?;
    }
    let token = auth::new_token()?;
    let session = Session {
        id: auth::token_id(&token),
        user: user.name.clone(),
        created_at: now,
        expires_at: now + ttl,
        last_seen_at: now,
        persistent,
        agency_id: None,
    };
    c.insert_session(&session).await?;
    let stamp = Stamp::new(&user.name, now).client(client);
    ops::audit(
        c,
        &stamp,
        "session.login",
        "user",
        &user.name,
        json!({
            "expires_at": session.expires_at,
            "client": client,
            "persistent": persistent,
            "weak_password": weak,
        }),
    )
    .await?;
    Ok((token, session))
}

/// Write: an administrator clears an account's lock and count.
async fn unlock<C: Conn>(c: &mut C, stamp: &Stamp, name: &str) -> Result<bool> {
    let admin = ops::actor(c, stamp).await?;
    if !admin.has(crate::model::Role::Admin) {
        return Err(StoreError::Forbidden {
            user: admin.name,
            role: admin.role,
            action: "解除账户锁定",
        });
    }
    if crate::agencies::member_row(c, name).await?.is_none() {
        return Err(StoreError::UnknownUser { name: name.into() });
    }
    let cleared = c.clear_throttle(&user_key(name)).await? > 0;
    ops::audit(
        c,
        stamp,
        "user.unlock",
        "user",
        name,
        json!({ "was_throttled": cleared }),
    )
    .await?;
    Ok(cleared)
}

impl Store {
    /// Checks `name`'s password from `client` (an address, or `-` when unknown) under
    /// `policy` and opens a session valid for `ttl`. Refused without looking at the
    /// password while the account or the address is locked ([`StoreError::LoginLocked`])
    /// or inside its back-off delay ([`StoreError::LoginThrottled`]); a wrong name or
    /// password is [`StoreError::BadCredentials`] (or `LoginLocked` when it was the one
    /// that locked). Everything is audited with the client address.
    pub async fn sign_in(
        &self,
        name: &str,
        password: &str,
        client: &str,
        policy: &ThrottlePolicy,
        ttl: Duration,
        now: DateTime<Utc>,
    ) -> Result<(SessionToken, Session, User)> {
        self.sign_in_for(name, password, client, policy, ttl, false, now)
            .await
    }

    /// [`Store::sign_in`] with the session marked `persistent` (记住我: no idle timeout,
    /// only the lifetime `ttl`).
    #[allow(clippy::too_many_arguments)]
    pub async fn sign_in_for(
        &self,
        name: &str,
        password: &str,
        client: &str,
        policy: &ThrottlePolicy,
        ttl: Duration,
        persistent: bool,
        now: DateTime<Utc>,
    ) -> Result<(SessionToken, Session, User)> {
        let (user_t, addr_t, row, office) = tx!(self, read, |t| before(t, name, client))?;
        let refusal = [user_t, addr_t]
            .into_iter()
            .flatten()
            .find_map(|t| t.refusal(policy, now));
        if let Some(why) = refusal {
            tx!(self, write, |t| refused(t, name, client, &why, now))?;
            return Err(why);
        }
        let (user, hash) = match row {
            Some((u, h)) if u.active => (Some(u), h),
            _ => (None, auth::dummy_hash().to_string()),
        };
        let pw = password.to_string();
        let inputs = user
            .as_ref()
            .map(|u| (u.name.clone(), u.display_name.clone()));
        // The hash and, for a good password, today's rules (zxcvbn), off the runtime.
        let (good, weak) = tokio::task::spawn_blocking(move || {
            let good = auth::verify_password(&pw, &hash);
            let weak = good
                && inputs.is_some_and(|(name, display)| {
                    !password::passes(
                        &pw,
                        &password::Inputs {
                            name: &name,
                            display_name: display.as_deref(),
                            office: office.as_deref(),
                        },
                    )
                });
            (good, weak)
        })
        .await
        .unwrap_or((false, false));
        match user {
            Some(mut user) if good => {
                let (token, session) = tx!(self, write, |t| succeeded(
                    t, &user, client, ttl, persistent, now, weak
                ))?;
                user.last_login_at = Some(now);
                user.must_change_password |= weak;
                Ok((token, session, user))
            }
            _ => {
                let locked = tx!(self, write, |t| failed(t, name, client, policy, now))?;
                Err(match locked {
                    Some(until) => StoreError::LoginLocked { until },
                    None => StoreError::BadCredentials,
                })
            }
        }
    }

    /// An administrator clears `name`'s lock and failure count (audited `user.unlock`);
    /// true if there was one.
    pub async fn unlock_user(&self, stamp: &Stamp, name: &str) -> Result<bool> {
        tx!(self, write, |t| unlock(t, stamp, name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + s, 0).unwrap()
    }

    #[test]
    fn delays_double_and_a_lock_comes_at_the_limit() {
        let p = ThrottlePolicy::default();
        let mut t = empty("user:li".into(), at(0));
        assert!(t.refusal(&p, at(0)).is_none());
        // One failure: retry at once; two: 1 s, three: 2 s …
        t = t.failed(&p, at(0));
        assert!(t.refusal(&p, at(0)).is_none());
        t = t.failed(&p, at(0));
        assert!(matches!(
            t.refusal(&p, at(0)),
            Some(StoreError::LoginThrottled { retry_after: 1 })
        ));
        assert!(t.refusal(&p, at(1)).is_none());
        t = t.failed(&p, at(1));
        assert!(t.refusal(&p, at(2)).is_some());
        assert!(t.refusal(&p, at(3)).is_none());
        for s in [10, 20] {
            t = t.failed(&p, at(s));
        }
        assert_eq!(t.failures, 5);
        assert_eq!(t.locked_until, Some(at(20 + 15 * 60)));
        assert!(matches!(
            t.refusal(&p, at(21)),
            Some(StoreError::LoginLocked { .. })
        ));
        // After the lock and the window, a fresh count.
        let later = at(20 + 15 * 60 + 1);
        assert!(t.refusal(&p, later).is_none());
        assert_eq!(t.failed(&p, later).failures, 1);
    }

    #[test]
    fn the_delay_is_capped() {
        let p = ThrottlePolicy::default();
        assert_eq!(delay(&p, 1), Duration::zero());
        assert_eq!(delay(&p, 2), Duration::seconds(1));
        assert_eq!(delay(&p, 5), Duration::seconds(8));
        assert_eq!(delay(&p, 30), Duration::seconds(60));
    }
}
