//! Queries: the user's words are never parsed as a query language (so `"`, `:`, `(`,
//! `AND` … are plain text and never an error); they are cut by the same analyzer as the
//! documents and become term queries:
//!
//! * each query word (default-mode jieba) is a group that its own term or any of its
//!   search-mode pieces satisfies, scored by BM25 over the fields with boosts (名称 ×3,
//!   文号 and 索引号 ×2, 内容概述 ×1.5, 主题分类 and 发布机构 ×1, 正文 ×1, attachments ×0.7);
//! * every group must match; if nothing matches and there are several groups, any group
//!   may (the answer says so: [`SearchPage::relaxed`]);
//! * a 文号 in the query (any bracket form) looks up the canonical 文号 key first; the
//!   answer says which 文号 it matched ([`NumberMatch`]); with no document of that 文号
//!   the whole query is searched as text.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::{DocAddress, Order, Score, Searcher, TantivyDocument, Term};

use crate::index::{Fields, SearchIndex, topic_facet};
use crate::tokenizer::{QueryGroup, fold_compact, query_groups};
use crate::{Result, SearchError, number};

/// A query longer than this (in characters) is refused.
pub const MAX_QUERY_CHARS: usize = 200;
/// At most this many results a page.
pub const MAX_PER_PAGE: usize = 100;
/// Pages beyond this are not served (deep paging costs; nobody reads page 500).
pub const MAX_PAGE: usize = 500;

/// How results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Best match first (BM25); without query words: newest first.
    #[default]
    Relevance,
    /// Newest publication first.
    Newest,
    /// Oldest publication first.
    Oldest,
}

/// A search: words and filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    /// The words (may be empty: then the filters alone select, newest first).
    pub text: String,
    /// Only these agencies (empty: every agency of the index).
    pub agencies: Vec<u64>,
    /// 主题分类 (a path; a parent topic takes in its sub-topics).
    pub topic: Option<String>,
    /// 体裁.
    pub genre: Option<String>,
    /// 发布机构 (exact, spaces and full-width forms aside).
    pub organ: Option<String>,
    /// The year of 生成日期.
    pub year: Option<i32>,
    /// 文号 (any bracket form; or words of it).
    pub number: Option<String>,
    pub order: SortOrder,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

/// How a 文号 in the query was matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberMatch {
    /// The 文号 as typed.
    pub asked: String,
    /// Its canonical form (`国办发〔2023〕12号`).
    pub canonical: String,
    /// The 文号 as the documents found write it (distinct, as stored).
    pub matched: Vec<String>,
    /// Whether documents were found by it (otherwise the text search answered).
    pub found: bool,
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub agency: u64,
    pub item: u64,
    pub index_number: String,
    pub title: String,
    /// The title with the matched words in `<mark>`, HTML-escaped.
    pub title_html: String,
    /// A passage of the body (or summary, or attachments) with the matched words in
    /// `<mark>`, HTML-escaped.
    pub snippet_html: String,
    pub organ: String,
    pub number: Option<String>,
    pub topic: String,
    pub genre: String,
    pub formed_on: String,
    pub published_on: Option<String>,
    /// BM25 score (relevance order only).
    pub score: Option<f32>,
    /// The canonical keys of its 文号 (`国办发〔2023〕12号`, `〔2023〕12号`).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub number_keys: Vec<String>,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchPage {
    /// Matching documents in all.
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub hits: Vec<SearchHit>,
    /// The words searched for (after cutting and dropping stop words).
    pub words: Vec<String>,
    /// Set when not every word matched anywhere and documents with some of them are shown.
    pub relaxed: bool,
    /// Set when the query held a 文号.
    pub number_match: Option<NumberMatch>,
    pub order: SortOrder,
}

/// How many matched, and one page of them (with the score in relevance order).
type Ranked = (usize, Vec<(Option<Score>, DocAddress)>);

/// Field boosts (see the module comment).
fn boosted(f: &Fields) -> [(Field, f32); 8] {
    [
        (f.title, 3.0),
        (f.number, 2.0),
        (f.index_number, 2.0),
        (f.summary, 1.5),
        (f.topic, 1.0),
        (f.organ, 1.0),
        (f.body, 1.0),
        (f.attachments, 0.7),
    ]
}

fn term_q(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

/// A term in any field, with the fields' boosts times `weight` (`text_only`: in the
/// text fields only — 名称, 内容概述, 正文, attachments — as a word's parts are searched:
/// half the term scorers for the same matches, the 文号 and 索引号 fields aside).
fn any_field(f: &Fields, term: &str, weight: f32, text_only: bool) -> Box<dyn Query> {
    let text = [f.title, f.summary, f.body, f.attachments];
    Box::new(BooleanQuery::new(
        boosted(f)
            .into_iter()
            .filter(|(field, _)| !text_only || text.contains(field))
            .map(|(field, boost)| {
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(term_q(field, term), boost * weight))
                        as Box<dyn Query>,
                )
            })
            .collect(),
    ))
}

/// One query word: its own term (full weight), or every one of its pieces (half weight;
/// a text cut otherwise still matches 最低生活保障 through 最低 + 生活 + 保障, and 最低要求
/// alone does not).
fn group_query(f: &Fields, g: &QueryGroup) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Should, any_field(f, &g.terms[0], 1.0, false))];
    let pieces = &g.terms[1..];
    if !pieces.is_empty() {
        let all: Vec<(Occur, Box<dyn Query>)> = pieces
            .iter()
            .map(|p| (Occur::Must, any_field(f, p, 0.5, true)))
            .collect();
        clauses.push((Occur::Should, Box::new(BooleanQuery::new(all))));
    }
    Box::new(BooleanQuery::new(clauses))
}

fn words_query(f: &Fields, groups: &[QueryGroup], every: bool) -> Box<dyn Query> {
    let occur = if every { Occur::Must } else { Occur::Should };
    Box::new(BooleanQuery::new(
        groups.iter().map(|g| (occur, group_query(f, g))).collect(),
    ))
}

pub(crate) fn filter_clauses(f: &Fields, q: &SearchQuery) -> Vec<Box<dyn Query>> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    if !q.agencies.is_empty() {
        let any: Vec<(Occur, Box<dyn Query>)> = q
            .agencies
            .iter()
            .map(|&a| {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(
                        Term::from_field_u64(f.agency, a),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>,
                )
            })
            .collect();
        out.push(Box::new(BooleanQuery::new(any)));
    }
    if let Some(topic) = q.topic.as_deref().filter(|t| !t.trim().is_empty()) {
        match topic_facet(topic) {
            Some(facet) => out.push(Box::new(TermQuery::new(
                Term::from_facet(f.topic_facet, &facet),
                IndexRecordOption::Basic,
            ))),
            None => out.push(Box::new(BooleanQuery::new(Vec::new()))),
        }
    }
    if let Some(genre) = q.genre.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
        out.push(term_q(f.genre, genre));
    }
    if let Some(organ) = q.organ.as_deref().filter(|o| !o.trim().is_empty()) {
        out.push(term_q(f.organ_key, &fold_compact(organ)));
    }
    if let Some(year) = q.year {
        out.push(Box::new(TermQuery::new(
            Term::from_field_u64(f.year, u64::try_from(year).unwrap_or(0)),
            IndexRecordOption::Basic,
        )));
    }
    if let Some(n) = q.number.as_deref().filter(|n| !n.trim().is_empty()) {
        match number::find(n) {
            Some(parsed) => out.push(number_query(f, &parsed)),
            None => {
                let groups = query_groups(n);
                let all: Vec<(Occur, Box<dyn Query>)> = groups
                    .iter()
                    .map(|g| (Occur::Must, term_q(f.number, &g.word)))
                    .collect();
                // Nothing searchable in it: nothing matches.
                out.push(Box::new(BooleanQuery::new(all)));
            }
        }
    }
    out
}

/// Any of a 文号's candidate keys, the longer prefix scoring higher.
fn number_query(f: &Fields, n: &number::DocNumber) -> Box<dyn Query> {
    let keys = n.query_keys();
    let count = keys.len();
    Box::new(BooleanQuery::new(
        keys.into_iter()
            .enumerate()
            .map(|(i, (k, _))| {
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        term_q(f.number_key, &k),
                        1.0 + (count - i) as f32,
                    )) as Box<dyn Query>,
                )
            })
            .collect(),
    ))
}

/// `main` restricted by the filters (which do not score).
fn with_filters(main: Box<dyn Query>, filters: &[Box<dyn Query>]) -> Box<dyn Query> {
    if filters.is_empty() {
        return main;
    }
    let mut clauses = vec![(Occur::Must, main)];
    for fq in filters {
        clauses.push((
            Occur::Must,
            Box::new(BoostQuery::new(fq.box_clone(), 0.0)) as Box<dyn Query>,
        ));
    }
    Box::new(BooleanQuery::new(clauses))
}

impl SearchIndex {
    /// Runs a search. Errors only for a query over [`MAX_QUERY_CHARS`], a page out of
    /// range, or a failure of the index itself.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchPage> {
        let chars = q.text.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(SearchError::QueryTooLong {
                max: MAX_QUERY_CHARS,
                got: chars,
            });
        }
        let per_page = q.per_page.clamp(1, MAX_PER_PAGE);
        let page = q.page.max(1);
        if page > MAX_PAGE {
            return Err(SearchError::PageOutOfRange { max: MAX_PAGE });
        }
        let f = &self.fields;
        let searcher = self.reader.searcher();
        let filters = filter_clauses(f, q);
        let text = q.text.trim();
        let mut number_match = None;
        let mut relaxed = false;
        let mut numbers: Option<number::DocNumber> = None;

        let offset = (page - 1) * per_page;
        let order_for = |words: bool, number: bool| match q.order {
            SortOrder::Relevance if !words && !number => SortOrder::Newest,
            o => o,
        };
        // Each query runs once: counted and ranked together.
        let mut chosen = None;
        if let Some(n) = number::find(text) {
            let rest = format!("{} {}", &text[..n.span.0], &text[n.span.1..]);
            let groups = query_groups(&rest);
            let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Must, number_query(f, &n))];
            if !groups.is_empty() {
                clauses.push((Occur::Should, words_query(f, &groups, false)));
            }
            let query = with_filters(Box::new(BooleanQuery::new(clauses)), &filters);
            let order = order_for(!groups.is_empty(), true);
            let run = self.run(&searcher, &*query, order, offset, per_page)?;
            let found = run.0 > 0;
            number_match = Some(NumberMatch {
                asked: text[n.span.0..n.span.1].to_string(),
                canonical: n.canonical(),
                matched: Vec::new(),
                found,
            });
            numbers = Some(n);
            if found {
                chosen = Some((query, groups, order, run));
            }
        }
        let (query, groups, order, (total, addrs)) = match chosen {
            Some(c) => c,
            None => {
                let groups = query_groups(text);
                let order = order_for(!groups.is_empty(), number_match.is_some());
                if groups.is_empty() {
                    let query = with_filters(Box::new(AllQuery), &filters);
                    let run = self.run(&searcher, &*query, order, offset, per_page)?;
                    (query, groups, order, run)
                } else {
                    let strict = with_filters(words_query(f, &groups, true), &filters);
                    let run = self.run(&searcher, &*strict, order, offset, per_page)?;
                    if groups.len() > 1 && run.0 == 0 {
                        relaxed = true;
                        let query = with_filters(words_query(f, &groups, false), &filters);
                        let run = self.run(&searcher, &*query, order, offset, per_page)?;
                        (query, groups, order, run)
                    } else {
                        (strict, groups, order, run)
                    }
                }
            }
        };
        let hits = self.hits(&searcher, &*query, &addrs)?;
        if let (Some(m), Some(n)) = (number_match.as_mut(), numbers.as_ref()) {
            // The longest candidate a document carries: what the user meant.
            let keys = n.query_keys();
            let carried: BTreeSet<&str> = hits
                .iter()
                .flat_map(|h| h.number_keys.iter().map(String::as_str))
                .collect();
            if let Some((key, at)) = keys.iter().find(|(k, _)| carried.contains(k.as_str())) {
                m.canonical = key.clone();
                m.asked = text[*at..n.span.1].to_string();
            }
            if m.found {
                let mut seen = BTreeSet::new();
                for h in &hits {
                    if let Some(num) = &h.number
                        && h.number_keys.iter().any(|k| k == &m.canonical)
                        && seen.insert(num.clone())
                    {
                        m.matched.push(num.clone());
                    }
                }
            }
        }
        Ok(SearchPage {
            total,
            page,
            per_page,
            hits,
            words: groups.into_iter().map(|g| g.word).collect(),
            relaxed,
            number_match,
            order,
        })
    }

    fn search_err(&self, e: tantivy::TantivyError) -> SearchError {
        SearchError::index(self.dir().unwrap_or(std::path::Path::new(":memory:")), e)
    }

    /// The count and one page of `query` in `order`.
    fn run(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        order: SortOrder,
        offset: usize,
        per_page: usize,
    ) -> Result<Ranked> {
        let top = TopDocs::with_limit(per_page).and_offset(offset);
        match order {
            SortOrder::Relevance => {
                let (n, docs) = searcher
                    .search(query, &(Count, top.order_by_score()))
                    .map_err(|e| self.search_err(e))?;
                Ok((n, docs.into_iter().map(|(s, a)| (Some(s), a)).collect()))
            }
            SortOrder::Newest | SortOrder::Oldest => {
                let dir = if order == SortOrder::Newest {
                    Order::Desc
                } else {
                    Order::Asc
                };
                let (n, docs) = searcher
                    .search(query, &(Count, top.order_by_fast_field::<i64>("date", dir)))
                    .map_err(|e| self.search_err(e))?;
                Ok((n, docs.into_iter().map(|(_, a)| (None, a)).collect()))
            }
        }
    }

    fn hits(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        addrs: &[(Option<Score>, DocAddress)],
    ) -> Result<Vec<SearchHit>> {
        let f = &self.fields;
        if addrs.is_empty() {
            return Ok(Vec::new());
        }
        let generator = |field: Field, chars: usize| -> Result<SnippetGenerator> {
            let mut g =
                SnippetGenerator::create(searcher, query, field).map_err(|e| self.search_err(e))?;
            g.set_max_num_chars(chars);
            Ok(g)
        };
        let title_gen = generator(f.title, 10_000)?;
        let passage_gens = [
            generator(f.body, 120)?,
            generator(f.summary, 120)?,
            generator(f.attachments, 120)?,
        ];
        let mut out = Vec::with_capacity(addrs.len());
        for &(score, addr) in addrs {
            let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.search_err(e))?;
            let s = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let u = |field: Field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
            let title = s(f.title);
            let title_html = marked_whole(&title, &title_gen.snippet_from_doc(&doc));
            let snippet_html = passage_gens
                .iter()
                .map(|g| g.snippet_from_doc(&doc))
                .find(|sn| !sn.highlighted().is_empty())
                .map(|mut sn| {
                    sn.set_snippet_prefix_postfix("<mark>", "</mark>");
                    sn.to_html()
                })
                .unwrap_or_else(|| {
                    let summary = s(f.summary);
                    let source = if summary.trim().is_empty() {
                        s(f.body)
                    } else {
                        summary
                    };
                    escape(&source.chars().take(120).collect::<String>())
                });
            let number = Some(s(f.number)).filter(|n| !n.is_empty());
            let published = Some(s(f.published_on)).filter(|p| !p.is_empty());
            out.push(SearchHit {
                agency: u(f.agency),
                item: u(f.item),
                index_number: s(f.index_number),
                title,
                title_html,
                snippet_html,
                organ: s(f.organ),
                number,
                topic: s(f.topic),
                genre: s(f.genre),
                formed_on: s(f.formed_on),
                published_on: published,
                score,
                number_keys: doc
                    .get_all(f.number_key)
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
            });
        }
        Ok(out)
    }
}

/// The whole `text` with the snippet's highlighted ranges in `<mark>`, escaped.
fn marked_whole(text: &str, snippet: &Snippet) -> String {
    let base = snippet.fragment_range().start;
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for r in snippet.highlighted() {
        let (from, to) = (base + r.start, base + r.end);
        if from < at
            || to > text.len()
            || !text.is_char_boundary(from)
            || !text.is_char_boundary(to)
        {
            continue;
        }
        out.push_str(&escape(&text[at..from]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[from..to]));
        out.push_str("</mark>");
        at = to;
    }
    out.push_str(&escape(&text[at..]));
    out
}

/// HTML-escaped text.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
