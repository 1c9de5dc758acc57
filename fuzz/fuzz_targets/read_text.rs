//! Any bytes, read as a plain-text report (tab grids, one cell per line; UTF-8, UTF-16 or
//! GB18030): `read_report` may refuse them, never panic, hang or run out of memory. The
//! text reader and the mapper are also run on the lossily decoded text directly.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if gongkai_read::sniff(data) == gongkai_read::InputKind::Text {
        let _ = gongkai_read::read_report(data);
    }
    let doc = gongkai_read::text::read(&String::from_utf8_lossy(data));
    let _ = gongkai_read::map::map(&doc);
});
