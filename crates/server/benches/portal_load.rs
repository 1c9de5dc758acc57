//! The public 专栏 under a bounded loopback load (issue 17 §2: 100,000 items indexed,
//! search p99 < 50 ms and page views p99 < 20 ms).
//!
//! `cargo bench -p gongkai-server --bench portal_load` (or `cargo bench --workspace --bench
//! portal_load`):
//!
//! 1. **Fill.** A SQLite database in a temporary directory, initialised as `gongkai
//!    ledger init` does, gets `GONGKAI_BENCH_ITEMS` (default 100,000) items of the search
//!    bench's generated corpus (titles in the shapes of real items, bodies of real
//!    sentences, 文号 in the three bracket forms; `crates/search/tests/support/corpus.rs`)
//!    and its planted items, through the store's batch import (`Store::import_items`,
//!    10,000 items a transaction, each checked, numbered and audited as if registered
//!    alone). They are then marked published on the 政府网站 in two SQL statements (a
//!    publication row each, the item's stage and first publication date), as the
//!    three-level review and 保密审查 of 100,000 items through the use cases would take
//!    hours; the portal reads exactly these columns. The search index (a directory) is
//!    built once from the database (`PortalSearch::rebuild`, as a fresh `gongkai serve`
//!    does).
//! 2. **Serve.** The public process (`public_app`, as `gongkai serve --public`, its index
//!    follower running) on 127.0.0.1, on a runtime of `GONGKAI_BENCH_SERVER_THREADS`
//!    threads (default: the machine's cores), behind a trusted "proxy" (the load sends
//!    `X-Forwarded-For` with many visitors' addresses, as a reverse proxy would, so the
//!    per-address search limit is that of real visitors).
//! 3. **Load.** `GONGKAI_BENCH_CONNS` (default 8) keep-alive connections, each sending
//!    its next request when the last is answered, for `GONGKAI_BENCH_SECONDS` (default
//!    60) after a warm-up of `GONGKAI_BENCH_WARMUP` (default 5) seconds not counted.
//!    The mix (per 100 requests): the 专栏 home 8, the items list 8, the list with a
//!    主题分类 / 体裁 / year filter 12, with a keyword filter 2, a deep page of the list 8,
//!    an item's page 22, the guide 6, a page of the catalogue 6, a search of Chinese words
//!    (the relevance set's queries) 22, a search of a 文号 in another bracket form 6.
//!
//! It prints p50, p95, p99 and max per request type and for page views and searches
//! together, requests per second, non-200 answers (counted as failures), and the
//! machine: cores, CPU model, load average before and after.

#[path = "../../search/tests/support/corpus.rs"]
mod corpus;
#[path = "support/loopback.rs"]
mod loopback;
#[path = "support/office.rs"]
mod office;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use gongkai_ledger::register::{Disclosure, ItemDraft, Outlet};
use gongkai_search::SearchIndex;
use gongkai_server::{AppState, Config};
use gongkai_service::Service;
use gongkai_service::portal::search::PortalSearch;
use gongkai_store::{Stamp, Store};
use loopback::{Conn, load_average, ms, pct};

const PASSWORD: &str = "bench-password";

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The CPU model, from `/proc/cpuinfo`.
fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "?".into())
}

/// What the load asks for: the request types of the mix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Home,
    List,
    ListFiltered,
    ListKeyword,
    ListDeep,
    Item,
    Guide,
    Catalogue,
    Search,
    SearchNumber,
}

impl Kind {
    fn is_search(self) -> bool {
        matches!(self, Kind::Search | Kind::SearchNumber)
    }

    fn label(self) -> &'static str {
        match self {
            Kind::Home => "专栏 home",
            Kind::List => "items list",
            Kind::ListFiltered => "list + 主题/体裁/year filter",
            Kind::ListKeyword => "list + keyword filter",
            Kind::ListDeep => "list, deep page",
            Kind::Item => "item page",
            Kind::Guide => "guide",
            Kind::Catalogue => "catalogue page",
            Kind::Search => "search (Chinese words)",
            Kind::SearchNumber => "search (文号)",
        }
    }
}

/// The mix per 100 requests.
const MIX: &[(Kind, u64)] = &[
    (Kind::Home, 8),
    (Kind::List, 8),
    (Kind::ListFiltered, 12),
    (Kind::ListKeyword, 2),
    (Kind::ListDeep, 8),
    (Kind::Item, 22),
    (Kind::Guide, 6),
    (Kind::Catalogue, 6),
    (Kind::Search, 22),
    (Kind::SearchNumber, 6),
];

/// What the requests are made of.
struct Corpus {
    code: String,
    ids: Vec<i64>,
    topics: Vec<String>,
    genres: Vec<String>,
    years: Vec<i32>,
    words: Vec<String>,
    numbers: Vec<String>,
    list_pages: u64,
    catalogue_pages: u64,
}

fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Corpus {
    fn path(&self, kind: Kind, rng: &mut corpus::Rng) -> String {
        let base = format!("/portal/{}", self.code);
        let pick = |rng: &mut corpus::Rng, v: &[String]| v[rng.below(v.len())].clone();
        match kind {
            Kind::Home => base,
            Kind::List => format!("{base}/items"),
            Kind::ListFiltered => match rng.below(3) {
                0 => format!("{base}/items?topic={}", enc(&pick(rng, &self.topics))),
                1 => format!(
                    "{base}/items?genre={}&page={}",
                    enc(&pick(rng, &self.genres)),
                    1 + rng.below(5)
                ),
                _ => format!(
                    "{base}/items?year={}",
                    self.years[rng.below(self.years.len())]
                ),
            },
            Kind::ListKeyword => format!("{base}/items?q={}", enc(&pick(rng, &self.words))),
            Kind::ListDeep => format!(
                "{base}/items?page={}",
                1 + rng.below(self.list_pages as usize)
            ),
            Kind::Item => format!("{base}/items/{}", self.ids[rng.below(self.ids.len())]),
            Kind::Guide => format!("{base}/guide"),
            Kind::Catalogue => format!(
                "{base}/catalogue?page={}",
                1 + rng.below(self.catalogue_pages as usize)
            ),
            Kind::Search => format!("{base}/search?q={}", enc(&pick(rng, &self.words))),
            Kind::SearchNumber => {
                format!("{base}/search?q={}", enc(&pick(rng, &self.numbers)))
            }
        }
    }
}

/// A 文号 as a visitor might type it: the brackets changed.
fn retyped(number: &str) -> String {
    number
        .replace('〔', "[")
        .replace('〕', "]")
        .replace('（', "(")
        .replace('）', ")")
}

/// The database, the items and the search index (step 1).
async fn fill(dir: &std::path::Path, n: u64) -> (Store, PortalSearch, Corpus) {
    let db = dir.join("portal.db");
    let store = office::office(&db, "临河市人民政府办公室", PASSWORD).await;
    let settings = store.register_settings().await.unwrap();
    let topics = settings.topics.entries().to_vec();
    let genres = settings.genres.entries().to_vec();
    let fixture = corpus::fixture();
    let t = Instant::now();
    let mut docs = corpus::background_docs(42, n);
    docs.extend(corpus::planted_docs(&fixture));
    let generated = t.elapsed();
    let today = Service::today();
    let stamp = Stamp::now("clerk");
    let t = Instant::now();
    let mut ids = Vec::with_capacity(docs.len());
    let mut numbers = Vec::new();
    let mut years = std::collections::BTreeSet::new();
    for chunk in docs.chunks(10_000) {
        let rows = chunk
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let topic = settings
                    .topics
                    .accept(&d.topic.replace('/', "\\"))
                    .or_else(|| {
                        settings
                            .topics
                            .accept(d.topic.split('/').next().unwrap_or(""))
                    })
                    .unwrap_or_else(|| topics[i % topics.len()].clone());
                let genre = settings
                    .genres
                    .accept(&d.genre)
                    .unwrap_or_else(|| genres[i % genres.len()].clone());
                let mut body = d.body.clone();
                for a in &d.attachments {
                    body.push_str("\n\n");
                    body.push_str(a);
                }
                (
                    i + 2,
                    ItemDraft {
                        title: d.title.clone(),
                        organ: d.organ.clone(),
                        formed_on: d.formed_on,
                        number: d.number.clone(),
                        topic,
                        genre,
                        summary: d.summary.clone(),
                        body,
                        disclosure: Disclosure::Proactive,
                        validity: None,
                        outlets: vec![Outlet::Website],
                    },
                    Vec::new(),
                )
            })
            .collect();
        for item in store.import_items(rows, today, &stamp).await.unwrap() {
            if ids.len() % 997 == 0
                && let Some(n) = &item.number
            {
                numbers.push(retyped(n));
            }
            years.insert(chrono::Datelike::year(&item.formed_on));
            ids.push(item.id);
        }
    }
    let imported = t.elapsed();
    let t = Instant::now();
    publish_all(&db).await;
    let published = t.elapsed();
    let index_dir = dir.join("index");
    let index = SearchIndex::open(&index_dir).unwrap();
    index.lock_for_writing().unwrap();
    let search = PortalSearch::new(Service::new(store.clone()), Arc::new(index));
    let t = Instant::now();
    let step = search.rebuild().await.unwrap();
    println!(
        "filled: {} items (generated in {:.1} s; batch import {:.1} s; marked published {:.1} s); search index of {} documents built in {:.1} s ({:.0} MB); load average {}",
        ids.len(),
        generated.as_secs_f64(),
        imported.as_secs_f64(),
        published.as_secs_f64(),
        step.indexed,
        t.elapsed().as_secs_f64(),
        search.index().size_on_disk() as f64 / 1e6,
        load_average()
    );
    let total = ids.len() as u64;
    let code = Service::new(store.clone())
        .portal_agencies()
        .await
        .unwrap()
        .first()
        .map(|(a, _)| a.code.clone())
        .unwrap();
    let corpus = Corpus {
        code,
        ids,
        topics,
        genres,
        years: years.into_iter().collect(),
        words: fixture
            .query
            .iter()
            .map(|q| q.q.clone())
            .filter(|q| !q.contains('号'))
            .collect(),
        numbers,
        list_pages: total.div_ceil(gongkai_service::portal::PER_PAGE),
        catalogue_pages: total.div_ceil(gongkai_service::portal::MAX_PER_PAGE),
    };
    (store, search, corpus)
}

/// Marks every item published on the 政府网站 three days after its 生成日期 (module docs).
async fn publish_all(db: &std::path::Path) {
    use sqlx::Connection;
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    let mut tx = c.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO register_publications (agency_id, item_id, seq, version, outlet, account, \
         published_on, url, recorded_at, recorded_by) \
         SELECT agency_id, id, 1, version, 'website', '门户网站', date(formed_on, '+3 days'), \
         NULL, created_at, created_by FROM register_items",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE register_items SET stage = 'published', \
         first_published_on = date(formed_on, '+3 days'), published_version = version",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    sqlx::query("ANALYZE").execute(&mut c).await.unwrap();
    c.close().await.unwrap();
}

/// One measured request.
struct Sample {
    kind: Kind,
    took: Duration,
    status: u16,
}

fn main() {
    let items = env("GONGKAI_BENCH_ITEMS", 100_000) as u64;
    let conns = env("GONGKAI_BENCH_CONNS", 8).max(1);
    let seconds = env("GONGKAI_BENCH_SECONDS", 60).max(1) as u64;
    let warmup = env("GONGKAI_BENCH_WARMUP", 5) as u64;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = env("GONGKAI_BENCH_SERVER_THREADS", cores).max(1);
    println!(
        "machine: {cores} cores ({}), load average {}",
        cpu_model(),
        load_average()
    );
    let dir = std::env::temp_dir().join(format!("gongkai-portal-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .unwrap();
    let (addr, corpus) = server.block_on(async {
        let (store, search, corpus) = fill(&dir, items).await;
        let config = Config {
            trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
            ..Config::default()
        };
        let state = AppState::open(
            Service::new(store.clone()),
            config,
            Arc::new(gongkai_server::uploads::MemoryUploads::default()),
        )
        .await
        .unwrap();
        state.portal().set(search.clone());
        tokio::spawn(gongkai_server::portal::follow(
            search,
            Duration::from_secs(2),
        ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        tokio::spawn(async move {
            gongkai_server::serve_public(listener, state).await.unwrap();
        });
        (addr, corpus)
    });
    let corpus = Arc::new(corpus);
    println!(
        "load: {conns} keep-alive connections, {warmup} s warm-up, then {seconds} s; server on {threads} threads at {addr}; load average {}",
        load_average()
    );

    let client = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (samples, took) = client.block_on(async move {
        let start = Instant::now();
        let measure_from = start + Duration::from_secs(warmup);
        let end = measure_from + Duration::from_secs(seconds);
        let mut tasks = Vec::new();
        for n in 0..conns {
            let corpus = corpus.clone();
            let addr = addr.clone();
            tasks.push(tokio::spawn(async move {
                let mut rng = corpus::Rng::new(1000 + n as u64);
                let total: u64 = MIX.iter().map(|(_, w)| w).sum();
                let mut conn = Conn::open(&addr).await.unwrap();
                let mut out = Vec::new();
                loop {
                    let now = Instant::now();
                    if now >= end {
                        break;
                    }
                    let mut r = rng.below(total as usize) as u64;
                    let kind = MIX
                        .iter()
                        .find(|(_, w)| {
                            if r < *w {
                                true
                            } else {
                                r -= w;
                                false
                            }
                        })
                        .map(|(k, _)| *k)
                        .unwrap();
                    let path = corpus.path(kind, &mut rng);
                    // Many visitors behind the proxy.
                    let visitor = format!(
                        "10.{}.{}.{}",
                        rng.below(200),
                        rng.below(250),
                        1 + rng.below(250)
                    );
                    let head = format!(
                        "GET {path} HTTP/1.1\r\nHost: bench\r\nAccept: text/html\r\nX-Forwarded-For: {visitor}\r\n\r\n"
                    );
                    let t = Instant::now();
                    let resp = match conn.call(&head, &[]).await {
                        Ok(r) => r,
                        Err(e) => {
                            eprintln!("connection {n}: {e}; reconnecting");
                            conn = Conn::open(&addr).await.unwrap();
                            continue;
                        }
                    };
                    let took = t.elapsed();
                    if resp.status != 200 && out.len() < 3 {
                        eprintln!(
                            "{} {path}: {} {}",
                            kind.label(),
                            resp.status,
                            String::from_utf8_lossy(&resp.body)
                                .chars()
                                .take(300)
                                .collect::<String>()
                        );
                    }
                    if t >= measure_from {
                        out.push(Sample {
                            kind,
                            took,
                            status: resp.status,
                        });
                    }
                }
                out
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        (all, Duration::from_secs(seconds))
    });
    report(&samples, took);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

fn line(label: &str, times: &mut [Duration], failed: usize) -> Duration {
    times.sort();
    let p99 = pct(times, 0.99);
    println!(
        "  {label:<30} {:>7} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>6}",
        times.len(),
        ms(pct(times, 0.5)),
        ms(pct(times, 0.95)),
        ms(p99),
        ms(times.last().copied().unwrap_or_default()),
        failed
    );
    p99
}

fn report(samples: &[Sample], took: Duration) {
    let mut by: BTreeMap<Kind, (Vec<Duration>, usize)> = BTreeMap::new();
    for s in samples {
        let e = by.entry(s.kind).or_default();
        e.0.push(s.took);
        if s.status != 200 {
            e.1 += 1;
        }
    }
    println!(
        "  {:<30} {:>7} {:>8} {:>8} {:>8} {:>8} {:>6}",
        "request (ms)", "n", "p50", "p95", "p99", "max", "non-200"
    );
    let (mut pages, mut searches) = (Vec::new(), Vec::new());
    let (mut pages_failed, mut searches_failed) = (0, 0);
    for (kind, (times, failed)) in &mut by {
        line(kind.label(), times, *failed);
        if kind.is_search() {
            searches.extend_from_slice(times);
            searches_failed += *failed;
        } else {
            pages.extend_from_slice(times);
            pages_failed += *failed;
        }
    }
    let mut all: Vec<Duration> = samples.iter().map(|s| s.took).collect();
    let page_p99 = line("page views", &mut pages, pages_failed);
    let search_p99 = line("searches", &mut searches, searches_failed);
    line("all", &mut all, pages_failed + searches_failed);
    println!(
        "{} requests in {} s: {:.0} requests/s; targets: page views p99 < 20 ms: {}, search p99 < 50 ms: {}; load average {}",
        samples.len(),
        took.as_secs(),
        samples.len() as f64 / took.as_secs_f64(),
        if page_p99 < Duration::from_millis(20) {
            "met"
        } else {
            "NOT met"
        },
        if search_p99 < Duration::from_millis(50) {
            "met"
        } else {
            "NOT met"
        },
        load_average()
    );
}
