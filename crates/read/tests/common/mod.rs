//! What the HTML and Markdown fixture tests share: the fixture files, reading one, and
//! comparing a report with its `*.expected.json` (all 200 cells, blanks, the cells left
//! uncertain — none unless listed —, agency, year, headings, dates, narrative snippets,
//! and a position for every cell read).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use gongkai_read::{InputKind, read_report, sniff};
use gongkai_report::{Location, Report};
use serde_json::Value as Json;

pub fn dir(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(sub)
}

/// The fixtures `tests/fixtures/<sub>/*.<ext>`, sorted; at least `min` of them.
pub fn fixtures(sub: &str, ext: &str, min: usize) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir(sub))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    assert!(v.len() >= min, "fixtures missing: {v:?}");
    v
}

/// Reads a fixture, which must be sniffed as `kind`.
pub fn read(path: &Path, kind: InputKind) -> Report {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(sniff(&bytes), kind, "{}", path.display());
    read_report(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn expected(path: &Path) -> Json {
    let text = std::fs::read_to_string(path.with_extension("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Compares a report with its expected JSON; returns the number of cells compared.
/// `located` says which provenance a cell of this format may have.
pub fn compare(name: &str, r: &Report, want: &Json, located: fn(&Location) -> bool) -> usize {
    let mut wrong = Vec::new();
    let cells = want["cells"].as_object().unwrap();
    assert_eq!(cells.len(), 200, "{name}");
    for (id, v) in cells {
        assert!(r.format.cell(id).is_some(), "{name}: no cell {id}");
        let w = v.as_str().map(|s| gongkai_report::parse_number(s).unwrap());
        let got = r.get(id);
        if got != w {
            wrong.push(format!("{id}: want {w:?}, got {got:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{name}: {} wrong cells:\n{}\nuncertain: {:#?}",
        wrong.len(),
        wrong.join("\n"),
        r.uncertain
    );
    // Cells a converter lost (listed in `uncertain`): null, and flagged as uncertain.
    let mut uncertain: Vec<&str> = r.uncertain.iter().map(|u| u.cell.as_str()).collect();
    uncertain.sort_unstable();
    let want_uncertain: Vec<&str> = want["uncertain"]
        .as_array()
        .map(|a| a.iter().map(|u| u.as_str().unwrap()).collect())
        .unwrap_or_default();
    assert_eq!(
        uncertain, want_uncertain,
        "{name}: uncertain {:#?}",
        r.uncertain
    );
    let mut blanks: Vec<&str> = r.blanks.iter().map(|b| b.cell.as_str()).collect();
    blanks.sort_unstable();
    let want_blanks: Vec<&str> = want["blanks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap())
        .collect();
    assert_eq!(blanks, want_blanks, "{name}: blanks");
    assert_eq!(
        r.meta.agency.as_deref(),
        want["agency"].as_str(),
        "{name}: agency (title {:?})",
        r.meta.title
    );
    assert_eq!(
        r.meta.year.map(i64::from),
        want["year"].as_i64(),
        "{name}: year"
    );
    let headings: Vec<&str> = r.sections.iter().map(|s| s.heading.as_str()).collect();
    let want_headings: Vec<&str> = want["headings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    assert_eq!(headings, want_headings, "{name}: headings");
    let numbers: Vec<u8> = r.sections.iter().map(|s| s.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6], "{name}");
    let dates: Vec<&str> = r.meta.dates.iter().map(|d| d.date.as_str()).collect();
    let want_dates: Vec<&str> = want["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert_eq!(dates, want_dates, "{name}: dates");
    for (n, snippet) in want["section_snippets"].as_object().unwrap() {
        let n: u8 = n.parse().unwrap();
        let text: String = r
            .section(n)
            .unwrap()
            .text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(
            text.contains(snippet.as_str().unwrap()),
            "{name}: section {n} lacks {snippet}: {text:?}"
        );
    }
    for (i, p) in r.provenance.iter().enumerate() {
        if want_uncertain.contains(&r.format.cells()[i].id.as_str()) {
            continue;
        }
        assert!(
            p.as_ref().is_some_and(located),
            "{name}: {} has provenance {p:?}",
            r.format.cells()[i].id
        );
    }
    cells.len()
}
