//! `correct` (更正 an application's registered facts), `proactive correct|void`,
//! `appeal correct|void` and `review reopen`: parse, call the service, print.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;
use gongkai_ledger::{
    AmendDraft, AppealKind, ApplicantKind, ApplicationId, CaseRole, ChannelKind, Contact, Delivery,
    EventKind, GrantedReplyApproval, InformationForm, ReopenBy,
};
use gongkai_service::records::AppealDraft;

use super::Session;
use super::args::{ProactiveArgs, parse_date};
use super::print::review;

/// `gongkai ledger correct ID --reason … [fields]`.
#[derive(Debug, Args)]
pub(super) struct CorrectArgs {
    /// 申请编号 / application id
    pub id: String,
    /// 更正理由（必填）/ why (required)
    #[arg(long)]
    pub reason: String,
    /// 更正登记的日期（默认今天）/ the date of the correction (default today)
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// 申请人姓名或名称 / applicant's name
    #[arg(long)]
    pub name: Option<String>,
    /// 申请人类型（决定表三的列）：natural-person 自然人 | commercial 商业企业 | research 科研机构 |
    /// social-welfare 社会公益组织 | legal-service 法律服务机构 | other-organisation 其他组织
    #[arg(long)]
    pub applicant_type: Option<ApplicantKind>,
    /// 联系电话（联系方式整体替换：未给出的项清空）/ phone (the contact is replaced as a whole)
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub address: Option<String>,
    #[arg(long)]
    pub postcode: Option<String>,
    /// 收到申请的日期（条例第三十一条；答复期限随之重算）/ legal receipt date
    #[arg(long, value_parser = parse_date)]
    pub received: Option<NaiveDate>,
    /// 提交渠道：in-person | oral | post-with-signature | ordinary-mail | online | fax
    #[arg(long)]
    pub channel: Option<ChannelKind>,
    /// 平常信函到达、网上提交或传真发出的日期 / arrival, submission or sending date
    #[arg(long, value_parser = parse_date)]
    pub arrived: Option<NaiveDate>,
    /// 所需政府信息的名称、文号或特征性描述（如补正后的内容）/ the request text
    #[arg(long)]
    pub request: Option<String>,
    /// 文号（空字符串清除）/ document number ("" clears it)
    #[arg(long)]
    pub document_number: Option<String>,
    /// 载体形式：paper | electronic | inspection
    #[arg(long)]
    pub form: Option<InformationForm>,
    /// 获取方式：collect | post | email | online | fax
    #[arg(long)]
    pub delivery: Option<Delivery>,
}

#[derive(Debug, Args)]
pub(super) struct ReasonArgs {
    /// 记录编号 / record id
    pub id: String,
    /// 理由（必填）/ why (required)
    #[arg(long)]
    pub reason: String,
}

/// `gongkai ledger appeal correct ID --reason … --kind … --filed …`.
#[derive(Debug, Args)]
pub(super) struct AppealCorrectArgs {
    pub id: String,
    #[arg(long)]
    pub reason: String,
    #[arg(long)]
    pub kind: AppealKind,
    #[arg(long, value_parser = parse_date)]
    pub filed: NaiveDate,
    #[arg(long)]
    pub application: Option<String>,
    #[arg(long)]
    pub body: Option<String>,
    #[arg(long)]
    pub case_number: Option<String>,
    #[arg(long)]
    pub as_reconsideration_organ: bool,
}

/// `gongkai ledger proactive correct ID --reason … <document|decisions|fees> …`.
#[derive(Debug, Args)]
pub(super) struct ProactiveCorrectArgs {
    pub id: String,
    #[arg(long)]
    pub reason: String,
    #[command(subcommand)]
    pub data: ProactiveArgs,
}

pub(super) async fn correct(
    cx: &Session,
    a: CorrectArgs,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let actor = cx.actor().await?;
    let id = ApplicationId(a.id.trim().to_string());
    let contact =
        if a.phone.is_some() || a.email.is_some() || a.address.is_some() || a.postcode.is_some() {
            Some(Contact {
                phone: a.phone,
                email: a.email,
                address: a.address,
                postcode: a.postcode,
            })
        } else {
            None
        };
    // A channel needs its dates: the receipt date given, or the current one.
    let channel = match a.channel {
        Some(k) => {
            let current = cx
                .service
                .application(&id, None)
                .await?
                .application
                .receipt();
            let received = a.received.or(current.map(|r| r.date));
            received.map(|r| k.with_dates(a.arrived, r))
        }
        None => None,
    };
    let draft = AmendDraft {
        applicant_name: a.name,
        applicant_kind: a.applicant_type,
        contact,
        received_on: a.received,
        channel,
        description: a.request,
        document_number: a
            .document_number
            .map(|n| Some(n).filter(|n| !n.trim().is_empty())),
        form: a.form,
        delivery: a.delivery,
    };
    let r = cx
        .service
        .correct_application(&actor, &id, &draft, &a.reason, a.date)
        .await?;
    if let EventKind::Amended { changes, reason } = &r.event.kind {
        writeln!(out, "已更正申请 {id}（第 {} 项事项）：", r.event.seq)?;
        for c in changes {
            writeln!(out, "  {}", c.describe_zh())?;
        }
        writeln!(out, "  理由：{reason}")?;
    }
    if let Some(d) = r.state.deadline().filter(|_| r.state.is_open()) {
        writeln!(out, "答复期限：{}", gongkai_ledger::calendar::date_zh(d))?;
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn proactive_correct(
    cx: &Session,
    a: ProactiveCorrectArgs,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let actor = cx.actor().await?;
    let data = super::records::proactive_data(a.data);
    let r = cx
        .service
        .correct_proactive(&actor, &a.id, data, &a.reason)
        .await?;
    writeln!(
        out,
        "已更正记录 {}：现行记录为 {}（原记录保留、不再统计）",
        a.id, r.id
    )?;
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn proactive_void(
    cx: &Session,
    a: ReasonArgs,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let actor = cx.actor().await?;
    let r = cx.service.void_proactive(&actor, &a.id, &a.reason).await?;
    writeln!(
        out,
        "已作废记录 {}（作废记录 {}，原记录保留、不再统计）",
        a.id, r.id
    )?;
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn appeal_correct(
    cx: &Session,
    a: AppealCorrectArgs,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let actor = cx.actor().await?;
    let draft = AppealDraft {
        id: None,
        kind: a.kind,
        filed_on: a.filed,
        application: a.application.map(ApplicationId),
        role: if a.as_reconsideration_organ {
            CaseRole::ReconsiderationOrgan
        } else {
            CaseRole::OriginalActor
        },
        body: a.body,
        case_number: a.case_number,
        conclusion: None,
    };
    let c = cx
        .service
        .correct_appeal(&actor, &a.id, draft, &a.reason)
        .await?;
    writeln!(
        out,
        "已更正案件 {}：现行记录为 {}（原记录保留、不再统计）",
        a.id, c.id
    )?;
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn appeal_void(
    cx: &Session,
    a: ReasonArgs,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let actor = cx.actor().await?;
    let c = cx.service.void_appeal(&actor, &a.id, &a.reason).await?;
    writeln!(
        out,
        "已作废案件 {}（作废记录 {}，原记录保留、不再统计）",
        a.id, c.id
    )?;
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn reopen(
    cx: &Session,
    year: i32,
    reason: &str,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let actor = cx.actor().await?;
    let r = cx
        .service
        .reopen_annual_report(&actor, year, reason)
        .await?;
    writeln!(out, "{}", r.subject)?;
    let names = cx.service.display_names().await?;
    review(cx, &r, &names, out)?;
    Ok(ExitCode::SUCCESS)
}

/// `gongkai ledger review-settings [--granted-reply-approval …] [--annual-report-reopen …]`.
#[derive(Debug, Args)]
pub(super) struct ReviewSettingsArgs {
    /// 予以公开的答复由谁最终批准：all-levels 三级审核（默认）| office-head 办公室主任
    #[arg(long, value_parser = parse_granted)]
    pub granted_reply_approval: Option<GrantedReplyApproval>,
    /// 谁可以撤销已批准的年度报告：leader 分管领导（默认）| office-head 办公室主任（及分管领导）
    #[arg(long, value_parser = parse_reopen)]
    pub annual_report_reopen: Option<ReopenBy>,
}

fn parse_granted(s: &str) -> Result<GrantedReplyApproval, String> {
    match s.trim().replace('-', "_").as_str() {
        "all_levels" | "三级审核" => Ok(GrantedReplyApproval::AllLevels),
        "office_head" | "办公室主任" => Ok(GrantedReplyApproval::OfficeHead),
        other => Err(format!("“{other}”无效，可用：all-levels、office-head")),
    }
}

fn parse_reopen(s: &str) -> Result<ReopenBy, String> {
    match s.trim().replace('-', "_").as_str() {
        "leader" | "分管领导" => Ok(ReopenBy::Leader),
        "office_head" | "办公室主任" => Ok(ReopenBy::OfficeHead),
        other => Err(format!("“{other}”无效，可用：leader、office-head")),
    }
}

pub(super) async fn review_settings(
    cx: &Session,
    a: ReviewSettingsArgs,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let mut settings = cx.service.store().settings().await?;
    if a.granted_reply_approval.is_some() || a.annual_report_reopen.is_some() {
        let actor = cx.actor().await?;
        if let Some(g) = a.granted_reply_approval {
            settings.granted_reply_approval = g;
        }
        if let Some(r) = a.annual_report_reopen {
            settings.annual_report_reopen = r;
        }
        cx.service
            .store()
            .set_settings(settings, &actor.stamp())
            .await?;
    }
    writeln!(
        out,
        "予以公开的答复：{}",
        match settings.granted_reply_approval {
            GrantedReplyApproval::AllLevels => "三级审核（分管领导批准）",
            GrantedReplyApproval::OfficeHead => "办公室主任批准即可",
        }
    )?;
    writeln!(
        out,
        "撤销已批准的年度报告：{}",
        match settings.annual_report_reopen {
            ReopenBy::Leader => "分管领导",
            ReopenBy::OfficeHead => "办公室主任或分管领导",
        }
    )?;
    Ok(ExitCode::SUCCESS)
}
