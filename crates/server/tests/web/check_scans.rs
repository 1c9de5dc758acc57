//! Scans in the report checker (feature `ocr`): an uncertain cell's finding shows the
//! cell's image, served by `GET /check/r/{id}/crop/{cell}`, on a straight scan and on a
//! photographed page (cut through the homography that undid its perspective). The scans
//! are made from the PDF reader's LibreOffice fixture by gongkai-read's
//! `tests/fixtures/ocr/make-scans` (pdftoppm, ImageMagick: needs scripts/install-ocr;
//! fails, does not skip, without it), with ink blots over two values (class `blot`), so
//! that the page has uncertain cells however well the reader reads.

use std::path::PathBuf;
use std::process::Command;

use axum::http::{StatusCode, header};

use crate::common::{Client, app, app_over};

/// Page 2 (tables 二 and 三) of the fixture report, scanned as `class` by make-scans.
fn scan_of_page_2(class: &str) -> (String, Vec<u8>) {
    let read = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../read/tests");
    let out = std::env::temp_dir().join(format!("gongkai-web-scan-{}-{class}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let status = Command::new(read.join("fixtures/ocr/make-scans"))
        .arg(read.join("fixtures/pdf/lo_nonzero_national.pdf"))
        .arg(class)
        .arg(&out)
        .args(["2", "2"])
        .status()
        .unwrap_or_else(|e| panic!("make-scans: {e} (run scripts/install-ocr)"));
    assert!(
        status.success(),
        "make-scans {class} (run scripts/install-ocr)"
    );
    let file = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .next()
        .expect("one page");
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let bytes = std::fs::read(&file).unwrap();
    let _ = std::fs::remove_dir_all(&out);
    (name, bytes)
}

/// Uploads one file; the report page's address and its HTML.
async fn upload(c: &mut Client, name: &str, bytes: &[u8]) -> (String, String) {
    let token = c.csrf("/check").await;
    let r = c.upload("/check", &token, &[(name, bytes)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let at = r.location();
    let page = c.get(&at).await;
    assert_eq!(page.status, StatusCode::OK);
    (at, page.text())
}

/// The `src` of every crop image in the page.
fn crop_sources(page: &str) -> Vec<String> {
    page.match_indices("<img src=\"")
        .map(|(i, m)| {
            let rest = &page[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .filter(|s| s.contains("/crop/"))
        .collect()
}

/// Width and height of a PNG (its IHDR).
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let be = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

#[tokio::test]
async fn an_uncertain_cell_of_a_scan_shows_its_image() {
    let (app, store) = app().await;
    let mut c = Client::new(&app);
    let (name, bytes) = scan_of_page_2("blot");
    let (at, page) = upload(&mut c, &name, &bytes).await;
    assert!(
        page.contains("VAL004"),
        "no uncertain cell in the blotted scan"
    );
    let sources = crop_sources(&page);
    assert!(!sources.is_empty(), "no crop in the findings");
    for src in &sources {
        assert!(src.starts_with(&format!("{at}/crop/")), "{src}");
        // The image has a Chinese alt text naming the cell.
        let tag = &page[page.find(&format!("<img src=\"{src}\"")).unwrap()..];
        let tag = &tag[..tag.find('>').unwrap()];
        assert!(tag.contains("alt=\"扫描件上“"), "{tag}");
        let r = c.get(src).await;
        assert_eq!(r.status, StatusCode::OK, "{src}: {}", r.text());
        assert_eq!(r.header(header::CONTENT_TYPE), "image/png");
        let (w, h) = png_size(&r.body);
        // A cell with its margin: wider than high, far smaller than the page.
        assert!(
            (20..=1200).contains(&w) && (15..=400).contains(&h),
            "{src}: {w} × {h}"
        );
    }
    // A restart (a new process over the same database) keeps the images: the page shows
    // them and they are served, the same bytes.
    let first = c.get(&sources[0]).await.body;
    let restarted = app_over(store.clone());
    let mut later = Client::new(&restarted);
    let again = later.get(&at).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(
        crop_sources(&again.text()),
        sources,
        "images after a restart"
    );
    let r = later.get(&sources[0]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.body, first);
    // A cell that is not uncertain has no image: a Chinese 404 that says why.
    let certain = format!("{at}/crop/s3.new_received.total");
    assert!(!sources.contains(&certain));
    let r = c.get(&certain).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text().contains("没有该单元格的扫描图像"), "{}", r.text());
    // Nor has an upload that is not there.
    let r = c
        .get("/check/r/0123456789abcdef/crop/s3.new_received.total")
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_photographed_page_shows_its_uncertain_cells() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    let (name, bytes) = scan_of_page_2("photo-blot");
    let (at, page) = upload(&mut c, &name, &bytes).await;
    assert!(page.contains("VAL004"), "no uncertain cell in the photo");
    // The blotted cell named in the page has its image, cut from the photograph.
    let cell = uncertain_cell(&page);
    let src = format!("{at}/crop/{cell}");
    assert!(crop_sources(&page).contains(&src), "no image of {cell}");
    let r = c.get(&src).await;
    assert_eq!(r.status, StatusCode::OK, "{src}: {}", r.text());
    let (w, h) = png_size(&r.body);
    assert!(
        (20..=1200).contains(&w) && (15..=400).contains(&h),
        "{src}: {w} × {h}"
    );
}

/// The first cell linked from an uncertain-cell finding.
fn uncertain_cell(page: &str) -> String {
    let f = &page[page.find("<strong>VAL004</strong>").unwrap()..];
    let link = &f[f.find("href=\"#c-").unwrap() + "href=\"#c-".len()..];
    link[..link.find('"').unwrap()].to_string()
}
