//! Any bytes, read as a PDF: `read_report` may refuse them, never panic, hang or run out
//! of memory. Inputs that start like a PDF (`%PDF`) go through the whole reader (lopdf's
//! parser, the page tree, the content interpreter, fonts, tables, layout, mapper). All
//! others become a page: the bytes before the first 0xFF are the ToUnicode CMap of a
//! simple font, the rest is the page's content stream, shown with that font and with
//! STSong-Light under the predefined CMaps `UniGB-UCS2-H` and `GBK-EUC-H` — so the
//! fuzzer spends its time in the interpreter, the CMap parser and the layout rather than
//! in cross-reference tables.
//!
//! Seed corpus: `crates/read/tests/fixtures/pdf/cmap_*.pdf` and the content streams of
//! those pages (`corpus/read_pdf/`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fn page_pdf(to_unicode: &[u8], content: &[u8]) -> Vec<u8> {
    let stream = |dict: &str, data: &[u8]| {
        let mut o = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
        o.extend_from_slice(data);
        o.extend_from_slice(b"\nendstream");
        o
    };
    let cid = |enc: &str| {
        format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /{enc} \
             /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light \
             /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> \
             /DW 1000 /W [1 95 500] >>] >>"
        )
        .into_bytes()
    };
    let objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << \
          /F1 4 0 R /F2 5 0 R /F3 6 0 R >> /XObject << /X1 8 0 R >> >> /Contents 9 0 R >>"
            .to_vec(),
        cid("UniGB-UCS2-H"),
        cid("GBK-EUC-H"),
        b"<< /Type /Font /Subtype /TrueType /BaseFont /Arial /FirstChar 32 /LastChar 34 \
          /Widths [250 500 500] /Encoding << /BaseEncoding /WinAnsiEncoding \
          /Differences [33 /uni5E74 /one] >> /ToUnicode 7 0 R >>"
            .to_vec(),
        stream("", to_unicode),
        // A form XObject that draws the page's content again, scaled (and itself).
        stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Matrix [0.5 0 0 0.5 10 10] \
             /Resources << /Font << /F1 4 0 R >> /XObject << /X1 8 0 R >> >>",
            content,
        ),
        stream("", content),
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
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

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"%PDF") {
        let _ = gongkai_read::read_report(data);
    } else {
        let split = data.iter().position(|&b| b == 0xFF).unwrap_or(0);
        let (cmap, content) = data.split_at(split);
        let content = content.strip_prefix(&[0xFF]).unwrap_or(content);
        let _ = gongkai_read::read_report(&page_pdf(cmap, content));
    }
});
