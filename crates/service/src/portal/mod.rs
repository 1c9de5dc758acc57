//! The public 政府信息公开专栏 (issue 17 §1): what a visitor reads without signing in.
//!
//! Every agency of the platform has its 专栏, addressed by the agency's code. Its columns
//! follow 国办公开办函〔2019〕61号 as local implementing notices describe them
//! (`proactive-and-portal.md` §3.1; the column scheme itself is SECONDARY/UNCONFIRMED):
//! 政府信息公开指南 ([`guide`]), 政府信息公开制度 and 法定主动公开内容 (published items of
//! the register: an item's page here, the lists in [`lists`], served from the search
//! index), 政府信息公开年报 ([`reports`]) and the 政府信息公开目录 ([`lists`]).
//!
//! What is public, decided here once for every front end:
//! * an item of the publication register that is 主动公开, published, with 政府网站 among
//!   its channels — in the version last published (a correction under review is not
//!   shown until it is published);
//! * a withdrawn item that had been published keeps its address and says it was withdrawn
//!   (撤稿), nothing more;
//! * an item's attachments added up to the published version;
//! * annual reports whose review is approved.
//!
//! Everything else answers `NotFound` (never “forbidden”: the public pages do not reveal
//! that a record exists). No actor: these are reads by anyone; nothing here writes.

pub mod apply;
pub mod guide;
pub mod id_files;
pub mod lists;
pub mod notify;
pub mod reports;
pub mod search;

use chrono::NaiveDate;
use gongkai_ledger::register::{Disclosure, ItemDraft, ItemStage, Outlet, Validity};
use gongkai_store::Agency;
use gongkai_store::Store;
use gongkai_store::register::{ItemRecord, RegisterItem};
use serde::Serialize;

use crate::error::ServiceError;
use crate::{Result, Service};

/// Items on a page of a public list, by default and at most.
pub const PER_PAGE: u64 = 20;
pub const MAX_PER_PAGE: u64 = 100;

/// A public list's filters (法定主动公开内容 by 主题分类 / 体裁 / 机构 / year, the 目录).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PublicFilter {
    /// Words in the 名称, 索引号, 文号 or 内容概述 (the full-text search is apart).
    pub text: Option<String>,
    pub topic: Option<String>,
    pub genre: Option<String>,
    /// Words of the 发布机构.
    pub organ: Option<String>,
    /// 生成日期 in this year.
    pub year: Option<i32>,
    /// From 1.
    pub page: u64,
    /// 0: [`PER_PAGE`].
    pub per_page: u64,
}

/// One published item as the public sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicItem {
    /// The stable address part (`/portal/{agency}/items/{id}`).
    pub id: i64,
    pub index_number: String,
    pub title: String,
    pub organ: String,
    pub formed_on: NaiveDate,
    pub number: Option<String>,
    pub topic: String,
    pub genre: String,
    pub summary: String,
    /// 规章 / 行政规范性文件: 有效 / 失效 / 废止 with dates.
    pub validity: Option<Validity>,
    /// First published on the 政府网站 (else on any channel).
    pub published_on: Option<NaiveDate>,
}

/// An item's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ItemPage {
    Published {
        #[serde(flatten)]
        item: Box<PublicItem>,
        /// 正文 (paragraphs separated by blank lines).
        body: String,
        /// Corrections published since the first version: (date, reason), oldest first.
        corrections: Vec<(NaiveDate, String)>,
        attachments: Vec<PublicAttachment>,
    },
    /// 已撤稿: the address stays, the content is gone.
    Withdrawn {
        id: i64,
        index_number: String,
        title: String,
        withdrawn_on: Option<NaiveDate>,
    },
}

/// An attachment offered for download.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicAttachment {
    pub seq: u32,
    pub name: String,
    pub media_type: String,
    pub size: u64,
}

/// A page of a public list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicListing {
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub items: Vec<PublicItem>,
}

impl PublicListing {
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }
}

impl Service {
    /// Every agency of the platform with its depth in the tree (the 专栏 index).
    pub async fn portal_agencies(&self) -> Result<Vec<(Agency, usize)>> {
        let all = self.store.agencies().await?;
        let Some(root) = all.iter().find(|a| a.parent_id.is_none()).map(|a| a.id) else {
            return Ok(Vec::new());
        };
        Ok(self.store.subtree(root).await?)
    }

    /// The agency whose 专栏 has this code.
    pub async fn portal_agency(&self, code: &str) -> Result<Agency> {
        crate::limits::text("code", code)?;
        self.store
            .agency_by_code(code)
            .await?
            .ok_or_else(|| ServiceError::NotFound {
                what: "机关",
                id: code.trim().to_string(),
            })
    }

    fn public_store(&self, agency: &Agency) -> Store {
        self.store.in_agency(agency.id)
    }

    /// An item's public page (`NotFound` for anything not public, module docs).
    pub async fn portal_item(&self, agency: &Agency, id: i64) -> Result<ItemPage> {
        let record = match self.public_store(agency).item_record(id).await {
            Ok(r) => r,
            Err(gongkai_store::StoreError::NotFound { .. }) => return Err(not_found(id)),
            Err(e) => return Err(e.into()),
        };
        if !on_website(&record.item) {
            return Err(not_found(id));
        }
        if record.item.stage == ItemStage::Withdrawn {
            if record.item.first_published_on.is_none() {
                return Err(not_found(id));
            }
            return Ok(ItemPage::Withdrawn {
                id,
                index_number: record.item.index_number.clone(),
                title: published_version(&record)
                    .map(|d| d.title.clone())
                    .unwrap_or_else(|| record.item.title.clone()),
                withdrawn_on: record.item.withdrawn_at.map(|t| {
                    t.with_timezone(&gongkai_store::model::china_offset())
                        .date_naive()
                }),
            });
        }
        let (item, body) = published_view(&record).ok_or_else(|| not_found(id))?;
        let version = record.item.published_version.unwrap_or(0);
        let corrections = record
            .versions
            .iter()
            .filter(|v| {
                v.kind == gongkai_store::register::VersionKind::Corrected && v.version <= version
            })
            .map(|v| {
                (
                    v.recorded_at
                        .with_timezone(&gongkai_store::model::china_offset())
                        .date_naive(),
                    v.reason.clone().unwrap_or_default(),
                )
            })
            .collect();
        Ok(ItemPage::Published {
            item: Box::new(item),
            body,
            corrections,
            attachments: public_attachments(&record),
        })
    }

    /// An attachment of a public item, with its bytes.
    pub async fn portal_attachment(
        &self,
        agency: &Agency,
        id: i64,
        seq: u32,
    ) -> Result<(PublicAttachment, Vec<u8>)> {
        let ItemPage::Published { attachments, .. } = self.portal_item(agency, id).await? else {
            return Err(not_found(id));
        };
        let Some(a) = attachments.into_iter().find(|a| a.seq == seq) else {
            return Err(ServiceError::NotFound {
                what: "附件",
                id: format!("{id}/{seq}"),
            });
        };
        let (_, bytes) = self.public_store(agency).attachment(id, seq).await?;
        Ok((a, bytes))
    }
}

fn not_found(id: i64) -> ServiceError {
    ServiceError::NotFound {
        what: "政府信息",
        id: id.to_string(),
    }
}

/// 主动公开 with the 政府网站 among its channels (the portal is the website's 专栏).
fn on_website(item: &RegisterItem) -> bool {
    matches!(item.disclosure, Disclosure::Proactive) && item.outlets.contains(&Outlet::Website)
}

/// The version last published, if any.
fn published_version(record: &ItemRecord) -> Option<&ItemDraft> {
    let v = record.item.published_version?;
    if v == record.item.version {
        return Some(&record.draft);
    }
    record
        .versions
        .iter()
        .find(|x| x.version == v)
        .map(|x| &x.draft)
}

/// The day the item was first published on the 政府网站 (any version), if it was.
pub(crate) fn first_on_website(record: &ItemRecord) -> Option<NaiveDate> {
    record
        .publications
        .iter()
        .filter(|p| p.publication.outlet == Outlet::Website)
        .map(|p| p.publication.published_on)
        .min()
}

/// The published version as the public sees it, with its body.
fn published_view(record: &ItemRecord) -> Option<(PublicItem, String)> {
    let draft = published_version(record)?;
    if !matches!(draft.disclosure, Disclosure::Proactive) {
        return None;
    }
    let item = public_item(&record.item, &draft_fields(draft), first_on_website(record));
    Some((item, draft.body.clone()))
}

/// The catalogue fields of a version.
struct Fields {
    title: String,
    organ: String,
    formed_on: NaiveDate,
    number: Option<String>,
    topic: String,
    genre: String,
    summary: String,
    validity: Option<Validity>,
}

fn draft_fields(d: &ItemDraft) -> Fields {
    Fields {
        title: d.title.clone(),
        organ: d.organ.clone(),
        formed_on: d.formed_on,
        number: d.number.clone(),
        topic: d.topic.clone(),
        genre: d.genre.clone(),
        summary: d.summary.clone(),
        validity: d.validity.clone(),
    }
}

fn public_item(item: &RegisterItem, f: &Fields, website: Option<NaiveDate>) -> PublicItem {
    PublicItem {
        id: item.id,
        index_number: item.index_number.clone(),
        title: f.title.clone(),
        organ: f.organ.clone(),
        formed_on: f.formed_on,
        number: f.number.clone(),
        topic: f.topic.clone(),
        genre: f.genre.clone(),
        summary: f.summary.clone(),
        validity: f.validity.clone(),
        published_on: website.or(item.first_published_on),
    }
}

/// The attachments as published: those added before the item's last publication (an
/// attachment added since waits for the next publication, after its review), less those
/// taken off (at once: an attachment is taken off because it should not be public).
fn public_attachments(record: &ItemRecord) -> Vec<PublicAttachment> {
    let Some(last) = record.publications.iter().map(|p| p.recorded_at).max() else {
        return Vec::new();
    };
    record
        .attachments
        .iter()
        .filter(|a| a.removed.is_none() && a.added_at <= last)
        .map(|a| PublicAttachment {
            seq: a.seq,
            name: a.name.clone(),
            media_type: a.media_type.clone(),
            size: a.size,
        })
        .collect()
}
