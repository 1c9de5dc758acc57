//! Every reader fixture, and damaged variants of the seeds, through the checker: no
//! error-severity finding may name a cell the reader left uncertain. The reader's own
//! uncertainty is a warning (“无法核对”, VAL004), never an accusation of the report.

use std::path::{Path, PathBuf};

use gongkai_check::{Severity, check};
use gongkai_read::read_report;
use gongkai_report::Report;

fn files(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| exts.iter().any(|x| e == *x)))
        .collect();
    v.sort();
    v
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The errors of `report` that name an uncertain cell, as printable lines.
fn accusations(name: &str, report: &Report) -> Vec<String> {
    check(report)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .filter(|f| f.cells.iter().any(|c| report.is_uncertain(&c.id)))
        .map(|f| {
            format!(
                "{name}: {}[{}] {}",
                f.severity.as_str(),
                f.code,
                f.message_zh
            )
        })
        .collect()
}

/// Every data line of section 三 and 四 of a seed with one field dropped: the mapper must
/// leave that row uncertain, and the checker must not turn it into an error.
fn damaged(seed: &str) -> Vec<String> {
    let lines: Vec<&str> = seed.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        let numbers = fields
            .iter()
            .filter(|f| gongkai_report::parse_number(f).is_some())
            .count();
        if numbers < 5 {
            continue;
        }
        let Some(last) = fields.iter().rposition(|f| !f.trim().is_empty()) else {
            continue;
        };
        let mut copy = lines.clone();
        let shorter = fields[..last].join("\t");
        copy[i] = &shorter;
        out.push(copy.join("\n"));
    }
    out
}

#[test]
fn no_error_comes_from_an_uncertain_cell() {
    let mut reports: Vec<(String, Report)> = Vec::new();
    let fixtures = root().join("tests/fixtures");
    for (sub, exts) in [
        ("html", &["html"][..]),
        ("md", &["md"][..]),
        ("docx", &["docx"][..]),
        ("pdf", &["pdf"][..]),
    ] {
        for path in files(&fixtures.join(sub), exts) {
            let bytes = std::fs::read(&path).unwrap();
            if let Ok(r) = read_report(&bytes) {
                reports.push((path.display().to_string(), r));
            }
        }
    }
    let seeds = files(&root().join("../../../shared/seeds"), &["txt"]);
    assert!(seeds.len() >= 5, "{seeds:?}");
    let mut variants = 0;
    for path in &seeds {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.display().to_string();
        reports.push((name.clone(), read_report(text.as_bytes()).unwrap()));
        for (k, v) in damaged(&text).into_iter().enumerate() {
            if let Ok(r) = read_report(v.as_bytes()) {
                reports.push((format!("{name} (line {k} damaged)"), r));
                variants += 1;
            }
        }
    }
    let with_uncertain = reports
        .iter()
        .filter(|(_, r)| !r.uncertain.is_empty())
        .count();
    assert!(reports.len() >= 40, "{} reports", reports.len());
    assert!(variants >= 40, "{variants} damaged variants");
    assert!(
        with_uncertain >= 40,
        "only {with_uncertain} reports with uncertain cells: the test would prove nothing"
    );
    let bad: Vec<String> = reports
        .iter()
        .flat_map(|(name, r)| accusations(name, r))
        .collect();
    assert!(
        bad.is_empty(),
        "{} errors from uncertain cells:\n{}",
        bad.len(),
        bad.join("\n")
    );
}
