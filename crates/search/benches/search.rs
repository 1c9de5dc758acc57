//! `cargo bench -p gongkai-search --bench search`: 100,000 generated items indexed into a
//! directory (time, size on disk), then the relevance set's queries (and the same with a
//! filter, date order, page 3) run `GONGKAI_SEARCH_BENCH_ROUNDS` times (default 20): p50,
//! p99 and max per search (target p99 < 50 ms). `GONGKAI_SEARCH_BENCH_ITEMS` changes the
//! corpus size. Prints the machine's load average with the figures (the machine is shared).

#[path = "../tests/support/corpus.rs"]
mod corpus;

use std::time::{Duration, Instant};

use gongkai_search::{Change, SearchIndex, SearchQuery, SortOrder};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let items = env("GONGKAI_SEARCH_BENCH_ITEMS", 100_000);
    let rounds = env("GONGKAI_SEARCH_BENCH_ROUNDS", 20);
    let f = corpus::fixture();
    let started = Instant::now();
    let mut docs = corpus::background_docs(42, items);
    docs.extend(corpus::planted_docs(&f));
    let generated = started.elapsed();
    let chars: usize = docs
        .iter()
        .map(|d| d.body.chars().count() + d.title.chars().count())
        .sum();
    let dir = tempfile::tempdir().expect("temp dir");
    let index = SearchIndex::open(dir.path()).expect("index");
    gongkai_search::tokenizer::warm_up();
    println!("load average before indexing: {}", load());
    let t = Instant::now();
    // In batches of 10,000, one commit each (as a follower catching up would).
    let mut n = 0;
    for chunk in docs.chunks(10_000) {
        let changes: Vec<Change> = chunk
            .iter()
            .cloned()
            .map(|d| Change::Upsert(Box::new(d)))
            .collect();
        n += changes.len();
        index.apply(&changes, &format!("bench:{n}")).expect("apply");
    }
    let indexing = t.elapsed();
    println!(
        "indexed {} items ({:.1} M characters; generated in {:.1} s) in {:.1} s ({:.0} items/s); index {:.1} MB on disk; load average {}",
        index.num_docs(),
        chars as f64 / 1e6,
        generated.as_secs_f64(),
        indexing.as_secs_f64(),
        index.num_docs() as f64 / indexing.as_secs_f64(),
        index.size_on_disk() as f64 / 1e6,
        load()
    );
    let t = Instant::now();
    let rebuilt = index.rebuild(docs, "bench:rebuild").expect("rebuild");
    println!(
        "rebuilt {rebuilt} items in one commit in {:.1} s; index {:.1} MB",
        t.elapsed().as_secs_f64(),
        index.size_on_disk() as f64 / 1e6
    );

    let mut queries: Vec<SearchQuery> = Vec::new();
    for j in &f.query {
        let base = SearchQuery {
            text: j.q.clone(),
            page: 1,
            per_page: 20,
            ..SearchQuery::default()
        };
        queries.push(base.clone());
        queries.push(SearchQuery {
            agencies: vec![1],
            year: Some(2023),
            ..base.clone()
        });
        queries.push(SearchQuery {
            order: SortOrder::Newest,
            page: 3,
            ..base
        });
    }
    // Common words that match much of the corpus: the slow end.
    for text in [
        "通知",
        "工作 安全",
        "关于做好工作的通知",
        "临河市人民政府办公室",
    ] {
        queries.push(SearchQuery {
            text: text.into(),
            page: 1,
            per_page: 20,
            ..SearchQuery::default()
        });
    }
    // Warm the caches once.
    for q in &queries {
        index.search(q).expect("search");
    }
    let mut times = Vec::with_capacity(queries.len() * rounds as usize);
    let mut slowest = (Duration::ZERO, String::new());
    for _ in 0..rounds {
        for q in &queries {
            let t = Instant::now();
            let page = index.search(q).expect("search");
            let e = t.elapsed();
            std::hint::black_box(page);
            if e > slowest.0 {
                slowest = (e, q.text.clone());
            }
            times.push(e);
        }
    }
    times.sort();
    let p99 = pct(&times, 0.99);
    println!(
        "{} searches ({} queries × {rounds}): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (slowest: {:?}); target p99 < 50 ms: {}; load average {}",
        times.len(),
        queries.len(),
        pct(&times, 0.5).as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        slowest.0.as_secs_f64() * 1e3,
        slowest.1,
        if p99 < Duration::from_millis(50) {
            "met"
        } else {
            "NOT met"
        },
        load()
    );
}
