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
    let doc = read_report(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]);
    assert!(matches!(doc, Err(ReadError::OldWordDoc)), "{doc:?}");
    assert!(
        doc.unwrap_err().to_string().starts_with("DOC 不能读取"),
        "a clear message for .doc"
    );
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

#[test]
fn plain_text_with_a_stray_script_or_table_tag_is_read_as_text() {
    let seed = seed_000();
    let plain = read_report(seed.as_bytes()).unwrap();
    for prefix in [
        "<script>window.onload = function () {};</script>\n",
        "<table>\n",
    ] {
        let text = format!("{prefix}{seed}");
        assert_eq!(
            gongkai_read::sniff(text.as_bytes()),
            gongkai_read::InputKind::Text,
            "{prefix:?}"
        );
        let r = read_report(text.as_bytes()).unwrap();
        assert_eq!(r.cells, plain.cells, "{prefix:?}");
        assert!(r.uncertain.is_empty(), "{prefix:?}: {:#?}", r.uncertain);
    }
}

/// （六）其他处理 printed as one aggregate row (WPS templates): the printed values are kept
/// as group totals, the three item rows are absent (not uncertain), a deviation is listed
/// and the checker finds no false TAB002.
#[test]
fn other_processing_as_one_aggregate_row() {
    let seed = seed_000();
    let text = edit(
        &seed,
        "(六) 其他处理\t1. 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0\t\n\t2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0\t\n\t3. 其他\t1\t0\t0\t0\t0\t0\t1\t\n",
        "(六) 其他处理\t1\t0\t0\t0\t0\t0\t1\t\n",
    );
    let r = read_report(text.as_bytes()).unwrap();
    assert!(r.uncertain.is_empty(), "{:#?}", r.uncertain);
    assert_eq!(r.group_totals.len(), 7, "{:#?}", r.group_totals);
    let np = r
        .group_total_of("s3.other_other.natural_person")
        .expect("a group total for 自然人");
    assert_eq!(np.value.to_string(), "1");
    assert_eq!(
        np.cells,
        [
            "s3.other_no_correction.natural_person",
            "s3.other_unpaid_fee.natural_person",
            "s3.other_other.natural_person"
        ]
    );
    for id in [
        "s3.other_no_correction.total",
        "s3.other_unpaid_fee.total",
        "s3.other_other.total",
    ] {
        assert_eq!(r.get(id), None, "{id} is absent");
        assert!(
            !r.blanks.iter().any(|b| b.cell == id),
            "{id} is not a blank"
        );
    }
    assert_eq!(r.deviations.len(), 1);
    assert!(r.deviations[0].message.contains("印为一行合计"));
    // Every other cell as in the seed.
    let plain = read_report(seed.as_bytes()).unwrap();
    for def in r.format.cells() {
        if !def.id.starts_with("s3.other_") {
            assert_eq!(r.get(&def.id), plain.get(&def.id), "{}", def.id);
        }
    }
    // The same findings as the seed, plus the format deviation: no false TAB002.
    let codes = |r: &gongkai_report::Report| {
        let mut c: Vec<&str> = gongkai_check::check(r).iter().map(|f| f.code).collect();
        c.sort_unstable();
        c
    };
    let mut want = codes(&plain);
    want.push("TAB005");
    want.sort_unstable();
    assert_eq!(codes(&r), want);
}

/// Table 四's data row with a trailing “/ 0 0 0” (an appendix column) or the totals
/// printed again: the 15 values are placed and a deviation is listed; extra values that
/// are not recognisable leave the row uncertain.
#[test]
fn section_four_with_extra_values() {
    let seed = seed_000();
    let row = "0\t0\t0\t0\t0\t0\t0\t2\t0\t2\t0\t0\t0\t0\t0";
    let plain = read_report(seed.as_bytes()).unwrap();
    for (extra, what) in [
        ("\t/\t0\t0\t0", "以“/”开头的附加栏"),
        ("\t2\t2\t0", "重复印出的合计数"),
    ] {
        let text = edit(&seed, row, &format!("{row}{extra}"));
        let r = read_report(text.as_bytes()).unwrap();
        assert!(r.uncertain.is_empty(), "{extra:?}: {:#?}", r.uncertain);
        assert_eq!(r.cells, plain.cells, "{extra:?}");
        assert_eq!(r.deviations.len(), 1, "{extra:?}");
        assert_eq!(r.deviations[0].section, 4);
        assert!(r.deviations[0].message.contains(what), "{:?}", r.deviations);
    }
    // 16 values whose extra one is neither: uncertain, not guessed.
    let text = edit(&seed, row, &format!("{row}\t7"));
    let r = read_report(text.as_bytes()).unwrap();
    assert_eq!(
        r.uncertain
            .iter()
            .filter(|u| u.cell.starts_with("s4."))
            .count(),
        15
    );
    assert!(r.deviations.is_empty());
    // The first 15 do not add up: uncertain as well.
    let text = edit(
        &seed,
        row,
        "0\t0\t0\t0\t0\t0\t0\t2\t0\t3\t0\t0\t0\t0\t0\t/\t0\t0\t0",
    );
    let r = read_report(text.as_bytes()).unwrap();
    assert!(r.uncertain.iter().any(|u| u.cell.starts_with("s4.")));
}

/// A 信息处理费 table in section 六 (or 五) is not the section 二 fee row.
#[test]
fn an_information_processing_fee_table_in_section_six_is_not_the_section_two_fee() {
    let seed = seed_000();
    let plain = read_report(seed.as_bytes()).unwrap();
    for table in [
        "收费项目\t收费通知件数\t行政事业性收费金额（单位：万元）\n信息处理费\t1\t0.01\n",
        "行政事业性收费\t信息处理费\t0.02\n行政事业性收费\t其他\t0\n",
    ] {
        let text = seed.replacen(
            "六、其他需要报告的事项\n",
            &format!("六、其他需要报告的事项\n本年度收取信息处理费情况如下。\n{table}"),
            1,
        );
        assert_ne!(text, seed, "the heading of section 六 is in the seed");
        let r = read_report(text.as_bytes()).unwrap();
        assert!(r.uncertain.is_empty(), "{table:?}: {:#?}", r.uncertain);
        assert_eq!(r.cells, plain.cells, "{table:?}");
    }
}

/// Labels clipped (`2.其他法律行政止公开`) or misprinted (`7.属于行政执法案件`) are placed
/// by their number and position when the words are close, with a label variant (TXT002);
/// a label that is not close stays uncertain.
#[test]
fn clipped_and_misprinted_labels_are_placed_by_number_and_closeness() {
    let seed = seed_000();
    let plain = read_report(seed.as_bytes()).unwrap();
    let text = edit(
        &edit(
            &seed,
            "2. 其他法律行政法规禁止公开",
            "2. 其他法律行政止公开",
        ),
        "7. 属于行政执法案卷",
        "7. 属于行政执法案件",
    );
    let r = read_report(text.as_bytes()).unwrap();
    assert!(r.uncertain.is_empty(), "{:#?}", r.uncertain);
    assert_eq!(r.cells, plain.cells);
    let variants: Vec<(&str, &str, &str)> = r
        .label_variants
        .iter()
        .map(|v| (v.cell.as_str(), v.found.as_str(), v.expected.as_str()))
        .collect();
    assert_eq!(
        variants,
        [
            (
                "s3.denied_prohibited_by_law.natural_person",
                "2. 其他法律行政止公开",
                "2.其他法律行政法规禁止公开"
            ),
            (
                "s3.denied_enforcement_file.natural_person",
                "7. 属于行政执法案件",
                "7.属于行政执法案卷"
            ),
        ]
    );
    let txt002 = gongkai_check::check(&r)
        .into_iter()
        .filter(|f| f.code == "TXT002")
        .count();
    assert_eq!(txt002, 2);
    // Not close: uncertain, not guessed.
    let text = edit(&seed, "2. 其他法律行政法规禁止公开", "2. 某某某某某某某");
    let r = read_report(text.as_bytes()).unwrap();
    assert!(
        r.uncertain
            .iter()
            .any(|u| u.cell == "s3.denied_prohibited_by_law.total"),
        "{:#?}",
        r.uncertain
    );
}

/// A report whose section 三 table is not there at all: one uncertain entry (and one VAL004
/// finding) for the whole table, not one per row, and no “无法核对” from the sum rules,
/// which would have nothing to weigh.
#[test]
fn a_missing_table_is_one_finding() {
    let seed = seed_000();
    let lines: Vec<&str> = seed.lines().collect();
    // Lines 47–76 (1-based) are the section 三 table; keep its heading (line 46).
    let text: String = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !(46..76).contains(i))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    assert!(text.contains("三、收到和处理政府信息公开申请情况"));
    let r = read_report(text.as_bytes()).unwrap();
    let s3: Vec<_> = r
        .uncertain
        .iter()
        .filter(|u| u.cell.starts_with("s3."))
        .collect();
    assert_eq!(s3.len(), 175, "every cell of the table is unread");
    assert!(s3.iter().all(|u| u.reason == "没有找到第三部分的统计表"));
    let findings = gongkai_check::check(&r);
    let val004: Vec<_> = findings
        .iter()
        .filter(|f| f.code == "VAL004" && f.section == Some(3))
        .collect();
    assert_eq!(val004.len(), 1, "{val004:#?}");
    assert!(val004[0].message_zh.contains("没有找到第三部分的统计表"));
    let sums: Vec<_> = findings
        .iter()
        .filter(|f| f.code.starts_with("TAB") && f.section == Some(3))
        .collect();
    assert!(sums.is_empty(), "{sums:#?}");
    // The other tables are still read.
    assert!(!r.uncertain.iter().any(|u| u.cell.starts_with("s2.")));
}
