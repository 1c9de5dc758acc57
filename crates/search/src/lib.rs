//! 全文检索 / Chinese full-text search over the publication register's published items
//! (issue 17 §2).
//!
//! * [`tokenizer`]: NFKC folding (full-width digits and letters), lower case, jieba's
//!   search-mode segmentation, offsets kept on the original text for highlighting.
//! * [`number`]: 文号 in any bracket form (〔2023〕 [2023] (2023) （2023） 【2023】) to one
//!   canonical key.
//! * [`SearchIndex`]: the tantivy index (on disk or in memory), written by
//!   [`SearchIndex::apply`] / [`SearchIndex::rebuild`] with a *mark* in each commit (how far
//!   the caller's change feed has been indexed), searched by [`SearchIndex::search`] and
//!   listed by [`SearchIndex::list`] (the 专栏's lists: filters, newest 生成日期 first,
//!   words matched as substrings, [`substring`]).
//!
//! What is public (published, 主动公开, not withdrawn) is decided by the caller (the
//! service's indexer); this crate indexes what it is given.

use std::path::{Path, PathBuf};

pub mod doc;
pub mod index;
pub mod list;
pub mod number;
pub mod query;
pub mod substring;
pub mod tokenizer;

pub use doc::SearchDoc;
pub use index::{Change, SCHEMA_VERSION, SearchIndex};
pub use list::{ListPage, ListQuery, Listed};
pub use query::{
    MAX_PAGE, MAX_PER_PAGE, MAX_QUERY_CHARS, NumberMatch, SearchHit, SearchPage, SearchQuery,
    SortOrder,
};

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("检索词过长：最多 {max} 个字（现有 {got} 个）")]
    QueryTooLong { max: usize, got: usize },
    #[error("页码超出范围：最多第 {max} 页")]
    PageOutOfRange { max: usize },
    #[error("检索索引目录 {path} 正由另一进程写入（每个进程须使用自己的索引目录）")]
    Busy { path: PathBuf },
    #[error("无法打开检索索引目录 {path}：{message}")]
    Open { path: PathBuf, message: String },
    #[error("检索索引目录 {path} 读写失败：{source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("检索索引 {path} 出错：{source}")]
    Index {
        path: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },
}

impl SearchError {
    pub(crate) fn index(path: &Path, source: tantivy::TantivyError) -> SearchError {
        SearchError::Index {
            path: path.to_path_buf(),
            source,
        }
    }
}

pub type Result<T, E = SearchError> = std::result::Result<T, E>;
