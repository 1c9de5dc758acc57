//! The use cases on both backends (SQLite in a temporary directory; PostgreSQL when
//! `GONGKAI_TEST_POSTGRES_URL` names a server, as `scripts/postgres-test-server` prints).
//! Dates are relative to today: the service acts now, as the front ends do.

use chrono::{Datelike, Duration, NaiveDate};
use gongkai_ledger::fees::{self, FeeBasis};
use gongkai_ledger::{
    AppealKind, Applicant, ApplicantKind, ApplicationId, Channel, Contact, Decision, EventKind,
    IdDocument, Identity, InformationRequest, Stage,
};
use gongkai_service::applications::DraftKind;
use gongkai_service::records::AppealDraft;
use gongkai_service::{
    Actor, ErrorKind, EventDraft, FeeDraft, ListFilter, ListStatus, Service, Via, allowed,
};
use gongkai_store::{EventInput, NewApplication, ReviewAction, ReviewSubject};

#[macro_use]
mod common;
use common::{office, postgres, sqlite, today, write_narrative};

#[path = "service/listing.rs"]
mod listing;

#[path = "service/exports.rs"]
mod exports;

#[path = "service/platform.rs"]
mod platform;

#[path = "service/supervision.rs"]
mod supervision;

#[path = "service/supervision_shares.rs"]
mod supervision_shares;

on_both_backends!(
    defaults_are_applied_once,
    one_ordering_of_the_list,
    the_official_year_end_is_frozen_at_submission,
    appeals_get_ids_and_stamps,
    actors_and_errors_have_kinds,
);

/// Submit → 审核通过 → 批准 of a reply: a reply is recorded as sent only once approved.
async fn approve_reply(
    svc: &Service,
    (li, zhu, wang): (&Actor, &Actor, &Actor),
    id: &ApplicationId,
) {
    let s = ReviewSubject::Reply {
        application: id.clone(),
    };
    svc.review_step(li, &s, ReviewAction::Submit, None)
        .await
        .unwrap();
    svc.approve(zhu, &s, None).await.unwrap();
    svc.approve(wang, &s, None).await.unwrap();
}

/// A day of this month that is not in the future (the 1st), and the day before today
/// when today is later in the month.
fn this_month() -> NaiveDate {
    today().with_day(1).unwrap()
}

fn new_application(name: &str, id_number: &str, received: NaiveDate, units: u32) -> NewApplication {
    NewApplication {
        id: None,
        applicant: Applicant {
            kind: ApplicantKind::NaturalPerson,
            name: name.into(),
            identity: Some(Identity {
                document: IdDocument::ResidentIdCard,
                number: id_number.into(),
            }),
            contact: Contact::default(),
            representative: None,
        },
        request: InformationRequest {
            description: "某项目的环评批复".into(),
            document_number: None,
            form: Default::default(),
            delivery: Default::default(),
            fee_units: units,
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

async fn defaults_are_applied_once(svc: &Service) {
    let (li, _, _) = office(svc).await;
    let day = this_month();
    // Two applications of the same applicant in the month: 3 units, then 12.
    svc.register(&li, new_application("张三", "110101199001011234", day, 3))
        .await
        .unwrap();
    let second = svc
        .register(&li, new_application("张三", "110101199001011234", day, 0))
        .await
        .unwrap();
    // fee_units is at least 1.
    assert_eq!(second.application.request.fee_units, 1);
    let id = second.application.id.clone();
    // A per-application fee notice without units, earlier units or amount.
    let draft = EventDraft {
        date: day,
        kind: DraftKind::FeeNotice {
            basis: FeeDraft::PerApplication {
                units: None,
                earlier_units: None,
            },
            amount: None,
            received_by_applicant_on: None,
        },
        note: None,
    };
    let r = svc.append_event(&li, &id, draft).await.unwrap();
    let basis = FeeBasis::PerApplication {
        units: 1,
        earlier_units: 3,
    };
    match &r.event.kind {
        EventKind::FeeNoticeSent {
            basis: b, amount, ..
        } => {
            assert_eq!(*b, basis);
            assert_eq!(*amount, fees::quote(basis).total);
        }
        k => panic!("{k:?}"),
    }
    // Payment without an amount pays the notice's amount.
    let paid = EventDraft {
        date: day,
        kind: DraftKind::FeePaid { amount: None },
        note: None,
    };
    let r = svc.append_event(&li, &id, paid).await.unwrap();
    assert_eq!(
        r.event.kind,
        EventKind::FeePaid {
            amount: fees::quote(basis).total
        }
    );
    // An extension without a notification date: notified on the event's date.
    let ext = EventDraft {
        date: day,
        kind: DraftKind::Extended {
            days: 20,
            approved_by: "朱红".into(),
            applicant_notified_on: None,
        },
        note: None,
    };
    let r = svc.append_event(&li, &id, ext).await.unwrap();
    assert!(matches!(
        r.event.kind,
        EventKind::Extended { applicant_notified_on, .. } if applicant_notified_on == day
    ));
    assert_eq!(r.event.recorded_by.as_deref(), Some("li"));
}

async fn one_ordering_of_the_list(svc: &Service) {
    let (li, zhu, wang) = office(svc).await;
    let early = today() - Duration::days(20);
    let late = today() - Duration::days(2);
    let reg = |name: &str, date| new_application(name, name, date, 1);
    let b = svc
        .register(&li, reg("乙", late))
        .await
        .unwrap()
        .application
        .id;
    let a = svc
        .register(&li, reg("甲", early))
        .await
        .unwrap()
        .application
        .id;
    let c = svc
        .register(&li, reg("丙", early))
        .await
        .unwrap()
        .application
        .id;
    let d = svc
        .register(&li, reg("丁", early))
        .await
        .unwrap()
        .application
        .id;
    // c awaits a correction (no running deadline), d is closed.
    let complete = |date, kind| EventDraft::complete(date, kind, None);
    svc.append_event(
        &li,
        &c,
        complete(
            early,
            EventKind::CorrectionRequested {
                items: "写明文号".into(),
                due: today() + Duration::days(10),
            },
        ),
    )
    .await
    .unwrap();
    svc.append_event(
        &li,
        &d,
        complete(
            early,
            EventKind::Decided {
                decision: Decision::Granted,
            },
        ),
    )
    .await
    .unwrap();
    approve_reply(svc, (&li, &zhu, &wang), &d).await;
    svc.append_event(
        &li,
        &d,
        complete(
            early,
            EventKind::ReplySent {
                method: gongkai_ledger::ReplyMethod::Post,
            },
        ),
    )
    .await
    .unwrap();
    let ids = |rows: Vec<gongkai_service::Listed>| -> Vec<ApplicationId> {
        rows.into_iter().map(|r| r.application.id).collect()
    };
    let open = svc.applications(ListFilter::default()).await.unwrap();
    assert_eq!(open[1].state.stage, Stage::Processing);
    assert_eq!(ids(open), vec![a.clone(), b.clone(), c.clone()]);
    let all = svc.applications(ListFilter::all()).await.unwrap();
    assert_eq!(ids(all), vec![a, b, c, d]);
}

async fn the_official_year_end_is_frozen_at_submission(svc: &Service) {
    let (li, zhu, _) = office(svc).await;
    // Last year, closed now (a year is submitted after it ends); the narrative written.
    let year = today().year() - 1;
    let day = NaiveDate::from_ymd_opt(year, 12, 1).unwrap();
    svc.register(&li, new_application("张三", "A1", day, 1))
        .await
        .unwrap();
    write_narrative(svc, &li, year).await;
    let live = svc.official_year_end(year, None).await.unwrap();
    assert_eq!(live.frozen_at, None);
    assert_eq!(live.year_end.figures.new_received[6], 1);
    let subject = ReviewSubject::AnnualReport { year };
    svc.review_step(&li, &subject, ReviewAction::Submit, None)
        .await
        .unwrap();
    // Recorded after the submission: not in the official report.
    svc.register(&li, new_application("李四", "B2", day, 1))
        .await
        .unwrap();
    let frozen = svc.official_year_end(year, None).await.unwrap();
    assert!(frozen.frozen_at.is_some());
    assert_eq!(frozen.year_end.figures.new_received[6], 1);
    // Sent back: live again, with the second application.
    svc.review_step(
        &zhu,
        &subject,
        ReviewAction::SendBack,
        Some("补充说明".into()),
    )
    .await
    .unwrap();
    let live = svc.official_year_end(year, None).await.unwrap();
    assert_eq!(live.frozen_at, None);
    assert_eq!(live.year_end.figures.new_received[6], 2);
    // A year out of range is a bad request.
    let e = svc.official_year_end(1900, None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadRequest);
}

async fn appeals_get_ids_and_stamps(svc: &Service) {
    let (li, _, _) = office(svc).await;
    let filed = today() - Duration::days(3);
    let draft = AppealDraft {
        id: None,
        kind: AppealKind::Reconsideration,
        filed_on: filed,
        application: None,
        role: Default::default(),
        body: Some("  ".into()),
        case_number: None,
        conclusion: None,
    };
    let first = svc.add_appeal(&li, draft.clone()).await.unwrap();
    let second = svc.add_appeal(&li, draft).await.unwrap();
    assert_eq!(first.id, format!("案-{}-001", filed.year()));
    assert_eq!(second.id, format!("案-{}-002", filed.year()));
    assert_eq!(first.recorded_by.as_deref(), Some("li"));
    assert_eq!(first.body, None, "blank text is no value");
    let concluded = svc
        .conclude_appeal(
            &li,
            &first.id,
            gongkai_ledger::AppealConclusion {
                result: gongkai_ledger::AppealResult::Upheld,
                decided_on: today(),
            },
        )
        .await
        .unwrap();
    assert!(concluded.conclusion.is_some());
    let e = svc.appeal("案-1999-001").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

async fn actors_and_errors_have_kinds(svc: &Service) {
    let (li, zhu, wang) = office(svc).await;
    assert_eq!(li.shown_name(), "李明");
    assert_eq!(
        svc.actor("nobody", Via::Cli).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    let id = svc
        .register(&li, new_application("张三", "A1", today(), 1))
        .await
        .unwrap()
        .application
        .id;
    // A leader may not record.
    let e = svc
        .register(&wang, new_application("李四", "B2", today(), 1))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    // A future date is invalid input.
    let e = svc
        .append_event(
            &li,
            &id,
            EventDraft::complete(today() + Duration::days(3), EventKind::Corrected, None),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert_eq!(e.code(), "future_date");
    // Unknown application: not found.
    let e = svc
        .append_event(
            &li,
            &ApplicationId::from("2000-9999"),
            EventDraft::complete(today(), EventKind::Corrected, None),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    // Review rights as the pages show them, and the store enforcing the same.
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
    let review = svc.review(&subject).await.unwrap();
    assert!(allowed(&review, &li).submit);
    assert!(!allowed(&review, &wang).submit);
    svc.review_step(&li, &subject, ReviewAction::Submit, None)
        .await
        .unwrap();
    let review = svc.review(&subject).await.unwrap();
    assert!(!allowed(&review, &wang).approve);
    let e = svc.approve(&wang, &subject, None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    assert!(allowed(&review, &zhu).approve);
    svc.approve(&zhu, &subject, None).await.unwrap();
    let e = svc.approve(&zhu, &subject, None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    svc.approve(&wang, &subject, None).await.unwrap();
}

#[path = "service/supervision_lint.rs"]
mod supervision_lint;
