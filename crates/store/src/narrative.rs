//! The annual report's narrative: the running text of sections 一 to 六 and the 落款 that
//! the office writes on the year-end page, stored as versions (table
//! `year_end_narratives`, migration 0003). A save adds a version and its audit row in one
//! transaction; versions are never changed or deleted (the schema refuses it). While the
//! report is under review or approved the narrative is locked: it was submitted with the
//! figures, and [`Store::narrative_as_of`] with the submission time gives back the text
//! that was submitted.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::types::Json;

use crate::backend::Conn;
use crate::error::{Result, StoreError};
use crate::model::{ReviewStatus, Role, Stamp};
use crate::{Store, review};

/// What the office wrote: the sections it replaced (number 1..=6 → text; a section not
/// here keeps the ledger's draft) and the 落款.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NarrativeText {
    #[serde(default)]
    pub sections: BTreeMap<u8, String>,
    /// The agency named under the report (落款).
    #[serde(default)]
    pub signed_by: Option<String>,
    /// The date under the report (落款日期).
    #[serde(default)]
    pub signed_on: Option<NaiveDate>,
}

/// One saved version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Narrative {
    pub year: i32,
    /// 1, 2, … in the order saved.
    pub version: u32,
    #[serde(flatten)]
    pub text: NarrativeText,
    /// What changed, in the writer's words (optional).
    pub note: Option<String>,
    pub saved_at: DateTime<Utc>,
    pub saved_by: String,
}

type Row = (
    i32,
    i64,
    Json<BTreeMap<u8, String>>,
    Option<String>,
    Option<NaiveDate>,
    Option<String>,
    DateTime<Utc>,
    String,
);

fn from_row(r: Row) -> Result<Narrative> {
    let (year, version, Json(sections), signed_by, signed_on, note, saved_at, saved_by) = r;
    let version = u32::try_from(version).map_err(|_| StoreError::Corrupt {
        what: format!("{year} 年度报告正文"),
        detail: format!("版本号 {version} 超出范围"),
    })?;
    Ok(Narrative {
        year,
        version,
        text: NarrativeText {
            sections,
            signed_by,
            signed_on,
        },
        note,
        saved_at,
        saved_by,
    })
}

/// The SQL of this table, once for both backends (as in `backend`).
pub(crate) trait NarrativeConn: Conn {
    async fn narratives(&mut self, year: i32) -> Result<Vec<Narrative>>;
    async fn insert_narrative(&mut self, n: &Narrative) -> Result<()>;
}

macro_rules! impl_narrative_conn {
    ($db:ty) => {
        impl NarrativeConn for crate::Tx<'_, $db> {
            async fn narratives(&mut self, year: i32) -> Result<Vec<Narrative>> {
                let rows: Vec<Row> = sqlx::query_as(
                    "SELECT year, version, sections, signed_by, signed_on, note, saved_at, \
                     saved_by FROM year_end_narratives WHERE year = $1 AND agency_id = $2 \
                     ORDER BY version",
                )
                .bind(year)
                .bind(self.agency)
                .fetch_all(&mut *self.t)
                .await?;
                rows.into_iter().map(from_row).collect()
            }

            async fn insert_narrative(&mut self, n: &Narrative) -> Result<()> {
                sqlx::query(
                    "INSERT INTO year_end_narratives \
                     (year, version, sections, signed_by, signed_on, note, saved_at, saved_by, \
                     agency_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(n.year)
                .bind(i64::from(n.version))
                .bind(Json(&n.text.sections))
                .bind(&n.text.signed_by)
                .bind(n.text.signed_on)
                .bind(&n.note)
                .bind(n.saved_at)
                .bind(&n.saved_by)
                .bind(self.agency)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }
        }
    };
}

impl_narrative_conn!(sqlx::Sqlite);
impl_narrative_conn!(sqlx::Postgres);

fn check_year(year: i32) -> Result<()> {
    if (2008..=9999).contains(&year) {
        Ok(())
    } else {
        Err(StoreError::NotFound {
            what: "报告年度",
            id: year.to_string(),
        })
    }
}

/// Saves a version unless it says what the last one says (then the last one comes back
/// and nothing is written).
async fn save<C: NarrativeConn>(
    c: &mut C,
    year: i32,
    text: NarrativeText,
    note: Option<String>,
    stamp: &Stamp,
) -> Result<Narrative> {
    check_year(year)?;
    c.lock_numbering().await?;
    let me = crate::ops::actor(c, stamp).await?;
    if !matches!(me.role, Role::Clerk | Role::OfficeHead) {
        return Err(StoreError::Forbidden {
            user: me.name,
            role: me.role,
            action: "修改年度报告正文（应由信息员或办公室主任撰写）",
        });
    }
    let steps = c.review_steps("annual_report", &year.to_string()).await?;
    let status = review::status(&steps);
    if !matches!(status, ReviewStatus::NotSubmitted | ReviewStatus::SentBack) {
        return Err(StoreError::NarrativeLocked { year, status });
    }
    let versions = c.narratives(year).await?;
    if let Some(last) = versions.last()
        && last.text == text
    {
        return Ok(last.clone());
    }
    let n = Narrative {
        year,
        version: versions.len() as u32 + 1,
        text,
        note: note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
        saved_at: stamp.at,
        saved_by: me.name,
    };
    c.insert_narrative(&n).await?;
    let changed: Vec<u8> = {
        let before = versions.last().map(|v| &v.text);
        (1..=6)
            .filter(|s| before.and_then(|b| b.sections.get(s)) != n.text.sections.get(s))
            .collect()
    };
    c.insert_audit(
        stamp,
        "narrative.save",
        "annual_report",
        &year.to_string(),
        &serde_json::json!({
            "version": n.version,
            "sections_changed": changed,
            "signed_by": n.text.signed_by,
            "signed_on": n.text.signed_on,
            "note": n.note,
        }),
    )
    .await?;
    Ok(n)
}

impl Store {
    /// Saves a new version of `year`'s narrative (信息员 or 办公室主任; refused while the
    /// report is under review or approved). Saving what the last version says writes
    /// nothing and returns the last version.
    pub async fn save_narrative(
        &self,
        year: i32,
        text: NarrativeText,
        note: Option<String>,
        stamp: &Stamp,
    ) -> Result<Narrative> {
        tx!(self, write, |t| save(t, year, text, note, stamp))
    }

    /// Every saved version of `year`'s narrative, oldest first.
    pub async fn narratives(&self, year: i32) -> Result<Vec<Narrative>> {
        tx!(self, read, |t| t.narratives(year))
    }

    /// The version in force at `at` (the last saved by then; the latest if `at` is
    /// `None`), if any was saved.
    pub async fn narrative_as_of(
        &self,
        year: i32,
        at: Option<DateTime<Utc>>,
    ) -> Result<Option<Narrative>> {
        let all = self.narratives(year).await?;
        Ok(all
            .into_iter()
            .rev()
            .find(|n| at.is_none_or(|at| n.saved_at <= at)))
    }
}
