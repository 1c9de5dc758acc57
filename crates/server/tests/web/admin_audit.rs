//! Issue 13 §5 and §1: the audit log viewer and its export, refusals and downloads in the
//! audit log with the channel and the client's address, length limits on the web form
//! and the API, the office settings page, Chinese 404/403/500 pages.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use axum::routing::get;
use chrono::Datelike;
use gongkai_store::{AuditEntry, AuditQuery, Store};
use serde_json::json;

use crate::common::{Client, app, bearer, today};

async fn rows(store: &Store) -> Vec<AuditEntry> {
    store
        .audit(&AuditQuery {
            limit: Some(100_000),
            ..AuditQuery::default()
        })
        .await
        .unwrap()
}

fn registration(name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("kind", "natural_person".into()),
        ("name", name.into()),
        ("phone", "13800000000".into()),
        ("description", "某项目的环评批复".into()),
        ("received_on", today()),
        ("channel", "in_person".into()),
        ("form", "paper".into()),
        ("delivery", "post".into()),
    ]
}

async fn register(c: &mut Client, name: &str) -> crate::common::Resp {
    let token = c.csrf("/ledger/new").await;
    let mut fields = vec![("csrf", token)];
    fields.extend(registration(name));
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.post_form("/ledger/new", &f).await
}

#[tokio::test]
async fn the_viewer_filters_pages_and_exports() {
    let (app, store) = app().await;
    let mut clerk = Client::new(&app);
    clerk.login("clerk").await;
    let r = register(&mut clerk, "张三").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // The clerk may not read the log: a Chinese 403 page, and the refusal is audited.
    let r = clerk.get("/admin/audit").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("查看审计日志"), "{}", r.text());
    let mut head = Client::new(&app);
    head.login("head").await;
    let page = head.get("/admin/audit?user=clerk&action=application").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let text = page.text();
    assert!(text.contains("application.register"), "{text}");
    assert!(text.contains("登记申请"));
    assert!(text.contains("网页"), "the channel: {text}");
    assert!(text.contains("审计日志</a>"), "the admin links");
    // Another user's filter: none of the clerk's rows.
    let text = head.get("/admin/audit?user=leader").await.text();
    assert!(text.contains("没有符合条件的记录"), "{text}");
    // The refusal, filtered by its action.
    let text = head.get("/admin/audit?action=refused").await.text();
    assert!(text.contains("被拒绝的操作"), "{text}");
    assert!(text.contains("audit.read"), "{text}");
    // A date that is not one: a Chinese 400.
    let r = head.get("/admin/audit?from=2026-13-01").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("起始日期"));
    // The export: CSV with a BOM, the filter applied, audited.
    let r = head
        .get(&format!(
            "/admin/audit.csv?user=clerk&action=application&from={}",
            today()
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header(header::CONTENT_TYPE).starts_with("text/csv"));
    let csv = r.text();
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("application.register"));
    assert!(!csv.contains("session.login,"), "only the filter's rows");
    assert_eq!(rows(&store).await[0].action, "audit.export");
    // The admin reads it too; paging links keep the filter.
    let mut admin = Client::new(&app);
    admin.login("admin").await;
    assert_eq!(admin.get("/admin/audit").await.status, StatusCode::OK);
}

#[tokio::test]
async fn refusals_carry_the_channel_and_the_address() {
    let (app, store) = app().await;
    let mut clerk = Client::new(&app);
    clerk.login("clerk").await;
    // A form with a wrong CSRF token, from a known address.
    let mut req = Request::post("/ledger/new")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("csrf=wrong&name=x"))
        .unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([203, 0, 113, 5], 40000))));
    let r = clerk.send(req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("表单已失效"));
    let row = &rows(&store).await[0];
    assert_eq!(row.action, "refused");
    assert_eq!(row.actor, "clerk");
    assert_eq!(row.detail["code"], "csrf");
    assert_eq!(row.detail["action"], "POST /ledger/new");
    assert_eq!(row.channel.as_deref(), Some("web"));
    assert_eq!(row.client.as_deref(), Some("203.0.113.5"));
    // The API: a leader may not register; audited as the API's.
    let mut leader = Client::new(&app);
    bearer(&mut leader, "leader").await;
    let r = leader
        .json(
            Method::POST,
            "/api/v1/applications",
            Some(api_application("李四")),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let row = &rows(&store).await[0];
    assert_eq!(
        (row.action.as_str(), row.actor.as_str()),
        ("refused", "leader")
    );
    assert_eq!(row.channel.as_deref(), Some("api"));
    assert_eq!(row.detail["action"], "application.register");
}

fn api_application(name: &str) -> serde_json::Value {
    json!({
        "applicant": {"kind": "natural_person", "name": name, "identity": null, "contact": {"phone": "13800000000"}},
        "request": {"description": "某项目的环评批复", "form": "electronic", "delivery": "email"},
        "received": {"date": today(), "type": "received", "channel": {"kind": "in_person", "oral": false}}
    })
}

#[tokio::test]
async fn a_ten_megabyte_name_is_refused_everywhere_and_not_kept() {
    let (app, store) = app().await;
    let before = rows(&store).await.len();
    let huge = "名".repeat(10 * 1024 * 1024 / 3);
    let mut clerk = Client::new(&app);
    clerk.login("clerk").await;
    let r = register(&mut clerk, &huge).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text();
    assert!(
        page.contains("申请人姓名/名称不能超过 200 个字"),
        "the message"
    );
    let mut api = Client::new(&app);
    bearer(&mut api, "clerk").await;
    let r = api
        .json(
            Method::POST,
            "/api/v1/applications",
            Some(api_application(&huge)),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["code"], "too_long");
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("申请人姓名/名称不能超过 200 个字")
    );
    // Nothing stored; the audit log holds only the two logins, none of the name.
    let list = api.get("/api/v1/applications").await.json();
    assert_eq!(list.as_array().unwrap().len(), 0);
    let after = rows(&store).await;
    assert_eq!(
        after.len(),
        before + 2,
        "{:?}",
        after.iter().map(|r| &r.action).collect::<Vec<_>>()
    );
    assert!(after.iter().all(|r| r.detail.to_string().len() < 10_000));
}

#[tokio::test]
async fn the_settings_page_saves_and_refuses_in_chinese() {
    let (app, store) = app().await;
    let mut head = Client::new(&app);
    head.login("head").await;
    assert_eq!(
        head.get("/admin/settings").await.status,
        StatusCode::FORBIDDEN
    );
    let mut admin = Client::new(&app);
    admin.login("admin").await;
    let page = admin.get("/admin/settings").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert!(page.text().contains("测试市某局"));
    let token = crate::common::csrf_of(&page.text());
    let mut fields = vec![
        ("csrf", token.as_str()),
        ("agency", "测试市某某局"),
        ("address", "测试市某路 1 号"),
        ("contact", "0000-1234567"),
        ("organ", "测试市人民政府"),
        ("court", "测试市某区人民法院"),
        ("calendar_dir", ""),
        ("granted", "office_head"),
        ("reopen", "office_head"),
    ];
    let r = admin.post_form("/admin/settings", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = admin.get(&r.location()).await.text();
    assert!(page.contains("已保存机关设置"));
    assert!(page.contains("value=\"测试市某某局\""));
    assert!(page.contains("<option value=\"office_head\" selected>办公室主任审核通过即可"));
    assert_eq!(store.agency().await.unwrap(), "测试市某某局");
    assert_eq!(store.office().await.unwrap().court, "测试市某区人民法院");
    // A directory that does not exist: refused beside the form, nothing changed.
    fields[6] = ("calendar_dir", "/nonexistent/calendar");
    fields[1] = ("agency", "别的名称");
    let r = admin.post_form("/admin/settings", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("日历目录"));
    assert!(
        r.text().contains("value=\"别的名称\""),
        "the form as entered"
    );
    assert_eq!(store.agency().await.unwrap(), "测试市某某局");
    // An unknown choice: refused in Chinese.
    fields[6] = ("calendar_dir", "");
    fields[7] = ("granted", "everyone");
    let r = admin.post_form("/admin/settings", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("予以公开答复的审核层级"));
}

#[tokio::test]
async fn downloads_of_the_annual_report_are_audited() {
    let (app, store) = app().await;
    let mut head = Client::new(&app);
    head.login("head").await;
    let year = chrono::Utc::now().year();
    let r = head.get(&format!("/year-end/{year}/report/html")).await;
    assert_eq!(r.status, StatusCode::OK);
    let row = &rows(&store).await[0];
    assert_eq!(
        (
            row.action.as_str(),
            row.subject_kind.as_str(),
            row.actor.as_str()
        ),
        ("download", "annual_report", "head")
    );
    assert_eq!(row.subject_id, year.to_string());
    assert_eq!(row.detail["format"], "html");
}

#[tokio::test]
async fn unknown_pages_and_panics_answer_in_chinese() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    let r = c.get("/no/such/page").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text().contains("找不到页面"), "{}", r.text());
    assert!(r.header(header::CONTENT_TYPE).starts_with("text/html"));
    let r = c.get("/api/nothing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error"]["code"], "not_found");
    // A handler that panics: the 500 page, or JSON under /api/.
    let boom = Router::new()
        .route("/boom", get(boom))
        .route("/api/boom", get(boom))
        .layer(gongkai_server::error::PanicLayer::custom(
            gongkai_server::error::panic_response,
        ))
        .layer(axum::middleware::from_fn(
            gongkai_server::error::json_for_api,
        ));
    let mut c = Client::new(&boom);
    let r = c.get("/boom").await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(r.text().contains("服务器内部错误"));
    assert!(!r.text().contains("boom"), "the panic stays in the log");
    let r = c.get("/api/boom").await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(r.json()["error"]["code"], "internal");
}

async fn boom() -> &'static str {
    panic!("boom")
}
