//! The platform under load (issue 18 §3): a generated province on one PostgreSQL, two
//! `gongkai serve` processes, clerks and supervisors on loopback, bounded in time.
//!
//! `cargo bench -p gongkai-cli --bench platform_load` (release build):
//!
//! 1. starts a throw-away PostgreSQL server (`scripts/postgres-test-server`; or uses the
//!    server of `GONGKAI_LOAD_PG_URL`) and makes a new database in it;
//! 2. generates a province of `GONGKAI_LOAD_AGENCIES` agencies (default 1,000: 1 province,
//!    1 % cities, 6 % counties, 60 % townships, the rest departments) and about
//!    `GONGKAI_LOAD_APPLICATIONS` applications (default 2,000,000, shared by caseload:
//!    province 40, city 12, county 6, department 3, township 1) with their events, appeals
//!    and proactive records (the ledger tests' generator: received, corrected, consulted,
//!    extended, decided, replied, withdrawn, fees; open ones; 2 % of those older than 60
//!    days left at their receipt: overdue), one clerk per agency and
//!    `GONGKAI_LOAD_SUPERVISORS` (5) supervisors (the province, then cities); the ledgers
//!    are written with `Store::bulk_load` by `GONGKAI_LOAD_METHOD` (`copy`, default, or
//!    `insert`: multi-row INSERT), and the bench prints rows per second;
//! 3. runs `gongkai ledger platform figures rebuild` when the binary has it (the
//!    supervisor's materialised figures) and times it; with `GONGKAI_LOAD_LEDGER_ROLLUP=1`
//!    also the roll-up computed from the ledgers (every agency's year-end, summed); the
//!    whole province's roll-up through the API is timed before and after the load;
//! 4. starts two `gongkai serve` processes on the database (`GONGKAI_SECRET` shared), then
//!    for `GONGKAI_LOAD_SECONDS` (default 120) drives `GONGKAI_LOAD_CLERKS` (50) clerks —
//!    each of another agency, alternating between the two processes: log in, list, open
//!    an application, register one, record its decision and its reply, think
//!    `GONGKAI_LOAD_THINK_MS` (300 ms) — and the supervisors (`GET /supervise` and
//!    `GET /api/v1/supervise` of their node; without those routes the root's year-end page
//!    as the administrator);
//! 5. prints p50/p99/max per kind of request, then checks the counts: every acknowledged
//!    registration is one row of `applications` (none missing, none twice), every
//!    acknowledged event one row of `events`;
//! 6. stops the servers and drops the database (`GONGKAI_LOAD_KEEP=1` keeps it) — its size
//!    is printed first.

#[path = "../../../ledger/tests/support/mod.rs"]
mod support;

mod drive;
mod http;
mod province;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gongkai_store::{BulkMethod, Store};
use sqlx::{Connection, Row};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace(['_', ','], "").parse().ok())
        .unwrap_or(default)
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_gongkai")
}

fn postgres_server() -> String {
    if let Ok(url) = std::env::var("GONGKAI_LOAD_PG_URL") {
        return url;
    }
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scripts/postgres-test-server"
    );
    let out = Command::new(script)
        .stderr(Stdio::inherit())
        .output()
        .expect("scripts/postgres-test-server");
    assert!(out.status.success(), "postgres-test-server failed");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn with_database(server: &str, db: &str) -> String {
    match server.rfind('/') {
        Some(i) if i > "postgresql://".len() => format!("{}/{db}", &server[..i]),
        _ => format!("{server}/{db}"),
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(db: &str, port: u16, secret: &str) -> Server {
    // Each process its own search index, in the temporary directory (not the source tree).
    let index =
        std::env::temp_dir().join(format!("gongkai-load-index-{}-{port}", std::process::id()));
    let child = Command::new(bin())
        .args(["serve", "--db", db, "--addr", &format!("127.0.0.1:{port}")])
        .env("GONGKAI_SEARCH_INDEX", &index)
        .env("GONGKAI_SECRET", secret)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("gongkai serve");
    Server(child)
}

async fn wait_healthy(port: u16) {
    let t = Instant::now();
    loop {
        let mut c = http::Client::new(&format!("127.0.0.1:{port}"));
        if let Ok(r) = c.get("/healthz").await
            && r.status == 200
        {
            return;
        }
        assert!(
            t.elapsed() < Duration::from_secs(120),
            "server on {port} did not start"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn main() {
    let agencies = env("GONGKAI_LOAD_AGENCIES", 1_000);
    let applications = env("GONGKAI_LOAD_APPLICATIONS", 2_000_000);
    let clerks = env("GONGKAI_LOAD_CLERKS", 50);
    let supervisors = env("GONGKAI_LOAD_SUPERVISORS", 5);
    let seconds = env("GONGKAI_LOAD_SECONDS", 120);
    let think = env("GONGKAI_LOAD_THINK_MS", 300);
    let method = match std::env::var("GONGKAI_LOAD_METHOD").as_deref() {
        Ok("insert") => BulkMethod::Insert,
        _ => BulkMethod::Copy,
    };
    let keep = std::env::var("GONGKAI_LOAD_KEEP").is_ok_and(|v| v == "1");
    let server = postgres_server();
    let db_name = format!("gongkai_load_{}", std::process::id());
    let url = with_database(&server, &db_name);
    println!(
        "platform load: {agencies} agencies, ~{applications} applications, {clerks} clerks, {supervisors} supervisors, {seconds} s, think {think} ms, bulk method {method:?}; database {url}"
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut admin = sqlx::PgConnection::connect(&server).await.expect("server");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db_name}")))
            .execute(&mut admin)
            .await
            .expect("create database");
        let result = run(
            &url,
            agencies,
            applications,
            clerks,
            supervisors,
            seconds,
            think,
            method,
        )
        .await;
        if keep {
            println!("database kept: {url}");
        } else {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {db_name} WITH (FORCE)"
            )))
            .execute(&mut admin)
            .await;
            println!("database {db_name} dropped");
        }
        if let Err(e) = result {
            panic!("{e}");
        }
    });
}

#[allow(clippy::too_many_arguments)]
async fn run(
    url: &str,
    agencies: usize,
    applications: usize,
    clerks: usize,
    supervisors: usize,
    seconds: usize,
    think: usize,
    method: BulkMethod,
) -> Result<(), String> {
    let store = Store::open(url).await.map_err(|e| e.to_string())?;
    let t = Instant::now();
    let p = province::build(&store, agencies, applications, method, supervisors, clerks).await;
    let rows = p.loaded.applications + p.loaded.events + p.loaded.appeals + p.loaded.proactive;
    println!(
        "province: {} agencies, clerks and {} supervisors in {:.1} s; generated in {:.1} s; loaded {} applications, {} events, {} appeals, {} proactive records ({rows} rows) in {:.1} s: {:.0} rows/s, {:.0} applications/s ({method:?}); total {:.1} s",
        p.nodes.len(),
        p.supervisors.len(),
        p.setup_time.as_secs_f64(),
        p.generate_time.as_secs_f64(),
        p.loaded.applications,
        p.loaded.events,
        p.loaded.appeals,
        p.loaded.proactive,
        p.load_time.as_secs_f64(),
        rows as f64 / p.load_time.as_secs_f64(),
        p.loaded.applications as f64 / p.load_time.as_secs_f64(),
        t.elapsed().as_secs_f64(),
    );
    let mut conn = sqlx::PgConnection::connect(url)
        .await
        .map_err(|e| e.to_string())?;
    let t = Instant::now();
    sqlx::query("ANALYZE")
        .execute(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    let size: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "ANALYZE {:.1} s; database size {:.2} GB",
        t.elapsed().as_secs_f64(),
        size as f64 / 1e9
    );

    // The roll-up computed from the ledgers, every agency's year-end summed (optional: the
    // figures rebuild below does the same work and keeps the result).
    let year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    if std::env::var("GONGKAI_LOAD_LEDGER_ROLLUP").is_ok_and(|v| v == "1") {
        let t = Instant::now();
        let mut received = 0u64;
        let mut carried = 0u64;
        for node in &p.nodes {
            let ye = store
                .in_agency(node.id)
                .year_end(gongkai_ledger::YearEndOptions::year(year))
                .await
                .map_err(|e| e.to_string())?;
            received += ye.figures.new_received[6];
            carried += ye.figures.carried_over[6];
        }
        println!(
            "roll-up from the ledgers (each agency's year-end {year}, summed; one process, sequential): {:.1} s — 新收 {received}, 上年结转 {carried}",
            t.elapsed().as_secs_f64()
        );
    }

    // The supervisor's materialised figures, when the binary has the command.
    let has_figures = Command::new(bin())
        .args(["ledger", "platform", "figures", "--help"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if has_figures {
        let t = Instant::now();
        let out = Command::new(bin())
            .args(["ledger", "--db", url, "--user", "admin", "--password-stdin"])
            .args([
                "platform",
                "figures",
                "rebuild",
                "--year",
                &year.to_string(),
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write as _;
                let mut stdin = c.stdin.take().unwrap();
                writeln!(stdin, "{}", province::PASSWORD)?;
                drop(stdin);
                c.wait_with_output()
            })
            .map_err(|e| e.to_string())?;
        println!(
            "gongkai ledger platform figures rebuild: {} in {:.1} s {}",
            out.status,
            t.elapsed().as_secs_f64(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    } else {
        println!("gongkai ledger platform figures rebuild: not in this build (skipped)");
    }

    let secret = "platform-load-shared-secret-0123456789abcdef";
    let ports = [free_port(), free_port()];
    let servers: Vec<Server> = ports.iter().map(|&p| serve(url, p, secret)).collect();
    for &port in &ports {
        wait_healthy(port).await;
    }
    let addrs: Vec<String> = ports.iter().map(|p| format!("127.0.0.1:{p}")).collect();
    let rollup = |label: &'static str| {
        let addrs = addrs.clone();
        let sup = p.supervisors.first().cloned();
        async move {
            let Some((name, node)) = sup else { return };
            match drive::timed_rollup(&addrs[0], &name, &node, year).await {
                Ok((d, bytes)) => println!(
                    "roll-up of the whole province ({label}): GET /api/v1/supervise?node={node} {:.0} ms, {bytes} bytes",
                    d.as_secs_f64() * 1e3
                ),
                Err(e) => println!("roll-up of the whole province ({label}): {e}"),
            }
        }
    };
    rollup("before the load").await;
    let start = chrono::Utc::now();
    let outcome = drive::run(
        &p,
        &addrs,
        clerks,
        Duration::from_secs(seconds as u64),
        Duration::from_millis(think as u64),
    )
    .await;
    outcome.print();
    rollup("after the load, the clerks' agencies recomputed").await;
    rollup("again").await;
    drop(servers);

    // The count check.
    let rows = sqlx::query(
        "SELECT agency_id, id FROM applications WHERE created_at >= $1 AND created_by LIKE 'clerk%'",
    )
    .bind(start)
    .fetch_all(&mut conn)
    .await
    .map_err(|e| e.to_string())?;
    let mut in_db: Vec<(i64, String)> = rows
        .iter()
        .map(|r| (r.get::<i64, _>(0), r.get::<String, _>(1)))
        .collect();
    in_db.sort();
    let mut acked = outcome.registered.clone();
    acked.sort();
    let dup_acked = acked.windows(2).filter(|w| w[0] == w[1]).count();
    let missing = acked
        .iter()
        .filter(|a| in_db.binary_search(a).is_err())
        .count();
    let unacked = in_db
        .iter()
        .filter(|a| acked.binary_search(a).is_err())
        .count();
    let events: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE recorded_at >= $1 AND recorded_by LIKE 'clerk%' AND seq > 1",
    )
    .bind(start)
    .fetch_one(&mut conn)
    .await
    .map_err(|e| e.to_string())?;
    let ok =
        missing == 0 && dup_acked == 0 && unacked == 0 && events as u64 == outcome.events_acked;
    println!(
        "count check: {} registrations acknowledged, {} rows in applications ({missing} missing, {unacked} not acknowledged, {dup_acked} acknowledged twice); {} events acknowledged, {events} rows in events — {}",
        acked.len(),
        in_db.len(),
        outcome.events_acked,
        if ok { "OK" } else { "MISMATCH" }
    );
    let size: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    println!("database size after the run {:.2} GB", size as f64 / 1e9);
    conn.close().await.ok();
    store.close().await;
    if ok {
        Ok(())
    } else {
        Err("count check failed".into())
    }
}
