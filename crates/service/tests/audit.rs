//! The audit log (origin columns, filters, paging, CSV export, who may read it), the
//! audit of refused actions and downloads, length limits and the office settings — on
//! both backends (SQLite; PostgreSQL when `GONGKAI_TEST_POSTGRES_URL` is set).

use chrono::Duration;
use gongkai_ledger::{
    Applicant, ApplicantKind, ApplicationId, Channel, Contact, Decision, EventKind,
    GrantedReplyApproval, InformationRequest,
};
use gongkai_service::{
    Actor, AuditFilter, ErrorKind, EventDraft, ListFilter, OfficeView, Service, Via,
    audit::PAGE_SIZE,
};
use gongkai_store::{
    AuditQuery, EventInput, NewApplication, NewUser, ReviewAction, ReviewSubject, Role,
};

#[macro_use]
mod common;
use common::{PASSWORD, office, postgres, sqlite, today};

on_both_backends!(
    rows_carry_channel_and_address_and_filter,
    refusals_and_downloads_are_audited,
    only_admin_and_office_head_read_the_log,
    the_export_guards_formulas,
    oversized_texts_are_refused_and_not_audited,
    office_settings_are_saved_whole_and_audited,
);

fn application(name: &str) -> NewApplication {
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
            date: today(),
            kind: EventKind::Received {
                channel: Channel::InPerson { oral: false },
            },
            note: None,
        }),
    }
}

async fn admin(svc: &Service) -> Actor {
    svc.actor("admin", Via::Web)
        .await
        .unwrap()
        .with_client("192.0.2.1")
}

async fn all_rows(svc: &Service) -> Vec<gongkai_store::AuditEntry> {
    svc.store()
        .audit(&AuditQuery {
            limit: Some(100_000),
            ..AuditQuery::default()
        })
        .await
        .unwrap()
}

async fn rows_carry_channel_and_address_and_filter(svc: &Service) {
    let (li, zhu, _) = office(svc).await;
    let web_li = svc
        .actor("li", Via::Web)
        .await
        .unwrap()
        .with_client("10.0.0.7");
    let id = svc
        .register(&web_li, application("张三"))
        .await
        .unwrap()
        .application
        .id;
    svc.register(&li, application("李四")).await.unwrap();
    let page = svc
        .audit_log(
            &zhu,
            &AuditFilter {
                user: Some("li".into()),
                action: Some("application".into()),
                subject: Some(id.0.clone()),
                from: Some(today()),
                to: Some(today()),
            },
            1,
        )
        .await
        .unwrap();
    assert_eq!(page.entries.len(), 1, "{:?}", page.entries);
    let e = &page.entries[0];
    assert_eq!(e.action, "application.register");
    assert_eq!(e.channel.as_deref(), Some("web"));
    assert_eq!(e.client.as_deref(), Some("10.0.0.7"));
    // The command line's row: channel cli, no address.
    let cli = svc
        .audit_log(
            &zhu,
            &AuditFilter {
                user: Some("li".into()),
                action: Some("application.register".into()),
                ..AuditFilter::default()
            },
            1,
        )
        .await
        .unwrap();
    assert_eq!(cli.entries.len(), 2);
    assert_eq!(cli.entries[0].channel.as_deref(), Some("cli"));
    assert_eq!(cli.entries[0].client, None);
    // `application` is a family: it does not match `applicationX`; a past day has none.
    let none = svc
        .audit_log(
            &zhu,
            &AuditFilter {
                to: Some(today() - Duration::days(2)),
                ..AuditFilter::default()
            },
            1,
        )
        .await
        .unwrap();
    assert!(none.entries.is_empty());
    // Paging: more than a page of rows.
    let a = admin(svc).await;
    for _ in 0..PAGE_SIZE {
        svc.record_download(&a, "application", &id.0, "html")
            .await
            .unwrap();
    }
    let first = svc
        .audit_log(&zhu, &AuditFilter::default(), 1)
        .await
        .unwrap();
    assert_eq!(first.entries.len(), PAGE_SIZE as usize);
    assert!(first.has_next);
    let second = svc
        .audit_log(&zhu, &AuditFilter::default(), 2)
        .await
        .unwrap();
    assert!(!second.has_next);
    assert!(second.entries[0].id < first.entries.last().unwrap().id);
    // A reversed date range is refused in Chinese.
    let e = svc
        .audit_log(
            &zhu,
            &AuditFilter {
                from: Some(today()),
                to: Some(today() - Duration::days(1)),
                ..AuditFilter::default()
            },
            1,
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(e.to_string().contains("起始日期晚于截止日期"), "{e}");
}

async fn refusals_and_downloads_are_audited(svc: &Service) {
    let (li, zhu, wang) = office(svc).await;
    let wang = wang.with_client("198.51.100.9");
    // A leader may not record: refused, audited with the channel and the address.
    let e = svc.register(&wang, application("王五")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    // A review out of turn: the leader approves before the office head.
    let id = svc
        .register(&li, application("张三"))
        .await
        .unwrap()
        .application
        .id;
    svc.append_event(
        &li,
        &id,
        EventDraft::complete(
            today(),
            EventKind::Decided {
                decision: Decision::Granted,
            },
            None,
        ),
    )
    .await
    .unwrap();
    let subject = ReviewSubject::Reply {
        application: id.clone(),
    };
    svc.review_step(&li, &subject, ReviewAction::Submit, None)
        .await
        .unwrap();
    let e = svc
        .review_step(&wang, &subject, ReviewAction::Approve, None)
        .await
        .unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::Forbidden | ErrorKind::Conflict),
        "{e:?}"
    );
    let refused: Vec<_> = all_rows(svc)
        .await
        .into_iter()
        .filter(|r| r.action == "refused")
        .collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    let review = &refused[0];
    assert_eq!(review.actor, "wang");
    assert_eq!(review.detail["action"], "review.approve");
    assert_eq!(review.subject_id, subject.to_string());
    assert_eq!(review.channel.as_deref(), Some("web"));
    assert_eq!(review.client.as_deref(), Some("198.51.100.9"));
    let register = &refused[1];
    assert_eq!(register.detail["action"], "application.register");
    assert_eq!(register.detail["code"], "forbidden");
    // Nothing else came of the refused writes.
    assert_eq!(svc.applications(ListFilter::all()).await.unwrap().len(), 1);
    // A download is audited.
    svc.record_download(&zhu, "application", &id.0, "docx")
        .await
        .unwrap();
    let rows = all_rows(svc).await;
    let d = &rows[0];
    assert_eq!(
        (d.action.as_str(), d.subject_id.as_str(), d.actor.as_str()),
        ("download", id.0.as_str(), "zhu")
    );
    assert_eq!(d.detail["format"], "docx");
    assert_eq!(d.channel.as_deref(), Some("api"));
}

async fn only_admin_and_office_head_read_the_log(svc: &Service) {
    let (li, zhu, wang) = office(svc).await;
    let f = AuditFilter::default();
    for who in [&li, &wang] {
        let e = svc.audit_log(who, &f, 1).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Forbidden);
        let e = svc.audit_csv(who, &f).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Forbidden);
    }
    assert!(!svc.audit_log(&zhu, &f, 1).await.unwrap().entries.is_empty());
    let a = admin(svc).await;
    assert!(!svc.audit_log(&a, &f, 1).await.unwrap().entries.is_empty());
    // Each refusal left its row.
    let rows = all_rows(svc).await;
    let refused = rows.iter().filter(|r| r.action == "refused").count();
    assert_eq!(refused, 4);
}

async fn the_export_guards_formulas(svc: &Service) {
    let (_, zhu, _) = office(svc).await;
    let a = admin(svc).await;
    // A login that a spreadsheet would run as a formula, acting.
    svc.add_user(
        &a,
        &NewUser {
            name: "@evil".into(),
            display_name: None,
            role: Role::Clerk,
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap();
    let evil = svc.actor("@evil", Via::Web).await.unwrap();
    svc.register(&evil, application("=HYPERLINK(\"http://x\")"))
        .await
        .unwrap();
    let csv = svc.audit_csv(&zhu, &AuditFilter::default()).await.unwrap();
    let text = String::from_utf8(csv).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert!(text.contains(",'@evil,"), "{text}");
    for line in text.lines() {
        for prefix in [",=", ",+", ",@", ",-"] {
            assert!(!line.contains(prefix), "{line}");
        }
    }
    // The export itself is audited.
    let rows = all_rows(svc).await;
    assert_eq!(rows[0].action, "audit.export");
    assert_eq!(rows[0].actor, "zhu");
}

async fn oversized_texts_are_refused_and_not_audited(svc: &Service) {
    let (li, _, _) = office(svc).await;
    let before = all_rows(svc).await.len();
    let huge = "张".repeat(10 * 1024 * 1024 / 3);
    let e = svc.register(&li, application(&huge)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert_eq!(e.code(), "too_long");
    assert!(
        e.to_string()
            .starts_with("申请人姓名/名称不能超过 200 个字"),
        "{}",
        &e.to_string()[..80.min(e.to_string().len())]
    );
    // A long note on an event, a long review note, a long reason.
    let id = svc
        .register(&li, application("张三"))
        .await
        .unwrap()
        .application
        .id;
    let e = svc
        .append_event(
            &li,
            &id,
            EventDraft::complete(today(), EventKind::Corrected, Some("备".repeat(2001))),
        )
        .await
        .unwrap_err();
    assert!(e.to_string().starts_with("备注不能超过"), "{e}");
    let e = svc
        .append_event(
            &li,
            &ApplicationId("号".repeat(65)),
            EventDraft::complete(today(), EventKind::Corrected, None),
        )
        .await
        .unwrap_err();
    assert!(e.to_string().starts_with("编号不能超过 64 个字"), "{e}");
    // Nothing stored, nothing audited but the one good registration (and its receipt).
    assert_eq!(svc.applications(ListFilter::all()).await.unwrap().len(), 1);
    let rows = all_rows(svc).await;
    let actions: Vec<_> = rows.iter().map(|r| (&r.action, &r.detail)).collect();
    assert_eq!(rows.len(), before + 2, "{actions:?}");
    assert!(rows.iter().all(|r| r.detail.to_string().len() < 10_000));
}

async fn office_settings_are_saved_whole_and_audited(svc: &Service) {
    let (_, zhu, _) = office(svc).await;
    let a = admin(svc).await;
    // The office head may not use the settings page.
    let e = svc.office_view(&zhu).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    let mut v: OfficeView = svc.office_view(&a).await.unwrap();
    assert_eq!(v.agency, "某市某局");
    v.agency = "某市某某局".into();
    v.office.address = "某市某路 1 号".into();
    v.office.contact = "0000-12345678".into();
    v.office.reconsideration_organ = "某市人民政府".into();
    v.settings.granted_reply_approval = GrantedReplyApproval::OfficeHead;
    svc.configure(&a, &v).await.unwrap();
    let saved = svc.office_view(&a).await.unwrap();
    assert_eq!(saved, v);
    let actions: Vec<String> = all_rows(svc)
        .await
        .into_iter()
        .take(3)
        .map(|r| r.action)
        .collect();
    assert_eq!(actions, ["settings.set", "office.set", "agency.set"]);
    // A bad calendar directory: refused in Chinese, nothing changed (the name neither).
    let mut bad = saved.clone();
    bad.agency = "另一个名称".into();
    bad.office.calendar_dir = Some("/nonexistent/gongkai-calendar".into());
    let e = svc.configure(&a, &bad).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(e.to_string().contains("日历目录"), "{e}");
    // Too long a court, an empty name.
    let mut long = saved.clone();
    long.office.court = "院".repeat(201);
    let e = svc.configure(&a, &long).await.unwrap_err();
    assert!(
        e.to_string().starts_with("人民法院不能超过 200 个字"),
        "{e}"
    );
    let mut empty = saved.clone();
    empty.agency = "  ".into();
    let e = svc.configure(&a, &empty).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert_eq!(svc.office_view(&a).await.unwrap(), saved);
}
