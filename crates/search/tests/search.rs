//! The search crate on its own: the analyzer, 文号 keys, an index in memory and on disk.

use chrono::NaiveDate;
use gongkai_search::tokenizer::{query_groups, terms};
use gongkai_search::{Change, SearchDoc, SearchError, SearchIndex, SearchQuery, SortOrder, number};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn doc(item: u64, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        agency: 1,
        item,
        index_number: format!("000014349/2023-{item:05}"),
        title: title.to_string(),
        summary: String::new(),
        body: body.to_string(),
        attachments: Vec::new(),
        organ: "某市人民政府办公室".to_string(),
        number: None,
        topic: "综合政务/政务公开".to_string(),
        genre: "通知".to_string(),
        formed_on: d("2023-03-01"),
        published_on: Some(d("2023-03-05")),
        extra: String::new(),
    }
}

fn q(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.to_string(),
        page: 1,
        per_page: 10,
        ..SearchQuery::default()
    }
}

fn upsert(i: &SearchIndex, docs: Vec<SearchDoc>, mark: &str) {
    let changes: Vec<Change> = docs
        .into_iter()
        .map(|d| Change::Upsert(Box::new(d)))
        .collect();
    i.apply(&changes, mark).unwrap();
}

fn items(page: &gongkai_search::SearchPage) -> Vec<u64> {
    page.hits.iter().map(|h| h.item).collect()
}

#[test]
fn full_width_forms_fold() {
    let t = terms("关于２０２３年ＡＢＣ工作的通知");
    assert!(t.contains(&"2023".to_string()), "{t:?}");
    assert!(t.contains(&"abc".to_string()), "{t:?}");
    assert!(t.contains(&"通知".to_string()), "{t:?}");
}

#[test]
fn government_words_stay_whole_and_are_also_cut() {
    let t = terms("做好政府信息公开工作");
    assert!(t.contains(&"政府信息公开".to_string()), "{t:?}");
    assert!(t.contains(&"信息".to_string()), "{t:?}");
    assert!(t.contains(&"公开".to_string()), "{t:?}");
}

#[test]
fn punctuation_makes_no_token() {
    assert!(terms("，。！？（）〔〕【】 ...").is_empty());
    assert!(
        query_groups("  \" * : ( ) AND OR NOT ")
            .iter()
            .all(|g| g.word.is_ascii())
    );
    assert!(query_groups("  \" * : ( ) ").is_empty());
}

#[test]
fn query_words_carry_their_pieces() {
    let g = query_groups("关于最低生活保障的通知");
    assert_eq!(g[0].word, "最低生活保障");
    assert!(g[0].terms.contains(&"生活".to_string()));
    assert_eq!(g[1].word, "通知");
}

#[test]
fn every_bracket_gives_the_same_number_key() {
    for f in [
        "国办发〔2023〕12号",
        "国办发[2023]12号",
        "国办发(2023)12号",
        "国办发（2023）12号",
        "国办发【2023】12号",
        "国办发〔２０２３〕１２号",
        "国办发 〔2023〕 第12号",
        "国办发［2023］012号",
    ] {
        let n = number::parse(f).unwrap_or_else(|| panic!("{f}"));
        assert_eq!(n.canonical(), "国办发〔2023〕12号", "{f}");
    }
    let n = number::find("请查找京政办发(2021)7号文件").expect("found");
    let keys: Vec<String> = n.query_keys().into_iter().map(|(k, _)| k).collect();
    assert!(
        keys.contains(&"京政办发〔2021〕7号".to_string()),
        "{keys:?}"
    );
    assert!(number::parse("请查找京政办发(2021)7号文件").is_none());
    assert_eq!(
        number::parse("(2021)7号").expect("tail").canonical(),
        "〔2021〕7号"
    );
    for t in [
        "2023年工作要点",
        "关于(2023)的通知",
        "〔12023〕1号",
        "国办发〔2023〕号",
        "",
        "〔",
        "号",
    ] {
        assert!(number::find(t).is_none(), "{t}");
    }
}

#[test]
fn finds_ranks_highlights_and_escapes() {
    let i = SearchIndex::in_memory().unwrap();
    let mut a = doc(
        1,
        "关于做好城乡居民最低生活保障工作的通知",
        "各区县：为做好最低生活保障工作，现就有关事项通知如下。",
    );
    a.summary = "低保标准调整".into();
    let b = doc(
        2,
        "关于印发安全生产专项整治方案的通知",
        "安全生产<script>是底线</script>。最低要求如下。",
    );
    let c = doc(
        3,
        "某市2023年政府信息公开工作年度报告",
        "本年度主动公开政府信息 2706 条。",
    );
    upsert(&i, vec![a, b, c], "m1");
    assert_eq!(i.num_docs(), 3);
    assert_eq!(i.mark().unwrap().as_deref(), Some("m1"));

    let p = i.search(&q("最低生活保障")).unwrap();
    assert_eq!(
        items(&p),
        [1],
        "最低要求 alone is no match for 最低生活保障"
    );
    assert!(
        p.hits[0].title_html.contains("<mark>"),
        "{}",
        p.hits[0].title_html
    );
    assert!(
        p.hits[0].snippet_html.contains("<mark>"),
        "{}",
        p.hits[0].snippet_html
    );

    let p = i.search(&q("安全生产")).unwrap();
    assert_eq!(items(&p), [2]);
    assert!(
        !p.hits[0].snippet_html.contains("<script>"),
        "{}",
        p.hits[0].snippet_html
    );
    assert!(
        p.hits[0].snippet_html.contains("&lt;script&gt;"),
        "{}",
        p.hits[0].snippet_html
    );

    // Full-width query digits find half-width text; the word order does not matter.
    let p = i.search(&q("信息公开 ２７０６")).unwrap();
    assert_eq!(items(&p), [3]);

    // Words that all match nowhere: any may, and the page says so.
    let p = i.search(&q("安全生产 年度报告")).unwrap();
    assert!(p.relaxed);
    assert_eq!(p.total, 2);
}

#[test]
fn odd_queries_never_fail() {
    let i = SearchIndex::in_memory().unwrap();
    upsert(&i, vec![doc(1, "关于印发某办法的通知", "正文")], "m");
    for text in [
        "",
        " ",
        "\"",
        "\"未闭合",
        "title:通知",
        "(((",
        ")",
        "AND OR NOT",
        "+-!^~*?",
        "[2023 TO",
        "\\",
        "通知^2",
        "〔",
        "【】",
        "\u{0}",
        "😀",
        "'; DROP TABLE x; --",
        "a:b:c",
        "*",
    ] {
        let p = i.search(&q(text));
        assert!(p.is_ok(), "{text:?}: {p:?}");
    }
    let long = "通".repeat(201);
    assert!(matches!(
        i.search(&q(&long)),
        Err(SearchError::QueryTooLong { .. })
    ));
    let mut deep = q("通知");
    deep.page = 100_000;
    assert!(matches!(
        i.search(&deep),
        Err(SearchError::PageOutOfRange { .. })
    ));
    let mut zero = q("通知");
    zero.page = 0;
    zero.per_page = 0;
    assert_eq!(i.search(&zero).unwrap().per_page, 1);
}

#[test]
fn number_in_any_form_finds_the_document_and_says_which() {
    let i = SearchIndex::in_memory().unwrap();
    let mut a = doc(1, "国务院办公厅关于某事项的通知", "正文");
    a.number = Some("国办发〔2023〕12号".into());
    let mut b = doc(
        2,
        "国务院办公厅关于另一事项的通知",
        "正文提到国办发〔2023〕12号。",
    );
    b.number = Some("国办发〔2023〕13号".into());
    let mut c = doc(3, "某市人民政府关于某事项的批复", "正文");
    c.number = Some("某政复(2023)12号".into());
    upsert(&i, vec![a, b, c], "m");
    for form in [
        "国办发〔2023〕12号",
        "国办发[2023]12号",
        "国办发(2023)12号",
        "国办发（2023）12号",
        "国办发【2023】12号",
    ] {
        let p = i.search(&q(form)).unwrap();
        assert_eq!(items(&p), [1], "{form}");
        let m = p.number_match.expect("a number");
        assert!(m.found);
        assert_eq!(m.asked, form);
        assert_eq!(m.canonical, "国办发〔2023〕12号");
        assert_eq!(m.matched, ["国办发〔2023〕12号"]);
    }
    // The tail alone finds both documents numbered 〔2023〕12号.
    let p = i.search(&q("(2023)12号")).unwrap();
    let mut found = items(&p);
    found.sort();
    assert_eq!(found, [1, 3]);
    // In a sentence: the issuer's code is told from the words before it.
    let p = i.search(&q("请查找国办发(2023)12号文件")).unwrap();
    assert_eq!(items(&p)[0], 1);
    let m = p.number_match.expect("a number");
    assert_eq!(
        (m.asked.as_str(), m.canonical.as_str()),
        ("国办发(2023)12号", "国办发〔2023〕12号")
    );
    // A number no document has: the text search answers, and says the number was not found.
    let p = i.search(&q("国办发(2023)99号")).unwrap();
    assert!(!p.number_match.expect("a number").found);
    // The number filter.
    let mut f = q("");
    f.number = Some("国办发(2023)13号".into());
    assert_eq!(items(&i.search(&f).unwrap()), [2]);
}

#[test]
fn filters_order_and_pages() {
    let i = SearchIndex::in_memory().unwrap();
    let mut docs = Vec::new();
    for n in 1..=25u64 {
        let mut x = doc(n, &format!("关于第{n}批项目的公告"), "项目公告正文");
        x.agency = if n % 2 == 0 { 2 } else { 1 };
        x.genre = if n % 5 == 0 {
            "公告".into()
        } else {
            "通知".into()
        };
        x.topic = if n % 3 == 0 {
            "国民经济管理、国有资产监管/统计".into()
        } else {
            "综合政务/政务公开".into()
        };
        x.formed_on = d("2022-01-01") + chrono::Days::new(n * 30);
        x.published_on = Some(x.formed_on + chrono::Days::new(3));
        x.organ = if n == 7 {
            "某市统计局".into()
        } else {
            "某市人民政府办公室".into()
        };
        docs.push(x);
    }
    upsert(&i, docs, "m");
    let mut p = q("项目");
    p.agencies = vec![2];
    let r = i.search(&p).unwrap();
    assert_eq!(r.total, 12);
    assert!(r.hits.iter().all(|h| h.agency == 2));

    let mut p = q("");
    p.genre = Some("公告".into());
    assert_eq!(i.search(&p).unwrap().total, 5);

    let mut p = q("");
    p.topic = Some("国民经济管理、国有资产监管".into());
    assert_eq!(i.search(&p).unwrap().total, 8);

    let mut p = q("");
    p.organ = Some(" 某市统计局 ".into());
    assert_eq!(items(&i.search(&p).unwrap()), [7]);

    let mut p = q("");
    p.year = Some(2022);
    let r = i.search(&p).unwrap();
    assert!(r.hits.iter().all(|h| h.formed_on.starts_with("2022")));
    assert_eq!(r.total, 12);

    let mut p = q("公告");
    p.order = SortOrder::Newest;
    p.per_page = 10;
    let first = i.search(&p).unwrap();
    assert_eq!(first.hits[0].item, 25);
    p.page = 3;
    let third = i.search(&p).unwrap();
    assert_eq!(items(&third), [5, 4, 3, 2, 1]);
    p.order = SortOrder::Oldest;
    p.page = 1;
    assert_eq!(i.search(&p).unwrap().hits[0].item, 1);
}

#[test]
fn replace_and_remove() {
    let i = SearchIndex::in_memory().unwrap();
    upsert(&i, vec![doc(1, "关于旧标题的通知", "正文")], "1");
    upsert(&i, vec![doc(1, "关于新标题的通知", "正文")], "2");
    assert_eq!(i.num_docs(), 1);
    let old = i.search(&q("旧标题")).unwrap();
    assert!(old.hits.iter().all(|h| !h.title.contains('旧')), "{old:?}");
    assert_eq!(items(&i.search(&q("新标题")).unwrap()), [1]);
    i.apply(&[Change::Remove { agency: 1, item: 1 }], "3")
        .unwrap();
    assert_eq!(i.num_docs(), 0);
    assert_eq!(i.mark().unwrap().as_deref(), Some("3"));
}

#[test]
fn on_disk_the_mark_survives_and_a_second_writer_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    {
        let i = SearchIndex::open(dir.path()).unwrap();
        assert_eq!(i.mark().unwrap(), None);
        let n = i
            .rebuild(
                vec![doc(1, "关于某办法的通知", "正文"), doc(2, "某公告", "正文")],
                "sqlite:42",
            )
            .unwrap();
        assert_eq!(n, 2);
        // The same directory, another writer (as a second process would be): refused.
        let other = SearchIndex::open(dir.path()).unwrap();
        let e = other.apply(&[], "x").unwrap_err();
        assert!(matches!(e, SearchError::Busy { .. }), "{e}");
        assert!(e.to_string().contains("另一进程"), "{e}");
    }
    let i = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(i.mark().unwrap().as_deref(), Some("sqlite:42"));
    assert_eq!(i.num_docs(), 2);
    assert!(i.size_on_disk() > 0);
    assert_eq!(items(&i.search(&q("办法")).unwrap()), [1]);
}
