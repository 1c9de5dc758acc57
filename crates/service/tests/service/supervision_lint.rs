//! 错敏 findings by agency in the supervisor's view (issue 18 §2), on both backends: a
//! city (C) with two counties (C1, C2) and a sibling city (X). The figures come from the
//! register's kept 错敏排查 runs: a supervisor of C sees C1's item with an ID number in
//! review and its item published with the error let through, C2's clean item, and not X's;
//! the drill-down lists C1's items with their findings, X is not found; the XLSX and JSON
//! exports carry the columns.

use super::*;
use gongkai_ledger::register::secrecy::{SecrecyChecklist, SecrecyConclusion, SecrecyReview};
use gongkai_ledger::register::{Disclosure, ItemDraft, Outlet, Publication};
use gongkai_service::supervision::export::SupervisionFormat;
use gongkai_write::xlsx::inspect::{self, Value as X};

on_both_backends!(a_city_supervisor_sees_its_counties_lint_figures);

const ID: &str = "11010519491231002X";

fn draft(title: &str, body: &str) -> ItemDraft {
    ItemDraft {
        title: title.into(),
        organ: String::new(),
        formed_on: NaiveDate::from_ymd_opt(2025, 10, 9).unwrap(),
        number: None,
        topic: "综合政务/政务公开".into(),
        genre: "公告".into(),
        summary: "公示补贴发放情况。".into(),
        body: body.into(),
        disclosure: Disclosure::Proactive,
        validity: None,
        outlets: vec![Outlet::Website],
    }
}

fn clean() -> SecrecyReview {
    SecrecyReview {
        checklist: SecrecyChecklist::all_no(),
        conclusion: SecrecyConclusion::Publishable,
        note: None,
    }
}

async fn a_city_supervisor_sees_its_counties_lint_figures(svc: &Service) {
    let svc = &svc
        .clone()
        .with_date(NaiveDate::from_ymd_opt(2025, 10, 20).unwrap());
    let sup = super::supervision::city_and_supervisor(svc).await;
    let who = |code: &'static str| async move {
        (
            svc.actor_in("li", Via::Cli, Some(code)).await.unwrap(),
            svc.actor_in("zhu", Via::Cli, Some(code)).await.unwrap(),
            svc.actor_in("wang", Via::Cli, Some(code)).await.unwrap(),
        )
    };
    let leak = format!("各有关单位：\n申请人张三（身份证号{ID}）已领取补贴。");

    // C1: one item with an ID number submitted; one published with the error let through.
    let (li, zhu, wang) = who("C1").await;
    let a = svc
        .register_item(&li, draft("甲公示", &leak))
        .await
        .unwrap();
    svc.submit_item(&li, a.id, clean(), None).await.unwrap();
    let b = svc
        .register_item(&li, draft("乙公示", &leak))
        .await
        .unwrap();
    svc.submit_item(&li, b.id, clean(), None).await.unwrap();
    let r = svc.item_review(&zhu, b.id).await.unwrap();
    let fp = r.blocking[0].fingerprint();
    svc.override_item_finding(&zhu, b.id, &fp, "经本人书面同意公开")
        .await
        .unwrap();
    svc.approve_item(&zhu, b.id, None).await.unwrap();
    svc.approve_item(&wang, b.id, None).await.unwrap();
    svc.publish_item(
        &li,
        b.id,
        Publication {
            outlet: Outlet::Website,
            account: String::new(),
            published_on: NaiveDate::from_ymd_opt(2025, 10, 15).unwrap(),
            url: None,
        },
    )
    .await
    .unwrap();
    // C2: a clean item submitted. X (outside the city): an item with an ID number.
    let (li2, _, _) = who("C2").await;
    let c = svc
        .register_item(&li2, draft("丙通知", "经研究，决定发放补贴。"))
        .await
        .unwrap();
    svc.submit_item(&li2, c.id, clean(), None).await.unwrap();
    let (lix, _, _) = who("X").await;
    let x = svc
        .register_item(&lix, draft("丁公示", &leak))
        .await
        .unwrap();
    svc.submit_item(&lix, x.id, clean(), None).await.unwrap();

    // The view of C: every agency of the subtree, X not among them.
    let o = svc
        .supervision(&sup, Some("C"), Some(2025), None)
        .await
        .unwrap();
    let codes: Vec<&str> = o.lint.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(codes, ["C", "C1", "C2"]);
    let c1 = &o.lint[1];
    assert_eq!(
        (
            c1.checked,
            c1.with_errors,
            c1.errors,
            c1.published_overridden,
            c1.overrides
        ),
        (2, 2, 2, 1, 1),
        "{c1:?}"
    );
    assert_eq!(c1.top_codes_text(), "PII001×2");
    let c2 = &o.lint[2];
    assert_eq!((c2.checked, c2.with_errors, c2.errors), (1, 0, 0), "{c2:?}");
    assert_eq!((o.lint[0].checked, o.lint[0].errors), (0, 0));
    assert!(o.unavailable.iter().all(|u| !u.what.contains("错敏")));
    // Another year: nothing.
    let o24 = svc
        .supervision(&sup, Some("C"), Some(2024), None)
        .await
        .unwrap();
    assert!(o24.lint.iter().all(|l| l.checked == 0));

    // The drill-down: C1's items with their findings; X is not found; li supervises nothing.
    let d = svc
        .supervision_lint_agency(&sup, "C1", Some(2025))
        .await
        .unwrap();
    assert_eq!(d.items.len(), 2);
    assert!(d.items.iter().all(|i| i.run.findings[0].code == "PII001"));
    let published = d.items.iter().find(|i| i.item == b.id).unwrap();
    assert_eq!(
        (published.run.overridden, published.run.stage.as_str()),
        (1, "publish")
    );
    let e = svc
        .supervision_lint_agency(&sup, "X", Some(2025))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let e = svc
        .supervision_lint_agency(&li, "C1", Some(2025))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "not_supervisor");
    // Reading wrote nothing to C1's register.
    assert_eq!(svc.item_lint_runs(&li, a.id).await.unwrap().len(), 1);

    // Exports: the XLSX sheet and the JSON carry the columns.
    let xl = svc
        .export_supervision(&sup, Some("C"), Some(2025), None, SupervisionFormat::Xlsx)
        .await
        .unwrap();
    let sheets = inspect::read(&xl.bytes).unwrap();
    let s = sheets
        .iter()
        .find(|s| s.name == "错敏排查")
        .expect("错敏 sheet");
    assert_eq!(s.cells.get("A1"), Some(&X::Text("机关".into())));
    assert_eq!(s.cells.get("I1"), Some(&X::Text("最常见的问题".into())));
    assert_eq!(s.cells.get("B3"), Some(&X::Text("C1".into())));
    assert_eq!(s.cells.get("D3"), Some(&X::Number(2.0)));
    assert_eq!(s.cells.get("I3"), Some(&X::Text("PII001×2".into())));
    let j = svc
        .export_supervision(&sup, Some("C"), Some(2025), None, SupervisionFormat::Json)
        .await
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&j.bytes).unwrap();
    let l1 = &v["lint"][1];
    assert_eq!(l1["code"], "C1");
    assert_eq!(l1["with_errors"], 2);
    assert_eq!(l1["published_overridden"], 1);
    assert_eq!(l1["overrides"], 1);
    assert_eq!(l1["top_codes"][0]["code"], "PII001");
}
