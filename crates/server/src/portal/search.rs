//! The portal's search in a server process (issue 17 §2): the process's own index and
//! the follower that keeps it current, and the public API's rate limit.
//!
//! `gongkai serve` opens the index in its directory ([`PortalState::set`]) and runs
//! [`follow`] on the runtime: one step at start (a rebuild if the index has no position)
//! and then one step every interval, each reading the register's change feed after the
//! index's position (see `gongkai_service::portal::search`); once an hour it compacts the feed
//! (each item's newest row kept). A process without an index answers
//! `GET /api/v1/portal/search` with 503 (tests set an index in memory).

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use gongkai_service::portal::search::PortalSearch;
use gongkai_service::{Service, ServiceError};

use crate::check::limits::RateLimiter;

/// Searches per minute and client address (anonymous callers), and the burst.
pub const SEARCH_PER_MINUTE: u32 = 120;
pub const SEARCH_BURST: u32 = 30;

/// The search of this process.
pub struct PortalState {
    search: OnceLock<PortalSearch>,
    rate: RateLimiter,
}

impl Default for PortalState {
    fn default() -> Self {
        PortalState {
            search: OnceLock::new(),
            rate: RateLimiter::new(SEARCH_PER_MINUTE, SEARCH_BURST),
        }
    }
}

impl PortalState {
    /// Sets the process's search (once; a second call is ignored and returns false).
    pub fn set(&self, search: PortalSearch) -> bool {
        self.search.set(search).is_ok()
    }

    pub fn search(&self) -> Option<&PortalSearch> {
        self.search.get()
    }

    /// The index the 专栏's lists are served from: the process's, or — in a process given
    /// none (tests; a server started without `gongkai serve`) — one in memory made now,
    /// filled from the database at its first use and kept current as the lists ask
    /// (`gongkai_service::portal::lists`).
    pub fn lists(&self, service: &Service) -> Result<&PortalSearch, ServiceError> {
        if let Some(s) = self.search.get() {
            return Ok(s);
        }
        let made = PortalSearch::in_memory(service.clone())?;
        // Another request may have set one meanwhile: then that one serves.
        Ok(self.search.get_or_init(|| made))
    }

    /// Ok, or the seconds an anonymous `client` must wait (`-`: no address, not limited).
    pub fn rate(&self, client: &str) -> Result<(), u64> {
        if client == "-" || client.is_empty() {
            return Ok(());
        }
        self.rate.check(client, Instant::now())
    }
}

/// Follows the change feed for ever: a step now, then one every `every` (failures are
/// logged and retried at the next tick).
pub async fn follow(search: PortalSearch, every: Duration) {
    let mut tick = tokio::time::interval(every.max(Duration::from_millis(50)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut compacted: Option<Instant> = None;
    loop {
        tick.tick().await;
        if let Err(e) = search.step().await {
            tracing::warn!(error = %e, "检索索引未能更新，稍后重试");
        }
        // Once an hour (and at start) the feed keeps only each item's newest row.
        if compacted.is_none_or(|t| t.elapsed() >= COMPACT_EVERY) {
            compacted = Some(Instant::now());
            if let Err(e) = search.compact_feed().await {
                tracing::warn!(error = %e, "检索变更记录未能压缩，稍后重试");
            }
        }
    }
}

/// How often the follower compacts the change feed.
pub const COMPACT_EVERY: Duration = Duration::from_secs(3600);
