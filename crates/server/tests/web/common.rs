//! A test client over the router (no socket): keeps cookies, reads the CSRF token from
//! pages, and a store in memory with one user per role.

use std::collections::HashMap;
use std::path::PathBuf;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use chrono::Utc;
use gongkai_server::{AppState, Config};
use gongkai_store::{NewUser, Role, Stamp, Store};
use tower::ServiceExt;

/// Passwords of the test users: `<name>-Plum7-harbor-Quill` (they pass the password rules).
pub const USERS: [(&str, Role); 4] = [
    ("admin", Role::Admin),
    ("clerk", Role::Clerk),
    ("head", Role::OfficeHead),
    ("leader", Role::Leader),
];

pub fn password(name: &str) -> String {
    format!("{name}-Plum7-harbor-Quill")
}

/// A store in memory with the four users.
pub async fn store() -> Store {
    store_at("sqlite::memory:").await
}

/// A new store at `url` (SQLite or PostgreSQL) with the four users.
pub async fn store_at(url: &str) -> Store {
    let store = Store::open(url).await.unwrap();
    store
        .init(
            "测试市某局",
            &NewUser {
                name: "admin".into(),
                display_name: Some("系统管理员".into()),
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
    store
}

pub async fn app() -> (Router, Store) {
    let store = store().await;
    (app_over(store.clone()), store)
}

/// The application over `store`.
pub fn app_over(store: Store) -> Router {
    let state = AppState::new(
        store,
        Config {
            secret: Some("test secret".into()),
            ..Config::default()
        },
    );
    gongkai_server::app(state)
}

/// A response, read whole.
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }

    pub fn header(&self, name: header::HeaderName) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }
}

/// One part of a multipart form: (field, file name if a file, bytes).
pub type Part<'a> = (&'a str, Option<&'a str>, &'a [u8]);

/// A browser: cookies kept between requests.
pub struct Client {
    pub app: Router,
    pub cookies: HashMap<String, String>,
    pub bearer: Option<String>,
}

impl Client {
    pub fn new(app: &Router) -> Self {
        Client {
            app: app.clone(),
            cookies: HashMap::new(),
            bearer: None,
        }
    }

    pub async fn send(&mut self, mut req: Request<Body>) -> Resp {
        if !self.cookies.is_empty() {
            let c = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            req.headers_mut().insert(header::COOKIE, c.parse().unwrap());
        }
        if let Some(t) = &self.bearer {
            req.headers_mut().insert(
                header::AUTHORIZATION,
                format!("Bearer {t}").parse().unwrap(),
            );
        }
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        for v in headers.get_all(header::SET_COOKIE) {
            let v = v.to_str().unwrap();
            let pair = v.split(';').next().unwrap();
            let (k, val) = pair.split_once('=').unwrap();
            if val.is_empty() || v.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), val.to_string());
            }
        }
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        Resp {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&mut self, uri: &str) -> Resp {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    /// A form post (`application/x-www-form-urlencoded`).
    pub async fn post_form(&mut self, uri: &str, fields: &[(&str, &str)]) -> Resp {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            Request::post(uri)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// A JSON call; `csrf`: the X-CSRF-Token header.
    pub async fn json(
        &mut self,
        method: Method,
        uri: &str,
        body: Option<serde_json::Value>,
        csrf: Option<&str>,
    ) -> Resp {
        let mut b = Request::builder().method(method).uri(uri);
        if let Some(t) = csrf {
            b = b.header("x-csrf-token", t);
        }
        let req = match body {
            Some(v) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(serde_json::to_vec(&v).unwrap()))
                .unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }

    /// A multipart upload of files under `files`, with the CSRF token first.
    pub async fn upload(&mut self, uri: &str, csrf: &str, files: &[(&str, &[u8])]) -> Resp {
        let mut parts: Vec<Part> = vec![("csrf", None, csrf.as_bytes())];
        parts.extend(
            files
                .iter()
                .map(|(name, bytes)| ("files", Some(*name), *bytes)),
        );
        self.multipart(uri, &parts).await
    }

    /// A multipart post of `parts` in order.
    pub async fn multipart(&mut self, uri: &str, parts: &[Part<'_>]) -> Resp {
        let boundary = "----gongkai-test-boundary";
        let mut body = Vec::new();
        for (name, file, bytes) in parts {
            let disposition = match file {
                Some(f) => format!(
                    "form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream"
                ),
                None => format!("form-data; name=\"{name}\""),
            };
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.send(
            Request::post(uri)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// The CSRF token of the page at `uri`.
    pub async fn csrf(&mut self, uri: &str) -> String {
        let page = self.get(uri).await.text();
        csrf_of(&page)
    }

    /// Logs in through the form.
    pub async fn login(&mut self, name: &str) {
        let token = self.csrf("/login").await;
        let r = self
            .post_form(
                "/login",
                &[
                    ("csrf", &token),
                    ("name", name),
                    ("password", &password(name)),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert!(self.cookies.contains_key("gk_session"));
    }
}

pub fn csrf_of(page: &str) -> String {
    let start = page
        .find("<meta name=\"csrf-token\" content=\"")
        .unwrap_or_else(|| panic!("no csrf meta in {page}"))
        + "<meta name=\"csrf-token\" content=\"".len();
    page[start..start + 64].to_string()
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `../shared/seeds` beside the clone.
pub fn seeds() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds")
}

pub fn seed(name: &str) -> Vec<u8> {
    std::fs::read(seeds().join(name)).unwrap_or_else(|e| panic!("seed {name}: {e}"))
}

/// The `<td>` of a cell in a page.
pub fn cell_html<'a>(page: &'a str, id: &str) -> &'a str {
    let key = format!("<td id=\"c-{id}\"");
    let start = page.find(&key).unwrap_or_else(|| panic!("no cell {id}"));
    let end = start + page[start..].find("</td>").unwrap();
    &page[start..end]
}

/// Today in Beijing, `YYYY-MM-DD`.
pub fn today() -> String {
    Utc::now()
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
        .date_naive()
        .to_string()
}

/// Logs `c` in through the API (`POST /api/v1/session`) as `name`: later calls carry the
/// bearer token.
pub async fn bearer(c: &mut Client, name: &str) {
    let r = c
        .json(
            Method::POST,
            "/api/v1/session",
            Some(serde_json::json!({"name": name, "password": password(name)})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    c.bearer = Some(r.json()["token"].as_str().unwrap().to_string());
}

/// The URL of a fresh PostgreSQL database (`gongkai_web_<tag>_<pid>_<time>`) on the test
/// server named by `GONGKAI_TEST_POSTGRES_URL`, or `None` when no server is named.
pub async fn fresh_postgres_url(tag: &str) -> Option<String> {
    use sqlx::Connection;
    let server = std::env::var("GONGKAI_TEST_POSTGRES_URL").ok()?;
    let server = server.trim();
    if server.is_empty() {
        return None;
    }
    let name = format!(
        "gongkai_web_{tag}_{}_{}",
        std::process::id(),
        Utc::now().timestamp_nanos_opt().unwrap_or(0)
    );
    let mut conn = sqlx::PgConnection::connect(server).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut conn)
        .await
        .unwrap();
    let (base, query) = server.split_once('?').unwrap_or((server, ""));
    let start = base.find("://").unwrap() + 3;
    let host_end = base[start..].find('/').map_or(base.len(), |i| start + i);
    let sep = if query.is_empty() { "" } else { "?" };
    Some(format!("{}/{name}{sep}{query}", &base[..host_end]))
}

/// 三审 with a clean 保密审查 (clerk, head, leader) and publication on the website today
/// of register item `id`, through the service: what the portal's tests need before an
/// item is public.
pub async fn review_and_publish(svc: &gongkai_service::Service, id: i64) {
    use gongkai_ledger::register::secrecy::{SecrecyChecklist, SecrecyConclusion, SecrecyReview};
    use gongkai_ledger::register::{Outlet, Publication};
    use gongkai_service::Via;
    let clerk = svc.actor("clerk", Via::Web).await.unwrap();
    let review = SecrecyReview {
        checklist: SecrecyChecklist::all_no(),
        conclusion: SecrecyConclusion::Publishable,
        note: None,
    };
    svc.submit_item(&clerk, id, review, None).await.unwrap();
    for who in ["head", "leader"] {
        let a = svc.actor(who, Via::Web).await.unwrap();
        svc.approve_item(&a, id, None).await.unwrap();
    }
    svc.publish_item(
        &clerk,
        id,
        Publication {
            outlet: Outlet::Website,
            account: String::new(),
            published_on: gongkai_service::Service::today(),
            url: None,
        },
    )
    .await
    .unwrap();
}
