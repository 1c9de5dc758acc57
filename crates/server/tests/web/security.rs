//! Sessions and the transport: the session cookie lasts for the browser session unless
//! 记住我; `Secure` and HSTS behind a trusted proxy that says HTTPS, not from anyone else;
//! the client address from a trusted proxy's `X-Forwarded-For`; the CSRF secret kept in
//! the database survives a restart; personal API tokens made on the page work as bearer
//! tokens, are audited with their prefix and stop when revoked.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use gongkai_server::{AppState, Config};
use serde_json::json;
use tower::ServiceExt;

use crate::common::{Client, app, csrf_of, password, store};

fn session_cookie(r: &crate::common::Resp) -> String {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("gk_session="))
        .expect("a session cookie")
}

#[tokio::test]
async fn the_session_cookie_outlives_the_browser_only_with_remember_me() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    let token = c.csrf("/login").await;
    assert!(c.get("/login").await.text().contains("记住我（30天"));
    let r = c
        .post_form(
            "/login",
            &[
                ("csrf", &token),
                ("name", "clerk"),
                ("password", &password("clerk")),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let cookie = session_cookie(&r);
    assert!(!cookie.contains("Max-Age"), "{cookie}");
    assert!(!cookie.contains("Expires"), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");

    let mut c = Client::new(&app);
    let token = c.csrf("/login").await;
    let r = c
        .post_form(
            "/login",
            &[
                ("csrf", &token),
                ("name", "clerk"),
                ("password", &password("clerk")),
                ("remember", "1"),
            ],
        )
        .await;
    let cookie = session_cookie(&r);
    assert!(
        cookie.contains(&format!("Max-Age={}", 30 * 24 * 3600)),
        "{cookie}"
    );
    assert_eq!(c.get("/ledger").await.status, StatusCode::OK);
}

async fn from(
    app: &axum::Router,
    peer: &str,
    headers: &[(&'static str, &str)],
    req: Request<Body>,
) -> axum::response::Response {
    let mut req = req;
    let addr: SocketAddr = format!("{peer}:40000").parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(addr));
    for (k, v) in headers {
        req.headers_mut()
            .insert(*k, v.parse::<axum::http::HeaderValue>().unwrap());
    }
    app.clone().oneshot(req).await.unwrap()
}

#[tokio::test]
async fn secure_cookies_and_hsts_behind_a_trusted_proxy_only() {
    let store = store().await;
    let config = Config {
        secret: Some("test secret".into()),
        trusted_proxies: vec!["10.0.0.1".parse().unwrap()],
        ..Config::default()
    };
    let app = gongkai_server::app(AppState::new(store.clone(), config));
    let https = [
        ("x-forwarded-proto", "https"),
        ("x-forwarded-for", "1.1.1.1, 198.51.100.7"),
    ];
    let get = || Request::get("/login").body(Body::empty()).unwrap();
    // Through the proxy, over HTTPS.
    let r = from(&app, "10.0.0.1", &https, get()).await;
    assert_eq!(
        r.headers()[header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000"
    );
    let vid = r.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(vid.contains("; Secure"), "{vid}");
    // The same headers from anyone else are not believed.
    let r = from(&app, "203.0.113.5", &https, get()).await;
    assert!(!r.headers().contains_key(header::STRICT_TRANSPORT_SECURITY));
    let vid = r.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(!vid.contains("Secure"), "{vid}");
    // Plain HTTP through the proxy: not secure either.
    let r = from(&app, "10.0.0.1", &[("x-forwarded-proto", "http")], get()).await;
    assert!(!r.headers().contains_key(header::STRICT_TRANSPORT_SECURITY));

    // The client address of a failed login is the one the proxy forwarded (right-most);
    // from an untrusted peer it is the peer.
    for (peer, want) in [("10.0.0.1", "198.51.100.7"), ("203.0.113.5", "203.0.113.5")] {
        let body =
            serde_json::to_vec(&json!({"name": "clerk", "password": "wrong-password"})).unwrap();
        let req = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap();
        let r = from(&app, peer, &https, req).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let last = store
            .audit(&gongkai_store::AuditQuery::default())
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.action == "session.login_failed")
            .unwrap();
        assert_eq!(last.detail["client"], want);
    }

    // `--secure-cookies`: secure whatever the peer.
    let config = Config {
        secret: Some("test secret".into()),
        secure_cookies: true,
        ..Config::default()
    };
    let app = gongkai_server::app(AppState::new(store.clone(), config));
    let r = from(&app, "203.0.113.5", &[], get()).await;
    assert!(r.headers().contains_key(header::STRICT_TRANSPORT_SECURITY));
}

#[tokio::test]
async fn a_form_from_before_a_restart_is_accepted() {
    let store = store().await;
    let open = || async {
        let state = AppState::open(
            gongkai_service::Service::new(store.clone()),
            Config::default(),
            Arc::new(gongkai_server::uploads::MemoryUploads::default()),
        )
        .await
        .unwrap();
        gongkai_server::app(state)
    };
    let before = open().await;
    let mut c = Client::new(&before);
    let token = c.csrf("/login").await;
    // The server restarts (a new application state over the same database) while the
    // login page is open; the form is sent to the new one.
    let after = open().await;
    c.app = after;
    let r = c
        .post_form(
            "/login",
            &[
                ("csrf", &token),
                ("name", "clerk"),
                ("password", &password("clerk")),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // A random secret per run (the old behaviour) would have refused it.
    let random = gongkai_server::app(AppState::new(store.clone(), Config::default()));
    let mut c2 = Client::new(&before);
    let token = c2.csrf("/login").await;
    c2.app = random;
    let r = c2
        .post_form("/login", &[("csrf", &token), ("name", "clerk")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn personal_tokens_are_made_used_audited_and_revoked() {
    let (app, store) = app().await;
    let mut c = Client::new(&app);
    c.login("clerk").await;
    let csrf = c.csrf("/account/tokens").await;
    let r = c
        .post_form(
            "/account/tokens",
            &[("csrf", &csrf), ("name", "报表脚本"), ("days", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("有效期"));
    let r = c
        .post_form(
            "/account/tokens",
            &[("csrf", &csrf), ("name", "报表脚本"), ("days", "30")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = r.text();
    let start = page.find("<code id=\"new-token\">").unwrap() + "<code id=\"new-token\">".len();
    let secret = page[start..start + 68].to_string();
    assert!(secret.starts_with("gkp_"), "{secret}");
    // Shown once: the list has only its prefix.
    let list = c.get("/account/tokens").await.text();
    assert!(!list.contains(&secret));
    assert!(list.contains(&secret[..10]));

    // The API takes it as a bearer token; a change made with it needs no CSRF header and is
    // audited with the token's prefix.
    let mut api = Client::new(&app);
    api.bearer = Some(secret.clone());
    let r = api.get("/api/v1/me").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["name"], "clerk");
    let r = api
        .json(
            Method::POST,
            "/api/v1/applications",
            Some(json!({
                "applicant": {"kind": "natural_person", "name": "张三", "identity": null, "contact": {"phone": "13800000000"}},
                "request": {"description": "某项目环评批复", "form": "electronic", "delivery": "email"},
                "received": {"date": crate::common::today(), "type": "received", "channel": {"kind": "in_person", "oral": false}}
            })),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let row = store
        .audit(&gongkai_store::AuditQuery::default())
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.action.starts_with("application"))
        .unwrap();
    assert_eq!(row.actor, "clerk");
    assert_eq!(row.channel.as_deref(), Some("api"));
    assert_eq!(row.detail["auth"], format!("token:{}", &secret[..10]));
    // Logging out through the API with a token does not end it (it is not a session).
    let listed = store.api_tokens("clerk").await.unwrap();
    assert!(listed[0].last_used_at.is_some());

    // Revoked on the page: refused from then on.
    let id = listed[0].id.clone();
    let csrf = csrf_of(&c.get("/account/tokens").await.text());
    let r = c
        .post_form("/account/tokens/revoke", &[("csrf", &csrf), ("id", &id)])
        .await;
    assert_eq!(r.location(), "/account/tokens?msg=token_revoked");
    assert!(c.get("/account/tokens").await.text().contains("已撤销"));
    assert_eq!(api.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    // Another user cannot revoke someone's token.
    let mut head = Client::new(&app);
    head.login("head").await;
    let csrf = head.csrf("/account/tokens").await;
    let r = head
        .post_form("/account/tokens/revoke", &[("csrf", &csrf), ("id", &id)])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
