//! The batch figures and the year-over-year rules treat blank and unread cells as the
//! checker does: a printed blank counts as 0, a cell the reader could not place never
//! makes an error, and a report whose 总计 column is blank is not a 0 % report.

use gongkai_batch::{Options, Prepared, run_reports};
use gongkai_check::Severity;
use gongkai_format::{APPLICANT_COLUMNS, FormatVersion};
use gongkai_report::{Blank, Location, Report, Uncertain, Value};

/// A 2021-format report of `agency` for `year`, every cell 0.
fn zero(agency: &str, year: i32) -> Report {
    let mut r = Report::new(FormatVersion::Revised2021);
    for c in &mut r.cells {
        *c = Some(Value::int(0));
    }
    r.meta.agency = Some(agency.into());
    r.meta.year = Some(year);
    r.meta.title = Some(format!("{agency}{year}年政府信息公开工作年度报告"));
    r
}

fn blank(r: &mut Report, id: &str) {
    r.set(id, None);
    r.blanks.push(Blank {
        cell: id.into(),
        raw: String::new(),
        loc: Location::None,
    });
}

fn unread(r: &mut Report, id: &str) {
    r.set(id, None);
    r.uncertain.push(Uncertain {
        cell: id.into(),
        reason: "测试".into(),
        raw: String::new(),
        loc: Location::None,
    });
}

fn set(r: &mut Report, id: &str, n: i64) {
    assert!(r.set(id, Some(Value::int(n))), "{id}");
}

fn prepared(file: &str, r: Report) -> Prepared {
    Prepared::Read {
        file: file.into(),
        report: Box::new(r),
    }
}

#[test]
fn a_blank_total_column_is_derived_not_a_zero_rate() {
    // 自然人: 3 予以公开, 1 无法提供, （七）总计 4; the 总计 column printed blank.
    let mut a = zero("甲局", 2023);
    set(&mut a, "s3.new_received.natural_person", 4);
    set(&mut a, "s3.granted.natural_person", 3);
    set(&mut a, "s3.unable_not_held.natural_person", 1);
    set(&mut a, "s3.results_total.natural_person", 4);
    for row in FormatVersion::Revised2021.s3_rows() {
        blank(&mut a, &format!("s3.{}.total", row.key));
    }
    // Nothing printed in section 三's outcome rows: not in the rates, with the reason.
    let mut b = zero("乙局", 2023);
    for row in FormatVersion::Revised2021.s3_rows() {
        if row.is_outcome || row.key == "results_total" {
            for col in APPLICANT_COLUMNS {
                blank(&mut b, &format!("s3.{}.{}", row.key, col.key));
            }
        }
    }
    // （七）总计 not read: not in the rates either.
    let mut c = zero("丙局", 2023);
    unread(&mut c, "s3.results_total.total");
    let batch = run_reports(
        &[
            prepared("a.html", a),
            prepared("b.html", b),
            prepared("c.html", c),
        ],
        &Options::default(),
    )
    .unwrap();
    let st = &batch.stats;
    assert_eq!(st.results_total, 4, "derived from the columns");
    assert_eq!(st.new_received, 4);
    assert_eq!(st.disclosure_rate, Some(0.75));
    assert_eq!(st.by_year[0].disclosure_rate, Some(0.75));
    let excluded: Vec<(&str, &str)> = st
        .rate_excluded
        .iter()
        .map(|x| (x.file.as_str(), x.reason))
        .collect();
    assert_eq!(
        excluded,
        [
            ("b.html", "（七）总计及各办理结果均为空白"),
            ("c.html", "所涉单元格未能读出")
        ]
    );
    let html = gongkai_batch::dashboard::render(&batch);
    assert!(html.contains("75.0%"), "the rate is shown");
    assert!(
        html.contains("2 份报告未计入比率（不按 0% 计）：b.html（（七）总计及各办理结果均为空白）")
    );
}

#[test]
fn year_over_year_with_an_unread_cell_is_a_warning_not_an_error() {
    let mut y22 = zero("甲局", 2022);
    unread(&mut y22, "s3.carried_forward.natural_person");
    let mut y23 = zero("甲局", 2023);
    set(&mut y23, "s3.carried_over.natural_person", 5);
    set(&mut y23, "s3.carried_over.total", 5);
    set(&mut y23, "s3.new_received.natural_person", 0);
    set(&mut y23, "s3.results_total.natural_person", 5);
    set(&mut y23, "s3.results_total.total", 5);
    set(&mut y23, "s3.granted.natural_person", 5);
    set(&mut y23, "s3.granted.total", 5);
    let batch = run_reports(
        &[prepared("2022.html", y22), prepared("2023.html", y23)],
        &Options::default(),
    )
    .unwrap();
    let yoy: Vec<_> = batch
        .batch_findings
        .iter()
        .filter(|f| f.code == "YOY001")
        .collect();
    // 自然人: unread in 2022 → a warning; 总计 column: 0 → 5 printed → an error.
    assert_eq!(yoy.len(), 2, "{yoy:#?}");
    let natural = yoy
        .iter()
        .find(|f| f.message_zh.contains("“自然人”列"))
        .expect("自然人");
    assert_eq!(natural.severity, Severity::Warning);
    assert!(
        natural.message_zh.contains("无法核对"),
        "{}",
        natural.message_zh
    );
    let total = yoy
        .iter()
        .find(|f| f.message_zh.contains("“总计”列"))
        .expect("总计");
    assert_eq!(total.severity, Severity::Error);
}

#[test]
fn a_group_printed_as_one_row_counts_in_the_outcome_bars() {
    // （六）其他处理 printed as one aggregate row: its three items absent, the printed 7 in
    // their place (as the reader leaves it: a group total over the items' cells).
    let mut r = zero("丁局", 2023);
    let other: Vec<&str> = FormatVersion::Revised2021
        .s3_rows()
        .iter()
        .filter(|row| row.group == gongkai_format::OutcomeGroup::Other)
        .map(|row| row.key)
        .collect();
    assert_eq!(other.len(), 3);
    for col in APPLICANT_COLUMNS {
        let ids: Vec<String> = other
            .iter()
            .map(|row| format!("s3.{row}.{}", col.key))
            .collect();
        for id in &ids {
            r.set(id, None);
        }
        let value = if col.key == "total" || col.key == "natural_person" {
            7
        } else {
            0
        };
        r.group_totals.push(gongkai_report::GroupTotal {
            cells: ids,
            value: Value::int(value),
            label: "（六）其他处理".into(),
            loc: Location::None,
        });
    }
    let batch = run_reports(&[prepared("d.html", r)], &Options::default()).unwrap();
    let other_bar = batch.stats.outcomes.last().unwrap();
    assert_eq!(other_bar.value, 7, "{:?}", batch.stats.outcomes);
}
