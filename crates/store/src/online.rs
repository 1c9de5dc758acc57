//! Applications the public submits online (issue 17 §3, migration 0026): registered in
//! the ledger like any other application — in the same transaction as the row that lets
//! the applicant follow it by 查询码 and phone number — stamped with the public's name
//! ([`PUBLIC_ACTOR`]) and audited with the client's address.
//!
//! Only digests are stored: the 查询码's and the phone number's (SHA-256, each salted with
//! the agency and the other's purpose), so a leaked table reveals neither.

use chrono::{DateTime, Utc};
use gongkai_ledger::Application;
use serde_json::json;

use crate::Store;
use crate::error::Result;
use crate::model::Stamp;
use crate::online_files::NewOnlineFile;
use crate::ops::{self, NewApplication};

/// The name online submissions are recorded and audited under.
pub const PUBLIC_ACTOR: &str = "公众（网上申请）";

/// How the applicant will find the application again: digests of the code and phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlineAccess {
    pub code_hash: String,
    pub phone_hash: String,
    /// The client's address (for the audit).
    pub client: String,
}

/// Reads and appends the rows (inside the store's transactions).
pub(crate) trait OnlineConn {
    async fn insert_online(
        &mut self,
        application: &str,
        access: &OnlineAccess,
        at: DateTime<Utc>,
    ) -> Result<()>;
    async fn online_application_id(
        &mut self,
        code_hash: &str,
        phone_hash: &str,
    ) -> Result<Option<String>>;
}

macro_rules! impl_online_conn {
    ($db:ty) => {
        impl OnlineConn for crate::Tx<'_, $db> {
            async fn insert_online(
                &mut self,
                application: &str,
                access: &OnlineAccess,
                at: DateTime<Utc>,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO online_applications (agency_id, application_id, code_hash, \
                     phone_hash, submitted_at, client) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(self.agency)
                .bind(application)
                .bind(&access.code_hash)
                .bind(&access.phone_hash)
                .bind(at)
                .bind(&access.client)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn online_application_id(
                &mut self,
                code_hash: &str,
                phone_hash: &str,
            ) -> Result<Option<String>> {
                let row: Option<(String,)> = sqlx::query_as(
                    "SELECT application_id FROM online_applications \
                     WHERE agency_id = $1 AND code_hash = $2 AND phone_hash = $3",
                )
                .bind(self.agency)
                .bind(code_hash)
                .bind(phone_hash)
                .fetch_optional(&mut *self.t)
                .await?;
                Ok(row.map(|r| r.0))
            }
        }
    };
}

impl_online_conn!(sqlx::Sqlite);
impl_online_conn!(sqlx::Postgres);

impl Store {
    /// Registers an application submitted online, with the row that lets its applicant
    /// follow it; all or nothing. `stamp.user` is [`PUBLIC_ACTOR`].
    pub async fn register_online(
        &self,
        new: NewApplication,
        access: &OnlineAccess,
        stamp: &Stamp,
    ) -> Result<Application> {
        self.register_online_with(new, access, &[], stamp).await
    }

    /// [`Store::register_online`] with the identity documents uploaded on the form, kept
    /// with the application ([`crate::online_files`]); and the applicant's e-mail notice
    /// of the receipt, if one is due ([`crate::mail`]). All or nothing.
    pub async fn register_online_with(
        &self,
        new: NewApplication,
        access: &OnlineAccess,
        files: &[NewOnlineFile],
        stamp: &Stamp,
    ) -> Result<Application> {
        let env = self.env();
        tx!(self, write, |c| async {
            let app = ops::register_as(c, &env, new, stamp).await?;
            c.insert_online(&app.id.0, access, stamp.at).await?;
            crate::online_files::insert(c, &app.id.0, files, stamp).await?;
            for e in &app.events {
                crate::mail::enqueue(c, &app, e, stamp.at).await?;
            }
            ops::audit(
                c,
                stamp,
                "application.online",
                "application",
                &app.id.0,
                json!({ "client": access.client }),
            )
            .await?;
            Ok(app)
        })
    }

    /// The applicant's correction (补正, art. 30) submitted online for the application with
    /// this 查询码 and phone digest: a `Corrected` event dated `stamp`'s day with the text as
    /// its note, checked by the ledger like any other (an open request is needed); `None`
    /// when no application has this pair.
    pub async fn correct_online(
        &self,
        code_hash: &str,
        phone_hash: &str,
        text: &str,
        stamp: &Stamp,
    ) -> Result<Option<Application>> {
        let env = self.env();
        tx!(self, write, |c| async {
            let Some(id) = c.online_application_id(code_hash, phone_hash).await? else {
                return Ok(None);
            };
            let id = gongkai_ledger::ApplicationId(id);
            let input = crate::model::EventInput {
                date: stamp.today(),
                kind: gongkai_ledger::EventKind::Corrected,
                note: Some(format!("申请人网上补正：{text}")),
            };
            ops::append_as(c, &env, &id, input, stamp).await?;
            Ok(Some(ops::application(c, &id.0).await?))
        })
    }

    /// The application with this 查询码 and phone digest, if there is one.
    pub async fn online_application(
        &self,
        code_hash: &str,
        phone_hash: &str,
    ) -> Result<Option<Application>> {
        tx!(self, read, |c| async {
            match c.online_application_id(code_hash, phone_hash).await? {
                Some(id) => Ok(Some(ops::application(c, &id).await?)),
                None => Ok(None),
            }
        })
    }
}
