//! `gongkai ledger platform`: the platform's agencies (a tree) and the roles users hold in
//! each, for the platform administrator (管理员 of the root agency, the office of a
//! database made before the platform). Every change is audited.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;

use super::Session;

#[derive(Debug, Subcommand)]
pub(crate) enum PlatformCommand {
    /// 机关：列出（树形）或新增下级机关 / agencies: list the tree or add one
    #[command(subcommand)]
    Agency(AgencyCommand),
    /// 设置用户在某机关的角色（信息员、办公室主任、分管领导、管理员、supervisor 监督；不给角色即
    /// 移出该机关）/ set a user's roles in an agency (none: remove the user from it)
    Grant {
        /// 用户名 / the user
        user: String,
        /// 机关代码 / the agency's code
        #[arg(long = "in", value_name = "CODE")]
        agency: String,
        /// 角色，可多个 / roles
        roles: Vec<String>,
    },
    /// 监督数据：各机关的汇总数据（由台账计算后保存，台账一有改动即失效）/ the
    /// supervisor's figures kept per agency (computed from each ledger, invalidated by any
    /// change to it)
    #[command(subcommand)]
    Figures(FiguresCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum FiguresCommand {
    /// 重新计算全部机关某年度的监督数据（批量导入后运行，使监督页面直接读取）/ compute every
    /// agency's figures for a year now (after a bulk load, so that views read kept figures)
    Rebuild {
        /// 报告年度（默认：当前统计的年度）/ the report year (default: the year being reported)
        #[arg(long)]
        year: Option<i32>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum AgencyCommand {
    /// 列出全部机关（树形，缩进表示层级）/ list every agency as a tree
    List {
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 在上级机关下新增机关 / add an agency under a parent
    Add {
        /// 上级机关代码（根机关为 local-1，除非已改）/ the parent's code
        #[arg(long)]
        parent: String,
        /// 机关代码：统一社会信用代码或内部代码，唯一 / the agency's code (unique)
        #[arg(long)]
        code: String,
        /// 机关名称 / the agency's name
        #[arg(long)]
        name: String,
        /// 层级：省、市、县区、乡镇街道、部门 / level: province, city, county, township, department
        #[arg(long, default_value = "部门")]
        kind: String,
    },
}

pub(crate) async fn platform(
    cx: &Session,
    command: PlatformCommand,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let actor = cx.actor().await?;
    let service = &cx.service;
    match command {
        PlatformCommand::Agency(AgencyCommand::List { json }) => {
            let tree = service.agency_tree(&actor).await?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &tree)?;
                writeln!(out)?;
            } else {
                for row in tree {
                    let a = &row.agency;
                    writeln!(
                        out,
                        "{}{}  {}  [{}]",
                        "  ".repeat(row.depth),
                        a.code,
                        a.name,
                        a.kind.label_zh()
                    )?;
                }
            }
        }
        PlatformCommand::Agency(AgencyCommand::Add {
            parent,
            code,
            name,
            kind,
        }) => {
            let a = service
                .add_agency(&actor, &parent, &code, &name, &kind)
                .await?;
            writeln!(out, "已新增机关 {}（{}，编号 {}）", a.name, a.code, a.id)?;
        }
        PlatformCommand::Grant {
            user,
            agency,
            roles,
        } => {
            service.grant_roles(&actor, &user, &agency, &roles).await?;
            if roles.is_empty() {
                writeln!(out, "已将用户 {user} 移出机关 {agency}")?;
            } else {
                writeln!(
                    out,
                    "已设置用户 {user} 在机关 {agency} 的角色：{}",
                    roles.join("、")
                )?;
            }
        }
        PlatformCommand::Figures(FiguresCommand::Rebuild { year }) => {
            let r = service.rebuild_figures(&actor, year).await?;
            writeln!(
                out,
                "已重新计算 {} 个机关 {} 年度的监督数据，用时 {:.1} 秒",
                r.agencies, r.year, r.seconds
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
