//! `gongkai ledger narrative show|set YEAR`: the annual report's narrative (the running
//! text of sections 一 to 六 over the ledger's drafts) and its 落款, saved in versions —
//! the same use cases as the year-end page and the API.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::Subcommand;
use gongkai_format::SECTION_HEADINGS;
use gongkai_ledger::calendar::date_zh;
use gongkai_service::section_number;
use gongkai_store::NarrativeText;

use super::Session;
use super::args::parse_date;
use super::print::time_cn;

#[derive(Debug, Subcommand)]
pub(super) enum NarrativeCommand {
    /// 显示正文（各部分注明已撰写或草稿）、落款和保存记录 / show the narrative
    ///
    /// 加 --section 只输出该部分的正文（可重定向到文件修改后再 set）。
    /// With --section, only that section's text (to edit and set again).
    Show {
        year: i32,
        /// 部分：一…六 或 1…6 / a section
        #[arg(long)]
        section: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 撰写一个部分和/或落款，保存为新版本（提交审核后不能修改）/ write a section or the 落款
    ///
    /// 正文从 --file 读取（`-` 为标准输入，UTF-8）；文件为空则该部分恢复台账生成的草稿。
    /// 其余部分和落款保持不变。
    /// The text comes from --file (`-`: standard input); an empty file puts the draft back.
    Set {
        year: i32,
        /// 部分：一…六 或 1…6 / a section
        #[arg(long, requires = "file")]
        section: Option<String>,
        /// 正文文件（`-` 为标准输入）/ the text file (`-`: stdin)
        #[arg(long, value_name = "F", requires = "section")]
        file: Option<PathBuf>,
        /// 落款机关 / the agency signing the report
        #[arg(long)]
        signed_by: Option<String>,
        /// 落款日期 / the date under the report
        #[arg(long, value_parser = parse_date)]
        signed_on: Option<NaiveDate>,
        /// 修改说明 / what changed
        #[arg(long)]
        note: Option<String>,
    },
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

pub(super) async fn narrative(
    cx: &Session,
    c: NarrativeCommand,
    out: &mut impl Write,
) -> Result<ExitCode> {
    match c {
        NarrativeCommand::Show {
            year,
            section,
            json,
        } => {
            let v = cx.service.narrative(year).await?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &v)?;
                writeln!(out)?;
                return Ok(ExitCode::SUCCESS);
            }
            if let Some(s) = section {
                let n = usize::from(section_number(&s)?);
                writeln!(out, "{}", v.sections[n - 1])?;
                return Ok(ExitCode::SUCCESS);
            }
            let en = cx.en();
            for (i, text) in v.sections.iter().enumerate() {
                let state = match (v.written[i], en) {
                    (true, false) => "已撰写",
                    (false, false) => "草稿",
                    (true, true) => "written",
                    (false, true) => "draft",
                };
                writeln!(out, "{}（{state}）", SECTION_HEADINGS[i].0)?;
                for line in text.lines() {
                    writeln!(out, "  {line}")?;
                }
                writeln!(out)?;
            }
            let on = v.signed_on.map(date_zh).unwrap_or_default();
            writeln!(out, "落款：{} {on}", v.signed_by)?;
            if !v.editable {
                writeln!(out, "年度报告{}，正文不能修改。", v.status.label_zh())?;
            }
            if !v.history.is_empty() {
                writeln!(out, "\n保存记录：")?;
                for h in &v.history {
                    let note = h
                        .note
                        .as_deref()
                        .map(|n| format!("：{n}"))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "  第 {} 版 {} {}{note}",
                        h.version,
                        time_cn(h.saved_at),
                        h.saved_by
                    )?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        NarrativeCommand::Set {
            year,
            section,
            file,
            signed_by,
            signed_on,
            note,
        } => {
            // Credentials first: with --password-stdin they are the first line of standard
            // input, the text (`--file -`) comes after.
            let actor = cx.actor().await?;
            let mut changes = NarrativeText {
                signed_by,
                signed_on,
                ..NarrativeText::default()
            };
            if let (Some(s), Some(f)) = (&section, &file) {
                changes.sections.insert(section_number(s)?, read_text(f)?);
            }
            if changes == NarrativeText::default() {
                bail!(
                    "请用 --section 和 --file 指定正文，或用 --signed-by / --signed-on 设置落款 / nothing to set"
                );
            }
            let n = cx
                .service
                .update_narrative(&actor, year, changes, note)
                .await?;
            if cx.en() {
                writeln!(out, "Saved the {year} narrative, version {}.", n.version)?;
            } else {
                writeln!(out, "已保存 {year} 年度报告正文（第 {} 版）。", n.version)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
