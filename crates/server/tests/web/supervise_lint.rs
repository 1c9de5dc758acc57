//! 错敏排查 on the pages (issues 16 §2 and 18 §2): an item whose attachment holds an ID
//! number shows its latest kept run — the finding located in the attachment, the match
//! highlighted in its context, the scan that could not be read — on the item page and its
//! review page; a city supervisor sees the county's figures in the view, drills down to
//! its items read-only, and an agency outside the city is not found.

use axum::http::StatusCode;
use chrono::Datelike;
use gongkai_ledger::register::secrecy::{SecrecyChecklist, SecrecyConclusion, SecrecyReview};
use gongkai_ledger::register::{Disclosure, ItemDraft, Outlet};
use gongkai_service::{Actor, Service, Via};
use gongkai_store::register::NewAttachment;

use crate::common::{Client, app};

const ID: &str = "11010519491231002X";

/// An item with a list holding an ID number and a scan attached, submitted by `clerk`.
async fn item_with_a_leaking_list(svc: &Service, clerk: &Actor, title: &str) -> i64 {
    let formed = Service::today() - chrono::Duration::days(3);
    let item = svc
        .register_item(
            clerk,
            ItemDraft {
                title: title.into(),
                organ: String::new(),
                formed_on: formed,
                number: None,
                topic: "综合政务".into(),
                genre: "公告".into(),
                summary: "公示补贴发放名单。".into(),
                body: "经研究，决定发放补贴，名单见附件。".into(),
                disclosure: Disclosure::Proactive,
                validity: None,
                outlets: vec![Outlet::Website],
            },
        )
        .await
        .unwrap();
    for (name, bytes) in [
        (
            "名单.txt",
            format!("序号 姓名\n\n1 李四 {ID} 已领取").into_bytes(),
        ),
        ("扫描件.png", b"\x89PNG\r\n\x1a\n....".to_vec()),
    ] {
        svc.attach_to_item(
            clerk,
            item.id,
            NewAttachment {
                name: name.into(),
                media_type: String::new(),
                bytes,
            },
        )
        .await
        .unwrap();
    }
    let clean = SecrecyReview {
        checklist: SecrecyChecklist::all_no(),
        conclusion: SecrecyConclusion::Publishable,
        note: None,
    };
    svc.submit_item(clerk, item.id, clean, None).await.unwrap();
    item.id
}

#[tokio::test]
async fn lint_runs_on_the_item_its_review_and_the_supervisors_view() {
    let (app, store) = app().await;
    crate::supervise::city(&store).await;
    let svc = Service::new(store.clone());
    let year = (Service::today() - chrono::Duration::days(3)).year();

    // The clerk's own item: its page and its review page show the latest run.
    let clerk = svc.actor("clerk", Via::Web).await.unwrap();
    let id = item_with_a_leaking_list(&svc, &clerk, "关于补贴发放名单的公示").await;
    let mut c = Client::new(&app);
    c.login("clerk").await;
    for page in [format!("/register/{id}"), format!("/register/{id}/review")] {
        let r = c.get(&page).await;
        assert_eq!(r.status, StatusCode::OK, "{page}: {}", r.text());
        let t = r.text();
        assert!(t.contains("最近一次错敏排查"), "{page}");
        assert!(t.contains("提交审核时"), "{page}");
        assert!(t.contains("附件1《名单.txt》第 2 段第 6 字"), "{page}: {t}");
        assert!(
            t.contains(&format!("1 李四 <mark>{ID}</mark> 已领取")),
            "{page}"
        );
        assert!(t.contains("附件2《扫描件.png》未能提取文字"), "{page}");
    }

    // A county's item: the city supervisor's view counts it, the drill-down lists it.
    let clerk1 = svc.actor_in("clerk", Via::Web, Some("C1")).await.unwrap();
    item_with_a_leaking_list(&svc, &clerk1, "关于甲县补贴名单的公示").await;
    let mut s = Client::new(&app);
    s.login("leader").await;
    let r = s.get(&format!("/supervise?node=C&year={year}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let t = r.text();
    assert!(
        t.contains("data-code=\"C1\" data-with-errors=\"1\" data-published-overridden=\"0\""),
        "{t}"
    );
    assert!(t.contains("data-code=\"C2\" data-with-errors=\"0\""));
    assert!(t.contains(&format!("href=\"/supervise/lint/C1?year={year}\"")));
    assert!(t.contains("PII001×1"));
    let r = s.get(&format!("/supervise/lint/C1?year={year}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let t = r.text();
    assert!(t.contains("关于甲县补贴名单的公示"), "{t}");
    assert!(t.contains(&format!("<mark>{ID}</mark>")));
    assert!(t.contains("附件2《扫描件.png》未能提取文字"));
    assert!(
        !t.contains("name=\"fingerprint\""),
        "read-only: no override form"
    );
    // The root (outside C) is not found; a user who supervises nothing is refused.
    assert_eq!(
        s.get(&format!("/supervise/lint/local-1?year={year}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get(&format!("/supervise/lint/C1?year={year}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
