//! 三审, 保密审查 and 错敏排查 of register items (issue 16 §2): 初审 with the secrecy checklist,
//! 复审 and 审核 (as many levels as the item's 体裁 needs), sending back with a reason, the
//! authority's determination of a referred item, overriding a finding with a written
//! reason, the queue of items awaiting each level, and approving a batch — each item of
//! the batch checked and audited on its own, exactly as if approved alone. The rules are
//! the store's (`gongkai_store::review::check_roles`), enforced inside its transactions;
//! [`allowed`] derives the buttons from the same function.

use gongkai_ledger::register::secrecy::{SecrecyDetermination, SecrecyReview};
use gongkai_store::review_item::ItemReview;
use gongkai_store::{ReviewAction, ReviewStatus};
use serde::Serialize;

use crate::actor::Actor;
use crate::review::Allowed;
use crate::{Result, Service, ServiceError};

/// What `actor` may do with an item's review now.
pub fn allowed(r: &ItemReview, actor: &Actor) -> Allowed {
    crate::review::allowed(&r.review, actor)
}

/// Whether `actor` may record a determination or override a finding (办公室主任, 分管领导).
pub fn may_decide(actor: &Actor) -> bool {
    actor.roles().iter().any(|r| {
        matches!(
            r,
            gongkai_store::Role::OfficeHead | gongkai_store::Role::Leader
        )
    })
}

/// One item's outcome in a batch.
#[derive(Debug, Clone, Serialize)]
pub struct BatchOutcome {
    pub item: i64,
    /// The status after the step, when it was taken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ReviewStatus>,
    /// Why it was refused (Chinese), when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
}

/// Items in a batch at most.
pub const BATCH_MAX: usize = 500;

impl Service {
    /// An item's review (`NotFound` for an item of another agency).
    pub async fn item_review(&self, actor: &Actor, id: i64) -> Result<ItemReview> {
        Ok(self.store_for(actor).item_review(id).await?)
    }

    /// 初审: submits the item with its 保密审查 (checked: the conclusion must follow from
    /// the answers); the 错敏排查 runs on the text submitted and its findings are recorded.
    pub async fn submit_item(
        &self,
        actor: &Actor,
        id: i64,
        secrecy: SecrecyReview,
        note: Option<String>,
    ) -> Result<ItemReview> {
        crate::limits::opt("note", note.as_deref())?;
        let r = self
            .store_for(actor)
            .item_review_step(
                id,
                ReviewAction::Submit,
                note,
                Some(secrecy),
                &actor.stamp(),
            )
            .await;
        let r = self
            .refused(
                actor,
                "review.submit",
                &format!("item/{id}"),
                r.map_err(Into::into),
            )
            .await?;
        tracing::info!(item = id, user = actor.name(), "item submitted");
        Ok(r)
    }

    /// 复审 or 审核 at the level that is due (the levels of the item's 体裁).
    pub async fn approve_item(
        &self,
        actor: &Actor,
        id: i64,
        note: Option<String>,
    ) -> Result<ItemReview> {
        crate::limits::opt("note", note.as_deref())?;
        let store = self.store_for(actor);
        let current = store.item_review(id).await?;
        let action = gongkai_store::review::approval_for_roles(
            current.review.status,
            actor.roles(),
            &current.review.rules,
        )
        .unwrap_or(ReviewAction::Review);
        let r = store
            .item_review_step(id, action, note, None, &actor.stamp())
            .await;
        let what = format!("review.{}", action.as_str());
        self.refused(actor, &what, &format!("item/{id}"), r.map_err(Into::into))
            .await
    }

    /// 退回 with a reason (whoever's level is due).
    pub async fn send_back_item(&self, actor: &Actor, id: i64, reason: &str) -> Result<ItemReview> {
        crate::limits::text("reason", reason)?;
        let r = self
            .store_for(actor)
            .item_review_step(
                id,
                ReviewAction::SendBack,
                Some(reason.to_string()),
                None,
                &actor.stamp(),
            )
            .await;
        self.refused(
            actor,
            "review.send_back",
            &format!("item/{id}"),
            r.map_err(Into::into),
        )
        .await
    }

    /// Records the determination of the authority a referred item went to (art. 17).
    pub async fn record_item_determination(
        &self,
        actor: &Actor,
        id: i64,
        determination: SecrecyDetermination,
    ) -> Result<ItemReview> {
        crate::limits::text("authority", &determination.authority)?;
        let r = self
            .store_for(actor)
            .item_secrecy_determination(id, determination, &actor.stamp())
            .await;
        self.refused(
            actor,
            "register.secrecy_determination",
            &format!("item/{id}"),
            r.map_err(Into::into),
        )
        .await
    }

    /// Overrides (放行) an error-severity finding on the item's current text, with the
    /// written reason.
    pub async fn override_item_finding(
        &self,
        actor: &Actor,
        id: i64,
        fingerprint: &str,
        reason: &str,
    ) -> Result<ItemReview> {
        crate::limits::text("reason", reason)?;
        crate::limits::text("fingerprint", fingerprint)?;
        let r = self
            .store_for(actor)
            .item_lint_override(id, fingerprint, reason, &actor.stamp())
            .await;
        self.refused(
            actor,
            "register.lint_override",
            &format!("item/{id}"),
            r.map_err(Into::into),
        )
        .await
    }

    /// The items awaiting a level `actor` may take now (复审 for an office head, 审核 for a
    /// leader), oldest first.
    pub async fn item_review_queue(&self, actor: &Actor) -> Result<Vec<ItemReview>> {
        let all = self.store_for(actor).item_review_queue().await?;
        Ok(all
            .into_iter()
            .filter(|r| allowed(r, actor).approve)
            .collect())
    }

    /// Approves each of `ids` at the level due, one by one: every item checked and
    /// audited on its own (its own transaction, the same rules as alone); one refused
    /// leaves the others approved, and its reason is reported.
    pub async fn approve_items(
        &self,
        actor: &Actor,
        ids: &[i64],
        note: Option<String>,
    ) -> Result<Vec<BatchOutcome>> {
        if ids.len() > BATCH_MAX {
            return Err(ServiceError::TooLong {
                field: "批量审核的事项",
                max: BATCH_MAX,
                len: ids.len(),
            });
        }
        let mut out = Vec::with_capacity(ids.len());
        let mut seen = Vec::new();
        for &id in ids {
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
            out.push(match self.approve_item(actor, id, note.clone()).await {
                Ok(r) => BatchOutcome {
                    item: id,
                    status: Some(r.review.status),
                    error: None,
                    code: None,
                },
                Err(e) => BatchOutcome {
                    item: id,
                    status: None,
                    error: Some(e.to_string()),
                    code: Some(e.code()),
                },
            });
        }
        Ok(out)
    }
}
