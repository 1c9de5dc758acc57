//! Bulk loading (批量载入): many applications, with their logs, appeals and proactive
//! records, written into one agency in one transaction — for a platform's load test (a
//! generated province) and for bringing over another system's ledger.
//!
//! The rows are those the store writes one by one (`backend/`: the application as first
//! registered without its log in `data`, one row per event with its type and decision
//! columns, the appeal's kind and decision date …), encoded by the same helpers; only the
//! way they reach the database differs ([`BulkMethod`]): PostgreSQL's `COPY … FROM STDIN`
//! (text format), or multi-row `INSERT`s of up to [`INSERT_ROWS`] rows (both backends).
//!
//! Everything is checked first as a write would: the platform administrator only, and the
//! ledger replays every application's log and checks every appeal and proactive record
//! (`Ledger::add_application`, `add_appeal`, `add_proactive`) against today's date. One
//! audit row (`bulk.load`) records the counts; an id already in the agency fails the whole
//! load (nothing half-saved).

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_ledger::{
    AppealCase, Application, Calendar, Context, Event, Ledger, ProactiveRecord, Settings,
};
use serde::Serialize;
use serde_json::json;
use sqlx::types::JsonRawValue;

use crate::Store;
use crate::backend::Conn;
use crate::backend::rows::{appeal_kind, decided_on, decision_of, event_type_of, proactive_type};
use crate::error::{Result, StoreError};
use crate::model::Stamp;
use crate::ops;

/// Rows per multi-row `INSERT` (SQLite allows 32,766 parameters: 1,000 × 10 columns fit).
pub const INSERT_ROWS: usize = 1_000;

/// How the rows are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BulkMethod {
    /// `COPY … FROM STDIN` on PostgreSQL; multi-row `INSERT` on SQLite (which has no COPY).
    Copy,
    /// Multi-row `INSERT … VALUES (…), (…)` on both backends.
    Insert,
}

/// What to load into the store's agency.
#[derive(Debug, Clone, Copy, Default)]
pub struct BulkLoad<'a> {
    /// Applications with their logs (as first registered: the log's 更正 apply on replay).
    pub applications: &'a [Application],
    pub appeals: &'a [AppealCase],
    pub proactive: &'a [ProactiveRecord],
}

/// The rows written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BulkCounts {
    pub applications: u64,
    pub events: u64,
    pub appeals: u64,
    pub proactive: u64,
}

/// One row as the store encodes it: every column in order.
pub(crate) enum Cell<'a> {
    Text(Option<&'a str>),
    Owned(String),
    Date(Option<NaiveDate>),
    Time(DateTime<Utc>),
    Json(Box<JsonRawValue>),
    Id(i64),
}

pub(crate) struct Rows<'a> {
    table: &'static str,
    columns: &'static str,
    rows: Vec<Vec<Cell<'a>>>,
}

fn json_text<T: Serialize>(v: &T) -> Result<Box<JsonRawValue>> {
    serde_json::value::to_raw_value(v).map_err(|e| StoreError::Corrupt {
        what: "批量载入的记录".into(),
        detail: e.to_string(),
    })
}

fn application_rows<'a>(
    apps: &'a [Application],
    agency: i64,
    stamp: &'a Stamp,
) -> Result<(Rows<'a>, Rows<'a>)> {
    let mut a = Rows {
        table: "applications",
        columns: "id, applicant_kind, applicant_name, applicant_key, data, created_at, \
                  created_by, agency_id",
        rows: Vec::with_capacity(apps.len()),
    };
    let mut e = Rows {
        table: "events",
        columns: "application_id, seq, event_type, event_date, decision, recorded_at, \
                  recorded_by, data, agency_id",
        rows: Vec::with_capacity(apps.len() * 4),
    };
    for app in apps {
        // As `insert_application` writes it: the registration without its log.
        let bare = Application {
            events: Vec::new(),
            ..app.original()
        };
        let created = app.events.first().map_or(stamp.at, |e| e.recorded_at);
        a.rows.push(vec![
            Cell::Text(Some(&app.id.0)),
            Cell::Text(Some(bare.applicant.kind.column_key())),
            Cell::Owned(bare.applicant.name.clone()),
            Cell::Owned(bare.applicant.key()),
            Cell::Json(json_text(&bare)?),
            Cell::Time(created),
            Cell::Text(Some(&stamp.user)),
            Cell::Id(agency),
        ]);
        for ev in &app.events {
            e.rows.push(event_row(&app.id.0, ev, agency)?);
        }
    }
    Ok((a, e))
}

fn event_row<'a>(app: &'a str, ev: &'a Event, agency: i64) -> Result<Vec<Cell<'a>>> {
    Ok(vec![
        Cell::Text(Some(app)),
        Cell::Id(i64::from(ev.seq)),
        Cell::Owned(event_type_of(ev)),
        Cell::Date(Some(ev.date)),
        Cell::Text(decision_of(ev)),
        Cell::Time(ev.recorded_at),
        Cell::Text(ev.recorded_by.as_deref()),
        Cell::Json(json_text(ev)?),
        Cell::Id(agency),
    ])
}

fn appeal_rows<'a>(cases: &'a [AppealCase], agency: i64, at: DateTime<Utc>) -> Result<Rows<'a>> {
    let mut out = Rows {
        table: "appeals",
        columns: "id, application_id, kind, filed_on, decided_on, data, recorded_at, \
                  recorded_by, updated_at, agency_id",
        rows: Vec::with_capacity(cases.len()),
    };
    for c in cases {
        out.rows.push(vec![
            Cell::Text(Some(&c.id)),
            Cell::Text(c.application.as_ref().map(|a| a.0.as_str())),
            Cell::Owned(appeal_kind(c)),
            Cell::Date(Some(c.filed_on)),
            Cell::Date(decided_on(c)),
            Cell::Json(json_text(c)?),
            Cell::Time(c.recorded_at),
            Cell::Text(c.recorded_by.as_deref()),
            Cell::Time(at),
            Cell::Id(agency),
        ]);
    }
    Ok(out)
}

fn proactive_rows<'a>(
    records: &'a [ProactiveRecord],
    agency: i64,
    at: DateTime<Utc>,
) -> Result<Rows<'a>> {
    let mut out = Rows {
        table: "proactive_records",
        columns: "id, record_type, data, recorded_at, recorded_by, updated_at, agency_id",
        rows: Vec::with_capacity(records.len()),
    };
    for r in records {
        out.rows.push(vec![
            Cell::Text(Some(&r.id)),
            Cell::Text(Some(proactive_type(r))),
            Cell::Json(json_text(r)?),
            Cell::Time(r.recorded_at),
            Cell::Text(r.recorded_by.as_deref()),
            Cell::Time(at),
            Cell::Id(agency),
        ]);
    }
    Ok(out)
}

/// The text format of `COPY`: `\N` for NULL, backslash escapes for the separators.
fn copy_field(out: &mut String, cell: &Cell<'_>) {
    fn text(out: &mut String, s: &str) {
        for ch in s.chars() {
            match ch {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c => out.push(c),
            }
        }
    }
    use std::fmt::Write as _;
    match cell {
        Cell::Text(None) | Cell::Date(None) => out.push_str("\\N"),
        Cell::Text(Some(s)) => text(out, s),
        Cell::Owned(s) => text(out, s),
        Cell::Json(j) => text(out, j.get()),
        Cell::Date(Some(d)) => {
            let _ = write!(out, "{}", d.format("%Y-%m-%d"));
        }
        Cell::Time(t) => {
            let _ = write!(out, "{}", t.format("%Y-%m-%d %H:%M:%S%.6f+00"));
        }
        Cell::Id(i) => {
            let _ = write!(out, "{i}");
        }
    }
}

/// How a transaction of each backend writes the rows.
pub(crate) trait BulkConn: Conn {
    async fn write_rows(&mut self, rows: &Rows<'_>, method: BulkMethod) -> Result<u64>;
}

macro_rules! insert_rows {
    ($self:ident, $db:ty, $rows:ident) => {{
        let mut written = 0u64;
        for chunk in $rows.rows.chunks(INSERT_ROWS) {
            let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                "INSERT INTO {} ({}) ",
                $rows.table, $rows.columns
            ));
            q.push_values(chunk, |mut b, row| {
                for cell in row {
                    match cell {
                        Cell::Text(s) => {
                            b.push_bind(*s);
                        }
                        Cell::Owned(s) => {
                            b.push_bind(s.as_str());
                        }
                        Cell::Date(d) => {
                            b.push_bind(*d);
                        }
                        Cell::Time(t) => {
                            b.push_bind(*t);
                        }
                        Cell::Json(j) => {
                            b.push_bind(&**j);
                        }
                        Cell::Id(i) => {
                            b.push_bind(*i);
                        }
                    }
                }
            });
            written += q.build().execute(&mut *$self.t).await?.rows_affected();
        }
        written
    }};
}

impl BulkConn for crate::Tx<'_, sqlx::Sqlite> {
    async fn write_rows(&mut self, rows: &Rows<'_>, _method: BulkMethod) -> Result<u64> {
        Ok(insert_rows!(self, sqlx::Sqlite, rows))
    }
}

/// Bytes sent per `COPY` message.
const COPY_CHUNK: usize = 1 << 20;

impl BulkConn for crate::Tx<'_, sqlx::Postgres> {
    async fn write_rows(&mut self, rows: &Rows<'_>, method: BulkMethod) -> Result<u64> {
        if method == BulkMethod::Insert {
            return Ok(insert_rows!(self, sqlx::Postgres, rows));
        }
        if rows.rows.is_empty() {
            return Ok(0);
        }
        let mut copy = self
            .t
            .copy_in_raw(&format!(
                "COPY {} ({}) FROM STDIN",
                rows.table, rows.columns
            ))
            .await?;
        let mut buf = String::with_capacity(COPY_CHUNK + 4096);
        for row in &rows.rows {
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    buf.push('\t');
                }
                copy_field(&mut buf, cell);
            }
            buf.push('\n');
            if buf.len() >= COPY_CHUNK {
                copy.send(std::mem::take(&mut buf).into_bytes()).await?;
                buf.reserve(COPY_CHUNK + 4096);
            }
        }
        if !buf.is_empty() {
            copy.send(buf.into_bytes()).await?;
        }
        Ok(copy.finish().await?)
    }
}

/// Checks the records as the ledger would take them one by one.
fn validate(
    load: &BulkLoad<'_>,
    calendar: &Calendar,
    settings: Settings,
    today: NaiveDate,
) -> Result<()> {
    let ctx = Context::new(calendar, settings, today);
    let mut ledger = Ledger::new("");
    for app in load.applications {
        ledger.add_application(app.clone(), &ctx)?;
    }
    for case in load.appeals {
        ledger.add_appeal(case.clone(), today)?;
    }
    for r in load.proactive {
        ledger.add_proactive(r.clone(), today)?;
    }
    Ok(())
}

async fn load<C: BulkConn>(
    c: &mut C,
    calendar: &Calendar,
    batch: &BulkLoad<'_>,
    method: BulkMethod,
    stamp: &Stamp,
) -> Result<BulkCounts> {
    crate::agencies::require_platform_admin(c, stamp).await?;
    let agency = c.this_agency().await?.ok_or_else(|| StoreError::NotFound {
        what: "机关",
        id: String::new(),
    })?;
    let settings = ops::settings(c).await?;
    validate(batch, calendar, settings, stamp.today())?;
    let (apps, events) = application_rows(batch.applications, agency.id, stamp)?;
    let appeals = appeal_rows(batch.appeals, agency.id, stamp.at)?;
    let proactive = proactive_rows(batch.proactive, agency.id, stamp.at)?;
    let counts = BulkCounts {
        applications: c.write_rows(&apps, method).await?,
        events: c.write_rows(&events, method).await?,
        appeals: c.write_rows(&appeals, method).await?,
        proactive: c.write_rows(&proactive, method).await?,
    };
    ops::audit(
        c,
        stamp,
        "bulk.load",
        "agency",
        &agency.code,
        json!({ "method": method, "counts": counts }),
    )
    .await?;
    Ok(counts)
}

impl Store {
    /// Loads many records into the store's agency in one transaction (the platform
    /// administrator only; audited `bulk.load` with the counts). The ledger checks every
    /// record first; an id already present fails the whole load.
    pub async fn bulk_load(
        &self,
        batch: &BulkLoad<'_>,
        method: BulkMethod,
        stamp: &Stamp,
    ) -> Result<BulkCounts> {
        let calendar = self.calendar.clone();
        tx!(self, write, |c| load(c, &calendar, batch, method, stamp))
    }
}
