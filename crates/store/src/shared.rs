//! State that several server processes on one database share, beyond sessions, sign-in
//! throttling, the CSRF secret and uploads (which have their own modules).
//!
//! # Rate limits (table `rate_limits`, migration 0016)
//!
//! A GCRA token bucket per (bucket, key) — the same algorithm as the server's in-memory
//! limiter — kept as one row: the *theoretical arrival time* (TAT) of the next request, in
//! milliseconds. A request at `now` is allowed when `TAT − tolerance ≤ now` (tolerance:
//! `interval × (burst − 1)`), and then moves the TAT to `max(TAT, now) + interval`. The
//! check and the move are one `INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING`
//! statement: the row is locked while it runs, so two processes asking at once are
//! counted one after the other, and nothing is read and written back in two steps.
//!
//! Not audited: the rows are counters, not records (what they limit — the anonymous API
//! checks — is audited one by one).
//!
//! # The calendar
//!
//! Each process reads its working-day calendar at start (the embedded notices plus the
//! files of its calendar directory): two processes given different directories would
//! count different deadlines for the same application. [`Store::note_calendar`] keeps a
//! fingerprint of the calendar last started with (in `meta`) and tells a starting process
//! when its own differs, so that it can say so.

use chrono::{DateTime, Duration, Utc};

use crate::Store;
use crate::backend::Conn;
use crate::error::Result;

const META_CALENDAR: &str = "calendar_in_use";

/// One limit: `per_minute` requests a minute, at most `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub per_minute: u32,
    pub burst: u32,
}

impl RateLimit {
    fn interval_ms(self) -> i64 {
        60_000 / i64::from(self.per_minute.max(1))
    }

    fn tolerance_ms(self) -> i64 {
        self.interval_ms() * i64::from(self.burst.max(1) - 1)
    }
}

pub(crate) trait RateConn: crate::backend::Conn {
    /// The new TAT when the request is allowed, `None` when refused.
    async fn take_rate(
        &mut self,
        bucket: &str,
        key: &str,
        now_ms: i64,
        limit: RateLimit,
    ) -> Result<Option<i64>>;
    async fn rate_tat(&mut self, bucket: &str, key: &str) -> Result<Option<i64>>;
    async fn delete_rates_before(&mut self, now_ms: i64) -> Result<u64>;
}

macro_rules! impl_rate_conn {
    ($db:ty) => {
        impl RateConn for crate::Tx<'_, $db> {
            async fn take_rate(
                &mut self,
                bucket: &str,
                key: &str,
                now_ms: i64,
                limit: RateLimit,
            ) -> Result<Option<i64>> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO rate_limits (bucket, key, tat_ms) VALUES ($1, $2, $3 + $4) \
                     ON CONFLICT (bucket, key) DO UPDATE SET tat_ms = \
                     (CASE WHEN rate_limits.tat_ms > $3 THEN rate_limits.tat_ms ELSE $3 END) + $4 \
                     WHERE rate_limits.tat_ms - $5 <= $3 \
                     RETURNING tat_ms",
                )
                .bind(bucket)
                .bind(key)
                .bind(now_ms)
                .bind(limit.interval_ms())
                .bind(limit.tolerance_ms())
                .fetch_optional(&mut *self.t)
                .await?)
            }

            async fn rate_tat(&mut self, bucket: &str, key: &str) -> Result<Option<i64>> {
                Ok(sqlx::query_scalar(
                    "SELECT tat_ms FROM rate_limits WHERE bucket = $1 AND key = $2",
                )
                .bind(bucket)
                .bind(key)
                .fetch_optional(&mut *self.t)
                .await?)
            }

            async fn delete_rates_before(&mut self, now_ms: i64) -> Result<u64> {
                Ok(sqlx::query("DELETE FROM rate_limits WHERE tat_ms <= $1")
                    .bind(now_ms)
                    .execute(&mut *self.t)
                    .await?
                    .rows_affected())
            }
        }
    };
}

impl_rate_conn!(sqlx::Sqlite);
impl_rate_conn!(sqlx::Postgres);

async fn take<C: RateConn>(
    c: &mut C,
    bucket: &str,
    key: &str,
    now_ms: i64,
    limit: RateLimit,
) -> Result<Option<Duration>> {
    if c.take_rate(bucket, key, now_ms, limit).await?.is_some() {
        return Ok(None);
    }
    // Refused: the row exists and stays as it was; how long until the next is allowed.
    let tat = c.rate_tat(bucket, key).await?.unwrap_or(now_ms);
    let wait = (tat - limit.tolerance_ms() - now_ms).max(1);
    Ok(Some(Duration::milliseconds(wait)))
}

impl Store {
    /// Counts one request of `key` (e.g. a client address) against `limit` in `bucket`
    /// (e.g. `check.api`): `None` when allowed, or how long to wait. Shared by every
    /// process on the database.
    pub async fn take_rate(
        &self,
        bucket: &str,
        key: &str,
        limit: RateLimit,
        now: DateTime<Utc>,
    ) -> Result<Option<Duration>> {
        let now_ms = now.timestamp_millis();
        tx!(self, write, |t| take(t, bucket, key, now_ms, limit))
    }

    /// Deletes the rows that no longer limit anything (their time has passed); how many.
    pub async fn purge_rate_limits(&self, now: DateTime<Utc>) -> Result<u64> {
        let now_ms = now.timestamp_millis();
        tx!(self, write, |t| t.delete_rates_before(now_ms))
    }
}

/// What counts in a calendar: each year's days off and make-up working days (not the
/// notices' titles or the files' paths).
fn calendar_fingerprint(calendar: &gongkai_ledger::Calendar) -> (String, Vec<i32>) {
    let years: Vec<i32> = calendar.years().collect();
    let days: Vec<_> = years
        .iter()
        .filter_map(|y| calendar.arrangement(*y))
        .map(|a| {
            let holidays: Vec<_> = a
                .holidays
                .iter()
                .map(|h| (h.from, h.to, &h.make_up))
                .collect();
            (a.year, holidays)
        })
        .collect();
    let text = serde_json::to_string(&days).unwrap_or_default();
    (crate::auth::sha256_hex(text.as_bytes()), years)
}

async fn note_calendar<C: Conn>(
    c: &mut C,
    sha256: &str,
    years: &[i32],
    now: DateTime<Utc>,
) -> Result<Option<Vec<i32>>> {
    let before = c
        .meta(META_CALENDAR)
        .await?
        .and_then(|v| serde_json::from_str::<serde_json::Value>(&v).ok());
    let differs = before
        .as_ref()
        .is_some_and(|b| b["sha256"].as_str() != Some(sha256));
    let mine = serde_json::json!({ "sha256": sha256, "years": years, "at": now });
    c.set_meta(META_CALENDAR, &mine.to_string()).await?;
    Ok(differs.then(|| {
        before
            .and_then(|b| serde_json::from_value::<Vec<i32>>(b["years"].clone()).ok())
            .unwrap_or_default()
    }))
}

impl Store {
    /// Notes this store's calendar as the one in use; when the calendar noted before (by
    /// another process, or this one before a restart) differs, the years it covered.
    pub async fn note_calendar(&self, now: DateTime<Utc>) -> Result<Option<Vec<i32>>> {
        let (sha256, years) = calendar_fingerprint(&self.calendar);
        tx!(self, write, |t| note_calendar(t, &sha256, &years, now))
    }
}
