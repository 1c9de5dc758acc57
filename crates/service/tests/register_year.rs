//! The annual report from the register through the service, on both backends: a generated
//! year of 3,000 items (issue 16's acceptance) registered, reviewed (三审, 保密审查),
//! published, corrected (some of them in their validity: repealed, expired), withdrawn or
//! withheld through the use cases, 生成日期 on working days across the year (make-up
//! days included) and the art. 26 deadline over its holidays; the official year-end's
//! section 二 document rows and section 一's 主动公开 figures equal a count made here from
//! the generated data; the standard catalogue export lists the published items. Section
//! 二 as of 31 December: a frozen report keeps the validity recorded at its submission.

use chrono::{Datelike, NaiveDate};
use gongkai_ledger::register::generate::{ACCOUNTS, GeneratedItem, YearPlan, generate_year};
use gongkai_ledger::register::{
    Disclosure, ItemDraft, Outlet, Publication, Validity, ValidityStatus,
};
use gongkai_ledger::{Calendar, DocumentKind, DocumentRecord, ProactiveData};
use gongkai_service::Service;
use gongkai_service::exports::ExportFormat;
use gongkai_store::{ReviewAction, ReviewSubject};

#[macro_use]
mod common;
use common::{office, postgres, review_item, sqlite, write_narrative};

on_both_backends!(
    the_year_end_counts_the_register_and_the_catalogue_lists_it,
    document_records_move_into_the_register_and_section_two_stays,
    section_two_counts_the_years_end_and_a_frozen_report_keeps_it,
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
        let effective = v.effective_on.unwrap_or(formed);
        out[row][2] +=
            u64::from(formed <= end && effective <= end && v.ended_on.is_none_or(|e| e > end));
    }
    out
}

/// The art. 26 deadline counted here: the 20th working day after `formed` (weekends,
/// holidays and make-up working days from the calendar's day list).
fn deadline(cal: &Calendar, formed: NaiveDate) -> NaiveDate {
    let mut d = formed;
    let mut n = 0;
    while n < 20 {
        d = d.succ_opt().unwrap();
        n += u32::from(cal.is_working_day(d).value);
    }
    d
}

async fn the_year_end_counts_the_register_and_the_catalogue_lists_it(svc: &Service) {
    // Corrections and withdrawals are dated when recorded (today): the year is this one.
    let today = Service::today();
    let year = today.year();
    let svc = &svc.clone().with_date(today);
    let (li, zhu, wang) = office(svc).await;
    let cal = Calendar::builtin();
    let mut plan = YearPlan::new(7, year, 3_000);
    plan.today = today;
    let mut items = generate_year(&plan, cal);
    // Dates across the year: 生成日期 on make-up working days (调休) too, and deadlines that
    // run over the holidays.
    assert!(
        items
            .iter()
            .any(|g| g.draft.formed_on.weekday().number_from_monday() > 5)
    );
    // Validity changes recorded as corrections of published documents: every third one
    // without other corrections is repealed or runs out, dated in the year.
    let mut k = 0;
    for g in items.iter_mut().filter(|g| {
        g.corrections.is_empty()
            && g.withdrawal.is_none()
            && g.draft.formed_on.year() == year
            && g.draft
                .validity
                .as_ref()
                .is_some_and(|v| v.ended_on.is_none())
            && !g.publications.is_empty()
    }) {
        k += 1;
        if k % 3 != 0 {
            continue;
        }
        let v = g.draft.validity.as_mut().unwrap();
        let from = v
            .effective_on
            .unwrap_or(g.draft.formed_on)
            .max(g.draft.formed_on);
        let end = (from + chrono::Duration::days(30)).min(today);
        if end <= from {
            continue;
        }
        v.status = if k % 2 == 0 {
            ValidityStatus::Repealed
        } else {
            ValidityStatus::Expired
        };
        v.ended_on = Some(end);
        g.corrections.push((today, "登记废止（失效）".into()));
    }
    assert!(k > 6, "{k} documents");
    for g in &items {
        let mut draft = g.draft.clone();
        draft.organ = String::new();
        if g.corrections.iter().any(|c| c.1.starts_with("登记废止")) {
            // Registered in force; the repeal or expiry is recorded later.
            let v = draft.validity.as_mut().unwrap();
            v.status = ValidityStatus::Effective;
            v.ended_on = None;
        }
        let item = svc.register_item(&li, draft).await.unwrap();
        if !g.publications.is_empty() {
            // 三审 and 保密审查 first (先审查、后公开).
            review_item(svc, item.id, &li, &zhu, &wang).await;
        }
        for p in &g.publications {
            svc.publish_item(&li, item.id, p.clone()).await.unwrap();
        }
        for (k, (_, reason)) in g.corrections.iter().enumerate() {
            let mut d = g.draft.clone();
            d.organ = String::new();
            if reason.starts_with("登记废止") {
                // The validity now: repealed or run out.
                svc.correct_item(&li, item.id, d, reason).await.unwrap();
                continue;
            }
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
        let due = deadline(cal, g.draft.formed_on);
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

/// Section 二 as of 31 December of the report year (issue 16 §3): a document repealed next
/// year is in force at the year's end, one repealed or run out this year is not, one issued
/// in December and in effect from February is issued but not yet in force; the 2025 report
/// frozen at its submission keeps the validity recorded then when a repeal is recorded (or
/// a validity corrected) afterwards, and the 2026 REG001 names the difference.
async fn section_two_counts_the_years_end_and_a_frozen_report_keeps_it(svc: &Service) {
    let today = Service::today();
    let svc = &svc.clone().with_date(today);
    let (li, zhu, wang) = office(svc).await;
    let ymd = |s: &str| -> NaiveDate { s.parse().unwrap() };
    let doc = |title: &str, formed: &str, effective: Option<&str>| ItemDraft {
        title: title.into(),
        organ: String::new(),
        formed_on: ymd(formed),
        number: Some(format!("临政办规〔{}〕1号", &formed[..4])),
        topic: "综合政务".into(),
        genre: "通知".into(),
        summary: format!("{title}。"),
        body: format!("{title}\n\n现将有关事项通知如下。"),
        disclosure: Disclosure::Proactive,
        validity: Some(Validity {
            kind: DocumentKind::NormativeDocument,
            status: ValidityStatus::Effective,
            effective_on: effective.map(ymd),
            ended_on: None,
        }),
        outlets: vec![Outlet::Website],
    };
    let ended = |d: &ItemDraft, status, on: &str| {
        let mut d = d.clone();
        let v = d.validity.as_mut().unwrap();
        v.status = status;
        v.ended_on = Some(ymd(on));
        d
    };
    let next = doc("关于印发某某管理办法的通知", "2025-03-03", None);
    let this = ended(
        &doc("关于印发某某实施细则的通知", "2024-05-06", None),
        ValidityStatus::Repealed,
        "2025-06-30",
    );
    let expired = ended(
        &doc("关于印发某某暂行规定的通知", "2023-04-03", None),
        ValidityStatus::Expired,
        "2025-10-31",
    );
    let corrected = doc("关于印发某某工作规则的通知", "2024-09-02", None);
    let december = doc(
        "关于印发某某服务规范的通知",
        "2025-12-15",
        Some("2026-02-01"),
    );
    let lapsed = doc("关于印发某某考核办法的通知", "2024-06-03", None);
    let mut ids = Vec::new();
    for d in [&next, &this, &expired, &corrected, &december, &lapsed] {
        let item = svc.register_item(&li, d.clone()).await.unwrap();
        review_item(svc, item.id, &li, &zhu, &wang).await;
        let on = d.formed_on.succ_opt().unwrap();
        let p = Publication {
            outlet: Outlet::Website,
            account: String::new(),
            published_on: on,
            url: None,
        };
        svc.publish_item(&li, item.id, p).await.unwrap();
        ids.push(item.id);
    }
    // issued: next, december; repealed: this; in force: next, corrected, lapsed (december
    // only from February, expired ran out).
    let rows = |ye: &gongkai_ledger::YearEnd| ye.figures.documents[1];
    let draft25 = svc.official_year_end(2025, None).await.unwrap();
    assert_eq!(draft25.as_of, ymd("2025-12-31"));
    assert_eq!(rows(&draft25.year_end), [2, 1, 3]);
    let s2 = &draft25.year_end.report.sections[1].text;
    assert!(s2.contains("行政规范性文件失效（未经废止）1件"), "{s2}");
    assert!(
        s2.contains("本年制发的行政规范性文件中有1件至年底尚未施行"),
        "{s2}"
    );

    // The 2025 report is submitted; then a repeal in 2026 is recorded, and the repeal of
    // `corrected` on 28 November 2025, found only now.
    let subject = ReviewSubject::AnnualReport { year: 2025 };
    write_narrative(svc, &li, 2025).await;
    svc.review_step(&li, &subject, ReviewAction::Submit, None)
        .await
        .unwrap();
    let repealed_2026 = ymd("2026-03-02").min(today);
    svc.correct_item(
        &li,
        ids[0],
        ended(&next, ValidityStatus::Repealed, &repealed_2026.to_string()),
        "登记废止",
    )
    .await
    .unwrap();
    svc.correct_item(
        &li,
        ids[3],
        ended(&corrected, ValidityStatus::Repealed, "2025-11-28"),
        "补记废止",
    )
    .await
    .unwrap();
    svc.correct_item(
        &li,
        ids[5],
        ended(&lapsed, ValidityStatus::Expired, "2025-08-29"),
        "补记失效",
    )
    .await
    .unwrap();
    let frozen25 = svc.official_year_end(2025, None).await.unwrap();
    assert!(frozen25.frozen_at.is_some());
    assert_eq!(
        rows(&frozen25.year_end),
        [2, 1, 3],
        "the frozen report does not change"
    );
    assert_eq!(
        frozen25.year_end.report.cells,
        draft25.year_end.report.cells
    );
    // 2026 as of its end: repealed next (2026), december in force; against the 2025 report
    // as submitted (3 in force), the register now gives 1 for 2025 and REG001 says so.
    let ye26 = svc
        .official_year_end(2026, Some(ymd("2026-12-31")))
        .await
        .unwrap()
        .year_end;
    assert_eq!(rows(&ye26), [0, 1, 1]);
    let reg = ye26
        .findings
        .iter()
        .find(|x| x.cells[0] == "s2.normative_documents.in_force")
        .expect("REG001");
    assert!(
        reg.message_zh
            .contains("2025 年度报告所列现行有效 3 件，按登记簿现为 1 件"),
        "{}",
        reg.message_zh
    );
    assert!(
        reg.message_zh.contains("以前年度制发、本年施行1件"),
        "{}",
        reg.message_zh
    );
}
