//! Online applications (issue 17 §3) through the service, on both backends: a submission
//! lands in the ledger with channel 网上提交, received on the day (art. 31(3)) or left for
//! the clerk to confirm; the 查询码 and phone together show the status, in words, with a
//! correction request; any other pair — or another agency — is not found; bad forms are
//! refused naming the field; every submission is audited.

use gongkai_ledger::{Channel, EventKind};
use gongkai_service::applications::EventDraft;
use gongkai_service::portal::apply::{OnlineForm, normalise_code};
use gongkai_service::{ErrorKind, Service, Via};
use gongkai_store::AuditQuery;
use gongkai_store::online::PUBLIC_ACTOR;

#[macro_use]
mod common;
use common::{office, postgres, sqlite, today};

on_both_backends!(
    a_submission_lands_in_the_ledger_and_is_followed_by_code_and_phone,
    the_office_may_confirm_receipt_by_hand,
    bad_forms_are_refused_naming_the_field,
);

fn form() -> OnlineForm {
    OnlineForm {
        kind: "natural_person".into(),
        name: "张三".into(),
        id_number: "110101199003070011".into(),
        phone: "0591-8765 4321".into(),
        email: "zhangsan@example.com".into(),
        description: "2025年本市老旧小区改造项目清单".into(),
        document_number: "某政办〔2025〕3号".into(),
        form: "electronic".into(),
        delivery: "email".into(),
        ..Default::default()
    }
}

async fn a_submission_lands_in_the_ledger_and_is_followed_by_code_and_phone(svc: &Service) {
    let (li, _zhu, _wang) = office(svc).await;
    let me = svc.portal_agencies().await.unwrap()[0].0.clone();
    let receipt = svc.apply_online(&me, &form(), "203.0.113.7").await.unwrap();
    assert_eq!(receipt.code.len(), 14, "XXXX-XXXX-XXXX: {}", receipt.code);
    assert_eq!(normalise_code(&receipt.code).len(), 12);
    assert_eq!(receipt.received_on, Some(today()));
    let other = svc.apply_online(&me, &form(), "203.0.113.7").await.unwrap();
    assert_ne!(receipt.code, other.code);
    assert_ne!(receipt.application_id, other.application_id);

    // In the ledger: channel 网上提交, received today, the applicant's data kept.
    let id = gongkai_ledger::ApplicationId(receipt.application_id.clone());
    let detail = svc.application(&id, None).await.unwrap();
    let app = &detail.application;
    assert_eq!(app.applicant.name, "张三");
    assert_eq!(app.request.delivery, gongkai_ledger::Delivery::Email);
    assert!(matches!(
        app.events[0].kind,
        EventKind::Received { channel: Channel::Online { submitted_on } } if submitted_on == today()
    ));
    assert_eq!(app.events[0].recorded_by.as_deref(), Some(PUBLIC_ACTOR));
    let audit = svc
        .store()
        .audit(&AuditQuery {
            action: Some("application.online".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);
    assert_eq!(audit[0].actor, PUBLIC_ACTOR);

    // The status: the code typed loosely, the phone with other separators.
    let loose = receipt.code.to_lowercase().replace('-', " ");
    let s = svc
        .online_status(&me, &loose, "059187654321")
        .await
        .unwrap();
    assert_eq!(s.application_id, receipt.application_id);
    assert_eq!(s.state, "已收到，正在办理");
    assert_eq!(s.received_on, Some(today()));
    // Any other pair: not found, the same answer whatever was wrong.
    for (code, phone) in [
        (receipt.code.as_str(), "0591-00000000"),
        (other.code.as_str(), "13800000000"),
        ("ABCD-EFGH-JKMN", "0591-8765 4321"),
        ("short", "0591-8765 4321"),
        (receipt.code.as_str(), ""),
    ] {
        let e = svc.online_status(&me, code, phone).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound, "{code} {phone}");
    }

    // The clerk asks for a correction: the applicant sees what and by when.
    let due = today() + chrono::Duration::days(15);
    svc.append_event(
        &li,
        &id,
        EventDraft::complete(
            today(),
            EventKind::CorrectionRequested {
                items: "请写明所需信息的具体年份和区域".into(),
                due,
            },
            Some("内部备注：不对外".into()),
        ),
    )
    .await
    .unwrap();
    let s = svc
        .online_status(&me, &receipt.code, "0591-8765 4321")
        .await
        .unwrap();
    assert_eq!(s.state, "待补正");
    assert_eq!(
        s.correction,
        Some(("请写明所需信息的具体年份和区域".to_string(), due))
    );
    let text: String = s.steps.iter().map(|st| st.text.clone()).collect();
    assert!(!text.contains("内部备注"), "no office notes: {text}");

    // The applicant corrects online: the correction is recorded, the request closed.
    let s = svc
        .correct_online(
            &me,
            &receipt.code,
            "0591-8765 4321",
            "所需信息为2025年鼓楼区的项目清单",
        )
        .await
        .unwrap();
    assert_eq!(s.state, "已收到补正，正在办理");
    assert_eq!(s.correction, None);
    let detail = svc.application(&id, None).await.unwrap();
    let last = detail.application.events.last().unwrap();
    assert!(matches!(last.kind, EventKind::Corrected));
    assert_eq!(last.recorded_by.as_deref(), Some(PUBLIC_ACTOR));
    assert!(last.note.as_deref().unwrap().contains("鼓楼区"));
    let e = svc
        .correct_online(&me, &receipt.code, "0591-8765 4321", "再补一次")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
    let e = svc
        .correct_online(&me, &receipt.code, "0591-0000", "冒充")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);

    // The reply: no letter until it is sent (approved first); then the applicant downloads
    // the approved letter, never a draft.
    assert!(!s.letter);
    assert_eq!(
        svc.online_letter(&me, &receipt.code, "0591-8765 4321")
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    svc.append_event(
        &li,
        &id,
        EventDraft::complete(
            today(),
            EventKind::Decided {
                decision: gongkai_ledger::Decision::Granted,
            },
            None,
        ),
    )
    .await
    .unwrap();
    let subject = gongkai_store::ReviewSubject::Reply {
        application: id.clone(),
    };
    svc.review_step(&li, &subject, gongkai_store::ReviewAction::Submit, None)
        .await
        .unwrap();
    svc.approve(&_zhu, &subject, None).await.unwrap();
    svc.approve(&_wang, &subject, None).await.unwrap();
    svc.append_event(
        &li,
        &id,
        EventDraft::complete(
            today(),
            EventKind::ReplySent {
                method: gongkai_ledger::ReplyMethod::Email,
            },
            None,
        ),
    )
    .await
    .unwrap();
    let s = svc
        .online_status(&me, &receipt.code, "0591-8765 4321")
        .await
        .unwrap();
    assert_eq!(s.state, "已答复");
    assert!(s.letter);
    let letter = svc
        .online_letter(&me, &receipt.code, "0591-8765 4321")
        .await
        .unwrap();
    assert!(!letter.draft);
    assert!(letter.paragraphs[0].contains("张三"), "{letter:?}");

    // Another agency's 专栏 does not know the code.
    let admin = svc.actor("admin", Via::Cli).await.unwrap();
    svc.add_agency(&admin, "local-1", "B", "某区某局", "县区")
        .await
        .unwrap();
    let b = svc.portal_agency("B").await.unwrap();
    let e = svc
        .online_status(&b, &receipt.code, "0591-8765 4321")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

async fn the_office_may_confirm_receipt_by_hand(svc: &Service) {
    office(svc).await;
    let admin = svc.actor("admin", Via::Cli).await.unwrap();
    let mut settings = svc.office().await.unwrap();
    settings.online_receipt_by_clerk = true;
    svc.set_office(&admin, &settings).await.unwrap();
    let me = svc.portal_agencies().await.unwrap()[0].0.clone();
    let receipt = svc
        .apply_online(&me, &form(), "198.51.100.2")
        .await
        .unwrap();
    assert_eq!(receipt.received_on, None);
    let s = svc
        .online_status(&me, &receipt.code, "0591-8765 4321")
        .await
        .unwrap();
    assert_eq!(s.state, "已提交，待工作人员确认收到");
    assert!(s.steps.is_empty());
}

async fn bad_forms_are_refused_naming_the_field(svc: &Service) {
    office(svc).await;
    let me = svc.portal_agencies().await.unwrap()[0].0.clone();
    let cases: Vec<(OnlineForm, &str)> = vec![
        (
            OnlineForm {
                id_number: " ".into(),
                ..form()
            },
            "证件号码",
        ),
        (
            OnlineForm {
                phone: "123".into(),
                ..form()
            },
            "联系电话",
        ),
        (
            OnlineForm {
                description: String::new(),
                ..form()
            },
            "所需信息",
        ),
        (
            OnlineForm {
                email: String::new(),
                ..form()
            },
            "电子邮箱",
        ),
        (
            OnlineForm {
                email: "not-an-address".into(),
                ..form()
            },
            "电子邮箱",
        ),
        (
            OnlineForm {
                delivery: "post".into(),
                ..form()
            },
            "通信地址",
        ),
        (
            OnlineForm {
                kind: "martian".into(),
                ..form()
            },
            "申请人类型",
        ),
        (
            OnlineForm {
                fee_waiver: true,
                ..form()
            },
            "减免理由",
        ),
        (
            OnlineForm {
                name: "张".repeat(5000),
                ..form()
            },
            "",
        ),
    ];
    for (f, field) in cases {
        let e = svc.apply_online(&me, &f, "-").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Invalid, "{field}: {e}");
        assert!(e.to_string().contains(field), "{field}: {e}");
    }
    // Nothing was registered.
    assert!(
        svc.applications(Default::default())
            .await
            .unwrap()
            .is_empty()
    );
}
