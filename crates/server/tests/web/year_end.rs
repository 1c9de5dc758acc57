//! The annual report finished in the browser and through the API: the narrative form and
//! its versions, the refusals before the year is over and while placeholders remain, the
//! report (downloads, frozen report) that uses the text. The service's date is fixed, so
//! the tests do not depend on the day they run; on SQLite, and on PostgreSQL when
//! `GONGKAI_TEST_POSTGRES_URL` names a server.

use std::sync::Arc;

use axum::Router;
use axum::http::{Method, StatusCode};
use chrono::{NaiveDate, Utc};
use gongkai_server::uploads::MemoryUploads;
use gongkai_server::{AppState, Config};
use gongkai_service::Service;
use gongkai_store::{NewUser, Role, Stamp, Store};
use serde_json::json;

use crate::common::{Client, USERS, csrf_of, fresh_postgres_url, password};

const YEAR: i32 = 2025;
const S1: &str = "本局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实做好政府信息公开工作。";
const S5: &str = "一是主动公开的深度还需拓展；二是政策解读形式较为单一。下一步将加强业务培训。";
const S6: &str = "本年度未收取信息处理费。";

/// The narrative of sections 一, 五 and 六 as the API takes it.
pub fn narrative_json() -> serde_json::Value {
    json!({"sections": {"一": S1, "五": S5, "六": S6}, "note": "撰写正文"})
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The four test users on `store`.
async fn users(store: &Store) {
    store
        .init(
            "测试市某局",
            &NewUser {
                name: "admin".into(),
                display_name: None,
                role: Role::Admin,
                password: password("admin"),
            },
            Utc::now(),
        )
        .await
        .unwrap();
    for (name, role) in &USERS[1..] {
        store
            .add_user(
                &NewUser {
                    name: (*name).into(),
                    display_name: None,
                    role: *role,
                    password: password(name),
                },
                &Stamp::now("admin"),
            )
            .await
            .unwrap();
    }
}

/// SQLite in memory, and a fresh PostgreSQL database when a server is named.
async fn stores() -> Vec<Store> {
    let mut out = vec![Store::open("sqlite::memory:").await.unwrap()];
    if let Some(url) = fresh_postgres_url("year_end").await {
        out.push(Store::open(&url).await.unwrap());
    }
    for s in &out {
        users(s).await;
    }
    out
}

/// The web application over `store` with the service's date fixed on `date`.
fn app_on(store: &Store, date: NaiveDate) -> Router {
    let service = Service::new(store.clone()).with_date(date);
    let state = AppState::from_service(
        service,
        Config {
            secret: Some("test secret".into()),
            ..Config::default()
        },
        Arc::new(MemoryUploads::default()),
    );
    gongkai_server::app(state)
}

fn form_fields<'a>(token: &'a str, s1: &'a str, signed_on: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", token),
        ("s1", s1),
        ("s2", ""),
        ("s3", ""),
        ("s4", ""),
        ("s5", S5),
        ("s6", S6),
        ("signed_by", "测试市某局办公室"),
        ("signed_on", signed_on),
        ("note", "初稿"),
    ]
}

#[tokio::test]
async fn the_narrative_is_written_on_the_year_end_page_and_the_year_closed() {
    for store in stores().await {
        let app = app_on(&store, d(YEAR + 1, 1, 10));
        let page_url = format!("/year-end?year={YEAR}");
        let mut c = Client::new(&app);
        c.login("clerk").await;

        // In January the selector starts on the year being reported; the drafts are in
        // the form with their fill-in markers.
        let page = c.get("/year-end").await.text();
        assert!(
            page.contains(&format!("<option value=\"{YEAR}\" selected>")),
            "January opens the year being reported"
        );
        assert!(page.contains("id=\"n-s1\""), "{page}");
        assert!(page.contains("【请填写。】"));
        assert!(!page.contains("data-year-open"), "the year is over");

        // Placeholders left: the submission is refused and the errors are listed.
        let token = csrf_of(&page);
        let r = c
            .post_form(
                &format!("/year-end/{YEAR}/review"),
                &[("csrf", &token), ("action", "submit")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let text = r.text();
        assert!(text.contains("改正后才能提交审核"), "{text}");
        assert!(
            text.contains("[TXT005]") && text.contains("第五部分"),
            "{text}"
        );

        // A bad date: refused, what was typed is kept.
        let r = c
            .post_form(
                &format!("/year-end/{YEAR}/narrative"),
                &form_fields(&token, "我写的第一部分", "明年"),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("落款日期"));
        assert!(r.text().contains("我写的第一部分"));

        // Saved: version 1 with its note, sections marked written, the text in the report.
        let r = c
            .post_form(
                &format!("/year-end/{YEAR}/narrative"),
                &form_fields(&token, S1, &format!("{}-01-15", YEAR + 1)),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert!(r.location().contains("msg=narrative"));
        let page = c.get(&format!("{page_url}&msg=narrative")).await.text();
        assert!(page.contains("已保存年度报告正文和落款"));
        assert!(page.contains("第 1 版") && page.contains("初稿"));
        assert_eq!(page.matches("已撰写").count(), 3, "sections 一, 五, 六");
        assert!(page.contains(S1));
        assert!(page.contains("value=\"测试市某局办公室\""));
        let html = c.get(&format!("/year-end/{YEAR}/report/html")).await.text();
        assert!(
            html.contains(S1) && html.contains(S5),
            "the download uses the text"
        );
        assert!(html.contains("测试市某局办公室"));
        assert!(!html.contains("【请填写"));

        // A leader reads it but has no form and cannot post one.
        let mut leader = Client::new(&app);
        leader.login("leader").await;
        let page = leader.get(&page_url).await.text();
        assert!(!page.contains(&format!("action=\"/year-end/{YEAR}/narrative\"")));
        let token_l = csrf_of(&page);
        let r = leader
            .post_form(
                &format!("/year-end/{YEAR}/narrative"),
                &form_fields(&token_l, S1, ""),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("无权"), "{}", r.text());

        // Now the year closes: frozen with its text, the form locked.
        let r = c
            .post_form(
                &format!("/year-end/{YEAR}/review"),
                &[("csrf", &token), ("action", "submit")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let page = c.get(&page_url).await.text();
        assert!(page.contains("数据冻结于该时刻"));
        assert!(!page.contains("id=\"n-s1\""));
        assert!(page.contains("正文和落款不能修改"));
        let r = c
            .post_form(
                &format!("/year-end/{YEAR}/narrative"),
                &form_fields(&token, "改动", ""),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("不能修改正文和落款"), "{}", r.text());
        let json = c.get(&format!("/year-end/{YEAR}/report/json")).await.json();
        assert_eq!(json["year_end"]["report"]["sections"][0]["text"], S1);
        store.close().await;
    }
}

#[tokio::test]
async fn an_early_close_is_refused_with_the_reason() {
    for store in stores().await {
        let app = app_on(&store, d(YEAR, 12, 20));
        let mut c = Client::new(&app);
        c.login("clerk").await;
        // In December the selector starts on this year, which is still open.
        let page = c.get("/year-end").await.text();
        assert!(
            page.contains(&format!("<option value=\"{YEAR}\" selected>")),
            "{}",
            &page[page.find("<select").unwrap_or(0)..][..300]
        );
        assert!(page.contains("data-year-open"));
        let token = csrf_of(&page);
        let r = c
            .post_form(
                &format!("/year-end/{YEAR}/review"),
                &[("csrf", &token), ("action", "submit")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let text = r.text();
        assert!(text.contains(&format!("{YEAR} 年度尚未结束")), "{text}");
        assert!(
            text.contains(&format!("{YEAR} 年 12 月 31 日之后")),
            "{text}"
        );
        // The API refuses the same with its code.
        let r = c
            .json(
                Method::POST,
                &format!("/api/v1/reviews/annual_report/{YEAR}"),
                Some(json!({"action": "submit"})),
                Some(&token),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        assert_eq!(r.json()["error"]["code"], "year_not_over");
        store.close().await;
    }
}

#[tokio::test]
async fn the_narrative_through_the_api() {
    for store in stores().await {
        let app = app_on(&store, d(YEAR + 1, 1, 10));
        let mut c = Client::new(&app);
        c.login("clerk").await;
        let token = c.csrf("/year-end").await;
        let doc = c.get("/api/v1/openapi.json").await.json();
        for p in [
            "/api/v1/reports/{year}/narrative",
            "/api/v1/reports/{year}/narrative/{section}",
        ] {
            assert!(
                doc["paths"][p].is_object(),
                "{p} not in the OpenAPI document"
            );
        }
        let uri = format!("/api/v1/reports/{YEAR}/narrative");
        let r = c.get(&uri).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let v = r.json();
        assert_eq!(
            v["written"],
            json!([false, false, false, false, false, false])
        );
        assert!(v["drafts"][0].as_str().unwrap().contains("【请填写。】"));

        let r = c
            .json(Method::PUT, &uri, Some(narrative_json()), Some(&token))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["version"], 1);
        let r = c
            .json(
                Method::PUT,
                &format!("{uri}/二"),
                Some(json!({"text": "本年度主动公开政府信息情况见下表。"})),
                Some(&token),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["version"], 2);
        let v = c.get(&uri).await.json();
        assert_eq!(v["written"], json!([true, true, false, false, true, true]));
        assert_eq!(v["history"].as_array().unwrap().len(), 2);
        assert_eq!(v["sections"][0], S1);

        // Bad section, a leader: refused with their codes.
        let r = c
            .json(
                Method::PUT,
                &format!("{uri}/七"),
                Some(json!({"text": "x"})),
                Some(&token),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let mut leader = Client::new(&app);
        leader.login("leader").await;
        let lt = leader.csrf("/year-end").await;
        let r = leader
            .json(Method::PUT, &uri, Some(narrative_json()), Some(&lt))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        store.close().await;
    }
}
