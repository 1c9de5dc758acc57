//! The two legs of the store tests: a SQLite file in a temporary directory, and a fresh
//! database on the PostgreSQL server of `GONGKAI_TEST_POSTGRES_URL`
//! (`scripts/postgres-test-server` starts one). Without the variable the PostgreSQL tests
//! pass without running (they say so on stderr) unless `GONGKAI_REQUIRE_POSTGRES` is set,
//! as `scripts/test` does on CI.

#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_ledger::{
    Applicant, ApplicantKind, ApplicationId, Channel, Contact, EventKind, IdDocument, Identity,
    InformationRequest,
};
use gongkai_store::{EventInput, NewApplication, NewUser, Role, Stamp, Store};
use sqlx::Connection;

pub const POSTGRES_URL_VAR: &str = "GONGKAI_TEST_POSTGRES_URL";

pub struct TestDb {
    pub store: Store,
    /// The URL the store was opened with.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    /// `(server URL, database name)` of a PostgreSQL database to drop at the end.
    pg: Option<(String, String)>,
}

impl TestDb {
    /// Closes the store and drops the PostgreSQL database.
    pub async fn finish(self) {
        self.store.close().await;
        if let Some((server, name)) = &self.pg
            && let Ok(mut conn) = sqlx::PgConnection::connect(server).await
        {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
            )))
            .execute(&mut conn)
            .await;
        }
    }
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("ledger.db").display());
    let store = Store::open(&url).await.expect("open SQLite store");
    TestDb {
        store,
        url,
        _dir: Some(dir),
        pg: None,
    }
}

/// The server URL, or `None` (and a note) when the PostgreSQL leg is not configured.
pub fn postgres_url() -> Option<String> {
    match std::env::var(POSTGRES_URL_VAR) {
        Ok(u) if !u.trim().is_empty() => Some(u.trim().to_string()),
        _ => {
            if std::env::var_os("GONGKAI_REQUIRE_POSTGRES").is_some() {
                panic!("GONGKAI_REQUIRE_POSTGRES is set but {POSTGRES_URL_VAR} is not");
            }
            eprintln!("{POSTGRES_URL_VAR} not set: PostgreSQL leg skipped");
            None
        }
    }
}

/// `url` with its database replaced by `db`.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.find('?') {
        Some(q) => (&url[..q], &url[q..]),
        None => (url, ""),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    format!("{}/{db}{query}", &base[..host_end])
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A new, empty database on the test server.
pub async fn postgres_database() -> Option<(String, String, String)> {
    let server = postgres_url()?;
    let nanos = Utc::now().timestamp_subsec_nanos();
    let name = format!(
        "gongkai_test_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let mut conn = sqlx::PgConnection::connect(&server)
        .await
        .expect("connect to the PostgreSQL test server");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let url = with_database(&server, &name);
    Some((server, name, url))
}

pub async fn postgres() -> Option<TestDb> {
    let (server, name, url) = postgres_database().await?;
    let store = Store::open(&url).await.expect("open PostgreSQL store");
    Some(TestDb {
        store,
        url,
        _dir: None,
        pg: Some((server, name)),
    })
}

/// Runs each listed `async fn(&TestDb)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = $crate::common::sqlite().await;
                    super::$name(&db).await;
                    db.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = $crate::common::postgres().await else { return };
                    super::$name(&db).await;
                    db.finish().await;
                }
            )*
        }
    };
}

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// A moment (UTC) from `2026-01-05T02:00:00Z`.
pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("timestamp")
        .with_timezone(&Utc)
}

/// The moment the tests act at, unless they say otherwise: 2026-01-05 10:00 Beijing time.
pub fn now() -> DateTime<Utc> {
    at("2026-01-05T02:00:00Z")
}

pub fn stamp(user: &str) -> Stamp {
    Stamp::new(user, now())
}

pub const PASSWORD: &str = "correct horse battery";

/// `init` with admin `admin`, and users `li` (信息员), `zhao` (信息员), `zhu` (办公室主任),
/// `wang` (分管领导).
pub async fn office(store: &Store) {
    store
        .init(
            "某市某局",
            &NewUser {
                name: "admin".into(),
                display_name: Some("管理员".into()),
                role: Role::Admin,
                password: PASSWORD.into(),
            },
            now(),
        )
        .await
        .expect("init");
    for (name, role) in [
        ("li", Role::Clerk),
        ("zhao", Role::Clerk),
        ("zhu", Role::OfficeHead),
        ("wang", Role::Leader),
    ] {
        store
            .add_user(
                &NewUser {
                    name: name.into(),
                    display_name: None,
                    role,
                    password: PASSWORD.into(),
                },
                &stamp("admin"),
            )
            .await
            .expect("add user");
    }
}

pub fn applicant(kind: ApplicantKind, id_number: &str) -> Applicant {
    Applicant {
        kind,
        name: format!("申请人{id_number}"),
        identity: Some(Identity {
            document: IdDocument::ResidentIdCard,
            number: id_number.into(),
        }),
        contact: Contact {
            phone: Some("13800000000".into()),
            ..Contact::default()
        },
        representative: None,
    }
}

pub fn request(text: &str) -> InformationRequest {
    InformationRequest {
        description: text.into(),
        document_number: None,
        form: Default::default(),
        delivery: Default::default(),
        fee_units: 1,
    }
}

pub fn received(date: &str) -> EventInput {
    EventInput::new(
        d(date),
        EventKind::Received {
            channel: Channel::InPerson { oral: false },
        },
    )
}

pub fn new_application(id: Option<&str>, id_number: &str, receipt: &str) -> NewApplication {
    NewApplication {
        id: id.map(ApplicationId::from),
        applicant: applicant(ApplicantKind::NaturalPerson, id_number),
        request: request("某道路改造工程的立项批复"),
        received: Some(received(receipt)),
    }
}

/// A role that does not own the tables (as the server run as an application role), named
/// `prefix` and the process id, granted `privileges` on every table; with the owner's
/// connection that made it.
pub async fn app_role(url: &str, prefix: &str, privileges: &str) -> (sqlx::PgConnection, String) {
    let role = format!("{prefix}_{}", std::process::id());
    let mut c = sqlx::PgConnection::connect(url).await.unwrap();
    for sql in [
        format!("CREATE ROLE {role} NOLOGIN"),
        format!("GRANT {privileges} ON ALL TABLES IN SCHEMA public TO {role}"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut c)
            .await
            .unwrap();
    }
    (c, role)
}

pub async fn drop_role(c: &mut sqlx::PgConnection, role: &str) {
    for sql in [format!("DROP OWNED BY {role}"), format!("DROP ROLE {role}")] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut *c)
            .await
            .unwrap();
    }
}
