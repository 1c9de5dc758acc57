//! Property tests of the readers.
//!
//! 1. No reader panics, whatever the bytes (the fuzz targets in `fuzz/` search the same space
//!    longer and guided by coverage; these run on every `cargo test`).
//! 2. A number changed where the provenance of a cell says it was printed is read back as
//!    that cell's new value, and no other cell changes: the text reader and the mapper place
//!    every number of the five real seeds by position, not by a lucky guess.

use std::path::PathBuf;

use gongkai_read::{docx, html, md, read_document, read_report, text};
use gongkai_report::{Location, Report};
use proptest::prelude::*;

fn seeds() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    assert_eq!(out.len(), 5, "the five seeds in {}", dir.display());
    out
}

/// The seed text with the number that starts at `line:column` (1-based, in characters)
/// replaced by `value`.
fn replace_number(source: &str, line: u32, column: u32, value: u64) -> String {
    let mut out = String::with_capacity(source.len() + 8);
    for (i, l) in source.split_inclusive('\n').enumerate() {
        if i + 1 != line as usize {
            out.push_str(l);
            continue;
        }
        let chars: Vec<char> = l.chars().collect();
        let start = column as usize - 1;
        let mut end = start;
        while end < chars.len() && (chars[end].is_ascii_digit() || chars[end] == '.') {
            end += 1;
        }
        assert!(end > start, "no number at {line}:{column}: {l:?}");
        out.extend(&chars[..start]);
        out.push_str(&value.to_string());
        out.extend(&chars[end..]);
    }
    out
}

/// Cells of a seed whose value was read from a number printed in the text.
fn placed_cells(report: &Report) -> Vec<(usize, u32, u32)> {
    report
        .provenance
        .iter()
        .enumerate()
        .filter_map(|(i, loc)| match loc {
            Some(Location::Text { line, column }) if report.cells[i].is_some() => {
                Some((i, *line, *column))
            }
            _ => None,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn no_reader_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = read_document(&bytes);
        let _ = read_report(&bytes);
        let _ = html::read(&bytes);
        let _ = docx::read(&bytes);
        let _ = docx::parse(&bytes);
        #[cfg(feature = "pdf")]
        let _ = gongkai_read::pdf::read(&bytes);
        let s = String::from_utf8_lossy(&bytes);
        let _ = text::read(&s);
        let _ = md::read(&s);
        let _ = html::read_str(&s);
    }

    #[test]
    fn no_reader_panics_on_report_like_text(
        s in "[一二三四五六七八九十（）()、.总计本年新收上年结转予以公开自然人商业企业 \t\n|<>/tdr-]{0,600}"
    ) {
        let _ = read_report(s.as_bytes());
        let _ = text::read(&s);
        let _ = md::read(&s);
        let _ = html::read_str(&s);
        let wrapped = format!("<html><body><table><tr><td>{s}</td></tr></table></body></html>");
        let _ = read_report(wrapped.as_bytes());
    }

    #[test]
    fn no_reader_panics_on_a_damaged_seed(
        seed in 0usize..5,
        cuts in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<char>()), 1..12),
    ) {
        let seeds = seeds();
        let mut chars: Vec<char> = seeds[seed].1.chars().collect();
        for (at, op, c) in cuts {
            if chars.is_empty() {
                break;
            }
            let i = at.index(chars.len());
            match op {
                0 => { chars.remove(i); }
                1 => chars.insert(i, c),
                2 => chars.insert(i, '\t'),
                _ => chars.truncate(i),
            }
        }
        let s: String = chars.into_iter().collect();
        let _ = read_report(s.as_bytes());
    }

    #[test]
    fn a_changed_number_is_read_into_its_cell_and_only_there(
        seed in 0usize..5,
        pick in any::<prop::sample::Index>(),
        value in 0u64..1_000_000,
    ) {
        let seeds = seeds();
        let (name, source) = &seeds[seed];
        let before = read_report(source.as_bytes()).unwrap();
        let placed = placed_cells(&before);
        prop_assume!(!placed.is_empty());
        let (idx, line, column) = placed[pick.index(placed.len())];
        let id = &before.def(gongkai_format::CellIdx(idx as u16)).id;
        let changed = replace_number(source, line, column, value);
        let after = read_report(changed.as_bytes()).unwrap();
        let got = after.cells[idx].map(|v| v.0.to_string());
        prop_assert_eq!(got, Some(value.to_string()), "{} {} at {}:{}", name, id, line, column);
        for (j, (a, b)) in before.cells.iter().zip(&after.cells).enumerate() {
            if j != idx {
                prop_assert_eq!(a, b, "{}: changing {} also changed cell #{}", name, id, j);
            }
        }
    }
}
