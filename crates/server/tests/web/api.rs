//! The JSON API: authentication (bearer and cookie + CSRF header), roles, the ledger's error
//! codes with proper statuses, the OpenAPI document.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::common::{Client, app, bearer, csrf_of, seed, today};

fn new_application(name: &str) -> serde_json::Value {
    json!({
        "applicant": {"kind": "natural_person", "name": name, "identity": null, "contact": {"phone": "13800000000"}},
        "request": {"description": "某项目环评批复", "form": "electronic", "delivery": "email"},
        "received": {"date": today(), "type": "received", "channel": {"kind": "in_person", "oral": false}}
    })
}

#[tokio::test]
async fn the_openapi_document_lists_the_paths() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    let r = c.get("/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for p in [
        "/api/v1/session",
        "/api/v1/applications",
        "/api/v1/applications/{id}",
        "/api/v1/applications/{id}/events",
        "/api/v1/appeals",
        "/api/v1/proactive/{id}",
        "/api/v1/reports/{year}",
        "/api/v1/reviews/{kind}/{id}",
        "/api/v1/audit",
        "/api/v1/check",
    ] {
        assert!(
            doc["paths"].get(p).is_some(),
            "{p} missing: {}",
            doc["paths"]
        );
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    // The document the library builds and the one served agree.
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&gongkai_server::api::openapi_json()).unwrap(),
        doc
    );
}

#[tokio::test]
async fn calls_without_a_session_get_401_in_json() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    let r = c.get("/api/v1/applications").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["code"], "unauthenticated");
    c.bearer = Some("0".repeat(64));
    assert_eq!(c.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    let r = c
        .json(
            Method::POST,
            "/api/v1/session",
            Some(json!({"name": "clerk", "password": "nope-nope"})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["code"], "bad_credentials");
    assert_eq!(r.json()["error"]["message"], "用户名或密码错误");
    let r = c.get("/api/v1/nothing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error"]["code"], "not_found");
}

#[tokio::test]
async fn an_application_through_the_api() {
    let (app, store) = app().await;
    let mut c = Client::new(&app);
    bearer(&mut c, "clerk").await;
    assert_eq!(c.get("/api/v1/me").await.json()["role"], "clerk");
    let r = c
        .json(
            Method::POST,
            "/api/v1/applications",
            Some(new_application("张三")),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let v = r.json();
    let id = v["application"]["id"].as_str().unwrap().to_string();
    assert_eq!(v["state"]["stage"], "processing");
    assert!(v["deadline"].is_string());
    assert!(!v["deadline_explanation"].as_array().unwrap().is_empty());
    // Bad JSON: 400 in the API's format.
    let r = c
        .json(
            Method::POST,
            "/api/v1/applications",
            Some(json!({"x": 1})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["code"], "bad_json");
    // Events: an extension, then a second one refused with the ledger's code.
    let ext = json!({"date": today(), "type": "extended", "days": 20, "approved_by": "李主任", "applicant_notified_on": today()});
    let uri = format!("/api/v1/applications/{id}/events");
    let r = c.json(Method::POST, &uri, Some(ext.clone()), None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["event"]["seq"], 2);
    let r = c.json(Method::POST, &uri, Some(ext), None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["code"], "second_extension");
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("延长过一次")
    );
    // A date in the future.
    let r = c
        .json(
            Method::POST,
            &uri,
            Some(json!({"date": "2999-01-01", "type": "decided", "decision": "granted"})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["code"], "future_date");
    // Unknown application; duplicate id.
    let r = c.get("/api/v1/applications/nope").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error"]["code"], "unknown_application");
    let mut dup = new_application("李四");
    dup["id"] = json!(id);
    let r = c
        .json(Method::POST, "/api/v1/applications", Some(dup), None)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["error"]["code"], "duplicate_application");
    // The list, sorted by deadline.
    let list = c.get("/api/v1/applications").await.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], id.as_str());
    // Every change is in the audit log (read by the office head, not by a clerk).
    let r = c.get("/api/v1/audit").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut head = Client::new(&app);
    bearer(&mut head, "head").await;
    let audit = head
        .get(&format!(
            "/api/v1/audit?subject_kind=application&subject_id={id}"
        ))
        .await
        .json();
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"application.register"), "{actions:?}");
    assert_eq!(
        actions.iter().filter(|a| **a == "event.append").count(),
        2,
        "{actions:?}"
    );
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["actor"] == "clerk")
    );
    drop(store);
}

#[tokio::test]
async fn roles_are_checked() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    bearer(&mut c, "leader").await;
    let r = c
        .json(
            Method::POST,
            "/api/v1/applications",
            Some(new_application("张三")),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["code"], "forbidden");
    // A leader cannot submit a report for review; a clerk can (last year's, once its
    // narrative is written), but cannot approve it.
    let year = today()[..4].parse::<i32>().unwrap() - 1;
    let uri = format!("/api/v1/reviews/annual_report/{year}");
    let r = c
        .json(Method::POST, &uri, Some(json!({"action": "submit"})), None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let mut clerk = Client::new(&app);
    bearer(&mut clerk, "clerk").await;
    let r = clerk
        .json(Method::POST, &uri, Some(json!({"action": "submit"})), None)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "report_has_errors");
    let r = clerk
        .json(
            Method::PUT,
            &format!("/api/v1/reports/{year}/narrative"),
            Some(crate::year_end::narrative_json()),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = clerk
        .json(Method::POST, &uri, Some(json!({"action": "submit"})), None)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = clerk
        .json(Method::POST, &uri, Some(json!({"action": "review"})), None)
        .await;
    assert!(
        matches!(r.status, StatusCode::FORBIDDEN | StatusCode::CONFLICT),
        "{}",
        r.text()
    );
    // Sending back needs a reason.
    let mut head = Client::new(&app);
    bearer(&mut head, "head").await;
    let r = head
        .json(
            Method::POST,
            &uri,
            Some(json!({"action": "send_back"})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "missing_reason");
    let r = head
        .json(
            Method::POST,
            &uri,
            Some(json!({"action": "review", "note": "同意"})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["status"], "awaiting_approval");
}

#[tokio::test]
async fn cookie_calls_need_the_csrf_header() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    c.login("clerk").await;
    // Reading with the cookie is fine.
    assert_eq!(c.get("/api/v1/me").await.status, StatusCode::OK);
    let r = c
        .json(
            Method::POST,
            "/api/v1/applications",
            Some(new_application("张三")),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["code"], "csrf");
    let token = csrf_of(&c.get("/ledger").await.text());
    let r = c
        .json(
            Method::POST,
            "/api/v1/applications",
            Some(new_application("张三")),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
}

#[tokio::test]
async fn appeals_proactive_and_the_year_report() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    bearer(&mut c, "clerk").await;
    let r = c
        .json(
            Method::POST,
            "/api/v1/applications",
            Some(new_application("张三")),
            None,
        )
        .await;
    let id = r.json()["application"]["id"].as_str().unwrap().to_string();
    let r = c
        .json(
            Method::POST,
            "/api/v1/appeals",
            Some(json!({"id": "复-1", "kind": "reconsideration", "filed_on": today(), "application": id})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["recorded_by"], "clerk");
    let r = c
        .json(
            Method::PUT,
            "/api/v1/appeals/%E5%A4%8D-1",
            Some(json!({"kind": "reconsideration", "filed_on": today(), "application": id, "conclusion": {"result": "corrected", "decided_on": today()}})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = c
        .json(
            Method::PUT,
            "/api/v1/proactive/doc-1",
            Some(json!({"type": "document", "kind": "regulation", "title": "某规章", "issued_on": today()})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(
        c.get("/api/v1/proactive")
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let year = &today()[..4];
    let r = c.get(&format!("/api/v1/reports/{year}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    let cells = &v["year_end"]["report"]["cells"];
    assert_eq!(cells["s3.new_received.total"], 1);
    assert_eq!(cells["s3.carried_forward.natural_person"], 1);
    assert_eq!(cells["s4.reconsideration.corrected"], 1);
    assert_eq!(cells["s2.regulations.issued"], 1);
    assert_eq!(v["review_status"], "not_submitted");
    assert!(v["findings"].is_array());
    let r = c.get("/api/v1/reports/1900").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_check_endpoint_reads_any_report() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    let r = c
        .send(
            axum::http::Request::post("/api/v1/check")
                .body(axum::body::Body::from(seed("002_726e471a72bc1b83.txt")))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["report"]["format"], "2021");
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "TXT002")
    );
    let r = c
        .send(
            axum::http::Request::post("/api/v1/check")
                .body(axum::body::Body::from("%PDF-1.4"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["code"], "unreadable");
}

/// A malformed query string gets the API's JSON error in Chinese, not the framework's
/// English text.
#[tokio::test]
async fn bad_query_parameters_get_a_json_error() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    bearer(&mut c, "clerk").await;
    for uri in ["/api/v1/applications?limit=many", "/api/v1/audit?limit=-1"] {
        let r = c.get(uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}: {}", r.text());
        let v = r.json();
        assert_eq!(v["error"]["code"], "bad_query", "{uri}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("查询参数无效"),
            "{v}"
        );
    }
}
