//! 全文检索 / The portal's search (issue 17 §2): a public use case (no login) over the
//! publication register's published items, and the indexer that keeps a process's index
//! current.
//!
//! * **What the public finds.** Only items that are 主动公开, published and not withdrawn;
//!   a corrected item as its published version (a correction not yet published again
//!   leaves the earlier published text in the index). Everything else is removed from the
//!   index when it changes.
//! * **The index is a cache.** Each process keeps its own index directory
//!   ([`gongkai_search::SearchIndex`]) and follows the register's change feed
//!   (`search_feed`, migration 0025; written by triggers in every transaction that writes a
//!   register item or adds an attachment) from the position its last commit recorded
//!   ([`PortalSearch::step`]). An index without a position, of another schema or of
//!   another backend is rebuilt from the database ([`PortalSearch::rebuild`]).
//! * **Attachments.** The indexer takes each attachment's text from
//!   [`attachment_texts`]: its name and the text read from it when it was attached (kept by
//!   the store since migration 0023, the 错敏排查's text, issue 16 §2).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use gongkai_ledger::register::{Disclosure, ItemStage, Outlet};
use gongkai_search::{Change, SearchDoc, SearchError, SearchHit, SearchIndex, SearchPage};
use gongkai_store::register::ItemRecord;
use gongkai_store::{AgencyId, FeedMark, StoreError};
use serde::{Deserialize, Serialize};

use crate::{Result, Service, ServiceError};

pub use gongkai_search::SortOrder;

/// A search as the public asks it: words and filters, agencies by code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalQuery {
    /// The words (a 文号 in any bracket form is recognised).
    #[serde(default)]
    pub q: String,
    /// One agency's 专栏 (its code).
    #[serde(default)]
    pub agency: Option<String>,
    /// An agency and every agency under it (a jurisdiction), by code.
    #[serde(default)]
    pub within: Option<String>,
    #[serde(default)]
    pub topic: Option<String>,
    #[serde(default)]
    pub genre: Option<String>,
    #[serde(default)]
    pub organ: Option<String>,
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub order: SortOrder,
    /// 1-based (default 1).
    #[serde(default)]
    pub page: Option<usize>,
    /// Default 20, at most 100.
    #[serde(default)]
    pub per_page: Option<usize>,
}

/// One result with its agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalHit {
    #[serde(flatten)]
    pub hit: SearchHit,
    pub agency_code: String,
    pub agency_name: String,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalResults {
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub hits: Vec<PortalHit>,
    pub words: Vec<String>,
    pub relaxed: bool,
    pub number_match: Option<gongkai_search::NumberMatch>,
    pub order: SortOrder,
    /// A sentence saying how the 文号 was matched, or that not every word was found.
    pub note: Option<String>,
}

/// What one indexing step did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexStep {
    /// Documents added or replaced.
    pub indexed: usize,
    /// Items removed (or absent and kept so).
    pub removed: usize,
    /// Whether the whole index was rebuilt.
    pub rebuilt: bool,
    /// The feed position the index is now current at.
    pub mark: String,
}

/// The portal's search: the service (any agency scope) and this process's index.
#[derive(Debug, Clone)]
pub struct PortalSearch {
    service: Service,
    index: Arc<SearchIndex>,
    /// Feed rows already handled that the next read returns again (PostgreSQL's rows
    /// after the horizon: [`gongkai_store::FeedRow::pending`]).
    handled: Arc<std::sync::Mutex<HashSet<i64>>>,
    /// One step at a time (the follower and a command).
    stepping: Arc<tokio::sync::Mutex<()>>,
}

fn search_error(e: SearchError) -> ServiceError {
    match e {
        SearchError::QueryTooLong { max, got } => ServiceError::TooLong {
            field: "检索词",
            max,
            len: got,
        },
        SearchError::PageOutOfRange { .. } => ServiceError::BadRequest(e.to_string()),
        e => ServiceError::Store(StoreError::Corrupt {
            what: "检索索引".into(),
            detail: e.to_string(),
        }),
    }
}

impl From<SearchError> for ServiceError {
    fn from(e: SearchError) -> ServiceError {
        search_error(e)
    }
}

/// The text of each attachment of the version indexed, one string per attachment.
///
/// The file name and the text the store kept when it was attached (`texts`, from
/// `Store::attachment_texts`; a file without text is found by its name only). Attachments
/// are those the 专栏 shows: added up to the last publication, not taken off.
pub fn attachment_texts(
    record: &ItemRecord,
    version: u32,
    texts: &[(u32, gongkai_store::register::AttachmentText)],
) -> Vec<String> {
    let last = record.publications.iter().map(|p| p.recorded_at).max();
    record
        .attachments
        .iter()
        // As the portal shows them: added up to the last publication, not taken off.
        .filter(|a| a.version <= version && a.removed.is_none())
        .filter(|a| last.is_some_and(|t| a.added_at <= t))
        .map(|a| {
            match texts
                .iter()
                .find(|(seq, _)| *seq == a.seq)
                .and_then(|(_, t)| t.text())
            {
                Some(text) => format!("{}\n{text}", a.name),
                None => a.name.clone(),
            }
        })
        .collect()
}

/// The document the public may find for `record`, or none (not public).
pub fn document_of(
    agency: AgencyId,
    record: &ItemRecord,
    texts: &[(u32, gongkai_store::register::AttachmentText)],
) -> Option<SearchDoc> {
    let item = &record.item;
    // As the item's page: 主动公开 with the 政府网站 among its channels (the 专栏 is the
    // website's), not withdrawn.
    if item.stage == ItemStage::Withdrawn
        || item.disclosure != Disclosure::Proactive
        || !item.outlets.contains(&Outlet::Website)
    {
        return None;
    }
    let published = item.published_version?;
    let version = record.versions.iter().find(|v| v.version == published)?;
    if version.draft.disclosure != Disclosure::Proactive {
        return None;
    }
    let published_on = record
        .publications
        .iter()
        .filter(|p| p.version == published)
        .map(|p| p.publication.published_on)
        .min()
        .or(item.first_published_on);
    let d = &version.draft;
    let extra = crate::portal::lists::ListExtra {
        validity: d.validity.clone(),
        published_on: crate::portal::first_on_website(record).or(item.first_published_on),
    };
    Some(SearchDoc {
        agency: u64::try_from(agency).ok()?,
        item: u64::try_from(item.id).ok()?,
        index_number: item.index_number.clone(),
        title: d.title.clone(),
        summary: d.summary.clone(),
        body: d.body.clone(),
        attachments: attachment_texts(record, published, texts),
        organ: d.organ.clone(),
        number: d.number.clone(),
        topic: d.topic.clone(),
        genre: d.genre.clone(),
        formed_on: d.formed_on,
        published_on,
        extra: extra.to_json(),
    })
}

impl PortalSearch {
    pub fn new(service: Service, index: Arc<SearchIndex>) -> PortalSearch {
        PortalSearch {
            service,
            index,
            handled: Arc::default(),
            stepping: Arc::default(),
        }
    }

    /// A search over an index in memory, empty until its first step fills it from the
    /// database (tests; a process given no index directory).
    pub fn in_memory(service: Service) -> Result<PortalSearch> {
        Ok(PortalSearch::new(
            service,
            Arc::new(SearchIndex::in_memory()?),
        ))
    }

    /// The index underneath.
    pub fn index(&self) -> &Arc<SearchIndex> {
        &self.index
    }

    /// The service it reads the register through.
    pub fn service(&self) -> &Service {
        &self.service
    }

    async fn change_for(&self, agency: AgencyId, item: i64) -> Result<Change> {
        let store = self.service.store().in_agency(agency);
        let remove = Change::Remove {
            agency: u64::try_from(agency).unwrap_or(0),
            item: u64::try_from(item).unwrap_or(0),
        };
        match store.item_record(item).await {
            Ok(record) => {
                let texts = if record.attachments.is_empty() {
                    Vec::new()
                } else {
                    store.attachment_texts(item).await?
                };
                Ok(document_of(agency, &record, &texts)
                    .map(|d| Change::Upsert(Box::new(d)))
                    .unwrap_or(remove))
            }
            Err(StoreError::NotFound { .. }) => Ok(remove),
            Err(e) => Err(e.into()),
        }
    }

    pub(crate) async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&SearchIndex) -> gongkai_search::Result<T> + Send + 'static,
    ) -> Result<T> {
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || f(&index))
            .await
            .map_err(|e| {
                ServiceError::Store(StoreError::Corrupt {
                    what: "检索索引".into(),
                    detail: e.to_string(),
                })
            })?
            .map_err(search_error)
    }

    /// Rebuilds the index from the database: every item the public may find, in one
    /// commit (searches see the old index until it is done).
    pub async fn rebuild(&self) -> Result<IndexStep> {
        let _one = self.stepping.lock().await;
        self.rebuild_now().await
    }

    async fn rebuild_now(&self) -> Result<IndexStep> {
        self.handled
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        let store = self.service.store();
        let mark = store.search_feed_head().await?;
        let keys = store.searchable_items().await?;
        let mut docs = Vec::with_capacity(keys.len());
        for (agency, item) in keys {
            if let Change::Upsert(d) = self.change_for(agency, item).await? {
                docs.push(*d);
            }
        }
        let mark_s = mark.to_string();
        let m = mark_s.clone();
        let n = self.blocking(move |i| i.rebuild(docs, &m)).await?;
        tracing::info!(documents = n, mark = %mark_s, "检索索引已重建");
        Ok(IndexStep {
            indexed: usize::try_from(n).unwrap_or(usize::MAX),
            removed: 0,
            rebuilt: true,
            mark: mark_s,
        })
    }

    /// Brings the index up to date: the items changed since the index's position are
    /// read again and their documents replaced or removed, in one commit with the new
    /// position. Without a usable position, a rebuild.
    pub async fn step(&self) -> Result<IndexStep> {
        let _one = self.stepping.lock().await;
        let mark = self.index.mark().map_err(search_error)?;
        let Some(mark) = mark.and_then(|m| m.parse::<FeedMark>().ok()) else {
            return self.rebuild_now().await;
        };
        let Some(batch) = self.service.store().search_feed_after(mark).await? else {
            return self.rebuild_now().await;
        };
        let handled = self
            .handled
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let mut seen = HashSet::new();
        let items: Vec<(AgencyId, i64)> = batch
            .rows
            .iter()
            .filter(|r| !handled.contains(&r.id))
            .map(|r| (r.agency, r.item))
            .filter(|k| seen.insert(*k))
            .collect();
        let pending: HashSet<i64> = batch
            .rows
            .iter()
            .filter(|r| r.pending)
            .map(|r| r.id)
            .collect();
        if items.is_empty() && batch.mark == mark {
            *self.handled.lock().unwrap_or_else(|p| p.into_inner()) = pending;
            return Ok(IndexStep {
                indexed: 0,
                removed: 0,
                rebuilt: false,
                mark: mark.to_string(),
            });
        }
        let mut changes = Vec::with_capacity(items.len());
        for (agency, item) in items {
            changes.push(self.change_for(agency, item).await?);
        }
        let indexed = changes
            .iter()
            .filter(|c| matches!(c, Change::Upsert(_)))
            .count();
        let removed = changes.len() - indexed;
        let mark_s = batch.mark.to_string();
        let m = mark_s.clone();
        self.blocking(move |i| i.apply(&changes, &m)).await?;
        *self.handled.lock().unwrap_or_else(|p| p.into_inner()) = pending;
        if indexed + removed > 0 {
            tracing::debug!(indexed, removed, mark = %mark_s, "检索索引已更新");
        }
        Ok(IndexStep {
            indexed,
            removed,
            rebuilt: false,
            mark: mark_s,
        })
    }

    /// Compacts the register's change feed ([`gongkai_store::Store::compact_search_feed`]:
    /// an item's newest row kept, which every follower's next step reads anyway); the
    /// follower of `gongkai serve` calls it once an hour. Returns the rows removed.
    pub async fn compact_feed(&self) -> Result<u64> {
        let n = self.service.store().compact_search_feed().await?;
        if n > 0 {
            tracing::info!(removed = n, "检索变更记录已压缩");
        }
        Ok(n)
    }

    /// Searches (the public: no actor, nothing but published 主动公开 items).
    pub async fn search(&self, q: &PortalQuery) -> Result<PortalResults> {
        let agencies = self.service.store().agencies().await?;
        let by_code = |code: &str, field: &'static str| {
            agencies
                .iter()
                .find(|a| a.code == code.trim())
                .map(|a| a.id)
                .ok_or_else(|| ServiceError::NotFound {
                    what: field,
                    id: code.trim().to_string(),
                })
        };
        let mut scope: Vec<u64> = Vec::new();
        if let Some(code) = q.agency.as_deref().filter(|c| !c.trim().is_empty()) {
            scope.push(u64::try_from(by_code(code, "机关")?).unwrap_or(0));
        }
        if let Some(code) = q.within.as_deref().filter(|c| !c.trim().is_empty()) {
            let root = by_code(code, "机关")?;
            let under = gongkai_store::agencies::subtree_of(&agencies, root);
            let ids: Vec<u64> = under
                .iter()
                .map(|(a, _)| u64::try_from(a.id).unwrap_or(0))
                .collect();
            scope = if scope.is_empty() {
                ids
            } else {
                scope.into_iter().filter(|a| ids.contains(a)).collect()
            };
            if scope.is_empty() {
                scope.push(0); // an agency outside the jurisdiction: nothing
            }
        }
        let query = gongkai_search::SearchQuery {
            text: q.q.clone(),
            agencies: scope,
            topic: q.topic.clone(),
            genre: q.genre.clone(),
            organ: q.organ.clone(),
            year: q.year,
            number: q.number.clone(),
            order: q.order,
            page: q.page.unwrap_or(1),
            per_page: q.per_page.unwrap_or(20),
        };
        let page: SearchPage = self.blocking(move |i| i.search(&query)).await?;
        let names: HashMap<u64, (&str, &str)> = agencies
            .iter()
            .map(|a| {
                (
                    u64::try_from(a.id).unwrap_or(0),
                    (a.code.as_str(), a.name.as_str()),
                )
            })
            .collect();
        let note = match &page.number_match {
            Some(m) if m.found && m.matched.iter().any(|n| n != &m.asked) => Some(format!(
                "按文号“{}”检索（输入的“{}”已按同一文号查找）",
                m.matched.join("”“"),
                m.asked
            )),
            Some(m) if m.found => Some(format!("按文号“{}”检索", m.canonical)),
            Some(m) => Some(format!(
                "未找到文号为“{}”的信息，以下为全文检索结果",
                m.canonical
            )),
            None if page.relaxed => {
                Some("没有同时包含全部检索词的信息，以下结果包含其中部分检索词".into())
            }
            None => None,
        };
        Ok(PortalResults {
            total: page.total,
            page: page.page,
            per_page: page.per_page,
            hits: page
                .hits
                .into_iter()
                .map(|hit| {
                    let (code, name) = names.get(&hit.agency).copied().unwrap_or(("", ""));
                    PortalHit {
                        agency_code: code.to_string(),
                        agency_name: name.to_string(),
                        hit,
                    }
                })
                .collect(),
            words: page.words,
            relaxed: page.relaxed,
            number_match: page.number_match,
            order: page.order,
            note,
        })
    }
}
