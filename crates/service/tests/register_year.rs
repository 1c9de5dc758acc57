//! The annual report from the register through the service, on both backends: a generated
//! year of items registered, published, corrected and withdrawn through the use cases; the
//! official year-end's section 二 document rows and section 一's 主动公开 figures equal an
//! independent count; the standard catalogue export lists the published items.

use chrono::{Datelike, NaiveDate};
use gongkai_ledger::register::generate::{ACCOUNTS, GeneratedItem, YearPlan, generate_year};
use gongkai_ledger::register::{Disclosure, Outlet, ValidityStatus};
use gongkai_ledger::{Calendar, DocumentKind, DocumentRecord, ProactiveData};
use gongkai_service::Service;
use gongkai_service::exports::ExportFormat;

#[macro_use]
mod common;
use common::{office, postgres, review_item, sqlite};

on_both_backends!(
    the_year_end_counts_the_register_and_the_catalogue_lists_it,
    document_records_move_into_the_register_and_section_two_stays,
);

/// `[规章, 规范性文件][制发, 废止, 现行有效]` of `year` up to `end`, by direct reading.
fn expected_documents(items: &[GeneratedItem], year: i32, end: NaiveDate) -> [[u64; 3]; 2] {
    let mut out = [[0u64; 3]; 2];
    for g in items {
        let Some(v) = &g.draft.validity else { continue };
        let row = usize::from(v.kind == DocumentKind::NormativeDocument);
        let formed = g.draft.formed_on;
        out[row][0] += u64::from(formed.year() == year && formed <= end);
        out[row][1] +=
            u64::from(v.status == ValidityStatus::Repealed && v.ended_on.unwrap().year() == year);
        out[row][2] += u64::from(formed <= end && v.ended_on.is_none_or(|e| e > end));
    }
    out
}

async fn the_year_end_counts_the_register_and_the_catalogue_lists_it(svc: &Service) {
    // Corrections and withdrawals are dated when recorded (today): the year is this one.
    let today = Service::today();
    let year = today.year();
    let svc = &svc.clone().with_date(today);
    let (li, zhu, wang) = office(svc).await;
    let cal = Calendar::builtin();
    let mut plan = YearPlan::new(7, year, 240);
    plan.today = today;
    let items = generate_year(&plan, cal);
    for g in &items {
        let mut draft = g.draft.clone();
        draft.organ = String::new();
        let item = svc.register_item(&li, draft).await.unwrap();
        if !g.publications.is_empty() {
            // 三审 and 保密审查 first (先审查、后公开).
            review_item(svc, item.id, &li, &zhu, &wang).await;
        }
        for p in &g.publications {
            svc.publish_item(&li, item.id, p.clone()).await.unwrap();
        }
        for (k, _) in g.corrections.iter().enumerate() {
            let mut d = g.draft.clone();
            d.organ = String::new();
            d.summary = format!("{}（第{}次更正）", d.summary.trim_end_matches('。'), k + 1);
            svc.correct_item(&li, item.id, d, "更正内容概述")
                .await
                .unwrap();
        }
        if let Some((_, reason)) = &g.withdrawal {
            svc.withdraw_item(&zhu, item.id, reason).await.unwrap();
        }
    }

    let official = svc.official_year_end(year, None).await.unwrap();
    let f = &official.year_end.figures;
    assert_eq!(f.documents, expected_documents(&items, year, today));
    let p = f.proactive.as_ref().expect("the register's figures");
    let in_year = |d: NaiveDate| d.year() == year;
    let published = items
        .iter()
        .filter(|g| g.publications.iter().any(|p| in_year(p.published_on)))
        .count() as u64;
    assert_eq!(p.published, published);
    assert!(published > 150, "{published}");
    let website = items
        .iter()
        .filter(|g| {
            g.publications
                .iter()
                .any(|p| p.outlet == Outlet::Website && in_year(p.published_on))
        })
        .count() as u64;
    assert_eq!(p.outlet_total(Outlet::Website), website);
    let (mut first, mut on_time) = (0u64, 0u64);
    for g in items
        .iter()
        .filter(|g| g.draft.disclosure == Disclosure::Proactive)
    {
        let due = cal.add_working_days(g.draft.formed_on, 20).value;
        if let Some(d) = g.publications.iter().map(|p| p.published_on).min()
            && in_year(d)
        {
            first += 1;
            on_time += u64::from(d <= due);
        }
    }
    assert_eq!((p.first_published, p.on_time), (first, on_time));
    let corrected = items.iter().filter(|g| !g.corrections.is_empty()).count() as u64;
    let withdrawn = items.iter().filter(|g| g.withdrawal.is_some()).count() as u64;
    assert_eq!((p.corrected_items, p.withdrawn), (corrected, withdrawn));
    let s1 = &official.year_end.report.sections[0].text;
    assert!(
        s1.contains(&format!("本年度主动公开政府信息{published}条")),
        "{s1}"
    );
    if let Some(c) = p.by_outlet.iter().find(|c| c.account == ACCOUNTS[0]) {
        assert!(
            s1.contains(&format!("“{}”{}条", ACCOUNTS[0], c.items)),
            "{s1}"
        );
    }

    // The catalogue: one row per published item not withdrawn, the standard columns.
    let rows = svc.catalogue_rows(&li, None).await.unwrap();
    let listed = items
        .iter()
        .filter(|g| !g.publications.is_empty() && g.withdrawal.is_none())
        .count();
    assert_eq!(rows.len(), listed);
    assert!(rows.windows(2).all(|w| w[0].formed_on <= w[1].formed_on));
    let csv = svc
        .catalogue_export(&li, Some(year), ExportFormat::Csv)
        .await
        .unwrap();
    let text = String::from_utf8(csv.bytes).unwrap();
    assert!(text.starts_with(
        "\u{feff}索引号,名称,内容概述,生成日期,发布机构,文号,主题分类,体裁,发布日期,发布渠道\n"
    ));
    assert_eq!(text.lines().count(), csv.rows + 1);
    assert!(csv.rows <= listed && csv.rows > 0);
    let xlsx = svc
        .catalogue_export(&li, None, ExportFormat::Xlsx)
        .await
        .unwrap();
    assert!(xlsx.bytes.starts_with(b"PK"));
    assert_eq!(xlsx.rows, listed);
    assert!(svc.catalogue_rows(&li, Some(1900)).await.is_err());
}

async fn document_records_move_into_the_register_and_section_two_stays(svc: &Service) {
    let svc = &svc.clone().with_date("2025-12-31".parse().unwrap());
    let (li, zhu, _) = office(svc).await;
    let doc = |title: &str, kind, issued: &str, repealed: Option<&str>| {
        ProactiveData::Document(DocumentRecord {
            kind,
            title: title.into(),
            number: Some(format!("某政规〔{}〕1号", &issued[..4])),
            issued_on: issued.parse().unwrap(),
            repealed_on: repealed.map(|r| r.parse().unwrap()),
        })
    };
    for (id, data) in [
        (
            "d1",
            doc(
                "某市城市管理办法",
                DocumentKind::Regulation,
                "2021-05-01",
                None,
            ),
        ),
        (
            "d2",
            doc(
                "关于印发某某规定的通知",
                DocumentKind::NormativeDocument,
                "2024-03-01",
                Some("2025-06-30"),
            ),
        ),
        (
            "d3",
            doc(
                "关于印发某某细则的通知",
                DocumentKind::NormativeDocument,
                "2025-04-01",
                None,
            ),
        ),
        (
            "d4",
            doc(
                "关于印发某某办法的通知",
                DocumentKind::NormativeDocument,
                "2023-02-01",
                None,
            ),
        ),
    ] {
        svc.set_proactive(&li, Some(id), data).await.unwrap();
    }
    // A corrected record: only its current version moves.
    svc.set_proactive(
        &li,
        Some("d4"),
        doc(
            "关于印发某某办法（修订）的通知",
            DocumentKind::NormativeDocument,
            "2023-02-01",
            None,
        ),
    )
    .await
    .unwrap();
    let before = svc.official_year_end(2025, None).await.unwrap().year_end;
    assert_eq!(before.figures.documents, [[0, 0, 1], [1, 1, 2]]);
    let moved = svc.migrate_document_records(&li).await.unwrap();
    assert_eq!(moved.len(), 4);
    let after = svc.official_year_end(2025, None).await.unwrap().year_end;
    assert_eq!(
        after.figures.documents, before.figures.documents,
        "section 二 unchanged"
    );
    assert_eq!(after.report.cells, before.report.cells);
    // The records are kept, voided with the item's 索引号; the items have no clock.
    let records = svc.store().proactive_records().await.unwrap();
    assert!(records.iter().any(|r| r.id == "d2"));
    let void = records
        .iter()
        .find(|r| r.supersedes.as_ref().is_some_and(|s| s.id == "d2"))
        .unwrap();
    let item = &moved.iter().find(|m| m.record_id == "d2").unwrap().item;
    assert!(
        void.supersedes
            .as_ref()
            .unwrap()
            .reason
            .contains(&item.index_number)
    );
    assert_eq!(item.valid_until, Some("2025-06-30".parse().unwrap()));
    assert_eq!(item.due_on, None);
    let row = svc.store().register_item_row(item.id).await.unwrap();
    assert_eq!((row.clock_from, row.due_on), (None, None));
    let m4 = moved.iter().find(|m| m.record_id == "d4").unwrap();
    assert_eq!(m4.item.title, "关于印发某某办法（修订）的通知");
    // Again: nothing left to move.
    assert!(svc.migrate_document_records(&zhu).await.unwrap().is_empty());
    let again = svc.official_year_end(2025, None).await.unwrap().year_end;
    assert_eq!(again.figures.documents, before.figures.documents);
}
