//! The publication register's pages (主动公开登记) on SQLite and PostgreSQL: a clerk
//! registers an item through the form, sees it in the list and on its page, records a
//! publication; the office head corrects nothing but withdraws; the due and withheld
//! lists and the settings page answer; another agency's crafted id is not found.

use axum::Router;
use axum::http::StatusCode;
use gongkai_store::Store;

use crate::common::{Client, app_over, fresh_postgres_url, store_at};

/// 三审 and 保密审查 of item `id` by the clerk, the office head and the leader (through the
/// service; the review pages have their own tests), so that it may be published.
async fn reviewed(store: &Store, id: i64) {
    use gongkai_ledger::register::secrecy::{SecrecyChecklist, SecrecyConclusion, SecrecyReview};
    use gongkai_service::{Service, Via};
    let svc = Service::new(store.clone());
    let review = SecrecyReview {
        checklist: SecrecyChecklist::all_no(),
        conclusion: SecrecyConclusion::Publishable,
        note: None,
    };
    let clerk = svc.actor("clerk", Via::Web).await.unwrap();
    svc.submit_item(&clerk, id, review, None).await.unwrap();
    for who in ["head", "leader"] {
        let a = svc.actor(who, Via::Web).await.unwrap();
        svc.approve_item(&a, id, None).await.unwrap();
    }
}

fn days_ago(n: i64) -> String {
    (gongkai_service::Service::today() - chrono::Duration::days(n)).to_string()
}

async fn the_register_through_the_pages(app: Router, store: Store) {
    let b = crate::platform::two_agencies(&store).await;
    let mut c = Client::new(&app);
    c.login("clerk").await;
    let r = c.get("/register/new").await;
    assert_eq!(r.status, StatusCode::OK);
    let csrf = crate::common::csrf_of(&r.text());
    let formed = days_ago(3);
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("title", "关于开展政务公开培训的通知"),
        ("formed_on", formed.as_str()),
        ("topic", "综合政务"),
        ("genre", "通知"),
        ("summary", "部署年度培训。"),
        ("body", "各科室：\r\n\r\n定于下周开展培训。"),
        ("disclosure", "proactive"),
        ("out_website", "on"),
    ];
    // A refused field comes back with the entered values and the message.
    fields.push(("doc_kind", "regulation"));
    fields.push(("validity", "repealed"));
    let r = c.post_form("/register/new", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("失效或废止日期"), "{}", r.text());
    assert!(r.text().contains("关于开展政务公开培训的通知"));
    fields.truncate(fields.len() - 2);
    let r = c.post_form("/register/new", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), "/register/1?msg=register_saved");
    let page = c.get("/register/1").await.text();
    assert!(page.contains("local-1/"), "{page}");
    assert!(page.contains("定于下周开展培训。"));
    assert!(page.contains("测试市某局"), "the agency as 发布机构");
    let list = c.get("/register?q=培训&topic=综合政务").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text().contains("/register/1"));
    assert!(
        !c.get("/register?q=无此事项")
            .await
            .text()
            .contains("/register/1")
    );
    assert_eq!(
        c.get("/register?year=abc").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Publish on a 新媒体 account: the account is required.
    let today = days_ago(0);
    let r = c
        .post_form(
            "/register/1/publish",
            &[
                ("csrf", &csrf),
                ("outlet", "new_media"),
                ("account", ""),
                ("published_on", &today),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("账号"), "{}", r.text());
    reviewed(&store, 1).await;
    let r = c
        .post_form(
            "/register/1/publish",
            &[
                ("csrf", &csrf),
                ("outlet", "new_media"),
                ("account", "测试市发布"),
                ("published_on", &today),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = c.get("/register/1").await.text();
    assert!(
        page.contains("测试市发布") && page.contains("已发布"),
        "{page}"
    );
    assert!(page.contains("按时发布"));
    // The clerk may not withdraw; the office head may.
    let r = c
        .post_form(
            "/register/1/withdraw",
            &[("csrf", &csrf), ("reason", "误发")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for path in ["/register/due", "/register/withheld"] {
        assert_eq!(c.get(path).await.status, StatusCode::OK, "{path}");
    }
    let mut h = Client::new(&app);
    h.login("head").await;
    let csrf_h = h.csrf("/admin/register").await;
    let r = h
        .post_form(
            "/register/1/withdraw",
            &[("csrf", &csrf_h), ("reason", "误发")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(h.get("/register/1").await.text().contains("已撤稿"));
    // Settings: a template without a serial is refused, a good one saved.
    let settings = h.get("/admin/register").await.text();
    assert!(settings.contains("{code}/{year}-{seq:05}"));
    let base = [
        ("csrf", csrf_h.as_str()),
        ("index_code", ""),
        ("topics", "综合政务\n其他"),
        ("genres", "通知\n其他"),
        ("review_levels", "通知=2"),
        ("default_review_levels", "3"),
        ("reassess_months", "12"),
        ("due_soon_working_days", "5"),
    ];
    let mut bad = base.to_vec();
    bad.push(("index_scheme", "{code}/{year}"));
    let r = h.post_form("/admin/register", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("缺少序号"), "{}", r.text());
    let mut good = base.to_vec();
    good.push(("index_scheme", "GK-{year}-{seq:04}"));
    let r = h.post_form("/admin/register", &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(
        store
            .register_settings()
            .await
            .unwrap()
            .review_levels_for("通知"),
        2
    );

    // Another agency: the same id is its own (none yet), never the root's item.
    let mut bc = Client::new(&app);
    bc.login("bclerk").await;
    assert_eq!(bc.get("/register/1").await.status, StatusCode::NOT_FOUND);
    let csrf_b = bc.csrf("/register").await;
    let r = bc
        .post_form(
            "/register/1/publish",
            &[
                ("csrf", &csrf_b),
                ("outlet", "website"),
                ("published_on", &today),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!bc.get("/register").await.text().contains("政务公开培训"));
    assert!(
        store
            .in_agency(b)
            .list_items(&Default::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_register_through_the_pages_on_both_backends() {
    let store = store_at("sqlite::memory:").await;
    the_register_through_the_pages(app_over(store.clone()), store).await;
    if let Some(url) = fresh_postgres_url("register").await {
        let store = store_at(&url).await;
        the_register_through_the_pages(app_over(store.clone()), store).await;
    }
}

/// The register through the JSON API: create, list, publish, due; a crafted id of another
/// agency is 404.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_register_through_the_api() {
    let store = store_at("sqlite::memory:").await;
    let app = app_over(store.clone());
    let mut c = Client::new(&app);
    crate::common::bearer(&mut c, "clerk").await;
    let formed = days_ago(2);
    let r = c
        .json(
            axum::http::Method::POST,
            "/api/v1/register",
            Some(serde_json::json!({
                "title": "关于开展政务公开培训的通知", "formed_on": formed, "organ": "",
                "topic": "综合政务", "genre": "通知", "summary": "部署培训。",
                "disclosure": {"kind": "proactive"}, "outlets": ["website"]
            })),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    let r = c
        .json(
            axum::http::Method::POST,
            &format!("/api/v1/register/{id}/publications"),
            Some(serde_json::json!({"outlet": "new_media", "account": "", "published_on": days_ago(0)})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("no_account"), "{}", r.text());
    reviewed(&store, id).await;
    let r = c
        .json(
            axum::http::Method::POST,
            &format!("/api/v1/register/{id}/publications"),
            Some(serde_json::json!({"outlet": "website", "published_on": days_ago(0)})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let l = c.get("/api/v1/register?text=培训&stage=published").await;
    assert_eq!(l.status, StatusCode::OK, "{}", l.text());
    assert_eq!(l.json()["total"], 1);
    let d = c.get("/api/v1/register/due").await.json();
    assert_eq!(d["rate"]["on_time"], 1);
    let v = c.get(&format!("/api/v1/register/{id}")).await.json();
    assert_eq!(v["publications"].as_array().unwrap().len(), 1);
    assert_eq!(
        c.get("/api/v1/register/99").await.status,
        StatusCode::NOT_FOUND
    );
    let doc = c.get("/api/v1/openapi.json").await.text();
    assert!(
        doc.contains("/api/v1/register/{id}/publications"),
        "in the OpenAPI"
    );
}
