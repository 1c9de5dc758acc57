//! Reply letter templates in versions (table `letter_template_versions`, migration 0009).
//! The text in force stays in `letter_templates` (what letters and the review digest read);
//! every change adds a version and an audit row in the same transaction, and versions are
//! never changed or deleted (the schema refuses it). Three kinds of change:
//!
//! * a save (`edit`, audited `template.set`): the text written;
//! * a restore (`restore`, `template.restore`): an earlier version's text, as a new version;
//! * the built-in text (`default`, `template.default`): the key's row in `letter_templates`
//!   is removed, so the letter uses the built-in text again (and the review digest is the
//!   one of a letter without an office template); the version records the built-in text the
//!   caller passed, for the history.
//!
//! Who may: the office head and the administrator (`Role::can_configure`), checked here as in
//! every write. What a template may say (placeholders) is the service's
//! (`gongkai_service::templates`): the store keeps any text.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::backend::Conn;
use crate::error::{Result, StoreError};
use crate::model::{LetterTemplate, Stamp};
use crate::{Store, ops};

/// How a version's text came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateOrigin {
    /// Written (a save).
    Edit,
    /// An earlier version brought back ([`TemplateVersion::restored_from`]).
    Restore,
    /// The built-in text restored.
    Default,
}

impl TemplateOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateOrigin::Edit => "edit",
            TemplateOrigin::Restore => "restore",
            TemplateOrigin::Default => "default",
        }
    }

    /// `修改`, `恢复旧版本`, `恢复默认文本`.
    pub fn label_zh(self) -> &'static str {
        match self {
            TemplateOrigin::Edit => "修改",
            TemplateOrigin::Restore => "恢复旧版本",
            TemplateOrigin::Default => "恢复默认文本",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Self::Edit, Self::Restore, Self::Default]
            .into_iter()
            .find(|o| o.as_str() == s)
    }

    fn audit_action(self) -> &'static str {
        match self {
            TemplateOrigin::Edit => "template.set",
            TemplateOrigin::Restore => "template.restore",
            TemplateOrigin::Default => "template.default",
        }
    }
}

/// One saved version of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateVersion {
    pub key: String,
    /// 1, 2, … in the order saved.
    pub version: u32,
    pub title: String,
    pub body: String,
    pub origin: TemplateOrigin,
    /// The version a restore brought back.
    pub restored_from: Option<u32>,
    /// What changed, in the writer's words (optional).
    pub note: Option<String>,
    pub saved_at: DateTime<Utc>,
    pub saved_by: String,
}

/// A change to make: the text and how it came about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateChange {
    pub title: String,
    pub body: String,
    pub origin: TemplateOrigin,
    pub restored_from: Option<u32>,
    pub note: Option<String>,
}

type Row = (
    String,
    i64,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    DateTime<Utc>,
    String,
);

fn number(key: &str, n: i64) -> Result<u32> {
    u32::try_from(n).map_err(|_| StoreError::Corrupt {
        what: format!("答复书模板 {key}"),
        detail: format!("版本号 {n} 超出范围"),
    })
}

fn from_row(r: Row) -> Result<TemplateVersion> {
    let (key, version, title, body, origin, restored_from, note, saved_at, saved_by) = r;
    let origin = TemplateOrigin::parse(&origin).ok_or_else(|| StoreError::Corrupt {
        what: format!("答复书模板 {key}"),
        detail: format!("未知的来源“{origin}”"),
    })?;
    Ok(TemplateVersion {
        version: number(&key, version)?,
        restored_from: restored_from.map(|n| number(&key, n)).transpose()?,
        key,
        title,
        body,
        origin,
        note,
        saved_at,
        saved_by,
    })
}

/// The SQL of the versions, once for both backends (as in `backend`).
pub(crate) trait TemplateConn: Conn {
    async fn template_versions(&mut self, key: &str) -> Result<Vec<TemplateVersion>>;
    async fn insert_template_version(&mut self, v: &TemplateVersion) -> Result<()>;
    async fn delete_template(&mut self, key: &str) -> Result<u64>;
}

macro_rules! impl_template_conn {
    ($db:ty) => {
        impl TemplateConn for crate::Tx<'_, $db> {
            async fn template_versions(&mut self, key: &str) -> Result<Vec<TemplateVersion>> {
                let rows: Vec<Row> = sqlx::query_as(
                    "SELECT key, version, title, body, origin, restored_from, note, saved_at, \
                     saved_by FROM letter_template_versions WHERE key = $1 AND agency_id = $2 \
                     ORDER BY version",
                )
                .bind(key)
                .bind(self.agency)
                .fetch_all(&mut *self.t)
                .await?;
                rows.into_iter().map(from_row).collect()
            }

            async fn insert_template_version(&mut self, v: &TemplateVersion) -> Result<()> {
                sqlx::query(
                    "INSERT INTO letter_template_versions \
                     (key, version, title, body, origin, restored_from, note, saved_at, saved_by, \
                     agency_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(&v.key)
                .bind(i64::from(v.version))
                .bind(&v.title)
                .bind(&v.body)
                .bind(v.origin.as_str())
                .bind(v.restored_from.map(i64::from))
                .bind(&v.note)
                .bind(v.saved_at)
                .bind(&v.saved_by)
                .bind(self.agency)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn delete_template(&mut self, key: &str) -> Result<u64> {
                let r = sqlx::query("DELETE FROM letter_templates WHERE key = $1 AND agency_id = $2")
                    .bind(key)
                    .bind(self.agency)
                    .execute(&mut *self.t)
                    .await?;
                Ok(r.rows_affected())
            }
        }
    };
}

impl_template_conn!(sqlx::Sqlite);
impl_template_conn!(sqlx::Postgres);

/// Applies `change` to template `key`: the row in force (replaced, or removed for the
/// built-in text), a new version and the audit row. `None` when nothing changes: the text
/// in force is the same (a save of an unchanged form, the built-in text restored while no
/// office text is in force).
async fn apply<C: TemplateConn>(
    c: &mut C,
    key: &str,
    change: TemplateChange,
    stamp: &Stamp,
) -> Result<Option<TemplateVersion>> {
    let me = ops::actor(c, stamp).await?;
    ops::require(
        &me,
        me.any(crate::model::Role::can_configure),
        "修改答复书模板",
    )?;
    c.lock_numbering().await?;
    let key = key.trim();
    if key.is_empty() {
        return Err(gongkai_ledger::LedgerError::EmptyField {
            field: "模板代码"
        }
        .into());
    }
    if change.body.trim().is_empty() {
        return Err(gongkai_ledger::LedgerError::EmptyField {
            field: "模板正文"
        }
        .into());
    }
    let before = c.template(key).await?;
    let unchanged = match (&before, change.origin) {
        (None, TemplateOrigin::Default) => true,
        (Some(b), TemplateOrigin::Edit | TemplateOrigin::Restore) => {
            b.title == change.title && b.body == change.body
        }
        _ => false,
    };
    if unchanged {
        return Ok(None);
    }
    let versions = c.template_versions(key).await?;
    let v = TemplateVersion {
        key: key.to_string(),
        version: versions.last().map_or(1, |l| l.version + 1),
        title: change.title,
        body: change.body,
        origin: change.origin,
        restored_from: change.restored_from,
        note: change
            .note
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty()),
        saved_at: stamp.at,
        saved_by: me.name.clone(),
    };
    let after = if v.origin == TemplateOrigin::Default {
        c.delete_template(key).await?;
        None
    } else {
        let t = LetterTemplate {
            key: key.to_string(),
            title: v.title.clone(),
            body: v.body.clone(),
            updated_at: stamp.at,
            updated_by: me.name.clone(),
        };
        c.upsert_template(&t).await?;
        Some(t)
    };
    c.insert_template_version(&v).await?;
    ops::audit(
        c,
        stamp,
        v.origin.audit_action(),
        "template",
        key,
        json!({
            "version": v.version,
            "origin": v.origin,
            "restored_from": v.restored_from,
            "note": v.note,
            "before": before,
            "after": after,
        }),
    )
    .await?;
    Ok(Some(v))
}

impl Store {
    /// Changes template `key` (office head or admin): replaces the text in force or, for
    /// [`TemplateOrigin::Default`], removes it; adds a version and an audit row. `None`
    /// when the text in force is already the one given (nothing written).
    pub async fn change_template(
        &self,
        key: &str,
        change: TemplateChange,
        stamp: &Stamp,
    ) -> Result<Option<TemplateVersion>> {
        tx!(self, write, |t| apply(t, key, change, stamp))
    }

    /// Every version of template `key`, oldest first.
    pub async fn template_versions(&self, key: &str) -> Result<Vec<TemplateVersion>> {
        tx!(self, read, |t| t.template_versions(key))
    }
}
