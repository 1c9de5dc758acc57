//! The ledger as XLSX and CSV (the list's filters, the column sets saved in the store) and
//! the year's tables as XLSX, on both backends; every export audited.

use gongkai_service::exports::ExportFormat;
use gongkai_store::AuditQuery;
use gongkai_write::xlsx::inspect::{self, Value as X};

use super::*;

on_both_backends!(
    the_export_has_every_date_and_follows_the_filters,
    column_sets_are_saved_replaced_and_deleted,
    the_year_tables_are_the_official_figures,
);

fn csv_lines(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a BOM for Excel");
    text.lines().map(str::to_string).collect()
}

/// 王五: received long ago, corrected, extended, decided, replied (approved); 赵六:
/// received long ago, open and overdue; `=HYPERLINK(…)`: received three days ago.
async fn three_applications(svc: &Service, (li, zhu, wang): (&Actor, &Actor, &Actor)) -> NaiveDate {
    let long_ago = today() - Duration::days(400);
    let complete = EventDraft::complete;
    let a = svc
        .register(
            li,
            new_application("王五", "410702199001011234", long_ago, 1),
        )
        .await
        .unwrap()
        .application
        .id;
    for (day, kind) in [
        (
            1,
            EventKind::CorrectionRequested {
                items: "请说明所需信息的名称".into(),
                due: long_ago + Duration::days(10),
            },
        ),
        (3, EventKind::Corrected),
    ] {
        svc.append_event(li, &a, complete(long_ago + Duration::days(day), kind, None))
            .await
            .unwrap();
    }
    svc.append_event(
        li,
        &a,
        EventDraft {
            date: long_ago + Duration::days(10),
            kind: DraftKind::Extended {
                days: 20,
                approved_by: "朱红".into(),
                applicant_notified_on: None,
            },
            note: None,
        },
    )
    .await
    .unwrap();
    let decided = EventKind::Decided {
        decision: Decision::Granted,
    };
    svc.append_event(
        li,
        &a,
        complete(long_ago + Duration::days(12), decided, None),
    )
    .await
    .unwrap();
    approve_reply(svc, (li, zhu, wang), &a).await;
    let sent = EventKind::ReplySent {
        method: gongkai_ledger::ReplyMethod::Post,
    };
    svc.append_event(li, &a, complete(long_ago + Duration::days(14), sent, None))
        .await
        .unwrap();
    svc.register(
        li,
        new_application("赵六", "410702199202021234", long_ago, 1),
    )
    .await
    .unwrap();
    svc.register(
        li,
        new_application(
            "=HYPERLINK(\"http://x\",\"点我\")",
            "410702199303031234",
            today() - Duration::days(3),
            1,
        ),
    )
    .await
    .unwrap();
    long_ago
}

async fn the_export_has_every_date_and_follows_the_filters(svc: &Service) {
    let (li, zhu, wang) = office(svc).await;
    let long_ago = three_applications(svc, (&li, &zhu, &wang)).await;
    let day = |n: i64| {
        (long_ago + Duration::days(n))
            .format("%Y-%m-%d")
            .to_string()
    };

    // 孙八 withdrew two days after receipt.
    let sun = svc
        .register(
            &li,
            new_application("孙八", "410702199404041234", long_ago, 1),
        )
        .await
        .unwrap()
        .application
        .id;
    let withdrawn = EventKind::Withdrawn { reason: None };
    svc.append_event(
        &li,
        &sun,
        EventDraft::complete(long_ago + Duration::days(2), withdrawn, None),
    )
    .await
    .unwrap();

    // CSV of the closed ones, the standard set: 王五 with every date, then 孙八.
    let closed = ListFilter {
        status: ListStatus::Closed,
        ..ListFilter::default()
    };
    let e = svc
        .export_ledger(&li, &closed, None, ExportFormat::Csv)
        .await
        .unwrap();
    assert_eq!(e.rows, 2);
    assert!(e.file_name.ends_with(".csv"), "{}", e.file_name);
    let lines = csv_lines(&e.bytes);
    assert_eq!(
        lines[0],
        "编号,申请人,申请人类型,申请内容,提交方式,收到日期,补正,补正后收到日期,延期,延长工作日数,\
         法定答复期限,答复期限,决定日期,办理结果,答复日期,答复方式,办理阶段,是否超期,逾期答复"
    );
    assert_eq!(lines.len(), 3, "{lines:?}");
    let cells: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(cells[1], "王五");
    assert_eq!(cells[2], "自然人");
    assert_eq!(cells[3], "某项目的环评批复");
    assert_eq!(cells[5], day(0), "收到日期");
    assert_eq!(cells[6], day(1), "补正（告知）");
    assert_eq!(cells[7], day(3), "补正后收到日期");
    assert_eq!(cells[8], day(10), "延期");
    assert_eq!(cells[9], "20", "延长工作日数");
    assert!(
        cells[10] > day(3).as_str() && cells[11] > cells[10],
        "{cells:?}"
    );
    assert_eq!(cells[12], day(12), "决定日期");
    assert_eq!(cells[13], "予以公开");
    assert_eq!(cells[14], day(14), "答复日期");
    assert_eq!(cells[15], "邮寄");
    assert_eq!(cells[16], "已办结");
    assert_eq!(&cells[17..], ["否", "否"]);
    // A withdrawal: its outcome and closing date, as an import reads them back.
    let cells: Vec<&str> = lines[2].split(',').collect();
    assert_eq!(cells[1], "孙八");
    assert_eq!(cells[13], "申请人撤回");
    assert_eq!(cells[14], day(2));
    assert_eq!(cells[15], "", "no reply sent");
    assert_eq!(&cells[17..], ["否", ""], "逾期答复 only for a reply");

    // XLSX of all, chosen columns: the formula-looking name stays text; 赵六 is overdue; the
    // clerk sees identity numbers in full.
    let all = ListFilter::all();
    let e = svc
        .export_ledger(
            &li,
            &all,
            Some("编号,申请人,证件号码,是否超期"),
            ExportFormat::Xlsx,
        )
        .await
        .unwrap();
    assert_eq!(e.rows, 4);
    let sheet = &inspect::read(&e.bytes).unwrap()[0];
    assert_eq!(sheet.formulas, 0);
    let rows = sheet.rows();
    let header: Vec<String> = rows[0].iter().map(|c| c.1.as_text()).collect();
    assert_eq!(header, ["编号", "申请人", "证件号码", "是否超期"]);
    assert_eq!(rows.len(), 5);
    let by_name = |name: &str| {
        rows.iter()
            .find(|r| r[1].1.as_text() == name)
            .unwrap_or_else(|| panic!("{name}: {rows:?}"))
            .clone()
    };
    let hyper = by_name("=HYPERLINK(\"http://x\",\"点我\")");
    assert_eq!(
        hyper[1].1,
        X::Text("=HYPERLINK(\"http://x\",\"点我\")".into())
    );
    assert_eq!(hyper[2].1.as_text(), "410702199303031234");
    assert_eq!(by_name("赵六")[3].1.as_text(), "是");
    assert_eq!(by_name("王五")[3].1.as_text(), "否");

    // The same CSV guards the name; the administrator sees masked numbers.
    let admin = svc.actor("admin", Via::Web).await.unwrap();
    let e = svc
        .export_ledger(&admin, &all, Some("申请人,证件号码"), ExportFormat::Csv)
        .await
        .unwrap();
    let text = csv_lines(&e.bytes).join("\n");
    assert!(text.contains("\"'=HYPERLINK("), "{text}");
    assert!(!text.contains("410702199303031234"), "{text}");
    assert!(text.contains("410702********1234"), "{text}");

    // Search and overdue filters as on the list.
    let e = svc
        .export_ledger(
            &li,
            &ListFilter {
                search: Some("赵六".into()),
                ..ListFilter::all()
            },
            Some("申请人"),
            ExportFormat::Csv,
        )
        .await
        .unwrap();
    assert_eq!(csv_lines(&e.bytes), ["申请人", "赵六"]);
    let overdue = ListFilter {
        overdue: true,
        ..ListFilter::all()
    };
    let e = svc
        .export_ledger(&li, &overdue, Some("申请人"), ExportFormat::Xlsx)
        .await
        .unwrap();
    assert_eq!(e.rows, 1);
    // Paging of the list does not cut the export.
    let paged = ListFilter {
        limit: Some(1),
        offset: 1,
        ..ListFilter::all()
    };
    let e = svc
        .export_ledger(&li, &paged, Some("申请人"), ExportFormat::Csv)
        .await
        .unwrap();
    assert_eq!(e.rows, 4);

    // Every export is a download in the audit log, with its filter and columns.
    let rows = svc
        .store()
        .audit(&AuditQuery {
            action: Some("download".into()),
            subject_kind: Some("ledger".into()),
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(rows.len(), 6);
    let first = rows
        .iter()
        .find(|r| r.detail["filter"]["status"] == "closed")
        .unwrap();
    assert_eq!(first.actor, "li");
    assert_eq!(first.detail["format"], "csv");
    assert_eq!(first.detail["column_set"], "标准");
    assert_eq!(first.detail["rows"], 2);

    // Unknown set, unknown column.
    let e = svc
        .export_ledger(&li, &all, Some("季度报送"), ExportFormat::Csv)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let e = svc
        .export_ledger(&li, &all, Some("编号,身高"), ExportFormat::Csv)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(e.to_string().contains("身高"), "{e}");
}

async fn column_sets_are_saved_replaced_and_deleted(svc: &Service) {
    let (li, zhu, wang) = office(svc).await;
    three_applications(svc, (&li, &zhu, &wang)).await;
    let set = svc
        .save_column_set(
            &li,
            " 季度报送 ",
            &["编号", "申请人", "received", "办理结果"],
        )
        .await
        .unwrap();
    assert_eq!(set.name, "季度报送");
    assert_eq!(set.columns, ["number", "applicant", "received", "decision"]);
    let names: Vec<String> = svc
        .column_sets()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, ["标准", "全部", "季度报送"]);
    let e = svc
        .export_ledger(
            &zhu,
            &ListFilter::all(),
            Some("季度报送"),
            ExportFormat::Csv,
        )
        .await
        .unwrap();
    assert_eq!(csv_lines(&e.bytes)[0], "编号,申请人,收到日期,办理结果");

    // Saving again replaces, in order.
    svc.save_column_set(&zhu, "季度报送", &["答复日期", "申请人"])
        .await
        .unwrap();
    let e = svc
        .export_ledger(&li, &ListFilter::all(), Some("季度报送"), ExportFormat::Csv)
        .await
        .unwrap();
    assert_eq!(csv_lines(&e.bytes)[0], "答复日期,申请人");
    let audit = svc
        .store()
        .audit(&AuditQuery {
            action: Some("column_set".into()),
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);
    let replaced = audit.iter().find(|r| r.actor == "zhu").unwrap();
    assert_eq!(replaced.detail["before"][0], "number");
    assert_eq!(replaced.detail["after"][0], "replied");

    // Refused: the leader does not record; an unknown column; a built-in name; no column.
    let e = svc
        .save_column_set(&wang, "领导的", &["编号"])
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    for (name, cols) in [
        ("新模板", vec!["编号", "身高"]),
        ("标准", vec!["编号"]),
        ("新模板", vec![" "]),
        ("", vec!["编号"]),
    ] {
        let e = svc.save_column_set(&li, name, &cols).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Invalid, "{name} {cols:?}: {e}");
    }
    assert_eq!(svc.column_sets().await.unwrap().len(), 3);

    svc.delete_column_set(&li, "季度报送").await.unwrap();
    assert_eq!(svc.column_sets().await.unwrap().len(), 2);
    let e = svc.delete_column_set(&li, "季度报送").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let refused = svc
        .store()
        .audit(&AuditQuery {
            action: Some("refused".into()),
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert!(
        refused
            .iter()
            .any(|r| r.actor == "wang" && r.detail["action"] == "column_set.save"),
        "{refused:?}"
    );
}

async fn the_year_tables_are_the_official_figures(svc: &Service) {
    let (li, zhu, wang) = office(svc).await;
    three_applications(svc, (&li, &zhu, &wang)).await;
    let year = today().year();
    let official = svc.official_year_end(year, None).await.unwrap();
    let e = svc.statistics_xlsx(&wang, year).await.unwrap();
    assert!(
        e.file_name.starts_with(&format!("{year}年")),
        "{}",
        e.file_name
    );
    let sheets = inspect::read(&e.bytes).unwrap();
    assert_eq!(sheets.len(), 4);
    assert!(sheets.iter().all(|s| s.formulas == 0));
    let list = sheets[3].rows();
    let mut seen = 0;
    for id in [
        "s3.new_received.total",
        "s3.new_received.natural_person",
        "s3.carried_forward.total",
    ] {
        let row = list.iter().find(|r| r[0].1.as_text() == id).unwrap();
        let sheet = sheets
            .iter()
            .find(|s| s.name == row[2].1.as_text())
            .unwrap();
        let expected = official
            .year_end
            .report
            .get(id)
            .and_then(|v| v.as_i64())
            .unwrap();
        assert_eq!(
            sheet.get(&row[3].1.as_text()),
            Some(&X::Number(expected as f64)),
            "{id}"
        );
        seen += 1;
    }
    assert_eq!(seen, 3);
    let rows = svc
        .store()
        .audit(&AuditQuery {
            action: Some("download".into()),
            subject_kind: Some("annual_report".into()),
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].detail["format"], "xlsx");
    assert_eq!(rows[0].actor, "wang");
}
