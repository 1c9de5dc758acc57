//! Two real `gongkai serve` processes on one database (issue 18 §3): the state a visitor
//! or a clerk meets must not depend on which process answers. On PostgreSQL (when
//! `GONGKAI_TEST_POSTGRES_URL` names a server) and on a SQLite file (several processes
//! on one file work too, through SQLite's own locking). Neither process is given
//! `GONGKAI_SECRET`: they agree on the CSRF secret kept in the database.
//!
//! * a form (CSRF token) served by A is accepted by B, and the session B's login makes is
//!   valid on A;
//! * an application registered through A is read through B; registrations sent to both
//!   at once are all kept, numbered without a gap or a duplicate;
//! * a report uploaded and shown by A (so in A's cache), corrected through B, is shown
//!   corrected by A;
//! * the anonymous check API's rate limit counts both processes together on PostgreSQL.
//!
//! The HTTP client is a few lines over `std::net::TcpStream` (HTTP/1.0, one request per
//! connection): nothing to add to the build.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use gongkai_store::{NewUser, Role, Stamp, Store};
use serde_json::{Value, json};

fn password(name: &str) -> String {
    format!("{name}-Plum7-harbor-Quill")
}

/// A `gongkai serve` child, killed when dropped.
struct Server {
    child: Child,
    addr: String,
    /// The process's own search index directory (removed with the server).
    _index: tempfile::TempDir,
}

impl Server {
    fn start(db: &str) -> Server {
        let index = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .env("GONGKAI_SEARCH_INDEX", index.path())
            .env_remove("GONGKAI_SECRET")
            .env_remove("GONGKAI_DB")
            .env("RUST_LOG", "warn")
            .args(["serve", "--db", db, "--addr", "127.0.0.1:0"])
            .args(["--check-api-per-minute", "2"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gongkai serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            // Reads the whole log (so the pipe never fills); the address line is sent on.
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("gongkai serve: http://") {
                    let addr = rest.split('/').next().unwrap_or_default().to_string();
                    let _ = tx.send(Ok(addr));
                } else {
                    let _ = tx.send(Err(line));
                }
            }
        });
        let mut log = Vec::new();
        loop {
            match rx.recv_timeout(Duration::from_secs(120)) {
                Ok(Ok(addr)) => {
                    return Server {
                        child,
                        addr,
                        _index: index,
                    };
                }
                Ok(Err(line)) => log.push(line),
                Err(_) => {
                    let _ = child.kill();
                    panic!("gongkai serve did not start:\n{}", log.join("\n"));
                }
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer, read whole.
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A browser: its cookies, whichever process it talks to.
#[derive(Default, Clone)]
struct Browser {
    cookies: HashMap<String, String>,
    bearer: Option<String>,
}

impl Browser {
    fn send(
        &mut self,
        server: &Server,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Resp {
        let mut req = format!("{method} {path} HTTP/1.0\r\nHost: {}\r\n", server.addr);
        if !self.cookies.is_empty() {
            let c: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            req.push_str(&format!("Cookie: {}\r\n", c.join("; ")));
        }
        if let Some(t) = &self.bearer {
            req.push_str(&format!("Authorization: Bearer {t}\r\n"));
        }
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        let mut s = TcpStream::connect(&server.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        s.write_all(req.as_bytes()).unwrap();
        s.write_all(body).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("read the answer");
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("end of headers");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|c| c.parse().ok())
            .expect("status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        for (k, v) in &headers {
            if k.eq_ignore_ascii_case("set-cookie") {
                let pair = v.split(';').next().unwrap_or_default();
                if let Some((name, val)) = pair.split_once('=') {
                    if val.is_empty() || v.contains("Max-Age=0") {
                        self.cookies.remove(name);
                    } else {
                        self.cookies.insert(name.to_string(), val.to_string());
                    }
                }
            }
        }
        Resp {
            status,
            headers,
            body: raw[split + 4..].to_vec(),
        }
    }

    fn get(&mut self, server: &Server, path: &str) -> Resp {
        self.send(server, "GET", path, &[], b"")
    }

    fn form(&mut self, server: &Server, path: &str, fields: &[(&str, &str)]) -> Resp {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect();
        self.send(
            server,
            "POST",
            path,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            body.join("&").as_bytes(),
        )
    }

    fn json(&mut self, server: &Server, method: &str, path: &str, v: &Value) -> Resp {
        self.send(
            server,
            method,
            path,
            &[("Content-Type", "application/json")],
            &serde_json::to_vec(v).unwrap(),
        )
    }

    fn upload(&mut self, server: &Server, csrf: &str, name: &str, bytes: &[u8]) -> Resp {
        let b = "----gongkai-two-processes";
        let mut body = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
        let ct = format!("multipart/form-data; boundary={b}");
        self.send(server, "POST", "/check", &[("Content-Type", &ct)], &body)
    }
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

/// The `csrf` hidden field of a page.
fn csrf_of(page: &str) -> String {
    let key = "name=\"csrf\" value=\"";
    let start = page
        .find(key)
        .unwrap_or_else(|| panic!("no csrf field:\n{page}"))
        + key.len();
    page[start..start + page[start..].find('"').unwrap()].to_string()
}

fn seed(name: &str) -> Vec<u8> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("seed {name}: {e}"))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// An administrator and a clerk, as `gongkai ledger init` and `user add` would make them.
fn prepare(url: &str) {
    runtime().block_on(async {
        let store = Store::open(url).await.unwrap();
        let admin = NewUser {
            name: "admin".into(),
            display_name: Some("系统管理员".into()),
            role: Role::Admin,
            password: password("admin"),
        };
        store
            .init("测试市某局", &admin, chrono::Utc::now())
            .await
            .unwrap();
        let clerk = NewUser {
            name: "clerk".into(),
            display_name: None,
            role: Role::Clerk,
            password: password("clerk"),
        };
        store.add_user(&clerk, &Stamp::now("admin")).await.unwrap();
        store.close().await;
    });
}

fn new_application(name: &str) -> Value {
    let today = gongkai_service::Service::today().to_string();
    json!({
        "applicant": {"kind": "natural_person", "name": name, "identity": null,
                      "contact": {"phone": "13800000000"}},
        "request": {"description": "某项目环评批复", "form": "electronic", "delivery": "email"},
        "received": {"date": today, "type": "received",
                     "channel": {"kind": "in_person", "oral": false}}
    })
}

fn scenario(url: &str, postgres: bool) {
    prepare(url);
    let a = Server::start(url);
    let b = Server::start(url);

    // 1. A form served by A, posted to B: the login is accepted; B's session works on A.
    let mut web = Browser::default();
    let token = csrf_of(&web.get(&a, "/login").text());
    let r = web.form(
        &b,
        "/login",
        &[
            ("csrf", &token),
            ("name", "clerk"),
            ("password", &password("clerk")),
        ],
    );
    assert_eq!(
        r.status,
        303,
        "{url}: login on B with A's form: {}",
        r.text()
    );
    assert!(web.cookies.contains_key("gk_session"), "{url}");
    let me = web.get(&a, "/api/v1/me");
    assert_eq!(me.status, 200, "{url}: B's session on A: {}", me.text());
    assert_eq!(me.json()["name"], "clerk", "{url}");

    // 2. A write on A (with the session cookie and A's page token) is read on B.
    let token = csrf_of(&web.get(&a, "/ledger").text());
    let r = web.send(
        &a,
        "POST",
        "/api/v1/applications",
        &[
            ("Content-Type", "application/json"),
            ("X-CSRF-Token", &token),
        ],
        &serde_json::to_vec(&new_application("张三")).unwrap(),
    );
    assert_eq!(r.status, 201, "{url}: {}", r.text());
    let id = r.json()["application"]["id"].as_str().unwrap().to_string();
    let seen = web.get(&b, &format!("/api/v1/applications/{id}"));
    assert_eq!(seen.status, 200, "{url}: {}", seen.text());
    assert_eq!(seen.json()["application"]["applicant"]["name"], "张三");
    let page = web.get(&b, &format!("/ledger/a/{id}"));
    assert_eq!(page.status, 200, "{url}");
    assert!(page.text().contains("张三"), "{url}");

    // 3. Registrations sent to both at once (a token made on B, used on both): all kept,
    //    numbered one after the other.
    let mut api = Browser::default();
    let r = api.json(
        &b,
        "POST",
        "/api/v1/session",
        &json!({"name": "clerk", "password": password("clerk")}),
    );
    assert_eq!(r.status, 201, "{url}: {}", r.text());
    api.bearer = Some(r.json()["token"].as_str().unwrap().to_string());
    let ids: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..12)
            .map(|i| {
                let mut c = api.clone();
                let server = if i % 2 == 0 { &a } else { &b };
                s.spawn(move || {
                    let r = c.json(
                        server,
                        "POST",
                        "/api/v1/applications",
                        &new_application(&format!("申请人{i}")),
                    );
                    assert_eq!(r.status, 201, "registration {i}: {}", r.text());
                    r.json()["application"]["id"].as_str().unwrap().to_string()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut all = ids.clone();
    all.push(id.clone());
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 13, "{url}: no duplicate: {all:?}");
    let list = api.get(&a, "/api/v1/applications?limit=100").json();
    let listed = list.as_array().map_or(0, Vec::len);
    assert_eq!(listed, 13, "{url}: {list}");

    // 4. A report uploaded and shown through A, corrected through B, shown corrected by A.
    let text = String::from_utf8(seed("000_a3a3bcf84a832127.txt")).unwrap();
    let broken = text.replacen("(七) 总计\t2\t", "(七) 总计\t3\t", 1);
    let mut visitor = Browser::default();
    let token = csrf_of(&visitor.get(&a, "/check").text());
    let r = visitor.upload(&a, &token, "报告.txt", broken.as_bytes());
    assert_eq!(r.status, 303, "{url}: {}", r.text());
    let report = r.header("location").unwrap().to_string();
    let page = visitor.get(&a, &report).text();
    assert!(
        page.contains(">TAB002<"),
        "{url}: the sums disagree as read"
    );
    let r = visitor.form(
        &b,
        &format!("{report}/cells"),
        &[
            ("csrf", &csrf_of(&page)),
            ("cell", "s3.results_total.natural_person"),
            ("value", "2"),
            ("note", "在另一进程更正"),
        ],
    );
    assert_eq!(r.status, 303, "{url}: {}", r.text());
    let page = visitor.get(&a, &report).text();
    assert!(
        page.contains("在另一进程更正"),
        "{url}: A shows B's correction"
    );
    assert!(
        !page.contains(">TAB002<"),
        "{url}: A checks the corrected report"
    );

    // 5. The anonymous check API: two a minute per address (`--check-api-per-minute 2`).
    //    Counted together on PostgreSQL; each SQLite process counts alone.
    let body = seed("000_a3a3bcf84a832127.txt");
    let mut anon = Browser::default();
    for server in [&a, &b] {
        let r = anon.send(server, "POST", "/api/v1/check", &[], &body);
        assert_eq!(r.status, 200, "{url}: {}", r.text());
    }
    let r = anon.send(&a, "POST", "/api/v1/check", &[], &body);
    if postgres {
        assert_eq!(
            r.status, 429,
            "{url}: the third within the minute, on either process"
        );
        assert!(r.header("retry-after").is_some());
    } else {
        assert_eq!(r.status, 200, "{url}: {}", r.text());
    }
}

#[test]
fn two_processes_on_one_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("ledger.db").display());
    scenario(&url, false);
}

#[test]
fn two_processes_on_one_postgres_database() {
    let Some(db) = common::postgres_database("gongkai_two_processes") else {
        return;
    };
    scenario(&db.url, true);
}
