//! The annual report finished by the office, on both backends (SQLite in a temporary
//! directory; PostgreSQL when `GONGKAI_TEST_POSTGRES_URL` names a server): the narrative
//! in versions, who may write it and when, the report that uses it, and the submission
//! that waits for the year to end and for the placeholders to go. The service's date is
//! fixed (`Service::with_date`), so nothing depends on the day the tests run.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use gongkai_ledger::{Applicant, ApplicantKind, Channel, Contact, EventKind, InformationRequest};
use gongkai_service::{Actor, ErrorKind, Service, Via};
use gongkai_store::{
    AuditQuery, EventInput, NarrativeText, NewApplication, NewUser, ReviewAction, ReviewStatus,
    ReviewSubject, Role,
};

#[macro_use]
mod common;
use common::{postgres, sqlite};

on_both_backends!(
    the_narrative_is_saved_in_versions,
    a_year_is_closed_only_after_it_ends_and_without_errors,
);

/// The report year of these tests: a past year, whatever today is.
const YEAR: i32 = 2025;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The office: `li` (信息员), `zhu` (办公室主任), `wang` (分管领导).
async fn office(svc: &Service) -> (Actor, Actor, Actor) {
    let admin = NewUser {
        name: "admin".into(),
        display_name: None,
        role: Role::Admin,
        password: "correct horse battery".into(),
    };
    svc.store()
        .init("某市某局", &admin, chrono::Utc::now())
        .await
        .unwrap();
    let admin = svc.actor("admin", Via::Cli).await.unwrap();
    for (name, role) in [
        ("li", Role::Clerk),
        ("zhu", Role::OfficeHead),
        ("wang", Role::Leader),
    ] {
        let u = NewUser {
            name: name.into(),
            display_name: None,
            role,
            password: "correct horse battery".into(),
        };
        svc.add_user(&admin, &u).await.unwrap();
    }
    (
        svc.actor("li", Via::Cli).await.unwrap(),
        svc.actor("zhu", Via::Api).await.unwrap(),
        svc.actor("wang", Via::Web).await.unwrap(),
    )
}

fn application(name: &str, received: NaiveDate) -> NewApplication {
    NewApplication {
        id: None,
        applicant: Applicant {
            kind: ApplicantKind::NaturalPerson,
            name: name.into(),
            identity: None,
            contact: Contact::default(),
            representative: None,
        },
        request: InformationRequest {
            description: "某项目的环评批复".into(),
            document_number: None,
            form: Default::default(),
            delivery: Default::default(),
            fee_units: 1,
        },
        received: Some(EventInput {
            date: received,
            kind: EventKind::Received {
                channel: Channel::InPerson { oral: false },
            },
            note: None,
        }),
    }
}

fn sections(texts: &[(u8, &str)]) -> BTreeMap<u8, String> {
    texts.iter().map(|(n, t)| (*n, (*t).to_string())).collect()
}

const S1: &str = "本局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实做好政府信息公开工作。";
const S5: &str = "一是主动公开的深度还需拓展；二是政策解读形式较为单一。下一步将加强业务培训。";
const S6: &str = "本年度未收取信息处理费。";

async fn the_narrative_is_saved_in_versions(svc: &Service) {
    let svc = &svc.clone().with_date(d(YEAR + 1, 1, 10));
    let (li, zhu, wang) = office(svc).await;
    svc.register(&li, application("张三", d(YEAR, 11, 3)))
        .await
        .unwrap();

    // Nothing written yet: the drafts, with their fill-in markers.
    let v = svc.narrative(YEAR).await.unwrap();
    assert!(v.current.is_none() && v.history.is_empty());
    assert_eq!(v.written, vec![false; 6]);
    assert!(v.drafts[0].contains("【请填写。】"), "{}", v.drafts[0]);
    assert_eq!(v.sections, v.drafts);
    assert_eq!(v.signed_by, "某市某局");
    assert!(v.editable);

    // Version 1: sections 一 and 五, the 落款; section 二 sent back as drafted is not kept.
    let draft2 = v.drafts[1].clone();
    let text = NarrativeText {
        sections: sections(&[(1, S1), (2, &draft2), (5, "  一是……\r\n二是……  \r\n")]),
        signed_by: Some(" 某市某局办公室 ".into()),
        signed_on: Some(d(YEAR + 1, 1, 20)),
    };
    let v1 = svc
        .save_narrative(&li, YEAR, text, Some("初稿".into()))
        .await
        .unwrap();
    assert_eq!(v1.version, 1);
    assert_eq!(v1.saved_by, "li");
    assert_eq!(v1.text.sections.keys().copied().collect::<Vec<_>>(), [1, 5]);
    assert_eq!(v1.text.sections[&5], "一是……\n二是……");
    assert_eq!(v1.text.signed_by.as_deref(), Some("某市某局办公室"));

    // Version 2: section 六 alone (the office head); the rest stays.
    let mut changes = NarrativeText::default();
    changes.sections.insert(6, S6.into());
    let v2 = svc
        .update_narrative(&zhu, YEAR, changes.clone(), None)
        .await
        .unwrap();
    assert_eq!(v2.version, 2);
    assert_eq!(v2.text.sections.len(), 3);
    assert_eq!(v2.text.signed_on, Some(d(YEAR + 1, 1, 20)));
    // The same again: no new version.
    let again = svc
        .update_narrative(&li, YEAR, changes, None)
        .await
        .unwrap();
    assert_eq!(again.version, 2);
    // Section 五 emptied: back to the draft.
    let mut back = NarrativeText::default();
    back.sections.insert(5, String::new());
    let v3 = svc.update_narrative(&li, YEAR, back, None).await.unwrap();
    assert_eq!(v3.version, 3);
    assert!(!v3.text.sections.contains_key(&5));

    // The report uses it: sections, 落款, date; the page's view says which are written.
    let v = svc.narrative(YEAR).await.unwrap();
    assert_eq!(v.written, [true, false, false, false, false, true]);
    assert_eq!(
        v.history.iter().map(|h| h.version).collect::<Vec<_>>(),
        [3, 2, 1]
    );
    let report = svc
        .official_year_end(YEAR, None)
        .await
        .unwrap()
        .year_end
        .report;
    assert_eq!(report.sections[0].text, S1);
    assert_eq!(report.sections[5].text, S6);
    assert!(
        report.sections[4]
            .text
            .contains("【请填写存在的主要问题及改进情况。】")
    );
    assert_eq!(report.meta.signed_by.as_deref(), Some("某市某局办公室"));
    assert_eq!(report.meta.dates[0].date, format!("{}-01-20", YEAR + 1));
    let html = String::from_utf8(
        gongkai_write::render(
            &report,
            gongkai_write::OutputFormat::Html,
            &Default::default(),
        )
        .unwrap(),
    )
    .unwrap();
    assert!(
        html.contains("本局认真贯彻落实"),
        "the written text in the HTML"
    );
    assert!(html.contains("某市某局办公室"));

    // Who may write: not the leader; bad input is named.
    let e = svc
        .save_narrative(&wang, YEAR, NarrativeText::default(), None)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    let e = svc
        .save_narrative(
            &li,
            YEAR,
            NarrativeText {
                sections: sections(&[(7, "x")]),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(e.to_string().contains("部分"), "{e}");
    let e = svc
        .save_narrative(&li, 1900, NarrativeText::default(), None)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadRequest);

    // Audited: one row per version, with what changed.
    let audit = svc
        .store()
        .audit(&AuditQuery {
            subject_kind: Some("annual_report".into()),
            subject_id: Some(YEAR.to_string()),
            ..Default::default()
        })
        .await
        .unwrap();
    let saves: Vec<_> = audit
        .iter()
        .filter(|a| a.action == "narrative.save")
        .collect();
    assert_eq!(saves.len(), 3, "{audit:#?}");
    assert_eq!(saves[0].detail["version"], 3);
    assert_eq!(
        saves[2].detail["sections_changed"],
        serde_json::json!([1, 5])
    );
}

async fn a_year_is_closed_only_after_it_ends_and_without_errors(svc: &Service) {
    let (li, zhu, wang) = office(svc).await;
    svc.register(&li, application("张三", d(YEAR, 11, 3)))
        .await
        .unwrap();
    let subject = ReviewSubject::AnnualReport { year: YEAR };

    // On 31 December the year is not over: refused with the reason, nothing recorded.
    let early = svc.clone().with_date(d(YEAR, 12, 31));
    let e = early
        .review_step(&li, &subject, ReviewAction::Submit, None)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert_eq!(e.code(), "year_not_over");
    assert!(
        e.to_string().contains(&format!("{YEAR} 年度尚未结束")),
        "{e}"
    );
    // Someone who may not submit is told so, whatever the date.
    let e = early
        .review_step(&wang, &subject, ReviewAction::Submit, None)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    assert_eq!(
        svc.review(&subject).await.unwrap().status,
        ReviewStatus::NotSubmitted
    );

    // In January: the year selector starts on the year being reported.
    let january = svc.clone().with_date(d(YEAR + 1, 1, 2));
    assert_eq!(
        gongkai_service::year_end::default_year(january.current_date()),
        YEAR
    );
    // The drafts' placeholders are errors: refused, listing them.
    let e = january
        .review_step(&li, &subject, ReviewAction::Submit, None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "report_has_errors");
    assert_eq!(e.kind(), ErrorKind::Conflict);
    let msg = e.to_string();
    assert!(
        msg.contains("[TXT005]") && msg.contains("第一部分"),
        "{msg}"
    );
    assert!(
        msg.contains("第五部分") && msg.contains("第六部分"),
        "{msg}"
    );
    assert!(msg.contains("【请填写。】"), "{msg}");

    // Written: submitted, and then locked.
    january
        .save_narrative(
            &li,
            YEAR,
            NarrativeText {
                sections: sections(&[(1, S1), (5, S5), (6, S6)]),
                signed_by: None,
                signed_on: Some(d(YEAR + 1, 1, 15)),
            },
            None,
        )
        .await
        .unwrap();
    january.ready_to_submit(YEAR).await.unwrap();
    january
        .review_step(&li, &subject, ReviewAction::Submit, None)
        .await
        .unwrap();
    let e = january
        .update_narrative(
            &li,
            YEAR,
            NarrativeText {
                sections: sections(&[(6, "改了")]),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "narrative_locked");
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert!(!january.narrative(YEAR).await.unwrap().editable);
    let frozen = january.official_year_end(YEAR, None).await.unwrap();
    assert!(frozen.frozen_at.is_some());
    assert_eq!(frozen.year_end.report.sections[5].text, S6);
    assert_eq!(frozen.narrative.as_ref().map(|n| n.version), Some(1));

    // Sent back: editable again; the new text goes into the next submission.
    january
        .review_step(
            &zhu,
            &subject,
            ReviewAction::SendBack,
            Some("第六部分补充".into()),
        )
        .await
        .unwrap();
    january
        .update_narrative(
            &li,
            YEAR,
            NarrativeText {
                sections: sections(&[(6, "本年度未收取信息处理费。无其他需要报告的事项。")]),
                ..Default::default()
            },
            Some("按退回意见修改".into()),
        )
        .await
        .unwrap();
    january
        .review_step(&li, &subject, ReviewAction::Submit, None)
        .await
        .unwrap();
    let frozen = january.official_year_end(YEAR, None).await.unwrap();
    assert_eq!(frozen.narrative.as_ref().map(|n| n.version), Some(2));
    assert!(
        frozen.year_end.report.sections[5]
            .text
            .contains("无其他需要报告的事项")
    );
    // Later in the year the selector starts on the current year.
    assert_eq!(
        gongkai_service::year_end::default_year(d(YEAR + 1, 2, 1)),
        YEAR + 1
    );
    assert_eq!(d(YEAR + 1, 1, 31).year() - 1, YEAR);
}
