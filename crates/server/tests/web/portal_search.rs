//! `GET /api/v1/portal/search`: anonymous, only published items, 文号 in any bracket form,
//! highlighted and escaped, 503 without an index, in the OpenAPI document.

use std::sync::Arc;

use axum::http::StatusCode;
use gongkai_ledger::register::{Disclosure, ItemDraft, Outlet};
use gongkai_search::SearchIndex;
use gongkai_server::{AppState, Config};
use gongkai_service::portal::search::PortalSearch;
use gongkai_service::{Service, Via};

use crate::common::{Client, store};

fn draft(title: &str, number: &str) -> ItemDraft {
    ItemDraft {
        title: title.into(),
        organ: String::new(),
        formed_on: Service::today() - chrono::Duration::days(5),
        number: Some(number.into()),
        topic: "综合政务".into(),
        genre: "通知".into(),
        summary: "内容概述<b>加粗</b>。".into(),
        body: "各单位：为做好城乡居民最低生活保障工作，现通知如下。".into(),
        disclosure: Disclosure::Proactive,
        validity: None,
        outlets: vec![Outlet::Website],
    }
}

#[tokio::test]
async fn the_public_searches_published_items() {
    let store = store().await;
    let svc = Service::new(store.clone());
    let clerk = svc.actor("clerk", Via::Web).await.unwrap();
    let published = svc
        .register_item(
            &clerk,
            draft("关于调整最低生活保障标准的通知", "测政发〔2025〕7号"),
        )
        .await
        .unwrap();
    crate::common::review_and_publish(&svc, published.id).await;
    svc.register_item(
        &clerk,
        draft("关于最低生活保障的内部草稿", "测政发〔2025〕8号"),
    )
    .await
    .unwrap();

    let state = AppState::new(
        store.clone(),
        Config {
            secret: Some("test secret".into()),
            ..Config::default()
        },
    );
    // Without an index: 503 in the API's error shape.
    let app = gongkai_server::app(state.clone());
    let mut c = Client::new(&app);
    let r = c.get("/api/v1/portal/search?q=%E4%BD%8E%E4%BF%9D").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "search_unavailable");

    let search = PortalSearch::new(svc.clone(), Arc::new(SearchIndex::in_memory().unwrap()));
    search.step().await.unwrap();
    assert!(state.portal().set(search));

    // Anonymous; only the published item.
    let r = c
        .get("/api/v1/portal/search?q=%E6%9C%80%E4%BD%8E%E7%94%9F%E6%B4%BB%E4%BF%9D%E9%9A%9C")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let j = r.json();
    assert_eq!(j["total"], 1, "{j}");
    assert_eq!(j["hits"][0]["item"], published.id);
    assert_eq!(j["hits"][0]["agency_code"], "local-1");
    let title = j["hits"][0]["title_html"].as_str().unwrap();
    assert!(title.contains("<mark>"), "{title}");

    // 文号 in another bracket form; the note says which 文号 matched.
    let r = c
        .get("/api/v1/portal/search?q=%E6%B5%8B%E6%94%BF%E5%8F%91(2025)7%E5%8F%B7")
        .await;
    let j = r.json();
    assert_eq!(j["total"], 1, "{j}");
    assert!(
        j["note"].as_str().unwrap().contains("测政发〔2025〕7号"),
        "{j}"
    );

    // Odd input is text, never an error; a bad order or an unknown agency is.
    let r = c
        .get("/api/v1/portal/search?q=%22title%3A(%5B&page=2")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = c.get("/api/v1/portal/search?q=x&order=sideways").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    let r = c.get("/api/v1/portal/search?q=x&agency=nobody").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    let r = c.get("/api/v1/portal/search?q=x&year=abc").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());

    let doc = gongkai_server::api::openapi_json();
    assert!(doc.contains("/api/v1/portal/search"));
}
