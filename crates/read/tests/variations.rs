//! Variations of a seed: blanks, missing fields, other encodings, bad input.

use gongkai_read::{ReadError, read_report};

fn seed_000() -> String {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("000_"))
        .unwrap();
    std::fs::read_to_string(path).unwrap()
}

/// Replaces `from` (which must occur) by `to`.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not in the seed");
    text.replace(from, to)
}

#[test]
fn blank_markers_stay_blank_and_are_listed() {
    let text = edit(
        &seed_000(),
        "\t3. 其他\t1\t0\t0\t0\t0\t0\t1",
        "\t3. 其他\t1\t/\t—\t无\t-\t0\t1",
    );
    let r = read_report(text.as_bytes()).unwrap();
    assert_eq!(
        r.get("s3.other_other.natural_person")
            .map(|v| v.to_string()),
        Some("1".into())
    );
    for id in [
        "s3.other_other.commercial",
        "s3.other_other.research",
        "s3.other_other.social_welfare",
        "s3.other_other.legal_service",
    ] {
        assert!(r.format.cell(id).is_some(), "{id} is not a cell id");
        assert_eq!(r.get(id), None, "{id}");
        assert!(
            r.blanks.iter().any(|b| b.cell == id),
            "{id} not listed as blank"
        );
    }
    assert_eq!(r.blanks.len(), 4);
    assert!(r.uncertain.is_empty());
}

#[test]
fn a_row_with_a_missing_field_is_uncertain_not_guessed() {
    let text = edit(
        &seed_000(),
        "2. 重复申请\t0\t0\t0\t0\t0\t0\t0",
        "2. 重复申请\t0\t0\t0\t0\t0\t0",
    );
    let r = read_report(text.as_bytes()).unwrap();
    let unsure: Vec<&str> = r.uncertain.iter().map(|u| u.cell.as_str()).collect();
    assert_eq!(unsure.len(), 7, "{unsure:?}");
    assert!(
        unsure
            .iter()
            .all(|c| c.starts_with("s3.rejected_duplicate."))
    );
    assert_eq!(r.get("s3.rejected_duplicate.total"), None);
    assert!(r.uncertain[0].reason.contains("6 个数值"));
}

#[test]
fn gbk_and_utf16_read_the_same() {
    let text = seed_000();
    let utf8 = read_report(text.as_bytes()).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    assert_eq!(read_report(&gbk).unwrap(), utf8);
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    assert_eq!(read_report(&utf16).unwrap(), utf8);
}

#[test]
fn full_width_digits_and_brackets() {
    let text = edit(&seed_000(), "(七) 总计\t2\t0", "（七）总计\t２\t0");
    let text = edit(&text, "\t(四) 无法提供", "\t（四） 无法提供");
    let r = read_report(text.as_bytes()).unwrap();
    assert_eq!(
        r.get("s3.results_total.natural_person")
            .map(|v| v.to_string()),
        Some("2".into())
    );
    assert_eq!(
        r.get("s3.unable_not_held.total").map(|v| v.to_string()),
        Some("1".into())
    );
    assert!(r.uncertain.is_empty());
}

#[test]
fn bad_input_gets_a_clear_error() {
    assert!(matches!(read_report(b""), Err(ReadError::Empty)));
    assert!(matches!(read_report(b"  \n\n"), Err(ReadError::Empty)));
    assert!(matches!(
        read_report(b"abc\x00\x01\x02def"),
        Err(ReadError::Binary { .. })
    ));
    assert!(matches!(
        read_report(b"%PDF-1.7\n"),
        Err(ReadError::Unsupported(_))
    ));
    let not_report = read_report("今天天气很好。\n明天也好。\n".as_bytes());
    assert!(
        matches!(not_report, Err(ReadError::NotAReport(_))),
        "{not_report:?}"
    );
    let msg = not_report.unwrap_err().to_string();
    assert!(msg.starts_with("不是政府信息公开工作年度报告"), "{msg}");
}

#[test]
fn no_panic_on_truncations_of_a_seed() {
    let text = seed_000();
    let bytes = text.as_bytes();
    for cut in (0..bytes.len()).step_by(37) {
        let _ = read_report(&bytes[..cut]);
    }
    // Lines shuffled out of order.
    let mut lines: Vec<&str> = text.lines().collect();
    lines.reverse();
    let _ = read_report(lines.join("\n").as_bytes());
}
