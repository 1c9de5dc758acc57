//! `gongkai batch` end to end on 10,000 generated reports on disk.
//!
//! `cargo bench -p gongkai-batch --bench batch` writes a corpus to a temporary directory —
//! 2,500 agencies × 4 years (2021–2024), half text and half HTML when the HTML reader can
//! read the generator's HTML, with about 4 % injected errors (broken sums, late dates, wrong
//! carry-over, copied narrative) — and a jurisdiction file of 50 districts. It then times
//! the whole batch as the CLI runs it: find the files, read and check them on every core,
//! pair years, roll up, write the CSV tables and the HTML dashboard. It prints reports per
//! second and the peak resident memory (VmHWM from `/proc/self/status`, reset after the
//! corpus is written where the kernel allows it).
//!
//! Target (issue 7): under 10 s for 10,000 reports on a 2-core machine, memory bounded.
//!
//! `cargo test --benches` runs it with 400 reports.

#[path = "../tests/corpus/mod.rs"]
mod corpus;

use std::path::Path;
use std::time::Instant;

use corpus::{Carry, Generated, Kind, Narrative, Rng, carry_of, clean_cells, get, set};
use gongkai_batch::output::{OutputFormat, OutputWriter};
use gongkai_batch::{Jurisdiction, Options, dashboard, discover, run};

const YEARS: [i32; 4] = [2021, 2022, 2023, 2024];
const PER_DISTRICT: usize = 50;

fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Resets VmHWM to the current RSS (Linux: `echo 5 > /proc/self/clear_refs`).
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn agency(a: usize) -> String {
    format!(
        "基准市第{}区第{}局",
        a / PER_DISTRICT + 1,
        a % PER_DISTRICT + 1
    )
}

/// Writes the corpus; returns (files, bytes, injected errors).
fn generate(dir: &Path, agencies: usize, kinds: &[Kind]) -> (usize, u64, usize) {
    let mut rng = Rng::new(7);
    let (mut files, mut bytes, mut injected) = (0, 0u64, 0);
    for a in 0..agencies {
        let mut carry = Carry::default();
        let mut previous: Option<Narrative> = None;
        for (k, &year) in YEARS.iter().enumerate() {
            let kind = kinds[(a + k) % kinds.len()];
            let mut c = carry;
            let wrong_carry = a % 43 == 0 && year == 2024;
            if wrong_carry {
                c.forward[0] += 1;
            }
            let mut cells = clean_cells(&mut rng, c, 6);
            if a % 37 == 0 && year == 2023 {
                let v = get(&cells, "s3.results_total.natural_person");
                set(&mut cells, "s3.results_total.natural_person", v + 1);
                injected += 1;
            }
            let copied = a % 47 == 0 && year == 2024;
            let narrative = match (&previous, copied) {
                (Some(p), true) => p.clone(),
                _ => Narrative::random(&mut rng),
            };
            let late = a % 41 == 0 && year == 2022;
            let g = Generated {
                agency: agency(a),
                year,
                date: Some(if late {
                    format!("{}-04-01", year + 1)
                } else {
                    format!("{}-01-{:02}", year + 1, 5 + a % 25)
                }),
                cells,
                narrative: narrative.clone(),
            };
            injected += usize::from(wrong_carry) + usize::from(copied) + usize::from(late);
            carry = carry_of(&g.cells);
            previous = Some(narrative);
            let data = corpus::render(&g, kind);
            let path = dir
                .join(year.to_string())
                .join(format!("{:03}", a / PER_DISTRICT))
                .join(format!("{a:05}.{}", kind.ext()));
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("create corpus directory");
            }
            std::fs::write(&path, &data).expect("write corpus file");
            files += 1;
            bytes += data.len() as u64;
        }
    }
    (files, bytes, injected)
}

fn jurisdiction(agencies: usize) -> Jurisdiction {
    let mut toml = String::from("name = \"基准市\"\n");
    for d in 0..agencies.div_ceil(PER_DISTRICT) {
        let list: Vec<String> = (d * PER_DISTRICT..((d + 1) * PER_DISTRICT).min(agencies))
            .map(|a| format!("\"{}\"", agency(a)))
            .collect();
        toml.push_str(&format!(
            "\n[[children]]\nname = \"第{}区\"\nagencies = [{}]\n",
            d + 1,
            list.join(", ")
        ));
    }
    Jurisdiction::from_toml(&toml).expect("jurisdiction")
}

fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let reports = if quick { 400 } else { 10_000 };
    let agencies = reports / YEARS.len();
    let readable = corpus::readable_kinds();
    let kinds: Vec<Kind> = [Kind::Text, Kind::Html]
        .into_iter()
        .filter(|k| readable.contains(k))
        .collect();
    let names: Vec<&str> = kinds.iter().map(|k| k.ext()).collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "gongkai batch end to end: {reports} reports ({}), {threads} threads (target < 10 s)",
        names.join(" + ")
    );

    let tmp = tempfile::tempdir().expect("temporary directory");
    let corpus_dir = tmp.path().join("corpus");
    let start = Instant::now();
    let (files, bytes, injected) = generate(&corpus_dir, agencies, &kinds);
    println!(
        "  corpus written: {files} files, {:.1} MB, {injected} injected errors, in {:.1} s",
        bytes as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
    let j = jurisdiction(agencies);
    let reset = reset_peak();
    let rss_before = status_kb("VmRSS:").unwrap_or(0);

    // The measured part: exactly what `gongkai batch DIR -o OUT --html D --jurisdiction J` does.
    let out = tmp.path().join("out");
    let html = tmp.path().join("dashboard.html");
    let start = Instant::now();
    let entries = discover(
        std::slice::from_ref(&corpus_dir),
        &[out.clone(), html.clone()],
    );
    let opts = Options {
        jobs: None,
        jurisdiction: Some(j),
    };
    let mut writer = OutputWriter::create(OutputFormat::Csv, &out).expect("output");
    let batch = run(&entries, &opts, &mut writer, &|| {}).expect("batch");
    writer.finish(&batch).expect("finish");
    std::fs::write(&html, dashboard::render(&batch)).expect("dashboard");
    let secs = start.elapsed().as_secs_f64();

    assert_eq!(batch.reports.len(), files);
    assert_eq!(batch.unreadable(), 0, "every generated report reads");
    println!(
        "  read + check + compare + roll up + CSV + dashboard: {:.2} s, {:.0} reports/s, {:.1} MB/s  [{}]",
        secs,
        files as f64 / secs,
        bytes as f64 / secs / 1e6,
        if secs < 10.0 {
            "under 10 s"
        } else {
            "OVER 10 s"
        }
    );
    println!(
        "  findings: {} errors, {} warnings; {} year pairs; roll-up {} nodes × {} years",
        batch.errors(),
        batch.warnings(),
        batch.pairs.len(),
        batch
            .rollup
            .as_ref()
            .map_or(0, |r| r.jurisdiction.nodes.len()),
        batch.rollup.as_ref().map_or(0, |r| r.years.len()),
    );
    let cells: usize = batch
        .reports
        .iter()
        .filter_map(|r| r.cells.as_ref())
        .map(|c| c.heap_bytes())
        .sum();
    println!(
        "  kept per report: {:.1} KB of cells and sentence hashes",
        (cells
            + batch
                .reports
                .iter()
                .map(|r| r.fingerprint.sentences.len() * 8)
                .sum::<usize>()) as f64
            / files as f64
            / 1024.0
    );
    if let Some(hwm) = status_kb("VmHWM:") {
        println!(
            "  peak resident memory (VmHWM{}): {:.1} MB; {:.1} MB above the {:.1} MB before the batch",
            if reset {
                ", reset after generation"
            } else {
                ""
            },
            hwm as f64 / 1024.0,
            hwm.saturating_sub(rss_before) as f64 / 1024.0,
            rss_before as f64 / 1024.0
        );
    }

    if !quick {
        for (format, name) in [
            (OutputFormat::Xlsx, "batch.xlsx"),
            (OutputFormat::Json, "batch.json"),
        ] {
            let path = tmp.path().join(name);
            let start = Instant::now();
            let mut writer = OutputWriter::create(format, &path).expect("output");
            let batch = run(&entries, &opts, &mut writer, &|| {}).expect("batch");
            writer.finish(&batch).expect("finish");
            let secs = start.elapsed().as_secs_f64();
            let size = std::fs::metadata(&path).map_or(0, |m| m.len());
            println!(
                "  same batch to {}: {:.2} s, {:.0} reports/s, {:.1} MB written",
                format.as_str(),
                secs,
                files as f64 / secs,
                size as f64 / 1e6
            );
        }
        if let Some(hwm) = status_kb("VmHWM:") {
            println!(
                "  peak resident memory after XLSX and JSON: {:.1} MB",
                hwm as f64 / 1024.0
            );
        }
    }
}
