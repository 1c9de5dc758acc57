//! The year-end drafts from the publication register at 100,000 items (issue 16:
//! target under one second).
//!
//! `cargo bench -p gongkai-ledger --bench register_year_end` generates a deterministic
//! year of items (`register::generate`, seeded: titles, channels, the art. 26 clock, 规章 and
//! 行政规范性文件 with their validity, corrections, withdrawals), sets them on an empty
//! ledger and times `Ledger::year_end` for 2025 (section 二's document rows, section 一's
//! 主动公开 paragraph, REG001), best and median of five runs. `GONGKAI_BENCH_ITEMS` sets the
//! size (default 100,000).

use std::time::Instant;

use gongkai_ledger::register::generate::{YearPlan, generate_year};
use gongkai_ledger::{Calendar, Ledger, Settings, YearEndOptions};

fn main() {
    let n: usize = std::env::var("GONGKAI_BENCH_ITEMS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let cal = Calendar::builtin();
    let t = Instant::now();
    let items = generate_year(&YearPlan::new(20_251_231, 2025, n), cal);
    let mut ledger = Ledger::new("临河市人民政府办公室");
    ledger.set_register(
        items
            .iter()
            .enumerate()
            .map(|(i, g)| g.facts(format!("item-{i}"), format!("11000-2025-{i:06}")))
            .collect(),
    );
    let built = t.elapsed();
    let mut times = Vec::new();
    let mut published = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let ye = ledger.year_end(YearEndOptions::year(2025), cal, Settings::default());
        times.push(t.elapsed());
        published = ye.figures.proactive.as_ref().map_or(0, |p| p.published);
        std::hint::black_box(&ye);
    }
    times.sort();
    println!(
        "register of {} items generated in {:.2} s",
        items.len(),
        built.as_secs_f64()
    );
    println!(
        "year_end 2025 over {} register items ({published} published in the year): best {:.1} ms, median {:.1} ms (target < 1000 ms)",
        items.len(),
        times[0].as_secs_f64() * 1e3,
        times[2].as_secs_f64() * 1e3
    );
}
