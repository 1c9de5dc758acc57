//! The accounts' primitives (users, sessions, API tokens, sign-in throttles), once for
//! both backends like [`super::Conn`], which requires them.

use chrono::{DateTime, Utc};

use super::rows::*;
use crate::error::Result;
use crate::model::{ApiToken, Role, Session, User};

/// A user row with its password hash.
pub(crate) struct UserRow {
    pub user: User,
    pub password_hash: String,
}

/// The accounts' SQL of one transaction. Not public: callers use [`crate::Store`].
pub(crate) trait AccountConn: Send {
    async fn user(&mut self, name: &str) -> Result<Option<UserRow>>;
    async fn users(&mut self) -> Result<Vec<User>>;
    async fn count_users(&mut self) -> Result<i64>;
    async fn insert_user(&mut self, user: &User, password_hash: &str) -> Result<()>;
    async fn set_password_hash(&mut self, name: &str, hash: &str) -> Result<()>;
    async fn set_user_active(&mut self, name: &str, active: bool) -> Result<()>;
    /// Sets the primary role and the other roles.
    async fn set_user_roles(&mut self, name: &str, role: Role, others: &[Role]) -> Result<()>;
    async fn set_last_login(&mut self, name: &str, at: DateTime<Utc>) -> Result<()>;
    async fn set_must_change_password(&mut self, name: &str, must: bool) -> Result<()>;
    /// The throttles of every account (`user:NAME`).
    async fn user_throttles(&mut self) -> Result<Vec<crate::signin::Throttle>>;

    async fn insert_session(&mut self, s: &Session) -> Result<()>;
    async fn session(&mut self, id: &str) -> Result<Option<Session>>;
    async fn delete_session(&mut self, id: &str) -> Result<u64>;
    async fn delete_sessions_of(&mut self, user: &str) -> Result<u64>;
    async fn delete_expired_sessions(&mut self, now: DateTime<Utc>) -> Result<u64>;
    async fn touch_session(&mut self, id: &str, at: DateTime<Utc>) -> Result<()>;

    /// Personal API tokens (`crate::tokens`).
    async fn insert_api_token(&mut self, t: &ApiToken) -> Result<()>;
    async fn api_token(&mut self, id: &str) -> Result<Option<ApiToken>>;
    async fn api_tokens_of(&mut self, user: &str) -> Result<Vec<ApiToken>>;
    async fn revoke_api_token(&mut self, id: &str, at: DateTime<Utc>) -> Result<u64>;
    async fn touch_api_token(&mut self, id: &str, at: DateTime<Utc>) -> Result<()>;

    /// Sign-in throttling rows (`crate::signin`).
    async fn throttle(&mut self, key: &str) -> Result<Option<crate::signin::Throttle>>;
    async fn put_throttle(&mut self, t: &crate::signin::Throttle) -> Result<()>;
    async fn clear_throttle(&mut self, key: &str) -> Result<u64>;
}

/// The columns a [`UserTuple`] reads.
macro_rules! user_columns {
    () => {
        "name, display_name, role, password_hash, active, created_at, \
         other_roles, last_login_at, must_change_password"
    };
}

macro_rules! impl_account_conn {
    ($db:ty) => {
        impl AccountConn for crate::Tx<'_, $db> {
            async fn user(&mut self, name: &str) -> Result<Option<UserRow>> {
                let row: Option<UserTuple> = sqlx::query_as(concat!(
                    "SELECT ",
                    user_columns!(),
                    " FROM users WHERE name = $1"
                ))
                .bind(name)
                .fetch_optional(&mut *self.t)
                .await?;
                row.map(user_from).transpose()
            }

            async fn users(&mut self) -> Result<Vec<User>> {
                let rows: Vec<UserTuple> = sqlx::query_as(concat!(
                    "SELECT ",
                    user_columns!(),
                    " FROM users ORDER BY name"
                ))
                .fetch_all(&mut *self.t)
                .await?;
                rows.into_iter().map(|t| user_from(t).map(|u| u.user)).collect()
            }

            async fn count_users(&mut self) -> Result<i64> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
                    .fetch_one(&mut *self.t)
                    .await?)
            }

            async fn insert_user(&mut self, u: &User, password_hash: &str) -> Result<()> {
                sqlx::query(
                    "INSERT INTO users (name, display_name, role, password_hash, active, created_at, \
                     other_roles, must_change_password) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(&u.name)
                .bind(&u.display_name)
                .bind(u.role.as_str())
                .bind(password_hash)
                .bind(u.active)
                .bind(u.created_at)
                .bind(Role::join(&u.other_roles))
                .bind(u.must_change_password)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn set_password_hash(&mut self, name: &str, hash: &str) -> Result<()> {
                sqlx::query("UPDATE users SET password_hash = $2 WHERE name = $1")
                    .bind(name)
                    .bind(hash)
                    .execute(&mut *self.t)
                    .await?;
                Ok(())
            }

            async fn set_user_active(&mut self, name: &str, active: bool) -> Result<()> {
                sqlx::query("UPDATE users SET active = $2 WHERE name = $1")
                    .bind(name)
                    .bind(active)
                    .execute(&mut *self.t)
                    .await?;
                Ok(())
            }

            async fn set_user_roles(
                &mut self,
                name: &str,
                role: Role,
                others: &[Role],
            ) -> Result<()> {
                sqlx::query("UPDATE users SET role = $2, other_roles = $3 WHERE name = $1")
                    .bind(name)
                    .bind(role.as_str())
                    .bind(Role::join(others))
                    .execute(&mut *self.t)
                    .await?;
                Ok(())
            }

            async fn set_last_login(&mut self, name: &str, at: DateTime<Utc>) -> Result<()> {
                sqlx::query("UPDATE users SET last_login_at = $2 WHERE name = $1")
                    .bind(name)
                    .bind(at)
                    .execute(&mut *self.t)
                    .await?;
                Ok(())
            }

            async fn set_must_change_password(&mut self, name: &str, must: bool) -> Result<()> {
                sqlx::query("UPDATE users SET must_change_password = $2 WHERE name = $1")
                    .bind(name)
                    .bind(must)
                    .execute(&mut *self.t)
                    .await?;
                Ok(())
            }

            async fn user_throttles(&mut self) -> Result<Vec<crate::signin::Throttle>> {
                let rows: Vec<ThrottleRow> = sqlx::query_as(
                    "SELECT key, failures, first_at, last_at, locked_until \
                     FROM login_throttle WHERE key LIKE 'user:%' ORDER BY key",
                )
                .fetch_all(&mut *self.t)
                .await?;
                Ok(rows.into_iter().map(throttle_from).collect())
            }

            async fn insert_session(&mut self, s: &Session) -> Result<()> {
                sqlx::query(
                    "INSERT INTO sessions \
                     (id, user_name, created_at, expires_at, last_seen_at, persistent, \
                     agency_id) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(&s.id)
                .bind(&s.user)
                .bind(s.created_at)
                .bind(s.expires_at)
                .bind(s.last_seen_at)
                .bind(s.persistent)
                .bind(s.agency_id)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn session(&mut self, id: &str) -> Result<Option<Session>> {
                type Row = (
                    String,
                    String,
                    DateTime<Utc>,
                    DateTime<Utc>,
                    Option<DateTime<Utc>>,
                    bool,
                    Option<i64>,
                );
                let row: Option<Row> = sqlx::query_as(
                    "SELECT id, user_name, created_at, expires_at, last_seen_at, persistent, \
                     agency_id FROM sessions WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *self.t)
                .await?;
                Ok(row.map(
                    |(id, user, created_at, expires_at, last_seen_at, persistent, agency_id)| {
                        Session {
                            id,
                            user,
                            created_at,
                            expires_at,
                            last_seen_at: last_seen_at.unwrap_or(created_at),
                            persistent,
                            agency_id,
                        }
                    },
                ))
            }

            async fn delete_session(&mut self, id: &str) -> Result<u64> {
                Ok(sqlx::query("DELETE FROM sessions WHERE id = $1")
                    .bind(id)
                    .execute(&mut *self.t)
                    .await?
                    .rows_affected())
            }

            async fn delete_sessions_of(&mut self, user: &str) -> Result<u64> {
                Ok(sqlx::query("DELETE FROM sessions WHERE user_name = $1")
                    .bind(user)
                    .execute(&mut *self.t)
                    .await?
                    .rows_affected())
            }

            async fn delete_expired_sessions(&mut self, now: DateTime<Utc>) -> Result<u64> {
                Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                    .bind(now)
                    .execute(&mut *self.t)
                    .await?
                    .rows_affected())
            }

            async fn touch_session(&mut self, id: &str, at: DateTime<Utc>) -> Result<()> {
                sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id = $1")
                    .bind(id)
                    .bind(at)
                    .execute(&mut *self.t)
                    .await?;
                Ok(())
            }

            async fn insert_api_token(&mut self, t: &ApiToken) -> Result<()> {
                sqlx::query(
                    "INSERT INTO api_tokens (id, user_name, name, prefix, created_at, \
                     expires_at, last_used_at, revoked_at, agency_id) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(&t.id)
                .bind(&t.user)
                .bind(&t.name)
                .bind(&t.prefix)
                .bind(t.created_at)
                .bind(t.expires_at)
                .bind(t.last_used_at)
                .bind(t.revoked_at)
                .bind(t.agency_id)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn api_token(&mut self, id: &str) -> Result<Option<ApiToken>> {
                let row: Option<ApiTokenTuple> = sqlx::query_as(
                    "SELECT id, user_name, name, prefix, created_at, expires_at, last_used_at, \
                     revoked_at, agency_id FROM api_tokens WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *self.t)
                .await?;
                Ok(row.map(api_token_from))
            }

            async fn api_tokens_of(&mut self, user: &str) -> Result<Vec<ApiToken>> {
                let rows: Vec<ApiTokenTuple> = sqlx::query_as(
                    "SELECT id, user_name, name, prefix, created_at, expires_at, last_used_at, \
                     revoked_at, agency_id FROM api_tokens WHERE user_name = $1 ORDER BY created_at DESC, id",
                )
                .bind(user)
                .fetch_all(&mut *self.t)
                .await?;
                Ok(rows.into_iter().map(api_token_from).collect())
            }

            async fn revoke_api_token(&mut self, id: &str, at: DateTime<Utc>) -> Result<u64> {
                Ok(sqlx::query(
                    "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                )
                .bind(id)
                .bind(at)
                .execute(&mut *self.t)
                .await?
                .rows_affected())
            }

            async fn touch_api_token(&mut self, id: &str, at: DateTime<Utc>) -> Result<()> {
                sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
                    .bind(id)
                    .bind(at)
                    .execute(&mut *self.t)
                    .await?;
                Ok(())
            }

            async fn throttle(&mut self, key: &str) -> Result<Option<crate::signin::Throttle>> {
                let row: Option<ThrottleRow> = sqlx::query_as(
                    "SELECT key, failures, first_at, last_at, locked_until \
                     FROM login_throttle WHERE key = $1",
                )
                .bind(key)
                .fetch_optional(&mut *self.t)
                .await?;
                Ok(row.map(throttle_from))
            }

            async fn put_throttle(&mut self, t: &crate::signin::Throttle) -> Result<()> {
                sqlx::query(
                    "INSERT INTO login_throttle (key, failures, first_at, last_at, locked_until) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO UPDATE SET \
                     failures = excluded.failures, first_at = excluded.first_at, \
                     last_at = excluded.last_at, locked_until = excluded.locked_until",
                )
                .bind(&t.key)
                .bind(i64::from(t.failures))
                .bind(t.first_at)
                .bind(t.last_at)
                .bind(t.locked_until)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn clear_throttle(&mut self, key: &str) -> Result<u64> {
                Ok(sqlx::query("DELETE FROM login_throttle WHERE key = $1")
                    .bind(key)
                    .execute(&mut *self.t)
                    .await?
                    .rows_affected())
            }

        }
    };
}

impl_account_conn!(sqlx::Sqlite);
impl_account_conn!(sqlx::Postgres);
