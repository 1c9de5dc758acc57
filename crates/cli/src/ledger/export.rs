//! `gongkai ledger export` and `gongkai ledger columns`: the office's records as
//! spreadsheets (the service's `exports`). The ledger as XLSX or CSV with the list's
//! filters (`--status`, `--search`, `--year`, `--overdue`, `--due-within`, as `gongkai
//! ledger list`) and a column set (`--columns`); `--statistics YEAR` writes the year's three
//! tables in the national layout instead. Exports carry personal data: they need the
//! acting user's credentials and are audited.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use gongkai_service::exports::{Export, ExportFormat};

use super::Session;
use super::args::FilterArgs;

#[derive(Debug, Args)]
pub(super) struct ExportArgs {
    /// xlsx | csv（默认按输出文件的扩展名，否则 xlsx）/ the file format (default: from the
    /// output's extension, else xlsx)
    #[arg(long, value_parser = parse_format)]
    pub format: Option<ExportFormat>,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// 列模板：内置的“标准”（默认）、“全部”，已保存的模板名称，或用逗号分隔的列名/代码
    /// （如 编号,申请人,收到日期）；gongkai ledger columns 列出全部 / the column set: a
    /// built-in or saved set's name, or column names separated by commas
    #[arg(long, value_name = "SET")]
    pub columns: Option<String>,
    /// 改为导出该年度的统计表（第二、三、四部分的三张表，全国统一格式，XLSX）/ write the
    /// year's three tables (national layout, XLSX) instead of the ledger
    #[arg(long, value_name = "YEAR", conflicts_with = "columns")]
    pub statistics: Option<i32>,
    /// 输出文件（- 为标准输出）/ the output file (`-`: standard output)
    #[arg(short, long, value_name = "FILE")]
    pub output: String,
}

fn parse_format(s: &str) -> Result<ExportFormat, String> {
    s.parse()
        .map_err(|e: gongkai_service::ServiceError| e.to_string())
}

#[derive(Debug, Subcommand)]
pub(super) enum ColumnsCommand {
    /// 列出列模板（内置和已保存的）与可用的列 / list the column sets and the columns
    List {
        #[arg(long)]
        json: bool,
    },
    /// 保存列模板（同名则替换）/ save a column set (replaces one of the same name)
    ///
    /// 例：gongkai ledger columns save 季度报送 编号 申请人 收到日期 办理结果 答复日期
    Save {
        name: String,
        /// 列名或代码，按导出顺序 / column names or keys, in order
        #[arg(required = true)]
        columns: Vec<String>,
    },
    /// 删除已保存的列模板 / delete a saved column set
    Delete { name: String },
}

pub(super) async fn export(cx: &Session, a: ExportArgs, out: &mut impl Write) -> Result<ExitCode> {
    let actor = cx.actor().await?;
    let format = match a.format {
        Some(f) => f,
        None if a.output.to_ascii_lowercase().ends_with(".csv") => ExportFormat::Csv,
        None => ExportFormat::Xlsx,
    };
    let e: Export = match a.statistics {
        Some(year) => {
            if format != ExportFormat::Xlsx {
                bail!("统计表只能导出为 XLSX / the tables are exported as XLSX only");
            }
            cx.service.statistics_xlsx(&actor, year).await?
        }
        None => {
            cx.service
                .export_ledger(&actor, &a.filter.filter(), a.columns.as_deref(), format)
                .await?
        }
    };
    if a.output == "-" {
        out.write_all(&e.bytes)?;
        return Ok(ExitCode::SUCCESS);
    }
    std::fs::write(&a.output, &e.bytes)
        .with_context(|| format!("无法写入 / cannot write {}", a.output))?;
    if a.statistics.is_some() {
        writeln!(out, "已写入 {}（统计表）/ written", a.output)?;
    } else if cx.en() {
        writeln!(out, "{}: {} applications", a.output, e.rows)?;
    } else {
        writeln!(out, "已写入 {}：申请 {} 件", a.output, e.rows)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn columns(
    cx: &Session,
    c: ColumnsCommand,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let svc = &cx.service;
    match c {
        ColumnsCommand::List { json } => {
            let sets = svc.column_sets().await?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &sets)?;
                writeln!(out)?;
                return Ok(ExitCode::SUCCESS);
            }
            for s in &sets {
                let origin = match (&s.saved_by, s.saved_at) {
                    (Some(by), Some(at)) => format!("{by} {}", at.format("%Y-%m-%d")),
                    _ => "内置".into(),
                };
                writeln!(out, "{}（{origin}）：{}", s.name, s.headers().join("、"))?;
            }
            writeln!(out, "\n可用的列 / columns:")?;
            for c in gongkai_service::exports::COLUMNS {
                writeln!(out, "  {:<22}{}", c.key, c.header)?;
            }
        }
        ColumnsCommand::Save { name, columns } => {
            let actor = cx.actor().await?;
            let names: Vec<&str> = columns
                .iter()
                .flat_map(|c| c.split([',', '，', '、']))
                .collect();
            let s = svc.save_column_set(&actor, &name, &names).await?;
            writeln!(out, "已保存列模板“{}”：{}", s.name, s.headers().join("、"))?;
        }
        ColumnsCommand::Delete { name } => {
            let actor = cx.actor().await?;
            svc.delete_column_set(&actor, &name).await?;
            writeln!(out, "已删除列模板“{}”", name.trim())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
