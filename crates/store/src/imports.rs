//! Imports (导入) in one transaction: the applications and documents a sheet's plan
//! ([`gongkai_ledger::import`]) brings, each checked again by the ledger, with a row in
//! `import_keys` (migration 0011) per created record, an audit row per application or
//! document and one for the import; the column mapping of each import kind and the
//! opening balances ([`gongkai_ledger::Opening`]) kept in the agency's settings (`agency_settings`).
//!
//! A row whose identity is already known — imported before (`import_keys`), or the
//! identity of an application or document already in the ledger (typed, or exported and
//! brought back) — is skipped and reported with the id it matches.

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;
use gongkai_ledger::import::{
    ImportKind, Mapping, PlannedApplication, PlannedDocument, document_identity, identity_of,
};
use gongkai_ledger::{ApplicationId, Context, Opening, ProactiveData, ProactiveRecord};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::Store;
use crate::agencies::AgencyConn as _;
use crate::backend::Conn;
use crate::error::{Result, StoreError};
use crate::model::Stamp;
use crate::ops::{self, Env, actor, audit, require};

const META_OPENING: &str = "opening";

fn mapping_key(kind: ImportKind) -> String {
    format!("import_mapping:{}", kind.name())
}

/// The stored key of an identity: its SHA-256 in hex.
pub fn key_hash(identity: &str) -> String {
    crate::auth::sha256_hex(identity.as_bytes())
}

/// What an import writes: the plan's records and the file's name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportBatch {
    /// The file's name (for notes, `import_keys.source` and the audit).
    pub source: String,
    /// The SHA-256 of the file, for the audit.
    #[serde(default)]
    pub sha256: String,
    pub applications: Vec<PlannedApplication>,
    pub documents: Vec<PlannedDocument>,
}

/// What an import did: per sheet row, the id created or the id it matched.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOutcome {
    /// `(row, id)` of each record created.
    pub created: Vec<(usize, String)>,
    /// `(row, id)` of each row already in the ledger (nothing written).
    pub existing: Vec<(usize, String)>,
}

/// Which identities the ledger already has: key hash → the id.
pub type KnownKeys = HashMap<String, String>;

/// The SQL of `import_keys`, once for both backends.
pub(crate) trait ImportConn: Conn {
    async fn import_keys(&mut self) -> Result<Vec<(String, String)>>;
    async fn insert_import_key(
        &mut self,
        key: &str,
        kind: &str,
        target: &str,
        source: &str,
        stamp: &Stamp,
    ) -> Result<()>;
}

macro_rules! impl_import_conn {
    ($db:ty) => {
        impl ImportConn for crate::Tx<'_, $db> {
            async fn import_keys(&mut self) -> Result<Vec<(String, String)>> {
                Ok(sqlx::query_as("SELECT key, target_id FROM import_keys WHERE agency_id = $1")
                    .bind(self.agency)
                    .fetch_all(&mut *self.t)
                    .await?)
            }

            async fn insert_import_key(
                &mut self,
                key: &str,
                kind: &str,
                target: &str,
                source: &str,
                stamp: &Stamp,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO import_keys (key, kind, target_id, source, imported_at, imported_by, \
                     agency_id) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(key)
                .bind(kind)
                .bind(target)
                .bind(source)
                .bind(stamp.at)
                .bind(&stamp.user)
                .bind(self.agency)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }
        }
    };
}

impl_import_conn!(sqlx::Sqlite);
impl_import_conn!(sqlx::Postgres);

pub(crate) async fn opening<C: Conn>(c: &mut C) -> Result<Option<Opening>> {
    match c.setting(META_OPENING).await? {
        None => Ok(None),
        Some(s) if s == "null" => Ok(None),
        Some(s) => serde_json::from_str(&s)
            .map(Some)
            .map_err(|e| StoreError::Corrupt {
                what: "期初数".into(),
                detail: e.to_string(),
            }),
    }
}

async fn known<C: ImportConn>(c: &mut C) -> Result<KnownKeys> {
    let mut keys: KnownKeys = c.import_keys().await?.into_iter().collect();
    for app in ops::applications(c).await? {
        if let Some(i) = identity_of(&app) {
            keys.entry(key_hash(&i)).or_insert(app.id.0);
        }
    }
    for rec in c.all_proactive().await? {
        if let ProactiveData::Document(d) = &rec.data {
            keys.entry(key_hash(&document_identity(d)))
                .or_insert(rec.id.clone());
        }
    }
    Ok(keys)
}

async fn import<C: ImportConn>(
    c: &mut C,
    env: &Env<'_>,
    batch: &ImportBatch,
    stamp: &Stamp,
) -> Result<ImportOutcome> {
    let me = actor(c, stamp).await?;
    require(&me, me.any(crate::model::Role::can_record), "导入台账")?;
    c.lock_numbering().await?;
    let settings = ops::settings(c).await?;
    let ctx = Context::new(env.calendar, settings, stamp.today());
    // Nothing to write (a sheet imported before): no need to read the ledger's keys.
    let mut keys = if batch.applications.is_empty() && batch.documents.is_empty() {
        KnownKeys::new()
    } else {
        known(c).await?
    };
    let mut out = ImportOutcome::default();

    // Applications: the next YYYY-NNNN of the year of receipt, counted once per year.
    let mut next: BTreeMap<i32, u32> = BTreeMap::new();
    for app in &batch.applications {
        let key = key_hash(&app.key);
        if let Some(id) = keys.get(&key) {
            out.existing.push((app.row, id.clone()));
            continue;
        }
        let year = app.received().year();
        let n = match next.get(&year) {
            Some(n) => *n,
            None => {
                let prefix = format!("{year}-");
                c.application_ids_with_prefix(&prefix)
                    .await?
                    .iter()
                    .filter_map(|id| id[prefix.len()..].parse::<u32>().ok())
                    .max()
                    .unwrap_or(0)
            }
        } + 1;
        next.insert(year, n);
        let id = ApplicationId(format!("{year}-{n:04}"));
        let stored = app
            .build(id.clone(), &ctx, stamp.at, &stamp.user)
            .map_err(|e| StoreError::ImportRow {
                row: app.row,
                detail: e.to_string(),
            })?;
        c.insert_application(&stored, stamp.at, &stamp.user).await?;
        for e in &stored.events {
            c.insert_event(&id.0, e).await?;
        }
        let source = format!("{} 第 {} 行", batch.source, app.row);
        c.insert_import_key(&key, "application", &id.0, &source, stamp)
            .await?;
        audit(
            c,
            stamp,
            "application.import",
            "application",
            &id.0,
            json!({ "source": source, "applicant": stored.applicant, "request": stored.request,
                    "events": stored.events.len() }),
        )
        .await?;
        keys.insert(key, id.0.clone());
        out.created.push((app.row, id.0));
    }

    // Documents: ids 导入文件-NNNN.
    let prefix = "导入文件-";
    let mut n = c
        .all_proactive()
        .await?
        .iter()
        .filter_map(|r| r.id.strip_prefix(prefix)?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    for doc in &batch.documents {
        let key = key_hash(&doc.key);
        if let Some(id) = keys.get(&key) {
            out.existing.push((doc.row, id.clone()));
            continue;
        }
        n += 1;
        let id = format!("{prefix}{n:04}");
        let record = ProactiveRecord {
            id: id.clone(),
            data: ProactiveData::Document(doc.record.clone()),
            recorded_at: stamp.at,
            recorded_by: Some(stamp.user.clone()),
            supersedes: None,
        };
        c.insert_proactive(&record, stamp.at).await?;
        let source = format!("{} 第 {} 行", batch.source, doc.row);
        c.insert_import_key(&key, "document", &id, &source, stamp)
            .await?;
        audit(
            c,
            stamp,
            "proactive.import",
            "proactive",
            &id,
            json!({ "source": source, "record": record }),
        )
        .await?;
        keys.insert(key, id.clone());
        out.created.push((doc.row, id));
    }
    audit(
        c,
        stamp,
        "import.run",
        "import",
        &batch.source,
        json!({
            "file": batch.source,
            "sha256": batch.sha256,
            "created": out.created.len(),
            "existing": out.existing.len(),
        }),
    )
    .await?;
    Ok(out)
}

async fn set_mapping<C: Conn>(
    c: &mut C,
    kind: ImportKind,
    mapping: &Mapping,
    stamp: &Stamp,
) -> Result<()> {
    let me = actor(c, stamp).await?;
    require(
        &me,
        me.any(crate::model::Role::can_record),
        "保存导入的列对应",
    )?;
    let key = mapping_key(kind);
    let old: Option<Mapping> = c
        .setting(&key)
        .await?
        .and_then(|s| serde_json::from_str(&s).ok());
    if old.as_ref() == Some(mapping) {
        return Ok(());
    }
    c.set_setting(&key, &serde_json::to_string(mapping).unwrap_or_default())
        .await?;
    audit(
        c,
        stamp,
        "import.mapping",
        "import",
        kind.name(),
        json!({ "before": old, "after": mapping }),
    )
    .await
}

async fn set_opening<C: Conn>(c: &mut C, new: Option<&Opening>, stamp: &Stamp) -> Result<()> {
    let me = actor(c, stamp).await?;
    require(&me, me.any(crate::model::Role::can_record), "设置期初数")?;
    if let Some(o) = new {
        o.check()
            .map_err(|detail| StoreError::ImportRow { row: 0, detail })?;
    }
    let old = opening(c).await?;
    c.set_setting(
        META_OPENING,
        &serde_json::to_string(&new).unwrap_or_else(|_| "null".into()),
    )
    .await?;
    audit(
        c,
        stamp,
        "opening.set",
        "ledger",
        "opening",
        json!({ "before": old, "after": new }),
    )
    .await
}

impl Store {
    /// Imports a plan's records in one transaction (信息员, 办公室主任 or 管理员): rows
    /// already in the ledger are skipped; an application the ledger refuses now (it
    /// passed the preview) rolls the whole import back.
    pub async fn import(&self, batch: &ImportBatch, stamp: &Stamp) -> Result<ImportOutcome> {
        let env = self.env();
        tx!(self, write, |t| import(t, &env, batch, stamp))
    }

    /// The identities already in the ledger (key hash → id), for a preview.
    pub async fn known_import_keys(&self) -> Result<KnownKeys> {
        tx!(self, read, |t| known(t))
    }

    /// The saved column mapping of `kind` (empty if none was saved).
    pub async fn import_mapping(&self, kind: ImportKind) -> Result<Mapping> {
        let key = mapping_key(kind);
        let text = tx!(self, read, |t| t.setting(&key))?;
        Ok(text
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default())
    }

    /// Saves the column mapping of `kind` (audited when it changed).
    pub async fn set_import_mapping(
        &self,
        kind: ImportKind,
        mapping: &Mapping,
        stamp: &Stamp,
    ) -> Result<()> {
        tx!(self, write, |t| set_mapping(t, kind, mapping, stamp))
    }

    /// The opening balances, if set.
    pub async fn opening(&self) -> Result<Option<Opening>> {
        tx!(self, read, |t| opening(t))
    }

    /// Sets (or, with `None`, clears) the opening balances; audited.
    pub async fn set_opening(&self, new: Option<&Opening>, stamp: &Stamp) -> Result<()> {
        tx!(self, write, |t| set_opening(t, new, stamp))
    }
}
