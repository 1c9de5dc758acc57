//! What is indexed of one published item.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One item of the publication register as the public may find it: the published
/// version's catalogue fields and text. Only 主动公开 items that are published and not
/// withdrawn become documents; the caller decides that (the service's indexer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchDoc {
    /// The agency (its database id): a platform searches all agencies or some.
    pub agency: u64,
    /// The item's number in its agency.
    pub item: u64,
    /// 索引号.
    pub index_number: String,
    /// 名称.
    pub title: String,
    /// 内容概述.
    pub summary: String,
    /// 正文.
    pub body: String,
    /// The attachments' text, one string per attachment (its name and, once the store
    /// keeps it, the text read from it).
    pub attachments: Vec<String>,
    /// 发布机构.
    pub organ: String,
    /// 文号.
    pub number: Option<String>,
    /// 主题分类 (`综合政务/政务公开`: a path).
    pub topic: String,
    /// 体裁.
    pub genre: String,
    /// 生成日期.
    pub formed_on: NaiveDate,
    /// The first publication of the version indexed.
    pub published_on: Option<NaiveDate>,
    /// The caller's own data for its lists ([`crate::list`]): stored with the document and
    /// given back as it is, never searched (the service keeps there what a list row shows
    /// and the index has no field for).
    #[serde(default)]
    pub extra: String,
}

impl SearchDoc {
    /// The document's unique key.
    pub fn key(&self) -> String {
        key(self.agency, self.item)
    }
}

pub(crate) fn key(agency: u64, item: u64) -> String {
    format!("{agency}/{item}")
}

/// 发布机构 as matched by the filter: trimmed, folded (full-width forms), no spaces.
pub(crate) fn organ_key(organ: &str) -> String {
    crate::tokenizer::fold_compact(organ)
}
