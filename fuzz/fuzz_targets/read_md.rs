//! Any text, read as Markdown: `read_report` may refuse it, never panic, hang or run out
//! of memory. Inputs that would not be sniffed as Markdown get a `|---|` table prefix so
//! the fuzzer spends its time in the Markdown reader and the mapper.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if gongkai_read::sniff(data) == gongkai_read::InputKind::Markdown {
        let _ = gongkai_read::read_report(data);
    } else {
        let mut text = b"| a | b |\n|---|---|\n".to_vec();
        text.extend_from_slice(data);
        let _ = gongkai_read::read_report(&text);
        let _ = gongkai_read::md::read(&String::from_utf8_lossy(data));
    }
});
