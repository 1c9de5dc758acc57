//! The service's tests on both backends: SQLite in a temporary directory, and PostgreSQL
//! (a fresh database on the server `GONGKAI_TEST_POSTGRES_URL` names, as
//! `scripts/postgres-test-server` prints; required when `GONGKAI_REQUIRE_POSTGRES` is set).
//! `on_both_backends!(test, …)` runs each `async fn test(&Service)` on both.

#![allow(dead_code)] // each test file uses its own part of the harness

use chrono::NaiveDate;
use gongkai_service::{Actor, Service, Via};
use gongkai_store::{NewUser, Role, Store};
use sqlx::Connection;

pub struct Db {
    pub service: Service,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl Db {
    pub async fn finish(self) {
        self.service.store().close().await;
        if let Some((server, name)) = self.pg
            && let Ok(mut conn) = sqlx::PgConnection::connect(&server).await
        {
            let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            let _ = sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut conn)
                .await;
        }
    }
}

pub async fn sqlite() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("ledger.db").display());
    Db {
        service: Service::new(Store::open(&url).await.unwrap()),
        _dir: Some(dir),
        pg: None,
    }
}

pub async fn postgres() -> Option<Db> {
    let server = match std::env::var("GONGKAI_TEST_POSTGRES_URL") {
        Ok(u) if !u.trim().is_empty() => u.trim().to_string(),
        _ => {
            assert!(
                std::env::var_os("GONGKAI_REQUIRE_POSTGRES").is_none(),
                "GONGKAI_REQUIRE_POSTGRES is set but GONGKAI_TEST_POSTGRES_URL is not"
            );
            eprintln!("GONGKAI_TEST_POSTGRES_URL not set: PostgreSQL leg skipped");
            return None;
        }
    };
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = format!(
        "gongkai_service_{}_{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let mut conn = sqlx::PgConnection::connect(&server).await.unwrap();
    let sql = format!("CREATE DATABASE \"{name}\"");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await
        .unwrap();
    // The same server, another database.
    let (base, query) = server.split_once('?').unwrap_or((&server, ""));
    let host_end = base[base.find("://").unwrap() + 3..]
        .find('/')
        .map_or(base.len(), |i| base.find("://").unwrap() + 3 + i);
    let sep = if query.is_empty() { "" } else { "?" };
    let url = format!("{}/{name}{sep}{query}", &base[..host_end]);
    Some(Db {
        service: Service::new(Store::open(&url).await.unwrap()),
        _dir: None,
        pg: Some((server, name)),
    })
}

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite_leg {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = super::sqlite().await;
                    super::$name(&db.service).await;
                    db.finish().await;
                }
            )*
        }
        mod postgres_leg {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = super::postgres().await else { return };
                    super::$name(&db.service).await;
                    db.finish().await;
                }
            )*
        }
    };
}

pub const PASSWORD: &str = "correct horse battery";

/// 三审 and 保密审查 of register item `id` (先审查、后公开): the clerk submits it with a clean
/// secrecy checklist, the office head and the leader approve (the default three levels).
pub async fn review_item(svc: &Service, id: i64, clerk: &Actor, head: &Actor, leader: &Actor) {
    use gongkai_ledger::register::secrecy::{SecrecyChecklist, SecrecyConclusion, SecrecyReview};
    let clean = SecrecyReview {
        checklist: SecrecyChecklist::all_no(),
        conclusion: SecrecyConclusion::Publishable,
        note: None,
    };
    svc.submit_item(clerk, id, clean, None).await.unwrap();
    svc.approve_item(head, id, None).await.unwrap();
    svc.approve_item(leader, id, None).await.unwrap();
}

/// The office with `admin`, `li` (信息员), `zhu` (办公室主任), `wang` (分管领导); the
/// actors for li, zhu, wang.
pub async fn office(svc: &Service) -> (Actor, Actor, Actor) {
    let admin = NewUser {
        name: "admin".into(),
        display_name: None,
        role: Role::Admin,
        password: PASSWORD.into(),
    };
    svc.store()
        .init("某市某局", &admin, chrono::Utc::now())
        .await
        .unwrap();
    let admin = svc.actor("admin", Via::Cli).await.unwrap();
    for (name, display, role) in [
        ("li", "李明", Role::Clerk),
        ("zhu", "朱红", Role::OfficeHead),
        ("wang", "王强", Role::Leader),
    ] {
        let u = NewUser {
            name: name.into(),
            display_name: Some(display.into()),
            role,
            password: PASSWORD.into(),
        };
        svc.add_user(&admin, &u).await.unwrap();
    }
    (
        svc.actor("li", Via::Cli).await.unwrap(),
        svc.actor("zhu", Via::Api).await.unwrap(),
        svc.actor("wang", Via::Web).await.unwrap(),
    )
}

pub fn today() -> NaiveDate {
    Service::today()
}

/// Sections 一, 五 and 六 written (the drafts' placeholders gone), as the office does
/// before it submits the annual report.
pub async fn write_narrative(svc: &Service, actor: &Actor, year: i32) {
    let sections = [
        (
            1,
            "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，扎实做好政府信息公开工作。",
        ),
        (
            5,
            "一是主动公开的深度还需拓展；二是政策解读形式较为单一。下一步将加强业务培训。",
        ),
        (6, "本年度未收取信息处理费。"),
    ]
    .into_iter()
    .map(|(n, t)| (n, t.to_string()))
    .collect();
    let text = gongkai_store::NarrativeText {
        sections,
        ..Default::default()
    };
    svc.save_narrative(actor, year, text, None).await.unwrap();
}
