//! Bench of the register through the service (issue 16's acceptance figures), ignored in
//! the ordinary test run (release build; PostgreSQL with `GONGKAI_TEST_POSTGRES_URL`):
//!
//! ```sh
//! cargo test --profile bench --test register_bench -- --ignored --nocapture --test-threads 1
//! ```
//!
//! 1. Registers `GONGKAI_BENCH_ITEMS` generated items (default 10,000) through the use
//!    cases, each published one passing 三审 with its 保密审查 (submit, 复审, 审核) before it
//!    is published on its channels — every write a transaction with its audit row.
//! 2. Fills the register up to `GONGKAI_BENCH_LIST_ITEMS` items (default 100,000; drafts,
//!    through the store's batch import in transactions of 10,000), then times the list
//!    with each filter (主题分类, 体裁, channel, stage, year, a title search, due soon,
//!    overdue, 发布机构, no filter, a deep page, the last page; the withheld page): p50 and
//!    p99 of 30 runs each, with the database's plan of each (`Store::explain_list_items`).
//! 3. Times the official year-end (section 二 and 一 from the register, loaded from the
//!    store) over all the items.

#![allow(unused_macros)] // the harness's on_both_backends! is not used by a bench

use std::time::{Duration, Instant};

use chrono::Datelike;
use gongkai_ledger::Calendar;
use gongkai_ledger::register::generate::{YearPlan, generate_year};
use gongkai_ledger::register::{ItemStage, Outlet};
use gongkai_service::Service;
use gongkai_service::register::{DueState, ItemFilter};

mod common;
use common::{Db, office, postgres, review_item, sqlite};

fn p(times: &mut [Duration], q: f64) -> f64 {
    times.sort();
    let i = ((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1;
    times[i].as_secs_f64() * 1e3
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

async fn bench(db: Db, backend: &str) {
    let n = env("GONGKAI_BENCH_ITEMS", 10_000);
    let total = env("GONGKAI_BENCH_LIST_ITEMS", 100_000).max(n);
    let today = Service::today();
    let year = today.year();
    let svc = db.service.clone().with_date(today);
    let (li, zhu, wang) = office(&svc).await;
    let cal = Calendar::builtin();
    let mut plan = YearPlan::new(11, year, n);
    plan.earlier_documents = 0;
    plan.today = today;
    let items = generate_year(&plan, cal);

    // 1. Register, review (三审 with 保密审查) and publish.
    let (mut t_register, mut t_review, mut t_publish) =
        (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let (mut reviewed, mut published) = (0usize, 0usize);
    for g in &items {
        let mut d = g.draft.clone();
        d.organ = String::new();
        let t = Instant::now();
        let item = svc.register_item(&li, d).await.unwrap();
        t_register += t.elapsed();
        if !g.publications.is_empty() {
            let t = Instant::now();
            review_item(&svc, item.id, &li, &zhu, &wang).await;
            t_review += t.elapsed();
            reviewed += 1;
        }
        let t = Instant::now();
        for pb in &g.publications {
            svc.publish_item(&li, item.id, pb.clone()).await.unwrap();
            published += 1;
        }
        t_publish += t.elapsed();
    }
    let all = t_register + t_review + t_publish;
    println!(
        "[{backend}] {} items registered in {:.1} s ({:.2} ms each); {reviewed} approved through 三审 and 保密审查 in {:.1} s ({:.2} ms per item, 3 writes); {published} publications in {:.1} s ({:.2} ms each); all {:.1} s, {:.0} items/s",
        items.len(),
        t_register.as_secs_f64(),
        t_register.as_secs_f64() * 1e3 / items.len() as f64,
        t_review.as_secs_f64(),
        t_review.as_secs_f64() * 1e3 / reviewed.max(1) as f64,
        t_publish.as_secs_f64(),
        t_publish.as_secs_f64() * 1e3 / published.max(1) as f64,
        all.as_secs_f64(),
        items.len() as f64 / all.as_secs_f64()
    );

    // 2. Fill up to `total` items (drafts, batch import), then the list with each filter.
    if total > n {
        let mut plan = YearPlan::new(12, year, total - n);
        plan.earlier_documents = 0;
        plan.today = today;
        let more = generate_year(&plan, cal);
        let t = Instant::now();
        for chunk in more.chunks(10_000) {
            let rows = chunk
                .iter()
                .enumerate()
                .map(|(i, g)| (i + 2, g.draft.clone(), Vec::new()))
                .collect();
            svc.store()
                .import_items(rows, today, &li.stamp())
                .await
                .unwrap();
        }
        println!(
            "[{backend}] filled to {total} items (batch import of {}) in {:.1} s",
            more.len(),
            t.elapsed().as_secs_f64()
        );
    }
    let last_page = (total as u64).div_ceil(20);
    let filter = |f: ItemFilter| ItemFilter { page: 1, ..f };
    let filters: Vec<(&str, ItemFilter)> = vec![
        ("no filter, page 1", filter(ItemFilter::default())),
        (
            "主题分类",
            filter(ItemFilter {
                topic: Some("农业、林业、水利".into()),
                ..ItemFilter::default()
            }),
        ),
        (
            "体裁",
            filter(ItemFilter {
                genre: Some("公告".into()),
                ..ItemFilter::default()
            }),
        ),
        (
            "channel (新媒体)",
            filter(ItemFilter {
                outlet: Some(Outlet::NewMedia),
                ..ItemFilter::default()
            }),
        ),
        (
            "stage (已发布)",
            filter(ItemFilter {
                stage: Some(ItemStage::Published),
                ..ItemFilter::default()
            }),
        ),
        (
            "year",
            filter(ItemFilter {
                year: Some(year),
                ..ItemFilter::default()
            }),
        ),
        (
            "title search (防汛)",
            filter(ItemFilter {
                text: Some("防汛".into()),
                ..ItemFilter::default()
            }),
        ),
        (
            "title search, 1 character (汛)",
            filter(ItemFilter {
                text: Some("汛".into()),
                ..ItemFilter::default()
            }),
        ),
        (
            "title search, 4 characters (防汛抗旱)",
            filter(ItemFilter {
                text: Some("防汛抗旱".into()),
                ..ItemFilter::default()
            }),
        ),
        (
            "title search, two words (通知 2)",
            filter(ItemFilter {
                text: Some("通知 2".into()),
                ..ItemFilter::default()
            }),
        ),
        (
            "title search, nowhere (量子)",
            filter(ItemFilter {
                text: Some("量子".into()),
                ..ItemFilter::default()
            }),
        ),
        (
            "发布机构 (临河 办公室)",
            filter(ItemFilter {
                organ: Some("临河 办公室".into()),
                ..ItemFilter::default()
            }),
        ),
        (
            "channel (公开栏)",
            filter(ItemFilter {
                outlet: Some(Outlet::NoticeBoard),
                ..ItemFilter::default()
            }),
        ),
        (
            "channel + title search (新媒体, 通知)",
            filter(ItemFilter {
                outlet: Some(Outlet::NewMedia),
                text: Some("通知".into()),
                ..ItemFilter::default()
            }),
        ),
        (
            "due soon",
            filter(ItemFilter {
                due: Some(DueState::DueSoon),
                ..ItemFilter::default()
            }),
        ),
        (
            "overdue",
            filter(ItemFilter {
                due: Some(DueState::Overdue),
                ..ItemFilter::default()
            }),
        ),
        (
            "topic + year + channel",
            filter(ItemFilter {
                topic: Some("综合政务".into()),
                year: Some(year),
                outlet: Some(Outlet::Website),
                ..ItemFilter::default()
            }),
        ),
        (
            "deep page (middle)",
            ItemFilter {
                page: last_page / 2,
                ..ItemFilter::default()
            },
        ),
        (
            "last page",
            ItemFilter {
                page: last_page,
                ..ItemFilter::default()
            },
        ),
    ];
    let mut every = Vec::new();
    println!("[{backend}] list over {total} items, 30 runs each: filter | rows | p50 ms | p99 ms");
    for (name, f) in &filters {
        let mut times = Vec::new();
        let mut rows = 0;
        for _ in 0..30 {
            let t = Instant::now();
            let page = svc.list_items(&li, f).await.unwrap();
            times.push(t.elapsed());
            rows = page.total;
            std::hint::black_box(page);
        }
        every.extend(times.iter().copied());
        println!(
            "[{backend}] {name} | {rows} | {:.1} | {:.1}",
            p(&mut times, 0.5),
            p(&mut times, 0.99)
        );
    }
    // The withheld page (art. 18): every withheld item, and those due for re-assessment.
    for (name, due_only) in [
        ("withheld (all)", false),
        ("withheld (re-assessment due)", true),
    ] {
        let mut times = Vec::new();
        let mut rows = 0;
        for _ in 0..30 {
            let t = Instant::now();
            let items = svc.withheld_items(&li, due_only).await.unwrap();
            times.push(t.elapsed());
            rows = items.len();
            std::hint::black_box(items);
        }
        every.extend(times.iter().copied());
        println!(
            "[{backend}] {name} | {rows} | {:.1} | {:.1}",
            p(&mut times, 0.5),
            p(&mut times, 0.99)
        );
    }
    println!(
        "[{backend}] all list queries: p50 {:.1} ms, p99 {:.1} ms (target p99 < 50 ms)",
        p(&mut every, 0.5),
        p(&mut every, 0.99)
    );
    if std::env::var_os("GONGKAI_BENCH_EXPLAIN").is_some() {
        for (name, f) in &filters {
            let q = svc.item_query(f, today, 5);
            let plan = svc.store().explain_list_items(&q).await.unwrap();
            println!("[{backend}] plan of {name}:\n  {}", plan.join("\n  "));
        }
    }

    // 3. The year-end drafts over every item.
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let o = svc.official_year_end(year, None).await.unwrap();
        times.push(t.elapsed());
        std::hint::black_box(o);
    }
    println!(
        "[{backend}] official year-end over {total} register items (loaded from the store): best {:.1} ms, median {:.1} ms (target < 1000 ms)",
        p(&mut times, 0.0),
        p(&mut times, 0.5)
    );
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "bench: cargo test --profile bench --test register_bench -- --ignored --nocapture --test-threads 1"]
async fn register_list_and_year_end() {
    bench(sqlite().await, "SQLite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "bench: cargo test --profile bench --test register_bench -- --ignored --nocapture --test-threads 1"]
async fn register_list_and_year_end_postgres() {
    let Some(db) = postgres().await else { return };
    bench(db, "PostgreSQL").await;
}
