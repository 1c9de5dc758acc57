//! The index on disk (or in memory): its schema, opening it, writing to it.
//!
//! * One index directory has one writer at a time: tantivy takes a lock file
//!   (`.tantivy-writer.lock`) when the writer is made; a second process wanting to write the
//!   same directory gets [`SearchError::Busy`]. Each process therefore keeps its own
//!   directory; the database is the truth, the index a cache.
//! * Every commit carries a payload: the schema version of this crate and the caller's
//!   *mark* (how far in the database's change feed the index is). A directory made by an
//!   older schema is emptied and made again (the caller sees no mark and rebuilds).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::doc::SearchDoc;
use crate::substring::{CHARS, CharTokenizer};
use crate::tokenizer::{ChineseTokenizer, TOKENIZER};
use crate::{Result, SearchError, number};

/// Bumped whenever the schema or the analyzer changes: an index of another version is
/// rebuilt.
pub const SCHEMA_VERSION: u32 = 2;

/// The writer's memory budget (tantivy needs at least 15 MB per indexing thread).
const WRITER_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub key: Field,
    pub agency: Field,
    pub item: Field,
    pub index_number: Field,
    pub title: Field,
    pub summary: Field,
    pub body: Field,
    pub attachments: Field,
    pub organ: Field,
    pub organ_key: Field,
    pub number: Field,
    pub number_key: Field,
    pub topic: Field,
    pub topic_facet: Field,
    pub genre: Field,
    pub year: Field,
    pub formed_on: Field,
    pub published_on: Field,
    pub date: Field,
    /// 名称, 索引号, 文号 and 内容概述 joined by a space, one token per character (the lists'
    /// words, [`crate::substring`]).
    pub list_text: Field,
    /// 发布机构, one token per character.
    pub organ_chars: Field,
    /// The lists' order: 生成日期 (days) · 2^40 + item, newest first.
    pub listed: Field,
    /// [`SearchDoc::extra`].
    pub extra: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored { o.set_stored() } else { o }
    };
    let chars = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(CHARS)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        agency: b.add_u64_field("agency", INDEXED | FAST | STORED),
        item: b.add_u64_field("item", STORED),
        index_number: b.add_text_field("index_number", text(true)),
        title: b.add_text_field("title", text(true)),
        summary: b.add_text_field("summary", text(true)),
        body: b.add_text_field("body", text(true)),
        attachments: b.add_text_field("attachments", text(true)),
        organ: b.add_text_field("organ", text(true)),
        organ_key: b.add_text_field("organ_key", STRING),
        number: b.add_text_field("number", text(true)),
        number_key: b.add_text_field("number_key", STRING | STORED),
        topic: b.add_text_field("topic", text(true)),
        topic_facet: b.add_facet_field("topic_facet", FacetOptions::default()),
        genre: b.add_text_field("genre", STRING | STORED),
        year: b.add_u64_field("year", INDEXED | FAST),
        formed_on: b.add_text_field("formed_on", STORED),
        published_on: b.add_text_field("published_on", STORED),
        date: b.add_i64_field("date", INDEXED | FAST),
        list_text: b.add_text_field("list_text", chars.clone()),
        organ_chars: b.add_text_field("organ_chars", chars),
        listed: b.add_i64_field("listed", FAST),
        extra: b.add_text_field("extra", STORED),
    };
    (b.build(), fields)
}

/// A topic path (`综合政务/政务公开`) as a facet (`/综合政务/政务公开`).
pub(crate) fn topic_facet(topic: &str) -> Option<Facet> {
    let parts: Vec<&str> = topic
        .split(['/', '／', '\\'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| Facet::from_path(parts))
}

/// What a commit's payload says.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    schema: u32,
    mark: String,
}

/// The search index: a reader always, a writer made on the first write.
pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    writer: Mutex<Option<IndexWriter<TantivyDocument>>>,
    dir: Option<PathBuf>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, making the directory and an empty index if need be. An
    /// index of another schema version (or one that cannot be read) is removed and made
    /// again: it is a cache.
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        std::fs::create_dir_all(dir).map_err(|e| SearchError::Io {
            path: dir.to_path_buf(),
            source: e,
        })?;
        let (schema, fields) = schema();
        let existing = tantivy::directory::MmapDirectory::open(dir)
            .map_err(|e| SearchError::Open {
                path: dir.to_path_buf(),
                message: e.to_string(),
            })
            .and_then(|d| {
                Index::exists(&d).map_err(|e| SearchError::Open {
                    path: dir.to_path_buf(),
                    message: e.to_string(),
                })
            })?;
        let index = if existing {
            match Index::open_in_dir(dir) {
                Ok(i)
                    if i.schema() == schema
                        && payload_of(&i).is_none_or(|p| p.schema == SCHEMA_VERSION) =>
                {
                    i
                }
                _ => {
                    tracing::warn!(dir = %dir.display(), "检索索引的版本不同或无法读取，重建索引目录");
                    clear_dir(dir)?;
                    Index::create_in_dir(dir, schema).map_err(|e| SearchError::index(dir, e))?
                }
            }
        } else {
            Index::create_in_dir(dir, schema).map_err(|e| SearchError::index(dir, e))?
        };
        Self::with_index(index, fields, Some(dir.to_path_buf()))
    }

    /// An index in memory (tests, benches).
    pub fn in_memory() -> Result<SearchIndex> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields, None)
    }

    fn with_index(index: Index, fields: Fields, dir: Option<PathBuf>) -> Result<SearchIndex> {
        index.tokenizers().register(TOKENIZER, ChineseTokenizer);
        index.tokenizers().register(CHARS, CharTokenizer);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| SearchError::index(dir.as_deref().unwrap_or(Path::new(":memory:")), e))?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            writer: Mutex::new(None),
            dir,
        })
    }

    fn err(&self, e: tantivy::TantivyError) -> SearchError {
        SearchError::index(self.dir.as_deref().unwrap_or(Path::new(":memory:")), e)
    }

    /// The directory, if on disk.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The mark of the last commit (none for a new or rebuilt index).
    pub fn mark(&self) -> Result<Option<String>> {
        Ok(payload_of(&self.index)
            .filter(|p| p.schema == SCHEMA_VERSION)
            .map(|p| p.mark))
    }

    /// Documents in the index (as last committed).
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Bytes the index takes on disk (0 in memory).
    pub fn size_on_disk(&self) -> u64 {
        fn walk(p: &Path) -> u64 {
            let Ok(rd) = std::fs::read_dir(p) else {
                return 0;
            };
            rd.flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => walk(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        }
        self.dir.as_deref().map_or(0, walk)
    }

    fn with_writer<T>(
        &self,
        f: impl FnOnce(&mut IndexWriter<TantivyDocument>, &Fields) -> Result<T>,
    ) -> Result<T> {
        let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            let w = self
                .index
                .writer_with_num_threads(1, WRITER_BYTES)
                .map_err(|e| match e {
                    tantivy::TantivyError::LockFailure(..) => SearchError::Busy {
                        path: self.dir.clone().unwrap_or_default(),
                    },
                    e => self.err(e),
                })?;
            *guard = Some(w);
        }
        let w = guard.as_mut().expect("made above");
        f(w, &self.fields)
    }

    /// Takes this directory's writer now (it is otherwise taken at the first write), so
    /// that a process sharing another's directory fails at start ([`SearchError::Busy`]).
    pub fn lock_for_writing(&self) -> Result<()> {
        self.with_writer(|_, _| Ok(()))
    }

    /// Applies `changes` and commits them with `mark`, in one commit; the reader sees
    /// them when this returns.
    pub fn apply(&self, changes: &[Change], mark: &str) -> Result<()> {
        self.with_writer(|w, f| {
            for c in changes {
                match c {
                    Change::Upsert(d) => {
                        w.delete_term(Term::from_field_text(f.key, &d.key()));
                        w.add_document(document(f, d)).map_err(|e| self.err(e))?;
                    }
                    Change::Remove { agency, item } => {
                        w.delete_term(Term::from_field_text(
                            f.key,
                            &crate::doc::key(*agency, *item),
                        ));
                    }
                }
            }
            self.commit(w, mark)
        })
    }

    /// Replaces everything with `docs` and commits with `mark` (one commit: searches see
    /// the old index until it is done).
    pub fn rebuild(&self, docs: impl IntoIterator<Item = SearchDoc>, mark: &str) -> Result<u64> {
        self.with_writer(|w, f| {
            w.delete_all_documents().map_err(|e| self.err(e))?;
            let mut n = 0;
            for d in docs {
                w.add_document(document(f, &d)).map_err(|e| self.err(e))?;
                n += 1;
            }
            self.commit(w, mark)?;
            Ok(n)
        })
    }

    fn commit(&self, w: &mut IndexWriter<TantivyDocument>, mark: &str) -> Result<()> {
        let payload = serde_json::to_string(&Payload {
            schema: SCHEMA_VERSION,
            mark: mark.to_string(),
        })
        .unwrap_or_default();
        let mut prepared = w.prepare_commit().map_err(|e| self.err(e))?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(|e| self.err(e))?;
        self.reader.reload().map_err(|e| self.err(e))?;
        Ok(())
    }
}

/// One change to the index.
#[derive(Debug, Clone)]
pub enum Change {
    /// Add the document, or replace the one of the same agency and item.
    Upsert(Box<SearchDoc>),
    /// Remove the item (withdrawn, no longer public, or never published).
    Remove { agency: u64, item: u64 },
}

fn payload_of(index: &Index) -> Option<Payload> {
    let metas = index.load_metas().ok()?;
    serde_json::from_str(metas.payload.as_deref()?).ok()
}

fn clear_dir(dir: &Path) -> Result<()> {
    let rd = std::fs::read_dir(dir).map_err(|e| SearchError::Io {
        path: dir.to_path_buf(),
        source: e,
    })?;
    for e in rd.flatten() {
        let p = e.path();
        let r = if p.is_dir() {
            std::fs::remove_dir_all(&p)
        } else {
            std::fs::remove_file(&p)
        };
        r.map_err(|e| SearchError::Io { path: p, source: e })?;
    }
    Ok(())
}

fn days(d: chrono::NaiveDate) -> i64 {
    use chrono::Datelike;
    i64::from(d.num_days_from_ce())
}

fn document(f: &Fields, d: &SearchDoc) -> TantivyDocument {
    use chrono::Datelike;
    let mut doc = TantivyDocument::default();
    doc.add_text(f.key, d.key());
    doc.add_u64(f.agency, d.agency);
    doc.add_u64(f.item, d.item);
    doc.add_text(f.index_number, &d.index_number);
    doc.add_text(f.title, &d.title);
    doc.add_text(f.summary, &d.summary);
    doc.add_text(f.body, &d.body);
    for a in &d.attachments {
        doc.add_text(f.attachments, a);
    }
    doc.add_text(f.organ, &d.organ);
    doc.add_text(f.organ_key, crate::doc::organ_key(&d.organ));
    if let Some(n) = d.number.as_deref().filter(|n| !n.trim().is_empty()) {
        doc.add_text(f.number, n);
        if let Some(parsed) = number::find(n) {
            for k in parsed.keys() {
                doc.add_text(f.number_key, k);
            }
        }
    }
    doc.add_text(f.topic, &d.topic);
    if let Some(facet) = topic_facet(&d.topic) {
        doc.add_facet(f.topic_facet, facet);
    }
    doc.add_text(f.genre, d.genre.trim());
    doc.add_u64(f.year, u64::try_from(d.formed_on.year()).unwrap_or(0));
    doc.add_text(f.formed_on, d.formed_on.to_string());
    if let Some(p) = d.published_on {
        doc.add_text(f.published_on, p.to_string());
    }
    doc.add_i64(f.date, days(d.published_on.unwrap_or(d.formed_on)));
    doc.add_text(
        f.list_text,
        format!(
            "{} {} {} {}",
            d.title,
            d.index_number,
            d.number.as_deref().unwrap_or(""),
            d.summary
        ),
    );
    doc.add_text(f.organ_chars, &d.organ);
    doc.add_i64(f.listed, listed_key(d.formed_on, d.item));
    doc.add_text(f.extra, &d.extra);
    doc
}

/// The lists' sort key: 生成日期, then the item (both newest first when descending).
pub(crate) fn listed_key(formed_on: chrono::NaiveDate, item: u64) -> i64 {
    (days(formed_on) << 40) | i64::try_from(item & ((1 << 40) - 1)).unwrap_or(0)
}
