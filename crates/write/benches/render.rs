//! Render throughput per format on one thread: the five seeds (read once with the text
//! reader), rendered over and over for about two seconds per format; prints reports per
//! second. `GONGKAI_BENCH_SECS` changes the time per format.
//!
//! ```sh
//! cargo bench -p gongkai-write --bench render                  # md, html, docx
//! cargo bench -p gongkai-write --bench render --features pdf   # and pdf
//! ```

use std::path::PathBuf;
use std::time::{Duration, Instant};

use gongkai_report::Report;
use gongkai_write::{Options, OutputFormat};

fn seeds() -> Vec<Report> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| gongkai_read::read_report(&std::fs::read(p).unwrap()).unwrap())
        .collect()
}

/// Renders the seeds round-robin for `budget`; returns (reports, seconds, bytes).
fn run(
    budget: Duration,
    mut render: impl FnMut(&Report) -> usize,
    seeds: &[Report],
) -> (usize, f64, usize) {
    // Warm-up: one pass.
    for r in seeds {
        render(r);
    }
    let start = Instant::now();
    let (mut n, mut bytes) = (0usize, 0usize);
    while start.elapsed() < budget {
        for r in seeds {
            bytes += render(r);
            n += 1;
        }
    }
    (n, start.elapsed().as_secs_f64(), bytes)
}

fn main() {
    let secs: f64 = std::env::var("GONGKAI_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);
    let budget = Duration::from_secs_f64(secs);
    let seeds = seeds();
    let opts = Options::default();
    println!(
        "render throughput, one thread, {} seeds round-robin",
        seeds.len()
    );
    for format in [
        OutputFormat::Markdown,
        OutputFormat::Html,
        OutputFormat::Docx,
    ] {
        let (n, t, bytes) = run(
            budget,
            |r| gongkai_write::render(r, format, &opts).map_or(0, |b| b.len()),
            &seeds,
        );
        println!(
            "{:<5} {:>9.0} reports/s   ({n} reports in {t:.2} s, {} bytes each)",
            format.as_str(),
            n as f64 / t,
            bytes / n.max(1)
        );
    }
    #[cfg(feature = "pdf")]
    {
        let load = Instant::now();
        match gongkai_write::pdf::PdfWriter::new(&opts.font_dir) {
            Ok(writer) => {
                let loaded = load.elapsed().as_secs_f64();
                let (n, t, bytes) = run(
                    budget.max(Duration::from_secs(5)),
                    |r| writer.render(r, &opts).map_or(0, |b| b.len()),
                    &seeds,
                );
                println!(
                    "pdf   {:>9.1} reports/s   ({n} reports in {t:.2} s, {} bytes each; fonts loaded once in {loaded:.2} s)",
                    n as f64 / t,
                    bytes / n.max(1)
                );
            }
            Err(e) => println!("pdf   skipped: {e}"),
        }
    }
    #[cfg(not(feature = "pdf"))]
    println!("pdf   not built (add --features pdf)");
}
