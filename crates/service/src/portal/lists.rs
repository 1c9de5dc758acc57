//! The public lists kept in memory (issue 17 §2: page views p99 < 20 ms at 100,000 items).
//!
//! A public list (the 法定主动公开内容 with its filters, the 制度 column, the 目录, the
//! home page's latest items) is one filter over the agency's published items in one order;
//! its pages differ only by where they cut. At 100,000 items the database counts the
//! selected items and skips to a deep page by stepping through them (each step testing the
//! stage, channel and 公开属性 of a row): tens of milliseconds a page on SQLite. So the
//! whole list of a filter is read once, as the public sees it, and kept: a page is then a
//! slice of it and the count its length.
//!
//! A kept list is used only while the register's change feed (migration 0025, written in
//! the same transaction as every write of an item or an attachment) stands where it stood
//! when the list was read — [`gongkai_store::Store::search_feed_head`]: on SQLite the last
//! row's id, on PostgreSQL the horizon of finished transactions, which moves past every
//! commit — and for at most [`MAX_AGE`]. Another process's writes are seen as soon as
//! they commit. At most [`MAX_LISTS`] lists and [`MAX_ROWS`] rows in all are kept (the
//! least recently used go first); one list is read at a time (the others wait and then
//! find it kept).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gongkai_store::FeedMark;

use super::{PublicFilter, PublicItem};

/// How long a kept list is used at most, even if the feed has not moved.
pub const MAX_AGE: Duration = Duration::from_secs(60);
/// Lists kept at most.
pub const MAX_LISTS: usize = 64;
/// Rows kept at most, over all lists (about 40 MB at 100,000 items of real length).
pub const MAX_ROWS: usize = 400_000;

/// A list's key: the agency and the filter without its page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    agency: i64,
    text: Option<String>,
    topic: Option<String>,
    genre: Option<String>,
    organ: Option<String>,
    year: Option<i32>,
}

impl Key {
    fn of(agency: i64, f: &PublicFilter) -> Key {
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Key {
            agency,
            text: given(&f.text),
            topic: given(&f.topic),
            genre: given(&f.genre),
            organ: given(&f.organ),
            year: f.year,
        }
    }
}

struct Kept {
    mark: FeedMark,
    read_at: Instant,
    used_at: Instant,
    rows: Arc<Vec<PublicItem>>,
}

/// The kept lists of one server process (shared by the clones of its `Service`).
#[derive(Default)]
pub struct PublicLists {
    kept: Mutex<HashMap<Key, Kept>>,
    /// Held while a list is read from the database.
    reading: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for PublicLists {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicLists").finish_non_exhaustive()
    }
}

impl PublicLists {
    /// The kept list of `filter` if it is current at `mark`.
    fn get(
        &self,
        agency: i64,
        filter: &PublicFilter,
        mark: FeedMark,
    ) -> Option<Arc<Vec<PublicItem>>> {
        let key = Key::of(agency, filter);
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let k = kept.get_mut(&key)?;
        if k.mark != mark || now.duration_since(k.read_at) > MAX_AGE {
            kept.remove(&key);
            return None;
        }
        k.used_at = now;
        Some(k.rows.clone())
    }

    fn put(&self, agency: i64, filter: &PublicFilter, mark: FeedMark, rows: Arc<Vec<PublicItem>>) {
        if rows.len() > MAX_ROWS {
            return;
        }
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        kept.retain(|_, k| k.mark == mark && now.duration_since(k.read_at) <= MAX_AGE);
        while kept.len() >= MAX_LISTS
            || kept.values().map(|k| k.rows.len()).sum::<usize>() + rows.len() > MAX_ROWS
        {
            let Some(oldest) = kept
                .iter()
                .min_by_key(|(_, k)| k.used_at)
                .map(|(key, _)| key.clone())
            else {
                break;
            };
            kept.remove(&oldest);
        }
        kept.insert(
            Key::of(agency, filter),
            Kept {
                mark,
                read_at: now,
                used_at: now,
                rows,
            },
        );
    }

    /// The list of `filter` in `agency`: kept, or read by `read` (one read at a time).
    pub(crate) async fn list<F, Fut, E>(
        &self,
        agency: i64,
        filter: &PublicFilter,
        mark: FeedMark,
        read: F,
    ) -> Result<Arc<Vec<PublicItem>>, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Vec<PublicItem>, E>>,
    {
        if let Some(rows) = self.get(agency, filter, mark) {
            return Ok(rows);
        }
        let _one = self.reading.lock().await;
        if let Some(rows) = self.get(agency, filter, mark) {
            return Ok(rows);
        }
        let rows = Arc::new(read().await?);
        self.put(agency, filter, mark, rows.clone());
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i64) -> PublicItem {
        PublicItem {
            id,
            index_number: format!("X-{id}"),
            title: "t".into(),
            organ: "o".into(),
            formed_on: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            number: None,
            topic: "综合政务".into(),
            genre: "通知".into(),
            summary: String::new(),
            validity: None,
            published_on: None,
        }
    }

    #[tokio::test]
    async fn a_list_is_read_once_per_feed_position_and_filter() {
        let lists = PublicLists::default();
        let reads = std::sync::atomic::AtomicUsize::new(0);
        let read = |n: i64| {
            reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async move { Ok::<_, ()>((1..=n).map(item).collect()) }
        };
        let all = PublicFilter::default();
        let page3 = PublicFilter {
            page: 3,
            ..PublicFilter::default()
        };
        let genre = PublicFilter {
            genre: Some("通知".into()),
            ..PublicFilter::default()
        };
        let at = FeedMark::Sqlite(7);
        assert_eq!(lists.list(1, &all, at, || read(5)).await.unwrap().len(), 5);
        // Another page of the same filter: kept.
        assert_eq!(
            lists.list(1, &page3, at, || read(9)).await.unwrap().len(),
            5
        );
        assert_eq!(reads.load(std::sync::atomic::Ordering::SeqCst), 1);
        // Another filter, another agency: read.
        assert_eq!(
            lists.list(1, &genre, at, || read(2)).await.unwrap().len(),
            2
        );
        assert_eq!(lists.list(2, &all, at, || read(3)).await.unwrap().len(), 3);
        assert_eq!(reads.load(std::sync::atomic::Ordering::SeqCst), 3);
        // The feed moved: read again.
        let later = FeedMark::Sqlite(8);
        assert_eq!(
            lists.list(1, &all, later, || read(6)).await.unwrap().len(),
            6
        );
        assert_eq!(reads.load(std::sync::atomic::Ordering::SeqCst), 4);
        // A failed read keeps nothing.
        assert!(
            lists
                .list(1, &genre, later, || async { Err::<Vec<PublicItem>, _>(()) })
                .await
                .is_err()
        );
        assert_eq!(
            lists
                .list(1, &genre, later, || read(1))
                .await
                .unwrap()
                .len(),
            1
        );
    }
}
