//! Read + check throughput for text reports on one core.
//!
//! `cargo bench -p gongkai-cli --bench throughput` prints:
//! 1. the five seeds, read and checked over and over;
//! 2. a generated batch of 10,000 reports (the seeds with every table value replaced by
//!    pseudo-random numbers and the agency renamed), read and checked once each.
//!
//! Target (issue 2): at least 2,000 reports per second per core.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn seeds() -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A variant of a seed: every number in a tab-separated field becomes a random count.
fn variant(seed: &str, n: usize, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(seed.len() + 64);
    for (i, line) in seed.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.contains('\t') {
            let fields: Vec<String> = line
                .split('\t')
                .map(|f| {
                    if !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()) {
                        (rng.next() % 50).to_string()
                    } else {
                        f.to_string()
                    }
                })
                .collect();
            out.push_str(&fields.join("\t"));
        } else if line.contains("年度报告") && n > 0 {
            out.push_str(&format!("第{n}号测试镇{line}"));
        } else {
            out.push_str(line);
        }
    }
    out
}

fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn read_and_check(bytes: &[u8]) -> usize {
    match gongkai_read::read_report(bytes) {
        Ok(report) => gongkai_check::check(&report).len(),
        Err(_) => usize::MAX,
    }
}

fn report(label: &str, n: usize, bytes: usize, elapsed: Duration) {
    let secs = elapsed.as_secs_f64();
    println!(
        "{label:<44} {n:>6} reports  {:>8.1} ms  {:>9.0} reports/s  {:>7.1} MB/s",
        secs * 1e3,
        n as f64 / secs,
        bytes as f64 / secs / 1e6
    );
}

fn main() {
    // `cargo test --benches` runs benches with `--bench`-less args; keep it quick there.
    let quick = !std::env::args().any(|a| a == "--bench");
    let seeds = seeds();
    println!("gongkai read + check, text input, one thread (target ≥ 2,000 reports/s)");

    // 1. The seeds, repeated.
    for s in &seeds {
        assert_ne!(read_and_check(s), usize::MAX, "a seed failed to read");
    }
    let rounds = if quick { 20 } else { 2_000 };
    let bytes: usize = seeds.iter().map(Vec::len).sum::<usize>() * rounds;
    let start = Instant::now();
    for _ in 0..rounds {
        for s in &seeds {
            black_box(read_and_check(black_box(s)));
        }
    }
    report(
        "seeds (5 real reports, repeated)",
        rounds * seeds.len(),
        bytes,
        start.elapsed(),
    );

    // 2. A generated batch of 10,000 reports.
    let count = if quick { 200 } else { 10_000 };
    let texts: Vec<String> = seeds
        .iter()
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let batch: Vec<Vec<u8>> = (0..count)
        .map(|i| variant(&texts[i % texts.len()], i + 1, &mut rng).into_bytes())
        .collect();
    let bytes: usize = batch.iter().map(Vec::len).sum();
    let start = Instant::now();
    let mut findings = 0usize;
    for b in &batch {
        let n = read_and_check(black_box(b));
        assert_ne!(n, usize::MAX, "a generated report failed to read");
        findings += n;
    }
    report(
        "generated batch: read + check",
        count,
        bytes,
        start.elapsed(),
    );

    // The two stages apart, on the same batch.
    let start = Instant::now();
    let reports: Vec<_> = batch
        .iter()
        .map(|b| gongkai_read::read_report(black_box(b)).expect("generated report"))
        .collect();
    report("generated batch: read only", count, bytes, start.elapsed());
    let start = Instant::now();
    for r in &reports {
        black_box(gongkai_check::check(black_box(r)));
    }
    report("generated batch: check only", count, bytes, start.elapsed());
    drop(reports);
    println!("  findings in the batch: {findings} (random values break the sums, as intended)");
    if let Some(kb) = peak_rss_kb() {
        println!("  peak resident memory: {:.1} MB", kb as f64 / 1024.0);
    }
}
