//! Read + check throughput on real-size web pages, one thread.
//!
//! `cargo bench -p gongkai-read --bench real_pages` takes the HTML fixtures of 40 KB and
//! more (`tests/fixtures/html/`: a TRS portal page with its chrome, a UEditor article, two
//! Word "save as web page" exports, written by `generate.py` there; LibreOffice's XHTML and
//! HTML exports of DOCX reports, bare and inside TRS portal and CMS article pages, written
//! by `make_real_pages.py`), and reads, maps and checks them over and over for about three
//! seconds, printing pages per second — overall, per CPU second of this thread (the machine
//! is shared), per MB, and per page.
//!
//! Target (issue 14): at least 1,000 real pages per second per core (real pages: mean
//! 41 KB, up to 150 KB).
//!
//! With `REAL_PAGES_ITERS=N` in the environment it reads and checks every page N times
//! and prints nothing else, for `valgrind --tool=callgrind` (instruction counts do not
//! depend on the machine's load): the difference between two runs with different N,
//! divided by the pages read, is the instructions per page. `REAL_PAGES_ONLY=lo_,trs_`
//! keeps the pages whose file names start with one of the comma-separated prefixes.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

mod common;
use common::rate;

/// Pages of at least this size are "real-size".
const MIN_BYTES: usize = 40 * 1024;

fn pages() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .filter(|(_, b)| b.len() >= MIN_BYTES)
        .filter(|(name, _)| {
            std::env::var("REAL_PAGES_ONLY")
                .map_or(true, |only| only.split(',').any(|p| name.starts_with(p)))
        })
        .collect();
    out.sort();
    let only = std::env::var_os("REAL_PAGES_ONLY").is_some();
    assert!(
        out.len() >= if only { 1 } else { 8 },
        "real-size pages missing in {}",
        dir.display()
    );
    out
}

fn read_check(b: &[u8]) {
    let report = gongkai_read::read_report(b).expect("page reads");
    black_box(gongkai_check::check(&report));
}

fn show(cpu: Option<f64>) -> String {
    cpu.map_or_else(String::new, |c| format!(", {c:.0} per CPU second"))
}

fn main() {
    let pages = pages();
    if let Some(iters) = std::env::var("REAL_PAGES_ITERS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        for _ in 0..iters {
            for (_, b) in &pages {
                read_check(b);
            }
        }
        return;
    }
    let all: Vec<&[u8]> = pages.iter().map(|(_, b)| b.as_slice()).collect();
    let bytes: usize = all.iter().map(|b| b.len()).sum();
    let (wall, cpu, n) = rate(&all, Duration::from_secs(3), &read_check);
    let mb = bytes as f64 / pages.len() as f64 / 1e6;
    println!(
        "real-size HTML pages read+check, {} pages (mean {} KB), one thread: {wall:.0} pages/s{} ({n} pages; {:.1} MB/s wall)",
        pages.len(),
        bytes / pages.len() / 1024,
        show(cpu),
        wall * mb
    );
    for (name, b) in &pages {
        let (wall, cpu, _) = rate(&[b.as_slice()], Duration::from_millis(500), &read_check);
        println!(
            "  {name:<26} {:>4} KB  {wall:>7.0} pages/s{}",
            b.len() / 1024,
            show(cpu)
        );
    }
}
