//! The publication register's use cases (主动公开登记, issue 16 §1): register an item (its
//! 索引号 made from the agency's scheme), edit a draft, record a publication on a channel,
//! correct or withdraw a published item, attachments, the list with filters and pages,
//! an item with its timeline, the art. 26 due and overdue list and the year's on-time
//! rate, the art. 18 re-assessments, and the register's settings. Every write goes
//! through the store in one transaction with its audit row; a refusal for the role or the
//! state is audited as `refused`.
//!
//! * [`attachment_text`] — an attachment's text, extracted when it is attached (kept for
//!   the 错敏排查 and search).
//! * [`body`] — the body imported from a DOCX, HTML or PDF file (`gongkai_read`).
//! * [`lists`] — the list, the due list, the on-time rate, the withheld items due.
//! * [`settings`] — the settings as a form (template, lists one per line).

use gongkai_ledger::register::{ItemDraft, Publication};
use gongkai_store::register::{
    AttachmentMeta, ItemRecord, NewAttachment, Reassessment, RegisterItem,
};
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::error::ServiceError;
use crate::{Result, Service};

pub mod attachment_text;
pub mod body;
pub mod catalogue;
pub mod import;
pub mod lists;
pub mod migrate;
pub mod review;
pub mod settings;

pub use lists::{DueList, DueState, ItemFilter, ItemListing, ListedItem, OnTimeRate};
pub use settings::SettingsForm;

/// 正文 at most this many characters.
pub const BODY_MAX_CHARS: usize = 300_000;
/// 发布机构, 主题分类, 体裁, 文号, 账号 at most this many characters.
const SHORT_MAX_CHARS: usize = 200;
/// A URL at most this many characters.
const URL_MAX_CHARS: usize = 2000;

fn within(field: &'static str, max: usize, value: &str) -> Result<()> {
    let len = value.chars().count();
    if len > max {
        Err(ServiceError::TooLong { field, max, len })
    } else {
        Ok(())
    }
}

/// The lengths the domain does not check itself (it checks 名称 and 内容概述).
fn check_draft(d: &ItemDraft) -> Result<()> {
    within("正文", BODY_MAX_CHARS, &d.body)?;
    within("发布机构", SHORT_MAX_CHARS, &d.organ)?;
    within("主题分类", SHORT_MAX_CHARS, &d.topic)?;
    within("体裁", SHORT_MAX_CHARS, &d.genre)?;
    within("文号", SHORT_MAX_CHARS, d.number.as_deref().unwrap_or(""))?;
    Ok(())
}

fn check_reason(reason: &str) -> Result<()> {
    crate::limits::text("reason", reason)
}

/// An item as shown: the record and its art. 26 clock today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    #[serde(flatten)]
    pub record: ItemRecord,
    pub clock: Option<gongkai_ledger::register::PublicationClock>,
}

impl Service {
    /// The draft with the agency's name as 发布机构 when none is given.
    async fn with_organ(&self, actor: &Actor, mut draft: ItemDraft) -> Result<ItemDraft> {
        if draft.organ.trim().is_empty() {
            draft.organ = self.store_for(actor).agency().await?;
        }
        check_draft(&draft)?;
        Ok(draft)
    }

    /// Registers an item: checked against the agency's lists, numbered (索引号), a draft.
    pub async fn register_item(&self, actor: &Actor, draft: ItemDraft) -> Result<RegisterItem> {
        let draft = self.with_organ(actor, draft).await?;
        let r = self
            .store_for(actor)
            .register_item(draft, self.current_date(), &actor.stamp())
            .await;
        self.refused(actor, "register.created", "", r.map_err(Into::into))
            .await
    }

    /// Registers an item with its attachments (the web form's files) in one transaction:
    /// the item and every file, or nothing (a file refused names it). Without files, as
    /// [`Service::register_item`].
    pub async fn register_item_with_files(
        &self,
        actor: &Actor,
        draft: ItemDraft,
        files: Vec<NewAttachment>,
    ) -> Result<RegisterItem> {
        if files.is_empty() {
            return self.register_item(actor, draft).await;
        }
        let draft = self.with_organ(actor, draft).await?;
        for f in &files {
            within("附件名称", SHORT_MAX_CHARS, &f.name)?;
        }
        // Each file's text, for the 错敏排查 and the search (as `attach_to_item`).
        let files = tokio::task::spawn_blocking(move || {
            files
                .into_iter()
                .map(|f| {
                    let text = attachment_text::extract(&f.name, &f.bytes);
                    (f, text)
                })
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|e| ServiceError::BadRequest(format!("提取附件文字时出错：{e}")))?;
        let r = self
            .store_for(actor)
            .import_items(vec![(0, draft, files)], self.current_date(), &actor.stamp())
            .await
            .map_err(|e| match e {
                gongkai_store::StoreError::ImportRow { detail, .. } => {
                    ServiceError::invalid("附件", detail)
                }
                e => e.into(),
            })
            .and_then(|mut items| {
                items
                    .pop()
                    .ok_or_else(|| ServiceError::BadRequest("登记未返回事项".into()))
            });
        self.refused(actor, "register.created", "", r).await
    }

    /// Changes an item that is not yet published (a new version; nothing if unchanged).
    pub async fn edit_item(
        &self,
        actor: &Actor,
        id: i64,
        draft: ItemDraft,
    ) -> Result<RegisterItem> {
        let draft = self.with_organ(actor, draft).await?;
        let r = self
            .store_for(actor)
            .edit_item(id, draft, self.current_date(), &actor.stamp())
            .await;
        self.refused(
            actor,
            "register.edited",
            &id.to_string(),
            r.map_err(Into::into),
        )
        .await
    }

    /// Records the item published on a channel.
    pub async fn publish_item(
        &self,
        actor: &Actor,
        id: i64,
        publication: Publication,
    ) -> Result<RegisterItem> {
        within("账号或栏目", SHORT_MAX_CHARS, &publication.account)?;
        within(
            "网址",
            URL_MAX_CHARS,
            publication.url.as_deref().unwrap_or(""),
        )?;
        let store = self.store_for(actor);
        let r = store
            .publish_item(id, publication, self.current_date(), &actor.stamp())
            .await;
        if let Err(gongkai_store::StoreError::PublicationBlocked { .. }) = &r {
            // The refused publication's transaction kept nothing: its 错敏排查 run is kept
            // on its own (findings of every run are kept).
            if let Err(e) = store
                .keep_item_lint_run(
                    id,
                    gongkai_store::review_item::LintStage::Publish,
                    &actor.stamp(),
                )
                .await
            {
                tracing::warn!(item = id, error = %e, "lint run of a refused publication not kept");
            }
        }
        self.refused(
            actor,
            "register.published",
            &id.to_string(),
            r.map_err(Into::into),
        )
        .await
    }

    /// Corrects a published item with the reason (a superseding version; the old kept).
    pub async fn correct_item(
        &self,
        actor: &Actor,
        id: i64,
        draft: ItemDraft,
        reason: &str,
    ) -> Result<RegisterItem> {
        check_reason(reason)?;
        let draft = self.with_organ(actor, draft).await?;
        let r = self
            .store_for(actor)
            .correct_item(id, draft, reason, self.current_date(), &actor.stamp())
            .await;
        self.refused(
            actor,
            "register.corrected",
            &id.to_string(),
            r.map_err(Into::into),
        )
        .await
    }

    /// Withdraws an item (撤稿) with the reason.
    pub async fn withdraw_item(
        &self,
        actor: &Actor,
        id: i64,
        reason: &str,
    ) -> Result<RegisterItem> {
        check_reason(reason)?;
        let r = self
            .store_for(actor)
            .withdraw_item(id, reason, &actor.stamp())
            .await;
        self.refused(
            actor,
            "register.withdrawn",
            &id.to_string(),
            r.map_err(Into::into),
        )
        .await
    }

    /// Records the art. 18 re-assessment of a withheld item.
    pub async fn reassess_item(
        &self,
        actor: &Actor,
        id: i64,
        reassessment: Reassessment,
    ) -> Result<RegisterItem> {
        check_reason(&reassessment.reason)?;
        let r = self
            .store_for(actor)
            .reassess_item(id, reassessment, self.current_date(), &actor.stamp())
            .await;
        self.refused(
            actor,
            "register.reassessed",
            &id.to_string(),
            r.map_err(Into::into),
        )
        .await
    }

    /// Adds an attachment, with its text extracted now ([`attachment_text::extract`];
    /// 未能提取文字 with the reason when there is none) and kept with it. An approved item
    /// goes back to review (the attachments are part of what an approval binds).
    pub async fn attach_to_item(
        &self,
        actor: &Actor,
        id: i64,
        file: NewAttachment,
    ) -> Result<AttachmentMeta> {
        within("附件名称", SHORT_MAX_CHARS, &file.name)?;
        let (file, text) = tokio::task::spawn_blocking(move || {
            let text = attachment_text::extract(&file.name, &file.bytes);
            (file, text)
        })
        .await
        .map_err(|e| ServiceError::BadRequest(format!("提取附件文字时出错：{e}")))?;
        let r = self
            .store_for(actor)
            .attach_to_item(id, file, text, &actor.stamp())
            .await;
        self.refused(
            actor,
            "register.attached",
            &id.to_string(),
            r.map_err(Into::into),
        )
        .await
    }

    /// Takes attachment `seq` off an item with the reason (its bytes are kept); an
    /// approved item goes back to review.
    pub async fn detach_from_item(
        &self,
        actor: &Actor,
        id: i64,
        seq: u32,
        reason: &str,
    ) -> Result<AttachmentMeta> {
        check_reason(reason)?;
        let r = self
            .store_for(actor)
            .detach_from_item(id, seq, reason, &actor.stamp())
            .await;
        self.refused(
            actor,
            "register.detached",
            &format!("{id}/{seq}"),
            r.map_err(Into::into),
        )
        .await
    }

    /// The item's kept 错敏排查 runs, oldest first.
    pub async fn item_lint_runs(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<Vec<gongkai_store::review_item::LintRun>> {
        Ok(self.store_for(actor).item_lint_runs(id).await?)
    }

    /// An item with its versions, publications, timeline, attachments and clock.
    pub async fn item(&self, actor: &Actor, id: i64) -> Result<ItemView> {
        let store = self.store_for(actor);
        let record = store.item_record(id).await?;
        let settings = store.register_settings().await?;
        let clock = record.item.clock(
            store.calendar(),
            self.current_date(),
            settings.due_soon_working_days,
        );
        Ok(ItemView { record, clock })
    }

    /// An attachment's metadata and bytes (the download is audited).
    pub async fn item_attachment(
        &self,
        actor: &Actor,
        id: i64,
        seq: u32,
    ) -> Result<(AttachmentMeta, Vec<u8>)> {
        let out = self.store_for(actor).attachment(id, seq).await?;
        self.record_download(actor, "register_attachment", &format!("{id}/{seq}"), "file")
            .await?;
        Ok(out)
    }
}
