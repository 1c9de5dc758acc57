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
    // A PDF header and nothing else: a damaged PDF (or, without the `pdf` feature, an
    // unsupported format).
    #[cfg(feature = "pdf")]
    assert!(matches!(
        read_report(b"%PDF-1.7\n"),
        Err(ReadError::BadPdf { .. })
    ));
    #[cfg(not(feature = "pdf"))]
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

/// Seed 000 rewritten in the 2019 trial format (regulations.md §1.7): section 二 with
/// 规范性文件, 上一年项目数量 / 本年增/减 / 处理决定数量, 政府集中采购; （六）其他处理 one row.
fn seed_000_as_2019() -> String {
    let text = seed_000();
    let start = text.find("第二十条第（一）项").unwrap();
    let end = text.find("三、收到和处理政府信息公开申请情况").unwrap();
    let s2_2019 = "第二十条第（一）项\t\t\t\n\
        信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n\
        规章\t0\t0\t0\n\
        规范性文件\t3\t3\t41\n\
        第二十条第（五）项\t\t\t\n\
        信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n\
        行政许可\t12\t-2\t340\n\
        其他对外管理服务事项\t4\t0\t15\n\
        第二十条第（六）项\t\t\t\n\
        信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n\
        行政处罚\t30\t1\t88\n\
        行政强制\t5\t0\t2\n\
        第二十条第（八）项\t\t\t\n\
        信息内容\t上一年项目数量\t本年增/减\t\n\
        行政事业性收费\t6\t-1\t\n\
        第二十条第（九）项\t\t\t\n\
        信息内容\t采购项目数量\t采购总金额\t\n\
        政府集中采购\t9\t123.45\t\n\n";
    let text = format!("{}{}{}", &text[..start], s2_2019, &text[end..]);
    let six = "(六) 其他处理\t1. 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0\t\n\
        \t2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0\t\n\
        \t3. 其他\t1\t0\t0\t0\t0\t0\t1\t\n";
    edit(&text, six, "(六) 其他处理\t\t1\t0\t0\t0\t0\t0\t1\t\n")
}

#[test]
fn the_2019_trial_format_is_recognised() {
    let r = read_report(seed_000_as_2019().as_bytes()).unwrap();
    assert_eq!(r.format, gongkai_format::FormatVersion::Trial2019);
    assert!(r.uncertain.is_empty(), "{:#?}", r.uncertain);
    let v = |id: &str| {
        assert!(r.format.cell(id).is_some(), "{id} is not a 2019 cell");
        r.get(id).map(|v| v.to_string())
    };
    assert_eq!(
        v("s2.normative_documents.total_published").as_deref(),
        Some("41")
    );
    assert_eq!(v("s2.licensing.change").as_deref(), Some("-2"));
    assert_eq!(v("s2.other_services.decisions").as_deref(), Some("15"));
    assert_eq!(v("s2.procurement.amount").as_deref(), Some("123.45"));
    assert_eq!(v("s3.other_handling.natural_person").as_deref(), Some("1"));
    assert_eq!(v("s3.new_received.total").as_deref(), Some("2"));
    // Cells of the 2021 format that do not exist in 2019 are absent, not zero.
    assert_eq!(r.format.cell("s3.other_other.total"), None);
    assert_eq!(r.format.cell("s2.fees.amount_10k_yuan"), None);
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["format"], "2019");
    let cells = json["cells"].as_object().unwrap();
    assert_eq!(cells.len(), r.format.cells().len());
    assert!(!cells.contains_key("s3.other_other.total"));
    // Wording of the 2019 format is not a deviation in a 2019 report.
    assert!(r.label_variants.is_empty(), "{:?}", r.label_variants);
}
