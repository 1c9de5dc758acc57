//! `gongkai ledger template …`: the reply letter templates (文书模板) — list, show, set,
//! history, restore a version, restore the built-in text, placeholders — through the same
//! use cases as the `/admin/templates` pages (placeholders checked, every save a version,
//! office head or admin, audited).

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;
use gongkai_service::letters::Placeholder;
use gongkai_service::templates::required;
use gongkai_store::TemplateVersion;

use super::Session;
use super::print::time_cn;

#[derive(Debug, Subcommand)]
pub(super) enum TemplateCommand {
    /// 列出各答复结论的模板及其使用的文本 / list the templates
    List {
        #[arg(long)]
        json: bool,
    },
    /// 显示模板正文（可重定向到文件修改后再 set）；--version 显示旧版本 / show a template
    Show {
        /// 模板代码，即答复结论，如 granted、partially_granted / the decision's key
        key: String,
        /// 显示第 N 版 / show version N
        #[arg(long, value_name = "N")]
        version: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// 保存模板的新文本（检查占位符；保存为新版本）/ save a new text (checked, a new version)
    ///
    /// 正文从 --file 读取（`-` 为标准输入，UTF-8），每行一段；可用的占位符见
    /// `gongkai ledger template placeholders`。未知的占位符、不配对的花括号或缺少必需的占位符时拒绝保存，
    /// 并指出占位符和行号。已批准但尚未送达的该结论答复随之“需重新审核”。
    /// The body comes from --file (`-`: stdin); unknown placeholders, unpaired braces or a
    /// missing required placeholder are refused with the line.
    Set {
        key: String,
        /// 正文文件（`-` 为标准输入）/ the body (`-`: stdin)
        #[arg(long, value_name = "F")]
        file: PathBuf,
        /// 标题（默认“政府信息公开申请答复告知书”）/ the title
        #[arg(long)]
        title: Option<String>,
        /// 修改说明 / what changed
        #[arg(long)]
        note: Option<String>,
    },
    /// 修改历史 / the versions
    History {
        key: String,
        #[arg(long)]
        json: bool,
    },
    /// 恢复第 N 版的文本（保存为新版本）/ bring version N back as a new version
    Restore {
        key: String,
        version: u32,
        #[arg(long)]
        note: Option<String>,
    },
    /// 恢复程序内置的默认文本（本机关文本保留在历史中）/ use the built-in text again
    Default {
        key: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// 可用的占位符 / the placeholders a template may use
    Placeholders,
}

fn read_text(path: &PathBuf) -> Result<String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("无法从标准输入读取正文 / cannot read stdin")?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).with_context(|| {
            format!(
                "{}: 无法读取（应为 UTF-8 文本）/ cannot read",
                path.display()
            )
        })
    }
}

fn saved(out: &mut impl Write, key: &str, v: Option<TemplateVersion>) -> Result<()> {
    match v {
        Some(v) => writeln!(
            out,
            "已保存模板 {key} 第 {} 版（{}）",
            v.version,
            v.origin.label_zh()
        )?,
        None => writeln!(out, "模板 {key} 的文本没有变化，未保存新版本")?,
    }
    Ok(())
}

pub(super) async fn template(
    cx: &Session,
    c: TemplateCommand,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let svc = &cx.service;
    match c {
        TemplateCommand::Placeholders => {
            for p in Placeholder::ALL {
                writeln!(out, "{:<10}\t{}", p.braced(), p.description())?;
            }
            writeln!(
                out,
                "\n必需：{{申请人}}、{{救济}}；不予公开和部分公开另须 {{理由}}。"
            )?;
        }
        TemplateCommand::List { json } => {
            let actor = cx.actor().await?;
            let list = svc.letter_templates(&actor).await?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &list)?;
                writeln!(out)?;
                return Ok(ExitCode::SUCCESS);
            }
            for t in list {
                let used = match &t.custom {
                    Some(c) => format!("本机关文本（{} {}）", time_cn(c.updated_at), c.updated_by),
                    None => "默认文本".to_string(),
                };
                writeln!(out, "{:<32} {}  {used}", t.key, t.decision.label_zh())?;
            }
        }
        TemplateCommand::Show { key, version, json } => {
            let actor = cx.actor().await?;
            let (title, body) = match version {
                Some(n) => {
                    let v = svc.letter_template_version(&actor, &key, n).await?;
                    if json {
                        serde_json::to_writer_pretty(&mut *out, &v)?;
                        writeln!(out)?;
                        return Ok(ExitCode::SUCCESS);
                    }
                    (v.title, v.body)
                }
                None => {
                    let v = svc.letter_template(&actor, &key).await?;
                    if json {
                        serde_json::to_writer_pretty(&mut *out, &v)?;
                        writeln!(out)?;
                        return Ok(ExitCode::SUCCESS);
                    }
                    (v.title, v.body)
                }
            };
            if version.is_none() {
                eprintln!("标题：{title}");
            }
            writeln!(out, "{body}")?;
        }
        TemplateCommand::Set {
            key,
            file,
            title,
            note,
        } => {
            let actor = cx.actor().await?;
            let body = read_text(&file)?;
            let current = svc.letter_template(&actor, &key).await?;
            let title = title.unwrap_or(current.title);
            let v = svc
                .save_letter_template(&actor, &key, &title, &body, note.as_deref())
                .await?;
            saved(out, &key, v)?;
        }
        TemplateCommand::History { key, json } => {
            let actor = cx.actor().await?;
            let v = svc.letter_template(&actor, &key).await?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &v.versions)?;
                writeln!(out)?;
                return Ok(ExitCode::SUCCESS);
            }
            if v.versions.is_empty() {
                writeln!(out, "尚未修改过，正在使用默认文本")?;
            }
            for h in &v.versions {
                let from = h
                    .restored_from
                    .map(|n| format!("（第 {n} 版）"))
                    .unwrap_or_default();
                let note = h
                    .note
                    .as_deref()
                    .map(|n| format!("：{n}"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "第 {} 版 {} {} {}{from}{note}",
                    h.version,
                    time_cn(h.saved_at),
                    h.saved_by,
                    h.origin.label_zh()
                )?;
            }
            let names: Vec<String> = required(v.decision).iter().map(|p| p.braced()).collect();
            writeln!(out, "必需的占位符：{}", names.join("、"))?;
        }
        TemplateCommand::Restore { key, version, note } => {
            let actor = cx.actor().await?;
            let v = svc
                .restore_letter_template(&actor, &key, version, note.as_deref())
                .await?;
            saved(out, &key, v)?;
        }
        TemplateCommand::Default { key, note } => {
            let actor = cx.actor().await?;
            let v = svc
                .restore_default_letter_template(&actor, &key, note.as_deref())
                .await?;
            saved(out, &key, v)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
