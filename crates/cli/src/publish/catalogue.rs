//! `gongkai publish catalogue [--year Y] [--format csv|xlsx] -o FILE`: the standard
//! catalogue of published items (索引号, 名称, 内容概述, 生成日期, 发布机构, 文号, 主题分类 …),
//! the service's `catalogue_export` (audited as a download).

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use gongkai_service::exports::ExportFormat;

use super::Session;

#[derive(Debug, Args)]
pub(crate) struct CatalogueArgs {
    /// 年度（首次发布在该年的事项；默认全部）/ the year first published (default: all)
    #[arg(long)]
    year: Option<i32>,
    /// 格式：csv 或 xlsx（默认按输出文件的扩展名）/ the format (default: from the file name)
    #[arg(long, value_parser = parse_format)]
    format: Option<ExportFormat>,
    /// 输出文件 / the output file
    #[arg(short, long)]
    output: String,
}

fn parse_format(s: &str) -> Result<ExportFormat, String> {
    s.parse()
        .map_err(|e: gongkai_service::ServiceError| e.to_string())
}

pub(super) async fn catalogue(
    cx: &Session,
    a: CatalogueArgs,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let actor = cx.actor().await?;
    let format = match a.format {
        Some(f) => f,
        None if a.output.to_ascii_lowercase().ends_with(".csv") => ExportFormat::Csv,
        None => ExportFormat::Xlsx,
    };
    let e = cx.service.catalogue_export(&actor, a.year, format).await?;
    std::fs::write(&a.output, &e.bytes).with_context(|| format!("无法写入文件 {}", a.output))?;
    writeln!(
        out,
        "已导出政府信息公开目录 {} 项到 {}（{}）",
        e.rows,
        a.output,
        format.as_str()
    )?;
    Ok(ExitCode::SUCCESS)
}
