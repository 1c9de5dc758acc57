//! The public 专栏 through the service (issue 17 §1), on both backends: only published
//! 主动公开 items on the website are public, in their published version; corrections show
//! once published; a withdrawn item keeps its address and says so; attachments of the
//! published version; filters and the catalogue; the guide from the settings; only
//! approved annual reports; one agency's 专栏 never shows another's items.

use chrono::NaiveDate;
use gongkai_ledger::register::{Disclosure, ItemDraft, Outlet, Publication};
use gongkai_service::portal::search::PortalSearch;
use gongkai_service::portal::{ItemPage, PublicFilter};
use gongkai_service::{ErrorKind, Service, Via};
use gongkai_store::register::NewAttachment;
use gongkai_store::{ReviewAction, ReviewSubject};

#[macro_use]
mod common;
use common::{office, postgres, review_item, sqlite};

on_both_backends!(
    only_published_website_items_are_public,
    corrections_and_withdrawals_show_as_published,
    filters_and_the_catalogue,
    the_guide_follows_the_settings,
    only_approved_reports_are_public,
    one_agency_never_shows_another_agencys_items,
);

/// The 专栏's lists are served from a search index (one in memory per test, following the
/// register's change feed as a server's does).
fn portal(svc: &Service) -> PortalSearch {
    PortalSearch::new(
        svc.clone(),
        std::sync::Arc::new(gongkai_search::SearchIndex::in_memory().unwrap()),
    )
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn on_day(svc: &Service) -> Service {
    svc.clone().with_date(d("2025-10-20"))
}

fn draft(title: &str, formed_on: &str, outlets: Vec<Outlet>) -> ItemDraft {
    ItemDraft {
        title: title.into(),
        organ: String::new(),
        formed_on: d(formed_on),
        number: Some("某政办发〔2025〕12号".into()),
        topic: "综合政务".into(),
        genre: "通知".into(),
        summary: "印发本市政务公开工作要点。".into(),
        body: "各区人民政府：\n\n现将工作要点印发给你们，请认真贯彻执行。".into(),
        disclosure: Disclosure::Proactive,
        validity: None,
        outlets,
    }
}

fn web(date: &str) -> Publication {
    Publication {
        outlet: Outlet::Website,
        account: String::new(),
        published_on: d(date),
        url: None,
    }
}

/// Registered, reviewed (三审, 保密审查) and published on `outlet`.
async fn published(svc: &Service, d: ItemDraft, publication: Publication) -> i64 {
    let li = svc.actor("li", Via::Cli).await.unwrap();
    let zhu = svc.actor("zhu", Via::Api).await.unwrap();
    let wang = svc.actor("wang", Via::Web).await.unwrap();
    let item = svc.register_item(&li, d).await.unwrap();
    review_item(svc, item.id, &li, &zhu, &wang).await;
    svc.publish_item(&li, item.id, publication).await.unwrap();
    item.id
}

async fn agency(svc: &Service) -> gongkai_store::Agency {
    svc.portal_agencies().await.unwrap()[0].0.clone()
}

async fn only_published_website_items_are_public(svc: &Service) {
    let svc = &on_day(svc);
    let (li, _zhu, _wang) = office(svc).await;
    let a = svc
        .register_item(
            &li,
            draft(
                "关于印发政务公开工作要点的通知",
                "2025-10-09",
                vec![Outlet::Website],
            ),
        )
        .await
        .unwrap();
    svc.attach_to_item(
        &li,
        a.id,
        NewAttachment {
            name: "工作要点.pdf".into(),
            media_type: "application/pdf".into(),
            bytes: b"%PDF-1.4 the points".to_vec(),
        },
    )
    .await
    .unwrap();
    let me = agency(svc).await;
    let ps = &portal(svc);
    // A draft is not public, whatever its channels.
    assert_eq!(
        ps.items(&me, &PublicFilter::default()).await.unwrap().total,
        0
    );
    assert_eq!(
        svc.portal_item(&me, a.id).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    let zhu = svc.actor("zhu", Via::Api).await.unwrap();
    let wang = svc.actor("wang", Via::Web).await.unwrap();
    review_item(svc, a.id, &li, &zhu, &wang).await;
    svc.publish_item(&li, a.id, web("2025-10-10"))
        .await
        .unwrap();
    // Published only on the WeChat account: not the website's.
    let wechat = published(
        svc,
        draft("微信专稿", "2025-10-09", vec![Outlet::NewMedia]),
        Publication {
            outlet: Outlet::NewMedia,
            account: "某市发布".into(),
            published_on: d("2025-10-11"),
            url: None,
        },
    )
    .await;

    let list = ps.items(&me, &PublicFilter::default()).await.unwrap();
    assert_eq!(list.total, 1);
    assert_eq!(list.items[0].title, "关于印发政务公开工作要点的通知");
    assert_eq!(list.items[0].published_on, Some(d("2025-10-10")));
    assert_eq!(
        svc.portal_item(&me, wechat).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    let ItemPage::Published {
        item,
        body,
        attachments,
        corrections,
    } = svc.portal_item(&me, a.id).await.unwrap()
    else {
        panic!("published");
    };
    assert_eq!(item.index_number, list.items[0].index_number);
    assert!(body.contains("请认真贯彻执行"), "{body}");
    assert!(corrections.is_empty());
    assert_eq!(attachments.len(), 1);
    let (meta, bytes) = svc.portal_attachment(&me, a.id, 1).await.unwrap();
    assert_eq!(
        (meta.name.as_str(), bytes.as_slice()),
        ("工作要点.pdf", &b"%PDF-1.4 the points"[..])
    );
    assert_eq!(
        svc.portal_attachment(&me, a.id, 2)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        svc.portal_attachment(&me, wechat, 1)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    // An attachment added after publication waits for the next publication.
    svc.attach_to_item(
        &li,
        a.id,
        NewAttachment {
            name: "未审核的附件.pdf".into(),
            media_type: "application/pdf".into(),
            bytes: b"%PDF-1.4 later".to_vec(),
        },
    )
    .await
    .unwrap();
    let ItemPage::Published { attachments, .. } = svc.portal_item(&me, a.id).await.unwrap() else {
        panic!("published");
    };
    assert_eq!(attachments.len(), 1, "{attachments:?}");
    assert_eq!(
        svc.portal_attachment(&me, a.id, 2)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    // An attachment taken off is gone from the portal at once.
    svc.detach_from_item(&li, a.id, 1, "附件含个人信息")
        .await
        .unwrap();
    let ItemPage::Published { attachments, .. } = svc.portal_item(&me, a.id).await.unwrap() else {
        panic!("published");
    };
    assert!(attachments.is_empty(), "{attachments:?}");
    assert_eq!(
        svc.portal_attachment(&me, a.id, 1)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    // An item held for application only is never on the portal.
    let mut on_request = draft("依申请公开的信息", "2025-10-09", vec![Outlet::Website]);
    on_request.disclosure = Disclosure::OnRequest;
    let r = svc.register_item(&li, on_request).await.unwrap();
    assert_eq!(
        svc.portal_item(&me, r.id).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        svc.portal_agency("no-such-code").await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

async fn corrections_and_withdrawals_show_as_published(svc: &Service) {
    let svc = &on_day(svc);
    let (li, zhu, wang) = office(svc).await;
    let me = agency(svc).await;
    let ps = &portal(svc);
    let id = published(
        svc,
        draft(
            "关于开展安全检查的通知",
            "2025-10-09",
            vec![Outlet::Website],
        ),
        web("2025-10-10"),
    )
    .await;
    let mut fixed = draft(
        "关于开展安全生产检查的通知",
        "2025-10-09",
        vec![Outlet::Website],
    );
    fixed.body = "更正后的正文。".into();
    svc.correct_item(&li, id, fixed, "标题漏字").await.unwrap();
    // The correction is under review: the public still reads the published version.
    let list = ps.items(&me, &PublicFilter::default()).await.unwrap();
    assert_eq!(list.items[0].title, "关于开展安全检查的通知");
    let ItemPage::Published {
        item,
        body,
        corrections,
        ..
    } = svc.portal_item(&me, id).await.unwrap()
    else {
        panic!("published");
    };
    assert_eq!(item.title, "关于开展安全检查的通知");
    assert!(body.contains("请认真贯彻执行"));
    assert!(corrections.is_empty());
    // Reviewed and published: the corrected version, with the reason.
    review_item(svc, id, &li, &zhu, &wang).await;
    svc.publish_item(&li, id, web("2025-10-20")).await.unwrap();
    let ItemPage::Published {
        item,
        body,
        corrections,
        ..
    } = svc.portal_item(&me, id).await.unwrap()
    else {
        panic!("published");
    };
    assert_eq!(item.title, "关于开展安全生产检查的通知");
    assert_eq!(body, "更正后的正文。");
    assert_eq!(corrections.len(), 1);
    assert_eq!(corrections[0].1, "标题漏字");
    // 撤稿: gone from the lists, the address says it was withdrawn.
    svc.withdraw_item(&zhu, id, "数据有误").await.unwrap();
    assert_eq!(
        ps.items(&me, &PublicFilter::default()).await.unwrap().total,
        0
    );
    match svc.portal_item(&me, id).await.unwrap() {
        ItemPage::Withdrawn {
            title,
            withdrawn_on,
            ..
        } => {
            assert_eq!(title, "关于开展安全生产检查的通知");
            assert!(withdrawn_on.is_some());
        }
        other => panic!("withdrawn expected: {other:?}"),
    }
    assert_eq!(
        svc.portal_attachment(&me, id, 1).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

async fn filters_and_the_catalogue(svc: &Service) {
    let svc = &on_day(svc);
    office(svc).await;
    let me = agency(svc).await;
    let ps = &portal(svc);
    let mut notice = draft(
        "关于做好秋季防火工作的通知",
        "2025-09-26",
        vec![Outlet::Website],
    );
    notice.topic = "农业、林业、水利".into();
    published(svc, notice, web("2025-09-29")).await;
    let mut plan = draft("2024年度工作总结", "2024-12-20", vec![Outlet::Website]);
    plan.genre = "报告".into();
    plan.number = None;
    published(svc, plan, web("2024-12-25")).await;
    let rules = draft(
        "政府信息公开保密审查制度",
        "2025-03-03",
        vec![Outlet::Website],
    );
    let mut rules = rules;
    rules.topic = "综合政务\\政务公开".into();
    rules.genre = "其他".into();
    published(svc, rules, web("2025-03-05")).await;

    let all = ps.items(&me, &PublicFilter::default()).await.unwrap();
    assert_eq!(all.total, 3);
    let me_ref = &me;
    let titles = |f: PublicFilter| async move {
        ps.items(me_ref, &f)
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|i| i.title)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        titles(PublicFilter {
            topic: Some("农业、林业、水利".into()),
            ..Default::default()
        })
        .await,
        ["关于做好秋季防火工作的通知"]
    );
    assert_eq!(
        titles(PublicFilter {
            year: Some(2024),
            ..Default::default()
        })
        .await,
        ["2024年度工作总结"]
    );
    assert_eq!(
        titles(PublicFilter {
            genre: Some("报告".into()),
            ..Default::default()
        })
        .await,
        ["2024年度工作总结"]
    );
    assert_eq!(
        titles(PublicFilter {
            text: Some("防火".into()),
            ..Default::default()
        })
        .await,
        ["关于做好秋季防火工作的通知"]
    );
    let page2 = ps
        .items(
            &me,
            &PublicFilter {
                page: 2,
                per_page: 2,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!((page2.total, page2.items.len(), page2.pages()), (3, 1, 2));
    // The 制度 column: the default rules topic (综合政务\政务公开).
    let rules = ps.rules(&me, 1, 0).await.unwrap();
    assert_eq!(rules.total, 1);
    assert_eq!(rules.items[0].title, "政府信息公开保密审查制度");
    // The catalogue: every public item, the art. 12 fields.
    let rows = ps.catalogue(&me, Some(2025)).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .all(|r| !r.index_number.is_empty() && r.published_on.is_some())
    );
    let csv =
        String::from_utf8(gongkai_service::register::catalogue::catalogue_csv(&rows).unwrap())
            .unwrap();
    assert!(
        csv.contains("索引号") && csv.contains("关于做好秋季防火工作的通知"),
        "{csv}"
    );
    let e = ps
        .items(
            &me,
            &PublicFilter {
                year: Some(99),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
}

async fn the_guide_follows_the_settings(svc: &Service) {
    office(svc).await;
    let me = agency(svc).await;
    let guide = svc.portal_guide(&me).await.unwrap();
    assert_eq!(
        guide.office[0],
        ("机构名称", "某市某局政府信息公开工作机构".to_string())
    );
    assert!(guide.missing.contains(&"办公时间") && guide.missing.contains(&"传真"));
    let all: String = guide
        .sections
        .iter()
        .flat_map(|s| s.paragraphs.clone())
        .collect();
    assert!(all.contains("20个工作日"), "art. 26 and 33");
    assert!(all.contains("本级人民政府申请行政复议"), "{all}");

    let admin = svc.actor("admin", Via::Cli).await.unwrap();
    let mut office = svc.office().await.unwrap();
    office.office_name = "某市某局办公室".into();
    office.hours = "工作日 9:00—12:00，13:30—17:00".into();
    office.phone = "0591-12345678".into();
    office.email = "gk@example.gov.cn".into();
    office.reconsideration_organ = "某市人民政府".into();
    office.guide_note = "本专栏按主题分类编排。".into();
    svc.set_office(&admin, &office).await.unwrap();
    let guide = svc.portal_guide(&me).await.unwrap();
    assert_eq!(guide.office[0].1, "某市某局办公室");
    assert!(
        guide
            .office
            .contains(&("联系电话", "0591-12345678".to_string()))
    );
    assert!(guide.missing.contains(&"传真") && !guide.missing.contains(&"办公时间"));
    let all: String = guide
        .sections
        .iter()
        .flat_map(|s| s.paragraphs.clone())
        .collect();
    assert!(all.contains("向某市人民政府申请行政复议"), "{all}");
    assert!(all.contains("本专栏按主题分类编排。"));
    assert!(all.contains("综合政务"), "the topics listed");
}

async fn only_approved_reports_are_public(svc: &Service) {
    let (li, zhu, wang) = office(svc).await;
    let me = agency(svc).await;
    let january = svc.clone().with_date(d("2026-01-10"));
    assert!(january.portal_reports(&me).await.unwrap().is_empty());
    assert_eq!(
        january.portal_report(&me, 2025).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    common::write_narrative(&january, &li, 2025).await;
    let subject = ReviewSubject::AnnualReport { year: 2025 };
    january
        .review_step(&li, &subject, ReviewAction::Submit, None)
        .await
        .unwrap();
    // In review: not yet public.
    assert!(january.portal_reports(&me).await.unwrap().is_empty());
    january
        .review_step(&zhu, &subject, ReviewAction::Review, None)
        .await
        .unwrap();
    january
        .review_step(&wang, &subject, ReviewAction::Approve, None)
        .await
        .unwrap();
    let reports = january.portal_reports(&me).await.unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].year, 2025);
    assert!(reports[0].approved_on.is_some());
    let report = january.portal_report(&me, 2025).await.unwrap();
    assert_eq!(report.meta.year, Some(2025));
    assert!(report.sections[5].text.contains("信息处理费"));
}

async fn one_agency_never_shows_another_agencys_items(svc: &Service) {
    let svc = &on_day(svc);
    let (_li, _zhu, _wang) = office(svc).await;
    let admin = svc.actor("admin", Via::Cli).await.unwrap();
    svc.add_agency(&admin, "local-1", "B", "某区某局", "县区")
        .await
        .unwrap();
    let a = published(
        svc,
        draft("甲机关公开的信息", "2025-10-09", vec![Outlet::Website]),
        web("2025-10-10"),
    )
    .await;
    let agencies = svc.portal_agencies().await.unwrap();
    assert_eq!(agencies.len(), 2);
    let ps = &portal(svc);
    let b = agencies
        .iter()
        .find(|(a, _)| a.code == "B")
        .unwrap()
        .0
        .clone();
    assert_eq!(
        agencies.iter().find(|(a, _)| a.code == "B").unwrap().1,
        1,
        "depth"
    );
    assert_eq!(
        ps.items(&b, &PublicFilter::default()).await.unwrap().total,
        0
    );
    assert_eq!(
        svc.portal_item(&b, a).await.unwrap_err().kind(),
        ErrorKind::NotFound,
        "the same id in another agency's 专栏"
    );
    assert_eq!(svc.portal_agency("B").await.unwrap().name, "某区某局");
}
