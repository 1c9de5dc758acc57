//! `cargo bench -p gongkai-lint`: prints
//!
//! 1. lint throughput on text, one thread, MB/s — default rules and a 10,000-word office
//!    list (target ≥ 50 MB/s per core);
//! 2. a generated website mirror of 10,000 HTML pages end to end (read from disk, HTML
//!    reader, lint, on every core): pages/s and peak memory (VmHWM).
//!
//! For instruction counts under `valgrind --tool=callgrind` (stable when the machine is
//! loaded, unlike wall-clock figures): `GONGKAI_LINT_BENCH=default` (or `office`, or
//! `mirror`) runs only that part, and `GONGKAI_LINT_BENCH_PASSES=N` makes each throughput
//! run exactly N passes over the 16 MB text instead of as many as fit in three seconds;
//! then divide the instructions of `Linter::lint_text` by the bytes linted.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use gongkai_lint::{Linter, OfficeLists, Options, SensitiveWord};
use rayon::prelude::*;

/// The five seeds' text, or a fallback when the shared directory is absent.
fn corpus() -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let mut s = String::new();
    if let Ok(rd) = std::fs::read_dir(&dir) {
        let mut paths: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            s.push_str(&std::fs::read_to_string(p).unwrap_or_default());
        }
    }
    if s.is_empty() {
        s = "2023年，本机关坚持以人民为中心，主动公开政府信息277条，依申请公开办理12件。\n"
            .repeat(100);
    }
    s
}

/// 10,000 distinct four-character words from a deterministic generator over common
/// characters, so that some occur in real text and the automaton is realistic.
fn office_words(n: usize) -> Vec<SensitiveWord> {
    let chars: Vec<char> = "政府信息公开工作年度报告主动申请办理行政复议诉讼机关部门单位群众服务平台网站数据统计管理制度建设推进落实"
        .chars()
        .collect();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut words = std::collections::BTreeSet::new();
    while words.len() < n {
        let mut w = String::new();
        for _ in 0..4 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            w.push(chars[(x % chars.len() as u64) as usize]);
        }
        words.insert(w);
    }
    words
        .into_iter()
        .map(|word| SensitiveWord {
            word,
            category: "bench".into(),
            severity: gongkai_lint::ListSeverity::Warning,
            suggestion: String::new(),
        })
        .collect()
}

fn linter(lists: OfficeLists) -> Linter {
    Linter::new(
        lists,
        Options {
            today: NaiveDate::from_ymd_opt(2026, 12, 1),
            ..Options::default()
        },
    )
    .expect("linter")
}

/// `GONGKAI_LINT_BENCH_PASSES`: a fixed number of passes (for callgrind), else `None`.
fn fixed_passes() -> Option<usize> {
    std::env::var("GONGKAI_LINT_BENCH_PASSES")
        .ok()
        .and_then(|v| v.parse().ok())
}

/// True when `GONGKAI_LINT_BENCH` is unset or names `part`.
fn selected(part: &str) -> bool {
    std::env::var("GONGKAI_LINT_BENCH").map_or(true, |v| v == part)
}

fn throughput(name: &str, l: &Linter, text: &str) {
    let passes = fixed_passes();
    if passes.is_none() {
        let warm: String = text.chars().take(200_000).collect();
        let _ = l.lint_text(&warm, "warm-up");
    }
    let t = Instant::now();
    let mut n = 0;
    let mut rounds = 0;
    while match passes {
        Some(p) => rounds < p,
        None => t.elapsed().as_secs_f64() < 3.0 || rounds == 0,
    } {
        n += l.lint_text(text, "bench").len();
        rounds += 1;
    }
    let secs = t.elapsed().as_secs_f64();
    let mb = (text.len() * rounds) as f64 / 1e6;
    println!(
        "lint {name}: {:.1} MB/s on one thread ({mb:.0} MB in {secs:.2} s, {} findings per pass)",
        mb / secs,
        n / rounds
    );
}

fn page(i: usize, paras: &[&str]) -> String {
    let mut s = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>第{i}号信息</title></head><body>\
<div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/zwgk/\">政务公开</a></div>\
<h1>关于第{i}项工作的通知</h1><p>发布时间：2024-{:02}-{:02} 来源：县政府办公室</p>",
        i % 12 + 1,
        i % 28 + 1
    );
    for k in 0..6 {
        s.push_str("<p>");
        s.push_str(paras[(i * 7 + k) % paras.len()]);
        s.push_str("</p>");
    }
    if i.is_multiple_of(50) {
        s.push_str("<p>联系人：王五，电话13812345678。</p>");
    }
    s.push_str("<div class=\"footer\">主办：县人民政府办公室</div></body></html>");
    s
}

fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn mirror(l: &Linter, text: &str, dir: &Path) {
    let paras: Vec<&str> = text
        .lines()
        .filter(|p| !p.contains('\t') && p.chars().count() > 40)
        .collect();
    std::fs::create_dir_all(dir).expect("mirror dir");
    let mut bytes = 0;
    for i in 0..10_000usize {
        let sub = dir.join(format!("{:03}", i / 100));
        if i.is_multiple_of(100) {
            std::fs::create_dir_all(&sub).expect("mirror subdir");
        }
        let p = page(i, &paras);
        bytes += p.len();
        std::fs::write(sub.join(format!("t{i}.html")), p).expect("write page");
    }
    let t = Instant::now();
    let mut files = Vec::new();
    for sub in std::fs::read_dir(dir).expect("list").flatten() {
        for f in std::fs::read_dir(sub.path()).expect("list").flatten() {
            files.push(f.path());
        }
    }
    let (findings, unreadable): (usize, usize) = files
        .par_iter()
        .map(|p| {
            let b = std::fs::read(p).expect("read page");
            match gongkai_read::read_document(&b) {
                Ok(doc) => (l.lint_document(&doc, &p.display().to_string()).len(), 0),
                Err(_) => (0, 1),
            }
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let secs = t.elapsed().as_secs_f64();
    println!(
        "mirror: {} HTML pages ({:.1} MB) end to end in {secs:.2} s = {:.0} pages/s on {} threads; {findings} findings, {unreadable} unreadable; peak memory {:.0} MB",
        files.len(),
        bytes as f64 / 1e6,
        files.len() as f64 / secs,
        rayon::current_num_threads(),
        peak_memory_mb().unwrap_or(f64::NAN)
    );
}

fn main() {
    let seed = corpus();
    let mut text = String::new();
    while text.len() < 16 << 20 {
        text.push_str(&seed);
    }
    if selected("default") {
        let plain = linter(OfficeLists::default());
        throughput("default rules", &plain, &text);
    }
    let lists = OfficeLists {
        sensitive: office_words(10_000),
        ..OfficeLists::default()
    };
    let office = linter(lists);
    if selected("office") {
        throughput("default rules + 10,000-word office list", &office, &text);
    }
    drop(text);

    if selected("mirror") {
        let dir = std::env::temp_dir().join(format!("gongkai-lint-mirror-{}", std::process::id()));
        mirror(&office, &seed, &dir);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
