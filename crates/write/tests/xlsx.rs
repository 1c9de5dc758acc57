//! The three tables as XLSX: read the workbook back and find every cell id of
//! `template-2021-cells.tsv` at its place with its value, the merged headers of the
//! published form, no formulas, blanks as the blank marker.

use std::path::PathBuf;

use gongkai_format::FormatVersion;
use gongkai_report::{Report, Value};
use gongkai_write::Options;
use gongkai_write::xlsx::{CELL_SHEET, SHEET_NAMES, inspect, statistics};
use rust_decimal::Decimal;

fn template_ids() -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/spec/template-2021-cells.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .collect()
}

/// A report whose every cell has its own value (the index + 1), one blank and a decimal fee.
fn numbered() -> Report {
    let mut r = Report::new(FormatVersion::Revised2021);
    r.meta.agency = Some("某市=某局".into());
    r.meta.year = Some(2025);
    for (i, id) in template_ids().iter().enumerate() {
        assert!(r.set(id, Some(Value::int(i as i64 + 1))), "{id}");
    }
    r.set("s2.fees.amount_10k_yuan", Some(Value(Decimal::new(125, 2))));
    r.set("s4.litigation_direct.pending", None);
    r
}

#[test]
fn every_cell_id_stands_at_its_place_with_its_value() {
    let report = numbered();
    let bytes = statistics(&report, &Options::default()).unwrap();
    let sheets = inspect::read(&bytes).unwrap();
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [SHEET_NAMES[0], SHEET_NAMES[1], SHEET_NAMES[2], CELL_SHEET]
    );
    for s in &sheets {
        assert_eq!(s.formulas, 0, "{}: values only, no formulas", s.name);
    }
    let list = &sheets[3];
    let rows = list.rows();
    assert_eq!(list.text("A1"), "单元格");
    let ids = template_ids();
    assert_eq!(rows.len() - 1, ids.len(), "one row per cell id");
    for id in &ids {
        let row = rows
            .iter()
            .find(|r| r[0].1.as_text() == *id)
            .unwrap_or_else(|| panic!("{id} missing from the cell list"));
        let text = |col: &str| {
            row.iter()
                .find(|(a, _)| a.starts_with(col))
                .map(|(_, v)| v.as_text())
                .unwrap_or_default()
        };
        let sheet = sheets.iter().find(|s| s.name == text("C")).unwrap();
        let at = sheet
            .get(&text("D"))
            .unwrap_or_else(|| panic!("{id}: nothing at {}", text("D")));
        let expected = report.get(id).map(|v| v.0.to_string());
        match expected {
            Some(e) => {
                assert_eq!(*at, inspect::Value::Number(e.parse().unwrap()), "{id}");
                assert_eq!(text("E"), at.as_text(), "{id}");
            }
            None => assert_eq!(at.as_text(), "—", "{id} is blank"),
        }
    }
}

#[test]
fn the_headers_are_merged_as_in_the_published_form() {
    let bytes = statistics(&numbered(), &Options::default()).unwrap();
    let sheets = inspect::read(&bytes).unwrap();
    let s3 = &sheets[1];
    // Title and heading across the table; the corner (勾稽 note) over three columns and
    // three rows; 申请人情况 over the seven columns; 自然人 and 总计 down two rows;
    // 法人或其他组织 over its five.
    for range in [
        "A1:J1", "A2:J2", "A3:C5", "D3:J3", "D4:D5", "E4:I4", "J4:J5",
    ] {
        assert!(
            s3.merged.contains(&range.to_string()),
            "{range}: {:?}",
            s3.merged
        );
    }
    assert_eq!(s3.text("A1"), "某市=某局2025年政府信息公开工作年度报告");
    assert_eq!(s3.text("A2"), "三、收到和处理政府信息公开申请情况");
    assert_eq!(s3.text("D3"), "申请人情况");
    assert_eq!(s3.text("D4"), "自然人");
    assert_eq!(s3.text("E4"), "法人或其他组织");
    let orgs: Vec<String> = ["E5", "F5", "G5", "H5", "I5"]
        .iter()
        .map(|a| s3.text(a))
        .collect();
    assert_eq!(
        orgs,
        [
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他"
        ]
    );
    assert_eq!(s3.text("J4"), "总计");
    assert_eq!(s3.text("A6"), "一、本年新收政府信息公开申请数量");
    // 三、本年度办理结果 runs down the outcome rows in the first column.
    assert_eq!(s3.text("A8"), "三、本年度办理结果");
    assert!(
        s3.merged.iter().any(|m| m.starts_with("A8:A")),
        "{:?}",
        s3.merged
    );
    assert!(
        s3.merged.contains(&"B10:B17".to_string()),
        "（三）不予公开 over its 8 rows"
    );
    assert_eq!(s3.text("B10"), "（三）不予公开");

    let s4 = &sheets[2];
    for range in ["A3:E4", "F3:O3", "F4:J4", "K4:O4"] {
        assert!(
            s4.merged.contains(&range.to_string()),
            "{range}: {:?}",
            s4.merged
        );
    }
    assert_eq!(s4.text("A3"), "行政复议");
    assert_eq!(s4.text("F3"), "行政诉讼");
    assert_eq!(s4.text("F4"), "未经复议直接起诉");
    assert_eq!(s4.text("K4"), "复议后起诉");
    assert_eq!(s4.text("A5"), "结果维持");

    let s2 = &sheets[0];
    assert!(
        s2.text("A3").contains("第二十条第（一）项"),
        "{}",
        s2.text("A3")
    );
    // The fee in 万元 keeps its decimals.
    let fee = s2
        .cells
        .values()
        .filter(|v| *v == &inspect::Value::Number(1.25))
        .count();
    assert_eq!(fee, 1);
}

#[test]
fn a_seed_report_reads_back_cell_for_cell() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .min()
        .unwrap();
    let report = gongkai_read::read_report(&std::fs::read(&path).unwrap()).unwrap();
    let bytes = statistics(&report, &Options::default()).unwrap();
    let sheets = inspect::read(&bytes).unwrap();
    let list = &sheets[3];
    let mut checked = 0;
    for row in list.rows().iter().skip(1) {
        let id = row[0].1.as_text();
        let sheet = sheets
            .iter()
            .find(|s| s.name == row[2].1.as_text())
            .unwrap();
        let at = sheet.text(&row[3].1.as_text());
        match report.get(&id) {
            Some(v) => assert_eq!(at.parse::<Decimal>().unwrap(), v.0.normalize(), "{id}"),
            None => assert_eq!(at, "—", "{id}"),
        }
        checked += 1;
    }
    assert_eq!(checked, report.format.cells().len());
}
