//! Reviews that bind what they approved (三级审查) and corrections (更正) without losing
//! history, through the service on both backends (SQLite in a temporary directory;
//! PostgreSQL when `GONGKAI_TEST_POSTGRES_URL` names a server). Each bypass has its test:
//! deciding again after approval, sending without approval, reopening as a 信息员 or without
//! a reason, correcting without a reason, entering a figure twice.

use chrono::{Datelike, Duration, NaiveDate};
use gongkai_ledger::{
    AmendDraft, AppealKind, Applicant, ApplicantKind, ApplicationId, Channel, Contact, Decision,
    DecisionArea, DecisionCount, EventKind, FieldChange, GrantedReplyApproval, IdDocument,
    Identity, InformationRequest, ProactiveData, ReopenBy, ReplyMethod,
};
use gongkai_service::records::AppealDraft;
use gongkai_service::{Actor, ErrorKind, EventDraft, Service};
use gongkai_store::{
    AuditQuery, EventInput, NewApplication, ReviewAction, ReviewStatus, ReviewSubject,
};

#[macro_use]
mod common;
use common::{office, postgres, sqlite, today, write_narrative};

on_both_backends!(
    an_approval_binds_the_reply_it_approved,
    the_office_head_approves_granted_replies_where_allowed,
    only_the_leader_reopens_an_approved_report,
    corrections_follow_into_state_deadlines_and_year_end,
    superseded_records_are_never_double_counted,
);

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

fn complete(date: NaiveDate, kind: EventKind) -> EventDraft {
    EventDraft::complete(date, kind, None)
}

fn reply(id: &ApplicationId) -> ReviewSubject {
    ReviewSubject::Reply {
        application: id.clone(),
    }
}

async fn decide(svc: &Service, who: &Actor, id: &ApplicationId, d: Decision, reason: &str) {
    svc.append_event(
        who,
        id,
        EventDraft::complete(
            today(),
            EventKind::Decided { decision: d },
            Some(reason.into()),
        ),
    )
    .await
    .unwrap();
}

/// Submit → 审核通过 → 批准, returning the final status.
async fn approve_all(
    svc: &Service,
    (li, zhu, wang): (&Actor, &Actor, &Actor),
    s: &ReviewSubject,
) -> ReviewStatus {
    svc.review_step(li, s, ReviewAction::Submit, None)
        .await
        .unwrap();
    svc.approve(zhu, s, None).await.unwrap();
    svc.approve(wang, s, Some("同意".into()))
        .await
        .unwrap()
        .status
}

async fn send(svc: &Service, who: &Actor, id: &ApplicationId) -> gongkai_service::Result<()> {
    svc.append_event(
        who,
        id,
        complete(
            today(),
            EventKind::ReplySent {
                method: ReplyMethod::Post,
            },
        ),
    )
    .await
    .map(|_| ())
}

async fn an_approval_binds_the_reply_it_approved(svc: &Service) {
    let (li, zhu, wang) = office(svc).await;
    let who = (&li, &zhu, &wang);
    let id = svc
        .register(&li, new_application("张三", "A1", today(), 1))
        .await
        .unwrap()
        .application
        .id;
    let s = reply(&id);
    decide(svc, &li, &id, Decision::Granted, "属于公开范围").await;

    // Sending without approval: refused with a typed error, a Chinese message.
    let e = send(svc, &li, &id).await.unwrap_err();
    assert_eq!(e.code(), "reply_not_approved");
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert!(e.to_string().contains("尚未经审核批准"), "{e}");

    assert_eq!(approve_all(svc, who, &s).await, ReviewStatus::Approved);
    let r = svc.review(&s).await.unwrap();
    let approved = r.approved().unwrap();
    assert_eq!(approved.snapshot["decision"], "granted");
    assert_eq!(approved.snapshot["reason"], "属于公开范围");
    assert_eq!(approved.snapshot["letter"]["applicant"], "张三");
    let digest = approved.snapshot["digest"].as_str().unwrap().to_string();
    assert_eq!(digest.len(), 64);
    assert_eq!(r.current.as_ref().unwrap()["digest"], digest.as_str());

    // Deciding again after approval (even the same outcome, another reason): 需重新审核,
    // and the reply cannot be sent.
    decide(svc, &li, &id, Decision::Granted, "经复核，属于公开范围").await;
    let r = svc.review(&s).await.unwrap();
    assert_eq!(r.status, ReviewStatus::NeedsReReview);
    assert_eq!(r.approved().unwrap().snapshot["digest"], digest.as_str());
    assert_eq!(
        send(svc, &li, &id).await.unwrap_err().code(),
        "reply_not_approved"
    );
    // The reviewer cannot approve the stale round.
    let e = svc.approve(&wang, &s, None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);

    // Submitted and approved again; then a correction of the request: 需重新审核 again.
    assert_eq!(approve_all(svc, who, &s).await, ReviewStatus::Approved);
    let draft = AmendDraft {
        description: Some("某项目环评批复（补正后）".into()),
        ..AmendDraft::default()
    };
    svc.correct_application(&li, &id, &draft, "申请人补正了所需信息", None)
        .await
        .unwrap();
    let r = svc.review(&s).await.unwrap();
    assert_eq!(r.status, ReviewStatus::NeedsReReview);
    assert_eq!(
        r.current.unwrap()["letter"]["description"],
        "某项目环评批复（补正后）"
    );

    // A changed letter template for the decision: 需重新审核 too.
    assert_eq!(approve_all(svc, who, &s).await, ReviewStatus::Approved);
    svc.store()
        .set_template(
            "granted",
            "答复告知书",
            "{申请人}：\n\n予以公开。",
            &zhu.stamp(),
        )
        .await
        .unwrap();
    assert_eq!(
        svc.review(&s).await.unwrap().status,
        ReviewStatus::NeedsReReview
    );

    // A changed 复议机关 in the office settings changes the remedy paragraph: 需重新审核.
    assert_eq!(approve_all(svc, who, &s).await, ReviewStatus::Approved);
    let office = gongkai_ledger::OfficeSettings {
        reconsideration_organ: "某市人民政府".into(),
        ..Default::default()
    };
    svc.set_office(&zhu, &office).await.unwrap();
    let r = svc.review(&s).await.unwrap();
    assert_eq!(r.status, ReviewStatus::NeedsReReview);
    assert_eq!(
        r.current.unwrap()["letter"]["reconsideration_organ"],
        "某市人民政府"
    );

    // Approved as it stands: sent. The review stays as it was once the reply is out.
    assert_eq!(approve_all(svc, who, &s).await, ReviewStatus::Approved);
    send(svc, &li, &id).await.unwrap();
    assert_eq!(svc.review(&s).await.unwrap().status, ReviewStatus::Approved);
    // The approval is audited with what it bound.
    let audit = svc
        .store()
        .audit(&AuditQuery {
            subject_kind: Some("application".into()),
            subject_id: Some(id.0.clone()),
            limit: Some(200),
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert!(audit.iter().any(|a| {
        a.action == "review.approve"
            && a.detail["snapshot"]["digest"]
                .as_str()
                .is_some_and(|d| d.len() == 64)
    }));
}

async fn the_office_head_approves_granted_replies_where_allowed(svc: &Service) {
    let (li, zhu, wang) = office(svc).await;
    let mut settings = svc.store().settings().await.unwrap();
    assert_eq!(
        settings.granted_reply_approval,
        GrantedReplyApproval::AllLevels
    );
    settings.granted_reply_approval = GrantedReplyApproval::OfficeHead;
    svc.store()
        .set_settings(settings, &zhu.stamp())
        .await
        .unwrap();
    let a = svc
        .register(&li, new_application("张三", "A1", today(), 1))
        .await
        .unwrap()
        .application
        .id;
    let b = svc
        .register(&li, new_application("李四", "B2", today(), 1))
        .await
        .unwrap()
        .application
        .id;
    decide(svc, &li, &a, Decision::Granted, "属于公开范围").await;
    decide(svc, &li, &b, Decision::UnableNotHeld, "经检索未制作").await;
    for id in [&a, &b] {
        svc.review_step(&li, &reply(id), ReviewAction::Submit, None)
            .await
            .unwrap();
    }
    // 予以公开: the office head's approval is final.
    let r = svc.approve(&zhu, &reply(&a), None).await.unwrap();
    assert_eq!(r.status, ReviewStatus::Approved);
    send(svc, &li, &a).await.unwrap();
    // Any other reply still goes to the leader.
    let r = svc.approve(&zhu, &reply(&b), None).await.unwrap();
    assert_eq!(r.status, ReviewStatus::AwaitingApproval);
    let r = svc.approve(&wang, &reply(&b), None).await.unwrap();
    assert_eq!(r.status, ReviewStatus::Approved);
}

async fn only_the_leader_reopens_an_approved_report(svc: &Service) {
    let (li, zhu, wang) = office(svc).await;
    let year = today().year() - 1;
    let s = ReviewSubject::AnnualReport { year };
    write_narrative(svc, &li, year).await;
    assert_eq!(
        approve_all(svc, (&li, &zhu, &wang), &s).await,
        ReviewStatus::Approved
    );
    assert!(
        svc.official_year_end(year, None)
            .await
            .unwrap()
            .frozen_at
            .is_some()
    );
    // A 信息员 cannot reopen, nor get round it by submitting the approved report again.
    let e = svc
        .reopen_annual_report(&li, year, "数据有误")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    let e = svc
        .review_step(&li, &s, ReviewAction::Submit, None)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    // The office head only where the office allows it.
    let e = svc
        .reopen_annual_report(&zhu, year, "数据有误")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    // Without a reason: refused.
    let e = svc
        .reopen_annual_report(&wang, year, "  ")
        .await
        .unwrap_err();
    assert_eq!(e.code(), "missing_reason");
    assert_eq!(svc.review(&s).await.unwrap().status, ReviewStatus::Approved);
    let r = svc
        .reopen_annual_report(&wang, year, "第二部分许可决定数有误")
        .await
        .unwrap();
    assert_eq!(r.status, ReviewStatus::Reopened);
    // The approval is discarded: the figures are live again; the step is audited.
    assert!(
        svc.official_year_end(year, None)
            .await
            .unwrap()
            .frozen_at
            .is_none()
    );
    let audit = svc
        .store()
        .audit(&AuditQuery {
            subject_kind: Some("annual_report".into()),
            subject_id: Some(year.to_string()),
            limit: None,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert!(audit.iter().any(|a| a.action == "review.reopen"
        && a.actor == "wang"
        && a.detail["note"] == "第二部分许可决定数有误"));
    // Submitted and approved again; now the office allows the office head to reopen.
    assert_eq!(
        approve_all(svc, (&li, &zhu, &wang), &s).await,
        ReviewStatus::Approved
    );
    let mut settings = svc.store().settings().await.unwrap();
    assert_eq!(settings.annual_report_reopen, ReopenBy::Leader);
    settings.annual_report_reopen = ReopenBy::OfficeHead;
    svc.store()
        .set_settings(settings, &zhu.stamp())
        .await
        .unwrap();
    let e = svc
        .reopen_annual_report(&li, year, "数据有误")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    let r = svc
        .reopen_annual_report(&zhu, year, "数据有误")
        .await
        .unwrap();
    assert_eq!(r.status, ReviewStatus::Reopened);
}

async fn corrections_follow_into_state_deadlines_and_year_end(svc: &Service) {
    let (li, zhu, wang) = office(svc).await;
    let year = today().year();
    let day = (today() - Duration::days(14)).max(NaiveDate::from_ymd_opt(year, 1, 1).unwrap());
    let registered = svc
        .register(&li, new_application("张三公司", "A1", today(), 1))
        .await
        .unwrap();
    let id = registered.application.id.clone();
    let live = |svc: &Service| {
        let svc = svc.clone();
        async move {
            svc.official_year_end(year, None)
                .await
                .unwrap()
                .year_end
                .figures
        }
    };
    let f = live(svc).await;
    assert_eq!(f.new_received[ApplicantKind::NaturalPerson.column()], 1);

    // No reason, nothing changed, a role that does not record: refused, nothing written.
    let kind = AmendDraft {
        applicant_kind: Some(ApplicantKind::Commercial),
        received_on: Some(day),
        ..AmendDraft::default()
    };
    let e = svc
        .correct_application(&li, &id, &kind, " ", None)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    let same = AmendDraft {
        applicant_kind: Some(ApplicantKind::NaturalPerson),
        ..AmendDraft::default()
    };
    let e = svc
        .correct_application(&li, &id, &same, "无", None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "nothing_to_amend");
    let e = svc
        .correct_application(&wang, &id, &kind, "类型录错", None)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    assert_eq!(
        svc.application(&id, None)
            .await
            .unwrap()
            .application
            .events
            .len(),
        1
    );

    let r = svc
        .correct_application(&li, &id, &kind, "登记时申请人类型和收到日期录错", None)
        .await
        .unwrap();
    // The timeline: old → new, who, why.
    let EventKind::Amended { changes, reason } = &r.event.kind else {
        panic!("{:?}", r.event.kind)
    };
    assert_eq!(reason, "登记时申请人类型和收到日期录错");
    assert_eq!(r.event.recorded_by.as_deref(), Some("li"));
    assert!(changes.contains(&FieldChange::ApplicantKind {
        from: ApplicantKind::NaturalPerson,
        to: ApplicantKind::Commercial,
    }));
    assert!(
        changes
            .iter()
            .any(|c| c.describe_zh() == "申请人类型：自然人 → 商业企业")
    );
    // The state and the deadline follow the corrected receipt date.
    let d = svc.application(&id, None).await.unwrap();
    assert_eq!(d.application.applicant.kind, ApplicantKind::Commercial);
    assert_eq!(d.state.received_on, Some(day));
    if day <= today() - Duration::days(7) {
        assert!(d.state.deadline() < registered.state.deadline());
    }
    // The year-end table: the case moved to the right column of 表三.
    let f = live(svc).await;
    assert_eq!(f.new_received[ApplicantKind::NaturalPerson.column()], 0);
    assert_eq!(f.new_received[ApplicantKind::Commercial.column()], 1);
    // The registration as first entered is kept.
    assert_eq!(
        d.application.original().applicant.kind,
        ApplicantKind::NaturalPerson
    );

    // A frozen report keeps what was known at the submission (submitted once the year
    // is over, with its narrative written).
    let s = ReviewSubject::AnnualReport { year };
    write_narrative(svc, &li, year).await;
    let january = svc
        .clone()
        .with_date(NaiveDate::from_ymd_opt(year + 1, 1, 10).unwrap());
    january
        .review_step(&li, &s, ReviewAction::Submit, None)
        .await
        .unwrap();
    let back = AmendDraft {
        applicant_kind: Some(ApplicantKind::Research),
        ..AmendDraft::default()
    };
    svc.correct_application(&zhu, &id, &back, "实为科研机构", None)
        .await
        .unwrap();
    let frozen = svc
        .official_year_end(year, None)
        .await
        .unwrap()
        .year_end
        .figures;
    assert_eq!(frozen.new_received[ApplicantKind::Commercial.column()], 1);
    assert_eq!(frozen.new_received[ApplicantKind::Research.column()], 0);
    // A correction against stale values (someone corrected first) is refused.
    let app = svc.application(&id, None).await.unwrap().application;
    let mut stale = app.clone();
    stale.applicant.kind = ApplicantKind::Commercial;
    let changes = stale.amendment(&AmendDraft {
        applicant_kind: Some(ApplicantKind::LegalService),
        ..AmendDraft::default()
    });
    let e = svc
        .append_event(
            &li,
            &id,
            complete(
                today(),
                EventKind::Amended {
                    changes: changes.unwrap(),
                    reason: "x".into(),
                },
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "amend_stale");
}

fn decisions(count: u64) -> ProactiveData {
    let year = today().year();
    ProactiveData::Decisions(DecisionCount {
        area: DecisionArea::Licensing,
        from: NaiveDate::from_ymd_opt(year, 1, 1).unwrap(),
        to: today(),
        count,
    })
}

async fn superseded_records_are_never_double_counted(svc: &Service) {
    let (li, _, wang) = office(svc).await;
    let year = today().year();
    let figures = |svc: &Service| {
        let svc = svc.clone();
        async move {
            svc.official_year_end(year, None)
                .await
                .unwrap()
                .year_end
                .figures
        }
    };
    let (first, _) = svc.set_proactive(&li, None, decisions(10)).await.unwrap();
    // Entering the same figure again would count it twice: refused.
    let e = svc
        .set_proactive(&li, None, decisions(12))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "overlapping_record");
    assert_eq!(e.kind(), ErrorKind::Invalid);
    // Corrected: the new version counts, the old one is kept.
    let e = svc
        .correct_proactive(&li, &first.id, decisions(12), "")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    let e = svc
        .correct_proactive(&wang, &first.id, decisions(12), "录入有误")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    let v2 = svc
        .correct_proactive(&li, &first.id, decisions(12), "录入有误")
        .await
        .unwrap();
    assert_eq!(v2.id, format!("{}-v2", first.id));
    assert_eq!(v2.supersedes.as_ref().unwrap().id, first.id);
    assert_eq!(figures(svc).await.decisions[0], 12);
    assert_eq!(svc.proactive_records().await.unwrap().len(), 2);
    // The old version cannot be corrected again.
    let e = svc
        .correct_proactive(&li, &first.id, decisions(13), "再改")
        .await
        .unwrap_err();
    assert_eq!(e.code(), "superseded");
    // Voided: counted nowhere.
    svc.void_proactive(&li, &v2.id, "重复录入").await.unwrap();
    assert_eq!(figures(svc).await.decisions[0], 0);

    // Appeals: a case entered twice is voided; a wrong kind is corrected.
    let draft = |kind| AppealDraft {
        id: None,
        kind,
        filed_on: today(),
        application: None,
        role: Default::default(),
        body: None,
        case_number: None,
        conclusion: None,
    };
    let a = svc
        .add_appeal(&li, draft(AppealKind::Reconsideration))
        .await
        .unwrap();
    let b = svc
        .add_appeal(&li, draft(AppealKind::Reconsideration))
        .await
        .unwrap();
    assert_eq!(figures(svc).await.appeals[0][4], 2);
    svc.void_appeal(&li, &b.id, "同一案件重复登记")
        .await
        .unwrap();
    let f = figures(svc).await;
    assert_eq!(f.appeals[0][4], 1);
    let c = svc
        .correct_appeal(
            &li,
            &a.id,
            draft(AppealKind::LitigationDirect),
            "实为直接起诉",
        )
        .await
        .unwrap();
    let f = figures(svc).await;
    assert_eq!((f.appeals[0][4], f.appeals[1][4]), (0, 1));
    // The superseded case cannot be concluded any more; the current one can.
    let conclusion = gongkai_ledger::AppealConclusion {
        result: gongkai_ledger::AppealResult::Upheld,
        decided_on: today(),
    };
    let e = svc
        .conclude_appeal(&li, &a.id, conclusion)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "superseded");
    svc.conclude_appeal(&li, &c.id, conclusion).await.unwrap();
}
