//! The register as the year-end counts it ([`ItemFacts`]): every item's current catalogue
//! fields and validity, its publications, the moments of its corrections and its
//! withdrawal, and the validity of each version of the 规章 and 行政规范性文件 (with its
//! 施行日期, and when it was recorded: a report frozen at its submission counts the validity
//! known then) — four queries for the whole agency, whatever its size.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_ledger::Vocabulary;
use gongkai_ledger::proactive::DocumentKind;
use gongkai_ledger::register::{
    ItemFacts, Outlet, Publication, Recorded, Validity, ValidityStatus,
};

use crate::backend::Conn;
use crate::error::{Result, StoreError};
use crate::model::china_offset;

type ItemRow = (
    i64,
    String,
    String,
    NaiveDate,
    String,
    Option<String>,
    Option<String>,
    Option<NaiveDate>,
    Option<DateTime<Utc>>,
    DateTime<Utc>,
);
type PublicationRow = (
    i64,
    String,
    String,
    NaiveDate,
    Option<String>,
    DateTime<Utc>,
);

fn corrupt(id: i64, detail: String) -> StoreError {
    StoreError::Corrupt {
        what: format!("登记事项 {id}"),
        detail,
    }
}

fn vocab<T: Vocabulary>(id: i64, s: &str) -> Result<T> {
    T::parse(s).map_err(|e| corrupt(id, e.to_string()))
}

/// The day of `at` in China.
fn day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&china_offset()).date_naive()
}

/// The register's four reads (both backends). The corrections and the items with versions
/// to read are found on partial indexes of migration 0029 (`register_versions_corrected`,
/// `register_items_versioned`; the latter's condition as written there), the items read
/// first (`CROSS JOIN` keeps SQLite from scanning every version instead).
pub(crate) trait FactsConn: Conn {
    async fn fact_items(&mut self) -> Result<Vec<ItemRow>>;
    async fn fact_publications(&mut self) -> Result<Vec<PublicationRow>>;
    async fn fact_corrections(&mut self) -> Result<Vec<(i64, DateTime<Utc>)>>;
    /// `(item, validity JSON of the version, recorded_at)` of every version of the items
    /// that have a validity now or more than one version, in version order.
    async fn fact_validities(&mut self) -> Result<Vec<(i64, Option<String>, DateTime<Utc>)>>;
}

macro_rules! impl_facts_conn {
    ($db:ty, $validity:literal) => {
        impl FactsConn for crate::Tx<'_, $db> {
            async fn fact_items(&mut self) -> Result<Vec<ItemRow>> {
                Ok(sqlx::query_as(
                    "SELECT id, index_number, title, formed_on, disclosure, doc_kind, validity, \
                     valid_until, withdrawn_at, created_at FROM register_items \
                     WHERE agency_id = $1 ORDER BY id",
                )
                .bind(self.agency)
                .fetch_all(&mut *self.t)
                .await?)
            }

            async fn fact_publications(&mut self) -> Result<Vec<PublicationRow>> {
                Ok(sqlx::query_as(
                    "SELECT item_id, outlet, account, published_on, url, recorded_at \
                     FROM register_publications WHERE agency_id = $1 ORDER BY item_id, seq",
                )
                .bind(self.agency)
                .fetch_all(&mut *self.t)
                .await?)
            }

            async fn fact_corrections(&mut self) -> Result<Vec<(i64, DateTime<Utc>)>> {
                Ok(sqlx::query_as(
                    "SELECT item_id, recorded_at FROM register_versions \
                     WHERE agency_id = $1 AND kind = 'corrected' ORDER BY item_id, version",
                )
                .bind(self.agency)
                .fetch_all(&mut *self.t)
                .await?)
            }

            async fn fact_validities(
                &mut self,
            ) -> Result<Vec<(i64, Option<String>, DateTime<Utc>)>> {
                Ok(sqlx::query_as(concat!(
                    "SELECT v.item_id, ",
                    $validity,
                    ", v.recorded_at FROM register_items i CROSS JOIN register_versions v \
                     WHERE i.agency_id = $1 AND (i.doc_kind IS NOT NULL OR i.version > 1) \
                     AND v.agency_id = i.agency_id AND v.item_id = i.id \
                     ORDER BY v.item_id, v.version"
                ))
                .bind(self.agency)
                .fetch_all(&mut *self.t)
                .await?)
            }
        }
    };
}

impl_facts_conn!(sqlx::Sqlite, "json_extract(v.data, '$.validity')");
impl_facts_conn!(sqlx::Postgres, "(v.data -> 'validity')::text");

/// Every item of the agency as the year-end counts it.
pub(crate) async fn register_facts<C: FactsConn>(c: &mut C) -> Result<Vec<ItemFacts>> {
    let rows = c.fact_items().await?;
    let mut items = Vec::with_capacity(rows.len());
    let mut index = HashMap::with_capacity(rows.len());
    for (id, index_number, title, formed_on, disclosure, kind, validity, until, withdrawn, at) in
        rows
    {
        let validity = match (kind, validity) {
            (Some(k), Some(v)) => Some(Validity {
                kind: vocab::<DocumentKind>(id, &k)?,
                status: vocab::<ValidityStatus>(id, &v)?,
                effective_on: None,
                ended_on: until,
            }),
            _ => None,
        };
        index.insert(id, items.len());
        items.push(ItemFacts {
            id: id.to_string(),
            index_number,
            title,
            formed_on,
            proactive: disclosure == "proactive",
            validity,
            publications: Vec::new(),
            corrected_on: Vec::new(),
            withdrawn_on: withdrawn.map(day),
            registered_at: at,
            recorded: Recorded {
                withdrawal: withdrawn,
                ..Recorded::default()
            },
        });
    }
    for (id, outlet, account, published_on, url, recorded_at) in c.fact_publications().await? {
        let Some(&i) = index.get(&id) else { continue };
        let item = &mut items[i];
        item.publications.push(Publication {
            outlet: vocab::<Outlet>(id, &outlet)?,
            account,
            published_on,
            url,
        });
        item.recorded.publications.push(recorded_at);
    }
    for (id, at) in c.fact_corrections().await? {
        let Some(&i) = index.get(&id) else { continue };
        items[i].corrected_on.push(day(at));
        items[i].recorded.corrections.push(at);
    }
    // The validity of each version: the current one with its 施行日期 (the row keeps the
    // status and end only), the earlier ones for a report frozen before they changed.
    for (id, validity, at) in c.fact_validities().await? {
        let Some(&i) = index.get(&id) else { continue };
        let v: Option<Validity> = match validity.as_deref() {
            None => None,
            Some(json) => serde_json::from_str(json).map_err(|e| corrupt(id, e.to_string()))?,
        };
        items[i].recorded.validity.push((at, v));
    }
    for item in &mut items {
        if let Some((_, v)) = item.recorded.validity.last() {
            item.validity.clone_from(v);
        }
    }
    Ok(items)
}
