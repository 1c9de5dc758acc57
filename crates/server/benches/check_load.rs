//! The report checker under a bounded loopback load of anonymous uploads: the server's
//! peak memory and the ledger's responsiveness.
//!
//! `cargo bench -p gongkai-server --bench check_load` (or `cargo bench --workspace --bench
//! check_load`) starts the real server as a child process (this program again, in server
//! mode: a SQLite ledger in a temporary directory, the default [`Config`] but for the
//! global quota, which is lifted so that every upload is read), then on 127.0.0.1 only:
//!
//! * `GONGKAI_BENCH_UPLOADS` (default 200) anonymous uploads of `GONGKAI_BENCH_FILES` (4)
//!   text reports of `GONGKAI_BENCH_FILE_MB` (14) MB each through the upload form, from
//!   `GONGKAI_BENCH_CONNS` (4) connections; every upload is a new visitor (its own cookie
//!   and CSRF token from `GET /check`), as a visitor dropping cookies to escape the quota;
//! * meanwhile a clerk registers an application through the API every 100 ms.
//!
//! It prints the statuses of the uploads, the server's peak resident memory (`VmHWM` of
//! the child's `/proc/PID/status`, and the highest `VmRSS` sampled every 50 ms) and the
//! p50/p99/max latency of the clerk's writes during the load. The whole run is bounded by
//! `GONGKAI_BENCH_SECONDS` (default 900): uploads not sent by then are skipped.

#[path = "support/office.rs"]
mod office;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use gongkai_server::{AppState, Config};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const CHILD: &str = "GONGKAI_BENCH_CHECK_LOAD_SERVER";
const PASSWORD: &str = "bench-password";

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    match std::env::var(CHILD) {
        Ok(dir) => server(&dir),
        Err(_) => load(),
    }
}

/// Server mode: a ledger with a clerk, served on loopback; prints `PORT n`.
fn server(dir: &str) {
    // As `gongkai serve` does.
    gongkai_server::memory::return_large_blocks_to_the_system();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let db = std::path::Path::new(dir).join("ledger.db");
        let store = office::office(&db, "基准测试局", PASSWORD).await;
        let mut config = Config::default();
        // Every upload is read: the global quota would refuse the last ones otherwise.
        config.check.total_bytes = u64::MAX / 2;
        config.check.total_files = u64::MAX / 2;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        println!("PORT {}", listener.local_addr().unwrap().port());
        gongkai_server::serve(listener, AppState::new(store, config))
            .await
            .unwrap();
    });
}

/// A response: status, head (lower-cased), body.
struct Resp {
    status: u16,
    head: String,
    body: Vec<u8>,
}

/// One keep-alive connection speaking just enough HTTP/1.1.
struct Conn {
    stream: TcpStream,
}

impl Conn {
    async fn open(addr: &str) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Conn { stream })
    }

    async fn call(&mut self, head: &str, body: &[&[u8]]) -> std::io::Result<Resp> {
        self.stream.write_all(head.as_bytes()).await?;
        for part in body {
            self.stream.write_all(part).await?;
        }
        let mut buf = Vec::with_capacity(16 * 1024);
        let mut chunk = [0u8; 16 * 1024];
        let (end, length, head) = loop {
            let n = self.stream.read(&mut chunk).await?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            buf.extend_from_slice(&chunk[..n]);
            if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..pos]).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                break (pos + 4, length, head);
            }
        };
        while buf.len() < end + length {
            let n = self.stream.read(&mut chunk).await?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
        Ok(Resp {
            status,
            body: buf[end..end + length].to_vec(),
            head,
        })
    }
}

/// A published report (seed 000) padded to `bytes` with running text in section 一.
fn big_report(bytes: usize) -> Vec<u8> {
    let seed = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/seeds/000_a3a3bcf84a832127.txt"),
    )
    .expect("seed 000 (shared/seeds)");
    let text = String::from_utf8(seed).unwrap();
    // After the heading of section 一 and its blank line: the padding is its running text.
    let at = text
        .find("一、总体情况\n")
        .map_or(0, |i| i + "一、总体情况\n".len());
    let line = "本机关坚持以公开为常态、不公开为例外，持续推进决策、执行、管理、服务、结果公开。\n";
    let mut out = String::with_capacity(bytes + text.len());
    out.push_str(&text[..at]);
    while out.len() + text.len() - at < bytes {
        out.push_str(line);
    }
    out.push_str(&text[at..]);
    out.into_bytes()
}

fn proc_status(pid: u32, key: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn load() {
    let uploads = env("GONGKAI_BENCH_UPLOADS", 200);
    let files = env("GONGKAI_BENCH_FILES", 4).max(1);
    let file_mb = env("GONGKAI_BENCH_FILE_MB", 14).max(1);
    let conns = env("GONGKAI_BENCH_CONNS", 4).max(1);
    let limit = Duration::from_secs(env("GONGKAI_BENCH_SECONDS", 900) as u64);
    let dir = std::env::temp_dir().join(format!("gongkai-check-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .env(CHILD, &dir)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line
        .trim()
        .strip_prefix("PORT ")
        .and_then(|p| p.parse().ok())
        .expect("the server prints its port");
    let addr = format!("127.0.0.1:{port}");
    let idle_rss = proc_status(pid, "VmRSS:").unwrap_or(0);
    let config = Config::default();
    println!(
        "server: pid {pid} on {addr}; limits: file {} MB, request {} MB, bodies in flight {} MB, parsing {} at once in {} MB, cache {} MB",
        config.max_file_bytes >> 20,
        config.max_upload_bytes >> 20,
        config.check.intake_bytes >> 20,
        config.check.parse_concurrency,
        config.check.parse_bytes >> 20,
        config.check.cache_bytes >> 20,
    );
    let report = big_report(file_mb << 20);
    println!(
        "load: {uploads} anonymous uploads of {files} × {:.1} MB text ({:.1} MB a request) from {conns} connections, a clerk's write every 100 ms; at most {} s",
        report.len() as f64 / (1 << 20) as f64,
        (report.len() * files) as f64 / (1 << 20) as f64,
        limit.as_secs()
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        // The clerk's token.
        let mut c = Conn::open(&addr).await.unwrap();
        let body = format!("{{\"name\":\"clerk\",\"password\":\"{PASSWORD}\"}}");
        let r = c
            .call(
                &format!(
                    "POST /api/v1/session HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                ),
                &[body.as_bytes()],
            )
            .await
            .unwrap();
        assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        let token = v["token"].as_str().unwrap().to_string();

        // The files' part of the form, the same for every upload.
        let boundary = "----gongkai-bench-boundary";
        let mut files_part = Vec::with_capacity(files * (report.len() + 200));
        for i in 0..files {
            files_part.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"report{i}.txt\"\r\nContent-Type: text/plain\r\n\r\n"
                )
                .as_bytes(),
            );
            files_part.extend_from_slice(&report);
            files_part.extend_from_slice(b"\r\n");
        }
        files_part.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let files_part = Arc::new(files_part);
        drop(report);

        let done = Arc::new(AtomicBool::new(false));
        let peak_rss = Arc::new(AtomicU64::new(0));
        let sampler = {
            let done = done.clone();
            let peak = peak_rss.clone();
            tokio::spawn(async move {
                while !done.load(Ordering::Relaxed) {
                    if let Some(kb) = proc_status(pid, "VmRSS:") {
                        peak.fetch_max(kb, Ordering::Relaxed);
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            })
        };
        let clerk = {
            let done = done.clone();
            let addr = addr.clone();
            tokio::spawn(async move {
                let mut conn = Conn::open(&addr).await.unwrap();
                let mut lat = Vec::new();
                let mut failed = 0usize;
                let today = chrono::Local::now().date_naive();
                let mut i = 0usize;
                while !done.load(Ordering::Relaxed) {
                    let body = serde_json::json!({
                        "applicant": {"kind": "natural_person", "name": format!("申请人{i}"), "identity": null, "contact": {"phone": "13800000000"}},
                        "request": {"description": "某项目环评批复", "form": "electronic", "delivery": "email"},
                        "received": {"date": today, "type": "received", "channel": {"kind": "in_person", "oral": false}}
                    })
                    .to_string();
                    let head = format!(
                        "POST /api/v1/applications HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                        body.len()
                    );
                    let t = Instant::now();
                    match conn.call(&head, &[body.as_bytes()]).await {
                        Ok(r) if r.status == 201 => lat.push(t.elapsed()),
                        Ok(_) => failed += 1,
                        Err(_) => {
                            failed += 1;
                            conn = Conn::open(&addr).await.unwrap();
                        }
                    }
                    i += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                (lat, failed)
            })
        };

        let next = Arc::new(AtomicU64::new(0));
        let deadline = Instant::now() + limit;
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..conns {
            let addr = addr.clone();
            let next = next.clone();
            let files_part = files_part.clone();
            tasks.push(tokio::spawn(async move {
                let mut statuses: Vec<u16> = Vec::new();
                let mut lat = Vec::new();
                let mut conn = Conn::open(&addr).await.unwrap();
                while (next.fetch_add(1, Ordering::Relaxed) as usize) < uploads
                    && Instant::now() < deadline
                {
                    let t = Instant::now();
                    // A new visitor: the form gives the cookie and the token.
                    let page = match conn
                        .call("GET /check HTTP/1.1\r\nHost: bench\r\n\r\n", &[])
                        .await
                    {
                        Ok(r) => r,
                        Err(_) => {
                            statuses.push(0);
                            conn = Conn::open(&addr).await.unwrap();
                            continue;
                        }
                    };
                    let cookie = page
                        .head
                        .lines()
                        .filter_map(|l| l.strip_prefix("set-cookie:"))
                        .map(|v| v.trim().split(';').next().unwrap_or("").to_string())
                        .collect::<Vec<_>>()
                        .join("; ");
                    let html = String::from_utf8_lossy(&page.body);
                    let csrf = html
                        .split("name=\"csrf\" value=\"")
                        .nth(1)
                        .and_then(|s| s.split('"').next())
                        .unwrap_or("")
                        .to_string();
                    let first = format!(
                        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n"
                    );
                    let head = format!(
                        "POST /check HTTP/1.1\r\nHost: bench\r\nCookie: {cookie}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
                        first.len() + files_part.len()
                    );
                    match conn.call(&head, &[first.as_bytes(), &files_part]).await {
                        Ok(r) => {
                            statuses.push(r.status);
                            lat.push(t.elapsed());
                            if r.head.contains("connection: close") {
                                conn = Conn::open(&addr).await.unwrap();
                            }
                        }
                        Err(_) => {
                            statuses.push(0);
                            conn = Conn::open(&addr).await.unwrap();
                        }
                    }
                }
                (statuses, lat)
            }));
        }
        let mut statuses = Vec::new();
        let mut upload_lat = Vec::new();
        for t in tasks {
            let (s, l) = t.await.unwrap();
            statuses.extend(s);
            upload_lat.extend(l);
        }
        let seconds = start.elapsed().as_secs_f64();
        done.store(true, Ordering::Relaxed);
        let (mut clerk_lat, clerk_failed) = clerk.await.unwrap();
        sampler.await.unwrap();
        let hwm = proc_status(pid, "VmHWM:").unwrap_or(0);

        let mut counts = std::collections::BTreeMap::new();
        for s in &statuses {
            *counts.entry(*s).or_insert(0usize) += 1;
        }
        upload_lat.sort();
        clerk_lat.sort();
        println!(
            "uploads: {} sent in {seconds:.1} s; statuses {:?} (303: read and kept; 0: connection error); upload p50 {:.0} ms, max {:.0} ms",
            statuses.len(),
            counts,
            ms(pct(&upload_lat, 0.5)),
            ms(upload_lat.last().copied().unwrap_or_default()),
        );
        println!(
            "server memory: idle {:.0} MB; peak RSS (VmHWM) {:.0} MB; highest sampled VmRSS {:.0} MB",
            idle_rss as f64 / 1024.0,
            hwm as f64 / 1024.0,
            peak_rss.load(Ordering::Relaxed) as f64 / 1024.0
        );
        println!(
            "clerk's writes during the load (POST /api/v1/applications): {} ok, {clerk_failed} failed; p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            clerk_lat.len(),
            ms(pct(&clerk_lat, 0.5)),
            ms(pct(&clerk_lat, 0.99)),
            ms(clerk_lat.last().copied().unwrap_or_default()),
        );
    });
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
