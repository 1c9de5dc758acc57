//! `gongkai publish import FILE.csv|xlsx [--attachments DIR] [--dry-run]`: the batch
//! import of register items (the service's `import_items`, all or nothing), its attachments
//! found by name in a folder; `--dry-run` shows what would be registered and every refused
//! row by row and column (`preview_item_import`), writing nothing.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;

use super::{Session, about, file_name, read};

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// 导入文件（CSV 或 XLSX）/ the sheet
    file: PathBuf,
    /// 附件所在目录（表中“附件”列的文件名在此查找；默认为导入文件所在目录）/ the folder of
    /// the attachments (default: the sheet's folder)
    #[arg(long, value_name = "DIR")]
    attachments: Option<PathBuf>,
    /// 只检查、列出将登记的事项和有问题的行，不写入 / check only, write nothing
    #[arg(long)]
    dry_run: bool,
    /// 输出 JSON / print JSON
    #[arg(long)]
    json: bool,
}

/// The bytes of attachment `name` in `dir` (a plain file name only: no path leaves the
/// folder).
fn attachment_in(dir: &std::path::Path, name: &str) -> Option<Vec<u8>> {
    let p = std::path::Path::new(name);
    let simple = p.components().count() == 1
        && matches!(p.components().next(), Some(std::path::Component::Normal(_)));
    if !simple {
        return None;
    }
    std::fs::read(dir.join(p)).ok()
}

pub(super) async fn import(cx: &Session, a: ImportArgs, out: &mut impl Write) -> Result<ExitCode> {
    let actor = cx.actor().await?;
    let svc = &cx.service;
    let shown = a.file.display().to_string();
    let bytes = read(&a.file)?;
    let name = file_name(&a.file);
    let dir = match &a.attachments {
        Some(d) => {
            if !d.is_dir() {
                bail!("附件目录 {} 不存在或不是目录", d.display());
            }
            d.clone()
        }
        None => a
            .file
            .parent()
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(".")),
    };
    let find = move |n: &str| attachment_in(&dir, n);
    if a.dry_run {
        let p = svc
            .preview_item_import(&actor, &name, &bytes, &find)
            .await
            .map_err(about(format!("导入文件 {shown}")))?;
        if a.json {
            serde_json::to_writer_pretty(&mut *out, &p)?;
            writeln!(out)?;
        } else {
            for r in &p.rows {
                writeln!(
                    out,
                    "第 {} 行：{}（{}，{}，{}）{}",
                    r.row,
                    r.title,
                    r.formed_on,
                    r.topic,
                    r.genre,
                    if r.attachments.is_empty() {
                        String::new()
                    } else {
                        format!("，附件 {}", r.attachments.join("、"))
                    }
                )?;
            }
            for r in &p.refusals {
                writeln!(out, "{shown} {r}")?;
            }
            if p.ok() {
                writeln!(out, "将登记 {} 项（试运行，未写入）", p.rows.len())?;
            } else {
                writeln!(
                    out,
                    "有 {} 处问题，导入将被拒绝（试运行，未写入）",
                    p.refusals.len()
                )?;
            }
        }
        return Ok(if p.ok() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    let done = svc
        .import_items(&actor, &name, &bytes, &find)
        .await
        .map_err(about(format!("导入文件 {shown}")))?;
    if a.json {
        serde_json::to_writer_pretty(&mut *out, &done)?;
        writeln!(out)?;
    } else {
        for i in &done.items {
            writeln!(out, "{:>5}  {}  {}", i.id, i.index_number, i.title)?;
        }
        writeln!(
            out,
            "已导入 {} 项（均为草稿，待提交审核）",
            done.items.len()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
