//! The register's list with each filter of its page (words, 主题分类, 体裁, 发布机构, year,
//! stage, channel, due and overdue) equals a plain filter of the same items in memory, on
//! both backends: the channel and word indexes of migration 0028 (kept by triggers, on
//! items registered, imported, edited and published) find exactly what a scan finds.

use chrono::{Datelike, Days};
use gongkai_ledger::register::generate::{YearPlan, generate_year};
use gongkai_ledger::register::{ItemStage, Outlet, Publication};
use gongkai_ledger::{Calendar, Vocabulary};
use gongkai_service::Service;
use gongkai_store::register::{ItemQuery, RegisterItem};

#[macro_use]
mod common;
use common::{office, postgres, review_item, sqlite};

on_both_backends!(filtered_lists_equal_a_plain_filter);

/// What `q` selects, by reading each item (the list's order: newest 生成日期, then id).
fn plain(items: &[RegisterItem], q: &ItemQuery) -> Vec<i64> {
    let words: Vec<String> = q
        .text
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    let mut hits: Vec<&RegisterItem> = items
        .iter()
        .filter(|i| {
            let text = format!(
                "{} {} {} {}",
                i.title,
                i.index_number,
                i.number.as_deref().unwrap_or(""),
                i.summary
            )
            .to_ascii_lowercase();
            let unpublished =
                i.due_on.is_some() && i.first_published_on.is_none() && i.withdrawn_at.is_none();
            words.iter().all(|w| text.contains(w.as_str()))
                && q.topic
                    .as_deref()
                    .is_none_or(|t| i.topic == t || i.topic.starts_with(&format!("{t}\\")))
                && q.genre.as_deref().is_none_or(|g| i.genre == g)
                && q.organ
                    .as_deref()
                    .is_none_or(|o| o.split_whitespace().all(|w| i.organ.contains(w)))
                && q.year.is_none_or(|y| i.formed_on.year() == y)
                && q.stage.is_none_or(|s| i.stage == s)
                && q.outlet.is_none_or(|o| i.outlets.contains(&o))
                && q.due_by.is_none_or(|d| unpublished && i.due_on <= Some(d))
                && q.due_from
                    .is_none_or(|d| unpublished && i.due_on >= Some(d))
        })
        .collect();
    hits.sort_by_key(|h| std::cmp::Reverse((h.formed_on, h.id)));
    hits.into_iter().map(|i| i.id).collect()
}

async fn filtered_lists_equal_a_plain_filter(svc: &Service) {
    let today = Service::today();
    let year = today.year();
    let svc = svc.clone().with_date(today);
    let (li, zhu, wang) = office(&svc).await;
    let mut plan = YearPlan::new(7, year, 240);
    plan.earlier_documents = 0;
    plan.today = today;
    let generated = generate_year(&plan, Calendar::builtin());

    // Forty through the use cases (三审, then each channel: the outlets written by an
    // update), the rest through the batch import.
    for g in &generated[..40] {
        let mut d = g.draft.clone();
        d.organ = String::new();
        let item = svc.register_item(&li, d).await.unwrap();
        if !g.publications.is_empty() {
            review_item(&svc, item.id, &li, &zhu, &wang).await;
            for p in &g.publications {
                svc.publish_item(&li, item.id, p.clone()).await.unwrap();
            }
        }
    }
    let rows = generated[40..]
        .iter()
        .enumerate()
        .map(|(i, g)| (i + 2, g.draft.clone(), Vec::new()))
        .collect();
    svc.store()
        .import_items(rows, today, &li.stamp())
        .await
        .unwrap();

    // Items with Latin letters, punctuation, LIKE's wildcards and words at either end.
    let base = generated[0].draft.clone();
    // Two of them under a sub-topic (`综合政务\政务公开`, one entered with a slash), one
    // under `综合政务` itself, two of other 发布机构.
    for (k, (title, number, summary)) in [
        (
            "防汛抗旱Ab-1%工作",
            Some("临政发〔2025〕7号"),
            "关于防汛的通知_X",
        ),
        ("汛期 AB-12 安排", None, "抗旱"),
        ("Flood 防汛", Some("ab_1"), "末尾汛"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut d = base.clone();
        d.organ = ["", "临河市水利局", "某市某局办公室"][k].into();
        d.topic = ["综合政务/政务公开", "综合政务", "综合政务\\政务公开"][k].into();
        d.title = title.into();
        d.number = number.map(Into::into);
        d.summary = summary.into();
        d.outlets = vec![Outlet::Gazette, Outlet::Other];
        svc.register_item(&li, d).await.unwrap();
    }
    // An edit changes the words (the index follows), a publication the channels.
    let first = svc
        .store()
        .list_items(&ItemQuery {
            stage: Some(ItemStage::Draft),
            limit: Some(2),
            ..Default::default()
        })
        .await
        .unwrap()
        .items;
    let mut d = svc
        .item(&li, first[0].id)
        .await
        .unwrap()
        .record
        .draft
        .clone();
    d.title = "改名后的标题：水库除险加固".into();
    d.outlets = vec![Outlet::PressConference];
    svc.edit_item(&li, first[0].id, d).await.unwrap();
    review_item(&svc, first[1].id, &li, &zhu, &wang).await;
    svc.publish_item(
        &li,
        first[1].id,
        Publication {
            outlet: Outlet::Media,
            account: "临河日报".into(),
            published_on: today,
            url: None,
        },
    )
    .await
    .unwrap();

    let all = svc
        .store()
        .list_items(&ItemQuery::default())
        .await
        .unwrap()
        .items;
    assert_eq!(all.len(), 240 + 3);
    let mut queries: Vec<ItemQuery> = [
        "防汛",
        "汛",
        "防汛抗旱",
        "ab",
        "AB-1",
        "1%",
        "_x",
        "〔2025〕",
        "通知 临河",
        "号",
        "末尾汛",
        "水库除险",
        "改名前",
        "-",
        "zzz",
        "通知 2",
        "2",
        "临河 汛",
        "号 通知 2026",
    ]
    .iter()
    .map(|t| ItemQuery {
        text: Some(t.to_string()),
        ..Default::default()
    })
    .collect();
    for o in Outlet::ALL {
        queries.push(ItemQuery {
            outlet: Some(*o),
            ..Default::default()
        });
    }
    for s in ItemStage::ALL {
        queries.push(ItemQuery {
            stage: Some(*s),
            ..Default::default()
        });
    }
    let topic = all[5]
        .topic
        .split('\\')
        .next()
        .unwrap_or_default()
        .to_string();
    let soon = today.checked_add_days(Days::new(10)).unwrap();
    let yesterday = today.checked_sub_days(Days::new(1)).unwrap();
    queries.extend([
        ItemQuery {
            topic: Some(topic.clone()),
            ..Default::default()
        },
        ItemQuery {
            genre: Some(all[7].genre.clone()),
            ..Default::default()
        },
        ItemQuery {
            organ: Some("临河 办公室".into()),
            ..Default::default()
        },
        ItemQuery {
            organ: Some("水利".into()),
            ..Default::default()
        },
        ItemQuery {
            organ: Some("某市 局".into()),
            ..Default::default()
        },
        ItemQuery {
            topic: Some("综合政务".into()),
            ..Default::default()
        },
        ItemQuery {
            topic: Some("综合政务\\政务公开".into()),
            ..Default::default()
        },
        ItemQuery {
            text: Some("通知".into()),
            outlet: Some(Outlet::NewMedia),
            ..Default::default()
        },
        ItemQuery {
            text: Some("汛 2026".into()),
            organ: Some("临河".into()),
            outlet: Some(Outlet::Gazette),
            ..Default::default()
        },
        ItemQuery {
            year: Some(year),
            ..Default::default()
        },
        ItemQuery {
            due_by: Some(yesterday),
            ..Default::default()
        },
        ItemQuery {
            due_from: Some(today),
            due_by: Some(soon),
            ..Default::default()
        },
        ItemQuery {
            text: Some("通知".into()),
            topic: Some(topic),
            year: Some(year),
            outlet: Some(Outlet::Website),
            ..Default::default()
        },
        ItemQuery {
            text: Some("汛".into()),
            outlet: Some(Outlet::Gazette),
            stage: Some(ItemStage::Draft),
            ..Default::default()
        },
    ]);
    let mut empty = Vec::new();
    for q in &queries {
        let want = plain(&all, q);
        let got: Vec<i64> = svc
            .store()
            .list_items(q)
            .await
            .unwrap()
            .items
            .iter()
            .map(|i| i.id)
            .collect();
        assert_eq!(got, want, "{q:?}");
        // A page of it: the same count, the same first rows.
        let page = svc
            .store()
            .list_items(&ItemQuery {
                limit: Some(20),
                offset: 0,
                ..q.clone()
            })
            .await
            .unwrap();
        assert_eq!(page.total as usize, want.len(), "{q:?}");
        let first: Vec<i64> = page.items.iter().map(|i| i.id).collect();
        assert_eq!(first, want[..want.len().min(20)], "{q:?}");
        if want.is_empty() {
            empty.push(format!("{q:?}"));
        }
    }
    // Only the words that are nowhere and the stages no item is at select nothing (the
    // comparisons are not of empty lists).
    assert!(
        empty.iter().all(|q| q.contains("改名前")
            || q.contains("zzz")
            || q.contains("stage: Some(Withdrawn)")
            || q.contains("stage: Some(InReview)")
            || q.contains("stage: Some(Approved)")),
        "{empty:?}"
    );
}
