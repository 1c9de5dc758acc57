//! The 专栏's lists from the index: 法定主动公开内容 by 主题分类 / 体裁 / 机构 / year, the
//! 政府信息公开制度 column, the 目录 — newest 生成日期 first, counted, paged.
//!
//! Served from the index rather than the database because a list of 100,000 published
//! items must be counted and cut at any page in a few milliseconds (issue 17: page views
//! p99 < 20 ms), which a SQL `COUNT` and `OFFSET` over the register cannot do; the index
//! holds exactly the public items (the caller decides which) and answers a count from its
//! posting lists and a page from a fast field.
//!
//! The filters mean what the register's lists mean: words of the 名称, 索引号, 文号 or
//! 内容概述 and words of the 发布机构 as substrings ([`crate::substring`]), 主题分类 with its
//! sub-topics, 体裁 exactly, the year of 生成日期.

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query};
use tantivy::schema::Value;
use tantivy::{DocAddress, DocId, Order, Score, SegmentOrdinal, SegmentReader, TantivyDocument};

use crate::index::SearchIndex;
use crate::query::{SearchQuery, filter_clauses};
use crate::substring::contains_all;
use crate::{Result, SearchError};

/// A list: filters and a slice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    /// Only these agencies (empty: every agency of the index).
    pub agencies: Vec<u64>,
    /// Words (white space between) each found in the 名称, 索引号, 文号 or 内容概述.
    pub text: Option<String>,
    /// 主题分类 (a path; a parent topic takes in its sub-topics).
    pub topic: Option<String>,
    /// 体裁, exactly.
    pub genre: Option<String>,
    /// Words each found in the 发布机构.
    pub organ: Option<String>,
    /// The year of 生成日期.
    pub year: Option<i32>,
    /// Documents skipped.
    pub offset: usize,
    /// Documents given (`None`: all from `offset`).
    pub limit: Option<usize>,
}

/// One document of a list: its stored fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed {
    pub agency: u64,
    pub item: u64,
    pub index_number: String,
    pub title: String,
    pub summary: String,
    pub organ: String,
    pub number: Option<String>,
    pub topic: String,
    pub genre: String,
    /// 生成日期 (ISO).
    pub formed_on: String,
    /// [`crate::SearchDoc::extra`].
    pub extra: String,
}

/// How many match, and the slice asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListPage {
    pub total: usize,
    pub items: Vec<Listed>,
}

impl SearchIndex {
    /// A list (see the module comment). Errors only for a failure of the index itself.
    pub fn list(&self, q: &ListQuery) -> Result<ListPage> {
        let f = &self.fields;
        let searcher = self.reader.searcher();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = filter_clauses(
            f,
            &SearchQuery {
                agencies: q.agencies.clone(),
                topic: q.topic.clone(),
                genre: q.genre.clone(),
                year: q.year,
                ..Default::default()
            },
        )
        .into_iter()
        .map(|c| (Occur::Must, c))
        .collect();
        if let Some(c) = q.text.as_deref().and_then(|t| contains_all(f.list_text, t)) {
            clauses.push((Occur::Must, c));
        }
        if let Some(c) = q
            .organ
            .as_deref()
            .and_then(|t| contains_all(f.organ_chars, t))
        {
            clauses.push((Occur::Must, c));
        }
        let query: Box<dyn Query> = if clauses.is_empty() {
            Box::new(AllQuery)
        } else {
            Box::new(BooleanQuery::new(clauses))
        };
        let err = |e: tantivy::TantivyError| {
            SearchError::index(self.dir().unwrap_or(std::path::Path::new(":memory:")), e)
        };
        let (total, addrs): (usize, Vec<DocAddress>) = match q.limit {
            Some(0) => (searcher.search(&*query, &Count).map_err(err)?, Vec::new()),
            // The first page: a top-N of the page's size.
            Some(limit) if q.offset == 0 => {
                let top =
                    TopDocs::with_limit(limit).order_by_fast_field::<i64>("listed", Order::Desc);
                let (n, docs) = searcher.search(&*query, &(Count, top)).map_err(err)?;
                (n, docs.into_iter().map(|(_, a)| a).collect())
            }
            // Past it, or the whole list: every match with its key, the slice selected in
            // linear time (a top-N heap of offset + limit entries costs far more at page
            // 2,500), in one pass that also counts.
            limit => {
                let mut all = searcher.search(&*query, &Keyed).map_err(err)?;
                let total = all.len();
                (
                    total,
                    page_of(&mut all, q.offset, limit.unwrap_or(usize::MAX)),
                )
            }
        };
        let mut items = Vec::with_capacity(addrs.len());
        for addr in addrs {
            let doc: TantivyDocument = searcher.doc(addr).map_err(err)?;
            let s = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let u = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
            items.push(Listed {
                agency: u(f.agency),
                item: u(f.item),
                index_number: s(f.index_number),
                title: s(f.title),
                summary: s(f.summary),
                organ: s(f.organ),
                number: Some(s(f.number)).filter(|n| !n.is_empty()),
                topic: s(f.topic),
                genre: s(f.genre),
                formed_on: s(f.formed_on),
                extra: s(f.extra),
            });
        }
        Ok(ListPage { total, items })
    }
}

/// Every matching document with its list key (`listed`).
struct Keyed;

struct KeyedSegment {
    segment: SegmentOrdinal,
    keys: tantivy::columnar::Column<i64>,
    out: Vec<(i64, DocAddress)>,
}

impl Collector for Keyed {
    type Fruit = Vec<(i64, DocAddress)>;
    type Child = KeyedSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<KeyedSegment> {
        Ok(KeyedSegment {
            segment,
            keys: reader.fast_fields().i64("listed")?,
            out: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(i64, DocAddress)>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for KeyedSegment {
    type Fruit = Vec<(i64, DocAddress)>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let key = self.keys.first(doc).unwrap_or(i64::MIN);
        self.out.push((key, DocAddress::new(self.segment, doc)));
    }

    fn harvest(self) -> Self::Fruit {
        self.out
    }
}

/// The documents at `offset .. offset + limit` of `all` in the lists' order (key
/// descending, then the address descending), selected without sorting the rest.
fn page_of(all: &mut [(i64, DocAddress)], offset: usize, limit: usize) -> Vec<DocAddress> {
    let newest_first = |a: &(i64, DocAddress), b: &(i64, DocAddress)| b.cmp(a);
    if offset >= all.len() {
        return Vec::new();
    }
    if offset > 0 {
        all.select_nth_unstable_by(offset, newest_first);
    }
    let rest = &mut all[offset..];
    let n = limit.min(rest.len());
    if n < rest.len() {
        rest.select_nth_unstable_by(n, newest_first);
    }
    let page = &mut rest[..n];
    page.sort_unstable_by(newest_first);
    page.iter().map(|(_, a)| *a).collect()
}
