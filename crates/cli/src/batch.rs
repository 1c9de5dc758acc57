//! `gongkai batch`: read and check a whole collection of reports in parallel, compare
//! consecutive years, roll up over a jurisdiction, and write tables and a dashboard.
//!
//! The work is done by `gongkai_batch`; this module parses the arguments, shows one
//! progress bar on stderr (hidden when stderr is not a terminal), prints a summary and
//! picks the exit status: 0 no errors, 1 errors found in reports, 2 some files could not
//! be read (the batch still runs to the end and writes every output) or the batch itself
//! failed (an output could not be written, a bad jurisdiction file).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use gongkai_batch::output::{OutputFormat, OutputWriter};
use gongkai_batch::{Batch, Jurisdiction, Options, dashboard, discover, run};
use gongkai_check::Lang;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

#[derive(Debug, Args)]
pub(crate) struct BatchArgs {
    /// 报告文件或目录（递归读取目录中的 txt、html、md、docx 等文件）/ report files or
    /// directories (read recursively)
    #[arg(required = true, value_name = "DIR|FILE")]
    inputs: Vec<PathBuf>,
    /// 输出：CSV 为目录（每张表一个文件），XLSX、JSON 为文件 / output: a directory for CSV
    /// (one file per table), a file for XLSX and JSON
    #[arg(short, long, value_name = "OUT")]
    output: PathBuf,
    /// 输出格式；默认按 -o 的扩展名（.xlsx、.json），其余为 CSV / output format (default:
    /// from the extension of OUT)
    #[arg(long, value_enum)]
    format: Option<BatchFormat>,
    /// 另外生成一个 HTML 汇总页（图表，无外部资源）/ also write an HTML dashboard
    #[arg(long, value_name = "DASHBOARD.html")]
    html: Option<PathBuf>,
    /// 辖区文件（TOML 树：name、agencies、children），用于汇总和发布情况 / jurisdiction
    /// tree (TOML) for the roll-up and coverage
    #[arg(long, value_name = "FILE.toml")]
    jurisdiction: Option<PathBuf>,
    /// 工作线程数（默认使用全部核心）/ worker threads (default: every core)
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BatchFormat {
    Csv,
    Xlsx,
    Json,
}

impl From<BatchFormat> for OutputFormat {
    fn from(f: BatchFormat) -> OutputFormat {
        match f {
            BatchFormat::Csv => OutputFormat::Csv,
            BatchFormat::Xlsx => OutputFormat::Xlsx,
            BatchFormat::Json => OutputFormat::Json,
        }
    }
}

/// The output format: `--format`, else from the extension of `-o`.
fn output_format(args: &BatchArgs) -> OutputFormat {
    args.format
        .map_or_else(|| OutputFormat::from_path(&args.output), Into::into)
}

pub(crate) fn cmd_batch(args: &BatchArgs, lang: Lang, out: &mut impl Write) -> Result<ExitCode> {
    let format = output_format(args);
    let jurisdiction = match &args.jurisdiction {
        Some(p) => Some(Jurisdiction::load(p)?),
        None => None,
    };
    // Never read the batch's own outputs back as reports.
    let mut exclude = vec![args.output.clone()];
    exclude.extend(args.html.clone());
    let entries = discover(&args.inputs, &exclude);
    if entries.is_empty() {
        bail!("没有找到报告文件（目录中只读取 txt、html、md、docx 等文件）/ no report files found");
    }
    let opts = Options {
        jobs: args.jobs.filter(|&n| n > 0),
        jurisdiction,
    };

    let bar =
        ProgressBar::with_draw_target(Some(entries.len() as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{prefix} [{bar:36}] {pos}/{len}  {per_sec}  剩余 {eta}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix("读取并检查");

    let mut writer = OutputWriter::create(format, &args.output)?;
    let batch = run(&entries, &opts, &mut writer, &|| bar.inc(1))?;
    bar.finish_and_clear();
    let mut written = writer.finish(&batch)?;
    if let Some(path) = &args.html {
        std::fs::write(path, dashboard::render(&batch))
            .with_context(|| format!("{}: 无法写入 / cannot write", path.display()))?;
        written.push(path.clone());
    }
    summary(&batch, &written, lang, out)?;
    Ok(if batch.unreadable() > 0 {
        ExitCode::from(2)
    } else if batch.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn summary(batch: &Batch, written: &[PathBuf], lang: Lang, out: &mut impl Write) -> Result<()> {
    let st = &batch.stats;
    let files: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    match lang {
        Lang::Zh => {
            writeln!(
                out,
                "共 {} 个文件：已读取 {}，无法读取 {}；错误 {} 个，警告 {} 个（有错误的报告 {} 份）",
                st.files, st.readable, st.unreadable, st.errors, st.warnings, st.with_errors
            )?;
            writeln!(out, "逐年对比：{} 对相邻年度", batch.pairs.len())?;
            if let Some(r) = &batch.rollup {
                let missing = r
                    .totals
                    .iter()
                    .filter(|t| t.node == 0)
                    .map(|t| t.missing())
                    .sum::<usize>();
                let late = r
                    .totals
                    .iter()
                    .filter(|t| t.node == 0)
                    .map(|t| t.late)
                    .sum::<usize>();
                writeln!(
                    out,
                    "辖区汇总：{} 个节点，{} 个年度；未发布 {} 份，逾期发布 {} 份",
                    r.jurisdiction.nodes.len(),
                    r.years.len(),
                    missing,
                    late
                )?;
            }
            writeln!(out, "已写入：{}", files.join("、"))?;
        }
        Lang::En => {
            writeln!(
                out,
                "{} files: {} read, {} unreadable; {} errors, {} warnings ({} reports with errors)",
                st.files, st.readable, st.unreadable, st.errors, st.warnings, st.with_errors
            )?;
            writeln!(
                out,
                "year over year: {} pairs of consecutive years",
                batch.pairs.len()
            )?;
            if let Some(r) = &batch.rollup {
                let missing = r
                    .totals
                    .iter()
                    .filter(|t| t.node == 0)
                    .map(|t| t.missing())
                    .sum::<usize>();
                let late = r
                    .totals
                    .iter()
                    .filter(|t| t.node == 0)
                    .map(|t| t.late)
                    .sum::<usize>();
                writeln!(
                    out,
                    "roll-up: {} nodes, {} years; {missing} reports missing, {late} late",
                    r.jurisdiction.nodes.len(),
                    r.years.len(),
                )?;
            }
            writeln!(out, "written: {}", files.join(", "))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct T {
        #[command(flatten)]
        args: BatchArgs,
    }

    fn parse(argv: &[&str]) -> BatchArgs {
        T::try_parse_from(std::iter::once("batch").chain(argv.iter().copied()))
            .unwrap()
            .args
    }

    #[test]
    fn format_comes_from_the_flag_or_the_extension() {
        assert_eq!(
            output_format(&parse(&["d", "-o", "out"])),
            OutputFormat::Csv
        );
        assert_eq!(
            output_format(&parse(&["d", "-o", "x.xlsx"])),
            OutputFormat::Xlsx
        );
        assert_eq!(
            output_format(&parse(&["d", "-o", "x.json"])),
            OutputFormat::Json
        );
        assert_eq!(
            output_format(&parse(&["d", "-o", "x.json", "--format", "csv"])),
            OutputFormat::Csv
        );
    }

    #[test]
    fn inputs_and_output_are_required() {
        assert!(T::try_parse_from(["batch", "-o", "out"]).is_err());
        assert!(T::try_parse_from(["batch", "dir"]).is_err());
        let a = parse(&["a", "b.txt", "-o", "o", "--jobs", "3", "--html", "d.html"]);
        assert_eq!(a.inputs.len(), 2);
        assert_eq!(a.jobs, Some(3));
    }
}
