//! Saved column sets of the ledger's export (table `export_column_sets`, migration 0012):
//! a name and the column keys in their order. A save replaces the set of that name; a save
//! and a deletion each write an audit row (`column_set.save`, `column_set.delete`, with the
//! columns before and after) in the same transaction.
//!
//! Who may: those who record (`Role::can_record`: 信息员, 办公室主任, 管理员), checked here
//! as in every write. Which keys exist is the service's (`gongkai_service::exports`): the
//! store keeps the list as given, but never an empty name or an empty list.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::backend::Conn;
use crate::error::{Result, StoreError};
use crate::model::Stamp;
use crate::{Store, ops};

/// A saved column set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnSet {
    pub name: String,
    /// Column keys, in the order of the sheet.
    pub columns: Vec<String>,
    pub saved_at: DateTime<Utc>,
    pub saved_by: String,
}

type Row = (String, String, DateTime<Utc>, String);

fn from_row((name, columns, saved_at, saved_by): Row) -> Result<ColumnSet> {
    let columns = serde_json::from_str(&columns).map_err(|e| StoreError::Corrupt {
        what: format!("导出列模板“{name}”"),
        detail: e.to_string(),
    })?;
    Ok(ColumnSet {
        name,
        columns,
        saved_at,
        saved_by,
    })
}

/// The SQL of the column sets, once for both backends (as in `backend`).
pub(crate) trait ColumnSetConn: Conn {
    async fn column_sets(&mut self) -> Result<Vec<ColumnSet>>;
    async fn column_set(&mut self, name: &str) -> Result<Option<ColumnSet>>;
    async fn upsert_column_set(&mut self, set: &ColumnSet) -> Result<()>;
    async fn delete_column_set(&mut self, name: &str) -> Result<u64>;
}

macro_rules! impl_column_set_conn {
    ($db:ty) => {
        impl ColumnSetConn for crate::Tx<'_, $db> {
            async fn column_sets(&mut self) -> Result<Vec<ColumnSet>> {
                let rows: Vec<Row> = sqlx::query_as(
                    "SELECT name, columns, saved_at, saved_by FROM export_column_sets \
                     WHERE agency_id = $1 ORDER BY name",
                )
                .bind(self.agency)
                .fetch_all(&mut *self.t)
                .await?;
                rows.into_iter().map(from_row).collect()
            }

            async fn column_set(&mut self, name: &str) -> Result<Option<ColumnSet>> {
                let row: Option<Row> = sqlx::query_as(
                    "SELECT name, columns, saved_at, saved_by FROM export_column_sets \
                     WHERE name = $1 AND agency_id = $2",
                )
                .bind(name)
                .bind(self.agency)
                .fetch_optional(&mut *self.t)
                .await?;
                row.map(from_row).transpose()
            }

            async fn upsert_column_set(&mut self, set: &ColumnSet) -> Result<()> {
                let columns =
                    serde_json::to_string(&set.columns).map_err(|e| StoreError::Corrupt {
                        what: format!("导出列模板“{}”", set.name),
                        detail: e.to_string(),
                    })?;
                sqlx::query(
                    "INSERT INTO export_column_sets (name, columns, saved_at, saved_by, agency_id) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (agency_id, name) DO UPDATE SET \
                     columns = excluded.columns, saved_at = excluded.saved_at, \
                     saved_by = excluded.saved_by",
                )
                .bind(&set.name)
                .bind(columns)
                .bind(set.saved_at)
                .bind(&set.saved_by)
                .bind(self.agency)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn delete_column_set(&mut self, name: &str) -> Result<u64> {
                let r = sqlx::query("DELETE FROM export_column_sets WHERE name = $1 AND agency_id = $2")
                    .bind(name)
                    .bind(self.agency)
                    .execute(&mut *self.t)
                    .await?;
                Ok(r.rows_affected())
            }
        }
    };
}

impl_column_set_conn!(sqlx::Sqlite);
impl_column_set_conn!(sqlx::Postgres);

async fn save<C: ColumnSetConn>(
    c: &mut C,
    name: &str,
    columns: Vec<String>,
    stamp: &Stamp,
) -> Result<ColumnSet> {
    let me = ops::actor(c, stamp).await?;
    ops::require(
        &me,
        me.any(crate::model::Role::can_record),
        "保存导出列模板",
    )?;
    let name = name.trim();
    if name.is_empty() {
        return Err(gongkai_ledger::LedgerError::EmptyField {
            field: "模板名称"
        }
        .into());
    }
    if columns.is_empty() {
        return Err(gongkai_ledger::LedgerError::EmptyField { field: "导出列" }.into());
    }
    let before = c.column_set(name).await?;
    let set = ColumnSet {
        name: name.to_string(),
        columns,
        saved_at: stamp.at,
        saved_by: me.name.clone(),
    };
    c.upsert_column_set(&set).await?;
    ops::audit(
        c,
        stamp,
        "column_set.save",
        "column_set",
        name,
        json!({
            "before": before.map(|b| b.columns),
            "after": set.columns,
        }),
    )
    .await?;
    Ok(set)
}

async fn delete<C: ColumnSetConn>(c: &mut C, name: &str, stamp: &Stamp) -> Result<()> {
    let me = ops::actor(c, stamp).await?;
    ops::require(
        &me,
        me.any(crate::model::Role::can_record),
        "删除导出列模板",
    )?;
    let Some(before) = c.column_set(name.trim()).await? else {
        return Err(StoreError::NotFound {
            what: "导出列模板",
            id: name.trim().to_string(),
        });
    };
    c.delete_column_set(&before.name).await?;
    ops::audit(
        c,
        stamp,
        "column_set.delete",
        "column_set",
        &before.name,
        json!({ "before": before.columns }),
    )
    .await
}

impl Store {
    /// Saves (or replaces) the column set `name`, with an audit row.
    pub async fn save_column_set(
        &self,
        name: &str,
        columns: Vec<String>,
        stamp: &Stamp,
    ) -> Result<ColumnSet> {
        tx!(self, write, |t| save(t, name, columns, stamp))
    }

    /// Deletes the column set `name`, with an audit row ([`StoreError::NotFound`] when
    /// there is none).
    pub async fn delete_column_set(&self, name: &str, stamp: &Stamp) -> Result<()> {
        tx!(self, write, |t| delete(t, name, stamp))
    }

    /// The saved column sets, by name.
    pub async fn column_sets(&self) -> Result<Vec<ColumnSet>> {
        tx!(self, read, |t| t.column_sets())
    }

    /// The column set `name`, if saved.
    pub async fn column_set(&self, name: &str) -> Result<Option<ColumnSet>> {
        tx!(self, read, |t| t.column_set(name.trim()))
    }
}
