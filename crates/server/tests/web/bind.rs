//! Reviews that bind what they approved and corrections, through the forms and the API:
//! the letter is a draft until approved; deciding again puts the reply back to review; a
//! reply is not sent without approval; a 信息员 cannot reopen an approved annual report
//! (form, API: 403); a correction through the form and the API shows old → new.

use axum::Router;
use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::common::{Client, app, bearer, today};

async fn register(c: &mut Client, name: &str) -> String {
    let token = c.csrf("/ledger/new").await;
    let r = c
        .post_form(
            "/ledger/new",
            &[
                ("csrf", &token),
                ("kind", "natural_person"),
                ("name", name),
                ("phone", "13800000000"),
                ("description", "某项目的环评批复"),
                ("received_on", &today()),
                ("channel", "in_person"),
                ("form", "paper"),
                ("delivery", "post"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    r.location().split('?').next().unwrap().to_string()
}

async fn post(
    c: &mut Client,
    page: &str,
    to: &str,
    fields: &[(&str, &str)],
) -> crate::common::Resp {
    let token = c.csrf(page).await;
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    c.post_form(to, &all).await
}

/// The clerk `c` submits the reply of `url`; the office head and the leader approve it.
pub async fn approve_reply(app: &Router, c: &mut Client, url: &str) {
    let r = post(c, url, &format!("{url}/review"), &[("action", "submit")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    for who in ["head", "leader"] {
        let mut u = Client::new(app);
        u.login(who).await;
        let r = post(
            &mut u,
            url,
            &format!("{url}/review"),
            &[("action", "approve")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{who}: {}", r.text());
    }
}

#[tokio::test]
async fn the_letter_is_a_draft_until_approved_and_a_changed_reply_is_reviewed_again() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    c.login("clerk").await;
    let url = register(&mut c, "张三").await;
    let decide = [
        ("type", "decided"),
        ("date", &today() as &str),
        ("decision", "granted"),
        ("note", "属于公开范围"),
    ];
    let r = post(&mut c, &url, &format!("{url}/events"), &decide).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Before approval: every download says 未经审核（草稿）.
    let html = c.get(&format!("{url}/letter/html")).await.text();
    assert!(html.contains("未经审核（草稿）"), "{html}");
    let docx = c.get(&format!("{url}/letter/docx")).await;
    let xml = gongkai_read::docx::document_xml(&docx.body).unwrap();
    assert!(String::from_utf8_lossy(&xml).contains("未经审核（草稿）"));
    assert!(c.get(&url).await.text().contains("id=\"letter-draft\""));
    // Sending without approval: refused on the form.
    let send = [
        ("type", "reply_sent"),
        ("date", &today() as &str),
        ("method", "post"),
    ];
    let r = post(&mut c, &url, &format!("{url}/events"), &send).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("尚未经审核批准"), "{}", r.text());

    approve_reply(&app, &mut c, &url).await;
    let page = c.get(&url).await.text();
    assert!(page.contains("data-review-status=\"approved\""), "{page}");
    assert!(page.contains("批准时的内容"));
    assert!(
        !c.get(&format!("{url}/letter/html"))
            .await
            .text()
            .contains("未经审核")
    );

    // Deciding again after approval: 需重新审核, the letter is a draft again, no sending.
    let r = post(&mut c, &url, &format!("{url}/events"), &decide).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get(&url).await.text();
    assert!(
        page.contains("data-review-status=\"needs_re_review\""),
        "{page}"
    );
    assert!(page.contains("需重新审核"));
    assert!(
        c.get(&format!("{url}/letter/html"))
            .await
            .text()
            .contains("未经审核（草稿）")
    );
    let r = post(&mut c, &url, &format!("{url}/events"), &send).await;
    assert!(r.text().contains("尚未经审核批准"));
    // The clerk's queue lists it.
    assert!(c.get("/reviews").await.text().contains("需重新审核"));

    // Reviewed again: sent.
    approve_reply(&app, &mut c, &url).await;
    let r = post(&mut c, &url, &format!("{url}/events"), &send).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(c.get(&url).await.text().contains("已办结"));
}

#[tokio::test]
async fn a_clerk_cannot_reopen_an_approved_report_by_form_or_api() {
    let (app, _) = app().await;
    let year = today()[..4].parse::<i32>().unwrap() - 1;
    let page = format!("/year-end?year={year}");
    let review = format!("/year-end/{year}/review");
    // Sections 一, 五 and 六 written first (placeholders refuse the submission).
    let mut writer = Client::new(&app);
    bearer(&mut writer, "clerk").await;
    let r = writer
        .json(
            Method::PUT,
            &format!("/api/v1/reports/{year}/narrative"),
            Some(crate::year_end::narrative_json()),
            None,
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text());
    let mut clerk = Client::new(&app);
    clerk.login("clerk").await;
    let r = post(&mut clerk, &page, &review, &[("action", "submit")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    for who in ["head", "leader"] {
        let mut u = Client::new(&app);
        u.login(who).await;
        let r = post(&mut u, &page, &review, &[("action", "approve")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{who}");
    }
    // The form: 403, the report stays approved; the clerk is not offered the button.
    assert!(!clerk.get(&page).await.text().contains("value=\"reopen\""));
    let r = post(
        &mut clerk,
        &page,
        &review,
        &[("action", "reopen"), ("note", "数据有误")],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    // Nor by submitting it again.
    let r = post(&mut clerk, &page, &review, &[("action", "submit")]).await;
    assert_ne!(r.status, StatusCode::SEE_OTHER);
    // The API: 403.
    let mut api = Client::new(&app);
    bearer(&mut api, "clerk").await;
    let uri = format!("/api/v1/reviews/annual_report/{year}");
    let r = api
        .json(
            Method::POST,
            &uri,
            Some(json!({"action": "reopen", "note": "数据有误"})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "forbidden");
    // The leader: without a reason refused, with one reopened.
    let mut leader = Client::new(&app);
    bearer(&mut leader, "leader").await;
    let r = leader
        .json(Method::POST, &uri, Some(json!({"action": "reopen"})), None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "missing_reason");
    let mut lf = Client::new(&app);
    lf.login("leader").await;
    assert!(lf.get(&page).await.text().contains("value=\"reopen\""));
    let r = post(
        &mut lf,
        &page,
        &review,
        &[("action", "reopen"), ("note", "许可决定数有误")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = api.json(Method::GET, &uri, None, None).await;
    assert_eq!(r.json()["status"], "reopened");
}

#[tokio::test]
async fn corrections_through_the_form_and_the_api_show_old_and_new() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    c.login("clerk").await;
    let url = register(&mut c, "张三").await;
    let id = url.rsplit('/').next().unwrap().to_string();
    let page = c.get(&url).await.text();
    assert!(page.contains("更正登记信息"));
    // Without a reason: refused, nothing recorded.
    let fields = |reason: &'static str| {
        vec![
            ("name", "张三"),
            ("applicant_type", "commercial"),
            ("phone", "13800000000"),
            ("received", ""),
            ("description", "某项目的环评批复（补正后：2024年第3号）"),
            ("form", "paper"),
            ("delivery", "post"),
            ("reason", reason),
        ]
    };
    let r = post(&mut c, &url, &format!("{url}/correct"), &fields(" ")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = post(
        &mut c,
        &url,
        &format!("{url}/correct"),
        &fields("登记时类型录错"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = c.get(&url).await.text();
    assert!(page.contains("申请人类型：自然人 → 商业企业"), "{page}");
    assert!(page.contains("理由：登记时类型录错"));
    assert!(page.contains("某项目的环评批复（补正后：2024年第3号）"));
    // The API: the timeline carries old and new; a clerk may correct, a leader may not.
    let mut api = Client::new(&app);
    bearer(&mut api, "clerk").await;
    let uri = format!("/api/v1/applications/{id}/corrections");
    let r = api
        .json(
            Method::POST,
            &uri,
            Some(json!({"delivery": "email", "reason": "申请人来电更正获取方式"})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let ev = &r.json()["event"];
    assert_eq!(ev["type"], "amended");
    assert_eq!(ev["changes"][0]["field"], "delivery");
    assert_eq!(ev["changes"][0]["from"], "post");
    assert_eq!(ev["changes"][0]["to"], "email");
    assert_eq!(
        r.json()["application"]["application"]["request"]["delivery"],
        "email"
    );
    let r = api
        .json(Method::POST, &uri, Some(json!({"delivery": "fax"})), None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let mut leader = Client::new(&app);
    bearer(&mut leader, "leader").await;
    let r = leader
        .json(
            Method::POST,
            &uri,
            Some(json!({"delivery": "fax", "reason": "x"})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    // The OpenAPI document lists the endpoints.
    let doc = api.get("/api/v1/openapi.json").await.json();
    for p in [
        "/api/v1/applications/{id}/corrections",
        "/api/v1/proactive/{id}/correction",
        "/api/v1/proactive/{id}/void",
        "/api/v1/appeals/{id}/correction",
        "/api/v1/appeals/{id}/void",
    ] {
        assert!(doc["paths"][p].is_object(), "{p}");
    }
}

/// A figure entered by mistake is voided on the 主动公开 page with a reason: kept in the
/// store and the audit log, no longer listed or counted; without a reason it is refused
/// beside the field.
#[tokio::test]
async fn a_proactive_record_is_voided_with_a_reason_through_the_page() {
    let (app, store) = app().await;
    let mut c = Client::new(&app);
    c.login("clerk").await;
    let year = today()[..4].parse::<i32>().unwrap() - 1;
    let (from, to) = (format!("{year}-01-01"), format!("{year}-06-30"));
    let r = post(
        &mut c,
        "/proactive",
        "/proactive",
        &[
            ("record", "decisions"),
            ("area", "licensing"),
            ("from", &from),
            ("to", &to),
            ("count", "12"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = c.get("/proactive").await.text();
    assert!(page.contains("12 件"), "{page}");
    let form = &page[page.find("action=\"/proactive/void\"").expect("void form")..];
    let at = form.find("name=\"id\" value=\"").unwrap() + "name=\"id\" value=\"".len();
    let id = form[at..form[at..].find('"').unwrap() + at].to_string();

    let r = post(
        &mut c,
        "/proactive",
        "/proactive/void",
        &[("id", &id), ("reason", " ")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("请说明作废的理由"));
    assert!(r.text().contains("12 件"), "still listed after a refusal");

    let r = post(
        &mut c,
        "/proactive",
        "/proactive/void",
        &[("id", &id), ("reason", "重复登记")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = c.get("/proactive?msg=voided").await.text();
    assert!(!page.contains("12 件"), "{page}");
    assert!(page.contains("已作废该记录"));
    // Kept in the store with its reason (the year-end counts only current records: the
    // service's tests show it).
    let records = store.proactive_records().await.unwrap();
    assert!(records.iter().any(|r| r.id == id));
    assert!(records.iter().any(|r| {
        r.supersedes
            .as_ref()
            .is_some_and(|s| s.void && s.reason == "重复登记")
    }));
}
