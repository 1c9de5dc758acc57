//! E-mail notices to online applicants and the identity documents of the online form
//! (issue 17 §3), through the service, on both backends, against a real SMTP conversation
//! with a local sink (`common/smtp.rs`): the office's mail server saved by the
//! administrator (the password never shown back nor audited); a notice written with each
//! receipt, correction request, extension and reply and sent by `deliver_mail` — the
//! recipient, the Chinese subject and body checked as delivered; nothing sent without a
//! mail server or an address; a failing server leaves the notice pending with its error,
//! retried later, given up after the last attempt and put back by the administrator; the
//! uploaded files kept for the office only, each download audited.

use chrono::{Duration, Utc};
use gongkai_ledger::{ApplicationId, Decision, EventKind, ReplyMethod};
use gongkai_service::applications::EventDraft;
use gongkai_service::portal::apply::OnlineForm;
use gongkai_service::portal::id_files::IdFile;
use gongkai_service::portal::notify::{MAX_ATTEMPTS, MailInput};
use gongkai_service::{Actor, ErrorKind, Service, Via};
use gongkai_store::{AuditQuery, ReviewAction, ReviewSubject};

#[macro_use]
mod common;
#[path = "common/smtp.rs"]
mod smtp;
use common::{office, postgres, sqlite, today};
use smtp::Sink;

on_both_backends!(
    each_step_is_mailed_when_the_office_has_a_mail_server,
    nothing_is_sent_without_a_mail_server_or_an_address,
    a_failing_server_leaves_the_notice_pending_and_it_is_retried,
    the_mail_settings_are_the_administrators_and_keep_the_password,
    identity_documents_are_kept_for_the_office_only,
    a_test_message_says_whether_the_server_works,
);

fn form() -> OnlineForm {
    OnlineForm {
        kind: "natural_person".into(),
        name: "张三".into(),
        id_number: "110101199003070011".into(),
        phone: "0591-8765 4321".into(),
        email: "zhangsan@example.com".into(),
        description: "2025年本市老旧小区改造项目清单".into(),
        form: "electronic".into(),
        delivery: "online".into(),
        ..Default::default()
    }
}

fn mail(sink: &Sink) -> MailInput {
    MailInput {
        host: "127.0.0.1".into(),
        port: sink.port.to_string(),
        security: "none".into(),
        username: "gongkai".into(),
        password: "s3cret-口令".into(),
        from_address: "gk@example.gov.cn".into(),
        from_name: "某市某局政府信息公开办公室".into(),
    }
}

async fn admin(svc: &Service) -> Actor {
    svc.actor("admin", Via::Cli).await.unwrap()
}

async fn event(svc: &Service, clerk: &Actor, id: &str, kind: EventKind) {
    svc.append_event(
        clerk,
        &ApplicationId(id.into()),
        EventDraft::complete(today(), kind, None),
    )
    .await
    .unwrap();
}

async fn each_step_is_mailed_when_the_office_has_a_mail_server(svc: &Service) {
    let (li, zhu, wang) = office(svc).await;
    let sink = Sink::start().await;
    svc.set_mail(&admin(svc).await, Some(&mail(&sink)))
        .await
        .unwrap();
    let me = svc.portal_agencies().await.unwrap()[0].0.clone();
    let receipt = svc.apply_online(&me, &form(), "-").await.unwrap();
    let id = receipt.application_id.clone();

    // The receipt: one notice, pending until the sender runs.
    let pending = svc.store().mail_notices(10).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].recipient, "zhangsan@example.com");
    assert!(
        sink.messages().is_empty(),
        "nothing sent inside the transaction"
    );
    let run = svc
        .deliver_mail(Utc::now(), Some("https://gk.example.gov.cn/"))
        .await
        .unwrap();
    assert_eq!((run.sent, run.failed), (1, 0));
    let m = &sink.messages()[0];
    assert_eq!(m.to, vec!["zhangsan@example.com".to_string()]);
    assert_eq!(m.from, "gk@example.gov.cn");
    assert_eq!(m.auth.as_deref(), Some("gongkai:s3cret-口令"));
    assert!(m.to_header.contains("张三"), "{}", m.to_header);
    assert_eq!(
        m.subject,
        format!("某市某局已收到您的政府信息公开申请（{id}）")
    );
    assert!(m.body.starts_with("张三：\n"), "{}", m.body);
    assert!(
        m.body.contains("第三十一条") && m.body.contains("老旧小区改造"),
        "{}",
        m.body
    );
    assert!(
        m.body
            .contains("https://gk.example.gov.cn/portal/local-1/track"),
        "{}",
        m.body
    );
    assert!(m.body.contains("本邮件不含查询码"), "{}", m.body);
    assert!(!m.raw.contains(&receipt.code), "the 查询码 is never mailed");
    // Sent once: the next round has nothing to do.
    let run = svc.deliver_mail(Utc::now(), None).await.unwrap();
    assert_eq!((run.sent, run.failed), (0, 0));

    // 告知补正, with its text.
    let due = today() + Duration::days(20);
    event(
        svc,
        &li,
        &id,
        EventKind::CorrectionRequested {
            items: "请写明所需信息的具体年份和区域".into(),
            due,
        },
    )
    .await;
    svc.deliver_mail(Utc::now(), None).await.unwrap();
    let m = sink.messages()[1].clone();
    assert_eq!(m.subject, format!("请补正您的政府信息公开申请（{id}）"));
    assert!(
        m.body.contains("请写明所需信息的具体年份和区域"),
        "{}",
        m.body
    );
    assert!(m.body.contains("在线提交补正"), "{}", m.body);
    svc.correct_online(&me, &receipt.code, "0591-8765 4321", "2025年鼓楼区")
        .await
        .unwrap();

    // The extension.
    event(
        svc,
        &li,
        &id,
        EventKind::Extended {
            days: 20,
            approved_by: "朱红".into(),
            applicant_notified_on: today(),
        },
    )
    .await;
    svc.deliver_mail(Utc::now(), None).await.unwrap();
    let m = sink.messages()[2].clone();
    assert!(m.subject.contains("答复期限延长"), "{}", m.subject);
    assert!(
        m.body.contains("延长 20 个工作日") && m.body.contains("第三十三条"),
        "{}",
        m.body
    );

    // The reply, approved and sent: the letter is on the status page.
    event(
        svc,
        &li,
        &id,
        EventKind::Decided {
            decision: Decision::Granted,
        },
    )
    .await;
    let subject = ReviewSubject::Reply {
        application: ApplicationId(id.clone()),
    };
    svc.review_step(&li, &subject, ReviewAction::Submit, None)
        .await
        .unwrap();
    svc.approve(&zhu, &subject, None).await.unwrap();
    svc.approve(&wang, &subject, None).await.unwrap();
    event(
        svc,
        &li,
        &id,
        EventKind::ReplySent {
            method: ReplyMethod::Online,
        },
    )
    .await;
    let run = svc.deliver_mail(Utc::now(), None).await.unwrap();
    assert_eq!(run.sent, 1);
    let m = sink.messages()[3].clone();
    assert_eq!(
        m.subject,
        format!("某市某局已答复您的政府信息公开申请（{id}）")
    );
    assert!(m.body.contains("下载答复书"), "{}", m.body);
    assert_eq!(
        sink.messages().len(),
        4,
        "the correction itself is not mailed"
    );

    // The office sees them all on the application.
    let notices = svc.mail_notices_of(&li, &id).await.unwrap();
    assert_eq!(notices.len(), 4);
    assert!(
        notices
            .iter()
            .all(|n| n.sent_at.is_some() && n.attempts == 1)
    );
    assert_eq!(notices[3].subject.as_deref(), Some(m.subject.as_str()));
}

async fn nothing_is_sent_without_a_mail_server_or_an_address(svc: &Service) {
    let (li, _, _) = office(svc).await;
    let sink = Sink::start().await;
    let me = svc.portal_agencies().await.unwrap()[0].0.clone();
    // No mail server: the status page only.
    let r = svc.apply_online(&me, &form(), "-").await.unwrap();
    event(
        svc,
        &li,
        &r.application_id,
        EventKind::CorrectionRequested {
            items: "请写明年份".into(),
            due: today() + Duration::days(20),
        },
    )
    .await;
    // A mail server, but no address given.
    svc.set_mail(&admin(svc).await, Some(&mail(&sink)))
        .await
        .unwrap();
    let no_address = OnlineForm {
        email: String::new(),
        ..form()
    };
    let r2 = svc.apply_online(&me, &no_address, "-").await.unwrap();
    event(
        svc,
        &li,
        &r2.application_id,
        EventKind::CorrectionRequested {
            items: "请写明年份".into(),
            due: today() + Duration::days(20),
        },
    )
    .await;
    let run = svc.deliver_mail(Utc::now(), None).await.unwrap();
    assert_eq!((run.sent, run.failed), (0, 0));
    assert!(svc.store().mail_notices(10).await.unwrap().is_empty());
    assert!(sink.messages().is_empty());
    // With both, the receipt is mailed.
    let reg = svc
        .apply_online(&me, &form(), "-")
        .await
        .unwrap()
        .application_id;
    assert_eq!(svc.store().mail_notices(10).await.unwrap().len(), 1);
    svc.deliver_mail(Utc::now(), None).await.unwrap();
    assert_eq!(
        sink.messages()[0].to,
        vec!["zhangsan@example.com".to_string()]
    );
    assert!(sink.messages()[0].subject.contains(&reg));
}

async fn a_failing_server_leaves_the_notice_pending_and_it_is_retried(svc: &Service) {
    office(svc).await;
    let admin = admin(svc).await;
    let sink = Sink::start().await;
    svc.set_mail(&admin, Some(&mail(&sink))).await.unwrap();
    let me = svc.portal_agencies().await.unwrap()[0].0.clone();
    sink.fail(true);
    svc.apply_online(&me, &form(), "-").await.unwrap();
    let t0 = Utc::now();
    let run = svc.deliver_mail(t0, None).await.unwrap();
    assert_eq!((run.sent, run.failed), (0, 1));
    let n = &svc.store().mail_notices(10).await.unwrap()[0];
    assert!(n.sent_at.is_none() && n.failed_at.is_none());
    assert_eq!(n.attempts, 1);
    assert_eq!(n.state_zh(), "待重试");
    let error = n.last_error.clone().unwrap();
    assert!(
        error.contains("451") && error.contains("127.0.0.1"),
        "{error}"
    );
    // Not again at once: the next attempt is a minute later.
    let run = svc.deliver_mail(t0, None).await.unwrap();
    assert_eq!((run.sent, run.failed), (0, 0));
    // The server is back: sent on the retry.
    sink.fail(false);
    let run = svc
        .deliver_mail(t0 + Duration::minutes(2), None)
        .await
        .unwrap();
    assert_eq!((run.sent, run.failed), (1, 0));
    let n = &svc.store().mail_notices(10).await.unwrap()[0];
    assert!(n.sent_at.is_some() && n.last_error.is_none());
    assert_eq!(n.attempts, 2);
    assert_eq!(sink.messages().len(), 1);

    // A notice that never gets through is given up after the last attempt …
    sink.fail(true);
    svc.apply_online(&me, &form(), "-").await.unwrap();
    let mut t = t0;
    for _ in 0..MAX_ATTEMPTS {
        t += Duration::hours(7);
        svc.deliver_mail(t, None).await.unwrap();
    }
    let n = svc.store().mail_notices(10).await.unwrap()[0].clone();
    assert_eq!(n.attempts, MAX_ATTEMPTS);
    assert!(n.failed_at.is_some(), "{n:?}");
    assert_eq!(n.state_zh(), "发送失败（已停止重试）");
    let run = svc
        .deliver_mail(t + Duration::hours(7), None)
        .await
        .unwrap();
    assert_eq!((run.sent, run.failed), (0, 0));
    // … and sent again when the administrator puts it back.
    sink.fail(false);
    svc.retry_mail(&admin, n.id).await.unwrap();
    let run = svc
        .deliver_mail(Utc::now() + Duration::minutes(1), None)
        .await
        .unwrap();
    assert_eq!(run.sent, 1);
    assert_eq!(sink.messages().len(), 2);

    // Two senders never take one notice: the claim is taken once.
    svc.apply_online(&me, &form(), "-").await.unwrap();
    let due = svc.store().due_mail(Utc::now(), 10).await.unwrap();
    assert_eq!(due.len(), 1);
    let until = Utc::now() + Duration::minutes(5);
    assert!(
        svc.store()
            .claim_mail(due[0].id, Utc::now(), until)
            .await
            .unwrap()
    );
    assert!(
        !svc.store()
            .claim_mail(due[0].id, Utc::now(), until)
            .await
            .unwrap()
    );
    assert!(
        svc.store()
            .due_mail(Utc::now(), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn the_mail_settings_are_the_administrators_and_keep_the_password(svc: &Service) {
    let (li, _, _) = office(svc).await;
    let admin = admin(svc).await;
    let sink = Sink::start().await;
    let e = svc.set_mail(&li, Some(&mail(&sink))).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden, "{e}");
    svc.set_mail(&admin, Some(&mail(&sink))).await.unwrap();
    let v = svc.mail_view(&admin).await.unwrap();
    assert!(v.configured && v.password_set);
    assert_eq!(v.port, sink.port);
    // Saved again without a password: the saved one is kept.
    let again = MailInput {
        password: String::new(),
        from_name: "另一名称".into(),
        ..mail(&sink)
    };
    svc.set_mail(&admin, Some(&again)).await.unwrap();
    let s = svc.store().mail_settings().await.unwrap().unwrap();
    assert_eq!(s.password, "s3cret-口令");
    assert_eq!(s.from_name, "另一名称");
    assert!(!format!("{s:?}").contains("s3cret"), "Debug hides it");
    // Audited, never with the password.
    let audit = svc
        .store()
        .audit(&AuditQuery {
            action: Some("mail.set".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);
    for a in &audit {
        assert!(!a.detail.to_string().contains("s3cret"), "{}", a.detail);
    }
    // Bad input names the field.
    for (bad, field) in [
        (
            MailInput {
                from_address: "not an address".into(),
                ..mail(&sink)
            },
            "发件人地址",
        ),
        (
            MailInput {
                port: "99999".into(),
                ..mail(&sink)
            },
            "端口",
        ),
        (
            MailInput {
                host: String::new(),
                ..mail(&sink)
            },
            "邮件服务器",
        ),
        (
            MailInput {
                security: "ssl3".into(),
                ..mail(&sink)
            },
            "加密方式",
        ),
    ] {
        let e = svc.set_mail(&admin, Some(&bad)).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
        assert!(e.to_string().contains(field), "{field}: {e}");
    }
    // Removed: no more notices.
    svc.set_mail(&admin, None).await.unwrap();
    assert!(!svc.mail_view(&admin).await.unwrap().configured);
    let me = svc.portal_agencies().await.unwrap()[0].0.clone();
    svc.apply_online(&me, &form(), "-").await.unwrap();
    assert!(svc.store().mail_notices(10).await.unwrap().is_empty());
}

const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00 a scan";
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";

async fn identity_documents_are_kept_for_the_office_only(svc: &Service) {
    let (li, _, wang) = office(svc).await;
    let admin = admin(svc).await;
    let me = svc.portal_agencies().await.unwrap()[0].0.clone();
    let files = vec![
        IdFile {
            name: "身份证正面.jpg".into(),
            bytes: JPEG.to_vec(),
        },
        IdFile {
            name: "授权书.pdf".into(),
            bytes: PDF.to_vec(),
        },
    ];
    let r = svc
        .apply_online_with(&me, &form(), &files, "-")
        .await
        .unwrap();
    let id = r.application_id;
    let listed = svc.online_files(&li, &id).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].file_name, "身份证正面.jpg");
    assert_eq!(listed[0].media_type, "image/jpeg");
    assert_eq!(listed[1].media_type, "application/pdf");
    assert_eq!(listed[1].size, PDF.len() as i64);
    let (f, bytes) = svc.online_file(&wang, &id, 2).await.unwrap();
    assert_eq!(f.file_name, "授权书.pdf");
    assert_eq!(bytes, PDF);
    let audit = svc
        .store()
        .audit(&AuditQuery {
            action: Some("online_file.download".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor, "wang");
    // The administrator does not handle cases: not listed, not downloadable.
    assert!(svc.online_files(&admin, &id).await.unwrap().is_empty());
    let e = svc.online_file(&admin, &id, 1).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden, "{e}");
    let e = svc.online_file(&li, &id, 3).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");

    // Bad files: refused naming the field and the file; nothing registered.
    let before = svc.applications(Default::default()).await.unwrap().len();
    for (bad, words) in [
        (
            vec![IdFile {
                name: "scan.jpg".into(),
                bytes: b"GIF89a not a jpeg".to_vec(),
            }],
            "scan.jpg",
        ),
        (
            vec![IdFile {
                name: "empty.png".into(),
                bytes: Vec::new(),
            }],
            "空文件",
        ),
        (
            vec![
                IdFile {
                    name: "a.pdf".into(),
                    bytes: PDF.to_vec(),
                };
                3
            ],
            "最多上传 2 个",
        ),
    ] {
        let e = svc
            .apply_online_with(&me, &form(), &bad, "-")
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
        assert!(
            e.to_string().contains("身份证明文件") && e.to_string().contains(words),
            "{e}"
        );
    }
    assert_eq!(
        svc.applications(Default::default()).await.unwrap().len(),
        before
    );
}

async fn a_test_message_says_whether_the_server_works(svc: &Service) {
    let (li, _zhu, _wang) = office(svc).await;
    let admin = admin(svc).await;
    // Nothing saved yet: the form says so, naming the field.
    let e = svc.test_mail(&admin, "me@example.com").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(e.to_string().contains("邮件服务器"), "{e}");
    let sink = Sink::start().await;
    svc.set_mail(&admin, Some(&mail(&sink))).await.unwrap();
    // Only the administrator; a bad address is refused before anything is sent.
    assert_eq!(
        svc.test_mail(&li, "me@example.com")
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Forbidden
    );
    let e = svc.test_mail(&admin, "not an address").await.unwrap_err();
    assert!(e.to_string().contains("测试收件地址"), "{e}");
    assert!(sink.messages().is_empty());

    let t = svc.test_mail(&admin, " me@example.com ").await.unwrap();
    assert!(t.sent, "{}", t.message);
    assert!(t.message.contains("me@example.com"), "{}", t.message);
    let got = sink.messages();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to, vec!["me@example.com".to_string()]);
    assert!(
        got[0].subject.contains("邮件通知测试"),
        "{}",
        got[0].subject
    );
    assert!(got[0].auth.is_some(), "signed in with the saved user");

    // A server that refuses: an answer in words, not an error; nothing queued.
    sink.fail(true);
    let t = svc.test_mail(&admin, "me@example.com").await.unwrap();
    assert!(!t.sent);
    assert!(
        t.message.contains("未能发出") && t.message.contains("451"),
        "{}",
        t.message
    );
    assert_eq!(sink.messages().len(), 1);

    // Both tries audited with the outcome; the password nowhere.
    let rows = svc
        .store()
        .audit(&AuditQuery {
            action: Some("mail.test".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter()
            .all(|r| !r.detail.to_string().contains("s3cret"))
    );
    assert!(rows.iter().any(|r| r.detail["sent"] == true));
    assert!(rows.iter().any(|r| r.detail["sent"] == false));
}
