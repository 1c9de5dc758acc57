//! Secrets the web service keeps in the database, so that several processes (and a
//! restarted one) agree on them:
//!
//! * the **CSRF secret** (generated once, in `meta`; `GONGKAI_SECRET` overrides it in the
//!   server), so a restart does not void the forms in progress;
//! * the **one-time setup code** of a new database: issued (and printed by the server) at
//!   start while no administrator exists, stored as its SHA-256 only; `/setup` needs it,
//!   and it stops working once the administrator exists. Each start issues a new code (the
//!   plain code is never stored, so it cannot be shown again): the code printed last is the
//!   one every process accepts;
//! * **personal API tokens** (`gkp_` + 64 hex digits): named, with an optional expiry,
//!   stored as SHA-256 like sessions, listed with their last use, revoked by their owner.
//!   Creating and revoking are audited; every change made with a token is audited with
//!   `auth = token:<prefix>` in the detail (see [`crate::model::Stamp::auth`]).
//!
//! And the sessions' idle timeout: [`Store::session_user`] refreshes `last_seen_at` at
//! most once a minute, so a busy user costs one small write a minute, not one a request.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use crate::auth;
use crate::backend::{AccountConn as _, Conn};
use crate::error::{Result, StoreError};
use crate::model::{ApiToken, Session, SessionToken, Stamp, User};
use crate::{Store, ops};

const META_CSRF: &str = "csrf_secret";
const META_SETUP: &str = "setup_code";
/// The beginning of every personal API token.
pub const API_TOKEN_PREFIX: &str = "gkp_";
/// How often `last_seen_at` / `last_used_at` are written at most.
const TOUCH_EVERY: i64 = 60;
/// The longest token name.
const MAX_TOKEN_NAME: usize = 100;

/// Whether `text` looks like a personal API token (`gkp_` + 64 hex digits).
pub fn is_api_token(text: &str) -> bool {
    text.strip_prefix(API_TOKEN_PREFIX)
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn setup_digest(code: &str) -> String {
    // Dashes and spaces are for reading; letters are compared as typed.
    let clean: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    auth::sha256_hex(format!("gongkai-setup\0{clean}").as_bytes())
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

async fn csrf_secret<C: Conn>(c: &mut C) -> Result<String> {
    if let Some(s) = c.meta(META_CSRF).await?.filter(|s| !s.is_empty()) {
        return Ok(s);
    }
    c.insert_meta_absent(META_CSRF, &auth::new_token()?.0)
        .await?;
    c.meta(META_CSRF)
        .await?
        .ok_or_else(|| StoreError::Password("CSRF secret not stored".into()))
}

async fn issue_setup<C: Conn>(c: &mut C, now: DateTime<Utc>) -> Result<Option<String>> {
    if c.count_users().await? > 0 {
        return Ok(None);
    }
    let raw = auth::random_password()?;
    let code = format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12]);
    let stored = json!({ "sha256": setup_digest(&code), "issued_at": now }).to_string();
    c.set_meta(META_SETUP, &stored).await?;
    Ok(Some(code))
}

async fn setup_code_ok<C: Conn>(c: &mut C, code: &str) -> Result<bool> {
    if c.count_users().await? > 0 {
        return Ok(false);
    }
    let Some(stored) = c.meta(META_SETUP).await? else {
        return Ok(false);
    };
    let want = serde_json::from_str::<serde_json::Value>(&stored)
        .ok()
        .and_then(|v| v["sha256"].as_str().map(str::to_string))
        .unwrap_or_default();
    Ok(!want.is_empty() && same(&want, &setup_digest(code)))
}

async fn setup_refused<C: Conn>(c: &mut C, client: &str, now: DateTime<Utc>) -> Result<()> {
    ops::audit(
        c,
        &Stamp::new("-", now),
        "setup.refused",
        "ledger",
        "setup",
        json!({ "client": client, "reason": "bad_setup_code" }),
    )
    .await
}

async fn create_token<C: Conn>(
    c: &mut C,
    stamp: &Stamp,
    name: &str,
    expires_at: Option<DateTime<Utc>>,
) -> Result<(String, ApiToken)> {
    // A token works in one agency: the one its owner is a member of here.
    let me = ops::actor(c, stamp).await?;
    let agency = crate::agencies::current(c).await?;
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::BadTokenName("请填写名称（如“报表脚本”）"));
    }
    if name.chars().count() > MAX_TOKEN_NAME {
        return Err(StoreError::BadTokenName("不能超过100个字符"));
    }
    let secret = format!("{API_TOKEN_PREFIX}{}", auth::new_token()?.0);
    let token = ApiToken {
        id: auth::sha256_hex(secret.as_bytes()),
        user: me.name.clone(),
        name: name.to_string(),
        prefix: secret[..API_TOKEN_PREFIX.len() + 6].to_string(),
        created_at: stamp.at,
        expires_at,
        last_used_at: None,
        revoked_at: None,
        agency_id: Some(agency),
    };
    c.insert_api_token(&token).await?;
    ops::audit(
        c,
        stamp,
        "token.create",
        "user",
        &me.name,
        json!({ "token": token.prefix, "name": token.name, "expires_at": expires_at,
                "agency_id": agency }),
    )
    .await?;
    Ok((secret, token))
}

async fn revoke_token<C: Conn>(c: &mut C, stamp: &Stamp, id: &str) -> Result<ApiToken> {
    let me = ops::actor(c, stamp).await?;
    // Someone else's token is "not found" for this user: its existence is not revealed.
    let token = match c.api_token(id).await? {
        Some(t) if t.user == me.name => t,
        _ => {
            return Err(StoreError::NotFound {
                what: "访问令牌",
                id: id.chars().take(12).collect(),
            });
        }
    };
    c.revoke_api_token(id, stamp.at).await?;
    ops::audit(
        c,
        stamp,
        "token.revoke",
        "user",
        &me.name,
        json!({ "token": token.prefix, "name": token.name }),
    )
    .await?;
    Ok(ApiToken {
        revoked_at: token.revoked_at.or(Some(stamp.at)),
        ..token
    })
}

async fn token_user<C: Conn>(
    c: &mut C,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Option<(ApiToken, User)>> {
    if !is_api_token(secret) {
        return Ok(None);
    }
    let Some(token) = c.api_token(&auth::sha256_hex(secret.as_bytes())).await? else {
        return Ok(None);
    };
    if !token.is_live(now) {
        return Ok(None);
    }
    match c.user(&token.user).await? {
        Some(row) if row.user.active => Ok(Some((token, row.user))),
        _ => Ok(None),
    }
}

fn due(last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    last.is_none_or(|l| now - l >= Duration::seconds(TOUCH_EVERY))
}

impl Store {
    /// The CSRF secret of the web service, made once and kept in the database.
    pub async fn csrf_secret(&self) -> Result<String> {
        tx!(self, write, |t| csrf_secret(t))
    }

    /// A new one-time setup code while the database has no user (`None` once it has one).
    /// Replaces the previous code; only its SHA-256 is stored.
    pub async fn issue_setup_code(&self, now: DateTime<Utc>) -> Result<Option<String>> {
        tx!(self, write, |t| issue_setup(t, now))
    }

    /// Checks the setup code (refusals audited `setup.refused` with the client address).
    /// [`StoreError::BadSetupCode`] when wrong, when none was issued, or once a user exists.
    pub async fn check_setup_code(
        &self,
        code: &str,
        client: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if tx!(self, read, |t| setup_code_ok(t, code))? {
            return Ok(());
        }
        tx!(self, write, |t| setup_refused(t, client, now))?;
        Err(StoreError::BadSetupCode)
    }

    /// Creates a personal API token for the stamp's user (audited `token.create`): the token
    /// (shown once) and its record.
    pub async fn create_api_token(
        &self,
        stamp: &Stamp,
        name: &str,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<(String, ApiToken)> {
        tx!(self, write, |t| create_token(t, stamp, name, expires_at))
    }

    /// The user's tokens, newest first (revoked ones too).
    pub async fn api_tokens(&self, user: &str) -> Result<Vec<ApiToken>> {
        tx!(self, read, |t| t.api_tokens_of(user))
    }

    /// Revokes one of the stamp's user's tokens by its id (audited `token.revoke`).
    pub async fn revoke_api_token(&self, stamp: &Stamp, id: &str) -> Result<ApiToken> {
        tx!(self, write, |t| revoke_token(t, stamp, id))
    }

    /// The token's user, if the token is live and the user active; records its use (at
    /// most once a minute).
    pub async fn api_token_user(
        &self,
        secret: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(ApiToken, User)>> {
        let found = tx!(self, read, |t| token_user(t, secret, now))?;
        if let Some((token, _)) = &found
            && due(token.last_used_at, now)
        {
            tx!(self, write, |t| t.touch_api_token(&token.id, now))?;
        }
        Ok(found)
    }

    /// The session's user, if the token is known, within its lifetime and (unless 记住我)
    /// used within `idle`, and the user active. Records the use at most once a minute.
    pub async fn session_user(
        &self,
        token: &SessionToken,
        idle: Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<(Session, User)>> {
        let found = tx!(self, read, |t| ops::session_user(t, token, idle, now))?;
        if let Some((session, _)) = &found
            && due(Some(session.last_seen_at), now)
        {
            tx!(self, write, |t| t.touch_session(&session.id, now))?;
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_tokens_are_recognised() {
        assert!(is_api_token(&format!("gkp_{}", "a".repeat(64))));
        assert!(!is_api_token(&"a".repeat(64)));
        assert!(!is_api_token("gkp_xyz"));
    }

    #[test]
    fn setup_codes_compare_without_dashes() {
        assert_eq!(setup_digest("abcd-efgh-jkmn"), setup_digest("abcdefghjkmn"));
        assert_ne!(
            setup_digest("abcd-efgh-jkmn"),
            setup_digest("ABCD-efgh-jkmn")
        );
        assert!(same("ab", "ab") && !same("ab", "ac") && !same("ab", "abc"));
    }
}
