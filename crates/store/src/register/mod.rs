//! The publication register (主动公开登记, issue 16 §1; migration 0017): items of government
//! information from draft to the channels they are published on, per agency.
//!
//! * An item is registered with its catalogue fields ([`gongkai_ledger::register::ItemDraft`]);
//!   the store gives it the agency's next id and its 索引号 from the agency's
//!   [`RegisterSettings::index_scheme`] (the serial per agency and year in
//!   `register_serials`; unique per agency).
//! * Every change of content is a new version ([`ItemVersion`]; kept, never changed): an
//!   edit of a draft, a correction of a published item (with its reason), the 公开属性
//!   changed by an art. 18 re-assessment. The item row holds the current version's
//!   catalogue fields for lists, and its content hash ([`RegisterItem::content_hash`], the
//!   SHA-256 of the version's JSON) is what a review binds.
//! * Publications per channel ([`PublicationRecord`]), the timeline ([`TimelineEntry`]) and
//!   attachments ([`AttachmentMeta`], bytes with SHA-256, at most
//!   [`MAX_ATTACHMENT_BYTES`]) are append-only.
//! * The art. 26 clock: `clock_from` (生成日期, or the date a re-assessment released it) and
//!   its deadline `due_on` (20 working days on the store's calendar) are kept on the row,
//!   so that due and overdue items are a query; [`RegisterItem::clock`] gives the status.
//! * Every write is one transaction with its audit row (`register.*`), refused for a user
//!   without a role in the agency; another agency's id is "not found".
//!
//! The review (三审, 保密审查, 错敏排查) is not here: [`hooks`] is where it plugs in —
//! [`hooks::publication_gate`] (what must hold before a publication is recorded) and
//! [`hooks::review_stage`] (the stage a review gives an unpublished item).

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_ledger::Calendar;
use gongkai_ledger::proactive::DocumentKind;
use gongkai_ledger::register::{
    Disclosure, ItemDraft, ItemStage, Outlet, PublicationClock, ReassessOutcome, RegisterSettings,
    ValidityStatus, WithholdBasis,
};
use serde::{Deserialize, Serialize};

use crate::Store;
use crate::error::Result;
use crate::model::Stamp;

mod conn;
mod facts;
pub mod hooks;
mod migrate;
pub(crate) mod ops;
pub mod query;

pub(crate) use conn::RegisterConn;
pub(crate) use facts::{FactsConn, register_facts};
pub use migrate::MovedRecord;
pub use query::{ItemOrder, ItemPage, ItemQuery};

/// An attachment at most this large (20 MiB).
pub const MAX_ATTACHMENT_BYTES: usize = 20 * 1024 * 1024;
/// At most this many attachments per item.
pub const MAX_ATTACHMENTS: usize = 50;
/// The agency setting (`agency_settings.key`) holding [`RegisterSettings`].
pub const SETTINGS_KEY: &str = "register";

/// An item as the register holds it now: the current version's catalogue fields, the
/// clock, the stage. The body is in the version ([`ItemRecord::draft`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterItem {
    /// The agency's item number (1, 2, …), used in addresses.
    pub id: i64,
    /// 索引号.
    pub index_number: String,
    /// The current version (1, 2, …).
    pub version: u32,
    pub stage: ItemStage,
    pub title: String,
    pub organ: String,
    pub formed_on: NaiveDate,
    pub number: Option<String>,
    pub topic: String,
    pub genre: String,
    pub summary: String,
    pub disclosure: Disclosure,
    /// 规章 / 行政规范性文件 and its validity.
    pub doc_kind: Option<DocumentKind>,
    pub validity: Option<ValidityStatus>,
    /// 失效 or 废止 date.
    pub valid_until: Option<NaiveDate>,
    /// The channels planned or published on.
    pub outlets: Vec<Outlet>,
    /// The start of the art. 26 clock (none: no clock, not 主动公开).
    pub clock_from: Option<NaiveDate>,
    /// The art. 26 deadline.
    pub due_on: Option<NaiveDate>,
    pub first_published_on: Option<NaiveDate>,
    /// The last version published on a channel.
    pub published_version: Option<u32>,
    /// A withheld item's next art. 18 re-assessment.
    pub reassess_on: Option<NaiveDate>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// SHA-256 (hex) of the current version's content.
    pub content_hash: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
}

impl RegisterItem {
    /// The art. 26 clock on `today` (none for an item without one, or withdrawn before it
    /// was published).
    pub fn clock(
        &self,
        calendar: &Calendar,
        today: NaiveDate,
        due_soon: u32,
    ) -> Option<PublicationClock> {
        let from = self.clock_from?;
        if self.stage == ItemStage::Withdrawn && self.first_published_on.is_none() {
            return None;
        }
        Some(PublicationClock::new(
            calendar,
            from,
            self.first_published_on,
            today,
            due_soon,
        ))
    }

    /// A correction (or edit) newer than the last version published.
    pub fn unpublished_change(&self) -> bool {
        self.published_version.is_some_and(|p| p < self.version)
    }
}

/// Why a version was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionKind {
    /// 登记.
    Created,
    /// 修改 (before publication).
    Edited,
    /// 更正 (after publication, with a reason).
    Corrected,
    /// 公开属性 changed by an art. 18 re-assessment.
    Reassessed,
}

impl VersionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VersionKind::Created => "created",
            VersionKind::Edited => "edited",
            VersionKind::Corrected => "corrected",
            VersionKind::Reassessed => "reassessed",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            VersionKind::Created => "登记",
            VersionKind::Edited => "修改",
            VersionKind::Corrected => "更正",
            VersionKind::Reassessed => "评估调整",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [
            VersionKind::Created,
            VersionKind::Edited,
            VersionKind::Corrected,
            VersionKind::Reassessed,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One version of an item's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemVersion {
    pub version: u32,
    pub kind: VersionKind,
    pub draft: ItemDraft,
    pub content_hash: String,
    pub reason: Option<String>,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: String,
}

/// The item published on one channel, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationRecord {
    pub seq: u32,
    /// The version published.
    pub version: u32,
    #[serde(flatten)]
    pub publication: gongkai_ledger::register::Publication,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: String,
}

/// What happened to an item (its timeline).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    Created,
    Edited,
    Published,
    Corrected,
    Withdrawn,
    Reassessed,
    Attached,
    /// An attachment taken off (migration 0023).
    Detached,
}

impl TimelineKind {
    pub const ALL: [TimelineKind; 8] = [
        TimelineKind::Created,
        TimelineKind::Edited,
        TimelineKind::Published,
        TimelineKind::Corrected,
        TimelineKind::Withdrawn,
        TimelineKind::Reassessed,
        TimelineKind::Attached,
        TimelineKind::Detached,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TimelineKind::Created => "created",
            TimelineKind::Edited => "edited",
            TimelineKind::Published => "published",
            TimelineKind::Corrected => "corrected",
            TimelineKind::Withdrawn => "withdrawn",
            TimelineKind::Reassessed => "reassessed",
            TimelineKind::Attached => "attached",
            TimelineKind::Detached => "detached",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            TimelineKind::Created => "登记",
            TimelineKind::Edited => "修改",
            TimelineKind::Published => "发布",
            TimelineKind::Corrected => "更正",
            TimelineKind::Withdrawn => "撤稿",
            TimelineKind::Reassessed => "定期评估",
            TimelineKind::Attached => "添加附件",
            TimelineKind::Detached => "删除附件",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        TimelineKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One entry of an item's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub seq: u32,
    pub kind: TimelineKind,
    /// The item's version at the time.
    pub version: u32,
    pub reason: Option<String>,
    /// What else the entry says (the channel, the outcome, the file …).
    pub detail: serde_json::Value,
    pub at: DateTime<Utc>,
    pub by: String,
}

/// An attachment without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentMeta {
    pub seq: u32,
    /// The item's version it was added to.
    pub version: u32,
    pub name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
    pub added_at: DateTime<Utc>,
    pub added_by: String,
    /// Taken off the item (the bytes are kept), if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<AttachmentRemoval>,
}

/// An attachment taken off an item: when, by whom, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRemoval {
    pub reason: String,
    pub at: DateTime<Utc>,
    pub by: String,
}

/// An attachment's text as extracted when it was attached (migration 0023): the text, or
/// 未能提取文字 with the reason (an unreadable or image-only file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AttachmentText {
    Text { text: String },
    None { note: String },
}

impl AttachmentText {
    /// The text, if any was extracted.
    pub fn text(&self) -> Option<&str> {
        match self {
            AttachmentText::Text { text } => Some(text),
            AttachmentText::None { .. } => None,
        }
    }
}

/// An item with everything kept about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRecord {
    pub item: RegisterItem,
    /// The current version's content.
    pub draft: ItemDraft,
    /// Every version, oldest first.
    pub versions: Vec<ItemVersion>,
    pub publications: Vec<PublicationRecord>,
    pub timeline: Vec<TimelineEntry>,
    pub attachments: Vec<AttachmentMeta>,
}

/// An art. 18 re-assessment as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reassessment {
    pub outcome: ReassessOutcome,
    /// For [`ReassessOutcome::Keep`]: the basis now relied on (none: the same).
    #[serde(default)]
    pub basis: Option<WithholdBasis>,
    pub reason: String,
}

/// A new attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    pub name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

impl Store {
    /// The agency's register settings (the defaults if never set).
    pub async fn register_settings(&self) -> Result<RegisterSettings> {
        tx!(self, read, |c| ops::settings(c))
    }

    /// Changes the register settings (办公室主任 or 管理员), audited with before and after.
    pub async fn set_register_settings(
        &self,
        settings: RegisterSettings,
        stamp: &Stamp,
    ) -> Result<RegisterSettings> {
        tx!(self, write, |c| ops::set_settings(c, settings, stamp))
    }

    /// Registers an item (a clerk, office head or administrator): checked against the
    /// agency's lists (`today`: no date after it), numbered, version 1, a draft.
    pub async fn register_item(
        &self,
        draft: ItemDraft,
        today: NaiveDate,
        stamp: &Stamp,
    ) -> Result<RegisterItem> {
        let cal = self.calendar.clone();
        tx!(self, write, |c| ops::register(c, &cal, draft, today, stamp))
    }

    /// Changes an unpublished item: a new version (nothing written if the content is the
    /// same). A published item is corrected instead ([`Store::correct_item`]).
    pub async fn edit_item(
        &self,
        id: i64,
        draft: ItemDraft,
        today: NaiveDate,
        stamp: &Stamp,
    ) -> Result<RegisterItem> {
        let cal = self.calendar.clone();
        tx!(self, write, |c| ops::edit(c, &cal, id, draft, today, stamp))
    }

    /// Records the item published on a channel (its current version).
    pub async fn publish_item(
        &self,
        id: i64,
        publication: gongkai_ledger::register::Publication,
        today: NaiveDate,
        stamp: &Stamp,
    ) -> Result<RegisterItem> {
        tx!(self, write, |c| ops::publish(
            c,
            id,
            publication,
            today,
            stamp
        ))
    }

    /// Corrects a published item: a superseding version with the reason; the old version
    /// is kept and stays the one published until the correction is published.
    pub async fn correct_item(
        &self,
        id: i64,
        draft: ItemDraft,
        reason: &str,
        today: NaiveDate,
        stamp: &Stamp,
    ) -> Result<RegisterItem> {
        let cal = self.calendar.clone();
        tx!(self, write, |c| ops::correct(
            c, &cal, id, draft, reason, today, stamp
        ))
    }

    /// Withdraws an item (撤稿; 办公室主任, 分管领导 or 管理员) with the reason.
    pub async fn withdraw_item(
        &self,
        id: i64,
        reason: &str,
        stamp: &Stamp,
    ) -> Result<RegisterItem> {
        tx!(self, write, |c| ops::withdraw(c, id, reason, stamp))
    }

    /// Records an art. 18 re-assessment of a withheld item.
    pub async fn reassess_item(
        &self,
        id: i64,
        reassessment: Reassessment,
        today: NaiveDate,
        stamp: &Stamp,
    ) -> Result<RegisterItem> {
        let cal = self.calendar.clone();
        tx!(self, write, |c| ops::reassess(
            c,
            &cal,
            id,
            reassessment,
            today,
            stamp
        ))
    }

    /// Adds an attachment to an item that is not withdrawn, with its text as extracted
    /// (kept for the 错敏排查 and search). The attachments are part of the content a
    /// review binds: an approved item goes back to review.
    pub async fn attach_to_item(
        &self,
        id: i64,
        file: NewAttachment,
        text: AttachmentText,
        stamp: &Stamp,
    ) -> Result<AttachmentMeta> {
        tx!(self, write, |c| ops::attach(c, id, file, text, stamp))
    }

    /// Takes attachment `seq` off item `id` with the reason (the bytes are kept); an
    /// approved item goes back to review.
    pub async fn detach_from_item(
        &self,
        id: i64,
        seq: u32,
        reason: &str,
        stamp: &Stamp,
    ) -> Result<AttachmentMeta> {
        tx!(self, write, |c| ops::detach(c, id, seq, reason, stamp))
    }

    /// Every attachment's extracted text (`None`: extracted before migration 0023, none
    /// kept), by the attachment's number.
    pub async fn attachment_texts(&self, id: i64) -> Result<Vec<(u32, AttachmentText)>> {
        tx!(self, read, |c| async {
            ops::item(c, id).await?;
            c.attachment_texts(id).await
        })
    }

    /// Keeps the text of an attachment that has none yet (one attached before migration
    /// 0023); nothing if it has one.
    pub async fn keep_attachment_text(
        &self,
        id: i64,
        seq: u32,
        text: AttachmentText,
        stamp: &Stamp,
    ) -> Result<()> {
        tx!(self, write, |c| async {
            ops::item(c, id).await?;
            if c.attachment_texts(id).await?.iter().any(|(s, _)| *s == seq) {
                return Ok(());
            }
            c.insert_attachment_text(id, seq, &text, stamp.at).await
        })
    }

    /// Recomputes the stored stage of item `id` ((`hooks::derive_stage`)) after a write
    /// outside the register (a review step) and returns it.
    pub async fn refresh_item_stage(&self, id: i64) -> Result<ItemStage> {
        tx!(self, write, |c| hooks::refresh_stage(c, id))
    }

    /// An item's current state (`NotFound` if the agency has none with this id).
    pub async fn register_item_row(&self, id: i64) -> Result<RegisterItem> {
        tx!(self, read, |c| ops::item(c, id))
    }

    /// An item with its versions, publications, timeline and attachments.
    pub async fn item_record(&self, id: i64) -> Result<ItemRecord> {
        tx!(self, read, |c| ops::record(c, id))
    }

    /// The item with this 索引号, if any.
    pub async fn item_by_index_number(&self, index_number: &str) -> Result<Option<RegisterItem>> {
        tx!(self, read, |c| c.item_by_index(index_number.trim()))
    }

    /// An attachment's metadata and bytes.
    pub async fn attachment(&self, id: i64, seq: u32) -> Result<(AttachmentMeta, Vec<u8>)> {
        tx!(self, read, |c| ops::attachment(c, id, seq))
    }

    /// A page of the items a query selects and how many it selects in all.
    pub async fn list_items(&self, query: &ItemQuery) -> Result<ItemPage> {
        tx!(self, read, |c| c.list_items(query))
    }

    /// The database's plan of [`Store::list_items`] with `query` (SQLite's `EXPLAIN QUERY
    /// PLAN`, PostgreSQL's `EXPLAIN ANALYZE`), count first: for the benches and for an
    /// administrator wondering why a list is slow.
    pub async fn explain_list_items(&self, query: &ItemQuery) -> Result<Vec<String>> {
        use crate::register::conn::ExplainConn;
        tx!(self, read, |c| c.explain_items(query))
    }

    /// Every version of every item whose timeline has an entry of `kind` dated in
    /// `[from, until)` — e.g. the corrections and withdrawals of a year — as
    /// `(item id, entry)`, oldest first.
    pub async fn timeline_entries(
        &self,
        kind: TimelineKind,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<(i64, TimelineEntry)>> {
        tx!(self, read, |c| c.events_of_kind(kind, from, until))
    }

    /// Every publication recorded with a date in `year`, as `(item id, record)`.
    pub async fn publications_in_year(&self, year: i32) -> Result<Vec<(i64, PublicationRecord)>> {
        tx!(self, read, |c| c.publications_in_year(year))
    }
}

impl Store {
    /// Moves the document records kept before the register into register items, in one
    /// transaction ([`migrate`]); the records are voided with the item's 索引号, kept.
    /// Running it again moves nothing (the records are no longer current).
    pub async fn migrate_documents_to_register(
        &self,
        today: NaiveDate,
        stamp: &Stamp,
    ) -> Result<Vec<MovedRecord>> {
        let cal = self.calendar.clone();
        tx!(self, write, |c| migrate::migrate_documents(
            c, &cal, today, stamp
        ))
    }
}
