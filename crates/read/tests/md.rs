//! The Markdown fixtures (`tests/fixtures/md/*.md`: hand-shaped ones written by
//! `tests/fixtures/html/generate.py`, and the output of real PDF→Markdown converters —
//! pymupdf4llm, markitdown — written by `tests/fixtures/md/converters.py`), read through
//! [`gongkai_read::read_report`] and compared with their `*.expected.json`: all 200
//! cells, the blanks, the cells the converter lost (uncertain, never guessed), the agency,
//! the year, the six headings, the printed dates and a snippet of narrative sections.
//! Also: source positions of cells, the same report as the text reader gives for the
//! same seed, and no panic on damaged files.

use std::path::{Path, PathBuf};

use gongkai_read::{InputKind, read_report};
use gongkai_report::{Location, Report};

mod common;

use common::{compare, expected};

fn dir() -> PathBuf {
    common::dir("md")
}

/// The fixtures, not the README that tells how they were made.
fn fixtures() -> Vec<PathBuf> {
    let mut v = common::fixtures("md", "md", 12);
    v.retain(|p| p.file_name().is_some_and(|n| n != "README.md"));
    v
}

fn read(path: &Path) -> Report {
    common::read(path, InputKind::Markdown)
}

#[test]
fn every_fixture_reads_every_cell() {
    let mut total = 0;
    for path in fixtures() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        total += compare(&name, &read(&path), &expected(&path), |l| {
            matches!(l, Location::Text { .. } | Location::Table { .. })
        });
    }
    assert!(total >= 11 * 200, "{total}");
}

/// The markitdown fixture's rows that lost their labels (a label printed as a paragraph
/// above or below its row, or cut to `理`) are placed by their order, and the report says
/// so (a deviation listing them); everything else comes from labels.
#[test]
fn converter_rows_placed_by_order_are_reported() {
    let r = read(&dir().join("markitdown_nonzero.md"));
    let placed: Vec<&str> = r
        .deviations
        .iter()
        .filter(|d| d.section == 3)
        .flat_map(|d| d.cells.iter().map(String::as_str))
        .filter(|c| c.ends_with(".total"))
        .collect();
    assert!(
        placed.contains(&"s3.other_unpaid_fee.total"),
        "{:#?}",
        r.deviations
    );
    assert!(!placed.contains(&"s3.new_received.total"), "{placed:?}");
    // The cell the converter lost is flagged, with no value.
    assert_eq!(r.get("s2.licensing.decisions"), None);
    assert!(r.is_uncertain("s2.licensing.decisions"));
}

/// A minimal input derived from a fixture (not converter output): rows whose labels are
/// gone, placed only when their order leaves no choice.
#[test]
fn rows_without_labels_by_order_only_when_unambiguous() {
    let text = std::fs::read_to_string(dir().join("split_junk.md")).unwrap();
    let want = expected(&dir().join("split_junk.md"));
    let cell = |id: &str| {
        want["cells"][id]
            .as_str()
            .map(|s| gongkai_report::parse_number(s).unwrap())
    };
    // Two neighbouring rows, one label gone and one cut to a fragment: both placed.
    let two = text
        .replace("4.保护第三方合法权益", "")
        .replace("5.属于三类内部事务信息", "务信息");
    let r = read_report(two.as_bytes()).unwrap();
    assert!(r.uncertain.is_empty(), "{:#?}", r.uncertain);
    for id in [
        "s3.denied_third_party.natural_person",
        "s3.denied_third_party.total",
        "s3.denied_internal_affairs.total",
    ] {
        assert_eq!(r.get(id), cell(id), "{id}");
    }
    let d = r.deviations.iter().find(|d| d.section == 3).unwrap();
    assert!(d.message.contains("2 个数据行"), "{}", d.message);
    assert!(d.message.contains("标签残缺“务信息”"), "{}", d.message);
    // One label gone and the next row missing: two rows of the format for one printed
    // row, so neither is placed.
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("5.属于三类内部事务信息"))
        .collect();
    let one = lines.join("\n").replace("4.保护第三方合法权益", "");
    let r = read_report(one.as_bytes()).unwrap();
    for id in [
        "s3.denied_third_party.total",
        "s3.denied_internal_affairs.total",
    ] {
        assert_eq!(r.get(id), None, "{id}");
        assert!(r.is_uncertain(id), "{id}");
    }
    assert!(r.deviations.iter().all(|d| d.section != 3));
    // The rows around them are still read.
    assert_eq!(
        r.get("s3.denied_process_info.total"),
        cell("s3.denied_process_info.total")
    );
}

fn loc(r: &Report, id: &str) -> Option<Location> {
    r.location(r.format.cell(id).unwrap())
}

#[test]
fn cells_carry_their_source_position() {
    let path = dir().join("one_piece.md");
    let file = std::fs::read_to_string(&path).unwrap();
    let r = read(&path);
    for id in [
        "s2.fees.amount_10k_yuan",
        "s3.new_received.total",
        "s3.other_other.natural_person",
        "s4.litigation_direct.total",
    ] {
        let Some(Location::Text { line, column }) = loc(&r, id) else {
            panic!("{id}");
        };
        let l = file.lines().nth(line as usize - 1).unwrap();
        let at: String = l.chars().skip(column as usize - 1).collect();
        let v = r.get(id).unwrap().to_string();
        assert!(at.starts_with(&v), "{id} = {v} at {line}:{column}: {l}");
    }
    // The raw HTML table of a Markdown file keeps grid positions.
    let r = read(&dir().join("html_table.md"));
    assert_eq!(
        loc(&r, "s3.new_received.total"),
        Some(Location::Table {
            table: 5,
            row: 4,
            column: 10
        })
    );
}

#[test]
fn same_report_as_the_text_reader() {
    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let seed = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("000_"))
        .unwrap();
    let text = read_report(&std::fs::read(seed).unwrap()).unwrap();
    let html = read(&dir().join("one_piece.md"));
    assert_eq!(html.cells, text.cells);
    assert_eq!(html.meta.agency, text.meta.agency);
    assert_eq!(html.meta.year, text.meta.year);
    let texts = |r: &Report| -> Vec<(u8, String, String)> {
        r.sections
            .iter()
            .map(|s| (s.number, s.heading.clone(), s.text.clone()))
            .collect()
    };
    assert_eq!(texts(&html), texts(&text));
}

/// A tiny deterministic generator for the damage below.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }
}

#[test]
fn damaged_files_do_not_panic() {
    let mut rng = Lcg(7);
    for path in fixtures() {
        let bytes = std::fs::read(&path).unwrap();
        // Truncations.
        for cut in (0..bytes.len()).step_by(bytes.len() / 60 + 1) {
            let _ = read_report(&bytes[..cut]);
        }
        for _ in 0..20 {
            let mut b = bytes.clone();
            // Garbled bytes.
            for _ in 0..1 + rng.next() % 40 {
                let i = rng.next() % b.len();
                b[i] = (rng.next() % 256) as u8;
            }
            // A cut-out slice (tags torn in half, rows lost).
            let i = rng.next() % b.len();
            let j = (i + rng.next() % 2000).min(b.len());
            b.drain(i..j);
            let _ = read_report(&b);
            // Pipes and markup where they do not belong.
            let s = String::from_utf8_lossy(&b)
                .replace(" | 0", " \\| 0 |")
                .replace("**", "[")
                .replace("---", "<br");
            let _ = read_report(s.as_bytes());
        }
    }
}
