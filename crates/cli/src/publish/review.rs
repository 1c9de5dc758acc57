//! `gongkai publish review …`: 三审 and 保密审查 of register items — 初审 with the secrecy
//! checklist (`submit`), 复审/审核 one or a batch (`approve`), 退回 (`return`), the
//! 保密 authority's determination (`determine`, art. 17), 放行 of an error-severity 错敏
//! finding with a reason (`override`), one item's review (`show`) and the queue awaiting
//! the user's level (`queue`). The service's use cases: the same rules and audit rows as
//! on the web.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;
use gongkai_ledger::register::secrecy::{
    SecrecyAnswer, SecrecyChecklist, SecrecyConclusion, SecrecyDetermination, SecrecyQuestion,
    SecrecyReview,
};
use gongkai_store::review_item::ItemReview;

use super::{Session, date, pick};

#[derive(Debug, Subcommand)]
pub(crate) enum ReviewCommand {
    /// 提交初审并记录保密审查（五个问题都须回答：否、是或不能确定）/ submit with the secrecy
    /// review
    ///
    /// 结论须与回答一致：涉及国家秘密为“涉密不得公开”；有“不能确定”的为“需报保密行政管理部门
    /// 确定”（条例第十七条，须在 --note 中写明报送的机关和事项）。提交时进行错敏排查。
    Submit {
        /// 事项编号 / the item's number
        id: i64,
        /// 是否涉及国家秘密：否、是、不能确定 / state secret: no, yes, unsure
        #[arg(long, value_name = "否|是|不能确定")]
        state_secret: String,
        /// 是否涉及工作秘密 / work secret
        #[arg(long, value_name = "否|是|不能确定")]
        work_secret: String,
        /// 是否涉及商业秘密 / trade secret
        #[arg(long, value_name = "否|是|不能确定")]
        trade_secret: String,
        /// 是否涉及个人隐私 / privacy
        #[arg(long, value_name = "否|是|不能确定")]
        privacy: String,
        /// 公开后是否可能危及国家安全、公共安全、经济安全和社会稳定（三安全一稳定）/ security
        #[arg(long, value_name = "否|是|不能确定")]
        security: String,
        /// 结论：非涉密可公开（publishable）、涉密不得公开（secret）、需报保密行政管理部门确定（referred）
        #[arg(long)]
        conclusion: String,
        /// 说明（权利人同意或公共利益的理由；报送的机关和事项）/ note
        #[arg(long)]
        note: Option<String>,
    },
    /// 复审或审核通过（按事项应到的级别；可一次多件，逐件检查并记入审计日志）/ approve one or
    /// more items at the level due
    ///
    /// 退出码：全部通过为 0，有未通过的为 1（逐件列出原因）。
    Approve {
        /// 事项编号（可多个）/ the items
        #[arg(required = true)]
        ids: Vec<i64>,
        /// 审核意见 / note
        #[arg(long)]
        note: Option<String>,
        /// 输出 JSON / print JSON
        #[arg(long)]
        json: bool,
    },
    /// 退回（须写明理由）/ send back with a reason
    Return {
        id: i64,
        /// 退回理由 / the reason
        #[arg(long)]
        reason: String,
    },
    /// 登记保密行政管理部门的确定意见（条例第十七条）/ record the authority's determination
    Determine {
        id: i64,
        /// 作出确定的机关 / the authority
        #[arg(long)]
        authority: String,
        /// 复函文号 / its reference
        #[arg(long)]
        reference: Option<String>,
        /// 确定日期（默认今天）/ the date decided
        #[arg(long)]
        date: Option<String>,
        /// 确定意见：非涉密可公开（publishable）或涉密不得公开（secret）
        #[arg(long)]
        result: String,
    },
    /// 放行一项错误级错敏排查结果（须写明理由，记入审计日志）/ override a 错敏 finding
    Override {
        id: i64,
        /// 结果的序号（review show 中的编号）或指纹 / the finding's number or fingerprint
        #[arg(long, value_name = "FP")]
        finding: String,
        /// 放行理由 / the reason
        #[arg(long)]
        reason: String,
    },
    /// 查看事项的审核：各级记录、保密审查、错敏排查结果、尚不能发布的原因 / one item's review
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// 待我审核的事项（办公室主任复审、分管领导审核）/ the items awaiting my level
    Queue {
        #[arg(long)]
        json: bool,
    },
}

fn answer(q: SecrecyQuestion, s: &str) -> Result<(SecrecyQuestion, SecrecyAnswer)> {
    let a = pick::<SecrecyAnswer>(s).with_context(|| format!("保密审查“{}”", q.label_zh()))?;
    Ok((q, a))
}

fn print_review(out: &mut impl Write, r: &ItemReview) -> Result<()> {
    writeln!(
        out,
        "事项 {}（第 {} 版）：{}{}；保密审查：{}；{} 级审核",
        r.item,
        r.version,
        r.review.status.label_zh(),
        r.level_due_zh()
            .map(|l| format!("，待{l}"))
            .unwrap_or_default(),
        r.secrecy.label_zh(),
        r.levels
    )?;
    for s in &r.review.steps {
        writeln!(
            out,
            "  {}  {}（{}）{}{}",
            s.at.format("%Y-%m-%d %H:%M"),
            s.actor,
            s.actor_role.label_zh(),
            s.action.label_zh(),
            s.note
                .as_deref()
                .map(|n| format!("：{n}"))
                .unwrap_or_default()
        )?;
    }
    for (n, f) in r.findings.iter().enumerate() {
        let fp = f.fingerprint();
        let overridden = r.overrides.iter().any(|o| o.finding.fingerprint() == fp);
        writeln!(
            out,
            "  错敏 {}：[{}] {} {}：“{}”{}  指纹 {}",
            n + 1,
            f.code,
            if f.is_error() { "错误" } else { "提示" },
            f.place_zh(),
            f.matched,
            if overridden { "（已放行）" } else { "" },
            fp
        )?;
    }
    for o in &r.obstacles {
        writeln!(out, "  不能发布：{o}")?;
    }
    Ok(())
}

pub(super) async fn review(
    cx: &Session,
    c: ReviewCommand,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let actor = cx.actor().await?;
    let svc = &cx.service;
    match c {
        ReviewCommand::Submit {
            id,
            state_secret,
            work_secret,
            trade_secret,
            privacy,
            security,
            conclusion,
            note,
        } => {
            let checklist = SecrecyChecklist::from_answers([
                answer(SecrecyQuestion::StateSecret, &state_secret)?,
                answer(SecrecyQuestion::WorkSecret, &work_secret)?,
                answer(SecrecyQuestion::TradeSecret, &trade_secret)?,
                answer(SecrecyQuestion::Privacy, &privacy)?,
                answer(SecrecyQuestion::Security, &security)?,
            ])?;
            let secrecy = SecrecyReview {
                checklist,
                conclusion: pick::<SecrecyConclusion>(&conclusion).context("保密审查结论")?,
                note,
            };
            let r = svc.submit_item(&actor, id, secrecy, None).await?;
            writeln!(out, "已提交初审：")?;
            print_review(out, &r)?;
        }
        ReviewCommand::Approve { ids, note, json } => {
            let outcomes = svc.approve_items(&actor, &ids, note).await?;
            let refused = outcomes.iter().filter(|o| o.error.is_some()).count();
            if json {
                serde_json::to_writer_pretty(&mut *out, &outcomes)?;
                writeln!(out)?;
            } else {
                for o in &outcomes {
                    match (&o.status, &o.error) {
                        (_, Some(e)) => writeln!(out, "事项 {}：未通过：{e}", o.item)?,
                        (Some(s), None) => {
                            writeln!(out, "事项 {}：已通过，现为“{}”", o.item, s.label_zh())?
                        }
                        (None, None) => {}
                    }
                }
                writeln!(
                    out,
                    "共 {} 件，通过 {} 件，未通过 {refused} 件",
                    outcomes.len(),
                    outcomes.len() - refused
                )?;
            }
            if refused > 0 {
                return Ok(ExitCode::from(1));
            }
        }
        ReviewCommand::Return { id, reason } => {
            let r = svc.send_back_item(&actor, id, &reason).await?;
            writeln!(out, "已退回：")?;
            print_review(out, &r)?;
        }
        ReviewCommand::Determine {
            id,
            authority,
            reference,
            date: d,
            result,
        } => {
            let determination = SecrecyDetermination {
                authority,
                reference,
                decided_on: match d {
                    Some(d) => date(&d)?,
                    None => svc.current_date(),
                },
                result: pick::<SecrecyConclusion>(&result).context("确定意见")?,
            };
            let r = svc
                .record_item_determination(&actor, id, determination)
                .await?;
            writeln!(out, "已登记确定意见：")?;
            print_review(out, &r)?;
        }
        ReviewCommand::Override {
            id,
            finding,
            reason,
        } => {
            let fp = match finding.trim().parse::<usize>() {
                Ok(n) => {
                    let r = svc.item_review(&actor, id).await?;
                    r.findings
                        .get(n.wrapping_sub(1))
                        .map(|f| f.fingerprint())
                        .with_context(|| {
                            format!(
                                "事项 {id} 没有第 {n} 项错敏排查结果（共 {} 项）",
                                r.findings.len()
                            )
                        })?
                }
                Err(_) => finding.trim().to_string(),
            };
            let r = svc.override_item_finding(&actor, id, &fp, &reason).await?;
            writeln!(out, "已放行：{fp}")?;
            print_review(out, &r)?;
        }
        ReviewCommand::Show { id, json } => {
            let r = svc.item_review(&actor, id).await?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &r)?;
                writeln!(out)?;
            } else {
                print_review(out, &r)?;
            }
        }
        ReviewCommand::Queue { json } => {
            let q = svc.item_review_queue(&actor).await?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &q)?;
                writeln!(out)?;
            } else {
                for r in &q {
                    let item = cx.store().register_item_row(r.item).await?;
                    writeln!(
                        out,
                        "{:>5}  {}  {}  {}  待{}  保密审查：{}  未放行的错误 {} 项",
                        r.item,
                        item.index_number,
                        item.title,
                        r.review.status.label_zh(),
                        r.level_due_zh().unwrap_or(""),
                        r.secrecy.label_zh(),
                        r.blocking.len()
                    )?;
                }
                writeln!(out, "待审核 {} 件", q.len())?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
