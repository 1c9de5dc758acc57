//! The review of a register item inside the store's transactions: the review assembled
//! (steps bound to the item's current content hash, levels by 体裁, the 保密审查, the
//! 错敏排查 findings on the current text and the overrides), a step (初审 with the 保密审查
//! and the findings recorded in the submission's snapshot), the authority's determination
//! of a referred item, an override of a finding with its reason, and the gate the
//! register's publication calls. Every write is audited in its transaction.

use gongkai_ledger::register::lint::{ItemText, lint_item};
use gongkai_ledger::register::secrecy::{SecrecyDetermination, SecrecyReview, SecrecyStatus};
use serde_json::json;

use gongkai_ledger::register::ItemStage;

use crate::error::{Result, StoreError};
use crate::model::{Review, ReviewAction, ReviewStatus, ReviewStep, ReviewSubject, Role, Stamp};
use crate::ops::{actor, audit};
use crate::register::{AttachmentMeta, AttachmentText, RegisterConn, RegisterItem};
use crate::review;
use crate::review_item::{
    self, ItemReview, LintRun, LintStage, OverrideRecord, SecrecyEntry, SecrecyRecord,
    UnreadAttachment, obstacles, overrides_for, secrecy_status,
};

/// What the review of an item needs of it: its current version, content hash, 体裁 and
/// the texts checked.
#[derive(Debug, Clone)]
pub(crate) struct ItemContent {
    pub id: i64,
    pub version: i64,
    /// What a review binds: the version's hash with the attachments ([`bound_hash`]).
    pub content_hash: String,
    /// The attachments the item carries (not taken off), with their extracted text (`None`:
    /// attached before migration 0023 and not extracted since).
    pub attachments: Vec<(AttachmentMeta, Option<AttachmentText>)>,
    pub formed_on: chrono::NaiveDate,
    pub title: String,
    pub summary: String,
    pub body: String,
    /// Review levels the agency's register settings give its 体裁.
    pub levels: u8,
}

/// The levels `item`'s 体裁 needs under the agency's register settings.
pub(crate) async fn levels<C: RegisterConn>(c: &mut C, item: &RegisterItem) -> Result<u8> {
    Ok(crate::register::ops::settings(c)
        .await?
        .review_levels_for(&item.genre))
}

/// The current content of item `id` (`NotFound` for an id of no item of the agency).
pub(crate) async fn content<C: RegisterConn>(c: &mut C, id: i64) -> Result<ItemContent> {
    let item = crate::register::ops::item(c, id).await?;
    content_of(c, &item).await
}

/// The hash a review binds: the version's content hash, and — when the item carries
/// attachments — each attachment's name and SHA-256 in order, so that adding or removing
/// one changes it. An item without attachments keeps its version's hash.
pub fn bound_hash(version_hash: &str, attachments: &[AttachmentMeta]) -> String {
    let mut s = version_hash.to_string();
    let mut any = false;
    for a in attachments.iter().filter(|a| a.removed.is_none()) {
        any = true;
        s.push('\n');
        s.push_str(&a.name);
        s.push('\t');
        s.push_str(&a.sha256);
    }
    if any {
        crate::auth::sha256_hex(s.as_bytes())
    } else {
        s
    }
}

/// [`bound_hash`] of `item` as it is now.
pub(crate) async fn item_bound_hash<C: RegisterConn>(
    c: &mut C,
    item: &RegisterItem,
) -> Result<String> {
    let atts = c.attachments(item.id).await?;
    Ok(bound_hash(&item.content_hash, &atts))
}

pub(crate) async fn content_of<C: RegisterConn>(
    c: &mut C,
    item: &RegisterItem,
) -> Result<ItemContent> {
    let body = c
        .versions(item.id)
        .await?
        .into_iter()
        .find(|v| v.version == item.version)
        .map(|v| v.draft.body)
        .unwrap_or_default();
    let metas = c.attachments(item.id).await?;
    let content_hash = bound_hash(&item.content_hash, &metas);
    let mut texts = c.attachment_texts(item.id).await?;
    let attachments = metas
        .into_iter()
        .filter(|a| a.removed.is_none())
        .map(|a| {
            let t = texts
                .iter()
                .position(|(s, _)| *s == a.seq)
                .map(|i| texts.swap_remove(i).1);
            (a, t)
        })
        .collect();
    Ok(ItemContent {
        id: item.id,
        version: i64::from(item.version),
        content_hash,
        attachments,
        formed_on: item.formed_on,
        title: item.title.clone(),
        summary: item.summary.clone(),
        body,
        levels: levels(c, item).await?,
    })
}

fn subject(item: i64) -> ReviewSubject {
    ReviewSubject::Item { item }
}

/// The stage the review gives an unpublished item (the register's hook): 审核中 while a
/// round on the current content is under way, 待发布 once approved, else none (a draft).
pub(crate) async fn review_stage<C: RegisterConn>(
    c: &mut C,
    item: &RegisterItem,
) -> Result<Option<ItemStage>> {
    let s = subject(item.id);
    let steps = c.review_steps(s.kind_str(), &s.id_string()).await?;
    if steps.is_empty() {
        return Ok(None);
    }
    let lv = review_item::levels_of(&steps, levels(c, item).await?);
    let hash = item_bound_hash(c, item).await?;
    Ok(match review_item::status(&steps, lv, Some(&hash)) {
        ReviewStatus::AwaitingReview | ReviewStatus::AwaitingApproval => Some(ItemStage::InReview),
        ReviewStatus::Approved => Some(ItemStage::Approved),
        _ => None,
    })
}

pub(crate) async fn item_review<C: RegisterConn>(
    c: &mut C,
    item: &ItemContent,
) -> Result<ItemReview> {
    let s = subject(item.id);
    let steps = c.review_steps(s.kind_str(), &s.id_string()).await?;
    let levels = review_item::levels_of(&steps, item.levels);
    let status = review_item::status(&steps, levels, Some(&item.content_hash));
    let rules = review_item::rules(levels);
    let secrecy_records = c.secrecy_records(item.id).await?;
    let secrecy = secrecy_status(&secrecy_records, &item.content_hash);
    let mut unread = Vec::new();
    let mut attachments = Vec::new();
    for (a, t) in &item.attachments {
        match t {
            Some(AttachmentText::Text { text }) => {
                attachments.push((a.seq, a.name.as_str(), text.as_str()))
            }
            Some(AttachmentText::None { note }) => unread.push(UnreadAttachment {
                seq: a.seq,
                name: a.name.clone(),
                note: note.clone(),
            }),
            None => unread.push(UnreadAttachment {
                seq: a.seq,
                name: a.name.clone(),
                note: "添加于文字提取功能之前，尚未提取".into(),
            }),
        }
    }
    let findings = lint_item(
        &ItemText {
            title: &item.title,
            summary: &item.summary,
            body: &item.body,
            attachments,
        },
        Some(item.formed_on),
    );
    let last_run = c.last_lint_run(item.id).await?;
    let all_overrides = c.lint_overrides(item.id).await?;
    let active = overrides_for(&all_overrides, &item.content_hash);
    let blocking = gongkai_ledger::register::lint::blocking(&findings, &active)
        .into_iter()
        .cloned()
        .collect();
    let obstacles = obstacles(status, secrecy, &findings, &active);
    let overrides = all_overrides
        .into_iter()
        .filter(|o| o.content_hash == item.content_hash)
        .collect();
    Ok(ItemReview {
        item: item.id,
        version: item.version,
        content_hash: item.content_hash.clone(),
        levels,
        review: Review {
            subject: s,
            status,
            steps,
            rules,
            current: Some(json!({ "digest": item.content_hash, "version": item.version })),
        },
        secrecy,
        secrecy_records,
        findings,
        unread,
        last_run,
        overrides,
        blocking,
        obstacles,
    })
}

/// Keeps the 错敏排查 run `r` made (at `stage`) on the item's current content, with the
/// findings counted by code.
pub(crate) async fn keep_run<C: RegisterConn>(
    c: &mut C,
    r: &ItemReview,
    stage: LintStage,
    stamp: &Stamp,
) -> Result<LintRun> {
    let seq = c.last_lint_run(r.item).await?.map_or(1, |l| l.seq + 1);
    let errors = r.findings.iter().filter(|f| f.is_error()).count() as u32;
    let run = LintRun {
        seq,
        version: r.version,
        content_hash: r.content_hash.clone(),
        stage,
        at: stamp.at,
        actor: stamp.user.clone(),
        errors,
        warnings: r.findings.iter().filter(|f| f.is_warning()).count() as u32,
        overridden: errors.saturating_sub(r.blocking.len() as u32),
        findings: r.findings.clone(),
        unread: r.unread.clone(),
    };
    c.insert_lint_run(r.item, &run).await?;
    Ok(run)
}

/// Takes a review step on an item. A submission (初审) needs the 保密审查 (`secrecy`),
/// checked and recorded in the same transaction, and binds the content hash, the levels
/// and the 错敏排查 findings of the text submitted.
pub(crate) async fn item_step<C: RegisterConn>(
    c: &mut C,
    item: &ItemContent,
    action: ReviewAction,
    note: Option<String>,
    secrecy: Option<SecrecyReview>,
    stamp: &Stamp,
) -> Result<ItemReview> {
    let me = actor(c, stamp).await?;
    c.lock_numbering().await?;
    let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    let current = item_review(c, item).await?;
    let s = subject(item.id);
    let steps = current.review.steps.clone();
    let role = review::check_roles(
        &s,
        &steps,
        current.review.status,
        action,
        &me.name,
        &me.roles(),
        note.as_deref(),
        &current.review.rules,
    )?;
    let snapshot = if action == ReviewAction::Submit {
        let secrecy = secrecy
            .ok_or(StoreError::SecrecyRequired { item: item.id })?
            .validated()?;
        let seq = current.secrecy_records.len() as u32 + 1;
        let rec = SecrecyRecord {
            seq,
            content_hash: item.content_hash.clone(),
            entry: SecrecyEntry::Review(secrecy.clone()),
            actor: me.name.clone(),
            actor_role: role,
            at: stamp.at,
        };
        c.insert_secrecy(item.id, &rec).await?;
        audit(
            c,
            stamp,
            "register.secrecy_review",
            "register_item",
            &item.id.to_string(),
            json!({ "seq": seq, "content_hash": item.content_hash, "secrecy": secrecy }),
        )
        .await?;
        let run = keep_run(c, &current, LintStage::Submit, stamp).await?;
        json!({
            "digest": item.content_hash,
            "version": item.version,
            "levels": item.levels,
            "secrecy": secrecy,
            "lint": current.findings,
            "lint_run": run.seq,
        })
    } else {
        review::current_submission(&steps)
            .map(|s| s.snapshot.clone())
            .unwrap_or_default()
    };
    let step = ReviewStep {
        seq: steps.len() as u32 + 1,
        action,
        actor: me.name.clone(),
        actor_role: role,
        at: stamp.at,
        note,
        snapshot,
    };
    c.insert_review_step(s.kind_str(), &s.id_string(), &step)
        .await?;
    crate::register::hooks::refresh_stage(c, item.id).await?;
    audit(
        c,
        stamp,
        &format!("review.{}", action.as_str()),
        "register_item",
        &item.id.to_string(),
        json!({ "subject": s, "seq": step.seq, "note": step.note,
                "content_hash": item.content_hash, "version": item.version }),
    )
    .await?;
    item_review(c, item).await
}

/// Records the determination of the authority a referred item went to (art. 17): the
/// 办公室主任 or the 分管领导, for the content that was referred.
pub(crate) async fn record_determination<C: RegisterConn>(
    c: &mut C,
    item: &ItemContent,
    determination: SecrecyDetermination,
    stamp: &Stamp,
) -> Result<ItemReview> {
    let me = actor(c, stamp).await?;
    let role = me
        .roles()
        .into_iter()
        .find(|r| matches!(r, Role::OfficeHead | Role::Leader))
        .ok_or_else(|| StoreError::Forbidden {
            user: me.name.clone(),
            role: me.role,
            action: "登记保密审查确定意见（应由办公室主任或分管领导登记）",
        })?;
    c.lock_numbering().await?;
    let determination = determination.validated(stamp.today())?;
    let records = c.secrecy_records(item.id).await?;
    if secrecy_status(&records, &item.content_hash) != SecrecyStatus::AwaitingDetermination {
        return Err(StoreError::NotReferred { item: item.id });
    }
    let seq = records.len() as u32 + 1;
    let rec = SecrecyRecord {
        seq,
        content_hash: item.content_hash.clone(),
        entry: SecrecyEntry::Determination(determination.clone()),
        actor: me.name.clone(),
        actor_role: role,
        at: stamp.at,
    };
    c.insert_secrecy(item.id, &rec).await?;
    audit(
        c,
        stamp,
        "register.secrecy_determination",
        "register_item",
        &item.id.to_string(),
        json!({ "seq": seq, "content_hash": item.content_hash, "determination": determination }),
    )
    .await?;
    item_review(c, item).await
}

/// Overrides an error-severity finding of the item's current text (放行), with a written
/// reason: the 办公室主任 or the 分管领导 only, audited; bound to the current content.
pub(crate) async fn override_finding<C: RegisterConn>(
    c: &mut C,
    item: &ItemContent,
    fingerprint: &str,
    reason: &str,
    stamp: &Stamp,
) -> Result<ItemReview> {
    let me = actor(c, stamp).await?;
    let role = me
        .roles()
        .into_iter()
        .find(|r| matches!(r, Role::OfficeHead | Role::Leader))
        .ok_or_else(|| StoreError::Forbidden {
            user: me.name.clone(),
            role: me.role,
            action: "放行错敏排查问题（应由办公室主任或分管领导决定）",
        })?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(StoreError::MissingReason);
    }
    c.lock_numbering().await?;
    let current = item_review(c, item).await?;
    let finding = current
        .blocking
        .iter()
        .find(|f| f.fingerprint() == fingerprint)
        .cloned()
        .ok_or(StoreError::NoSuchFinding { item: item.id })?;
    let all = c.lint_overrides(item.id).await?;
    let rec = OverrideRecord {
        seq: all.len() as u32 + 1,
        content_hash: item.content_hash.clone(),
        finding,
        reason: reason.to_string(),
        actor: me.name.clone(),
        actor_role: role,
        at: stamp.at,
    };
    c.insert_lint_override(item.id, &rec).await?;
    audit(
        c,
        stamp,
        "register.lint_override",
        "register_item",
        &item.id.to_string(),
        json!({ "seq": rec.seq, "content_hash": item.content_hash, "code": rec.finding.code,
                "place": rec.finding.place_zh(), "matched": rec.finding.matched,
                "reason": rec.reason }),
    )
    .await?;
    item_review(c, item).await
}

/// The gate of publication: the chain approved on the current content, 非涉密可公开, the
/// 错敏排查 run again on the text to be published with no error left un-overridden.
pub(crate) async fn require_publishable<C: RegisterConn>(
    c: &mut C,
    item: &ItemContent,
    stamp: &Stamp,
) -> Result<ItemReview> {
    let r = item_review(c, item).await?;
    keep_run(c, &r, LintStage::Publish, stamp).await?;
    if r.publishable() {
        Ok(r)
    } else {
        Err(StoreError::PublicationBlocked {
            item: item.id,
            obstacles: r.obstacles.clone(),
        })
    }
}

/// Items with a review round under way, oldest first (for the queue).
async fn items_under_review<C: RegisterConn>(c: &mut C) -> Result<Vec<ItemReview>> {
    let mut ids: Vec<i64> = c
        .all_review_steps()
        .await?
        .into_iter()
        .filter(|s| s.subject_kind == "item")
        .filter_map(|s| s.subject_id.parse().ok())
        .collect();
    ids.dedup();
    let mut out = Vec::new();
    for id in ids {
        let Some(item) = c.item(id).await? else {
            continue;
        };
        if (item.first_published_on.is_some() && !item.unpublished_change())
            || item.withdrawn_at.is_some()
        {
            continue;
        }
        let content = content_of(c, &item).await?;
        let r = item_review(c, &content).await?;
        if matches!(
            r.review.status,
            ReviewStatus::AwaitingReview | ReviewStatus::AwaitingApproval
        ) {
            out.push(r);
        }
    }
    Ok(out)
}

impl crate::Store {
    /// An item's review: the chain bound to its current content, the 保密审查, the
    /// 错敏排查 findings on its text with the overrides, and what blocks publication.
    pub async fn item_review(&self, id: i64) -> Result<ItemReview> {
        tx!(self, read, |c| async {
            let content = content(c, id).await?;
            item_review(c, &content).await
        })
    }

    /// Takes a review step on item `id`: 初审 (submit, with the 保密审查 in `secrecy`), 复审
    /// or 审核 (`Review`/`Approve`, the level due), 退回 with a reason. Checked against the
    /// same rules as every review, the levels its 体裁 needs, in one transaction with the
    /// audit rows; the item's stage follows.
    pub async fn item_review_step(
        &self,
        id: i64,
        action: ReviewAction,
        note: Option<String>,
        secrecy: Option<SecrecyReview>,
        stamp: &Stamp,
    ) -> Result<ItemReview> {
        tx!(self, write, |c| async {
            let content = content(c, id).await?;
            item_step(c, &content, action, note, secrecy, stamp).await
        })
    }

    /// Records the authority's determination of a referred item (art. 17).
    pub async fn item_secrecy_determination(
        &self,
        id: i64,
        determination: SecrecyDetermination,
        stamp: &Stamp,
    ) -> Result<ItemReview> {
        tx!(self, write, |c| async {
            let content = content(c, id).await?;
            record_determination(c, &content, determination, stamp).await
        })
    }

    /// Overrides (放行) an error-severity 错敏排查 finding of the item's current text, with a
    /// written reason (办公室主任 or 分管领导), audited.
    pub async fn item_lint_override(
        &self,
        id: i64,
        fingerprint: &str,
        reason: &str,
        stamp: &Stamp,
    ) -> Result<ItemReview> {
        tx!(self, write, |c| async {
            let content = content(c, id).await?;
            override_finding(c, &content, fingerprint, reason, stamp).await
        })
    }

    /// Runs the 错敏排查 on item `id`'s current content and keeps the run (`stage`): the
    /// publish-stage run of a refused publication (whose transaction kept nothing).
    pub async fn keep_item_lint_run(
        &self,
        id: i64,
        stage: LintStage,
        stamp: &Stamp,
    ) -> Result<LintRun> {
        tx!(self, write, |c| async {
            let content = content(c, id).await?;
            let r = item_review(c, &content).await?;
            keep_run(c, &r, stage, stamp).await
        })
    }

    /// Every kept 错敏排查 run of item `id`, oldest first.
    pub async fn item_lint_runs(&self, id: i64) -> Result<Vec<LintRun>> {
        tx!(self, read, |c| async {
            crate::register::ops::item(c, id).await?;
            crate::review_item_db::ItemReviewConn::lint_runs(c, id).await
        })
    }

    /// The items under review (a round on their current content awaiting 复审 or 审核).
    pub async fn item_review_queue(&self) -> Result<Vec<ItemReview>> {
        tx!(self, read, |c| items_under_review(c))
    }
}
