//! Scan reading throughput on one thread, and peak memory.
//!
//! `cargo bench -p gongkai-read --features ocr --bench ocr` rasterises the four pages of
//! `tests/fixtures/pdf/lo_nonzero_national.pdf` at 200 dpi with
//! `tests/fixtures/ocr/make-scans` (pdftoppm; needs scripts/install-ocr), then recognises
//! them (deskew, rules and cell grid, Tesseract per cell and for the running text, the
//! mapper) over and over for about 30 seconds on one thread and prints pages per second,
//! the time per page, and the process's peak resident memory.
//!
//! One thread of this program; Debian's Tesseract adds OpenMP threads of its own unless
//! the environment limits them: run it with `OMP_THREAD_LIMIT=1` for the figure per core
//! (on a loaded machine the OpenMP threads spin and the figure falls four- to fivefold).

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

fn pages() -> Vec<Vec<u8>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::temp_dir().join(format!("gongkai-ocr-bench-{}", std::process::id()));
    let status = Command::new(root.join("tests/fixtures/ocr/make-scans"))
        .arg(root.join("tests/fixtures/pdf/lo_nonzero_national.pdf"))
        .arg("clean-200")
        .arg(&out)
        .status()
        .expect("make-scans (run scripts/install-ocr)");
    assert!(status.success(), "make-scans failed");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let bytes = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let _ = std::fs::remove_dir_all(&out);
    bytes
}

/// The peak resident set size of this process, in MB (Linux).
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let pages = pages();
    let refs: Vec<&[u8]> = pages.iter().map(Vec::as_slice).collect();
    // Warm up: loads the models once per thread.
    let first = Instant::now();
    let scan = gongkai_read::ocr::recognise(&refs).expect("recognise");
    gongkai_read::ocr::report(&scan).expect("report");
    let warm = first.elapsed();
    let budget = Duration::from_secs(30);
    let start = Instant::now();
    let mut n = 0usize;
    while start.elapsed() < budget {
        for p in &refs {
            let scan = gongkai_read::ocr::recognise(&[p]).expect("recognise");
            std::hint::black_box(gongkai_read::ocr::document(&scan, false));
            n += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "OCR at 200 dpi, one thread: {:.2} pages/s ({:.2} s per page, {n} pages; first report of {} pages incl. loading the models: {:.1} s)",
        n as f64 / secs,
        secs / n as f64,
        refs.len(),
        warm.as_secs_f64()
    );
    match peak_rss_mb() {
        Some(mb) => println!("peak resident memory: {mb:.0} MB"),
        None => println!("peak resident memory: unknown (no /proc/self/status)"),
    }
}
