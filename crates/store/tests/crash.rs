//! Crash safety: a writer killed with SIGKILL in the middle of its writes loses nothing it
//! had committed, and leaves nothing half-written.
//!
//! The test re-runs its own test binary as the writer (`crash_writer_child`, which does
//! nothing unless `GONGKAI_CRASH_WRITER_DB` is set): the child registers applications and
//! appends events to a SQLite file in a tight loop, printing `COMMIT <application> <seq>
//! <party>` after each commit. The parent reads those lines, kills the child at a random
//! moment (SIGKILL: no destructors, no rollback, the WAL left as it was), opens the file
//! again and checks that every reported event is there, whole and as written, that every
//! event has its audit row, that every log folds without an invalid event and that SQLite's
//! integrity check passes. Five rounds on the same file, each killed at a different point.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{d, new_application, office, stamp};
use gongkai_ledger::{ApplicationId, ConsultationKind, EventKind};
use gongkai_store::{AuditQuery, EventInput, Store};
use sqlx::Connection;

const CHILD_ENV: &str = "GONGKAI_CRASH_WRITER_DB";
const ROUNDS: u32 = 5;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// The party of the `k`-th consultation of application `app`: lets the parent check the
/// content of each event it was told about.
fn party(app: &str, k: u64) -> String {
    // Long enough that an event spans more than one database page now and then.
    let filler = "征求意见".repeat((k % 7) as usize * 150);
    format!("机关{app}-{k}{filler}")
}

/// The writer. Runs only as the child of `killed_writer_loses_nothing_committed`.
#[test]
fn crash_writer_child() {
    let Some(db) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let url = format!("sqlite://{}", db.to_string_lossy());
    runtime().block_on(async {
        let store = Store::open(&url).await.expect("open");
        let mut out = std::io::stdout().lock();
        let started = Instant::now();
        let mut next_app = store.applications().await.expect("read").len() as u64;
        let mut current: Option<String> = None;
        let mut k = 0u64;
        // Bounded, in case the parent is gone.
        while started.elapsed() < Duration::from_secs(120) {
            k += 1;
            if current.is_none() || k.is_multiple_of(6) {
                next_app += 1;
                let id = format!("K-{next_app:05}");
                store
                    .register_application(
                        new_application(Some(&id), &format!("P{next_app}"), "2025-03-03"),
                        &stamp("li"),
                    )
                    .await
                    .expect("register");
                writeln!(out, "COMMIT {id} 1 -").expect("stdout");
                out.flush().expect("stdout");
                current = Some(id);
                continue;
            }
            let id = current.clone().unwrap_or_default();
            let e = store
                .append_event(
                    &ApplicationId(id.clone()),
                    EventInput::new(
                        d("2025-03-05"),
                        EventKind::ConsultationSent {
                            consultation: ConsultationKind::ThirdParty,
                            party: party(&id, k),
                        },
                    ),
                    &stamp("li"),
                )
                .await
                .expect("append");
            writeln!(out, "COMMIT {id} {} {k}", e.seq).expect("stdout");
            out.flush().expect("stdout");
        }
    });
}

/// A small pseudo-random sequence (no dependency needed for choosing kill moments).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

#[test]
fn killed_writer_loses_nothing_committed() {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("crash.db");
    let url = format!("sqlite://{}", path.display());
    let rt = runtime();
    rt.block_on(async {
        let store = Store::open(&url).await.expect("open");
        office(&store).await;
        store.close().await;
    });
    let exe = std::env::current_exe().expect("test binary");
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |t| t.as_nanos() as u64);
    let mut rng = Lcg(seed);
    // (application, seq) → the `k` of its party (None for a receipt).
    let mut reported: HashMap<(String, u32), Option<u64>> = HashMap::new();

    for round in 0..ROUNDS {
        let mut child = Command::new(&exe)
            .args([
                "crash_writer_child",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn writer");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if line.starts_with("COMMIT ") && tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Let it commit a varying number of writes, then kill it a few milliseconds later,
        // in the middle of whatever it is doing.
        let wait_for = 10 + rng.next(40) as usize;
        let mut lines = Vec::new();
        while lines.len() < wait_for {
            match rx.recv_timeout(Duration::from_secs(60)) {
                Ok(l) => lines.push(l),
                Err(_) => {
                    let _ = child.kill();
                    panic!(
                        "round {round}: the writer reported only {} commits",
                        lines.len()
                    );
                }
            }
        }
        std::thread::sleep(Duration::from_micros(rng.next(20_000)));
        child.kill().expect("SIGKILL"); // std's kill is SIGKILL on Unix
        let status = child.wait().expect("wait");
        assert!(!status.success(), "the writer was killed, not finished");
        reader.join().expect("reader thread");
        lines.extend(rx.try_iter());
        for l in &lines {
            let parts: Vec<&str> = l.splitn(4, ' ').collect();
            let (app, seq, k) = (parts[1], parts[2], parts[3]);
            reported.insert((app.to_string(), seq.parse().expect("seq")), k.parse().ok());
        }

        // Reopen after the crash: SQLite replays or discards the WAL.
        let (events, audited) = rt.block_on(check_after_crash(&url, &reported));
        eprintln!(
            "round {round}: killed after {} reported commits; {events} events on file, all {} reported present",
            lines.len(),
            reported.len()
        );
        assert_eq!(events, audited, "every event has its audit row");
    }
}

/// Checks the file after a crash; returns (events, event.append audit rows).
async fn check_after_crash(
    url: &str,
    reported: &HashMap<(String, u32), Option<u64>>,
) -> (usize, usize) {
    let mut conn = sqlx::SqliteConnection::connect(url).await.expect("connect");
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .expect("integrity_check");
    assert_eq!(integrity, "ok");
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut conn)
        .await
        .expect("journal_mode");
    assert_eq!(journal, "wal");
    conn.close().await.expect("close");

    let store = Store::open(url).await.expect("reopen after crash");
    let apps = store.applications().await.expect("read back");
    let settings = store.settings().await.expect("settings");
    let by_id: HashMap<&str, &gongkai_ledger::Application> =
        apps.iter().map(|a| (a.id.0.as_str(), a)).collect();
    for ((app, seq), k) in reported {
        let a = by_id
            .get(app.as_str())
            .unwrap_or_else(|| panic!("committed application {app} is missing"));
        let e = a
            .events
            .iter()
            .find(|e| e.seq == *seq)
            .unwrap_or_else(|| panic!("committed event {app}#{seq} is missing"));
        match (k, &e.kind) {
            (None, EventKind::Received { .. }) => {}
            (Some(k), EventKind::ConsultationSent { party: p, .. }) => {
                assert_eq!(p, &party(app, *k), "{app}#{seq} is not what was written");
            }
            (_, other) => panic!("{app}#{seq} is {other:?}"),
        }
        assert_eq!(e.recorded_by.as_deref(), Some("li"));
    }
    let mut events = 0;
    for a in &apps {
        events += a.events.len();
        let seqs: Vec<u32> = a.events.iter().map(|e| e.seq).collect();
        let want: Vec<u32> = (1..=a.events.len() as u32).collect();
        assert_eq!(seqs, want, "{}: a gap in the log", a.id);
        assert!(
            !a.events.is_empty(),
            "{}: registered without its receipt",
            a.id
        );
        let st = a.state_at(d("2025-12-31"), store.calendar(), settings);
        assert!(
            st.invalid_events.is_empty(),
            "{}: {:?}",
            a.id,
            st.invalid_events
        );
    }
    let audited = store
        .audit(&AuditQuery {
            limit: Some(1_000_000),
            ..AuditQuery::default()
        })
        .await
        .expect("audit")
        .iter()
        .filter(|a| a.action == "event.append")
        .count();
    store.close().await;
    (events, audited)
}
