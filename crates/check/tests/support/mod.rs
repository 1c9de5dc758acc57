//! The fixture reports of `tests/fixtures/`, as code.
//!
//! Every rule has two checked-in fixtures: `<CODE>_fires.json`, on which the rule must
//! report at least one finding, and `<CODE>_clean.json`, on which it must report none. Both
//! are built here from one consistent base report — a county bureau's 2023 report with
//! small non-zero figures that satisfy every identity — by changing only what the rule is
//! about. The test `fixtures_match_their_generator` keeps the files and this code in step;
//! run it with `GONGKAI_UPDATE_FIXTURES=1` to rewrite the files after changing this code.

use gongkai_format::{FormatVersion, Place, SECTION_HEADINGS};
use gongkai_report::{
    Blank, Deviation, GroupTotal, LabelVariant, Location, Meta, PrintedDate, Report, Section,
    Uncertain, Value,
};
use rust_decimal::Decimal;

/// The source file name shown in rendered findings.
pub const SOURCE_NAME: &str = "某县市场监督管理局2023年政府信息公开工作年度报告.txt";

const AGENCY: &str = "某县市场监督管理局";

/// Section 一 of the base report: states the period, the year, and figures that agree with
/// the tables, next to figures that must not be compared (carried-over applications,
/// last year's accounts).
const SECTION_1: &str = "2023年，某县市场监督管理局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政务公开工作。本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。
（一）主动公开
本年度制发行政规范性文件2件，现行有效行政规范性文件10件。全面公开了2022年度部门决算信息。
（二）依申请公开
本年度共收到政府信息公开申请3件。上年结转1件，结转下年度继续办理1件。
（三）政府信息管理
严格执行“先审后发”制度，落实保密审查。
（四）政府信息公开平台建设
依托县政府网站和政务新媒体公开政府信息。
（五）监督保障
本年度因政府信息公开被申请行政复议1件，未被提起行政诉讼。";

/// A sentence of section 一 that fixtures replace to add claims of their own.
const CLOSED: &str = "严格执行“先审后发”制度，落实保密审查。";

const SECTION_5: &str = "一是主动公开的深度和广度还需拓展；二是政策解读形式较为单一。
2024年，我局将继续做好政务公开工作，认真落实《2024年政务公开工作要点》。";

const SECTION_6: &str = "本年度未收取信息处理费。";

/// Source lines of the six headings in the imagined text file.
const HEADING_LINES: [u32; 6] = [5, 17, 37, 68, 74, 77];

/// A printed date at `line`.
fn date(iso: &str, text: &str, line: u32) -> PrintedDate {
    PrintedDate {
        date: iso.into(),
        text: text.into(),
        loc: Location::Text { line, column: 1 },
    }
}

fn int(n: i64) -> Option<Value> {
    Some(Value::int(n))
}

fn dec(s: &str) -> Option<Value> {
    Some(Value(s.parse::<Decimal>().expect("decimal literal")))
}

/// Where a cell would sit in the imagined text file.
fn cell_loc(place: Place) -> Location {
    let (line, column) = match place {
        Place::S2 { row, col } => (20 + 2 * u32::from(row), 10 + 8 * u32::from(col)),
        Place::S3 { row, col } => (42 + u32::from(row), 40 + 4 * u32::from(col)),
        Place::S4 { group, col } => (71, 1 + 4 * (5 * u32::from(group) + u32::from(col))),
    };
    Location::Text { line, column }
}

/// The consistent base report: no rule fires on it.
pub fn base() -> Report {
    let mut r = Report::new(FormatVersion::Revised2021);
    for (i, def) in r.format.cells().iter().enumerate() {
        r.cells[i] = int(0);
        r.provenance[i] = Some(cell_loc(def.place));
    }
    for (id, v) in [
        ("s2.normative_documents.issued", int(2)),
        ("s2.normative_documents.in_force", int(10)),
        ("s2.licensing.decisions", int(30)),
        ("s2.penalties.decisions", int(12)),
        ("s2.fees.amount_10k_yuan", dec("1.5")),
        ("s3.new_received.natural_person", int(2)),
        ("s3.new_received.commercial", int(1)),
        ("s3.new_received.total", int(3)),
        ("s3.carried_over.natural_person", int(1)),
        ("s3.carried_over.total", int(1)),
        ("s3.granted.natural_person", int(2)),
        ("s3.granted.total", int(2)),
        ("s3.unable_not_held.commercial", int(1)),
        ("s3.unable_not_held.total", int(1)),
        ("s3.results_total.natural_person", int(2)),
        ("s3.results_total.commercial", int(1)),
        ("s3.results_total.total", int(3)),
        ("s3.carried_forward.natural_person", int(1)),
        ("s3.carried_forward.total", int(1)),
        ("s4.reconsideration.upheld", int(1)),
        ("s4.reconsideration.total", int(1)),
    ] {
        assert!(r.set(id, v), "{id}");
    }
    r.meta = Meta {
        title: Some(format!("{AGENCY}2023年政府信息公开工作年度报告")),
        agency: Some(AGENCY.into()),
        year: Some(2023),
        dates: vec![
            date("2024-01-15", "2024年1月15日", 3),
            date("2024-01-15", "2024年1月15日", 81),
        ],
        preamble: None,
        signed_by: Some(AGENCY.into()),
    };
    let texts = [SECTION_1, "", "", "", SECTION_5, SECTION_6];
    r.sections = SECTION_HEADINGS
        .iter()
        .zip(texts)
        .zip(HEADING_LINES)
        .enumerate()
        .map(|(i, (((heading, _), text), line))| Section {
            number: u8::try_from(i + 1).expect("six sections"),
            heading: (*heading).to_string(),
            text: text.to_string(),
            loc: Location::Text { line, column: 1 },
        })
        .collect();
    r
}

fn section_mut(r: &mut Report, n: u8) -> &mut Section {
    r.sections
        .iter_mut()
        .find(|s| s.number == n)
        .expect("section present")
}

/// The (fires, clean) pair of a rule, or `None` for a code this file does not know.
pub fn fixture_pair(code: &str) -> Option<(Report, Report)> {
    let clean = base();
    let mut fires = base();
    let r = &mut fires;
    match code {
        "DAT001" => {
            r.meta.dates = vec![
                date("2024-03-01", "2024年3月1日", 3),
                date("2024-03-01", "2024年3月1日", 81),
            ];
            // Published on the last day allowed.
            let mut clean = clean;
            clean.meta.dates = vec![
                date("2024-01-31", "2024年1月31日", 3),
                date("2024-01-31", "2024年1月31日", 81),
            ];
            return Some((fires, clean));
        }
        "DAT002" => {
            r.meta.dates = vec![
                date("2024-01-10", "2024年1月10日", 3),
                date("2024-01-12", "2024年1月12日", 81),
            ];
        }
        "DAT003" => r.meta.dates.clear(),
        "STR001" => {
            // The case evaluators meet: a fee section printed as 五, the problems as 六 and
            // the other matters as 七. The reader finds sections 1 to 4; the other headings
            // stay in the running text of section 4.
            r.sections.retain(|s| s.number <= 4);
            section_mut(r, 4).text = format!(
                "五、信息处理费收取情况\n{SECTION_6}\n六、存在的主要问题及改进情况\n{SECTION_5}\n七、其他需要报告的事项\n无。"
            );
            // Sub-headings numbered 一、二、 inside section 5 are not sections.
            let mut clean = clean;
            section_mut(&mut clean, 5).text =
                format!("一、存在的主要问题\n{SECTION_5}\n二、改进措施\n加强培训。");
            return Some((fires, clean));
        }
        "STR003" => section_mut(r, 5).text = "无。".into(),
        "CNT001" => {
            // An applicant's ID number and mobile number left in the narrative.
            let s = section_mut(r, 3);
            s.text.push_str(
                "\n其中申请人张某（身份证号110101199003077571，电话13912345678）申请公开拆迁补偿信息，已按期答复。",
            );
        }
        "STR002" => {
            // Last year's opening paragraph left in place under a new title.
            section_mut(r, 1).text = SECTION_1.replacen("2023年，", "2022年，", 1).replacen(
                "统计期限自2023年1月1日起至2023年12月31日止",
                "统计期限自2022年1月1日起至2022年12月31日止",
                1,
            );
        }
        "TAB001" => {
            r.set("s3.carried_forward.natural_person", int(0));
            r.set("s3.carried_forward.total", int(0));
        }
        "TAB002" => {
            r.set("s3.granted.natural_person", int(1));
            r.set("s3.granted.total", int(1));
        }
        "TAB003" => {
            r.set("s3.new_received.total", int(4));
        }
        "TAB004" => {
            r.set("s4.reconsideration.corrected", int(1));
            r.set("s4.reconsideration.total", int(3));
        }
        "TAB005" => {
            // （六）其他处理 printed as one row: 0 in every column but 自然人 and 总计.
            let items = ["other_no_correction", "other_unpaid_fee", "other_other"];
            for col in ["natural_person", "total"] {
                let cells: Vec<String> = items.iter().map(|k| format!("s3.{k}.{col}")).collect();
                for id in &cells {
                    r.set(id, None);
                }
                r.group_totals.push(GroupTotal {
                    cells,
                    value: Value::int(0),
                    label: "（六）其他处理".into(),
                    loc: Location::Text {
                        line: 62,
                        column: 40,
                    },
                });
            }
            r.deviations.push(Deviation {
                section: 3,
                message: "“（六）其他处理”印为一行合计，没有分列 1–3 项：合计数按列保留并用于核对（七）总计，3 个分项记为未印出".into(),
                message_en: "“（六）其他处理” is printed as one aggregate row without its 3 items".into(),
                cells: vec!["s3.other_other.total".into()],
                raw: "（六）其他处理 0 0 0 0 0 0 0".into(),
                loc: Location::Text {
                    line: 62,
                    column: 1,
                },
            });
        }
        "TXT001" => {
            section_mut(r, 1).text = SECTION_1
                .replacen("共收到政府信息公开申请3件", "共收到政府信息公开申请5件", 1)
                .replacen("结转下年度继续办理1件", "结转下年度继续办理2件", 1)
                .replacen("被申请行政复议1件", "被申请行政复议2件", 1)
                .replacen(CLOSED, "本局本年度办结政府信息公开申请4件。", 1);
            // The same claims stated rightly, next to decoys: a sub-unit's count, another
            // kind of item, a plan for next year.
            let mut clean = clean;
            section_mut(&mut clean, 1).text = SECTION_1.replacen(
                CLOSED,
                "本局本年度办结政府信息公开申请3件。下属市场监管所受理政府信息公开申请2件。办理人大代表建议、政协提案，办结12件。2024年，我局计划将结转下年度的1件申请尽快办结。",
                1,
            );
            return Some((fires, clean));
        }
        "TXT003" => {
            section_mut(r, 1).text = SECTION_1.replacen(CLOSED, "所有申请均已按要求办理完成。", 1);
            // Nothing carried forward: the claim is true.
            let mut clean = clean;
            for id in [
                "s3.carried_over.natural_person",
                "s3.carried_over.total",
                "s3.carried_forward.natural_person",
                "s3.carried_forward.total",
            ] {
                clean.set(id, int(0));
            }
            section_mut(&mut clean, 1).text = SECTION_1
                .replacen("上年结转1件，结转下年度继续办理1件。", "", 1)
                .replacen(
                    CLOSED,
                    "所有申请均已按要求办理完成。人大代表建议和政协提案均已办结。",
                    1,
                );
            return Some((fires, clean));
        }
        "TXT004" => {
            section_mut(r, 1).text =
                SECTION_1.replacen(CLOSED, "本局2022年度共收到政府信息公开申请3件。", 1);
            // Last year's accounts, a comparison and a plan name other years rightly.
            let mut clean = clean;
            section_mut(&mut clean, 1).text = SECTION_1.replacen(
                CLOSED,
                "发布了本局2022年度政府信息公开工作年度报告。较本局2022年度增长50%。本局2024年将继续做好政务公开工作。",
                1,
            );
            return Some((fires, clean));
        }
        "TXT005" => {
            // The ledger's draft markers and a template's XX left in place.
            section_mut(r, 1).text = SECTION_1.replacen(CLOSED, "【请填写。】", 1);
            section_mut(r, 5).text = format!("{SECTION_5}\nXX局将于20XX年X月前完成整改。");
            // Masked numbers and names, a product, X光, labels in 【】 and prose.
            let mut clean = clean;
            section_mut(&mut clean, 1).text = SECTION_1.replacen(
                CLOSED,
                "【政策解读】发布解读材料5篇。公开答复书时遮蔽身份证号（如410702********1234）和电话号码（如138XXXX5678）。王××诉本局一案已审结。采购X光机1台、3×4米展板2块。依据县政办发〔2023〕12号文件，栏目有待补充完善。",
                1,
            );
            return Some((fires, clean));
        }
        "TXT002" => r.label_variants.push(LabelVariant {
            cell: "s2.normative_documents.issued".into(),
            found: "规范性文件".into(),
            expected: "行政规范性文件".into(),
            loc: Location::Text {
                line: 22,
                column: 1,
            },
        }),
        "VAL001" => {
            r.set("s2.penalties.decisions", dec("12.5"));
            r.set("s2.normative_documents.repealed", int(-1));
        }
        "VAL002" => {
            r.set("s2.fees.amount_10k_yuan", dec("-0.5"));
        }
        "VAL003" => {
            for (id, column) in [
                ("s2.regulations.issued", 10),
                ("s2.regulations.repealed", 18),
                ("s2.regulations.in_force", 26),
            ] {
                r.set(id, None);
                r.blanks.push(Blank {
                    cell: id.into(),
                    raw: "/".into(),
                    loc: Location::Text { line: 20, column },
                });
            }
        }
        "VAL004" => r.uncertain.push(Uncertain {
            cell: "s3.granted.total".into(),
            reason: "该行数字个数与列数不符".into(),
            raw: "（一）予以公开 2 0 0 0 0 2".into(),
            loc: Location::Text {
                line: 44,
                column: 1,
            },
        }),
        _ => return None,
    }
    Some((fires, clean))
}
