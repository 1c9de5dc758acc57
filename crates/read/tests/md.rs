//! The Markdown fixtures (`tests/fixtures/md/*.md`, written by
//! `tests/fixtures/html/generate.py`), read through [`gongkai_read::read_report`] and
//! compared with their `*.expected.json`: all 200 cells, the blanks, the agency, the
//! year, the six headings, the printed dates and a snippet of each narrative section.
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

fn fixtures() -> Vec<PathBuf> {
    common::fixtures("md", "md", 4)
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
    assert!(total >= 4 * 200, "{total}");
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
