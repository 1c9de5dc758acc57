//! The five seed reports, read cell by cell against values transcribed by hand from the
//! seed files in `../shared/seeds/` (every one of the 200 cells of each seed).

use std::path::PathBuf;

use gongkai_format::FormatVersion;
use gongkai_report::{Location, Report, Value};

fn seeds_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds")
}

fn read_seed(prefix: &str) -> Report {
    let dir = seeds_dir();
    let entry = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("seed {prefix} not found in {}", dir.display()));
    let bytes = std::fs::read(&entry).unwrap();
    gongkai_read::read_report(&bytes).unwrap_or_else(|e| panic!("{}: {e}", entry.display()))
}

/// Expected value of every cell: zero unless listed. `None` = blank (null).
fn expected(overrides: &[(&str, Option<&str>)]) -> Vec<(String, Option<Value>)> {
    let f = FormatVersion::Revised2021;
    for (id, _) in overrides {
        assert!(f.cell(id).is_some(), "no cell {id}");
    }
    f.cells()
        .iter()
        .map(|d| {
            let v = match overrides.iter().find(|(id, _)| *id == d.id) {
                Some((_, v)) => v.map(|s| gongkai_report::parse_number(s).unwrap()),
                None => Some(Value::int(0)),
            };
            (d.id.clone(), v)
        })
        .collect()
}

fn assert_cells(report: &Report, want: &[(String, Option<Value>)]) {
    assert_eq!(report.format, FormatVersion::Revised2021);
    assert_eq!(want.len(), 200);
    let mut wrong = Vec::new();
    for (id, v) in want {
        let got = report.get(id);
        if got != *v {
            wrong.push(format!("{id}: want {v:?}, got {got:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong cells:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

fn headings(report: &Report) -> Vec<(u8, &str)> {
    report
        .sections
        .iter()
        .map(|s| (s.number, s.heading.as_str()))
        .collect()
}

const HEADINGS: [(u8, &str); 6] = [
    (1, "一、总体情况"),
    (2, "二、主动公开政府信息情况"),
    (3, "三、收到和处理政府信息公开申请情况"),
    (4, "四、政府信息公开行政复议、行政诉讼情况"),
    (5, "五、存在的主要问题及改进情况"),
    (6, "六、其他需要报告的事项"),
];

fn line_of(report: &Report, id: &str) -> u32 {
    let idx = report.format.cell(id).unwrap();
    match report.location(idx) {
        Some(Location::Text { line, .. }) => line,
        other => panic!("{id}: no text location: {other:?}"),
    }
}

fn assert_clean_reading(report: &Report) {
    assert!(report.uncertain.is_empty(), "{:#?}", report.uncertain);
    assert!(report.blanks.is_empty(), "{:#?}", report.blanks);
    for (i, p) in report.provenance.iter().enumerate() {
        assert!(
            p.is_some(),
            "{} has no provenance",
            report.format.cells()[i].id
        );
    }
}

#[test]
fn seed_000_hongmen() {
    let r = read_seed("000_");
    assert_cells(
        &r,
        &expected(&[
            ("s3.new_received.natural_person", Some("2")),
            ("s3.new_received.total", Some("2")),
            ("s3.unable_not_held.natural_person", Some("1")),
            ("s3.unable_not_held.total", Some("1")),
            ("s3.other_other.natural_person", Some("1")),
            ("s3.other_other.total", Some("1")),
            ("s3.results_total.natural_person", Some("2")),
            ("s3.results_total.total", Some("2")),
            ("s4.litigation_direct.other", Some("2")),
            ("s4.litigation_direct.total", Some("2")),
        ]),
    );
    assert_clean_reading(&r);
    assert_eq!(r.meta.agency.as_deref(), Some("红旗区洪门镇"));
    assert_eq!(r.meta.year, Some(2023));
    assert!(r.meta.dates.is_empty());
    assert_eq!(headings(&r), HEADINGS);
    // Provenance: line numbers in the seed file.
    assert_eq!(line_of(&r, "s2.regulations.issued"), 33);
    assert_eq!(line_of(&r, "s3.new_received.total"), 51);
    assert_eq!(line_of(&r, "s3.rejected_confirmation.total"), 70);
    assert_eq!(line_of(&r, "s3.other_other.total"), 73);
    assert_eq!(line_of(&r, "s4.litigation_direct.total"), 82);
    assert!(
        r.section(6)
            .unwrap()
            .text
            .contains("未向申请人收取任何费用")
    );
}

#[test]
fn seed_001_yanjin() {
    let r = read_seed("001_");
    assert_cells(
        &r,
        &expected(&[
            ("s2.normative_documents.issued", Some("11")),
            ("s2.normative_documents.in_force", Some("119")),
            ("s2.penalties.decisions", Some("5")),
            ("s2.fees.amount_10k_yuan", Some("110.139")),
        ]),
    );
    assert_clean_reading(&r);
    assert_eq!(
        r.get("s2.fees.amount_10k_yuan").unwrap().to_string(),
        "110.139"
    );
    assert_eq!(r.meta.agency.as_deref(), Some("延津县人民政府办公室"));
    assert_eq!(r.meta.year, Some(2023));
    assert_eq!(headings(&r), HEADINGS);
    assert_eq!(line_of(&r, "s2.fees.amount_10k_yuan"), 32);
    assert_eq!(line_of(&r, "s4.reconsideration.upheld"), 70);
}

#[test]
fn seed_002_baiquan_one_cell_per_line() {
    let r = read_seed("002_");
    assert_cells(&r, &expected(&[]));
    assert_clean_reading(&r);
    assert_eq!(r.meta.agency.as_deref(), Some("百泉镇"));
    assert_eq!(r.meta.year, Some(2023));
    assert_eq!(r.meta.signed_by.as_deref(), Some("百泉镇人民政府"));
    let dates: Vec<&str> = r.meta.dates.iter().map(|d| d.date.as_str()).collect();
    assert_eq!(dates, ["2024-01-17"]);
    assert_eq!(headings(&r), HEADINGS);
    // `规范性文件` where the format says `行政规范性文件`.
    assert_eq!(r.label_variants.len(), 1);
    assert_eq!(r.label_variants[0].found, "规范性文件");
    assert_eq!(r.label_variants[0].expected, "行政规范性文件");
    assert_eq!(line_of(&r, "s2.normative_documents.issued"), 24);
    assert_eq!(line_of(&r, "s3.new_received.natural_person"), 76);
    assert_eq!(line_of(&r, "s3.carried_forward.total"), 339);
    assert_eq!(line_of(&r, "s4.reconsideration.upheld"), 373);
    assert_eq!(
        line_of(&r, "s4.litigation_after_reconsideration.total"),
        387
    );
    assert_eq!(r.section(6).unwrap().text, "无。");
}

#[test]
fn seed_003_suifenhe_two_dates() {
    let r = read_seed("003_");
    assert_cells(&r, &expected(&[]));
    assert_clean_reading(&r);
    assert_eq!(r.meta.agency.as_deref(), Some("绥芬河市绥芬河镇人民政府"));
    assert_eq!(r.meta.year, Some(2023));
    let dates: Vec<&str> = r.meta.dates.iter().map(|d| d.date.as_str()).collect();
    assert_eq!(dates, ["2024-01-10", "2024-01-12"]);
    assert_eq!(
        r.meta.signed_by.as_deref(),
        Some("绥芬河市绥芬河镇人民政府")
    );
    assert_eq!(headings(&r), HEADINGS);
    // `三、本 年度办 理结果` spaced apart; `4.保护第三方合法权益` shifted left.
    assert_eq!(line_of(&r, "s3.granted.total"), 59);
    assert_eq!(line_of(&r, "s3.denied_third_party.natural_person"), 64);
    assert!(!r.section(6).unwrap().text.contains("2024"));
}

#[test]
fn seed_004_touying_ambiguous_appeals_row() {
    let r = read_seed("004_");
    let mut want = Vec::new();
    let s4: Vec<String> = FormatVersion::Revised2021
        .cells()
        .iter()
        .filter(|d| d.section == 4)
        .map(|d| d.id.clone())
        .collect();
    for id in &s4 {
        want.push((id.as_str(), None));
    }
    assert_cells(&r, &expected(&want));
    // The appeals row (five blank fields, then eleven zeros) cannot be placed: all 15
    // cells are uncertain, none guessed.
    assert_eq!(r.uncertain.len(), 15);
    for id in &s4 {
        assert!(r.is_uncertain(id), "{id} not flagged");
    }
    assert!(r.uncertain.iter().all(|u| u.loc.line() == Some(88)));
    assert!(r.blanks.is_empty());
    assert_eq!(r.meta.agency.as_deref(), Some("原州区头营镇"));
    assert_eq!(r.meta.year, Some(2023));
    assert_eq!(headings(&r), HEADINGS);
    // Wrapped label `2.申请人逾期未按收费通知要求缴` / `纳费用…` / `信息公开申请`.
    assert_eq!(line_of(&r, "s3.other_unpaid_fee.total"), 75);
    assert_eq!(line_of(&r, "s3.other_other.total"), 79);
    assert_eq!(line_of(&r, "s2.licensing.decisions"), 38);
}
