//! Moving the document records kept before the register (`proactive` records of type
//! `document`: 规章 and 行政规范性文件 for section 二) into register items, in one
//! transaction: each current record becomes an item with its validity (废止 with its date,
//! or 有效), 生成日期 = its issue date, 名称 and 文号 kept; the record is then voided with
//! the reason naming the item's 索引号 — kept with its history, no longer counted, so
//! section 二 counts every document once. The items carry no art. 26 clock: their
//! publication predates the register and is not known.

use chrono::NaiveDate;
use gongkai_ledger::Calendar;
use gongkai_ledger::proactive::{DocumentKind, ProactiveData};
use gongkai_ledger::register::{Disclosure, ItemDraft, Validity, ValidityStatus};

use crate::error::{Result, StoreError};
use crate::model::Stamp;
use crate::register::{RegisterConn, RegisterItem};

/// One document record moved: the record's id and the item made of it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MovedRecord {
    pub record_id: String,
    pub item: RegisterItem,
}

pub(crate) async fn migrate_documents<C: RegisterConn + ClockConn>(
    c: &mut C,
    cal: &Calendar,
    today: NaiveDate,
    stamp: &Stamp,
) -> Result<Vec<MovedRecord>> {
    let agency = c.this_agency().await?.ok_or(StoreError::NotInitialised)?;
    let settings = super::ops::settings(c).await?;
    let ledger = gongkai_ledger::Ledger::from(gongkai_ledger::LedgerData {
        proactive: c.all_proactive().await?,
        ..Default::default()
    });
    let records: Vec<_> = ledger
        .current_proactive()
        .filter_map(|r| match &r.data {
            ProactiveData::Document(d) => Some((r.id.clone(), d.clone())),
            _ => None,
        })
        .collect();
    let genre = |wanted: &str| {
        settings
            .genres
            .accept(wanted)
            .or_else(|| settings.genres.entries().last().cloned())
            .unwrap_or_default()
    };
    let topic = settings
        .topics
        .accept("综合政务")
        .or_else(|| settings.topics.entries().first().cloned())
        .unwrap_or_default();
    let mut moved = Vec::with_capacity(records.len());
    for (record_id, d) in records {
        let draft = ItemDraft {
            title: d.title.clone(),
            organ: agency.name.clone(),
            formed_on: d.issued_on,
            number: d.number.clone(),
            topic: topic.clone(),
            genre: genre(match d.kind {
                DocumentKind::Regulation => "命令（令）",
                DocumentKind::NormativeDocument => "其他",
            }),
            summary: d.title.clone(),
            body: String::new(),
            disclosure: Disclosure::Proactive,
            validity: Some(Validity {
                kind: d.kind,
                status: if d.repealed_on.is_some() {
                    ValidityStatus::Repealed
                } else {
                    ValidityStatus::Effective
                },
                effective_on: None,
                ended_on: d.repealed_on,
            }),
            outlets: Vec::new(),
        };
        let mut item = super::ops::register(c, cal, draft, today, stamp).await?;
        c.clear_clock(item.id).await?;
        item.clock_from = None;
        item.due_on = None;
        let reason = format!("已转入主动公开登记，索引号 {}", item.index_number);
        let new_id = format!("{record_id}-register-{}", item.id);
        crate::ops::supersede_proactive(c, &record_id, &new_id, None, &reason, stamp).await?;
        moved.push(MovedRecord { record_id, item });
    }
    Ok(moved)
}

/// The clock of a moved item, cleared (both backends).
pub(crate) trait ClockConn {
    async fn clear_clock(&mut self, id: i64) -> Result<()>;
}

macro_rules! impl_clock_conn {
    ($db:ty) => {
        impl ClockConn for crate::Tx<'_, $db> {
            async fn clear_clock(&mut self, id: i64) -> Result<()> {
                sqlx::query(
                    "UPDATE register_items SET clock_from = NULL, due_on = NULL \
                     WHERE agency_id = $1 AND id = $2",
                )
                .bind(self.agency)
                .bind(id)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }
        }
    };
}

impl_clock_conn!(sqlx::Sqlite);
impl_clock_conn!(sqlx::Postgres);
