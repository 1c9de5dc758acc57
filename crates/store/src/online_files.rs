//! The identity documents (证件扫描件) uploaded with an online application (issue 17 §3,
//! migration 0027): stored in the transaction that registers the application, listed and
//! downloaded by the office's staff who may see an applicant's identity
//! ([`crate::Role::can_see_identity`]), each download audited. Never shown publicly.

use serde_json::json;

use crate::backend::Conn;
use crate::error::{Result, StoreError};
use crate::model::Stamp;
use crate::{Store, ops};

/// A file to keep with an application (checked by the service: type, size).
#[derive(Clone, PartialEq, Eq)]
pub struct NewOnlineFile {
    /// The name as uploaded (for the download only; the type is told by the bytes).
    pub file_name: String,
    /// `image/jpeg`, `image/png` or `application/pdf`.
    pub media_type: String,
    pub content: Vec<u8>,
}

impl std::fmt::Debug for NewOnlineFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewOnlineFile")
            .field("file_name", &self.file_name)
            .field("media_type", &self.media_type)
            .field("size", &self.content.len())
            .finish()
    }
}

/// A kept file, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OnlineFile {
    pub seq: i32,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
}

/// Writes the files of a new online application (`crate::online`).
pub(crate) async fn insert<C: Conn>(
    c: &mut C,
    application: &str,
    files: &[NewOnlineFile],
    stamp: &Stamp,
) -> Result<()> {
    for (i, f) in files.iter().enumerate() {
        let seq = i32::try_from(i + 1).unwrap_or(i32::MAX);
        let sha = crate::auth::sha256_hex(&f.content);
        c.insert_online_file(application, seq, f, &sha).await?;
        ops::audit(
            c,
            stamp,
            "online_file.add",
            "application",
            application,
            json!({ "seq": seq, "name": f.file_name, "type": f.media_type,
                    "size": f.content.len(), "sha256": sha }),
        )
        .await?;
    }
    Ok(())
}

type FileRow = (i32, String, String, i64, String);

/// The rows (a supertrait of `Conn`).
pub(crate) trait OnlineFileConn: Send {
    async fn insert_online_file(
        &mut self,
        application: &str,
        seq: i32,
        f: &NewOnlineFile,
        sha256: &str,
    ) -> Result<()>;
    async fn online_files(&mut self, application: &str) -> Result<Vec<OnlineFile>>;
    async fn online_file_content(
        &mut self,
        application: &str,
        seq: i32,
    ) -> Result<Option<(OnlineFile, Vec<u8>)>>;
}

macro_rules! impl_online_file_conn {
    ($db:ty) => {
        impl OnlineFileConn for crate::Tx<'_, $db> {
            async fn insert_online_file(
                &mut self,
                application: &str,
                seq: i32,
                f: &NewOnlineFile,
                sha256: &str,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO online_files (agency_id, application_id, seq, file_name, \
                     media_type, size, sha256, content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(self.agency)
                .bind(application)
                .bind(seq)
                .bind(&f.file_name)
                .bind(&f.media_type)
                .bind(i64::try_from(f.content.len()).unwrap_or(i64::MAX))
                .bind(sha256)
                .bind(&f.content)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn online_files(&mut self, application: &str) -> Result<Vec<OnlineFile>> {
                let rows: Vec<FileRow> = sqlx::query_as(
                    "SELECT seq, file_name, media_type, size, sha256 FROM online_files \
                     WHERE agency_id = $1 AND application_id = $2 ORDER BY seq",
                )
                .bind(self.agency)
                .bind(application)
                .fetch_all(&mut *self.t)
                .await?;
                Ok(rows.into_iter().map(file).collect())
            }

            async fn online_file_content(
                &mut self,
                application: &str,
                seq: i32,
            ) -> Result<Option<(OnlineFile, Vec<u8>)>> {
                let row: Option<(i32, String, String, i64, String, Vec<u8>)> = sqlx::query_as(
                    "SELECT seq, file_name, media_type, size, sha256, content FROM online_files \
                     WHERE agency_id = $1 AND application_id = $2 AND seq = $3",
                )
                .bind(self.agency)
                .bind(application)
                .bind(seq)
                .fetch_optional(&mut *self.t)
                .await?;
                Ok(row.map(|r| (file((r.0, r.1, r.2, r.3, r.4)), r.5)))
            }
        }
    };
}

impl_online_file_conn!(sqlx::Sqlite);
impl_online_file_conn!(sqlx::Postgres);

fn file(r: FileRow) -> OnlineFile {
    OnlineFile {
        seq: r.0,
        file_name: r.1,
        media_type: r.2,
        size: r.3,
        sha256: r.4,
    }
}

fn may_see(user: &crate::model::User) -> bool {
    user.any(crate::model::Role::can_see_identity)
}

impl Store {
    /// The files kept with an online application (staff who may see identities; others
    /// get an empty list).
    pub async fn online_files(&self, application: &str, stamp: &Stamp) -> Result<Vec<OnlineFile>> {
        tx!(self, read, |c| async {
            let me = ops::actor(c, stamp).await?;
            if !may_see(&me) {
                return Ok(Vec::new());
            }
            c.online_files(application).await
        })
    }

    /// One file with its bytes, for a download by staff who may see identities; audited
    /// (`online_file.download`).
    pub async fn online_file(
        &self,
        application: &str,
        seq: i32,
        stamp: &Stamp,
    ) -> Result<(OnlineFile, Vec<u8>)> {
        tx!(self, write, |c| async {
            let me = ops::actor(c, stamp).await?;
            ops::require(&me, may_see(&me), "查看申请人的身份证明文件")?;
            let (f, bytes) = c
                .online_file_content(application, seq)
                .await?
                .ok_or_else(|| StoreError::NotFound {
                    what: "身份证明文件",
                    id: format!("{application}/{seq}"),
                })?;
            ops::audit(
                c,
                stamp,
                "online_file.download",
                "application",
                application,
                json!({ "seq": seq, "name": f.file_name, "sha256": f.sha256 }),
            )
            .await?;
            Ok((f, bytes))
        })
    }
}
