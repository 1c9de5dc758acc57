//! The register's SQL, once for both backends (as in `backend`): `impl_register_conn!`
//! stamps the same implementation out for a SQLite and a PostgreSQL transaction. Every
//! query names the transaction's agency.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_ledger::Vocabulary;
use gongkai_ledger::register::{Disclosure, ItemDraft, Outlet, Publication};
use sqlx::types::Json;

use crate::backend::Conn;
use crate::error::{Result, StoreError};
use crate::register::query::{self, ItemPage, ItemQuery};
use crate::register::{
    AttachmentMeta, AttachmentRemoval, AttachmentText, ItemVersion, PublicationRecord,
    RegisterItem, TimelineEntry, TimelineKind, VersionKind,
};

/// Binds a list query's parameters in order (as `backend`'s `bind_all!`).
macro_rules! bind_all {
    ($q:expr, $params:expr) => {{
        let mut q = $q;
        for p in $params {
            q = match p {
                crate::list::Param::Text(t) => q.bind(t.clone()),
                crate::list::Param::Date(d) => q.bind(*d),
                crate::list::Param::Int(i) => q.bind(*i),
            };
        }
        q
    }};
}

/// The columns of an item row (`i`) with its current version's hash (`v`).
pub(crate) const ITEM_COLUMNS: &str = "i.id, i.index_number, i.version, i.stage, i.title, \
    i.organ, i.formed_on, i.number, i.topic, i.genre, i.summary, i.disclosure, \
    i.withhold_basis, i.doc_kind, i.validity, i.valid_until, i.outlets, i.clock_from, \
    i.due_on, i.first_published_on, i.published_version, i.reassess_on, i.withdrawn_at, \
    i.created_at, i.created_by, i.updated_at, v.content_hash";

/// `FROM` an item with its current version.
pub(crate) const ITEM_FROM: &str = "register_items i JOIN register_versions v \
    ON v.agency_id = i.agency_id AND v.item_id = i.id AND v.version = i.version";

#[derive(sqlx::FromRow)]
pub(crate) struct ItemCols {
    id: i64,
    index_number: String,
    version: i64,
    stage: String,
    title: String,
    organ: String,
    formed_on: NaiveDate,
    number: Option<String>,
    topic: String,
    genre: String,
    summary: String,
    disclosure: String,
    withhold_basis: Option<String>,
    doc_kind: Option<String>,
    validity: Option<String>,
    valid_until: Option<NaiveDate>,
    outlets: String,
    clock_from: Option<NaiveDate>,
    due_on: Option<NaiveDate>,
    first_published_on: Option<NaiveDate>,
    published_version: Option<i64>,
    reassess_on: Option<NaiveDate>,
    withdrawn_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    created_by: String,
    updated_at: DateTime<Utc>,
    content_hash: String,
}

fn corrupt(id: i64, detail: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        what: format!("登记事项 {id}"),
        detail: detail.into(),
    }
}

fn vocab<T: Vocabulary>(id: i64, s: &str) -> Result<T> {
    T::parse(s).map_err(|e| corrupt(id, e.to_string()))
}

fn num(id: i64, n: i64) -> Result<u32> {
    u32::try_from(n).map_err(|_| corrupt(id, format!("序号 {n} 超出范围")))
}

impl ItemCols {
    pub(crate) fn into_item(self) -> Result<RegisterItem> {
        let id = self.id;
        let disclosure = match self.disclosure.as_str() {
            "proactive" => Disclosure::Proactive,
            "on_request" => Disclosure::OnRequest,
            "withheld" => Disclosure::Withheld {
                basis: vocab(id, self.withhold_basis.as_deref().unwrap_or_default())?,
            },
            other => return Err(corrupt(id, format!("公开属性“{other}”"))),
        };
        let outlets = self
            .outlets
            .split_whitespace()
            .map(|o| vocab::<Outlet>(id, o))
            .collect::<Result<Vec<_>>>()?;
        Ok(RegisterItem {
            id,
            index_number: self.index_number,
            version: num(id, self.version)?,
            stage: vocab(id, &self.stage)?,
            title: self.title,
            organ: self.organ,
            formed_on: self.formed_on,
            number: self.number,
            topic: self.topic,
            genre: self.genre,
            summary: self.summary,
            disclosure,
            doc_kind: self.doc_kind.as_deref().map(|k| vocab(id, k)).transpose()?,
            validity: self.validity.as_deref().map(|k| vocab(id, k)).transpose()?,
            valid_until: self.valid_until,
            outlets,
            clock_from: self.clock_from,
            due_on: self.due_on,
            first_published_on: self.first_published_on,
            published_version: self.published_version.map(|v| num(id, v)).transpose()?,
            reassess_on: self.reassess_on,
            withdrawn_at: self.withdrawn_at,
            content_hash: self.content_hash,
            created_at: self.created_at,
            created_by: self.created_by,
            updated_at: self.updated_at,
        })
    }
}

/// The stored form of an item's 公开属性: `(kind, basis)`.
fn disclosure_cols(d: &Disclosure) -> (&'static str, Option<&'static str>) {
    match d {
        Disclosure::Proactive => ("proactive", None),
        Disclosure::OnRequest => ("on_request", None),
        Disclosure::Withheld { basis } => ("withheld", Some(basis.name())),
    }
}

fn outlets_col(o: &[Outlet]) -> String {
    o.iter().map(|o| o.name()).collect::<Vec<_>>().join(" ")
}

type VersionRow = (
    i64,
    String,
    Json<ItemDraft>,
    String,
    Option<String>,
    DateTime<Utc>,
    String,
);
type PublicationRow = (
    i64,
    i64,
    String,
    String,
    NaiveDate,
    Option<String>,
    DateTime<Utc>,
    String,
);
type EventRow = (
    i64,
    i64,
    String,
    i64,
    Option<String>,
    Json<serde_json::Value>,
    DateTime<Utc>,
    String,
);
type AttachmentRow = (
    i64,
    i64,
    String,
    String,
    i64,
    String,
    DateTime<Utc>,
    String,
    Option<String>,
    Option<DateTime<Utc>>,
    Option<String>,
);

fn version_from(id: i64, r: VersionRow) -> Result<ItemVersion> {
    let (version, kind, Json(draft), content_hash, reason, recorded_at, recorded_by) = r;
    Ok(ItemVersion {
        version: num(id, version)?,
        kind: VersionKind::parse(&kind).ok_or_else(|| corrupt(id, format!("版本类型“{kind}”")))?,
        draft,
        content_hash,
        reason,
        recorded_at,
        recorded_by,
    })
}

fn publication_from(id: i64, r: PublicationRow) -> Result<PublicationRecord> {
    let (seq, version, outlet, account, published_on, url, recorded_at, recorded_by) = r;
    Ok(PublicationRecord {
        seq: num(id, seq)?,
        version: num(id, version)?,
        publication: Publication {
            outlet: vocab(id, &outlet)?,
            account,
            published_on,
            url,
        },
        recorded_at,
        recorded_by,
    })
}

fn event_from(id: i64, r: EventRow) -> Result<(i64, TimelineEntry)> {
    let (item, seq, kind, version, reason, Json(detail), at, by) = r;
    Ok((
        item,
        TimelineEntry {
            seq: num(id, seq)?,
            kind: TimelineKind::parse(&kind)
                .ok_or_else(|| corrupt(id, format!("记录类型“{kind}”")))?,
            version: num(id, version)?,
            reason,
            detail,
            at,
            by,
        },
    ))
}

fn attachment_from(id: i64, r: AttachmentRow) -> Result<AttachmentMeta> {
    let (seq, version, name, media_type, size, sha256, added_at, added_by, reason, at, by) = r;
    let removed = match (reason, at, by) {
        (Some(reason), Some(at), Some(by)) => Some(AttachmentRemoval { reason, at, by }),
        _ => None,
    };
    Ok(AttachmentMeta {
        removed,
        seq: num(id, seq)?,
        version: num(id, version)?,
        name,
        media_type,
        size: u64::try_from(size).unwrap_or(0),
        sha256,
        added_at,
        added_by,
    })
}

/// The register's primitives of one transaction.
pub(crate) trait RegisterConn: Conn + crate::review_item_db::ItemReviewConn {
    /// The agency's next item id.
    async fn next_item_id(&mut self) -> Result<i64>;
    /// The next 索引号 serial of `year` (0: the serial across years), counted.
    async fn next_serial(&mut self, year: i32) -> Result<i64>;
    async fn index_number_taken(&mut self, index_number: &str) -> Result<bool>;
    async fn insert_item(&mut self, item: &RegisterItem) -> Result<()>;
    /// Writes the row's state (everything but the id, the 索引号 and the creation).
    async fn update_item(&mut self, item: &RegisterItem) -> Result<()>;
    async fn item(&mut self, id: i64) -> Result<Option<RegisterItem>>;
    async fn item_by_index(&mut self, index_number: &str) -> Result<Option<RegisterItem>>;
    async fn insert_version(&mut self, id: i64, v: &ItemVersion) -> Result<()>;
    async fn versions(&mut self, id: i64) -> Result<Vec<ItemVersion>>;
    async fn insert_publication(&mut self, id: i64, p: &PublicationRecord) -> Result<()>;
    async fn publications(&mut self, id: i64) -> Result<Vec<PublicationRecord>>;
    async fn publications_in_year(&mut self, year: i32) -> Result<Vec<(i64, PublicationRecord)>>;
    async fn insert_timeline(&mut self, id: i64, e: &TimelineEntry) -> Result<()>;
    async fn timeline(&mut self, id: i64) -> Result<Vec<TimelineEntry>>;
    async fn events_of_kind(
        &mut self,
        kind: TimelineKind,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<(i64, TimelineEntry)>>;
    async fn insert_attachment(&mut self, id: i64, a: &AttachmentMeta, bytes: &[u8]) -> Result<()>;
    async fn attachments(&mut self, id: i64) -> Result<Vec<AttachmentMeta>>;
    async fn attachment_bytes(&mut self, id: i64, seq: u32) -> Result<Option<Vec<u8>>>;
    async fn insert_attachment_text(
        &mut self,
        id: i64,
        seq: u32,
        text: &AttachmentText,
        at: DateTime<Utc>,
    ) -> Result<()>;
    async fn attachment_texts(&mut self, id: i64) -> Result<Vec<(u32, AttachmentText)>>;
    async fn insert_attachment_removal(
        &mut self,
        id: i64,
        seq: u32,
        removal: &AttachmentRemoval,
    ) -> Result<()>;
    async fn list_items(&mut self, q: &ItemQuery) -> Result<ItemPage>;
}

macro_rules! impl_register_conn {
    ($db:ty) => {
        impl RegisterConn for crate::Tx<'_, $db> {
            async fn next_item_id(&mut self) -> Result<i64> {
                Ok(sqlx::query_scalar(
                    "SELECT COALESCE(MAX(id), 0) + 1 FROM register_items WHERE agency_id = $1",
                )
                .bind(self.agency)
                .fetch_one(&mut *self.t)
                .await?)
            }

            async fn next_serial(&mut self, year: i32) -> Result<i64> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO register_serials (agency_id, year, last) VALUES ($1, $2, 1) \
                     ON CONFLICT (agency_id, year) DO UPDATE SET last = register_serials.last + 1 \
                     RETURNING last",
                )
                .bind(self.agency)
                .bind(year)
                .fetch_one(&mut *self.t)
                .await?)
            }

            async fn index_number_taken(&mut self, index_number: &str) -> Result<bool> {
                let n: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM register_items WHERE agency_id = $1 AND index_number = $2",
                )
                .bind(self.agency)
                .bind(index_number)
                .fetch_optional(&mut *self.t)
                .await?;
                Ok(n.is_some())
            }

            async fn insert_item(&mut self, i: &RegisterItem) -> Result<()> {
                use chrono::Datelike;
                sqlx::query(
                    "INSERT INTO register_items (agency_id, id, index_number, version, stage, \
                     title, organ, formed_on, year, number, topic, genre, summary, disclosure, \
                     withhold_basis, doc_kind, validity, valid_until, outlets, clock_from, due_on, \
                     first_published_on, published_version, reassess_on, withdrawn_at, \
                     created_at, created_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
                     $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, \
                     $24, $25, $26, $27, $28)",
                )
                .bind(self.agency)
                .bind(i.id)
                .bind(&i.index_number)
                .bind(i64::from(i.version))
                .bind(i.stage.name())
                .bind(&i.title)
                .bind(&i.organ)
                .bind(i.formed_on)
                .bind(i.formed_on.year())
                .bind(&i.number)
                .bind(&i.topic)
                .bind(&i.genre)
                .bind(&i.summary)
                .bind(disclosure_cols(&i.disclosure).0)
                .bind(disclosure_cols(&i.disclosure).1)
                .bind(i.doc_kind.map(|k| k.name()))
                .bind(i.validity.map(|k| k.name()))
                .bind(i.valid_until)
                .bind(outlets_col(&i.outlets))
                .bind(i.clock_from)
                .bind(i.due_on)
                .bind(i.first_published_on)
                .bind(i.published_version.map(i64::from))
                .bind(i.reassess_on)
                .bind(i.withdrawn_at)
                .bind(i.created_at)
                .bind(&i.created_by)
                .bind(i.updated_at)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn update_item(&mut self, i: &RegisterItem) -> Result<()> {
                use chrono::Datelike;
                sqlx::query(
                    "UPDATE register_items SET version = $3, stage = $4, title = $5, organ = $6, \
                     formed_on = $7, year = $8, number = $9, topic = $10, genre = $11, \
                     summary = $12, disclosure = $13, withhold_basis = $14, doc_kind = $15, \
                     validity = $16, valid_until = $17, outlets = $18, clock_from = $19, \
                     due_on = $20, first_published_on = $21, published_version = $22, \
                     reassess_on = $23, withdrawn_at = $24, updated_at = $25 \
                     WHERE agency_id = $1 AND id = $2",
                )
                .bind(self.agency)
                .bind(i.id)
                .bind(i64::from(i.version))
                .bind(i.stage.name())
                .bind(&i.title)
                .bind(&i.organ)
                .bind(i.formed_on)
                .bind(i.formed_on.year())
                .bind(&i.number)
                .bind(&i.topic)
                .bind(&i.genre)
                .bind(&i.summary)
                .bind(disclosure_cols(&i.disclosure).0)
                .bind(disclosure_cols(&i.disclosure).1)
                .bind(i.doc_kind.map(|k| k.name()))
                .bind(i.validity.map(|k| k.name()))
                .bind(i.valid_until)
                .bind(outlets_col(&i.outlets))
                .bind(i.clock_from)
                .bind(i.due_on)
                .bind(i.first_published_on)
                .bind(i.published_version.map(i64::from))
                .bind(i.reassess_on)
                .bind(i.withdrawn_at)
                .bind(i.updated_at)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn item(&mut self, id: i64) -> Result<Option<RegisterItem>> {
                let sql = format!(
                    "SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} WHERE i.agency_id = $1 AND i.id = $2"
                );
                let row: Option<ItemCols> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(self.agency)
                    .bind(id)
                    .fetch_optional(&mut *self.t)
                    .await?;
                row.map(ItemCols::into_item).transpose()
            }

            async fn item_by_index(&mut self, index_number: &str) -> Result<Option<RegisterItem>> {
                let sql = format!(
                    "SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} \
                     WHERE i.agency_id = $1 AND i.index_number = $2"
                );
                let row: Option<ItemCols> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(self.agency)
                    .bind(index_number)
                    .fetch_optional(&mut *self.t)
                    .await?;
                row.map(ItemCols::into_item).transpose()
            }

            async fn insert_version(&mut self, id: i64, v: &ItemVersion) -> Result<()> {
                sqlx::query(
                    "INSERT INTO register_versions (agency_id, item_id, version, kind, data, \
                     content_hash, reason, recorded_at, recorded_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(self.agency)
                .bind(id)
                .bind(i64::from(v.version))
                .bind(v.kind.as_str())
                .bind(Json(&v.draft))
                .bind(&v.content_hash)
                .bind(&v.reason)
                .bind(v.recorded_at)
                .bind(&v.recorded_by)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn versions(&mut self, id: i64) -> Result<Vec<ItemVersion>> {
                let rows: Vec<VersionRow> = sqlx::query_as(
                    "SELECT version, kind, data, content_hash, reason, recorded_at, recorded_by \
                     FROM register_versions WHERE agency_id = $1 AND item_id = $2 ORDER BY version",
                )
                .bind(self.agency)
                .bind(id)
                .fetch_all(&mut *self.t)
                .await?;
                rows.into_iter().map(|r| version_from(id, r)).collect()
            }

            async fn insert_publication(&mut self, id: i64, p: &PublicationRecord) -> Result<()> {
                sqlx::query(
                    "INSERT INTO register_publications (agency_id, item_id, seq, version, outlet, \
                     account, published_on, url, recorded_at, recorded_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(self.agency)
                .bind(id)
                .bind(i64::from(p.seq))
                .bind(i64::from(p.version))
                .bind(p.publication.outlet.name())
                .bind(&p.publication.account)
                .bind(p.publication.published_on)
                .bind(&p.publication.url)
                .bind(p.recorded_at)
                .bind(&p.recorded_by)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn publications(&mut self, id: i64) -> Result<Vec<PublicationRecord>> {
                let rows: Vec<PublicationRow> = sqlx::query_as(
                    "SELECT seq, version, outlet, account, published_on, url, recorded_at, \
                     recorded_by FROM register_publications WHERE agency_id = $1 AND item_id = $2 \
                     ORDER BY seq",
                )
                .bind(self.agency)
                .bind(id)
                .fetch_all(&mut *self.t)
                .await?;
                rows.into_iter().map(|r| publication_from(id, r)).collect()
            }

            async fn publications_in_year(
                &mut self,
                year: i32,
            ) -> Result<Vec<(i64, PublicationRecord)>> {
                let (Some(from), Some(to)) = (
                    NaiveDate::from_ymd_opt(year, 1, 1),
                    NaiveDate::from_ymd_opt(year, 12, 31),
                ) else {
                    return Ok(Vec::new());
                };
                let rows: Vec<(i64, i64, i64, String, String, NaiveDate, Option<String>, DateTime<Utc>, String)> =
                    sqlx::query_as(
                        "SELECT item_id, seq, version, outlet, account, published_on, url, \
                         recorded_at, recorded_by FROM register_publications \
                         WHERE agency_id = $1 AND published_on >= $2 AND published_on <= $3 \
                         ORDER BY item_id, seq",
                    )
                    .bind(self.agency)
                    .bind(from)
                    .bind(to)
                    .fetch_all(&mut *self.t)
                    .await?;
                rows.into_iter()
                    .map(|(item, s, v, o, a, d, u, at, by)| {
                        Ok((item, publication_from(item, (s, v, o, a, d, u, at, by))?))
                    })
                    .collect()
            }

            async fn insert_timeline(&mut self, id: i64, e: &TimelineEntry) -> Result<()> {
                sqlx::query(
                    "INSERT INTO register_events (agency_id, item_id, seq, kind, version, reason, \
                     detail, at, actor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(self.agency)
                .bind(id)
                .bind(i64::from(e.seq))
                .bind(e.kind.as_str())
                .bind(i64::from(e.version))
                .bind(&e.reason)
                .bind(Json(&e.detail))
                .bind(e.at)
                .bind(&e.by)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn timeline(&mut self, id: i64) -> Result<Vec<TimelineEntry>> {
                let rows: Vec<EventRow> = sqlx::query_as(
                    "SELECT item_id, seq, kind, version, reason, detail, at, actor \
                     FROM register_events WHERE agency_id = $1 AND item_id = $2 ORDER BY seq",
                )
                .bind(self.agency)
                .bind(id)
                .fetch_all(&mut *self.t)
                .await?;
                rows.into_iter()
                    .map(|r| event_from(id, r).map(|(_, e)| e))
                    .collect()
            }

            async fn events_of_kind(
                &mut self,
                kind: TimelineKind,
                from: DateTime<Utc>,
                until: DateTime<Utc>,
            ) -> Result<Vec<(i64, TimelineEntry)>> {
                let rows: Vec<EventRow> = sqlx::query_as(
                    "SELECT item_id, seq, kind, version, reason, detail, at, actor \
                     FROM register_events WHERE agency_id = $1 AND kind = $2 AND at >= $3 \
                     AND at < $4 ORDER BY at, item_id, seq",
                )
                .bind(self.agency)
                .bind(kind.as_str())
                .bind(from)
                .bind(until)
                .fetch_all(&mut *self.t)
                .await?;
                rows.into_iter().map(|r| event_from(r.0, r)).collect()
            }

            async fn insert_attachment(
                &mut self,
                id: i64,
                a: &AttachmentMeta,
                bytes: &[u8],
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO register_attachments (agency_id, item_id, seq, version, name, \
                     media_type, size, sha256, content, added_at, added_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .bind(self.agency)
                .bind(id)
                .bind(i64::from(a.seq))
                .bind(i64::from(a.version))
                .bind(&a.name)
                .bind(&a.media_type)
                .bind(i64::try_from(a.size).unwrap_or(i64::MAX))
                .bind(&a.sha256)
                .bind(bytes)
                .bind(a.added_at)
                .bind(&a.added_by)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn attachments(&mut self, id: i64) -> Result<Vec<AttachmentMeta>> {
                let rows: Vec<AttachmentRow> = sqlx::query_as(
                    "SELECT a.seq, a.version, a.name, a.media_type, a.size, a.sha256, a.added_at, \
                     a.added_by, r.reason, r.removed_at, r.removed_by \
                     FROM register_attachments a LEFT JOIN register_attachment_removals r \
                     ON r.agency_id = a.agency_id AND r.item_id = a.item_id AND r.seq = a.seq \
                     WHERE a.agency_id = $1 AND a.item_id = $2 ORDER BY a.seq",
                )
                .bind(self.agency)
                .bind(id)
                .fetch_all(&mut *self.t)
                .await?;
                rows.into_iter().map(|r| attachment_from(id, r)).collect()
            }

            async fn attachment_bytes(&mut self, id: i64, seq: u32) -> Result<Option<Vec<u8>>> {
                Ok(sqlx::query_scalar(
                    "SELECT content FROM register_attachments \
                     WHERE agency_id = $1 AND item_id = $2 AND seq = $3",
                )
                .bind(self.agency)
                .bind(id)
                .bind(i64::from(seq))
                .fetch_optional(&mut *self.t)
                .await?)
            }

            async fn insert_attachment_text(
                &mut self,
                id: i64,
                seq: u32,
                text: &AttachmentText,
                at: DateTime<Utc>,
            ) -> Result<()> {
                let (status, body, note) = match text {
                    AttachmentText::Text { text } => ("text", text.as_str(), None),
                    AttachmentText::None { note } => ("none", "", Some(note.as_str())),
                };
                sqlx::query(
                    "INSERT INTO register_attachment_texts (agency_id, item_id, seq, status, text, \
                     chars, note, extracted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(self.agency)
                .bind(id)
                .bind(i64::from(seq))
                .bind(status)
                .bind(body)
                .bind(i64::try_from(body.chars().count()).unwrap_or(i64::MAX))
                .bind(note)
                .bind(at)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn attachment_texts(&mut self, id: i64) -> Result<Vec<(u32, AttachmentText)>> {
                let rows: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
                    "SELECT seq, status, text, note FROM register_attachment_texts \
                     WHERE agency_id = $1 AND item_id = $2 ORDER BY seq",
                )
                .bind(self.agency)
                .bind(id)
                .fetch_all(&mut *self.t)
                .await?;
                rows.into_iter()
                    .map(|(seq, status, text, note)| {
                        Ok((
                            num(id, seq)?,
                            if status == "text" {
                                AttachmentText::Text { text }
                            } else {
                                AttachmentText::None {
                                    note: note.unwrap_or_default(),
                                }
                            },
                        ))
                    })
                    .collect()
            }

            async fn insert_attachment_removal(
                &mut self,
                id: i64,
                seq: u32,
                r: &AttachmentRemoval,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO register_attachment_removals (agency_id, item_id, seq, reason, \
                     removed_at, removed_by) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(self.agency)
                .bind(id)
                .bind(i64::from(seq))
                .bind(&r.reason)
                .bind(r.at)
                .bind(&r.by)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn list_items(&mut self, q: &ItemQuery) -> Result<ItemPage> {
                let (count, rows) =
                    query::sql(q, self.agency, <$db as query::Dialect>::POSTGRES);
                // Built from fixed fragments only; every value is bound.
                let total: i64 = bind_all!(
                    sqlx::query_scalar::<$db, i64>(sqlx::AssertSqlSafe(count.text)),
                    &count.params
                )
                .fetch_one(&mut *self.t)
                .await?;
                let items: Vec<ItemCols> = bind_all!(
                    sqlx::query_as::<$db, ItemCols>(sqlx::AssertSqlSafe(rows.text)),
                    &rows.params
                )
                .fetch_all(&mut *self.t)
                .await?;
                Ok(ItemPage {
                    total: u64::try_from(total).unwrap_or(0),
                    items: items
                        .into_iter()
                        .map(ItemCols::into_item)
                        .collect::<Result<_>>()?,
                })
            }
        }
    };
}

impl_register_conn!(sqlx::Sqlite);
impl_register_conn!(sqlx::Postgres);

/// The database's plan of a list query (for the benches: which index each filter uses).
pub(crate) trait ExplainConn: Conn {
    /// The plans of the count and of the page, one line per step.
    async fn explain_items(&mut self, q: &ItemQuery) -> Result<Vec<String>>;
}

impl ExplainConn for crate::Tx<'_, sqlx::Sqlite> {
    async fn explain_items(&mut self, q: &ItemQuery) -> Result<Vec<String>> {
        let (count, rows) = query::sql(q, self.agency, false);
        let mut out = Vec::new();
        for query::Sql { text: sql, params } in [count, rows] {
            let sql = format!("EXPLAIN QUERY PLAN {sql}");
            let steps: Vec<(i64, i64, i64, String)> = bind_all!(
                sqlx::query_as::<sqlx::Sqlite, (i64, i64, i64, String)>(sqlx::AssertSqlSafe(sql)),
                &params
            )
            .fetch_all(&mut *self.t)
            .await?;
            out.extend(steps.into_iter().map(|s| s.3));
        }
        Ok(out)
    }
}

impl ExplainConn for crate::Tx<'_, sqlx::Postgres> {
    async fn explain_items(&mut self, q: &ItemQuery) -> Result<Vec<String>> {
        let (count, rows) = query::sql(q, self.agency, true);
        let mut out = Vec::new();
        for query::Sql { text: sql, params } in [count, rows] {
            let sql = format!("EXPLAIN (ANALYZE, COSTS OFF) {sql}");
            let steps: Vec<String> = bind_all!(
                sqlx::query_scalar::<sqlx::Postgres, String>(sqlx::AssertSqlSafe(sql)),
                &params
            )
            .fetch_all(&mut *self.t)
            .await?;
            out.extend(steps);
        }
        Ok(out)
    }
}
