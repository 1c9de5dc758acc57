//! `gongkai lint`: 错敏排查 over files, directories (a website mirror) or stdin.
//!
//! Files are read with the readers (`gongkai_read::read_document`: TXT, HTML, Markdown,
//! DOCX, PDF) and linted by `gongkai_lint` in parallel (rayon, `--jobs`), with one progress
//! bar on stderr. One bad file never stops the run: it is listed as unreadable and the exit
//! status is 2. Otherwise the status is 1 when an unsuppressed error-severity finding
//! remains, else 0.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use gongkai_batch::Entry;
use gongkai_batch::output::formula_safe;
use gongkai_check::Lang as CheckLang;
use gongkai_lint::{Finding, Lang, Linter, OfficeLists, Options, Severity};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;

mod xlsx;

#[derive(Debug, Args)]
pub(crate) struct LintArgs {
    /// 文件或目录（递归读取 txt、html、md、docx、pdf 等），`-` 为标准输入 / files or
    /// directories (read recursively); `-` reads stdin
    #[arg(required = true, value_name = "FILE|DIR|-")]
    inputs: Vec<String>,
    /// 输出格式 / output format
    #[arg(long, value_enum, default_value_t = LintFormat::Text)]
    format: LintFormat,
    /// 输出文件（xlsx 必须指定；其余默认标准输出）/ output file (required for xlsx)
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// 只运行这些规则（代码或前缀，逗号分隔，如 PII,ORG001）/ run only these rules
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    rules: Vec<String>,
    /// 本单位名单目录（sensitive.csv、leaders.toml、formulations.toml、allow.toml）/ the
    /// office's lists directory
    #[arg(long, value_name = "DIR")]
    lists: Option<PathBuf>,
    /// 只检查文档日期不早于此日的文件（没有日期的照常检查）/ skip documents dated
    /// before DATE (undated ones are still checked)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    since: Option<NaiveDate>,
    /// 工作线程数（默认使用全部核心）/ worker threads (default: every core)
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// 文本输出中也列出已放行的问题 / also list suppressed findings in text output
    #[arg(long)]
    show_suppressed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LintFormat {
    Text,
    Json,
    Csv,
    Xlsx,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("“{s}”不是日期，应写成 2024-01-31 / not a date (YYYY-MM-DD)"))
}

/// What happened to one input.
#[derive(Debug, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
enum Outcome {
    Linted {
        date: Option<NaiveDate>,
        chars: usize,
        findings: Vec<Finding>,
    },
    /// Dated before `--since`.
    Skipped {
        date: NaiveDate,
    },
    Unreadable {
        reason: String,
    },
}

#[derive(Debug, Serialize)]
struct FileResult {
    file: String,
    #[serde(flatten)]
    outcome: Outcome,
}

pub(crate) fn cmd_lint(args: &LintArgs, lang: CheckLang, out: &mut impl Write) -> Result<ExitCode> {
    let lang = match lang {
        CheckLang::Zh => Lang::Zh,
        CheckLang::En => Lang::En,
    };
    if args.format == LintFormat::Xlsx && args.output.is_none() {
        bail!("xlsx 格式须用 -o 指定输出文件 / xlsx needs -o FILE");
    }
    let lists = match &args.lists {
        Some(dir) => OfficeLists::load_dir(dir)?,
        None => OfficeLists::default(),
    };
    let linter = Linter::new(
        lists,
        Options {
            select: args.rules.clone(),
            today: Some(chrono::Local::now().date_naive()),
            grace_days: None,
        },
    )?;

    let mut results = Vec::new();
    let mut paths = Vec::new();
    for input in &args.inputs {
        if input == "-" {
            results.push(lint_stdin(&linter, args.since));
        } else {
            paths.push(PathBuf::from(input));
        }
    }
    let exclude: Vec<PathBuf> = args.output.iter().cloned().collect();
    let entries = gongkai_batch::discover(&paths, &exclude);
    if entries.is_empty() && results.is_empty() {
        bail!("没有找到可检查的文件（目录中只读取 txt、html、md、docx、pdf 等）/ no files found");
    }

    let bar =
        ProgressBar::with_draw_target(Some(entries.len() as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{prefix} [{bar:36}] {pos}/{len}  {per_sec}  剩余 {eta}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix("错敏排查");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .context("无法创建线程池 / cannot create the thread pool")?;
    let linted: Vec<FileResult> = pool.install(|| {
        entries
            .par_iter()
            .map(|e| {
                let r = lint_entry(&linter, e, args.since);
                bar.inc(1);
                r
            })
            .collect()
    });
    bar.finish_and_clear();
    results.extend(linted);

    for r in &results {
        if let Outcome::Unreadable { reason } = &r.outcome {
            eprintln!("错误 / error: {}: {reason}", r.file);
        }
    }
    write_output(args, &results, lang, out)?;
    let s = Summary::of(&results);
    if args.format == LintFormat::Text && args.output.is_none() {
        s.write(&results, lang, out)?;
    } else {
        s.write(&results, lang, &mut io::stderr().lock())?;
    }
    Ok(if s.unreadable > 0 {
        ExitCode::from(2)
    } else if s.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn lint_bytes(linter: &Linter, file: String, bytes: &[u8], since: Option<NaiveDate>) -> FileResult {
    let outcome = match gongkai_read::read_document(bytes) {
        Err(e) => Outcome::Unreadable {
            reason: format!("无法读取 / cannot read: {e}"),
        },
        Ok(doc) => {
            let date = linter.document_date(&doc);
            match (date, since) {
                (Some(d), Some(s)) if d < s => Outcome::Skipped { date: d },
                _ => Outcome::Linted {
                    date,
                    chars: doc_chars(&doc),
                    findings: linter.lint_document(&doc, &file),
                },
            }
        }
    };
    FileResult { file, outcome }
}

fn doc_chars(doc: &gongkai_report::Document) -> usize {
    doc.blocks
        .iter()
        .map(|b| match b {
            gongkai_report::Block::Paragraph(p) => p.text.chars().count(),
            gongkai_report::Block::Table(t) => t
                .rows
                .iter()
                .flatten()
                .map(|c| c.text.chars().count())
                .sum(),
        })
        .sum()
}

fn lint_stdin(linter: &Linter, since: Option<NaiveDate>) -> FileResult {
    let mut bytes = Vec::new();
    let read = io::stdin()
        .lock()
        .take(gongkai_read::MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut bytes);
    match read {
        Ok(_) => lint_bytes(linter, "<stdin>".into(), &bytes, since),
        Err(e) => FileResult {
            file: "<stdin>".into(),
            outcome: Outcome::Unreadable {
                reason: format!("无法读取标准输入 / cannot read stdin: {e}"),
            },
        },
    }
}

fn lint_entry(linter: &Linter, e: &Entry, since: Option<NaiveDate>) -> FileResult {
    let path = e.path();
    let file = path.display().to_string();
    let unreadable = |reason: String| FileResult {
        file: file.clone(),
        outcome: Outcome::Unreadable { reason },
    };
    match e {
        Entry::Missing(_, reason) => unreadable(reason.clone()),
        Entry::File(_) => match read_file(path) {
            Ok(bytes) => lint_bytes(linter, file.clone(), &bytes, since),
            Err(reason) => unreadable(reason),
        },
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("无法打开 / cannot open: {e}"))?;
    if meta.len() > gongkai_read::MAX_INPUT_BYTES as u64 {
        return Err(format!(
            "文件过大（{} 字节，上限 {} 字节）/ file too large",
            meta.len(),
            gongkai_read::MAX_INPUT_BYTES
        ));
    }
    std::fs::read(path).map_err(|e| format!("无法读取 / cannot read: {e}"))
}

/// Totals of a run.
#[derive(Debug, Default, Serialize)]
struct Summary {
    files: usize,
    linted: usize,
    skipped: usize,
    unreadable: usize,
    chars: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    suppressed: usize,
}

impl Summary {
    fn of(results: &[FileResult]) -> Summary {
        let mut s = Summary {
            files: results.len(),
            ..Summary::default()
        };
        for r in results {
            match &r.outcome {
                Outcome::Linted {
                    chars, findings, ..
                } => {
                    s.linted += 1;
                    s.chars += chars;
                    for f in findings {
                        match (&f.suppressed, f.severity) {
                            (Some(_), _) => s.suppressed += 1,
                            (None, Severity::Error) => s.errors += 1,
                            (None, Severity::Warning) => s.warnings += 1,
                            (None, Severity::Info) => s.infos += 1,
                        }
                    }
                }
                Outcome::Skipped { .. } => s.skipped += 1,
                Outcome::Unreadable { .. } => s.unreadable += 1,
            }
        }
        s
    }

    fn write(&self, results: &[FileResult], lang: Lang, out: &mut dyn Write) -> Result<()> {
        let all: Vec<Finding> = findings(results).cloned().collect();
        let per10k = if self.chars == 0 {
            0.0
        } else {
            (self.errors + self.warnings + self.infos) as f64 * 10_000.0 / self.chars as f64
        };
        match lang {
            Lang::Zh => writeln!(
                out,
                "共 {} 个文件：已检查 {}（{} 字），早于 --since 跳过 {}，无法读取 {}；错误 {}，警告 {}，提示 {}（每万字 {per10k:.2} 个），已放行 {}",
                self.files,
                self.linted,
                self.chars,
                self.skipped,
                self.unreadable,
                self.errors,
                self.warnings,
                self.infos,
                self.suppressed
            )?,
            Lang::En => writeln!(
                out,
                "{} files: {} linted ({} chars), {} skipped (--since), {} unreadable; {} errors, {} warnings, {} infos ({per10k:.2} per 10,000 chars), {} suppressed",
                self.files,
                self.linted,
                self.chars,
                self.skipped,
                self.unreadable,
                self.errors,
                self.warnings,
                self.infos,
                self.suppressed
            )?,
        }
        for ((code, sev), n) in gongkai_lint::summary_by_rule(&all) {
            let name = gongkai_lint::rule(code).map_or("", |r| r.meta.name);
            let sev = match lang {
                Lang::Zh => sev.zh(),
                Lang::En => sev.as_str(),
            };
            writeln!(out, "  {code:<8} {name:<32} {sev} {n}")?;
        }
        Ok(())
    }
}

fn findings(results: &[FileResult]) -> impl Iterator<Item = &Finding> {
    results.iter().flat_map(|r| match &r.outcome {
        Outcome::Linted { findings, .. } => findings.as_slice(),
        _ => &[],
    })
}

fn write_output(
    args: &LintArgs,
    results: &[FileResult],
    lang: Lang,
    stdout: &mut impl Write,
) -> Result<()> {
    let mut file;
    let out: &mut dyn Write = match &args.output {
        Some(p) if args.format != LintFormat::Xlsx => {
            file = io::BufWriter::new(
                std::fs::File::create(p)
                    .with_context(|| format!("{}: 无法写入 / cannot write", p.display()))?,
            );
            &mut file
        }
        _ => stdout,
    };
    match args.format {
        LintFormat::Text => {
            let shown: Vec<Finding> = findings(results)
                .filter(|f| args.show_suppressed || f.suppressed.is_none())
                .cloned()
                .collect();
            out.write_all(gongkai_lint::render_text(&shown, lang).as_bytes())?;
        }
        LintFormat::Json => {
            let s = Summary::of(results);
            serde_json::to_writer_pretty(
                &mut *out,
                &serde_json::json!({ "files": results, "summary": s }),
            )?;
            writeln!(out)?;
        }
        LintFormat::Csv => write_csv(results, lang, out)?,
        LintFormat::Xlsx => {
            if let Some(p) = &args.output {
                xlsx::write(p, results_rows(results, lang), &by_file(results), lang)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// Column headers of the findings table (CSV and the XLSX 问题 sheet).
pub(crate) const HEADERS: [&str; 11] = [
    "文件",
    "段落",
    "位置",
    "规则",
    "名称",
    "严重程度",
    "说明",
    "原文",
    "摘录",
    "建议",
    "放行",
];

/// The findings as rows of text, in the column order of [`HEADERS`].
fn results_rows(results: &[FileResult], lang: Lang) -> Vec<[String; 11]> {
    findings(results)
        .map(|f| {
            [
                f.place.file.clone(),
                f.place.paragraph.to_string(),
                f.place.loc.to_string(),
                f.code.to_string(),
                gongkai_lint::rule(f.code)
                    .map_or("", |r| r.meta.name)
                    .to_string(),
                match lang {
                    Lang::Zh => f.severity.zh(),
                    Lang::En => f.severity.as_str(),
                }
                .to_string(),
                f.message(lang).to_string(),
                f.matched.clone(),
                f.excerpt_marked(),
                f.suggestion.clone().unwrap_or_default(),
                f.suppressed
                    .as_ref()
                    .map(|s| format!("{} {}", s.who, s.why).trim().to_string())
                    .unwrap_or_default(),
            ]
        })
        .collect()
}

/// Per file: (file, status, errors, warnings, infos).
fn by_file(results: &[FileResult]) -> Vec<(String, &'static str, [usize; 3])> {
    results
        .iter()
        .map(|r| {
            let (status, counts) = match &r.outcome {
                Outcome::Linted { findings, .. } => {
                    let n = |s| gongkai_lint::count(findings, s);
                    (
                        "已检查",
                        [n(Severity::Error), n(Severity::Warning), n(Severity::Info)],
                    )
                }
                Outcome::Skipped { .. } => ("早于 --since，跳过", [0; 3]),
                Outcome::Unreadable { .. } => ("无法读取", [0; 3]),
            };
            (r.file.clone(), status, counts)
        })
        .collect()
}

/// CSV with a byte-order mark (Excel), every cell guarded against formula injection by
/// the batch writer's guard.
fn write_csv(results: &[FileResult], lang: Lang, out: &mut dyn Write) -> Result<()> {
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HEADERS)?;
    for row in results_rows(results, lang) {
        w.write_record(row.iter().map(|c| formula_safe(c).into_owned()))?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct T {
        #[command(flatten)]
        args: LintArgs,
    }

    #[test]
    fn arguments() {
        let a = T::try_parse_from([
            "lint",
            "a",
            "b",
            "--rules",
            "PII,ORG001",
            "--since",
            "2024-01-01",
            "--format",
            "csv",
        ])
        .unwrap()
        .args;
        assert_eq!(a.rules, vec!["PII", "ORG001"]);
        assert_eq!(a.since, NaiveDate::from_ymd_opt(2024, 1, 1));
        assert_eq!(a.format, LintFormat::Csv);
        let e = T::try_parse_from(["lint", "a", "--since", "2024/1/1"]).unwrap_err();
        assert!(e.to_string().contains("不是日期"), "{e}");
        assert!(T::try_parse_from(["lint"]).is_err());
    }
}
