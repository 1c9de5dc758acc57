//! DOCX read + map throughput on one thread.
//!
//! `cargo bench -p gongkai-read --bench docx` reads every fixture of
//! `tests/fixtures/docx/` (unzip `word/document.xml`, stream the XML, map to the 200
//! cells) over and over for about three seconds and prints reports per second, overall
//! and per fixture, and the share of the time spent unzipping.
//!
//! Target (issue 3): at least 200 reports per second.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docx");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "docx"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no fixtures in {}", dir.display());
    out
}

/// Runs `f` over the inputs until `budget` has passed; returns reports per second.
fn rate(inputs: &[&[u8]], budget: Duration, f: impl Fn(&[u8])) -> (f64, usize) {
    // Warm up once.
    for b in inputs {
        f(b);
    }
    let start = Instant::now();
    let mut n = 0usize;
    while start.elapsed() < budget {
        for b in inputs {
            f(b);
            n += 1;
        }
    }
    (n as f64 / start.elapsed().as_secs_f64(), n)
}

fn main() {
    let fixtures = fixtures();
    let all: Vec<&[u8]> = fixtures.iter().map(|(_, b)| b.as_slice()).collect();
    let full = |b: &[u8]| {
        let r = gongkai_read::read_report(b).expect("fixture reads");
        black_box(r);
    };
    let (per_s, n) = rate(&all, Duration::from_secs(3), full);
    println!(
        "docx read+map, {} fixtures, one thread: {per_s:.0} reports/s ({n} reports)",
        fixtures.len()
    );
    let (unzip_s, _) = rate(&all, Duration::from_secs(1), |b| {
        black_box(gongkai_read::docx::document_xml(b).expect("fixture unzips"));
    });
    println!(
        "  unzip word/document.xml only: {unzip_s:.0}/s ({:.0}% of the time)",
        100.0 * per_s / unzip_s
    );
    let xmls: Vec<Vec<u8>> = all
        .iter()
        .map(|b| gongkai_read::docx::document_xml(b).unwrap())
        .collect();
    let xml_refs: Vec<&[u8]> = xmls.iter().map(Vec::as_slice).collect();
    let (parse_s, _) = rate(&xml_refs, Duration::from_secs(1), |x| {
        black_box(gongkai_read::docx::parse(x).expect("fixture parses"));
    });
    println!(
        "  parse the XML only: {parse_s:.0}/s ({:.0}% of the time), {} KB of XML on average",
        100.0 * per_s / parse_s,
        xmls.iter().map(Vec::len).sum::<usize>() / xmls.len() / 1024
    );
    for (name, bytes) in &fixtures {
        let (per_s, _) = rate(&[bytes.as_slice()], Duration::from_millis(300), full);
        println!(
            "  {name:<28} {:>6} KB  {per_s:>7.0} reports/s",
            bytes.len() / 1024
        );
    }
    if per_s < 200.0 {
        println!("BELOW TARGET: {per_s:.0} reports/s < 200");
    }
}
