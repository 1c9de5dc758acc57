//! Moving the document records kept before the register (section 二's 规章 and 行政规范性文件)
//! into the register ([`gongkai_store::Store::migrate_documents_to_register`]): one
//! transaction, each record voided with the new item's 索引号 and kept, section 二 unchanged.
//! Whoever may record items and proactive records runs it once (again: nothing left to
//! move).

use gongkai_store::register::MovedRecord;

use crate::actor::Actor;
use crate::{Result, Service};

impl Service {
    /// Moves every current document record into a register item (module docs).
    pub async fn migrate_document_records(&self, actor: &Actor) -> Result<Vec<MovedRecord>> {
        let r = self
            .store_for(actor)
            .migrate_documents_to_register(self.current_date(), &actor.stamp())
            .await;
        let moved = self
            .refused(
                actor,
                "register.migrated",
                "documents",
                r.map_err(Into::into),
            )
            .await?;
        tracing::info!(
            records = moved.len(),
            user = actor.name(),
            "document records moved into the register"
        );
        Ok(moved)
    }
}
