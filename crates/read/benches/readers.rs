//! HTML and Markdown read + map throughput on one thread.
//!
//! `cargo bench -p gongkai-read --bench readers` reads every fixture of
//! `tests/fixtures/html/` and `tests/fixtures/md/` (decode, parse, pick the body, expand
//! spans, map to the 200 cells) over and over for about three seconds per format and
//! prints reports per second, overall and per fixture. `READERS_ONLY=md` (or `html`) measures
//! one format only.
//!
//! Target (issue 3): at least 1,000 HTML reports per second.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

mod common;
use common::rate;

fn fixtures(sub: &str, ext: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(sub);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no fixtures in {}", dir.display());
    out
}

fn read_map(b: &[u8]) {
    black_box(gongkai_read::read_report(b).expect("fixture reads"));
}

fn read_only(b: &[u8]) {
    black_box(gongkai_read::read_document(b).expect("fixture reads"));
}

fn show(cpu: Option<f64>) -> String {
    cpu.map_or_else(String::new, |c| format!(", {c:.0} per CPU second"))
}

fn main() {
    // `READERS_ONLY=md` (or `html`): one format only, e.g. under a profiler.
    let only = std::env::var("READERS_ONLY").ok();
    for (sub, ext, label) in [("html", "html", "HTML"), ("md", "md", "Markdown")] {
        if only.as_deref().is_some_and(|o| o != sub) {
            continue;
        }
        let fixtures = fixtures(sub, ext);
        let all: Vec<&[u8]> = fixtures.iter().map(|(_, b)| b.as_slice()).collect();
        let bytes: usize = all.iter().map(|b| b.len()).sum();
        let (wall, cpu, n) = rate(&all, Duration::from_secs(3), &read_map);
        println!(
            "{label} read+map, {} fixtures ({} KB), one thread: {wall:.0} reports/s{} ({n} reports)",
            fixtures.len(),
            bytes / 1024,
            show(cpu)
        );
        let (wall, cpu, _) = rate(&all, Duration::from_secs(1), &read_only);
        println!(
            "  reading alone (no mapping): {wall:.0} reports/s{}",
            show(cpu)
        );
        for (name, b) in &fixtures {
            let (wall, cpu, _) = rate(&[b.as_slice()], Duration::from_millis(300), &read_map);
            println!(
                "  {name:<28} {:>4} KB  {wall:>7.0} reports/s{}",
                b.len() / 1024,
                show(cpu)
            );
        }
    }
}
