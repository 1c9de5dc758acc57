//! The year-end report for 100,000 applications (target: under one second).
//!
//! `cargo bench -p gongkai-ledger --bench year_end` generates a deterministic ledger of
//! 100,000 applications received from July 2024 to December 2025 (with corrections,
//! consultations, extensions, fees, appeals and proactive records), then times
//! `Ledger::year_end` for 2025 and prints the best and median of five runs.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::Instant;

use gongkai_ledger::{Calendar, Settings, YearEndOptions};
use support::{d, generate};

fn main() {
    let n = 100_000;
    let t = Instant::now();
    let g = generate(
        n,
        d("2024-07-01"),
        d("2025-12-31"),
        d("2026-06-30"),
        20_251_231,
    );
    let built = t.elapsed();
    let cal = Calendar::builtin();
    let mut times = Vec::new();
    let mut total = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let ye = g
            .ledger
            .year_end(YearEndOptions::year(2025), cal, Settings::default());
        times.push(t.elapsed());
        total = ye.figures.new_received[6] + ye.figures.carried_over[6];
        std::hint::black_box(&ye);
    }
    times.sort();
    let events: usize = g.ledger.applications().iter().map(|a| a.events.len()).sum();
    println!(
        "ledger of {n} applications ({events} events) built and validated in {:.2} s",
        built.as_secs_f64()
    );
    println!(
        "year_end 2025 over {n} applications ({total} in table 三): best {:.1} ms, median {:.1} ms (target < 1000 ms)",
        times[0].as_secs_f64() * 1e3,
        times[2].as_secs_f64() * 1e3
    );
}
