//! The search index's change feed (migration 0025): which register items changed since a
//! position, across every agency, for the processes that keep a search index
//! (`gongkai_service::portal::search`).
//!
//! A [`FeedMark`] is a position in the feed. On SQLite it is the last id read (one
//! transaction writes at a time: ids are committed in their order). On PostgreSQL it is a
//! transaction horizon: every row written by a transaction older than it has been read.
//! Ids are taken in one order and committed in another there, so "the rows after the last
//! id" could skip a transaction that commits late; the horizon (`pg_snapshot_xmin` of the
//! reading snapshot) never does. A row may be read twice; reading it again is harmless
//! (the item is read and its document replaced). On PostgreSQL a read also returns the
//! committed rows of transactions after the horizon (marked [`FeedRow::pending`]), so a
//! change is indexed at once even while an older transaction is still running.

use std::fmt;

use crate::agencies::AgencyId;
use crate::error::Result;
use crate::{Pool, Store};

/// A position in the change feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedMark {
    /// SQLite: the last id read.
    Sqlite(i64),
    /// PostgreSQL: every transaction before this id has been read.
    Postgres(u64),
}

impl fmt::Display for FeedMark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FeedMark::Sqlite(n) => write!(f, "sqlite:{n}"),
            FeedMark::Postgres(x) => write!(f, "postgres:{x}"),
        }
    }
}

impl std::str::FromStr for FeedMark {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let bad = || format!("检索索引的位置“{s}”无法识别");
        match s.split_once(':') {
            Some(("sqlite", n)) => n.parse().map(FeedMark::Sqlite).map_err(|_| bad()),
            Some(("postgres", n)) => n.parse().map(FeedMark::Postgres).map_err(|_| bad()),
            _ => Err(bad()),
        }
    }
}

/// One row of the feed: an item changed by a committed transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedRow {
    /// The row's id (unique; a reader may remember the rows it has handled).
    pub id: i64,
    pub agency: AgencyId,
    pub item: i64,
    /// PostgreSQL: written by a transaction at or after the new mark's horizon (committed,
    /// since it is visible): it will be read again by the next read, and a reader that
    /// handled it now may skip it then. SQLite: never.
    pub pending: bool,
}

/// The rows after a mark (in the order written) and the mark to remember once they are
/// handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedBatch {
    pub rows: Vec<FeedRow>,
    pub mark: FeedMark,
}

/// PostgreSQL: every agency visible to a role that does not own the tables (for the
/// platform-wide work of one process: the search feed, the mail sender).
pub(crate) const SEE_EVERY_AGENCY: &str = "SELECT set_config('app.agency_ids', \
     (SELECT COALESCE(string_agg(id::TEXT, ','), '') FROM agencies), true)";

impl Store {
    /// The feed's present position: an index built from what the database holds now is
    /// current up to it (take it *before* reading the items).
    pub async fn search_feed_head(&self) -> Result<FeedMark> {
        match &self.pool {
            Pool::Sqlite(p) => {
                let n: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM search_feed")
                    .fetch_one(p)
                    .await?;
                Ok(FeedMark::Sqlite(n.unwrap_or(0)))
            }
            Pool::Postgres(p) => {
                let x: String =
                    sqlx::query_scalar("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")
                        .fetch_one(p)
                        .await?;
                Ok(FeedMark::Postgres(x.parse().unwrap_or(0)))
            }
        }
    }

    /// The items changed after `mark`; none if `mark` belongs to the other backend (the
    /// index was built from another database: rebuild it).
    pub async fn search_feed_after(&self, mark: FeedMark) -> Result<Option<FeedBatch>> {
        match (&self.pool, mark) {
            (Pool::Sqlite(p), FeedMark::Sqlite(after)) => {
                let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
                    "SELECT id, agency_id, item_id FROM search_feed WHERE id > $1 ORDER BY id",
                )
                .bind(after)
                .fetch_all(p)
                .await?;
                let last = rows.last().map_or(after, |r| r.0);
                Ok(Some(FeedBatch {
                    rows: rows
                        .into_iter()
                        .map(|(id, agency, item)| FeedRow {
                            id,
                            agency,
                            item,
                            pending: false,
                        })
                        .collect(),
                    mark: FeedMark::Sqlite(last),
                }))
            }
            (Pool::Postgres(p), FeedMark::Postgres(from)) => {
                let mut t = p
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?;
                sqlx::query(SEE_EVERY_AGENCY).execute(&mut *t).await?;
                let horizon: String =
                    sqlx::query_scalar("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")
                        .fetch_one(&mut *t)
                        .await?;
                // Every visible row from the mark on: those of transactions after the
                // horizon too (committed, or they would not be visible), so a change is
                // indexed at once even while an older transaction runs on; they are
                // read again next time (`pending`).
                let rows: Vec<(i64, i64, i64, bool)> = sqlx::query_as(
                    "SELECT id, agency_id, item_id, tx >= $2::text::xid8 FROM search_feed \
                     WHERE tx >= $1::text::xid8 ORDER BY id",
                )
                .bind(from.to_string())
                .bind(&horizon)
                .fetch_all(&mut *t)
                .await?;
                t.commit().await?;
                Ok(Some(FeedBatch {
                    rows: rows
                        .into_iter()
                        .map(|(id, agency, item, pending)| FeedRow {
                            id,
                            agency,
                            item,
                            pending,
                        })
                        .collect(),
                    mark: FeedMark::Postgres(horizon.parse().unwrap_or(from)),
                }))
            }
            _ => Ok(None),
        }
    }

    /// Compacts the feed: of each item's rows only the newest is kept — the one a reader
    /// at any older position reads anyway (SQLite: the highest id; PostgreSQL: the highest
    /// transaction, then id) — so the feed grows with the register (a row an item), not
    /// with its history. No reader's next read changes: the items after any position are
    /// the same before and after. Returns the rows removed.
    pub async fn compact_search_feed(&self) -> Result<u64> {
        match &self.pool {
            Pool::Sqlite(p) => {
                let mut t = p.begin_with("BEGIN IMMEDIATE").await?;
                let r = sqlx::query(
                    "DELETE FROM search_feed WHERE id NOT IN \
                     (SELECT MAX(id) FROM search_feed GROUP BY agency_id, item_id)",
                )
                .execute(&mut *t)
                .await?;
                t.commit().await?;
                Ok(r.rows_affected())
            }
            Pool::Postgres(p) => {
                let mut t = p.begin().await?;
                sqlx::query(SEE_EVERY_AGENCY).execute(&mut *t).await?;
                let r = sqlx::query(
                    "DELETE FROM search_feed f USING search_feed g \
                     WHERE g.agency_id = f.agency_id AND g.item_id = f.item_id \
                     AND (g.tx > f.tx OR (g.tx = f.tx AND g.id > f.id))",
                )
                .execute(&mut *t)
                .await?;
                t.commit().await?;
                Ok(r.rows_affected())
            }
        }
    }

    /// Rows in the feed (all agencies).
    pub async fn search_feed_len(&self) -> Result<u64> {
        let sql = "SELECT COUNT(*) FROM search_feed";
        let n: i64 = match &self.pool {
            Pool::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await?,
            Pool::Postgres(p) => {
                let mut t = p.begin().await?;
                sqlx::query(SEE_EVERY_AGENCY).execute(&mut *t).await?;
                let n = sqlx::query_scalar(sql).fetch_one(&mut *t).await?;
                t.commit().await?;
                n
            }
        };
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Every item of every agency that the public may find: 主动公开, published, not
    /// withdrawn — as (agency, item), by agency and item.
    pub async fn searchable_items(&self) -> Result<Vec<(AgencyId, i64)>> {
        const SQL: &str = "SELECT agency_id, id FROM register_items \
             WHERE published_version IS NOT NULL AND stage <> 'withdrawn' \
             AND disclosure = 'proactive' ORDER BY agency_id, id";
        match &self.pool {
            Pool::Sqlite(p) => Ok(sqlx::query_as(SQL).fetch_all(p).await?),
            Pool::Postgres(p) => {
                let mut t = p
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?;
                sqlx::query(SEE_EVERY_AGENCY).execute(&mut *t).await?;
                let rows = sqlx::query_as(SQL).fetch_all(&mut *t).await?;
                t.commit().await?;
                Ok(rows)
            }
        }
    }
}
