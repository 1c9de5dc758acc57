//! `year-end`, `review`, `audit`.

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use chrono::NaiveDate;
use gongkai_check::{Lang, Severity};
use gongkai_ledger::calendar::date_zh;
use gongkai_ledger::{ApplicationId, Decision, Event};
use gongkai_store::{AuditQuery, ReviewAction, ReviewSubject};

use super::Session;
use super::args::{ReviewCommand, SubjectArgs, SubjectKind};
use super::print::{self, describe, time_cn};

pub(super) async fn year_end(
    cx: &Session,
    year: i32,
    as_of: Option<NaiveDate>,
    output: Option<&str>,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let official = cx.service.official_year_end(year, as_of).await?;
    let ye = &official.year_end;
    let findings = gongkai_check::check(&ye.report);
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    if let Some(path) = output {
        let text = serde_json::to_string_pretty(&ye.report)?;
        if path == "-" {
            writeln!(out, "{text}")?;
        } else {
            std::fs::write(path, format!("{text}\n"))
                .with_context(|| format!("{path}: 无法写入 / cannot write"))?;
        }
    }
    if json {
        let v = serde_json::json!({
            "year": year,
            "review_status": official.review.status,
            "frozen_at": official.frozen_at,
            "as_of": official.as_of,
            "period_end": ye.period_end,
            "figures": ye.figures,
            "carried_over": ye.carried_over,
            "carried_forward": ye.carried_forward,
            "warnings": ye.warnings,
            "errors": errors,
            "findings": gongkai_check::render_json(&findings),
        });
        serde_json::to_writer_pretty(&mut *out, &v)?;
        writeln!(out)?;
    } else if output != Some("-") {
        let f = &ye.figures;
        let title = ye.report.meta.title.clone().unwrap_or_default();
        writeln!(out, "{title}")?;
        if let Some(at) = official.frozen_at {
            if cx.en() {
                writeln!(
                    out,
                    "Frozen at the submission for review ({}): figures as then known",
                    time_cn(at)
                )?;
            } else {
                writeln!(
                    out,
                    "已提交审核（{}），数据为提交时冻结的正式数据",
                    time_cn(at)
                )?;
            }
        }
        if cx.en() {
            writeln!(out, "Period: {year}-01-01 to {}", ye.period_end)?;
            writeln!(
                out,
                "Table 3: new {}, carried over {}, results {}, carried forward {}",
                f.new_received[6], f.carried_over[6], f.results_total[6], f.carried_forward[6]
            )?;
        } else {
            writeln!(out, "统计期间：{year}年1月1日至{}", date_zh(ye.period_end))?;
            writeln!(
                out,
                "第三部分：本年新收 {}，上年结转 {}，办理结果 {}，结转下年度继续办理 {}",
                f.new_received[6], f.carried_over[6], f.results_total[6], f.carried_forward[6]
            )?;
            for (d, row) in Decision::ALL.iter().zip(&f.outcomes) {
                if row[6] > 0 {
                    writeln!(out, "  {} {}：{}", d.group_zh(), d.label_zh(), row[6])?;
                }
            }
            let appeals: u64 = f.appeals.iter().map(|g| g[4]).sum();
            writeln!(
                out,
                "第四部分：行政复议 {}，行政诉讼 {}",
                f.appeals[0][4],
                appeals - f.appeals[0][4]
            )?;
        }
        if !ye.carried_forward.is_empty() {
            let ids: Vec<&str> = ye.carried_forward.iter().map(|i| i.0.as_str()).collect();
            writeln!(out, "结转下年度：{}", ids.join("、"))?;
        }
        for w in &ye.warnings {
            writeln!(out, "注意：{w}")?;
        }
        let name = output.unwrap_or("年度报告");
        write!(
            out,
            "{}",
            gongkai_check::render_text(&findings, name, None, cx.lang)
        )?;
        match cx.lang {
            Lang::Zh => writeln!(out, "检查结果：错误 {errors} 个，警告 {warnings} 个")?,
            Lang::En => writeln!(out, "Checks: {errors} errors, {warnings} warnings")?,
        }
        if let Some(path) = output {
            writeln!(
                out,
                "报告已写入 {path}（可用 gongkai render {path} --to docx -o 报告.docx 生成文档）"
            )?;
        }
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn subject(s: &SubjectArgs) -> Result<ReviewSubject> {
    Ok(match s.kind {
        SubjectKind::Reply => ReviewSubject::Reply {
            application: ApplicationId(s.id.trim().to_string()),
        },
        SubjectKind::Report => ReviewSubject::AnnualReport {
            year: s
                .id
                .trim()
                .parse()
                .map_err(|_| anyhow!("年份“{}”无效 / invalid year", s.id))?,
        },
    })
}

pub(super) async fn review(
    cx: &Session,
    c: ReviewCommand,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let svc = &cx.service;
    let review = match c {
        ReviewCommand::Submit { subject: s, note } => {
            let actor = cx.actor().await?;
            svc.review_step(&actor, &subject(&s)?, ReviewAction::Submit, note)
                .await?
        }
        ReviewCommand::Approve { subject: s, note } => {
            let actor = cx.actor().await?;
            svc.approve(&actor, &subject(&s)?, note).await?
        }
        ReviewCommand::SendBack { subject: s, reason } => {
            let actor = cx.actor().await?;
            svc.review_step(&actor, &subject(&s)?, ReviewAction::SendBack, Some(reason))
                .await?
        }
        ReviewCommand::Reopen { year, reason } => {
            return super::corrections::reopen(cx, year, &reason, out).await;
        }
        ReviewCommand::Show { subject: s } => svc.review(&subject(&s)?).await?,
        ReviewCommand::List => {
            let reviews = svc.reviews().await?;
            if reviews.is_empty() {
                let none = if cx.en() {
                    "No reviews."
                } else {
                    "没有审核记录。"
                };
                writeln!(out, "{none}")?;
            }
            for r in reviews {
                let last = r.steps.last().map(|s| time_cn(s.at)).unwrap_or_default();
                let status = if cx.en() {
                    r.status.label_en()
                } else {
                    r.status.label_zh()
                };
                writeln!(out, "{}：{status}（{last}）", r.subject)?;
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
    writeln!(out, "{}", review.subject)?;
    let names = cx.service.display_names().await?;
    print::review(cx, &review, &names, out)?;
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn audit(
    cx: &Session,
    id: Option<&str>,
    limit: u32,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let q = AuditQuery {
        subject_kind: id.map(|_| "application".to_string()),
        subject_id: id.map(|i| i.trim().to_string()),
        limit: Some(limit),
        ..AuditQuery::default()
    };
    let rows = cx.store().audit(&q).await?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    // Oldest first reads like a history.
    let labels: HashMap<&str, &str> = [
        ("ledger.init", "初始化台账"),
        ("user.add", "添加用户"),
        ("user.password", "修改密码"),
        ("user.enable", "启用用户"),
        ("user.disable", "停用用户"),
        ("session.login", "登录"),
        ("session.logout", "退出登录"),
        ("settings.set", "修改设置"),
        ("application.register", "登记申请"),
        ("event.append", "登记事项"),
        ("appeal.add", "登记复议诉讼案件"),
        ("appeal.update", "修改复议诉讼案件"),
        ("proactive.add", "添加主动公开记录"),
        ("proactive.update", "修改主动公开记录"),
        ("review.submit", "提交审核"),
        ("review.review", "审核通过"),
        ("review.approve", "批准"),
        ("review.send_back", "退回"),
        ("template.set", "修改答复模板"),
        ("template.restore", "恢复答复模板旧版本"),
        ("template.default", "恢复答复模板默认文本"),
    ]
    .into_iter()
    .collect();
    for r in rows.iter().rev() {
        let what = labels.get(r.action.as_str()).copied().unwrap_or(&r.action);
        let detail = match r.action.as_str() {
            "event.append" => serde_json::from_value::<Event>(r.detail.clone())
                .map(|e| {
                    format!(
                        "#{} {} {}",
                        e.seq,
                        e.date.format("%Y-%m-%d"),
                        describe(cx, &e)
                    )
                })
                .unwrap_or_default(),
            a if a.starts_with("review.") => r
                .detail
                .get("note")
                .and_then(|n| n.as_str())
                .map(str::to_string)
                .unwrap_or_default(),
            _ => {
                let s = r.detail.to_string();
                if s.chars().count() > 100 {
                    format!("{}…", s.chars().take(100).collect::<String>())
                } else {
                    s
                }
            }
        };
        writeln!(
            out,
            "{}  {:<8} {}  {}/{}  {detail}",
            time_cn(r.at),
            r.actor,
            what,
            r.subject_kind,
            r.subject_id
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
