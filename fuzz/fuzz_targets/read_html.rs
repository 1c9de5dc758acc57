//! Any bytes, read as an HTML page: `read_report` may refuse them, never panic, hang or
//! run out of memory. Inputs that do not already look like HTML get a `<html>` prefix so
//! the fuzzer spends its time in the HTML reader and the mapper.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if gongkai_read::sniff(data) == gongkai_read::InputKind::Html {
        let _ = gongkai_read::read_report(data);
    } else {
        let mut page = b"<html><body>".to_vec();
        page.extend_from_slice(data);
        let _ = gongkai_read::read_report(&page);
    }
});
