//! Relevance on the fixed query set (`fixtures/relevance.toml`): 47 planted items (40
//! targets, 7 near misses) among 3,000 generated ones, 51 queries with judged items. Prints MRR and recall@10 (and the
//! queries that missed) and fails below the floors, set from the measured figures so that
//! a regression fails.

#[path = "support/corpus.rs"]
mod corpus;

use gongkai_search::{Change, SearchIndex, SearchQuery};

/// Measured 2026-12-07: see the README (全文检索 / Search). A change of the analyzer or the
/// scoring that loses relevance fails here.
const MRR_FLOOR: f64 = 0.98;
const RECALL_FLOOR: f64 = 0.98;

#[test]
fn mrr_and_recall_at_10() {
    let f = corpus::fixture();
    assert!(f.query.len() >= 30, "at least 30 queries");
    let index = SearchIndex::in_memory().unwrap();
    let mut docs = corpus::background_docs(17, 3_000);
    docs.extend(corpus::planted_docs(&f));
    let changes: Vec<Change> = docs
        .into_iter()
        .map(|d| Change::Upsert(Box::new(d)))
        .collect();
    index.apply(&changes, "relevance").unwrap();

    let mut rr_sum = 0.0;
    let mut recall_sum = 0.0;
    let mut misses = Vec::new();
    for j in &f.query {
        let page = index
            .search(&SearchQuery {
                text: j.q.clone(),
                page: 1,
                per_page: 10,
                ..SearchQuery::default()
            })
            .unwrap();
        let wanted: Vec<u64> = j.relevant.iter().map(|k| corpus::planted_item(k)).collect();
        let got: Vec<u64> = page.hits.iter().map(|h| h.item).collect();
        let first = got.iter().position(|i| wanted.contains(i));
        let rr = first.map_or(0.0, |p| 1.0 / (p as f64 + 1.0));
        let found = wanted.iter().filter(|w| got.contains(w)).count();
        let recall = found as f64 / wanted.len() as f64;
        rr_sum += rr;
        recall_sum += recall;
        if rr < 1.0 || recall < 1.0 {
            let titles: Vec<String> = page
                .hits
                .iter()
                .take(3)
                .map(|h| format!("{}:{}", h.item, h.title))
                .collect();
            misses.push(format!(
                "  {:?}: first relevant at {:?}, recall {found}/{}; top: {}",
                j.q,
                first.map(|p| p + 1),
                wanted.len(),
                titles.join(" | ")
            ));
        }
    }
    let n = f.query.len() as f64;
    let mrr = rr_sum / n;
    let recall = recall_sum / n;
    println!(
        "relevance: {} queries over {} items: MRR {mrr:.3}, recall@10 {recall:.3}",
        f.query.len(),
        index.num_docs()
    );
    for m in &misses {
        println!("{m}");
    }
    assert!(mrr >= MRR_FLOOR, "MRR {mrr:.3} below the floor {MRR_FLOOR}");
    assert!(
        recall >= RECALL_FLOOR,
        "recall@10 {recall:.3} below the floor {RECALL_FLOOR}"
    );
}
