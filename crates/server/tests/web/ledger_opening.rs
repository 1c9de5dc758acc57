//! 期初数 in the browser (router driven without a socket): typed figures refused with the
//! field named until the columns add up, then saved; read from last year's report (a real
//! report page the readers know cell by cell); an unreadable file named in the error;
//! cleared; the leader refused.

use axum::http::StatusCode;

use crate::common::{Client, app, csrf_of};

const REPORT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../read/tests/fixtures/html/national_nonzero.html"
);

#[tokio::test]
async fn the_opening_balances_are_typed_or_read_from_last_years_report() {
    let (app, store) = app().await;
    let mut c = Client::new(&app);
    c.login("clerk").await;
    let page = c.get("/ledger/opening").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("尚未设置期初数"), "{}", page.text());
    let csrf = csrf_of(&page.text());
    let typed = |cols: [&'static str; 7], year: &'static str| {
        let mut f = vec![("year", year), ("regulations", "2"), ("normative", "31")];
        for (i, v) in cols.into_iter().enumerate() {
            f.push((["c0", "c1", "c2", "c3", "c4", "c5", "c6"][i], v));
        }
        f
    };
    // The columns must add up to 总计.
    let mut fields: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    fields.extend(typed(["3", "1", "0", "0", "0", "0", "5"], "2024"));
    let r = c.post_form("/ledger/opening", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("各列之和 4 与总计 5 不一致"),
        "{}",
        r.text()
    );
    assert!(store.opening().await.unwrap().is_none());
    // A figure that is not a number is named.
    let mut fields: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    fields.extend(typed(["3", "一", "0", "0", "0", "0", "4"], "2024"));
    let r = c.post_form("/ledger/opening", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .contains("“结转下年度继续办理（商业企业）”须为非负整数"),
        "{}",
        r.text()
    );
    // Right: saved, audited, shown.
    let mut fields: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    fields.extend(typed(["3", "1", "0", "0", "0", "0", "4"], "2024"));
    let r = c.post_form("/ledger/opening", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let o = store.opening().await.unwrap().unwrap();
    assert_eq!(o.year, 2024);
    assert_eq!(o.carried_forward, [3, 1, 0, 0, 0, 0, 4]);
    assert_eq!(o.in_force, [2, 31]);
    assert_eq!(o.source, "手工录入");
    let page = c.get("/ledger/opening?msg=opening_saved").await.text();
    assert!(page.contains("已保存期初数"), "{page}");
    assert!(page.contains("2024 年度报告（来源：手工录入）"), "{page}");

    // Read from last year's report: every figure as the report printed it.
    let bytes = std::fs::read(REPORT).unwrap();
    let r = c
        .upload(
            "/ledger/opening/report",
            &csrf,
            &[("2023年报告.html", &bytes)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let o = store.opening().await.unwrap().unwrap();
    assert_eq!(o.year, 2023);
    assert_eq!(o.carried_forward, [1, 4, 8, 7, 1, 3, 24]);
    assert_eq!(o.in_force, [12345, 607]);
    assert_eq!(o.source, "2023年报告.html");
    // A file that is no report: named in the error, nothing changed.
    let r = c
        .upload(
            "/ledger/opening/report",
            &csrf,
            &[("照片.png", b"\x89PNG\r\n")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("照片.png：无法读取报告"), "{}", r.text());
    assert_eq!(store.opening().await.unwrap().unwrap().year, 2023);
    let saves = store
        .audit(&gongkai_store::AuditQuery {
            action: Some("opening.set".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(saves.len(), 2, "the two saves are audited: {saves:#?}");

    // The leader does not record: refused.
    let mut l = Client::new(&app);
    l.login("leader").await;
    assert_eq!(l.get("/ledger/opening").await.status, StatusCode::FORBIDDEN);

    // Cleared.
    let r = c
        .post_form("/ledger/opening/clear", &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(store.opening().await.unwrap().is_none());
}
