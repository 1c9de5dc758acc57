//! The public 专栏's pages (issue 17 §1) on SQLite and PostgreSQL, as a visitor without a
//! login: the index, the home page with its columns, the items with filters, an item's
//! page with its metadata block and attachment, a withdrawn item, the guide from the
//! settings, the approved annual report as HTML (its own CSP) and DOCX, the catalogue
//! and its CSV; unknown addresses are 404; nothing of the workbench shows.

use axum::Router;
use axum::http::{StatusCode, header};
use gongkai_ledger::register::{Disclosure, ItemDraft, Outlet};
use gongkai_service::{Service, Via};
use gongkai_store::register::NewAttachment;
use gongkai_store::{ReviewAction, ReviewSubject, Store};

use crate::common::{Client, app_over, fresh_postgres_url, store_at};

fn draft(title: &str, topic: &str) -> ItemDraft {
    ItemDraft {
        title: title.into(),
        organ: String::new(),
        formed_on: Service::today() - chrono::Duration::days(5),
        number: Some("测政发〔2026〕3号".into()),
        topic: topic.into(),
        genre: "通知".into(),
        summary: "部署全年政务公开工作。".into(),
        body: "各科室：\n\n现将要点印发给你们。".into(),
        disclosure: Disclosure::Proactive,
        validity: None,
        outlets: vec![Outlet::Website],
    }
}

/// Registered, reviewed and published on the website through the service.
async fn published(svc: &Service, d: ItemDraft, file: Option<&[u8]>) -> i64 {
    let clerk = svc.actor("clerk", Via::Web).await.unwrap();
    let item = svc.register_item(&clerk, d).await.unwrap();
    if let Some(bytes) = file {
        svc.attach_to_item(
            &clerk,
            item.id,
            NewAttachment {
                name: "要点全文.pdf".into(),
                media_type: "application/pdf".into(),
                bytes: bytes.to_vec(),
            },
        )
        .await
        .unwrap();
    }
    crate::common::review_and_publish(svc, item.id).await;
    item.id
}

/// The 2025 report written and approved (三审).
async fn approved_report(svc: &Service) {
    let clerk = svc.actor("clerk", Via::Web).await.unwrap();
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
    svc.save_narrative(&clerk, 2025, text, None).await.unwrap();
    let subject = ReviewSubject::AnnualReport { year: 2025 };
    for (who, action) in [
        ("clerk", ReviewAction::Submit),
        ("head", ReviewAction::Review),
        ("leader", ReviewAction::Approve),
    ] {
        let a = svc.actor(who, Via::Web).await.unwrap();
        svc.review_step(&a, &subject, action, None).await.unwrap();
    }
}

async fn the_portal_for_a_visitor(app: Router, store: Store) {
    let svc = Service::new(store.clone());
    let mut c = Client::new(&app);
    // One agency: the index goes to its 专栏.
    let r = c.get("/portal").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/portal/local-1");
    let home = c.get("/portal/local-1").await;
    assert_eq!(home.status, StatusCode::OK);
    let page = home.text();
    for column in [
        "政府信息公开指南",
        "政府信息公开制度",
        "法定主动公开内容",
        "政府信息公开年报",
        "政府信息公开目录",
    ] {
        assert!(page.contains(column), "{column}");
    }
    assert!(
        page.contains(r#"<meta name="SiteName" content="测试市某局">"#),
        "{page}"
    );
    assert!(
        !page.contains("依申请公开台账") && !page.contains("/logout"),
        "no workbench"
    );
    assert!(page.contains("暂无年度报告"));

    let a = published(
        &svc,
        draft("关于印发<2026>政务公开工作要点的通知", "综合政务"),
        Some(b"%PDF-1.4 x"),
    )
    .await;
    let rules = published(
        &svc,
        draft("政府信息公开工作制度", "综合政务\\政务公开"),
        None,
    )
    .await;
    let page = c.get("/portal/local-1").await.text();
    assert!(
        page.contains("关于印发&#60;2026&#62;政务公开工作要点的通知"),
        "escaped: {page}"
    );
    assert!(page.contains(&format!("/portal/local-1/items/{a}")));
    let rules_page = c.get("/portal/local-1/rules").await.text();
    assert!(rules_page.contains("政府信息公开工作制度"));
    assert!(!rules_page.contains("政务公开工作要点"));

    // The list with filters; a bad year is a clear 4xx.
    let list = c
        .get(
            "/portal/local-1/items?q=%E8%A6%81%E7%82%B9&topic=%E7%BB%BC%E5%90%88%E6%94%BF%E5%8A%A1",
        )
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text().contains("共 1 条"), "{}", list.text());
    let bad = c.get("/portal/local-1/items?year=abc").await;
    assert!(bad.status.is_client_error());
    assert!(bad.text().contains("年度"), "{}", bad.text());

    // The item page: the metadata block, the body, the attachment.
    let item = c.get(&format!("/portal/local-1/items/{a}")).await.text();
    for field in [
        "索引号",
        "发布机构",
        "生成日期",
        "文号",
        "测政发〔2026〕3号",
        "主题分类",
        "内容概述",
        "现将要点印发给你们。",
    ] {
        assert!(item.contains(field), "{field}: {item}");
    }
    assert!(
        item.contains(r#"<meta name="ArticleTitle""#) && item.contains(r#"<meta name="PubDate""#)
    );
    let file = c.get(&format!("/portal/local-1/items/{a}/files/1")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body, b"%PDF-1.4 x");
    assert_eq!(file.header(header::CONTENT_TYPE), "application/pdf");
    assert!(
        file.header(header::CONTENT_DISPOSITION)
            .starts_with("attachment")
    );
    for missing in [
        format!("/portal/local-1/items/{a}/files/9"),
        "/portal/local-1/items/999".to_string(),
        "/portal/local-1/items/abc".to_string(),
        "/portal/no-such/items".to_string(),
        "/portal/no-such".to_string(),
    ] {
        assert_eq!(
            c.get(&missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }

    // Withdrawn: the address stays and says so.
    let head = svc.actor("head", Via::Web).await.unwrap();
    svc.withdraw_item(&head, rules, "重新修订").await.unwrap();
    let gone = c.get(&format!("/portal/local-1/items/{rules}")).await;
    assert_eq!(gone.status, StatusCode::OK);
    assert!(gone.text().contains("撤稿"), "{}", gone.text());
    assert!(
        !c.get("/portal/local-1/rules")
            .await
            .text()
            .contains("政府信息公开工作制度")
    );

    // The guide from the settings.
    let admin = svc.actor("admin", Via::Web).await.unwrap();
    let mut office = svc.office().await.unwrap();
    office.phone = "0591-87654321".into();
    office.hours = "工作日 8:30—17:30".into();
    svc.set_office(&admin, &office).await.unwrap();
    let guide = c.get("/portal/local-1/guide").await.text();
    assert!(
        guide.contains("0591-87654321") && guide.contains("工作日 8:30—17:30"),
        "{guide}"
    );
    assert!(guide.contains("暂未公布"), "fax not given");
    assert!(guide.contains(r#"<meta name="ColumnType" content="信息公开指南">"#));

    // The catalogue and its CSV.
    let cat = c.get("/portal/local-1/catalogue").await.text();
    assert!(
        cat.contains("索引号") && cat.contains("关于印发&#60;2026&#62;"),
        "{cat}"
    );
    let csv = c.get("/portal/local-1/catalogue.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = String::from_utf8_lossy(&csv.body).to_string();
    assert!(
        text.contains("关于印发<2026>政务公开工作要点的通知"),
        "{text}"
    );
    assert!(!text.contains("政府信息公开工作制度"), "withdrawn");
    assert_eq!(
        c.get("/portal/local-1/catalogue.pdf").await.status,
        StatusCode::NOT_FOUND
    );

    // Reports: only once approved; the HTML page with its own style hash.
    assert_eq!(
        c.get("/portal/local-1/reports/2025").await.status,
        StatusCode::NOT_FOUND
    );
    approved_report(&svc).await;
    let reports = c.get("/portal/local-1/reports").await.text();
    assert!(
        reports.contains("2025年政府信息公开工作年度报告"),
        "{reports}"
    );
    let html = c.get("/portal/local-1/reports/2025").await;
    assert_eq!(html.status, StatusCode::OK);
    let csp = html.header(header::CONTENT_SECURITY_POLICY);
    assert!(
        csp.contains("style-src 'sha256-") && !csp.contains("unsafe"),
        "{csp}"
    );
    assert!(html.text().contains("本年度未收取信息处理费。"));
    let docx = c.get("/portal/local-1/reports/2025/docx").await;
    assert_eq!(docx.status, StatusCode::OK);
    assert!(docx.body.starts_with(b"PK"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_portal_for_a_visitor_on_both_backends() {
    let store = store_at("sqlite::memory:").await;
    the_portal_for_a_visitor(app_over(store.clone()), store).await;
    if let Some(url) = fresh_postgres_url("portal").await {
        let store = store_at(&url).await;
        the_portal_for_a_visitor(app_over(store.clone()), store).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_platform_index_lists_every_agency() {
    let store = store_at("sqlite::memory:").await;
    crate::platform::two_agencies(&store).await;
    let app = app_over(store.clone());
    let mut c = Client::new(&app);
    let r = c.get("/portal").await;
    assert_eq!(r.status, StatusCode::OK);
    let page = r.text();
    assert!(
        page.contains(r#"href="/portal/local-1""#) && page.contains(r#"href="/portal/B""#),
        "{page}"
    );
    let b = c.get("/portal/B").await.text();
    assert!(b.contains("某区某局"));
}

/// `gongkai serve --public`: the 专栏 only; the workbench, its API, the sign-in and the
/// checker are not there at all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_process_serves_the_portal_only() {
    let store = store_at("sqlite::memory:").await;
    let state = gongkai_server::AppState::new(
        store,
        gongkai_server::Config {
            secret: Some("test secret".into()),
            ..Default::default()
        },
    );
    let app = gongkai_server::public_app(state);
    let mut c = Client::new(&app);
    let r = c.get("/").await;
    assert_eq!(
        (r.status, r.location().as_str()),
        (StatusCode::SEE_OTHER, "/portal")
    );
    assert_eq!(c.get("/portal/local-1").await.status, StatusCode::OK);
    assert_eq!(c.get("/assets/portal.css").await.status, StatusCode::OK);
    for hidden in [
        "/login",
        "/ledger",
        "/register",
        "/admin/users",
        "/supervise",
        "/check",
        "/api/v1/openapi.json",
        "/setup",
    ] {
        assert_eq!(
            c.get(hidden).await.status,
            StatusCode::NOT_FOUND,
            "{hidden}"
        );
    }
    let r = c
        .post_form("/login", &[("name", "admin"), ("password", "x")])
        .await;
    assert!(
        r.status == StatusCode::NOT_FOUND || r.status == StatusCode::METHOD_NOT_ALLOWED,
        "{:?}",
        r.status
    );
}
