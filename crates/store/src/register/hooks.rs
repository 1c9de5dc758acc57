//! Where the review of items (三审, 保密审查, 错敏排查; issue 16 §2) plugs into the register.
//! Both functions run inside the writing transaction and call the review
//! (`crate::review_item_ops`):
//!
//! * [`publication_gate`]: before a publication (or the publication of a correction) is
//!   recorded; an error refuses it and nothing is written. The review checks here that the
//!   chain of the item's levels (`RegisterSettings::review_levels_for(genre)`) approved
//!   the current content (`RegisterItem::content_hash` with the attachments' names and
//!   SHA-256: `review_item_ops::bound_hash`) and that the 保密审查 concluded 非涉密可公开;
//!   the 错敏排查 run on it is kept (`register_lint_runs`, stage `publish`).
//! * [`review_stage`]: the stage of an item that is not published nor withdrawn
//!   (`InReview`, `Approved`), or `None` for a draft; the store writes it into the item
//!   row after each of its writes so that lists filter on it. A review write that changes
//!   the stage calls [`refresh_stage`].

use gongkai_ledger::register::ItemStage;

use crate::error::Result;
use crate::register::{RegisterConn, RegisterItem};

/// What must hold before `item` is published: the chain of its levels approved the
/// current content, the 保密审查 concluded 非涉密可公开, and the 错敏排查 of the text to be
/// published leaves no error without an override (`review_item_ops::require_publishable`).
pub(crate) async fn publication_gate<C: RegisterConn>(
    c: &mut C,
    item: &RegisterItem,
    stamp: &crate::model::Stamp,
) -> Result<()> {
    let content = crate::review_item_ops::content_of(c, item).await?;
    crate::review_item_ops::require_publishable(c, &content, stamp).await?;
    Ok(())
}

/// The stage the review gives an unpublished item (`review_item_ops::review_stage`).
pub(crate) async fn review_stage<C: RegisterConn>(
    c: &mut C,
    item: &RegisterItem,
) -> Result<Option<ItemStage>> {
    crate::review_item_ops::review_stage(c, item).await
}

/// The item's stage: withdrawn, published (on any channel), else what the review says,
/// else a draft.
pub(crate) async fn derive_stage<C: RegisterConn>(
    c: &mut C,
    item: &RegisterItem,
) -> Result<ItemStage> {
    if item.withdrawn_at.is_some() {
        return Ok(ItemStage::Withdrawn);
    }
    if item.first_published_on.is_some() {
        return Ok(ItemStage::Published);
    }
    Ok(review_stage(c, item).await?.unwrap_or(ItemStage::Draft))
}

/// Recomputes the stage of item `id` and writes it if it changed (for the review's writes).
pub(crate) async fn refresh_stage<C: RegisterConn>(c: &mut C, id: i64) -> Result<ItemStage> {
    let Some(mut item) = c.item(id).await? else {
        return Err(crate::StoreError::NotFound {
            what: "登记事项",
            id: id.to_string(),
        });
    };
    let stage = derive_stage(c, &item).await?;
    if stage != item.stage {
        item.stage = stage;
        c.update_item(&item).await?;
    }
    Ok(stage)
}
