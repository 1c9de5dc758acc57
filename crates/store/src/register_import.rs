//! A batch of register items registered in one transaction (批量导入): each row checked and
//! numbered as if registered alone (`register::ops::register`, with its audit row), its
//! attachments added; one refused row refuses the batch (`ImportRow`, naming the row) and
//! nothing is written.

use chrono::NaiveDate;
use gongkai_ledger::register::ItemDraft;

use crate::error::{Result, StoreError};
use crate::model::Stamp;
use crate::register::{AttachmentText, NewAttachment, RegisterItem, ops};

impl crate::Store {
    /// Registers `rows` — (row number in the sheet, draft, attachments with their
    /// extracted text) — all or nothing.
    #[allow(clippy::type_complexity)]
    pub async fn import_items(
        &self,
        rows: Vec<(usize, ItemDraft, Vec<(NewAttachment, AttachmentText)>)>,
        today: NaiveDate,
        stamp: &Stamp,
    ) -> Result<Vec<RegisterItem>> {
        let cal = self.calendar.clone();
        tx!(self, write, |c| async {
            let mut out = Vec::with_capacity(rows.len());
            for (row, draft, files) in rows {
                let at_row = |e: StoreError| match e {
                    e if e.is_client_error() => StoreError::ImportRow {
                        row,
                        detail: e.to_string(),
                    },
                    e => e,
                };
                let item = ops::register(c, &cal, draft, today, stamp)
                    .await
                    .map_err(at_row)?;
                for (f, text) in files {
                    ops::attach(c, item.id, f, text, stamp)
                        .await
                        .map_err(at_row)?;
                }
                out.push(item);
            }
            Ok(out)
        })
    }
}
