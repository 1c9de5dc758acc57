//! What keeps the report checker from exhausting the server: quotas, a budget for request
//! bodies in flight, a bound on parallel parsing, a rate limit for the anonymous API, and
//! an age limit.
//!
//! * **Bodies in flight** ([`Limits::intake_bytes`]): an upload waits (at most
//!   [`Limits::wait`], then 503) until the bytes it may bring (its `Content-Length`, or the
//!   most an upload may be) fit in the budget; the budget is a semaphore of 1 MiB permits
//!   held until the request is answered. This, not the quotas, is what bounds memory: a
//!   file is in memory from its upload until its report is read.
//! * **Parsing** ([`Limits::parse_concurrency`], [`Limits::parse_bytes`]): reading runs on
//!   the blocking pool, at most this many requests at once, and only while the memory their
//!   reading takes fits a second budget: a file takes about [`PARSE_FACTOR`] times its size
//!   while it is read (a 14 MB text: about 130 MB for a moment), the files of one request
//!   are read one after the other, so a request reserves that much of its largest file.
//!   With the freed memory given back to the system (`crate::memory`), the server's memory
//!   stays under idle + [`Limits::cache_bytes`] + [`Limits::intake_bytes`] +
//!   [`Limits::parse_bytes`] (about 32 + 64 + 160 + 160 MB with the defaults), and with
//!   the `ocr` feature + `Limits::crop_bytes` (16 MB) for the images of scans' uncertain
//!   cells (`super::crops`).
//! * **Quotas** per visitor (or user) and for the whole server, in files and bytes, over the
//!   uploads still kept ([`Limits::retention`]): refused in Chinese (“每位访客最多…”) before
//!   any file is read. Two uploads of one visitor at the same moment may both pass: the quota
//!   is a bound on storage, not on memory.
//! * **Rate limit** of the anonymous `POST /api/v1/check` per client address (a GCRA token
//!   bucket: [`Limits::api_per_minute`] with bursts of [`Limits::api_burst`]): 429 with
//!   `Retry-After` and the API's Chinese JSON error. Our own ~60 lines rather than
//!   `tower_governor`: that crate brings `governor`, `dashmap`, `quanta` and a forwarded-
//!   header parser (none in the lock file), keys by the peer through its own extractor
//!   while this server already resolves the client address in its request context, and
//!   would limit the route for logged-in API clients too. On PostgreSQL the buckets are
//!   rows of the database (`gongkai_store::rate_limits`, the same algorithm in one SQL
//!   statement), so several server processes behind one proxy count together
//!   ([`Checker::shared`]); on SQLite (one process) they stay in memory. Should the
//!   database fail, the process falls back to its own buckets (logged).
//! * **Age** ([`Limits::retention`]): older uploads and their corrections are deleted, at
//!   most every ten minutes, after an upload.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode, header};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

const MIB: usize = 1024 * 1024;

/// Memory taken while a file is read, in multiples of its size (measured: `gongkai check`
/// of a 14 MB text peaks at 137 MB, of which about 10 MB is the program itself).
pub const PARSE_FACTOR: usize = 10;

/// The report checker's limits (part of [`crate::Config`]).
#[derive(Debug, Clone)]
pub struct Limits {
    /// Most files one visitor (or user) keeps.
    pub visitor_files: u64,
    /// Most bytes (of the files as uploaded) one visitor keeps.
    pub visitor_bytes: u64,
    /// Most files the server keeps.
    pub total_files: u64,
    /// Most bytes (of the files as uploaded) the server keeps.
    pub total_bytes: u64,
    /// How long uploads are kept.
    pub retention: chrono::Duration,
    /// Reports kept in memory (the cache in front of the database), in bytes.
    pub cache_bytes: usize,
    /// Requests read at the same time (default: one fewer than the CPU cores, at least 1
    /// and at most 4, so that reading never takes every core from the ledger).
    pub parse_concurrency: usize,
    /// Memory that reading may take at the same time, in bytes ([`PARSE_FACTOR`] times the
    /// largest file of each request being read).
    pub parse_bytes: usize,
    /// Request bodies being received and read at the same time, in bytes.
    pub intake_bytes: usize,
    /// Anonymous `POST /api/v1/check` per client address and minute.
    pub api_per_minute: u32,
    /// … in a burst.
    pub api_burst: u32,
    /// How long an upload waits for room before it is refused (503).
    pub wait: Duration,
    /// The images of scans' uncertain cells kept in memory, in bytes of PNG, for the
    /// findings (`super::crops`); the oldest uploads' are dropped first (they stay in
    /// the database and are read again when shown).
    #[cfg(feature = "ocr")]
    pub crop_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            visitor_files: 200,
            visitor_bytes: 256 * MIB as u64,
            total_files: 20_000,
            total_bytes: 8 * 1024 * MIB as u64,
            retention: chrono::Duration::days(30),
            cache_bytes: 64 * MIB,
            parse_concurrency: std::thread::available_parallelism()
                .map_or(1, |n| n.get().saturating_sub(1))
                .clamp(1, 4),
            parse_bytes: 160 * MIB,
            intake_bytes: 160 * MIB,
            api_per_minute: 12,
            api_burst: 6,
            wait: Duration::from_secs(60),
            #[cfg(feature = "ocr")]
            crop_bytes: 16 * MIB,
        }
    }
}

/// A refusal: the status and the Chinese message (and, for 429, when to retry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub retry_after: Option<u64>,
}

impl Refusal {
    fn new(status: StatusCode, code: &'static str, message: String) -> Self {
        Refusal {
            status,
            code,
            message,
            retry_after: None,
        }
    }
}

/// The shared state behind the limits: semaphores, the rate limiter, the last clean-up.
pub struct Checker {
    pub limits: Limits,
    intake: Arc<Semaphore>,
    intake_permits: u32,
    parse: Arc<Semaphore>,
    parse_memory: Arc<Semaphore>,
    parse_permits: u32,
    rate: RateLimiter,
    /// The database whose `rate_limits` every process shares (PostgreSQL), if any.
    shared: Option<gongkai_store::Store>,
    last_purge: Mutex<Option<Instant>>,
    last_rate_purge: Mutex<Option<Instant>>,
    /// The images of scans' uncertain cells.
    #[cfg(feature = "ocr")]
    pub crops: super::crops::Crops,
}

/// The bucket of the anonymous `POST /api/v1/check` in the shared table.
const API_BUCKET: &str = "check.api";

/// Room for one request's body, held until it is answered.
pub struct Intake(#[allow(dead_code)] OwnedSemaphorePermit);

impl Checker {
    pub fn new(limits: Limits) -> Self {
        let intake_permits = u32::try_from((limits.intake_bytes / MIB).max(1)).unwrap_or(u32::MAX);
        let parse_permits = u32::try_from((limits.parse_bytes / MIB).max(1)).unwrap_or(u32::MAX);
        Checker {
            intake: Arc::new(Semaphore::new(intake_permits as usize)),
            intake_permits,
            parse: Arc::new(Semaphore::new(limits.parse_concurrency.max(1))),
            parse_memory: Arc::new(Semaphore::new(parse_permits as usize)),
            parse_permits,
            rate: RateLimiter::new(limits.api_per_minute, limits.api_burst),
            shared: None,
            last_purge: Mutex::new(None),
            last_rate_purge: Mutex::new(None),
            #[cfg(feature = "ocr")]
            crops: super::crops::Crops::new(limits.crop_bytes),
            limits,
        }
    }

    /// The limits with the API's rate limit kept in `store` (shared by every process on
    /// the database) instead of this process's memory.
    pub fn shared(limits: Limits, store: gongkai_store::Store) -> Self {
        Checker {
            shared: Some(store),
            ..Checker::new(limits)
        }
    }

    /// Whether the API's rate limit is kept in the database.
    pub fn rate_is_shared(&self) -> bool {
        self.shared.is_some()
    }

    /// Waits for room for a body of `Content-Length` (or `max` when not given or larger).
    pub async fn intake(&self, headers: &HeaderMap, max: usize) -> Result<Intake, Refusal> {
        let len = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok())
            .map_or(max, |n| n.min(max));
        let want = u32::try_from(len.div_ceil(MIB).max(1))
            .unwrap_or(u32::MAX)
            .min(self.intake_permits);
        match tokio::time::timeout(
            self.limits.wait,
            self.intake.clone().acquire_many_owned(want),
        )
        .await
        {
            Ok(Ok(p)) => Ok(Intake(p)),
            _ => Err(Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "服务器正忙（正在处理其他上传），请稍后再试".into(),
            )),
        }
    }

    /// Runs `f` (reading files, the largest of `largest` bytes) on the blocking pool, when
    /// a parsing slot is free and [`PARSE_FACTOR`] × `largest` fits the parsing budget (a
    /// file larger than the whole budget waits until it has the budget to itself). The
    /// budget is first come, first served: a small file waits behind a large one that
    /// waits, so a large one is never starved.
    pub async fn parse<T: Send + 'static>(
        &self,
        largest: usize,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, String> {
        let want = u32::try_from(largest.saturating_mul(PARSE_FACTOR).div_ceil(MIB).max(1))
            .unwrap_or(u32::MAX)
            .min(self.parse_permits);
        let _memory = self
            .parse_memory
            .clone()
            .acquire_many_owned(want)
            .await
            .map_err(|e| e.to_string())?;
        let _slot = self
            .parse
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| e.to_string())?;
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| e.to_string())
    }

    /// The rate limit of anonymous API checks from `client` (`-`, unknown, is not limited:
    /// only the router driven without a socket has no address).
    pub async fn api_rate(&self, client: &str) -> Result<(), Refusal> {
        if client == "-" || client.is_empty() {
            return Ok(());
        }
        let verdict = match &self.shared {
            Some(store) => self.shared_rate(store, client).await,
            None => self.rate.check(client, Instant::now()),
        };
        verdict.map_err(|wait| Refusal {
            retry_after: Some(wait),
            ..Refusal::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!(
                    "请求过于频繁：未登录时每个地址每分钟最多检查 {} 份报告，请 {wait} 秒后再试",
                    self.limits.api_per_minute
                ),
            )
        })
    }

    /// The shared bucket's verdict; this process's own when the database fails.
    async fn shared_rate(&self, store: &gongkai_store::Store, client: &str) -> Result<(), u64> {
        let limit = gongkai_store::RateLimit {
            per_minute: self.limits.api_per_minute,
            burst: self.limits.api_burst,
        };
        let now = chrono::Utc::now();
        if due(&self.last_rate_purge, Duration::from_secs(600))
            && let Err(e) = store.purge_rate_limits(now).await
        {
            tracing::warn!(error = %e, "cannot purge the shared rate limits");
        }
        match store.take_rate(API_BUCKET, client, limit, now).await {
            Ok(None) => Ok(()),
            Ok(Some(wait)) => Err(u64::try_from(wait.num_milliseconds())
                .unwrap_or(1)
                .div_ceil(1000)
                .max(1)),
            Err(e) => {
                tracing::warn!(error = %e, "shared rate limit unavailable: this process counts alone");
                self.rate.check(client, Instant::now())
            }
        }
    }

    /// Refuses `files` more files of `bytes` when the visitor's (`mine`) or the server's
    /// (`all`) uploads would exceed the quotas.
    pub fn quota(
        &self,
        mine: super::Usage,
        all: super::Usage,
        files: u64,
        bytes: u64,
    ) -> Result<(), Refusal> {
        let l = &self.limits;
        let days = l.retention.num_days().max(1);
        if mine.files + files > l.visitor_files {
            return Err(Refusal::new(
                StatusCode::TOO_MANY_REQUESTS,
                "quota",
                format!(
                    "每位访客最多保留 {} 个上传的文件（保留 {days} 天），您已有 {} 个，本次又上传 {files} 个；请等旧文件过期后再上传",
                    l.visitor_files, mine.files
                ),
            ));
        }
        if mine.bytes + bytes > l.visitor_bytes {
            return Err(Refusal::new(
                StatusCode::TOO_MANY_REQUESTS,
                "quota",
                format!(
                    "每位访客最多保留 {} 的上传文件（保留 {days} 天），您已有 {}，本次又上传 {}；请等旧文件过期后再上传",
                    mib(l.visitor_bytes),
                    mib(mine.bytes),
                    mib(bytes)
                ),
            ));
        }
        if all.files + files > l.total_files || all.bytes + bytes > l.total_bytes {
            return Err(Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "quota",
                format!(
                    "服务器保存的上传文件已达上限（{} 个、{}），请过几天再试",
                    l.total_files,
                    mib(l.total_bytes)
                ),
            ));
        }
        Ok(())
    }

    /// True (once per ten minutes) when it is time to delete expired uploads.
    pub fn purge_due(&self) -> bool {
        due(&self.last_purge, Duration::from_secs(600))
    }
}

/// True (and the time noted) when `every` has passed since the last time it was true.
fn due(last: &Mutex<Option<Instant>>, every: Duration) -> bool {
    let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
    let now = Instant::now();
    if last.is_some_and(|t| now.duration_since(t) < every) {
        return false;
    }
    *last = Some(now);
    true
}

/// `12.5 MB`, `64 MB` (`200 KB` under a megabyte).
pub fn mib(bytes: u64) -> String {
    if bytes < MIB as u64 {
        return format!("{} KB", bytes.div_ceil(1024));
    }
    let m = bytes as f64 / MIB as f64;
    if (m - m.round()).abs() < 0.05 {
        format!("{} MB", m.round())
    } else {
        format!("{m:.1} MB")
    }
}

/// A GCRA token bucket per key: `per_minute` requests a minute, `burst` at once.
pub(crate) struct RateLimiter {
    interval: Duration,
    tolerance: Duration,
    /// Key → theoretical arrival time of the next request.
    tat: Mutex<HashMap<String, Instant>>,
}

/// Keys kept before the stale ones are dropped.
const RATE_KEYS: usize = 10_000;

impl RateLimiter {
    pub(crate) fn new(per_minute: u32, burst: u32) -> Self {
        let interval = Duration::from_secs(60) / per_minute.max(1);
        RateLimiter {
            interval,
            tolerance: interval * burst.max(1).saturating_sub(1),
            tat: Mutex::new(HashMap::new()),
        }
    }

    /// Ok, or the seconds to wait.
    pub(crate) fn check(&self, key: &str, now: Instant) -> Result<(), u64> {
        let mut map = self.tat.lock().unwrap_or_else(|e| e.into_inner());
        let tat = map.get(key).copied().map_or(now, |t| t.max(now));
        let allowed_at = tat.checked_sub(self.tolerance).unwrap_or(now);
        if allowed_at > now {
            return Err((allowed_at - now).as_secs_f64().ceil().max(1.0) as u64);
        }
        if map.len() >= RATE_KEYS {
            map.retain(|_, t| *t > now);
        }
        map.insert(key.to_string(), tat + self.interval);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_limit_allows_a_burst_then_one_per_interval() {
        let r = RateLimiter::new(6, 3); // one every 10 s, 3 at once
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(r.check("a", t0), Ok(()));
        }
        assert_eq!(r.check("a", t0), Err(10));
        assert_eq!(
            r.check("b", t0),
            Ok(()),
            "another address has its own bucket"
        );
        assert_eq!(r.check("a", t0 + Duration::from_secs(10)), Ok(()));
        assert!(r.check("a", t0 + Duration::from_secs(11)).is_err());
    }

    #[test]
    fn quotas_name_the_limit_in_chinese() {
        let c = Checker::new(Limits {
            visitor_files: 2,
            visitor_bytes: 10 * MIB as u64,
            ..Limits::default()
        });
        let mine = super::super::Usage { files: 2, bytes: 0 };
        let all = mine;
        let e = c.quota(mine, all, 1, 1).unwrap_err();
        assert_eq!(e.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(
            e.message.starts_with("每位访客最多保留 2 个"),
            "{}",
            e.message
        );
        let mine = super::super::Usage {
            files: 0,
            bytes: 9 * MIB as u64,
        };
        let e = c.quota(mine, all, 1, 2 * MIB as u64).unwrap_err();
        assert!(e.message.contains("10 MB"), "{}", e.message);
        assert!(c.quota(super::super::Usage::default(), all, 1, 1).is_ok());
    }

    #[tokio::test]
    async fn reading_waits_for_room_in_the_parsing_budget() {
        let c = Arc::new(Checker::new(Limits {
            parse_concurrency: 4,
            parse_bytes: 100 * MIB,
            ..Limits::default()
        }));
        // A 6 MB file reserves 60 MB: a second one must wait until the first is read.
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let first = {
            let c = c.clone();
            tokio::spawn(async move {
                c.parse(6 * MIB, move || {
                    started_tx.send(()).unwrap();
                    release_rx.recv().unwrap();
                })
                .await
            })
        };
        tokio::task::spawn_blocking(move || started_rx.recv().unwrap())
            .await
            .unwrap();
        // A small file fits beside the first.
        assert_eq!(c.parse(MIB, || 7).await, Ok(7));
        let second = c.parse(6 * MIB, || ());
        tokio::pin!(second);
        assert!(
            tokio::time::timeout(Duration::from_millis(200), &mut second)
                .await
                .is_err(),
            "the second 60 MB reservation does not fit while the first holds 60 of 100 MB"
        );
        release_tx.send(()).unwrap();
        first.await.unwrap().unwrap();
        assert_eq!(second.await, Ok(()));
        // A file larger than the whole budget still gets read (alone).
        assert_eq!(c.parse(50 * MIB, || 1).await, Ok(1));
    }

    #[test]
    fn megabytes_print_short() {
        assert_eq!(mib(64 * MIB as u64), "64 MB");
        assert_eq!(mib(MIB as u64 * 3 / 2), "1.5 MB");
        assert_eq!(mib(1024), "1 KB");
    }
}
