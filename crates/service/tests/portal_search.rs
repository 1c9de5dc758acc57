//! The portal's search through the service, on both backends: an item published through
//! the service is found after the follower's step, a withdrawn one disappears, a
//! corrected one is found by its new title once the correction is published; drafts and
//! 依申请公开 items are never found; attachments by name and text, once published; the index on disk keeps its
//! position across a restart; agencies and a jurisdiction.

use std::sync::Arc;

use chrono::NaiveDate;
use gongkai_ledger::register::{Disclosure, ItemDraft, Outlet, Publication, WithholdBasis};
use gongkai_search::SearchIndex;
use gongkai_service::Service;
use gongkai_service::portal::search::{PortalQuery, PortalResults, PortalSearch};
use gongkai_store::register::NewAttachment;

#[macro_use]
mod common;
use common::{office, postgres, review_item, sqlite};

on_both_backends!(
    published_found_withdrawn_gone_corrected_by_new_title,
    the_index_on_disk_keeps_its_position,
    one_agency_or_the_jurisdiction,
    a_compacted_feed_keeps_what_every_follower_reads,
);

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn on_day(svc: &Service) -> Service {
    svc.clone().with_date(d("2025-10-20"))
}

fn draft(title: &str, number: &str, body: &str) -> ItemDraft {
    ItemDraft {
        title: title.into(),
        organ: String::new(),
        formed_on: d("2025-09-26"),
        number: Some(number.into()),
        topic: "综合政务/政务公开".into(),
        genre: "通知".into(),
        summary: "内容概述。".into(),
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

fn q(text: &str) -> PortalQuery {
    PortalQuery {
        q: text.into(),
        ..PortalQuery::default()
    }
}

async fn find(s: &PortalSearch, text: &str) -> PortalResults {
    s.search(&q(text)).await.unwrap()
}

fn ids(r: &PortalResults) -> Vec<u64> {
    r.hits.iter().map(|h| h.hit.item).collect()
}

/// Steps until `done` holds of the search for `text` (a PostgreSQL follower may need a
/// second step while another session's transaction holds the horizon), at most 10 s.
async fn until(
    s: &PortalSearch,
    text: &str,
    done: impl Fn(&PortalResults) -> bool,
) -> PortalResults {
    let start = std::time::Instant::now();
    loop {
        s.step().await.unwrap();
        let r = find(s, text).await;
        if done(&r) || start.elapsed() > std::time::Duration::from_secs(10) {
            return r;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn published_found_withdrawn_gone_corrected_by_new_title(svc: &Service) {
    let svc = &on_day(svc);
    let (li, zhu, wang) = office(svc).await;
    let search = PortalSearch::new(svc.clone(), Arc::new(SearchIndex::in_memory().unwrap()));
    let first = search.step().await.unwrap();
    assert!(first.rebuilt, "an index without a position is rebuilt");

    let a = svc
        .register_item(
            &li,
            draft(
                "关于做好城乡居民最低生活保障工作的通知",
                "某政办发〔2025〕12号",
                "各区人民政府：为做好最低生活保障工作，现将有关事项通知如下。",
            ),
        )
        .await
        .unwrap();
    svc.register_item(
        &li,
        draft(
            "关于召开防汛工作会议的通知",
            "某政办发〔2025〕13号",
            "会议通知。",
        ),
    )
    .await
    .unwrap();
    let mut withheld = draft(
        "关于某涉密事项的通知",
        "某政办发〔2025〕14号",
        "不予公开的正文。",
    );
    withheld.disclosure = Disclosure::Withheld {
        basis: WithholdBasis::StateSecret,
    };
    svc.register_item(&li, withheld).await.unwrap();

    // Registered, not published: nothing to find.
    let r = until(&search, "最低生活保障", |_| true).await;
    assert!(r.hits.is_empty(), "{r:?}");

    review_item(svc, a.id, &li, &zhu, &wang).await;
    svc.publish_item(&li, a.id, website("2025-10-10"))
        .await
        .unwrap();
    let r = until(&search, "最低生活保障", |r| !r.hits.is_empty()).await;
    assert_eq!(ids(&r), [a.id as u64]);
    let hit = &r.hits[0];
    assert!(
        hit.hit.title_html.contains("<mark>"),
        "{}",
        hit.hit.title_html
    );
    assert_eq!(hit.agency_code, "local-1");
    assert_eq!(hit.hit.published_on.as_deref(), Some("2025-10-10"));

    // Any bracket form of the 文号, and the answer says which 文号 it matched.
    let r = find(&search, "某政办发(2025)12号").await;
    assert_eq!(ids(&r), [a.id as u64]);
    let note = r.note.unwrap();
    assert!(note.contains("某政办发〔2025〕12号"), "{note}");
    assert!(note.contains("某政办发(2025)12号"), "{note}");

    // The draft and the withheld item are never found.
    assert!(find(&search, "防汛").await.hits.is_empty());
    let r = find(&search, "涉密事项").await;
    assert!(
        r.hits.iter().all(|h| !h.hit.title.contains("涉密")),
        "{r:?}"
    );
    let r = find(&search, "某政办发〔2025〕13号").await;
    assert!(!r.number_match.as_ref().unwrap().found, "{r:?}");
    assert!(r.note.as_deref().unwrap().contains("未找到文号"), "{r:?}");
    assert!(
        r.hits
            .iter()
            .all(|h| h.hit.number.as_deref() != Some("某政办发〔2025〕13号")),
        "{r:?}"
    );

    // An attachment added after publication is not public (nor found) until the item is
    // published again; then it is found by its name and by the text read from it.
    svc.attach_to_item(
        &li,
        a.id,
        NewAttachment {
            name: "低保对象认定办法.txt".into(),
            media_type: "text/plain".into(),
            bytes: "认定条件：共同生活的家庭成员人均月收入低于当地城乡低保标准。"
                .as_bytes()
                .to_vec(),
        },
    )
    .await
    .unwrap();
    let r = until(&search, "认定办法", |_| true).await;
    assert!(r.hits.is_empty() || r.relaxed, "not yet published: {r:?}");

    // A correction: the published version stays searchable until the correction is
    // published; then the new title is found and the old one is not.
    let new = draft(
        "关于做好城乡低保对象动态管理工作的通知",
        "某政办发〔2025〕12号",
        "各区人民政府：为做好低保对象动态管理工作，现将有关事项通知如下。",
    );
    svc.correct_item(&li, a.id, new, "标题有误").await.unwrap();
    let r = until(&search, "最低生活保障", |_| true).await;
    assert_eq!(
        ids(&r),
        [a.id as u64],
        "the published version until republished"
    );
    review_item(svc, a.id, &li, &zhu, &wang).await;
    svc.publish_item(&li, a.id, website("2025-10-20"))
        .await
        .unwrap();
    let r = until(&search, "动态管理", |r| !r.hits.is_empty()).await;
    assert_eq!(ids(&r), [a.id as u64]);
    assert!(find(&search, "最低生活保障").await.hits.is_empty());
    assert_eq!(
        ids(&find(&search, "认定办法").await),
        [a.id as u64],
        "by its name"
    );
    assert_eq!(
        ids(&find(&search, "人均月收入").await),
        [a.id as u64],
        "by its text"
    );

    // Withdrawn: gone.
    svc.withdraw_item(&zhu, a.id, "数据有误，撤回核实")
        .await
        .unwrap();
    let r = until(&search, "动态管理", |r| r.hits.is_empty()).await;
    assert!(r.hits.is_empty(), "{r:?}");
    assert!(find(&search, "某政办发〔2025〕12号").await.hits.is_empty());

    // A rebuild from the database agrees.
    let again = PortalSearch::new(svc.clone(), Arc::new(SearchIndex::in_memory().unwrap()));
    again.rebuild().await.unwrap();
    assert!(find(&again, "动态管理").await.hits.is_empty());
    assert_eq!(again.index().num_docs(), 0);
}

async fn the_index_on_disk_keeps_its_position(svc: &Service) {
    let svc = &on_day(svc);
    let (li, zhu, wang) = office(svc).await;
    let dir = tempfile::tempdir().unwrap();
    let publish = |title: &'static str, number: &'static str| {
        let (li, zhu, wang) = (li.clone(), zhu.clone(), wang.clone());
        async move {
            let it = svc
                .register_item(&li, draft(title, number, "正文。"))
                .await
                .unwrap();
            review_item(svc, it.id, &li, &zhu, &wang).await;
            svc.publish_item(&li, it.id, website("2025-10-10"))
                .await
                .unwrap();
            it.id
        }
    };
    let first = publish("关于印发政务公开工作要点的通知", "某政办发〔2025〕1号").await;
    {
        let s = PortalSearch::new(
            svc.clone(),
            Arc::new(SearchIndex::open(dir.path()).unwrap()),
        );
        let step = s.step().await.unwrap();
        assert!(step.rebuilt);
        assert_eq!(ids(&find(&s, "工作要点").await), [first as u64]);
    }
    // While the process is down, another item is published.
    let second = publish("关于印发营商环境优化方案的通知", "某政办发〔2025〕2号").await;
    let s = PortalSearch::new(
        svc.clone(),
        Arc::new(SearchIndex::open(dir.path()).unwrap()),
    );
    assert!(s.index().mark().unwrap().is_some(), "the position survived");
    let r = until(&s, "营商环境", |r| !r.hits.is_empty()).await;
    assert_eq!(ids(&r), [second as u64]);
    assert_eq!(s.index().num_docs(), 2, "caught up without a rebuild");
}

async fn one_agency_or_the_jurisdiction(svc: &Service) {
    let svc = &on_day(svc);
    let (li, zhu, wang) = office(svc).await;
    let it = svc
        .register_item(
            &li,
            draft(
                "关于加强安全生产工作的通知",
                "某政办发〔2025〕3号",
                "安全生产。",
            ),
        )
        .await
        .unwrap();
    review_item(svc, it.id, &li, &zhu, &wang).await;
    svc.publish_item(&li, it.id, website("2025-10-10"))
        .await
        .unwrap();
    let s = PortalSearch::new(svc.clone(), Arc::new(SearchIndex::in_memory().unwrap()));
    s.step().await.unwrap();
    let mut in_root = q("安全生产");
    in_root.agency = Some("local-1".into());
    assert_eq!(s.search(&in_root).await.unwrap().total, 1);
    in_root.agency = None;
    in_root.within = Some("local-1".into());
    assert_eq!(s.search(&in_root).await.unwrap().total, 1);
    let mut unknown = q("安全生产");
    unknown.agency = Some("nobody".into());
    let e = s.search(&unknown).await.unwrap_err();
    assert_eq!(e.kind(), gongkai_service::ErrorKind::NotFound);
    // Odd input never fails; an over-long query is refused naming the field.
    for text in ["\"", "title:(", "AND", "〔2025〕", "*?"] {
        s.search(&q(text)).await.unwrap();
    }
    let e = s.search(&q(&"安".repeat(300))).await.unwrap_err();
    assert_eq!(e.kind(), gongkai_service::ErrorKind::Invalid);
    assert!(e.to_string().contains("检索词"), "{e}");
}

/// The items of the 专栏's list, in order.
async fn listed(s: &PortalSearch, svc: &Service) -> Vec<(i64, String)> {
    let agency = svc.portal_agency("local-1").await.unwrap();
    let f = gongkai_service::portal::PublicFilter {
        per_page: 100,
        ..Default::default()
    };
    s.items(&agency, &f)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|i| (i.id, i.title))
        .collect()
}

async fn a_compacted_feed_keeps_what_every_follower_reads(svc: &Service) {
    let svc = &on_day(svc);
    let (li, zhu, wang) = office(svc).await;
    let mut ids = Vec::new();
    for n in 0..6 {
        let it = svc
            .register_item(
                &li,
                draft(
                    &format!("关于第{n}批项目的通知"),
                    &format!("某政办发〔2025〕{}号", 40 + n),
                    "正文。",
                ),
            )
            .await
            .unwrap();
        review_item(svc, it.id, &li, &zhu, &wang).await;
        svc.publish_item(&li, it.id, website("2025-10-10"))
            .await
            .unwrap();
        ids.push(it.id);
    }
    // A follower that stops here, in the middle of the items' histories.
    let behind = PortalSearch::new(svc.clone(), Arc::new(SearchIndex::in_memory().unwrap()));
    behind.step().await.unwrap();
    assert_eq!(listed(&behind, svc).await.len(), 6);
    // Then more history: corrections published, a withdrawal, a new item.
    for &id in &ids[..3] {
        let mut fixed = draft(
            &format!("更正后的第{id}号通知"),
            "某政办发〔2025〕99号",
            "更正后的正文。",
        );
        fixed.number = None;
        svc.correct_item(&li, id, fixed, "标题有误").await.unwrap();
        review_item(svc, id, &li, &zhu, &wang).await;
        svc.publish_item(&li, id, website("2025-10-15"))
            .await
            .unwrap();
    }
    svc.withdraw_item(&zhu, ids[4], "已失效").await.unwrap();
    let late = svc
        .register_item(
            &li,
            draft("关于后来登记的事项的通知", "某政办发〔2025〕60号", "正文。"),
        )
        .await
        .unwrap();
    review_item(svc, late.id, &li, &zhu, &wang).await;
    svc.publish_item(&li, late.id, website("2025-10-16"))
        .await
        .unwrap();

    let store = svc.store();
    let before = store.search_feed_len().await.unwrap();
    let removed = behind.compact_feed().await.unwrap();
    let after = store.search_feed_len().await.unwrap();
    assert!(removed > 0, "the items' histories had several rows each");
    assert_eq!(after, before - removed);
    assert!(after <= 7 + 1, "about a row an item: {after}");
    assert_eq!(
        behind.compact_feed().await.unwrap(),
        0,
        "nothing left to remove"
    );

    // The follower that was behind catches up through the compacted feed to exactly what
    // a rebuild from the database gives.
    let fresh = PortalSearch::new(svc.clone(), Arc::new(SearchIndex::in_memory().unwrap()));
    fresh.rebuild().await.unwrap();
    let want = listed(&fresh, svc).await;
    assert_eq!(want.len(), 6, "{want:?}");
    assert!(want.iter().any(|(_, t)| t.starts_with("更正后的")));
    assert!(want.iter().all(|(id, _)| *id != ids[4]), "withdrawn");
    let start = std::time::Instant::now();
    loop {
        behind.step().await.unwrap();
        let got = listed(&behind, svc).await;
        if got == want || start.elapsed() > std::time::Duration::from_secs(10) {
            assert_eq!(got, want);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
