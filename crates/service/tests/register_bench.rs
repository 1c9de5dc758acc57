//! Bench of the register through the service (issue 16's acceptance figures), ignored in
//! the ordinary test run:
//!
//! ```sh
//! GONGKAI_BENCH_ITEMS=10000 cargo test --release --test register_bench -- --ignored --nocapture
//! ```
//!
//! Registers and publishes `GONGKAI_BENCH_ITEMS` generated items (default 10,000) through
//! the use cases on SQLite (each a transaction with its audit row; the 三审 of helper 54 is
//! not yet wired in, so "approving" is not timed), then times 200 list queries with filters
//! (text, topic, year, stage, channel, due) and the year-end (section 二 and 一 from the
//! register, loaded from the store), and prints the figures.

#![allow(unused_macros)] // the harness's on_both_backends! is not used by a bench

use std::time::{Duration, Instant};

use chrono::Datelike;
use gongkai_ledger::Calendar;
use gongkai_ledger::register::generate::{YearPlan, generate_year};
use gongkai_ledger::register::{ItemStage, Outlet};
use gongkai_service::Service;
use gongkai_service::register::ItemFilter;

mod common;
use common::{office, review_item, sqlite};

fn p(times: &mut [Duration], q: f64) -> f64 {
    times.sort();
    let i = ((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1;
    times[i].as_secs_f64() * 1e3
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "bench: GONGKAI_BENCH_ITEMS=10000 cargo test --release --test register_bench -- --ignored --nocapture"]
async fn register_list_and_year_end() {
    let n: usize = std::env::var("GONGKAI_BENCH_ITEMS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let db = sqlite().await;
    let today = Service::today();
    let svc = db.service.clone().with_date(today);
    let (li, zhu, wang) = office(&svc).await;
    let mut plan = YearPlan::new(11, today.year(), n);
    plan.earlier_documents = 0;
    plan.today = today;
    let items = generate_year(&plan, Calendar::builtin());
    let t = Instant::now();
    let mut writes = 0usize;
    for g in &items {
        let mut d = g.draft.clone();
        d.organ = String::new();
        let item = svc.register_item(&li, d).await.unwrap();
        writes += 1;
        if !g.publications.is_empty() {
            // 三审 and 保密审查 first (先审查、后公开).
            review_item(&svc, item.id, &li, &zhu, &wang).await;
            writes += 3;
        }
        for pb in &g.publications {
            svc.publish_item(&li, item.id, pb.clone()).await.unwrap();
            writes += 1;
        }
    }
    let wrote = t.elapsed();
    println!(
        "registered, approved (三审) and published {} items ({writes} writes) in {:.1} s: {:.2} ms per write",
        items.len(),
        wrote.as_secs_f64(),
        wrote.as_secs_f64() * 1e3 / writes as f64
    );
    let filters = [
        ItemFilter {
            text: Some("防汛".into()),
            ..ItemFilter::default()
        },
        ItemFilter {
            topic: Some("农业、林业、水利".into()),
            year: Some(today.year()),
            ..ItemFilter::default()
        },
        ItemFilter {
            stage: Some(ItemStage::Published),
            outlet: Some(Outlet::NewMedia),
            ..ItemFilter::default()
        },
        ItemFilter {
            genre: Some("通知".into()),
            page: 3,
            ..ItemFilter::default()
        },
        ItemFilter::default(),
    ];
    let mut times = Vec::new();
    for i in 0..200 {
        let f = &filters[i % filters.len()];
        let t = Instant::now();
        let page = svc.list_items(&li, f).await.unwrap();
        times.push(t.elapsed());
        std::hint::black_box(page);
    }
    println!(
        "list with filters over {} items, 200 queries: p50 {:.1} ms, p99 {:.1} ms (target p99 < 50 ms at 100,000)",
        items.len(),
        p(&mut times, 0.5),
        p(&mut times, 0.99)
    );
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let o = svc.official_year_end(today.year(), None).await.unwrap();
        times.push(t.elapsed());
        std::hint::black_box(o);
    }
    println!(
        "official year-end over {} register items (loaded from the store): best {:.1} ms, median {:.1} ms (target < 1000 ms at 100,000)",
        items.len(),
        p(&mut times, 0.0),
        p(&mut times, 0.5)
    );
    db.finish().await;
}
