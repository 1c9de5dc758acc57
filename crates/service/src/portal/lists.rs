//! The 专栏's lists (法定主动公开内容 with its filters, 政府信息公开制度, the 目录 and its
//! download), served from the process's search index (`crate::portal::search`).
//!
//! The index holds exactly the items an item's page shows (module docs of
//! [`crate::portal`]; [`crate::portal::search::document_of`]), each as its published version, so a
//! list and the pages it links to agree, and a list of 100,000 items is counted and cut at
//! any page from the index's posting lists and a fast field rather than by a SQL `COUNT`
//! and `OFFSET` over the register. Before each list the index catches up with the
//! register's change feed ([`PortalSearch::step`]: one small query when nothing changed),
//! so an item is listed as soon as its publication is committed and leaves the lists as
//! soon as it is withdrawn.

use chrono::NaiveDate;
use gongkai_ledger::register::{Outlet, Validity};
use gongkai_search::{ListQuery, Listed};
use gongkai_store::Agency;
use serde::{Deserialize, Serialize};

use super::{MAX_PER_PAGE, PER_PAGE, PublicFilter, PublicItem, PublicListing};
use crate::Result;
use crate::error::ServiceError;
use crate::portal::search::PortalSearch;
use crate::register::catalogue::CatalogueRow;

/// What a list row shows that the index has no field for, kept in
/// [`gongkai_search::SearchDoc::extra`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ListExtra {
    /// 规章 / 行政规范性文件: 有效 / 失效 / 废止 with dates.
    pub validity: Option<Validity>,
    /// The date the item page gives: first published on the 政府网站 (else on any channel).
    pub published_on: Option<NaiveDate>,
}

impl ListExtra {
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn corrupt(detail: String) -> ServiceError {
    ServiceError::Store(gongkai_store::StoreError::Corrupt {
        what: "检索索引".into(),
        detail,
    })
}

fn public_item(l: Listed) -> Result<PublicItem> {
    let extra: ListExtra = serde_json::from_str(&l.extra)
        .map_err(|e| corrupt(format!("第 {} 条的列表数据无法读取：{e}", l.item)))?;
    let formed_on = l
        .formed_on
        .parse::<NaiveDate>()
        .map_err(|e| corrupt(format!("第 {} 条的生成日期“{}”：{e}", l.item, l.formed_on)))?;
    Ok(PublicItem {
        id: i64::try_from(l.item).map_err(|e| corrupt(e.to_string()))?,
        index_number: l.index_number,
        title: l.title,
        organ: l.organ,
        formed_on,
        number: l.number,
        topic: l.topic,
        genre: l.genre,
        summary: l.summary,
        validity: extra.validity,
        published_on: extra.published_on,
    })
}

/// The filter's words, checked as the register's lists check them.
fn checked(f: &PublicFilter) -> Result<()> {
    if let Some(y) = f.year
        && !(1949..=9999).contains(&y)
    {
        return Err(ServiceError::invalid("年度", format!("{y} 不是有效年度")));
    }
    for (k, v) in [
        ("search", &f.text),
        ("title", &f.topic),
        ("title", &f.genre),
        ("title", &f.organ),
    ] {
        crate::limits::opt(k, v.as_deref())?;
    }
    Ok(())
}

fn list_query(agency: &Agency, f: &PublicFilter) -> ListQuery {
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    ListQuery {
        agencies: vec![u64::try_from(agency.id).unwrap_or(0)],
        text: given(&f.text),
        topic: given(&f.topic),
        genre: given(&f.genre),
        organ: given(&f.organ),
        year: f.year,
        offset: 0,
        limit: None,
    }
}

impl PortalSearch {
    async fn list(&self, q: ListQuery) -> Result<(usize, Vec<PublicItem>)> {
        self.step().await?;
        let page = self.blocking(move |i| i.list(&q)).await?;
        let items = page
            .items
            .into_iter()
            .map(public_item)
            .collect::<Result<_>>()?;
        Ok((page.total, items))
    }

    /// A page of the agency's published items (newest 生成日期 first).
    pub async fn items(&self, agency: &Agency, f: &PublicFilter) -> Result<PublicListing> {
        checked(f)?;
        let per_page = match f.per_page {
            0 => PER_PAGE,
            n => n.min(MAX_PER_PAGE),
        };
        let page = f.page.max(1);
        let mut q = list_query(agency, f);
        q.offset = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
        q.limit = Some(usize::try_from(per_page).unwrap_or(20));
        let (total, items) = self.list(q).await?;
        Ok(PublicListing {
            total: total as u64,
            page,
            per_page,
            items,
        })
    }

    /// The 政府信息公开制度 column: published items of the office's rules topic
    /// ([`gongkai_ledger::OfficeSettings::rules_topic`]).
    pub async fn rules(&self, agency: &Agency, page: u64, per_page: u64) -> Result<PublicListing> {
        let office = self.service().store().in_agency(agency.id).office().await?;
        let filter = PublicFilter {
            topic: Some(office.rules_topic().to_string()),
            page,
            per_page,
            ..Default::default()
        };
        self.items(agency, &filter).await
    }

    /// The whole 政府信息公开目录 (art. 12) of the public items, for download: 索引号, 名称,
    /// 内容概述, 生成日期, 发布机构, 文号, 主题分类 (and 体裁, the website's date).
    pub async fn catalogue(&self, agency: &Agency, year: Option<i32>) -> Result<Vec<CatalogueRow>> {
        let f = PublicFilter {
            year,
            ..Default::default()
        };
        checked(&f)?;
        let (_, items) = self.list(list_query(agency, &f)).await?;
        Ok(items
            .into_iter()
            .map(|i| CatalogueRow {
                channels: i
                    .published_on
                    .map(|d| format!("{} {d}", Outlet::Website.label_zh()))
                    .unwrap_or_default(),
                id: i.id,
                index_number: i.index_number,
                title: i.title,
                summary: i.summary,
                formed_on: i.formed_on,
                organ: i.organ,
                number: i.number,
                topic: i.topic,
                genre: i.genre,
                published_on: i.published_on,
            })
            .collect())
    }
}
