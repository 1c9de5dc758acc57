//! What the read benches share: the measuring loop and the thread's CPU time.

use std::time::{Duration, Instant};

/// CPU time this thread has used, where Linux tells it (`/proc/thread-self/schedstat`):
/// rates per CPU second stay meaningful on a machine busy with other work.
pub fn cpu_time() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Reads and maps the inputs over and over until `budget` has passed; returns reports
/// per wall-clock second, per CPU second (when known) and the number of reports.
pub fn rate(inputs: &[&[u8]], budget: Duration, f: &dyn Fn(&[u8])) -> (f64, Option<f64>, usize) {
    for b in inputs {
        f(b);
    }
    let start = Instant::now();
    let cpu_start = cpu_time();
    let mut n = 0usize;
    while start.elapsed() < budget {
        for b in inputs {
            f(b);
            n += 1;
        }
    }
    let wall = n as f64 / start.elapsed().as_secs_f64();
    let cpu = cpu_start
        .zip(cpu_time())
        .map(|(a, b)| n as f64 / (b - a).as_secs_f64().max(1e-9));
    (wall, cpu, n)
}
