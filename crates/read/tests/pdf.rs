//! The PDF reader end to end: every fixture in `fixtures/pdf/` (made by LibreOffice from
//! HTML, written object by object with predefined-CMap fonts and no ToUnicode, and by
//! typst; see `fixtures/pdf/generate.py`) read into a report and compared cell by cell with
//! `fixtures/pdf/expected.json`; tables joined across pages; a scan without text; damaged,
//! truncated and oversized files, which must give a clear error and never a panic.
#![cfg(feature = "pdf")]

use std::collections::BTreeSet;
use std::path::PathBuf;

use gongkai_format::FormatVersion;
use gongkai_read::{ReadError, pdf, read_document, read_report};
use gongkai_report::{Block, Document, GridCell, Location, Report, Value, parse_number};
use serde_json::Value as Json;

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf")
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

fn squash(s: &str) -> String {
    s.split_whitespace().collect()
}

/// Compares one fixture with its expectation; returns the number of cells compared.
fn check_fixture(name: &str, want: &Json) -> usize {
    let bytes = fixture(name);
    let r: Report = read_report(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    let pages = pdf::pages(&bytes).unwrap().len() as u32;
    let mut wrong = Vec::new();
    assert_eq!(r.format, FormatVersion::Revised2021, "{name}");

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
            Some(Location::Pdf { page, bbox }) if (1..=pages).contains(&page) => {
                if !(bbox[0] < bbox[2] && bbox[1] < bbox[3]) {
                    wrong.push(format!("{id}: empty box {bbox:?}"));
                }
            }
            other => wrong.push(format!("{id}: location {other:?}")),
        }
    }
    let blanks: BTreeSet<String> = r.blanks.iter().map(|b| b.cell.clone()).collect();
    // An empty cell is a blank only where the table is ruled; unruled tables print a marker.
    if blanks != blanks_wanted {
        wrong.push(format!("blanks: want {blanks_wanted:?}, got {blanks:?}"));
    }
    if !r.uncertain.is_empty() {
        wrong.push(format!("uncertain: {:#?}", r.uncertain));
    }

    // Metadata and the six headings (white space may differ from the source).
    if r.meta.title.as_deref().map(squash) != want["title"].as_str().map(squash) {
        wrong.push(format!("title {:?}", r.meta.title));
    }
    if r.meta.agency.as_deref() != want["agency"].as_str() {
        wrong.push(format!("agency {:?}", r.meta.agency));
    }
    if r.meta.year.map(i64::from) != want["year"].as_i64() {
        wrong.push(format!("year {:?}", r.meta.year));
    }
    let headings: Vec<(u8, String)> = r
        .sections
        .iter()
        .map(|s| (s.number, squash(&s.heading)))
        .collect();
    let want_headings: Vec<(u8, String)> = want["headings"]
        .as_array()
        .unwrap()
        .iter()
        .zip(1..)
        .map(|(h, n)| (n, h.as_str().unwrap().to_string()))
        .collect();
    if headings != want_headings {
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
    assert!(want.len() >= 9, "fixtures: {:?}", want.keys());
    let mut cells = 0;
    for (name, w) in &want {
        cells += check_fixture(name, w);
    }
    assert_eq!(cells, want.len() * 200);
}

fn all_cells(doc: &Document) -> Vec<&GridCell> {
    doc.tables().flat_map(|t| t.rows.iter().flatten()).collect()
}

fn page_of(r: &Report, id: &str) -> u32 {
    match r.location(r.format.cell(id).unwrap()) {
        Some(Location::Pdf { page, .. }) => page,
        other => panic!("{id}: {other:?}"),
    }
}

/// Table 三 breaks across pages inside the rows of （四）无法提供: one table comes out, the
/// group label and the vertical label are whole cells spanning their rows.
#[test]
fn table_split_across_pages_is_joined() {
    for name in ["lo_long_split.pdf", "cmap_ucs2.pdf", "cmap_gbk.pdf"] {
        let bytes = fixture(name);
        let doc = read_document(&bytes).unwrap();
        let s3: Vec<_> = doc
            .tables()
            .filter(|t| t.rows.iter().flatten().any(|c| c.text.contains("本年新收")))
            .collect();
        assert_eq!(s3.len(), 1, "{name}: table 三 in {} pieces", s3.len());
        let rows = &s3[0].rows;
        assert_eq!(rows.len(), 28, "{name}: rows of table 三");
        let cells = all_cells(&doc);
        let find = |text: &str| {
            cells
                .iter()
                .find(|c| squash(&c.text) == text)
                .unwrap_or_else(|| panic!("{name}: no cell {text:?}"))
        };
        assert_eq!(find("（四）无法提供").row_span, 3, "{name}");
        assert_eq!(find("三、本年度办理结果").row_span, 22, "{name}");
        // Every data row of table 三 holds its seven values.
        for row in rows.iter().skip(3) {
            let values = row.iter().rev().take(7).filter(|c| {
                let t = squash(&c.text);
                t.is_empty() || t == "/" || t.parse::<f64>().is_ok()
            });
            assert_eq!(values.count(), 7, "{name}: {row:?}");
        }
        let r = read_report(&bytes).unwrap();
        let p = page_of(&r, "s3.unable_not_held.total");
        assert_eq!(
            page_of(&r, "s3.unable_unclear_after_correction.total"),
            p + 1,
            "{name}"
        );
    }
}

/// The hand-made fixtures use STSong-Light with `UniGB-UCS2-H` / `GBK-EUC-H` and no
/// ToUnicode; the text comes out right.
#[test]
fn predefined_cmaps_without_to_unicode() {
    for (name, cmaps) in [
        ("cmap_ucs2.pdf", &["/UniGB-UCS2-H"][..]),
        ("cmap_gbk.pdf", &["/UniGB-UCS2-H", "/GBK-EUC-H"][..]),
    ] {
        let bytes = fixture(name);
        let raw = String::from_utf8_lossy(&bytes);
        assert!(!raw.contains("/ToUnicode"), "{name}");
        for c in cmaps {
            assert!(raw.contains(c), "{name}: {c}");
        }
        let doc = read_document(&bytes).unwrap();
        let first = doc.paragraphs().next().unwrap();
        assert_eq!(first.text, "百泉镇政府信息公开工作2023年度报告", "{name}");
        let cells = all_cells(&doc);
        assert!(cells.iter().any(|c| c.text == "2.其他法律行政法规禁止公开"));
        assert!(cells.iter().any(|c| c.text == "3.危及“三安全一稳定”"));
    }
}

/// Numbers shown as two text runs are one cell, and the headings printed twice (simulated
/// bold) are read once.
#[test]
fn split_runs_and_fake_bold() {
    let doc = read_document(&fixture("cmap_ucs2.pdf")).unwrap();
    assert!(all_cells(&doc).iter().any(|c| c.text == "110.139"));
    assert!(doc.paragraphs().any(|p| p.text == "一、总体情况"));
    // Page numbers (`- 3 -`) are not paragraphs.
    assert!(!doc.paragraphs().any(|p| p.text.starts_with("- ")));
}

#[test]
fn encrypted_pdfs() {
    // Encrypted with an empty user password: read like any other (every cell is checked in
    // `every_fixture_every_cell`). With a user password: a clear error.
    assert!(read_report(&fixture("encrypted_empty_password.pdf")).is_ok());
    let err = read_report(&fixture("encrypted_user_password.pdf")).unwrap_err();
    assert!(matches!(err, ReadError::EncryptedPdf), "{err:?}");
    assert!(err.to_string().starts_with("PDF 已加密"), "{err}");
}

#[test]
#[cfg(not(feature = "ocr"))] // with OCR a scan is read: tests/ocr.rs
fn scanned_pdf_has_no_text_layer() {
    let err = read_report(&fixture("scanned.pdf")).unwrap_err();
    assert!(
        matches!(
            err,
            ReadError::NoTextLayer {
                pages: 1,
                images: 1
            }
        ),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(msg.starts_with("PDF 中没有文字层"), "{msg}");
    assert!(msg.contains("OCR"), "{msg}");
}

/// A minimal PDF with `n` pages, each showing `text` in Helvetica (or nothing).
fn minimal_pdf(n: usize, text: Option<&str>) -> Vec<u8> {
    let mut objs: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        String::new(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into(),
    ];
    let content = match text {
        Some(t) => format!("BT /F1 12 Tf 72 720 Td ({t}) Tj ET"),
        None => String::new(),
    };
    objs.push(format!(
        "<< /Length {} >>\nstream\n{content}\nendstream",
        content.len() + 1
    ));
    let mut kids = Vec::new();
    for _ in 0..n {
        objs.push(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
             /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
                .into(),
        );
        kids.push(format!("{} 0 R", objs.len()));
    }
    objs[1] = format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" "));
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .bytes(),
    );
    out
}

#[test]
fn limits_and_errors() {
    // Pages.
    let ok = minimal_pdf(3, Some("Hello 2023"));
    let pages = pdf::pages(&ok).unwrap();
    assert_eq!(pages.len(), 3);
    let text: String = pages[0].chars.iter().map(|c| c.ch).collect();
    assert_eq!(text, "Hello2023");
    let err = read_document(&minimal_pdf(pdf::MAX_PAGES + 1, Some("x"))).unwrap_err();
    assert!(
        matches!(
            err,
            ReadError::TooManyPages {
                pages: 501,
                limit: 500
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().starts_with("PDF 页数过多"));
    // Pages without anything drawn: no text layer.
    let err = read_document(&minimal_pdf(2, None)).unwrap_err();
    assert!(
        matches!(
            err,
            ReadError::NoTextLayer {
                pages: 2,
                images: 0
            }
        ),
        "{err:?}"
    );
    // Not a PDF after the header.
    let err = read_document(b"%PDF-1.7\nnothing here").unwrap_err();
    assert!(matches!(err, ReadError::BadPdf { .. }), "{err:?}");
    assert!(err.to_string().starts_with("PDF 文件已损坏"), "{err}");
    // A readable PDF that is not a report.
    let err = read_report(&ok).unwrap_err();
    assert!(matches!(err, ReadError::NotAReport(_)), "{err:?}");
}

/// Deterministic pseudo-random numbers (no extra dependency).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// Truncated and garbled files give an error or a document, never a panic.
#[test]
fn truncated_and_garbled_never_panic() {
    for name in ["cmap_gbk.pdf", "lo_seed000_national.pdf"] {
        let bytes = fixture(name);
        let n = bytes.len();
        let mut cuts: Vec<usize> = (0..16).collect();
        cuts.extend((1..40).map(|k| n * k / 40));
        cuts.extend(n.saturating_sub(16)..n);
        for cut in cuts {
            let _ = read_document(&bytes[..cut]);
        }
        let mut rng = Lcg(n as u64);
        for round in 0..30 {
            let mut b = bytes.clone();
            for _ in 0..(1 + round % 8) {
                let i = (rng.next() as usize) % n;
                b[i] = match rng.next() % 4 {
                    0 => 0,
                    1 => 0xFF,
                    2 => b"()<>[]/%"[(rng.next() % 8) as usize],
                    _ => rng.next() as u8,
                };
            }
            let _ = read_document(&b);
        }
    }
}

/// pdftotext (poppler, with poppler-data for the predefined CMaps) as an oracle: the same
/// characters, page by page. Skipped where poppler-utils is not installed.
#[test]
fn glyphs_match_pdftotext() {
    let Ok(out) = std::process::Command::new("pdftotext").arg("-v").output() else {
        eprintln!("pdftotext not installed: oracle test skipped");
        return;
    };
    if !out.status.success() && out.stderr.is_empty() {
        return;
    }
    for name in expected().keys() {
        let path = fixtures_dir().join(name);
        let ours = pdf::pages(&fixture(name)).unwrap();
        for p in &ours {
            let out = std::process::Command::new("pdftotext")
                .args(["-enc", "UTF-8", "-f", &p.number.to_string(), "-l"])
                .arg(p.number.to_string())
                .arg(&path)
                .arg("-")
                .output()
                .unwrap();
            // Poppler reads the ASCII codes of Adobe-GB1 fonts as full-width characters.
            let fold = |c: char| match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                c => c,
            };
            let theirs: BTreeSet<char> = String::from_utf8_lossy(&out.stdout)
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .map(fold)
                .collect();
            let mine: BTreeSet<char> = p.chars.iter().map(|c| fold(c.ch)).collect();
            assert_eq!(
                mine.symmetric_difference(&theirs).collect::<String>(),
                "",
                "{name} page {}",
                p.number
            );
        }
    }
}

/// `PDF=path cargo test -p gongkai-read --test pdf dump -- --ignored --nocapture` prints
/// the document and report of one file.
#[test]
#[ignore]
fn dump() {
    let path = std::env::var("PDF").expect("PDF=path");
    let bytes = std::fs::read(&path).unwrap();
    let doc = read_document(&bytes).unwrap();
    for b in &doc.blocks {
        match b {
            Block::Paragraph(p) => println!("P {} | {}", p.loc, p.text),
            Block::Table(t) => {
                println!("TABLE");
                for r in &t.rows {
                    let cells: Vec<String> = r
                        .iter()
                        .map(|c| format!("{}[{}x{}]", c.text, c.row_span, c.col_span))
                        .collect();
                    println!("  | {}", cells.join(" | "));
                }
            }
        }
    }
    match read_report(&bytes) {
        Ok(r) => {
            println!("uncertain: {:#?}", r.uncertain);
            println!("meta: {:?}", r.meta);
        }
        Err(e) => println!("report error: {e}"),
    }
}
