//! PDF read + map throughput on one thread.
//!
//! `cargo bench -p gongkai-read --bench pdf` reads every fixture of `tests/fixtures/pdf/`
//! that is a report (load, interpret the content streams, decode the fonts, find the ruled
//! and unruled tables, join them across pages, map to the 200 cells) over and over for
//! about three seconds and prints reports per second, overall and per fixture.
//!
//! Target (issue 3): at least 20 PDF reports per second on one core.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        // A scan has no text layer: it is an error, not a report.
        .filter(|(_, b)| gongkai_read::read_report(b).is_ok())
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no PDF fixtures in {}", dir.display());
    out
}

/// Reads and maps the inputs over and over until `budget` has passed; returns reports
/// per second and the number of reports.
fn rate(inputs: &[&[u8]], budget: Duration) -> (f64, usize) {
    let read = |b: &[u8]| {
        let r = gongkai_read::read_report(b).expect("fixture reads");
        black_box(r);
    };
    for b in inputs {
        read(b);
    }
    let start = Instant::now();
    let mut n = 0usize;
    while start.elapsed() < budget {
        for b in inputs {
            read(b);
            n += 1;
        }
    }
    (n as f64 / start.elapsed().as_secs_f64(), n)
}

fn main() {
    let fixtures = fixtures();
    let all: Vec<&[u8]> = fixtures.iter().map(|(_, b)| b.as_slice()).collect();
    let bytes: usize = all.iter().map(|b| b.len()).sum();
    let (per_s, n) = rate(&all, Duration::from_secs(3));
    println!(
        "PDF read+map, {} fixtures ({} KB), one thread: {per_s:.0} reports/s ({n} reports)",
        all.len(),
        bytes / 1024
    );
    for (name, b) in &fixtures {
        let (per_s, _) = rate(&[b.as_slice()], Duration::from_millis(500));
        println!(
            "  {name:<28} {:>6} KB  {per_s:>7.0} reports/s",
            b.len() / 1024
        );
    }
    println!(
        "target: 20 reports/s; {}",
        if per_s >= 20.0 { "met" } else { "NOT met" }
    );
}
