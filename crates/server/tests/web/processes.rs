//! Two server "processes" on one database (issue 18 §3): two application states, each
//! with its own store (connection pool), upload cache and rate limiter, opened the way
//! `gongkai serve` opens them (`AppState::open`: the CSRF secret from the database). On a
//! SQLite file, and on PostgreSQL when `GONGKAI_TEST_POSTGRES_URL` names a server. The
//! real binaries run twice in `crates/cli/tests/two_processes.rs`.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use chrono::Utc;
use gongkai_server::check::Limits;
use gongkai_server::uploads::StoredUploads;
use gongkai_server::{AppState, Config};
use gongkai_store::{Backend, NewUser, Role, Store};
use tower::ServiceExt;

use crate::common::{Client, csrf_of, fresh_postgres_url, password, seed};

async fn databases(tag: &str) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!(
        "gongkai-web-{tag}-{}-{}",
        std::process::id(),
        Utc::now().timestamp_nanos_opt().unwrap_or(0)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let mut out = vec![format!("sqlite://{}", dir.join("ledger.db").display())];
    if let Some(url) = fresh_postgres_url(tag).await {
        out.push(url);
    } else {
        eprintln!("GONGKAI_TEST_POSTGRES_URL not set: PostgreSQL leg skipped");
    }
    out
}

/// A process as `gongkai serve` makes it (no `GONGKAI_SECRET`).
async fn process(url: &str, config: Config) -> (Router, Store) {
    let store = Store::open(url).await.unwrap();
    let uploads = Arc::new(StoredUploads::new(store.clone(), config.check.cache_bytes));
    let state = AppState::open(
        gongkai_service::Service::new(store.clone()),
        config,
        uploads,
    )
    .await
    .unwrap();
    (gongkai_server::app(state), store)
}

fn broken_seed() -> Vec<u8> {
    let text = String::from_utf8(seed("000_a3a3bcf84a832127.txt")).unwrap();
    text.replacen("(七) 总计\t2\t", "(七) 总计\t3\t", 1)
        .into_bytes()
}

#[tokio::test]
async fn two_processes_share_sessions_forms_corrections_and_rate_limits() {
    for url in databases("processes").await {
        let config = Config {
            check: Limits {
                api_per_minute: 2,
                api_burst: 2,
                ..Limits::default()
            },
            ..Config::default()
        };
        let (a, store) = process(&url, config.clone()).await;
        let (b, store_b) = process(&url, config).await;
        store
            .init(
                "测试市某局",
                &NewUser {
                    name: "admin".into(),
                    display_name: None,
                    role: Role::Admin,
                    password: password("admin"),
                },
                Utc::now(),
            )
            .await
            .unwrap();

        // A form of A posted to B (one CSRF secret, kept in the database); the session
        // made by B's login is valid on A.
        let mut c = Client::new(&a);
        let token = c.csrf("/login").await;
        c.app = b.clone();
        let r = c
            .post_form(
                "/login",
                &[
                    ("csrf", &token),
                    ("name", "admin"),
                    ("password", &password("admin")),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{url}: {}", r.text());
        c.app = a.clone();
        let page = c.get("/admin/users").await;
        assert_eq!(page.status, StatusCode::OK, "{url}: {}", page.text());
        assert!(page.text().contains("admin"), "{url}");

        // An upload through A, shown by A (now in A's cache), corrected through B: A shows
        // the correction, not its cached copy.
        let mut v = Client::new(&a);
        let token = v.csrf("/check").await;
        let r = v
            .upload("/check", &token, &[("报告.txt", &broken_seed())])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{url}: {}", r.text());
        let report = r.location();
        let page = v.get(&report).await.text();
        assert!(page.contains(">TAB002<"), "{url}");
        v.app = b.clone();
        let r = v
            .post_form(
                &format!("{report}/cells"),
                &[
                    ("csrf", &csrf_of(&page)),
                    ("cell", "s3.results_total.natural_person"),
                    ("value", "2"),
                    ("note", "在另一进程更正"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{url}: {}", r.text());
        v.app = a.clone();
        let page = v.get(&report).await.text();
        assert!(
            page.contains("在另一进程更正"),
            "{url}: A shows B's correction"
        );
        assert!(
            !page.contains(">TAB002<"),
            "{url}: and checks the corrected report"
        );

        // The anonymous API's rate limit: shared on PostgreSQL (two on A, the third on B is
        // refused); each SQLite process counts its own.
        for app in [&a, &a] {
            assert_eq!(api_check(app, "192.0.2.7").await, StatusCode::OK, "{url}");
        }
        let third = api_check(&b, "192.0.2.7").await;
        match store.backend() {
            Backend::Postgres => assert_eq!(third, StatusCode::TOO_MANY_REQUESTS, "{url}"),
            Backend::Sqlite => assert_eq!(third, StatusCode::OK, "{url}"),
        }
        store_b.close().await;
        store.close().await;
    }
}

async fn api_check(app: &Router, from: &str) -> StatusCode {
    let mut req = Request::post("/api/v1/check")
        .body(Body::from(seed("000_a3a3bcf84a832127.txt")))
        .unwrap();
    let addr: SocketAddr = format!("{from}:40000").parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(addr));
    app.clone().oneshot(req).await.unwrap().status()
}
