//! The 专栏's lists from the index ([`SearchIndex::list`]) equal a plain filter and sort of
//! the same documents in memory, for every filter and slice.

use chrono::NaiveDate;
use gongkai_search::{Change, ListQuery, SearchDoc, SearchIndex};

/// A small deterministic generator (the test must not depend on a seed from outside).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const WORDS: &[&str] = &[
    "防汛",
    "救灾",
    "医保",
    "参保",
    "缴费",
    "通知",
    "ABC",
    "abc",
    "卫生健康",
    "100%",
    "a_b",
    "乡村振兴",
    "汛期",
];
const ORGANS: &[&str] = &[
    "某市人民政府办公室",
    "某市卫生健康委员会",
    "某市应急管理局",
    "某县人民政府",
];
const TOPICS: &[&str] = &[
    "综合政务",
    "综合政务/政务公开",
    "卫生、体育",
    "城乡建设、环境保护",
];
const GENRES: &[&str] = &["通知", "公告", "意见", "其他"];

fn corpus(n: u64) -> Vec<SearchDoc> {
    let mut r = Lcg(7);
    (1..=n)
        .map(|item| {
            let title: String = (0..3).map(|_| r.pick(WORDS)).collect::<Vec<_>>().join("");
            let formed_on = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap()
                + chrono::Days::new(r.below(900) as u64);
            SearchDoc {
                agency: 1 + r.below(2) as u64,
                item,
                index_number: format!("000014349/{}-{item:05}", 2022 + r.below(3)),
                title,
                summary: if r.below(2) == 0 {
                    String::new()
                } else {
                    format!("关于{}的说明", r.pick(WORDS))
                },
                body: "正文".into(),
                attachments: Vec::new(),
                organ: r.pick(ORGANS).into(),
                number: (r.below(3) == 0).then(|| format!("某政发〔2023〕{item}号")),
                topic: r.pick(TOPICS).into(),
                genre: r.pick(GENRES).into(),
                formed_on,
                published_on: Some(formed_on),
                extra: format!("{{\"n\":{item}}}"),
            }
        })
        .collect()
}

/// What the register's SQL means by the filters.
fn expected(docs: &[SearchDoc], q: &ListQuery) -> Vec<u64> {
    let like = |hay: &str, words: &Option<String>| {
        let hay = hay.to_ascii_lowercase();
        words
            .as_deref()
            .unwrap_or("")
            .split_whitespace()
            .all(|w| hay.contains(&w.to_ascii_lowercase()))
    };
    let mut found: Vec<&SearchDoc> = docs
        .iter()
        .filter(|d| q.agencies.is_empty() || q.agencies.contains(&d.agency))
        .filter(|d| {
            let text = format!(
                "{} {} {} {}",
                d.title,
                d.index_number,
                d.number.as_deref().unwrap_or(""),
                d.summary
            );
            like(&text, &q.text)
        })
        .filter(|d| like(&d.organ, &q.organ))
        .filter(|d| {
            q.topic
                .as_deref()
                .is_none_or(|t| d.topic == t || d.topic.starts_with(&format!("{t}/")))
        })
        .filter(|d| q.genre.as_deref().is_none_or(|g| d.genre == g))
        .filter(|d| {
            q.year
                .is_none_or(|y| chrono::Datelike::year(&d.formed_on) == y)
        })
        .collect();
    found.sort_by_key(|d| std::cmp::Reverse((d.formed_on, d.item)));
    found.into_iter().map(|d| d.item).collect()
}

#[test]
fn lists_equal_a_plain_filter_of_the_documents() {
    let docs = corpus(600);
    let index = SearchIndex::in_memory().unwrap();
    let changes: Vec<Change> = docs
        .iter()
        .cloned()
        .map(|d| Change::Upsert(Box::new(d)))
        .collect();
    index.apply(&changes, "m1").unwrap();
    let s = |x: &str| Some(x.to_string());
    let filters = vec![
        ListQuery::default(),
        ListQuery {
            agencies: vec![2],
            ..Default::default()
        },
        ListQuery {
            text: s("防汛"),
            ..Default::default()
        },
        ListQuery {
            text: s("汛"),
            ..Default::default()
        },
        ListQuery {
            text: s("防汛 医保"),
            ..Default::default()
        },
        ListQuery {
            text: s("abc"),
            ..Default::default()
        },
        ListQuery {
            text: s("AbC"),
            ..Default::default()
        },
        ListQuery {
            text: s("100%"),
            ..Default::default()
        },
        ListQuery {
            text: s("a_b"),
            ..Default::default()
        },
        ListQuery {
            text: s("〔2023〕1"),
            ..Default::default()
        },
        ListQuery {
            text: s("2024-"),
            ..Default::default()
        },
        ListQuery {
            text: s("汛医"),
            ..Default::default()
        },
        ListQuery {
            text: s("关于医保"),
            ..Default::default()
        },
        ListQuery {
            text: s("不存在的词"),
            ..Default::default()
        },
        ListQuery {
            organ: s("卫生健"),
            ..Default::default()
        },
        ListQuery {
            organ: s("某市 政府"),
            ..Default::default()
        },
        ListQuery {
            topic: s("综合政务"),
            ..Default::default()
        },
        ListQuery {
            topic: s("综合政务/政务公开"),
            ..Default::default()
        },
        ListQuery {
            genre: s("公告"),
            ..Default::default()
        },
        ListQuery {
            year: Some(2023),
            ..Default::default()
        },
        ListQuery {
            agencies: vec![1],
            topic: s("综合政务"),
            year: Some(2023),
            text: s("防汛"),
            ..Default::default()
        },
    ];
    for base in filters {
        let all = expected(&docs, &base);
        for (offset, limit) in [
            (0, Some(20)),
            (20, Some(20)),
            (all.len().saturating_sub(5), Some(20)),
            (0, None),
            (7, None),
        ] {
            let q = ListQuery {
                offset,
                limit,
                ..base.clone()
            };
            let page = index.list(&q).unwrap();
            let want: Vec<u64> = all
                .iter()
                .copied()
                .skip(offset)
                .take(limit.unwrap_or(usize::MAX))
                .collect();
            let got: Vec<u64> = page.items.iter().map(|l| l.item).collect();
            assert_eq!(page.total, all.len(), "{q:?}");
            assert_eq!(got, want, "{q:?}");
        }
        assert!(
            !all.is_empty() || base.text.as_deref() == Some("不存在的词"),
            "{base:?} finds nothing"
        );
    }
    // The stored fields come back as given.
    let page = index
        .list(&ListQuery {
            limit: Some(1),
            ..Default::default()
        })
        .unwrap();
    let first = docs.iter().find(|d| d.item == page.items[0].item).unwrap();
    let l = &page.items[0];
    assert_eq!(
        (l.agency, l.title.as_str(), l.organ.as_str()),
        (first.agency, first.title.as_str(), first.organ.as_str())
    );
    assert_eq!(
        (l.number.clone(), l.formed_on.clone(), l.extra.clone()),
        (
            first.number.clone(),
            first.formed_on.to_string(),
            first.extra.clone()
        )
    );
}

#[test]
fn a_removed_document_leaves_the_lists() {
    let docs = corpus(30);
    let index = SearchIndex::in_memory().unwrap();
    let changes: Vec<Change> = docs
        .iter()
        .cloned()
        .map(|d| Change::Upsert(Box::new(d)))
        .collect();
    index.apply(&changes, "m1").unwrap();
    let gone = &docs[3];
    index
        .apply(
            &[Change::Remove {
                agency: gone.agency,
                item: gone.item,
            }],
            "m2",
        )
        .unwrap();
    let page = index.list(&ListQuery::default()).unwrap();
    assert_eq!(page.total, 29);
    assert!(page.items.iter().all(|l| l.item != gone.item));
}
