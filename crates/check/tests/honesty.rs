//! The sum rules (TAB001–TAB004) never accuse a report of what the reader missed: a cell
//! the reader left uncertain turns a broken identity into the warning “无法核对”, naming the
//! cells and what they would have to be. Printed blanks count as 0 and the message says so;
//! VAL003 reports a blank row or block once.

use gongkai_check::{Finding, Severity, check, render_text};
use gongkai_report::{Blank, Location, Report, Uncertain, Value};

#[allow(dead_code)] // the fixture generator is used by tests/rules.rs
mod support;

fn unread(r: &mut Report, id: &str) {
    r.set(id, None);
    r.uncertain.push(Uncertain {
        cell: id.into(),
        reason: "该行数字个数与列数不符".into(),
        raw: "3.其他 143".into(),
        loc: Location::Text {
            line: 62,
            column: 1,
        },
    });
}

fn of<'a>(findings: &'a [Finding], code: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.code == code).collect()
}

/// Errors of the table rules (the narrative rule TXT001 compares the base report's text,
/// written for its own figures, with the changed tables).
fn errors(findings: &[Finding]) -> Vec<&Finding> {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error && f.code.starts_with("TAB"))
        .collect()
}

/// The example: （六）其他处理 3.其他 not read, （七）总计 printed as 146 = 3 + 143.
#[test]
fn an_unread_outcome_cell_makes_a_warning_with_the_value_that_would_balance() {
    let mut r = support::base();
    r.set("s3.results_total.natural_person", Some(Value::int(145)));
    r.set("s3.results_total.total", Some(Value::int(146)));
    r.set("s3.new_received.natural_person", Some(Value::int(145)));
    r.set("s3.new_received.total", Some(Value::int(146)));
    unread(&mut r, "s3.other_other.natural_person");
    unread(&mut r, "s3.other_other.total");
    let findings = check(&r);
    assert!(errors(&findings).is_empty(), "{findings:#?}");
    let tab002 = of(&findings, "TAB002");
    assert_eq!(tab002.len(), 2, "{tab002:#?}");
    assert!(tab002.iter().all(|f| f.severity == Severity::Warning));
    assert_eq!(
        tab002[0].message_zh,
        "第三部分“自然人”列：无法核对——“（六）其他处理 3.其他”取值不确定（未能读出）；若“（六）其他处理 3.其他”为 143，则本列平衡"
    );
    assert_eq!(tab002[0].expected, Some(Value::int(143)));
    // The row 3.其他 itself cannot be checked either (TAB003), and says so.
    let tab003 = of(&findings, "TAB003");
    assert_eq!(tab003.len(), 1, "{tab003:#?}");
    assert!(
        tab003[0]
            .message_zh
            .contains("无法核对——“总计”、“自然人”取值不确定"),
        "{}",
        tab003[0].message_zh
    );
    assert_eq!(tab003[0].severity, Severity::Warning);
    // The uncertain cells themselves: VAL004 as before.
    assert_eq!(of(&findings, "VAL004").len(), 1);
}

#[test]
fn an_unread_cell_never_hides_a_printed_error_elsewhere() {
    let mut r = support::base();
    unread(&mut r, "s3.other_other.natural_person");
    // Column 商业企业 has nothing uncertain: a printed error there is still an error.
    r.set("s3.results_total.commercial", Some(Value::int(2)));
    let findings = check(&r);
    let errs = errors(&findings);
    assert!(
        errs.iter()
            .any(|f| f.code == "TAB002" && f.message_zh.contains("商业企业”列")),
        "{findings:#?}"
    );
    assert!(
        errs.iter().all(|f| f
            .cells
            .iter()
            .all(|c| c.id != "s3.other_other.natural_person")),
        "no error names the uncertain cell: {errs:#?}"
    );
}

#[test]
fn an_uncertain_cell_with_no_effect_on_the_sum_makes_no_finding_from_sum_rules() {
    // The uncertain cell read as 0 tentatively and the identity holds: nothing to report
    // but VAL004.
    let mut r = support::base();
    r.uncertain.push(Uncertain {
        cell: "s3.granted.total".into(),
        reason: "测试".into(),
        raw: String::new(),
        loc: Location::None,
    });
    let findings = check(&r);
    assert_eq!(
        findings.iter().map(|f| f.code).collect::<Vec<_>>(),
        ["VAL004"]
    );
}

#[test]
fn an_unread_cell_on_both_sides_asks_for_a_check_without_a_value() {
    let mut r = support::base();
    unread(&mut r, "s3.new_received.natural_person");
    unread(&mut r, "s3.results_total.natural_person");
    r.set("s3.carried_forward.natural_person", Some(Value::int(5)));
    let findings = check(&r);
    let tab001 = of(&findings, "TAB001");
    assert_eq!(tab001.len(), 1, "{tab001:#?}");
    let natural = tab001
        .iter()
        .find(|f| f.message_zh.contains("“自然人”列"))
        .expect("自然人 column");
    assert_eq!(natural.severity, Severity::Warning);
    assert!(
        natural.message_zh.ends_with("请对照原文核实"),
        "{natural:#?}"
    );
    assert_eq!(natural.expected, None);
}

#[test]
fn printed_blank_cells_count_as_zero_and_the_message_says_so() {
    let mut r = support::base();
    // 结转下年度 printed blank: counted as 0, so the 自然人 column is 2 + 1 ≠ 2 + 0.
    r.set("s3.carried_forward.natural_person", None);
    r.blanks.push(Blank {
        cell: "s3.carried_forward.natural_person".into(),
        raw: "/".into(),
        loc: Location::None,
    });
    let findings = check(&r);
    let tab001 = of(&findings, "TAB001");
    assert_eq!(tab001.len(), 1, "{tab001:#?}");
    assert_eq!(tab001[0].severity, Severity::Error);
    assert!(
        tab001[0]
            .message_zh
            .ends_with("相差 -1（1 个空白单元格按 0 计）"),
        "{}",
        tab001[0].message_zh
    );
}

#[test]
fn a_wholly_blank_side_is_not_checked() {
    let mut r = support::base();
    for col in ["natural_person", "commercial", "total"] {
        let id = format!("s3.results_total.{col}");
        r.set(&id, None);
        r.blanks.push(Blank {
            cell: id,
            raw: String::new(),
            loc: Location::None,
        });
    }
    let findings = check(&r);
    assert!(of(&findings, "TAB002").is_empty(), "{findings:#?}");
}

/// 25 rows × 5 法人或其他组织 columns printed blank: one VAL003 finding, not 125.
#[test]
fn blank_cells_are_reported_per_row_block() {
    let mut r = support::base();
    let format = r.format;
    let cols = [
        "commercial",
        "research",
        "social_welfare",
        "legal_service",
        "other_org",
    ];
    let rows: Vec<&str> = format.s3_rows().iter().map(|row| row.key).collect();
    for row in &rows {
        for col in cols {
            let id = format!("s3.{row}.{col}");
            r.set(&id, None);
            r.blanks.push(Blank {
                cell: id,
                raw: String::new(),
                loc: Location::None,
            });
        }
    }
    // The report's totals now equal the natural-person column; keep it consistent.
    for row in &rows {
        let np = r.get(&format!("s3.{row}.natural_person"));
        r.set(&format!("s3.{row}.total"), np);
    }
    let findings = check(&r);
    let val003 = of(&findings, "VAL003");
    assert_eq!(val003.len(), 1, "{val003:#?}");
    assert_eq!(val003[0].cells.len(), rows.len() * cols.len());
    assert_eq!(
        val003[0].message_zh,
        format!(
            "第三部分“一、本年新收政府信息公开申请数量”至“四、结转下年度继续办理”共 {} 行的“法人或其他组织 / 商业企业”“法人或其他组织 / 科研机构”“法人或其他组织 / 社会公益组织”“法人或其他组织 / 法律服务机构”“法人或其他组织 / 其他”列（{} 个单元格）：印为空白，按空值保存，合计时按 0 计",
            rows.len(),
            rows.len() * cols.len()
        )
    );
    let text = render_text(&findings, "x.txt", None, gongkai_check::Lang::Zh);
    assert!(text.contains("VAL003"));
}

/// （六）其他处理 printed as one aggregate row: its value counts in the column sums.
#[test]
fn a_group_total_stands_for_its_absent_items_in_the_column_sums() {
    use gongkai_report::GroupTotal;
    let build = |value: i64| {
        let mut r = support::base();
        r.set("s3.results_total.natural_person", Some(Value::int(145)));
        r.set("s3.results_total.total", Some(Value::int(146)));
        r.set("s3.new_received.natural_person", Some(Value::int(145)));
        r.set("s3.new_received.total", Some(Value::int(146)));
        for col in ["natural_person", "total"] {
            let cells: Vec<String> = ["other_no_correction", "other_unpaid_fee", "other_other"]
                .iter()
                .map(|k| format!("s3.{k}.{col}"))
                .collect();
            for id in &cells {
                r.set(id, None);
            }
            r.group_totals.push(GroupTotal {
                cells,
                value: Value::int(value),
                label: "（六）其他处理".into(),
                loc: Location::None,
            });
        }
        r
    };
    let findings = check(&build(143));
    assert!(errors(&findings).is_empty(), "{findings:#?}");
    let findings = check(&build(140));
    let tab002 = of(&findings, "TAB002");
    assert_eq!(tab002.len(), 2, "{findings:#?}");
    assert!(tab002.iter().all(|f| f.severity == Severity::Error));
    assert!(
        tab002[0]
            .message_zh
            .starts_with("第三部分“自然人”列：（七）总计（145）不等于各办理结果之和（142）"),
        "{}",
        tab002[0].message_zh
    );
}
