//! API latency under a bounded loopback load: requests per second and p50/p99.
//!
//! `cargo bench -p gongkai-server --bench api` builds a SQLite ledger in a temporary file
//! (a year of applications registered through the store, with decisions and replies),
//! serves it on 127.0.0.1, and sends requests from a few keep-alive connections for a fixed
//! number of requests and a time limit (nothing leaves the machine; every loop is bounded):
//!
//! * `GET /api/v1/reports/{year}` — the year-end report computed from the ledger and checked;
//! * `GET /api/v1/applications/{id}` — one application with its state and deadline
//!   explanation;
//! * `POST /api/v1/check` — read and check a published report (seed 000).
//!
//! Environment: `GONGKAI_BENCH_APPS` (applications, default 1000), `GONGKAI_BENCH_CONNS`
//! (connections, default 4), `GONGKAI_BENCH_REQUESTS` (requests per scenario, default
//! 2000), `GONGKAI_BENCH_SECONDS` (time limit per scenario, default 20).

use std::time::{Duration, Instant};

use chrono::{Datelike, Duration as Days, NaiveDate, Utc};
use gongkai_ledger::{
    Applicant, ApplicantKind, Channel, Contact, Decision, EventKind, InformationRequest,
    ReplyMethod,
};
use gongkai_server::{AppState, Config};
use gongkai_store::{EventInput, NewApplication, NewUser, Role, Stamp, Store};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A ledger of `n` applications received this year before today, most decided and replied.
async fn ledger(store: &Store, n: usize) -> (i32, Vec<String>) {
    store
        .init(
            "基准测试局",
            &NewUser {
                name: "admin".into(),
                display_name: None,
                role: Role::Admin,
                password: "bench-Plum7-harbor-Quill".into(),
            },
            Utc::now(),
        )
        .await
        .unwrap();
    store
        .add_user(
            &NewUser {
                name: "clerk".into(),
                display_name: None,
                role: Role::Clerk,
                password: "bench-Plum7-harbor-Quill".into(),
            },
            &Stamp::now("admin"),
        )
        .await
        .unwrap();
    for (name, role) in [("head", Role::OfficeHead), ("leader", Role::Leader)] {
        store
            .add_user(
                &NewUser {
                    name: name.into(),
                    display_name: None,
                    role,
                    password: "bench-Plum7-harbor-Quill".into(),
                },
                &Stamp::now("admin"),
            )
            .await
            .unwrap();
    }
    let stamp = Stamp::now("clerk");
    let today = stamp.today();
    let year = today.year();
    let first = NaiveDate::from_ymd_opt(year, 1, 2).unwrap();
    let span = (today - first).num_days().max(1);
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let received = first + Days::days((i as i64 * 7919) % span);
        let kind = ApplicantKind::ALL[i % 6];
        let app = store
            .register_application(
                NewApplication {
                    id: None,
                    applicant: Applicant {
                        kind,
                        name: format!("申请人{i}"),
                        identity: None,
                        contact: Contact::default(),
                        representative: None,
                    },
                    request: InformationRequest {
                        description: format!("第 {i} 号申请所需的政府信息"),
                        document_number: None,
                        form: Default::default(),
                        delivery: Default::default(),
                        fee_units: 1,
                    },
                    received: Some(EventInput::new(
                        received,
                        EventKind::Received {
                            channel: Channel::InPerson { oral: false },
                        },
                    )),
                },
                &stamp,
            )
            .await
            .unwrap();
        let reply_on = (received + Days::days(10)).min(today);
        if i % 5 != 0 && reply_on > received {
            // Decisions that need earlier events (a correction, a fee notice) are refused
            // by the ledger on a bare application; those applications are granted instead.
            let decision = Decision::ALL[i % 18];
            let decided = |decision| EventInput::new(reply_on, EventKind::Decided { decision });
            if store
                .append_event(&app.id, decided(decision), &stamp)
                .await
                .is_err()
            {
                store
                    .append_event(&app.id, decided(Decision::Granted), &stamp)
                    .await
                    .unwrap();
            }
            // 送达 only after the three-level review approved the reply.
            let subject = gongkai_store::ReviewSubject::Reply {
                application: app.id.clone(),
            };
            store
                .review_step(&subject, gongkai_store::ReviewAction::Submit, None, &stamp)
                .await
                .unwrap();
            for who in ["head", "leader"] {
                store
                    .review_approve(&subject, None, &Stamp::now(who))
                    .await
                    .unwrap();
            }
            let sent = EventKind::ReplySent {
                method: ReplyMethod::Post,
            };
            store
                .append_event(&app.id, EventInput::new(reply_on, sent), &stamp)
                .await
                .unwrap();
        }
        ids.push(app.id.0);
    }
    (year, ids)
}

/// One keep-alive connection speaking just enough HTTP/1.1.
struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    async fn open(addr: &str) -> Conn {
        let stream = TcpStream::connect(addr).await.unwrap();
        stream.set_nodelay(true).unwrap();
        Conn {
            stream,
            buf: Vec::with_capacity(64 * 1024),
        }
    }

    /// Sends a request and reads the whole response; returns the status.
    async fn call(&mut self, head: &str, body: &[u8]) -> u16 {
        self.stream.write_all(head.as_bytes()).await.unwrap();
        if !body.is_empty() {
            self.stream.write_all(body).await.unwrap();
        }
        self.buf.clear();
        let mut chunk = [0u8; 16 * 1024];
        let (header_end, length) = loop {
            let n = self.stream.read(&mut chunk).await.unwrap();
            assert!(n > 0, "connection closed");
            self.buf.extend_from_slice(&chunk[..n]);
            if let Some(pos) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&self.buf[..pos]).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .map(|v| v.trim().parse::<usize>().unwrap())
                    .expect("content-length");
                break (pos + 4, length);
            }
        };
        while self.buf.len() < header_end + length {
            let n = self.stream.read(&mut chunk).await.unwrap();
            assert!(n > 0, "connection closed");
            self.buf.extend_from_slice(&chunk[..n]);
        }
        std::str::from_utf8(&self.buf[9..12])
            .unwrap()
            .parse()
            .unwrap()
    }
}

struct Figures {
    requests: usize,
    seconds: f64,
    p50: Duration,
    p99: Duration,
    max: Duration,
}

/// Runs `total` requests (at most `limit` long) over `conns` connections.
async fn load(
    addr: &str,
    conns: usize,
    total: usize,
    limit: Duration,
    make: impl Fn(usize) -> (String, Vec<u8>) + Send + Sync + Clone + 'static,
) -> Figures {
    // Warm up: one request per connection, not counted.
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..conns {
        let addr = addr.to_string();
        let make = make.clone();
        let share = total / conns + usize::from(c < total % conns);
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::open(&addr).await;
            let (h, b) = make(c);
            assert_eq!(conn.call(&h, &b).await, 200, "warm-up failed");
            let mut lat = Vec::with_capacity(share);
            let deadline = Instant::now() + limit;
            for i in 0..share {
                if Instant::now() > deadline {
                    break;
                }
                let (h, b) = make(c * 1_000_003 + i);
                let t = Instant::now();
                let status = conn.call(&h, &b).await;
                lat.push(t.elapsed());
                assert_eq!(status, 200);
            }
            lat
        }));
    }
    let mut all = Vec::with_capacity(total);
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let seconds = start.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| all[((all.len() as f64 * p).ceil() as usize).clamp(1, all.len()) - 1];
    Figures {
        requests: all.len(),
        seconds,
        p50: pct(0.50),
        p99: pct(0.99),
        max: *all.last().unwrap(),
    }
}

fn print(name: &str, f: &Figures) {
    println!(
        "{name:<42} {:>6} requests in {:>5.2} s: {:>8.1} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   max {:>7.2} ms",
        f.requests,
        f.seconds,
        f.requests as f64 / f.seconds,
        f.p50.as_secs_f64() * 1e3,
        f.p99.as_secs_f64() * 1e3,
        f.max.as_secs_f64() * 1e3,
    );
}

fn main() {
    let apps = env("GONGKAI_BENCH_APPS", 1000);
    let conns = env("GONGKAI_BENCH_CONNS", 4).max(1);
    let total = env("GONGKAI_BENCH_REQUESTS", 2000).max(conns);
    let limit = Duration::from_secs(env("GONGKAI_BENCH_SECONDS", 20) as u64);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let dir = std::env::temp_dir().join(format!("gongkai-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("ledger.db");
        let store = Store::open(db.to_str().unwrap()).await.unwrap();
        let t = Instant::now();
        let (year, ids) = ledger(&store, apps).await;
        println!(
            "ledger: {apps} applications registered through the store in {:.1} s (SQLite file, synchronous=FULL)",
            t.elapsed().as_secs_f64()
        );
        let (token, _, _) = store
            .login("clerk", "bench-Plum7-harbor-Quill", chrono::Duration::hours(1), Utc::now())
            .await
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let state = AppState::new(store.clone(), Config::default());
        let server = tokio::spawn(async move {
            axum::serve(listener, gongkai_server::app(state)).await.unwrap();
        });
        println!(
            "load: {conns} keep-alive connections on loopback, {total} requests per scenario, at most {} s each",
            limit.as_secs()
        );
        let auth = format!("Authorization: Bearer {}\r\n", token.0);
        let get = {
            let auth = auth.clone();
            move |path: String| {
                (
                    format!("GET {path} HTTP/1.1\r\nHost: bench\r\n{auth}\r\n"),
                    Vec::new(),
                )
            }
        };
        let g = get.clone();
        let f = load(&addr, conns, total, limit, move |_| {
            g(format!("/api/v1/reports/{year}"))
        })
        .await;
        print(&format!("GET /api/v1/reports/{year} ({apps} applications)"), &f);
        let g = get.clone();
        let ids = std::sync::Arc::new(ids);
        let f = load(&addr, conns, total, limit, move |i| {
            g(format!("/api/v1/applications/{}", ids[i % ids.len()]))
        })
        .await;
        print("GET /api/v1/applications/{id}", &f);
        let seed = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/seeds/000_a3a3bcf84a832127.txt"),
        )
        .unwrap_or_else(|_| b"empty".to_vec());
        let f = load(&addr, conns, total, limit, move |_| {
            (
                format!(
                    "POST /api/v1/check HTTP/1.1\r\nHost: bench\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
                    seed.len()
                ),
                seed.clone(),
            )
        })
        .await;
        print("POST /api/v1/check (a published report)", &f);
        server.abort();
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    });
}
