//! The publication register (主动公开登记) through the service, on both backends: numbering
//! (索引号), edits as versions, publications per channel, corrections and withdrawals with
//! the old versions kept, the art. 26 clock on the holiday calendar, the due and overdue
//! lists and the on-time rate, art. 18 re-assessments, attachments, settings, and
//! isolation between agencies.

use chrono::NaiveDate;
use gongkai_ledger::register::{
    Disclosure, ItemDraft, ItemStage, Outlet, Publication, PublicationStatus, ReassessOutcome,
    WithholdBasis,
};
use gongkai_service::register::{DueState, ItemFilter, SettingsForm};
use gongkai_service::{ErrorKind, Service, Via};
use gongkai_store::AuditQuery;
use gongkai_store::register::{NewAttachment, Reassessment, TimelineKind, VersionKind};

#[macro_use]
mod common;
use common::{office, postgres, review_item, sqlite};

on_both_backends!(
    an_item_from_draft_to_correction_and_withdrawal,
    due_overdue_and_the_on_time_rate,
    withheld_items_are_reassessed,
    lists_filter_and_page,
    attachments_keep_their_digest,
    settings_change_the_numbering,
    agencies_do_not_see_each_others_items,
);

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The register's tests run on 2025-10-20 (after the National Day holiday of 2025).
fn on_day(svc: &Service) -> Service {
    svc.clone().with_date(d("2025-10-20"))
}

fn draft(title: &str, formed_on: &str) -> ItemDraft {
    ItemDraft {
        title: title.into(),
        organ: String::new(),
        formed_on: d(formed_on),
        number: Some("某政办发〔2025〕12号".into()),
        topic: "综合政务/政务公开".into(),
        genre: "通知".into(),
        summary: "印发本市政务公开工作要点。".into(),
        body: "各区人民政府：\n\n现将工作要点印发给你们。".into(),
        disclosure: Disclosure::Proactive,
        validity: None,
        outlets: vec![Outlet::Website, Outlet::NewMedia],
    }
}

/// 三审 passed on the item's current content, as publication needs (issue 16 §2; helper
/// 54's review): 初审 with a clean 保密审查 by li, 复审 by zhu, 审核 by wang.
async fn reviewed(svc: &Service, id: i64) {
    let li = svc.actor("li", Via::Cli).await.unwrap();
    let zhu = svc.actor("zhu", Via::Api).await.unwrap();
    let wang = svc.actor("wang", Via::Web).await.unwrap();
    review_item(svc, id, &li, &zhu, &wang).await;
}

fn on(outlet: Outlet, account: &str, date: &str) -> Publication {
    Publication {
        outlet,
        account: account.into(),
        published_on: d(date),
        url: None,
    }
}

async fn an_item_from_draft_to_correction_and_withdrawal(svc: &Service) {
    let svc = &on_day(svc);
    let (li, zhu, wang) = office(svc).await;
    let a = svc
        .register_item(&li, draft("关于印发政务公开工作要点的通知", "2025-09-26"))
        .await
        .unwrap();
    assert_eq!(a.index_number, "local-1/2025-00001");
    assert_eq!((a.id, a.version, a.stage), (1, 1, ItemStage::Draft));
    assert_eq!(a.organ, "某市某局", "the agency's name by default");
    assert_eq!(a.topic, "综合政务\\政务公开");
    // 20 working days over the National Day holiday and its make-up days.
    assert_eq!(a.due_on, Some(d("2025-10-30")));
    let b = svc
        .register_item(&li, draft("第二件", "2025-10-09"))
        .await
        .unwrap();
    assert_eq!(b.index_number, "local-1/2025-00002");

    // A field refused names itself; nothing is written.
    let mut bad = draft("x", "2025-10-21");
    let e = svc.register_item(&li, bad.clone()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(e.to_string().contains("生成日期"), "{e}");
    bad.formed_on = d("2025-10-01");
    bad.genre = "说明".into();
    let e = svc.register_item(&li, bad).await.unwrap_err();
    assert!(e.to_string().contains("体裁"), "{e}");
    // The leader does not record.
    let e = svc.register_item(&wang, draft("y", "2025-10-01")).await;
    assert_eq!(e.unwrap_err().kind(), ErrorKind::Forbidden);

    // Edits are versions; the same content writes nothing.
    let mut d2 = draft("关于印发2025年政务公开工作要点的通知", "2025-09-26");
    let a2 = svc.edit_item(&li, a.id, d2.clone()).await.unwrap();
    assert_eq!(a2.version, 2);
    assert_ne!(a2.content_hash, a.content_hash);
    let same = svc.edit_item(&li, a.id, d2.clone()).await.unwrap();
    assert_eq!(same.version, 2);

    // A 新媒体 publication names its account.
    let e = svc
        .publish_item(&li, a.id, on(Outlet::NewMedia, " ", "2025-10-10"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(e.to_string().contains("账号"), "{e}");
    let e = svc
        .publish_item(&li, a.id, on(Outlet::Website, "", "2025-09-25"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("早于生成日期"), "{e}");
    reviewed(svc, a.id).await;
    let p = svc
        .publish_item(&li, a.id, on(Outlet::Website, "", "2025-10-10"))
        .await
        .unwrap();
    assert_eq!(p.stage, ItemStage::Published);
    assert_eq!(p.first_published_on, Some(d("2025-10-10")));
    let p = svc
        .publish_item(&li, a.id, on(Outlet::NewMedia, "某市发布", "2025-10-09"))
        .await
        .unwrap();
    assert_eq!(
        p.first_published_on,
        Some(d("2025-10-09")),
        "the earliest channel"
    );
    let view = svc.item(&li, a.id).await.unwrap();
    assert_eq!(
        view.clock.unwrap().status,
        PublicationStatus::OnTime {
            published_on: d("2025-10-09")
        }
    );
    assert_eq!(view.record.publications.len(), 2);

    // Published: no more edits, a correction with its reason instead.
    let e = svc.edit_item(&li, a.id, d2.clone()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    d2.summary = "印发本市2025年政务公开工作要点。".into();
    let e = svc
        .correct_item(&li, a.id, d2.clone(), "  ")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    let c = svc
        .correct_item(&li, a.id, d2.clone(), "内容概述漏写年份")
        .await
        .unwrap();
    assert_eq!((c.version, c.stage), (3, ItemStage::Published));
    assert!(c.unpublished_change());
    let e = svc
        .correct_item(&li, a.id, d2.clone(), "再次")
        .await
        .unwrap_err();
    assert_eq!(
        e.kind(),
        ErrorKind::Conflict,
        "the same content is no correction"
    );
    reviewed(svc, a.id).await;
    let c = svc
        .publish_item(&li, a.id, on(Outlet::Website, "", "2025-10-20"))
        .await
        .unwrap();
    assert_eq!(c.published_version, Some(3));
    assert!(!c.unpublished_change());

    // 撤稿: the office head, with a reason; the clerk's attempt is refused and audited.
    let e = svc.withdraw_item(&li, a.id, "错误").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    let w = svc
        .withdraw_item(&zhu, a.id, "所附数据有误，撤回核实")
        .await
        .unwrap();
    assert_eq!(w.stage, ItemStage::Withdrawn);
    let e = svc.withdraw_item(&zhu, a.id, "再撤").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    let e = svc
        .publish_item(&li, a.id, on(Outlet::Website, "", "2025-10-20"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);

    // Everything kept: the versions, the timeline, the audit rows.
    let r = svc.item(&li, a.id).await.unwrap().record;
    assert_eq!(
        r.versions.iter().map(|v| v.kind).collect::<Vec<_>>(),
        [
            VersionKind::Created,
            VersionKind::Edited,
            VersionKind::Corrected
        ]
    );
    assert_eq!(r.versions[0].draft.title, "关于印发政务公开工作要点的通知");
    assert_eq!(r.versions[2].reason.as_deref(), Some("内容概述漏写年份"));
    assert_eq!(r.draft.summary, "印发本市2025年政务公开工作要点。");
    assert_eq!(
        r.timeline.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [
            TimelineKind::Created,
            TimelineKind::Edited,
            TimelineKind::Published,
            TimelineKind::Published,
            TimelineKind::Corrected,
            TimelineKind::Published,
            TimelineKind::Withdrawn,
        ]
    );
    assert_eq!(
        r.publications.iter().map(|p| p.version).collect::<Vec<_>>(),
        [2, 2, 3]
    );
    let audit = svc
        .store()
        .audit(&AuditQuery {
            subject_kind: Some("register_item".into()),
            subject_id: Some(a.id.to_string()),
            ..Default::default()
        })
        .await
        .unwrap();
    // The register's own rows (the review's — 三审 steps, 保密审查 — are counted in
    // tests/register_review.rs).
    let audit: Vec<_> = audit
        .into_iter()
        .filter(|r| !r.action.starts_with("review.") && r.action != "register.secrecy_review")
        .collect();
    assert_eq!(audit.len(), 7);
    assert_eq!(audit[0].action, "register.withdrawn");
    let refused = svc
        .store()
        .audit(&AuditQuery {
            action: Some("refused".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        refused
            .iter()
            .any(|r| r.detail["action"] == "register.withdrawn"),
        "{refused:?}"
    );
    // A crafted id is not found.
    assert_eq!(
        svc.item(&li, 999).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

async fn due_overdue_and_the_on_time_rate(svc: &Service) {
    let svc = &on_day(svc);
    let (li, _zhu, _wang) = office(svc).await;
    // Due 2025-10-30: 8 working days left, not yet due soon (window 5).
    let open = svc
        .register_item(&li, draft("甲", "2025-09-26"))
        .await
        .unwrap();
    // Due 2025-10-23: 3 working days left.
    let soon = svc
        .register_item(&li, draft("乙", "2025-09-19"))
        .await
        .unwrap();
    assert_eq!(soon.due_on, Some(d("2025-10-23")));
    // Formed 2025-09-01: due before the holiday, overdue.
    let late = svc
        .register_item(&li, draft("丙", "2025-09-01"))
        .await
        .unwrap();
    assert!(late.due_on.unwrap() < d("2025-10-20"));
    let on_time = svc
        .register_item(&li, draft("丁", "2025-10-09"))
        .await
        .unwrap();
    let mut not_proactive = draft("戊", "2025-09-01");
    not_proactive.disclosure = Disclosure::OnRequest;
    let np = svc.register_item(&li, not_proactive).await.unwrap();
    assert_eq!(np.due_on, None, "no clock unless 主动公开");

    let due = svc.due_items(&li).await.unwrap();
    let ids = |v: &[gongkai_service::register::ListedItem]| {
        v.iter().map(|i| i.item.id).collect::<Vec<_>>()
    };
    assert_eq!(ids(&due.overdue), [late.id]);
    assert_eq!(ids(&due.due_soon), [soon.id]);
    assert_eq!(
        due.due_soon[0].clock.as_ref().unwrap().status,
        PublicationStatus::DueSoon {
            working_days_left: 3
        }
    );
    assert!(matches!(
        due.overdue[0].clock.as_ref().unwrap().status,
        PublicationStatus::Overdue { .. }
    ));
    assert_eq!(due.rate.published, 0);
    assert_eq!(due.rate.percent(), "—");
    let pending = svc
        .list_items(
            &li,
            &ItemFilter {
                due: Some(DueState::Pending),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(pending.total, 4);
    assert_eq!(pending.items[0].item.id, late.id, "earliest deadline first");

    reviewed(svc, late.id).await;
    reviewed(svc, on_time.id).await;
    svc.publish_item(&li, late.id, on(Outlet::Website, "", "2025-10-20"))
        .await
        .unwrap();
    svc.publish_item(&li, on_time.id, on(Outlet::Gazette, "", "2025-10-10"))
        .await
        .unwrap();
    let due = svc.due_items(&li).await.unwrap();
    assert!(due.overdue.is_empty());
    assert_eq!((due.rate.on_time, due.rate.published), (1, 2));
    assert_eq!(due.rate.percent(), "50.0%");
    let rate = svc.on_time_rate(&li, 2024).await.unwrap();
    assert_eq!(rate.published, 0);

    // The supervisor's view shows the same figures for the agency (issue 18 §2: the
    // on-time rate of proactive publication).
    svc.store()
        .grant_roles(
            "wang",
            1,
            &["leader".into(), "supervisor".into()],
            &gongkai_store::Stamp::now("admin"),
        )
        .await
        .unwrap();
    let wang = svc.actor("wang", Via::Cli).await.unwrap();
    let view = svc
        .supervision(&wang, None, Some(2025), None)
        .await
        .unwrap();
    let line = &view.agencies[0];
    assert_eq!(line.published, 2);
    assert_eq!(line.publication_on_time_rate, Some(0.5));
    assert_eq!(line.publication_overdue, 0);
    assert!(
        view.unavailable
            .iter()
            .all(|u| u.what != "主动公开按期发布率")
    );
    // A publication afterwards moves the kept figures (migration 0022's triggers).
    reviewed(svc, open.id).await;
    svc.publish_item(&li, open.id, on(Outlet::Website, "", "2025-10-20"))
        .await
        .unwrap();
    let view = svc
        .supervision(&wang, None, Some(2025), None)
        .await
        .unwrap();
    assert_eq!(view.agencies[0].published, 3);
    assert_eq!(
        (view.cache.kept, view.cache.computed),
        (0, 1),
        "recomputed after the write"
    );
}

async fn withheld_items_are_reassessed(svc: &Service) {
    let svc = &on_day(svc);
    let (li, zhu, _wang) = office(svc).await;
    let mut w = draft("某项目过程性讨论材料", "2024-06-03");
    w.disclosure = Disclosure::Withheld {
        basis: WithholdBasis::Process,
    };
    let item = svc.register_item(&li, w).await.unwrap();
    assert_eq!(item.due_on, None);
    assert_eq!(
        item.reassess_on,
        Some(d("2026-10-20")),
        "12 months by default"
    );
    // Not due yet; listed among the withheld.
    assert!(svc.withheld_items(&li, true).await.unwrap().is_empty());
    assert_eq!(svc.withheld_items(&li, false).await.unwrap().len(), 1);
    let form = SettingsForm {
        reassess_months: "6".into(),
        ..SettingsForm::from_settings(&svc.register_settings(&li).await.unwrap())
    };
    svc.set_register_settings(&zhu, &form).await.unwrap();

    // A reason is required; kept withheld on another basis.
    let keep = Reassessment {
        outcome: ReassessOutcome::Keep,
        basis: Some(WithholdBasis::Internal),
        reason: String::new(),
    };
    let e = svc
        .reassess_item(&li, item.id, keep.clone())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    let kept = svc
        .reassess_item(
            &li,
            item.id,
            Reassessment {
                reason: "仍属内部管理信息".into(),
                ..keep
            },
        )
        .await
        .unwrap();
    assert_eq!(
        kept.disclosure,
        Disclosure::Withheld {
            basis: WithholdBasis::Internal
        }
    );
    assert_eq!(kept.reassess_on, Some(d("2026-04-20")));
    assert_eq!(kept.version, 2);
    // Released: the art. 26 clock starts on the day of the re-assessment.
    let released = svc
        .reassess_item(
            &li,
            item.id,
            Reassessment {
                outcome: ReassessOutcome::Release,
                basis: None,
                reason: "项目已完成，情势变化可以公开".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(released.disclosure, Disclosure::Proactive);
    assert_eq!(released.clock_from, Some(d("2025-10-20")));
    assert_eq!(released.reassess_on, None);
    assert!(released.due_on.unwrap() > d("2025-11-10"));
    let e = svc
        .reassess_item(
            &li,
            item.id,
            Reassessment {
                outcome: ReassessOutcome::Keep,
                basis: None,
                reason: "x".into(),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict, "no longer withheld");
    let r = svc.item(&li, item.id).await.unwrap().record;
    assert_eq!(
        r.timeline
            .iter()
            .filter(|e| e.kind == TimelineKind::Reassessed)
            .count(),
        2
    );
    reviewed(svc, item.id).await;
    svc.publish_item(&li, item.id, on(Outlet::Website, "", "2025-10-20"))
        .await
        .unwrap();
}

async fn lists_filter_and_page(svc: &Service) {
    let svc = &on_day(svc);
    let (li, _zhu, _wang) = office(svc).await;
    for n in 0..25 {
        let mut x = draft(&format!("第{n}号通告"), "2025-10-09");
        if n % 5 == 0 {
            x.topic = "城乡建设、环境保护".into();
            x.genre = "通告".into();
            x.outlets = vec![Outlet::Gazette];
        }
        if n == 7 {
            x.formed_on = d("2024-12-30");
            x.number = Some("某环发〔2024〕7号".into());
        }
        svc.register_item(&li, x).await.unwrap();
    }
    let all = svc.list_items(&li, &ItemFilter::default()).await.unwrap();
    assert_eq!((all.total, all.items.len(), all.pages()), (25, 20, 2));
    let p2 = svc
        .list_items(
            &li,
            &ItemFilter {
                page: 2,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(p2.items.len(), 5);
    assert_eq!(
        p2.items.last().unwrap().item.title,
        "第7号通告",
        "oldest last"
    );
    let clerk = &li;
    let f = |f: ItemFilter| async move { svc.list_items(clerk, &f).await.unwrap().total };
    assert_eq!(
        f(ItemFilter {
            topic: Some("城乡建设、环境保护".into()),
            ..Default::default()
        })
        .await,
        5
    );
    assert_eq!(
        f(ItemFilter {
            topic: Some("综合政务".into()),
            ..Default::default()
        })
        .await,
        20,
        "a first level finds its sub-topics"
    );
    assert_eq!(
        f(ItemFilter {
            outlet: Some(Outlet::Gazette),
            genre: Some("通告".into()),
            ..Default::default()
        })
        .await,
        5
    );
    assert_eq!(
        f(ItemFilter {
            year: Some(2024),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        f(ItemFilter {
            text: Some("环发〔2024〕".into()),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        f(ItemFilter {
            text: Some("local-1/2025-0001".into()),
            ..Default::default()
        })
        .await,
        10
    );
    assert_eq!(
        f(ItemFilter {
            stage: Some(ItemStage::Published),
            ..Default::default()
        })
        .await,
        0
    );
    assert_eq!(
        f(ItemFilter {
            organ: Some("某市".into()),
            ..Default::default()
        })
        .await,
        25
    );
    let e = svc
        .list_items(
            &li,
            &ItemFilter {
                year: Some(20250),
                ..Default::default()
            },
        )
        .await;
    assert_eq!(e.unwrap_err().kind(), ErrorKind::Invalid);
}

async fn attachments_keep_their_digest(svc: &Service) {
    let svc = &on_day(svc);
    let (li, zhu, _wang) = office(svc).await;
    let a = svc
        .register_item(&li, draft("甲", "2025-10-09"))
        .await
        .unwrap();
    let bytes = b"%PDF-1.4 attachment".to_vec();
    let m = svc
        .attach_to_item(
            &li,
            a.id,
            NewAttachment {
                name: "附件1.pdf".into(),
                media_type: "application/pdf".into(),
                bytes: bytes.clone(),
            },
        )
        .await
        .unwrap();
    assert_eq!((m.seq, m.size), (1, bytes.len() as u64));
    assert_eq!(m.sha256, gongkai_store::auth::sha256_hex(&bytes));
    let (meta, back) = svc.item_attachment(&zhu, a.id, 1).await.unwrap();
    assert_eq!(back, bytes);
    assert_eq!(
        (meta.seq, meta.name, meta.sha256),
        (m.seq, m.name, m.sha256)
    );
    let e = svc
        .attach_to_item(
            &li,
            a.id,
            NewAttachment {
                name: "大文件.zip".into(),
                media_type: String::new(),
                bytes: vec![0; gongkai_store::register::MAX_ATTACHMENT_BYTES + 1],
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(e.to_string().contains("大文件.zip"), "{e}");
    assert_eq!(
        svc.item_attachment(&li, a.id, 2).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

async fn settings_change_the_numbering(svc: &Service) {
    let svc = &on_day(svc);
    let (li, zhu, _wang) = office(svc).await;
    let mut form = SettingsForm::from_settings(&svc.register_settings(&li).await.unwrap());
    assert_eq!(form.index_scheme, "{code}/{year}-{seq:05}");
    form.index_scheme = "{code}/{year}".into();
    let e = svc.set_register_settings(&zhu, &form).await.unwrap_err();
    assert!(e.to_string().contains("索引号规则"), "{e}");
    form.index_scheme = "{code}-{year}-{seq:06}".into();
    form.index_code = "11110000MB0123456X".into();
    form.genres.push_str("\n工作动态");
    form.review_levels = "通知=2\n工作动态=1".into();
    let e = svc.set_register_settings(&li, &form).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden, "a clerk does not configure");
    let s = svc.set_register_settings(&zhu, &form).await.unwrap();
    assert_eq!(s.review_levels_for("通知"), 2);
    assert_eq!(s.review_levels_for("工作动态"), 1);
    let mut x = draft("本周工作动态", "2025-10-09");
    x.genre = "工作动态".into();
    let a = svc.register_item(&li, x).await.unwrap();
    assert_eq!(a.index_number, "11110000MB0123456X-2025-000001");
    let b = svc
        .register_item(&li, draft("乙", "2024-03-01"))
        .await
        .unwrap();
    assert_eq!(b.index_number, "11110000MB0123456X-2024-000001", "per year");
    form.review_levels = "说明=2".into();
    let e = svc.set_register_settings(&zhu, &form).await.unwrap_err();
    assert!(e.to_string().contains("说明"), "{e}");
    let audit = svc
        .store()
        .audit(&AuditQuery {
            action: Some("register_settings.set".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
}

async fn agencies_do_not_see_each_others_items(svc: &Service) {
    let svc = &on_day(svc);
    let (li, _zhu, _wang) = office(svc).await;
    let admin = svc.actor("admin", Via::Cli).await.unwrap();
    svc.add_agency(&admin, "local-1", "B", "某区某局", "县区")
        .await
        .unwrap();
    let u = gongkai_store::NewUser {
        name: "bclerk".into(),
        display_name: None,
        role: gongkai_store::Role::Clerk,
        password: common::PASSWORD.into(),
    };
    svc.add_user(&admin, &u).await.unwrap();
    svc.grant_roles(&admin, "bclerk", "B", &["信息员".into()])
        .await
        .unwrap();
    svc.grant_roles(&admin, "bclerk", "local-1", &[])
        .await
        .unwrap();
    let bclerk = svc.actor("bclerk", Via::Cli).await.unwrap();
    let a = svc
        .register_item(&li, draft("甲机关的事项", "2025-10-09"))
        .await
        .unwrap();
    let b = svc
        .register_item(&bclerk, draft("乙机关的事项", "2025-10-09"))
        .await
        .unwrap();
    assert_eq!(b.index_number, "B/2025-00001", "serials per agency");
    assert_eq!(b.organ, "某区某局");
    assert_eq!(a.id, b.id, "ids per agency");
    // B sees only its own item under the same id; A's crafted ids are not found.
    assert_eq!(
        svc.item(&bclerk, a.id).await.unwrap().record.item.title,
        "乙机关的事项"
    );
    assert_eq!(
        svc.item(&bclerk, 2).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    let list = svc
        .list_items(&bclerk, &ItemFilter::default())
        .await
        .unwrap();
    assert_eq!(list.total, 1);
    let a2 = svc
        .register_item(&li, draft("甲二", "2025-10-09"))
        .await
        .unwrap();
    for e in [
        svc.publish_item(&bclerk, a2.id, on(Outlet::Website, "", "2025-10-10"))
            .await
            .unwrap_err(),
        svc.edit_item(&bclerk, a2.id, draft("改", "2025-10-09"))
            .await
            .unwrap_err(),
    ] {
        assert_eq!(e.kind(), ErrorKind::NotFound);
    }
    assert_eq!(
        svc.item(&li, a2.id).await.unwrap().record.item.stage,
        ItemStage::Draft
    );
}
