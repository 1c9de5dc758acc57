//! Batch, compare and roll up: thousands of published annual reports for a supervisor.
//!
//! A disclosure office, an evaluator or a researcher collects every agency's report each
//! year — hundreds to tens of thousands — and must find the wrong ones, compare with last
//! year and total the jurisdiction. This crate does that in four stages:
//!
//! 1. **Read and check** ([`run`]): every file is read ([`gongkai_read`]) and checked
//!    ([`gongkai_check`]) in parallel on a rayon pool, in chunks of files taken in path
//!    order. A file that cannot be read becomes a row with its reason (BAT001); it never
//!    stops the batch. Each chunk's findings are handed to a [`FindingSink`] in path order
//!    as soon as the chunk is done — the output writers stream them to disk — and only a
//!    [`ReportSummary`] of each file is kept: identity, dates, the cells (compactly),
//!    sentence hashes and finding counts. Neither the bytes nor the `Report` outlive their
//!    chunk, so memory grows by about 2 KB per report, not by the size of the corpus.
//! 2. **Identity and duplicates** ([`identity`], [`dedup`]): agency and year come from the
//!    report itself, normalised; identical content (DUP002) and several versions of one
//!    agency's year (DUP001) are marked and counted once.
//! 3. **Year over year** ([`yoy`]): consecutive years of each agency — carry-over per
//!    column (YOY001), documents in force (YOY002), large jumps (YOY003), copied narrative
//!    (YOY004).
//! 4. **Roll-up** ([`rollup`]): given a jurisdiction tree, the sum of every cell per node
//!    and year, and coverage (missing and late reports).
//!
//! The results go to CSV, XLSX or JSON ([`output`]) and to a self-contained HTML dashboard
//! ([`dashboard::render`]), which the web service can serve as it is.
//!
//! ```no_run
//! use gongkai_batch::{Options, discover, run, output::{OutputFormat, OutputWriter}};
//! use std::path::PathBuf;
//!
//! let entries = discover(&[PathBuf::from("reports/")], &[]);
//! let mut out = OutputWriter::create(OutputFormat::Csv, "out".as_ref())?;
//! let batch = run(&entries, &Options::default(), &mut out, &|| {})?;
//! out.finish(&batch)?;
//! std::fs::write("dashboard.html", gongkai_batch::dashboard::render(&batch))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::sync::mpsc;

use rayon::prelude::*;

pub mod cells;
pub mod compare;
pub mod dashboard;
pub mod dedup;
mod error;
pub mod identity;
pub mod input;
pub mod output;
pub mod rollup;
pub mod rules;
pub mod stats;
pub mod summary;
pub mod svg;
pub mod text;
pub mod yoy;

pub use error::BatchError;
pub use input::{Entry, InputFormat, discover};
pub use rollup::{Jurisdiction, Rollup};
pub use rules::{FindingRow, rules};
pub use stats::{Stats, Tally};
pub use summary::{ReadStatus, ReportSummary};
pub use yoy::YearPair;

/// Files read and checked per chunk. Findings are streamed out chunk by chunk, so this
/// bounds the memory held for files in flight (two chunks: one being processed, one being
/// written).
pub const CHUNK: usize = 256;

/// How to run a batch.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Worker threads; `None` uses every core.
    pub jobs: Option<usize>,
    /// Roll up over this jurisdiction.
    pub jurisdiction: Option<Jurisdiction>,
}

/// Receives the findings table row by row, in path order.
pub trait FindingSink {
    fn finding(&mut self, row: &FindingRow) -> Result<(), BatchError>;
}

impl FindingSink for Vec<FindingRow> {
    fn finding(&mut self, row: &FindingRow) -> Result<(), BatchError> {
        self.push(row.clone());
        Ok(())
    }
}

/// A sink that keeps nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct Discard;

impl FindingSink for Discard {
    fn finding(&mut self, _: &FindingRow) -> Result<(), BatchError> {
        Ok(())
    }
}

/// The result of a batch: everything but the checker's findings, which went to the sink.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// One summary per file, in path order.
    pub reports: Vec<ReportSummary>,
    /// The batch's own findings (duplicates, year over year), sorted by file; they were
    /// also sent to the sink, after the checker's.
    pub batch_findings: Vec<FindingRow>,
    pub pairs: Vec<YearPair>,
    pub rollup: Option<Rollup>,
    pub tally: Tally,
    pub stats: Stats,
}

impl Batch {
    /// Files that could not be read.
    pub fn unreadable(&self) -> usize {
        self.stats.unreadable
    }

    /// Errors over all reports (checker and batch).
    pub fn errors(&self) -> u64 {
        self.stats.errors
    }

    /// Warnings over all reports (checker and batch).
    pub fn warnings(&self) -> u64 {
        self.stats.warnings
    }
}

/// Reads and checks every entry, then compares and rolls up. `progress` is called once per
/// file done, from the worker threads.
pub fn run(
    entries: &[Entry],
    opts: &Options,
    sink: &mut dyn FindingSink,
    progress: &(dyn Fn() + Sync),
) -> Result<Batch, BatchError> {
    let jobs = opts.jobs.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("gongkai-batch-{i}"))
        .build()
        .map_err(|e| BatchError::ThreadPool {
            jobs,
            detail: e.to_string(),
        })?;
    let mut reports = Vec::with_capacity(entries.len());
    let mut tally = Tally::default();

    // A producer thread processes chunk k+1 on the pool while this thread writes chunk k.
    // The channel holds one finished chunk, so at most three chunks are in memory.
    let (tx, rx) = mpsc::sync_channel::<Vec<summary::Processed>>(1);
    let result = std::thread::scope(|scope| {
        scope.spawn(move || {
            for chunk in entries.chunks(CHUNK) {
                let done: Vec<summary::Processed> = pool.install(|| {
                    chunk
                        .par_iter()
                        .map(|entry| {
                            let p = match entry {
                                Entry::File(path) => summary::process(path),
                                Entry::Missing(path, reason) => summary::unreadable(
                                    path.display().to_string(),
                                    InputFormat::Other,
                                    reason.clone(),
                                ),
                            };
                            progress();
                            p
                        })
                        .collect()
                });
                if tx.send(done).is_err() {
                    break; // the writer stopped on an error
                }
            }
        });
        for chunk in rx {
            for p in chunk {
                for f in &p.findings {
                    tally.add(f);
                    sink.finding(f)?;
                }
                reports.push(p.summary);
            }
        }
        Ok::<(), BatchError>(())
    });
    result?;
    finish(reports, tally, opts, sink)
}

/// A report already read elsewhere (the web service's uploads), or why it could not be.
#[derive(Debug, Clone)]
pub enum Prepared {
    Read {
        file: String,
        report: Box<gongkai_report::Report>,
    },
    Unreadable {
        file: String,
        reason: String,
    },
}

/// Like [`run`], over reports already read: checks each, then compares and rolls up.
pub fn run_reports(items: &[Prepared], opts: &Options) -> Result<Batch, BatchError> {
    let mut reports = Vec::with_capacity(items.len());
    let mut tally = Tally::default();
    for item in items {
        let p = match item {
            Prepared::Read { file, report } => {
                let findings = gongkai_check::check(report);
                summary::summarise(file.clone(), InputFormat::Other, report, &findings)
            }
            Prepared::Unreadable { file, reason } => {
                summary::unreadable(file.clone(), InputFormat::Other, reason.clone())
            }
        };
        for f in &p.findings {
            tally.add(f);
        }
        reports.push(p.summary);
    }
    finish(reports, tally, opts, &mut Discard)
}

/// Duplicates, year over year, roll-up and statistics over the reports' summaries.
fn finish(
    mut reports: Vec<ReportSummary>,
    mut tally: Tally,
    opts: &Options,
    sink: &mut dyn FindingSink,
) -> Result<Batch, BatchError> {
    let mut batch_findings = dedup::mark(&mut reports);
    let (pairs, yoy_findings) = yoy::compare(&reports);
    batch_findings.extend(yoy_findings);
    batch_findings.sort_by(|(a, fa), (b, fb)| a.cmp(b).then(fa.code.cmp(fb.code)));
    let mut rows = Vec::with_capacity(batch_findings.len());
    for (i, f) in batch_findings {
        reports[i].count(f.severity, f.code);
        tally.add(&f);
        sink.finding(&f)?;
        rows.push(f);
    }
    let rollup = opts
        .jurisdiction
        .as_ref()
        .map(|j| rollup::roll_up(j, &reports));
    let stats = stats::compute(&reports, &tally);
    Ok(Batch {
        reports,
        batch_findings: rows,
        pairs,
        rollup,
        tally,
        stats,
    })
}
