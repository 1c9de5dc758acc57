//! Letter templates through the service, on both backends (SQLite in a temporary
//! directory; PostgreSQL when `GONGKAI_TEST_POSTGRES_URL` names a server): who may edit,
//! placeholder validation, versions and their history, restoring a version and the
//! built-in text, the preview, the letter after a save, and an approved reply that must be
//! reviewed again after a template change.

use chrono::Duration;
use gongkai_ledger::{
    Applicant, ApplicantKind, ApplicationId, Channel, Contact, Decision, EventKind,
    InformationRequest,
};
use gongkai_service::letters::{DEFAULT_TITLE, default_body};
use gongkai_service::{Actor, ErrorKind, EventDraft, Service};
use gongkai_store::{
    AuditQuery, EventInput, NewApplication, ReviewAction, ReviewStatus, ReviewSubject,
    TemplateOrigin,
};

#[macro_use]
mod common;
use common::{office, postgres, sqlite, today};

on_both_backends!(
    only_the_office_head_and_the_admin_edit_templates,
    templates_are_saved_in_versions_and_restored,
    the_letter_and_the_preview_use_the_template,
    a_template_change_puts_an_approved_reply_back_to_review,
);

const BODY: &str = "{申请人}：\n\n{您}于{收到日期}提出的申请（编号 {编号}）收悉。经审查，本机关决定予以公开。\n\n依据：{依据}。\n\n{救济}";

/// An application received 20 days ago and decided (予以公开) 3 days ago.
async fn decided(svc: &Service, li: &Actor, name: &str) -> ApplicationId {
    let new = NewApplication {
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
            date: today() - Duration::days(20),
            kind: EventKind::Received {
                channel: Channel::InPerson { oral: false },
            },
            note: None,
        }),
    };
    let id = svc.register(li, new).await.unwrap().application.id;
    svc.append_event(
        li,
        &id,
        EventDraft::complete(
            today() - Duration::days(3),
            EventKind::Decided {
                decision: Decision::Granted,
            },
            None,
        ),
    )
    .await
    .unwrap();
    id
}

async fn only_the_office_head_and_the_admin_edit_templates(svc: &Service) {
    let (li, zhu, wang) = office(svc).await;
    let admin = svc.actor("admin", gongkai_service::Via::Web).await.unwrap();
    for who in [&li, &wang] {
        let e = svc
            .save_letter_template(who, "granted", "", BODY, None)
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Forbidden, "{e}");
        let e = svc.letter_templates(who).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Forbidden);
        let e = svc
            .restore_default_letter_template(who, "granted", None)
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Forbidden);
    }
    assert!(svc.store().template("granted").await.unwrap().is_none());
    for who in [&zhu, &admin] {
        let list = svc.letter_templates(who).await.unwrap();
        assert_eq!(list.len(), Decision::ALL.len());
        assert_eq!(list[0].key, "granted");
    }
    svc.save_letter_template(&zhu, "granted", "", BODY, Some("第一版"))
        .await
        .unwrap()
        .unwrap();
    svc.save_letter_template(&admin, "granted", "", &format!("{BODY}\n特此告知。"), None)
        .await
        .unwrap()
        .unwrap();
    // An unknown key.
    let e = svc
        .save_letter_template(&zhu, "nope", "", BODY, None)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);

    // Validation: unknown placeholder, unbalanced brace, missing required, with the line.
    let bad = "{申请人}：\n\n{姓名}您好。\n\n{救济}";
    let e = svc
        .save_letter_template(&zhu, "granted", "", bad, None)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    let m = e.to_string();
    assert!(
        m.starts_with("模板正文：第 3 行：未知的占位符“{姓名}”"),
        "{m}"
    );
    let e = svc
        .save_letter_template(&zhu, "granted", "", "{申请人}：\n依据{依据。\n{救济}", None)
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("第 2 行：左花括号“{”没有配对的“}”"),
        "{e}"
    );
    let e = svc
        .save_letter_template(&zhu, "granted", "", "{申请人}：予以公开。", None)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("缺少必需的占位符“{救济}”"), "{e}");
    let e = svc
        .save_letter_template(&zhu, "denied_state_secret", "", "{申请人}：\n{救济}", None)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("“{理由}”"), "{e}");
    let long = format!("{BODY}{}", "字".repeat(20_001));
    let e = svc
        .save_letter_template(&zhu, "granted", "", &long, None)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("超过 20000 个字"), "{e}");
    // Nothing of it was saved.
    assert_eq!(
        svc.store()
            .template_versions("granted")
            .await
            .unwrap()
            .len(),
        2
    );
    // Every write is audited, with who.
    let audit = svc
        .store()
        .audit(&AuditQuery {
            subject_kind: Some("template".into()),
            subject_id: Some("granted".into()),
            limit: Some(50),
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    let who: Vec<&str> = audit.iter().map(|a| a.actor.as_str()).collect();
    assert_eq!(who, ["admin", "zhu"]);
    assert!(audit.iter().all(|a| a.action == "template.set"));
    assert_eq!(audit[1].detail["note"], "第一版");
}

async fn templates_are_saved_in_versions_and_restored(svc: &Service) {
    let (_, zhu, _) = office(svc).await;
    let v1 = svc
        .save_letter_template(&zhu, "granted", "予以公开告知书", BODY, Some("第一版"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((v1.version, v1.origin), (1, TemplateOrigin::Edit));
    // The browser's line ends are normalised; the same text again writes nothing.
    let again = svc
        .save_letter_template(
            &zhu,
            "granted",
            "予以公开告知书",
            &BODY.replace('\n', "\r\n"),
            None,
        )
        .await
        .unwrap();
    assert!(again.is_none());
    let second = BODY.replace("本机关决定予以公开", "本机关决定全部予以公开");
    let v2 = svc
        .save_letter_template(&zhu, "granted", "予以公开告知书", &second, Some("措辞"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(v2.version, 2);
    let view = svc.letter_template(&zhu, "granted").await.unwrap();
    assert!(view.custom);
    assert_eq!(view.body, second);
    assert_eq!(
        view.versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        [2, 1]
    );
    assert_eq!(view.versions[0].saved_by, "zhu");
    assert_eq!(view.versions[0].note.as_deref(), Some("措辞"));
    // An old version, then restored as a new version.
    let old = svc
        .letter_template_version(&zhu, "granted", 1)
        .await
        .unwrap();
    assert_eq!(old.body, BODY);
    let e = svc
        .letter_template_version(&zhu, "granted", 9)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let v3 = svc
        .restore_letter_template(&zhu, "granted", 1, Some("改回"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (v3.version, v3.origin, v3.restored_from),
        (3, TemplateOrigin::Restore, Some(1))
    );
    assert_eq!(
        svc.store().template("granted").await.unwrap().unwrap().body,
        BODY
    );
    // The built-in text: the office text is no longer in force, the history keeps it.
    let v4 = svc
        .restore_default_letter_template(&zhu, "granted", None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((v4.version, v4.origin), (4, TemplateOrigin::Default));
    assert_eq!(v4.body, default_body(Decision::Granted));
    assert!(svc.store().template("granted").await.unwrap().is_none());
    let view = svc.letter_template(&zhu, "granted").await.unwrap();
    assert!(!view.custom);
    assert_eq!(view.title, DEFAULT_TITLE);
    assert_eq!(view.versions.len(), 4);
    // Already the built-in text: nothing written; saving the built-in text neither.
    assert!(
        svc.restore_default_letter_template(&zhu, "granted", None)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        svc.save_letter_template(&zhu, "granted", "", &default_body(Decision::Granted), None)
            .await
            .unwrap()
            .is_none()
    );
    // Restoring version 2 brings the office's text back.
    svc.restore_letter_template(&zhu, "granted", 2, None)
        .await
        .unwrap();
    assert_eq!(
        svc.store().template("granted").await.unwrap().unwrap().body,
        second
    );
    let actions: Vec<String> = svc
        .store()
        .audit(&AuditQuery {
            subject_kind: Some("template".into()),
            subject_id: Some("granted".into()),
            limit: Some(50),
            ..AuditQuery::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(
        actions,
        [
            "template.restore",
            "template.default",
            "template.restore",
            "template.set",
            "template.set"
        ]
    );
}

async fn the_letter_and_the_preview_use_the_template(svc: &Service) {
    let (li, zhu, _) = office(svc).await;
    let id = decided(svc, &li, "张三").await;
    let before = svc.letter(&li, &id).await.unwrap();
    assert!(before.paragraphs.join("\n").contains("属于公开范围"));

    // The preview: the draft text on this application, nothing saved, problems listed.
    let draft = BODY.replace("本机关决定予以公开", "本机关决定予以公开（预览）");
    let choices = svc.preview_choices(&zhu, "granted").await.unwrap();
    assert_eq!(choices[0].id, id);
    assert_eq!(choices[0].applicant, "张三");
    let p = svc
        .preview_letter_template(&zhu, "granted", "", &draft, Some(&id))
        .await
        .unwrap();
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    let letter = p.letter.unwrap();
    assert!(letter.draft);
    let text = letter.paragraphs.join("\n");
    assert!(text.contains("本机关决定予以公开（预览）"), "{text}");
    assert!(text.starts_with("张三："), "{text}");
    assert!(text.contains("六个月内"), "{text}");
    assert!(svc.store().template("granted").await.unwrap().is_none());
    let p = svc
        .preview_letter_template(&zhu, "granted", "", "{申请人}：{姓名}", Some(&id))
        .await
        .unwrap();
    assert!(p.problems.iter().any(|p| p.message.contains("{姓名}")));
    assert!(p.letter.is_some());
    // The template of another decision on this application: said so.
    let p = svc
        .preview_letter_template(&zhu, "unable_not_held", "", "{申请人}：\n{救济}", Some(&id))
        .await
        .unwrap();
    assert_eq!(p.other_decision, Some(Decision::Granted));
    let e = svc
        .preview_letter_template(&li, "granted", "", BODY, Some(&id))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);

    // Saved: the application's letter uses the new text and title.
    svc.save_letter_template(&zhu, "granted", "公开告知书", &draft, None)
        .await
        .unwrap();
    let after = svc.letter(&li, &id).await.unwrap();
    assert_eq!(after.title, "公开告知书");
    let text = after.paragraphs.join("\n");
    assert!(text.contains("本机关决定予以公开（预览）"), "{text}");
    assert!(!text.contains("属于公开范围"), "{text}");
    // The built-in text again: the letter as before.
    svc.restore_default_letter_template(&zhu, "granted", None)
        .await
        .unwrap();
    assert_eq!(svc.letter(&li, &id).await.unwrap(), before);
}

async fn a_template_change_puts_an_approved_reply_back_to_review(svc: &Service) {
    let (li, zhu, wang) = office(svc).await;
    let id = decided(svc, &li, "李四").await;
    let s = ReviewSubject::Reply {
        application: id.clone(),
    };
    let approve = || async {
        svc.review_step(&li, &s, ReviewAction::Submit, None)
            .await
            .unwrap();
        svc.approve(&zhu, &s, None).await.unwrap();
        svc.approve(&wang, &s, None).await.unwrap().status
    };
    assert_eq!(approve().await, ReviewStatus::Approved);
    assert!(!svc.letter(&li, &id).await.unwrap().draft);
    // A template of another decision changes nothing.
    svc.save_letter_template(&zhu, "unable_not_held", "", "{申请人}：\n\n{救济}", None)
        .await
        .unwrap();
    assert_eq!(svc.review(&s).await.unwrap().status, ReviewStatus::Approved);
    // The reply's template: 需重新审核, the letter a draft again, not sendable.
    svc.save_letter_template(&zhu, "granted", "", BODY, None)
        .await
        .unwrap();
    let r = svc.review(&s).await.unwrap();
    assert_eq!(r.status, ReviewStatus::NeedsReReview);
    assert_eq!(r.current.unwrap()["letter"]["template"]["body"], BODY);
    assert!(svc.letter(&li, &id).await.unwrap().draft);
    // Approved again with the new text; restoring the built-in text is a change too.
    assert_eq!(approve().await, ReviewStatus::Approved);
    svc.restore_default_letter_template(&zhu, "granted", None)
        .await
        .unwrap();
    assert_eq!(
        svc.review(&s).await.unwrap().status,
        ReviewStatus::NeedsReReview
    );
}
