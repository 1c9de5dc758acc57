//! 三审, 保密审查 and 错敏排查 of register items through the service, on both backends: the
//! chain of levels by 体裁 binding the approved content, the 保密审查 at 初审 (and a referral
//! waiting for the authority), the 错敏排查 findings with their place, blocking publication
//! until fixed or overridden with a reason, batch approval item by item, the audit rows,
//! and isolation between agencies.

use chrono::NaiveDate;
use gongkai_ledger::register::lint::ItemPart;
use gongkai_ledger::register::secrecy::{
    SecrecyAnswer, SecrecyChecklist, SecrecyConclusion, SecrecyDetermination, SecrecyReview,
    SecrecyStatus,
};
use gongkai_ledger::register::{Disclosure, ItemDraft, ItemStage, Outlet, Publication};
use gongkai_service::{ErrorKind, Service, Via};
use gongkai_store::{AuditQuery, ReviewStatus, ReviewSubject};

#[macro_use]
mod common;
use common::{office, postgres, sqlite};

on_both_backends!(
    three_levels_a_planted_id_number_and_a_change_after_approval,
    levels_by_genre_and_overrides_with_a_reason,
    a_referral_waits_for_the_authority,
    batches_are_approved_item_by_item,
    another_agencys_item_is_not_found,
    attachments_are_checked_bound_and_every_run_kept,
);

/// A valid 18-digit ID (GB 11643 check digit).
const ID: &str = "11010519491231002X";

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn on_day(svc: &Service) -> Service {
    svc.clone().with_date(d("2025-10-20"))
}

fn draft(title: &str, genre: &str, body: &str) -> ItemDraft {
    ItemDraft {
        title: title.into(),
        organ: String::new(),
        formed_on: d("2025-10-09"),
        number: None,
        topic: "综合政务/政务公开".into(),
        genre: genre.into(),
        summary: "公示本年度补贴发放情况。".into(),
        body: body.into(),
        disclosure: Disclosure::Proactive,
        validity: None,
        outlets: vec![Outlet::Website],
    }
}

fn website(date: &str) -> Publication {
    Publication {
        outlet: Outlet::Website,
        account: String::new(),
        published_on: d(date),
        url: None,
    }
}

fn clean() -> SecrecyReview {
    SecrecyReview {
        checklist: SecrecyChecklist::all_no(),
        conclusion: SecrecyConclusion::Publishable,
        note: None,
    }
}

async fn stage(svc: &Service, id: i64) -> ItemStage {
    svc.store().register_item_row(id).await.unwrap().stage
}

async fn three_levels_a_planted_id_number_and_a_change_after_approval(svc: &Service) {
    let svc = &on_day(svc);
    let (li, zhu, wang) = office(svc).await;
    let body = format!("各有关单位：\n申请人张三（身份证号{ID}）已领取补贴。");
    let item = svc
        .register_item(&li, draft("关于补贴发放情况的公示", "公告", &body))
        .await
        .unwrap();
    let id = item.id;

    // Nothing reviewed: publication is refused, each obstacle named.
    let e = svc
        .publish_item(&li, id, website("2025-10-15"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert_eq!(e.code(), "publication_blocked");
    let msg = e.to_string();
    assert!(msg.contains("审核未完成"), "{msg}");
    assert!(msg.contains("保密审查"), "{msg}");
    assert!(
        msg.contains("PII001") && msg.contains("正文第 2 行"),
        "{msg}"
    );

    // The finding with its place in the text.
    let r = svc.item_review(&li, id).await.unwrap();
    assert_eq!(r.levels, 3);
    assert_eq!(r.review.status, ReviewStatus::NotSubmitted);
    assert_eq!(r.secrecy, SecrecyStatus::Missing);
    let f = r.findings.iter().find(|f| f.code == "PII001").unwrap();
    assert_eq!(
        (f.part.clone(), f.line, f.matched.as_str()),
        (ItemPart::Body, 2, ID)
    );
    assert_eq!(r.blocking.len(), 1);

    // 初审 needs the 保密审查; a conclusion that does not follow is refused.
    let subject = ReviewSubject::Item { item: id };
    let e = svc
        .review_step(&li, &subject, gongkai_store::ReviewAction::Submit, None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "secrecy_required");
    let bad = SecrecyReview {
        checklist: SecrecyChecklist {
            privacy: SecrecyAnswer::Unsure,
            ..SecrecyChecklist::all_no()
        },
        ..clean()
    };
    let e = svc.submit_item(&li, id, bad, None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(e.to_string().contains("个人隐私"), "{e}");
    // The leader cannot submit; the clerk can.
    assert_eq!(
        svc.submit_item(&wang, id, clean(), None)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Forbidden
    );
    let r = svc.submit_item(&li, id, clean(), None).await.unwrap();
    assert_eq!(r.review.status, ReviewStatus::AwaitingReview);
    assert_eq!(r.secrecy, SecrecyStatus::Publishable);
    assert_eq!(stage(svc, id).await, ItemStage::InReview);
    // The submission recorded the findings of the text submitted.
    let snap = &r.review.steps[0].snapshot;
    assert_eq!(snap["digest"], serde_json::json!(item.content_hash));
    assert_eq!(snap["lint"][0]["code"], "PII001");

    // 复审 by the office head (the leader cannot take it), then 审核 by the leader.
    assert_eq!(
        svc.approve_item(&wang, id, None).await.unwrap_err().code(),
        "forbidden"
    );
    let r = svc
        .approve_item(&zhu, id, Some("同意".into()))
        .await
        .unwrap();
    assert_eq!(r.review.status, ReviewStatus::AwaitingApproval);
    let r = svc.approve_item(&wang, id, None).await.unwrap();
    assert_eq!(r.review.status, ReviewStatus::Approved);
    assert_eq!(stage(svc, id).await, ItemStage::Approved);

    // Approved, but the ID number still blocks.
    let e = svc
        .publish_item(&li, id, website("2025-10-15"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "publication_blocked");
    assert!(!e.to_string().contains("审核未完成"), "{e}");

    // The clerk masks it: a change after approval goes back to review.
    let fixed = body.replace(ID, "110105********002X");
    let item2 = svc
        .edit_item(&li, id, draft("关于补贴发放情况的公示", "公告", &fixed))
        .await
        .unwrap();
    assert_ne!(item2.content_hash, item.content_hash);
    let r = svc.item_review(&li, id).await.unwrap();
    assert_eq!(r.review.status, ReviewStatus::NeedsReReview);
    assert_eq!(r.secrecy, SecrecyStatus::Missing);
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert_eq!(stage(svc, id).await, ItemStage::Draft);
    let e = svc
        .publish_item(&li, id, website("2025-10-15"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("需重新审核"), "{e}");

    // A send-back needs its reason; then the round again, and it is published.
    svc.submit_item(&li, id, clean(), None).await.unwrap();
    assert_eq!(
        svc.send_back_item(&zhu, id, " ").await.unwrap_err().kind(),
        ErrorKind::Invalid
    );
    svc.send_back_item(&zhu, id, "概述不完整").await.unwrap();
    assert_eq!(stage(svc, id).await, ItemStage::Draft);
    svc.submit_item(&li, id, clean(), None).await.unwrap();
    svc.approve_item(&zhu, id, None).await.unwrap();
    svc.approve_item(&wang, id, None).await.unwrap();
    let p = svc
        .publish_item(&li, id, website("2025-10-15"))
        .await
        .unwrap();
    assert_eq!(p.stage, ItemStage::Published);

    // Audited: the secrecy review and every step, by whom.
    let rows = svc
        .store()
        .audit(&AuditQuery {
            subject_kind: Some("register_item".into()),
            subject_id: Some(id.to_string()),
            limit: Some(100),
            ..Default::default()
        })
        .await
        .unwrap();
    let count = |a: &str| rows.iter().filter(|r| r.action == a).count();
    assert_eq!(count("register.secrecy_review"), 3);
    assert_eq!(count("review.submit"), 3);
    assert_eq!(count("review.send_back"), 1);
    assert_eq!(count("review.approve"), 2);
}

async fn levels_by_genre_and_overrides_with_a_reason(svc: &Service) {
    let svc = &on_day(svc);
    let (li, zhu, wang) = office(svc).await;
    let mut settings = svc.store().register_settings().await.unwrap();
    settings.review_levels.insert("通知".into(), 2);
    settings.review_levels.insert("函".into(), 1);
    svc.store()
        .set_register_settings(settings, &zhu.stamp())
        .await
        .unwrap();

    // Two levels: the office head's 复审 is final. A published contact number is an
    // error finding the office head lets through with a reason.
    let body = "联系人：王老师，电话13812345678。";
    let n = svc
        .register_item(&li, draft("关于举办培训班的通知", "通知", body))
        .await
        .unwrap();
    let r = svc.item_review(&li, n.id).await.unwrap();
    assert_eq!(r.levels, 2);
    let fp = r.blocking[0].fingerprint();
    svc.submit_item(&li, n.id, clean(), None).await.unwrap();
    let r = svc.approve_item(&zhu, n.id, None).await.unwrap();
    assert_eq!(r.review.status, ReviewStatus::Approved);
    let e = svc
        .publish_item(&li, n.id, website("2025-10-15"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("错敏排查"), "{e}");
    // Only an office head or leader overrides, only with a reason, only a real finding.
    assert_eq!(
        svc.override_item_finding(&li, n.id, &fp, "工作电话")
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Forbidden
    );
    assert_eq!(
        svc.override_item_finding(&zhu, n.id, &fp, " ")
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Invalid
    );
    assert_eq!(
        svc.override_item_finding(&zhu, n.id, "PII001|body|1", "x")
            .await
            .unwrap_err()
            .code(),
        "no_such_finding"
    );
    let r = svc
        .override_item_finding(&zhu, n.id, &fp, "培训报名的工作联系电话，依规公开")
        .await
        .unwrap();
    assert!(r.blocking.is_empty());
    assert_eq!(r.overrides.len(), 1);
    assert!(r.publishable());
    svc.publish_item(&li, n.id, website("2025-10-15"))
        .await
        .unwrap();
    let rows = svc
        .store()
        .audit(&AuditQuery {
            action: Some("register.lint_override".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].actor, "zhu");

    // One level: the 初审 (with the 保密审查) is final.
    let f = svc
        .register_item(&li, draft("关于商请协助的函", "函", "请予协助。"))
        .await
        .unwrap();
    let r = svc.submit_item(&li, f.id, clean(), None).await.unwrap();
    assert_eq!((r.levels, r.review.status), (1, ReviewStatus::Approved));
    svc.publish_item(&li, f.id, website("2025-10-15"))
        .await
        .unwrap();

    // A 体裁 without a setting takes three levels; the leader alone cannot skip 复审.
    let g = svc
        .register_item(&li, draft("关于某事项的公告", "公告", "特此公告。"))
        .await
        .unwrap();
    svc.submit_item(&li, g.id, clean(), None).await.unwrap();
    assert_eq!(
        svc.approve_item(&wang, g.id, None)
            .await
            .unwrap_err()
            .code(),
        "forbidden"
    );
    let r = svc.approve_item(&zhu, g.id, None).await.unwrap();
    assert_eq!(r.review.status, ReviewStatus::AwaitingApproval);
}

async fn a_referral_waits_for_the_authority(svc: &Service) {
    let svc = &on_day(svc);
    let (li, zhu, wang) = office(svc).await;
    let item = svc
        .register_item(&li, draft("某工程项目进展情况", "其他", "工程按计划推进。"))
        .await
        .unwrap();
    let unsure = SecrecyReview {
        checklist: SecrecyChecklist {
            security: SecrecyAnswer::Unsure,
            ..SecrecyChecklist::all_no()
        },
        conclusion: SecrecyConclusion::Referred,
        note: Some("涉及重点工程安保，报县保密局确定".into()),
    };
    svc.submit_item(&li, item.id, unsure, None).await.unwrap();
    svc.approve_item(&zhu, item.id, None).await.unwrap();
    let r = svc.approve_item(&wang, item.id, None).await.unwrap();
    assert_eq!(r.review.status, ReviewStatus::Approved);
    assert_eq!(r.secrecy, SecrecyStatus::AwaitingDetermination);
    let e = svc
        .publish_item(&li, item.id, website("2025-10-16"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("待确定"), "{e}");
    let det = SecrecyDetermination {
        authority: "某县国家保密局".into(),
        reference: Some("县保函〔2025〕8号".into()),
        decided_on: d("2025-10-15"),
        result: SecrecyConclusion::Publishable,
    };
    assert_eq!(
        svc.record_item_determination(&li, item.id, det.clone())
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Forbidden
    );
    let r = svc
        .record_item_determination(&zhu, item.id, det.clone())
        .await
        .unwrap();
    assert_eq!(r.secrecy, SecrecyStatus::Publishable);
    // Nothing left to determine.
    assert_eq!(
        svc.record_item_determination(&zhu, item.id, det)
            .await
            .unwrap_err()
            .code(),
        "not_referred"
    );
    svc.publish_item(&li, item.id, website("2025-10-16"))
        .await
        .unwrap();

    // 涉密不得公开: approved or not, never published.
    let s = svc
        .register_item(&li, draft("某内部事项", "其他", "内部。"))
        .await
        .unwrap();
    let secret = SecrecyReview {
        checklist: SecrecyChecklist {
            work_secret: SecrecyAnswer::Yes,
            ..SecrecyChecklist::all_no()
        },
        conclusion: SecrecyConclusion::Secret,
        note: None,
    };
    svc.submit_item(&li, s.id, secret, None).await.unwrap();
    svc.approve_item(&zhu, s.id, None).await.unwrap();
    svc.approve_item(&wang, s.id, None).await.unwrap();
    let e = svc
        .publish_item(&li, s.id, website("2025-10-16"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("涉密不得公开"), "{e}");
}

async fn batches_are_approved_item_by_item(svc: &Service) {
    let svc = &on_day(svc);
    let (li, zhu, wang) = office(svc).await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let it = svc
            .register_item(&li, draft(&format!("第{i}号通告"), "通告", "特此通告。"))
            .await
            .unwrap();
        ids.push(it.id);
    }
    // Four submitted; the fifth is not.
    for id in &ids[..4] {
        svc.submit_item(&li, *id, clean(), None).await.unwrap();
    }
    let queue = svc.item_review_queue(&zhu).await.unwrap();
    assert_eq!(queue.len(), 4);
    assert!(svc.item_review_queue(&wang).await.unwrap().is_empty());
    // The batch: four approved at 复审, the fifth refused with its reason, a crafted id
    // not found — each on its own.
    let mut batch = ids.clone();
    batch.push(9999);
    let out = svc.approve_items(&zhu, &batch, None).await.unwrap();
    assert_eq!(out.len(), 6);
    assert!(
        out[..4]
            .iter()
            .all(|o| o.status == Some(ReviewStatus::AwaitingApproval))
    );
    assert_eq!(out[4].code, Some("review_out_of_turn"));
    assert_eq!(out[5].code, Some("not_found"));
    assert_eq!(svc.item_review_queue(&wang).await.unwrap().len(), 4);
    let out = svc.approve_items(&wang, &ids[..4], None).await.unwrap();
    assert!(out.iter().all(|o| o.status == Some(ReviewStatus::Approved)));
    // Each audited on its own.
    let rows = svc
        .store()
        .audit(&AuditQuery {
            action: Some("review.approve".into()),
            limit: Some(100),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(rows.len(), 4);
    for id in &ids[..4] {
        svc.publish_item(&li, *id, website("2025-10-16"))
            .await
            .unwrap();
    }
}

async fn another_agencys_item_is_not_found(svc: &Service) {
    let svc = &on_day(svc);
    let (li, zhu, _wang) = office(svc).await;
    let admin = svc.actor("admin", Via::Cli).await.unwrap();
    svc.add_agency(&admin, "local-1", "B", "某区某局", "县区")
        .await
        .unwrap();
    let u = gongkai_store::NewUser {
        name: "bhead".into(),
        display_name: None,
        role: gongkai_store::Role::OfficeHead,
        password: common::PASSWORD.into(),
    };
    svc.add_user(&admin, &u).await.unwrap();
    svc.grant_roles(&admin, "bhead", "B", &["办公室主任".into()])
        .await
        .unwrap();
    svc.grant_roles(&admin, "bhead", "local-1", &[])
        .await
        .unwrap();
    let bhead = svc.actor("bhead", Via::Cli).await.unwrap();
    let a = svc
        .register_item(&li, draft("甲机关的事项", "通知", "特此通知。"))
        .await
        .unwrap();
    svc.submit_item(&li, a.id, clean(), None).await.unwrap();
    // B's office head: A's item id names nothing in B; no step, no override, no batch.
    assert_eq!(
        svc.item_review(&bhead, a.id).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        svc.approve_item(&bhead, a.id, None)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    let out = svc.approve_items(&bhead, &[a.id], None).await.unwrap();
    assert_eq!(out[0].code, Some("not_found"));
    assert!(svc.item_review_queue(&bhead).await.unwrap().is_empty());
    // A's office head still has it waiting.
    assert_eq!(svc.item_review_queue(&zhu).await.unwrap().len(), 1);
}

fn file(name: &str, bytes: &[u8]) -> gongkai_store::register::NewAttachment {
    gongkai_store::register::NewAttachment {
        name: name.into(),
        media_type: String::new(),
        bytes: bytes.to_vec(),
    }
}

/// Reviews item `id` through the three levels, letting every error through with a reason.
async fn pass_review(
    svc: &Service,
    id: i64,
    li: &gongkai_service::Actor,
    zhu: &gongkai_service::Actor,
    wang: &gongkai_service::Actor,
) {
    svc.submit_item(li, id, clean(), None).await.unwrap();
    let r = svc.item_review(zhu, id).await.unwrap();
    for f in &r.blocking {
        svc.override_item_finding(zhu, id, &f.fingerprint(), "名单经本人同意公开")
            .await
            .unwrap();
    }
    svc.approve_item(zhu, id, None).await.unwrap();
    let r = svc.approve_item(wang, id, None).await.unwrap();
    assert_eq!(r.review.status, ReviewStatus::Approved);
}

async fn attachments_are_checked_bound_and_every_run_kept(svc: &Service) {
    use gongkai_store::review_item::LintStage;
    let svc = &on_day(svc);
    let (li, zhu, wang) = office(svc).await;
    let item = svc
        .register_item(
            &li,
            draft("关于补贴发放情况的公示", "公告", "经研究，决定发放补贴。"),
        )
        .await
        .unwrap();
    let id = item.id;
    // A list with an ID number (text extracted when attached), and a scan without text.
    let list = format!("补贴发放名单\n\n序号 姓名 身份证号\n1 李四 {ID}");
    svc.attach_to_item(&li, id, file("名单.txt", list.as_bytes()))
        .await
        .unwrap();
    svc.attach_to_item(&li, id, file("扫描件.png", b"\x89PNG\r\n\x1a\n...."))
        .await
        .unwrap();
    let texts = svc.store().attachment_texts(id).await.unwrap();
    assert_eq!(texts.len(), 2);
    assert!(texts[0].1.text().unwrap().contains(ID));
    assert!(texts[1].1.text().is_none());

    // The 错敏排查 covers the attachment's text, located; the scan is shown as unread.
    let r = svc.item_review(&li, id).await.unwrap();
    let f = r.findings.iter().find(|f| f.code == "PII001").unwrap();
    assert_eq!(
        f.part,
        ItemPart::Attachment {
            seq: 1,
            name: "名单.txt".into()
        }
    );
    assert_eq!(f.place_zh(), "附件1《名单.txt》第 3 段第 6 字");
    assert_eq!(r.unread.len(), 1);
    assert!(
        r.unread[0]
            .label_zh()
            .starts_with("附件2《扫描件.png》未能提取文字")
    );
    // The hash a review binds covers the attachments.
    assert_ne!(r.content_hash, item.content_hash);
    assert!(r.last_run.is_none());

    // A refused publication keeps its run; the submission keeps another.
    let e = svc
        .publish_item(&li, id, website("2025-10-15"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("附件1《名单.txt》第 3 段"), "{e}");
    pass_review(svc, id, &li, &zhu, &wang).await;
    let runs = svc.item_lint_runs(&li, id).await.unwrap();
    assert_eq!(
        runs.iter().map(|r| r.stage).collect::<Vec<_>>(),
        [LintStage::Publish, LintStage::Submit]
    );
    assert_eq!((runs[1].errors, runs[1].overridden), (1, 0));
    assert_eq!(runs[1].unread.len(), 1);
    assert_eq!(runs[1].findings[0].code, "PII001");
    assert_eq!(runs[1].content_hash, r.content_hash);

    // An attachment added after approval sends the item back to review.
    svc.attach_to_item(&li, id, file("说明.txt", "补贴标准见正文。".as_bytes()))
        .await
        .unwrap();
    let r = svc.item_review(&li, id).await.unwrap();
    assert_eq!(r.review.status, ReviewStatus::NeedsReReview);
    assert_eq!(stage(svc, id).await, ItemStage::Draft);
    let e = svc
        .publish_item(&li, id, website("2025-10-15"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("需重新审核"), "{e}");
    pass_review(svc, id, &li, &zhu, &wang).await;

    // So does one taken off (with a reason; its bytes are kept).
    assert_eq!(
        svc.detach_from_item(&li, id, 3, " ")
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Invalid
    );
    svc.detach_from_item(&li, id, 3, "与正文重复")
        .await
        .unwrap();
    let r = svc.item_review(&li, id).await.unwrap();
    assert_eq!(r.review.status, ReviewStatus::NeedsReReview);
    assert_eq!(stage(svc, id).await, ItemStage::Draft);
    let v = svc.item(&li, id).await.unwrap();
    assert!(v.record.attachments[2].removed.is_some());
    assert_eq!(
        svc.detach_from_item(&li, id, 3, "再删")
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Conflict
    );
    pass_review(svc, id, &li, &zhu, &wang).await;

    // Published: the run before publication is kept, the error counted as let through.
    svc.publish_item(&li, id, website("2025-10-15"))
        .await
        .unwrap();
    let runs = svc.item_lint_runs(&li, id).await.unwrap();
    let last = runs.last().unwrap();
    assert_eq!(
        (last.stage, last.errors, last.overridden),
        (LintStage::Publish, 1, 1)
    );
    assert_eq!(runs.len(), 6);
    let r = svc.item_review(&li, id).await.unwrap();
    assert_eq!(r.last_run.as_ref().map(|l| l.seq), Some(last.seq));
    let audit = svc
        .store()
        .audit(&AuditQuery {
            action: Some("register.detached".into()),
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
}
