//! `gongkai serve --public` answers the portal's search API (`GET /api/v1/portal/search`),
//! rate-limited for every caller — a workbench session or token counts for nothing there —
//! and still answers 404 for every other route: the workbench's pages, its API and the
//! sign-in.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use gongkai_ledger::register::{Disclosure, ItemDraft, Outlet};
use gongkai_search::SearchIndex;
use gongkai_server::portal::search::SEARCH_BURST;
use gongkai_server::{AppState, Config};
use gongkai_service::portal::search::PortalSearch;
use gongkai_service::{Service, Via};
use tower::ServiceExt;

use crate::common::{Client, store};

/// A GET from `peer` (the TCP peer the server sees), with a bearer token if given.
async fn get_from(
    app: &axum::Router,
    uri: &str,
    peer: &str,
    bearer: Option<&str>,
) -> (StatusCode, String, serde_json::Value) {
    let mut req = Request::get(uri).body(Body::empty()).unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    if let Some(t) = bearer {
        req.headers_mut().insert(
            header::AUTHORIZATION,
            format!("Bearer {t}").parse().unwrap(),
        );
    }
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let retry = resp
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    let json = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    (status, retry, json)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_process_answers_the_search_api_and_nothing_else() {
    let store = store().await;
    let svc = Service::new(store.clone());
    let clerk = svc.actor("clerk", Via::Web).await.unwrap();
    let item = svc
        .register_item(
            &clerk,
            ItemDraft {
                title: "关于做好冬春季节农田水利建设工作的通知".into(),
                organ: String::new(),
                formed_on: Service::today() - chrono::Duration::days(4),
                number: Some("测农发〔2026〕3号".into()),
                topic: "农业、林业、水利".into(),
                genre: "通知".into(),
                summary: "部署农田水利建设。".into(),
                body: "各乡镇人民政府：现就冬春季节农田水利建设有关事项通知如下。".into(),
                disclosure: Disclosure::Proactive,
                validity: None,
                outlets: vec![Outlet::Website],
            },
        )
        .await
        .unwrap();
    crate::common::review_and_publish(&svc, item.id).await;

    let state = AppState::new(
        store.clone(),
        Config {
            secret: Some("test secret".into()),
            ..Config::default()
        },
    );
    let search = PortalSearch::new(svc.clone(), Arc::new(SearchIndex::in_memory().unwrap()));
    search.step().await.unwrap();
    assert!(state.portal().set(search));
    let public = gongkai_server::public_app(state.clone());

    // The search answers, with the published item.
    let q = "/api/v1/portal/search?q=%E5%86%9C%E7%94%B0%E6%B0%B4%E5%88%A9";
    let (status, _, j) = get_from(&public, q, "203.0.113.7:5000", None).await;
    assert_eq!(status, StatusCode::OK, "{j}");
    assert_eq!(j["total"], 1, "{j}");
    assert_eq!(j["hits"][0]["item"], item.id);
    // The 文号 in another bracket form.
    let (status, _, j) = get_from(
        &public,
        "/api/v1/portal/search?q=%E6%B5%8B%E5%86%9C%E5%8F%91%5B2026%5D3%E5%8F%B7",
        "203.0.113.7:5000",
        None,
    )
    .await;
    assert_eq!((status, j["total"].as_u64()), (StatusCode::OK, Some(1)));

    // Rate-limited per address, with a Retry-After; a workbench token does not lift it
    // (on the workbench's own process it would).
    let token = {
        let app = gongkai_server::app(state.clone());
        let mut c = Client::new(&app);
        crate::common::bearer(&mut c, "clerk").await;
        c.bearer.clone().unwrap()
    };
    let mut limited = None;
    for n in 0..(SEARCH_BURST * 3) {
        let (status, retry, j) = get_from(&public, q, "198.51.100.9:6000", Some(&token)).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(j["error"]["code"], "rate_limited", "{j}");
            assert!(retry.parse::<u64>().unwrap() >= 1, "{retry}");
            limited = Some(n);
            break;
        }
        assert_eq!(status, StatusCode::OK, "{j}");
    }
    // The burst (and what refilled meanwhile: one every 0.5 s), then refused.
    assert!(
        limited.is_some_and(|n| n >= SEARCH_BURST),
        "refused after {limited:?}"
    );
    // Another address is not affected.
    let (status, _, _) = get_from(&public, q, "192.0.2.44:7000", None).await;
    assert_eq!(status, StatusCode::OK);
    // The workbench process does not limit the signed-in clerk.
    let internal = gongkai_server::app(state.clone());
    for _ in 0..(SEARCH_BURST + 5) {
        let (status, _, _) = get_from(&internal, q, "198.51.100.10:6000", Some(&token)).await;
        assert_eq!(status, StatusCode::OK);
    }

    // Everything else: 404 (JSON under /api/v1), whatever the caller holds.
    for path in [
        "/api/v1/applications",
        "/api/v1/session",
        "/api/v1/register/items",
        "/api/v1/register/items/1",
        "/api/v1/reviews",
        "/api/v1/audit",
        "/api/v1/openapi.json",
        "/api/v1/portal",
        "/api/v1/portal/search/x",
        "/login",
        "/ledger",
        "/ledger/new",
        "/register",
        "/reviews",
        "/year-end",
        "/admin/users",
        "/admin/audit",
        "/supervise",
        "/check",
        "/setup",
        "/account/password",
    ] {
        let (status, _, j) = get_from(&public, path, "203.0.113.8:5000", Some(&token)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {j}");
        if path.starts_with("/api/") {
            assert_eq!(j["error"]["code"], "not_found", "{path}: {j}");
        }
    }
    let mut c = Client::new(&public);
    for (path, fields) in [
        ("/api/v1/session", vec![("name", "clerk")]),
        ("/api/v1/applications", vec![]),
        ("/ledger/new", vec![]),
    ] {
        let r = c.post_form(path, &fields).await;
        assert!(
            r.status == StatusCode::NOT_FOUND || r.status == StatusCode::METHOD_NOT_ALLOWED,
            "{path}: {:?}",
            r.status
        );
    }
}
