//! The HTML fixtures (`tests/fixtures/html/*.html`, written by `generate.py` there), read
//! through [`gongkai_read::read_report`] and compared with their `*.expected.json`: all
//! 200 cells, the blanks, the agency, the year, the six headings, the printed dates and a
//! snippet of each narrative section. Also: positions of cells in the grid, the same
//! report as the text reader gives for the same seed, and no panic on damaged pages.

use std::path::{Path, PathBuf};

use gongkai_read::{InputKind, read_report};
use gongkai_report::{Location, Report};

mod common;

use common::{compare, expected};

fn dir() -> PathBuf {
    common::dir("html")
}

fn fixtures() -> Vec<PathBuf> {
    common::fixtures("html", "html", 7)
}

fn read(path: &Path) -> Report {
    common::read(path, InputKind::Html)
}

#[test]
fn every_fixture_reads_every_cell() {
    let mut total = 0;
    for path in fixtures() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        total += compare(&name, &read(&path), &expected(&path), |l| {
            matches!(l, Location::Table { .. })
        });
    }
    assert!(total >= 7 * 200, "{total}");
}

fn table_loc(r: &Report, id: &str) -> Option<Location> {
    r.location(r.format.cell(id).unwrap())
}

#[test]
fn cells_carry_their_grid_position() {
    let r = read(&dir().join("national_chrome.html"));
    let at = |table, row, column| Some(Location::Table { table, row, column });
    // Table 1 is section 二, 2 the national table 三 (3×3 corner), 3 section 四.
    assert_eq!(table_loc(&r, "s2.regulations.issued"), at(1, 3, 2));
    assert_eq!(table_loc(&r, "s2.fees.amount_10k_yuan"), at(1, 14, 2));
    assert_eq!(table_loc(&r, "s3.new_received.natural_person"), at(2, 4, 4));
    assert_eq!(table_loc(&r, "s3.new_received.total"), at(2, 4, 10));
    assert_eq!(table_loc(&r, "s3.granted.total"), at(2, 6, 10));
    assert_eq!(
        table_loc(&r, "s3.denied_prohibited_by_law.commercial"),
        at(2, 9, 5)
    );
    assert_eq!(table_loc(&r, "s3.carried_forward.total"), at(2, 28, 10));
    assert_eq!(
        table_loc(&r, "s4.litigation_after_reconsideration.total"),
        at(3, 4, 15)
    );
    // The Word export splits 总计 into two grid columns; values begin in the first.
    let r = read(&dir().join("word_export.html"));
    assert_eq!(table_loc(&r, "s3.new_received.total"), at(2, 4, 10));
    assert_eq!(table_loc(&r, "s3.unable_not_held.total"), at(2, 16, 10));
    // Split tables are numbered in reading order.
    let r = read(&dir().join("split_tables.html"));
    assert_eq!(table_loc(&r, "s2.fees.amount_10k_yuan"), at(4, 3, 2));
    assert_eq!(table_loc(&r, "s3.carried_forward.total"), at(6, 15, 10));
    assert_eq!(table_loc(&r, "s4.reconsideration.upheld"), at(7, 4, 1));
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
    let html = read(&dir().join("national_chrome.html"));
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

#[test]
fn paragraph_locations_point_into_the_page() {
    let path = dir().join("national_chrome.html");
    let page = std::fs::read_to_string(&path).unwrap();
    let r = read(&path);
    for s in &r.sections {
        let Location::Text { line, column } = s.loc else {
            panic!("{s:?}");
        };
        let l = page.lines().nth(line as usize - 1).unwrap();
        let at: String = l.chars().skip(column as usize - 1).take(2).collect();
        assert!(
            s.heading.starts_with(&at),
            "{} at {line}:{column}: {l}",
            s.heading
        );
    }
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
fn damaged_pages_do_not_panic() {
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
            // Absurd spans.
            let s = String::from_utf8_lossy(&b)
                .replace("rowspan=\"3\"", "rowspan=\"0\"")
                .replace("colspan=\"7\"", "colspan=\"100000\"")
                .replace("rowspan=\"22\"", "rowspan=\"65535\"");
            let _ = read_report(s.as_bytes());
        }
    }
}

#[test]
fn hostile_pages_finish() {
    let wide = format!(
        "<table>{}</table>",
        "<tr><td rowspan=0 colspan=1000>x</td><td>1</td></tr>".repeat(3000)
    );
    let cases = [
        wide,
        format!(
            "<table><tr>{}</tr></table>",
            "<td rowspan=0>1</td>".repeat(3000)
        ),
        "<b><i><u><font>".repeat(5000) + "一、总体情况",
        "<table><tr><td>".repeat(2000),
        "<p>一、总体情况".to_string() + &"<br>".repeat(100_000),
        "<a href=x>".repeat(20_000),
        "<div class=header>".repeat(5000) + &"<p>x</p>".repeat(5000),
        format!("<meta charset={}>", "x".repeat(100_000)),
    ];
    for c in &cases {
        let start = std::time::Instant::now();
        let _ = read_report(c.as_bytes());
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "{}…",
            &c[..40]
        );
    }
}
