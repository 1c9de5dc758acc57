//! The report checker's limits and persistence: uploads and hand corrections survive a
//! restart (SQLite file, and PostgreSQL when `GONGKAI_TEST_POSTGRES_URL` names a server),
//! both are audited; quotas, oversized and broken uploads are refused in Chinese (pages and
//! the API's JSON); the anonymous API is rate-limited per client address; expired uploads
//! are deleted.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use chrono::Utc;
use gongkai_server::check::Limits;
use gongkai_server::{AppState, Config};
use gongkai_store::{AuditQuery, NewUser, Role, Stamp, Store};
use tower::ServiceExt;

use crate::common::{Client, Resp, bearer, csrf_of, fresh_postgres_url, password, seed};

fn broken_seed() -> Vec<u8> {
    let text = String::from_utf8(seed("000_a3a3bcf84a832127.txt")).unwrap();
    text.replacen("(七) 总计\t2\t", "(七) 总计\t3\t", 1)
        .into_bytes()
}

/// A SQLite file in a fresh directory, and a fresh PostgreSQL database when a server is
/// named: the URLs, to open twice.
async fn databases(tag: &str) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!(
        "gongkai-web-{tag}-{}-{}",
        std::process::id(),
        Utc::now().timestamp_nanos_opt().unwrap_or(0)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let mut out = vec![dir.join("ledger.db").to_str().unwrap().to_string()];
    if let Some(url) = fresh_postgres_url(tag).await {
        out.push(url);
    } else {
        eprintln!("GONGKAI_TEST_POSTGRES_URL not set: PostgreSQL leg skipped");
    }
    out
}

async fn init(store: &Store) {
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
    store
        .add_user(
            &NewUser {
                name: "clerk".into(),
                display_name: None,
                role: Role::Clerk,
                password: password("clerk"),
            },
            &Stamp::now("admin"),
        )
        .await
        .unwrap();
}

fn app_with(store: &Store, config: Config) -> Router {
    gongkai_server::app(AppState::new(
        store.clone(),
        Config {
            secret: Some("test secret".into()),
            ..config
        },
    ))
}

async fn memory_app(config: Config) -> (Router, Store) {
    let store = Store::open("sqlite::memory:").await.unwrap();
    init(&store).await;
    (app_with(&store, config), store)
}

#[tokio::test]
async fn a_restart_keeps_uploads_and_corrections_and_both_are_audited() {
    for url in databases("check_restart").await {
        let store = Store::open(&url).await.unwrap();
        init(&store).await;
        let app = app_with(&store, Config::default());
        let mut c = Client::new(&app);
        let token = c.csrf("/check").await;
        let r = c
            .upload("/check", &token, &[("报告.txt", &broken_seed())])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{url}: {}", r.text());
        let report = r.location();
        let id = report.rsplit('/').next().unwrap().to_string();
        let page = c.get(&report).await.text();
        assert!(page.contains(">TAB002<"), "{url}");
        let r = c
            .post_form(
                &format!("{report}/cells"),
                &[
                    ("csrf", &csrf_of(&page)),
                    ("cell", "s3.results_total.natural_person"),
                    ("value", "2"),
                    ("note", "原文为 2，读取有误"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{url}: {}", r.text());
        // The server stops: the application, its cache and the pool are gone.
        drop(app);
        store.close().await;
        drop(store);

        let store = Store::open(&url).await.unwrap();
        let app = app_with(&store, Config::default());
        c.app = app.clone();
        let home = c.get("/check").await.text();
        assert!(
            home.contains(&id),
            "{url}: the visitor's list lists the upload"
        );
        assert!(home.contains("报告.txt"), "{url}");
        let page = c.get(&report).await.text();
        assert!(page.contains("更正记录"), "{url}");
        assert!(page.contains("3 → 2"), "{url}");
        assert!(page.contains("原文为 2，读取有误"), "{url}");
        assert!(
            !page.contains(">TAB002<"),
            "{url}: the correction still applies"
        );
        // The owner can still correct; another browser sees it read-only.
        assert!(
            page.contains(&format!("action=\"{report}/cells\"")),
            "{url}"
        );
        let mut other = Client::new(&app);
        let theirs = other.get(&report).await.text();
        assert!(
            !theirs.contains(&format!("action=\"{report}/cells\"")),
            "{url}"
        );
        let json = c.get(&format!("{report}/report.json")).await.json();
        assert_eq!(
            json["corrections"][0]["cell"],
            "s3.results_total.natural_person"
        );
        assert_eq!(json["cells_as_read"]["s3.results_total.natural_person"], 3);

        // Audited: the upload (name, size, hash, client) and the correction, by a visitor
        // named by a short prefix of its key.
        let log = store
            .audit(&AuditQuery {
                subject_kind: Some("check_upload".into()),
                subject_id: Some(id.clone()),
                limit: None,
                ..AuditQuery::default()
            })
            .await
            .unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert!(actions.contains(&"check.upload"), "{url}: {actions:?}");
        assert!(actions.contains(&"check.correct"), "{url}: {actions:?}");
        let up = log.iter().find(|e| e.action == "check.upload").unwrap();
        assert!(up.actor.starts_with("visitor:"), "{}", up.actor);
        assert_eq!(up.actor.len(), "visitor:".len() + 8);
        assert_eq!(up.detail["name"], "报告.txt");
        assert_eq!(up.detail["size"], broken_seed().len() as u64);
        assert_eq!(up.detail["sha256"].as_str().unwrap().len(), 64);
        assert_eq!(up.detail["client"], "-");
        let fix = log.iter().find(|e| e.action == "check.correct").unwrap();
        assert_eq!(fix.detail["cell"], "s3.results_total.natural_person");
        assert_eq!(fix.detail["old"], "3");
        assert_eq!(fix.detail["new"], "2");
        store.close().await;
    }
}

#[tokio::test]
async fn quotas_refuse_in_chinese() {
    let (app, _) = memory_app(Config {
        check: Limits {
            visitor_files: 2,
            ..Limits::default()
        },
        ..Config::default()
    })
    .await;
    let mut c = Client::new(&app);
    let token = c.csrf("/check").await;
    let seed = seed("000_a3a3bcf84a832127.txt");
    let r = c
        .upload("/check", &token, &[("a.txt", &seed), ("b.txt", &seed)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = c.upload("/check", &token, &[("c.txt", &seed)]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        r.text().contains("每位访客最多保留 2 个上传的文件"),
        "{}",
        r.text()
    );
    // Another visitor has a quota of its own.
    let mut other = Client::new(&app);
    let token = other.csrf("/check").await;
    let r = other.upload("/check", &token, &[("c.txt", &seed)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    // Bytes: a quota of 1 MB refuses a 600 KB file after a first one.
    let (app, _) = memory_app(Config {
        check: Limits {
            visitor_bytes: 1024 * 1024,
            ..Limits::default()
        },
        ..Config::default()
    })
    .await;
    let mut c = Client::new(&app);
    let token = c.csrf("/check").await;
    let big = vec![b'x'; 600 * 1024];
    let r = c.upload("/check", &token, &[("a.txt", &big)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = c.upload("/check", &token, &[("b.txt", &big)]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text().contains("每位访客最多保留 1 MB"), "{}", r.text());

    // The whole server's quota: 503, in Chinese.
    let (app, _) = memory_app(Config {
        check: Limits {
            total_files: 1,
            ..Limits::default()
        },
        ..Config::default()
    })
    .await;
    let mut c = Client::new(&app);
    let token = c.csrf("/check").await;
    assert_eq!(
        c.upload("/check", &token, &[("a.txt", &seed)]).await.status,
        StatusCode::SEE_OTHER
    );
    let mut other = Client::new(&app);
    let token = other.csrf("/check").await;
    let r = other.upload("/check", &token, &[("b.txt", &seed)]).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        r.text().contains("服务器保存的上传文件已达上限"),
        "{}",
        r.text()
    );
}

fn no_english(r: &Resp) {
    let t = r.text();
    for english in ["Failed", "multipart", "length limit", "Error parsing"] {
        assert!(
            !t.contains(english) || t.contains("multipart/form-data"),
            "framework English in: {t}"
        );
    }
}

#[tokio::test]
async fn oversized_empty_and_broken_uploads_are_refused_in_chinese() {
    let (app, _) = memory_app(Config {
        max_file_bytes: 1024,
        max_upload_bytes: 4096,
        ..Config::default()
    })
    .await;
    let mut c = Client::new(&app);
    let token = c.csrf("/check").await;
    // One file over the limit per file.
    let r = c
        .upload("/check", &token, &[("大.txt", &vec![b'x'; 2000])])
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().contains("文件“大.txt”超过 1 KB"), "{}", r.text());
    no_english(&r);
    // Files together over the limit of the request.
    let part = vec![b'x'; 1000];
    let files: Vec<(&str, &[u8])> = (0..5).map(|_| ("a.txt", part.as_slice())).collect();
    let r = c.upload("/check", &token, &files).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    assert!(r.text().contains("上传的文件合计超过"), "{}", r.text());
    no_english(&r);
    // An empty file.
    let r = c.upload("/check", &token, &[("空.txt", b"")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("文件“空.txt”是空的"), "{}", r.text());
    // Not a multipart form; a broken one.
    let r = c
        .send(
            Request::post("/check")
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from("x"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("不是文件表单"), "{}", r.text());
    let r = c
        .send(
            Request::post("/check")
                .header(header::CONTENT_TYPE, "multipart/form-data; boundary=b")
                .body(Body::from(
                    "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc",
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert!(
        r.text().contains("上传的数据不完整或格式有误"),
        "{}",
        r.text()
    );
    no_english(&r);

    // The API: the same in its JSON shape.
    let r = c
        .send(
            Request::post("/api/v1/check")
                .body(Body::from(vec![b'x'; 2000]))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.json()["error"]["code"], "too_large");
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("文件超过")
    );
    let r = c
        .send(Request::post("/api/v1/check").body(Body::empty()).unwrap())
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("空的")
    );
}

async fn api_check(app: &Router, from: &str, token: Option<&str>) -> Resp {
    let mut req = Request::post("/api/v1/check")
        .body(Body::from(seed("000_a3a3bcf84a832127.txt")))
        .unwrap();
    let addr: SocketAddr = format!("{from}:40000").parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(addr));
    if let Some(t) = token {
        req.headers_mut().insert(
            header::AUTHORIZATION,
            format!("Bearer {t}").parse().unwrap(),
        );
    }
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Resp {
        status,
        headers,
        body,
    }
}

#[tokio::test]
async fn the_anonymous_api_is_rate_limited_per_address_in_chinese() {
    let (app, store) = memory_app(Config {
        check: Limits {
            api_per_minute: 2,
            api_burst: 2,
            ..Limits::default()
        },
        ..Config::default()
    })
    .await;
    for _ in 0..2 {
        let r = api_check(&app, "192.0.2.1", None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    let r = api_check(&app, "192.0.2.1", None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.json()["error"]["code"], "rate_limited");
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("请求过于频繁"),
        "{}",
        r.text()
    );
    let wait: u64 = r.header(header::RETRY_AFTER).parse().unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
    // Another address has its own allowance; a logged-in client is not limited.
    assert_eq!(
        api_check(&app, "192.0.2.2", None).await.status,
        StatusCode::OK
    );
    let mut c = Client::new(&app);
    bearer(&mut c, "clerk").await;
    let token = c.bearer.clone().unwrap();
    assert_eq!(
        api_check(&app, "192.0.2.1", Some(&token)).await.status,
        StatusCode::OK
    );
    // Each check is audited with the client address (the report is not kept).
    let log = store
        .audit(&AuditQuery {
            subject_kind: Some("check_api".into()),
            subject_id: None,
            limit: None,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 4, "the refused one is not a check");
    assert!(log.iter().any(|e| e.actor == "clerk"));
    assert!(log.iter().any(|e| e.detail["client"] == "192.0.2.2"));
}

#[tokio::test]
async fn expired_uploads_are_deleted_with_their_corrections() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    init(&store).await;
    let state = AppState::new(store.clone(), Config::default());
    let app = gongkai_server::app(state.clone());
    let mut c = Client::new(&app);
    let token = c.csrf("/check").await;
    let r = c
        .upload(
            "/check",
            &token,
            &[("a.txt", &seed("000_a3a3bcf84a832127.txt"))],
        )
        .await;
    let report = r.location();
    assert_eq!(c.get(&report).await.status, StatusCode::OK);
    // Nothing is old enough yet.
    let day_ago = Utc::now() - chrono::Duration::days(1);
    assert_eq!(state.uploads().purge(day_ago).await.unwrap(), 0);
    let later = Utc::now() + chrono::Duration::seconds(1);
    assert_eq!(state.uploads().purge(later).await.unwrap(), 1);
    let r = c.get(&report).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text().contains("可能已过期"));
    let log = store
        .audit(&AuditQuery {
            subject_kind: Some("check_upload".into()),
            subject_id: Some("*".into()),
            limit: None,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(log[0].action, "check.purge");
    assert_eq!(log[0].detail["deleted"], 1);
}
