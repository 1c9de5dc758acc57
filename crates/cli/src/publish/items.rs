//! The register's item commands (`gongkai publish add|list|show|edit|body|attach|publish|
//! correct|withdraw|due|withheld|reassess`) and the subcommand enum of the group. Every
//! subcommand authenticates the acting user (`--user` with `--password-stdin` or a token)
//! and calls `gongkai_service::register`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use gongkai_ledger::register::{
    Disclosure, ItemDraft, ItemStage, Outlet, Publication, ReassessOutcome, WithholdBasis,
};
use gongkai_service::Service;
use gongkai_service::register::import::media_type;
use gongkai_service::register::{DueState, ItemFilter, ListedItem};
use gongkai_store::register::{NewAttachment, Reassessment, RegisterItem};

use super::{Session, about, date, file_name, pick, read};

/// 主动公开登记 / the publication register.
#[derive(Debug, Subcommand)]
pub(crate) enum PublishCommand {
    /// 登记新事项（索引号按本机关规则生成）/ register an item (its index number is made)
    Add(ItemArgs),
    /// 列出事项（搜索、筛选、分页）/ list items
    List(ListArgs),
    /// 显示事项及其办理记录、发布记录和版本 / show an item with its timeline
    Show {
        /// 事项编号 / the item's number
        id: i64,
        /// 输出 JSON / print JSON
        #[arg(long)]
        json: bool,
    },
    /// 登记在某一渠道发布 / record a publication on a channel
    Publish {
        id: i64,
        /// 发布渠道：website、new-media、gazette、notice-board、press-conference、media、other（或中文）
        #[arg(long)]
        outlet: String,
        /// 政务新媒体账号或其他渠道名称 / the new-media account or the channel's name
        #[arg(long, default_value = "")]
        account: String,
        /// 发布日期（默认今天）/ date published (default: today)
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        url: Option<String>,
    },
    /// 修改未发布的事项（形成新版本）/ edit an unpublished item (a new version)
    Edit {
        id: i64,
        #[command(flatten)]
        item: ItemArgs,
    },
    /// 更正已发布的事项：新版本并说明理由，原版本保留 / correct a published item
    Correct {
        id: i64,
        /// 更正理由 / the reason
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        item: ItemArgs,
    },
    /// 撤稿（办公室主任、分管领导或管理员）/ withdraw an item
    Withdraw {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// 到期与逾期未发布的事项和本年按时发布率（第二十六条）/ due and overdue items, on-time rate
    Due {
        #[arg(long)]
        json: bool,
    },
    /// 不予公开事项的定期评估（第十八条）：不带编号时列出到期应评估的事项 / art. 18
    /// re-assessment; without an id, list the items due
    Reassess {
        id: Option<i64>,
        /// 评估结论：keep（继续不予公开）、release（转为主动公开）、on-request（转为依申请公开）
        #[arg(long)]
        outcome: Option<String>,
        /// 继续不予公开时所依据的条款（默认不变）/ the ground when kept withheld
        #[arg(long)]
        basis: Option<String>,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// 不予公开的事项及其下次评估日期（第十八条）/ the withheld items and their next
    /// re-assessment
    Withheld {
        /// 只列出到期应评估的 / only those due for re-assessment
        #[arg(long)]
        due: bool,
        /// 输出 JSON / print JSON
        #[arg(long)]
        json: bool,
    },
    /// 添加附件（每个文件不超过 20 MiB，每件事项最多 50 个）/ attach files to an item
    Attach {
        /// 事项编号 / the item's number
        id: i64,
        /// 附件文件 / the files
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// 用文件替换未发布事项的正文（DOCX、HTML、PDF、文本；形成新版本）/ the body from a file
    Body {
        /// 事项编号 / the item's number
        id: i64,
        /// 正文文件 / the file
        file: PathBuf,
    },
    /// 三审与保密审查：提交初审、复审/审核（可批量）、退回、放行错敏、待审队列 / the review
    #[command(subcommand)]
    Review(super::review::ReviewCommand),
    /// 批量导入事项（CSV 或 XLSX，附件在一个目录中；全部通过才写入）/ import items in bulk
    ///
    /// 标题行须有“名称”“生成日期”“主题分类”“体裁”“内容概述”列，可有“文号”“正文”“发布机构”
    /// “公开属性”“不予公开依据”“发布渠道”“附件”（多个文件名用“；”或“、”分隔，在 --attachments
    /// 指定的目录中查找）。任何一行有问题，都不写入，错误注明文件、行和列；--dry-run 只检查。
    /// The header names the columns; one refused row refuses the import (file, row and
    /// column named); --dry-run only checks.
    Import(super::import::ImportArgs),
    /// 导出政府信息公开目录（已发布事项；CSV 或 XLSX）/ export the catalogue
    Catalogue(super::catalogue::CatalogueArgs),
}

/// An item's fields.
#[derive(Debug, Args)]
pub(crate) struct ItemArgs {
    /// 名称 / title
    #[arg(long)]
    title: String,
    /// 生成日期 / date formed
    #[arg(long)]
    formed: String,
    /// 主题分类（子类用 \ 或 / 分隔）/ topic
    #[arg(long)]
    topic: String,
    /// 体裁 / genre
    #[arg(long)]
    genre: String,
    /// 内容概述 / summary
    #[arg(long)]
    summary: String,
    /// 发布机构（默认本机关名称）/ publishing organ
    #[arg(long, default_value = "")]
    organ: String,
    /// 文号 / document number
    #[arg(long)]
    number: Option<String>,
    /// 正文 / body text
    #[arg(long, default_value = "")]
    body: String,
    /// 从文件读取正文（DOCX、HTML、PDF、文本）/ read the body from a file
    #[arg(long, conflicts_with = "body")]
    body_file: Option<PathBuf>,
    /// 公开属性：proactive（主动公开，默认）、on-request、withheld
    #[arg(long, default_value = "proactive")]
    disclosure: String,
    /// 不予公开的依据（withheld 时必填）/ the ground for withholding
    #[arg(long)]
    basis: Option<String>,
    /// 计划发布渠道（可重复）/ planned channels (repeatable)
    #[arg(long = "outlet")]
    outlets: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// 搜索名称、索引号、文号或内容概述 / search
    #[arg(long)]
    search: Option<String>,
    #[arg(long)]
    topic: Option<String>,
    #[arg(long)]
    genre: Option<String>,
    #[arg(long)]
    organ: Option<String>,
    #[arg(long)]
    year: Option<i32>,
    /// 状态：draft、in-review、approved、published、withdrawn
    #[arg(long)]
    stage: Option<String>,
    #[arg(long)]
    outlet: Option<String>,
    /// 发布时限：pending、due-soon、overdue
    #[arg(long)]
    due: Option<String>,
    #[arg(long, default_value_t = 1)]
    page: u64,
    #[arg(long, default_value_t = 20)]
    per_page: u64,
    #[arg(long)]
    json: bool,
}

impl ItemArgs {
    fn draft(&self) -> Result<ItemDraft> {
        let body = match &self.body_file {
            Some(p) => Service::body_from_file(&p.display().to_string(), &read(p)?)?,
            None => self.body.clone(),
        };
        Ok(ItemDraft {
            title: self.title.clone(),
            organ: self.organ.clone(),
            formed_on: date(&self.formed)?,
            number: self.number.clone(),
            topic: self.topic.clone(),
            genre: self.genre.clone(),
            summary: self.summary.clone(),
            body,
            disclosure: match self.disclosure.trim().replace('-', "_").as_str() {
                "proactive" | "主动公开" => Disclosure::Proactive,
                "on_request" | "依申请公开" => Disclosure::OnRequest,
                "withheld" | "不予公开" => Disclosure::Withheld {
                    basis: pick::<WithholdBasis>(self.basis.as_deref().unwrap_or_default())?,
                },
                other => {
                    anyhow::bail!("公开属性“{other}”无效，可用：proactive、on-request、withheld")
                }
            },
            validity: None,
            outlets: self
                .outlets
                .iter()
                .map(|o| pick::<Outlet>(o))
                .collect::<Result<_>>()?,
        })
    }
}

fn line(i: &ListedItem) -> String {
    let clock = i
        .clock
        .as_ref()
        .map(|c| format!("  [{}，期限 {}]", c.status.label_zh(), c.due))
        .unwrap_or_default();
    format!(
        "{:>5}  {}  {}  {}  {}{}",
        i.item.id,
        i.item.index_number,
        i.item.stage.label_zh(),
        i.item.formed_on,
        i.item.title,
        clock
    )
}

fn withheld_line(i: &RegisterItem) -> String {
    format!(
        "{:>5}  {}  {}  {}  应于 {} 评估",
        i.id,
        i.index_number,
        i.disclosure.label_zh(),
        i.title,
        i.reassess_on.map(|d| d.to_string()).unwrap_or_default()
    )
}

pub(super) async fn items(
    cx: &Session,
    c: PublishCommand,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let actor = cx.actor().await?;
    let svc = &cx.service;
    match c {
        PublishCommand::Review(_) | PublishCommand::Import(_) | PublishCommand::Catalogue(_) => {
            unreachable!("dispatched by publish::dispatch")
        }
        PublishCommand::Withheld { due, json } => {
            let items = svc.withheld_items(&actor, due).await?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &items)?;
                writeln!(out)?;
            } else {
                for i in &items {
                    writeln!(out, "{}", withheld_line(i))?;
                }
                let what = if due {
                    "到期应评估"
                } else {
                    "不予公开"
                };
                writeln!(out, "{what} {} 件", items.len())?;
            }
        }
        PublishCommand::Attach { id, files } => {
            for f in &files {
                let name = file_name(f);
                let bytes = read(f)?;
                let meta = svc
                    .attach_to_item(
                        &actor,
                        id,
                        NewAttachment {
                            media_type: media_type(&name).to_string(),
                            name: name.clone(),
                            bytes,
                        },
                    )
                    .await
                    .map_err(about(format!("附件 {}", f.display())))?;
                writeln!(
                    out,
                    "已添加附件 {}：{}（{} 字节，SHA-256 {}）",
                    meta.seq, meta.name, meta.size, meta.sha256
                )?;
            }
        }
        PublishCommand::Body { id, file } => {
            let item = svc
                .set_item_body_from_file(&actor, id, &file.display().to_string(), &read(&file)?)
                .await?;
            writeln!(
                out,
                "已从 {} 读取正文：事项 {}（第 {} 版）",
                file.display(),
                item.id,
                item.version
            )?;
        }
        PublishCommand::Add(a) => {
            let item = svc.register_item(&actor, a.draft()?).await?;
            writeln!(out, "已登记事项 {}，索引号 {}", item.id, item.index_number)?;
        }
        PublishCommand::Edit { id, item } => {
            let item = svc.edit_item(&actor, id, item.draft()?).await?;
            writeln!(out, "已保存事项 {}（第 {} 版）", item.id, item.version)?;
        }
        PublishCommand::Correct { id, reason, item } => {
            let item = svc.correct_item(&actor, id, item.draft()?, &reason).await?;
            writeln!(
                out,
                "已更正事项 {}（第 {} 版，原版本保留）",
                item.id, item.version
            )?;
        }
        PublishCommand::Publish {
            id,
            outlet,
            account,
            date: d,
            url,
        } => {
            let p = Publication {
                outlet: pick::<Outlet>(&outlet)?,
                account,
                published_on: match d {
                    Some(d) => date(&d)?,
                    None => svc.current_date(),
                },
                url,
            };
            let item = svc.publish_item(&actor, id, p).await?;
            writeln!(
                out,
                "已登记发布：事项 {}（{}），首次发布 {}",
                item.id,
                item.index_number,
                item.first_published_on
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            )?;
        }
        PublishCommand::Withdraw { id, reason } => {
            let item = svc.withdraw_item(&actor, id, &reason).await?;
            writeln!(out, "已撤稿：事项 {}（{}）", item.id, item.index_number)?;
        }
        PublishCommand::List(a) => {
            let f = ItemFilter {
                text: a.search,
                topic: a.topic,
                genre: a.genre,
                organ: a.organ,
                year: a.year,
                stage: a.stage.as_deref().map(pick::<ItemStage>).transpose()?,
                outlet: a.outlet.as_deref().map(pick::<Outlet>).transpose()?,
                disclosure: None,
                due: a.due.as_deref().map(DueState::parse).transpose()?,
                page: a.page,
                per_page: a.per_page,
            };
            let l = svc.list_items(&actor, &f).await?;
            if a.json {
                serde_json::to_writer_pretty(&mut *out, &l)?;
                writeln!(out)?;
            } else {
                for i in &l.items {
                    writeln!(out, "{}", line(i))?;
                }
                writeln!(out, "共 {} 件，第 {} / {} 页", l.total, l.page, l.pages())?;
            }
        }
        PublishCommand::Show { id, json } => {
            let v = svc.item(&actor, id).await?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &v)?;
                writeln!(out)?;
            } else {
                let it = &v.record.item;
                writeln!(out, "{}  {}", it.index_number, it.title)?;
                writeln!(
                    out,
                    "发布机构 {}；生成日期 {}；{}；{}；第 {} 版",
                    it.organ,
                    it.formed_on,
                    it.disclosure.label_zh(),
                    it.stage.label_zh(),
                    it.version
                )?;
                if let Some(c) = &v.clock {
                    writeln!(out, "发布期限 {}：{}", c.due, c.status.label_zh())?;
                }
                for p in &v.record.publications {
                    writeln!(
                        out,
                        "发布：{} {} {}（第 {} 版）",
                        p.publication.published_on,
                        p.publication.outlet.label_zh(),
                        p.publication.account,
                        p.version
                    )?;
                }
                for a in &v.record.attachments {
                    writeln!(
                        out,
                        "附件 {}：{}（{} 字节，第 {} 版添加）",
                        a.seq, a.name, a.size, a.version
                    )?;
                }
                for e in &v.record.timeline {
                    writeln!(
                        out,
                        "{}  {}  {}{}",
                        e.at.format("%Y-%m-%d %H:%M"),
                        e.kind.label_zh(),
                        e.by,
                        e.reason
                            .as_deref()
                            .map(|r| format!("：{r}"))
                            .unwrap_or_default()
                    )?;
                }
            }
        }
        PublishCommand::Due { json } => {
            let d = svc.due_items(&actor).await?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &d)?;
                writeln!(out)?;
            } else {
                writeln!(out, "已逾期未发布 {} 件：", d.overdue.len())?;
                for i in &d.overdue {
                    writeln!(out, "{}", line(i))?;
                }
                writeln!(out, "即将到期 {} 件：", d.due_soon.len())?;
                for i in &d.due_soon {
                    writeln!(out, "{}", line(i))?;
                }
                writeln!(
                    out,
                    "{} 年按时发布率：{}（{} 件已发布，其中 {} 件按时）",
                    d.rate.year,
                    d.rate.percent(),
                    d.rate.published,
                    d.rate.on_time
                )?;
            }
        }
        PublishCommand::Reassess { id: None, .. } => {
            let items = svc.withheld_items(&actor, true).await?;
            for i in &items {
                writeln!(out, "{}", withheld_line(i))?;
            }
            writeln!(out, "到期应评估 {} 件", items.len())?;
        }
        PublishCommand::Reassess {
            id: Some(id),
            outcome,
            basis,
            reason,
        } => {
            let outcome = pick::<ReassessOutcome>(
                outcome
                    .as_deref()
                    .context("请用 --outcome 写明评估结论：keep、release 或 on-request")?,
            )?;
            let basis = basis.as_deref().map(pick::<WithholdBasis>).transpose()?;
            let item = svc
                .reassess_item(
                    &actor,
                    id,
                    Reassessment {
                        outcome,
                        basis,
                        reason,
                    },
                )
                .await?;
            writeln!(
                out,
                "已登记评估：事项 {}，现为{}",
                item.id,
                item.disclosure.label_zh()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
