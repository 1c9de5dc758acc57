//! Imports (导入) and opening balances on both backends: a realistic office sheet (made
//! with rust_xlsxwriter by [`write_fixture`], committed as
//! `tests/fixtures/import-ledger.xlsx`), imported twice; documents; and the first
//! year-end on a generated two-year history of which only the second year is in the
//! ledger, against an independent count and the year-over-year rules (YOY001, YOY002).

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use gongkai_ledger::import::{ImportKind, PlannedApplication, PlannedDocument, Sheet};
use gongkai_ledger::{
    Applicant, ApplicantKind, Channel, Contact, Decision, DocumentKind, DocumentRecord, EventKind,
    InformationRequest, Opening, ReplyMethod, YearEndOptions,
};
use gongkai_report::{Report, Value};
use gongkai_service::imports::{self, read_sheet};
use gongkai_service::{ErrorKind, Service};
use gongkai_store::ImportBatch;

#[macro_use]
mod common;
use common::{office, postgres, sqlite};

on_both_backends!(
    the_office_sheet_imports_once,
    documents_import_and_count,
    opening_balances_make_the_first_year_end,
    opening_carry_over_where_the_ledger_has_no_history,
    an_exported_ledger_comes_back_as_nothing_new,
);

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/import-ledger.xlsx"
);

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Writes the fixture (run with `GONGKAI_WRITE_FIXTURES=1`): a title row merged across
/// the sheet, a two-row header with merged group cells (申请人情况, 办理过程, 答复情况) and
/// cells merged over both rows; dates as date cells, as text in several forms, with
/// two-digit years and as bare Excel serial numbers; blank rows; a duplicate; a future
/// date; Chinese status words, some that cannot be read.
#[test]
fn write_fixture() {
    if std::env::var_os("GONGKAI_WRITE_FIXTURES").is_none() {
        return;
    }
    use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("2025年台账").unwrap();
    let head = Format::new().set_bold().set_align(FormatAlign::Center);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    ws.merge_range(
        0,
        0,
        0,
        11,
        "某县人民政府办公室政府信息公开申请登记台账（2025年）",
        &head,
    )
    .unwrap();
    // Two header rows: cells merged over both, and group cells over two columns.
    for (c, t) in [(0, "序号"), (3, "收到日期"), (4, "申请内容"), (11, "备注")] {
        ws.merge_range(1, c, 2, c, t, &head).unwrap();
    }
    ws.merge_range(1, 1, 1, 2, "申请人情况", &head).unwrap();
    ws.merge_range(1, 5, 1, 7, "办理过程", &head).unwrap();
    ws.merge_range(1, 8, 1, 10, "答复情况", &head).unwrap();
    for (c, t) in [
        (1, "申请人"),
        (2, "申请人类型"),
        (5, "补正"),
        (6, "补正后收到日期"),
        (7, "延期"),
        (8, "答复日期"),
        (9, "答复类型"),
        (10, "答复方式"),
    ] {
        ws.write_string_with_format(2, c, t, &head).unwrap();
    }
    enum V {
        S(&'static str),
        D(u16, u8, u8),
        N(f64),
    }
    use V::{D, N, S};
    let rows: Vec<(u32, Vec<(u16, V)>)> = vec![
        (
            3,
            vec![
                (0, N(1.0)),
                (1, S("张三")),
                (2, S("自然人")),
                (3, D(2025, 1, 6)),
                (4, S("某路段改造工程招标文件")),
                (8, D(2025, 1, 20)),
                (9, S("予以公开")),
                (10, S("邮寄")),
            ],
        ),
        (
            4,
            vec![
                (0, N(2.0)),
                (1, S("某某建设有限公司")),
                (3, S("2025/2/10")),
                (4, S("某项目环评批复")),
                (5, S("2025-02-12")),
                (6, S("2025年2月20日")),
                (8, N(45726.0)),
                (9, S("部分公开")),
                (10, S("电子邮件")),
            ],
        ),
        // row 6 blank
        (
            6,
            vec![
                (0, N(3.0)),
                (1, S("李四")),
                (2, S("公民")),
                (3, S("25-3-3")),
                (4, S("2024年度低保资金发放情况")),
                (7, S("2025.3.24")),
                (8, S("25/4/18")),
                (9, S("不予公开（保护第三方合法权益）")),
            ],
        ),
        (
            7,
            vec![
                (0, N(4.0)),
                (1, S("某某律师事务所")),
                (2, S("法律服务机构")),
                (3, N(45751.0)),
                (4, S("某案件行政处罚卷宗目录")),
                (9, S("办理中")),
            ],
        ),
        // A duplicate of row 4.
        (
            8,
            vec![
                (0, N(5.0)),
                (1, S("张三")),
                (2, S("自然人")),
                (3, S("2025-01-06")),
                (4, S("某路段改造工程招标文件")),
                (8, D(2025, 1, 20)),
                (9, S("予以公开")),
            ],
        ),
        (
            9,
            vec![
                (0, N(6.0)),
                (1, S("赵六")),
                (2, S("自然人")),
                (3, S("2098-01-05")),
                (4, S("某会议纪要")),
            ],
        ),
        (
            10,
            vec![
                (0, N(7.0)),
                (1, S("钱七")),
                (3, D(2025, 5, 6)),
                (4, S("某专项资金分配表")),
                (8, D(2025, 5, 20)),
                (9, S("已阅")),
            ],
        ),
        (
            11,
            vec![
                (0, N(8.0)),
                (1, S("孙八")),
                (3, S("2025-13-01")),
                (4, S("某规划批复")),
            ],
        ),
        (
            12,
            vec![
                (0, N(9.0)),
                (2, S("自然人")),
                (3, D(2025, 6, 1)),
                (4, S("某征收补偿方案")),
            ],
        ),
        (
            13,
            vec![
                (0, N(10.0)),
                (1, S("周九")),
                (3, D(2025, 6, 3)),
                (4, S("2019年某会议纪要")),
                (8, D(2025, 6, 10)),
                (9, S("信息不存在")),
            ],
        ),
        (
            14,
            vec![
                (0, N(11.0)),
                (1, S("吴十")),
                (3, D(2025, 7, 1)),
                (4, S("某地块控制性详细规划图")),
                (5, D(2025, 7, 3)),
                (6, D(2025, 7, 8)),
                (8, D(2025, 7, 25)),
                (9, S("同意公开")),
                (10, S("当面领取")),
            ],
        ),
        (
            15,
            vec![
                (0, N(12.0)),
                (1, S("郑十一")),
                (3, D(2025, 8, 1)),
                (4, S("某企业排污许可证")),
                (8, D(2025, 8, 5)),
                (9, S("申请人撤回")),
            ],
        ),
        // rows 17–18 blank (only the number filled in)
        (17, vec![(0, N(13.0))]),
        (
            18,
            vec![
                (0, N(14.0)),
                (1, S("冯十二")),
                (2, S("自然人")),
                (3, D(2025, 9, 1)),
                (4, S("某信访事项办理结果")),
                (8, D(2025, 9, 10)),
                (9, S("不予公开")),
            ],
        ),
    ];
    for (r, cells) in rows {
        for (c, v) in cells {
            match v {
                S(t) => ws.write_string(r, c, t).map(|_| ()),
                N(n) => ws.write_number(r, c, n).map(|_| ()),
                D(y, m, dd) => ws
                    .write_datetime_with_format(
                        r,
                        c,
                        ExcelDateTime::from_ymd(y, m, dd).unwrap(),
                        &date,
                    )
                    .map(|_| ()),
            }
            .unwrap();
        }
    }
    wb.save(FIXTURE).unwrap();
}

fn fixture() -> Sheet {
    let bytes = std::fs::read(FIXTURE).unwrap();
    read_sheet("import-ledger.xlsx", &bytes).unwrap()
}

/// The sheet's rows as imported: 7 applications; 6 rows refused, each with its reason;
/// a second import creates nothing.
async fn the_office_sheet_imports_once(svc: &Service) {
    let (li, _zhu, wang) = office(svc).await;
    let sheet = fixture();
    let none = Vec::new();
    let p = svc
        .import_preview(
            &li,
            ImportKind::Applications,
            "import-ledger.xlsx",
            &sheet,
            &none,
        )
        .await
        .unwrap();
    assert_eq!(p.columns.header_row, 2, "{:?}", p.columns);
    let rows: Vec<usize> = p.applications.iter().map(|a| a.row).collect();
    assert_eq!(rows, [4, 5, 7, 8, 14, 15, 16], "{:#?}", p.refused);
    let refused: BTreeMap<usize, String> =
        p.refused.iter().map(|r| (r.row, r.to_string())).collect();
    assert_eq!(
        refused.keys().copied().collect::<Vec<_>>(),
        [9, 10, 11, 12, 13, 19]
    );
    assert!(refused[&9].contains("与第 4 行重复"), "{}", refused[&9]);
    assert!(
        refused[&10].contains("“收到日期”列") && refused[&10].contains("晚于今天"),
        "{}",
        refused[&10]
    );
    assert!(
        refused[&11].contains("“答复类型”列") && refused[&11].contains("已阅"),
        "{}",
        refused[&11]
    );
    assert!(
        refused[&12].contains("2025-13-01") && refused[&12].contains("不是可识别的日期"),
        "{}",
        refused[&12]
    );
    assert!(refused[&13].contains("申请人为空"), "{}", refused[&13]);
    assert!(refused[&19].contains("理由"), "{}", refused[&19]);
    assert_eq!(p.blank_rows, 3);
    // Dates in every form; the 2-digit year; the serial; the outcome words.
    let by_row = |n: usize| p.applications.iter().find(|a| a.row == n).unwrap();
    assert_eq!(by_row(5).received(), d(2025, 2, 10));
    assert_eq!(by_row(5).applicant.kind, ApplicantKind::Commercial);
    assert_eq!(by_row(7).received(), d(2025, 3, 3));
    assert_eq!(by_row(8).received(), d(2025, 4, 4));
    assert_eq!(by_row(8).status_zh(), "在办");
    assert!(by_row(7).status_zh().contains("保护第三方合法权益"));
    assert!(by_row(14).status_zh().contains("本机关不掌握"));
    assert_eq!(by_row(16).status_zh(), "已撤回");

    // A clerk imports; a leader may not.
    let e = svc
        .import_sheet(
            &wang,
            ImportKind::Applications,
            "import-ledger.xlsx",
            &sheet,
            &none,
            "",
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    let (_, out) = svc
        .import_sheet(
            &li,
            ImportKind::Applications,
            "import-ledger.xlsx",
            &sheet,
            &none,
            "x",
        )
        .await
        .unwrap();
    assert_eq!(out.created.len(), 7);
    let apps = svc.store().applications().await.unwrap();
    assert_eq!(apps.len(), 7);
    let ids: Vec<&str> = apps.iter().map(|a| a.id.0.as_str()).collect();
    assert_eq!(
        ids,
        [
            "2025-0001",
            "2025-0002",
            "2025-0003",
            "2025-0004",
            "2025-0005",
            "2025-0006",
            "2025-0007"
        ]
    );
    let second = &apps[1];
    assert!(matches!(
        second.events[1].kind,
        EventKind::CorrectionRequested { .. }
    ));
    assert!(matches!(second.events[2].kind, EventKind::Corrected));
    assert_eq!(second.events.last().unwrap().date, d(2025, 3, 10));
    assert!(
        second.events[0]
            .note
            .as_deref()
            .unwrap()
            .contains("第 5 行")
    );
    // Audited, with one row per application.
    let audit = svc
        .store()
        .audit(&gongkai_store::AuditQuery::default())
        .await
        .unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.action == "application.import")
            .count(),
        7
    );
    assert_eq!(audit.iter().filter(|a| a.action == "import.run").count(), 1);

    // Twice: nothing new; the mapping was saved.
    let p2 = svc
        .import_preview(
            &li,
            ImportKind::Applications,
            "import-ledger.xlsx",
            &sheet,
            &none,
        )
        .await
        .unwrap();
    assert_eq!(p2.to_create(), 0);
    assert_eq!(p2.existing.len(), 7);
    let (_, out2) = svc
        .import_sheet(
            &li,
            ImportKind::Applications,
            "import-ledger.xlsx",
            &sheet,
            &none,
            "x",
        )
        .await
        .unwrap();
    assert!(out2.created.is_empty());
    assert_eq!(svc.store().applications().await.unwrap().len(), 7);
    let saved = svc.import_mapping(ImportKind::Applications).await.unwrap();
    assert_eq!(
        saved.columns[&gongkai_ledger::import::Field::Decision],
        "答复类型"
    );

    // The same application typed in by hand is recognised as already there too.
    let csv = "申请人,收到日期,申请内容,答复日期,办理结果\n张三,2025-01-06,某路段改造工程招标文件,2025-01-20,予以公开\n";
    let sheet = read_sheet("x.csv", csv.as_bytes()).unwrap();
    let p3 = svc
        .import_preview(&li, ImportKind::Applications, "x.csv", &sheet, &none)
        .await
        .unwrap();
    assert_eq!(p3.existing, vec![(2, "2025-0001".to_string())]);

    // A mapping the user chose: a header the recognition does not know.
    let csv = "来件人,来件日期,所需信息\n陈一,2025-10-09,某批复\n";
    let sheet = read_sheet("y.csv", csv.as_bytes()).unwrap();
    let e = svc
        .import_preview(&li, ImportKind::Applications, "y.csv", &sheet, &none)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("收到日期"), "{e}");
    let map = vec![
        imports::parse_override(ImportKind::Applications, "申请人=来件人").unwrap(),
        imports::parse_override(ImportKind::Applications, "received=来件日期").unwrap(),
    ];
    let p4 = svc
        .import_preview(&li, ImportKind::Applications, "y.csv", &sheet, &map)
        .await
        .unwrap();
    assert_eq!(p4.applications.len(), 1, "{:?}", p4.refused);
}

async fn documents_import_and_count(svc: &Service) {
    let (li, _, _) = office(svc).await;
    let csv = "类别,文件名称,文号,印发日期,废止日期\n\
               规章,某市城市绿化管理办法,某市人民政府令第12号,2019-05-01,\n\
               行政规范性文件,某县农村宅基地管理暂行规定,某政规〔2023〕1号,2023/3/1,2025-06-30\n\
               ,某县住房租赁补贴实施细则,某政规〔2025〕2号,2025年4月1日,\n\
               通知,某县关于开展某活动的通知,某政办发〔2025〕9号,2025-05-01,\n\
               行政规范性文件,某县殡葬管理规定,某政规〔2024〕3号,2024-02-30,\n";
    let sheet = read_sheet("docs.csv", csv.as_bytes()).unwrap();
    let (p, out) = svc
        .import_sheet(
            &li,
            ImportKind::Documents,
            "docs.csv",
            &sheet,
            &Vec::new(),
            "",
        )
        .await
        .unwrap();
    assert_eq!(out.created.len(), 3, "{:?}", p.refused);
    assert_eq!(p.refused.iter().map(|r| r.row).collect::<Vec<_>>(), [5, 6]);
    assert!(
        p.refused[0]
            .to_string()
            .contains("不是规章或行政规范性文件")
    );
    let ye = svc
        .store()
        .year_end(YearEndOptions::year(2025))
        .await
        .unwrap();
    // [规章, 规范性文件][制发, 废止, 现行有效]
    assert_eq!(ye.figures.documents, [[0, 0, 1], [1, 1, 1]]);
    let (_, again) = svc
        .import_sheet(
            &li,
            ImportKind::Documents,
            "docs.csv",
            &sheet,
            &Vec::new(),
            "",
        )
        .await
        .unwrap();
    assert!(again.created.is_empty());
}

// ---- a generated two-year history ----------------------------------------------------

struct TrueApp {
    received: NaiveDate,
    kind: ApplicantKind,
    closed: Option<(NaiveDate, Decision)>,
}

struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn history() -> (Vec<TrueApp>, Vec<DocumentRecord>) {
    let mut r = Lcg(20_250_101);
    let mut apps = Vec::new();
    for _ in 0..160 {
        let received = d(2024, 1, 2) + Days::new(r.next(728));
        let kind = ApplicantKind::ALL_FOR_TEST[r.next(6) as usize];
        let closed = (r.next(10) < 8).then(|| {
            let x = received + Days::new(1 + r.next(40));
            let dec = if r.next(3) == 0 {
                Decision::UnableNotHeld
            } else {
                Decision::Granted
            };
            (x, dec)
        });
        let closed = closed.filter(|(x, _)| *x <= d(2025, 12, 31));
        apps.push(TrueApp {
            received,
            kind,
            closed,
        });
    }
    let mut docs = Vec::new();
    for i in 0..40 {
        let issued = d(2016, 1, 4) + Days::new(r.next(3650));
        let repealed = (r.next(4) == 0)
            .then(|| issued + Days::new(30 + r.next(1500)))
            .filter(|x| *x <= d(2025, 12, 31));
        docs.push(DocumentRecord {
            kind: if r.next(5) == 0 {
                DocumentKind::Regulation
            } else {
                DocumentKind::NormativeDocument
            },
            title: format!("生成文件{i}"),
            number: None,
            issued_on: issued,
            repealed_on: repealed,
        });
    }
    (apps, docs)
}

trait AllKinds {
    const ALL_FOR_TEST: [ApplicantKind; 6];
}
impl AllKinds for ApplicantKind {
    const ALL_FOR_TEST: [ApplicantKind; 6] = [
        ApplicantKind::NaturalPerson,
        ApplicantKind::Commercial,
        ApplicantKind::Research,
        ApplicantKind::SocialWelfare,
        ApplicantKind::LegalService,
        ApplicantKind::OtherOrganisation,
    ];
}

/// The independent count of year `y`: 一, 二, 三 (granted, not held), 四 per column; the
/// documents' [issued, repealed, in force] per kind.
struct Count {
    new: [u64; 7],
    over: [u64; 7],
    granted: [u64; 7],
    not_held: [u64; 7],
    forward: [u64; 7],
    docs: [[u64; 3]; 2],
}

fn count(apps: &[TrueApp], docs: &[DocumentRecord], y: i32) -> Count {
    let (first, last) = (d(y, 1, 1), d(y, 12, 31));
    let mut c = Count {
        new: [0; 7],
        over: [0; 7],
        granted: [0; 7],
        not_held: [0; 7],
        forward: [0; 7],
        docs: [[0; 3]; 2],
    };
    let add = |row: &mut [u64; 7], col: usize| {
        row[col] += 1;
        row[6] += 1;
    };
    for a in apps {
        let col = a.kind.column();
        let closed_on = a.closed.map(|c| c.0);
        if a.received > last || closed_on.is_some_and(|x| x < first) {
            continue;
        }
        if a.received >= first {
            add(&mut c.new, col);
        } else {
            add(&mut c.over, col);
        }
        match a.closed {
            Some((x, dec)) if x <= last => match dec {
                Decision::Granted => add(&mut c.granted, col),
                _ => add(&mut c.not_held, col),
            },
            _ => add(&mut c.forward, col),
        }
    }
    for doc in docs {
        let k = usize::from(doc.kind == DocumentKind::NormativeDocument);
        if first <= doc.issued_on && doc.issued_on <= last {
            c.docs[k][0] += 1;
        }
        if doc.repealed_on.is_some_and(|r| first <= r && r <= last) {
            c.docs[k][1] += 1;
        }
        if doc.issued_on <= last && doc.repealed_on.is_none_or(|r| r > last) {
            c.docs[k][2] += 1;
        }
    }
    c
}

fn planned(i: usize, a: &TrueApp) -> PlannedApplication {
    let mut events = vec![(
        a.received,
        EventKind::Received {
            channel: Channel::InPerson { oral: false },
        },
        None,
    )];
    if let Some((x, dec)) = a.closed {
        events.push((x, EventKind::Decided { decision: dec }, None));
        events.push((
            x,
            EventKind::ReplySent {
                method: ReplyMethod::Post,
            },
            None,
        ));
    }
    PlannedApplication {
        row: i + 2,
        key: format!("生成|{i}"),
        number: None,
        applicant: Applicant {
            kind: a.kind,
            name: format!("申请人{i}"),
            identity: None,
            contact: Contact::default(),
            representative: None,
        },
        request: InformationRequest {
            description: format!("某信息{i}"),
            document_number: None,
            form: Default::default(),
            delivery: Default::default(),
            fee_units: 1,
        },
        events,
    }
}

/// Last year's report as published (the figures the opening balances come from, and the
/// year N−1 side of the year-over-year rules).
fn published(agency: &str, y: i32, c: &Count) -> Report {
    let mut r = Report::new(gongkai_format::FormatVersion::Revised2021);
    for (k, key) in ["regulations", "normative_documents"].iter().enumerate() {
        for (i, col) in ["issued", "repealed", "in_force"].iter().enumerate() {
            r.set(
                &format!("s2.{key}.{col}"),
                Some(Value::int(c.docs[k][i] as i64)),
            );
        }
    }
    for (i, col) in gongkai_format::APPLICANT_COLUMNS.iter().enumerate() {
        r.set(
            &format!("s3.carried_forward.{}", col.key),
            Some(Value::int(c.forward[i] as i64)),
        );
        r.set(
            &format!("s3.new_received.{}", col.key),
            Some(Value::int(c.new[i] as i64)),
        );
        r.set(
            &format!("s3.carried_over.{}", col.key),
            Some(Value::int(c.over[i] as i64)),
        );
    }
    r.meta.title = Some(format!("{agency}{y}年政府信息公开工作年度报告"));
    r.meta.agency = Some(agency.to_string());
    r.meta.year = Some(y);
    r
}

fn yoy_codes(prev: &Report, cur: &Report) -> Vec<&'static str> {
    use gongkai_batch::Prepared;
    let items = [
        Prepared::Read {
            file: "2024.json".into(),
            report: Box::new(prev.clone()),
        },
        Prepared::Read {
            file: "2025.json".into(),
            report: Box::new(cur.clone()),
        },
    ];
    let batch = gongkai_batch::run_reports(&items, &Default::default()).unwrap();
    batch
        .batch_findings
        .iter()
        .map(|f| f.code)
        .filter(|c| c.starts_with("YOY00") && *c != "YOY003" && *c != "YOY004")
        .collect()
}

async fn opening_balances_make_the_first_year_end(svc: &Service) {
    let (li, _, _) = office(svc).await;
    let (apps, docs) = history();
    let c24 = count(&apps, &docs, 2024);
    let c25 = count(&apps, &docs, 2025);
    assert!(
        c24.forward[6] > 0 && c25.over[6] == c24.forward[6],
        "a history with a carry-over"
    );

    // Last year's report gives the opening balances, read as the front ends read it.
    let last_year = published("某市某局", 2024, &c24);
    let opening = imports::opening_from_report(&last_year, None, "2024年报.html").unwrap();
    assert_eq!(opening.carried_forward, c24.forward);
    svc.set_opening(&li, Some(&opening)).await.unwrap();

    // Year 2 in the ledger: the applications received in 2025, and 2024's open ones with
    // their receipt dates (the office's sheet of open applications); the documents issued
    // in 2025 and the older ones repealed in 2025.
    let cut = d(2025, 1, 1);
    let mut batch = ImportBatch {
        source: "gen".into(),
        ..Default::default()
    };
    for (i, a) in apps.iter().enumerate() {
        let open_at_cut = a.closed.is_none_or(|(x, _)| x >= cut);
        if a.received >= cut || open_at_cut {
            batch.applications.push(planned(i, a));
        }
    }
    for (i, doc) in docs.iter().enumerate() {
        if doc.issued_on >= cut || doc.repealed_on.is_some_and(|r| r >= cut) {
            batch.documents.push(PlannedDocument {
                row: i + 2,
                key: format!("生成文件|{i}"),
                record: doc.clone(),
            });
        }
    }
    svc.store()
        .import(&batch, &common_stamp(&li))
        .await
        .unwrap();

    let ye = svc
        .store()
        .year_end(YearEndOptions::year(2025))
        .await
        .unwrap();
    let f = &ye.figures;
    assert_eq!(f.new_received, c25.new);
    assert_eq!(f.carried_over, c25.over);
    assert_eq!(f.outcomes[Decision::Granted.index()], c25.granted);
    assert_eq!(f.outcomes[Decision::UnableNotHeld.index()], c25.not_held);
    assert_eq!(f.carried_forward, c25.forward);
    assert_eq!(f.documents, c25.docs, "现行有效 from the opening balances");
    assert!(
        ye.warnings
            .iter()
            .any(|w| w.contains("现行有效件数以期初数为基础")),
        "{:?}",
        ye.warnings
    );
    assert!(
        yoy_codes(&last_year, &ye.report).is_empty(),
        "YOY001/YOY002 confirm the carry-over"
    );

    // Without the opening balances the in-force count is the ledger's few documents and
    // the year-over-year rule says so.
    svc.set_opening(&li, None).await.unwrap();
    let ye = svc
        .store()
        .year_end(YearEndOptions::year(2025))
        .await
        .unwrap();
    assert_ne!(ye.figures.documents, c25.docs);
    assert!(yoy_codes(&last_year, &ye.report).contains(&"YOY002"));
}

/// Only 2025's receipts in the ledger: 二 is the opening 四, the explanation says so,
/// and the table still balances.
async fn opening_carry_over_where_the_ledger_has_no_history(svc: &Service) {
    let (li, _, _) = office(svc).await;
    let (apps, docs) = history();
    let c24 = count(&apps, &docs, 2024);
    let c25 = count(&apps, &docs, 2025);
    let opening = Opening {
        year: 2024,
        carried_forward: c24.forward,
        in_force: [c24.docs[0][2], c24.docs[1][2]],
        source: String::new(),
    };
    svc.set_opening(&li, Some(&opening)).await.unwrap();
    let mut batch = ImportBatch {
        source: "gen".into(),
        ..Default::default()
    };
    for (i, a) in apps
        .iter()
        .enumerate()
        .filter(|(_, a)| a.received.year() == 2025)
    {
        batch.applications.push(planned(i, a));
    }
    svc.store()
        .import(&batch, &common_stamp(&li))
        .await
        .unwrap();
    let ye = svc
        .store()
        .year_end(YearEndOptions::year(2025))
        .await
        .unwrap();
    let f = &ye.figures;
    assert_eq!(f.carried_over, c25.over);
    assert_eq!(f.new_received, c25.new);
    for col in 0..7 {
        assert_eq!(
            f.new_received[col] + f.carried_over[col],
            f.results_total[col] + f.carried_forward[col]
        );
    }
    assert!(
        ye.warnings.iter().any(|w| w.contains("取自期初数")),
        "{:?}",
        ye.warnings
    );
    // Not for the year after: its 二 is the ledger's.
    let ye26 = svc
        .store()
        .year_end(YearEndOptions::year(2026))
        .await
        .unwrap();
    assert!(!ye26.warnings.iter().any(|w| w.contains("取自期初数")));
    // Figures that do not add up are refused.
    let bad = Opening {
        carried_forward: [1, 0, 0, 0, 0, 0, 2],
        ..opening
    };
    assert_eq!(
        svc.set_opening(&li, Some(&bad)).await.unwrap_err().kind(),
        ErrorKind::Invalid
    );
}

fn common_stamp(actor: &gongkai_service::Actor) -> gongkai_store::Stamp {
    actor.stamp()
}

/// Issue 20, the round trip: the ledger exported (XLSX and CSV, the standard and the full
/// column sets) and imported again creates nothing and refuses nothing; imported into an
/// empty ledger it makes the same applications, whose own export is the same sheet but
/// for the numbers.
async fn an_exported_ledger_comes_back_as_nothing_new(svc: &Service) {
    use gongkai_service::ListFilter;
    use gongkai_service::exports::ExportFormat;
    let (li, _zhu, _wang) = office(svc).await;
    let none = Vec::new();
    let (_, first) = svc
        .import_sheet(
            &li,
            ImportKind::Applications,
            "import-ledger.xlsx",
            &fixture(),
            &none,
            "fixture",
        )
        .await
        .unwrap();
    let n = first.created.len();
    assert_eq!(n, 7);
    for (set, format) in [
        ("标准", ExportFormat::Xlsx),
        ("全部", ExportFormat::Xlsx),
        ("标准", ExportFormat::Csv),
    ] {
        let export = svc
            .export_ledger(&li, &ListFilter::all(), Some(set), format)
            .await
            .unwrap();
        assert_eq!(export.rows, n);
        let back = read_sheet(&export.file_name, &export.bytes).unwrap();
        let p = svc
            .import_preview(
                &li,
                ImportKind::Applications,
                &export.file_name,
                &back,
                &none,
            )
            .await
            .unwrap();
        assert!(p.refused.is_empty(), "{set} {format:?}: {:#?}", p.refused);
        assert_eq!(p.to_create(), 0, "{set} {format:?}: {:#?}", p.applications);
        assert_eq!(p.existing.len(), n, "{set} {format:?}");
    }

    // Into an empty ledger: the same applications.
    let csv = |svc: &Service, who: &gongkai_service::Actor| {
        let svc = svc.clone();
        let who = who.clone();
        async move {
            let e = svc
                .export_ledger(&who, &ListFilter::all(), Some("标准"), ExportFormat::Csv)
                .await
                .unwrap();
            read_sheet(&e.file_name, &e.bytes).unwrap()
        }
    };
    let exported = csv(svc, &li).await;
    let fresh = common::sqlite().await;
    let (li2, _, _) = office(&fresh.service).await;
    let (p, o) = fresh
        .service
        .import_sheet(
            &li2,
            ImportKind::Applications,
            "台账.csv",
            &exported,
            &none,
            "export",
        )
        .await
        .unwrap();
    assert!(p.refused.is_empty(), "{:#?}", p.refused);
    assert_eq!(o.created.len(), n);
    let again = csv(&fresh.service, &li2).await;
    // Every column but 编号 (the first), as text, in the list's order.
    let body = |s: &Sheet| -> Vec<Vec<String>> {
        s.rows
            .iter()
            .map(|r| r.iter().skip(1).map(|c| format!("{c:?}")).collect())
            .collect()
    };
    assert_eq!(exported.rows[0], again.rows[0], "the same header");
    assert_eq!(body(&exported), body(&again));
    fresh.finish().await;
}
