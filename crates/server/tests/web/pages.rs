//! Ledger pages: login, roles, CSRF, the life of an application through its forms, the
//! review, the year-end page and its downloads.

use axum::http::{Method, StatusCode, header};

use crate::common::{Client, app, csrf_of, password, today};

#[tokio::test]
async fn ledger_pages_need_a_login() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    for uri in [
        "/ledger",
        "/ledger/new",
        "/reviews",
        "/appeals",
        "/proactive",
        "/year-end",
    ] {
        let r = c.get(uri).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{uri}");
        // Back to the page after the login.
        assert_eq!(
            r.location(),
            format!("/login?next=%2F{}", &uri[1..].replace('/', "%2F")),
            "{uri}"
        );
    }
    assert_eq!(c.get("/").await.location(), "/check");
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_a_right_one_logs_in() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    let token = c.csrf("/login").await;
    let r = c
        .post_form(
            "/login",
            &[
                ("csrf", &token),
                ("name", "clerk"),
                ("password", "wrong-password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.text().contains("用户名或密码错误"));
    // Without the token, even the right password is refused (login CSRF).
    let r = c
        .post_form(
            "/login",
            &[("name", "clerk"), ("password", &password("clerk"))],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    c.login("clerk").await;
    let page = c.get("/ledger").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("clerk（信息员）"));
    assert!(
        page.header(header::SET_COOKIE).is_empty()
            || !page.header(header::SET_COOKIE).contains("gk_session=;")
    );
    // Logging out ends the session.
    let token = csrf_of(&page.text());
    let r = c.post_form("/logout", &[("csrf", &token)]).await;
    assert_eq!(r.location(), "/login?msg=logged_out");
    assert!(!c.cookies.contains_key("gk_session"));
    assert_eq!(c.get("/ledger").await.location(), "/login?next=%2Fledger");
}

#[tokio::test]
async fn a_leader_may_not_register_applications() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    c.login("leader").await;
    assert_eq!(c.get("/ledger/new").await.status, StatusCode::FORBIDDEN);
    let token = c.csrf("/ledger").await;
    let r = c
        .post_form(
            "/ledger/new",
            &[
                ("csrf", &token),
                ("kind", "natural_person"),
                ("name", "张三"),
                ("description", "某文件"),
                ("received_on", &today()),
                ("channel", "in_person"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("分管领导不能登记"));
}

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
                ("description", "2024年度某项目的环境影响评价批复"),
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

async fn event(c: &mut Client, app_url: &str, fields: &[(&str, &str)]) -> crate::common::Resp {
    let token = c.csrf(app_url).await;
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    c.post_form(&format!("{app_url}/events"), &all).await
}

#[tokio::test]
async fn an_application_goes_through_its_forms_and_its_review() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    c.login("clerk").await;
    let url = register(&mut c, "<b>张三</b>").await;
    let page = c.get(&format!("{url}?msg=registered")).await.text();
    assert!(page.contains("已登记申请"));
    assert!(
        page.contains("&#60;b&#62;张三&#60;/b&#62;") || page.contains("&lt;b&gt;张三&lt;/b&gt;"),
        "escaped"
    );
    assert!(!page.contains("<b>张三</b>"));
    assert!(page.contains("答复期限是怎样算出来的"));
    assert!(page.contains("办理中"));
    // The list shows it with its deadline.
    let list = c.get("/ledger").await.text();
    assert!(list.contains("剩 "), "{list}");
    // Without the token: refused.
    let r = c
        .post_form(
            &format!("{url}/events"),
            &[("type", "corrected"), ("date", &today())],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A date in the future: the ledger's message, nothing saved.
    let r = event(
        &mut c,
        &url,
        &[
            ("type", "decided"),
            ("date", "2999-01-01"),
            ("decision", "granted"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("晚于今天"), "{}", r.text());
    // Correction requested, then corrected: the clock restarts.
    let r = event(
        &mut c,
        &url,
        &[
            ("type", "correction_requested"),
            ("date", &today()),
            ("due", &today()),
            ("items", "请写明文件名称"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = c.get(&url).await.text();
    assert!(page.contains("补正中"));
    let r = event(&mut c, &url, &[("type", "corrected"), ("date", &today())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // Extension.
    let r = event(
        &mut c,
        &url,
        &[
            ("type", "extended"),
            ("date", &today()),
            ("days", "20"),
            ("approved_by", "李主任"),
            ("applicant_notified_on", &today()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // A second extension is refused by the ledger.
    let r = event(
        &mut c,
        &url,
        &[
            ("type", "extended"),
            ("date", &today()),
            ("days", "5"),
            ("approved_by", "李主任"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("延长过一次"));
    let page = c.get(&url).await.text();
    assert!(page.contains("延长"), "{page}");
    assert!(page.contains("重新计算"));
    // Decision, then the reply's review.
    let r = event(
        &mut c,
        &url,
        &[
            ("type", "decided"),
            ("date", &today()),
            ("decision", "granted"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get(&url).await.text();
    assert!(page.contains("答复告知书"));
    let token = csrf_of(&page);
    let r = c
        .post_form(
            &format!("{url}/review"),
            &[("csrf", &token), ("action", "submit")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The clerk cannot approve.
    let r = c
        .post_form(
            &format!("{url}/review"),
            &[("csrf", &token), ("action", "approve")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The office head sees it in the queue and passes it; the leader approves.
    let mut head = Client::new(&app);
    head.login("head").await;
    let q = head.get("/reviews").await.text();
    assert!(q.contains("的答复"), "{q}");
    let token = head.csrf(&url).await;
    let r = head
        .post_form(
            &format!("{url}/review"),
            &[("csrf", &token), ("action", "approve")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut leader = Client::new(&app);
    leader.login("leader").await;
    assert!(leader.get("/reviews").await.text().contains("的答复"));
    let token = leader.csrf(&url).await;
    let r = leader
        .post_form(
            &format!("{url}/review"),
            &[("csrf", &token), ("action", "approve")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(leader.get(&url).await.text().contains("已批准"));
    // The letter.
    let docx = c.get(&format!("{url}/letter/docx")).await;
    assert_eq!(docx.status, StatusCode::OK);
    assert!(docx.body.starts_with(b"PK"));
    if gongkai_write::OutputFormat::Pdf.is_available() {
        let pdf = c.get(&format!("{url}/letter/pdf")).await;
        assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.text());
        assert!(pdf.body.starts_with(b"%PDF-"));
        // Read back with the project's PDF reader: the text is there, CJK decoded.
        let doc = gongkai_read::read_document(&pdf.body).unwrap();
        let text: String = doc.paragraphs().map(|p| p.text.as_str()).collect();
        assert!(text.contains("答复告知书"), "{text}");
        assert!(text.contains("第三十六条"), "{text}");
    }
    let html = c.get(&format!("{url}/letter/html")).await.text();
    assert!(html.contains("政府信息公开申请答复告知书"));
    assert!(html.contains("第三十六条"));
    // Reply sent: closed, gone from the open list.
    let r = event(
        &mut c,
        &url,
        &[
            ("type", "reply_sent"),
            ("date", &today()),
            ("method", "post"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(c.get(&url).await.text().contains("已办结"));
    assert!(!c.get("/ledger").await.text().contains("张三"));
    assert!(
        c.get("/ledger?all=1")
            .await
            .text()
            .contains("&#60;b&#62;张三")
    );
}

#[tokio::test]
async fn the_year_end_page_shows_the_computed_tables_and_closes_the_year() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    c.login("clerk").await;
    let url = register(&mut c, "王五").await;
    let r = event(
        &mut c,
        &url,
        &[
            ("type", "decided"),
            ("date", &today()),
            ("decision", "unable_not_held"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    crate::bind::approve_reply(&app, &mut c, &url).await;
    let r = event(
        &mut c,
        &url,
        &[
            ("type", "reply_sent"),
            ("date", &today()),
            ("method", "email"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    register(&mut c, "赵六").await;
    let year = &today()[..4];
    let page = c.get(&format!("/year-end?year={year}")).await.text();
    assert!(page.contains("测试市某局"), "{page}");
    assert!(page.contains("id=\"c-s3.new_received.total\""));
    let received = crate::common::cell_html(&page, "s3.new_received.total");
    assert!(received.contains(">2<"), "{received}");
    let not_held = crate::common::cell_html(&page, "s3.unable_not_held.natural_person");
    assert!(not_held.contains(">1<"), "{not_held}");
    assert!(page.contains("结转下年度继续办理（1 件）"));
    // The year is not over: closing it is refused with the reason (tests/web/year_end.rs
    // closes a past year).
    let token = csrf_of(&page);
    let r = c
        .post_form(
            &format!("/year-end/{year}/review"),
            &[("csrf", &token), ("action", "submit")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("年度尚未结束"), "{}", r.text());
    let page = c.get(&format!("/year-end?year={year}")).await.text();
    assert!(!page.contains("数据冻结于该时刻"));
    // Downloads.
    let docx = c.get(&format!("/year-end/{year}/report/docx")).await;
    assert_eq!(docx.status, StatusCode::OK);
    assert!(docx.body.starts_with(b"PK"));
    let html = c.get(&format!("/year-end/{year}/report/html")).await;
    assert!(html.text().starts_with("<!DOCTYPE html>"));
    let json = c.get(&format!("/year-end/{year}/report/json")).await.json();
    assert_eq!(
        json["year_end"]["report"]["cells"]["s3.new_received.total"],
        2
    );
    let pdf = c.get(&format!("/year-end/{year}/report/pdf")).await;
    if gongkai_write::OutputFormat::Pdf.is_available() {
        assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.text());
        assert!(pdf.body.starts_with(b"%PDF"));
    } else {
        assert_eq!(pdf.status, StatusCode::BAD_REQUEST);
    }
    assert_eq!(
        c.get("/year-end?year=1900").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn appeals_and_proactive_records_are_recorded() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    c.login("clerk").await;
    let token = c.csrf("/appeals").await;
    let r = c
        .post_form(
            "/appeals",
            &[
                ("csrf", &token),
                ("id", "复-1"),
                ("kind", "reconsideration"),
                ("filed_on", &today()),
                ("body", "某市人民政府"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = c.get("/appeals").await.text();
    assert!(page.contains("复-1") && page.contains("尚未审结"));
    let r = c
        .post_form(
            "/appeals/%E5%A4%8D-1/conclude",
            &[
                ("csrf", &token),
                ("result", "upheld"),
                ("decided_on", &today()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(c.get("/appeals").await.text().contains("结果维持"));
    // An appeal for an unknown application: the ledger's message.
    let r = c
        .post_form(
            "/appeals",
            &[
                ("csrf", &token),
                ("kind", "litigation_direct"),
                ("filed_on", &today()),
                ("application", "nope"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("找不到申请"));
    let token = c.csrf("/proactive").await;
    let r = c
        .post_form(
            "/proactive",
            &[
                ("csrf", &token),
                ("record", "document"),
                ("doc_kind", "normative_document"),
                ("title", "某某管理办法"),
                ("issued_on", &today()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = c
        .post_form(
            "/proactive",
            &[
                ("csrf", &token),
                ("record", "fees"),
                ("from", &format!("{}-01-01", &today()[..4])),
                ("to", &today()),
                ("amount", "12345.6"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = c.get("/proactive").await.text();
    assert!(page.contains("某某管理办法") && page.contains("12345.6 元"));
}

#[tokio::test]
async fn pages_work_at_phone_width_and_are_accessible() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    c.login("clerk").await;
    for uri in [
        "/ledger",
        "/ledger/new",
        "/reviews",
        "/appeals",
        "/proactive",
        "/year-end",
        "/check",
    ] {
        let page = c.get(uri).await.text();
        assert!(page.contains("<html lang=\"zh-CN\">"), "{uri}");
        assert!(page.contains("name=\"viewport\""), "{uri}");
        assert!(page.contains("class=\"skip\" href=\"#main\""), "{uri}");
        assert!(page.contains("<main id=\"main\""), "{uri}");
        // Every form that posts carries the token.
        let posts = page.matches("method=\"post\"").count();
        let tokens = page.matches("name=\"csrf\"").count();
        assert!(tokens >= posts, "{uri}: {posts} forms, {tokens} tokens");
        // No external resources.
        assert!(
            !page.contains("http://") && !page.contains("https://"),
            "{uri}"
        );
    }
}

/// Five wrong passwords lock the account: the login page answers 429 with the reason in
/// Chinese, even for the right password, until the administrator unlocks it. (No back-off
/// delay here, so the test does not sleep; the store's tests cover the delays.)
#[tokio::test]
async fn repeated_wrong_passwords_lock_the_account_until_unlocked() {
    let store = crate::common::store().await;
    let config = gongkai_server::Config {
        secret: Some("test secret".into()),
        throttle: gongkai_store::ThrottlePolicy {
            max_delay: chrono::Duration::zero(),
            ..gongkai_store::ThrottlePolicy::default()
        },
        ..gongkai_server::Config::default()
    };
    let app = gongkai_server::app(gongkai_server::AppState::new(store.clone(), config));
    let mut c = Client::new(&app);
    let attempt = |pw: String| {
        let app = app.clone();
        async move {
            let mut c = Client::new(&app);
            let token = c.csrf("/login").await;
            c.post_form(
                "/login",
                &[("csrf", &token), ("name", "clerk"), ("password", &pw)],
            )
            .await
        }
    };
    for i in 1..=4 {
        let r = attempt("wrong-password".into()).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let r = attempt("wrong-password".into()).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text().contains("登录失败次数过多"), "{}", r.text());
    let r = attempt(password("clerk")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // The API says the same in JSON.
    let r = c
        .json(
            Method::POST,
            "/api/v1/session",
            Some(serde_json::json!({"name": "clerk", "password": password("clerk")})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.json()["error"]["code"], "login_locked", "{}", r.text());
    let admin = gongkai_store::Stamp::new("admin", chrono::Utc::now());
    assert!(store.unlock_user(&admin, "clerk").await.unwrap());
    c.login("clerk").await;
    assert_eq!(c.get("/ledger").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_new_database_is_set_up_from_the_browser() {
    let store = gongkai_store::Store::open("sqlite::memory:").await.unwrap();
    let state = gongkai_server::AppState::new(
        store.clone(),
        gongkai_server::Config {
            secret: Some("test secret".into()),
            ..gongkai_server::Config::default()
        },
    );
    let app = gongkai_server::app(state);
    let mut c = Client::new(&app);
    // No users yet: the login page sends to the setup page.
    assert_eq!(c.get("/login").await.location(), "/setup");
    let token = c.csrf("/setup").await;
    // The server prints a one-time code at start (`gongkai serve`); the first visitor on the
    // network without it is refused, and the refusal is audited.
    let code = store
        .issue_setup_code(chrono::Utc::now())
        .await
        .unwrap()
        .unwrap();
    for wrong in ["", "abcd-efgh-jkmn"] {
        let r = c
            .post_form(
                "/setup",
                &[
                    ("csrf", &token),
                    ("code", wrong),
                    ("agency", "抢先的机关"),
                    ("name", "intruder"),
                    ("password", "a-long-password"),
                    ("password2", "a-long-password"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.text().contains("设置码不正确"), "{}", r.text());
        assert!(!store.is_initialised().await.unwrap());
    }
    let refused = store
        .audit(&gongkai_store::AuditQuery::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.action == "setup.refused")
        .count();
    assert_eq!(refused, 2);
    // Refused: passwords differ; nothing is created.
    let r = c
        .post_form(
            "/setup",
            &[
                ("csrf", &token),
                ("code", &code),
                ("agency", "某某县人民政府办公室"),
                ("name", "admin"),
                ("password", "a-long-password"),
                ("password2", "another-password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("两次输入的密码不一致"));
    assert!(!store.is_initialised().await.unwrap());
    // Done: the office's name is set and the administrator can log in.
    let r = c
        .post_form(
            "/setup",
            &[
                ("csrf", &token),
                ("code", &code),
                ("agency", "某某县人民政府办公室"),
                ("name", "admin"),
                ("password", "a-long-password"),
                ("password2", "a-long-password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), "/login?msg=initialised");
    assert_eq!(store.agency().await.unwrap(), "某某县人民政府办公室");
    // Once set up, the setup page only redirects, and a second set-up is refused.
    assert_eq!(c.get("/setup").await.location(), "/login");
    let r = c
        .post_form(
            "/setup",
            &[
                ("csrf", &token),
                ("code", &code),
                ("agency", "另一个机关"),
                ("name", "intruder"),
                ("password", "a-long-password"),
                ("password2", "a-long-password"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/login");
    assert_eq!(store.agency().await.unwrap(), "某某县人民政府办公室");
    let token = c.csrf("/login").await;
    let r = c
        .post_form(
            "/login",
            &[
                ("csrf", &token),
                ("name", "admin"),
                ("password", "a-long-password"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/ledger");
}
