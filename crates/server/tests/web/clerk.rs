//! What a clerk hit (issue 12 §6): refused forms keep every value, the consultation
//! answer entered late, the list's search, filters and paging, the return after login,
//! names rather than logins, masked identity numbers.

use axum::http::StatusCode;
use chrono::NaiveDate;
use gongkai_ledger::Calendar;
use gongkai_ledger::calendar::date_zh;
use gongkai_store::{NewUser, Role, Stamp};

use crate::common::{Client, app, csrf_of, password, today};

async fn post(
    c: &mut Client,
    page: &str,
    uri: &str,
    fields: &[(&str, &str)],
) -> crate::common::Resp {
    let token = c.csrf(page).await;
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    c.post_form(uri, &all).await
}

/// Registers through the form; the application's page.
async fn register(c: &mut Client, fields: &[(&str, &str)]) -> String {
    let r = post(c, "/ledger/new", "/ledger/new", fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    r.location().split('?').next().unwrap().to_string()
}

/// The `<option>` of `value` in the `<select id=…>` is the selected one.
fn selected(page: &str, select_id: &str, value: &str) -> bool {
    let start = page
        .find(&format!("<select id=\"{select_id}\""))
        .unwrap_or_else(|| panic!("no select {select_id}"));
    let end = start + page[start..].find("</select>").unwrap();
    page[start..end].contains(&format!("<option value=\"{value}\" selected>"))
}

/// The value of `<input id=…>`.
fn input_value(page: &str, id: &str) -> String {
    let start = page
        .find(&format!("<input id=\"{id}\""))
        .unwrap_or_else(|| panic!("no input {id}"));
    let tag = &page[start..start + page[start..].find('>').unwrap()];
    let v = tag.find("value=\"").map_or("", |i| {
        let rest = &tag[i + 7..];
        &rest[..rest.find('"').unwrap()]
    });
    v.to_string()
}

/// The message beside the field `id` (the `field-error` right after it).
fn error_beside(page: &str, id: &str) -> String {
    let start = page
        .find(&format!(" id=\"{id}\""))
        .unwrap_or_else(|| panic!("no field {id}"));
    let rest = &page[start..];
    let div_end = rest.find("</div>").unwrap();
    let part = &rest[..div_end];
    let tag = "<p class=\"field-error\" role=\"alert\">";
    part.find(tag)
        .map(|i| {
            let m = &part[i + tag.len()..];
            m[..m.find("</p>").unwrap()].to_string()
        })
        .unwrap_or_default()
}

fn tomorrow() -> String {
    (NaiveDate::parse_from_str(&today(), "%Y-%m-%d").unwrap() + chrono::Duration::days(1))
        .to_string()
}

#[tokio::test]
async fn a_refused_registration_keeps_every_value() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    c.login("clerk").await;
    let future = tomorrow();
    let fields = [
        ("kind", "commercial"),
        ("name", "某某科技有限公司"),
        ("id_document", "passport"),
        ("id_number", "E12345678"),
        ("representative", "赵六"),
        ("phone", "13800000000"),
        ("email", "a@example.com"),
        ("address", "某市某路1号"),
        ("description", "2024年某项目的批复"),
        ("document_number", "某发〔2024〕1号"),
        ("form", "electronic"),
        ("delivery", "email"),
        ("fee_units", "3"),
        ("channel", "ordinary_mail"),
        ("received_on", future.as_str()),
        ("earlier_date", ""),
        ("id", "2099-0001"),
        ("note", "来信"),
    ];
    let r = post(&mut c, "/ledger/new", "/ledger/new", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text();
    assert!(selected(&page, "kind", "commercial"));
    assert!(selected(&page, "id_document", "passport"), "身份证明 kept");
    assert!(selected(&page, "form", "electronic"), "载体形式 kept");
    assert!(selected(&page, "delivery", "email"), "获取方式 kept");
    assert!(selected(&page, "channel", "ordinary_mail"));
    for (id, v) in [
        ("name", "某某科技有限公司"),
        ("id_number", "E12345678"),
        ("representative", "赵六"),
        ("phone", "13800000000"),
        ("email", "a@example.com"),
        ("address", "某市某路1号"),
        ("document_number", "某发〔2024〕1号"),
        ("fee_units", "3"),
        ("received_on", future.as_str()),
        ("id", "2099-0001"),
        ("note", "来信"),
    ] {
        assert_eq!(input_value(&page, id), v, "{id}");
    }
    assert!(page.contains(">2024年某项目的批复</textarea>"));
    assert!(
        error_beside(&page, "received_on").contains("晚于今天"),
        "{page}"
    );
    assert_eq!(error_beside(&page, "name"), "");
    // A field the form itself refuses: the message beside that field.
    let mut bad = fields.to_vec();
    bad[14] = ("received_on", "2025-13-01");
    bad[11] = ("delivery", "carrier_pigeon");
    let r = post(&mut c, "/ledger/new", "/ledger/new", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text();
    let e = error_beside(&page, "delivery");
    assert!(e.starts_with("获取方式“carrier_pigeon”无效"), "{e}");
    assert!(selected(&page, "form", "electronic"));
    // Corrected, it registers with what was entered: the letter gets e-mail.
    let mut good = fields.to_vec();
    good[14] = ("received_on", "2026-11-02");
    good[15] = ("earlier_date", "2026-11-02");
    let url = register(&mut c, &good).await;
    let page = c.get(&url).await.text();
    assert!(page.contains("电子邮件"), "{page}");
    assert!(page.contains("护照 E12345678"), "{page}");
}

#[tokio::test]
async fn refused_event_forms_keep_their_values() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    c.login("clerk").await;
    let url = register(
        &mut c,
        &[
            ("kind", "natural_person"),
            ("name", "张三"),
            ("description", "某文件"),
            ("received_on", "2026-11-02"),
            ("channel", "in_person"),
            ("form", "paper"),
            ("delivery", "post"),
        ],
    )
    .await;
    let events = format!("{url}/events");
    // An extension of 25 working days: refused by the ledger, beside 延长的工作日数.
    let r = post(
        &mut c,
        &url,
        &events,
        &[
            ("type", "extended"),
            ("date", "2026-11-20"),
            ("days", "25"),
            ("approved_by", "李主任"),
            ("applicant_notified_on", "2026-11-21"),
            ("note", "需要调取档案"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text();
    assert!(page.contains("<details class=\"card\" id=\"form-extended\" open>"));
    assert_eq!(input_value(&page, "ex-days"), "25");
    assert_eq!(input_value(&page, "ex-by"), "李主任");
    assert_eq!(input_value(&page, "ex-date"), "2026-11-20");
    assert_eq!(input_value(&page, "ex-notified"), "2026-11-21");
    assert_eq!(input_value(&page, "ex-note"), "需要调取档案");
    assert!(
        error_beside(&page, "ex-days").contains("20个工作日"),
        "{page}"
    );
    // The other forms keep their defaults.
    assert_eq!(input_value(&page, "cs-date"), today());
    // A consultation with an empty party: refused by the form, beside 名称.
    let r = post(
        &mut c,
        &url,
        &events,
        &[
            ("type", "consultation_sent"),
            ("date", "2026-11-03"),
            ("consultation", "co_producer"),
            ("party", " "),
        ],
    )
    .await;
    let page = r.text();
    assert!(selected(&page, "cs-kind", "co_producer"));
    assert_eq!(input_value(&page, "cs-date"), "2026-11-03");
    assert!(error_beside(&page, "cs-party").contains("征求意见对象"));
    // A fee notice with a bad amount.
    let r = post(
        &mut c,
        &url,
        &events,
        &[
            ("type", "fee_notice_sent"),
            ("date", "2026-11-03"),
            ("basis", "per_volume"),
            ("pages", "120"),
            ("amount", "十元"),
            ("received_by_applicant_on", "2026-11-04"),
        ],
    )
    .await;
    let page = r.text();
    assert!(selected(&page, "fe-basis", "per_volume"));
    assert_eq!(input_value(&page, "fe-pages"), "120");
    assert_eq!(input_value(&page, "fe-amount"), "十元");
    assert_eq!(input_value(&page, "fe-recv"), "2026-11-04");
    assert!(error_beside(&page, "fe-amount").contains("金额"));
    // A decision, then a reply dated in the future: the method entered stays e-mail.
    let r = post(
        &mut c,
        &url,
        &events,
        &[
            ("type", "decided"),
            ("date", "2026-11-05"),
            ("decision", "partially_granted"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let future = tomorrow();
    let r = post(
        &mut c,
        &url,
        &events,
        &[
            ("type", "reply_sent"),
            ("date", &future),
            ("method", "email"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text();
    assert!(selected(&page, "rs-method", "email"), "送达方式 kept");
    assert_eq!(input_value(&page, "rs-date"), future);
    assert!(error_beside(&page, "rs-date").contains("晚于今天"));
    // A refused decision keeps the chosen row.
    let r = post(
        &mut c,
        &url,
        &events,
        &[
            ("type", "decided"),
            ("date", &future),
            ("decision", "denied_state_secret"),
            ("note", "涉密"),
        ],
    )
    .await;
    let page = r.text();
    assert!(selected(&page, "de-decision", "denied_state_secret"));
    assert_eq!(input_value(&page, "de-note"), "涉密");
}

#[tokio::test]
async fn refused_appeal_and_proactive_forms_keep_their_values() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    c.login("clerk").await;
    let future = tomorrow();
    let r = post(
        &mut c,
        "/appeals",
        "/appeals",
        &[
            ("kind", "litigation_direct"),
            ("filed_on", &future),
            ("application", "2026-0099"),
            ("role", "reconsideration_organ"),
            ("body", "某市中级人民法院"),
            ("case_number", "（2026）某行初1号"),
            ("id", "案-2026-009"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text();
    assert!(selected(&page, "a-kind", "litigation_direct"));
    assert!(selected(&page, "a-role", "reconsideration_organ"));
    assert_eq!(input_value(&page, "a-filed"), future);
    assert_eq!(input_value(&page, "a-app"), "2026-0099");
    assert_eq!(input_value(&page, "a-body"), "某市中级人民法院");
    assert_eq!(input_value(&page, "a-no"), "（2026）某行初1号");
    assert_eq!(input_value(&page, "a-id"), "案-2026-009");
    assert!(!error_beside(&page, "a-filed").is_empty(), "{page}");

    let r = post(
        &mut c,
        "/proactive",
        "/proactive",
        &[
            ("record", "document"),
            ("doc_kind", "regulation"),
            ("title", "某某管理办法"),
            ("number", "某府令第1号"),
            ("issued_on", "2026-02-30"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text();
    assert!(selected(&page, "d-kind", "regulation"));
    assert_eq!(input_value(&page, "d-title"), "某某管理办法");
    assert_eq!(input_value(&page, "d-number"), "某府令第1号");
    assert_eq!(input_value(&page, "d-issued"), "2026-02-30");
    assert!(error_beside(&page, "d-issued").contains("制发日期"));
    let r = post(
        &mut c,
        "/proactive",
        "/proactive",
        &[
            ("record", "fees"),
            ("from", "2026-01-01"),
            ("to", "2026-06-30"),
            ("amount", "一千"),
        ],
    )
    .await;
    let page = r.text();
    assert_eq!(input_value(&page, "f-from"), "2026-01-01");
    assert_eq!(input_value(&page, "f-to"), "2026-06-30");
    assert!(error_beside(&page, "f-amount").contains("金额"));
    // The decision-count form was not the one refused: its defaults.
    assert!(selected(&page, "c-area", "licensing"));
    assert_eq!(input_value(&page, "c-from"), "");
}

/// The answer form stays after the consultation's 15 working days; entered late and dated
/// when the answer came, it brings the deadline back; its date is checked.
#[tokio::test]
async fn a_consultation_answered_late_is_entered_and_the_deadline_follows() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    c.login("clerk").await;
    let url = register(
        &mut c,
        &[
            ("kind", "natural_person"),
            ("name", "张三"),
            ("description", "某文件"),
            ("received_on", "2026-10-12"),
            ("channel", "in_person"),
            ("form", "paper"),
            ("delivery", "post"),
        ],
    )
    .await;
    let events = format!("{url}/events");
    let r = post(
        &mut c,
        &url,
        &events,
        &[
            ("type", "consultation_sent"),
            ("date", "2026-10-13"),
            ("consultation", "third_party"),
            ("party", "某公司"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let cal = Calendar::embedded();
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let statutory = cal.add_working_days(d("2026-10-12"), 20).value;
    // Unanswered: the 15 working days paused in full (they ran out long ago).
    let page = c.get(&url).await.text();
    let full = cal.add_working_days(statutory, 15).value;
    assert!(
        page.contains(&format!(
            "<span class=\"deadline\">{}</span>",
            date_zh(full)
        )) || page.contains(&date_zh(full)),
        "{page}"
    );
    assert!(
        page.contains("id=\"form-consultation_answered\""),
        "the answer form is offered after the 15 days"
    );
    // Dated before the consultation: refused beside the date, values kept.
    let r = post(
        &mut c,
        &url,
        &events,
        &[
            ("type", "consultation_answered"),
            ("date", "2026-10-12"),
            ("consultation_seq", "2"),
            ("consents", "no"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text();
    assert!(
        error_beside(&page, "ca-date").contains("早于第 2 项征求意见发出的日期"),
        "{page}"
    );
    assert!(selected(&page, "ca-consents", "no"));
    assert!(selected(&page, "ca-seq", "2"));
    // Dated when it came (Oct 15): the pause is Oct 14–15, two working days.
    let r = post(
        &mut c,
        &url,
        &events,
        &[
            ("type", "consultation_answered"),
            ("date", "2026-10-15"),
            ("consultation_seq", "2"),
            ("consents", "yes"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = c.get(&url).await.text();
    let expected = cal.add_working_days(statutory, 2).value;
    assert!(page.contains(&date_zh(expected)), "{page}");
    assert!(!page.contains(&date_zh(full)), "{page}");
    assert!(!page.contains("id=\"form-consultation_answered\""));
}

#[tokio::test]
async fn the_login_returns_to_the_page_that_asked_for_it() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    let r = c.get("/ledger?status=closed&q=%E5%BC%A0").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.location(),
        "/login?next=%2Fledger%3Fstatus%3Dclosed%26q%3D%25E5%25BC%25A0"
    );
    let page = c.get(&r.location()).await.text();
    assert!(
        page.contains(
            "<input type=\"hidden\" name=\"next\" value=\"/ledger?status=closed&#38;q=%E5%BC%A0\">"
        ),
        "{page}"
    );
    let token = csrf_of(&page);
    let login = |next: &'static str| {
        vec![
            ("csrf", token.clone()),
            ("name", "clerk".to_string()),
            ("password", password("clerk")),
            ("next", next.to_string()),
        ]
    };
    let fields = login("/ledger?status=closed&q=%E5%BC%A0");
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = c.post_form("/login", &refs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), "/ledger?status=closed&q=%E5%BC%A0");
    // Never another site: an open redirect is refused and the login goes home.
    for evil in [
        "//evil.example/ledger",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/ledger\r\nSet-Cookie: x=1",
    ] {
        let mut c = Client::new(&app);
        let token = c.csrf("/login").await;
        let r = c
            .post_form(
                "/login",
                &[
                    ("csrf", &token),
                    ("name", "clerk"),
                    ("password", &password("clerk")),
                    ("next", evil),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{evil:?}");
        assert_eq!(r.location(), "/ledger", "{evil:?}");
        // Nor through the login page's query.
        let page = c.get(&format!("/login?next={}", urlencode(evil))).await;
        assert_eq!(page.location(), "/ledger", "{evil:?}");
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn the_list_searches_filters_pages_and_masks() {
    let (app, store) = app().await;
    store
        .add_user(
            &NewUser {
                name: "liming".into(),
                display_name: Some("李明".into()),
                role: Role::Clerk,
                password: password("liming"),
            },
            &Stamp::now("admin"),
        )
        .await
        .unwrap();
    let mut c = Client::new(&app);
    c.login("liming").await;
    let a = register(
        &mut c,
        &[
            ("kind", "natural_person"),
            ("name", "王五"),
            ("id_number", "410702199001011234"),
            ("description", "2024年度道路改造工程的招标文件"),
            ("received_on", "2025-06-02"),
            ("channel", "in_person"),
            ("form", "paper"),
            ("delivery", "post"),
        ],
    )
    .await;
    let b = register(
        &mut c,
        &[
            ("kind", "natural_person"),
            ("name", "赵六"),
            ("description", "某小区规划许可"),
            ("received_on", "2026-11-02"),
            ("channel", "in_person"),
            ("form", "paper"),
            ("delivery", "post"),
        ],
    )
    .await;
    for (date, t, extra) in [
        ("2025-06-20", "decided", ("decision", "granted")),
        ("2025-06-23", "reply_sent", ("method", "post")),
    ] {
        if t == "reply_sent" {
            // A reply is sent only once approved (三级审查).
            crate::bind::approve_reply(&app, &mut c, &a).await;
        }
        let r = post(
            &mut c,
            &a,
            &format!("{a}/events"),
            &[("type", t), ("date", date), extra],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    }
    // Open by default: 赵六 only.
    let page = c.get("/ledger").await.text();
    assert!(page.contains("赵六") && !page.contains("王五"), "{page}");
    // Closed: 王五, with the reply date and the identity number masked.
    let page = c.get("/ledger?status=closed").await.text();
    assert!(page.contains("王五") && !page.contains("赵六"), "{page}");
    assert!(page.contains("2025年6月23日"), "the reply date: {page}");
    assert!(page.contains("410702********1234"), "{page}");
    assert!(!page.contains("410702199001011234"));
    // Search over applicant, number and request text; year; overdue.
    for (q, want) in [
        ("/ledger?status=all&q=%E9%81%93%E8%B7%AF", "王五"), // 道路
        ("/ledger?status=all&q=%E8%B5%B5%E5%85%AD", "赵六"), // 赵六
        ("/ledger?status=all&q=2025-0001", "王五"),
        ("/ledger?status=all&year=2025", "王五"),
        ("/ledger?status=all&year=2026", "赵六"),
    ] {
        let page = c.get(q).await.text();
        let other = if want == "王五" { "赵六" } else { "王五" };
        assert!(page.contains(want) && !page.contains(other), "{q}: {page}");
    }
    // 赵六, received 2026-11-02, is past its 20 working days; 王五 was answered.
    let page = c.get("/ledger?status=all&overdue=1").await.text();
    assert!(page.contains("赵六") && !page.contains("王五"), "{page}");
    let r = c.get("/ledger?year=abc").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("年份"));
    // Paging: page 2 of a one-row list is empty and links back.
    let page = c.get("/ledger?status=all&page=2").await.text();
    assert!(page.contains("没有符合条件的申请"));
    assert!(page.contains("rel=\"prev\""));
    // The name, not the login, on the timeline; the full number on the page for a clerk,
    // masked for the administrator.
    let page = c.get(&a).await.text();
    assert!(page.contains("由 李明 登记"), "{page}");
    assert!(!page.contains("由 liming 登记"));
    assert!(page.contains("410702199001011234"));
    let _ = b;
    let mut admin = Client::new(&app);
    admin.login("admin").await;
    let page = admin.get(&a).await.text();
    assert!(page.contains("410702********1234"), "{page}");
    assert!(!page.contains("410702199001011234"));
    // The API: the same filter, masked numbers, the total in a header.
    let r = admin
        .get("/api/v1/applications?status=closed&q=%E7%8E%8B")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["applicant"], "王五");
    assert_eq!(v[0]["id_number"], "410702********1234");
    assert_eq!(v[0]["closed_on"], "2025-06-23");
    assert_eq!(
        r.header(axum::http::header::HeaderName::from_static("x-total-count")),
        "1"
    );
    let r = admin
        .get("/api/v1/applications?status=all&limit=1&offset=1")
        .await;
    assert_eq!(r.json().as_array().unwrap().len(), 1);
    assert_eq!(
        r.header(axum::http::header::HeaderName::from_static("x-total-count")),
        "2"
    );
    let r = admin.get("/api/v1/applications?status=nope").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    // One application in the API: masked for the administrator, timeline in words.
    let id = a.rsplit('/').next().unwrap();
    let v = admin
        .get(&format!("/api/v1/applications/{id}"))
        .await
        .json();
    assert_eq!(
        v["application"]["applicant"]["identity"]["number"],
        "410702********1234"
    );
    assert_eq!(v["timeline"][0]["recorded_by"], "李明");
    assert_eq!(v["timeline"][2]["label"], "送达答复");
    assert_eq!(v["timeline"][2]["detail"], "送达方式：邮寄");
}
