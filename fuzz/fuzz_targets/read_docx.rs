//! Any bytes, read as a DOCX file: `read_report` may refuse them, never panic, hang or
//! run out of memory. Inputs that start like a ZIP (`PK`) go through the whole reader
//! (archive, zip-bomb limits, XML, mapper); all others are taken as the XML of
//! `word/document.xml`, so the fuzzer also spends its time in the XML reader and the
//! mapper rather than in the ZIP checksum.
//!
//! Seed corpus: the fixtures of crates/read/tests/fixtures/docx and their
//! `word/document.xml` (`unzip -p FIXTURE word/document.xml > corpus/read_docx/NAME.xml`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"PK") {
        let _ = gongkai_read::read_report(data);
    } else if let Ok(doc) = gongkai_read::docx::parse(data) {
        let _ = gongkai_read::map::map(&doc);
    }
});
