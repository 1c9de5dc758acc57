//! `init`, `user`, `appeal`, `proactive`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use gongkai_ledger::calendar::date_zh;
use gongkai_ledger::{
    AppealConclusion, AppealStatus, ApplicationId, CaseRole, DecisionCount, DocumentRecord,
    FeeIncome, ProactiveData,
};
use gongkai_service::AccountDraft;
use gongkai_service::Service;
use gongkai_service::records::AppealDraft;
use gongkai_store::{NewUser, Role};

use super::args::{AppealCommand, ProactiveArgs, ProactiveCommand, UserCommand};
use super::{Session, read_password};

pub(super) async fn init(
    cx: &Session,
    agency: &str,
    admin: &str,
    office: &gongkai_ledger::OfficeSettings,
    password_stdin: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let (password, generated) = read_password(password_stdin)?;
    let admin = NewUser {
        name: admin.into(),
        display_name: None,
        role: Role::Admin,
        password: password.clone(),
    };
    if let Some(dir) = &office.calendar_dir {
        gongkai_ledger::Calendar::embedded()
            .load_dir(std::path::Path::new(dir))
            .map_err(|e| anyhow::anyhow!("日历目录：{e}"))?;
    }
    let user = cx.service.initialise(agency, &admin, office).await?;
    if cx.en() {
        writeln!(
            out,
            "Ledger created for {agency}; admin user: {}",
            user.name
        )?;
    } else {
        writeln!(out, "已初始化台账：{agency}；管理员：{}", user.name)?;
    }
    if generated {
        writeln!(
            out,
            "管理员初始密码（只显示这一次）/ initial password (shown once): {password}"
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn user(cx: &Session, c: UserCommand, out: &mut impl Write) -> Result<ExitCode> {
    match c {
        UserCommand::Add {
            name,
            role,
            display_name,
            password_stdin,
        } => {
            let actor = cx.actor().await?;
            let password = if password_stdin {
                Some(read_password(true)?.0)
            } else {
                None
            };
            let created = cx
                .service
                .create_account(
                    &actor,
                    AccountDraft {
                        name,
                        display_name,
                        roles: role,
                        password,
                        must_change_password: false,
                    },
                )
                .await?;
            let u = &created.user;
            writeln!(out, "已添加用户 / added: {}（{}）", u.name, u.roles_label())?;
            if let Some(p) = created.temporary_password {
                writeln!(
                    out,
                    "临时密码（只显示这一次，首次登录须修改）/ temporary password (shown once, to be changed at first login): {p}"
                )?;
            }
        }
        UserCommand::List => {
            for u in cx.service.users().await? {
                writeln!(
                    out,
                    "{:<12} {:<6} {:<10} {} {}{}",
                    u.name,
                    u.roles_label(),
                    u.display_name.as_deref().unwrap_or("-"),
                    u.last_login_at.map_or_else(
                        || "从未登录".to_string(),
                        |t| t
                            .with_timezone(&gongkai_store::model::china_offset())
                            .format("%Y-%m-%d %H:%M")
                            .to_string()
                    ),
                    if u.active { "" } else { "（已停用）" },
                    if u.must_change_password {
                        "（须修改密码）"
                    } else {
                        ""
                    }
                )?;
            }
        }
        UserCommand::Passwd {
            name,
            password_stdin,
        } => {
            let actor = cx.actor_setting_password_of(&name).await?;
            let (password, generated) = read_password(password_stdin)?;
            cx.service
                .set_password_checked(&actor, &name, &password, generated)
                .await?;
            writeln!(out, "已修改密码 / password set: {name}")?;
            if generated {
                writeln!(out, "新密码（只显示这一次）/ new password: {password}")?;
            }
        }
        UserCommand::Roles { name, role } => {
            let actor = cx.actor().await?;
            let u = cx.service.set_roles(&actor, &name, &role).await?;
            writeln!(
                out,
                "已设置角色 / roles set: {}（{}）",
                u.name,
                u.roles_label()
            )?;
        }
        UserCommand::Disable { name } => {
            let actor = cx.actor().await?;
            cx.service.set_user_active(&actor, &name, false).await?;
            writeln!(out, "已停用 / disabled: {name}")?;
        }
        UserCommand::Enable { name } => {
            let actor = cx.actor().await?;
            cx.service.set_user_active(&actor, &name, true).await?;
            writeln!(out, "已启用 / enabled: {name}")?;
        }
        UserCommand::Unlock { name } => {
            let actor = cx.actor().await?;
            if cx.service.unlock_user(&actor, &name).await? {
                writeln!(out, "已解除登录锁定 / unlocked: {name}")?;
            } else {
                writeln!(out, "该用户没有登录锁定 / not locked: {name}")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn appeal(
    cx: &Session,
    c: AppealCommand,
    out: &mut impl Write,
) -> Result<ExitCode> {
    match c {
        AppealCommand::Add {
            id,
            kind,
            filed,
            application,
            body,
            case_number,
            as_reconsideration_organ,
        } => {
            let actor = cx.actor().await?;
            let draft = AppealDraft {
                id,
                kind,
                filed_on: filed,
                application: application.map(ApplicationId),
                role: if as_reconsideration_organ {
                    CaseRole::ReconsiderationOrgan
                } else {
                    CaseRole::OriginalActor
                },
                body,
                case_number,
                conclusion: None,
            };
            let c = cx.service.add_appeal(&actor, draft).await?;
            writeln!(out, "已登记案件 {}（{}）", c.id, c.kind.label_zh())?;
        }
        AppealCommand::Correct(a) => return super::corrections::appeal_correct(cx, a, out).await,
        AppealCommand::Void(a) => return super::corrections::appeal_void(cx, a, out).await,
        AppealCommand::Conclude { id, result, date } => {
            let actor = cx.actor().await?;
            let conclusion = AppealConclusion {
                result,
                decided_on: date,
            };
            let c = cx.service.conclude_appeal(&actor, &id, conclusion).await?;
            writeln!(out, "已登记案件 {} 的结果（{}）", c.id, date_zh(date))?;
        }
        AppealCommand::List => {
            let today = Service::today();
            for c in cx.service.appeals().await? {
                let status = match c.status_at(today) {
                    AppealStatus::Upheld => "结果维持",
                    AppealStatus::Corrected => "结果纠正",
                    AppealStatus::Other => "其他结果",
                    AppealStatus::Pending => "尚未审结",
                };
                writeln!(
                    out,
                    "{:<12} {}  {}  {status}{}",
                    c.id,
                    c.filed_on.format("%Y-%m-%d"),
                    c.kind.label_zh(),
                    c.application
                        .as_ref()
                        .map(|a| format!("  申请 {a}"))
                        .unwrap_or_default()
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn proactive(
    cx: &Session,
    c: ProactiveCommand,
    out: &mut impl Write,
) -> Result<ExitCode> {
    match c {
        ProactiveCommand::Correct(a) => {
            return super::corrections::proactive_correct(cx, a, out).await;
        }
        ProactiveCommand::Void(a) => return super::corrections::proactive_void(cx, a, out).await,
        ProactiveCommand::Set { id, data } => {
            let actor = cx.actor().await?;
            let data = proactive_data(data);
            let (r, new) = cx.service.set_proactive(&actor, Some(&id), data).await?;
            let what = if new {
                "已添加记录"
            } else {
                "已更新记录"
            };
            writeln!(out, "{what} {}", r.id)?;
        }
        ProactiveCommand::List => {
            let all = cx.service.proactive_records().await?;
            for r in &all {
                let text = match &r.data {
                    ProactiveData::Document(d) => format!(
                        "{}《{}》{} 制发{}",
                        d.kind.label_zh(),
                        d.title,
                        date_zh(d.issued_on),
                        d.repealed_on
                            .map(|x| format!("，{} 废止", date_zh(x)))
                            .unwrap_or_default()
                    ),
                    ProactiveData::Decisions(c) => format!(
                        "{} {} 至 {}：{} 件",
                        c.area.label_zh(),
                        date_zh(c.from),
                        date_zh(c.to),
                        c.count
                    ),
                    ProactiveData::Fees(f) => format!(
                        "行政事业性收费 {} 至 {}：{} 元",
                        date_zh(f.from),
                        date_zh(f.to),
                        f.amount_yuan
                    ),
                };
                let replaced = all
                    .iter()
                    .find(|o| o.supersedes.as_ref().is_some_and(|s| s.id == r.id))
                    .map(|o| format!("  〔已被 {} 更正或作废，不计〕", o.id))
                    .unwrap_or_default();
                let history = match &r.supersedes {
                    Some(s) if s.void => format!("  〔作废 {}：{}〕", s.id, s.reason),
                    Some(s) => format!("  〔更正 {}：{}〕", s.id, s.reason),
                    None => String::new(),
                };
                writeln!(out, "{:<14} {text}{history}{replaced}", r.id)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The record's data from the command line.
pub(super) fn proactive_data(data: ProactiveArgs) -> ProactiveData {
    match data {
        ProactiveArgs::Document {
            kind,
            title,
            number,
            issued,
            repealed,
        } => ProactiveData::Document(DocumentRecord {
            kind,
            title,
            number,
            issued_on: issued,
            repealed_on: repealed,
        }),
        ProactiveArgs::Decisions {
            area,
            from,
            to,
            count,
        } => ProactiveData::Decisions(DecisionCount {
            area,
            from,
            to,
            count,
        }),
        ProactiveArgs::Fees { from, to, yuan } => ProactiveData::Fees(FeeIncome {
            from,
            to,
            amount_yuan: yuan,
        }),
    }
}
