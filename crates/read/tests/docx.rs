//! The DOCX reader end to end: every fixture in `fixtures/docx/` (made by LibreOffice from
//! HTML, and one written the way WPS writes tables; see `fixtures/docx/generate.py`) read
//! into a report and compared cell by cell with `fixtures/docx/expected.json`; then damaged
//! and hostile archives, which must give a clear error and never a panic.

use std::collections::BTreeSet;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use gongkai_format::FormatVersion;
use gongkai_read::{ReadError, docx, read_document, read_report};
use gongkai_report::{Block, Location, Report, Value, parse_number};
use serde_json::Value as Json;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docx")
}

fn expected() -> serde_json::Map<String, Json> {
    let text = std::fs::read_to_string(fixtures_dir().join("expected.json")).unwrap();
    match serde_json::from_str(&text).unwrap() {
        Json::Object(m) => m,
        other => panic!("expected.json: not an object: {other}"),
    }
}

fn fixture(name: &str) -> Vec<u8> {
    let path = fixtures_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read(name: &str) -> Report {
    read_report(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn location(r: &Report, id: &str) -> Location {
    let idx = r.format.cell(id).unwrap_or_else(|| panic!("no cell {id}"));
    r.location(idx)
        .unwrap_or_else(|| panic!("{id}: no location"))
}

fn table_loc(table: u32, row: u32, column: u32) -> Location {
    Location::Table { table, row, column }
}

/// Compares one fixture with its expectation; returns the number of cells compared.
fn check_fixture(name: &str, want: &Json) -> usize {
    let r = read(name);
    let mut wrong = Vec::new();
    assert_eq!(r.format, FormatVersion::Revised2021, "{name}");

    // Every one of the 200 cells.
    let cells = want["cells"].as_object().unwrap();
    let ids: Vec<&str> = r.format.cells().iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids.len(), 200);
    assert_eq!(
        cells.keys().map(String::as_str).collect::<BTreeSet<_>>(),
        ids.iter().copied().collect::<BTreeSet<_>>(),
        "{name}: expected.json lists other cells than the format"
    );
    let mut blanks_wanted = BTreeSet::new();
    for id in &ids {
        let want_v: Option<Value> = match &cells[*id] {
            Json::Null => {
                blanks_wanted.insert(id.to_string());
                None
            }
            Json::String(s) => Some(parse_number(s).unwrap()),
            other => panic!("{name} {id}: {other}"),
        };
        let got = r.get(id);
        if got != want_v {
            wrong.push(format!("{id}: want {want_v:?}, got {got:?}"));
        }
        match r.location(r.format.cell(id).unwrap()) {
            Some(Location::Table { .. }) => {}
            other => wrong.push(format!("{id}: location {other:?}")),
        }
    }
    let blanks: BTreeSet<String> = r.blanks.iter().map(|b| b.cell.clone()).collect();
    if blanks != blanks_wanted {
        wrong.push(format!("blanks: want {blanks_wanted:?}, got {blanks:?}"));
    }
    if !r.uncertain.is_empty() {
        wrong.push(format!("uncertain: {:#?}", r.uncertain));
    }

    // Metadata and the six headings.
    if r.meta.title.as_deref() != want["title"].as_str() {
        wrong.push(format!("title {:?}", r.meta.title));
    }
    if r.meta.agency.as_deref() != want["agency"].as_str() {
        wrong.push(format!("agency {:?}", r.meta.agency));
    }
    if r.meta.year.map(i64::from) != want["year"].as_i64() {
        wrong.push(format!("year {:?}", r.meta.year));
    }
    let headings: Vec<(u8, &str)> = r
        .sections
        .iter()
        .map(|s| (s.number, s.heading.as_str()))
        .collect();
    let want_headings: Vec<(u8, &str)> = want["headings"]
        .as_array()
        .unwrap()
        .iter()
        .zip(1..)
        .map(|(h, n)| (n, h.as_str().unwrap()))
        .collect();
    // Headings may carry a tab between the number and the words (WPS): compare without
    // white space.
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    if headings.len() != 6
        || headings
            .iter()
            .zip(&want_headings)
            .any(|(a, b)| a.0 != b.0 || squash(a.1) != b.1)
    {
        wrong.push(format!("headings {headings:?}"));
    }
    let dates: Vec<&str> = r.meta.dates.iter().map(|d| d.date.as_str()).collect();
    let want_dates: Vec<&str> = want["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    if dates != want_dates {
        wrong.push(format!("dates {dates:?}"));
    }
    // Sections 二 to 四 may hold only their table; the others have text.
    for s in r.sections.iter().filter(|s| [1, 5].contains(&s.number)) {
        if s.text.trim().is_empty() {
            wrong.push(format!("section {} has no text", s.number));
        }
    }
    assert!(
        wrong.is_empty(),
        "{name}: {} problems:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    ids.len()
}

#[test]
fn every_fixture_every_cell() {
    let want = expected();
    assert!(want.len() >= 6, "fixtures: {:?}", want.keys());
    let mut on_disk: Vec<String> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".docx"))
        .collect();
    on_disk.sort();
    let mut named: Vec<String> = want.keys().cloned().collect();
    named.sort();
    assert_eq!(
        on_disk, named,
        "every .docx has an expectation and every expectation a .docx"
    );
    let mut cells = 0;
    for (name, w) in &want {
        cells += check_fixture(name, w);
    }
    assert_eq!(cells, 200 * want.len());
}

#[test]
fn provenance_is_the_grid_position() {
    // National layout: table 1 is 二, table 2 三 (3 header rows), table 3 四.
    let r = read("lo_seed000_national.docx");
    assert_eq!(
        location(&r, "s2.regulations.issued"),
        table_loc(1, 3, 2),
        "规章 / 本年制发件数"
    );
    assert_eq!(location(&r, "s2.fees.amount_10k_yuan"), table_loc(1, 14, 2));
    assert_eq!(
        location(&r, "s3.new_received.natural_person"),
        table_loc(2, 4, 4)
    );
    assert_eq!(location(&r, "s3.granted.total"), table_loc(2, 6, 10));
    // Under the vertical label （三）不予公开: the values keep their grid columns.
    assert_eq!(
        location(&r, "s3.denied_prohibited_by_law.natural_person"),
        table_loc(2, 9, 4)
    );
    assert_eq!(
        location(&r, "s3.carried_forward.total"),
        table_loc(2, 28, 10)
    );
    assert_eq!(
        location(&r, "s4.reconsideration.upheld"),
        table_loc(3, 4, 1)
    );
    assert_eq!(
        location(&r, "s4.litigation_after_reconsideration.total"),
        table_loc(3, 4, 15)
    );

    // Split and flat: 二 in four tables, 三 in two (split before （四）无法提供), 四 last.
    let r = read("lo_split_flat.docx");
    assert_eq!(location(&r, "s2.licensing.decisions"), table_loc(2, 3, 2));
    assert_eq!(location(&r, "s2.fees.amount_10k_yuan"), table_loc(4, 3, 2));
    assert_eq!(
        location(&r, "s3.unable_not_held.natural_person"),
        table_loc(6, 1, 4)
    );
    assert_eq!(
        location(&r, "s4.reconsideration.upheld"),
        table_loc(7, 4, 1)
    );

    // WPS: w:gridBefore shifts every cell of table 三 one grid column to the right.
    let r = read("wps_handmade.docx");
    assert_eq!(
        location(&r, "s3.new_received.natural_person"),
        table_loc(2, 4, 5)
    );
    assert_eq!(
        location(&r, "s3.denied_query_matter.total"),
        table_loc(2, 15, 11)
    );
    assert_eq!(
        location(&r, "s4.litigation_direct.pending"),
        table_loc(3, 4, 9)
    );
}

#[test]
fn grid_of_the_national_layout() {
    let doc = read_document(&fixture("lo_seed000_national.docx")).unwrap();
    let tables: Vec<_> = doc.tables().collect();
    assert_eq!(tables.len(), 3);
    let s3 = tables[1];
    assert_eq!(s3.rows.len(), 28);
    // The 3×3 corner cell, and 申请人情况 across the seven columns.
    let corner = &s3.rows[0][0];
    assert!(corner.text.contains("勾稽关系"), "{corner:?}");
    assert_eq!((corner.row_span, corner.col_span), (3, 3));
    assert_eq!(
        (s3.rows[0][1].text.as_str(), s3.rows[0][1].col_span),
        ("申请人情况", 7)
    );
    // Header rows 2 and 3 hold only the cells that start there.
    assert_eq!(s3.rows[1].len(), 3);
    assert_eq!(s3.rows[2].len(), 5);
    // 三、本年度办理结果 spans the 22 outcome rows; （三）不予公开 its 8 rows.
    let outcome = &s3.rows[5][0];
    assert_eq!(
        (outcome.text.as_str(), outcome.row_span),
        ("三、本年度办理结果", 22)
    );
    assert_eq!(s3.rows[7][0].text, "（三）不予公开");
    assert_eq!(s3.rows[7][0].row_span, 8);
    // Rows under a vertical label: their label and exactly seven values, no empty field.
    for row in &s3.rows[8..15] {
        assert_eq!(row.len(), 8, "{row:?}");
        assert!(row.iter().all(|c| !c.is_empty()), "{row:?}");
    }
    // Every grid position of the data rows is covered exactly once.
    for (r, row) in s3.rows.iter().enumerate().skip(3) {
        let mut covered = 0;
        for (rr, other) in s3.rows.iter().enumerate().take(r + 1) {
            for c in other {
                if rr + c.row_span as usize > r {
                    covered += c.col_span;
                }
            }
        }
        assert_eq!(covered, 10, "row {}: {row:?}", r + 1);
    }
}

#[test]
fn wps_quirks() {
    let doc = read_document(&fixture("wps_handmade.docx")).unwrap();
    let paragraphs: Vec<&str> = doc.paragraphs().map(|p| p.text.as_str()).collect();
    // The title inside w:sdt, split over runs with bookmarks and proofing marks.
    assert_eq!(
        paragraphs[0],
        "延津县人民政府办公室 2023 年政府信息公开工作年度报告"
    );
    // The text box once, not again from its mc:Fallback copy.
    assert_eq!(
        paragraphs
            .iter()
            .filter(|p| p.contains("此处加盖公章"))
            .count(),
        1
    );
    let all_text: String = doc
        .blocks
        .iter()
        .flat_map(|b| match b {
            Block::Table(t) => t
                .rows
                .iter()
                .flatten()
                .map(|c| c.text.clone())
                .collect::<Vec<_>>(),
            Block::Paragraph(p) => vec![p.text.clone()],
        })
        .collect();
    // Deleted text (w:del) is gone.
    assert!(!all_text.contains("999"));
    let s3 = doc.tables().nth(1).unwrap();
    // The nested table in the header cell is flattened into it.
    assert_eq!(s3.rows[0][1].text, "申请人情况");
    assert_eq!(s3.rows[0][0].loc, table_loc(2, 1, 2));
}

// ---------------------------------------------------------------------------------------
// Damaged and hostile input
// ---------------------------------------------------------------------------------------

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(false);
    for (name, data) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// An error message must be Chinese first, then English after a slash, and name no path.
fn assert_clear(e: &ReadError) {
    let msg = e.to_string();
    let Some((zh, en)) = msg.split_once("/ ") else {
        panic!("no Chinese / English parts: {msg}");
    };
    assert!(
        zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "not Chinese first: {msg}"
    );
    assert!(
        en.starts_with(|c: char| c.is_ascii_alphabetic()),
        "no English: {msg}"
    );
    assert!(!msg.contains("fixtures"), "{msg}");
}

#[test]
fn truncations_of_a_fixture_never_panic() {
    for name in ["lo_seed000_national.docx", "wps_handmade.docx"] {
        let bytes = fixture(name);
        let mut errors = 0;
        for cut in (0..bytes.len()).step_by(61) {
            match read_report(&bytes[..cut]) {
                Ok(_) => {}
                Err(e) => {
                    assert_clear(&e);
                    errors += 1;
                }
            }
        }
        // A ZIP is read from its end: every cut copy is damaged.
        assert!(errors > bytes.len() / 61 - 2, "{name}: {errors} errors");
    }
}

#[test]
fn damaged_bytes_never_panic() {
    let bytes = fixture("wps_handmade.docx");
    let mut state: u32 = 0x2545_F491;
    for round in 0..300 {
        let mut b = bytes.clone();
        for _ in 0..(1 + round % 8) {
            // xorshift: deterministic, no dependency
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let i = state as usize % b.len();
            b[i] = (state >> 8) as u8;
        }
        if let Err(e) = read_report(&b) {
            assert_clear(&e);
        }
    }
}

#[test]
fn zip_without_document_xml() {
    let z = zip_of(&[("hello.txt", b"hi")]);
    let e = read_report(&z).unwrap_err();
    assert!(matches!(e, ReadError::NoDocumentXml), "{e:?}");
    assert_clear(&e);
    assert!(e.to_string().contains("word/document.xml"));

    let z = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", b"<workbook/>"),
    ]);
    let e = read_report(&z).unwrap_err();
    assert!(matches!(e, ReadError::Unsupported("XLSX")), "{e:?}");
    assert_clear(&e);
}

#[test]
fn zip_bomb_is_refused() {
    // 80 MiB of zeros compress to well under 1 MiB.
    let big = vec![0u8; 80 * 1024 * 1024];
    let z = zip_of(&[("word/document.xml", &big)]);
    drop(big);
    assert!(z.len() < 1024 * 1024, "{}", z.len());
    let e = read_report(&z).unwrap_err();
    assert!(matches!(e, ReadError::EntryTooLarge { .. }), "{e:?}");
    assert_clear(&e);

    // The same entry with its declared sizes patched down to 1 KiB: the reader must
    // still stop, not trust the header.
    let mut lying = z.clone();
    patch_sizes(&mut lying, 1024);
    let e = read_report(&lying).unwrap_err();
    assert_clear(&e);
}

/// Sets the uncompressed size of every entry in the local and central headers.
fn patch_sizes(z: &mut [u8], size: u32) {
    let le = size.to_le_bytes();
    let mut i = 0;
    while i + 46 <= z.len() {
        if z[i..i + 4] == *b"PK\x03\x04" {
            z[i + 22..i + 26].copy_from_slice(&le);
        } else if z[i..i + 4] == *b"PK\x01\x02" {
            z[i + 24..i + 28].copy_from_slice(&le);
        }
        i += 1;
    }
}

#[test]
fn too_many_entries() {
    let names: Vec<String> = (0..=docx::MAX_ENTRIES).map(|i| format!("f{i}")).collect();
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for n in &names {
        w.start_file(n.as_str(), opts).unwrap();
    }
    let z = w.finish().unwrap().into_inner();
    let e = read_report(&z).unwrap_err();
    assert!(matches!(e, ReadError::TooManyEntries { .. }), "{e:?}");
    assert_clear(&e);
}

#[test]
fn garbage_xml_is_an_error() {
    for xml in [
        &b"not xml at all < & >"[..],
        b"<w:document><w:body><w:p><w:r><w:t>x</w:r></w:p></w:body></w:document>",
        b"<?xml version=\"1.0\"?><w:document><w:body><w:tbl><w:tr><w:tc>",
        b"\x00\x01\x02\xff\xfe",
    ] {
        let z = zip_of(&[("word/document.xml", xml)]);
        match read_report(&z) {
            Err(e @ ReadError::Xml { .. }) => assert_clear(&e),
            // Text without markup is no report at all.
            Err(e @ ReadError::NotAReport(_)) => assert_clear(&e),
            other => panic!("{:?}: {other:?}", String::from_utf8_lossy(xml)),
        }
    }
    let z = zip_of(&[(
        "word/document.xml",
        b"<w:document><w:body><w:p></w:body></w:document>",
    )]);
    let e = read_report(&z).unwrap_err();
    match &e {
        ReadError::Xml { offset, .. } => assert!(*offset > 0 && *offset < 48, "{offset}"),
        other => panic!("{other:?}"),
    }
    assert_clear(&e);
}

#[test]
fn not_a_zip_at_all() {
    // The ZIP signature and nothing after it.
    let e = read_report(b"PK\x03\x04garbage").unwrap_err();
    assert!(matches!(e, ReadError::BadZip { .. }), "{e:?}");
    assert_clear(&e);
    assert!(Path::new(&fixtures_dir()).is_dir());
}
